//! The catalogue of container images the playground knows, and how each behaves on a node.
//!
//! A real kubelet's timings come from the registry, the network and the app; here each image has
//! a small profile: how long pulling it takes, how long the app needs after starting before it
//! serves (the moment it accepts connections on its ports), the ports it listens on, what it
//! does on SIGTERM and the lines it prints. Durations are ranges; the kubelet model draws a
//! value from the cluster's seeded generator, so a run is reproducible.
//!
//! | image | listens on | pull | start-up | on SIGTERM | serves after SIGTERM | log lines at start |
//! |---|---|---|---|---|---|---|
//! | `flask-app` | 5000 | 2-4 s | 1.5-3 s | exits (0.2-1 s, code 143: Python has no handler) | no | Flask's ` * Serving Flask app 'app'` ... ` * Running on http://IP:5000` |
//! | `nginx` | 80 | 1.5-3 s | 0.2-0.6 s | exits (0.1-0.5 s, code 0) | no | `/docker-entrypoint.sh: ...` lines, then `[notice]` lines |
//! | `busybox` | nothing | 0.5-1.2 s | none | ignores it (`sleep` as PID 1): SIGKILL after the grace period, code 137 | - | none |
//! | `agnhost` | 8080, UDP 8081 and its declared ports | 2-3.5 s | 0.3-0.8 s | exits (0.1-0.5 s, code 2) | no | `Started HTTP server on port 8080`, `Started UDP server on port 8081` |
//! | `coredns` | 53 (TCP and UDP), 8080, 8181, 9153 | 1-2 s | 0.2-0.5 s | exits after its 5 s lameduck (code 0) | 5 s (`lameduck 5s`) | `.:53`, `CoreDNS-1.11.3`, `linux/amd64, go1.21.11, a6338e9` |
//! | anything else | its declared `containerPort`s (with their protocol) | 1-3 s | 0.5-1.5 s | exits (0.2-1 s, code 0) | no | none |
//!
//! Ports are TCP unless said otherwise. "Serves after SIGTERM" is how long an app keeps
//! accepting connections once the kubelet signals it ([`ImageProfile::drains_ms`]): most apps
//! stop listening at once (the listener dies with the process, or is closed first thing), so
//! a request routed to them in that window is refused; CoreDNS drains.
//!
//! `busybox` without a `command` runs the image's `sh`, which has no terminal and exits at once
//! with code 0 (so a Deployment of plain busybox goes Completed, then CrashLoopBackOff, as on
//! a real cluster); with a command it runs until stopped.
//!
//! Failure modes are chosen by tag, for any image:
//! - `:broken`: the tag does not exist. Every pull fails after 0.3-1.2 s (the registry answers
//!   "not found"), with containerd's error, and the kubelet backs off (ErrImagePull,
//!   ImagePullBackOff). Registries are not simulated: any other reference pulls.
//! - `:crash`: the app starts, prints its start-up lines and an error, and exits with code 1
//!   after 1-3 s (CrashLoopBackOff).

use crate::time::Millis;
use rand_core::Rng;

/// What a container's main process does when the kubelet sends SIGTERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigtermBehaviour {
    /// The app shuts down by itself, after a delay drawn from this range (inclusive, ms), with
    /// this exit code (0 for a clean shutdown, 128 + 15 when the signal's default action kills
    /// it).
    ExitsWithin(Millis, Millis, i32),
    /// The process ignores the signal (e.g. `sleep` as PID 1, which has no handler) and is
    /// killed with SIGKILL when the grace period ends (exit code 137).
    Ignores,
}

/// The access-log formats of the catalogue's web servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessLog {
    /// Werkzeug's development server (Flask):
    /// `10.244.1.1 - - [01/Jan/2025 00:00:10] "GET / HTTP/1.1" 200 -`.
    Werkzeug,
    /// nginx's `main` format with the probe's user agent, as the official image logs:
    /// `10.244.1.1 - - [01/Jan/2025:00:00:10 +0000] "GET / HTTP/1.1" 200 615 "-"
    /// "kube-probe/1.32" "-"`.
    NginxCombined,
}

