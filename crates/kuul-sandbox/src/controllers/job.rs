//! The Job controller: one sync of one Job, after kube-controller-manager's
//! `pkg/controller/job/job_controller.go` (`syncJob`, `manageJob`, `getPodsForJob`,
//! `newCondition`, `pastActiveDeadline`, `getNewFinishedPods`) at the 1.33 level.
//!
//! What is ported: pods from the template with the Job's labels and a controller reference,
//! `parallelism`/`completions` (defaults 1/1), `backoffLimit` (default 6) counting failed pods,
//! `activeDeadlineSeconds`, `suspend`, the status counters (`active`, `ready`, `succeeded`,
//! `failed`, `terminating`), `startTime`/`completionTime`, and the 1.33 conditions
//! (`SuccessCriteriaMet` then `Complete`; `FailureTarget` then `Failed`, with reasons
//! `CompletionsReached`, `BackoffLimitExceeded`, `DeadlineExceeded`) and events.
//!
//! Finishing is 1.32's (`JobPodReplacementPolicy` and `JobManagedBy` on, `delayTerminalCondition`):
//! a failing Job gets `FailureTarget` and its active pods are deleted; `Failed` (same reason and
//! message) follows in the first sync with no pod terminating; a succeeding one gets
//! `SuccessCriteriaMet`, then `Complete` and `completionTime` the same way. [`sync_with`] takes
//! the [`Gates`], so upstream's tables run with the gates each case sets.
//!
//! Counting is 1.32's, through the `batch.kubernetes.io/job-tracking` finalizer
//! (`trackJobStatusAndRemoveFinalizers`, `flushUncountedAndRemoveFinalizers`,
//! `cleanUncountedPodsWithoutFinalizers`, `enactJobFinished`, `syncOrphanPod`): see
//! [`sync_full`] and [`sync_orphan_pod`]. Not simulated: the controller's expectations and
//! in-memory state (`finalizerExpectations`, `backoffRecord`), adoption of orphans (the sandbox
//! never adds the finalizer to a pod it did not create). The pod-failure backoff is upstream's formula
//! (10 s doubling per failed pod, at most 10 minutes, from the last failure) but counts every
//! failed pod (ignored ones included, as upstream's backoff record does) rather than only those
//! since the last success. Indexed completion is (pending indexes, `completedIndexes`, removal of
//! pods with a repeated or invalid index, `backoffLimitPerIndex` with `failedIndexes` and the
//! per-index back-off: [`indexed`]), and so are success policies (`matchSuccessPolicy`) and
//! `podFailurePolicy` (`FailJob`, `Ignore`, `Count`, `FailIndex`).

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{Job, JobCondition, JobStatus};
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::cronjob::{Finished, finished_status};
use super::events::{self, EventType, Source, component};
use super::kubelet::annotations;
use super::refs::{controller_ref, generate_name, object_reference, to_value};
use super::{Action, Propagation, Sync};
use crate::kind::Kind;

/// Labels the API server puts on a Job's pod template (and so on its pods).
pub mod labels {
    /// `batch.kubernetes.io/controller-uid`
    pub const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
    /// `batch.kubernetes.io/job-name`
    pub const JOB_NAME: &str = "batch.kubernetes.io/job-name";
    /// Legacy `controller-uid`, still set in 1.33.
    pub const LEGACY_CONTROLLER_UID: &str = "controller-uid";
    /// Legacy `job-name`, still set in 1.33.
    pub const LEGACY_JOB_NAME: &str = "job-name";
}

/// `DefaultJobPodFailureBackOff`
const POD_FAILURE_BACKOFF: SignedDuration = SignedDuration::from_secs(10);
/// `MaxJobPodFailureBackOff`
const MAX_POD_FAILURE_BACKOFF: SignedDuration = SignedDuration::from_mins(10);
/// API default for `spec.backoffLimit`.
const DEFAULT_BACKOFF_LIMIT: i32 = 6;

/// A pod's phase, as the controller counts it.
fn phase(pod: &Pod) -> &str {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

fn is_active(pod: &Pod) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && pod.metadata.deletion_timestamp.is_none()
}

/// A pod being deleted that has not reached a terminal phase.
fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some() && !matches!(phase(pod), "Succeeded" | "Failed")
}

/// upstream `isPodFailed` (`job_controller.go`, v1.32.0): phase `Failed`, or, unless the Job
/// replaces only failed pods (`onlyReplaceFailedPods`), a pod being deleted before it
/// succeeded. The pods a suspended Job terminates are not counted: `deleteJobPods` removes their
/// finalizer before deleting them.
fn is_pod_failed(pod: &Pod, only_failed: bool) -> bool {
    if phase(pod) == "Failed" {
        return true;
    }
    !only_failed && is_terminating(pod)
}

fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// When a failed pod finished: its latest container `finishedAt`.
fn finished_at(pod: &Pod) -> Option<Timestamp> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .iter()
        .filter_map(|c| c.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref().map(|t| t.0))
        .max()
}

/// When a pod's deletion was asked for (`deletionTimestamp` minus the grace period), upstream
/// `getFinishTimeFromDeletionTimestamp`.
fn deletion_requested_at(pod: &Pod) -> Option<Timestamp> {
    let at = pod.metadata.deletion_timestamp.as_ref()?.0;
    let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0);
    Some(at - SignedDuration::from_secs(grace))
}

/// upstream `getBackoff`-like delay before replacing a failed pod: 10 s, doubled per failure,
/// capped at 10 minutes.
pub fn failure_backoff(failures: i32) -> SignedDuration {
    if failures <= 0 {
        return SignedDuration::ZERO;
    }
    let exp = u32::try_from(failures - 1).unwrap_or(0).min(16);
    let delay = POD_FAILURE_BACKOFF * (1_i32 << exp);
    delay.min(MAX_POD_FAILURE_BACKOFF)
}

fn condition(type_: &str, reason: &str, message: &str, now: Timestamp) -> JobCondition {
    JobCondition {
        type_: type_.to_owned(),
        status: "True".to_owned(),
        reason: Some(reason.to_owned()),
        message: Some(message.to_owned()),
        last_probe_time: Some(Time(now)),
        last_transition_time: Some(Time(now)),
    }
}

/// Sets or flips a condition (`ensureJobConditionStatus`): a new one is appended, an existing one
/// only changes when its status changes.
fn ensure_condition(status: &mut JobStatus, new: JobCondition) {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    if let Some(c) = conditions.iter_mut().find(|c| c.type_ == new.type_) {
        if c.status != new.status {
            *c = new;
        }
    } else {
        conditions.push(new);
    }
}

fn has_condition(status: &JobStatus, type_: &str, value: &str) -> bool {
    status.conditions.iter().flatten().any(|c| c.type_ == type_ && c.status == value)
}

