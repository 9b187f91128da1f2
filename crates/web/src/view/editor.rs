//! The YAML editor `kubectl edit` opens in the web app: the live object's YAML in a text
//! area; saving applies it as `kubectl edit` does (and keeps the editor open, with kubectl's
//! error, when the API server rejects it); cancelling changes nothing.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Props of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// What is edited, e.g. `deployment.apps/web`.
    pub title: AttrValue,
    /// The YAML the editor opens with.
    pub original: AttrValue,
    /// kubectl's error for the last save, if it was rejected.
    pub error: Option<AttrValue>,
    /// Saves the edited text.
    pub on_save: Callback<String>,
    /// Closes the editor without changes.
    pub on_cancel: Callback<()>,
}

/// The editor dialog.
#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let text = use_node_ref();
    {
        let text = text.clone();
        use_effect_with(props.title.clone(), move |_| {
            if let Some(area) = text.cast::<HtmlTextAreaElement>() {
                // Start at the top of the YAML, not at its end where focus puts the caret.
                let _ = area.focus();
                let _ = area.set_selection_range(0, 0);
                area.set_scroll_top(0);
            }
        });
    }
    // The text is kept in state: Yew writes `value` on every render, so the draft must be
    // the value, or a re-render (a rejected save) would put the original back.
    let draft = use_state(|| props.original.to_string());
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            draft.set(area.value());
        })
    };
    let save = {
        let (draft, on_save) = (draft.clone(), props.on_save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_save.emit((*draft).clone());
        })
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let onkeydown = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cancel.emit(());
            }
        })
    };
    html! {
        <div class="overlay" {onkeydown}>
            <form class="dialog editor" role="dialog" aria-modal="true" aria-labelledby="editor-title"
                onsubmit={save}>
                <header class="dialog-head">
                    <h2 id="editor-title">{format!("kubectl edit {}", props.title)}</h2>
                </header>
                <p class="hint">
                    {"Change the YAML and save: kubectl sends the difference to the API server, which validates it. Fields under status are the controllers' and are not yours to change."}
                </p>
                if let Some(error) = &props.error {
                    <pre class="editor-error" role="alert">{error.clone()}</pre>
                }
                <textarea ref={text} class="yaml editor-text" spellcheck="false"
                    aria-label={format!("YAML of {}", props.title)}
                    value={(*draft).clone()} {oninput} />
                <div class="dialog-actions">
                    <button type="submit" class="btn btn-primary">{"Save"}</button>
                    <button type="button" class="btn" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </div>
    }
}
