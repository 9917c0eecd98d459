//! The Job `trigger` creates: exactly what `kubectl create job NAME --from=cronjob/CRONJOB`
//! builds, so the CronJob controller (which adopts Jobs it controls), `kubectl get jobs`, k9s and
//! every other tool see an ordinary manual run.
//!
//! Source: kubectl `staging/src/k8s.io/kubectl/pkg/cmd/create/create_job.go`,
//! `createJobFromCronJob`:
//! - annotations: `cronjob.kubernetes.io/instantiate: manual`, then the jobTemplate's own
//!   annotations over it;
//! - labels: the jobTemplate's labels (absent when it has none);
//! - one owner reference `{apiVersion: batch/v1, kind: CronJob, name, uid, controller: true}`,
//!   deliberately without `blockOwnerDeletion` ("it sets BlockOwnerDeletion to true which
//!   additionally mandates cronjobs/finalizer role");
//! - spec: the jobTemplate's spec, unchanged;
//! - `metadata.namespace` only when the namespace was given on the command line
//!   (`o.EnforceNamespace`, true only for `-n`).
//!
//! The Job is built from the CronJob's JSON as the server sent it (not a typed copy), so fields
//! newer than our k8s-openapi level travel through untouched.

use serde_json::{Map, Value, json};

use super::env::EnvOverride;
use crate::cluster::annotations::INSTANTIATE;

/// The Job for a manual run of `cronjob` (the CronJob's JSON), named `name`, with `namespace`
/// set when kubectl would set it, and `env` applied to every container.
pub(crate) fn job_from_cronjob(
    cronjob: &Value,
    name: &str,
    namespace: Option<&str>,
    env: &[EnvOverride],
) -> Value {
    let template = &cronjob["spec"]["jobTemplate"];
    let mut annotations = Map::new();
    annotations.insert(INSTANTIATE.to_owned(), Value::from("manual"));
    if let Some(own) = template["metadata"]["annotations"].as_object() {
        annotations.extend(own.clone());
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::from(name));
    if let Some(namespace) = namespace {
        metadata.insert("namespace".into(), Value::from(namespace));
    }
    metadata.insert("annotations".into(), Value::Object(annotations));
    if let Some(labels) = template["metadata"]["labels"].as_object().filter(|l| !l.is_empty()) {
        metadata.insert("labels".into(), Value::Object(labels.clone()));
    }
    metadata.insert(
        "ownerReferences".into(),
        json!([{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cronjob["metadata"]["name"],
            "uid": cronjob["metadata"]["uid"],
            "controller": true,
        }]),
    );
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    apply_env(&mut spec, env);
    let mut job = json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": spec,
    });
    go_encoding_defaults(&mut job);
    job
}

/// `--env KEY=VALUE`: in every container and init container, replace the entry named KEY (its
/// `value` or `valueFrom`) or append one, keeping the order of the others.
fn apply_env(spec: &mut Value, env: &[EnvOverride]) {
    if env.is_empty() {
        return;
    }
    let pod_spec = &mut spec["template"]["spec"];
    for list in ["initContainers", "containers"] {
        let Some(containers) = pod_spec.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for container in containers {
            let Some(container) = container.as_object_mut() else { continue };
            let entries = container.entry("env").or_insert_with(|| Value::Array(Vec::new()));
            if !entries.is_array() {
                *entries = Value::Array(Vec::new());
            }
            let Some(entries) = entries.as_array_mut() else { continue };
            for over in env {
                let wanted = json!({"name": over.key, "value": over.value});
                match entries.iter_mut().find(|e| e["name"] == over.key.as_str()) {
                    Some(existing) => *existing = wanted,
                    None => entries.push(wanted),
                }
            }
        }
    }
}

/// What Go's `encoding/json` adds when kubectl prints a `batchv1.Job` it built: struct-typed
/// fields are never omitted, even empty (`omitempty` ignores structs). So kubectl's
/// `--dry-run=client -o json` shows `metadata.creationTimestamp: null` (a zero `metav1.Time`),
/// `spec.template.metadata: {creationTimestamp: null}`, `resources: {}` on every container and
/// `status: {}`. We add the same, so our dry-run output equals kubectl's; the server ignores
/// them on create.
fn go_encoding_defaults(job: &mut Value) {
    let Some(object) = job.as_object_mut() else { return };
    set_default(&mut object["metadata"], "creationTimestamp", Value::Null);
    if let Some(template) = object.get_mut("spec").and_then(|s| s.get_mut("template")) {
        if let Some(template) = template.as_object_mut() {
            let metadata = template.entry("metadata").or_insert_with(|| json!({}));
            set_default(metadata, "creationTimestamp", Value::Null);
        }
        for list in ["initContainers", "containers"] {
            if let Some(containers) = template["spec"].get_mut(list).and_then(Value::as_array_mut) {
                for container in containers {
                    set_default(container, "resources", json!({}));
                }
            }
        }
    }
    object.entry("status").or_insert_with(|| json!({}));
}

