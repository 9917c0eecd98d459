//! `--wait`'s lookout for the CronJob itself: deleted (or deleted and recreated under the same
//! name) while we wait for its run, there is no run coming and no schedule to restore, so the
//! wait must end at once with that said, not at its wall-clock timeout with a warning to
//! `--restore` a CronJob that no longer exists.
//!
//! A watch on that one name (`fieldSelector=metadata.name=NAME`, as kubectl's `get --watch
//! NAME` does), reconnecting like every watch of ours ([`ResilientWatch`]), opened first and then
//! checked with one GET, since a CronJob deleted before the watch opened sends no event. The
//! wait's own deadline bounds everything, so errors here never end the wait by themselves.

use k8s_openapi::api::batch::v1::CronJob;
use kube::api::WatchParams;
use serde::de::IgnoredAny;

use crate::cluster::Cluster;
use crate::error::Error;
use crate::follow::watch::{ResilientWatch, Seen};

/// Completes once the CronJob `uid` is gone: deleted, or replaced by another object of the same
/// name. Pending forever otherwise.
pub(crate) async fn deleted(cluster: &Cluster, namespace: &str, name: &str, uid: &str) {
    let by_name = WatchParams::default().fields(&format!("metadata.name={name}"));
    let mut watch = ResilientWatch::<CronJob>::new(cluster, namespace, "cronjobs.batch", by_name);
    if watch.open().await.is_ok()
        && let Err(Error::NotFound { .. }) =
            cluster.get::<CronJob, IgnoredAny>(Some(namespace), name).await
    {
        return;
    }
    loop {
        match watch.next().await {
            Ok(Seen::Deleted(_)) => return,
            Ok(Seen::Applied(now))
                if !uid.is_empty() && now.metadata.uid.as_deref() != Some(uid) =>
            {
                return;
            }
            Ok(Seen::Applied(_)) => {}
            // Changes were lost (410): a deletion in them would not come again.
            Ok(Seen::Restarted) => {
                if let Err(Error::NotFound { .. }) =
                    cluster.get::<CronJob, IgnoredAny>(Some(namespace), name).await
                {
                    return;
                }
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
}
