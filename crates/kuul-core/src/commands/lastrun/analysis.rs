//! The pure part of `lastrun`: from one CronJob, the Jobs it owns and the cluster's "now", decide
//! what happened last, what happens next, and a verdict. No I/O; unit-tested on fixed clocks.

use foldhash::HashMap;

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::{MissedSchedules, Schedule, most_recent_schedule_time, validate_time_zone};
use serde::Serialize;

use super::facts::{CronJobFacts, JobFacts};
use crate::cluster::annotations::INSTANTIATE;
use crate::runs::{self, EventFacts, GapEvent, PodFacts};

/// Grace before an unstarted scheduled instant counts as missed when the CronJob sets no
/// `startingDeadlineSeconds`: the controller syncs at the instant, so a minute is generous.
const MISSED_GRACE: SignedDuration = SignedDuration::from_secs(60);

/// The health of one CronJob, most urgent first when several apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum Verdict {
    /// The stored schedule or time zone cannot be used by the controller: it never runs.
    Broken,
    /// `.spec.suspend` is true.
    Suspended,
    /// A run waits longer than `--pending-for`: its pod is Pending (unschedulable, image pull,
    /// config error, volume mount) or its Job cannot create pods (`FailedCreate`).
    Stuck,
    /// A scheduled instant passed with no run, beyond the grace or `startingDeadlineSeconds`.
    Missed,
    /// The newest finished run failed.
    Failing,
    /// A run is still active after a whole schedule interval.
    RunningLong,
    /// The newest run has pods, none of them running yet (Pending).
    Pending,
    /// No run yet, and none was due.
    NeverRan,
    /// Runs happen and the last one succeeded.
    Ok,
}

impl Verdict {
    /// The verdicts a person must act on (`dash` counts and colours them).
    pub fn needs_attention(self) -> bool {
        matches!(self, Verdict::Broken | Verdict::Stuck | Verdict::Missed | Verdict::Failing)
    }

    /// Every verdict, most urgent first.
    pub const ALL: [Verdict; 9] = [
        Verdict::Broken,
        Verdict::Suspended,
        Verdict::Stuck,
        Verdict::Missed,
        Verdict::Failing,
        Verdict::RunningLong,
        Verdict::Pending,
        Verdict::NeverRan,
        Verdict::Ok,
    ];

    /// The word printed in tables, same as the JSON value.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Broken => "BROKEN",
            Verdict::Suspended => "SUSPENDED",
            Verdict::Stuck => "STUCK",
            Verdict::Missed => "MISSED",
            Verdict::Failing => "FAILING",
            Verdict::RunningLong => "RUNNING-LONG",
            Verdict::Pending => "PENDING",
            Verdict::NeverRan => "NEVER-RAN",
            Verdict::Ok => "OK",
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RunResult {
    /// Still running.
    Running,
    /// Created, but no pod of it is running yet (Pending).
    Pending,
    /// Completed.
    Succeeded,
    /// Failed.
    Failed,
}

/// The newest run of a CronJob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    /// Job name.
    pub name: String,
    /// Outcome.
    pub result: RunResult,
    /// `.status.startTime` (or creation).
    pub start_time: Option<Timestamp>,
    /// When it completed or failed.
    pub completion_time: Option<Timestamp>,
    /// Seconds from start to finish, or to now while running.
    pub duration_seconds: Option<i64>,
    /// Created by hand (`kubectl create job --from`, `kuul trigger`), not by the controller.
    pub manual: bool,
}

