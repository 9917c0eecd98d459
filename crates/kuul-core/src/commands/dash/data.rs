//! The live table: lastrun's lists once (the same requests as `lastrun`: CronJobs and Jobs, and
//! Pending Job pods and Warning events only when some row needs them, so the first frame comes
//! as fast as `lastrun` prints), then a watch on each of the four from the lists'
//! resourceVersion (no polling per object). Each change recomputes only its CronJob's row, with
//! lastrun's own analysis (`analyse_with`, so STUCK and the stalled-schedule reasons are
//! lastrun's); rows whose next run came due are recomputed each second, and all of them every
//! [`FULL_RECOMPUTE`] (verdicts that depend on "now"). When no row needed the pods and events
//! at start, they are listed once the first row does (as `lastrun` would read them then).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ListParams, WatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::UnboundedSender;

use super::state::{Msg, Row, Snapshot, urgency};
use crate::cluster::{Cluster, ListOptions};
use crate::commands::lastrun::facts::{CronJobFacts, JobFacts};
use crate::commands::lastrun::{
    self, Observed, analyse_with, default_pending_for, job_needs_pods_and_events,
    row_needs_pods_and_events,
};
use crate::error::Result;
use crate::follow::watch::{ResilientWatch, Seen};
use crate::runs::{EventFacts, PodFacts, RunResult};

/// How often every row is recomputed.
const FULL_RECOMPUTE: Duration = Duration::from_secs(10);
/// At most this often a new snapshot is published while changes stream in.
const PUBLISH_EVERY: Duration = Duration::from_millis(100);

