//! Installing what the build and the tests need, from rustup, crates.io, npm and Debian only.
//! Nothing here downloads a binary from anywhere else (Playwright never fetches a browser).

use crate::tasks::{available, cmd, root, run, step};

/// Adds the wasm32 target through rustup if it is missing.
pub fn wasm_target() -> Result<(), String> {
    let installed = cmd("rustup", &["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup (is Rust installed with rustup?): {e}"))?;
    if String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target (rustup)");
    run(&mut cmd(
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
    ))
}

/// Installs the pinned npm tools (binaryen's wasm-opt, terser, playwright-core) from
/// package-lock.json.
pub fn npm_tools() -> Result<(), String> {
    let bin = root().join("node_modules/.bin");
    if ["wasm-opt", "terser", "playwright-core"]
        .iter()
        .all(|tool| bin.join(tool).exists())
    {
        return Ok(());
    }
    if !available("npm") {
        return Err(
            "npm not found: install Node.js (https://nodejs.org or `apt-get install nodejs npm`)"
                .into(),
        );
    }
    step("installing pinned npm tools (npm ci)");
    run(cmd("npm", &["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// Path of Debian's Chromium, installing it (and its driver) with apt when running as root.
pub fn chromium() -> Result<&'static str, String> {
    const CHROMIUM: &str = "/usr/bin/chromium";
    if std::path::Path::new(CHROMIUM).exists() {
        return Ok(CHROMIUM);
    }
    let install = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root() {
        return Err(format!(
            "the end-to-end tests need Debian's Chromium; run as root:\n    sudo sh -c '{install}'"
        ));
    }
    step("installing Chromium from Debian (apt-get)");
    run(&mut cmd("sh", &["-c", install]))?;
    Ok(CHROMIUM)
}

/// Builds the pinned wasm-bindgen test runner (in the `tools` profile; a no-op when fresh).
pub fn wasm_test_runner() -> Result<(), String> {
    step("building the pinned wasm-bindgen-test-runner");
    run(&mut cmd(
        "cargo",
        &[
            "build",
            "--profile",
            "tools",
            "-p",
            "wasm-bindgen-test-runner",
        ],
    ))
}

fn is_root() -> bool {
    cmd("id", &["-u"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
