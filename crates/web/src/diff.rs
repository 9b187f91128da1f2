//! A line diff for the rollback preview: which lines of the pod template a rollback removes
//! and adds, found with a longest-common-subsequence table (templates are a few dozen lines).

/// One line of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// In both texts.
    Same(&'a str),
    /// Only in the old text.
    Removed(&'a str),
    /// Only in the new text.
    Added(&'a str),
}

/// The lines of `new` against `old`, in order.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // common[i][j]: the LCS length of a[i..] and b[j..].
    let mut common = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Line::Same(a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            // Removals first, as `diff -u` shows a change.
            out.push(Line::Removed(a[i]));
            i += 1;
        } else {
            out.push(Line::Added(b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_table() {
        let cases: [(&str, &str, Vec<Line>); 4] = [
            ("a\nb", "a\nb", vec![Line::Same("a"), Line::Same("b")]),
            (
                "image: v1\nname: web",
                "image: v2\nname: web",
                vec![
                    Line::Removed("image: v1"),
                    Line::Added("image: v2"),
                    Line::Same("name: web"),
                ],
            ),
            ("", "x", vec![Line::Added("x")]),
            ("x\ny", "y", vec![Line::Removed("x"), Line::Same("y")]),
        ];
        for (old, new, want) in cases {
            assert_eq!(lines(old, new), want, "{old:?} -> {new:?}");
        }
    }
}
