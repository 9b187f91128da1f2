//! The simulation's benchmark workloads, as plain functions shared by the native benchmarks
//! (divan: `cargo bench -p kplay-bench`), the native timing binary (`kplay-bench`) and the
//! Wasm build that `cargo xtask bench` runs in headless Chromium, so that both sides time
//! exactly the same work and the same way ([`measure`]).
//!
//! Each [`Workload`] has a set-up ([`Workload::prepare`], not timed) and a timed part
//! ([`Workload::run`]) on a fresh copy of the prepared cluster:
//!
//! - `rolling-update/N`: set up, a Deployment of N nginx replicas, all available; timed, a new
//!   image and virtual time advanced second by second until the rollout is complete
//!   (`updatedReplicas` = `availableReplicas` = `replicas` = N and no pod of the old image
//!   left, terminating ones included). The cluster gets the worker Nodes that the surge needs
//!   (kind's nodes take 110 pods each), registered through the API as a joining kubelet would,
//!   and limits above the playground's ([`LIMITS`]).
//! - `traffic/1000rps`: set up, a NodePort Service in front of 10 ready nginx pods; timed, a
//!   client outside the cluster sending 1,000 requests a second for 10 virtual seconds.
//! - `policy-matrix/200x50`: set up, 200 running pods (10 Deployments in two namespaces) and 50
//!   NetworkPolicies of five shapes; timed, the network plugin's verdict
//!   ([`kplay_core::network::policy::judge`]) on port 80 for every pair of pods and from
//!   outside the cluster to every pod (201 x 200 verdicts).

#[cfg(target_arch = "wasm32")]
mod wasm;

use kplay_core::network::connect::{self, Origin};
use kplay_core::network::policy::{judge, End};
use kplay_core::network::traffic;
use kplay_core::types::{Deployment, Node, Pod};
use kplay_core::{bootstrap, ApiObject, Cluster, Kind, Limits, Millis};
use serde_json::{json, Value};

/// Limits high enough for the largest workload (the playground stops at 1,000 replicas and
/// 3,000 objects).
pub const LIMITS: Limits = Limits {
    replicas: 20_000,
    objects: 50_000,
};

/// Every workload, in the order they are reported.
pub const ALL: [Workload; 5] = [
    Workload::RollingUpdate { replicas: 100 },
    Workload::RollingUpdate { replicas: 1_000 },
    Workload::RollingUpdate { replicas: 10_000 },
    Workload::Traffic {
        rate: 1_000,
        seconds: 10,
    },
    Workload::PolicyMatrix {
        pods: 200,
        policies: 50,
    },
];

/// The pods one worker runs at most (`allocatable.pods` of kind's nodes, the kubelet's
/// default `maxPods`).
const PODS_PER_NODE: i32 = 110;

/// The workers of a fresh cluster (`kplay-worker`, `kplay-worker2`, `kplay-worker3`).
const WORKERS: i32 = 3;

/// A workload that has not finished after this much virtual time is reported as stuck.
const DEADLINE: Millis = 3_600_000;

/// The wall-clock budget of one workload in [`measure`] and the benchmarks: three minutes,
/// ten for the rolling update of 10,000 replicas ([`Workload::budget_ms`]).
const BUDGET_MS: f64 = 180_000.0;

/// Asked between virtual seconds whether to abandon the workload (its wall-clock budget is
/// spent); a workload that gives up fails.
pub type GiveUp<'a> = &'a dyn Fn() -> bool;

/// The namespace and name of the rolling update's and the traffic's Deployment and Service.
const NAMESPACE: &str = "default";
const NAME: &str = "web";

/// One benchmark workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// A rolling update (maxSurge and maxUnavailable 25%) of this many replicas.
    RollingUpdate {
        /// The Deployment's replicas.
        replicas: i32,
    },
    /// Requests from outside the cluster to a NodePort Service.
    Traffic {
        /// Requests per second.
        rate: u32,
        /// Virtual seconds of traffic.
        seconds: u64,
    },
    /// Every verdict of the network-policy matrix on port 80.
    PolicyMatrix {
        /// Running pods (a multiple of 20: Deployments of 20 replicas).
        pods: usize,
        /// NetworkPolicies.
        policies: usize,
    },
}

