//! What the API server's Service storage does besides validation: it allocates ClusterIPs and
//! nodePorts (`pkg/registry/core/service/storage/alloc.go`) from the ranges kubeadm configures.
//!
//! The allocators keep no state of their own: what is allocated is read from the Services in
//! the store, so deleting a Service releases its addresses and ports with it.

pub mod ipallocator;
pub mod portallocator;

use crate::api::{ApiError, Kind};
use crate::store::Store;
use crate::types::Service;
use crate::vecmap::VecMap;
use ipallocator::IpRange;
use portallocator::PortRange;
use rand_core::Rng;

/// kubeadm's `DefaultServicesSubnet` (kind uses it too): `kubernetes` is its first address.
pub const SERVICE_CIDR: IpRange = IpRange::new([10, 96, 0, 0], 12);

/// kube-apiserver's `DefaultServiceNodePortRange`: 30000-32767.
pub const NODE_PORT_RANGE: PortRange = PortRange::new(30000, 2768);

/// kubeadm's `DefaultClusterDNSIP`: the `kube-dns` Service's address (the tenth of the range).
pub const CLUSTER_DNS_IP: &str = "10.96.0.10";

/// Fills in `clusterIP`/`clusterIPs`, `ipFamilies`, `ipFamilyPolicy` and the nodePorts of a
/// Service being created (`old` is `None`) or updated, as the Service REST storage's
/// `allocateCreate`/`allocateUpdate` do; an explicitly requested IP or port is checked against
/// the range and against every other Service. Nothing is written: the caller stores the result.
pub fn allocate(
    store: &Store,
    rng: &mut impl Rng,
    service: &mut Service,
    old: Option<&Service>,
) -> Result<(), ApiError> {
    allocate_in(store, rng, service, old, &SERVICE_CIDR, &NODE_PORT_RANGE)
}

