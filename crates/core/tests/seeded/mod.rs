//! The property tests' configuration, shared by the test files that `mod seeded;` it.

use proptest::test_runner::{Config, RngSeed};

/// `cases` cases from a fixed seed, so a run is reproducible (and CI never meets a new case
/// by chance); `PROPTEST_RNG_SEED=N` explores another sequence.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: std::env::var("PROPTEST_RNG_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(RngSeed::Fixed(1)),
        ..Config::default()
    }
}
