//! The CronJob controller: one sync of one CronJob, as kube-controller-manager's
//! `cronjob_controllerv2.go` does it.
//!
//! Ported from kubernetes/kubernetes `pkg/controller/cronjob/cronjob_controllerv2.go`
//! (`sync`, `syncCronJob`, `cleanupFinishedJobs`, `removeOldestJobs`, `deleteJob`,
//! `formatSchedule`) and `utils.go` (`nextScheduleTime`, `nextScheduleTimeDuration`,
//! `getJobFromTemplate2`, `byJobStartTime`). Upstream order is kept: finished-job cleanup first,
//! then the schedule decision, then one status write. Event reasons and messages are upstream's.
//!
//! Differences that cannot matter here: upstream re-reads the CronJob or a Job from the API when
//! its informer cache may be stale; our caller passes fresh objects from the store, so those
//! re-reads are skipped. The uid of a Job created in this sync is not known yet, so its entry in
//! `status.active` carries no uid; the control plane fills it in from the create response before
//! it applies the status write.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{CronJob, CronJobStatus, Job};
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kuul_schedule::{MissedSchedules, Schedule};

use super::events::{self, EventType, Source, component};
use super::refs::{controller_ref, object_reference, to_value};
use super::{Action, Propagation, Sync};
use crate::kind::Kind;

/// Annotation the controller puts on every Job it creates (`batchv1.CronJobScheduledTimestampAnnotation`).
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// upstream `nextScheduleDelta`: requeues are padded by 100 ms against clock skew.
const NEXT_SCHEDULE_DELTA: SignedDuration = SignedDuration::from_millis(100);

/// Defaults the API server applies to `successfulJobsHistoryLimit` / `failedJobsHistoryLimit`
/// (`pkg/apis/batch/v1/defaults.go`); applied here too in case a client stored an object
/// without them.
const DEFAULT_SUCCESSFUL_HISTORY: i32 = 3;
const DEFAULT_FAILED_HISTORY: i32 = 1;

/// How a finished Job ended (`getFinishedStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// Condition `Complete=True`.
    Complete,
    /// Condition `Failed=True`.
    Failed,
}

impl Finished {
    fn as_str(self) -> &'static str {
        match self {
            Finished::Complete => "Complete",
            Finished::Failed => "Failed",
        }
    }
}

/// upstream `getFinishedStatus`: the first `Complete` or `Failed` condition that is `True`.
pub fn finished_status(job: &Job) -> Option<Finished> {
    job.status.as_ref()?.conditions.as_ref()?.iter().find_map(|c| {
        if c.status != "True" {
            return None;
        }
        match c.type_.as_str() {
            "Complete" => Some(Finished::Complete),
            "Failed" => Some(Finished::Failed),
            _ => None,
        }
    })
}

/// One sync of `cj` at `now`, given every Job it controls (upstream `sync`).
pub fn sync(cj: &CronJob, jobs: &[Job], now: Timestamp) -> Sync {
    let mut run = Run {
        cj,
        me: object_reference("CronJob", "batch/v1", &cj.metadata),
        status: cj.status.clone().unwrap_or_default(),
        actions: Vec::new(),
        now,
    };
    let cleaned = run.cleanup_finished_jobs(jobs);
    let (requeue_at, synced) = run.sync_cronjob(jobs);
    if cleaned || synced {
        // `CronJobStatus.Active` is `omitempty`: an empty list is not written.
        if run.status.active.as_ref().is_some_and(Vec::is_empty) {
            run.status.active = None;
        }
        let mut updated = cj.clone();
        updated.status = Some(run.status);
        run.actions.push(Action::ReplaceStatus { kind: Kind::CronJob, object: to_value(&updated) });
    }
    Sync { actions: run.actions, requeue_at }
}

/// upstream `updateCronJob` when `spec.schedule` or `spec.timeZone` changed: the CronJob is not
/// synced now, only requeued (`enqueueControllerAfter`) for `nextScheduleTimeDuration` of the new
/// schedule. `None` when the new schedule does not parse (upstream records
/// `UnParseableCronJobSchedule` and does not requeue; validation keeps such specs out here).
pub fn requeue_after_schedule_change(cj: &CronJob, now: Timestamp) -> Option<Timestamp> {
    let spec = cj.spec.as_ref()?;
    let sched = Schedule::for_cronjob(&spec.schedule, spec.time_zone.as_deref()).ok()?;
    let run = Run {
        cj,
        me: ObjectReference::default(),
        status: cj.status.clone().unwrap_or_default(),
        actions: Vec::new(),
        now,
    };
    run.next_schedule_time(&sched)
}

