// Export and import as a learner does it: what they built comes out as YAML for a real
// cluster (no server-set fields) and as a shell script; pasted YAML goes back in through
// kubectl apply, and a broken manifest is reported and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('export YAML and the session script; import YAML', async () => {
  const { context, page, errors } = await openPage();
  try {
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=2 --port=5000');
    await typeCommand(page, 'kubectl expose deployment web --type=NodePort --port=80 --target-port=5000');
    await typeCommand(page, 'sleep 30s');
    await page.getByRole('button', { name: 'Lessons' }).click();
    const teach = page.getByRole('complementary', { name: 'Lessons' });
    await teach.getByRole('tab', { name: 'Export' }).click();

    const yaml = await teach.getByRole('textbox', { name: 'Objects as YAML' }).inputValue();
    assert.deepEqual(yaml.split('\n').filter((l) => l.startsWith('kind: ')), ['kind: Service', 'kind: Deployment']);
    for (const serverSet of ['uid:', 'resourceVersion', 'status:', 'clusterIP', 'nodePort']) {
      assert.ok(!yaml.includes(serverSet), `${serverSet} exported`);
    }
    const script = await teach.getByRole('textbox', { name: 'The session as a shell script' }).inputValue();
    assert.match(script, /^#!\/bin\/sh\n/);
    assert.match(script, /set -e\nkubectl create deployment web --image=flask-app:1.0 --replicas=2 --port=5000\nkubectl expose deployment web --type=NodePort --port=80 --target-port=5000\nkubectl rollout status deployment\/web -n default --timeout=10m\n$/);

    // Import: a Deployment pasted and applied appears in the playground.
    const importField = teach.getByRole('textbox', { name: 'YAML to import' });
    await importField.fill('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: imported\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: imported\n  template:\n    metadata:\n      labels:\n        app: imported\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n');
    await teach.getByRole('button', { name: 'Apply to the playground' }).click();
    await page.getByLabel('console output').getByText('deployment.apps/imported created').waitFor();
    await page.getByTestId('deployment-imported').waitFor();

    // A broken manifest: kubectl's error, and nothing new.
    await importField.fill('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\nspec:\n  replica: 1\n');
    await teach.getByRole('button', { name: 'Apply to the playground' }).click();
    await page.getByLabel('console output').getByText(/unknown field "spec.replica"/).waitFor();
    assert.equal(await page.getByTestId('deployment-broken').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