/// Job failure reasons and messages (`job_controller.go`).
pub mod failure {
    /// `batchv1.JobReasonBackoffLimitExceeded`
    pub const BACKOFF_LIMIT_EXCEEDED: (&str, &str) =
        ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
    /// `batchv1.JobReasonPodFailurePolicy` (the message is the matched rule's).
    pub const POD_FAILURE_POLICY: &str = "PodFailurePolicy";
    /// `batchv1.JobReasonDeadlineExceeded`
    pub const DEADLINE_EXCEEDED: (&str, &str) =
        ("DeadlineExceeded", "Job was active longer than specified deadline");
    /// `batchv1.JobReasonMaxFailedIndexesExceeded`
    pub const MAX_FAILED_INDEXES_EXCEEDED: (&str, &str) = (
        "MaxFailedIndexesExceeded",
        "Job has exceeded the specified maximal number of failed indexes",
    );
    /// `batchv1.JobReasonFailedIndexes`
    pub const FAILED_INDEXES: (&str, &str) = ("FailedIndexes", "Job has failed indexes");
}

/// The 1.33 success conditions (`SuccessCriteriaMet`, then `Complete`, reason
/// `CompletionsReached`) and `completionTime`.
pub fn mark_complete(status: &mut JobStatus, now: Timestamp) {
    let message = "Reached expected number of succeeded pods";
    ensure_condition(status, condition("SuccessCriteriaMet", "CompletionsReached", message, now));
    ensure_condition(status, condition("Complete", "CompletionsReached", message, now));
    status.completion_time = Some(Time(now));
}

/// The 1.33 failure conditions (`FailureTarget`, then `Failed`) with `reason`/`message`.
pub fn mark_failed(status: &mut JobStatus, reason: &str, message: &str, now: Timestamp) {
    ensure_condition(status, condition("FailureTarget", reason, message, now));
    ensure_condition(status, condition("Failed", reason, message, now));
}

/// The feature gates that change what one sync writes (`pkg/features/kube_features.go`). The
/// sandbox runs with the 1.32 defaults ([`Gates::V1_32`]); the ported upstream tables run with the
/// gates each case sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gates {
    /// `JobPodReplacementPolicy` (beta, on since 1.29): `status.terminating`, and
    /// `podReplacementPolicy: Failed` honoured.
    pub pod_replacement_policy: bool,
    /// `JobManagedBy` (beta, on in 1.32).
    pub managed_by: bool,
    /// `JobSuccessPolicy` (beta, on since 1.31): `spec.successPolicy`, and the success
    /// conditions carry reason `CompletionsReached`.
    pub success_policy: bool,
    /// `JobBackoffLimitPerIndex` (beta, on since 1.29): `spec.backoffLimitPerIndex`.
    pub backoff_limit_per_index: bool,
}

impl Gates {
    /// Kubernetes 1.32's defaults.
    pub const V1_32: Gates = Gates {
        pod_replacement_policy: true,
        managed_by: true,
        success_policy: true,
        backoff_limit_per_index: true,
    };

    /// upstream `delayTerminalCondition`: `Failed`/`Complete` wait for the terminating pods.
    fn delay_terminal_condition(self) -> bool {
        self.managed_by || self.pod_replacement_policy
    }
}

/// upstream `onlyReplaceFailedPods`: `podReplacementPolicy: Failed` (gate on), or any pod failure
/// policy.
fn only_replace_failed_pods(job: &Job, gates: Gates) -> bool {
    let spec = job.spec.as_ref();
    (gates.pod_replacement_policy
        && spec.and_then(|s| s.pod_replacement_policy.as_deref()) == Some("Failed"))
        || spec.is_some_and(|s| s.pod_failure_policy.is_some())
}

/// upstream `trackTerminatingPods`.
fn track_terminating_pods(job: &Job, gates: Gates) -> bool {
    gates.pod_replacement_policy
        || gates.managed_by
        || job.spec.as_ref().is_some_and(|s| s.pod_failure_policy.is_some())
}

/// The condition a sync finishes the Job with (`syncJobCtx.finishedCondition`).
struct Finish {
    success: bool,
    reason: String,
    message: String,
    /// Whether the interim condition (`FailureTarget`/`SuccessCriteriaMet`) is written first.
    interim: bool,
    /// Whether the Job already carries the interim condition.
    has_interim: bool,
}

impl Finish {
    /// A failure with one of the [`failure`] (reason, message) pairs.
    fn failure((reason, message): (&str, &str), interim: bool) -> Finish {
        Finish {
            success: false,
            reason: reason.to_owned(),
            message: message.to_owned(),
            interim,
            has_interim: false,
        }
    }
}

fn true_condition<'a>(status: &'a JobStatus, type_: &str) -> Option<&'a JobCondition> {
    status.conditions.iter().flatten().find(|c| c.type_ == type_ && c.status == "True")
}

/// One sync of `job` at `now`, given the pods it controls, with the 1.32 feature gates.
pub fn sync(job: &Job, pods: &[Pod], now: Timestamp) -> Sync {
    sync_with(job, pods, now, Gates::V1_32)
}

/// [`sync`] with `gates`.
pub fn sync_with(job: &Job, pods: &[Pod], now: Timestamp, gates: Gates) -> Sync {
    sync_full(job, pods, 0, now, gates)
}

/// The key a pod is tracked by in `uncountedTerminatedPods`: its uid (the name when a test's pod
/// has none).
fn pod_uid(pod: &Pod) -> &str {
    pod.metadata.uid.as_deref().or(pod.metadata.name.as_deref()).unwrap_or_default()
}

/// upstream `cleanUncountedPodsWithoutFinalizers` (`job_controller.go`, v1.32): the uncounted
/// pods whose finalizer is gone move into `succeeded`/`failed`. Returns whether anything moved.
fn clean_uncounted(status: &mut JobStatus, with_finalizer: &BTreeSet<&str>) -> bool {
    let uncounted = status.uncounted_terminated_pods.get_or_insert_with(Default::default);
    let mut moved = (0, 0);
    for (list, n) in
        [(&mut uncounted.succeeded, &mut moved.0), (&mut uncounted.failed, &mut moved.1)]
    {
        let Some(uids) = list.as_mut() else { continue };
        let before = uids.len();
        uids.retain(|u| with_finalizer.contains(u.as_str()));
        *n = to_i32(before - uids.len());
        if uids.is_empty() {
            *list = None;
        }
    }
    if moved == (0, 0) {
        return false;
    }
    status.succeeded = nonzero(status.succeeded.unwrap_or(0) + moved.0);
    status.failed = nonzero(status.failed.unwrap_or(0) + moved.1);
    true
}

