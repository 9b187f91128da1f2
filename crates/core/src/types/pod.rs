//! `core/v1` pod types: the spec a Deployment stamps out and the status the kubelet reports.

use super::json::api_struct;
use super::meta::{IntOrString, ObjectMeta, Quantity, Time};
use std::collections::BTreeMap;

api_struct!(
    /// `core/v1.Pod`.
    Pod {
        metadata: ObjectMeta = "metadata",
        spec: Option<PodSpec> = "spec",
        status: Option<PodStatus> = "status",
    }
);

api_struct!(
    /// `core/v1.PodTemplateSpec`: the pod a workload creates.
    PodTemplateSpec {
        metadata: Option<ObjectMeta> = "metadata",
        spec: Option<PodSpec> = "spec",
    }
);

api_struct!(
    /// `core/v1.PodSpec`.
    PodSpec {
        containers: Vec<Container> = "containers",
        dns_policy: Option<String> = "dnsPolicy",
        enable_service_links: Option<bool> = "enableServiceLinks",
        init_containers: Option<Vec<Container>> = "initContainers",
        node_name: Option<String> = "nodeName",
        node_selector: Option<BTreeMap<String, String>> = "nodeSelector",
        preemption_policy: Option<String> = "preemptionPolicy",
        priority: Option<i32> = "priority",
        readiness_gates: Option<Vec<PodReadinessGate>> = "readinessGates",
        restart_policy: Option<String> = "restartPolicy",
        scheduler_name: Option<String> = "schedulerName",
        security_context: Option<PodSecurityContext> = "securityContext",
        service_account: Option<String> = "serviceAccount",
        service_account_name: Option<String> = "serviceAccountName",
        termination_grace_period_seconds: Option<i64> = "terminationGracePeriodSeconds",
        tolerations: Option<Vec<Toleration>> = "tolerations",
    }
);

api_struct!(
    /// `core/v1.PodReadinessGate`: an extra condition that must be true for readiness.
    PodReadinessGate {
        condition_type: String = "conditionType",
    }
);

api_struct!(
    /// `core/v1.PodSecurityContext`: kept as applied; defaulting writes `{}` as the API does.
    PodSecurityContext {}
);

api_struct!(
    /// `core/v1.Container`.
    Container {
        args: Option<Vec<String>> = "args",
        command: Option<Vec<String>> = "command",
        image: Option<String> = "image",
        image_pull_policy: Option<String> = "imagePullPolicy",
        lifecycle: Option<Lifecycle> = "lifecycle",
        liveness_probe: Option<Probe> = "livenessProbe",
        name: String = "name",
        ports: Option<Vec<ContainerPort>> = "ports",
        readiness_probe: Option<Probe> = "readinessProbe",
        resources: Option<ResourceRequirements> = "resources",
        restart_policy: Option<String> = "restartPolicy",
        termination_message_path: Option<String> = "terminationMessagePath",
        termination_message_policy: Option<String> = "terminationMessagePolicy",
    }
);

api_struct!(
    /// `core/v1.ContainerPort`.
    ContainerPort {
        container_port: i32 = "containerPort",
        host_port: Option<i32> = "hostPort",
        name: Option<String> = "name",
        protocol: Option<String> = "protocol",
    }
);

api_struct!(
    /// `core/v1.Probe`: a readiness or liveness check the kubelet runs every period.
    Probe {
        exec: Option<ExecAction> = "exec",
        failure_threshold: Option<i32> = "failureThreshold",
        http_get: Option<HTTPGetAction> = "httpGet",
        initial_delay_seconds: Option<i32> = "initialDelaySeconds",
        period_seconds: Option<i32> = "periodSeconds",
        success_threshold: Option<i32> = "successThreshold",
        tcp_socket: Option<TCPSocketAction> = "tcpSocket",
        timeout_seconds: Option<i32> = "timeoutSeconds",
    }
);

api_struct!(
    /// `core/v1.HTTPGetAction`: a GET on the pod IP (or `host`) and a port number or name.
    HTTPGetAction {
        host: Option<String> = "host",
        path: Option<String> = "path",
        port: IntOrString = "port",
        scheme: Option<String> = "scheme",
    }
);

api_struct!(
    /// `core/v1.TCPSocketAction`: a TCP connect to a port number or name.
    TCPSocketAction {
        host: Option<String> = "host",
        port: IntOrString = "port",
    }
);

api_struct!(
    /// `core/v1.ExecAction`: a command run in the container.
    ExecAction {
        command: Option<Vec<String>> = "command",
    }
);

