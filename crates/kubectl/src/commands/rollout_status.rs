//! `kubectl rollout status deployment/NAME [--timeout=D] [--watch=false]`.
//!
//! Real kubectl watches the Deployment and prints the status line that
//! `polymorphichelpers.DeploymentStatusViewer` (rollout_status.go, v1.32) derives from each
//! event until the rollout is done. Here the watch drives virtual time: the cluster is
//! advanced from one scheduled timer to the next, and each distinct line is printed once
//! (a real watch may repeat a line when several events carry the same counts). It stops when
//! the rollout is done, when `--timeout` passes (`timed out waiting for the condition`), or
//! after [`WATCH_CAP_MS`] of virtual time, a cap longer than the default 600 s progress
//! deadline so that a stuck rollout normally ends with kubectl's own
//! `exceeded its progress deadline` error first.

mod history;
mod pause;
mod undo;

use super::{parse_flags, targets, unknown_command, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use kplay_core::types::Deployment;
use kplay_core::{ApiError, Kind, Millis};

/// The longest a `rollout status` watches without a `--timeout`: 15 virtual minutes.
pub const WATCH_CAP_MS: Millis = 15 * 60 * 1000;

/// A bound on timer steps per watch, so that a simulation that keeps scheduling timers at
/// the same instant cannot hang the command.
const MAX_STEPS: u32 = 100_000;

const FLAGS: &[Flag] = &[
    Flag::long("timeout", FlagType::Duration),
    Flag::short("watch", 'w', FlagType::Bool),
];

const HELP: &str = "Show the status of the rollout.

Usage:
  kubectl rollout status (TYPE NAME | TYPE/NAME) [--timeout=DURATION] [--watch=false]
";

const ROLLOUT_SUBCOMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// `kubectl rollout`'s help: its subcommands as cobra lists them.
const ROLLOUT_HELP: &str = "Manage the rollout of one or many resources.

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout
";

/// Runs `kubectl rollout SUBCOMMAND`.
pub fn run_rollout(ctx: &mut Context<'_>, args: &[String]) {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        ctx.out.out(ROLLOUT_HELP);
        return;
    };
    let mut rest = args[..i].to_vec();
    rest.extend_from_slice(&args[i + 1..]);
    match args[i].as_str() {
        "status" => status(ctx, &rest),
        "history" => history::run(ctx, &rest),
        "undo" => undo::run(ctx, &rest),
        "pause" => pause::run(ctx, &rest, pause::Action::Pause),
        "resume" => pause::run(ctx, &rest, pause::Action::Resume),
        "restart" => pause::run(ctx, &rest, pause::Action::Restart),
        other => ctx.out.fail(&unknown_command(
            other,
            "kubectl rollout",
            ROLLOUT_SUBCOMMANDS,
        )),
    }
}

/// The Deployments a `rollout` subcommand names, or `None` after printing kubectl's error
/// (`required resource not specified`, every subcommand's `Validate`, when none is named).
fn deployment_targets(ctx: &mut Context<'_>, positional: &[String]) -> Option<Vec<(Kind, String)>> {
    if positional.is_empty() {
        ctx.out
            .fail(&errors::plain("required resource not specified"));
        return None;
    }
    targets(ctx, positional, &[Kind::Deployment])
}