fn uncounted_len(status: &JobStatus) -> usize {
    status.uncounted_terminated_pods.as_ref().map_or(0, |u| {
        u.succeeded.as_ref().map_or(0, Vec::len) + u.failed.as_ref().map_or(0, Vec::len)
    })
}

/// One sync of `job` at `now` (upstream `syncJob`, then `trackJobStatusAndRemoveFinalizers`),
/// given the pods it controls (those being deleted included: the tracking finalizer keeps them)
/// and how many of its pods have already left the store (`gone`, so that the next pod's
/// creation index, which `sandbox.kuul.dev/exit-codes` and the generated name use, keeps
/// counting), with `gates`.
///
/// The writes are upstream's, in its order: a first status write adding the newly finished pods
/// to `status.uncountedTerminatedPods` (and the interim `FailureTarget`/`SuccessCriteriaMet`),
/// then the removal of their `batch.kubernetes.io/job-tracking` finalizers, then a second status
/// write moving them into `succeeded`/`failed` (and the final condition). The control plane
/// applies the second write on top of the first one's resourceVersion, as upstream's
/// `updateStatusHandler` returns the updated Job.
pub fn sync_full(job: &Job, pods: &[Pod], gone: usize, now: Timestamp, gates: Gates) -> Sync {
    if finished_status(job).is_some() {
        return Sync::default();
    }
    // A Job being deleted still has its counters and conditions updated, but manageJob does not
    // run for it (no pods created or deleted).
    let deleting = job.metadata.deletion_timestamp.is_some();
    let Some(spec) = job.spec.as_ref() else { return Sync::default() };
    let me = object_reference("Job", "batch/v1", &job.metadata);
    let source = Source::component(component::JOB);
    let mut actions = Vec::new();
    let event = |actions: &mut Vec<Action>, type_, reason: &str, message: String| {
        actions.push(events::action(&me, source, type_, reason, message, now));
    };
    // `deleteActivePods` (finished Job: the finalizer stays, the tracking below counts the pod)
    // and `deleteJobPods` (suspension, too many pods: the finalizer goes first, so the pod is
    // not counted).
    let delete_pod = |actions: &mut Vec<Action>, pod: &Pod, keep_finalizer: bool| {
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let name = pod.metadata.name.clone().unwrap_or_default();
        if !keep_finalizer && has_tracking_finalizer(pod) {
            actions.push(remove_finalizer_action(pod));
        }
        actions.push(Action::Delete {
            kind: Kind::Pod,
            namespace,
            name: name.clone(),
            propagation: Propagation::Background,
            uid: None,
        });
        actions.push(events::action(
            &me,
            source,
            EventType::Normal,
            "SuccessfulDelete",
            format!("Deleted pod: {name}"),
            now,
        ));
    };

    let original = job.status.clone().unwrap_or_default();
    let mut status = original.clone();
    let mut active: Vec<&Pod> = pods.iter().filter(|p| is_active(p)).collect();
    let suspended = spec.suspend == Some(true);
    let only_failed = only_replace_failed_pods(job, gates);
    let pod_failed = |p: &Pod| is_pod_failed(p, only_failed);
    let failure_policy = spec.pod_failure_policy.as_ref();
    let uncounted = original.uncounted_terminated_pods.clone().unwrap_or_default();
    let uncounted_succeeded: BTreeSet<&str> =
        uncounted.succeeded.iter().flatten().map(String::as_str).collect();
    let uncounted_failed: BTreeSet<&str> =
        uncounted.failed.iter().flatten().map(String::as_str).collect();
    // getNewFinishedPods: finished pods that still carry the finalizer and are not uncounted
    // (getValidPodsWithFilter: for an Indexed Job, only those with a valid index).
    let indexed = indexed_completions(job);
    let valid_index = |p: &Pod| indexed.is_none_or(|c| completion_index(p).is_some_and(|i| i < c));
    let tracked = || pods.iter().filter(|p| has_tracking_finalizer(p) && valid_index(p));
    let new_succeeded = tracked()
        .filter(|p| phase(p) == "Succeeded" && !uncounted_succeeded.contains(pod_uid(p)))
        .count();
    // nonIgnoredFailedPodsCount: a failure matching an `Ignore` rule is not counted.
    let new_failed = tracked()
        .filter(|p| pod_failed(p) && !uncounted_failed.contains(pod_uid(p)))
        .filter(|p| pod_failure_policy::match_policy(failure_policy, p).count_failed)
        .count();
    let succeeded = match indexed {
        // syncJob: `jobCtx.succeeded = succeededIndexes.total()`.
        Some(c) => to_i32(succeeded_indexes(&original, pods, c).len()),
        None => {
            original.succeeded.unwrap_or(0)
                + to_i32(new_succeeded)
                + to_i32(uncounted_succeeded.len())
        }
    };
    let failed = original.failed.unwrap_or(0) + to_i32(new_failed) + to_i32(uncounted_failed.len());
    // Every failed pod still in the store, ignored ones included, for the pod-failure backoff.
    let all_failed = pods.iter().filter(|p| pod_failed(p)).count();
    let mut terminating = to_i32(pods.iter().filter(|p| is_terminating(p)).count());
    // syncJob with backoffLimitPerIndex (job_controller.go, indexed_job_utils.go, v1.32.0): the
    // failed indexes (`calculateFailedIndexes`), and per pending index the failed pod whose
    // finalizer waits for its replacement (`getPodsWithDelayedDeletionPerIndex`).
    let per_index = indexed
        .zip(indexed::backoff_limit_per_index(job))
        .filter(|_| gates.backoff_limit_per_index);
    let succeeded_ix = indexed.map(|c| succeeded_indexes(&original, pods, c)).unwrap_or_default();
    let failed_ix: Option<BTreeSet<i32>> = per_index
        .map(|(c, limit)| indexed::failed_indexes(job, &original, pods, c, only_failed, limit));
    let delayed: BTreeMap<i32, &Pod> = match (per_index, failed_ix.as_ref()) {
        (Some((c, _)), Some(failed_ix)) => {
            let done: BTreeSet<i32> = succeeded_ix.union(failed_ix).copied().collect();
            indexed::delayed_deletion_per_index(pods, &active, &done, c, only_failed)
        }
        _ => BTreeMap::new(),
    };
    let mut requeue_at: Option<Timestamp> = None;
    let mut created = 0_usize;

    // Job first start: startTime only when not suspended.
    if status.start_time.is_none() && !suspended {
        status.start_time = Some(Time(now));
    }
    let backoff_limit = spec.backoff_limit.unwrap_or(DEFAULT_BACKOFF_LIMIT);
    let deadline = spec
        .active_deadline_seconds
        .zip(status.start_time.as_ref())
        .map(|(s, start)| start.0 + SignedDuration::from_secs(s));

    // The finished condition, in upstream's order: a SuccessCriteriaMet or FailureTarget the Job
    // already has, a FailJob rule, the backoff limit, the active deadline.
    let interim_failure = gates.delay_terminal_condition();
    let mut finish: Option<Finish> = None;
    if let Some(c) = true_condition(&original, "SuccessCriteriaMet") {
        finish = Some(Finish {
            success: true,
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
            interim: true,
            has_interim: true,
        });
    } else if let Some(c) = true_condition(&original, "FailureTarget") {
        finish = Some(Finish {
            success: false,
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
            interim: true,
            has_interim: true,
        });
    } else if let Some(message) = failure_policy.and_then(|_| {
        // `getFailJobMessage`: the first failed pod matching a `FailJob` rule fails the Job.
        pods.iter()
            .filter(|p| pod_failed(p))
            .find_map(|p| pod_failure_policy::match_policy(failure_policy, p).fail_job_message)
    }) {
        finish = Some(Finish {
            success: false,
            reason: failure::POD_FAILURE_POLICY.to_owned(),
            message,
            interim: true,
            has_interim: false,
        });
    }
    if finish.is_none() {
        let failure = if failed > backoff_limit || past_backoff_limit_on_failure(job, pods) {
            Some(failure::BACKOFF_LIMIT_EXCEEDED)
        } else if !suspended && deadline.is_some_and(|d| now >= d) {
            Some(failure::DEADLINE_EXCEEDED)
        } else {
            if !suspended && let Some(d) = deadline {
                requeue_at = Some(d);
            }
            None
        };
        finish = failure.map(|f| Finish::failure(f, interim_failure));
    }
    // syncJob: a Job with backoffLimitPerIndex fails once more indexes failed than
    // maxFailedIndexes, or once every index finished and some failed.
    if finish.is_none()
        && let (Some((c, _)), Some(failed_ix)) = (per_index, failed_ix.as_ref())
    {
        let n = to_i32(failed_ix.len());
        let failure = if spec.max_failed_indexes.is_some_and(|m| n > m) {
            Some(failure::MAX_FAILED_INDEXES_EXCEEDED)
        } else if n > 0 && n + to_i32(succeeded_ix.len()) >= c {
            Some(failure::FAILED_INDEXES)
        } else {
            None
        };
        finish = failure.map(|f| Finish::failure(f, interim_failure));
    }
    // syncJob: `matchSuccessPolicy` (success_policy.go, v1.32.0, JobSuccessPolicy beta on):
    // SuccessCriteriaMet with reason SuccessPolicy; the remaining pods are then deleted and
    // Complete follows once they are gone.
    if finish.is_none()
        && gates.success_policy
        && let Some(c) = indexed
        && let Some(message) = match_success_policy(spec.success_policy.as_ref(), c, &succeeded_ix)
    {
        finish = Some(Finish {
            success: true,
            reason: "SuccessPolicy".to_owned(),
            message,
            interim: true,
            has_interim: false,
        });
    }

    if finish.is_some() {
        // Remove the active pods of a finished Job (`deleteActivePods`, finalizers kept): the
        // tracking below counts every one that did not succeed as failed when the Job fails.
        for pod in &active {
            delete_pod(&mut actions, pod, true);
        }
        if track_terminating_pods(job, gates) {
            terminating += to_i32(active.len());
        }
        active.clear();
    } else {
        let mut manage_job_called = false;
        if !deleting {
            manage_job_called = true;
            if suspended {
                // manageJob with a suspended Job: delete the active pods (`deleteJobPods`: not
                // counted as failures).
                for pod in &active {
                    delete_pod(&mut actions, pod, false);
                }
                if track_terminating_pods(job, gates) {
                    terminating += to_i32(active.len());
                }
                active.clear();
            } else {
                let completions = spec.completions;
                let parallelism = spec.parallelism.unwrap_or(1).max(0);
                // manageJob's wantActive: for a work-queue Job that had a success, what runs now.
                let want = match completions {
                    Some(c) => parallelism.min((c - succeeded).max(0)),
                    None if succeeded > 0 => to_i32(active.len()),
                    None => parallelism,
                };
                let want = usize::try_from(want).unwrap_or(0);
                // With only failed pods replaced, a terminating pod still holds its place.
                let held_by_terminating =
                    if only_failed { usize::try_from(terminating).unwrap_or(0) } else { 0 };
                let held = active.len() + held_by_terminating;
                // activePodsForRemoval: too many running (parallelism lowered, completions
                // reached) and, for an Indexed Job, pods with a repeated or invalid index.
                // Deleting takes precedence over creating in one sync.
                let mut doomed = indexed::active_pods_for_removal(
                    &active,
                    active.len().saturating_sub(want),
                    indexed,
                );
                doomed.truncate(MAX_POD_CREATE_DELETE_PER_SYNC);
                if !doomed.is_empty() {
                    // manageJob: `active -= diff`, and the deleted ready pods leave `ready`.
                    active.retain(|p| !doomed.iter().any(|d| std::ptr::eq(*d, *p)));
                    if track_terminating_pods(job, gates) {
                        terminating += to_i32(doomed.len());
                    }
                    for pod in doomed {
                        delete_pod(&mut actions, pod, false);
                    }
                } else if held < want {
                    // The pod-failure backoff counts every failure, ignored ones included
                    // (upstream's backoffRecord is built from all newly failed pods). With
                    // backoffLimitPerIndex each index has its own (below).
                    let last_failure = pods
                        .iter()
                        .filter(|p| pod_failed(p))
                        .filter_map(|p| finished_at(p).or_else(|| deletion_requested_at(p)))
                        .max();
                    let failures = failed.max(to_i32(all_failed));
                    let not_before = last_failure
                        .map(|t| t + failure_backoff(failures))
                        .filter(|_| per_index.is_none());
                    match not_before {
                        Some(t) if now < t => {
                            requeue_at = Some(requeue_at.map_or(t, |r: Timestamp| r.min(t)));
                        }
                        _ => {
                            let taken: BTreeSet<&str> =
                                pods.iter().filter_map(|p| p.metadata.name.as_deref()).collect();
                            let mut index = pods.len() + gone;
                            // firstPendingIndexes: the lowest indexes neither succeeded nor
                            // active (nor terminating, when only failed pods are replaced).
                            let completions: Vec<Option<i32>> = match indexed {
                                Some(c) => {
                                    let mut busy = succeeded_indexes(&original, pods, c);
                                    busy.extend(active.iter().filter_map(|p| completion_index(p)));
                                    if only_failed {
                                        busy.extend(
                                            pods.iter()
                                                .filter(|p| is_terminating(p))
                                                .filter_map(completion_index),
                                        );
                                    }
                                    busy.extend(failed_ix.iter().flatten());
                                    let pending: Vec<i32> = (0..c)
                                        .filter(|i| !busy.contains(i))
                                        .take((want - held).min(MAX_POD_CREATE_DELETE_PER_SYNC))
                                        .collect();
                                    if per_index.is_some() {
                                        // getPodCreationInfoForIndependentIndexes: only the
                                        // indexes whose own back-off is over.
                                        let (now_ix, wait) =
                                            indexed::creatable_indexes(pending, &delayed, now);
                                        if !wait.is_zero() {
                                            let t = now + wait;
                                            requeue_at = Some(requeue_at.map_or(t, |r| r.min(t)));
                                        }
                                        now_ix.into_iter().map(Some).collect()
                                    } else {
                                        pending.into_iter().map(Some).collect()
                                    }
                                }
                                None => vec![None; want - held],
                            };
                            for completion in completions {
                                let mut pod = pod_from_template_indexed(job, index, completion);
                                while pod
                                    .metadata
                                    .name
                                    .as_deref()
                                    .is_some_and(|n| taken.contains(n))
                                {
                                    index += 1;
                                    pod = pod_from_template_indexed(job, index, completion);
                                }
                                index += 1;
                                if let (Some(ix), Some(_)) = (completion, per_index) {
                                    // addIndexFailureCountAnnotation
                                    let replaced = delayed.get(&ix).copied();
                                    let (counted, ignored) =
                                        indexed::new_index_failure_counts(job, replaced);
                                    let a = pod
                                        .metadata
                                        .annotations
                                        .get_or_insert_with(Default::default);
                                    a.insert(
                                        indexed::INDEX_FAILURE_COUNT.to_owned(),
                                        counted.to_string(),
                                    );
                                    if ignored > 0 {
                                        a.insert(
                                            indexed::INDEX_IGNORED_FAILURE_COUNT.to_owned(),
                                            ignored.to_string(),
                                        );
                                    }
                                }
                                let name = pod.metadata.name.clone().unwrap_or_default();
                                actions.push(Action::CreatePod(Box::new(pod)));
                                created += 1;
                                event(
                                    &mut actions,
                                    EventType::Normal,
                                    "SuccessfulCreate",
                                    format!("Created pod: {name}"),
                                );
                            }
                        }
                    }
                }
            }
        }
        let now_active = active.len() + created;
        let complete = match spec.completions {
            Some(c) => succeeded >= c && now_active == 0,
            // Work-queue Job: done once one pod succeeded and none is left running.
            None => succeeded > 0 && now_active == 0,
        };
        if complete {
            let (reason, message) = if gates.success_policy {
                ("CompletionsReached", "Reached expected number of succeeded pods")
            } else {
                ("", "")
            };
            finish = Some(Finish {
                success: true,
                reason: reason.to_owned(),
                message: message.to_owned(),
                interim: gates.delay_terminal_condition(),
                has_interim: false,
            });
        } else if manage_job_called {
            if suspended {
                if !has_condition(&status, "Suspended", "True") {
                    ensure_condition(
                        &mut status,
                        condition("Suspended", "JobSuspended", "Job suspended", now),
                    );
                    event(&mut actions, EventType::Normal, "Suspended", "Job suspended".to_owned());
                }
            } else if has_condition(&status, "Suspended", "True") {
                // Resuming resets the start time so activeDeadlineSeconds counts from now.
                let mut resumed = condition("Suspended", "JobResumed", "Job resumed", now);
                resumed.status = "False".to_owned();
                ensure_condition(&mut status, resumed);
                status.start_time = Some(Time(now));
                event(&mut actions, EventType::Normal, "Resumed", "Job resumed".to_owned());
            }
        }
    }

    let ready = active.iter().filter(|p| is_ready(p)).count();
    // manageJob counts the pods it just created as active.
    status.active = nonzero(to_i32(active.len() + created));
    status.ready = Some(to_i32(ready));
    // JobPodReplacementPolicy: pods being deleted that have not finished.
    status.terminating = gates.pod_replacement_policy.then_some(terminating);

    let needs_flush = status != original;
    let tracking = Tracking {
        job,
        pods,
        finish: finish.as_ref(),
        terminating,
        only_failed,
        gates,
        now,
        delayed: &delayed,
        failed_indexes: failed_ix.as_ref(),
        succeeded_indexes: indexed.map(|_| &succeeded_ix),
    };
    let (writes, finished) = tracking.run(status, &original, needs_flush);
    actions.extend(writes);
    if let Some((type_, reason, message)) = finished {
        event(&mut actions, type_, &reason, message);
    }
    Sync { actions, requeue_at }
}

