// Times the benchmark workloads (crates/bench) in Wasm in headless Chromium: the module that
// `cargo xtask bench` builds and serves (KPLAY_URL) is loaded in a page, and each workload is
// timed there on performance.now(), one report line each, as the native binary prints them.
// Usage: cargo xtask bench   (it builds the module, serves it and runs this script)
// Workload names as arguments pick some; without any, all of them.
import { browserVersion, openPage } from './e2e/browser.mjs';

const { context, page, errors } = await openPage();
// A fresh instance of the module in the page (a panic traps it: panic = "abort").
const load = () => page.evaluate(async () => {
  const bench = await import(`./kplay_bench.js?${performance.now()}`);
  await bench.default();
  globalThis.bench = bench;
});
let failed = false;
try {
  await load();
  const names = process.argv.length > 2 ? process.argv.slice(2) : await page.evaluate(() => bench.names());
  console.log(await browserVersion(page));
  for (const name of names) {
    const line = await page.evaluate((n) => {
      try {
        return bench.measure(n);
      } catch (error) {
        return `bench wasm ${n} failed: ${error}`;
      }
    }, name);
    console.log(line.replaceAll('\n', ' '));
    if (line.includes(' failed: ')) {
      failed = true;
      await page.reload();
      await load();
    }
  }
  if (errors.length > 0) console.log(`page errors: ${errors.join('; ')}`);
} finally {
  await context.close();
}
process.exit(failed ? 1 : 0);
