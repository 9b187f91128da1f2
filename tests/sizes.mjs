// What the page's first load weighs: the files it fetches before anything else (from dist/)
// and their brotli size (quality 11, as a static host would serve them). Shared by
// tests/size-report.mjs (from dist/) and tests/measure-browser.mjs (as fetched by the page).
import { existsSync, readdirSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

/** The product's first-load budget, in brotli bytes: 400 KB (decimal, the stricter reading). */
export const BUDGET_BROTLI = 400_000;

/** The first-load files under dist/: the lessons module (dist/teach/) and its stylesheet
 * load only when first wanted, sw.js after the page has loaded. */
export function firstLoadFiles() {
  const files = ['index.html', 'www/style.css', 'www/boot.js', 'kplay_web.js', 'kplay_web_bg.wasm'];
  // wasm-bindgen's inline JavaScript snippets, which the glue imports at load.
  const snippets = new URL('../dist/snippets/', import.meta.url);
  if (existsSync(snippets)) {
    for (const entry of readdirSync(snippets, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) {
        files.push(`${entry.parentPath ?? entry.path}/${entry.name}`.split('/dist/')[1]);
      }
    }
  }
  return files;
}

/** The brotli size (quality 11) of `data`. */
export function brotliSize(data) {
  return brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length;
}
