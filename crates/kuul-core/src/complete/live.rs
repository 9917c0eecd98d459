//! Live names for completion: CronJobs, nodes, pools and namespaces from the cluster, contexts,
//! clusters and users from the kubeconfig. Everything runs under one short deadline
//! ([`LIVE_TIMEOUT`]) on a spawned task, so a slow or dead API server (or an exec credential
//! plugin that blocks its thread) costs the shell at most that long and yields no candidates,
//! never a hang: kubectl waits for the hook without any timeout of its own
//! (kubectl `plugin_completion.go` `getPluginCompletions` just runs it).

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Namespace, Node};
use serde::Deserialize;

use super::protocol::Candidate;
use crate::cli::KubeArgs;
use crate::cluster::{self, ListOptions, annotations::POOL_LABEL};
use crate::error::Result;

/// How long a completion may wait for the cluster.
pub const LIVE_TIMEOUT: Duration = Duration::from_secs(1);

/// Where candidates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// CronJobs in the namespace in effect (`-n`, the context's), or every namespace with `-A`.
    CronJobs,
    /// Job (run) names in the namespace in effect, newest first, each with its CronJob
    /// (`logs --run`, `history --diff`).
    Runs,
    /// Node names.
    Nodes,
    /// Pool names: the values of the `kuul.dev/pool` node label.
    Pools,
    /// Namespace names.
    Namespaces,
    /// Context names from the kubeconfig.
    Contexts,
    /// Cluster names from the kubeconfig.
    Clusters,
    /// User names from the kubeconfig.
    Users,
}

/// The candidates from `source`, or none when the lookup fails or takes longer than `deadline`.
pub async fn lookup(source: Source, mut kube: KubeArgs, deadline: Duration) -> Vec<Candidate> {
    kube.request_timeout = deadline;
    let task = tokio::spawn(async move { fetch(source, &kube).await.unwrap_or_default() });
    match tokio::time::timeout(deadline, task).await {
        Ok(Ok(candidates)) => candidates,
        // Timed out (the task is abandoned; the process exits right after) or panicked.
        _ => Vec::new(),
    }
}

async fn fetch(source: Source, kube: &KubeArgs) -> Result<Vec<Candidate>> {
    match source {
        Source::Contexts | Source::Clusters | Source::Users => Ok(kubeconfig_names(source, kube)?),
        Source::CronJobs => cronjobs(kube).await,
        Source::Runs => runs(kube).await,
        Source::Nodes | Source::Pools => nodes(source, kube).await,
        Source::Namespaces => {
            let connection = cluster::connect(kube).await?;
            let namespaces: Vec<Named> =
                connection.cluster.list::<Namespace, Named>(None, &ListOptions::default()).await?;
            Ok(namespaces.into_iter().map(|ns| Candidate::plain(ns.metadata.name)).collect())
        }
    }
}

/// Just the name (and labels) of an object: completion decodes nothing else.
#[derive(Deserialize)]
struct Named {
    metadata: NamedMeta,
}

