//! A sorted list of endpoints patched in place: what the endpoints and EndpointSlice
//! controllers do to a Service's list when a few of its pods changed. The real controllers
//! recompute the list from every pod on each sync; so did kplay, and then it patched a copy,
//! but copying and comparing 300 addresses was most of what a pod's step cost during a
//! rollout. This moves entries instead of copying them, and compares only the changed ones.

use std::cmp::Ordering;

/// Takes the entries of the pods `changed` (names) out of `list`, which `order` sorts, and
/// merges `added` in where `order` puts them (after equal entries, as an insertion at the
/// partition point would). `pod` names an entry's pod. Returns whether the list differs from
/// before: whether what was taken out is not exactly what was put back.
pub(crate) fn patch_sorted<E: PartialEq>(
    list: &mut Vec<E>,
    changed: &[&str],
    mut added: Vec<E>,
    pod: impl Fn(&E) -> &str,
    order: impl Fn(&E, &E) -> Ordering,
) -> bool {
    let (removed, kept): (Vec<E>, Vec<E>) = std::mem::take(list)
        .into_iter()
        .partition(|e| changed.contains(&pod(e)));
    crate::sort::sort_by(&mut added, &order);
    // Both in list order: equal exactly when the list comes out as it was.
    let differs = removed != added;
    let mut merged = Vec::with_capacity(kept.len() + added.len());
    let mut added = added.into_iter().peekable();
    for entry in kept {
        while let Some(new) = added.next_if(|a| order(a, &entry) == Ordering::Less) {
            merged.push(new);
        }
        merged.push(entry);
    }
    merged.extend(added);
    *list = merged;
    differs
}

#[cfg(test)]
mod tests {
    use super::patch_sorted;

    /// (address, pod) pairs, sorted by address then pod as the controllers sort endpoints.
    type Entry = (&'static str, &'static str);

    fn patch(list: &[Entry], changed: &[&str], added: &[Entry]) -> (Vec<Entry>, bool) {
        let mut list = list.to_vec();
        let differs = patch_sorted(&mut list, changed, added.to_vec(), |e| e.1, |a, b| a.cmp(b));
        (list, differs)
    }

    #[test]
    fn changed_entries_move_to_their_place_and_a_same_entry_is_no_change() {
        let list = [("10.0.0.1", "a"), ("10.0.0.2", "b"), ("10.0.0.3", "c")];
        #[allow(clippy::type_complexity)]
        let cases: [(&[&str], &[Entry], &[Entry], bool); 6] = [
            // Nothing changed.
            (&[], &[], &list, false),
            // A pod read again with the same address.
            (&["b"], &[("10.0.0.2", "b")], &list, false),
            // A pod gone.
            (&["b"], &[], &[("10.0.0.1", "a"), ("10.0.0.3", "c")], true),
            // A new pod, in address order.
            (
                &["d"],
                &[("10.0.0.0", "d")],
                &[
                    ("10.0.0.0", "d"),
                    ("10.0.0.1", "a"),
                    ("10.0.0.2", "b"),
                    ("10.0.0.3", "c"),
                ],
                true,
            ),
            // Two pods at once, one moved past the end, one new among the others.
            (
                &["a", "e"],
                &[("10.0.0.9", "a"), ("10.0.0.2", "e")],
                &[
                    ("10.0.0.2", "b"),
                    ("10.0.0.2", "e"),
                    ("10.0.0.3", "c"),
                    ("10.0.0.9", "a"),
                ],
                true,
            ),
            // A pod that was no entry and still is none.
            (&["z"], &[], &list, false),
        ];
        for (changed, added, expected, differs) in cases {
            assert_eq!(
                patch(&list, changed, added),
                (expected.to_vec(), differs),
                "{changed:?} {added:?}"
            );
        }
    }
}
