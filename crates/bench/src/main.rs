//! `kplay-bench [NAME...]`: times the workloads natively exactly as the Wasm build times them
//! in the browser ([`kplay_bench::measure`]), one report line each; every workload without
//! names, each within its budget ([`Workload::budget_ms`]). `kplay-bench --list` prints the names. `cargo xtask bench` runs it (in release) for the
//! Wasm/native ratios.

use kplay_bench::{measure, Workload, ALL};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let names: Vec<String> = std::env::args().skip(1).collect();
    if names == ["--list"] {
        for workload in ALL {
            println!("{}", workload.name());
        }
        return ExitCode::SUCCESS;
    }
    let chosen: Vec<Workload> = if names.is_empty() {
        ALL.to_vec()
    } else {
        match names.iter().map(|n| Workload::named(n).ok_or(n)).collect() {
            Ok(chosen) => chosen,
            Err(name) => {
                let known: Vec<String> = ALL.iter().map(Workload::name).collect();
                eprintln!("no workload {name} (known: {})", known.join(", "));
                return ExitCode::FAILURE;
            }
        }
    };
    let mut failed = false;
    for workload in chosen {
        let start = start();
        match measure(
            &workload,
            "native",
            &|| millis_since(start),
            workload.budget_ms(),
        ) {
            Ok(line) => println!("{line}"),
            Err(message) => {
                println!("bench native {} failed: {message}", workload.name());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[allow(
    clippy::disallowed_methods,
    reason = "times the host running the simulation; the simulation never sees it"
)]
fn start() -> Instant {
    Instant::now()
}

fn millis_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1_000.0
}
