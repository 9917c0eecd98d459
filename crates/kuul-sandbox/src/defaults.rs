//! Server-side defaulting, as the real API server fills in fields a client left out.
//!
//! Only what clients of these resources observe is filled in: CronJob policy fields
//! (`pkg/apis/batch/v1/defaults.go` `SetDefaults_CronJob`), Job counts and policies
//! (`SetDefaults_Job`), pod spec and container fields (`pkg/apis/core/v1/defaults.go`), the
//! namespace's `kubernetes` finalizer, `Active` phase and `kubernetes.io/metadata.name` label,
//! and a created Job's generated selector and labels (`pkg/registry/batch/job/strategy.go`
//! `generateSelector`). Every default only fills a missing field, so applying twice is harmless.
//! Pods also get their requests from their limits and a computed `status.qosClass`, and every
//! `resource.Quantity` (container resources, pod overhead, node capacity) is stored canonically.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::kind::Kind;
use crate::quantity;

fn obj_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    let map = v.as_object_mut()?;
    let entry = map.entry(key.to_string()).or_insert_with(|| json!({}));
    entry.as_object_mut()
}

fn set_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.entry(key.to_string()).or_insert(value);
}

/// What a pod (not a pod template) gets beyond the pod-spec defaults, as a 1.32 API server
/// with its default admission plugins writes it: `SetDefaults_Pod`'s `enableServiceLinks: true`
/// (`pkg/apis/core/v1/defaults.go`), the Priority plugin's `priority: 0` and `preemptionPolicy:
/// PreemptLowerPriority` (no priority class), and DefaultTolerationSeconds' NoExecute
/// tolerations for `node.kubernetes.io/not-ready` and `unreachable` (300 s) unless the pod has
/// its own (`plugin/pkg/admission/defaulttolerationseconds`). The ServiceAccount plugin's
/// `serviceAccountName` and token volume are not written (no service accounts are served).
fn pod_admission(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else { return };
    set_default(m, "enableServiceLinks", json!(true));
    if m.get("priorityClassName").is_none_or(Value::is_null) {
        set_default(m, "priority", json!(0));
    }
    set_default(m, "preemptionPolicy", json!("PreemptLowerPriority"));
    let tolerations = m.entry("tolerations").or_insert_with(|| json!([]));
    if let Some(list) = tolerations.as_array_mut() {
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let has = list.iter().any(|t| {
                let k = t.get("key").and_then(Value::as_str);
                let effect = t.get("effect").and_then(Value::as_str).unwrap_or_default();
                (k == Some(key)
                    || (k.is_none() && t.get("operator").and_then(Value::as_str) == Some("Exists")))
                    && (effect.is_empty() || effect == "NoExecute")
            });
            if !has {
                list.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute",
                    "tolerationSeconds": 300}));
            }
        }
    }
}

