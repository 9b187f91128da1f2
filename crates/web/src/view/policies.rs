//! "Network policies": the policies in force in one sentence each (and a button to delete
//! each), the connectivity matrix for a port (workloads or pods, every namespace), each
//! verdict explained, and a policy being written: from the "block or allow" form, a preset, or
//! typed, in an editor that shows each problem at its line, with what it would change in the
//! matrix, applied on confirmation. The model is [`crate::connectivity`].

use super::form;
use crate::connectivity::{manifest, Connectivity, Draft, Grid, Options, MAX_PODS, PRESETS};
use crate::policy_writer::{self, Ask, Peer};
use crate::snapshot::NAMESPACE;
use std::rc::Rc;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The panel, once a Deployment exists.
pub fn panel(
    data: Option<&Rc<Connectivity>>,
    options: &Options,
    set: &Callback<Options>,
    run: &Callback<String>,
) -> Html {
    match data {
        Some(data) => html! {
            <Policies data={data.clone()} options={options.clone()} set={set.clone()} run={run.clone()} />
        },
        None => html! {},
    }
}

/// Props of [`Policies`].
#[derive(Properties, PartialEq)]
struct PoliciesProps {
    data: Rc<Connectivity>,
    options: Options,
    set: Callback<Options>,
    run: Callback<String>,
}

