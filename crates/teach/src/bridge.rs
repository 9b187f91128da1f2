//! The few browser calls the panel needs, as JavaScript: following the page's session
//! (`kplay-session` events, the latest text in `globalThis.kplaySession`), sending it orders
//! (`kplay-do` events: `run` and a script, `reset`), keeping lesson progress in
//! `localStorage`, fetching a lesson from an address, and the page-wide classes the
//! panel's stylesheet reads. Failures come back as values, never as exceptions.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function current() { return globalThis.kplaySession ?? ''; }
export function follow(handler) { addEventListener('kplay-session', (e) => handler(String(e.detail))); }
export function order(text) { dispatchEvent(new CustomEvent('kplay-do', { detail: text })); }
export function load(key) { try { return localStorage.getItem(key) ?? ''; } catch { return ''; } }
export function store(key, text) { try { localStorage.setItem(key, text); return true; } catch { return false; } }
export function param(name) { return new URLSearchParams(location.search).get(name) ?? undefined; }
export function fetchText(url, limit, done) {
  fetch(new URL(url, location.href)).then(async (r) => {
    if (!r.ok) throw new Error(`the server answered ${r.status} ${r.statusText}`.trim());
    const text = await r.text();
    if (text.length > limit) throw new Error(`it is longer than ${limit / 1024} KB`);
    return text;
  }).then((t) => done(t, undefined), (e) => done(undefined, String(e.message ?? e)));
}
export function flag(name, on) { document.documentElement.classList.toggle(name, on); }
export function element(id) { return document.getElementById(id) ?? undefined; }
export function stylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}
export function keys(handler) {
  addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest?.('input, textarea, select, [contenteditable]')) return;
    if (['l', 'n', 'p'].includes(e.key)) handler(e.key);
  });
}
export function asks(handler) {
  for (const ask of globalThis.kplayAsks?.splice(0) ?? []) handler(ask);
  addEventListener('kplay-ask', (e) => handler(String(e.detail)));
}
export function quiet() { const quiet = globalThis.kplayTeachQuiet; delete globalThis.kplayTeachQuiet; return !!quiet; }
export function pendingKey() { const key = globalThis.kplayTeachKey; delete globalThis.kplayTeachKey; return key; }
export function reducedMotion() { return matchMedia('(prefers-reduced-motion: reduce)').matches; }
export function pageAddress() { return location.origin + location.pathname; }
export function copy(text) { navigator.clipboard?.writeText(text).catch(() => {}); }
export function download(name, text) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
export function fieldText(id) { return document.getElementById(id)?.value ?? ''; }
export function focus(id) { requestAnimationFrame(() => document.getElementById(id)?.focus()); }
"#)]
extern "C" {
    /// The page's latest session text ('' before its first save).
    pub fn current() -> String;
    fn follow(handler: JsValue);
    fn order(text: &str);
    /// The stored text under `key` ('' when there is none or storage is unavailable).
    pub fn load(key: &str) -> String;
    /// Stores `text` under `key`; whether the browser allowed it.
    pub fn store(key: &str, text: &str) -> bool;
    /// The page address's query parameter `name`, if given.
    pub fn param(name: &str) -> Option<String>;
    #[wasm_bindgen(js_name = fetchText)]
    fn fetch_text(url: &str, limit: usize, done: JsValue);
    /// Sets or clears a class on `<html>` (`teaching`, `presenter`) for the stylesheets.
    pub fn flag(name: &str, on: bool);
    /// The element with this id, if any.
    pub fn element(id: &str) -> Option<web_sys::Element>;
    /// Adds the panel's stylesheet to the page once.
    pub fn stylesheet(href: &str);
    fn keys(handler: JsValue);
    fn asks(handler: JsValue);
    /// Whether the page loaded this module only to answer an ask: then the panel starts
    /// folded.
    pub fn quiet() -> bool;
    /// The shortcut key that made the page load this module, if one did.
    #[wasm_bindgen(js_name = pendingKey)]
    pub fn pending_key() -> Option<String>;
    /// Whether the learner asked for less motion (`prefers-reduced-motion`).
    #[wasm_bindgen(js_name = reducedMotion)]
    pub fn reduced_motion() -> bool;
    /// The page's address without its query and fragment.
    #[wasm_bindgen(js_name = pageAddress)]
    pub fn page_address() -> String;
    /// Puts `text` on the clipboard, where the browser allows it.
    pub fn copy(text: &str);
    /// Offers `text` as a file called `name` to download.
    pub fn download(name: &str, text: &str);
    /// The text of the field with this id ('' when there is none).
    #[wasm_bindgen(js_name = fieldText)]
    pub fn field_text(id: &str) -> String;
    /// Moves keyboard focus to the element with this id after the next render.
    pub fn focus(id: &str);
}

/// Calls `handler` with the page's session text each time the page saves it.
pub fn follow_session(handler: impl Fn(String) + 'static) {
    follow(Closure::<dyn Fn(String)>::new(handler).into_js_value());
}

/// Calls `handler` with the panel's shortcut keys (`l`, `n`, `p`) pressed outside a text field.
pub fn on_keys(handler: impl Fn(String) + 'static) {
    keys(Closure::<dyn Fn(String)>::new(handler).into_js_value());
}

/// Calls `handler` with each ask of the page (those that waited while this module loaded,
/// then each new one): see [`crate::answers`].
pub fn answer_asks(handler: impl Fn(String) + 'static) {
    asks(Closure::<dyn Fn(String)>::new(handler).into_js_value());
}

/// Sends the page an answer (see [`crate::answers::answer`]).
pub fn order_answer(answer: &str) {
    order(&format!("answer\n{answer}"));
}

/// Asks the page to run `script` as if typed into its console.
pub fn run(script: &str) {
    order(&format!("run\n{script}"));
}

/// Asks the page to start over with a fresh cluster.
pub fn reset() {
    order("reset");
}

/// Fetches the text at `url` (at most `limit` bytes) and calls `done` with it, or with why
/// it could not.
pub fn fetch(url: &str, limit: usize, done: impl FnOnce(Result<String, String>) + 'static) {
    let callback = Closure::once_into_js(move |text: Option<String>, error: Option<String>| {
        done(text.ok_or_else(|| error.unwrap_or_default()))
    });
    fetch_text(url, limit, callback);
}