impl Workload {
    /// The name it is reported under, e.g. `rolling-update/1000`.
    pub fn name(&self) -> String {
        match self {
            Workload::RollingUpdate { replicas } => format!("rolling-update/{replicas}"),
            Workload::Traffic { rate, .. } => format!("traffic/{rate}rps"),
            Workload::PolicyMatrix { pods, policies } => {
                format!("policy-matrix/{pods}x{policies}")
            }
        }
    }

    /// The workload of [`ALL`] with this name.
    pub fn named(name: &str) -> Option<Workload> {
        ALL.into_iter().find(|w| w.name() == name)
    }

    /// How many timed runs [`measure`] makes at most: fewer for the long ones.
    pub fn runs(&self) -> u32 {
        match self {
            Workload::RollingUpdate { replicas } if *replicas >= 10_000 => 1,
            Workload::RollingUpdate { replicas } if *replicas >= 1_000 => 3,
            _ => 7,
        }
    }

    /// How long [`measure`] may take over the workload, set-up and first run included, before
    /// it gives up: the 10,000-replica rollout takes about three minutes natively by itself.
    pub fn budget_ms(&self) -> f64 {
        match self {
            Workload::RollingUpdate { replicas } if *replicas >= 10_000 => 4.0 * BUDGET_MS,
            _ => BUDGET_MS,
        }
    }

    /// What [`Workload::run`]'s number counts.
    pub fn counts(&self) -> &'static str {
        match self {
            Workload::RollingUpdate { .. } => "virtual_ms",
            Workload::Traffic { .. } => "answered",
            Workload::PolicyMatrix { .. } => "allowed",
        }
    }

    /// The cluster the timed part starts from.
    pub fn prepare(&self, give_up: GiveUp<'_>) -> Result<Cluster, String> {
        let mut cluster = Cluster::with_limits(kplay_core::DEFAULT_SEED, LIMITS);
        match *self {
            Workload::RollingUpdate { replicas } => {
                // maxSurge 25% rounds up: the most pods at once.
                let peak = replicas + (replicas + 3) / 4;
                add_workers(&mut cluster, (peak + PODS_PER_NODE - 1) / PODS_PER_NODE)?;
                create(
                    &mut cluster,
                    Kind::Deployment,
                    deployment(NAME, replicas, "web"),
                )?;
                advance_until(&mut cluster, give_up, |c| {
                    rolled_out(c, replicas, "nginx:1.0")
                })?;
            }
            Workload::Traffic { .. } => {
                create(&mut cluster, Kind::Deployment, deployment(NAME, 10, "web"))?;
                let service = json!({
                    "metadata": {"name": NAME, "namespace": NAMESPACE},
                    "spec": {"type": "NodePort", "selector": {"app": NAME},
                        "ports": [{"port": 80, "targetPort": 80}]}
                });
                create(&mut cluster, Kind::Service, service)?;
                advance_until(&mut cluster, give_up, |c| rolled_out(c, 10, "nginx:1.0"))?;
                // kube-proxy sees endpoint changes 1 s later.
                cluster.advance(2_000);
            }
            Workload::PolicyMatrix { pods, policies } => {
                policy_scaffold(&mut cluster, give_up, pods, policies)?;
            }
        }
        Ok(cluster)
    }

    /// The timed part, on a copy of [`Workload::prepare`]'s cluster; returns what
    /// [`Workload::counts`] names, to check that the work was done.
    pub fn run(&self, cluster: &mut Cluster, give_up: GiveUp<'_>) -> Result<u64, String> {
        match *self {
            Workload::RollingUpdate { replicas } => {
                let start = cluster.now();
                set_image(cluster, "nginx:1.1")?;
                advance_until(cluster, give_up, |c| rolled_out(c, replicas, "nginx:1.1"))?;
                Ok(cluster.now() - start)
            }
            Workload::Traffic { rate, seconds } => {
                traffic::start(cluster, NAMESPACE, NAME, Origin::Outside, rate)?;
                for _ in 0..seconds {
                    cluster.advance(1_000);
                }
                Ok(cluster.network().traffic().answered_total().values().sum())
            }
            Workload::PolicyMatrix { .. } => Ok(policy_matrix(cluster)),
        }
    }
}

