//! A map kept as a vector sorted by key, for the small maps of the simulation (per node, per
//! Service, per version, per container). It iterates in key order like `BTreeMap`, so results
//! stay deterministic, but its code is a binary search and a vector insert: each `BTreeMap`
//! key and value type adds ~9 KB of tree code to the Wasm, and the page has a size budget.
//! The store and the timer queue, which thousands of pods write to all the time, stay
//! `BTreeMap`s. Per-pod maps written a few times in a pod's life (the kubelet's probe workers
//! and started containers, the controllers' wake-ups) are `VecMap`s too: at 10,000 pods an
//! insert moves half a megabyte, which a 10,000-replica rollout pays for in about a second.

use std::borrow::Borrow;

/// A sorted association list with `BTreeMap`'s semantics for the operations it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        VecMap(Vec::new())
    }

    /// Where `key` is, or where it would go.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let index = self.find(key).ok()?;
        self.0.get(index).map(|(_, v)| v)
    }

    /// The value of `key`, to change it.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let index = self.find(key).ok()?;
        self.0.get_mut(index).map(|(_, v)| v)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value of `key`, returning the one it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(index) => self
                .0
                .get_mut(index)
                .map(|(_, v)| std::mem::replace(v, value)),
            Err(index) => {
                self.0.insert(index, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let index = self.find(key).ok()?;
        Some(self.0.remove(index).1)
    }

    /// The value of `key`, inserted as the default first if there is none (`BTreeMap`'s
    /// `entry(key).or_default()`).
    pub fn entry_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let index = match self.find(&key) {
            Ok(index) => index,
            Err(index) => {
                self.0.insert(index, (key, V::default()));
                index
            }
        };
        &mut self.0[index].1
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.into_iter()
    }

    /// The entries in key order, with their values to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// The values in key order, to change them.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// Collects pairs; a later value for the same key wins, as in `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = VecMap::new();
        for (k, v) in pairs {
            map.insert(k, v);
        }
        map
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_a_btree_map() {
        // The same operations on both, in an order that inserts before, between and after.
        let ops: [(&str, Option<u32>); 9] = [
            ("m", Some(1)),
            ("c", Some(2)),
            ("x", Some(3)),
            ("c", Some(4)),
            ("a", None),
            ("m", None),
            ("b", Some(5)),
            ("x", None),
            ("z", Some(6)),
        ];
        let mut vec_map = VecMap::new();
        let mut tree = BTreeMap::new();
        for (key, value) in ops {
            match value {
                Some(v) => assert_eq!(vec_map.insert(key, v), tree.insert(key, v), "{key}"),
                None => assert_eq!(vec_map.remove(key), tree.remove(key), "{key}"),
            }
            assert!(vec_map.iter().eq(tree.iter()), "after {key}");
        }
        *vec_map.entry_or_default("c") += 10;
        *vec_map.entry_or_default("d") += 1;
        assert_eq!(
            vec_map.into_iter().collect::<Vec<_>>(),
            [("b", 5), ("c", 14), ("d", 1), ("z", 6)]
        );
        let collected: VecMap<&str, u32> = [("b", 1), ("a", 2), ("b", 3)].into_iter().collect();
        assert_eq!(
            collected.iter().collect::<Vec<_>>(),
            [(&"a", &2), (&"b", &3)]
        );
    }
}
