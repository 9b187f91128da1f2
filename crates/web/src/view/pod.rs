//! Pod tiles. A tile shows the pod's image version (colour and text), its STATUS as kubectl
//! prints it and its node; its outline tells the state (dashed while starting, solid when ready,
//! faded while terminating). Clicking it, or Enter/Space on it, opens the inspector (YAML and
//! the delete action). With many pods on screen the tiles are drawn compact: a small square
//! per pod, coloured and outlined the same way, its words in its label and tooltip.

use super::inspector::Inspected;
use crate::snapshot::PodView;
use kplay_core::{images, Kind};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`PodTile`].
#[derive(Properties, PartialEq)]
pub struct PodTileProps {
    /// The pod.
    pub pod: Rc<PodView>,
    /// Drawn as a small square (one element) instead of a tile with its words.
    pub compact: bool,
    /// Opens the inspector.
    pub inspect: Callback<Inspected>,
}

/// One pod.
#[function_component]
pub fn PodTile(props: &PodTileProps) -> Html {
    let pod = &props.pod;
    let target = Inspected {
        kind: Kind::Pod,
        name: pod.name.clone(),
    };
    let onclick = {
        let (inspect, target) = (props.inspect.clone(), target.clone());
        Callback::from(move |_: MouseEvent| inspect.emit(target.clone()))
    };
    let onkeydown = {
        let (inspect, target) = (props.inspect.clone(), target.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                inspect.emit(target.clone());
            }
        })
    };
    let state = if pod.terminating {
        "terminating"
    } else if pod.ready {
        "ready"
    } else {
        "starting"
    };
    let version = match images::tag(&pod.image) {
        Some(tag) => format!("{}:{tag}", images::repository_name(&pod.image)),
        None => images::repository_name(&pod.image).to_string(),
    };
    let node = match &pod.node {
        Some(node) => format!("on {node}"),
        None => "not scheduled yet".to_string(),
    };
    // The visible text first, in order (WCAG 2.5.3, label in name), then what only the
    // tile's style shows.
    let label = format!(
        "{version} {} {} {node}, {}",
        pod.name,
        pod.status,
        if pod.ready { "ready" } else { "not ready" }
    );
    let compact = props.compact;
    // Compact, the tile is one element (with its words a tile is five elements: 1,500 for 300 pods): its words
    // are in its label and tooltip.
    let title = if compact {
        label.clone()
    } else {
        "Click or press Enter to inspect or delete this pod".to_string()
    };
    html! {
        <li class="pod-slot">
            <div
                class={classes!("pod", state, format!("c{}", pod.colour), compact.then_some("mini"))}
                role="button"
                tabindex="0"
                aria-label={label}
                {title}
                data-testid="pod"
                data-pod-name={pod.name.clone()}
                data-ready={pod.ready.to_string()}
                data-image={pod.image.clone()}
                data-terminating={pod.terminating.to_string()}
                {onclick}
                {onkeydown}
            >
                // Spaces between the parts, so that the text reads as words.
                if !compact {
                    <span class="pod-version">{version}</span>{" "}
                    <span class="pod-name">{pod.name.clone()}</span>{" "}
                    <span class="pod-status">{pod.status.clone()}</span>{" "}
                    <span class="pod-node">{node}</span>
                }
            </div>
        </li>
    }
}

/// Props of [`PodList`].
#[derive(Properties, PartialEq)]
pub struct PodListProps {
    /// The pods, in display order.
    pub pods: Rc<[Rc<PodView>]>,
    /// Drawn compact (many pods on screen).
    pub compact: bool,
    /// Opens the inspector.
    pub inspect: Callback<Inspected>,
}

/// A row of pod tiles, keyed by pod name so that tiles keep their DOM (and transitions).
#[function_component]
pub fn PodList(props: &PodListProps) -> Html {
    let compact = props.compact;
    html! {
        <ul class={classes!("pods", compact.then_some("compact"))}>
            { for props.pods.iter().map(|p| html! {
                <PodTile key={p.name.as_str()} pod={p.clone()} {compact} inspect={&props.inspect} />
            }) }
        </ul>
    }
}

/// Props of [`OtherPods`].
#[derive(Properties, PartialEq)]
pub struct OtherPodsProps {
    /// Pods that belong to no Deployment.
    pub pods: Rc<[Rc<PodView>]>,
    /// Drawn compact (many pods on screen).
    pub compact: bool,
    /// Opens the inspector.
    pub inspect: Callback<Inspected>,
}

/// Pods without a Deployment: when one of these is deleted, nothing brings it back.
#[function_component]
pub fn OtherPods(props: &OtherPodsProps) -> Html {
    html! {
        <section class="card" aria-labelledby="other-pods-title">
            <h2 id="other-pods-title">{"Pods without a Deployment"}</h2>
            <p class="hint">{"Nothing replaces these pods when they are deleted."}</p>
            <PodList pods={props.pods.clone()} compact={props.compact} inspect={&props.inspect} />
        </section>
    }
}
