//! The few fields `lastrun` reads from CronJobs and Jobs, decoded straight from list pages.
//!
//! Decoding only these (instead of full k8s-openapi objects) keeps `lastrun -A` on 50,000 Jobs
//! fast and small: serde skips the pod templates and managedFields without building them.

use jiff::Timestamp;
use serde::Deserialize;

use crate::cluster::facts as base;
pub(crate) use crate::cluster::facts::{CronJobSpec, Meta};

/// A CronJob as `lastrun` sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
    #[serde(default)]
    pub(crate) status: CronJobStatus,
}

/// `.status`, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobStatus {
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) last_schedule_time: Option<Timestamp>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) last_successful_time: Option<Timestamp>,
    /// `.status.active`: references to the running Jobs (counted, as kube-state-metrics'
    /// `kube_cronjob_status_active` counts them).
    #[serde(default)]
    pub(crate) active: Vec<serde::de::IgnoredAny>,
}

/// A Job as `lastrun` sees it: the shared Job decode type ([`base::JobFacts`], which it derefs
/// to), with lastrun's reading of how a run ended (prune reads the same conditions its own,
/// stricter, way).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub(crate) struct JobFacts(pub(crate) base::JobFacts);

impl std::ops::Deref for JobFacts {
    type Target = base::JobFacts;
    fn deref(&self) -> &base::JobFacts {
        &self.0
    }
}

impl std::ops::DerefMut for JobFacts {
    fn deref_mut(&mut self) -> &mut base::JobFacts {
        &mut self.0
    }
}

impl JobFacts {
    /// What a list of Jobs needs of each item ([`base::JobFacts::shape`]).
    pub(crate) fn shape() -> Option<crate::cluster::shape::Shape> {
        base::JobFacts::shape()
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

    /// Unfinished, with pods but none of them ready: its pods are Pending (not scheduled, image
    /// pulling, ...), not running. Only when the server reports `.status.ready`.
    pub(crate) fn pending(&self) -> bool {
        self.finished().is_none()
            && self.status.active.unwrap_or(0) > 0
            && self.status.ready == Some(0)
    }
}
