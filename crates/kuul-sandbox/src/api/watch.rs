//! Watch: a chunked stream of JSON watch events (`{"type":..,"object":..}\n`) fed by the store's
//! change log, as `apiserver/pkg/endpoints/handlers/watch.go` serves them.
//!
//! Semantics kept: `resourceVersion` unset or `0` starts with synthetic ADDED events for what
//! exists; a compacted resourceVersion yields an ERROR event with a 410 Status; selectors turn
//! objects that start or stop matching into ADDED/DELETED; `allowWatchBookmarks` sends periodic
//! BOOKMARKs; `sendInitialEvents=true` ends the initial events with a bookmark annotated
//! `k8s.io/initial-events-end`; `timeoutSeconds` ends the stream (wall time, as upstream).

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
use crate::store::{ChangeType, SharedChange, Store, meta_str};

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
    tx: mpsc::Sender<Bytes>,
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

    /// Sends one change, translated for the selectors from the object before and after it
    /// (the change log keeps both), as the watch cache's `cacheWatcher.convertToWatchEvent`
    /// (staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go, v1.32.0): ADDED when
    /// only the new state matches, MODIFIED when both do, DELETED with the previous state at
    /// the event's resourceVersion when only that one did. False when the client is gone.
    async fn deliver(&mut self, c: &SharedChange) -> bool {
        let obj = c.object.as_ref();
        if !self.in_scope(obj) {
            return true;
        }
        let now = c.event != ChangeType::Deleted && self.filters.matches(self.kind, obj);
        let before = c.prev.as_deref().filter(|p| self.filters.matches(self.kind, p));
        match (now, before) {
            (true, None) => self.send("ADDED", obj).await,
            (true, Some(_)) => self.send("MODIFIED", obj).await,
            (false, Some(prev)) => {
                let mut prev = prev.clone();
                if let (Some(m), Some(rv)) =
                    (prev.get_mut("metadata"), obj.pointer("/metadata/resourceVersion"))
                {
                    m["resourceVersion"] = rv.clone();
                }
                self.send("DELETED", &prev).await
            }
            (false, None) => true,
        }
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
        tx,
    };
    let initial_end_bookmark = req.query.flag("sendInitialEvents");
    tokio::spawn(async move {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changed = w.store.subscribe();
        let kind = w.kind;
        // Initial state: the current objects (as ADDED) when asked or when no rv was given;
        // from a resourceVersion, the changes after it, each judged by its before and after.
        let mut last = if send_initial {
            let ns = w.namespace.clone();
            let (items, rv, _) =
                w.store.list_filtered(kind, ns.as_deref(), None, usize::MAX, |o| {
                    w.filters.matches(kind, o)
                });
            for item in &items {
                if !w.send("ADDED", item).await {
                    return;
                }
            }
            if initial_end_bookmark && !w.bookmark(rv, true).await {
                return;
            }
            rv.max(start.unwrap_or(0))
        } else {
            start.unwrap_or(0)
        };
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + BOOKMARK_EVERY, BOOKMARK_EVERY);
        // A quiet watch notices a client that went away within a second.
        let mut alive = tokio::time::interval(Duration::from_secs(1));
        loop {
            match w.store.watch_changes(kind, last, |_| true) {
                Ok((changes, newest)) => {
                    for c in &changes {
                        if !w.deliver(c).await {
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
