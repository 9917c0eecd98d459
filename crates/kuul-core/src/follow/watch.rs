//! A watch that outlives its connection: API servers end watches after `timeoutSeconds` (and
//! networks drop them), so this reopens from the last `resourceVersion` seen, and starts again
//! from the current state after `410 Gone` (the version was compacted), as client-go's
//! reflector does (`staging/src/k8s.io/client-go/tools/cache/reflector.go`, `watchHandler`
//! and `isExpiredError`).
//!
//! The first request carries no `resourceVersion` ("get state and start at most recent": the
//! server first sends an ADDED event per existing object), so callers need no separate list.
//!
//! A restart after `410 Gone` is reported ([`Seen::Restarted`]): a consumer that keeps state
//! from a list (`lastrun --watch`, `dash`) must rebuild it, as the reflector's `ListAndWatch`
//! relists and `syncWith` calls the store's `Replace` (client-go v1.32,
//! `tools/cache/reflector.go`), since objects deleted while the watch was away are never
//! reported as DELETED. It relists and calls [`ResilientWatch::resume_at`] with the new list's
//! version; a consumer that does not gets the old behaviour (the next call reopens without a
//! version: an ADDED event per existing object). Reconnects from the last version (the server
//! ended the watch, the network dropped it) are not restarts. Bookmarks are asked for
//! (`allowWatchBookmarks`, kube's default, as the reflector asks): a quiet watch then keeps a
//! recent version, so its reconnect is not too old for the server.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use kube::api::{Api, WatchEvent, WatchParams};
use serde::de::DeserializeOwned;

use crate::cluster::Cluster;
use crate::error::{Error, Result};

/// Consecutive failed (re)connections before giving up.
const MAX_FAILURES: u32 = 5;
/// Server-side watch length: below the usual 30 s client read timeout would be ideal, but the
/// read timeout only fires on silence, and the server ends idle watches itself.
const WATCH_SECONDS: u32 = 240;

/// What a watch reported about one object.
#[derive(Debug)]
pub(crate) enum Seen<K> {
    /// Created, or changed (or already there when the watch began).
    Applied(K),
    /// Deleted.
    Deleted(K),
    /// The version was too old (`410 Gone`, compacted): changes were lost, so state kept from
    /// earlier events must be rebuilt from a new list ([`ResilientWatch::resume_at`] its
    /// version). Calling `next` without doing so reopens from the current state instead.
    Restarted,
}

/// A reconnecting watch over the objects `params` selects.
pub(crate) struct ResilientWatch<K: 'static> {
    api: Api<K>,
    params: WatchParams,
    version: String,
    stream: Option<BoxStream<'static, kube::Result<WatchEvent<K>>>>,
    failures: u32,
    /// A 410 cleared `version`; [`Seen::Restarted`] is still to be reported.
    restarted: bool,
    resource: &'static str,
    /// `None`: every namespace.
    namespace: Option<String>,
    server: String,
}