/// How one image behaves in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageProfile {
    /// The repository name the profile applies to (the last path segment, without tag).
    pub name: &'static str,
    /// The ports the app listens on (TCP) whatever the pod declares.
    pub ports: &'static [i32],
    /// The UDP ports the app listens on whatever the pod declares.
    pub udp_ports: &'static [i32],
    /// Whether the app also listens on every `containerPort` the pod declares (agnhost's
    /// `--http-port`, and unknown images, which are assumed to serve what they declare).
    pub serves_declared_ports: bool,
    /// Whether the app is a server; a plain command (busybox) serves nothing.
    pub serves: bool,
    /// The image pull time range, inclusive, in ms.
    pub pull_ms: (Millis, Millis),
    /// The image size the kubelet reports in its `Pulled` event (roughly the real image's
    /// compressed linux/amd64 size).
    pub size_bytes: u64,
    /// The time from container start until the app accepts connections, inclusive, in ms.
    pub startup_ms: (Millis, Millis),
    /// What the app does on SIGTERM.
    pub on_sigterm: SigtermBehaviour,
    /// How long the app keeps accepting connections after SIGTERM, in ms (0: it stops at
    /// once); CoreDNS's `lameduck 5s` keeps answering while it shuts down.
    pub drains_ms: Millis,
    /// The lines the app prints when it starts, as the real image prints them. `{ip}` stands
    /// for the pod IP and `{time}` for the start time in Go's and nginx's log format
    /// (`2025/01/01 00:00:05`).
    pub start_log: &'static [&'static str],
    /// The access-log line the app writes for each HTTP request (probes included), with
    /// `{client}`, `{time}` (in the app's own format) and `{path}`; `None` if it logs none.
    pub access_log: Option<AccessLog>,
    /// How many of the start-up lines the `:crash` variant prints before its error.
    pub crash_after_lines: usize,
    /// The lines the `:crash` variant prints before exiting with code 1.
    pub crash_log: &'static [&'static str],
}

/// The demo web app of the lessons: a small Flask server on port 5000 (Python starts slowly).
/// Its lines are the Flask 3 development server's (`flask run --host=0.0.0.0`).
pub const FLASK_APP: ImageProfile = ImageProfile {
    name: "flask-app",
    ports: &[5000],
    udp_ports: &[],
    serves_declared_ports: false,
    serves: true,
    pull_ms: (2_000, 4_000),
    size_bytes: 52_428_800,
    startup_ms: (1_500, 3_000),
    on_sigterm: SigtermBehaviour::ExitsWithin(200, 1_000, 143),
    drains_ms: 0,
    start_log: &[
        " * Serving Flask app 'app'",
        " * Debug mode: off",
        "WARNING: This is a development server. Do not use it in a production deployment. \
         Use a production WSGI server instead.",
        " * Running on all addresses (0.0.0.0)",
        " * Running on http://127.0.0.1:5000",
        " * Running on http://{ip}:5000",
        "Press CTRL+C to quit",
    ],
    access_log: Some(AccessLog::Werkzeug),
    crash_after_lines: 0,
    crash_log: &[
        "Traceback (most recent call last):",
        "  File \"/app/app.py\", line 6, in <module>",
        "    DATABASE_URL = os.environ[\"DATABASE_URL\"]",
        "                   ~~~~~~~~~~^^^^^^^^^^^^^^^^",
        "  File \"<frozen os>\", line 714, in __getitem__",
        "KeyError: 'DATABASE_URL'",
    ],
};

/// nginx: a fast-starting web server on port 80 that exits quickly on SIGTERM. Its lines are
/// the official image's entrypoint and nginx's own notices (nginx 1.27 on Debian bookworm).
pub const NGINX: ImageProfile = ImageProfile {
    name: "nginx",
    ports: &[80],
    udp_ports: &[],
    serves_declared_ports: false,
    serves: true,
    pull_ms: (1_500, 3_000),
    size_bytes: 72_223_946,
    startup_ms: (200, 600),
    on_sigterm: SigtermBehaviour::ExitsWithin(100, 500, 0),
    drains_ms: 0,
    start_log: &[
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
        "{time} [notice] 1#1: using the \"epoll\" event method",
        "{time} [notice] 1#1: nginx/1.27.3",
        "{time} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
        "{time} [notice] 1#1: OS: Linux 6.8.0-51-generic",
        "{time} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "{time} [notice] 1#1: start worker processes",
        "{time} [notice] 1#1: start worker process 29",
        "{time} [notice] 1#1: start worker process 30",
    ],
    access_log: Some(AccessLog::NginxCombined),
    crash_after_lines: 9,
    crash_log: &[
        "{time} [emerg] 1#1: host not found in upstream \"backend:5000\" in /etc/nginx/conf.d/default.conf:3",
        "nginx: [emerg] host not found in upstream \"backend:5000\" in /etc/nginx/conf.d/default.conf:3",
    ],
};

