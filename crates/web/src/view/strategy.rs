//! The strategy editor: RollingUpdate with maxSurge/maxUnavailable (a number or a
//! percentage), with the numbers the controller will use for the current replica count
//! explained live, or Recreate. Applying runs `kubectl patch`.

use crate::snapshot::DeploymentView;
use kplay_core::strategy::{parse_int_or_percent, rolling_bounds};
use kplay_core::types::IntOrString;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`StrategyEditor`].
#[derive(Properties, PartialEq)]
pub struct StrategyEditorProps {
    /// The Deployment.
    pub deployment: Rc<DeploymentView>,
    /// Runs a command line.
    pub run: Callback<String>,
}

/// The form's values; `None` until the user edits, so the form shows the live object.
#[derive(Clone, Default, PartialEq)]
struct Edit {
    recreate: Option<bool>,
    surge: Option<String>,
    unavailable: Option<String>,
}

/// How one bound resolves, e.g. `25% of 10 → surge 3 (rounded up)`.
fn resolution(text: &str, replicas: i32, resolved: i32, what: &str, rounding: &str) -> String {
    match parse_int_or_percent(text) {
        IntOrString::String(_) => {
            format!("{text} of {replicas} → {what} {resolved} ({rounding})")
        }
        IntOrString::Int(_) => format!("{what} {resolved}"),
    }
}

/// The live explanation of a rolling update's settings.
fn explanation(surge: &str, unavailable: &str, replicas: i32) -> Result<String, String> {
    let bounds = rolling_bounds(
        &parse_int_or_percent(surge),
        &parse_int_or_percent(unavailable),
        replicas,
    )
    .ok_or_else(|| "Use a number (3) or a percentage (25%).".to_string())?;
    // With maxSurge 1 nothing is adjusted, which gives maxUnavailable as written.
    let as_written = rolling_bounds(
        &IntOrString::Int(1),
        &parse_int_or_percent(unavailable),
        replicas,
    );
    let both_zero = bounds.surge == 0 && as_written.is_some_and(|b| b.unavailable == 0);
    let unavailable_text = if both_zero {
        "unavailable 1 (both resolve to 0, so the controller uses 1)".to_string()
    } else {
        resolution(
            unavailable,
            replicas,
            bounds.unavailable,
            "unavailable",
            "rounded down",
        )
    };
    Ok(format!(
        "{}, {unavailable_text}: at most {} pods, at least {} available during a rollout.",
        resolution(surge, replicas, bounds.surge, "surge", "rounded up"),
        bounds.max_pods,
        bounds.min_available
    ))
}

/// The merge patch that sets the strategy. Switching to Recreate must clear rollingUpdate in
/// the same patch, or the API server rejects the object.
fn patch(name: &str, recreate: bool, surge: &str, unavailable: &str) -> String {
    let value = |text: &str| match parse_int_or_percent(text) {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => format!("\"{}\"", s.replace(['"', '\\', '\''], "")),
    };
    let strategy = if recreate {
        r#"{"type":"Recreate","rollingUpdate":null}"#.to_string()
    } else {
        format!(
            r#"{{"type":"RollingUpdate","rollingUpdate":{{"maxSurge":{},"maxUnavailable":{}}}}}"#,
            value(surge),
            value(unavailable)
        )
    };
    format!("kubectl patch deployment {name} --type=merge -p '{{\"spec\":{{\"strategy\":{strategy}}}}}'")
}

/// The strategy form of one Deployment.
#[function_component]
pub fn StrategyEditor(props: &StrategyEditorProps) -> Html {
    let d = &props.deployment;
    let edit = use_state(Edit::default);
    let recreate = edit
        .recreate
        .unwrap_or(d.strategy_type.as_str() == "Recreate");
    let surge = edit
        .surge
        .clone()
        .unwrap_or_else(|| d.max_surge.to_string());
    let unavailable = edit
        .unavailable
        .clone()
        .unwrap_or_else(|| d.max_unavailable.to_string());
    let set = |f: fn(&mut Edit, String)| {
        let edit = edit.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*edit).clone();
            f(&mut next, input.value());
            edit.set(next);
        })
    };
    let choose = |value: bool| {
        let edit = edit.clone();
        Callback::from(move |_: Event| {
            let mut next = (*edit).clone();
            next.recreate = Some(value);
            edit.set(next);
        })
    };
    let command = patch(&d.name, recreate, &surge, &unavailable);
    let apply = {
        let (run, edit, command) = (props.run.clone(), edit.clone(), command.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            edit.set(Edit::default());
            run.emit(command.clone());
        })
    };
    let explained = if recreate {
        Ok("Recreate: every old pod is deleted first, and new pods start only when they are gone, so nothing serves in between.".to_string())
    } else {
        explanation(&surge, &unavailable, d.replicas)
    };
    let group = format!("strategy-{}", d.name);
    html! {
        <form class="strategy" onsubmit={apply} aria-label={format!("Strategy of {}", d.name)}>
            <fieldset>
                <legend>{"Type"}</legend>
                <label class="choice">
                    <input type="radio" name={group.clone()} checked={!recreate} onchange={choose(false)} />
                    {"RollingUpdate"}
                </label>
                <label class="choice">
                    <input type="radio" name={group} checked={recreate} onchange={choose(true)} />
                    {"Recreate"}
                </label>
            </fieldset>
            if !recreate {
                <div class="strategy-fields">
                    <label class="field">
                        <span>{"maxSurge"}</span>
                        <input type="text" value={surge} size="5"
                            aria-label={format!("maxSurge of {}", d.name)}
                            oninput={set(|e, v| e.surge = Some(v))} />
                    </label>
                    <label class="field">
                        <span>{"maxUnavailable"}</span>
                        <input type="text" value={unavailable} size="5"
                            aria-label={format!("maxUnavailable of {}", d.name)}
                            oninput={set(|e, v| e.unavailable = Some(v))} />
                    </label>
                </div>
            }
            <p class={classes!("strategy-explained", explained.is_err().then_some("invalid"))}
                data-testid={format!("strategy-explained-{}", d.name)} aria-live="polite">
                { match &explained { Ok(text) | Err(text) => text.clone() } }
            </p>
            <button type="submit" class="btn" title={command}>{"Apply strategy"}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_the_resolved_numbers() {
        let cases = [
            ("25%", "25%", 10, Ok("25% of 10 → surge 3 (rounded up), 25% of 10 → unavailable 2 (rounded down): at most 13 pods, at least 8 available during a rollout.")),
            ("1", "0", 3, Ok("surge 1, unavailable 0: at most 4 pods, at least 3 available during a rollout.")),
            ("0", "0", 4, Ok("surge 0, unavailable 1 (both resolve to 0, so the controller uses 1): at most 4 pods, at least 3 available during a rollout.")),
            ("lots", "25%", 4, Err("Use a number (3) or a percentage (25%).")),
        ];
        for (surge, unavailable, replicas, want) in cases {
            assert_eq!(
                explanation(surge, unavailable, replicas),
                want.map(String::from).map_err(String::from),
                "{surge} {unavailable}"
            );
        }
    }

    #[test]
    fn patches_are_merge_patches_kubectl_accepts() {
        assert_eq!(
            patch("web", false, "1", "25%"),
            r#"kubectl patch deployment web --type=merge -p '{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}}}}'"#
        );
        assert_eq!(
            patch("web", true, "1", "25%"),
            r#"kubectl patch deployment web --type=merge -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'"#
        );
    }
}
