//! `kubectl kuul reschedule-next-minute`: make a CronJob fire at the next whole minute (by the
//! API server's clock, in the CronJob's zone), saving its schedule so `--restore` (or the end
//! of `--wait`) puts it back. The way operators debug a periodic job without hand-editing the
//! schedule, now without losing the original or racing the controller.
//!
//! Requests: one GET and one merge PATCH (carrying the resourceVersion; on 409 the CronJob is
//! read again and the decision remade, at most [`MAX_ATTEMPTS`] times). `--wait` adds a watch
//! on the Job the controller will create and a second GET + PATCH to restore.

mod gone;
mod plan;
mod report;

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::CronJob;
use kube::api::Patch;
use serde::Deserialize;
use serde_json::Value;

pub use report::{Action, RescheduleReport};

use crate::cli::{DryRun, DryRunArg};
use crate::cluster::{ClockSource, Cluster, Write, lookup};
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::follow::{self, FollowOptions, RunResult};
use crate::notice;
use crate::output::{OutputFormat, Printer};
use plan::CronJobState;

/// Read-decide-patch rounds before giving up on conflicting writers.
const MAX_ATTEMPTS: u32 = 5;
/// How long `--wait` waits past the fire instant for the controller's Job, by default.
const CONTROLLER_GRACE: Duration = Duration::from_secs(120);

/// Arguments of `reschedule-next-minute`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul reschedule-next-minute nightly-backup -n ops          # fires at the next minute
  kubectl kuul reschedule-next-minute nightly-backup --wait -f       # ... wait, restore, follow the run
  kubectl kuul reschedule-next-minute nightly-backup --restore       # put the saved schedule back
  kubectl kuul reschedule-next-minute paused-job --unsuspend --wait  # lift suspend for this run only

Exit status: 0 done (with -f: the run succeeded); 1 an error, a refusal (suspended, nothing to
restore) or the run failed; 2 bad arguments; 130 Ctrl-C while waiting (the schedule is restored).")]
pub struct Args {
    /// The CronJob
    #[arg(value_name = "CRONJOB")]
    pub cronjob: String,
    /// Put the saved schedule back (and suspend again if --unsuspend lifted it)
    #[arg(long, conflicts_with_all = ["wait", "logs", "unsuspend", "min_lead"])]
    pub restore: bool,
    /// Skip to the minute after when fewer than this remain before the next one
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = crate::duration::parse,
          allow_hyphen_values = true)]
    pub min_lead: Duration,
    /// Wait until the controller has created the run, then restore the schedule
    #[arg(long, short = 'w')]
    pub wait: bool,
    /// Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait
    #[arg(long = "logs", short = 'f', visible_alias = "follow")]
    pub logs: bool,
    /// With --wait: give up after this long (0: no limit; default: 2 minutes past the fire time); the
    /// schedule is restored either way
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse,
          allow_hyphen_values = true)]
    pub timeout: Option<Duration>,
    /// Lift suspend for this run; restoring suspends the CronJob again
    #[arg(long)]
    pub unsuspend: bool,
    /// --dry-run[=client|server]
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

/// The CronJob fields the decisions read.
#[derive(Debug, Deserialize)]
struct Facts {
    metadata: Meta,
    spec: Spec,
    #[serde(default)]
    status: Status,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    resource_version: String,
    #[serde(default)]
    uid: String,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    creation_timestamp: Option<Timestamp>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    #[serde(default)]
    schedule: String,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    suspend: Option<bool>,
    #[serde(default)]
    starting_deadline_seconds: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    #[serde(default)]
    last_schedule_time: Option<Timestamp>,
}

impl From<Facts> for CronJobState {
    fn from(f: Facts) -> Self {
        CronJobState {
            namespace: f.metadata.namespace,
            name: f.metadata.name,
            resource_version: f.metadata.resource_version,
            uid: f.metadata.uid,
            schedule: f.spec.schedule,
            time_zone: f.spec.time_zone,
            suspend: f.spec.suspend.unwrap_or(false),
            annotations: f.metadata.annotations,
            creation_timestamp: f.metadata.creation_timestamp,
            last_schedule_time: f.status.last_schedule_time,
            starting_deadline_seconds: f.spec.starting_deadline_seconds,
        }
    }
}