/// State of one sync: the CronJob, the status being rebuilt and the actions so far.
struct Run<'a> {
    cj: &'a CronJob,
    me: ObjectReference,
    status: CronJobStatus,
    actions: Vec<Action>,
    now: Timestamp,
}

impl Run<'_> {
    fn event(&mut self, type_: EventType, reason: &str, message: String) {
        let source = Source::component(component::CRONJOB);
        self.actions.push(events::action(&self.me, source, type_, reason, message, self.now));
    }

    fn in_active_list(&self, uid: Option<&str>) -> bool {
        let active = self.status.active.as_deref().unwrap_or_default();
        uid.is_some() && active.iter().any(|r| r.uid.as_deref() == uid)
    }

    fn delete_from_active_list(&mut self, uid: Option<&str>) {
        if let Some(active) = self.status.active.as_mut() {
            active.retain(|r| r.uid.as_deref() != uid);
        }
    }

    /// upstream `deleteJob`: delete with Background propagation, drop it from `active`, and
    /// record `SuccessfulDelete`.
    fn delete_job(&mut self, namespace: &str, name: &str, uid: Option<&str>) {
        self.actions.push(Action::Delete {
            kind: Kind::Job,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            propagation: Propagation::Background,
            uid: None,
        });
        self.delete_from_active_list(uid);
        self.event(EventType::Normal, "SuccessfulDelete", format!("Deleted job {name}"));
    }

    /// upstream `cleanupFinishedJobs` + `removeOldestJobs`: keep the newest N finished Jobs of
    /// each outcome, ordered by `byJobStartTime` (start time, unstarted last, name breaks ties).
    fn cleanup_finished_jobs(&mut self, jobs: &[Job]) -> bool {
        let spec = self.cj.spec.as_ref();
        let successful_limit = spec
            .and_then(|s| s.successful_jobs_history_limit)
            .unwrap_or(DEFAULT_SUCCESSFUL_HISTORY);
        let failed_limit =
            spec.and_then(|s| s.failed_jobs_history_limit).unwrap_or(DEFAULT_FAILED_HISTORY);
        let mut successful: Vec<&Job> = Vec::new();
        let mut failed: Vec<&Job> = Vec::new();
        for job in jobs {
            match finished_status(job) {
                Some(Finished::Complete) => successful.push(job),
                Some(Finished::Failed) => failed.push(job),
                None => {}
            }
        }
        let a = self.remove_oldest_jobs(successful, successful_limit);
        let b = self.remove_oldest_jobs(failed, failed_limit);
        a || b
    }

    fn remove_oldest_jobs(&mut self, mut jobs: Vec<&Job>, max: i32) -> bool {
        let keep = usize::try_from(max.max(0)).unwrap_or(0);
        if jobs.len() <= keep {
            return false;
        }
        let to_delete = jobs.len() - keep;
        jobs.sort_by(|a, b| by_job_start_time(a, b));
        for job in &jobs[..to_delete] {
            let m = &job.metadata;
            let namespace = m.namespace.clone().unwrap_or_default();
            let name = m.name.clone().unwrap_or_default();
            self.delete_job(&namespace, &name, m.uid.as_deref());
        }
        true
    }

    /// upstream `syncCronJob`. Returns (requeue time, whether the status changed).
    fn sync_cronjob(&mut self, jobs: &[Job]) -> (Option<Timestamp>, bool) {
        let mut update_status = false;
        let now = self.now;

        for job in jobs {
            let uid = job.metadata.uid.as_deref();
            let name = job.metadata.name.clone().unwrap_or_default();
            let found = self.in_active_list(uid);
            let finished = finished_status(job);
            if !found && finished.is_none() {
                // A Job we control but do not list as active: created by hand with an owner
                // reference (`kubectl create job --from`), or adopted. Upstream warns every sync.
                self.event(
                    EventType::Warning,
                    "UnexpectedJob",
                    format!("Saw a job that the controller did not create or forgot: {name}"),
                );
            } else if let Some(status) = finished {
                // upstream (v1.32.0): `else if IsJobFinished(j) { if found {...};
                // if IsJobSucceeded(j) {...} }`, so a Job seen finishing also sets
                // lastSuccessfulTime in the same status write (PR #122025).
                if found {
                    self.delete_from_active_list(uid);
                    self.event(
                        EventType::Normal,
                        "SawCompletedJob",
                        format!("Saw completed job: {name}, condition: {}", status.as_str()),
                    );
                    update_status = true;
                }
                if status == Finished::Complete {
                    let completion = job.status.as_ref().and_then(|s| s.completion_time.clone());
                    let last = self.status.last_successful_time.clone();
                    if let Some(c) = completion
                        && last.as_ref().is_none_or(|l| c.0 > l.0)
                    {
                        self.status.last_successful_time = Some(c);
                        update_status = true;
                    }
                }
            }
        }

        // Active entries whose Job no longer exists.
        let missing: Vec<ObjectReference> = self
            .status
            .active
            .iter()
            .flatten()
            .filter(|r| {
                // An entry without uid was written by a create whose response we never saw:
                // match it by name instead.
                !jobs.iter().any(|j| match r.uid.as_deref() {
                    Some(uid) => j.metadata.uid.as_deref() == Some(uid),
                    None => j.metadata.name == r.name,
                })
            })
            .cloned()
            .collect();
        for r in missing {
            let name = r.name.clone().unwrap_or_default();
            self.event(EventType::Normal, "MissingJob", format!("Active job went missing: {name}"));
            if let Some(active) = self.status.active.as_mut() {
                active.retain(|a| a != &r);
            }
            update_status = true;
        }

        if self.cj.metadata.deletion_timestamp.is_some() {
            return (None, update_status);
        }

        let Some(spec) = self.cj.spec.as_ref() else { return (None, update_status) };
        if let Some(tz) = spec.time_zone.as_deref()
            && TimeZone::get(tz).is_err()
        {
            self.event(
                EventType::Warning,
                "UnknownTimeZone",
                format!("invalid timeZone: {tz:?}: unknown time zone {tz}"),
            );
            return (None, update_status);
        }
        if spec.suspend == Some(true) {
            return (None, update_status);
        }

        // formatSchedule: a TZ inside the schedule wins over .spec.timeZone, with a warning.
        if spec.schedule.contains("TZ") {
            self.event(
                EventType::Warning,
                "UnsupportedSchedule",
                format!(
                    "CRON_TZ or TZ used in schedule {:?} is not officially supported, see \
                     https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
                    spec.schedule
                ),
            );
        }
        let sched = match Schedule::for_cronjob(&spec.schedule, spec.time_zone.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                self.event(
                    EventType::Warning,
                    "UnparseableSchedule",
                    format!("unparseable schedule: {:?} : {e}", spec.schedule),
                );
                return (None, update_status);
            }
        };

        // nextScheduleTime
        let created = creation_time(&self.cj.metadata, now);
        let last = self.status.last_schedule_time.as_ref().map(|t| t.0);
        let recent = kuul_schedule::most_recent_schedule_time(
            &sched,
            last,
            created,
            spec.starting_deadline_seconds,
            true,
            now,
        );
        let scheduled = match recent {
            Err(e) => {
                self.event(
                    EventType::Warning,
                    "InvalidSchedule",
                    format!("invalid schedule: {} : {e}", spec.schedule),
                );
                return (None, update_status);
            }
            Ok(r) => match r.most_recent {
                Some(t) if t <= now => {
                    if r.missed == MissedSchedules::Many {
                        self.event(
                            EventType::Warning,
                            "TooManyMissedTimes",
                            "too many missed start times. Set or decrease \
                             .spec.startingDeadlineSeconds or check clock skew"
                                .to_owned(),
                        );
                    }
                    t
                }
                _ => return (self.next_schedule_time(&sched), update_status),
            },
        };

        if let Some(deadline) = spec.starting_deadline_seconds
            && scheduled + SignedDuration::from_secs(deadline) < now
        {
            let at = scheduled.to_zoned(TimeZone::UTC).strftime("%a, %d %b %Y %H:%M:%S %z");
            self.event(
                EventType::Warning,
                "MissSchedule",
                format!("Missed scheduled time to start a job: {at}"),
            );
            return (self.next_schedule_time(&sched), update_status);
        }

        let job_name =
            kuul_schedule::job_name(self.cj.metadata.name.as_deref().unwrap_or(""), scheduled);
        let active_by_name =
            self.status.active.iter().flatten().any(|r| r.name.as_deref() == Some(&*job_name));
        if active_by_name || self.status.last_schedule_time.as_ref().map(|t| t.0) == Some(scheduled)
        {
            return (self.next_schedule_time(&sched), update_status);
        }

        let active_count = self.status.active.as_ref().map_or(0, Vec::len);
        match spec.concurrency_policy.as_deref() {
            Some("Forbid") if active_count > 0 => {
                self.event(
                    EventType::Normal,
                    "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid"
                        .to_owned(),
                );
                return (self.next_schedule_time(&sched), update_status);
            }
            Some("Replace") => {
                for r in self.status.active.clone().unwrap_or_default() {
                    let namespace = r.namespace.clone().unwrap_or_default();
                    let name = r.name.clone().unwrap_or_default();
                    self.delete_job(&namespace, &name, r.uid.as_deref());
                }
            }
            _ => {}
        }

        let job = job_from_template(self.cj, scheduled, &job_name);
        self.actions.push(Action::CreateJob(Box::new(job)));
        self.event(EventType::Normal, "SuccessfulCreate", format!("Created job {job_name}"));
        let reference = ObjectReference {
            kind: Some("Job".to_owned()),
            api_version: Some("batch/v1".to_owned()),
            namespace: self.cj.metadata.namespace.clone(),
            name: Some(job_name),
            // Filled in by the control plane from the create response (see the module docs).
            uid: None,
            resource_version: None,
            field_path: None,
        };
        self.status.active.get_or_insert_with(Vec::new).push(reference);
        self.status.last_schedule_time = Some(Time(scheduled));
        (self.next_schedule_time(&sched), true)
    }

    /// upstream `nextScheduleTimeDuration`, as an instant: the next activation after the most
    /// recent one (estimated without the starting deadline), plus 100 ms.
    fn next_schedule_time(&self, sched: &Schedule) -> Option<Timestamp> {
        let spec = self.cj.spec.as_ref()?;
        let created = creation_time(&self.cj.metadata, self.now);
        let last = self.status.last_schedule_time.as_ref().map(|t| t.0);
        let base = match kuul_schedule::most_recent_schedule_time(
            sched,
            last,
            created,
            spec.starting_deadline_seconds,
            false,
            self.now,
        ) {
            Err(_) => self.now,
            Ok(r) => match (r.most_recent, r.missed) {
                (Some(t), _) => t,
                (None, MissedSchedules::None) => r.earliest,
                (None, _) => self.now,
            },
        };
        sched.next(base).map(|t| t + NEXT_SCHEDULE_DELTA)
    }
}

