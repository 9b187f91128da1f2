//! `cargo xtask bench [NAME...]`: the simulation's benchmark workloads (crates/bench) natively
//! and in Wasm in headless Chromium, with the Wasm/native ratio of each. In order: divan's
//! benchmarks (`cargo bench -p kplay-bench --bench workloads`), the native timing binary (release), then the
//! workloads built for wasm32 in release and optimised as the page's modules are
//! ([`build::module`]), served and timed in Chromium by `tests/bench-wasm.mjs`. Both sides
//! time the same runs the same way (`kplay_bench::measure`), so the table compares like with
//! like. Not part of `cargo xtask test`.

use crate::tasks::{cmd, root, run, run_captured, step};
use crate::{build, serve, tools};
use std::fs;

/// The page that loads the benchmark module (the favicon link avoids a request that fails).
const PAGE: &str = "<!doctype html><meta charset=\"utf-8\"><title>kplay bench</title><link rel=\"icon\" href=\"data:,\">\n";

/// Runs everything, or the workloads `names` (divan's benchmarks only without names).
pub fn run_all(names: &[String]) -> Result<(), String> {
    tools::wasm_target()?;
    tools::npm_tools()?;
    let chromium = tools::chromium()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    if names.is_empty() {
        step("native benchmarks (divan: cargo bench -p kplay-bench --bench workloads)");
        run(&mut cmd(
            "cargo",
            &["bench", "-p", "kplay-bench", "--bench", "workloads"],
        ))?;
    }
    step("native timings (release)");
    run(&mut cmd(
        "cargo",
        &["build", "--release", "-p", "kplay-bench"],
    ))?;
    let binary = root().join("target/release/kplay-bench");
    let binary = binary.to_string_lossy();
    let listed = if names.is_empty() {
        run_captured(&mut cmd(&binary, &["--list"]))?.0
    } else {
        names.join("\n")
    };
    // One process each: a workload that panics (`panic = "abort"`) takes no other down.
    let mut native = String::new();
    for name in listed.lines() {
        let (output, _) = run_captured(&mut cmd(&binary, &[name]))?;
        if !output.contains(&format!("bench native {name} ")) {
            let line = format!("bench native {name} failed: the process ended without a report");
            println!("{line}");
            native.push_str(&line);
            native.push('\n');
        }
        native.push_str(&output);
    }

    step("building the workloads for wasm32 (release)");
    run(&mut cmd(
        "cargo",
        &[
            "rustc",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "kplay-bench",
            "--lib",
            "--crate-type",
            "cdylib",
        ],
    ))?;
    let root = root();
    let out = root.join("target/bench-wasm");
    build::module(&root, "kplay_bench", &out)?;
    fs::write(out.join("index.html"), PAGE).map_err(|e| format!("cannot write the page: {e}"))?;
    let url = serve::spawn(out)?;
    step(&format!(
        "the workloads in Wasm in headless Chromium ({url})"
    ));
    let mut script = vec!["tests/bench-wasm.mjs"];
    script.extend(&names);
    let (wasm, _) = run_captured(
        cmd("node", &script)
            .env("KPLAY_URL", &url)
            .env("CHROMIUM", chromium),
    )?;

    step("Wasm / native (medians)");
    println!("{}", table(&native, &wasm));
    Ok(())
}

/// The ratio table from both sides' report lines (`bench PLATFORM NAME median_ms=M ...`, or
/// `bench PLATFORM NAME failed: ...`): one row per workload, in the native side's order.
fn table(native: &str, wasm: &str) -> String {
    let natives = medians(native, "native");
    let wasms = medians(wasm, "wasm");
    let mut rows = vec![format!(
        "{:<24} {:>12} {:>12} {:>10}",
        "workload", "native ms", "wasm ms", "wasm/native"
    )];
    let mut names: Vec<&str> = natives.iter().map(|(name, _)| *name).collect();
    for (name, _) in &wasms {
        if !names.contains(name) {
            names.push(name);
        }
    }
    for name in names {
        let find = |side: &[(&str, Option<f64>)]| side.iter().find(|(n, _)| *n == name)?.1;
        let (n, w) = (find(&natives), find(&wasms));
        let shown = |ms: Option<f64>| ms.map_or("failed".to_string(), |ms| format!("{ms:.1}"));
        let ratio = match (n, w) {
            (Some(n), Some(w)) if n > 0.0 => format!("{:.2}", w / n),
            _ => "-".to_string(),
        };
        rows.push(format!(
            "{name:<24} {:>12} {:>12} {ratio:>10}",
            shown(n),
            shown(w)
        ));
    }
    rows.join("\n")
}

/// Each workload's median in `output` for `platform`, `None` where it failed.
fn medians<'a>(output: &'a str, platform: &str) -> Vec<(&'a str, Option<f64>)> {
    let prefix = format!("bench {platform} ");
    output
        .lines()
        .filter_map(|line| line.trim().strip_prefix(&prefix))
        .filter_map(|rest| {
            let mut words = rest.split_whitespace();
            let name = words.next()?;
            let median = words
                .find_map(|w| w.strip_prefix("median_ms="))
                .and_then(|ms| ms.parse().ok());
            Some((name, median))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_pairs_both_sides_and_shows_failures() {
        let native = "bench native a/1 median_ms=2.000 min_ms=1 max_ms=3 runs=7 allowed=4\n\
                      bench native b/2 failed: set-up: out of time\n";
        let wasm =
            "Chromium 156\nbench wasm a/1 median_ms=3.000 min_ms=1 max_ms=3 runs=7 allowed=4\n";
        let rows: Vec<String> = table(native, wasm)
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            rows,
            [
                "workload native ms wasm ms wasm/native",
                "a/1 2.0 3.0 1.50",
                "b/2 failed failed -",
            ]
        );
    }
}
