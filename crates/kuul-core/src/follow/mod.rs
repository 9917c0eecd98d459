//! Following a Job until it ends, for `trigger --wait` and `reschedule-next-minute --wait`:
//! a progress line on a terminal, the pod's log with `-f` (and the next pod's after a retry),
//! Ctrl-C stops waiting without touching the Job and says how to follow it later.
//!
//! Everything is watched (never polled) through [`watch::ResilientWatch`], which reconnects
//! from the last resourceVersion when a watch ends. Logs are read with `follow=true`, one pod
//! at a time in creation order, like `kubectl logs -f job/NAME` but across retries.

pub mod drain;
mod logs;
mod state;
pub(crate) mod watch;

use std::collections::HashSet;
use std::time::Duration;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Pod;
use kube::api::WatchParams;
use tokio::time::Instant;

pub use logs::short as short_error;
pub use state::{DEFAULT_CONTAINER_ANNOTATION, RunResult, default_container};

use crate::cluster::{Cluster, ListOptions};
use crate::duration;
use crate::error::{Error, Result};
use crate::output::Printer;
use logs::LogStream;
use watch::{ResilientWatch, Seen, next_if_open};

/// How long to keep reading the last pod's log once the Job has ended (its container has
/// exited, so the kubelet closes the stream at once; this only bounds a misbehaving server).
const LOG_DRAIN: Duration = Duration::from_secs(10);

/// What to do while waiting.
#[derive(Debug, Clone, Default)]
pub struct FollowOptions {
    /// Stream the pods' logs to the output.
    pub logs: bool,
    /// Give up waiting after this long (the Job goes on).
    pub timeout: Option<Duration>,
    /// Draw a progress line on stderr (only on a terminal).
    pub progress: bool,
    /// Which container and which lines of the log (`kuul logs -f`); the default is
    /// `kubectl logs -f`'s: the default container, every line.
    pub log: LogOptions,
}

/// What part of a pod's log to read, as `kubectl logs` spells it.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// `-c`: the container (default: the default-container annotation, else the first).
    pub container: Option<String>,
    /// `--tail`.
    pub tail_lines: Option<i64>,
    /// `--since`, in seconds.
    pub since_seconds: Option<i64>,
    /// `--timestamps`.
    pub timestamps: bool,
    /// `--previous`: the previous instance's log (with follow, it ends when that log does).
    pub previous: bool,
    /// `--all-containers`: every container of each pod, init containers first.
    pub all_containers: bool,
    /// `--prefix`: each line as `[pod/NAME/CONTAINER] line`.
    pub prefix: bool,
}

impl LogOptions {
    /// The `pods/log` query for one container.
    pub fn params(&self, container: &str, follow: bool) -> kube::api::LogParams {
        kube::api::LogParams {
            follow,
            container: Some(container.to_owned()),
            tail_lines: self.tail_lines,
            since_seconds: self.since_seconds,
            timestamps: self.timestamps,
            previous: self.previous,
            ..kube::api::LogParams::default()
        }
    }
}

/// A run that ended.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The Job as last seen.
    pub job: Job,
    /// Its result.
    pub result: RunResult,
    /// Seconds from start to end, when the status says.
    pub run_seconds: Option<i64>,
}

impl Finished {
    /// One line saying how the run ended: `job.batch/x succeeded in 1m5s`,
    /// `job.batch/x failed in 30s: BackoffLimitExceeded: Job has reached the specified backoff limit`.
    pub fn summary(&self, name: &str) -> String {
        let took =
            self.run_seconds.map(|s| format!(" in {}", duration::human(s))).unwrap_or_default();
        match &self.result {
            RunResult::Succeeded => format!("job.batch/{name} succeeded{took}"),
            RunResult::Failed { reason, message } if message.is_empty() => {
                format!("job.batch/{name} failed{took}: {reason}")
            }
            RunResult::Failed { reason, message } => {
                format!("job.batch/{name} failed{took}: {reason}: {message}")
            }
        }
    }
}

/// Waits until Job `name` completes or fails. Ctrl-C or `options.timeout` end the wait with
/// [`Error::StoppedWaiting`]; the Job is never touched.
pub async fn follow_job(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    options: &FollowOptions,
    out: &mut Printer<'_>,
) -> Result<Finished> {
    let stop = Stop::new(name, namespace, options.timeout);
    let progress = options.progress.then(|| progress_bar(name));
    let result = follow(cluster, namespace, name, options, out, &stop, progress.as_ref()).await;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    result
}

