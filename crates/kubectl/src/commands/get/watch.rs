//! `kubectl get -w` / `--watch` / `--watch-only`: the current table (unless `--watch-only`),
//! then one row for each listed object that changes, as kubectl v1.32's `GetOptions.watch`
//! prints watch events: the header only once, and each event's row flushed on its own, so
//! that (as in a real terminal) later rows are padded by their own widths, not the table's.
//!
//! The watch drives virtual time the way `rollout status` does: the cluster is advanced from
//! one scheduled timer to the next until the watch ends. It ends after `--request-timeout`
//! (kubectl's own way to end a watch; a bare number is seconds), or, in a script, after the
//! `sleep` lines that follow it (see [`crate::script`]), which then take no further time;
//! with neither, the watch shows the current table and ends at once, because a command that
//! never returns would stop the script. One row is printed per object per instant at which
//! it changed (the change feed tells what changed, not every intermediate state), including
//! a last row for an object that was deleted.

use super::{print_tables, Context};
use crate::labels::Selector;
use kplay_core::{Kind, Millis, Object, ObjectKey};
use std::collections::BTreeMap;

/// A bound on timer steps per watch, as in `rollout status`.
const MAX_STEPS: u32 = 100_000;

/// What a watch lists.
pub(super) struct Watch<'a> {
    /// The one kind watched.
    pub kind: Kind,
    /// The namespace, or `None` for `-A` (or a cluster-scoped kind).
    pub namespace: Option<&'a str>,
    /// `-l`.
    pub selector: &'a Selector,
    /// Names given on the command line (empty: every object).
    pub names: &'a [String],
    /// `-o wide`, `--show-labels`, headers unless `--no-headers`, `-A`.
    pub wide: bool,
    /// `--show-labels`.
    pub show_labels: bool,
    /// Whether the header is still to be printed with the first row.
    pub header_pending: bool,
    /// `-A`.
    pub all_namespaces: bool,
}

impl Watch<'_> {
    fn lists(&self, object: &Object) -> bool {
        object.kind() == self.kind
            && self.namespace.is_none_or(|ns| object.namespace() == ns)
            && (self.names.is_empty() || self.names.iter().any(|n| n == object.name()))
            && self.selector.matches(object.meta().labels.as_ref())
    }
}

/// Watches for `duration` of virtual time, printing a row per change.
pub(super) fn run(ctx: &mut Context<'_>, mut watch: Watch<'_>, duration: Millis) {
    let mut cursor = ctx.cluster.store().feed().head();
    let mut last_seen: BTreeMap<ObjectKey, Object> = kplay_core::collect::map(
        ctx.cluster
            .store()
            .list_objects(watch.kind, watch.namespace)
            .filter(|o| watch.lists(o))
            .map(|o| (o.key(), o.clone())),
    );
    let deadline = ctx.cluster.now().saturating_add(duration);
    for _ in 0..MAX_STEPS {
        let now = ctx.cluster.now();
        if now >= deadline {
            return;
        }
        let target = match ctx.cluster.next_timer_at() {
            Some(at) if at <= deadline => at,
            _ => deadline,
        };
        ctx.cluster.advance(target.saturating_sub(now));
        let store = ctx.cluster.store();
        let (events, _missed) = store.feed().since(cursor);
        let mut changed: Vec<ObjectKey> = Vec::new();
        for event in events {
            if event.key.kind == watch.kind && !changed.contains(&event.key) {
                changed.push(event.key.clone());
            }
        }
        cursor = store.feed().head();
        let mut rows: Vec<Object> = Vec::new();
        for key in changed {
            // A deleted object's last row shows it as it was last seen.
            let object = match store.get_object(&key) {
                Some(o) => o.clone(),
                None => match last_seen.remove(&key) {
                    Some(o) => o,
                    None => continue,
                },
            };
            if watch.lists(&object) {
                last_seen.insert(key, object.clone());
                rows.push(object);
            }
        }
        let printed_at = ctx.cluster.now();
        for object in rows {
            print_tables(
                ctx,
                std::slice::from_ref(&object),
                &[watch.kind],
                printed_at,
                watch.wide,
                watch.show_labels,
                watch.header_pending,
                false,
                watch.all_namespaces,
            );
            watch.header_pending = false;
        }
    }
}
