//! How `resume` prints: the catch-up warning, one row per CronJob, and the JSON document
//! (documented in docs/commands/resume.md).

use std::fmt::Write as _;

use jiff::Timestamp;
use serde::Serialize;

use super::catch_up::CatchUp;
use crate::bulk::{FailedItem, Stats};
use crate::cli::DryRun;
use crate::cluster::ClockSource;
use crate::commands::suspend_all::snapshot::SnapshotItem;
use crate::commands::suspend_all::state::{CronJobState, ResumeAction};
use crate::duration;
use crate::output::{Cell, Report, Tone, true_false};

/// Whether a row's action happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResumeStatus {
    /// Done (or validated, with `--dry-run=server`).
    Done,
    /// `--dry-run=client`: would be done.
    Planned,
    /// No request needed.
    NothingToDo,
    /// The saved state vanished before we got to it (another `resume` or a hand edit): untouched.
    StateCleared,
    /// Deleted (or, with `--from`, missing).
    Gone,
    /// `--from`: a CronJob of that name exists but is not the one in the snapshot (other uid).
    Recreated,
    /// `--from`: changed since the snapshot (suspended again, spec edited): left alone unless
    /// `--force` (see `reason`).
    Stale,
    /// The write failed (see `failures`).
    Failed,
    /// Interrupted or out of time before it started: untouched.
    NotStarted,
}

/// One CronJob in the report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResumeRow {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The saved previous `.spec.suspend` (`null` when none).
    pub saved_previous_suspend: Option<bool>,
    /// `.spec.suspend` when listed (`null` when the CronJob is missing).
    pub was_suspended: Option<bool>,
    /// What `resume` decided.
    pub(crate) action: ResumeAction,
    /// Whether it happened.
    pub status: ResumeStatus,
    /// Why it was left alone (`stale`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ResumeRow {
    pub(super) fn new(cj: &CronJobState, action: ResumeAction, status: ResumeStatus) -> Self {
        ResumeRow {
            namespace: cj.metadata.namespace.clone(),
            name: cj.metadata.name.clone(),
            saved_previous_suspend: cj.saved(),
            was_suspended: Some(cj.suspended()),
            action,
            status,
            reason: None,
        }
    }

    pub(super) fn because(mut self, reason: String) -> Self {
        self.reason = Some(reason);
        self
    }

    pub(super) fn missing(item: &SnapshotItem, status: ResumeStatus) -> Self {
        ResumeRow {
            namespace: item.namespace.clone(),
            name: item.name.clone(),
            saved_previous_suspend: Some(item.previous_suspend),
            was_suspended: None,
            action: ResumeAction::NothingToDo,
            status,
            reason: None,
        }
    }

    fn result_text(&self) -> (String, Tone) {
        let action = match self.action {
            ResumeAction::Resume => "resume",
            ResumeAction::KeepSuspended => "keep suspended (was suspended before)",
            ResumeAction::AlreadyRunning => "already running: clear saved state",
            ResumeAction::KeepHumanResume => {
                "resumed by hand since: keep running, clear saved state"
            }
            ResumeAction::ResumeNamed => "resume (no saved state)",
            ResumeAction::NothingToDo => "not suspended: nothing to do",
        };
        match self.status {
            ResumeStatus::NothingToDo => match self.action {
                ResumeAction::AlreadyRunning | ResumeAction::KeepHumanResume => {
                    ("already running: nothing to do".into(), Tone::Plain)
                }
                ResumeAction::KeepSuspended => {
                    ("suspended before: stays suspended, nothing to do".into(), Tone::Plain)
                }
                _ => (action.to_owned(), Tone::Plain),
            },
            ResumeStatus::Done => {
                let tone = match self.action {
                    ResumeAction::Resume | ResumeAction::ResumeNamed => Tone::Good,
                    ResumeAction::KeepHumanResume => Tone::Warning,
                    _ => Tone::Plain,
                };
                (action.to_owned(), tone)
            }
            ResumeStatus::Planned => {
                let planned = match self.action {
                    ResumeAction::AlreadyRunning => "already running: would clear saved state",
                    ResumeAction::KeepHumanResume => {
                        "resumed by hand since: would keep running, clear saved state"
                    }
                    _ => return (format!("would {action}"), Tone::Plain),
                };
                (planned.to_owned(), Tone::Plain)
            }
            ResumeStatus::StateCleared => {
                ("saved state removed meanwhile: left alone".into(), Tone::Warning)
            }
            ResumeStatus::Gone => ("gone".into(), Tone::Warning),
            ResumeStatus::Recreated => {
                ("recreated since the snapshot (other uid): left alone".into(), Tone::Warning)
            }
            ResumeStatus::Stale => (
                format!(
                    "{}: left alone (--force restores it)",
                    self.reason.as_deref().unwrap_or("changed since the snapshot")
                ),
                Tone::Warning,
            ),
            ResumeStatus::Failed => (format!("failed to {action}"), Tone::Bad),
            ResumeStatus::NotStarted => ("not started (untouched)".into(), Tone::Warning),
        }
    }
}

