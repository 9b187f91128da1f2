//! Answers for the playground: its first-load module leaves `kubectl describe` out (a sixth of
//! kubectl's size), so the page asks this module, which has all of kubectl. An ask carries
//! the page's session and the moment the command ran at (how many of its commands had run,
//! and the virtual instant); replaying that gives the same cluster the page had (the core
//! is deterministic), and the command's transcript goes back as an `answer` order.

use kplay_core::Millis;
use kplay_kubectl::script;
use kplay_kubectl::session::Session;

/// The answer to one ask (`ID\nCOMMANDS\nAT\nCOMMAND LINE\nSESSION TEXT`, the command
/// line with its heredoc if it has one): `ID\n`, then `error\n` if the command failed, then
/// its transcript. `None` for text that is not an ask.
pub fn answer(ask: &str) -> Option<String> {
    let mut parts = ask.splitn(4, '\n');
    let id: u64 = parts.next()?.parse().ok()?;
    let commands: usize = parts.next()?.parse().ok()?;
    let at: Millis = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    // The command (with any heredoc) ends where the session's header begins.
    let (line, session) = rest.split_at(rest.find("# kplay session ")?);
    let (session, _, _) = Session::read(session).ok()?;
    let parsed = script::parse(line).ok()?;
    let step = parsed.steps.first()?;
    let mut cluster = session.replay(commands.min(session.len()), at);
    let output = script::run_step(&mut cluster, step);
    let failed = if output.exit_code == 0 { "" } else { "error\n" };
    Some(format!(
        "{id}\n{failed}{}",
        script::transcript(step, &output)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::Cluster;

    #[test]
    fn describe_is_answered_on_the_cluster_the_page_had_when_it_ran() {
        let mut page = Cluster::new(1);
        let mut session = Session::new(1);
        for (at, line) in [
            (
                0,
                "kubectl create deployment web --image=nginx:1.27 --replicas=2",
            ),
            (30_000, "kubectl scale deployment web --replicas=3"),
        ] {
            page.advance(at - page.now());
            script::run_step(&mut page, &script::parse(line).expect("parses").steps[0]);
            session.record(at, line.to_string());
        }
        page.advance(5_000);
        let text = session.text(35_000, 60_000);
        // Asked after both commands, at 35 s: what the page had then, described.
        let line = "kubectl describe deployment web";
        let expected = script::run_step(&mut page, &script::parse(line).expect("parses").steps[0]);
        let asked = answer(&format!("7\n2\n35000\n{line}\n{text}")).expect("answered");
        assert_eq!(asked, format!("7\n$ {line}\n{}", expected.stdout));
        assert!(
            asked.contains("Replicas:               3 desired | 3 updated | 3 total"),
            "{asked}"
        );
        // Asked after the first command only: two replicas then.
        let earlier = answer(&format!("8\n1\n10000\n{line}\n{text}")).expect("answered");
        assert!(earlier.contains("2 desired"), "{earlier}");
        // A failing describe is marked so the page styles it as an error.
        let missing = answer(&format!(
            "9\n2\n35000\nkubectl describe deployment nope\n{text}"
        ))
        .expect("answered");
        assert_eq!(missing, "9\nerror\n$ kubectl describe deployment nope\nError from server (NotFound): deployments.apps \"nope\" not found\n");
        // Not an ask.
        assert_eq!(answer("hello"), None);
        assert_eq!(answer(&format!("1\n0\n0\n{line}\nnot a session")), None);
    }
}
