// NetworkPolicies from the "Network policies" panel, clicked as a learner would: the matrix
// shows every workload (of every namespace) reaching every other; "Block ... from ... to ..."
// writes a policy whose YAML, sentence and effect on the matrix show before Apply; Apply runs
// the kubectl line; the matrix, a focused cell's reason and the traffic follow (dropped
// requests stop at the pod with the verdict on hover); Delete lets traffic flow again. The
// policy editor shows each problem at its line and refuses to apply until it is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

/** Two Deployments in default (web behind a NodePort Service) and one in namespace monitoring. */
async function setUp(page) {
  await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80');
  await typeCommand(page, 'kubectl create deployment api --image=flask-app:1.0 --port=5000');
  await typeCommand(page, 'kubectl create namespace monitoring');
  await typeCommand(page, 'kubectl create deployment probe --image=nginx:1.27 -n monitoring');
  await typeCommand(page, 'kubectl expose deployment web --port=80 --type=NodePort');
  await typeCommand(page, 'sleep 30s');
  const panel = page.getByTestId('policies');
  await panel.locator('summary').click();
  await panel.getByText('No NetworkPolicy: every pod accepts every connection.').waitFor();
  return panel;
}

test('block outside traffic by clicking, see it dropped and why, then delete the policy', async () => {
  const { context, page, errors } = await openPage();
  try {
    const panel = await setUp(page);
    const now = panel.getByRole('table', { name: 'Connectivity now' });
    for (const cell of ['cell-api-web', 'cell-outside-web', 'cell-monitoring/probe-web', 'cell-web-monitoring/probe']) {
      assert.equal(await now.getByTestId(cell).textContent(), '✓', cell);
    }
    const service = page.getByTestId('service-web');
    await service.getByRole('button', { name: 'Send traffic' }).click();
    await typeCommand(page, 'sleep 5s');
    assert.match(await page.getByTestId('failed-total').textContent(), /failed \(below the line\): 0\/s/);

    // Block outside → web: the policy is written, explained and previewed, nothing applied yet.
    await panel.getByLabel('Allow or block', { exact: true }).selectOption('block');
    await panel.getByLabel('Source', { exact: true }).selectOption({ label: 'outside the cluster' });
    await panel.getByLabel('Destination', { exact: true }).selectOption({ label: 'pods of deployment web' });
    await panel.getByRole('button', { name: 'Write the policy' }).click();
    const yaml = await panel.locator('#policy-yaml').inputValue();
    assert.match(yaml, /kind: NetworkPolicy\nmetadata:\n  name: block-outside-to-web\n  namespace: default\n/);
    assert.match(yaml, /- from:\n    - namespaceSelector: \{\}\n/);
    assert.equal(
      await panel.getByTestId('policy-sentence').textContent(),
      'Selects pods app=web in namespace default. Ingress: only from all pods of every namespace on any port.',
    );
    assert.equal(await panel.getByTestId('policy-effect').textContent(), 'Changes on TCP 80: 1 allowed now → blocked, 0 blocked now → allowed.');
    const preview = panel.getByRole('table', { name: 'With this policy (outlined: cells it changes)' });
    assert.equal(await preview.getByTestId('cell-outside-web').textContent(), '✕');
    assert.equal(await preview.getByTestId('cell-api-web').textContent(), '✓');
    assert.equal(await now.getByTestId('cell-outside-web').textContent(), '✓', 'nothing changes before Apply');

    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('console output')
      .getByText('networkpolicy.networking.k8s.io/block-outside-to-web created').waitFor();
    assert.equal(await now.getByTestId('cell-outside-web').textContent(), '✕');
    assert.equal(await now.getByTestId('cell-monitoring/probe-web').textContent(), '✓');
    // The draft says it is in force (a refused one would stay, ready to fix), and closes.
    await panel.getByRole('status')
      .getByText('✓ networkpolicy default/block-outside-to-web is in force as written: the matrix above shows it.').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Apply' }).count(), 0);
    await panel.getByRole('button', { name: 'Close' }).click();
    assert.equal(await panel.locator('#policy-yaml').count(), 0);
    await now.getByTestId('cell-outside-web').focus();
    assert.equal(
      await panel.getByTestId('verdict').textContent(),
      'outside the cluster → web: dropped: ingress of the destination is isolated by default/block-outside-to-web and no rule allows it',
    );

    // The requests are dropped at web's pods, and a dropped mark says why on hover.
    await typeCommand(page, 'sleep 5s');
    assert.match(await page.getByTestId('failed-total').textContent(), /failed \(below the line\): 10\/s/);
    const mark = page.locator('.dot-failed').first();
    await mark.waitFor();
    assert.equal(await mark.textContent(), '✕ dropped');
    assert.equal(
      await mark.getAttribute('title'),
      'dropped: ingress of the destination is isolated by default/block-outside-to-web and no rule allows it',
    );

    // Delete it from the list: the matrix and the traffic recover.
    await panel.getByRole('button', { name: 'Delete networkpolicy block-outside-to-web' }).click();
    await panel.getByText('No NetworkPolicy: every pod accepts every connection.').waitFor();
    assert.equal(await now.getByTestId('cell-outside-web').textContent(), '✓');
    await typeCommand(page, 'sleep 5s');
    assert.match(await page.getByTestId('failed-total').textContent(), /failed \(below the line\): 0\/s/);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});

test('presets, the editor pointing at the line of a problem, and pods as rows', async () => {
  const { context, page, errors } = await openPage();
  try {
    const panel = await setUp(page);
    const presets = panel.getByLabel('Policy preset');
    assert.deepEqual(
      (await presets.locator('option').allTextContents()).slice(1),
      ['default-deny-ingress', 'default-deny-egress', 'allow-dns', 'allow from namespace default',
        'allow from namespace kube-node-lease',
        'allow from namespace kube-public', 'allow from namespace kube-system', 'allow from namespace monitoring'],
    );
    await presets.selectOption({ label: 'default-deny-ingress' });
    const editor = panel.locator('#policy-yaml');
    // Every connection into default's pods: web and api, from each of the four rows.
    assert.equal(await panel.getByTestId('policy-effect').textContent(), 'Changes on TCP 80: 8 allowed now → blocked, 0 blocked now → allowed.');
    // Discarded, the same preset can be chosen again.
    await panel.getByRole('button', { name: 'Discard' }).click();
    assert.equal(await presets.inputValue(), '');
    await presets.selectOption({ label: 'default-deny-ingress' });
    await editor.fill((await editor.inputValue()).replace('- Ingress', '- Ingres'));
    const problems = panel.getByTestId('policy-problems');
    assert.equal(
      await problems.textContent(),
      'line 9: spec.policyTypes[0]: Unsupported value: "Ingres": supported values: "Ingress", "Egress"',
    );
    assert.equal(await panel.locator('.gutter .bad').textContent(), '⚠  9');
    assert.equal(await editor.getAttribute('aria-invalid'), 'true');
    assert.ok(await panel.getByRole('button', { name: 'Apply' }).isDisabled());

    // Fixed, it previews; a namespace preset replaces the draft and allows only that namespace.
    await editor.fill((await editor.inputValue()).replace('- Ingres', '- Ingress'));
    await panel.getByTestId('policy-sentence').waitFor();
    await presets.selectOption({ label: 'allow from namespace monitoring' });
    assert.match(await editor.inputValue(), /name: allow-namespace-monitoring-to-namespace-default\n/);
    const preview = panel.getByRole('table', { name: 'With this policy (outlined: cells it changes)' });
    assert.equal(await preview.getByTestId('cell-monitoring/probe-web').textContent(), '✓');
    assert.equal(await preview.getByTestId('cell-api-web').textContent(), '✕');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await panel.locator('.policy-list').getByText(
      'Selects all pods in namespace default. Ingress: only from all pods of namespaces kubernetes.io/metadata.name=monitoring on any port.',
    ).waitFor();
    await panel.getByRole('status').getByText(/is in force as written/).waitFor();

    // Pods as rows and columns: each pod of web has its own row and column.
    await panel.getByLabel('Rows and columns').selectOption('pods');
    const now = panel.getByRole('table', { name: 'Connectivity now' });
    const heads = await now.locator('th[scope="col"]').allTextContents();
    assert.equal(heads.filter((h) => /^web-[a-z0-9]+-[a-z0-9]+$/.test(h)).length, 2, heads.join(' '));
    assert.ok(heads.some((h) => /^monitoring\/probe-/.test(h)), heads.join(' '));
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