fn creation_time(meta: &ObjectMeta, now: Timestamp) -> Timestamp {
    meta.creation_timestamp.as_ref().map_or(now, |t| t.0)
}

/// upstream `byJobStartTime.Less`: started Jobs first by start time, unstarted last, name as tie
/// breaker.
fn by_job_start_time(a: &Job, b: &Job) -> std::cmp::Ordering {
    let start = |j: &Job| j.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0);
    match (start(a), start(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        _ => a.metadata.name.cmp(&b.metadata.name),
    }
}

/// upstream `getJobFromTemplate2`: labels and annotations from the jobTemplate, the scheduled
/// timestamp annotation in the CronJob's zone, a controller owner reference, the template spec.
pub fn job_from_template(cj: &CronJob, scheduled: Timestamp, name: &str) -> Job {
    let template = cj.spec.as_ref().map(|s| &s.job_template);
    let template_meta = template.and_then(|t| t.metadata.as_ref());
    let labels = template_meta.and_then(|m| m.labels.clone()).filter(|l| !l.is_empty());
    let mut annotations = template_meta.and_then(|m| m.annotations.clone()).unwrap_or_default();
    // `time.LoadLocation("")` is UTC; an unknown zone never gets here (checked earlier).
    let zone = cj
        .spec
        .as_ref()
        .and_then(|s| s.time_zone.as_deref())
        .and_then(|tz| TimeZone::get(tz).ok())
        .unwrap_or(TimeZone::UTC);
    annotations.insert(
        SCHEDULED_TIMESTAMP_ANNOTATION.to_owned(),
        kuul_schedule::scheduled_timestamp_annotation(scheduled, &zone),
    );
    Job {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: cj.metadata.namespace.clone(),
            labels,
            annotations: Some(annotations),
            creation_timestamp: Some(Time(scheduled)),
            owner_references: Some(vec![controller_ref("CronJob", "batch/v1", &cj.metadata)]),
            ..ObjectMeta::default()
        },
        spec: template.and_then(|t| t.spec.clone()),
        status: None,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod upstream_tests;
