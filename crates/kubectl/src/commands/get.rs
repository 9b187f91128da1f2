//! `kubectl get`: tables, `-o wide|yaml|json|name`, `--show-labels`, `-l`, `-n`/`-A`, as
//! kubectl v1.32's `pkg/cmd/get/get.go` prints them.

mod watch;

use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use crate::labels::format_labels;
#[cfg(feature = "printers")]
use crate::printers::{custom_columns, jsonpath};
use crate::printers::{json, name, table, yaml};
use crate::resource::{kind_group, kind_of, unknown_type_error};
use kplay_core::{ApiError, Kind, Object, ObjectKey};
use serde_json::{json, Value};

const FLAGS: &[Flag] = &[
    Flag::short("output", 'o', FlagType::String),
    Flag::short("selector", 'l', FlagType::String),
    Flag::short("all-namespaces", 'A', FlagType::Bool),
    Flag::long("show-labels", FlagType::Bool),
    Flag::long("no-headers", FlagType::Bool),
    Flag::long("allow-missing-template-keys", FlagType::Bool),
    Flag::short("watch", 'w', FlagType::Bool),
    Flag::long("watch-only", FlagType::Bool),
    Flag::long("request-timeout", FlagType::String),
];

const HELP: &str = "Display one or many resources.

Usage:
  kubectl get TYPE[,TYPE...]|all [NAME...] [-l SELECTOR] [-n NS|-A] [-o wide|yaml|json|name] [--show-labels] [--no-headers]
";

/// The kinds `kubectl get all` lists, in kubectl's order for the `all` category.
const ALL: [Kind; 4] = [Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet];

/// The output format.
enum Format {
    Table {
        wide: bool,
    },
    Yaml,
    Json,
    Name,
    /// `-o jsonpath=TEMPLATE` / `jsonpath-file=FILE` (the template, already checked).
    #[cfg(feature = "printers")]
    JsonPath(String),
    #[cfg(feature = "printers")]
    CustomColumns(custom_columns::Columns),
}

/// The printer `-o VALUE` names, as kubectl's `PrintFlags.ToPrinter` resolves it (template
/// errors come before the objects are fetched); prints kubectl's error and returns `None`.
fn output_format(ctx: &mut Context<'_>, output: &str) -> Option<Format> {
    let (name, argument) = output.split_once('=').unwrap_or((output, ""));
    let result = match name {
        "" if argument.is_empty() => Ok(Format::Table { wide: false }),
        "wide" => Ok(Format::Table { wide: true }),
        "yaml" => Ok(Format::Yaml),
        "json" => Ok(Format::Json),
        "name" => Ok(Format::Name),
        // Without the template printers the whole command is answered elsewhere.
        #[cfg(not(feature = "printers"))]
        "jsonpath" | "jsonpath-file" | "custom-columns" | "custom-columns-file" => {
            ctx.out.exit_code = crate::ELSEWHERE;
            return None;
        }
        #[cfg(feature = "printers")]
        "jsonpath" | "jsonpath-file" => {
            let template = if name == "jsonpath" {
                Ok(argument.to_string())
            } else {
                read_template(ctx, argument, "error reading --template")
            };
            template.and_then(|t| {
                if t.is_empty() {
                    return Err("template format specified but no template given".to_string());
                }
                jsonpath::parse(&t)
                    .map(|_| Format::JsonPath(t.clone()))
                    .map_err(|e| format!("error parsing jsonpath {t}, {e}"))
            })
        }
        #[cfg(feature = "printers")]
        "custom-columns" => custom_columns::from_spec(argument).map(Format::CustomColumns),
        #[cfg(feature = "printers")]
        "custom-columns-file" => read_template(ctx, argument, "error reading template")
            .and_then(|t| custom_columns::from_template(&t).map(Format::CustomColumns)),
        _ => Err(format!("unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")),
    };
    result.map_err(|e| ctx.out.fail(&errors::plain(&e))).ok()
}

