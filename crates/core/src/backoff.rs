//! The kubelet's per-key exponential back-off (`k8s.io/client-go/util/flowcontrol` `Backoff`,
//! built without jitter by the kubelet): image pulls (`pkg/kubelet/images`, key
//! `podUID_image`) and container restarts (`kuberuntime` `doBackOff`, key per container) both
//! start at 10 s and double up to `MaxContainerBackOff`, 300 s. An entry not updated for twice
//! the maximum (10 minutes) counts as expired, so a container that ran that long starts over
//! at 10 s.

use crate::time::{Millis, SECOND};
use crate::vecmap::VecMap;

/// The first back-off (`backOffPeriod` in `pkg/kubelet/kubelet.go`).
pub const INITIAL: Millis = 10 * SECOND;

/// The longest back-off (`MaxContainerBackOff` in `pkg/kubelet/kubelet.go`).
pub const MAX: Millis = 300 * SECOND;

/// One key's back-off window and when it was last moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    backoff: Millis,
    last_update: Millis,
}

/// Back-off windows by key, with the kubelet's 10 s initial and 300 s maximum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    entries: VecMap<String, Entry>,
}

/// `hasExpired`: an entry is stale when `event_time` is more than twice the maximum after its
/// last update.
fn has_expired(event_time: Millis, last_update: Millis) -> bool {
    event_time.saturating_sub(last_update) > 2 * MAX
}

impl Backoff {
    /// The current window of `id` (`Get`; 0 when there is none).
    pub fn get(&self, id: &str) -> Millis {
        self.entries.get(id).map_or(0, |e| e.backoff)
    }

    /// Moves `id` to its next window (`Next`): the initial one for a new or expired entry,
    /// else double the last, capped at the maximum; the entry is updated `now`.
    ///
    /// Concrete example: three calls in a row give 10 s, 20 s, 40 s; a call 11 minutes
    /// after the last gives 10 s again.
    pub fn next(&mut self, id: &str, event_time: Millis, now: Millis) {
        let backoff = match self.entries.get(id) {
            Some(e) if !has_expired(event_time, e.last_update) => (e.backoff * 2).min(MAX),
            _ => INITIAL,
        };
        self.entries.insert(
            id.to_string(),
            Entry {
                backoff,
                last_update: now,
            },
        );
    }

    /// Whether less than the window has passed since `event_time` (`IsInBackOffSince`, used
    /// with a container's finishedAt).
    pub fn is_in_backoff_since(&self, id: &str, event_time: Millis, now: Millis) -> bool {
        match self.entries.get(id) {
            Some(e) if !has_expired(event_time, e.last_update) => {
                now.saturating_sub(event_time) < e.backoff
            }
            _ => false,
        }
    }

    /// Whether less than the window has passed since the entry's last update
    /// (`IsInBackOffSinceUpdate`, used for image pulls).
    pub fn is_in_backoff_since_update(&self, id: &str, now: Millis) -> bool {
        match self.entries.get(id) {
            Some(e) if !has_expired(now, e.last_update) => {
                now.saturating_sub(e.last_update) < e.backoff
            }
            _ => false,
        }
    }

    /// Forgets every key that starts with `prefix` (a pod's keys when the pod goes away).
    pub fn forget_prefix(&mut self, prefix: &str) {
        self.entries.retain(|k, _| !k.starts_with(prefix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_double_to_the_cap_and_reset_when_stale() {
        // flowcontrol backoff_test.go TestSlowBackoff, with the kubelet's 10 s / 300 s.
        let mut b = Backoff::default();
        let expected = [10, 20, 40, 80, 160, 300, 300];
        let mut now = 0;
        for seconds in expected {
            b.next("k", now, now);
            assert_eq!(b.get("k"), seconds * SECOND);
            now += b.get("k");
        }
        // An event more than 2 x 300 s after the last update starts over.
        let last = now - 300 * SECOND;
        let late = last + 601 * SECOND;
        assert!(!b.is_in_backoff_since("k", late, late));
        b.next("k", late, late);
        assert_eq!(b.get("k"), INITIAL);
    }

    #[test]
    fn in_backoff_checks() {
        let mut b = Backoff::default();
        assert!(!b.is_in_backoff_since("k", 0, 0));
        assert!(!b.is_in_backoff_since_update("k", 0));
        b.next("k", 1_000, 1_000);
        let table = [
            // (event time, now, since event, since update)
            (1_000, 5_000, true, true),
            (1_000, 10_999, true, true),
            (1_000, 11_000, false, false),
            (5_000, 11_000, true, false),
        ];
        for (event, now, since, since_update) in table {
            assert_eq!(
                b.is_in_backoff_since("k", event, now),
                since,
                "{event} {now}"
            );
            assert_eq!(
                b.is_in_backoff_since_update("k", now),
                since_update,
                "{now}"
            );
        }
        b.forget_prefix("k");
        assert_eq!(b.get("k"), 0);
    }
}
