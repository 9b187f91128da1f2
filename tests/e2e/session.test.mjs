// The session, as a learner and a course author use it: scrub the timeline back to an earlier
// moment (the cluster is replayed to it), step a second, play to watch what happened replayed;
// a reload restores the autosave; a share link opens the same moment in a fresh browser; a
// corrupt save and a broken link are reported in the console and the page keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

/** The top bar's simulation controls (play, step, speed, timeline, share). */
function controls(page) {
  return page.getByRole('group', { name: 'Simulation controls' });
}

/** Waits until Deployment web's ready count reads `text` (`4/4`). */
async function readyWeb(page, text) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="ready-web"]')?.textContent.trim() === want,
    text,
  );
}

/** The console's entries, as one text. */
async function consoleText(page) {
  return page.getByLabel('console output').textContent();
}

test('scrub back, step, replay what happened, and a reload restores the session', async () => {
  const { context, page, errors } = await openPage();
  try {
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
    await typeCommand(page, 'sleep 30s');
    await typeCommand(page, 'kubectl scale deployment web --replicas=4');
    await typeCommand(page, 'sleep 30s');
    await controls(page).getByRole('button', { name: 'Pause', exact: true }).click();
    await readyWeb(page, '4/4');

    // Back to 0:10: two replicas, as then; the console says where we are.
    const timeline = controls(page).getByLabel('Timeline');
    assert.ok(Number(await timeline.getAttribute('max')) >= 60);
    await timeline.fill('10');
    await page.getByLabel('console output').getByText(/# At 0:10 of 1:0\d: Play replays/).waitFor();
    await readyWeb(page, '2/2');
    assert.equal(await page.getByRole('timer').textContent(), '0:10');

    // One step: one second later, still paused.
    await controls(page).getByRole('button', { name: 'Step 1s', exact: true }).click();
    assert.equal(await page.getByRole('timer').textContent(), '0:11');
    assert.ok(await controls(page).getByRole('button', { name: 'Play', exact: true }).isVisible());

    // Looking around changes nothing: what came next is still there to replay.
    await typeCommand(page, 'kubectl get deployments');
    await page.getByLabel('console output').getByText(/web\s+2\/2/).waitFor();

    // Forward to 0:20 (replayed from here): still two.
    await timeline.fill('20');
    await page.getByLabel('console output').getByText(/# At 0:20 of 1:0\d/).waitFor();
    await readyWeb(page, '2/2');
    assert.equal(await page.getByRole('timer').textContent(), '0:20');

    // Play fast: the scale is replayed at its moment, in the console too.
    await controls(page).getByLabel('Speed').selectOption('16x');
    await controls(page).getByRole('button', { name: 'Play', exact: true }).click();
    await page.getByLabel('console output').getByText(/# replay at 0:3\d/).waitFor();
    await readyWeb(page, '4/4');
    assert.match(await consoleText(page), /\$ kubectl scale deployment web --replicas=4\ndeployment.apps\/web scaled/);

    // A reload restores the session where it was.
    await controls(page).getByRole('button', { name: 'Pause', exact: true }).click();
    await page.reload();
    await page.getByLabel('console output').getByText(/# Restored your session from this browser, at \d:\d\d of \d:\d\d\. Reset starts over\./).waitFor();
    await readyWeb(page, '4/4');

    // Reset starts over, and so does the next reload.
    await controls(page).getByRole('button', { name: 'Reset', exact: true }).click();
    await page.reload();
    await page.getByText('No Deployments yet').first().waitFor();
    assert.doesNotMatch(await consoleText(page), /Restored your session/);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});

test('a share link reopens the moment elsewhere; broken links and saves are explained', async () => {
  const first = await openPage();
  let url;
  try {
    await typeCommand(first.page, 'kubectl create deployment web --image=nginx:1.27 --replicas=3');
    await typeCommand(first.page, 'sleep 20s');
    await controls(first.page).getByRole('button', { name: 'Pause', exact: true }).click();
    await controls(first.page).getByRole('button', { name: 'Share', exact: true }).click();
    const note = first.page.getByLabel('console output').getByText(/# Share link/);
    await note.waitFor();
    url = (await note.textContent()).match(/(http\S+#session=[A-Za-z0-9_-]+)/)[1];
    assert.deepEqual(first.errors, [], 'no console errors');
  } finally {
    await first.context.close();
  }

  // A fresh browser (no autosave) opens the link at its moment, paused there.
  const second = await openPage(url.slice(url.indexOf('#')));
  try {
    const { page } = second;
    await page.getByLabel('console output').getByText(/# Opened the shared session at 0:2\d of 0:2\d/).waitFor();
    await readyWeb(page, '3/3');
    assert.doesNotMatch(page.url(), /#session=/, 'the link leaves the address bar');
    assert.deepEqual(second.errors, [], 'no console errors');
  } finally {
    await second.context.close();
  }

  // A damaged link: a clear message, and a fresh playground that works.
  const broken = await openPage('#session=bm90IGEgbGluaw');
  try {
    const { page } = broken;
    await page.getByLabel('console output')
      .getByText(/# This share link could not be opened: .+\. The playground starts fresh instead\./).waitFor();
    await typeCommand(page, 'kubectl get deployments');
    await page.getByLabel('console output').getByText('No resources found in default namespace.').waitFor();

    // A corrupt save is set aside (kept, not lost) and reported.
    await page.evaluate(() => localStorage.setItem('kplay.session', 'garbage'));
    await page.reload();
    await page.getByLabel('console output').getByText(
      '# Your saved session could not be read (it is not a kplay session (it should begin with "# kplay session 1")); it was set aside as kplay.session.unreadable in this site\'s storage. The playground starts fresh.',
    ).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('kplay.session.unreadable')), 'garbage');
  } finally {
    await broken.context.close();
  }
});
