//! From starts to load: runs per concurrencyPolicy, then each pool's pods against its nodes'
//! allocatable resources, minute by minute.
//!
//! Runs, as upstream's `syncCronJob` (pkg/controller/cronjob/cronjob_controllerv2.go) makes
//! them:
//! - `Allow`: every start is a run; runs of one CronJob pile up.
//! - `Forbid`: a start while a run is active creates nothing ("JobAlreadyActive"); when the run
//!   ends, the controller (woken by the Job's update) starts one run at once for the most recent
//!   missed start, unless `startingDeadlineSeconds` has passed for it ("MissSchedule"). So the
//!   next start is deferred, and every further one that falls inside the same run is skipped.
//! - `Replace`: a start while a run is active deletes it and starts a new one.
//!
//! Pods, as kube-scheduler's `NodeResourcesFit` filter admits them (pkg/scheduler/framework/
//! plugins/noderesources/fit.go, `fitsRequest`): a pod fits a node when its requests (and one
//! pod slot) fit the node's allocatable minus what the pods already bound there request. A pod
//! that fits nowhere waits, Pending (`Unschedulable`), until a pod ends and frees room; pending
//! pods are retried in arrival order (the scheduling queue's FIFO within one priority), each on
//! its own (no head-of-line blocking). Among fitting nodes the least allocated wins
//! (`LeastAllocated`, the default score), ties by name. A waiting pod's run ends its duration
//! after it started.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use jiff::{SignedDuration, Timestamp};

use crate::commands::cost_report::Resources;

/// A CronJob's concurrency policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Policy {
    /// Runs overlap.
    Allow,
    /// A start during a run waits for it (or is skipped).
    Forbid,
    /// A start during a run kills it.
    Replace,
}

impl Policy {
    /// `.spec.concurrencyPolicy` (unset is `Allow`, the API default).
    pub(crate) fn from_spec(value: Option<&str>) -> Policy {
        match value {
            Some("Forbid") => Policy::Forbid,
            Some("Replace") => Policy::Replace,
            _ => Policy::Allow,
        }
    }
}

/// What the demand model needs of one CronJob.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) policy: Policy,
    pub(crate) deadline_seconds: Option<i64>,
    pub(crate) duration: SignedDuration,
    pub(crate) pods: u32,
    pub(crate) requests: Resources,
    pub(crate) starts: Vec<Timestamp>,
    /// The runs already active at the window's start (Jobs not finished at now).
    pub(crate) active: Vec<Active>,
}

/// A run active at the window's start: it holds its pods' requests from the window's start (or
/// its own start, if later) to its expected end, and counts for the concurrency policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Active {
    /// When it started (`.status.startTime`, else its creation).
    pub(crate) started: Timestamp,
    /// When it is expected to end (see `analysis::active_end`).
    pub(crate) end: Timestamp,
    /// In the CronJob's `.status.active`: it counts for Forbid and Replace (a Job created by
    /// hand holds its pods but the controller does not count it).
    pub(crate) listed: bool,
}

/// One run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Run {
    pub(crate) plan: usize,
    /// The schedule instant it is for (an active run: when it started).
    pub(crate) scheduled: Timestamp,
    /// When its pods arrive (an active run: the window's start, or its own start if later).
    pub(crate) start: Timestamp,
    pub(crate) end: Timestamp,
    /// Already running at the window's start: not a start of the window.
    pub(crate) active: bool,
    /// Counts for Forbid and Replace (every run but an active one the controller does not list).
    pub(crate) counted: bool,
}

/// What the concurrency policy made of one CronJob's starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PolicyOutcome {
    pub(crate) runs: Vec<Run>,
    /// Forbid: starts that began late, when the previous run ended.
    pub(crate) deferred: u32,
    /// Forbid: starts that created no run.
    pub(crate) skipped: u32,
    /// Replace: runs killed by the next start.
    pub(crate) replaced: u32,
}

