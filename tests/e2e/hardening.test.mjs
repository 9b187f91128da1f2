// Hostile input and failure, as a careless or malicious user meets them: 300 pods stay light
// (a DOM budget), absurd numbers and YAML bombs get kubectl's errors and change nothing, a
// multi-document manifest succeeds or fails document by document, user text never becomes
// HTML, the page's Content-Security-Policy is never violated and nothing leaves for another
// origin, and a crash of the simulation shows a way back to the last autosave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

/** The console's entries, as one text. */
async function consoleText(page) {
  return page.getByLabel('console output').textContent();
}

/** Opens the page with a record of CSP violations and of every request's address. */
async function openWatched(path = '') {
  const opened = await openPage('about:blank');
  const requests = [];
  opened.page.on('request', (r) => requests.push(r.url()));
  await opened.page.addInitScript(() => {
    globalThis.cspViolations = [];
    addEventListener('securitypolicyviolation', (e) => globalThis.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await opened.page.goto(new URL(path, process.env.KPLAY_URL ?? 'http://127.0.0.1:8080/').href);
  await opened.page.getByLabel('kubectl console input').waitFor();
  return { ...opened, requests };
}

test('300 pods with traffic stay under 1,500 elements, drawn compact and still labelled', async () => {
  const { context, page, errors } = await openWatched();
  try {
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.0 --replicas=300');
    await typeCommand(page, 'kubectl expose deployment web --port=80 --type=NodePort');
    await typeCommand(page, 'kplay traffic start svc/web --rate=50');
    await typeCommand(page, 'sleep 60s');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-ready="true"]').length === 300);
    const elements = () => page.evaluate(() => document.querySelectorAll('*').length);
    assert.ok(await elements() < 1500, `${await elements()} elements with 300 pods`);
    // Mid-rollout (about 375 pods of two versions): still under budget, and no crash (a
    // deletion ranking that is not a total order once made the sort panic here).
    await typeCommand(page, 'kubectl set image deployment/web nginx=nginx:1.1');
    await typeCommand(page, 'sleep 4s');
    await page.waitForFunction(() => document.querySelectorAll('[data-image="nginx:1.1"]').length > 0);
    assert.ok(await elements() < 1500, `${await elements()} elements mid-rollout`);
    await typeCommand(page, 'sleep 120s');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-image="nginx:1.1"][data-ready="true"]').length === 300);
    assert.equal(await page.getByRole('alertdialog').count(), 0);
    // Each pod is one square that still says what it is, and still opens the inspector.
    const first = page.locator('[data-testid="pod"]').first();
    assert.match(await first.getAttribute('aria-label'), /^nginx:1\.1 web-[a-z0-9]+-[a-z0-9]{5} Running on kplay-worker\d?, ready$/);
    assert.equal(await first.locator("*").count(), 0);
    await first.click();
    await page.getByRole('dialog').getByText(/^kind: Pod$/m).waitFor();
    await page.keyboard.press('Escape');
    // Scaled back down, pods are tiles with their words again.
    await typeCommand(page, 'kubectl scale deployment web --replicas=3');
    await typeCommand(page, 'sleep 60s');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"]').length === 3);
    assert.match(await page.locator('[data-testid="pod"]').first().textContent(), /nginx:1\.1 web-/);
    assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('absurd numbers and YAML bombs get kubectl errors and change nothing', async () => {
  const { context, page, errors } = await openWatched();
  try {
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.0 --replicas=2');
    await typeCommand(page, 'kubectl scale deployment web --replicas=999999999');
    await page.getByLabel('console output').getByText('The Deployment "web" is invalid: spec.replicas: Invalid value: 999999999: must be less than or equal to 1000 (kplay\'s limit)').waitFor();
    // A billion laughs, pasted into the console.
    const lines = ['a0: &a0 lol'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    await typeCommand(page, `kubectl apply -f - <<EOF\n${lines.join('\n')}\nEOF`);
    await page.getByLabel('console output').getByText(/yaml: document contains excessive aliasing/).waitFor();
    // Nested 200 deep.
    await typeCommand(page, `kubectl apply -f - <<EOF\nkind: ConfigMap\ndata: ${'['.repeat(200)}${']'.repeat(200)}\nEOF`);
    await page.getByLabel('console output').getByText(/yaml: exceeded max depth of 100 \(kplay's limit\)/).waitFor();
    // Names longer than the API allows.
    await typeCommand(page, `kubectl create deployment ${'a'.repeat(254)} --image=nginx`);
    await page.getByLabel('console output').getByText(/metadata.name: Invalid value: "a+": must be no more than 253 characters/).waitFor();
    await typeCommand(page, `kubectl label deployment web ${'k'.repeat(64)}=v`);
    await page.getByLabel('console output').getByText(/name part must be no more than 63 characters/).waitFor();
    await typeCommand(page, 'sleep 30s');
    await typeCommand(page, 'kubectl get deployments');
    await page.getByLabel('console output').getByText(/^web\s+2\/2\s+2\s+2\s/m).waitFor();
    assert.equal(await page.locator('[data-testid^="deployment-"]').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('each document of a manifest succeeds or fails on its own, as kubectl apply does', async () => {
  const { context, page, errors } = await openWatched();
  try {
    const manifest = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Not_Valid',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: third',
    ].join('\n---\n');
    await typeCommand(page, `kubectl apply -f - <<EOF\n${manifest}\nEOF`);
    await page.getByLabel('console output').getByText('namespace/third created').waitFor();
    const text = await consoleText(page);
    assert.match(text, /namespace\/first created/);
    assert.match(text, /The Namespace "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid"/);
    await typeCommand(page, 'kubectl get namespaces -o name');
    await page.getByLabel('console output').getByText(/namespace\/first\s+namespace\/kube-node-lease/).waitFor();
    assert.doesNotMatch(await consoleText(page), /namespace\/Not_Valid\n/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('user text is shown as text, never run as HTML, and nothing is sent to another origin', async () => {
  const { context, page, errors, requests } = await openWatched();
  try {
    const hostile = '<img src=x onerror="globalThis.pwned=1"><b>bold</b>';
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.0');
    await typeCommand(page, `kubectl annotate deployment web note='${hostile}'`);
    await typeCommand(page, `kubectl get pods ${hostile}`);
    await page.locator('[data-testid="deployment-web"]').getByRole('button', { name: /^deployment\/web/ }).first().click();
    await page.getByRole('dialog').getByText(hostile, { exact: false }).first().waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => globalThis.pwned), undefined);
    assert.equal(await page.locator('#app img, #app b').count(), 0);
    // A share link is made in the page (the session rides in the address's fragment), and
    // the lessons module loads from the same origin.
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByLabel('console output').getByText(/#session=/).waitFor();
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await page.locator('html.teach-loaded').waitFor({ state: 'attached' });
    const origin = new URL(page.url()).origin;
    const elsewhere = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && url !== 'about:blank');
    assert.deepEqual(elsewhere, []);
    assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a crash shows a recovery message that restores the last autosave', async () => {
  const { context, page } = await openWatched();
  try {
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.0 --replicas=2');
    await page.locator('[data-testid="deployment-web"]').waitFor();
    // What a Rust panic becomes in the browser: the module traps with a RuntimeError that
    // reaches the window uncaught.
    await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
    const dialog = page.getByRole('alertdialog', { name: 'kplay stopped' });
    await dialog.getByText('RuntimeError: unreachable').waitFor();
    assert.ok(await dialog.getByRole('button', { name: 'Restore last autosave' }).evaluate((b) => b === document.activeElement));
    await dialog.getByRole('button', { name: 'Restore last autosave' }).click();
    await page.getByLabel('console output').getByText(/Restored your session from this browser/).waitFor();
    await page.locator('[data-testid="deployment-web"]').waitFor();
    assert.equal(await page.getByRole('alertdialog').count(), 0);
    // Start fresh keeps the save aside rather than deleting it.
    await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
    await page.getByRole('alertdialog').getByRole('button', { name: 'Start fresh' }).click();
    await page.getByLabel('kubectl console input').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="deployment-web"]'));
    assert.match(await page.evaluate(() => localStorage.getItem('kplay.session.unreadable')), /kubectl create deployment web/);
  } finally {
    await context.close();
  }
});
