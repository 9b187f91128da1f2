//! What `kubectl logs` reads: the lines a container printed, rebuilt from its status and the
//! image catalogue ([`crate::images::log_lines`]), and the refusals of the API server
//! (`LogLocation` in `pkg/registry/core/pod/strategy.go`) and the kubelet
//! (`validateContainerLogStatus` in `pkg/kubelet/kubelet_pods.go`), in their words. Each start
//! of a container prints its start-up lines again; a `:crash` app adds its error lines when
//! it exits. A web server that keeps an access log (Flask, nginx) logs every `httpGet` probe
//! the kubelet sends it once it is up, from the node's address on the pod network
//! (`10.244.N.1`), and every request the cluster network delivered to it
//! ([`crate::network::State::access_log`]: `kubectl exec ... wget`, traffic sources), in time
//! order; the lines of earlier instances keep only their start-up and error lines.

use crate::images;
use crate::prober::{self, ProbeKind};
use crate::quote::go_quote;
use crate::time::{millis_of, Millis, SECOND};
use crate::types::{Container, ContainerStateTerminated, Pod};
use crate::Cluster;

/// The log lines of container `container` of `pod` at the cluster's current time: the
/// running or last instance, or with `previous` the one before it. `Err` is the server's
/// message (a BadRequest).
pub fn container_logs(
    cluster: &Cluster,
    pod: &Pod,
    container: &str,
    previous: bool,
) -> Result<Vec<String>, String> {
    let now = cluster.now();
    let uid = pod.metadata.uid.as_deref().unwrap_or("");
    let up_since = cluster.kubelet_memory().app_up_since(uid, container);
    let pod_name = pod.metadata.name.as_deref().unwrap_or("");
    let spec = pod.spec.as_ref().and_then(|s| {
        s.containers
            .iter()
            .chain(s.init_containers.iter().flatten())
            .find(|c| c.name == container)
    });
    let Some(spec) = spec else {
        return Err(format!(
            "container {container} is not valid for pod {pod_name}"
        ));
    };
    // A pod without a node has no kubelet to ask: the API server returns an empty stream.
    if crate::pod::node_name(pod).is_none() {
        return Ok(Vec::new());
    }
    let image = spec.image.as_deref().unwrap_or("");
    let status = pod.status.as_ref();
    let ip = status.and_then(|s| s.pod_ip.as_deref()).unwrap_or("");
    let found = status
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|all| all.iter().find(|c| c.name == container));
    let Some(found) = found else {
        return Err(format!(
            "container {} in pod {} is not available",
            go_quote(container),
            go_quote(pod_name)
        ));
    };
    let state = found.state.clone().unwrap_or_default();
    let last = found
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref());
    let terminated_lines =
        |t: &ContainerStateTerminated| instance_lines(image, ip, t.started_at.as_ref(), Some(t));
    if previous {
        return match last.filter(|t| t.container_id.is_some()) {
            Some(t) => Ok(terminated_lines(t)),
            None => Err(format!(
                "previous terminated container {} in pod {} not found",
                go_quote(container),
                go_quote(pod_name)
            )),
        };
    }
    if let Some(running) = &state.running {
        let mut lines = instance_lines(image, ip, running.started_at.as_ref(), None);
        if let Some(up) = up_since {
            let started = running.started_at.as_ref().map_or(up, millis_of);
            let mut requests = probe_requests(pod, spec, ip, started, up, now);
            requests.extend(network_requests(cluster, pod, spec, started));
            crate::sort::sort_by(&mut requests, |a, b| a.0.cmp(&b.0));
            lines.extend(requests.into_iter().map(|(_, line)| line));
        }
        return Ok(lines);
    }
    if let Some(t) = state
        .terminated
        .as_ref()
        .filter(|t| t.container_id.is_some())
    {
        return Ok(terminated_lines(t));
    }
    if let Some(t) = last.filter(|t| t.container_id.is_some()) {
        return Ok(terminated_lines(t));
    }
    if state.terminated.is_some() || last.is_some() {
        return Err(format!(
            "container {} in pod {} is terminated",
            go_quote(container),
            go_quote(pod_name)
        ));
    }
    let reason = state
        .waiting
        .and_then(|w| w.reason)
        .unwrap_or_else(|| "ContainerCreating".into());
    let why = match reason.as_str() {
        "ErrImagePull" => "image can't be pulled".to_string(),
        "ImagePullBackOff" => "trying and failing to pull image".to_string(),
        other => other.to_string(),
    };
    Err(format!(
        "container {} in pod {} is waiting to start: {why}",
        go_quote(container),
        go_quote(pod_name)
    ))
}

/// The lines of one instance started at `started`, with its crash lines if it ended in the
/// `:crash` app's own exit (code 1).
fn instance_lines(
    image: &str,
    ip: &str,
    started: Option<&crate::types::Time>,
    ended: Option<&ContainerStateTerminated>,
) -> Vec<String> {
    let started = started.map_or(0, millis_of);
    let unix = crate::time::timestamp(started).0;
    let crashed =
        images::tag(image) == Some(images::CRASH_TAG) && ended.is_some_and(|t| t.exit_code == 1);
    images::log_lines(image, unix, ip, crashed)
}

/// The access-log lines, with their times, of the requests the cluster network delivered to
/// the app of `container` since it `started`.
fn network_requests(
    cluster: &Cluster,
    pod: &Pod,
    container: &Container,
    started: Millis,
) -> Vec<(Millis, String)> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let image = container.image.as_deref().unwrap_or("");
    let mut lines = Vec::new();
    for access in cluster.network().access_log(namespace, name) {
        if access.container != container.name || access.at < started {
            continue;
        }
        let unix = crate::time::timestamp(access.at).0;
        let (status, body) = images::response_body(image, name, &access.path, unix);
        let line = images::request_line(
            image,
            &access.client,
            unix,
            &access.path,
            status,
            body.len(),
            &access.agent,
        );
        if let Some(line) = line {
            lines.push((access.at, line));
        }
    }
    lines
}

