//! Indexed Jobs: pods with a duplicate or invalid index, `backoffLimitPerIndex` (per-index
//! failure counts, `failedIndexes`, the per-index pod-failure backoff) and the order in which
//! pods are removed. A port of upstream's `pkg/controller/job/indexed_job_utils.go`
//! (`appendDuplicatedIndexPodsForRemoval`, `calculateFailedIndexes`, `isIndexFailed`,
//! `getPodsWithDelayedDeletionPerIndex`, `getNewIndexFailureCounts`), `backoff_utils.go`
//! (`getFinishedTime`, `getRemainingTimePerIndex`, `getRemainingTimeForFailuresCount`),
//! `job_controller.go` (`activePodsForRemoval`, `getPodCreationInfoForIndependentIndexes`) and
//! `pkg/controller/controller_utils.go` (`ActivePods`), v1.32.0, with the
//! `JobBackoffLimitPerIndex` gate on (beta, the 1.32 default).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{Job, JobStatus};
use k8s_openapi::api::core::v1::Pod;

use super::{
    MAX_POD_FAILURE_BACKOFF, POD_FAILURE_BACKOFF, completion_index, has_tracking_finalizer,
    is_pod_failed, is_ready, parse_indexes, phase, pod_failure_policy,
};

/// `batch.JobIndexFailureCountAnnotation`
pub const INDEX_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-failure-count";
/// `batch.JobIndexIgnoredFailureCountAnnotation`
pub const INDEX_IGNORED_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-ignored-failure-count";

/// upstream `hasBackoffLimitPerIndex`: `spec.backoffLimitPerIndex` (the gate is on in 1.32).
pub(super) fn backoff_limit_per_index(job: &Job) -> Option<i32> {
    job.spec.as_ref()?.backoff_limit_per_index
}

/// upstream `parseInt32` of an annotation: 0 when missing, unparsable, negative or above
/// `MaxInt32`.
fn annotation_count(pod: &Pod, key: &str) -> i32 {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|v| i32::try_from(v).ok())
        .filter(|v| *v >= 0)
        .unwrap_or(0)
}

/// upstream `getIndexFailureCount`.
pub(super) fn failure_count(pod: &Pod) -> i32 {
    annotation_count(pod, INDEX_FAILURE_COUNT)
}

/// upstream `getIndexAbsoluteFailureCount`: counted and ignored failures.
fn absolute_failure_count(pod: &Pod) -> i32 {
    failure_count(pod).saturating_add(annotation_count(pod, INDEX_IGNORED_FAILURE_COUNT))
}

/// upstream `isIndexFailed`: a failed pod whose `FailIndex` rule matched, or whose counted
/// failure brings its index to `backoffLimitPerIndex`.
fn is_index_failed(job: &Job, pod: &Pod, only_failed: bool, limit: i32) -> bool {
    if !is_pod_failed(pod, only_failed) {
        return false;
    }
    let policy = job.spec.as_ref().and_then(|s| s.pod_failure_policy.as_ref());
    let counted = match policy {
        Some(_) => {
            let m = pod_failure_policy::match_policy(policy, pod);
            if m.action.as_deref() == Some("FailIndex") {
                return true;
            }
            m.count_failed
        }
        None => true,
    };
    counted && failure_count(pod) >= limit
}

/// upstream `calculateFailedIndexes`: the indexes in `status.failedIndexes` and those of failed
/// pods (valid index, tracking finalizer) whose index failed.
pub(super) fn failed_indexes(
    job: &Job,
    status: &JobStatus,
    pods: &[Pod],
    completions: i32,
    only_failed: bool,
    limit: i32,
) -> BTreeSet<i32> {
    let mut set = parse_indexes(status.failed_indexes.as_deref(), completions);
    set.extend(pods.iter().filter(|p| has_tracking_finalizer(p)).filter_map(|p| {
        let ix = completion_index(p).filter(|i| *i < completions)?;
        is_index_failed(job, p, only_failed, limit).then_some(ix)
    }));
    set
}

/// upstream `getPodsWithDelayedDeletionPerIndex`: per pending index, the failed pod whose
/// finalizer stays until its replacement exists (so that the replacement gets the failure
/// counts): the one with the highest absolute failure count, the latest to finish among equals.
pub(super) fn delayed_deletion_per_index<'a>(
    pods: &'a [Pod],
    active: &[&Pod],
    done: &BTreeSet<i32>,
    completions: i32,
    only_failed: bool,
) -> BTreeMap<i32, &'a Pod> {
    let active: BTreeSet<i32> = active.iter().filter_map(|p| completion_index(p)).collect();
    let mut out: BTreeMap<i32, &Pod> = BTreeMap::new();
    for pod in pods.iter().filter(|p| has_tracking_finalizer(p) && is_pod_failed(p, only_failed)) {
        let Some(ix) = completion_index(pod).filter(|i| *i < completions) else { continue };
        if done.contains(&ix) || active.contains(&ix) {
            continue;
        }
        match out.get(&ix) {
            Some(last)
                if !(absolute_failure_count(last) <= absolute_failure_count(pod)
                    && finished_time(pod) >= finished_time(last)) => {}
            _ => {
                out.insert(ix, pod);
            }
        }
    }
    out
}

