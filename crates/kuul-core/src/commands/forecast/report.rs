//! How `forecast` prints: the JSON/YAML document (every bucket; docs/commands/forecast.md), the
//! CSV of every bucket, and the table of top peaks with a summary per pool below it.

use jiff::Timestamp;
use serde::Serialize;

use super::analysis::{Analysis, CronJobForecast, Peak, PoolForecast, minute_at};
use super::suggest::Suggestions;
use crate::cluster::ClockSource;
use crate::duration;
use crate::output::{Cell, Report, Tone};

/// What the report is about, besides the analysis.
pub(crate) struct Meta {
    pub(crate) observed_at: Timestamp,
    pub(crate) clock: ClockSource,
    pub(crate) from: Timestamp,
    pub(crate) to: Timestamp,
    pub(crate) pool_key: String,
    pub(crate) pool: Option<String>,
    pub(crate) top: usize,
    pub(crate) include_suspended: bool,
}

/// The forecast window.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// First instant (inclusive).
    pub from: Timestamp,
    /// End (exclusive).
    pub to: Timestamp,
    /// Minute buckets.
    pub minutes: usize,
}

/// A CronJob that will not fire.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NeverFiring {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `.spec.schedule`.
    pub schedule: String,
    /// Why.
    pub reason: String,
}

/// One minute of one pool.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// Start of the minute.
    pub minute: Timestamp,
    /// Pool.
    pub pool: String,
    /// Runs starting in it.
    pub starts: u32,
    /// Pods wanting to run (bound or waiting).
    pub pods: u32,
    /// CPU they request.
    pub cpu: f64,
    /// Memory they request (GiB).
    pub memory_gib: f64,
    /// Pods waiting for room.
    pub waiting_pods: u32,
    /// The pool's allocatable CPU.
    pub capacity_cpu: f64,
    /// The pool's allocatable memory (GiB).
    pub capacity_memory_gib: f64,
    /// Requests exceed allocatable.
    pub over_capacity: bool,
}

/// The `forecast` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `Forecast`.
    pub kind: &'static str,
    /// The API server's now.
    pub observed_at: Timestamp,
    /// Where `observedAt` came from.
    pub clock: ClockSource,
    /// The window forecast.
    pub window: Window,
    /// The node label naming pools.
    pub pool_label: String,
    /// `--pool`, if given.
    pub pool: Option<String>,
    /// `--include-suspended`.
    pub include_suspended: bool,
    /// Per CronJob, by namespace then name.
    pub cronjobs: Vec<CronJobForecast>,
    /// CronJobs that will not fire in the window, and why.
    pub never_firing: Vec<NeverFiring>,
    /// Per pool.
    pub pools: Vec<PoolForecast>,
    /// The top peaks.
    pub peaks: Vec<Peak>,
    /// Every minute of every pool.
    pub buckets: Vec<Bucket>,
    /// `--suggest`'s proposals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Suggestions>,
    /// Starts per minute, all pools in the report.
    #[serde(skip)]
    pub(crate) starts: Vec<u32>,
}

impl Forecast {
    /// Assembles the report.
    pub(crate) fn new(a: Analysis, meta: &Meta, suggestions: Option<Suggestions>) -> Self {
        let peaks = a.peaks(meta.from, meta.top);
        let mut buckets = Vec::with_capacity(a.series.len() * a.minutes);
        for pool in &a.pools {
            let s = &a.series[&pool.name];
            for k in 0..a.minutes {
                buckets.push(Bucket {
                    minute: minute_at(meta.from, k),
                    pool: pool.name.clone(),
                    starts: s.starts[k],
                    pods: s.pods[k],
                    cpu: s.cpu[k],
                    memory_gib: s.memory_gib[k],
                    waiting_pods: s.pending[k],
                    capacity_cpu: pool.free_cpu,
                    capacity_memory_gib: pool.free_memory_gib,
                    over_capacity: s.cpu[k] > pool.free_cpu + 1e-9
                        || s.memory_gib[k] > pool.free_memory_gib + 1e-9,
                });
            }
        }
        let never_firing = a
            .cronjobs
            .iter()
            .filter_map(|c| {
                c.never_fires.as_ref().map(|r| NeverFiring {
                    namespace: c.namespace.clone(),
                    name: c.name.clone(),
                    schedule: c.schedule.clone(),
                    reason: r.clone(),
                })
            })
            .collect();
        Forecast {
            api_version: "kuul.dev/v1alpha1",
            kind: "Forecast",
            observed_at: meta.observed_at,
            clock: meta.clock,
            window: Window { from: meta.from, to: meta.to, minutes: a.minutes },
            pool_label: meta.pool_key.clone(),
            pool: meta.pool.clone(),
            include_suspended: meta.include_suspended,
            cronjobs: a.cronjobs,
            never_firing,
            pools: a.pools,
            peaks,
            buckets,
            suggestions,
            starts: a.starts,
        }
    }

