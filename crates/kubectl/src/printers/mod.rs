//! Printers: how `kubectl get` shows objects (tables, `-o yaml|json|name`).

pub mod json;
pub mod name;
pub mod table;
pub mod yaml;
