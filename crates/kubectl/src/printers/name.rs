//! `-o name` and the messages built on it: `deployment.apps/web`, and
//! `deployment.apps/web scaled` as kubectl's name printer writes an operation.

use crate::resource::kind_group;
use kplay_core::Kind;

/// `kind.group/name`, as `-o name` prints an object.
pub fn name(kind: Kind, name: &str) -> String {
    format!("{}/{name}", kind_group(kind))
}

/// `kind.group/name operation`, as kubectl reports a change (`created`, `scaled`, ...).
pub fn operation(kind: Kind, object: &str, operation: &str) -> String {
    format!("{} {operation}\n", name(kind, object))
}