/// [`allocate`] with explicit ranges (tests use tiny ones to exhaust them).
pub fn allocate_in(
    store: &Store,
    rng: &mut impl Rng,
    service: &mut Service,
    old: Option<&Service>,
    ips: &IpRange,
    ports: &PortRange,
) -> Result<(), ApiError> {
    let name = service.metadata.name.clone().unwrap_or_default();
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let mut used_ips = VecMap::new();
    let mut used_ports = VecMap::new();
    for other in store.list::<Service>(None) {
        let same = other.metadata.name.as_deref() == Some(name.as_str())
            && other.metadata.namespace.as_deref() == Some(namespace.as_str());
        if same {
            continue;
        }
        let spec = other.spec.clone().unwrap_or_default();
        for ip in spec
            .cluster_ips
            .iter()
            .flatten()
            .chain(spec.cluster_ip.iter())
        {
            if let Some(ip) = ipallocator::parse(ip) {
                used_ips.insert(ip, ());
            }
        }
        for port in spec.ports.iter().flatten() {
            if let Some(np) = port.node_port {
                used_ports.insert(np, ());
            }
        }
    }
    let old_spec = old.and_then(|o| o.spec.clone()).unwrap_or_default();
    let spec = service.spec.get_or_insert_with(Default::default);
    let service_type = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    // patchAllocatedValues: an update that omits what was allocated keeps it.
    if old.is_some() && service_type != "ExternalName" {
        if spec.cluster_ip.as_deref().unwrap_or("").is_empty() && spec.cluster_ips.is_none() {
            spec.cluster_ip = old_spec.cluster_ip.clone();
            spec.cluster_ips = old_spec.cluster_ips.clone();
        }
        if matches!(service_type.as_str(), "NodePort" | "LoadBalancer") {
            for port in spec.ports.iter_mut().flatten() {
                if port.node_port.is_none() {
                    port.node_port = old_spec
                        .ports
                        .iter()
                        .flatten()
                        .find(|o| o.port == port.port && o.protocol == port.protocol)
                        .and_then(|o| o.node_port);
                }
            }
        }
    }
    if service_type == "ExternalName" {
        spec.cluster_ip = None;
        spec.cluster_ips = None;
        spec.ip_families = None;
        spec.ip_family_policy = None;
    } else {
        // initIPFamilyFields: a single-stack IPv4 cluster.
        spec.ip_families = Some(vec!["IPv4".into()]);
        spec.ip_family_policy
            .get_or_insert_with(|| "SingleStack".into());
        let requested = spec
            .cluster_ip
            .clone()
            .filter(|ip| !ip.is_empty())
            .or_else(|| spec.cluster_ips.as_ref().and_then(|l| l.first().cloned()))
            .unwrap_or_default();
        let ip = if requested == "None" {
            requested
        } else if let Some(old_ip) = old_spec.cluster_ip.as_ref().filter(|_| old.is_some()) {
            if !requested.is_empty() && &requested != old_ip {
                return Err(ApiError::invalid(
                    Kind::Service,
                    &name,
                    vec![crate::api::Cause {
                        field: "spec.clusterIPs[0]".into(),
                        message: format!(
                            "Invalid value: {}: may not change once set",
                            crate::quote::go_quote(&requested)
                        ),
                    }],
                ));
            }
            old_ip.clone()
        } else if requested.is_empty() {
            let ip = ips.allocate_next(&used_ips, rng).ok_or_else(|| {
                ApiError::internal(
                    Kind::Service,
                    &name,
                    "failed to allocate a serviceIP: range is full",
                )
            })?;
            ipallocator::format(ip)
        } else {
            let problem = match ipallocator::parse(&requested) {
                Some(ip) if !ips.contains(ip) => Some(format!(
                    "the provided IP ({requested}) is not in the valid range. The range of \
                     valid IPs is {}",
                    ips.cidr()
                )),
                Some(ip) if used_ips.contains_key(&ip) => {
                    Some("provided IP is already allocated".to_string())
                }
                Some(_) => None,
                None => Some(format!("the provided IP ({requested}) is not valid")),
            };
            if let Some(problem) = problem {
                return Err(ApiError::invalid(
                    Kind::Service,
                    &name,
                    vec![crate::api::Cause {
                        field: "spec.clusterIPs".into(),
                        message: format!(
                            "Invalid value: []string{{{}}}: failed to allocate IP \
                             {requested}: {problem}",
                            crate::quote::go_quote(&requested)
                        ),
                    }],
                ));
            }
            requested
        };
        spec.cluster_ip = Some(ip.clone());
        spec.cluster_ips = Some(vec![ip]);
    }
    // initNodePorts: NodePort and LoadBalancer Services get one per port (ports with the same
    // number share one).
    if matches!(service_type.as_str(), "NodePort" | "LoadBalancer") {
        let mut by_port: Vec<(i32, i32)> = Vec::new();
        for (i, port) in spec.ports.iter_mut().flatten().enumerate() {
            let shared = by_port
                .iter()
                .find(|(p, _)| *p == port.port)
                .map(|(_, n)| *n);
            let node_port = match (port.node_port, shared) {
                (None, Some(n)) => n,
                (Some(n), Some(s)) if n == s => n,
                (requested, _) => {
                    let n = match requested {
                        Some(n) => {
                            let problem = if !ports.contains(n) {
                                Some(format!(
                                    "provided port is not in the valid range. The range of \
                                     valid ports is {}",
                                    ports.describe()
                                ))
                            } else if used_ports.contains_key(&n) {
                                Some("provided port is already allocated".to_string())
                            } else {
                                None
                            };
                            if let Some(problem) = problem {
                                return Err(ApiError::invalid(
                                    Kind::Service,
                                    &name,
                                    vec![crate::api::Cause {
                                        field: format!("spec.ports[{i}].nodePort"),
                                        message: format!("Invalid value: {n}: {problem}"),
                                    }],
                                ));
                            }
                            n
                        }
                        None => ports.allocate_next(&used_ports, rng).ok_or_else(|| {
                            ApiError::internal(
                                Kind::Service,
                                &name,
                                "failed to allocate a nodePort: range is full",
                            )
                        })?,
                    };
                    used_ports.insert(n, ());
                    n
                }
            };
            by_port.push((port.port, node_port));
            port.node_port = Some(node_port);
        }
    }
    Ok(())
}

/// The random scan of the API server's bitmap allocators (`randomScanStrategyWithOffset`): a
/// free index in `[offset, size)` from a random start, wrapping; then the same in
/// `[0, offset)`, the band reserved for values users choose (KEP-3070, KEP-3668).
fn scan(size: u64, offset: u64, used: impl Fn(u64) -> bool, rng: &mut impl Rng) -> Option<u64> {
    for (lo, hi) in [(offset.min(size), size), (0, offset.min(size))] {
        let span = hi - lo;
        if span == 0 {
            continue;
        }
        let start = rng.next_u64() % span;
        for step in 0..span {
            let index = lo + (start + step) % span;
            if !used(index) {
                return Some(index);
            }
        }
    }
    None
}

/// `calculateRangeOffset` of both allocators: the size of the lower band reserved for static
/// values, `size / step` clamped to `[min, max]`, none for ranges smaller than `min`.
fn range_offset(size: u64, min: u64, max: u64, step: u64) -> u64 {
    if size < min {
        0
    } else {
        (size / step).clamp(min, max)
    }
}

#[cfg(test)]
mod tests {
    use crate::api::Kind;
    use crate::Cluster;
    use serde_json::{json, Value};

    fn svc(name: &str, spec: Value) -> Value {
        json!({"metadata": {"name": name, "namespace": "default"}, "spec": spec})
    }

