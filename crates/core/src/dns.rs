//! Cluster DNS as a pod sees it: the resolver's search path from the pod's `resolv.conf`
//! (kubelet's `ClusterFirst` policy: `search <ns>.svc.cluster.local svc.cluster.local
//! cluster.local`, `options ndots:5`) in front of CoreDNS's `kubernetes` plugin for the
//! `cluster.local` zone.
//!
//! What CoreDNS answers: `<service>.<namespace>.svc.cluster.local` is the Service's ClusterIP,
//! the ready addresses of its Endpoints for a headless Service (none ready: NXDOMAIN), a CNAME
//! for an ExternalName Service. Pod records (`a-b-c-d.<ns>.pod...`) and the per-pod hostnames
//! of headless Services are not modelled. The simulation has no internet, so every name
//! outside the cluster is NXDOMAIN.

use crate::network::connect::{self, Origin, Outcome, Request};
use crate::service::CLUSTER_DNS_IP;
use crate::types::{Endpoints, Service};
use crate::Cluster;

/// The cluster domain kubeadm and kind configure (`clusterDomain` of the kubelet).
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// The `ndots` option kubelet writes into a pod's `resolv.conf`: names with fewer dots are
/// tried with the search domains first.
pub const NDOTS: usize = 5;

/// What the resolver returns for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A records, in the order CoreDNS lists them.
    Addresses(Vec<String>),
    /// A CNAME to another name (an ExternalName Service).
    Cname(String),
    /// No such name in the cluster (and there is no internet to ask).
    NxDomain,
}

/// The search domains of a pod in `namespace` (kubelet's `ClusterFirst` resolv.conf).
pub fn search_path(namespace: &str) -> [String; 3] {
    [
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ]
}

/// Asks the cluster DNS for `name` from pod `pod` of `namespace`, as its resolver does: the
/// query travels to the `kube-dns` Service's address (UDP 53) through kube-proxy to a CoreDNS
/// pod, so with no CoreDNS pod ready the lookup times out (`None`), as on a real cluster.
pub fn query(cluster: &mut Cluster, namespace: &str, pod: &str, name: &str) -> Option<Answer> {
    let origin = Origin::Pod(namespace.to_string(), pod.to_string());
    let request = Request {
        agent: "",
        path: name,
    };
    match connect::connect(cluster, &origin, CLUSTER_DNS_IP, 53, "UDP", request) {
        Outcome::Answered(_) => Some(resolve(cluster, namespace, name)),
        Outcome::Refused | Outcome::TimedOut | Outcome::Dropped(_) => None,
    }
}

/// Resolves `name` as a pod in `client_namespace` would (`getent hosts`, `nslookup`): a name
/// with a trailing dot is absolute; one with fewer than [`NDOTS`] dots is tried with each
/// search domain in turn and then as is, any other as is first; the first answer that is not
/// NXDOMAIN wins.
pub fn resolve(cluster: &Cluster, client_namespace: &str, name: &str) -> Answer {
    let name = name.to_ascii_lowercase();
    if let Some(absolute) = name.strip_suffix('.') {
        return lookup(cluster, absolute);
    }
    if name.is_empty() {
        return Answer::NxDomain;
    }
    let searched = search_path(client_namespace).map(|domain| format!("{name}.{domain}"));
    let candidates: Vec<&str> = if name.matches('.').count() >= NDOTS {
        std::iter::once(name.as_str())
            .chain(searched.iter().map(String::as_str))
            .collect()
    } else {
        searched
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(name.as_str()))
            .collect()
    };
    candidates
        .into_iter()
        .map(|candidate| lookup(cluster, candidate))
        .find(|answer| *answer != Answer::NxDomain)
        .unwrap_or(Answer::NxDomain)
}

