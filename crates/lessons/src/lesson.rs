//! A lesson file: its title, the setup script, and its steps (a title, explanations, an
//! optional "predict what will happen" question, the solution script and the checks), and
//! [`check`], which proves that every step's checks fail before the step and pass after it.

use crate::expect::Expectation;
use kplay_core::Cluster;
use kplay_kubectl::script::{self, ParseError};

/// The first line of a lesson, with the format's version.
const HEADER: &str = "# kplay lesson 1";

/// A parsed lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// What the lesson teaches, in a few words.
    pub title: String,
    /// The script that prepares the cluster before the first step.
    pub setup: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The 1-based line of its `#: step` directive.
    pub line: usize,
    /// What to do, in a few words.
    pub title: String,
    /// The explanation, a paragraph per `#: text` line.
    pub text: Vec<String>,
    /// The question asked before the step's key reveal, if any.
    pub predict: Option<Predict>,
    /// A script that completes the step (the learner may reach the state any other way).
    pub solution: String,
    /// What must hold once the step is done.
    pub checks: Vec<Expectation>,
}

/// A "predict what will happen" question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predict {
    /// The question.
    pub question: String,
    /// The choices offered.
    pub options: Vec<String>,
    /// The index of the right choice (the one written with a leading `*`).
    pub answer: usize,
}

/// Where the lines being read go.
enum Section {
    Setup,
    Solution,
    Checks,
}

/// Parses a lesson file.
pub fn parse(text: &str) -> Result<Lesson, ParseError> {
    let err = |line: usize, message: String| ParseError { line, message };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, HEADER)) => {}
        _ => return Err(err(1, format!("a lesson begins with \"{HEADER}\""))),
    }
    let mut lesson = Lesson {
        title: String::new(),
        setup: String::new(),
        steps: Vec::new(),
    };
    let mut section = Section::Setup;
    for (number, line) in lines {
        let Some(directive) = line.strip_prefix("#:") else {
            let text = match section {
                Section::Setup => &mut lesson.setup,
                Section::Solution => match lesson.steps.last_mut() {
                    Some(step) => &mut step.solution,
                    None => &mut lesson.setup,
                },
                Section::Checks => {
                    let trimmed = line.trim();
                    if trimmed.is_empty() || trimmed.starts_with('#') {
                        continue;
                    }
                    let expectation = Expectation::parse(trimmed).map_err(|e| err(number, e))?;
                    if let Some(step) = lesson.steps.last_mut() {
                        step.checks.push(expectation);
                    }
                    continue;
                }
            };
            text.push_str(line);
            text.push('\n');
            continue;
        };
        let directive = directive.trim();
        let (word, rest) = directive.split_once(' ').unwrap_or((directive, ""));
        let rest = rest.trim().to_string();
        let no_steps = lesson.steps.is_empty();
        let step = lesson.steps.last_mut();
        match (word, step) {
            ("title", _) if lesson.title.is_empty() && !rest.is_empty() => lesson.title = rest,
            ("setup", _) if no_steps => section = Section::Setup,
            ("step", _) if !rest.is_empty() => {
                lesson.steps.push(Step {
                    line: number,
                    title: rest,
                    text: Vec::new(),
                    predict: None,
                    solution: String::new(),
                    checks: Vec::new(),
                });
                section = Section::Solution;
            }
            ("text", Some(step)) if !rest.is_empty() => step.text.push(rest),
            ("predict", Some(step)) if step.predict.is_none() => {
                step.predict = Some(predict(&rest).map_err(|e| err(number, e))?);
            }
            ("check", Some(_)) => section = Section::Checks,
            _ => {
                return Err(err(
                    number,
                    format!("unexpected \"#: {directive}\" (directives: title, setup, step, text, predict, check)"),
                ))
            }
        }
    }
    if lesson.title.is_empty() {
        return Err(err(1, "a lesson needs a \"#: title ...\"".into()));
    }
    script::parse(&lesson.setup).map_err(|e| err(1, format!("the setup: {e}")))?;
    for step in &lesson.steps {
        let at = |e: script::ParseError| err(step.line, format!("step \"{}\": {e}", step.title));
        script::parse(&step.solution).map_err(at)?;
        if step.checks.is_empty() {
            return Err(err(
                step.line,
                format!("step \"{}\" has no check", step.title),
            ));
        }
    }
    if lesson.steps.is_empty() {
        return Err(err(1, "a lesson needs at least one \"#: step ...\"".into()));
    }
    Ok(lesson)
}

