// Size report of every file the page loads first: raw and brotli (quality 11) bytes.
// `--check` fails when the total brotli size exceeds the product's budget of 400 KB.
// Issue 2 asked for 300 KB during the skeleton; the typed Kubernetes API (k8s-openapi's serde
// code and jiff) keeps the build above that (see ARCHITECTURE.md, "Decisions, with numbers").
// Usage: node tests/size-report.mjs [--check]   (after `cargo xtask build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET_BROTLI = 400 * 1024;
// The lessons module (dist/teach/) and its stylesheet load only when first wanted.
const FIRST_LOAD = ['index.html', 'www/style.css', 'www/boot.js', 'kplay_web.js', 'kplay_web_bg.wasm'];
// wasm-bindgen's inline JavaScript snippets, which the glue imports at load.
const snippets = new URL('../dist/snippets/', import.meta.url);
if (existsSync(snippets)) {
  for (const entry of readdirSync(snippets, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      FIRST_LOAD.push(`${entry.parentPath ?? entry.path}/${entry.name}`.split('/dist/')[1]);
    }
  }
}

let rawTotal = 0;
let brTotal = 0;
console.log('file                    raw bytes   brotli bytes');
for (const file of FIRST_LOAD) {
  const data = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const br = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length;
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
