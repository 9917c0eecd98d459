//! A bound pod the kubelet cannot start: a missing ConfigMap volume, an image the registry
//! lacks, a missing ConfigMap (key) in the environment. The pod stays `Pending` with the
//! container states, conditions and events of kubelet 1.32, until the cause goes away (the
//! kubelet notices on its next sync, then the pod starts as usual).
//!
//! In the kubelet's order (`pkg/kubelet/kubelet.go` `SyncPod`, then
//! `pkg/kubelet/kuberuntime/kuberuntime_container.go` `startContainer`):
//!
//! 1. volumes (`volumemanager` `WaitForAttachAndMount`): a `configMap` volume whose ConfigMap does
//!    not exist (or lacks an `items` key), unless `optional`, fails `MountVolume.SetUp` (Warning
//!    `FailedMount` `MountVolume.SetUp failed for volume "cfg" : configmap "x" not found`,
//!    `operationexecutor.GenerateError`), retried after 500 ms doubling to 2m2s
//!    (`nestedpendingoperations` exponential back-off). Containers wait `ContainerCreating`,
//!    `PodReadyToStartContainers` is False (no sandbox yet), no pod IP.
//! 2. images (`pkg/kubelet/images/image_manager.go` `EnsureImageExists`/`pullImage`): a container
//!    whose image is missing from the [`Registry`] gets `Pulling`, `Failed` ("Failed to pull image
//!    ...: rpc error: code = NotFound desc = ...", containerd's text for an unknown reference)
//!    and `Failed` "Error: ErrImagePull", waiting reason `ErrImagePull`; the per-image back-off
//!    (`flowcontrol.Backoff`, 10 s doubling to 5 min) then answers `BackOff` "Back-off pulling
//!    image ..." and "Error: ImagePullBackOff", waiting `ImagePullBackOff` with the previous
//!    error appended (1.32 `prevPullErrMsg`). `imagePullPolicy: Never` gives `ErrImageNeverPull`.
//! 3. environment (`pkg/kubelet/kubelet_pods.go` `makeEnvironmentVariables`): a non-optional
//!    `envFrom.configMapRef` or `env.valueFrom.configMapKeyRef` to a missing ConfigMap or key
//!    gives waiting `CreateContainerConfigError` (`configmap "x" not found`, `couldn't find key
//!    k in ConfigMap ns/x`) and `Failed` "Error: ...".
//!
//! The pod worker syncs a pod whose sync failed again after 10 s (`backOffPeriod`); the sandbox
//! syncs at the instants something can change (a pull or mount retry, 10 s after a failed pull,
//! every 10 s for a config error), so repeated events grow their `count` more slowly than a real
//! kubelet's. Secrets are read like ConfigMaps: a `secret` volume (`pkg/volume/secret/secret.go`
//! `SetUpAt`/`MakePayload`: `secret "x" not found`, `references non-existent secret key: k`),
//! `envFrom.secretRef` and `env.valueFrom.secretKeyRef` (`secret "x" not found`, `couldn't find
//! key k in Secret ns/x`), in the same places of the same order. Only
//! `containers` are checked (init containers are not simulated), and a pod with one blocked
//! container starts none of them (upstream starts the others; the phase is `Pending` either way).

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateWaiting, ContainerStatus, Pod, PodCondition,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::registry::{Reference, Registry};
use crate::controllers::events::{self, EventType, Source, component};
use crate::controllers::refs::{object_reference, to_value};
use crate::controllers::{Action, Sync};
use crate::kind::Kind;

/// kubelet `backOffPeriod`: the image back-off starts at 10 s (and the pod worker retries a
/// failed sync after as long) ...
const PULL_BACKOFF: SignedDuration = SignedDuration::from_secs(10);
/// ... doubling up to `MaxContainerBackOff`.
const MAX_PULL_BACKOFF: SignedDuration = SignedDuration::from_mins(5);
/// `nestedpendingoperations`: `initialDurationBeforeRetry` ...
const MOUNT_BACKOFF: SignedDuration = SignedDuration::from_millis(500);
/// ... and `maxDurationBeforeRetry` (2m2s).
const MAX_MOUNT_BACKOFF: SignedDuration = SignedDuration::from_secs(122);

/// What the kubelet reads from outside the pod.
pub struct Env<'a> {
    /// Which images cannot be pulled.
    pub registry: &'a Registry,
    /// The keys (`data` and `binaryData`) of the ConfigMap of that name in the pod's namespace,
    /// or `None` if there is no such ConfigMap.
    pub config_map: &'a dyn Fn(&str) -> Option<BTreeSet<String>>,
    /// The keys (`data`) of the Secret of that name in the pod's namespace, or `None`.
    pub secret: &'a dyn Fn(&str) -> Option<BTreeSet<String>>,
}

