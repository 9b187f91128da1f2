//! The change feed: watch events in the order the store applied them, so that the UI animates
//! what happened instead of diffing whole states.

use crate::{Millis, ObjectKey};
use std::collections::VecDeque;

/// What happened to an object, as in a Kubernetes watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    /// The object was created.
    Added,
    /// The object changed.
    Modified,
    /// The object was removed from the store.
    Deleted,
}

/// One change to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEvent {
    /// Position in the feed, counting from 0 since the cluster started.
    pub seq: u64,
    /// What happened.
    pub event_type: WatchEventType,
    /// Which object.
    pub key: ObjectKey,
    /// The object's resourceVersion after the change.
    pub resource_version: u64,
    /// The virtual time of the change.
    pub at: Millis,
}

/// A bounded log of [`WatchEvent`]s. Readers keep a cursor (the next `seq` they want); a reader
/// that falls more than [`Feed::CAPACITY`] events behind is told it missed some, like a watch
/// that gets "410 Gone", and re-reads the store.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    events: VecDeque<WatchEvent>,
    next_seq: u64,
}

impl Feed {
    /// How many events the feed keeps.
    pub const CAPACITY: usize = 4096;

    /// Appends an event.
    pub fn push(&mut self, event_type: WatchEventType, key: ObjectKey, rv: u64, at: Millis) {
        if self.events.len() == Self::CAPACITY {
            self.events.pop_front();
        }
        self.events.push_back(WatchEvent {
            seq: self.next_seq,
            event_type,
            key,
            resource_version: rv,
            at,
        });
        self.next_seq += 1;
    }

    /// The events after resourceVersion `version` (every write has one), or `None` when the
    /// feed has already dropped some of them: for a reader that remembers where it last
    /// looked by resourceVersion rather than by a cursor (the network's access logs, which
    /// look after each reconcile for the pods removed since).
    pub fn after_version(&self, version: u64) -> Option<impl Iterator<Item = &WatchEvent>> {
        let first = self.events.front().map_or(0, |e| e.resource_version);
        if first > version.saturating_add(1) {
            return None;
        }
        let start = self
            .events
            .partition_point(|e| e.resource_version <= version);
        Some(self.events.range(start..))
    }

    /// The events from `cursor` on, and whether some before them were already dropped.
    pub fn since(&self, cursor: u64) -> (impl Iterator<Item = &WatchEvent>, bool) {
        let first = self.events.front().map_or(self.next_seq, |e| e.seq);
        let missed = cursor < first;
        let skip = usize::try_from(cursor.saturating_sub(first)).unwrap_or(usize::MAX);
        (self.events.iter().skip(skip), missed)
    }

    /// The cursor that reads only future events.
    pub fn head(&self) -> u64 {
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    #[test]
    fn reader_sees_events_after_cursor_and_learns_when_it_fell_behind() {
        let mut feed = Feed::default();
        for i in 0..(Feed::CAPACITY as u64 + 2) {
            feed.push(
                WatchEventType::Added,
                ObjectKey::new(Kind::Pod, "default", &format!("p{i}")),
                i,
                0,
            );
        }
        let (events, missed) = feed.since(0);
        assert!(missed);
        assert_eq!(events.count(), Feed::CAPACITY);
        let (mut events, missed) = feed.since(feed.head() - 1);
        assert!(!missed);
        assert_eq!(events.next().map(|e| e.seq), Some(feed.head() - 1));
    }
}
