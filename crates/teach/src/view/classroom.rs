//! The Classroom tab: presenter mode, faults to inject with one click while the class
//! watches (each showing the kubectl command it runs), and the embed snippet for a course page.

use crate::embed::{self, Embed, PANELS};
use crate::faults::{self, Target};
use crate::shipped::{parsed_lessons, parsed_scenarios, LESSONS, SCENARIOS};
use crate::teach::{Msg, Teach};
use yew::html::Scope;
use yew::prelude::*;

/// The Classroom tab, for the cluster's Deployments (`targets`) and cordoned nodes.
pub fn classroom(
    presenter: bool,
    targets: &[Target],
    chosen: usize,
    cordoned: &[String],
    embed: &Embed,
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
            { embedding(embed, link) }
        </>
    }
}

/// The embed dialog: what to start with, which panels, how tall; the snippet to copy.
fn embedding(embed: &Embed, link: &Scope<Teach>) -> Html {
    let snippet = embed::snippet(&crate::bridge::page_address(), embed);
    let change = |update: fn(&mut Embed, &web_sys::HtmlInputElement)| {
        let embed = embed.clone();
        link.callback(move |e: Event| {
            let mut embed = embed.clone();
            update(&mut embed, &e.target_unchecked_into());
            Msg::Embed(embed)
        })
    };
    let start = {
        let embed = embed.clone();
        link.callback(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let start = match value.split_once(':') {
                Some(("lesson", name)) => Some(("lesson", name.to_string())),
                Some(("scenario", name)) => Some(("scenario", name.to_string())),
                _ => None,
            };
            Msg::Embed(Embed {
                start,
                ..embed.clone()
            })
        })
    };
    let chosen = embed
        .start
        .as_ref()
        .map(|(k, v)| format!("{k}:{v}"))
        .unwrap_or_default();
    let option = |value: String, label: String| {
        let selected = value == chosen;
        html! { <option {value} {selected}>{label}</option> }
    };
    html! {
        <section class="embed-dialog" aria-labelledby="embed-title">
            <h3 id="embed-title">{"Embed in a course page"}</h3>
            <label class="embed-field">{"Start with"}
                <select onchange={start}>
                    { option(String::new(), "A fresh cluster".into()) }
                    { for LESSONS.iter().zip(parsed_lessons()).map(|((name, _), l)| option(format!("lesson:{name}"), format!("Lesson: {}", l.title))) }
                    { for SCENARIOS.iter().zip(parsed_scenarios()).map(|((name, _), l)| option(format!("scenario:{name}"), format!("Strategy: {}", l.title))) }
                </select>
            </label>
            <fieldset class="embed-panels">
                <legend>{"Show"}</legend>
                { for PANELS.iter().enumerate().map(|(i, panel)| {
                    let shown = embed.panels[i];
                    let current = embed.clone();
                    let onchange = link.callback(move |e: Event| {
                        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                        let mut embed = current.clone();
                        embed.panels[i] = input.checked();
                        Msg::Embed(embed)
                    });
                    let label = match *panel {
                        "controls" => "the top bar (play, speed, timeline)",
                        "cluster" => "the cluster",
                        _ => "the console",
                    };
                    html! { <label><input type="checkbox" checked={shown} {onchange} />{label}</label> }
                }) }
            </fieldset>
            <label class="embed-field">{"Height (px)"}
                <input type="number" min="300" max="2000" step="20" value={embed.height.to_string()}
                    onchange={change(|e, input| e.height = input.value().parse::<u32>().unwrap_or(720).clamp(300, 2000))} />
            </label>
            <label class="embed-keep">
                <input type="checkbox" checked={embed.keep} onchange={change(|e, input| e.keep = input.checked())} />
                {"Keep the learner's session and progress in their browser (adds allow-same-origin: only for a course page on another site than this one)"}
            </label>
            <textarea class="embed-snippet" readonly=true rows="5" aria-label="Embed snippet" value={snippet.clone()} />
            <button class="btn" onclick={link.callback(move |_| Msg::Copy(snippet.clone()))}>{"Copy the snippet"}</button>
        </section>
    }
}
