//! Printers: how `kubectl get` shows objects (tables, `-o yaml|json|name|jsonpath|custom-columns`).
//! The template printers (jsonpath, custom columns) come with the `printers` feature.

#[cfg(feature = "printers")]
pub mod custom_columns;
#[cfg(feature = "printers")]
pub mod go_value;
pub mod json;
#[cfg(feature = "printers")]
pub mod jsonpath;
pub mod name;
pub mod table;
pub mod yaml;
