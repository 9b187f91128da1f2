//! What a newcomer sees before any Deployment exists.

use yew::prelude::*;

/// The command behind the empty state's button: the lessons' running example.
const CREATE_FLASK_APP: &str =
    "kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000";

/// Props of [`EmptyState`].
#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    /// Runs a command line.
    pub run: Callback<String>,
}

/// The empty state: one button that creates the Flask app, and a hint to type commands.
#[function_component]
pub fn EmptyState(props: &EmptyStateProps) -> Html {
    let create = props
        .run
        .reform(|_: MouseEvent| CREATE_FLASK_APP.to_string());
    html! {
        <section class="card empty">
            <h2>{"No Deployments yet"}</h2>
            <p>{"A Deployment keeps a number of identical pods running and replaces them when they go away."}</p>
            <button class="btn btn-primary" onclick={create}>{"Create the Flask app"}</button>
            <p class="hint">{"It runs this command, as you could in the console:"}<br />
                <code class="command">{CREATE_FLASK_APP}</code>
            </p>
        </section>
    }
}
