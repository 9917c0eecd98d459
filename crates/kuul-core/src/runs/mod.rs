//! Runs of CronJobs: every retained Job of a CronJob as a [`Run`] with its result and most
//! specific reason, lateness, who made a manual run, each attempt (pod) and what changed in the
//! pod template since the previous run. `history` and `logs` print them; a TUI and the lastrun
//! monitor can reuse them.
//!
//! [`load`] lists CronJobs, Jobs, pods and CronJob events once per scope, concurrently (four list
//! requests whatever the number of CronJobs and runs); [`runs_of`] is pure and unit-tested.
//!
//! Kubernetes behaviour read here (release 1.33):
//! - the CronJob controller names a scheduled Job `<cronjob>-<minutes since the epoch>`
//!   (`pkg/controller/cronjob/utils.go` `getJobName`, `getTimeHashInMinutes`) and annotates it
//!   with `batch.kubernetes.io/cronjob-scheduled-timestamp` (`getJobFromTemplate2`, 1.28+);
//! - `kubectl create job --from=cronjob/X` annotates `cronjob.kubernetes.io/instantiate: manual`
//!   (`staging/src/k8s.io/kubectl/pkg/cmd/create/create_job.go` `createJobFromCronJob`) and its
//!   field manager is `kubectl-create`;
//! - a Job's terminal conditions are `Complete` and `Failed`, with reasons
//!   `BackoffLimitExceeded`, `DeadlineExceeded`, `PodFailurePolicy`, `MaxFailedIndexesExceeded`
//!   (`pkg/controller/job/job_controller.go`); `FailureTarget`/`SuccessCriteriaMet` come first;
//! - pods of a Job carry a controller owner reference to it, and may be gone (TTL, history
//!   limits, prune, orphaning), so attempts are counted from `.status` too.

pub(crate) mod facts;
mod load;
mod template;

use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use facts::ContainerState;
pub use facts::Template;
pub(crate) use facts::{EventFacts, JobFacts, PodFacts};
pub use load::History;
pub(crate) use load::load;
pub use template::changes;
pub(crate) use template::flatten;

use crate::cluster::annotations::{INSTANTIATE, SCHEDULED_TIMESTAMP};

/// How a run ended, or where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RunResult {
    /// `Complete` (or `SuccessCriteriaMet`).
    Succeeded,
    /// `Failed` (or `FailureTarget`).
    Failed,
    /// A pod runs.
    Running,
    /// No pod has started yet (unscheduled, pulling, suspended).
    Pending,
    /// The Job is gone; only its CronJob's events remember it.
    Deleted,
}

impl RunResult {
    /// As tables print it.
    pub fn as_str(self) -> &'static str {
        match self {
            RunResult::Succeeded => "Succeeded",
            RunResult::Failed => "Failed",
            RunResult::Running => "Running",
            RunResult::Pending => "Pending",
            RunResult::Deleted => "Deleted",
        }
    }

    /// One character for the result strip.
    pub fn mark(self) -> char {
        match self {
            RunResult::Succeeded => '✓',
            RunResult::Failed => '✗',
            RunResult::Running => '▶',
            RunResult::Pending => '…',
            RunResult::Deleted => '?',
        }
    }
}

/// What started a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Trigger {
    /// The CronJob controller, for this scheduled time (`None` when neither the annotation nor
    /// the name says).
    Scheduled {
        /// The scheduled time.
        at: Option<Timestamp>,
    },
    /// By hand (`cronjob.kubernetes.io/instantiate: manual`, or a Job with no CronJob owner).
    Manual {
        /// Who: `kubectl`, `k9s`, `kuul trigger`, another field manager's name, or `None`.
        by: Option<String>,
    },
}

