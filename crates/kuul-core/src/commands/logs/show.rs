//! What `logs` shows for finished (or not followed) runs: a plan of header lines, notes on what
//! cannot be shown, and log requests, made from the run facts alone (unit-tested), then the
//! requests sent at most `--max-log-requests` (5) at a time and printed in plan order.

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;

use super::Args;
use crate::cluster::Cluster;
use crate::duration;
use crate::error::Result;
use crate::follow::LogOptions;
use crate::output::Printer;
use crate::runs::{Attempt, ContainerAttempt, Run, RunResult, Trigger};

/// One step of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// A header or a note, on stdout when headers are, else on stderr.
    Line(String),
    /// kubectl's own stderr notice (`Defaulted container "a" out of: a, b`): always stderr.
    Notice(String),
    /// The log of one container of one pod.
    Log {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
}

/// Everything to show, in order.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) steps: Vec<Step>,
    /// Headers and notes go to stdout (several logs shown), else to stderr (so one pod's log
    /// reads exactly as `kubectl logs` prints it).
    pub(super) headers_on_stdout: bool,
}

/// How an attempt ended, in words: `exit 0`, `exit 1 (Error)`, `OOMKilled (exit 137)`,
/// `running`, `waiting: ImagePullBackOff`, `never scheduled: Unschedulable`.
pub(super) fn attempt_status(attempt: &Attempt) -> String {
    if attempt.node.is_none() && attempt.phase == "Pending" {
        return format!("never scheduled: {}", attempt.reason.as_deref().unwrap_or("Pending"));
    }
    let main: Vec<&ContainerAttempt> = attempt.containers.iter().filter(|c| !c.init).collect();
    if let Some(c) =
        main.iter().find(|c| c.exit_code.is_some_and(|e| e != 0)).or_else(|| main.first())
    {
        return container_status(c);
    }
    attempt.phase.to_lowercase()
}

fn container_status(c: &ContainerAttempt) -> String {
    let restarts =
        if c.restarts > 0 { format!(", {} restarts", c.restarts) } else { String::new() };
    match (c.state, c.exit_code, c.reason.as_deref()) {
        (
            "terminated",
            Some(code),
            Some(r @ ("OOMKilled" | "DeadlineExceeded" | "ContainerCannotRun")),
        ) => {
            format!("{r} (exit {code}){restarts}")
        }
        ("terminated", Some(0), _) => format!("exit 0{restarts}"),
        ("terminated", Some(code), Some(r)) => format!("exit {code} ({r}){restarts}"),
        ("terminated", Some(code), None) => format!("exit {code}{restarts}"),
        ("waiting", _, Some(r)) => format!("waiting: {r}{restarts}"),
        ("running", _, _) => format!("running{restarts}"),
        _ => format!("{}{restarts}", c.state),
    }
}

fn run_header(run: &Run) -> String {
    let when = match &run.trigger {
        Trigger::Scheduled { at: Some(at) } => format!("scheduled {at}"),
        Trigger::Scheduled { at: None } => "scheduled".into(),
        Trigger::Manual { by: Some(by) } => format!("manual ({by})"),
        Trigger::Manual { by: None } => "manual".into(),
    };
    let reason = run.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
    let took =
        run.duration_seconds.map(|s| format!(" in {}", duration::human(s))).unwrap_or_default();
    let attempts = match run.attempt_count {
        1 => String::new(),
        n => format!(", {n} attempts"),
    };
    format!(
        "==> job.batch/{}: {}{reason}{took}, {when}{attempts} <==",
        run.name,
        run.result.as_str()
    )
}

