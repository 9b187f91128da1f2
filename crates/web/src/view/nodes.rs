//! The nodes strip: the cluster's machines and how many pods each runs.

use crate::snapshot::NodeView;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Nodes`].
#[derive(Properties, PartialEq)]
pub struct NodesProps {
    /// The nodes.
    pub nodes: Rc<[NodeView]>,
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
                            <span class="node-name">{n.name.clone()}</span>
                            <span class="node-meta">
                                if n.control_plane {
                                    <span class="badge">{"control plane"}</span>
                                }
                                <span class={classes!("node-state", (!n.ready).then_some("bad"))}>
                                    { if n.ready { "Ready" } else { "NotReady" } }
                                </span>
                                <span class="node-pods">{pods}</span>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
