//! The kplay scenario-script language, shared by `kplay run`, the interactive shell and the
//! web console.
//!
//! One command per line; blank lines and `#` comments are skipped. A line is one of:
//! - `kubectl ARGS...`, split with shell quoting; a heredoc (`<<EOF`, `<<'EOF'`, `<<"EOF"`,
//!   `<<-EOF` which strips leading tabs) feeds the following lines, up to the delimiter, to
//!   the command's standard input (`kubectl apply -f - <<EOF`);
//! - `sleep DURATION` (`500ms`, `5s`, `2m`, `1h`, `1m30s`; a bare number is seconds),
//!   which advances virtual time;
//! - `kplay ...`, actions kubectl has no word for: `kplay cluster load-balancers on|off`
//!   turns the simulated cloud load-balancer provider on (the default) or off;
//!   `kplay traffic start svc/NAME [--rate=N] [--from=outside|pod/NAME] [-n NS]` starts a
//!   client sending N requests per second (default 10) to the Service, from outside the
//!   cluster (the default: it needs a NodePort or LoadBalancer Service) or from a pod of the
//!   Service's namespace; `kplay traffic rate svc/NAME N` changes the rate,
//!   `kplay traffic stop svc/NAME` stops it, and `kplay traffic` prints the sources and the
//!   counters since the cluster started:
//!
//!   ```text
//!   SERVICE       FROM         RATE
//!   default/web   outside      10/s
//!
//!   VERSION   ANSWERED
//!   1.27      120
//!   1.28      80
//!   FAILED    3
//!   ```
//!
//!   (`No traffic is being sent.` in place of the first table when no source runs).
//!
//! Time stands still between lines: only `sleep`, `kubectl rollout status`, `drain` and
//! `get -w` move it. A `kubectl get -w` without `--request-timeout` watches through the
//! `sleep` lines that follow it: its rows show what changes during them, and those sleeps
//! then take no further time (as if the watch ran in the background while the script
//! slept), so the clock ends where it would without the watch. This is decided when the
//! script is parsed, so every host that runs the steps one by one gets it.
//! The transcript of a step is `$ ` and the line as written, then what the command wrote to
//! stdout, then to stderr (heredoc bodies are not echoed). A failing command does not stop
//! a script; only a malformed script is an error, reported before anything runs.

use crate::{Files, Output};
use kplay_core::{Cluster, Millis};

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step of a script: a kubectl command (with its heredoc) or a `sleep`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The 1-based line the step starts on.
    pub line: usize,
    /// The line as written (without its heredoc body).
    pub text: String,
    /// The step's lines as written, heredoc included: what a host records to replay it.
    pub source: String,
    action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Kubectl {
        args: Vec<String>,
        stdin: Option<String>,
    },
    Sleep(Millis),
    LoadBalancers(bool),
    Traffic(Traffic),
}

/// A `kplay traffic ...` line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Traffic {
    Show,
    Start {
        namespace: String,
        service: String,
        from: Option<String>,
        rate: u32,
    },
    Rate {
        namespace: String,
        service: String,
        rate: u32,
    },
    Stop {
        namespace: String,
        service: String,
    },
}

