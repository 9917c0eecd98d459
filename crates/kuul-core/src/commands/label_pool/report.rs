//! How `label-pool` prints: the pool listing (one row per pool, problems after the table) and
//! the result of a labelling run (one row per node). JSON shapes are documented in
//! docs/commands/label-pool.md.

use std::fmt::Write as _;

use serde::Serialize;

use super::listing::{CronJobPools, Pool, Problem};
use super::writes::Change;
use crate::bulk::{FailedItem, Stats};
use crate::output::{Cell, Report, Tone};

/// `label-pool --list`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolList {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `PoolList`.
    pub kind: &'static str,
    /// The node label naming pools.
    pub key: String,
    /// The namespace whose CronJobs were considered (`-n`); null: every namespace (the default,
    /// as pools are cluster-wide).
    pub namespace: Option<String>,
    /// Pools by name (`<none>`: nodes without the label).
    pub pools: Vec<Pool>,
    /// CronJobs in scope with their pools and placement verdict.
    pub cronjobs: Vec<CronJobPools>,
    /// Problems found.
    pub problems: Vec<Problem>,
}

fn gib(value: f64) -> String {
    format!("{value:.1}Gi")
}

fn cpu(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Report for PoolList {
    fn headers(&self, wide: bool) -> Vec<&'static str> {
        let mut h = vec!["POOL", "NODES", "READY", "NOT READY", "CORDONED", "CPU", "MEMORY"];
        h.extend(["TAINTS", "CRONJOBS"]);
        if wide {
            h.extend(["NODE NAMES", "CRONJOB NAMES"]);
        }
        h
    }

    fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        self.pools
            .iter()
            .map(|p| {
                let taints: Vec<String> = p.taints.iter().map(ToString::to_string).collect();
                let taints = if taints.is_empty() { "<none>".to_owned() } else { taints.join(",") };
                let not_ready_tone = if p.not_ready_nodes > 0 { Tone::Bad } else { Tone::Plain };
                let cordoned_tone = if p.cordoned_nodes > 0 { Tone::Warning } else { Tone::Plain };
                let cronjobs_tone = if p.cronjobs.is_empty() && p.name != super::listing::NO_POOL {
                    Tone::Warning
                } else {
                    Tone::Plain
                };
                let mut cells: Vec<Cell> = vec![
                    p.name.clone().into(),
                    p.nodes.len().to_string().into(),
                    p.ready_nodes.to_string().into(),
                    Cell::toned(p.not_ready_nodes.to_string(), not_ready_tone),
                    Cell::toned(p.cordoned_nodes.to_string(), cordoned_tone),
                    cpu(p.allocatable_cpu).into(),
                    gib(p.allocatable_memory_gib).into(),
                    taints.into(),
                    Cell::toned(p.cronjobs.len().to_string(), cronjobs_tone),
                ];
                if wide {
                    let names: Vec<&str> = p.nodes.iter().map(|n| n.name.as_str()).collect();
                    cells.push(names.join(",").into());
                    let cjs = if p.cronjobs.is_empty() {
                        "<none>".to_owned()
                    } else {
                        p.cronjobs.join(",")
                    };
                    cells.push(cjs.into());
                }
                cells
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.pools.iter().map(|p| p.name.clone()).collect()
    }
}

impl PoolList {
    /// The lines printed under the table.
    pub(crate) fn problem_text(&self) -> String {
        let mut text = String::new();
        if self.pools.is_empty() {
            text.push_str("No nodes found.\n");
        }
        if let Some(ns) = &self.namespace {
            // Pools serve every namespace: a narrowed check must not read as the whole truth.
            let _ = writeln!(
                text,
                "\nCronJobs of namespace {ns} only (pools serve every namespace; drop -n to \
                 consider them all)"
            );
        }
        if !self.problems.is_empty() {
            text.push_str("\nProblems:\n");
            for p in &self.problems {
                let _ = writeln!(text, "  {}", p.message);
            }
        }
        text
    }
}

/// One node of a labelling run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeChange {
    /// Node name.
    pub name: String,
    /// The planned or made change.
    pub change: Change,
    /// `done`, `planned` (client dry run), `validated` (server dry run), `failed`,
    /// `not-started`, or `skipped` (nothing to write).
    pub result: &'static str,
}

/// `label-pool POOL NODE...`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelResult {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `PoolLabelResult`.
    pub kind: &'static str,
    /// The label key.
    pub key: String,
    /// The pool.
    pub pool: String,
    /// `true` with `--remove`.
    pub remove: bool,
    /// `none`, `client` or `server`.
    pub dry_run: &'static str,
    /// One entry per node, by name.
    pub items: Vec<NodeChange>,
    /// CronJobs (any namespace) that could be placed before the change and cannot after it
    /// (also warned about on stderr).
    pub unplaceable: Vec<Problem>,
    /// Failed nodes with their errors.
    pub failures: Vec<FailedItem>,
    /// What the bulk engine did.
    pub stats: Stats,
}

/// How a change reads in the table.
fn describe(change: &Change, pool: &str, key: &str) -> String {
    match change {
        Change::Label => format!("labelled {key}={pool}"),
        Change::Move { from } => format!("moved from pool {from}"),
        Change::AlreadyInPool => "already in pool".to_owned(),
        Change::Unlabel => format!("removed {key}"),
        Change::NotInPool { pool: Some(other) } => format!("not in pool (in {other}), left alone"),
        Change::NotInPool { pool: None } => "not in any pool, left alone".to_owned(),
    }
}

impl Report for LabelResult {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        vec!["NODE", "CHANGE", "RESULT"]
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.items
            .iter()
            .map(|item| {
                let tone = match item.result {
                    "failed" => Tone::Bad,
                    "not-started" => Tone::Warning,
                    "done" => Tone::Good,
                    _ => Tone::Plain,
                };
                // A dry run says what would happen, never "removed" (issue 13).
                let change = match (&item.change, self.dry_run != "none") {
                    (Change::Label, true) => format!("would label {}={}", self.key, self.pool),
                    (Change::Move { from }, true) => format!("would move from pool {from}"),
                    (Change::Unlabel, true) => format!("would remove {}", self.key),
                    (other, _) => describe(other, &self.pool, &self.key),
                };
                vec![item.name.clone().into(), change.into(), Cell::toned(item.result, tone)]
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.items.iter().map(|i| format!("node/{}", i.name)).collect()
    }
}
