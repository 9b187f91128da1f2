//! Whether a pod accepts a connection on a port at this instant: the question every request
//! of the traffic model and every `kubectl exec ... wget` asks of the pod it reaches.
//!
//! A pod accepts when it has an IP and one of its containers runs an app that is up (the
//! kubelet model's [`crate::kubelet::Memory::app_up_since`]) and listens on the port with that
//! protocol: the ports its image always serves, and its declared `containerPort`s for images
//! that serve what they declare (see the table in [`crate::images`]). A terminating pod's apps
//! keep accepting while the kubelet runs their preStop hooks; at SIGTERM
//! ([`crate::kubelet::sigterm_at`]) an app that shuts down stops accepting at once, unless its
//! image drains ([`crate::images::ImageProfile::drains_ms`], CoreDNS's lameduck); an app that
//! ignores SIGTERM keeps its listener until SIGKILL removes the pod.

use crate::images::{self, SigtermBehaviour};
use crate::kubelet;
use crate::time::Millis;
use crate::types::{Container, Pod};
use crate::Cluster;

/// What a connection to a pod's port finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listening {
    /// The app of this container accepts the connection.
    Accepts {
        /// The container's name.
        container: String,
    },
    /// Nothing listens there: the connection is refused.
    Refused,
}

/// Whether `pod` accepts a connection on `port` with `protocol` (`TCP`, `UDP`) now, and which
/// container's app answers. Allocates only the answering container's name.
pub fn accepts(cluster: &Cluster, pod: &Pod, port: i32, protocol: &str) -> Listening {
    let has_ip = pod.status.as_ref().is_some_and(|s| s.pod_ip.is_some());
    let Some(spec) = pod.spec.as_ref().filter(|_| has_ip) else {
        return Listening::Refused;
    };
    let uid = pod.metadata.uid.as_deref().unwrap_or("");
    let memory = cluster.kubelet_memory();
    for container in &spec.containers {
        if listens(container, port, protocol)
            && memory.app_up_since(uid, &container.name).is_some()
            && !stopped_listening(pod, container, cluster.now())
        {
            return Listening::Accepts {
                container: container.name.clone(),
            };
        }
    }
    Listening::Refused
}

/// Whether the app of `container` listens on `port`/`protocol` once it is up.
fn listens(container: &Container, port: i32, protocol: &str) -> bool {
    let profile = images::profile(container.image.as_deref().unwrap_or(""));
    let declared =
        || {
            container.ports.iter().flatten().any(|p| {
                p.container_port == port && p.protocol.as_deref().unwrap_or("TCP") == protocol
            })
        };
    profile.serves
        && (images::own_port(profile, port, protocol)
            || (profile.serves_declared_ports && declared()))
}

