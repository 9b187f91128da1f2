// The built site works offline after the first visit: its service worker keeps what the
// first load fetched (and the lessons module once opened), and a reload without network
// brings the playground and its lessons back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

/** Waits until the service worker's cache holds `path` (relative to the page). */
async function kept(page, path) {
  await page.waitForFunction(async (p) => {
    const cache = await caches.open('kplay-1');
    return Boolean(await cache.match(new URL(p, location.href)));
  }, path, { timeout: 30_000 });
}

test('a reload without network works after the first visit', async () => {
  const { context, page, errors } = await openPage();
  try {
    await page.getByLabel('kubectl console input').waitFor();
    await kept(page, 'kplay_web_bg.wasm');
    await kept(page, 'www/style.css');
    await page.getByRole('button', { name: 'Lessons' }).click();
    await page.getByRole('complementary', { name: 'Lessons' }).waitFor();
    await kept(page, 'teach/kplay_teach_bg.wasm');

    await context.setOffline(true);
    await page.reload();
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27');
    await page.getByLabel('console output').getByText('deployment.apps/web created').waitFor();
    await page.getByRole('button', { name: 'Lessons' }).click();
    await page.getByRole('complementary', { name: 'Lessons' })
      .getByRole('button', { name: /^Deployments: create, scale/ }).waitFor();
    assert.deepEqual(errors.filter((e) => !e.startsWith('request failed')), []);
  } finally {
    await context.close();
  }
});
