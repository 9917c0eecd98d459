//! The scheduler: binds a pending pod to a node, or says why it cannot.
//!
//! After kube-scheduler's default filter plugins, in their order (`NodeUnschedulable`,
//! `TaintToleration`, `NodeAffinity`, `NodeResourcesFit`; `pkg/scheduler/framework/plugins/...`):
//! a node must be schedulable (not cordoned), Ready (a not-ready node carries the
//! `node.kubernetes.io/not-ready` taint upstream), have no NoSchedule/NoExecute taint the pod
//! does not tolerate, match `nodeSelector` and required node affinity (`In`, `NotIn`,
//! `Exists`, `DoesNotExist`, `Gt`, `Lt`; `matchFields` on `metadata.name`), and have room for
//! the pod's requests next to those of the pods already bound to it and not terminated
//! ([`fit`]: `allocatable` cpu, memory, ephemeral-storage and pods). Among fitting nodes the one
//! with the fewest such pods wins, then the lowest name (deterministic, where upstream scores
//! and breaks ties randomly).
//!
//! An unschedulable pod gets `PodScheduled=False` reason `Unschedulable` and a
//! `FailedScheduling` event (again every 5 minutes while it stays so: kube-scheduler records
//! through the events.k8s.io recorder, so repeats become the event's `series`, see
//! `events::event_v1`) whose message is built like `FitError.Error()`
//! (`pkg/scheduler/framework/types.go`, release-1.32): reason counts sorted as strings, then the
//! preemption post-filter message ([`fit_error_message`]). It is retried when a node changes, when
//! a pod bound to a node finishes or goes away (capacity frees), and every 5 minutes.
//! Preemption itself is not simulated: every pod has the same priority, so it never finds a
//! victim, as upstream with no PriorityClasses.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    Node, NodeSelectorRequirement, Pod, PodCondition, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::events::{self, EventType, component};
use super::refs::{object_reference, to_value};
use super::{Action, Sync};
use crate::kind::Kind;

pub mod fit;
pub use fit::{NodeUsage, Resources};

/// upstream `podMaxInUnschedulablePodsDuration`: unschedulable pods are retried (and a
/// `FailedScheduling` event recorded again) at least this often, and whenever a node changes.
const UNSCHEDULABLE_RETRY: SignedDuration = SignedDuration::from_mins(5);

const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
const REASON_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";

/// Whether the scheduler should look at `pod` at all: not bound, not finished, not deleted,
/// and for the default scheduler.
pub fn wants(pod: &Pod) -> bool {
    let spec = pod.spec.as_ref();
    let bound = spec.and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
    let scheduler = spec.and_then(|s| s.scheduler_name.as_deref()).unwrap_or("default-scheduler");
    !bound
        && phase == "Pending"
        && pod.metadata.deletion_timestamp.is_none()
        && scheduler == "default-scheduler"
}

fn node_ready(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// upstream `v1helper.TolerationsTolerateTaint` / `Toleration.ToleratesTaint`.
fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| {
        let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == taint.effect);
        // An empty key with `Exists` tolerates every taint.
        let key_ok = (t.key.as_deref().is_none_or(str::is_empty)
            && t.operator.as_deref() == Some("Exists"))
            || t.key.as_deref() == Some(taint.key.as_str());
        let value_ok = match t.operator.as_deref() {
            Some("Exists") => true,
            _ => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        };
        effect_ok && key_ok && value_ok
    })
}

fn requirement_matches(r: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = r.values.as_deref().unwrap_or_default();
    match r.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if r.operator == "Gt" { v > bound } else { v < bound }
        }
        _ => false,
    }
}

/// `nodeSelector` plus required node affinity (`NodeAffinity` filter plugin).
fn matches_affinity(pod: &Pod, node: &Node) -> bool {
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let spec = pod.spec.as_ref();
    if let Some(selector) = spec.and_then(|s| s.node_selector.as_ref())
        && !selector.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    let required = spec
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_ref());
    let Some(required) = required else { return true };
    let node_name = node.metadata.name.as_deref();
    // Terms are ORed; within a term every expression and field must match. An empty term
    // matches nothing (upstream `nodeaffinity.NewNodeSelector`).
    required.node_selector_terms.iter().any(|term| {
        let exprs = term.match_expressions.as_deref().unwrap_or_default();
        let fields = term.match_fields.as_deref().unwrap_or_default();
        (!exprs.is_empty() || !fields.is_empty())
            && exprs.iter().all(|r| requirement_matches(r, labels.get(&r.key).map(String::as_str)))
            && fields.iter().all(|r| r.key == "metadata.name" && requirement_matches(r, node_name))
    })
}

