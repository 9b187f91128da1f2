//! The request animation: a few sampled requests travel as dots from a Service's client marker
//! through the Service card to the pod tile that answered, in that version's palette colour. A
//! failed request stops at the Service as a red ✕ with its outcome in words, so failure is not
//! told by colour alone; one a NetworkPolicy dropped stops where the network plugin dropped it
//! (at the destination pod, or at the client when its egress is isolated), with the verdict
//! on hover. The core keeps the latest requests ([`Traffic::recent`]); this module
//! only picks some of them and finds where their ends are drawn (`data-client`, `data-hub`,
//! `data-pod-name` attributes). Under `prefers-reduced-motion` the layer is hidden (style.css)
//! and the chart's counters tell the same story.
//!
//! Where the ends are drawn is read after the frame that picked a request was painted (see
//! [`Flow::place`]), not in the frame: there the dots' running animations have left the
//! page's style to recompute, and reading a position had the browser do it at once, for
//! the whole page (up to 10 ms of a frame at 300 pods).

use crate::palette::Palette;
use crate::snapshot::NAMESPACE;
use kplay_core::network::connect::Outcome;
use kplay_core::network::policy::Judgement;
use kplay_core::network::traffic::{Request, Traffic};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The most dots on screen at once: a small fixed pool, whatever the rate.
const POOL: usize = 16;

/// Wall-clock ms between two new dots: at most about 12 a second.
const SAMPLE_MS: f64 = 83.0;

/// How long a dot travels, wall-clock ms (`.dot`'s animation in style.css lasts as long).
const TRAVEL_MS: f64 = 1_200.0;

/// How long a failure stays on screen, long enough to hover it (`.dot-failed`'s animation).
const FAILED_MS: f64 = 2_400.0;

/// Wall-clock ms between two failure marks, so that a stream of failures stays readable.
const FAILED_GAP_MS: f64 = 600.0;

/// One dot on its way.
#[derive(Debug, Clone, PartialEq)]
struct Dot {
    id: u64,
    born: f64,
    /// The answering version's palette colour; `None` for a failure.
    colour: Option<u8>,
    /// What went wrong, in words (`refused`, `timed out`, `dropped`).
    failure: Option<&'static str>,
    /// Why, at length (a NetworkPolicy verdict), shown on hover.
    reason: Option<AttrValue>,
    /// Client, Service, end: px from the top-left corner of the `.cluster` section.
    path: [(i32, i32); 3],
}

/// The dots in flight and which requests were already considered.
#[derive(Debug, Default)]
pub struct Flow {
    dots: Vec<Dot>,
    seen: Option<u64>,
    last_dot: f64,
    /// The request picked for the next dot, with the frame's timestamp, waiting to be placed
    /// ([`Flow::place`]).
    waiting: Option<(Request, f64)>,
    /// Whether a dot was placed since the last [`Flow::step`].
    placed: bool,
}

impl Flow {
    /// Drops dots that arrived and picks a request to launch one for among those sent since
    /// the last call (a failure first, when there was one: it is what a learner must not
    /// miss), at most one per [`SAMPLE_MS`] and a failure at most once per
    /// [`FAILED_GAP_MS`]; [`Flow::place`] then draws it. `wall` is the frame's timestamp.
    /// Returns whether the dots changed.
    pub fn step(&mut self, traffic: &Traffic, wall: f64) -> bool {
        let before = self.dots.len();
        self.dots.retain(|d| {
            wall - d.born
                < match d.failure {
                    Some(_) => FAILED_MS,
                    None => TRAVEL_MS,
                }
        });
        let changed = self.dots.len() != before || std::mem::take(&mut self.placed);
        let newest = traffic.recent().back().map(|r| r.id);
        let seen = std::mem::replace(&mut self.seen, newest);
        let busy = self.dots.len() >= POOL || self.waiting.is_some();
        if newest == seen || wall - self.last_dot < SAMPLE_MS || busy {
            return changed;
        }
        let failure_due = !self
            .dots
            .iter()
            .any(|d| d.failure.is_some() && wall - d.born < FAILED_GAP_MS);
        let mut pick: Option<&Request> = None;
        for request in traffic.recent().iter().rev() {
            if seen.is_some_and(|s| request.id <= s) {
                break;
            }
            if request.service.0 != NAMESPACE {
                continue;
            }
            let failed = !matches!(request.outcome, Outcome::Answered(_));
            if failed && !failure_due {
                continue;
            }
            if pick.is_none() || failed {
                pick = Some(request);
            }
            if failed {
                break;
            }
        }
        self.waiting = pick.map(|request| (request.clone(), wall));
        changed
    }

