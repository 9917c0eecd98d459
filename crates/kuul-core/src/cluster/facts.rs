//! The object metadata (and pod status) kuul reads from list pages, decoded into one slim type
//! for every command: serde skips managedFields, templates and everything else without building them,
//! which keeps commands over 50,000 objects fast and small.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

/// Object metadata, the parts kuul reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Meta {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: String,
    #[serde(default)]
    pub(crate) uid: String,
    #[serde(default)]
    pub(crate) resource_version: String,
    /// `.metadata.generation`: bumped by the API server on every `.spec` change.
    pub(crate) generation: Option<i64>,
    pub(crate) creation_timestamp: Option<Timestamp>,
    pub(crate) deletion_timestamp: Option<Timestamp>,
    #[serde(default)]
    pub(crate) annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) owner_references: Vec<OwnerReference>,
}

/// An owner reference, the parts kuul reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OwnerReference {
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) name: String,
    pub(crate) uid: String,
    #[serde(default)]
    pub(crate) controller: Option<bool>,
}

/// A status condition (Job conditions), the parts kuul reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Condition {
    #[serde(rename = "type")]
    pub(crate) type_: String,
    pub(crate) status: String,
    pub(crate) last_transition_time: Option<Timestamp>,
}

impl Meta {
    /// The uid of the controlling owner, if any.
    pub(crate) fn controller_uid(&self) -> Option<&str> {
        self.owner_references.iter().find(|r| r.controller == Some(true)).map(|r| r.uid.as_str())
    }

    /// The owner reference of `kind` (the controller one if several).
    pub(crate) fn owner(&self, kind: &str) -> Option<&OwnerReference> {
        let mut of_kind = self.owner_references.iter().filter(|r| r.kind == kind);
        let first = of_kind.next()?;
        Some(
            std::iter::once(first)
                .chain(of_kind)
                .find(|r| r.controller == Some(true))
                .unwrap_or(first),
        )
    }
}

/// A CronJob's `.spec`, the parts that say when it runs (lastrun, cost-report).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobSpec {
    #[serde(default)]
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) suspend: Option<bool>,
    pub(crate) starting_deadline_seconds: Option<i64>,
    /// `Allow` (the default), `Forbid` or `Replace`.
    pub(crate) concurrency_policy: Option<String>,
}

/// `.status` of a Pod, the parts kuul reads (prune: when it finished; cost-report: how long
/// its containers ran).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodStatus {
    #[serde(default)]
    pub(crate) phase: String,
    pub(crate) start_time: Option<Timestamp>,
    #[serde(default)]
    pub(crate) container_statuses: Vec<ContainerStatus>,
    #[serde(default)]
    pub(crate) init_container_statuses: Vec<ContainerStatus>,
}

/// A container status: its state.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContainerStatus {
    #[serde(default)]
    pub(crate) state: ContainerState,
}

/// `state`: running or terminated (waiting says nothing about time).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContainerState {
    pub(crate) running: Option<Running>,
    pub(crate) terminated: Option<Terminated>,
}

/// `state.running`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Running {
    pub(crate) started_at: Option<Timestamp>,
}

/// `state.terminated`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Terminated {
    pub(crate) started_at: Option<Timestamp>,
    pub(crate) finished_at: Option<Timestamp>,
}
