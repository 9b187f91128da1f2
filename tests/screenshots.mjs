// Takes screenshots of the main views for a human to look at (not a test):
//   node tests/screenshots.mjs [URL] [OUT_DIR]
// Views: empty cluster, a Deployment mid-rollout, after the rollout, strategy editor,
// revision history with a rollback preview, the inspector, the YAML editor, a stuck rollout,
// phone width; a Service with traffic during a rollout, and a canary beside it.
import { mkdirSync } from 'node:fs';
import { openPage, typeCommand } from './e2e/browser.mjs';

const out = process.argv[3] ?? 'target/screenshots';
mkdirSync(out, { recursive: true });
const { context, page } = await openPage(process.argv[2] ?? '');
const card = page.getByTestId('deployment-web');
await page.getByLabel('kubectl console input').waitFor();
await page.screenshot({ path: `${out}/1-empty.png` });
await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=6 --port=5000');
await typeCommand(page, 'sleep 30s');
await typeCommand(page, 'kubectl set image deployment/web flask-app=flask-app:2.0');
await typeCommand(page, 'sleep 2s');
await page.screenshot({ path: `${out}/2-mid-rollout.png` });
await typeCommand(page, 'sleep 60s');
await typeCommand(page, 'kubectl get pods -o wide');
await page.screenshot({ path: `${out}/3-rolled-out.png` });
await card.locator('summary', { hasText: 'Strategy' }).click();
await page.getByLabel('maxSurge of web').fill('50%');
await card.screenshot({ path: `${out}/4-strategy.png` });
await card.locator('summary', { hasText: 'Revision history' }).click();
await card.getByRole('button', { name: 'Roll back to revision 1' }).click();
await card.screenshot({ path: `${out}/5-history-preview.png` });
await card.locator('[data-testid="pod"]').first().click();
await page.screenshot({ path: `${out}/6-inspector.png` });
await page.getByRole('dialog').getByRole('button', { name: 'Edit YAML' }).click();
await page.screenshot({ path: `${out}/6b-editor.png` });
await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
await card.getByRole('button', { name: 'Update to a broken image' }).click();
await typeCommand(page, 'sleep 11m');
await page.screenshot({ path: `${out}/7-stuck.png`, fullPage: true });
await page.setViewportSize({ width: 390, height: 844 });
await page.screenshot({ path: `${out}/8-phone.png`, fullPage: true });
await context.close();

// Services: traffic during a rolling update (chart, dots, failed counter) and the canary and
// blue/green panel with a canary running.
const second = await openPage(process.argv[2] ?? '');
const svcPage = second.page;
await svcPage.getByLabel('kubectl console input').waitFor();
await typeCommand(svcPage, 'kubectl create deployment web --image=nginx:1.27 --replicas=4 --port=80');
await typeCommand(svcPage, 'kubectl expose deployment web --port=80 --type=NodePort');
await typeCommand(svcPage, 'sleep 60s');
const service = svcPage.getByTestId('service-web');
await service.getByLabel('Requests per second to web').selectOption('50');
await service.getByRole('button', { name: 'Send traffic' }).click();
await typeCommand(svcPage, 'sleep 20s');
await typeCommand(svcPage, 'kubectl set image deployment/web nginx=nginx:1.28');
await typeCommand(svcPage, 'sleep 8s');
await svcPage.screenshot({ path: `${out}/9-traffic-rollout.png`, fullPage: true });
await typeCommand(svcPage, 'sleep 60s');
const panel = svcPage.getByTestId('patterns-web');
await panel.locator('summary').click();
const canary = panel.getByRole('region', { name: 'Canary' });
await canary.getByLabel('New web-canary image').selectOption({ index: 1 });
await canary.getByRole('button', { name: 'Add a canary' }).click();
await typeCommand(svcPage, 'sleep 30s');
await svcPage.screenshot({ path: `${out}/10-canary.png`, fullPage: true });
await second.context.close();
console.log(`screenshots in ${out}/`);
