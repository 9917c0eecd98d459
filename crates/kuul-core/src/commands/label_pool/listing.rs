//! `label-pool --list`, pure: pools (nodes grouped by the pool label) with their nodes, the
//! CronJobs that target each pool (by `nodeSelector` or required node affinity), and the
//! problems: CronJobs no Ready, schedulable node accepts (their pods would stay Pending),
//! CronJobs that target a pool whose taints they do not tolerate, pools no CronJob targets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::placement::{Misfit, NodeFacts, Placement, Taint, fit_error};
use crate::quantity::{self, GIB};

/// The pool name of nodes without the pool label.
pub const NO_POOL: &str = "<none>";

/// A CronJob as the listing sees it: where its pods may go.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobPlacement {
    pub(crate) metadata: CronJobMeta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
}

/// CronJob metadata.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobMeta {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: String,
}

/// `.spec` down to the pod template's placement.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobSpec {
    pub(crate) suspend: Option<bool>,
    #[serde(default)]
    pub(crate) job_template: JobTemplate,
}

/// `.spec.jobTemplate`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobTemplate {
    #[serde(default)]
    pub(crate) spec: JobSpec,
}

/// `.spec.jobTemplate.spec`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobSpec {
    #[serde(default)]
    pub(crate) template: PodTemplate,
}

/// `.spec.jobTemplate.spec.template`: its `spec` decoded as just the placement fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodTemplate {
    #[serde(default)]
    pub(crate) spec: Placement,
}

impl CronJobPlacement {
    /// The pod template's placement.
    pub(crate) fn placement(&self) -> &Placement {
        &self.spec.job_template.spec.template.spec
    }
}

/// One node in a pool.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolNode {
    /// Node name.
    pub name: String,
    /// `Ready` condition is True.
    pub ready: bool,
    /// `spec.unschedulable` (kubectl cordon).
    pub cordoned: bool,
    /// Allocatable CPU, as the node reports it (`3920m`).
    pub allocatable_cpu: Option<String>,
    /// Allocatable memory, as the node reports it.
    pub allocatable_memory: Option<String>,
    /// The node's taints.
    pub taints: Vec<Taint>,
}

/// A pool.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pool {
    /// Pool name (the label value; `<none>` for nodes without the label).
    pub name: String,
    /// Its nodes, by name.
    pub nodes: Vec<PoolNode>,
    /// Nodes that are Ready and not cordoned.
    pub schedulable_nodes: u64,
    /// Ready nodes.
    pub ready_nodes: u64,
    /// Nodes that are not Ready.
    pub not_ready_nodes: u64,
    /// Cordoned nodes.
    pub cordoned_nodes: u64,
    /// Total allocatable vCPUs.
    pub allocatable_cpu: f64,
    /// Total allocatable memory in GiB.
    pub allocatable_memory_gib: f64,
    /// Distinct taints across the pool's nodes.
    pub taints: Vec<Taint>,
    /// CronJobs that target the pool, `namespace/name`.
    pub cronjobs: Vec<String>,
}

/// A CronJob's placement verdict.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobPools {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `.spec.suspend`.
    pub suspended: bool,
    /// The pod template's placement (nodeSelector, affinity, tolerations).
    pub placement: Placement,
    /// Pools with a node its selector and affinity match (empty when it asks for no nodes in
    /// particular).
    pub pools: Vec<String>,
    /// Some Ready node accepts its pods (taints, cordons, selector and affinity considered).
    pub placeable: bool,
    /// Why not, as the scheduler would say it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Kinds of problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub enum ProblemType {
    /// No node accepts the CronJob's pods: they would stay Pending.
    Unplaceable,
    /// The CronJob targets a pool whose taints it does not tolerate.
    UntoleratedTaint,
    /// No CronJob targets the pool.
    NoCronJobs,
}

/// One problem.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// What kind.
    #[serde(rename = "type")]
    pub type_: ProblemType,
    /// The pool concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// The CronJob concerned, `namespace/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cronjob: Option<String>,
    /// One line for people.
    pub message: String,
}

/// The listing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listing {
    pub(crate) pools: Vec<Pool>,
    pub(crate) cronjobs: Vec<CronJobPools>,
    pub(crate) problems: Vec<Problem>,
}

fn pool_name<'n>(node: &'n NodeFacts, key: &str) -> &'n str {
    node.label(key).filter(|p| !p.is_empty()).unwrap_or(NO_POOL)
}

