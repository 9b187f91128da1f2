//! The lessons (`www/lessons/*.kplay`) and strategy scenarios (`www/scenarios/*.kplay`) that ship
//! with the page, built in so that the lists show at once and work offline; other lessons are
//! loaded from an address (`?lesson=URL`).

use kplay_lessons::lesson::{self, Lesson};
use std::sync::OnceLock;

/// (name, text) of each shipped lesson, in the curriculum's order (PRODUCT.md).
pub const LESSONS: [(&str, &str); 7] = [
    (
        "why-deployments",
        include_str!("../../../www/lessons/why-deployments.kplay"),
    ),
    (
        "deployments",
        include_str!("../../../www/lessons/deployments.kplay"),
    ),
    (
        "strategies",
        include_str!("../../../www/lessons/strategies.kplay"),
    ),
    (
        "services",
        include_str!("../../../www/lessons/services.kplay"),
    ),
    ("canary", include_str!("../../../www/lessons/canary.kplay")),
    (
        "blue-green",
        include_str!("../../../www/lessons/blue-green.kplay"),
    ),
    (
        "network-policies",
        include_str!("../../../www/lessons/network-policies.kplay"),
    ),
];

/// (name, text) of each strategy scenario of the gallery, in PRODUCT.md's order.
pub const SCENARIOS: [(&str, &str); 6] = [
    (
        "rolling-update",
        include_str!("../../../www/scenarios/rolling-update.kplay"),
    ),
    (
        "recreate",
        include_str!("../../../www/scenarios/recreate.kplay"),
    ),
    (
        "ramped",
        include_str!("../../../www/scenarios/ramped.kplay"),
    ),
    (
        "best-effort",
        include_str!("../../../www/scenarios/best-effort.kplay"),
    ),
    (
        "canary",
        include_str!("../../../www/scenarios/canary.kplay"),
    ),
    (
        "blue-green",
        include_str!("../../../www/scenarios/blue-green.kplay"),
    ),
];

/// The text of scenario `name`.
pub fn scenario(name: &str) -> Option<&'static str> {
    SCENARIOS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// [`LESSONS`] parsed, once, in the same order.
pub fn parsed_lessons() -> &'static [Lesson] {
    static PARSED: OnceLock<Vec<Lesson>> = OnceLock::new();
    PARSED.get_or_init(|| parse_all(&LESSONS))
}

/// [`SCENARIOS`] parsed, once, in the same order.
pub fn parsed_scenarios() -> &'static [Lesson] {
    static PARSED: OnceLock<Vec<Lesson>> = OnceLock::new();
    PARSED.get_or_init(|| parse_all(&SCENARIOS))
}

/// Each file parsed; one that does not parse (a test keeps that from shipping) stays in its
/// place as its name with no steps, so that indexes still match the list.
fn parse_all(list: &[(&str, &str)]) -> Vec<Lesson> {
    list.iter()
        .map(|(name, text)| {
            lesson::parse(text).unwrap_or_else(|_| Lesson {
                title: (*name).to_string(),
                setup: String::new(),
                steps: Vec::new(),
            })
        })
        .collect()
}

/// The text of shipped lesson `name`.
pub fn lesson(name: &str) -> Option<&'static str> {
    LESSONS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_and_scenario_file_ships_and_parses() {
        let lists: [(&str, &[(&str, &str)]); 2] =
            [("lessons", &LESSONS), ("scenarios", &SCENARIOS)];
        for (folder, list) in lists {
            let dir = format!("{}/../../www/{folder}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<String> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .flatten()
                .filter_map(|f| f.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".kplay").map(str::to_string))
                .collect();
            files.sort();
            let mut shipped: Vec<String> = list.iter().map(|(n, _)| n.to_string()).collect();
            shipped.sort();
            assert_eq!(shipped, files, "www/{folder} and the list differ");
            for (name, text) in list {
                let lesson = lesson::parse(text);
                assert!(lesson.is_ok_and(|l| !l.steps.is_empty()), "{name}");
            }
        }
    }
}
