//! Pure reading of a Job's and its pods' state: finished or not, with what result, and which
//! pods have logs to read. Unit-tested without a cluster.
//!
//! A Job is finished when its `Complete` or `Failed` condition is `True` (the Job controller's
//! terminal conditions, `pkg/controller/job/job_controller.go`; `SuccessCriteriaMet` and
//! `FailureTarget` come earlier, while pods may still be terminating, so they are not enough).

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Pod;
use serde::Serialize;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "camelCase")]
pub enum RunResult {
    /// `Complete=True`.
    Succeeded,
    /// `Failed=True`, with the condition's reason (`BackoffLimitExceeded`, `DeadlineExceeded`)
    /// and message.
    Failed {
        /// The condition's reason.
        reason: String,
        /// The condition's message.
        message: String,
    },
}

/// Pod counts from `.status`, for the progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) active: i32,
    pub(crate) succeeded: i32,
    pub(crate) failed: i32,
}

/// The run's result once it has one.
pub(crate) fn result(job: &Job) -> Option<RunResult> {
    let conditions = job.status.as_ref()?.conditions.as_ref()?;
    let is_true = |kind: &str| conditions.iter().find(|c| c.type_ == kind && c.status == "True");
    if is_true("Complete").is_some() {
        return Some(RunResult::Succeeded);
    }
    is_true("Failed").map(|c| RunResult::Failed {
        reason: c.reason.clone().unwrap_or_default(),
        message: c.message.clone().unwrap_or_default(),
    })
}

/// Pod counts of the run so far.
pub(crate) fn counts(job: &Job) -> Counts {
    job.status.as_ref().map_or_else(Counts::default, |s| Counts {
        active: s.active.unwrap_or(0),
        succeeded: s.succeeded.unwrap_or(0),
        failed: s.failed.unwrap_or(0),
    })
}

/// Seconds from `.status.startTime` to `.status.completionTime` (or the last condition change
/// for a failed run, which has no completion time).
pub(crate) fn run_seconds(job: &Job) -> Option<i64> {
    let status = job.status.as_ref()?;
    let start = status.start_time.as_ref()?.0;
    let end = status.completion_time.as_ref().map(|t| t.0).or_else(|| {
        status
            .conditions
            .as_ref()?
            .iter()
            .filter(|c| c.status == "True")
            .filter_map(|c| c.last_transition_time.as_ref().map(|t| t.0))
            .max()
    })?;
    Some(end.as_second() - start.as_second())
}

/// A pod's container has started (or the pod already ended): its log can be read.
/// Before that the kubelet answers 400 "container ... is waiting to start".
pub(crate) fn has_logs(pod: &Pod) -> bool {
    let Some(status) = pod.status.as_ref() else { return false };
    if matches!(status.phase.as_deref(), Some("Running" | "Succeeded" | "Failed")) {
        return true;
    }
    status
        .container_statuses
        .iter()
        .flatten()
        .any(|c| c.state.as_ref().is_some_and(|s| s.running.is_some() || s.terminated.is_some()))
}

/// The pod annotation naming the container `kubectl logs` and `kubectl exec` pick.
pub const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// The container `kubectl logs POD` shows without `-c`, and the notice it prints on stderr:
/// kubectl's `podcmd.FindOrDefaultContainerByName`
/// (`staging/src/k8s.io/kubectl/pkg/cmd/util/podcmd/podcmd.go`, 1.33). The container the
/// `kubectl.kubernetes.io/default-container` annotation names, when the pod has one by that
/// name (init containers count), without a notice; else the first container, with
/// `Defaulted container "a" out of: a, b, setup (init)` when the pod has any other container.
/// (kubectl also lists ephemeral containers as `NAME (ephem)`; Job pods have none.)
pub fn default_container(
    containers: &[&str],
    init_containers: &[&str],
    annotation: Option<&str>,
) -> Option<(String, Option<String>)> {
    let first = containers.first()?;
    if let Some(named) = annotation.filter(|n| !n.is_empty())
        && (containers.contains(&named) || init_containers.contains(&named))
    {
        return Some((named.to_owned(), None));
    }
    let notice = (containers.len() > 1 || !init_containers.is_empty()).then(|| {
        let all: Vec<String> = containers
            .iter()
            .map(|c| (*c).to_owned())
            .chain(init_containers.iter().map(|c| format!("{c} (init)")))
            .collect();
        format!("Defaulted container \"{first}\" out of: {}", all.join(", "))
    });
    Some(((*first).to_owned(), notice))
}

