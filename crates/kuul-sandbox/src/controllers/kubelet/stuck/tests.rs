//! Unit tests for pods the kubelet cannot start.

use super::*;
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn pod(spec: serde_json::Value) -> Pod {
    let mut s =
        json!({"nodeName": "node-1", "containers": [{"name": "main", "image": "busybox:1.99"}]});
    for (k, v) in spec.as_object().unwrap() {
        s[k] = v.clone();
    }
    serde_json::from_value(json!({
        "metadata": {"name": "backup-1-x7k2q", "namespace": "ops", "uid": "p1"},
        "spec": s,
        "status": {"phase": "Pending"}
    }))
    .unwrap()
}

fn no_config_maps(_: &str) -> Option<BTreeSet<String>> {
    None
}

fn written(sync: &Sync) -> Option<Pod> {
    sync.actions.iter().find_map(|a| match a {
        Action::ReplaceStatus { object, .. } => serde_json::from_value(object.clone()).ok(),
        _ => None,
    })
}

fn events(sync: &Sync) -> Vec<(String, String)> {
    sync.actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateEvent(e) => {
                Some((e.reason.clone().unwrap_or_default(), e.message.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

fn waiting(p: &Pod) -> (String, String) {
    let w = p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0]
        .state
        .as_ref()
        .unwrap()
        .waiting
        .clone()
        .unwrap();
    (w.reason.unwrap_or_default(), w.message.unwrap_or_default())
}

const ERR: &str = "rpc error: code = NotFound desc = failed to pull and unpack image \
                   \"docker.io/library/busybox:1.99\": failed to resolve reference \
                   \"docker.io/library/busybox:1.99\": docker.io/library/busybox:1.99: not found";

#[test]
fn a_missing_image_alternates_err_image_pull_and_back_off_on_the_kubelet_schedule() {
    let registry = Registry::default();
    registry.set_missing(["busybox:1.99"]);
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let t0 = ts("2025-03-01T10:00:00Z");
    let mut p = pod(json!({}));
    let mut memory: Option<Memory> = None;
    let mut seen = Vec::new();
    let mut t = t0;
    // Follow the requeues for 12 minutes, applying each status write.
    while t < t0 + SignedDuration::from_mins(12) {
        let (sync, m) = sync(&p, t, &env, memory.as_ref()).expect("blocked");
        if let Some(w) = written(&sync) {
            p = w;
        }
        let reasons: Vec<String> = events(&sync).into_iter().map(|(r, _)| r).collect();
        seen.push((t.duration_since(t0).as_secs(), waiting(&p).0, reasons));
        memory = Some(m);
        t = sync.requeue_at.unwrap();
    }
    let pulls: Vec<i64> =
        seen.iter().filter(|(_, _, r)| r.contains(&"Pulling".to_owned())).map(|s| s.0).collect();
    // flowcontrol.Backoff: 10 s doubling to 5 min, checked at the pod worker's syncs.
    assert_eq!(pulls, [0, 10, 30, 70, 150, 310, 610]);
    let states: Vec<(i64, &str)> = seen.iter().map(|(s, w, _)| (*s, w.as_str())).take(6).collect();
    assert_eq!(
        states,
        [
            (0, "ErrImagePull"),
            (10, "ErrImagePull"),
            (20, "ImagePullBackOff"),
            (30, "ErrImagePull"),
            (40, "ImagePullBackOff"),
            (70, "ErrImagePull")
        ]
    );
    let status = p.status.as_ref().unwrap();
    assert_eq!(status.phase.as_deref(), Some("Pending"));
    let cond = |t: &str| status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == t).unwrap();
    assert_eq!(cond("Ready").status, "False");
    assert_eq!(cond("ContainersReady").reason.as_deref(), Some("ContainersNotReady"));
    assert_eq!(
        cond("ContainersReady").message.as_deref(),
        Some("containers with unready status: [main]")
    );
    assert_eq!(cond("PodReadyToStartContainers").status, "True");
    assert_eq!(cond("PodScheduled").status, "True");
    assert!(status.pod_ip.is_some());
}

#[test]
fn pull_messages_are_the_kubelets() {
    let registry = Registry::default();
    registry.set_missing(["busybox:1.99"]);
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let t0 = ts("2025-03-01T10:00:00Z");
    let (first, m) = sync(&pod(json!({})), t0, &env, None).unwrap();
    let p = written(&first).unwrap();
    assert_eq!(waiting(&p), ("ErrImagePull".to_owned(), ERR.to_owned()));
    assert_eq!(
        events(&first),
        [
            ("Pulling".to_owned(), "Pulling image \"busybox:1.99\"".to_owned()),
            ("Failed".to_owned(), format!("Failed to pull image \"busybox:1.99\": {ERR}")),
            ("Failed".to_owned(), "Error: ErrImagePull".to_owned()),
        ]
    );
    // Our own write comes back at once: nothing new until the next sync.
    let (same, m) = sync(&p, t0, &env, Some(&m)).unwrap();
    assert!(same.actions.is_empty());
    assert_eq!(same.requeue_at, Some(t0 + SignedDuration::from_secs(10)));
    let (_, m) = sync(&p, t0 + SignedDuration::from_secs(10), &env, Some(&m)).unwrap();
    let (backoff, _) = sync(&p, t0 + SignedDuration::from_secs(20), &env, Some(&m)).unwrap();
    let p = written(&backoff).unwrap();
    assert_eq!(
        waiting(&p),
        (
            "ImagePullBackOff".to_owned(),
            format!("Back-off pulling image \"busybox:1.99\": ErrImagePull: {ERR}")
        )
    );
    assert_eq!(
        events(&backoff),
        [
            ("BackOff".to_owned(), "Back-off pulling image \"busybox:1.99\"".to_owned()),
            ("Failed".to_owned(), "Error: ImagePullBackOff".to_owned()),
        ]
    );
    // Once the registry has it, the next sync hands over to the ordinary kubelet.
    registry.set_missing(Vec::<String>::new());
    assert!(sync(&p, t0 + SignedDuration::from_secs(30), &env, Some(&m)).is_none());
}

#[test]
fn never_pull_policy_reports_err_image_never_pull() {
    let registry = Registry::default();
    registry.set_missing(["busybox"]);
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let p = pod(
        json!({"containers": [{"name": "main", "image": "busybox:1.99", "imagePullPolicy": "Never"}]}),
    );
    let (s, _) = sync(&p, ts("2025-03-01T10:00:00Z"), &env, None).unwrap();
    assert_eq!(
        waiting(&written(&s).unwrap()),
        (
            "ErrImageNeverPull".to_owned(),
            "Container image \"busybox:1.99\" is not present with pull policy of Never".to_owned()
        )
    );
}

#[test]
fn missing_config_map_references_give_create_container_config_error() {
    let registry = Registry::default();
    let settings = |name: &str| (name == "settings").then(|| BTreeSet::from(["mode".to_owned()]));
    let env = Env { registry: &registry, config_map: &settings, secret: &no_config_maps };
    let now = ts("2025-03-01T10:00:00Z");
    let case = |container: serde_json::Value| {
        let mut c = json!({"name": "main", "image": "busybox:1.36"});
        for (k, v) in container.as_object().unwrap() {
            c[k] = v.clone();
        }
        let p = pod(json!({"containers": [c]}));
        sync(&p, now, &env, None).map(|(s, _)| (waiting(&written(&s).unwrap()), events(&s)))
    };
    let (w, ev) = case(json!({"envFrom": [{"configMapRef": {"name": "absent"}}]})).unwrap();
    assert_eq!(
        w,
        ("CreateContainerConfigError".to_owned(), "configmap \"absent\" not found".to_owned())
    );
    assert_eq!(ev[1], ("Failed".to_owned(), "Error: configmap \"absent\" not found".to_owned()));
    let key = json!({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "level"}}}]});
    assert_eq!(case(key).unwrap().0.1, "couldn't find key level in ConfigMap ops/settings");
    let ok = json!({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "mode"}}}]});
    assert!(case(ok).is_none());
    let optional = json!({"envFrom": [{"configMapRef": {"name": "absent", "optional": true}}]});
    assert!(case(optional).is_none());
}