/// `QUESTION | choice | *right choice | choice`.
fn predict(text: &str) -> Result<Predict, String> {
    let mut parts = text.split('|').map(str::trim);
    let question = parts.next().unwrap_or_default().to_string();
    let mut options = Vec::new();
    let mut answers = Vec::new();
    for (i, option) in parts.enumerate() {
        match option.strip_prefix('*') {
            Some(right) => {
                answers.push(i);
                options.push(right.trim().to_string());
            }
            None => options.push(option.to_string()),
        }
    }
    match (question.is_empty(), options.len(), answers.as_slice()) {
        (false, 2.., [answer]) => Ok(Predict {
            question,
            options,
            answer: *answer,
        }),
        _ => Err("write \"#: predict QUESTION | choice | *right choice | ...\": at least two choices, one marked *".into()),
    }
}

/// What [`check`] found wrong with a lesson: `None` in `step` for the setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The step's index, if the problem is a step's.
    pub step: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Runs the lesson on a fresh cluster of `seed`: the setup, then each step's check (its
/// expectations together, which must not all hold yet: a check that passes before its step
/// proves nothing), its solution, and its check again (every expectation must hold). Every
/// problem is reported.
pub fn check(lesson: &Lesson, seed: u64) -> Vec<Problem> {
    let mut cluster = Cluster::new(seed);
    let mut problems = Vec::new();
    if let Err(message) = run(&mut cluster, &lesson.setup) {
        problems.push(Problem {
            step: None,
            message,
        });
    }
    for (index, step) in lesson.steps.iter().enumerate() {
        let mut report = |message: String| {
            problems.push(Problem {
                step: Some(index),
                message,
            })
        };
        if step.checks.iter().all(|e| e.check(&mut cluster).is_ok()) {
            report("its check already holds before the step is done, so it proves nothing".into());
        }
        if let Err(message) = run(&mut cluster, &step.solution) {
            report(message);
        }
        for expectation in &step.checks {
            if let Err(message) = expectation.check(&mut cluster) {
                report(format!("after the solution, {message}"));
            }
        }
    }
    problems
}

