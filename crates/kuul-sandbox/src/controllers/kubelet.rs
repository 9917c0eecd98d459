//! The kubelet: "runs" a pod bound to a node and writes its status and logs.
//!
//! A bound pod starts at once (phase `Running`, containers `running` and `ready`), runs for a
//! duration and terminates with an exit code (phase `Succeeded`/`Failed`, containers
//! `terminated` with reason `Completed`/`Error`), all from the clock. What a pod does comes from
//! annotations (copied from a Job's pod template, see the crate README):
//!
//! - `sandbox.kuul.dev/duration`: Go duration, default `10s`;
//! - `sandbox.kuul.dev/exit-code`: default `0`; `sandbox.kuul.dev/exit-codes` (`"1,1,0"`) is
//!   resolved per pod by the Job controller;
//! - `sandbox.kuul.dev/log`: log lines separated by `\n`, spread evenly over the run.
//!
//! Status shapes follow the kubelet's `generateAPIPodStatus` (conditions
//! `PodReadyToStartContainers`, `Initialized`, `Ready`, `ContainersReady`, `PodScheduled`;
//! reason `PodCompleted` once terminated) and events `Pulled`/`Created`/`Started`
//! (`pkg/kubelet/events/event.go`). With `restartPolicy: OnFailure` a failed container is
//! restarted in the same pod, as the kubelet's `computePodActions`/`doBackOff` do: the first
//! restart at once, then after 10 s, 20 s, ... at most 5 min (`CrashLoopBackOff` waiting state,
//! event `BackOff`), `restartCount` and `lastState.terminated` as upstream; the pod stays
//! `Running`. `sandbox.kuul.dev/exit-codes` then scripts each restart. `Always` is treated as
//! `Never` (a bare pod that exits ends), since a never-ending pod helps no test. Init containers
//! run to completion at once before the app containers (sidecars, `restartPolicy: Always`, keep
//! running until the app containers are done); probes are not simulated. Each app container
//! runs the pod's duration from its own start (a container a blocked sibling held back starts
//! later, see `stuck`), and the pod's containers are reported terminated together once the last
//! one is done; a container's finish time is exactly start + duration even if the clock jumped
//! past it.

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, Pod, PodCondition,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::events::{self, EventType, Source, component};
use super::refs::{name_suffix, object_reference, to_value};
use super::{Action, Sync};
use crate::kind::Kind;

/// The `sandbox.kuul.dev/*` annotations that script a pod's run.
pub mod annotations {
    /// How long the containers run (Go duration, default `10s`).
    pub const DURATION: &str = "sandbox.kuul.dev/duration";
    /// The exit code of the containers (default `0`).
    pub const EXIT_CODE: &str = "sandbox.kuul.dev/exit-code";
    /// Exit codes of a Job's pods in creation order (`"1,1,0"`), the last one repeating.
    pub const EXIT_CODES: &str = "sandbox.kuul.dev/exit-codes";
    /// Log lines, separated by `\n`.
    pub const LOG: &str = "sandbox.kuul.dev/log";
}

/// kubelet `backOffPeriod`: the crash-loop back-off starts at 10 s ...
const CRASH_BACKOFF: SignedDuration = SignedDuration::from_secs(10);
/// ... and doubles up to `MaxContainerBackOff` (5 min).
const MAX_CRASH_BACKOFF: SignedDuration = SignedDuration::from_mins(5);

/// How long the kubelet waits before the `restarts`-th restart (1-based): none before the first
/// (`doBackOff` finds no back-off entry yet), then 10 s doubling, at most 5 min.
pub fn crash_backoff(restarts: i32) -> SignedDuration {
    if restarts <= 1 {
        return SignedDuration::ZERO;
    }
    let exp = u32::try_from(restarts - 2).unwrap_or(0).min(16);
    (CRASH_BACKOFF * (1_i32 << exp)).min(MAX_CRASH_BACKOFF)
}

fn restarts_on_failure(pod: &Pod) -> bool {
    pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) == Some("OnFailure")
}

/// The restarts so far (the first container's `restartCount`).
pub fn restart_count(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.first())
        .map_or(0, |c| c.restart_count)
}

