//! "Canary and blue/green", next to a Service: both patterns built the Kubernetes-native way,
//! from a second Deployment and the Service's label selector (a Deployment's own strategy is
//! only RollingUpdate or Recreate). Every button runs kubectl commands shown above it, the same
//! lines a learner could type; `tests/golden/patterns-*.kplay` runs them.

use super::form;
use crate::snapshot::{DeploymentView, ServiceView, NAMESPACE};
use crate::versions;
use kplay_core::types::{Deployment, Service};
use kplay_core::Cluster;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Pod labels, or a Service's selector.
type Labels = BTreeMap<String, String>;

/// The label that tells blue's pods from green's.
const VERSION: &str = "version";

/// The patterns panel for Service `service`, when it selects a Deployment's pods (the Deployment
/// itself, or its `-canary` / `-green` companion); nothing otherwise.
pub fn panel(
    cluster: &Cluster,
    service: &ServiceView,
    deployments: &[Rc<DeploymentView>],
    run: &Callback<String>,
) -> Html {
    let find = |name: &str| {
        deployments
            .iter()
            .find(|d| d.name.as_str() == name)
            .cloned()
    };
    let blue = service.targets.iter().find_map(|t| {
        let base = t
            .strip_suffix("-canary")
            .or_else(|| t.strip_suffix("-green"));
        base.and_then(find).or_else(|| find(t))
    });
    let store = cluster.store();
    let selector = store
        .get::<Service>(NAMESPACE, &service.name)
        .and_then(|s| s.spec.as_ref()?.selector.clone());
    let (Some(blue), Some(selector)) = (blue, selector) else {
        return html! {};
    };
    let blue_version = store
        .get::<Deployment>(NAMESPACE, &blue.name)
        .and_then(|d| d.spec.as_ref()?.template.metadata.as_ref()?.labels.clone())
        .and_then(|labels| labels.get(VERSION).cloned())
        .map(AttrValue::from);
    let canary = find(&format!("{}-canary", blue.name));
    let selected_ready: i32 = deployments
        .iter()
        .filter(|d| service.targets.contains(&d.name))
        .map(|d| d.ready)
        .sum();
    let canary_selected = canary
        .as_ref()
        .is_some_and(|c| service.targets.contains(&c.name));
    html! {
        <Patterns service={service.name.clone()} selector={Rc::new(selector)}
            green={find(&format!("{}-green", blue.name))} {blue} {blue_version} {canary}
            {selected_ready} {canary_selected} run={run.clone()} />
    }
}

/// Props of [`Patterns`].
#[derive(Properties, PartialEq)]
struct PatternsProps {
    service: AttrValue,
    selector: Rc<Labels>,
    /// The Deployment the Service was made for.
    blue: Rc<DeploymentView>,
    /// The `version` label of blue's pod template.
    blue_version: Option<AttrValue>,
    canary: Option<Rc<DeploymentView>>,
    green: Option<Rc<DeploymentView>>,
    /// Ready pods of all the Deployments the Service selects.
    selected_ready: i32,
    /// Whether the Service's selector matches the canary's pods.
    canary_selected: bool,
    run: Callback<String>,
}

/// The panel: the one-line truth about these patterns, then canary, then blue/green.
#[function_component]
fn Patterns(props: &PatternsProps) -> Html {
    html! {
        // Open while a canary or green exists, so the running pattern stays in view.
        <details class="card patterns" data-testid={format!("patterns-{}", props.service)}
            open={props.canary.is_some() || props.green.is_some()}>
            <summary>{"Canary and blue/green"}</summary>
            <p class="hint">{"Canary and blue/green are patterns built from Deployments and a Service's selector; Kubernetes Deployments have only two strategies, RollingUpdate and Recreate."}</p>
            <section aria-label="Canary">
                <h3>{"Canary"}</h3>
                { canary(props) }
            </section>
            <section aria-label="Blue/green">
                <h3>{"Blue/green"}</h3>
                { blue_green(props) }
            </section>
        </details>
    }
}

