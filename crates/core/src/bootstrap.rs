//! The objects of a fresh cluster, as kind (kubeadm) leaves them: one control-plane node and
//! three workers, the four standard namespaces, the `kubernetes` Service, and the CoreDNS
//! add-on (its Deployment, ReplicaSet, two running pods and the `kube-dns` Service).

use crate::api::{ApiObject, Object};
use crate::types::IntOrString;
use crate::types::Quantity;
use crate::types::{
    Endpoint, EndpointAddress, EndpointConditions, EndpointPort, EndpointSlice, EndpointSubset,
    Endpoints, SliceEndpointPort,
};
use crate::types::{LabelSelector, Pod, ReplicaSet, ReplicaSetSpec};
use crate::types::{
    Namespace, NamespaceStatus, Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus,
    NodeSystemInfo, Service, ServicePort, ServiceSpec, Taint,
};
use crate::types::{ObjectMeta, Time};
use crate::{Cluster, Kind};
use serde_json::Value;
use std::collections::BTreeMap;

/// The cluster's pod network; node N gets `10.244.N.0/24` of it (kubeadm's
/// `--pod-network-cidr`, as flannel's manifest expects it). Policies that mean "outside the
/// cluster" take it out of `0.0.0.0/0`.
pub const POD_NETWORK: &str = "10.244.0.0/16";

/// The node names, control plane first (kind names nodes `<cluster>-control-plane`,
/// `<cluster>-worker`, `<cluster>-worker2`, ...).
pub const NODE_NAMES: [&str; 4] = [
    "kplay-control-plane",
    "kplay-worker",
    "kplay-worker2",
    "kplay-worker3",
];

/// The Kubernetes version the simulated cluster reports (kubelet and API server).
pub const KUBERNETES_VERSION: &str = "v1.32.2";

/// The objects a new cluster starts with.
pub fn initial_objects() -> Vec<Object> {
    let mut objects = Vec::new();
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        objects.push(namespace(ns).into_object());
    }
    for (index, name) in NODE_NAMES.iter().enumerate() {
        objects.push(node(name, index).into_object());
    }
    objects.push(kubernetes_service().into_object());
    objects.extend(kubernetes_endpoints());
    objects
}