fn set_default(target: &mut Value, key: &str, value: Value) {
    if let Some(map) = target.as_object_mut() {
        map.entry(key).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cronjob() -> Value {
        json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "backup", "namespace": "ops", "uid": "u-1",
                         "labels": {"not": "copied"}, "annotations": {"not": "copied"}},
            "spec": {"schedule": "0 3 * * *", "jobTemplate": {
                "metadata": {"labels": {"team": "db"}, "annotations": {"a": "1"}},
                "spec": {"backoffLimit": 2, "template": {"spec": {
                    "restartPolicy": "Never",
                    "initContainers": [{"name": "init", "image": "busybox"}],
                    "containers": [{"name": "main", "image": "pg",
                                    "env": [{"name": "MODE", "value": "full"},
                                            {"name": "KEEP", "value": "1"}]}],
                }}},
            }},
        })
    }

    #[test]
    fn shaped_like_kubectl_create_job_from_cronjob() {
        let job = job_from_cronjob(&cronjob(), "backup-manual-abcde", Some("ops"), &[]);
        assert_eq!(job["metadata"]["name"], "backup-manual-abcde");
        assert_eq!(job["metadata"]["namespace"], "ops");
        assert_eq!(
            job["metadata"]["annotations"],
            json!({"cronjob.kubernetes.io/instantiate": "manual", "a": "1"})
        );
        assert_eq!(job["metadata"]["labels"], json!({"team": "db"}));
        assert_eq!(
            job["metadata"]["ownerReferences"],
            json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": "backup",
                    "uid": "u-1", "controller": true}])
        );
        assert!(job["metadata"]["ownerReferences"][0].get("blockOwnerDeletion").is_none());
        assert_eq!(job["spec"]["backoffLimit"], 2);
        assert_eq!(job["status"], json!({}));
        assert_eq!(job["metadata"]["creationTimestamp"], Value::Null);
        assert_eq!(job["spec"]["template"]["metadata"], json!({"creationTimestamp": null}));
        assert_eq!(job["spec"]["template"]["spec"]["containers"][0]["resources"], json!({}));
    }

    #[test]
    fn namespace_only_when_kubectl_would_set_it() {
        let job = job_from_cronjob(&cronjob(), "x", None, &[]);
        assert!(job["metadata"].get("namespace").is_none());
    }

    #[test]
    fn template_annotations_win_over_instantiate_as_in_kubectl() {
        let mut cj = cronjob();
        cj["spec"]["jobTemplate"]["metadata"]["annotations"][INSTANTIATE] = json!("other");
        let job = job_from_cronjob(&cj, "x", None, &[]);
        assert_eq!(job["metadata"]["annotations"][INSTANTIATE], "other");
    }

    #[test]
    fn no_labels_when_the_template_has_none() {
        let mut cj = cronjob();
        cj["spec"]["jobTemplate"]["metadata"] = json!({});
        let job = job_from_cronjob(&cj, "x", None, &[]);
        assert!(job["metadata"].get("labels").is_none());
        assert_eq!(job["metadata"]["annotations"], json!({INSTANTIATE: "manual"}));
    }

    #[test]
    fn env_replaces_in_place_and_appends_in_every_container() {
        let env = vec![
            EnvOverride { key: "MODE".into(), value: "incremental".into() },
            EnvOverride { key: "DEBUG".into(), value: "1".into() },
        ];
        let job = job_from_cronjob(&cronjob(), "x", None, &env);
        let pod = &job["spec"]["template"]["spec"];
        assert_eq!(
            pod["containers"][0]["env"],
            json!([{"name": "MODE", "value": "incremental"}, {"name": "KEEP", "value": "1"},
                   {"name": "DEBUG", "value": "1"}])
        );
        assert_eq!(
            pod["initContainers"][0]["env"],
            json!([{"name": "MODE", "value": "incremental"}, {"name": "DEBUG", "value": "1"}])
        );
    }

    #[test]
    fn env_replaces_value_from_entries() {
        let mut cj = cronjob();
        cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"] =
            json!([{"name": "MODE", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]);
        let env = vec![EnvOverride { key: "MODE".into(), value: "x".into() }];
        let job = job_from_cronjob(&cj, "x", None, &env);
        assert_eq!(
            job["spec"]["template"]["spec"]["containers"][0]["env"],
            json!([{"name": "MODE", "value": "x"}])
        );
    }
}
