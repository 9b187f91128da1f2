//! The pod a `logs` or `exec` target names: `POD`, `pod/POD`, or the first pod of a
//! Deployment, ReplicaSet or Service, as kubectl's `polymorphichelpers` find it
//! (`GetFirstPod`: the pods the selector matches, sorted by `logs::first_pod`'s ranking).

use super::Context;
use crate::errors;
use kplay_core::types::{Deployment, LabelSelector, Pod, ReplicaSet, Service};
use kplay_core::{labels, logs, ApiError, Kind};

/// The pod `target` names in `namespace`, and how many pods the selector matched (1 for a
/// pod named directly). `action` words the refusal for other kinds as the command does
/// (`get the logs from`, `attach to`).
pub fn find(
    ctx: &mut Context<'_>,
    namespace: &str,
    target: &str,
    action: &str,
) -> Result<(Pod, usize), String> {
    let (word, name) = match target.split_once('/') {
        Some((word, name)) => (Some(word), name),
        None => (None, target),
    };
    let kind = match word {
        None => Kind::Pod,
        Some(word) => match crate::resource::kind_of(word) {
            Some(kind) => kind,
            None => return Err(crate::resource::unknown_type_error(word)),
        },
    };
    let not_found = |e: ApiError| errors::api_error(&e);
    let selector = match kind {
        Kind::Pod => {
            return ctx
                .live::<Pod>(namespace, name)
                .map(|pod| (pod, 1))
                .map_err(not_found)
        }
        Kind::Deployment => ctx
            .live::<Deployment>(namespace, name)
            .map_err(not_found)?
            .spec
            .map(|s| s.selector),
        Kind::ReplicaSet => ctx
            .live::<ReplicaSet>(namespace, name)
            .map_err(not_found)?
            .spec
            .map(|s| s.selector),
        Kind::Service => {
            let service = ctx.live::<Service>(namespace, name).map_err(not_found)?;
            Some(LabelSelector {
                match_labels: service.spec.and_then(|s| s.selector),
                ..Default::default()
            })
        }
        other => {
            // Kinds without a pod selector.
            let kind = other.name();
            return Err(errors::plain(&format!(
                "cannot {action} *v1.{kind}: selector for *v1.{kind} not implemented"
            )));
        }
    };
    let selector = selector.unwrap_or_default();
    let store = ctx.cluster.store();
    let pods: Vec<&Pod> = store
        .list::<Pod>(Some(namespace))
        .filter(|p| labels::selector_matches(&selector, p.metadata.labels.as_ref()))
        .collect();
    match logs::first_pod(&pods) {
        Some(pod) => Ok((pod.clone(), pods.len())),
        // GetFirstPod waits --pod-running-timeout for a pod, then gives up.
        None => Err(errors::plain("timed out waiting for the condition")),
    }
}
