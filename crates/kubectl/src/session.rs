//! What the learner did, kept so that it can be done again: every command that can change
//! the cluster, at the virtual instant it ran. The core is deterministic, so a fresh cluster
//! of the same seed that runs the same commands at the same instants is the same cluster:
//! that is what the timeline (scrub back, replay), autosave and share links rest on.
//!
//! Saved and shared, a session is a kplay script (`kplay run` replays it), with a header:
//!
//! ```text
//! # kplay session 1
//! # seed 1
//! # at 95s
//! kubectl create deployment web --image=nginx:1.27
//! sleep 30s
//! kubectl scale deployment web --replicas=5
//! sleep 90s
//! ```
//!
//! `1` is the format's version; `at` is the moment the page shows (the script may go on past
//! it, when the learner scrubbed back); the last `sleep` runs the clock to the end.

use crate::script;
use kplay_core::{Cluster, Millis};

/// The first line of a session's text, with the format's version.
const HEADER: &str = "# kplay session 1";

/// The longest virtual time a session may span: replaying costs time in proportion.
pub const MAX_TIME: Millis = 4 * 3_600_000;

/// The most commands a session may hold.
pub const MAX_COMMANDS: usize = 2_000;

/// The largest session text accepted (a saved one, or a share link's once unpacked).
pub const MAX_TEXT: usize = 256 * 1024;

/// The commands that changed the cluster, each with the virtual instant it ran at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    seed: u64,
    /// (instant, the command's script text), in order.
    commands: Vec<(Millis, String)>,
}

impl Session {
    /// An empty session on a cluster of `seed`.
    pub fn new(seed: u64) -> Self {
        Session {
            seed,
            commands: Vec::new(),
        }
    }

    /// How many commands it holds.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether it holds no command yet.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Whether this session begins with the first `count` commands of `earlier`, on the same
    /// seed: then a cluster that replayed those can go on with this session's next ones.
    pub fn continues(&self, earlier: &Session, count: usize) -> bool {
        self.seed == earlier.seed
            && matches!(
                (self.commands.get(..count), earlier.commands.get(..count)),
                (Some(mine), Some(theirs)) if mine == theirs
            )
    }

    /// How many commands ran at or before `at`.
    pub fn count_until(&self, at: Millis) -> usize {
        self.commands.partition_point(|(t, _)| *t <= at)
    }

    /// Whether running `source` at `now` (after forgetting what came later, as a branch does)
    /// keeps the session within its limits, so that it can still be saved, shared and read
    /// back; when not, the console's error. A script that does not parse has room: running
    /// it reports why it does not.
    pub fn room_for(&self, now: Millis, source: &str) -> Result<(), String> {
        let Ok(script) = script::parse(source) else {
            return Ok(());
        };
        let kept = self.count_until(now);
        let changes: Vec<&script::Step> = script
            .steps
            .iter()
            .filter(|s| s.changes_cluster())
            .collect();
        let end = script
            .steps
            .iter()
            .filter_map(script::Step::sleep)
            .fold(now, Millis::saturating_add);
        // Each command may need a `sleep` line before it.
        let text: usize = HEADER.len()
            + 64
            + self.commands[..kept]
                .iter()
                .map(|(_, source)| source.len() + 16)
                .sum::<usize>()
            + changes.iter().map(|s| s.source.len() + 16).sum::<usize>();
        let full = if end > MAX_TIME {
            format!(
                "would span more than {} hours of virtual time",
                MAX_TIME / 3_600_000
            )
        } else if kept + changes.len() > MAX_COMMANDS {
            format!("holds {MAX_COMMANDS} commands")
        } else if text > MAX_TEXT {
            format!("would hold more than {} KB", MAX_TEXT / 1024)
        } else {
            return Ok(());
        };
        Err(format!(
            "error: the session {full}, kplay's limit for saving and sharing it; nothing was run. \
             Reset starts a new session (Share keeps this one first).\n"
        ))
    }

    /// Notes that `source` ran at `at`, after everything recorded so far.
    pub fn record(&mut self, at: Millis, source: String) {
        self.commands.push((at, source));
    }

    /// Forgets the commands after the first `keep`: the learner went back in time and did
    /// something else.
    pub fn truncate(&mut self, keep: usize) {
        self.commands.truncate(keep);
    }

    /// The command at `index`, with its instant.
    pub fn command(&self, index: usize) -> Option<(Millis, &str)> {
        self.commands.get(index).map(|(t, s)| (*t, s.as_str()))
    }

    /// The session as text: the header with the moment shown (`at`), then the commands with
    /// `sleep` lines between them, up to `end`.
    pub fn text(&self, at: Millis, end: Millis) -> String {
        let mut text = format!("{HEADER}\n# seed {}\n# at {}\n", self.seed, duration(at));
        let mut now = 0;
        for (t, source) in &self.commands {
            if *t > now {
                text.push_str(&format!("sleep {}\n", duration(t - now)));
                now = *t;
            }
            text.push_str(source);
            text.push('\n');
        }
        if end > now {
            text.push_str(&format!("sleep {}\n", duration(end - now)));
        }
        text
    }