/// One attempt of a run: a pod.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// The pod.
    pub pod: String,
    /// Where it ran (`None` if never scheduled).
    pub node: Option<String>,
    /// Its phase.
    pub phase: String,
    /// When it was created.
    pub created: Option<Timestamp>,
    /// The container `logs` shows first, and every container, in spec order.
    pub containers: Vec<ContainerAttempt>,
    /// Why it is not running or how it ended (`exit 3`, `OOMKilled`, `Unschedulable`,
    /// `ImagePullBackOff`, `Evicted`, `DeadlineExceeded`), if something is worth saying.
    pub reason: Option<String>,
    /// The message behind the reason (the scheduler's, the kubelet's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The pod's `kubectl.kubernetes.io/default-container` annotation, which `logs` honours
    /// as kubectl does (not part of `history -o json`).
    #[serde(skip)]
    pub default_container: Option<String>,
}

/// One container of an attempt.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerAttempt {
    /// Its name.
    pub name: String,
    /// Its image.
    pub image: String,
    /// An init container.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub init: bool,
    /// `running`, `terminated`, `waiting` or `unknown` (no status yet).
    pub state: &'static str,
    /// Exit code, once terminated.
    pub exit_code: Option<i32>,
    /// The terminated or waiting reason (`Error`, `OOMKilled`, `ImagePullBackOff`).
    pub reason: Option<String>,
    /// Waiting or terminated message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Restarts in this pod (`restartPolicy: OnFailure`).
    pub restarts: i32,
    /// Exit code before the last restart, when it restarted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_exit_code: Option<i32>,
}

impl ContainerAttempt {
    /// Whether a log can be read: the container started at least once.
    pub fn started(&self) -> bool {
        self.state != "waiting" && self.state != "unknown" || self.restarts > 0
    }
}

/// One run (a Job) of a CronJob.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// The Job's name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// What started it.
    pub trigger: Trigger,
    /// When the Job was created.
    pub created: Option<Timestamp>,
    /// `.status.startTime`, else creation.
    pub started: Option<Timestamp>,
    /// When it ended.
    pub finished: Option<Timestamp>,
    /// Start minus scheduled time, for scheduled runs.
    pub late_seconds: Option<i64>,
    /// Start to end (to now while it runs).
    pub duration_seconds: Option<i64>,
    /// The result.
    pub result: RunResult,
    /// The most specific cause (`exit 3`, `OOMKilled`, `DeadlineExceeded`, `Unschedulable`...).
    pub reason: Option<String>,
    /// The Job condition's own reason (`BackoffLimitExceeded`...), when it failed.
    pub job_reason: Option<String>,
    /// The message behind `reason`.
    pub message: Option<String>,
    /// Pods created: the pods still there, or the Job's own counts when more (pods deleted).
    pub attempt_count: usize,
    /// The attempts whose pods still exist, oldest first.
    pub attempts: Vec<Attempt>,
    /// Attempts whose pods are gone.
    pub attempts_deleted: usize,
    /// Nodes the attempts ran on, in attempt order, without repeats.
    pub nodes: Vec<String>,
    /// The template's images, in container order.
    pub images: Vec<String>,
    /// The pod template's parts that `changes` compares (shared with the previous run when
    /// the same).
    #[serde(serialize_with = "shared")]
    pub template: Arc<Template>,
    /// What changed in the template since the previous (older) run, one line each.
    pub changes: Vec<String>,
}

/// Serializes what an `Arc` points to (serde's own impl needs its `rc` feature).
fn shared<T: Serialize, S: serde::Serializer>(value: &Arc<T>, s: S) -> Result<S::Ok, S::Error> {
    T::serialize(value, s)
}

/// A CronJob event worth seeing next to the runs: why a run is missing or late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GapEvent {
    /// When (last seen).
    pub at: Option<Timestamp>,
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The controller's reason (`MissSchedule`, `TooManyMissedTimes`, `FailedCreate`,
    /// `JobAlreadyActive`...).
    pub reason: String,
    /// Its message.
    pub message: String,
    /// How many times it happened.
    pub count: i32,
}

