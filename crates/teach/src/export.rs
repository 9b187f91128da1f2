//! What a learner built, taken to a real cluster: every object they made as YAML a real API
//! server accepts (server-set fields removed: status, uids, versions, allocated IPs and node
//! ports, the node a pod was scheduled to), and the session as a shell script, where virtual
//! waits become `kubectl rollout status` and generated pod names become lookups by label.

use kplay_core::api::{Kind, Object};
use kplay_core::types::{Deployment, Pod};
use kplay_core::Cluster;
use kplay_kubectl::printers::yaml::to_yaml;
use kplay_kubectl::script;
use kplay_kubectl::session::Session;
use serde_json::Value;

/// The namespaces every cluster has: not exported.
const SYSTEM_NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/// Annotations the control plane or kubectl writes.
const SERVER_ANNOTATIONS: [&str; 2] = [
    "deployment.kubernetes.io/revision",
    "kubectl.kubernetes.io/last-applied-configuration",
];

/// The kinds exported, in the order a cluster needs them (namespaces first).
const EXPORTED: [Kind; 5] = [
    Kind::Namespace,
    Kind::NetworkPolicy,
    Kind::Service,
    Kind::Deployment,
    Kind::Pod,
];

/// Every object the learner made, as YAML documents separated by `---`.
pub fn manifests(cluster: &Cluster) -> String {
    let store = cluster.store();
    let mut documents = Vec::new();
    for kind in EXPORTED {
        for object in store
            .all()
            .filter(|o| o.kind() == kind && made_by_learner(o))
        {
            documents.push(to_yaml(&clean(object.to_json())));
        }
    }
    documents.join("---\n")
}

/// Whether `object` was made by the learner, not by the cluster or a controller.
fn made_by_learner(object: &Object) -> bool {
    let meta = object.meta();
    match object {
        Object::Namespace(_) => !SYSTEM_NAMESPACES.contains(&object.name()),
        _ if object.namespace() == "kube-system" => false,
        Object::Service(_) => !(object.namespace() == "default" && object.name() == "kubernetes"),
        Object::Pod(_) => meta.owner_references.as_ref().is_none_or(Vec::is_empty),
        _ => true,
    }
}

/// `value` without what the server set.
fn clean(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.remove("status");
        if let Some(Value::Object(meta)) = map.get_mut("metadata") {
            for field in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "managedFields",
                "selfLink",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
            ] {
                meta.remove(field);
            }
            if let Some(Value::Object(annotations)) = meta.get_mut("annotations") {
                annotations.retain(|k, _| !SERVER_ANNOTATIONS.contains(&k.as_str()));
                if annotations.is_empty() {
                    meta.remove("annotations");
                }
            }
        }
        if let Some(Value::Object(spec)) = map.get_mut("spec") {
            // Allocated by this cluster, and likely taken or out of range on another.
            if spec.get("clusterIP").and_then(Value::as_str) != Some("None") {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if let Some(Value::Array(ports)) = spec.get_mut("ports") {
                for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                    port.remove("nodePort");
                }
            }
            spec.remove("nodeName");
        }
    }
    value
}

/// The session as a POSIX shell script for a real cluster (kubectl's current context).
pub fn shell_script(session: &Session, end: kplay_core::Millis) -> String {
    let mut out = String::from(
        "#!/bin/sh\n# A kplay session, for a real cluster: kubectl runs against your current context.\n# Virtual waits became `kubectl rollout status` (after a change to a Deployment) or\n# `sleep`; pod names the simulation generated became lookups by label.\nset -e\n",
    );
    let mut cluster = session.replay(0, 0);
    let mut changed: Vec<(String, String)> = Vec::new();
    // Nothing to wait for before the first command.
    let mut now = session.command(0).map_or(0, |(at, _)| at);
    for index in 0..session.len() {
        let Some((at, source)) = session.command(index) else {
            break;
        };
        // Commands typed a moment apart run back to back.
        if at >= now + MIN_WAIT {
            out.push_str(&wait(&mut changed, at - now));
            now = at;
        }
        out.push_str(&for_real_cluster(&cluster, source));
        out.push('\n');
        let before = generations(&cluster);
        session.run_command(&mut cluster, index);
        for deployment in generations(&cluster) {
            if !before.contains(&deployment) && !changed.contains(&deployment.0) {
                changed.push(deployment.0);
            }
        }
    }
    // At the end only rollouts are worth waiting for.
    if !changed.is_empty() && end > now {
        out.push_str(&wait(&mut changed, end - now));
    }
    out
}

/// The shortest pause between commands that becomes a wait in the script.
const MIN_WAIT: kplay_core::Millis = 1_000;

/// ((namespace, name), generation) of every Deployment.
fn generations(cluster: &Cluster) -> Vec<((String, String), i64)> {
    cluster
        .store()
        .list::<Deployment>(None)
        .filter_map(|d| {
            let meta = &d.metadata;
            Some((
                (meta.namespace.clone()?, meta.name.clone()?),
                meta.generation.unwrap_or_default(),
            ))
        })
        .collect()
}

/// What a virtual wait of `ms` becomes: the rollouts of the Deployments changed since the
/// last wait, or a sleep.
fn wait(changed: &mut Vec<(String, String)>, ms: kplay_core::Millis) -> String {
    if changed.is_empty() {
        return format!("sleep {}\n", ms.div_ceil(1_000));
    }
    changed
        .drain(..)
        .map(|(namespace, name)| {
            format!("kubectl rollout status deployment/{name} -n {namespace} --timeout=10m\n")
        })
        .collect()
}

