// `kubectl describe` typed in the playground: its module leaves describe out (to keep the
// first load small), so the lessons module answers it on a replay of the session, as it
// answers `kubectl rollout history --revision=N` (a pod template, written by describe's code)
// and `-o jsonpath` or `-o custom-columns`.
// The learner sees the usual output in the console, with the lessons panel still folded away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, typeCommand } from './browser.mjs';

test('describe answers in the console, from the moment it was typed, without opening the lessons', async () => {
  const { context, page, errors } = await openPage();
  try {
    const output = page.getByLabel('console output');
    await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
    await typeCommand(page, 'sleep 20s');
    await typeCommand(page, 'kubectl describe deployment web');
    await output.getByText(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/).waitFor();
    const text = await output.textContent();
    assert.match(text, /\$ kubectl describe deployment web\nName:\s+web\nNamespace:\s+default\n/);
    assert.match(text, /StrategyType:\s+RollingUpdate/);
    assert.doesNotMatch(text, /# Loading…/);
    // The panel loaded folded: its own launcher instead of the page's, no drawer open.
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('teaching')), false);
    await page.getByRole('button', { name: 'Lessons', exact: true }).waitFor();
    // Scaled, then described in the same line: the answer is of that moment.
    await typeCommand(page, 'kubectl scale deployment web --replicas=3\nkubectl describe deploy web');
    await output.getByText(/Replicas:\s+3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable/).waitFor();
    // One revision's pod template is describe's code too: answered the same way.
    await typeCommand(page, 'kubectl rollout history deployment/web --revision=1');
    await output.getByText(/with revision #1/).waitFor();
    assert.match(await output.textContent(), /deployment\.apps\/web with revision #1\nPod Template:\n  Labels:\tapp=web\n/);
    // The template printers too: a read, then a change made here whose text comes from there.
    await typeCommand(page, 'kubectl get deploy web -o jsonpath={.spec.replicas}');
    await output.getByText(/^\$ kubectl get deploy web -o jsonpath=\{\.spec\.replicas\}\n3$/).waitFor();
    await typeCommand(page, 'kubectl scale deploy web --replicas=4 -o jsonpath={.metadata.name}');
    await output.getByText(/^\$ kubectl scale deploy web --replicas=4 -o jsonpath=\{\.metadata\.name\}\nweb$/).waitFor();
    await typeCommand(page, 'kubectl get deploy web');
    await output.getByText(/^web\s+\d\/4\s/m).waitFor();
    // An error is styled as one.
    await typeCommand(page, 'kubectl describe deployment nope');
    const failed = output.locator('.out-error', { hasText: 'Error from server (NotFound): deployments.apps "nope" not found' });
    await failed.waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
