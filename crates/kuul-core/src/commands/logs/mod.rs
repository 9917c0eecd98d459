//! `kubectl kuul logs CRONJOB`: the logs of a CronJob's latest run (or `--run JOB`, `--run -2`,
//! `--failed`, `--succeeded`, `--all-runs`), found for you; `-f` follows an active run and
//! `--next` waits for the next one. Each attempt (pod) of a run is shown, oldest first, headed
//! with its pod and how it ended, and what cannot be shown is said in words.
//!
//! Requests: the CronJob, its namespace's Jobs, Job pods and CronJob events, listed once and
//! concurrently (`runs::load`), then one `pods/log` GET per attempt and container, at most
//! [`MAX_LOG_REQUESTS`] at a time (kubectl's `--max-log-requests` default).

mod show;

use std::collections::HashSet;
use std::time::Duration;

use crate::cluster::ListOptions;
use crate::cluster::lookup;
use crate::commands::history::no_such_run;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::follow::{self, FollowOptions, LogOptions};
use crate::output::{OutputFormat, Printer};
use crate::runs::{self, History, Run, RunRef, RunResult};
use show::Plan;

/// Log requests in flight at once, and log streams followed at once: kubectl's
/// `--max-log-requests` default.
pub const MAX_LOG_REQUESTS: u16 = 5;

/// Arguments of `logs`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  kubectl kuul logs nightly-backup                 # the latest run, every attempt
  kubectl kuul logs nightly-backup --failed        # the latest failed run
  kubectl kuul logs nightly-backup --run -2        # the run before the latest
  kubectl kuul logs nightly-backup --all-runs --prefix --tail 20
  kubectl kuul logs nightly-backup -f              # follow the active run
  kubectl kuul logs nightly-backup --next          # wait for the next run and follow it

Exit status: 0 when the logs were shown (whatever the run's result); with -f or --next, which
follow a run to its end, 0 when it succeeded and 1 when it failed; 1 when there is no such run
(or the CronJob does not exist), 2 for a usage error.")]
#[allow(clippy::struct_excessive_bools)] // kubectl's flags
pub struct Args {
    /// The CronJob
    #[arg(value_name = "CRONJOB")]
    pub name: String,
    /// Which run: a Job name, or -N (-1 is the latest, -2 the one before)
    #[arg(long, value_name = "RUN", allow_hyphen_values = true,
          conflicts_with_all = ["failed", "succeeded", "all_runs", "next"])]
    pub run: Option<String>,
    /// The latest failed run
    #[arg(long, conflicts_with_all = ["succeeded", "all_runs", "next"])]
    pub failed: bool,
    /// The latest successful run
    #[arg(long, conflicts_with_all = ["all_runs", "next"])]
    pub succeeded: bool,
    /// Every retained run, oldest first, each under a header line
    #[arg(long, conflicts_with_all = ["next", "follow"])]
    pub all_runs: bool,
    /// Prefix each line with its pod and container ([pod/NAME/CONTAINER]) instead of headers
    #[arg(long)]
    pub prefix: bool,
    /// Follow the run's log while it is active
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Wait for the CronJob's next run (scheduled or manual) to start, then follow it
    #[arg(long)]
    pub next: bool,
    /// With --next: give up waiting after this long
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, requires = "next")]
    pub timeout: Option<Duration>,
    /// The container (default: kubectl's choice, the default-container annotation or the first)
    #[arg(short = 'c', long, value_name = "NAME")]
    pub container: Option<String>,
    /// Every container of each pod, init containers first
    #[arg(long, conflicts_with = "container")]
    pub all_containers: bool,
    /// Log streams followed at once (-f --all-containers), and log requests in flight
    #[arg(long, value_name = "N", default_value_t = MAX_LOG_REQUESTS,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max_log_requests: u16,
    /// The log of the previous instance of a restarted container
    #[arg(short = 'p', long)]
    pub previous: bool,
    /// Lines of recent log to show per container; -1 shows all
    #[arg(long, value_name = "N", default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// Only lines newer than this, e.g. 5s, 2m, 3h
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub since: Option<Duration>,
    /// Prefix each line with its RFC 3339 timestamp
    #[arg(long)]
    pub timestamps: bool,
}