/// The kubelet's in-memory state for one pod it could not start (its image back-off entries,
/// last pull errors, mount retries, next sync). Kept by the control plane; lost with it, as a
/// kubelet restart loses it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    next_sync: Option<Timestamp>,
    /// image -> (last update, current back-off): `flowcontrol.Backoff` entries.
    pulls: BTreeMap<String, (Timestamp, SignedDuration)>,
    /// image -> "ErrImagePull: <message>" of its last failed pull.
    errors: BTreeMap<String, String>,
    /// volume -> (last failure, duration before retry).
    mounts: BTreeMap<String, (Timestamp, SignedDuration)>,
}

/// Why a container cannot start, as its waiting state says.
struct Waiting {
    reason: &'static str,
    message: Option<String>,
}

/// The containerd error for pulling a reference no registry has.
pub fn not_found_error(image: &str) -> String {
    let full = Reference::parse(image).full();
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to \
         resolve reference \"{full}\": {full}: not found"
    )
}

/// The first `configMap` or `secret` volume problem per volume: (volume name, error).
fn mount_errors(pod: &Pod, env: &Env<'_>) -> Vec<(String, String)> {
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_deref()).unwrap_or_default();
    let mut errors = Vec::new();
    for v in volumes {
        if let Some(cm) = v.config_map.as_ref() {
            if cm.optional == Some(true) {
                continue;
            }
            // configmap.go `SetUpAt` / `MakePayload`.
            match (env.config_map)(&cm.name) {
                None => errors.push((v.name.clone(), format!("configmap {:?} not found", cm.name))),
                Some(keys) => {
                    if let Some(item) =
                        cm.items.iter().flatten().find(|i| !keys.contains(i.key.as_str()))
                    {
                        let message =
                            format!("configmap references non-existent config key: {}", item.key);
                        errors.push((v.name.clone(), message));
                    }
                }
            }
        } else if let Some(sv) = v.secret.as_ref() {
            if sv.optional == Some(true) {
                continue;
            }
            // secret.go `SetUpAt` (the API server's NotFound) / `MakePayload`.
            let name = sv.secret_name.clone().unwrap_or_default();
            match (env.secret)(&name) {
                None => errors.push((v.name.clone(), format!("secret {name:?} not found"))),
                Some(keys) => {
                    if let Some(item) =
                        sv.items.iter().flatten().find(|i| !keys.contains(i.key.as_str()))
                    {
                        let message = format!("references non-existent secret key: {}", item.key);
                        errors.push((v.name.clone(), message));
                    }
                }
            }
        }
    }
    errors
}

/// upstream `makeEnvironmentVariables` for the ConfigMap and Secret references of `c`
/// (`envFrom` in order, then `env` in order).
fn config_error(c: &Container, namespace: &str, env: &Env<'_>) -> Option<String> {
    for from in c.env_from.iter().flatten() {
        if let Some(r) = &from.config_map_ref
            && r.optional != Some(true)
            && (env.config_map)(&r.name).is_none()
        {
            return Some(format!("configmap {:?} not found", r.name));
        }
        if let Some(r) = &from.secret_ref
            && r.optional != Some(true)
            && (env.secret)(&r.name).is_none()
        {
            return Some(format!("secret {:?} not found", r.name));
        }
    }
    for var in c.env.iter().flatten() {
        let Some(from) = var.value_from.as_ref() else { continue };
        let (r_name, key, optional, found, what, label) =
            if let Some(r) = from.config_map_key_ref.as_ref() {
                (&r.name, &r.key, r.optional, (env.config_map)(&r.name), "configmap", "ConfigMap")
            } else if let Some(r) = from.secret_key_ref.as_ref() {
                (&r.name, &r.key, r.optional, (env.secret)(&r.name), "secret", "Secret")
            } else {
                continue;
            };
        if optional == Some(true) {
            continue;
        }
        match found {
            None => return Some(format!("{what} {r_name:?} not found")),
            Some(keys) if !keys.contains(key) => {
                return Some(format!("couldn't find key {key} in {label} {namespace}/{r_name}"));
            }
            _ => {}
        }
    }
    None
}

/// `flowcontrol.Backoff.Next`: the first failure (or one after a long quiet, `hasExpired`: more
/// than twice the maximum since the last) starts at `initial`, later ones double up to `max`.
fn next_backoff(
    entry: Option<(Timestamp, SignedDuration)>,
    now: Timestamp,
    initial: SignedDuration,
    max: SignedDuration,
) -> (Timestamp, SignedDuration) {
    match entry {
        Some((last, d)) if now.duration_since(last) <= max * 2 => (now, (d * 2).min(max)),
        _ => (now, initial),
    }
}

