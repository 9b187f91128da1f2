// Measures the time from navigation to the first interactive render (the console input is
// on screen and enabled) in headless Chromium, over several fresh page loads.
// Usage: cargo xtask serve &  then  node tests/measure-first-render.mjs [URL] [runs]
// A measuring script, not a test: timings vary by machine, so it prints numbers and never fails.
import { openPage } from './e2e/browser.mjs';

const runs = Number(process.argv[3] ?? 5);
const samples = [];
for (let i = 0; i < runs; i++) {
  const { context, page } = await openPage(process.argv[2] ?? '');
  await page.getByLabel('kubectl console input').waitFor({ state: 'visible' });
  const ms = await page.evaluate(() => performance.now());
  samples.push(ms);
  await context.close();
}
samples.sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)];
console.log(`first interactive render: median ${median.toFixed(0)} ms over ${runs} loads (min ${samples[0].toFixed(0)}, max ${samples[samples.length - 1].toFixed(0)})`);
