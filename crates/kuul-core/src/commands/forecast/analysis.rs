//! The forecast, pure: CronJobs, Jobs and Nodes in, every CronJob's starts, each pool's
//! per-minute load against its capacity, and the peaks out. No I/O; the clock is an input.
//!
//! - Expected duration of a run: the median of the CronJob's retained finished Jobs (start to
//!   completion, or to the Failed condition), else `--assume-duration`'s fallback; an explicit
//!   `--assume-duration` applies to every CronJob.
//! - A CronJob's pool: the pools (label values of `--pool-key`) of the nodes that accept its
//!   pods (`placement::Placement::misfit`: cordons, taints, selector, affinity), joined with `+`
//!   when several; a CronJob no node accepts counts in the pool its `nodeSelector` names (a pool
//!   with no ready node: capacity zero, every pod waits) or else in `<unplaceable>`.
//! - A pool's capacity: the allocatable CPU, memory and pods of the nodes that accept the
//!   pool's CronJobs, minus what other workloads' pods already bound there request, node by
//!   node, as kube-scheduler's `NodeResourcesFit` sees a node (allocatable minus the requests
//!   of the pods assigned to it, `pkg/scheduler/framework/types.go` `NodeInfo.Requested`).
//!   "Other" is every pod bound to a node and not finished (DaemonSets, Deployments, bare pods,
//!   Jobs no CronJob owns, runs of CronJobs outside the forecast's scope) except the runs of
//!   the CronJobs being forecast, which the forecast models run by run.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::demand::{self, Active, NodeRoom, Plan, Policy, Run, Series};
use super::facts::{CronJobFacts, JobFacts, median};
use super::starts;
use crate::commands::cost_report::Resources;
use crate::commands::cost_report::facts::PodFacts;
use crate::placement::NodeFacts;
use crate::quantity::{self, GIB};

/// Pool of nodes without the pool label.
pub const NO_POOL: &str = "<none>";
/// Pool of CronJobs no node accepts and whose selector names no pool.
pub const UNPLACEABLE: &str = "<unplaceable>";

/// What the forecast needs.
pub(crate) struct Inputs<'a> {
    pub(crate) cronjobs: &'a [CronJobFacts],
    pub(crate) jobs: &'a [JobFacts],
    pub(crate) nodes: &'a [NodeFacts],
    /// Pods bound to a node and not finished (any namespace): other workloads' share.
    pub(crate) pods: &'a [PodFacts],
    pub(crate) pool_key: &'a str,
    pub(crate) from: Timestamp,
    pub(crate) to: Timestamp,
    /// The API server's now: which Jobs are running, and how much longer.
    pub(crate) now: Timestamp,
    pub(crate) include_suspended: bool,
    /// An explicit `--assume-duration`: every CronJob's run length.
    pub(crate) assume_duration: Option<SignedDuration>,
    /// Run length of CronJobs without history (when not assumed for all).
    pub(crate) default_duration: SignedDuration,
    /// Schedules to use instead of the CronJobs' own (`--suggest`'s "after"), by `ns/name`.
    pub(crate) schedule_overrides: &'a HashMap<String, String>,
}

/// Where a duration came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DurationSource {
    /// Median of retained runs.
    History,
    /// `--assume-duration`.
    Assumed,
    /// No history: the fallback.
    Default,
}

/// One CronJob's forecast.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobForecast {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The schedule forecast (`.spec.schedule`).
    pub schedule: String,
    /// `.spec.timeZone`.
    pub time_zone: Option<String>,
    /// `.spec.suspend`.
    pub suspended: bool,
    /// `.spec.concurrencyPolicy` (`Allow` when unset).
    pub concurrency_policy: Policy,
    /// The pool its pods land in.
    pub pool: String,
    /// Schedule instants in the window.
    pub starts: u64,
    /// Runs they create (after the concurrency policy).
    pub runs: u64,
    /// Its Jobs running at the window's start: each holds its pods' requests from the window's
    /// start to its expected end and counts for the concurrency policy.
    pub active_runs: u64,
    /// Forbid: runs that start late, when the previous one ends.
    pub deferred: u64,
    /// Forbid: starts that create no run.
    pub skipped: u64,
    /// Replace: runs killed by the next start.
    pub replaced: u64,
    /// Expected run length.
    pub expected_duration_seconds: i64,
    /// Where it came from.
    pub duration_source: DurationSource,
    /// Finished runs the median was taken over.
    pub runs_in_history: u64,
    /// Pods per run (parallelism).
    pub pods_per_run: u32,
    /// Requests of one pod (limits default requests, as on a real pod).
    pub requests: Resources,
    /// Why it never fires in the window (suspended, or a schedule the controller rejects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub never_fires: Option<String>,
}