/// busybox: a tiny image that runs a shell command (typically `sleep`); it serves nothing and,
/// as PID 1 without a signal handler, ignores SIGTERM until the grace period ends.
pub const BUSYBOX: ImageProfile = ImageProfile {
    name: "busybox",
    ports: &[],
    udp_ports: &[],
    serves_declared_ports: false,
    serves: false,
    pull_ms: (500, 1_200),
    size_bytes: 2_167_176,
    startup_ms: (0, 0),
    on_sigterm: SigtermBehaviour::Ignores,
    drains_ms: 0,
    start_log: &[],
    access_log: None,
    crash_after_lines: 0,
    crash_log: &["sh: can't open 'start.sh': No such file or directory"],
};

/// agnhost, the Kubernetes e2e test image; `agnhost netexec` serves HTTP on 8080 and UDP
/// on 8081 (its `--http-port` and `--udp-port` defaults), and here also every declared port.
/// Its lines are netexec's Go `log.Printf` lines.
pub const AGNHOST: ImageProfile = ImageProfile {
    name: "agnhost",
    ports: &[8080],
    udp_ports: &[8081],
    serves_declared_ports: true,
    serves: true,
    pull_ms: (2_000, 3_500),
    size_bytes: 51_230_421,
    startup_ms: (300, 800),
    on_sigterm: SigtermBehaviour::ExitsWithin(100, 500, 2),
    drains_ms: 0,
    start_log: &[
        "{time} Started HTTP server on port 8080",
        "{time} Started UDP server on port 8081",
    ],
    access_log: None,
    crash_after_lines: 0,
    crash_log: &["Error: unknown command \"netexc\" for \"agnhost\""],
};

/// Any other image: a generic server on its declared ports with middling timings that exits
/// promptly, and prints nothing.
pub const GENERIC: ImageProfile = ImageProfile {
    name: "",
    ports: &[],
    udp_ports: &[],
    serves_declared_ports: true,
    serves: true,
    pull_ms: (1_000, 3_000),
    size_bytes: 31_457_280,
    startup_ms: (500, 1_500),
    on_sigterm: SigtermBehaviour::ExitsWithin(200, 1_000, 0),
    drains_ms: 0,
    start_log: &[],
    access_log: None,
    crash_after_lines: 0,
    crash_log: &["fatal: exiting with status 1"],
};

/// CoreDNS, the cluster DNS server kubeadm installs (`registry.k8s.io/coredns/coredns:v1.11.3`):
/// DNS on 53, `health` on 8080, `ready` on 8181 and Prometheus metrics on 9153, as kubeadm's
/// Corefile configures it; its `lameduck 5s` delays the exit on SIGTERM. Its lines are
/// CoreDNS 1.11.3's start-up banner.
pub const COREDNS: ImageProfile = ImageProfile {
    name: "coredns",
    ports: &[53, 8080, 8181, 9153],
    udp_ports: &[53],
    serves_declared_ports: false,
    serves: true,
    pull_ms: (1_000, 2_000),
    size_bytes: 18_562_039,
    startup_ms: (200, 500),
    on_sigterm: SigtermBehaviour::ExitsWithin(5_000, 5_200, 0),
    drains_ms: 5_000,
    start_log: &[".:53", "CoreDNS-1.11.3", "linux/amd64, go1.21.11, a6338e9"],
    access_log: None,
    crash_after_lines: 1,
    crash_log: &[
        "[FATAL] plugin/loop: Loop (127.0.0.1:40215 -> :53) detected for zone \".\", see \
         https://coredns.io/plugins/loop#troubleshooting. Query: \"HINFO 4547991504243258144.3688648895315093531.\"",
    ],
};

