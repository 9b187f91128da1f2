//! A script run against the clock instead of ahead of it: its commands go out when they are
//! due, and its waits (`sleep`, `kubectl rollout status`, watches) wait for the cluster's own time, so
//! that a learner watching the page (or a comparison sampling a run) sees what happens in
//! between instead of jumping past it.

use kplay_core::{Cluster, Millis};
use kplay_kubectl::script::{self, Step};

/// What a paced script waits for before its next commands.
enum Wait {
    /// The clock to reach this instant.
    Until(Millis),
    /// `kubectl rollout status` (these arguments) to say the rollout is done.
    Rollout(Vec<String>),
}

/// Commands that are due now.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Their script text.
    pub text: String,
    /// How many of them change the cluster (what a session records of them).
    pub changes: usize,
}

/// A script being run at the clock's pace.
pub struct Paced {
    steps: Vec<Step>,
    next: usize,
    wait: Option<Wait>,
}

impl Paced {
    /// Paces `source`, a script; one that does not parse is refused with the reason.
    pub fn new(source: &str) -> Result<Paced, String> {
        let parsed = script::parse(source).map_err(|e| e.to_string())?;
        Ok(Paced {
            steps: parsed.steps,
            next: 0,
            wait: None,
        })
    }

    /// The commands due now on `cluster` (which must already have run every batch given
    /// before), up to the next wait that is not over.
    pub fn due(&mut self, cluster: &mut Cluster) -> Batch {
        let mut batch = Batch::default();
        loop {
            if let Some(wait) = &self.wait {
                if !over(wait, cluster) {
                    break;
                }
                self.wait = None;
            }
            let Some(step) = self.steps.get(self.next) else {
                break;
            };
            self.next += 1;
            let wait = match (step.sleep(), step.kubectl_args()) {
                (Some(ms), _) => Some(Wait::Until(cluster.now().saturating_add(ms))),
                (None, Some(args)) if is_rollout_status(args) => Some(Wait::Rollout(args.to_vec())),
                // A watch (`get -w`) waits as long as it watches (the script gives it the
                // sleeps after it); drain changes the cluster and goes out.
                (None, Some(args)) if step.moves_clock() && !step.changes_cluster() => {
                    let watched = args
                        .iter()
                        .find_map(|a| a.strip_prefix("--request-timeout="))
                        .and_then(|t| script::parse_sleep(t).ok());
                    Some(Wait::Until(
                        cluster.now().saturating_add(watched.unwrap_or_default()),
                    ))
                }
                _ => None,
            };
            match wait {
                Some(wait) => {
                    self.wait = Some(wait);
                    // A wait is judged on the cluster after the commands before it ran.
                    if !batch.text.is_empty() {
                        break;
                    }
                }
                None => {
                    batch.text.push_str(&step.source);
                    batch.text.push('\n');
                    batch.changes += usize::from(step.changes_cluster());
                }
            }
        }
        batch
    }

    /// Whether every command went out and the last wait is over.
    pub fn finished(&self) -> bool {
        self.wait.is_none() && self.next >= self.steps.len()
    }
}

/// How many commands of `script` change the cluster: what the page records of it.
pub fn changes(script: &str) -> usize {
    script::parse(script).map_or(0, |parsed| {
        parsed.steps.iter().filter(|s| s.changes_cluster()).count()
    })
}

fn is_rollout_status(args: &[String]) -> bool {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    matches!(words[..], ["rollout", "status", ..])
}

/// Whether `wait` is over on `cluster`.
fn over(wait: &Wait, cluster: &mut Cluster) -> bool {
    match wait {
        Wait::Until(at) => cluster.now() >= *at,
        Wait::Rollout(args) => {
            let mut args = args.clone();
            args.push("--watch=false".into());
            let out = kplay_kubectl::run(cluster, &args, None);
            // Done, or failed for good (no such Deployment, a passed deadline): stop waiting.
            out.exit_code != 0 || out.stdout.contains("successfully rolled out")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cluster: &mut Cluster, batch: &Batch) {
        let parsed = script::parse(&batch.text).unwrap_or_else(|e| panic!("{e}"));
        script::run_script(cluster, &parsed);
    }

    #[test]
    fn commands_go_out_when_due_and_waits_follow_the_clock() {
        let mut cluster = Cluster::new(1);
        let mut paced = Paced::new(
            "kubectl create deployment web --image=nginx:1.27 --replicas=2\nkubectl get pods -w\nsleep 10s\nkubectl set image deployment/web nginx=nginx:1.28\nkubectl rollout status deployment/web\nkubectl get pods\nkubectl delete deployment web\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let first = paced.due(&mut cluster);
        assert_eq!(
            first,
            Batch {
                text: "kubectl create deployment web --image=nginx:1.27 --replicas=2\n".into(),
                changes: 1
            }
        );
        let before = cluster.now();
        run(&mut cluster, &first);
        assert_eq!((before, cluster.now()), (0, 0));
        cluster.advance(9_000);
        assert_eq!(paced.due(&mut cluster), Batch::default(), "9s of 10s");
        cluster.advance(1_000);
        let update = paced.due(&mut cluster);
        assert_eq!(
            update.text,
            "kubectl set image deployment/web nginx=nginx:1.28\n"
        );
        run(&mut cluster, &update);
        // The rollout is under way: nothing more until it is done.
        cluster.advance(1_000);
        assert_eq!(paced.due(&mut cluster), Batch::default());
        assert!(!paced.finished());
        let mut waited = 0;
        let last = loop {
            cluster.advance(1_000);
            waited += 1;
            let batch = paced.due(&mut cluster);
            if !batch.text.is_empty() {
                break batch;
            }
            assert!(waited < 300, "the rollout never finished");
        };
        assert_eq!(
            last,
            Batch {
                text: "kubectl get pods\nkubectl delete deployment web\n".into(),
                changes: 1
            }
        );
        assert!(paced.finished());
        assert!(Paced::new("sleep x").is_err());
        assert_eq!(changes("kubectl create deployment a --image=x\nsleep 1s\nkubectl get pods\nkplay traffic start svc/a\n"), 2);
    }
}