    /// Every bucket, as a table (for `-o csv`).
    pub(crate) fn buckets(&self) -> BucketTable<'_> {
        BucketTable(self)
    }

    /// The lines under the peaks table: pools, CronJobs that never fire, suggestions.
    pub(crate) fn summary_text(&self) -> String {
        let mut out = String::new();
        if self.peaks.is_empty() {
            out.push_str(&format!(
                "No CronJob starts between {} and {}.\n",
                self.window.from, self.window.to
            ));
        }
        for p in &self.pools {
            out.push_str(&format!(
                "pool {}: {} node(s), {} CPU, {} memory; peak {} pods, {} CPU, {} memory",
                p.name,
                p.nodes,
                num(p.allocatable_cpu),
                gib(p.allocatable_memory_gib),
                p.peak_pods,
                num(p.peak_cpu),
                gib(p.peak_memory_gib)
            ));
            if p.active_runs > 0 {
                out.push_str(&format!(
                    "; {} run(s) already active hold their pods until their expected end",
                    p.active_runs
                ));
            }
            let other = &p.other_workloads;
            if other.pods > 0 {
                out.push_str(&format!(
                    " (other workloads' {} pod(s) there request {} CPU, {} memory: {} CPU, {} \
                     memory left)",
                    other.pods,
                    num(other.cpu),
                    gib(other.memory_gib),
                    num(p.free_cpu),
                    gib(p.free_memory_gib)
                ));
            }
            if p.over_capacity_minutes > 0 || p.waiting_pods > 0 {
                out.push_str(&format!(
                    "; {} minute(s) over capacity, {} pod(s) would wait (longest {}, from {})",
                    p.over_capacity_minutes,
                    p.waiting_pods,
                    duration::human(p.max_wait_seconds),
                    p.first_pressure.map_or_else(|| "-".to_owned(), |t| t.to_string())
                ));
                if p.never_scheduled_pods > 0 {
                    out.push_str(&format!(
                        ", {} never scheduled in the window",
                        p.never_scheduled_pods
                    ));
                }
            } else {
                out.push_str("; fits");
            }
            out.push('\n');
        }
        for n in &self.never_firing {
            out.push_str(&format!(
                "cronjob {}/{} never fires: {}\n",
                n.namespace, n.name, n.reason
            ));
        }
        if let Some(s) = &self.suggestions {
            out.push_str(&s.text());
        }
        out
    }
}

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn gib(v: f64) -> String {
    format!("{}Gi", num(v))
}

/// `HH:MM` of a minute in UTC, with the date when the window spans days.
fn clock_minute(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M").to_string()
}

impl Report for Forecast {
    fn headers(&self, wide: bool) -> Vec<&'static str> {
        let mut h = vec!["MINUTE (UTC)", "POOL", "STARTS", "PODS", "CPU", "MEMORY", "WAITING"];
        h.push("CAUSED BY");
        if wide {
            h.extend(["CAPACITY CPU", "CAPACITY MEMORY", "OVER CAPACITY"]);
        }
        h
    }

    fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        self.peaks
            .iter()
            .map(|p| {
                let pool = self.pools.iter().find(|x| x.name == p.pool);
                let tone =
                    if p.waiting_pods > 0 || p.over_capacity { Tone::Bad } else { Tone::Plain };
                let mut causes: Vec<String> = p
                    .causes
                    .iter()
                    .filter(|c| c.starts_here)
                    .take(3)
                    .map(|c| c.cronjob.clone())
                    .collect();
                let here = p.causes.iter().filter(|c| c.starts_here).count();
                if here > 3 {
                    causes.push(format!("+{} more", here - 3));
                }
                let mut row: Vec<Cell> = vec![
                    clock_minute(p.minute).into(),
                    p.pool.clone().into(),
                    p.starts.to_string().into(),
                    p.pods.to_string().into(),
                    num(p.cpu).into(),
                    gib(p.memory_gib).into(),
                    Cell::toned(p.waiting_pods.to_string(), tone),
                    causes.join(", ").into(),
                ];
                if wide {
                    row.push(pool.map_or_else(String::new, |x| num(x.free_cpu)).into());
                    row.push(pool.map_or_else(String::new, |x| gib(x.free_memory_gib)).into());
                    row.push(Cell::toned(crate::output::true_false(p.over_capacity), tone));
                }
                row
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.cronjobs
            .iter()
            .filter(|c| c.starts > 0)
            .map(|c| format!("cronjob.batch/{}", c.name))
            .collect()
    }
}

/// Every bucket as rows.
pub(crate) struct BucketTable<'a>(&'a Forecast);

impl Serialize for BucketTable<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.buckets.serialize(s)
    }
}

impl Report for BucketTable<'_> {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        vec![
            "MINUTE",
            "POOL",
            "STARTS",
            "PODS",
            "CPU",
            "MEMORY_GIB",
            "WAITING_PODS",
            "CAPACITY_CPU",
            "CAPACITY_MEMORY_GIB",
            "OVER_CAPACITY",
        ]
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.0
            .buckets
            .iter()
            .map(|b| {
                vec![
                    b.minute.to_string().into(),
                    b.pool.clone().into(),
                    b.starts.to_string().into(),
                    b.pods.to_string().into(),
                    b.cpu.to_string().into(),
                    b.memory_gib.to_string().into(),
                    b.waiting_pods.to_string().into(),
                    b.capacity_cpu.to_string().into(),
                    b.capacity_memory_gib.to_string().into(),
                    crate::output::true_false(b.over_capacity).into(),
                ]
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.0.names()
    }
}

/// Minute `k`'s start (for the charts).
pub(crate) fn minute(report: &Forecast, k: usize) -> Timestamp {
    minute_at(report.window.from, k)
}
