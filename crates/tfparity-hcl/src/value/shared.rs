//! The elements of a collection value, shared rather than copied when the value is
//! (a reference to a local, an argument to a function, an element picked out of a
//! list), and what is known of them all, kept when the collection is made: its size,
//! its depth, whether any part is unknown or sensitive. Copying a value, asking its
//! size or whether it holds an unknown, then costs the same for a million elements as
//! for one. No evaluation here.

use super::V;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// What is known of a collection's elements, at every level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Meta {
    /// As [`V::size`] counts it, the collection itself included.
    pub(super) size: u64,
    /// Levels of collections (and sensitive marks), the collection itself included.
    pub(super) depth: u32,
    pub(super) unknown: bool,
    pub(super) sensitive: bool,
}

impl Meta {
    /// The collection holding nothing yet.
    fn empty() -> Meta {
        Meta {
            size: 1,
            depth: 1,
            unknown: false,
            sensitive: false,
        }
    }

    /// Adds an element to what is known (one look at it: this runs for every element of
    /// every collection made).
    fn add(&mut self, v: &V) {
        let (size, depth, unknown, sensitive) = match v {
            V::List(l) | V::Set(l) => {
                let m = l.meta();
                (m.size, m.depth, m.unknown, m.sensitive)
            }
            V::Map(m) => {
                let m = m.meta();
                (m.size, m.depth, m.unknown, m.sensitive)
            }
            V::Str(s) => (1 + s.len() as u64 / 64, 0, false, false),
            V::Unknown(_) => (1, 0, true, false),
            V::Sensitive(x) => (x.size(), x.depth().saturating_add(1), x.has_unknown(), true),
            V::Null | V::Bool(_) | V::Num(_) => (1, 0, false, false),
        };
        self.size = self.size.saturating_add(size);
        self.depth = self.depth.max(depth.saturating_add(1));
        self.unknown |= unknown;
        self.sensitive |= sensitive;
    }
}

/// The elements of a list, tuple or set, shared. Reads as a slice of them.
#[derive(Clone)]
pub struct Seq(Arc<(Vec<V>, Meta)>);

impl Seq {
    pub(super) fn meta(&self) -> &Meta {
        &self.0 .1
    }

    /// Whether both are the same elements, shared (not only equal).
    pub fn same(&self, other: &Seq) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The elements, owned: taken when this is the only holder, copied (each element a
    /// cheap copy) otherwise.
    pub fn into_vec(self) -> Vec<V> {
        match Arc::try_unwrap(self.0) {
            Ok((items, _)) => items,
            Err(shared) => shared.0.clone(),
        }
    }
}

impl From<Vec<V>> for Seq {
    fn from(items: Vec<V>) -> Seq {
        let mut meta = Meta::empty();
        for v in &items {
            meta.add(v);
        }
        Seq(Arc::new((items, meta)))
    }
}

impl FromIterator<V> for Seq {
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> Seq {
        Seq::from(iter.into_iter().collect::<Vec<V>>())
    }
}

impl<const N: usize> From<[V; N]> for Seq {
    fn from(items: [V; N]) -> Seq {
        Seq::from(Vec::from(items))
    }
}

impl Default for Seq {
    fn default() -> Seq {
        Seq::from(Vec::new())
    }
}

impl Deref for Seq {
    type Target = [V];
    fn deref(&self) -> &[V] {
        &self.0 .0
    }
}

impl IntoIterator for Seq {
    type Item = V;
    type IntoIter = std::vec::IntoIter<V>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a> IntoIterator for &'a Seq {
    type Item = &'a V;
    type IntoIter = std::slice::Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Seq {
    fn eq(&self, other: &Seq) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 .0 == other.0 .0
    }
}

impl fmt::Debug for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The attributes of a map or object, by name in lexical order, shared. Reads as the
/// map of them.
#[derive(Clone)]
pub struct Obj(Arc<(BTreeMap<String, V>, Meta)>);

impl Obj {
    pub(super) fn meta(&self) -> &Meta {
        &self.0 .1
    }

    /// Whether both are the same attributes, shared (not only equal).
    pub fn same(&self, other: &Obj) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The attributes, owned: taken when this is the only holder, copied (each value a
    /// cheap copy) otherwise.
    pub fn into_map(self) -> BTreeMap<String, V> {
        match Arc::try_unwrap(self.0) {
            Ok((m, _)) => m,
            Err(shared) => shared.0.clone(),
        }
    }
}

impl From<BTreeMap<String, V>> for Obj {
    fn from(m: BTreeMap<String, V>) -> Obj {
        let mut meta = Meta::empty();
        for (k, v) in &m {
            meta.size = meta.size.saturating_add(k.len() as u64 / 64);
            meta.add(v);
        }
        Obj(Arc::new((m, meta)))
    }
}

impl FromIterator<(String, V)> for Obj {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Obj {
        Obj::from(iter.into_iter().collect::<BTreeMap<String, V>>())
    }
}

impl<const N: usize> From<[(String, V); N]> for Obj {
    fn from(entries: [(String, V); N]) -> Obj {
        Obj::from(BTreeMap::from(entries))
    }
}

impl Default for Obj {
    fn default() -> Obj {
        Obj::from(BTreeMap::new())
    }
}

impl Deref for Obj {
    type Target = BTreeMap<String, V>;
    fn deref(&self) -> &BTreeMap<String, V> {
        &self.0 .0
    }
}

impl IntoIterator for Obj {
    type Item = (String, V);
    type IntoIter = std::collections::btree_map::IntoIter<String, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_map().into_iter()
    }
}

impl<'a> IntoIterator for &'a Obj {
    type Item = (&'a String, &'a V);
    type IntoIter = std::collections::btree_map::Iter<'a, String, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Obj {
    fn eq(&self, other: &Obj) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 .0 == other.0 .0
    }
}

impl fmt::Debug for Obj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
