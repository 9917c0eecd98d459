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
