//! Unit tests for the scheduler's filters and messages.

use super::*;
use serde_json::json;

fn node(name: &str, extra: serde_json::Value) -> Node {
    let mut n = json!({
        "metadata": {"name": name, "labels": {"kuul.dev/pool": "internal", "zone": "a"}},
        "status": {"conditions": [{"type": "Ready", "status": "True"}],
                   "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}
    });
    for (k, v) in extra.as_object().unwrap() {
        n[k] = v.clone();
    }
    serde_json::from_value(n).unwrap()
}

fn pod(spec: serde_json::Value) -> Pod {
    let mut s = json!({"containers": [{"name": "c"}]});
    for (k, v) in spec.as_object().unwrap() {
        s[k] = v.clone();
    }
    serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ops"}, "spec": s, "status": {"phase": "Pending"}})).unwrap()
}

fn now() -> Timestamp {
    "2025-06-01T09:00:00Z".parse().unwrap()
}

#[test]
fn binds_to_the_least_loaded_fitting_node() {
    let nodes = [
        node("a", json!({})),
        node("b", json!({})),
        node("c", json!({"spec": {"unschedulable": true}})),
    ];
    let usage = |n: &str| NodeUsage { pods: if n == "a" { 3 } else { 1 }, ..NodeUsage::default() };
    let sync = sync(&pod(json!({})), &nodes, usage, None, now());
    match &sync.actions[0] {
        Action::Replace { object, .. } => assert_eq!(object["spec"]["nodeName"], "b"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn taints_need_tolerations() {
    let tainted = node(
        "t",
        json!({"spec": {"taints": [{"key": "kuul.dev/pool", "value": "prod", "effect": "NoSchedule"}]}}),
    );
    assert_eq!(
        misfit(&pod(json!({})), &tainted).as_deref(),
        Some("node(s) had untolerated taint {kuul.dev/pool: prod}")
    );
    let equal = pod(
        json!({"tolerations": [{"key": "kuul.dev/pool", "operator": "Equal", "value": "prod", "effect": "NoSchedule"}]}),
    );
    assert_eq!(misfit(&equal, &tainted), None);
    let exists_all = pod(json!({"tolerations": [{"operator": "Exists"}]}));
    assert_eq!(misfit(&exists_all, &tainted), None);
    let wrong_value = pod(json!({"tolerations": [{"key": "kuul.dev/pool", "value": "dev"}]}));
    assert!(misfit(&wrong_value, &tainted).is_some());
    let not_ready =
        node("n", json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}}));
    assert_eq!(
        misfit(&pod(json!({})), &not_ready).as_deref(),
        Some("node(s) had untolerated taint {node.kubernetes.io/not-ready: }")
    );
}

#[test]
fn required_node_affinity_operators() {
    let n = node("x", json!({}));
    let affinity = |expr: serde_json::Value| {
        pod(
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [expr]}]}}}}),
        )
    };
    assert_eq!(
        misfit(&affinity(json!({"key": "zone", "operator": "In", "values": ["a", "b"]})), &n),
        None
    );
    assert!(
        misfit(&affinity(json!({"key": "zone", "operator": "NotIn", "values": ["a"]})), &n)
            .is_some()
    );
    assert_eq!(misfit(&affinity(json!({"key": "zone", "operator": "Exists"})), &n), None);
    assert!(misfit(&affinity(json!({"key": "gpu", "operator": "Exists"})), &n).is_some());
    assert_eq!(misfit(&affinity(json!({"key": "gpu", "operator": "DoesNotExist"})), &n), None);
    assert!(misfit(&pod(json!({"nodeSelector": {"kuul.dev/pool": "gpu"}})), &n).is_some());
}

