//! The assembled forecast on fixed inputs: pools from placement, durations from history, the
//! resource-fit queue and the peaks.

use super::*;
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn node(name: &str, pool: &str, cpu: &str) -> NodeFacts {
    serde_json::from_value(json!({"metadata": {"name": name, "labels": {"kuul.dev/pool": pool}},
        "status": {"allocatable": {"cpu": cpu, "memory": "16Gi", "pods": "110"},
                   "conditions": [{"type": "Ready", "status": "True"}]}}))
    .unwrap()
}

fn cronjob(name: &str, schedule: &str, pool: &str, cpu: &str) -> CronJobFacts {
    serde_json::from_value(json!({"metadata": {"name": name, "namespace": "ops", "uid": name},
        "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
            "nodeSelector": {"kuul.dev/pool": pool},
            "containers": [{"resources": {"limits": {"cpu": cpu, "memory": "1Gi"}}}]}}}}}}))
    .unwrap()
}

fn job(owner: &str, start: &str, end: &str) -> JobFacts {
    serde_json::from_value(json!({"metadata": {"name": format!("{owner}-x"), "namespace": "ops",
        "ownerReferences": [{"kind": "CronJob", "name": owner, "uid": owner, "controller": true}]},
        "status": {"startTime": start, "completionTime": end}}))
    .unwrap()
}

fn inputs<'a>(
    cronjobs: &'a [CronJobFacts],
    jobs: &'a [JobFacts],
    nodes: &'a [NodeFacts],
    overrides: &'a HashMap<String, String>,
) -> Inputs<'a> {
    Inputs {
        cronjobs,
        jobs,
        nodes,
        pods: &[],
        pool_key: "kuul.dev/pool",
        from: ts("2025-03-01T10:00:00Z"),
        to: ts("2025-03-01T12:00:00Z"),
        include_suspended: false,
        assume_duration: None,
        default_duration: SignedDuration::from_mins(1),
        schedule_overrides: overrides,
    }
}

#[test]
fn three_two_cpu_jobs_on_a_four_cpu_pool_leave_one_waiting_each_hour() {
    let nodes = [node("batch-1", "batch", "4"), node("web-1", "web", "8")];
    let cronjobs = [
        cronjob("a", "0 * * * *", "batch", "2"),
        cronjob("b", "0 * * * *", "batch", "2"),
        cronjob("c", "0 * * * *", "batch", "2"),
        cronjob("legacy", "*/0 * * * *", "batch", "1"),
    ];
    // a ran 4, 6 and 10 minutes: median 6 minutes; b and c have no history (1 minute).
    let jobs = [
        job("a", "2025-03-01T07:00:00Z", "2025-03-01T07:04:00Z"),
        job("a", "2025-03-01T08:00:00Z", "2025-03-01T08:06:00Z"),
        job("a", "2025-03-01T09:00:00Z", "2025-03-01T09:10:00Z"),
    ];
    let none = HashMap::new();
    let a = analyse(&inputs(&cronjobs, &jobs, &nodes, &none));
    let by = |n: &str| a.cronjobs.iter().find(|c| c.name == n).unwrap();
    assert_eq!(by("a").expected_duration_seconds, 360);
    assert_eq!(by("a").duration_source, DurationSource::History);
    assert_eq!(by("b").duration_source, DurationSource::Default);
    assert_eq!(by("a").starts, 2);
    assert_eq!(by("a").pool, "batch");
    assert!(by("legacy").never_fires.as_deref().unwrap().starts_with("unparseable schedule"));
    let batch = a.pools.iter().find(|p| p.name == "batch").unwrap();
    assert_eq!(batch.nodes, 1);
    // At 10:00 and 11:00 a and b fit (4 CPU), c waits until b ends a minute later.
    assert_eq!(batch.waiting_pods, 2);
    assert_eq!(batch.max_wait_seconds, 60);
    assert_eq!(batch.over_capacity_minutes, 2);
    assert_eq!(batch.first_pressure, Some(ts("2025-03-01T10:00:00Z")));
    let s = &a.series["batch"];
    assert_eq!(s.starts[0], 3);
    assert!((s.cpu[0] - 6.0).abs() < 1e-9);
    assert_eq!(s.pending[0], 1);
    assert_eq!(s.pending[1], 0);
    let peaks = a.peaks(ts("2025-03-01T10:00:00Z"), 5);
    assert_eq!(peaks[0].minute, ts("2025-03-01T10:00:00Z"));
    assert_eq!(peaks[0].waiting_pods, 1);
    assert!(peaks[0].over_capacity);
    assert_eq!(peaks[0].causes.len(), 3);
    assert_eq!(a.starts.iter().sum::<u32>(), 6);
}

