//! The Table tab: one line per Deployment, live, beside the animation.

use crate::overview::Row;
use yew::prelude::*;

/// The Deployments' table.
pub fn table(rows: &[Row]) -> Html {
    if rows.is_empty() {
        return html! { <p>{"No Deployments yet."}</p> };
    }
    html! {
        <>
            <p class="hint">{"kubectl get deployments -o wide, with each strategy and kubectl rollout status, as the cluster is now."}</p>
            <div class="overview-scroll" tabindex="0" role="region" aria-label="Deployments table">
                <table class="overview">
                    <thead><tr>
                        <th scope="col">{"NAME"}</th>
                        <th scope="col">{"READY"}</th>
                        <th scope="col">{"UP-TO-DATE"}</th>
                        <th scope="col">{"AVAILABLE"}</th>
                        <th scope="col">{"IMAGES"}</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <>
                                <tr class="overview-main">
                                    <th scope="row">{r.name.clone()}</th>
                                    <td>{r.ready.clone()}</td>
                                    <td>{r.up_to_date}</td>
                                    <td>{r.available}</td>
                                    <td>{r.images.clone()}</td>
                                </tr>
                                <tr class="overview-detail">
                                    <td colspan="5">{format!("{} · {}", r.strategy, r.rollout)}</td>
                                </tr>
                            </>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}
