//! Building the site into `dist/`: the web crate in release for wasm32, wasm-bindgen's JS glue
//! (wasm-bindgen-cli-support used as a library, pinned to the wasm-bindgen version), wasm-opt
//! from npm's binaryen, terser for the JS glue, then `index.html` and `www/` (the stylesheet
//! minified by [`crate::css`]).

use crate::tasks::{cmd, root, run, step};
use crate::tools;
use std::fs;
use std::path::{Path, PathBuf};

/// The crate name of the web app, and so the stem of its `.js` and `.wasm` files.
pub const APP: &str = "kplay_web";

/// Builds the whole site and returns the `dist/` directory.
pub fn site() -> Result<PathBuf, String> {
    tools::wasm_target()?;
    tools::npm_tools()?;
    let root = root();
    let dist = root.join("dist");
    step("building the web app (release, wasm32)");
    run(&mut cmd(
        "cargo",
        &[
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "kplay-web",
        ],
    ))?;
    let wasm = root.join(format!("target/wasm32-unknown-unknown/release/{APP}.wasm"));
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    step("generating JS bindings (wasm-bindgen)");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)
        .map_err(|e| e.to_string())?
        // Without the default module path `init()` cannot find the .wasm (TOOLCHAIN.md).
        .omit_default_module_path(false)
        .typescript(false)
        .generate(&dist)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    step("optimising the wasm (wasm-opt -Oz, twice)");
    let bg = dist.join(format!("{APP}_bg.wasm"));
    let bg_path = bg.to_string_lossy().into_owned();
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    run(&mut cmd(
        &wasm_opt.to_string_lossy(),
        &[
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
    step("minifying the JS glue and snippets (terser) and the stylesheet");
    let terser = root.join("node_modules/.bin/terser");
    for js in js_files(&dist)? {
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
        ))?;
    }
    fs::copy(root.join("index.html"), dist.join("index.html"))
        .map_err(|e| format!("cannot copy index.html: {e}"))?;
    copy_dir(&root.join("www"), &dist.join("www"))?;
    let css = dist.join("www/style.css");
    let text =
        fs::read_to_string(&css).map_err(|e| format!("cannot read {}: {e}", css.display()))?;
    fs::write(&css, crate::css::minify(&text))
        .map_err(|e| format!("cannot write {}: {e}", css.display()))?;
    Ok(dist)
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
fn js_files(dist: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = vec![dist.join(format!("{APP}.js"))];
    let snippets = dist.join("snippets");
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
