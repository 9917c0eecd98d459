//! `kubectl kuul prune`: delete finished Jobs (with their pods) and stray pods by age, result,
//! manual-vs-scheduled, orphanhood and keep-last-N. Shows the plan first, asks once on a
//! terminal, refuses without one unless `--yes`; never touches a running Job.
//!
//! Three paged lists (CronJobs, Jobs, and Pods with `--pods`), a pure [`plan`], then one DELETE
//! per object through the bulk engine: `propagationPolicy: Background` (the Job API's default
//! for a bare DELETE orphans the pods, `pkg/registry/batch/job/strategy.go`
//! `DefaultGarbageCollectionPolicy`), with `preconditions: {uid, resourceVersion}` so an object
//! recreated or changed since the list is re-checked instead of deleted blindly.

mod facts;
mod plan;
mod report;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::time::Duration;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, Preconditions};

pub use plan::{Candidate, ObjectKind};
pub use report::{PruneReport, PruneRow, PruneStatus};

use crate::bulk::{self, Attempt, BulkArgs, Options, Outcome};
use crate::cli::{DryRun, DryRunArg};
use crate::cluster::{Cluster, ListOptions};
use crate::confirm::confirm;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use facts::{CronJobRef, JobFacts, PodFacts};
use plan::Criteria;

/// Arguments of `prune`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Job flags narrow together (AND); --pods adds stray pods.

Examples:
  kubectl kuul prune -n ops --older-than 7d --dry-run     # show the plan only
  kubectl kuul prune -A --failed --older-than 1d --yes    # failed Jobs older than a day
  kubectl kuul prune -n ops --keep-last 3                 # keep each CronJob's newest 3
  kubectl kuul prune -n ops --manual --succeeded          # finished manual runs
  kubectl kuul prune -n ops --orphans --pods --yes        # Jobs of deleted CronJobs, stray pods")]
pub struct Args {
    /// Only Jobs (and pods) that finished longer ago than this, e.g. 36h, 7d
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse,
          allow_hyphen_values = true)]
    pub older_than: Option<Duration>,
    /// Only Jobs that succeeded
    #[arg(long)]
    pub succeeded: bool,
    /// Only Jobs that failed
    #[arg(long)]
    pub failed: bool,
    /// Only manual runs (kubectl's cronjob.kubernetes.io/instantiate=manual, or k9s' -manual- names)
    #[arg(long)]
    pub manual: bool,
    /// Keep the newest N finished Jobs of each CronJob; prune the rest
    #[arg(long, value_name = "N")]
    pub keep_last: Option<usize>,
    /// Only Jobs whose CronJob no longer exists
    #[arg(long)]
    pub orphans: bool,
    /// Also delete Succeeded/Failed pods that no live Job owns
    #[arg(long, conflicts_with = "cronjob")]
    pub pods: bool,
    /// Only Jobs of this CronJob (by owner reference); narrows the other Job flags
    #[arg(long, value_name = "NAME", conflicts_with = "orphans")]
    pub cronjob: Option<String>,
    /// Delete without asking
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
    #[command(flatten)]
    pub bulk: BulkArgs,
}

impl Args {
    fn criteria(&self) -> Criteria {
        Criteria {
            older_than: self.older_than,
            succeeded: self.succeeded,
            failed: self.failed,
            manual: self.manual,
            keep_last: self.keep_last,
            orphans: self.orphans,
            pods: self.pods,
            cronjob: self.cronjob.clone(),
        }
    }
}

/// What one delete achieved.
#[derive(Debug, Clone, Copy)]
enum Done {
    Deleted,
    Gone,
    Skipped,
}

