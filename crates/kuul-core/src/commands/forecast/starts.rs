//! Every start of a schedule in a window, exactly as the CronJob controller will fire them:
//! `kuul_schedule::Schedule::for_cronjob` (robfig v3 `ParseStandard` of upstream
//! `formatSchedule`, in `.spec.timeZone`, UTC when unset), walked with robfig's `Next`, so a
//! time inside a spring-forward gap is skipped and one inside a fall-back overlap fires twice.
//!
//! The window is half-open, `[from, to)`: a start exactly at `from` counts. `@every` schedules
//! have no grid of their own: upstream `mostRecentScheduleTime` counts them from the CronJob's
//! `lastScheduleTime` (else its creation), so the chain continues from there.

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::Schedule;

/// Why a CronJob will not fire at all.
pub(crate) fn parse(schedule: &str, time_zone: Option<&str>) -> Result<Schedule, String> {
    // upstream syncCronJob checks the zone first ("UnknownTimeZone": not starting the job);
    // formatSchedule would otherwise silently drop it and run in the controller's zone.
    if let Some(zone) = time_zone
        && let Err(e) = kuul_schedule::load_location(zone)
    {
        return Err(format!("invalid timeZone: {zone:?}: {e}"));
    }
    // The controller's own words for an object the API server would reject today (a legacy
    // one): `UnparseableSchedule` "unparseable schedule: ...", and the time zone's error.
    Schedule::for_cronjob(schedule, time_zone)
        .map_err(|e| format!("unparseable schedule {schedule:?}: {e}"))
}

/// Every start in `[from, to)`. `chain_base` is where an `@every` chain counts from.
pub(crate) fn starts(
    schedule: &Schedule,
    from: Timestamp,
    to: Timestamp,
    chain_base: Option<Timestamp>,
) -> Vec<Timestamp> {
    let mut out = Vec::new();
    if to <= from {
        return out;
    }
    let mut t = match (schedule.every_seconds(), chain_base) {
        (Some(delay), Some(base)) if delay > 0 && base < from => {
            // The first base + k * delay at or after `from`.
            let gap = from.duration_since(base).as_secs();
            let k = (gap + delay - 1) / delay;
            base.checked_add(SignedDuration::from_secs(k.saturating_mul(delay))).ok()
        }
        (Some(_), Some(base)) => schedule.next(base),
        _ => schedule.next(from - SignedDuration::from_secs(1)),
    };
    while let Some(at) = t {
        if at >= to {
            break;
        }
        if at >= from {
            out.push(at);
        }
        t = schedule.next(at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Starts in the local calendar day `day` of `zone`, by walking; checked against
    /// `count_between` (the engine's own independent counter) on the same interval.
    fn day_count(schedule: &str, zone: &str, day: &str) -> usize {
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        let date: jiff::civil::Date = day.parse().unwrap();
        let from = date.to_zoned(tz.clone()).unwrap().timestamp();
        let to = date.tomorrow().unwrap().to_zoned(tz).unwrap().timestamp();
        let s = parse(schedule, Some(zone)).unwrap();
        let walked = starts(&s, from, to, None);
        let counted =
            s.count_between(from - SignedDuration::from_secs(1), to - SignedDuration::from_secs(1));
        assert_eq!(walked.len() as u64, counted, "{schedule} in {zone} on {day}");
        walked.len()
    }

    #[test]
    fn dst_days_in_several_zones() {
        // New York, 2025-03-09: 02:00-03:00 does not exist; 2025-11-02: 01:00-02:00 twice.
        assert_eq!(day_count("30 2 * * *", "America/New_York", "2025-03-09"), 0);
        assert_eq!(day_count("30 2 * * *", "America/New_York", "2025-03-10"), 1);
        assert_eq!(day_count("30 1 * * *", "America/New_York", "2025-11-02"), 2);
        assert_eq!(day_count("0 * * * *", "America/New_York", "2025-03-09"), 23);
        assert_eq!(day_count("0 * * * *", "America/New_York", "2025-11-02"), 25);
        assert_eq!(day_count("*/15 * * * *", "America/New_York", "2025-11-02"), 100);
        // Berlin, 2025-03-30 02:00 -> 03:00 and 2025-10-26 03:00 -> 02:00.
        assert_eq!(day_count("30 2 * * *", "Europe/Berlin", "2025-03-30"), 0);
        assert_eq!(day_count("30 2 * * *", "Europe/Berlin", "2025-10-26"), 2);
        assert_eq!(day_count("* * * * *", "Europe/Berlin", "2025-03-30"), 23 * 60);
        assert_eq!(day_count("* * * * *", "Europe/Berlin", "2025-10-26"), 25 * 60);
        // Lord Howe shifts by 30 minutes: 2025-04-06 02:00 -> 01:30, 2025-10-05 02:00 -> 02:30.
        assert_eq!(day_count("45 1 * * *", "Australia/Lord_Howe", "2025-04-06"), 2);
        assert_eq!(day_count("15 2 * * *", "Australia/Lord_Howe", "2025-10-05"), 0);
        assert_eq!(day_count("0,30 * * * *", "Australia/Lord_Howe", "2025-10-05"), 47);
        // UTC never shifts.
        assert_eq!(day_count("0 */2 * * *", "UTC", "2025-03-09"), 12);
    }

    #[test]
    fn the_window_is_half_open() {
        let s = parse("0 * * * *", None).unwrap();
        let got = starts(&s, ts("2025-03-01T10:00:00Z"), ts("2025-03-01T12:00:00Z"), None);
        assert_eq!(got, vec![ts("2025-03-01T10:00:00Z"), ts("2025-03-01T11:00:00Z")]);
        assert!(
            starts(&s, ts("2025-03-01T10:00:01Z"), ts("2025-03-01T11:00:00Z"), None).is_empty()
        );
    }

    #[test]
    fn every_continues_from_the_last_schedule_time() {
        let s = parse("@every 25m", None).unwrap();
        let got = starts(
            &s,
            ts("2025-03-01T10:00:00Z"),
            ts("2025-03-01T11:00:00Z"),
            Some(ts("2025-03-01T09:50:00Z")),
        );
        assert_eq!(got, vec![ts("2025-03-01T10:15:00Z"), ts("2025-03-01T10:40:00Z")]);
    }

    #[test]
    fn schedules_the_controller_rejects_say_why() {
        let e = parse("*/0 * * * *", None).unwrap_err();
        assert!(e.starts_with("unparseable schedule \"*/0 * * * *\": "), "{e}");
        let e = parse("0 * * * *", Some("Mars/Olympus")).unwrap_err();
        assert!(e.starts_with("invalid timeZone: \"Mars/Olympus\": "), "{e}");
    }
}
