//! Printers: how `kubectl get` shows objects (tables, `-o yaml|json|name|jsonpath|custom-columns`).

pub mod custom_columns;
pub mod go_value;
pub mod json;
pub mod jsonpath;
pub mod name;
pub mod table;
pub mod yaml;
