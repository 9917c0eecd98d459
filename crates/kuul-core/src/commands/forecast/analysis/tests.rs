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
        now: ts("2025-03-01T10:00:00Z"),
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
    // A run of `a` now (its Job is owned by a), which the forecast models itself: not an
    // other workload, but an active run holding its pods until its expected end.
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
    // 2.75 CPU left, and the run of `a` active since 09:59 holds 2 of them until 10:03 (its
    // 4-minute median): at 10:00 both a and b wait, a until 10:03, b until a ends at 10:07; at
    // 11:00 one of them waits.
    assert_eq!(batch.waiting_pods, 3);
    assert_eq!(batch.active_runs, 1);
    // Without the other pods only b waits at 10:00, until the active run ends at 10:03.
    let free = analyse(&inputs(&cronjobs, &jobs, &nodes, &none));
    let batch = free.pools.iter().find(|p| p.name == "batch").unwrap();
    assert_eq!((batch.waiting_pods, batch.max_wait_seconds), (1, 180));
}

/// A Job of `owner` started at `start` and not finished, uid `{owner}-now`.
fn running(owner: &str, start: &str) -> JobFacts {
    serde_json::from_value(json!({"metadata": {"name": format!("{owner}-now"), "namespace": "ops",
        "uid": format!("{owner}-now"),
        "ownerReferences": [{"kind": "CronJob", "name": owner, "uid": owner, "controller": true}]},
        "status": {"startTime": start, "active": 1}}))
    .unwrap()
}

#[test]
fn a_run_active_at_the_window_start_holds_its_pods_until_its_expected_end() {
    // batch-1 has 4 CPU. `a` (2 CPU, runs take 6 minutes) has been running since 09:57: it
    // holds 2 CPU until 09:57 + 6m = 10:03. b and c (2 CPU, 5 minutes) start at 10:00: b fits,
    // c waits until 10:03 and runs to 10:08.
    let nodes = [node("batch-1", "batch", "4")];
    let cronjobs = [
        cronjob("a", "30 * * * *", "batch", "2"),
        cronjob("b", "0 * * * *", "batch", "2"),
        cronjob("c", "0 * * * *", "batch", "2"),
    ];
    let jobs = [
        job("a", "2025-03-01T08:30:00Z", "2025-03-01T08:36:00Z"),
        job("b", "2025-03-01T09:00:00Z", "2025-03-01T09:05:00Z"),
        job("c", "2025-03-01T09:00:00Z", "2025-03-01T09:05:00Z"),
        running("a", "2025-03-01T09:57:00Z"),
    ];
    let none = HashMap::new();
    let a = analyse(&inputs(&cronjobs, &jobs, &nodes, &none));
    let by = |n: &str| a.cronjobs.iter().find(|c| c.name == n).unwrap();
    assert_eq!((by("a").active_runs, by("a").runs, by("a").starts), (1, 2, 2));
    assert_eq!(by("a").expected_duration_seconds, 360);
    let batch = a.pools.iter().find(|p| p.name == "batch").unwrap();
    assert_eq!((batch.runs, batch.active_runs), (6, 1));
    assert_eq!(batch.waiting_pods, 1, "{batch:?}");
    assert_eq!(batch.max_wait_seconds, 180);
    assert_eq!(batch.over_capacity_minutes, 3);
    let s = &a.series["batch"];
    // The active run is no start of the window.
    assert_eq!(&s.starts[..4], &[2, 0, 0, 0]);
    assert_eq!(&s.pending[..4], &[1, 1, 1, 0]);
    assert_eq!(&s.pods[..9], &[3, 3, 3, 2, 2, 1, 1, 1, 0]);
    assert!((s.cpu[0] - 6.0).abs() < 1e-9 && (s.cpu[3] - 4.0).abs() < 1e-9);
    let peaks = a.peaks(ts("2025-03-01T10:00:00Z"), 1);
    let causes: Vec<_> =
        peaks[0].causes.iter().map(|c| (c.cronjob.as_str(), c.starts_here)).collect();
    assert_eq!(causes, [("ops/a", false), ("ops/b", true), ("ops/c", true)]);

    // Without the running Job, b and c fit at 10:00.
    let free = analyse(&inputs(&cronjobs, &jobs[..3], &nodes, &none));
    assert_eq!(free.pools[0].waiting_pods, 0);
}