/// Why a script is malformed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole script.
pub fn parse(source: &str) -> Result<Script, ParseError> {
    // Each line with its line break too, so that a step's source is its text as written.
    let written: Vec<&str> = source.split_inclusive('\n').collect();
    let lines: Vec<&str> = written.iter().map(|l| without_line_break(l)).collect();
    let mut steps = Vec::new();
    let mut index = 0;
    while let Some(raw) = lines.get(index) {
        let line = index + 1;
        index += 1;
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let err = |message: String| ParseError { line, message };
        let mut words = shell_words::split(text)
            .map_err(|_| err("unterminated quote in the line".to_string()))?;
        let heredoc = take_heredoc(&mut words).map_err(err)?;
        let stdin = match heredoc {
            Some((delimiter, strip_tabs)) => {
                let mut body = String::new();
                let mut closed = false;
                while let Some(body_line) = lines.get(index) {
                    index += 1;
                    let candidate = if strip_tabs {
                        body_line.trim_start_matches('\t')
                    } else {
                        body_line
                    };
                    if candidate == delimiter {
                        closed = true;
                        break;
                    }
                    body.push_str(candidate);
                    body.push('\n');
                }
                if !closed {
                    return Err(err(format!(
                        "the heredoc is not closed: no line \"{delimiter}\" follows"
                    )));
                }
                Some(body)
            }
            None => None,
        };
        let action = match words.first().map(String::as_str) {
            Some("kubectl") => Action::Kubectl {
                args: words[1..].to_vec(),
                stdin,
            },
            Some("sleep") => {
                if stdin.is_some() {
                    return Err(err("sleep takes no heredoc".into()));
                }
                match words.as_slice() {
                    [_, duration] => Action::Sleep(parse_sleep(duration).map_err(err)?),
                    _ => return Err(err("usage: sleep DURATION (e.g. 500ms, 5s, 2m; a bare number is seconds)".into())),
                }
            }
            Some("kplay") => match words.iter().skip(1).map(String::as_str).collect::<Vec<_>>()[..] {
                ["cluster", "load-balancers", switch @ ("on" | "off")] if stdin.is_none() => {
                    Action::LoadBalancers(switch == "on")
                }
                ["traffic", ..] if stdin.is_none() => Action::Traffic(parse_traffic(&words[2..]).map_err(err)?),
                [] => return Err(err(format!("a kplay line needs an action ({KPLAY_ACTIONS})"))),
                _ => return Err(err(format!("unknown kplay command \"{}\" ({KPLAY_ACTIONS})", words[1..].join(" ")))),
            },
            Some(other) => {
                return Err(err(format!(
                    "unknown command \"{other}\": a line is a kubectl command, sleep DURATION, or a kplay action"
                )))
            }
            None => return Err(err("a heredoc needs a command".into())),
        };
        let source = written.get(line - 1..index).unwrap_or_default().concat();
        let source = without_line_break(&source).to_string();
        steps.push(Step {
            line,
            text: text.to_string(),
            source,
            action,
        });
    }
    bound_watches(&mut steps);
    Ok(Script { steps })
}

/// A line without its line break: the `\n` and every `\r` before it (`\r\n`, and stray
/// `\r`s that no one sees), whether or not a `\n` follows, so that a line reads the same
/// at the end of the text as before another line.
fn without_line_break(line: &str) -> &str {
    line.strip_suffix('\n')
        .unwrap_or(line)
        .trim_end_matches('\r')
}

/// What `kplay` lines exist, for the parse errors.
const KPLAY_ACTIONS: &str =
    "kplay knows: cluster load-balancers on|off; traffic [start|stop|rate] svc/NAME";

/// The usage of `kplay traffic`, for its parse errors.
const TRAFFIC_USAGE: &str = "usage: kplay traffic [start svc/NAME [--rate=N] [--from=outside|pod/NAME] | rate svc/NAME N | stop svc/NAME] [-n NS]";

/// Parses the words after `kplay traffic`.
fn parse_traffic(words: &[String]) -> Result<Traffic, String> {
    let mut namespace = "default".to_string();
    let mut rate: Option<String> = None;
    let mut from: Option<String> = None;
    let mut positional: Vec<&str> = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let (name, inline) = match word.split_once('=') {
            Some((n, v)) if n.starts_with('-') => (n, Some(v.to_string())),
            _ => (word.as_str(), None),
        };
        let slot = match name {
            "-n" | "--namespace" => &mut namespace,
            "--rate" => rate.get_or_insert_with(String::new),
            "--from" => from.get_or_insert_with(String::new),
            flag if flag.starts_with('-') => {
                return Err(format!("unknown flag {flag} ({TRAFFIC_USAGE})"))
            }
            _ => {
                positional.push(word);
                continue;
            }
        };
        *slot = match inline.or_else(|| iter.next().cloned()) {
            Some(value) => value,
            None => return Err(format!("{name} needs a value ({TRAFFIC_USAGE})")),
        };
    }
    let service = |word: &str| match word.split_once('/') {
        Some(("svc" | "service" | "services", name)) if !name.is_empty() => Ok(name.to_string()),
        _ => Err(format!(
            "expected svc/NAME, not \"{word}\" ({TRAFFIC_USAGE})"
        )),
    };
    let number = |text: &str| {
        text.parse::<u32>()
            .map_err(|_| format!("the rate must be a whole number, not \"{text}\""))
    };
    if let Some(f) = &from {
        if f != "outside" && f.strip_prefix("pod/").is_none_or(str::is_empty) {
            return Err(format!("--from is outside or pod/NAME, not \"{f}\""));
        }
    }
    match (positional.as_slice(), rate) {
        ([], None) if from.is_none() => Ok(Traffic::Show),
        (["start", svc], rate) => Ok(Traffic::Start {
            namespace,
            service: service(svc)?,
            from,
            rate: number(rate.as_deref().unwrap_or("10"))?,
        }),
        (["rate", svc, n], None) if from.is_none() => Ok(Traffic::Rate {
            namespace,
            service: service(svc)?,
            rate: number(n)?,
        }),
        (["stop", svc], None) if from.is_none() => Ok(Traffic::Stop {
            namespace,
            service: service(svc)?,
        }),
        _ => Err(TRAFFIC_USAGE.to_string()),
    }
}