/// Applies the policy to one CronJob's starts, from `from` (the window's start). The runs
/// active at `from` come first: they hold their pods from `from` until their expected end, a
/// Forbid CronJob's starts wait for them (or are skipped) and a Replace CronJob's next start
/// ends them, as upstream `syncCronJob` treats `.status.active` (every active Job counts).
pub(crate) fn runs(index: usize, plan: &Plan, from: Timestamp) -> PolicyOutcome {
    let mut out = PolicyOutcome::default();
    let d = plan.duration;
    for a in &plan.active {
        let start = a.started.max(from);
        if a.end > start {
            out.runs.push(Run {
                plan: index,
                scheduled: a.started,
                start,
                end: a.end,
                active: true,
                counted: a.listed,
            });
        }
    }
    // End of the latest run (Forbid, Replace); the runs active now count.
    let mut busy_until: Option<Timestamp> =
        out.runs.iter().filter(|r| r.counted).map(|r| r.end).max();
    let mut i = 0;
    while i < plan.starts.len() {
        let t = plan.starts[i];
        match plan.policy {
            Policy::Allow => out.runs.push(run(index, t, t, d)),
            Policy::Replace => {
                if busy_until.is_some_and(|b| b > t) {
                    // upstream deletes every active Job ("for _, j := range cronJob.Status.Active").
                    for r in out.runs.iter_mut().filter(|r| r.counted && r.end > t) {
                        out.replaced += 1;
                        r.end = t.max(r.start);
                    }
                }
                out.runs.push(run(index, t, t, d));
                busy_until = Some(t + d);
            }
            Policy::Forbid => match busy_until {
                Some(b) if b > t => {
                    // Every start up to the run's end is one missed slot; the latest is the
                    // one the controller starts when the run ends (a start exactly at the end
                    // is on time and handled by the next iteration).
                    let mut j = i;
                    while j + 1 < plan.starts.len() && plan.starts[j + 1] < b {
                        j += 1;
                    }
                    let latest = plan.starts[j];
                    let on_time_next = plan.starts.get(j + 1).is_some_and(|&n| n == b);
                    let too_late = plan
                        .deadline_seconds
                        .is_some_and(|s| latest + SignedDuration::from_secs(s) < b);
                    let missed = u32::try_from(j - i).unwrap_or(u32::MAX);
                    if too_late || on_time_next {
                        out.skipped += missed + 1;
                        busy_until = Some(b);
                    } else {
                        out.skipped += missed;
                        out.deferred += 1;
                        out.runs.push(run(index, latest, b, d));
                        busy_until = Some(b + d);
                    }
                    i = j + 1;
                    continue;
                }
                _ => {
                    out.runs.push(run(index, t, t, d));
                    busy_until = Some(t + d);
                }
            },
        }
        i += 1;
    }
    // An active run replaced at the window's very start holds nothing.
    out.runs.retain(|r| !r.active || r.end > r.start);
    out
}

fn run(plan: usize, scheduled: Timestamp, start: Timestamp, d: SignedDuration) -> Run {
    Run { plan, scheduled, start, end: start + d, active: false, counted: true }
}

/// A node's room for pods.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeRoom {
    pub(crate) name: String,
    pub(crate) cpu: f64,
    pub(crate) memory_gib: f64,
    pub(crate) pods: u32,
}

/// One pod's fate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PodFate {
    pub(crate) run: usize,
    /// When it was created (its run's start).
    pub(crate) arrival: Timestamp,
    /// When it was bound, `None` if it still waits at the window's end.
    pub(crate) bound: Option<Timestamp>,
    /// When it ends (bound + duration), or the window's end if never bound.
    pub(crate) end: Timestamp,
}

const EPS: f64 = 1e-9;

