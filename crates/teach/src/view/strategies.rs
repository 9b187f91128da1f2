//! The strategy gallery: every strategy of the curriculum as a one-click scenario on the same
//! app under the same traffic, with the YAML that sets it up and the commands it runs; and a
//! side-by-side comparison of any two, as animated lanes and a table of what each cost.

use crate::compare::{Phase, Run, Tile, TICK};
use crate::shipped::parsed_scenarios;
use crate::teach::{Msg, Teach};
use kplay_core::Millis;
use yew::html::Scope;
use yew::prelude::*;

/// Two scenarios compared: their names and runs, and the lanes' position.
pub struct Comparison {
    /// The scenarios' indexes in [`crate::shipped::SCENARIOS`].
    pub picked: [usize; 2],
    /// Their runs, or why a run failed.
    pub runs: [Result<Run, String>; 2],
    /// The frame the lanes show.
    pub frame: usize,
    /// Whether the lanes are playing.
    pub playing: bool,
}

impl Comparison {
    /// The number of frames of the longer run.
    pub fn frames(&self) -> usize {
        self.runs
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.frames.len())
            .max()
            .unwrap_or(0)
    }
}

/// The title of scenario `index`.
fn title(index: usize) -> &'static str {
    parsed_scenarios()
        .get(index)
        .map_or("", |l| l.title.as_str())
}

