// Traffic during a rollout, clicked as a learner would: expose a Deployment as a NodePort,
// switch traffic on from the Service card (the console shows the `kplay traffic` line it ran),
// update the image, and see both versions answer: in the chart's legend, in the dots that
// travel to the pods, and in the failed-requests counter of this rollout. Virtual time is
// moved with the console's `sleep` where the test only needs time to pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('traffic reaches both versions during a rollout', async () => {
  const { context, page, errors } = await openPage();
  try {
    const console_ = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000');
    await typeCommand(page, 'kubectl expose deployment web --port=80 --target-port=5000 --type=NodePort');
    await console_.getByText('service/web exposed').waitFor();
    await typeCommand(page, 'sleep 60s');
    await page.waitForFunction(() => document.querySelector('[data-testid="ready-web"]')?.textContent.trim() === '3/3');

    const service = page.getByTestId('service-web');
    const toggle = service.getByRole('button', { name: 'Send traffic' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.match(await service.textContent(), /client outside the cluster/);
    await service.getByLabel('Requests per second to web').selectOption('10');
    await toggle.click();
    await console_.getByText('kplay traffic start svc/web --rate=10 --from=outside').waitFor();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

    // Version 1.0 answers: a dot in its colour travels, and the chart's legend names it.
    const chart = page.getByTestId('traffic');
    await chart.locator('[data-version="1.0"]').waitFor();
    await page.locator('.flow .dot.c0').first().waitFor({ state: 'attached' });
    await typeCommand(page, 'sleep 5s');
    assert.match(await chart.locator('[data-version="1.0"]').textContent(), /1\.0 answered: 10\/s, \d+ in all/);
    assert.match(await chart.getByTestId('failed-total').textContent(), /failed \(below the line\): 0\/s, 0 in all/);
    assert.match(await page.getByTestId('rollout-failed-web').textContent(),
      /Failed since deployment\/web began rolling out revision 1: 0/);

    // The rollout: while it runs, both versions answer, and a pod that is not ready says it
    // gets no traffic.
    await typeCommand(page, 'kubectl set image deployment/web flask-app=flask-app:2.0');
    await console_.getByText('deployment.apps/web image updated').waitFor();
    const starting = page.locator('.traffic-on [data-testid="pod"][data-ready="false"][data-terminating="false"]').first();
    await starting.waitFor();
    assert.equal(
      await starting.evaluate((el) => getComputedStyle(el, '::after').content),
      '"no traffic"',
    );
    await chart.locator('[data-version="2.0"]').waitFor({ timeout: 60_000 });
    await page.locator('.flow .dot.c1').first().waitFor({ state: 'attached', timeout: 30_000 });
    await typeCommand(page, 'sleep 120s');
    await page.waitForFunction(() => {
      const pods = [...document.querySelectorAll('[data-testid="deployment-web"] [data-testid="pod"]')];
      return pods.length === 3 && pods.every((p) => p.dataset.image === 'flask-app:2.0' && p.dataset.ready === 'true');
    });
    assert.match(await chart.locator('[data-version="2.0"]').textContent(), /2\.0 answered: 10\/s, \d+ in all/);
    assert.match(await chart.locator('[data-version="1.0"]').textContent(), /1\.0 answered: 0\/s, \d+ in all/);
    assert.match(await page.getByTestId('rollout-failed-web').textContent(),
      /Failed since deployment\/web began rolling out revision 2: \d+/);

    await toggle.click();
    await console_.getByText('kplay traffic stop svc/web').waitFor();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