/// Exit code of the current attempt: for a restarting (`OnFailure`) pod the attempt-th of
/// `exit-codes` (the last repeats), else [`exit_code`].
pub fn attempt_exit_code(pod: &Pod) -> i32 {
    if restarts_on_failure(pod)
        && let Some(codes) = annotation(pod, annotations::EXIT_CODES)
    {
        let codes: Vec<i32> =
            codes.split(',').filter_map(|c| c.trim().parse().ok()).collect::<Vec<_>>();
        let i = usize::try_from(restart_count(pod)).unwrap_or(0);
        if let Some(code) = codes.get(i).or(codes.last()) {
            return *code;
        }
    }
    exit_code(pod)
}

/// When a container in `CrashLoopBackOff` restarts: its last termination plus the back-off.
fn restarts_at(pod: &Pod) -> Option<Timestamp> {
    let cs = pod.status.as_ref()?.container_statuses.as_ref()?.first()?;
    cs.state.as_ref()?.waiting.as_ref()?;
    let finished = cs.last_state.as_ref()?.terminated.as_ref()?.finished_at.as_ref()?.0;
    Some(finished + crash_backoff(cs.restart_count + 1))
}

/// Default run time of a pod.
pub const DEFAULT_DURATION: SignedDuration = SignedDuration::from_secs(10);

/// Parses a Go `time.ParseDuration` string (`1h30m`, `10s`, `250ms`, `1.5h`). `None` if invalid.
pub fn parse_go_duration(s: &str) -> Option<SignedDuration> {
    let s = s.trim();
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(SignedDuration::ZERO);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total_nanos: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let value: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let nanos_per_unit = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total_nanos += value * nanos_per_unit;
    }
    let d = SignedDuration::try_from_secs_f64(total_nanos / 1e9).ok()?;
    Some(if neg { -d } else { d })
}

/// How long `pod` runs (annotation, else the default; negative values count as zero).
pub fn duration(pod: &Pod) -> SignedDuration {
    annotation(pod, annotations::DURATION)
        .and_then(parse_go_duration)
        .unwrap_or(DEFAULT_DURATION)
        .max(SignedDuration::ZERO)
}

/// The exit code `pod` ends with: `exit-code`, else the first of `exit-codes`, else 0.
pub fn exit_code(pod: &Pod) -> i32 {
    if let Some(code) = annotation(pod, annotations::EXIT_CODE).and_then(|c| c.trim().parse().ok())
    {
        return code;
    }
    annotation(pod, annotations::EXIT_CODES)
        .and_then(|c| c.split(',').next())
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(0)
}

fn annotation<'a>(pod: &'a Pod, key: &str) -> Option<&'a str> {
    pod.metadata.annotations.as_ref()?.get(key).map(String::as_str)
}

fn phase(pod: &Pod) -> &str {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

/// When the containers started (the first `running.startedAt` or `terminated.startedAt`).
pub fn started_at(pod: &Pod) -> Option<Timestamp> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|c| {
        let state = c.state.as_ref()?;
        state
            .running
            .as_ref()
            .and_then(|r| r.started_at.as_ref())
            .or_else(|| state.terminated.as_ref().and_then(|t| t.started_at.as_ref()))
            .map(|t| t.0)
    })
}

/// When a container started, from its status (`running` or `terminated`).
fn container_started_at(cs: &ContainerStatus) -> Option<Timestamp> {
    let state = cs.state.as_ref()?;
    state
        .running
        .as_ref()
        .and_then(|r| r.started_at.as_ref())
        .or_else(|| state.terminated.as_ref().and_then(|t| t.started_at.as_ref()))
        .map(|t| t.0)
}

/// When a started pod finishes: its last app container, each running `duration` from its own
/// start (containers a blocked sibling held back start later, see `stuck`).
pub fn finishes_at(pod: &Pod) -> Option<Timestamp> {
    let d = duration(pod);
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().filter_map(container_started_at).map(|s| s + d).max()
}

/// The log lines of `pod` written by `now`, each with the instant it was written. Lines come
/// from `sandbox.kuul.dev/log` (default: a few lines naming the pod), spread evenly over the
/// run: with n lines over duration d, line i is written at start + d·i/n.
pub fn log_lines(pod: &Pod, now: Timestamp) -> Vec<(Timestamp, String)> {
    let Some(start) = started_at(pod) else { return Vec::new() };
    let lines: Vec<String> = match annotation(pod, annotations::LOG) {
        Some(text) => text.lines().map(str::to_owned).collect(),
        None => default_log(pod),
    };
    let d = duration(pod);
    let n = i32::try_from(lines.len()).unwrap_or(i32::MAX).max(1);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| (start + d * i32::try_from(i).unwrap_or(0) / n, line))
        .filter(|(t, _)| *t <= now)
        .collect()
}