impl From<&EventFacts> for GapEvent {
    fn from(e: &EventFacts) -> Self {
        GapEvent {
            at: e.at(),
            type_: e.type_.clone(),
            reason: e.reason.clone(),
            message: e.message.clone(),
            count: e.times(),
        }
    }
}

/// CronJob event reasons that explain a missing, late or deleted run (the CronJob controller's,
/// `pkg/controller/cronjob/cronjob_controllerv2.go`).
pub const GAP_REASONS: [&str; 10] = [
    "MissSchedule",
    "TooManyMissedTimes",
    "FailedCreate",
    "JobAlreadyActive",
    "UnparseableSchedule",
    "InvalidSchedule",
    "UnknownTimeZone",
    "UnsupportedSchedule",
    "MissingJob",
    "FailedGet",
];

/// Field managers, as the API server derives them from user agents, and who they are.
fn creator(manager: &str) -> String {
    match manager {
        "kubectl-create" | "kubectl" | "kubectl-client-side-apply" => "kubectl".into(),
        "kubectl-kuul" | "kuul" => "kuul trigger".into(),
        m if m.starts_with("k9s") => "k9s".into(),
        m => m.to_owned(),
    }
}

/// The longest a 5-field cron schedule can go between two firings, so the longest after its
/// scheduled time that the controller can create a Job: `0 0 29 2 *` across 2100, which is no
/// leap year (2096-02-29 to 2104-02-29).
const LONGEST_SCHEDULE_GAP: jiff::SignedDuration = jiff::SignedDuration::from_hours(8 * 366 * 24);

/// The scheduled time from the controller's Job name, `<cronjob>-<minutes since the epoch>`,
/// when it can be one for a Job that appeared at `created` (its creationTimestamp, or the event
/// that named it): the controller names a Job after its scheduled minute and creates it at or
/// after that minute (`pkg/controller/cronjob/cronjob_controllerv2.go` `syncCronJob` creates it
/// for the most recent missed time only; `utils.go` `getJobName` names it), never before and
/// never more than one schedule period later. Anything else (`x-1` would read as 1970, a manual
/// `report-20250301` as 2008) is a name that only looks like one.
fn scheduled_from_name(job: &str, cronjob: &str, created: Option<Timestamp>) -> Option<Timestamp> {
    let minutes: i64 = job.strip_prefix(cronjob)?.strip_prefix('-')?.parse().ok()?;
    let at = Timestamp::from_second(minutes.checked_mul(60)?).ok()?;
    let created = created?;
    let plausible = at <= created && created.duration_since(at) <= LONGEST_SCHEDULE_GAP;
    plausible.then_some(at)
}

/// The scheduled time a CronJob's Job was created for: the controller's
/// `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation (1.28+), else the minutes in its
/// name when plausible for its creation time `created`. `None` for manual runs
/// (`cronjob.kubernetes.io/instantiate: manual`).
pub(crate) fn scheduled_time(
    annotations: &impl crate::cluster::facts::StrLookup,
    job: &str,
    cronjob: &str,
    created: Option<Timestamp>,
) -> Option<Timestamp> {
    let manual = annotations.lookup(INSTANTIATE).is_some_and(|v| v == "manual");
    let annotated = annotations.lookup(SCHEDULED_TIMESTAMP);
    scheduled_at(manual, annotated, job, cronjob, created)
}

/// [`scheduled_time`] from the two annotations' values.
pub(crate) fn scheduled_at(
    manual: bool,
    annotated: Option<&str>,
    job: &str,
    cronjob: &str,
    created: Option<Timestamp>,
) -> Option<Timestamp> {
    if manual {
        return None;
    }
    // The controller writes it as RFC 3339 in UTC (`time.RFC3339`), which `cluster::time`
    // reads without jiff's general parser (5,000 rows in `lastrun -A`).
    annotated
        .and_then(|t| crate::cluster::time::parse(t).ok())
        .or_else(|| scheduled_from_name(job, cronjob, created))
}

