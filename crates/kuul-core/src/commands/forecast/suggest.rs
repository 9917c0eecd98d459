//! `--suggest`: new minutes for the CronJobs that start in the busiest minutes, and when
//! autoscaled pools must have capacity ready.
//!
//! Spreading is greedy and stable: the CronJobs starting in the five busiest minutes, taken by
//! `namespace/name`, each moved to the minute (of its hour, or of its step for `*/S`) whose
//! starts are fewest over the window once its own are taken out, candidates tried from an offset
//! given by a hash of its name (FNV-1a), so equal loads spread rather than pile on minute 0 and
//! running it again proposes the same. Only the minute field moves; schedules whose minute is a
//! list, a range or `*` stay. The "after" figures are a second forecast with the new schedules.
//!
//! Prescale (seed 004: a 16:30 job needs a warm node before then): for each `--autoscaled`
//! pool, each stretch of minutes with requests over allocatable or pods waiting, when capacity
//! must be ready, when to start scaling (`--prescale-lead` before), and how much is missing at
//! worst.

use std::collections::{BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::analysis::{self, Analysis, Inputs, minute_at};
use super::demand::minute_index;
use super::facts::CronJobFacts;
use super::starts;

/// Options.
pub(crate) struct Options<'a> {
    pub(crate) autoscaled: &'a [String],
    pub(crate) lead: SignedDuration,
}

/// One proposed change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// `namespace/name`.
    pub cronjob: String,
    /// The schedule now.
    pub schedule: String,
    /// The proposed schedule.
    pub suggested: String,
}

/// When an autoscaled pool must have capacity.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Prescale {
    /// Pool.
    pub pool: String,
    /// Capacity must be ready by then (first minute of the stretch).
    pub ready_by: Timestamp,
    /// Start scaling then (`--prescale-lead` earlier).
    pub scale_up_at: Timestamp,
    /// End of the stretch.
    pub until: Timestamp,
    /// CPU missing at worst.
    pub extra_cpu: f64,
    /// Memory missing at worst (GiB).
    pub extra_memory_gib: f64,
    /// Most pods waiting at once.
    pub waiting_pods: u32,
}

/// Before/after figures.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Most starts in one minute.
    pub peak_starts: u32,
    /// Minutes over capacity, summed over pools.
    pub over_capacity_minutes: u64,
    /// Pods that would wait, summed over pools.
    pub waiting_pods: u64,
}

/// Everything `--suggest` proposes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestions {
    /// Schedule changes, by CronJob.
    pub changes: Vec<Suggestion>,
    /// CronJobs in the peaks whose minute field cannot move (lists, ranges, `*`, `@every`).
    pub not_movable: Vec<String>,
    /// The forecast now.
    pub before: Figures,
    /// The forecast with the changes.
    pub after: Figures,
    /// Autoscaled pools' deadlines.
    pub prescale: Vec<Prescale>,
}

impl Suggestions {
    /// The lines under the table.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        if self.changes.is_empty() {
            out.push_str("suggest: no schedule change lowers the peak\n");
        }
        for c in &self.changes {
            out.push_str(&format!(
                "suggest: cronjob {}: schedule {:?} -> {:?}\n",
                c.cronjob, c.schedule, c.suggested
            ));
        }
        if !self.not_movable.is_empty() {
            out.push_str(&format!(
                "suggest: cannot move (minute is a list, range or *): {}\n",
                self.not_movable.join(", ")
            ));
        }
        out.push_str(&format!(
            "suggest: peak starts/minute {} -> {}; minutes over capacity {} -> {}; waiting pods {} -> {}\n",
            self.before.peak_starts,
            self.after.peak_starts,
            self.before.over_capacity_minutes,
            self.after.over_capacity_minutes,
            self.before.waiting_pods,
            self.after.waiting_pods
        ));
        for p in &self.prescale {
            out.push_str(&format!(
                "prescale: pool {} needs +{:.2} CPU, +{:.2}Gi ready by {} (start scaling by {}) until {}\n",
                p.pool, p.extra_cpu, p.extra_memory_gib, p.ready_by, p.scale_up_at, p.until
            ));
        }
        out
    }
}

