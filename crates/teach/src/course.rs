//! A lesson being followed: which step the learner is on, the predictions made, and the
//! current step's checks as they stand on the replicated cluster.

use kplay_core::Cluster;
use kplay_lessons::lesson::{Lesson, Step};

/// An open lesson.
pub struct Course {
    /// The lesson's id: a shipped lesson's name, or the address it was loaded from.
    pub id: String,
    /// The lesson.
    pub lesson: Lesson,
    /// The current step's index (the number of steps once the lesson is complete).
    pub step: usize,
    /// Whether the cluster was set up for it (before that, checks mean nothing).
    pub started: bool,
    /// The learner's prediction for each step, if asked and answered.
    pub answers: Vec<Option<usize>>,
    /// The current step's checks: `Ok`, or what was found instead.
    pub results: Vec<Result<(), String>>,
}

impl Course {
    /// Lesson `lesson`, opened but not started.
    pub fn new(id: &str, lesson: Lesson) -> Self {
        Course {
            id: id.to_string(),
            answers: vec![None; lesson.steps.len()],
            lesson,
            step: 0,
            started: false,
            results: Vec::new(),
        }
    }

    /// The current step, unless the lesson is complete.
    pub fn current(&self) -> Option<&Step> {
        self.lesson.steps.get(self.step)
    }

    /// Whether every step is done.
    pub fn complete(&self) -> bool {
        self.step >= self.lesson.steps.len()
    }

    /// The current step's checks against `cluster`: `Ok`, or what was found instead (without
    /// the expectation's own text, which the panel shows beside it).
    pub fn check(&self, cluster: &mut Cluster) -> Vec<Result<(), String>> {
        let Some(step) = self.current() else {
            return Vec::new();
        };
        step.checks
            .iter()
            .map(|expectation| {
                expectation.check(cluster).map_err(|found| {
                    let prefix = format!("{}: ", expectation.text);
                    found.strip_prefix(&prefix).unwrap_or(&found).to_string()
                })
            })
            .collect()
    }

    /// Whether the current step's checks all hold.
    pub fn step_done(&self) -> bool {
        !self.results.is_empty() && self.results.iter().all(Result::is_ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipped;
    use kplay_kubectl::script;

    fn run(cluster: &mut Cluster, source: &str) {
        let parsed = script::parse(source).unwrap_or_else(|e| panic!("{e}"));
        script::run_script(cluster, &parsed);
    }

    /// Every shipped lesson followed as the panel follows it: each step's checks are not all
    /// met before its solution runs, and all are after.
    #[test]
    fn each_step_is_done_only_after_its_solution() {
        for (name, text) in shipped::LESSONS {
            let lesson = kplay_lessons::lesson::parse(text).unwrap_or_else(|e| panic!("{e}"));
            let mut course = Course::new(name, lesson.clone());
            let mut cluster = Cluster::new(kplay_core::DEFAULT_SEED);
            run(&mut cluster, &lesson.setup);
            for step in &lesson.steps {
                course.results = course.check(&mut cluster);
                assert!(!course.step_done(), "{name}: {} done before", step.title);
                run(&mut cluster, &step.solution);
                course.results = course.check(&mut cluster);
                assert!(
                    course.step_done(),
                    "{name}: {}: {:?}",
                    step.title,
                    course.results
                );
                course.step += 1;
            }
            assert!(course.complete() && course.current().is_none());
            assert!(course.check(&mut cluster).is_empty());
        }
    }

    #[test]
    fn a_failing_check_says_what_was_found_without_repeating_itself() {
        let text = "# kplay lesson 1\n#: title T\n#: step S\nkubectl create deployment web --image=nginx\n#: check\nkplay expect deployment/web exists\nkplay expect deployment/web '{.spec.replicas}' == 3\n";
        let lesson = kplay_lessons::lesson::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let course = Course::new("t", lesson);
        let mut cluster = Cluster::new(1);
        let results = course.check(&mut cluster);
        assert_eq!(
            results,
            [
                Err(
                    "not found (Error from server (NotFound): deployments.apps \"web\" not found)"
                        .to_string()
                ),
                Err("Error from server (NotFound): deployments.apps \"web\" not found".to_string()),
            ]
        );
        run(&mut cluster, "kubectl create deployment web --image=nginx");
        let results = course.check(&mut cluster);
        assert_eq!(results[0], Ok(()));
        assert!(
            results[1].as_ref().is_err_and(|e| e.contains('1')),
            "{results:?}"
        );
    }
}