/// How late a run started: its start minus its scheduled time, in seconds.
pub(crate) fn lateness(scheduled: Option<Timestamp>, started: Option<Timestamp>) -> Option<i64> {
    Some(started?.as_second() - scheduled?.as_second())
}

fn trigger_of(job: &JobFacts, cronjob: Option<&str>) -> Trigger {
    let meta = &job.metadata;
    let manual = meta.annotations.manual;
    if let (false, Some(cronjob)) = (manual, cronjob) {
        let scheduled = meta.annotations.scheduled.as_deref();
        let at = scheduled_at(manual, scheduled, &meta.name, cronjob, meta.creation_timestamp);
        if at.is_some() || meta.controller("CronJob").is_some() && !manual {
            return Trigger::Scheduled { at };
        }
    }
    // The first writer with an Update (a create): the one who made it.
    let by = meta
        .managed_fields
        .iter()
        .filter(|f| f.operation == "Update" || f.operation == "Apply")
        .min_by_key(|f| f.time)
        .map(|f| creator(&f.manager))
        // k9s names its manual runs `<cronjob>-manual-<random>` (prune's `--manual` reads it so).
        .or_else(|| meta.name.contains("-manual-").then(|| "k9s".to_owned()));
    Trigger::Manual { by }
}

fn condition<'a>(job: &'a JobFacts, types: &[&str]) -> Option<&'a facts::Condition<String>> {
    types
        .iter()
        .find_map(|t| job.status.conditions.iter().find(|c| c.type_ == *t && c.status == "True"))
}

/// One attempt from a pod.
pub(crate) fn attempt(pod: &PodFacts) -> Attempt {
    attempt_from(pod.clone())
}

/// A Job's pod as runs keep it: its attempt, and the uid of the Job that controls it (`None`
/// when no Job does). `runs::load` decodes each pod of a list straight into this, on the
/// thread that decodes its page, so what no attempt keeps of a pod (its specs and statuses) is
/// freed on the thread that allocated it. Building the 50,000 attempts of `history -A` on the
/// main thread after the lists, and freeing those parts there across threads, was over a
/// quarter of that thread's samples.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(from = "PodFacts")]
pub(crate) struct JobPod {
    pub(crate) job: Option<String>,
    pub(crate) attempt: Attempt,
}

impl From<PodFacts> for JobPod {
    fn from(mut pod: PodFacts) -> Self {
        let job = pod
            .metadata
            .owner_references
            .iter_mut()
            .find(|r| r.kind == "Job" && r.controller == Some(true))
            .map(|r| std::mem::take(&mut r.uid));
        JobPod { job, attempt: attempt_from(pod) }
    }
}

/// One attempt from a pod, taking its strings rather than copying them (50,000 pods in
/// `history -A`).
fn attempt_from(pod: PodFacts) -> Attempt {
    let PodFacts { metadata, spec, mut status } = pod;
    let mut containers = Vec::with_capacity(spec.init_containers.len() + spec.containers.len());
    for (init, specs, statuses) in [
        (true, spec.init_containers, &mut status.init_container_statuses),
        (false, spec.containers, &mut status.container_statuses),
    ] {
        for spec in specs {
            let st = statuses.iter_mut().find(|s| s.name == spec.name);
            let restarts = st.as_ref().map_or(0, |s| s.restart_count);
            let previous_exit_code =
                st.as_ref().and_then(|s| s.last_state.terminated.as_ref()).map(|t| t.exit_code);
            let (state, exit_code, reason, message) = match st.map(|s| &mut s.state) {
                Some(ContainerState { terminated: Some(t), .. }) => {
                    ("terminated", Some(t.exit_code), t.reason.take(), t.message.take())
                }
                Some(ContainerState { running: Some(_), .. }) => ("running", None, None, None),
                Some(ContainerState { waiting: Some(w), .. }) => {
                    ("waiting", None, w.reason.take(), w.message.take())
                }
                _ => ("unknown", None, None, None),
            };
            containers.push(ContainerAttempt {
                name: spec.name,
                image: spec.image,
                init,
                state,
                exit_code,
                reason,
                message,
                restarts,
                previous_exit_code,
            });
        }
    }
    let (reason, message) = attempt_reason(&status, &containers);
    Attempt {
        pod: metadata.name,
        node: spec.node_name.filter(|n| !n.is_empty()),
        phase: status.phase,
        created: metadata.creation_timestamp,
        containers,
        reason,
        message,
        default_container: metadata.annotations.default_container,
    }
}

