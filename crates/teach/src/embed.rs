//! The snippet a course author pastes into a page to embed the playground: an `<iframe>` of
//! this page's address with `?embed`, the panels to show, and a lesson or scenario to start
//! with, sandboxed (scripts only, unless progress may be kept in the learner's browser).

/// The panels an embed can show (`?panels=`), in the page's order.
pub const PANELS: [&str; 3] = ["controls", "cluster", "console"];

/// What the author chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// `lesson=NAME`, `scenario=NAME`, or nothing, as a query pair.
    pub start: Option<(&'static str, String)>,
    /// Which of [`PANELS`] show.
    pub panels: [bool; 3],
    /// The iframe's height in CSS pixels.
    pub height: u32,
    /// Whether the embed may keep the session and progress in the learner's browser
    /// (`allow-same-origin`, safe only when the page is served from another origin).
    pub keep: bool,
}

impl Default for Embed {
    fn default() -> Self {
        Embed {
            start: None,
            panels: [true; 3],
            height: 720,
            keep: false,
        }
    }
}

/// The `<iframe>` for `embed` of the page at `base` (its address without query or fragment).
pub fn snippet(base: &str, embed: &Embed) -> String {
    let mut query = vec!["embed".to_string()];
    if let Some((key, value)) = &embed.start {
        query.push(format!("{key}={}", component(value)));
    }
    if embed.panels.iter().any(|shown| !shown) {
        let shown: Vec<&str> = PANELS
            .iter()
            .zip(embed.panels)
            .filter(|(_, shown)| *shown)
            .map(|(name, _)| *name)
            .collect();
        query.push(format!("panels={}", shown.join(",")));
    }
    let src = format!("{base}?{}", query.join("&"));
    let sandbox = if embed.keep {
        "allow-scripts allow-same-origin"
    } else {
        "allow-scripts"
    };
    format!(
        "<iframe src=\"{}\" title=\"kplay: a Kubernetes playground\" width=\"100%\" height=\"{}\" style=\"border: 0\" sandbox=\"{sandbox}\"></iframe>",
        attribute(&src),
        embed.height
    )
}

/// A query value: letters, digits and `-._~:/` as they are, every other byte %-encoded.
fn component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Text safe inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_says_what_was_chosen() {
        let base = "https://example.org/kplay/";
        let table = [
            (
                Embed::default(),
                "<iframe src=\"https://example.org/kplay/?embed\" title=\"kplay: a Kubernetes playground\" width=\"100%\" height=\"720\" style=\"border: 0\" sandbox=\"allow-scripts\"></iframe>",
            ),
            (
                Embed {
                    start: Some(("lesson", "deployments".into())),
                    panels: [false, true, true],
                    height: 600,
                    keep: true,
                },
                "<iframe src=\"https://example.org/kplay/?embed&amp;lesson=deployments&amp;panels=cluster,console\" title=\"kplay: a Kubernetes playground\" width=\"100%\" height=\"600\" style=\"border: 0\" sandbox=\"allow-scripts allow-same-origin\"></iframe>",
            ),
            (
                Embed {
                    start: Some(("lesson", "https://my.course/a b.kplay?x=1&y=\"2\"".into())),
                    ..Embed::default()
                },
                "<iframe src=\"https://example.org/kplay/?embed&amp;lesson=https://my.course/a%20b.kplay%3Fx%3D1%26y%3D%222%22\" title=\"kplay: a Kubernetes playground\" width=\"100%\" height=\"720\" style=\"border: 0\" sandbox=\"allow-scripts\"></iframe>",
            ),
        ];
        for (embed, expected) in table {
            assert_eq!(snippet(base, &embed), expected);
        }
    }
}
