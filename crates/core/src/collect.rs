//! Building sorted maps without compiling a sort for every call site.
//!
//! `collect::<BTreeMap<_, _>>()` gathers its items into a vector and sorts it, and that sort is
//! compiled anew for every iterator type that is collected: more than seventy copies, a tenth
//! of the web app's code. Inserting one item at a time needs only the map's own `insert`.

/// The map (a `BTreeMap` or a JSON object) of `pairs`, a later pair replacing an earlier one
/// with the same key, as `collect` builds it.
pub fn map<M: Default + Extend<(K, V)>, K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> M {
    let mut map = M::default();
    map.extend(pairs);
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_later_pair_wins_as_with_collect() {
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        let built: BTreeMap<_, _> = map(pairs);
        let collected: BTreeMap<_, _> = pairs.into_iter().collect();
        assert_eq!(built, collected);
        assert_eq!(built.get("b"), Some(&3));
    }
}
