//! Kubernetes-exact cron schedules: a port of robfig/cron v3.0.1 as the CronJob controller
//! uses it, plus the API server's validation and the controller's arithmetic around it.
//!
//! Kubernetes parses `.spec.schedule` with `cron.ParseStandard` (github.com/robfig/cron/v3
//! v3.0.1) and evaluates it with `SpecSchedule.Next`, quirks included: DST gaps skip runs,
//! overlaps run twice, `7` is not Sunday, `@every` is accepted. An operator asking "when does
//! this run?" wants the answer the controller will act on, so this crate reproduces robfig
//! instant for instant and error text for error text (checked against golden data generated
//! by robfig itself, see `golden/`). No other crate does (see README.md).
//!
//! - [`Schedule`]: parse (`parse_standard`, `for_cronjob`), evaluate (`next`, `previous`,
//!   `count_between`).
//! - [`validate_schedule`], [`validate_cronjob_schedule`], [`validate_time_zone`]: the API
//!   server's checks with its error texts.
//! - [`most_recent_schedule_time`], [`job_name`], [`scheduled_timestamp_annotation`]: the
//!   CronJob controller's arithmetic (`pkg/controller/cronjob/utils.go`).
//!
//! Time zones: a schedule without `TZ=` evaluates in robfig's `time.Local`, which is
//! kube-controller-manager's zone; the API cannot tell us, so we assume UTC.
//!
//! ```
//! use jiff::Timestamp;
//! use kuul_schedule::Schedule;
//!
//! // New York falls back on 2024-11-03: robfig (and so Kubernetes) runs 01:30 twice.
//! let s = Schedule::for_cronjob("30 1 * * *", Some("America/New_York"))?;
//! let first = s.next("2024-11-03T00:00:00Z".parse::<Timestamp>()?).unwrap();
//! let second = s.next(first).unwrap();
//! assert_eq!((first.to_string(), second.to_string()),
//!            ("2024-11-03T05:30:00Z".into(), "2024-11-03T06:30:00Z".into()));
//!
//! // Error texts are robfig's, as the API server shows them.
//! let err = Schedule::parse_standard("0 0 * * 7").unwrap_err();
//! assert_eq!(err.to_string(), "end of range (7) above maximum (6): 7");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod chain;
mod clock;
mod controller;
mod golang;
mod parser;
mod spec;
mod validation;

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use controller::{
    MissedSchedules, MostRecent, SCHEDULED_TIMESTAMP_ANNOTATION, format_schedule, job_name,
    most_recent_schedule_time, next_schedule_time_duration, scheduled_timestamp_annotation,
};
pub use validation::{
    time_zone_errors, validate_cronjob_schedule, validate_schedule, validate_time_zone,
};

use crate::clock::ZoneClock;
use crate::parser::Parsed;

/// Go's `time.LoadLocation(name)` as Kubernetes sees it: `""`, `"UTC"` and `"Local"` (the
/// controller's zone, assumed UTC) are UTC; names are case-sensitive; the error is Go's text
/// (`unknown time zone X`, `time: invalid location name`). Use it for `.spec.timeZone` where
/// upstream calls `time.LoadLocation` (e.g. the scheduled-timestamp annotation).
pub fn load_location(name: &str) -> Result<TimeZone, String> {
    golang::location::load_location(name)
}

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
    parsed: Parsed,
    zone: TimeZone,
}

/// Whole Unix seconds at or before `ts` (Go's `t.Unix()`; jiff truncates toward zero).
pub(crate) fn floor_second(ts: Timestamp) -> i64 {
    let s = ts.as_second();
    if ts.subsec_nanosecond() < 0 { s - 1 } else { s }
}

pub(crate) fn timestamp(second: i64) -> Option<Timestamp> {
    Timestamp::from_second(second).ok()
}

impl Schedule {
    /// robfig v3 `ParseStandard`, including `TZ=`/`CRON_TZ=` prefixes, descriptors and `@every`.
    /// Without a prefix the schedule evaluates in UTC.
    pub fn parse_standard(spec: &str) -> Result<Self, ParseError> {
        parser::parse_standard(spec)
            .map(|(parsed, zone)| Schedule { parsed, zone })
            .map_err(|message| ParseError { message })
    }

    /// What the CronJob controller parses for `.spec.schedule` and `.spec.timeZone`
    /// (upstream `formatSchedule`: a `TZ=<timeZone> ` prefix when timeZone is set and the
    /// schedule carries no TZ itself). Unset timeZone means UTC.
    pub fn for_cronjob(schedule: &str, time_zone: Option<&str>) -> Result<Self, ParseError> {
        Self::parse_standard(&format_schedule(schedule, time_zone))
    }

    /// robfig `Next`: the first activation strictly after `after`; `None` where robfig returns
    /// the zero time (nothing within five years).
    pub fn next(&self, after: Timestamp) -> Option<Timestamp> {
        let after = floor_second(after);
        match self.parsed {
            Parsed::Spec(ref spec) => spec.next(&mut ZoneClock::new(&self.zone), after),
            // constantdelay.go: t.Add(Delay - t.Nanosecond()).
            Parsed::Every(delay) => after.checked_add(delay),
        }
        .and_then(timestamp)
    }

    /// `next` on whole Unix seconds, reusing the caller's zone cache.
    pub(crate) fn next_second(&self, clock: &mut ZoneClock<'_>, after: i64) -> Option<i64> {
        match self.parsed {
            Parsed::Spec(ref spec) => spec.next(clock, after),
            // constantdelay.go: t.Add(Delay - t.Nanosecond()).
            Parsed::Every(delay) => after.checked_add(delay),
        }
    }

    /// The true latest activation at or before `at` (not upstream's estimate): the last
    /// instant at or before `at` that `next` reaches when walked from earlier times.
    ///
    /// `@every` schedules have no fixed grid (each run is counted from the previous one), so
    /// they have no previous activation of their own: `None`. Use
    /// [`most_recent_schedule_time`] with the CronJob's `lastScheduleTime` instead.
    pub fn previous(&self, at: Timestamp) -> Option<Timestamp> {
        match self.parsed {
            Parsed::Spec(ref spec) => chain::previous(spec, &self.zone, floor_second(at)),
            Parsed::Every(_) => None,
        }
        .and_then(timestamp)
    }

    /// Number of activations in the half-open interval `(from, to]`, without walking every
    /// instant when the schedule repeats: the length of the chain `next(from)`,
    /// `next(next(from))`, ... up to `to`.
    pub fn count_between(&self, from: Timestamp, to: Timestamp) -> u64 {
        let (from, to) = (floor_second(from), floor_second(to));
        if to <= from {
            return 0;
        }
        match self.parsed {
            Parsed::Spec(ref spec) => chain::walk(spec, &self.zone, from, to).count,
            // The chain is from + k * delay, k >= 1.
            Parsed::Every(delay) => u64::try_from((to - from) / delay).unwrap_or(0),
        }
    }

    /// The zone the schedule evaluates in.
    pub fn time_zone(&self) -> TimeZone {
        self.zone.clone()
    }

    /// The `@every` delay in seconds, if this is a constant-delay schedule.
    pub fn every_seconds(&self) -> Option<i64> {
        match self.parsed {
            Parsed::Every(delay) => Some(delay),
            Parsed::Spec(_) => None,
        }
    }
}

#[cfg(test)]
mod tests;