/// Every image with a profile of its own.
pub const CATALOGUE: [ImageProfile; 5] = [FLASK_APP, NGINX, BUSYBOX, AGNHOST, COREDNS];

/// The tag that makes any image unpullable.
pub const BROKEN_TAG: &str = "broken";

/// The tag that makes any image crash shortly after it starts.
pub const CRASH_TAG: &str = "crash";

/// How long a failing pull takes before the registry's "not found" comes back, inclusive, ms.
pub const FAILED_PULL_MS: (Millis, Millis) = (300, 1_200);

/// How long a `:crash` app runs before it exits with code 1, inclusive, ms.
pub const CRASH_AFTER_MS: (Millis, Millis) = (1_000, 3_000);

/// How long busybox's `sh` runs without a terminal before exiting 0, inclusive, ms.
const SHELL_EXIT_MS: (Millis, Millis) = (20, 80);

/// How a started container's main process ends by itself, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It runs until it is stopped.
    Never,
    /// It exits with this code after a time drawn from the range (inclusive, ms).
    After((Millis, Millis), i32),
}

/// How the main process of a container with `image` ends by itself, given the container's
/// `command` and `args`. busybox has no ENTRYPOINT and `CMD ["sh"]`, so `args` alone replace
/// the shell: `kubectl run c --image=busybox -- sleep 3600` runs `sleep 3600`, which exits 0
/// after an hour; a bare `sh` without a terminal exits at once.
pub fn exit(image: &str, command: Option<&[String]>, args: Option<&[String]>) -> Exit {
    if tag(image) == Some(CRASH_TAG) {
        return Exit::After(CRASH_AFTER_MS, 1);
    }
    if profile(image).name != BUSYBOX.name {
        return Exit::Never;
    }
    let argv: Vec<&str> = match (command, args) {
        (None, None) => vec!["sh"],
        (command, args) => command
            .into_iter()
            .chain(args)
            .flatten()
            .map(String::as_str)
            .collect(),
    };
    process_exit(&argv)
}

/// How busybox runs `argv`: a bare shell exits without a terminal, `sleep N` (also inside
/// `sh -c`) after N seconds; anything else is taken to run until stopped.
fn process_exit(argv: &[&str]) -> Exit {
    if matches!(argv, ["sh"] | []) {
        return Exit::After(SHELL_EXIT_MS, 0);
    }
    match sleep_seconds(argv) {
        Some(seconds) => {
            let ms = seconds.saturating_mul(1_000);
            Exit::After((ms, ms), 0)
        }
        None => Exit::Never,
    }
}

/// The seconds `argv` sleeps when it is `sleep N` (any path to `sleep`; `N` or `Ns`) or a
/// shell running only that (`sh -c "sleep N"`, any shell path); `None` for anything else.
pub fn sleep_seconds(argv: &[&str]) -> Option<Millis> {
    let words: Vec<&str> = match argv {
        [shell, "-c", script] if shell.ends_with("sh") => script.split_whitespace().collect(),
        _ => argv.to_vec(),
    };
    match words.as_slice() {
        [program, seconds] if program.rsplit('/').next() == Some("sleep") => {
            seconds.trim_end_matches('s').parse().ok()
        }
        _ => None,
    }
}

/// The error a pull of `image` fails with, as containerd reports a tag that does not exist
/// through the CRI (`rpc error: code = NotFound desc = failed to pull and unpack image ...`),
/// or `None` when the image pulls.
pub fn pull_error(image: &str) -> Option<String> {
    if tag(image) != Some(BROKEN_TAG) {
        return None;
    }
    let full = normalized(image);
    Some(format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": \
         failed to resolve reference \"{full}\": {full}: not found"
    ))
}

