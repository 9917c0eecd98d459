//! What `prune` deletes: a pure function of the listed Jobs, Pods and live CronJobs, the flags
//! and the cluster's "now", unit-tested without a cluster.
//!
//! Rules (docs/commands/prune.md):
//! - Only finished Jobs (`Complete` or `Failed` condition true) and terminal pods (`Succeeded`
//!   or `Failed`) are ever candidates; nothing already being deleted.
//! - Job flags narrow the set, all of them at once (AND): `--succeeded`/`--failed` (either
//!   result when both or neither is given), `--older-than` (by finish time), `--manual`,
//!   `--orphans` (the owning CronJob is gone, or a CronJob made it and no longer owns it), `--keep-last N` (per owning CronJob the newest N
//!   finished Jobs are kept; Jobs no CronJob ever owned are not touched under it).
//! - `--pods` adds stray pods: terminal pods whose owning Job no longer exists, or that have no
//!   controller at all; pods of other controllers (ReplicaSets...) are theirs to clean. Pods of
//!   Jobs in the plan are not listed: deleting the Job with `Background` propagation takes them.
//!   `--succeeded`, `--failed` and `--older-than` narrow pods too.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::facts::{Finish, JobFacts, Meta, PodFacts};
use crate::cluster::annotations::{INSTANTIATE, SCHEDULED_TIMESTAMP};
use crate::duration;

/// The selection flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Criteria {
    pub(crate) older_than: Option<Duration>,
    pub(crate) succeeded: bool,
    pub(crate) failed: bool,
    pub(crate) manual: bool,
    pub(crate) keep_last: Option<usize>,
    pub(crate) orphans: bool,
    pub(crate) pods: bool,
    /// `--cronjob NAME`: only Jobs this CronJob owns.
    pub(crate) cronjob: Option<String>,
}

impl Criteria {
    /// Whether any Job flag was given (else only `--pods` selects anything).
    pub(crate) fn selects_jobs(&self) -> bool {
        self.older_than.is_some()
            || self.succeeded
            || self.failed
            || self.manual
            || self.keep_last.is_some()
            || self.orphans
    }

    fn result_matches(&self, finish: Finish) -> bool {
        match finish {
            _ if self.succeeded == self.failed => true,
            Finish::Succeeded => self.succeeded,
            Finish::Failed => self.failed,
        }
    }
}

/// What kind of object a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "PascalCase")]
pub enum ObjectKind {
    /// A batch/v1 Job (deleted with its pods).
    Job,
    /// A stray Pod.
    Pod,
}

/// One object to delete, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// `Job` or `Pod`.
    pub kind: ObjectKind,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// uid, sent as a delete precondition.
    pub uid: String,
    /// resourceVersion, sent as a delete precondition.
    pub resource_version: String,
    /// Creation time (the AGE column).
    pub created: Option<Timestamp>,
    /// When it finished.
    pub finished_at: Option<Timestamp>,
    /// Why it is pruned, e.g. `failed 3d ago, older than 1d, manual run`.
    pub why: String,
}

impl Candidate {
    fn new(
        kind: ObjectKind,
        meta: &Meta,
        finished_at: Option<Timestamp>,
        why: Vec<String>,
    ) -> Self {
        Candidate {
            kind,
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
            created: meta.creation_timestamp,
            finished_at,
            why: why.join(", "),
        }
    }

    /// `job.batch/NAME` or `pod/NAME`, kubectl's spelling.
    pub fn object(&self) -> String {
        format!("{}/{}", self.resource(), self.name)
    }

    /// `job.batch/NAMESPACE/NAME` or `pod/NAMESPACE/NAME`: how every bulk summary names the
    /// objects that failed (suspend-all's `cronjob.batch/NAMESPACE/NAME`).
    pub fn qualified(&self) -> String {
        format!("{}/{}/{}", self.resource(), self.namespace, self.name)
    }

    fn resource(&self) -> &'static str {
        match self.kind {
            ObjectKind::Job => "job.batch",
            ObjectKind::Pod => "pod",
        }
    }
}

/// `kubectl create job --from=cronjob/...` annotates manual runs; k9s names them
/// `<cronjob>-manual-<suffix>` (k9s `internal/dao/cronjob.go`, `maxJobNameSize`).
pub(crate) fn is_manual(meta: &Meta) -> bool {
    meta.annotations.get(INSTANTIATE).is_some_and(|v| v == "manual")
        || meta.name.contains("-manual-")
}

/// Why a Job is an orphan: its CronJob owner reference points at a CronJob that no longer
/// exists, or it has none but a CronJob made it. Deleting a CronJob with `--cascade=orphan`
/// makes the garbage collector strip the owner references from its Jobs (the `orphan`
/// finalizer, `pkg/controller/garbagecollector/garbagecollector.go` `orphanDependents`), so the
/// marks a CronJob leaves are what is left: the controller's scheduled-timestamp annotation
/// (Kubernetes 1.28+) or kubectl's `instantiate: manual`.
fn orphaned(meta: &Meta, live_cronjob_uids: &HashSet<&str>) -> Option<String> {
    match meta.owner("CronJob") {
        Some(owner) if live_cronjob_uids.contains(owner.uid.as_str()) => None,
        Some(owner) => Some(format!("cronjob {} is gone", owner.name)),
        None if meta.annotations.contains_key(SCHEDULED_TIMESTAMP)
            || meta.annotations.get(INSTANTIATE).is_some_and(|v| v == "manual") =>
        {
            Some("made by a CronJob that no longer owns it".into())
        }
        None => None,
    }
}

