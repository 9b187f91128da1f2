//! What a Deployment's rolling-update settings mean in pods, for pages that explain them
//! before they are applied: the same fencepost arithmetic the controller uses
//! (`deployment_util.go` `ResolveFenceposts`).

use crate::controller::deployment::resolve_fenceposts;
use crate::types::IntOrString;

/// A rolling update's bounds for a replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingBounds {
    /// maxSurge as pods (percentages rounded up).
    pub surge: i32,
    /// maxUnavailable as pods (percentages rounded down; 1 when both resolve to 0).
    pub unavailable: i32,
    /// The most pods the Deployment may have during the rollout.
    pub max_pods: i32,
    /// The fewest available pods the controller keeps during the rollout.
    pub min_available: i32,
}

/// The bounds for `replicas`, or `None` when a value is neither a number nor a percentage.
pub fn rolling_bounds(
    max_surge: &IntOrString,
    max_unavailable: &IntOrString,
    replicas: i32,
) -> Option<RollingBounds> {
    let (surge, unavailable) =
        resolve_fenceposts(Some(max_surge), Some(max_unavailable), replicas).ok()?;
    Some(RollingBounds {
        surge,
        unavailable,
        max_pods: replicas.saturating_add(surge),
        min_available: replicas.saturating_sub(unavailable).max(0),
    })
}

/// Reads a maxSurge/maxUnavailable as typed in a form: `3` is a number, `25%` a percentage,
/// as in a manifest (`maxSurge: 3` vs `maxSurge: 25%`).
pub fn parse_int_or_percent(text: &str) -> IntOrString {
    let text = text.trim();
    match text.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_table() {
        // (surge, unavailable, replicas) -> (surge pods, unavailable pods, max, min available);
        // the values of deployment_util_test.go TestResolveFenceposts and the docs' example
        // (10 replicas, 25%/25% -> at most 13 pods, at least 8 available).
        let cases = [
            ("25%", "25%", 10, Some((3, 2, 13, 8))),
            ("25%", "25%", 4, Some((1, 1, 5, 3))),
            ("0", "0", 5, Some((0, 1, 5, 4))),
            ("1", "0", 3, Some((1, 0, 4, 3))),
            ("0%", "100%", 3, Some((0, 3, 3, 0))),
            ("50%", "10%", 5, Some((3, 0, 8, 5))),
            ("x", "25%", 3, None),
            ("25", "25%", 3, Some((25, 0, 28, 3))),
        ];
        for (surge, unavailable, replicas, want) in cases {
            let got = rolling_bounds(
                &parse_int_or_percent(surge),
                &parse_int_or_percent(unavailable),
                replicas,
            )
            .map(|b| (b.surge, b.unavailable, b.max_pods, b.min_available));
            assert_eq!(got, want, "{surge} {unavailable} {replicas}");
        }
    }
}
