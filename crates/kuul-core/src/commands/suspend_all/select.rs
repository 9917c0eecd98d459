//! Which CronJobs a `suspend-all` or `resume` run covers: `-n`, `-A`, `-l`, or names. One paged
//! list whatever the count (names are picked from the list, so 5,000 CronJobs cost 10 requests,
//! not 5,000 GETs), with kubectl's "did you mean" for names that do not exist.

use k8s_openapi::api::batch::v1::CronJob;

use super::state::CronJobState;
use crate::cluster::lookup::nearest;
use crate::cluster::{Cluster, ListOptions};
use crate::context::{Context, Scope};
use crate::error::{Error, Result};

/// The CronJobs in scope, by namespace then name, and the scope itself.
pub(crate) async fn cronjobs(
    ctx: &Context,
    names: &[String],
) -> Result<(Cluster, Scope, Vec<CronJobState>)> {
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    if !names.is_empty() && scope == Scope::AllNamespaces {
        // kubectl: "a resource cannot be retrieved by name across all namespaces".
        return Err(Error::Usage(
            "CronJobs cannot be named across all namespaces: drop -A, or use -n NAMESPACE".into(),
        ));
    }
    let cluster = ctx.connection().await?.cluster.clone();
    let options = ListOptions { label_selector: selector, field_selector: None };
    let mut items: Vec<CronJobState> =
        cluster.list::<CronJob, CronJobState>(scope.namespace(), &options).await?;
    if items.is_empty() {
        crate::notice::no_resources(scope.namespace());
    }
    if !names.is_empty() {
        let existing: Vec<&str> = items.iter().map(|c| c.metadata.name.as_str()).collect();
        if let Some(missing) = names.iter().find(|n| !existing.contains(&n.as_str())) {
            return Err(Error::NotFound {
                kind: "cronjob",
                name: missing.clone(),
                namespace: scope.namespace().map(str::to_owned),
                suggestions: nearest(missing, &existing),
            });
        }
        items.retain(|c| names.contains(&c.metadata.name));
    }
    items.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    Ok((cluster, scope, items))
}

/// Re-reads one CronJob (on a retry); `None` when it was deleted meanwhile.
pub(crate) async fn reread(
    cluster: &Cluster,
    cronjob: &CronJobState,
) -> Result<Option<CronJobState>> {
    match cluster
        .get::<CronJob, CronJobState>(Some(&cronjob.metadata.namespace), &cronjob.metadata.name)
        .await
    {
        Ok(fresh) => Ok(Some(fresh)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}
