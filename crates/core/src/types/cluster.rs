//! `core/v1` cluster-level types: Node, Namespace, Service and Event.

use super::json::api_struct;
use super::meta::{IntOrString, ObjectMeta, Quantity, Time};
use std::collections::BTreeMap;

api_struct!(
    /// `core/v1.Node`.
    Node {
        metadata: ObjectMeta = "metadata",
        spec: Option<NodeSpec> = "spec",
        status: Option<NodeStatus> = "status",
    }
);

api_struct!(
    /// `core/v1.NodeSpec`.
    NodeSpec {
        pod_cidr: Option<String> = "podCIDR",
        pod_cidrs: Option<Vec<String>> = "podCIDRs",
        provider_id: Option<String> = "providerID",
        taints: Option<Vec<Taint>> = "taints",
        unschedulable: Option<bool> = "unschedulable",
    }
);

api_struct!(
    /// `core/v1.Taint`.
    Taint {
        effect: String = "effect",
        key: String = "key",
        time_added: Option<Time> = "timeAdded",
        value: Option<String> = "value",
    }
);

api_struct!(
    /// `core/v1.NodeStatus`.
    NodeStatus {
        addresses: Option<Vec<NodeAddress>> = "addresses",
        allocatable: Option<BTreeMap<String, Quantity>> = "allocatable",
        capacity: Option<BTreeMap<String, Quantity>> = "capacity",
        conditions: Option<Vec<NodeCondition>> = "conditions",
        node_info: Option<NodeSystemInfo> = "nodeInfo",
    }
);

api_struct!(
    /// `core/v1.NodeAddress`: InternalIP, Hostname.
    NodeAddress {
        address: String = "address",
        type_: String = "type",
    }
);

api_struct!(
    /// `core/v1.NodeCondition`.
    NodeCondition {
        last_heartbeat_time: Option<Time> = "lastHeartbeatTime",
        last_transition_time: Option<Time> = "lastTransitionTime",
        message: Option<String> = "message",
        reason: Option<String> = "reason",
        status: String = "status",
        type_: String = "type",
    }
);

api_struct!(
    /// `core/v1.NodeSystemInfo`: what `kubectl get nodes -o wide` shows.
    NodeSystemInfo {
        architecture: String = "architecture",
        boot_id: String = "bootID",
        container_runtime_version: String = "containerRuntimeVersion",
        kernel_version: String = "kernelVersion",
        kube_proxy_version: String = "kubeProxyVersion",
        kubelet_version: String = "kubeletVersion",
        machine_id: String = "machineID",
        operating_system: String = "operatingSystem",
        os_image: String = "osImage",
        system_uuid: String = "systemUUID",
    }
);

api_struct!(
    /// `core/v1.Namespace`.
    Namespace {
        metadata: ObjectMeta = "metadata",
        spec: Option<NamespaceSpec> = "spec",
        status: Option<NamespaceStatus> = "status",
    }
);

api_struct!(
    /// `core/v1.NamespaceSpec`.
    NamespaceSpec {
        finalizers: Option<Vec<String>> = "finalizers",
    }
);

api_struct!(
    /// `core/v1.NamespaceStatus`.
    NamespaceStatus {
        phase: Option<String> = "phase",
    }
);

api_struct!(
    /// `core/v1.Service`.
    Service {
        metadata: ObjectMeta = "metadata",
        spec: Option<ServiceSpec> = "spec",
        status: Option<ServiceStatus> = "status",
    }
);

api_struct!(
    /// `core/v1.ServiceSpec`.
    ServiceSpec {
        allocate_load_balancer_node_ports: Option<bool> = "allocateLoadBalancerNodePorts",
        cluster_ip: Option<String> = "clusterIP",
        cluster_ips: Option<Vec<String>> = "clusterIPs",
        external_ips: Option<Vec<String>> = "externalIPs",
        external_name: Option<String> = "externalName",
        external_traffic_policy: Option<String> = "externalTrafficPolicy",
        internal_traffic_policy: Option<String> = "internalTrafficPolicy",
        ip_families: Option<Vec<String>> = "ipFamilies",
        ip_family_policy: Option<String> = "ipFamilyPolicy",
        ports: Option<Vec<ServicePort>> = "ports",
        publish_not_ready_addresses: Option<bool> = "publishNotReadyAddresses",
        selector: Option<BTreeMap<String, String>> = "selector",
        session_affinity: Option<String> = "sessionAffinity",
        type_: Option<String> = "type",
    }
);

api_struct!(
    /// `core/v1.ServicePort`.
    ServicePort {
        name: Option<String> = "name",
        node_port: Option<i32> = "nodePort",
        port: i32 = "port",
        protocol: Option<String> = "protocol",
        target_port: Option<IntOrString> = "targetPort",
    }
);

api_struct!(
    /// `core/v1.ServiceStatus`.
    ServiceStatus {
        load_balancer: Option<LoadBalancerStatus> = "loadBalancer",
    }
);

api_struct!(
    /// `core/v1.LoadBalancerStatus`.
    LoadBalancerStatus {
        ingress: Option<Vec<LoadBalancerIngress>> = "ingress",
    }
);

api_struct!(
    /// `core/v1.LoadBalancerIngress`: the external address of a LoadBalancer Service.
    LoadBalancerIngress {
        hostname: Option<String> = "hostname",
        ip: Option<String> = "ip",
    }
);

api_struct!(
    /// `core/v1.Event`: what `kubectl get events` and `describe` list.
    Event {
        action: Option<String> = "action",
        count: Option<i32> = "count",
        first_timestamp: Option<Time> = "firstTimestamp",
        involved_object: ObjectReference = "involvedObject",
        last_timestamp: Option<Time> = "lastTimestamp",
        message: Option<String> = "message",
        metadata: ObjectMeta = "metadata",
        reason: Option<String> = "reason",
        reporting_component: Option<String> = "reportingComponent",
        reporting_instance: Option<String> = "reportingInstance",
        source: Option<EventSource> = "source",
        type_: Option<String> = "type",
    }
);

api_struct!(
    /// `core/v1.ObjectReference`: the object an event is about.
    ObjectReference {
        api_version: Option<String> = "apiVersion",
        field_path: Option<String> = "fieldPath",
        kind: Option<String> = "kind",
        name: Option<String> = "name",
        namespace: Option<String> = "namespace",
        resource_version: Option<String> = "resourceVersion",
        uid: Option<String> = "uid",
    }
);

api_struct!(
    /// `core/v1.EventSource`.
    EventSource {
        component: Option<String> = "component",
        host: Option<String> = "host",
    }
);
