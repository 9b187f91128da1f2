//! Traffic: the controls on a Service card (on/off, rate, where the requests come from) and
//! the live chart of requests per second by version and failed requests, with the failures of
//! each Deployment's current rollout. Every control runs a `kplay traffic ...` line, so the
//! console shows the equivalent script line.

use crate::snapshot::{DeploymentView, SourceView, TrafficView};
use kplay_core::network::traffic::WINDOW_SECONDS;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The rates offered, requests per second.
const RATES: [u32; 5] = [1, 5, 10, 50, 100];

/// The rate a new source starts with.
const DEFAULT_RATE: u32 = 10;

/// The line that makes a client pod for a ClusterIP Service's traffic.
const CLIENT_POD: &str = "kubectl run client --image=busybox -- sleep 3600";

/// Props of [`TrafficControls`].
#[derive(Properties, PartialEq)]
pub struct TrafficControlsProps {
    /// The Service name.
    pub service: AttrValue,
    /// Its TYPE.
    pub type_: AttrValue,
    /// Its traffic source, while traffic is on.
    pub source: Option<SourceView>,
    /// A running pod without a Deployment, to send from inside the cluster.
    pub client: Option<AttrValue>,
    /// Runs a command line.
    pub run: Callback<String>,
}

/// The `kplay traffic` line the on/off button runs: stop while on, else start from `from`
/// (`outside` or a pod's name); `None` when there is no client to send from.
fn toggle_line(service: &str, on: bool, from: Option<&str>, rate: u32) -> Option<String> {
    let from = match from {
        _ if on => return Some(format!("kplay traffic stop svc/{service}")),
        Some("outside") => "outside".to_string(),
        Some(pod) => format!("pod/{pod}"),
        None => return None,
    };
    Some(format!(
        "kplay traffic start svc/{service} --rate={rate} --from={from}"
    ))
}

/// Traffic on/off and rate for one Service. NodePort and LoadBalancer Services get requests
/// from outside the cluster; the others from a client pod, which the control offers to create.
#[function_component]
pub fn TrafficControls(props: &TrafficControlsProps) -> Html {
    let name = &props.service;
    let chosen = use_state(|| DEFAULT_RATE);
    let rate = props.source.as_ref().map_or(*chosen, |s| s.rate);
    let outside = matches!(props.type_.as_str(), "NodePort" | "LoadBalancer");
    let from = match (&props.source, &props.client) {
        (Some(source), _) => Some(source.from.to_string()),
        (None, _) if outside => Some("outside".to_string()),
        (None, Some(client)) => Some(client.to_string()),
        (None, None) => None,
    };
    let on = props.source.is_some();
    let toggle = toggle_line(name, on, from.as_deref(), rate);
    let on_rate = {
        let (run, chosen, name) = (props.run.clone(), chosen.clone(), name.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let picked = select.value().parse().unwrap_or(DEFAULT_RATE);
            chosen.set(picked);
            if on {
                run.emit(format!("kplay traffic rate svc/{name} {picked}"));
            }
        })
    };
    let client = match from.as_deref() {
        Some("outside") => "client outside the cluster".to_string(),
        Some(pod) => format!("client pod {pod}"),
        None => "no client pod".to_string(),
    };
    html! {
        <div class="traffic-controls" role="group" aria-label={format!("Traffic to {name}")}>
            <span class="client" data-client={name.clone()}>{client}</span>
            if let Some(line) = toggle {
                <button type="button" class={classes!("btn", on.then_some("btn-on"))}
                    aria-pressed={on.to_string()} title={line.clone()}
                    onclick={props.run.reform(move |_: MouseEvent| line.clone())}>
                    {"Send traffic"}
                </button>
            } else {
                <span class="hint">
                    {"A ClusterIP Service is reached from inside the cluster: traffic needs a client pod. "}
                    <button type="button" class="btn" title={CLIENT_POD}
                        onclick={props.run.reform(|_: MouseEvent| CLIENT_POD.to_string())}>
                        {"Create a client pod"}
                    </button>
                </span>
            }
            <label class="field">
                <span>{"Rate"}</span>
                <select aria-label={format!("Requests per second to {name}")} onchange={on_rate}>
                    { for RATES.iter().map(|r| html! {
                        <option value={r.to_string()} selected={*r == rate}>{format!("{r}/s")}</option>
                    }) }
                </select>
            </label>
            if on {
                <span class="traffic-state">{format!("on: {rate} requests/s")}</span>
            }
        </div>
    }
}

