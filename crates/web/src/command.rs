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
/// returns the parse error, as `kplay run` reports it.
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
        Err(error) => vec![(format!("error: {error}\n"), Tone::Error)],
    }
}