impl Args {
    fn log_options(&self) -> LogOptions {
        LogOptions {
            container: self.container.clone(),
            tail_lines: (self.tail >= 0).then_some(self.tail),
            since_seconds: self
                .since
                .map(|d| i64::try_from(d.as_secs().max(1)).unwrap_or(i64::MAX)),
            timestamps: self.timestamps,
            previous: self.previous,
            prefix: self.prefix,
            all_containers: self.all_containers,
        }
    }
}

/// Runs `logs`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    if ctx.kube_args().all_namespaces {
        return Err(Error::Usage("logs shows one CronJob: use -n NAMESPACE, not -A".into()));
    }
    if !matches!(out.format(), OutputFormat::Table) {
        return Err(Error::Usage("logs prints log lines; -o is not supported".into()));
    }
    if args.tail < -1 {
        return Err(Error::Usage(format!("--tail must be -1 or more, not {}", args.tail)));
    }
    let wanted = match &args.run {
        Some(text) => Some(text.parse::<RunRef>().map_err(Error::Usage)?),
        None => None,
    };
    let scope = ctx.scope().await?;
    let namespace = scope.namespace().unwrap_or("default").to_owned();
    let cluster = &ctx.connection().await?.cluster;
    let by_name = ListOptions {
        label_selector: None,
        field_selector: Some(format!("metadata.name={}", args.name)),
    };
    let loaded = runs::load(cluster, Some(&namespace), by_name).await?;
    let (now, _) = cluster.now();
    let Some(history) = loaded.histories(now).into_iter().find(|h| h.name == args.name) else {
        // The error path only: a GET that suggests the nearest names.
        lookup::cronjob(cluster, &namespace, &args.name).await?;
        return Err(Error::NotFound {
            kind: "cronjob",
            name: args.name.clone(),
            namespace: Some(namespace),
            suggestions: Vec::new(),
        });
    };

    if args.next {
        return follow_next(ctx, &args, &history, out).await;
    }
    let chosen: Vec<&Run> = if args.all_runs {
        history.runs.iter().rev().collect()
    } else {
        let (found, asked) = if let Some(which) = &wanted {
            (which.find(&history.runs), which.to_string())
        } else if args.failed {
            (history.runs.iter().find(|r| r.result == RunResult::Failed), "that failed".into())
        } else if args.succeeded {
            (
                history.runs.iter().find(|r| r.result == RunResult::Succeeded),
                "that succeeded".into(),
            )
        } else {
            (RunRef::Newest(1).find(&history.runs), "at all".into())
        };
        vec![found.ok_or_else(|| no_such_run(&history, &asked))?]
    };
    if chosen.is_empty() {
        return Err(no_such_run(&history, "at all"));
    }

    let active = |r: &Run| matches!(r.result, RunResult::Running | RunResult::Pending);
    if args.follow && chosen.len() == 1 && active(chosen[0]) {
        let t = &chosen[0].template;
        check_streams(&args, t.containers.len() + t.init_containers.len())?;
        return follow_run(ctx, &args, &namespace, &chosen[0].name, out).await;
    }
    let plan = Plan::new(&chosen, &args, history.runs.len());
    let max = usize::from(args.max_log_requests);
    show::print(cluster, &namespace, &plan, &args.log_options(), max, out).await?;
    Ok(ExitStatus::Success)
}

/// `-f --all-containers` follows every container of a pod at once; kubectl refuses more streams
/// than `--max-log-requests` with this error (`logs.go` `RunLogs`, 1.33).
fn check_streams(args: &Args, containers: usize) -> Result<()> {
    if args.all_containers && containers > 1 && containers > usize::from(args.max_log_requests) {
        return Err(Error::Refused {
            reason: format!(
                "you are attempting to follow {containers} log streams, but maximum allowed \
                 concurrency is {}, use --max-log-requests to increase the limit",
                args.max_log_requests
            ),
            hint: "kubectl kuul logs without -f shows them one after another".into(),
        });
    }
    Ok(())
}

