//! Behaviour tests of the public `Schedule` API: the quirks SCHEDULES.md lists, checked on
//! concrete instants (the golden file covers breadth; these name the behaviours).

use jiff::Timestamp;

use crate::Schedule;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn next_n(spec: &str, from: &str, n: usize) -> Vec<String> {
    let schedule = Schedule::parse_standard(spec).unwrap();
    let mut t = ts(from);
    let mut out = Vec::new();
    for _ in 0..n {
        t = schedule.next(t).unwrap();
        out.push(t.to_string());
    }
    out
}

#[test]
fn next_is_strictly_after_and_on_whole_seconds() {
    assert_eq!(
        next_n("*/15 * * * *", "2024-05-01T10:15:00.5Z", 2),
        ["2024-05-01T10:30:00Z", "2024-05-01T10:45:00Z"]
    );
    assert_eq!(next_n("* * * * *", "2024-05-01T10:15:00Z", 1), ["2024-05-01T10:16:00Z"]);
}

#[test]
fn spring_forward_gap_skips_the_run_that_day() {
    // New York 2024-03-10: 02:30 does not exist; robfig does not run that day.
    assert_eq!(
        next_n("TZ=America/New_York 30 2 * * *", "2024-03-09T12:00:00Z", 2),
        ["2024-03-11T06:30:00Z", "2024-03-12T06:30:00Z"]
    );
}

#[test]
fn fall_back_overlap_runs_twice() {
    // New York 2024-11-03: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z).
    assert_eq!(
        next_n("TZ=America/New_York 30 1 * * *", "2024-11-03T00:00:00Z", 3),
        ["2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z", "2024-11-04T06:30:00Z"]
    );
}

#[test]
fn day_of_month_and_week_or_rule() {
    // 2024-06-01 is a Saturday: `0 0 1 * MON` fires on the 1st and on Mondays.
    assert_eq!(
        next_n("0 0 1 * MON", "2024-05-31T00:00:00Z", 3),
        ["2024-06-01T00:00:00Z", "2024-06-03T00:00:00Z", "2024-06-10T00:00:00Z"]
    );
    // With the star bit (`*/1`) it is AND: Mondays only.
    assert_eq!(next_n("0 0 */1 * MON", "2024-05-31T00:00:00Z", 1), ["2024-06-03T00:00:00Z"]);
}

#[test]
fn impossible_dates_never_fire() {
    let schedule = Schedule::parse_standard("0 0 30 2 *").unwrap();
    assert_eq!(schedule.next(ts("2024-01-01T00:00:00Z")), None);
}

#[test]
fn every_counts_from_the_given_instant() {
    assert_eq!(
        next_n("@every 90m", "2024-01-01T00:00:00.9Z", 2),
        ["2024-01-01T01:30:00Z", "2024-01-01T03:00:00Z"]
    );
}

#[test]
fn for_cronjob_prefixes_the_time_zone_unless_the_schedule_has_one() {
    let s = Schedule::for_cronjob("0 9 * * *", Some("Asia/Kolkata")).unwrap();
    assert_eq!(s.next(ts("2024-01-01T00:00:00Z")), Some(ts("2024-01-01T03:30:00Z")));
    let s = Schedule::for_cronjob("CRON_TZ=UTC 0 9 * * *", Some("Asia/Kolkata")).unwrap();
    assert_eq!(s.next(ts("2024-01-01T00:00:00Z")), Some(ts("2024-01-01T09:00:00Z")));
    // An unloadable zone is dropped, as upstream formatSchedule does.
    let s = Schedule::for_cronjob("0 9 * * *", Some("Nowhere/Land")).unwrap();
    assert_eq!(s.next(ts("2024-01-01T00:00:00Z")), Some(ts("2024-01-01T09:00:00Z")));
}

#[test]
fn extreme_instants_do_not_panic() {
    for spec in ["* * * * *", "0 0 29 2 *", "TZ=America/Santiago 30 0 * * *", "@every 1h"] {
        let schedule = Schedule::parse_standard(spec).unwrap();
        for t in [Timestamp::MIN, Timestamp::MAX, Timestamp::UNIX_EPOCH] {
            let _ = schedule.next(t);
            let _ = schedule.previous(t);
            let year_later = t.checked_add(jiff::SignedDuration::from_hours(9000)).unwrap_or(t);
            let _ = schedule.count_between(t, year_later);
            let _ = crate::most_recent_schedule_time(&schedule, None, t, Some(i64::MAX), true, t);
        }
    }
    // Near the end of time robfig's "nothing within five years" becomes "nothing at all".
    let schedule = Schedule::parse_standard("0 0 1 1 *").unwrap();
    assert_eq!(schedule.next(ts("9999-06-01T00:00:00Z")), None);
}