/// Why `node` does not fit `pod` (the first failing filter), or `None` if it fits.
pub fn misfit(pod: &Pod, node: &Node) -> Option<String> {
    if node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        return Some(REASON_UNSCHEDULABLE.to_owned());
    }
    let tolerations = pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or_default();
    let mut taints: Vec<Taint> =
        node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    if !node_ready(node) && !taints.iter().any(|t| t.key == "node.kubernetes.io/not-ready") {
        taints.push(Taint {
            key: "node.kubernetes.io/not-ready".to_owned(),
            effect: "NoSchedule".to_owned(),
            value: None,
            time_added: None,
        });
    }
    for taint in &taints {
        if matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute")
            && !tolerates(tolerations, taint)
        {
            return Some(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            ));
        }
    }
    if !matches_affinity(pod, node) {
        return Some(REASON_AFFINITY.to_owned());
    }
    None
}

/// Why one node was rejected: the first failing filter's `framework.Status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its reasons (`NodeResourcesFit` gives one per insufficient resource).
    pub reasons: Vec<String>,
    /// Code `Unschedulable` (preemption might help: `NodeResourcesFit`) rather than
    /// `UnschedulableAndUnresolvable` (every other filter here).
    pub resolvable: bool,
}

impl Rejection {
    /// A rejection by a filter whose verdict evicting pods cannot change.
    pub fn unresolvable(reason: String) -> Rejection {
        Rejection { reasons: vec![reason], resolvable: false }
    }
}

/// Every filter for `pod` (whose requests are `request`) on `node` (whose bound pods use `used`):
/// the first rejection, or `None` if the pod fits.
pub fn filter(pod: &Pod, request: Resources, node: &Node, used: &NodeUsage) -> Option<Rejection> {
    if let Some(reason) = misfit(pod, node) {
        return Some(Rejection::unresolvable(reason));
    }
    let allocatable = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let short = fit::insufficient(request, |k| allocatable?.get(k).map(|q| q.0.as_str()), used);
    (!short.is_empty()).then(|| Rejection {
        reasons: short.into_iter().map(str::to_owned).collect(),
        resolvable: true,
    })
}

/// upstream `sortReasonsHistogram`: "n reason" per distinct reason, sorted as strings.
fn histogram<'a>(reasons: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reasons {
        *counts.entry(r).or_default() += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    parts.join(", ")
}

/// `FitError.Error()` for `rejections` (one per node) out of `total` nodes, with the
/// `DefaultPreemption` post-filter message (`pkg/scheduler/framework/preemption/preemption.go`
/// `Evaluator.Preempt`, release-1.32): a pod with `preemptionPolicy: Never` is "not eligible";
/// else the nodes only a resolvable filter rejected go through the dry run and, having no
/// lower-priority pod to evict, report `No preemption victims found for incoming pod`
/// (`default_preemption.go` `SelectVictimsOnNode`), the rest `Preemption is not helpful for
/// scheduling` (the absent nodes' status).
pub fn fit_error_message(total: usize, rejections: &[Rejection], preempt_never: bool) -> String {
    if total == 0 {
        return "no nodes available to schedule pods".to_owned();
    }
    let filters = histogram(rejections.iter().flat_map(|r| r.reasons.iter().map(String::as_str)));
    let preemption = if preempt_never {
        "not eligible due to preemptionPolicy=Never.".to_owned()
    } else {
        let outcome = rejections.iter().map(|r| {
            if r.resolvable {
                "No preemption victims found for incoming pod"
            } else {
                "Preemption is not helpful for scheduling"
            }
        });
        format!("0/{total} nodes are available: {}.", histogram(outcome))
    };
    format!("0/{total} nodes are available: {filters}. preemption: {preemption}")
}

