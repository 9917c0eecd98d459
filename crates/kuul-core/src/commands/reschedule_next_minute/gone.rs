//! `--wait`'s lookout for the CronJob itself: deleted (or deleted and recreated under the same
//! name) while we wait for its run, there is no run coming and no schedule to restore, so the
//! wait must end at once with that said, not at its wall-clock timeout with a warning to
//! `--restore` a CronJob that no longer exists.
//!
//! One GET (its resourceVersion), then a watch on that one name from there
//! (`fieldSelector=metadata.name=NAME`, as kubectl's `get --watch NAME` does). A broken watch
//! (timeout, 410 Gone, dropped connection) is re-established from a fresh GET after a pause; the
//! wait's own deadline still bounds everything, so errors here never end the wait by themselves.

use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::batch::v1::CronJob;
use kube::api::{Api, WatchEvent, WatchParams};
use serde::Deserialize;

use crate::cluster::Cluster;
use crate::cluster::facts::Meta;
use crate::error::Error;

/// Pause before watching again after the watch broke or a GET failed.
const AGAIN_AFTER: Duration = Duration::from_secs(5);
/// Server-side watch timeout, under the API server's own cap (`--min-request-timeout`, 30 min).
const WATCH_SECONDS: u32 = 290;

/// The part of the CronJob read here.
#[derive(Debug, Deserialize)]
struct Identity {
    metadata: Meta,
}

/// Completes once the CronJob `uid` is gone: deleted, or replaced by another object of the same
/// name. Pending forever otherwise.
pub(crate) async fn deleted(cluster: &Cluster, namespace: &str, name: &str, uid: &str) {
    let api: Api<CronJob> = Api::namespaced(cluster.client().clone(), namespace);
    let params =
        WatchParams::default().fields(&format!("metadata.name={name}")).timeout(WATCH_SECONDS);
    loop {
        match cluster.get::<CronJob, Identity>(Some(namespace), name).await {
            Err(Error::NotFound { .. }) => return,
            Ok(now) if !uid.is_empty() && now.metadata.uid != uid => return,
            Ok(now) => {
                if let Ok(events) = api.watch(&params, &now.metadata.resource_version).await {
                    let mut events = events.boxed();
                    while let Some(event) = events.next().await {
                        match event {
                            Ok(WatchEvent::Deleted(_)) => return,
                            Ok(WatchEvent::Error(_)) | Err(_) => break,
                            Ok(_) => {}
                        }
                    }
                }
            }
            Err(_) => {}
        }
        tokio::time::sleep(AGAIN_AFTER).await;
    }
}
