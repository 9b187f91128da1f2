// NetworkPolicies from the "Network policies" panel, clicked as a learner would: the matrix
// shows every workload reaching every other, a preset shows its YAML and what it would change,
// Apply runs the kubectl line, the matrix and a focused cell's reason follow, traffic is
// dropped, and deleting the policy lets it flow again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('block traffic with a preset policy, see why, and unblock it', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80');
    await typeCommand(page, 'kubectl create deployment api --image=flask-app:1.0 --port=5000');
    await typeCommand(page, 'kubectl expose deployment web --port=80 --type=NodePort');
    await typeCommand(page, 'sleep 30s');
    const panel = page.getByTestId('policies');
    await panel.locator('summary').click();
    await panel.getByText('No NetworkPolicy in default: every pod accepts every connection.').waitFor();
    const now = panel.getByRole('table', { name: 'Connectivity now' });
    assert.equal(await now.getByTestId('cell-api-web').textContent(), '✓');
    assert.equal(await now.getByTestId('cell-outside-web').textContent(), '✓');

    await panel.getByLabel('Policy preset').selectOption('default-deny-ingress');
    const preview = panel.getByRole('table', { name: 'With this policy' });
    assert.equal(await preview.getByTestId('cell-api-web').textContent(), '✕');
    assert.match(await panel.locator('pre').textContent(), /kind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n/);
    assert.equal(await now.getByTestId('cell-api-web').textContent(), '✓', 'nothing changes before Apply');

    await panel.getByRole('button', { name: 'Apply' }).click();
    await console_.getByText('networkpolicy.networking.k8s.io/default-deny-ingress created').waitFor();
    await panel.getByText('Selects all pods. Ingress: isolated, nothing allowed.').waitFor();
    assert.equal(await now.getByTestId('cell-api-web').textContent(), '✕');
    await now.getByTestId('cell-api-web').focus();
    assert.equal(
      await panel.getByTestId('verdict').textContent(),
      'api → web: dropped: ingress of the destination is isolated by default/default-deny-ingress and no rule allows it',
    );

    // Traffic from outside is dropped too, and says so.
    const service = page.getByTestId('service-web');
    await service.getByRole('button', { name: 'Send traffic' }).click();
    await typeCommand(page, 'sleep 5s');
    assert.match(await page.getByTestId('failed-total').textContent(), /failed \(below the line\): 10\/s/);
    assert.equal(
      await page.getByTestId('last-failure').textContent(),
      'Latest failed request: svc/web: dropped: ingress of the destination is isolated by default/default-deny-ingress and no rule allows it',
    );

    await typeCommand(page, 'kubectl delete netpol default-deny-ingress');
    await console_.getByText('networkpolicy.networking.k8s.io "default-deny-ingress" deleted').waitFor();
    await panel.getByText('No NetworkPolicy in default: every pod accepts every connection.').waitFor();
    assert.equal(await now.getByTestId('cell-api-web').textContent(), '✓');
    await typeCommand(page, 'sleep 5s');
    assert.match(await page.getByTestId('failed-total').textContent(), /failed \(below the line\): 0\/s/);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