/// A recorded command as a real cluster needs it: a pod a ReplicaSet made is named by a
/// lookup of its labels (a real cluster generates other names), and kplay's own lines
/// become comments.
fn for_real_cluster(cluster: &Cluster, source: &str) -> String {
    if source.starts_with("kplay ") {
        return format!("# {source}   (kplay's simulation: on a real cluster, use a load generator or your cloud's settings)");
    }
    let Ok(parsed) = script::parse(source) else {
        return format!("# {source}");
    };
    let Some(args) = parsed.steps.first().and_then(|s| s.kubectl_args()) else {
        return source.to_string();
    };
    let mut line = source.to_string();
    for pod in cluster.store().list::<Pod>(None) {
        let Some(name) = pod.metadata.name.as_deref() else {
            continue;
        };
        let owned = pod
            .metadata
            .owner_references
            .as_ref()
            .is_some_and(|o| !o.is_empty());
        let named = args
            .iter()
            .any(|a| a == name || a.strip_prefix("pod/") == Some(name));
        if !(owned && named) {
            continue;
        }
        let selector: Vec<String> = pod
            .metadata
            .labels
            .iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != "pod-template-hash")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
        let lookup = format!(
            "$(kubectl get pods -n {namespace} -l '{}' -o jsonpath='{{.items[0].metadata.name}}')",
            selector.join(",")
        );
        // On the command's line only: a heredoc body below it is the learner's text.
        line = match line.split_once('\n') {
            Some((first, body)) => format!("{}\n{body}", first.replace(name, &lookup)),
            None => line.replace(name, &lookup),
        };
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(script_text: &str) -> (Session, kplay_core::Millis) {
        let text = format!("# kplay session 1\n# seed 1\n# at 0s\n{script_text}");
        let (session, _, end) = Session::read(&text).unwrap_or_else(|e| panic!("{e}"));
        (session, end)
    }

    const BUILT: &str = "kubectl create namespace team-a
kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000
kubectl expose deployment web --type=NodePort --port=80 --target-port=5000
kubectl create deployment api -n team-a --image=nginx:1.27
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-team-a
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: team-a
EOF
kubectl run client --image=busybox -- sleep 3600
sleep 30s
kubectl set image deployment/web flask-app=flask-app:2.0
sleep 60s
";

    #[test]
    fn exported_objects_apply_to_a_fresh_cluster_as_they_were() {
        let (built, end) = session(BUILT);
        let cluster = built.replay(built.len(), end);
        let yaml = manifests(&cluster);
        for gone in [
            "uid:",
            "resourceVersion",
            "creationTimestamp",
            "status:",
            "clusterIP",
            "nodePort",
            "nodeName",
            "deployment.kubernetes.io/revision",
            "pod-template-hash",
            "kube-system",
            "name: kubernetes\n",
        ] {
            assert!(!yaml.contains(gone), "{gone} in\n{yaml}");
        }
        let kinds: Vec<&str> = yaml
            .lines()
            .filter_map(|l| l.strip_prefix("kind: "))
            .collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "NetworkPolicy",
                "Service",
                "Deployment",
                "Deployment",
                "Pod"
            ]
        );

        // A fresh cluster takes every document (strict decoding and validation included).
        let mut fresh = Cluster::new(7);
        let apply = script::heredoc("kubectl apply -f -", &yaml);
        let parsed = script::parse(&apply).unwrap_or_else(|e| panic!("{e}"));
        let out = script::run_step(&mut fresh, &parsed.steps[0]);
        assert_eq!(out.exit_code, 0, "{}{}", out.stdout, out.stderr);
        assert_eq!(out.stdout.matches(" created").count(), 6, "{}", out.stdout);
        let image = |c: &Cluster| {
            c.store().get::<Deployment>("default", "web").and_then(|d| {
                d.spec.as_ref()?.template.spec.as_ref()?.containers[0]
                    .image
                    .clone()
            })
        };
        assert_eq!(image(&fresh), Some("flask-app:2.0".into()));
    }

    #[test]
    fn the_shell_script_waits_for_rollouts_and_looks_pods_up() {
        let (built, end) = session(
            "kubectl create deployment web --image=flask-app:1.0 --replicas=2\nsleep 30s\nkplay traffic start svc/web\nsleep 10s\n",
        );
        let text = shell_script(&built, end);
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(
            text.contains("kubectl create deployment web --image=flask-app:1.0 --replicas=2\nkubectl rollout status deployment/web -n default --timeout=10m\n"),
            "{text}"
        );
        assert!(text.contains("# kplay traffic start svc/web"), "{text}");
        assert!(text.ends_with("# kplay traffic start svc/web   (kplay's simulation: on a real cluster, use a load generator or your cloud's settings)\n"), "{text}");

        // A generated pod name that existed becomes a lookup by its labels.
        let cluster = built.replay(1, 30_000);
        let pod = cluster
            .store()
            .list::<Pod>(Some("default"))
            .filter_map(|p| p.metadata.name.clone())
            .find(|n| n.starts_with("web-"))
            .unwrap_or_default();
        assert!(!pod.is_empty());
        let (real, end) = session(&format!(
            "kubectl create deployment web --image=flask-app:1.0 --replicas=2\nsleep 30s\nkubectl delete pod {pod}\nsleep 5s\n"
        ));
        let text = shell_script(&real, end);
        assert!(
            text.contains("kubectl delete pod $(kubectl get pods -n default -l 'app=web' -o jsonpath='{.items[0].metadata.name}')\n"),
            "{text}"
        );
        assert!(!text.contains(&pod));
    }
}