/// The most specific cause a pod shows: a pod-level reason (Evicted, DeadlineExceeded), the
/// scheduler's Unschedulable, a container's OOMKilled or exit code, or a waiting reason.
fn attempt_reason(
    status: &facts::PodStatus,
    containers: &[ContainerAttempt],
) -> (Option<String>, Option<String>) {
    if let Some(reason) = status.reason.as_ref().filter(|r| !r.is_empty()) {
        return (Some(reason.clone()), status.message.clone());
    }
    if let Some(c) =
        status.conditions.iter().find(|c| c.type_ == "PodScheduled" && c.status == "False")
    {
        let reason =
            if c.reason.is_empty() { "Unschedulable".to_owned() } else { c.reason.clone() };
        return (Some(reason), Some(c.message.clone()).filter(|m| !m.is_empty()));
    }
    // A failed container first (the cause), then one waiting (why nothing runs).
    let failed = containers.iter().find(|c| c.exit_code.is_some_and(|code| code != 0));
    if let Some(c) = failed {
        let code = c.exit_code.unwrap_or_default();
        let reason = match c.reason.as_deref() {
            Some(r @ ("OOMKilled" | "ContainerCannotRun" | "DeadlineExceeded" | "StartError")) => {
                r.to_owned()
            }
            _ => format!("exit {code}"),
        };
        return (Some(reason), c.message.clone());
    }
    if let Some(c) = containers.iter().find(|c| c.state == "waiting" && c.reason.is_some()) {
        let reason = c.reason.clone().unwrap_or_default();
        // ContainerCreating / PodInitializing are the normal way to start, not a cause.
        if reason != "ContainerCreating" && reason != "PodInitializing" {
            return (Some(reason), c.message.clone());
        }
    }
    if let Some(c) =
        containers.iter().find(|c| c.restarts > 0 && c.previous_exit_code.is_some_and(|e| e != 0))
    {
        return (
            Some(format!("exit {} (restarted)", c.previous_exit_code.unwrap_or_default())),
            None,
        );
    }
    (None, None)
}

/// The run of `job` with its pods (any order), as of `now` (the tests'; commands build runs
/// with [`runs_of`], which takes the Jobs and pods rather than copying them).
#[cfg(test)]
pub(crate) fn run_of(
    job: &JobFacts,
    pods: &[&PodFacts],
    cronjob: Option<&str>,
    now: Timestamp,
) -> Run {
    run_from(&mut job.clone(), pods.iter().map(|p| attempt(p)).collect(), cronjob, now)
}

