//! `kubectl delete (TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all | -f FILE)`
//! with `--grace-period`, `--now` and `--force`, as kubectl v1.32's `pkg/cmd/delete/delete.go`
//! reports it: `pod "web-x" deleted`, `deployment.apps "web" deleted`, `pod "x" force
//! deleted` when the grace period is 0, `No resources found` (stdout) when a selector
//! matches nothing.
//!
//! Real kubectl waits (`--wait=true`) until the objects are gone; kplay returns as soon as
//! the deletion has started, as with `--wait=false`, so that the next commands (and `sleep`)
//! show the pod `Terminating` for its grace period. `--wait` is accepted for that reason.

use super::{parse_flags, Context, NO_RESOURCES};
use crate::args::{Flag, FlagType};
use crate::errors;
use crate::manifest;
use crate::resource::{kind_group, kind_of, unknown_type_error};
use kplay_core::{Kind, ObjectKey};
use serde_json::Value;

const FLAGS: &[Flag] = &[
    Flag::short("filename", 'f', FlagType::String),
    Flag::short("selector", 'l', FlagType::String),
    Flag::long("all", FlagType::Bool),
    Flag::long("grace-period", FlagType::Int),
    Flag::long("now", FlagType::Bool),
    Flag::long("force", FlagType::Bool),
    Flag::long("wait", FlagType::Bool),
];

const HELP: &str = "Delete resources by file names, stdin, resources and names, or by resources and label selector.

Usage:
  kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [--grace-period=N] [--now] [--force] [--wait=false]
";

/// The kinds kplay deletes.
const DELETABLE: [Kind; 6] = [
    Kind::Pod,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::Service,
    Kind::Namespace,
    Kind::NetworkPolicy,
];

/// Runs `kubectl delete`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl delete", HELP) else {
        return;
    };
    let Some(grace) = grace_period(ctx, &flags) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    let Some(targets) = resolve(ctx, &flags, &namespace) else {
        return;
    };
    // delete.go Validate: the warnings come before any deletion.
    let force = flags.bool("force", false);
    if force && grace == Some(0) {
        ctx.out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    } else if force {
        ctx.out
            .stderr
            .push_str("warning: --force is ignored because --grace-period is not 0.\n");
    }
    let Some(targets) = targets else {
        // A selector or --all that matched nothing.
        ctx.out.out("No resources found\n");
        return;
    };
    let operation = if grace == Some(0) {
        "force deleted"
    } else {
        "deleted"
    };
    for target in targets {
        match target {
            Ok((kind, ns, object)) => {
                match ctx.cluster.delete_with_grace(kind, &ns, &object, grace) {
                    Ok(_) => ctx
                        .out
                        .out(&format!("{} \"{object}\" {operation}\n", kind_group(kind))),
                    Err(e) => ctx.out.fail(&errors::standard_message(&e)),
                }
            }
            Err(message) => ctx.out.fail(&message),
        }
    }
}

/// The grace period kubectl sends (delete.go `Complete`): `--now` is 1; `--grace-period=0`
/// without `--force` becomes 1 (to prevent accidental data loss); `--force` alone is 0;
/// `None` leaves the pod's own `terminationGracePeriodSeconds`. Returns `None` on a flag
/// error (printed).
fn grace_period(ctx: &mut Context<'_>, flags: &crate::args::Parsed) -> Option<Option<i64>> {
    let result = grace_for(
        flags.int("grace-period").unwrap_or(-1),
        flags.bool("now", false),
        flags.bool("force", false),
    );
    result.map_err(|e| ctx.out.fail(&errors::plain(e))).ok()
}