/// FNV-1a, for a stable per-name offset.
fn fnv(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// A movable schedule: its current minute, the range of minutes it may take, and the schedule
/// with minute `m`.
pub(crate) type Movable = (u32, u32, Box<dyn Fn(u32) -> String>);

/// How a schedule's minute can move, if it can.
pub(crate) fn movable(schedule: &str) -> Option<Movable> {
    let s = schedule.trim();
    let expanded = match s {
        "@hourly" => "0 * * * *",
        "@daily" | "@midnight" => "0 0 * * *",
        "@weekly" => "0 0 * * 0",
        "@monthly" => "0 0 1 * *",
        "@yearly" | "@annually" => "0 0 1 1 *",
        other => other,
    };
    let fields: Vec<String> = expanded.split_whitespace().map(str::to_owned).collect();
    if fields.len() != 5 || expanded.starts_with("TZ") || expanded.starts_with("CRON_TZ") {
        return None;
    }
    let minute = fields[0].as_str();
    let rest = fields[1..].join(" ");
    if let Ok(m) = minute.parse::<u32>() {
        return (m < 60).then(|| {
            (m, 60, Box::new(move |n: u32| format!("{n} {rest}")) as Box<dyn Fn(u32) -> String>)
        });
    }
    let (base, step) = minute.split_once('/')?;
    let step: u32 = step.parse().ok()?;
    if !(2..60).contains(&step) || 60 % step != 0 {
        return None;
    }
    let start = match base {
        "*" | "0-59" => 0,
        b => b.strip_suffix("-59").unwrap_or(b).parse::<u32>().ok().filter(|&n| n < step)?,
    };
    Some((
        start,
        step,
        Box::new(
            move |n: u32| {
                if n == 0 { format!("*/{step} {rest}") } else { format!("{n}-59/{step} {rest}") }
            },
        ),
    ))
}

fn figures(a: &Analysis) -> Figures {
    Figures {
        peak_starts: a.starts.iter().copied().max().unwrap_or(0),
        over_capacity_minutes: a.pools.iter().map(|p| p.over_capacity_minutes).sum(),
        waiting_pods: a.pools.iter().map(|p| p.waiting_pods).sum(),
    }
}

/// Computes the suggestions.
pub(crate) fn suggest(
    input: &Inputs<'_>,
    before: &Analysis,
    cronjobs: &[CronJobFacts],
    pool: Option<&str>,
    options: &Options<'_>,
) -> Suggestions {
    let minutes = before.minutes;
    let mut busiest: Vec<usize> = (0..minutes).filter(|&k| before.starts[k] >= 2).collect();
    busiest.sort_by(|&a, &b| before.starts[b].cmp(&before.starts[a]).then(a.cmp(&b)));
    busiest.truncate(5);
    let mut causes: BTreeSet<&str> = BTreeSet::new();
    for runs in before.runs.values() {
        for run in runs {
            let k = minute_index(input.from, run.scheduled, minutes);
            if run.scheduled >= input.from && busiest.contains(&k) {
                causes.insert(&before.plan_ids[run.plan]);
            }
        }
    }
    let by_id: HashMap<String, &CronJobFacts> = cronjobs.iter().map(|c| (c.id(), c)).collect();
    let mut load = before.starts.clone();
    let mut changes = Vec::new();
    let mut not_movable = Vec::new();
    for id in causes {
        let Some(cj) = by_id.get(id) else { continue };
        let Some((current, range, with)) = movable(&cj.spec.schedule) else {
            not_movable.push(id.to_owned());
            continue;
        };
        let tz = cj.spec.time_zone.as_deref();
        let of = |schedule: &str| -> Vec<usize> {
            starts::parse(schedule, tz)
                .map(|s| {
                    starts::starts(&s, input.from, input.to, None)
                        .into_iter()
                        .map(|t| minute_index(input.from, t, minutes))
                        .filter(|&k| k < minutes)
                        .collect()
                })
                .unwrap_or_default()
        };
        let own = of(&cj.spec.schedule);
        for &k in &own {
            load[k] = load[k].saturating_sub(1);
        }
        let offset = u32::try_from(fnv(id) % u64::from(range)).unwrap_or(0);
        let mut best: Option<((u32, u64), u32, Vec<usize>)> = None;
        // The current minute first: it wins ties, so nothing moves without a gain.
        let order = std::iter::once(current)
            .chain((0..range).map(|i| (i + offset) % range).filter(|&m| m != current));
        for m in order {
            let ks = if m == current { own.clone() } else { of(&with(m)) };
            let worst = ks.iter().map(|&k| load[k] + 1).max().unwrap_or(0);
            let sum: u64 = ks.iter().map(|&k| u64::from(load[k])).sum();
            if best.as_ref().is_none_or(|(score, _, _)| (worst, sum) < *score) {
                best = Some(((worst, sum), m, ks));
            }
        }
        let Some((_, m, ks)) = best else { continue };
        for &k in &ks {
            load[k] += 1;
        }
        if m != current {
            changes.push(Suggestion {
                cronjob: id.to_owned(),
                schedule: cj.spec.schedule.clone(),
                suggested: with(m),
            });
        }
    }
    let overrides: HashMap<String, String> =
        changes.iter().map(|c| (c.cronjob.clone(), c.suggested.clone())).collect();
    let after = if overrides.is_empty() {
        figures(before)
    } else {
        let mut a = analysis::analyse(&Inputs { schedule_overrides: &overrides, ..*input });
        if let Some(p) = pool {
            a.keep_pool(p);
        }
        figures(&a)
    };
    Suggestions {
        changes,
        not_movable,
        before: figures(before),
        after,
        prescale: prescale(before, input.from, options),
    }
}

fn prescale(a: &Analysis, from: Timestamp, options: &Options<'_>) -> Vec<Prescale> {
    let mut out = Vec::new();
    for pool in a.pools.iter().filter(|p| options.autoscaled.contains(&p.name)) {
        let s = &a.series[&pool.name];
        let pressed = |k: usize| {
            s.pending[k] > 0
                || s.cpu[k] > pool.free_cpu + 1e-9
                || s.memory_gib[k] > pool.free_memory_gib + 1e-9
        };
        let mut k = 0;
        while k < a.minutes && out.len() < 50 {
            if !pressed(k) {
                k += 1;
                continue;
            }
            let start = k;
            let (mut cpu, mut mem, mut waiting) = (0.0_f64, 0.0_f64, 0_u32);
            while k < a.minutes && pressed(k) {
                cpu = cpu.max(s.cpu[k] - pool.free_cpu);
                mem = mem.max(s.memory_gib[k] - pool.free_memory_gib);
                waiting = waiting.max(s.pending[k]);
                k += 1;
            }
            let ready_by = minute_at(from, start);
            out.push(Prescale {
                pool: pool.name.clone(),
                ready_by,
                scale_up_at: ready_by - options.lead,
                until: minute_at(from, k),
                extra_cpu: cpu.max(0.0),
                extra_memory_gib: mem.max(0.0),
                waiting_pods: waiting,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_minute_moves() {
        let (cur, range, with) = movable("0 */2 * * 1-5").unwrap();
        assert_eq!((cur, range, with(17)), (0, 60, "17 */2 * * 1-5".to_owned()));
        let (cur, range, with) = movable("*/15 * * * *").unwrap();
        assert_eq!((cur, range), (0, 15));
        assert_eq!(with(7), "7-59/15 * * * *");
        assert_eq!(with(0), "*/15 * * * *");
        assert_eq!(movable("@daily").unwrap().2(5), "5 0 * * *");
        assert_eq!(movable("3-59/15 * * * *").unwrap().0, 3);
        assert!(movable("0,30 * * * *").is_none());
        assert!(movable("* * * * *").is_none());
        assert!(movable("@every 5m").is_none());
        assert!(movable("TZ=UTC 0 * * * *").is_none());
        assert!(movable("*/7 * * * *").is_none());
    }
}
