//! Where a pod may run: `nodeSelector`, required node affinity and taints/tolerations, decided
//! the way kube-scheduler's filter plugins decide them, over slim serde views of nodes and pod
//! specs (decoded straight from list pages; no full k8s-openapi objects).
//!
//! `label-pool` uses it to tie CronJobs to the pools they target and to find CronJobs whose pods
//! would stay Pending; `cost-report` reads node labels and capacity from [`NodeFacts`].
//!
//! Sources (kubernetes/kubernetes v1.32): the default filter order is `NodeUnschedulable`,
//! `NodeName`, `TaintToleration`, `NodeAffinity` (`pkg/scheduler/apis/config/v1/default_plugins.go`),
//! and a node is rejected by the first filter that fails. `Toleration.ToleratesTaint`
//! (`staging/src/k8s.io/api/core/v1/toleration.go`), `nodeaffinity.NewNodeSelector` and
//! `RequiredNodeAffinity.Match` (`staging/src/k8s.io/component-helpers/scheduling/corev1/
//! nodeaffinity/nodeaffinity.go`), and `FitError.Error()` (`pkg/scheduler/framework/types.go`)
//! for the "0/N nodes are available: ..." summary. Resource fit (`NodeResourcesFit`) is not
//! judged: it depends on what else runs at that moment.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

/// Taint the node lifecycle controller puts on nodes whose Ready condition is not True.
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// Taint matching `spec.unschedulable` (cordoned nodes); tolerating it lets a pod onto them.
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// A node as kuul reads it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NodeFacts {
    /// `.metadata`, the parts we read.
    pub metadata: NodeMeta,
    /// `.spec`, the parts we read.
    #[serde(default)]
    pub spec: NodeSpec,
    /// `.status`, the parts we read.
    #[serde(default)]
    pub status: NodeStatus,
}

/// Node metadata.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeMeta {
    /// Node name.
    pub name: String,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// When the node joined.
    pub creation_timestamp: Option<Timestamp>,
    /// For optimistic concurrency on label patches.
    #[serde(default)]
    pub resource_version: String,
}

/// Node spec.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    /// Cordoned.
    #[serde(default)]
    pub unschedulable: bool,
    /// Taints.
    #[serde(default)]
    pub taints: Vec<Taint>,
}

/// Node status.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NodeStatus {
    /// Conditions (we read `Ready`).
    #[serde(default)]
    pub conditions: Vec<NodeCondition>,
    /// What pods may request in total.
    #[serde(default)]
    pub allocatable: BTreeMap<String, String>,
    /// What the machine has.
    #[serde(default)]
    pub capacity: BTreeMap<String, String>,
}

/// A node condition.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NodeCondition {
    /// `Ready`, `MemoryPressure`...
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False`, `Unknown`.
    pub status: String,
}

/// A node taint.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub struct Taint {
    /// Key.
    pub key: String,
    /// Value (may be empty).
    #[serde(default)]
    pub value: Option<String>,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
}

impl std::fmt::Display for Taint {
    /// kubectl's spelling: `key=value:Effect`, or `key:Effect` without a value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.value.as_deref().filter(|v| !v.is_empty()) {
            Some(value) => write!(f, "{}={}:{}", self.key, value, self.effect),
            None => write!(f, "{}:{}", self.key, self.effect),
        }
    }
}

impl Taint {
    /// Whether the scheduler filters on this taint (`NoSchedule` and `NoExecute`).
    pub fn repels(&self) -> bool {
        matches!(self.effect.as_str(), "NoSchedule" | "NoExecute")
    }
}

impl NodeFacts {
    /// The `Ready` condition is `True`.
    pub fn ready(&self) -> bool {
        self.status.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True")
    }

    /// A label's value.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.metadata.labels.get(key).map(String::as_str)
    }

    /// The taints the scheduler sees: the node's own, plus `not-ready` for a node that is not
    /// Ready when the node lifecycle controller has not added it yet (TaintNodesByCondition).
    pub fn effective_taints(&self) -> Vec<Taint> {
        let mut taints = self.spec.taints.clone();
        if !self.ready() && !taints.iter().any(|t| t.key == TAINT_NOT_READY) {
            taints.push(Taint {
                key: TAINT_NOT_READY.to_owned(),
                value: None,
                effect: "NoSchedule".to_owned(),
            });
        }
        taints
    }
}

/// The placement part of a pod spec.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    /// `nodeSelector`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// `affinity` (only node affinity is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// `tolerations`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
}

/// `affinity`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Affinity {
    /// `nodeAffinity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
}

/// `nodeAffinity` (the preferred terms only score nodes, so they are not read).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct NodeAffinity {
    /// `requiredDuringSchedulingIgnoredDuringExecution`.
    #[serde(
        default,
        rename = "requiredDuringSchedulingIgnoredDuringExecution",
        skip_serializing_if = "Option::is_none"
    )]
    pub required: Option<NodeSelector>,
}

/// A `NodeSelector`: terms ORed together.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelector {
    /// `nodeSelectorTerms`.
    #[serde(default)]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

/// One term: every expression and field must match.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    /// On labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<Requirement>,
    /// On fields (`metadata.name` only, as upstream).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<Requirement>,
}

