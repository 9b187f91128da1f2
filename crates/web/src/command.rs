//! Runs console input and button actions: text in the scenario-script language goes through
//! `kplay_kubectl`'s parser and executor, exactly as `kplay run` would run it, and comes back as
//! transcript entries for the console.

use kplay_core::{Cluster, Millis};
use kplay_kubectl::commands::edit::{self, EditSession};
use kplay_kubectl::script;
use yew::AttrValue;

/// One block of console output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A number unique within the session, the entry's key in the transcript list.
    pub id: u64,
    /// The text: `$ ` and the command line, then what it printed.
    pub text: AttrValue,
    /// How the entry is styled.
    pub tone: Tone,
}

/// The kind of a transcript entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A command that succeeded.
    Ok,
    /// A command that failed, or input that did not parse.
    Error,
    /// A note from the page itself (welcome text, reset).
    Note,
}

/// What running some console input did.
#[derive(Debug, Default)]
pub struct Ran {
    /// The transcript of each step as (text, tone).
    pub entries: Vec<(String, Tone)>,
    /// A `kubectl edit` that the page must open its YAML editor for; the steps after it do
    /// not run, as a terminal waits for the editor to close.
    pub edit: Option<EditSession>,
    /// The steps that can change the cluster, each with the virtual instant it ran at: what
    /// the page records in its [`kplay_kubectl::session::Session`].
    pub commands: Vec<(Millis, String)>,
    /// The steps this module leaves out (`kubectl describe`), for the lessons module to answer.
    pub asks: Vec<Ask>,
}

/// A command this module leaves out ([`kplay_kubectl::ELSEWHERE`]): the lessons module answers
/// it on a replay of the session at the moment it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The entry of [`Ran::entries`] that waits for the answer.
    pub entry: usize,
    /// How many of [`Ran::commands`] ran before it.
    pub after: usize,
    /// The virtual instant it ran at.
    pub at: Millis,
    /// The step as typed.
    pub source: String,
}

/// Whether running `source` would change the cluster or move its clock (so that, after the
/// learner went back in time, it starts a new story instead of replaying the old one).
pub fn changes(source: &str) -> bool {
    script::parse(source).is_ok_and(|parsed| {
        parsed
            .steps
            .iter()
            .any(|s| s.changes_cluster() || s.moves_clock())
    })
}

/// Runs `source` (one or more script lines, heredocs included) against `cluster`. A script
/// that does not parse runs nothing and returns the input with the parse error, as
/// `kplay run` reports it.
pub fn run(cluster: &mut Cluster, source: &str) -> Ran {
    let parsed = match script::parse(source) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Ran {
                entries: vec![(format!("{}error: {error}\n", echo(source)), Tone::Error)],
                ..Ran::default()
            }
        }
    };
    let mut ran = Ran::default();
    for step in &parsed.steps {
        // The replay that answers an ask runs the session before this step (which, if it
        // changed the cluster, did so here too), then the step.
        let before = ran.commands.len();
        let opened = step
            .kubectl_args()
            .and_then(|args| edit::begin(cluster, args));
        let output = match opened {
            Some(Ok(session)) => {
                let note = format!(
                    "$ {}\n# Editing {} in the YAML editor: save applies the change, cancel keeps the object as it is.\n",
                    step.text,
                    kplay_kubectl::printers::name::name(session.kind, &session.name).trim_end()
                );
                ran.entries.push((note, Tone::Note));
                ran.edit = Some(session);
                return ran;
            }
            Some(Err(output)) => output,
            None => {
                if step.changes_cluster() {
                    ran.commands.push((cluster.now(), step.source.clone()));
                }
                script::run_step(cluster, step)
            }
        };
        if output.exit_code == kplay_kubectl::ELSEWHERE {
            ran.asks.push(Ask {
                entry: ran.entries.len(),
                after: before,
                at: cluster.now(),
                source: step.source.clone(),
            });
            let waiting = format!("{}# Loading…\n", echo(&step.text));
            ran.entries.push((waiting, Tone::Note));
            continue;
        }
        ran.entries
            .push((script::transcript(step, &output), tone(&output)));
    }
    ran
}

/// The transcript style of a command's result.
pub fn tone(output: &kplay_kubectl::Output) -> Tone {
    if output.exit_code == 0 {
        Tone::Ok
    } else {
        Tone::Error
    }
}

/// The input as a shell shows it: `$ ` before the first line, `> ` before continuation lines.
fn echo(source: &str) -> String {
    source
        .trim_end()
        .lines()
        .enumerate()
        .map(|(i, line)| format!("{} {line}\n", if i == 0 { '$' } else { '>' }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::DEFAULT_SEED;

    #[test]
    fn the_commands_that_change_the_cluster_are_recorded_at_their_instant() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let source = "kubectl create deployment web --image=nginx\nkubectl get pods\nsleep 2s\nkubectl scale deployment web --replicas=3\nkubectl get pods -w\nsleep 1s\n";
        assert!(changes(source));
        let ran = run(&mut cluster, source);
        assert_eq!(
            ran.commands,
            [
                (0, "kubectl create deployment web --image=nginx".to_string()),
                (
                    2_000,
                    "kubectl scale deployment web --replicas=3".to_string()
                ),
            ]
        );
        let table = [
            ("kubectl get pods", false),
            ("kubectl describe deploy web\nkubectl logs x", false),
            ("sleep 1s", true),
            ("kubectl rollout status deployment/web", true),
            ("kubectl -n default get pods -w", true),
            ("kubectl delete pod x", true),
            ("kubectl apply -f - <<EOF", false),
        ];
        for (source, expected) in table {
            assert_eq!(changes(source), expected, "{source}");
        }
    }

    #[test]
    fn runs_each_step_and_reports_parse_errors_with_the_input() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let out = run(&mut cluster, "kubectl get deployments\nsleep 2s\n").entries;
        assert_eq!(
            out,
            [
                (
                    "$ kubectl get deployments\nNo resources found in default namespace.\n"
                        .to_string(),
                    Tone::Ok
                ),
                ("$ sleep 2s\n".to_string(), Tone::Ok),
            ]
        );
        assert_eq!(cluster.now(), 2_000);
        let out = run(&mut cluster, "sleep x\nkubectl get pods").entries;
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].1, Tone::Error);
        assert!(
            out[0]
                .0
                .starts_with("$ sleep x\n> kubectl get pods\nerror: line 1: invalid duration"),
            "{}",
            out[0].0
        );
        assert_eq!(
            cluster.now(),
            2_000,
            "a script that does not parse runs nothing"
        );
    }

    #[test]
    fn kubectl_edit_opens_the_editor_and_stops_the_script() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let ran = run(
            &mut cluster,
            "kubectl create deployment web --image=nginx\nkubectl edit deploy/web\nsleep 5s",
        );
        let session = ran.edit.expect("an editor to open");
        assert_eq!(
            (session.kind, session.name.as_str()),
            (kplay_core::Kind::Deployment, "web")
        );
        assert_eq!(ran.entries.len(), 2);
        assert_eq!(ran.entries[1].1, Tone::Note);
        assert_eq!(cluster.now(), 0, "the sleep after the edit did not run");
        let missing = run(&mut cluster, "kubectl edit deploy/nope");
        assert!(missing.edit.is_none());
        assert_eq!(
            missing.entries,
            [(
                "$ kubectl edit deploy/nope\nError from server (NotFound): deployments.apps \"nope\" not found\n"
                    .to_string(),
                Tone::Error
            )]
        );
    }
}