#[derive(Deserialize)]
struct NamedMeta {
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// A CronJob's name and the schedule shown beside it.
#[derive(Deserialize)]
struct CronJobName {
    metadata: NamedMeta,
    #[serde(default)]
    spec: CronJobSpec,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CronJobSpec {
    #[serde(default)]
    schedule: String,
    #[serde(default)]
    suspend: Option<bool>,
}

async fn cronjobs(kube: &KubeArgs) -> Result<Vec<Candidate>> {
    let connection = cluster::connect(kube).await?;
    let namespace = (!kube.all_namespaces).then_some(connection.namespace.as_str());
    let options = ListOptions { label_selector: kube.selector.clone(), field_selector: None };
    let items: Vec<CronJobName> =
        connection.cluster.list::<CronJob, CronJobName>(namespace, &options).await?;
    let mut candidates: Vec<Candidate> = items
        .into_iter()
        .map(|cj| {
            let mut description = cj.spec.schedule;
            if cj.spec.suspend == Some(true) {
                description.push_str(" (suspended)");
            }
            if namespace.is_none() {
                description = format!("{description} in {}", cj.metadata.namespace);
            }
            Candidate::new(cj.metadata.name, description)
        })
        .collect();
    // With -A the same name may exist in several namespaces; offer it once.
    candidates.sort_by(|a, b| a.value.cmp(&b.value));
    candidates.dedup_by(|a, b| a.value == b.value);
    Ok(candidates)
}

/// A Job's name, creation and owner.
#[derive(Deserialize)]
struct JobName {
    metadata: JobNameMeta,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JobNameMeta {
    name: String,
    creation_timestamp: Option<jiff::Timestamp>,
    #[serde(default)]
    owner_references: Vec<crate::cluster::facts::OwnerReference>,
}

async fn runs(kube: &KubeArgs) -> Result<Vec<Candidate>> {
    let connection = cluster::connect(kube).await?;
    let namespace = connection.namespace.as_str();
    let mut items: Vec<JobName> =
        connection.cluster.list::<Job, JobName>(Some(namespace), &ListOptions::default()).await?;
    items.sort_by_key(|job| std::cmp::Reverse(job.metadata.creation_timestamp));
    Ok(items
        .into_iter()
        .map(|job| {
            let owner = job.metadata.owner_references.iter().find(|r| r.kind == "CronJob");
            let description = owner.map(|o| format!("run of {}", o.name)).unwrap_or_default();
            Candidate::new(job.metadata.name, description)
        })
        .collect())
}

async fn nodes(source: Source, kube: &KubeArgs) -> Result<Vec<Candidate>> {
    let connection = cluster::connect(kube).await?;
    let nodes: Vec<Named> =
        connection.cluster.list::<Node, Named>(None, &ListOptions::default()).await?;
    Ok(match source {
        Source::Pools => pools(&nodes),
        _ => nodes
            .into_iter()
            .map(|node| {
                let pool = node.metadata.labels.get(POOL_LABEL);
                let description = pool.map(|p| format!("pool {p}")).unwrap_or_default();
                Candidate::new(node.metadata.name, description)
            })
            .collect(),
    })
}

/// Pool names with how many nodes each has.
fn pools(nodes: &[Named]) -> Vec<Candidate> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for node in nodes {
        if let Some(pool) = node.metadata.labels.get(POOL_LABEL) {
            *sizes.entry(pool.as_str()).or_default() += 1;
        }
    }
    sizes
        .into_iter()
        .map(|(pool, size)| {
            let noun = if size == 1 { "node" } else { "nodes" };
            Candidate::new(pool, format!("{size} {noun}"))
        })
        .collect()
}

/// Context, cluster or user names from the kubeconfig files kubectl would read.
fn kubeconfig_names(source: Source, kube: &KubeArgs) -> Result<Vec<Candidate>> {
    let Some(config) = cluster::load_kubeconfig(kube, std::env::var_os("KUBECONFIG"))? else {
        return Ok(Vec::new());
    };
    let current = config.current_context.clone().unwrap_or_default();
    Ok(match source {
        Source::Contexts => config
            .contexts
            .into_iter()
            .map(|context| {
                let detail = context.context.map(|c| c.cluster).unwrap_or_default();
                let marker = if context.name == current { " (current)" } else { "" };
                Candidate::new(context.name, format!("cluster {detail}{marker}"))
            })
            .collect(),
        Source::Clusters => config.clusters.into_iter().map(|c| Candidate::plain(c.name)).collect(),
        _ => config.auth_infos.into_iter().map(|u| Candidate::plain(u.name)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, pool: Option<&str>) -> Named {
        let labels = pool
            .map(|p| BTreeMap::from([(POOL_LABEL.to_owned(), p.to_owned())]))
            .unwrap_or_default();
        Named { metadata: NamedMeta { name: name.into(), namespace: String::new(), labels } }
    }

    #[test]
    fn pools_are_distinct_label_values_with_sizes() {
        let nodes = [
            node("a", Some("gpu")),
            node("b", Some("batch")),
            node("c", Some("gpu")),
            node("d", None),
        ];
        assert_eq!(
            pools(&nodes),
            [Candidate::new("batch", "1 node"), Candidate::new("gpu", "2 nodes")]
        );
    }

    #[test]
    fn contexts_come_from_the_kubeconfig_with_the_current_one_marked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: c1\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u1\n  user: {token: t}\ncontexts:\n- name: dev\n  context: {cluster: c1, user: u1}\n- name: prod\n  context: {cluster: c1, user: u1}\n",
        )
        .unwrap();
        let kube = KubeArgs { kubeconfig: Some(path), ..KubeArgs::default() };
        assert_eq!(
            kubeconfig_names(Source::Contexts, &kube).unwrap(),
            [Candidate::new("dev", "cluster c1 (current)"), Candidate::new("prod", "cluster c1")]
        );
        assert_eq!(kubeconfig_names(Source::Users, &kube).unwrap(), [Candidate::plain("u1")]);
    }

    #[tokio::test]
    async fn an_unanswering_server_yields_nothing_within_the_deadline() {
        // Accepts connections (the kernel completes the handshake from the backlog) and never
        // answers: the worst kind of slow cluster.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            format!("apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n- name: c\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\nusers:\n- name: u\n  user: {{token: t}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\n"),
        )
        .unwrap();
        let kube = KubeArgs { kubeconfig: Some(path), ..KubeArgs::default() };
        let started = std::time::Instant::now();
        let found = lookup(Source::CronJobs, kube, Duration::from_millis(300)).await;
        assert!(found.is_empty());
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        drop(listener);
    }
}
