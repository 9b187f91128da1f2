//! Any text as a lesson file and each of its lines as a `kplay expect` assertion: parsing
//! never panics, and a lesson that parses is checked on a fresh cluster (its setup, each
//! step's checks before and after its solution) without panicking.

#![no_main]

use kplay_core::{Cluster, Millis};
use kplay_kubectl::script;
use kplay_lessons::{expect::Expectation, lesson};
use libfuzzer_sys::{fuzz_target, Corpus};

/// The most virtual time a lesson's scripts may sleep in all for it to be checked:
/// [`lesson::check`] runs the scripts as written, so longer ones would only slow the fuzzer.
const MAX_SLEEPS: Millis = 10 * 60_000;

fuzz_target!(|data: &[u8]| -> Corpus {
    let Some(text) = kplay_fuzz::text(data) else {
        return Corpus::Reject;
    };
    let mut cluster = Cluster::new(1);
    for line in text.lines() {
        if let Ok(expectation) = Expectation::parse(line) {
            let _ = expectation.check(&mut cluster);
        }
    }
    let Ok(parsed) = lesson::parse(text) else {
        return Corpus::Keep;
    };
    let sleeps: Millis = std::iter::once(&parsed.setup)
        .chain(parsed.steps.iter().map(|s| &s.solution))
        .filter_map(|source| script::parse(source).ok())
        .flat_map(|s| s.steps)
        .filter_map(|step| step.sleep())
        .fold(0, Millis::saturating_add);
    if sleeps <= MAX_SLEEPS {
        lesson::check(&parsed, 1);
    }
    Corpus::Keep
});
