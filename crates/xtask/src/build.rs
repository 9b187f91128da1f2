//! Building the site into `dist/`: the page's two Wasm modules in release for wasm32 (the
//! playground, and the lessons and tools it loads on demand into `dist/teach/`), wasm-bindgen's JS glue
//! (wasm-bindgen-cli-support used as a library, pinned to the wasm-bindgen version), wasm-opt
//! from npm's binaryen, terser for the JS glue, then `index.html` and `www/` (the stylesheet
//! minified by [`crate::css`]).

use crate::tasks::{cmd, root, run, step};
use crate::tools;
use std::fs;
use std::path::{Path, PathBuf};

/// Each Wasm module of the page: its package, the stem of its `.js` and `.wasm` files, and
/// the folder of `dist/` it goes to. The first is the playground the page loads first; the
/// second, the lessons and tools, loads when first wanted.
const MODULES: [(&str, &str, &str); 2] = [
    ("kplay-web", "kplay_web", ""),
    ("kplay-teach", "kplay_teach", "teach"),
];

/// Builds the whole site and returns the `dist/` directory.
pub fn site() -> Result<PathBuf, String> {
    tools::wasm_target()?;
    tools::npm_tools()?;
    let root = root();
    let dist = root.join("dist");
    // One module at a time: built together, cargo would unify kplay-kubectl's features and
    // give the playground the `printers` that only the lessons module carries.
    for (package, _, _) in MODULES {
        step(&format!("building {package} (release, wasm32)"));
        run(&mut cmd(
            "cargo",
            &[
                "build",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                package,
            ],
        ))?;
    }
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    for (_, stem, folder) in MODULES {
        module(&root, stem, &dist.join(folder))?;
    }
    // The page, and its service worker beside it (its scope is the folder it is in).
    for file in ["index.html", "sw.js"] {
        fs::copy(root.join(file), dist.join(file))
            .map_err(|e| format!("cannot copy {file}: {e}"))?;
    }
    terse(&root, &dist.join("sw.js"))?;
    copy_dir(&root.join("www"), &dist.join("www"))?;
    // The page's own start script, minified like the glue.
    terse(&root, &dist.join("www/boot.js"))?;
    for name in ["style.css", "teach.css"] {
        let css = dist.join("www").join(name);
        let text =
            fs::read_to_string(&css).map_err(|e| format!("cannot read {}: {e}", css.display()))?;
        fs::write(&css, crate::css::minify(&text))
            .map_err(|e| format!("cannot write {}: {e}", css.display()))?;
    }
    Ok(dist)
}

/// One Wasm module into `out`: its JS glue (wasm-bindgen), the optimised `.wasm` and the
/// minified glue and snippets. `cargo xtask bench` builds its benchmark module with it too.
pub fn module(root: &Path, stem: &str, out: &Path) -> Result<(), String> {
    let wasm = root.join(format!("target/wasm32-unknown-unknown/release/{stem}.wasm"));
    step(&format!("generating JS bindings for {stem} (wasm-bindgen)"));
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)
        .map_err(|e| e.to_string())?
        // Without the default module path `init()` cannot find the .wasm (TOOLCHAIN.md).
        .omit_default_module_path(false)
        .typescript(false)
        .generate(out)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    step(&format!("optimising {stem}'s wasm (wasm-opt -Oz, twice)"));
    let bg = out.join(format!("{stem}_bg.wasm"));
    let bg_path = bg.to_string_lossy().into_owned();
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    run(&mut cmd(
        &wasm_opt.to_string_lossy(),
        &[
            // Flattened and re-relooped first, the control flow comes out in shapes the -Oz
            // rounds fold better (0.5 KB brotli).
            "--flatten",
            "--rereloop",
            // A second round finds more to fold after the first (0.7 KB brotli).
            "-Oz",
            "-Oz",
            // Inlining a function into its only caller saves a call but renumbers its locals,
            // so the many near-identical serde instantiations stop compressing well: measured
            // 41 KB less brotli without it (and the optimisation runs twice as fast).
            "--one-caller-inline-max-function-size=0",
            // Rust's wasm memory is fresh (zero-filled) and its first kilobyte is never used
            // (the stack comes first), which lets wasm-opt drop some stores (1.5 KB brotli).
            "--low-memory-unused",
            "--zero-filled-memory",
            // Functions sorted by name sit next to their near-identical siblings (every
            // `next_value_seed`, every `visit_map`), where brotli finds them: 6.6 KB less.
            "--reorder-functions-by-name",
            // Tool and feature notes nothing reads (0.1 KB).
            "--strip-producers",
            "--strip-target-features",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            &bg_path,
            "-o",
            &bg_path,
        ],
    ))?;
    step(&format!("minifying {stem}'s JS glue and snippets (terser)"));
    for js in js_files(out, stem)? {
        terse(root, &js)?;
    }
    Ok(())
}

/// Minifies a JavaScript module in place (terser).
fn terse(root: &Path, js: &Path) -> Result<(), String> {
    let terser = root.join("node_modules/.bin/terser");
    let js_path = js.to_string_lossy().into_owned();
    run(&mut cmd(
        &terser.to_string_lossy(),
        &[
            &js_path,
            "--module",
            "--compress",
            "--mangle",
            "-o",
            &js_path,
        ],
    ))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The glue and the inline snippets wasm-bindgen wrote (`snippets/<crate>/inline0.js`).
fn js_files(out: &Path, stem: &str) -> Result<Vec<PathBuf>, String> {
    let mut files = vec![out.join(format!("{stem}.js"))];
    let snippets = out.join("snippets");
    let Ok(crates) = fs::read_dir(&snippets) else {
        return Ok(files);
    };
    for dir in crates.flatten() {
        let inner = fs::read_dir(dir.path())
            .map_err(|e| format!("cannot read {}: {e}", dir.path().display()))?;
        files.extend(
            inner
                .flatten()
                .map(|f| f.path())
                .filter(|p| p.extension().is_some_and(|e| e == "js")),
        );
    }
    Ok(files)
}
