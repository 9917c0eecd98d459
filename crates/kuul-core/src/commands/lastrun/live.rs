//! lastrun's inputs kept current from watches, for `lastrun --watch` and `dash`: CronJobs and
//! Jobs listed once (and Pending Job pods and Warning events once some row needs them, as
//! `lastrun` reads them), then each watch event applied to maps of them, and only the rows of
//! the CronJobs it touches recomputed, with lastrun's own analysis (`analyse_with`). A watch
//! restarted after `410 Gone` ([`Seen::Restarted`]) relists its kind and replaces what was kept
//! of it, as client-go's reflector does (`ListAndWatch` then `syncWith`, the store's `Replace`;
//! `staging/src/k8s.io/client-go/tools/cache/reflector.go`, v1.32): objects deleted while it was
//! away disappear.

use foldhash::{HashMap, HashSet};

use jiff::SignedDuration;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::WatchParams;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::facts::{CronJobFacts, JobFacts};
use super::{
    LastRun, Observed, analyse_with, default_pending_for, job_needs_pods_and_events,
    row_needs_pods_and_events,
};
use crate::cluster::{Cluster, ListOptions};
use crate::error::{Error, Result};
use crate::follow::watch::{ResilientWatch, Seen, next_if_open};
use crate::runs::{EventFacts, PodFacts, RunResult};

/// One CronJob's row: its lastrun verdict and the results of its retained runs.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The lastrun row, computed by lastrun's own analysis.
    pub(crate) last: LastRun,
    /// One mark per retained run, oldest first ([`RunResult::mark`]).
    pub(crate) strip: String,
}

impl Row {
    /// `namespace/name`.
    pub(crate) fn key(&self) -> (String, String) {
        (self.last.namespace.clone(), self.last.name.clone())
    }
}

/// What is kept: the objects lastrun reads, by uid, and the rows computed from them.
pub(crate) struct Store {
    pub(crate) cronjobs: HashMap<String, CronJobFacts>,
    jobs: HashMap<String, JobFacts>,
    /// CronJob uid -> its Jobs' uids.
    owned: HashMap<String, HashSet<String>>,
    /// Pending Job pods by uid (what lastrun lists: `PENDING_JOB_PODS`).
    pub(crate) pods: HashMap<String, PodFacts>,
    /// Job uid -> its Pending pods' uids, in arrival (list) order.
    pods_of_job: HashMap<String, Vec<String>>,
    /// Warning events by their uid.
    events: HashMap<String, EventFacts>,
    /// Involved object's uid -> its Warning events' uids, in arrival (list) order.
    events_about: HashMap<String, Vec<String>>,
    /// `--pending-for`.
    pub(crate) pending_for: SignedDuration,
    /// The pods and events were listed (or some row needed them): from then on every row
    /// is decided with them, as lastrun decides rows once it has read them.
    pub(crate) extras: bool,
    pub(crate) rows: HashMap<String, Row>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            cronjobs: HashMap::default(),
            jobs: HashMap::default(),
            owned: HashMap::default(),
            pods: HashMap::default(),
            pods_of_job: HashMap::default(),
            events: HashMap::default(),
            events_about: HashMap::default(),
            pending_for: default_pending_for(),
            extras: false,
            rows: HashMap::default(),
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

    pub(crate) fn put_job(&mut self, job: JobFacts) -> Option<String> {
        let uid = job.metadata.uid.clone();
        let owner = Self::owner(&job);
        if let Some(owner) = &owner {
            self.owned.entry(owner.clone()).or_default().insert(uid.clone());
        }
        self.jobs.insert(uid, job);
        owner
    }

