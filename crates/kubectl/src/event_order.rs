//! The order the API server lists Events in, which `kubectl get events` prints unsorted and
//! `kubectl describe` falls back on for Events of the same second.

use kplay_core::types::Event;

/// When an event first happened, for ordering events as their API names order them: a
/// real event is named `<object>.<unix nanos of its first occurrence, in hex>`. Events of
/// the same millisecond keep the order they were stored in (their resourceVersion).
pub(crate) fn first_occurrence(e: &Event) -> (i64, u64) {
    let stored = e
        .metadata
        .resource_version
        .as_deref()
        .and_then(|rv| rv.parse().ok())
        .unwrap_or(0);
    (e.first_timestamp.map_or(0, |t| t.0), stored)
}

/// The order in which the API server lists events (and so `kubectl get events` prints
/// them, unsorted): by namespace, then by the real event name `<object>.<hex nanos>`.
pub fn list_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    let key = |e: &Event| {
        let (first_ms, stored) = first_occurrence(e);
        let nanos = first_ms.saturating_mul(1_000_000);
        let name = e.involved_object.name.as_deref().unwrap_or("");
        (
            e.metadata.namespace.clone(),
            format!("{name}.{nanos:016x}"),
            stored,
        )
    };
    key(a).cmp(&key(b))
}