/// upstream `MaxUncountedPods`: at most this many pods in `status.uncountedTerminatedPods`
/// per sync (the rest wait for the next sync).
const MAX_UNCOUNTED_PODS: usize = 500;

/// upstream `MaxPodCreateDeletePerSync`.
const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;

/// The inputs of upstream's `trackJobStatusAndRemoveFinalizers` (`job_controller.go`, v1.32):
/// the Job, its pods, the condition the sync finishes it with, and the terminating pods.
struct Tracking<'a> {
    job: &'a Job,
    pods: &'a [Pod],
    finish: Option<&'a Finish>,
    terminating: i32,
    only_failed: bool,
    gates: Gates,
    now: Timestamp,
    /// The failed pods whose finalizer waits for their replacement, by index.
    delayed: &'a BTreeMap<i32, &'a Pod>,
    /// The failed indexes, with backoffLimitPerIndex.
    failed_indexes: Option<&'a BTreeSet<i32>>,
    /// `jobCtx.succeededIndexes` of an Indexed Job.
    succeeded_indexes: Option<&'a BTreeSet<i32>>,
}

impl Tracking<'_> {
    /// `trackJobStatusAndRemoveFinalizers` then `flushUncountedAndRemoveFinalizers` and
    /// `enactJobFinished`: the status writes and finalizer removals, in order, starting from
    /// `status` (the Job's status as the sync left it; `baseline` is the one read), and the
    /// event to record once the Job finished (type, reason, message).
    fn run(
        &self,
        mut status: JobStatus,
        baseline: &JobStatus,
        needs_flush: bool,
    ) -> (Vec<Action>, Option<(EventType, String, String)>) {
        let Tracking {
            job,
            pods,
            finish,
            terminating,
            only_failed,
            gates,
            now,
            delayed,
            failed_indexes,
            succeeded_indexes: succeeded_ix,
        } = *self;
        let deleting = job.metadata.deletion_timestamp.is_some();
        let failure_policy = job.spec.as_ref().and_then(|s| s.pod_failure_policy.as_ref());
        let pod_failed = |p: &Pod| is_pod_failed(p, only_failed);
        let uncounted = baseline.uncounted_terminated_pods.clone().unwrap_or_default();
        let uncounted_succeeded: BTreeSet<&str> =
            uncounted.succeeded.iter().flatten().map(String::as_str).collect();
        let uncounted_failed: BTreeSet<&str> =
            uncounted.failed.iter().flatten().map(String::as_str).collect();
        let indexed = indexed_completions(job);
        let mut tracked: Vec<&Pod> = pods.iter().filter(|p| has_tracking_finalizer(p)).collect();
        if indexed.is_some() {
            // byCompletionIndex: completed indexes are introduced in order.
            tracked.sort_by_key(|p| completion_index(p).unwrap_or(-1));
        }
        let tracked = || tracked.iter().copied();
        let prev_indexes = indexed
            .map(|c| parse_indexes(baseline.completed_indexes.as_deref(), c))
            .unwrap_or_default();
        let mut actions = Vec::new();
        let with_finalizer: BTreeSet<&str> = tracked().map(pod_uid).collect();
        let mut needs_flush = clean_uncounted(&mut status, &with_finalizer) || needs_flush;
        let failing = finish.is_some_and(|f| !f.success);
        let mut to_remove: Vec<&Pod> = Vec::new();
        let mut reached_max = false;
        // newSucceededIndexes: they count towards MaxUncountedPods too.
        let mut new_succeeded_ix: Vec<i32> = Vec::new();
        {
            let list = status.uncounted_terminated_pods.get_or_insert_with(Default::default);
            for pod in tracked() {
                let considered_failed = pod_failed(pod);
                // canRemoveFinalizer: the Job is being deleted or finishing, or the pod finished.
                if !(deleting || finish.is_some() || phase(pod) == "Succeeded" || considered_failed)
                {
                    continue;
                }
                // canRemoveFinalizer: a failed pod waiting for its replacement keeps it.
                if !(deleting || finish.is_some() || phase(pod) == "Succeeded")
                    && completion_index(pod)
                        .and_then(|i| delayed.get(&i))
                        .is_some_and(|d| pod_uid(d) == pod_uid(pod))
                {
                    continue;
                }
                to_remove.push(pod);
                let uid = pod_uid(pod);
                let valid = indexed.is_none_or(|c| completion_index(pod).is_some_and(|i| i < c));
                if phase(pod) == "Succeeded" && !uncounted_failed.contains(uid) {
                    if indexed.is_some() {
                        // The completion index is enough to avoid recounting succeeded pods.
                        if valid
                            && let Some(i) =
                                completion_index(pod).filter(|i| !prev_indexes.contains(i))
                        {
                            new_succeeded_ix.push(i);
                            needs_flush = true;
                        }
                    } else if !uncounted_succeeded.contains(uid) {
                        list.succeeded.get_or_insert_with(Vec::new).push(uid.to_owned());
                        needs_flush = true;
                    }
                } else if (considered_failed || failing)
                    && !uncounted_failed.contains(uid)
                    && valid
                    && pod_failure_policy::match_policy(failure_policy, pod).count_failed
                {
                    // When the Job fails, every pod that did not succeed counts as failed.
                    list.failed.get_or_insert_with(Vec::new).push(uid.to_owned());
                    needs_flush = true;
                }
                let n = new_succeeded_ix.len()
                    + list.succeeded.as_ref().map_or(0, Vec::len)
                    + list.failed.as_ref().map_or(0, Vec::len);
                if n >= MAX_UNCOUNTED_PODS {
                    reached_max = true;
                    break;
                }
            }
        }
        if let Some(c) = indexed {
            // jobCtx.succeededIndexes (syncJob's calculateSucceededIndexes) with the new ones.
            let mut done = succeeded_ix.cloned().unwrap_or_else(|| parse_indexes(None, c));
            done.extend(new_succeeded_ix.iter().copied());
            let text = format_indexes(&done);
            if status.completed_indexes.as_deref().unwrap_or_default() != text {
                needs_flush = true;
            }
            status.succeeded = nonzero(to_i32(done.len()));
            status.completed_indexes = (!text.is_empty()).then_some(text);
            // `failedIndexes` with backoffLimitPerIndex (`""` when none), cleared without.
            let failed_text = failed_indexes.map(format_indexes);
            if status.failed_indexes != failed_text {
                status.failed_indexes = failed_text;
                needs_flush = true;
            }
        }
        // The interim condition, written before any finalizer goes.
        if let Some(f) = finish
            && f.interim
            && !f.has_interim
        {
            let type_ = if f.success { "SuccessCriteriaMet" } else { "FailureTarget" };
            status
                .conditions
                .get_or_insert_with(Vec::new)
                .push(condition(type_, &f.reason, &f.message, now));
            needs_flush = true;
        }
        // flushUncountedAndRemoveFinalizers: write, remove the finalizers, count.
        let write = |actions: &mut Vec<Action>, status: &JobStatus| {
            let mut updated = job.clone();
            updated.status = Some(status.clone());
            actions.push(Action::ReplaceStatus { kind: Kind::Job, object: to_value(&updated) });
        };
        normalize_uncounted(&mut status);
        if needs_flush {
            write(&mut actions, &status);
        }
        let flushed = status.clone();
        for pod in &to_remove {
            actions.push(remove_finalizer_action(pod));
        }
        let left: BTreeSet<&str> = with_finalizer
            .iter()
            .copied()
            .filter(|u| !to_remove.iter().any(|p| pod_uid(p) == *u))
            .collect();
        clean_uncounted(&mut status, &left);
        normalize_uncounted(&mut status);
        // enactJobFinished: the final condition once nothing is uncounted and (when the gates
        // delay it) no pod is terminating.
        let mut finished = None;
        if let Some(f) = finish
            && !reached_max
            && uncounted_len(&status) == 0
            && !(gates.delay_terminal_condition() && terminating > 0)
        {
            let final_type = if f.success { "Complete" } else { "Failed" };
            ensure_condition(&mut status, condition(final_type, &f.reason, &f.message, now));
            if f.success {
                status.completion_time = Some(Time(now));
                finished =
                    Some((EventType::Normal, "Completed".to_owned(), "Job completed".to_owned()));
            } else {
                finished = Some((EventType::Warning, f.reason.clone(), f.message.clone()));
            }
        }
        if status != flushed {
            write(&mut actions, &status);
        }
        (actions, finished)
    }
}

