//! robfig/cron v3.0.1 `SpecSchedule` and its `Next`, ported step for step from
//! <https://github.com/robfig/cron/blob/v3.0.1/spec.go>.
//!
//! The walk runs on the wall clock of the schedule's zone: months by `AddDate(0, 1, 0)`, days
//! by `AddDate(0, 0, 1)` with the midnight-DST hour fix-up, hours by absolute `+1h`, minutes by
//! `+1m`, seconds by `+1s`, jumping back to the top (`goto WRAP`) whenever a field wraps. That
//! is what makes Kubernetes skip `30 2 * * *` on a spring-forward day and run `30 1 * * *`
//! twice on a fall-back day, and we reproduce it exactly (see SCHEDULES.md).
//!
//! Speed: where Go adds one hour or minute at a time, we jump straight to the next candidate
//! when no zone transition lies in between (the wall clock is linear inside one offset
//! period, so the intermediate values Go would test are known not to match); across a
//! transition we take single steps exactly as Go does.

use crate::clock::ZoneClock;
use crate::golang::civil::{Civil, DAY, days_from_civil};

/// robfig's `starBit`: set on a field when an element starts with `*` or `?` (without a step
/// above 1). It changes the day-of-month / day-of-week rule from OR to AND.
pub(crate) const STAR_BIT: u64 = 1 << 63;

/// The bit sets of a parsed 5-field spec. robfig's seconds field is always `0` for
/// `ParseStandard` (parser.go `defaults`), so it is not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpecSchedule {
    pub(crate) minute: u64,
    pub(crate) hour: u64,
    pub(crate) dom: u64,
    pub(crate) month: u64,
    pub(crate) dow: u64,
}

/// Steps of +1 from `cur` until a set bit of `mask` below `n`, or until the value wraps to 0.
fn steps_to(mask: u64, cur: u32, n: u32) -> i64 {
    let above = mask & !((2u64 << cur) - 1) & ((1u64 << n) - 1);
    let steps = if above == 0 { n - cur } else { above.trailing_zeros() - cur };
    i64::from(steps)
}

fn has(mask: u64, bit: u32) -> bool {
    mask & (1u64 << bit) != 0
}

impl SpecSchedule {
    /// spec.go `dayMatches`: both day fields must match if either carries the star bit,
    /// otherwise either may.
    pub(crate) fn day_matches(&self, c: &Civil) -> bool {
        let dom_match = has(self.dom, c.day);
        let dow_match = has(self.dow, c.weekday);
        if self.dom & STAR_BIT != 0 || self.dow & STAR_BIT != 0 {
            dom_match && dow_match
        } else {
            dom_match || dow_match
        }
    }

