// Size report of every file the page loads first: raw and brotli (quality 11) bytes.
// `--check` fails when the total brotli size exceeds the product's budget of 400 KB.
// Issue 2 asked for 300 KB during the skeleton; the typed Kubernetes API (k8s-openapi's serde
// code and jiff) keeps the build above that (see ARCHITECTURE.md, "Decisions, with numbers").
// Usage: node tests/size-report.mjs [--check]   (after `cargo xtask build`)
import { readFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { BUDGET_BROTLI, brotliSize, firstLoadFiles } from './sizes.mjs';

let rawTotal = 0;
let brTotal = 0;
console.log('file                    raw bytes   brotli bytes');
for (const file of firstLoadFiles()) {
  const data = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const br = brotliSize(data);
  rawTotal += data.length;
  brTotal += br;
  console.log(`${file.padEnd(22)} ${String(data.length).padStart(10)} ${String(br).padStart(14)}`);
}
console.log(`${'total'.padEnd(22)} ${String(rawTotal).padStart(10)} ${String(brTotal).padStart(14)}`);
// Registered once the page has loaded, so not part of the first load.
const worker = readFileSync(new URL('../dist/sw.js', import.meta.url));
console.log(`after load: sw.js ${worker.length} raw bytes, ${brotliCompressSync(worker).length} brotli (not counted)`);
console.log(`budget: ${BUDGET_BROTLI} brotli bytes (${(100 * brTotal / BUDGET_BROTLI).toFixed(1)}% used)`);
if (process.argv.includes('--check') && brTotal > BUDGET_BROTLI) {
  console.error(`size budget exceeded: ${brTotal} > ${BUDGET_BROTLI} brotli bytes`);
  process.exit(1);
}
