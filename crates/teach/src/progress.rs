//! Lesson progress kept in the browser's storage: for each lesson (by its id: a shipped
//! lesson's name, or the address it was loaded from) how many steps are done and the
//! predictions the learner made. The text has a version line, so an older or damaged save is
//! recognised and reported instead of misread.
//!
//! ```text
//! # kplay lessons 1
//! 2 1,- strategies
//! 4 1,2,- https://example.org/my-lesson.kplay
//! ```

/// The `localStorage` key of the progress.
pub const KEY: &str = "kplay.lessons";

/// The first line, with the format's version.
const HEADER: &str = "# kplay lessons 1";

/// What a learner did in one lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// How many steps are done, from the first.
    pub done: usize,
    /// The choice made for each step's prediction, if any was asked and answered.
    pub answers: Vec<Option<usize>>,
}

/// Every lesson's record, in the order they were first opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    lessons: Vec<(String, Record)>,
}

impl Progress {
    /// Reads saved progress ('' is none yet); a text that is not progress of this format is
    /// refused with the reason.
    pub fn read(text: &str) -> Result<Progress, String> {
        let mut lines = text.lines();
        match lines.next() {
            None => return Ok(Progress::default()),
            Some(HEADER) => {}
            Some(other) => return Err(format!("it begins with \"{other}\", not \"{HEADER}\"")),
        }
        let mut progress = Progress::default();
        for (number, line) in lines.enumerate() {
            let bad = || format!("line {} is not \"DONE ANSWERS LESSON\"", number + 2);
            let mut words = line.splitn(3, ' ');
            let (Some(done), Some(answers), Some(id)) = (words.next(), words.next(), words.next())
            else {
                return Err(bad());
            };
            let done = done.parse().map_err(|_| bad())?;
            let mut answers = answers
                .split(',')
                .map(|a| match a {
                    "-" => Ok(None),
                    n => n.parse().map(Some).map_err(|_| bad()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            trim(&mut answers);
            progress.set(id, Record { done, answers });
        }
        Ok(progress)
    }

    /// The progress as text, to store.
    pub fn text(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for (id, record) in &self.lessons {
            let mut answers = record.answers.clone();
            trim(&mut answers);
            let answers: Vec<String> = answers
                .iter()
                .map(|a| a.map_or("-".into(), |n| n.to_string()))
                .collect();
            let answers = if answers.is_empty() {
                "-".to_string()
            } else {
                answers.join(",")
            };
            text.push_str(&format!("{} {answers} {id}\n", record.done));
        }
        text
    }

    /// The record of lesson `id` (empty when it was never opened).
    pub fn get(&self, id: &str) -> Record {
        self.lessons
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    }

    /// Replaces the record of lesson `id`.
    pub fn set(&mut self, id: &str, record: Record) {
        match self.lessons.iter_mut().find(|(i, _)| i == id) {
            Some((_, r)) => *r = record,
            None => self.lessons.push((id.to_string(), record)),
        }
    }
}

/// Drops the unanswered questions at the end: `-` alone means no answers.
fn trim(answers: &mut Vec<Option<usize>>) {
    while answers.last() == Some(&None) {
        answers.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_back_what_it_wrote() {
        let mut progress = Progress::default();
        progress.set(
            "strategies",
            Record {
                done: 2,
                answers: vec![Some(1), None],
            },
        );
        progress.set(
            "https://example.org/a lesson.kplay",
            Record {
                done: 0,
                answers: vec![None, None],
            },
        );
        progress.set(
            "strategies",
            Record {
                done: 3,
                answers: vec![Some(1), None, Some(0)],
            },
        );
        let text = progress.text();
        assert_eq!(
            text,
            "# kplay lessons 1\n3 1,-,0 strategies\n0 - https://example.org/a lesson.kplay\n"
        );
        progress.set("https://example.org/a lesson.kplay", Record::default());
        assert_eq!(Progress::read(&text), Ok(progress));
        assert_eq!(Progress::read(""), Ok(Progress::default()));
    }

    #[test]
    fn a_damaged_or_older_save_is_refused_with_the_reason() {
        let table = [
            (
                "# kplay lessons 0\n",
                "it begins with \"# kplay lessons 0\", not \"# kplay lessons 1\"",
            ),
            (
                "{\"done\":1}",
                "it begins with \"{\"done\":1}\", not \"# kplay lessons 1\"",
            ),
            (
                "# kplay lessons 1\n2 1,-\n",
                "line 2 is not \"DONE ANSWERS LESSON\"",
            ),
            (
                "# kplay lessons 1\nx - a\n",
                "line 2 is not \"DONE ANSWERS LESSON\"",
            ),
            (
                "# kplay lessons 1\n1 - a\n1 a,b b\n",
                "line 3 is not \"DONE ANSWERS LESSON\"",
            ),
        ];
        for (text, reason) in table {
            assert_eq!(Progress::read(text), Err(reason.to_string()), "{text}");
        }
    }
}