    /// Reads a session's text back: the session, the moment to show and where it ends. Any
    /// text that is not a session of this format, or is beyond the limits, is refused with
    /// the reason.
    pub fn read(text: &str) -> Result<(Session, Millis, Millis), String> {
        if text.len() > MAX_TEXT {
            return Err(format!(
                "it is {} KB, more than the {} KB a session may hold",
                text.len() / 1024,
                MAX_TEXT / 1024
            ));
        }
        let mut lines = text.lines();
        match lines.next() {
            Some(HEADER) => {}
            Some(line) if line.starts_with("# kplay session ") => {
                return Err(format!(
                    "it was saved in another format (\"{line}\"; this kplay reads \"{HEADER}\")"
                ))
            }
            _ => {
                return Err(format!(
                    "it is not a kplay session (it should begin with \"{HEADER}\")"
                ))
            }
        }
        let seed = header_value(lines.next(), "seed")?
            .parse::<u64>()
            .map_err(|_| "its seed is not a number".to_string())?;
        let at = script::parse_sleep(header_value(lines.next(), "at")?)
            .map_err(|e| format!("its moment is not a duration: {e}"))?;
        let parsed = script::parse(text).map_err(|e| format!("its script is malformed: {e}"))?;
        let mut session = Session::new(seed);
        let mut now: Millis = 0;
        for step in &parsed.steps {
            match step.sleep() {
                Some(ms) => now = now.saturating_add(ms),
                None if step.changes_cluster() => session.record(now, step.source.clone()),
                None => {}
            }
            if now > MAX_TIME {
                return Err(format!(
                    "it spans more than {} hours of virtual time",
                    MAX_TIME / 3_600_000
                ));
            }
        }
        if session.len() > MAX_COMMANDS {
            return Err(format!("it holds more than {MAX_COMMANDS} commands"));
        }
        if at > now {
            return Err("its moment is after its end".into());
        }
        Ok((session, at, now))
    }

    /// A fresh cluster that ran the first `commands` commands, each at its instant, and then
    /// the clock up to `at`.
    pub fn replay(&self, commands: usize, at: Millis) -> Cluster {
        let mut cluster = Cluster::new(self.seed);
        for index in 0..commands {
            self.run_command(&mut cluster, index);
        }
        cluster.advance(at.saturating_sub(cluster.now()));
        cluster
    }

    /// Runs command `index` on `cluster` at its instant (advancing the clock to it first);
    /// returns the transcript of what it printed.
    pub fn run_command(&self, cluster: &mut Cluster, index: usize) -> String {
        let Some((at, source)) = self.command(index) else {
            return String::new();
        };
        cluster.advance(at.saturating_sub(cluster.now()));
        match script::parse(source) {
            Ok(parsed) => script::run_script(cluster, &parsed),
            Err(error) => format!("error: {error}\n"),
        }
    }
}

/// The value of header line `# NAME VALUE`.
fn header_value<'a>(line: Option<&'a str>, name: &str) -> Result<&'a str, String> {
    line.and_then(|l| l.strip_prefix("# "))
        .and_then(|l| l.strip_prefix(name))
        .and_then(|l| l.strip_prefix(' '))
        .ok_or_else(|| format!("its header has no \"# {name} ...\" line"))
}

