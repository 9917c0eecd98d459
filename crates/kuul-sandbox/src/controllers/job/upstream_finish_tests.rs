//! Ports of upstream's Job controller tables about how a Job finishes, from kubernetes/kubernetes
//! `pkg/controller/job/job_controller_test.go` at commit 003e86297d18 (the version in the code
//! index; its gate fields are the release-1.32 line's: `JobPodReplacementPolicy`, `JobManagedBy`
//! and `JobSuccessPolicy` are still gated, and a case that sets no gate runs with the 1.32
//! defaults, all three on):
//!
//! - `TestSyncJobWithJobPodFailurePolicy`: `podFailurePolicy` rules (`FailJob`, `Ignore`,
//!   `Count`; `onExitCodes` `In`/`NotIn` with `containerName`, init containers; `onPodConditions`
//!   `DisruptionTarget`), the interim `FailureTarget` then `Failed` with reason
//!   `PodFailurePolicy` and the rule's message;
//! - `TestSyncJobPastDeadline`: `activeDeadlineSeconds` against `startTime`, with and without the
//!   gates that delay `Failed` until the deleted pods are gone;
//! - the `TestJobBackoffForOnFailure` cases not ported in `upstream_tests.rs` (suspension, the
//!   finished Job, the delayed terminal conditions);
//! - `TestSyncJobWithJobBackoffLimitPerIndex`: `backoffLimitPerIndex` with the
//!   `batch.kubernetes.io/job-index-failure-count` annotations, `failedIndexes`,
//!   `maxFailedIndexes` (`MaxFailedIndexesExceeded`), `FailedIndexes`, `FailIndex`/`FailJob`/
//!   `Ignore` rules, and the failed pod kept until its replacement exists; these compare
//!   `completedIndexes`, `failedIndexes` and `terminating` (nil included) too;
//! - `TestSyncJobWithJobSuccessPolicy`: `successPolicy` rules, `SuccessCriteriaMet` (reason
//!   `SuccessPolicy`) then `Complete` once the deleted pods are gone, and which of success and
//!   failure wins; these cases set every gate (`JobSuccessPolicy`, `JobBackoffLimitPerIndex`
//!   included) as the table does;
//! - the six "pod is terminating" cases of `TestTrackJobStatusAndRemoveFinalizers`: a Job with
//!   `FailureTarget` or `SuccessCriteriaMet` and a pod still terminating gets `Failed`/`Complete`
//!   only once no pod is terminating (1.31+ with `JobPodReplacementPolicy` or `JobManagedBy`).
//!
//! Same inputs (the Job's spec, status and pods, the gates the case sets) and the same expected
//! outcome, compared exactly: the whole condition list (type, status, reason, message; times
//! ignored), `active`, `succeeded`, `failed`, `terminating` where the table checks it, and pod
//! deletions and creations. Pods are named `mypod-<i>` as upstream's `podBuilder` names them.
//!
//! Pods carry the `batch.kubernetes.io/job-tracking` finalizer as upstream's `podBuilder`
//! `trackingFinalizer()` gives it, and the status checked is the last one written (upstream's
//! fake `updateStatusHandler` keeps the Job it was given).

use super::*;
use crate::controllers::upstream_cases::assert_cases_pass;
use serde_json::{Value, json};

/// Gates a case sets; the rest keep their 1.32 default (on).
#[derive(Clone, Copy)]
enum G {
    /// The test sets `JobPodReplacementPolicy` and `JobManagedBy` off (the table's zero value).
    Off,
    /// Only `JobPodReplacementPolicy` on.
    Prp,
    /// Only `JobManagedBy` on.
    Mb,
}

impl G {
    fn gates(self) -> Gates {
        let (pod_replacement_policy, managed_by) = match self {
            G::Off => (false, false),
            G::Prp => (true, false),
            G::Mb => (false, true),
        };
        Gates {
            pod_replacement_policy,
            managed_by,
            success_policy: true,
            backoff_limit_per_index: true,
        }
    }
}