/// Fills in defaults on a whole object of `kind`.
pub fn apply(kind: Kind, obj: &mut Value, _now: Timestamp) {
    match kind {
        Kind::Namespace => namespace(obj),
        Kind::Pod => {
            if let Some(spec) = obj.get_mut("spec") {
                pod_spec(spec);
                pod_requests_from_limits(spec);
                pod_admission(spec);
            }
            // The pod strategy's PrepareForCreate: phase Pending and the computed QoS class.
            let qos = obj.get("spec").map_or("BestEffort", qos_class);
            if obj.get("status").is_none()
                && let Some(m) = obj.as_object_mut()
            {
                m.insert("status".into(), json!({"phase": "Pending", "qosClass": qos}));
            }
        }
        Kind::Job => {
            if let Some(spec) = obj.get_mut("spec") {
                job_spec(spec);
            }
        }
        Kind::CronJob => {
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                set_default(spec, "concurrencyPolicy", json!("Allow"));
                set_default(spec, "suspend", json!(false));
                set_default(spec, "successfulJobsHistoryLimit", json!(3));
                set_default(spec, "failedJobsHistoryLimit", json!(1));
                // SetObjectDefaults_CronJob (zz_generated.defaults.go, v1.32.0) defaults only
                // the pod template inside the jobTemplate, never the Job fields
                // (SetDefaults_Job takes a *Job): backoffLimit, completions, ... stay unset.
                if let Some(ps) = spec
                    .get_mut("jobTemplate")
                    .and_then(|t| t.get_mut("spec"))
                    .and_then(|t| t.get_mut("template"))
                    .and_then(|t| t.get_mut("spec"))
                {
                    pod_spec(ps);
                }
            }
        }
        Kind::Node => {
            // Node capacity and allocatable are `ResourceList`s: stored canonically.
            for list in ["capacity", "allocatable"] {
                if let Some(l) = obj.get_mut("status").and_then(|s| s.get_mut(list)) {
                    quantity::canonicalize_list(l);
                }
            }
        }
        Kind::Secret => secret(obj),
        Kind::ResourceQuota => {
            // ResourceLists are stored canonically.
            for path in ["/spec/hard", "/status/hard", "/status/used"] {
                if let Some(l) = obj.pointer_mut(path) {
                    quantity::canonicalize_list(l);
                }
            }
        }
        Kind::Event | Kind::ConfigMap => {}
    }
}

/// A Secret as decoding stores it: `stringData` merged into `data` (base64, overriding equal
/// keys) and dropped (`Convert_v1_Secret_To_core_Secret`, pkg/apis/core/v1/conversion.go), and
/// `type` defaulted to `Opaque` (`SetDefaults_Secret`, v1.32.0).
fn secret(obj: &mut Value) {
    use base64::Engine;
    let Some(m) = obj.as_object_mut() else { return };
    if let Some(Value::Object(sd)) = m.remove("stringData") {
        let data = m.entry("data").or_insert_with(|| json!({}));
        if !data.is_object() {
            *data = json!({});
        }
        if let Some(d) = data.as_object_mut() {
            for (k, v) in sd {
                let text = v.as_str().unwrap_or_default();
                d.insert(k, json!(base64::engine::general_purpose::STANDARD.encode(text)));
            }
        }
    }
    if m.get("type").and_then(Value::as_str).is_none_or(str::is_empty) {
        m.insert("type".into(), json!("Opaque"));
    }
}