/// The logs of `run` (every attempt, headed, each attempt's first container) into `out`, as
/// `kubectl kuul logs CRONJOB --run JOB` prints them, headers and notes included: `dash`'s logs
/// view.
pub(crate) async fn show_run(
    cluster: &crate::cluster::Cluster,
    namespace: &str,
    run: &Run,
    out: &mut Printer<'_>,
) -> Result<()> {
    let args = Args {
        name: String::new(),
        run: Some(run.name.clone()),
        failed: false,
        succeeded: false,
        all_runs: false,
        prefix: false,
        follow: false,
        next: false,
        timeout: None,
        container: None,
        all_containers: false,
        previous: false,
        tail: -1,
        since: None,
        timestamps: false,
        max_log_requests: MAX_LOG_REQUESTS,
    };
    let mut plan = Plan::new(&[run], &args, 1);
    plan.headers_on_stdout = true;
    let max = usize::from(args.max_log_requests);
    show::print(cluster, namespace, &plan, &args.log_options(), max, out).await
}

/// `-f` on an active run: the follow module streams each attempt's log as it comes.
async fn follow_run(
    ctx: &Context,
    args: &Args,
    namespace: &str,
    job: &str,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let cluster = &ctx.connection().await?.cluster;
    crate::notice::line(&format!("==> following job.batch/{job} <=="), None);
    let options =
        FollowOptions { logs: true, timeout: None, progress: false, log: args.log_options() };
    let finished = follow::follow_job(cluster, namespace, job, &options, out).await?;
    crate::notice::line(&finished.summary(job), None);
    // Followed to its end, the run's result is the exit code, as `trigger --wait`'s.
    Ok(match finished.result {
        follow::RunResult::Succeeded => ExitStatus::Success,
        follow::RunResult::Failed { .. } => ExitStatus::Error,
    })
}

/// `--next`: wait for a Job of this CronJob that is not one of today's, then follow it.
async fn follow_next(
    ctx: &Context,
    args: &Args,
    history: &History,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let cluster = &ctx.connection().await?.cluster;
    let known: HashSet<String> = history.runs.iter().map(|r| r.name.clone()).collect();
    // Listen for Ctrl-C before saying we wait: one pressed right after the line is ours.
    let mut interrupt = std::pin::pin!(crate::interrupt::interrupted());
    let early = futures::poll!(interrupt.as_mut()).is_ready();
    crate::notice::line(
        &format!("waiting for the next run of cronjob.batch/{} ...", history.name),
        None,
    );
    let found = if early {
        None
    } else {
        tokio::select! {
            biased;
            () = interrupt => None,
            found = follow::wait_for_new_job(
                cluster, &history.namespace, &history.uid, &known, args.timeout,
            ) => Some(found),
        }
    };
    let job = match found {
        Some(Ok(job)) => job,
        None | Some(Err(Error::StoppedWaiting { interrupted: true, .. })) => {
            // No run to point at (StoppedWaiting's "follow job X" hint would name none): finish
            // the waiting line's story and exit 130, as the other waits do on Ctrl-C.
            crate::notice::interrupted_line(&format!(
                "stopped waiting (interrupted): no new run of cronjob.batch/{} had started",
                history.name
            ));
            return Ok(ExitStatus::Interrupted);
        }
        Some(Err(Error::StoppedWaiting { why, .. })) => {
            return Err(Error::Refused {
                reason: format!("no new run of cronjob.batch/{} started ({why})", history.name),
                hint: format!(
                    "kubectl kuul lastrun {0} -n {1} shows its next start; \
                     kubectl kuul trigger {0} -n {1} starts a run now",
                    history.name, history.namespace
                ),
            });
        }
        Some(Err(other)) => return Err(other),
    };
    let name = job.metadata.name.clone().unwrap_or_default();
    let spec = job.spec.as_ref().and_then(|s| s.template.spec.as_ref());
    let containers =
        spec.map_or(0, |s| s.containers.len() + s.init_containers.as_ref().map_or(0, Vec::len));
    check_streams(args, containers)?;
    follow_run(ctx, args, &history.namespace, &name, out).await
}
