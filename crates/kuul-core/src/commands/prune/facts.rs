//! The few fields `prune` reads from Jobs, Pods and CronJobs, decoded straight from list pages
//! (slim serde types keep `prune -A` on 50,000 Jobs small: no pod templates are built).

use jiff::Timestamp;
use serde::Deserialize;

pub(crate) use crate::cluster::facts::{JobFacts, Meta, PodStatus};

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
        if let Some(c) = self.condition("Complete") {
            return Some((
                Finish::Succeeded,
                self.status.completion_time.or(c.last_transition_time),
            ));
        }
        self.condition("Failed").map(|c| (Finish::Failed, c.last_transition_time))
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
