//! The simulated control plane: runs the controllers against the store on the sandbox clock.
//!
//! Like kube-controller-manager it is driven by changes and timers. It reads the store's change
//! log (`Store::changes_since`) into a dirty set (a CronJob change syncs the CronJob; a Job change
//! syncs the Job (the Job controller, or for a finished Job with `ttlSecondsAfterFinished` the
//! TTL-after-finished controller) and its owning CronJob; a Pod change syncs the pod (scheduler or kubelet) and its
//! Job; a Node change retries the unscheduled pods, and so does capacity freeing on a node for
//! the pods that did not fit for want of it) and keeps a wakeup queue from each sync's
//! `requeue_at` (upstream's `queue.AddAfter`). Each sync reads one object from the store and
//! what it owns from informer-style caches indexed by controller uid (kept from the change log,
//! shared `Arc`s, metadata and status only), calls a pure controller from `crate::controllers`,
//! and applies
//! the returned actions through the store, so they produce resourceVersions, watch events and
//! garbage collection exactly like API writes. A conflict (409) re-reads and re-syncs.
//!
//! `advance_to(t)` moves the clock to each wakeup at or before `t` in time order and reconciles
//! there, so a CronJob fires, a pod finishes and a backoff expires at its exact instant, then sets
//! the clock to `t`. Work per step is proportional to what is due or changed, never to the size
//! of the store; only construction (or a change log that overflowed) scans everything.
//!
//! Determinism: dirty objects are processed in a fixed order (CronJobs, Jobs, Pods, each by
//! namespace and name) and controllers derive names from uids, so the same inputs give the same
//! results. A runaway loop (one object synced more than [`MAX_SYNCS_PER_OBJECT`] times in one
//! reconcile) is cut off with a `Warning` event `SandboxReconcileLoop` on the object.
//!
//! Events are recorded as the client-go event correlator does (repeats of the same event bump
//! `count` and `lastTimestamp` of one object) and expire after one hour, the API server's default
//! `--event-ttl`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Node, ObjectReference, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::controllers::events::{self, EventType, Source};
use crate::controllers::refs::to_value;
use crate::controllers::{
    Action, Sync, cronjob, job, kubelet, kubelet_termination, scheduler, ttl,
};
use crate::kind::Kind;
use crate::store::{ChangeType, SharedChange, Store};

/// A single object synced more often than this in one `reconcile_pending` is a loop.
pub const MAX_SYNCS_PER_OBJECT: u32 = 64;

/// How long events live (kube-apiserver `--event-ttl` default).
const EVENT_TTL: SignedDuration = SignedDuration::from_hours(1);

/// What a sync is about. The derived order (CronJobs, then Jobs, then Pods; namespace; name) is
/// the processing order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Target {
    CronJob(String, String),
    Job(String, String),
    Pod(String, String),
    /// A pod with the Job tracking finalizer whose Job is gone or finished (upstream's
    /// `orphanQueue`, `syncOrphanPod`).
    OrphanPod(String, String),
}

impl Target {
    fn parts(&self) -> (Kind, &str, &str) {
        match self {
            Target::CronJob(ns, n) => (Kind::CronJob, ns, n),
            Target::Job(ns, n) => (Kind::Job, ns, n),
            Target::Pod(ns, n) | Target::OrphanPod(ns, n) => (Kind::Pod, ns, n),
        }
    }
}

type PodKey = (String, String);

#[derive(Default)]
struct State {
    started: bool,
    last_rv: u64,
    dirty: BTreeSet<Target>,
    wakeups: BTreeSet<(Timestamp, Target)>,
    wakeup_of: HashMap<Target, Timestamp>,
    /// Pending pods without a node: retried when nodes change.
    unscheduled: BTreeSet<PodKey>,
    /// The unscheduled pods whose last verdict was for want of resources (`Insufficient ...`,
    /// `Too many pods`): retried also when a bound pod finishes or goes away.
    unfit: BTreeSet<PodKey>,
    /// Bound, not finished pods: their node and requests, for the scheduler's fit and spreading.
    pod_node: HashMap<PodKey, (String, scheduler::Resources)>,
    node_usage: HashMap<String, scheduler::NodeUsage>,
    /// Parsed nodes; `None` after a node changed.
    nodes: Option<Vec<Node>>,
    /// Informer-style caches of what each controller owns, from the change log: controller uid
    /// -> child name -> child (metadata and status only). The CronJob and Job syncs read
    /// these instead of copying and decoding their children from the store each time.
    jobs_of: HashMap<String, BTreeMap<String, Job>>,
    pods_of: HashMap<String, BTreeMap<String, Pod>>,
    /// (namespace, name) -> controller uid, to move or drop a cached child.
    job_owner: HashMap<PodKey, String>,
    pod_owner: HashMap<PodKey, String>,
    /// (namespace, name) -> the `spec.schedule` and `spec.timeZone` last seen, to tell a
    /// schedule change (requeue only) from other updates (sync now), as upstream `updateCronJob`.
    schedules: HashMap<PodKey, (String, Option<String>)>,
    /// The scheduler's memory: when it last reported each unschedulable pod (its queue's
    /// timestamps; upstream writes no `lastProbeTime`).
    scheduling_reports: HashMap<PodKey, Timestamp>,
    /// Job uid -> how many of its pods have left the store, so that the Job controller's next
    /// pod keeps the creation order (`sandbox.kuul.dev/exit-codes`, generated names).
    gone_of: HashMap<String, usize>,
    /// The kubelets' memory of pods they could not start (image back-off, mount retries).
    kubelet_memory: HashMap<PodKey, kubelet::stuck::Memory>,
    /// Correlator: aggregation key -> (namespace, name) of the event object.
    events: HashMap<String, (String, String)>,
    /// (expiry, aggregation key), for the event TTL.
    event_expiry: BTreeSet<(Timestamp, String)>,
    /// Aggregation key -> the latest expiry (each write renews the event's etcd lease), so an
    /// earlier entry of `event_expiry` is known stale.
    event_expires: HashMap<String, Timestamp>,
    /// The events.k8s.io broadcaster's cache of open series: series key -> the event's key in
    /// `events` and what the broadcaster knows (which the server sees only when it writes).
    series: HashMap<String, OpenSeries>,
    /// Job controller targets whose last pod create failed, and how many times in a row: the
    /// work queue's rate-limited retry (`DefaultJobApiBackOff` 1 s doubling to
    /// `MaxJobApiBackOff` 1 min, pkg/controller/job/job_controller.go, v1.32.0).
    create_failures: HashMap<Target, u32>,
    /// The store's resourceVersion when the quota controller last synced.
    quota_rv: u64,
}

