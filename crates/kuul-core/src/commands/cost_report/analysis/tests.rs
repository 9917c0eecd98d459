//! Costs with known requests, durations and prices on a fixed clock; projections against a hand
//! count of schedule instants.

use serde_json::{Value, json};

use super::*;
use crate::commands::cost_report::prices::{
    DEFAULT_CPU_PRICE, DEFAULT_GPU_PRICE, DEFAULT_MEMORY_PRICE, Prices, Rates,
};

const NOW: &str = "2025-03-01T10:00:00Z";
const FLAGS: Rates =
    Rates { cpu: DEFAULT_CPU_PRICE, memory: DEFAULT_MEMORY_PRICE, gpu: DEFAULT_GPU_PRICE };

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn cronjob(ns: &str, name: &str, schedule: &str, tz: Option<&str>) -> CronJobFacts {
    from(json!({"metadata": {"name": name, "namespace": ns, "uid": format!("cj-{ns}-{name}")},
        "spec": {"schedule": schedule, "timeZone": tz}}))
}

fn job(ns: &str, cronjob: &str, name: &str, start: &str) -> JobFacts {
    from(json!({"metadata": {"name": name, "namespace": ns, "uid": format!("job-{name}"),
        "ownerReferences": [{"uid": format!("cj-{ns}-{cronjob}"), "controller": true}]},
        "status": {"startTime": start}}))
}

