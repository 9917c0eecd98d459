//! The live table: lastrun's two lists once (the same requests as `lastrun`, so the first
//! frame comes as fast as `lastrun` prints), then one watch on CronJobs and one on Jobs from
//! the lists' resourceVersion (no polling per object). Each change recomputes only its
//! CronJob's row, with lastrun's own analysis; rows whose next run came due are recomputed
//! each second, and all of them every [`FULL_RECOMPUTE`] (verdicts that depend on "now").

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use kube::api::{Api, ListParams, WatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::UnboundedSender;

use super::state::{Msg, Row, Snapshot, urgency};
use crate::cluster::{Cluster, ListOptions};
use crate::commands::lastrun::analyse;
use crate::commands::lastrun::facts::{CronJobFacts, JobFacts};
use crate::error::Result;
use crate::follow::watch::{ResilientWatch, Seen};
use crate::runs::RunResult;

/// How often every row is recomputed.
const FULL_RECOMPUTE: Duration = Duration::from_secs(10);
/// At most this often a new snapshot is published while changes stream in.
const PUBLISH_EVERY: Duration = Duration::from_millis(100);

#[derive(Default)]
struct Store {
    cronjobs: HashMap<String, CronJobFacts>,
    jobs: HashMap<String, JobFacts>,
    /// CronJob uid -> its Jobs' uids.
    owned: HashMap<String, HashSet<String>>,
    rows: HashMap<String, Row>,
}

/// The result mark of a lastrun Job (the history strip).
fn mark(job: &JobFacts) -> char {
    let result = match job.finished() {
        Some((true, _)) => RunResult::Succeeded,
        Some((false, _)) => RunResult::Failed,
        None if job.pending() => RunResult::Pending,
        None => RunResult::Running,
    };
    result.mark()
}

impl Store {
    fn owner(job: &JobFacts) -> Option<String> {
        job.metadata.controller_uid().map(str::to_owned)
    }

    fn put_job(&mut self, job: JobFacts) -> Option<String> {
        let uid = job.metadata.uid.clone();
        let owner = Self::owner(&job);
        if let Some(owner) = &owner {
            self.owned.entry(owner.clone()).or_default().insert(uid.clone());
        }
        self.jobs.insert(uid, job);
        owner
    }

    fn remove_job(&mut self, uid: &str) -> Option<String> {
        let job = self.jobs.remove(uid)?;
        let owner = Self::owner(&job)?;
        if let Some(set) = self.owned.get_mut(&owner) {
            set.remove(uid);
        }
        Some(owner)
    }

    fn recompute(&mut self, uid: &str, now: jiff::Timestamp) {
        let Some(cronjob) = self.cronjobs.get(uid) else {
            self.rows.remove(uid);
            return;
        };
        let mut jobs: Vec<&JobFacts> = self
            .owned
            .get(uid)
            .map(|set| set.iter().filter_map(|j| self.jobs.get(j)).collect())
            .unwrap_or_default();
        jobs.sort_by(|a, b| {
            (a.metadata.creation_timestamp, &a.metadata.name)
                .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
        });
        let last = analyse(cronjob, &jobs, now);
        let strip = jobs.iter().map(|j| mark(j)).collect();
        self.rows.insert(uid.to_owned(), Row { last, strip });
    }

    fn snapshot(&self, now: jiff::Timestamp, error: Option<String>) -> Snapshot {
        let mut rows: Vec<Row> = self.rows.values().cloned().collect();
        rows.sort_by(|a, b| {
            (urgency(a.last.verdict), &a.last.namespace, &a.last.name).cmp(&(
                urgency(b.last.verdict),
                &b.last.namespace,
                &b.last.name,
            ))
        });
        Snapshot { rows, now: Some(now), loaded: true, error }
    }
}

/// A watched object in the facts lastrun reads (the watch decodes whole objects).
fn facts<K: Serialize, T: DeserializeOwned>(object: &K) -> Option<T> {
    serde_json::to_value(object).ok().and_then(|v| serde_json::from_value(v).ok())
}

/// The resourceVersion "now" of a collection: a one-item list (client-go's reflector lists,
/// then watches from the list's version; our paged list does not return it, so this one,
/// taken before it, is the point the watch replays from: a change between the two is seen
/// twice, never missed).
async fn version<K>(cluster: &Cluster, namespace: Option<&str>, selector: Option<&str>) -> String
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug,
{
    let api: Api<K> = match namespace {
        Some(ns) => Api::namespaced(cluster.client().clone(), ns),
        None => Api::all(cluster.client().clone()),
    };
    let mut params = ListParams::default().limit(1);
    if let Some(selector) = selector {
        params = params.labels(selector);
    }
    api.list(&params).await.ok().and_then(|list| list.metadata.resource_version).unwrap_or_default()
}

/// Lists, then watches, publishing snapshots on `tx` until the task is aborted.
pub(crate) async fn run(
    cluster: Cluster,
    namespace: Option<String>,
    selector: Option<String>,
    tx: UnboundedSender<Msg>,
) {
    if let Err(err) = watch_loop(&cluster, namespace.as_deref(), selector, &tx).await {
        let snapshot =
            Snapshot { loaded: true, error: Some(err.to_string()), ..Snapshot::default() };
        let _ = tx.send(Msg::Snapshot(Arc::new(snapshot)));
    }
}

async fn watch_loop(
    cluster: &Cluster,
    namespace: Option<&str>,
    selector: Option<String>,
    tx: &UnboundedSender<Msg>,
) -> Result<()> {
    let (cronjob_version, job_version) = tokio::join!(
        version::<CronJob>(cluster, namespace, selector.as_deref()),
        version::<Job>(cluster, namespace, None),
    );
    let cronjob_options = ListOptions { label_selector: selector.clone(), field_selector: None };
    let every_job = ListOptions::default();
    let (cronjobs, jobs) = tokio::try_join!(
        cluster.list::<CronJob, CronJobFacts>(namespace, &cronjob_options),
        cluster.list::<Job, JobFacts>(namespace, &every_job),
    )?;
    let mut store = Store::default();
    for cronjob in cronjobs {
        store.cronjobs.insert(cronjob.metadata.uid.clone(), cronjob);
    }
    for job in jobs {
        store.put_job(job);
    }
    let (now, _) = cluster.now();
    let uids: Vec<String> = store.cronjobs.keys().cloned().collect();
    for uid in &uids {
        store.recompute(uid, now);
    }
    let _ = tx.send(Msg::Snapshot(Arc::new(store.snapshot(now, None))));

    let mut params = WatchParams::default();
    if let Some(selector) = &selector {
        params = params.labels(selector);
    }
    let mut cronjob_watch =
        ResilientWatch::<CronJob>::in_scope(cluster, namespace, "cronjobs.batch", params)
            .starting_at(cronjob_version);
    let mut job_watch =
        ResilientWatch::<Job>::in_scope(cluster, namespace, "jobs.batch", WatchParams::default())
            .starting_at(job_version);
    let mut dirty: HashSet<String> = HashSet::new();
    let mut error: Option<String> = None;
    let mut publish = tokio::time::interval(PUBLISH_EVERY);
    let mut second = tokio::time::interval(Duration::from_secs(1));
    let mut full = tokio::time::interval(FULL_RECOMPUTE);
    let mut changed = false;
    let (mut cronjobs_alive, mut jobs_alive) = (true, true);
    loop {
        tokio::select! {
            seen = cronjob_watch.next(), if cronjobs_alive => match seen {
                Ok(Seen::Applied(cj)) => {
                    if let Some(f) = facts::<_, CronJobFacts>(&cj) {
                        dirty.insert(f.metadata.uid.clone());
                        store.cronjobs.insert(f.metadata.uid.clone(), f);
                    }
                }
                Ok(Seen::Deleted(cj)) => {
                    if let Some(uid) = cj.metadata.uid {
                        store.cronjobs.remove(&uid);
                        dirty.insert(uid);
                    }
                }
                Err(err) => { error = Some(err.to_string()); changed = true; cronjobs_alive = false; }
            },
            seen = job_watch.next(), if jobs_alive => match seen {
                Ok(Seen::Applied(job)) => {
                    if let Some(f) = facts::<_, JobFacts>(&job) {
                        let uid = f.metadata.uid.clone();
                        let old = store.remove_job(&uid);
                        dirty.extend(old);
                        dirty.extend(store.put_job(f));
                    }
                }
                Ok(Seen::Deleted(job)) => {
                    if let Some(uid) = job.metadata.uid {
                        dirty.extend(store.remove_job(&uid));
                    }
                }
                Err(err) => { error = Some(err.to_string()); changed = true; jobs_alive = false; }
            },
            _ = second.tick() => {
                let (now, _) = cluster.now();
                let due: Vec<String> = store
                    .rows
                    .iter()
                    .filter(|(_, row)| row.last.next_schedule_time.is_some_and(|t| t <= now))
                    .map(|(uid, _)| uid.clone())
                    .collect();
                dirty.extend(due);
                // The countdowns move.
                changed = true;
            }
            _ = full.tick() => dirty.extend(store.cronjobs.keys().cloned()),
            _ = publish.tick() => {
                if dirty.is_empty() && !changed {
                    continue;
                }
                let (now, _) = cluster.now();
                for uid in dirty.drain() {
                    store.recompute(&uid, now);
                }
                changed = false;
                if tx.send(Msg::Snapshot(Arc::new(store.snapshot(now, error.clone())))).is_err() {
                    return Ok(());
                }
            }
        }
    }
}

/// The rows of a fixed set of objects (tests of the views).
#[cfg(test)]
pub(crate) fn rows_for_test(
    cronjobs: Vec<CronJobFacts>,
    jobs: Vec<JobFacts>,
    now: jiff::Timestamp,
) -> Vec<Row> {
    let mut store = Store::default();
    for cronjob in cronjobs {
        store.cronjobs.insert(cronjob.metadata.uid.clone(), cronjob);
    }
    for job in jobs {
        store.put_job(job);
    }
    let uids: Vec<String> = store.cronjobs.keys().cloned().collect();
    for uid in &uids {
        store.recompute(uid, now);
    }
    store.snapshot(now, None).rows
}
