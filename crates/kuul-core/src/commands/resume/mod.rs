//! `kubectl kuul resume`: restore the state `suspend-all` saved (CronJobs that were suspended
//! before stay suspended), or resume named CronJobs; `--from FILE` restores from a snapshot.
//! A later human decision is never clobbered (see `suspend_all::state` for every case), and the
//! CronJobs that will start a catch-up run the moment they are unsuspended are listed first.

mod catch_up;
mod report;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use k8s_openapi::api::batch::v1::CronJob;
use kube::api::Patch;

pub use catch_up::CatchUp;
pub use report::{ResumeReport, ResumeRow, ResumeStatus};

use super::suspend_all::select;
use super::suspend_all::snapshot::Snapshot;
use super::suspend_all::state::{CronJobState, ResumeAction, decide_resume, resume_patch};
use crate::bulk::{self, Attempt, BulkArgs, Options, Outcome};
use crate::cli::{DryRun, DryRunArg};
use crate::cluster::{Cluster, ListOptions, Write};
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};

/// Arguments of `resume`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul resume -A                      # restore everything suspend-all saved
  kubectl kuul resume -n ops --dry-run        # show what would change and the catch-up runs
  kubectl kuul resume -n ops nightly-backup   # resume one CronJob (saved state or not)
  kubectl kuul resume --from before.json      # restore from a suspend-all --save-to snapshot")]
pub struct Args {
    /// CronJobs to resume (default: every CronJob in scope with saved state)
    #[arg(value_name = "CRONJOB", conflicts_with = "from")]
    pub names: Vec<String>,
    /// Restore the CronJobs listed in a `suspend-all --save-to` snapshot
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
    #[command(flatten)]
    pub bulk: BulkArgs,
}

/// One CronJob `resume` looks at.
#[derive(Debug, Clone)]
struct Target {
    cronjob: CronJobState,
    /// The saved value from `--from`, used when the annotation is gone.
    from_file: Option<bool>,
    /// The action decided from the listed state.
    planned: ResumeAction,
}

impl Target {
    fn new(cronjob: CronJobState, from_file: Option<bool>) -> Self {
        let planned = decide_resume(cronjob.saved().or(from_file), cronjob.suspended());
        Target { cronjob, from_file, planned }
    }
}

/// What one write achieved.
#[derive(Debug, Clone, Copy)]
enum Done {
    Applied(ResumeAction),
    /// Saved state vanished before we got to it (another `resume`, or a hand edit).
    StateCleared,
    Gone,
}

/// Runs `resume`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    let (cluster, show_namespace, mut rows, targets) = match &args.from {
        Some(path) => from_snapshot(ctx, &Snapshot::read(path)?).await?,
        None => {
            let (cluster, scope, cronjobs) = select::cronjobs(ctx, &args.names).await?;
            let named = !args.names.is_empty();
            let targets = cronjobs
                .into_iter()
                .filter(|cj| named || cj.saved().is_some())
                .map(|cj| Target::new(cj, None))
                .collect();
            (cluster, scope.namespace().is_none(), Vec::new(), targets)
        }
    };
    let (now, clock) = cluster.now();
    let dry_run = args.dry_run.dry_run;
    let catch_ups: Vec<CatchUp> = targets
        .iter()
        .filter(|t| t.planned.sets_suspend() == Some(false))
        .filter_map(|t| catch_up::catch_up(&t.cronjob, now))
        .collect();
    let table = matches!(out.format(), OutputFormat::Table | OutputFormat::Wide);
    if table && !catch_ups.is_empty() {
        out.write_str(&report::catch_up_warning(&catch_ups, now, show_namespace))?;
    }

    let mut writes = Vec::new();
    for target in targets {
        if !target.planned.writes() {
            rows.push(ResumeRow::new(&target.cronjob, target.planned, ResumeStatus::NothingToDo));
        } else if dry_run == DryRun::Client {
            rows.push(ResumeRow::new(&target.cronjob, target.planned, ResumeStatus::Planned));
        } else {
            writes.push(target);
        }
    }

    let write = if dry_run == DryRun::Server { Write::ServerDryRun } else { Write::Apply };
    let options = Options::new(&args.bulk, ctx.interactive, "resuming CronJobs");
    let summary = bulk::run(writes, &options, async |target: &Target, attempt: Attempt| {
        restore(&cluster, target, attempt, write).await
    })
    .await;

    for item in &summary.items {
        let (action, status) = match &item.outcome {
            Outcome::Done(Done::Applied(action)) => (*action, ResumeStatus::Done),
            Outcome::Done(Done::StateCleared) => (item.item.planned, ResumeStatus::StateCleared),
            Outcome::Done(Done::Gone) => (item.item.planned, ResumeStatus::Gone),
            Outcome::Failed { .. } | Outcome::Abandoned => {
                (item.item.planned, ResumeStatus::Failed)
            }
            Outcome::NotStarted(_) => (item.item.planned, ResumeStatus::NotStarted),
        };
        rows.push(ResumeRow::new(&item.item.cronjob, action, status));
    }
    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    let failures = summary.failures(|t| format!("cronjob.batch/{}", t.cronjob.key()));
    let report = ResumeReport::new(
        now,
        clock,
        dry_run,
        show_namespace,
        rows,
        catch_ups,
        failures,
        summary.stats(),
    );
    out.print(&report)?;
    if table {
        let counts = report.counts();
        let text = summary.render(
            "resume",
            &[
                (counts.resumed, "resumed"),
                (counts.kept_suspended, "kept suspended (were suspended before)"),
                (counts.kept_human, "left as a human changed them"),
            ],
            |t| format!("cronjob.batch/{}", t.cronjob.key()),
        );
        out.write_str(&text)?;
    }
    Ok(summary.exit_status())
}