fn pod(job: &str, node: &str, requests: Value, start: &str, finish: Option<&str>) -> PodFacts {
    let state = match finish {
        Some(f) => json!({"terminated": {"startedAt": start, "finishedAt": f}}),
        None => json!({"running": {"startedAt": start}}),
    };
    let phase = if finish.is_some() { "Succeeded" } else { "Running" };
    from(json!({"metadata": {"name": format!("{job}-pod"), "uid": format!("pod-{job}"),
            "ownerReferences": [{"uid": format!("job-{job}"), "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"resources": {"requests": requests}}]},
        "status": {"phase": phase, "containerStatuses": [{"state": state}]}}))
}

fn node(name: &str, pool: Option<&str>, cpu: &str, memory: &str, created: &str) -> NodeFacts {
    let labels = pool.map_or(json!({}), |p| json!({"kuul.dev/pool": p}));
    from(json!({"metadata": {"name": name, "labels": labels, "creationTimestamp": created},
        "status": {"capacity": {"cpu": cpu, "memory": memory},
                   "conditions": [{"type": "Ready", "status": "True"}]}}))
}

fn run(
    cronjobs: &[CronJobFacts],
    jobs: &[JobFacts],
    pods: &[PodFacts],
    nodes: &[NodeFacts],
    prices: &Prices,
) -> Analysis {
    analyse(&Inputs {
        cronjobs,
        jobs,
        pods,
        nodes,
        prices,
        pool_key: "kuul.dev/pool",
        now: now(),
        window: SignedDuration::from_hours(24),
    })
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} != {b}");
}

#[test]
fn costs_are_requests_times_run_time_times_prices() {
    let cjs = [cronjob("ops", "backup", "*/10 * * * *", None)];
    let jobs = [
        job("ops", "backup", "b1", "2025-03-01T09:00:00Z"),
        job("ops", "backup", "b2", "2025-03-01T09:10:00Z"),
        // Started before the 24h window: not counted.
        job("ops", "backup", "b0", "2025-02-27T09:00:00Z"),
        // Owned by something that is not a CronJob in the report: not periodic work.
        job("ops", "stranger", "s1", "2025-03-01T09:00:00Z"),
    ];
    let pods = [
        // 1 CPU, 2Gi for 10 minutes.
        pod(
            "b1",
            "n1",
            json!({"cpu": "1", "memory": "2Gi"}),
            "2025-03-01T09:00:00Z",
            Some("2025-03-01T09:10:00Z"),
        ),
        // 500m, 1Gi, still running: 09:10 -> now (50 minutes).
        pod("b2", "n1", json!({"cpu": "500m", "memory": "1Gi"}), "2025-03-01T09:10:00Z", None),
        pod("b0", "n1", json!({"cpu": "8"}), "2025-02-27T09:00:00Z", Some("2025-02-27T10:00:00Z")),
        pod("s1", "n1", json!({"cpu": "8"}), "2025-03-01T09:00:00Z", Some("2025-03-01T10:00:00Z")),
    ];
    let nodes = [node("n1", Some("batch"), "4", "16Gi", "2025-01-01T00:00:00Z")];
    let a = run(&cjs, &jobs, &pods, &nodes, &Prices::flat(FLAGS));
    let item = &a.items[0];
    let b1 = (1.0 * DEFAULT_CPU_PRICE + 2.0 * DEFAULT_MEMORY_PRICE) * (10.0 / 60.0);
    let b2 = (0.5 * DEFAULT_CPU_PRICE + 1.0 * DEFAULT_MEMORY_PRICE) * (50.0 / 60.0);
    assert_eq!(item.runs_observed, 2);
    assert_eq!(item.runs_costed, 2);
    close(item.observed_cost, b1 + b2);
    close(item.cost_per_run.unwrap(), (b1 + b2) / 2.0);
    close(item.average_duration_seconds.unwrap(), (600.0 + 3000.0) / 2.0);
    let req = item.requests.unwrap();
    close(req.cpu, 0.75);
    close(req.memory_gib, 1.5);
    // Every 10 minutes for 30 days: 6 x 24 x 30 instants.
    assert_eq!(item.runs_per_month, Some(4320));
    close(item.projected_monthly_cost.unwrap(), (b1 + b2) / 2.0 * 4320.0);
    assert_eq!(item.pools, ["batch"]);
    assert_eq!(a.pools.len(), 1);
    close(a.pools[0].observed_cost, b1 + b2);
    close(a.total.observed_cost, b1 + b2);

    // The pool's one node for the whole 24h window at default prices, against what ran there.
    let usage = &a.pool_usage[0];
    let node_hourly = 4.0 * DEFAULT_CPU_PRICE + 16.0 * DEFAULT_MEMORY_PRICE;
    close(usage.node_price_per_hour, node_hourly);
    close(usage.node_hours, 24.0);
    close(usage.node_cost, node_hourly * 24.0);
    close(usage.used_cost, b1 + b2);
    close(usage.idle_cost, node_hourly * 24.0 - (b1 + b2));
    close(usage.utilisation_percent.unwrap(), (b1 + b2) / (node_hourly * 24.0) * 100.0);
}

#[test]
fn node_price_from_the_file_is_shared_out_by_requests() {
    let text = "pools:\n  gpu:\n    node: 2.0\n";
    let prices = Prices::from_file_text("p.yaml", text, FLAGS).unwrap();
    let cjs = [cronjob("ml", "train", "0 * * * *", None)];
    let jobs = [job("ml", "train", "t1", "2025-03-01T08:00:00Z")];
    // Half the node's CPU and memory for one hour: half the node price.
    let pods = [pod(
        "t1",
        "g1",
        json!({"cpu": "4", "memory": "16Gi"}),
        "2025-03-01T08:00:00Z",
        Some("2025-03-01T09:00:00Z"),
    )];
    // Node created 12h ago: 12 node-hours in the window.
    let nodes = [node("g1", Some("gpu"), "8", "32Gi", "2025-02-28T22:00:00Z")];
    let a = run(&cjs, &jobs, &pods, &nodes, &prices);
    close(a.items[0].observed_cost, 1.0);
    close(a.items[0].projected_monthly_cost.unwrap(), 720.0);
    let usage = &a.pool_usage[0];
    close(usage.node_hours, 12.0);
    close(usage.node_cost, 24.0);
    close(usage.utilisation_percent.unwrap(), 1.0 / 24.0 * 100.0);
}

#[test]
fn projections_count_schedule_instants_in_the_time_zone() {
    // (2025-03-01T10:00Z, 2025-03-31T10:00Z]: 02:00 on March 2..31 is 30 instants in UTC; in New
    // York 02:00 on March 9 falls in the spring-forward gap and is skipped (robfig), so 29.
    let cjs = [
        cronjob("ops", "utc", "0 2 * * *", None),
        cronjob("ops", "ny", "0 2 * * *", Some("America/New_York")),
        cronjob("ops", "broken", "not a schedule", None),
    ];
    let a = run(&cjs, &[], &[], &[], &Prices::flat(FLAGS));
    let by_name = |n: &str| a.items.iter().find(|i| i.name == n).unwrap();
    assert_eq!(by_name("utc").runs_per_month, Some(30));
    assert_eq!(by_name("ny").runs_per_month, Some(29));
    assert_eq!(by_name("broken").runs_per_month, None);
    assert!(by_name("broken").note.as_deref().unwrap().contains("does not parse"));
    // No runs observed: nothing to project from, and it says so.
    assert_eq!(by_name("utc").projected_monthly_cost, None);
    assert_eq!(by_name("utc").runs_costed, 0);
    assert_eq!(a.total.cronjobs_without_projection, 3);
}

#[test]
fn suspended_cronjobs_project_nothing() {
    let mut cj = cronjob("ops", "paused", "*/5 * * * *", None);
    cj.spec.suspend = Some(true);
    let jobs = [job("ops", "paused", "p1", "2025-03-01T09:00:00Z")];
    let pods = [pod(
        "p1",
        "n1",
        json!({"cpu": "1"}),
        "2025-03-01T09:00:00Z",
        Some("2025-03-01T09:01:00Z"),
    )];
    let a = run(&[cj], &jobs, &pods, &[], &Prices::flat(FLAGS));
    assert_eq!(a.items[0].projected_monthly_cost, Some(0.0));
    assert_eq!(a.items[0].runs_per_month, Some(8640));
    // The pod's node is unknown: pool <none>, default prices.
    assert_eq!(a.items[0].pools, [NO_POOL]);
    close(a.items[0].observed_cost, DEFAULT_CPU_PRICE / 60.0);
}

#[test]
fn totals_by_namespace_and_pool_split_a_cronjob_across_pools() {
    let cjs = [cronjob("a", "x", "0 0 * * *", None), cronjob("b", "y", "0 0 * * *", None)];
    let jobs = [
        job("a", "x", "x1", "2025-03-01T01:00:00Z"),
        job("a", "x", "x2", "2025-03-01T02:00:00Z"),
        job("b", "y", "y1", "2025-03-01T03:00:00Z"),
    ];
    let hour = |j: &str, n: &str, h: u32| {
        pod(
            j,
            n,
            json!({"cpu": "1"}),
            &format!("2025-03-01T0{h}:00:00Z"),
            Some(&format!("2025-03-01T0{}:00:00Z", h + 1)),
        )
    };
    let pods = [hour("x1", "p1", 1), hour("x2", "p2", 2), hour("y1", "p2", 3)];
    let nodes = [
        node("p1", Some("one"), "1", "1Gi", "2025-01-01T00:00:00Z"),
        node("p2", Some("two"), "1", "1Gi", "2025-01-01T00:00:00Z"),
    ];
    let a = run(&cjs, &jobs, &pods, &nodes, &Prices::flat(FLAGS));
    let c = DEFAULT_CPU_PRICE;
    assert_eq!(a.namespaces.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    close(a.namespaces[0].observed_cost, 2.0 * c);
    close(a.namespaces[0].projected_monthly_cost, c * 30.0);
    let one = a.pools.iter().find(|g| g.name == "one").unwrap();
    let two = a.pools.iter().find(|g| g.name == "two").unwrap();
    close(one.observed_cost, c);
    close(two.observed_cost, 2.0 * c);
    // x's projection (30 runs x c) splits half and half; y's (30 x c) is all in "two".
    close(one.projected_monthly_cost, 15.0 * c);
    close(two.projected_monthly_cost, 45.0 * c);
    close(a.total.projected_monthly_cost, 60.0 * c);
    assert_eq!(a.total.cronjobs, 2);
}

#[test]
fn an_empty_cluster_costs_nothing() {
    let a = run(&[], &[], &[], &[], &Prices::flat(FLAGS));
    assert!(a.items.is_empty() && a.pools.is_empty() && a.pool_usage.is_empty());
    assert_eq!(a.total.cronjobs, 0);
    assert_eq!(a.total.observed_cost, 0.0);
}
