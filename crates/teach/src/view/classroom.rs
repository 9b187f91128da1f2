//! The Classroom tab: presenter mode, and faults to inject with one click while the class
//! watches, each showing the kubectl command it runs.

use crate::faults::{self, Target};
use crate::teach::{Msg, Teach};
use yew::html::Scope;
use yew::prelude::*;

/// The Classroom tab, for the cluster's Deployments (`targets`) and cordoned nodes.
pub fn classroom(
    presenter: bool,
    targets: &[Target],
    chosen: usize,
    cordoned: &[String],
    link: &Scope<Teach>,
) -> Html {
    let target = targets.get(chosen).or(targets.first());
    let fault = |label: &'static str, command: Option<String>, effect: &'static str| {
        let disabled = command.is_none();
        let shown = command
            .clone()
            .unwrap_or_else(|| "(no ready pod yet)".into());
        let onclick = link.callback(move |_| Msg::Fault(command.clone().unwrap_or_default()));
        html! {
            <li class="fault">
                <button class="btn btn-danger" {disabled} {onclick}>{label}</button>
                <code>{shown}</code>
                <p class="hint">{effect}</p>
            </li>
        }
    };
    html! {
        <>
            <h3>{"Presenter mode"}</h3>
            <p class="hint">{"Large type and strong contrast for a projector, the page's extras hidden. Shortcut p."}</p>
            <button class="btn" aria-pressed={presenter.to_string()} onclick={link.callback(|_| Msg::Presenter)}>
                {if presenter { "Leave presenter mode" } else { "Enter presenter mode" }}
            </button>
            <h3>{"Faults"}</h3>
            if let Some(target) = target {
                if targets.len() > 1 {
                    <label class="fault-target">{"Aim at "}
                        <select onchange={link.callback(|e: Event| {
                            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            Msg::FaultTarget(select.value().parse().unwrap_or(0))
                        })}>
                            { for targets.iter().enumerate().map(|(i, t)| html! {
                                <option value={i.to_string()} selected={i == chosen}>{format!("deployment/{}", t.deployment)}</option>
                            }) }
                        </select>
                    </label>
                } else {
                    <p>{format!("Aimed at deployment/{}.", target.deployment)}</p>
                }
                <ul class="faults">
                    { fault("Kill a pod", faults::kill_pod(target), "Its ReplicaSet starts a replacement at once.") }
                    { fault("Break the image", Some(faults::break_image(target)), "New pods cannot pull it: the rollout stalls and the old pods keep serving. Undo: kubectl rollout undo.") }
                    { fault("Fail readiness", Some(faults::fail_readiness(target)), "A readiness probe on a port the app does not listen on: new pods run but never become ready, so they get no traffic and the rollout stalls. Undo: kubectl rollout undo.") }
                    { fault("Drain a node", faults::drain(target), "The node is cordoned and its pods evicted: their ReplicaSets recreate them on the other nodes.") }
                </ul>
                { for cordoned.iter().map(|node| {
                    let command = format!("kubectl uncordon {node}");
                    html! {
                        <p>
                            <button class="btn" onclick={link.callback({ let c = command.clone(); move |_| Msg::Fault(c.clone()) })}>
                                {format!("Uncordon {node}")}
                            </button>
                            {" "}<code>{command}</code>
                        </p>
                    }
                }) }
            } else {
                <p>{"No Deployment in the default namespace yet: create one, or run a lesson or a strategy first."}</p>
            }
        </>
    }
}