    fn create(cluster: &mut Cluster, name: &str, spec: Value) -> Result<Value, String> {
        cluster
            .create_json(Kind::Service, svc(name, spec))
            .map(|o| o.to_json()["spec"].clone())
            .map_err(|e| e.message)
    }

    #[test]
    fn allocation_table() {
        let mut c = Cluster::new(1);
        let port = |extra: Value| {
            let mut p = json!({"port": 80});
            if let (Value::Object(p), Value::Object(e)) = (&mut p, extra) {
                p.extend(e);
            }
            json!([p])
        };
        let a = create(
            &mut c,
            "a",
            json!({"ports": port(json!({})), "clusterIP": "10.96.0.50"}),
        )
        .expect("a value");
        assert_eq!(a["clusterIP"], "10.96.0.50");
        assert_eq!(a["clusterIPs"], json!(["10.96.0.50"]));
        assert_eq!(a["ipFamilies"], json!(["IPv4"]));
        assert_eq!(a["ipFamilyPolicy"], "SingleStack");
        let table: [(&str, Value, &str); 6] = [
            ("b", json!({"ports": port(json!({})), "clusterIP": "10.96.0.50"}),
             "Service \"b\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.50\"}: failed to allocate IP 10.96.0.50: provided IP is already allocated"),
            ("b", json!({"ports": port(json!({})), "clusterIP": "10.96.0.60"}),
             ""),
            ("c", json!({"ports": port(json!({})), "clusterIP": "10.0.0.5"}),
             "Service \"c\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
            ("d", json!({"type": "NodePort", "ports": port(json!({"nodePort": 30080}))}), ""),
            ("e", json!({"type": "NodePort", "ports": port(json!({"nodePort": 30080}))}),
             "Service \"e\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
            ("f", json!({"type": "LoadBalancer", "ports": port(json!({"nodePort": 40000}))}),
             "Service \"f\" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767"),
        ];
        for (name, spec, want) in table {
            let got = create(&mut c, name, spec);
            match got {
                Ok(_) => assert_eq!(want, "", "{name} was created"),
                Err(e) => assert_eq!(e, want, "{name}"),
            }
        }
        // Released on delete: the port and the address are free again.
        c.delete(Kind::Service, "default", "d").expect("a value");
        c.delete(Kind::Service, "default", "a").expect("a value");
        assert!(create(&mut c, "e", json!({"type": "NodePort", "ports": port(json!({"nodePort": 30080})), "clusterIP": "10.96.0.50"})).is_ok());
    }

    #[test]
    fn each_type_gets_what_the_api_server_gives_it() {
        let mut c = Cluster::new(1);
        let ports = json!([{"port": 80}]);
        let cip = create(&mut c, "cip", json!({"ports": ports})).expect("a value");
        let ip = super::ipallocator::parse(cip["clusterIP"].as_str().expect("a value"))
            .expect("a value");
        assert!(
            super::SERVICE_CIDR.contains(ip)
                && ip > super::ipallocator::parse("10.96.1.0").expect("a value")
        );
        assert_eq!(cip["ports"][0].get("nodePort"), None);
        let np =
            create(&mut c, "np", json!({"type": "NodePort", "ports": ports})).expect("a value");
        let node_port = np["ports"][0]["nodePort"].as_i64().expect("a value");
        assert!((30086..=32767).contains(&node_port), "{node_port}");
        let lb = create(
            &mut c,
            "lb",
            json!({"type": "LoadBalancer", "ports": ports}),
        )
        .expect("a value");
        assert!(lb["ports"][0]["nodePort"].is_i64() && lb["clusterIP"].is_string());
        let headless = create(&mut c, "h", json!({"clusterIP": "None"})).expect("a value");
        assert_eq!(headless["clusterIPs"], json!(["None"]));
        let ext = create(
            &mut c,
            "ext",
            json!({"type": "ExternalName", "externalName": "example.com"}),
        )
        .expect("a value");
        assert_eq!(ext.get("clusterIP"), None);
        assert_eq!(ext.get("ipFamilies"), None);
        // An update that leaves the allocated values out keeps them.
        let mut again = c
            .store()
            .get::<crate::types::Service>("default", "np")
            .expect("a value")
            .clone();
        let spec = again.spec.as_mut().expect("a value");
        spec.cluster_ip = None;
        spec.cluster_ips = None;
        spec.ports.as_mut().expect("a value")[0].node_port = None;
        let updated = c
            .update(crate::api::ApiObject::into_object(again))
            .expect("a value")
            .to_json();
        assert_eq!(updated["spec"]["clusterIP"], np["clusterIP"]);
        assert_eq!(
            updated["spec"]["ports"][0]["nodePort"],
            np["ports"][0]["nodePort"]
        );
        let forbidden = create(
            &mut c,
            "x",
            json!({"ports": [{"port": 80, "nodePort": 30001}]}),
        );
        assert_eq!(forbidden.expect_err("an error"), "Service \"x\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    }
}