/// One row of `lastrun`: the JSON item, field names stable and documented in the README.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LastRun {
    /// Namespace.
    pub namespace: String,
    /// CronJob name.
    pub name: String,
    /// `.spec.schedule` as stored.
    pub schedule: String,
    /// `.spec.timeZone`; `null` when unset.
    pub time_zone: Option<String>,
    /// The zone the schedule is evaluated in (`UTC` when unset: the controller's zone cannot be
    /// known through the API, and is UTC on every managed control plane we know).
    pub evaluated_time_zone: String,
    /// `.spec.suspend`.
    pub suspended: bool,
    /// `.status.lastScheduleTime`.
    pub last_schedule_time: Option<Timestamp>,
    /// The newest successful completion (status, or a succeeded Job still present).
    pub last_successful_time: Option<Timestamp>,
    /// The latest scheduled instant at or before now.
    pub previous_schedule_time: Option<Timestamp>,
    /// The next scheduled instant after now (`null` when suspended or broken).
    pub next_schedule_time: Option<Timestamp>,
    /// Jobs of this CronJob still running.
    pub active_runs: usize,
    /// The newest Job of this CronJob, if any is left.
    pub last_run: Option<RunSummary>,
    /// How late the newest scheduled run started: its start minus its scheduled time.
    pub late_seconds: Option<i64>,
    /// The worst lateness over the retained scheduled runs, and which run it was.
    pub worst_late_seconds: Option<i64>,
    /// The run of `worstLateSeconds`.
    pub worst_late_run: Option<String>,
    /// `.spec.concurrencyPolicy` (`Allow` when unset).
    pub concurrency_policy: String,
    /// `.spec.startingDeadlineSeconds`.
    pub starting_deadline_seconds: Option<i64>,
    /// `.status.active` as stored: the Jobs the controller counts as running.
    pub status_active: usize,
    /// The run that waits too long, when the verdict is `STUCK`.
    pub stuck: Option<StuckRun>,
    /// Warning events the controllers recorded about this CronJob since its last run (or ever,
    /// when it never ran): `MissSchedule`, `TooManyMissedTimes`, `FailedCreate`; newest first.
    /// Only read when some CronJob needs them (a verdict other than OK); `[]` otherwise.
    pub controller_events: Vec<GapEvent>,
    /// The problem classes `--check` fails on for this CronJob (from `--fail-on`).
    pub problems: Vec<String>,
    /// kube-state-metrics' `kube_cronjob_next_schedule_time`: the instant after
    /// `lastScheduleTime` (else creation); `None` when suspended (openmetrics only).
    #[serde(skip)]
    pub(crate) next_after_last_schedule: Option<Timestamp>,
    /// `.status.lastSuccessfulTime` as stored (openmetrics only).
    #[serde(skip)]
    pub(crate) status_last_successful_time: Option<Timestamp>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in words.
    pub reason: String,
}

/// A run that cannot get going.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StuckRun {
    /// The Job.
    pub job: String,
    /// Its Pending pod (`null` when the Job could not create one).
    pub pod: Option<String>,
    /// How long it has waited (since the pod's, else the Job's, creation).
    pub pending_seconds: i64,
    /// The Kubernetes reason: `Unschedulable`, `ErrImagePull`, `ImagePullBackOff`,
    /// `CreateContainerConfigError`, `FailedMount`, `FailedCreate`, ... (`Pending` when none is
    /// reported).
    pub reason: String,
    /// The message behind it (the scheduler's `0/3 nodes are available: ...`, the kubelet's).
    pub message: Option<String>,
}

/// What was read besides CronJobs and Jobs, for the STUCK and stalled signals: Pending Job pods
/// by the uid of their Job, and Warning events by the uid of the object they are about.
#[derive(Debug, Default)]
pub(crate) struct Observed<'a> {
    pub(crate) pods_by_job: HashMap<&'a str, Vec<&'a PodFacts>>,
    pub(crate) events_by_uid: HashMap<&'a str, Vec<&'a EventFacts>>,
    /// How long a run may wait before it is STUCK (`--pending-for`).
    pub(crate) pending_for: SignedDuration,
}

/// `--pending-for`'s default, as the flag is written (the one place it is said): seed 002's
/// operators want a warning when a unit has not started within 5 minutes.
pub(crate) const DEFAULT_PENDING_FOR: &str = "5m";

/// [`DEFAULT_PENDING_FOR`] as a duration.
pub(crate) fn default_pending_for() -> SignedDuration {
    crate::duration::parse(DEFAULT_PENDING_FOR)
        .ok()
        .and_then(|d| SignedDuration::try_from(d).ok())
        .unwrap_or(SignedDuration::ZERO)
}

/// Decides one CronJob's row with nothing but CronJobs and Jobs read (the unit tests').
#[cfg(test)]
pub(crate) fn analyse(cronjob: &CronJobFacts, jobs: &[&JobFacts], now: Timestamp) -> LastRun {
    let seen = Observed { pending_for: default_pending_for(), ..Observed::default() };
    analyse_with(cronjob, jobs, &seen, now)
}