/// upstream `getNewIndexFailureCounts`: the (counted, ignored) failure counts of the pod that
/// replaces `replaced` (0, 0 for an index's first pod).
pub(super) fn new_index_failure_counts(job: &Job, replaced: Option<&Pod>) -> (i32, i32) {
    let Some(pod) = replaced else { return (0, 0) };
    let (mut counted, mut ignored) =
        (failure_count(pod), annotation_count(pod, INDEX_IGNORED_FAILURE_COUNT));
    let policy = job.spec.as_ref().and_then(|s| s.pod_failure_policy.as_ref());
    if policy.is_none() || pod_failure_policy::match_policy(policy, pod).count_failed {
        counted = counted.saturating_add(1);
    } else {
        ignored = ignored.saturating_add(1);
    }
    (counted, ignored)
}

/// upstream `getFinishedTime`: the latest container `finishedAt` when every container (and
/// sidecar) terminated, else the `Ready=False` condition's transition, else the deletion
/// request (`deletionTimestamp` minus the grace period), else the creation time (`None`: the
/// zero time, long ago).
pub(super) fn finished_time(pod: &Pod) -> Option<Timestamp> {
    if let Some(t) = finish_time_from_containers(pod) {
        return Some(t);
    }
    let status = pod.status.as_ref();
    let ready_false = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .filter(|c| c.status == "False")
        .and_then(|c| c.last_transition_time.as_ref().map(|t| t.0));
    if ready_false.is_some() {
        return ready_false;
    }
    if let Some(at) = pod.metadata.deletion_timestamp.as_ref() {
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0);
        return Some(at.0 - SignedDuration::from_secs(grace));
    }
    pod.metadata.creation_timestamp.as_ref().map(|t| t.0)
}

/// upstream `getFinishTimeFromContainers` with `SidecarContainers` on (1.32 default): `None`
/// unless every container, and every restartable init container, terminated with a time.
fn finish_time_from_containers(pod: &Pod) -> Option<Timestamp> {
    let status = pod.status.as_ref()?;
    let sidecars: BTreeSet<&str> = pod
        .spec
        .iter()
        .flat_map(|s| s.init_containers.iter().flatten())
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| c.name.as_str())
        .collect();
    let mut latest: Option<Timestamp> = None;
    let statuses = status.container_statuses.iter().flatten().chain(
        status
            .init_container_statuses
            .iter()
            .flatten()
            .filter(|c| sidecars.contains(c.name.as_str())),
    );
    for cs in statuses {
        let t = cs.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref()?.0;
        latest = Some(latest.map_or(t, |l| l.max(t)));
    }
    latest
}

/// upstream `getRemainingTimeForFailuresCount`: what is left of the back-off (10 s doubled per
/// failure after the first, at most 10 minutes) since `last_failure`.
pub(super) fn remaining_backoff(
    failures: i32,
    last_failure: Option<Timestamp>,
    now: Timestamp,
) -> SignedDuration {
    if failures <= 0 {
        return SignedDuration::ZERO;
    }
    let mut backoff = POD_FAILURE_BACKOFF;
    for _ in 1..failures {
        backoff *= 2;
        if backoff >= MAX_POD_FAILURE_BACKOFF {
            backoff = MAX_POD_FAILURE_BACKOFF;
            break;
        }
    }
    // The zero time (no finish time known) is long ago: no back-off left.
    let Some(last) = last_failure else { return SignedDuration::ZERO };
    let elapsed = now.duration_since(last);
    if backoff < elapsed { SignedDuration::ZERO } else { backoff - elapsed }
}

/// upstream `getRemainingTimePerIndex`: the back-off left for an index whose last failed pod
/// is `last_failed` (absolute failure count + 1 failures, from its finish time).
fn remaining_per_index(last_failed: Option<&Pod>, now: Timestamp) -> SignedDuration {
    let Some(pod) = last_failed else { return SignedDuration::ZERO };
    remaining_backoff(absolute_failure_count(pod).saturating_add(1), finished_time(pod), now)
}