#[test]
fn active_runs_count_for_forbid_even_overdue_and_suspended() {
    // batch-1 has 4 CPU, every run takes 5 minutes and 2 CPU.
    // - f (Forbid) has run since 09:50: past its 5 minutes, so it is expected to end at
    //   10:00 + 1m; its 10:00 start waits for it (the controller starts it when it ends).
    // - s (suspended) has run since 09:58: it holds 2 CPU until 10:03, and never fires.
    // - b starts at 10:00 into a full pool: it waits until f's run ends at 10:01, which leaves
    //   no room for f's deferred run until s's ends at 10:03.
    let nodes = [node("batch-1", "batch", "4")];
    let mut cronjobs = [
        cronjob("b", "0 * * * *", "batch", "2"),
        cronjob("f", "0 * * * *", "batch", "2"),
        cronjob("s", "0 * * * *", "batch", "2"),
    ];
    cronjobs[1].spec.concurrency_policy = Some("Forbid".into());
    // The controller lists its run as active (it counts for Forbid).
    cronjobs[1].status.active.push(super::super::facts::ActiveRef { uid: "f-now".into() });
    cronjobs[2].spec.suspend = Some(true);
    let mut jobs: Vec<JobFacts> = ["b", "f", "s"]
        .iter()
        .map(|o| job(o, "2025-03-01T09:00:00Z", "2025-03-01T09:05:00Z"))
        .collect();
    jobs.push(running("f", "2025-03-01T09:50:00Z"));
    jobs.push(running("s", "2025-03-01T09:58:00Z"));
    let none = HashMap::new();
    let a = analyse(&inputs(&cronjobs, &jobs, &nodes, &none));
    let by = |n: &str| a.cronjobs.iter().find(|c| c.name == n).unwrap();
    let f = by("f");
    assert_eq!((f.active_runs, f.starts, f.runs, f.deferred, f.skipped), (1, 2, 2, 1, 0));
    let s = by("s");
    assert_eq!((s.active_runs, s.starts, s.runs), (1, 0, 0));
    assert!(s.never_fires.is_some());
    let batch = &a.pools[0];
    assert_eq!(batch.waiting_pods, 2, "{batch:?}");
    assert_eq!(batch.max_wait_seconds, 120);
    assert_eq!(batch.total_wait_seconds, 180);
    let series = &a.series["batch"];
    assert_eq!(&series.pending[..4], &[1, 1, 1, 0]);
    assert_eq!(&series.pods[..4], &[3, 3, 3, 2]);

    // Had f's run been created by hand (not in .status.active), f would start at 10:00 too.
    cronjobs[1].status.active.clear();
    let a = analyse(&inputs(&cronjobs, &jobs, &nodes, &none));
    let f = a.cronjobs.iter().find(|c| c.name == "f").unwrap();
    assert_eq!((f.active_runs, f.runs, f.deferred), (1, 2, 0));
    assert_eq!(a.series["batch"].pending[0], 2);
}

#[test]
fn an_active_run_ends_at_its_expected_end_or_soon_after_now() {
    let (now, d) = (ts("2025-03-01T10:00:00Z"), SignedDuration::from_mins(25));
    assert_eq!(active_end(ts("2025-03-01T09:50:00Z"), d, now), ts("2025-03-01T10:15:00Z"));
    assert_eq!(active_end(ts("2025-03-01T09:00:00Z"), d, now), ts("2025-03-01T10:01:00Z"));
    assert_eq!(active_end(ts("2025-03-01T09:35:00Z"), d, now), ts("2025-03-01T10:01:00Z"));
}

#[test]
fn schedules_the_controller_rejects_get_one_line_each_and_the_forecast_goes_on() {
    use super::super::report::{Forecast, Meta};
    let nodes = [node("batch-1", "batch", "4")];
    let mut cronjobs = [
        cronjob("legacy", "*/0 * * * *", "batch", "1"),
        cronjob("mars", "0 * * * *", "batch", "1"),
        cronjob("ok", "0 * * * *", "batch", "1"),
    ];
    cronjobs[1].spec.time_zone = Some("Mars/Olympus".into());
    let none = HashMap::new();
    let i = inputs(&cronjobs, &[], &nodes, &none);
    let a = analyse(&i);
    let meta = Meta {
        observed_at: i.now,
        clock: crate::cluster::ClockSource::ApiServer,
        from: i.from,
        to: i.to,
        pool_key: "kuul.dev/pool".into(),
        pool: None,
        top: 10,
        include_suspended: false,
    };
    let report = Forecast::new(a, &meta, None);
    assert_eq!(report.never_firing.len(), 2);
    let text = report.summary_text();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("never fires")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0]
            .starts_with("cronjob ops/legacy never fires: unparseable schedule \"*/0 * * * *\": "),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("cronjob ops/mars never fires: invalid timeZone: \"Mars/Olympus\": "),
        "{}",
        lines[1]
    );
    // The rest is forecast: ok fires at 10:00 and 11:00.
    assert_eq!(report.cronjobs.iter().find(|c| c.name == "ok").unwrap().starts, 2);
    assert_eq!(report.pools[0].runs, 2);
}
