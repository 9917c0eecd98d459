//! The arithmetic of `cost-report`, pure and unit-tested on fixed clocks: each pod's requests x
//! container run time x the rates on its node, summed per run (Job), per CronJob, per namespace
//! and per pool; runs per month counted with the schedule engine; and what each pool's nodes
//! cost against what the periodic jobs used of them.
//!
//! - A run is a Job owned (controller owner reference) by the CronJob whose start
//!   (`status.startTime`, else creation) falls in the window `[now - window, now]`. Its cost is
//!   the sum over its pods; pods that never started cost nothing.
//! - Projections count the schedule's instants in the next 30 days, `(now, now + 30d]`, with
//!   `kuul_schedule::Schedule::count_between` in the CronJob's `timeZone` (a fixed 30 days, not a
//!   calendar month, so figures compare across months). A suspended CronJob projects zero.
//! - A pod's pool is the pool label of its node (`spec.nodeName`), else `<none>`.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::Schedule;
use serde::Serialize;

use super::facts::{CronJobFacts, JobFacts, PodFacts};
use super::prices::{Prices, Rates, Resources};
use crate::placement::NodeFacts;

/// The pool name for pods on nodes without the pool label (or not on any node).
pub const NO_POOL: &str = "<none>";
/// The name of the grand-total group.
pub(crate) const TOTAL: &str = "<total>";
/// The projection period: 30 days.
pub(crate) const PROJECTION: SignedDuration = SignedDuration::from_hours(30 * 24);

/// Everything the arithmetic needs.
pub(crate) struct Inputs<'a> {
    pub(crate) cronjobs: &'a [CronJobFacts],
    pub(crate) jobs: &'a [JobFacts],
    pub(crate) pods: &'a [PodFacts],
    pub(crate) nodes: &'a [NodeFacts],
    pub(crate) prices: &'a Prices,
    pub(crate) pool_key: &'a str,
    pub(crate) now: Timestamp,
    pub(crate) window: SignedDuration,
}

/// Cost of one CronJob.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobCost {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `.spec.schedule`.
    pub schedule: String,
    /// `.spec.timeZone`.
    pub time_zone: Option<String>,
    /// `.spec.suspend`.
    pub suspended: bool,
    /// Pools its pods ran on in the window, sorted.
    pub pools: Vec<String>,
    /// Jobs of this CronJob that started in the window.
    pub runs_observed: u64,
    /// Of those, runs with at least one pod that ran: the basis of every per-run figure.
    pub runs_costed: u64,
    /// Mean run time (first container start to last finish, or now) over `runsCosted` runs.
    pub average_duration_seconds: Option<f64>,
    /// Mean requests per run over `runsCosted` runs (vCPU, GiB, GPUs).
    pub requests: Option<Resources>,
    /// Mean cost per run over `runsCosted` runs.
    pub cost_per_run: Option<f64>,
    /// What the runs observed in the window cost.
    pub observed_cost: f64,
    /// Schedule instants in the next 30 days (`None` if the schedule does not parse).
    pub runs_per_month: Option<u64>,
    /// `costPerRun x runsPerMonth` (zero when suspended; `None` without a costed run).
    pub projected_monthly_cost: Option<f64>,
    /// Why a figure is missing or zero, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Observed cost per pool, for the per-pool totals.
    #[serde(skip)]
    pub(crate) cost_by_pool: BTreeMap<String, f64>,
}

/// Totals of a group (a namespace, a pool, everything).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCost {
    /// Namespace or pool name (`<total>` for the grand total).
    pub name: String,
    /// CronJobs in the group.
    pub cronjobs: u64,
    /// Runs observed in the window.
    pub runs_observed: u64,
    /// Runs with pod data (the basis of the costs).
    pub runs_costed: u64,
    /// Observed cost in the window.
    pub observed_cost: f64,
    /// Sum of the projections that exist.
    pub projected_monthly_cost: f64,
    /// CronJobs without a projection (no costed run, or a schedule that does not parse):
    /// `projectedMonthlyCost` leaves them out.
    pub cronjobs_without_projection: u64,
}

/// A pool's nodes against what the periodic jobs used of them in the window.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolUsage {
    /// Pool name.
    pub name: String,
    /// Nodes in the pool now.
    pub nodes: u64,
    /// Sum of the nodes' hourly prices.
    pub node_price_per_hour: f64,
    /// Node-hours in the window (each node from the later of window start and its creation).
    pub node_hours: f64,
    /// What the nodes cost in the window.
    pub node_cost: f64,
    /// What the periodic jobs' pods on these nodes cost in the window.
    pub used_cost: f64,
    /// `nodeCost - usedCost` (never below zero).
    pub idle_cost: f64,
    /// `usedCost / nodeCost x 100`, `None` when the nodes cost nothing.
    pub utilisation_percent: Option<f64>,
}

/// The whole result.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    pub(crate) items: Vec<CronJobCost>,
    pub(crate) namespaces: Vec<GroupCost>,
    pub(crate) pools: Vec<GroupCost>,
    pub(crate) pool_usage: Vec<PoolUsage>,
    pub(crate) total: GroupCost,
}