fn result_word(finish: Finish, at: Option<Timestamp>, now: Timestamp) -> String {
    let word = match finish {
        Finish::Succeeded => "succeeded",
        Finish::Failed => "failed",
    };
    match at {
        Some(at) => format!("{word} {} ago", duration::age(at, now)),
        None => word.to_owned(),
    }
}

fn older_than(limit: Duration, at: Option<Timestamp>, now: Timestamp) -> bool {
    let Some(at) = at else { return false };
    let limit = i64::try_from(limit.as_secs()).unwrap_or(i64::MAX);
    now.as_second().saturating_sub(at.as_second()) >= limit
}

/// The plan: every object to delete, by namespace, kind, then name.
pub(crate) fn plan(
    jobs: &[JobFacts],
    pods: &[PodFacts],
    live_cronjob_uids: &HashSet<&str>,
    criteria: &Criteria,
    now: Timestamp,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    if criteria.selects_jobs() {
        out.extend(plan_jobs(jobs, live_cronjob_uids, criteria, now));
    }
    if criteria.pods {
        let job_uids: HashSet<&str> = jobs.iter().map(|j| j.metadata.uid.as_str()).collect();
        out.extend(plan_pods(pods, &job_uids, criteria, now));
    }
    out.sort_by(|a, b| (&a.namespace, a.kind, &a.name).cmp(&(&b.namespace, b.kind, &b.name)));
    out
}

fn plan_jobs(
    jobs: &[JobFacts],
    live_cronjob_uids: &HashSet<&str>,
    criteria: &Criteria,
    now: Timestamp,
) -> Vec<Candidate> {
    let finished: Vec<(&JobFacts, Finish, Option<Timestamp>)> = jobs
        .iter()
        .filter(|j| j.metadata.deletion_timestamp.is_none())
        .filter_map(|j| j.finished().map(|(finish, at)| (j, finish, at)))
        .collect();
    // --keep-last: per owning CronJob (by uid), the newest N finished Jobs are kept.
    let mut beyond_keep_last: HashSet<&str> = HashSet::new();
    if let Some(keep) = criteria.keep_last {
        let mut by_owner: HashMap<&str, Vec<&JobFacts>> = HashMap::new();
        for (job, _, _) in &finished {
            if let Some(owner) = job.metadata.owner("CronJob") {
                by_owner.entry(owner.uid.as_str()).or_default().push(job);
            }
        }
        for group in by_owner.values_mut() {
            group.sort_by(|a, b| {
                (b.started(), &b.metadata.name).cmp(&(a.started(), &a.metadata.name))
            });
            beyond_keep_last.extend(group.iter().skip(keep).map(|j| j.metadata.uid.as_str()));
        }
    }
    let mut out = Vec::new();
    for (job, finish, at) in finished {
        if !criteria.result_matches(finish) {
            continue;
        }
        if let Some(name) = &criteria.cronjob
            && job.metadata.owner("CronJob").is_none_or(|owner| &owner.name != name)
        {
            continue;
        }
        let mut why = vec![result_word(finish, at, now)];
        if let Some(limit) = criteria.older_than {
            if !older_than(limit, at.or(job.metadata.creation_timestamp), now) {
                continue;
            }
            why.push(format!(
                "older than {}",
                duration::human(limit.as_secs().try_into().unwrap_or(i64::MAX))
            ));
        }
        if criteria.manual {
            if !is_manual(&job.metadata) {
                continue;
            }
            why.push("manual run".into());
        }
        if criteria.orphans {
            match orphaned(&job.metadata, live_cronjob_uids) {
                Some(reason) => why.push(reason),
                None => continue,
            }
        }
        if let Some(keep) = criteria.keep_last {
            if !beyond_keep_last.contains(job.metadata.uid.as_str()) {
                continue;
            }
            why.push(format!("beyond the newest {keep}"));
        }
        out.push(Candidate::new(ObjectKind::Job, &job.metadata, at, why));
    }
    out
}

fn plan_pods(
    pods: &[PodFacts],
    job_uids: &HashSet<&str>,
    criteria: &Criteria,
    now: Timestamp,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for pod in pods.iter().filter(|p| p.metadata.deletion_timestamp.is_none()) {
        let Some((finish, at)) = pod.finished() else { continue };
        if !criteria.result_matches(finish) {
            continue;
        }
        let controller = pod.metadata.owner_references.iter().find(|r| r.controller == Some(true));
        let stray = match controller {
            None => "no owner".to_owned(),
            Some(owner) if owner.kind == "Job" && !job_uids.contains(owner.uid.as_str()) => {
                format!("job {} is gone", owner.name)
            }
            Some(_) => continue,
        };
        let mut why = vec![format!("pod {}", result_word(finish, at, now)), stray];
        if let Some(limit) = criteria.older_than {
            let since = at.or(pod.status.start_time).or(pod.metadata.creation_timestamp);
            if !older_than(limit, since, now) {
                continue;
            }
            why.push(format!(
                "older than {}",
                duration::human(limit.as_secs().try_into().unwrap_or(i64::MAX))
            ));
        }
        out.push(Candidate::new(ObjectKind::Pod, &pod.metadata, at, why));
    }
    out
}
