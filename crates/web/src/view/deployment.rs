//! A Deployment card: kubectl's READY / UP-TO-DATE / AVAILABLE, the strategy, the scale and
//! image controls, and the ReplicaSets with their pods. Every control runs a kubectl command.

use super::expose::ExposeForm;
use super::history::HistoryPanel;
use super::inspector::{inspect_button, Inspected};
use super::pod::PodList;
use super::rollout::RolloutPanel;
use super::strategy::StrategyEditor;
use crate::snapshot::{DeploymentView, ReplicaSetView};
use crate::versions;
use kplay_core::Kind;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`DeploymentCard`].
#[derive(Properties, PartialEq)]
pub struct DeploymentCardProps {
    /// The Deployment.
    pub deployment: Rc<DeploymentView>,
    /// Whether pods are drawn compact (many on screen).
    pub compact: bool,
    /// Runs a command line.
    pub run: Callback<String>,
    /// Opens the inspector.
    pub inspect: Callback<Inspected>,
}

/// A value the user is editing, remembered with the cluster value it was edited against: when
/// the cluster value changes (another command scaled the Deployment), the control shows the
/// new value again instead of a stale draft.
#[derive(Clone, Default, PartialEq)]
struct Draft<T> {
    against: T,
    value: String,
}

impl<T: PartialEq + ToString> Draft<T> {
    fn shown(&self, current: &T) -> String {
        if &self.against == current && !self.value.is_empty() {
            self.value.clone()
        } else {
            current.to_string()
        }
    }
}