/// [`grace_period`]'s arithmetic: `--grace-period` (-1 when absent), `--now`, `--force`.
fn grace_for(grace: i64, now: bool, force: bool) -> Result<Option<i64>, &'static str> {
    let mut grace = grace;
    if now {
        if grace != -1 {
            return Err("--now and --grace-period cannot be specified together");
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    Ok((grace >= 0).then_some(grace))
}

/// One object to delete, or the error to print in its place.
type Target = Result<(Kind, String, String), String>;

/// The objects the arguments name: `Some(targets)`, or `Some(None)` when a selector or
/// `--all` matched nothing; `None` after printing an argument error.
fn resolve(
    ctx: &mut Context<'_>,
    flags: &crate::args::Parsed,
    namespace: &str,
) -> Option<Option<Vec<Target>>> {
    let all = flags.bool("all", false);
    let selector_text = flags.value("selector").unwrap_or("");
    if all && !selector_text.is_empty() {
        ctx.out.fail(&errors::plain(
            "setting 'all' parameter but found a non empty selector. ",
        ));
        return None;
    }
    if let Some(file) = flags.value("filename") {
        if !flags.positional.is_empty() {
            ctx.out.fail(&errors::plain(
                "Unexpected args: there are positional arguments and a -f flag",
            ));
            return None;
        }
        return from_file(ctx, file, namespace).map(Some);
    }
    let selection = super::selection(ctx, &flags.positional)?;
    if selection.types.is_empty() {
        ctx.out.fail(NO_RESOURCES);
        return None;
    }
    let mut kinds = Vec::new();
    for word in &selection.types {
        match kind_of(word) {
            Some(kind) if DELETABLE.contains(&kind) => kinds.push(kind),
            Some(kind) => {
                ctx.out.fail(&format!(
                    "error: kplay does not support this command for {} yet\n",
                    kind.plural()
                ));
                return None;
            }
            None => {
                ctx.out.fail(&unknown_type_error(word));
                return None;
            }
        }
    }
    let by_selector = all || !selector_text.is_empty();
    if by_selector && !selection.names.is_empty() {
        ctx.out.fail(&errors::plain(
            "name cannot be provided when a selector is specified",
        ));
        return None;
    }
    if !by_selector {
        if selection.names.is_empty() {
            ctx.out
                .fail("error: resource(s) were provided, but no name was specified\n");
            return None;
        }
        let targets = selection
            .names
            .into_iter()
            .filter_map(|(word, name)| kind_of(&word).map(|k| Ok((k, namespace.to_string(), name))))
            .collect();
        return Some(Some(targets));
    }
    let selector = super::label_selector(ctx, selector_text)?;
    let mut targets = Vec::new();
    for kind in kinds {
        let ns = kind.namespaced().then_some(namespace);
        for object in ctx.cluster.store().list_objects(kind, ns) {
            if selector.matches(object.meta().labels.as_ref()) {
                targets.push(Ok((
                    kind,
                    object.namespace().to_string(),
                    object.name().to_string(),
                )));
            }
        }
    }
    Some((!targets.is_empty()).then_some(targets))
}

/// The objects a manifest names (`-f FILE` or `-f -`), each in its own namespace or `-n`'s.
fn from_file(ctx: &mut Context<'_>, file: &str, namespace: &str) -> Option<Vec<Target>> {
    let (source, text) = super::read_manifest(ctx, file)?;
    let (documents, parse_error) = manifest::parse(&text);
    let mut targets: Vec<Target> = Vec::new();
    for document in documents {
        let field = |name: &str| {
            document
                .value
                .pointer(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let kind_name = field("/kind");
        let Some(kind) = Kind::from_name(&kind_name).filter(|k| DELETABLE.contains(k)) else {
            targets.push(Err(errors::plain(&format!(
                "resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{source}\": no matches for kind \"{kind_name}\"",
                field("/metadata/name"),
                field("/metadata/namespace"),
            ))));
            continue;
        };
        let ns = match field("/metadata/namespace") {
            n if n.is_empty() => namespace.to_string(),
            n => n,
        };
        let name = field("/metadata/name");
        // The builder reads each object before deleting it; a missing one is NotFound.
        if ctx
            .cluster
            .store()
            .get_object(&ObjectKey::new(kind, &ns, &name))
            .is_none()
        {
            targets.push(Err(errors::standard_message(&errors::with_source(
                "deleting",
                &source,
                kplay_core::ApiError::not_found(kind, &name),
            ))));
            continue;
        }
        targets.push(Ok((kind, ns, name)));
    }
    if let Some(e) = parse_error {
        targets.push(Err(errors::plain(&format!("error parsing {source}: {e}"))));
    }
    if targets.is_empty() {
        ctx.out.fail("error: no objects passed to delete\n");
        return None;
    }
    Some(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// delete.go `Complete`'s conversions, one case per line: (--grace-period, --now,
    /// --force) -> the DeleteOptions.gracePeriodSeconds sent.
    #[test]
    fn grace_periods_as_delete_go_sends_them() {
        type Case = (i64, bool, bool, Result<Option<i64>, &'static str>);
        let cases: &[Case] = &[
            (-1, false, false, Ok(None)),
            (5, false, false, Ok(Some(5))),
            (0, false, false, Ok(Some(1))),
            (0, false, true, Ok(Some(0))),
            (-1, false, true, Ok(Some(0))),
            (5, false, true, Ok(Some(5))),
            (-1, true, false, Ok(Some(1))),
            (
                3,
                true,
                false,
                Err("--now and --grace-period cannot be specified together"),
            ),
        ];
        for (grace, now, force, want) in cases {
            assert_eq!(
                grace_for(*grace, *now, *force),
                *want,
                "{grace} {now} {force}"
            );
        }
    }
}
