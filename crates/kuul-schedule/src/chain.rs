//! Walking the chain `next(from)`, `next(next(from))`, ... fast: `count_between` and
//! `previous`.
//!
//! Walking a month of `* * * * *` one `next` at a time is 43,200 calls. Instead, whenever the
//! chain lands on a run that sits well inside one UTC-offset period, every later run up to
//! shortly before the next offset change is exactly a matching (hour, minute) of a matching
//! day: robfig's walk only misbehaves around offset changes. So those runs are counted per
//! day from the bit masks (popcounts), and the chain resumes with a real `next` from the last
//! counted run. The hours around a DST change are walked with `next`, quirks and all.
//! Exactness is checked against plain `next` walks in the tests.

use jiff::tz::TimeZone;

use crate::clock::ZoneClock;
use crate::golang::civil::{Civil, DAY, civil_from_days, weekday_from_days};
use crate::spec::SpecSchedule;

const HOUR_BITS: u64 = (1 << 24) - 1;
const MINUTE_BITS: u64 = (1 << 60) - 1;
/// Counted stretches stop after this many days, well inside robfig's five-year limit.
const MAX_STRETCH_DAYS: i64 = 366;

/// Result of a chain walk over `(from, to]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Walk {
    pub(crate) count: u64,
    pub(crate) last: Option<i64>,
}

/// The chain from `from` up to and including `to` (whole Unix seconds).
pub(crate) fn walk(spec: &SpecSchedule, zone: &TimeZone, from: i64, to: i64) -> Walk {
    let mut clock = ZoneClock::new(zone);
    let mut walk = Walk { count: 0, last: None };
    let mut cursor = from;
    while let Some(run) = spec.next(&mut clock, cursor) {
        if run > to {
            break;
        }
        walk.count += 1;
        walk.last = Some(run);
        cursor = run;
        if let Some((counted, last)) = count_clean_days(spec, &mut clock, run, to) {
            walk.count += counted;
            walk.last = Some(last);
            cursor = last;
        }
    }
    walk
}

/// The latest chain element at or before `at`, looking back over growing windows.
pub(crate) fn previous(spec: &SpecSchedule, zone: &TimeZone, at: i64) -> Option<i64> {
    const WINDOWS: [i64; 5] = [2 * 3600, 2 * DAY, 35 * DAY, 400 * DAY, (5 * 366 + 2) * DAY];
    WINDOWS.iter().find_map(|&window| walk(spec, zone, at.saturating_sub(window), at).last)
}

/// Runs after `run` (a chain element) and at or before `to` while the offset stays put,
/// counted from the masks: `(count, last run)`, or `None` when there are none or `run` is too
/// close to an offset change.
///
/// Between two consecutive runs robfig's walk only looks at instants between them, plus
/// `time.Date` lookups at the wall time read as UTC (at most |offset| away) and hour
/// truncations (under an hour back). So with a margin of |offset| + 3 h from both ends of the
/// offset period, every lookup of every walk in between sees this one offset, and the walk
/// returns exactly the next matching wall time.
fn count_clean_days(
    spec: &SpecSchedule,
    clock: &mut ZoneClock<'_>,
    run: i64,
    to: i64,
) -> Option<(u64, i64)> {
    let start = clock.period_start(run);
    let end = clock.period_end(run);
    let offset = clock.offset(run);
    let margin = offset.abs() + 3 * 3600;
    if run < start.saturating_add(margin) {
        return None;
    }
    let limit = end.saturating_sub(margin).min(to).min(run + MAX_STRETCH_DAYS * DAY);
    if limit <= run {
        return None;
    }
    let (run_local, limit_local) = (run + offset, limit + offset);
    let (first_day, last_day) = (run_local.div_euclid(DAY), limit_local.div_euclid(DAY));

    let mut counted = 0;
    let mut last = None;
    for day in first_day..=last_day {
        let (year, month, dom) = civil_from_days(day);
        let civil = Civil {
            year,
            month,
            day: dom,
            hour: 0,
            minute: 0,
            second: 0,
            weekday: weekday_from_days(day),
        };
        if spec.month & (1 << month) == 0 || !spec.day_matches(&civil) {
            continue;
        }
        // Seconds of the local day: runs after `run` and at or before `limit`.
        let above = if day == first_day { run_local - day * DAY } else { -1 };
        let upto = if day == last_day { limit_local - day * DAY } else { DAY - 1 };
        let n = count_at_or_before(spec, upto) - count_at_or_before(spec, above);
        if n > 0 {
            counted += n;
            last = latest_at_or_before(spec, upto).map(|secs| day * DAY + secs - offset);
        }
    }
    last.map(|last| (counted, last))
}

/// Matching (hour, minute) pairs at or before `secs` seconds into the day.
fn count_at_or_before(spec: &SpecSchedule, secs: i64) -> u64 {
    if secs < 0 {
        return 0;
    }
    let (hour, minute) = split(secs);
    let minutes = u64::from((spec.minute & MINUTE_BITS).count_ones());
    let hours_before = u64::from((spec.hour & HOUR_BITS & ((1 << hour) - 1)).count_ones());
    let mut n = hours_before * minutes;
    if spec.hour & (1 << hour) != 0 {
        n += u64::from((spec.minute & MINUTE_BITS & ((2 << minute) - 1)).count_ones());
    }
    n
}

/// The latest matching (hour, minute) at or before `secs` seconds into the day, as seconds.
fn latest_at_or_before(spec: &SpecSchedule, secs: i64) -> Option<i64> {
    let (hour, minute) = split(secs);
    let highest = |bits: u64| 63 - i64::from(bits.leading_zeros());
    let minutes = spec.minute & MINUTE_BITS;
    if spec.hour & (1 << hour) != 0 {
        let upto = minutes & ((2 << minute) - 1);
        if upto != 0 {
            return Some(i64::from(hour) * 3600 + highest(upto) * 60);
        }
    }
    let hours = spec.hour & HOUR_BITS & ((1 << hour) - 1);
    if hours != 0 && minutes != 0 {
        return Some(highest(hours) * 3600 + highest(minutes) * 60);
    }
    None
}

fn split(secs: i64) -> (u32, u32) {
    let secs = secs.clamp(0, DAY - 1);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let parts = ((secs / 3600) as u32, ((secs % 3600) / 60) as u32);
    parts
}
