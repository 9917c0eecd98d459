//! `kubectl kuul trigger`: run a CronJob's job now, exactly as `kubectl create job
//! NAME --from=cronjob/CRONJOB` would (see [`job`]), optionally waiting for the result and
//! streaming the logs.
//!
//! Requests: one GET per CronJob (plus one Job list when `concurrencyPolicy: Forbid`), one
//! POST per Job; with `--wait`, one watch on the Job (and one on its pods with `-f`).

mod env;
mod job;
mod naming;
mod report;

use std::time::Duration;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use serde::Deserialize;
use serde_json::Value;

pub use env::EnvOverride;
pub use report::{TriggerReport, Triggered};

use crate::cli::{DryRun, DryRunArg};
use crate::cluster::{Cluster, ListOptions, Write, lookup};
use crate::confirm::confirm;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::follow::{self, FollowOptions, RunResult};
use crate::notice;
use crate::output::{OutputFormat, Printer};

/// Generated names tried before giving up on AlreadyExists (a clash needs the same five random
/// characters twice).
const NAME_ATTEMPTS: usize = 5;

/// Arguments of `trigger`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul trigger nightly-backup -n ops             # create ops/nightly-backup-manual-xxxxx
  kubectl kuul trigger nightly-backup --wait -f          # ... and stream its log; exit 0/1 with the run
  kubectl kuul trigger nightly-backup --env MODE=full --name backup-before-upgrade
  kubectl kuul trigger -l team=db --yes                  # every CronJob labelled team=db
  kubectl kuul trigger nightly-backup --dry-run=client -o yaml

Exit status: 0 created (with --wait: every run succeeded); 1 an error, a refusal, or a run
failed; 2 bad arguments; 3 some of several CronJobs could not be triggered; 130 Ctrl-C while
waiting (the Job keeps running).")]
pub struct Args {
    /// CronJobs to run now (or select them with -l)
    #[arg(value_name = "CRONJOB")]
    pub names: Vec<String>,
    /// Name of the Job (default: <cronjob>-manual-<random>); only with one CronJob
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Set an environment variable in every container for this run (repeatable)
    #[arg(long = "env", short = 'e', value_name = "KEY=VALUE")]
    pub env: Vec<EnvOverride>,
    /// Wait until the run completes or fails, and exit 0 or 1 with its result
    #[arg(long, short = 'w')]
    pub wait: bool,
    /// Stream the pod's log while it runs (and the next pod's on a retry); implies --wait
    #[arg(long = "logs", short = 'f', visible_alias = "follow")]
    pub logs: bool,
    /// Give up waiting after this long (e.g. 10m; 0: no limit); the Job keeps running. Default: no limit
    // `allow_hyphen_values`: `--timeout -1s` reaches the duration parser ("must not be
    // negative") instead of clap's puzzling "unexpected argument '-1' found".
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse,
          allow_hyphen_values = true)]
    pub timeout: Option<Duration>,
    /// Run even when concurrencyPolicy is Forbid and a run is active
    #[arg(long)]
    pub force: bool,
    /// Don't ask before triggering several CronJobs selected with -l
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// --dry-run[=client|server]
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

/// The few CronJob fields the checks read (the Job itself is built from the full JSON).
#[derive(Debug, Deserialize)]
struct CronJobFacts {
    metadata: Meta,
    spec: SpecFacts,
    #[serde(default)]
    status: StatusFacts,
}