impl<K> ResilientWatch<K>
where
    K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    /// Watches `resource` (`jobs.batch`, `pods`: for error messages) in `namespace`.
    pub(crate) fn new(
        cluster: &Cluster,
        namespace: &str,
        resource: &'static str,
        params: WatchParams,
    ) -> Self
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
    {
        Self::in_scope(cluster, Some(namespace), resource, params)
    }

    /// Watches `resource` in `namespace`, or in every namespace with `None` (`kuul dash -A`).
    pub(crate) fn in_scope(
        cluster: &Cluster,
        namespace: Option<&str>,
        resource: &'static str,
        params: WatchParams,
    ) -> Self
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
    {
        let api = match namespace {
            Some(namespace) => Api::namespaced(cluster.client().clone(), namespace),
            None => Api::all(cluster.client().clone()),
        };
        ResilientWatch {
            api,
            params: params.timeout(WATCH_SECONDS),
            version: String::new(),
            stream: None,
            failures: 0,
            restarted: false,
            resource,
            namespace: namespace.map(str::to_owned),
            server: cluster.server().to_owned(),
        }
    }

    /// Starts at `version` (a list's resourceVersion) instead of the current state: only the
    /// changes after that list are reported, as client-go's reflector watches after its list.
    pub(crate) fn starting_at(mut self, version: String) -> Self {
        self.version = version;
        self
    }

    /// Continues from `version` (a new list's, after [`Seen::Restarted`]).
    pub(crate) fn resume_at(&mut self, version: String) {
        self.version = version;
        self.stream = None;
        self.restarted = false;
    }

    /// The next change; reconnects as needed. Errors only on refusals (403, 401) or when the
    /// server stays unreachable for [`MAX_FAILURES`] attempts.
    pub(crate) async fn next(&mut self) -> Result<Seen<K>> {
        loop {
            if std::mem::take(&mut self.restarted) {
                return Ok(Seen::Restarted);
            }
            self.open().await?;
            if std::mem::take(&mut self.restarted) {
                return Ok(Seen::Restarted);
            }
            let Some(stream) = self.stream.as_mut() else { continue };
            match stream.next().await {
                // The server ended the watch (timeoutSeconds): reopen where we were.
                None => self.stream = None,
                Some(Ok(WatchEvent::Added(object) | WatchEvent::Modified(object))) => {
                    self.saw(&object);
                    return Ok(Seen::Applied(object));
                }
                Some(Ok(WatchEvent::Deleted(object))) => {
                    self.saw(&object);
                    return Ok(Seen::Deleted(object));
                }
                Some(Ok(WatchEvent::Bookmark(mark))) => {
                    self.version = mark.metadata.resource_version;
                }
                Some(Ok(WatchEvent::Error(status))) if status.code == 410 => {
                    // Too old: changes were lost; the consumer relists (or we start again
                    // from the current state).
                    self.version.clear();
                    self.stream = None;
                    return Ok(Seen::Restarted);
                }
                Some(Ok(WatchEvent::Error(status))) => {
                    self.stream = None;
                    self.failed(kube::Error::Api(status)).await?;
                }
                Some(Err(err)) => {
                    self.stream = None;
                    self.failed(err).await?;
                }
            }
        }
    }

    /// Opens the watch unless it is open (`next` opens it too). A look at the objects taken
    /// after this returns cannot miss a change: the watch reports every change after it opened.
    pub(crate) async fn open(&mut self) -> Result<()> {
        while self.stream.is_none() {
            match self.api.watch(&self.params, &self.version).await {
                Ok(stream) => self.stream = Some(stream.boxed()),
                Err(err) => self.failed(err).await?,
            }
        }
        Ok(())
    }

    fn saw(&mut self, object: &K) {
        self.failures = 0;
        if let Some(version) = &object.meta().resource_version {
            self.version.clone_from(version);
        }
    }

    async fn failed(&mut self, err: kube::Error) -> Result<()> {
        self.failures += 1;
        if let kube::Error::Api(status) = &err {
            match status.code {
                401 | 403 | 404 => return Err(self.error(&err)),
                410 => {
                    self.version.clear();
                    self.restarted = true;
                    return Ok(());
                }
                _ => {}
            }
        }
        if self.failures > MAX_FAILURES {
            return Err(self.error(&err));
        }
        tokio::time::sleep(wait_before_retry(&err, self.failures)).await;
        Ok(())
    }

    fn error(&self, err: &kube::Error) -> Error {
        match err {
            kube::Error::Api(status) if status.code == 403 => Error::Forbidden {
                verb: "watch".into(),
                resource: self.resource.into(),
                namespace: self.namespace.clone(),
                message: status.message.clone(),
            },
            kube::Error::Api(status) => Error::Api {
                code: status.code,
                reason: status.reason.clone(),
                message: status.message.clone(),
            },
            other => Error::Unreachable {
                server: self.server.clone(),
                reason: format!("watching {}: {other}", self.resource),
            },
        }
    }
}

/// The next change of `watch`; pending forever when there is none (a watch not opened yet, or
/// closed), so it can sit in a `select!` beside open ones.
pub(crate) async fn next_if_open<K>(watch: &mut Option<ResilientWatch<K>>) -> Result<Seen<K>>
where
    K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    match watch {
        Some(watch) => watch.next().await,
        None => std::future::pending().await,
    }
}