struct Case {
    name: &'static str,
    gates: G,
    /// Job spec fields on top of the selector and template.
    spec: Value,
    status: Value,
    /// Pods: `{"status": ..., "deleting": bool}`.
    pods: Vec<Value>,
    /// (type, reason, message); all `True`.
    conditions: Vec<(&'static str, String, String)>,
    active: i32,
    succeeded: i32,
    failed: i32,
    /// Checked when `Some` (the table checks `terminating`).
    terminating: Option<i32>,
    /// Checked when `Some`.
    deletions: Option<usize>,
    creations: Option<usize>,
    /// `completedIndexes` / `failedIndexes` / `terminating` compared exactly when `Some`
    /// (TestSyncJobWithJobBackoffLimitPerIndex compares the whole status).
    completed_indexes: Option<&'static str>,
    failed_indexes: Option<Option<&'static str>>,
    terminating_exact: Option<Option<i32>>,
    /// Every gate as the case sets it (TestSyncJobWithJobSuccessPolicy sets all four), instead
    /// of `gates`.
    gates_exact: Option<Gates>,
}

fn base(name: &'static str, gates: G, spec: Value) -> Case {
    Case {
        name,
        gates,
        spec,
        status: json!({}),
        pods: Vec::new(),
        conditions: Vec::new(),
        active: 0,
        succeeded: 0,
        failed: 0,
        terminating: None,
        deletions: None,
        creations: None,
        completed_indexes: None,
        failed_indexes: None,
        terminating_exact: None,
        gates_exact: None,
    }
}

fn c(type_: &'static str, reason: &str, message: &str) -> (&'static str, String, String) {
    (type_, reason.to_owned(), message.to_owned())
}

const NOW: &str = "2025-01-01T00:00:00Z";
/// upstream `testFinishedAt`: one second after the zero time, so no back-off applies.
const TEST_FINISHED_AT: &str = "0001-01-01T00:00:01Z";

fn exit(name: &str, code: i32) -> Value {
    json!({"name": name, "state": {"terminated": {"exitCode": code}}})
}

fn exit_at(name: &str, code: i32) -> Value {
    json!({"name": name, "state": {"terminated": {"exitCode": code, "finishedAt": TEST_FINISHED_AT}}})
}

fn pod(status: Value) -> Value {
    json!({"status": status})
}

fn deleting(status: Value) -> Value {
    json!({"status": status, "deleting": true})
}

fn pfp_message(container: &str, pod: &str, code: i32, index: usize) -> String {
    format!(
        "Container {container} for pod default/{pod} failed with exit code {code} matching FailJob rule at index {index}"
    )
}

const BACKOFF: (&str, &str) = failure::BACKOFF_LIMIT_EXCEEDED;
const DEADLINE: (&str, &str) = failure::DEADLINE_EXCEEDED;
const PFP: &str = failure::POD_FAILURE_POLICY;

fn pod_failure_policy_cases() -> Vec<Case> {
    let on_exit_code_rules = json!([
        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1, 2, 3]}},
        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [5, 6, 7]}},
    ]);
    let spec = |p: i32, b: i32, rules: &Value| json!({"parallelism": p, "completions": p, "backoffLimit": b, "podFailurePolicy": {"rules": rules}});
    let failed =
        |containers: Vec<Value>| pod(json!({"phase": "Failed", "containerStatuses": containers}));
    let dt = json!({"type": "DisruptionTarget", "status": "True"});
    let on_dt = |action: &str| json!([{"action": action, "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]);
    let m0 = pfp_message("main-container", "mypod-0", 5, 1);
    let cases = vec![
        Case {
            pods: vec![failed(vec![
                exit("monitoring-container", 5),
                exit_at("main-container", 42),
            ])],
            active: 1,
            failed: 1,
            ..base(
                "default handling for pod failure if the container matching the exit codes does not match the containerName restriction",
                G::Off,
                spec(
                    1,
                    6,
                    &json!([
                        {"action": "Ignore", "onExitCodes": {"containerName": "main-container", "operator": "In", "values": [1, 2, 3]}},
                        {"action": "FailJob", "onExitCodes": {"containerName": "main-container", "operator": "In", "values": [5, 6, 7]}},
                    ]),
                ),
            )
        },
        Case {
            pods: vec![pod(
                json!({"phase": "Running", "containerStatuses": [exit("main-container", 5)]}),
            )],
            active: 1,
            ..base(
                "running pod should not result in job fail based on OnExitCodes",
                G::Off,
                spec(1, 6, &on_exit_code_rules),
            )
        },
        Case {
            pods: vec![failed(vec![exit("main-container", 5)])],
            conditions: vec![c("FailureTarget", PFP, &m0), c("Failed", PFP, &m0)],
            failed: 1,
            ..base("fail job based on OnExitCodes", G::Off, spec(1, 6, &on_exit_code_rules))
        },
        Case {
            // The table's loop gives an Indexed Job's i-th pod index i.
            pods: vec![{
                let mut p = failed(vec![exit("main-container", 5)]);
                p["index"] = json!("0");
                p
            }],
            conditions: vec![c("FailureTarget", PFP, &m0), c("Failed", PFP, &m0)],
            failed: 1,
            ..base("fail indexed job based on OnExitCodes", G::Off, {
                let mut s = spec(1, 6, &on_exit_code_rules);
                s["completionMode"] = json!("Indexed");
                s
            })
        },
        Case {
            status: json!({"conditions": [{"type": "FailureTarget", "status": "True", "reason": PFP, "message": m0}]}),
            pods: vec![failed(vec![exit("main-container", 5)])],
            conditions: vec![c("FailureTarget", PFP, &m0), c("Failed", PFP, &m0)],
            failed: 1,
            ..base(
                "job marked already as failure target with failed pod",
                G::Off,
                spec(1, 6, &on_exit_code_rules),
            )
        },
        {
            let m = pfp_message("main-container", "already-deleted-pod", 5, 1);
            Case {
                status: json!({"conditions": [{"type": "FailureTarget", "status": "True", "reason": PFP, "message": m}]}),
                pods: vec![failed(vec![exit("main-container", 5)])],
                conditions: vec![c("FailureTarget", PFP, &m), c("Failed", PFP, &m)],
                failed: 1,
                ..base(
                    "job marked already as failure target with failed pod, message based on already deleted pod",
                    G::Off,
                    spec(1, 6, &on_exit_code_rules),
                )
            }
        },
        {
            let m = pfp_message("main-container", "mypod-1", 5, 1);
            Case {
                pods: vec![
                    pod(json!({"phase": "Running"})),
                    failed(vec![exit("main-container", 5)]),
                ],
                conditions: vec![c("FailureTarget", PFP, &m), c("Failed", PFP, &m)],
                failed: 2,
                ..base("fail job with multiple pods", G::Off, spec(2, 6, &on_exit_code_rules))
            }
        },
        {
            let m = pfp_message("main-container", "mypod-1", 5, 1);
            Case {
                pods: vec![
                    pod(json!({"phase": "Running"})),
                    failed(vec![exit("main-container", 5)]),
                ],
                conditions: vec![c("FailureTarget", PFP, &m)],
                failed: 2,
                ..base(
                    "fail job with multiple pods; JobManagedBy enabled delays setting terminal condition",
                    G::Mb,
                    spec(2, 6, &on_exit_code_rules),
                )
            }
        },
        {
            let m = pfp_message("main-container", "mypod-0", 42, 0);
            Case {
                pods: vec![failed(vec![exit("main-container", 42)])],
                conditions: vec![c("FailureTarget", PFP, &m), c("Failed", PFP, &m)],
                failed: 1,
                ..base(
                    "fail job based on OnExitCodes with NotIn operator",
                    G::Off,
                    spec(
                        1,
                        6,
                        &json!([{"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [5, 6, 7]}}]),
                    ),
                )
            }
        },
        Case {
            pods: vec![failed(vec![exit_at("main-container", 5)])],
            active: 1,
            failed: 1,
            ..base(
                "default handling job based on OnExitCodes with NotIn operator",
                G::Off,
                spec(
                    1,
                    6,
                    &json!([{"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [5, 6, 7]}}]),
                ),
            )
        },
        {
            let m = pfp_message("init-container", "mypod-0", 5, 1);
            Case {
                pods: vec![pod(json!({"phase": "Failed",
                    "initContainerStatuses": [exit("init-container", 5)],
                    "containerStatuses": [exit("main-container", 143)]}))],
                conditions: vec![c("FailureTarget", PFP, &m), c("Failed", PFP, &m)],
                failed: 1,
                ..base(
                    "fail job based on OnExitCodes for InitContainer",
                    G::Off,
                    spec(1, 6, &on_exit_code_rules),
                )
            }
        },
        Case {
            pods: vec![failed(vec![exit("container1", 2), exit("container2", 6)])],
            active: 1,
            ..base(
                "ignore pod failure; both rules are matching, the first is executed only",
                G::Off,
                spec(1, 0, &on_exit_code_rules),
            )
        },
        Case {
            pods: vec![failed(vec![exit("", 1)])],
            active: 1,
            ..base(
                "ignore pod failure based on OnExitCodes",
                G::Off,
                spec(1, 0, &on_exit_code_rules),
            )
        },
        Case {
            pods: vec![failed(vec![exit("", 10)])],
            conditions: vec![c("Failed", BACKOFF.0, BACKOFF.1)],
            failed: 1,
            ..base("default job based on OnExitCodes", G::Off, spec(1, 0, &on_exit_code_rules))
        },
        Case {
            pods: vec![failed(vec![exit("", 10)])],
            conditions: vec![
                c("FailureTarget", BACKOFF.0, BACKOFF.1),
                c("Failed", BACKOFF.0, BACKOFF.1),
            ],
            failed: 1,
            ..base(
                "default job based on OnExitCodes; JobManagedBy enabled triggers adding interim condition",
                G::Mb,
                spec(1, 0, &on_exit_code_rules),
            )
        },
        Case {
            pods: vec![failed(vec![exit_at("", 2)])],
            active: 1,
            failed: 1,
            ..base(
                "count pod failure based on OnExitCodes; both rules are matching, the first is executed only",
                G::Off,
                spec(
                    1,
                    6,
                    &json!([
                        {"action": "Count", "onExitCodes": {"operator": "In", "values": [1, 2]}},
                        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [2, 3]}},
                    ]),
                ),
            )
        },
        Case {
            pods: vec![pod(json!({"phase": "Failed",
                "conditions": [{"type": "ResourceLimitExceeded", "status": "True"}, dt],
                "containerStatuses": [exit_at("", 0)]}))],
            active: 1,
            failed: 1,
            ..base(
                "count pod failure based on OnPodConditions; both rules are matching, the first is executed only",
                G::Off,
                spec(
                    1,
                    6,
                    &json!([
                        {"action": "Count", "onPodConditions": [{"type": "ResourceLimitExceeded", "status": "True"}]},
                        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
                    ]),
                ),
            )
        },
        Case {
            pods: vec![pod(json!({"phase": "Failed", "conditions": [dt]}))],
            active: 1,
            ..base(
                "ignore pod failure based on OnPodConditions",
                G::Off,
                spec(1, 0, &on_dt("Ignore")),
            )
        },
        Case {
            pods: vec![deleting(json!({"phase": "Failed", "conditions": [dt]}))],
            ..base(
                "ignore pod failure based on OnPodConditions, ignored failures delays pod recreation",
                G::Off,
                spec(1, 0, &on_dt("Ignore")),
            )
        },
        {
            let m = "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
            Case {
                pods: vec![pod(json!({"phase": "Failed", "conditions": [dt]}))],
                conditions: vec![c("FailureTarget", PFP, m), c("Failed", PFP, m)],
                failed: 1,
                ..base("fail job based on OnPodConditions", G::Off, spec(1, 6, &on_dt("FailJob")))
            }
        },
        Case {
            pods: vec![deleting(json!({}))],
            terminating: Some(0),
            ..base(
                "terminating Pod not considered failed when JobPodFailurePolicy is enabled and used",
                G::Off,
                json!({"parallelism": 1, "backoffLimit": 0, "podFailurePolicy": {"rules": on_dt("Count")}}),
            )
        },
    ];
    // The table checks `terminating` in every case (nil there: 0).
    cases
        .into_iter()
        .map(|tc| Case { terminating: Some(tc.terminating.unwrap_or(0)), ..tc })
        .collect()
}

/// upstream `setPodsStatuses`: pods in a phase, their container terminated at `testFinishedAt`.
fn pods_in(n: usize, phase: &str) -> Vec<Value> {
    (0..n)
        .map(|_| {
            pod(json!({"phase": phase, "containerStatuses": [
                {"name": "", "state": {"terminated": {"exitCode": 0, "finishedAt": TEST_FINISHED_AT}}}]}))
        })
        .collect()
}

fn past_deadline_cases() -> Vec<Case> {
    // (name, gates, parallelism, completions, activeDeadlineSeconds, startTime seconds ago,
    //  backoffLimit, suspend, active, succeeded, failed, deletions, exp succeeded, exp failed,
    //  conditions)
    let spec = |p: i32, c: i32, ads: i64, b: i32, suspend: bool| json!({"parallelism": p, "completions": c, "activeDeadlineSeconds": ads, "backoffLimit": b, "suspend": suspend});
    let started = |secs_ago: i64| {
        let now: Timestamp = NOW.parse().unwrap();
        json!({"startTime": (now - SignedDuration::from_secs(secs_ago)).to_string()})
    };
    let with = |name, gates, spec: Value, start: i64, pods: Vec<Value>| Case {
        status: started(start),
        pods,
        creations: Some(0),
        deletions: Some(0),
        ..base(name, gates, spec)
    };
    let mut both = pods_in(1, "Running");
    both.extend(pods_in(1, "Succeeded"));
    vec![
        Case {
            deletions: Some(1),
            failed: 1,
            conditions: vec![c("Failed", DEADLINE.0, DEADLINE.1)],
            ..with(
                "activeDeadlineSeconds less than single pod execution",
                G::Off,
                spec(1, 1, 10, 6, false),
                15,
                pods_in(1, "Running"),
            )
        },
        Case {
            deletions: Some(1),
            succeeded: 1,
            failed: 1,
            conditions: vec![c("Failed", DEADLINE.0, DEADLINE.1)],
            ..with(
                "activeDeadlineSeconds bigger than single pod execution",
                G::Off,
                spec(1, 2, 10, 6, false),
                15,
                both.clone(),
            )
        },
        Case {
            conditions: vec![c("Failed", DEADLINE.0, DEADLINE.1)],
            ..with(
                "activeDeadlineSeconds times-out before any pod starts",
                G::Off,
                spec(1, 1, 10, 6, false),
                10,
                Vec::new(),
            )
        },
        Case {
            failed: 1,
            conditions: vec![c("Failed", BACKOFF.0, BACKOFF.1)],
            ..with(
                "activeDeadlineSeconds with backofflimit reach",
                G::Off,
                spec(1, 1, 1, 0, false),
                10,
                pods_in(1, "Failed"),
            )
        },
        Case {
            conditions: vec![c("Suspended", "JobSuspended", "Job suspended")],
            ..with(
                "activeDeadlineSeconds is not triggered when Job is suspended",
                G::Off,
                spec(1, 2, 10, 6, true),
                15,
                Vec::new(),
            )
        },
        Case {
            deletions: Some(1),
            succeeded: 1,
            failed: 1,
            conditions: vec![c("FailureTarget", DEADLINE.0, DEADLINE.1)],
            ..with(
                "activeDeadlineSeconds exceeded; JobPodReplacementPolicy enabled",
                G::Prp,
                spec(1, 2, 10, 6, false),
                15,
                both.clone(),
            )
        },
        Case {
            deletions: Some(1),
            succeeded: 1,
            failed: 1,
            conditions: vec![c("FailureTarget", DEADLINE.0, DEADLINE.1)],
            ..with(
                "activeDeadlineSeconds exceeded; JobManagedBy enabled",
                G::Mb,
                spec(1, 2, 10, 6, false),
                15,
                both,
            )
        },
        Case {
            failed: 1,
            conditions: vec![
                c("FailureTarget", BACKOFF.0, BACKOFF.1),
                c("Failed", BACKOFF.0, BACKOFF.1),
            ],
            ..with(
                "activeDeadlineSeconds exceeded and backofflimit reached; JobManagedBy enabled",
                G::Mb,
                spec(1, 1, 1, 0, false),
                10,
                pods_in(1, "Failed"),
            )
        },
    ]
}

/// The `TestJobBackoffForOnFailure` cases `upstream_tests.rs` does not port: pods of a
/// `restartPolicy: OnFailure` Job with restart counts (`newPodList`, then
/// `ContainerStatuses = [{RestartCount}]`).
fn on_failure_cases() -> Vec<Case> {
    let spec = |p: i32, c: i32, b: i32, suspend: bool| {
        json!({"parallelism": p, "completions": c, "backoffLimit": b, "suspend": suspend,
               "template": {"metadata": {"labels": {"foo": "bar"}},
                            "spec": {"restartPolicy": "OnFailure", "containers": [{"name": "", "image": "foo/bar"}]}}})
    };
    let restarting = |counts: &[i32], phase: &str| -> Vec<Value> {
        counts
            .iter()
            .map(|n| {
                pod(json!({"phase": phase, "containerStatuses": [{"name": "", "restartCount": n}]}))
            })
            .collect()
    };
    let done = ("CompletionsReached", "Reached expected number of succeeded pods");
    vec![
        Case {
            pods: restarting(&[1, 1], "Running"),
            conditions: vec![c("Suspended", "JobSuspended", "Job suspended")],
            ..base("suspending a job", G::Off, spec(2, 4, 6, true))
        },
        Case {
            pods: restarting(&[1, 1, 2, 0], "Succeeded"),
            succeeded: 4,
            conditions: vec![c("Complete", done.0, done.1)],
            ..base("finished job", G::Off, spec(2, 4, 6, true))
        },
        Case {
            pods: restarting(&[1, 1, 2, 0], "Succeeded"),
            succeeded: 4,
            conditions: vec![
                c("SuccessCriteriaMet", done.0, done.1),
                c("Complete", done.0, done.1),
            ],
            ..base("finished job; JobPodReplacementPolicy enabled", G::Prp, spec(2, 4, 6, true))
        },
        Case {
            pods: restarting(&[1, 1, 2, 0], "Succeeded"),
            succeeded: 4,
            conditions: vec![
                c("SuccessCriteriaMet", done.0, done.1),
                c("Complete", done.0, done.1),
            ],
            ..base("finished job; JobManagedBy enabled", G::Mb, spec(2, 4, 6, true))
        },
        Case {
            pods: restarting(&[1, 1], "Running"),
            failed: 2,
            conditions: vec![c("FailureTarget", BACKOFF.0, BACKOFF.1)],
            ..base(
                "too many job failures with podRunning - multiple pods; JobPodReplacementPolicy enabled",
                G::Prp,
                spec(2, 5, 2, false),
            )
        },
        Case {
            pods: restarting(&[1, 1], "Running"),
            failed: 2,
            conditions: vec![c("FailureTarget", BACKOFF.0, BACKOFF.1)],
            ..base(
                "too many job failures with podRunning - multiple pods; JobManagedBy enabled",
                G::Mb,
                spec(2, 5, 2, false),
            )
        },
    ]
}

/// The "pod is terminating" cases of `TestTrackJobStatusAndRemoveFinalizers`: pod `a` is
/// uncounted as failed (and `b`, gone, as succeeded), its finalizer already removed.
fn terminating_cases() -> Vec<Case> {
    let spec = json!({"parallelism": 1, "completions": 1});
    let target = json!({"uncountedTerminatedPods": {"failed": ["a"]},
        "conditions": [{"type": "FailureTarget", "status": "True", "reason": "", "message": ""}]});
    let met = json!({"uncountedTerminatedPods": {"failed": ["a"], "succeeded": ["b"]},
        "conditions": [{"type": "SuccessCriteriaMet", "status": "True", "reason": "", "message": ""}]});
    let terminating_pod = || json!({"status": {"phase": "Running"}, "deleting": true, "uid": "a", "finalizer": false});
    let failed_case = |name, gates, conditions: Vec<(&'static str, String, String)>| Case {
        status: target.clone(),
        pods: vec![terminating_pod()],
        failed: 1,
        conditions,
        ..base(name, gates, spec.clone())
    };
    let success_case = |name, gates, conditions: Vec<(&'static str, String, String)>| Case {
        status: met.clone(),
        pods: vec![terminating_pod()],
        succeeded: 1,
        failed: 1,
        conditions,
        ..base(name, gates, spec.clone())
    };
    vec![
        failed_case(
            "pod is terminating; counted as failed, but the JobFailed condition is delayed; JobPodReplacementPolicy enabled",
            G::Prp,
            vec![c("FailureTarget", "", "")],
        ),
        failed_case(
            "pod is terminating; counted as failed, but the JobFailed condition is delayed; JobManagedBy enabled",
            G::Mb,
            vec![c("FailureTarget", "", "")],
        ),
        failed_case(
            "pod is terminating; counted as failed, JobFailed condition is not delayed; JobPodReplacementPolicy and JobManagedBy disabled",
            G::Off,
            vec![c("FailureTarget", "", ""), c("Failed", "", "")],
        ),
        success_case(
            "pod is terminating; JobSuccessCriteriaMet, but JobComplete condition is delayed; JobPodReplacementPolicy enabled",
            G::Prp,
            vec![c("SuccessCriteriaMet", "", "")],
        ),
        success_case(
            "pod is terminating; JobSuccessCriteriaMet, but JobComplete condition is delayed; JobManagedBy enabled",
            G::Mb,
            vec![c("SuccessCriteriaMet", "", "")],
        ),
        success_case(
            "pod is terminating; JobSuccessCriteriaMet, JobComplete condition is not delayed; JobPodReplacementPolicy and JobManagedBy disabled",
            G::Off,
            vec![c("SuccessCriteriaMet", "", ""), c("Complete", "", "")],
        ),
    ]
}

/// Cases of these tables that cannot apply to the sandbox, with the reason.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    (
        "TestTrackJobStatusAndRemoveFinalizers: expecting removed finalizers",
        "the controller's finalizer expectations (the sandbox applies its writes at once)",
    ),
    (
        "TestTrackJobStatusAndRemoveFinalizers: status update error, pod patch errors, pod patch errors with partial success",
        "injected API errors",
    ),
    ("TestSyncJobWhenManagedBy", "spec.managedBy: the sandbox's controller manages every Job"),
    (
        "TestSyncJobDeleted",
        "a Job missing from the informer: the control plane syncs only Jobs in the store",
    ),
];

fn run(tc: &Case) -> Vec<String> {
    let mut spec = json!({
        "selector": {"matchLabels": {"foo": "bar"}},
        "template": {"metadata": {"labels": {"foo": "bar"}},
                     "spec": {"containers": [{"name": "", "image": "foo/bar"}]}},
    });
    for (k, v) in tc.spec.as_object().unwrap() {
        spec[k] = v.clone();
    }
    // TestSyncJobWithJobPodFailurePolicy's loop: podReplacementPolicy Failed when unset.
    if spec.get("podFailurePolicy").is_some() && spec.get("podReplacementPolicy").is_none() {
        spec["podReplacementPolicy"] = json!("Failed");
    }
    let job: Job = serde_json::from_value(json!({
        "metadata": {"name": "foobar", "namespace": "default", "uid": "job-uid"},
        "spec": spec,
        "status": tc.status,
    }))
    .unwrap();
    let pods: Vec<Pod> = tc
        .pods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let uid = p["uid"].as_str().map_or_else(|| format!("uid-{i}"), str::to_owned);
            let mut meta =
                json!({"name": format!("mypod-{i}"), "namespace": "default", "uid": uid});
            if p["deleting"] == json!(true) {
                meta["deletionTimestamp"] = json!(NOW);
            }
            // upstream's podBuilder `trackingFinalizer()` (every table here but
            // TestTrackJobStatusAndRemoveFinalizers's terminating pods, built without it).
            if p["finalizer"] != json!(false) {
                meta["finalizers"] = json!([TRACKING_FINALIZER]);
            }
            // podBuilder `index()` and `indexFailureCount()`.
            if let Some(ix) = p["index"].as_str() {
                meta["annotations"] = json!({COMPLETION_INDEX: ix});
                if let Some(n) = p["failureCount"].as_str() {
                    meta["annotations"][indexed::INDEX_FAILURE_COUNT] = json!(n);
                }
            }
            serde_json::from_value(json!({"metadata": meta, "status": p["status"]})).unwrap()
        })
        .collect();
    let now: Timestamp = NOW.parse().unwrap();
    let out = sync_with(&job, &pods, now, tc.gates_exact.unwrap_or_else(|| tc.gates.gates()));

    let mut errs = Vec::new();
    let creations = out.actions.iter().filter(|a| matches!(a, Action::CreatePod(_))).count();
    let deletions =
        out.actions.iter().filter(|a| matches!(a, Action::Delete { kind: Kind::Pod, .. })).count();
    if tc.creations.is_some_and(|n| n != creations) {
        errs.push(format!("creations {creations}"));
    }
    if tc.deletions.is_some_and(|n| n != deletions) {
        errs.push(format!("deletions {deletions}"));
    }
    let written: JobStatus = out
        .actions
        .iter()
        .rev()
        .find_map(|a| match a {
            Action::ReplaceStatus { object, .. } => {
                serde_json::from_value(object["status"].clone()).ok()
            }
            _ => None,
        })
        .or_else(|| job.status.clone())
        .unwrap_or_default();
    let n = |v: Option<i32>| v.unwrap_or(0);
    for (what, got, want) in [
        ("active", n(written.active), tc.active),
        ("succeeded", n(written.succeeded), tc.succeeded),
        ("failed", n(written.failed), tc.failed),
    ] {
        if got != want {
            errs.push(format!("{what} {got}, want {want}"));
        }
    }
    if let Some(want) = tc.terminating
        && n(written.terminating) != want
    {
        errs.push(format!("terminating {:?}, want {want}", written.terminating));
    }
    if let Some(want) = tc.terminating_exact
        && written.terminating != want
    {
        errs.push(format!("terminating {:?}, want {want:?}", written.terminating));
    }
    if let Some(want) = tc.completed_indexes
        && written.completed_indexes.as_deref().unwrap_or_default() != want
    {
        errs.push(format!("completedIndexes {:?}, want {want:?}", written.completed_indexes));
    }
    if let Some(want) = tc.failed_indexes
        && written.failed_indexes.as_deref() != want
    {
        errs.push(format!("failedIndexes {:?}, want {want:?}", written.failed_indexes));
    }
    // TestSyncJobPastDeadline: the start time a case sets is kept.
    if tc.status.get("startTime").is_some() && written.start_time.is_none() {
        errs.push("no startTime".to_owned());
    }
    let got: Vec<(String, String, String, String)> = written
        .conditions
        .iter()
        .flatten()
        .map(|c| {
            (
                c.type_.clone(),
                c.status.clone(),
                c.reason.clone().unwrap_or_default(),
                c.message.clone().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, String)> = tc
        .conditions
        .iter()
        .map(|(t, r, m)| ((*t).to_owned(), "True".to_owned(), r.clone(), m.clone()))
        .collect();
    if got != want {
        errs.push(format!("conditions {got:?}, want {want:?}"));
    }
    errs
}

fn check_all(table: &str, cases: &[Case], expected: usize) {
    assert_cases_pass(table, cases, expected, |tc| tc.name, run);
}

/// A pod of TestSyncJobWithJobBackoffLimitPerIndex: `index`, `indexFailureCount`, a status.
fn ipod(uid: &str, index: &str, count: &str, status: Value) -> Value {
    json!({"uid": uid, "index": index, "failureCount": count, "status": status})
}

fn phased(phase: &str) -> Value {
    json!({"phase": phase})
}

/// upstream `TestSyncJobWithJobBackoffLimitPerIndex` (job_controller_test.go, the release-1.32
/// line's cases): `backoffLimitPerIndex`, the failure-count annotations, `failedIndexes`,
/// `maxFailedIndexes`, `FailIndex`/`FailJob`/`Ignore` rules, with the gates each case sets.
fn backoff_limit_per_index_cases() -> Vec<Case> {
    let spec = |n: i32, backoff: i64| {
        json!({"parallelism": n, "completions": n, "backoffLimit": backoff,
               "completionMode": "Indexed", "backoffLimitPerIndex": 1})
    };
    let max = i64::from(i32::MAX);
    let exit3 = |name: Option<&str>| {
        let mut cs = json!({"state": {"terminated": {"exitCode": 3}}});
        if let Some(n) = name {
            cs["name"] = json!(n);
        }
        json!({"phase": "Failed", "containerStatuses": [cs]})
    };
    let with_rule = |action: &str, backoff: i64| {
        let mut s = spec(2, backoff);
        s["podFailurePolicy"] = json!({"rules": [{"action": action, "onExitCodes": {"operator": "In", "values": [3]}}]});
        s
    };
    let completions_reached = || {
        vec![
            c(
                "SuccessCriteriaMet",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            ),
            c("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
        ]
    };
    let (fi_reason, fi_message) = failure::FAILED_INDEXES;
    let (mx_reason, mx_message) = failure::MAX_FAILED_INDEXES_EXCEEDED;
    let failed_indexes_pods =
        || vec![ipod("a", "0", "1", phased("Failed")), ipod("b", "1", "0", phased("Succeeded"))];
    let max_failed_pods = || {
        vec![
            ipod("a", "0", "1", phased("Failed")),
            ipod("b", "1", "0", phased("Succeeded")),
            ipod("c", "2", "1", phased("Failed")),
            ipod("d", "3", "0", phased("Running")),
        ]
    };
    let max_failed_spec = || {
        let mut s = spec(4, max);
        s["maxFailedIndexes"] = json!(1);
        s
    };
    let fj_message = "Container x for pod default/mypod-0 failed with exit code 3 matching FailJob rule at index 0";
    vec![
        Case {
            pods: vec![
                ipod("a1", "0", "0", phased("Failed")),
                ipod("a2", "0", "1", phased("Succeeded")),
                ipod("b", "1", "0", phased("Succeeded")),
            ],
            failed: 1,
            succeeded: 2,
            terminating_exact: Some(Some(0)),
            completed_indexes: Some("0,1"),
            failed_indexes: Some(Some("")),
            conditions: completions_reached(),
            ..base("successful job after a single failure within index", G::Prp, spec(2, max))
        },
        Case {
            pods: vec![ipod("a", "0", "0", phased("Failed"))],
            active: 2,
            terminating_exact: Some(Some(0)),
            completed_indexes: Some(""),
            failed_indexes: Some(Some("")),
            ..base(
                "single failed pod, not counted as the replacement pod creation is delayed",
                G::Prp,
                spec(2, max),
            )
        },
        Case {
            pods: vec![
                ipod("a", "0", "0", phased("Failed")),
                ipod("b", "0", "1", phased("Pending")),
            ],
            active: 2,
            failed: 1,
            terminating_exact: Some(Some(0)),
            completed_indexes: Some(""),
            failed_indexes: Some(Some("")),
            ..base("single failed pod replaced already", G::Prp, spec(2, max))
        },
        Case {
            pods: vec![ipod("a", "0", "1", phased("Failed"))],
            active: 1,
            failed: 1,
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("0")),
            ..base(
                "single failed index due to exceeding the backoff limit per index, the job continues",
                G::Prp,
                spec(2, max),
            )
        },
        Case {
            pods: vec![ipod("a", "0", "0", exit3(None))],
            active: 1,
            failed: 1,
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("0")),
            ..base(
                "single failed index due to FailIndex action, the job continues",
                G::Prp,
                with_rule("FailIndex", max),
            )
        },
        Case {
            pods: vec![ipod("a", "0", "0", exit3(Some("x")))],
            failed: 1,
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("")),
            conditions: vec![c("FailureTarget", PFP, fj_message), c("Failed", PFP, fj_message)],
            ..base("job failed index due to FailJob action", G::Prp, with_rule("FailJob", 6))
        },
        Case {
            pods: vec![ipod("a", "0", "0", exit3(Some("x")))],
            active: 2,
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("")),
            ..base(
                "job pod failure ignored due to matching Ignore action",
                G::Prp,
                with_rule("Ignore", 6),
            )
        },
        Case {
            pods: vec![
                ipod("a", "0", "0", phased("Failed")),
                ipod("b", "1", "0", phased("Failed")),
            ],
            failed: 2,
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("")),
            conditions: vec![
                c("FailureTarget", BACKOFF.0, BACKOFF.1),
                c("Failed", BACKOFF.0, BACKOFF.1),
            ],
            ..base(
                "job failed due to exceeding backoffLimit before backoffLimitPerIndex",
                G::Prp,
                spec(2, 1),
            )
        },
        Case {
            pods: failed_indexes_pods(),
            failed: 1,
            succeeded: 1,
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("0")),
            completed_indexes: Some("1"),
            conditions: vec![
                c("FailureTarget", fi_reason, fi_message),
                c("Failed", fi_reason, fi_message),
            ],
            ..base("job failed due to failed indexes", G::Prp, spec(2, max))
        },
        Case {
            pods: max_failed_pods(),
            failed: 3,
            succeeded: 1,
            terminating_exact: Some(Some(1)),
            failed_indexes: Some(Some("0,2")),
            completed_indexes: Some("1"),
            conditions: vec![c("FailureTarget", mx_reason, mx_message)],
            ..base("job failed due to exceeding max failed indexes", G::Prp, max_failed_spec())
        },
        Case {
            status: json!({"failedIndexes": "0", "completedIndexes": "1"}),
            pods: vec![ipod("c", "2", "1", phased("Pending"))],
            active: 2,
            succeeded: 1,
            terminating_exact: Some(Some(0)),
            completed_indexes: Some("1"),
            failed_indexes: Some(None),
            gates_exact: Some(Gates {
                pod_replacement_policy: true,
                managed_by: false,
                success_policy: true,
                backoff_limit_per_index: false,
            }),
            ..base(
                "job with finished indexes; failedIndexes are cleaned when JobBackoffLimitPerIndex disabled",
                G::Off,
                {
                    let mut s = spec(3, max);
                    s["parallelism"] = json!(3);
                    s
                },
            )
        },
        Case {
            pods: failed_indexes_pods(),
            failed: 1,
            succeeded: 1,
            terminating_exact: Some(None),
            failed_indexes: Some(Some("0")),
            completed_indexes: Some("1"),
            conditions: vec![c("Failed", fi_reason, fi_message)],
            ..base(
                "job failed due to failed indexes; JobPodReplacementPolicy and JobManagedBy disabled",
                G::Off,
                spec(2, max),
            )
        },
        Case {
            pods: failed_indexes_pods(),
            failed: 1,
            succeeded: 1,
            terminating_exact: Some(None),
            failed_indexes: Some(Some("0")),
            completed_indexes: Some("1"),
            conditions: vec![
                c("FailureTarget", fi_reason, fi_message),
                c("Failed", fi_reason, fi_message),
            ],
            ..base("job failed due to failed indexes; JobManagedBy enabled", G::Mb, spec(2, max))
        },
        Case {
            pods: max_failed_pods(),
            failed: 3,
            succeeded: 1,
            terminating_exact: Some(None),
            failed_indexes: Some(Some("0,2")),
            completed_indexes: Some("1"),
            conditions: vec![c("Failed", mx_reason, mx_message)],
            ..base(
                "job failed due to exceeding max failed indexes; JobPodReplacementPolicy and JobManagedBy disabled",
                G::Off,
                max_failed_spec(),
            )
        },
        Case {
            pods: max_failed_pods(),
            failed: 3,
            succeeded: 1,
            terminating_exact: Some(None),
            failed_indexes: Some(Some("0,2")),
            completed_indexes: Some("1"),
            conditions: vec![c("FailureTarget", mx_reason, mx_message)],
            ..base(
                "job failed due to exceeding max failed indexes; JobManagedBy enabled",
                G::Mb,
                max_failed_spec(),
            )
        },
    ]
}

