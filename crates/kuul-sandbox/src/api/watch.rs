//! Watch: a chunked stream of JSON watch events (`{"type":..,"object":..}\n`) fed by the store's
//! change log, as `apiserver/pkg/endpoints/handlers/watch.go` serves them.
//!
//! Semantics kept: `resourceVersion` unset or `0` starts with synthetic ADDED events for what
//! exists; a compacted resourceVersion yields an ERROR event with a 410 Status; selectors turn
//! objects that start or stop matching into ADDED/DELETED; `allowWatchBookmarks` sends periodic
//! BOOKMARKs; `sendInitialEvents=true` ends the initial events with a bookmark annotated
//! `k8s.io/initial-events-end`; `timeoutSeconds` ends the stream (wall time, as upstream).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use bytes::Bytes;
use futures::SinkExt;
use futures::channel::mpsc;
use http::Response;
use serde_json::{Value, json};

use super::resource::{Filters, Request};
use super::response::{self, Body};
use super::table;
use crate::error::ApiError;
use crate::kind::Kind;
use crate::store::{ChangeType, Store, meta_str};

/// How often bookmarks are sent when the client allows them.
const BOOKMARK_EVERY: Duration = Duration::from_secs(5);
/// The longest a watch runs without `timeoutSeconds` (upstream picks 30-60 minutes).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

struct Watcher {
    store: Store,
    kind: Kind,
    namespace: Option<String>,
    filters: Filters,
    table: Option<super::query::Query>,
    headers_sent: bool,
    /// Keys of objects the client currently sees as matching.
    seen: HashSet<(String, String)>,
    /// The last state of each seen object, sent when it leaves the selector (as upstream's
    /// watch cache sends the previous object for that DELETED).
    last: HashMap<(String, String), Value>,
    tx: mpsc::Sender<Bytes>,
}

fn key(obj: &Value) -> (String, String) {
    (
        meta_str(obj, "namespace").unwrap_or_default().to_string(),
        meta_str(obj, "name").unwrap_or_default().to_string(),
    )
}

impl Watcher {
    fn in_scope(&self, obj: &Value) -> bool {
        match &self.namespace {
            Some(ns) if self.kind.namespaced() => meta_str(obj, "namespace") == Some(ns),
            _ => true,
        }
    }

    async fn send(&mut self, ty: &str, obj: &Value) -> bool {
        let object = match &self.table {
            Some(q) if ty != "BOOKMARK" && ty != "ERROR" => {
                let now = self.store.clock().now();
                let rv = meta_str(obj, "resourceVersion").and_then(|r| r.parse().ok()).unwrap_or(0);
                let t = table::table_with(self.kind, &[obj], now, rv, q, !self.headers_sent);
                self.headers_sent = true;
                t
            }
            _ => obj.clone(),
        };
        let mut line =
            serde_json::to_vec(&json!({"type": ty, "object": object})).unwrap_or_default();
        line.push(b'\n');
        self.tx.send(Bytes::from(line)).await.is_ok()
    }

    async fn bookmark(&mut self, rv: u64, initial_end: bool) -> bool {
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let obj = json!({"kind": self.kind.kind_name(), "apiVersion": self.kind.api_version(), "metadata": meta});
        self.send("BOOKMARK", &obj).await
    }

    /// Sends one change, translated for the selectors; false when the client is gone.
    async fn deliver(&mut self, event: ChangeType, obj: &Value) -> bool {
        if !self.in_scope(obj) {
            return true;
        }
        let k = key(obj);
        let matches = event != ChangeType::Deleted && self.filters.matches(self.kind, obj);
        let was = self.seen.contains(&k);
        let ty = match (event, matches, was) {
            (ChangeType::Deleted, _, true) => {
                self.seen.remove(&k);
                "DELETED"
            }
            (ChangeType::Deleted, _, false) => {
                // Deleted objects that match (seen set may miss pre-watch objects).
                if self.filters.matches(self.kind, obj) { "DELETED" } else { return true }
            }
            (_, true, false) => {
                self.seen.insert(k.clone());
                "ADDED"
            }
            (ChangeType::Added, true, true) => "ADDED",
            (_, true, true) => "MODIFIED",
            (_, false, true) => {
                self.seen.remove(&k);
                if event != ChangeType::Deleted
                    && let Some(mut prev) = self.last.remove(&k)
                {
                    // The previous state at the new resourceVersion.
                    if let (Some(m), Some(rv)) =
                        (prev.get_mut("metadata"), obj.pointer("/metadata/resourceVersion"))
                    {
                        m["resourceVersion"] = rv.clone();
                    }
                    return self.send("DELETED", &prev).await;
                }
                "DELETED"
            }
            (_, false, false) => return true,
        };
        if ty == "DELETED" {
            self.last.remove(&k);
        } else {
            self.last.insert(k, obj.clone());
        }
        self.send(ty, obj).await
    }
}

