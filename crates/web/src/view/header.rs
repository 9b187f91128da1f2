//! The top bar: title, play/pause, speed, reset and the virtual clock.

use crate::clock::SPEEDS;
use web_sys::HtmlSelectElement;
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
    /// Play or pause.
    pub on_toggle: Callback<()>,
    /// Pick a speed by index.
    pub on_speed: Callback<usize>,
    /// Start over.
    pub on_reset: Callback<()>,
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
                </div>
            </div>
        </header>
    }
}