/// The gates a TestSyncJobWithJobSuccessPolicy case sets: (`JobSuccessPolicy`,
/// `JobPodReplacementPolicy`, `JobManagedBy`, `JobBackoffLimitPerIndex`); unset ones are off.
fn gates(success_policy: bool, prp: bool, mb: bool, blpi: bool) -> Option<Gates> {
    Some(Gates {
        pod_replacement_policy: prp,
        managed_by: mb,
        success_policy,
        backoff_limit_per_index: blpi,
    })
}

/// upstream `TestSyncJobWithJobSuccessPolicy` (job_controller_test.go, the release-1.32 line's
/// 17 cases): `successPolicy` rules with `succeededIndexes`/`succeededCount`, the interim
/// `SuccessCriteriaMet` (reason `SuccessPolicy`) then `Complete` once the deleted pods are gone,
/// and how it meets `podFailurePolicy`, `backoffLimitPerIndex` and `backoffLimit`.
fn success_policy_cases() -> Vec<Case> {
    let max = i64::from(i32::MAX);
    let spec = |n: i32, backoff: i64, rule: Value| {
        json!({"parallelism": n, "completions": n, "backoffLimit": backoff,
               "completionMode": "Indexed", "successPolicy": {"rules": [rule]}})
    };
    let rule01 = || json!({"succeededIndexes": "0,1", "succeededCount": 1});
    let with = |mut s: Value, k: &str, v: Value| {
        s[k] = v;
        s
    };
    let dt_fail_job = || json!({"rules": [{"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]});
    let sp = "SuccessPolicy";
    let matched = "Matched rules at index 0";
    let scm = || vec![c("SuccessCriteriaMet", sp, matched)];
    let scm_complete = || vec![c("SuccessCriteriaMet", sp, matched), c("Complete", sp, matched)];
    let scm_status = || json!({"conditions": [{"type": "SuccessCriteriaMet", "status": "True", "reason": sp, "message": matched}]});
    let p = |uid: &str, index: &str, phase: &str| json!({"uid": uid, "index": index, "status": {"phase": phase}});
    let pc = |uid: &str, index: &str, phase: &str, count: &str| json!({"uid": uid, "index": index, "failureCount": count, "status": {"phase": phase}});
    let disrupted = |uid: &str, index: &str| {
        json!({"uid": uid, "index": index, "status": {"phase": "Failed",
               "conditions": [{"type": "DisruptionTarget", "status": "True"}]}})
    };
    let some_fail = || {
        vec![
            p("a1", "0", "Failed"),
            p("a2", "0", "Running"),
            p("b", "1", "Succeeded"),
            p("c", "2", "Running"),
        ]
    };
    let three_pods =
        || vec![p("a1", "0", "Failed"), p("a2", "0", "Running"), p("b", "1", "Succeeded")];
    let still_running = || {
        vec![
            p("a1", "0", "Failed"),
            p("a2", "1", "Running"),
            p("b", "1", "Succeeded"),
            p("c", "2", "Running"),
        ]
    };
    let pfp_msg =
        "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
    let (fi_reason, fi_message) = failure::FAILED_INDEXES;
    let status_case = |name, g: Option<Gates>, spec: Value| Case {
        gates_exact: g,
        completed_indexes: Some("1"),
        succeeded: 1,
        failed: 1,
        ..base(name, G::Off, spec)
    };
    vec![
        Case {
            pods: some_fail(),
            terminating_exact: Some(Some(2)),
            conditions: scm(),
            ..status_case(
                "job with successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and some indexes fail",
                gates(true, true, false, false),
                spec(3, max, rule01()),
            )
        },
        Case {
            pods: some_fail(),
            terminating_exact: Some(None),
            conditions: scm_complete(),
            ..status_case(
                "job with successPolicy; jobPodReplacementPolicy feature disabled; job has SuccessCriteriaMet condition if job meets to successPolicy and some indexes fail",
                gates(true, false, false, false),
                spec(3, max, rule01()),
            )
        },
        Case {
            pods: three_pods(),
            terminating_exact: Some(Some(1)),
            conditions: scm(),
            ..status_case(
                "job with podFailurePolicy and successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet to podFailurePolicy",
                gates(true, true, false, false),
                with(spec(2, max, rule01()), "podFailurePolicy", dt_fail_job()),
            )
        },
        Case {
            pods: three_pods(),
            terminating_exact: Some(None),
            conditions: scm_complete(),
            ..status_case(
                "job with podFailurePolicy and successPolicy; jobPodReplacementPolicy feature disabled; job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet to podFailurePolicy",
                gates(true, false, false, false),
                with(spec(2, max, rule01()), "podFailurePolicy", dt_fail_job()),
            )
        },
        Case {
            pods: three_pods(),
            terminating_exact: Some(Some(1)),
            failed_indexes: Some(Some("")),
            conditions: scm(),
            ..status_case(
                "job with backoffLimitPerIndex and successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet backoffLimitPerIndex",
                gates(true, true, false, true),
                with(spec(2, max, rule01()), "backoffLimitPerIndex", json!(2)),
            )
        },
        Case {
            status: scm_status(),
            pods: vec![p("a", "0", "Failed"), p("b", "1", "Succeeded")],
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(None),
            conditions: scm_complete(),
            ..status_case(
                "job with successPolicy; jobPodReplacementPolicy feature enabled; job has both Complete and SuccessCriteriaMet condition when job meets to successPolicy and all pods have been already removed",
                gates(true, true, false, false),
                with(spec(2, max, rule01()), "backoffLimitPerIndex", json!(2)),
            )
        },
        Case {
            status: scm_status(),
            pods: still_running(),
            terminating_exact: Some(Some(2)),
            failed_indexes: Some(None),
            conditions: scm(),
            ..status_case(
                "job with successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition when job meets to successPolicy and some pods still are running",
                gates(true, true, false, false),
                with(spec(3, max, rule01()), "backoffLimitPerIndex", json!(3)),
            )
        },
        Case {
            status: scm_status(),
            pods: still_running(),
            terminating_exact: Some(None),
            failed_indexes: Some(None),
            conditions: scm(),
            ..status_case(
                "job with successPolicy; JobManagedBy feature enabled; job has SuccessCriteriaMet condition when job meets to successPolicy and some pods still are running",
                gates(true, false, true, false),
                with(spec(3, max, rule01()), "backoffLimitPerIndex", json!(3)),
            )
        },
        Case {
            pods: vec![disrupted("a1", "0"), p("a2", "0", "Running"), p("b", "1", "Succeeded")],
            failed: 2,
            terminating_exact: Some(Some(1)),
            conditions: vec![c("FailureTarget", PFP, pfp_msg)],
            ..status_case(
                "job with successPolicy and podFailurePolicy; jobPodReplacementPolicy feature enabled; job has a failed condition when job meets to both successPolicy and podFailurePolicy",
                gates(true, true, false, false),
                with(spec(2, max, rule01()), "podFailurePolicy", dt_fail_job()),
            )
        },
        Case {
            pods: vec![pc("a", "0", "Failed", "1"), p("b", "1", "Succeeded")],
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("0")),
            conditions: vec![
                c("FailureTarget", fi_reason, fi_message),
                c("Failed", fi_reason, fi_message),
            ],
            ..status_case(
                "job with successPolicy and backoffLimitPerIndex; jobPodReplacementPolicy feature enabled; job has a failed condition when job meets to both successPolicy and backoffLimitPerIndex",
                gates(true, true, false, true),
                with(spec(2, max, rule01()), "backoffLimitPerIndex", json!(1)),
            )
        },
        Case {
            pods: vec![p("a1", "0", "Failed"), p("a2", "0", "Failed"), p("b", "1", "Succeeded")],
            failed: 2,
            terminating_exact: Some(Some(0)),
            conditions: vec![
                c("FailureTarget", BACKOFF.0, BACKOFF.1),
                c("Failed", BACKOFF.0, BACKOFF.1),
            ],
            ..status_case(
                "job with successPolicy and backoffLimit; jobPodReplacementPolicy feature enabled; job has a failed condition when job meets to both successPolicy and backoffLimit",
                gates(true, true, false, false),
                spec(2, 1, rule01()),
            )
        },
        Case {
            status: json!({"succeeded": 1, "terminating": 0, "completedIndexes": "1",
                "uncountedTerminatedPods": {}, "conditions": scm_status()["conditions"]}),
            pods: vec![disrupted("a", "0"), p("b", "1", "Succeeded")],
            terminating_exact: Some(Some(0)),
            conditions: scm_complete(),
            ..status_case(
                "job with successPolicy and podFailurePolicy; jobPodReplacementPolicy feature enabled; job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job meets podFailurePolicy",
                gates(true, true, false, false),
                with(spec(2, max, json!({"succeededCount": 1})), "podFailurePolicy", dt_fail_job()),
            )
        },
        Case {
            status: json!({"succeeded": 1, "terminating": 0, "completedIndexes": "1",
                "uncountedTerminatedPods": {}, "conditions": scm_status()["conditions"]}),
            pods: vec![pc("a", "0", "Failed", "1"), p("b", "1", "Succeeded")],
            terminating_exact: Some(Some(0)),
            failed_indexes: Some(Some("0")),
            conditions: scm_complete(),
            ..status_case(
                "job with successPolicy and backoffLimitPerIndex; jobPodReplacementPolicy feature enabled; job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job meet backoffLimitPerIndex",
                gates(true, true, false, true),
                with(
                    spec(2, max, json!({"succeededIndexes": "1"})),
                    "backoffLimitPerIndex",
                    json!(1),
                ),
            )
        },
        Case {
            status: json!({"succeeded": 1, "terminating": 0, "completedIndexes": "1",
                "uncountedTerminatedPods": {}, "conditions": scm_status()["conditions"]}),
            pods: vec![p("a", "0", "Failed"), p("b", "1", "Succeeded")],
            terminating_exact: Some(Some(0)),
            conditions: scm_complete(),
            ..status_case(
                "job with successPolicy and backoffLimit; jobPodReplacementPolicy feature enabled; job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job meets backoffLimit",
                gates(true, true, false, false),
                spec(2, 1, rule01()),
            )
        },
        Case {
            status: json!({"failed": 1, "terminating": 0, "completedIndexes": "1",
                "uncountedTerminatedPods": {}, "conditions": [{"type": "FailureTarget", "status": "True", "reason": PFP, "message": pfp_msg}]}),
            pods: vec![
                json!({"uid": "a", "index": "0", "finalizer": false, "status": {"phase": "Failed",
                       "conditions": [{"type": "DisruptionTarget", "status": "True"}]}}),
                p("b", "1", "Succeeded"),
            ],
            terminating_exact: Some(Some(0)),
            conditions: vec![c("FailureTarget", PFP, pfp_msg), c("Failed", PFP, pfp_msg)],
            ..status_case(
                "job with successPolicy and podFailureTarget; jobPodReplacementPolicy feature enabled; job with FailureTarget has never been transitioned to SuccessCriteriaMet even if job meets successPolicy",
                gates(true, true, false, false),
                with(spec(2, max, rule01()), "podFailurePolicy", dt_fail_job()),
            )
        },
        Case {
            pods: vec![p("a1", "0", "Succeeded")],
            failed: 0,
            completed_indexes: Some("0"),
            terminating_exact: Some(None),
            conditions: vec![
                c(
                    "SuccessCriteriaMet",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                ),
                c("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
            ],
            ..status_case(
                "job without successPolicy; jobSuccessPolicy is enabled; job got SuccessCriteriaMet and Completion with CompletionsReached reason conditions",
                gates(true, false, true, false),
                json!({"parallelism": 1, "completions": 1, "backoffLimit": max, "completionMode": "Indexed"}),
            )
        },
        Case {
            pods: vec![p("a2", "0", "Running"), p("b", "1", "Succeeded"), p("c", "2", "Running")],
            active: 2,
            failed: 0,
            terminating_exact: Some(None),
            ..status_case(
                "when the JobSuccessPolicy is disabled, the Job never got SuccessCriteriaMet condition even if the Job has the successPolicy field",
                gates(false, false, false, false),
                spec(3, max, rule01()),
            )
        },
    ]
}

#[test]
fn upstream_sync_job_with_success_policy() {
    check_all("TestSyncJobWithJobSuccessPolicy", &success_policy_cases(), 17);
}

#[test]
fn upstream_sync_job_with_backoff_limit_per_index() {
    check_all("TestSyncJobWithJobBackoffLimitPerIndex", &backoff_limit_per_index_cases(), 15);
}

#[test]
fn upstream_sync_job_with_pod_failure_policy() {
    check_all("TestSyncJobWithJobPodFailurePolicy", &pod_failure_policy_cases(), 21);
}

#[test]
fn upstream_sync_job_past_deadline() {
    check_all("TestSyncJobPastDeadline", &past_deadline_cases(), 8);
}

#[test]
fn upstream_job_backoff_for_on_failure_finishing() {
    check_all("TestJobBackoffForOnFailure", &on_failure_cases(), 6);
}

#[test]
fn upstream_track_job_status_terminating_pods() {
    check_all("TestTrackJobStatusAndRemoveFinalizers", &terminating_cases(), 6);
    assert!(!NOT_APPLICABLE.is_empty());
}

/// Not a port: the sandbox's own check that the delayed terminal condition arrives once the
/// terminating pod is gone (the sync after the kubelet removed it).
#[test]
fn failed_follows_failure_target_once_the_pods_are_gone() {
    let job: Job = serde_json::from_value(json!({
        "metadata": {"name": "foobar", "namespace": "default", "uid": "job-uid"},
        "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 0, "activeDeadlineSeconds": 10,
                 "selector": {"matchLabels": {"foo": "bar"}},
                 "template": {"spec": {"containers": [{"name": "c", "image": "foo/bar"}]}}},
        "status": {"startTime": "2024-12-31T23:59:00Z"},
    }))
    .unwrap();
    let running: Pod = serde_json::from_value(json!({
        "metadata": {"name": "mypod-0", "namespace": "default", "finalizers": [TRACKING_FINALIZER]},
        "status": {"phase": "Running"}
    }))
    .unwrap();
    let now: Timestamp = NOW.parse().unwrap();
    let first = sync(&job, std::slice::from_ref(&running), now);
    let status = |s: &Sync| -> JobStatus {
        s.actions
            .iter()
            .rev()
            .find_map(|a| match a {
                Action::ReplaceStatus { object, .. } => {
                    serde_json::from_value(object["status"].clone()).ok()
                }
                _ => None,
            })
            .unwrap()
    };
    // trackJobStatusAndRemoveFinalizers' order: the pod uncounted (with FailureTarget), its
    // finalizer removed, then counted.
    let order: Vec<String> = first
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::ReplaceStatus { object, .. } => Some(format!(
                "status failed={} uncounted={}",
                object["status"]["failed"], object["status"]["uncountedTerminatedPods"]
            )),
            Action::RemoveFinalizer { name, finalizer, .. } => {
                Some(format!("rm {finalizer} {name}"))
            }
            Action::Delete { name, .. } => Some(format!("delete {name}")),
            _ => None,
        })
        .collect();
    assert_eq!(
        order,
        [
            "delete mypod-0",
            r#"status failed=null uncounted={"failed":["mypod-0"]}"#,
            "rm batch.kubernetes.io/job-tracking mypod-0",
            "status failed=1 uncounted={}",
        ]
    );
    let st = status(&first);
    let types: Vec<&str> = st.conditions.iter().flatten().map(|c| c.type_.as_str()).collect();
    assert_eq!(types, ["FailureTarget"]);
    assert_eq!((st.terminating, st.failed), (Some(1), Some(1)));
    let mut job2 = job.clone();
    job2.status = Some(st.clone());
    let mut terminating = running.clone();
    terminating.metadata.deletion_timestamp = Some(Time(now + SignedDuration::from_secs(30)));
    terminating.metadata.finalizers = None;
    // Still terminating: nothing changes.
    let again = sync(&job2, std::slice::from_ref(&terminating), now + SignedDuration::from_secs(5));
    assert!(again.actions.is_empty(), "{:?}", again.actions);
    // Gone: Failed with the FailureTarget's reason, and the Warning event.
    let later = now + SignedDuration::from_secs(30);
    let done = sync(&job2, &[], later);
    let st = status(&done);
    let conds: Vec<(&str, &str)> = st
        .conditions
        .iter()
        .flatten()
        .map(|c| (c.type_.as_str(), c.reason.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(conds, [("FailureTarget", "DeadlineExceeded"), ("Failed", "DeadlineExceeded")]);
    assert_eq!((st.terminating, st.failed), (Some(0), Some(1)));
    assert!(done.actions.iter().any(
        |a| matches!(a, Action::CreateEvent(e) if e.reason.as_deref() == Some("DeadlineExceeded"))
    ));
}

/// upstream `TestSingleJobFailedCondition` (job_controller_test.go, v1.32; no gate set, so the
/// 1.32 defaults): a Job past its 10 s deadline (started 15 s ago) that carries `Failed=False`
/// gets that condition flipped to `True` (one `Failed` condition), and no pod is deleted.
#[test]
fn upstream_single_job_failed_condition() {
    let now: Timestamp = NOW.parse().unwrap();
    let start = now - SignedDuration::from_secs(15);
    let job: Job = serde_json::from_value(json!({
        "metadata": {"name": "foobar", "namespace": "default", "uid": "job-uid"},
        "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6, "activeDeadlineSeconds": 10,
                 "selector": {"matchLabels": {"foo": "bar"}},
                 "template": {"metadata": {"labels": {"foo": "bar"}}, "spec": {"containers": [{"name": "", "image": "foo/bar"}]}}},
        "status": {"startTime": start.to_string(), "conditions": [
            {"type": "Failed", "status": "False", "reason": "DeadlineExceeded", "message": "Job was active longer than specified deadline"}]},
    }))
    .unwrap();
    let out = sync(&job, &[], now);
    assert!(!out.actions.iter().any(|a| matches!(a, Action::Delete { .. })));
    let actual: JobStatus = out
        .actions
        .iter()
        .rev()
        .find_map(|a| match a {
            Action::ReplaceStatus { object, .. } => {
                serde_json::from_value(object["status"].clone()).ok()
            }
            _ => None,
        })
        .expect("Expected job modification");
    let failed: Vec<&JobCondition> =
        actual.conditions.iter().flatten().filter(|c| c.type_ == "Failed").collect();
    assert_eq!(failed.len(), 1, "{:?}", actual.conditions);
    assert_eq!(failed[0].status, "True");
}

/// upstream `TestSyncJobComplete` (v1.32): syncing a Job that is already `Complete` changes
/// nothing (its one condition stays).
#[test]
fn upstream_sync_job_complete() {
    let now: Timestamp = NOW.parse().unwrap();
    let job: Job = serde_json::from_value(json!({
        "metadata": {"name": "foobar", "namespace": "default", "uid": "job-uid"},
        "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6,
                 "selector": {"matchLabels": {"foo": "bar"}},
                 "template": {"metadata": {"labels": {"foo": "bar"}}, "spec": {"containers": [{"name": "", "image": "foo/bar"}]}}},
        "status": {"conditions": [{"type": "Complete", "status": "True", "reason": "", "message": ""}]},
    }))
    .unwrap();
    let out = sync(&job, &[], now);
    assert!(out.actions.is_empty(), "{:?}", out.actions);
    assert_eq!(job.status.and_then(|s| s.conditions).map(|c| c.len()), Some(1));
}

/// One case of upstream's `TestTrackJobStatusAndRemoveFinalizers`.
struct TrackCase {
    name: &'static str,
    gates: G,
    /// The Job (`metadata`, `spec`, `status`).
    job: Value,
    /// (uid, phase, tracking finalizer, deleting).
    pods: Vec<(Option<String>, &'static str, bool, bool)>,
    /// `finishedCond`'s type (its reason and message are empty).
    finished: Option<&'static str>,
    needs_flush: bool,
    rm_finalizers: usize,
    /// The statuses written, in order (condition times ignored, `completionTime` as `"now"`).
    updates: Vec<Value>,
    /// Per pod, by position: podBuilder `index()` and `indexFailureCount()` (`""`: unset).
    ix: Vec<(&'static str, &'static str)>,
}

fn track(name: &'static str, job: Value) -> TrackCase {
    TrackCase {
        name,
        gates: G::Off,
        job,
        pods: Vec::new(),
        finished: None,
        needs_flush: false,
        rm_finalizers: 0,
        updates: Vec::new(),
        ix: Vec::new(),
    }
}

fn p(uid: &str, phase: &'static str) -> (Option<String>, &'static str, bool, bool) {
    (Some(uid.to_owned()), phase, true, false)
}

fn cond(type_: &str) -> Value {
    json!({"type": type_, "status": "True", "reason": "", "message": ""})
}

/// upstream `TestTrackJobStatusAndRemoveFinalizers` (job_controller_test.go, v1.32 line): the
/// cases without expectations or injected errors (listed in [`NOT_APPLICABLE`]), Indexed ones
/// included, run through the sandbox's `trackJobStatusAndRemoveFinalizers` ([`Tracking::run`])
/// with the same Job, pods and finished condition and the table's jobCtx (succeeded indexes
/// from the status alone; failed indexes and delayed pods with backoffLimitPerIndex); the status
/// updates and the number of finalizer removals are compared.
fn track_cases() -> Vec<TrackCase> {
    let unc = |s: &[&str], f: &[&str]| {
        let mut u = json!({});
        if !s.is_empty() {
            u["succeeded"] = json!(s);
        }
        if !f.is_empty() {
            u["failed"] = json!(f);
        }
        u
    };
    let with = |status: Value| json!({"status": status});
    let one = json!({"completions": 1, "parallelism": 1});
    let terminating = |uid: &str| (Some(uid.to_owned()), "Running", false, true);
    let many: Vec<(Option<String>, &'static str, bool, bool)> =
        (0..500).map(|i| p(&i.to_string(), "Succeeded")).chain([p("b", "Failed")]).collect();
    let many_uids: Vec<String> = (0..499).map(|i| i.to_string()).collect();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let many_ix: Vec<(&'static str, &'static str)> =
        (0..501).map(|i| (leak(i.to_string()), "")).collect();
    let indexed2 = json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2});
    let per_index6 =
        json!({"completionMode": "Indexed", "completions": 6, "backoffLimitPerIndex": 1});
    vec![
        track("no updates", json!({})),
        TrackCase {
            needs_flush: true,
            updates: vec![json!({"active": 1, "uncountedTerminatedPods": {}})],
            ..track("new active", with(json!({"active": 1})))
        },
        TrackCase {
            pods: vec![
                p("a", "Succeeded"),
                p("b", "Failed"),
                (Some("c".into()), "Succeeded", true, true),
                (Some("d".into()), "Failed", true, true),
                (Some("e".into()), "Pending", true, true),
                (None, "Pending", true, false),
                (None, "Running", true, false),
            ],
            rm_finalizers: 5,
            updates: vec![
                json!({"uncountedTerminatedPods": unc(&["a", "c"], &["b", "d", "e"])}),
                json!({"uncountedTerminatedPods": {}, "succeeded": 2, "failed": 3}),
            ],
            ..track("track finished pods", json!({}))
        },
        TrackCase {
            pods: vec![
                (Some("e".into()), "Succeeded", false, false),
                (None, "Failed", false, false),
                (None, "Pending", false, false),
                p("a", "Succeeded"),
                p("b", "Failed"),
                p("c", "Succeeded"),
                p("d", "Failed"),
            ],
            rm_finalizers: 4,
            updates: vec![
                json!({"uncountedTerminatedPods": unc(&["a", "c"], &["b", "d"]), "active": 1, "succeeded": 3, "failed": 4}),
                json!({"uncountedTerminatedPods": {}, "active": 1, "succeeded": 5, "failed": 6}),
            ],
            ..track(
                "past and new finished pods",
                with(json!({"active": 1, "succeeded": 2, "failed": 3,
                    "uncountedTerminatedPods": unc(&["a", "e"], &["b", "f"])})),
            )
        },
        TrackCase {
            pods: vec![p("a", "Succeeded"), p("b", "Failed"), p("c", "Pending")],
            finished: Some("SuccessCriteriaMet"),
            rm_finalizers: 3,
            updates: vec![
                json!({"uncountedTerminatedPods": unc(&["a"], &["b"]), "conditions": [cond("SuccessCriteriaMet")]}),
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 1,
                    "conditions": [cond("SuccessCriteriaMet"), cond("Complete")], "completionTime": "now"}),
            ],
            ..track("succeeding job by JobSuccessPolicy", json!({}))
        },
        TrackCase {
            pods: vec![p("a", "Succeeded"), p("b", "Failed")],
            finished: Some("Complete"),
            rm_finalizers: 2,
            updates: vec![
                json!({"uncountedTerminatedPods": unc(&["a"], &["b"])}),
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 1,
                    "conditions": [cond("Complete")], "completionTime": "now"}),
            ],
            ..track("completing job", json!({}))
        },
        TrackCase {
            pods: vec![p("a", "Succeeded"), p("b", "Failed"), p("c", "Running")],
            finished: Some("Failed"),
            rm_finalizers: 3,
            updates: vec![
                json!({"uncountedTerminatedPods": unc(&["a"], &["b", "c"])}),
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 2, "conditions": [cond("Failed")]}),
            ],
            ..track("failing job", json!({}))
        },
        TrackCase {
            pods: vec![p("a", "Succeeded"), p("b", "Failed"), (None, "Running", true, false)],
            rm_finalizers: 3,
            updates: vec![
                json!({"uncountedTerminatedPods": unc(&["a"], &["b"]), "active": 1}),
                json!({"uncountedTerminatedPods": {}, "active": 1, "succeeded": 1, "failed": 1}),
            ],
            ..track(
                "deleted job",
                json!({"metadata": {"deletionTimestamp": "0001-01-01T00:00:00Z"}, "status": {"active": 1}}),
            )
        },
        TrackCase {
            pods: many,
            rm_finalizers: 499,
            updates: vec![
                json!({"uncountedTerminatedPods": {"succeeded": many_uids, "failed": ["b"]}, "failed": 1}),
                json!({"uncountedTerminatedPods": {"failed": ["b"]}, "succeeded": 499, "failed": 1}),
            ],
            ..track(
                "too many finished",
                with(json!({"uncountedTerminatedPods": unc(&[], &["a", "b"])})),
            )
        },
        TrackCase {
            pods: vec![p("a", "Failed"), p("b", "Succeeded")],
            finished: Some("Failed"),
            rm_finalizers: 2,
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "failed": 2, "conditions": [cond("Failed")]}),
            ],
            ..track(
                "pod flips from failed to succeeded",
                json!({"spec": {"completions": 2, "parallelism": 2},
                    "status": {"uncountedTerminatedPods": unc(&[], &["a", "b"])}}),
            )
        },
        TrackCase {
            pods: vec![p("a", "Failed")],
            finished: Some("Failed"),
            rm_finalizers: 1,
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "failed": 1, "conditions": [cond("Failed")]}),
            ],
            ..track(
                "pod is terminal; JobFailed condition is set",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&[], &["a"])}}),
            )
        },
        TrackCase {
            gates: G::Prp,
            pods: vec![terminating("a")],
            finished: Some("Failed"),
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "failed": 1, "conditions": [cond("FailureTarget")]}),
            ],
            ..track(
                "pod is terminating; counted as failed, but the JobFailed condition is delayed; JobPodReplacementPolicy enabled",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&[], &["a"]), "conditions": [cond("FailureTarget")]}}),
            )
        },
        TrackCase {
            gates: G::Mb,
            pods: vec![terminating("a")],
            finished: Some("Failed"),
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "failed": 1, "conditions": [cond("FailureTarget")]}),
            ],
            ..track(
                "pod is terminating; counted as failed, but the JobFailed condition is delayed; JobManagedBy enabled",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&[], &["a"]), "conditions": [cond("FailureTarget")]}}),
            )
        },
        TrackCase {
            pods: vec![terminating("a")],
            finished: Some("Failed"),
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "failed": 1, "conditions": [cond("FailureTarget")]}),
                json!({"uncountedTerminatedPods": {}, "failed": 1, "conditions": [cond("FailureTarget"), cond("Failed")]}),
            ],
            ..track(
                "pod is terminating; counted as failed, JobFailed condition is not delayed; JobPodReplacementPolicy and JobManagedBy disabled",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&[], &["a"]), "conditions": [cond("FailureTarget")]}}),
            )
        },
        TrackCase {
            gates: G::Prp,
            pods: vec![terminating("a")],
            finished: Some("Complete"),
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 1, "conditions": [cond("SuccessCriteriaMet")]}),
            ],
            ..track(
                "pod is terminating; JobSuccessCriteriaMet, but JobComplete condition is delayed; JobPodReplacementPolicy enabled",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&["b"], &["a"]), "conditions": [cond("SuccessCriteriaMet")]}}),
            )
        },
        TrackCase {
            gates: G::Mb,
            pods: vec![terminating("a")],
            finished: Some("Complete"),
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 1, "conditions": [cond("SuccessCriteriaMet")]}),
            ],
            ..track(
                "pod is terminating; JobSuccessCriteriaMet, but JobComplete condition is delayed; JobManagedBy enabled",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&["b"], &["a"]), "conditions": [cond("SuccessCriteriaMet")]}}),
            )
        },
        TrackCase {
            pods: vec![terminating("a")],
            finished: Some("Complete"),
            updates: vec![
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 1, "conditions": [cond("SuccessCriteriaMet")]}),
                json!({"uncountedTerminatedPods": {}, "succeeded": 1, "failed": 1,
                    "conditions": [cond("SuccessCriteriaMet"), cond("Complete")], "completionTime": "now"}),
            ],
            ..track(
                "pod is terminating; JobSuccessCriteriaMet, JobComplete condition is not delayed; JobPodReplacementPolicy and JobManagedBy disabled",
                json!({"spec": one, "status": {"uncountedTerminatedPods": unc(&["b"], &["a"]), "conditions": [cond("SuccessCriteriaMet")]}}),
            )
        },
        // The Indexed cases.
        TrackCase {
            pods: vec![
                (None, "Succeeded", true, false),
                (None, "Succeeded", true, false),
                (None, "Succeeded", true, false),
                (None, "Running", true, false),
                (None, "Succeeded", true, false),
            ],
            ix: vec![("1", ""), ("3", ""), ("3", ""), ("5", ""), ("", "")],
            rm_finalizers: 4,
            updates: vec![json!({"active": 1, "succeeded": 2, "completedIndexes": "1,3",
                "uncountedTerminatedPods": {}})],
            ..track(
                "indexed job new successful pods",
                json!({"spec": {"completionMode": "Indexed", "completions": 6}, "status": {"active": 1}}),
            )
        },
        TrackCase {
            pods: vec![(None, "Running", true, false), (None, "Running", true, false)],
            ix: vec![("0", ""), ("1", "")],
            updates: vec![json!({"active": 2, "uncountedTerminatedPods": {}})],
            ..track(
                "indexed job prev successful pods outside current completions index range with no new succeeded pods",
                json!({"spec": indexed2, "status": {"active": 2, "succeeded": 1, "completedIndexes": "3"}}),
            )
        },
        TrackCase {
            pods: vec![(None, "Running", true, false), (None, "Succeeded", true, false)],
            ix: vec![("0", ""), ("1", "")],
            rm_finalizers: 1,
            updates: vec![json!({"active": 2, "succeeded": 1, "completedIndexes": "1",
                "uncountedTerminatedPods": {}})],
            ..track(
                "indexed job prev successful pods outside current completions index range with new succeeded pods in range",
                json!({"spec": indexed2, "status": {"active": 2, "succeeded": 1, "completedIndexes": "3"}}),
            )
        },
        TrackCase {
            pods: vec![
                p("a", "Failed"),
                p("b", "Failed"),
                p("c", "Failed"),
                p("d", "Running"),
                (None, "Failed", true, false),
            ],
            ix: vec![("1", ""), ("3", ""), ("3", ""), ("5", ""), ("", "")],
            rm_finalizers: 4,
            updates: vec![
                json!({"active": 1, "uncountedTerminatedPods": unc(&[], &["a", "b", "c"])}),
                json!({"active": 1, "failed": 3, "uncountedTerminatedPods": {}}),
            ],
            ..track(
                "indexed job new failed pods",
                json!({"spec": {"completionMode": "Indexed", "completions": 6}, "status": {"active": 1}}),
            )
        },
        TrackCase {
            pods: vec![
                (None, "Succeeded", false, false),
                (None, "Failed", false, false),
                (None, "Succeeded", true, false),
                (None, "Succeeded", true, false),
                p("a", "Failed"),
                p("b", "Failed"),
            ],
            ix: vec![("0", ""), ("1", ""), ("1", ""), ("3", ""), ("2", ""), ("5", "")],
            rm_finalizers: 4,
            updates: vec![
                json!({"succeeded": 6, "failed": 2, "completedIndexes": "0-4,6",
                    "uncountedTerminatedPods": unc(&[], &["a", "b"])}),
                json!({"succeeded": 6, "failed": 4, "completedIndexes": "0-4,6",
                    "uncountedTerminatedPods": {}}),
            ],
            ..track(
                "indexed job past and new pods",
                json!({"spec": {"completionMode": "Indexed", "completions": 7},
                    "status": {"failed": 2, "succeeded": 5, "completedIndexes": "0-2,4,6,7"}}),
            )
        },
        TrackCase {
            pods: (0..501).map(|i| p(&i.to_string(), "Succeeded")).collect(),
            ix: many_ix.clone(),
            rm_finalizers: 500,
            updates: vec![json!({"uncountedTerminatedPods": {}, "completedIndexes": "0-499",
                "succeeded": 500})],
            ..track(
                "too many indexed finished",
                json!({"spec": {"completionMode": "Indexed", "completions": 501}}),
            )
        },
        TrackCase {
            pods: vec![p("a", "Failed")],
            ix: vec![("1", "0")],
            updates: vec![json!({"uncountedTerminatedPods": {}, "failedIndexes": ""})],
            ..track(
                "indexed job with a failed pod with delayed finalizer removal; the pod is not counted",
                json!({"spec": per_index6}),
            )
        },
        TrackCase {
            pods: vec![p("a1", "Failed"), p("a2", "Running")],
            ix: vec![("1", "0"), ("1", "1")],
            rm_finalizers: 1,
            updates: vec![
                json!({"active": 1, "uncountedTerminatedPods": unc(&[], &["a1"]), "failedIndexes": ""}),
                json!({"active": 1, "failed": 1, "uncountedTerminatedPods": {}, "failedIndexes": ""}),
            ],
            ..track(
                "indexed job with a failed pod which is recreated by a running pod; the pod is counted",
                json!({"spec": per_index6, "status": {"active": 1}}),
            )
        },
        TrackCase {
            pods: vec![p("a", "Failed")],
            ix: vec![("1", "1")],
            rm_finalizers: 1,
            updates: vec![
                json!({"failedIndexes": "1", "uncountedTerminatedPods": unc(&[], &["a"])}),
                json!({"failed": 1, "failedIndexes": "1", "uncountedTerminatedPods": {}}),
            ],
            ..track(
                "indexed job with a failed pod for a failed index; the pod is counted",
                json!({"spec": per_index6}),
            )
        },
    ]
}

