//! The top bar: title, play/pause, step, speed, reset, the virtual clock, the timeline to
//! scrub back to any moment of the session, and Share.

use crate::clock::{format_elapsed, SPEEDS};
use kplay_core::Millis;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Whether virtual time is running.
    pub playing: bool,
    /// The index of the current speed in [`SPEEDS`].
    pub speed: usize,
    /// The virtual time since the cluster started, formatted.
    pub elapsed: AttrValue,
    /// Whether virtual time runs slower than the chosen speed just now, because there is more
    /// to simulate than a frame has time for.
    #[prop_or_default]
    pub slowed: bool,
    /// Play or pause.
    pub on_toggle: Callback<()>,
    /// Pick a speed by index.
    pub on_speed: Callback<usize>,
    /// Start over.
    pub on_reset: Callback<()>,
    /// The virtual instant shown.
    pub now: Millis,
    /// How far the session got: the timeline's end.
    pub end: Millis,
    /// Pause and move on by one second.
    pub on_step: Callback<()>,
    /// Go to a virtual instant of the session.
    pub on_seek: Callback<Millis>,
    /// Make a share link.
    pub on_share: Callback<()>,
}

/// The top bar.
#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let on_toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_speed = props.on_speed.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        select.value().parse().unwrap_or(0)
    });
    let on_step = props.on_step.reform(|_: MouseEvent| ());
    let on_share = props.on_share.reform(|_: MouseEvent| ());
    // The timeline in whole seconds; a change (on release, or each arrow key) replays to it.
    let on_seek = props.on_seek.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.value().parse::<Millis>().unwrap_or(0) * 1_000
    });
    let end = props.end / 1_000;
    let position = format!(
        "{} of {}",
        format_elapsed(props.now),
        format_elapsed(props.end)
    );
    let (icon, label) = if props.playing {
        ("icon-pause", "Pause")
    } else {
        ("icon-play", "Play")
    };
    html! {
        <header class="topbar">
            <div class="brand">
                <h1>{"kplay"}</h1>
                <span class="tagline">{"Kubernetes Deployments playground"}</span>
            </div>
            <div class="sim-controls" role="group" aria-label="Simulation controls">
                <button class="btn btn-play" onclick={on_toggle}>
                    <span class={icon} aria-hidden="true"></span>{label}
                </button>
                <button class="btn" onclick={on_step} title="Pause and move virtual time on by one second">
                    {"Step 1s"}
                </button>
                <label class="speed">
                    {"Speed"}
                    <select onchange={on_speed}>
                        { for SPEEDS.iter().enumerate().map(|(i, (name, _))| html! {
                            <option value={i.to_string()} selected={i == props.speed}>{*name}</option>
                        }) }
                    </select>
                </label>
                <button class="btn" onclick={on_reset} title="Start over with a fresh cluster">
                    {"Reset"}
                </button>
                <div class="clock" title="Virtual time since the cluster started">
                    <span class="clock-label">{"Virtual time"}</span>
                    <span class="clock-value" role="timer">{props.elapsed.clone()}</span>
                    if props.slowed {
                        <span class="clock-slowed" title="So much is happening at once that virtual time runs slower than the chosen speed, to keep the page responsive">
                            {"slowed"}
                        </span>
                    }
                </div>
                <label class="timeline" title="Go back to any moment: Play then replays what happened">
                    <span class="clock-label">{"Timeline"}</span>
                    <input type="range" min="0" max={end.to_string()} step="1"
                        value={(props.now / 1_000).to_string()} aria-valuetext={position}
                        disabled={end == 0} onchange={on_seek} />
                    <span class="clock-label" aria-hidden="true">{format_elapsed(props.end)}</span>
                </label>
                <button class="btn" onclick={on_share} title="A link that opens this session at this moment">
                    {"Share"}
                </button>
            </div>
        </header>
    }
}