/// The fully qualified reference containerd resolves (`ParseNormalizedNamed`): Docker Hub's
/// `docker.io` and its `library/` for official images are added, `:latest` when untagged.
pub fn normalized(image: &str) -> String {
    let (first, rest) = image.split_once('/').unwrap_or(("", image));
    let has_domain = first.contains('.') || first.contains(':') || first == "localhost";
    let mut full = if has_domain {
        image.to_string()
    } else if first.is_empty() {
        format!("docker.io/library/{image}")
    } else {
        format!("docker.io/{first}/{rest}")
    };
    if tag(image).is_none() && !image.contains('@') {
        full.push_str(":latest");
    }
    full
}

/// Whether an app of `image` listens on TCP `port` once it is up, given the container's
/// declared ports.
pub fn listens_on(image: &str, port: i32, declared: &[i32]) -> bool {
    let profile = profile(image);
    profile.serves
        && (own_port(profile, port, "TCP")
            || (profile.serves_declared_ports && declared.contains(&port)))
}

/// Whether the app of `profile` listens on `port` with `protocol` (`TCP`, `UDP`) by itself,
/// whatever the pod declares.
pub fn own_port(profile: &ImageProfile, port: i32, protocol: &str) -> bool {
    match protocol {
        "TCP" => profile.ports.contains(&port),
        "UDP" => profile.udp_ports.contains(&port),
        _ => false,
    }
}

/// The access-log line an app of `image` writes for a `GET path` from `client` at `unix_ms`
/// by the kubelet's prober (user agent `kube-probe/1.32`), if it keeps an access log.
pub fn access_line(image: &str, client: &str, unix_ms: i64, path: &str) -> Option<String> {
    // The simulated prober always succeeds against a serving app: its requests log as 200s.
    request_line(image, client, unix_ms, path, 200, 615, "kube-probe/1.32")
}

/// The access-log line an app of `image` writes for a `GET path` from `client` at `unix_ms`
/// with user agent `agent`, answered with `status` and `bytes` of body, if it keeps a log.
pub fn request_line(
    image: &str,
    client: &str,
    unix_ms: i64,
    path: &str,
    status: u16,
    bytes: usize,
    agent: &str,
) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // 2025-01-01T00:00:10Z -> 01/Jan/2025 and 00:00:10.
    let stamp = crate::time::format_rfc3339(unix_ms);
    let (date, clock) = stamp.trim_end_matches('Z').split_once('T')?;
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let month = MONTHS.get(month.parse::<usize>().ok()?.checked_sub(1)?)?;
    let day = format!("{day}/{month}/{year}");
    Some(match profile(image).access_log? {
        AccessLog::Werkzeug => {
            format!("{client} - - [{day} {clock}] \"GET {path} HTTP/1.1\" {status} -")
        }
        AccessLog::NginxCombined => format!(
            "{client} - - [{day}:{clock} +0000] \"GET {path} HTTP/1.1\" {status} {bytes} \"-\" \"{agent}\" \"-\""
        ),
    })
}

/// The lines a container of `image` prints when it starts at `started` (Unix ms) with pod IP
/// `ip`, followed by its crash lines when `crashed`.
pub fn log_lines(image: &str, started: i64, ip: &str, crashed: bool) -> Vec<String> {
    let profile = profile(image);
    let time = crate::time::format_rfc3339(started)
        .replace('-', "/")
        .replace('T', " ")
        .replace('Z', "");
    let fill = |line: &&str| line.replace("{ip}", ip).replace("{time}", &time);
    if !crashed {
        return profile.start_log.iter().map(fill).collect();
    }
    // A crashing app stops part-way: flask dies importing the app before Flask prints
    // anything, nginx after its entrypoint when it reads its configuration.
    profile
        .start_log
        .iter()
        .take(profile.crash_after_lines)
        .chain(profile.crash_log)
        .map(fill)
        .collect()
}

/// The repository name of an image reference: the last path segment without tag or digest,
/// e.g. `registry.k8s.io/e2e-test-images/agnhost:2.53` gives `agnhost`.
pub fn repository_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// The tag of an image reference (`None` when it has none, or only a digest), e.g.
/// `localhost:5000/web:1.0` gives `1.0`.
pub fn tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag)
}

/// The profile of an image reference; unknown images get [`GENERIC`].
pub fn profile(image: &str) -> &'static ImageProfile {
    let name = repository_name(image);
    CATALOGUE
        .iter()
        .find(|p| p.name == name)
        .unwrap_or(&GENERIC)
}