fn default_log(pod: &Pod) -> Vec<String> {
    let name = pod.metadata.name.as_deref().unwrap_or("pod");
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let code = exit_code(pod);
    let last = if code == 0 {
        "done: all checks passed".to_owned()
    } else {
        format!("error: step failed, exiting with code {code}")
    };
    vec![format!("starting {namespace}/{name}"), format!("running task for {name}"), last]
}

fn pod_condition(type_: &str, status: &str, reason: Option<&str>, at: Timestamp) -> PodCondition {
    PodCondition {
        type_: type_.to_owned(),
        status: status.to_owned(),
        reason: reason.map(str::to_owned),
        last_transition_time: Some(Time(at)),
        last_probe_time: None,
        message: None,
        observed_generation: None,
    }
}

/// A stable fake IPv4 address in 10.244.0.0/16 (pods) or 10.0.0.0/16 (nodes) for a name.
/// `hostIP`/`hostIPs` from the node and, once the pod sandbox exists (`pod`: its name),
/// `podIP`/`podIPs` (the kubelet writes the plural lists with the first entry equal, L5).
fn set_ips(status: &mut k8s_openapi::api::core::v1::PodStatus, node: &str, pod: Option<&str>) {
    use k8s_openapi::api::core::v1::{HostIP, PodIP};
    let host = fake_ip("10.0", node);
    status.host_ips = Some(vec![HostIP { ip: host.clone() }]);
    status.host_ip = Some(host);
    let ip = pod.map(|p| fake_ip("10.244", p));
    status.pod_ips = ip.clone().map(|ip| vec![PodIP { ip }]);
    status.pod_ip = ip;
}

fn fake_ip(prefix: &str, seed: &str) -> String {
    let h = seed.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    format!("{prefix}.{}.{}", (h >> 8) % 250 + 1, h % 250 + 2)
}

/// One sync of a pod by the kubelet of the node it is bound to.
pub fn sync(pod: &Pod, now: Timestamp) -> Sync {
    let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
        return Sync::default();
    };
    if pod.metadata.deletion_timestamp.is_some() || matches!(phase(pod), "Succeeded" | "Failed") {
        return Sync::default();
    }
    let containers = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or_default();
    let me = object_reference("Pod", "v1", &pod.metadata);
    let source = Source { component: component::KUBELET, host: Some(node) };
    let mut actions = Vec::new();

    if let Some(at) = restarts_at(pod) {
        if now < at {
            return Sync { actions, requeue_at: Some(at) };
        }
        let updated = restarted(pod, at);
        let finish = finishes_at(&updated).unwrap_or(now);
        actions.push(Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) });
        for c in containers {
            let message = format!("Started container {}", c.name);
            actions.push(events::action(&me, source, EventType::Normal, "Started", message, now));
        }
        return Sync { actions, requeue_at: Some(finish.max(now)) };
    }
    match started_at(pod) {
        None => {
            let updated = started(pod, node, now);
            for c in containers {
                let image = c.image.clone().unwrap_or_default();
                let message = format!("Container image {image:?} already present on machine");
                actions.push(events::action(
                    &me,
                    source,
                    EventType::Normal,
                    "Pulled",
                    message,
                    now,
                ));
                let message = format!("Created container: {}", c.name);
                actions.push(events::action(
                    &me,
                    source,
                    EventType::Normal,
                    "Created",
                    message,
                    now,
                ));
                let message = format!("Started container {}", c.name);
                actions.push(events::action(
                    &me,
                    source,
                    EventType::Normal,
                    "Started",
                    message,
                    now,
                ));
            }
            let finish = finishes_at(&updated).unwrap_or(now);
            actions
                .insert(0, Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) });
            Sync { actions, requeue_at: Some(finish.max(now)) }
        }
        Some(start) => {
            let finish = finishes_at(pod).unwrap_or(start + duration(pod));
            if now < finish {
                return Sync { actions, requeue_at: Some(finish) };
            }
            let code = attempt_exit_code(pod);
            if code != 0 && restarts_on_failure(pod) {
                let restarts = restart_count(pod) + 1;
                let delay = crash_backoff(restarts);
                let mut updated = crashed(pod, code, finish);
                if delay == SignedDuration::ZERO {
                    updated = restarted(&updated, finish);
                    for c in containers {
                        let message = format!("Started container {}", c.name);
                        actions.push(events::action(
                            &me,
                            source,
                            EventType::Normal,
                            "Started",
                            message,
                            now,
                        ));
                    }
                } else {
                    // kubelet `doBackOff` (kuberuntime_manager.go), reason `BackOff`,
                    // the pod as `format.Pod` prints it.
                    let m = &pod.metadata;
                    let who = format!(
                        "{}_{}({})",
                        m.name.as_deref().unwrap_or_default(),
                        m.namespace.as_deref().unwrap_or_default(),
                        m.uid.as_deref().unwrap_or_default()
                    );
                    for c in containers {
                        let message =
                            format!("Back-off restarting failed container {} in pod {who}", c.name);
                        actions.push(events::action(
                            &me,
                            source,
                            EventType::Warning,
                            "BackOff",
                            message,
                            now,
                        ));
                    }
                }
                let next = if delay == SignedDuration::ZERO {
                    finishes_at(&updated).unwrap_or(now)
                } else {
                    finish + delay
                };
                actions.insert(
                    0,
                    Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) },
                );
                return Sync { actions, requeue_at: Some(next.max(now)) };
            }
            let updated = terminated(pod, code);
            actions.push(Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) });
            Sync { actions, requeue_at: None }
        }
    }
}