/// Simulates one pool: `runs` (sorted by start) with their plans, against `nodes`, until `to`.
pub(crate) fn schedule_pool(
    runs: &[Run],
    plans: &[Plan],
    nodes: &[NodeRoom],
    to: Timestamp,
) -> Vec<PodFate> {
    #[derive(Clone, Copy)]
    struct Used {
        cpu: f64,
        mem: f64,
        pods: u32,
    }
    let mut used = vec![Used { cpu: 0.0, mem: 0.0, pods: 0 }; nodes.len()];
    let mut fates: Vec<PodFate> = Vec::new();
    // (end, node, fate index); popped in time order.
    let mut ending: BinaryHeap<Reverse<(Timestamp, usize, usize)>> = BinaryHeap::new();
    let mut pending: Vec<usize> = Vec::new();

    let fit = |used: &[Used], r: &Resources| -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (k, n) in nodes.iter().enumerate() {
            let u = used[k];
            if u.pods + 1 > n.pods
                || u.cpu + r.cpu > n.cpu + EPS
                || u.mem + r.memory_gib > n.memory_gib + EPS
            {
                continue;
            }
            // LeastAllocated: mean free fraction after placing the pod.
            let free = |cap: f64, used: f64| if cap > 0.0 { (cap - used) / cap } else { 0.0 };
            let score =
                (free(n.cpu, u.cpu + r.cpu) + free(n.memory_gib, u.mem + r.memory_gib)) / 2.0;
            if best.is_none_or(|(s, _)| score > s + EPS) {
                best = Some((score, k));
            }
        }
        best.map(|(_, k)| k)
    };

    let place = |fate: usize,
                 at: Timestamp,
                 fates: &mut Vec<PodFate>,
                 used: &mut Vec<Used>,
                 ending: &mut BinaryHeap<Reverse<(Timestamp, usize, usize)>>|
     -> bool {
        let run = runs[fates[fate].run];
        let plan = &plans[run.plan];
        let Some(k) = fit(used, &plan.requests) else { return false };
        used[k].cpu += plan.requests.cpu;
        used[k].mem += plan.requests.memory_gib;
        used[k].pods += 1;
        let end = at + (run.end.duration_since(run.start));
        fates[fate].bound = Some(at);
        fates[fate].end = end;
        ending.push(Reverse((end, k, fate)));
        true
    };

    let free_until = |t: Timestamp,
                      fates: &mut Vec<PodFate>,
                      used: &mut Vec<Used>,
                      ending: &mut BinaryHeap<Reverse<(Timestamp, usize, usize)>>,
                      pending: &mut Vec<usize>| {
        // Free everything that ended by `t`, then retry the pending pods at each end.
        while let Some(&Reverse((end, k, fate))) = ending.peek() {
            if end > t {
                break;
            }
            ending.pop();
            let r = &plans[runs[fates[fate].run].plan].requests;
            used[k].cpu -= r.cpu;
            used[k].mem -= r.memory_gib;
            used[k].pods -= 1;
            if !pending.is_empty() {
                let waiting = std::mem::take(pending);
                for p in waiting {
                    if !place(p, end, fates, used, ending) {
                        pending.push(p);
                    }
                }
            }
        }
    };

    for (ri, run) in runs.iter().enumerate() {
        if run.start >= to {
            break;
        }
        free_until(run.start, &mut fates, &mut used, &mut ending, &mut pending);
        for _ in 0..plans[run.plan].pods {
            let fate = fates.len();
            fates.push(PodFate { run: ri, arrival: run.start, bound: None, end: to });
            if !place(fate, run.start, &mut fates, &mut used, &mut ending) {
                pending.push(fate);
            }
        }
    }
    free_until(to, &mut fates, &mut used, &mut ending, &mut pending);
    // Replace kills a run at the next start: its pods end there, bound or not.
    for fate in &mut fates {
        let run = runs[fate.run];
        if let Some(b) = fate.bound {
            let planned = run.end.duration_since(run.start);
            fate.end = (b + planned).min(fate.end);
        }
    }
    fates
}

/// Per-minute sums for one pool, from its runs and pod fates.
#[derive(Debug, Clone, Default)]
pub(crate) struct Series {
    /// Runs starting in the minute.
    pub(crate) starts: Vec<u32>,
    /// Pods wanting to run in the minute (bound or pending).
    pub(crate) pods: Vec<u32>,
    /// CPU they request.
    pub(crate) cpu: Vec<f64>,
    /// Memory they request (GiB).
    pub(crate) memory_gib: Vec<f64>,
    /// Pods pending at some time in the minute.
    pub(crate) pending: Vec<u32>,
}

/// The minute index of `t` in a window starting at `from` (clamped to `[0, minutes]`).
pub(crate) fn minute_index(from: Timestamp, t: Timestamp, minutes: usize) -> usize {
    let secs = t.duration_since(from).as_secs();
    usize::try_from(secs.div_euclid(60)).unwrap_or(0).min(minutes)
}

