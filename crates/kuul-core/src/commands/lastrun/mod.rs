//! `kubectl kuul lastrun`: per CronJob, the last schedule, last success, last result and
//! duration, active runs, next run, and a verdict; `--check` exits 4 for monitors.
//!
//! Two paged list calls whatever the number of CronJobs (CronJobs and Jobs in scope, fetched
//! concurrently), and two more (Pending Job pods, Warning events) only when some run is not
//! known to be running or some verdict is not OK: they name why a run is STUCK or a schedule
//! stalled. Every verdict uses the API server's clock.

mod analysis;
pub(crate) mod facts;
pub(crate) mod live;
mod metrics;
mod report;
mod watch;

use foldhash::{HashMap, HashSet};

use jiff::SignedDuration;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Pod};

pub(crate) use analysis::{DEFAULT_PENDING_FOR, Observed, analyse_with, default_pending_for};
pub use analysis::{LastRun, RunResult, RunSummary, StuckRun, Verdict};
pub use report::LastRunReport;
pub(crate) use report::late;

use crate::cluster::ListOptions;
use crate::cluster::lookup::missing_cronjob;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use crate::runs::{EventFacts, PodFacts};
use facts::{CronJobFacts, JobFacts};

/// What `--fail-on` can name: a verdict, or `LATE` (a run started later than `--max-late`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The CronJob has this verdict.
    Verdict(Verdict),
    /// Its newest scheduled run started more than `--max-late` after its scheduled time.
    Late,
}

impl Problem {
    /// As `--fail-on` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Verdict(v) => v.as_str(),
            Problem::Late => "LATE",
        }
    }
}

/// `--fail-on`'s default: what a monitor pages for. SUSPENDED, RUNNING-LONG, PENDING and
/// NEVER-RAN are states an operator may have chosen or that fix themselves; name them to fail on
/// them too. LATE counts only with `--max-late`.
pub const DEFAULT_FAIL_ON: [Problem; 5] = [
    Problem::Verdict(Verdict::Broken),
    Problem::Verdict(Verdict::Missed),
    Problem::Verdict(Verdict::Failing),
    Problem::Verdict(Verdict::Stuck),
    Problem::Late,
];

fn parse_problem(text: &str) -> std::result::Result<Problem, String> {
    let wanted = text.trim().to_ascii_uppercase().replace('_', "-");
    if wanted == "LATE" {
        return Ok(Problem::Late);
    }
    Verdict::ALL.iter().find(|v| v.as_str() == wanted).map(|v| Problem::Verdict(*v)).ok_or_else(
        || {
            let known: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
            format!("\"{text}\" is not a problem lastrun knows: use {}, LATE", known.join(", "))
        },
    )
}

pub(crate) fn parse_duration(text: &str) -> std::result::Result<SignedDuration, String> {
    SignedDuration::try_from(crate::duration::parse(text)?).map_err(|e| e.to_string())
}

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
    /// Exit with status 4 when any CronJob has a problem `--fail-on` names (default BROKEN,
    /// MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr
    #[arg(long)]
    pub check: bool,
    /// With --check: the problems that fail it, comma-separated: BROKEN, SUSPENDED, STUCK,
    /// MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE
    #[arg(long, requires = "check", value_delimiter = ',', value_parser = parse_problem,
          value_name = "PROBLEM,...")]
    pub fail_on: Vec<Problem>,
    /// A scheduled run that starts later than this after its scheduled time is LATE
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub max_late: Option<SignedDuration>,
    /// A run whose pod has been Pending (or whose Job could not create one) longer than this is
    /// STUCK
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = analysis::DEFAULT_PENDING_FOR)]
    pub pending_for: SignedDuration,
    /// Keep the table current from watches: redrawn in place on a terminal, one line per change
    /// otherwise (Ctrl-C ends it)
    #[arg(long, short = 'w', conflicts_with = "check")]
    pub watch: bool,
    /// With --check: pass when there is no CronJob to check (by default an empty scope fails
    /// with status 4: a monitor that checked nothing must not report healthy)
    #[arg(long, requires = "check")]
    pub allow_empty: bool,
}

impl Args {
    /// The problems `--check` fails on.
    fn fail_on(&self) -> Result<Vec<Problem>> {
        if self.fail_on.is_empty() {
            return Ok(DEFAULT_FAIL_ON.to_vec());
        }
        if self.max_late.is_some() && !self.fail_on.contains(&Problem::Late) {
            return Err(Error::Usage(
                "--max-late counts only when --fail-on names LATE: add LATE to --fail-on".into(),
            ));
        }
        Ok(self.fail_on.clone())
    }
}

