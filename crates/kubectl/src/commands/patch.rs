//! `kubectl patch TYPE NAME -p PATCH [--type=strategic|merge|json]`, as kubectl v1.32's
//! `pkg/cmd/patch/patch.go` sends it and the API server applies it: a strategic merge patch
//! (the default; lists of containers, ports, env, volumes... merged by their
//! `patchMergeKey`, `$patch: delete|replace`), a JSON merge patch (RFC 7386) or a JSON patch
//! (RFC 6902). The result is decoded strictly and validated like any update.

use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use crate::printers::name;
use crate::resource::{kind_of, unknown_type_error};
use kplay_core::api::decode_strict;
use kplay_core::quote::go_quote;
use kplay_core::{ApiError, ObjectKey};
use serde_json::{Map, Value};

const FLAGS: &[Flag] = &[
    Flag::short("patch", 'p', FlagType::String),
    Flag::long("patch-file", FlagType::String),
    Flag::long("type", FlagType::String),
];

const HELP: &str =
    "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

Usage:
  kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [--type=strategic|merge|json]
";

/// Runs `kubectl patch`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl patch", HELP) else {
        return;
    };
    // patch.go Validate.
    let patch_type = flags
        .value("type")
        .unwrap_or("strategic")
        .to_ascii_lowercase();
    if !matches!(patch_type.as_str(), "json" | "merge" | "strategic") {
        ctx.out.fail(&errors::plain(&format!(
            "--type must be one of [json merge strategic], not {}",
            go_quote(flags.value("type").unwrap_or(""))
        )));
        return;
    }
    let text = match (flags.value("patch"), flags.value("patch-file")) {
        (Some(p), None) => p.to_string(),
        (None, Some(file)) => match (ctx.files)(file) {
            Some(t) => t,
            None => {
                ctx.out.fail(&errors::plain(&format!(
                    "unable to read patch file: open {file}: no such file or directory"
                )));
                return;
            }
        },
        (Some(_), Some(_)) => {
            ctx.out.fail(&errors::plain(
                "cannot specify --patch and --patch-file together",
            ));
            return;
        }
        (None, None) => {
            ctx.out.fail(&errors::plain(
                "must specify --patch or --patch-file containing the contents of the patch",
            ));
            return;
        }
    };
    let Some(selection) = super::selection(ctx, &flags.positional) else {
        return;
    };
    if selection.types.is_empty() {
        ctx.out.fail(super::NO_RESOURCES);
        return;
    }
    for word in &selection.types {
        if kind_of(word).is_none() {
            ctx.out.fail(&format!("{}\n", unknown_type_error(word)));
            return;
        }
    }
    if selection.names.is_empty() {
        ctx.out
            .fail("error: resource(s) were provided, but no name was specified\n");
        return;
    }
    // yaml.ToJSON: the patch may be YAML or JSON.
    let patch = match crate::manifest::parse(&text) {
        (docs, None) if docs.len() <= 1 => docs.into_iter().next().map_or(Value::Null, |d| d.value),
        (_, problem) => {
            ctx.out.fail(&errors::plain(&format!(
                "unable to parse {}: {}",
                go_quote(&text),
                problem.unwrap_or_else(|| "more than one document".into())
            )));
            return;
        }
    };
    let namespace = flags.namespace().to_string();
    for (word, object) in &selection.names {
        let Some(kind) = kind_of(word) else { continue };
        let key = ObjectKey::new(kind, &namespace, object);
        let Some(live) = ctx.cluster.store().get_object(&key).cloned() else {
            ctx.out
                .fail(&errors::api_error(&ApiError::not_found(kind, object)));
            continue;
        };
        let original = live.to_json();
        let patched = match patch_type.as_str() {
            "json" => json_patch(&original, &patch),
            "merge" => Ok(merge_patch(&original, &patch)),
            _ => strategic_merge(&original, &patch, kind == kplay_core::Kind::Service),
        };
        let patched = match patched {
            Ok(p) => p,
            Err(e) => {
                ctx.out.fail(&format!("Error from server: {e}\n"));
                continue;
            }
        };
        if patched == original {
            ctx.out
                .out(&name::operation(kind, object, "patched (no change)"));
            continue;
        }
        let result = decode_strict(kind, patched).and_then(|o| ctx.cluster.update(o));
        match result {
            Ok(_) => ctx.out.out(&name::operation(kind, object, "patched")),
            Err(e) => ctx.out.fail(&errors::api_error(&e)),
        }
    }
}