/// The first minute index at or after `t` (an exclusive end).
fn minute_ceil(from: Timestamp, t: Timestamp, minutes: usize) -> usize {
    let secs = t.duration_since(from).as_secs();
    usize::try_from((secs + 59).div_euclid(60)).unwrap_or(0).min(minutes)
}

/// Adds `[a, b)` (clamped, at least the start minute) to a difference array.
fn span(from: Timestamp, a: Timestamp, b: Timestamp, minutes: usize) -> Option<(usize, usize)> {
    let i = minute_index(from, a.max(from), minutes);
    if i >= minutes {
        return None;
    }
    let j = minute_ceil(from, b, minutes).max(i + 1);
    Some((i, j))
}

/// Builds a pool's series from its runs and their pods' fates.
pub(crate) fn series(
    runs: &[Run],
    plans: &[Plan],
    fates: &[PodFate],
    from: Timestamp,
    minutes: usize,
) -> Series {
    let mut s = Series {
        starts: vec![0; minutes],
        pods: vec![0; minutes],
        cpu: vec![0.0; minutes],
        memory_gib: vec![0.0; minutes],
        pending: vec![0; minutes],
    };
    let mut d_pods = vec![0_i64; minutes + 1];
    let mut d_cpu = vec![0.0_f64; minutes + 1];
    let mut d_mem = vec![0.0_f64; minutes + 1];
    let mut d_pending = vec![0_i64; minutes + 1];
    for run in runs {
        let i = minute_index(from, run.start, minutes);
        if !run.active && run.start >= from && i < minutes {
            s.starts[i] += 1;
        }
    }
    let mut add = |a: Timestamp, b: Timestamp, n: i64, r: &Resources| {
        if let Some((i, j)) = span(from, a, b, minutes) {
            d_pods[i] += n;
            d_pods[j] -= n;
            #[allow(clippy::cast_precision_loss)]
            let f = n as f64;
            d_cpu[i] += r.cpu * f;
            d_cpu[j] -= r.cpu * f;
            d_mem[i] += r.memory_gib * f;
            d_mem[j] -= r.memory_gib * f;
        }
    };
    for fate in fates {
        let r = &plans[runs[fate.run].plan].requests;
        add(fate.arrival, fate.end, 1, r);
        let waited_until = fate.bound.unwrap_or(fate.end);
        if waited_until > fate.arrival
            && let Some((i, j)) = span(from, fate.arrival, waited_until, minutes)
        {
            d_pending[i] += 1;
            d_pending[j] -= 1;
        }
    }
    let (mut p, mut c, mut m, mut w) = (0_i64, 0.0, 0.0, 0_i64);
    for k in 0..minutes {
        p += d_pods[k];
        c += d_cpu[k];
        m += d_mem[k];
        w += d_pending[k];
        s.pods[k] = u32::try_from(p.max(0)).unwrap_or(u32::MAX);
        s.cpu[k] = if c.abs() < EPS { 0.0 } else { c };
        s.memory_gib[k] = if m.abs() < EPS { 0.0 } else { m };
        s.pending[k] = u32::try_from(w.max(0)).unwrap_or(u32::MAX);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// The policy's runs in a window from 10:00.
    fn runs_at(index: usize, plan: &Plan) -> PolicyOutcome {
        runs(index, plan, ts("2025-03-01T10:00:00Z"))
    }

    fn plan(policy: Policy, minutes: i64, starts: &[&str]) -> Plan {
        Plan {
            policy,
            deadline_seconds: None,
            duration: SignedDuration::from_mins(minutes),
            pods: 1,
            requests: Resources { cpu: 1.0, memory_gib: 1.0, gpu: 0.0 },
            starts: starts.iter().map(|s| ts(s)).collect(),
            active: Vec::new(),
        }
    }

    const EVERY_10: [&str; 4] = [
        "2025-03-01T10:00:00Z",
        "2025-03-01T10:10:00Z",
        "2025-03-01T10:20:00Z",
        "2025-03-01T10:30:00Z",
    ];

    #[test]
    fn allow_piles_up() {
        let out = runs_at(0, &plan(Policy::Allow, 25, &EVERY_10));
        assert_eq!(out.runs.len(), 4);
        assert_eq!(out.runs[1].end, ts("2025-03-01T10:35:00Z"));
    }

    #[test]
    fn forbid_defers_the_next_start_to_the_end_and_skips_the_rest() {
        // 25-minute runs every 10 minutes: 10:00-10:25; 10:10 and 10:20 missed, the latest
        // (10:20) starts at 10:25 until 10:50; 10:30 and 10:40 missed...
        let out = runs_at(0, &plan(Policy::Forbid, 25, &EVERY_10));
        let starts: Vec<_> = out.runs.iter().map(|r| (r.scheduled, r.start)).collect();
        assert_eq!(
            starts,
            vec![
                (ts("2025-03-01T10:00:00Z"), ts("2025-03-01T10:00:00Z")),
                (ts("2025-03-01T10:20:00Z"), ts("2025-03-01T10:25:00Z")),
                (ts("2025-03-01T10:30:00Z"), ts("2025-03-01T10:50:00Z")),
            ]
        );
        assert_eq!((out.deferred, out.skipped), (2, 1));
        // With a 60 s starting deadline, a start 5 minutes late is missed instead.
        let mut p = plan(Policy::Forbid, 25, &EVERY_10);
        p.deadline_seconds = Some(60);
        let out = runs_at(0, &p);
        assert_eq!(out.runs.len(), 2, "{out:?}");
        assert_eq!(out.runs[1].start, ts("2025-03-01T10:30:00Z"));
        assert_eq!((out.deferred, out.skipped), (0, 2));
    }

    #[test]
    fn forbid_with_a_run_ending_on_the_next_start_starts_on_time() {
        let out = runs_at(0, &plan(Policy::Forbid, 10, &EVERY_10));
        assert_eq!(out.runs.len(), 4);
        assert_eq!((out.deferred, out.skipped), (0, 0));
    }

    #[test]
    fn replace_kills_the_running_one() {
        let out = runs_at(0, &plan(Policy::Replace, 25, &EVERY_10));
        assert_eq!(out.runs.len(), 4);
        assert_eq!(out.replaced, 3);
        assert_eq!(out.runs[0].end, ts("2025-03-01T10:10:00Z"));
        assert_eq!(out.runs[3].end, ts("2025-03-01T10:55:00Z"));
    }

    /// `plan` with a run active since `started` (expected to end `started` + its duration).
    fn with_active(mut p: Plan, started: &str) -> Plan {
        let started = ts(started);
        p.active.push(Active { started, end: started + p.duration, listed: true });
        p
    }

    #[test]
    fn forbid_waits_for_the_run_active_at_the_window_start() {
        // Running since 09:50 for 25 minutes: held from 10:00 to 10:15. 10:00 is missed, 10:10
        // starts at 10:15 (to 10:40), 10:20 is missed and 10:30 starts at 10:40.
        let out =
            runs_at(0, &with_active(plan(Policy::Forbid, 25, &EVERY_10), "2025-03-01T09:50:00Z"));
        let got: Vec<_> =
            out.runs.iter().map(|r| (r.active, r.scheduled, r.start, r.end)).collect();
        assert_eq!(
            got,
            vec![
                (
                    true,
                    ts("2025-03-01T09:50:00Z"),
                    ts("2025-03-01T10:00:00Z"),
                    ts("2025-03-01T10:15:00Z")
                ),
                (
                    false,
                    ts("2025-03-01T10:10:00Z"),
                    ts("2025-03-01T10:15:00Z"),
                    ts("2025-03-01T10:40:00Z")
                ),
                (
                    false,
                    ts("2025-03-01T10:30:00Z"),
                    ts("2025-03-01T10:40:00Z"),
                    ts("2025-03-01T11:05:00Z")
                ),
            ]
        );
        assert_eq!((out.deferred, out.skipped, out.replaced), (2, 2, 0));
    }

    #[test]
    fn replace_ends_the_runs_active_at_the_window_start() {
        // Two runs active (09:50 and 09:55, to 10:15 and 10:20): the 10:00 start deletes both.
        let p = with_active(
            with_active(plan(Policy::Replace, 25, &EVERY_10), "2025-03-01T09:50:00Z"),
            "2025-03-01T09:55:00Z",
        );
        let out = runs_at(0, &p);
        assert_eq!(out.replaced, 5);
        assert!(out.runs.iter().all(|r| !r.active), "{out:?}");
        let ends: Vec<_> = out.runs.iter().map(|r| r.end).collect();
        assert_eq!(
            ends,
            vec![
                ts("2025-03-01T10:10:00Z"),
                ts("2025-03-01T10:20:00Z"),
                ts("2025-03-01T10:30:00Z"),
                ts("2025-03-01T10:55:00Z"),
            ]
        );
        // Replace with a start at 10:10 only: the active run holds 10:00-10:10.
        let p = with_active(plan(Policy::Replace, 25, &EVERY_10[1..2]), "2025-03-01T09:50:00Z");
        let out = runs_at(0, &p);
        assert_eq!((out.runs[0].active, out.runs[0].end), (true, ts("2025-03-01T10:10:00Z")));
        assert_eq!(out.replaced, 1);
    }

    #[test]
    fn a_run_made_by_hand_holds_room_but_not_the_policy() {
        // Not in .status.active: Forbid starts at 10:00 as if nothing ran, Replace kills nothing.
        let mut p = plan(Policy::Forbid, 5, &EVERY_10);
        p.active.push(Active {
            started: ts("2025-03-01T09:58:00Z"),
            end: ts("2025-03-01T10:03:00Z"),
            listed: false,
        });
        let out = runs_at(0, &p);
        assert_eq!(out.runs.len(), 5);
        assert_eq!(
            (out.runs[1].scheduled, out.runs[1].start),
            (EVERY_10[0].parse().unwrap(), ts(EVERY_10[0]))
        );
        assert_eq!((out.deferred, out.skipped), (0, 0));
        p.policy = Policy::Replace;
        let out = runs_at(0, &p);
        assert_eq!((out.runs[0].active, out.runs[0].end), (true, ts("2025-03-01T10:03:00Z")));
        assert_eq!(out.replaced, 0);
    }

    #[test]
    fn allow_runs_beside_the_active_run() {
        let out =
            runs_at(0, &with_active(plan(Policy::Allow, 25, &EVERY_10), "2025-03-01T09:50:00Z"));
        assert_eq!(out.runs.len(), 5);
        assert!(out.runs[0].active && out.runs[0].end == ts("2025-03-01T10:15:00Z"));
    }

    #[test]
    fn pods_wait_for_room_and_start_when_a_pod_ends() {
        // Three 1-CPU pods at 10:00 for 5 minutes on one 2-CPU node: the third waits until
        // 10:05 and runs to 10:10.
        let plans = vec![plan(Policy::Allow, 5, &["2025-03-01T10:00:00Z"]); 3];
        let all: Vec<Run> =
            plans.iter().enumerate().flat_map(|(i, p)| runs_at(i, p).runs).collect();
        let node = NodeRoom { name: "n".into(), cpu: 2.0, memory_gib: 8.0, pods: 110 };
        let to = ts("2025-03-01T11:00:00Z");
        let fates = schedule_pool(&all, &plans, &[node], to);
        let waited: Vec<_> = fates.iter().filter(|f| f.bound != Some(f.arrival)).collect();
        assert_eq!(waited.len(), 1);
        assert_eq!(waited[0].bound, Some(ts("2025-03-01T10:05:00Z")));
        assert_eq!(waited[0].end, ts("2025-03-01T10:10:00Z"));
        let s = series(&all, &plans, &fates, ts("2025-03-01T10:00:00Z"), 60);
        assert_eq!(&s.pending[..6], &[1, 1, 1, 1, 1, 0]);
        assert_eq!(&s.pods[..11], &[3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 0]);
        assert!((s.cpu[0] - 3.0).abs() < 1e-9);
        assert_eq!(s.starts[0], 3);
    }

    #[test]
    fn a_pod_bigger_than_any_node_waits_to_the_end() {
        let mut p = plan(Policy::Allow, 5, &["2025-03-01T10:00:00Z"]);
        p.requests.cpu = 4.0;
        let all = runs_at(0, &p).runs;
        let node = NodeRoom { name: "n".into(), cpu: 2.0, memory_gib: 8.0, pods: 110 };
        let fates = schedule_pool(&all, &[p], &[node], ts("2025-03-01T11:00:00Z"));
        assert_eq!(fates[0].bound, None);
        assert_eq!(fates[0].end, ts("2025-03-01T11:00:00Z"));
    }
}
