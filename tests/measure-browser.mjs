// Measures the page in headless Chromium and prints each number next to its budget:
// - script time per frame (p50/p95/max, from a Chromium trace: the renderer main thread's
//   script events summed per frame) and long animation frames (PerformanceObserver
//   'long-animation-frame') during a rolling update with 100, 300 and 1,000 pods on screen
//   and traffic on, with the page's DOM element count;
// - interaction latency: a click on the Deployment's "+" (scale) and a console command with
//   Enter, each from the input event to the first frame painted after the change shows
//   (MutationObserver, then the task after the next animation frame), with the Event Timing
//   API's duration beside it;
// - time to first interactive render (the console input on screen and enabled, painted),
//   median of 5 fresh loads;
// - the first load's transfer size: every file the page fetched, brotli-compressed.
// Usage: cargo xtask measure   (builds and serves dist/ and runs this), or, against a served
// dist/: KPLAY_URL=http://127.0.0.1:8765/ node tests/measure-browser.mjs
// A measuring script, not a test: it reports and exits 0 whatever the timings.
import { browserVersion, openPage, typeCommand } from './e2e/browser.mjs';
import { BUDGET_BROTLI, brotliSize, firstLoadFiles } from './sizes.mjs';

const POD_COUNTS = [100, 300, 1000];
// The rollout is watched for this long at 1x (a rolling update of 100 pods takes about 8
// virtual seconds).
const WINDOW_MS = 10_000;
const LOADS = 5;
const INTERACTIONS = 5;
// The playground's limit on replicas: at it, the "−" button is measured instead of "+".
const MAX_REPLICAS = 1000;
// An interaction whose change has not shown after this long is reported as such.
const GIVE_UP_MS = 10_000;
// Typed into the console one after the other (each line new, so that its echo is the change).
const COMMANDS = ['kubectl get deployment web', 'kubectl get service web', 'kubectl get deployment web -o name',
  'kubectl get service web -o name', 'kubectl get namespaces'];
const BUDGET = { scriptP95: 8, scale: 100, firstRender: 1000 };

// Renderer main-thread trace events that run script, and those that style, lay out and paint.
const SCRIPT = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule',
  'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'EventDispatch', 'RunMicrotasks', 'V8.Execute']);
const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest']);

/** Runs in every page before its scripts: long animation frames, Event Timing entries and the
 * moment the console input is first on screen, enabled and painted. */
function observe() {
  const seen = { loafs: [], events: [], interactive: null };
  globalThis.kplayMeasure = seen;
  const watch = (type, keep, options = {}) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach((e) => seen[keep].push({
        name: e.name, start: e.startTime, duration: e.duration, blocking: e.blockingDuration ?? 0,
      }))).observe({ type, buffered: true, ...options });
    } catch {
      // An entry type this browser does not support stays empty.
    }
  };
  watch('long-animation-frame', 'loafs');
  watch('event', 'events', { durationThreshold: 16 });
  const ready = () => {
    const input = document.querySelector('[aria-label="kubectl console input"]');
    return input && !input.disabled && input.getClientRects().length > 0;
  };
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    const inDom = performance.now();
    globalThis.kplayAfterPaint().then((painted) => { seen.interactive = { inDom, painted }; });
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  // Resolves with the time of the task after the next frame: the frame has been painted.
  globalThis.kplayAfterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
}

