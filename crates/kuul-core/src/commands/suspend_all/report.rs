//! How `suspend-all` prints: one row per CronJob with what happened to it, and the JSON document
//! (documented in docs/commands/suspend-all.md).

use jiff::Timestamp;
use serde::Serialize;

use super::state::{CronJobState, SuspendAction};
use crate::bulk::{FailedItem, Stats};
use crate::cli::DryRun;
use crate::cluster::ClockSource;
use crate::follow::drain::{ActiveJob, DrainEnd};
use crate::output::{Cell, Report, Tone, true_false};

/// What happened to one CronJob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuspendResult {
    /// It was running; now suspended with `false` saved.
    Suspended,
    /// It was already suspended; `true` saved, so `resume` keeps it suspended.
    AlreadySuspended,
    /// It carried saved state from an earlier run: left alone.
    KeptSaved,
    /// Deleted while we worked.
    Gone,
    /// `--dry-run=client`: would be suspended.
    WouldSuspend,
    /// `--dry-run=client`: already suspended, its state would be saved.
    WouldRecord,
    /// The write failed (see `failures`).
    Failed,
    /// Interrupted or out of time before it started: untouched.
    NotStarted,
}

impl SuspendResult {
    pub(super) fn done(action: SuspendAction) -> Self {
        match action {
            SuspendAction::Suspend => SuspendResult::Suspended,
            SuspendAction::RecordAlreadySuspended => SuspendResult::AlreadySuspended,
            SuspendAction::KeepSaved => SuspendResult::KeptSaved,
        }
    }

    pub(super) fn planned(action: SuspendAction) -> Self {
        match action {
            SuspendAction::Suspend => SuspendResult::WouldSuspend,
            SuspendAction::RecordAlreadySuspended => SuspendResult::WouldRecord,
            SuspendAction::KeepSaved => SuspendResult::KeptSaved,
        }
    }

    fn text(self) -> (&'static str, Tone) {
        match self {
            SuspendResult::Suspended => ("suspended", Tone::Good),
            SuspendResult::AlreadySuspended => ("already suspended (kept)", Tone::Plain),
            SuspendResult::KeptSaved => ("kept (saved state exists)", Tone::Plain),
            SuspendResult::Gone => ("gone (deleted meanwhile)", Tone::Warning),
            SuspendResult::WouldSuspend => ("would suspend", Tone::Plain),
            SuspendResult::WouldRecord => ("already suspended (would save state)", Tone::Plain),
            SuspendResult::Failed => ("failed", Tone::Bad),
            SuspendResult::NotStarted => ("not started (untouched)", Tone::Warning),
        }
    }
}

/// One CronJob in the report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuspendRow {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `.spec.suspend` when listed.
    pub was_suspended: bool,
    /// The saved previous value after the run (`null` when none).
    pub saved_previous_suspend: Option<bool>,
    /// What happened.
    pub result: SuspendResult,
}

impl SuspendRow {
    pub(super) fn new(cj: &CronJobState, result: SuspendResult) -> Self {
        let saved = match result {
            SuspendResult::Suspended => Some(false),
            SuspendResult::AlreadySuspended => Some(true),
            _ => cj.saved(),
        };
        SuspendRow {
            namespace: cj.metadata.namespace.clone(),
            name: cj.metadata.name.clone(),
            was_suspended: cj.suspended(),
            saved_previous_suspend: saved,
            result,
        }
    }
}

/// Counts per result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Suspended by this run (or would be, in a dry run).
    pub suspended: usize,
    /// Already suspended; state saved by this run.
    pub already_suspended: usize,
    /// Left alone: saved state from an earlier run.
    pub kept_saved: usize,
    /// Deleted meanwhile.
    pub gone: usize,
    /// Failed.
    pub failed: usize,
    /// Not started.
    pub not_started: usize,
}

