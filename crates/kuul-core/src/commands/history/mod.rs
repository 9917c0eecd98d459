//! `kubectl kuul history CRONJOB...`: every retained run of each CronJob, newest first, with
//! lateness, result and its most specific reason, attempts, nodes and what changed in the pod
//! template since the previous run; the CronJob's events that explain gaps in between; and
//! `--diff RUN1 RUN2`, the whole template difference of two runs.
//!
//! Four list requests per scope whatever the number of CronJobs and runs (`runs::load`); `--diff`
//! adds one GET per run compared.

mod report;

use std::io::IsTerminal;
use std::time::Duration;

use k8s_openapi::api::batch::v1::Job;
use serde_json::Value;

pub use report::{DiffReport, HistoryReport};

use crate::cluster::ListOptions;
use crate::cluster::lookup::missing_cronjob;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use crate::runs::{self, History, RunRef};

/// Arguments of `history`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul history nightly-backup               # every retained run, newest first
  kubectl kuul history -A --since 24h               # every CronJob's runs of the last day
  kubectl kuul history nightly-backup --limit 5 -o wide
  kubectl kuul history nightly-backup --diff -2 -1  # what changed between the last two runs
  kubectl kuul history nightly-backup -o jsonpath='{.items[0].runs[?(@.result==\"Failed\")].name}'")]
pub struct Args {
    /// CronJobs to show (default: all in scope)
    #[arg(value_name = "CRONJOB")]
    pub names: Vec<String>,
    /// Show at most N runs per CronJob (the newest)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only runs (and events) newer than this, e.g. 2h, 7d
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, allow_hyphen_values = true)]
    pub since: Option<Duration>,
    /// Show the whole pod template difference between two runs (Job names, or -N: -1 is the newest)
    #[arg(long, num_args = 2, value_names = ["RUN1", "RUN2"], allow_hyphen_values = true)]
    pub diff: Option<Vec<String>>,
}

/// Runs `history`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    let diff = match &args.diff {
        Some(pair) => {
            if args.names.len() != 1 {
                return Err(Error::Usage("--diff needs exactly one CRONJOB".into()));
            }
            let parse = |s: &String| s.parse::<RunRef>().map_err(Error::Usage);
            Some((parse(&pair[0])?, parse(&pair[1])?))
        }
        None => None,
    };
    if args.limit == Some(0) {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let scope = ctx.scope().await?;
    let cluster = &ctx.connection().await?.cluster;
    let namespace = scope.namespace();
    let cronjob_options = ListOptions { label_selector: selector, field_selector: None };
    let loaded = runs::load(cluster, namespace, cronjob_options).await?;
    let (now, clock) = cluster.now();

    let existing: Vec<&str> = loaded.cronjobs.iter().map(|cj| cj.metadata.name.as_str()).collect();
    let missing = missing_cronjob(&args.names, &existing, namespace);
    let since = args.since.map(|d| {
        now.checked_sub(jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX))
            .unwrap_or(jiff::Timestamp::MIN)
    });
    let mut items = loaded.histories(now);
    items.retain(|h| args.names.is_empty() || args.names.contains(&h.name));
    for history in &mut items {
        if let Some(since) = since {
            history.runs.retain(|r| r.created.is_some_and(|t| t >= since));
            history.events.retain(|e| e.at.is_some_and(|t| t >= since));
        }
        if let Some(limit) = args.limit
            && history.runs.len() > limit
        {
            history.runs.truncate(limit);
            let oldest = history.runs.last().and_then(|r| r.created);
            history.events.retain(|e| e.at >= oldest);
        }
    }

    if let Some((from, to)) = diff {
        if let Some(err) = missing {
            return Err(err);
        }
        return print_diff(cluster, &items[0], &from, &to, out).await;
    }
    let report = HistoryReport::new(now, clock, namespace.is_none(), items);
    let table = matches!(out.format(), OutputFormat::Table | OutputFormat::Wide);
    if table && std::io::stdout().is_terminal() && !report.items.is_empty() {
        let strip = report.strips(out.color());
        out.write_str(&strip)?;
    }
    if !(report.items.is_empty() && missing.is_some()) {
        out.print(&report)?;
    }
    crate::background::drop_later(report);
    if let Some(err) = missing {
        return Err(err);
    }
    Ok(ExitStatus::Success)
}

/// Labels the Job controller puts on each Job's pod template (`pkg/controller/job`,
/// `batch.kubernetes.io/controller-uid` and `job-name`, plus their legacy spellings).
const JOB_OWN_LABELS: [&str; 4] = [
    "controller-uid",
    "job-name",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
];

/// `--diff`: both Jobs read whole (one GET each), their pod templates compared leaf by leaf.
async fn print_diff(
    cluster: &crate::cluster::Cluster,
    history: &History,
    from: &RunRef,
    to: &RunRef,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let mut templates = Vec::new();
    for which in [from, to] {
        let name = match which {
            RunRef::Name(name) => name.clone(),
            RunRef::Newest(_) => which
                .find(&history.runs)
                .map(|r| r.name.clone())
                .ok_or_else(|| no_such_run(history, &which.to_string()))?,
        };
        let job: Value = cluster.get::<Job, Value>(Some(&history.namespace), &name).await.map_err(
            |e| match e {
                Error::NotFound { .. } => no_such_run(history, &name),
                other => other,
            },
        )?;
        let mut template = job["spec"]["template"].clone();
        // The Job controller labels every Job's template with its own uid and name: those
        // differ between any two runs and say nothing.
        if let Some(labels) = template["metadata"]["labels"].as_object_mut() {
            for key in JOB_OWN_LABELS {
                labels.remove(key);
            }
        }
        templates.push((name, template));
    }
    let report =
        DiffReport::new(&templates[0].0, &templates[0].1, &templates[1].0, &templates[1].1);
    out.print(&report)?;
    if report.changes.is_empty() && matches!(out.format(), OutputFormat::Table | OutputFormat::Wide)
    {
        out.write_str(&format!(
            "the pod templates of job.batch/{} and job.batch/{} are the same\n",
            templates[0].0, templates[1].0
        ))?;
    }
    Ok(ExitStatus::Success)
}

/// The error for a run that does not exist (exit 1), naming the retained ones.
pub(crate) fn no_such_run(history: &History, asked: &str) -> Error {
    let retained: Vec<&str> = history
        .runs
        .iter()
        .filter(|r| r.result != runs::RunResult::Deleted)
        .map(|r| r.name.as_str())
        .collect();
    Error::Refused {
        reason: format!(
            "cronjob \"{}\" in namespace \"{}\" has no run {asked}",
            history.name, history.namespace
        ),
        hint: if retained.is_empty() {
            "it has no retained runs (history limits, TTL or prune removed them)".into()
        } else {
            format!(
                "its retained runs, newest first: {} (see kubectl kuul history {} -n {})",
                retained.iter().take(5).copied().collect::<Vec<_>>().join(", "),
                history.name,
                history.namespace
            )
        },
    }
}