/// How long to wait before watching again: what a 429 or 5xx's `Retry-After` asked for (the
/// API server sends it as `details.retryAfterSeconds`; client-go's `checkWait` honours it),
/// else an exponential backoff from 400 ms.
fn wait_before_retry(err: &kube::Error, failures: u32) -> Duration {
    let asked = match err {
        kube::Error::Api(status) if status.code == 429 || status.code >= 500 => {
            status.details.as_ref().map(|d| d.retry_after_seconds).filter(|&s| s > 0)
        }
        _ => None,
    };
    asked.map_or_else(
        || Duration::from_millis(200 * 2_u64.pow(failures)),
        |seconds| Duration::from_secs(u64::from(seconds)),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use k8s_openapi::api::core::v1::ConfigMap;
    use kuul_sandbox::{Kind, Sandbox};
    use serde_json::json;

    use super::*;
    use crate::cli::KubeArgs;

    fn configmap(value: &str) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "c", "namespace": "ops"}, "data": {"v": value}})
    }

    fn api_error(code: u16, retry_after_seconds: u32) -> kube::Error {
        // As the API server sends it (`details.retryAfterSeconds`).
        let status: kube::core::Status = serde_json::from_value(json!({
            "status": "Failure", "code": code, "details": {"retryAfterSeconds": retry_after_seconds}
        }))
        .unwrap();
        kube::Error::Api(Box::new(status))
    }

    #[test]
    fn a_retry_after_is_waited_and_otherwise_the_backoff_doubles() {
        assert_eq!(wait_before_retry(&api_error(429, 3), 1), Duration::from_secs(3));
        assert_eq!(wait_before_retry(&api_error(503, 2), 4), Duration::from_secs(2));
        assert_eq!(wait_before_retry(&api_error(429, 0), 1), Duration::from_millis(400));
        assert_eq!(wait_before_retry(&api_error(429, 0), 2), Duration::from_millis(800));
        // A 409 asks for nothing even if a body says so.
        assert_eq!(wait_before_retry(&api_error(409, 9), 1), Duration::from_millis(400));
    }

    fn watch_requests(sb: &Sandbox) -> u64 {
        sb.request_counts().iter().filter(|c| c.key.verb == "watch").map(|c| c.count).sum()
    }

    /// The server ends each watch after one second (`timeoutSeconds`, wall time in the sandbox
    /// as upstream); a change made after that must still arrive, through a new watch that
    /// starts from the last resourceVersion (so the old state is not replayed).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reconnects_from_the_last_version_when_the_server_ends_the_watch() {
        let sb = Sandbox::builder().start().unwrap();
        sb.create(
            Kind::Namespace,
            json!({"apiVersion": "v1", "kind": "Namespace",
                                          "metadata": {"name": "ops"}}),
        )
        .unwrap();
        sb.create(Kind::ConfigMap, configmap("1")).unwrap();
        let args = KubeArgs {
            kubeconfig: Some(sb.kubeconfig().to_path_buf()),
            request_timeout: Duration::from_secs(10),
            ..KubeArgs::default()
        };
        let cluster = crate::cluster::connect(&args).await.unwrap().cluster;
        let params = WatchParams::default().fields("metadata.name=c");
        let mut watch = ResilientWatch::<ConfigMap>::new(&cluster, "ops", "configmaps", params);
        watch.params.timeout = Some(1);
        let (tx, mut rx) = tokio::sync::mpsc::channel(8);
        let task = tokio::spawn(async move {
            while let Ok(seen) = watch.next().await {
                if let Seen::Applied(cm) = seen
                    && tx.send(cm.data.unwrap_or_default()["v"].clone()).await.is_err()
                {
                    return;
                }
            }
        });
        let first = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap();
        assert_eq!(first.as_deref(), Some("1"));
        // Wait (bounded) until the first watch has ended and a second one is open.
        for _ in 0..200 {
            if watch_requests(&sb) >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(watch_requests(&sb) >= 2, "{:?}", sb.request_counts());
        sb.store().replace(Kind::ConfigMap, configmap("2")).unwrap();
        let second = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap();
        assert_eq!(second.as_deref(), Some("2"), "the old state is not replayed");
        task.abort();
    }
}