const ms = (x) => {
  if (x === Infinity) return `over ${GIVE_UP_MS} ms`;
  return x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`;
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (values) => quantile([...values].sort((a, b) => a - b), 0.5);
const verdict = (value, ok) => (ok(value) ? 'OK' : 'OVER');

/** Intervals [start, end) of the complete events named in `names`, overlaps merged (script
 * events nest: a FunctionCall inside a FireAnimationFrame counts once). */
function merged(events, names) {
  const spans = events.filter((e) => e.ph === 'X' && names.has(e.name)).map((e) => [e.ts, e.ts + (e.dur ?? 0)]);
  spans.sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [start, end] of spans) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Milliseconds of `spans` inside each frame (from one BeginMainThreadFrame to the next). */
function perFrame(spans, frames) {
  const totals = frames.slice(0, -1).map(() => 0);
  let i = 0;
  for (const [start, end] of spans) {
    while (i < totals.length && frames[i + 1] <= start) i++;
    for (let f = i; f < totals.length && frames[f] < end; f++) {
      totals[f] += Math.max(0, Math.min(end, frames[f + 1]) - Math.max(start, frames[f])) / 1000;
    }
  }
  return totals;
}

/** Per-frame script and rendering time on the page's renderer main thread in `events`. */
function frameTimes(events) {
  const threads = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') threads.set(`${e.pid}:${e.tid}`, 0);
  }
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (threads.has(key) && SCRIPT.has(e.name)) threads.set(key, threads.get(key) + 1);
  }
  const main = [...threads].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main);
  const frames = onMain.filter((e) => e.name === 'BeginMainThreadFrame').map((e) => e.ts).sort((a, b) => a - b);
  return {
    frames: Math.max(0, frames.length - 1),
    script: perFrame(merged(onMain, SCRIPT), frames),
    render: perFrame(merged(onMain, RENDER), frames),
  };
}

/** Records a Chromium trace (devtools.timeline) while `during` runs; returns its events. */
async function trace(page, during) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame', 'v8.execute'],
    },
  });
  await during();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return events;
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] };
};

/** The virtual clock in the header (`m:ss` or `h:mm:ss`), in seconds. */
const virtualSeconds = async (page) => (await page.locator('.clock-value').textContent())
  .trim().split(':').reduce((total, part) => total * 60 + Number(part), 0);

/** Elements in the page and pod tiles among them. */
const domCounts = (page) => page.evaluate(() => ({
  elements: document.getElementsByTagName('*').length,
  pods: document.querySelectorAll('[data-testid="pod"], [data-pod-name]').length,
}));

/** Latency of one interaction: watches `root` until the text of `shows` includes `text`,
 * performs `act`, and returns the input event's time to that change in the DOM and to the next
 * painted frame, with the Event Timing duration of `eventName`. */
async function latency(page, { root, shows, text, eventName, act }) {
  await page.evaluate(({ root, shows, text, eventName, giveUp }) => {
    // The page's CSP allows no eval: the test is data, not code.
    const test = () => document.querySelector(shows)?.textContent.includes(text);
    const state = { input: null };
    addEventListener(eventName, (e) => { state.input ??= e.timeStamp; }, { capture: true, once: true });
    globalThis.kplayLatency = new Promise((resolve) => {
      setTimeout(() => {
        observer.disconnect();
        resolve({ input: state.input, dom: Infinity, painted: Infinity, timedOut: true });
      }, giveUp);
      const observer = new MutationObserver(() => {
        if (state.input === null || !test()) return;
        observer.disconnect();
        const dom = performance.now();
        globalThis.kplayAfterPaint().then((painted) => resolve({ input: state.input, dom: dom - state.input, painted: painted - state.input }));
      });
      observer.observe(document.querySelector(root), { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }, { root, shows, text, eventName, giveUp: GIVE_UP_MS });
  await act();
  const result = await page.evaluate(() => kplayLatency);
  // Event Timing reports an event once its frame is presented, and only above 16 ms.
  await page.waitForTimeout(200);
  const entry = await page.evaluate(({ name, input }) => kplayMeasure.events
    .find((e) => e.name === name && Math.abs(e.start - input) < 1), { name: eventName, input: result.input });
  return { ...result, eventTiming: entry?.duration };
}

/** A rollout of `pods` replicas under traffic, watched for WINDOW_MS; then the interactions. */
async function rollout(pods) {
  const { context, page, errors } = await openPage('', { init: observe });
  try {
    const output = page.getByLabel('console output');
    await page.getByLabel('kubectl console input').waitFor();
    await typeCommand(page, `kubectl create deployment web --image=nginx:1.0 --replicas=${pods}`);
    await typeCommand(page, 'kubectl expose deployment web --port=80 --type=NodePort');
    await output.getByText('service/web exposed').waitFor();
    await typeCommand(page, 'sleep 60s');
    await typeCommand(page, 'kplay traffic start svc/web --rate=100 --from=outside');
    await page.waitForTimeout(1000);
    const before = await domCounts(page);
    const virtualBefore = await virtualSeconds(page);
    const t0 = await page.evaluate(() => performance.now());
    const events = await trace(page, async () => {
      await typeCommand(page, 'kubectl set image deployment/web nginx=nginx:1.1');
      await page.waitForTimeout(WINDOW_MS);
    });
    const t1 = await page.evaluate(() => performance.now());
    // How fast virtual time went at 1x: below 1 when frames ran out of time for the simulation.
    const rate = (await virtualSeconds(page) - virtualBefore) / ((t1 - t0) / 1000);
    const during = await domCounts(page);
    const loafs = await page.evaluate(({ t0, t1 }) => kplayMeasure.loafs.filter((l) => l.start >= t0 && l.start <= t1), { t0, t1 });
    const ready = (await page.getByTestId('ready-web').textContent()).trim();
    const { frames, script, render } = frameTimes(events);

    const scales = [];
    const button = pods < MAX_REPLICAS ? 'Scale up' : 'Scale down';
    for (let i = 0; i < INTERACTIONS; i++) {
      const replicas = Number((await page.getByTestId('ready-web').textContent()).split('/')[1]);
      scales.push(await latency(page, {
        root: '[data-testid="deployment-web"]',
        // READY shows the new replica count.
        shows: '[data-testid="ready-web"]',
        text: `/${button === 'Scale up' ? replicas + 1 : replicas - 1}`,
        eventName: 'click',
        act: () => page.getByRole('button', { name: button }).click(),
      }));
    }
    const commands = [];
    const input = page.getByLabel('kubectl console input');
    for (const line of COMMANDS) {
      await input.fill(line);
      commands.push(await latency(page, {
        root: '[aria-label="console output"]',
        shows: '[aria-label="console output"]',
        text: line,
        eventName: 'keydown',
        act: () => input.press('Enter'),
      }));
    }
    return { pods, ready, rate, before, during, frames, script: summary(script), render: summary(render), loafs, button, scales, commands, errors };
  } finally {
    await context.close();
  }
}

/** Fresh loads: time to the first interactive render; the first load's files as fetched. */
async function firstLoads() {
  const renders = [];
  const paints = [];
  let fetched = [];
  for (let i = 0; i < LOADS; i++) {
    const responses = [];
    const { context, page } = await openPage('', {
      init: observe,
      beforeGoto: (p) => p.on('response', (r) => responses.push(r)),
    });
    try {
      await page.waitForFunction(() => kplayMeasure.interactive !== null);
      await page.waitForLoadState('networkidle');
      const { interactive, fcp } = await page.evaluate(() => ({
        interactive: kplayMeasure.interactive,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      }));
      renders.push(interactive.painted);
      paints.push(fcp);
      if (i === 0) {
        fetched = await Promise.all(responses.filter((r) => r.status() === 200).map(async (r) => {
          const body = await r.body();
          return { path: new URL(r.url()).pathname.slice(1) || 'index.html', raw: body.length, brotli: brotliSize(body) };
        }));
      }
    } finally {
      await context.close();
    }
  }
  return { renders, paints, fetched };
}

const version = await openPage().then(async ({ context, page }) => {
  try {
    return await browserVersion(page);
  } finally {
    await context.close();
  }
});
console.log(version);

const loads = await firstLoads();
const render = median(loads.renders);
console.log(`\nfirst interactive render (console input on screen, enabled, painted), ${LOADS} fresh loads:`);
console.log(`  median ${ms(render)} (min ${ms(Math.min(...loads.renders))}, max ${ms(Math.max(...loads.renders))}); first contentful paint median ${ms(median(loads.paints))}`);
console.log(`  budget < ${BUDGET.firstRender} ms: ${verdict(render, (v) => v < BUDGET.firstRender)}`);

console.log('\nfirst-load transfer size (brotli -q 11 of every file fetched before the page settled):');
let total = 0;
for (const f of loads.fetched) {
  // The service worker registers after the load (sw.js), not part of it.
  const after = f.path === 'sw.js';
  if (!after) total += f.brotli;
  console.log(`  ${f.path.padEnd(40)} ${String(f.raw).padStart(9)} raw ${String(f.brotli).padStart(8)} brotli${after ? ' (after load, not counted)' : ''}`);
}
console.log(`  total ${total} bytes brotli (${(total / 1000).toFixed(1)} KB); size budget ${BUDGET_BROTLI / 1000} KB: ${verdict(total, (v) => v <= BUDGET_BROTLI)}`);
const listed = new Set(firstLoadFiles());
const unlisted = loads.fetched.map((f) => f.path).filter((p) => p !== 'sw.js' && !listed.has(p));
if (unlisted.length > 0) console.log(`  fetched but not in tests/size-report.mjs's list: ${unlisted.join(', ')}`);

for (const pods of POD_COUNTS) {
  let r;
  try {
    r = await rollout(pods);
  } catch (error) {
    // A page too busy to answer (Playwright's 30 s timeouts) is a result too, not a failure.
    console.log(`\nrolling update, ${pods} replicas: not measured: ${String(error).split('\n')[0]}`);
    continue;
  }
  console.log(`\nrolling update, ${pods} replicas, traffic 100/s from outside, ${WINDOW_MS / 1000} s at 1x (READY ${r.ready} at the end):`);
  console.log(`  virtual time moved at ${r.rate.toFixed(2)}x (1x chosen; slower when frames ran out of time for the simulation)`);
  console.log(`  DOM: ${r.before.elements} elements and ${r.before.pods} pod tiles before, ${r.during.elements} and ${r.during.pods} at the end`);
  console.log(`  script per frame: p50 ${ms(r.script.p50)}, p95 ${ms(r.script.p95)}, max ${ms(r.script.max)} over ${r.frames} frames` +
    (pods === 300 ? `; budget p95 <= ${BUDGET.scriptP95} ms: ${verdict(r.script.p95, (v) => v <= BUDGET.scriptP95)}` : ''));
  console.log(`  style, layout and paint per frame: p50 ${ms(r.render.p50)}, p95 ${ms(r.render.p95)}, max ${ms(r.render.max)}`);
  const blocking = r.loafs.reduce((sum, l) => sum + l.blocking, 0);
  console.log(`  long animation frames: ${r.loafs.length} (longest ${ms(Math.max(0, ...r.loafs.map((l) => l.duration)))}, blocking ${ms(blocking)} in all)`);
  const line = (label, samples, budget) => {
    const late = samples.filter((s) => s.timedOut).length;
    if (late > 0) console.log(`  ${label}: ${late} of ${samples.length} showed no change within ${GIVE_UP_MS / 1000} s`);
    const painted = median(samples.map((s) => s.painted));
    const timing = samples.map((s) => (s.eventTiming === undefined ? '<16' : s.eventTiming.toFixed(0))).join(', ');
    console.log(`  ${label}: to the DOM median ${ms(median(samples.map((s) => s.dom)))}, to the next frame median ${ms(painted)} (max ${ms(Math.max(...samples.map((s) => s.painted)))}); Event Timing durations ${timing} ms` +
      (budget ? `; budget < ${budget} ms: ${verdict(painted, (v) => v < budget)}` : ''));
  };
  line(`scale "${r.button === 'Scale up' ? '+' : '−'}" click to first visible change`, r.scales, BUDGET.scale);
  line('console command Enter to its output', r.commands);
  if (r.errors.length > 0) console.log(`  page errors: ${r.errors.length}, the first: ${r.errors[0].slice(0, 200)}`);
}
