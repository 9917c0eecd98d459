//! `count_between` and `previous` against brute force: walking `next` one run at a time,
//! in zones with DST changes (including Lord Howe's 30-minute shift), across the changes.

// Helpers outside #[test] fns panic on broken fixtures, which is what a test should do.
#![allow(clippy::unwrap_used)]

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kuul_schedule::Schedule;

const ZONES: [&str; 6] = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
];

const SCHEDULES: [&str; 14] = [
    "* * * * *",
    "*/7 * * * *",
    "30 2 * * *",
    "30 1 * * *",
    "0 5 * * *",
    "@daily",
    "@hourly",
    "0 0 1 * MON",
    "15 10 * * 1-5",
    "0 */3 * * *",
    "* 2 * * *",
    "0,30 0-3 * * 0",
    "0 0 29 2 *",
    "59 23 * * *",
];

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// Instants near every offset change of `zone` in 2024-2026, plus plain ones.
fn probe_points(zone: &str) -> Vec<Timestamp> {
    let tz = TimeZone::get(zone).unwrap();
    let start: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
    let end: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    let mut points: Vec<Timestamp> = tz
        .following(start)
        .take_while(|t| t.timestamp() < end)
        .flat_map(|t| {
            let at = t.timestamp();
            [at - hours(50), at - hours(3) + SignedDuration::from_secs(17), at + hours(20)]
        })
        .collect();
    points.push("2025-06-10T13:45:30Z".parse().unwrap());
    points.push("2026-01-31T23:59:59Z".parse().unwrap());
    points
}

fn walk_count(schedule: &Schedule, from: Timestamp, to: Timestamp) -> (u64, Option<Timestamp>) {
    let mut n = 0;
    let mut last = None;
    let mut t = from;
    while let Some(next) = schedule.next(t) {
        if next > to {
            break;
        }
        n += 1;
        last = Some(next);
        t = next;
    }
    (n, last)
}

#[test]
fn count_between_equals_walking_next_across_dst_changes() {
    let mut checked = 0;
    for zone in ZONES {
        for spec in SCHEDULES {
            let schedule = Schedule::parse_standard(&format!("TZ={zone} {spec}")).unwrap();
            for from in probe_points(zone) {
                // Month-long brute-force walks of the every-minute schedules are slow in debug
                // builds; three days already cross each change.
                let dense = spec.starts_with('*');
                let spans: &[SignedDuration] = if dense {
                    &[hours(5), hours(3 * 24)]
                } else {
                    &[hours(5), hours(3 * 24), hours(35 * 24)]
                };
                for &span in spans {
                    let to = from + span;
                    let (want, _) = walk_count(&schedule, from, to);
                    assert_eq!(
                        schedule.count_between(from, to),
                        want,
                        "{zone} {spec:?} ({from}, {to}]"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000);
}

#[test]
fn previous_equals_the_last_run_of_a_long_walk() {
    for zone in ZONES {
        for spec in SCHEDULES {
            let schedule = Schedule::parse_standard(&format!("TZ={zone} {spec}")).unwrap();
            for at in probe_points(zone) {
                // Every-minute schedules run within hours; the rest get 40 days of history.
                let back = if spec.starts_with('*') { hours(3 * 24) } else { hours(40 * 24) };
                let (_, want) = walk_count(&schedule, at - back, at);
                if want.is_none() {
                    // Nothing in the window (e.g. Feb 29): brute force says nothing here.
                    continue;
                }
                assert_eq!(schedule.previous(at), want, "{zone} {spec:?} at {at}");
            }
        }
    }
}

#[test]
fn previous_is_exact_at_run_instants() {
    let schedule = Schedule::parse_standard("TZ=America/New_York 30 1 * * *").unwrap();
    // Both 01:30s of the fall-back day are runs.
    for at in ["2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z"] {
        let at: Timestamp = at.parse().unwrap();
        assert_eq!(schedule.previous(at), Some(at));
        assert_eq!(
            schedule.previous(at - SignedDuration::from_secs(1)).map(|t| t < at),
            Some(true)
        );
    }
}

#[test]
fn every_counts_arithmetically_and_has_no_previous() {
    let schedule = Schedule::parse_standard("@every 90m").unwrap();
    let from: Timestamp = "2024-01-01T00:00:00.5Z".parse().unwrap();
    let to = from + hours(30 * 24);
    assert_eq!(schedule.count_between(from, to), walk_count(&schedule, from, to).0);
    assert_eq!(schedule.count_between(from, to), 480);
    assert_eq!(schedule.previous(to), None);
}

#[test]
fn a_month_of_every_minute_counts_without_walking() {
    let schedule = Schedule::parse_standard("TZ=Europe/London * * * * *").unwrap();
    let from: Timestamp = "2024-06-01T00:00:00Z".parse().unwrap();
    let to = from + hours(30 * 24);
    assert_eq!(schedule.count_between(from, to), 43_200);
}
