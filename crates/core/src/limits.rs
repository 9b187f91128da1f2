//! kplay's own limits. Every pod is simulated in a browser tab, so a playground cluster
//! refuses what would make the page crawl (`replicas: 999999999`, thousands of objects) with
//! the API server's kinds of answer: an `Invalid` value, or `Forbidden` as a ResourceQuota
//! answers when a count is used up. Real clusters have no such limits; benchmarks and tests
//! may raise them ([`crate::Cluster::with_limits`]).

/// The limits one cluster enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most replicas one Deployment or ReplicaSet may ask for.
    pub replicas: i32,
    /// The most objects the cluster keeps, Events aside (they expire on their own).
    pub objects: usize,
}

impl Limits {
    /// The playground's limits. A cluster of three workers runs at most 330 pods (110 each),
    /// so 1,000 replicas already leaves most pods Pending; 3,000 objects leave room for a
    /// rolling update of two such Deployments at once.
    pub const PLAYGROUND: Limits = Limits {
        replicas: 1_000,
        objects: 3_000,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::deployment;
    use crate::types::{Event, Pod};
    use crate::{Cluster, Kind};

    #[test]
    fn a_full_cluster_refuses_objects_as_a_used_up_quota_does() {
        let room = Cluster::new(1).store().count_without_events() + 12;
        let limits = Limits {
            objects: room,
            ..Limits::PLAYGROUND
        };
        let mut cluster = Cluster::with_limits(1, limits);
        // The Deployment and its ReplicaSet take two places: ten pods fit, five do not.
        cluster
            .create_json(Kind::Deployment, deployment("web", 15))
            .expect("created");
        cluster.advance(60_000);
        let pods = cluster.store().list::<Pod>(Some("default")).count();
        assert_eq!(pods, 10);
        assert_eq!(cluster.store().count_without_events(), room);
        let failures: Vec<&Event> = cluster
            .store()
            .list::<Event>(Some("default"))
            .filter(|e| e.reason.as_deref() == Some("FailedCreate"))
            .collect();
        assert_eq!(failures.len(), 1);
        let message = failures[0].message.as_deref().unwrap_or_default();
        let rs = failures[0].involved_object.name.clone().unwrap_or_default();
        assert_eq!(
            message,
            format!("Error creating: pods \"{rs}-\" is forbidden: exceeded kplay's limit of {room} objects in the cluster")
        );
        // A user's create is refused and changes nothing.
        let before = cluster.state_hash();
        let refused = cluster
            .create_json(Kind::Deployment, deployment("api", 1))
            .expect_err("refused");
        assert_eq!(
            refused.message,
            format!("deployments.apps \"api\" is forbidden: exceeded kplay's limit of {room} objects in the cluster")
        );
        assert_eq!(cluster.state_hash(), before);
        // Deleting makes room again: the ReplicaSet gets its last pods.
        cluster
            .delete(Kind::Deployment, "default", "web")
            .expect("deleted");
        cluster.advance(120_000);
        cluster
            .create_json(Kind::Deployment, deployment("api", 1))
            .expect("room again");
    }

    #[test]
    fn replicas_above_the_limit_are_invalid_unless_the_limit_is_raised() {
        let mut playground = Cluster::new(1);
        let refused = playground
            .create_json(Kind::Deployment, deployment("web", 1_001))
            .expect_err("refused");
        assert_eq!(
            refused.message,
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: 1001: must be less than or equal to 1000 (kplay's limit)"
        );
        let mut large = Cluster::with_limits(
            1,
            Limits {
                replicas: 10_000,
                objects: 20_000,
            },
        );
        large
            .create_json(Kind::Deployment, deployment("web", 1_001))
            .expect("created");
    }
}
