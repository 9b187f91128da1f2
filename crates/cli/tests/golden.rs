//! Golden scenarios: every `tests/golden/NAME.kplay` at the repository root is run through
//! the built `kplay run` and its transcript compared, exactly, with `tests/golden/NAME.out`.
//!
//! The expected transcripts were checked by hand against the kubectl and Kubernetes sources
//! each script cites. `UPDATE_EXPECT=1 cargo test -p kplay-cli --test golden` rewrites the
//! `.out` files; use it for formatting churn only, and review the diff line by line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn kplay(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kplay binary starts");
    if let Some(mut pipe) = child.stdin.take() {
        if let Some(text) = stdin {
            std::io::Write::write_all(&mut pipe, text.as_bytes()).expect("stdin is writable");
        }
    }
    child.wait_with_output().expect("kplay finishes")
}

#[test]
fn golden_scenarios() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kplay"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 3, "the golden scenarios are missing");
    let mut failures = Vec::new();
    for script in &scripts {
        let path = script.to_string_lossy().to_string();
        let output = kplay(&["run", &path], None);
        let actual = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(
            output.status.success(),
            "{path}: kplay run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let expected_path = script.with_extension("out");
        if update {
            std::fs::write(&expected_path, &actual).expect("the .out file is writable");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}: transcript differs\n{}",
                script.display(),
                first_difference(&expected, &actual)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The first differing line, to keep failure messages readable.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut e = expected.lines();
    let mut a = actual.lines();
    for line in 1.. {
        match (e.next(), a.next()) {
            (None, None) => break,
            (x, y) if x == y => continue,
            (x, y) => {
                return format!(
                    "line {line}:\n  expected: {}\n  actual:   {}",
                    x.unwrap_or("<end>"),
                    y.unwrap_or("<end>")
                )
            }
        }
    }
    "trailing newline differs".to_string()
}

#[test]
fn a_malformed_script_fails_before_running_anything() {
    let output = kplay(&["run", "-"], Some("kubectl get ns\nsleep forever\n"));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, b"");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: line 2: invalid duration \"forever\" (use e.g. 500ms, 5s, 2m; a bare number is seconds)\n"
    );
}

#[test]
fn failing_commands_do_not_stop_a_script_or_fail_the_run() {
    let output = kplay(
        &["run", "--seed", "7", "-"],
        Some("kubectl get deploy nope\nkubectl get ns default\n"),
    );
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "$ kubectl get deploy nope\nError from server (NotFound): deployments.apps \"nope\" not found\n$ kubectl get ns default\nNAME      STATUS   AGE\ndefault   Active   0s\n"
    );
}

#[test]
fn the_shell_reads_commands_heredocs_and_history_from_stdin() {
    let input = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\nEOF\nkubectl get ns dev -o name\nhistory\nexit\n";
    let output = kplay(&[], Some(input));
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "namespace/dev created\nnamespace/dev\n    1  kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\nEOF\n    2  kubectl get ns dev -o name\n"
    );
}
