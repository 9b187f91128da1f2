//! `cargo xtask`: the project's build tool, in Rust, so that the two commands in the README need
//! nothing but rustup and Node.js.
//!
//! - `cargo xtask serve [--port N]` builds the site into `dist/` and serves it on 127.0.0.1.
//! - `cargo xtask build` builds the site into `dist/` and prints its size report.
//! - `cargo xtask test` runs every check and test that CI runs (`.ci/run` calls it).
//! - `cargo xtask bench [NAME...]` times the simulation's workloads natively and in Wasm in
//!   headless Chromium, with the Wasm/native ratios.
//! - `cargo xtask measure` measures the page in headless Chromium against its budgets.

mod bench;
mod build;
mod css;
mod measure;
mod serve;
mod tasks;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask <serve [--port N] | build | test | bench [NAME...] | measure>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => port_arg(&args[1..]).and_then(serve::run),
        Some("build") => build::site().map(|_| ()),
        Some("test") => test::run(),
        Some("bench") => bench::run_all(&args[1..]),
        Some("measure") if args.len() == 1 => measure::run_page(),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn port_arg(args: &[String]) -> Result<u16, String> {
    match args {
        [] => Ok(8080),
        [flag, value] if flag == "--port" => value
            .parse()
            .map_err(|_| format!("--port needs a number, got {value:?}")),
        _ => Err(USAGE.to_string()),
    }
}
