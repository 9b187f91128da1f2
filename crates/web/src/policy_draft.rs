//! A NetworkPolicy being written in the page's editor, checked as `kubectl apply` would have
//! it checked (YAML, strict decoding, defaulting, the API server's validation, the namespace
//! existing) without creating anything, and each problem placed at the line of the field it
//! names, from the field paths [`kplay_kubectl::manifest`] records for every key.

use kplay_core::api::decode_strict;
use kplay_core::api::validation::{default_object, validate, validate_name};
use kplay_core::types::{Namespace, NetworkPolicy};
use kplay_core::{ApiError, Cluster, Kind, Object};
use kplay_kubectl::manifest;
use serde_json::Value;

/// One thing wrong with a draft: the line it is at (1-based), when known, and the message in
/// the API server's or the YAML parser's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line of the draft.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// The draft as the policy `kubectl apply` would create, or everything wrong with it.
pub fn check(cluster: &Cluster, text: &str) -> Result<NetworkPolicy, Vec<Problem>> {
    let unplaced = |message: String| {
        vec![Problem {
            line: None,
            message,
        }]
    };
    let (mut documents, error) = manifest::parse_placed(text);
    if let Some((error, offset)) = error {
        let line = yaml_line(&error).map(|l| l + offset);
        return Err(vec![Problem {
            line,
            message: error,
        }]);
    }
    if documents.len() != 1 {
        return Err(unplaced(
            "write exactly one NetworkPolicy (apiVersion: networking.k8s.io/v1)".into(),
        ));
    }
    let document = documents.remove(0);
    let lines = document.lines;
    let mut value = document.value;
    let at = |field: &str| field_line(&lines, field);
    for (field, expected) in [
        ("apiVersion", Kind::NetworkPolicy.api_version()),
        ("kind", Kind::NetworkPolicy.name()),
    ] {
        if value.get(field).and_then(Value::as_str) != Some(expected) {
            return Err(vec![Problem {
                line: at(field),
                message: format!(
                    "{field}: this editor writes NetworkPolicies ({field}: {expected})"
                ),
            }]);
        }
    }
    if value.pointer("/metadata/namespace").is_none() {
        if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.insert("namespace".into(), crate::snapshot::NAMESPACE.into());
        }
    }
    let mut object = decode_strict(Kind::NetworkPolicy, value).map_err(|e| {
        let line = decoded_field(&e.message).and_then(|f| field_line(&lines, &f));
        vec![Problem {
            line,
            message: e.message,
        }]
    })?;
    let namespace = object.namespace().to_string();
    if cluster.store().get::<Namespace>("", &namespace).is_none() {
        let error = ApiError::not_found(Kind::Namespace, &namespace);
        return Err(vec![Problem {
            line: at("metadata.namespace"),
            message: error.message,
        }]);
    }
    default_object(&mut object);
    let checked = validate_name(&object)
        .and_then(|()| validate(&object, None, &kplay_core::Limits::PLAYGROUND));
    if let Err(error) = checked {
        if error.causes.is_empty() {
            return Err(unplaced(error.message));
        }
        let problems = error.causes.iter().map(|cause| Problem {
            line: at(&cause.field),
            message: format!("{}: {}", cause.field, cause.message),
        });
        return Err(problems.collect());
    }
    match object {
        Object::NetworkPolicy(policy) => Ok(*policy),
        _ => Err(unplaced("not a NetworkPolicy".into())),
    }
}

