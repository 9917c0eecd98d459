//! Request counting by (verb, group, resource, namespace) and user, for tests that assert how
//! many API calls a command made (e.g. "one list, no per-object gets").

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

/// One counter key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RequestKey {
    /// RBAC verb: get, list, watch, create, update, patch, delete, deletecollection.
    pub verb: String,
    /// API group (`""` for core).
    pub group: String,
    /// Resource, with `/subresource` when there is one (`pods/log`).
    pub resource: String,
    /// Namespace, when the request named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `admin` or `viewer`.
    pub user: String,
}

/// One row of [`RequestCounts::snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestCount {
    /// What was requested.
    #[serde(flatten)]
    pub key: RequestKey,
    /// How many times.
    pub count: u64,
}

/// Thread-safe counters.
#[derive(Debug, Default)]
pub struct RequestCounts {
    counts: Mutex<BTreeMap<RequestKey, u64>>,
}

impl RequestCounts {
    /// Counts one request.
    pub fn record(&self, key: RequestKey) {
        *self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(key)
            .or_default() += 1;
    }

    /// Every counter, in key order.
    pub fn snapshot(&self) -> Vec<RequestCount> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(k, v)| RequestCount { key: k.clone(), count: *v })
            .collect()
    }

    /// Zeroes every counter.
    pub fn reset(&self) {
        self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// Sums `counts` rows matching `verb` and `resource` (any namespace and user).
pub fn total(counts: &[RequestCount], verb: &str, resource: &str) -> u64 {
    counts
        .iter()
        .filter(|c| c.key.verb == verb && c.key.resource == resource)
        .map(|c| c.count)
        .sum()
}
