//! The few fields `lastrun` reads from CronJobs and Jobs, decoded straight from list pages.
//!
//! Decoding only these (instead of full k8s-openapi objects) keeps `lastrun -A` on 50,000 Jobs
//! fast and small: serde skips the pod templates and managedFields without building them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

/// Object metadata, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Meta {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: String,
    #[serde(default)]
    pub(crate) uid: String,
    pub(crate) creation_timestamp: Option<Timestamp>,
    #[serde(default)]
    pub(crate) annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) owner_references: Vec<OwnerReference>,
}

/// An owner reference, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OwnerReference {
    pub(crate) uid: String,
    #[serde(default)]
    pub(crate) controller: Option<bool>,
}

/// A CronJob as `lastrun` sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
    #[serde(default)]
    pub(crate) status: CronJobStatus,
}

/// `.spec`, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobSpec {
    #[serde(default)]
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) suspend: Option<bool>,
    pub(crate) starting_deadline_seconds: Option<i64>,
}

/// `.status`, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobStatus {
    pub(crate) last_schedule_time: Option<Timestamp>,
    pub(crate) last_successful_time: Option<Timestamp>,
}

/// A Job as `lastrun` sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) status: JobStatus,
}

/// `.status` of a Job, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobStatus {
    pub(crate) start_time: Option<Timestamp>,
    pub(crate) completion_time: Option<Timestamp>,
    #[serde(default)]
    pub(crate) conditions: Vec<JobCondition>,
}

/// A Job condition.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobCondition {
    #[serde(rename = "type")]
    pub(crate) type_: String,
    pub(crate) status: String,
    pub(crate) last_transition_time: Option<Timestamp>,
}

impl JobFacts {
    /// The uid of the controlling owner, if any.
    pub(crate) fn controller_uid(&self) -> Option<&str> {
        self.metadata
            .owner_references
            .iter()
            .find(|r| r.controller == Some(true))
            .map(|r| r.uid.as_str())
    }

    fn condition(&self, type_: &str) -> Option<&JobCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_ && c.status == "True")
    }

    /// How the run ended, with when; `None` while it runs. `FailureTarget` and
    /// `SuccessCriteriaMet` (set before the terminal condition since Kubernetes 1.31) already
    /// decide the outcome.
    pub(crate) fn finished(&self) -> Option<(bool, Option<Timestamp>)> {
        if let Some(c) = self.condition("Complete").or_else(|| self.condition("SuccessCriteriaMet"))
        {
            return Some((true, self.status.completion_time.or(c.last_transition_time)));
        }
        if let Some(c) = self.condition("Failed").or_else(|| self.condition("FailureTarget")) {
            return Some((false, c.last_transition_time));
        }
        None
    }

    /// When the run started: `.status.startTime`, else its creation.
    pub(crate) fn started(&self) -> Option<Timestamp> {
        self.status.start_time.or(self.metadata.creation_timestamp)
    }
}
