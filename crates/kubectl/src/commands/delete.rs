//! `kubectl delete TYPE NAME...` / `TYPE/NAME...`, as kubectl v1.32's
//! `pkg/cmd/delete/delete.go` reports it: `pod "web-x" deleted`,
//! `deployment.apps "web" deleted`. kplay returns as soon as the deletion has started
//! (like `--wait=false`): a deleted pod stays Terminating for its grace period, which the
//! next commands and `sleep` show.

use super::{parse_flags, targets, Context};
use crate::errors;
use crate::resource::kind_group;
use kplay_core::Kind;

const HELP: &str = "Delete resources by resource and names.

Usage:
  kubectl delete (TYPE NAME... | TYPE/NAME...)
";

/// Runs `kubectl delete`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, &[], "kubectl delete", HELP) else {
        return;
    };
    let allowed = [
        Kind::Pod,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::Service,
        Kind::Namespace,
    ];
    let Some(targets) = targets(ctx, &flags.positional, &allowed) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    for (kind, object) in targets {
        match ctx.cluster.delete(kind, &namespace, &object) {
            Ok(_) => ctx
                .out
                .out(&format!("{} \"{object}\" deleted\n", kind_group(kind))),
            Err(e) => ctx.out.fail(&errors::standard_message(&e)),
        }
    }
}
