//! Which CronJobs start a run the moment `resume` unsuspends them.
//!
//! The controller's `syncCronJob` (kubernetes `pkg/controller/cronjob/cronjob_controllerv2.go`)
//! on an unsuspended CronJob calls `nextScheduleTime` = `mostRecentScheduleTime(cj, now, sched,
//! true)`: the most recent schedule instant after `status.lastScheduleTime` (else creation),
//! the walk starting no earlier than `now - startingDeadlineSeconds`. If there is one and
//! `scheduledTime + startingDeadlineSeconds` is not before now ("tooLate"), it creates that Job
//! at once. While suspended it does none of this, so every instant that passed during
//! maintenance collapses into one immediate catch-up run. We use the same arithmetic (upstream's
//! estimate, quirks included, via `kuul_schedule::most_recent_schedule_time`), evaluated at the
//! API server's "now".

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::{Schedule, most_recent_schedule_time};
use serde::Serialize;

use crate::commands::suspend_all::state::CronJobState;

/// A run the controller will start as soon as the CronJob is unsuspended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatchUp {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The missed schedule instant the run will be for.
    pub scheduled_time: Timestamp,
    /// `.status.lastScheduleTime` (null when it never ran).
    pub last_schedule_time: Option<Timestamp>,
    /// `.spec.startingDeadlineSeconds`, if set (it did not exclude this run).
    pub starting_deadline_seconds: Option<i64>,
}

/// The catch-up run unsuspending `cronjob` at `now` would start, if any.
pub(crate) fn catch_up(cronjob: &CronJobState, now: Timestamp) -> Option<CatchUp> {
    let spec = &cronjob.spec;
    let schedule = Schedule::for_cronjob(&spec.schedule, spec.time_zone.as_deref()).ok()?;
    let created = cronjob.metadata.creation_timestamp.or(cronjob.status.last_schedule_time)?;
    let deadline = spec.starting_deadline_seconds;
    let recent = most_recent_schedule_time(
        &schedule,
        cronjob.status.last_schedule_time,
        created,
        deadline,
        true,
        now,
    )
    .ok()?;
    let scheduled = recent.most_recent?;
    // tooLate := scheduledTime.Add(time.Second * time.Duration(deadline)).Before(now)
    if let Some(seconds) = deadline
        && scheduled.checked_add(SignedDuration::from_secs(seconds)).is_ok_and(|end| end < now)
    {
        return None;
    }
    Some(CatchUp {
        namespace: cronjob.metadata.namespace.clone(),
        name: cronjob.metadata.name.clone(),
        scheduled_time: scheduled,
        last_schedule_time: cronjob.status.last_schedule_time,
        starting_deadline_seconds: deadline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn hourly(last: &str, deadline: Option<i64>) -> CronJobState {
        let mut cj = CronJobState::default();
        cj.metadata.name = "hourly".into();
        cj.metadata.namespace = "ops".into();
        cj.metadata.creation_timestamp = Some(ts("2025-02-01T00:00:00Z"));
        cj.spec.schedule = "0 * * * *".into();
        cj.spec.starting_deadline_seconds = deadline;
        cj.status.last_schedule_time = Some(ts(last));
        cj
    }

    #[test]
    fn a_schedule_passed_while_suspended_starts_the_latest_missed_run() {
        let cj = hourly("2025-03-01T08:00:00Z", None);
        let run = catch_up(&cj, ts("2025-03-01T10:30:00Z")).unwrap();
        // 09:00 and 10:00 were missed: one run, for the latest.
        assert_eq!(run.scheduled_time, ts("2025-03-01T10:00:00Z"));
        assert_eq!(run.last_schedule_time, Some(ts("2025-03-01T08:00:00Z")));
    }

    #[test]
    fn nothing_passed_means_no_catch_up() {
        let cj = hourly("2025-03-01T10:00:00Z", None);
        assert_eq!(catch_up(&cj, ts("2025-03-01T10:59:59Z")), None);
    }

    #[test]
    fn a_starting_deadline_excludes_runs_older_than_it() {
        let now = ts("2025-03-01T10:30:00Z");
        // 10:00 + 600 s = 10:10 < 10:30: too late.
        assert_eq!(catch_up(&hourly("2025-03-01T08:00:00Z", Some(600)), now), None);
        // 10:00 + 3600 s = 11:00 >= 10:30: it still starts.
        let run = catch_up(&hourly("2025-03-01T08:00:00Z", Some(3600)), now).unwrap();
        assert_eq!(run.scheduled_time, ts("2025-03-01T10:00:00Z"));
    }

    #[test]
    fn an_unparsable_schedule_is_no_catch_up() {
        let mut cj = hourly("2025-03-01T08:00:00Z", None);
        cj.spec.schedule = "not a schedule".into();
        assert_eq!(catch_up(&cj, ts("2025-03-01T10:30:00Z")), None);
    }
}
