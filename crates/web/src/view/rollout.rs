//! A Deployment's rollout: a progress bar with `kubectl rollout status`'s own sentence, the
//! pause/resume/restart buttons, a button that breaks the image on purpose, and — when the
//! rollout cannot finish — why, with the fix (`kubectl rollout undo`).

use crate::snapshot::DeploymentView;
use kplay_core::images;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`RolloutPanel`].
#[derive(Properties, PartialEq)]
pub struct RolloutPanelProps {
    /// The Deployment.
    pub deployment: Rc<DeploymentView>,
    /// Runs a command line.
    pub run: Callback<String>,
}

/// The image tag the catalogue can never pull.
fn broken_image(image: &str) -> String {
    let base = match images::tag(image) {
        Some(tag) => image.strip_suffix(tag).and_then(|s| s.strip_suffix(':')),
        None => Some(image),
    };
    format!("{}:broken", base.unwrap_or(image))
}

/// What a pod STATUS means, in a learner's words.
fn explain(status: &str) -> &'static str {
    match status {
        "ErrImagePull" | "ImagePullBackOff" => {
            "the image cannot be pulled, and the kubelet retries with a growing back-off"
        }
        "CrashLoopBackOff" => {
            "the container keeps exiting, and the kubelet restarts it with a growing back-off"
        }
        _ => "the image name is not valid",
    }
}

/// The rollout of one Deployment.
#[function_component]
pub fn RolloutPanel(props: &RolloutPanelProps) -> Html {
    let d = &props.deployment;
    let rollout = &d.rollout;
    let name = &d.name;
    let command = |cmd: String| props.run.reform(move |_: MouseEvent| cmd.clone());
    let (pause_label, pause) = if d.paused {
        (
            "Resume",
            command(format!("kubectl rollout resume deployment/{name}")),
        )
    } else {
        (
            "Pause",
            command(format!("kubectl rollout pause deployment/{name}")),
        )
    };
    let restart = command(format!("kubectl rollout restart deployment/{name}"));
    let break_cmd = format!(
        "kubectl set image deployment/{name} {}={}",
        d.container,
        broken_image(&d.image)
    );
    let break_image = command(break_cmd.clone());
    let undo_cmd = format!("kubectl rollout undo deployment/{name}");
    let undo = command(undo_cmd.clone());
    let percent = if d.replicas > 0 {
        (rollout.updated_available.clamp(0, d.replicas) * 100) / d.replicas
    } else {
        100
    };
    let state = if rollout.deadline_exceeded || !rollout.stuck_pods.is_empty() {
        "stuck"
    } else if rollout.done {
        "done"
    } else {
        "moving"
    };
    let stuck = !rollout.done && (rollout.deadline_exceeded || !rollout.stuck_pods.is_empty());
    let first_stuck = rollout.stuck_pods.first();
    html! {
        <div class={classes!("rollout", state)} data-testid={format!("rollout-{name}")}>
            <div class="rollout-line">
                // A <progress>, not a styled width: the page's Content-Security-Policy allows
                // no inline style.
                <progress class="progress" aria-label={format!("Rollout of {name}")}
                    max="100" value={percent.to_string()}></progress>
                <span class="progress-count">
                    {format!("{} of {} updated pods available", rollout.updated_available, d.replicas)}
                </span>
            </div>
            <p class="rollout-sentence" data-testid={format!("rollout-status-{name}")}>
                <code>{"kubectl rollout status"}</code>{": "}{rollout.sentence.clone()}
            </p>
            if d.paused {
                <p class="hint">{"Paused: changes to the pod template are saved but not rolled out until you resume."}</p>
            }
            if stuck {
                <div class="trouble" role="alert">
                    <p><strong>{"This rollout is stuck. "}</strong>
                        { match first_stuck {
                            Some((pod, status)) => format!(
                                "{} new pod(s) are {status} (e.g. {pod}): {}. ",
                                rollout.stuck_pods.len(), explain(status)),
                            None => String::new(),
                        } }
                        {"The old pods are kept, so the app keeps serving. "}
                        if rollout.deadline_exceeded {
                            {"The progress deadline passed: the Progressing condition is now False (ProgressDeadlineExceeded), but Kubernetes does not roll back by itself."}
                        } else {
                            {"After progressDeadlineSeconds the Deployment reports ProgressDeadlineExceeded; Kubernetes never rolls back by itself."}
                        }
                    </p>
                    <button type="button" class="btn btn-primary" title={undo_cmd} onclick={undo}>
                        {"Roll back to the previous revision"}
                    </button>
                </div>
            }
            <div class="rollout-actions">
                <button type="button" class="btn" onclick={pause}
                    title={format!("kubectl rollout {} deployment/{name}", pause_label.to_ascii_lowercase())}>
                    {pause_label}
                </button>
                <button type="button" class="btn" onclick={restart}
                    title={format!("kubectl rollout restart deployment/{name}")}>{"Restart"}</button>
                <button type="button" class="btn btn-danger" onclick={break_image} title={break_cmd}>
                    {"Update to a broken image"}
                </button>
            </div>
        </div>
    }
}
