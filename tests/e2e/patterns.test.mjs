// Canary and blue/green from the "Canary and blue/green" panel next to a Service, clicked as a
// learner would. Each button shows its kubectl command(s) before running them, and the page
// then shows what the Service selects. Virtual time moves with the console's `sleep`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

/** Creates Deployment web (`replicas` nginx:1.27 pods) behind ClusterIP Service web. */
async function webBehindService(page, replicas) {
  const console_ = page.getByLabel('console output');
  await typeCommand(page, `kubectl create deployment web --image=nginx:1.27 --replicas=${replicas} --port=80`);
  await typeCommand(page, 'kubectl expose deployment web --port=80');
  await console_.getByText('service/web exposed').waitFor();
  await typeCommand(page, 'sleep 60s');
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="ready-web"]')?.textContent.trim() === want,
    `${replicas}/${replicas}`,
  );
  const panel = page.getByTestId('patterns-web');
  await panel.locator('summary').click();
  await panel.getByText('Kubernetes Deployments have only two strategies, RollingUpdate and Recreate.').waitFor();
  return { console_, panel };
}

test('add a canary, see its share, promote it', async () => {
  const { context, page, errors } = await openPage();
  try {
    const { console_, panel } = await webBehindService(page, 3);
    const canary = panel.getByRole('region', { name: 'Canary' });
    await canary.getByLabel('New web-canary image').selectOption('nginx:1.28');
    await canary.getByText('image: nginx:1.28').waitFor();
    const manifest = await canary.locator('pre').first().textContent();
    assert.match(manifest, /^kubectl apply -f - <<EOF\n/);
    assert.match(manifest, /name: web-canary\n/);
    assert.match(manifest, /replicas: 1\n/);
    assert.match(manifest, /labels:\n        app: web\n        track: canary\n/);
    assert.match(manifest, /image: nginx:1\.28\n/);
    await canary.getByRole('button', { name: 'Add a canary' }).click();
    await console_.getByText('deployment.apps/web-canary created').waitFor();
    await typeCommand(page, 'sleep 60s');
    await page.waitForFunction(() => document.querySelector('[data-testid="canary-share-web"]')?.textContent
      === '1 of 4 ready pods → about 25% of connections');

    const promote = 'kubectl set image deployment/web nginx=nginx:1.28\nkubectl delete deployment web-canary';
    assert.ok((await canary.locator('pre').allTextContents()).includes(promote), 'Promote shows its commands');
    await canary.getByRole('button', { name: 'Promote' }).click();
    await console_.getByText('deployment.apps/web image updated').waitFor();
    await console_.getByText('deployment.apps "web-canary" deleted').waitFor();
    await typeCommand(page, 'sleep 120s');
    await page.waitForFunction(() => {
      const pods = [...document.querySelectorAll('[data-testid="deployment-web"] [data-testid="pod"]')];
      return pods.length === 3 && pods.every((p) => p.dataset.image === 'nginx:1.28' && p.dataset.ready === 'true');
    });
    assert.equal(await page.getByTestId('deployment-web-canary').count(), 0, 'the canary is gone');
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});

test('blue/green: pin the Service to blue, prepare green, switch and switch back', async () => {
  const { context, page, errors } = await openPage();
  try {
    const { console_ } = await webBehindService(page, 2);
    const selector = () => page.getByTestId('service-web').locator('dd').nth(3).textContent();
    const blueGreen = () => page.getByTestId('patterns-web').getByRole('region', { name: 'Blue/green' });

    await blueGreen().getByRole('button', { name: 'Label blue' }).click();
    await console_.getByText('deployment.apps/web patched').waitFor();
    await typeCommand(page, 'sleep 60s');
    await blueGreen().getByText('kubectl patch service web -p \'{"spec":{"selector":{"version":"blue"}}}\'').waitFor();
    await blueGreen().getByRole('button', { name: 'Select only blue' }).click();
    await console_.getByText('service/web patched').waitFor();
    assert.equal(await selector(), 'app=web,version=blue');

    await blueGreen().getByLabel('New web-green image').selectOption('nginx:1.28');
    await blueGreen().getByRole('button', { name: 'Prepare green' }).click();
    await console_.getByText('deployment.apps/web-green created').waitFor();
    await typeCommand(page, 'sleep 60s');
    await page.waitForFunction(() => document.querySelector('[data-testid="bluegreen-live-web"]')?.textContent
      === 'The Service selects app=web,version=blue: live is deployment/web (nginx:1.27, 2/2 ready); idle is deployment/web-green (nginx:1.28, 2/2 ready).');

    // The switch moves the Service card in front of web-green; the panel follows it, open.
    await blueGreen().getByRole('button', { name: 'Switch traffic to green' }).click();
    await console_.getByText('service/web patched').nth(1).waitFor();
    assert.equal(await selector(), 'app=web,version=green');
    assert.match(await page.getByTestId('service-web').textContent(), /Sends traffic to the ready pods of deployment\/web-green/);
    await blueGreen().getByRole('button', { name: 'Switch back to blue' }).click();
    await console_.getByText('service/web patched').nth(2).waitFor();
    assert.equal(await selector(), 'app=web,version=blue');
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