/// Runs a script (a setup, a solution); the first command that fails, with what it printed.
pub fn run(cluster: &mut Cluster, source: &str) -> Result<(), String> {
    let parsed = script::parse(source).map_err(|e| e.to_string())?;
    for step in &parsed.steps {
        let out = script::run_step(cluster, step);
        if out.exit_code != 0 {
            return Err(format!("`{}` failed: {}", step.text, out.stderr.trim()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# kplay lesson 1
#: title Scale a Deployment
#: setup
kubectl create deployment web --image=nginx:1.27
sleep 30s
#: step Scale web to five pods
#: text A Deployment keeps its replicas running.
#: text Ask for more and its ReplicaSet adds pods.
#: predict How many new pods? | 1 | *4 | 5
kubectl scale deployment web --replicas=5
sleep 30s
#: check
kplay expect deployment/web '{.status.readyReplicas}' == 5
kplay expect count pods -l app=web == 5
";

    #[test]
    fn a_lesson_reads_into_setup_steps_and_checks() {
        let lesson = parse(GOOD).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lesson.title, "Scale a Deployment");
        assert_eq!(
            lesson.setup,
            "kubectl create deployment web --image=nginx:1.27\nsleep 30s\n"
        );
        let step = &lesson.steps[0];
        assert_eq!(
            (step.line, step.title.as_str()),
            (6, "Scale web to five pods")
        );
        assert_eq!(step.text.len(), 2);
        assert_eq!(
            step.predict,
            Some(Predict {
                question: "How many new pods?".into(),
                options: vec!["1".into(), "4".into(), "5".into()],
                answer: 1,
            })
        );
        assert_eq!(
            step.solution,
            "kubectl scale deployment web --replicas=5\nsleep 30s\n"
        );
        assert_eq!(step.checks.len(), 2);
        assert_eq!(check(&lesson, 1), vec![]);
    }

    #[test]
    fn a_check_that_proves_nothing_or_a_solution_that_misses_is_reported() {
        // A check that already holds after the setup; a solution that scales to 4, not 5.
        let vacuous = GOOD.replace(
            "kplay expect deployment/web '{.status.readyReplicas}' == 5\nkplay expect count pods -l app=web == 5\n",
            "kplay expect deployment/web exists\n",
        );
        let short = GOOD.replace("--replicas=5", "--replicas=4");
        let table = [
            (vacuous, vec!["its check already holds before the step is done, so it proves nothing"]),
            (
                short,
                vec![
                    "after the solution, kplay expect deployment/web '{.status.readyReplicas}' == 5: it is \"4\"",
                    "after the solution, kplay expect count pods -l app=web == 5: there are 4",
                ],
            ),
        ];
        for (text, expected) in table {
            let lesson = parse(&text).unwrap_or_else(|e| panic!("{e}"));
            let messages: Vec<String> = check(&lesson, 1).into_iter().map(|p| p.message).collect();
            assert_eq!(messages, expected, "{text}");
        }
    }

    #[test]
    fn malformed_lessons_are_refused_at_their_line() {
        let table = [
            ("", "line 1: a lesson begins with \"# kplay lesson 1\""),
            ("# kplay lesson 1\n#: step Do it\nkplay expect x\n", "line 1: a lesson needs a \"#: title ...\""),
            ("# kplay lesson 1\n#: title T\n", "line 1: a lesson needs at least one \"#: step ...\""),
            ("# kplay lesson 1\n#: title T\n#: step S\nkubectl get pods\n", "line 3: step \"S\" has no check"),
            ("# kplay lesson 1\n#: title T\n#: step S\n#: check\nkubectl get pods\n", "line 5: usage: kplay expect TYPE/NAME [-n NS] exists|absent|JSONPATH OP VALUE, kplay expect count TYPE [-l SELECTOR] [-n NS] OP N (OP: == != >= <= > <), or kplay expect connection FROM TO PORT allowed|blocked [-n NS]"),
            ("# kplay lesson 1\n#: title T\n#: step S\n#: predict Why? | a | b\n", "line 4: write \"#: predict QUESTION | choice | *right choice | ...\": at least two choices, one marked *"),
            ("# kplay lesson 1\n#: title T\n#: text early\n", "line 3: unexpected \"#: text early\" (directives: title, setup, step, text, predict, check)"),
            ("# kplay lesson 1\n#: title T\n#: step S\nsleep soon\n#: check\nkplay expect ns/default exists\n", "line 3: step \"S\": line 1: invalid duration \"soon\" (use e.g. 500ms, 5s, 2m; a bare number is seconds)"),
        ];
        for (text, expected) in table {
            assert_eq!(
                parse(text).map(|_| ()).map_err(|e| e.to_string()),
                Err(expected.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn every_shipped_lesson_and_scenario_passes_its_checks_and_each_check_fails_before_its_step() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www");
        let mut files: Vec<_> = ["lessons", "scenarios"]
            .iter()
            .flat_map(|dir| {
                let dir = root.join(dir);
                std::fs::read_dir(&dir)
                    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                    .flatten()
                    .map(|e| e.path())
            })
            .filter(|p| p.extension().is_some_and(|e| e == "kplay"))
            .collect();
        files.sort();
        assert!(files.len() >= 12, "lessons and scenarios: {files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let lesson = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(check(&lesson, 1), vec![], "{}", file.display());
        }
    }
}
