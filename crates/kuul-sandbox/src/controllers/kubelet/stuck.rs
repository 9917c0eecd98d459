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
//! key k in Secret ns/x`), in the same places of the same order.
//!
//! Containers start one by one (`SyncPod` -> `startContainer`, errors kept per container): init
//! containers in order, each regular one running to completion (at once: their durations are
//! not scripted) and each sidecar (`restartPolicy: Always`) started before the next; a blocked
//! init container holds the later ones and every app container (`PodInitializing`,
//! `Initialized` False `ContainersNotInitialized`). Then each app container that can start runs
//! while a blocked one waits with its own reason; the pod stays `Pending` until every app
//! container has started (`getPhase`), `Ready` False listing only the unready ones.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, Pod, PodCondition,
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
#[derive(Clone)]
pub(crate) struct Waiting {
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

/// What one container is doing, as this sync reports it.
#[derive(Clone)]
pub(crate) enum State {
    /// Not created: blocked (`Some`) or not tried yet (`None`: the default waiting reason,
    /// `ContainerCreating`, or `PodInitializing` in a pod with init containers).
    Waiting(Option<Waiting>),
    /// Running since (an app container or a sidecar).
    Running(Timestamp),
    /// A regular init container that ran to completion (exit 0) at that instant.
    Completed(Timestamp),
}

/// upstream `kubetypes.IsRestartableInitContainer`: a sidecar.
pub(crate) fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// The state a container reports in `statuses` (by name), if it was created already.
fn created_state(statuses: Option<&Vec<ContainerStatus>>, name: &str) -> Option<State> {
    let cs = statuses?.iter().find(|c| c.name == name)?;
    cs.container_id.as_ref()?;
    let state = cs.state.as_ref()?;
    if let Some(r) = &state.running {
        return Some(State::Running(r.started_at.as_ref()?.0));
    }
    let t = state.terminated.as_ref()?;
    Some(State::Completed(t.finished_at.as_ref()?.0))
}

pub(crate) fn container_status(
    pod: &Pod,
    c: &Container,
    state: &State,
    default_reason: &str,
) -> ContainerStatus {
    let image = c.image.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let container_id =
        format!("containerd://{}", super::name_suffix(&format!("{uid}/{}", c.name)).repeat(13));
    let image_id = format!("{image}@sha256:{}", super::name_suffix(&image).repeat(13));
    let (state, ready, started, ids) = match state {
        State::Waiting(w) => (
            ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some(w.as_ref().map_or(default_reason, |w| w.reason).to_owned()),
                    message: w.as_ref().and_then(|w| w.message.clone()),
                }),
                ..ContainerState::default()
            },
            false,
            false,
            false,
        ),
        State::Running(at) => (
            ContainerState {
                running: Some(ContainerStateRunning { started_at: Some(Time(*at)) }),
                ..ContainerState::default()
            },
            true,
            true,
            true,
        ),
        State::Completed(at) => (
            ContainerState {
                terminated: Some(ContainerStateTerminated {
                    container_id: Some(container_id.clone()),
                    exit_code: 0,
                    reason: Some("Completed".to_owned()),
                    started_at: Some(Time(*at)),
                    finished_at: Some(Time(*at)),
                    message: None,
                    signal: None,
                }),
                ..ContainerState::default()
            },
            false,
            false,
            true,
        ),
    };
    ContainerStatus {
        name: c.name.clone(),
        image,
        image_id: if ids { image_id } else { String::new() },
        container_id: ids.then_some(container_id),
        ready,
        started: Some(started),
        restart_count: 0,
        state: Some(state),
        ..ContainerStatus::default()
    }
}