/// CoreDNS's answer for one fully qualified name (without the trailing dot).
fn lookup(cluster: &Cluster, fqdn: &str) -> Answer {
    let Some(prefix) = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}")) else {
        return Answer::NxDomain;
    };
    let labels: Vec<&str> = prefix.split('.').collect();
    let [service, namespace] = labels[..] else {
        return Answer::NxDomain;
    };
    let Some(svc) = cluster.store().get::<Service>(namespace, service) else {
        return Answer::NxDomain;
    };
    let spec = svc.spec.clone().unwrap_or_default();
    if spec.type_.as_deref() == Some("ExternalName") {
        return match spec.external_name {
            Some(target) if !target.is_empty() => Answer::Cname(target),
            _ => Answer::NxDomain,
        };
    }
    match spec.cluster_ip.as_deref() {
        Some("None") => {
            let ready: Vec<String> = cluster
                .store()
                .get::<Endpoints>(namespace, service)
                .iter()
                .flat_map(|e| e.subsets.iter().flatten())
                .flat_map(|s| s.addresses.iter().flatten())
                .map(|a| a.ip.clone())
                .collect();
            if ready.is_empty() {
                Answer::NxDomain
            } else {
                Answer::Addresses(ready)
            }
        }
        Some(ip) if !ip.is_empty() => Answer::Addresses(vec![ip.to_string()]),
        _ => Answer::NxDomain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Kind;
    use serde_json::json;

    fn cluster() -> Cluster {
        let mut c = Cluster::new(1);
        c.create_json(Kind::Namespace, json!({"metadata": {"name": "shop"}}))
            .expect("namespace");
        let services = [
            json!({"metadata": {"name": "web", "namespace": "shop"},
                   "spec": {"clusterIP": "10.96.0.50", "ports": [{"port": 80}]}}),
            json!({"metadata": {"name": "db", "namespace": "shop"},
                   "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}}),
            json!({"metadata": {"name": "empty", "namespace": "shop"},
                   "spec": {"clusterIP": "None", "selector": {"app": "none"}, "ports": [{"port": 80}]}}),
            json!({"metadata": {"name": "ext", "namespace": "default"},
                   "spec": {"type": "ExternalName", "externalName": "example.com"}}),
        ];
        for s in services {
            c.create_json(Kind::Service, s).expect("service");
        }
        let pod = |name: &str| {
            json!({"metadata": {"name": name, "namespace": "shop", "labels": {"app": "db"}},
                   "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}})
        };
        for name in ["db-0", "db-1"] {
            c.create_json(Kind::Pod, pod(name)).expect("pod");
        }
        c.advance(120_000);
        c
    }

    #[test]
    fn names_resolve_along_the_search_path() {
        let c = cluster();
        let db_ips: Vec<String> = {
            let mut ips: Vec<String> = ["db-0", "db-1"]
                .iter()
                .filter_map(|p| c.store().get::<crate::types::Pod>("shop", p))
                .filter_map(|p| p.status.as_ref().and_then(|s| s.pod_ip.clone()))
                .collect();
            crate::sort::sort_by(&mut ips, |a, b| a.cmp(b));
            ips
        };
        assert_eq!(db_ips.len(), 2, "both db pods are running");
        let web = Answer::Addresses(vec!["10.96.0.50".into()]);
        let api = Answer::Addresses(vec!["10.96.0.1".into()]);
        let table: Vec<(&str, &str, Answer)> = vec![
            ("shop", "web", web.clone()),
            ("shop", "WEB", web.clone()),
            ("default", "web", Answer::NxDomain),
            ("default", "web.shop", web.clone()),
            ("default", "web.shop.svc", web.clone()),
            ("default", "web.shop.svc.cluster.local", web.clone()),
            ("default", "web.shop.svc.cluster.local.", web.clone()),
            ("default", "web.shop.", Answer::NxDomain),
            ("shop", "kubernetes", Answer::NxDomain),
            ("shop", "kubernetes.default", api.clone()),
            ("default", "kubernetes", api.clone()),
            ("shop", "db", Answer::Addresses(db_ips)),
            ("shop", "empty", Answer::NxDomain),
            ("default", "ext", Answer::Cname("example.com".into())),
            ("default", "example.com", Answer::NxDomain),
            ("default", "www.example.com.", Answer::NxDomain),
            (
                "default",
                "nope.missing.svc.cluster.local",
                Answer::NxDomain,
            ),
            ("default", "", Answer::NxDomain),
        ];
        for (namespace, name, want) in table {
            assert_eq!(
                resolve(&c, namespace, name),
                want,
                "{name} from {namespace}"
            );
        }
    }

    #[test]
    fn the_search_path_is_kubelets() {
        assert_eq!(
            search_path("shop"),
            [
                "shop.svc.cluster.local",
                "svc.cluster.local",
                "cluster.local"
            ]
        );
    }
}
