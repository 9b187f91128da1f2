//! `kubectl get`: tables, `-o wide|yaml|json|name`, `--show-labels`, `-l`, `-n`/`-A`, as
//! kubectl v1.32's `pkg/cmd/get/get.go` prints them.

use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use crate::labels::{format_labels, Selector};
use crate::printers::{json, name, table, yaml};
use crate::resource::{kind_group, kind_of, select, unknown_type_error};
use kplay_core::{ApiError, Kind, Object, ObjectKey};
use serde_json::{json, Value};

const FLAGS: &[Flag] = &[
    Flag::short("output", 'o', FlagType::String),
    Flag::short("selector", 'l', FlagType::String),
    Flag::short("all-namespaces", 'A', FlagType::Bool),
    Flag::long("show-labels", FlagType::Bool),
    Flag::long("no-headers", FlagType::Bool),
];

const HELP: &str = "Display one or many resources.

Usage:
  kubectl get TYPE[,TYPE...]|all [NAME...] [-l SELECTOR] [-n NS|-A] [-o wide|yaml|json|name] [--show-labels] [--no-headers]
";

/// The kinds `kubectl get all` lists, in kubectl's order for the `all` category.
const ALL: [Kind; 4] = [Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet];

/// The output format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Table { wide: bool },
    Yaml,
    Json,
    Name,
}

/// Runs `kubectl get`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl get", HELP) else {
        return;
    };
    let format = match flags.value("output").unwrap_or("") {
        "" => Format::Table { wide: false },
        "wide" => Format::Table { wide: true },
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "name" => Format::Name,
        other => {
            ctx.out.fail(&format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"));
            return;
        }
    };
    if flags.positional.is_empty() {
        ctx.out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n");
        return;
    }
    let selection = match select(&flags.positional) {
        Ok(s) => s,
        Err(e) => {
            ctx.out.fail(&errors::plain(&e));
            return;
        }
    };
    let selector = match Selector::parse(flags.value("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => {
            ctx.out.fail(&errors::plain(&e));
            return;
        }
    };
    // Resolve every type first: kubectl fails before printing anything on an unknown one.
    let mut kinds: Vec<Kind> = Vec::new();
    for word in &selection.types {
        let resolved = match word.as_str() {
            "all" => ALL.to_vec(),
            w => match kind_of(w) {
                Some(k) => vec![k],
                None => {
                    ctx.out.fail(&unknown_type_error(w));
                    return;
                }
            },
        };
        for k in resolved {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    let all_namespaces = flags.bool("all-namespaces", false);
    let namespace = flags.namespace().to_string();
    let with_kind = selection.types.len() > 1 || selection.types.iter().any(|t| t == "all");
    let single = selection.names.len() == 1 && !with_kind;

    let mut found: Vec<Object> = Vec::new();
    let mut errs: Vec<ApiError> = Vec::new();
    if selection.names.is_empty() {
        for &kind in &kinds {
            let ns = (!all_namespaces).then_some(namespace.as_str());
            let mut listed: Vec<Object> = ctx
                .cluster
                .store()
                .list_objects(kind, ns)
                .filter(|o| selector.matches(o.meta().labels.as_ref()))
                .cloned()
                .collect();
            // Events come in the API server's order: by their real names, not by time.
            kplay_core::sort::sort_by(&mut listed, |a, b| match (a, b) {
                (Object::Event(a), Object::Event(b)) => crate::describe::list_order(a, b),
                _ => std::cmp::Ordering::Equal,
            });
            found.extend(listed);
        }
    } else {
        for (word, obj_name) in &selection.names {
            let Some(kind) = kind_of(word) else { continue };
            let key = ObjectKey::new(kind, &namespace, obj_name);
            match ctx.cluster.store().get_object(&key) {
                Some(o) => found.push(o.clone()),
                None => errs.push(ApiError::not_found(kind, obj_name)),
            }
        }
    }

    let now = ctx.cluster.now();
    match format {
        Format::Table { wide } => {
            let show_labels = flags.bool("show-labels", false);
            let headers = !flags.bool("no-headers", false);
            print_tables(
                ctx,
                &found,
                &kinds,
                now,
                wide,
                show_labels,
                headers,
                with_kind,
                all_namespaces,
            );
            if found.is_empty() && errs.is_empty() {
                let namespaced = kinds.iter().any(|k| k.namespaced());
                if all_namespaces || !namespaced {
                    ctx.out.stderr.push_str("No resources found\n");
                } else {
                    ctx.out
                        .stderr
                        .push_str(&format!("No resources found in {namespace} namespace.\n"));
                }
            }
        }
        Format::Name => {
            for o in &found {
                ctx.out
                    .out(&format!("{}\n", name::name(o.kind(), o.name())));
            }
        }
        Format::Yaml | Format::Json => {
            let value = match (single, found.as_slice()) {
                (true, [one]) => Some(one.to_json()),
                (true, _) => None,
                _ => Some(json!({
                    "apiVersion": "v1",
                    "items": found.iter().map(Object::to_json).collect::<Vec<Value>>(),
                    "kind": "List",
                    "metadata": {"resourceVersion": ""},
                })),
            };
            if let Some(value) = value {
                let text = if format == Format::Yaml {
                    yaml::to_yaml(&value)
                } else {
                    json::to_json(&value)
                };
                ctx.out.out(&text);
            }
        }
    }
    for err in &errs {
        ctx.out.fail(&errors::standard_message(err));
    }
}

/// One table per kind, in the order of `kinds`, separated by blank lines.
#[allow(clippy::too_many_arguments)] // reason: the table options are kubectl's flags, passed through
fn print_tables(
    ctx: &mut Context<'_>,
    found: &[Object],
    kinds: &[Kind],
    now: u64,
    wide: bool,
    show_labels: bool,
    headers: bool,
    with_kind: bool,
    all_namespaces: bool,
) {
    let mut first = true;
    for &kind in kinds {
        let objects: Vec<&Object> = found.iter().filter(|o| o.kind() == kind).collect();
        if objects.is_empty() {
            continue;
        }
        let mut rows: Vec<Vec<String>> = Vec::new();
        if headers {
            let mut header: Vec<String> = Vec::new();
            if all_namespaces && kind.namespaced() {
                header.push("NAMESPACE".into());
            }
            header.extend(table::headers(kind, wide).into_iter().map(str::to_string));
            if show_labels {
                header.push("LABELS".into());
            }
            rows.push(header);
        }
        for o in objects {
            let display = if with_kind {
                format!("{}/{}", kind_group(kind), o.name())
            } else {
                o.name().to_string()
            };
            let mut row = Vec::new();
            if all_namespaces && kind.namespaced() {
                row.push(o.namespace().to_string());
            }
            row.extend(table::row(o, display, now, wide));
            if show_labels {
                row.push(format_labels(o.meta().labels.as_ref()));
            }
            rows.push(row);
        }
        if !first {
            ctx.out.out("\n");
        }
        first = false;
        ctx.out.out(&table::render(&rows));
    }
}