/// Runs a `kplay traffic` line.
fn run_traffic(cluster: &mut Cluster, traffic: &Traffic) -> Output {
    use kplay_core::network::connect::Origin;
    use kplay_core::network::traffic;
    let mut out = Output::default();
    let origin = |namespace: &str, from: &Option<String>| match from.as_deref() {
        Some(f) => match f.strip_prefix("pod/") {
            Some(pod) => Origin::Pod(namespace.to_string(), pod.to_string()),
            None => Origin::Outside,
        },
        None => Origin::Outside,
    };
    match traffic {
        Traffic::Show => out.out(&traffic_table(cluster)),
        Traffic::Start {
            namespace,
            service,
            from,
            rate,
        } => {
            let from = origin(namespace, from);
            if let Err(e) = traffic::start(cluster, namespace, service, from, *rate) {
                out.fail(&e);
            }
        }
        Traffic::Rate {
            namespace,
            service,
            rate,
        } => {
            let key = (namespace.clone(), service.clone());
            let from = cluster
                .network()
                .traffic()
                .sources()
                .get(&key)
                .map(|s| s.from.clone());
            match from {
                Some(from) => {
                    if let Err(e) = traffic::start(cluster, namespace, service, from, *rate) {
                        out.fail(&e);
                    }
                }
                None => out.fail(&format!(
                    "error: no traffic is being sent to service \"{service}\""
                )),
            }
        }
        Traffic::Stop { namespace, service } => {
            if !traffic::stop(cluster, namespace, service) {
                out.fail(&format!(
                    "error: no traffic is being sent to service \"{service}\""
                ));
            }
        }
    }
    out
}

/// `kplay traffic`'s report: the sources, then the answered requests by version and the
/// failed ones since the cluster started, in two aligned tables.
fn traffic_table(cluster: &Cluster) -> String {
    use kplay_core::network::connect::Origin;
    let traffic = cluster.network().traffic();
    let mut rows = vec![vec!["SERVICE".to_string(), "FROM".into(), "RATE".into()]];
    if traffic.sources().is_empty() {
        rows = vec![vec!["No traffic is being sent.".to_string()]];
    }
    for ((namespace, name), source) in traffic.sources() {
        let from = match &source.from {
            Origin::Outside => "outside".to_string(),
            Origin::Pod(_, pod) => format!("pod/{pod}"),
        };
        rows.push(vec![
            format!("{namespace}/{name}"),
            from,
            format!("{}/s", source.rate),
        ]);
    }
    let mut counts = vec![vec!["VERSION".to_string(), "ANSWERED".into()]];
    for (version, n) in traffic.answered_total() {
        counts.push(vec![version.clone(), n.to_string()]);
    }
    counts.push(vec!["FAILED".into(), traffic.failed_total().to_string()]);
    let mut text = crate::printers::table::render(&rows);
    text.push('\n');
    text.push_str(&crate::printers::table::render(&counts));
    text
}