#[derive(Debug, Deserialize)]
struct Meta {
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    uid: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpecFacts {
    #[serde(default)]
    suspend: Option<bool>,
    #[serde(default)]
    concurrency_policy: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct StatusFacts {
    #[serde(default)]
    active: Vec<Value>,
}

/// Runs `trigger`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    check_args(ctx, &args)?;
    let cluster = &ctx.connection().await?.cluster;
    let targets = targets(ctx, &args, cluster).await?;
    // kubectl sets metadata.namespace only when -n was given (`EnforceNamespace`).
    let enforce_namespace = ctx.kube_args().namespace.is_some() || ctx.kube_args().all_namespaces;
    let dry_run = args.dry_run.dry_run;
    let mut report = TriggerReport { items: Vec::new(), dry_run };
    let mut failures = 0_usize;
    let several = targets.len() > 1;
    crate::fanout::member::barrier(targets.len()).await;
    for (namespace, cronjob) in &targets {
        match trigger_one(cluster, namespace, cronjob, &args, enforce_namespace).await {
            Ok(job) => {
                let item = Triggered { job, finished: None };
                if matches!(out.format(), OutputFormat::Table | OutputFormat::Wide) {
                    out.write_str(&format!("{}\n", report.created_line(&item)))?;
                } else if *out.format() == OutputFormat::Name {
                    out.write_str(&format!("job.batch/{}\n", item.name()))?;
                }
                report.items.push(item);
            }
            Err(err) if several => {
                failures += 1;
                notice::line(&format!("error: cronjob {namespace}/{cronjob}: {err}"), None);
                if let Some(hint) = err.hint() {
                    notice::line(&format!("hint: {hint}"), None);
                }
            }
            Err(err) => return Err(err),
        }
    }

    let waiting = (args.wait || args.logs) && dry_run == DryRun::None;
    let mut any_failed = false;
    if waiting {
        let options = FollowOptions {
            logs: args.logs,
            timeout: args.timeout,
            progress: ctx.interactive,
            ..FollowOptions::default()
        };
        for item in &mut report.items {
            let namespace =
                item.job["metadata"]["namespace"].as_str().unwrap_or_default().to_owned();
            let name = item.name().to_owned();
            let finished = follow::follow_job(cluster, &namespace, &name, &options, out).await?;
            any_failed |= matches!(finished.result, RunResult::Failed { .. });
            if matches!(out.format(), OutputFormat::Table | OutputFormat::Wide) {
                out.write_str(&format!("{}\n", finished.summary(&name)))?;
            }
            item.job = serde_json::to_value(&finished.job)
                .map_err(|e| Error::Decode(format!("encoding job {name}: {e}")))?;
            item.finished = Some(finished);
        }
    }
    if !matches!(out.format(), OutputFormat::Table | OutputFormat::Wide | OutputFormat::Name)
        && !report.items.is_empty()
    {
        out.print(&report)?;
    }
    Ok(if failures > 0 {
        ExitStatus::Partial
    } else if any_failed {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// Flag combinations that cannot work, refused before any request.
fn check_args(ctx: &Context, args: &Args) -> Result<()> {
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    if selector.is_some() && !args.names.is_empty() {
        return Err(Error::Usage(
            "name cannot be provided when a selector is specified (as in kubectl)".into(),
        ));
    }
    if selector.is_none() && args.names.is_empty() {
        return Err(Error::Usage(
            "name a CronJob (kubectl kuul trigger CRONJOB) or select some with -l".into(),
        ));
    }
    if ctx.kube_args().all_namespaces && selector.is_none() {
        return Err(Error::Usage(
            "-A needs a selector (-l): names are looked up in one namespace".into(),
        ));
    }
    if let Some(name) = &args.name {
        if args.names.len() != 1 || selector.is_some() {
            return Err(Error::Usage("--name needs exactly one CRONJOB".into()));
        }
        naming::validate_name(name)?;
    }
    if args.timeout.is_some() && !(args.wait || args.logs) {
        return Err(Error::Usage("--timeout only applies with --wait or -f".into()));
    }
    Ok(())
}

/// `(namespace, cronjob)` pairs to trigger: the names given, or every match of `-l` after one
/// confirmation.
async fn targets(ctx: &Context, args: &Args, cluster: &Cluster) -> Result<Vec<(String, String)>> {
    let scope = ctx.scope().await?;
    let Some(selector) = ctx.label_selector()? else {
        let namespace = scope.namespace().unwrap_or("default").to_owned();
        // Each CronJob once, in the order given.
        let mut names: Vec<&String> = Vec::new();
        for name in &args.names {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        return Ok(names.into_iter().map(|n| (namespace.clone(), n.clone())).collect());
    };
    let options = ListOptions { label_selector: Some(selector.clone()), field_selector: None };
    let found: Vec<CronJobFacts> =
        cluster.list::<CronJob, CronJobFacts>(scope.namespace(), &options).await?;
    if found.is_empty() {
        return Err(Error::Refused {
            reason: format!(
                "no CronJob matches -l '{selector}'{}",
                match scope.namespace() {
                    Some(ns) => format!(" in namespace \"{ns}\""),
                    None => String::new(),
                }
            ),
            hint: "check the selector with: kubectl get cronjobs -l SELECTOR".into(),
        });
    }
    let pairs: Vec<(String, String)> =
        found.into_iter().map(|c| (c.metadata.namespace, c.metadata.name)).collect();
    let listed: Vec<String> = pairs.iter().map(|(ns, n)| format!("{ns}/{n}")).collect();
    let question = format!("Trigger {} CronJobs ({})?", pairs.len(), listed.join(", "));
    if args.dry_run.dry_run == DryRun::None && !confirm(ctx, &question, args.yes).await? {
        return Err(Error::Refused {
            reason: "nothing triggered".into(),
            hint: "answer y to go ahead".into(),
        });
    }
    Ok(pairs)
}

/// Reads one CronJob, checks it, and creates (or dry-runs) its manual Job.
async fn trigger_one(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    args: &Args,
    enforce_namespace: bool,
) -> Result<Value> {
    let cronjob = match cluster.get::<CronJob, Value>(Some(namespace), name).await {
        // Again through lookup, for the "did you mean" names.
        Err(Error::NotFound { .. }) => {
            let found = lookup::cronjob(cluster, namespace, name).await?;
            serde_json::to_value(found).map_err(|e| Error::Decode(e.to_string()))?
        }
        other => other?,
    };
    let facts: CronJobFacts = serde_json::from_value(cronjob.clone())
        .map_err(|e| Error::Decode(format!("cronjob {name}: {e}")))?;
    check_concurrency(cluster, namespace, &facts, args.force).await?;
    if facts.spec.suspend == Some(true) {
        notice::warning(
            &format!(
                "cronjob {namespace}/{name} is suspended: its schedule will not run, this \
                 manual run does"
            ),
            None,
        );
    }
    let job_namespace = enforce_namespace.then_some(namespace);
    let write = match args.dry_run.dry_run {
        DryRun::Client => {
            let job_name = args
                .name
                .clone()
                .unwrap_or_else(|| naming::manual_name(name, &naming::random_suffix()));
            return Ok(job::job_from_cronjob(&cronjob, &job_name, job_namespace, &args.env));
        }
        DryRun::Server => Write::ServerDryRun,
        DryRun::None => Write::Apply,
    };
    let attempts = if args.name.is_some() { 1 } else { NAME_ATTEMPTS };
    let mut last_error = None;
    for _ in 0..attempts {
        let job_name = args
            .name
            .clone()
            .unwrap_or_else(|| naming::manual_name(name, &naming::random_suffix()));
        let built = job::job_from_cronjob(&cronjob, &job_name, job_namespace, &args.env);
        let typed: Job = serde_json::from_value(built)
            .map_err(|e| Error::Decode(format!("job for cronjob {name}: {e}")))?;
        match cluster.create::<Job>(Some(namespace), &typed, write).await {
            Ok(created) => {
                return serde_json::to_value(&created)
                    .map_err(|e| Error::Decode(format!("job {job_name}: {e}")));
            }
            Err(err @ Error::Api { code: 409, .. }) => last_error = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last_error.unwrap_or_else(|| Error::Decode("no job name could be chosen".into())))
}

/// `concurrencyPolicy: Forbid` with a run active: refuse unless `--force`. Active means listed
/// in `.status.active` (the controller's view) or any Job this CronJob controls that has not
/// finished yet (a manual run created seconds ago is not in `.status.active` until the
/// controller's next sync).
async fn check_concurrency(
    cluster: &Cluster,
    namespace: &str,
    cronjob: &CronJobFacts,
    force: bool,
) -> Result<()> {
    if force || cronjob.spec.concurrency_policy.as_deref() != Some("Forbid") {
        return Ok(());
    }
    let mut active = cronjob.status.active.len();
    if active == 0 {
        let jobs: Vec<Job> =
            cluster.list::<Job, Job>(Some(namespace), &ListOptions::default()).await?;
        active = jobs
            .iter()
            .filter(|j| {
                j.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.controller == Some(true) && o.uid == cronjob.metadata.uid)
            })
            .filter(|j| follow::result_of(j).is_none())
            .count();
    }
    if active == 0 {
        return Ok(());
    }
    Err(Error::Refused {
        reason: format!(
            "cronjob {namespace}/{} has concurrencyPolicy Forbid and {active} run(s) active",
            cronjob.metadata.name
        ),
        hint: "wait for the active run to end, or add --force to run anyway".into(),
    })
}