/// The canary part: a form to add one, or its share of connections with Promote and Abort.
fn canary(props: &PatternsProps) -> Html {
    let blue = &props.blue;
    let Some(c) = &props.canary else {
        let mut labels = (*props.selector).clone();
        labels.insert("track".into(), "canary".into());
        return html! {
            <>
                <p class="hint">{format!("A second Deployment whose pods carry the labels the Service selects ({}) plus track=canary: the Service spreads connections over all ready pods, so the canary gets a share in proportion to its ready pods.", selector_text(&props.selector))}</p>
                <NewDeployment name={format!("{}-canary", blue.name)} labels={Rc::new(labels)}
                    blue={blue.clone()} replicas={1} submit="Add a canary" run={&props.run} />
            </>
        };
    };
    let share = if props.canary_selected {
        share(c.ready, props.selected_ready)
    } else {
        format!(
            "The Service's selector does not match {}'s pods: it gets no connections.",
            c.name
        )
    };
    let promote = promote(&blue.name, &blue.container, &c.image, &c.name);
    html! {
        <>
            <p>{format!("deployment/{} runs {}, {}/{} ready.", c.name, c.image, c.ready, c.replicas)}</p>
            // The measured split from the traffic counters belongs right under the expected one.
            <p class="pattern-share" data-testid={format!("canary-share-{}", props.service)}>{share}</p>
            <p class="hint">{format!("Promote rolls {} out to {}, then deletes the canary; Abort only deletes the canary.", blue.name, c.image)}</p>
            { action("Promote", promote, &props.run) }
            { action("Abort", format!("kubectl delete deployment {}", c.name), &props.run) }
        </>
    }
}

/// The blue/green part, one step at a time: give blue a version label, narrow the Service to
/// it, prepare green, then switch the selector between them.
fn blue_green(props: &PatternsProps) -> Html {
    let (svc, blue) = (&props.service, &props.blue);
    let blue_version = props.blue_version.as_deref().unwrap_or("blue");
    let green_version = if blue_version == "green" {
        "blue"
    } else {
        "green"
    };
    let Some(selected) = props.selector.get(VERSION) else {
        if props.blue_version.is_none() {
            let patch = label_blue(&blue.name);
            return html! {
                <>
                    <p class="hint">{format!("First the Service must select only blue's pods, but its selector ({}) has no version. Step 1: label blue's pod template version=blue; that changes the template, so {} rolls out new pods while the Service keeps serving.", selector_text(&props.selector), blue.name)}</p>
                    { action("Label blue", patch, &props.run) }
                </>
            };
        }
        let hint = if blue.rollout.done {
            format!("Step 2: add {VERSION}={blue_version} to the Service's selector so that it selects only blue.")
        } else {
            format!("Step 2, once {}'s rollout is done: add {VERSION}={blue_version} to the Service's selector so that it selects only blue.", blue.name)
        };
        return html! {
            <>
                <p class="hint">{hint}</p>
                { action_if("Select only blue", select_version(svc, blue_version), &props.run, blue.rollout.done) }
            </>
        };
    };
    let Some(green) = &props.green else {
        let mut labels = (*props.selector).clone();
        labels.insert(VERSION.into(), green_version.into());
        return html! {
            <>
                <p class="hint">{format!("The Service selects {}: only blue's pods. Green is a second Deployment with {VERSION}={green_version}, which the Service does not select yet.", selector_text(&props.selector))}</p>
                <NewDeployment name={format!("{}-green", blue.name)} labels={Rc::new(labels)}
                    blue={blue.clone()} replicas={blue.replicas.max(1)} submit="Prepare green" run={&props.run} />
            </>
        };
    };
    let green_live = selected.as_str() == green_version;
    let (live, idle) = if green_live {
        (green, blue)
    } else {
        (blue, green)
    };
    let describe = |d: &DeploymentView| {
        format!(
            "deployment/{} ({}, {}/{} ready)",
            d.name, d.image, d.ready, d.replicas
        )
    };
    html! {
        <>
            <p data-testid={format!("bluegreen-live-{svc}")}>{format!("The Service selects {}: live is {}; idle is {}.", selector_text(&props.selector), describe(live), describe(idle))}</p>
            <p class="hint">{"Switching changes only where new connections go, once kube-proxy sees the new endpoints; connections already open stay with the pods that have them."}</p>
            if green_live {
                { action("Switch back to blue", select_version(svc, blue_version), &props.run) }
            } else {
                if green.ready < green.replicas {
                    <p class="hint">{format!("Green has {} of {} pods ready: switching now sends connections to those only.", green.ready, green.replicas)}</p>
                }
                { action("Switch traffic to green", select_version(svc, green_version), &props.run) }
                { action("Delete green", format!("kubectl delete deployment {}", green.name), &props.run) }
            }
        </>
    }
}

