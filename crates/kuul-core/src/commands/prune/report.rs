//! How `prune` prints: the plan table (object, age, why) before anything is deleted, and the
//! JSON document with each object's fate (documented in docs/commands/prune.md).

use jiff::Timestamp;
use serde::Serialize;

use super::plan::{Candidate, ObjectKind};
use crate::bulk::{FailedItem, Stats};
use crate::cluster::ClockSource;
use crate::duration;
use crate::output::{Cell, Report, Tone};

/// What happened to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PruneStatus {
    /// In the plan; nothing sent (`--dry-run=client`, or before the run).
    Planned,
    /// Deleted.
    Deleted,
    /// `--dry-run=server`: the server accepted the delete and stored nothing.
    WouldDelete,
    /// Already gone.
    Gone,
    /// Replaced by a new object of the same name (other uid), or changed so it no longer
    /// qualifies: left alone.
    Skipped,
    /// The delete failed (see `failures`).
    Failed,
    /// Interrupted or out of time before it started: untouched.
    NotStarted,
}

/// One object in the report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneRow {
    /// The object and why it was chosen.
    #[serde(flatten)]
    pub candidate: Candidate,
    /// What happened.
    pub status: PruneStatus,
}

/// Counts per status and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Jobs in the plan.
    pub jobs: usize,
    /// Pods in the plan.
    pub pods: usize,
    /// Deleted.
    pub deleted: usize,
    /// `--dry-run=server`: the deletes the server accepted (nothing deleted).
    pub would_delete: usize,
    /// Already gone.
    pub gone: usize,
    /// Left alone (recreated or no longer qualifying).
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Not started.
    pub not_started: usize,
}

/// The `prune` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `PruneReport`.
    pub kind: &'static str,
    /// The "now" ages were measured at.
    pub observed_at: Timestamp,
    /// Where it came from (`api-server`).
    pub clock: ClockSource,
    /// `none`, `client` or `server`.
    pub dry_run: &'static str,
    /// Counts.
    pub summary: Counts,
    /// Every failed object with its error.
    pub failures: Vec<FailedItem>,
    /// Engine numbers (absent for a plan only).
    pub run: Option<Stats>,
    /// The objects, by namespace, kind, name.
    pub items: Vec<PruneRow>,
    #[serde(skip)]
    show_namespace: bool,
    #[serde(skip)]
    show_status: bool,
}

impl PruneReport {
    /// A report; `run` is `None` for the plan shown before deleting.
    pub(super) fn new(
        observed_at: Timestamp,
        clock: ClockSource,
        dry_run: &'static str,
        show_namespace: bool,
        items: Vec<PruneRow>,
        failures: Vec<FailedItem>,
        run: Option<Stats>,
    ) -> Self {
        let mut summary = Counts::default();
        for row in &items {
            match row.candidate.kind {
                ObjectKind::Job => summary.jobs += 1,
                ObjectKind::Pod => summary.pods += 1,
            }
            match row.status {
                PruneStatus::Planned => {}
                PruneStatus::Deleted => summary.deleted += 1,
                PruneStatus::WouldDelete => summary.would_delete += 1,
                PruneStatus::Gone => summary.gone += 1,
                PruneStatus::Skipped => summary.skipped += 1,
                PruneStatus::Failed => summary.failed += 1,
                PruneStatus::NotStarted => summary.not_started += 1,
            }
        }
        let show_status = run.is_some();
        PruneReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "PruneReport",
            observed_at,
            clock,
            dry_run,
            summary,
            failures,
            run,
            items,
            show_namespace,
            show_status,
        }
    }

    /// Counts.
    pub fn counts(&self) -> &Counts {
        &self.summary
    }
}

impl Report for PruneReport {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        let mut headers = Vec::new();
        if self.show_namespace {
            headers.push("NAMESPACE");
        }
        headers.extend(["OBJECT", "AGE", "WHY"]);
        if self.show_status {
            headers.push("STATUS");
        }
        headers
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.items
            .iter()
            .map(|row| {
                let c = &row.candidate;
                let mut cells: Vec<Cell> = Vec::new();
                if self.show_namespace {
                    cells.push(c.namespace.clone().into());
                }
                let age = c
                    .created
                    .map_or_else(|| "<unknown>".into(), |t| duration::age(t, self.observed_at));
                cells.extend([c.object().into(), age.into(), c.why.clone().into()]);
                if self.show_status {
                    let tone = match row.status {
                        PruneStatus::Deleted => Tone::Good,
                        PruneStatus::Failed => Tone::Bad,
                        PruneStatus::Planned | PruneStatus::WouldDelete => Tone::Plain,
                        _ => Tone::Warning,
                    };
                    let text = serde_json::to_value(row.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    cells.push(Cell::toned(text, tone));
                }
                cells
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.items.iter().map(|row| row.candidate.object()).collect()
    }
}
