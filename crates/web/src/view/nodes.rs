//! The nodes strip: the cluster's machines and how many pods each runs.

use super::inspector::{inspect_button, Inspected};
use crate::snapshot::NodeView;
use kplay_core::Kind;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Nodes`].
#[derive(Properties, PartialEq)]
pub struct NodesProps {
    /// The nodes.
    pub nodes: Rc<[NodeView]>,
    /// Opens the inspector.
    pub inspect: Callback<Inspected>,
}

/// The nodes strip.
#[function_component]
pub fn Nodes(props: &NodesProps) -> Html {
    html! {
        <section class="nodes" aria-labelledby="nodes-title">
            <h2 id="nodes-title" class="section-title">{"Nodes"}</h2>
            <ul class="node-list">
                { for props.nodes.iter().map(|n| {
                    let pods = match n.pods {
                        1 => "1 pod".to_string(),
                        count => format!("{count} pods"),
                    };
                    html! {
                        <li key={n.name.as_str()} class={classes!("node", n.control_plane.then_some("node-cp"))}>
                            <span class="node-name">{ inspect_button(&props.inspect, Kind::Node, &n.name, "") }</span>
                            <span class="node-meta">
                                if n.control_plane {
                                    <span class="badge">{"control plane"}</span>
                                }
                                <span class={classes!("node-state", (!n.ready).then_some("bad"))}>
                                    { if n.ready { "Ready" } else { "NotReady" } }
                                </span>
                                if n.unschedulable {
                                    <span class="node-state bad">{"SchedulingDisabled"}</span>
                                }
                                <span class="node-pods">{pods}</span>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
