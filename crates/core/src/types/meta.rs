//! `meta/v1` types every object shares, and the API's scalar types with their own wire form.

use super::json::{api_struct, FromJson, ToJson};
use crate::time::{format_rfc3339, parse_rfc3339};
use serde_json::Value;
use std::collections::BTreeMap;

/// `meta/v1.Time`: an instant, held as Unix milliseconds and written as RFC 3339 in whole
/// seconds, as the API server writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

impl FromJson for Time {
    fn from_json(value: Value) -> Self {
        Time(value.as_str().and_then(parse_rfc3339).unwrap_or(0))
    }
}

impl ToJson for Time {
    fn to_json(&self) -> Value {
        Value::String(format_rfc3339(self.0))
    }
}

/// `intstr.IntOrString`: `maxSurge: 1` or `maxSurge: 25%`, `targetPort: 8080` or `http`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntOrString {
    /// A number.
    Int(i32),
    /// A string: a percentage or a port name.
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl FromJson for IntOrString {
    fn from_json(value: Value) -> Self {
        match value {
            Value::String(s) => IntOrString::String(s),
            v => IntOrString::Int(i32::from_json(v)),
        }
    }
}

impl ToJson for IntOrString {
    fn to_json(&self) -> Value {
        match self {
            IntOrString::Int(i) => i.to_json(),
            IntOrString::String(s) => s.to_json(),
        }
    }
}

/// `resource.Quantity` as written (`100m`, `128Mi`); a bare number in a manifest is kept in
/// its decimal form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quantity(pub String);

impl FromJson for Quantity {
    fn from_json(value: Value) -> Self {
        Quantity(match value {
            Value::String(s) => s,
            other => crate::json_text::compact(&other),
        })
    }
}

impl ToJson for Quantity {
    fn to_json(&self) -> Value {
        self.0.to_json()
    }
}

api_struct!(
    /// `meta/v1.ObjectMeta`: name, namespace, labels and the server-set identity of an object.
    ObjectMeta {
        annotations: Option<BTreeMap<String, String>> = "annotations",
        creation_timestamp: Option<Time> = "creationTimestamp",
        deletion_grace_period_seconds: Option<i64> = "deletionGracePeriodSeconds",
        deletion_timestamp: Option<Time> = "deletionTimestamp",
        finalizers: Option<Vec<String>> = "finalizers",
        generate_name: Option<String> = "generateName",
        generation: Option<i64> = "generation",
        labels: Option<BTreeMap<String, String>> = "labels",
        name: Option<String> = "name",
        namespace: Option<String> = "namespace",
        owner_references: Option<Vec<OwnerReference>> = "ownerReferences",
        resource_version: Option<String> = "resourceVersion",
        uid: Option<String> = "uid",
    }
);

api_struct!(
    /// `meta/v1.OwnerReference`: the link the garbage collector and controllers follow.
    OwnerReference {
        api_version: String = "apiVersion",
        block_owner_deletion: Option<bool> = "blockOwnerDeletion",
        controller: Option<bool> = "controller",
        kind: String = "kind",
        name: String = "name",
        uid: String = "uid",
    }
);

api_struct!(
    /// `meta/v1.LabelSelector`.
    LabelSelector {
        match_expressions: Option<Vec<LabelSelectorRequirement>> = "matchExpressions",
        match_labels: Option<BTreeMap<String, String>> = "matchLabels",
    }
);

api_struct!(
    /// `meta/v1.LabelSelectorRequirement`: `key In (a, b)` and friends.
    LabelSelectorRequirement {
        key: String = "key",
        operator: String = "operator",
        values: Option<Vec<String>> = "values",
    }
);

#[cfg(test)]
mod schema_types {
    use super::super::json::SchemaType;
    use super::{IntOrString, Quantity, Time};

    impl SchemaType for Time {
        fn schema_type() -> String {
            "t".into()
        }
    }

    impl SchemaType for IntOrString {
        fn schema_type() -> String {
            "o".into()
        }
    }

    impl SchemaType for Quantity {
        fn schema_type() -> String {
            "q".into()
        }
    }
}