/// Gives each `kubectl get -w` without `--request-timeout` the total of the `sleep` lines
/// right after it as its timeout, and makes those sleeps take no time.
fn bound_watches(steps: &mut [Step]) {
    for i in 0..steps.len() {
        let Action::Kubectl { args, .. } = &steps[i].action else {
            continue;
        };
        if !is_unbounded_watch(args) {
            continue;
        }
        let mut total: Millis = 0;
        for step in steps[i + 1..].iter_mut() {
            let Action::Sleep(ms) = &mut step.action else {
                break;
            };
            total = total.saturating_add(*ms);
            *ms = 0;
        }
        if let Action::Kubectl { args, .. } = &mut steps[i].action {
            args.push(format!("--request-timeout={total}ms"));
        }
    }
}

/// The first two words of a kubectl command that are not flags (`rollout`, `status`), skipping
/// the values of the global flags that take one (`-n NS`).
fn command_words(args: &[String]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut args = args.iter().map(String::as_str);
    while let Some(arg) = args.next() {
        if matches!(
            arg,
            "-n" | "--namespace" | "--context" | "--kubeconfig" | "-s" | "--server"
        ) {
            args.next();
        } else if !arg.starts_with('-') {
            words.push(arg);
            if words.len() == 2 {
                break;
            }
        }
    }
    words
}

/// Whether a kubectl command only reads the cluster, as its verb says.
fn is_read_only(args: &[String]) -> bool {
    match command_words(args)[..] {
        ["rollout", sub, ..] => matches!(sub, "status" | "history"),
        [verb, ..] => matches!(
            verb,
            "get"
                | "describe"
                | "logs"
                | "explain"
                | "events"
                | "version"
                | "api-resources"
                | "cluster-info"
                | "top"
        ),
        [] => true,
    }
}

/// `kubectl get ... -w` (or `--watch`, `--watch-only`) with no `--request-timeout`.
fn is_unbounded_watch(args: &[String]) -> bool {
    is_watch(args) && !args.iter().any(|a| a.starts_with("--request-timeout"))
}

/// `kubectl get ... -w` (or `--watch`, `--watch-only`).
fn is_watch(args: &[String]) -> bool {
    command_words(args).first() == Some(&"get")
        && args.iter().any(|a| {
            matches!(
                a.as_str(),
                "-w" | "--watch" | "--watch=true" | "--watch-only" | "--watch-only=true"
            )
        })
}

/// Whether `source` ends inside an open heredoc, so that an interactive shell should read
/// more lines before parsing it.
pub fn is_incomplete(source: &str) -> bool {
    matches!(parse(source), Err(e) if e.message.starts_with("the heredoc is not closed"))
}

/// The script line that feeds `body` to `command`'s standard input: `command <<EOF`, the
/// body, and the delimiter, which is `EOF` unless a line of the body is exactly that (then
/// `EOF1`, `EOF2`, ...), so that any text the learner typed arrives whole.
pub fn heredoc(command: &str, body: &str) -> String {
    let taken = |delimiter: &str| {
        body.split_inclusive('\n')
            .any(|line| without_line_break(line) == delimiter)
    };
    let mut delimiter = "EOF".to_string();
    let mut n = 0;
    while taken(&delimiter) {
        n += 1;
        delimiter = format!("EOF{n}");
    }
    let newline = if body.is_empty() || body.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    format!("{command} <<{delimiter}\n{body}{newline}{delimiter}")
}

/// Removes a heredoc marker (`<<EOF`, `<< EOF`, `<<-EOF`; shell quoting already removed the
/// quotes of `<<'EOF'`) from the words; returns the delimiter and whether tabs are stripped.
fn take_heredoc(words: &mut Vec<String>) -> Result<Option<(String, bool)>, String> {
    let Some(at) = words.iter().position(|w| w.starts_with("<<")) else {
        return Ok(None);
    };
    let marker = words.remove(at);
    let mut rest = marker.trim_start_matches("<<").to_string();
    let strip_tabs = rest.starts_with('-');
    if strip_tabs {
        rest.remove(0);
    }
    if rest.is_empty() {
        if at < words.len() {
            rest = words.remove(at);
        } else {
            return Err("a heredoc needs a delimiter, e.g. <<EOF".into());
        }
    }
    if words.iter().any(|w| w.starts_with("<<")) {
        return Err("only one heredoc per line is supported".into());
    }
    Ok(Some((rest, strip_tabs)))
}