/// A duration drawn uniformly from the inclusive range `(lo, hi)`.
pub fn draw(range: (Millis, Millis), rng: &mut impl Rng) -> Millis {
    let (lo, hi) = range;
    if hi <= lo {
        return lo;
    }
    lo + rng.next_u64() % (hi - lo + 1)
}

/// The default page of the official nginx image (`/usr/share/nginx/html/index.html`, 615
/// bytes).
const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx 1.27's built-in 404 page (its lines end in CRLF: 153 bytes).
const NGINX_404: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n\
<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n";

/// Werkzeug 3's 404 page.
const WERKZEUG_404: &str = "<!doctype html>
<html lang=en>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
";

/// What an app of `image` in pod `pod` answers to `GET path` at `unix_ms`: the HTTP status
/// and the body. nginx serves its default page at `/` and `/index.html`; the lessons'
/// flask-app answers `/` with its version and pod (`Hello from flask-app v2 (pod NAME)`) and
/// `/healthz` with `ok`; `agnhost netexec` answers `/hostname` with the pod name, `/` with
/// `NOW: ` and the time (Go's `time.Time` format, without the monotonic reading) and
/// `/echo?msg=M` with `M`; other paths get each server's 404 page. Any other image answers
/// 200 with an empty body.
pub fn response_body(image: &str, pod: &str, path: &str, unix_ms: i64) -> (u16, String) {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let name = profile(image).name;
    if name == NGINX.name {
        return match route {
            "/" | "/index.html" => (200, NGINX_INDEX.to_string()),
            _ => (404, NGINX_404.to_string()),
        };
    }
    if name == FLASK_APP.name {
        let version = tag(image).unwrap_or("latest");
        return match route {
            "/" => (200, format!("Hello from flask-app {version} (pod {pod})\n")),
            "/healthz" => (200, "ok\n".to_string()),
            _ => (404, WERKZEUG_404.to_string()),
        };
    }
    if name == AGNHOST.name {
        return match route {
            "/hostname" => (200, pod.to_string()),
            "/echo" => (200, query.strip_prefix("msg=").unwrap_or("").to_string()),
            "/" => {
                let stamp = crate::time::format_rfc3339(unix_ms).replace('T', " ");
                let fraction = format!(".{:03}", unix_ms.rem_euclid(1000));
                let fraction = fraction.trim_end_matches('0').trim_end_matches('.');
                let stamp = stamp.trim_end_matches('Z');
                (200, format!("NOW: {stamp}{fraction} +0000 UTC"))
            }
            _ => (404, "404 page not found\n".to_string()),
        };
    }
    (200, String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SimRng;

    #[test]
    fn references_resolve_to_profiles() {
        let table = [
            ("nginx", "nginx", None),
            ("nginx:1.27", "nginx", Some("1.27")),
            ("docker.io/library/nginx:1.27", "nginx", Some("1.27")),
            ("localhost:5000/flask-app:2.0", "flask-app", Some("2.0")),
            (
                "registry.k8s.io/e2e-test-images/agnhost:2.53",
                "agnhost",
                Some("2.53"),
            ),
            ("busybox@sha256:abc", "busybox", None),
            ("example.com/other", "", None),
        ];
        for (image, profile_name, image_tag) in table {
            assert_eq!(profile(image).name, profile_name, "{image}");
            assert_eq!(tag(image), image_tag, "{image}");
        }
    }

    #[test]
    fn failure_modes_come_from_the_tag() {
        let table = [
            (
                "flask-app:broken",
                Some("docker.io/library/flask-app:broken"),
            ),
            ("me/app:broken", Some("docker.io/me/app:broken")),
            (
                "localhost:5000/web:broken",
                Some("localhost:5000/web:broken"),
            ),
            ("flask-app:1.0", None),
        ];
        for (image, full) in table {
            let expected = full.map(|f| {
                format!(
                    "rpc error: code = NotFound desc = failed to pull and unpack image \"{f}\": \
                     failed to resolve reference \"{f}\": {f}: not found"
                )
            });
            assert_eq!(pull_error(image), expected, "{image}");
        }
        assert_eq!(normalized("nginx"), "docker.io/library/nginx:latest");
        // (image, command, args, how it ends): busybox's CMD is `sh`, replaced by args alone.
        let hour = (3_600_000, 3_600_000);
        type Argv<'a> = Option<&'a [&'a str]>;
        let exits: [(&str, Argv, Argv, Exit); 9] = [
            ("nginx:crash", None, None, Exit::After(CRASH_AFTER_MS, 1)),
            ("busybox", None, None, Exit::After(SHELL_EXIT_MS, 0)),
            (
                "busybox",
                Some(&["sh"]),
                None,
                Exit::After(SHELL_EXIT_MS, 0),
            ),
            (
                "busybox",
                None,
                Some(&["sleep", "3600"]),
                Exit::After(hour, 0),
            ),
            (
                "busybox",
                Some(&["sleep"]),
                Some(&["3600"]),
                Exit::After(hour, 0),
            ),
            ("busybox", Some(&["sleep", "infinity"]), None, Exit::Never),
            (
                "busybox",
                Some(&["sh", "-c", "sleep 5"]),
                None,
                Exit::After((5_000, 5_000), 0),
            ),
            (
                "busybox",
                Some(&["sh", "-c", "while true; do date; done"]),
                None,
                Exit::Never,
            ),
            ("nginx:1.27", None, Some(&["sleep", "1"]), Exit::Never),
        ];
        let owned =
            |v: Option<&[&str]>| v.map(|v| v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        for (image, command, args, expected) in exits {
            let (command, args) = (owned(command), owned(args));
            assert_eq!(
                exit(image, command.as_deref(), args.as_deref()),
                expected,
                "{image} {command:?} {args:?}"
            );
        }
    }

    #[test]
    fn log_lines_fill_in_the_pod_ip_and_time() {
        let start = crate::time::START_UNIX_MS + 5_000;
        let flask = log_lines("flask-app:1.0", start, "10.244.1.5", false);
        assert_eq!(
            flask.first().map(String::as_str),
            Some(" * Serving Flask app 'app'")
        );
        assert!(flask.contains(&" * Running on http://10.244.1.5:5000".to_string()));
        let nginx = log_lines("nginx:1.27", start, "10.244.1.5", false);
        assert_eq!(
            nginx.get(9).map(String::as_str),
            Some("2025/01/01 00:00:05 [notice] 1#1: using the \"epoll\" event method")
        );
        let crashed = log_lines("nginx:crash", start, "", true);
        assert_eq!(crashed.len(), 11);
        assert_eq!(
            log_lines("flask-app:crash", start, "", true)
                .last()
                .map(String::as_str),
            Some("KeyError: 'DATABASE_URL'")
        );
        assert!(log_lines("busybox", start, "", false).is_empty());
        let at = crate::time::START_UNIX_MS + 10_000;
        assert_eq!(
            access_line("flask-app:1.0", "10.244.1.1", at, "/").as_deref(),
            Some("10.244.1.1 - - [01/Jan/2025 00:00:10] \"GET / HTTP/1.1\" 200 -")
        );
        assert_eq!(
            access_line("nginx", "10.244.1.1", at, "/").as_deref(),
            Some(
                "10.244.1.1 - - [01/Jan/2025:00:00:10 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \
                 \"kube-probe/1.32\" \"-\""
            )
        );
        assert_eq!(access_line("busybox", "10.244.1.1", at, "/"), None);
        assert!(listens_on("agnhost", 9000, &[9000]));
        assert!(!listens_on("nginx", 9000, &[9000]));
        assert!(listens_on("myapp:1", 3000, &[3000]));
    }

    #[test]
    fn draws_stay_in_range_and_repeat_per_seed() {
        let mut a = SimRng::new(3, 0);
        let mut b = SimRng::new(3, 0);
        for _ in 0..100 {
            let x = draw(NGINX.pull_ms, &mut a);
            assert!((1_500..=3_000).contains(&x));
            assert_eq!(x, draw(NGINX.pull_ms, &mut b));
        }
        assert_eq!(draw((7, 7), &mut a), 7);
    }
}