/// An events.k8s.io series the broadcaster still holds (client-go `tools/events/
/// event_broadcaster.go`, v1.32).
struct OpenSeries {
    /// The event object's key in `State::events`.
    event_key: String,
    /// Occurrences so far (1: no series yet).
    count: i64,
    last_observed: Timestamp,
    /// When the server last got the series.
    written_at: Timestamp,
    /// Whether the server has `count` and `last_observed`.
    written: bool,
}

/// The broadcaster refreshes open series on the server this often (`refreshTime`).
const SERIES_REFRESH: SignedDuration = SignedDuration::from_mins(30);
/// A series with no repeat for this long is finished: written once more and forgotten; the
/// next occurrence starts a new event (`finishTime`; its ticker runs at that period, so the
/// sandbox finishes exactly then).
const SERIES_FINISH: SignedDuration = SignedDuration::from_mins(6);

/// A child in the caches: only what the owning controller reads.
#[derive(serde::Deserialize)]
struct Shallow<S> {
    metadata: ObjectMeta,
    #[serde(default)]
    status: Option<S>,
}

fn shallow_job(v: &Value) -> Option<Job> {
    let s = Shallow::deserialize(v).ok()?;
    Some(Job { metadata: s.metadata, spec: None, status: s.status })
}

fn shallow_pod(v: &Value) -> Option<Pod> {
    let s = Shallow::deserialize(v).ok()?;
    Some(Pod { metadata: s.metadata, spec: None, status: s.status })
}

/// Updates one owner-indexed cache for a child's new state (`None`: deleted).
fn cache_child<T>(
    cache: &mut HashMap<String, BTreeMap<String, T>>,
    owners: &mut HashMap<PodKey, String>,
    key: PodKey,
    now: Option<(&str, T)>,
) {
    if let Some(old) = owners.remove(&key)
        && let Some(children) = cache.get_mut(&old)
    {
        children.remove(&key.1);
        if children.is_empty() {
            cache.remove(&old);
        }
    }
    if let Some((owner, child)) = now {
        cache.entry(owner.to_owned()).or_default().insert(key.1.clone(), child);
        owners.insert(key, owner.to_owned());
    }
}

impl State {
    /// An event written at `now`: its etcd lease runs [`EVENT_TTL`] from now.
    fn renew_event(&mut self, key: &str, now: Timestamp) {
        self.event_expiry.insert((now + EVENT_TTL, key.to_owned()));
        self.event_expires.insert(key.to_owned(), now + EVENT_TTL);
    }

    fn cache_job(&mut self, key: PodKey, obj: Option<&Value>) {
        let now = obj.and_then(|v| Some((controller_of(v)?.2, shallow_job(v)?)));
        cache_child(&mut self.jobs_of, &mut self.job_owner, key, now);
    }

    fn cache_pod(&mut self, key: PodKey, obj: Option<&Value>) {
        let now = obj.and_then(|v| Some((controller_of(v)?.2, shallow_pod(v)?)));
        cache_child(&mut self.pods_of, &mut self.pod_owner, key, now);
    }

    fn set_wakeup(&mut self, target: &Target, at: Option<Timestamp>) {
        if let Some(old) = self.wakeup_of.remove(target) {
            self.wakeups.remove(&(old, target.clone()));
        }
        if let Some(at) = at {
            self.wakeup_of.insert(target.clone(), at);
            self.wakeups.insert((at, target.clone()));
        }
    }

    /// Forgets a pod; `true` if it held capacity on a node.
    fn untrack_pod(&mut self, key: &PodKey) -> bool {
        self.unscheduled.remove(key);
        self.unfit.remove(key);
        let Some((node, requests)) = self.pod_node.remove(key) else { return false };
        if let Some(n) = self.node_usage.get_mut(&node) {
            n.pods = n.pods.saturating_sub(1);
            n.requested = n.requested.minus(requests);
        }
        true
    }

    /// A pod that held capacity went away or finished: the pods waiting for capacity try again
    /// (upstream moves them back to the active queue on an assigned pod's delete).
    fn capacity_freed(&mut self) {
        let retry: Vec<Target> =
            self.unfit.iter().map(|(ns, n)| Target::Pod(ns.clone(), n.clone())).collect();
        self.dirty.extend(retry);
    }

    /// Updates the scheduler bookkeeping for a pod's current state.
    fn track_pod(&mut self, key: PodKey, pod: &Value) {
        let held = self.untrack_pod(&key);
        let phase = str_at(pod, &["status", "phase"]).unwrap_or("Pending");
        let terminal = matches!(phase, "Succeeded" | "Failed");
        let bound = str_at(pod, &["spec", "nodeName"]).is_some_and(|n| !n.is_empty());
        if bound || terminal {
            self.scheduling_reports.remove(&key);
        }
        let holds = match str_at(pod, &["spec", "nodeName"]).filter(|n| !n.is_empty()) {
            Some(node) if !terminal => {
                let requests = scheduler::fit::pod_requests(&pod["spec"]);
                let usage = self.node_usage.entry(node.to_owned()).or_default();
                usage.pods += 1;
                usage.requested = usage.requested.plus(requests);
                self.pod_node.insert(key, (node.to_owned(), requests));
                true
            }
            None if !terminal => {
                if wants_capacity(pod) {
                    self.unfit.insert(key.clone());
                }
                self.unscheduled.insert(key);
                false
            }
            _ => false,
        };
        if held && !holds {
            self.capacity_freed();
        }
    }
}