/// `app=web,version=blue`, as `kubectl get svc -o wide` prints a selector.
fn selector_text(selector: &Labels) -> String {
    let mut text = String::new();
    for (k, v) in selector {
        if !text.is_empty() {
            text.push(',');
        }
        text.push_str(&format!("{k}={v}"));
    }
    text
}

/// Promoting the canary: blue's container gets the canary's image (a rolling update), and
/// the canary Deployment is deleted.
fn promote(blue: &str, container: &str, image: &str, canary: &str) -> String {
    format!("kubectl set image deployment/{blue} {container}={image}\nkubectl delete deployment {canary}")
}

/// The patch that adds `version=blue` to Deployment `name`'s pod template.
fn label_blue(name: &str) -> String {
    format!("kubectl patch deployment {name} -p '{{\"spec\":{{\"template\":{{\"metadata\":{{\"labels\":{{\"{VERSION}\":\"blue\"}}}}}}}}}}'")
}

/// The patch that sets the `version` key of Service `svc`'s selector (a strategic merge patch
/// merges the selector map, so its other keys stay).
fn select_version(svc: &str, version: &str) -> String {
    format!("kubectl patch service {svc} -p '{{\"spec\":{{\"selector\":{{\"{VERSION}\":\"{version}\"}}}}}}'")
}

/// The expected share of the canary: kube-proxy picks among ready endpoints evenly per
/// connection, so a Deployment's share is its ready pods over all ready pods selected.
/// Example: 1 canary of 4 ready pods → about 25%.
fn share(canary_ready: i32, selected_ready: i32) -> String {
    if selected_ready <= 0 {
        return "No ready pods yet: the Service has no endpoints.".into();
    }
    let canary_ready = canary_ready.clamp(0, selected_ready);
    let percent = (canary_ready * 100 + selected_ready / 2) / selected_ready;
    format!("{canary_ready} of {selected_ready} ready pods → about {percent}% of connections")
}

/// A label value as a YAML scalar: quoted when YAML would read it as a number, a boolean or
/// null (kubectl's YAML 1.1 also reads yes/no/on/off as booleans), or when it is empty.
fn scalar(value: &str) -> String {
    const WORDS: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "",
    ];
    let plain = !value.starts_with(|c: char| c.is_ascii_digit())
        && !WORDS.contains(&value.to_ascii_lowercase().as_str());
    if plain {
        value.to_string()
    } else {
        format!("\"{value}\"")
    }
}

/// The `kubectl apply` heredoc for a Deployment `name` of `replicas` pods labelled `labels`
/// (its selector too), running `image` in a container named and listening like blue's
/// (`blue` is its container name and port).
fn manifest(
    name: &str,
    labels: &Labels,
    blue: (&str, Option<i32>),
    image: &str,
    replicas: i32,
) -> String {
    let mut selector = String::new();
    let mut template = String::new();
    for (k, v) in labels {
        let v = scalar(v);
        selector.push_str(&format!("\n      {k}: {v}"));
        template.push_str(&format!("\n        {k}: {v}"));
    }
    let (container, port) = blue;
    let ports = port
        .map(|p| format!("\n        ports:\n        - containerPort: {p}"))
        .unwrap_or_default();
    let container = if container.is_empty() {
        "app"
    } else {
        container
    };
    format!(
        "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:{selector}\n  template:\n    metadata:\n      labels:{template}\n    spec:\n      containers:\n      - name: {container}\n        image: {image}{ports}\nEOF"
    )
}

/// A button running `command`, which is shown above it.
fn action(label: &'static str, command: String, run: &Callback<String>) -> Html {
    action_if(label, command, run, true)
}

/// [`action`], disabled unless `enabled`.
fn action_if(label: &'static str, command: String, run: &Callback<String>, enabled: bool) -> Html {
    let onclick = {
        let command = command.clone();
        run.reform(move |_: MouseEvent| command.clone())
    };
    html! {
        <div class="pattern-action">
            <pre class="preview-command pattern-command">{command}</pre>
            <button type="button" class="btn" disabled={!enabled} {onclick}>{label}</button>
        </div>
    }
}

