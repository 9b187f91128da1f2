//! `kubectl logs POD [CONTAINER] [-c CONTAINER] [--tail=N] [-p] [-f]` and `kubectl logs
//! TYPE/NAME`, as kubectl v1.32's `pkg/cmd/logs/logs.go` runs them. The lines come from the
//! simulation ([`kplay_core::logs`]): what the container's app printed at each start.
//!
//! For a Deployment or ReplicaSet kubectl picks one pod (`GetFirstPod`) and says which on
//! stderr (`Found 3 pods, using pod/NAME`); a pod with several containers and no `-c` uses
//! the first one (`Defaulted container "a" out of: a, b`). `-f` follows the stream in a real
//! terminal; in a script or the console it prints what exists and returns.

use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use kplay_core::logs;
use kplay_core::quote::go_quote;
use kplay_core::types::Pod;

const FLAGS: &[Flag] = &[
    Flag::short("container", 'c', FlagType::String),
    Flag::long("tail", FlagType::Int),
    Flag::short("follow", 'f', FlagType::Bool),
    Flag::short("previous", 'p', FlagType::Bool),
];

const HELP: &str = "Print the logs for a container in a pod or specified resource.

Usage:
  kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [--tail=N]
";

/// logs.go `logsUsageErrStr`, printed through `UsageErrorf`.
const USAGE_ERROR: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.
POD or TYPE/NAME is a required argument for the logs command
See 'kubectl logs -h' for help and examples
";

/// Runs `kubectl logs`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl logs", HELP) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    let (target, container_arg) = match flags.positional.as_slice() {
        [target] => (target.clone(), None),
        [target, container] => (target.clone(), Some(container.clone())),
        [] => {
            ctx.out.fail(USAGE_ERROR);
            return;
        }
        _ => {
            ctx.out.fail(&errors::usage_examples(
                "kubectl logs",
                "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
            ));
            return;
        }
    };
    let container = flags
        .value("container")
        .map(str::to_string)
        .or(container_arg);
    let pod = match find_pod(ctx, &namespace, &target) {
        Ok(pod) => pod,
        Err(message) => {
            ctx.out.fail(&message);
            return;
        }
    };
    let names: Vec<String> = pod
        .spec
        .iter()
        .flat_map(|s| s.containers.iter().map(|c| c.name.clone()))
        .collect();
    let container = match container {
        Some(c) => c,
        None => {
            let Some(first) = names.first() else {
                return;
            };
            if names.len() > 1 {
                // podcmd.FindOrDefaultContainerByName's notice.
                ctx.out.stderr.push_str(&format!(
                    "Defaulted container {} out of: {}\n",
                    go_quote(first),
                    names.join(", ")
                ));
            }
            first.clone()
        }
    };
    let previous = flags.bool("previous", false);
    match logs::container_logs(ctx.cluster, &pod, &container, previous) {
        Ok(lines) => {
            let tail = flags.int("tail").unwrap_or(-1);
            let skip = match usize::try_from(tail) {
                Ok(n) => lines.len().saturating_sub(n),
                Err(_) => 0,
            };
            for line in lines.iter().skip(skip) {
                ctx.out.out(&format!("{line}\n"));
            }
        }
        Err(message) => ctx
            .out
            .fail(&format!("Error from server (BadRequest): {message}\n")),
    }
}

/// The pod a `logs` target names (see [`super::first_pod`]), with kubectl's `Found N pods,
/// using pod/NAME` on stderr when the selector matched several.
fn find_pod(ctx: &mut Context<'_>, namespace: &str, target: &str) -> Result<Pod, String> {
    let (first, matched) = super::first_pod::find(ctx, namespace, target, "get the logs from")?;
    if matched > 1 {
        ctx.out.stderr.push_str(&format!(
            "Found {matched} pods, using pod/{}\n",
            first.metadata.name.as_deref().unwrap_or("")
        ));
    }
    Ok(first)
}