#[test]
fn a_missing_config_map_volume_keeps_the_pod_container_creating() {
    let registry = Registry::default();
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let p = pod(json!({"volumes": [{"name": "cfg", "configMap": {"name": "report-config"}}]}));
    let t0 = ts("2025-03-01T10:00:00Z");
    let (s, m) = sync(&p, t0, &env, None).unwrap();
    let w = written(&s).unwrap();
    assert_eq!(waiting(&w).0, "ContainerCreating");
    let status = w.status.as_ref().unwrap();
    assert!(status.pod_ip.is_none());
    let ready =
        status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "PodReadyToStartContainers");
    assert_eq!(ready.unwrap().status, "False");
    assert_eq!(
        events(&s),
        [(
            "FailedMount".to_owned(),
            "MountVolume.SetUp failed for volume \"cfg\" : configmap \"report-config\" not found"
                .to_owned()
        )]
    );
    // nestedpendingoperations: retries after 500 ms, 1 s, 2 s, ...
    assert_eq!(s.requeue_at, Some(t0 + SignedDuration::from_millis(500)));
    let (s2, _) = sync(&w, t0 + SignedDuration::from_millis(500), &env, Some(&m)).unwrap();
    assert_eq!(s2.requeue_at, Some(t0 + SignedDuration::from_millis(1500)));
    assert!(written(&s2).is_none(), "same status, no write");
    assert_eq!(events(&s2).len(), 1);
}

