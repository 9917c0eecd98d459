//! Placement decisions against hand-built nodes, one scheduler filter at a time.

use serde_json::json;

use super::*;

fn node(value: serde_json::Value) -> NodeFacts {
    serde_json::from_value(value).unwrap()
}

fn ready_node(name: &str, labels: serde_json::Value) -> NodeFacts {
    node(json!({
        "metadata": {"name": name, "labels": labels},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}
    }))
}

fn placement(value: serde_json::Value) -> Placement {
    serde_json::from_value(value).unwrap()
}

#[test]
fn node_selector_needs_every_label() {
    let n = ready_node("n1", json!({"pool": "batch", "zone": "a"}));
    assert!(placement(json!({"nodeSelector": {"pool": "batch"}})).selects(&n));
    assert!(placement(json!({"nodeSelector": {"pool": "batch", "zone": "a"}})).selects(&n));
    assert!(!placement(json!({"nodeSelector": {"pool": "batch", "zone": "b"}})).selects(&n));
    assert!(!placement(json!({"nodeSelector": {"gpu": "true"}})).selects(&n));
    assert!(placement(json!({})).selects(&n));
}

#[test]
fn required_affinity_terms_are_ored_and_expressions_anded() {
    let n = ready_node("n1", json!({"pool": "batch", "cores": "8"}));
    let affinity = |terms: serde_json::Value| {
        placement(json!({"affinity": {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}}))
    };
    assert!(
        affinity(json!([{"matchExpressions": [{"key": "pool", "operator": "In", "values": ["batch", "x"]}]}]))
            .selects(&n)
    );
    assert!(
        !affinity(json!([{"matchExpressions": [
            {"key": "pool", "operator": "In", "values": ["batch"]},
            {"key": "cores", "operator": "Gt", "values": ["8"]}]}]))
        .selects(&n)
    );
    assert!(
        affinity(json!([
            {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["other"]}]},
            {"matchExpressions": [{"key": "cores", "operator": "Lt", "values": ["9"]}]}]))
        .selects(&n)
    );
    // An empty term matches nothing; NotIn and DoesNotExist match absent labels.
    assert!(!affinity(json!([{}])).selects(&n));
    assert!(
        affinity(
            json!([{"matchExpressions": [{"key": "gpu", "operator": "NotIn", "values": ["x"]}]}])
        )
        .selects(&n)
    );
    assert!(
        affinity(json!([{"matchExpressions": [{"key": "gpu", "operator": "DoesNotExist"}]}]))
            .selects(&n)
    );
    assert!(
        !affinity(json!([{"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}]))
            .selects(&n)
    );
    // matchFields on metadata.name.
    assert!(
        affinity(
            json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}])
        )
        .selects(&n)
    );
    assert!(
        !affinity(
            json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n2"]}]}])
        )
        .selects(&n)
    );
}

#[test]
fn tolerations_follow_upstream_tolerates_taint() {
    let taint =
        Taint { key: "dedicated".into(), value: Some("gpu".into()), effect: "NoSchedule".into() };
    let t = |v: serde_json::Value| serde_json::from_value::<Toleration>(v).unwrap();
    assert!(t(json!({"key": "dedicated", "value": "gpu"})).tolerates(&taint));
    assert!(
        t(json!({"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}))
            .tolerates(&taint)
    );
    assert!(!t(json!({"key": "dedicated", "value": "cpu"})).tolerates(&taint));
    assert!(t(json!({"key": "dedicated", "operator": "Exists"})).tolerates(&taint));
    assert!(t(json!({"operator": "Exists"})).tolerates(&taint));
    assert!(
        !t(json!({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}))
            .tolerates(&taint)
    );
    assert!(!t(json!({"key": "other", "operator": "Exists"})).tolerates(&taint));
}

#[test]
fn misfit_reports_the_first_failing_filter() {
    let cordoned = node(json!({
        "metadata": {"name": "c", "labels": {"pool": "batch"}},
        "spec": {"unschedulable": true, "taints": [{"key": "dedicated", "value": "batch", "effect": "NoSchedule"}]},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}
    }));
    let p = placement(json!({"nodeSelector": {"pool": "other"}}));
    assert_eq!(p.misfit(&cordoned), Some(Misfit::Unschedulable));
    // Tolerating the unschedulable taint moves on to the next filter.
    let p = placement(json!({"nodeSelector": {"pool": "other"}, "tolerations": [
        {"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}]}));
    assert!(matches!(p.misfit(&cordoned), Some(Misfit::Taint(t)) if t.key == "dedicated"));
    let p = placement(
        json!({"nodeSelector": {"pool": "other"}, "tolerations": [{"operator": "Exists"}]}),
    );
    assert_eq!(p.misfit(&cordoned), Some(Misfit::Selector));
    let p = placement(
        json!({"nodeSelector": {"pool": "batch"}, "tolerations": [{"operator": "Exists"}]}),
    );
    assert_eq!(p.misfit(&cordoned), None);
}

#[test]
fn not_ready_nodes_repel_pods_that_do_not_tolerate_it() {
    let n = node(
        json!({"metadata": {"name": "n"}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}}),
    );
    assert!(!n.ready());
    assert!(
        matches!(placement(json!({})).misfit(&n), Some(Misfit::Taint(t)) if t.key == TAINT_NOT_READY)
    );
    let tolerant =
        placement(json!({"tolerations": [{"key": TAINT_NOT_READY, "operator": "Exists"}]}));
    assert_eq!(tolerant.misfit(&n), None);
    // PreferNoSchedule never filters.
    let soft = node(
        json!({"metadata": {"name": "s"}, "spec": {"taints": [{"key": "k", "effect": "PreferNoSchedule"}]},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
    );
    assert_eq!(placement(json!({})).misfit(&soft), None);
}

#[test]
fn fit_error_reads_like_the_scheduler() {
    let taint =
        Taint { key: "dedicated".into(), value: Some("gpu".into()), effect: "NoSchedule".into() };
    let text = fit_error(3, &[Misfit::Selector, Misfit::Taint(taint), Misfit::Selector]);
    assert_eq!(
        text,
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, \
         2 node(s) didn't match Pod's node affinity/selector."
    );
    assert_eq!(fit_error(0, &[]), "0/0 nodes are available.");
}

#[test]
fn taints_print_like_kubectl() {
    let t =
        Taint { key: "dedicated".into(), value: Some("gpu".into()), effect: "NoSchedule".into() };
    assert_eq!(t.to_string(), "dedicated=gpu:NoSchedule");
    let t = Taint { key: "k".into(), value: None, effect: "NoExecute".into() };
    assert_eq!(t.to_string(), "k:NoExecute");
}