/// [`default_container`] for a pod as the API returns it.
pub(crate) fn log_container(pod: &Pod) -> Option<(String, Option<String>)> {
    let spec = pod.spec.as_ref()?;
    let names = |list: &[k8s_openapi::api::core::v1::Container]| -> Vec<String> {
        list.iter().map(|c| c.name.clone()).collect()
    };
    let containers = names(&spec.containers);
    let init = names(spec.init_containers.as_deref().unwrap_or_default());
    let annotation =
        pod.metadata.annotations.as_ref().and_then(|a| a.get(DEFAULT_CONTAINER_ANNOTATION));
    default_container(
        &containers.iter().map(String::as_str).collect::<Vec<_>>(),
        &init.iter().map(String::as_str).collect::<Vec<_>>(),
        annotation.map(String::as_str),
    )
}

/// Every container of `pod`, init containers first (kubectl's `--all-containers` order).
pub(crate) fn all_containers(pod: &Pod) -> Vec<String> {
    let Some(spec) = pod.spec.as_ref() else { return Vec::new() };
    spec.init_containers.iter().flatten().chain(&spec.containers).map(|c| c.name.clone()).collect()
}

/// Sort key: pods in the order they were created (retries after the pods they replace).
pub(crate) fn creation_order(pod: &Pod) -> (i64, String) {
    (
        pod.metadata.creation_timestamp.as_ref().map_or(i64::MAX, |t| t.0.as_second()),
        pod.metadata.name.clone().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(status: serde_json::Value) -> Job {
        serde_json::from_value(json!({"metadata": {"name": "x"}, "status": status})).unwrap()
    }

    #[test]
    fn complete_means_succeeded() {
        let j = job(json!({"succeeded": 1, "startTime": "2025-03-01T10:00:00Z",
            "completionTime": "2025-03-01T10:01:05Z",
            "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                           {"type": "Complete", "status": "True"}]}));
        assert_eq!(result(&j), Some(RunResult::Succeeded));
        assert_eq!(run_seconds(&j), Some(65));
    }

    #[test]
    fn failure_target_alone_is_not_the_end() {
        let j = job(json!({"failed": 1, "conditions": [
            {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded"}]}));
        assert_eq!(result(&j), None);
    }

    #[test]
    fn failed_carries_reason_and_message() {
        let j = job(json!({"failed": 2, "startTime": "2025-03-01T10:00:00Z", "conditions": [
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
             "message": "Job has reached the specified backoff limit",
             "lastTransitionTime": "2025-03-01T10:00:30Z"}]}));
        assert_eq!(
            result(&j),
            Some(RunResult::Failed {
                reason: "BackoffLimitExceeded".into(),
                message: "Job has reached the specified backoff limit".into()
            })
        );
        assert_eq!(counts(&j), Counts { active: 0, succeeded: 0, failed: 2 });
        assert_eq!(run_seconds(&j), Some(30));
    }

    #[test]
    fn a_running_job_has_no_result() {
        let j = job(json!({"active": 1}));
        assert_eq!(result(&j), None);
        assert_eq!(counts(&j).active, 1);
    }

    #[test]
    fn pending_pods_have_no_logs_yet() {
        let pod = |status: serde_json::Value| -> Pod {
            serde_json::from_value(json!({"metadata": {"name": "p"}, "status": status})).unwrap()
        };
        assert!(!has_logs(&pod(json!({"phase": "Pending"}))));
        assert!(has_logs(&pod(json!({"phase": "Running"}))));
        assert!(has_logs(&pod(json!({"phase": "Failed"}))));
        assert!(has_logs(&pod(json!({"phase": "Pending", "containerStatuses": [
            {"name": "c", "image": "i", "imageID": "", "ready": false, "restartCount": 0,
             "state": {"running": {}}}]}))));
    }

    #[test]
    fn default_container_annotation_wins() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p",
                         "annotations": {"kubectl.kubernetes.io/default-container": "b"}},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]}}))
        .unwrap();
        assert_eq!(log_container(&pod), Some(("b".into(), None)));
        let mut plain = pod.clone();
        plain.metadata.annotations = None;
        assert_eq!(
            log_container(&plain),
            Some(("a".into(), Some("Defaulted container \"a\" out of: a, b".into())))
        );
    }

    #[test]
    fn default_container_reads_as_kubectls_podcmd() {
        // One container and no init container: no notice.
        assert_eq!(default_container(&["main"], &[], None), Some(("main".into(), None)));
        // The annotation may name an init container; a name the pod lacks falls back to the
        // first container, with the notice.
        assert_eq!(
            default_container(&["main", "side"], &["setup"], Some("setup")),
            Some(("setup".into(), None))
        );
        assert_eq!(
            default_container(&["main"], &["setup"], Some("gone")),
            Some((
                "main".into(),
                Some("Defaulted container \"main\" out of: main, setup (init)".into())
            ))
        );
        assert_eq!(default_container(&[], &["setup"], None), None);
    }
}