/// Sets a condition, keeping its transition time if its status does not change.
fn set_condition(
    conditions: &mut Vec<PodCondition>,
    type_: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: Timestamp,
) {
    let since = conditions
        .iter()
        .find(|c| c.type_ == type_ && c.status == status)
        .and_then(|c| c.last_transition_time.clone())
        .unwrap_or(Time(now));
    conditions.retain(|c| c.type_ != type_);
    conditions.push(PodCondition {
        type_: type_.to_owned(),
        status: status.to_owned(),
        reason: reason.map(str::to_owned),
        message: message.map(str::to_owned),
        last_transition_time: Some(since),
        last_probe_time: None,
        observed_generation: None,
    });
}

/// `pod` as the kubelet on `node` reports it with every container waiting: `waiting[i]` for
/// container i (`None`: `ContainerCreating`); `sandbox`: whether the pod sandbox (and IP) exists.
fn waiting_pod(
    pod: &Pod,
    node: &str,
    waiting: &[Option<Waiting>],
    sandbox: bool,
    now: Timestamp,
) -> Pod {
    let containers = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or_default();
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    status.phase = Some("Pending".to_owned());
    if status.start_time.is_none() {
        status.start_time = Some(Time(Timestamp::from_second(now.as_second()).unwrap_or(now)));
    }
    super::set_ips(status, node, sandbox.then(|| pod.metadata.name.as_deref().unwrap_or("")));
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let unready = format!("containers with unready status: [{}]", names.join(" "));
    let mut conditions = status.conditions.take().unwrap_or_default();
    let ready = if sandbox { "True" } else { "False" };
    set_condition(&mut conditions, "PodReadyToStartContainers", ready, None, None, now);
    set_condition(&mut conditions, "Initialized", "True", None, None, now);
    let not_ready = Some("ContainersNotReady");
    set_condition(&mut conditions, "Ready", "False", not_ready, Some(&unready), now);
    set_condition(&mut conditions, "ContainersReady", "False", not_ready, Some(&unready), now);
    set_condition(&mut conditions, "PodScheduled", "True", None, None, now);
    // The kubelet's order (`generateAPIPodStatus`).
    let order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];
    conditions.sort_by_key(|c| order.iter().position(|o| *o == c.type_).unwrap_or(order.len()));
    status.conditions = Some(conditions);
    status.container_statuses = Some(
        containers
            .iter()
            .zip(waiting)
            .map(|(c, w)| ContainerStatus {
                name: c.name.clone(),
                image: c.image.clone().unwrap_or_default(),
                image_id: String::new(),
                ready: false,
                started: Some(false),
                restart_count: 0,
                state: Some(ContainerState {
                    waiting: Some(ContainerStateWaiting {
                        reason: Some(
                            w.as_ref().map_or("ContainerCreating", |w| w.reason).to_owned(),
                        ),
                        message: w.as_ref().and_then(|w| w.message.clone()),
                    }),
                    ..ContainerState::default()
                }),
                ..ContainerStatus::default()
            })
            .collect(),
    );
    updated
}

