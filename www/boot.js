// The page's start: the playground module at once; the lessons module (dist/teach/) only when
// first wanted: the Lessons button, a `?lesson=` or `?scenario=` address, or a shortcut. The shortcuts that
// drive the playground work before it loads; the lessons module handles its own (n, p).
import init from '../kplay_web.js';

// A bug that panics traps the Wasm module, which cannot go on: instead of a frozen page, say
// so and offer the last autosave (every command and every virtual second is saved). Built
// with textContent only: the panic's words are never read as HTML.
const recover = (error) => {
  if (document.querySelector('.crash')) return;
  const el = (tag, text = '', className = '') => Object.assign(document.createElement(tag), { textContent: text, className });
  const button = (text, act) => Object.assign(el('button', text, 'btn'), { type: 'button', onclick: act });
  const dialog = el('div', '', 'dialog crash');
  dialog.role = 'alertdialog';
  dialog.ariaLabel = 'kplay stopped';
  const restore = button('Restore last autosave', () => location.reload());
  const actions = el('p', '', 'dialog-actions');
  dialog.append(
    el('h2', 'kplay stopped: a bug in the simulation'),
    el('p', 'Your work is saved at every command and every virtual second. Restoring reloads the page from the last save; if the same bug comes back, start fresh (the save is kept aside, not deleted).'),
    el('pre', String(globalThis.kplayPanic ?? error)),
    actions,
  );
  actions.append(restore, button('Start fresh', () => {
    try {
      localStorage.setItem('kplay.session.unreadable', localStorage.getItem('kplay.session') ?? '');
      localStorage.removeItem('kplay.session');
    } catch {
      // No storage (a sandboxed frame): a reload starts fresh anyway.
    }
    location.reload();
  }));
  const overlay = el('div', '', 'overlay crash-overlay');
  overlay.append(dialog);
  document.body.append(overlay);
  restore.focus();
};
const trapped = (error) => error instanceof WebAssembly.RuntimeError && recover(error);
addEventListener('error', (e) => trapped(e.error));
addEventListener('unhandledrejection', (e) => trapped(e.reason));
init().catch(recover);
let teach;
const loadTeach = () => (teach ??= import('../teach/kplay_teach.js').then((m) => m.default()));
document.getElementById('teach-open').addEventListener('click', () => loadTeach());
// `kubectl describe` is answered by the lessons module (the playground's module leaves it
// out): the first ask loads it with its panel folded; asks wait in kplayAsks until it runs.
addEventListener('kplay-ask', (e) => {
  if (document.documentElement.classList.contains('teach-loaded')) return;
  (globalThis.kplayAsks ??= []).push(e.detail);
  globalThis.kplayTeachQuiet ??= !teach;
  loadTeach().catch((error) => {
    for (const ask of globalThis.kplayAsks.splice(0)) {
      const [id, , , line] = ask.split('\n');
      const detail = `answer\n${id}\nerror\n$ ${line}\n# kubectl describe comes with the lessons module, which could not load: ${error}\n`;
      dispatchEvent(new CustomEvent('kplay-do', { detail }));
    }
  });
});
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
