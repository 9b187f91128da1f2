//! The events panel: the namespace's latest events in time order, as `kubectl events` lists
//! them (`kubectl get events` does not sort by time), so a learner sees what the controllers
//! and the kubelet did.

use crate::snapshot::{EventView, LATEST_EVENTS};
use kplay_core::Millis;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`EventsPanel`].
#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    /// The latest events (at most [`LATEST_EVENTS`]), oldest first.
    pub events: Rc<[EventView]>,
    /// How many events there are in all.
    pub total: usize,
    /// The virtual time now, for LAST SEEN.
    pub now: Millis,
}

/// The latest events.
#[function_component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    html! {
        <section class="card events" aria-labelledby="events-title">
            <h2 id="events-title">{"Events"}</h2>
            <p class="hint"><code>{"kubectl events"}</code>
                {format!(" · the latest {} of {}", props.events.len().min(LATEST_EVENTS), props.total)}</p>
            if props.events.is_empty() {
                <p>{"No events yet: create a Deployment and the controllers will report what they do."}</p>
            } else {
                <div class="table-scroll" tabindex="0">
                    <table class="events-table">
                        <thead><tr>
                            <th scope="col">{"LAST SEEN"}</th>
                            <th scope="col">{"TYPE"}</th>
                            <th scope="col">{"REASON"}</th>
                            <th scope="col">{"OBJECT"}</th>
                            <th scope="col">{"MESSAGE"}</th>
                        </tr></thead>
                        <tbody>
                            { for props.events.iter().map(|e| html! {
                                <tr class={classes!((e.type_.as_str() == "Warning").then_some("warning"))}>
                                    <td>{kplay_kubectl::human_duration(props.now.saturating_sub(e.last_seen))}</td>
                                    <td>{e.type_.clone()}</td>
                                    <td>{e.reason.clone()}
                                        if e.count > 1 { <span class="count">{format!(" (x{})", e.count)}</span> }</td>
                                    <td class="object"><code>{e.object.clone()}</code></td>
                                    <td>{e.message.clone()}</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
