//! `apps/v1` workload types: Deployment and ReplicaSet.

use super::json::api_struct;
use super::meta::{IntOrString, LabelSelector, ObjectMeta, Time};
use super::pod::PodTemplateSpec;

api_struct!(
    /// `apps/v1.Deployment`.
    Deployment {
        metadata: ObjectMeta = "metadata",
        spec: Option<DeploymentSpec> = "spec",
        status: Option<DeploymentStatus> = "status",
    }
);

api_struct!(
    /// `apps/v1.DeploymentSpec`.
    DeploymentSpec {
        min_ready_seconds: Option<i32> = "minReadySeconds",
        paused: Option<bool> = "paused",
        progress_deadline_seconds: Option<i32> = "progressDeadlineSeconds",
        replicas: Option<i32> = "replicas",
        revision_history_limit: Option<i32> = "revisionHistoryLimit",
        selector: LabelSelector = "selector",
        strategy: Option<DeploymentStrategy> = "strategy",
        template: PodTemplateSpec = "template",
    }
);

api_struct!(
    /// `apps/v1.DeploymentStrategy`: `RollingUpdate` or `Recreate`.
    DeploymentStrategy {
        rolling_update: Option<RollingUpdateDeployment> = "rollingUpdate",
        type_: Option<String> = "type",
    }
);

api_struct!(
    /// `apps/v1.RollingUpdateDeployment`: the surge and unavailability bounds.
    RollingUpdateDeployment {
        max_surge: Option<IntOrString> = "maxSurge",
        max_unavailable: Option<IntOrString> = "maxUnavailable",
    }
);

api_struct!(
    /// `apps/v1.DeploymentStatus`.
    DeploymentStatus {
        available_replicas: Option<i32> = "availableReplicas",
        collision_count: Option<i32> = "collisionCount",
        conditions: Option<Vec<DeploymentCondition>> = "conditions",
        observed_generation: Option<i64> = "observedGeneration",
        ready_replicas: Option<i32> = "readyReplicas",
        replicas: Option<i32> = "replicas",
        terminating_replicas: Option<i32> = "terminatingReplicas",
        unavailable_replicas: Option<i32> = "unavailableReplicas",
        updated_replicas: Option<i32> = "updatedReplicas",
    }
);

api_struct!(
    /// `apps/v1.DeploymentCondition`: Available, Progressing, ReplicaFailure.
    DeploymentCondition {
        last_transition_time: Option<Time> = "lastTransitionTime",
        last_update_time: Option<Time> = "lastUpdateTime",
        message: Option<String> = "message",
        reason: Option<String> = "reason",
        status: String = "status",
        type_: String = "type",
    }
);

api_struct!(
    /// `apps/v1.ReplicaSet`.
    ReplicaSet {
        metadata: ObjectMeta = "metadata",
        spec: Option<ReplicaSetSpec> = "spec",
        status: Option<ReplicaSetStatus> = "status",
    }
);

api_struct!(
    /// `apps/v1.ReplicaSetSpec`.
    ReplicaSetSpec {
        min_ready_seconds: Option<i32> = "minReadySeconds",
        replicas: Option<i32> = "replicas",
        selector: LabelSelector = "selector",
        template: Option<PodTemplateSpec> = "template",
    }
);

api_struct!(
    /// `apps/v1.ReplicaSetStatus`.
    ReplicaSetStatus {
        available_replicas: Option<i32> = "availableReplicas",
        conditions: Option<Vec<ReplicaSetCondition>> = "conditions",
        fully_labeled_replicas: Option<i32> = "fullyLabeledReplicas",
        observed_generation: Option<i64> = "observedGeneration",
        ready_replicas: Option<i32> = "readyReplicas",
        replicas: i32 = "replicas",
        terminating_replicas: Option<i32> = "terminatingReplicas",
    }
);

api_struct!(
    /// `apps/v1.ReplicaSetCondition`: ReplicaFailure.
    ReplicaSetCondition {
        last_transition_time: Option<Time> = "lastTransitionTime",
        message: Option<String> = "message",
        reason: Option<String> = "reason",
        status: String = "status",
        type_: String = "type",
    }
);
