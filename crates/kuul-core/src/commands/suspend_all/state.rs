//! The state `suspend-all` saves on each CronJob and `resume` restores, and the pure decisions
//! both commands make from it. Shared by `suspend_all` and `resume` so the annotation format is
//! written and read in one place.
//!
//! Saved state is three annotations (see `cluster::annotations`), written in the same merge
//! patch that sets `.spec.suspend: true`, so a CronJob is always either untouched or suspended
//! with its saved state, whatever interrupts the run:
//! - `kuul.dev/suspended-by-kuul`: the previous `.spec.suspend`, `"true"` or `"false"`;
//! - `kuul.dev/suspended-at`: RFC 3339, the API server's clock;
//! - `kuul.dev/suspend-reason`: `--reason`, when given.
//!
//! `resume` decides from (saved, now), where "now" is the current `.spec.suspend`:
//!
//! | saved | now   | action                                    | why                                  |
//! |-------|-------|-------------------------------------------|--------------------------------------|
//! | false | true  | `suspend: false`, drop annotations        | we suspended it: restore             |
//! | true  | true  | drop annotations                          | it was suspended before: stays       |
//! | false | false | drop annotations                          | someone resumed it already: agrees   |
//! | true  | false | drop annotations, keep it running, say so | a human resumed it since: their call |
//!
//! Only unsuspending is detectable as a human decision (we never unsuspend while saved state
//! exists). To keep one CronJob suspended after `resume`, remove its `kuul.dev/suspended-by-kuul`
//! annotation: `resume` without names then leaves it alone.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::cluster::annotations::{SUSPEND_REASON, SUSPENDED_AT, SUSPENDED_BY_KUUL};
pub(crate) use crate::cluster::facts::Meta;

/// A CronJob, the fields `suspend-all` and `resume` read (decoded straight from list pages).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobState {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: Spec,
    #[serde(default)]
    pub(crate) status: Status,
}

/// `.spec`, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Spec {
    #[serde(default)]
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) suspend: Option<bool>,
    pub(crate) starting_deadline_seconds: Option<i64>,
}

/// `.status`, the parts we read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Status {
    pub(crate) last_schedule_time: Option<Timestamp>,
}

impl CronJobState {
    /// `.spec.suspend`, unset meaning false (the API server defaults it to false).
    pub(crate) fn suspended(&self) -> bool {
        self.spec.suspend.unwrap_or(false)
    }

    /// The saved previous `.spec.suspend`, if `suspend-all` saved one. We only ever write
    /// `"true"` or `"false"`; anything but `true` reads as `false` (was running), the common case.
    pub(crate) fn saved(&self) -> Option<bool> {
        self.metadata.annotations.get(SUSPENDED_BY_KUUL).map(|v| v.trim() == "true")
    }

    /// Whether any of our saved-state annotations is on the object (clearing them is a write).
    pub(crate) fn has_saved_annotations(&self) -> bool {
        [SUSPENDED_BY_KUUL, SUSPENDED_AT, SUSPEND_REASON]
            .iter()
            .any(|key| self.metadata.annotations.contains_key(key))
    }

    /// `namespace/name`.
    pub(crate) fn key(&self) -> String {
        format!("{}/{}", self.metadata.namespace, self.metadata.name)
    }
}

/// What `suspend-all` does with one CronJob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SuspendAction {
    /// Running: suspend it and save `false`.
    Suspend,
    /// Already suspended, no saved state: save `true` (it stays suspended after `resume`).
    RecordAlreadySuspended,
    /// Saved state exists (an earlier `suspend-all`): leave it alone, never overwrite it.
    KeepSaved,
}

/// `suspend-all`'s decision for one CronJob.
pub(crate) fn decide_suspend(cronjob: &CronJobState) -> SuspendAction {
    match (cronjob.saved(), cronjob.suspended()) {
        (Some(_), _) => SuspendAction::KeepSaved,
        (None, true) => SuspendAction::RecordAlreadySuspended,
        (None, false) => SuspendAction::Suspend,
    }
}

/// The one merge patch that suspends and saves state, guarded by `resourceVersion` so a change
/// made since the read turns into a 409 (and a fresh decision) instead of a lost update.
pub(crate) fn suspend_patch(cronjob: &CronJobState, at: &str, reason: Option<&str>) -> Value {
    json!({
        "metadata": {
            "resourceVersion": cronjob.metadata.resource_version,
            "annotations": {
                SUSPENDED_BY_KUUL: cronjob.suspended().to_string(),
                SUSPENDED_AT: at,
                SUSPEND_REASON: reason,
            },
        },
        "spec": { "suspend": true },
    })
}

/// What `resume` does with one CronJob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ResumeAction {
    /// Saved `false`, suspended now: unsuspend, drop the annotations.
    Resume,
    /// Saved `true`: it was suspended before `suspend-all`; drop the annotations only.
    KeepSuspended,
    /// Saved `false`, running now: already resumed; drop the annotations only.
    AlreadyRunning,
    /// Saved `true`, running now: a human resumed it since; keep that, drop the annotations.
    KeepHumanResume,
    /// Named, no saved state, suspended: unsuspend.
    ResumeNamed,
    /// Named, no saved state, running: nothing to do.
    NothingToDo,
}

impl ResumeAction {
    /// The `.spec.suspend` the patch sets, if it changes it.
    pub(crate) fn sets_suspend(self) -> Option<bool> {
        match self {
            ResumeAction::Resume | ResumeAction::ResumeNamed => Some(false),
            _ => None,
        }
    }