/// Whether an unscheduled pod's last verdict (its `PodScheduled` condition) was for want of
/// resources on some node.
fn wants_capacity(pod: &Value) -> bool {
    let conditions = pod.pointer("/status/conditions").and_then(Value::as_array);
    conditions.into_iter().flatten().any(|c| {
        c.get("type").and_then(Value::as_str) == Some("PodScheduled")
            && c.get("message").and_then(Value::as_str).is_some_and(|m| {
                m.contains(" Insufficient ") || m.contains(scheduler::fit::TOO_MANY_PODS)
            })
    })
}

/// The simulated control plane (CronJob and Job controllers, scheduler, kubelet).
pub struct ControlPlane {
    store: Store,
    clock: Clock,
    /// Which images the kubelets cannot pull.
    registry: kubelet::registry::Registry,
    state: Mutex<State>,
    /// Set by [`ControlPlane::stop`]: no controller acts any more.
    stopped: AtomicBool,
}

impl std::fmt::Debug for ControlPlane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlPlane").field("next_wakeup", &self.next_wakeup()).finish()
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn meta<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    str_at(v, &["metadata", field])
}

/// The controller owner reference of a raw object: (kind, name, uid).
fn controller_of(v: &Value) -> Option<(&str, &str, &str)> {
    let refs = v.get("metadata")?.get("ownerReferences")?.as_array()?;
    refs.iter().find(|r| r.get("controller").and_then(Value::as_bool) == Some(true)).and_then(|r| {
        Some((r.get("kind")?.as_str()?, r.get("name")?.as_str()?, r.get("uid")?.as_str()?))
    })
}

/// Whether a raw object carries the Job tracking finalizer.
fn has_tracking_finalizer(v: &Value) -> bool {
    v.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| f.iter().any(|f| f.as_str() == Some(job::TRACKING_FINALIZER)))
}

/// A CronJob's `spec.schedule` and `spec.timeZone`.
fn schedule_of(v: &Value) -> (String, Option<String>) {
    (
        str_at(v, &["spec", "schedule"]).unwrap_or_default().to_owned(),
        str_at(v, &["spec", "timeZone"]).map(str::to_owned),
    )
}

/// Whether a Job has `spec.ttlSecondsAfterFinished` (the TTL-after-finished controller's).
fn has_ttl(v: &Value) -> bool {
    v.get("spec").and_then(|s| s.get("ttlSecondsAfterFinished")).is_some_and(|t| !t.is_null())
}

fn job_finished(v: &Value) -> bool {
    v.get("status").and_then(|s| s.get("conditions")).and_then(Value::as_array).is_some_and(|cs| {
        cs.iter().any(|c| {
            matches!(c.get("type").and_then(Value::as_str), Some("Complete" | "Failed"))
                && c.get("status").and_then(Value::as_str) == Some("True")
        })
    })
}

fn parse<T: DeserializeOwned>(v: &Value) -> Option<T> {
    T::deserialize(v).ok()
}

impl ControlPlane {
    /// A control plane over `store`, reading time from `clock`. Nothing runs until
    /// [`ControlPlane::reconcile_pending`] or [`ControlPlane::advance_to`] is called.
    pub fn new(store: Store, clock: Clock) -> ControlPlane {
        ControlPlane {
            store,
            clock,
            registry: kubelet::registry::Registry::default(),
            state: Mutex::new(State::default()),
            stopped: AtomicBool::new(false),
        }
    }

