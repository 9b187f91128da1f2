// The page's start: the playground module at once; the lessons module (dist/teach/) only when
// first wanted: the Lessons button, a `?lesson=` or `?scenario=` address, or a shortcut. The shortcuts that
// drive the playground work before it loads; the lessons module handles its own (n, p).
import init from '../kplay_web.js';

init();
let teach;
const loadTeach = () => (teach ??= import('../teach/kplay_teach.js').then((m) => m.default()));
document.getElementById('teach-open').addEventListener('click', () => loadTeach());
const query = new URLSearchParams(location.search);
if (query.has('lesson') || query.has('scenario')) loadTeach();
// A read-only observer (`?observe`): watch, replay and scrub, change nothing.
if (query.has('observe')) document.documentElement.classList.add('observe');
// Embedded in a course page (`?embed`): no page chrome, and `panels=controls,cluster,console`
// (any of them) picks what shows.
if (query.has('embed')) {
  const root = document.documentElement.classList;
  root.add('embed');
  const panels = query.get('panels')?.split(',');
  if (panels) for (const panel of ['controls', 'cluster', 'console']) if (!panels.includes(panel)) root.add(`no-${panel}`);
}

// Offline after the first visit (sw.js); not where there is no service worker (a sandboxed
// frame, plain http on another host). The worker keeps what this first load fetched.
addEventListener('load', () => {
  try {
    const workers = navigator.serviceWorker;
    workers.register('sw.js').then(() => workers.ready).then((r) => r.active.postMessage(
      [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)],
    )).catch(() => {});
  } catch {
    // Reading navigator.serviceWorker throws in a sandboxed frame: no offline copy there.
  }
});

const order = (detail) => dispatchEvent(new CustomEvent('kplay-do', { detail }));
addEventListener('keydown', (e) => {
  const typing = e.target.closest?.('input, textarea, select, [contenteditable]');
  if (e.ctrlKey || e.metaKey || e.altKey || typing) return;
  if (e.key === ' ' || e.key === 'k') {
    // Space on a button presses that button.
    if (e.key === ' ' && e.target.closest?.('button, a, summary')) return;
    e.preventDefault();
    order('play');
  } else if (e.key === '.') {
    order('step');
  } else if (['l', 'n', 'p'].includes(e.key) && !document.documentElement.classList.contains('teach-loaded')) {
    // The lessons module handles n and p itself once running; until then it gets the key
    // it was loaded for.
    if (e.key !== 'l') globalThis.kplayTeachKey = e.key;
    loadTeach();
  }
});