/// The API server's own endpoints, as its endpoint reconciler writes them: the control-plane
/// node's IP on the secure port 6443, in an Endpoints object (which the mirroring controller
/// is told to skip) and an EndpointSlice named `kubernetes`.
fn kubernetes_endpoints() -> [Object; 2] {
    let meta = |pairs: &[(&str, &str)]| ObjectMeta {
        name: Some("kubernetes".into()),
        namespace: Some("default".into()),
        labels: Some(labels(pairs)),
        ..ObjectMeta::default()
    };
    let endpoints = Endpoints {
        metadata: meta(&[("endpointslice.kubernetes.io/skip-mirror", "true")]),
        subsets: Some(vec![EndpointSubset {
            addresses: Some(vec![EndpointAddress {
                ip: CONTROL_PLANE_IP.into(),
                ..Default::default()
            }]),
            ports: Some(vec![EndpointPort {
                name: Some("https".into()),
                port: 6443,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let slice = EndpointSlice {
        metadata: meta(&[("kubernetes.io/service-name", "kubernetes")]),
        address_type: "IPv4".into(),
        endpoints: Some(vec![Endpoint {
            addresses: vec![CONTROL_PLANE_IP.into()],
            conditions: Some(EndpointConditions {
                ready: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ports: Some(vec![SliceEndpointPort {
            name: Some("https".into()),
            port: Some(6443),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    [endpoints.into_object(), slice.into_object()]
}

/// The control-plane node's address (kind's docker network gives the first node 172.18.0.2).
pub const CONTROL_PLANE_IP: &str = "172.18.0.2";

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    crate::collect::map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

/// A namespace with the immutable `kubernetes.io/metadata.name` label the API server adds.
pub fn namespace(name: &str) -> Namespace {
    Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(labels(&[("kubernetes.io/metadata.name", name)])),
            ..ObjectMeta::default()
        },
        spec: Some(Default::default()),
        status: Some(NamespaceStatus {
            phase: Some("Active".to_string()),
            ..NamespaceStatus::default()
        }),
        ..Default::default()
    }
}

fn node(name: &str, index: usize) -> Node {
    let control_plane = index == 0;
    let mut node_labels = labels(&[
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ]);
    if control_plane {
        node_labels.insert(
            "node-role.kubernetes.io/control-plane".into(),
            String::new(),
        );
        node_labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            String::new(),
        );
    }
    let capacity: BTreeMap<String, Quantity> = crate::collect::map(
        [
            ("cpu", "4"),
            ("ephemeral-storage", "102626232Ki"),
            ("memory", "8148440Ki"),
            ("pods", "110"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string()))),
    );
    // kind's docker network hands out 172.18.0.2, .3, ... in creation order.
    let ip = format!("172.18.0.{}", index + 2);
    let ready_since = Time(crate::time::timestamp(0).0);
    Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(node_labels),
            ..ObjectMeta::default()
        },
        spec: Some(NodeSpec {
            pod_cidr: Some(format!("10.244.{index}.0/24")),
            pod_cidrs: Some(vec![format!("10.244.{index}.0/24")]),
            provider_id: Some(format!("kind://docker/kplay/{name}")),
            taints: control_plane.then(|| {
                vec![Taint {
                    effect: "NoSchedule".into(),
                    key: "node-role.kubernetes.io/control-plane".into(),
                    ..Taint::default()
                }]
            }),
            ..NodeSpec::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress {
                    address: ip,
                    type_: "InternalIP".into(),
                    ..Default::default()
                },
                NodeAddress {
                    address: name.to_string(),
                    type_: "Hostname".into(),
                    ..Default::default()
                },
            ]),
            allocatable: Some(capacity.clone()),
            capacity: Some(capacity),
            conditions: Some(vec![NodeCondition {
                last_heartbeat_time: Some(ready_since),
                last_transition_time: Some(ready_since),
                message: Some("kubelet is posting ready status".into()),
                reason: Some("KubeletReady".into()),
                status: "True".into(),
                type_: "Ready".into(),
                ..Default::default()
            }]),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: String::new(),
                container_runtime_version: "containerd://2.0.2".into(),
                kernel_version: "6.1.0-kplay".into(),
                kube_proxy_version: String::new(),
                kubelet_version: KUBERNETES_VERSION.into(),
                machine_id: String::new(),
                operating_system: "linux".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                system_uuid: String::new(),
                ..NodeSystemInfo::default()
            }),
            ..NodeStatus::default()
        }),
        ..Default::default()
    }
}

fn kubernetes_service() -> Service {
    Service {
        metadata: ObjectMeta {
            name: Some("kubernetes".into()),
            namespace: Some("default".into()),
            labels: Some(labels(&[
                ("component", "apiserver"),
                ("provider", "kubernetes"),
            ])),
            ..ObjectMeta::default()
        },
        spec: Some(ServiceSpec {
            // kubeadm's service subnet is 10.96.0.0/12; its first address is the API server's.
            cluster_ip: Some("10.96.0.1".into()),
            cluster_ips: Some(vec!["10.96.0.1".into()]),
            internal_traffic_policy: Some("Cluster".into()),
            ip_families: Some(vec!["IPv4".into()]),
            ip_family_policy: Some("SingleStack".into()),
            ports: Some(vec![ServicePort {
                name: Some("https".into()),
                port: 443,
                protocol: Some("TCP".into()),
                target_port: Some(IntOrString::Int(6443)),
                ..ServicePort::default()
            }]),
            session_affinity: Some("None".into()),
            type_: Some("ClusterIP".into()),
            ..ServiceSpec::default()
        }),
        status: Some(Default::default()),
        ..Default::default()
    }
}

/// The CoreDNS image kubeadm v1.32 installs.
/// The value of the built-in PriorityClass `system-cluster-critical` (scheduling.SystemCriticalPriority).
const SYSTEM_CLUSTER_CRITICAL: i32 = 2_000_000_000;

/// The replicas of the CoreDNS Deployment (kubeadm's default).
const COREDNS_REPLICAS: i32 = 2;

/// The `kube-dns` Service and the `coredns` Deployment of kubeadm's `CoreDNSService` and
/// `CoreDNSDeployment` manifests (cmd/kubeadm/app/phases/addons/dns/manifests.go), the
/// Service as the API server stores it at the cluster DNS address every pod's resolv.conf
/// names, the Deployment before the API server's defaults. Kept as JSON text: data costs the
/// Wasm far less than the code that would build the same objects field by field; one object
/// per line, minified for the page's size budget (`python3 -m json.tool` shows it indented).
const COREDNS_MANIFESTS: &str = include_str!("coredns.json");

/// Installs the CoreDNS add-on as kubeadm's `dns` phase leaves it once settled: the `kube-dns`
/// Service, the `coredns` Deployment, the ReplicaSet the deployment controller made for it
/// (named by the pod-template-hash, so that the controller adopts it) and its two pods, running
/// and ready on the control-plane node (kind starts them before the workers join).
pub(crate) fn install_coredns(cluster: &mut Cluster) {
    let Ok(Value::Array(manifests)) = serde_json::from_str::<Value>(COREDNS_MANIFESTS) else {
        return;
    };
    let mut manifests = manifests.into_iter();
    let (Some(service), Some(deployment)) = (manifests.next(), manifests.next()) else {
        return;
    };
    cluster.insert(Object::from_json(Kind::Service, service));
    let mut deployment = Object::from_json(Kind::Deployment, deployment);
    crate::api::validation::default_object(&mut deployment);
    let Object::Deployment(deployment) = cluster.insert(deployment) else {
        return;
    };
    let Some(spec) = deployment.spec.as_ref() else {
        return;
    };
    let hash = crate::controller::deployment::hash::compute_hash(&spec.template, None);
    let hashed = |labels: &Option<BTreeMap<String, String>>| {
        let mut labels = labels.clone().unwrap_or_default();
        labels.insert("pod-template-hash".into(), hash.clone());
        Some(labels)
    };
    let mut template = spec.template.clone();
    let template_meta = template.metadata.get_or_insert_with(ObjectMeta::default);
    template_meta.labels = hashed(&template_meta.labels);
    let rs_name = format!("coredns-{hash}");
    // The annotations the deployment controller puts on a new ReplicaSet: revision 1, the
    // desired replicas and their maximum with maxSurge (25% of 2, rounded up: 1).
    let annotations = labels(&[
        ("deployment.kubernetes.io/desired-replicas", "2"),
        ("deployment.kubernetes.io/max-replicas", "3"),
        ("deployment.kubernetes.io/revision", "1"),
    ]);
    let mut replica_set = ReplicaSet {
        metadata: ObjectMeta {
            name: Some(rs_name.clone()),
            namespace: Some("kube-system".into()),
            labels: template.metadata.as_ref().and_then(|m| m.labels.clone()),
            annotations: Some(annotations),
            owner_references: Some(vec![crate::owner::new_controller_ref(&*deployment)]),
            ..ObjectMeta::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(COREDNS_REPLICAS),
            selector: LabelSelector {
                match_labels: hashed(&spec.selector.match_labels),
                ..Default::default()
            },
            template: Some(template.clone()),
            ..Default::default()
        }),
        ..Default::default()
    }
    .into_object();
    crate::api::validation::default_object(&mut replica_set);
    let Object::ReplicaSet(replica_set) = cluster.insert(replica_set) else {
        return;
    };
    let prefix = format!("{rs_name}-");
    for _ in 0..COREDNS_REPLICAS {
        // Names as the ReplicaSet controller's generateName gives them.
        let name = crate::naming::generate_name(&prefix, cluster.rng());
        let template_meta = template.metadata.clone().unwrap_or_default();
        let mut pod_spec = template.spec.clone().unwrap_or_default();
        pod_spec.node_name = Some(NODE_NAMES[0].into());
        // The Priority admission plugin resolves system-cluster-critical to its value.
        pod_spec.priority = Some(SYSTEM_CLUSTER_CRITICAL);
        let mut pod = Pod {
            metadata: ObjectMeta {
                name: Some(name),
                generate_name: Some(prefix.clone()),
                namespace: Some("kube-system".into()),
                labels: template_meta.labels,
                owner_references: Some(vec![crate::owner::new_controller_ref(&*replica_set)]),
                ..ObjectMeta::default()
            },
            spec: Some(pod_spec),
            ..Default::default()
        }
        .into_object();
        crate::api::validation::default_object(&mut pod);
        if let Object::Pod(pod) = cluster.insert(pod) {
            crate::kubelet::boot_running(cluster, *pod);
        }
    }
}
