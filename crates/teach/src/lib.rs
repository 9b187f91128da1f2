//! The page's lessons and tools: a second Wasm module that the page loads only when they are
//! first wanted (the launcher button, a `?lesson=` address, a shortcut), so that the
//! playground's first load stays within its budget.
//!
//! It never touches the page's cluster. The page publishes its session's text on every save
//! and this module replays it into a [`replica::Replica`] of its own (the core is
//! deterministic, so the replica is the same cluster), which is what lesson checks read.
//! What it does to the page's cluster goes back as orders (`run` a script, `reset`): the
//! page runs them as if typed, so they show in its console and its session. See
//! [`bridge`] for the few DOM events in between.

pub mod answers;
pub mod bridge;
pub mod compare;
pub mod course;
pub mod embed;
pub mod export;
pub mod faults;
pub mod overview;
pub mod pace;
pub mod progress;
pub mod replica;
pub mod shipped;
mod teach;
mod view;

use wasm_bindgen::prelude::wasm_bindgen;

/// Talc instead of dlmalloc: a smaller and faster allocator for single-threaded Wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The Wasm entry point, called by the glue's `init()`: mounts the panel into the page's
/// `#teach` element (or `<body>` when there is none).
#[wasm_bindgen(start)]
pub fn start() {
    // Before the panel: asks may be waiting (see www/boot.js).
    bridge::answer_asks(|ask| {
        if let Some(answer) = answers::answer(&ask) {
            bridge::order_answer(&answer);
        }
    });
    bridge::stylesheet("www/teach.css");
    match bridge::element("teach") {
        Some(root) => yew::Renderer::<teach::Teach>::with_root(root).render(),
        None => yew::Renderer::<teach::Teach>::new().render(),
    };
}