fn status(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl rollout status", HELP) else {
        return;
    };
    let Some(targets) = deployment_targets(ctx, &flags.positional) else {
        return;
    };
    let [(_, name)] = targets.as_slice() else {
        ctx.out.fail(&errors::plain(
            "rollout status is only supported on individual resources and resource collections are not supported yet",
        ));
        return;
    };
    let namespace = flags.namespace().to_string();
    let watch = flags.bool("watch", true);
    let start = ctx.cluster.now();
    let timeout = flags.duration_ms("timeout").filter(|t| *t > 0);
    let deadline = start.saturating_add(timeout.unwrap_or(WATCH_CAP_MS).min(WATCH_CAP_MS));
    let mut last_line: Option<String> = None;
    let mut seen = false;
    for _ in 0..MAX_STEPS {
        let Some(deployment) = ctx.cluster.store().get::<Deployment>(&namespace, name) else {
            if seen {
                ctx.out.fail("error: object has been deleted\n");
            } else {
                ctx.out.fail(&errors::standard_message(&ApiError::not_found(
                    Kind::Deployment,
                    name,
                )));
            }
            return;
        };
        seen = true;
        match deployment_status(deployment) {
            Err(e) => {
                ctx.out.fail(&errors::plain(&e));
                return;
            }
            Ok((line, done)) => {
                if last_line.as_deref() != Some(line.as_str()) {
                    ctx.out.out(&line);
                    last_line = Some(line);
                }
                if done || !watch {
                    return;
                }
            }
        }
        let now = ctx.cluster.now();
        match ctx.cluster.next_timer_at() {
            Some(at) if at <= deadline => ctx.cluster.advance(at.saturating_sub(now)),
            _ => {
                ctx.cluster.advance(deadline.saturating_sub(now));
                if timeout.is_some_and(|t| t <= WATCH_CAP_MS) {
                    ctx.out.fail("error: timed out waiting for the condition\n");
                } else {
                    ctx.out.fail(&format!(
                        "error: kplay stopped watching after {} of virtual time; the rollout has not finished\n",
                        crate::human_duration(WATCH_CAP_MS)
                    ));
                }
                return;
            }
        }
    }
}

/// `DeploymentStatusViewer.Status`: the line to print and whether the rollout is done, or
/// the error that ends the watch.
pub fn deployment_status(deployment: &Deployment) -> Result<(String, bool), String> {
    let name = deployment.metadata.name.as_deref().unwrap_or("");
    let generation = deployment.metadata.generation.unwrap_or(0);
    let status = deployment.status.clone().unwrap_or_default();
    if generation > status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for deployment spec update to be observed...\n".to_string(),
            false,
        ));
    }
    let timed_out = status.conditions.iter().flatten().any(|c| {
        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    });
    if timed_out {
        return Err(format!(
            "deployment \"{name}\" exceeded its progress deadline"
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let replicas = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if let Some(desired) = deployment.spec.as_ref().and_then(|s| s.replicas) {
        if updated < desired {
            return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...\n"), false));
        }
    }
    if replicas > updated {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", replicas - updated), false));
    }
    if available < updated {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), false));
    }
    Ok((
        format!("deployment \"{name}\" successfully rolled out\n"),
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::types::ObjectMeta;
    use kplay_core::types::{DeploymentCondition, DeploymentSpec, DeploymentStatus};

    fn deployment(
        generation: i64,
        observed: i64,
        desired: i32,
        replicas: i32,
        updated: i32,
        available: i32,
        reason: Option<&str>,
    ) -> Deployment {
        Deployment {
            metadata: ObjectMeta {
                name: Some("web".into()),
                generation: Some(generation),
                ..ObjectMeta::default()
            },
            spec: Some(DeploymentSpec {
                replicas: Some(desired),
                ..DeploymentSpec::default()
            }),
            status: Some(DeploymentStatus {
                observed_generation: Some(observed),
                replicas: Some(replicas),
                updated_replicas: Some(updated),
                available_replicas: Some(available),
                conditions: reason.map(|r| {
                    vec![DeploymentCondition {
                        type_: "Progressing".into(),
                        reason: Some(r.into()),
                        status: "False".into(),
                        ..DeploymentCondition::default()
                    }]
                }),
                ..DeploymentStatus::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn status_lines_in_rollout_status_go_order() {
        type Expected = Result<(&'static str, bool), &'static str>;
        let cases: Vec<(Deployment, Expected)> = vec![
            (deployment(2, 1, 3, 3, 3, 3, None), Ok(("Waiting for deployment spec update to be observed...\n", false))),
            (deployment(2, 2, 3, 4, 1, 3, Some("ProgressDeadlineExceeded")), Err("deployment \"web\" exceeded its progress deadline")),
            (deployment(2, 2, 3, 4, 1, 3, None), Ok(("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...\n", false))),
            (deployment(2, 2, 3, 4, 3, 3, None), Ok(("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...\n", false))),
            (deployment(2, 2, 3, 3, 3, 2, None), Ok(("Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...\n", false))),
            (deployment(2, 2, 3, 3, 3, 3, None), Ok(("deployment \"web\" successfully rolled out\n", true))),
        ];
        for (d, want) in cases {
            let got = deployment_status(&d);
            let want = want
                .map(|(l, done)| (l.to_string(), done))
                .map_err(str::to_string);
            assert_eq!(got, want);
        }
    }
}
