//! Go's `text/tabwriter` as kubectl's describers configure it (`tabbedString` in
//! `k8s.io/kubectl/pkg/describe/describe.go`: minwidth 0, padding 2, padded with spaces).
//!
//! Unlike `kubectl get`'s tables, a describer's text aligns a column only over a run of
//! consecutive lines that all have a cell in that column: a line without a tab (such as
//! `Pod Template:`) ends every column, so each section lines up on its own. Cells are
//! terminated by tabs; the text after a line's last tab is not a cell and is never padded.

/// The padding Go adds after every cell (`tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)`).
const PADDING: usize = 2;

/// Lays out tab-separated text exactly as Go's tabwriter does with describe's settings.
pub fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format(&lines, &mut widths, 0, lines.len(), &mut out);
    out
}

/// tabwriter's `format`: finds the blocks of consecutive lines that have a cell in the next
/// column, sizes that column per block and recurses into the columns to its right.
fn format(
    lines: &[Vec<&str>],
    widths: &mut Vec<usize>,
    line0: usize,
    line1: usize,
    out: &mut String,
) {
    let column = widths.len();
    let has_cell = |i: usize| lines.get(i).is_some_and(|l| column + 1 < l.len());
    let mut start = line0;
    let mut this = line0;
    while this < line1 {
        if !has_cell(this) {
            this += 1;
            continue;
        }
        write_lines(lines, widths, start, this, out);
        start = this;
        let mut width = 0;
        while this < line1 && has_cell(this) {
            let cell = lines[this].get(column).map_or(0, |c| c.chars().count());
            width = width.max(cell + PADDING);
            this += 1;
        }
        widths.push(width);
        format(lines, widths, start, this, out);
        widths.pop();
        start = this;
    }
    write_lines(lines, widths, start, line1, out);
}

/// tabwriter's `writeLines`: each cell padded to its column's width; the last line of the
/// text is the unterminated remainder and gets no newline.
fn write_lines(
    lines: &[Vec<&str>],
    widths: &[usize],
    line0: usize,
    line1: usize,
    out: &mut String,
) {
    for i in line0..line1 {
        let Some(line) = lines.get(i) else { continue };
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(width) = widths.get(j).filter(|_| j + 1 < line.len()) {
                let pad = width.saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn columns_align_per_block_of_consecutive_lines() {
        // As `kubectl describe deployment` prints its conditions: the column-0 block runs on
        // through the OldReplicaSets/NewReplicaSet lines, which widen it to 15 + 2.
        let text = "Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n  Available \tTrue\tMinimumReplicasAvailable\n  Progressing \tTrue\tNewReplicaSetAvailable\nOldReplicaSets:\t<none>\nNewReplicaSet:\tweb-1 (1/1 replicas created)\nEvents:\t<none>\n";
        let want = "Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   web-1 (1/1 replicas created)
Events:          <none>
";
        assert_eq!(align(text), want);
        // A line without a tab ends the block: the two pairs are sized separately.
        assert_eq!(
            align("a:\tx\nPod Template:\n  Labels:\ty\n"),
            "a:  x\nPod Template:\n  Labels:  y\n"
        );
        // A leading tab is an empty first cell, so continuation lines stay in the block.
        assert_eq!(
            align("Labels:\ta=1\n\tb=2\nName:\tn\n"),
            "Labels:  a=1\n         b=2\nName:    n\n"
        );
    }
}
