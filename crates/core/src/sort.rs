//! Stable sorting that shares one copy of the standard library's sort across the program.
//!
//! `slice::sort_by` is compiled anew for every element type and comparator, a few kilobytes
//! of Wasm each. [`sort_by`] sorts indices instead (one instantiation for every caller) and
//! then swaps the elements into place, which keeps the web app's download small.

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

/// The swaps that put `len` items into the stable order `compare` (on indices) defines.
fn swaps_to_sort(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    // Position `i` receives the item that started at `order[i]`; an item that started before
    // `i` has already been swapped away, to the position its own entry in `order` names.
    let mut swaps = Vec::new();
    for (i, &start) in order.iter().enumerate() {
        let mut from = start;
        while from < i {
            from = order.get(from).copied().unwrap_or(i);
        }
        if from != i {
            swaps.push((i, from));
        }
    }
    swaps
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
