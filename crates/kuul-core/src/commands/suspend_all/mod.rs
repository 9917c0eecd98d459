//! `kubectl kuul suspend-all`: suspend every CronJob in scope, saving on each object the
//! `.spec.suspend` it had before, so `resume` restores exactly what was running and a run
//! interrupted half-way loses nothing (see [`state`] for the annotations and every case).
//!
//! One paged list, then one merge patch per CronJob through the bulk engine (`bulk`):
//! `suspend: true` and the saved state together, guarded by `resourceVersion`. CronJobs that
//! already carry saved state are left alone, so running it again only adds CronJobs created since.

mod active;
mod report;
pub(crate) mod select;
pub(crate) mod snapshot;
pub(crate) mod state;

use std::collections::HashMap;
use std::path::PathBuf;

use k8s_openapi::api::batch::v1::CronJob;
use kube::api::Patch;

pub use report::{SuspendAllReport, SuspendResult, SuspendRow};

use crate::bulk::{self, Attempt, BulkArgs, Options, Outcome};
use crate::cli::{DryRun, DryRunArg};
use crate::cluster::Write;
use crate::cluster::annotations::SUSPENDED_AT;
use crate::context::Context;
use crate::error::{ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use snapshot::Snapshot;
use state::{CronJobState, SuspendAction, decide_suspend, suspend_patch};

/// Arguments of `suspend-all`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul suspend-all -n ops --reason 'db migration'   # every CronJob in ops
  kubectl kuul suspend-all -A --save-to before.json         # everywhere, plus a snapshot file
  kubectl kuul suspend-all -l team=data --dry-run           # show what would be suspended
  kubectl kuul suspend-all -n ops --wait --timeout 30m      # then wait for running Jobs
  kubectl kuul suspend-all -n ops --delete-active-jobs      # then stop the running Jobs
  kubectl kuul resume -A                                    # later: restore exactly what ran")]
pub struct Args {
    /// CronJobs to suspend (default: every CronJob in scope)
    #[arg(value_name = "CRONJOB")]
    pub names: Vec<String>,
    /// Why, recorded on each CronJob as kuul.dev/suspend-reason
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Also write the saved state to FILE as JSON (for `resume --from FILE`)
    #[arg(long, value_name = "FILE")]
    pub save_to: Option<PathBuf>,
    /// Then wait until no Job of these CronJobs is running, up to --timeout (0: no limit);
    /// exit 5 if some still run then
    #[arg(long)]
    pub wait: bool,
    /// Then delete the Jobs of these CronJobs that are still running (with their pods)
    #[arg(long)]
    pub delete_active_jobs: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
    #[command(flatten)]
    pub bulk: BulkArgs,
}

/// Runs `suspend-all`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    if let (Some(path), DryRun::None) = (&args.save_to, args.dry_run.dry_run) {
        // The file is written after the patches; a path it cannot be written to must fail the
        // run now, with nothing suspended.
        Snapshot::check_writable(path)?;
    }
    let (cluster, scope, cronjobs) = select::cronjobs(ctx, &args.names).await?;
    let (now, clock) = cluster.now();
    // Whole seconds, as Kubernetes prints timestamps; the same string on every object of the
    // run, which also tells a landed write from a stranger's on a retry.
    let at = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now).to_string();
    let reason = args.reason.as_deref().filter(|r| !r.is_empty());
    let dry_run = args.dry_run.dry_run;
    // Every CronJob in scope, written or not: an already suspended one may still be running.
    let owners: HashMap<String, String> =
        cronjobs.iter().map(|cj| (cj.metadata.uid.clone(), cj.metadata.name.clone())).collect();

    let mut rows: Vec<SuspendRow> = Vec::with_capacity(cronjobs.len());
    let mut writes: Vec<CronJobState> = Vec::new();
    // Saved state after the run, for --save-to: kept CronJobs as listed, written ones as the
    // server returned them.
    let mut saved: Vec<CronJobState> = Vec::new();
    for cj in cronjobs {
        match decide_suspend(&cj) {
            SuspendAction::KeepSaved => {
                rows.push(SuspendRow::new(&cj, SuspendResult::KeptSaved));
                saved.push(cj);
            }
            action if dry_run == DryRun::Client => {
                rows.push(SuspendRow::new(&cj, SuspendResult::planned(action)));
            }
            _ => writes.push(cj),
        }
    }

    let write = if dry_run == DryRun::Server { Write::ServerDryRun } else { Write::Apply };
    // A read-only context: one `forbidden` line before anything is sent.
    let namespaces: Vec<Option<&str>> =
        writes.iter().map(|cj| Some(cj.metadata.namespace.as_str())).collect();
    cluster.require("patch", "batch", "cronjobs", &namespaces).await?;
    let options = Options::new(&args.bulk, ctx.interactive, "suspending CronJobs");
    let mut summary =
        bulk::run(writes, &options, async |listed: &CronJobState, attempt: Attempt| {
            let current = if attempt.is_retry() {
                match select::reread(&cluster, listed).await? {
                    Some(fresh) => fresh,
                    None => return Ok((SuspendResult::Gone, None)),
                }
            } else {
                listed.clone()
            };
            match decide_suspend(&current) {
                SuspendAction::KeepSaved => {
                    // Our own earlier attempt may have landed before its answer was lost.
                    let ours = current.metadata.annotations.get(SUSPENDED_AT) == Some(&at);
                    let result = match (ours, current.saved()) {
                        (true, Some(false)) => SuspendResult::Suspended,
                        (true, _) => SuspendResult::AlreadySuspended,
                        (false, _) => SuspendResult::KeptSaved,
                    };
                    Ok((result, Some(current)))
                }
                action => {
                    let patch = suspend_patch(&current, &at, reason);
                    let ns = Some(current.metadata.namespace.as_str());
                    let patched: CronJobState = cluster
                        .patch::<CronJob, _, _>(
                            ns,
                            &current.metadata.name,
                            &Patch::Merge(&patch),
                            write,
                        )
                        .await?;
                    Ok((SuspendResult::done(action), Some(patched)))
                }
            }
        })
        .await;
    if let Some(forbidden) = summary.all_forbidden() {
        return Err(forbidden);
    }

    for item in &summary.items {
        let result = match &item.outcome {
            Outcome::Done((result, after)) => {
                if let Some(after) = after {
                    saved.push(after.clone());
                }
                // A server dry run changed nothing: its rows say "would", as a client one's do.
                match (dry_run, result) {
                    (DryRun::Server, SuspendResult::Suspended) => SuspendResult::WouldSuspend,
                    (DryRun::Server, SuspendResult::AlreadySuspended) => SuspendResult::WouldRecord,
                    _ => *result,
                }
            }
            Outcome::Failed { .. } | Outcome::Abandoned => SuspendResult::Failed,
            Outcome::NotStarted(_) => SuspendResult::NotStarted,
        };
        rows.push(SuspendRow::new(&item.item, result));
    }
    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    if let (Some(path), DryRun::None) = (&args.save_to, dry_run) {
        saved.sort_by_key(CronJobState::key);
        Snapshot::of(now, saved.iter()).write(path)?;
    }

    let failures = summary.failures(|cj| format!("cronjob.batch/{}", cj.key()));
    let active = if (args.wait || args.delete_active_jobs) && summary.halt.is_none() {
        let plan = active::Plan {
            wait: args.wait,
            delete: args.delete_active_jobs,
            dry_run,
            bulk: &args.bulk,
            interactive: ctx.interactive,
        };
        Some(active::handle(&cluster, scope.namespace(), &owners, &plan).await?)
    } else {
        None
    };
    let mut report = SuspendAllReport::new(
        now,
        clock,
        dry_run,
        reason,
        scope.namespace().is_none(),
        rows,
        failures,
        summary.stats(),
    );
    report.active_jobs = active.as_ref().map(|a| a.report.clone());
    out.print(&report)?;
    if matches!(out.format(), OutputFormat::Table | OutputFormat::Wide) {
        let counts = report.counts();
        let (command, suspended, recorded) = match dry_run {
            DryRun::None => ("suspend-all", "suspended now", "already suspended (kept)"),
            _ => (
                "suspend-all (dry run, nothing changed)",
                "would be suspended",
                "already suspended (would save state)",
            ),
        };
        let text = summary.render(
            command,
            &[
                (counts.suspended, suspended),
                (counts.already_suspended, recorded),
                (counts.kept_saved, "kept their earlier saved state"),
            ],
            |cj| format!("cronjob.batch/{}", cj.key()),
        );
        out.write_str(&text)?;
        if let Some(active) = &active {
            out.write_str(&active.text)?;
        }
    }
    match active {
        Some(active::Done { error: Some(err), .. }) => Err(err),
        Some(active::Done { status: Some(status), .. })
            if summary.exit_status() == ExitStatus::Success =>
        {
            Ok(status)
        }
        _ => Ok(summary.exit_status()),
    }
}