/// Counts of what happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Unsuspended (or would be).
    pub resumed: usize,
    /// Saved `true`: stay suspended.
    pub kept_suspended: usize,
    /// A human resumed them since: kept running.
    pub kept_human: usize,
    /// Saved `false`, already running: state cleared.
    pub already_running: usize,
    /// Nothing to do, cleared meanwhile, gone or recreated.
    pub untouched: usize,
    /// `--from`: changed since the snapshot, left alone.
    pub stale: usize,
    /// Failed.
    pub failed: usize,
    /// Not started.
    pub not_started: usize,
}

/// The `resume` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResumeReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `ResumeReport`.
    pub kind: &'static str,
    /// The "now" catch-up runs were computed at.
    pub observed_at: Timestamp,
    /// Where it came from (`api-server`).
    pub clock: ClockSource,
    /// `none`, `client` or `server`.
    pub dry_run: &'static str,
    /// Counts.
    pub summary: Counts,
    /// CronJobs that start a run as soon as they are unsuspended.
    pub catch_up: Vec<CatchUp>,
    /// Every failed CronJob with its error.
    pub failures: Vec<FailedItem>,
    /// Engine numbers.
    pub run: Stats,
    /// One entry per CronJob, by namespace then name.
    pub items: Vec<ResumeRow>,
    #[serde(skip)]
    show_namespace: bool,
}

impl ResumeReport {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        observed_at: Timestamp,
        clock: ClockSource,
        dry_run: DryRun,
        show_namespace: bool,
        items: Vec<ResumeRow>,
        catch_up: Vec<CatchUp>,
        failures: Vec<FailedItem>,
        run: Stats,
    ) -> Self {
        let mut summary = Counts::default();
        for row in &items {
            match (row.status, row.action) {
                (ResumeStatus::Failed, _) => summary.failed += 1,
                (ResumeStatus::NotStarted, _) => summary.not_started += 1,
                (ResumeStatus::Stale, _) => summary.stale += 1,
                (ResumeStatus::Done | ResumeStatus::Planned, ResumeAction::Resume)
                | (ResumeStatus::Done | ResumeStatus::Planned, ResumeAction::ResumeNamed) => {
                    summary.resumed += 1;
                }
                (ResumeStatus::Done | ResumeStatus::Planned, ResumeAction::KeepSuspended) => {
                    summary.kept_suspended += 1;
                }
                (ResumeStatus::Done | ResumeStatus::Planned, ResumeAction::KeepHumanResume) => {
                    summary.kept_human += 1;
                }
                (ResumeStatus::Done | ResumeStatus::Planned, ResumeAction::AlreadyRunning) => {
                    summary.already_running += 1;
                }
                _ => summary.untouched += 1,
            }
        }
        ResumeReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "ResumeReport",
            observed_at,
            clock,
            dry_run: dry_run.as_str(),
            summary,
            catch_up,
            failures,
            run,
            items,
            show_namespace,
        }
    }

    /// Counts.
    pub fn counts(&self) -> &Counts {
        &self.summary
    }
}

impl Report for ResumeReport {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        let mut headers = Vec::new();
        headers.extend(["NAME", "SAVED", "WAS SUSPENDED", "RESULT"]);
        headers
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.items
            .iter()
            .map(|row| {
                let mut cells: Vec<Cell> = Vec::new();
                let (text, tone) = row.result_text();
                cells.extend([
                    row.name.clone().into(),
                    row.saved_previous_suspend.map_or("<none>", true_false).into(),
                    row.was_suspended.map_or("<none>", true_false).into(),
                    Cell::toned(text, tone),
                ]);
                cells
            })
            .collect()
    }

    fn row_namespaces(&self) -> Option<Vec<String>> {
        self.show_namespace.then(|| self.items.iter().map(|r| r.namespace.clone()).collect())
    }

    fn names(&self) -> Vec<String> {
        self.items.iter().map(|row| format!("cronjob.batch/{}", row.name)).collect()
    }
}

/// The warning printed before resuming: which CronJobs start a run at once, and for when.
pub(super) fn catch_up_warning(
    runs: &[CatchUp],
    now: Timestamp,
    show_namespace: bool,
    dry_run: DryRun,
) -> String {
    let will = if dry_run == DryRun::None { "will" } else { "would" };
    let mut text = format!(
        "Warning: {} CronJob(s) {will} start a run as soon as they are resumed (a schedule \
         passed while suspended and no startingDeadlineSeconds excludes it):\n",
        runs.len()
    );
    for run in runs {
        let name = if show_namespace {
            format!("{}/{}", run.namespace, run.name)
        } else {
            run.name.clone()
        };
        let _ = writeln!(
            text,
            "  {name}: run for {} ({} ago)",
            run.scheduled_time,
            duration::age(run.scheduled_time, now)
        );
    }
    text
}
