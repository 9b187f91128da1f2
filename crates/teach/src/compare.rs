//! Two strategies side by side: each scenario (a lesson-format file of `www/scenarios/` with
//! one step) runs on a fresh cluster of its own under the same steady traffic, from its setup
//! through its change until its checks hold, and is sampled every half second: its pods by
//! version and state for the animated lanes, and the numbers of the comparison table.

use crate::pace::Paced;
use kplay_core::network::traffic::version_of;
use kplay_core::types::{Pod, Service};
use kplay_core::{pod, Cluster, Millis, DEFAULT_SEED};
use kplay_lessons::lesson::{self, Lesson};

/// How often a run is sampled, in virtual time.
pub const TICK: Millis = 500;

/// How long a change may take before the run gives up waiting for its checks.
const LIMIT: Millis = 10 * 60_000;

/// How long the lanes go on after the change is complete, to show where it settled.
const AFTER: Millis = 5_000;

/// A pod's state as a tile shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Created, not ready yet.
    Starting,
    /// Ready, receiving traffic if selected.
    Ready,
    /// Shutting down.
    Terminating,
}

/// One pod at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    /// The version its image is tagged with (`2.0`).
    pub version: String,
    /// Its state.
    pub phase: Phase,
}

/// What a scenario's run measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The pods every [`TICK`] from the change on, in creation order.
    pub frames: Vec<Vec<Tile>>,
    /// How long after the change its checks all held, if they did within the limit.
    pub complete_after: Option<Millis>,
    /// The most pods at once, not counting terminating ones: what `maxSurge` bounds (pods
    /// shutting down still hold their nodes' resources for their grace period).
    pub peak_pods: usize,
    /// The fewest ready pods that a Service sent traffic to.
    pub min_serving: usize,
    /// Requests that failed from the change until the end of the lanes (a few seconds after
    /// it was complete, so that an instant switch counts its aftermath too).
    pub failed: u64,
    /// Requests answered in that time.
    pub answered: u64,
}

/// Runs scenario `lesson`: its setup, then its step's script at the clock's pace, sampled every
/// tick until the step's checks hold. A scenario whose script fails says which command.
pub fn run(lesson: &Lesson) -> Result<Run, String> {
    let step = lesson
        .steps
        .first()
        .ok_or_else(|| "a scenario needs one step".to_string())?;
    let mut cluster = Cluster::new(DEFAULT_SEED);
    lesson::run(&mut cluster, &lesson.setup)?;
    let (failed0, answered0) = counters(&cluster);
    let start = cluster.now();
    let mut paced = Paced::new(&step.solution)?;
    let mut run = Run {
        frames: Vec::new(),
        complete_after: None,
        peak_pods: 0,
        min_serving: usize::MAX,
        failed: 0,
        answered: 0,
    };
    loop {
        let due = paced.due(&mut cluster);
        lesson::run(&mut cluster, &due.text)?;
        let elapsed = cluster.now() - start;
        let (pods, serving) = sample(&cluster);
        let running = pods
            .iter()
            .filter(|t| t.phase != Phase::Terminating)
            .count();
        run.peak_pods = run.peak_pods.max(running);
        run.min_serving = run.min_serving.min(serving);
        run.frames.push(pods);
        let (failed, answered) = counters(&cluster);
        (run.failed, run.answered) = (failed - failed0, answered - answered0);
        match run.complete_after {
            None if paced.finished()
                && step.checks.iter().all(|c| c.check(&mut cluster).is_ok()) =>
            {
                run.complete_after = Some(elapsed);
            }
            None if elapsed >= LIMIT => break,
            Some(done) if elapsed >= done + AFTER => break,
            _ => {}
        }
        cluster.advance(TICK);
    }
    Ok(run)
}

/// (failed, answered) requests since the cluster started.
fn counters(cluster: &Cluster) -> (u64, u64) {
    let traffic = cluster.network().traffic();
    let answered = traffic.answered_total().iter().map(|(_, n)| *n).sum();
    (traffic.failed_total(), answered)
}