/// Decides one CronJob's row. `jobs` are the Jobs it controls (any order).
pub(crate) fn analyse_with(
    cronjob: &CronJobFacts,
    jobs: &[&JobFacts],
    seen: &Observed<'_>,
    now: Timestamp,
) -> LastRun {
    let spec = &cronjob.spec;
    let suspended = spec.suspend.unwrap_or(false);
    let mut runs: Vec<&JobFacts> = jobs.to_vec();
    runs.sort_by(|a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
    let active: Vec<&JobFacts> = runs.iter().copied().filter(|j| j.finished().is_none()).collect();
    let newest_finished = runs.iter().rev().find_map(|j| j.finished().map(|f| (*j, f)));
    let last_success_from_jobs =
        runs.iter().filter_map(|j| j.finished().filter(|(ok, _)| *ok).and_then(|(_, at)| at)).max();
    let last_run = runs.last().map(|job| summarize(job, now));
    let cronjob_name = cronjob.metadata.name.as_str();
    let lateness: Vec<(&JobFacts, i64)> = runs
        .iter()
        .filter_map(|job| {
            let meta = &job.metadata;
            let scheduled = runs::scheduled_time(
                &meta.annotations,
                &meta.name,
                cronjob_name,
                meta.creation_timestamp,
            );
            runs::lateness(scheduled, job.started()).map(|late| (*job, late))
        })
        .collect();
    let worst = lateness.iter().max_by_key(|(job, late)| (*late, job.metadata.creation_timestamp));
    let mut controller_events: Vec<GapEvent> = seen
        .events_by_uid
        .get(cronjob.metadata.uid.as_str())
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter(|e| STALL_REASONS.contains(&e.reason.as_str()))
        .filter(|e| match (e.at(), cronjob.status.last_schedule_time) {
            (Some(at), Some(last)) => at > last,
            _ => true,
        })
        .map(|e| GapEvent::from(*e))
        .collect();
    controller_events.sort_by_key(|e| std::cmp::Reverse(e.at));
    let mut row = LastRun {
        namespace: cronjob.metadata.namespace.clone(),
        name: cronjob.metadata.name.clone(),
        schedule: spec.schedule.clone(),
        time_zone: spec.time_zone.clone(),
        evaluated_time_zone: spec.time_zone.clone().unwrap_or_else(|| "UTC".into()),
        suspended,
        last_schedule_time: cronjob.status.last_schedule_time,
        last_successful_time: cronjob.status.last_successful_time.max(last_success_from_jobs),
        previous_schedule_time: None,
        next_schedule_time: None,
        active_runs: active.len(),
        last_run,
        late_seconds: lateness.last().map(|(_, late)| *late),
        worst_late_seconds: worst.map(|(_, late)| *late),
        worst_late_run: worst.map(|(job, _)| job.metadata.name.clone()),
        concurrency_policy: spec.concurrency_policy.clone().unwrap_or_else(|| "Allow".into()),
        starting_deadline_seconds: spec.starting_deadline_seconds,
        status_active: cronjob.status.active.len(),
        stuck: None,
        controller_events,
        problems: Vec::new(),
        next_after_last_schedule: None,
        status_last_successful_time: cronjob.status.last_successful_time,
        verdict: Verdict::Ok,
        reason: String::new(),
    };

    // The controller refuses a CronJob whose zone does not load before it looks at the schedule
    // (syncCronJob: "Not starting job because timeZone is invalid", event UnknownTimeZone).
    if let Some(Err(err)) = spec.time_zone.as_deref().map(validate_time_zone) {
        row.verdict = Verdict::Broken;
        row.reason = format!("the controller will not run it: {err}");
        return row;
    }
    let schedule = match Schedule::for_cronjob(&spec.schedule, spec.time_zone.as_deref()) {
        Ok(schedule) => schedule,
        Err(err) => {
            row.verdict = Verdict::Broken;
            row.reason = format!("the controller cannot parse the schedule: {err}");
            return row;
        }
    };
    // `@every` has no fixed grid: its instants count from the last run, as the controller's
    // `mostRecentScheduleTime` walks them.
    row.previous_schedule_time = schedule.previous(now).or_else(|| {
        let created = cronjob.metadata.creation_timestamp?;
        most_recent_schedule_time(
            &schedule,
            cronjob.status.last_schedule_time,
            created,
            None,
            false,
            now,
        )
        .ok()?
        .most_recent
    });
    if !suspended {
        row.next_schedule_time = schedule.next(now);
        // internal/store/cronjob.go getNextScheduledTime (kube-state-metrics).
        row.next_after_last_schedule = cronjob
            .status
            .last_schedule_time
            .or(cronjob.metadata.creation_timestamp)
            .and_then(|t| schedule.next(t));
    }

    let stuck = stuck_run(&active, seen, now);
    let (verdict, reason) = if suspended {
        (Verdict::Suspended, "spec.suspend is true".to_owned())
    } else if let Some(stuck) = stuck {
        let reason = stuck_reason(&stuck);
        row.stuck = Some(stuck);
        (Verdict::Stuck, reason)
    } else if let Some(missed) = missed_instant(cronjob, &schedule, row.previous_schedule_time, now)
    {
        let mut reason = missed;
        if let Some(event) = row.controller_events.first() {
            reason.push_str(&format!("; {}: {}", event.reason, event.message));
        }
        (Verdict::Missed, reason)
    } else if let Some((job, _)) = newest_finished.filter(|(_, (ok, _))| !ok) {
        (Verdict::Failing, format!("the newest finished run {} failed", job.metadata.name))
    } else if let Some(job) = runs.last().filter(|j| j.pending()) {
        let since = job
            .started()
            .map_or_else(String::new, |t| format!(" for {}", human(now.duration_since(t))));
        (Verdict::Pending, format!("{}: no pod running yet{since} (Pending)", job.metadata.name))
    } else if let Some(long) = running_long(&schedule, &active, &row.concurrency_policy, now) {
        (Verdict::RunningLong, long)
    } else if runs.is_empty() && cronjob.status.last_schedule_time.is_none() {
        (Verdict::NeverRan, "no run yet; none was due".to_owned())
    } else {
        (Verdict::Ok, String::new())
    };
    row.verdict = verdict;
    row.reason = reason;
    row
}

/// The first due instant that has no run, once it is beyond the grace: the controller records
/// every run it starts in `lastScheduleTime`, so the first instant after it (and after the
/// CronJob was created) that is past the grace was not run. (The first, not the latest: on an
/// every-minute schedule the latest instant is always within a minute.)
fn missed_instant(
    cronjob: &CronJobFacts,
    schedule: &Schedule,
    previous: Option<Timestamp>,
    now: Timestamp,
) -> Option<String> {
    let previous = previous?;
    let covered = cronjob.status.last_schedule_time.max(cronjob.metadata.creation_timestamp);
    let first = match covered {
        Some(covered) if previous <= covered => return None,
        Some(covered) => schedule.next(covered).filter(|t| *t <= now).unwrap_or(previous),
        None => previous,
    };
    let grace =
        cronjob.spec.starting_deadline_seconds.map_or(MISSED_GRACE, SignedDuration::from_secs);
    let late = now.duration_since(first);
    if late <= grace {
        return None;
    }
    let limit = match cronjob.spec.starting_deadline_seconds {
        // syncCronJob: a start later than the deadline is skipped (event MissSchedule).
        Some(seconds) => {
            format!("startingDeadlineSeconds {seconds}: the controller skips a start that late")
        }
        None => "the 60s grace".to_owned(),
    };
    let instants =
        if first == previous { first.to_string() } else { format!("{first} through {previous}") };
    let mut text = format!("no run for {instants}, due {} ago (beyond {limit})", human(late));
    // nextScheduleTime (pkg/controller/cronjob/utils.go, 1.33): more than 100 missed instants
    // since the last run (or since now - startingDeadlineSeconds) is `TooManyMissedTimes`; the
    // controller before 1.21 (cronjob_controller.go, syncOne) stopped starting runs at all.
    if let Some(created) = cronjob.metadata.creation_timestamp
        && let Ok(recent) = most_recent_schedule_time(
            schedule,
            cronjob.status.last_schedule_time,
            created,
            cronjob.spec.starting_deadline_seconds,
            true,
            now,
        )
        && recent.missed == MissedSchedules::Many
    {
        text.push_str(&format!(
            "; more than 100 starts missed since {}: TooManyMissedTimes (set or decrease \
             startingDeadlineSeconds; controllers before 1.21 stop starting it)",
            recent.earliest
        ));
    }
    Some(text)
}

/// Warning event reasons that explain a stalled schedule (the CronJob controller's,
/// `pkg/controller/cronjob/cronjob_controllerv2.go` `syncCronJob`, and `utils.go`).
const STALL_REASONS: [&str; 3] = ["MissSchedule", "TooManyMissedTimes", "FailedCreate"];

/// The oldest unfinished run waiting longer than `seen.pending_for`: a Pending pod (with the
/// reason the scheduler or kubelet gives, or a Warning event on the pod such as `FailedMount`),
/// or a Job with no pod and a `FailedCreate` event (quota, admission).
fn stuck_run(active: &[&JobFacts], seen: &Observed<'_>, now: Timestamp) -> Option<StuckRun> {
    let waited = |since: Option<Timestamp>| {
        since.map(|t| now.duration_since(t)).filter(|w| *w > seen.pending_for)
    };
    let events = |uid: &str| seen.events_by_uid.get(uid).map_or(&[][..], Vec::as_slice).to_vec();
    active.iter().find_map(|job| {
        if job.status.ready.unwrap_or(0) > 0 {
            return None;
        }
        let uid = job.metadata.uid.as_str();
        let mut pods: Vec<&PodFacts> = seen
            .pods_by_job
            .get(uid)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|p| p.status.phase == "Pending")
            .collect();
        pods.sort_by_key(|p| p.metadata.creation_timestamp);
        if let Some(pod) = pods.first() {
            let waited = waited(pod.metadata.creation_timestamp)?;
            let attempt = runs::attempt(pod);
            let (reason, message) = match attempt.reason {
                Some(reason) => (reason, attempt.message),
                // ContainerCreating says nothing: a volume that cannot mount says it in an event.
                None => newest_warning(&events(&pod.metadata.uid))
                    .map_or(("Pending".to_owned(), None), |e| {
                        (e.reason.clone(), Some(e.message.clone()))
                    }),
            };
            return Some(StuckRun {
                job: job.metadata.name.clone(),
                pod: Some(pod.metadata.name.clone()),
                pending_seconds: waited.as_secs(),
                reason,
                message,
            });
        }
        if job.status.active.unwrap_or(0) > 0 {
            return None;
        }
        let job_events = events(uid);
        let failed = newest_warning(&job_events)
            .filter(|e| e.reason == "FailedCreate")
            .map(|e| e.message.clone())?;
        let waited = waited(job.metadata.creation_timestamp)?;
        Some(StuckRun {
            job: job.metadata.name.clone(),
            pod: None,
            pending_seconds: waited.as_secs(),
            reason: "FailedCreate".into(),
            message: Some(failed),
        })
    })
}