/// Where each Deployment's current rollout started: its newest revision and the failed-request
/// total at that moment, so that the page can count the failures of this rollout alone.
#[derive(Debug, Default)]
pub struct Rollouts {
    /// (Deployment, newest revision, failed total when that revision appeared); a Vec, as a
    /// page has few Deployments.
    started: Vec<(AttrValue, AttrValue, u64)>,
}

impl Rollouts {
    /// Notes each Deployment's newest revision: one seen for the first time, or changed (a
    /// new template, or an undo that re-used an old ReplicaSet), starts at `failed_total`.
    pub fn note(&mut self, deployments: &[Rc<DeploymentView>], failed_total: u64) {
        let mut started = Vec::with_capacity(deployments.len());
        for d in deployments {
            let revision = d
                .replica_sets
                .first()
                .map(|rs| rs.revision.clone())
                .unwrap_or_default();
            let start = match self.started.iter().find(|s| s.0 == d.name) {
                Some((_, seen, at)) if *seen == revision => *at,
                _ => failed_total,
            };
            started.push((d.name.clone(), revision, start));
        }
        self.started = started;
    }

    /// The current rollout of `deployment`: its revision and the requests failed since it began.
    pub fn failed(&self, deployment: &str, failed_total: u64) -> Option<(AttrValue, u64)> {
        let (_, revision, start) = self.started.iter().find(|s| s.0 == deployment)?;
        Some((revision.clone(), failed_total.saturating_sub(*start)))
    }
}

/// Props of [`TrafficPanel`].
#[derive(Properties, PartialEq)]
pub struct TrafficPanelProps {
    /// The counters.
    pub traffic: TrafficView,
    /// For each Deployment that receives traffic: (name, revision, failed during its rollout).
    pub rollouts: Rc<[(AttrValue, AttrValue, u64)]>,
}

/// The chart's drawing area, in SVG units: one bar per second.
const BAR: u32 = 10;
/// How far bars reach above (answered) and below (failed) the middle line.
const REACH: u32 = 90;

