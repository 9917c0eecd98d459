//! Unit tests for the scheduler's filters and messages.

use super::*;
use serde_json::json;

fn node(name: &str, extra: serde_json::Value) -> Node {
    let mut n = json!({
        "metadata": {"name": name, "labels": {"kuul.dev/pool": "internal", "zone": "a"}},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}
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
    let sync = sync(&pod(json!({})), &nodes, |n| if n == "a" { 3 } else { 1 }, now());
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
        REASON_AFFINITY.to_owned(),
        "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".to_owned(),
        REASON_AFFINITY.to_owned(),
    ];
    assert_eq!(
        fit_error_message(3, &reasons),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
         2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: \
         3 Preemption is not helpful for scheduling."
    );
    assert_eq!(fit_error_message(0, &[]), "no nodes available to schedule pods");
}

#[test]
fn unschedulable_verdict_is_written_once() {
    let p = pod(json!({"nodeSelector": {"kuul.dev/pool": "gpu"}}));
    let nodes = [node("a", json!({}))];
    let first = sync(&p, &nodes, |_| 0, now());
    assert_eq!(first.actions.len(), 2);
    let Action::ReplaceStatus { object, .. } = &first.actions[0] else { panic!() };
    let written: Pod = serde_json::from_value(object.clone()).unwrap();
    let again = sync(&written, &nodes, |_| 0, now());
    assert!(again.actions.is_empty());
    let retry = now() + SignedDuration::from_mins(5);
    assert_eq!(again.requeue_at, Some(retry));
    assert_eq!(sync(&written, &nodes, |_| 0, retry).actions.len(), 2);
}
