//! `kubectl kuul lastrun`: per CronJob, the last schedule, last success, last result and
//! duration, active runs, next run, and a verdict; `--check` exits 4 for monitors.
//!
//! Two paged list calls whatever the number of CronJobs (CronJobs and Jobs in scope, fetched
//! concurrently); every verdict uses the API server's clock.

mod analysis;
pub(crate) mod facts;
mod report;

use std::collections::HashMap;

use k8s_openapi::api::batch::v1::{CronJob, Job};

pub(crate) use analysis::analyse;
pub use analysis::{LastRun, RunResult, RunSummary, Verdict};
pub use report::LastRunReport;

use crate::cluster::ListOptions;
use crate::cluster::lookup::missing_cronjob;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::Printer;
use facts::{CronJobFacts, JobFacts};

/// Arguments of `lastrun`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul lastrun                    # CronJobs in the current namespace
  kubectl kuul lastrun -A --check         # exit 4 if any CronJob is MISSED, FAILING or BROKEN
                                          # (or if there is no CronJob to check)
  kubectl kuul lastrun nightly-backup -o json
  kubectl kuul lastrun -A -o jsonpath='{.items[?(@.verdict==\"MISSED\")].name}'")]
pub struct Args {
    /// CronJobs to show (default: all in scope)
    #[arg(value_name = "CRONJOB")]
    pub names: Vec<String>,
    /// Exit with status 4 when any CronJob is MISSED, FAILING or BROKEN
    #[arg(long)]
    pub check: bool,
    /// With --check: pass when there is no CronJob to check (by default an empty scope fails
    /// with status 4: a monitor that checked nothing must not report healthy)
    #[arg(long, requires = "check")]
    pub allow_empty: bool,
}

/// Runs `lastrun`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    let cluster = &ctx.connection().await?.cluster;
    let namespace = scope.namespace();
    let cronjob_options = ListOptions { label_selector: selector, field_selector: None };
    let every_job = ListOptions::default();
    let (cronjobs, jobs) = tokio::try_join!(
        cluster.list::<CronJob, CronJobFacts>(namespace, &cronjob_options),
        cluster.list::<Job, JobFacts>(namespace, &every_job),
    )?;
    let (now, clock) = cluster.now();

    let existing: Vec<&str> = cronjobs.iter().map(|cj| cj.metadata.name.as_str()).collect();
    let missing = missing_cronjob(&args.names, &existing, namespace);
    let wanted =
        |cj: &CronJobFacts| args.names.is_empty() || args.names.contains(&cj.metadata.name);
    let mut jobs_by_owner: HashMap<&str, Vec<&JobFacts>> = HashMap::new();
    for job in &jobs {
        if let Some(uid) = job.metadata.controller_uid() {
            jobs_by_owner.entry(uid).or_default().push(job);
        }
    }
    let mut items: Vec<LastRun> = cronjobs
        .iter()
        .filter(|cj| wanted(cj))
        .map(|cj| {
            let owned = jobs_by_owner.get(cj.metadata.uid.as_str()).map_or(&[][..], Vec::as_slice);
            analysis::analyse(cj, owned, now)
        })
        .collect();
    items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    let report = LastRunReport::new(now, clock, namespace.is_none(), items);
    if !(report.items.is_empty() && missing.is_some()) {
        out.print(&report)?;
    }
    if let Some(err) = missing {
        return Err(
            filtered_out(cluster, namespace, err, ctx.kube_args().selector.as_deref()).await
        );
    }
    if report.items.is_empty() {
        if args.check && !args.allow_empty {
            return Err(Error::NothingToCheck { namespace: namespace.map(str::to_owned) });
        }
        crate::notice::no_resources(namespace);
    }
    if args.check && report.items.iter().any(|row| row.verdict.needs_attention()) {
        return Ok(ExitStatus::CheckFailed);
    }
    Ok(ExitStatus::Success)
}

/// A named CronJob missing from a list narrowed by `-l` may exist and merely not match: say so
/// (one GET), rather than "not found" for a CronJob the user can see.
async fn filtered_out(
    cluster: &crate::cluster::Cluster,
    namespace: Option<&str>,
    err: Error,
    selector: Option<&str>,
) -> Error {
    let (Error::NotFound { name, .. }, Some(selector)) = (&err, selector) else { return err };
    match cluster.get::<CronJob, CronJobFacts>(namespace, name).await {
        Ok(_) => Error::Usage(format!(
            "cronjob \"{name}\" exists but does not match -l {selector}: drop -l, or the name"
        )),
        Err(_) => err,
    }
}