    /// Stops every controller for good: the sandbox is then an API server alone, as a
    /// kube-apiserver without controller-manager, scheduler and kubelet is (the apiserver
    /// golden replay compares against one).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    /// The registry the kubelets pull from (set its missing images to make pulls fail).
    pub fn registry(&self) -> &kubelet::registry::Registry {
        &self.registry
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// When the control plane next wants to act on its own (a schedule, a pod finishing, a
    /// backoff or deadline expiring), if ever.
    pub fn next_wakeup(&self) -> Option<Timestamp> {
        self.lock().wakeups.first().map(|(t, _)| *t)
    }

    /// Processes every change since the last call and every wakeup due at `clock.now()`, until
    /// nothing is left to do.
    pub fn reconcile_pending(&self) {
        let mut st = self.lock();
        self.reconcile_locked(&mut st);
    }

    /// Steps the clock through every wakeup at or before `t`, in time order, reconciling at
    /// each; then sets the clock to `t` (it never moves backwards) and reconciles once more.
    pub fn advance_to(&self, t: Timestamp) {
        let mut st = self.lock();
        loop {
            self.reconcile_locked(&mut st);
            let Some((next, _)) = st.wakeups.first() else { break };
            let next = *next;
            if next > t {
                break;
            }
            if next > self.clock.now() {
                self.clock.set(next);
            } else if st.wakeups.first().is_some_and(|(w, _)| *w <= self.clock.now()) {
                // Still due after a reconcile: only possible when the loop guard stopped a
                // target; drop its wakeup so time can move on.
                let first = st.wakeups.first().cloned();
                if let Some((_, target)) = first {
                    st.set_wakeup(&target, None);
                }
            }
        }
        if t > self.clock.now() {
            self.clock.set(t);
        }
        self.reconcile_locked(&mut st);
    }

    fn reconcile_locked(&self, st: &mut State) {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        if !st.started || st.last_rv < self.store.compacted_rv() {
            self.full_scan(st);
        }
        let now = self.clock.now();
        self.finish_series(st, now);
        self.expire_events(st, now);
        let mut syncs: HashMap<Target, u32> = HashMap::new();
        loop {
            // kube-controller-manager's garbage collector, ahead of the other controllers.
            self.store.collect_garbage();
            self.sync_namespaces(now);
            self.absorb_changes(st);
            while let Some((at, _)) = st.wakeups.first() {
                if *at > now {
                    break;
                }
                if let Some((_, target)) = st.wakeups.pop_first() {
                    st.wakeup_of.remove(&target);
                    st.dirty.insert(target);
                }
            }
            if st.dirty.is_empty() {
                break;
            }
            let batch = std::mem::take(&mut st.dirty);
            for target in batch {
                let n = syncs.entry(target.clone()).or_default();
                *n += 1;
                if *n > MAX_SYNCS_PER_OBJECT {
                    if *n == MAX_SYNCS_PER_OBJECT + 1 {
                        self.report_loop(st, &target, now);
                    }
                    st.set_wakeup(&target, None);
                    continue;
                }
                self.sync_target(st, &target, now);
            }
        }
        self.sync_quotas(st);
    }

    /// The namespace controller (`controllers::namespace`): each terminating namespace has its
    /// content deleted, its conditions written, and its finalizer removed once it is empty.
    /// Pods go with their grace period, so a namespace with running pods ends after the kubelet
    /// stops them (on the sandbox clock).
    fn sync_namespaces(&self, now: Timestamp) {
        use crate::controllers::namespace as ns_controller;
        let content = |name: &str| -> Vec<(Kind, std::sync::Arc<Value>)> {
            Kind::ALL
                .iter()
                .filter(|k| k.namespaced())
                .flat_map(|k| self.store.list_shared(*k, Some(name)).into_iter().map(|o| (*k, o)))
                .collect()
        };
        for namespace in self.store.list_shared(Kind::Namespace, None) {
            if !ns_controller::terminating(&namespace) {
                continue;
            }
            let Some(name) = meta(&namespace, "name").map(str::to_owned) else { continue };
            let before = content(&name);
            let refs: Vec<(Kind, &Value)> = before.iter().map(|(k, o)| (*k, o.as_ref())).collect();
            for (kind, obj) in ns_controller::to_delete(&refs) {
                // deleteCollection with background propagation and default options.
                let _ = self.store.delete(
                    kind,
                    Some(&name),
                    &obj,
                    crate::controllers::Propagation::Background,
                );
            }
            let after = content(&name);
            let refs: Vec<(Kind, &Value)> = after.iter().map(|(k, o)| (*k, o.as_ref())).collect();
            let (conditions, finalize) = ns_controller::after_delete(&namespace, &refs, now);
            if let Some(conditions) = conditions
                && let Some(current) = self.store.get(Kind::Namespace, None, &name)
            {
                let mut updated = current;
                updated["status"]["conditions"] = Value::Array(conditions);
                let _ = self.store.replace_status(Kind::Namespace, updated);
            }
            if finalize {
                let _ = self.store.finalize_namespace(&name, ns_controller::FINALIZER);
            }
        }
    }

    /// The resource quota controller (`syncResourceQuota`): each quota's `status.hard` and
    /// `status.used` from its namespace's objects, written when they change. It runs after
    /// every reconcile, so it is never behind the store (upstream is informer-driven and
    /// replenishes on pod and object changes).
    fn sync_quotas(&self, st: &mut State) {
        let rv = self.store.resource_version();
        if rv == st.quota_rv {
            return;
        }
        for q in self.store.list_shared(Kind::ResourceQuota, None) {
            let ns = meta(&q, "namespace").unwrap_or_default();
            let status = crate::quota::status(&q, &self.store.namespace_usage(ns));
            if q.get("status") != Some(&status) {
                let mut updated = Value::clone(&q);
                updated["status"] = status;
                let _ = self.store.replace_status(Kind::ResourceQuota, updated);
            }
        }
        st.quota_rv = self.store.resource_version();
    }

    /// Rebuilds the bookkeeping from the store: at start, or if the change log was compacted
    /// past what we read.
    fn full_scan(&self, st: &mut State) {
        let rv = self.store.resource_version();
        st.started = true;
        st.last_rv = rv;
        st.nodes = None;
        st.unscheduled.clear();
        st.unfit.clear();
        st.kubelet_memory.clear();
        st.pod_node.clear();
        st.node_usage.clear();
        st.schedules.clear();
        for cj in self.store.list(Kind::CronJob, None) {
            if let (Some(ns), Some(name)) = (meta(&cj, "namespace"), meta(&cj, "name")) {
                st.schedules.insert((ns.to_owned(), name.to_owned()), schedule_of(&cj));
                st.dirty.insert(Target::CronJob(ns.to_owned(), name.to_owned()));
            }
        }
        st.jobs_of.clear();
        st.job_owner.clear();
        st.pods_of.clear();
        st.pod_owner.clear();
        for job in self.store.list_shared(Kind::Job, None) {
            let (Some(ns), Some(name)) = (meta(&job, "namespace"), meta(&job, "name")) else {
                continue;
            };
            let key = (ns.to_owned(), name.to_owned());
            st.cache_job(key.clone(), Some(&job));
            if !job_finished(&job) || has_ttl(&job) {
                st.dirty.insert(Target::Job(key.0, key.1));
            }
        }
        for pod in self.store.list_shared(Kind::Pod, None) {
            let (Some(ns), Some(name)) = (meta(&pod, "namespace"), meta(&pod, "name")) else {
                continue;
            };
            let key = (ns.to_owned(), name.to_owned());
            st.cache_pod(key.clone(), Some(&pod));
            st.track_pod(key.clone(), &pod);
            if st.unscheduled.contains(&key) || st.pod_node.contains_key(&key) {
                st.dirty.insert(Target::Pod(key.0, key.1));
            }
        }
    }

    /// Reads the change log into the dirty set.
    fn absorb_changes(&self, st: &mut State) {
        // Per kind, shared (no copies), up to one rv so that no kind's change is skipped.
        let top = self.store.resource_version();
        if top <= st.last_rv {
            return;
        }
        let mut changes: Vec<SharedChange> = Vec::new();
        for kind in [Kind::Node, Kind::CronJob, Kind::Job, Kind::Pod] {
            match self.store.watch_changes(kind, st.last_rv, |_| true) {
                Ok((c, _)) => changes.extend(c.into_iter().filter(|c| c.rv <= top)),
                Err(_) => {
                    // The log no longer reaches back to what we read: start over.
                    self.full_scan(st);
                    return;
                }
            }
        }
        changes.sort_by_key(|c| c.rv);
        st.last_rv = top;
        for change in changes {
            let obj: &Value = &change.object;
            let ns = meta(obj, "namespace").unwrap_or_default().to_owned();
            let name = meta(obj, "name").unwrap_or_default().to_owned();
            let deleted = change.event == ChangeType::Deleted;
            match change.kind {
                Kind::CronJob => {
                    let key = (ns, name);
                    let t = Target::CronJob(key.0.clone(), key.1.clone());
                    if deleted {
                        st.schedules.remove(&key);
                        st.set_wakeup(&t, None);
                        st.dirty.remove(&t);
                        continue;
                    }
                    let schedule = schedule_of(obj);
                    let old = st.schedules.insert(key, schedule.clone());
                    match old {
                        // upstream `updateCronJob`: a schedule or time zone change only moves
                        // the requeue (`enqueueControllerAfter`; the delaying queue keeps the
                        // earlier of an already waiting time and the new one), no sync now.
                        Some(old) if change.event == ChangeType::Modified && old != schedule => {
                            let next = parse::<CronJob>(obj).and_then(|cj| {
                                cronjob::requeue_after_schedule_change(&cj, self.clock.now())
                            });
                            if let Some(next) = next {
                                let at = st.wakeup_of.get(&t).map_or(next, |w| (*w).min(next));
                                st.set_wakeup(&t, Some(at));
                            }
                        }
                        _ => {
                            st.dirty.insert(t);
                        }
                    }
                }
                Kind::Job => {
                    // upstream `updateJob` (cronjob_controllerv2.go, v1.32.0) enqueues the
                    // controlling CronJob on every Job update: mostly no-op syncs, but each one
                    // repeats `UnexpectedJob` for an unfinished Job it did not create (L16).
                    if let Some(("CronJob", owner, _)) = controller_of(obj) {
                        st.dirty.insert(Target::CronJob(ns.clone(), owner.to_owned()));
                    }
                    let key = (ns.clone(), name.clone());
                    st.cache_job(key, (!deleted).then_some(obj));
                    // upstream `deleteJob` and `updateJob` of a finished Job:
                    // `cleanupPodFinalizers` queues its pods that still have the finalizer.
                    if (deleted || job_finished(obj))
                        && let Some(uid) = meta(obj, "uid")
                    {
                        let orphans: Vec<Target> = st
                            .pods_of
                            .get(uid)
                            .into_iter()
                            .flat_map(|m| m.values())
                            .filter(|p| job::has_tracking_finalizer(p))
                            .filter_map(|p| {
                                Some(Target::OrphanPod(ns.clone(), p.metadata.name.clone()?))
                            })
                            .collect();
                        st.dirty.extend(orphans);
                        if deleted {
                            st.pods_of.remove(uid);
                            st.gone_of.remove(uid);
                        }
                    }
                    let t = Target::Job(ns, name);
                    if deleted {
                        st.set_wakeup(&t, None);
                        st.dirty.remove(&t);
                    } else if !job_finished(obj) || has_ttl(obj) {
                        st.dirty.insert(t);
                    }
                }
                Kind::Pod => {
                    let owner = controller_of(obj).filter(|(k, _, _)| *k == "Job");
                    if let Some((_, owner, _)) = owner {
                        st.dirty.insert(Target::Job(ns.clone(), owner.to_owned()));
                    }
                    let key = (ns, name);
                    st.cache_pod(key.clone(), (!deleted).then_some(obj));
                    if deleted && let Some((_, _, job_uid)) = owner {
                        *st.gone_of.entry(job_uid.to_owned()).or_default() += 1;
                    }
                    // upstream `addPod`/`updatePod`/`deletePod`: a pod with the finalizer and
                    // no live, unfinished Job controlling it goes to the orphan queue.
                    if !deleted && has_tracking_finalizer(obj) {
                        let orphan = match controller_of(obj) {
                            None => true,
                            Some(("Job", job_name, job_uid)) => {
                                self.store.get_shared(Kind::Job, Some(&key.0), job_name).is_none_or(
                                    |j| meta(&j, "uid") != Some(job_uid) || job_finished(&j),
                                )
                            }
                            Some(_) => false,
                        };
                        if orphan {
                            st.dirty.insert(Target::OrphanPod(key.0.clone(), key.1.clone()));
                        }
                    }
                    let t = Target::Pod(key.0.clone(), key.1.clone());
                    if deleted {
                        if st.untrack_pod(&key) {
                            st.capacity_freed();
                        }
                        st.kubelet_memory.remove(&key);
                        st.scheduling_reports.remove(&key);
                        st.set_wakeup(&t, None);
                        st.dirty.remove(&t);
                    } else {
                        st.track_pod(key.clone(), obj);
                        if st.unscheduled.contains(&key) || st.pod_node.contains_key(&key) {
                            st.dirty.insert(t);
                        }
                    }
                }
                Kind::Node => {
                    st.nodes = None;
                    let retry: Vec<Target> = st
                        .unscheduled
                        .iter()
                        .map(|(ns, n)| Target::Pod(ns.clone(), n.clone()))
                        .collect();
                    st.dirty.extend(retry);
                }
                // An aggregated event deleted by someone else is simply created again on its
                // next occurrence (see `record_event`).
                Kind::Event => {}
                Kind::Namespace | Kind::ConfigMap | Kind::Secret | Kind::ResourceQuota => {}
            }
        }
    }

    fn sync_target(&self, st: &mut State, target: &Target, now: Timestamp) {
        let (kind, ns, name) = target.parts();
        let Some(obj) = self.store.get_shared(kind, Some(ns), name) else {
            st.set_wakeup(target, None);
            return;
        };
        let uid = meta(&obj, "uid").unwrap_or_default();
        let sync = match target {
            Target::CronJob(..) => {
                let Some(cj) = parse::<CronJob>(&obj) else { return };
                let jobs: Vec<Job> =
                    st.jobs_of.get(uid).map(|m| m.values().cloned().collect()).unwrap_or_default();
                cronjob::sync(&cj, &jobs, now)
            }
            Target::Job(..) if job_finished(&obj) => {
                let Some(j) = parse::<Job>(&obj) else { return };
                ttl::sync(&j, now)
            }
            Target::Job(..) => {
                let Some(j) = parse::<Job>(&obj) else { return };
                let pods: Vec<Pod> =
                    st.pods_of.get(uid).map(|m| m.values().cloned().collect()).unwrap_or_default();
                let gone = st.gone_of.get(uid).copied().unwrap_or(0);
                job::sync_full(&j, &pods, gone, now, job::Gates::V1_32)
            }
            Target::OrphanPod(ns, _) => {
                let Some(pod) = parse::<Pod>(&obj) else { return };
                let owner = controller_of(&obj).filter(|(k, _, _)| *k == "Job");
                let owner_job = owner
                    .and_then(|(_, n, _)| self.store.get_shared(Kind::Job, Some(ns), n))
                    .and_then(|j| parse::<Job>(&j));
                job::sync_orphan_pod(&pod, owner_job.as_ref())
            }
            Target::Pod(..) => {
                let Some(pod) = parse::<Pod>(&obj) else { return };
                if pod.metadata.deletion_timestamp.is_some() {
                    kubelet_termination::sync(&pod, now)
                } else if scheduler::wants(&pod) {
                    let nodes = self.nodes(st);
                    let key = (
                        pod.metadata.namespace.clone().unwrap_or_default(),
                        pod.metadata.name.clone().unwrap_or_default(),
                    );
                    let usage = &st.node_usage;
                    let sync = scheduler::sync(
                        &pod,
                        &nodes,
                        |n| usage.get(n).copied().unwrap_or_default(),
                        st.scheduling_reports.get(&key).copied(),
                        now,
                    );
                    if sync.actions.iter().any(|a| matches!(a, Action::CreateEvent(e) if e.reason.as_deref() == Some("FailedScheduling"))) {
                        st.scheduling_reports.insert(key, now);
                    }
                    sync
                } else {
                    self.kubelet_sync(st, &pod, now)
                }
            }
        };
        self.apply(st, target, sync, now);
    }

    /// The kubelet: a pod it cannot start (`kubelet::stuck`), else the ordinary run.
    fn kubelet_sync(&self, st: &mut State, pod: &Pod, now: Timestamp) -> Sync {
        let ns = pod.metadata.namespace.clone().unwrap_or_default();
        let key = (ns.clone(), pod.metadata.name.clone().unwrap_or_default());
        let config_map = |name: &str| {
            let cm = self.store.get_shared(Kind::ConfigMap, Some(&ns), name)?;
            let keys = ["data", "binaryData"].iter().filter_map(|f| cm.get(*f)?.as_object());
            Some(keys.flat_map(|m| m.keys().cloned()).collect())
        };
        let secret = |name: &str| {
            let s = self.store.get_shared(Kind::Secret, Some(&ns), name)?;
            Some(
                s.get("data")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|m| m.keys().cloned())
                    .collect(),
            )
        };
        let env = kubelet::stuck::Env {
            registry: &self.registry,
            config_map: &config_map,
            secret: &secret,
        };
        match kubelet::stuck::sync(pod, now, &env, st.kubelet_memory.get(&key)) {
            Some((sync, memory)) => {
                st.kubelet_memory.insert(key, memory);
                sync
            }
            None => {
                st.kubelet_memory.remove(&key);
                kubelet::sync(pod, now)
            }
        }
    }

