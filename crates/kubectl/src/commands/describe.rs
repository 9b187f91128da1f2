//! `kubectl describe`: the multi-section description of objects with their events, as
//! kubectl v1.32's `pkg/cmd/describe/describe.go` selects and separates them; the text of
//! each object comes from [`crate::describe`].

use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::describe::describe;
use crate::errors;
use crate::resource::{kind_of, unknown_type_error};
use kplay_core::{ApiError, Kind, Object, ObjectKey};

const FLAGS: &[Flag] = &[
    Flag::short("selector", 'l', FlagType::String),
    Flag::short("all-namespaces", 'A', FlagType::Bool),
    Flag::long("show-events", FlagType::Bool),
];

const HELP: &str = "Show details of a specific resource or group of resources.

Usage:
  kubectl describe (TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [-n NS|-A] [--show-events=false]
";

/// Runs `kubectl describe`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl describe", HELP) else {
        return;
    };
    if flags.positional.is_empty() {
        ctx.out.fail("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
        return;
    }
    let Some(selection) = super::selection(ctx, &flags.positional) else {
        return;
    };
    let Some(selector) = super::label_selector(ctx, flags.value("selector").unwrap_or("")) else {
        return;
    };
    let mut kinds: Vec<Kind> = Vec::new();
    for word in &selection.types {
        match kind_of(word) {
            Some(Kind::Event) => {
                ctx.out
                    .fail("error: kplay does not simulate \"kubectl describe events\" yet\n");
                return;
            }
            Some(k) if !kinds.contains(&k) => kinds.push(k),
            Some(_) => {}
            None => {
                ctx.out.fail(&unknown_type_error(word));
                return;
            }
        }
    }
    let all_namespaces = flags.bool("all-namespaces", false);
    let namespace = flags.namespace().to_string();
    let show_events = flags.bool("show-events", true);
    let store = ctx.cluster.store();
    let now = ctx.cluster.now();

    let mut found: Vec<&Object> = Vec::new();
    let mut errs: Vec<ApiError> = Vec::new();
    if selection.names.is_empty() {
        for &kind in &kinds {
            let ns = (!all_namespaces).then_some(namespace.as_str());
            found.extend(
                store
                    .list_objects(kind, ns)
                    .filter(|o| selector.matches(o.meta().labels.as_ref())),
            );
        }
    } else {
        for (word, name) in &selection.names {
            let Some(kind) = kind_of(word) else { continue };
            match store.get_object(&ObjectKey::new(kind, &namespace, name)) {
                Some(o) => found.push(o),
                None => errs.push(ApiError::not_found(kind, name)),
            }
        }
    }

    // `TYPE NAME` that names nothing describes every object whose name starts with NAME
    // (`DescribeMatchingResources`), each followed by a blank line.
    if let ([err], [type_word, prefix]) = (errs.as_slice(), flags.positional.as_slice()) {
        let prefixed: Vec<&Object> = match kind_of(type_word).filter(|_| !type_word.contains('/')) {
            Some(kind) => store
                .list_objects(kind, Some(&namespace))
                .filter(|o| o.name().starts_with(prefix.as_str()))
                .collect(),
            None => Vec::new(),
        };
        if prefixed.is_empty() {
            ctx.out.fail(&errors::standard_message(err));
            return;
        }
        for o in prefixed {
            let text = describe(store, o, now, show_events).unwrap_or_default();
            ctx.out.stdout.push_str(&format!("{text}\n"));
        }
        return;
    }

    let mut text = String::new();
    for (i, o) in found.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        text.push_str(&describe(store, o, now, show_events).unwrap_or_default());
    }
    ctx.out.stdout.push_str(&text);
    if found.is_empty() && errs.is_empty() {
        let message = if all_namespaces {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        };
        ctx.out.stderr.push_str(&message);
    }
    for err in &errs {
        ctx.out.fail(&errors::standard_message(err));
    }
}