/// Runs `prune`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    let criteria = args.criteria();
    if !criteria.selects_jobs() && !criteria.pods {
        return Err(Error::Usage(
            "say what to prune: --older-than, --succeeded, --failed, --manual, --keep-last, \
             --orphans and/or --pods"
                .into(),
        ));
    }
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    let namespace = scope.namespace();
    let cluster = ctx.connection().await?.cluster.clone();
    let selected = ListOptions { label_selector: selector, field_selector: None };
    let list_pods = async {
        if criteria.pods {
            cluster.list::<Pod, PodFacts>(namespace, &selected).await
        } else {
            Ok(Vec::new())
        }
    };
    let every = ListOptions::default();
    let (cronjobs, jobs, pods) = tokio::try_join!(
        cluster.list::<CronJob, CronJobRef>(namespace, &every),
        cluster.list::<Job, JobFacts>(namespace, &selected),
        list_pods,
    )?;
    let (now, clock) = cluster.now();
    let live: HashSet<&str> = cronjobs.iter().map(|c| c.metadata.uid.as_str()).collect();
    if jobs.is_empty() && pods.is_empty() {
        crate::notice::no_resources(namespace);
    }
    let candidates = plan::plan(&jobs, &pods, &live, &criteria, now);
    drop((cronjobs, jobs, pods));

    let dry_run = args.dry_run.dry_run;
    let table = matches!(out.format(), OutputFormat::Table | OutputFormat::Wide);
    let show_namespace = namespace.is_none();
    let planned: Vec<PruneRow> = candidates
        .iter()
        .map(|c| PruneRow { candidate: c.clone(), status: PruneStatus::Planned })
        .collect();
    let plan_report = |run| {
        PruneReport::new(
            now,
            clock,
            dry_run.as_str(),
            show_namespace,
            planned.clone(),
            Vec::new(),
            run,
        )
    };
    if candidates.is_empty() {
        if table {
            out.write_str("prune: nothing matches; nothing to delete\n")?;
        } else {
            out.print(&plan_report(None))?;
        }
        return Ok(ExitStatus::Success);
    }
    if dry_run != DryRun::Client {
        // A read-only context: one `forbidden` line, before the plan, the question and
        // anything sent.
        for (kind, group, resource) in
            [(ObjectKind::Job, "batch", "jobs"), (ObjectKind::Pod, "", "pods")]
        {
            let namespaces: Vec<Option<&str>> = candidates
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| Some(c.namespace.as_str()))
                .collect();
            cluster.require("delete", group, resource, &namespaces).await?;
        }
    }
    if table || dry_run == DryRun::Client {
        out.print(&plan_report(None))?;
    }
    if dry_run == DryRun::Client {
        if table {
            // The plan's summary says "would", as every dry run does (issue 13).
            let jobs = candidates.iter().filter(|c| c.kind == ObjectKind::Job).count();
            out.write_str(&format!(
                "prune (dry run, nothing changed): {jobs} Job(s) (with their pods) and {} \
                 pod(s) would be deleted\n",
                candidates.len() - jobs
            ))?;
        }
        return Ok(ExitStatus::Success);
    }
    if dry_run == DryRun::None {
        let jobs = candidates.iter().filter(|c| c.kind == ObjectKind::Job).count();
        let question = format!(
            "delete {jobs} Job(s) (with their pods) and {} pod(s)?",
            candidates.len() - jobs
        );
        if !confirm(ctx, &question, args.yes).await? {
            out.write_str("prune: nothing deleted\n")?;
            return Ok(ExitStatus::Error);
        }
    }

    let server_dry_run = dry_run == DryRun::Server;
    let options = Options::new(&args.bulk, ctx.interactive, "deleting");
    let mut summary = bulk::run(candidates, &options, async |c: &Candidate, attempt: Attempt| {
        delete(&cluster, c, attempt, server_dry_run).await
    })
    .await;
    if let Some(forbidden) = summary.all_forbidden() {
        return Err(forbidden);
    }

    let rows: Vec<PruneRow> = summary
        .items
        .iter()
        .map(|item| {
            let status = match item.outcome {
                Outcome::Done(Done::Deleted) if server_dry_run => PruneStatus::WouldDelete,
                Outcome::Done(Done::Deleted) => PruneStatus::Deleted,
                Outcome::Done(Done::Gone) => PruneStatus::Gone,
                Outcome::Done(Done::Skipped) => PruneStatus::Skipped,
                Outcome::Failed { .. } | Outcome::Abandoned => PruneStatus::Failed,
                Outcome::NotStarted(_) => PruneStatus::NotStarted,
            };
            PruneRow { candidate: item.item.clone(), status }
        })
        .collect();
    let failures = summary.failures(Candidate::qualified);
    let report = PruneReport::new(
        now,
        clock,
        dry_run.as_str(),
        show_namespace,
        rows,
        failures,
        Some(summary.stats()),
    );
    if table {
        let counts = report.counts();
        let (command, deleted) = if server_dry_run {
            (
                "prune (dry run, nothing changed)",
                "would be deleted (the server's dry run accepted them)",
            )
        } else {
            ("prune", "deleted")
        };
        let text = summary.render(
            command,
            &[
                (counts.deleted + counts.would_delete, deleted),
                (counts.gone, "already gone"),
                (counts.skipped, "changed since listed (left alone)"),
            ],
            Candidate::qualified,
        );
        out.write_str(&text)?;
    } else {
        out.print(&report)?;
    }
    Ok(summary.exit_status())
}

/// Deletes one object with its uid and resourceVersion as preconditions. On a retry (409: the
/// object changed; or an answer lost) it re-reads the object first: gone is done, another uid
/// or a Job that is no longer finished is left alone, otherwise the delete is sent with the
/// fresh resourceVersion.
async fn delete(cluster: &Cluster, c: &Candidate, attempt: Attempt, dry_run: bool) -> Result<Done> {
    let ns = Some(c.namespace.as_str());
    let mut resource_version = c.resource_version.clone();
    if attempt.is_retry() {
        let fresh = match c.kind {
            ObjectKind::Job => cluster
                .get::<Job, JobFacts>(ns, &c.name)
                .await
                .map(|j| (j.finished().is_some(), j.metadata)),
            ObjectKind::Pod => cluster
                .get::<Pod, PodFacts>(ns, &c.name)
                .await
                .map(|p| (p.finished().is_some(), p.metadata)),
        };
        match fresh {
            Err(Error::NotFound { .. }) => {
                return Ok(if attempt.may_have_landed() { Done::Deleted } else { Done::Gone });
            }
            Err(err) => return Err(err),
            Ok((_, meta)) if meta.uid != c.uid || meta.deletion_timestamp.is_some() => {
                return Ok(if meta.uid == c.uid { Done::Deleted } else { Done::Skipped });
            }
            Ok((false, _)) => return Ok(Done::Skipped),
            Ok((true, meta)) => resource_version = meta.resource_version,
        }
    }
    let params = DeleteParams {
        dry_run,
        preconditions: Some(Preconditions {
            uid: Some(c.uid.clone()),
            resource_version: Some(resource_version),
        }),
        ..DeleteParams::background()
    };
    let result = match c.kind {
        ObjectKind::Job => cluster.delete::<Job>(ns, &c.name, &params).await,
        ObjectKind::Pod => cluster.delete::<Pod>(ns, &c.name, &params).await,
    };
    match result {
        Ok(()) => Ok(Done::Deleted),
        Err(Error::NotFound { .. }) => Ok(Done::Gone),
        Err(err) => Err(err),
    }
}