/// `pod` as its kubelet reports it once every container started at `now` on `node`. `Time` is
/// stored with whole seconds, so the start is truncated here and the finish follows from what is
/// stored.
pub fn started(pod: &Pod, node: &str, now: Timestamp) -> Pod {
    let start = Timestamp::from_second(now.as_second()).unwrap_or(now);
    let containers = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or_default();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let mut updated = pod.clone();
    if let Some(spec) = updated.spec.as_mut() {
        spec.node_name = Some(node.to_owned());
    }
    let status = updated.status.get_or_insert_with(Default::default);
    status.phase = Some("Running".to_owned());
    status.start_time = Some(Time(start));
    set_ips(status, node, Some(pod.metadata.name.as_deref().unwrap_or("")));
    status.conditions = Some(vec![
        pod_condition("PodReadyToStartContainers", "True", None, start),
        pod_condition("Initialized", "True", None, start),
        pod_condition("Ready", "True", None, start),
        pod_condition("ContainersReady", "True", None, start),
        pod_condition("PodScheduled", "True", None, start),
    ]);
    // Init containers ran before (regular ones to completion, at once; sidecars keep running).
    let init_containers = pod.spec.as_ref().and_then(|s| s.init_containers.as_deref());
    status.init_container_statuses = init_containers.filter(|i| !i.is_empty()).map(|init| {
        init.iter()
            .map(|c| {
                let state = if stuck::is_sidecar(c) {
                    stuck::State::Running(start)
                } else {
                    stuck::State::Completed(start)
                };
                stuck::container_status(pod, c, &state, "PodInitializing")
            })
            .collect()
    });
    status.container_statuses = Some(
        containers
            .iter()
            .map(|c| {
                let image = c.image.clone().unwrap_or_default();
                ContainerStatus {
                    name: c.name.clone(),
                    image_id: format!("{image}@sha256:{}", name_suffix(&image).repeat(13)),
                    image,
                    container_id: Some(format!(
                        "containerd://{}",
                        name_suffix(&format!("{uid}/{}", c.name)).repeat(13)
                    )),
                    ready: true,
                    started: Some(true),
                    restart_count: 0,
                    state: Some(ContainerState {
                        running: Some(ContainerStateRunning { started_at: Some(Time(start)) }),
                        ..ContainerState::default()
                    }),
                    ..ContainerStatus::default()
                }
            })
            .collect(),
    );
    updated
}

/// A restarting pod whose containers just exited with `code` at `finish`: `lastState.terminated`
/// holds that run, `state.waiting` is `CrashLoopBackOff` (the kubelet's message), not ready.
fn crashed(pod: &Pod, code: i32, finish: Timestamp) -> Pod {
    let start = started_at(pod).unwrap_or_default();
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    for c in status.conditions.iter_mut().flatten() {
        if matches!(c.type_.as_str(), "Ready" | "ContainersReady") && c.status == "True" {
            c.status = "False".to_owned();
            c.reason = Some("ContainersNotReady".to_owned());
            c.last_transition_time = Some(Time(finish));
        }
    }
    for cs in status.container_statuses.iter_mut().flatten() {
        let backoff = crash_backoff(cs.restart_count + 1);
        cs.ready = false;
        cs.started = Some(false);
        cs.last_state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: cs.container_id.clone(),
                exit_code: code,
                reason: Some("Error".to_owned()),
                started_at: Some(Time(start)),
                finished_at: Some(Time(finish)),
                message: None,
                signal: None,
            }),
            ..ContainerState::default()
        });
        cs.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("CrashLoopBackOff".to_owned()),
                message: Some(format!(
                    "back-off {} restarting failed container={} pod={pod_name}_{ns}({uid})",
                    go_duration(backoff),
                    cs.name
                )),
            }),
            ..ContainerState::default()
        });
    }
    updated
}