#[test]
fn fit_error_message_counts_reasons_in_string_order() {
    let reasons = vec![
        Rejection::unresolvable(REASON_AFFINITY.to_owned()),
        Rejection::unresolvable(
            "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".to_owned(),
        ),
        Rejection::unresolvable(REASON_AFFINITY.to_owned()),
    ];
    assert_eq!(
        fit_error_message(3, &reasons, false),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
         2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: \
         3 Preemption is not helpful for scheduling."
    );
    assert_eq!(fit_error_message(0, &[], false), "no nodes available to schedule pods");
}

/// The verdict is written once (no `lastProbeTime`); a retry with the same verdict records
/// only the event (upstream's `updatePod` skips an unchanged condition).
#[test]
fn unschedulable_verdict_is_written_once() {
    let p = pod(json!({"nodeSelector": {"kuul.dev/pool": "gpu"}}));
    let nodes = [node("a", json!({}))];
    let first = sync(&p, &nodes, |_| NodeUsage::default(), None, now());
    assert_eq!(first.actions.len(), 2);
    let Action::ReplaceStatus { object, .. } = &first.actions[0] else { panic!() };
    let condition = &object["status"]["conditions"][0];
    assert_eq!(condition.get("lastProbeTime"), None, "{condition}");
    let written: Pod = serde_json::from_value(object.clone()).unwrap();
    let again = sync(&written, &nodes, |_| NodeUsage::default(), Some(now()), now());
    assert!(again.actions.is_empty());
    let retry = now() + SignedDuration::from_mins(5);
    assert_eq!(again.requeue_at, Some(retry));
    let retried = sync(&written, &nodes, |_| NodeUsage::default(), Some(now()), retry);
    assert_eq!(retried.actions.len(), 1);
    let Action::CreateEvent(event) = &retried.actions[0] else { panic!() };
    assert_eq!(event.reason.as_deref(), Some("FailedScheduling"));
    assert_eq!(event.action.as_deref(), Some("Scheduling"));
}

/// A container (or init container) requesting `cpu` millicores and `memory` bytes (0: none).
fn requesting(cpu: i64, memory: i64) -> serde_json::Value {
    let mut requests = serde_json::Map::new();
    if cpu > 0 {
        requests.insert("cpu".into(), format!("{cpu}m").into());
    }
    if memory > 0 {
        requests.insert("memory".into(), memory.to_string().into());
    }
    json!({"name": "c", "resources": {"requests": requests}})
}