/// Times `workload` on `clock` (milliseconds: `performance.now()` in the browser, `Instant`
/// natively): up to [`Workload::runs`] runs, each on a fresh copy of the prepared cluster
/// (preparing, copying and dropping it are not timed), no new run once `budget_ms` of wall
/// time have passed since the start, and the workload abandoned if its set-up or its first
/// run is still going then. Returns the report line that `cargo xtask bench` reads:
/// `bench PLATFORM NAME median_ms=M min_ms=M max_ms=M runs=N COUNTS=V`.
pub fn measure(
    workload: &Workload,
    platform: &str,
    clock: &dyn Fn() -> f64,
    budget_ms: f64,
) -> Result<String, String> {
    let begin = clock();
    let spent = || clock() - begin > budget_ms;
    let over = |what: &str, e: String| format!("{what}: {e} (budget {:.0} s)", budget_ms / 1e3);
    let prepared = workload.prepare(&spent).map_err(|e| over("set-up", e))?;
    let mut samples = Vec::new();
    let mut outcome = 0;
    while samples.len() < workload.runs() as usize && (samples.is_empty() || !spent()) {
        let mut cluster = prepared.clone();
        let give_up = || samples.is_empty() && spent();
        let start = clock();
        outcome = workload
            .run(&mut cluster, &give_up)
            .map_err(|e| over("run", e))?;
        samples.push(clock() - start);
    }
    samples.sort_by(f64::total_cmp);
    let median = samples.get(samples.len() / 2).copied().unwrap_or(0.0);
    let min = samples.first().copied().unwrap_or(0.0);
    let max = samples.last().copied().unwrap_or(0.0);
    Ok(format!(
        "bench {platform} {} median_ms={median:.3} min_ms={min:.3} max_ms={max:.3} runs={} {}={outcome}",
        workload.name(),
        samples.len(),
        workload.counts(),
    ))
}

/// Creates an object, the API's refusal as the error.
fn create(cluster: &mut Cluster, kind: Kind, manifest: Value) -> Result<(), String> {
    cluster
        .create_json(kind, manifest)
        .map(|_| ())
        .map_err(|e| e.message)
}

/// Advances virtual time second by second until `done`; fails at [`DEADLINE`] or when told to
/// give up.
fn advance_until(
    cluster: &mut Cluster,
    give_up: GiveUp<'_>,
    done: impl Fn(&Cluster) -> bool,
) -> Result<(), String> {
    let start = cluster.now();
    while !done(cluster) {
        let elapsed = (cluster.now() - start) / 1_000;
        if elapsed >= DEADLINE / 1_000 {
            return Err(format!("not done after {elapsed} virtual seconds"));
        }
        if give_up() {
            let pods = cluster.store().list::<Pod>(None).count();
            return Err(format!(
                "out of time after {elapsed} virtual seconds ({pods} pods in the cluster)"
            ));
        }
        cluster.advance(1_000);
    }
    Ok(())
}

/// A Deployment `name` of `replicas` nginx:1.0 pods serving port 80 (named `http`), labelled
/// `app: NAME` and `tier: TIER`, in `default` unless the name says `NAMESPACE/NAME`.
fn deployment(name: &str, replicas: i32, tier: &str) -> Value {
    let (namespace, name) = name.split_once('/').unwrap_or((NAMESPACE, name));
    let labels = json!({"app": name, "tier": tier});
    json!({
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.0",
                    "ports": [{"name": "http", "containerPort": 80}]}]}
            }
        }
    })
}

/// Registers workers until the cluster has `total`, each as kind registers its Nth
/// ([`kplay_core::bootstrap::worker_node`]: `kplay-workerN`, its own pod CIDR and address).
fn add_workers(cluster: &mut Cluster, total: i32) -> Result<(), String> {
    if total > 253 {
        return Err(format!("{total} workers do not fit kind's address ranges"));
    }
    for index in WORKERS + 1..=total {
        let name = format!("kplay-worker{index}");
        let index = usize::try_from(index).map_err(|e| e.to_string())?;
        let node = bootstrap::worker_node(&name, index).ok_or("no worker template")?;
        cluster.create(node).map_err(|e| e.message)?;
    }
    Ok(())
}

/// `kubectl set image deployment/web nginx=IMAGE`.
fn set_image(cluster: &mut Cluster, image: &str) -> Result<(), String> {
    let mut web = cluster
        .store()
        .get::<Deployment>(NAMESPACE, NAME)
        .cloned()
        .ok_or("no Deployment web")?;
    let container = web
        .spec
        .as_mut()
        .and_then(|s| s.template.spec.as_mut())
        .and_then(|s| s.containers.first_mut())
        .ok_or("no container")?;
    container.image = Some(image.to_string());
    cluster
        .update(web.into_object())
        .map(|_| ())
        .map_err(|e| e.message)
}

