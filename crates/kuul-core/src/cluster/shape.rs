//! Which fields of a listed object its slim decode type reads, so the list splitter
//! ([`super::list::ItemSplitter`]) hands serde each item with everything else already cut out
//! (issue 15: serde parsed every byte of every item, and a Job's `spec`, its pod template, is
//! half of it, though no slim Job type reads it).
//!
//! A [`Shape`] is a tree of field names: the item's fields, and for some of them (objects) the
//! fields of their value. A field the shape does not name has its value replaced by `null`
//! before serde sees it; the decode type ignores that field either way, so the result is the
//! same, only faster. The names come from the decode types themselves ([`Shape::of`]): what
//! `#[derive(Deserialize)]` passes to `deserialize_struct` (its field names, after renames),
//! captured by a deserializer that reads nothing. A type that is not a plain struct (a map,
//! `serde_json::Value`, a hand-written `Deserialize` that does not ask for a struct, or one
//! with `#[serde(flatten)]`, which asks for a map) has no shape: all of it is kept.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The fields to keep of an item, and of some of its fields' values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shape {
    /// Node 0 is the item; each node's `children` point to later nodes.
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
    fields: &'static [&'static str],
    /// Fields whose value (an object) is itself filtered, by the node at that index.
    children: Vec<(&'static str, usize)>,
}

/// What to do with a member of an object being filtered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Member {
    /// Not read by the decode type: its value becomes `null`.
    Skip,
    /// Kept whole.
    Keep,
    /// Kept, and its value, when an object, is filtered by this node.
    Filter(usize),
}

impl Shape {
    /// The fields `T` reads at its top level (`None`: `T` is not a plain struct; keep all).
    pub(crate) fn of<'de, T: Deserialize<'de>>() -> Option<Shape> {
        let fields = fields_of::<T>()?;
        Some(Shape { nodes: vec![Node { fields, children: Vec::new() }] })
    }

    /// This shape, with the value of the item's `field` filtered to what `T` reads (unchanged
    /// when `T` is not a plain struct, or `field` is not one this shape keeps).
    #[must_use]
    pub(crate) fn with<'de, T: Deserialize<'de>>(mut self, field: &'static str) -> Shape {
        if let Some(fields) = fields_of::<T>()
            && self.nodes[0].fields.contains(&field)
        {
            let child = self.nodes.len();
            self.nodes.push(Node { fields, children: Vec::new() });
            self.nodes[0].children.push((field, child));
        }
        self
    }

    /// This shape, with the value of the item's `field` filtered by `inner` (a shape of its
    /// own, nested as deep as it is), for fields whose type reads little of a large value at
    /// more than one level (a Job's `spec.template`). Unchanged when this shape does not keep
    /// `field`, or `inner` is `None` (its type is not a plain struct).
    #[must_use]
    pub(crate) fn nest(mut self, field: &'static str, inner: Option<Shape>) -> Shape {
        let Some(inner) = inner else { return self };
        if !self.nodes[0].fields.contains(&field) {
            return self;
        }
        let offset = self.nodes.len();
        self.nodes[0].children.push((field, offset));
        self.nodes.extend(inner.nodes.into_iter().map(|mut node| {
            for (_, child) in &mut node.children {
                *child += offset;
            }
            node
        }));
        self
    }

    /// What to do with the member `key` of an object filtered by `node`.
    pub(super) fn member(&self, node: usize, key: &[u8]) -> Member {
        let node = &self.nodes[node];
        if !node.fields.iter().any(|f| f.as_bytes() == key) {
            return Member::Skip;
        }
        node.children
            .iter()
            .find(|(f, _)| f.as_bytes() == key)
            .map_or(Member::Keep, |&(_, child)| Member::Filter(child))
    }
}

/// The field names `T`'s `Deserialize` asks `deserialize_struct` for, if it does.
fn fields_of<'de, T: Deserialize<'de>>() -> Option<&'static [&'static str]> {
    let mut probe = Probe(None);
    // Always an error: the probe reads nothing, it only listens.
    let _ = T::deserialize(&mut probe);
    probe.0
}

/// A deserializer that records the field names of the struct asked for, then fails.
struct Probe(Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for &mut Probe {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some(fields);
        Err(de::Error::custom("fields recorded"))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::facts::{JobFacts, Meta};

    #[test]
    fn a_shape_names_what_the_decode_type_reads() {
        let shape = Shape::of::<JobFacts>().unwrap().with::<Meta>("metadata");
        assert_eq!(shape.member(0, b"spec"), Member::Skip);
        assert_eq!(shape.member(0, b"status"), Member::Keep);
        let Member::Filter(meta) = shape.member(0, b"metadata") else { panic!("{shape:?}") };
        assert_eq!(shape.member(meta, b"ownerReferences"), Member::Keep);
        assert_eq!(shape.member(meta, b"creationTimestamp"), Member::Keep);
        assert_eq!(shape.member(meta, b"managedFields"), Member::Skip);
        // Not plain structs: kept whole.
        assert_eq!(Shape::of::<serde_json::Value>(), None);
        assert_eq!(Shape::of::<std::collections::BTreeMap<String, String>>(), None);
        // Nested shapes filter at every level they name (here, oddly but simply, a Job's shape
        // nested under its own `status`).
        let job = || Shape::of::<JobFacts>().map(|s| s.with::<Meta>("metadata"));
        let nested = job().unwrap().nest("status", job());
        let Member::Filter(status) = nested.member(0, b"status") else { panic!("{nested:?}") };
        assert_eq!(nested.member(status, b"spec"), Member::Skip);
        let Member::Filter(meta) = nested.member(status, b"metadata") else { panic!("{nested:?}") };
        assert!(meta > status);
        assert_eq!(nested.member(meta, b"managedFields"), Member::Skip);
        assert_eq!(nested.member(meta, b"uid"), Member::Keep);
        // A field the shape does not keep gets no filter.
        assert_eq!(
            Shape::of::<JobFacts>().unwrap().with::<Meta>("spec").member(0, b"spec"),
            Member::Skip
        );
    }
}
