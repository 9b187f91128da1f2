// The classroom tools as an instructor uses them: faults injected with one click (each shows
// its kubectl command, and the cluster does what it says), presenter mode with its shortcut,
// and the playground's own shortcuts (space, .) before the lessons module is even loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('shortcuts, faults and presenter mode', async () => {
  const { context, page, errors } = await openPage();
  try {
    const controls = page.getByRole('group', { name: 'Simulation controls' });
    await page.getByLabel('kubectl console input').waitFor();
    // Space pauses, "." steps one second: no click needed.
    await page.keyboard.press('Space');
    await controls.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const before = await page.getByRole('timer').textContent();
    await page.keyboard.press('.');
    await page.waitForFunction((t) => document.querySelector('[role="timer"]').textContent !== t, before);

    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000');
    await typeCommand(page, 'sleep 30s');
    await page.getByRole('button', { name: 'Lessons' }).click();
    const teach = page.getByRole('complementary', { name: 'Lessons' });
    await teach.getByRole('tab', { name: 'Classroom' }).click();

    // Kill a pod: the command names the pod, the console runs it, a replacement starts.
    const kill = teach.locator('.fault', { hasText: 'Kill a pod' });
    const command = (await kill.locator('code').textContent()).trim();
    const victim = command.split(' ').at(-1);
    assert.match(command, /^kubectl delete pod web-[a-z0-9]+-[a-z0-9]+$/);
    await kill.getByRole('button', { name: 'Kill a pod' }).click();
    await page.getByLabel('console output').getByText(`pod "${victim}" deleted`).waitFor();
    await typeCommand(page, 'sleep 30s');
    await page.waitForFunction(() => document.querySelector('[data-testid="ready-web"]')?.textContent.trim() === '3/3');
    assert.equal(await page.getByTestId('deployment-web').getByText(victim).count(), 0);

    // Drain the node of a pod: cordoned, then an Uncordon button for it.
    await teach.getByRole('button', { name: 'Drain a node' }).click();
    await page.getByLabel('console output').getByText(/node\/kplay-worker\d? drained/).waitFor();
    await teach.getByRole('button', { name: /^Uncordon kplay-worker/ }).click();
    await page.getByLabel('console output').getByText(/node\/kplay-worker\d? uncordoned/).waitFor();

    // Break the image: the rollout is stuck, with the fix one click away on the card.
    await teach.getByRole('button', { name: 'Break the image' }).click();
    await typeCommand(page, 'sleep 60s');
    await page.getByTestId('rollout-status-web').getByText(/Waiting for deployment "web" rollout to finish/).waitFor();

    // Presenter mode: the page says so, the panel folds away; p toggles it back.
    await teach.getByRole('button', { name: 'Enter presenter mode' }).click();
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('presenter')));
    assert.equal(await teach.count(), 0, 'the panel folded');
    assert.equal(await page.locator('.tagline').isVisible(), false);
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('p');
    await page.waitForFunction(() => !document.documentElement.classList.contains('presenter'));
    // l unfolds the panel again.
    await page.keyboard.press('l');
    await teach.waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
