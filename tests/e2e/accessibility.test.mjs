// An automated accessibility check (axe-core, from npm) of the page as a learner sees it:
// a Deployment behind a Service with traffic, and each tab of the lessons panel. Serious and
// critical violations fail the test, each listed with the elements it found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { openPage, typeCommand } from './browser.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The serious and critical violations on the page now, as readable lines. */
async function violations(page) {
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

test('no serious accessibility violations in the playground and the lessons panel', async () => {
  const { context, page, errors } = await openPage();
  try {
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000');
    await typeCommand(page, 'kubectl expose deployment web --type=NodePort --port=80 --target-port=5000');
    await typeCommand(page, 'sleep 30s');
    // Traffic once the pods are ready: no failed-request marks fading in or out, whose
    // contrast mid-animation would depend on the moment axe looks.
    await typeCommand(page, 'kplay traffic start svc/web --rate=5');
    await typeCommand(page, 'sleep 2s');
    // Evaluated by the test driver: the page's Content-Security-Policy forbids an inline
    // <script> (which addScriptTag would add), rightly.
    await page.evaluate(readFileSync(axePath, 'utf8'));
    assert.deepEqual(await violations(page), [], 'the playground');

    await page.getByRole('button', { name: 'Lessons' }).click();
    const teach = page.getByRole('complementary', { name: 'Lessons' });
    for (const tab of ['Lessons', 'Strategies', 'Classroom', 'Export']) {
      await teach.getByRole('tab', { name: tab }).click();
      assert.deepEqual(await violations(page), [], `the ${tab} tab`);
    }
    await teach.getByRole('tab', { name: 'Lessons' }).click();
    await teach.getByRole('button', { name: /^Deployment strategies/ }).click();
    await teach.getByRole('button', { name: 'Start the lesson' }).click();
    await teach.getByText('Step 1 of 4').waitFor();
    assert.deepEqual(await violations(page), [], 'a lesson step');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