/// `SetDefaults_Pod` (pkg/apis/core/v1/defaults.go, v1.32.0): for Pods only (not templates), a
/// container resource with a limit and no request gets the limit as its request.
pub fn pod_requests_from_limits(spec: &mut Value) {
    for list in ["containers", "initContainers"] {
        let Some(cs) = spec.get_mut(list).and_then(Value::as_array_mut) else { continue };
        for c in cs {
            let Some(res) = c.get_mut("resources").and_then(Value::as_object_mut) else {
                continue;
            };
            let Some(limits) = res.get("limits").and_then(Value::as_object).cloned() else {
                continue;
            };
            if limits.is_empty() {
                continue;
            }
            let requests = res.entry("requests").or_insert_with(|| json!({}));
            if let Some(r) = requests.as_object_mut() {
                for (k, v) in limits {
                    r.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// upstream `qos.GetPodQOS` (pkg/apis/core/helper/qos, v1.32.0) over a pod spec: `BestEffort`
/// without any CPU/memory request or limit; `Guaranteed` when every container limits both and
/// the summed requests equal the summed limits; else `Burstable`.
pub fn qos_class(spec: &Value) -> &'static str {
    use std::collections::BTreeMap;
    let mut requests: BTreeMap<&str, i128> = BTreeMap::new();
    let mut limits: BTreeMap<&str, i128> = BTreeMap::new();
    let mut guaranteed = true;
    let containers = ["containers", "initContainers"]
        .into_iter()
        .filter_map(|l| spec.get(l).and_then(Value::as_array))
        .flatten();
    for c in containers {
        let res = c.get("resources");
        let positive = |list: &str| -> Vec<(&'static str, i128)> {
            let Some(m) = res.and_then(|r| r.get(list)).and_then(Value::as_object) else {
                return Vec::new();
            };
            ["cpu", "memory"]
                .into_iter()
                .filter_map(|k| {
                    let q = m.get(k)?;
                    let n = match q {
                        Value::String(s) => quantity::nanos(s)?,
                        Value::Number(n) => quantity::nanos(&n.to_string())?,
                        _ => return None,
                    };
                    (n > 0).then_some((k, n))
                })
                .collect()
        };
        for (k, n) in positive("requests") {
            *requests.entry(k).or_default() += n;
        }
        let found = positive("limits");
        if found.len() < 2 {
            guaranteed = false;
        }
        for (k, n) in found {
            *limits.entry(k).or_default() += n;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.iter().all(|(k, r)| limits.get(k) == Some(r))
        && requests.len() == limits.len()
    {
        return "Guaranteed";
    }
    "Burstable"
}

fn namespace(obj: &mut Value) {
    let name = obj
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Some(meta) = obj_mut(obj, "metadata")
        && let Some(labels) = meta.entry("labels").or_insert_with(|| json!({})).as_object_mut()
    {
        {
            labels.insert("kubernetes.io/metadata.name".into(), json!(name));
        }
    }
    if let Some(spec) = obj_mut(obj, "spec") {
        set_default(spec, "finalizers", json!(["kubernetes"]));
    }
    if let Some(status) = obj_mut(obj, "status") {
        set_default(status, "phase", json!("Active"));
    }
}

fn job_spec(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else { return };
    // SetDefaults_Job: both unset -> 1/1; only parallelism set -> completions stays unset.
    if m.get("completions").is_none() && m.get("parallelism").is_none() {
        m.insert("completions".into(), json!(1));
    }
    set_default(m, "parallelism", json!(1));
    // SetDefaults_Job (pkg/apis/batch/v1/defaults.go, v1.32.0): MaxInt32 with a per-index
    // limit, else 6; `manualSelector` false (L6).
    let per_index = m.get("backoffLimitPerIndex").is_some_and(|v| !v.is_null());
    set_default(m, "backoffLimit", json!(if per_index { i32::MAX } else { 6 }));
    set_default(m, "manualSelector", json!(false));
    set_default(m, "completionMode", json!("NonIndexed"));
    set_default(m, "suspend", json!(false));
    // SetDefaults_Job: `Failed` when a pod failure policy is set (v1.32.0 defaults.go).
    let replacement = if m.get("podFailurePolicy").is_some_and(|p| !p.is_null()) {
        "Failed"
    } else {
        "TerminatingOrFailed"
    };
    set_default(m, "podReplacementPolicy", json!(replacement));
    if let Some(tspec) = m.get_mut("template").and_then(|t| t.get_mut("spec")) {
        pod_spec(tspec);
    }
}

/// Pod spec defaults (`SetDefaults_PodSpec`, `SetDefaults_Container`).
pub fn pod_spec(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else { return };
    set_default(m, "restartPolicy", json!("Always"));
    set_default(m, "terminationGracePeriodSeconds", json!(30));
    set_default(m, "dnsPolicy", json!("ClusterFirst"));
    set_default(m, "securityContext", json!({}));
    set_default(m, "schedulerName", json!("default-scheduler"));
    for list in ["containers", "initContainers"] {
        if let Some(cs) = m.get_mut(list).and_then(Value::as_array_mut) {
            for c in cs {
                container(c);
            }
        }
    }
    if let Some(overhead) = m.get_mut("overhead") {
        quantity::canonicalize_list(overhead);
    }
}

fn container(c: &mut Value) {
    let image = c.get("image").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(m) = c.as_object_mut() else { return };
    set_default(m, "terminationMessagePath", json!("/dev/termination-log"));
    set_default(m, "terminationMessagePolicy", json!("File"));
    set_default(m, "resources", json!({}));
    // resource.Quantity is re-encoded in canonical form (`0.5` -> `500m`, `1024Mi` -> `1Gi`).
    if let Some(res) = m.get_mut("resources") {
        for list in ["limits", "requests"] {
            if let Some(l) = res.get_mut(list) {
                quantity::canonicalize_list(l);
            }
        }
    }
    // `:latest` or no tag pulls Always, anything else IfNotPresent (SetDefaults_Container).
    let tag = image.rsplit('/').next().unwrap_or_default();
    let policy = if image.contains('@') {
        "IfNotPresent"
    } else if !tag.contains(':') || tag.ends_with(":latest") {
        "Always"
    } else {
        "IfNotPresent"
    };
    set_default(m, "imagePullPolicy", json!(policy));
    // SetDefaults_ContainerPort: protocol TCP.
    for port in m.get_mut("ports").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(p) = port.as_object_mut() {
            set_default(p, "protocol", json!("TCP"));
        }
    }
}

/// A created Job's selector and template labels (`generateSelector`): unless
/// `spec.manualSelector` is true the server selects the Job's pods by its uid. A Job without
/// labels of its own then takes its template's (`SetDefaults_Job`), which is why real Jobs carry
/// `job-name` and `controller-uid` labels too.
pub fn job_selector(job: &mut Value, uid: &str) {
    let name = job
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(spec) = job.get_mut("spec").and_then(Value::as_object_mut) else { return };
    if spec.get("manualSelector").and_then(Value::as_bool) == Some(true) {
        return;
    }
    spec.insert(
        "selector".into(),
        json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
    );
    let template = spec.entry("template").or_insert_with(|| json!({}));
    if let Some(meta) = obj_mut(template, "metadata")
        && let Some(labels) = meta.entry("labels").or_insert_with(|| json!({})).as_object_mut()
    {
        {
            labels.insert("batch.kubernetes.io/controller-uid".into(), json!(uid));
            labels.insert("batch.kubernetes.io/job-name".into(), json!(name));
            labels.insert("controller-uid".into(), json!(uid));
            labels.insert("job-name".into(), json!(name));
        }
    }
    let template_labels =
        spec.get("template").and_then(|t| t.get("metadata")).and_then(|m| m.get("labels")).cloned();
    if let Some(tl) = template_labels
        && let Some(meta) = obj_mut(job, "metadata")
        && meta.get("labels").and_then(Value::as_object).is_none_or(Map::is_empty)
    {
        meta.insert("labels".into(), tl);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn job_defaults_follow_set_defaults_job() {
        let mut j = json!({"spec": {"template": {"spec": {"containers": []}}}});
        apply(Kind::Job, &mut j, now());
        assert_eq!(
            (j["spec"]["backoffLimit"].clone(), j["spec"]["manualSelector"].clone()),
            (json!(6), json!(false))
        );
        let mut per_index = json!({"spec": {"backoffLimitPerIndex": 1, "template": {"spec": {}}}});
        apply(Kind::Job, &mut per_index, now());
        assert_eq!(per_index["spec"]["backoffLimit"], json!(2_147_483_647));
    }

    #[test]
    fn secrets_merge_string_data_into_data_and_default_their_type() {
        let mut s = json!({"data": {"a": "b2xk", "b": "eA=="}, "stringData": {"a": "new"}});
        apply(Kind::Secret, &mut s, now());
        assert_eq!(s, json!({"data": {"a": "bmV3", "b": "eA=="}, "type": "Opaque"}));
        let mut typed = json!({"type": "kubernetes.io/tls", "stringData": {"tls.crt": "c"}});
        apply(Kind::Secret, &mut typed, now());
        assert_eq!(typed, json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "Yw=="}}));
    }
}