/// upstream `getPodCreationInfoForIndependentIndexes`: the indexes whose back-off is over, and
/// the shortest wait of the others (upstream returns it only when no index is ready and relies
/// on the next pod event otherwise; the sandbox, whose syncs follow wakeups, requeues for it
/// either way).
pub(super) fn creatable_indexes(
    indexes: Vec<i32>,
    delayed: &BTreeMap<i32, &Pod>,
    now: Timestamp,
) -> (Vec<i32>, SignedDuration) {
    let mut ready = Vec::new();
    let mut min_wait: Option<SignedDuration> = None;
    for ix in indexes {
        let wait = remaining_per_index(delayed.get(&ix).copied(), now);
        if wait.is_zero() {
            ready.push(ix);
        } else if min_wait.is_none_or(|m| wait < m) {
            min_wait = Some(wait);
        }
    }
    (ready, min_wait.unwrap_or(SignedDuration::ZERO))
}

/// upstream `controller.ActivePods` `Less`: the order in which active pods are removed
/// (unassigned before assigned, pending before unknown before running, not ready before ready,
/// ready for less time before more, more container restarts before fewer, newer before older).
pub(super) fn removal_order(a: &Pod, b: &Pod) -> Ordering {
    let node = |p: &Pod| {
        p.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or_default().to_owned()
    };
    let (na, nb) = (node(a), node(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() { Ordering::Less } else { Ordering::Greater };
    }
    let rank = |p: &Pod| match phase(p) {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    if rank(a) != rank(b) {
        return rank(a).cmp(&rank(b));
    }
    if is_ready(a) != is_ready(b) {
        return if is_ready(a) { Ordering::Greater } else { Ordering::Less };
    }
    // afterOrZero: the zero time first, then the later one first.
    let after_or_zero = |x: Option<Timestamp>, y: Option<Timestamp>| match (x, y) {
        (None, _) | (_, None) => {
            if x.is_none() {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Some(x), Some(y)) => y.cmp(&x),
    };
    if is_ready(a) && is_ready(b) {
        let (ra, rb) = (ready_time(a), ready_time(b));
        if ra != rb {
            return after_or_zero(ra, rb);
        }
    }
    let (xa, xb) = (max_restarts(a), max_restarts(b));
    if xa != xb {
        return xb.cmp(&xa);
    }
    let created = |p: &Pod| p.metadata.creation_timestamp.as_ref().map(|t| t.0);
    if created(a) != created(b) {
        return after_or_zero(created(a), created(b));
    }
    Ordering::Equal
}

/// upstream `podReadyTime`: when the `Ready=True` condition last changed.
fn ready_time(pod: &Pod) -> Option<Timestamp> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready" && c.status == "True")?
        .last_transition_time
        .as_ref()
        .map(|t| t.0)
}

/// upstream `maxContainerRestarts`.
fn max_restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .map(|s| s.container_statuses.iter().flatten().map(|c| c.restart_count).max().unwrap_or(0))
        .unwrap_or(0)
}

/// upstream `activePodsForRemoval`: for an Indexed Job, the pods without a valid index and all
/// but one of each repeated index (`appendDuplicatedIndexPodsForRemoval`); then, while fewer
/// than `at_least`, the remaining pods in [`removal_order`].
pub(super) fn active_pods_for_removal<'a>(
    active: &[&'a Pod],
    at_least: usize,
    completions: Option<i32>,
) -> Vec<&'a Pod> {
    let (mut rm, mut left): (Vec<&Pod>, Vec<&Pod>) = match completions {
        Some(c) => duplicated_index_pods(active, c),
        None => (Vec::new(), active.to_vec()),
    };
    if rm.len() < at_least {
        left.sort_by(|a, b| removal_order(a, b));
        let n = at_least - rm.len();
        rm.extend(left.into_iter().take(n));
    }
    rm
}

/// upstream `appendDuplicatedIndexPodsForRemoval` (and
/// `appendPodsWithSameIndexForRemovalAndRemaining`): (to remove, to keep). Of the pods sharing
/// an index the last in [`removal_order`] stays (assigned, running, ready longest, older).
fn duplicated_index_pods<'a>(pods: &[&'a Pod], completions: i32) -> (Vec<&'a Pod>, Vec<&'a Pod>) {
    let mut sorted = pods.to_vec();
    sorted.sort_by_key(|p| completion_index(p).unwrap_or(-1));
    let (mut rm, mut left) = (Vec::new(), Vec::new());
    let mut groups: BTreeMap<i32, Vec<&Pod>> = BTreeMap::new();
    for p in sorted {
        let ix = completion_index(p).unwrap_or(-1);
        if ix >= completions || ix < 0 {
            rm.push(p);
        } else {
            groups.entry(ix).or_default().push(p);
        }
    }
    for (_, mut group) in groups {
        group.sort_by(|a, b| removal_order(a, b));
        let keep = group.pop();
        rm.extend(group);
        left.extend(keep);
    }
    (rm, left)
}
