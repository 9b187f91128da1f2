// A stuck rollout: the "broken image" button rolls out an image that cannot be pulled; the
// new pods go ErrImagePull/ImagePullBackOff, the old pods keep serving, the page explains why
// the rollout is stuck, the progress deadline passes (the console's `sleep` jumps there), and
// the offered fix (`kubectl rollout undo`) brings the Deployment back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('a broken image gets stuck, is explained, and is rolled back', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=3');
    await typeCommand(page, 'sleep 60s');
    const card = page.getByTestId('deployment-web');
    const rollout = page.getByTestId('rollout-web');
    await card.getByRole('button', { name: 'Update to a broken image' }).click();
    await console_.getByText('kubectl set image deployment/web flask-app=flask-app:broken').waitFor();
    await typeCommand(page, 'sleep 60s');

    const alert = rollout.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /ImagePullBackOff|ErrImagePull/);
    assert.match(await alert.textContent(), /The old pods are kept/);
    const oldReady = card.locator('[data-testid="pod"][data-image="flask-app:1.0"][data-ready="true"]');
    assert.equal(await oldReady.count(), 3, 'maxUnavailable 25% of 3 is 0: every old pod stays');

    await typeCommand(page, 'sleep 10m');
    await page.getByTestId('rollout-status-web').getByText('deployment "web" exceeded its progress deadline').waitFor();
    assert.match(await alert.textContent(), /ProgressDeadlineExceeded/);

    await alert.getByRole('button', { name: 'Roll back to the previous revision' }).click();
    await console_.getByText('deployment.apps/web rolled back').waitFor();
    await typeCommand(page, 'sleep 60s');
    await page.getByTestId('rollout-status-web').getByText('deployment "web" successfully rolled out').waitFor();
    assert.equal(await rollout.getByRole('alert').count(), 0, 'the explanation goes away');
    assert.equal(await card.locator('[data-testid="pod"][data-image="flask-app:broken"]').count(), 0);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
