//! Label selectors (`metav1.LabelSelector`), as the API server and every controller evaluate
//! them: `matchLabels` and `matchExpressions` are ANDed.

use crate::types::LabelSelector;
use std::collections::BTreeMap;

/// Whether `labels` satisfy `selector` (`metav1.LabelSelectorAsSelector(...).Matches`). An empty
/// selector matches everything; an unknown operator matches nothing, as conversion fails.
pub fn selector_matches(
    selector: &LabelSelector,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let get = |key: &str| labels.and_then(|l| l.get(key));
    let match_labels = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| get(k) == Some(v));
    let match_expressions = selector.match_expressions.iter().flatten().all(|req| {
        let values = req.values.as_deref().unwrap_or_default();
        let value = get(&req.key);
        match req.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    match_labels && match_expressions
}

/// Whether the selector has no requirement at all (and so would select every object).
pub fn selector_is_empty(selector: &LabelSelector) -> bool {
    selector
        .match_labels
        .as_ref()
        .is_none_or(BTreeMap::is_empty)
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(Vec::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::LabelSelectorRequirement;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn selectors_match_as_kubernetes_does() {
        let labels = map(&[("app", "web"), ("tier", "front")]);
        let table: Vec<(&str, LabelSelector, bool)> = vec![
            ("empty selects all", LabelSelector::default(), true),
            (
                "matchLabels equal",
                LabelSelector {
                    match_labels: Some(map(&[("app", "web")])),
                    ..Default::default()
                },
                true,
            ),
            (
                "matchLabels differ",
                LabelSelector {
                    match_labels: Some(map(&[("app", "db")])),
                    ..Default::default()
                },
                false,
            ),
            (
                "In",
                LabelSelector {
                    match_expressions: Some(vec![expr("tier", "In", &["front", "back"])]),
                    ..Default::default()
                },
                true,
            ),
            (
                "NotIn absent key",
                LabelSelector {
                    match_expressions: Some(vec![expr("env", "NotIn", &["prod"])]),
                    ..Default::default()
                },
                true,
            ),
            (
                "Exists",
                LabelSelector {
                    match_expressions: Some(vec![expr("app", "Exists", &[])]),
                    ..Default::default()
                },
                true,
            ),
            (
                "DoesNotExist",
                LabelSelector {
                    match_expressions: Some(vec![expr("app", "DoesNotExist", &[])]),
                    ..Default::default()
                },
                false,
            ),
            (
                "bad operator",
                LabelSelector {
                    match_expressions: Some(vec![expr("app", "Near", &[])]),
                    ..Default::default()
                },
                false,
            ),
        ];
        for (name, selector, expected) in table {
            assert_eq!(
                selector_matches(&selector, Some(&labels)),
                expected,
                "{name}"
            );
        }
    }
}
