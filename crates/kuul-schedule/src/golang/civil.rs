//! Proleptic Gregorian calendar arithmetic on plain integers (days since 1970-01-01).
//!
//! The schedule walk converts between instants and wall-clock fields thousands of times per
//! second; doing it with integer formulas (Howard Hinnant's `days_from_civil` /
//! `civil_from_days`) keeps `next()` allocation-free and avoids building `jiff` civil types in
//! the hot loop. Go's `time.Date` uses the same calendar (`time/time.go`, `daysSinceEpoch`).

/// Seconds in a day.
pub(crate) const DAY: i64 = 86_400;

/// Days since 1970-01-01 of `year-month-day`; `month` in 1..=12, `day` may overflow the month
/// (Go's `time.Date` adds `day - 1` days to the first of the month, so Jan 32 is Feb 1).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + (day - 1)
}

/// The civil date `(year, month 1..=12, day 1..=31)` of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // The casts cannot truncate: day is 1..=31 and month 1..=12 by construction.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Day of week of a day count since 1970-01-01, 0 = Sunday (Go's `time.Weekday`).
pub(crate) fn weekday_from_days(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (4).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let wd = (days + 4).rem_euclid(7) as u32;
    wd
}

/// The wall-clock fields of a local time, as Go's `t.Date()`, `t.Clock()` and `t.Weekday()`
/// report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    pub(crate) weekday: u32,
}

impl Civil {
    /// Splits local seconds since 1970-01-01T00:00:00 (wall clock read as if UTC).
    pub(crate) fn from_local_seconds(local: i64) -> Civil {
        let days = local.div_euclid(DAY);
        let secs = local.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (hour, minute, second) =
            ((secs / 3600) as u32, ((secs % 3600) / 60) as u32, (secs % 60) as u32);
        Civil { year, month, day, hour, minute, second, weekday: weekday_from_days(days) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_against_jiff_over_many_years() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), days);
            let date =
                jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            assert_eq!((i64::from(date.year()), date.month(), date.day()), (y, m as i8, d as i8));
            assert_eq!(weekday_from_days(days), date.weekday().to_sunday_zero_offset() as u32);
        }
    }

    #[test]
    fn day_overflow_rolls_into_next_month_like_go() {
        assert_eq!(days_from_civil(2024, 1, 32), days_from_civil(2024, 2, 1));
        assert_eq!(days_from_civil(2023, 2, 29), days_from_civil(2023, 3, 1));
    }
}
