//! The playground page: a Yew app over the simulated cluster.
//!
//! The app owns a [`kplay_core::Cluster`] and never changes it directly: every button builds a
//! `kubectl` command line and runs it through the same script executor as the console
//! ([`command`]), so each click also teaches the command. Time moves only in the animation
//! loop ([`clock`]), which turns requestAnimationFrame deltas into `Cluster::advance`; the page
//! re-renders from a small [`snapshot`] of the store when the change feed moved.

mod app;
mod clock;
mod command;
mod connectivity;
mod diff;
mod keep;
mod palette;
mod policy_draft;
mod policy_writer;
mod snapshot;
mod versions;
mod view;

use wasm_bindgen::prelude::wasm_bindgen;

/// Talc instead of dlmalloc: a smaller and faster allocator for single-threaded Wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The Wasm entry point, called by the wasm-bindgen glue's `init()`: mounts the app into the
/// page's `#app` element (or `<body>` when there is none).
#[wasm_bindgen(start)]
pub fn start() {
    // With panic = "abort" the module traps after the hook: the page's recovery message
    // (www/boot.js) shows this text. Set through Yew, which would otherwise put its own.
    yew::set_custom_panic_hook(Box::new(|info| keep::panicked(&info.to_string())));
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
