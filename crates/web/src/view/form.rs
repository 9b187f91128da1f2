//! The callbacks every small form on the page needs: a text field or a select that keeps its
//! value in a state, and a submit that runs the command line the form shows.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Keeps a text input's value in `state` as the user types.
pub fn typed_into(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        state.set(input.value());
    })
}

/// Keeps a select's chosen value in `state`.
pub fn chosen_into(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    chosen(move |value| state.set(value))
}

/// Calls `then` with a select's value when the choice changes.
pub fn chosen(then: impl Fn(String) + 'static) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        then(select.value());
    })
}

/// Runs `line` when the form is submitted, instead of the browser's page load.
pub fn submit_runs(run: &Callback<String>, line: &str) -> Callback<SubmitEvent> {
    let (run, line) = (run.clone(), line.to_string());
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        run.emit(line.clone());
    })
}
