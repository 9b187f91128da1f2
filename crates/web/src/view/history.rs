//! The revision history of a Deployment, as `kubectl rollout history` lists it, with "roll
//! back to this revision": a preview of what the rollback changes in the pod template, then
//! `kubectl rollout undo --to-revision=N` on confirmation.

use crate::diff::{self, Line};
use crate::snapshot::{DeploymentView, RevisionView};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`HistoryPanel`].
#[derive(Properties, PartialEq)]
pub struct HistoryPanelProps {
    /// The Deployment.
    pub deployment: Rc<DeploymentView>,
    /// Runs a command line.
    pub run: Callback<String>,
}

/// The history of one Deployment.
#[function_component]
pub fn HistoryPanel(props: &HistoryPanelProps) -> Html {
    let d = &props.deployment;
    let preview = use_state(|| None::<i64>);
    let current = d.history.first().map(|r| r.revision);
    let chosen: Option<&RevisionView> = (*preview).and_then(|n| {
        d.history
            .iter()
            .find(|r| r.revision == n && Some(n) != current)
    });
    html! {
        <div class="history" data-testid={format!("history-{}", d.name)}>
            <p class="hint">
                {"A revision is recorded each time the pod template changes (image, env, labels...). "}
                {"Scaling does not create a revision."}
            </p>
            <div class="table-scroll" tabindex="0">
            <table class="history-table">
                <thead><tr>
                    <th scope="col">{"REVISION"}</th>
                    <th scope="col">{"IMAGE"}</th>
                    <th scope="col">{"CHANGE-CAUSE"}</th>
                    <th scope="col"><span class="visually-hidden">{"Actions"}</span></th>
                </tr></thead>
                <tbody>
                    { for d.history.iter().map(|r| {
                        let is_current = Some(r.revision) == current;
                        let choose = {
                            let (preview, n) = (preview.clone(), r.revision);
                            Callback::from(move |_: MouseEvent| preview.set(Some(n)))
                        };
                        html! {
                            <tr key={r.revision.to_string()} class={classes!(is_current.then_some("current"))}>
                                <td>{r.revision}{ if is_current { " (current)" } else { "" } }</td>
                                <td><code>{r.image.clone()}</code></td>
                                <td>{r.change_cause.clone().unwrap_or_else(|| "<none>".into())}</td>
                                <td>
                                    if !is_current {
                                        <button type="button" class="btn btn-small" onclick={choose}>
                                            {format!("Roll back to revision {}", r.revision)}
                                        </button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            if let Some(target) = chosen {
                <RollbackPreview deployment={d.clone()} target={target.clone()}
                    run={&props.run} on_close={{ let p = preview.clone(); Callback::from(move |()| p.set(None)) }} />
            }
        </div>
    }
}

/// Props of [`RollbackPreview`].
#[derive(Properties, PartialEq)]
struct RollbackPreviewProps {
    deployment: Rc<DeploymentView>,
    target: RevisionView,
    run: Callback<String>,
    on_close: Callback<()>,
}

/// What rolling back to a revision changes, before it happens.
#[function_component]
fn RollbackPreview(props: &RollbackPreviewProps) -> Html {
    let d = &props.deployment;
    let target = &props.target;
    let command = format!(
        "kubectl rollout undo deployment/{} --to-revision={}",
        d.name, target.revision
    );
    let confirm = {
        let (run, close, command) = (props.run.clone(), props.on_close.clone(), command.clone());
        Callback::from(move |_: MouseEvent| {
            close.emit(());
            run.emit(command.clone());
        })
    };
    let cancel = props.on_close.reform(|_: MouseEvent| ());
    let lines = diff::lines(&d.template_yaml, &target.template_yaml);
    let changed = lines.iter().any(|l| !matches!(l, Line::Same(_)));
    html! {
        <div class="preview" role="region" aria-label={format!("Rollback preview for revision {}", target.revision)}>
            <p>
                {format!("Rolling back copies revision {}'s pod template into the Deployment. ", target.revision)}
                {format!("Its ReplicaSet {} is reused and becomes the newest revision; the number {} disappears from the history.",
                    target.replica_set, target.revision)}
            </p>
            if changed {
                <pre class="diff" aria-label="Changes to the pod template">
                    { for lines.iter().filter(|l| !matches!(l, Line::Same(_))).map(|line| match line {
                        Line::Removed(text) => html! { <span class="del">{format!("- {text}\n")}</span> },
                        Line::Added(text) => html! { <span class="add">{format!("+ {text}\n")}</span> },
                        Line::Same(_) => html! {},
                    }) }
                </pre>
            } else {
                <p>{"The pod template is the same as now: kubectl will skip the rollback."}</p>
            }
            <div class="preview-actions">
                <button type="button" class="btn btn-primary" onclick={confirm} title={command.clone()}>
                    {"Confirm rollback"}
                </button>
                <button type="button" class="btn" onclick={cancel}>{"Cancel"}</button>
                <code class="preview-command">{command}</code>
            </div>
        </div>
    }
}