/// `uncountedTerminatedPods` is always written (`{}` when empty), as upstream sets it in
/// `syncJob` before any write.
fn normalize_uncounted(status: &mut JobStatus) {
    let u = status.uncounted_terminated_pods.get_or_insert_with(Default::default);
    if u.succeeded.as_ref().is_some_and(Vec::is_empty) {
        u.succeeded = None;
    }
    if u.failed.as_ref().is_some_and(Vec::is_empty) {
        u.failed = None;
    }
}

/// `batch.kubernetes.io/job-tracking` (`batch.JobTrackingFinalizer`).
pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";

/// upstream `hasJobTrackingFinalizer`.
pub fn has_tracking_finalizer(pod: &Pod) -> bool {
    pod.metadata.finalizers.iter().flatten().any(|f| f == TRACKING_FINALIZER)
}

/// upstream `removeTrackingFinalizerPatch`: a patch of the pod's finalizers, no
/// resourceVersion precondition (a pod already gone counts as done).
fn remove_finalizer_action(pod: &Pod) -> Action {
    Action::RemoveFinalizer {
        kind: Kind::Pod,
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        finalizer: TRACKING_FINALIZER.to_owned(),
    }
}

/// upstream `syncOrphanPod` (`job_controller.go`, v1.32): a pod with the tracking finalizer
/// whose controller is gone (no controller reference, or the Job it names no longer exists with
/// that uid) or finished loses the finalizer. `job` is the Job its controller reference names,
/// if that Job exists. A pod controlled by something else than a Job keeps it.
pub fn sync_orphan_pod(pod: &Pod, job: Option<&Job>) -> Sync {
    if !has_tracking_finalizer(pod) {
        return Sync::default();
    }
    let controller =
        pod.metadata.owner_references.iter().flatten().find(|r| r.controller == Some(true));
    if let Some(r) = controller {
        if r.kind != "Job" || r.api_version != "batch/v1" {
            return Sync::default();
        }
        if let Some(job) = job
            && job.metadata.uid.as_deref() == Some(r.uid.as_str())
            && finished_status(job).is_none()
        {
            // Adopted / still controlled: syncJob removes it.
            return Sync::default();
        }
    }
    Sync { actions: vec![remove_finalizer_action(pod)], requeue_at: None }
}

