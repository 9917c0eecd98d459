//! Pools, targeting and problems against hand-built nodes and CronJobs.

use serde_json::{Value, json};

use super::*;

const KEY: &str = "kuul.dev/pool";

fn node(name: &str, pool: Option<&str>, ready: bool, cordoned: bool, taints: Value) -> NodeFacts {
    let labels = pool.map_or(json!({}), |p| json!({KEY: p}));
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels},
        "spec": {"unschedulable": cordoned, "taints": taints},
        "status": {"conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"}}],
                   "allocatable": {"cpu": "3920m", "memory": "15Gi"}}
    }))
    .unwrap()
}

fn cronjob(name: &str, pod_spec: Value) -> CronJobPlacement {
    serde_json::from_value(json!({"metadata": {"name": name, "namespace": "ops"},
        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": pod_spec}}}}}))
    .unwrap()
}

fn nodes() -> Vec<NodeFacts> {
    vec![
        node("batch-1", Some("batch"), true, false, json!([])),
        node("batch-2", Some("batch"), false, false, json!([])),
        node(
            "gpu-1",
            Some("gpu"),
            true,
            false,
            json!([{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]),
        ),
        node("idle-1", Some("idle"), true, true, json!([])),
        node("plain-1", None, true, false, json!([])),
    ]
}

#[test]
fn pools_group_nodes_and_count_states() {
    let all = nodes();
    let l = listing(&all, &all, &[], KEY, None);
    let names: Vec<&str> = l.pools.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, [NO_POOL, "batch", "gpu", "idle"]);
    let batch = &l.pools[1];
    assert_eq!(batch.nodes.len(), 2);
    assert_eq!((batch.ready_nodes, batch.not_ready_nodes, batch.cordoned_nodes), (1, 1, 0));
    assert_eq!(batch.schedulable_nodes, 1);
    assert!((batch.allocatable_cpu - 7.84).abs() < 1e-9);
    assert!((batch.allocatable_memory_gib - 30.0).abs() < 1e-9);
    assert_eq!(l.pools[3].cordoned_nodes, 1);
    assert_eq!(l.pools[2].taints[0].to_string(), "dedicated=gpu:NoSchedule");
}

#[test]
fn cronjobs_target_pools_by_selector_or_affinity() {
    let all = nodes();
    let cjs = [
        cronjob("by-selector", json!({"nodeSelector": {KEY: "batch"}})),
        cronjob(
            "by-affinity",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms": [{"matchExpressions": [{"key": KEY, "operator": "In", "values": ["gpu"]}]}]}}},
            "tolerations": [{"key": "dedicated", "operator": "Exists"}]}),
        ),
        cronjob("anywhere", json!({})),
    ];
    let l = listing(&all, &all, &cjs, KEY, None);
    let batch = l.pools.iter().find(|p| p.name == "batch").unwrap();
    assert_eq!(batch.cronjobs, ["ops/by-selector"]);
    let gpu = l.pools.iter().find(|p| p.name == "gpu").unwrap();
    assert_eq!(gpu.cronjobs, ["ops/by-affinity"]);
    let anywhere = l.cronjobs.iter().find(|c| c.name == "anywhere").unwrap();
    assert!(anywhere.pools.is_empty() && anywhere.placeable);
    // Every CronJob here can be placed; the only problem is the idle pool.
    let kinds: Vec<_> = l.problems.iter().map(|p| (p.type_, p.pool.clone())).collect();
    assert_eq!(kinds, [(ProblemType::NoCronJobs, Some("idle".to_owned()))]);
}

#[test]
fn unplaceable_and_untolerated_cronjobs_are_problems() {
    let all = nodes();
    let cjs = [
        // Only cordoned nodes match.
        cronjob("cordoned-only", json!({"nodeSelector": {KEY: "idle"}})),
        // Targets gpu without tolerating its taint.
        cronjob("no-toleration", json!({"nodeSelector": {KEY: "gpu"}})),
        // Matches nothing at all.
        cronjob("typo", json!({"nodeSelector": {KEY: "bacth"}})),
    ];
    let l = listing(&all, &all, &cjs, KEY, None);
    let get = |n: &str| l.cronjobs.iter().find(|c| c.name == n).unwrap();
    assert!(!get("cordoned-only").placeable);
    assert_eq!(
        get("cordoned-only").reason.as_deref(),
        Some(
            "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, \
              1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, \
              1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector."
        )
    );
    assert!(!get("no-toleration").placeable);
    assert!(!get("typo").placeable && get("typo").pools.is_empty());
    let untolerated: Vec<&Problem> =
        l.problems.iter().filter(|p| p.type_ == ProblemType::UntoleratedTaint).collect();
    assert_eq!(untolerated.len(), 1);
    assert_eq!(
        untolerated[0].message,
        "cronjob ops/no-toleration targets pool gpu but does not tolerate its taint dedicated=gpu:NoSchedule"
    );
    let unplaceable = l.problems.iter().filter(|p| p.type_ == ProblemType::Unplaceable).count();
    assert_eq!(unplaceable, 3);
}

#[test]
fn a_not_ready_pool_leaves_its_cronjobs_pending() {
    let all = vec![node("b", Some("batch"), false, false, json!([]))];
    let cjs = [cronjob("nightly", json!({"nodeSelector": {KEY: "batch"}}))];
    let l = listing(&all, &all, &cjs, KEY, None);
    assert!(!l.cronjobs[0].placeable);
    assert!(l.problems[0].message.contains("node.kubernetes.io/not-ready"));
}

#[test]
fn an_empty_cluster_lists_nothing_and_every_constrained_cronjob_is_unplaceable() {
    let cjs = [cronjob("x", json!({"nodeSelector": {KEY: "batch"}})), cronjob("y", json!({}))];
    let l = listing(&[], &[], &cjs, KEY, None);
    assert!(l.pools.is_empty());
    assert!(l.cronjobs.iter().all(|c| !c.placeable));
    assert_eq!(l.cronjobs[0].reason.as_deref(), Some("0/0 nodes are available."));
}

#[test]
fn one_pool_can_be_listed_alone() {
    let all = nodes();
    let cjs = [
        cronjob("x", json!({"nodeSelector": {KEY: "batch"}})),
        cronjob("t", json!({"nodeSelector": {KEY: "nope"}})),
    ];
    let l = listing(&all, &all, &cjs, KEY, Some("batch"));
    assert_eq!(l.pools.len(), 1);
    assert!(l.problems.is_empty(), "{:?}", l.problems);
}