/// Runs `reschedule-next-minute`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    if ctx.kube_args().all_namespaces {
        return Err(Error::Usage(
            "reschedule-next-minute works on one CronJob: use -n, not -A".into(),
        ));
    }
    if ctx.kube_args().selector.is_some() {
        return Err(Error::Usage("reschedule-next-minute takes a CronJob name, not -l".into()));
    }
    // Refused as trigger refuses it: a flag that only applies with another is a usage error,
    // not silently ignored.
    if args.timeout.is_some() && !(args.wait || args.logs) {
        return Err(Error::Usage("--timeout only applies with --wait or -f".into()));
    }
    let namespace = ctx.scope().await?.namespace().unwrap_or("default").to_owned();
    let cluster = &ctx.connection().await?.cluster;
    let dry_run = args.dry_run.dry_run;
    let human = matches!(out.format(), OutputFormat::Table | OutputFormat::Wide);

    if args.restore {
        let report = restore(cluster, &namespace, &args.cronjob, dry_run).await?;
        print(out, &report, human)?;
        return Ok(ExitStatus::Success);
    }

    let waiting = (args.wait || args.logs) && dry_run == DryRun::None;
    // With --wait the restore is ours to do, so Ctrl-C must not kill the process between the
    // pin landing and the wait starting (the schedule would stay pinned). Listening from before
    // the pin is sent turns a Ctrl-C at any point into "finish the request in flight, restore,
    // exit 130". Without --wait there is one atomic patch and Ctrl-C keeps its default meaning.
    let mut interrupt = std::pin::pin!(ctrl_c());
    if waiting {
        // The first poll registers the handler (tokio `signal::ctrl_c`); it is not ready yet.
        let _ = futures::poll!(interrupt.as_mut());
    }
    let pinning = reschedule(cluster, &namespace, &args, dry_run);
    let (pinned, interrupted) = if waiting {
        pin_through_ctrl_c(pinning, interrupt.as_mut(), &args.cronjob, &namespace).await
    } else {
        (Some(pinning.await), false)
    };
    let Some(pinned) = pinned else { return Ok(ExitStatus::Interrupted) };
    let (mut report, fire_at, uid) = pinned?;
    for warning in &report.warnings {
        notice::warning(warning, None);
    }
    if !waiting {
        print(out, &report, human)?;
        return Ok(ExitStatus::Success);
    }
    if human {
        out.write_str(&report.human())?;
    }
    let job_name = report.job_name.clone().unwrap_or_default();
    let timeout = args.timeout.unwrap_or_else(|| {
        let (now, _) = cluster.now();
        let until_fire = fire_at.duration_since(now).as_secs().max(0);
        Duration::from_secs(until_fire.unsigned_abs()) + CONTROLLER_GRACE
    });
    let stopped = || Error::StoppedWaiting {
        job: job_name.clone(),
        namespace: namespace.clone(),
        why: "interrupted".into(),
        interrupted: true,
    };
    // A Ctrl-C while the pin was on the wire skips the wait.
    let created = if interrupted {
        Err(stopped())
    } else {
        tokio::select! {
            biased;
            () = interrupt.as_mut() => Err(stopped()),
            created = follow::wait_until_created(cluster, &namespace, &job_name, Some(timeout)) => {
                created
            }
            () = gone::deleted(cluster, &namespace, &args.cronjob, &uid) => {
                // No run will come and there is nothing to restore: say so now, not at the
                // timeout with a warning to --restore a CronJob that does not exist.
                return Err(Error::Refused {
                    reason: format!(
                        "cronjob {namespace}/{} was deleted (or replaced) while waiting for its \
                         run: no run will start and there is no schedule to restore",
                        args.cronjob
                    ),
                    hint: "nothing is left to undo; if it was deleted by mistake, recreate it \
                           from its manifest"
                        .into(),
                });
            }
        }
    };
    // Restore whatever happened: a pinned schedule must not outlive the wait.
    let restored = restore(cluster, &namespace, &args.cronjob, DryRun::None).await;
    let job = match (created, restored) {
        (Ok(job), Ok(restored)) => {
            report.restored_at = Some(cluster.now().0);
            if human {
                out.write_str(&format!(
                    "job.batch/{job_name} created by the controller; {}",
                    restored.human()
                ))?;
            }
            job
        }
        // The run was never created and the schedule is back: say so rather than
        // StoppedWaiting's "follow the job" hint, which would point at nothing.
        (Err(Error::StoppedWaiting { interrupted: true, .. }), Ok(restored)) => {
            notice::line(
                &format!(
                    "interrupted before job {job_name} was created; the schedule was restored"
                ),
                None,
            );
            // The summary still goes to stdout: the restore line, or the report (restoredAt
            // set) for -o json/yaml, so a script sees what state it left.
            report.restored_at = Some(cluster.now().0);
            if human {
                out.write_str(&restored.human())?;
            } else {
                out.print(&report)?;
            }
            return Ok(ExitStatus::Interrupted);
        }
        (Err(Error::StoppedWaiting { why, .. }), Ok(_)) => {
            return Err(Error::Refused {
                reason: format!(
                    "the controller did not create job \"{job_name}\" in namespace \"{namespace}\" \
                     ({why}); the schedule was restored"
                ),
                hint: "check that the CronJob controller runs and sees the CronJob: \
                       kubectl get events -n NAMESPACE --field-selector involvedObject.kind=CronJob"
                    .into(),
            });
        }
        (Err(wait_error), Ok(_)) => {
            notice::line("the schedule was restored", None);
            return Err(wait_error);
        }
        (_, Err(restore_error)) => {
            notice::warning(
                &format!(
                    "could not restore the schedule: {restore_error}; run: kubectl kuul \
                     reschedule-next-minute {} --restore -n {namespace}",
                    args.cronjob
                ),
                None,
            );
            return Err(restore_error);
        }
    };
    let mut status = ExitStatus::Success;
    if args.logs {
        let name = job.metadata.name.clone().unwrap_or(job_name);
        let options = FollowOptions {
            logs: true,
            timeout: None,
            progress: ctx.interactive,
            ..FollowOptions::default()
        };
        let finished = follow::follow_job(cluster, &namespace, &name, &options, out).await?;
        if matches!(finished.result, RunResult::Failed { .. }) {
            status = ExitStatus::Error;
        }
        if human {
            out.write_str(&format!("{}\n", finished.summary(&name)))?;
        }
    }
    if !human {
        out.print(&report)?;
    }
    Ok(status)
}