/// RFC 7386 JSON merge patch: objects merge key by key, `null` deletes, anything else
/// replaces.
pub(crate) fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Some(patch) = patch.as_object() else {
        return patch.clone();
    };
    let mut out = target.as_object().cloned().unwrap_or_default();
    for (key, value) in patch {
        if value.is_null() {
            out.remove(key);
        } else {
            let merged = merge_patch(out.get(key).unwrap_or(&Value::Null), value);
            out.insert(key.clone(), merged);
        }
    }
    Value::Object(out)
}

/// The `patchMergeKey` of a list field (k8s.io/api struct tags), or `None` for lists the
/// strategic merge replaces whole (tolerations, args, envFrom...).
fn merge_key(field: &str, service: bool) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets" => "name",
        "ports" if service => "port",
        "ports" => "containerPort",
        "volumeMounts" => "mountPath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        _ => return None,
    })
}

/// A strategic merge patch (apimachinery `strategicpatch.StrategicMergePatch`) for the
/// directives users write: maps merge, `null` deletes, lists with a merge key merge item by
/// item (`$patch: delete` removes one), `$patch: replace|delete` on a map.
fn strategic_merge(original: &Value, patch: &Value, service: bool) -> Result<Value, String> {
    let (Some(target), Some(patch)) = (original.as_object(), patch.as_object()) else {
        return Ok(patch.clone());
    };
    Ok(merge_map(target, patch, service))
}

fn merge_map(target: &Map<String, Value>, patch: &Map<String, Value>, service: bool) -> Value {
    match patch.get("$patch").and_then(Value::as_str) {
        Some("delete") => return Value::Null,
        Some("replace") => {
            let mut replaced = patch.clone();
            replaced.remove("$patch");
            return Value::Object(replaced);
        }
        _ => {}
    }
    let mut out = target.clone();
    for (key, value) in patch {
        if key.starts_with('$') {
            continue;
        }
        if value.is_null() {
            out.remove(key);
            continue;
        }
        let merged = match (out.get(key), value) {
            (Some(Value::Object(t)), Value::Object(p)) => merge_map(t, p, service),
            (Some(Value::Array(t)), Value::Array(p)) => match merge_key(key, service) {
                Some(mk) => merge_list(t, p, mk, service),
                None => Value::Array(strip_directives(p)),
            },
            (_, Value::Object(p)) => merge_map(&Map::new(), p, service),
            (_, Value::Array(p)) => Value::Array(strip_directives(p)),
            (_, v) => v.clone(),
        };
        if merged.is_null() {
            out.remove(key);
        } else {
            out.insert(key.clone(), merged);
        }
    }
    Value::Object(out)
}

/// Items of a list that replaces (or starts) a field, without `$patch: delete` entries.
fn strip_directives(items: &[Value]) -> Vec<Value> {
    items
        .iter()
        .filter(|i| i.get("$patch").is_none())
        .cloned()
        .collect()
}

fn merge_list(target: &[Value], patch: &[Value], key: &str, service: bool) -> Value {
    let mut out: Vec<Value> = target.to_vec();
    for item in patch {
        let Some(fields) = item.as_object() else {
            out.push(item.clone());
            continue;
        };
        let id = fields.get(key);
        let found = out.iter().position(|o| o.get(key) == id && id.is_some());
        let delete = fields.get("$patch").and_then(Value::as_str) == Some("delete");
        match (found, delete) {
            (Some(i), true) => {
                out.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                if let Some(existing) = out.get(i).and_then(Value::as_object).cloned() {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = merge_map(&existing, fields, service);
                    }
                }
            }
            (None, false) => out.push(merge_map(&Map::new(), fields, service)),
        }
    }
    Value::Array(out)
}