    /// Whether any request is needed.
    pub(crate) fn writes(self) -> bool {
        self != ResumeAction::NothingToDo
    }
}

/// `resume`'s decision: `saved` is the saved previous value (from the annotation, or from a
/// `--from` snapshot when the annotation is gone), `now` the current `.spec.suspend`.
pub(crate) fn decide_resume(saved: Option<bool>, now: bool) -> ResumeAction {
    match (saved, now) {
        (Some(false), true) => ResumeAction::Resume,
        (Some(true), true) => ResumeAction::KeepSuspended,
        (Some(false), false) => ResumeAction::AlreadyRunning,
        (Some(true), false) => ResumeAction::KeepHumanResume,
        (None, true) => ResumeAction::ResumeNamed,
        (None, false) => ResumeAction::NothingToDo,
    }
}

/// The merge patch for a resume decision: removes our annotations (null deletes a key in a
/// JSON merge patch, RFC 7386) and sets `.spec.suspend` when the action changes it.
pub(crate) fn resume_patch(cronjob: &CronJobState, action: ResumeAction) -> Value {
    let mut patch = json!({
        "metadata": {
            "resourceVersion": cronjob.metadata.resource_version,
            "annotations": { SUSPENDED_BY_KUUL: null, SUSPENDED_AT: null, SUSPEND_REASON: null },
        },
    });
    if let Some(suspend) = action.sets_suspend() {
        patch["spec"] = json!({ "suspend": suspend });
    }
    patch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cronjob(suspend: Option<bool>, saved: Option<&str>) -> CronJobState {
        let mut cj = CronJobState::default();
        cj.metadata.name = "backup".into();
        cj.metadata.namespace = "ops".into();
        cj.metadata.resource_version = "42".into();
        cj.spec.suspend = suspend;
        if let Some(saved) = saved {
            cj.metadata.annotations.insert(SUSPENDED_BY_KUUL.into(), saved.into());
        }
        cj
    }

    #[test]
    fn suspend_saves_the_previous_value_once() {
        assert_eq!(decide_suspend(&cronjob(None, None)), SuspendAction::Suspend);
        assert_eq!(decide_suspend(&cronjob(Some(false), None)), SuspendAction::Suspend);
        assert_eq!(
            decide_suspend(&cronjob(Some(true), None)),
            SuspendAction::RecordAlreadySuspended
        );
        // A saved state is never overwritten, whatever `.spec.suspend` says now.
        assert_eq!(decide_suspend(&cronjob(Some(true), Some("false"))), SuspendAction::KeepSaved);
        assert_eq!(decide_suspend(&cronjob(Some(false), Some("true"))), SuspendAction::KeepSaved);
    }

    #[test]
    fn suspend_patch_sets_suspend_and_state_together_under_the_resource_version() {
        let patch =
            suspend_patch(&cronjob(None, None), "2025-03-01T10:00:00Z", Some("db migration"));
        assert_eq!(
            patch,
            json!({
                "metadata": {
                    "resourceVersion": "42",
                    "annotations": {
                        "kuul.dev/suspended-by-kuul": "false",
                        "kuul.dev/suspended-at": "2025-03-01T10:00:00Z",
                        "kuul.dev/suspend-reason": "db migration",
                    },
                },
                "spec": { "suspend": true },
            })
        );
        let patch = suspend_patch(&cronjob(Some(true), None), "t", None);
        assert_eq!(patch["metadata"]["annotations"]["kuul.dev/suspended-by-kuul"], "true");
        assert_eq!(patch["metadata"]["annotations"]["kuul.dev/suspend-reason"], Value::Null);
    }

    #[test]
    fn resume_covers_every_saved_and_current_combination() {
        assert_eq!(decide_resume(Some(false), true), ResumeAction::Resume);
        assert_eq!(decide_resume(Some(true), true), ResumeAction::KeepSuspended);
        assert_eq!(decide_resume(Some(false), false), ResumeAction::AlreadyRunning);
        assert_eq!(decide_resume(Some(true), false), ResumeAction::KeepHumanResume);
        assert_eq!(decide_resume(None, true), ResumeAction::ResumeNamed);
        assert_eq!(decide_resume(None, false), ResumeAction::NothingToDo);
    }

    #[test]
    fn resume_patch_drops_our_annotations_and_restores_only_when_needed() {
        let cj = cronjob(Some(true), Some("false"));
        let patch = resume_patch(&cj, ResumeAction::Resume);
        assert_eq!(patch["spec"], json!({"suspend": false}));
        assert_eq!(patch["metadata"]["resourceVersion"], "42");
        for key in [SUSPENDED_BY_KUUL, SUSPENDED_AT, SUSPEND_REASON] {
            assert_eq!(patch["metadata"]["annotations"][key], Value::Null);
            assert!(patch["metadata"]["annotations"].as_object().unwrap().contains_key(key));
        }
        let patch = resume_patch(&cj, ResumeAction::KeepHumanResume);
        assert!(patch.get("spec").is_none());
    }

    #[test]
    fn saved_state_reads_true_and_false() {
        assert_eq!(cronjob(None, Some("true")).saved(), Some(true));
        assert_eq!(cronjob(None, Some("false")).saved(), Some(false));
        assert_eq!(cronjob(None, None).saved(), None);
    }
}
