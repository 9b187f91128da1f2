//! `kubectl annotate` and `kubectl label`: set (`KEY=VALUE`) or remove (`KEY-`) metadata
//! entries on any object the store holds, as kubectl v1.32's `pkg/cmd/annotate/annotate.go`
//! and `pkg/cmd/label/label.go` do it: pairs after the resources, `--overwrite` to change an
//! existing value, `-l SELECTOR` or `--all` instead of names.

use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use crate::labels::Selector;
use crate::printers::name;
use crate::resource::{kind_of, select, unknown_type_error};
use kplay_core::api::validation::label_value_errors;
use kplay_core::quote::go_quote;
use kplay_core::{ApiError, Kind, Object, ObjectKey};
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[
    Flag::long("overwrite", FlagType::Bool),
    Flag::long("all", FlagType::Bool),
    Flag::short("selector", 'l', FlagType::String),
];

const ANNOTATE_HELP: &str = "Update the annotations on one or more resources.

Usage:
  kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--all] [-l SELECTOR]
";

const LABEL_HELP: &str = "Update the labels on a resource.

Usage:
  kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--all] [-l SELECTOR]
";

/// The one annotation `annotate` may always overwrite (annotate.go
/// `validateNoAnnotationOverwrites`).
const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// Which metadata map the command edits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Annotations,
    Labels,
}

/// The changes a command line asks for.
struct Changes {
    set: BTreeMap<String, String>,
    remove: Vec<String>,
}

/// Runs `kubectl annotate`.
pub fn run_annotate(ctx: &mut Context<'_>, args: &[String]) {
    run(ctx, args, Target::Annotations);
}

/// Runs `kubectl label`.
pub fn run_label(ctx: &mut Context<'_>, args: &[String]) {
    run(ctx, args, Target::Labels);
}

fn run(ctx: &mut Context<'_>, args: &[String], target: Target) {
    let (path, help, noun) = match target {
        Target::Annotations => ("kubectl annotate", ANNOTATE_HELP, "annotation"),
        Target::Labels => ("kubectl label", LABEL_HELP, "label"),
    };
    let Some(flags) = parse_flags(ctx, args, FLAGS, path, help) else {
        return;
    };
    let (resources, pairs) = match resources_and_pairs(&flags.positional, noun) {
        Ok(split) => split,
        Err(e) => {
            ctx.out.fail(&errors::plain(&e));
            return;
        }
    };
    let parsed = match target {
        Target::Annotations => parse_annotations(&pairs),
        Target::Labels => parse_labels(&pairs),
    };
    let changes = match parsed {
        Ok(c) => c,
        Err(e) => {
            ctx.out.fail(&errors::plain(&e));
            return;
        }
    };
    let all = flags.bool("all", false);
    let selector_text = flags.value("selector").unwrap_or("").to_string();
    // Validate, in annotate.go / label.go order.
    let invalid = if all && !selector_text.is_empty() {
        Some("cannot set --all and --selector at the same time".to_string())
    } else if resources.is_empty() {
        Some(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
                .to_string(),
        )
    } else if changes.set.is_empty() && changes.remove.is_empty() {
        Some(format!("at least one {noun} update is required"))
    } else if target == Target::Annotations {
        modify_and_remove(&changes)
    } else {
        None
    };
    if let Some(e) = invalid {
        ctx.out.fail(&errors::plain(&e));
        return;
    }
    let Some(selector) = super::label_selector(ctx, &selector_text) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    let keys = match object_keys(ctx, &resources, &namespace, all, &selector_text, &selector) {
        Ok(keys) => keys,
        Err(e) => {
            ctx.out.fail(&e);
            return;
        }
    };
    let overwrite = flags.bool("overwrite", false);
    for key in keys {
        let Some(live) = ctx.cluster.store().get_object(&key).cloned() else {
            ctx.out.fail(&errors::api_error(&ApiError::not_found(
                key.kind, &key.name,
            )));
            continue;
        };
        if let Err(e) = apply(ctx, live, target, &changes, overwrite) {
            ctx.out.fail(&e);
        }
    }
}