/// The problems of one row, as `--fail-on` and `--max-late` decide.
fn problems(row: &LastRun, fail_on: &[Problem], max_late: Option<SignedDuration>) -> Vec<String> {
    let mut found = Vec::new();
    if fail_on.contains(&Problem::Verdict(row.verdict)) {
        found.push(row.verdict.as_str().to_owned());
    }
    if let (true, Some(max), Some(late)) =
        (fail_on.contains(&Problem::Late), max_late, row.late_seconds)
        && late > max.as_secs()
    {
        found.push("LATE".to_owned());
    }
    found
}

/// The stderr line for one problem of one row.
fn problem_line(row: &LastRun, problem: &str, max_late: Option<SignedDuration>) -> String {
    let what = if problem == "LATE" {
        let run = row.last_run.as_ref().map_or("the newest run", |r| r.name.as_str());
        format!(
            "{run} started {} after its scheduled time (beyond --max-late {})",
            crate::duration::human(row.late_seconds.unwrap_or_default()),
            crate::duration::human(max_late.map_or(0, |m| m.as_secs()))
        )
    } else if row.reason.is_empty() {
        row.verdict.as_str().to_lowercase()
    } else {
        row.reason.clone()
    };
    format!("{}/{}: {problem}: {what}", row.namespace, row.name)
}

/// Which extra lists can change a verdict or its reason. Pending pods only matter for an
/// unfinished Job with no ready pod (the only runs [`analysis`] looks for stuck pods in);
/// Warning events for those too (a pod's `FailedMount`, a Job's `FailedCreate`), and for any
/// verdict that is not plainly fine (the CronJob controller's `MissSchedule`, ...). On a
/// cluster where every run has finished, the pods list (a filter over every pod, the slowest
/// list an API server is asked for here) is not sent at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Extra {
    pub(crate) pods: bool,
    pub(crate) events: bool,
}

fn extra_lists(rows: &[LastRun], jobs: &[&JobFacts]) -> Extra {
    let pods = jobs.iter().any(|j| job_needs_pods_and_events(j));
    let events = pods || rows.iter().any(row_needs_pods_and_events);
    Extra { pods, events }
}

/// [`extra_lists`] for one row: its verdict is not plainly fine (`dash` asks per row).
pub(crate) fn row_needs_pods_and_events(row: &LastRun) -> bool {
    !matches!(row.verdict, Verdict::Ok | Verdict::Suspended | Verdict::Broken | Verdict::NeverRan)
}

/// [`extra_lists`] for one Job: unfinished and not known to run.
pub(crate) fn job_needs_pods_and_events(job: &JobFacts) -> bool {
    job.finished().is_none() && job.status.ready.unwrap_or(0) == 0
}

/// The selectors of the extra lists: Job pods that are Pending (label, field)...
pub(crate) const PENDING_JOB_PODS: (&str, &str) = ("controller-uid", "status.phase=Pending");
/// ... and Warning events (field).
pub(crate) const WARNING_EVENTS: &str = "type=Warning";

/// Job pods that are Pending, and Warning events (`FailedScheduling`, `FailedMount`,
/// `FailedCreate`, `MissSchedule`, `TooManyMissedTimes`), in `namespace`: the lists `extra`
/// asks for, concurrent.
pub(crate) async fn pods_and_events(
    cluster: &crate::cluster::Cluster,
    namespace: Option<&str>,
    extra: Extra,
) -> Result<(Vec<PodFacts>, Vec<EventFacts>)> {
    let pending = ListOptions {
        label_selector: Some(PENDING_JOB_PODS.0.into()),
        field_selector: Some(PENDING_JOB_PODS.1.into()),
    };
    let warnings =
        ListOptions { label_selector: None, field_selector: Some(WARNING_EVENTS.into()) };
    let pods = async {
        if extra.pods {
            cluster.list::<Pod, PodFacts>(namespace, &pending).await
        } else {
            Ok(Vec::new())
        }
    };
    let events = async {
        if extra.events {
            cluster.list::<Event, EventFacts>(namespace, &warnings).await
        } else {
            Ok(Vec::new())
        }
    };
    tokio::try_join!(pods, events)
}