/// Whether Deployment `web` runs `replicas` available pods of `image` and no other pod is left.
fn rolled_out(cluster: &Cluster, replicas: i32, image: &str) -> bool {
    let Some(web) = cluster.store().get::<Deployment>(NAMESPACE, NAME) else {
        return false;
    };
    let Some(status) = &web.status else {
        return false;
    };
    let all = Some(replicas);
    status.observed_generation >= web.metadata.generation
        && status.updated_replicas == all
        && status.available_replicas == all
        && status.replicas == all
        && usize::try_from(replicas)
            .is_ok_and(|n| cluster.store().list::<Pod>(Some(NAMESPACE)).count() == n)
        && cluster
            .store()
            .list::<Pod>(Some(NAMESPACE))
            .all(|p| image_of(p) == Some(image))
}

fn image_of(pod: &Pod) -> Option<&str> {
    pod.spec.as_ref()?.containers.first()?.image.as_deref()
}

/// The two namespaces of the policy matrix; Deployment `app-K` lives in the `K % 2`th.
const POLICY_NAMESPACES: [&str; 2] = ["shop", "data"];

/// The tiers the Deployments of the policy matrix take in turn.
const TIERS: [&str; 3] = ["web", "api", "db"];

/// `pods / 20` Deployments `app-K` of 20 running pods, then `policies` NetworkPolicies.
fn policy_scaffold(
    cluster: &mut Cluster,
    give_up: GiveUp<'_>,
    pods: usize,
    policies: usize,
) -> Result<(), String> {
    for namespace in POLICY_NAMESPACES {
        create(
            cluster,
            Kind::Namespace,
            json!({"metadata": {"name": namespace}}),
        )?;
    }
    let apps = pods / 20;
    for k in 0..apps {
        let name = format!("{}/app-{k}", POLICY_NAMESPACES[k % 2]);
        create(
            cluster,
            Kind::Deployment,
            deployment(&name, 20, TIERS[k % 3]),
        )?;
    }
    advance_until(cluster, give_up, |c| matrix_pods(c).len() == pods)?;
    for i in 0..policies {
        create(cluster, Kind::NetworkPolicy, network_policy(i, apps))?;
    }
    Ok(())
}

/// NetworkPolicy `policy-I`, selecting the pods of `app-(I % apps)` with one of five shapes:
/// ingress from another app of its namespace; ingress from the web tier of the other namespace
/// (namespace and pod selector ANDed) on the named port; egress to the db tier and to DNS;
/// ingress from outside the cluster by ipBlock with an `except`; ingress from a
/// `matchExpressions` selector on a port range.
fn network_policy(i: usize, apps: usize) -> Value {
    let k = i % apps.max(1);
    let namespace = POLICY_NAMESPACES[k % 2];
    let other = POLICY_NAMESPACES[(k + 1) % 2];
    let spec = match i % 5 {
        0 => json!({"ingress": [{"from": [{"podSelector": {"matchLabels":
                {"app": format!("app-{}", (k + 2) % apps.max(1))}}}],
            "ports": [{"port": 80}]}]}),
        1 => json!({"ingress": [{"from": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": other}},
                "podSelector": {"matchLabels": {"tier": "web"}}}],
            "ports": [{"port": "http"}]}]}),
        2 => json!({"policyTypes": ["Egress"], "egress": [
            {"to": [{"podSelector": {"matchLabels": {"tier": "db"}}}], "ports": [{"port": 80}]},
            {"to": [{"namespaceSelector": {}}], "ports": [{"port": 53, "protocol": "UDP"}]}]}),
        3 => json!({"ingress": [{"from": [{"ipBlock":
                {"cidr": "172.18.0.0/16", "except": ["172.18.0.4/32"]}}],
            "ports": [{"port": 80}]}]}),
        _ => json!({"ingress": [{"from": [{"podSelector": {"matchExpressions":
                [{"key": "tier", "operator": "In", "values": ["web", "api"]}]}}],
            "ports": [{"port": 80, "endPort": 90}]}]}),
    };
    let mut spec = spec;
    spec["podSelector"] = json!({"matchLabels": {"app": format!("app-{k}")}});
    json!({"metadata": {"name": format!("policy-{i:02}"), "namespace": namespace}, "spec": spec})
}

