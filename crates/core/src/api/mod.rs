//! The object kinds the simulated API server serves, and its error values.
//!
//! Objects are lean typed structs ([`crate::types`]) checked against the API's generated field
//! schema, so every real field of a manifest is accepted and kept, and `-o yaml` prints real
//! Kubernetes shapes.

mod decode;
mod error;
mod kind;
mod object;
pub mod schema;
pub mod validation;

pub use decode::decode_strict;
pub use error::{ApiError, Cause, StatusReason};
pub use kind::Kind;
pub use object::{ApiObject, Object, ObjectKey};