/// The panel: policies, the matrix for a port, and the policy being written.
#[function_component]
fn Policies(props: &PoliciesProps) -> Html {
    let data = &props.data;
    let port = use_state(String::new);
    // The cell focused last, by its row's and column's names: pods come and go under it.
    let picked = use_state(|| Option::<(AttrValue, AttrValue)>::None);
    let port_index = data
        .ports
        .iter()
        .position(|p| p.to_string() == *port)
        .unwrap_or(0);
    let Some(now) = data.grids.get(port_index) else {
        return html! {};
    };
    let shown_port = data.ports.get(port_index).copied().unwrap_or(80);
    let reason = picked.as_ref().and_then(|(from, to)| {
        let r = match data.ends.iter().position(|e| e == from) {
            Some(r) => r,
            None => (from == OUTSIDE).then_some(data.ends.len())?,
        };
        let c = data.ends.iter().position(|e| e == to)?;
        let cell = now.get(r)?.get(c)?.as_ref()?;
        Some(format!("{from} → {to}: {}", cell.reason))
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
    let by_pod = {
        let (set, options) = (props.set.clone(), props.options.clone());
        form::chosen(move |value| {
            set.emit(Options {
                by_pod: value == "pods",
                ..options.clone()
            })
        })
    };
    let draft = data.draft.as_ref();
    html! {
        <details class="card policies" data-testid="policies" open={shown}>
            <summary onclick={toggle}>{"Network policies"}</summary>
            <p class="hint">{"The cluster's network plugin enforces NetworkPolicies here; on a real cluster that depends on the CNI plugin (Calico and Cilium do, flannel alone does not). A policy only ever allows: once one selects a pod for a direction, only what some policy allows gets through."}</p>
            { policy_list(data, &props.run) }
            <div class="matrix-controls">
                <label class="field">{"Port "}
                    <select aria-label="Connectivity port" onchange={form::chosen_into(&port)}>
                        { for data.ports.iter().map(|p| html! {
                            <option value={p.to_string()} selected={*p == shown_port}>{format!("TCP {p}")}</option>
                        }) }
                    </select>
                </label>
                <label class="field">{"Rows and columns "}
                    <select aria-label="Rows and columns" onchange={by_pod}>
                        <option value="workloads" selected={!data.by_pod}>{"Deployments"}</option>
                        <option value="pods" selected={data.by_pod}>{"Pods"}</option>
                    </select>
                </label>
            </div>
            <p class="hint">{"Each row's pods open connections to each column's pods; focus a cell for the reason."}</p>
            { matrix(&data.ends, now, None, "Connectivity now", Some(&picked)) }
            if data.hidden > 0 {
                <p class="hint">{format!("The matrix shows the first {MAX_PODS} running pods; {} more are left out. Choose Deployments as rows and columns to see every workload.", data.hidden)}</p>
            }
            if let Some(reason) = reason {
                <p class="verdict" data-testid="verdict">{reason}</p>
            }
            <h3>{"Block or allow traffic"}</h3>
            <BlockOrAllow data={data.clone()} options={props.options.clone()} set={props.set.clone()} />
            if let Some(draft) = draft {
                { draft_view(data, draft, port_index, now, props) }
            }
        </details>
    }
}

/// The policies of every namespace, each in one sentence with a Delete button.
fn policy_list(data: &Connectivity, run: &Callback<String>) -> Html {
    if data.policies.is_empty() {
        return html! { <p>{"No NetworkPolicy: every pod accepts every connection."}</p> };
    }
    html! {
        <ul class="policy-list">
            { for data.policies.iter().map(|(namespace, name, text)| {
                let mut line = format!("kubectl delete networkpolicy {name}");
                if namespace != NAMESPACE {
                    line.push_str(&format!(" -n {namespace}"));
                }
                let delete = {
                    let (run, line) = (run.clone(), line.clone());
                    Callback::from(move |_: MouseEvent| run.emit(line.clone()))
                };
                html! {
                    <li key={format!("{namespace}/{name}")}>
                        <code>{format!("{namespace}/{name}")}</code>{" "}{text.clone()}{" "}
                        <button type="button" class="btn btn-small" title={line}
                            aria-label={format!("Delete networkpolicy {name}")} onclick={delete}>{"Delete"}</button>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Props of [`BlockOrAllow`].
#[derive(Properties, PartialEq)]
struct FormProps {
    data: Rc<Connectivity>,
    options: Options,
    set: Callback<Options>,
}

/// "Allow|Block <source> to <destination> on <port>", and the presets: each writes a policy
/// into the editor, where it can be read, changed and previewed before it is applied.
#[function_component]
fn BlockOrAllow(props: &FormProps) -> Html {
    let data = &props.data;
    let verb = use_state(|| "block".to_string());
    let from = use_state(String::new);
    let to = use_state(String::new);
    let port = use_state(String::new);
    let peer = |label: &str, skip_outside: bool| {
        let mut peers = data
            .peers
            .iter()
            .filter(|(_, p)| !(skip_outside && *p == Peer::Outside));
        let first = peers.clone().next();
        peers
            .find(|(l, _)| l == label)
            .or(first)
            .map(|(_, p)| p.clone())
    };
    let draft = drafter(&props.set, &props.options);
    // A port the pods no longer declare is no choice: back to every port.
    let chosen_port = port.parse::<i32>().ok().filter(|p| data.ports.contains(p));
    let submit = {
        let ask = peer(&from, false)
            .zip(peer(&to, true))
            .map(|(from, to)| Ask {
                allow: *verb == "allow",
                from,
                to,
                port: chosen_port,
            });
        let draft = draft.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(text) = ask.as_ref().and_then(policy_writer::write) {
                draft(Some(text));
            }
        })
    };
    let preset = Callback::from(move |e: Event| {
        // Back to "choose…", so that choosing the same preset again (after Discard) writes it
        // again.
        let select: HtmlSelectElement = e.target_unchecked_into();
        let value = select.value();
        select.set_value("");
        let text = match value.strip_prefix("ns:") {
            Some(namespace) => policy_writer::write(&Ask {
                allow: true,
                from: Peer::Namespace(namespace.into()),
                to: Peer::Namespace(NAMESPACE.into()),
                port: None,
            }),
            None => PRESETS
                .iter()
                .find(|(name, _)| *name == value)
                .map(|(name, spec)| manifest(name, spec)),
        };
        if let Some(text) = text {
            draft(Some(text));
        }
    });
    let options = |state: &UseStateHandle<String>, skip_outside: bool| {
        let chosen = peer(state, skip_outside);
        let shown = data
            .peers
            .iter()
            .filter(|(_, p)| !(skip_outside && *p == Peer::Outside));
        shown.map(|(label, p)| html! {
            <option value={label.clone()} selected={chosen.as_ref() == Some(p)}>{label.clone()}</option>
        }).collect::<Html>()
    };
    html! {
        <>
            <form class="policy-form" onsubmit={submit}>
                <select aria-label="Allow or block" onchange={form::chosen_into(&verb)}>
                    <option value="block" selected={*verb == "block"}>{"Block"}</option>
                    <option value="allow" selected={*verb == "allow"}>{"Allow"}</option>
                </select>
                <label class="field">{"from "}
                    <select aria-label="Source" onchange={form::chosen_into(&from)}>{ options(&from, false) }</select>
                </label>
                <label class="field">{"to "}
                    <select aria-label="Destination" onchange={form::chosen_into(&to)}>{ options(&to, true) }</select>
                </label>
                <label class="field">{"on "}
                    <select aria-label="Port" onchange={form::chosen_into(&port)}>
                        <option value="" selected={chosen_port.is_none()}>{"every port"}</option>
                        { for data.ports.iter().map(|p| html! {
                            <option value={p.to_string()} selected={chosen_port == Some(*p)}>{format!("TCP {p}")}</option>
                        }) }
                    </select>
                </label>
                <button type="submit" class="btn">{"Write the policy"}</button>
            </form>
            <label class="field">{"or start from a preset "}
                <select aria-label="Policy preset" onchange={preset}>
                    <option value="" selected=true>{"choose…"}</option>
                    { for PRESETS.iter().map(|(name, _)| html! { <option value={*name}>{*name}</option> }) }
                    { for data.peers.iter().filter_map(|(_, p)| match p {
                        Peer::Namespace(ns) => Some(html! {
                            <option value={format!("ns:{ns}")}>{format!("allow from namespace {ns}")}</option>
                        }),
                        _ => None,
                    }) }
                </select>
            </label>
        </>
    }
}

/// The policy being written: its YAML in an editor with each problem at its line, and, when
/// it is valid, what it does in one sentence, the matrix it would give, and Apply.
fn draft_view(
    data: &Connectivity,
    draft: &Draft,
    port: usize,
    now: &Grid,
    props: &PoliciesProps,
) -> Html {
    let text = draft.text.as_str();
    let problems = draft.outcome.as_ref().err();
    let bad = |line: usize| problems.is_some_and(|ps| ps.iter().any(|p| p.line == Some(line)));
    let count = text.split('\n').count();
    let gutter = (1..=count).map(|n| {
        if bad(n) {
            html! { <><span class="bad">{format!("⚠{n:>3}")}</span>{"\n"}</> }
        } else {
            html! { {format!("{n:>4}\n")} }
        }
    });
    let draft_to = drafter(&props.set, &props.options);
    let oninput = {
        let draft_to = draft_to.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            draft_to(Some(area.value()));
        })
    };
    let discard = Callback::from(move |_: MouseEvent| draft_to(None));
    // The draft stays open: if the cluster refuses it, the console says why and it can be
    // fixed here; once it is in force, the draft says so.
    let apply = {
        let run = props.run.clone();
        let line = kplay_kubectl::script::heredoc("kubectl apply -f -", text);
        Callback::from(move |_: MouseEvent| run.emit(line.clone()))
    };
    html! {
        <section class="draft" aria-label="Policy being written">
            <label class="field" for="policy-yaml">{"The policy's YAML: change anything, it is checked as you type"}</label>
            <div class="yaml-edit">
                <pre class="gutter" aria-hidden="true">{ for gutter }</pre>
                <textarea id="policy-yaml" class="yaml" spellcheck="false" rows={count.to_string()}
                    aria-invalid={problems.is_some().to_string()} aria-describedby="policy-problems"
                    value={draft.text.clone()} {oninput} />
            </div>
            <div id="policy-problems">
                { match &draft.outcome {
                    Err(problems) => html! {
                        <ul class="problems" role="alert" data-testid="policy-problems">
                            { for problems.iter().map(|p| html! {
                                <li>{match p.line { Some(n) => format!("line {n}: {}", p.message), None => p.message.clone() }}</li>
                            }) }
                        </ul>
                    },
                    Ok((sentence, _)) if draft.applied.is_some() => html! {
                        <>
                            <p data-testid="policy-sentence">{sentence.clone()}</p>
                            <p class="applied" role="status">{format!("✓ networkpolicy {} is in force as written: the matrix above shows it.", draft.applied.as_deref().unwrap_or_default())}</p>
                        </>
                    },
                    Ok((sentence, grids)) => html! {
                        <>
                            <p data-testid="policy-sentence">{sentence.clone()}</p>
                            if let Some(grid) = grids.get(port) {
                                <p data-testid="policy-effect">{effect(now, grid, data.ports.get(port).copied().unwrap_or(80))}</p>
                                { matrix(&data.ends, grid, Some(now), "With this policy (outlined: cells it changes)", None) }
                            }
                        </>
                    },
                } }
            </div>
            <div class="dialog-actions">
                if draft.applied.is_none() {
                    <button type="button" class="btn btn-primary" disabled={problems.is_some()} onclick={apply}>{"Apply"}</button>
                }
                <button type="button" class="btn" onclick={discard}>{if draft.applied.is_some() { "Close" } else { "Discard" }}</button>
            </div>
        </section>
    }
}

/// A matrix: sources down, destinations across; a cell is ✓ or ✕ (never colour alone) and
/// says why when focused or clicked; `before` marks the cells a preview changes.
fn matrix(
    ends: &[AttrValue],
    grid: &Grid,
    before: Option<&Grid>,
    caption: &str,
    picked: Option<&UseStateHandle<Option<(AttrValue, AttrValue)>>>,
) -> Html {
    let name = |r: usize| ends.get(r).map_or(OUTSIDE, |w| w.as_str());
    // Test ids stay short: `cell-outside-web`.
    let id = |r: usize| ends.get(r).map_or("outside", |w| w.as_str());
    html! {
        // Pods as rows and columns can be wider than the panel: it scrolls, the page does not.
        <div class="table-scroll" tabindex="0">
        <table class="matrix" aria-label={caption.to_string()}>
            <caption>{caption}</caption>
            <tr><th scope="col">{"from \\ to"}</th>
                { for ends.iter().map(|w| html! { <th scope="col">{w.clone()}</th> }) }
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
                        let to = ends.get(c).cloned().unwrap_or_default();
                        let label = format!("{} to {to}: {}", name(r), cell.reason);
                        let ends_of_cell = (AttrValue::from(name(r).to_string()), to.clone());
                        let focus = picked.map(|p| {
                            let (p, cell) = (p.clone(), ends_of_cell.clone());
                            Callback::from(move |_: FocusEvent| p.set(Some(cell.clone())))
                        });
                        let click = picked.map(|p| {
                            let (p, cell) = (p.clone(), ends_of_cell.clone());
                            Callback::from(move |_: MouseEvent| p.set(Some(cell.clone())))
                        });
                        html! {
                            <td class={classes!(if cell.allowed { "ok" } else { "blocked" }, changed.then_some("changed"))}>
                                <button type="button" aria-label={label.clone()} title={label}
                                    data-testid={format!("cell-{}-{to}", id(r))}
                                    onfocus={focus} onclick={click}>
                                    {if cell.allowed { "✓" } else { "✕" }}
                                </button>
                            </td>
                        }
                    }) }
                </tr>
            }) }
        </table>
        </div>
    }
}

