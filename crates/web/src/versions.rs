//! The image versions the "Update image" picker offers. The lessons' demo images come in a few
//! tags; the picker lists the tags of the deployment's current image repository, keeping its
//! registry path, so that a newcomer can roll between versions without typing.

use kplay_core::images;

/// The demo tags of each repository in the image catalogue that has versions to roll between.
const DEMO_TAGS: [(&str, &[&str]); 2] = [
    ("flask-app", &["1.0", "1.1", "2.0"]),
    ("nginx", &["1.27", "1.28"]),
];

/// The images to offer for a container now running `image`: the same repository at each demo
/// tag, and always `image` itself.
pub fn choices(image: &str) -> Vec<String> {
    let base = match images::tag(image) {
        Some(tag) => image.strip_suffix(tag).and_then(|s| s.strip_suffix(':')),
        None if image.contains('@') => None,
        None => Some(image),
    };
    let tags = DEMO_TAGS
        .iter()
        .find(|(name, _)| *name == images::repository_name(image))
        .map_or(&[][..], |(_, tags)| *tags);
    let mut out: Vec<String> = match base {
        Some(base) => tags.iter().map(|t| format!("{base}:{t}")).collect(),
        None => Vec::new(),
    };
    if !out.iter().any(|c| c == image) {
        out.insert(0, image.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_the_repository_tags_and_the_current_image() {
        let table: [(&str, &[&str]); 5] = [
            (
                "flask-app:1.0",
                &["flask-app:1.0", "flask-app:1.1", "flask-app:2.0"],
            ),
            ("nginx:1.28", &["nginx:1.27", "nginx:1.28"]),
            (
                "localhost:5000/nginx:1.26",
                &[
                    "localhost:5000/nginx:1.26",
                    "localhost:5000/nginx:1.27",
                    "localhost:5000/nginx:1.28",
                ],
            ),
            ("nginx", &["nginx", "nginx:1.27", "nginx:1.28"]),
            ("busybox:1.36", &["busybox:1.36"]),
        ];
        for (image, expected) in table {
            assert_eq!(choices(image), expected, "{image}");
        }
    }
}
