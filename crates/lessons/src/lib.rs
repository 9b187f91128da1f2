//! Guided lessons as data files, in the scenario-script language with a few `#:` directives,
//! and the `kplay expect` assertions that check each step against the cluster state (never
//! against what was typed: any way of reaching the state counts).
//!
//! A lesson (`www/lessons/*.kplay`; the format is documented in `www/lessons/README.md`):
//!
//! ```text
//! # kplay lesson 1
//! #: title Scale a Deployment
//! #: setup
//! kubectl create deployment web --image=nginx:1.27
//! sleep 30s
//! #: step Scale web to five pods
//! #: text A Deployment keeps its replicas running: ask for more and the ReplicaSet adds pods.
//! #: predict How many new pods will the ReplicaSet create? | 1 | *4 | 5
//! kubectl scale deployment web --replicas=5
//! sleep 30s
//! #: check
//! kplay expect deployment/web '{.status.readyReplicas}' == 5
//! ```
//!
//! The lines under `#: setup` run before the first step; under a step, the script lines are
//! its solution (what the headless check and the end-to-end tests run) and the lines under
//! `#: check` its assertions ([`expect`]). [`lesson::check`] proves every check fails before
//! its step and passes after it.

pub mod expect;
pub mod lesson;