/// One pool's capacity and how the forecast load meets it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolForecast {
    /// Pool name.
    pub name: String,
    /// Nodes that accept the pool's CronJobs (Ready, schedulable, tolerated, selected).
    pub nodes: u64,
    /// Their allocatable vCPUs.
    pub allocatable_cpu: f64,
    /// Their allocatable memory (GiB).
    pub allocatable_memory_gib: f64,
    /// Their allocatable pod slots.
    pub allocatable_pods: u64,
    /// What other workloads' pods, bound to those nodes and not finished, request.
    pub other_workloads: OtherWorkloads,
    /// The room left for the forecast's runs: allocatable minus other workloads (vCPUs).
    pub free_cpu: f64,
    /// The same for memory (GiB).
    pub free_memory_gib: f64,
    /// The same for pod slots.
    pub free_pods: u64,
    /// CronJobs forecast here.
    pub cronjobs: u64,
    /// Runs starting in the window.
    pub runs: u64,
    /// Runs already active at the window's start (see `CronJobForecast::active_runs`).
    pub active_runs: u64,
    /// Most pods wanting to run in one minute.
    pub peak_pods: u32,
    /// Most CPU requested in one minute.
    pub peak_cpu: f64,
    /// Most memory requested in one minute (GiB).
    pub peak_memory_gib: f64,
    /// Minutes where requested CPU or memory exceeds the room left (`free*`).
    pub over_capacity_minutes: u64,
    /// Minutes with a pod waiting for room (Pending, Unschedulable).
    pub minutes_with_waiting_pods: u64,
    /// Pods that would wait for room.
    pub waiting_pods: u64,
    /// Of those, pods still waiting at the window's end (or too big for any node).
    pub never_scheduled_pods: u64,
    /// Longest wait in seconds (to the window's end for pods never scheduled).
    pub max_wait_seconds: i64,
    /// Sum of the waits in seconds.
    pub total_wait_seconds: i64,
    /// First minute with demand over capacity or a waiting pod.
    pub first_pressure: Option<Timestamp>,
}

/// A minute where load peaks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Peak {
    /// The minute.
    pub minute: Timestamp,
    /// The pool.
    pub pool: String,
    /// Runs starting in it.
    pub starts: u32,
    /// Pods wanting to run.
    pub pods: u32,
    /// Requested CPU.
    pub cpu: f64,
    /// Requested memory (GiB).
    pub memory_gib: f64,
    /// Pods waiting.
    pub waiting_pods: u32,
    /// Requested CPU or memory exceeds allocatable.
    pub over_capacity: bool,
    /// The CronJobs with pods in the minute, most CPU first (at most ten).
    pub causes: Vec<Cause>,
}

/// A CronJob's share of a peak.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    /// `namespace/name`.
    pub cronjob: String,
    /// It starts in this very minute.
    pub starts_here: bool,
    /// Its pods in the minute.
    pub pods: u32,
    /// Their CPU.
    pub cpu: f64,
}

/// Everything computed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    pub(crate) cronjobs: Vec<CronJobForecast>,
    pub(crate) pools: Vec<PoolForecast>,
    /// Per pool, per minute.
    pub(crate) series: BTreeMap<String, Series>,
    /// Starts per minute, all pools.
    pub(crate) starts: Vec<u32>,
    pub(crate) minutes: usize,
    /// Runs per pool and the plans they index, for causes and suggestions.
    pub(crate) runs: BTreeMap<String, Vec<Run>>,
    pub(crate) plans: Vec<Plan>,
    /// `namespace/name` of each plan.
    pub(crate) plan_ids: Vec<String>,
}

/// Requests of other workloads' pods on a set of nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherWorkloads {
    /// Pods.
    pub pods: u64,
    /// Requested vCPUs.
    pub cpu: f64,
    /// Requested memory (GiB).
    pub memory_gib: f64,
}

