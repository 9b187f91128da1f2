//! A sorted list of endpoints patched in place: what the endpoints and EndpointSlice
//! controllers do to a Service's list when a few of its pods changed. The real controllers
//! recompute the list from every pod on each sync; so did kplay, and then it patched a copy,
//! but copying and comparing 300 addresses was most of what a pod's step cost during a
//! rollout. This changes the list in place and compares only the changed entries.

use std::cmp::Ordering;

/// Takes the entries of the pods `changed` (names) out of `list`, which `order` sorts, and
/// puts `added` in where `order` puts them (after equal entries). `pod` names an entry's pod.
/// Returns whether the list differs from before: whether what was taken out is not exactly
/// what was put back. The other entries are moved only by the shifts of a removal or an
/// insertion (a block copy each), since a pod's change touches one or two entries.
pub(crate) fn patch_sorted<E: PartialEq>(
    list: &mut Vec<E>,
    changed: &[&str],
    mut added: Vec<E>,
    pod: impl Fn(&E) -> &str,
    order: impl Fn(&E, &E) -> Ordering,
) -> bool {
    let mut removed = Vec::new();
    let mut at = 0;
    while let Some(entry) = list.get(at) {
        if is_one_of(pod(entry), changed) {
            removed.push(list.remove(at));
        } else {
            at += 1;
        }
    }
    crate::sort::sort_by(&mut added, &order);
    // Both in list order: equal exactly when the list comes out as it was.
    let differs = removed != added;
    for entry in added {
        let at = list.partition_point(|e| order(e, &entry) != Ordering::Greater);
        list.insert(at, entry);
    }
    differs
}

/// Whether the pod name `name` is one of `names` (the pods a patch takes out), with
/// [`same_pod`]'s cheaper comparison.
pub(crate) fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| same_pod(n, name))
}

/// Whether `a` and `b` name the same pod, comparing their last bytes first: the pods of a
/// ReplicaSet differ only in their random suffix, and comparing the shared prefix of each of
/// 300 endpoints with each changed pod was a visible part of a pod's step.
pub(crate) fn same_pod(a: &str, b: &str) -> bool {
    a.as_bytes().last() == b.as_bytes().last() && a == b
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
