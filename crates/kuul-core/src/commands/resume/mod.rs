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
  kubectl kuul resume --from before.json      # restore from a suspend-all --save-to snapshot
  kubectl kuul resume --from before.json -n ops   # only the ops part of the snapshot")]
pub struct Args {
    /// CronJobs to resume (default: every CronJob in scope with saved state)
    #[arg(value_name = "CRONJOB", conflicts_with = "from")]
    pub names: Vec<String>,
    /// Restore the CronJobs listed in a `suspend-all --save-to` snapshot
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// With --from: also restore CronJobs changed since the snapshot was taken (suspended again
    /// by a later suspend-all, or by hand after a resume), which are otherwise left alone
    #[arg(long, requires = "from")]
    pub force: bool,
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

    /// Whether the decision needs a request: it changes `.spec.suspend`, or there are saved-state
    /// annotations to clear. Anything else (a `--from` entry already running, its annotations
    /// gone) would be a no-op PATCH: nothing is sent.
    fn needs_write(&self) -> bool {
        self.planned.sets_suspend().is_some()
            || (self.planned.writes() && self.cronjob.has_saved_annotations())
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
        Some(path) => from_snapshot(ctx, Snapshot::read(path)?, args.force).await?,
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
    if !catch_ups.is_empty() {
        // A warning, so stderr in every output mode (stdout stays the report).
        let text = report::catch_up_warning(&catch_ups, now, show_namespace, dry_run);
        crate::notice::line(text.trim_end(), None);
    }

    let mut writes = Vec::new();
    for target in targets {
        if !target.needs_write() {
            rows.push(ResumeRow::new(&target.cronjob, target.planned, ResumeStatus::NothingToDo));
        } else if dry_run == DryRun::Client {
            rows.push(ResumeRow::new(&target.cronjob, target.planned, ResumeStatus::Planned));
        } else {
            writes.push(target);
        }
    }

    let write = if dry_run == DryRun::Server { Write::ServerDryRun } else { Write::Apply };
    // A read-only context: one `forbidden` line before anything is sent.
    let namespaces: Vec<Option<&str>> =
        writes.iter().map(|t| Some(t.cronjob.metadata.namespace.as_str())).collect();
    cluster.require("patch", "batch", "cronjobs", &namespaces).await?;
    let options = Options::new(&args.bulk, ctx.interactive, "resuming CronJobs");
    let mut summary = bulk::run(writes, &options, async |target: &Target, attempt: Attempt| {
        restore(&cluster, target, attempt, write).await
    })
    .await;
    if let Some(forbidden) = summary.all_forbidden() {
        return Err(forbidden);
    }

    // A server dry run changed nothing either: its rows say "would", as a client one's do.
    let done = if dry_run == DryRun::None { ResumeStatus::Done } else { ResumeStatus::Planned };
    for item in &summary.items {
        let (action, status) = match &item.outcome {
            Outcome::Done(Done::Applied(action)) => (*action, done),
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
        let (command, resumed, kept, human) = match dry_run {
            DryRun::None => (
                "resume",
                "resumed",
                "kept suspended (were suspended before)",
                "left as a human changed them",
            ),
            _ => (
                "resume (dry run, nothing changed)",
                "would be resumed",
                "would stay suspended (were suspended before)",
                "would be left as a human changed them",
            ),
        };
        let mut lines = vec![
            (counts.resumed, resumed),
            (counts.kept_suspended, kept),
            (counts.kept_human, human),
        ];
        if counts.stale > 0 {
            lines.push((counts.stale, "changed since the snapshot (left alone; --force)"));
        }
        let text =
            summary.render(command, &lines, |t| format!("cronjob.batch/{}", t.cronjob.key()));
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
    if !action.writes() || (action.sets_suspend().is_none() && !current.has_saved_annotations()) {
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

/// Targets from a snapshot: the CronJobs it names (in `-n NAMESPACE` only, when given), listed
/// (one list per namespace), matched by uid so a CronJob deleted and recreated since is not
/// touched, and checked against the snapshot so a change made after it is not undone (unless
/// `force`).
async fn from_snapshot(
    ctx: &Context,
    snapshot: Snapshot,
    force: bool,
) -> Result<(Cluster, bool, Vec<ResumeRow>, Vec<Target>)> {
    if ctx.kube_args().selector.is_some() {
        return Err(Error::Usage("--from restores the CronJobs in the file: drop -l".into()));
    }
    ctx.check_scope_flags()?;
    let explicit = ctx.kube_args().namespace.as_deref().filter(|_| !ctx.kube_args().all_namespaces);
    let snapshot = snapshot.narrow(explicit);
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
                let target = Target::new(cj, Some(item.previous_suspend));
                match item.stale_for(&target.cronjob) {
                    Some(why) if !force && target.needs_write() => rows.push(
                        ResumeRow::new(&target.cronjob, target.planned, ResumeStatus::Stale)
                            .because(why),
                    ),
                    _ => targets.push(target),
                }
            }
            Some(cj) => {
                rows.push(ResumeRow::new(&cj, ResumeAction::NothingToDo, ResumeStatus::Recreated))
            }
            None => rows.push(ResumeRow::missing(item, ResumeStatus::Gone)),
        }
    }
    if let Some(namespace) = explicit
        && snapshot.items.is_empty()
    {
        crate::notice::line(
            &format!("No CronJobs of the snapshot are in namespace {namespace}."),
            None,
        );
    }
    Ok((cluster, namespaces.len() > 1, rows, targets))
}
