//! Unit tests for the kubelet: durations, the run and the logs.

use super::*;
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn pod(annotations: serde_json::Value) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": "backup-1-x7k2q", "namespace": "ops", "uid": "p1", "annotations": annotations},
        "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "busybox:1.36"}]},
        "status": {"phase": "Pending"}
    }))
    .unwrap()
}

fn updated(sync: &Sync) -> Pod {
    sync.actions
        .iter()
        .find_map(|a| match a {
            Action::ReplaceStatus { object, .. } => serde_json::from_value(object.clone()).ok(),
            _ => None,
        })
        .unwrap()
}

#[test]
fn go_durations_parse_like_time_parse_duration() {
    let d = |s| parse_go_duration(s);
    assert_eq!(d("10s"), Some(SignedDuration::from_secs(10)));
    assert_eq!(d("1h30m"), Some(SignedDuration::from_mins(90)));
    assert_eq!(d("1.5h"), Some(SignedDuration::from_mins(90)));
    assert_eq!(d("250ms"), Some(SignedDuration::from_millis(250)));
    assert_eq!(d("0"), Some(SignedDuration::ZERO));
    assert_eq!(d("10"), None);
    assert_eq!(d("1d"), None);
    assert_eq!(d(""), None);
}

#[test]
fn a_bound_pod_runs_for_its_duration_and_exits_with_its_code() {
    let p = pod(json!({"sandbox.kuul.dev/duration": "1m", "sandbox.kuul.dev/exit-code": "2"}));
    let start = sync(&p, ts("2025-06-01T09:00:00.4Z"));
    let running = updated(&start);
    assert_eq!(running.status.as_ref().unwrap().phase.as_deref(), Some("Running"));
    let reasons: Vec<_> = start
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateEvent(e) => e.reason.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(reasons, ["Pulled", "Created", "Started"]);
    // Started at the stored (whole-second) instant; finishes one minute later.
    assert_eq!(start.requeue_at, Some(ts("2025-06-01T09:01:00Z")));
    assert_eq!(
        sync(&running, ts("2025-06-01T09:00:59Z")).requeue_at,
        Some(ts("2025-06-01T09:01:00Z"))
    );
    let done = updated(&sync(&running, ts("2025-06-01T09:01:00Z")));
    let status = done.status.unwrap();
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    let term = status.container_statuses.unwrap()[0].state.clone().unwrap().terminated.unwrap();
    assert_eq!((term.exit_code, term.reason.as_deref()), (2, Some("Error")));
    assert_eq!(term.finished_at, Some(Time(ts("2025-06-01T09:01:00Z"))));
    let conditions = status.conditions.unwrap();
    let ready = conditions.iter().find(|c| c.type_ == "Ready").unwrap();
    // generate.go: a failed pod's Ready/ContainersReady say PodFailed (L5).
    assert_eq!((ready.status.as_str(), ready.reason.as_deref()), ("False", Some("PodFailed")));
    let init = conditions.iter().find(|c| c.type_ == "Initialized").unwrap();
    assert_eq!(init.reason, None, "only a succeeded pod's Initialized says PodCompleted");
    let ips = (status.pod_ips.unwrap()[0].ip.clone(), status.host_ips.unwrap()[0].ip.clone());
    assert_eq!((Some(ips.0), Some(ips.1)), (status.pod_ip, status.host_ip));
}

#[test]
fn unbound_and_finished_pods_are_left_alone() {
    let mut p = pod(json!({}));
    p.spec.as_mut().unwrap().node_name = None;
    assert_eq!(sync(&p, ts("2025-06-01T09:00:00Z")), Sync::default());
}

#[test]
fn log_lines_are_spread_over_the_run() {
    let p =
        pod(json!({"sandbox.kuul.dev/duration": "30s", "sandbox.kuul.dev/log": "one\ntwo\nthree"}));
    assert!(log_lines(&p, ts("2025-06-01T09:00:00Z")).is_empty(), "not started");
    let running = updated(&sync(&p, ts("2025-06-01T09:00:00Z")));
    let lines = log_lines(&running, ts("2025-06-01T09:00:15Z"));
    assert_eq!(
        lines,
        vec![
            (ts("2025-06-01T09:00:00Z"), "one".to_owned()),
            (ts("2025-06-01T09:00:10Z"), "two".to_owned())
        ]
    );
    assert_eq!(log_lines(&running, ts("2025-06-01T10:00:00Z")).len(), 3);
    let default = log_lines(
        &updated(&sync(&pod(json!({})), ts("2025-06-01T09:00:00Z"))),
        ts("2025-06-01T10:00:00Z"),
    );
    assert_eq!(default.len(), 3);
    assert!(default[0].1.contains("ops/backup-1-x7k2q"));
}

/// generate.go (v1.32.0): a succeeded pod's Ready/ContainersReady say PodCompleted and its
/// Initialized (still True) says PodCompleted too (L5).
#[test]
fn a_succeeded_pod_reports_pod_completed_conditions() {
    let p = pod(json!({"sandbox.kuul.dev/duration": "10s"}));
    let running = started(&p, "node-1", ts("2025-06-01T09:00:00Z"));
    let done = terminated(&running, 0);
    let conditions = done.status.unwrap().conditions.unwrap();
    let get = |t: &str| {
        let c = conditions.iter().find(|c| c.type_ == t).unwrap();
        (c.status.clone(), c.reason.clone())
    };
    let completed = Some("PodCompleted".to_owned());
    assert_eq!(get("Ready"), ("False".to_owned(), completed.clone()));
    assert_eq!(get("ContainersReady"), ("False".to_owned(), completed.clone()));
    assert_eq!(get("Initialized"), ("True".to_owned(), completed));
    assert_eq!(get("PodReadyToStartContainers"), ("False".to_owned(), None));
}
