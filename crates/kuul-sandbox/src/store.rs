//! The sandbox's etcd + registry: an in-memory object store with Kubernetes write semantics.
//!
//! One global resourceVersion counter (as etcd's revision), server-set metadata (uid,
//! creationTimestamp, generation, generateName), optimistic concurrency (409 on a stale
//! resourceVersion), `/status` splitting, finalizers, owner-reference garbage collection with
//! Background/Foreground/Orphan propagation, and a bounded change log that feeds watches and the
//! control plane. Both the HTTP API and the control plane write through here, so a deletion made
//! by a controller cascades exactly like one made by `kubectl`.
//!
//! Upstream references: `staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`
//! (Create/Update/Delete, graceful and finalizer handling), `pkg/registry/rest/create.go`
//! (`BeforeCreate`, generateName), `pkg/controller/garbagecollector` (owner references).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use tokio::sync::watch;

use crate::clock::Clock;
use crate::controllers::Propagation;
use crate::error::ApiError;
use crate::kind::Kind;
use crate::{defaults, quota, validation};

/// How many changes the log keeps; a watch or continue token older than that gets 410.
pub const DEFAULT_LOG_CAPACITY: usize = 100_000;

/// The type of a change, as watch events name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    /// The object was created.
    Added,
    /// The object was updated.
    Modified,
    /// The object was removed.
    Deleted,
}

impl ChangeType {
    /// The watch event `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Added => "ADDED",
            ChangeType::Modified => "MODIFIED",
            ChangeType::Deleted => "DELETED",
        }
    }
}

/// One write, as the change log records it.
#[derive(Debug, Clone)]
pub struct Change {
    /// The resourceVersion of the write.
    pub rv: u64,
    /// Which resource.
    pub kind: Kind,
    /// What happened.
    pub event: ChangeType,
    /// The object after the write (for deletions: its last state, with the deletion's rv).
    pub object: Value,
}

/// A change log entry shared without copying the object (for watch fan-out).
#[derive(Debug, Clone)]
pub struct SharedChange {
    /// The resourceVersion of the write.
    pub rv: u64,
    /// Which resource.
    pub kind: Kind,
    /// What happened.
    pub event: ChangeType,
    /// The object after the write.
    pub object: Arc<Value>,
    /// The object before the write (`None` for a creation): what a list at an earlier
    /// resourceVersion serves, as etcd's MVCC keeps every revision until compaction.
    pub prev: Option<Arc<Value>>,
}

/// Why a list at a past resourceVersion cannot be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// The version is older than the change log reaches (etcd `ErrCompacted`).
    Compacted,
    /// The version has not been written yet (etcd `ErrFutureRev`).
    Future,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, in namespace/name order.
    pub items: Vec<T>,
    /// (namespace, name) of the last item, for a continue token.
    pub last: Option<(String, String)>,
    /// The resourceVersion the page shows.
    pub rv: u64,
    /// Whether more matching objects follow.
    pub more: bool,
    /// How many objects follow the last item whatever the filter (`remainingItemCount`), when
    /// asked for and `more`.
    pub remaining: Option<usize>,
}

/// What one list page asks for ([`Store::page_json`]).
#[derive(Debug, Clone, Copy)]
pub struct PageQuery<'a> {
    /// Which resource.
    pub kind: Kind,
    /// Its namespace (all when `None`).
    pub namespace: Option<&'a str>,
    /// The resourceVersion to list at (`None`: the latest).
    pub at: Option<u64>,
    /// List strictly after this (namespace, name): a continue token's key.
    pub after: Option<(&'a str, &'a str)>,
    /// At most this many items.
    pub limit: usize,
    /// Count the objects after the page (`remainingItemCount`).
    pub count_rest: bool,
}

/// Options of a delete beyond the propagation policy.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    /// `preconditions.uid`.
    pub uid: Option<String>,
    /// `preconditions.resourceVersion`.
    pub resource_version: Option<String>,
    /// `dryRun=All`: validate, change nothing.
    pub dry_run: bool,
    /// `gracePeriodSeconds` (pods only; `None`: the pod's `terminationGracePeriodSeconds`).
    pub grace_period_seconds: Option<i64>,
}

/// What a delete did.
#[derive(Debug, Clone)]
pub struct Deleted {
    /// The object's last state: the removed object, or the object now carrying
    /// `deletionTimestamp` (graceful deletion, finalizers).
    pub object: Arc<Value>,
    /// Whether the object is gone from the store.
    pub removed: bool,
}

/// The garbage collector's finalizers (`metav1.FinalizerOrphanDependents`, `FinalizerDeleteDependents`).
pub const ORPHAN_FINALIZER: &str = "orphan";
/// `metav1.FinalizerDeleteDependents`.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";

/// The in-memory store. Cheap to clone; all clones share the same data.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Shared>,
}

struct Shared {
    data: RwLock<Data>,
    clock: Clock,
    /// Latest resourceVersion, for watchers to wait on.
    notify: watch::Sender<u64>,
}

type Dependent = (Kind, String, String);
type Names = BTreeMap<String, Entry>;

/// A stored object and its JSON serialisation, made once per write so that lists and gets
/// copy bytes instead of serialising (lists of 50,000 objects are the benchmark).
struct Entry {
    obj: Arc<Value>,
    json: bytes::Bytes,
}

struct Data {
    rv: u64,
    /// Per kind (by `Kind::index`): namespace ("" when cluster-scoped) -> name -> object.
    objects: Vec<BTreeMap<String, Names>>,
    /// uid -> where the object lives.
    by_uid: HashMap<String, Dependent>,
    /// owner uid -> objects carrying an owner reference to it.
    owned: HashMap<String, BTreeSet<Dependent>>,
    log: VecDeque<SharedChange>,
    log_capacity: usize,
    /// Every change with rv <= this has left the log.
    compacted: u64,
    rng: StdRng,
    /// uids the garbage collector must look at: removed owners (their dependents), owners
    /// marked with the `orphan`/`foregroundDeletion` finalizers, owners of removed dependents.
    gc_queue: BTreeSet<String>,
}

/// Metadata accessors on raw JSON objects.
pub(crate) fn meta_str<'a>(obj: &'a Value, field: &str) -> Option<&'a str> {
    obj.get("metadata")?.get(field)?.as_str()
}

fn meta_mut(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    let root = obj.as_object_mut().map(|m| m.entry("metadata").or_insert_with(|| json!({})));
    match root {
        Some(m) => {
            if !m.is_object() {
                *m = json!({});
            }
            m.as_object_mut().unwrap_or_else(|| unreachable!("metadata was just made an object"))
        }
        None => unreachable!("object was just made a JSON object"),
    }
}

/// Go's `omitempty` on the fields clients commonly send empty: `metadata.labels`,
/// `annotations`, `finalizers`, `ownerReferences` (also of pod templates) and a ConfigMap's
/// `data`/`binaryData`, which the API server never stores as `{}`/`[]`.
fn omit_empty(kind: Kind, obj: &mut Value) {
    fn meta(m: Option<&mut Value>) {
        if let Some(m) = m.and_then(Value::as_object_mut) {
            m.retain(|k, v| {
                !(matches!(k.as_str(), "labels" | "annotations" | "finalizers" | "ownerReferences")
                    && (v.as_object().is_some_and(Map::is_empty)
                        || v.as_array().is_some_and(Vec::is_empty)))
            });
        }
    }
    meta(obj.get_mut("metadata"));
    match kind {
        Kind::ConfigMap | Kind::Secret => {
            if let Some(m) = obj.as_object_mut() {
                m.retain(|k, v| {
                    !(matches!(k.as_str(), "data" | "binaryData")
                        && v.as_object().is_some_and(Map::is_empty))
                });
            }
        }
        Kind::Job => meta(obj.pointer_mut("/spec/template/metadata")),
        Kind::CronJob => {
            meta(obj.pointer_mut("/spec/jobTemplate/metadata"));
            meta(obj.pointer_mut("/spec/jobTemplate/spec/template/metadata"));
        }
        _ => {}
    }
}

