//! Faults an instructor injects with one click, each as the kubectl command that causes it in
//! a real cluster: kill a pod (its ReplicaSet replaces it), break the image (the rollout gets
//! stuck in ImagePullBackOff while old pods keep serving), fail readiness (a readiness probe on
//! a port the app does not listen on: new pods never become ready), drain a node (its pods are
//! evicted and rescheduled elsewhere; uncordon lets pods back).

use kplay_core::types::{Deployment, Node, Pod};
use kplay_core::{labels, pod, Cluster};

/// The port the failing readiness probe checks: nothing listens there.
pub const DEAD_PORT: u16 = 9;

/// What a fault can be aimed at: a Deployment of the default namespace and what it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The Deployment's name.
    pub deployment: String,
    /// Its first container's name and image.
    pub container: String,
    /// The image it runs.
    pub image: String,
    /// Its oldest ready pod, if any.
    pub pod: Option<String>,
    /// The node that pod runs on.
    pub node: Option<String>,
}

/// The Deployments faults can be aimed at, by name.
pub fn targets(cluster: &Cluster) -> Vec<Target> {
    let store = cluster.store();
    store
        .list::<Deployment>(Some("default"))
        .filter_map(|d| {
            let spec = d.spec.as_ref()?;
            let container = spec.template.spec.as_ref()?.containers.first()?;
            let mut pods: Vec<&Pod> = store
                .list::<Pod>(Some("default"))
                .filter(|p| labels::selector_matches(&spec.selector, p.metadata.labels.as_ref()))
                .filter(|p| pod::is_ready(p) && !pod::is_terminating(p))
                .collect();
            kplay_core::sort::sort_by(&mut pods, |a, b| {
                (a.metadata.creation_timestamp, &a.metadata.name)
                    .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
            });
            let oldest = pods.first();
            Some(Target {
                deployment: d.metadata.name.clone()?,
                container: container.name.clone(),
                image: container.image.clone().unwrap_or_default(),
                pod: oldest.and_then(|p| p.metadata.name.clone()),
                node: oldest.and_then(|p| pod::node_name(p)).map(str::to_string),
            })
        })
        .collect()
}

/// The nodes marked unschedulable (cordoned or drained), to uncordon.
pub fn cordoned(cluster: &Cluster) -> Vec<String> {
    cluster
        .store()
        .list::<Node>(None)
        .filter(|n| n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true))
        .filter_map(|n| n.metadata.name.clone())
        .collect()
}

/// `kubectl delete pod` of the target's oldest ready pod.
pub fn kill_pod(target: &Target) -> Option<String> {
    Some(format!("kubectl delete pod {}", target.pod.as_ref()?))
}

/// `kubectl set image` to a tag that does not exist.
pub fn break_image(target: &Target) -> String {
    let repository = match target.image.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => repository,
        _ => target.image.as_str(),
    };
    format!(
        "kubectl set image deployment/{} {}={repository}:{}",
        target.deployment,
        target.container,
        kplay_core::images::BROKEN_TAG
    )
}

/// A patch that gives the container a readiness probe on [`DEAD_PORT`].
pub fn fail_readiness(target: &Target) -> String {
    format!(
        "kubectl patch deployment {} -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"containers\":[{{\"name\":\"{}\",\"readinessProbe\":{{\"tcpSocket\":{{\"port\":{DEAD_PORT}}},\"periodSeconds\":2}}}}]}}}}}}}}'",
        target.deployment, target.container
    )
}

/// `kubectl drain` of the node the target's oldest pod runs on.
pub fn drain(target: &Target) -> Option<String> {
    Some(format!(
        "kubectl drain {} --ignore-daemonsets",
        target.node.as_ref()?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_kubectl::script;

    fn run(cluster: &mut Cluster, source: &str) -> String {
        let parsed = script::parse(source).unwrap_or_else(|e| panic!("{e}"));
        script::run_script(cluster, &parsed)
    }

    fn get(cluster: &mut Cluster, args: &str) -> String {
        let args: Vec<String> = args.split(' ').map(str::to_string).collect();
        kplay_kubectl::run(cluster, &args, None).stdout
    }

    fn ready() -> (Cluster, Target) {
        let mut cluster = Cluster::new(1);
        run(
            &mut cluster,
            "kubectl create deployment web --image=flask-app:1.0 --replicas=3 --port=5000\nsleep 30s\n",
        );
        let targets = targets(&cluster);
        assert_eq!(targets.len(), 1);
        (cluster, targets[0].clone())
    }

    #[test]
    fn each_fault_does_in_the_cluster_what_it_says() {
        let (mut cluster, web) = ready();
        assert_eq!(
            (web.container.as_str(), web.image.as_str()),
            ("flask-app", "flask-app:1.0")
        );

        // Kill a pod: gone, and the ReplicaSet makes another.
        let killed = web.pod.clone().unwrap_or_default();
        run(&mut cluster, &kill_pod(&web).unwrap_or_default());
        run(&mut cluster, "sleep 30s");
        let pods = get(&mut cluster, "get pods -o name");
        assert!(!pods.contains(&killed), "{pods}");
        assert_eq!(pods.lines().count(), 3);

        // Break the image: the new pod cannot pull it, the rollout waits, three old ones serve.
        let broken = break_image(&web);
        assert_eq!(
            broken,
            "kubectl set image deployment/web flask-app=flask-app:broken"
        );
        run(&mut cluster, &format!("{broken}\nsleep 60s"));
        let pods = get(&mut cluster, "get pods");
        assert!(
            pods.contains("ImagePullBackOff") || pods.contains("ErrImagePull"),
            "{pods}"
        );
        assert_eq!(
            get(
                &mut cluster,
                "get deployment web -o jsonpath={.status.readyReplicas}"
            ),
            "3"
        );
        run(
            &mut cluster,
            "kubectl rollout undo deployment/web\nsleep 30s",
        );

        // Fail readiness: the new pods run but never become ready.
        run(
            &mut cluster,
            &format!("{}\nsleep 60s", fail_readiness(&web)),
        );
        let pods = get(&mut cluster, "get pods");
        assert!(
            pods.lines()
                .any(|l| l.contains("0/1") && l.contains("Running")),
            "{pods}"
        );
        let status = get(&mut cluster, "rollout status deployment/web --watch=false");
        assert!(
            status.starts_with("Waiting for deployment \"web\" rollout to finish"),
            "{status}"
        );
        run(
            &mut cluster,
            "kubectl rollout undo deployment/web\nsleep 30s",
        );

        // Drain the node of the oldest pod: cordoned, no pod of web left on it.
        let web = targets(&cluster)[0].clone();
        let node = web.node.clone().unwrap_or_default();
        run(
            &mut cluster,
            &format!("{}\nsleep 30s", drain(&web).unwrap_or_default()),
        );
        assert_eq!(cordoned(&cluster), std::slice::from_ref(&node));
        let wide = get(&mut cluster, "get pods -o wide");
        assert!(!wide.contains(&format!(" {node} ")), "{wide}");
        assert_eq!(
            get(
                &mut cluster,
                "get deployment web -o jsonpath={.status.readyReplicas}"
            ),
            "3"
        );
    }

    #[test]
    fn without_a_ready_pod_there_is_nothing_to_kill_or_drain() {
        let mut cluster = Cluster::new(1);
        run(
            &mut cluster,
            "kubectl create deployment web --image=flask-app:1.0",
        );
        let web = targets(&cluster)[0].clone();
        assert_eq!((kill_pod(&web), drain(&web)), (None, None));
        assert!(targets(&Cluster::new(1)).is_empty());
    }
}
