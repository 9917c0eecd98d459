//! Waiting until the running Jobs of a set of CronJobs have ended (`suspend-all --wait`): a
//! suspended CronJob starts no new run, but runs already started go on ("Currently running jobs
//! will continue until done"), and maintenance must wait for them.
//!
//! One list of Jobs, then one watch from that list's resourceVersion over the same scope (not
//! one watch or poll per Job). A Job is running until its `Complete` or `Failed` condition is
//! true ([`super::state::result`]) or it is deleted. On a terminal the running Jobs are a live
//! list on stderr, redrawn in place every second; elsewhere a line per change.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::Job;
use kube::api::WatchParams;
use serde::Serialize;
use tokio::time::Instant;

use super::state::{self, RunResult};
use super::watch::{ResilientWatch, Seen};
use crate::cluster::{Cluster, ListOptions};
use crate::duration;
use crate::error::Result;

/// At most this many running Jobs in the live list (then "... and N more").
const LIVE_ROWS: usize = 20;

/// A Job of a CronJob in scope that has not ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveJob {
    /// Namespace.
    pub namespace: String,
    /// The Job's name.
    pub name: String,
    /// The Job's uid (a delete's precondition).
    #[serde(skip)]
    pub uid: String,
    /// The CronJob that created it.
    pub cronjob: String,
    /// `.status.startTime`, else its creation time.
    pub started: Option<Timestamp>,
}

impl ActiveJob {
    /// The running Job `job` if a CronJob of `owners` (uid to name) controls it.
    fn of(job: &Job, owners: &HashMap<String, String>) -> Option<ActiveJob> {
        let owner = job
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|r| r.controller == Some(true) && r.kind == "CronJob")?;
        let cronjob = owners.get(&owner.uid)?;
        if state::result(job).is_some() {
            return None;
        }
        let started = job
            .status
            .as_ref()
            .and_then(|s| s.start_time.as_ref())
            .or(job.metadata.creation_timestamp.as_ref())
            .map(|t| t.0);
        Some(ActiveJob {
            namespace: job.metadata.namespace.clone().unwrap_or_default(),
            name: job.metadata.name.clone().unwrap_or_default(),
            uid: job.metadata.uid.clone().unwrap_or_default(),
            cronjob: cronjob.clone(),
            started,
        })
    }

    /// How long it has run at `now`, as kubectl prints ages.
    pub fn running_for(&self, now: Timestamp) -> String {
        self.started.map_or_else(|| "?".into(), |t| duration::age(t, now))
    }

    /// Seconds it has run at `now`.
    pub fn running_seconds(&self, now: Timestamp) -> Option<i64> {
        self.started.map(|t| now.as_second() - t.as_second())
    }

    /// `job.batch/NAME in NS (cronjob CJ, running 5m)`.
    pub fn describe(&self, now: Timestamp) -> String {
        format!(
            "job.batch/{} in {} (cronjob {}, running {})",
            self.name,
            self.namespace,
            self.cronjob,
            self.running_for(now)
        )
    }
}

/// The Jobs running now, and the list's version to watch from.
#[derive(Debug, Clone)]
pub struct Running {
    /// The running Jobs, by namespace then name.
    pub jobs: Vec<ActiveJob>,
    version: String,
}

/// Lists the running Jobs of the CronJobs `owners` (uid to name) in `namespace` (`None`: all).
pub async fn running_jobs(
    cluster: &Cluster,
    namespace: Option<&str>,
    owners: &HashMap<String, String>,
) -> Result<Running> {
    let (jobs, version) =
        cluster.list_versioned::<Job, Job>(namespace, &ListOptions::default()).await?;
    let mut jobs: Vec<ActiveJob> = jobs.iter().filter_map(|j| ActiveJob::of(j, owners)).collect();
    jobs.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    Ok(Running { jobs, version })
}

/// How a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DrainEnd {
    /// No Job runs any more.
    Drained,
    /// `--timeout` passed first.
    TimedOut,
    /// Ctrl-C.
    Interrupted,
}

/// What a wait saw.
#[derive(Debug, Clone)]
pub struct Drain {
    /// How it ended.
    pub end: DrainEnd,
    /// Jobs still running at the end (empty when drained).
    pub still_active: Vec<ActiveJob>,
    /// Jobs that ended (or were deleted) while waiting.
    pub ended: usize,
    /// How long it waited.
    pub waited: Duration,
}

