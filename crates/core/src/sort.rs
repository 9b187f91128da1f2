//! Stable sorting that shares one copy of the standard library's sort across the program.
//!
//! `slice::sort_by` is compiled anew for every element type and comparator, a few kilobytes
//! of Wasm each. [`sort_by`] sorts indices instead (one instantiation for every caller) and
//! then swaps the elements into place, which keeps the web app's download small.
//!
//! The sort itself is a plain merge sort rather than the standard library's: that one panics
//! when it notices a comparison that is not a total order, and some of Kubernetes' own are
//! not (`ActivePodsWithRanks` with LogarithmicScaleDown compares equal times as equal but
//! different times in one bucket by UID). Go's sort just yields some order; so does this.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`: the same result as `items.sort_by(compare)`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let swaps = {
        let by_index = |a: usize, b: usize| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        };
        swaps_to_sort(items.len(), &by_index)
    };
    for (a, b) in swaps {
        items.swap(a, b);
    }
}

/// Sorts `items` stably by their natural order: the same result as `items.sort()`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The swaps that put `len` items into the stable order `compare` (on indices) defines: one
/// per item out of place, found in linear time by tracking where each item is.
fn swaps_to_sort(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<(usize, usize)> {
    let order = merge_sort(len, compare);
    // `at[p]`: the item (by starting index) now at position `p`; `position[item]`: the reverse.
    let mut at: Vec<usize> = (0..len).collect();
    let mut position = at.clone();
    let mut swaps = Vec::new();
    for (i, &item) in order.iter().enumerate() {
        let Some(&from) = position.get(item) else {
            continue;
        };
        if from == i {
            continue;
        }
        // The item at `i` moves to `from`, and `item` comes to `i`.
        let displaced = at.get(i).copied().unwrap_or(item);
        at.swap(i, from);
        position.swap(displaced, item);
        swaps.push((i, from));
    }
    swaps
}

/// The indices `0..len` in the stable order of `compare`: bottom-up merge sort, each run
/// merged taking from the left unless the right item is strictly less.
fn merge_sort(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged = order.clone();
    let mut width = 1;
    while width < len {
        for (start, run) in merged.chunks_mut(2 * width).enumerate() {
            let start = start * 2 * width;
            let mid = (start + width).min(len);
            let end = start + run.len();
            let (mut left, mut right) = (start, mid);
            for slot in run {
                let take_right = right < end
                    && (left >= mid || compare(order[right], order[left]) == Ordering::Less);
                if take_right {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every arrangement of `items`, by Heap's algorithm.
    fn permutations(items: &mut Vec<(u8, u8)>, k: usize, out: &mut Vec<Vec<(u8, u8)>>) {
        if k <= 1 {
            out.push(items.clone());
            return;
        }
        for i in 0..k {
            permutations(items, k - 1, out);
            let j = if k % 2 == 0 { i } else { 0 };
            items.swap(j, k - 1);
        }
    }

    #[test]
    fn a_comparison_that_is_no_total_order_gives_some_order_without_panicking() {
        // Upstream's shape: equal times are equal, different times in one bucket go by UID
        // (a == b, b < c, but c < a).
        let items: Vec<(u8, u8, u8)> = (0..40).map(|i| (i % 3, i / 10, 40 - i)).collect();
        let quirky = |a: &(u8, u8, u8), b: &(u8, u8, u8)| {
            if a.0 == b.0 {
                Ordering::Equal
            } else if a.1 == b.1 {
                a.2.cmp(&b.2)
            } else {
                a.1.cmp(&b.1)
            }
        };
        let mut sorted = items.clone();
        sort_by(&mut sorted, quirky);
        let mut again = items.clone();
        sort_by(&mut again, quirky);
        assert_eq!(sorted, again);
        let mut as_set = sorted.clone();
        as_set.sort();
        let mut expected = items;
        expected.sort();
        assert_eq!(as_set, expected);
    }

    #[test]
    fn matches_std_stable_sort_on_every_arrangement() {
        // Equal keys with distinct tags check stability.
        let mut items = vec![(2, 0), (1, 1), (2, 2), (0, 3), (1, 4), (3, 5)];
        let mut all = Vec::new();
        let len = items.len();
        permutations(&mut items, len, &mut all);
        assert_eq!(all.len(), 720);
        for arrangement in all {
            let mut ours = arrangement.clone();
            let mut std = arrangement;
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|item| item.0);
            assert_eq!(ours, std);
        }
    }

    #[test]
    fn natural_order() {
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
