//! Colours for image versions. Pods are coloured by the image they run, from the Okabe-Ito
//! palette (distinguishable with the common colour-vision deficiencies); every tile also
//! carries the version as text, so colour is never the only cue. An image keeps the colour it
//! got when first seen for the whole session, so a rollout never repaints the old version.

/// How many colours the palette has (`.c0` .. `.c6` in `www/style.css`).
pub const COLOURS: u8 = 7;

/// The colour assignment, in order of first appearance.
#[derive(Debug, Default, Clone)]
pub struct Palette {
    seen: Vec<String>,
}

impl Palette {
    /// The colour index of `image`, assigning the next free colour to a new image (the
    /// palette repeats after [`COLOURS`] images).
    pub fn colour(&mut self, image: &str) -> u8 {
        let index = match self.seen.iter().position(|s| s == image) {
            Some(index) => index,
            None => {
                self.seen.push(image.to_string());
                self.seen.len() - 1
            }
        };
        u8::try_from(index % usize::from(COLOURS)).unwrap_or(0)
    }

    /// The colour of the first image seen with this version (tag), for the traffic chart,
    /// whose counters know versions, not images.
    pub fn version_colour(&self, version: &str) -> Option<u8> {
        let index = self
            .seen
            .iter()
            .position(|s| kplay_core::network::traffic::version_of(s) == version)?;
        u8::try_from(index % usize::from(COLOURS)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_keep_their_first_colour() {
        let mut palette = Palette::default();
        assert_eq!(palette.colour("flask-app:1.0"), 0);
        assert_eq!(palette.colour("flask-app:1.1"), 1);
        assert_eq!(palette.colour("flask-app:1.0"), 0);
        for i in 2..7 {
            assert_eq!(palette.colour(&format!("nginx:1.{i}")), i);
        }
        assert_eq!(palette.colour("busybox"), 0, "the palette repeats");
        assert_eq!(palette.version_colour("1.1"), Some(1));
        assert_eq!(
            palette.version_colour("latest"),
            Some(0),
            "busybox repeats colour 0"
        );
        assert_eq!(palette.version_colour("9.9"), None);
    }
}
