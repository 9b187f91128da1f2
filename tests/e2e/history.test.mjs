// The revision history and a rollback, clicked as a person would: update the image, open the
// history, preview the rollback to revision 1, confirm it, and see the old ReplicaSet reused
// as revision 3 while the number 1 disappears (kubectl rollout undo's real behaviour).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('roll back to an earlier revision from the history panel', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=3');
    await typeCommand(page, 'sleep 60s');
    const card = page.getByTestId('deployment-web');
    await page.getByLabel('Image for web').selectOption('flask-app:2.0');
    await page.getByRole('button', { name: 'Update image' }).click();
    await typeCommand(page, 'sleep 120s');
    await page.getByTestId('rollout-status-web').getByText('deployment "web" successfully rolled out').waitFor();

    await card.locator('summary', { hasText: 'Revision history (2)' }).click();
    const history = page.getByTestId('history-web');
    const rows = history.locator('tbody tr');
    assert.deepEqual(
      (await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ['2 (current)flask-app:2.0<none>', '1flask-app:1.0<none>Roll back to revision 1'],
    );
    assert.match(await history.textContent(), /Scaling does not create a revision/);

    await history.getByRole('button', { name: 'Roll back to revision 1' }).click();
    const preview = history.getByRole('region', { name: 'Rollback preview for revision 1' });
    const diff = await preview.getByLabel('Changes to the pod template').textContent();
    assert.match(diff, /- .*image: flask-app:2\.0/);
    assert.match(diff, /\+ .*image: flask-app:1\.0/);
    await preview.getByRole('button', { name: 'Confirm rollback' }).click();
    await console_.getByText('kubectl rollout undo deployment/web --to-revision=1').waitFor();
    await console_.getByText('deployment.apps/web rolled back').waitFor();

    await typeCommand(page, 'sleep 120s');
    await page.waitForFunction(() => {
      const pods = [...document.querySelectorAll('[data-testid="deployment-web"] [data-testid="pod"]')];
      return pods.length === 3 && pods.every((p) => p.dataset.image === 'flask-app:1.0' && p.dataset.ready === 'true');
    });
    await card.locator('summary', { hasText: 'Revision history (2)' }).waitFor();
    assert.deepEqual(
      (await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ['3 (current)flask-app:1.0<none>', '2flask-app:2.0<none>Roll back to revision 2'],
      'revision 1 is renumbered 3',
    );
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