/// The access-log lines, with their times, of the `httpGet` probes that reached the app of
/// `container` between `up` and `now`: the probe workers' ticks (on the grid anchored at the
/// pod's start, none before `initialDelaySeconds` after `started`) on a port the app listens
/// on.
fn probe_requests(
    pod: &Pod,
    container: &Container,
    ip: &str,
    started: Millis,
    up: Millis,
    now: Millis,
) -> Vec<(Millis, String)> {
    let image = container.image.as_deref().unwrap_or("");
    let anchor = pod
        .status
        .as_ref()
        .and_then(|s| s.start_time.as_ref())
        .map_or(started, millis_of);
    let client = match ip.rsplit_once('.') {
        Some((prefix, _)) => format!("{prefix}.1"),
        None => return Vec::new(),
    };
    let declared: Vec<i32> = container
        .ports
        .iter()
        .flatten()
        .map(|p| p.container_port)
        .collect();
    let mut requests: Vec<(Millis, String)> = Vec::new();
    for kind in [ProbeKind::Readiness, ProbeKind::Liveness] {
        let Some(probe) = kind.of(container) else {
            continue;
        };
        let Some(get) = &probe.http_get else {
            continue;
        };
        let port = prober::port_of(&get.port, container);
        if !port.is_some_and(|p| images::listens_on(image, p, &declared)) {
            continue;
        }
        let timing = prober::Timing::of(probe);
        let delay = Millis::try_from(timing.initial_delay_seconds).unwrap_or(0) * SECOND;
        let path = get.path.as_deref().unwrap_or("/");
        let mut tick = prober::next_tick(anchor, timing.period, up.max(started + delay));
        while tick <= now {
            let unix = crate::time::timestamp(tick).0;
            if let Some(line) = images::access_line(image, &client, unix, path) {
                requests.push((tick, line));
            }
            tick += timing.period;
        }
    }
    requests
}

/// The pod `kubectl logs deploy/NAME` reads: kubectl's `GetFirstPod` sorts the selected pods
/// with `podutils.ByLogging` (scheduled first; Running, then Unknown, then Pending; ready
/// first; more restarts first; older first) and takes the first.
pub fn first_pod<'a>(pods: &[&'a Pod]) -> Option<&'a Pod> {
    let rank = |p: &Pod| {
        let phase_rank = match crate::pod::phase(p) {
            "Running" => 0,
            "Unknown" => 1,
            "Pending" => 2,
            _ => 3,
        };
        let restarts: i32 = p
            .status
            .iter()
            .flat_map(|s| s.container_statuses.iter().flatten())
            .map(|c| c.restart_count)
            .sum();
        let created = p.metadata.creation_timestamp.map_or(i64::MAX, |t| t.0);
        (
            crate::pod::node_name(p).is_none(),
            phase_rank,
            !crate::pod::is_ready(p),
            -i64::from(restarts),
            created,
        )
    };
    let mut sorted: Vec<&'a Pod> = pods.to_vec();
    crate::sort::sort_by(&mut sorted, |a, b| rank(a).cmp(&rank(b)));
    sorted.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Kind;
    use crate::network::connect::{self, Origin, Outcome, Request};
    use serde_json::json;

    #[test]
    fn answered_requests_join_the_access_log_in_time_order() {
        let mut c = Cluster::new(1);
        let pod = |name: &str, image: &str| {
            json!({"metadata": {"name": name, "namespace": "default"},
                   "spec": {"containers": [{"name": "app", "image": image,
                                            "command": ["sleep", "3600"]}]}})
        };
        c.create_json(Kind::Pod, pod("web", "nginx:1.27"))
            .expect("web");
        c.create_json(Kind::Pod, pod("client", "busybox:1.36"))
            .expect("client");
        c.advance(30_000);
        let ip = |c: &Cluster, name: &str| {
            c.store()
                .get::<Pod>("default", name)
                .and_then(|p| connect::pod_ip(p).map(str::to_string))
                .unwrap_or_default()
        };
        let (web_ip, client_ip) = (ip(&c, "web"), ip(&c, "client"));
        let origin = Origin::Pod("default".into(), "client".into());
        let requests = [
            (
                Request {
                    agent: "Wget",
                    path: "/",
                },
                true,
            ),
            (
                Request {
                    agent: "curl/7.88.1",
                    path: "/nope",
                },
                true,
            ),
        ];
        for (request, answered) in requests {
            let outcome = connect::connect(&mut c, &origin, &web_ip, 80, "TCP", request);
            assert_eq!(matches!(outcome, Outcome::Answered(_)), answered);
            c.advance(1_000);
        }
        let refused = connect::connect(
            &mut c,
            &origin,
            &web_ip,
            81,
            "TCP",
            connect::TRAFFIC_REQUEST,
        );
        assert_eq!(refused, Outcome::Refused);
        let web = c
            .store()
            .get::<Pod>("default", "web")
            .cloned()
            .expect("web");
        let lines = container_logs(&c, &web, "app", false).expect("logs");
        let access: Vec<&String> = lines.iter().filter(|l| l.contains("GET")).collect();
        assert_eq!(
            access,
            vec![
                &format!("{client_ip} - - [01/Jan/2025:00:00:30 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"Wget\" \"-\""),
                &format!("{client_ip} - - [01/Jan/2025:00:00:31 +0000] \"GET /nope HTTP/1.1\" 404 153 \"-\" \"curl/7.88.1\" \"-\""),
            ]
        );
    }
}