/// The name of the matrix's last row: clients outside the cluster.
const OUTSIDE: &str = "outside the cluster";

/// A function that puts a policy's text (or nothing) in the editor.
fn drafter(set: &Callback<Options>, options: &Options) -> impl Fn(Option<String>) + Clone {
    let (set, options) = (set.clone(), options.clone());
    move |text: Option<String>| set.emit(options.with_draft(text.map(AttrValue::from)))
}

/// What a draft would change on `port`: how many connections of the matrix it would block
/// that are allowed now, and allow that are blocked now (a policy that "blocks" one source
/// can open others that an older policy isolated; one that "allows" blocks the rest).
fn effect(now: &Grid, with: &Grid, port: i32) -> String {
    let (mut blocks, mut opens) = (0, 0);
    for (row_now, row_with) in now.iter().zip(with) {
        for (a, b) in row_now.iter().zip(row_with) {
            match (a, b) {
                (Some(a), Some(b)) if a.allowed && !b.allowed => blocks += 1,
                (Some(a), Some(b)) if !a.allowed && b.allowed => opens += 1,
                _ => {}
            }
        }
    }
    format!("Changes on TCP {port}: {blocks} allowed now → blocked, {opens} blocked now → allowed.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectivity::Cell;

    /// A one-row grid from ✓ (allowed), ✕ (blocked) and – (no pod).
    fn grid(cells: &str) -> Grid {
        let cell = |c: char| {
            (c != '–').then(|| Cell {
                allowed: c == '✓',
                reason: AttrValue::default(),
            })
        };
        vec![cells.chars().map(cell).collect()]
    }

    #[test]
    fn the_effect_counts_the_cells_a_draft_changes() {
        let table = [
            (
                "✓✓✕",
                "✓✓✕",
                "Changes on TCP 80: 0 allowed now → blocked, 0 blocked now → allowed.",
            ),
            (
                "✓✓✕",
                "✕✓✕",
                "Changes on TCP 80: 1 allowed now → blocked, 0 blocked now → allowed.",
            ),
            (
                "✓✓–",
                "✕✕–",
                "Changes on TCP 80: 2 allowed now → blocked, 0 blocked now → allowed.",
            ),
            (
                "✕✕✓",
                "✓✕✓",
                "Changes on TCP 80: 0 allowed now → blocked, 1 blocked now → allowed.",
            ),
            (
                "✓✕✕",
                "✕✓✓",
                "Changes on TCP 80: 1 allowed now → blocked, 2 blocked now → allowed.",
            ),
        ];
        for (now, with, expected) in table {
            assert_eq!(
                effect(&grid(now), &grid(with), 80),
                expected,
                "{now} → {with}"
            );
        }
    }
}