/// Other workloads' requests by node name: every pod bound to a node and not finished, except
/// the runs of the forecast CronJobs (`cronjob_uids`), whose Jobs are among `jobs`.
fn other_workloads<'p>(
    pods: &'p [PodFacts],
    jobs: &[JobFacts],
    cronjob_uids: &std::collections::HashSet<&str>,
) -> HashMap<&'p str, OtherWorkloads> {
    // Only the Jobs that own one of these pods are looked at (a few dozen pods against tens of
    // thousands of Jobs: measured at 5,000 CronJobs, a set of every forecast Job took longer
    // than the rest of the forecast's set-up).
    let pod_jobs: std::collections::HashSet<&str> =
        pods.iter().filter_map(|p| p.metadata.owner("Job")).map(|o| o.uid.as_str()).collect();
    let forecast_jobs: std::collections::HashSet<&str> = if pod_jobs.is_empty() {
        std::collections::HashSet::new()
    } else {
        jobs.iter()
            .filter(|j| pod_jobs.contains(j.metadata.uid.as_str()))
            .filter(|j| {
                j.metadata.owner("CronJob").is_some_and(|o| cronjob_uids.contains(o.uid.as_str()))
            })
            .map(|j| j.metadata.uid.as_str())
            .collect()
    };
    let mut by_node: HashMap<&str, OtherWorkloads> = HashMap::new();
    for pod in pods {
        let Some(node) = pod.spec.node_name.as_deref().filter(|n| !n.is_empty()) else { continue };
        if matches!(pod.status.phase.as_str(), "Succeeded" | "Failed") {
            continue;
        }
        let run = pod.metadata.owner("Job").is_some_and(|o| forecast_jobs.contains(o.uid.as_str()));
        if run {
            continue;
        }
        let r = pod.requests();
        let used = by_node.entry(node).or_default();
        used.pods += 1;
        used.cpu += r.cpu;
        used.memory_gib += r.memory_gib;
    }
    by_node
}

fn amount(node: &NodeFacts, key: &str) -> f64 {
    node.status.allocatable.get(key).and_then(|q| quantity::parse(q).ok()).unwrap_or(0.0)
}

fn room(node: &NodeFacts) -> NodeRoom {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let pods = match node.status.allocatable.get("pods") {
        Some(_) => amount(node, "pods").max(0.0) as u32,
        None => 110,
    };
    NodeRoom {
        name: node.metadata.name.clone(),
        cpu: amount(node, "cpu"),
        memory_gib: amount(node, "memory") / GIB,
        pods,
    }
}

fn pool_of<'n>(node: &'n NodeFacts, key: &str) -> &'n str {
    node.label(key).filter(|p| !p.is_empty()).unwrap_or(NO_POOL)
}

/// How much longer a run still active past its expected duration is counted to last, from now:
/// it is overdue, so the forecast expects it to end soon rather than at once (one minute, the
/// forecast's resolution).
pub(crate) const OVERDUE_REMAINDER: SignedDuration = SignedDuration::from_mins(1);

/// The expected end of a run active at `now` that started at `started`: the duration future
/// runs are expected to take, counted from its actual start; for a run already past that,
/// `now` + [`OVERDUE_REMAINDER`].
pub(crate) fn active_end(
    started: Timestamp,
    duration: SignedDuration,
    now: Timestamp,
) -> Timestamp {
    let end = started + duration;
    if end > now { end } else { now + OVERDUE_REMAINDER }
}

/// The window's length in whole minutes (rounded up).
pub(crate) fn window_minutes(from: Timestamp, to: Timestamp) -> usize {
    let secs = to.duration_since(from).as_secs().max(0);
    usize::try_from((secs + 59) / 60).unwrap_or(0)
}

