//! Any text as a kplay script: parsing it and running its steps (kubectl commands, `sleep`,
//! `kplay` actions) on a fresh cluster never panics.

#![no_main]

use kplay_core::Cluster;
use kplay_kubectl::script;
use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    let Some(text) = kplay_fuzz::text(data) else {
        return Corpus::Reject;
    };
    script::is_incomplete(text);
    if let Ok(parsed) = script::parse(text) {
        for step in &parsed.steps {
            step.kubectl_args();
            step.changes_cluster();
            step.moves_clock();
        }
        kplay_fuzz::run_bounded(&mut Cluster::new(1), &parsed);
    }
    Corpus::Keep
});
