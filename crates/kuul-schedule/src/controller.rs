//! The CronJob controller's arithmetic around the schedule, ported from Kubernetes
//! `pkg/controller/cronjob/utils.go` (`formatSchedule`, `mostRecentScheduleTime`,
//! `getJobName`/`getTimeHashInMinutes`, `getJobFromTemplate2`), quirks included.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::clock::ZoneClock;
use crate::golang::location::load_location;
use crate::{ParseError, Schedule, floor_second, timestamp};

/// Annotation the controller puts on each Job it creates (`batchv1.CronJobScheduledTimestampAnnotation`).
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// Go's zero `time.Time` (0001-01-01T00:00:00Z) in Unix seconds: what robfig's `Next`
/// returns for "never", which the controller then feeds back into `Next`.
const GO_ZERO_TIME: i64 = -62_135_596_800;

/// upstream `formatSchedule`: the string the controller hands to `cron.ParseStandard`.
///
/// A schedule containing `TZ` anywhere is used as is (and `.spec.timeZone` ignored); else a
/// loadable `.spec.timeZone` becomes a `TZ=<zone> ` prefix; an unloadable one is dropped
/// (the schedule then runs in the controller's local zone, UTC here).
pub fn format_schedule(schedule: &str, time_zone: Option<&str>) -> String {
    match time_zone {
        Some(zone) if !schedule.contains("TZ") && load_location(zone).is_ok() => {
            format!("TZ={zone} {schedule}")
        }
        _ => schedule.to_owned(),
    }
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

/// Go's `Duration` arithmetic is in nanoseconds on an `int64` and saturates in `Sub`.
fn sub_nanos(a: Timestamp, b: Timestamp) -> i64 {
    let diff = a.as_nanosecond() - b.as_nanosecond();
    i64::try_from(diff).unwrap_or(if diff < 0 { i64::MIN } else { i64::MAX })
}

/// upstream `mostRecentScheduleTime(cj, now, schedule, includeStartingDeadlineSeconds)`,
/// quirks included: the estimate uses the gap between the first two runs, so irregular
/// schedules can miss the true latest run (upstream's own test: `30 10,11,12 * * 1-5`, last
/// run Thursday 10:30, now Friday 16:30 gives none). The error is upstream's for schedules
/// whose first two runs coincide (never happen).
pub fn most_recent_schedule_time(
    schedule: &Schedule,
    last_schedule_time: Option<Timestamp>,
    creation_timestamp: Timestamp,
    starting_deadline_seconds: Option<i64>,
    include_starting_deadline: bool,
    now: Timestamp,
) -> Result<MostRecent, ParseError> {
    let mut earliest = last_schedule_time.unwrap_or(creation_timestamp);
    if include_starting_deadline && let Some(deadline) = starting_deadline_seconds {
        // now.Add(-time.Second * time.Duration(deadline)); Go's multiplication wraps.
        let back = deadline.wrapping_mul(-1_000_000_000);
        if let Ok(scheduling_deadline) = now.checked_add(jiff::SignedDuration::from_nanos(back))
            && scheduling_deadline > earliest
        {
            earliest = scheduling_deadline;
        }
    }

    let mut clock = ZoneClock::new(&schedule.zone);
    // robfig returns the zero time for "never"; Go then keeps computing with it.
    let mut next = |t: i64| schedule.next_second(&mut clock, t).unwrap_or(GO_ZERO_TIME);
    let go_time = |secs: i64| timestamp(secs).unwrap_or(Timestamp::MIN);
    let t1 = next(floor_second(earliest));
    let t2 = next(t1);
    let none = |missed| Ok(MostRecent { earliest, most_recent: None, missed });

    if now < go_time(t1) {
        return none(MissedSchedules::None);
    }
    if now < go_time(t2) {
        return Ok(MostRecent {
            earliest,
            most_recent: Some(go_time(t1)),
            missed: MissedSchedules::None,
        });
    }

    // int64(t2.Sub(t1).Round(time.Second).Seconds()): both are whole seconds.
    let between = t2.saturating_sub(t1).clamp(i64::MIN / 1_000_000_000, i64::MAX / 1_000_000_000);
    if between < 1 {
        return Err(ParseError {
            message: "time difference between two schedules is less than 1 second".to_owned(),
        });
    }
    // int64(now.Sub(t1).Seconds()): float seconds truncated toward zero, as Go computes them.
    let elapsed_nanos = sub_nanos(now, go_time(t1));
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let elapsed = ((elapsed_nanos / 1_000_000_000) as f64
        + (elapsed_nanos % 1_000_000_000) as f64 / 1e9) as i64;
    let missed_count = elapsed / between + 1;

    // t1.Add(time.Duration((n-1-1)*between) * time.Second), with Go's wrapping int64 maths.
    let offset_nanos = (missed_count - 2).wrapping_mul(between).wrapping_mul(1_000_000_000);
    let potential_earliest = t1.saturating_add(offset_nanos.div_euclid(1_000_000_000));
    let now_secs = floor_second(now);
    let mut most_recent = None;
    let mut t = next(potential_earliest);
    // for t := Next(potentialEarliest); !t.After(now); t = Next(t)
    while t <= now_secs {
        most_recent = Some(t);
        if t == GO_ZERO_TIME {
            // Next(zero) from a never-matching schedule stays zero: Go would spin forever.
            break;
        }
        t = next(t);
    }

    let missed = if missed_count > 100 {
        MissedSchedules::Many
    } else if missed_count > 0 {
        MissedSchedules::Few
    } else {
        MissedSchedules::None
    };
    // if mostRecentTime.IsZero() { return nil }
    let most_recent = most_recent.filter(|&t| t != GO_ZERO_TIME).map(go_time);
    Ok(MostRecent { earliest, most_recent, missed })
}

/// upstream `getJobName`: `<cronjob>-<scheduled unix seconds / 60>` (Go integer division,
/// truncating toward zero).
pub fn job_name(cronjob: &str, scheduled: Timestamp) -> String {
    format!("{cronjob}-{}", floor_second(scheduled) / 60)
}

/// The `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation value: RFC 3339 in the
/// CronJob's zone (upstream `getJobFromTemplate2`: `scheduledTime.In(loc).Format(time.RFC3339)`
/// with `loc = time.LoadLocation(.spec.timeZone or "")`, so UTC when unset). Go writes `Z` for
/// a zero offset and drops any seconds of the offset.
pub fn scheduled_timestamp_annotation(scheduled: Timestamp, zone: &TimeZone) -> String {
    let zoned = scheduled.to_zoned(zone.clone());
    let offset = zoned.offset().seconds();
    let base = zoned.strftime("%Y-%m-%dT%H:%M:%S");
    if offset == 0 {
        return format!("{base}Z");
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    format!("{base}{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}