/// `sleep`'s duration: a bare number is seconds (`2`, `0.5`), anything else is a Go
/// duration (`500ms`, `5s`, `2m`, `1m30s`).
pub fn parse_sleep(text: &str) -> Result<Millis, String> {
    let bare = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let as_duration = if bare {
        format!("{text}s")
    } else {
        text.to_string()
    };
    match crate::duration::parse_go_duration(&as_duration) {
        Ok(Some(ms)) => Ok(ms),
        Ok(None) => Err(format!("sleep needs a positive duration, not \"{text}\"")),
        Err(_) => Err(format!(
            "invalid duration \"{text}\" (use e.g. 500ms, 5s, 2m; a bare number is seconds)"
        )),
    }
}

impl Step {
    /// The arguments after `kubectl` of a kubectl step, or `None` for a `sleep`; hosts use it
    /// to handle commands they implement themselves (the web app's `kubectl edit`).
    pub fn kubectl_args(&self) -> Option<&[String]> {
        match &self.action {
            Action::Kubectl { args, .. } => Some(args),
            Action::Sleep(_) | Action::LoadBalancers(_) | Action::Traffic(_) => None,
        }
    }

    /// Whether a host recording a session must keep this step to replay it: every step that
    /// can change the cluster, so not a `sleep` (the host records time apart) nor a command
    /// that only reads (`get`, `describe`, `logs`, `rollout status`, ...; a watch only waits).
    pub fn changes_cluster(&self) -> bool {
        match &self.action {
            Action::Kubectl { args, .. } => !is_read_only(args),
            Action::Sleep(_) => false,
            Action::LoadBalancers(_) | Action::Traffic(_) => true,
        }
    }

    /// Whether the step moves virtual time: a `sleep`, a watch, `kubectl rollout status`
    /// (which follows the rollout) or `kubectl drain` (which waits for evictions).
    pub fn moves_clock(&self) -> bool {
        match &self.action {
            Action::Sleep(_) => true,
            Action::Kubectl { args, .. } => {
                is_watch(args)
                    || matches!(
                        command_words(args)[..],
                        ["rollout", "status", ..] | ["drain", ..]
                    )
            }
            Action::LoadBalancers(_) | Action::Traffic(_) => false,
        }
    }

    /// How long a `sleep` step waits; `None` for any other step.
    pub fn sleep(&self) -> Option<Millis> {
        match &self.action {
            Action::Sleep(ms) => Some(*ms),
            Action::Kubectl { .. } | Action::LoadBalancers(_) | Action::Traffic(_) => None,
        }
    }
}

/// Runs one step against the cluster.
pub fn run_step(cluster: &mut Cluster, step: &Step) -> Output {
    run_step_with_files(cluster, step, &crate::no_files)
}

/// [`run_step`] with a reader for the files that `kubectl apply -f FILE` names.
pub fn run_step_with_files(cluster: &mut Cluster, step: &Step, files: Files<'_>) -> Output {
    match &step.action {
        Action::Kubectl { args, stdin } => {
            crate::run_with_files(cluster, args, stdin.as_deref(), files)
        }
        Action::Sleep(ms) => {
            cluster.advance(*ms);
            Output::default()
        }
        Action::LoadBalancers(on) => {
            cluster.set_load_balancers(*on);
            Output::default()
        }
        Action::Traffic(traffic) => run_traffic(cluster, traffic),
    }
}

/// "$ " + step.text + "\n" + stdout + stderr (heredoc bodies not echoed).
pub fn transcript(step: &Step, output: &Output) -> String {
    format!("$ {}\n{}{}", step.text, output.stdout, output.stderr)
}

/// Runs every step and returns the whole transcript.
pub fn run_script(cluster: &mut Cluster, script: &Script) -> String {
    run_script_with_files(cluster, script, &crate::no_files)
}