/// upstream `TestEnoughRequests`, `TestNotEnoughRequests` and `TestStorageRequests`
/// (`pkg/scheduler/framework/plugins/noderesources/fit_test.go`, release-1.32): the node has
/// `makeAllocatableResources(10, 20, 32, 5, 20, 5)` (10m cpu, 20 bytes memory, 32 pods, 20 bytes
/// ephemeral-storage), one pod already on it using `used`. The extended-resource, hugepages and
/// ignored-resource cases are left out: the sandbox simulates cpu, memory, ephemeral-storage and
/// pods only. Rows marked "sandbox:" are ours (sidecar init containers, per
/// `resourcehelper.PodRequests`).
#[test]
fn node_resources_fit_cases_from_upstream() {
    type Row = (&'static str, serde_json::Value, (i64, i64), &'static [&'static str]);
    let pod = |containers: Vec<serde_json::Value>, init: Vec<serde_json::Value>| json!({"containers": containers, "initContainers": init});
    const CPU: &str = INSUFFICIENT_CPU;
    const MEMORY: &str = INSUFFICIENT_MEMORY;
    let rows: Vec<Row> = vec![
        ("no resources requested always fits", pod(vec![], vec![]), (10, 20), &[]),
        ("too many resources fails", pod(vec![requesting(1, 1)], vec![]), (10, 20), &[CPU, MEMORY]),
        (
            "too many resources fails due to init container cpu",
            pod(vec![requesting(1, 1)], vec![requesting(3, 1)]),
            (8, 19),
            &[CPU],
        ),
        (
            "too many resources fails due to highest init container cpu",
            pod(vec![requesting(1, 1)], vec![requesting(3, 1), requesting(2, 1)]),
            (8, 19),
            &[CPU],
        ),
        (
            "too many resources fails due to init container memory",
            pod(vec![requesting(1, 1)], vec![requesting(1, 3)]),
            (9, 19),
            &[MEMORY],
        ),
        (
            "too many resources fails due to highest init container memory",
            pod(vec![requesting(1, 1)], vec![requesting(1, 3), requesting(1, 2)]),
            (9, 19),
            &[MEMORY],
        ),
        (
            "init container fits because it's the max, not sum, of containers and init containers",
            pod(vec![requesting(1, 1)], vec![requesting(1, 1)]),
            (9, 19),
            &[],
        ),
        (
            "multiple init containers fit because it's the max, not sum, of containers and init containers",
            pod(vec![requesting(1, 1)], vec![requesting(1, 1), requesting(1, 1)]),
            (9, 19),
            &[],
        ),
        ("both resources fit", pod(vec![requesting(1, 1)], vec![]), (5, 5), &[]),
        ("one resource memory fits", pod(vec![requesting(2, 1)], vec![]), (9, 5), &[CPU]),
        ("one resource cpu fits", pod(vec![requesting(1, 2)], vec![]), (5, 19), &[MEMORY]),
        ("equal edge case", pod(vec![requesting(5, 1)], vec![]), (5, 19), &[]),
        (
            "equal edge case for init container",
            pod(vec![requesting(4, 1)], vec![requesting(5, 1)]),
            (5, 19),
            &[],
        ),
        (
            "skip checking resource request with quantity zero",
            pod(vec![requesting(1, 0)], vec![]),
            (1, 20),
            &[],
        ),
        (
            "resources + pod overhead fits",
            {
                let mut p = pod(vec![requesting(1, 1)], vec![]);
                p["overhead"] = json!({"cpu": "3m", "memory": "13"});
                p
            },
            (5, 5),
            &[],
        ),
        (
            "requests + overhead does not fit for memory",
            {
                let mut p = pod(vec![requesting(1, 1)], vec![]);
                p["overhead"] = json!({"cpu": "1m", "memory": "15"});
                p
            },
            (5, 5),
            &[MEMORY],
        ),
        // TestStorageRequests
        ("due to container scratch disk", pod(vec![requesting(1, 1)], vec![]), (10, 10), &[CPU]),
        ("pod fit", pod(vec![requesting(1, 1)], vec![]), (2, 10), &[]),
        (
            "storage ephemeral local storage request exceeds allocatable",
            pod(
                vec![json!({"name": "c", "resources": {"requests": {"ephemeral-storage": "25"}}})],
                vec![],
            ),
            (2, 2),
            &[INSUFFICIENT_EPHEMERAL_STORAGE],
        ),
        (
            "pod fits",
            pod(
                vec![json!({"name": "c", "resources": {"requests": {"ephemeral-storage": "10"}}})],
                vec![],
            ),
            (2, 2),
            &[],
        ),
        (
            "sandbox: a sidecar init container adds to the containers' sum",
            pod(
                vec![requesting(5, 1)],
                vec![{
                    let mut c = requesting(5, 1);
                    c["restartPolicy"] = json!("Always");
                    c
                }],
            ),
            (1, 1),
            &[CPU],
        ),
        (
            "sandbox: a later init container runs beside the sidecars before it",
            pod(
                vec![requesting(1, 1)],
                vec![
                    {
                        let mut c = requesting(2, 1);
                        c["restartPolicy"] = json!("Always");
                        c
                    },
                    requesting(7, 1),
                ],
            ),
            (2, 1),
            &[CPU],
        ),
    ];
    let allocatable =
        json!({"cpu": "10m", "memory": "20", "pods": "32", "ephemeral-storage": "20"});
    for (name, spec, (used_cpu, used_memory), want) in rows {
        let used = NodeUsage {
            pods: 1,
            requested: Resources { milli_cpu: used_cpu, memory: used_memory, ephemeral_storage: 0 },
        };
        let got = fit::insufficient(
            fit::pod_requests(&spec),
            |k| allocatable.get(k).and_then(serde_json::Value::as_str),
            &used,
        );
        assert_eq!(got, want, "{name}");
    }
    // TestNotEnoughRequests: a node for one pod, already holding one.
    let one = json!({"cpu": "10m", "memory": "20", "pods": "1"});
    let used = NodeUsage {
        pods: 1,
        requested: Resources { milli_cpu: 5, memory: 19, ..Default::default() },
    };
    for spec in [pod(vec![], vec![]), pod(vec![requesting(5, 1)], vec![requesting(5, 1)])] {
        let got = fit::insufficient(
            fit::pod_requests(&spec),
            |k| one.get(k).and_then(serde_json::Value::as_str),
            &used,
        );
        assert_eq!(got, [TOO_MANY_PODS]);
    }
}

use fit::{INSUFFICIENT_CPU, INSUFFICIENT_EPHEMERAL_STORAGE, INSUFFICIENT_MEMORY, TOO_MANY_PODS};

fn two_cpu_pod() -> Pod {
    pod(
        json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "2", "memory": "1Gi"}}}]}),
    )
}

