// The strategy gallery as a learner uses it: compare two strategies (lanes that play together
// and a table of what each cost, the numbers the deployment controller's arithmetic gives),
// then run one in the playground and watch it happen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

/** The panel's Strategies tab. */
async function strategies(page) {
  await page.getByRole('button', { name: 'Lessons' }).click();
  const teach = page.getByRole('complementary', { name: 'Lessons' });
  await teach.getByRole('tab', { name: 'Strategies' }).click();
  return teach;
}

test('compare a rolling update with Recreate: lanes and the table', async () => {
  const { context, page, errors } = await openPage();
  try {
    const teach = await strategies(page);
    await teach.getByLabel('First strategy').selectOption({ label: 'Rolling update (maxSurge 25%, maxUnavailable 25%)' });
    await teach.getByLabel('Second strategy').selectOption({ label: 'Recreate: stop everything, then start the new version' });
    await teach.getByRole('button', { name: 'Compare' }).click();

    const rows = {};
    for (const row of await teach.locator('.compare-table tbody tr').all()) {
      const cells = await row.locator('th, td').allTextContents();
      rows[cells[0]] = cells.slice(1);
    }
    // With six replicas: 25% surge is 2 (rounded up), 25% unavailable is 1 (rounded down).
    assert.deepEqual(rows['Peak pods'], ['8', '6']);
    assert.deepEqual(rows['Fewest pods serving'], ['5', '0']);
    assert.match(rows['Time to complete'][0], /^\d+\.\d s$/);
    const failed = rows['Failed requests'].map((t) => Number(t.split(' of ')[0]));
    assert.ok(failed[1] > 3 * failed[0], `Recreate loses the most: ${failed}`);

    // The lanes play together, then can be scrubbed: at the end both show six 2.0 pods.
    const lanes = teach.locator('.lane');
    assert.equal(await lanes.count(), 2);
    await teach.getByRole('button', { name: 'Pause' }).click();
    const scrubber = teach.getByLabel('Moment of the comparison');
    await scrubber.fill(await scrubber.getAttribute('max'));
    for (const lane of await lanes.all()) {
      await lane.getByText('✓ done').waitFor();
      assert.deepEqual(await lane.locator('.lane-pod.lane-ready').allTextContents(), Array(6).fill('2.0'));
    }
    await scrubber.fill('0');
    assert.ok((await lanes.first().locator('.lane-pod').allTextContents()).includes('1.0'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('run Recreate in the playground: the change happens live, with its failed requests', async () => {
  const { context, page, errors } = await openPage();
  try {
    const teach = await strategies(page);
    await page.getByLabel('Speed').selectOption('16x');
    const recreate = teach.locator('.scenario', { hasText: 'Recreate: stop everything' });
    await recreate.getByText('The commands it runs').click();
    assert.match(await recreate.locator('pre').last().textContent(), /kubectl set image deployment\/web flask-app=flask-app:2.0/);
    // Every text the rollout status shows, as rendered: at 16x on a busy machine a state
    // can last a single frame, which a polling wait may miss.
    await page.evaluate(() => {
      globalThis.statusSeen = [];
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="rollout-status-web"]')?.textContent;
        if (text && globalThis.statusSeen.at(-1) !== text) globalThis.statusSeen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await recreate.getByRole('button', { name: 'Run it in the playground' }).click();
    await teach.getByText(/Running in the playground: Recreate/).waitFor();
    // Set up and then updated at the clock's pace: the console shows the update, and the
    // Deployment ends with six ready pods of 2.0.
    const output = page.getByLabel('console output');
    await output.getByText('deployment.apps/web image updated').waitFor();
    const status = page.getByTestId('rollout-status-web');
    await page.waitForFunction(() => globalThis.statusSeen.some((t) => /Waiting for deployment "web" rollout to finish/.test(t)), null, { timeout: 30_000 });
    await status.getByText('deployment "web" successfully rolled out').waitFor({ timeout: 60_000 });
    assert.equal((await page.getByTestId('ready-web').textContent()).trim(), '6/6');
    assert.match(await page.getByText(/failed \(below the line\)/).textContent(), /[1-9]\d* in all/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