/// upstream `pastBackoffLimitOnFailure`: with `restartPolicy: OnFailure` the restarts of the
/// running and pending pods' containers count against `backoffLimit` (`>= limit`, or `> 0` when
/// the limit is 0).
pub fn past_backoff_limit_on_failure(job: &Job, pods: &[Pod]) -> bool {
    let spec = job.spec.as_ref();
    let policy =
        spec.and_then(|s| s.template.spec.as_ref()).and_then(|s| s.restart_policy.as_deref());
    if policy != Some("OnFailure") {
        return false;
    }
    let mut restarts = 0_i32;
    for pod in pods {
        if !matches!(phase(pod), "Running" | "Pending") {
            continue;
        }
        let Some(status) = pod.status.as_ref() else { continue };
        for cs in status.init_container_statuses.iter().flatten() {
            restarts = restarts.saturating_add(cs.restart_count);
        }
        for cs in status.container_statuses.iter().flatten() {
            restarts = restarts.saturating_add(cs.restart_count);
        }
    }
    let limit = spec.and_then(|s| s.backoff_limit).unwrap_or(DEFAULT_BACKOFF_LIMIT);
    if limit == 0 { restarts > 0 } else { restarts >= limit }
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Counters are `omitempty` upstream: zero is not written.
fn nonzero(n: i32) -> Option<i32> {
    (n != 0).then_some(n)
}

/// Whether a Job ended successfully (upstream `IsJobSucceeded`).
pub fn succeeded(job: &Job) -> bool {
    finished_status(job) == Some(Finished::Complete)
}

/// `batch.JobCompletionIndexAnnotation` (also the label, `PodIndexLabel` GA in 1.32).
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";

/// upstream `isIndexedJob`: `completionMode: Indexed` (the API requires `completions` then).
fn indexed_completions(job: &Job) -> Option<i32> {
    let spec = job.spec.as_ref()?;
    (spec.completion_mode.as_deref() == Some("Indexed")).then(|| spec.completions.unwrap_or(0))
}

/// upstream `getCompletionIndex` (indexed_job_utils.go, v1.32): the annotation's value, if a
/// non-negative integer.
fn completion_index(pod: &Pod) -> Option<i32> {
    let v = pod.metadata.annotations.as_ref()?.get(COMPLETION_INDEX)?;
    v.parse::<i32>().ok().filter(|i| *i >= 0)
}

/// upstream `parseIndexesFromString`: the indexes of an interval list (`"1,3-5"`) below
/// `completions`; malformed parts are skipped.
fn parse_indexes(s: Option<&str>, completions: i32) -> BTreeSet<i32> {
    let mut out = BTreeSet::new();
    for part in s.unwrap_or_default().split(',').filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) else { continue };
        out.extend((a.max(0)..=b.min(completions - 1)).filter(|i| *i < completions));
    }
    out
}