/// `cmdutil.GetResourcesAndPairs`: resources first, then `KEY=VALUE` / `KEY-` pairs.
fn resources_and_pairs(args: &[String], noun: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for arg in args {
        let is_pair =
            (arg.contains('=') && !arg.starts_with('=')) || (arg.ends_with('-') && arg != "-");
        match (pairs.is_empty(), is_pair) {
            (_, true) => pairs.push(arg.clone()),
            (true, false) => resources.push(arg.clone()),
            (false, false) => {
                return Err(format!(
                    "all resources must be specified before {noun} changes: {arg}"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

/// `cmdutil.ParsePairs(args, "annotation", true)`.
fn parse_annotations(pairs: &[String]) -> Result<Changes, String> {
    let mut changes = Changes {
        set: BTreeMap::new(),
        remove: Vec::new(),
    };
    let mut invalid: Vec<&str> = Vec::new();
    for pair in pairs {
        if let Some((k, v)) = pair.split_once('=').filter(|_| !pair.starts_with('=')) {
            changes.set.insert(k.to_string(), v.to_string());
        } else if let Some(k) = pair.strip_suffix('-').filter(|_| pair != "-") {
            changes.remove.push(k.to_string());
        } else {
            invalid.push(pair);
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid annotation format: {}", invalid.join(", ")));
    }
    Ok(changes)
}

/// annotate.go `validateAnnotations`: a key may not be both set and removed.
fn modify_and_remove(changes: &Changes) -> Option<String> {
    let both: Vec<&str> = changes
        .remove
        .iter()
        .filter(|k| changes.set.contains_key(*k))
        .map(String::as_str)
        .collect();
    (!both.is_empty()).then(|| {
        format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        )
    })
}

/// label.go `parseLabels`: values are checked here (`IsValidLabelValue`), keys by the API
/// server.
fn parse_labels(pairs: &[String]) -> Result<Changes, String> {
    let mut changes = Changes {
        set: BTreeMap::new(),
        remove: Vec::new(),
    };
    for pair in pairs {
        if pair.contains('=') {
            let parts: Vec<&str> = pair.split('=').collect();
            let [key, value] = parts.as_slice() else {
                return Err(format!("invalid label spec: {pair}"));
            };
            let problems = label_value_errors(value);
            if !problems.is_empty() {
                return Err(format!(
                    "invalid label value: {}: {}",
                    go_quote(pair),
                    problems.join(";")
                ));
            }
            changes.set.insert(key.to_string(), value.to_string());
        } else if let Some(key) = pair.strip_suffix('-') {
            changes.remove.push(key.to_string());
        } else {
            return Err(format!("unknown label spec: {pair}"));
        }
    }
    if changes.remove.iter().any(|k| changes.set.contains_key(k)) {
        return Err("can not both modify and remove a label in the same command".to_string());
    }
    Ok(changes)
}

/// The objects the resource arguments name, as the resource builder resolves
/// `ResourceTypeOrNameArgs` with a label selector: names, or every object of the types that
/// matches `-l` (or all of them with `--all`).
fn object_keys(
    ctx: &Context<'_>,
    resources: &[String],
    namespace: &str,
    all: bool,
    selector_text: &str,
    selector: &Selector,
) -> Result<Vec<ObjectKey>, String> {
    let selection = select(resources).map_err(|e| errors::plain(&e))?;
    let mut kinds: Vec<Kind> = Vec::new();
    for word in &selection.types {
        let kind = kind_of(word).ok_or_else(|| format!("{}\n", unknown_type_error(word)))?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if !selection.names.is_empty() {
        if !selector_text.is_empty() {
            return Err(errors::plain(
                "name cannot be provided when a selector is specified",
            ));
        }
        return Ok(selection
            .names
            .iter()
            .filter_map(|(word, n)| kind_of(word).map(|k| ObjectKey::new(k, namespace, n)))
            .collect());
    }
    if !all && selector_text.is_empty() {
        return Err(errors::plain(
            "resource(s) were provided, but no name was specified",
        ));
    }
    let mut keys = Vec::new();
    for kind in kinds {
        keys.extend(
            ctx.cluster
                .store()
                .list_objects(kind, Some(namespace))
                .filter(|o| selector.matches(o.meta().labels.as_ref()))
                .map(Object::key),
        );
    }
    Ok(keys)
}

/// Edits one object and writes it back, printing kubectl's line for it; the error text on
/// failure.
fn apply(
    ctx: &mut Context<'_>,
    mut object: Object,
    target: Target,
    changes: &Changes,
    overwrite: bool,
) -> Result<(), String> {
    let kind = object.kind();
    let object_name = object.name().to_string();
    let before = kplay_core::json_text::compact(&object.to_json()).len();
    let current = match target {
        Target::Annotations => object.meta().annotations.clone(),
        Target::Labels => object.meta().labels.clone(),
    }
    .unwrap_or_default();
    if !overwrite {
        overwrite_error(target, &current, &changes.set)?;
    }
    if target == Target::Labels {
        // label.go prints this to stdout and carries on.
        for key in changes.remove.iter().filter(|k| !current.contains_key(*k)) {
            ctx.out
                .out(&format!("label {} not found.\n", go_quote(key)));
        }
    }
    let mut map = current.clone();
    map.extend(changes.set.clone());
    for key in &changes.remove {
        map.remove(key);
    }
    let unchanged = map == current;
    let meta = object.meta_mut();
    let slot = match target {
        Target::Annotations => &mut meta.annotations,
        Target::Labels => &mut meta.labels,
    };
    *slot = (!map.is_empty()).then_some(map);
    let after = kplay_core::json_text::compact(&object.to_json()).len();
    ctx.cluster
        .update(object)
        .map_err(|e| errors::api_error(&e))?;
    let operation = match target {
        Target::Annotations => "annotated",
        // label.go updateDataChangeMsg: a shorter object without --overwrite is "unlabeled".
        Target::Labels if unchanged => "not labeled",
        Target::Labels if !overwrite && after < before => "unlabeled",
        Target::Labels => "labeled",
    };
    ctx.out.out(&name::operation(kind, &object_name, operation));
    Ok(())
}

/// `validateNoAnnotationOverwrites` / label.go `validateNoOverwrites`.
fn overwrite_error(
    target: Target,
    current: &BTreeMap<String, String>,
    set: &BTreeMap<String, String>,
) -> Result<(), String> {
    match target {
        Target::Annotations => {
            let clashes: Vec<String> = set
                .iter()
                .filter(|(k, _)| k.as_str() != CHANGE_CAUSE_ANNOTATION)
                .filter_map(|(k, v)| {
                    current
                        .get(k)
                        .filter(|old| *old != v)
                        .map(|old| format!("'{k}' already has a value ({old})"))
                })
                .collect();
            if clashes.is_empty() {
                return Ok(());
            }
            Err(errors::plain(&format!(
                "--overwrite is false but found the following declared annotation(s): {}",
                clashes.join("; ")
            )))
        }
        Target::Labels => {
            let clashes: Vec<String> = set
                .keys()
                .filter_map(|k| {
                    current.get(k).map(|old| {
                        format!("'{k}' already has a value ({old}), and --overwrite is false")
                    })
                })
                .collect();
            match clashes.as_slice() {
                [] => Ok(()),
                [one] => Err(errors::plain(one)),
                // utilerrors.Aggregate prints several errors as a bracketed list.
                many => Err(errors::plain(&format!("[{}]", many.join(", ")))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn resources_come_before_pairs() {
        let (r, p) = resources_and_pairs(&words("deploy web a=b c-"), "label").expect("ok");
        assert_eq!((r, p), (words("deploy web"), words("a=b c-")));
        assert_eq!(
            resources_and_pairs(&words("deploy a=b web"), "annotation").err(),
            Some("all resources must be specified before annotation changes: web".into())
        );
    }

    #[test]
    fn label_specs_as_label_go_parses_them() {
        let cases: &[(&str, Option<&str>)] = &[
            ("tier=web", None),
            ("a=b=c", Some("invalid label spec: a=b=c")),
            ("tier", Some("unknown label spec: tier")),
            ("tier=-x", Some("invalid label value: \"tier=-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")),
            ("tier=", None),
        ];
        for (spec, want) in cases {
            let got = parse_labels(&[spec.to_string()]).err();
            assert_eq!(got.as_deref(), *want, "{spec}");
        }
        assert_eq!(
            parse_labels(&words("a=b a-")).err().as_deref(),
            Some("can not both modify and remove a label in the same command")
        );
    }
}
