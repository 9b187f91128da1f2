//! Conversion between the API types and JSON, without serde's per-type code.
//!
//! The typed structs hold the fields the simulation reads or writes; every other real field
//! of a manifest travels along untouched in the struct's `extra` map, so `-o yaml` shows what
//! was applied. Decoding is lenient on purpose: [`crate::api::schema`] has already rejected
//! unknown fields and wrong types in the API server's words before a value gets here.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The real API fields of an object that the simulation keeps but never reads, by JSON name.
pub type Extra = Map<String, Value>;

/// Builds a typed value out of JSON that the schema check has accepted.
pub trait FromJson: Sized {
    /// The typed value; a missing or `null` field gives the type's zero value, as Go does.
    fn from_json(value: Value) -> Self;
}

/// Encodes a typed value as the API server writes it.
pub trait ToJson {
    /// The JSON form.
    fn to_json(&self) -> Value;

    /// Whether a struct field holding this value is left out (`omitempty` on optional fields).
    fn omitted(&self) -> bool {
        false
    }
}

impl FromJson for String {
    fn from_json(value: Value) -> Self {
        match value {
            Value::String(s) => s,
            _ => String::new(),
        }
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FromJson for i32 {
    fn from_json(value: Value) -> Self {
        value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(0)
    }
}

impl ToJson for i32 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Self {
        value.as_i64().unwrap_or(0)
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Self {
        value.as_bool().unwrap_or(false)
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Self {
        match value {
            Value::Null => None,
            v => Some(T::from_json(v)),
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }

    fn omitted(&self) -> bool {
        self.is_none()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Self {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            _ => Vec::new(),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Value) -> Self {
        match value {
            Value::Object(map) => {
                crate::collect::map(map.into_iter().map(|(k, v)| (k, T::from_json(v))))
            }
            _ => BTreeMap::new(),
        }
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(crate::collect::map(
            self.iter().map(|(k, v)| (k.clone(), v.to_json())),
        ))
    }
}

/// The fields of `map` that are not `null`: the real fields a typed struct keeps untyped.
pub fn without_nulls(mut map: Extra) -> Extra {
    map.retain(|_, value| !value.is_null());
    map
}

/// The fields of a JSON object (none for anything else).
pub fn into_map(value: Value) -> Extra {
    match value {
        Value::Object(map) => map,
        _ => Extra::new(),
    }
}

/// Takes a typed field out of a decoded object's fields.
pub fn take<T: FromJson>(map: &mut Extra, name: &str) -> T {
    T::from_json(map.remove(name).unwrap_or(Value::Null))
}

/// Writes a typed field into an encoded object, unless it is an unset optional field.
pub fn put<T: ToJson>(map: &mut Extra, name: &str, value: &T) {
    if !value.omitted() {
        map.insert(name.to_string(), value.to_json());
    }
}

/// Declares an API struct: the fields the simulation uses, named as `k8s-openapi` names them
/// (`type_` for `type`), with their JSON names, plus `extra` for the real fields it does not
/// use. Field meanings are the Kubernetes API reference's.
macro_rules! api_struct {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty = $json:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        #[allow(missing_docs)]
        pub struct $name {
            $(pub $field: $ty,)*
            /// The real API fields the simulation keeps but does not read.
            pub extra: $crate::types::json::Extra,
        }

        impl $crate::types::json::FromJson for $name {
            fn from_json(value: serde_json::Value) -> Self {
                #[allow(unused_mut)]
                let mut map = $crate::types::json::into_map(value);
                $name {
                    $($field: $crate::types::json::take(&mut map, $json),)*
                    extra: $crate::types::json::without_nulls(map),
                }
            }
        }

        impl $crate::types::json::ToJson for $name {
            fn to_json(&self) -> serde_json::Value {
                #[allow(unused_mut)]
                let mut map = self.extra.clone();
                $($crate::types::json::put(&mut map, $json, &self.$field);)*
                serde_json::Value::Object(map)
            }
        }

        #[cfg(test)]
        impl $crate::types::json::Described for $name {
            fn fields() -> Vec<(&'static str, String)> {
                vec![$(($json, <$ty as $crate::types::json::SchemaType>::schema_type())),*]
            }
        }

        #[cfg(test)]
        impl $crate::types::json::SchemaType for $name {
            fn schema_type() -> String {
                "@".into()
            }
        }
    };
}

pub(crate) use api_struct;

/// A struct's typed fields with their schema types, so that tests can check them against the
/// generated schema.
#[cfg(test)]
pub trait Described {
    /// `(JSON name, schema type)`; a nested struct is just `@`.
    fn fields() -> Vec<(&'static str, String)>;
}

/// The schema notation (`api::schema`) of a Rust field type.
#[cfg(test)]
pub trait SchemaType {
    /// `s`, `i`, `[@`, `{q`, ...
    fn schema_type() -> String;
}

#[cfg(test)]
macro_rules! schema_letter {
    ($($ty:ty => $letter:literal),*) => {
        $(impl SchemaType for $ty {
            fn schema_type() -> String {
                $letter.into()
            }
        })*
    };
}

#[cfg(test)]
schema_letter!(String => "s", i32 => "i", i64 => "l", bool => "b");

#[cfg(test)]
impl<T: SchemaType> SchemaType for Option<T> {
    fn schema_type() -> String {
        T::schema_type()
    }
}

#[cfg(test)]
impl<T: SchemaType> SchemaType for Vec<T> {
    fn schema_type() -> String {
        format!("[{}", T::schema_type())
    }
}

#[cfg(test)]
impl<T: SchemaType> SchemaType for BTreeMap<String, T> {
    fn schema_type() -> String {
        format!("{{{}", T::schema_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    api_struct!(
        /// A test struct.
        Sample {
            name: String = "name",
            count: Option<i32> = "count",
            tags: Option<Vec<String>> = "tags",
        }
    );

    #[test]
    fn typed_fields_and_extra_round_trip() {
        let input = json!({"name": "a", "count": 3, "other": {"x": 1}, "gone": null});
        let sample = Sample::from_json(input);
        assert_eq!(sample.name, "a");
        assert_eq!(sample.count, Some(3));
        assert_eq!(sample.tags, None);
        assert_eq!(sample.extra.len(), 1);
        assert_eq!(
            sample.to_json(),
            json!({"name": "a", "count": 3, "other": {"x": 1}})
        );
    }

    #[test]
    fn required_fields_are_always_written_and_optional_ones_only_when_set() {
        let sample = Sample::default();
        assert_eq!(sample.to_json(), json!({"name": ""}));
        let with_empty_list = Sample {
            tags: Some(vec![]),
            ..Sample::default()
        };
        assert_eq!(with_empty_list.to_json(), json!({"name": "", "tags": []}));
    }
}