    /// spec.go `Next`: the first activation after the whole second `after` (the caller has
    /// already dropped sub-second digits, as Go's `t.Add(1s - t.Nanosecond())` does), or
    /// `None` where Go returns the zero time (nothing within five years).
    pub(crate) fn next(&self, clock: &mut ZoneClock<'_>, after: i64) -> Option<i64> {
        let mut t = after.checked_add(1)?;
        // This flag indicates whether a field has been incremented (spec.go `added`).
        let mut added = false;
        // If no time is found within five years, return zero.
        let year_limit = clock.civil(t).year + 5;

        'wrap: loop {
            let mut c = clock.civil(t);
            if c.year > year_limit {
                return None;
            }

            // Find the first applicable month.
            while !has(self.month, c.month) {
                if !added {
                    added = true;
                    t = clock.date(c.year, c.month, 1, 0, 0, 0);
                    c = clock.civil(t);
                }
                // t = t.AddDate(0, 1, 0)
                t = clock.date(c.year, c.month + 1, c.day, c.hour, c.minute, c.second);
                c = clock.civil(t);
                if c.month == 1 {
                    continue 'wrap;
                }
            }

            // Now get a day in that month.
            while !self.day_matches(&c) {
                if !added {
                    added = true;
                    t = clock.date(c.year, c.month, c.day, 0, 0, 0);
                    c = clock.civil(t);
                }
                if let Some(target) = self.clean_day_jump(clock, t, &c) {
                    // The same stop Go's one-day steps reach, without the `time.Date` calls.
                    t = target;
                    c = clock.civil(t);
                    if c.day == 1 {
                        continue 'wrap;
                    }
                    continue;
                }
                // t = t.AddDate(0, 0, 1)
                t = clock.date(c.year, c.month, c.day + 1, c.hour, c.minute, c.second);
                c = clock.civil(t);
                // Notice if the hour is no longer midnight due to DST: add an hour if it's
                // 23, subtract an hour if it's 1 (spec.go).
                if c.hour != 0 {
                    if c.hour > 12 {
                        t += i64::from(24 - c.hour) * 3600;
                    } else {
                        t -= i64::from(c.hour) * 3600;
                    }
                    c = clock.civil(t);
                }
                if c.day == 1 {
                    continue 'wrap;
                }
            }

            if !has(self.hour, c.hour) {
                if !added {
                    added = true;
                    t = clock.date(c.year, c.month, c.day, c.hour, 0, 0);
                    c = clock.civil(t);
                }
                loop {
                    t = advance(clock, t, steps_to(self.hour, c.hour, 24), 3600);
                    c = clock.civil(t);
                    if c.hour == 0 {
                        continue 'wrap;
                    }
                    if has(self.hour, c.hour) {
                        break;
                    }
                }
            }

            if !has(self.minute, c.minute) {
                if !added {
                    added = true;
                    // t.Truncate(time.Minute): absolute, and Go's zero time is minute-aligned.
                    t = t.div_euclid(60) * 60;
                    c = clock.civil(t);
                }
                loop {
                    t = advance(clock, t, steps_to(self.minute, c.minute, 60), 60);
                    c = clock.civil(t);
                    if c.minute == 0 {
                        continue 'wrap;
                    }
                    if has(self.minute, c.minute) {
                        break;
                    }
                }
            }

            // Seconds: only second 0 is ever set by ParseStandard.
            if c.second != 0 {
                // Truncating to the second is a no-op on whole seconds.
                added = true;
                loop {
                    t = advance(clock, t, i64::from(60 - c.second), 1);
                    c = clock.civil(t);
                    if c.second == 0 {
                        continue 'wrap;
                    }
                }
            }

            return Some(t);
        }
    }
}

impl SpecSchedule {
    /// Where Go's day loop stops when `t` is a local midnight well inside one offset period:
    /// each `AddDate(0, 0, 1)` then lands on the next midnight (no DST fix-up), and the loop
    /// ends at the first day that matches or is the 1st (wrap). `None` near an offset change
    /// or off midnight, where the caller takes Go's single step.
    fn clean_day_jump(&self, clock: &mut ZoneClock<'_>, t: i64, c: &Civil) -> Option<i64> {
        if (c.hour, c.minute, c.second) != (0, 0, 0) {
            return None;
        }
        let (start, end, offset) = (clock.period_start(t), clock.period_end(t), clock.offset(t));
        // time.Date looks at the wall time read as UTC, at most |offset| away.
        let margin = offset.abs() + 3 * 3600;
        let days_in_month = days_from_civil(c.year, i64::from(c.month) + 1, 1)
            - days_from_civil(c.year, i64::from(c.month), 1);
        let mut probe = *c;
        let mut steps = 0;
        loop {
            steps += 1;
            probe.weekday = (probe.weekday + 1) % 7;
            probe.day = if i64::from(probe.day) >= days_in_month { 1 } else { probe.day + 1 };
            if probe.day == 1 || self.day_matches(&probe) {
                break;
            }
        }
        let target = t + steps * DAY;
        (steps > 1 && t - margin >= start && target.saturating_add(margin) < end).then_some(target)
    }
}

/// Go's repeated `t = t.Add(unit)`: `steps` at once when the whole stretch lies inside one
/// offset period (so every skipped value is known), otherwise a single step.
fn advance(clock: &mut ZoneClock<'_>, t: i64, steps: i64, unit: i64) -> i64 {
    let target = t + steps * unit;
    if steps > 1 && target < clock.period_end(t) { target } else { t + unit }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_to_finds_next_bit_or_wrap() {
        assert_eq!(steps_to(1 << 30, 10, 60), 20);
        assert_eq!(steps_to(1 << 5, 10, 60), 50);
        assert_eq!(steps_to(0, 59, 60), 1);
        assert_eq!(steps_to(STAR_BIT | (1 << 23), 22, 24), 1);
    }
}