/// The `suspend-all` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuspendAllReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `SuspendAllReport`.
    pub kind: &'static str,
    /// The time written to `kuul.dev/suspended-at`.
    pub suspended_at: Timestamp,
    /// Where it came from (`api-server`).
    pub clock: ClockSource,
    /// `none`, `client` or `server`.
    pub dry_run: &'static str,
    /// `--reason`.
    pub reason: Option<String>,
    /// Counts per result.
    pub summary: Counts,
    /// Every failed CronJob with its error.
    pub failures: Vec<FailedItem>,
    /// Engine numbers: attempts, time, halt.
    pub run: Stats,
    /// One entry per CronJob, by namespace then name.
    pub items: Vec<SuspendRow>,
    /// With `--wait` or `--delete-active-jobs`: the Jobs that were running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_jobs: Option<ActiveJobs>,
    #[serde(skip)]
    show_namespace: bool,
}

/// What `--wait` and `--delete-active-jobs` did with the running Jobs of the CronJobs in scope.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveJobs {
    /// Running when the CronJobs had been suspended.
    pub running_at_start: usize,
    /// Deleted by `--delete-active-jobs` (propagationPolicy Background).
    pub deleted: usize,
    /// A dry run's count of the Jobs `--delete-active-jobs` would delete.
    pub would_delete: usize,
    /// How the wait ended (`drained`, `timedOut`, `interrupted`); null without a wait (or in
    /// a dry run, which waits for nothing).
    pub wait: Option<DrainEnd>,
    /// Seconds waited.
    pub waited_seconds: f64,
    /// Jobs that ended (or were deleted) while waiting.
    pub ended: usize,
    /// Jobs still running at the end (a dry run: running now), by namespace then name.
    pub still_running: Vec<RunningJob>,
}

/// One running Job.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningJob {
    /// Namespace.
    pub namespace: String,
    /// The CronJob that created it.
    pub cronjob: String,
    /// The Job.
    pub job: String,
    /// When it started.
    pub started: Option<Timestamp>,
    /// Seconds it had run, by the cluster's clock.
    pub running_seconds: Option<i64>,
}

impl RunningJob {
    pub(super) fn new(job: &ActiveJob, now: Timestamp) -> Self {
        RunningJob {
            namespace: job.namespace.clone(),
            cronjob: job.cronjob.clone(),
            job: job.name.clone(),
            started: job.started,
            running_seconds: job.running_seconds(now),
        }
    }
}

impl SuspendAllReport {
    /// A report.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        suspended_at: Timestamp,
        clock: ClockSource,
        dry_run: DryRun,
        reason: Option<&str>,
        show_namespace: bool,
        items: Vec<SuspendRow>,
        failures: Vec<FailedItem>,
        run: Stats,
    ) -> Self {
        let mut summary = Counts::default();
        for row in &items {
            match row.result {
                SuspendResult::Suspended | SuspendResult::WouldSuspend => summary.suspended += 1,
                SuspendResult::AlreadySuspended | SuspendResult::WouldRecord => {
                    summary.already_suspended += 1;
                }
                SuspendResult::KeptSaved => summary.kept_saved += 1,
                SuspendResult::Gone => summary.gone += 1,
                SuspendResult::Failed => summary.failed += 1,
                SuspendResult::NotStarted => summary.not_started += 1,
            }
        }
        SuspendAllReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "SuspendAllReport",
            suspended_at,
            clock,
            dry_run: dry_run.as_str(),
            reason: reason.map(str::to_owned),
            summary,
            failures,
            run,
            items,
            active_jobs: None,
            show_namespace,
        }
    }

    /// Counts per result.
    pub fn counts(&self) -> &Counts {
        &self.summary
    }
}

impl Report for SuspendAllReport {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        let mut headers = Vec::new();
        if self.show_namespace {
            headers.push("NAMESPACE");
        }
        headers.extend(["NAME", "WAS SUSPENDED", "SAVED", "RESULT"]);
        headers
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.items
            .iter()
            .map(|row| {
                let mut cells: Vec<Cell> = Vec::new();
                if self.show_namespace {
                    cells.push(row.namespace.clone().into());
                }
                let (text, tone) = row.result.text();
                cells.extend([
                    row.name.clone().into(),
                    true_false(row.was_suspended).into(),
                    row.saved_previous_suspend.map_or("<none>", true_false).into(),
                    Cell::toned(text, tone),
                ]);
                cells
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.items.iter().map(|row| format!("cronjob.batch/{}", row.name)).collect()
    }
}
