//! How `cost-report` prints: the JSON document (documented in docs/commands/cost-report.md)
//! and one table per `--by` grouping. Money in tables and CSV has fixed decimals: six for the
//! cost of one run (a short job costs millionths), four for everything else; JSON numbers are
//! not rounded.

use jiff::Timestamp;
use serde::Serialize;

use super::analysis::{Analysis, CronJobCost, GroupCost, PoolUsage};
use super::prices::Rates;
use crate::cluster::ClockSource;
use crate::duration;
use crate::output::{Cell, Report, Tone};

/// What the table rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// One row per CronJob.
    Cronjob,
    /// One row per namespace.
    Namespace,
    /// One row per node pool, with the pool's node cost and utilisation.
    Pool,
}

/// The window the observed figures cover.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// Start (now - `--window`).
    pub start: Timestamp,
    /// End (now).
    pub end: Timestamp,
    /// Length in seconds.
    pub seconds: i64,
}

/// The projection period.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    /// From now...
    pub from: Timestamp,
    /// ...to now + 30 days.
    pub to: Timestamp,
    /// Always 30.
    pub days: u32,
}

/// The prices in effect.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceInfo {
    /// Rates where no pool or instance-type entry applies.
    pub defaults: Rates,
    /// The `--prices` file, if any.
    pub file: Option<String>,
}

/// The `cost-report` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `CostReport`.
    pub kind: &'static str,
    /// The "now" every figure uses.
    pub observed_at: Timestamp,
    /// Where `observedAt` came from.
    pub clock: ClockSource,
    /// The grouping the table shows.
    pub by: By,
    /// The observation window.
    pub window: Window,
    /// The projection period.
    pub projection: Projection,
    /// The prices used.
    pub prices: PriceInfo,
    /// The node label naming a node's pool.
    pub pool_label: String,
    /// Per CronJob, by namespace then name.
    pub items: Vec<CronJobCost>,
    /// Totals per namespace.
    pub namespaces: Vec<GroupCost>,
    /// Totals per pool (of the nodes the pods ran on).
    pub pools: Vec<GroupCost>,
    /// Each labelled pool's node cost against what the jobs used in the window.
    pub pool_usage: Vec<PoolUsage>,
    /// Everything in scope.
    pub total: GroupCost,
    /// Things that limit the figures (e.g. nodes not readable).
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub(crate) show_namespace: bool,
}

impl CostReport {
    /// Assembles the report.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        analysis: Analysis,
        observed_at: Timestamp,
        clock: ClockSource,
        by: By,
        window: Window,
        prices: PriceInfo,
        pool_label: String,
        warnings: Vec<String>,
        show_namespace: bool,
    ) -> Self {
        let to = observed_at.checked_add(super::analysis::PROJECTION).unwrap_or(Timestamp::MAX);
        CostReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "CostReport",
            observed_at,
            clock,
            by,
            window,
            projection: Projection { from: observed_at, to, days: 30 },
            prices,
            pool_label,
            items: analysis.items,
            namespaces: analysis.namespaces,
            pools: analysis.pools,
            pool_usage: analysis.pool_usage,
            total: analysis.total,
            warnings,
            show_namespace,
        }
    }
}

/// Money with four fixed decimals.
pub(crate) fn money(value: f64) -> String {
    format!("{value:.4}")
}

/// The cost of one run, with six fixed decimals: a 30-second job with small requests costs
/// millionths, which four decimals would print as 0.0000.
fn money_per_run(value: Option<f64>) -> String {
    value.map_or_else(|| "<none>".to_owned(), |v| format!("{v:.6}"))
}

fn money_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| "<none>".to_owned(), money)
}

fn count_or_none(value: Option<u64>) -> String {
    value.map_or_else(|| "<none>".to_owned(), |v| v.to_string())
}

/// `3/5`: runs with pod data out of runs observed, the basis of the per-run figures.
fn runs(costed: u64, observed: u64) -> String {
    format!("{costed}/{observed}")
}