#[allow(clippy::too_many_lines)] // one select loop; splitting it would scatter its state
async fn follow(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    options: &FollowOptions,
    out: &mut Printer<'_>,
    stop: &Stop,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Finished> {
    let by_name = WatchParams::default().fields(&format!("metadata.name={name}"));
    let mut jobs = ResilientWatch::<Job>::new(cluster, namespace, "jobs.batch", by_name);
    let mut pods: Option<ResilientWatch<Pod>> = None;
    let mut selector = String::new();
    let mut queue: Vec<Pod> = Vec::new();
    let mut seen_pods: HashSet<String> = HashSet::new();
    let mut current: Option<LogStream> = None;
    let mut followed = 0_usize;
    let mut finished: Option<Finished> = None;
    let mut drain_until: Option<Instant> = None;
    let stopped = stop.wait();
    tokio::pin!(stopped);
    // A watch that opens after the Job is gone reports nothing at all (no ADDED, no DELETED),
    // and would wait for ever: open it, then look once.
    tokio::select! {
        biased;
        err = &mut stopped => return Err(err),
        opened = jobs.open() => opened?,
    }
    match cluster.get::<Job, serde::de::IgnoredAny>(Some(namespace), name).await {
        Err(Error::NotFound { .. }) => return Err(deleted_while_waiting(namespace, name)),
        Err(err) => return Err(err),
        Ok(_) => {}
    }

    loop {
        if current.is_none() && !queue.is_empty() {
            let pod = queue.remove(0);
            followed += 1;
            current = Some(
                LogStream::open(cluster, namespace, &pod, followed, &options.log, progress).await,
            );
        }
        if let Some(done) = &finished
            && current.is_none()
            && queue.is_empty()
        {
            return Ok(done.clone());
        }
        let drain = async {
            match drain_until {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            err = &mut stopped => return Err(err),
            () = drain => {
                // The last log stream did not end after the run did: stop reading it.
                current = None;
                queue.clear();
            }
            line = logs::next_line(&mut current) => {
                match line {
                    // The spinner (stderr) is cleared while the line is written and drawn
                    // again below it, so no stale spinner line is left before each log line.
                    Some(line) => match progress {
                        Some(bar) => bar.suspend(|| out.write_str(&format!("{line}\n")))?,
                        None => out.write_str(&format!("{line}\n"))?,
                    },
                    None => current = None,
                }
            }
            seen = next_if_open(&mut pods), if pods.is_some() && finished.is_none() => {
                if let Seen::Applied(pod) = seen? {
                    enqueue(&mut queue, &mut seen_pods, pod);
                }
            }
            seen = jobs.next(), if finished.is_none() => {
                let job = match seen? {
                    Seen::Applied(job) => job,
                    Seen::Deleted(_) => return Err(deleted_while_waiting(namespace, name)),
                    // Reopened from the current state: the Job comes again (ADDED).
                    Seen::Restarted => continue,
                };
                if let Some(bar) = progress {
                    // The elapsed time is the bar's own `{waited}`, redrawn on every tick.
                    let c = state::counts(&job);
                    bar.set_message(format!(
                        "job/{name}: {} active, {} succeeded, {} failed",
                        c.active, c.succeeded, c.failed,
                    ));
                }
                if options.logs && pods.is_none()
                    && let Some(uid) = job.metadata.uid.as_deref()
                {
                    selector = format!("batch.kubernetes.io/controller-uid={uid}");
                    let params = WatchParams::default().labels(&selector);
                    pods = Some(ResilientWatch::new(cluster, namespace, "pods", params));
                }
                if let Some(result) = state::result(&job) {
                    if options.logs {
                        // The final set of pods, so a pod that ended between two watch events
                        // still has its log shown.
                        let every = ListOptions {
                            label_selector: Some(selector.clone()),
                            field_selector: None,
                        };
                        let all: Vec<Pod> =
                            cluster.list::<Pod, Pod>(Some(namespace), &every).await?;
                        for pod in all {
                            enqueue(&mut queue, &mut seen_pods, pod);
                        }
                        drain_until = Some(Instant::now() + LOG_DRAIN);
                    }
                    let run_seconds = state::run_seconds(&job);
                    finished = Some(Finished { job, result, run_seconds });
                }
            }
        }
    }
}

/// Adds a pod whose log can be read, once, keeping creation order.
fn deleted_while_waiting(namespace: &str, name: &str) -> Error {
    Error::Refused {
        reason: format!("job \"{name}\" in namespace \"{namespace}\" was deleted while we waited"),
        hint: "someone or something (ttlSecondsAfterFinished, prune, its CronJob's deletion) \
               removed it; check events: kubectl get events -n NAMESPACE"
            .into(),
    }
}

fn enqueue(queue: &mut Vec<Pod>, seen: &mut HashSet<String>, pod: Pod) {
    let Some(name) = pod.metadata.name.clone() else { return };
    if !state::has_logs(&pod) || seen.contains(&name) {
        return;
    }
    seen.insert(name);
    queue.push(pod);
    queue.sort_by_key(state::creation_order);
}

/// How a Job ended, if it has (`Complete` or `Failed` condition true).
pub fn result_of(job: &Job) -> Option<RunResult> {
    state::result(job)
}

/// Waits until Job `name` exists (the CronJob controller created it) and returns it. Ctrl-C
/// and `timeout` end the wait with [`Error::StoppedWaiting`].
pub async fn wait_until_created(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    timeout: Option<Duration>,
) -> Result<Job> {
    let stop = Stop::new(name, namespace, timeout);
    let by_name = WatchParams::default().fields(&format!("metadata.name={name}"));
    let mut jobs = ResilientWatch::<Job>::new(cluster, namespace, "jobs.batch", by_name);
    let stopped = stop.wait();
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            biased;
            err = &mut stopped => return Err(err),
            seen = jobs.next() => {
                if let Seen::Applied(job) = seen? {
                    return Ok(job);
                }
            }
        }
    }
}

