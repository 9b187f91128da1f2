//! The object kinds the simulated API server serves, and its error values.
//!
//! Objects are the ecosystem's own typed API (`k8s-openapi`), so every real field of a manifest
//! is accepted and kept, and `-o yaml` prints real Kubernetes shapes.

mod decode;
mod error;
mod kind;
mod object;
pub mod validation;

pub use decode::decode_strict;
pub use error::{ApiError, Cause, StatusReason};
pub use kind::Kind;
pub use object::{ApiObject, Object, ObjectKey};