/// One run's figures. Its cost per pool is a short list (a run's pods ran on one pool, rarely
/// two) whose names borrow the nodes' labels: a map per run, with a string per pod, was a
/// fifth of `cost-report -A`'s main thread over 50,000 runs.
#[derive(Default)]
struct RunCost<'a> {
    cost: f64,
    requests: Resources,
    span: Option<(Timestamp, Timestamp)>,
    cost_by_pool: Vec<(&'a str, f64)>,
}

/// The node's pool (an empty label value is no pool).
fn pool_of<'n>(node: &'n NodeFacts, key: &str) -> Option<&'n str> {
    node.label(key).filter(|p| !p.is_empty())
}

/// Computes the report.
pub(crate) fn analyse(input: &Inputs<'_>) -> Analysis {
    let window_start = input.now.checked_sub(input.window).unwrap_or(Timestamp::MIN);
    // Pool and rates per node, worked out once (not once per pod).
    let nodes: HashMap<&str, (Option<&str>, Rates)> = input
        .nodes
        .iter()
        .map(|n| {
            let pool = pool_of(n, input.pool_key);
            (n.metadata.name.as_str(), (pool, input.prices.for_node(Some(n), pool).rates))
        })
        .collect();
    let unknown_node = (None, input.prices.for_node(None, None).rates);

    // Runs in the window, by owner CronJob uid.
    let mut runs: HashMap<&str, RunCost<'_>> =
        HashMap::with_capacity_and_hasher(input.jobs.len(), Default::default());
    let mut runs_by_cronjob: HashMap<&str, Vec<&str>> = HashMap::default();
    // Only runs of the CronJobs in the report: other Jobs (manual ones without an owner, or
    // another controller's) are not periodic work, and `-l` narrows pool usage too.
    let cronjob_uids: HashSet<&str> =
        input.cronjobs.iter().map(|cj| cj.metadata.uid.as_str()).collect();
    for job in input.jobs {
        let (Some(owner), Some(started)) = (job.metadata.controller_uid(), job.started()) else {
            continue;
        };
        if !cronjob_uids.contains(owner) {
            continue;
        }
        if started < window_start || started > input.now {
            continue;
        }
        runs.insert(job.metadata.uid.as_str(), RunCost::default());
        runs_by_cronjob.entry(owner).or_default().push(job.metadata.uid.as_str());
    }
    let mut used_by_pool: BTreeMap<&str, f64> = BTreeMap::new();
    for pod in input.pods {
        let Some(run) = pod.metadata.controller_uid().and_then(|uid| runs.get_mut(uid)) else {
            continue;
        };
        let Some((start, end)) = pod.run_interval(input.now) else { continue };
        let (pool, rates) =
            pod.spec.node_name.as_deref().and_then(|n| nodes.get(n)).unwrap_or(&unknown_node);
        let requests = pod.requests();
        let hours = end.duration_since(start).as_secs_f64() / 3600.0;
        let cost = requests.hourly(rates) * hours;
        run.cost += cost;
        run.requests = run.requests.plus(requests);
        run.span = Some(match run.span {
            Some((s, e)) => (s.min(start), e.max(end)),
            None => (start, end),
        });
        let pool_name = pool.unwrap_or(NO_POOL);
        match run.cost_by_pool.iter_mut().find(|(p, _)| *p == pool_name) {
            Some((_, c)) => *c += cost,
            None => run.cost_by_pool.push((pool_name, cost)),
        }
        *used_by_pool.entry(pool_name).or_default() += cost;
    }

    let mut items: Vec<CronJobCost> = input
        .cronjobs
        .iter()
        .map(|cj| {
            let owned =
                runs_by_cronjob.get(cj.metadata.uid.as_str()).map_or(&[][..], Vec::as_slice);
            cronjob_cost(cj, owned.iter().filter_map(|uid| runs.get(uid)), owned.len(), input.now)
        })
        .collect();
    items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    let namespaces = group(&items, |item| vec![(item.namespace.clone(), 1.0, item.observed_cost)]);
    let pools = group(&items, |item| {
        let total: f64 = item.cost_by_pool.values().sum();
        let even = 1.0 / item.cost_by_pool.len() as f64;
        item.cost_by_pool
            .iter()
            .map(|(pool, cost)| {
                let share = if total > 0.0 { cost / total } else { even };
                (pool.clone(), share, *cost)
            })
            .collect()
    });
    let total = group(&items, |item| vec![(TOTAL.to_owned(), 1.0, item.observed_cost)])
        .pop()
        .unwrap_or_else(|| GroupCost { name: TOTAL.to_owned(), ..GroupCost::default() });
    let pool_usage = pool_usage(input, window_start, &used_by_pool);
    Analysis { items, namespaces, pools, pool_usage, total }
}