/// One interval as `orderedIntervals.String` writes it: `3`, `3,4` (two indexes), `3-5`.
fn interval(a: i32, b: i32) -> String {
    match b - a {
        0 => a.to_string(),
        1 => format!("{a},{b}"),
        _ => format!("{a}-{b}"),
    }
}

/// upstream `orderedIntervals.String` (indexed_job_utils.go, v1.32.0): `"1,3-5"`, a
/// two-index interval as `"1,2"`.
fn format_indexes(set: &BTreeSet<i32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<(i32, i32)> = None;
    for &i in set {
        run = match run {
            Some((a, b)) if i == b + 1 => Some((a, i)),
            Some((a, b)) => {
                parts.push(interval(a, b));
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    if let Some((a, b)) = run {
        parts.push(interval(a, b));
    }
    parts.join(",")
}

/// upstream `matchSuccessPolicy` and `matchSucceededIndexesRule` (success_policy.go, v1.32.0):
/// the first rule whose `succeededIndexes` all succeeded (or at least `succeededCount` of them),
/// or, without indexes, with at least `succeededCount` succeeded indexes; a rule whose indexes
/// do not parse is skipped. The message is `Matched rules at index <i>`.
fn match_success_policy(
    policy: Option<&k8s_openapi::api::batch::v1::SuccessPolicy>,
    completions: i32,
    succeeded: &BTreeSet<i32>,
) -> Option<String> {
    let policy = policy?;
    if succeeded.is_empty() {
        return None;
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        let matched = if let Some(ix) = rule.succeeded_indexes.as_deref() {
            let required = parse_indexes(Some(ix), completions);
            if required.is_empty() {
                continue;
            }
            let contains = to_i32(required.intersection(succeeded).count());
            contains == to_i32(required.len())
                || rule.succeeded_count.is_some_and(|n| contains >= n)
        } else {
            rule.succeeded_count.is_some_and(|n| to_i32(succeeded.len()) >= n)
        };
        if matched {
            return Some(format!("Matched rules at index {index}"));
        }
    }
    None
}

/// upstream `calculateSucceededIndexes`: the indexes in `status.completedIndexes` and those of
/// succeeded pods still carrying the finalizer (valid, below `completions`).
fn succeeded_indexes(status: &JobStatus, pods: &[Pod], completions: i32) -> BTreeSet<i32> {
    let mut set = parse_indexes(status.completed_indexes.as_deref(), completions);
    set.extend(
        pods.iter()
            .filter(|p| phase(p) == "Succeeded" && has_tracking_finalizer(p))
            .filter_map(completion_index)
            .filter(|i| *i < completions),
    );
    set
}

/// upstream `controller.GetPodFromTemplate` for the `index`-th pod the Job creates: the
/// template's labels (plus the Job labels the API server adds to the template), annotations and
/// spec, a controller reference to the Job, and a generated name `<job>-xxxxx`.
///
/// `sandbox.kuul.dev/exit-codes` on the template is resolved here (the Nth pod gets the Nth
/// code, the last repeats) into `sandbox.kuul.dev/exit-code` on the pod, so the kubelet needs
/// only the pod.
pub fn pod_from_template(job: &Job, index: usize) -> Pod {
    pod_from_template_indexed(job, index, None)
}

/// [`pod_from_template`] for an Indexed Job's `completion` index (manageJob with
/// `addCompletionIndexEnvVariables`, `addCompletionIndexAnnotation`, `addCompletionIndexLabel`,
/// `podGenerateNameWithIndex`, job_controller.go / indexed_job_utils.go, v1.32): the index as
/// annotation and label, `JOB_COMPLETION_INDEX` from the label in every container and init
/// container that lacks it, hostname `<job>-<index>`, generated name `<job>-<index>-xxxxx`.
pub fn pod_from_template_indexed(job: &Job, index: usize, completion: Option<i32>) -> Pod {
    let job_name = job.metadata.name.clone().unwrap_or_default();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let template = job.spec.as_ref().map(|s| &s.template);
    let template_meta = template.and_then(|t| t.metadata.as_ref());
    let mut pod_labels = template_meta.and_then(|m| m.labels.clone()).unwrap_or_default();
    for (k, v) in [
        (labels::CONTROLLER_UID, &uid),
        (labels::JOB_NAME, &job_name),
        (labels::LEGACY_CONTROLLER_UID, &uid),
        (labels::LEGACY_JOB_NAME, &job_name),
    ] {
        pod_labels.entry(k.to_owned()).or_insert_with(|| v.clone());
    }
    let mut pod_annotations = template_meta.and_then(|m| m.annotations.clone()).unwrap_or_default();
    if let Some(codes) = pod_annotations.get(annotations::EXIT_CODES).cloned() {
        let codes: Vec<&str> = codes.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
        if let Some(code) = codes.get(index).or(codes.last()) {
            pod_annotations.insert(annotations::EXIT_CODE.to_owned(), (*code).to_owned());
        }
    }
    let mut spec = template.and_then(|t| t.spec.clone());
    let mut prefix = format!("{job_name}-");
    if let Some(ix) = completion {
        pod_annotations.insert(COMPLETION_INDEX.to_owned(), ix.to_string());
        pod_labels.insert(COMPLETION_INDEX.to_owned(), ix.to_string());
        let append = format!("-{ix}-");
        // names.MaxGeneratedNameLength (63 - 5).
        let keep = job_name.len().min(58_usize.saturating_sub(append.len()));
        prefix = format!("{}{append}", &job_name[..keep]);
        if let Some(spec) = spec.as_mut() {
            spec.hostname = Some(format!("{job_name}-{ix}"));
            let env_var = k8s_openapi::api::core::v1::EnvVar {
                name: "JOB_COMPLETION_INDEX".to_owned(),
                value_from: Some(k8s_openapi::api::core::v1::EnvVarSource {
                    field_ref: Some(k8s_openapi::api::core::v1::ObjectFieldSelector {
                        field_path: format!("metadata.labels['{COMPLETION_INDEX}']"),
                        api_version: None,
                    }),
                    ..Default::default()
                }),
                value: None,
            };
            let containers =
                spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut());
            for c in containers {
                let env = c.env.get_or_insert_with(Vec::new);
                if !env.iter().any(|e| e.name == env_var.name) {
                    env.push(env_var.clone());
                }
            }
        }
    }
    Pod {
        metadata: ObjectMeta {
            name: Some(generate_name(&prefix, &format!("{uid}/{index}"))),
            // `GetPodFromTemplate` with `getPodsPrefix` (pkg/controller/controller_utils.go,
            // v1.32.0): the pod asks for a generated name `<job>-`; the sandbox picks the
            // suffix itself, deterministically (L6).
            generate_name: Some(prefix.clone()),
            namespace: job.metadata.namespace.clone(),
            labels: Some(pod_labels),
            annotations: (!pod_annotations.is_empty()).then_some(pod_annotations),
            // manageJob: `appendJobCompletionFinalizerIfNotFound` on the pod template.
            finalizers: Some(finalizers_with_tracking(
                template_meta.and_then(|m| m.finalizers.clone()).unwrap_or_default(),
            )),
            owner_references: Some(vec![controller_ref("Job", "batch/v1", &job.metadata)]),
            ..ObjectMeta::default()
        },
        spec,
        status: Some(PodStatus {
            phase: Some("Pending".to_owned()),
            qos_class: Some(pod_qos(template.and_then(|t| t.spec.as_ref())).to_owned()),
            ..PodStatus::default()
        }),
    }
}

/// upstream `appendJobCompletionFinalizerIfNotFound`.
fn finalizers_with_tracking(mut finalizers: Vec<String>) -> Vec<String> {
    if !finalizers.iter().any(|f| f == TRACKING_FINALIZER) {
        finalizers.push(TRACKING_FINALIZER.to_owned());
    }
    finalizers
}

/// A Job pod as it is once the Job controller has counted it: without the tracking finalizer
/// (the seeds build finished pods this way).
pub fn without_tracking_finalizer(mut pod: Pod) -> Pod {
    if let Some(f) = pod.metadata.finalizers.as_mut() {
        f.retain(|f| f != TRACKING_FINALIZER);
        if f.is_empty() {
            pod.metadata.finalizers = None;
        }
    }
    pod
}

/// The QoS class the API server computes for a pod created from `spec` (limits copied into
/// missing requests first, as `SetDefaults_Pod` does).
fn pod_qos(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> &'static str {
    let Some(spec) = spec else { return "BestEffort" };
    let mut v = to_value(spec);
    crate::defaults::pod_requests_from_limits(&mut v);
    crate::defaults::qos_class(&v)
}

pub mod indexed;
pub mod pod_failure_policy;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod upstream_tests;

#[cfg(test)]
mod upstream_finish_tests;
