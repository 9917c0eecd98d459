//! The TTL-after-finished controller: deletes a finished Job `ttlSecondsAfterFinished` after it
//! finished.
//!
//! Ported from kubernetes/kubernetes `pkg/controller/ttlafterfinished/ttlafterfinished_controller.go`
//! (v1.32.0: `processJob`, `processTTL`, `needsCleanup`, `getFinishAndExpireTime`, `timeLeft`,
//! `jobFinishTime`): a Job that is finished (`Complete` or `Failed` condition `True`), not being
//! deleted and has `spec.ttlSecondsAfterFinished` expires at that condition's
//! `lastTransitionTime` plus the TTL; then it is deleted with `propagationPolicy: Foreground` and
//! a `uid` precondition, so its pods go first. Before that it is requeued for the expiry. The
//! controller records no events.

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::Job;

use super::{Action, Propagation, Sync};
use crate::kind::Kind;

/// upstream `jobFinishTime`: the `lastTransitionTime` of the `Complete` or `Failed` condition that
/// is `True`.
pub fn finish_time(job: &Job) -> Option<Timestamp> {
    let conditions = job.status.as_ref()?.conditions.as_ref()?;
    conditions
        .iter()
        .find(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True")
        .and_then(|c| c.last_transition_time.as_ref())
        .map(|t| t.0)
}

/// When `job` expires, if it needs cleaning up at all (`needsCleanup` + `getFinishAndExpireTime`).
pub fn expires_at(job: &Job) -> Option<Timestamp> {
    if job.metadata.deletion_timestamp.is_some() {
        return None;
    }
    let ttl = job.spec.as_ref()?.ttl_seconds_after_finished?;
    Some(finish_time(job)? + SignedDuration::from_secs(i64::from(ttl)))
}

/// One `processJob` of `job` at `now`.
pub fn sync(job: &Job, now: Timestamp) -> Sync {
    let Some(expires) = expires_at(job) else { return Sync::default() };
    if expires > now {
        return Sync { actions: Vec::new(), requeue_at: Some(expires) };
    }
    let m = &job.metadata;
    Sync {
        actions: vec![Action::Delete {
            kind: Kind::Job,
            namespace: m.namespace.clone().unwrap_or_default(),
            name: m.name.clone().unwrap_or_default(),
            propagation: Propagation::Foreground,
            uid: m.uid.clone(),
        }],
        requeue_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn job(ttl: Option<i32>, condition: Option<(&str, &str)>) -> Job {
        let conditions: Vec<_> = condition
            .map(|(t, at)| json!({"type": t, "status": "True", "lastTransitionTime": at}))
            .into_iter()
            .collect();
        let mut spec = json!({"template": {"spec": {"containers": []}}});
        if let Some(ttl) = ttl {
            spec["ttlSecondsAfterFinished"] = json!(ttl);
        }
        serde_json::from_value(json!({
            "metadata": {"name": "j", "namespace": "ops", "uid": "u1"},
            "spec": spec,
            "status": {"conditions": conditions},
        }))
        .unwrap()
    }

    // Cases after upstream ttlafterfinished_controller_test.go (v1.32.0) `TestTimeLeft`.
    #[test]
    fn unfinished_jobs_and_jobs_without_ttl_are_left_alone() {
        let now = ts("2025-01-01T10:00:00Z");
        assert_eq!(sync(&job(Some(10), None), now), Sync::default());
        assert_eq!(
            sync(&job(None, Some(("Complete", "2025-01-01T09:00:00Z"))), now),
            Sync::default()
        );
        let mut deleting = job(Some(0), Some(("Failed", "2025-01-01T09:00:00Z")));
        deleting.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(now));
        assert_eq!(sync(&deleting, now), Sync::default());
    }

    #[test]
    fn a_finished_job_is_requeued_until_its_ttl_then_deleted_foreground_with_its_uid() {
        let j = job(Some(30), Some(("Complete", "2025-01-01T10:00:00Z")));
        let early = sync(&j, ts("2025-01-01T10:00:10Z"));
        assert!(early.actions.is_empty());
        assert_eq!(early.requeue_at, Some(ts("2025-01-01T10:00:30Z")));
        let due = sync(&j, ts("2025-01-01T10:00:30Z"));
        assert_eq!(
            due.actions,
            vec![Action::Delete {
                kind: Kind::Job,
                namespace: "ops".into(),
                name: "j".into(),
                propagation: Propagation::Foreground,
                uid: Some("u1".into()),
            }]
        );
        let failed = job(Some(0), Some(("Failed", "2025-01-01T10:00:00Z")));
        assert_eq!(sync(&failed, ts("2025-01-01T10:00:00Z")).actions.len(), 1);
    }
}
