//! Finding named objects with kubectl-grade errors: a missing CronJob suggests the nearest
//! existing names ("did you mean ...?").

use k8s_openapi::api::batch::v1::CronJob;
use serde::Deserialize;

use super::request::{Cluster, ListOptions};
use crate::error::{Error, Result};

/// Gets one CronJob; when it does not exist, lists the namespace's CronJob names (one more
/// request, only on this error path) and suggests the nearest ones.
pub async fn cronjob(cluster: &Cluster, namespace: &str, name: &str) -> Result<CronJob> {
    match cluster.get::<CronJob, CronJob>(Some(namespace), name).await {
        Err(Error::NotFound { kind, name, namespace, .. }) => {
            let existing =
                names::<CronJob>(cluster, namespace.as_deref()).await.unwrap_or_default();
            let borrowed: Vec<&str> = existing.iter().map(String::as_str).collect();
            let suggestions = nearest(&name, &borrowed);
            Err(Error::NotFound { kind, name, namespace, suggestions })
        }
        other => other,
    }
}

/// Names of every object of `K` in `namespace`.
async fn names<K: kube::Resource<DynamicType = ()>>(
    cluster: &Cluster,
    namespace: Option<&str>,
) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Named {
        metadata: NameOnly,
    }
    #[derive(Deserialize)]
    struct NameOnly {
        name: String,
    }
    let items: Vec<Named> = cluster.list::<K, Named>(namespace, &ListOptions::default()).await?;
    Ok(items.into_iter().map(|i| i.metadata.name).collect())
}

/// The first of `names` that is not among the `existing` CronJob names, as
/// [`Error::NotFound`] with the nearest existing names (`lastrun`, `history`: they list rather
/// than get).
pub fn missing_cronjob(
    names: &[String],
    existing: &[&str],
    namespace: Option<&str>,
) -> Option<Error> {
    let name = names.iter().find(|n| !existing.contains(&n.as_str()))?;
    Some(Error::NotFound {
        kind: "cronjob",
        name: name.clone(),
        namespace: namespace.map(str::to_owned),
        suggestions: nearest(name, existing),
    })
}

/// Up to three existing names close to `name` (Jaro-Winkler, or one containing the other).
pub fn nearest(name: &str, existing: &[&str]) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = existing
        .iter()
        .map(|candidate| {
            let mut score = strsim::jaro_winkler(name, candidate);
            if candidate.contains(name) || name.contains(candidate) {
                score = score.max(0.9);
            }
            (score, *candidate)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, n)| n.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_prefer_close_spellings() {
        let existing = ["nightly-backup", "nightly-backup-eu", "deploy-prod", "sanity"];
        assert_eq!(nearest("nightly-bakup", &existing), ["nightly-backup", "nightly-backup-eu"]);
        assert_eq!(nearest("deploy", &existing), ["deploy-prod"]);
        assert!(nearest("zzz", &existing).is_empty());
    }
}
