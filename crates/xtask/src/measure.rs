//! `cargo xtask measure`: builds the site, serves it on a free port and runs
//! `tests/measure-browser.mjs` against it in headless Chromium (frame times during rollouts,
//! interaction latency, first interactive render, first-load transfer size, each next to its
//! budget). The script reports and never fails on timings; the server stops with the command.
//! Not part of `cargo xtask test`.

use crate::tasks::{cmd, run, step};
use crate::{build, serve, tools};

/// Builds, serves and measures.
pub fn run_page() -> Result<(), String> {
    let dist = build::site()?;
    let chromium = tools::chromium()?;
    let url = serve::spawn(dist)?;
    step(&format!("measuring the page in headless Chromium ({url})"));
    run(cmd("node", &["tests/measure-browser.mjs"])
        .env("KPLAY_URL", &url)
        .env("CHROMIUM", chromium))
}
