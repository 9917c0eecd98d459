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
//! (`pkg/kubelet/events/event.go`). Simplified: `restartPolicy: OnFailure` behaves as `Never`
//! (a failed container fails the pod; the Job controller replaces it), init containers and
//! probes are not simulated, and a container's finish time is exactly start + duration even if
//! the clock jumped past it.

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStatus, Pod,
    PodCondition,
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

/// When a started pod finishes.
pub fn finishes_at(pod: &Pod) -> Option<Timestamp> {
    started_at(pod).map(|s| s + duration(pod))
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
            let finish = start + duration(pod);
            if now < finish {
                return Sync { actions, requeue_at: Some(finish) };
            }
            let updated = terminated(pod, exit_code(pod));
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
    status.host_ip = Some(fake_ip("10.0", node));
    status.pod_ip = Some(fake_ip("10.244", pod.metadata.name.as_deref().unwrap_or("")));
    status.conditions = Some(vec![
        pod_condition("PodReadyToStartContainers", "True", None, start),
        pod_condition("Initialized", "True", None, start),
        pod_condition("Ready", "True", None, start),
        pod_condition("ContainersReady", "True", None, start),
        pod_condition("PodScheduled", "True", None, start),
    ]);
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

/// A started `pod` as its kubelet reports it once its containers exited with `code`, at
/// start + duration.
pub fn terminated(pod: &Pod, code: i32) -> Pod {
    let start = started_at(pod).unwrap_or_default();
    let finish = start + duration(pod);
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    status.phase = Some(if code == 0 { "Succeeded" } else { "Failed" }.to_owned());
    let reason = if code == 0 { "Completed" } else { "Error" };
    for c in status.conditions.iter_mut().flatten() {
        if matches!(c.type_.as_str(), "Ready" | "ContainersReady" | "PodReadyToStartContainers") {
            c.status = "False".to_owned();
            c.reason = (c.type_ != "PodReadyToStartContainers").then(|| "PodCompleted".to_owned());
            c.last_transition_time = Some(Time(finish));
        }
    }
    for cs in status.container_statuses.iter_mut().flatten() {
        cs.ready = false;
        cs.started = Some(false);
        cs.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: cs.container_id.clone(),
                exit_code: code,
                reason: Some(reason.to_owned()),
                started_at: Some(Time(start)),
                finished_at: Some(Time(finish)),
                message: None,
                signal: None,
            }),
            ..ContainerState::default()
        });
    }
    updated
}

#[cfg(test)]
mod tests;
