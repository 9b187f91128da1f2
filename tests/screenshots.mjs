// Takes screenshots of the main views for a human to look at (not a test):
//   node tests/screenshots.mjs [URL] [OUT_DIR]
// Views: empty cluster, a Deployment mid-rollout, after the rollout, phone width.
import { mkdirSync } from 'node:fs';
import { openPage, typeCommand } from './e2e/browser.mjs';

const out = process.argv[3] ?? 'target/screenshots';
mkdirSync(out, { recursive: true });
const { context, page } = await openPage(process.argv[2] ?? '');
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
await page.setViewportSize({ width: 390, height: 844 });
await page.screenshot({ path: `${out}/4-phone.png`, fullPage: true });
await context.close();
console.log(`screenshots in ${out}/`);