impl Plan {
    /// The plan for `runs` (oldest first when several) under `args`.
    pub(super) fn new(runs: &[&Run], args: &Args, _retained: usize) -> Plan {
        let mut steps = Vec::new();
        let several_runs = runs.len() > 1 || args.all_runs;
        let mut logs = 0_usize;
        for run in runs {
            if several_runs {
                steps.push(Step::Line(run_header(run)));
            }
            if run.result == RunResult::Deleted {
                steps.push(Step::Line(format!(
                    "job.batch/{} was deleted (history limit, ttlSecondsAfterFinished or prune): its pods and logs are gone",
                    run.name
                )));
                continue;
            }
            if run.attempts_deleted > 0 {
                let which =
                    if run.attempts.is_empty() { "every attempt" } else { "earlier attempts" };
                steps.push(Step::Line(format!(
                    "{} of {} attempt(s) of job.batch/{} were deleted with their pods ({which}): their logs are gone",
                    run.attempts_deleted, run.attempt_count, run.name
                )));
            }
            let total = run.attempt_count;
            let first_index = run.attempts_deleted;
            for (i, attempt) in run.attempts.iter().enumerate() {
                let containers = pick(attempt, args);
                let node = attempt.node.as_deref().map(|n| format!(" on {n}")).unwrap_or_default();
                let number = if total > 1 {
                    format!(" (attempt {}/{total})", first_index + i + 1)
                } else {
                    String::new()
                };
                steps.push(Step::Line(format!(
                    "--- pod/{}{number}{node}: {} ---",
                    attempt.pod,
                    attempt_status(attempt)
                )));
                if attempt.node.is_none() && attempt.phase == "Pending" {
                    let why =
                        attempt.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
                    steps.push(Step::Line(format!(
                        "pod/{} was never scheduled, so it has no log{why}",
                        attempt.pod
                    )));
                    continue;
                }
                match containers {
                    Err(note) => steps.push(Step::Line(note)),
                    Ok((list, notice)) => {
                        if let Some(notice) = notice
                            && !steps.contains(&Step::Notice(notice.clone()))
                        {
                            steps.push(Step::Notice(notice));
                        }
                        for c in list {
                            if args.previous && c.restarts == 0 {
                                steps.push(Step::Line(format!(
                                    "container {} of pod/{} has not restarted: there is no previous log",
                                    c.name, attempt.pod
                                )));
                            } else if !c.started() {
                                let why = match (&c.reason, &c.message) {
                                    (Some(r), Some(m)) => format!(" (waiting: {r}: {m})"),
                                    (Some(r), None) => format!(" (waiting: {r})"),
                                    _ => String::new(),
                                };
                                steps.push(Step::Line(format!(
                                    "container {} of pod/{} never started{why}: no log",
                                    c.name, attempt.pod
                                )));
                            } else {
                                logs += 1;
                                steps.push(Step::Log {
                                    pod: attempt.pod.clone(),
                                    container: c.name.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
        Plan { steps, headers_on_stdout: !args.prefix && (several_runs || logs > 1) }
    }
}

/// The containers of `attempt` to show: `-c`, every one with `--all-containers` (init first),
/// else `kubectl logs`' choice ([`crate::follow::default_container`]: the default-container
/// annotation, else the first container, with kubectl's notice when there are others).
fn pick<'a>(
    attempt: &'a Attempt,
    args: &Args,
) -> std::result::Result<(Vec<&'a ContainerAttempt>, Option<String>), String> {
    if args.all_containers {
        return Ok((attempt.containers.iter().collect(), None));
    }
    if let Some(name) = &args.container {
        return match attempt.containers.iter().find(|c| &c.name == name) {
            Some(c) => Ok((vec![c], None)),
            None => Err(format!(
                "pod/{} has no container \"{name}\" (it has {})",
                attempt.pod,
                attempt.containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
            )),
        };
    }
    let names = |init: bool| -> Vec<&str> {
        attempt.containers.iter().filter(|c| c.init == init).map(|c| c.name.as_str()).collect()
    };
    let picked = crate::follow::default_container(
        &names(false),
        &names(true),
        attempt.default_container.as_deref(),
    );
    Ok(match picked {
        Some((name, notice)) => {
            (attempt.containers.iter().filter(|c| c.name == name).take(1).collect(), notice)
        }
        None => (Vec::new(), None),
    })
}

/// Attempts per log GET, the first included.
const LOG_ATTEMPTS: u32 = 4;

/// One `pods/log` GET, retried like every other read (`cluster::request`: 429, 5xx and dropped
/// connections, a GET being safe to repeat) with a short backoff: a 500 or a reset from a busy
/// API server is not a log the kubelet rotated away (found by `tests/e2e/contexts_every.rs`: a
/// faulty cluster's run printed nothing, with a note blaming the kubelet).
async fn logs_retried(
    api: &Api<Pod>,
    pod: &str,
    params: &kube::api::LogParams,
) -> std::result::Result<String, kube::Error> {
    let mut attempt = 1;
    loop {
        match api.logs(pod, params).await {
            Err(kube::Error::Api(status))
                if attempt < LOG_ATTEMPTS && status.code != 429 && status.code < 500 =>
            {
                return Err(kube::Error::Api(status));
            }
            Err(_) if attempt < LOG_ATTEMPTS => {
                tokio::time::sleep(std::time::Duration::from_millis(100 << attempt)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Sends the plan's log requests (bounded concurrency, answers kept in order) and prints.
pub(super) async fn print(
    cluster: &Cluster,
    namespace: &str,
    plan: &Plan,
    options: &LogOptions,
    max_requests: usize,
    out: &mut Printer<'_>,
) -> Result<()> {
    let api: Api<Pod> = Api::namespaced(cluster.client().clone(), namespace);
    let fetches = plan.steps.iter().map(|step| {
        let api = api.clone();
        async move {
            match step {
                Step::Line(line) | Step::Notice(line) => Ok(line.clone()),
                Step::Log { pod, container } => {
                    let params = options.params(container, false);
                    logs_retried(&api, pod, &params).await.map_err(|e| {
                        format!(
                            "cannot read the log of container {container} of pod/{pod}: {} \
                             (the kubelet may have rotated it away, or the node is gone)",
                            crate::follow::short_error(&e)
                        )
                    })
                }
            }
        }
    });
    let mut answers = futures::stream::iter(fetches).buffered(max_requests.max(1));
    let mut index = 0;
    while let Some(answer) = answers.next().await {
        let step = &plan.steps[index];
        index += 1;
        match (step, answer) {
            (Step::Notice(line), _) => crate::notice::line(line, None),
            (Step::Line(line), _) => {
                if plan.headers_on_stdout {
                    out.write_str(&format!("{line}\n"))?;
                } else {
                    crate::notice::line(line, None);
                }
            }
            (Step::Log { pod, container }, Ok(text)) => {
                let text = if options.prefix {
                    text.lines().map(|l| format!("[pod/{pod}/{container}] {l}\n")).collect()
                } else {
                    text
                };
                out.write_str(&text)?;
            }
            (Step::Log { .. }, Err(note)) => {
                if plan.headers_on_stdout {
                    out.write_str(&format!("{note}\n"))?;
                } else {
                    crate::notice::line(&note, None);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::json;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn args(extra: &[&str]) -> Args {
        let mut argv = vec!["logs", "backup"];
        argv.extend(extra);
        Cli::parse_from(argv).args
    }

    fn run(value: serde_json::Value) -> Run {
        let job: crate::runs::JobFacts = serde_json::from_value(value["job"].clone()).unwrap();
        let pods: Vec<crate::runs::PodFacts> =
            serde_json::from_value(value["pods"].clone()).unwrap();
        let refs: Vec<&crate::runs::PodFacts> = pods.iter().collect();
        crate::runs::run_of(&job, &refs, Some("backup"), "2025-03-01T11:00:00Z".parse().unwrap())
    }

    fn pod(
        name: &str,
        created: &str,
        node: Option<&str>,
        status: serde_json::Value,
    ) -> serde_json::Value {
        json!({"metadata": {"name": name, "creationTimestamp": created,
                            "ownerReferences": [{"kind": "Job", "uid": "j", "controller": true}]},
               "spec": {"nodeName": node, "containers": [{"name": "main", "image": "app"}]},
               "status": status})
    }

    fn exited(code: i32) -> serde_json::Value {
        json!({"phase": if code == 0 {"Succeeded"} else {"Failed"}, "containerStatuses": [
            {"name": "main", "state": {"terminated": {"exitCode": code,
                "reason": if code == 0 {"Completed"} else {"Error"}}}}]})
    }

    #[test]
    fn one_pod_reads_like_kubectl_logs_with_its_header_on_stderr() {
        let r = run(json!({"job": {"metadata": {"name": "backup-1", "uid": "j"},
            "status": {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}},
            "pods": [pod("backup-1-a", "2025-03-01T10:00:00Z", Some("n1"), exited(0))]}));
        let plan = Plan::new(&[&r], &args(&[]), 1);
        assert!(!plan.headers_on_stdout);
        assert_eq!(
            plan.steps,
            [
                Step::Line("--- pod/backup-1-a on n1: exit 0 ---".into()),
                Step::Log { pod: "backup-1-a".into(), container: "main".into() },
            ]
        );
    }

    #[test]
    fn retries_are_each_headed_and_deleted_attempts_said() {
        let r = run(json!({"job": {"metadata": {"name": "backup-1", "uid": "j"},
            "status": {"failed": 3, "conditions": [{"type": "Failed", "status": "True",
                "reason": "BackoffLimitExceeded"}]}},
            "pods": [pod("backup-1-b", "2025-03-01T10:00:10Z", Some("n1"), exited(1)),
                     pod("backup-1-c", "2025-03-01T10:00:30Z", Some("n2"), exited(2))]}));
        let plan = Plan::new(&[&r], &args(&[]), 1);
        assert!(plan.headers_on_stdout);
        let lines: Vec<String> = plan
            .steps
            .iter()
            .map(|s| match s {
                Step::Line(l) | Step::Notice(l) => l.clone(),
                Step::Log { pod, .. } => format!("LOG {pod}"),
            })
            .collect();
        assert_eq!(
            lines,
            [
                "1 of 3 attempt(s) of job.batch/backup-1 were deleted with their pods (earlier attempts): their logs are gone",
                "--- pod/backup-1-b (attempt 2/3) on n1: exit 1 (Error) ---",
                "LOG backup-1-b",
                "--- pod/backup-1-c (attempt 3/3) on n2: exit 2 (Error) ---",
                "LOG backup-1-c",
            ]
        );
    }

    #[test]
    fn what_cannot_be_shown_is_said() {
        let r = run(
            json!({"job": {"metadata": {"name": "backup-1", "uid": "j"}, "status": {"active": 2}},
            "pods": [pod("a", "2025-03-01T10:00:00Z", None, json!({"phase": "Pending",
                        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                        "message": "0/2 nodes are available"}]})),
                     pod("b", "2025-03-01T10:00:01Z", Some("n1"), json!({"phase": "Pending",
                        "containerStatuses": [{"name": "main", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}))]}),
        );
        let plan = Plan::new(&[&r], &args(&[]), 1);
        assert!(plan.steps.contains(&Step::Line(
            "pod/a was never scheduled, so it has no log: 0/2 nodes are available".into()
        )));
        assert!(plan.steps.contains(&Step::Line(
            "container main of pod/b never started (waiting: ImagePullBackOff): no log".into()
        )));
        assert!(!plan.steps.iter().any(|s| matches!(s, Step::Log { .. })));
        let plan = Plan::new(&[&r], &args(&["-c", "side"]), 1);
        assert!(
            plan.steps
                .contains(&Step::Line("pod/b has no container \"side\" (it has main)".into()))
        );
    }

    #[test]
    fn oom_kills_read_as_such() {
        let r = run(
            json!({"job": {"metadata": {"name": "backup-1", "uid": "j"}, "status": {"failed": 1}},
            "pods": [pod("a", "2025-03-01T10:00:00Z", Some("n1"), json!({"phase": "Failed",
                "containerStatuses": [{"name": "main", "restartCount": 0,
                    "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}))]}),
        );
        assert_eq!(attempt_status(&r.attempts[0]), "OOMKilled (exit 137)");
    }
}