    fn nodes(&self, st: &mut State) -> Vec<Node> {
        if st.nodes.is_none() {
            st.nodes = Some(self.store.list(Kind::Node, None).iter().filter_map(parse).collect());
        }
        st.nodes.clone().unwrap_or_default()
    }

    /// Applies a sync's actions in order; stops at the first failed write (a conflict re-queues
    /// the target for a fresh read).
    fn apply(&self, st: &mut State, target: &Target, sync: Sync, now: Timestamp) {
        st.set_wakeup(target, sync.requeue_at);
        // Jobs created in this sync: name -> (uid, resourceVersion), for the CronJob's
        // `status.active` (upstream `getRef` -> `ref.GetReference` of the create response, L2).
        let mut created: HashMap<String, (String, String)> = HashMap::new();
        let mut foreign: Vec<String> = Vec::new();
        // A later status write of the same object in this sync applies on top of an earlier one
        // (upstream's `updateStatusHandler` returns the updated object): (name, the
        // resourceVersion written from) -> the one written.
        let mut rewritten: HashMap<(String, String), String> = HashMap::new();
        for action in sync.actions {
            let result = match action {
                Action::CreateJob(job) => {
                    let name = job.metadata.name.clone().unwrap_or_default();
                    let owner = job
                        .metadata
                        .owner_references
                        .as_ref()
                        .and_then(|r| r.first())
                        .map(|r| r.uid.clone());
                    match self.store.create(Kind::Job, to_value(&job)) {
                        Ok(v) => {
                            created.insert(name, uid_and_rv(&v));
                            Ok(())
                        }
                        Err(e) if e.reason == "AlreadyExists" => {
                            // upstream: adopt it into `active` only if we control it.
                            let ns = job.metadata.namespace.as_deref();
                            match self.store.get(Kind::Job, ns, &name) {
                                Some(v)
                                    if controller_of(&v).map(|(_, _, u)| u.to_owned()) == owner =>
                                {
                                    created.insert(name, uid_and_rv(&v));
                                }
                                _ => foreign.push(name),
                            }
                            Ok(())
                        }
                        Err(e) => {
                            self.failed_create(
                                st,
                                target,
                                &format!("Error creating job: {}", e.message),
                                now,
                            );
                            Err(())
                        }
                    }
                }
                Action::CreatePod(pod) => match self.store.create(Kind::Pod, to_value(&pod)) {
                    Ok(_) => {
                        st.create_failures.remove(target);
                        Ok(())
                    }
                    Err(e) => {
                        self.failed_create(
                            st,
                            target,
                            &format!("Error creating: {}", e.message),
                            now,
                        );
                        // manageJob's error requeues the Job rate-limited: 1 s, 2 s, ... 1 min.
                        let n = st.create_failures.entry(target.clone()).or_default();
                        *n += 1;
                        let backoff = SignedDuration::from_secs(1 << (*n - 1).min(6))
                            .min(SignedDuration::from_mins(1));
                        let at = st
                            .wakeup_of
                            .get(target)
                            .map_or(now + backoff, |w| (*w).min(now + backoff));
                        st.set_wakeup(target, Some(at));
                        Err(())
                    }
                },
                Action::CreateEvent(event) => {
                    self.record_event(st, *event, now);
                    Ok(())
                }
                Action::ReplaceStatus { kind, mut object } => {
                    if kind == Kind::CronJob {
                        fill_active_uids(&mut object, &created, &foreign);
                    }
                    let name = meta(&object, "name").unwrap_or_default().to_owned();
                    let from = meta(&object, "resourceVersion").unwrap_or_default().to_owned();
                    if let Some(rv) = rewritten.get(&(name.clone(), from.clone()))
                        && let Some(m) = object.get_mut("metadata").and_then(Value::as_object_mut)
                    {
                        m.insert("resourceVersion".into(), rv.clone().into());
                    }
                    let written = self.store.replace_status(kind, object);
                    if let Ok(v) = &written {
                        rewritten.insert(
                            (name, from),
                            meta(v, "resourceVersion").unwrap_or_default().to_owned(),
                        );
                    }
                    self.write(st, target, written)
                }
                Action::Replace { kind, object } => {
                    let written = self.store.replace(kind, object);
                    if kind == Kind::Pod
                        && let Ok(pod) = &written
                        && let (Some(ns), Some(name)) = (meta(pod, "namespace"), meta(pod, "name"))
                    {
                        // The scheduler's cache assumes a pod on its node as it binds it, so the
                        // next pod in this batch sees the capacity taken.
                        st.track_pod((ns.to_owned(), name.to_owned()), pod);
                    }
                    self.write(st, target, written)
                }
                Action::RemoveFinalizer { kind, namespace, name, finalizer } => {
                    self.remove_finalizer(kind, &namespace, &name, &finalizer);
                    Ok(())
                }
                Action::Delete { kind, namespace, name, propagation, uid } => {
                    let ns = kind.namespaced().then_some(namespace.as_str());
                    // Already gone (or a new object of that name) is fine: the goal is reached.
                    // The kubelet's own delete of a pod it stopped is `NewDeleteOptions(0)`
                    // (status_manager.go `syncPod`).
                    let grace =
                        (kind == Kind::Pod && matches!(target, Target::Pod(..))).then_some(0);
                    let opts = crate::store::DeleteOptions {
                        uid,
                        grace_period_seconds: grace,
                        ..Default::default()
                    };
                    let _ = self.store.delete_opts(kind, ns, &name, propagation, &opts);
                    Ok(())
                }
            };
            if result.is_err() {
                break;
            }
        }
    }