/// What Go's `encoding/json` writes for fields that `omitempty` cannot omit (structs) or that
/// carry no `omitempty` at all, as the API server stores and serves them (k8s.io/api 1.20 to
/// 1.32 alike): a zero `metav1.Time` struct is `null` (its MarshalJSON), a zero status struct
/// `{}`. So: a Job's and a CronJob's `status: {}`, a ResourceQuota's too; the
/// `metadata.creationTimestamp: null` of a pod template and of a CronJob's job template
/// (`ObjectMeta` is a struct); a pod's and a Job's conditions' `lastProbeTime`/
/// `lastTransitionTime` and a container state's `startedAt`/`finishedAt` (`metav1.Time`, not
/// pointers); an Event's `eventTime: null` (`metav1.MicroTime`), `firstTimestamp`/
/// `lastTimestamp: null`, `source: {}` and `reportingComponent`/`reportingInstance` `""` (no
/// `omitempty` on them).
fn go_zero_values(kind: Kind, obj: &mut Value) {
    fn null_times(v: Option<&mut Value>, fields: &[&str]) {
        if let Some(o) = v.and_then(Value::as_object_mut) {
            for f in fields {
                o.entry(*f).or_insert(Value::Null);
            }
        }
    }
    fn template_meta(template: Option<&mut Value>) {
        if let Some(t) = template.and_then(Value::as_object_mut) {
            null_times(
                Some(t.entry("metadata").or_insert_with(|| json!({}))),
                &["creationTimestamp"],
            );
        }
    }
    fn conditions(obj: &mut Value) {
        let conds = obj.pointer_mut("/status/conditions").and_then(Value::as_array_mut);
        for c in conds.into_iter().flatten() {
            null_times(Some(c), &["lastProbeTime", "lastTransitionTime"]);
        }
    }
    fn empty_status(obj: &mut Value) {
        if let Some(o) = obj.as_object_mut() {
            o.entry("status").or_insert_with(|| json!({}));
        }
    }
    match kind {
        Kind::Job => {
            empty_status(obj);
            template_meta(obj.pointer_mut("/spec/template"));
            conditions(obj);
        }
        Kind::CronJob => {
            empty_status(obj);
            template_meta(obj.pointer_mut("/spec/jobTemplate"));
            template_meta(obj.pointer_mut("/spec/jobTemplate/spec/template"));
        }
        Kind::ResourceQuota => empty_status(obj),
        Kind::Pod => {
            conditions(obj);
            let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) else {
                return;
            };
            for list in ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]
            {
                for c in status.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                    for state in ["state", "lastState"] {
                        let s = c.get_mut(state);
                        let Some(s) = s.and_then(Value::as_object_mut) else { continue };
                        null_times(s.get_mut("running"), &["startedAt"]);
                        null_times(s.get_mut("terminated"), &["startedAt", "finishedAt"]);
                    }
                }
            }
        }
        Kind::Event => {
            if let Some(o) = obj.as_object_mut() {
                o.entry("eventTime").or_insert(Value::Null);
                // `metav1.Time` structs and the `EventSource` struct: omitempty cannot drop them
                // (an events.k8s.io event's core/v1 view has all three unset).
                o.entry("firstTimestamp").or_insert(Value::Null);
                o.entry("lastTimestamp").or_insert(Value::Null);
                o.entry("source").or_insert_with(|| json!({}));
                o.entry("reportingComponent").or_insert_with(|| json!(""));
                o.entry("reportingInstance").or_insert_with(|| json!(""));
            }
        }
        _ => {}
    }
}

/// What an update keeps of the stored object's metadata whatever the client sent (rest.BeforeUpdate
/// and the field manager): uid, creation and deletion stamps, generation and managedFields (the
/// stored ones, plus this writer's, recorded later); a cluster-scoped kind has no namespace.
fn keep_system_metadata(kind: Kind, old: &Value, object: &mut Value) {
    let old_meta = old.get("metadata").cloned().unwrap_or_else(|| json!({}));
    let meta = meta_mut(object);
    for system in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "managedFields",
    ] {
        match old_meta.get(system) {
            Some(v) => meta.insert(system.into(), v.clone()),
            None => meta.remove(system),
        };
    }
    if !kind.namespaced() {
        meta.remove("namespace");
    }
}

/// Who writes, for `metadata.managedFields`: the request's `fieldManager` and the operation
/// (`Update` for create, update and non-apply patches, `Apply` for server-side apply), as the
/// API server's field manager records them (`apiserver/pkg/endpoints/handlers/fieldmanager`,
/// 1.33). The sandbox keeps one entry per manager, operation and subresource, with its time;
/// `fieldsV1` is left empty (no field ownership is tracked).
#[derive(Debug, Clone, Copy)]
pub struct Manager<'a> {
    /// The field manager's name.
    pub name: &'a str,
    /// `Update` or `Apply`.
    pub operation: &'static str,
}

impl Manager<'_> {
    fn record(self, kind: Kind, object: &mut Value, now: jiff::Timestamp, status_only: bool) {
        let mut entry = json!({
            "manager": self.name,
            "operation": self.operation,
            "apiVersion": kind.api_version(),
            "time": rfc3339(now),
            "fieldsType": "FieldsV1",
            "fieldsV1": {},
        });
        if status_only {
            entry["subresource"] = json!("status");
        }
        let meta = meta_mut(object);
        let fields = meta.entry("managedFields").or_insert_with(|| json!([]));
        if !fields.is_array() {
            *fields = json!([]);
        }
        let list = fields.as_array_mut().unwrap_or_else(|| unreachable!("made an array"));
        let same = |e: &Value| {
            e.get("manager") == entry.get("manager")
                && e.get("operation") == entry.get("operation")
                && e.get("subresource") == entry.get("subresource")
        };
        match list.iter_mut().find(|e| same(e)) {
            Some(e) => *e = entry,
            None => list.push(entry),
        }
    }
}

/// RFC 3339 with whole seconds, as `metav1.Time` serialises.
pub fn rfc3339(t: jiff::Timestamp) -> String {
    jiff::Timestamp::from_second(t.as_second()).unwrap_or(t).to_string()
}

fn owner_uids(obj: &Value) -> Vec<String> {
    obj.get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter().filter_map(|r| r.get("uid")?.as_str().map(str::to_string)).collect()
        })
        .unwrap_or_default()
}

