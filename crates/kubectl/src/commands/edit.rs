//! `kubectl edit`: real kubectl opens the live object's YAML in `$EDITOR` and applies what
//! is saved. kplay has no terminal editor: the web app opens its own YAML editor with
//! [`begin`] and applies the result with [`finish`]; the CLI and scripts explain that and fail
//! (exit 1), changing nothing.

use super::patch::merge_patch;
use super::Context;
use crate::args::{self, Flag};
use crate::printers::name;
use crate::resource::{kind_of, select, unknown_type_error};
use crate::{errors, Output};
use kplay_core::api::decode_strict;
use kplay_core::{ApiError, Cluster, Kind, ObjectKey};
use serde_json::{Map, Value};

/// What `kubectl edit` prints where there is no editor.
pub const NO_EDITOR: &str = "error: kubectl edit opens an editor, which kplay has only in the web app: type the command in the web console to edit the object's YAML there. Here, change objects with kubectl apply -f, patch, label, annotate, scale or set image.\n";

const FLAGS: &[Flag] = &[];

/// Runs `kubectl edit` outside the web app.
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out.fail(NO_EDITOR);
}

/// An object being edited: what the editor was opened with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditSession {
    /// The object's kind.
    pub kind: Kind,
    /// Its namespace (empty for cluster-scoped kinds).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The YAML the editor starts with (`kubectl get -o yaml`).
    pub original: String,
}

/// If `args` is a `kubectl edit` command line (after `kubectl`), the session to open, or the
/// error kubectl prints for it; `None` for any other command.
pub fn begin(cluster: &Cluster, args: &[String]) -> Option<Result<EditSession, Output>> {
    // The command is the first word that is neither a flag nor `-n`'s value (dispatch).
    let mut position = 0;
    while args.get(position)?.starts_with('-') {
        let takes_value = matches!(args[position].as_str(), "-n" | "--namespace");
        position += 1 + usize::from(takes_value);
    }
    if args[position] != "edit" {
        return None;
    }
    let mut rest: Vec<String> = args[..position].to_vec();
    rest.extend_from_slice(&args[position + 1..]);
    Some(open(cluster, &rest))
}

fn failure(message: String) -> Output {
    Output {
        stderr: message,
        exit_code: 1,
        ..Output::default()
    }
}

fn open(cluster: &Cluster, args: &[String]) -> Result<EditSession, Output> {
    let flags = args::parse(args, FLAGS).map_err(|e| failure(errors::usage("kubectl edit", &e)))?;
    let selection = select(&flags.positional).map_err(|e| failure(errors::plain(&e)))?;
    let [(word, name)] = selection.names.as_slice() else {
        return Err(failure(if selection.types.is_empty() {
            super::NO_RESOURCES.to_string()
        } else {
            errors::plain("kplay edits one object at a time: kubectl edit TYPE NAME")
        }));
    };
    let kind = kind_of(word).ok_or_else(|| failure(format!("{}\n", unknown_type_error(word))))?;
    let key = ObjectKey::new(kind, flags.namespace(), name);
    let object = cluster
        .store()
        .get_object(&key)
        .ok_or_else(|| failure(errors::api_error(&ApiError::not_found(kind, name))))?;
    Ok(EditSession {
        kind,
        namespace: key.namespace.clone(),
        name: name.clone(),
        original: crate::printers::yaml::to_yaml(&object.to_json()),
    })
}

/// The JSON merge patch that turns `from` into `to` (RFC 7386: removed keys become `null`).
fn diff(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut patch = Map::new();
            for (key, old) in a {
                match b.get(key) {
                    None => {
                        patch.insert(key.clone(), Value::Null);
                    }
                    Some(new) if new != old => {
                        patch.insert(key.clone(), diff(old, new));
                    }
                    Some(_) => {}
                }
            }
            for (key, new) in b {
                if !a.contains_key(key) {
                    patch.insert(key.clone(), new.clone());
                }
            }
            Value::Object(patch)
        }
        _ => to.clone(),
    }
}

/// Parses one YAML document.
fn document(text: &str) -> Result<Value, String> {
    match crate::manifest::parse(text) {
        (docs, None) if docs.len() == 1 => {
            Ok(docs.into_iter().next().map(|d| d.value).unwrap_or_default())
        }
        (docs, None) if docs.is_empty() => Ok(Value::Null),
        (_, None) => Err("the edited file holds more than one object".into()),
        (_, Some(problem)) => Err(problem),
    }
}

/// Applies the edited YAML as `kubectl edit` does (editoptions.go): nothing changed →
/// `Edit cancelled, no changes made.`; an emptied file cancels too; apiVersion, kind and name
/// may not change; otherwise the change is applied to the live object as a patch, and
/// `deployment.apps/web edited` is printed. A rejected edit changes nothing.
pub fn finish(cluster: &mut Cluster, session: &EditSession, edited: &str) -> Output {
    let original = document(&session.original).unwrap_or_default();
    let edited = match document(edited) {
        Ok(Value::Null) => {
            return Output {
                stderr: "Edit cancelled, no changes made.\n".into(),
                ..Output::default()
            }
        }
        Ok(value) => value,
        Err(problem) => {
            return failure(errors::plain(&format!(
                "error parsing edited-file.yaml: {problem}"
            )))
        }
    };
    if edited == original {
        return Output {
            stderr: "Edit cancelled, no changes made.\n".into(),
            ..Output::default()
        };
    }
    let identity = |v: &Value| {
        (
            v.get("apiVersion").cloned(),
            v.get("kind").cloned(),
            v.pointer("/metadata/name").cloned(),
        )
    };
    if identity(&edited) != identity(&original) {
        return failure(errors::plain(
            "At least one of apiVersion, kind and name was changed",
        ));
    }
    let key = ObjectKey::new(session.kind, &session.namespace, &session.name);
    let Some(live) = cluster.store().get_object(&key).map(|o| o.to_json()) else {
        return failure(errors::api_error(&ApiError::not_found(
            session.kind,
            &session.name,
        )));
    };
    let patched = merge_patch(&live, &diff(&original, &edited));
    match decode_strict(session.kind, patched).and_then(|o| cluster.update(o)) {
        Ok(_) => Output {
            stdout: name::operation(session.kind, &session.name, "edited"),
            ..Output::default()
        },
        Err(e) => failure(errors::api_error(&e)),
    }
}

