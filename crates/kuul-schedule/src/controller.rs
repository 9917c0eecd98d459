//! The CronJob controller's arithmetic around the schedule, ported from Kubernetes
//! `pkg/controller/cronjob/utils.go` (`formatSchedule`, `mostRecentScheduleTime`,
//! `getJobName`/`getTimeHashInMinutes`, `getJobFromTemplate2`), quirks included.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

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

/// upstream `nextScheduleTimeDuration`: how long the controller waits before looking at the
/// CronJob again (the next run after the most recent one, plus 100 ms of NTP padding,
/// minus `now`). Ignores `startingDeadlineSeconds`, as upstream does.
pub fn next_schedule_time_duration(
    schedule: &Schedule,
    last_schedule_time: Option<Timestamp>,
    creation_timestamp: Timestamp,
    now: Timestamp,
) -> SignedDuration {
    const NEXT_SCHEDULE_DELTA: SignedDuration = SignedDuration::from_millis(100);
    let most_recent = match most_recent_schedule_time(
        schedule,
        last_schedule_time,
        creation_timestamp,
        None,
        false,
        now,
    ) {
        // We still have to requeue at some point: aim for the next slot from now.
        Err(_) => now,
        Ok(MostRecent { most_recent: Some(t), .. }) => t,
        Ok(MostRecent { earliest, missed: MissedSchedules::None, .. }) => earliest,
        Ok(MostRecent { .. }) => now,
    };
    let next = schedule.next(most_recent).unwrap_or_else(|| go_time(GO_ZERO_TIME));
    next.duration_since(now) + NEXT_SCHEDULE_DELTA
}

