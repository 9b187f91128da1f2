//! The workloads of `kplay-bench` under divan: `cargo bench -p kplay-bench` (add a name filter,
//! e.g. `-- rolling_update`). Each sample is one run on a fresh copy of the prepared cluster;
//! preparing and copying it are not timed. A workload whose set-up takes longer than
//! its budget ([`Workload::budget_ms`]) is left out, with a message.

use divan::Bencher;
use kplay_bench::Workload;
use std::time::Instant;

fn main() {
    divan::main();
}

/// Times `workload` on copies of one prepared cluster.
fn bench(bencher: Bencher, workload: Workload) {
    #[allow(
        clippy::disallowed_methods,
        reason = "the set-up's budget is wall-clock time; the simulation never sees it"
    )]
    let start = Instant::now();
    let spent = || start.elapsed().as_secs_f64() * 1e3 > workload.budget_ms();
    let prepared = match workload.prepare(&spent) {
        Ok(cluster) => cluster,
        Err(message) => {
            eprintln!("{} left out: set-up: {message}", workload.name());
            return;
        }
    };
    bencher
        .with_inputs(|| prepared.clone())
        .bench_local_values(|mut cluster| {
            let outcome = workload.run(&mut cluster, &|| false);
            // Returned, the cluster is dropped after the sample, untimed.
            (outcome.expect("the workload finishes"), cluster)
        });
}

/// A rolling update of 100, 1,000 and 10,000 replicas to completion.
#[divan::bench(args = [100, 1_000, 10_000], sample_count = 3, sample_size = 1)]
fn rolling_update(bencher: Bencher, replicas: i32) {
    bench(bencher, Workload::RollingUpdate { replicas });
}

/// 10 virtual seconds of 1,000 requests a second from outside the cluster.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn traffic_1000rps(bencher: Bencher) {
    bench(
        bencher,
        Workload::Traffic {
            rate: 1_000,
            seconds: 10,
        },
    );
}

/// The network-policy matrix of 200 pods under 50 policies.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn policy_matrix_200x50(bencher: Bencher) {
    bench(
        bencher,
        Workload::PolicyMatrix {
            pods: 200,
            policies: 50,
        },
    );
}
