// Exposing a Deployment from the page: the Expose form shows the `kubectl expose` command it
// runs, and the Service is drawn in front of the Deployment with the ClusterIP (from
// 10.96.0.0/12) and the NodePort (30000-32767) the API server allocated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('expose a Deployment as a NodePort Service', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=2 --port=5000');
    const card = page.getByTestId('deployment-web');
    await card.locator('summary', { hasText: 'Expose as a Service' }).click();
    await page.getByLabel('Service type for web').selectOption('NodePort');
    const command = 'kubectl expose deployment web --port=80 --target-port=5000 --type=NodePort';
    await card.getByText(command).waitFor();
    await card.getByRole('button', { name: 'Expose' }).click();
    await console_.getByText(command).waitFor();
    await console_.getByText('service/web exposed').waitFor();

    const service = page.getByTestId('service-web');
    await service.waitFor();
    const facts = await service.locator('dd').allTextContents();
    const [clusterIp, externalIp, ports, selector] = facts;
    assert.match(clusterIp, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/, 'a ClusterIP from 10.96.0.0/12');
    assert.equal(externalIp, '<none>');
    const nodePort = Number(ports.match(/^80:(\d+)\/TCP$/)?.[1]);
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${ports}`);
    assert.equal(selector, 'app=web');
    assert.match(await service.textContent(), new RegExp(`from outside on port ${nodePort} of every node`));
    assert.match(await service.textContent(), /Sends traffic to the ready pods of deployment\/web/);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