fn newest_warning<'a>(events: &[&'a EventFacts]) -> Option<&'a EventFacts> {
    events.iter().copied().filter(|e| e.type_ == "Warning").max_by_key(|e| e.at())
}

fn stuck_reason(stuck: &StuckRun) -> String {
    let waiting = match &stuck.pod {
        Some(pod) => {
            format!("pod {pod} Pending for {}", crate::duration::human(stuck.pending_seconds))
        }
        None => format!("no pod created for {}", crate::duration::human(stuck.pending_seconds)),
    };
    let message = stuck.message.as_deref().map_or_else(String::new, |m| format!(": {m}"));
    format!("{}: {waiting}: {}{message}", stuck.job, stuck.reason)
}

/// An active run older than one schedule interval (measured at the run's start), with what the
/// concurrency policy does about the next start (syncCronJob, `pkg/controller/cronjob/
/// cronjob_controllerv2.go`, 1.33: `Forbid` records `JobAlreadyActive` and skips it, `Replace`
/// deletes the active Jobs first, `Allow` starts another beside it).
fn running_long(
    schedule: &Schedule,
    active: &[&JobFacts],
    policy: &str,
    now: Timestamp,
) -> Option<String> {
    active.iter().find_map(|job| {
        let started = job.started()?;
        let first = schedule.next(started)?;
        let interval = schedule.next(first)?.duration_since(first);
        let running = now.duration_since(started);
        (running > interval).then(|| {
            let next =
                schedule.next(now).map_or_else(|| "the next run".to_owned(), |t| t.to_string());
            let overlap = match policy {
                "Forbid" => format!(
                    "concurrencyPolicy Forbid: the start at {next} is skipped while it runs"
                ),
                "Replace" => format!("concurrencyPolicy Replace: the start at {next} kills it"),
                _ => format!(
                    "concurrencyPolicy Allow: runs pile up ({} active), another starts at {next}",
                    active.len()
                ),
            };
            format!(
                "{} has run for {}, longer than the schedule's interval of {}; {overlap}",
                job.metadata.name,
                human(running),
                human(interval)
            )
        })
    })
}

fn summarize(job: &JobFacts, now: Timestamp) -> RunSummary {
    let start_time = job.started();
    let (result, completion_time) = match job.finished() {
        Some((true, at)) => (RunResult::Succeeded, at),
        Some((false, at)) => (RunResult::Failed, at),
        None if job.pending() => (RunResult::Pending, None),
        None => (RunResult::Running, None),
    };
    let end = if matches!(result, RunResult::Running | RunResult::Pending) {
        Some(now)
    } else {
        completion_time
    };
    let duration_seconds =
        start_time.zip(end).map(|(start, end)| end.as_second() - start.as_second());
    RunSummary {
        name: job.metadata.name.clone(),
        result,
        start_time,
        completion_time,
        duration_seconds,
        manual: job.metadata.annotations.get(INSTANTIATE).is_some_and(|v| v == "manual"),
    }
}

fn human(span: SignedDuration) -> String {
    crate::duration::human(span.as_secs())
}

#[cfg(test)]
mod tests;
