// Every shipped lesson completed in the page as a learner completes it: open it, start it,
// answer each prediction, do the step (typed into the console for some lessons, with "Run them
// for me" for others: the checks read the cluster, not the typing), see the step's checks go
// from "not yet" to met, go on. Then progress survives a reload, a lesson loads from an
// address, a broken lesson address is reported, and one lesson is done with the keyboard only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { openPage, typeCommand } from './browser.mjs';

const LESSONS = new URL('../../www/lessons/', import.meta.url);

/** A lesson file's steps: title, the starred prediction, the solution script. */
function steps(name) {
  const found = [];
  let section = 'setup';
  for (const line of readFileSync(new URL(`${name}.kplay`, LESSONS), 'utf8').split('\n')) {
    if (line.startsWith('#: step ')) {
      found.push({ title: line.slice(8), answer: null, solution: '' });
      section = 'solution';
    } else if (line.startsWith('#: predict ')) {
      const answer = line.split('|').slice(1).map((o) => o.trim()).find((o) => o.startsWith('*'));
      found.at(-1).answer = answer.slice(1);
    } else if (line.startsWith('#: check')) {
      section = 'check';
    } else if (section === 'solution' && !line.startsWith('#:')) {
      found.at(-1).solution += `${line}\n`;
    }
  }
  return found;
}

/** The lessons panel. */
function panel(page) {
  return page.getByRole('complementary', { name: 'Lessons' });
}

/** Does lesson `name` in the page, typing the solutions or clicking "Run them for me". */
async function complete(page, name, typed) {
  const lesson = steps(name);
  const teach = panel(page);
  // Run for the learner, a step's commands leave its waits to the clock: fast forward.
  if (!typed) await page.getByLabel('Speed').selectOption('16x');
  await teach.getByRole('button', { name: 'Start the lesson' }).click();
  for (const [index, step] of lesson.entries()) {
    await teach.getByText(`Step ${index + 1} of ${lesson.length}`).waitFor();
    await teach.getByRole('heading', { name: step.title, exact: true }).waitFor();
    if (step.answer) {
      // The commands show only once a prediction is made.
      assert.equal(await teach.getByText('Show the commands').count(), 0, `${name}: ${step.title}`);
      await teach.getByRole('button', { name: step.answer, exact: true }).click();
    }
    // Before the step, its checks are not all met.
    await teach.getByLabel('Checks').getByLabel('not yet').first().waitFor();
    assert.equal(await teach.getByText('✓ Step done.').count(), 0, `${name}: ${step.title} done before`);
    if (typed) {
      await typeCommand(page, step.solution.trimEnd());
    } else {
      await teach.getByText('Show the commands').click();
      await teach.getByRole('button', { name: 'Run them for me' }).click();
    }
    await teach.getByText('✓ Step done.').waitFor({ timeout: 60_000 });
    assert.equal(await teach.getByLabel('Checks').getByLabel('not yet').count(), 0);
    if (step.answer) await teach.getByText(`You predicted right: ${step.answer}.`).waitFor();
    const last = index + 1 === lesson.length;
    await teach.getByRole('button', { name: last ? 'Finish the lesson' : 'Next step' }).click();
  }
  await teach.getByText(`✓ Lesson complete: all ${lesson.length} steps done.`).waitFor();
}

const names = readdirSync(LESSONS).filter((f) => f.endsWith('.kplay')).map((f) => f.slice(0, -6)).sort();

for (const [index, name] of names.entries()) {
  test(`lesson ${name} is completed in the page`, async () => {
    const { context, page, errors } = await openPage(`?lesson=${name}`);
    try {
      await complete(page, name, index % 2 === 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('progress survives a reload; lessons load from an address; a bad address is reported', async () => {
  const { context, page, errors } = await openPage();
  try {
    await page.getByRole('button', { name: 'Lessons' }).click();
    const teach = panel(page);
    const first = names.includes('deployments') ? 'deployments' : names[0];
    const [step] = steps(first);
    await teach.getByRole('button', { name: /^Deployments: create, scale/ }).click();
    await teach.getByRole('button', { name: 'Start the lesson' }).click();
    if (step.answer) await teach.getByRole('button', { name: step.answer, exact: true }).click();
    await typeCommand(page, step.solution.trimEnd());
    await teach.getByText('✓ Step done.').waitFor();

    // A reload: the lesson list remembers, and the lesson offers to continue.
    await page.goto(new URL(`?lesson=${first}`, page.url()).href);
    await panel(page).getByRole('button', { name: 'Continue at step 2' }).click();
    await panel(page).getByText(`Step 2 of ${steps(first).length}`).waitFor();

    // A lesson file given by address (here the shipped file itself, fetched).
    await page.goto(new URL(`?lesson=www/lessons/${first}.kplay`, page.url()).href);
    await panel(page).getByRole('button', { name: 'Start the lesson' }).waitFor();

    // An address that is not there: said plainly, the panel and the page keep working.
    await page.goto(new URL('?lesson=www/lessons/missing.kplay', page.url()).href);
    await panel(page).getByRole('alert').getByText(/could not be loaded: the server answered 404/).waitFor();
    assert.ok(await panel(page).getByRole('button', { name: /^Deployments: create, scale/ }).isVisible());
    assert.deepEqual(errors.filter((e) => !e.includes('404')), []);
  } finally {
    await context.close();
  }
});

/** Presses Tab until the focused element's text or label matches `name`. */
async function tabTo(page, name) {
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement;
      return `${el?.getAttribute('aria-label') ?? ''} ${el?.textContent ?? ''}`.trim();
    });
    if (name.test(label)) return;
  }
  throw new Error(`no element ${name} reached with Tab`);
}

test('a lesson done with the keyboard only', async () => {
  const { context, page, errors } = await openPage();
  try {
    const name = 'deployments';
    const lesson = steps(name);
    await page.getByLabel('kubectl console input').waitFor();
    await page.keyboard.press('l');
    await panel(page).waitFor();
    // Fast forward, with the keyboard too: the speed list, then its last choice (16x).
    await tabTo(page, /16x/);
    await page.keyboard.press('End');
    assert.equal(await page.getByLabel('Speed').inputValue(), '7');
    await tabTo(page, /^Deployments: create, scale/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Start the lesson$/);
    await page.keyboard.press('Enter');
    for (const [index, step] of lesson.entries()) {
      await panel(page).getByText(`Step ${index + 1} of ${lesson.length}`).waitFor();
      if (step.answer) {
        await tabTo(page, new RegExp(`^${step.answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
        await page.keyboard.press('Enter');
      }
      await tabTo(page, /^Show the commands$/);
      await page.keyboard.press('Enter');
      await tabTo(page, /^Run them for me$/);
      await page.keyboard.press('Enter');
      await panel(page).getByText('✓ Step done.').waitFor({ timeout: 60_000 });
      await page.keyboard.press('n');
    }
    await panel(page).getByText(/✓ Lesson complete/).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
