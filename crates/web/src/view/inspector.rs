//! The object inspector: a dialog with an object's live YAML (what `kubectl get KIND NAME -o
//! yaml` prints) and, for pods, the delete action with what will happen next: a pod of a
//! ReplicaSet is replaced, a bare pod is gone for good.

use kplay_core::Kind;
use yew::prelude::*;

/// What the inspector shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// The object's kind.
    pub kind: Kind,
    /// Its name (in the page's namespace for namespaced kinds).
    pub name: AttrValue,
}

/// A button that opens the inspector on `kind/name`, showing `kind_label` dimmed before the name.
pub fn inspect_button(
    inspect: &Callback<Inspected>,
    kind: Kind,
    name: &AttrValue,
    kind_label: &str,
) -> Html {
    let target = Inspected {
        kind,
        name: name.clone(),
    };
    let onclick = inspect.reform(move |_: MouseEvent| target.clone());
    html! {
        <button type="button" class="link-button" {onclick}
            title={format!("Show the YAML of {kind_label}{name}")}>
            <span class="kind">{kind_label.to_string()}</span>{name.clone()}
        </button>
    }
}

/// Props of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The object.
    pub object: Inspected,
    /// Its YAML, or `None` once it no longer exists.
    pub yaml: Option<AttrValue>,
    /// For a pod: whether a controller (a ReplicaSet) owns it.
    pub controlled: bool,
    /// Runs a command line.
    pub run: Callback<String>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// The dialog.
#[function_component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let Inspected { kind, name } = &props.object;
    let resource = kind.name().to_ascii_lowercase();
    let close_button = use_node_ref();
    {
        // Move focus into the dialog when it opens, so keyboard users land in it.
        let close_button = close_button.clone();
        use_effect_with(props.object.clone(), move |_| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };
    let delete_cmd = format!("kubectl delete {resource} {name}");
    let delete = {
        let (run, close, cmd) = (
            props.run.clone(),
            props.on_close.clone(),
            delete_cmd.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            close.emit(());
            run.emit(cmd.clone());
        })
    };
    let edit_cmd = format!("kubectl edit {resource} {name}");
    let edit = {
        let (run, close, cmd) = (props.run.clone(), props.on_close.clone(), edit_cmd.clone());
        Callback::from(move |_: MouseEvent| {
            close.emit(());
            run.emit(cmd.clone());
        })
    };
    let title = format!("{resource}/{name}");
    html! {
        <div class="overlay" {onkeydown}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="inspector-title">
                <header class="dialog-head">
                    <h2 id="inspector-title"><span class="kind">{format!("{resource}/")}</span>{name.clone()}</h2>
                    <button type="button" class="btn" ref={close_button} onclick={close}>{"Close"}</button>
                </header>
                if props.yaml.is_some() {
                    <div class="dialog-actions">
                        <button type="button" class="btn" onclick={edit} title={edit_cmd}>{"Edit YAML"}</button>
                        if *kind == Kind::Pod {
                            <button type="button" class="btn btn-danger" onclick={delete} title={delete_cmd}>
                                {"Delete pod"}
                            </button>
                            <span class="hint">
                                { if props.controlled {
                                    "Its ReplicaSet will notice the missing pod and create a replacement."
                                } else {
                                    "This is a bare pod: nothing will bring it back."
                                } }
                            </span>
                        }
                    </div>
                }
                <p class="hint"><code>{format!("kubectl get {resource} {name} -o yaml")}</code></p>
                { match &props.yaml {
                    Some(yaml) => html! { <pre class="yaml" tabindex="0" aria-label={format!("YAML of {title}")}>{yaml.clone()}</pre> },
                    None => html! { <p>{format!("{title} no longer exists.")}</p> },
                } }
            </div>
        </div>
    }
}