/// The running pods of the policy matrix's namespaces (with an IP), in the store's order.
fn matrix_pods(cluster: &Cluster) -> Vec<&Pod> {
    cluster
        .store()
        .list::<Pod>(None)
        .filter(|p| {
            let namespace = p.metadata.namespace.as_deref().unwrap_or_default();
            POLICY_NAMESPACES.contains(&namespace)
                && connect::pod_ip(p).is_some()
                && kplay_core::pod::phase(p) == "Running"
        })
        .collect()
}

/// How many of the matrix's connections on port 80 the network plugin allows: from every pod
/// and from outside the cluster (a node's address, as kube-proxy masquerades it) to every pod.
fn policy_matrix(cluster: &Cluster) -> u64 {
    let pods = matrix_pods(cluster);
    let outside = cluster
        .store()
        .list::<Node>(None)
        .flat_map(connect::node_ips)
        .next()
        .unwrap_or_default()
        .to_string();
    let sources = pods
        .iter()
        .map(|p| End::Pod(p))
        .chain([End::Address(&outside)]);
    let mut allowed = 0;
    for from in sources {
        for to in &pods {
            if judge(cluster, from, End::Pod(to), 80, "TCP").allowed() {
                allowed += 1;
            }
        }
    }
    allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workloads at a small size: each finishes and does what it says.
    #[test]
    fn small_workloads_do_their_work() {
        let cases = [
            (Workload::RollingUpdate { replicas: 8 }, 0),
            (
                Workload::Traffic {
                    rate: 100,
                    seconds: 2,
                },
                201,
            ),
            (
                Workload::PolicyMatrix {
                    pods: 40,
                    policies: 10,
                },
                0,
            ),
        ];
        for (workload, expected) in cases {
            let mut cluster = workload.prepare(&|| false).expect("prepared");
            let outcome = workload.run(&mut cluster, &|| false).expect("ran");
            match workload {
                Workload::RollingUpdate { .. } => assert!(outcome > 0, "took virtual time"),
                Workload::Traffic { .. } => assert_eq!(outcome, expected, "every request answered"),
                Workload::PolicyMatrix { .. } => {
                    assert!(
                        outcome > 0 && outcome < 41 * 40,
                        "some allowed, some not: {outcome}"
                    )
                }
            }
        }
    }

    #[test]
    fn workers_join_with_their_own_addresses_and_take_pods() {
        let mut cluster = Cluster::with_limits(1, LIMITS);
        add_workers(&mut cluster, 5).expect("registered");
        let node = cluster
            .store()
            .get::<Node>("", "kplay-worker5")
            .expect("a fifth worker");
        assert_eq!(
            connect::node_ips(node).collect::<Vec<_>>(),
            ["172.18.0.7", "kplay-worker5"]
        );
        create(&mut cluster, Kind::Deployment, deployment(NAME, 10, "web")).expect("created");
        advance_until(&mut cluster, &|| false, |c| rolled_out(c, 10, "nginx:1.0")).expect("ready");
        let on_fifth = cluster.store().list::<Pod>(Some(NAMESPACE)).filter(|p| {
            p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("kplay-worker5")
        });
        assert_eq!(on_fifth.count(), 2, "10 pods spread over 5 workers");
    }

    #[test]
    fn measuring_reports_the_median_and_gives_up_past_the_budget() {
        // A clock that moves 1 ms each time it is read.
        let ticks = std::cell::Cell::new(0.0);
        let clock = || {
            ticks.set(ticks.get() + 1.0);
            ticks.get()
        };
        let workload = Workload::PolicyMatrix {
            pods: 20,
            policies: 5,
        };
        let line = measure(&workload, "test", &clock, 1e9).expect("measured");
        assert!(
            line.starts_with("bench test policy-matrix/20x5 median_ms=1.000 min_ms=1.000 max_ms=1.000 runs=7 allowed="),
            "{line}"
        );
        let late = measure(
            &Workload::RollingUpdate { replicas: 8 },
            "test",
            &clock,
            0.0,
        );
        assert_eq!(
            late,
            Err(
                "set-up: out of time after 0 virtual seconds (10 pods in the cluster) (budget 0 s)"
                    .into()
            )
        );
    }

    #[test]
    fn names_are_unique_and_found_again() {
        for workload in ALL {
            assert_eq!(Workload::named(&workload.name()), Some(workload));
        }
        assert_eq!(Workload::named("rolling-update/7"), None);
    }
}
