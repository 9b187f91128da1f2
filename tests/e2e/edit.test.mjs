// `kubectl edit` in the web app: the console command (or the inspector's "Edit YAML") opens
// the YAML editor; a rejected save shows the API server's error and keeps the text; a good
// save applies the change as `kubectl edit` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('edit a Deployment in the YAML editor', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=2');
    await typeCommand(page, 'kubectl edit deployment/web');
    const editor = page.getByRole('dialog', { name: 'kubectl edit deployment.apps/web' });
    const text = editor.getByLabel('YAML of deployment.apps/web');
    const yaml = await text.inputValue();
    assert.match(yaml, /replicas: 2/);

    await text.fill(yaml.replace('replicas: 2', 'replicas: -1'));
    await editor.getByRole('button', { name: 'Save' }).click();
    const error = editor.getByRole('alert');
    await error.waitFor();
    assert.match(await error.textContent(), /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    assert.match(await text.inputValue(), /replicas: -1/, 'the edited text is kept');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await console_.getByText('Edit cancelled, no changes made.').waitFor();

    await page.getByTestId('deployment-web').getByRole('button', { name: /deployment\/web/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Edit YAML' }).click();
    await text.fill((await text.inputValue()).replace('replicas: 2', 'replicas: 4'));
    await editor.getByRole('button', { name: 'Save' }).click();
    await console_.getByText('deployment.apps/web edited').waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0, 'the editor closes');
    await typeCommand(page, 'sleep 60s');
    await page.getByTestId('ready-web').getByText('4/4').waitFor();
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