/// Runs the forecast.
pub(crate) fn analyse(input: &Inputs<'_>) -> Analysis {
    let minutes = window_minutes(input.from, input.to);
    // Durations and active runs by owner uid.
    let mut history: HashMap<&str, Vec<SignedDuration>> =
        HashMap::with_capacity(input.cronjobs.len());
    // (start, uid) of the Jobs not finished, by owner uid.
    let mut active: HashMap<&str, Vec<(Timestamp, &str)>> = HashMap::new();
    for job in input.jobs {
        let Some(owner) = job.metadata.controller_uid() else { continue };
        match job.duration() {
            Some(d) => history.entry(owner).or_default().push(d),
            None => {
                // Not finished (prune's reading: a terminal condition, Complete or Failed).
                if job.finished().is_none()
                    && let Some(start) = job.started()
                {
                    active.entry(owner).or_default().push((start, job.metadata.uid.as_str()));
                }
            }
        }
    }

    let cronjob_uids = input.cronjobs.iter().map(|c| c.metadata.uid.as_str()).collect();
    let others = other_workloads(input.pods, input.jobs, &cronjob_uids);

    let mut items = Vec::with_capacity(input.cronjobs.len());
    let mut plans = Vec::new();
    let mut plan_item = Vec::new();
    let mut plan_pool: Vec<String> = Vec::new();
    // Nodes accepting each pool's CronJobs (indices into input.nodes).
    let mut pool_nodes: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    // Placement verdicts are shared by CronJobs with equal placements (most are).
    let mut placements: Vec<(crate::placement::Placement, String, Vec<usize>)> = Vec::new();

    let mut sorted: Vec<&CronJobFacts> = input.cronjobs.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    for cj in sorted {
        let id = cj.id();
        let uid = cj.metadata.uid.as_str();
        let placement = cj.placement();
        let (pool, accepting) = match placements.iter().find(|(p, _, _)| *p == placement) {
            Some((_, pool, nodes)) => (pool.clone(), nodes.clone()),
            None => {
                let (pool, nodes) = place(&placement, input.nodes, input.pool_key);
                placements.push((placement, pool.clone(), nodes.clone()));
                (pool, nodes)
            }
        };
        pool_nodes.entry(pool.clone()).or_default().extend(accepting);
        let runs_in_history = history.get(uid).map_or(0, Vec::len) as u64;
        let (duration, source) = match (input.assume_duration, history.get(uid)) {
            (Some(d), _) => (d, DurationSource::Assumed),
            (None, Some(h)) => (median(h.clone()).unwrap_or_default(), DurationSource::History),
            (None, None) => (input.default_duration, DurationSource::Default),
        };
        let schedule = input.schedule_overrides.get(&id).unwrap_or(&cj.spec.schedule).clone();
        let suspended = cj.spec.suspend == Some(true);
        let policy = Policy::from_spec(cj.spec.concurrency_policy.as_deref());
        let mut item = CronJobForecast {
            namespace: cj.metadata.namespace.clone(),
            name: cj.metadata.name.clone(),
            schedule: schedule.clone(),
            time_zone: cj.spec.time_zone.clone(),
            suspended,
            concurrency_policy: policy,
            pool: pool.clone(),
            starts: 0,
            runs: 0,
            deferred: 0,
            skipped: 0,
            replaced: 0,
            expected_duration_seconds: duration.as_secs(),
            duration_source: source,
            runs_in_history,
            pods_per_run: cj.pods_per_run(),
            requests: cj.pod_spec().requests(),
            active_runs: 0,
            never_fires: None,
        };
        let parsed = starts::parse(&schedule, cj.spec.time_zone.as_deref());
        let at = match parsed {
            Err(reason) => {
                item.never_fires = Some(reason);
                Vec::new()
            }
            Ok(_) if suspended && !input.include_suspended => {
                item.never_fires = Some("suspended (--include-suspended to plan a resume)".into());
                Vec::new()
            }
            Ok(sched) => {
                let base = cj.status.last_schedule_time.or(cj.metadata.creation_timestamp);
                starts::starts(&sched, input.from, input.to, base)
            }
        };
        item.starts = at.len() as u64;
        // Its runs active now hold their pods whether or not it fires again (suspended, a
        // schedule the controller rejects): they are its Jobs, left out of other workloads.
        let running: Vec<Active> = active
            .get(uid)
            .map(|s| {
                s.iter()
                    .map(|&(started, job)| Active {
                        started,
                        end: active_end(started, duration, input.now),
                        listed: cj.status.active.iter().any(|r| r.uid == job),
                    })
                    .filter(|a| a.end > input.from)
                    .collect()
            })
            .unwrap_or_default();
        item.active_runs = running.len() as u64;
        if item.never_fires.is_none() || !running.is_empty() {
            plans.push(Plan {
                policy,
                deadline_seconds: cj.spec.starting_deadline_seconds,
                duration,
                pods: item.pods_per_run,
                requests: item.requests,
                starts: at,
                active: running,
            });
            plan_item.push(items.len());
            plan_pool.push(pool);
        }
        items.push(item);
    }

    let mut runs_by_pool: BTreeMap<String, Vec<Run>> = BTreeMap::new();
    for (i, plan) in plans.iter().enumerate() {
        let outcome = demand::runs(i, plan, input.from);
        let item = &mut items[plan_item[i]];
        item.runs = outcome.runs.iter().filter(|r| !r.active).count() as u64;
        item.deferred = u64::from(outcome.deferred);
        item.skipped = u64::from(outcome.skipped);
        item.replaced = u64::from(outcome.replaced);
        runs_by_pool.entry(plan_pool[i].clone()).or_default().extend(outcome.runs);
    }
    for pool in pool_nodes.keys() {
        runs_by_pool.entry(pool.clone()).or_default();
    }

    let mut series = BTreeMap::new();
    let mut pools = Vec::new();
    let mut total_starts = vec![0_u32; minutes];
    for (name, runs) in &mut runs_by_pool {
        // The runs active at the window's start first: their pods are bound already.
        runs.sort_by_key(|r| (r.start, !r.active, r.plan));
        let whole: Vec<NodeRoom> = pool_nodes
            .get(name)
            .map(|set| set.iter().map(|&k| room(&input.nodes[k])).collect())
            .unwrap_or_default();
        let mut other = OtherWorkloads::default();
        // Each node as the scheduler sees it: what other pods request there is taken.
        let nodes: Vec<NodeRoom> = whole
            .iter()
            .map(|n| {
                let used = others.get(n.name.as_str()).copied().unwrap_or_default();
                other.pods += used.pods;
                other.cpu += used.cpu;
                other.memory_gib += used.memory_gib;
                NodeRoom {
                    name: n.name.clone(),
                    cpu: (n.cpu - used.cpu).max(0.0),
                    memory_gib: (n.memory_gib - used.memory_gib).max(0.0),
                    pods: n.pods.saturating_sub(u32::try_from(used.pods).unwrap_or(u32::MAX)),
                }
            })
            .collect();
        let fates = demand::schedule_pool(runs, &plans, &nodes, input.to);
        let s = demand::series(runs, &plans, &fates, input.from, minutes);
        for (t, v) in total_starts.iter_mut().zip(&s.starts) {
            *t += v;
        }
        let cpu: f64 = nodes.iter().map(|n| n.cpu).sum();
        let mem: f64 = nodes.iter().map(|n| n.memory_gib).sum();
        let over = |k: usize| s.cpu[k] > cpu + 1e-9 || s.memory_gib[k] > mem + 1e-9;
        let waits: Vec<i64> = fates
            .iter()
            .filter(|f| f.bound != Some(f.arrival))
            .map(|f| f.bound.unwrap_or(input.to).duration_since(f.arrival).as_secs())
            .collect();
        let first = (0..minutes).find(|&k| over(k) || s.pending[k] > 0);
        pools.push(PoolForecast {
            name: name.clone(),
            nodes: nodes.len() as u64,
            allocatable_cpu: whole.iter().map(|n| n.cpu).sum(),
            allocatable_memory_gib: whole.iter().map(|n| n.memory_gib).sum(),
            allocatable_pods: whole.iter().map(|n| u64::from(n.pods)).sum(),
            other_workloads: other,
            free_cpu: cpu,
            free_memory_gib: mem,
            free_pods: nodes.iter().map(|n| u64::from(n.pods)).sum(),
            cronjobs: items.iter().filter(|i| &i.pool == name).count() as u64,
            runs: runs.iter().filter(|r| !r.active).count() as u64,
            active_runs: runs.iter().filter(|r| r.active).count() as u64,
            peak_pods: s.pods.iter().copied().max().unwrap_or(0),
            peak_cpu: s.cpu.iter().copied().fold(0.0, f64::max),
            peak_memory_gib: s.memory_gib.iter().copied().fold(0.0, f64::max),
            over_capacity_minutes: (0..minutes).filter(|&k| over(k)).count() as u64,
            minutes_with_waiting_pods: s.pending.iter().filter(|&&p| p > 0).count() as u64,
            waiting_pods: waits.len() as u64,
            never_scheduled_pods: fates.iter().filter(|f| f.bound.is_none()).count() as u64,
            max_wait_seconds: waits.iter().copied().max().unwrap_or(0),
            total_wait_seconds: waits.iter().sum(),
            first_pressure: first.map(|k| minute_at(input.from, k)),
        });
        series.insert(name.clone(), s);
    }
    Analysis {
        pools,
        series,
        starts: total_starts,
        minutes,
        runs: runs_by_pool,
        plan_ids: plan_item
            .iter()
            .map(|&i: &usize| format!("{}/{}", items[i].namespace, items[i].name))
            .collect(),
        cronjobs: items,
        plans,
    }
}

