//! The kubelet's probe workers (`pkg/kubelet/prober/worker.go`): one per container and probe
//! kind, ticking every `periodSeconds` on a grid anchored at the pod's start, skipping ticks
//! before `initialDelaySeconds`, and changing the result only after `successThreshold`
//! successes or `failureThreshold` failures in a row. A liveness failure puts the worker on
//! hold until the container is replaced.
//!
//! What a probe sees is decided by the image catalogue: an `httpGet` or `tcpSocket` probe
//! succeeds once the app is up and listens on the probed port ([`crate::images::listens_on`]),
//! and fails with Go's `connection refused` otherwise; the app answers at once (so
//! `timeoutSeconds` never matters) and every path returns 200. An `exec` probe succeeds while
//! the container runs (commands are not run).

use crate::images;
use crate::time::{Millis, SECOND};
use crate::types::{Container, IntOrString, Probe};

/// Which of a container's probes a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    /// `readinessProbe`: decides whether the container is ready.
    Readiness,
    /// `livenessProbe`: a failure restarts the container.
    Liveness,
}

impl ProbeKind {
    /// The word the kubelet's `Unhealthy` events start with.
    pub fn word(self) -> &'static str {
        match self {
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
        }
    }

    /// The container's probe of this kind.
    pub fn of(self, container: &Container) -> Option<&Probe> {
        match self {
            ProbeKind::Readiness => container.readiness_probe.as_ref(),
            ProbeKind::Liveness => container.liveness_probe.as_ref(),
        }
    }
}

/// A probe's numbers after API defaulting (`SetDefaults_Probe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// `initialDelaySeconds` (default 0).
    pub initial_delay_seconds: i32,
    /// `periodSeconds` in ms (default 10 s; at least 1 s).
    pub period: Millis,
    /// `successThreshold` (default 1).
    pub success_threshold: i32,
    /// `failureThreshold` (default 3).
    pub failure_threshold: i32,
}

impl Timing {
    /// The timing of `probe`, with the API's defaults for unset fields.
    pub fn of(probe: &Probe) -> Timing {
        let period = Millis::try_from(probe.period_seconds.unwrap_or(10).max(1)).unwrap_or(10);
        Timing {
            initial_delay_seconds: probe.initial_delay_seconds.unwrap_or(0),
            period: period * SECOND,
            success_threshold: probe.success_threshold.unwrap_or(1).max(1),
            failure_threshold: probe.failure_threshold.unwrap_or(3).max(1),
        }
    }
}

/// A probe worker's memory between ticks (`worker` in worker.go).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Worker {
    /// The last probe result (`lastResult`), `None` before the first.
    pub last_result: Option<bool>,
    /// How many times in a row it came out that way (`resultRun`).
    pub result_run: i32,
    /// Stopped after a liveness failure until a new container appears (`onHold`).
    pub on_hold: bool,
    /// The container the worker last saw.
    pub container_id: String,
    /// Whether its next tick is scheduled.
    pub scheduled: bool,
}

/// What a worker does with one probe result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Below the threshold: the container's result does not change.
    Unchanged,
    /// The result is now success (`true`) or failure (`false`).
    Set(bool),
}

impl Worker {
    /// Counts one result (`doProbe`'s threshold logic): the container's result changes only
    /// after `success_threshold` successes or `failure_threshold` failures in a row. A
    /// liveness failure that counts puts the worker on hold and restarts its run.
    ///
    /// Concrete example: failure threshold 3 gives Unchanged, Unchanged, Set(false).
    pub fn record(&mut self, kind: ProbeKind, ok: bool, timing: Timing) -> Outcome {
        if self.last_result == Some(ok) {
            self.result_run += 1;
        } else {
            self.last_result = Some(ok);
            self.result_run = 1;
        }
        let threshold = if ok {
            timing.success_threshold
        } else {
            timing.failure_threshold
        };
        if self.result_run < threshold {
            return Outcome::Unchanged;
        }
        if kind == ProbeKind::Liveness && !ok {
            self.on_hold = true;
            self.result_run = 0;
        }
        Outcome::Set(ok)
    }

    /// A new container (a restart): probing resumes (worker.go resets `onHold` when the
    /// container ID changes).
    pub fn see_container(&mut self, id: &str) {
        if self.container_id != id {
            self.container_id = id.to_string();
            self.on_hold = false;
        }
    }
}

/// The first tick at or after `now` on the grid `anchor + n * period`.
pub fn next_tick(anchor: Millis, period: Millis, now: Millis) -> Millis {
    if now <= anchor || period == 0 {
        return anchor.max(now);
    }
    let n = (now - anchor).div_ceil(period);
    anchor + n * period
}

