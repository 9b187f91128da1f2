//! Strict decoding against the API's field schema, as the API server decodes under kubectl's
//! default `--validate=strict` (`fieldValidation=Strict`).
//!
//! `schema.txt` is generated from `k8s-openapi` by `crates/schema-gen`: one line per API type,
//! `<key> <field>=<type> ...`, with types `s` string, `i` int32, `l` int64, `f` float64,
//! `b` bool, `o` IntOrString, `q` Quantity, `t` Time, `m` MicroTime, `j` any JSON, `[X` list
//! of X, `{X` map to X and `@key` another type. A few kilobytes of text instead of a typed
//! decoder for every one of the hundreds of types a Pod reaches.

use super::Kind;
use crate::vecmap::VecMap;
use serde_json::{Map, Value};
use std::sync::OnceLock;

static SCHEMA: &str = include_str!("schema.txt");

/// What strict decoding found wrong with a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaError {
    /// A value of the wrong type, worded as Go's `encoding/json` words it
    /// (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
    /// type int32`).
    Type(String),
    /// Fields the API does not know, as dotted paths with list indices
    /// (`spec.template.spec.containers[0].imagePullPolicyy`).
    Unknown(Vec<String>),
}

/// Type key -> the rest of its line, built once.
fn index() -> &'static VecMap<&'static str, &'static str> {
    static INDEX: OnceLock<VecMap<&'static str, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        SCHEMA
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once(' ').or(Some((line, ""))))
            .collect()
    })
}

/// The schema type of `field` in the type `key`, if the API has that field.
pub(crate) fn field_type(key: &str, field: &str) -> Option<&'static str> {
    index()
        .get(key)?
        .split(' ')
        .find_map(|entry| entry.strip_prefix(field)?.strip_prefix('='))
}

/// The schema key of a kind's top-level type, e.g. `apps.v1.Deployment`.
fn root_key(kind: Kind) -> String {
    let group = kind.group().split('.').next().unwrap_or("");
    let group = if group.is_empty() { "core" } else { group };
    format!("{group}.v1.{}", kind.name())
}

/// Checks a manifest of `kind` against the API's schema: the first value of a wrong type,
/// else every unknown field. `null` is accepted anywhere, as Go decodes it to the zero value.
pub fn check(kind: Kind, manifest: &Value) -> Result<(), SchemaError> {
    let mut walk = Walk::default();
    let root = root_key(kind);
    match manifest {
        Value::Object(map) => walk.object(&root, map, "", ""),
        other => walk.mismatch(other, kind.name(), "", &go_type(&format!("@{root}"))),
    }
    match (walk.type_error, walk.unknown) {
        (Some(message), _) => Err(SchemaError::Type(message)),
        (None, unknown) if unknown.is_empty() => Ok(()),
        (None, unknown) => Err(SchemaError::Unknown(unknown)),
    }
}

/// The state of one check: the first type error and the unknown fields so far.
#[derive(Default)]
struct Walk {
    type_error: Option<String>,
    unknown: Vec<String>,
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// The Go name of a schema type, as `encoding/json` prints it in errors.
fn go_type(ty: &str) -> String {
    let (head, rest) = ty.split_at(ty.len().min(1));
    match head {
        "s" => "string".into(),
        "i" => "int32".into(),
        "l" => "int64".into(),
        "f" => "float64".into(),
        "b" => "bool".into(),
        "o" => "intstr.IntOrString".into(),
        "q" => "resource.Quantity".into(),
        "t" => "v1.Time".into(),
        "m" => "v1.MicroTime".into(),
        "[" => format!("[]{}", go_type(rest)),
        "{" => format!("map[string]{}", go_type(rest)),
        "@" => {
            let mut parts = rest.rsplit('.');
            let name = parts.next().unwrap_or(rest);
            let package = parts.next().unwrap_or("v1");
            format!("{package}.{name}")
        }
        _ => "interface {}".into(),
    }
}

/// How Go names a JSON value in an unmarshal error.
fn json_kind(value: &Value) -> String {
    match value {
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        Value::Bool(_) => "bool".into(),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
        Value::Null => "null".into(),
    }
}

/// Whether `s` is a quantity as `resource.ParseQuantity` accepts its shape:
/// `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`.
fn is_quantity(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let number_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    if number_len == 0 {
        return false;
    }
    let suffix = &unsigned[number_len..];
    let letters = suffix
        .find(|c: char| !"eEinumkKMGTP".contains(c))
        .unwrap_or(suffix.len());
    let exponent = &suffix[letters..];
    let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    digits.chars().all(|c| c.is_ascii_digit())
}

impl Walk {
    fn object(&mut self, key: &str, map: &Map<String, Value>, go_path: &str, path: &str) {
        let go_struct = key.rsplit('.').next().unwrap_or(key);
        for (field, value) in map {
            if value.is_null() {
                continue;
            }
            let full = join(path, field);
            match field_type(key, field) {
                Some(ty) => self.value(ty, value, go_struct, &join(go_path, field), &full),
                None => self.unknown.push(full),
            }
        }
    }

    fn mismatch(&mut self, value: &Value, go_struct: &str, go_path: &str, go_type: &str) {
        // Only a number that does not fit an integer field is quoted (`number 1.5`).
        let what = match value {
            Value::Number(n) if go_type.starts_with("int") => format!("number {n}"),
            other => json_kind(other),
        };
        let field = if go_path.is_empty() {
            format!("Go value of type {go_type}")
        } else {
            format!("Go struct field {go_struct}.{go_path} of type {go_type}")
        };
        self.fail(format!("json: cannot unmarshal {what} into {field}"));
    }

