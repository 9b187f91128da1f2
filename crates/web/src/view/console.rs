//! The console: a transcript and an input that runs the scenario-script language, so typed
//! `kubectl ...` lines, `sleep 60s` and heredocs behave exactly as in `kplay run`.
//! Enter runs (or, inside an unclosed heredoc, starts the next line), Shift+Enter starts a new
//! line, Up/Down recall earlier input.

use crate::command::{Entry, Tone};
use kplay_kubectl::script;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The transcript, oldest first.
    pub entries: Rc<Vec<Entry>>,
    /// Runs what the user typed.
    pub on_run: Callback<String>,
}

/// Earlier inputs, and where Up/Down recall is.
#[derive(Default)]
struct History {
    items: Vec<String>,
    /// The recalled item, or `None` while editing a new line.
    cursor: Option<usize>,
}

impl History {
    /// The item before the cursor (Up).
    fn back(&mut self) -> Option<&String> {
        let index = match self.cursor {
            Some(0) => 0,
            Some(i) => i - 1,
            None => self.items.len().checked_sub(1)?,
        };
        self.cursor = Some(index);
        self.items.get(index)
    }

    /// The item after the cursor (Down); past the newest, an empty line.
    fn forward(&mut self) -> Option<String> {
        let next = self.cursor? + 1;
        if next < self.items.len() {
            self.cursor = Some(next);
            self.items.get(next).cloned()
        } else {
            self.cursor = None;
            Some(String::new())
        }
    }

    fn push(&mut self, line: &str) {
        if self.items.last().map(String::as_str) != Some(line) {
            self.items.push(line.to_string());
        }
        self.cursor = None;
    }
}

/// The console.
#[function_component]
pub fn Console(props: &ConsoleProps) -> Html {
    let text = use_state(String::new);
    let history = use_mut_ref(History::default);
    let transcript_ref = use_node_ref();

    // Keep the newest output in view.
    {
        let transcript_ref = transcript_ref.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = transcript_ref.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let submit = {
        let (text, history, on_run) = (text.clone(), history.clone(), props.on_run.clone());
        Rc::new(move || submit_input(&text, &history, &on_run))
    };
    let onsubmit = {
        let submit = submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submit();
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let onkeydown = {
        let (text, history) = (text.clone(), history.clone());
        Callback::from(move |e: KeyboardEvent| {
            let single_line = !text.contains('\n');
            let recalled = match e.key().as_str() {
                // Inside an open heredoc, Enter starts the next line, as in a shell.
                "Enter" if !e.shift_key() && !script::is_incomplete(&text) => {
                    e.prevent_default();
                    submit();
                    None
                }
                "ArrowUp" if single_line => history.borrow_mut().back().cloned(),
                "ArrowDown" if single_line => history.borrow_mut().forward(),
                _ => None,
            };
            if let Some(line) = recalled {
                e.prevent_default();
                text.set(line);
            }
        })
    };
    let rows = text.lines().count().clamp(1, 10).to_string();

    html! {
        <section class="console" aria-labelledby="console-title">
            <h2 id="console-title" class="section-title">{"Console"}</h2>
            <div class="transcript" ref={transcript_ref} role="log" aria-live="polite"
                aria-label="console output" tabindex="0">
                { for props.entries.iter().map(|entry| html! {
                    <pre key={entry.id} class={tone_class(entry.tone)}>{entry_text(&entry.text)}</pre>
                }) }
            </div>
            <form class="prompt" {onsubmit}>
                <span class="ps1" aria-hidden="true">{"$"}</span>
                <textarea
                    aria-label="kubectl console input"
                    rows={rows}
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    placeholder="kubectl get pods"
                    value={(*text).clone()}
                    {oninput}
                    {onkeydown}
                />
                <button type="submit" class="btn">{"Run"}</button>
            </form>
            <p class="hint">
                {"Enter runs · Shift+Enter adds a line (heredocs) · ↑ ↓ recall · "}
                <code>{"sleep 30s"}</code>{" jumps virtual time"}
            </p>
        </section>
    }
}

/// Runs the input if it is not blank, records it in the history and clears the field.
fn submit_input(
    text: &UseStateHandle<String>,
    history: &Rc<RefCell<History>>,
    on_run: &Callback<String>,
) {
    let line = (**text).clone();
    if line.trim().is_empty() {
        return;
    }
    history.borrow_mut().push(&line);
    text.set(String::new());
    on_run.emit(line);
}

/// An entry's text, with its `$ command` line set apart from the output.
fn entry_text(text: &str) -> Html {
    match text.split_once('\n') {
        Some((command, output)) if command.starts_with("$ ") => html! {
            <><span class="cmd">{command}</span>{"\n"}{output}</>
        },
        _ => html! { {text} },
    }
}

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Ok => "out",
        Tone::Error => "out out-error",
        Tone::Note => "out out-note",
    }
}
