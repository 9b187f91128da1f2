//! Bad input gets kubectl's error and changes nothing; no input makes kubectl panic.

use kplay_core::Cluster;
use kplay_kubectl::{printers::yaml::to_yaml, run, script};
use proptest::prelude::*;

/// Words that reach deep into the commands, mixed with arbitrary text.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "get",
            "create",
            "apply",
            "scale",
            "set",
            "image",
            "delete",
            "rollout",
            "status",
            "deployment",
            "deploy",
            "rs",
            "pods",
            "po",
            "all",
            "ns",
            "svc",
            "no",
            "web",
            "deployment/web",
            "pod/x",
            "-o",
            "yaml",
            "json",
            "wide",
            "name",
            "-l",
            "app=web",
            "-n",
            "default",
            "-A",
            "--show-labels",
            "--replicas=2",
            "--replicas",
            "-1",
            "--image=nginx",
            "web=nginx:2",
            "*=x",
            "-f",
            "-",
            "--timeout=1s",
            "--watch=false",
            "--",
            "-",
            "=",
            "/",
            ",",
            "",
            "-Ao",
            "--port=80",
            "nginx=",
        ])
        .prop_map(str::to_string),
        ".{0,12}",
    ]
}

proptest! {
    // A fixed seed keeps CI reproducible; PROPTEST_RNG_SEED=N explores other sequences.
    #![proptest_config(ProptestConfig {
        cases: 400,
        rng_seed: std::env::var("PROPTEST_RNG_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(proptest::test_runner::RngSeed::Fixed(1)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn kubectl_never_panics(args in prop::collection::vec(word(), 0..7), stdin in ".{0,40}") {
        let mut cluster = Cluster::new(1);
        let setup: Vec<String> = ["create", "deployment", "web", "--image=nginx"].iter().map(|s| s.to_string()).collect();
        run(&mut cluster, &setup, None);
        let output = run(&mut cluster, &args, Some(&stdin));
        prop_assert!(output.exit_code == 0 || output.exit_code == 1);
    }

    #[test]
    fn failed_commands_change_nothing(args in prop::collection::vec(word(), 0..7)) {
        let mut cluster = Cluster::new(1);
        let before = cluster.state_hash();
        let output = run(&mut cluster, &args, None);
        if output.exit_code != 0 && output.stdout.is_empty() && cluster.now() == 0 {
            prop_assert_eq!(before, cluster.state_hash());
        }
    }

    #[test]
    fn scripts_and_manifests_never_panic(source in "(.{0,20}\n){0,6}") {
        if let Ok(parsed) = script::parse(&source) {
            let mut cluster = Cluster::new(1);
            script::run_script(&mut cluster, &parsed);
        }
        let mut cluster = Cluster::new(1);
        let args: Vec<String> = ["apply", "-f", "-"].iter().map(|s| s.to_string()).collect();
        run(&mut cluster, &args, Some(&source));
    }

    #[test]
    fn yaml_printer_never_panics(s in ".{0,100}") {
        let text = to_yaml(&serde_json::json!({ s.clone(): [s.clone(), {"k": s}] }));
        prop_assert!(text.ends_with('\n'));
    }
}