/// Waits until the CronJob with uid `owner` has a Job whose name is not in `known` (the next
/// run, scheduled or manual) and returns it. The watch's first events are the Jobs that exist
/// now, so one created between the caller's list and the watch is not missed.
pub async fn wait_for_new_job(
    cluster: &Cluster,
    namespace: &str,
    owner: &str,
    known: &HashSet<String>,
    timeout: Option<Duration>,
) -> Result<Job> {
    let stop = Stop::new("(the next run)", namespace, timeout);
    let mut jobs =
        ResilientWatch::<Job>::new(cluster, namespace, "jobs.batch", WatchParams::default());
    let stopped = stop.wait();
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            biased;
            err = &mut stopped => return Err(err),
            seen = jobs.next() => {
                if let Seen::Applied(job) = seen? {
                    let ours = job.metadata.owner_references.iter().flatten()
                        .any(|r| r.uid == owner && r.controller == Some(true));
                    let name = job.metadata.name.as_deref().unwrap_or_default();
                    if ours && !known.contains(name) {
                        return Ok(job);
                    }
                }
            }
        }
    }
}

/// Ctrl-C or the deadline, whichever comes first, as the error that ends the wait.
struct Stop {
    job: String,
    namespace: String,
    timeout: Option<(Duration, Instant)>,
}

impl Stop {
    fn new(job: &str, namespace: &str, timeout: Option<Duration>) -> Self {
        Stop {
            job: job.to_owned(),
            namespace: namespace.to_owned(),
            // `--timeout 0` is no limit, as `--request-timeout 0` and the bulk commands' are.
            timeout: timeout.filter(|t| !t.is_zero()).map(|t| (t, Instant::now() + t)),
        }
    }

    async fn wait(&self) -> Error {
        let deadline = async {
            match self.timeout {
                Some((_, at)) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        let (why, interrupted) = tokio::select! {
            () = crate::interrupt::interrupted() => ("interrupted".to_owned(), true),
            () = deadline => {
                let after = self.timeout.map_or(0, |(t, _)| t.as_secs());
                (format!("timed out after {}", duration::human(i64::try_from(after).unwrap_or(0))), false)
            }
        };
        Error::StoppedWaiting {
            job: self.job.clone(),
            namespace: self.namespace.clone(),
            why,
            interrupted,
        }
    }
}

fn progress_bar(name: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, crate::bulk::progress::stderr_target());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({waited})")
            .map(|style| {
                style.with_key(
                    "waited",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let secs = i64::try_from(state.elapsed().as_secs()).unwrap_or(0);
                        let _ = w.write_str(&duration::human(secs));
                    },
                )
            })
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message(format!("job/{name}: waiting"));
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summaries_name_the_result_and_the_time_as_kubectl_prints_ages() {
        let job: Job = serde_json::from_value(json!({"metadata": {"name": "a"}})).unwrap();
        let failed = Finished {
            job: job.clone(),
            result: RunResult::Failed {
                reason: "BackoffLimitExceeded".into(),
                message: String::new(),
            },
            run_seconds: Some(65),
        };
        assert_eq!(failed.summary("a"), "job.batch/a failed in 65s: BackoffLimitExceeded");
        let ok = Finished { job, result: RunResult::Succeeded, run_seconds: Some(125) };
        assert_eq!(ok.summary("a"), "job.batch/a succeeded in 2m5s");
    }
}
