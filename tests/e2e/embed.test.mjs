// Embedding as a course author does it: a page on another origin with a sandboxed iframe
// (scripts only: no storage, an opaque origin) of `?embed&lesson=...&panels=...`. The lesson
// loads and can be done inside the frame, the hidden panels are hidden, and the page says
// that it cannot keep the session instead of failing. The embed dialog writes that snippet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BASE_URL, openPage } from './browser.mjs';

/** Serves `html` at / on another port of this machine: another origin. */
async function coursePage(html) {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

test('a sandboxed cross-origin iframe runs a lesson with only the chosen panels', async () => {
  const src = new URL('?embed&lesson=deployments&panels=cluster,console', BASE_URL).href;
  const { server, url } = await coursePage(`<!doctype html><title>My course</title>
    <h1>Week 3: Deployments</h1>
    <iframe src="${src}" title="kplay" width="1100" height="800" style="border:0" sandbox="allow-scripts"></iframe>`);
  const { context, page, errors } = await openPage(url);
  try {
    const frame = page.frameLocator('iframe');
    const teach = frame.getByRole('complementary', { name: 'Lessons' });
    await teach.getByRole('heading', { name: /^Deployments: create, scale/ }).waitFor();
    // No storage in the sandbox: said once, and the page works on.
    await frame.getByLabel('console output').getByText(/cannot use the browser's storage here/).waitFor();
    assert.equal(await frame.getByRole('group', { name: 'Simulation controls' }).isVisible(), false);
    assert.ok(await frame.getByLabel('kubectl console input').isVisible());

    await teach.getByRole('button', { name: 'Start the lesson' }).click();
    await teach.getByText('Step 1 of 4').waitFor();
    const answer = teach.locator('.predict-option').first();
    if (await answer.count()) await answer.click();
    await teach.getByText('Show the commands').click();
    await teach.getByRole('button', { name: 'Run them for me' }).click();
    await teach.getByText('✓ Step done.').waitFor({ timeout: 60_000 });
    await teach.getByText('This browser does not keep your progress here').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('the embed dialog writes the snippet for what was chosen', async () => {
  const { context, page, errors } = await openPage();
  try {
    await page.getByRole('button', { name: 'Lessons' }).click();
    const teach = page.getByRole('complementary', { name: 'Lessons' });
    await teach.getByRole('tab', { name: 'Classroom' }).click();
    const dialog = teach.getByRole('region', { name: 'Embed in a course page' });
    await dialog.getByLabel('Start with').selectOption({ label: 'Strategy: Recreate: stop everything, then start the new version' });
    await dialog.getByLabel('the top bar (play, speed, timeline)').uncheck();
    await dialog.getByLabel('Height (px)').fill('600');
    await dialog.getByLabel('Height (px)').press('Enter');
    await dialog.getByLabel('Height (px)').blur();
    const snippet = await dialog.getByLabel('Embed snippet').inputValue();
    assert.equal(
      snippet,
      `<iframe src="${new URL(BASE_URL).origin}/?embed&amp;scenario=recreate&amp;panels=cluster,console" title="kplay: a Kubernetes playground" width="100%" height="600" style="border: 0" sandbox="allow-scripts"></iframe>`,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
