//! Label selectors: parsing `-l` strings (`app=web,tier!=db,env in (a,b),!canary`), matching
//! labels against them, and printing labels and selectors as kubectl does
//! (`labels.Selector.String`, `metav1.FormatLabelSelector`).

use kplay_core::api::validation::{label_value_errors, qualified_name_errors};
use kplay_core::quote::go_quote;
use kplay_core::types::LabelSelector;
use std::collections::BTreeMap;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    /// `key=value` / `key==value`.
    Equals(String, String),
    /// `key!=value`.
    NotEquals(String, String),
    /// `key in (a,b)`.
    In(String, Vec<String>),
    /// `key notin (a,b)`.
    NotIn(String, Vec<String>),
    /// `key`.
    Exists(String),
    /// `!key`.
    DoesNotExist(String),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector(Vec<Requirement>);

impl Selector {
    /// Parses a `-l` selector string.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                if text.trim().is_empty() {
                    continue;
                }
                return Err("unable to parse requirement: found ',', expected: identifier".into());
            }
            let requirement = parse_requirement(part)?;
            validate(&requirement)?;
            requirements.push(requirement);
        }
        Ok(Selector(requirements))
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k));
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v),
            Requirement::NotEquals(k, v) => get(k) != Some(v),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

/// apimachinery's `NewRequirement` checks: the key is a qualified name, each value a label
/// value (`unable to parse requirement: values[0][app]: Invalid value: "...": must be no more
/// than 63 characters`, as `labels.Parse` reports them).
fn validate(requirement: &Requirement) -> Result<(), String> {
    let (key, values): (&str, &[String]) = match requirement {
        Requirement::Equals(k, v) | Requirement::NotEquals(k, v) => (k, std::slice::from_ref(v)),
        Requirement::In(k, vs) | Requirement::NotIn(k, vs) => (k, vs),
        Requirement::Exists(k) | Requirement::DoesNotExist(k) => (k, &[]),
    };
    let mut causes = Vec::new();
    let problems = qualified_name_errors(key);
    if !problems.is_empty() {
        causes.push(format!(
            "key: Invalid value: {}: {}",
            go_quote(key),
            problems.join("; ")
        ));
    }
    for (i, value) in values.iter().enumerate() {
        let problems = label_value_errors(value);
        if !problems.is_empty() {
            causes.push(format!(
                "values[{i}][{key}]: Invalid value: {}: {}",
                go_quote(value),
                problems.join("; ")
            ));
        }
    }
    match causes.as_slice() {
        [] => Ok(()),
        [one] => Err(format!("unable to parse requirement: {one}")),
        many => Err(format!(
            "unable to parse requirement: [{}]",
            many.join(", ")
        )),
    }
}

/// Splits on commas outside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_requirement(part: &str) -> Result<Requirement, String> {
    let key_ok = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    };
    let bad =
        |found: &str| format!("unable to parse requirement: found '{found}', expected: identifier");
    if let Some(key) = part.strip_prefix('!') {
        let key = key.trim();
        return if key_ok(key) {
            Ok(Requirement::DoesNotExist(key.to_string()))
        } else {
            Err(bad(key))
        };
    }
    for (op, neg) in [("!=", true), ("==", false), ("=", false)] {
        if let Some((k, v)) = part.split_once(op) {
            let (k, v) = (k.trim(), v.trim());
            if !key_ok(k) {
                return Err(bad(op));
            }
            return Ok(if neg {
                Requirement::NotEquals(k.into(), v.into())
            } else {
                Requirement::Equals(k.into(), v.into())
            });
        }
    }
    let mut words = part.splitn(2, char::is_whitespace);
    let key = words.next().unwrap_or("").trim();
    let rest = words.next().unwrap_or("").trim();
    if !key_ok(key) {
        return Err(bad(key));
    }
    if rest.is_empty() {
        return Ok(Requirement::Exists(key.to_string()));
    }
    let (op, list) = rest.split_once('(').ok_or_else(|| bad(rest))?;
    let list = list.strip_suffix(')').ok_or_else(|| {
        "unable to parse requirement: found 'end of string', expected: ')'".to_string()
    })?;
    let values: Vec<String> = list.split(',').map(|v| v.trim().to_string()).collect();
    match op.trim() {
        "in" => Ok(Requirement::In(key.into(), values)),
        "notin" => Ok(Requirement::NotIn(key.into(), values)),
        other => Err(format!(
            "unable to parse requirement: found '{other}', expected: in, notin, =, ==, !=, gt, lt"
        )),
    }
}

