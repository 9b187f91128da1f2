//! The Wasm build's exports, for `tests/bench-wasm.mjs` in headless Chromium: the workloads'
//! names, and [`measure`] timed on `performance.now()`.

use crate::{Workload, ALL};
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: the page's clock, in milliseconds.
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// The names of every workload, in report order.
#[wasm_bindgen]
pub fn names() -> Vec<String> {
    ALL.iter().map(Workload::name).collect()
}

/// Times the workload `name` ([`crate::measure`], within [`Workload::budget_ms`]) and returns its report
/// line.
#[wasm_bindgen]
pub fn measure(name: &str) -> Result<String, String> {
    let workload = Workload::named(name).ok_or_else(|| format!("no workload {name}"))?;
    crate::measure(&workload, "wasm", &now, workload.budget_ms())
}