/// A duration as `sleep` reads it: whole seconds as `95s`, anything else in milliseconds.
fn duration(ms: Millis) -> String {
    if ms % 1_000 == 0 {
        format!("{}s", ms / 1_000)
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::types::Deployment;

    fn session() -> Session {
        let mut session = Session::new(1);
        session.record(
            0,
            "kubectl create deployment web --image=nginx:1.27 --replicas=2".into(),
        );
        session.record(30_000, "kubectl scale deployment web --replicas=5".into());
        session.record(
            30_000,
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\nEOF".into(),
        );
        session.record(
            42_500,
            "kubectl set image deployment/web nginx=nginx:1.28".into(),
        );
        session
    }

    #[test]
    fn a_command_that_would_overfill_the_session_is_refused_before_it_runs() {
        let big = format!(
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  annotations:\n    x: \"{}\"\nEOF",
            "y".repeat(300 * 1024)
        );
        let mut full = Session::new(1);
        for i in 0..MAX_COMMANDS {
            full.record(1_000, format!("kubectl label ns default n={i} --overwrite"));
        }
        let some = session();
        // (name, session, now, source, refused for)
        let table: Vec<(&str, &Session, Millis, &str, Option<&str>)> = vec![
            (
                "a change with room",
                &some,
                50_000,
                "kubectl scale deployment web --replicas=3",
                None,
            ),
            (
                "a change when full",
                &full,
                2_000,
                "kubectl scale deployment web --replicas=3",
                Some("holds 2000 commands"),
            ),
            ("a read when full", &full, 2_000, "kubectl get pods", None),
            (
                "a change after going back to the start",
                &full,
                0,
                "kubectl scale deployment web --replicas=3",
                None,
            ),
            (
                "past four hours",
                &some,
                50_000,
                "sleep 4h",
                Some("would span more than 4 hours"),
            ),
            ("up to four hours", &some, 0, "sleep 4h", None),
            (
                "a manifest larger than a session",
                &some,
                50_000,
                &big,
                Some("would hold more than 256 KB"),
            ),
            (
                "a script that does not parse",
                &full,
                2_000,
                "kubectl apply -f - <<EOF",
                None,
            ),
        ];
        for (name, session, now, source, refused) in table {
            match (session.room_for(now, source), refused) {
                (Ok(()), None) => {}
                (Err(e), Some(why)) => {
                    assert!(
                        e.starts_with(&format!("error: the session {why}")),
                        "{name}: {e}"
                    );
                    assert!(e.contains("nothing was run"), "{name}: {e}");
                }
                (got, _) => panic!("{name}: {got:?}"),
            }
        }
    }

    #[test]
    fn what_the_session_has_room_for_reads_back() {
        // Filled with large commands until refused, the session is still one that reads back.
        let mut session = Session::new(1);
        let command = format!(
            "kubectl label ns default note={} --overwrite",
            "x".repeat(60)
        );
        let mut now = 0;
        while session.room_for(now, &command).is_ok() {
            session.record(now, command.clone());
            now += 1_000;
        }
        assert!(session.len() > 1_000);
        let (read, _, _) = Session::read(&session.text(now, now)).expect("reads back");
        assert_eq!(read, session);
    }

    #[test]
    fn a_session_is_a_script_that_reads_back_the_same() {
        let session = session();
        let text = session.text(40_000, 95_000);
        assert_eq!(
            text,
            "# kplay session 1\n# seed 1\n# at 40s\nkubectl create deployment web --image=nginx:1.27 --replicas=2\nsleep 30s\nkubectl scale deployment web --replicas=5\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\nEOF\nsleep 12500ms\nkubectl set image deployment/web nginx=nginx:1.28\nsleep 52500ms\n"
        );
        assert_eq!(Session::read(&text), Ok((session, 40_000, 95_000)));
    }

    #[test]
    fn replaying_gives_the_cluster_that_ran_live() {
        let session = session();
        let mut live = Cluster::new(1);
        for index in 0..session.len() {
            session.run_command(&mut live, index);
        }
        live.advance(95_000 - live.now());
        let replayed = session.replay(session.len(), 95_000);
        assert_eq!(replayed.now(), 95_000);
        assert_eq!(replayed.state_hash(), live.state_hash());
        // Back at 35s: scaled to 5, not yet updated to 1.28.
        let earlier = session.replay(session.count_until(35_000), 35_000);
        let web = earlier.store().get::<Deployment>("default", "web");
        let spec = web.and_then(|d| d.spec.as_ref());
        assert_eq!(spec.and_then(|s| s.replicas), Some(5));
        let image = spec
            .and_then(|s| s.template.spec.as_ref())
            .map(|p| p.containers[0].image.clone());
        assert_eq!(image, Some(Some("nginx:1.27".to_string())));
    }

    #[test]
    fn text_that_is_not_a_session_is_refused_with_the_reason() {
        let head = format!("{HEADER}\n# seed 1\n# at 0s\n");
        let big = format!("{head}{}", "#".repeat(MAX_TEXT + 1 - head.len()));
        let long = format!("{HEADER}\n# seed 1\n# at 0s\nsleep 5h\n");
        let many = format!(
            "{HEADER}\n# seed 1\n# at 0s\n{}",
            "kubectl label ns default a=b\n".repeat(MAX_COMMANDS + 1)
        );
        let table = [
            ("", "it is not a kplay session (it should begin with \"# kplay session 1\")"),
            ("hello", "it is not a kplay session (it should begin with \"# kplay session 1\")"),
            ("# kplay session 2\n", "it was saved in another format (\"# kplay session 2\"; this kplay reads \"# kplay session 1\")"),
            ("# kplay session 1\n", "its header has no \"# seed ...\" line"),
            ("# kplay session 1\n# seed x\n# at 0s\n", "its seed is not a number"),
            ("# kplay session 1\n# seed 1\n", "its header has no \"# at ...\" line"),
            ("# kplay session 1\n# seed 1\n# at soon\n", "its moment is not a duration: invalid duration \"soon\" (use e.g. 500ms, 5s, 2m; a bare number is seconds)"),
            ("# kplay session 1\n# seed 1\n# at 0s\nkubectl apply -f - <<EOF\n", "its script is malformed: line 4: the heredoc is not closed: no line \"EOF\" follows"),
            ("# kplay session 1\n# seed 1\n# at 0s\nrm -rf /\n", "its script is malformed: line 4: unknown command \"rm\": a line is a kubectl command, sleep DURATION, or a kplay action"),
            ("# kplay session 1\n# seed 1\n# at 10s\nsleep 5s\n", "its moment is after its end"),
            (big.as_str(), "it is 256 KB, more than the 256 KB a session may hold"),
            (long.as_str(), "it spans more than 4 hours of virtual time"),
            (many.as_str(), "it holds more than 2000 commands"),
        ];
        for (text, expected) in table {
            assert_eq!(
                Session::read(text).map(|_| ()),
                Err(expected.to_string()),
                "{text:.60}"
            );
        }
    }
}