#[cfg(feature = "printers")]
/// A `-o ...-file=FILE` template; the error is kubectl's `error reading template FILE,
/// open FILE: no such file or directory` (printflags for jsonpath and custom columns).
fn read_template(ctx: &Context<'_>, path: &str, what: &str) -> Result<String, String> {
    (ctx.files)(path)
        .ok_or_else(|| format!("{what} {path}, open {path}: no such file or directory"))
}

/// Runs `kubectl get`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl get", HELP) else {
        return;
    };
    let Some(format) = output_format(ctx, flags.value("output").unwrap_or("")) else {
        return;
    };
    if flags.positional.is_empty() {
        ctx.out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n");
        return;
    }
    let Some(selection) = super::selection(ctx, &flags.positional) else {
        return;
    };
    let Some(selector) = super::label_selector(ctx, flags.value("selector").unwrap_or("")) else {
        return;
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
                (Object::Event(a), Object::Event(b)) => crate::event_order::list_order(a, b),
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

    if flags.bool("watch", false) || flags.bool("watch-only", false) {
        let Format::Table { wide } = format else {
            ctx.out.fail("error: kplay watches with table output only (no -o yaml, json, name, jsonpath or custom-columns with -w)\n");
            return;
        };
        if kinds.len() > 1 {
            ctx.out.fail(&errors::plain(&format!("watch is only supported on individual resources and resource collections, but {} resources were found", kinds.len())));
            return;
        }
        let Some(duration) = request_timeout(flags.value("request-timeout").unwrap_or("0")) else {
            ctx.out.fail(&errors::plain("invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)"));
            return;
        };
        let watch_only = flags.bool("watch-only", false);
        let headers = !flags.bool("no-headers", false);
        let show_labels = flags.bool("show-labels", false);
        if !watch_only {
            let now = ctx.cluster.now();
            print_tables(
                ctx,
                &found,
                &kinds,
                now,
                wide,
                show_labels,
                headers,
                false,
                all_namespaces,
            );
        }
        for err in &errs {
            ctx.out.fail(&errors::standard_message(err));
        }
        let names: Vec<String> = selection.names.iter().map(|(_, n)| n.clone()).collect();
        let (Some(&kind), true) = (kinds.first(), errs.is_empty()) else {
            return;
        };
        let watch = watch::Watch {
            kind,
            namespace: (kind.namespaced() && !all_namespaces).then_some(namespace.as_str()),
            selector: &selector,
            names: &names,
            wide,
            show_labels,
            header_pending: headers && (watch_only || found.is_empty()),
            all_namespaces,
        };
        watch::run(ctx, watch, duration);
        return;
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
        // YAML, JSON and the templates: the objects as one value.
        _ => {
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
                let text: Result<String, String> = match &format {
                    Format::Yaml => Ok(yaml::to_yaml(&value)),
                    #[cfg(feature = "printers")]
                    Format::JsonPath(template) => {
                        let allow_missing = flags.bool("allow-missing-template-keys", true);
                        jsonpath::print(template, &value, allow_missing)
                    }
                    #[cfg(feature = "printers")]
                    Format::CustomColumns(columns) => {
                        // customcolumn.go prints a list's items, each as one row.
                        let rows = match value.get("items").and_then(Value::as_array) {
                            Some(items) if !single => items.clone(),
                            _ => vec![value.clone()],
                        };
                        let headers = !flags.bool("no-headers", false);
                        custom_columns::render(columns, &rows, headers)
                    }
                    _ => Ok(json::to_json(&value)),
                };
                match text {
                    Ok(text) => ctx.out.out(&text),
                    Err(e) => ctx.out.fail(&errors::plain(&e)),
                }
            }
        }
    }
    for err in &errs {
        ctx.out.fail(&errors::standard_message(err));
    }
}

/// `--request-timeout`: a Go duration, or a bare number of seconds; `0` is no timeout.
fn request_timeout(text: &str) -> Option<u64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().ok().map(|s| s.saturating_mul(1000));
    }
    crate::duration::parse_go_duration(text)
        .ok()
        .map(|d| d.unwrap_or(0))
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
