//! The virtual clock's units and the mapping from virtual milliseconds to wall-clock timestamps.
//!
//! Time in the simulation is an integer number of milliseconds since the cluster started.
//! Timestamps written into objects (`creationTimestamp`, condition times) are
//! [`START_UNIX_MS`] plus that offset, so that `-o yaml` shows real-looking RFC 3339 times.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;

/// Milliseconds of virtual time since the cluster started.
pub type Millis = u64;

/// The documented virtual start time: 2025-01-01T00:00:00Z, as Unix milliseconds.
pub const START_UNIX_MS: i64 = 1_735_689_600_000;

/// One second in [`Millis`].
pub const SECOND: Millis = 1_000;

/// The API timestamp for a virtual instant. Kubernetes timestamps have whole-second
/// precision on the wire, so the serialized form drops the milliseconds.
pub fn timestamp(now: Millis) -> Time {
    let ms = START_UNIX_MS.saturating_add(i64::try_from(now).unwrap_or(i64::MAX / 2));
    // The range of `Timestamp` covers years -9999..=9999; the clamp keeps absurd inputs valid.
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::MAX);
    Time(ts)
}

/// The virtual instant a timestamp written by [`timestamp`] stands for (0 if it is earlier
/// than the start).
pub fn millis_of(time: &Time) -> Millis {
    Millis::try_from(time.0.as_millisecond() - START_UNIX_MS).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_is_documented_instant() {
        let t = timestamp(0);
        assert_eq!(
            serde_json::to_value(&t).ok(),
            Some(serde_json::json!("2025-01-01T00:00:00Z"))
        );
        assert_eq!(millis_of(&timestamp(61_500)), 61_500);
    }
}
