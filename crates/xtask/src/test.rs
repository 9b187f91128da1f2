//! `cargo xtask test`: every check CI runs, in order, cheapest first. Prints one
//! `N passed, N failed` line at the end that counts every test of every runner.

use crate::tasks::{self, cmd, root, run_captured, step};
use crate::{build, serve, tools};

/// Tests counted across runners.
#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Adds the counts of cargo's `test result: ok. N passed; M failed` lines and of node's
    /// test runner `# pass N` / `# fail N` lines.
    fn add_output(&mut self, output: &str) {
        for line in output.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("test result: ") {
                self.passed += count_before(rest, " passed");
                self.failed += count_before(rest, " failed");
            } else if let Some(n) = line.strip_prefix("# pass ") {
                self.passed += n.trim().parse::<u64>().unwrap_or(0);
            } else if let Some(n) = line.strip_prefix("# fail ") {
                self.failed += n.trim().parse::<u64>().unwrap_or(0);
            }
        }
    }
}

/// The number just before `label` in `text` (`"ok. 12 passed; 0 failed"`, `" passed"` → 12).
fn count_before(text: &str, label: &str) -> u64 {
    text.find(label)
        .and_then(|end| text[..end].rsplit([' ', '.']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Runs all checks; stops at the first failing step.
pub fn run() -> Result<(), String> {
    let mut tally = Tally::default();
    let result = run_steps(&mut tally);
    println!("\n{} passed, {} failed", tally.passed, tally.failed);
    result
}

fn run_steps(tally: &mut Tally) -> Result<(), String> {
    tools::wasm_target()?;
    step("cargo fmt --check");
    tasks::run(&mut cmd("cargo", &["fmt", "--all", "--", "--check"]))?;

    step("clippy (native, all targets)");
    tasks::run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    step("clippy (wasm32, the page's two modules)");
    tasks::run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "-p",
            "kplay-web",
            "-p",
            "kplay-teach",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    ))?;

    step("native tests");
    captured(
        tally,
        &mut cmd(
            "cargo",
            &[
                "test",
                "--workspace",
                "--exclude",
                "xtask",
                "--exclude",
                "wasm-bindgen-test-runner",
            ],
        ),
    )?;

    tools::wasm_test_runner()?;
    step("wasm tests (wasm-bindgen-test, in Node.js)");
    captured(
        tally,
        &mut cmd(
            "cargo",
            &[
                "test",
                "-p",
                "kplay-core",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "wasm_determinism",
            ],
        ),
    )?;

    let dist = build::site()?;
    step("size budget");
    tasks::run(&mut cmd("node", &["tests/size-report.mjs", "--check"]))?;

    let chromium = tools::chromium()?;
    let url = serve::spawn(dist)?;
    step(&format!("end-to-end tests in headless Chromium ({url})"));
    captured(
        tally,
        cmd("node", &["--test", "--test-reporter=tap", "tests/e2e/"])
            .env("KPLAY_URL", &url)
            .env("CHROMIUM", chromium)
            .current_dir(root()),
    )?;
    Ok(())
}

fn captured(tally: &mut Tally, command: &mut std::process::Command) -> Result<(), String> {
    let (output, ok) = run_captured(command)?;
    tally.add_output(&output);
    if ok {
        Ok(())
    } else {
        Err("tests failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_cargo_and_node_lines() {
        let mut tally = Tally::default();
        tally.add_output(
            "test result: ok. 12 passed; 0 failed; 0 ignored\n\
             test result: FAILED. 3 passed; 2 failed; 0 ignored\n# pass 4\n# fail 1\n",
        );
        assert_eq!((tally.passed, tally.failed), (19, 3));
    }
}