impl Report for CostReport {
    fn headers(&self, wide: bool) -> Vec<&'static str> {
        match self.by {
            By::Cronjob => {
                let mut h = Vec::new();
                h.extend(["NAME", "POOL", "RUNS", "AVG DURATION", "COST/RUN", "OBSERVED"]);
                h.extend(["RUNS/MONTH", "MONTHLY"]);
                if wide {
                    h.extend(["SCHEDULE", "TIMEZONE", "CPU", "MEMORY(GiB)", "GPU", "NOTE"]);
                }
                h
            }
            By::Namespace => {
                vec!["NAMESPACE", "CRONJOBS", "RUNS", "OBSERVED", "MONTHLY", "UNPROJECTED"]
            }
            By::Pool => {
                let mut h = vec!["POOL", "CRONJOBS", "RUNS", "OBSERVED", "MONTHLY"];
                h.extend(["NODES", "NODE COST", "UTILISATION", "IDLE"]);
                if wide {
                    h.extend(["NODE $/HOUR", "NODE HOURS", "UNPROJECTED"]);
                }
                h
            }
        }
    }

    fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        match self.by {
            By::Cronjob => self.items.iter().map(|item| self.cronjob_row(item, wide)).collect(),
            By::Namespace => self
                .namespaces
                .iter()
                .map(|g| {
                    vec![
                        g.name.clone().into(),
                        g.cronjobs.to_string().into(),
                        runs(g.runs_costed, g.runs_observed).into(),
                        money(g.observed_cost).into(),
                        money(g.projected_monthly_cost).into(),
                        g.cronjobs_without_projection.to_string().into(),
                    ]
                })
                .collect(),
            By::Pool => self.pool_rows(wide),
        }
    }

    fn row_namespaces(&self) -> Option<Vec<String>> {
        (self.show_namespace && matches!(self.by, By::Cronjob))
            .then(|| self.items.iter().map(|i| i.namespace.clone()).collect())
    }

    fn names(&self) -> Vec<String> {
        match self.by {
            By::Cronjob => self.items.iter().map(|i| format!("cronjob.batch/{}", i.name)).collect(),
            By::Namespace => {
                self.namespaces.iter().map(|g| format!("namespace/{}", g.name)).collect()
            }
            By::Pool => self.pool_names(),
        }
    }
}

impl CostReport {
    fn cronjob_row(&self, item: &CronJobCost, wide: bool) -> Vec<Cell> {
        let mut cells: Vec<Cell> = Vec::new();
        let pools = if item.pools.is_empty() { "<none>".to_owned() } else { item.pools.join(",") };
        let runs_tone = if item.runs_costed == 0 { Tone::Warning } else { Tone::Plain };
        let took = item
            .average_duration_seconds
            .map_or_else(|| "<none>".to_owned(), |s| duration::human(s.round() as i64));
        cells.extend([
            item.name.clone().into(),
            pools.into(),
            Cell::toned(runs(item.runs_costed, item.runs_observed), runs_tone),
            took.into(),
            money_per_run(item.cost_per_run).into(),
            money(item.observed_cost).into(),
            count_or_none(item.runs_per_month).into(),
            money_or_none(item.projected_monthly_cost).into(),
        ]);
        if wide {
            let req = item.requests;
            let amount =
                |v: Option<f64>| v.map_or_else(|| "<none>".to_owned(), |v| format!("{v:.3}"));
            cells.extend([
                item.schedule.clone().into(),
                item.time_zone.clone().unwrap_or_else(|| "<none>".into()).into(),
                amount(req.map(|r| r.cpu)).into(),
                amount(req.map(|r| r.memory_gib)).into(),
                amount(req.map(|r| r.gpu)).into(),
                item.note.clone().unwrap_or_else(|| "-".into()).into(),
            ]);
        }
        cells
    }

