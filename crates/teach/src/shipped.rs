//! The lessons that ship with the page (`www/lessons/*.kplay`), built in so that the list shows
//! at once and works offline; other lessons are loaded from an address (`?lesson=URL`).

/// (name, text) of each shipped lesson, in the curriculum's order (PRODUCT.md).
pub const LESSONS: [(&str, &str); 6] = [
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

/// The text of shipped lesson `name`.
pub fn lesson(name: &str) -> Option<&'static str> {
    LESSONS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_file_ships_and_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/lessons");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .flatten()
            .filter_map(|f| f.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".kplay").map(str::to_string))
            .collect();
        files.sort();
        let mut shipped: Vec<String> = LESSONS.iter().map(|(n, _)| n.to_string()).collect();
        shipped.sort();
        assert_eq!(shipped, files, "www/lessons and LESSONS differ");
        for (name, text) in LESSONS {
            assert!(kplay_lessons::lesson::parse(text).is_ok(), "{name}");
        }
    }
}