fn finalizers(obj: &Value) -> Vec<String> {
    obj.get("metadata")
        .and_then(|m| m.get("finalizers"))
        .and_then(Value::as_array)
        .map(|f| f.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn is_deleting(obj: &Value) -> bool {
    obj.get("metadata").and_then(|m| m.get("deletionTimestamp")).is_some_and(|t| !t.is_null())
}

fn grace_of(obj: &Value) -> i64 {
    obj.get("metadata")
        .and_then(|m| m.get("deletionGracePeriodSeconds"))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// Writes `finalizers` (omitted when empty, as `omitempty`).
fn set_finalizers(obj: &mut Value, list: &[String]) {
    let meta = meta_mut(obj);
    if list.is_empty() {
        meta.remove("finalizers");
    } else {
        meta.insert("finalizers".into(), json!(list));
    }
}

/// upstream `podStrategy.CheckGracefulDelete` (`pkg/registry/core/pod/strategy.go`, v1.32.0):
/// the requested grace period, else the pod's `terminationGracePeriodSeconds`; 0 for a pod not
/// bound to a node or already terminal; a negative period becomes 1.
fn pod_grace(pod: &Value, requested: Option<i64>) -> i64 {
    let spec = pod.get("spec");
    let mut period = requested.unwrap_or_else(|| {
        spec.and_then(|s| s.get("terminationGracePeriodSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    });
    if spec.and_then(|s| s.get("nodeName")).and_then(Value::as_str).is_none_or(str::is_empty) {
        period = 0;
    }
    let phase = pod.get("status").and_then(|s| s.get("phase")).and_then(Value::as_str);
    if matches!(phase, Some("Succeeded" | "Failed")) {
        period = 0;
    }
    if period < 0 { 1 } else { period }
}

/// A namespace's `spec.finalizers` (the namespace controller's `kubernetes`).
fn namespace_finalizers(obj: &Value) -> Vec<&str> {
    obj.pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .map(|f| f.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn has_finalizers(obj: &Value) -> bool {
    obj.get("metadata")
        .and_then(|m| m.get("finalizers"))
        .and_then(Value::as_array)
        .is_some_and(|f| !f.is_empty())
}

/// The namespace key an object of `kind` is stored under.
fn ns_key(kind: Kind, namespace: Option<&str>) -> String {
    if kind.namespaced() { namespace.unwrap_or_default().to_string() } else { String::new() }
}

impl Data {
    fn table(&self, kind: Kind) -> &BTreeMap<String, Names> {
        &self.objects[kind.index()]
    }

    fn lookup(&self, kind: Kind, ns: &str, name: &str) -> Option<&Arc<Value>> {
        self.table(kind).get(ns)?.get(name).map(|e| &e.obj)
    }

    fn next_rv(&mut self) -> u64 {
        self.rv += 1;
        self.rv
    }

    fn record(
        &mut self,
        kind: Kind,
        event: ChangeType,
        object: Arc<Value>,
        prev: Option<Arc<Value>>,
    ) {
        let rv = self.rv;
        self.log.push_back(SharedChange { rv, kind, event, object, prev });
        while self.log.len() > self.log_capacity {
            if let Some(old) = self.log.pop_front() {
                self.compacted = old.rv;
            }
        }
    }

    fn index_owners(&mut self, kind: Kind, ns: &str, name: &str, obj: &Value) {
        for uid in owner_uids(obj) {
            self.owned.entry(uid).or_default().insert((kind, ns.to_string(), name.to_string()));
        }
    }

    fn unindex_owners(&mut self, kind: Kind, ns: &str, name: &str, obj: &Value) {
        for uid in owner_uids(obj) {
            if let Some(set) = self.owned.get_mut(&uid) {
                set.remove(&(kind, ns.to_string(), name.to_string()));
                if set.is_empty() {
                    self.owned.remove(&uid);
                }
            }
        }
    }

    /// Stores `obj` (already carrying its new rv) and records the change.
    fn put(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        obj: Value,
        event: ChangeType,
    ) -> Arc<Value> {
        let obj = api_field_order(obj);
        let json = bytes::Bytes::from(serde_json::to_vec(&obj).unwrap_or_default());
        let obj = Arc::new(obj);
        let old = self.objects[kind.index()]
            .entry(ns.to_string())
            .or_default()
            .insert(name.to_string(), Entry { obj: Arc::clone(&obj), json });
        if let Some(old) = &old {
            self.unindex_owners(kind, ns, name, &old.obj);
        }
        if let Some(uid) = meta_str(&obj, "uid") {
            self.by_uid.insert(uid.to_string(), (kind, ns.to_string(), name.to_string()));
            if is_deleting(&obj)
                && finalizers(&obj)
                    .iter()
                    .any(|f| f == ORPHAN_FINALIZER || f == FOREGROUND_FINALIZER)
            {
                self.gc_queue.insert(uid.to_string());
            }
        }
        self.index_owners(kind, ns, name, &obj);
        self.record(kind, event, Arc::clone(&obj), old.map(|e| e.obj));
        obj
    }

    /// Removes an object for good, records the deletion and returns its last state.
    fn remove(&mut self, kind: Kind, ns: &str, name: &str) -> Option<Arc<Value>> {
        let table = &mut self.objects[kind.index()];
        let old = table.get_mut(ns)?.remove(name)?.obj;
        if table.get(ns).is_some_and(BTreeMap::is_empty) {
            table.remove(ns);
        }
        self.unindex_owners(kind, ns, name, &old);
        if let Some(uid) = meta_str(&old, "uid") {
            self.by_uid.remove(uid);
            if self.owned.contains_key(uid) {
                // Its dependents now have a dangling owner reference.
                self.gc_queue.insert(uid.to_string());
            }
        }
        for owner in owner_uids(&old) {
            // An owner deleting in the foreground may have waited for this one.
            if self.by_uid.contains_key(&owner) {
                self.gc_queue.insert(owner);
            }
        }
        let rv = self.next_rv();
        let mut last = Value::clone(&old);
        meta_mut(&mut last).insert("resourceVersion".into(), json!(rv.to_string()));
        let last = Arc::new(last);
        self.record(kind, ChangeType::Deleted, Arc::clone(&last), Some(old));
        Some(last)
    }

    /// The objects of `kind` (in `namespace`, all when `None`) written after `at`, each with
    /// its state at `at` (`None`: it did not exist then): the state before its first change
    /// after `at`. Costs the changes since `at`.
    fn overlay(&self, kind: Kind, namespace: Option<&str>, at: u64) -> Overlay {
        let mut overlay = Overlay::new();
        let start = self.log.partition_point(|c| c.rv <= at);
        let namespace = namespace.filter(|_| kind.namespaced());
        for c in self.log.range(start..).filter(|c| c.kind == kind) {
            let ns = ns_key(kind, meta_str(&c.object, "namespace"));
            if namespace.is_some_and(|want| want != ns) {
                continue;
            }
            let name = meta_str(&c.object, "name").unwrap_or_default().to_string();
            overlay.entry((ns, name)).or_insert_with(|| c.prev.clone());
        }
        overlay
    }

    fn random_suffix(&mut self) -> String {
        // upstream `utilrand.String(5)`: consonants and digits that cannot spell words.
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..5).map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char).collect()
    }

    fn new_uid(&mut self) -> String {
        let b: [u8; 16] = self.rng.random();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
            u16::from_be_bytes([b[4], b[5]]),
            u16::from_be_bytes([b[6], b[7]]) & 0x0fff,
            (u16::from_be_bytes([b[8], b[9]]) & 0x3fff) | 0x8000,
            u64::from_be_bytes([0, 0, b[10], b[11], b[12], b[13], b[14], b[15]])
        )
    }
}

impl Store {
    /// An empty store whose timestamps come from `clock`.
    pub fn new(clock: Clock) -> Store {
        Store::with_capacity(clock, DEFAULT_LOG_CAPACITY)
    }

    /// An empty store keeping at most `log_capacity` changes for watches.
    pub fn with_capacity(clock: Clock, log_capacity: usize) -> Store {
        let data = Data {
            rv: 1,
            objects: Kind::ALL.iter().map(|_| BTreeMap::new()).collect(),
            by_uid: HashMap::new(),
            owned: HashMap::new(),
            log: VecDeque::new(),
            log_capacity: log_capacity.max(1),
            compacted: 1,
            rng: StdRng::seed_from_u64(0x6b75_756c),
            gc_queue: BTreeSet::new(),
        };
        Store {
            inner: Arc::new(Shared {
                data: RwLock::new(data),
                clock,
                notify: watch::Sender::new(1),
            }),
        }
    }

    /// The clock the store stamps objects with.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    fn read(&self) -> RwLockReadGuard<'_, Data> {
        self.inner.data.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Data> {
        self.inner.data.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn publish(&self, rv: u64) {
        self.inner.notify.send_if_modified(|cur| {
            if *cur == rv {
                false
            } else {
                *cur = rv;
                true
            }
        });
    }

    /// A receiver that changes whenever a write commits (carries the newest rv).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.inner.notify.subscribe()
    }

    /// One object, or `None`.
    pub fn get(&self, kind: Kind, namespace: Option<&str>, name: &str) -> Option<Value> {
        self.get_shared(kind, namespace, name).map(|v| Value::clone(&v))
    }

    /// One object without copying it.
    pub fn get_shared(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<Arc<Value>> {
        self.read().lookup(kind, &ns_key(kind, namespace), name).cloned()
    }

    /// Objects of `kind` in `namespace` (all namespaces when `None`), in namespace/name order.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<Value> {
        self.list_shared(kind, namespace).iter().map(|v| Value::clone(v)).collect()
    }

    /// Like [`Store::list`] without copying the objects.
    pub fn list_shared(&self, kind: Kind, namespace: Option<&str>) -> Vec<Arc<Value>> {
        self.list_filtered(kind, namespace, None, usize::MAX, |_| true).0
    }

    /// A filtered page: objects strictly after `after` (namespace, name) that pass `keep`, at most
    /// `limit` of them, plus the newest rv and whether more matching objects remain.
    pub fn list_filtered(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        after: Option<(&str, &str)>,
        limit: usize,
        keep: impl Fn(&Value) -> bool,
    ) -> (Vec<Arc<Value>>, u64, bool) {
        let mut out = Vec::new();
        let (rv, more) =
            self.scan(kind, namespace, after, limit, keep, |e| out.push(Arc::clone(&e.obj)));
        (out, rv, more)
    }

    /// Like [`Store::list_filtered`] but yields each object's JSON serialisation, plus the
    /// (namespace, name) of the last one (for a continue token).
    pub fn list_json(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        after: Option<(&str, &str)>,
        limit: usize,
        keep: impl Fn(&Value) -> bool,
    ) -> (Vec<bytes::Bytes>, Option<(String, String)>, u64, bool) {
        let mut out = Vec::new();
        let mut last: Option<&Entry> = None;
        let data = self.read();
        let (rv, more) = scan_locked(&data, kind, namespace, after, limit, keep, |e| {
            out.push(e.json.clone());
            last = Some(e);
        });
        let last = last.map(|e| {
            (
                meta_str(&e.obj, "namespace").unwrap_or_default().to_string(),
                meta_str(&e.obj, "name").unwrap_or_default().to_string(),
            )
        });
        (out, last, rv, more)
    }

    /// One page of a list as [`Store::list_json`], at resourceVersion `q.at` (`None`: now),
    /// with each object's JSON serialisation; with `q.count_rest` the page also says how many
    /// objects follow it (`remainingItemCount`).
    ///
    /// A past version is what etcd serves a paged list at: kube-apiserver 1.32's cacher
    /// delegates a list with a continue token, `resourceVersionMatch=Exact`, or a limit and a
    /// non-zero resourceVersion without a match to etcd (`shouldDelegateList`,
    /// staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go, v1.32.0), and etcd3's
    /// `store.GetList` ranges at the token's (or the Exact) revision (`withRev`), so every page
    /// of a list shows the objects as of its first page. The state then is the current one
    /// with the changes after `at` undone, from the change log: O(page + changes since `at`).
    /// A version older than the log reaches is [`Unavailable::Compacted`] (etcd
    /// `ErrCompacted`), a version not yet written [`Unavailable::Future`].
    pub fn page_json(
        &self,
        q: PageQuery<'_>,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<Page<bytes::Bytes>, Unavailable> {
        self.page(q, keep, |item| match item {
            Item::Now(e) => e.json.clone(),
            Item::Then(v) => bytes::Bytes::from(serde_json::to_vec(v.as_ref()).unwrap_or_default()),
        })
    }

    /// [`Store::page_json`] yielding the objects themselves (for Tables).
    pub fn page_shared(
        &self,
        q: PageQuery<'_>,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<Page<Arc<Value>>, Unavailable> {
        self.page(q, keep, |item| Arc::clone(item.obj()))
    }

    fn page<T>(
        &self,
        q: PageQuery<'_>,
        keep: impl Fn(&Value) -> bool,
        out: impl Fn(&Item<'_>) -> T,
    ) -> Result<Page<T>, Unavailable> {
        let PageQuery { kind, namespace, at, after, limit, count_rest } = q;
        let data = self.read();
        let past = match at {
            Some(at) if at > data.rv => return Err(Unavailable::Future),
            Some(at) if at < data.compacted => return Err(Unavailable::Compacted),
            Some(at) if at < data.rv => Some(at),
            _ => None,
        };
        let overlay = past.map(|at| data.overlay(kind, namespace, at));
        let mut items = Vec::new();
        // The last item's object, read for its key once the page is done (not per item: a
        // list of 50,000 is the benchmark).
        let mut last_obj: Option<&Arc<Value>> = None;
        let mut on_item = one_lifetime(|item: Item<'_>| {
            items.push(out(&item));
            last_obj = Some(match item {
                Item::Now(e) => &e.obj,
                Item::Then(v) => v,
            });
        });
        let (rv, more) = match (&overlay, past) {
            (Some(overlay), Some(at)) => {
                (at, scan_at_locked(&data, overlay, kind, namespace, after, limit, keep, on_item))
            }
            _ => scan_locked(&data, kind, namespace, after, limit, keep, |e| {
                on_item(Item::Now(e));
            }),
        };
        let last = last_obj.map(|obj| {
            (
                meta_str(obj, "namespace").unwrap_or_default().to_string(),
                meta_str(obj, "name").unwrap_or_default().to_string(),
            )
        });
        let remaining = match (&last, more && count_rest) {
            (Some((ns, name)), true) => Some(match &overlay {
                Some(overlay) => count_all_after_at(&data, overlay, kind, namespace, (ns, name)),
                None => count_all_after(&data, kind, namespace, Some((ns, name))),
            }),
            _ => None,
        };
        Ok(Page { items, last, rv, more, remaining })
    }

    /// How many objects strictly after `after` pass `keep` (what a list page's
    /// `remainingItemCount` says), without copying them.
    pub fn count_after(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        after: Option<(&str, &str)>,
        keep: impl Fn(&Value) -> bool,
    ) -> usize {
        count_after_locked(&self.read(), kind, namespace, after, keep)
    }

    /// One object's JSON serialisation.
    pub fn get_json(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<bytes::Bytes> {
        let data = self.read();
        data.table(kind).get(&ns_key(kind, namespace))?.get(name).map(|e| e.json.clone())
    }

    fn scan(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        after: Option<(&str, &str)>,
        limit: usize,
        keep: impl Fn(&Value) -> bool,
        f: impl FnMut(&Entry),
    ) -> (u64, bool) {
        let data = self.read();
        scan_locked(&data, kind, namespace, after, limit, keep, f)
    }

    /// Objects of `kind` with an owner reference to `owner_uid` (indexed), in name order.
    pub fn list_owned(&self, kind: Kind, owner_uid: &str) -> Vec<Value> {
        let data = self.read();
        let Some(deps) = data.owned.get(owner_uid) else { return Vec::new() };
        deps.iter()
            .filter(|(k, _, _)| *k == kind)
            .filter_map(|(k, ns, name)| data.lookup(*k, ns, name))
            .map(|v| Value::clone(v))
            .collect()
    }

    /// Number of objects of `kind` (all namespaces).
    pub fn count(&self, kind: Kind) -> usize {
        self.read().table(kind).values().map(BTreeMap::len).sum()
    }

    /// The newest resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.read().rv
    }

    /// Every change after `rv` still in the log, oldest first.
    pub fn changes_since(&self, rv: u64) -> Vec<Change> {
        let data = self.read();
        let start = data.log.partition_point(|c| c.rv <= rv);
        data.log
            .range(start..)
            .map(|c| Change {
                rv: c.rv,
                kind: c.kind,
                event: c.event,
                object: Value::clone(&c.object),
            })
            .collect()
    }

    /// Changes after `rv` of `kind` passing `keep`, or 410 when the log no longer reaches back
    /// to `rv` (upstream: `too old resource version`).
    pub fn watch_changes(
        &self,
        kind: Kind,
        rv: u64,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<(Vec<SharedChange>, u64), ApiError> {
        let data = self.read();
        if rv < data.compacted {
            // The watch cache's `getAllEventsSinceLocked` (staging/src/k8s.io/apiserver/pkg/
            // storage/cacher/watch_cache.go, v1.32.0): `errors.NewResourceExpired`, reason
            // `Expired` (L11).
            return Err(ApiError::expired(format!(
                "too old resource version: {rv} ({})",
                data.compacted + 1
            )));
        }
        let start = data.log.partition_point(|c| c.rv <= rv);
        let out = data
            .log
            .range(start..)
            .filter(|c| c.kind == kind && keep(&c.object))
            .cloned()
            .collect();
        Ok((out, data.rv))
    }

    /// Compacts the change log now, as etcd's compaction does (the API server asks for one
    /// every 5 minutes, `--etcd-compaction-interval`): the history so far is gone, so a watch
    /// or continue token from any version handed out before gets 410 Expired, and every open
    /// watch, woken, ends with that 410 (as an etcd watch past a compaction gets
    /// `ErrCompacted`). The revision moves on by one, as the next write would move it, so even
    /// the newest version handed out is too old; a list after this starts a valid watch.
    /// Returns the new oldest version.
    pub fn compact(&self) -> u64 {
        let rv = {
            let mut data = self.write();
            data.rv += 1;
            data.log.clear();
            data.compacted = data.rv;
            data.rv
        };
        self.publish(rv);
        rv
    }

    /// The oldest resourceVersion a watch or continue token may still start from.
    pub fn compacted_rv(&self) -> u64 {
        self.read().compacted
    }

    /// Creates an object (`POST`).
    pub fn create(&self, kind: Kind, object: Value) -> Result<Value, ApiError> {
        self.create_opts(kind, object, false).map(|v| Value::clone(&v))
    }

    /// Creates an object; with `dry_run` validates and returns what would be stored.
    pub fn create_opts(
        &self,
        kind: Kind,
        object: Value,
        dry_run: bool,
    ) -> Result<Arc<Value>, ApiError> {
        self.create_by(kind, object, dry_run, None)
    }

    /// [`Store::create_opts`] on behalf of a field manager: the object gets that manager's
    /// `managedFields` entry (the API handlers pass the request's `fieldManager`).
    pub fn create_by(
        &self,
        kind: Kind,
        mut object: Value,
        dry_run: bool,
        manager: Option<Manager<'_>>,
    ) -> Result<Arc<Value>, ApiError> {
        if !object.is_object() {
            return Err(ApiError::bad_request("the body of the request must be a JSON object"));
        }
        let now = self.inner.clock.now();
        {
            let meta = meta_mut(&mut object);
            for server_set in [
                "uid",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "managedFields",
                "selfLink",
            ] {
                meta.remove(server_set);
            }
            if !kind.namespaced() {
                meta.remove("namespace");
            }
            meta.insert("creationTimestamp".into(), json!(rfc3339(now)));
            if kind.has_generation() {
                meta.insert("generation".into(), json!(1));
            }
        }
        if let Some(m) = manager {
            m.record(kind, &mut object, now, false);
        }
        let obj = object.as_object_mut().unwrap_or_else(|| unreachable!("checked above"));
        obj.insert("apiVersion".into(), json!(kind.api_version()));
        obj.insert("kind".into(), json!(kind.kind_name()));
        defaults::apply(kind, &mut object, now);
        omit_empty(kind, &mut object);
        go_zero_values(kind, &mut object);
        let ns = ns_key(kind, meta_str(&object, "namespace"));

        let mut data = self.write();
        // generateName: the name is picked here, retried on collision (RetryGenerateName, GA 1.32).
        let has_name = meta_str(&object, "name").is_some_and(|n| !n.is_empty());
        if !has_name && let Some(prefix) = meta_str(&object, "generateName").map(str::to_string) {
            {
                let mut name = format!("{prefix}{}", data.random_suffix());
                for _ in 0..8 {
                    if data.lookup(kind, &ns, &name).is_none() {
                        break;
                    }
                    name = format!("{prefix}{}", data.random_suffix());
                }
                meta_mut(&mut object).insert("name".into(), json!(name));
            }
        }
        let name = meta_str(&object, "name").unwrap_or_default().to_string();
        let errors = validation::validate(kind, &object, None);
        if !errors.is_empty() {
            return Err(ApiError::invalid(kind, &name, &errors));
        }
        match data.lookup(Kind::Namespace, "", &ns) {
            None if kind.namespaced() => return Err(ApiError::not_found(Kind::Namespace, &ns)),
            // The NamespaceLifecycle admission plugin (plugin/pkg/admission/namespace/
            // lifecycle/admission.go, v1.32): no new content in a terminating namespace.
            Some(n)
                if kind.namespaced()
                    && n.pointer("/status/phase").and_then(Value::as_str)
                        == Some("Terminating") =>
            {
                return Err(ApiError::namespace_terminating(kind, &name, &ns));
            }
            _ => {}
        }
        // The ResourceQuota admission plugin (a validating plugin: after the name is generated
        // and the object validated, `createValidation` in the registry's `Store.create`).
        if let Some(quotas) = data.table(Kind::ResourceQuota).get(&ns).filter(|q| !q.is_empty())
            && kind.namespaced()
        {
            let quotas: Vec<&Value> = quotas.values().map(|e| e.obj.as_ref()).collect();
            let used = namespace_usage(&data, &ns, now);
            quota::admit(kind, &object, &name, &quotas, &used, now)?;
        }
        // etcd3 `store.Create` (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go,
        // v1.32.0) refuses a set resourceVersion with the plain error
        // `storage.ErrResourceVersionSetOnCreate`, after validation and admission and before
        // the key-exists check; `ErrorToAPIStatus` turns a non-Status error into a 500 with
        // no reason (L13). A dry run never reaches etcd3 (`DryRunnableStorage.Create`).
        if !dry_run
            && meta_str(&object, "resourceVersion").is_some_and(|s| !s.is_empty() && s != "0")
        {
            return Err(ApiError::unknown(
                500,
                "resourceVersion should not be set on objects to be created",
            ));
        }
        if data.lookup(kind, &ns, &name).is_some() {
            return Err(ApiError::already_exists(kind, &name));
        }
        let uid = data.new_uid();
        if kind == Kind::Job {
            defaults::job_selector(&mut object, &uid);
        }
        meta_mut(&mut object).insert("uid".into(), json!(uid));
        if dry_run {
            return Ok(Arc::new(object));
        }
        let rv = data.next_rv();
        meta_mut(&mut object).insert("resourceVersion".into(), json!(rv.to_string()));
        let stored = data.put(kind, &ns, &name, object, ChangeType::Added);
        drop(data);
        self.publish(rv);
        Ok(stored)
    }

    /// What the objects of namespace `ns` consume, as the quota evaluators count it.
    pub fn namespace_usage(&self, ns: &str) -> quota::Usage {
        namespace_usage(&self.read(), ns, self.inner.clock.now())
    }

    /// Replaces spec and metadata (`PUT`); the status is kept for kinds with a status subresource.
    pub fn replace(&self, kind: Kind, object: Value) -> Result<Value, ApiError> {
        self.update(kind, object, false, false).map(|v| Value::clone(&v))
    }

    /// Replaces only `.status` (`PUT .../status`).
    pub fn replace_status(&self, kind: Kind, object: Value) -> Result<Value, ApiError> {
        self.update(kind, object, true, false).map(|v| Value::clone(&v))
    }

    /// The shared update path: `status_only` selects the `/status` subresource semantics.
    pub fn update(
        &self,
        kind: Kind,
        object: Value,
        status_only: bool,
        dry_run: bool,
    ) -> Result<Arc<Value>, ApiError> {
        self.update_by(kind, object, status_only, dry_run, None)
    }

    /// [`Store::update`] on behalf of a field manager: an update that changes the object
    /// records (or refreshes) that manager's `managedFields` entry; the others are kept.
    pub fn update_by(
        &self,
        kind: Kind,
        mut object: Value,
        status_only: bool,
        dry_run: bool,
        manager: Option<Manager<'_>>,
    ) -> Result<Arc<Value>, ApiError> {
        if !object.is_object() {
            return Err(ApiError::bad_request("the body of the request must be a JSON object"));
        }
        let name = meta_str(&object, "name").unwrap_or_default().to_string();
        if name.is_empty() {
            return Err(ApiError::invalid(
                kind,
                "",
                &[crate::error::FieldError::required("metadata.name", "name is required")],
            ));
        }
        let ns = ns_key(kind, meta_str(&object, "namespace"));
        let now = self.inner.clock.now();
        let mut data = self.write();
        let Some(old) = data.lookup(kind, &ns, &name).cloned() else {
            return Err(ApiError::not_found(kind, &name));
        };
        let old_rv = meta_str(&old, "resourceVersion").unwrap_or_default().to_string();
        match meta_str(&object, "resourceVersion") {
            Some(rv) if !rv.is_empty() && rv != old_rv => {
                return Err(ApiError::conflict(kind, &name));
            }
            _ => {}
        }
        if let Some(uid) = meta_str(&object, "uid").filter(|u| !u.is_empty()) {
            let old_uid = meta_str(&old, "uid").unwrap_or_default();
            if uid != old_uid {
                // etcd3 GuaranteedUpdate: `preconditions.Check` fails with
                // storage.NewInvalidObjError(key, ...) (code 4, no resourceVersion), which
                // storeerr.InterpretUpdateError wraps in a Conflict whose message is the
                // StorageError's Error() text (staging/src/k8s.io/apiserver/pkg/storage/
                // errors.go, v1.32) (audit L9).
                return Err(ApiError::conflict_with(
                    kind,
                    &name,
                    &format!(
                        "StorageError: invalid object, Code: 4, Key: {}, ResourceVersion: 0, \
                         AdditionalErrorMsg: Precondition failed: UID in precondition: {uid}, \
                         UID in object meta: {old_uid}",
                        kind.etcd_key(&ns, &name)
                    ),
                ));
            }
        }
        let mut next = if status_only {
            // The status strategies reset only the spec (podStatusStrategy.PrepareForUpdate,
            // jobStatusStrategy, ... in pkg/registry/*/strategy.go, v1.32): .status and the
            // metadata a client may write (labels, annotations, finalizers) come from the
            // request; a pod's ownerReferences stay ("old kubelets corrupt them").
            let mut next = Value::clone(&old);
            if let Some(map) = next.as_object_mut() {
                match object.get("status") {
                    Some(s) => map.insert("status".into(), s.clone()),
                    None => map.remove("status"),
                };
                if let Some(meta) = object.get("metadata") {
                    map.insert("metadata".into(), meta.clone());
                }
            }
            keep_system_metadata(kind, &old, &mut next);
            if kind == Kind::Pod {
                let meta = meta_mut(&mut next);
                match old.get("metadata").and_then(|m| m.get("ownerReferences")) {
                    Some(v) => meta.insert("ownerReferences".into(), v.clone()),
                    None => meta.remove("ownerReferences"),
                };
            }
            next
        } else {
            let obj = object.as_object_mut().unwrap_or_else(|| unreachable!("checked above"));
            obj.insert("apiVersion".into(), json!(kind.api_version()));
            obj.insert("kind".into(), json!(kind.kind_name()));
            if kind.has_status() {
                match old.get("status") {
                    Some(s) => obj.insert("status".into(), s.clone()),
                    None => obj.remove("status"),
                };
            }
            keep_system_metadata(kind, &old, &mut object);
            if kind == Kind::Namespace {
                // namespaceStrategy.PrepareForUpdate: only `/finalize` changes spec.finalizers.
                let kept = old.pointer("/spec/finalizers").cloned();
                if let (Some(f), Some(o)) = (kept, object.as_object_mut()) {
                    let spec = o.entry("spec").or_insert_with(|| json!({}));
                    if let Some(s) = spec.as_object_mut() {
                        s.insert("finalizers".into(), f);
                    }
                }
            }
            defaults::apply(kind, &mut object, now);
            object
        };
        omit_empty(kind, &mut next);
        go_zero_values(kind, &mut next);
        meta_mut(&mut next).insert("resourceVersion".into(), json!(old_rv));
        if kind.has_generation() && !status_only && next.get("spec") != old.get("spec") {
            let generation = old
                .get("metadata")
                .and_then(|m| m.get("generation"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            meta_mut(&mut next).insert("generation".into(), json!(generation + 1));
        }
        let mut errors = validation::validate(kind, &next, Some(&old));
        if is_deleting(&old) {
            // `ValidateNoNewFinalizers` (apimachinery `api/validation/objectmeta.go`), reached
            // twice upstream: from `rest.BeforeUpdate` and from the kind's `ValidateUpdate`.
            let before = finalizers(&old);
            let added: Vec<String> =
                finalizers(&next).into_iter().filter(|f| !before.contains(f)).collect();
            if !added.is_empty() {
                let shown: Vec<String> = added.iter().map(|f| json!(f).to_string()).collect();
                let e = crate::error::FieldError::forbidden(
                    "metadata.finalizers",
                    &format!(
                        "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
                        shown.join(", ")
                    ),
                );
                errors.insert(0, e.clone());
                errors.insert(0, e);
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::invalid(kind, &name, &errors));
        }
        if next == *old {
            // A no-op update neither bumps the resourceVersion nor emits an event (etcd3 store
            // `GuaranteedUpdate` short-circuits when the bytes are unchanged).
            return Ok(old);
        }
        if let Some(m) = manager {
            m.record(kind, &mut next, now, status_only);
        }
        if dry_run {
            return Ok(Arc::new(next));
        }
        // upstream `shouldDeleteDuringUpdate`: deleting, grace period 0 and no finalizers left.
        // A namespace also waits for its spec.finalizers (ShouldDeleteNamespaceDuringUpdate).
        if is_deleting(&old)
            && grace_of(&next) == 0
            && !has_finalizers(&next)
            && namespace_finalizers(&next).is_empty()
        {
            // deleteWithoutFinalizers (apiserver registry/generic/registry/store.go, Store.Update,
            // v1.32): the emptied object is never written; etcd deletes the stored one (one
            // DELETED watch event, of the stored state) and the answer is the update's object
            // as it was read, with the stored resourceVersion.
            data.remove(kind, &ns, &name);
            let rv = data.rv;
            drop(data);
            self.publish(rv);
            return Ok(Arc::new(next));
        }
        let rv = data.next_rv();
        meta_mut(&mut next).insert("resourceVersion".into(), json!(rv.to_string()));
        let stored = data.put(kind, &ns, &name, next, ChangeType::Modified);
        let rv = data.rv;
        drop(data);
        self.publish(rv);
        Ok(stored)
    }

    /// Deletes an object (`DELETE`) and cascades to its dependents per `propagation`.
    pub fn delete(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
        propagation: Propagation,
    ) -> Result<Value, ApiError> {
        self.delete_opts(kind, namespace, name, propagation, &DeleteOptions::default())
            .map(|v| Value::clone(&v))
    }

    /// Delete with preconditions and dry-run. Returns the object's last state (with
    /// `deletionTimestamp` when graceful deletion or finalizers keep it around).
    pub fn delete_opts(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
        propagation: Propagation,
        opts: &DeleteOptions,
    ) -> Result<Arc<Value>, ApiError> {
        self.delete_outcome(kind, namespace, name, propagation, opts).map(|d| d.object)
    }

    /// Delete with preconditions and dry-run, saying whether the object is gone.
    ///
    /// As upstream's `Store.Delete` (`staging/src/k8s.io/apiserver/pkg/registry/generic/
    /// registry/store.go`, v1.32.0): `deletionFinalizersForGarbageCollection` sets the `orphan`
    /// (Orphan) or `foregroundDeletion` (Foreground) finalizer, `BeforeDelete` starts a
    /// graceful deletion of a running pod (`deletionTimestamp` = now + grace period), and an
    /// object with finalizers or a grace period is only marked; otherwise it is removed now.
    /// Dependents are the garbage collector's ([`Store::collect_garbage`], run by the control
    /// plane), not the request's.
    pub fn delete_outcome(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
        propagation: Propagation,
        opts: &DeleteOptions,
    ) -> Result<Deleted, ApiError> {
        let ns = ns_key(kind, namespace);
        let now = self.inner.clock.now();
        let mut data = self.write();
        let Some(old) = data.lookup(kind, &ns, name).cloned() else {
            return Err(ApiError::not_found(kind, name));
        };
        // `rest.BeforeDelete` (apiserver/pkg/registry/rest/delete.go, 1.20 to 1.32) checks the
        // preconditions first, naming the object by its kind (`GroupResource{Group, Kind}`).
        if let Some(uid) = &opts.uid {
            let actual = meta_str(&old, "uid").unwrap_or_default();
            if uid != actual {
                return Err(ApiError::delete_precondition(
                    kind,
                    name,
                    &format!(
                        "the UID in the precondition ({uid}) does not match the UID in record ({actual}). The object might have been deleted and then recreated"
                    ),
                ));
            }
        }
        if let Some(rv) = &opts.resource_version {
            let actual = meta_str(&old, "resourceVersion").unwrap_or_default();
            if rv != actual {
                return Err(ApiError::delete_precondition(
                    kind,
                    name,
                    &format!(
                        "the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({actual}). The object might have been modified"
                    ),
                ));
            }
        }
        if opts.dry_run {
            let removed = kind != Kind::Pod || pod_grace(&old, opts.grace_period_seconds) == 0;
            let removed =
                removed && !has_finalizers(&old) && propagation == Propagation::Background;
            return Ok(Deleted { object: old, removed });
        }
        let result =
            delete_locked(&mut data, kind, &ns, name, propagation, opts.grace_period_seconds, now);
        let rv = data.rv;
        drop(data);
        self.publish(rv);
        Ok(result.unwrap_or(Deleted { object: old, removed: true }))
    }

    /// The `/finalize` subresource as the namespace controller calls it (`finalizeNamespace`):
    /// `finalizer` leaves `spec.finalizers`; a deleting namespace left with no finalizer goes
    /// (`ShouldDeleteNamespaceDuringUpdate`), otherwise it is updated.
    pub fn finalize_namespace(&self, name: &str, finalizer: &str) -> Result<(), ApiError> {
        let mut data = self.write();
        let Some(old) = data.lookup(Kind::Namespace, "", name).cloned() else {
            return Err(ApiError::not_found(Kind::Namespace, name));
        };
        let kept: Vec<&str> =
            namespace_finalizers(&old).into_iter().filter(|f| *f != finalizer).collect();
        let mut next = Value::clone(&old);
        if let Some(spec) = next.get_mut("spec").and_then(Value::as_object_mut) {
            if kept.is_empty() {
                spec.remove("finalizers");
            } else {
                spec.insert("finalizers".into(), json!(kept));
            }
        }
        if next == *old {
            return Ok(());
        }
        if is_deleting(&old) && kept.is_empty() && !has_finalizers(&old) {
            data.remove(Kind::Namespace, "", name);
        } else {
            let rv = data.next_rv();
            meta_mut(&mut next).insert("resourceVersion".into(), json!(rv.to_string()));
            data.put(Kind::Namespace, "", name, next, ChangeType::Modified);
        }
        let rv = data.rv;
        drop(data);
        self.publish(rv);
        Ok(())
    }

    /// One pass of the garbage collector (`pkg/controller/garbagecollector`): dependents of
    /// removed owners are deleted (Background) or lose the dangling reference when another
    /// owner lives; an owner with the `orphan` finalizer has its dependents' references removed,
    /// then the finalizer; an owner with `foregroundDeletion` has its dependents deleted and
    /// loses the finalizer once no dependent with `blockOwnerDeletion` remains. Returns whether
    /// anything changed. The control plane runs it; a stopped control plane collects nothing,
    /// like an API server without kube-controller-manager.
    pub fn collect_garbage(&self) -> bool {
        let now = self.inner.clock.now();
        let mut data = self.write();
        let start = data.rv;
        while let Some(uid) = data.gc_queue.pop_first() {
            gc_one(&mut data, &uid, now);
        }
        let rv = data.rv;
        drop(data);
        if rv != start {
            self.publish(rv);
        }
        rv != start
    }

    /// Loads objects (seed data) in order, namespaces first; failures are returned, not fatal.
    pub fn load(&self, objects: Vec<(Kind, Value)>) -> Vec<ApiError> {
        let mut objects = objects;
        objects.sort_by_key(|(k, _)| *k != Kind::Namespace);
        let mut errors = Vec::new();
        for (kind, obj) in objects {
            // Seeds may carry server-set fields (status, a fixed creationTimestamp); keep them.
            let status = obj.get("status").cloned();
            let created = obj.get("metadata").and_then(|m| m.get("creationTimestamp")).cloned();
            let mut obj = obj;
            if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
            }
            match self.create_opts(kind, obj, false) {
                Ok(stored) => {
                    if status.is_none() && created.is_none() {
                        continue;
                    }
                    let mut fixed = Value::clone(&stored);
                    if let Some(c) = created {
                        meta_mut(&mut fixed).insert("creationTimestamp".into(), c);
                    }
                    if let Some(s) = status
                        && let Some(m) = fixed.as_object_mut()
                    {
                        {
                            m.insert("status".into(), s);
                        }
                    }
                    let ns = ns_key(kind, meta_str(&fixed, "namespace"));
                    let name = meta_str(&fixed, "name").unwrap_or_default().to_string();
                    let mut data = self.write();
                    let rv = data.next_rv();
                    meta_mut(&mut fixed).insert("resourceVersion".into(), json!(rv.to_string()));
                    data.put(kind, &ns, &name, fixed, ChangeType::Modified);
                    drop(data);
                    self.publish(rv);
                }
                Err(e) => errors.push(e),
            }
        }
        errors
    }
}

/// An object's top-level fields in the order the API server's Go types encode them (`TypeMeta`,
/// then `ObjectMeta`, then spec/status/data as given), as `kubectl get -o json` shows them. It
/// also lets a list drop each item's `kind`/`apiVersion` by cutting a byte prefix rather than
/// re-encoding the object (`api::resource::without_type_meta`), as an API server encodes list
/// items straight from its objects.
fn namespace_usage(data: &Data, ns: &str, now: jiff::Timestamp) -> quota::Usage {
    let objects = Kind::ALL.into_iter().filter(|k| k.namespaced()).flat_map(|k| {
        data.table(k)
            .get(ns)
            .into_iter()
            .flat_map(move |m| m.values().map(move |e| (k, e.obj.as_ref())))
    });
    quota::usage(objects, now)
}

fn api_field_order(obj: Value) -> Value {
    let Value::Object(mut fields) = obj else { return obj };
    let mut ordered = Map::with_capacity(fields.len());
    for key in ["kind", "apiVersion", "metadata"] {
        if let Some(value) = fields.shift_remove(key) {
            ordered.insert(key.to_owned(), value);
        }
    }
    ordered.extend(fields);
    Value::Object(ordered)
}

/// Objects of `kind` strictly after `after` that pass `keep`, counted without copying them
/// (a list page's `remainingItemCount`).
fn count_after_locked(
    data: &Data,
    kind: Kind,
    namespace: Option<&str>,
    after: Option<(&str, &str)>,
    keep: impl Fn(&Value) -> bool,
) -> usize {
    let mut n = 0;
    scan_locked(data, kind, namespace, after, usize::MAX, keep, |_| n += 1);
    n
}

/// Walks the objects of `kind` in namespace/name order, strictly after `after`, calling `f` on
/// at most `limit` that pass `keep`. Returns the newest rv and whether more would match.
fn scan_locked<'d>(
    data: &'d Data,
    kind: Kind,
    namespace: Option<&str>,
    after: Option<(&str, &str)>,
    limit: usize,
    keep: impl Fn(&Value) -> bool,
    mut f: impl FnMut(&'d Entry),
) -> (u64, bool) {
    let mut taken = 0;
    for (_, _, e) in entries_after(data, kind, namespace, after) {
        if keep(&e.obj) {
            if taken >= limit {
                return (data.rv, true);
            }
            taken += 1;
            f(e);
        }
    }
    (data.rv, false)
}

/// (namespace, name) -> an object's state at a past version (`None`: absent then).
type Overlay = BTreeMap<(String, String), Option<Arc<Value>>>;

/// A list item: a stored object, or an object's state at a past version.
enum Item<'d> {
    Now(&'d Entry),
    Then(&'d Arc<Value>),
}

impl Item<'_> {
    fn obj(&self) -> &Arc<Value> {
        match self {
            Item::Now(e) => &e.obj,
            Item::Then(v) => v,
        }
    }
}

/// Gives a closure over items one lifetime (not one per call), so it may keep an item.
fn one_lifetime<'d, F: FnMut(Item<'d>)>(f: F) -> F {
    f
}

/// The stored objects of `kind` strictly after `after`, in namespace/name order, with their keys.
fn entries_after<'d>(
    data: &'d Data,
    kind: Kind,
    namespace: Option<&str>,
    after: Option<(&str, &str)>,
) -> impl Iterator<Item = (&'d str, &'d str, &'d Entry)> {
    let table = data.table(kind);
    let namespaces: Box<dyn Iterator<Item = (&String, &Names)>> =
        match namespace.filter(|_| kind.namespaced()) {
            Some(ns) => Box::new(table.get_key_value(ns).into_iter()),
            None => match after {
                Some((ans, _)) => Box::new(table.range(ans.to_string()..)),
                None => Box::new(table.iter()),
            },
        };
    let after = after.map(|(ns, name)| (ns.to_string(), name.to_string()));
    namespaces.flat_map(move |(ns, names)| {
        let iter: Box<dyn Iterator<Item = (&String, &Entry)>> = match &after {
            Some((ans, aname)) if ans == ns => Box::new(names.range::<str, _>((
                std::ops::Bound::Excluded(aname.as_str()),
                std::ops::Bound::Unbounded,
            ))),
            _ => Box::new(names.iter()),
        };
        iter.map(move |(name, e)| (ns.as_str(), name.as_str(), e))
    })
}

/// The overlay's keys strictly after `after`, in order.
fn overlay_after<'o>(
    overlay: &'o Overlay,
    after: Option<(&str, &str)>,
) -> std::collections::btree_map::Range<'o, (String, String), Option<Arc<Value>>> {
    match after {
        Some((ns, name)) => overlay.range((
            std::ops::Bound::Excluded((ns.to_string(), name.to_string())),
            std::ops::Bound::Unbounded,
        )),
        None => overlay.range::<(String, String), _>(..),
    }
}

/// [`scan_locked`] at a past version: the stored objects merged, in key order, with the
/// overlay (which replaces or hides the objects written since). Returns whether more match.
#[allow(clippy::too_many_arguments)]
fn scan_at_locked<'d>(
    data: &'d Data,
    overlay: &'d Overlay,
    kind: Kind,
    namespace: Option<&str>,
    after: Option<(&str, &str)>,
    limit: usize,
    keep: impl Fn(&Value) -> bool,
    mut f: impl FnMut(Item<'d>),
) -> bool {
    use std::cmp::Ordering;
    let mut now = entries_after(data, kind, namespace, after).peekable();
    let mut then = overlay_after(overlay, after).peekable();
    let mut taken = 0;
    loop {
        let order = match (now.peek(), then.peek()) {
            (None, None) => return false,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((ns, name, _)), Some(((ons, oname), _))) => {
                (*ns, *name).cmp(&(ons.as_str(), oname.as_str()))
            }
        };
        let item = match order {
            Ordering::Less => now.next().map(|(_, _, e)| Item::Now(e)),
            Ordering::Equal => {
                now.next();
                then.next().and_then(|(_, v)| v.as_ref().map(Item::Then))
            }
            Ordering::Greater => then.next().and_then(|(_, v)| v.as_ref().map(Item::Then)),
        };
        let Some(item) = item else { continue };
        if keep(item.obj()) {
            if taken >= limit {
                return true;
            }
            taken += 1;
            f(item);
        }
    }
}

/// How many stored objects of `kind` follow `after`: a namespace's map length for the
/// namespaces after it, so a page's `remainingItemCount` costs one namespace's scan at most.
fn count_all_after(
    data: &Data,
    kind: Kind,
    namespace: Option<&str>,
    after: Option<(&str, &str)>,
) -> usize {
    let Some((ans, aname)) = after else {
        return match namespace.filter(|_| kind.namespaced()) {
            Some(ns) => data.table(kind).get(ns).map_or(0, BTreeMap::len),
            None => data.table(kind).values().map(BTreeMap::len).sum(),
        };
    };
    let in_after_ns = |names: &Names| {
        names
            .range::<str, _>((std::ops::Bound::Excluded(aname), std::ops::Bound::Unbounded))
            .count()
    };
    match namespace.filter(|_| kind.namespaced()) {
        Some(ns) => match data.table(kind).get(ns) {
            Some(names) if ns == ans => in_after_ns(names),
            Some(names) if ns > ans => names.len(),
            _ => 0,
        },
        None => data
            .table(kind)
            .range(ans.to_string()..)
            .map(|(ns, names)| if ns == ans { in_after_ns(names) } else { names.len() })
            .sum(),
    }
}

/// [`count_all_after`] at a past version: the stored count, less the objects written since
/// that exist now, plus those that existed then.
fn count_all_after_at(
    data: &Data,
    overlay: &Overlay,
    kind: Kind,
    namespace: Option<&str>,
    after: (&str, &str),
) -> usize {
    let mut n = count_all_after(data, kind, namespace, Some(after));
    for ((ns, name), then) in overlay_after(overlay, Some(after)) {
        if data.lookup(kind, ns, name).is_some() {
            n = n.saturating_sub(1);
        }
        if then.is_some() {
            n += 1;
        }
    }
    n
}

/// Deletes (or marks) one object under the write lock; dependents are left to the garbage
/// collector (queued by `Data::remove`/`Data::put`). `None` when the object does not exist.
fn delete_locked(
    data: &mut Data,
    kind: Kind,
    ns: &str,
    name: &str,
    propagation: Propagation,
    grace: Option<i64>,
    now: jiff::Timestamp,
) -> Option<Deleted> {
    let old = data.lookup(kind, ns, name)?.clone();

    // `deletionFinalizersForGarbageCollection`: drop both GC finalizers, add back the one the
    // policy asks for; unchanged when the set is the same.
    let before = finalizers(&old);
    let mut wanted: Vec<String> = before
        .iter()
        .filter(|f| *f != ORPHAN_FINALIZER && *f != FOREGROUND_FINALIZER)
        .cloned()
        .collect();
    match propagation {
        Propagation::Orphan => wanted.push(ORPHAN_FINALIZER.to_string()),
        Propagation::Foreground => wanted.push(FOREGROUND_FINALIZER.to_string()),
        Propagation::Background => {}
    }
    let same = before.iter().collect::<BTreeSet<_>>() == wanted.iter().collect::<BTreeSet<_>>();
    let fins = if same { before } else { wanted };

    if kind == Kind::Namespace && !namespace_finalizers(&old).is_empty() {
        // The namespace REST's Delete (pkg/registry/core/namespace/storage/storage.go, v1.32):
        // the first delete only marks it (deletionTimestamp now, no grace period, phase
        // Terminating, the garbage collector's finalizer the propagation asks for); the
        // namespace controller deletes its content, then removes the `kubernetes` finalizer
        // (`Store::finalize_namespace`). A later delete changes nothing while spec.finalizers
        // remain. (Without spec.finalizers, which only `/finalize` removes, it is an ordinary
        // delete here.)
        if is_deleting(&old) {
            return Some(Deleted { object: old, removed: false });
        }
        let mut marked = Value::clone(&old);
        set_finalizers(&mut marked, &fins);
        let meta = meta_mut(&mut marked);
        meta.insert("deletionTimestamp".into(), json!(rfc3339(now)));
        let rv = data.next_rv();
        meta.insert("resourceVersion".into(), json!(rv.to_string()));
        if let Some(o) = marked.as_object_mut() {
            let status = o.entry("status").or_insert_with(|| json!({}));
            if let Some(s) = status.as_object_mut() {
                s.insert("phase".into(), json!("Terminating"));
            }
        }
        return Some(Deleted {
            object: data.put(kind, ns, name, marked, ChangeType::Modified),
            removed: false,
        });
    }

    if is_deleting(&old) {
        // `BeforeDelete` on an object already being deleted: only a shorter grace period (of
        // a pod) changes it; the finalizers may still change.
        let current = grace_of(&old);
        let shorter = grace.filter(|g| kind == Kind::Pod && *g < current);
        if shorter.is_none() && same {
            return Some(Deleted { object: old, removed: false });
        }
        let mut next = Value::clone(&old);
        set_finalizers(&mut next, &fins);
        if let Some(g) = shorter {
            let meta = meta_mut(&mut next);
            meta.insert(
                "deletionTimestamp".into(),
                json!(rfc3339(now + jiff::SignedDuration::from_secs(g))),
            );
            meta.insert("deletionGracePeriodSeconds".into(), json!(g));
        }
        if fins.is_empty() && grace_of(&next) == 0 {
            return data.remove(kind, ns, name).map(|object| Deleted { object, removed: true });
        }
        let rv = data.next_rv();
        meta_mut(&mut next).insert("resourceVersion".into(), json!(rv.to_string()));
        return Some(Deleted {
            object: data.put(kind, ns, name, next, ChangeType::Modified),
            removed: false,
        });
    }

    let period = if kind == Kind::Pod { pod_grace(&old, grace) } else { 0 };
    if period > 0 || !fins.is_empty() {
        // Graceful deletion or finalizers: mark it (`BeforeDelete`/`markAsDeleting` also bump a
        // set generation).
        let mut marked = Value::clone(&old);
        set_finalizers(&mut marked, &fins);
        let meta = meta_mut(&mut marked);
        meta.insert(
            "deletionTimestamp".into(),
            json!(rfc3339(now + jiff::SignedDuration::from_secs(period))),
        );
        meta.insert("deletionGracePeriodSeconds".into(), json!(period));
        if let Some(g) = meta.get("generation").and_then(Value::as_i64).filter(|g| *g > 0) {
            meta.insert("generation".into(), json!(g + 1));
        }
        let rv = data.next_rv();
        meta_mut(&mut marked).insert("resourceVersion".into(), json!(rv.to_string()));
        return Some(Deleted {
            object: data.put(kind, ns, name, marked, ChangeType::Modified),
            removed: false,
        });
    }
    data.remove(kind, ns, name).map(|object| Deleted { object, removed: true })
}

/// The garbage collector's work for one queued uid.
fn gc_one(data: &mut Data, uid: &str, now: jiff::Timestamp) {
    let dependents: Vec<Dependent> =
        data.owned.get(uid).map(|s| s.iter().cloned().collect()).unwrap_or_default();
    let Some((kind, ns, name)) = data.by_uid.get(uid).cloned() else {
        // The owner is gone: `attemptToDeleteItem` on each dependent.
        for (k, dns, dname) in &dependents {
            collect_dependent(data, *k, dns, dname, uid, now);
        }
        return;
    };
    let Some(owner) = data.lookup(kind, &ns, &name).cloned() else { return };
    if !is_deleting(&owner) {
        return;
    }
    let fins = finalizers(&owner);
    if fins.iter().any(|f| f == ORPHAN_FINALIZER) {
        // `orphanDependents`, then `removeFinalizer`.
        for (k, dns, dname) in &dependents {
            drop_owner_ref(data, *k, dns, dname, uid);
        }
        remove_finalizer(data, kind, &ns, &name, ORPHAN_FINALIZER);
    } else if fins.iter().any(|f| f == FOREGROUND_FINALIZER) {
        for (k, dns, dname) in &dependents {
            let Some(dep) = data.lookup(*k, dns, dname).cloned() else { continue };
            if !is_deleting(&dep) {
                collect_dependent(data, *k, dns, dname, uid, now);
            }
        }
        // `processDeletingDependentsItem`: done once no blocking dependent is left.
        let blocking = dependents.iter().any(|(k, dns, dname)| {
            data.lookup(*k, dns, dname).is_some_and(|d| {
                d.get("metadata")
                    .and_then(|m| m.get("ownerReferences"))
                    .and_then(Value::as_array)
                    .is_some_and(|refs| {
                        refs.iter().any(|r| {
                            r.get("uid").and_then(Value::as_str) == Some(uid)
                                && r.get("blockOwnerDeletion").and_then(Value::as_bool)
                                    == Some(true)
                        })
                    })
            })
        });
        if !blocking {
            remove_finalizer(data, kind, &ns, &name, FOREGROUND_FINALIZER);
        }
    }
}

/// Removes one finalizer (the garbage collector's patch); the object goes when it was the last
/// one and no grace period is pending.
fn remove_finalizer(data: &mut Data, kind: Kind, ns: &str, name: &str, finalizer: &str) {
    let Some(obj) = data.lookup(kind, ns, name).cloned() else { return };
    let mut next = Value::clone(&obj);
    let left: Vec<String> = finalizers(&obj).into_iter().filter(|f| f != finalizer).collect();
    set_finalizers(&mut next, &left);
    if left.is_empty() && grace_of(&next) == 0 {
        data.remove(kind, ns, name);
        return;
    }
    let rv = data.next_rv();
    meta_mut(&mut next).insert("resourceVersion".into(), json!(rv.to_string()));
    data.put(kind, ns, name, next, ChangeType::Modified);
}

/// The garbage collector's decision for one dependent of an owner that is gone or deleting in
/// the foreground: delete it (Background, a pod gracefully) when no other live owner remains,
/// else only drop the reference.
fn collect_dependent(
    data: &mut Data,
    kind: Kind,
    ns: &str,
    name: &str,
    owner_uid: &str,
    now: jiff::Timestamp,
) {
    let Some(obj) = data.lookup(kind, ns, name).cloned() else { return };
    let other_live_owner =
        owner_uids(&obj).iter().any(|u| u != owner_uid && data.by_uid.contains_key(u));
    if other_live_owner {
        drop_owner_ref(data, kind, ns, name, owner_uid);
    } else if !is_deleting(&obj) {
        delete_locked(data, kind, ns, name, Propagation::Background, None, now);
    }
}

/// Removes the owner reference to `owner_uid` from one object (orphaning it).
fn drop_owner_ref(data: &mut Data, kind: Kind, ns: &str, name: &str, owner_uid: &str) {
    let Some(obj) = data.lookup(kind, ns, name).cloned() else { return };
    let mut next = Value::clone(&obj);
    let meta = meta_mut(&mut next);
    if let Some(refs) = meta.get_mut("ownerReferences").and_then(Value::as_array_mut) {
        refs.retain(|r| r.get("uid").and_then(Value::as_str) != Some(owner_uid));
        if refs.is_empty() {
            meta.remove("ownerReferences");
        }
    }
    let rv = data.next_rv();
    meta_mut(&mut next).insert("resourceVersion".into(), json!(rv.to_string()));
    data.put(kind, ns, name, next, ChangeType::Modified);
}

#[cfg(test)]
mod tests;