#[test]
fn missing_secrets_block_the_pod_as_the_kubelet_does() {
    let registry = Registry::default();
    let creds = |name: &str| (name == "creds").then(|| BTreeSet::from(["token".to_owned()]));
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &creds };
    let now = ts("2025-03-01T10:00:00Z");
    let case = |spec: serde_json::Value| {
        let mut c = json!({"name": "main", "image": "busybox:1.36"});
        if let Some(extra) = spec.get("container").and_then(|c| c.as_object()) {
            for (k, v) in extra {
                c[k] = v.clone();
            }
        }
        let mut s = json!({"containers": [c]});
        if let Some(v) = spec.get("volumes") {
            s["volumes"] = v.clone();
        }
        sync(&pod(s), now, &env, None).map(|(s, _)| (waiting(&written(&s).unwrap()), events(&s)))
    };
    let from = json!({"container": {"envFrom": [{"secretRef": {"name": "absent"}}]}});
    let (w, ev) = case(from).unwrap();
    assert_eq!(
        w,
        ("CreateContainerConfigError".to_owned(), "secret \"absent\" not found".to_owned())
    );
    assert_eq!(ev[1], ("Failed".to_owned(), "Error: secret \"absent\" not found".to_owned()));
    let key = json!({"container": {"env": [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}}]}});
    assert_eq!(case(key).unwrap().0.1, "couldn't find key password in Secret ops/creds");
    let missing = json!({"container": {"env": [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "gone", "key": "k"}}}]}});
    assert_eq!(case(missing).unwrap().0.1, "secret \"gone\" not found");
    let ok = json!({"container": {"env": [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token"}}}]}});
    assert!(case(ok).is_none());
    let optional =
        json!({"container": {"envFrom": [{"secretRef": {"name": "absent", "optional": true}}]}});
    assert!(case(optional).is_none());
    let volume = json!({"volumes": [{"name": "tls", "secret": {"secretName": "absent"}}]});
    let (w, ev) = case(volume).unwrap();
    assert_eq!(w.0, "ContainerCreating");
    assert_eq!(
        ev,
        [(
            "FailedMount".to_owned(),
            "MountVolume.SetUp failed for volume \"tls\" : secret \"absent\" not found".to_owned()
        )]
    );
    let item = json!({"volumes": [{"name": "tls", "secret": {"secretName": "creds", "items": [{"key": "ca.crt", "path": "ca"}]}}]});
    assert_eq!(
        case(item).unwrap().1[0].1,
        "MountVolume.SetUp failed for volume \"tls\" : references non-existent secret key: ca.crt"
    );
    let present = json!({"volumes": [{"name": "tls", "secret": {"secretName": "creds"}}]});
    assert!(case(present).is_none());
}

fn state_of(statuses: &[ContainerStatus], name: &str) -> (String, bool, bool) {
    let cs = statuses.iter().find(|c| c.name == name).unwrap();
    let st = cs.state.as_ref().unwrap();
    let what = if st.running.is_some() {
        "running".to_owned()
    } else if let Some(t) = &st.terminated {
        format!("terminated {}", t.reason.clone().unwrap_or_default())
    } else {
        st.waiting.as_ref().unwrap().reason.clone().unwrap_or_default()
    };
    (what, cs.ready, cs.container_id.is_some())
}

fn condition(p: &Pod, type_: &str) -> (String, String, String) {
    let c = p.status.as_ref().unwrap().conditions.as_ref().unwrap();
    let c = c.iter().find(|c| c.type_ == type_).unwrap();
    (c.status.clone(), c.reason.clone().unwrap_or_default(), c.message.clone().unwrap_or_default())
}

/// kubelet `SyncPod`: one container whose image is missing does not hold the others
/// (`startContainer` per container); the pod stays `Pending` until all have started
/// (`getPhase`), `Ready` False naming only the blocked one. Once the image is there, the last
/// container starts and the pod runs, each container from its own start.
#[test]
fn one_blocked_container_does_not_hold_the_others() {
    let registry = Registry::default();
    registry.set_missing(["busybox:1.99"]);
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let t0 = ts("2025-03-01T10:00:00Z");
    let mut p = pod(json!({"containers": [
        {"name": "main", "image": "busybox:1.99"},
        {"name": "helper", "image": "alpine:3"},
    ]}));
    p.metadata.annotations = Some([(annotations_duration(), "60s".to_owned())].into());
    let (first, memory) = sync(&p, t0, &env, None).expect("blocked");
    let p1 = written(&first).unwrap();
    let st = p1.status.as_ref().unwrap();
    assert_eq!(st.phase.as_deref(), Some("Pending"));
    let cs = st.container_statuses.as_ref().unwrap();
    assert_eq!(state_of(cs, "main"), ("ErrImagePull".to_owned(), false, false));
    assert_eq!(state_of(cs, "helper"), ("running".to_owned(), true, true));
    assert_eq!(
        condition(&p1, "Ready"),
        (
            "False".to_owned(),
            "ContainersNotReady".to_owned(),
            "containers with unready status: [main]".to_owned()
        )
    );
    assert_eq!(condition(&p1, "Initialized").0, "True");
    let reasons: Vec<(String, String)> = events(&first);
    assert!(reasons.contains(&("Started".to_owned(), "Started container helper".to_owned())));
    assert!(!reasons.iter().any(|(_, m)| m == "Started container main"));

    // Still missing 10 s later: helper keeps running (same start), main backs off.
    let t1 = first.requeue_at.unwrap();
    let (second, memory) = sync(&p1, t1, &env, Some(&memory)).expect("blocked");
    let p2 = written(&second).unwrap_or(p1.clone());
    let cs = p2.status.as_ref().unwrap().container_statuses.clone().unwrap();
    assert_eq!(state_of(&cs, "helper"), ("running".to_owned(), true, true));
    assert!(!events(&second).iter().any(|(r, _)| r == "Started"));

    // The image appears: main starts at the next sync; the pod runs.
    registry.set_missing(Vec::<String>::new());
    let t2 = second.requeue_at.unwrap();
    let (third, _) = sync(&p2, t2, &env, Some(&memory)).expect("the last container starts here");
    let p3 = written(&third).unwrap();
    let st = p3.status.as_ref().unwrap();
    assert_eq!(st.phase.as_deref(), Some("Running"));
    assert_eq!(condition(&p3, "Ready").0, "True");
    let started = |name: &str| {
        let cs = st.container_statuses.as_ref().unwrap().iter().find(|c| c.name == name).unwrap();
        cs.state.as_ref().unwrap().running.as_ref().unwrap().started_at.clone().unwrap().0
    };
    assert_eq!(started("helper"), t0);
    assert_eq!(started("main"), t2);
    // From now on the ordinary kubelet runs it: done when main's 60 s are over.
    assert!(sync(&p3, t2, &env, None).is_none());
    assert_eq!(super::super::finishes_at(&p3), Some(t2 + SignedDuration::from_secs(60)));
    let done = super::super::terminated(&p3, 0);
    let cs = done.status.as_ref().unwrap().container_statuses.clone().unwrap();
    let finished = |name: &str| {
        let t = cs.iter().find(|c| c.name == name).unwrap();
        t.state.as_ref().unwrap().terminated.as_ref().unwrap().finished_at.clone().unwrap().0
    };
    assert_eq!(finished("helper"), t0 + SignedDuration::from_secs(60));
    assert_eq!(finished("main"), t2 + SignedDuration::from_secs(60));
}

fn annotations_duration() -> String {
    super::super::annotations::DURATION.to_owned()
}

/// A blocked init container holds the app containers (`PodInitializing`, `Initialized` False
/// `ContainersNotInitialized`); the init containers before it have completed.
#[test]
fn a_blocked_init_container_holds_the_app_containers() {
    let registry = Registry::default();
    registry.set_missing(["busybox:1.99"]);
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let p = pod(json!({
        "initContainers": [
            {"name": "setup", "image": "alpine:3"},
            {"name": "migrate", "image": "busybox:1.99"},
            {"name": "warm", "image": "alpine:3"},
        ],
        "containers": [{"name": "main", "image": "alpine:3"}],
    }));
    let (s, _) = sync(&p, ts("2025-03-01T10:00:00Z"), &env, None).expect("blocked");
    let p1 = written(&s).unwrap();
    let st = p1.status.as_ref().unwrap();
    assert_eq!(st.phase.as_deref(), Some("Pending"));
    let init = st.init_container_statuses.as_ref().unwrap();
    assert_eq!(state_of(init, "setup"), ("terminated Completed".to_owned(), false, true));
    assert_eq!(state_of(init, "migrate"), ("ErrImagePull".to_owned(), false, false));
    assert_eq!(state_of(init, "warm"), ("PodInitializing".to_owned(), false, false));
    let cs = st.container_statuses.as_ref().unwrap();
    assert_eq!(state_of(cs, "main"), ("PodInitializing".to_owned(), false, false));
    assert_eq!(
        condition(&p1, "Initialized"),
        (
            "False".to_owned(),
            "ContainersNotInitialized".to_owned(),
            "containers with incomplete status: [migrate warm]".to_owned()
        )
    );
    assert!(!events(&s).iter().any(|(_, m)| m == "Started container main"));
}

/// A sidecar (`restartPolicy: Always` init container) that cannot start holds the app
/// containers too, and counts among the unready containers.
#[test]
fn a_blocked_sidecar_holds_the_app_containers() {
    let registry = Registry::default();
    registry.set_missing(["busybox:1.99"]);
    let env = Env { registry: &registry, config_map: &no_config_maps, secret: &no_config_maps };
    let p = pod(json!({
        "initContainers": [{"name": "proxy", "image": "busybox:1.99", "restartPolicy": "Always"}],
        "containers": [{"name": "main", "image": "alpine:3"}],
    }));
    let (s, _) = sync(&p, ts("2025-03-01T10:00:00Z"), &env, None).expect("blocked");
    let p1 = written(&s).unwrap();
    let st = p1.status.as_ref().unwrap();
    let init = st.init_container_statuses.as_ref().unwrap();
    assert_eq!(state_of(init, "proxy"), ("ErrImagePull".to_owned(), false, false));
    assert_eq!(
        state_of(st.container_statuses.as_ref().unwrap(), "main").0,
        "PodInitializing".to_owned()
    );
    assert_eq!(condition(&p1, "Ready").2, "containers with unready status: [proxy main]");

    // With its image there, the sidecar runs next to the app container.
    registry.set_missing(Vec::<String>::new());
    assert!(sync(&p, ts("2025-03-01T10:00:00Z"), &env, None).is_none());
    let running = super::super::started(&p, "node-1", ts("2025-03-01T10:00:00Z"));
    let st = running.status.as_ref().unwrap();
    assert_eq!(
        state_of(st.init_container_statuses.as_ref().unwrap(), "proxy"),
        ("running".to_owned(), true, true)
    );
}