/// Sends the pin with Ctrl-C already caught. A first Ctrl-C lets the request in flight finish
/// (the caller then restores at once instead of waiting: `(Some(result), true)`); a second one
/// stops at once, with the command that restores by hand (`(None, true)`), the way a second
/// Ctrl-C abandons in-flight requests in the bulk engine.
async fn pin_through_ctrl_c<T>(
    pinning: impl Future<Output = Result<T>>,
    first: std::pin::Pin<&mut impl Future<Output = ()>>,
    cronjob: &str,
    namespace: &str,
) -> (Option<Result<T>>, bool) {
    let mut pinning = std::pin::pin!(pinning);
    tokio::select! {
        biased;
        result = pinning.as_mut() => return (Some(result), false),
        () = first => {}
    }
    notice::line(
        "interrupted: finishing the request in flight, then restoring the schedule \
         (Ctrl-C again to stop now)",
        None,
    );
    tokio::select! {
        biased;
        result = pinning => (Some(result), true),
        () = ctrl_c() => {
            notice::warning(
                &format!(
                    "stopped with the reschedule request in flight: the CronJob may be left \
                     rescheduled; run: kubectl kuul reschedule-next-minute {cronjob} --restore \
                     -n {namespace}"
                ),
                None,
            );
            (None, true)
        }
    }
}

/// Completes on Ctrl-C (or SIGTERM on Unix, Ctrl-Break on Windows: `crate::interrupt`); never
/// where signals cannot be handled.
async fn ctrl_c() {
    crate::interrupt::interrupted().await;
}

fn print(out: &mut Printer<'_>, report: &RescheduleReport, human: bool) -> Result<()> {
    if human { out.write_str(&report.human()) } else { out.print(report) }
}