/// One kubelet sync of `pod` if it cannot start; `None` if nothing blocks it (or it started
/// already): the ordinary kubelet takes over. `memory` is what the kubelet remembered from the
/// last such sync; the returned one replaces it.
pub fn sync(
    pod: &Pod,
    now: Timestamp,
    env: &Env<'_>,
    memory: Option<&Memory>,
) -> Option<(Sync, Memory)> {
    let node = pod.spec.as_ref()?.node_name.as_deref().filter(|n| !n.is_empty())?;
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
    // A container that was created once (running, or waiting to restart) has its image and
    // config already: restarts are the ordinary kubelet's.
    let created = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.container_id.is_some()));
    if pod.metadata.deletion_timestamp.is_some()
        || matches!(phase, "Succeeded" | "Failed")
        || created
        || super::started_at(pod).is_some()
    {
        return None;
    }
    if let Some(m) = memory
        && let Some(at) = m.next_sync
        && now < at
    {
        // Between the pod worker's syncs (our own status write comes back as a change).
        return Some((Sync { actions: Vec::new(), requeue_at: Some(at) }, m.clone()));
    }
    let mut memory = memory.cloned().unwrap_or_default();
    let containers = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or_default();
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let me = object_reference("Pod", "v1", &pod.metadata);
    let source = Source { component: component::KUBELET, host: Some(node) };
    let mut actions = Vec::new();
    let mut event = |type_: EventType, reason: &str, message: String| {
        actions.push(events::action(&me, source, type_, reason, message, now));
    };

    // 1. Volumes.
    let mounts = mount_errors(pod, env);
    let (updated, next) = if !mounts.is_empty() {
        memory.mounts.retain(|v, _| mounts.iter().any(|(m, _)| m == v));
        let mut next: Option<Timestamp> = None;
        for (volume, error) in &mounts {
            let entry = memory.mounts.get(volume).copied();
            let retry_at = entry.map(|(last, d)| last + d);
            if retry_at.is_none_or(|at| now >= at) {
                event(
                    EventType::Warning,
                    "FailedMount",
                    format!("MountVolume.SetUp failed for volume {volume:?} : {error}"),
                );
                let e = next_backoff(entry, now, MOUNT_BACKOFF, MAX_MOUNT_BACKOFF);
                memory.mounts.insert(volume.clone(), e);
            }
            if let Some(&(last, d)) = memory.mounts.get(volume) {
                next = Some(next.map_or(last + d, |n: Timestamp| n.min(last + d)));
            }
        }
        let waiting: Vec<Option<Waiting>> = containers.iter().map(|_| None).collect();
        (waiting_pod(pod, node, &waiting, false, now), next.unwrap_or(now + PULL_BACKOFF))
    } else {
        memory.mounts.clear();
        // 2. Images, 3. environment, container by container.
        let mut waiting: Vec<Option<Waiting>> = Vec::new();
        let mut next: Option<Timestamp> = None;
        let mut soonest = |t: Timestamp| next = Some(next.map_or(t, |n: Timestamp| n.min(t)));
        for c in containers {
            let image = c.image.clone().unwrap_or_default();
            if !env.registry.is_missing(&image) {
                memory.pulls.remove(&image);
                memory.errors.remove(&image);
                let Some(error) = config_error(c, namespace, env) else {
                    waiting.push(None);
                    continue;
                };
                event(
                    EventType::Normal,
                    "Pulled",
                    format!("Container image {image:?} already present on machine"),
                );
                event(EventType::Warning, "Failed", format!("Error: {error}"));
                waiting.push(Some(Waiting {
                    reason: "CreateContainerConfigError",
                    message: Some(error),
                }));
                soonest(now + PULL_BACKOFF);
                continue;
            }
            if c.image_pull_policy.as_deref() == Some("Never") {
                let message =
                    format!("Container image {image:?} is not present with pull policy of Never");
                event(EventType::Warning, "ErrImageNeverPull", message.clone());
                event(EventType::Warning, "Failed", "Error: ErrImageNeverPull".to_owned());
                waiting.push(Some(Waiting { reason: "ErrImageNeverPull", message: Some(message) }));
                soonest(now + PULL_BACKOFF);
                continue;
            }
            let entry = memory.pulls.get(&image).copied();
            match entry {
                // `IsInBackOffSinceUpdate`: now - lastUpdate < backoff.
                Some((last, d)) if now.duration_since(last) < d => {
                    let mut message = format!("Back-off pulling image {image:?}");
                    event(EventType::Normal, "BackOff", message.clone());
                    event(EventType::Warning, "Failed", "Error: ImagePullBackOff".to_owned());
                    if let Some(previous) = memory.errors.get(&image) {
                        message = format!("{message}: {previous}");
                    }
                    waiting
                        .push(Some(Waiting { reason: "ImagePullBackOff", message: Some(message) }));
                    soonest(last + d);
                }
                _ => {
                    let error = not_found_error(&image);
                    event(EventType::Normal, "Pulling", format!("Pulling image {image:?}"));
                    event(
                        EventType::Warning,
                        "Failed",
                        format!("Failed to pull image {image:?}: {error}"),
                    );
                    event(EventType::Warning, "Failed", "Error: ErrImagePull".to_owned());
                    let e = next_backoff(entry, now, PULL_BACKOFF, MAX_PULL_BACKOFF);
                    memory.pulls.insert(image.clone(), e);
                    memory.errors.insert(image.clone(), format!("ErrImagePull: {error}"));
                    waiting.push(Some(Waiting { reason: "ErrImagePull", message: Some(error) }));
                    // The pod worker's retry of a failed sync.
                    soonest(now + PULL_BACKOFF);
                }
            }
        }
        if waiting.iter().all(Option::is_none) {
            return None;
        }
        (waiting_pod(pod, node, &waiting, true, now), next.unwrap_or(now + PULL_BACKOFF))
    };
    memory.next_sync = Some(next);
    if updated.status != pod.status {
        actions.insert(0, Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) });
    }
    Some((Sync { actions, requeue_at: Some(next) }, memory))
}

#[cfg(test)]
mod tests;