/// A `NodeSelectorRequirement`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct Requirement {
    /// Label key (or field name).
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
    pub operator: String,
    /// Values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A toleration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct Toleration {
    /// Empty with `Exists` tolerates every taint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `Equal` (the default) or `Exists`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Value for `Equal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Empty tolerates every effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
}

impl Toleration {
    /// upstream `Toleration.ToleratesTaint`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        let effect = self.effect.as_deref().unwrap_or("");
        if !effect.is_empty() && effect != taint.effect {
            return false;
        }
        let key = self.key.as_deref().unwrap_or("");
        if !key.is_empty() && key != taint.key {
            return false;
        }
        match self.operator.as_deref().unwrap_or("") {
            "" | "Equal" => {
                self.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
            }
            "Exists" => true,
            _ => false,
        }
    }
}

/// Why a node does not fit a pod: the first filter that fails, as the scheduler reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Misfit {
    /// Cordoned, and the pod does not tolerate `node.kubernetes.io/unschedulable`.
    Unschedulable,
    /// A NoSchedule/NoExecute taint the pod does not tolerate.
    Taint(Taint),
    /// `nodeSelector` or required node affinity does not match.
    Selector,
}

impl std::fmt::Display for Misfit {
    /// The scheduler's reason texts (`nodeunschedulable.ErrReasonUnschedulable`,
    /// `tainttoleration` "node(s) had untolerated taint {key: value}",
    /// `nodeaffinity.ErrReasonPod`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Misfit::Unschedulable => f.write_str("node(s) were unschedulable"),
            Misfit::Taint(taint) => write!(
                f,
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            ),
            Misfit::Selector => f.write_str("node(s) didn't match Pod's node affinity/selector"),
        }
    }
}

impl Placement {
    /// Whether the pod asks for particular nodes at all (a selector or required affinity).
    pub fn constrains_nodes(&self) -> bool {
        !self.node_selector.is_empty() || self.required_terms().is_some()
    }

    fn required_terms(&self) -> Option<&[NodeSelectorTerm]> {
        self.affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|a| a.required.as_ref())
            .map(|r| r.node_selector_terms.as_slice())
    }

    /// `nodeSelector` and required node affinity both match the node's labels (and name).
    pub fn selects(&self, node: &NodeFacts) -> bool {
        let labels = &node.metadata.labels;
        if !self.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
        let Some(terms) = self.required_terms() else { return true };
        // Terms are ORed; an empty term matches nothing (nodeaffinity.NewNodeSelector drops it).
        terms.iter().any(|term| {
            (!term.match_expressions.is_empty() || !term.match_fields.is_empty())
                && term
                    .match_expressions
                    .iter()
                    .all(|r| r.matches(labels.get(&r.key).map(String::as_str)))
                && term.match_fields.iter().all(|r| {
                    r.key == "metadata.name" && r.matches(Some(node.metadata.name.as_str()))
                })
        })
    }

    /// The first NoSchedule/NoExecute taint of the node the pod does not tolerate.
    pub fn untolerated_taint(&self, node: &NodeFacts) -> Option<Taint> {
        node.effective_taints()
            .into_iter()
            .find(|taint| taint.repels() && !self.tolerations.iter().any(|t| t.tolerates(taint)))
    }

    /// Why the scheduler would reject the node, or `None` if it fits (resources aside).
    pub fn misfit(&self, node: &NodeFacts) -> Option<Misfit> {
        let unschedulable = Taint {
            key: TAINT_UNSCHEDULABLE.to_owned(),
            value: None,
            effect: "NoSchedule".to_owned(),
        };
        if node.spec.unschedulable && !self.tolerations.iter().any(|t| t.tolerates(&unschedulable))
        {
            return Some(Misfit::Unschedulable);
        }
        if let Some(taint) = self.untolerated_taint(node) {
            return Some(Misfit::Taint(taint));
        }
        if !self.selects(node) {
            return Some(Misfit::Selector);
        }
        None
    }
}

impl Requirement {
    /// One requirement against a label value (`None`: the label is absent), as
    /// `labels.Requirement.Matches` does for node selectors.
    pub fn matches(&self, value: Option<&str>) -> bool {
        let listed = |v: &str| self.values.iter().any(|x| x == v);
        match self.operator.as_str() {
            "In" => value.is_some_and(listed),
            "NotIn" => value.is_none_or(|v| !listed(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), [bound]) =
                    (value.and_then(|v| v.parse::<i64>().ok()), self.values.as_slice())
                else {
                    return false;
                };
                let Ok(bound) = bound.parse::<i64>() else { return false };
                if self.operator == "Gt" { v > bound } else { v < bound }
            }
            _ => false,
        }
    }
}

/// `FitError.Error()`: "0/N nodes are available: 2 node(s) ..., 1 node(s) ...." with reason
/// counts sorted as strings, as the scheduler writes them in FailedScheduling events.
pub fn fit_error(total: usize, misfits: &[Misfit]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for misfit in misfits {
        *counts.entry(misfit.to_string()).or_default() += 1;
    }
    let mut reasons: Vec<String> =
        counts.into_iter().map(|(reason, n)| format!("{n} {reason}")).collect();
    reasons.sort();
    if reasons.is_empty() {
        return format!("0/{total} nodes are available.");
    }
    format!("0/{total} nodes are available: {}.", reasons.join(", "))
}

#[cfg(test)]
mod tests;
