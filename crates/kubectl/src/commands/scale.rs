//! `kubectl scale deployment/NAME --replicas=N` (and `deployment NAME`, ReplicaSets too),
//! as kubectl v1.32's `pkg/cmd/scale/scale.go` does it: set `spec.replicas`, print
//! `deployment.apps/web scaled`.

use super::create::{dry_run, output_ok, print_changed, DryRun};
use super::{parse_flags, targets, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use kplay_core::types::{Deployment, ReplicaSet};
use kplay_core::{ApiError, ApiObject, Kind, ObjectKey};

const FLAGS: &[Flag] = &[
    Flag::long("replicas", FlagType::Int),
    Flag::long("current-replicas", FlagType::Int),
    Flag::long("dry-run", FlagType::String),
    Flag::short("output", 'o', FlagType::String),
];

const HELP: &str = "Set a new size for a deployment or replica set.

Usage:
  kubectl scale [--current-replicas=count] --replicas=COUNT (TYPE NAME | TYPE/NAME) [--dry-run=client|server] [-o yaml]
";

/// Runs `kubectl scale`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl scale", HELP) else {
        return;
    };
    let Some(replicas) = flags.int("replicas") else {
        ctx.out
            .fail(&errors::plain("required flag(s) \"replicas\" not set"));
        return;
    };
    if replicas < 0 {
        ctx.out.fail(&errors::plain(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
        return;
    }
    let Some(targets) = targets(
        ctx,
        &flags.positional,
        &[Kind::Deployment, Kind::ReplicaSet],
    ) else {
        return;
    };
    let Some(dry) = dry_run(ctx, &flags) else {
        return;
    };
    let output = flags.value("output").unwrap_or("").to_string();
    if !output_ok(ctx, &output) {
        return;
    }
    let namespace = flags.namespace().to_string();
    let current = flags.int("current-replicas");
    let replicas = i32::try_from(replicas).unwrap_or(i32::MAX);
    for (kind, object) in targets {
        // scale.go prints `info.Object`, the object as read before scaling (so `-o yaml`
        // shows the old replicas); a client dry run does not scale at all, a server dry run
        // scales a copy of the cluster.
        let Some(before) = ctx
            .cluster
            .store()
            .get_object(&ObjectKey::new(kind, &namespace, &object))
            .map(|o| o.to_json())
        else {
            ctx.out
                .fail(&errors::api_error(&ApiError::not_found(kind, &object)));
            continue;
        };
        let mut copy = (dry == DryRun::Server).then(|| ctx.cluster.clone());
        let mut scratch = Context {
            cluster: copy.as_mut().unwrap_or(&mut *ctx.cluster),
            stdin: ctx.stdin,
            files: ctx.files,
            out: &mut *ctx.out,
        };
        let result = match (dry, kind) {
            (DryRun::Client, _) => Ok(()),
            (_, Kind::Deployment) => {
                scale::<Deployment>(&mut scratch, &namespace, &object, replicas, current)
            }
            _ => scale::<ReplicaSet>(&mut scratch, &namespace, &object, replicas, current),
        };
        match result {
            Ok(()) => print_changed(ctx, &before, kind, &object, "scaled", &output, dry),
            Err(Failed::Api(e)) => ctx.out.fail(&errors::api_error(&e)),
            Err(Failed::Precondition(m)) => ctx.out.fail(&errors::plain(&m)),
        }
    }
}

enum Failed {
    Api(ApiError),
    Precondition(String),
}

/// Something with `spec.replicas`.
trait Scalable: ApiObject {
    fn replicas_mut(&mut self) -> Option<&mut Option<i32>>;
}

impl Scalable for Deployment {
    fn replicas_mut(&mut self) -> Option<&mut Option<i32>> {
        self.spec.as_mut().map(|s| &mut s.replicas)
    }
}

impl Scalable for ReplicaSet {
    fn replicas_mut(&mut self) -> Option<&mut Option<i32>> {
        self.spec.as_mut().map(|s| &mut s.replicas)
    }
}

fn scale<T: Scalable>(
    ctx: &mut Context<'_>,
    namespace: &str,
    object: &str,
    replicas: i32,
    current: Option<i64>,
) -> Result<(), Failed> {
    let mut live: T = ctx.live(namespace, object).map_err(Failed::Api)?;
    let Some(slot) = live.replicas_mut() else {
        return Err(Failed::Api(ApiError::not_found(T::KIND, object)));
    };
    if let Some(expected) = current {
        let actual = slot.unwrap_or(1);
        if i64::from(actual) != expected {
            return Err(Failed::Precondition(format!(
                "Expected replicas to be {expected}, was {actual}"
            )));
        }
    }
    *slot = Some(replicas);
    ctx.cluster
        .update(live.into_object())
        .map(|_| ())
        .map_err(Failed::Api)
}