/// The probe's port number: a number, or the name of one of the container's ports.
pub fn port_of(port: &IntOrString, container: &Container) -> Option<i32> {
    match port {
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => container
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}

/// Runs `probe` against `container` at pod IP `ip`, whose app is `up` (listening) or not:
/// `Ok` or the probe's failure output as the kubelet's prober reports it.
pub fn run(probe: &Probe, container: &Container, ip: &str, up: bool) -> Result<(), String> {
    let image = container.image.as_deref().unwrap_or("");
    let declared: Vec<i32> = container
        .ports
        .iter()
        .flatten()
        .map(|p| p.container_port)
        .collect();
    let listening =
        |port: Option<i32>| up && port.is_some_and(|p| images::listens_on(image, p, &declared));
    if let Some(get) = &probe.http_get {
        let port = port_of(&get.port, container);
        if listening(port) {
            return Ok(());
        }
        let host = get.host.as_deref().filter(|h| !h.is_empty()).unwrap_or(ip);
        let port = port.unwrap_or(0);
        let scheme = get.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase();
        let path = get.path.as_deref().unwrap_or("/");
        return Err(format!(
            "Get \"{scheme}://{host}:{port}{path}\": dial tcp {host}:{port}: connect: connection refused"
        ));
    }
    if let Some(tcp) = &probe.tcp_socket {
        let port = port_of(&tcp.port, container);
        if listening(port) {
            return Ok(());
        }
        let host = tcp.host.as_deref().filter(|h| !h.is_empty()).unwrap_or(ip);
        let port = port.unwrap_or(0);
        return Err(format!(
            "dial tcp {host}:{port}: connect: connection refused"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_decide_when_the_result_changes() {
        // worker_test.go TestSuccessThreshold / TestFailureThreshold, with the API defaults
        // (success 1, failure 3) and a success threshold of 3.
        let defaults = Timing::of(&Probe::default());
        assert_eq!(
            defaults,
            Timing {
                initial_delay_seconds: 0,
                period: 10_000,
                success_threshold: 1,
                failure_threshold: 3
            }
        );
        let three = Timing {
            success_threshold: 3,
            ..defaults
        };
        use Outcome::{Set, Unchanged};
        type Row<'a> = (&'a str, ProbeKind, Timing, &'a [bool], &'a [Outcome]);
        let table: [Row; 4] = [
            (
                "readiness fails on the third failure",
                ProbeKind::Readiness,
                defaults,
                &[false, false, false, false],
                &[Unchanged, Unchanged, Set(false), Set(false)],
            ),
            (
                "a success resets the failure run",
                ProbeKind::Readiness,
                defaults,
                &[false, false, true, false, false, false],
                &[
                    Unchanged,
                    Unchanged,
                    Set(true),
                    Unchanged,
                    Unchanged,
                    Set(false),
                ],
            ),
            (
                "success threshold 3",
                ProbeKind::Readiness,
                three,
                &[true, true, true, true],
                &[Unchanged, Unchanged, Set(true), Set(true)],
            ),
            (
                "liveness restarts its run after a failure counts",
                ProbeKind::Liveness,
                defaults,
                &[false, false, false, false, false, false],
                &[
                    Unchanged,
                    Unchanged,
                    Set(false),
                    Unchanged,
                    Unchanged,
                    Set(false),
                ],
            ),
        ];
        for (name, kind, timing, results, expected) in table {
            let mut worker = Worker::default();
            let outcomes: Vec<Outcome> = results
                .iter()
                .map(|ok| worker.record(kind, *ok, timing))
                .collect();
            assert_eq!(outcomes, expected, "{name}");
        }
    }

    #[test]
    fn ticks_sit_on_the_period_grid() {
        let table = [
            (0, 10_000, 0, 0),
            (0, 10_000, 1, 10_000),
            (500, 10_000, 10_500, 10_500),
            (500, 5_000, 12_000, 15_500),
            (3_000, 10_000, 1_000, 3_000),
        ];
        for (anchor, period, now, expected) in table {
            assert_eq!(next_tick(anchor, period, now), expected);
        }
    }

    #[test]
    fn probes_see_the_catalogue() {
        use crate::types::{ContainerPort, HTTPGetAction, TCPSocketAction};
        let container = |image: &str| Container {
            name: "web".into(),
            image: Some(image.into()),
            ports: Some(vec![ContainerPort {
                container_port: 9000,
                name: Some("http".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let http = |port: IntOrString| Probe {
            http_get: Some(HTTPGetAction {
                port,
                path: Some("/".into()),
                scheme: Some("HTTP".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let refused = "Get \"http://10.244.1.5:8080/\": dial tcp 10.244.1.5:8080: connect: connection refused";
        type Row<'a> = (&'a str, Probe, &'a str, bool, Result<(), &'a str>);
        let table: [Row; 7] = [
            ("nginx on 80", http(IntOrString::Int(80)), "nginx", true, Ok(())),
            ("nginx not up yet", http(IntOrString::Int(80)), "nginx", false, Err("Get \"http://10.244.1.5:80/\": dial tcp 10.244.1.5:80: connect: connection refused")),
            ("nobody on 8080", http(IntOrString::Int(8080)), "flask-app:1.0", true, Err(refused)),
            ("flask on 5000", http(IntOrString::Int(5000)), "flask-app:1.0", true, Ok(())),
            ("agnhost serves a declared named port", http(IntOrString::String("http".into())), "agnhost", true, Ok(())),
            ("nginx does not serve its declared 9000", Probe { tcp_socket: Some(TCPSocketAction { port: IntOrString::Int(9000), ..Default::default() }), ..Default::default() }, "nginx", true, Err("dial tcp 10.244.1.5:9000: connect: connection refused")),
            ("busybox serves nothing", http(IntOrString::Int(80)), "busybox", true, Err("Get \"http://10.244.1.5:80/\": dial tcp 10.244.1.5:80: connect: connection refused")),
        ];
        for (name, probe, image, up, expected) in table {
            let got = run(&probe, &container(image), "10.244.1.5", up);
            assert_eq!(got, expected.map_err(str::to_string), "{name}");
        }
    }
}