/// Labels as `--show-labels` prints them: `app=web,pod-template-hash=abc`, or `<none>`.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => l
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".to_string(),
    }
}

/// A LabelSelector as the SELECTOR column prints it (`metav1.FormatLabelSelector`):
/// requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`; `<none>`.
pub fn format_selector(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "<none>".to_string();
    };
    let mut parts: Vec<(String, String)> = Vec::new();
    for (k, v) in selector.match_labels.iter().flatten() {
        parts.push((k.clone(), format!("{k}={v}")));
    }
    for e in selector.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        kplay_core::sort::sort(&mut values);
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => return "<error>".to_string(),
        };
        parts.push((e.key.clone(), text));
    }
    // Sorted by key; the sort is stable, so matchLabels come before expressions on a key.
    kplay_core::sort::sort_by(&mut parts, |a, b| a.0.cmp(&b.0));
    if parts.is_empty() {
        return "<none>".to_string();
    }
    parts
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether an object's labels match a LabelSelector (`metav1.LabelSelectorAsSelector`);
/// a missing selector matches nothing, an empty one everything.
pub fn selector_matches(
    selector: Option<&LabelSelector>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let Some(selector) = selector else {
        return false;
    };
    let mut requirements: Vec<Requirement> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
        .collect();
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default();
        requirements.push(match e.operator.as_str() {
            "In" => Requirement::In(e.key.clone(), values),
            "NotIn" => Requirement::NotIn(e.key.clone(), values),
            "Exists" => Requirement::Exists(e.key.clone()),
            _ => Requirement::DoesNotExist(e.key.clone()),
        });
    }
    Selector(requirements).matches(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selector_table() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        let cases: &[(&str, bool)] = &[
            ("", true),
            ("app=web", true),
            ("app==web", true),
            ("app=db", false),
            ("app!=db", true),
            ("app=web,tier=front", true),
            ("app=web,tier=back", false),
            ("app in (db,web)", true),
            ("app notin (web)", false),
            ("tier", true),
            ("!tier", false),
            ("!canary", true),
        ];
        for (text, want) in cases {
            let s = Selector::parse(text).expect(text);
            assert_eq!(s.matches(Some(&l)), *want, "{text}");
        }
        assert!(Selector::parse("=x").is_err());
        assert!(Selector::parse("app in (a").is_err());
    }

    #[test]
    fn keys_and_values_are_validated_as_labels_parse_does() {
        let a64 = "a".repeat(64);
        // (selector, error) as apimachinery's labels.Parse words them.
        let table: Vec<(String, Option<String>)> = vec![
            ("app=web".into(), None),
            (format!("app={}", "a".repeat(63)), None),
            ("app=".into(), None),
            (
                format!("app={a64}"),
                Some(format!("unable to parse requirement: values[0][app]: Invalid value: \"{a64}\": must be no more than 63 characters")),
            ),
            (
                "app in (web,-x)".into(),
                Some("unable to parse requirement: values[1][app]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".into()),
            ),
            (
                a64.clone(),
                Some(format!("unable to parse requirement: key: Invalid value: \"{a64}\": name part must be no more than 63 characters")),
            ),
            (
                format!("{a64}={a64}"),
                Some(format!("unable to parse requirement: [key: Invalid value: \"{a64}\": name part must be no more than 63 characters, values[0][{a64}]: Invalid value: \"{a64}\": must be no more than 63 characters]")),
            ),
        ];
        for (text, expected) in table {
            assert_eq!(Selector::parse(&text).err(), expected, "{text}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(
            format_labels(Some(&labels(&[("b", "2"), ("a", "1")]))),
            "a=1,b=2"
        );
        assert_eq!(format_labels(None), "<none>");
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            ..LabelSelector::default()
        };
        assert_eq!(format_selector(Some(&sel)), "app=web");
        assert!(selector_matches(
            Some(&sel),
            Some(&labels(&[("app", "web"), ("x", "y")]))
        ));
    }
}