    /// Pool names from both the job totals and the node usage.
    fn pool_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .pools
            .iter()
            .map(|g| g.name.clone())
            .chain(self.pool_usage.iter().map(|u| u.name.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn pool_rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        self.pool_names()
            .into_iter()
            .map(|name| {
                let empty = GroupCost { name: name.clone(), ..GroupCost::default() };
                let g = self.pools.iter().find(|g| g.name == name).unwrap_or(&empty);
                let usage = self.pool_usage.iter().find(|u| u.name == name);
                let none = || Cell::from("<none>");
                let mut cells: Vec<Cell> = vec![
                    name.clone().into(),
                    g.cronjobs.to_string().into(),
                    runs(g.runs_costed, g.runs_observed).into(),
                    money(g.observed_cost).into(),
                    money(g.projected_monthly_cost).into(),
                ];
                match usage {
                    Some(u) => {
                        let (text, tone) = match u.utilisation_percent {
                            Some(p) => (
                                format!("{p:.1}%"),
                                if p < 10.0 { Tone::Warning } else { Tone::Plain },
                            ),
                            None => ("<none>".to_owned(), Tone::Plain),
                        };
                        cells.extend([
                            u.nodes.to_string().into(),
                            money(u.node_cost).into(),
                            Cell::toned(text, tone),
                            money(u.idle_cost).into(),
                        ]);
                    }
                    None => cells.extend([none(), none(), none(), none()]),
                }
                if wide {
                    match usage {
                        Some(u) => cells.extend([
                            money(u.node_price_per_hour).into(),
                            format!("{:.2}", u.node_hours).into(),
                        ]),
                        None => cells.extend([none(), none()]),
                    }
                    cells.push(g.cronjobs_without_projection.to_string().into());
                }
                cells
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::cost_report::analysis::TOTAL;
    use crate::output::Printer;

    fn report(by: By, show_namespace: bool) -> CostReport {
        let now: Timestamp = "2025-03-01T10:00:00Z".parse().unwrap();
        let item = CronJobCost {
            namespace: "ops".into(),
            name: "backup".into(),
            schedule: "*/10 * * * *".into(),
            time_zone: None,
            suspended: false,
            pools: vec!["batch".into()],
            runs_observed: 3,
            runs_costed: 2,
            average_duration_seconds: Some(125.4),
            requests: None,
            cost_per_run: Some(0.000_833_333),
            observed_cost: 0.001_666_666,
            runs_per_month: Some(4320),
            projected_monthly_cost: Some(3.599_998),
            note: None,
            cost_by_pool: std::collections::BTreeMap::new(),
        };
        let analysis = Analysis {
            items: vec![item],
            total: GroupCost { name: TOTAL.into(), ..GroupCost::default() },
            ..Analysis::default()
        };
        let window = Window { start: now, end: now, seconds: 0 };
        let prices =
            PriceInfo { defaults: Rates { cpu: 0.04, memory: 0.005, gpu: 0.95 }, file: None };
        CostReport::new(
            analysis,
            now,
            ClockSource::ApiServer,
            by,
            window,
            prices,
            "kuul.dev/pool".into(),
            Vec::new(),
            show_namespace,
        )
    }

    fn render(report: &CostReport, format: &str) -> String {
        let mut buf = Vec::new();
        Printer::new(&mut buf, format.parse().unwrap(), false, false).print(report).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn tables_print_money_with_four_decimals_and_runs_as_costed_over_observed() {
        let text = render(&report(By::Cronjob, true), "table");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split("   ").map(str::trim).collect();
        assert_eq!(header[..3], ["NAMESPACE", "NAME", "POOL"]);
        let row = lines.next().unwrap();
        for cell in ["ops", "backup", "batch", "2/3", "2m5s", "0.0008", "0.0017", "4320", "3.6000"]
        {
            assert!(row.contains(cell), "{cell} missing in {row}");
        }
    }

    #[test]
    fn json_numbers_are_not_rounded() {
        let json: serde_json::Value =
            serde_json::from_str(&render(&report(By::Cronjob, false), "json")).unwrap();
        assert_eq!(json["items"][0]["costPerRun"], 0.000_833_333);
        assert_eq!(json["items"][0]["projectedMonthlyCost"], 3.599_998);
        assert_eq!(json["kind"], "CostReport");
        assert_eq!(json["projection"]["days"], 30);
    }

    #[test]
    fn csv_is_the_wide_table() {
        let text = render(&report(By::Cronjob, false), "csv");
        assert!(text.starts_with(
            "NAME,POOL,RUNS,AVG DURATION,COST/RUN,OBSERVED,RUNS/MONTH,MONTHLY,SCHEDULE,"
        ));
        assert!(
            text.contains("backup,batch,2/3,2m5s,0.000833,0.0017,4320,3.6000,*/10 * * * *,<none>,"),
            "{text}"
        );
    }
}