/// How to wait.
#[derive(Debug, Clone, Default)]
pub struct DrainOptions {
    /// Give up after this long; `None` or zero: no limit.
    pub timeout: Option<Duration>,
    /// Draw the live list on stderr (a terminal); otherwise print a line per change.
    pub live: bool,
}

/// Waits until none of `running`'s Jobs, nor any Job of `owners` started since, is running.
pub async fn wait_until_drained(
    cluster: &Cluster,
    namespace: Option<&str>,
    owners: &HashMap<String, String>,
    running: Running,
    options: &DrainOptions,
) -> Result<Drain> {
    let started = Instant::now();
    let mut active: BTreeMap<String, ActiveJob> =
        running.jobs.into_iter().map(|j| (j.uid.clone(), j)).collect();
    let mut ended = 0;
    let finish = |end, active: BTreeMap<String, ActiveJob>, ended| {
        let mut still_active: Vec<ActiveJob> = active.into_values().collect();
        still_active.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        Drain { end, still_active, ended, waited: started.elapsed() }
    };
    if active.is_empty() {
        return Ok(finish(DrainEnd::Drained, active, 0));
    }
    let bar = options.live.then(live_bar);
    let say = |text: &str| crate::notice::line(text, None);
    let now = || cluster.now().0;
    if bar.is_none() {
        say(&format!(
            "waiting for {} running Job(s) to end: {}",
            active.len(),
            active.values().map(|j| j.describe(now())).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut watch =
        ResilientWatch::<Job>::in_scope(cluster, namespace, "jobs.batch", WatchParams::default())
            .starting_at(running.version.clone());
    let deadline = options.timeout.filter(|t| !t.is_zero()).map(|t| started + t);
    let stop_at = async {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(stop_at);
    let interrupted = crate::interrupt::interrupted();
    tokio::pin!(interrupted);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let end = loop {
        if let Some(bar) = &bar {
            bar.set_message(live_text(&active, now(), started.elapsed()));
        }
        tokio::select! {
            biased;
            () = &mut interrupted => break DrainEnd::Interrupted,
            () = &mut stop_at => break DrainEnd::TimedOut,
            _ = tick.tick(), if bar.is_some() => {}
            seen = watch.next() => {
                let (job, deleted) = match seen {
                    Ok(Seen::Applied(job)) => (job, false),
                    Ok(Seen::Deleted(job)) => (job, true),
                    Ok(Seen::Restarted) => {
                        // Changes were lost (410): what runs now is a new list, and a Job not
                        // in it ended while the watch was away (the reflector's Replace).
                        let again = match running_jobs(cluster, namespace, owners).await {
                            Ok(again) => again,
                            Err(err) => {
                                if let Some(bar) = &bar {
                                    bar.finish_and_clear();
                                }
                                return Err(err);
                            }
                        };
                        let listed: BTreeMap<String, ActiveJob> =
                            again.jobs.into_iter().map(|j| (j.uid.clone(), j)).collect();
                        let gone: Vec<ActiveJob> = active
                            .iter()
                            .filter(|(uid, _)| !listed.contains_key(*uid))
                            .map(|(_, j)| j.clone())
                            .collect();
                        active = listed;
                        for was in gone {
                            ended += 1;
                            let text = ended_line(&was, "ended", now(), active.len());
                            crate::notice::line(&text, bar.as_ref());
                        }
                        watch.resume_at(again.version);
                        if active.is_empty() {
                            break DrainEnd::Drained;
                        }
                        continue;
                    }
                    Err(err) => {
                        if let Some(bar) = &bar {
                            bar.finish_and_clear();
                        }
                        return Err(err);
                    }
                };
                let uid = job.metadata.uid.clone().unwrap_or_default();
                match (deleted, ActiveJob::of(&job, owners)) {
                    (false, Some(running)) => {
                        if !active.contains_key(&uid) && bar.is_none() {
                            say(&format!("started: {}", running.describe(now())));
                        }
                        active.insert(uid, running);
                    }
                    (_, _) => {
                        if let Some(was) = active.remove(&uid) {
                            ended += 1;
                            let how = match (deleted, state::result(&job)) {
                                (true, _) => "deleted".to_owned(),
                                (false, Some(RunResult::Succeeded)) => "succeeded".to_owned(),
                                (false, Some(RunResult::Failed { reason, .. })) => {
                                    format!("failed ({reason})")
                                }
                                (false, None) => "ended".to_owned(),
                            };
                            let text = ended_line(&was, &how, now(), active.len());
                            crate::notice::line(&text, bar.as_ref());
                        }
                    }
                }
                if active.is_empty() {
                    break DrainEnd::Drained;
                }
            }
        }
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(finish(end, active, ended))
}

/// The line that says a Job stopped running.
fn ended_line(was: &ActiveJob, how: &str, now: jiff::Timestamp, still: usize) -> String {
    format!(
        "ended: job.batch/{} in {} (cronjob {}) {how} after {}; {still} still running",
        was.name,
        was.namespace,
        was.cronjob,
        was.running_for(now)
    )
}

fn live_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, crate::bulk::progress::stderr_target());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The live list: a heading, then one aligned row per running Job.
fn live_text(active: &BTreeMap<String, ActiveJob>, now: Timestamp, waited: Duration) -> String {
    let waited = duration::human(i64::try_from(waited.as_secs()).unwrap_or(i64::MAX));
    let mut jobs: Vec<&ActiveJob> = active.values().collect();
    jobs.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    let rows: Vec<[String; 3]> = jobs
        .iter()
        .take(LIVE_ROWS)
        .map(|j| {
            [
                format!("{}/{}", j.namespace, j.cronjob),
                format!("job.batch/{}", j.name),
                j.running_for(now),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0).max(7);
    let (w0, w1) = (width(0), width(1));
    let mut text = format!("waiting for {} running Job(s) to end ({waited})", jobs.len());
    text.push_str(&format!("\n  {:<w0$}  {:<w1$}  RUNNING", "CRONJOB", "JOB"));
    for [cronjob, job, running] in &rows {
        text.push_str(&format!("\n  {cronjob:<w0$}  {job:<w1$}  {running}"));
    }
    if jobs.len() > LIVE_ROWS {
        text.push_str(&format!("\n  ... and {} more", jobs.len() - LIVE_ROWS));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(owner_uid: &str, conditions: serde_json::Value) -> Job {
        serde_json::from_value(json!({
            "metadata": {"name": "backup-1", "namespace": "ops", "uid": "j1",
                "creationTimestamp": "2025-03-01T10:00:00Z",
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "backup",
                    "uid": owner_uid, "controller": true}]},
            "status": {"startTime": "2025-03-01T10:00:05Z", "conditions": conditions}
        }))
        .unwrap()
    }

    #[test]
    fn only_unfinished_jobs_of_cronjobs_in_scope_are_running() {
        let owners = HashMap::from([("cj1".to_owned(), "backup".to_owned())]);
        let running = ActiveJob::of(&job("cj1", json!([])), &owners).unwrap();
        assert_eq!(running.cronjob, "backup");
        let now: Timestamp = "2025-03-01T10:05:05Z".parse().unwrap();
        assert_eq!(running.describe(now), "job.batch/backup-1 in ops (cronjob backup, running 5m)");
        assert_eq!(running.running_seconds(now), Some(300));
        assert!(ActiveJob::of(&job("other", json!([])), &owners).is_none(), "not in scope");
        let done = json!([{"type": "Complete", "status": "True"}]);
        assert!(ActiveJob::of(&job("cj1", done), &owners).is_none(), "finished");
        let failing = json!([{"type": "FailureTarget", "status": "True"}]);
        assert!(ActiveJob::of(&job("cj1", failing), &owners).is_some(), "pods still terminating");
    }

    #[test]
    fn the_live_list_aligns_its_columns_and_caps_its_rows() {
        let owners = HashMap::from([("cj1".to_owned(), "backup".to_owned())]);
        let one = ActiveJob::of(&job("cj1", json!([])), &owners).unwrap();
        let now: Timestamp = "2025-03-01T10:01:05Z".parse().unwrap();
        let mut active = BTreeMap::new();
        for i in 0..(LIVE_ROWS + 2) {
            let mut j = one.clone();
            j.name = format!("backup-{i:02}");
            active.insert(format!("u{i:02}"), j);
        }
        let text = live_text(&active, now, Duration::from_secs(75));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "waiting for 22 running Job(s) to end (75s)");
        assert_eq!(lines[1], "  CRONJOB     JOB                  RUNNING");
        assert_eq!(lines[2], "  ops/backup  job.batch/backup-00  60s");
        assert_eq!(lines.last().copied(), Some("  ... and 2 more"));
    }
}