fn go_time(secs: i64) -> Timestamp {
    timestamp(secs).unwrap_or(Timestamp::MIN)
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

#[cfg(test)]
mod tests {
    //! Upstream's `TestMostRecentScheduleTime` and `TestNextScheduleTimeDuration`
    //! (pkg/controller/cronjob/utils_test.go), case for case.

    use super::*;

    /// utils_test.go `topOfTheHour`: 2016-05-19T10:00:00Z, a Thursday.
    fn top() -> Timestamp {
        "2016-05-19T10:00:00Z".parse().unwrap()
    }

    fn after(seconds: i64) -> Timestamp {
        top() + SignedDuration::from_secs(seconds)
    }

    const MIN: i64 = 60;
    const HOUR: i64 = 3600;

    struct Case {
        name: &'static str,
        schedule: &'static str,
        creation: Timestamp,
        last: Option<Timestamp>,
        deadline: Option<i64>,
        include_sds: bool,
        now: Timestamp,
        earliest: Timestamp,
        recent: Option<Timestamp>,
        missed: MissedSchedules,
        want_err: bool,
    }

    fn case(name: &'static str, schedule: &'static str, now: Timestamp) -> Case {
        Case {
            name,
            schedule,
            creation: top(),
            last: None,
            deadline: None,
            include_sds: false,
            now,
            earliest: top(),
            recent: None,
            missed: MissedSchedules::None,
            want_err: false,
        }
    }

    #[test]
    fn most_recent_schedule_time_matches_upstream_tests() {
        use MissedSchedules::{Few, Many};
        let cases = [
            case("now before next schedule", "0 * * * *", after(30)),
            Case {
                recent: Some(after(60 * MIN)),
                ..case("now just after next schedule", "0 * * * *", after(61 * MIN))
            },
            Case {
                creation: after(10),
                earliest: after(10),
                recent: Some(after(300 * MIN)),
                missed: Few,
                ..case("missed 5 schedules", "0 * * * *", after(301 * MIN))
            },
            Case {
                last: Some(after(30 * MIN)),
                earliest: after(30 * MIN),
                recent: Some(after(24 * HOUR + 30 * MIN)),
                missed: Few,
                ..case("complex schedule", "30 6-16/4 * * 1-5", after(24 * HOUR + 31 * MIN))
            },
            Case {
                last: Some(after(30 * MIN)),
                earliest: after(30 * MIN),
                recent: None,
                missed: Few,
                ..case(
                    "another complex schedule",
                    "30 10,11,12 * * 1-5",
                    after(30 * HOUR + 30 * MIN),
                )
            },
            Case {
                last: Some(after(30 * MIN)),
                earliest: after(30 * MIN),
                recent: Some(after(96 * HOUR + 30 * MIN)),
                missed: Few,
                ..case(
                    "complex schedule with longer diff between executions",
                    "30 6-16/4 * * 1-5",
                    after(96 * HOUR + 31 * MIN),
                )
            },
            Case {
                recent: Some(after(24 * HOUR + 30 * MIN)),
                missed: Few,
                ..case(
                    "complex schedule with shorter diff between executions",
                    "30 6-16/4 * * 1-5",
                    after(24 * HOUR + 31 * MIN),
                )
            },
            Case {
                creation: after(-59 * MIN),
                last: Some(after(MIN)),
                deadline: Some(10),
                earliest: after(MIN),
                recent: Some(after(6 * 24 * HOUR + 23 * HOUR + MIN)),
                missed: Many,
                ..case("@every schedule", "@every 1h", after(7 * 24 * HOUR))
            },
            Case {
                creation: after(10),
                want_err: true,
                ..case("rogue cronjob", "59 23 31 2 *", after(HOUR))
            },
            Case {
                last: Some(top()),
                ..case(
                    "earliestTime being CreationTimestamp and LastScheduleTime",
                    "0 * * * *",
                    after(30),
                )
            },
            Case {
                last: Some(after(30 * MIN)),
                earliest: after(30 * MIN),
                ..case("earliestTime being LastScheduleTime", "*/5 * * * *", after(31 * MIN))
            },
            Case {
                last: Some(after(30 * MIN)),
                deadline: Some(60),
                earliest: after(30 * MIN),
                ..case(
                    "earliestTime being LastScheduleTime (within StartingDeadlineSeconds)",
                    "*/5 * * * *",
                    after(31 * MIN),
                )
            },
            Case {
                last: Some(after(30 * MIN)),
                deadline: Some(60),
                include_sds: true,
                earliest: after(31 * MIN),
                ..case(
                    "earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)",
                    "*/5 * * * *",
                    after(32 * MIN),
                )
            },
        ];
        for c in cases {
            let schedule = Schedule::parse_standard(c.schedule).unwrap();
            let got = most_recent_schedule_time(
                &schedule,
                c.last,
                c.creation,
                c.deadline,
                c.include_sds,
                c.now,
            );
            if c.want_err {
                assert!(got.is_err(), "{}: want an error, got {got:?}", c.name);
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("{}: {e}", c.name));
            assert_eq!(got.earliest, c.earliest, "{}: earliest", c.name);
            assert_eq!(got.most_recent, c.recent, "{}: most recent", c.name);
            assert_eq!(got.missed, c.missed, "{}: missed", c.name);
        }
    }

    #[test]
    fn next_schedule_time_duration_matches_upstream_tests() {
        let delta = SignedDuration::from_millis(100);
        let cases = [
            (
                "30 6-16/4 * * 1-5",
                Some(after(30 * MIN)),
                after(24 * HOUR + 31 * MIN),
                3 * HOUR + 59 * MIN,
            ),
            ("30 10,11,12 * * 1-5", Some(after(30 * MIN)), after(30 * HOUR + 30 * MIN), 66 * HOUR),
            (
                "0 12 * * 4",
                Some(after(2 * HOUR)),
                after(19 * 24 * HOUR + HOUR + 30 * MIN),
                48 * HOUR + 30 * MIN,
            ),
            ("0 12 * * 5", None, after(6 * HOUR), 20 * HOUR),
        ];
        for (spec, last, now, want) in cases {
            let schedule = Schedule::parse_standard(spec).unwrap();
            let got = next_schedule_time_duration(&schedule, last, top(), now);
            assert_eq!(got, SignedDuration::from_secs(want) + delta, "{spec}");
        }
    }

    #[test]
    fn job_names_truncate_toward_zero_like_go() {
        assert_eq!(job_name("backup", "2024-01-01T00:01:59Z".parse().unwrap()), "backup-28401121");
        assert_eq!(job_name("old", "1969-12-31T23:59:00Z".parse().unwrap()), "old--1");
        assert_eq!(job_name("old", "1969-12-31T23:58:59Z".parse().unwrap()), "old--1");
    }

    #[test]
    fn annotation_is_go_rfc3339_in_the_zone() {
        let t: Timestamp = "2024-07-01T12:00:00Z".parse().unwrap();
        assert_eq!(scheduled_timestamp_annotation(t, &TimeZone::UTC), "2024-07-01T12:00:00Z");
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(scheduled_timestamp_annotation(t, &ny), "2024-07-01T08:00:00-04:00");
    }

    #[test]
    fn format_schedule_follows_upstream() {
        assert_eq!(format_schedule("0 * * * *", None), "0 * * * *");
        assert_eq!(format_schedule("0 * * * *", Some("Asia/Kolkata")), "TZ=Asia/Kolkata 0 * * * *");
        assert_eq!(
            format_schedule("CRON_TZ=UTC 0 * * * *", Some("Asia/Kolkata")),
            "CRON_TZ=UTC 0 * * * *"
        );
        assert_eq!(format_schedule("0 * * * *", Some("Nowhere")), "0 * * * *");
    }
}