/// `pod` as the kubelet on `node` reports it with each container in its own state (`init[i]`,
/// `app[i]`); `sandbox`: whether the pod sandbox (and IP) exists. The phase is upstream
/// `getPhase`'s: `Pending` while an init container is incomplete or an app container has not
/// started, `Running` once every app container runs.
fn pod_with_states(
    pod: &Pod,
    node: &str,
    init: &[State],
    app: &[State],
    sandbox: bool,
    now: Timestamp,
) -> Pod {
    let spec = pod.spec.as_ref();
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    let init_containers = spec.and_then(|s| s.init_containers.as_deref()).unwrap_or_default();
    // `convertToAPIContainerStatuses`: `PodInitializing` when the pod has init containers.
    let default_reason =
        if init_containers.is_empty() { "ContainerCreating" } else { "PodInitializing" };
    let mut updated = pod.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    let running = app.iter().all(|s| matches!(s, State::Running(_)));
    status.phase = Some(if running { "Running" } else { "Pending" }.to_owned());
    if status.start_time.is_none() {
        status.start_time = Some(Time(Timestamp::from_second(now.as_second()).unwrap_or(now)));
    }
    super::set_ips(status, node, sandbox.then(|| pod.metadata.name.as_deref().unwrap_or("")));
    // `GeneratePodInitializedCondition`: regular init containers not completed, sidecars not
    // started.
    let incomplete: Vec<&str> = init_containers
        .iter()
        .zip(init)
        .filter(|(c, s)| {
            if is_sidecar(c) {
                !matches!(s, State::Running(_))
            } else {
                !matches!(s, State::Completed(_))
            }
        })
        .map(|(c, _)| c.name.as_str())
        .collect();
    // `GenerateContainersReadyCondition`: app containers and sidecars that are not ready.
    let unready: Vec<&str> = init_containers
        .iter()
        .zip(init)
        .filter(|(c, s)| is_sidecar(c) && !matches!(s, State::Running(_)))
        .chain(containers.iter().zip(app).filter(|(_, s)| !matches!(s, State::Running(_))))
        .map(|(c, _)| c.name.as_str())
        .collect();
    let mut conditions = status.conditions.take().unwrap_or_default();
    let ready = if sandbox { "True" } else { "False" };
    set_condition(&mut conditions, "PodReadyToStartContainers", ready, None, None, now);
    if incomplete.is_empty() {
        set_condition(&mut conditions, "Initialized", "True", None, None, now);
    } else {
        let message = format!("containers with incomplete status: [{}]", incomplete.join(" "));
        let reason = Some("ContainersNotInitialized");
        set_condition(&mut conditions, "Initialized", "False", reason, Some(&message), now);
    }
    if unready.is_empty() {
        set_condition(&mut conditions, "Ready", "True", None, None, now);
        set_condition(&mut conditions, "ContainersReady", "True", None, None, now);
    } else {
        let message = format!("containers with unready status: [{}]", unready.join(" "));
        let not_ready = Some("ContainersNotReady");
        set_condition(&mut conditions, "Ready", "False", not_ready, Some(&message), now);
        set_condition(&mut conditions, "ContainersReady", "False", not_ready, Some(&message), now);
    }
    set_condition(&mut conditions, "PodScheduled", "True", None, None, now);
    // The kubelet's order (`generateAPIPodStatus`).
    let order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];
    conditions.sort_by_key(|c| order.iter().position(|o| *o == c.type_).unwrap_or(order.len()));
    status.conditions = Some(conditions);
    status.init_container_statuses = (!init_containers.is_empty()).then(|| {
        init_containers
            .iter()
            .zip(init)
            .map(|(c, s)| container_status(pod, c, s, default_reason))
            .collect()
    });
    status.container_statuses = Some(
        containers
            .iter()
            .zip(app)
            .map(|(c, s)| container_status(pod, c, s, default_reason))
            .collect(),
    );
    updated
}

/// Whether every container the pod needs has been created (app containers, and the init
/// containers before them): then the ordinary kubelet runs the pod.
fn all_created(pod: &Pod) -> bool {
    let Some(spec) = pod.spec.as_ref() else { return true };
    let status = pod.status.as_ref();
    let app = status.and_then(|s| s.container_statuses.as_ref());
    // A container id is enough: a container waiting to restart (`CrashLoopBackOff`) was created.
    spec.containers.iter().all(|c| {
        app.is_some_and(|a| a.iter().any(|s| s.name == c.name && s.container_id.is_some()))
    })
}

