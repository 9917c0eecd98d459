//! A YAML/JSON tree that remembers where every value sits in its source (1-based line and
//! column), so each finding can point at `file:line:column`.
//!
//! serde-saphyr (already the workspace's YAML crate) hands out locations through
//! `serde_saphyr::Spanned<T>`: [`Node`] deserializes as a `Spanned<Value>` whose maps and
//! sequences hold `Node`s again, so every level keeps its own span without a second YAML crate.
//! JSON is read by the same parser (YAML 1.2 is a superset of JSON), with the same locations.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One value with its position (line 0 when it came from the cluster rather than a file).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The value.
    pub(crate) value: Value,
    /// 1-based line (0: unknown).
    pub(crate) line: u32,
    /// 1-based column (0: unknown).
    pub(crate) column: u32,
}

/// A YAML value; map keys are kept as text (Kubernetes keys are strings).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

static NULL: Node = Node { value: Value::Null, line: 0, column: 0 };

impl Node {
    /// The value under `key` when this is a map.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a dotted path of map keys (`spec.jobTemplate.spec`); `None` when any step
    /// is missing or null.
    pub(crate) fn at(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        for key in path.split('.') {
            node = node.get(key)?;
        }
        (!matches!(node.value, Value::Null)).then_some(node)
    }

    /// The value at `path`, or a null node (for chaining).
    pub(crate) fn at_or_null(&self, path: &str) -> &Node {
        self.at(path).unwrap_or(&NULL)
    }

    /// The text of a string scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// An integer (a float with no fraction counts, as JSON numbers from tools may be `6.0`).
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// A boolean.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The items of a sequence (empty for anything else).
    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// Converts a JSON value (from the API server) into a tree without positions.
    pub(crate) fn from_json(json: &serde_json::Value) -> Node {
        use serde_json::Value as J;
        let value = match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            J::String(s) => Value::Str(s.clone()),
            J::Array(items) => Value::Seq(items.iter().map(Node::from_json).collect()),
            J::Object(map) => {
                Value::Map(map.iter().map(|(k, v)| (k.clone(), Node::from_json(v))).collect())
            }
        };
        Node { value, line: 0, column: 0 }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            line: u32::try_from(spanned.referenced.line()).unwrap_or(0),
            column: u32::try_from(spanned.referenced.column()).unwrap_or(0),
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<Key>>()? {
            let mut value = map.next_value::<Node>()?;
            // A nested map or list is placed at its key (`spec:`), where a reader looks for
            // it, rather than at its first entry.
            if matches!(value.value, Value::Map(_) | Value::Seq(_)) && key.referenced.line() > 0 {
                value.line = u32::try_from(key.referenced.line()).unwrap_or(value.line);
                value.column = u32::try_from(key.referenced.column()).unwrap_or(value.column);
            }
            entries.push((key.value.0, value));
        }
        Ok(Value::Map(entries))
    }
}

/// A map key of any scalar type, as text (`1: x` keys become `"1"`).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Str(s) => Ok(Key(s)),
            Value::Int(i) => Ok(Key(i.to_string())),
            Value::Float(f) => Ok(Key(f.to_string())),
            Value::Bool(b) => Ok(Key(b.to_string())),
            Value::Null => Ok(Key("null".to_owned())),
            Value::Seq(_) | Value::Map(_) => Err(de::Error::custom("a map key must be a scalar")),
        }
    }
}

/// Parses every document of a YAML (or JSON) stream; empty documents are dropped.
pub(crate) fn parse_documents(text: &str) -> Result<Vec<Node>, ParseFailure> {
    // serde-saphyr's default budget (1,024 documents, 250,000 nodes) guards config files; a
    // manifest stream (`kubectl get cronjobs -A -o yaml`, `helm template` of a big chart) is
    // legitimately larger. Aliases, anchors and depth keep their guards.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_documents = 10_000_000;
    budget.max_nodes = 100_000_000;
    budget.max_events = 400_000_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    let docs: Vec<Option<Node>> =
        serde_saphyr::from_multiple_with_options(text, options).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| {
                    (u32::try_from(l.line()).unwrap_or(0), u32::try_from(l.column()).unwrap_or(0))
                })
                .unwrap_or((0, 0));
            let message = e.to_string();
            let message = message.lines().next().unwrap_or("cannot parse").to_owned();
            ParseFailure { line, column, message }
        })?;
    Ok(docs.into_iter().flatten().filter(|n| n.value != Value::Null).collect())
}

/// Why a stream did not parse, and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseFailure {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_keeps_its_line_and_column() {
        let docs = parse_documents(
            "apiVersion: batch/v1\nkind: CronJob\nspec:\n  schedule: \"0 0 30 2 *\"\n  jobTemplate:\n    spec:\n      backoffLimit: 6\n---\n---\nkind: Job\nitems:\n  - a\n  - b: 1\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
        let schedule = docs[0].at("spec.schedule").unwrap();
        assert_eq!(schedule.as_str(), Some("0 0 30 2 *"));
        assert_eq!((schedule.line, schedule.column), (4, 13));
        let backoff = docs[0].at("spec.jobTemplate.spec.backoffLimit").unwrap();
        assert_eq!((backoff.as_i64(), backoff.line), (Some(6), 7));
        assert_eq!(docs[1].get("kind").unwrap().line, 10);
        assert_eq!(docs[0].at("spec.jobTemplate").unwrap().line, 5, "a map sits at its key");
        assert_eq!(docs[1].at("items").unwrap().items()[1].line, 13);
    }

    #[test]
    fn json_parses_with_positions() {
        let docs = parse_documents(
            "{\n\t\"kind\": \"CronJob\",\n  \"spec\": {\"schedule\": \"@hourly\"}\n}\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 1);
        let schedule = docs[0].at("spec.schedule").unwrap();
        assert_eq!((schedule.as_str(), schedule.line), (Some("@hourly"), 3));
    }

    #[test]
    fn big_streams_fit_the_budget() {
        let doc = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x, labels: {a: b}}\n";
        let text = vec![doc; 3000].join("---\n");
        let docs = parse_documents(&text).unwrap();
        assert_eq!(docs.len(), 3000);
        assert_eq!(docs[2999].get("kind").unwrap().line, 2999 * 4 + 2);
    }

    #[test]
    fn a_syntax_error_says_where() {
        let err = parse_documents("kind: CronJob\nspec: [\n  a: b: c\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }
}
