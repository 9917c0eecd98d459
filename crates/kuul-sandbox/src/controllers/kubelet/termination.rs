//! The kubelet's side of a graceful pod deletion.
//!
//! Upstream (`pkg/kubelet/kubelet.go` `syncTerminatingPod`, `pkg/kubelet/status/status_manager.go`
//! `syncPod`/`canBeDeleted`, v1.32.0): once the API server has set `deletionTimestamp`
//! (now + grace period) the kubelet stops the containers — SIGTERM, then SIGKILL when the grace
//! period is over — reports their terminated state and the pod's terminal phase, and then deletes
//! the pod object itself with grace period 0 (uid precondition).
//!
//! Simulated: a scripted container ignores SIGTERM (as a shell or `sleep` as PID 1 does), so it
//! runs until its script ends or the grace period is over, whichever is first; killed, it exits
//! 137 (`Error`). A pod whose containers never started is removed at once.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;

use crate::controllers::kubelet::{attempt_exit_code, finishes_at, started_at, terminated};
use crate::controllers::refs::to_value;
use crate::controllers::{Action, Propagation, Sync};
use crate::kind::Kind;

/// Exit code of a container killed by SIGKILL (128 + 9).
pub const KILLED_EXIT_CODE: i32 = 137;

fn phase(pod: &Pod) -> &str {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

fn delete(pod: &Pod) -> Action {
    Action::Delete {
        kind: Kind::Pod,
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        propagation: Propagation::Background,
        uid: pod.metadata.uid.clone(),
    }
}

/// One kubelet sync of a pod being deleted (`deletionTimestamp` set), at `now`.
pub fn sync(pod: &Pod, now: Timestamp) -> Sync {
    let Some(deadline) = pod.metadata.deletion_timestamp.as_ref().map(|t| t.0) else {
        return Sync::default();
    };
    if matches!(phase(pod), "Succeeded" | "Failed") {
        // Terminal and being deleted: the status manager deletes it now.
        return Sync { actions: vec![delete(pod)], requeue_at: None };
    }
    if started_at(pod).is_none() {
        return Sync { actions: vec![delete(pod)], requeue_at: None };
    }
    let finish = finishes_at(pod).unwrap_or(now);
    if now < finish && now < deadline {
        return Sync { actions: Vec::new(), requeue_at: Some(finish.min(deadline)) };
    }
    let mut stopped = if finish <= deadline {
        terminated(pod, attempt_exit_code(pod))
    } else {
        killed(pod, deadline)
    };
    // The terminal status goes first, then the object (the kubelet's final delete).
    stopped.metadata.resource_version.clone_from(&pod.metadata.resource_version);
    Sync {
        actions: vec![
            Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&stopped) },
            delete(pod),
        ],
        requeue_at: None,
    }
}

/// The pod as its kubelet reports it after killing the containers at `at`.
fn killed(pod: &Pod, at: Timestamp) -> Pod {
    let mut out = terminated(pod, KILLED_EXIT_CODE);
    let at = Timestamp::from_second(at.as_second()).unwrap_or(at);
    let status = out.status.get_or_insert_with(Default::default);
    for c in status.conditions.iter_mut().flatten() {
        if matches!(c.type_.as_str(), "Ready" | "ContainersReady") {
            c.last_transition_time = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at));
        }
    }
    for cs in status.container_statuses.iter_mut().flatten() {
        if let Some(t) = cs.state.as_mut().and_then(|s| s.terminated.as_mut()) {
            t.finished_at = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn running(duration: &str) -> Pod {
        let mut pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p", "namespace": "ops", "uid": "u1",
                "annotations": {"sandbox.kuul.dev/duration": duration}},
            "spec": {"nodeName": "node-a", "restartPolicy": "Never",
                "containers": [{"name": "main", "image": "busybox"}]},
            "status": {"phase": "Pending"}
        }))
        .unwrap();
        let t0: Timestamp = "2025-03-03T10:00:00Z".parse().unwrap();
        pod = crate::controllers::kubelet::started(&pod, "node-a", t0);
        pod
    }

    #[test]
    fn a_running_pod_is_killed_at_the_end_of_its_grace_period_then_removed() {
        let t0: Timestamp = "2025-03-03T10:00:00Z".parse().unwrap();
        let mut pod = running("10m");
        let deadline = t0 + SignedDuration::from_secs(40);
        pod.metadata.deletion_timestamp = Some(Time(deadline));
        let early = sync(&pod, t0 + SignedDuration::from_secs(10));
        assert!(early.actions.is_empty());
        assert_eq!(early.requeue_at, Some(deadline));
        let done = sync(&pod, deadline);
        let [Action::ReplaceStatus { object, .. }, Action::Delete { uid, .. }] =
            done.actions.as_slice()
        else {
            panic!("{:?}", done.actions)
        };
        assert_eq!(uid.as_deref(), Some("u1"));
        assert_eq!(object["status"]["phase"], "Failed");
        let term = &object["status"]["containerStatuses"][0]["state"]["terminated"];
        assert_eq!(term["exitCode"], 137);
        assert_eq!(term["finishedAt"], "2025-03-03T10:00:40Z");
    }

    #[test]
    fn a_container_that_ends_within_the_grace_period_ends_normally() {
        let t0: Timestamp = "2025-03-03T10:00:00Z".parse().unwrap();
        let mut pod = running("20s");
        pod.metadata.deletion_timestamp = Some(Time(t0 + SignedDuration::from_secs(30)));
        assert_eq!(sync(&pod, t0).requeue_at, Some(t0 + SignedDuration::from_secs(20)));
        let done = sync(&pod, t0 + SignedDuration::from_secs(20));
        let Action::ReplaceStatus { object, .. } = &done.actions[0] else { panic!() };
        assert_eq!(object["status"]["phase"], "Succeeded");
    }

    #[test]
    fn terminal_and_unstarted_pods_are_removed_at_once() {
        let t0: Timestamp = "2025-03-03T10:00:00Z".parse().unwrap();
        let mut pod = running("20s");
        pod = terminated(&pod, 0);
        pod.metadata.deletion_timestamp = Some(Time(t0 + SignedDuration::from_secs(30)));
        assert!(matches!(sync(&pod, t0).actions.as_slice(), [Action::Delete { .. }]));
    }
}
