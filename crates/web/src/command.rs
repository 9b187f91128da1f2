//! Runs console input and button actions: text in the scenario-script language goes through
//! `kplay_kubectl`'s parser and executor, exactly as `kplay run` would run it, and comes back as
//! transcript entries for the console.

use kplay_core::Cluster;
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

/// Runs `source` (one or more script lines, heredocs included) against `cluster` and returns
/// the transcript of each step as (text, tone). A script that does not parse runs nothing and
/// returns the input with the parse error, as `kplay run` reports it.
pub fn run(cluster: &mut Cluster, source: &str) -> Vec<(String, Tone)> {
    match script::parse(source) {
        Ok(parsed) => parsed
            .steps
            .iter()
            .map(|step| {
                let output = script::run_step(cluster, step);
                let tone = if output.exit_code == 0 {
                    Tone::Ok
                } else {
                    Tone::Error
                };
                (script::transcript(step, &output), tone)
            })
            .collect(),
        Err(error) => vec![(format!("{}error: {error}\n", echo(source)), Tone::Error)],
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
    fn runs_each_step_and_reports_parse_errors_with_the_input() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let out = run(&mut cluster, "kubectl get deployments\nsleep 2s\n");
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
        let out = run(&mut cluster, "sleep x\nkubectl get pods");
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
}
