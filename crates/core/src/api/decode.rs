//! Strict decoding of manifests, as the API server does under kubectl's default
//! `--validate=strict` (`fieldValidation=Strict`).
//!
//! The typed decoder keeps every field the API knows; encoding the result again and comparing
//! with the input reveals the fields it does not know.

use super::{ApiError, Kind, Object};
use serde_json::Value;

/// Decodes a manifest of `kind`, rejecting unknown fields with the API server's
/// `strict decoding error: unknown field "spec.replica"`.
pub fn decode_strict(kind: Kind, value: Value) -> Result<Object, ApiError> {
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let object = Object::from_json(kind, value.clone()).map_err(|e| {
        ApiError::bad_request(
            kind,
            &name,
            format!(
                "{k} in version \"{v}\" cannot be handled as a {k}: {e}",
                k = kind.name(),
                v = version_of(kind)
            ),
        )
    })?;
    let mut unknown = Vec::new();
    unknown_fields(&value, &object.to_json(), "", &mut unknown);
    if unknown.is_empty() {
        return Ok(object);
    }
    let fields: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field \"{f}\""))
        .collect();
    Err(ApiError::bad_request(
        kind,
        &name,
        format!(
            "{k} in version \"{v}\" cannot be handled as a {k}: strict decoding error: {}",
            fields.join(", "),
            k = kind.name(),
            v = version_of(kind)
        ),
    ))
}

fn version_of(kind: Kind) -> &'static str {
    kind.api_version().rsplit('/').next().unwrap_or("v1")
}

/// Collects the dotted paths present in `input` but absent from `decoded`. Lists are compared
/// item by item (`spec.template.spec.containers[0].imagePullPolicyy`); a `null` in the input is
/// an explicit "unset" and never unknown.
fn unknown_fields(input: &Value, decoded: &Value, path: &str, out: &mut Vec<String>) {
    match (input, decoded) {
        (Value::Object(inp), Value::Object(dec)) => {
            for (key, value) in inp {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match dec.get(key) {
                    Some(d) => unknown_fields(value, d, &child, out),
                    None if value.is_null() || is_empty_container(value) => {}
                    None => out.push(child),
                }
            }
        }
        (Value::Array(inp), Value::Array(dec)) => {
            for (i, (a, b)) in inp.iter().zip(dec.iter()).enumerate() {
                unknown_fields(a, b, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Empty maps and lists may be dropped by the typed encoder for fields it knows.
fn is_empty_container(value: &Value) -> bool {
    match value {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec})
    }

    #[test]
    fn strict_decoding_table() {
        // Messages as the API server (v1.32) words them for `kubectl apply` with strict validation.
        let template = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let cases: Vec<(&str, Value, Option<&str>)> = vec![
            (
                "known fields",
                deployment(json!({"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": template})),
                None,
            ),
            (
                "misspelt replicas",
                deployment(json!({"replica": 2, "selector": {"matchLabels": {"app": "web"}}, "template": template})),
                Some("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\""),
            ),
            (
                "unknown container field",
                deployment(json!({"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicyy": "Always"}]}}})),
                Some("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""),
            ),
            (
                "null is an explicit unset",
                deployment(json!({"replicas": null, "selector": {"matchLabels": {"app": "web"}}, "template": template})),
                None,
            ),
        ];
        for (name, input, expected) in cases {
            let got = decode_strict(Kind::Deployment, input)
                .err()
                .map(|e| e.message);
            assert_eq!(got.as_deref(), expected, "{name}");
        }
    }

    #[test]
    fn real_fields_are_kept() {
        let input = deployment(json!({
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                "containers": [{"name": "c", "image": "nginx", "resources": {"limits": {"memory": "128Mi"}}}],
                "tolerations": [{"key": "k", "operator": "Exists"}]}}
        }));
        let object = decode_strict(Kind::Deployment, input.clone()).expect("valid");
        assert_eq!(object.to_json(), input);
    }
}