api_struct!(
    /// `core/v1.Lifecycle`: the hooks the kubelet runs around a container's start and stop.
    Lifecycle {
        pre_stop: Option<LifecycleHandler> = "preStop",
    }
);

api_struct!(
    /// `core/v1.LifecycleHandler`: what a hook does; the kubelet model times its `preStop`.
    LifecycleHandler {
        exec: Option<ExecAction> = "exec",
        http_get: Option<HTTPGetAction> = "httpGet",
        sleep: Option<SleepAction> = "sleep",
    }
);

api_struct!(
    /// `core/v1.SleepAction`: the kubelet's built-in pause, e.g. to outlast kube-proxy's delay.
    SleepAction {
        seconds: i64 = "seconds",
    }
);

api_struct!(
    /// `core/v1.ResourceRequirements`: requests decide where the scheduler places a pod.
    ResourceRequirements {
        limits: Option<BTreeMap<String, Quantity>> = "limits",
        requests: Option<BTreeMap<String, Quantity>> = "requests",
    }
);

api_struct!(
    /// `core/v1.Toleration`.
    Toleration {
        effect: Option<String> = "effect",
        key: Option<String> = "key",
        operator: Option<String> = "operator",
        toleration_seconds: Option<i64> = "tolerationSeconds",
        value: Option<String> = "value",
    }
);

api_struct!(
    /// `core/v1.PodStatus`.
    PodStatus {
        conditions: Option<Vec<PodCondition>> = "conditions",
        container_statuses: Option<Vec<ContainerStatus>> = "containerStatuses",
        host_ip: Option<String> = "hostIP",
        host_ips: Option<Vec<HostIP>> = "hostIPs",
        init_container_statuses: Option<Vec<ContainerStatus>> = "initContainerStatuses",
        message: Option<String> = "message",
        nominated_node_name: Option<String> = "nominatedNodeName",
        phase: Option<String> = "phase",
        pod_ip: Option<String> = "podIP",
        pod_ips: Option<Vec<PodIP>> = "podIPs",
        qos_class: Option<String> = "qosClass",
        reason: Option<String> = "reason",
        start_time: Option<Time> = "startTime",
    }
);

api_struct!(
    /// `core/v1.HostIP`.
    HostIP {
        ip: String = "ip",
    }
);

api_struct!(
    /// `core/v1.PodIP`.
    PodIP {
        ip: String = "ip",
    }
);

api_struct!(
    /// `core/v1.PodCondition`: PodScheduled, Initialized, ContainersReady, Ready, ...
    PodCondition {
        last_probe_time: Option<Time> = "lastProbeTime",
        last_transition_time: Option<Time> = "lastTransitionTime",
        message: Option<String> = "message",
        observed_generation: Option<i64> = "observedGeneration",
        reason: Option<String> = "reason",
        status: String = "status",
        type_: String = "type",
    }
);

api_struct!(
    /// `core/v1.ContainerStatus`.
    ContainerStatus {
        container_id: Option<String> = "containerID",
        image: String = "image",
        image_id: String = "imageID",
        last_state: Option<ContainerState> = "lastState",
        name: String = "name",
        ready: bool = "ready",
        restart_count: i32 = "restartCount",
        started: Option<bool> = "started",
        state: Option<ContainerState> = "state",
    }
);

api_struct!(
    /// `core/v1.ContainerState`: exactly one of waiting, running or terminated.
    ContainerState {
        running: Option<ContainerStateRunning> = "running",
        terminated: Option<ContainerStateTerminated> = "terminated",
        waiting: Option<ContainerStateWaiting> = "waiting",
    }
);

api_struct!(
    /// `core/v1.ContainerStateRunning`.
    ContainerStateRunning {
        started_at: Option<Time> = "startedAt",
    }
);

api_struct!(
    /// `core/v1.ContainerStateTerminated`.
    ContainerStateTerminated {
        container_id: Option<String> = "containerID",
        exit_code: i32 = "exitCode",
        finished_at: Option<Time> = "finishedAt",
        message: Option<String> = "message",
        reason: Option<String> = "reason",
        signal: Option<i32> = "signal",
        started_at: Option<Time> = "startedAt",
    }
);

api_struct!(
    /// `core/v1.ContainerStateWaiting`: ContainerCreating, ImagePullBackOff, ...
    ContainerStateWaiting {
        message: Option<String> = "message",
        reason: Option<String> = "reason",
    }
);