    pub(crate) fn remove_job(&mut self, uid: &str) -> Option<String> {
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
    pub(crate) fn cronjob_of_pod(&self, pod: &str) -> Option<String> {
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
    pub(crate) fn put_pod(&mut self, pod: PodFacts) -> Option<String> {
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
    pub(crate) fn remove_pod(&mut self, uid: &str) -> Option<String> {
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
    pub(crate) fn put_event(&mut self, event: EventFacts) -> Option<String> {
        let uid = event.metadata.uid.clone();
        let about = self.events_about.entry(event.involved_object.uid.clone()).or_default();
        if !about.contains(&uid) {
            about.push(uid.clone());
        }
        let owner = self.cronjob_of_event(&event);
        self.events.insert(uid, event);
        owner
    }

    pub(crate) fn remove_event(&mut self, uid: &str) -> Option<String> {
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
    pub(crate) fn recompute(&mut self, uid: &str, now: jiff::Timestamp) -> bool {
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
    pub(crate) fn recompute_all(&mut self, now: jiff::Timestamp) -> bool {
        let uids: Vec<String> = self.cronjobs.keys().cloned().collect();
        let mut needs = false;
        for uid in &uids {
            needs |= self.recompute(uid, now);
        }
        needs
    }

    /// Takes lastrun's lists of Pending Job pods and Warning events (once).
    pub(crate) fn take_extras(&mut self, pods: Vec<PodFacts>, events: Vec<EventFacts>) {
        for pod in pods {
            self.put_pod(pod);
        }
        for event in events {
            self.put_event(event);
        }
        self.extras = true;
    }

    /// A CronJob seen (created, changed, or listed); its uid, whose row changes.
    pub(crate) fn put_cronjob(&mut self, cronjob: CronJobFacts) -> String {
        let uid = cronjob.metadata.uid.clone();
        self.cronjobs.insert(uid.clone(), cronjob);
        uid
    }

    /// Every CronJob replaced by a new list's (the reflector's `Replace`); the uids whose rows
    /// change: all listed, and those gone.
    fn replace_cronjobs(&mut self, listed: Vec<CronJobFacts>) -> Vec<String> {
        let mut dirty: Vec<String> = std::mem::take(&mut self.cronjobs).into_keys().collect();
        for cronjob in listed {
            dirty.push(self.put_cronjob(cronjob));
        }
        dirty
    }

    /// Every Job replaced by a new list's; the CronJobs whose rows change.
    fn replace_jobs(&mut self, listed: Vec<JobFacts>) -> Vec<String> {
        let mut dirty: Vec<String> = self.owned.keys().cloned().collect();
        self.jobs.clear();
        self.owned.clear();
        for job in listed {
            dirty.extend(self.put_job(job));
        }
        dirty
    }

    /// Every Pending Job pod replaced by a new list's; the CronJobs whose rows change.
    fn replace_pods(&mut self, listed: Vec<PodFacts>) -> Vec<String> {
        let uids: Vec<String> = self.pods.keys().cloned().collect();
        let mut dirty: Vec<String> = uids.iter().filter_map(|p| self.remove_pod(p)).collect();
        for pod in listed {
            dirty.extend(self.put_pod(pod));
        }
        dirty
    }

    /// Every Warning event replaced by a new list's; the CronJobs whose rows change.
    fn replace_events(&mut self, listed: Vec<EventFacts>) -> Vec<String> {
        let uids: Vec<String> = self.events.keys().cloned().collect();
        let mut dirty: Vec<String> = uids.iter().filter_map(|e| self.remove_event(e)).collect();
        for event in listed {
            dirty.extend(self.put_event(event));
        }
        dirty
    }

    /// The CronJobs whose rows change with time alone at `now`: their next run came due (a run
    /// should have started: MISSED once the grace passes), or a Pending pod of theirs may pass
    /// `--pending-for` (STUCK).
    pub(crate) fn due(&self, now: jiff::Timestamp) -> Vec<String> {
        let mut due: Vec<String> = self
            .rows
            .iter()
            .filter(|(_, row)| row.last.next_schedule_time.is_some_and(|t| t <= now))
            .map(|(uid, _)| uid.clone())
            .collect();
        if self.extras {
            due.extend(self.pods.keys().filter_map(|p| self.cronjob_of_pod(p)));
        }
        due
    }
}

/// A watched object in the facts lastrun reads (the watch decodes whole objects).
fn facts<K: Serialize, T: DeserializeOwned>(object: &K) -> Option<T> {
    serde_json::to_value(object).ok().and_then(|v| serde_json::from_value(v).ok())
}

/// lastrun's list of Pending Job pods.
fn pending_pods() -> ListOptions {
    let (label, field) = super::PENDING_JOB_PODS;
    ListOptions { label_selector: Some(label.into()), field_selector: Some(field.into()) }
}

/// lastrun's list of Warning events.
fn warning_events() -> ListOptions {
    ListOptions { label_selector: None, field_selector: Some(super::WARNING_EVENTS.into()) }
}

/// Which objects are kept.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// `None`: every namespace.
    pub(crate) namespace: Option<String>,
    /// `-l`: the CronJobs'.
    pub(crate) selector: Option<String>,
    /// `--pending-for`.
    pub(crate) pending_for: SignedDuration,
}

/// What one call of [`Live::next`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applied {
    /// A watch event, applied.
    Event,
    /// A watch was restarted after `410 Gone`: its kind was listed again and replaced.
    Relisted,
}

/// The [`Store`] and the watches that keep it current.
pub(crate) struct Live {
    pub(crate) store: Store,
    cluster: Cluster,
    scope: Scope,
    cronjobs: Option<ResilientWatch<CronJob>>,
    jobs: Option<ResilientWatch<Job>>,
    /// Open once the pods and events were listed.
    pods: Option<ResilientWatch<Pod>>,
    events: Option<ResilientWatch<Event>>,
    /// CronJobs (uids) whose rows are to be recomputed.
    dirty: HashSet<String>,
    /// Lists sent again after a `410 Gone`.
    pub(crate) relists: u32,
    /// A relist begun and not finished (its future was dropped, in a `select!`): awaited
    /// first at the next [`Live::next`], so no restart goes without one.
    relisting: Option<tokio::task::JoinHandle<Result<Relisted>>>,
}

/// What a relist brought: a kind's facts and the list's resourceVersion.
enum Relisted {
    CronJobs(Vec<CronJobFacts>, String),
    Jobs(Vec<JobFacts>, String),
    Pods(Vec<PodFacts>, String),
    Events(Vec<EventFacts>, String),
}

/// The kinds kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    CronJob,
    Job,
    Pod,
    Event,
}

/// One watch's report, with which watch it came from.
#[expect(clippy::large_enum_variant, reason = "one short-lived value per event, matched at once")]
enum Got {
    CronJob(Result<Seen<CronJob>>),
    Job(Result<Seen<Job>>),
    Pod(Result<Seen<Pod>>),
    Event(Result<Seen<Event>>),
}

impl Live {
    /// Lists CronJobs and Jobs (and the pods and events, when some row needs them, as
    /// `lastrun` does), computes every row at `now`, and opens the watches from the lists'
    /// resourceVersions (so no change between list and watch is missed or replayed).
    pub(crate) async fn start(cluster: &Cluster, scope: Scope) -> Result<Live> {
        let namespace = scope.namespace.as_deref();
        let cronjob_options =
            ListOptions { label_selector: scope.selector.clone(), field_selector: None };
        let every_job = ListOptions::default();
        let ((cronjobs, cronjob_version), (jobs, job_version)) = tokio::try_join!(
            cluster.list_versioned::<CronJob, CronJobFacts>(namespace, &cronjob_options),
            cluster.list_versioned::<Job, JobFacts>(namespace, &every_job),
        )?;
        let mut store = Store { pending_for: scope.pending_for, ..Store::default() };
        for cronjob in cronjobs {
            store.put_cronjob(cronjob);
        }
        for job in jobs {
            store.put_job(job);
        }
        let mut params = WatchParams::default();
        if let Some(selector) = &scope.selector {
            params = params.labels(selector);
        }
        let cronjob_watch = ResilientWatch::in_scope(cluster, namespace, "cronjobs.batch", params)
            .starting_at(cronjob_version);
        let job_watch =
            ResilientWatch::in_scope(cluster, namespace, "jobs.batch", WatchParams::default())
                .starting_at(job_version);
        let mut live = Live {
            store,
            cluster: cluster.clone(),
            scope,
            cronjobs: Some(cronjob_watch),
            jobs: Some(job_watch),
            pods: None,
            events: None,
            dirty: HashSet::default(),
            relists: 0,
            relisting: None,
        };
        let (now, _) = cluster.now();
        if live.store.recompute_all(now) {
            live.list_extras(now).await?;
        }
        Ok(live)
    }

    /// The API server's time, as of the last response.
    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.cluster.now().0
    }

    /// [`Live::now`] with where it came from.
    pub(crate) fn clock(&self) -> (jiff::Timestamp, crate::cluster::ClockSource) {
        self.cluster.now()
    }

    fn watch_params<K>(&self, params: WatchParams, resource: &'static str) -> ResilientWatch<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
            + Clone
            + DeserializeOwned
            + std::fmt::Debug
            + Send
            + 'static,
    {
        ResilientWatch::in_scope(&self.cluster, self.scope.namespace.as_deref(), resource, params)
    }

    /// Lists lastrun's Pending Job pods and Warning events (once: then they are watched), and
    /// recomputes every row with them.
    pub(crate) async fn list_extras(&mut self, now: jiff::Timestamp) -> Result<()> {
        let (pending, warnings) = (pending_pods(), warning_events());
        let namespace = self.scope.namespace.as_deref();
        let ((pods, pod_version), (events, event_version)) = tokio::try_join!(
            self.cluster.list_versioned::<Pod, PodFacts>(namespace, &pending),
            self.cluster.list_versioned::<Event, EventFacts>(namespace, &warnings),
        )?;
        self.store.take_extras(pods, events);
        let (label, field) = super::PENDING_JOB_PODS;
        let pod_params = WatchParams::default().labels(label).fields(field);
        self.pods = Some(self.watch_params(pod_params, "pods").starting_at(pod_version));
        let event_params = WatchParams::default().fields(super::WARNING_EVENTS);
        self.events = Some(self.watch_params(event_params, "events").starting_at(event_version));
        self.store.recompute_all(now);
        Ok(())
    }

    /// Waits for the next watch event and applies it (marking the rows it changes). A watch
    /// that fails is closed and its error returned; the others go on.
    pub(crate) async fn next(&mut self) -> Result<Applied> {
        if self.relisting.is_some() {
            return self.finish_relist().await;
        }
        let got = tokio::select! {
            seen = next_if_open(&mut self.cronjobs) => Got::CronJob(seen),
            seen = next_if_open(&mut self.jobs) => Got::Job(seen),
            seen = next_if_open(&mut self.pods) => Got::Pod(seen),
            seen = next_if_open(&mut self.events) => Got::Event(seen),
        };
        let store = &mut self.store;
        let dirty = &mut self.dirty;
        match got {
            Got::CronJob(Ok(Seen::Applied(cj))) => {
                if let Some(f) = facts::<_, CronJobFacts>(&cj) {
                    dirty.insert(store.put_cronjob(f));
                }
            }
            Got::CronJob(Ok(Seen::Deleted(cj))) => {
                if let Some(uid) = cj.metadata.uid {
                    store.cronjobs.remove(&uid);
                    dirty.insert(uid);
                }
            }
            Got::Job(Ok(Seen::Applied(job))) => {
                if let Some(f) = facts::<_, JobFacts>(&job) {
                    dirty.extend(store.remove_job(&f.metadata.uid));
                    dirty.extend(store.put_job(f));
                }
            }
            Got::Job(Ok(Seen::Deleted(job))) => {
                if let Some(uid) = job.metadata.uid {
                    dirty.extend(store.remove_job(&uid));
                }
            }
            Got::Pod(Ok(Seen::Applied(pod))) => {
                if let Some(f) = facts::<_, PodFacts>(&pod) {
                    dirty.extend(store.put_pod(f));
                }
            }
            Got::Pod(Ok(Seen::Deleted(pod))) => {
                if let Some(uid) = pod.metadata.uid {
                    dirty.extend(store.remove_pod(&uid));
                }
            }
            Got::Event(Ok(Seen::Applied(event))) => {
                if let Some(f) = facts::<_, EventFacts>(&event) {
                    dirty.extend(store.put_event(f));
                }
            }
            Got::Event(Ok(Seen::Deleted(event))) => {
                if let Some(uid) = event.metadata.uid {
                    dirty.extend(store.remove_event(&uid));
                }
            }
            Got::CronJob(Ok(Seen::Restarted)) => return self.relist(Kind::CronJob).await,
            Got::Job(Ok(Seen::Restarted)) => return self.relist(Kind::Job).await,
            Got::Pod(Ok(Seen::Restarted)) => return self.relist(Kind::Pod).await,
            Got::Event(Ok(Seen::Restarted)) => return self.relist(Kind::Event).await,
            Got::CronJob(Err(err)) => {
                self.cronjobs = None;
                return Err(err);
            }
            Got::Job(Err(err)) => {
                self.jobs = None;
                return Err(err);
            }
            Got::Pod(Err(err)) => {
                self.pods = None;
                return Err(err);
            }
            Got::Event(Err(err)) => {
                self.events = None;
                return Err(err);
            }
        }
        Ok(Applied::Event)
    }

    /// Lists the kind whose watch restarted, replaces it in the store and resumes the watch at
    /// the list's version.
    async fn relist(&mut self, kind: Kind) -> Result<Applied> {
        if self.relisting.is_none() {
            self.relists += 1;
            self.relisting = Some(self.spawn_relist(kind));
        }
        self.finish_relist().await
    }

    /// Waits for the relist in flight and applies it. The list runs on its own task, so a
    /// caller's `select!` that drops this future (the watch loop's one-second tick) leaves it
    /// running, to be awaited at the next [`Live::next`]: restarting it instead sent the list
    /// again, and a list longer than the tick would never have finished.
    async fn finish_relist(&mut self) -> Result<Applied> {
        let Some(task) = self.relisting.as_mut() else { return Ok(Applied::Relisted) };
        let done = task.await;
        self.relisting = None;
        let listed = done.map_err(|e| Error::Decode(format!("a relist task failed: {e}")))??;
        let dirty = match listed {
            Relisted::CronJobs(listed, version) => {
                if let Some(watch) = &mut self.cronjobs {
                    watch.resume_at(version);
                }
                self.store.replace_cronjobs(listed)
            }
            Relisted::Jobs(listed, version) => {
                if let Some(watch) = &mut self.jobs {
                    watch.resume_at(version);
                }
                self.store.replace_jobs(listed)
            }
            Relisted::Pods(listed, version) => {
                if let Some(watch) = &mut self.pods {
                    watch.resume_at(version);
                }
                self.store.replace_pods(listed)
            }
            Relisted::Events(listed, version) => {
                if let Some(watch) = &mut self.events {
                    watch.resume_at(version);
                }
                self.store.replace_events(listed)
            }
        };
        self.dirty.extend(dirty);
        Ok(Applied::Relisted)
    }

    /// The list of `kind` a restarted watch needs, on a task of its own.
    fn spawn_relist(&self, kind: Kind) -> tokio::task::JoinHandle<Result<Relisted>> {
        let cluster = self.cluster.clone();
        let namespace = self.scope.namespace.clone();
        let selector = self.scope.selector.clone();
        tokio::spawn(async move {
            let namespace = namespace.as_deref();
            Ok(match kind {
                Kind::CronJob => {
                    let options = ListOptions { label_selector: selector, field_selector: None };
                    let (listed, version) = cluster
                        .list_versioned::<CronJob, CronJobFacts>(namespace, &options)
                        .await?;
                    Relisted::CronJobs(listed, version)
                }
                Kind::Job => {
                    let (listed, version) = cluster
                        .list_versioned::<Job, JobFacts>(namespace, &ListOptions::default())
                        .await?;
                    Relisted::Jobs(listed, version)
                }
                Kind::Pod => {
                    let (listed, version) =
                        cluster.list_versioned::<Pod, PodFacts>(namespace, &pending_pods()).await?;
                    Relisted::Pods(listed, version)
                }
                Kind::Event => {
                    let (listed, version) = cluster
                        .list_versioned::<Event, EventFacts>(namespace, &warning_events())
                        .await?;
                    Relisted::Events(listed, version)
                }
            })
        })
    }

    /// Marks the rows that change with time alone at `now` ([`Store::due`]).
    pub(crate) fn mark_due(&mut self, now: jiff::Timestamp) {
        let due = self.store.due(now);
        self.dirty.extend(due);
    }

    /// Marks every row.
    pub(crate) fn mark_all(&mut self) {
        self.dirty.extend(self.store.cronjobs.keys().cloned());
    }

    /// Whether some row is to be recomputed.
    pub(crate) fn is_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Recomputes the marked rows at `now`; the uids recomputed (a deleted CronJob's row is
    /// dropped). When a row first needs the pods and events, they are listed (once), as
    /// `lastrun` would then read them, and every row recomputed with them.
    pub(crate) async fn recompute(&mut self, now: jiff::Timestamp) -> Result<Vec<String>> {
        let mut needs = false;
        let uids: Vec<String> = self.dirty.drain().collect();
        for uid in &uids {
            needs |= self.store.recompute(uid, now);
        }
        if needs && !self.store.extras {
            self.list_extras(now).await?;
        }
        Ok(uids)
    }
}
