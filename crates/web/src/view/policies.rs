//! "Network policies": the connectivity matrix for a port, each verdict explained, the
//! policies in force in one sentence each, and presets that show their YAML and what they
//! would change in the matrix, applied on confirmation. The model is
//! [`crate::connectivity`].

use super::form;
use crate::connectivity::{manifest, Connectivity, Grid, PRESETS};
use std::rc::Rc;
use yew::prelude::*;

/// The panel, once a Deployment exists.
pub fn panel(data: Option<&Rc<Connectivity>>, run: &Callback<String>) -> Html {
    match data {
        Some(data) => html! { <Policies data={data.clone()} run={run.clone()} /> },
        None => html! {},
    }
}

/// Props of [`Policies`].
#[derive(Properties, PartialEq)]
struct PoliciesProps {
    data: Rc<Connectivity>,
    run: Callback<String>,
}

/// The panel: policies, the matrix for a port, presets with their preview.
#[function_component]
fn Policies(props: &PoliciesProps) -> Html {
    let data = &props.data;
    let port = use_state(String::new);
    let preset = use_state(String::new);
    let picked = use_state(|| Option::<(usize, usize)>::None);
    let port_index = data
        .ports
        .iter()
        .position(|p| p.to_string() == *port)
        .unwrap_or(0);
    let preset_index = PRESETS.iter().position(|(name, _, _)| *name == *preset);
    let Some((now, previews)) = data.grids.get(port_index) else {
        return html! {};
    };
    let shown_port = data.ports.get(port_index).copied().unwrap_or(80);
    let preview = preset_index.and_then(|i| previews.get(i));
    let reason = picked.and_then(|(r, c)| {
        let cell = now.get(r)?.get(c)?.as_ref()?;
        let from = data
            .workloads
            .get(r)
            .map_or("outside the cluster", |w| w.as_str());
        Some(format!(
            "{from} → {}: {}",
            data.workloads.get(c)?,
            cell.reason
        ))
    });
    // Open while policies exist, until the learner decides: the state is the app's, not the
    // DOM's, so re-renders never open or close it under the learner.
    let open = use_state(|| Option::<bool>::None);
    let shown = open.unwrap_or(!data.policies.is_empty());
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open.set(Some(!shown));
        })
    };
    html! {
        <details class="card policies" data-testid="policies" open={shown}>
            <summary onclick={toggle}>{"Network policies"}</summary>
            <p class="hint">{"The cluster's network plugin enforces NetworkPolicies here; on a real cluster that depends on the CNI plugin (Calico and Cilium do, flannel alone does not). A policy only ever allows: once one selects a pod for a direction, only what some policy allows gets through."}</p>
            if data.policies.is_empty() {
                <p>{"No NetworkPolicy in default: every pod accepts every connection."}</p>
            } else {
                <ul class="policy-list">
                    { for data.policies.iter().map(|(name, text)| html! {
                        <li key={name.as_str()}><code>{format!("networkpolicy/{name}")}</code>{" "}{text.clone()}</li>
                    }) }
                </ul>
            }
            <label class="field">{"Port "}
                <select aria-label="Connectivity port" onchange={form::chosen_into(&port)}>
                    { for data.ports.iter().map(|p| html! {
                        <option value={p.to_string()} selected={*p == shown_port}>{format!("TCP {p}")}</option>
                    }) }
                </select>
            </label>
            <p class="hint">{"Each row's pods open connections to each column's pods; focus a cell for the reason."}</p>
            { matrix(data, now, None, "Connectivity now", Some(&picked)) }
            if let Some(reason) = reason {
                <p class="verdict" data-testid="verdict">{reason}</p>
            }
            <h3>{"Write a policy"}</h3>
            <label class="field">{"Preset "}
                <select aria-label="Policy preset" onchange={form::chosen_into(&preset)}>
                    <option value="" selected={preset_index.is_none()}>{"choose…"}</option>
                    { for PRESETS.iter().map(|(name, _, _)| html! {
                        <option value={*name} selected={*preset == *name}>{*name}</option>
                    }) }
                </select>
            </label>
            if let (Some(i), Some(grid)) = (preset_index, preview) {
                { preset_view(data, now, grid, i, &props.run, &preset) }
            }
        </details>
    }
}

/// A chosen preset: its sentence and YAML, the matrix it would give, and Apply.
fn preset_view(
    data: &Connectivity,
    now: &Grid,
    grid: &Grid,
    index: usize,
    run: &Callback<String>,
    chosen: &UseStateHandle<String>,
) -> Html {
    let Some((name, sentence, spec)) = PRESETS.get(index) else {
        return html! {};
    };
    let line = format!("kubectl apply -f - <<EOF\n{}EOF", manifest(name, spec));
    let apply = {
        let (run, chosen, line) = (run.clone(), chosen.clone(), line.clone());
        // Applied, the preview would only repeat the matrix above: close it.
        Callback::from(move |_: MouseEvent| {
            run.emit(line.clone());
            chosen.set(String::new());
        })
    };
    html! {
        <section class="preset" aria-label="Preset preview">
            <p>{*sentence}</p>
            <pre>{line.clone()}</pre>
            { matrix(data, grid, Some(now), "With this policy", None) }
            <button type="button" class="btn" onclick={apply}>{"Apply"}</button>
        </section>
    }
}

/// A matrix: sources down, destinations across; a cell is ✓ or ✕ (never colour alone) and
/// says why when focused or clicked; `before` marks the cells a preview changes.
fn matrix(
    data: &Connectivity,
    grid: &Grid,
    before: Option<&Grid>,
    caption: &str,
    picked: Option<&UseStateHandle<Option<(usize, usize)>>>,
) -> Html {
    let name = |r: usize| data.workloads.get(r).map_or("outside", |w| w.as_str());
    html! {
        <table class="matrix" aria-label={caption.to_string()}>
            <caption>{caption}</caption>
            <tr><th scope="col">{"from \\ to"}</th>
                { for data.workloads.iter().map(|w| html! { <th scope="col">{w.clone()}</th> }) }
            </tr>
            { for grid.iter().enumerate().map(|(r, row)| html! {
                <tr><th scope="row">{name(r)}</th>
                    { for row.iter().enumerate().map(|(c, cell)| {
                        let Some(cell) = cell else {
                            return html! { <td class="none" title="no running pod">{"–"}</td> };
                        };
                        let changed = before
                            .and_then(|b| b.get(r)?.get(c)?.as_ref())
                            .is_some_and(|b| b.allowed != cell.allowed);
                        let label = format!("{} to {}: {}", name(r), data.workloads.get(c).map_or("", |w| w.as_str()), cell.reason);
                        let focus = picked.map(|p| {
                            let p = p.clone();
                            Callback::from(move |_: FocusEvent| p.set(Some((r, c))))
                        });
                        let click = picked.map(|p| {
                            let p = p.clone();
                            Callback::from(move |_: MouseEvent| p.set(Some((r, c))))
                        });
                        html! {
                            <td class={classes!(if cell.allowed { "ok" } else { "blocked" }, changed.then_some("changed"))}>
                                <button type="button" aria-label={label.clone()} title={label}
                                    data-testid={format!("cell-{}-{}", name(r), data.workloads.get(c).map_or("", |w| w.as_str()))}
                                    onfocus={focus} onclick={click}>
                                    {if cell.allowed { "✓" } else { "✕" }}
                                </button>
                            </td>
                        }
                    }) }
                </tr>
            }) }
        </table>
    }
}