fn cronjob_cost<'r, 'a: 'r>(
    cj: &CronJobFacts,
    runs: impl Iterator<Item = &'r RunCost<'a>>,
    runs_observed: usize,
    now: Timestamp,
) -> CronJobCost {
    let mut costed = 0_u32;
    let (mut cost, mut seconds) = (0.0, 0.0);
    let mut requests = Resources::default();
    let mut cost_by_pool: BTreeMap<&str, f64> = BTreeMap::new();
    for run in runs {
        cost += run.cost;
        for (pool, c) in &run.cost_by_pool {
            *cost_by_pool.entry(pool).or_default() += c;
        }
        if let Some((start, end)) = run.span {
            costed += 1;
            seconds += end.duration_since(start).as_secs_f64();
            requests = requests.plus(run.requests);
        }
    }
    let n = f64::from(costed);
    let per_run = (costed > 0).then(|| cost / n);
    let suspended = cj.spec.suspend == Some(true);
    let schedule = Schedule::for_cronjob(&cj.spec.schedule, cj.spec.time_zone.as_deref());
    let now_plus = now.checked_add(PROJECTION).unwrap_or(Timestamp::MAX);
    let runs_per_month = schedule.as_ref().ok().map(|s| s.count_between(now, now_plus));
    let (projected, note) = match (&schedule, per_run) {
        (Err(e), _) => (None, Some(format!("the schedule does not parse: {e}"))),
        (Ok(_), _) if suspended => (Some(0.0), Some("suspended: no runs projected".to_owned())),
        (Ok(_), None) => {
            (None, Some("no run with pod data in the window: no projection".to_owned()))
        }
        (Ok(_), Some(per_run)) => (runs_per_month.map(|r| per_run * r as f64), None),
    };
    CronJobCost {
        namespace: cj.metadata.namespace.clone(),
        name: cj.metadata.name.clone(),
        schedule: cj.spec.schedule.clone(),
        time_zone: cj.spec.time_zone.clone(),
        suspended,
        pools: cost_by_pool.keys().map(|&pool| pool.to_owned()).collect(),
        runs_observed: runs_observed as u64,
        runs_costed: u64::from(costed),
        average_duration_seconds: (costed > 0).then(|| seconds / n),
        requests: (costed > 0).then(|| Resources {
            cpu: requests.cpu / n,
            memory_gib: requests.memory_gib / n,
            gpu: requests.gpu / n,
        }),
        cost_per_run: per_run,
        observed_cost: cost,
        runs_per_month,
        projected_monthly_cost: projected,
        note,
        cost_by_pool: cost_by_pool.into_iter().map(|(pool, c)| (pool.to_owned(), c)).collect(),
    }
}

/// Groups CronJobs: `keys` gives each item's groups, each with the share of the item's
/// projection and the observed cost that belong to it (a namespace takes the whole; a CronJob
/// that ran on two pools splits its projection by where its cost fell).
fn group(
    items: &[CronJobCost],
    keys: impl Fn(&CronJobCost) -> Vec<(String, f64, f64)>,
) -> Vec<GroupCost> {
    let mut groups: BTreeMap<String, GroupCost> = BTreeMap::new();
    for item in items {
        for (key, share, observed) in keys(item) {
            let g = groups
                .entry(key)
                .or_insert_with_key(|key| GroupCost { name: key.clone(), ..GroupCost::default() });
            g.cronjobs += 1;
            g.runs_observed += item.runs_observed;
            g.runs_costed += item.runs_costed;
            g.observed_cost += observed;
            match item.projected_monthly_cost {
                Some(p) => g.projected_monthly_cost += p * share,
                None => g.cronjobs_without_projection += 1,
            }
        }
    }
    groups.into_values().collect()
}

/// Each labelled pool's node cost in the window against what the jobs used there.
fn pool_usage(
    input: &Inputs<'_>,
    window_start: Timestamp,
    used_by_pool: &BTreeMap<&str, f64>,
) -> Vec<PoolUsage> {
    let mut pools: BTreeMap<&str, PoolUsage> = BTreeMap::new();
    for node in input.nodes {
        let Some(pool) = pool_of(node, input.pool_key) else { continue };
        let price = input.prices.for_node(Some(node), Some(pool));
        let from = node.metadata.creation_timestamp.map_or(window_start, |c| c.max(window_start));
        let hours = (input.now.duration_since(from).as_secs_f64() / 3600.0).max(0.0);
        let entry = pools.entry(pool).or_insert_with(|| PoolUsage {
            name: pool.to_owned(),
            nodes: 0,
            node_price_per_hour: 0.0,
            node_hours: 0.0,
            node_cost: 0.0,
            used_cost: 0.0,
            idle_cost: 0.0,
            utilisation_percent: None,
        });
        entry.nodes += 1;
        entry.node_price_per_hour += price.hourly;
        entry.node_hours += hours;
        entry.node_cost += price.hourly * hours;
    }
    pools
        .into_values()
        .map(|mut p| {
            p.used_cost = used_by_pool.get(p.name.as_str()).copied().unwrap_or(0.0);
            p.idle_cost = (p.node_cost - p.used_cost).max(0.0);
            p.utilisation_percent = (p.node_cost > 0.0).then(|| p.used_cost / p.node_cost * 100.0);
            p
        })
        .collect()
}

#[cfg(test)]
mod tests;
