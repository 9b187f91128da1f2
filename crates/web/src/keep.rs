//! Where a session is kept outside the page: the browser's `localStorage` (the autosave a
//! reload restores) and share links (the session's text, deflated by the browser's own
//! `CompressionStream` and base64url-encoded into the URL fragment, so nothing is sent to any
//! server and no compression code ships in the Wasm). The browser calls are a few lines of
//! JavaScript; everything that can fail comes back as a sentence for the console.
//!
//! The same few lines connect the page to its lazily loaded lessons and tools (`kplay_teach`):
//! the session's text goes out on every save, and orders (run a script, reset, play, step)
//! come back as DOM events, so neither module links the other.

use wasm_bindgen::prelude::*;

/// The `localStorage` key of the autosaved session.
const KEY: &str = "kplay.session";

/// Where a saved session that cannot be read is set aside (kept, not lost).
pub const ASIDE: &str = "kplay.session.unreadable";

/// The fragment that starts a share link's packed session.
const LINK: &str = "#session=";

/// The longest packed session a share link may carry (characters after `#session=`).
pub const MAX_LINK: usize = 64 * 1024;

#[wasm_bindgen(inline_js = r#"
const piped = (data, step) => new Response(new Blob([data]).stream().pipeThrough(step));
const attempt = (work) => { try { return work(); } catch (e) { return '\0' + e; } };
export function panicked(message) { globalThis.kplayPanic = message; console.error(message); }
export function ask(question) { dispatchEvent(new CustomEvent('kplay-ask', { detail: question })); }
export function load(key) { return attempt(() => localStorage.getItem(key) ?? ''); }
export function store(key, text) { return attempt(() => localStorage.setItem(key, text)); }
export function takeLink(prefix) {
  const hash = location.hash;
  if (!hash.startsWith(prefix)) return undefined;
  attempt(() => history.replaceState(null, '', location.pathname + location.search));
  return hash.slice(prefix.length);
}
export function pack(text, prefix, max, done) {
  // Older browsers have no CompressionStream: the error comes back as the reason.
  Promise.resolve().then(() => piped(text, new CompressionStream('deflate-raw')).arrayBuffer()).then((buffer) => {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    const code = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    // A link longer than a page accepts when opened is refused here, with the reason.
    if (code.length > max) throw `the session packs to ${Math.ceil(code.length / 1024)} KB, more than the ${max / 1024} KB a link may carry`;
    return location.origin + location.pathname + location.search + prefix + code;
  }).then((link) => done(link, undefined), (e) => done(undefined, String(e)));
}
export function unpack(code, limit, done) {
  (async () => {
    const binary = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const reader = piped(bytes, new DecompressionStream('deflate-raw')).body.getReader();
    const parts = [];
    let size = 0;
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      size += value.length;
      if (size > limit) { reader.cancel(); throw new Error(`it unpacks to more than ${limit / 1024} KB`); }
      parts.push(value);
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(await new Blob(parts).arrayBuffer());
  })().then((text) => done(text, undefined), (e) => done(undefined, e.message));
}
export function copy(text) { navigator.clipboard?.writeText(text).catch(() => {}); }
export function publish(text) { globalThis.kplaySession = text; dispatchEvent(new CustomEvent('kplay-session', { detail: text })); }
export function obey(handler) { addEventListener('kplay-do', (e) => handler(String(e.detail))); }
"#)]
extern "C" {
    /// Keeps a panic's message for the page's recovery message (www/boot.js).
    pub fn panicked(message: &str);
    /// Asks the lessons module (loaded on first use, see www/boot.js) to run a command this
    /// module leaves out; its answer comes back as an `answer` order.
    pub fn ask(question: &str);
    /// The stored text ('' when there is none), or NUL and the browser's error.
    fn load(key: &str) -> String;
    /// Nothing, or NUL and the browser's error.
    fn store(key: &str, text: &str) -> Option<String>;
    #[wasm_bindgen(js_name = takeLink)]
    fn take_link(prefix: &str) -> Option<String>;
    fn pack(text: &str, prefix: &str, max: usize, done: JsValue);
    fn unpack(code: &str, limit: usize, done: JsValue);
    /// Puts `text` on the clipboard, where the browser allows it.
    pub fn copy(text: &str);
    /// Tells the page's other modules (the lessons and tools, `kplay_teach`) the session's
    /// text: kept as `globalThis.kplaySession` and sent as a `kplay-session` event.
    pub fn publish(text: &str);
    fn obey(handler: JsValue);
}

/// Calls `handler` with each order another module of the page sends as a `kplay-do` event
/// (`play`, `step`, `reset`, `run` and a script on the next lines, or `answer` to an [`ask`]).
pub fn take_orders(handler: impl Fn(String) + 'static) {
    obey(Closure::<dyn Fn(String)>::new(handler).into_js_value());
}

/// A browser call's outcome: its error in its own words (`SecurityError: ...`) after the NUL
/// the JavaScript side puts first, or the value.
fn outcome(value: Option<String>) -> Result<String, String> {
    match value {
        Some(v) => match v.strip_prefix('\0') {
            Some(error) => Err(error.to_string()),
            None => Ok(v),
        },
        None => Ok(String::new()),
    }
}

/// The autosaved session's text (empty when there is none); `Err` when the page cannot use
/// the browser's storage (a sandboxed iframe, storage disabled), with the browser's reason.
pub fn saved() -> Result<String, String> {
    outcome(Some(load(KEY)))
}

/// Saves the session's text for the next visit.
pub fn save(text: &str) -> Result<(), String> {
    outcome(store(KEY, text)).map(drop)
}

/// Keeps a saved text that could not be read under [`ASIDE`], so the next save does not
/// overwrite it.
pub fn set_aside(text: &str) -> Result<(), String> {
    outcome(store(ASIDE, text)).map(drop)
}

/// The packed session of the share link the page was opened with, if any (taken out of the
/// address bar, so that a reload restores the autosave instead of the link's old moment).
pub fn link_opened() -> Option<String> {
    take_link(LINK)
}

/// Packs `text` into a share link and calls `done` with it, or with why it could not.
pub fn share(text: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    pack(text, LINK, MAX_LINK, settled(done));
}

/// Unpacks a share link's session (at most `limit` bytes) and calls `done` with its text,
/// or with why it could not (a damaged or truncated link).
pub fn open(code: &str, limit: usize, done: impl FnOnce(Result<String, String>) + 'static) {
    if code.len() > MAX_LINK {
        done(Err(format!(
            "it is longer than the {} KB a link may carry",
            MAX_LINK / 1024
        )));
        return;
    }
    unpack(code, limit, settled(done));
}

/// A JavaScript callback `(value, error)` that hands the outcome to `done`, once.
fn settled(done: impl FnOnce(Result<String, String>) + 'static) -> JsValue {
    Closure::once_into_js(move |value: Option<String>, error: Option<String>| {
        done(value.ok_or_else(|| error.unwrap_or_default()))
    })
}