/// [`run_of`], taking the Job's name and namespace out of it rather than copying them, and its
/// pods as attempts (any order). What the run does not keep stays in `job` for the caller to
/// free where it costs the user nothing ([`crate::background::drop_later`]).
fn run_from(
    job: &mut JobFacts,
    mut attempts: Vec<Attempt>,
    cronjob: Option<&str>,
    now: Timestamp,
) -> Run {
    let meta = &job.metadata;
    let trigger = trigger_of(job, cronjob);
    attempts.sort_by(|a, b| (a.created, &a.pod).cmp(&(b.created, &b.pod)));
    let counted = [job.status.active, job.status.succeeded, job.status.failed]
        .iter()
        .map(|n| usize::try_from(n.unwrap_or(0)).unwrap_or(0))
        .sum::<usize>();
    let attempt_count = attempts.len().max(counted);
    let started = job.status.start_time.or(meta.creation_timestamp);

    let done = condition(job, &["Complete", "SuccessCriteriaMet"]);
    let failed = condition(job, &["Failed", "FailureTarget"]);
    let any_running = attempts.iter().any(|a| a.phase == "Running");
    let (result, finished) = if let Some(c) = done {
        (RunResult::Succeeded, job.status.completion_time.or(c.last_transition_time))
    } else if let Some(c) = failed {
        (RunResult::Failed, c.last_transition_time)
    } else if any_running || job.status.active.unwrap_or(0) > 0 && attempts.is_empty() {
        (RunResult::Running, None)
    } else if attempts.is_empty() && counted == 0
        || attempts.iter().all(|a| a.phase == "Pending" || a.phase.is_empty())
    {
        (RunResult::Pending, None)
    } else {
        // Between attempts (a retry's backoff): still running as far as the run goes.
        (RunResult::Running, None)
    };

    // The newest attempt that says something, and the Job's own reason.
    let newest_cause = attempts.iter().rev().find(|a| a.reason.is_some());
    let job_reason = failed.map(|c| c.reason.clone()).filter(|r| !r.is_empty());
    let (reason, message) = match result {
        RunResult::Failed => match job_reason.as_deref() {
            // The Job's own reason is the cause: the controller ended it.
            Some(r @ ("DeadlineExceeded" | "PodFailurePolicy" | "MaxFailedIndexesExceeded")) => {
                (Some(r.to_owned()), failed.map(|c| c.message.clone()).filter(|m| !m.is_empty()))
            }
            _ => match newest_cause {
                Some(a) => (a.reason.clone(), a.message.clone()),
                None => (
                    job_reason.clone(),
                    failed.map(|c| c.message.clone()).filter(|m| !m.is_empty()),
                ),
            },
        },
        RunResult::Pending if job.spec.suspend == Some(true) => (Some("Suspended".into()), None),
        RunResult::Pending | RunResult::Running => match newest_cause {
            Some(a) => (a.reason.clone(), a.message.clone()),
            None => (None, None),
        },
        RunResult::Succeeded => match attempt_count {
            0 | 1 => (None, None),
            n => (Some(format!("after {} failed", n - 1)), None),
        },
        RunResult::Deleted => (None, None),
    };
    let end = finished.or_else(|| matches!(result, RunResult::Running).then_some(now));
    let duration_seconds = match (job.status.start_time, end) {
        (Some(s), Some(e)) => Some((e.as_second() - s.as_second()).max(0)),
        _ => None,
    };
    let late_seconds = match &trigger {
        Trigger::Scheduled { at } => lateness(*at, started),
        Trigger::Manual { .. } => None,
    };
    let mut nodes: Vec<String> = Vec::new();
    for node in attempts.iter().filter_map(|a| a.node.clone()) {
        if !nodes.contains(&node) {
            nodes.push(node);
        }
    }
    let created = meta.creation_timestamp;
    let template = Arc::clone(&job.spec.template.spec);
    let images = template.containers.iter().map(|c| c.image.clone()).collect();
    Run {
        name: std::mem::take(&mut job.metadata.name),
        namespace: std::mem::take(&mut job.metadata.namespace),
        trigger,
        created,
        started,
        finished,
        late_seconds,
        duration_seconds,
        result,
        reason,
        job_reason,
        message,
        attempts_deleted: attempt_count - attempts.len(),
        attempt_count,
        attempts,
        nodes,
        images,
        template,
        changes: Vec::new(),
    }
}

/// A Job only the CronJob's events remember (`Created job X`, `Deleted job X`).
fn deleted_run(name: &str, namespace: &str, cronjob: &str, at: Option<Timestamp>) -> Run {
    let scheduled = scheduled_from_name(name, cronjob, at);
    Run {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        trigger: Trigger::Scheduled { at: scheduled },
        created: scheduled.or(at),
        started: None,
        finished: None,
        late_seconds: None,
        duration_seconds: None,
        result: RunResult::Deleted,
        reason: Some("deleted".into()),
        job_reason: None,
        message: None,
        attempt_count: 0,
        attempts: Vec::new(),
        attempts_deleted: 0,
        nodes: Vec::new(),
        images: Vec::new(),
        template: Arc::default(),
        changes: Vec::new(),
    }
}

