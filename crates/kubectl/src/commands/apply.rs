//! `kubectl apply -f FILE|-` (and the `create -f` path it shares): every document of the
//! manifest is applied on its own; successes are printed as they happen and the errors at
//! the end, as kubectl v1.32's `pkg/cmd/apply/apply.go` `Run` does.
//!
//! Client-side apply keeps the manifest in the `kubectl.kubernetes.io/last-applied-configuration`
//! annotation. kplay computes the three-way merge in a simplified form: fields removed from
//! the manifest since the last apply are removed, every field of the manifest is set (maps
//! merge, lists of equal length merge item by item, other lists are replaced). The result is
//! `unchanged` when that changes nothing, else `configured`.

use super::create::{dry_run, DryRun};
use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use crate::manifest::{self, Document};
use crate::printers::name;
use kplay_core::api::decode_strict;
use kplay_core::{ApiError, Kind, ObjectKey};
use serde_json::{Map, Value};

const FLAGS: &[Flag] = &[
    Flag::short("filename", 'f', FlagType::String),
    Flag::long("dry-run", FlagType::String),
];

const HELP: &str = "Apply a configuration to a resource by file name or stdin.

Usage:
  kubectl apply -f FILENAME [--dry-run=client|server]
";

/// The annotation client-side apply keeps the last applied manifest in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Whether documents are applied or created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `kubectl apply`: create or three-way merge, with the last-applied annotation.
    Apply,
    /// `kubectl create -f`: create only.
    Create,
}

/// One failure while handling a manifest.
enum Failure {
    /// The API server refused.
    Api(ApiError),
    /// kubectl itself refused (parsing, mapping).
    Client(String),
}

/// Runs `kubectl apply`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl apply", HELP) else {
        return;
    };
    if !flags.positional.is_empty() {
        ctx.out.fail(&errors::usage_examples(
            "kubectl apply",
            &format!("Unexpected args: [{}]", flags.positional.join(" ")),
        ));
        return;
    }
    let Some(file) = flags.value("filename") else {
        ctx.out.fail(&errors::usage_examples(
            "kubectl apply",
            "must specify one of -f and -k",
        ));
        return;
    };
    let file = file.to_string();
    let Some(dry) = dry_run(ctx, &flags) else {
        return;
    };
    from_file(ctx, &file, flags.namespace(), Mode::Apply, dry);
}