/// [`run_script`] with a reader for the files that `-f FILE` names.
pub fn run_script_with_files(cluster: &mut Cluster, script: &Script, files: Files<'_>) -> String {
    script
        .steps
        .iter()
        .map(|step| transcript(step, &run_step_with_files(cluster, step, files)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_source_parses_again_to_the_same_step() {
        // Found by fuzzing (`fuzz/`, target `session`): a line ending in `\r` lost it once the
        // lines were joined again with `\n` (`\r\n` is one line break), so a saved session read
        // back with another heredoc than the one that ran.
        // (name, script)
        let table = [
            (
                "a body line ending in CR",
                "kubectl apply -f - <<EOF\n\r\r\nEOF\n",
            ),
            (
                "a command line ending in CR",
                "kubectl get pods\r\r\nsleep 1s\n",
            ),
            (
                "CRLF line breaks",
                "kubectl apply -f - <<EOF\r\nkind: List\r\nEOF\r\nsleep 1s\r\n",
            ),
            ("a CR at the very end", "kubectl get pods\r"),
            (
                "tabs stripped",
                "kubectl apply -f - <<-EOF\n\tx: y\r\r\n\tEOF",
            ),
        ];
        for (name, text) in table {
            let script = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!script.steps.is_empty(), "{name}");
            for step in &script.steps {
                let again =
                    parse(&format!("{}\n", step.source)).unwrap_or_else(|e| panic!("{name}: {e}"));
                let again: Vec<_> = again
                    .steps
                    .iter()
                    .map(|s| (&s.text, &s.source, &s.action))
                    .collect();
                assert_eq!(again, [(&step.text, &step.source, &step.action)], "{name}");
            }
        }
    }

    #[test]
    fn script_lines() {
        let source = "\
# a comment

kubectl get pods -l 'app in (web, db)'
  sleep 5s
sleep 2
kubectl apply -f - <<'EOF'
apiVersion: v1
EOF
kubectl apply -f - <<-END
\tkind: Namespace
\tEND
";
        let script = parse(source).expect("valid");
        let lines: Vec<(usize, &str)> = script
            .steps
            .iter()
            .map(|s| (s.line, s.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (3, "kubectl get pods -l 'app in (web, db)'"),
                (4, "sleep 5s"),
                (5, "sleep 2"),
                (6, "kubectl apply -f - <<'EOF'"),
                (9, "kubectl apply -f - <<-END"),
            ]
        );
        assert_eq!(
            script.steps[0].action,
            Action::Kubectl {
                args: vec![
                    "get".into(),
                    "pods".into(),
                    "-l".into(),
                    "app in (web, db)".into()
                ],
                stdin: None
            }
        );
        // Each step's own lines, heredoc included: a host replays them as they were written.
        let sources: Vec<&str> = script.steps.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(
            sources,
            vec![
                "kubectl get pods -l 'app in (web, db)'",
                "  sleep 5s",
                "sleep 2",
                "kubectl apply -f - <<'EOF'\napiVersion: v1\nEOF",
                "kubectl apply -f - <<-END\n\tkind: Namespace\n\tEND",
            ]
        );
        assert_eq!(script.steps[1].sleep(), Some(5_000));
        let kept: Vec<bool> = script.steps.iter().map(Step::changes_cluster).collect();
        assert_eq!(kept, [false, false, false, true, true]);
        // (line, whether a recorded session keeps it)
        let table = [
            ("kubectl get pods -w", false),
            ("kubectl -n get get pods", false),
            ("kubectl -n kube-system describe pod x", false),
            ("kubectl rollout status deployment/web", false),
            ("kubectl rollout history deployment/web", false),
            ("kubectl logs web-1", false),
            ("kubectl rollout undo deployment/web", true),
            ("kubectl -n get scale deployment web --replicas=2", true),
            ("kubectl exec client -- wget -qO- web", true),
            ("kubectl label ns default team=a", true),
            ("kplay traffic start svc/web", true),
            ("kplay traffic", true),
        ];
        for (line, expected) in table {
            let steps = parse(line).map(|s| s.steps).unwrap_or_default();
            let kept: Vec<bool> = steps.iter().map(Step::changes_cluster).collect();
            assert_eq!(kept, [expected], "{line}");
        }
        // (line, whether it moves virtual time)
        let clock = [
            ("sleep 1s", true),
            ("kubectl get pods -w", true),
            ("kubectl -n default get pods --watch", true),
            ("kubectl rollout status deployment/web", true),
            ("kubectl -n prod rollout status deployment/web", true),
            ("kubectl drain kplay-worker --ignore-daemonsets", true),
            ("kubectl get pods", false),
            ("kubectl scale deployment web --replicas=2", false),
            ("kplay traffic start svc/web", false),
        ];
        for (line, expected) in clock {
            let steps = parse(line).map(|s| s.steps).unwrap_or_default();
            let moves: Vec<bool> = steps.iter().map(Step::moves_clock).collect();
            assert_eq!(moves, [expected], "{line}");
        }
        assert_eq!(script.steps[0].sleep(), None);
        assert_eq!(script.steps[1].action, Action::Sleep(5_000));
        assert_eq!(script.steps[2].action, Action::Sleep(2_000));
        assert_eq!(
            script.steps[3].action,
            Action::Kubectl {
                args: vec!["apply".into(), "-f".into(), "-".into()],
                stdin: Some("apiVersion: v1\n".into())
            }
        );
        assert_eq!(
            script.steps[4].action,
            Action::Kubectl {
                args: vec!["apply".into(), "-f".into(), "-".into()],
                stdin: Some("kind: Namespace\n".into())
            }
        );
    }

    #[test]
    fn a_heredoc_carries_any_body_whole() {
        let table = [
            ("a: 1\n", "kubectl apply -f - <<EOF\na: 1\nEOF"),
            ("a: 1", "kubectl apply -f - <<EOF\na: 1\nEOF"),
            (
                "x: |\n  EOF\nEOF\n",
                "kubectl apply -f - <<EOF1\nx: |\n  EOF\nEOF\nEOF1",
            ),
            ("EOF\nEOF1\n", "kubectl apply -f - <<EOF2\nEOF\nEOF1\nEOF2"),
        ];
        for (body, expected) in table {
            let line = heredoc("kubectl apply -f -", body);
            assert_eq!(line, expected);
            let script = parse(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let stdin = match &script.steps[..] {
                [Step {
                    action: Action::Kubectl { stdin, .. },
                    ..
                }] => stdin.clone(),
                _ => None,
            };
            let whole = if body.ends_with('\n') {
                body.to_string()
            } else {
                format!("{body}\n")
            };
            assert_eq!(stdin, Some(whole), "{line}");
        }
        // A line that reads as `EOF` once its `\r`s are dropped would close `<<EOF` too.
        assert_eq!(
            heredoc("kubectl apply -f -", "EOF\r\r\n"),
            "kubectl apply -f - <<EOF1\nEOF\r\r\nEOF1"
        );
    }

    #[test]
    fn a_watch_spends_the_sleeps_after_it() {
        let script = parse("kubectl get pods -w\nsleep 5s\nsleep 2s\nkubectl get pods\nsleep 1s\n")
            .expect("valid");
        assert_eq!(
            script.steps[0].action,
            Action::Kubectl {
                args: vec![
                    "get".into(),
                    "pods".into(),
                    "-w".into(),
                    "--request-timeout=7000ms".into()
                ],
                stdin: None
            }
        );
        let sleeps: Vec<&Action> = script.steps.iter().skip(1).map(|s| &s.action).collect();
        assert_eq!(sleeps[0], &Action::Sleep(0));
        assert_eq!(sleeps[1], &Action::Sleep(0));
        assert_eq!(sleeps[3], &Action::Sleep(1_000));
    }

    #[test]
    fn malformed_scripts() {
        let cases: &[(&str, usize, &str)] = &[
            ("kubectl get pods\nkubectl get 'pods\n", 2, "unterminated quote in the line"),
            ("sleep\n", 1, "usage: sleep DURATION (e.g. 500ms, 5s, 2m; a bare number is seconds)"),
            ("sleep 5x\n", 1, "invalid duration \"5x\" (use e.g. 500ms, 5s, 2m; a bare number is seconds)"),
            ("sleep -5s\n", 1, "sleep needs a positive duration, not \"-5s\""),
            ("kplay chaos\n", 1, "unknown kplay command \"chaos\" (kplay knows: cluster load-balancers on|off; traffic [start|stop|rate] svc/NAME)"),
            ("kplay cluster load-balancers maybe\n", 1, "unknown kplay command \"cluster load-balancers maybe\" (kplay knows: cluster load-balancers on|off; traffic [start|stop|rate] svc/NAME)"),
            ("kplay\n", 1, "a kplay line needs an action (kplay knows: cluster load-balancers on|off; traffic [start|stop|rate] svc/NAME)"),
            ("echo hi\n", 1, "unknown command \"echo\": a line is a kubectl command, sleep DURATION, or a kplay action"),
            ("\nkubectl apply -f - <<EOF\nkind: x\n", 2, "the heredoc is not closed: no line \"EOF\" follows"),
        ];
        for (source, line, message) in cases {
            let err = parse(source).err();
            assert_eq!(
                err,
                Some(ParseError {
                    line: *line,
                    message: message.to_string()
                }),
                "{source}"
            );
        }
        assert_eq!(
            ParseError {
                line: 3,
                message: "x".into()
            }
            .to_string(),
            "line 3: x"
        );
        assert!(is_incomplete("kubectl apply -f - <<EOF\nkind: x"));
        assert!(!is_incomplete("kubectl get pods"));
    }

    #[test]
    fn kplay_traffic_lines() {
        let parsed = |line: &str| parse(line).map(|s| s.steps[0].action.clone());
        let start = |from: Option<&str>, rate| {
            Ok(Action::Traffic(Traffic::Start {
                namespace: "shop".into(),
                service: "web".into(),
                from: from.map(String::from),
                rate,
            }))
        };
        let usage = |message: &str| {
            Err(ParseError {
                line: 1,
                message: message.to_string(),
            })
        };
        let table = [
            ("kplay traffic", Ok(Action::Traffic(Traffic::Show))),
            ("kplay traffic start svc/web -n shop", start(None, 10)),
            (
                "kplay traffic start -n=shop service/web --rate 50 --from=pod/client",
                start(Some("pod/client"), 50),
            ),
            (
                "kplay traffic rate svc/web 5",
                Ok(Action::Traffic(Traffic::Rate {
                    namespace: "default".into(),
                    service: "web".into(),
                    rate: 5,
                })),
            ),
            (
                "kplay traffic stop svc/web",
                Ok(Action::Traffic(Traffic::Stop {
                    namespace: "default".into(),
                    service: "web".into(),
                })),
            ),
            (
                "kplay traffic start web",
                usage(&format!("expected svc/NAME, not \"web\" ({TRAFFIC_USAGE})")),
            ),
            (
                "kplay traffic start svc/web --rate=fast",
                usage("the rate must be a whole number, not \"fast\""),
            ),
            (
                "kplay traffic start svc/web --from=inside",
                usage("--from is outside or pod/NAME, not \"inside\""),
            ),
            (
                "kplay traffic start svc/web --rate",
                usage(&format!("--rate needs a value ({TRAFFIC_USAGE})")),
            ),
            ("kplay traffic pause svc/web", usage(TRAFFIC_USAGE)),
        ];
        for (line, want) in table {
            assert_eq!(parsed(line), want, "{line}");
        }
    }

    #[test]
    fn kplay_lines_switch_the_load_balancer_provider() {
        let mut cluster = Cluster::new(1);
        let script = parse("kplay cluster load-balancers off\n").expect("valid");
        assert_eq!(
            run_script(&mut cluster, &script),
            "$ kplay cluster load-balancers off\n"
        );
        assert!(!cluster.load_balancers());
        run_script(
            &mut cluster,
            &parse("kplay cluster load-balancers on").expect("valid"),
        );
        assert!(cluster.load_balancers());
    }

    #[test]
    fn sleep_advances_virtual_time_and_transcripts_echo_the_line() {
        let mut cluster = Cluster::new(1);
        let script = parse("sleep 1m30s\nkubectl get ns\n").expect("valid");
        let text = run_script(&mut cluster, &script);
        assert_eq!(cluster.now(), 90_000);
        assert_eq!(
            text,
            "$ sleep 1m30s\n$ kubectl get ns\nNAME              STATUS   AGE\ndefault           Active   90s\nkube-node-lease   Active   90s\nkube-public       Active   90s\nkube-system       Active   90s\n"
        );
    }
}