/// One CronJob: re-read on retries, decide again, send the one patch.
async fn restore(
    cluster: &Cluster,
    target: &Target,
    attempt: Attempt,
    write: Write,
) -> Result<Done> {
    let current = if attempt.is_retry() {
        match select::reread(cluster, &target.cronjob).await? {
            Some(fresh) => fresh,
            None => return Ok(Done::Gone),
        }
    } else {
        target.cronjob.clone()
    };
    let saved = current.saved().or(target.from_file);
    let named_only = target.planned == ResumeAction::ResumeNamed;
    if saved.is_none() && !named_only {
        // Our earlier attempt landed if the object now ends as we meant it to.
        let landed = attempt.may_have_landed()
            && target.planned.sets_suspend().is_none_or(|s| s == current.suspended());
        return Ok(if landed { Done::Applied(target.planned) } else { Done::StateCleared });
    }
    let action = decide_resume(saved, current.suspended());
    if !action.writes() {
        let landed = attempt.may_have_landed() && target.planned == ResumeAction::ResumeNamed;
        return Ok(Done::Applied(if landed { target.planned } else { action }));
    }
    let patch = resume_patch(&current, action);
    let ns = Some(current.metadata.namespace.as_str());
    let _: serde_json::Value = cluster
        .patch::<CronJob, _, _>(ns, &current.metadata.name, &Patch::Merge(&patch), write)
        .await?;
    Ok(Done::Applied(action))
}

/// Targets from a snapshot: the CronJobs it names, listed (one list per namespace), matched by
/// uid so a CronJob deleted and recreated since is not touched.
async fn from_snapshot(
    ctx: &Context,
    snapshot: &Snapshot,
) -> Result<(Cluster, bool, Vec<ResumeRow>, Vec<Target>)> {
    if ctx.kube_args().selector.is_some() {
        return Err(Error::Usage("--from restores the CronJobs in the file: drop -l".into()));
    }
    let cluster = ctx.connection().await?.cluster.clone();
    let namespaces: BTreeSet<&str> = snapshot.items.iter().map(|i| i.namespace.as_str()).collect();
    let mut listed: HashMap<(String, String), CronJobState> = HashMap::new();
    for namespace in &namespaces {
        let items: Vec<CronJobState> =
            cluster.list::<CronJob, CronJobState>(Some(namespace), &ListOptions::default()).await?;
        for cj in items {
            listed.insert((cj.metadata.namespace.clone(), cj.metadata.name.clone()), cj);
        }
    }
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for item in &snapshot.items {
        match listed.remove(&(item.namespace.clone(), item.name.clone())) {
            Some(cj) if item.uid.is_empty() || cj.metadata.uid == item.uid => {
                targets.push(Target::new(cj, Some(item.previous_suspend)));
            }
            Some(cj) => {
                rows.push(ResumeRow::new(&cj, ResumeAction::NothingToDo, ResumeStatus::Recreated))
            }
            None => rows.push(ResumeRow::missing(item, ResumeStatus::Gone)),
        }
    }
    Ok((cluster, namespaces.len() > 1, rows, targets))
}
