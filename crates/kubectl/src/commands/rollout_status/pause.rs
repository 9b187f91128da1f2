//! `kubectl rollout pause|resume|restart deployment/NAME`, as kubectl v1.32's
//! `pkg/cmd/rollout/rollout_{pause,resume,restart}.go` with the polymorphic helpers
//! `objectpauser.go`, `objectresumer.go` and `objectrestarter.go`.

use crate::commands::{parse_flags, Context};
use crate::errors;
use crate::printers::name;
use kplay_core::time::{format_rfc3339, timestamp};
use kplay_core::types::{Deployment, ObjectMeta};
use kplay_core::ApiObject;

/// The pod-template annotation `rollout restart` sets to the current time.
const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

/// What the command does to the Deployment.
#[derive(Clone, Copy)]
pub(super) enum Action {
    /// Sets `spec.paused`.
    Pause,
    /// Clears `spec.paused`.
    Resume,
    /// Stamps the pod template with `restartedAt`, which rolls out new pods.
    Restart,
}

impl Action {
    fn word(self) -> &'static str {
        match self {
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Restart => "restart",
        }
    }
}

/// Runs `kubectl rollout pause`, `resume` or `restart`.
pub(super) fn run(ctx: &mut Context<'_>, args: &[String], action: Action) {
    let path = format!("kubectl rollout {}", action.word());
    let help = format!("Usage:\n  kubectl rollout {} RESOURCE\n", action.word());
    let Some(flags) = parse_flags(ctx, args, &[], &path, &help) else {
        return;
    };
    let Some(targets) = super::deployment_targets(ctx, &flags.positional) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    for (kind, object) in targets {
        let Some(mut d) = ctx.live_or_report::<Deployment>(&namespace, &object) else {
            continue;
        };
        let paused = d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false);
        // The helpers' errors, prefixed as the commands prefix a patch error:
        // `error: deployments.apps "web" is already paused`.
        let refused = match action {
            Action::Pause if paused => Some("is already paused"),
            Action::Resume if !paused => Some("is not paused"),
            Action::Restart if paused => {
                Some("can't restart paused deployment (run rollout resume first)")
            }
            _ => None,
        };
        if let Some(reason) = refused {
            ctx.out.fail(&format!(
                "error: {}.{} \"{object}\" {reason}\n",
                kind.plural(),
                kind.group()
            ));
            continue;
        }
        let Some(spec) = d.spec.as_mut() else {
            continue;
        };
        let mut empty_patch = false;
        let operation = match action {
            Action::Pause => {
                spec.paused = Some(true);
                "paused"
            }
            Action::Resume => {
                spec.paused = Some(false);
                "resumed"
            }
            Action::Restart => {
                // `time.Now().Format(time.RFC3339)`: whole seconds, so a second restart in
                // the same second changes nothing.
                let now = format_rfc3339(timestamp(ctx.cluster.now()).0);
                let annotations = spec
                    .template
                    .metadata
                    .get_or_insert_with(ObjectMeta::default)
                    .annotations
                    .get_or_insert_with(Default::default);
                empty_patch = annotations.get(RESTARTED_AT_ANNOTATION) == Some(&now);
                annotations.insert(RESTARTED_AT_ANNOTATION.into(), now);
                "restarted"
            }
        };
        match ctx.cluster.update(d.into_object()) {
            Ok(_) => ctx.out.out(&name::operation(kind, &object, operation)),
            Err(e) => {
                ctx.out
                    .fail(&errors::plain(&format!("failed to patch: {}", e.message)));
                continue;
            }
        }
        // rollout_restart.go reports an empty patch after patching (and printing) anyway.
        if empty_patch {
            ctx.out.fail(&errors::plain(&format!(
                "failed to create patch for {object}: empty patch"
            )));
        }
    }
}