/// The default namespace's pods (but the client pods), oldest first, and how many of them
/// are ready and selected by a Service.
fn sample(cluster: &Cluster) -> (Vec<Tile>, usize) {
    let store = cluster.store();
    let selectors: Vec<_> = store
        .list::<Service>(Some("default"))
        .filter_map(|s| s.spec.as_ref()?.selector.as_ref())
        .collect();
    let mut pods: Vec<&Pod> = store
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.owner_references.is_some())
        .collect();
    kplay_core::sort::sort_by(&mut pods, |a, b| {
        let created = |p: &Pod| p.metadata.creation_timestamp;
        created(a)
            .cmp(&created(b))
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    let mut serving = 0;
    let tiles = pods
        .iter()
        .map(|p| {
            let phase = if pod::is_terminating(p) {
                Phase::Terminating
            } else if pod::is_ready(p) {
                Phase::Ready
            } else {
                Phase::Starting
            };
            let labels = p.metadata.labels.as_ref();
            let selected = selectors.iter().any(|s| {
                s.iter()
                    .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
            });
            if phase == Phase::Ready && selected {
                serving += 1;
            }
            let image = p
                .spec
                .as_ref()
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.as_deref())
                .unwrap_or_default();
            Tile {
                version: version_of(image).to_string(),
                phase,
            }
        })
        .collect();
    (tiles, serving)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipped;

    fn scenario(name: &str) -> Run {
        let text = shipped::scenario(name).unwrap_or_else(|| panic!("no scenario {name}"));
        let lesson = kplay_lessons::lesson::parse(text).unwrap_or_else(|e| panic!("{e}"));
        run(&lesson).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// What each strategy must show, from the deployment controller's arithmetic with six
    /// replicas (`maxSurge` rounds up, `maxUnavailable` down: deployment/util.ResolveFenceposts),
    /// and the requests lost: Recreate's downtime loses many; a rolling update loses the few a
    /// real cluster drops while endpoints propagate (no preStop delay here); a selector switch
    /// between two ready Deployments loses none.
    #[test]
    fn each_strategy_measures_as_its_arithmetic_says() {
        // (scenario, peak pods, fewest serving)
        let table = [
            ("rolling-update", 8, 5),
            ("ramped", 7, 6),
            ("best-effort", 6, 3),
            ("recreate", 6, 0),
            // Six stable, a surge of two, and the canary until the end.
            ("canary", 9, 6),
            ("blue-green", 12, 6),
        ];
        let mut runs = Vec::new();
        for (name, peak, serving) in table {
            let run = scenario(name);
            assert!(run.complete_after.is_some(), "{name} never completed");
            assert_eq!(run.peak_pods, peak, "{name}: peak pods");
            assert_eq!(run.min_serving, serving, "{name}: fewest serving");
            assert!(run.answered > 0, "{name}: traffic flowed");
            let last = run.frames.last().map(Vec::len);
            assert!(
                last.is_some_and(|n| n >= 6),
                "{name}: {last:?} pods at the end"
            );
            runs.push((name, run));
        }
        let get = |name: &str| &runs.iter().find(|(n, _)| *n == name).expect("ran").1;
        let time = |name: &str| get(name).complete_after.unwrap_or(Millis::MAX);
        assert!(time("ramped") > time("rolling-update"));
        assert!(time("rolling-update") > time("best-effort"));
        assert_eq!(time("blue-green"), 0);
        let rolling_worst = ["rolling-update", "ramped", "best-effort", "canary"]
            .iter()
            .map(|n| get(n).failed)
            .max()
            .unwrap_or_default();
        assert!(
            get("recreate").failed > 3 * rolling_worst,
            "{}",
            get("recreate").failed
        );
        assert_eq!(get("blue-green").failed, 0);
    }

    #[test]
    fn a_run_is_deterministic() {
        assert_eq!(scenario("rolling-update"), scenario("rolling-update"));
    }
}