/// The `kubectl patch` line that makes the same change as saving `edited` (a JSON merge
/// patch of what the learner changed, which is what [`finish`] applies): what a session
/// records so that replaying it needs no editor. `None` when the edit changes nothing.
pub fn as_patch(session: &EditSession, edited: &str) -> Option<String> {
    let original = document(&session.original).ok()?;
    let edited = document(edited).ok().filter(|v| !v.is_null())?;
    let patch = diff(&original, &edited);
    if patch.as_object().is_some_and(Map::is_empty) {
        return None;
    }
    let mut line = format!(
        "kubectl patch {} {}",
        session.kind.name().to_ascii_lowercase(),
        session.name
    );
    if session.kind.namespaced() {
        line.push_str(&format!(" -n {}", session.namespace));
    }
    let json = crate::printers::json::to_compact_json(&patch);
    line.push_str(&format!(" --type=merge -p {}", shell_words::quote(&json)));
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn cluster_with_web() -> Cluster {
        let mut cluster = Cluster::new(1);
        let out = crate::run(
            &mut cluster,
            &words("create deployment web --image=nginx:1.27 --replicas=2"),
            None,
        );
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        cluster
    }

    #[test]
    fn begin_recognises_edit_and_reports_kubectl_errors() {
        let cluster = cluster_with_web();
        assert!(begin(&cluster, &words("get pods")).is_none());
        let session = begin(&cluster, &words("edit deployment/web"));
        assert!(
            matches!(&session, Some(Ok(s)) if s.name == "web" && s.original.contains("replicas: 2"))
        );
        let missing = begin(&cluster, &words("-n default edit deploy nope"));
        assert!(matches!(missing, Some(Err(o))
            if o.stderr == "Error from server (NotFound): deployments.apps \"nope\" not found\n"));
    }

    #[test]
    fn finish_applies_cancels_and_refuses_as_kubectl_edit() {
        let mut cluster = cluster_with_web();
        let Some(Ok(session)) = begin(&cluster, &words("edit deployment web")) else {
            panic!("no session");
        };
        let same = finish(&mut cluster, &session, &session.original);
        assert_eq!(
            (same.stderr.as_str(), same.exit_code),
            ("Edit cancelled, no changes made.\n", 0)
        );

        let renamed = session.original.replacen("name: web", "name: other", 1);
        let out = finish(&mut cluster, &session, &renamed);
        assert_eq!(
            out.stderr,
            "error: At least one of apiVersion, kind and name was changed\n"
        );

        let invalid = session.original.replace("replicas: 2", "replicas: -1");
        let out = finish(&mut cluster, &session, &invalid);
        assert_eq!(out.exit_code, 1);
        assert!(
            out.stderr.contains("spec.replicas: Invalid value: -1"),
            "{}",
            out.stderr
        );

        let scaled = session.original.replacen("replicas: 2", "replicas: 5", 1);
        let before = cluster.store().resource_version();
        let out = finish(&mut cluster, &session, &scaled);
        assert_eq!(
            (out.stdout.as_str(), out.exit_code),
            ("deployment.apps/web edited\n", 0)
        );
        assert!(cluster.store().resource_version() > before);
        let replicas = cluster
            .store()
            .get::<kplay_core::types::Deployment>("default", "web")
            .and_then(|d| d.spec.as_ref()?.replicas);
        assert_eq!(replicas, Some(5));

        // The same change as a patch line, which a fresh cluster replays to the same spec.
        let line = as_patch(&session, &scaled);
        assert_eq!(
            line.as_deref(),
            Some("kubectl patch deployment web -n default --type=merge -p '{\"spec\":{\"replicas\":5}}'")
        );
        let mut replayed = cluster_with_web();
        let words = shell_words::split(line.as_deref().unwrap_or_default()).unwrap_or_default();
        let out = crate::run(&mut replayed, &words[1..], None);
        assert_eq!(out.stdout, "deployment.apps/web patched\n");
        let spec = |c: &Cluster| {
            c.store()
                .get::<kplay_core::types::Deployment>("default", "web")
                .and_then(|d| d.spec.clone())
        };
        assert_eq!(spec(&replayed), spec(&cluster));
        assert_eq!(as_patch(&session, &session.original), None);
    }

    #[test]
    fn diff_is_an_rfc_7386_merge_patch() {
        let from = serde_json::json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]});
        let to = serde_json::json!({"a": 1, "b": {"c": 4}, "e": [1, 2], "f": "x"});
        let patch = diff(&from, &to);
        assert_eq!(
            patch,
            serde_json::json!({"b": {"c": 4, "d": null}, "e": [1, 2], "f": "x"})
        );
        assert_eq!(merge_patch(&from, &patch), to);
    }
}