/// The live chart: answered requests per second stacked by version above the line, failed
/// requests below it (so a failure shows by place and by the ✕ in the legend, not by colour
/// alone), with the counters in words.
#[function_component]
pub fn TrafficPanel(props: &TrafficPanelProps) -> Html {
    let t = &props.traffic;
    let peak = t
        .seconds
        .iter()
        .map(|s| s.answered.iter().map(|a| a.2).sum::<u32>().max(s.failed))
        .max()
        .unwrap_or(0)
        .max(1);
    let width = BAR * WINDOW_SECONDS as u32;
    let scale = |n: u32| n.saturating_mul(REACH) / peak;
    let mut bars = Vec::new();
    for (x, second) in (0..).step_by(BAR as usize).zip(t.seconds.iter()) {
        let mut top = REACH;
        for (_, colour, n) in &second.answered {
            let h = scale(*n);
            top = top.saturating_sub(h);
            let class = colour.map_or_else(|| "bar".to_string(), |c| format!("bar c{c}"));
            bars.push(html! {
                <rect class={class} x={x.to_string()} y={top.to_string()}
                    width={(BAR - 1).to_string()} height={h.to_string()} />
            });
        }
        if second.failed > 0 {
            bars.push(html! {
                <rect class="bar bar-failed" x={x.to_string()} y={REACH.to_string()}
                    width={(BAR - 1).to_string()} height={scale(second.failed).to_string()} />
            });
        }
    }
    let last = t.seconds.last();
    let last_of = |version: &str| {
        last.and_then(|s| s.answered.iter().find(|a| a.0 == version))
            .map_or(0, |a| a.2)
    };
    let summary = format!(
        "Requests per second over the last {WINDOW_SECONDS} seconds, at most {peak}: answered \
         by version above the line, failed below it"
    );
    html! {
        <section class="card traffic" aria-labelledby="traffic-title" data-testid="traffic">
            <h2 id="traffic-title">{"Traffic"}</h2>
            <p class="traffic-scale">{format!("{peak}/s")}</p>
            <svg class="chart" role="img" aria-label={summary}
                viewBox={format!("0 0 {width} {}", 2 * REACH)} preserveAspectRatio="none">
                { for bars }
                <line class="axis" x1="0" x2={width.to_string()}
                    y1={REACH.to_string()} y2={REACH.to_string()} />
            </svg>
            <p class="traffic-scale">{format!("{peak}/s failed · last {WINDOW_SECONDS} s")}</p>
            <ul class="traffic-legend" aria-label="Requests by version">
                { for t.versions.iter().map(|(version, colour, total)| html! {
                    <li key={version.as_str()} data-version={version.clone()}>
                        <span class={classes!("swatch", colour.map(|c| format!("c{c}")))} aria-hidden="true"></span>
                        <strong>{version.clone()}</strong>
                        {format!(" answered: {}/s, {total} in all", last_of(version))}
                    </li>
                }) }
                <li key="failed" data-testid="failed-total">
                    <span class="swatch swatch-failed" aria-hidden="true">{"✕"}</span>
                    <strong>{"failed"}</strong>
                    {format!(" (below the line): {}/s, {} in all",
                        last.map_or(0, |s| s.failed), t.failed_total)}
                </li>
            </ul>
            if let Some(reason) = &t.last_failure {
                <p class="last-failure" data-testid="last-failure">
                    {"Latest failed request: "}{reason.clone()}
                </p>
            }
            { for props.rollouts.iter().map(|(name, revision, failed)| html! {
                <p key={name.as_str()} class="rollout-failed" data-testid={format!("rollout-failed-{name}")}>
                    {format!("Failed since deployment/{name} began rolling out revision {revision}: ")}
                    <strong>{*failed}</strong>
                </p>
            }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{ReplicaSetView, RolloutView};

    fn deployment(name: &str, revision: &str) -> Rc<DeploymentView> {
        let rs = ReplicaSetView {
            name: format!("{name}-{revision}").into(),
            revision: revision.to_string().into(),
            desired: 1,
            current: 1,
            ready: 1,
            available: 1,
            image: AttrValue::default(),
            pods: Rc::default(),
        };
        Rc::new(DeploymentView {
            name: name.to_string().into(),
            replicas: 1,
            ready: 1,
            up_to_date: 1,
            available: 1,
            strategy: AttrValue::default(),
            container: AttrValue::default(),
            container_port: None,
            image: AttrValue::default(),
            replica_sets: vec![rs],
            paused: false,
            strategy_type: AttrValue::default(),
            max_surge: AttrValue::default(),
            max_unavailable: AttrValue::default(),
            rollout: RolloutView {
                sentence: AttrValue::default(),
                done: true,
                deadline_exceeded: false,
                updated_available: 1,
                stuck_pods: Vec::new(),
            },
            history: Vec::new(),
            template_yaml: AttrValue::default(),
        })
    }

    #[test]
    fn the_toggle_runs_kplay_traffic_lines() {
        let table = [
            (
                true,
                Some("outside"),
                10,
                Some("kplay traffic stop svc/web"),
            ),
            (
                false,
                Some("outside"),
                10,
                Some("kplay traffic start svc/web --rate=10 --from=outside"),
            ),
            (
                false,
                Some("client"),
                50,
                Some("kplay traffic start svc/web --rate=50 --from=pod/client"),
            ),
            (false, None, 5, None),
        ];
        for (on, from, rate, want) in table {
            assert_eq!(
                toggle_line("web", on, from, rate).as_deref(),
                want,
                "{on} {from:?}"
            );
        }
    }

    #[test]
    fn a_rollout_counts_the_failures_since_its_revision_appeared() {
        let mut rollouts = Rollouts::default();
        // (deployments with their newest revision, failed total when noted, failed now, want)
        type Step<'a> = (&'a [(&'a str, &'a str)], u64, u64, Option<(&'a str, u64)>);
        let steps: [Step; 5] = [
            (&[("web", "1")], 4, 9, Some(("1", 5))),
            (&[("web", "1")], 9, 12, Some(("1", 8))),
            (&[("web", "2")], 12, 15, Some(("2", 3))),
            (&[("web", "3")], 15, 15, Some(("3", 0))),
            (&[], 15, 20, None),
        ];
        for (deployments, noted_at, now, want) in steps {
            let views: Vec<_> = deployments.iter().map(|(n, r)| deployment(n, r)).collect();
            rollouts.note(&views, noted_at);
            let got = rollouts.failed("web", now);
            assert_eq!(
                got.as_ref().map(|(r, n)| (r.as_str(), *n)),
                want,
                "{deployments:?} at {now}"
            );
        }
    }
}