#[test]
fn a_selector_no_node_matches_counts_in_its_pool_with_no_capacity() {
    let nodes = [node("batch-1", "batch", "4")];
    let cronjobs = [cronjob("gpu", "30 10 * * *", "gpu", "1")];
    let none = HashMap::new();
    let a = analyse(&inputs(&cronjobs, &[], &nodes, &none));
    let gpu = a.pools.iter().find(|p| p.name == "gpu").unwrap();
    assert_eq!(gpu.nodes, 0);
    assert_eq!(gpu.waiting_pods, 1);
    assert_eq!(gpu.never_scheduled_pods, 1);
    assert_eq!(gpu.first_pressure, Some(ts("2025-03-01T10:30:00Z")));
}

#[test]
fn overrides_and_suspension() {
    let nodes = [node("batch-1", "batch", "4")];
    let mut cronjobs = [cronjob("a", "0 * * * *", "batch", "1")];
    cronjobs[0].spec.suspend = Some(true);
    let overrides = HashMap::from([("ops/a".to_owned(), "*/30 * * * *".to_owned())]);
    let mut i = inputs(&cronjobs, &[], &nodes, &overrides);
    let a = analyse(&i);
    assert_eq!(a.cronjobs[0].starts, 0);
    assert!(a.cronjobs[0].never_fires.as_deref().unwrap().starts_with("suspended"));
    i.include_suspended = true;
    let a = analyse(&i);
    assert_eq!(a.cronjobs[0].starts, 4);
    assert_eq!(a.cronjobs[0].schedule, "*/30 * * * *");
}

fn pod(name: &str, node: &str, phase: &str, cpu: &str, owner: Option<(&str, &str)>) -> PodFacts {
    let owners: Vec<serde_json::Value> = owner
        .map(|(kind, uid)| json!({"kind": kind, "name": uid, "uid": uid, "controller": true}))
        .into_iter()
        .collect();
    serde_json::from_value(json!({"metadata": {"name": name, "namespace": "kube-system",
            "ownerReferences": owners},
        "spec": {"nodeName": node, "containers": [{"resources": {"requests": {"cpu": cpu, "memory": "1Gi"}}}]},
        "status": {"phase": phase}}))
    .unwrap()
}

#[test]
fn other_workloads_take_their_requests_off_the_nodes_they_are_bound_to() {
    let nodes = [node("batch-1", "batch", "4"), node("web-1", "web", "8")];
    let cronjobs =
        [cronjob("a", "0 * * * *", "batch", "2"), cronjob("b", "0 * * * *", "batch", "2")];
    // A run of `a` now (its Job is owned by a), which the forecast models itself.
    let mut jobs = vec![job("a", "2025-03-01T07:00:00Z", "2025-03-01T07:04:00Z")];
    let running: JobFacts = serde_json::from_value(json!({"metadata": {"name": "a-now",
        "namespace": "ops", "uid": "a-now",
        "ownerReferences": [{"kind": "CronJob", "name": "a", "uid": "a", "controller": true}]},
        "status": {"startTime": "2025-03-01T09:59:00Z"}}))
    .unwrap();
    jobs.push(running);
    let pods = [
        pod("agent-x", "batch-1", "Running", "500m", Some(("DaemonSet", "ds"))),
        pod("web-7", "batch-1", "Running", "500m", Some(("ReplicaSet", "rs"))),
        pod("bare", "batch-1", "Pending", "250m", None),
        pod("a-now-p", "batch-1", "Running", "2", Some(("Job", "a-now"))),
        pod("done", "batch-1", "Succeeded", "3", Some(("Job", "other"))),
        pod("web-8", "web-1", "Running", "4", Some(("ReplicaSet", "rs"))),
    ];
    let none = HashMap::new();
    let a = analyse(&Inputs { pods: &pods, ..inputs(&cronjobs, &jobs, &nodes, &none) });
    let batch = a.pools.iter().find(|p| p.name == "batch").unwrap();
    assert_eq!(batch.allocatable_cpu, 4.0);
    assert_eq!(
        batch.other_workloads,
        OtherWorkloads { pods: 3, cpu: 1.25, memory_gib: 3.0 },
        "the run of a and the finished pod are not subtracted"
    );
    assert!((batch.free_cpu - 2.75).abs() < 1e-9, "{}", batch.free_cpu);
    assert_eq!(batch.free_pods, 107);
    // 2.75 CPU left: at 10:00 and 11:00 only one of a and b fits at once, the other waits.
    assert_eq!(batch.waiting_pods, 2);
    // Without the other pods both fit.
    let free = analyse(&inputs(&cronjobs, &jobs, &nodes, &none));
    assert_eq!(free.pools.iter().find(|p| p.name == "batch").unwrap().waiting_pods, 0);
}
