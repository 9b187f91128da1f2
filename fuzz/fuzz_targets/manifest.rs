//! Any text as a manifest: parsing it, then `kubectl apply -f -` with it as standard input
//! (fed through a heredoc, as the web app's Import YAML does), applying it again (the
//! three-way merge), printing the cluster and deleting what it names, never panics.

#![no_main]

use kplay_core::Cluster;
use kplay_kubectl::{manifest, script};
use libfuzzer_sys::{fuzz_target, Corpus};

/// The commands run with the manifest as standard input, in order.
const COMMANDS: &[&str] = &[
    "kubectl apply -f -",
    "sleep 5s",
    "kubectl apply -f -",
    "kubectl create -f - --dry-run=client -o yaml",
    "kubectl get all -A -o yaml",
    "kubectl delete -f -",
    "sleep 5s",
];

fuzz_target!(|data: &[u8]| -> Corpus {
    let Some(text) = kplay_fuzz::text(data) else {
        return Corpus::Reject;
    };
    manifest::parse_placed(text);
    let source: String = COMMANDS
        .iter()
        .map(|command| {
            if command.contains(" -f -") {
                script::heredoc(command, text) + "\n"
            } else {
                format!("{command}\n")
            }
        })
        .collect();
    let parsed = script::parse(&source)
        .unwrap_or_else(|e| panic!("a heredoc of any text is a valid script line: {e}"));
    kplay_fuzz::run_bounded(&mut Cluster::new(1), &parsed);
    Corpus::Keep
});
