//! "Expose": make a Service for a Deployment by choosing a type and ports, seeing the
//! `kubectl expose` command it equals before running it.

use super::form;
use crate::snapshot::DeploymentView;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ExposeForm`].
#[derive(Properties, PartialEq)]
pub struct ExposeFormProps {
    /// The Deployment.
    pub deployment: Rc<DeploymentView>,
    /// Runs a command line.
    pub run: Callback<String>,
}

/// The Service types `kubectl expose --type` offers.
const TYPES: [&str; 3] = ["ClusterIP", "NodePort", "LoadBalancer"];

/// The `kubectl expose` line for these choices (`--target-port` only when it differs).
fn command(name: &str, service_type: &str, port: &str, target: &str) -> String {
    let mut line = format!("kubectl expose deployment {name} --port={}", port.trim());
    if !target.trim().is_empty() && target.trim() != port.trim() {
        line.push_str(&format!(" --target-port={}", target.trim()));
    }
    if service_type != "ClusterIP" {
        line.push_str(&format!(" --type={service_type}"));
    }
    line
}

/// The form.
#[function_component]
pub fn ExposeForm(props: &ExposeFormProps) -> Html {
    let d = &props.deployment;
    let default_target = d.container_port.map(|p| p.to_string()).unwrap_or_default();
    let service_type = use_state(|| TYPES[0].to_string());
    let port = use_state(|| "80".to_string());
    let target = use_state(|| default_target.clone());
    let line = command(&d.name, &service_type, &port, &target);
    let on_type = form::chosen_into(&service_type);
    let text_input = form::typed_into;
    let submit = form::submit_runs(&props.run, &line);
    html! {
        <form class="expose" onsubmit={submit} aria-label={format!("Expose {}", d.name)}>
            <div class="strategy-fields">
                <label class="field">
                    <span>{"Type"}</span>
                    <select aria-label={format!("Service type for {}", d.name)} onchange={on_type}>
                        { for TYPES.iter().map(|t| html! {
                            <option value={*t} selected={*t == service_type.as_str()}>{*t}</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{"Port"}</span>
                    <input type="text" size="5" value={(*port).clone()} oninput={text_input(&port)}
                        aria-label={format!("Service port for {}", d.name)} />
                </label>
                <label class="field">
                    <span>{"Target port"}</span>
                    <input type="text" size="5" value={(*target).clone()} oninput={text_input(&target)}
                        aria-label={format!("Target port for {}", d.name)} />
                </label>
            </div>
            <p class="hint">{"The Service gets a stable address and sends each connection to one of the ready pods; the target port is the port the container listens on."}</p>
            <p><code class="preview-command">{line.clone()}</code></p>
            <button type="submit" class="btn" title={line}>{"Expose"}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::command;

    #[test]
    fn builds_the_kubectl_expose_line() {
        let cases = [
            (
                "ClusterIP",
                "80",
                "5000",
                "kubectl expose deployment web --port=80 --target-port=5000",
            ),
            (
                "NodePort",
                "80",
                "80",
                "kubectl expose deployment web --port=80 --type=NodePort",
            ),
            (
                "LoadBalancer",
                " 8080 ",
                "",
                "kubectl expose deployment web --port=8080 --type=LoadBalancer",
            ),
        ];
        for (service_type, port, target, want) in cases {
            assert_eq!(command("web", service_type, port, target), want);
        }
    }
}