struct Store {
    cronjobs: HashMap<String, CronJobFacts>,
    jobs: HashMap<String, JobFacts>,
    /// CronJob uid -> its Jobs' uids.
    owned: HashMap<String, HashSet<String>>,
    /// Pending Job pods by uid (what lastrun lists: `PENDING_JOB_PODS`).
    pods: HashMap<String, PodFacts>,
    /// Job uid -> its Pending pods' uids, in arrival (list) order.
    pods_of_job: HashMap<String, Vec<String>>,
    /// Warning events by their uid.
    events: HashMap<String, EventFacts>,
    /// Involved object's uid -> its Warning events' uids, in arrival (list) order.
    events_about: HashMap<String, Vec<String>>,
    /// `--pending-for`.
    pending_for: SignedDuration,
    /// The pods and events were listed (or some row needed them): from then on every row
    /// is decided with them, as lastrun decides rows once it has read them.
    extras: bool,
    rows: HashMap<String, Row>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            cronjobs: HashMap::new(),
            jobs: HashMap::new(),
            owned: HashMap::new(),
            pods: HashMap::new(),
            pods_of_job: HashMap::new(),
            events: HashMap::new(),
            events_about: HashMap::new(),
            pending_for: default_pending_for(),
            extras: false,
            rows: HashMap::new(),
        }
    }
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

    /// The CronJob (uid) a Job belongs to.
    fn cronjob_of_job(&self, job: &str) -> Option<String> {
        self.jobs.get(job).and_then(Self::owner)
    }

    /// The CronJob (uid) a Pending pod's Job belongs to.
    fn cronjob_of_pod(&self, pod: &str) -> Option<String> {
        let job = self.pods.get(pod)?.metadata.controller("Job")?;
        self.cronjob_of_job(&job.uid)
    }

    /// The CronJob (uid) an event is about: itself, one of its Jobs, or their pods.
    fn cronjob_of_event(&self, event: &EventFacts) -> Option<String> {
        let uid = event.involved_object.uid.as_str();
        if self.cronjobs.contains_key(uid) {
            return Some(uid.to_owned());
        }
        self.cronjob_of_job(uid).or_else(|| self.cronjob_of_pod(uid))
    }

    /// A Pending Job pod seen; the CronJob whose row changes.
    fn put_pod(&mut self, pod: PodFacts) -> Option<String> {
        let uid = pod.metadata.uid.clone();
        let job = pod.metadata.controller("Job").map(|o| o.uid.clone())?;
        let listed = self.pods_of_job.entry(job).or_default();
        if !listed.contains(&uid) {
            listed.push(uid.clone());
        }
        self.pods.insert(uid.clone(), pod);
        self.cronjob_of_pod(&uid)
    }

    /// A pod gone, or no longer Pending (the watch's field selector reports it deleted).
    fn remove_pod(&mut self, uid: &str) -> Option<String> {
        let owner = self.cronjob_of_pod(uid);
        let pod = self.pods.remove(uid)?;
        if let Some(job) = pod.metadata.controller("Job")
            && let Some(listed) = self.pods_of_job.get_mut(&job.uid)
        {
            listed.retain(|p| p != uid);
            if listed.is_empty() {
                self.pods_of_job.remove(&job.uid);
            }
        }
        owner
    }

    /// A Warning event seen (new, or counted again); the CronJob whose row changes.
    fn put_event(&mut self, event: EventFacts) -> Option<String> {
        let uid = event.metadata.uid.clone();
        let about = self.events_about.entry(event.involved_object.uid.clone()).or_default();
        if !about.contains(&uid) {
            about.push(uid.clone());
        }
        let owner = self.cronjob_of_event(&event);
        self.events.insert(uid, event);
        owner
    }

    fn remove_event(&mut self, uid: &str) -> Option<String> {
        let event = self.events.remove(uid)?;
        let about = event.involved_object.uid.as_str();
        if let Some(listed) = self.events_about.get_mut(about) {
            listed.retain(|e| e != uid);
            if listed.is_empty() {
                self.events_about.remove(about);
            }
        }
        self.cronjob_of_event(&event)
    }

    /// Recomputes one CronJob's row with lastrun's analysis; `true` when this row would make
    /// lastrun read the pods and events (`row_needs_pods_and_events`, `job_needs_pods_and_events`).
    fn recompute(&mut self, uid: &str, now: jiff::Timestamp) -> bool {
        let Some(cronjob) = self.cronjobs.get(uid) else {
            self.rows.remove(uid);
            return false;
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
        let mut seen = Observed { pending_for: self.pending_for, ..Observed::default() };
        if self.extras {
            self.observe(uid, &jobs, &mut seen);
        }
        let last = analyse_with(cronjob, &jobs, &seen, now);
        let needs =
            row_needs_pods_and_events(&last) || jobs.iter().any(|j| job_needs_pods_and_events(j));
        let strip = jobs.iter().map(|j| mark(j)).collect();
        self.rows.insert(uid.to_owned(), Row { last, strip });
        needs
    }

    /// What lastrun's `Observed` holds for one CronJob: its Jobs' Pending pods, and the Warning
    /// events about it, its Jobs and those pods.
    fn observe<'a>(&'a self, cronjob: &'a str, jobs: &[&'a JobFacts], seen: &mut Observed<'a>) {
        let events = |object: &'a str, seen: &mut Observed<'a>| {
            let found: Vec<&'a EventFacts> = self
                .events_about
                .get(object)
                .map(|uids| uids.iter().filter_map(|e| self.events.get(e)).collect())
                .unwrap_or_default();
            if !found.is_empty() {
                seen.events_by_uid.insert(object, found);
            }
        };
        events(cronjob, seen);
        for job in jobs {
            let job_uid = job.metadata.uid.as_str();
            events(job_uid, seen);
            let pods: Vec<&'a PodFacts> = self
                .pods_of_job
                .get(job_uid)
                .map(|uids| uids.iter().filter_map(|p| self.pods.get(p)).collect())
                .unwrap_or_default();
            for pod in &pods {
                events(pod.metadata.uid.as_str(), seen);
            }
            if !pods.is_empty() {
                seen.pods_by_job.insert(job_uid, pods);
            }
        }
    }

    /// Recomputes every row; `true` when some row would make lastrun read pods and events.
    fn recompute_all(&mut self, now: jiff::Timestamp) -> bool {
        let uids: Vec<String> = self.cronjobs.keys().cloned().collect();
        let mut needs = false;
        for uid in &uids {
            needs |= self.recompute(uid, now);
        }
        needs
    }

    /// Takes lastrun's lists of Pending Job pods and Warning events (once).
    fn take_extras(&mut self, pods: Vec<PodFacts>, events: Vec<EventFacts>) {
        for pod in pods {
            self.put_pod(pod);
        }
        for event in events {
            self.put_event(event);
        }
        self.extras = true;
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

/// Where the watches start and what they select.
pub(crate) struct Scope {
    pub(crate) namespace: Option<String>,
    /// `-l`: the CronJobs'.
    pub(crate) selector: Option<String>,
    /// `--pending-for`.
    pub(crate) pending_for: SignedDuration,
}

/// Lists, then watches, publishing snapshots on `tx` until the task is aborted.
pub(crate) async fn run(cluster: Cluster, scope: Scope, tx: UnboundedSender<Msg>) {
    if let Err(err) = watch_loop(&cluster, &scope, &tx).await {
        let snapshot =
            Snapshot { loaded: true, error: Some(err.to_string()), ..Snapshot::default() };
        let _ = tx.send(Msg::Snapshot(Arc::new(snapshot)));
    }
}

/// lastrun's pods and events lists, into the store, every row then recomputed with them.
async fn list_extras(
    cluster: &Cluster,
    namespace: Option<&str>,
    store: &mut Store,
    now: jiff::Timestamp,
) -> Result<()> {
    let (pods, events) = lastrun::pods_and_events(cluster, namespace, lastrun::Extra::BOTH).await?;
    store.take_extras(pods, events);
    store.recompute_all(now);
    Ok(())
}

async fn watch_loop(cluster: &Cluster, scope: &Scope, tx: &UnboundedSender<Msg>) -> Result<()> {
    let namespace = scope.namespace.as_deref();
    let selector = scope.selector.clone();
    let (pod_label, pod_field) = lastrun::PENDING_JOB_PODS;
    let (cronjob_version, job_version, pod_version, event_version) = tokio::join!(
        version::<CronJob>(cluster, namespace, selector.as_deref()),
        version::<Job>(cluster, namespace, None),
        version::<Pod>(cluster, namespace, Some(pod_label)),
        version::<Event>(cluster, namespace, None),
    );
    let cronjob_options = ListOptions { label_selector: selector.clone(), field_selector: None };
    let every_job = ListOptions::default();
    let (cronjobs, jobs) = tokio::try_join!(
        cluster.list::<CronJob, CronJobFacts>(namespace, &cronjob_options),
        cluster.list::<Job, JobFacts>(namespace, &every_job),
    )?;
    let mut store = Store { pending_for: scope.pending_for, ..Store::default() };
    for cronjob in cronjobs {
        store.cronjobs.insert(cronjob.metadata.uid.clone(), cronjob);
    }
    for job in jobs {
        store.put_job(job);
    }
    let (now, _) = cluster.now();
    // As lastrun: the pods and events only when some row needs them.
    if store.recompute_all(now) {
        list_extras(cluster, namespace, &mut store, now).await?;
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
    let pod_params = WatchParams::default().labels(pod_label).fields(pod_field);
    let mut pod_watch = ResilientWatch::<Pod>::in_scope(cluster, namespace, "pods", pod_params)
        .starting_at(pod_version);
    let event_params = WatchParams::default().fields(lastrun::WARNING_EVENTS);
    let mut event_watch =
        ResilientWatch::<Event>::in_scope(cluster, namespace, "events", event_params)
            .starting_at(event_version);
    let mut dirty: HashSet<String> = HashSet::new();
    let mut error: Option<String> = None;
    let mut publish = tokio::time::interval(PUBLISH_EVERY);
    let mut second = tokio::time::interval(Duration::from_secs(1));
    let mut full = tokio::time::interval(FULL_RECOMPUTE);
    let mut changed = false;
    let (mut cronjobs_alive, mut jobs_alive, mut pods_alive, mut events_alive) =
        (true, true, true, true);
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
            seen = pod_watch.next(), if pods_alive => match seen {
                Ok(Seen::Applied(pod)) => {
                    if let Some(f) = facts::<_, PodFacts>(&pod) {
                        dirty.extend(store.put_pod(f));
                    }
                }
                Ok(Seen::Deleted(pod)) => {
                    if let Some(uid) = pod.metadata.uid {
                        dirty.extend(store.remove_pod(&uid));
                    }
                }
                Err(err) => { error = Some(err.to_string()); changed = true; pods_alive = false; }
            },
            seen = event_watch.next(), if events_alive => match seen {
                Ok(Seen::Applied(event)) => {
                    if let Some(f) = facts::<_, EventFacts>(&event) {
                        dirty.extend(store.put_event(f));
                    }
                }
                Ok(Seen::Deleted(event)) => {
                    if let Some(uid) = event.metadata.uid {
                        dirty.extend(store.remove_event(&uid));
                    }
                }
                Err(err) => { error = Some(err.to_string()); changed = true; events_alive = false; }
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
                // The countdowns move; a Pending pod passes `--pending-for`.
                if store.extras && !store.pods.is_empty() {
                    dirty.extend(store.pods.keys().filter_map(|p| store.cronjob_of_pod(p)).collect::<Vec<_>>());
                }
                changed = true;
            }
            _ = full.tick() => dirty.extend(store.cronjobs.keys().cloned()),
            _ = publish.tick() => {
                if dirty.is_empty() && !changed {
                    continue;
                }
                let (now, _) = cluster.now();
                let mut needs = false;
                for uid in dirty.drain() {
                    needs |= store.recompute(&uid, now);
                }
                if needs && !store.extras {
                    // A row now needs what lastrun would then read: read it (once).
                    if let Err(err) = list_extras(cluster, namespace, &mut store, now).await {
                        error = Some(err.to_string());
                    }
                }
                changed = false;
                if tx.send(Msg::Snapshot(Arc::new(store.snapshot(now, error.clone())))).is_err() {
                    return Ok(());
                }
            }
        }
    }
}

/// The rows of a fixed set of objects (tests of the views), decided as lastrun decides them
/// once it has read the pods and events.
#[cfg(test)]
pub(crate) fn rows_for_test(
    cronjobs: Vec<CronJobFacts>,
    jobs: Vec<JobFacts>,
    pods: Vec<PodFacts>,
    events: Vec<EventFacts>,
    now: jiff::Timestamp,
) -> Vec<Row> {
    let mut store = Store::default();
    for cronjob in cronjobs {
        store.cronjobs.insert(cronjob.metadata.uid.clone(), cronjob);
    }
    for job in jobs {
        store.put_job(job);
    }
    store.take_extras(pods, events);
    store.recompute_all(now);
    store.snapshot(now, None).rows
}