/// The rows of every wanted CronJob, by namespace then name.
fn rows(
    cronjobs: &[CronJobFacts],
    jobs: &[JobFacts],
    names: &[String],
    seen: &Observed<'_>,
    now: jiff::Timestamp,
) -> Vec<LastRun> {
    let wanted = |cj: &CronJobFacts| names.is_empty() || names.contains(&cj.metadata.name);
    let mut jobs_by_owner: HashMap<&str, Vec<&JobFacts>> = HashMap::default();
    for job in jobs {
        if let Some(uid) = job.metadata.controller_uid() {
            jobs_by_owner.entry(uid).or_default().push(job);
        }
    }
    let mut items: Vec<LastRun> = cronjobs
        .iter()
        .filter(|cj| wanted(cj))
        .map(|cj| {
            let owned = jobs_by_owner.get(cj.metadata.uid.as_str()).map_or(&[][..], Vec::as_slice);
            analysis::analyse_with(cj, owned, seen, now)
        })
        .collect();
    items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    items
}

/// Reads the cluster and builds the report; the error is a named CronJob that is missing.
async fn read(
    ctx: &Context,
    args: &Args,
    fail_on: &[Problem],
) -> Result<(LastRunReport, Option<Error>)> {
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    let cluster = &ctx.connection().await?.cluster;
    let namespace = scope.namespace();
    let cronjob_options = ListOptions { label_selector: selector, field_selector: None };
    let every_job = ListOptions::default();
    let (cronjobs, jobs) = tokio::try_join!(
        cluster.list::<CronJob, CronJobFacts>(namespace, &cronjob_options),
        cluster.list_shaped::<Job, JobFacts>(namespace, &every_job, JobFacts::shape()),
    )?;
    let (now, clock) = cluster.now();

    let existing: Vec<&str> = cronjobs.iter().map(|cj| cj.metadata.name.as_str()).collect();
    let missing = missing_cronjob(&args.names, &existing, namespace);
    let mut seen = Observed { pending_for: args.pending_for, ..Observed::default() };
    let mut items = rows(&cronjobs, &jobs, &args.names, &seen, now);
    let (pods, events);
    let shown: HashSet<&str> = cronjobs
        .iter()
        .filter(|cj| args.names.is_empty() || args.names.contains(&cj.metadata.name))
        .map(|cj| cj.metadata.uid.as_str())
        .collect();
    let shown_jobs: Vec<&JobFacts> = jobs
        .iter()
        .filter(|j| j.metadata.controller_uid().is_some_and(|u| shown.contains(u)))
        .collect();
    let extra = extra_lists(&items, &shown_jobs);
    if extra != Extra::default() {
        (pods, events) = pods_and_events(cluster, namespace, extra).await?;
        for pod in &pods {
            if let Some(owner) = pod.metadata.controller("Job") {
                seen.pods_by_job.entry(owner.uid.as_str()).or_default().push(pod);
            }
        }
        for event in &events {
            seen.events_by_uid.entry(event.involved_object.uid.as_str()).or_default().push(event);
        }
        items = rows(&cronjobs, &jobs, &args.names, &seen, now);
    }
    for row in &mut items {
        row.problems = problems(row, fail_on, args.max_late);
    }
    // The rows own what they show: the lists are freed off this thread.
    crate::background::drop_later((cronjobs, jobs));

    Ok((LastRunReport::new(now, clock, namespace.is_none(), items), missing))
}

/// Runs `lastrun`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    let fail_on = args.fail_on()?;
    if args.watch {
        return watch::run(ctx, &args, &fail_on, out).await;
    }
    let (report, missing) = read(ctx, &args, &fail_on).await?;
    let scope = ctx.scope().await?;
    let namespace = scope.namespace();
    let cluster = &ctx.connection().await?.cluster;
    if !(report.items.is_empty() && missing.is_some()) {
        if *out.format() == OutputFormat::OpenMetrics {
            out.write_metrics(&metrics::exposition(&report))?;
        } else {
            out.print(&report)?;
        }
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
    let failed = args.check && report.items.iter().any(|row| !row.problems.is_empty());
    if failed {
        for row in &report.items {
            for problem in &row.problems {
                crate::notice::line(&problem_line(row, problem, args.max_late), None);
            }
        }
    }
    crate::background::drop_later(report);
    Ok(if failed { ExitStatus::CheckFailed } else { ExitStatus::Success })
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