/// The line in the YAML parser's `yaml: line 7: ...`.
fn yaml_line(error: &str) -> Option<usize> {
    let (_, after) = error.split_once("line ")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The field a strict decoding error names: `unknown field "spec.ingres"`, or Go's
/// `Go struct field NetworkPolicyPort.spec.ingress.ports.port of type int32` (without
/// indices).
fn decoded_field(message: &str) -> Option<String> {
    if let Some((_, after)) = message.split_once("unknown field \"") {
        return after.split('"').next().map(str::to_string);
    }
    let (_, after) = message.split_once("Go struct field ")?;
    let field = after.split(' ').next()?;
    field.split_once('.').map(|(_, path)| path.to_string())
}

/// The line of `field` (`spec.ingress[0].ports[0].port`, or without indices): the key itself,
/// else the first key inside it (a list item has no key of its own), else the nearest key
/// that contains it (a required field that is missing).
fn field_line(lines: &[(String, usize)], field: &str) -> Option<usize> {
    let bare = |path: &str| -> String {
        let mut out = String::new();
        let mut depth = 0;
        for c in path.chars() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                c if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    };
    let same = |path: &str| path == field || bare(path) == field;
    let inside = |path: &str, outer: &str| {
        path.strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    let exact = lines.iter().find(|(path, _)| same(path));
    let first_inside = || lines.iter().find(|(path, _)| inside(path, field));
    let nearest_outside = || {
        lines
            .iter()
            .filter(|(path, _)| inside(field, path))
            .max_by_key(|(path, _)| path.len())
    };
    exact
        .or_else(first_inside)
        .or_else(nearest_outside)
        .map(|(_, line)| *line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(body: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n{body}"
        )
    }

    #[test]
    fn problems_are_placed_at_the_line_of_their_field() {
        let cluster = Cluster::new(1);
        // (draft, expected problems as "line: message"), messages as the API server (v1.32)
        // words them for `kubectl apply`.
        let table = [
            (draft("spec:\n  podSelector: {}\n"), vec![]),
            (
                draft("spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n    - port: 0\n      protocol: TCP\n"),
                vec!["10: spec.ingress[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
            ),
            (
                draft("spec:\n  podSelector: {}\n  ingres: []\n"),
                vec!["7: NetworkPolicy in version \"v1\" cannot be handled as a NetworkPolicy: strict decoding error: unknown field \"spec.ingres\""],
            ),
            (
                draft("spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/33\n"),
                vec!["10: spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"],
            ),
            (
                draft("spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Ingres\n"),
                vec!["9: spec.policyTypes[1]: Unsupported value: \"Ingres\": supported values: \"Ingress\", \"Egress\""],
            ),
            (
                draft("  namespace: nowhere\nspec:\n  podSelector: {}\n"),
                vec!["5: namespaces \"nowhere\" not found"],
            ),
            (
                draft("spec:\n  podSelector: {}\n  ingress: [\n"),
                vec!["8: error converting YAML to JSON: yaml: line 8: while parsing a node, did not find expected node content"],
            ),
            (
                // The parser counts from its document (as kubectl says it); the editor from
                // the top of the text.
                format!("# a comment\n---\n{}", draft("spec:\n  podSelector: {}\n  ingress: [\n")),
                vec!["10: error converting YAML to JSON: yaml: line 8: while parsing a node, did not find expected node content"],
            ),
            (
                "apiVersion: v1\nkind: Service\n".to_string(),
                vec!["1: apiVersion: this editor writes NetworkPolicies (apiVersion: networking.k8s.io/v1)"],
            ),
        ];
        for (text, expected) in table {
            let problems = match check(&cluster, &text) {
                Ok(_) => vec![],
                Err(problems) => problems
                    .iter()
                    .map(|p| format!("{}: {}", p.line.unwrap_or(0), p.message))
                    .collect(),
            };
            assert_eq!(problems, expected, "{text}");
        }
    }

    #[test]
    fn a_missing_field_is_placed_at_the_key_that_should_hold_it() {
        let lines = vec![
            ("spec".to_string(), 5),
            ("spec.ingress".to_string(), 6),
            ("spec.ingress[0].from".to_string(), 7),
            ("spec.ingress[0].from[0].ipBlock".to_string(), 8),
        ];
        let table = [
            ("spec.ingress[0].from[0].ipBlock.cidr", Some(8)),
            ("spec.ingress[0]", Some(7)),
            ("spec.ingress.from", Some(7)),
            ("metadata.name", None),
        ];
        for (field, line) in table {
            assert_eq!(field_line(&lines, field), line, "{field}");
        }
    }
}
