//! The pure part of `lastrun`: from one CronJob, the Jobs it owns and the cluster's "now", decide
//! what happened last, what happens next, and a verdict. No I/O; unit-tested on fixed clocks.

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::{Schedule, most_recent_schedule_time, validate_time_zone};
use serde::Serialize;

use super::facts::{CronJobFacts, JobFacts};
use crate::cluster::annotations::INSTANTIATE;

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
    /// Whether `--check` fails on it.
    pub fn needs_attention(self) -> bool {
        matches!(self, Verdict::Broken | Verdict::Missed | Verdict::Failing)
    }

    /// The word printed in tables, same as the JSON value.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Broken => "BROKEN",
            Verdict::Suspended => "SUSPENDED",
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
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in words.
    pub reason: String,
}

/// Decides one CronJob's row. `jobs` are the Jobs it controls (any order).
pub(crate) fn analyse(cronjob: &CronJobFacts, jobs: &[&JobFacts], now: Timestamp) -> LastRun {
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
    }

    let (verdict, reason) = if suspended {
        (Verdict::Suspended, "spec.suspend is true".to_owned())
    } else if let Some(missed) = missed_instant(cronjob, row.previous_schedule_time, now) {
        (Verdict::Missed, missed)
    } else if let Some((job, _)) = newest_finished.filter(|(_, (ok, _))| !ok) {
        (Verdict::Failing, format!("the newest finished run {} failed", job.metadata.name))
    } else if let Some(job) = runs.last().filter(|j| j.pending()) {
        let since = job
            .started()
            .map_or_else(String::new, |t| format!(" for {}", human(now.duration_since(t))));
        (Verdict::Pending, format!("{}: no pod running yet{since} (Pending)", job.metadata.name))
    } else if let Some(long) = running_long(&schedule, &active, now) {
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

/// The latest due instant that has no run, once it is beyond the grace: the controller records
/// every run it starts in `lastScheduleTime`, so an instant after it (and after the CronJob was
/// created) that is past the grace was not run.
fn missed_instant(
    cronjob: &CronJobFacts,
    previous: Option<Timestamp>,
    now: Timestamp,
) -> Option<String> {
    let previous = previous?;
    let covered = cronjob.status.last_schedule_time.max(cronjob.metadata.creation_timestamp);
    if covered.is_some_and(|covered| previous <= covered) {
        return None;
    }
    let grace =
        cronjob.spec.starting_deadline_seconds.map_or(MISSED_GRACE, SignedDuration::from_secs);
    let late = now.duration_since(previous);
    if late <= grace {
        return None;
    }
    let limit = match cronjob.spec.starting_deadline_seconds {
        Some(seconds) => format!("startingDeadlineSeconds {seconds}"),
        None => "the 60s grace".to_owned(),
    };
    Some(format!("no run for {previous}, due {} ago (beyond {limit})", human(late)))
}

/// An active run older than one schedule interval (measured at the run's start).
fn running_long(schedule: &Schedule, active: &[&JobFacts], now: Timestamp) -> Option<String> {
    active.iter().find_map(|job| {
        let started = job.started()?;
        let first = schedule.next(started)?;
        let interval = schedule.next(first)?.duration_since(first);
        let running = now.duration_since(started);
        (running > interval).then(|| {
            format!(
                "{} has run for {}, longer than the schedule's interval of {}",
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
