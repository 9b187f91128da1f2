// Following along: an instructor shares the session, and a student opens it as a read-only
// observer (`?observe`): the cluster, the timeline and Play are there, nothing that changes
// the cluster is. And the compact table: one line per Deployment, live, beside the cards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('a shared session opened read-only, and the table view', async () => {
  const instructor = await openPage();
  let url;
  try {
    const { page } = instructor;
    await typeCommand(page, 'kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000');
    await typeCommand(page, 'sleep 30s');
    await typeCommand(page, 'kubectl set image deployment/web flask-app=flask-app:2.0');
    await typeCommand(page, 'sleep 3s');

    // The table: one line for web, as the cluster is now.
    await page.getByRole('button', { name: 'Lessons' }).click();
    const teach = page.getByRole('complementary', { name: 'Lessons' });
    await teach.getByRole('tab', { name: 'Table' }).click();
    const row = teach.locator('.overview-main', { hasText: 'web' });
    await row.waitFor();
    assert.equal(await row.locator('td').last().textContent(), 'flask-app:2.0');
    await teach.getByText(/RollingUpdate \(surge 25%, unavailable 25%\)/).waitFor();
    await typeCommand(page, 'sleep 60s');
    await teach.getByText(/deployment "web" successfully rolled out/).waitFor();
    assert.equal(await row.locator('td').first().textContent(), '3/3');

    await page.getByRole('group', { name: 'Simulation controls' }).getByRole('button', { name: 'Share', exact: true }).click();
    const note = page.getByLabel('console output').getByText(/# Share link/);
    await note.waitFor();
    url = (await note.textContent()).match(/(http\S+#session=[A-Za-z0-9_-]+)/)[1];
    assert.deepEqual(instructor.errors, []);
  } finally {
    await instructor.context.close();
  }

  const student = await openPage(url.replace('/#session=', '/?observe#session='));
  try {
    const { page } = student;
    await page.getByTestId('deployment-web').waitFor();
    await page.getByText('flask-app:2.0').first().waitFor();
    const label = await page.locator('.brand').evaluate((e) => getComputedStyle(e, '::after').content);
    assert.equal(label, '"Read-only view"');
    // No prompt, no buttons that change the cluster; the timeline and Play remain.
    assert.equal(await page.getByLabel('kubectl console input').isVisible(), false);
    assert.equal(await page.getByTestId('deployment-web').getByRole('button', { name: 'Update image' }).isVisible(), false);
    const controls = page.getByRole('group', { name: 'Simulation controls' });
    assert.ok(await controls.getByLabel('Timeline').isVisible());
    await controls.getByRole('button', { name: /^(Play|Pause)$/ }).click();
    assert.deepEqual(student.errors, []);
  } finally {
    await student.context.close();
  }
});