    /// Removes `finalizer` from the object as a patch would (no resourceVersion precondition:
    /// a concurrent write is retried on the fresh object; an object already gone is fine).
    fn remove_finalizer(&self, kind: Kind, namespace: &str, name: &str, finalizer: &str) {
        let ns = kind.namespaced().then_some(namespace);
        for _ in 0..4 {
            let Some(mut obj) = self.store.get(kind, ns, name) else { return };
            let Some(list) = obj.pointer_mut("/metadata/finalizers").and_then(Value::as_array_mut)
            else {
                return;
            };
            let before = list.len();
            list.retain(|f| f.as_str() != Some(finalizer));
            if list.len() == before {
                return;
            }
            if list.is_empty()
                && let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut)
            {
                m.remove("finalizers");
            }
            match self.store.replace(kind, obj) {
                Err(e) if e.code == 409 => continue,
                _ => return,
            }
        }
    }

    fn write(
        &self,
        st: &mut State,
        target: &Target,
        result: Result<Value, crate::error::ApiError>,
    ) -> Result<(), ()> {
        match result {
            Ok(_) => Ok(()),
            Err(e) => {
                if e.code == 409 {
                    st.dirty.insert(target.clone());
                }
                Err(())
            }
        }
    }

    fn involved(&self, target: &Target) -> ObjectReference {
        let (kind, ns, name) = target.parts();
        let uid =
            self.store.get(kind, Some(ns), name).and_then(|v| meta(&v, "uid").map(str::to_owned));
        ObjectReference {
            kind: Some(kind.kind_name().to_owned()),
            api_version: Some(kind.api_version().to_owned()),
            namespace: Some(ns.to_owned()),
            name: Some(name.to_owned()),
            uid,
            ..ObjectReference::default()
        }
    }

    fn failed_create(&self, st: &mut State, target: &Target, message: &str, now: Timestamp) {
        let component = match target {
            Target::CronJob(..) => events::component::CRONJOB,
            _ => events::component::JOB,
        };
        let e = events::event(
            &self.involved(target),
            Source::component(component),
            EventType::Warning,
            "FailedCreate",
            message.to_owned(),
            now,
        );
        self.record_event(st, e, now);
    }

    fn report_loop(&self, st: &mut State, target: &Target, now: Timestamp) {
        let e = events::event(
            &self.involved(target),
            Source::component("kuul-sandbox-control-plane"),
            EventType::Warning,
            "SandboxReconcileLoop",
            format!(
                "synced more than {MAX_SYNCS_PER_OBJECT} times at one instant without settling; \
                 stopped until it changes again"
            ),
            now,
        );
        self.record_event(st, e, now);
    }

    /// Creates an event, or folds it into an earlier identical one (count + 1).
    fn record_event(&self, st: &mut State, event: Event, now: Timestamp) {
        if events::is_v1(&event) {
            return self.record_event_v1(st, event, now);
        }
        let key = events::aggregation_key(&event);
        if let Some((ns, name)) = st.events.get(&key).cloned()
            && let Some(mut existing) = self.store.get(Kind::Event, Some(&ns), &name)
        {
            let count = existing.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
            if let Some(m) = existing.as_object_mut() {
                m.insert("count".into(), count.into());
                m.insert("lastTimestamp".into(), crate::store::rfc3339(now).into());
                if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.remove("resourceVersion");
                }
            }
            if self.store.replace(Kind::Event, existing).is_ok() {
                st.renew_event(&key, now);
                return;
            }
        }
        self.create_event(st, key, &event, now);
    }

    /// An events.k8s.io/v1 event, as its broadcaster's `recordToSink`: the first occurrence is
    /// created; the second makes it a series `{count: 2, lastObservedTime}`, written at once;
    /// later ones only grow the broadcaster's copy, which reaches the server every
    /// [`SERIES_REFRESH`] and when the series finishes ([`Self::finish_series`]). So the
    /// server's `series` can lag by up to half an hour, as on a real cluster.
    fn record_event_v1(&self, st: &mut State, event: Event, now: Timestamp) {
        let series_key = events::series_key(&event);
        self.finish_series(st, now);
        if let Some(open) = st.series.get_mut(&series_key) {
            open.count += 1;
            open.last_observed = now;
            open.written = false;
            if open.count == 2 || now.duration_since(open.written_at) >= SERIES_REFRESH {
                let event_key = open.event_key.clone();
                self.write_series(st, &series_key, &event_key, now);
            }
            return;
        }
        let event_key =
            format!("{series_key}\u{1f}{}", event.metadata.name.as_deref().unwrap_or(""));
        if self.create_event(st, event_key.clone(), &event, now) {
            st.series.insert(
                series_key,
                OpenSeries {
                    event_key,
                    count: 1,
                    last_observed: now,
                    written_at: now,
                    written: true,
                },
            );
        }
    }

    /// Writes an open series' count and last observation to its event object.
    fn write_series(&self, st: &mut State, series_key: &str, event_key: &str, now: Timestamp) {
        let Some(open) = st.series.get_mut(series_key) else { return };
        open.written = true;
        open.written_at = now;
        let series = json!({
            "count": open.count,
            "lastObservedTime": to_value(&MicroTime(open.last_observed)),
        });
        let Some((ns, name)) = st.events.get(event_key).cloned() else { return };
        let Some(mut existing) = self.store.get(Kind::Event, Some(&ns), &name) else { return };
        if let Some(m) = existing.as_object_mut() {
            m.insert("series".into(), series);
            if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("resourceVersion");
            }
        }
        if self.store.replace(Kind::Event, existing).is_ok() {
            // Every write renews the event's etcd lease.
            st.renew_event(event_key, now);
        }
    }

    /// The broadcaster's `finishSeries`: a series with no repeat for [`SERIES_FINISH`] is
    /// written a last time (if the server lacks its latest count) and forgotten; so is a single
    /// event that long after it happened.
    fn finish_series(&self, st: &mut State, now: Timestamp) {
        let done: Vec<(String, String, bool)> = st
            .series
            .iter()
            .filter(|(_, open)| now.duration_since(open.last_observed) >= SERIES_FINISH)
            .map(|(k, open)| (k.clone(), open.event_key.clone(), open.written))
            .collect();
        for (series_key, event_key, written) in done {
            if !written {
                let at =
                    st.series.get(&series_key).map_or(now, |o| o.last_observed + SERIES_FINISH);
                self.write_series(st, &series_key, &event_key, at);
            }
            st.series.remove(&series_key);
        }
    }

    /// Creates the event object under a free name (the nanosecond suffix can collide); whether
    /// it was created.
    fn create_event(&self, st: &mut State, key: String, event: &Event, now: Timestamp) -> bool {
        let namespace = event.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned());
        let base = event.metadata.name.clone().unwrap_or_default();
        let mut value = to_value(event);
        for attempt in 0..32_u32 {
            let name = if attempt == 0 { base.clone() } else { format!("{base}{attempt:x}") };
            if let Some(m) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                m.insert("name".into(), name.clone().into());
            }
            match self.store.create(Kind::Event, value.clone()) {
                Ok(_) => {
                    st.events.insert(key.clone(), (namespace, name));
                    st.renew_event(&key, now);
                    return true;
                }
                Err(e) if e.reason == "AlreadyExists" => {}
                Err(_) => return false,
            }
        }
        false
    }

    /// Deletes events whose last occurrence is older than the TTL.
    fn expire_events(&self, st: &mut State, now: Timestamp) {
        while let Some(&(at, _)) = st.event_expiry.first() {
            if at > now {
                break;
            }
            let Some((_, key)) = st.event_expiry.pop_first() else { break };
            if st.event_expires.get(&key).is_some_and(|latest| *latest > at) {
                // Renewed by a later write: its own entry comes later.
                continue;
            }
            st.event_expires.remove(&key);
            if let Some((ns, name)) = st.events.remove(&key) {
                let _ = self.store.delete(
                    Kind::Event,
                    Some(&ns),
                    &name,
                    crate::controllers::Propagation::Background,
                );
            }
        }
    }
}

/// Puts the uids of Jobs created in this sync into `status.active` (the controller could not
/// know them), and drops entries for names that turned out to belong to someone else.
fn uid_and_rv(v: &Value) -> (String, String) {
    (
        meta(v, "uid").unwrap_or_default().to_owned(),
        meta(v, "resourceVersion").unwrap_or_default().to_owned(),
    )
}

fn fill_active_uids(
    object: &mut Value,
    created: &HashMap<String, (String, String)>,
    foreign: &[String],
) {
    let Some(active) = object.pointer_mut("/status/active").and_then(Value::as_array_mut) else {
        return;
    };
    active.retain(|r| {
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
        !(r.get("uid").is_none() && foreign.iter().any(|f| f == name))
    });
    for r in active.iter_mut() {
        if r.get("uid").is_some() {
            continue;
        }
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        if let (Some((uid, rv)), Some(m)) = (created.get(&name), r.as_object_mut()) {
            m.insert("uid".into(), uid.clone().into());
            m.insert("resourceVersion".into(), rv.clone().into());
        }
    }
}
