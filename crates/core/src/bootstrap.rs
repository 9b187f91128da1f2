//! The objects of a fresh cluster, as kind (kubeadm) leaves them: one control-plane node and
//! three workers, the four standard namespaces, the `kubernetes` Service, and the CoreDNS
//! add-on (its Deployment, ReplicaSet, two running pods and the `kube-dns` Service).

use crate::api::{ApiObject, Object};
use crate::types::{LabelSelector, Pod, ReplicaSet, ReplicaSetSpec};
use crate::types::{Namespace, NamespaceStatus, ObjectMeta};
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

/// The API server's `kubernetes` Service (the first address of kubeadm's service subnet
/// 10.96.0.0/12, port 443 to 6443), its Endpoints and EndpointSlice as the endpoint
/// reconciler writes them (the control-plane node's address, the Endpoints marked for the
/// mirroring controller to skip), and the control-plane node (tainted `NoSchedule`, kept out
/// of external load balancers). Kept as JSON text, as [`COREDNS_MANIFESTS`]; `$version` is
/// [`KUBERNETES_VERSION`].
const BOOTSTRAP: &str = include_str!("bootstrap.json");

/// A worker node as kind registers it: `$name`, `$index` (its pod CIDR `10.244.$index.0/24`),
/// `$host` (kind's docker network hands out 172.18.0.2, .3, ... in creation order) and
/// `$version`.
const WORKER: &str = include_str!("worker.json");

/// The objects a new cluster starts with, in the order they are created (the test
/// `initial_objects_are_kinds_cluster_in_order` pins it, and so the data files' order).
pub fn initial_objects() -> Vec<Object> {
    let mut objects: Vec<Object> = ["default", "kube-node-lease", "kube-public", "kube-system"]
        .into_iter()
        .map(|ns| namespace(ns).into_object())
        .collect();
    let Some(Value::Array(fixed)) = data(BOOTSTRAP) else {
        return objects;
    };
    let kinds = [
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::Node,
    ];
    let mut fixed: Vec<Object> = fixed
        .into_iter()
        .zip(kinds)
        .map(|(value, kind)| Object::from_json(kind, value))
        .collect();
    objects.extend(fixed.pop());
    for (index, name) in NODE_NAMES.iter().enumerate().skip(1) {
        objects.extend(worker_node(name, index));
    }
    objects.extend(fixed);
    objects
}

/// Worker `name` as kind registers the `index`th one (from 1): its pod CIDR
/// `10.244.INDEX.0/24`, its address `172.18.0.INDEX+2`. A fresh cluster has three
/// ([`NODE_NAMES`]); benchmarks of large Deployments add more through the API.
pub fn worker_node(name: &str, index: usize) -> Option<Object> {
    let text = WORKER
        .replace("$name", name)
        .replace("$index", &index.to_string())
        .replace("$host", &(index + 2).to_string());
    data(&text).map(|value| Object::from_json(Kind::Node, value))
}

/// A bootstrap data file's JSON, with [`KUBERNETES_VERSION`] in place of `$version`.
fn data(text: &str) -> Option<Value> {
    serde_json::from_str(&text.replace("$version", KUBERNETES_VERSION)).ok()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_objects_are_kinds_cluster_in_order() {
        let objects: Vec<String> = initial_objects()
            .iter()
            .map(|o| format!("{}/{}", o.kind().name(), o.name()))
            .collect();
        assert_eq!(
            objects,
            [
                "Namespace/default",
                "Namespace/kube-node-lease",
                "Namespace/kube-public",
                "Namespace/kube-system",
                "Node/kplay-control-plane",
                "Node/kplay-worker",
                "Node/kplay-worker2",
                "Node/kplay-worker3",
                "Service/kubernetes",
                "Endpoints/kubernetes",
                "EndpointSlice/kubernetes",
            ]
        );
    }
}