    /// Whether a picked request waits for [`Flow::place`]: the app then asks for a call
    /// after the frame is painted.
    pub fn waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// Launches the dot of the request [`Flow::step`] picked, from where its ends are drawn
    /// now (`wall`: the page clock). Called once the page is laid out: after a frame was
    /// painted and before the next one starts. The next step draws it.
    pub fn place(&mut self, palette: &mut Palette, wall: f64) {
        let Some((request, picked)) = self.waiting.take() else {
            return;
        };
        // A request whose ends are not on screen uses up no sampling slot.
        if let Some(dot) = dot(&request, palette, wall) {
            self.dots.push(dot);
            self.last_dot = picked;
            self.placed = true;
        }
    }

    /// Forgets every dot (a new cluster).
    pub fn clear(&mut self) {
        *self = Flow::default();
    }

    /// The layer of dots, over the cluster section; hidden from assistive technology (the
    /// chart's counters are the accessible account of the same requests).
    pub fn view(&self) -> Html {
        html! {
            <div class="flow" aria-hidden="true">
                { for self.dots.iter().map(|d| {
                    let [(x0, y0), (x1, y1), (x2, y2)] = d.path;
                    let style = format!(
                        "--x0:{x0}px;--y0:{y0}px;--x1:{x1}px;--y1:{y1}px;--x2:{x2}px;--y2:{y2}px"
                    );
                    match d.failure {
                        Some(what) => html! {
                            <span key={d.id} class="dot dot-failed" {style}
                                title={d.reason.clone().unwrap_or(AttrValue::Static(what))}>
                                {"✕ "}{what}
                            </span>
                        },
                        None => html! {
                            <span key={d.id} {style}
                                class={classes!("dot", d.colour.map(|c| format!("c{c}")))}></span>
                        },
                    }
                }) }
            </div>
        }
    }
}

/// The dot for `request`, if its client marker is on screen.
fn dot(request: &Request, palette: &mut Palette, wall: f64) -> Option<Dot> {
    let root = web_sys::window()?
        .document()?
        .query_selector(".cluster")
        .ok()??;
    let service = &request.service.1;
    let client = centre(&root, &format!("[data-client=\"{service}\"]"))?;
    let hub = centre(&root, &format!("[data-hub=\"{service}\"]")).unwrap_or(client);
    let mut start = hub;
    let mut reason = None;
    let (colour, failure, end) = match &request.outcome {
        Outcome::Answered(answer) => {
            let pod = centre(&root, &format!("[data-pod-name=\"{}\"]", answer.pod));
            (
                Some(palette.colour(&answer.image)),
                None,
                pod.unwrap_or(hub),
            )
        }
        Outcome::Refused => (None, Some("refused"), hub),
        Outcome::TimedOut => (None, Some("timed out"), hub),
        Outcome::Dropped(dropped) => {
            reason = Some(AttrValue::from(dropped.verdict.to_string()));
            let end = if matches!(dropped.verdict.egress, Judgement::Denied { .. }) {
                // The client's own egress is isolated: the request never leaves it.
                start = client;
                client
            } else {
                let pod = centre(&root, &format!("[data-pod-name=\"{}\"]", dropped.pod));
                pod.unwrap_or(hub)
            };
            (None, Some("dropped"), end)
        }
    };
    Some(Dot {
        id: request.id,
        born: wall,
        colour,
        failure,
        reason,
        path: [client, start, end],
    })
}

/// The centre of the element `selector` matches, in px from `root`'s top-left corner, walking
/// the offset parents (`.cluster` is positioned, so every chain inside it ends there). `None`
/// when nothing matches or the element is not laid out (inside a closed `<details>`).
fn centre(root: &Element, selector: &str) -> Option<(i32, i32)> {
    let mut element: HtmlElement = root.query_selector(selector).ok()??.dyn_into().ok()?;
    let (mut x, mut y) = (element.offset_width() / 2, element.offset_height() / 2);
    loop {
        x += element.offset_left();
        y += element.offset_top();
        let parent = element.offset_parent()?;
        if &parent == root {
            return Some((x, y));
        }
        element = parent.dyn_into().ok()?;
    }
}