/// A crashed pod whose containers the kubelet starts again at `at` (`restartCount` + 1).
fn restarted(pod: &Pod, at: Timestamp) -> Pod {
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    for c in status.conditions.iter_mut().flatten() {
        if matches!(c.type_.as_str(), "Ready" | "ContainersReady") {
            c.status = "True".to_owned();
            c.reason = None;
            c.last_transition_time = Some(Time(at));
        }
    }
    for cs in status.container_statuses.iter_mut().flatten() {
        cs.restart_count += 1;
        cs.ready = true;
        cs.started = Some(true);
        cs.state = Some(ContainerState {
            running: Some(ContainerStateRunning { started_at: Some(Time(at)) }),
            ..ContainerState::default()
        });
    }
    updated
}

/// Go's `time.Duration.String` for whole seconds and minutes (`10s`, `5m0s`).
fn go_duration(d: SignedDuration) -> String {
    let s = d.as_secs();
    if s >= 60 { format!("{}m{}s", s / 60, s % 60) } else { format!("{s}s") }
}

/// A started `pod` as its kubelet reports it once its containers exited with `code`, at
/// start + duration.
pub fn terminated(pod: &Pod, code: i32) -> Pod {
    let first = started_at(pod).unwrap_or_default();
    let d = duration(pod);
    let finish = finishes_at(pod).unwrap_or(first + d);
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    status.phase = Some(if code == 0 { "Succeeded" } else { "Failed" }.to_owned());
    let reason = if code == 0 { "Completed" } else { "Error" };
    // pkg/kubelet/status/generate.go (v1.32.0) `generateContainersReadyConditionForTerminalPhase`
    // and `GeneratePodReadyCondition`: `PodCompleted` for a succeeded pod, `PodFailed` for a
    // failed one; `GeneratePodInitializedCondition`: a succeeded pod's Initialized (still
    // True) says `PodCompleted` (L5).
    let terminal_reason = if code == 0 { "PodCompleted" } else { "PodFailed" };
    for c in status.conditions.iter_mut().flatten() {
        if matches!(c.type_.as_str(), "Ready" | "ContainersReady" | "PodReadyToStartContainers") {
            c.status = "False".to_owned();
            c.reason = (c.type_ != "PodReadyToStartContainers").then(|| terminal_reason.to_owned());
            c.last_transition_time = Some(Time(finish));
        }
        if c.type_ == "Initialized" && code == 0 {
            c.reason = Some("PodCompleted".to_owned());
        }
    }
    for cs in status.container_statuses.iter_mut().flatten() {
        let start = container_started_at(cs).unwrap_or(first);
        cs.ready = false;
        cs.started = Some(false);
        cs.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: cs.container_id.clone(),
                exit_code: code,
                reason: Some(reason.to_owned()),
                started_at: Some(Time(start)),
                finished_at: Some(Time(start + d)),
                message: None,
                signal: None,
            }),
            ..ContainerState::default()
        });
    }
    // Sidecars are stopped once the app containers are done; a simulated sidecar exits 0 on
    // SIGTERM (their exit codes do not count towards the phase).
    for cs in status.init_container_statuses.iter_mut().flatten() {
        let Some(start) =
            cs.state.as_ref().and_then(|s| s.running.as_ref()).and_then(|r| r.started_at.clone())
        else {
            continue;
        };
        cs.ready = false;
        cs.started = Some(false);
        cs.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: cs.container_id.clone(),
                exit_code: 0,
                reason: Some("Completed".to_owned()),
                started_at: Some(start),
                finished_at: Some(Time(finish)),
                message: None,
                signal: None,
            }),
            ..ContainerState::default()
        });
    }
    updated
}

pub mod registry;
pub mod stuck;

#[cfg(test)]
mod tests;