/// Reads the CronJob (suggesting names when it is missing).
async fn read(cluster: &Cluster, namespace: &str, name: &str) -> Result<CronJobState> {
    let facts: Facts = match cluster.get::<CronJob, Facts>(Some(namespace), name).await {
        Err(Error::NotFound { .. }) => {
            let found = lookup::cronjob(cluster, namespace, name).await?;
            let value = serde_json::to_value(found).map_err(|e| Error::Decode(e.to_string()))?;
            serde_json::from_value(value).map_err(|e| Error::Decode(e.to_string()))?
        }
        other => other?,
    };
    Ok(facts.into())
}

/// Read, decide, patch; again on 409 Conflict (someone else wrote in between).
async fn read_decide_patch<D, T>(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    dry_run: DryRun,
    mut decide: D,
) -> Result<T>
where
    D: FnMut(&CronJobState, Timestamp, ClockSource) -> Result<(Value, T)>,
{
    let mut attempt = 1;
    loop {
        let state = read(cluster, namespace, name).await?;
        let (now, clock) = cluster.now();
        let (patch, outcome) = decide(&state, now, clock)?;
        let write = match dry_run {
            DryRun::Client => return Ok(outcome),
            DryRun::Server => Write::ServerDryRun,
            DryRun::None => Write::Apply,
        };
        crate::fanout::member::barrier(1).await;
        match cluster
            .patch::<CronJob, Value, Value>(Some(namespace), name, &Patch::Merge(patch), write)
            .await
        {
            Ok(_) => return Ok(outcome),
            Err(Error::Api { code: 409, .. }) if attempt < MAX_ATTEMPTS => attempt += 1,
            Err(err) => return Err(err),
        }
    }
}

/// Pins the schedule to the next minute.
async fn reschedule(
    cluster: &Cluster,
    namespace: &str,
    args: &Args,
    dry_run: DryRun,
) -> Result<(RescheduleReport, Timestamp, String)> {
    read_decide_patch(cluster, namespace, &args.cronjob, dry_run, |state, now, clock| {
        plan::check_suspend(state, args.unsuspend)?;
        let fire =
            plan::next_minute(&state.schedule, state.time_zone.as_deref(), now, args.min_lead)?;
        let patch = plan::reschedule_patch(state, &fire, args.unsuspend);
        let mut warnings = Vec::new();
        if let Some(missed) = plan::immediate_run(state, &fire, now) {
            warnings.push(format!(
                "the controller will also start a run at once for {missed}: the pinned \
                 minute's previous yearly occurrence is after the CronJob's last run"
            ));
        }
        let zoned = fire.at.to_zoned(fire.zone.clone());
        let report = RescheduleReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "RescheduleReport",
            action: Action::Reschedule,
            namespace: namespace.to_owned(),
            name: state.name.clone(),
            old_schedule: state.schedule.clone(),
            new_schedule: fire.schedule.clone(),
            original_schedule: state.original_schedule().unwrap_or(&state.schedule).to_owned(),
            time_zone: fire.zone_name.clone(),
            fire_at: Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
            fire_at_utc: Some(fire.at),
            lead_seconds: Some(fire.at.as_second() - now.as_second()),
            job_name: Some(kuul_schedule::job_name(&state.name, fire.at)),
            observed_at: now,
            clock,
            suspend_changed: args.unsuspend && state.suspend,
            dry_run: dry_run.as_str(),
            restored_at: None,
            warnings,
        };
        Ok((patch, (report, fire.at, state.uid.clone())))
    })
    .await
}

/// Puts the saved schedule back.
async fn restore(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    dry_run: DryRun,
) -> Result<RescheduleReport> {
    read_decide_patch(cluster, namespace, name, dry_run, |state, now, clock| {
        let patch = plan::restore_patch(state)?;
        let original = state.original_schedule().unwrap_or_default().to_owned();
        let (_, zone_name) = plan::zone_of(&original, state.time_zone.as_deref());
        let report = RescheduleReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "RescheduleReport",
            action: Action::Restore,
            namespace: namespace.to_owned(),
            name: state.name.clone(),
            old_schedule: state.schedule.clone(),
            new_schedule: original.clone(),
            original_schedule: original,
            time_zone: zone_name,
            fire_at: None,
            fire_at_utc: None,
            lead_seconds: None,
            job_name: None,
            observed_at: now,
            clock,
            suspend_changed: state.lifted_suspend(),
            dry_run: dry_run.as_str(),
            restored_at: None,
            warnings: Vec::new(),
        };
        Ok((patch, report))
    })
    .await
}