/// Reads `file` (`-` = stdin) and applies or creates every document in it. A dry run does
/// the same on a copy of the cluster, which is then dropped, and appends ` (dry run)` or
/// ` (server dry run)` to each message. kplay's client dry run asks that copy too, so it
/// reports the server's validation errors, which real kubectl's client dry run only
/// reports for a patch.
pub fn from_file(ctx: &mut Context<'_>, file: &str, namespace: &str, mode: Mode, dry: DryRun) {
    let suffix = match dry {
        DryRun::None => return apply_all(ctx, file, namespace, mode, ""),
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut copy = ctx.cluster.clone();
    let mut scratch = Context {
        cluster: &mut copy,
        stdin: ctx.stdin,
        files: ctx.files,
        out: &mut *ctx.out,
    };
    apply_all(&mut scratch, file, namespace, mode, suffix);
}

fn apply_all(ctx: &mut Context<'_>, file: &str, namespace: &str, mode: Mode, suffix: &str) {
    let Some((source, text)) = super::read_manifest(ctx, file) else {
        return;
    };
    let (documents, parse_error) = manifest::parse(&text);
    let mut failures: Vec<Failure> = Vec::new();
    let mut applied = 0;
    for document in documents {
        applied += 1;
        match apply_one(ctx, document, &source, namespace, mode, suffix) {
            Ok(line) => ctx.out.out(&line),
            Err(f) => failures.push(f),
        }
    }
    if let Some(e) = parse_error {
        failures.push(Failure::Client(format!("error parsing {source}: {e}")));
    }
    if applied == 0 && failures.is_empty() {
        let verb = if mode == Mode::Apply {
            "apply"
        } else {
            "create"
        };
        ctx.out
            .fail(&format!("error: no objects passed to {verb}\n"));
        return;
    }
    // CheckErr prints a lone error in full; an aggregate prints each error's standard message.
    match failures.as_slice() {
        [] => {}
        [Failure::Api(e)] => ctx.out.fail(&errors::api_error(e)),
        [Failure::Client(m)] => ctx.out.fail(&errors::plain(m)),
        many => {
            for f in many {
                match f {
                    Failure::Api(e) => ctx.out.fail(&errors::standard_message(e)),
                    Failure::Client(m) => ctx.out.fail(m),
                }
            }
        }
    }
}

/// Applies one document; returns the line kubectl prints for it.
fn apply_one(
    ctx: &mut Context<'_>,
    document: Document,
    source: &str,
    namespace: &str,
    mode: Mode,
    suffix: &str,
) -> Result<String, Failure> {
    let mut value = document.value;
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind_name = value.get("kind").and_then(Value::as_str).unwrap_or("");
    if api_version.is_empty() || kind_name.is_empty() {
        let missing: Vec<&str> = [("apiVersion", api_version), ("kind", kind_name)]
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| *k)
            .collect();
        let detail = match missing.as_slice() {
            [one] => format!("{one} not set"),
            _ => format!(
                "[{}]",
                missing
                    .iter()
                    .map(|m| format!("{m} not set"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(Failure::Client(format!(
            "error validating \"{source}\": error validating data: {detail}; if you choose to ignore these errors, turn validation off with --validate=false"
        )));
    }
    let object_name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let kind = Kind::from_name(kind_name)
        .filter(|k| k.api_version() == api_version && *k != Kind::Event)
        .ok_or_else(|| {
            Failure::Client(format!(
                "resource mapping not found for name: \"{object_name}\" namespace: \"{}\" from \"{source}\": no matches for kind \"{kind_name}\" in version \"{api_version}\"\nensure CRDs are installed first",
                value.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("")
            ))
        })?;
    if object_name.is_empty() {
        return Err(Failure::Client(format!(
            "error when retrieving current configuration of:\nResource: \"{}\", GroupVersionKind: \"{api_version}, Kind={kind_name}\"\nName: \"\", Namespace: \"{namespace}\"\nfrom server for: \"{source}\": resource name may not be empty",
            kind.qualified_resource()
        )));
    }
    let namespace = if kind.namespaced() {
        let doc_ns = value.pointer("/metadata/namespace").and_then(Value::as_str);
        match doc_ns {
            Some(ns) if ns != namespace && namespace != "default" => {
                return Err(Failure::Client(format!(
                    "the namespace from the provided object \"{ns}\" does not match the namespace \"{namespace}\". You must pass '--namespace={ns}' to perform this operation."
                )));
            }
            Some(ns) => ns.to_string(),
            None => namespace.to_string(),
        }
    } else {
        String::new()
    };
    if kind.namespaced() {
        if let Some(Value::Object(meta)) = value.get_mut("metadata") {
            meta.insert("namespace".into(), Value::String(namespace.clone()));
        }
    }
    let key = ObjectKey::new(kind, &namespace, &object_name);
    let live = ctx.cluster.store().get_object(&key).cloned();
    if mode == Mode::Create {
        return ctx
            .cluster
            .create_json(kind, value)
            .map(|_| name::operation(kind, &object_name, &format!("created{suffix}")))
            .map_err(|e| Failure::Api(errors::with_source("creating", source, e)));
    }
    let modified = with_last_applied(value);
    let Some(live) = live else {
        return ctx
            .cluster
            .create_json(kind, modified)
            .map(|_| name::operation(kind, &object_name, &format!("created{suffix}")))
            .map_err(|e| Failure::Api(errors::with_source("creating", source, e)));
    };
    let live_json = live.to_json();
    let original: Option<Value> = live
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|text| serde_json::from_str(text).ok());
    if original.is_none() {
        // apply.go warns once, then patches the annotation in.
        ctx.out.stderr.push_str(&format!(
            "Warning: resource {}/{object_name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            kind.plural()
        ));
    }
    let mut merged = live_json.clone();
    if let Some(original) = &original {
        remove_deleted(&mut merged, original, &modified);
    }
    merge_into(&mut merged, &modified);
    if merged == live_json {
        return Ok(name::operation(
            kind,
            &object_name,
            &format!("unchanged{suffix}"),
        ));
    }
    let object = decode_strict(kind, merged)
        .map_err(|e| Failure::Api(errors::with_source("patching", source, e)))?;
    ctx.cluster
        .update(object)
        .map(|_| name::operation(kind, &object_name, &format!("configured{suffix}")))
        .map_err(|e| Failure::Api(errors::with_source("patching", source, e)))
}

/// The manifest with the last-applied annotation added, as `GetModifiedConfiguration` builds
/// it: the annotation holds the manifest (with an `annotations` map, possibly empty, and
/// without the annotation itself) as compact JSON with sorted keys and a final newline.
fn with_last_applied(mut value: Value) -> Value {
    let Some(Value::Object(meta)) = value.get_mut("metadata") else {
        return value;
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if !annotations.is_object() {
        *annotations = Value::Object(Map::new());
    }
    if let Value::Object(a) = annotations {
        a.remove(LAST_APPLIED);
    }
    let text = format!("{}\n", go_compact_json(&value));
    if let Some(Value::Object(a)) = value.pointer_mut("/metadata/annotations") {
        a.insert(LAST_APPLIED.into(), Value::String(text));
    }
    value
}

/// Compact JSON as Go's `json.Marshal` writes it (sorted keys, `<>&` escaped).
fn go_compact_json(value: &Value) -> String {
    let text = kplay_core::json_text::compact(value);
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Removes from `live` the map fields that the last applied manifest had and the new one
/// does not (the deletions of the three-way merge).
fn remove_deleted(live: &mut Value, original: &Value, modified: &Value) {
    let (Value::Object(l), Value::Object(o)) = (live, original) else {
        return;
    };
    for (key, old) in o {
        match modified.get(key) {
            None => {
                l.remove(key);
            }
            Some(new) => {
                if let Some(child) = l.get_mut(key) {
                    remove_deleted(child, old, new);
                }
            }
        }
    }
}

/// Sets every field of `patch` in `target`: maps merge, equal-length lists merge item by
/// item, everything else is replaced.
fn merge_into(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (key, value) in p {
                match t.get_mut(key) {
                    Some(existing) => merge_into(existing, value),
                    None => {
                        t.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(p)) if t.len() == p.len() => {
            for (item, patch_item) in t.iter_mut().zip(p) {
                merge_into(item, patch_item);
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn last_applied_annotation_as_kubectl_writes_it() {
        let m = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a<b"}});
        let got = with_last_applied(m);
        assert_eq!(
            got.pointer("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"),
            Some(&json!("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},\"name\":\"a\\u003cb\"}}\n"))
        );
    }

    #[test]
    fn three_way_merge() {
        let mut live = json!({"spec": {"replicas": 5, "paused": true, "template": {"containers": [{"name": "a", "image": "x", "defaulted": 1}]}}, "status": {"replicas": 5}});
        let original = json!({"spec": {"replicas": 3, "paused": true}});
        let modified = json!({"spec": {"replicas": 3, "template": {"containers": [{"name": "a", "image": "y"}]}}});
        remove_deleted(&mut live, &original, &modified);
        merge_into(&mut live, &modified);
        assert_eq!(
            live,
            json!({"spec": {"replicas": 3, "template": {"containers": [{"name": "a", "image": "y", "defaulted": 1}]}}, "status": {"replicas": 5}})
        );
    }
}
