// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core (which
// never downloads a browser), a fresh profile per run, and a record of console errors.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE_URL = process.env.KPLAY_URL ?? 'http://127.0.0.1:8080/';

/** Launches headless Chromium with the flags this machine needs and opens a page; `init` runs
 * in the page before its own scripts, `beforeGoto(page)` before it is loaded. */
export async function openPage(path = '', { init, beforeGoto } = {}) {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kplay-e2e-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
  if (init) await context.addInitScript(init);
  await beforeGoto?.(page);
  await page.goto(new URL(path, BASE_URL).href);
  return { context, page, errors };
}

/** Types a line into the kplay console and presses Enter. */
export async function typeCommand(page, line) {
  const input = page.getByLabel('kubectl console input');
  await input.fill(line);
  await input.press('Enter');
}

/** The browser's version as it reports itself over CDP (`HeadlessChrome/156.0.7400.0`). */
export async function browserVersion(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    return (await cdp.send('Browser.getVersion')).product;
  } finally {
    await cdp.detach();
  }
}