fn run_track(tc: &TrackCase) -> Vec<String> {
    let mut job_json = json!({"metadata": {"name": "foobar", "namespace": "default", "uid": "job-uid"},
        "spec": {"template": {"spec": {"containers": []}}}, "status": {}});
    for (k, v) in tc.job.as_object().unwrap() {
        for (kk, vv) in v.as_object().unwrap() {
            job_json[k][kk] = vv.clone();
        }
    }
    let job: Job = serde_json::from_value(job_json).unwrap();
    let pods: Vec<Pod> = tc
        .pods
        .iter()
        .enumerate()
        .map(|(i, (uid, phase, finalizer, deleting))| {
            let mut meta = json!({"name": format!("p{i}"), "namespace": "default"});
            if let Some(uid) = uid {
                meta["uid"] = json!(uid);
            }
            if *finalizer {
                meta["finalizers"] = json!([TRACKING_FINALIZER]);
            }
            if *deleting {
                meta["deletionTimestamp"] = json!(NOW);
            }
            if let Some((index, count)) = tc.ix.get(i) {
                let mut a = json!({});
                if !index.is_empty() {
                    a[COMPLETION_INDEX] = json!(index);
                }
                if !count.is_empty() {
                    a[indexed::INDEX_FAILURE_COUNT] = json!(count);
                }
                meta["annotations"] = a;
            }
            serde_json::from_value(json!({"metadata": meta, "status": {"phase": phase}})).unwrap()
        })
        .collect();
    let mut baseline = job.status.clone().unwrap_or_default();
    // The test's `job.Status.UncountedTerminatedPods = &{}` when nil.
    baseline.uncounted_terminated_pods.get_or_insert_with(Default::default);
    let finish = tc.finished.map(|type_| Finish {
        success: matches!(type_, "Complete" | "SuccessCriteriaMet"),
        reason: String::new(),
        message: String::new(),
        interim: matches!(type_, "SuccessCriteriaMet" | "FailureTarget"),
        has_interim: false,
    });
    let gates = tc.gates.gates();
    let only_failed = only_replace_failed_pods(&job, gates);
    // The table's jobCtx: succeededIndexes parsed from the status alone; with
    // backoffLimitPerIndex, calculateFailedIndexes and getPodsWithDelayedDeletionPerIndex.
    let completions = indexed_completions(&job);
    let succeeded_ix = completions.map(|c| parse_indexes(baseline.completed_indexes.as_deref(), c));
    let failed_ix = completions
        .zip(indexed::backoff_limit_per_index(&job))
        .map(|(c, limit)| indexed::failed_indexes(&job, &baseline, &pods, c, only_failed, limit));
    let delayed = match (completions, &succeeded_ix, &failed_ix) {
        (Some(c), Some(s), Some(f)) => {
            let active: Vec<&Pod> = pods.iter().filter(|p| is_active(p)).collect();
            let done: BTreeSet<i32> = s.union(f).copied().collect();
            indexed::delayed_deletion_per_index(&pods, &active, &done, c, only_failed)
        }
        _ => BTreeMap::new(),
    };
    let tracking = Tracking {
        job: &job,
        pods: &pods,
        finish: finish.as_ref(),
        terminating: to_i32(pods.iter().filter(|p| is_terminating(p)).count()),
        only_failed,
        gates,
        now: NOW.parse().unwrap(),
        delayed: &delayed,
        failed_indexes: failed_ix.as_ref(),
        succeeded_indexes: succeeded_ix.as_ref(),
    };
    let (actions, _) = tracking.run(baseline.clone(), &baseline, tc.needs_flush);
    let mut errs = Vec::new();
    let rm = actions.iter().filter(|a| matches!(a, Action::RemoveFinalizer { .. })).count();
    if rm != tc.rm_finalizers {
        errs.push(format!("removed {rm} finalizers, want {}", tc.rm_finalizers));
    }
    let updates: Vec<Value> = actions
        .iter()
        .filter_map(|a| match a {
            Action::ReplaceStatus { object, .. } => {
                let mut s = object["status"].clone();
                let conditions = s.get_mut("conditions").and_then(Value::as_array_mut);
                for c in conditions.into_iter().flatten() {
                    c.as_object_mut().map(|m| {
                        m.remove("lastProbeTime");
                        m.remove("lastTransitionTime")
                    });
                }
                if s.get("completionTime").is_some() {
                    s["completionTime"] = json!("now");
                }
                Some(s)
            }
            _ => None,
        })
        .collect();
    if updates != tc.updates {
        errs.push(format!("status updates {}, want {}", json!(updates), json!(tc.updates)));
    }
    errs
}

#[test]
fn upstream_track_job_status_and_remove_finalizers() {
    let table = "TestTrackJobStatusAndRemoveFinalizers";
    assert_cases_pass(table, &track_cases(), 26, |tc| tc.name, run_track);
}