/// One Deployment.
#[function_component]
pub fn DeploymentCard(props: &DeploymentCardProps) -> Html {
    let d = &props.deployment;
    let name = d.name.clone();
    let replicas_draft = use_state(Draft::<i32>::default);
    let image_draft = use_state(Draft::<AttrValue>::default);
    let replicas_text = replicas_draft.shown(&d.replicas);
    let image_choice = image_draft.shown(&d.image);

    let scale = |to: String| format!("kubectl scale deployment/{name} --replicas={to}");
    let scale_down = {
        let cmd = scale((d.replicas - 1).max(0).to_string());
        props.run.reform(move |_: MouseEvent| cmd.clone())
    };
    let scale_up = {
        let cmd = scale((d.replicas + 1).to_string());
        props.run.reform(move |_: MouseEvent| cmd.clone())
    };
    let on_replicas_input = {
        let (draft, against) = (replicas_draft.clone(), d.replicas);
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            draft.set(Draft {
                against,
                value: input.value(),
            });
        })
    };
    let apply_replicas = {
        let (run, draft) = (props.run.clone(), replicas_draft.clone());
        let cmd = scale(replicas_text.trim().to_string());
        let blank = replicas_text.trim().is_empty();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !blank {
                draft.set(Draft::default());
                run.emit(cmd.clone());
            }
        })
    };
    let on_image_change = {
        let (draft, against) = (image_draft.clone(), d.image.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            draft.set(Draft {
                against: against.clone(),
                value: select.value(),
            });
        })
    };
    let update_image = {
        let (run, draft) = (props.run.clone(), image_draft.clone());
        let cmd = format!(
            "kubectl set image deployment/{name} {}={image_choice}",
            d.container
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            draft.set(Draft::default());
            run.emit(cmd.clone());
        })
    };

    html! {
        <article class="card deployment" data-testid={format!("deployment-{name}")}
            aria-labelledby={format!("deployment-title-{name}")}>
            <header class="deployment-head">
                <h2 id={format!("deployment-title-{name}")}>
                    { inspect_button(&props.inspect, Kind::Deployment, &d.name, "deployment/") }
                </h2>
                <dl class="stats">
                    <div><dt>{"READY"}</dt>
                        <dd data-testid={format!("ready-{name}")}>{format!("{}/{}", d.ready, d.replicas)}</dd></div>
                    <div><dt>{"UP-TO-DATE"}</dt><dd>{d.up_to_date}</dd></div>
                    <div><dt>{"AVAILABLE"}</dt><dd>{d.available}</dd></div>
                </dl>
            </header>
            <p class="deployment-meta">
                <span>{"Strategy: "}<strong>{d.strategy.clone()}</strong></span>
                <span>{"Image: "}<strong>{d.image.clone()}</strong></span>
            </p>
            <div class="deployment-controls">
                <form class="control-group" onsubmit={apply_replicas}
                    aria-label={format!("Scale {name}")}>
                    <button type="button" class="btn btn-square" aria-label="Scale down"
                        title={scale((d.replicas - 1).max(0).to_string())}
                        disabled={d.replicas <= 0} onclick={scale_down}>{"−"}</button>
                    <label class="field">
                        <span>{"Replicas"}</span>
                        <input type="number" min="0" inputmode="numeric" value={replicas_text}
                            oninput={on_replicas_input} />
                    </label>
                    <button type="button" class="btn btn-square" aria-label="Scale up"
                        title={scale((d.replicas + 1).to_string())} onclick={scale_up}>{"+"}</button>
                    <button type="submit" class="btn">{"Apply"}</button>
                </form>
                <form class="control-group" onsubmit={update_image}
                    aria-label={format!("Update the image of {name}")}>
                    <label class="field">
                        <span>{"Image"}</span>
                        <select aria-label={format!("Image for {name}")} onchange={on_image_change}>
                            { for versions::choices(&d.image).into_iter().map(|image| {
                                let selected = image == image_choice;
                                html! { <option key={image.clone()} value={image.clone()} {selected}>{image}</option> }
                            }) }
                        </select>
                    </label>
                    <button type="submit" class="btn">{"Update image"}</button>
                </form>
            </div>
            <RolloutPanel deployment={d.clone()} run={&props.run} />
            <details class="more">
                <summary>{"Strategy"}</summary>
                <StrategyEditor deployment={d.clone()} run={&props.run} />
            </details>
            <details class="more">
                <summary>{"Expose as a Service"}</summary>
                <ExposeForm deployment={d.clone()} run={&props.run} />
            </details>
            <details class="more">
                <summary>{format!("Revision history ({})", d.history.len())}</summary>
                <HistoryPanel deployment={d.clone()} run={&props.run} />
            </details>
            <div class="replica-sets">
                { for d.replica_sets.iter().map(|rs| html! {
                    <ReplicaSetRow key={rs.name.as_str()} rs={rs.clone()} compact={props.compact} inspect={&props.inspect} />
                }) }
            </div>
        </article>
    }
}

/// Props of [`ReplicaSetRow`].
#[derive(Properties, PartialEq)]
struct ReplicaSetRowProps {
    rs: ReplicaSetView,
    compact: bool,
    inspect: Callback<Inspected>,
}

/// A ReplicaSet with its pods; an old one scaled to zero collapses to one line.
#[function_component]
fn ReplicaSetRow(props: &ReplicaSetRowProps) -> Html {
    let rs = &props.rs;
    let idle = rs.desired == 0 && rs.pods.is_empty();
    let revision = if rs.revision.is_empty() {
        String::new()
    } else {
        format!("revision {}", rs.revision)
    };
    html! {
        <section class={classes!("rs", idle.then_some("rs-idle"))}
            aria-label={format!("ReplicaSet {}", rs.name)}>
            <header class="rs-head">
                <span class="rs-name">{ inspect_button(&props.inspect, Kind::ReplicaSet, &rs.name, "replicaset/") }</span>
                <span class="rs-revision">{revision}</span>
                <code class="rs-image">{rs.image.clone()}</code>
                <span class="rs-counts">
                    {format!("desired {} · current {} · ready {}", rs.desired, rs.current, rs.ready)}
                </span>
            </header>
            if !rs.pods.is_empty() {
                <PodList pods={rs.pods.clone()} compact={props.compact} inspect={&props.inspect} />
            }
        </section>
    }
}
