// A newcomer's first minutes, clicked and typed as a person would: create a Deployment from
// the console, scale it up with the button, update its image, delete a pod and watch the
// ReplicaSet replace it (a pod opens the inspector, whose button deletes it). Virtual time is moved with the console's `sleep`, so the test does
// not depend on the machine's speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('create, scale, update and heal a Deployment', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=2 --port=5000');
    await assert.doesNotReject(
      console_.getByText('deployment.apps/web created').waitFor(),
      'the console echoes kubectl\'s message',
    );
    const card = page.getByTestId('deployment-web');
    await card.waitFor();

    await page.getByRole('button', { name: 'Scale up' }).click();
    await console_.getByText('kubectl scale deployment/web --replicas=3').waitFor();
    await typeCommand(page, 'sleep 60s');
    const readyPods = card.locator('[data-testid="pod"][data-ready="true"][data-terminating="false"]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="deployment-web"] [data-testid="pod"][data-ready="true"]').length === 3,
    );
    assert.equal(await readyPods.count(), 3);
    assert.equal((await page.getByTestId('ready-web').textContent()).trim(), '3/3');

    await page.getByLabel('Image for web').selectOption('flask-app:2.0');
    await page.getByRole('button', { name: 'Update image' }).click();
    await console_.getByText('deployment.apps/web image updated').waitFor();
    await typeCommand(page, 'sleep 120s');
    await page.waitForFunction(() => {
      const pods = [...document.querySelectorAll('[data-testid="deployment-web"] [data-testid="pod"]')];
      return pods.length === 3 && pods.every((p) => p.dataset.image === 'flask-app:2.0' && p.dataset.ready === 'true');
    });

    const victim = card.locator('[data-testid="pod"]').first();
    const victimName = await victim.getAttribute('data-pod-name');
    await victim.click();
    const inspector = page.getByRole('dialog');
    await inspector.getByText('Its ReplicaSet will notice the missing pod and create a replacement.').waitFor();
    assert.match(await inspector.locator('pre').textContent(), new RegExp(`name: ${victimName}`));
    await inspector.getByRole('button', { name: 'Delete pod' }).click();
    await console_.getByText(`pod "${victimName}" deleted`).waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0, 'the inspector closes');
    await typeCommand(page, 'sleep 60s');
    await page.waitForFunction((gone) => {
      const pods = [...document.querySelectorAll('[data-testid="deployment-web"] [data-testid="pod"]')];
      return pods.length === 3 && pods.every((p) => p.dataset.podName !== gone && p.dataset.ready === 'true');
    }, victimName);

    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
