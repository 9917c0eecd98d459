//! The object metadata (and pod status) kuul reads from list pages, decoded into one slim type
//! for every command: serde skips managedFields, templates and everything else without building them,
//! which keeps commands over 50,000 objects fast and small.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::IgnoredAny;

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

/// A status condition (of a Job or a Pod), the parts kuul reads: its type, status and when it
/// last changed, and, as `Condition<String>`, its reason and message (history reads those; the
/// default `IgnoredAny` skips them without allocating, which 50,000 Jobs with two conditions
/// each notice).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "D: Deserialize<'de> + Default"))]
pub(crate) struct Condition<D = IgnoredAny> {
    #[serde(rename = "type")]
    pub(crate) type_: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) reason: D,
    #[serde(default)]
    pub(crate) message: D,
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

/// A Job: its owner, when it ran and how it ended (cost-report, forecast, prune; lastrun and
/// the runs of history read more and have their own).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) status: JobStatus,
}

/// `.status` of a Job, the parts [`JobFacts`] reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobStatus {
    pub(crate) start_time: Option<Timestamp>,
    pub(crate) completion_time: Option<Timestamp>,
    #[serde(default)]
    pub(crate) conditions: Vec<Condition>,
}

impl JobFacts {
    /// When the run started: `.status.startTime`, else its creation.
    pub(crate) fn started(&self) -> Option<Timestamp> {
        self.status.start_time.or(self.metadata.creation_timestamp)
    }

    /// Its condition of `type_` that is true, if any.
    pub(crate) fn condition(&self, type_: &str) -> Option<&Condition> {
        self.status.conditions.iter().find(|c| c.type_ == type_ && c.status == "True")
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

/// `.spec` of a Pod (or of a pod template), the parts that say what it reserves (cost-report,
/// forecast) and where it ran.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodSpec {
    pub(crate) node_name: Option<String>,
    #[serde(default)]
    pub(crate) containers: Vec<Container>,
    #[serde(default)]
    pub(crate) init_containers: Vec<Container>,
    #[serde(default)]
    pub(crate) overhead: BTreeMap<String, String>,
}

/// A container: its requests, and whether it is a sidecar (`restartPolicy: Always`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Container {
    #[serde(default)]
    pub(crate) resources: ResourceRequirements,
    pub(crate) restart_policy: Option<String>,
}

/// `resources`: requests, and limits (which default unset requests).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ResourceRequirements {
    #[serde(default)]
    pub(crate) requests: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) limits: BTreeMap<String, String>,
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