/// RFC 6902 JSON patch: add, remove, replace, test, move, copy, in order; the first failing
/// operation fails the whole patch (worded like the API server's evanphx/json-patch errors).
fn json_patch(original: &Value, patch: &Value) -> Result<Value, String> {
    let Some(ops) = patch.as_array() else {
        return Err(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".to_string(),
        );
    };
    let mut doc = original.clone();
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().unwrap_or("");
        match kind {
            "add" => add(&mut doc, path, op["value"].clone())?,
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                remove(&mut doc, path).map_err(|_| {
                    format!("replace operation does not apply: doc is missing key: {path}")
                })?;
                add(&mut doc, path, op["value"].clone())?;
            }
            "test" => {
                if pointer(&doc, path) != Some(&op["value"]) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            "move" | "copy" => {
                let from = op["from"].as_str().unwrap_or("");
                let value = if kind == "move" {
                    remove(&mut doc, from)?
                } else {
                    pointer(&doc, from).cloned().ok_or_else(|| {
                        format!("copy operation does not apply: doc is missing from path: {from}")
                    })?
                };
                add(&mut doc, path, value)?;
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

/// The decoded tokens of a JSON pointer (`~1` is `/`, `~0` is `~`).
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn pointer<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    tokens(path).iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn parent_mut<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let mut toks = tokens(path);
    let last = toks.pop()?;
    let parent = toks.iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(move |i| a.get_mut(i)),
        _ => None,
    })?;
    Some((parent, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let missing = || format!("add operation does not apply: doc is missing path: \"{path}\"");
    let (parent, last) = parent_mut(doc, path).ok_or_else(missing)?;
    match parent {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) => {
            let index = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>().map_err(|_| missing())?
            };
            if index > a.len() {
                return Err(missing());
            }
            a.insert(index, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let missing = || format!("remove operation does not apply: doc is missing path: \"{path}\"");
    let (parent, last) = parent_mut(doc, path).ok_or_else(missing)?;
    match parent {
        Value::Object(m) => m.remove(&last).ok_or_else(missing),
        Value::Array(a) => {
            let index = last.parse::<usize>().map_err(|_| missing())?;
            if index < a.len() {
                Ok(a.remove(index))
            } else {
                Err(missing())
            }
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        // Examples from RFC 7386 section 3.
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
        ];
        for (target, patch, want) in cases {
            assert_eq!(merge_patch(&target, &patch), want, "{patch}");
        }
    }

    #[test]
    fn strategic_merge_merges_lists_by_merge_key() {
        let pod = json!({"spec": {"containers": [
            {"name": "a", "image": "nginx", "env": [{"name": "X", "value": "1"}]},
            {"name": "b", "image": "busybox"}
        ], "tolerations": [{"key": "k"}]}});
        let cases = [
            (
                json!({"spec": {"containers": [{"name": "a", "image": "nginx:2"}]}}),
                json!({"spec": {"containers": [
                    {"name": "a", "image": "nginx:2", "env": [{"name": "X", "value": "1"}]},
                    {"name": "b", "image": "busybox"}
                ], "tolerations": [{"key": "k"}]}}),
            ),
            (
                json!({"spec": {"containers": [{"name": "b", "$patch": "delete"}, {"name": "c", "image": "redis"}]}}),
                json!({"spec": {"containers": [
                    {"name": "a", "image": "nginx", "env": [{"name": "X", "value": "1"}]},
                    {"name": "c", "image": "redis"}
                ], "tolerations": [{"key": "k"}]}}),
            ),
            (
                // Tolerations have no merge key: the list is replaced.
                json!({"spec": {"tolerations": [{"key": "j"}]}}),
                json!({"spec": {"containers": [
                    {"name": "a", "image": "nginx", "env": [{"name": "X", "value": "1"}]},
                    {"name": "b", "image": "busybox"}
                ], "tolerations": [{"key": "j"}]}}),
            ),
        ];
        for (patch, want) in cases {
            assert_eq!(strategic_merge(&pod, &patch, false), Ok(want), "{patch}");
        }
    }

    #[test]
    fn json_patch_operations() {
        let doc = json!({"a": [1, 2], "b": {"c": 1}});
        let ok = |ops: Value| json_patch(&doc, &ops);
        assert_eq!(
            ok(json!([{"op": "add", "path": "/a/-", "value": 3}])),
            Ok(json!({"a": [1, 2, 3], "b": {"c": 1}}))
        );
        assert_eq!(
            ok(
                json!([{"op": "replace", "path": "/b/c", "value": 2}, {"op": "test", "path": "/b/c", "value": 2}])
            ),
            Ok(json!({"a": [1, 2], "b": {"c": 2}}))
        );
        assert_eq!(
            ok(
                json!([{"op": "move", "from": "/b/c", "path": "/d"}, {"op": "remove", "path": "/a/0"}])
            ),
            Ok(json!({"a": [2], "b": {}, "d": 1}))
        );
        assert_eq!(
            ok(json!([{"op": "copy", "from": "/a", "path": "/e"}])),
            Ok(json!({"a": [1, 2], "b": {"c": 1}, "e": [1, 2]}))
        );
        assert!(ok(json!([{"op": "remove", "path": "/zz"}])).is_err());
        assert!(ok(json!([{"op": "test", "path": "/b/c", "value": 9}])).is_err());
    }
}