/// Props of [`NewDeployment`].
#[derive(Properties, PartialEq)]
struct NewDeploymentProps {
    name: AttrValue,
    labels: Rc<Labels>,
    blue: Rc<DeploymentView>,
    replicas: i32,
    submit: &'static str,
    run: Callback<String>,
}

/// A form for the second Deployment (canary or green): its image and replica count, and the
/// manifest it applies.
#[function_component]
fn NewDeployment(props: &NewDeploymentProps) -> Html {
    let (name, blue) = (&props.name, &props.blue);
    let choices = versions::choices(&blue.image);
    let image = use_state(|| {
        let other = choices.iter().find(|c| c.as_str() != blue.image.as_str());
        other.cloned().unwrap_or_else(|| blue.image.to_string())
    });
    let replicas = use_state(|| props.replicas.to_string());
    let count = replicas.trim().parse::<i32>().ok().filter(|n| *n >= 0);
    let like = (blue.container.as_str(), blue.container_port);
    let line = manifest(name, &props.labels, like, &image, count.unwrap_or(0));
    let on_image = form::chosen_into(&image);
    let on_replicas = form::typed_into(&replicas);
    let submit = form::submit_runs(&props.run, &line);
    html! {
        <form class="pattern-form" onsubmit={submit} aria-label={props.submit}>
            <div class="strategy-fields">
                <label class="field">
                    <span>{"Image"}</span>
                    <select aria-label={format!("New {name} image")} onchange={on_image}>
                        { for choices.iter().map(|c| html! {
                            <option key={c.as_str()} value={c.clone()} selected={*c == *image}>{c.clone()}</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{"Replicas"}</span>
                    <input type="number" min="0" inputmode="numeric" value={(*replicas).clone()}
                        oninput={on_replicas} aria-label={format!("New {name} replicas")} />
                </label>
            </div>
            <pre class="preview-command pattern-command">{line}</pre>
            <button type="submit" class="btn" disabled={count.is_none()}>{props.submit}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_ready_canary_pods_over_all_ready_pods() {
        let cases = [
            (1, 4, "1 of 4 ready pods → about 25% of connections"),
            (1, 3, "1 of 3 ready pods → about 33% of connections"),
            (2, 3, "2 of 3 ready pods → about 67% of connections"),
            (0, 3, "0 of 3 ready pods → about 0% of connections"),
            (0, 0, "No ready pods yet: the Service has no endpoints."),
        ];
        for (canary, all, want) in cases {
            assert_eq!(share(canary, all), want, "{canary} of {all}");
        }
    }

    #[test]
    fn label_values_that_yaml_would_retype_are_quoted() {
        let cases = [
            ("web", "web"),
            ("v2", "v2"),
            ("1.0", "\"1.0\""),
            ("true", "\"true\""),
            ("No", "\"No\""),
            ("", "\"\""),
        ];
        for (value, want) in cases {
            assert_eq!(scalar(value), want, "{value}");
        }
    }

    #[test]
    fn commands_are_the_ones_the_golden_scripts_run() {
        let labels = |pairs: [(&str, &str); 2]| -> Labels {
            let mut map = Labels::new();
            for (k, v) in pairs {
                map.insert(k.into(), v.into());
            }
            map
        };
        let canary = labels([("app", "web"), ("track", "canary")]);
        let green = labels([("app", "web"), (VERSION, "green")]);
        let like = ("nginx", Some(80));
        let cases = [
            (
                CANARY,
                manifest("web-canary", &canary, like, "nginx:1.28", 1),
            ),
            (CANARY, promote("web", "nginx", "nginx:1.28", "web-canary")),
            (BLUE_GREEN, label_blue("web")),
            (BLUE_GREEN, select_version("web", "blue")),
            (
                BLUE_GREEN,
                manifest("web-green", &green, like, "nginx:1.28", 2),
            ),
            (BLUE_GREEN, select_version("web", "green")),
        ];
        for (golden, command) in cases {
            assert!(golden.contains(&format!("{command}\n")), "{command}");
        }
        assert_eq!(selector_text(&green), "app=web,version=green");
    }

    const CANARY: &str = include_str!("../../../../tests/golden/patterns-canary.kplay");
    const BLUE_GREEN: &str = include_str!("../../../../tests/golden/patterns-bluegreen.kplay");
}
