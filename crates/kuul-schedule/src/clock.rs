//! Wall-clock arithmetic in one time zone, the way Go's `time` package does it.
//!
//! robfig's `SpecSchedule.Next` (spec.go) moves through the calendar with `time.Date`,
//! `AddDate`, `Add` and `Truncate`, reading `t.Month()`, `t.Day()`, `t.Hour()`... in the
//! schedule's zone. This module gives the same answers on plain `i64` Unix seconds: `civil`
//! is Go's field accessors, `date` is `time.Date` including its resolution of wall times that
//! fall into a DST gap or overlap. Offsets come from jiff, cached per zone period (the span
//! between two transitions), so the hot loop rarely touches the tz database.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::golang::civil::{Civil, DAY, days_from_civil};

/// A zone plus the offset period most recently looked up.
#[derive(Debug)]
pub(crate) struct ZoneClock<'a> {
    tz: &'a TimeZone,
    /// Cached period `[start, end)` (Unix seconds) during which `offset` holds.
    start: i64,
    end: i64,
    offset: i64,
}

impl<'a> ZoneClock<'a> {
    pub(crate) fn new(tz: &'a TimeZone) -> Self {
        match tz.to_fixed_offset() {
            Ok(offset) => ZoneClock {
                tz,
                start: i64::MIN,
                end: i64::MAX,
                offset: i64::from(offset.seconds()),
            },
            // An empty period: the first lookup fills it.
            Err(_) => ZoneClock { tz, start: 1, end: 0, offset: 0 },
        }
    }

    /// The UTC offset in seconds in force at `unix`.
    pub(crate) fn offset(&mut self, unix: i64) -> i64 {
        if unix < self.start || unix >= self.end {
            self.lookup(unix);
        }
        self.offset
    }

    /// The end (exclusive) of the offset period containing `unix`: the wall clock runs
    /// linearly from `unix` up to it.
    pub(crate) fn period_end(&mut self, unix: i64) -> i64 {
        if unix < self.start || unix >= self.end {
            self.lookup(unix);
        }
        self.end
    }

    /// The start of the offset period containing `unix`.
    pub(crate) fn period_start(&mut self, unix: i64) -> i64 {
        if unix < self.start || unix >= self.end {
            self.lookup(unix);
        }
        self.start
    }

    fn lookup(&mut self, unix: i64) {
        let Ok(ts) = Timestamp::from_second(unix) else {
            // Outside jiff's range (years beyond +/-9999): use the nearest edge's offset and
            // cache nothing beyond this one second.
            let edge = if unix < 0 { Timestamp::MIN } else { Timestamp::MAX };
            self.offset = i64::from(self.tz.to_offset(edge).seconds());
            self.start = unix;
            self.end = unix.saturating_add(1);
            return;
        };
        self.offset = i64::from(self.tz.to_offset(ts).seconds());
        // `preceding` yields transitions strictly before its argument, `following` strictly
        // after, so this is the period [start, end) that contains `unix`.
        let after = Timestamp::from_second(unix + 1).unwrap_or(Timestamp::MAX);
        self.start =
            self.tz.preceding(after).next().map_or(i64::MIN, |t| t.timestamp().as_second());
        self.end = self.tz.following(ts).next().map_or(i64::MAX, |t| t.timestamp().as_second());
    }

    /// Go's `t.Date()`, `t.Clock()`, `t.Weekday()` for the instant `unix` in this zone.
    pub(crate) fn civil(&mut self, unix: i64) -> Civil {
        let offset = self.offset(unix);
        Civil::from_local_seconds(unix + offset)
    }

    /// Go's `time.Date(year, month, day, hour, min, sec, 0, loc)` as Unix seconds.
    ///
    /// Month and day may overflow (month 13 is January next year, day 32 rolls into the next
    /// month), as `AddDate` relies on. The wall time is resolved like Go 1.19 `time.Date`
    /// (time/time.go): take the offset in force at the wall time read as UTC, and if the
    /// resulting instant lies outside that offset's period, use the offset in force at that
    /// instant instead. Both branches reduce to `local - offset(local - offset(local))`.
    /// In a gap this yields the wall time read with the offset from before the gap (02:30 in
    /// New York's spring gap becomes 01:30 EST); in an overlap it picks the first (daylight)
    /// occurrence. Both checked against Go 1.19.
    pub(crate) fn date(
        &mut self,
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> i64 {
        let m0 = i64::from(month) - 1;
        let year = year + m0.div_euclid(12);
        let month = m0.rem_euclid(12) + 1;
        let local = days_from_civil(year, month, i64::from(day)) * DAY
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        let first = self.offset(local);
        local - self.offset(local - first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }

    fn unix(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn date_in_spring_gap_uses_the_offset_before_the_gap_like_go() {
        let tz = ny();
        let mut clock = ZoneClock::new(&tz);
        // Go 1.19: time.Date(2024, 3, 10, 2, 30, 0, 0, NY) == 2024-03-10 01:30:00 -0500 EST.
        assert_eq!(clock.date(2024, 3, 10, 2, 30, 0), unix("2024-03-10T06:30:00Z"));
    }

    #[test]
    fn date_in_fall_overlap_picks_daylight_time_like_go() {
        let tz = ny();
        let mut clock = ZoneClock::new(&tz);
        // Go: time.Date(2024, 11, 3, 1, 30, 0, 0, NY) == 2024-11-03T01:30:00-04:00.
        assert_eq!(clock.date(2024, 11, 3, 1, 30, 0), unix("2024-11-03T05:30:00Z"));
    }

    #[test]
    fn month_overflow_normalises() {
        let tz = TimeZone::UTC;
        let mut clock = ZoneClock::new(&tz);
        assert_eq!(clock.date(2024, 13, 1, 0, 0, 0), unix("2025-01-01T00:00:00Z"));
        assert_eq!(clock.date(2024, 2, 30, 0, 0, 0), unix("2024-03-01T00:00:00Z"));
    }

    #[test]
    fn period_bounds_bracket_the_instant() {
        let tz = ny();
        let mut clock = ZoneClock::new(&tz);
        let t = unix("2024-06-01T00:00:00Z");
        assert_eq!(clock.period_start(t), unix("2024-03-10T07:00:00Z"));
        assert_eq!(clock.period_end(t), unix("2024-11-03T06:00:00Z"));
        assert_eq!(clock.offset(t), -4 * 3600);
    }
}