/// The start of minute `k` of the window.
pub(crate) fn minute_at(from: Timestamp, k: usize) -> Timestamp {
    from + SignedDuration::from_mins(i64::try_from(k).unwrap_or(i64::MAX / 60))
}

/// A placement's pool and the nodes that accept it.
fn place(
    placement: &crate::placement::Placement,
    nodes: &[NodeFacts],
    key: &str,
) -> (String, Vec<usize>) {
    let accepting: Vec<usize> =
        (0..nodes.len()).filter(|&k| placement.misfit(&nodes[k]).is_none()).collect();
    let mut names: Vec<&str> = accepting.iter().map(|&k| pool_of(&nodes[k], key)).collect();
    names.sort_unstable();
    names.dedup();
    let pool = if names.is_empty() {
        placement.node_selector.get(key).cloned().unwrap_or_else(|| UNPLACEABLE.to_owned())
    } else {
        names.join("+")
    };
    (pool, accepting)
}

impl Analysis {
    /// The `n` top peaks: minutes with starts, most waiting pods first, then most starts, then
    /// most CPU, then earliest; one per pool and minute.
    pub(crate) fn peaks(&self, from: Timestamp, n: usize) -> Vec<Peak> {
        let plan_ids = &self.plan_ids;
        let mut candidates: Vec<(u32, u32, f64, usize, &str)> = Vec::new();
        for (pool, s) in &self.series {
            for k in 0..self.minutes {
                if s.starts[k] > 0 {
                    candidates.push((s.pending[k], s.starts[k], s.cpu[k], k, pool.as_str()));
                }
            }
        }
        candidates.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(&b.3))
                .then(a.4.cmp(b.4))
        });
        candidates
            .into_iter()
            .take(n)
            .map(|(pending, starts, cpu, k, pool)| {
                let s = &self.series[pool];
                let (lo, hi) = (minute_at(from, k), minute_at(from, k + 1));
                let mut by_plan: BTreeMap<usize, (bool, u32)> = BTreeMap::new();
                for run in &self.runs[pool] {
                    if run.start < hi && run.end.max(run.start + SignedDuration::from_secs(1)) > lo
                    {
                        let e = by_plan.entry(run.plan).or_default();
                        e.0 |= !run.active && run.start >= lo;
                        e.1 += self.plans[run.plan].pods;
                    }
                }
                let mut causes: Vec<Cause> = by_plan
                    .into_iter()
                    .map(|(p, (here, pods))| Cause {
                        cronjob: plan_ids[p].clone(),
                        starts_here: here,
                        pods,
                        cpu: self.plans[p].requests.cpu * f64::from(pods),
                    })
                    .collect();
                causes.sort_by(|a, b| {
                    b.cpu
                        .total_cmp(&a.cpu)
                        .then(b.pods.cmp(&a.pods))
                        .then(a.cronjob.cmp(&b.cronjob))
                });
                causes.truncate(10);
                let pool_info = self.pools.iter().find(|p| p.name == pool);
                let over = pool_info.is_some_and(|p| {
                    s.cpu[k] > p.free_cpu + 1e-9 || s.memory_gib[k] > p.free_memory_gib + 1e-9
                });
                Peak {
                    minute: lo,
                    pool: pool.to_owned(),
                    starts,
                    pods: s.pods[k],
                    cpu,
                    memory_gib: s.memory_gib[k],
                    waiting_pods: pending,
                    over_capacity: over,
                    causes,
                }
            })
            .collect()
    }

    /// Narrows the result to one pool (`--pool`).
    pub(crate) fn keep_pool(&mut self, pool: &str) {
        self.pools.retain(|p| p.name == pool);
        self.series.retain(|p, _| p == pool);
        self.cronjobs.retain(|c| c.pool == pool);
        self.starts =
            self.series.get(pool).map_or_else(|| vec![0; self.minutes], |s| s.starts.clone());
        // Plans of other pools stay (runs index them) but no run of theirs remains.
        self.runs.retain(|p, _| p == pool);
    }
}

#[cfg(test)]
mod tests;