/// The Strategies tab.
pub fn gallery(
    picked: [usize; 2],
    comparison: Option<&Comparison>,
    running: Option<usize>,
    link: &Scope<Teach>,
) -> Html {
    let select = |side: usize| {
        let onchange = link.callback(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::Choose(side, select.value().parse().unwrap_or(0))
        });
        html! {
            <select aria-label={if side == 0 { "First strategy" } else { "Second strategy" }} {onchange}>
                { for (0..parsed_scenarios().len()).map(|i| html! {
                    <option value={i.to_string()} selected={picked[side] == i}>{title(i)}</option>
                }) }
            </select>
        }
    };
    html! {
        <>
            <p class="hint">{"The same Flask app, six replicas of flask-app:1.0 behind a NodePort Service with 20 requests a second from outside, moved to flask-app:2.0 six ways."}</p>
            if let Some(index) = running {
                <p class="scenario-running" role="status">{format!("Running in the playground: {}. Watch the pods and the traffic chart.", title(index))}</p>
            }
            <section class="compare" aria-labelledby="compare-title">
                <h3 id="compare-title">{"Compare two strategies"}</h3>
                <div class="compare-picks">{select(0)}<span>{"with"}</span>{select(1)}</div>
                <button class="btn btn-primary" onclick={link.callback(|_| Msg::Compare)}>{"Compare"}</button>
                if let Some(comparison) = comparison {
                    { lanes(comparison, link) }
                    { table(comparison) }
                }
            </section>
            <h3>{"The strategies"}</h3>
            <ul class="scenario-list">
                { for parsed_scenarios().iter().enumerate().map(|(index, scenario)| {
                    let Some(step) = scenario.steps.first() else { return html! {} };
                    html! {
                        <li class="scenario">
                            <h4>{scenario.title.clone()}</h4>
                            { for step.text.iter().map(|t| html! { <p>{t.clone()}</p> }) }
                            <details>
                                <summary>{"The YAML that sets it up"}</summary>
                                <pre>{scenario.setup.trim_end()}</pre>
                            </details>
                            <details>
                                <summary>{"The commands it runs"}</summary>
                                <pre>{step.solution.trim_end()}</pre>
                            </details>
                            <button class="btn" onclick={link.callback(move |_| Msg::Scenario(index))}
                                title="Replaces the cluster: sets this up, then runs the change for you to watch">
                                {"Run it in the playground"}
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}

/// The two runs as lanes of pod tiles at the same moment, with play and a scrubber.
fn lanes(comparison: &Comparison, link: &Scope<Teach>) -> Html {
    let frames = comparison.frames();
    let at: Millis = comparison.frame as Millis * TICK;
    let onchange = link.callback(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        Msg::LaneFrame(input.value().parse().unwrap_or(0))
    });
    html! {
        <div class="lanes">
            <div class="lanes-controls">
                <button class="btn btn-small" onclick={link.callback(|_| Msg::PlayLanes)}>
                    {if comparison.playing { "Pause" } else { "Play" }}
                </button>
                <input type="range" min="0" max={frames.saturating_sub(1).to_string()} step="1"
                    value={comparison.frame.to_string()} aria-label="Moment of the comparison"
                    aria-valuetext={format!("{:.1} s after the change", at as f64 / 1000.0)} {onchange} />
                <span class="lanes-time">{format!("{:.1} s", at as f64 / 1000.0)}</span>
            </div>
            { for comparison.picked.iter().zip(&comparison.runs).map(|(index, run)| {
                let name = title(*index);
                match run {
                    Err(reason) => html! { <p class="teach-notice">{format!("{name}: {reason}")}</p> },
                    Ok(run) => {
                        let tiles = run.frames.get(comparison.frame).or(run.frames.last());
                        let done = run.complete_after.is_some_and(|d| d <= at);
                        html! {
                            <div class="lane" aria-label={name}>
                                <p class="lane-title">{name}{if done { " · ✓ done" } else { "" }}</p>
                                <ol class="lane-pods">
                                    { for tiles.into_iter().flatten().map(tile) }
                                </ol>
                            </div>
                        }
                    }
                }
            }) }
            <p class="hint">{"Orange is flask-app:1.0, blue flask-app:2.0; dashed tiles are starting, faded ones terminating."}</p>
        </div>
    }
}

/// One pod of a lane.
fn tile(tile: &Tile) -> Html {
    let colour = match tile.version.as_str() {
        "1.0" => "c0",
        "2.0" => "c1",
        _ => "c2",
    };
    let (state, label) = match tile.phase {
        Phase::Starting => ("lane-starting", "starting"),
        Phase::Ready => ("lane-ready", "ready"),
        Phase::Terminating => ("lane-terminating", "terminating"),
    };
    html! {
        <li class={classes!("lane-pod", colour, state)} title={format!("{} {label}", tile.version)}>
            {tile.version.clone()}
        </li>
    }
}

/// The comparison table: time to complete, peak pods, fewest serving, failed requests.
fn table(comparison: &Comparison) -> Html {
    let runs: Vec<Option<&Run>> = comparison.runs.iter().map(|r| r.as_ref().ok()).collect();
    let cell = |f: &dyn Fn(&Run) -> String| -> Html {
        runs.iter()
            .map(|r| html! { <td>{r.map(f).unwrap_or_else(|| "—".into())}</td> })
            .collect::<Html>()
    };
    html! {
        <table class="compare-table">
            <thead><tr>
                <th scope="col">{""}</th>
                { for comparison.picked.iter().map(|i| html! { <th scope="col">{short(*i)}</th> }) }
            </tr></thead>
            <tbody>
                <tr><th scope="row">{"Time to complete"}</th>
                    { cell(&|r| r.complete_after.map_or("over 10 min".into(), |d| format!("{:.1} s", d as f64 / 1000.0))) }</tr>
                <tr><th scope="row">{"Peak pods"}</th>{ cell(&|r| r.peak_pods.to_string()) }</tr>
                <tr><th scope="row">{"Fewest pods serving"}</th>{ cell(&|r| r.min_serving.to_string()) }</tr>
                <tr><th scope="row">{"Failed requests"}</th>
                    { cell(&|r| format!("{} of {}", r.failed, r.failed + r.answered)) }</tr>
            </tbody>
        </table>
    }
}

/// A scenario's title up to its first punctuation, for a table header.
fn short(index: usize) -> &'static str {
    title(index)
        .split([':', '('])
        .next()
        .unwrap_or_default()
        .trim()
}