/// One scheduling attempt for `pod` over `nodes`; `usage(node)` is what the pods bound to a node
/// and not terminated take; `last_report` when this pod was last reported unschedulable (the
/// scheduling queue's memory), if since its last change of verdict.
pub fn sync(
    pod: &Pod,
    nodes: &[Node],
    usage: impl Fn(&str) -> NodeUsage,
    last_report: Option<Timestamp>,
    now: Timestamp,
) -> Sync {
    if !wants(pod) {
        return Sync::default();
    }
    let me = object_reference("Pod", "v1", &pod.metadata);
    let request = fit::pod_requests(&to_value(&pod.spec));
    let mut rejections = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for node in nodes {
        let name = node.metadata.name.as_deref().unwrap_or("");
        let used = usage(name);
        match filter(pod, request, node, &used) {
            Some(rejection) => rejections.push(rejection),
            None => {
                let candidate = (used.pods, name);
                if best.is_none_or(|b| candidate < b) {
                    best = Some(candidate);
                }
            }
        }
    }
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let pod_name = pod.metadata.name.as_deref().unwrap_or("");
    if let Some((_, node)) = best {
        let mut bound = pod.clone();
        bound.spec.get_or_insert_with(Default::default).node_name = Some(node.to_owned());
        return Sync {
            actions: vec![
                Action::Replace { kind: Kind::Pod, object: to_value(&bound) },
                // pkg/scheduler/schedule_one.go, the end of `bindingCycle`:
                // `Eventf(assumed, nil, Normal, "Scheduled", "Binding", ...)` (v1.32).
                events::action_v1(
                    &me,
                    component::SCHEDULER,
                    EventType::Normal,
                    "Scheduled",
                    "Binding",
                    format!("Successfully assigned {namespace}/{pod_name} to {node}"),
                    now,
                ),
            ],
            requeue_at: None,
        };
    }
    let never = pod.spec.as_ref().and_then(|s| s.preemption_policy.as_deref()) == Some("Never");
    let message = fit_error_message(nodes.len(), &rejections, never);
    let current = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled"));
    let same = current.filter(|c| {
        c.status == "False"
            && c.reason.as_deref() == Some("Unschedulable")
            && c.message.as_deref() == Some(&*message)
    });
    // Without the queue's memory (a restarted sandbox, a seeded pod), the verdict counts as
    // reported when it was reached.
    let reported =
        last_report.or_else(|| same.and_then(|c| c.last_transition_time.as_ref()).map(|t| t.0));
    if let Some(retry) = same.and(reported).map(|t| t + UNSCHEDULABLE_RETRY)
        && now < retry
    {
        // Same verdict, recently reported: wait for a node change or the periodic retry.
        return Sync { actions: Vec::new(), requeue_at: Some(retry) };
    }
    // schedule_one.go `handleSchedulingFailure`: `Eventf(pod, nil, Warning,
    // "FailedScheduling", "Scheduling", msg)` (v1.32).
    let event = events::action_v1(
        &me,
        component::SCHEDULER,
        EventType::Warning,
        "FailedScheduling",
        "Scheduling",
        message.clone(),
        now,
    );
    if same.is_some() {
        // `updatePod` (pkg/scheduler/schedule_one.go, v1.32) writes nothing when
        // `podutil.UpdatePodCondition` finds the condition unchanged: only the event.
        return Sync { actions: vec![event], requeue_at: Some(now + UNSCHEDULABLE_RETRY) };
    }
    // UpdatePodCondition (pkg/api/v1/pod/util.go) keeps the transition time while the status
    // stays the same (a new message only).
    let since = current
        .filter(|c| c.status == "False")
        .and_then(|c| c.last_transition_time.clone())
        .unwrap_or(Time(now));
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    conditions.retain(|c| c.type_ != "PodScheduled");
    // The scheduler's condition carries no probe time (`lastProbeTime: null`).
    conditions.push(PodCondition {
        type_: "PodScheduled".to_owned(),
        status: "False".to_owned(),
        reason: Some("Unschedulable".to_owned()),
        message: Some(message),
        last_transition_time: Some(since),
        last_probe_time: None,
        observed_generation: None,
    });
    Sync {
        actions: vec![Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) }, event],
        requeue_at: Some(now + UNSCHEDULABLE_RETRY),
    }
}

#[cfg(test)]
mod tests;