/// Starts a watch; the response streams until the timeout, the client leaves or the store goes.
pub fn watch(store: &Store, req: &Request) -> Result<Response<Body>, ApiError> {
    let filters = Filters::parse(req.kind, &req.query)?;
    let rv_param = req.query.get("resourceVersion").unwrap_or_default();
    let start: Option<u64> =
        match rv_param {
            "" | "0" => None,
            other => Some(other.parse().map_err(|_| {
                ApiError::bad_request(format!("invalid resource version: {other}"))
            })?),
        };
    let send_initial = req.query.flag("sendInitialEvents") || start.is_none();
    let bookmarks = req.query.flag("allowWatchBookmarks");
    let timeout = req
        .query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs);
    let (tx, resp) = response::stream("application/json");
    let mut w = Watcher {
        store: store.clone(),
        kind: req.kind,
        namespace: req.namespace.clone(),
        filters,
        table: table::wants_table(&req.accept).then(|| req.query.clone()),
        headers_sent: false,
        seen: HashSet::new(),
        last: HashMap::new(),
        tx,
    };
    let initial_end_bookmark = req.query.flag("sendInitialEvents");
    tokio::spawn(async move {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changed = w.store.subscribe();
        let kind = w.kind;
        // Initial state: the current objects (as ADDED) when asked or when no rv was given.
        let mut last = if send_initial {
            let ns = w.namespace.clone();
            let (items, rv, _) =
                w.store.list_filtered(kind, ns.as_deref(), None, usize::MAX, |o| {
                    w.filters.matches(kind, o)
                });
            for item in &items {
                w.seen.insert(key(item));
                if !w.send("ADDED", item).await {
                    return;
                }
            }
            if initial_end_bookmark && !w.bookmark(rv, true).await {
                return;
            }
            rv.max(start.unwrap_or(0))
        } else {
            let ns = w.namespace.clone();
            let (items, _, _) = w.store.list_filtered(kind, ns.as_deref(), None, usize::MAX, |o| {
                w.filters.matches(kind, o)
            });
            w.seen.extend(items.iter().map(|o| key(o)));
            // What the client saw at `start`, not now: an object created after it was not
            // there, one changed or deleted after it was (judged by its first later state),
            // so later events keep their own types, as the watch cache replays them
            // (k8s.io/apiserver pkg/storage/cacher, cacheWatcher.convertToWatchEvent).
            let since = start.unwrap_or(0);
            if let Ok((changes, _)) = w.store.watch_changes(kind, since, |_| true) {
                let mut decided = HashSet::new();
                for c in &changes {
                    let k = key(&c.object);
                    if !decided.insert(k.clone()) {
                        continue;
                    }
                    if c.event == ChangeType::Added {
                        w.seen.remove(&k);
                    } else if w.in_scope(&c.object) && w.filters.matches(kind, &c.object) {
                        w.last.insert(k.clone(), Value::clone(&c.object));
                        w.seen.insert(k);
                    }
                }
            }
            since
        };
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + BOOKMARK_EVERY, BOOKMARK_EVERY);
        // A quiet watch notices a client that went away within a second.
        let mut alive = tokio::time::interval(Duration::from_secs(1));
        loop {
            match w.store.watch_changes(kind, last, |_| true) {
                Ok((changes, newest)) => {
                    for c in changes {
                        if !w.deliver(c.event, &c.object).await {
                            return;
                        }
                    }
                    last = newest;
                }
                Err(e) => {
                    let _ = w.send("ERROR", &e.to_status()).await;
                    return;
                }
            }
            tokio::select! {
                r = changed.changed() => if r.is_err() { return },
                () = tokio::time::sleep_until(deadline) => return,
                _ = tick.tick(), if bookmarks => {
                    if !w.bookmark(last, false).await { return }
                }
                _ = alive.tick() => if w.tx.is_closed() { return },
            }
        }
    });
    Ok(resp)
}