#[test]
fn requests_are_fitted_to_allocatable_next_to_the_bound_pods() {
    let nodes = [node("a", json!({})), node("b", json!({}))];
    // a holds 3 of its 4 CPU; b holds 1 pod of 1 CPU: only b fits a 2-CPU pod.
    let usage = |n: &str| NodeUsage {
        pods: if n == "a" { 1 } else { 3 },
        requested: Resources {
            milli_cpu: if n == "a" { 3000 } else { 1000 },
            ..Resources::default()
        },
    };
    let sync = sync(&two_cpu_pod(), &nodes, usage, None, now());
    let Action::Replace { object, .. } = &sync.actions[0] else { panic!("{:?}", sync.actions) };
    assert_eq!(object["spec"]["nodeName"], "b");
}

#[test]
fn fit_error_message_names_resources_and_preemption_like_upstream() {
    let nodes = [
        node("a", json!({})),
        node("b", json!({})),
        node("c", json!({"metadata": {"name": "c", "labels": {"kuul.dev/pool": "other"}}})),
    ];
    let p = pod(json!({
        "nodeSelector": {"kuul.dev/pool": "internal"},
        "containers": [{"name": "c", "resources": {"requests": {"cpu": "2", "memory": "1Gi"}}}]
    }));
    let full = |_: &str| NodeUsage {
        pods: 2,
        requested: Resources { milli_cpu: 3000, ..Resources::default() },
    };
    let sync = sync(&p, &nodes, full, None, now());
    let Action::ReplaceStatus { object, .. } = &sync.actions[0] else { panic!() };
    let condition = &object["status"]["conditions"][0];
    assert_eq!(condition["reason"], "Unschedulable");
    assert_eq!(
        condition["message"],
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, \
         2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful \
         for scheduling, 2 No preemption victims found for incoming pod."
    );
    // Several short resources on one node each count; a full node says so.
    let r = |reasons: &[&str]| Rejection {
        reasons: reasons.iter().map(|s| (*s).to_owned()).collect(),
        resolvable: true,
    };
    assert_eq!(
        fit_error_message(
            2,
            &[r(&[INSUFFICIENT_CPU, INSUFFICIENT_MEMORY]), r(&[TOO_MANY_PODS])],
            false
        ),
        "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods. \
         preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    );
    assert_eq!(
        fit_error_message(1, &[r(&[INSUFFICIENT_CPU])], true),
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to \
         preemptionPolicy=Never."
    );
}

#[test]
fn a_node_without_allocatable_pods_takes_none() {
    let bare =
        node("bare", json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}));
    let got = filter(&pod(json!({})), Resources::default(), &bare, &NodeUsage::default());
    assert_eq!(got, Some(Rejection { reasons: vec![TOO_MANY_PODS.to_owned()], resolvable: true }));
}
