//! Kubernetes-exact cron schedules.
//!
//! API CONTRACT (placeholder bodies; the schedule helper replaces them with the real port of
//! robfig/cron v3.0.1 and Kubernetes' validation and controller arithmetic). Other crates code
//! against these signatures; keep them stable (adding items is fine).

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A robfig `ParseStandard` error; `Display` is robfig's exact error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// robfig's error text, e.g. `expected exactly 5 fields, found 4: [* * * *]`.
    pub message: String,
}

/// An API-server validation failure for a CronJob field, texts as the API server writes them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct ValidationError {
    /// The field path, e.g. `spec.schedule` or `spec.timeZone`.
    pub field: String,
    /// The rest of the line, e.g. `Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]`.
    pub detail: String,
}

/// A parsed schedule: what the CronJob controller would evaluate.
#[derive(Debug, Clone)]
pub struct Schedule {
    _private: (),
}

impl Schedule {
    /// robfig v3 `ParseStandard`, including `TZ=`/`CRON_TZ=` prefixes, descriptors and `@every`.
    /// Without a prefix the schedule evaluates in UTC.
    pub fn parse_standard(spec: &str) -> Result<Self, ParseError> {
        Err(ParseError { message: format!("schedule engine not built yet: {spec}") })
    }

    /// What the CronJob controller parses for `.spec.schedule` and `.spec.timeZone`
    /// (upstream `formatSchedule`: a `TZ=<timeZone> ` prefix when timeZone is set and the
    /// schedule carries no TZ itself). Unset timeZone means UTC.
    pub fn for_cronjob(schedule: &str, time_zone: Option<&str>) -> Result<Self, ParseError> {
        let _ = time_zone;
        Self::parse_standard(schedule)
    }

    /// robfig `Next`: the first activation strictly after `after`; `None` where robfig returns
    /// the zero time (nothing within five years).
    pub fn next(&self, after: Timestamp) -> Option<Timestamp> {
        let _ = after;
        None
    }

    /// The true latest activation at or before `at` (not upstream's estimate).
    pub fn previous(&self, at: Timestamp) -> Option<Timestamp> {
        let _ = at;
        None
    }

    /// Number of activations in the half-open interval `(from, to]`, without walking every
    /// instant when the schedule repeats.
    pub fn count_between(&self, from: Timestamp, to: Timestamp) -> u64 {
        let _ = (from, to);
        0
    }

    /// The zone the schedule evaluates in.
    pub fn time_zone(&self) -> TimeZone {
        TimeZone::UTC
    }
}

/// API-server validation of `.spec.schedule` on create (`Required value`, robfig errors, `TZ`).
pub fn validate_schedule(schedule: &str) -> Result<(), ValidationError> {
    let _ = schedule;
    Ok(())
}

/// API-server validation of `.spec.timeZone`.
pub fn validate_time_zone(time_zone: &str) -> Result<(), ValidationError> {
    let _ = time_zone;
    Ok(())
}

/// How many schedules were missed, as upstream's `missedSchedulesType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissedSchedules {
    /// `noneMissed`
    None,
    /// `fewMissed`
    Few,
    /// `manyMissed` (more than 100)
    Many,
}

/// Result of upstream `mostRecentScheduleTime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MostRecent {
    /// The time the walk started from (`lastScheduleTime`, else `creationTimestamp`, possibly
    /// raised to `now - startingDeadlineSeconds`).
    pub earliest: Timestamp,
    /// The most recent schedule time at or before `now` as upstream estimates it.
    pub most_recent: Option<Timestamp>,
    /// How many were missed.
    pub missed: MissedSchedules,
}

/// upstream `mostRecentScheduleTime(cj, now, schedule, includeStartingDeadlineSeconds)`,
/// quirks included.
pub fn most_recent_schedule_time(
    schedule: &Schedule,
    last_schedule_time: Option<Timestamp>,
    creation_timestamp: Timestamp,
    starting_deadline_seconds: Option<i64>,
    include_starting_deadline: bool,
    now: Timestamp,
) -> Result<MostRecent, ParseError> {
    let _ = (schedule, starting_deadline_seconds, include_starting_deadline, now);
    let earliest = last_schedule_time.unwrap_or(creation_timestamp);
    Ok(MostRecent { earliest, most_recent: None, missed: MissedSchedules::None })
}

/// upstream `getJobName`: `<cronjob>-<scheduled unix seconds / 60>`.
pub fn job_name(cronjob: &str, scheduled: Timestamp) -> String {
    format!("{cronjob}-{}", scheduled.as_second().div_euclid(60))
}

/// The `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation value: RFC 3339 in the
/// CronJob's zone (upstream `getJobFromTemplate2`).
pub fn scheduled_timestamp_annotation(scheduled: Timestamp, zone: &TimeZone) -> String {
    scheduled.to_zoned(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