    fn fail(&mut self, message: String) {
        self.type_error.get_or_insert(message);
    }

    fn value(&mut self, ty: &str, value: &Value, go_struct: &str, go_path: &str, path: &str) {
        if value.is_null() || self.type_error.is_some() {
            return;
        }
        let (head, rest) = ty.split_at(ty.len().min(1));
        let fits = match (head, value) {
            ("s", Value::String(_)) | ("f", Value::Number(_)) | ("b", Value::Bool(_)) => true,
            ("i" | "o", Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            ("l", Value::Number(n)) => n.as_i64().is_some(),
            ("o", Value::String(_)) | ("j", _) => true,
            ("o", other) => {
                // IntOrString's UnmarshalJSON decodes anything but a string as an int32.
                let message = format!(
                    "json: cannot unmarshal {} into Go value of type int32",
                    json_kind(other)
                );
                self.fail(message);
                return;
            }
            ("q", Value::Number(_)) => true,
            ("q", Value::String(s)) => {
                if !is_quantity(s) {
                    self.fail(
                        "quantities must match the regular expression \
                         '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
                            .into(),
                    );
                }
                return;
            }
            ("t" | "m", Value::String(s)) => {
                if crate::time::parse_rfc3339(s).is_none() {
                    self.fail(format!(
                        "parsing time {q} as \"2006-01-02T15:04:05Z07:00\": cannot parse \
                         {q} as \"2006\"",
                        q = crate::quote::go_quote(s)
                    ));
                }
                return;
            }
            ("[", Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(rest, item, go_struct, go_path, &format!("{path}[{i}]"));
                }
                return;
            }
            ("{", Value::Object(map)) => {
                for (key, item) in map {
                    self.value(rest, item, go_struct, go_path, &join(path, key));
                }
                return;
            }
            ("@", Value::Object(map)) => {
                self.object(rest, map, go_path, path);
                return;
            }
            _ => false,
        };
        if !fits {
            self.mismatch(value, go_struct, go_path, &go_type(ty));
        }
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
    fn real_fields_pass_and_unknown_ones_are_listed_with_indices() {
        let ok = deployment(json!({
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{
                "name": "web", "image": "nginx", "ports": [{"containerPort": 80}],
                "resources": {"requests": {"cpu": "100m", "memory": 128}},
                "volumeMounts": [{"name": "data", "mountPath": "/data"}]
            }], "volumes": [{"name": "data", "emptyDir": {}}]}}
        }));
        assert_eq!(check(Kind::Deployment, &ok), Ok(()));
        let bad = deployment(json!({
            "replica": 3,
            "template": {"spec": {"containers": [{"name": "a"}, {"name": "b", "imagePullPolicyy": "Always"}]}}
        }));
        assert_eq!(
            check(Kind::Deployment, &bad),
            Err(SchemaError::Unknown(vec![
                "spec.replica".into(),
                "spec.template.spec.containers[1].imagePullPolicyy".into(),
            ]))
        );
    }

    #[test]
    fn wrong_types_are_worded_as_go_encoding_json() {
        // The messages real API servers return (kubernetes/kubernetes issues quote them).
        let cases = [
            (
                json!({"replicas": "three"}),
                "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
            ),
            (
                json!({"replicas": 1.5}),
                "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
            ),
            (
                json!({"template": {"spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": 1}]}]}}}),
                "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string",
            ),
            (
                json!({"template": {"spec": {"imagePullSecrets": ["regcred"]}}}),
                "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.imagePullSecrets of type v1.LocalObjectReference",
            ),
            (
                json!({"template": {"spec": {"containers": {"name": "a"}}}}),
                "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
            ),
            (
                json!({"selector": {"matchLabels": {"app": true}}}),
                "json: cannot unmarshal bool into Go struct field LabelSelector.spec.selector.matchLabels of type string",
            ),
            (
                json!({"strategy": {"rollingUpdate": {"maxSurge": true}}}),
                "json: cannot unmarshal bool into Go value of type int32",
            ),
            (
                json!({"template": {"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "lots"}}}]}}}),
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(
                check(Kind::Deployment, &deployment(spec.clone())),
                Err(SchemaError::Type(want.into())),
                "{spec}"
            );
        }
    }

    #[test]
    fn times_are_checked_as_rfc3339() {
        let pod = json!({"metadata": {"name": "p", "creationTimestamp": "yesterday"}});
        assert_eq!(
            check(Kind::Pod, &pod),
            Err(SchemaError::Type(
                "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \
                 \"yesterday\" as \"2006\""
                    .into()
            ))
        );
    }

    #[test]
    fn quantities_follow_the_api_shape() {
        for (q, ok) in [
            ("100m", true),
            ("1", true),
            ("1.5Gi", true),
            ("-1", true),
            ("1e3", true),
            ("", false),
            ("Gi", false),
            ("1 Gi", false),
            ("lots", false),
        ] {
            assert_eq!(is_quantity(q), ok, "{q}");
        }
    }

    #[test]
    fn every_kind_has_a_schema_root() {
        for kind in Kind::ALL {
            assert!(index().contains_key(root_key(kind).as_str()), "{kind:?}");
        }
    }
}