/// Whether the app of `container` in a terminating `pod` has closed its listener by `now`:
/// from SIGTERM (after the preStop hook) plus its drain time, for apps that shut down.
fn stopped_listening(pod: &Pod, container: &Container, now: Millis) -> bool {
    let Some(sigterm) = kubelet::sigterm_at(pod, container) else {
        return false;
    };
    let profile = images::profile(container.image.as_deref().unwrap_or(""));
    match profile.on_sigterm {
        SigtermBehaviour::ExitsWithin(..) => now >= sigterm.saturating_add(profile.drains_ms),
        SigtermBehaviour::Ignores => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;
    use serde_json::json;

    fn create(cluster: &mut Cluster, name: &str, container: serde_json::Value) {
        let manifest = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [container]}
        });
        let created = cluster.create_json(Kind::Pod, manifest);
        assert!(created.is_ok(), "{created:?}");
    }

    fn answer(cluster: &Cluster, name: &str, port: i32, protocol: &str) -> Option<String> {
        let pod = cluster.store().get::<Pod>("default", name)?;
        match accepts(cluster, pod, port, protocol) {
            Listening::Accepts { container } => Some(container),
            Listening::Refused => None,
        }
    }

    fn cluster_with_pods() -> Cluster {
        let mut cluster = Cluster::new(5);
        let pods = [
            ("nginx", json!({"name": "web", "image": "nginx:1.27"})),
            ("flask", json!({"name": "app", "image": "flask-app:1.0"})),
            (
                "hooked",
                json!({"name": "web", "image": "nginx:1.27", "lifecycle":
                    {"preStop": {"sleep": {"seconds": 10}}}}),
            ),
            (
                "dns",
                json!({"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.3"}),
            ),
            (
                "agnhost",
                json!({"name": "net", "image": "registry.k8s.io/e2e-test-images/agnhost:2.53",
                "ports": [{"containerPort": 9000}, {"containerPort": 9001, "protocol": "UDP"}]}),
            ),
            (
                "custom",
                json!({"name": "api", "image": "example.com/api:1",
                "ports": [{"containerPort": 3000}]}),
            ),
            (
                "sleeper",
                json!({"name": "sh", "image": "busybox", "command": ["sleep", "3600"],
                "ports": [{"containerPort": 80}]}),
            ),
            ("broken", json!({"name": "web", "image": "nginx:broken"})),
        ];
        for (name, container) in pods {
            create(&mut cluster, name, container);
        }
        cluster
    }

    #[test]
    fn a_pod_accepts_on_the_ports_its_app_listens_on_once_it_is_up() {
        let mut cluster = cluster_with_pods();
        // Just created: no IP, no app.
        assert_eq!(answer(&cluster, "nginx", 80, "TCP"), None);
        cluster.advance(20_000);
        let table = [
            ("nginx", 80, "TCP", Some("web")),
            ("nginx", 80, "UDP", None),
            ("nginx", 8080, "TCP", None),
            ("flask", 5000, "TCP", Some("app")),
            ("flask", 80, "TCP", None),
            ("dns", 53, "UDP", Some("coredns")),
            ("dns", 53, "TCP", Some("coredns")),
            ("dns", 9153, "TCP", Some("coredns")),
            ("dns", 9153, "UDP", None),
            ("agnhost", 8080, "TCP", Some("net")),
            ("agnhost", 8081, "UDP", Some("net")),
            ("agnhost", 9000, "TCP", Some("net")),
            ("agnhost", 9001, "UDP", Some("net")),
            ("agnhost", 9001, "TCP", None),
            ("custom", 3000, "TCP", Some("api")),
            ("custom", 3001, "TCP", None),
            // busybox's sleep serves nothing, whatever the pod declares.
            ("sleeper", 80, "TCP", None),
            // The image never pulled: the pod has an IP but no app.
            ("broken", 80, "TCP", None),
            ("missing", 80, "TCP", None),
        ];
        for (pod, port, protocol, expected) in table {
            assert_eq!(
                answer(&cluster, pod, port, protocol).as_deref(),
                expected,
                "{pod} {port}/{protocol}"
            );
        }
    }

    #[test]
    fn a_terminating_pod_accepts_until_sigterm_or_the_end_of_its_drain() {
        let mut cluster = cluster_with_pods();
        cluster.advance(20_000);
        for name in ["nginx", "hooked", "dns", "sleeper"] {
            assert!(cluster.delete(Kind::Pod, "default", name).is_ok());
        }
        // (ms after the deletion, pod, port, protocol, accepts)
        let table = [
            // No hook: SIGTERM at once, nginx closes its listener. The preStop sleep keeps
            // nginx serving for 10 s, then it stops at SIGTERM. CoreDNS's lameduck: it
            // answers 5 s more after SIGTERM.
            (0, "nginx", 80, "TCP", false),
            (0, "hooked", 80, "TCP", true),
            (0, "dns", 53, "UDP", true),
            (4_999, "dns", 53, "UDP", true),
            (5_000, "dns", 53, "UDP", false),
            (9_999, "hooked", 80, "TCP", true),
            (10_000, "hooked", 80, "TCP", false),
        ];
        let start = cluster.now();
        for (after, pod, port, protocol, expected) in table {
            cluster.advance(start + after - cluster.now());
            assert_eq!(
                answer(&cluster, pod, port, protocol).is_some(),
                expected,
                "{pod} {port}/{protocol} at +{after} ms"
            );
        }
    }
}
