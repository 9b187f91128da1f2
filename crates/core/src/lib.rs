//! The simulated Kubernetes control plane behind kplay.
//!
//! `core` owns the cluster: a store of real Kubernetes objects (lean typed structs, [`types`]), a
//! virtual clock that only moves when the host calls [`Cluster::advance`], the controllers
//! (deployment, replicaset, garbage collector), the scheduler and a kubelet model.
//! It is pure and deterministic: no I/O, no wall clock, no global state, and every random
//! choice comes from a SplitMix64 generator seeded by the caller ([`random`]).

pub mod api;
pub mod backoff;
pub mod bootstrap;
pub mod cluster;
pub mod collect;
pub mod controller;
pub mod dns;
pub mod feed;
pub mod images;
pub mod json_text;
pub mod kubelet;
pub mod labels;
pub mod limits;
pub mod listen;
pub mod logs;
pub mod naming;
pub mod network;
pub mod owner;
pub mod pod;
pub mod prober;
pub mod quote;
pub mod random;
pub mod scheduler;
pub mod service;
pub mod sort;
pub mod store;
pub mod strategy;
#[cfg(test)]
mod testing;
pub mod time;
pub mod types;
pub mod vecmap;

pub use api::{ApiError, ApiObject, Kind, Object, ObjectKey};
pub use cluster::{Cluster, DEFAULT_SEED};
pub use feed::{WatchEvent, WatchEventType};
pub use limits::Limits;
pub use time::Millis;
