//! After suspending: the Jobs still running. `--delete-active-jobs` deletes them (the explicit
//! way to stop them; propagationPolicy Background, so their pods go too), `--wait` waits until
//! none runs ([`crate::follow::drain`]: one list and one watch). A dry run only says what it
//! would delete or wait for.

use std::collections::HashMap;

use k8s_openapi::api::batch::v1::Job;
use kube::api::{DeleteParams, Preconditions};

use super::report::{ActiveJobs, RunningJob};
use crate::bulk::{self, Attempt, BulkArgs, Options, Outcome};
use crate::cli::DryRun;
use crate::cluster::Cluster;
use crate::duration;
use crate::error::{Error, ExitStatus, Result};
use crate::follow::drain::{self, ActiveJob, DrainEnd, DrainOptions};

/// What to do with the running Jobs.
pub(super) struct Plan<'a> {
    pub(super) wait: bool,
    pub(super) delete: bool,
    pub(super) dry_run: DryRun,
    pub(super) bulk: &'a BulkArgs,
    pub(super) interactive: bool,
}

/// What happened, for the report, the table's closing lines and the exit.
pub(super) struct Done {
    pub(super) report: ActiveJobs,
    pub(super) text: String,
    /// Ends the run as exit 5 (timed out) after the report is printed.
    pub(super) error: Option<Error>,
    /// Overrides the writes' exit status (interrupted, partial deletion).
    pub(super) status: Option<ExitStatus>,
}

/// Deletes and/or waits for the running Jobs of `owners` (CronJob uid to name).
pub(super) async fn handle(
    cluster: &Cluster,
    namespace: Option<&str>,
    owners: &HashMap<String, String>,
    plan: &Plan<'_>,
) -> Result<Done> {
    let running = drain::running_jobs(cluster, namespace, owners).await?;
    let now = || cluster.now().0;
    let mut report = ActiveJobs { running_at_start: running.jobs.len(), ..ActiveJobs::default() };
    let mut text = String::new();
    let mut status = None;
    let listing = |jobs: &[ActiveJob]| {
        jobs.iter().map(|j| format!("  {}\n", j.describe(now()))).collect::<String>()
    };
    if running.jobs.is_empty() {
        text.push_str("no Job of these CronJobs is running\n");
        return Ok(Done { report, text, error: None, status });
    }

    if plan.dry_run == DryRun::Client {
        report.still_running = running.jobs.iter().map(|j| RunningJob::new(j, now())).collect();
        let n = running.jobs.len();
        if plan.delete {
            report.would_delete = n;
            text.push_str(&format!("would delete {n} running Job(s) (with their pods):\n"));
        } else {
            text.push_str(&format!("would wait for {n} running Job(s):\n"));
        }
        text.push_str(&listing(&running.jobs));
        return Ok(Done { report, text, error: None, status });
    }

    if plan.delete {
        let namespaces: Vec<Option<&str>> =
            running.jobs.iter().map(|j| Some(j.namespace.as_str())).collect();
        cluster.require("delete", "batch", "jobs", &namespaces).await?;
        let server_dry_run = plan.dry_run == DryRun::Server;
        let options = Options::new(plan.bulk, plan.interactive, "deleting running Jobs");
        let summary =
            bulk::run(running.jobs.clone(), &options, async |job: &ActiveJob, _: Attempt| {
                let params = DeleteParams {
                    dry_run: server_dry_run,
                    preconditions: Some(Preconditions {
                        uid: Some(job.uid.clone()),
                        resource_version: None,
                    }),
                    ..DeleteParams::background()
                };
                match cluster.delete::<Job>(Some(&job.namespace), &job.name, &params).await {
                    // Gone already (it ended and was cleaned up, or our retry's first try
                    // landed): nothing left to stop.
                    Ok(()) | Err(Error::NotFound { .. }) => Ok(()),
                    Err(err) => Err(err),
                }
            })
            .await;
        let deleted =
            summary.items.iter().filter(|i| matches!(i.outcome, Outcome::Done(()))).count();
        let failures = summary.failures(|j| format!("job.batch/{} in {}", j.name, j.namespace));
        if server_dry_run {
            report.would_delete = deleted;
            text.push_str(&format!(
                "would delete {deleted} running Job(s) (with their pods; the server's dry run \
                 accepted them):\n"
            ));
            text.push_str(&listing(&running.jobs));
        } else {
            report.deleted = deleted;
            text.push_str(&format!(
                "deleted {deleted} running Job(s) (propagationPolicy Background: their pods \
                 go too)\n"
            ));
        }
        for failure in &failures {
            text.push_str(&format!("  failed: {}: {}\n", failure.object, failure.error));
        }
        if summary.exit_status() != ExitStatus::Success {
            status = Some(summary.exit_status());
        }
        if server_dry_run {
            report.still_running = running.jobs.iter().map(|j| RunningJob::new(j, now())).collect();
            return Ok(Done { report, text, error: None, status });
        }
        if !plan.wait {
            return Ok(Done { report, text, error: None, status });
        }
    }

    if plan.dry_run == DryRun::Server {
        report.still_running = running.jobs.iter().map(|j| RunningJob::new(j, now())).collect();
        text.push_str(&format!("would wait for {} running Job(s):\n", running.jobs.len()));
        text.push_str(&listing(&running.jobs));
        return Ok(Done { report, text, error: None, status });
    }

    let options = DrainOptions {
        timeout: Some(plan.bulk.timeout).filter(|t| !t.is_zero()),
        live: plan.interactive,
    };
    let drained = drain::wait_until_drained(cluster, namespace, owners, running, &options).await?;
    let waited = duration::human(i64::try_from(drained.waited.as_secs()).unwrap_or(i64::MAX));
    report.wait = Some(drained.end);
    report.waited_seconds = drained.waited.as_secs_f64();
    report.ended = drained.ended;
    report.still_running = drained.still_active.iter().map(|j| RunningJob::new(j, now())).collect();
    let error = match drained.end {
        DrainEnd::Drained => {
            text.push_str(&format!(
                "waited {waited}: all {} running Job(s) ended\n",
                report.running_at_start
            ));
            None
        }
        DrainEnd::Interrupted => {
            text.push_str(&format!(
                "stopped waiting (interrupted) after {waited}; {} Job(s) still running \
                 (the CronJobs stay suspended):\n",
                drained.still_active.len()
            ));
            text.push_str(&listing(&drained.still_active));
            status = Some(ExitStatus::Interrupted);
            None
        }
        DrainEnd::TimedOut => Some(Error::StillRunning {
            after: waited,
            jobs: drained.still_active.iter().map(|j| j.describe(now())).collect(),
        }),
    };
    Ok(Done { report, text, error, status })
}
