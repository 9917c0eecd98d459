//! Seed data for the sandbox: `empty`, `demo` (a realistic periodic-jobs cluster) and
//! `scale:N` (N CronJobs with ten finished runs each).
//!
//! Seeds are lists of objects whose statuses, owner references and timestamps are what the
//! simulated control plane would have written (see `build`), relative to the start time. They
//! refer to each other by placeholder uids; [`load`] creates them in a store and rewrites the
//! references to the uids the store assigns (the store always picks uids itself), which a plain
//! `Store::load(objects(..))` cannot do.

mod build;
mod demo;
mod scale;

use std::collections::HashMap;
use std::str::FromStr;

use jiff::Timestamp;
use serde_json::Value;

use crate::error::ApiError;
use crate::kind::Kind;
use crate::store::Store;

/// Which data the sandbox starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// Nothing but the `default` namespace.
    Empty,
    /// A small realistic cluster (see the module docs of `demo`).
    Demo,
    /// N CronJobs with ten finished Jobs (one pod each) per CronJob.
    Scale(usize),
}

impl Seed {
    /// Images the seed's registry lacks (the sandbox's registry starts with them missing).
    pub fn missing_images(&self) -> Vec<String> {
        match self {
            Seed::Demo => demo::MISSING_IMAGES.iter().map(|i| (*i).to_owned()).collect(),
            Seed::Empty | Seed::Scale(_) => Vec::new(),
        }
    }
}

/// A `--seed` value that is not `empty`, `demo` or `scale:N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown seed {0:?}: expected empty, demo or scale:N")]
pub struct UnknownSeed(pub String);

impl FromStr for Seed {
    type Err = UnknownSeed;

    fn from_str(s: &str) -> Result<Seed, UnknownSeed> {
        match s {
            "empty" => Ok(Seed::Empty),
            "demo" => Ok(Seed::Demo),
            _ => s
                .strip_prefix("scale:")
                .and_then(|n| n.parse().ok())
                .map(Seed::Scale)
                .ok_or_else(|| UnknownSeed(s.to_owned())),
        }
    }
}

impl std::fmt::Display for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seed::Empty => f.write_str("empty"),
            Seed::Demo => f.write_str("demo"),
            Seed::Scale(n) => write!(f, "scale:{n}"),
        }
    }
}

/// The seed's objects as of `now`, in creation order (namespaces and nodes first, each
/// CronJob before its Jobs, each Job before its pods). Every seed includes the `default`
/// namespace.
pub fn objects(seed: &Seed, now: Timestamp) -> Vec<(Kind, Value)> {
    let mut b = build::Builder::new(now);
    b.namespace("default");
    match seed {
        Seed::Empty => {}
        Seed::Demo => demo::build(&mut b),
        Seed::Scale(n) => scale::build(&mut b, *n),
    }
    b.out
}

/// Loads `seed` into `store`, mapping placeholder uids to the store's; returns the objects the
/// store refused (none for a fresh store).
pub fn load(store: &Store, seed: &Seed, now: Timestamp) -> Vec<ApiError> {
    load_objects(store, objects(seed, now))
}

/// Loads seed-shaped objects (see [`objects`]) into `store`, in order.
pub fn load_objects(store: &Store, objects: Vec<(Kind, Value)>) -> Vec<ApiError> {
    let mut uids: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    // Objects whose status refers to something created after them (a CronJob's active Jobs).
    let mut forward: Vec<(Kind, Value)> = Vec::new();
    for (kind, mut obj) in objects {
        remap(&mut obj, &uids);
        let placeholder = obj.pointer("/metadata/uid").and_then(Value::as_str).map(str::to_owned);
        if has_placeholder(&obj, placeholder.as_deref()) {
            forward.push((kind, obj.clone()));
        }
        let namespace =
            obj.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_owned);
        let name =
            obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut failed = store.load(vec![(kind, obj)]);
        if !failed.is_empty() {
            errors.append(&mut failed);
            continue;
        }
        if let (Some(p), Some(stored)) =
            (placeholder, store.get_shared(kind, namespace.as_deref(), &name))
            && let Some(real) = stored.pointer("/metadata/uid").and_then(Value::as_str)
        {
            uids.insert(p, real.to_owned());
        }
    }
    for (kind, mut obj) in forward {
        remap(&mut obj, &uids);
        let namespace =
            obj.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_owned);
        let name =
            obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_owned();
        let Some(mut stored) = store.get(kind, namespace.as_deref(), &name) else { continue };
        if let (Some(m), Some(status)) = (stored.as_object_mut(), obj.get("status")) {
            m.insert("status".into(), status.clone());
        }
        if let Err(e) = store.replace_status(kind, stored) {
            errors.push(e);
        }
    }
    errors
}

/// Replaces every string that is a known placeholder uid by the real one.
fn remap(v: &mut Value, uids: &HashMap<String, String>) {
    match v {
        Value::String(s) => {
            if s.starts_with(build::UID_PREFIX)
                && let Some(real) = uids.get(s.as_str())
            {
                s.clone_from(real);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| remap(x, uids)),
        Value::Object(m) => m.values_mut().for_each(|x| remap(x, uids)),
        _ => {}
    }
}

fn has_placeholder(v: &Value, own: Option<&str>) -> bool {
    match v {
        Value::String(s) => s.starts_with(build::UID_PREFIX) && Some(s.as_str()) != own,
        Value::Array(a) => a.iter().any(|x| has_placeholder(x, own)),
        Value::Object(m) => m.values().any(|x| has_placeholder(x, own)),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