/// One kubelet sync of `pod` if it cannot start; `None` if nothing blocks it (or it started
/// already): the ordinary kubelet takes over. `memory` is what the kubelet remembered from the
/// last such sync; the returned one replaces it.
///
/// Containers start one by one as the kubelet's `SyncPod` starts them (`computePodActions`,
/// then `startContainer` per container, each error its own): init containers in order (a
/// regular one must complete, a sidecar — `restartPolicy: Always` — must have started, before
/// the next), then every app container that can start; a blocked one waits with its own reason
/// while the others run.
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
    if pod.metadata.deletion_timestamp.is_some()
        || matches!(phase, "Succeeded" | "Failed")
        || all_created(pod)
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
    let spec = pod.spec.as_ref()?;
    let containers = spec.containers.as_slice();
    let init_containers = spec.init_containers.as_deref().unwrap_or_default();
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let me = object_reference("Pod", "v1", &pod.metadata);
    let source = Source { component: component::KUBELET, host: Some(node) };
    let mut actions = Vec::new();
    let mut event = |type_: EventType, reason: &str, message: String| {
        actions.push(events::action(&me, source, type_, reason, message, now));
    };
    let status = pod.status.as_ref();
    let before_app = status.and_then(|s| s.container_statuses.as_ref());
    let before_init = status.and_then(|s| s.init_container_statuses.as_ref());

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
        let init: Vec<State> = init_containers.iter().map(|_| State::Waiting(None)).collect();
        let app: Vec<State> = containers.iter().map(|_| State::Waiting(None)).collect();
        (pod_with_states(pod, node, &init, &app, false, now), next.unwrap_or(now + PULL_BACKOFF))
    } else {
        memory.mounts.clear();
        // 2. Images, 3. environment, container by container.
        let mut next: Option<Timestamp> = None;
        let mut soonest = |t: Timestamp| next = Some(next.map_or(t, |n: Timestamp| n.min(t)));
        let mut blocked = |c: &Container, event: &mut dyn FnMut(EventType, &str, String)| {
            let image = c.image.clone().unwrap_or_default();
            if !env.registry.is_missing(&image) {
                memory.pulls.remove(&image);
                memory.errors.remove(&image);
                let error = config_error(c, namespace, env)?;
                event(
                    EventType::Normal,
                    "Pulled",
                    format!("Container image {image:?} already present on machine"),
                );
                event(EventType::Warning, "Failed", format!("Error: {error}"));
                soonest(now + PULL_BACKOFF);
                return Some(Waiting {
                    reason: "CreateContainerConfigError",
                    message: Some(error),
                });
            }
            if c.image_pull_policy.as_deref() == Some("Never") {
                let message =
                    format!("Container image {image:?} is not present with pull policy of Never");
                event(EventType::Warning, "ErrImageNeverPull", message.clone());
                event(EventType::Warning, "Failed", "Error: ErrImageNeverPull".to_owned());
                soonest(now + PULL_BACKOFF);
                return Some(Waiting { reason: "ErrImageNeverPull", message: Some(message) });
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
                    soonest(last + d);
                    Some(Waiting { reason: "ImagePullBackOff", message: Some(message) })
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
                    // The pod worker's retry of a failed sync.
                    soonest(now + PULL_BACKOFF);
                    Some(Waiting { reason: "ErrImagePull", message: Some(error) })
                }
            }
        };
        let start = |c: &Container, event: &mut dyn FnMut(EventType, &str, String)| {
            let image = c.image.clone().unwrap_or_default();
            event(
                EventType::Normal,
                "Pulled",
                format!("Container image {image:?} already present on machine"),
            );
            event(EventType::Normal, "Created", format!("Created container: {}", c.name));
            event(EventType::Normal, "Started", format!("Started container {}", c.name));
        };
        let at = Timestamp::from_second(now.as_second()).unwrap_or(now);
        // Init containers, in order: the first one that cannot start (or, a sidecar, run)
        // holds every later one and the app containers.
        let mut init: Vec<State> = Vec::new();
        let mut initialized = true;
        for c in init_containers {
            if !initialized {
                init.push(State::Waiting(None));
                continue;
            }
            if let Some(s) = created_state(before_init, &c.name) {
                init.push(s);
                continue;
            }
            match blocked(c, &mut event) {
                Some(w) => {
                    init.push(State::Waiting(Some(w)));
                    initialized = false;
                }
                None => {
                    start(c, &mut event);
                    // A regular init container runs to completion at once (init container
                    // durations are not scripted); a sidecar keeps running.
                    init.push(if is_sidecar(c) {
                        State::Running(at)
                    } else {
                        State::Completed(at)
                    });
                }
            }
        }
        let mut app: Vec<State> = Vec::new();
        for c in containers {
            if !initialized {
                app.push(State::Waiting(None));
            } else if let Some(s) = created_state(before_app, &c.name) {
                app.push(s);
            } else {
                match blocked(c, &mut event) {
                    Some(w) => app.push(State::Waiting(Some(w))),
                    None => {
                        start(c, &mut event);
                        app.push(State::Running(at));
                    }
                }
            }
        }
        let nothing_blocked = initialized && app.iter().all(|s| !matches!(s, State::Waiting(_)));
        let created_before = before_app
            .is_some_and(|cs| cs.iter().any(|c| c.container_id.is_some()))
            || before_init.is_some_and(|cs| cs.iter().any(|c| c.container_id.is_some()));
        if nothing_blocked && !created_before {
            // Nothing blocks a fresh pod: the ordinary kubelet starts it (same statuses).
            return None;
        }
        let updated = pod_with_states(pod, node, &init, &app, true, now);
        let next = if nothing_blocked {
            // The last containers started: the ordinary kubelet runs the pod from here.
            memory = Memory::default();
            super::finishes_at(&updated).unwrap_or(now).max(now)
        } else {
            next.unwrap_or(now + PULL_BACKOFF)
        };
        (updated, next)
    };
    memory.next_sync = Some(next);
    if updated.status != pod.status {
        actions.insert(0, Action::ReplaceStatus { kind: Kind::Pod, object: to_value(&updated) });
    }
    Some((Sync { actions, requeue_at: Some(next) }, memory))
}

#[cfg(test)]
mod tests;
