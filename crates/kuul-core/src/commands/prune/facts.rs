//! The few fields `prune` reads from Jobs, Pods and CronJobs, decoded straight from list pages
//! (slim serde types keep `prune -A` on 50,000 Jobs small: no pod templates are built).

use jiff::Timestamp;
use serde::Deserialize;

pub(crate) use crate::cluster::facts::{Condition, Meta, PodStatus};

/// A Job, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) status: JobStatus,
}

/// `.status` of a Job.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobStatus {
    pub(crate) start_time: Option<Timestamp>,
    pub(crate) completion_time: Option<Timestamp>,
    #[serde(default)]
    pub(crate) conditions: Vec<Condition>,
}

/// How a finished Job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finish {
    Succeeded,
    Failed,
}

impl JobFacts {
    /// How and when it finished; `None` while it runs. Only the terminal conditions count
    /// (`Complete`, `Failed`): `SuccessCriteriaMet`/`FailureTarget` (Kubernetes 1.31+) are set
    /// while pods may still be terminating, and prune never touches a Job that may still run.
    pub(crate) fn finished(&self) -> Option<(Finish, Option<Timestamp>)> {
        let condition = |type_: &str| {
            self.status.conditions.iter().find(|c| c.type_ == type_ && c.status == "True")
        };
        if let Some(c) = condition("Complete") {
            return Some((
                Finish::Succeeded,
                self.status.completion_time.or(c.last_transition_time),
            ));
        }
        condition("Failed").map(|c| (Finish::Failed, c.last_transition_time))
    }

    /// When it started: `.status.startTime`, else its creation.
    pub(crate) fn started(&self) -> Option<Timestamp> {
        self.status.start_time.or(self.metadata.creation_timestamp)
    }
}

/// A Pod, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) status: PodStatus,
}

impl PodFacts {
    /// How and when it finished; `None` unless the phase is terminal (`Succeeded`/`Failed`).
    pub(crate) fn finished(&self) -> Option<(Finish, Option<Timestamp>)> {
        let finish = match self.status.phase.as_str() {
            "Succeeded" => Finish::Succeeded,
            "Failed" => Finish::Failed,
            _ => return None,
        };
        let last = self
            .status
            .container_statuses
            .iter()
            .filter_map(|c| c.state.terminated.as_ref()?.finished_at)
            .max();
        Some((finish, last))
    }
}

/// A CronJob, only its identity.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobRef {
    pub(crate) metadata: Meta,
}
