//! Strict decoding of manifests, as the API server does under kubectl's default
//! `--validate=strict` (`fieldValidation=Strict`).
//!
//! The schema check ([`super::schema`]) rejects wrong types and unknown fields in the API
//! server's words; the typed conversion after it cannot fail.

use super::schema::{check, SchemaError};
use super::{ApiError, Kind, Object};
use serde_json::Value;

/// Decodes a manifest of `kind`, rejecting unknown fields with the API server's
/// `strict decoding error: unknown field "spec.replica"` and wrong types with Go's
/// `json: cannot unmarshal ...`.
pub fn decode_strict(kind: Kind, value: Value) -> Result<Object, ApiError> {
    let problem = match check(kind, &value) {
        Ok(()) => return Ok(Object::from_json(kind, value)),
        Err(SchemaError::Type(message)) => message,
        Err(SchemaError::Unknown(fields)) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| format!("unknown field \"{f}\""))
                .collect();
            format!("strict decoding error: {}", fields.join(", "))
        }
    };
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    Err(ApiError::bad_request(
        kind,
        name,
        format!(
            "{k} in version \"{v}\" cannot be handled as a {k}: {problem}",
            k = kind.name(),
            v = version_of(kind)
        ),
    ))
}

fn version_of(kind: Kind) -> &'static str {
    kind.api_version().rsplit('/').next().unwrap_or("v1")
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
                "wrong type",
                deployment(json!({"replicas": "2", "selector": {"matchLabels": {"app": "web"}}, "template": template})),
                Some("Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
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