/// Every run of one CronJob, newest first, with what changed since the previous one; and the
/// events that explain gaps, newest first. `jobs` are the CronJob's Jobs, each with its pods'
/// attempts, `events` the CronJob's events. The runs take the attempts and what they keep of
/// each Job; the rest stays in `jobs`.
pub(crate) fn runs_of(
    cronjob: &str,
    namespace: &str,
    jobs: &mut [(JobFacts, Vec<Attempt>)],
    events: &[&EventFacts],
    now: Timestamp,
) -> (Vec<Run>, Vec<GapEvent>) {
    let mut runs: Vec<Run> = jobs
        .iter_mut()
        .map(|(job, pods)| run_from(job, std::mem::take(pods), Some(cronjob), now))
        .collect();
    // Jobs the controller created or deleted that are gone now.
    for event in events {
        let name = match event.reason.as_str() {
            "SuccessfulCreate" => event.message.strip_prefix("Created job "),
            "SuccessfulDelete" => event.message.strip_prefix("Deleted job "),
            _ => None,
        };
        if let Some(name) = name.map(str::trim)
            && !runs.iter().any(|r| r.name == name)
        {
            runs.push(deleted_run(name, namespace, cronjob, event.at()));
        }
    }
    runs.sort_by(|a, b| (b.created, &b.name).cmp(&(a.created, &a.name)));
    // Compare each run with the next older one that has a template, oldest first, so a run
    // whose template is the same as the one before shares it (one copy for the whole streak).
    for i in (0..runs.len()).rev() {
        if runs[i].result == RunResult::Deleted {
            continue;
        }
        if let Some(older) = runs[i + 1..].iter().find(|r| r.result != RunResult::Deleted) {
            let older = Arc::clone(&older.template);
            let run = &mut runs[i];
            // Decoding shares the templates it has seen (`facts`): the same one, no change.
            if Arc::ptr_eq(&older, &run.template) {
                continue;
            }
            run.changes = changes(&older, &run.template);
            if run.changes.is_empty() && *older == *run.template {
                run.template = older;
            }
        }
    }
    let mut gaps: Vec<GapEvent> = events
        .iter()
        .filter(|e| GAP_REASONS.contains(&e.reason.as_str()))
        .map(|e| GapEvent::from(*e))
        .collect();
    gaps.sort_by_key(|gap| std::cmp::Reverse(gap.at));
    (runs, gaps)
}

/// Which run `--run`/`--diff` mean: a Job name, or `-N` (the Nth newest; `-1` is the newest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunRef {
    /// By Job name.
    Name(String),
    /// The Nth newest (1-based).
    Newest(usize),
}

impl std::str::FromStr for RunRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(n) = text.strip_prefix('-') {
            return match n.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(RunRef::Newest(n)),
                _ => Err(format!("\"{text}\" is neither a run name nor -N (-1 is the newest run)")),
            };
        }
        if text.is_empty() {
            return Err("a run name or -N is required".into());
        }
        Ok(RunRef::Name(text.to_owned()))
    }
}

impl std::fmt::Display for RunRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunRef::Name(name) => f.write_str(name),
            RunRef::Newest(n) => write!(f, "-{n}"),
        }
    }
}

impl RunRef {
    /// The run it names among `runs` (newest first; deleted runs are not counted by `-N`).
    pub fn find<'a>(&self, runs: &'a [Run]) -> Option<&'a Run> {
        match self {
            RunRef::Name(name) => runs.iter().find(|r| &r.name == name),
            RunRef::Newest(n) => runs.iter().filter(|r| r.result != RunResult::Deleted).nth(n - 1),
        }
    }
}

#[cfg(test)]
mod tests;