/// Builds the listing. `all_nodes` decide placement; `shown` (the `-l` selection, or all) are
/// the pools listed; `only_pool` narrows the listing to one pool.
pub(crate) fn listing(
    all_nodes: &[NodeFacts],
    shown: &[NodeFacts],
    cronjobs: &[CronJobPlacement],
    key: &str,
    only_pool: Option<&str>,
) -> Listing {
    let mut by_pool: BTreeMap<&str, Vec<&NodeFacts>> = BTreeMap::new();
    for node in shown {
        let pool = pool_name(node, key);
        if only_pool.is_none_or(|p| p == pool) {
            by_pool.entry(pool).or_default().push(node);
        }
    }
    let mut items: Vec<CronJobPools> =
        cronjobs.iter().map(|cj| verdict(cj, all_nodes, key)).collect();
    items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    let mut problems = Vec::new();
    let mut pools: Vec<Pool> = Vec::new();
    for (name, mut nodes) in by_pool {
        nodes.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        let targeting: Vec<String> = items
            .iter()
            .filter(|cj| cj.pools.iter().any(|p| p == name))
            .map(|cj| format!("{}/{}", cj.namespace, cj.name))
            .collect();
        if targeting.is_empty() && name != NO_POOL {
            problems.push(Problem {
                type_: ProblemType::NoCronJobs,
                pool: Some(name.to_owned()),
                cronjob: None,
                message: format!("pool {name} has no CronJobs targeting it"),
            });
        }
        pools.push(pool(name, &nodes, targeting));
    }
    for cj in &items {
        let id = format!("{}/{}", cj.namespace, cj.name);
        if only_pool.is_some_and(|p| !cj.pools.iter().any(|x| x == p)) {
            continue;
        }
        if let Some(reason) = cj.reason.as_deref().filter(|_| !cj.placeable) {
            let suspended = if cj.suspended { " (suspended)" } else { "" };
            problems.push(Problem {
                type_: ProblemType::Unplaceable,
                pool: None,
                cronjob: Some(id.clone()),
                message: format!(
                    "cronjob {id}{suspended} cannot be placed, its pods would stay Pending: {reason}"
                ),
            });
        }
        let placement = &cj.placement;
        for pool in &cj.pools {
            let taint = all_nodes
                .iter()
                .filter(|n| pool_name(n, key) == pool && placement.selects(n))
                .flat_map(|n| n.spec.taints.iter())
                .find(|t| t.repels() && !placement.tolerations.iter().any(|x| x.tolerates(t)));
            if let Some(taint) = taint {
                problems.push(Problem {
                    type_: ProblemType::UntoleratedTaint,
                    pool: Some(pool.clone()),
                    cronjob: Some(id.clone()),
                    message: format!(
                        "cronjob {id} targets pool {pool} but does not tolerate its taint {taint}"
                    ),
                });
            }
        }
    }
    Listing { pools, cronjobs: items, problems }
}

/// The CronJobs that `before` (the nodes as they are) can place and `after` (the nodes as a
/// labelling run leaves them) cannot: what a pool change would leave Pending. Pools are
/// cluster-wide, so `cronjobs` are those of every namespace. Suspended ones are named too (they
/// fail once resumed), marked as such.
pub(crate) fn newly_unplaceable(
    before: &[NodeFacts],
    after: &[NodeFacts],
    cronjobs: &[CronJobPlacement],
    key: &str,
    dry_run: bool,
) -> Vec<Problem> {
    let mut found: Vec<Problem> = cronjobs
        .iter()
        .filter(|cj| cj.placement().constrains_nodes() && verdict(cj, before, key).placeable)
        .filter_map(|cj| {
            let now = verdict(cj, after, key);
            let reason = now.reason.filter(|_| !now.placeable)?;
            let id = format!("{}/{}", now.namespace, now.name);
            let suspended = if now.suspended { " (suspended)" } else { "" };
            let (can, will) = if dry_run { ("could", "would") } else { ("can", "will") };
            Some(Problem {
                type_: ProblemType::Unplaceable,
                pool: None,
                cronjob: Some(id.clone()),
                message: format!(
                    "cronjob {id}{suspended} {can} no longer be placed after this change, its \
                     pods {will} stay Pending: {reason}"
                ),
            })
        })
        .collect();
    found.sort_by(|a, b| a.cronjob.cmp(&b.cronjob));
    found
}

fn verdict(cj: &CronJobPlacement, nodes: &[NodeFacts], key: &str) -> CronJobPools {
    let placement = cj.placement().clone();
    let mut pools: Vec<String> = if placement.constrains_nodes() {
        nodes
            .iter()
            .filter(|n| placement.selects(n))
            .map(|n| pool_name(n, key).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    pools.sort();
    pools.dedup();
    let misfits: Vec<Misfit> = nodes.iter().filter_map(|n| placement.misfit(n)).collect();
    let placeable = misfits.len() < nodes.len();
    CronJobPools {
        namespace: cj.metadata.namespace.clone(),
        name: cj.metadata.name.clone(),
        suspended: cj.spec.suspend == Some(true),
        placement,
        pools,
        placeable,
        reason: (!placeable).then(|| fit_error(nodes.len(), &misfits)),
    }
}

fn pool(name: &str, nodes: &[&NodeFacts], cronjobs: Vec<String>) -> Pool {
    let mut taints: Vec<Taint> = nodes.iter().flat_map(|n| n.spec.taints.iter().cloned()).collect();
    taints.sort();
    taints.dedup();
    let amount = |n: &NodeFacts, k: &str| {
        n.status.allocatable.get(k).and_then(|q| quantity::parse(q).ok()).unwrap_or(0.0)
    };
    let count = |f: &dyn Fn(&NodeFacts) -> bool| nodes.iter().filter(|n| f(n)).count() as u64;
    Pool {
        name: name.to_owned(),
        nodes: nodes
            .iter()
            .map(|n| PoolNode {
                name: n.metadata.name.clone(),
                ready: n.ready(),
                cordoned: n.spec.unschedulable,
                allocatable_cpu: n.status.allocatable.get("cpu").cloned(),
                allocatable_memory: n.status.allocatable.get("memory").cloned(),
                taints: n.spec.taints.clone(),
            })
            .collect(),
        schedulable_nodes: count(&|n| n.ready() && !n.spec.unschedulable),
        ready_nodes: count(&NodeFacts::ready),
        not_ready_nodes: count(&|n| !n.ready()),
        cordoned_nodes: count(&|n| n.spec.unschedulable),
        allocatable_cpu: nodes.iter().map(|n| amount(n, "cpu")).sum(),
        allocatable_memory_gib: nodes.iter().map(|n| amount(n, "memory")).sum::<f64>() / GIB,
        taints,
        cronjobs,
    }
}

#[cfg(test)]
mod tests;
