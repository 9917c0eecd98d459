//! The namespace controller's decisions (`pkg/controller/namespace/deletion/
//! namespaced_resources_deleter.go` `Delete`, and `namespace_condition_updater.go`, v1.32): a
//! namespace being deleted (`deletionTimestamp` set, the `kubernetes` finalizer in
//! `spec.finalizers`) has all its content deleted (`deleteCollection`, background propagation,
//! each object's own grace period); its status conditions say what remains; once nothing is left
//! the controller removes its finalizer (the `/finalize` subresource), which removes the
//! namespace when no metadata finalizer holds it (`ShouldDeleteNamespaceDuringUpdate`).
//!
//! Pure functions over the namespace and its content; `control_plane` applies them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::kind::Kind;

/// The finalizer the namespace controller owns (`v1.FinalizerKubernetes`).
pub const FINALIZER: &str = "kubernetes";

/// `conditionTypes`, in the order the updater writes them, with the reason and message of the
/// "nothing wrong" condition (`okReasons`, `okMessages`).
const CONDITIONS: [(&str, &str, &str); 5] = [
    (
        "NamespaceDeletionDiscoveryFailure",
        "ResourcesDiscovered",
        "All resources successfully discovered",
    ),
    (
        "NamespaceDeletionGroupVersionParsingFailure",
        "ParsedGroupVersions",
        "All legacy kube types successfully parsed",
    ),
    (
        "NamespaceDeletionContentFailure",
        "ContentDeleted",
        "All content successfully deleted, may be waiting on finalization",
    ),
    ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
    (
        "NamespaceFinalizersRemaining",
        "ContentHasNoFinalizers",
        "All content-preserving finalizers finished",
    ),
];

fn deleting(obj: &Value) -> bool {
    obj.pointer("/metadata/deletionTimestamp").is_some_and(|t| !t.is_null())
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether the controller has work on `namespace`: it is being deleted and still carries the
/// `kubernetes` finalizer (`finalized` is false).
pub fn terminating(namespace: &Value) -> bool {
    deleting(namespace) && strings(namespace.pointer("/spec/finalizers")).contains(&FINALIZER)
}

/// The content to delete now: every object not already being deleted (`deleteCollection`
/// deletes them all; the ones already marked are left to their grace period or finalizers).
pub fn to_delete(content: &[(Kind, &Value)]) -> Vec<(Kind, String)> {
    content
        .iter()
        .filter(|(_, o)| !deleting(o))
        .filter_map(|(k, o)| Some((*k, o.pointer("/metadata/name")?.as_str()?.to_string())))
        .collect()
}

/// What the controller writes after deleting: the namespace's new `status.conditions` when they
/// change (`namespaceConditionUpdater.Update`; a condition whose status, reason and message are
/// unchanged keeps its `lastTransitionTime`), and whether to finalize (nothing remains).
pub fn after_delete(
    namespace: &Value,
    remaining: &[(Kind, &Value)],
    now: Timestamp,
) -> (Option<Vec<Value>>, bool) {
    // ProcessContentTotals: "<resource>.<group> has N resource instances", and per finalizer
    // "<finalizer> in N resource instances", each sorted.
    let mut per_resource: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_finalizer: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, obj) in remaining {
        *per_resource.entry(format!("{}.{}", kind.plural(), kind.group())).or_default() += 1;
        for f in strings(obj.pointer("/metadata/finalizers")) {
            *per_finalizer.entry(f.to_string()).or_default() += 1;
        }
    }
    let mut resources: Vec<String> =
        per_resource.iter().map(|(r, n)| format!("{r} has {n} resource instances")).collect();
    resources.sort();
    let mut finalizers: Vec<String> =
        per_finalizer.iter().map(|(f, n)| format!("{f} in {n} resource instances")).collect();
    finalizers.sort();
    let time = json!(crate::store::rfc3339(now));
    let old = namespace.pointer("/status/conditions").and_then(Value::as_array);
    let conditions: Vec<Value> = CONDITIONS
        .iter()
        .map(|(ty, ok_reason, ok_message)| {
            let (status, reason, message) = match *ty {
                "NamespaceContentRemaining" if !resources.is_empty() => (
                    "True",
                    "SomeResourcesRemain",
                    format!("Some resources are remaining: {}", resources.join(", ")),
                ),
                "NamespaceFinalizersRemaining" if !finalizers.is_empty() => (
                    "True",
                    "SomeFinalizersRemain",
                    format!(
                        "Some content in the namespace has finalizers remaining: {}",
                        finalizers.join(", ")
                    ),
                ),
                _ => ("False", *ok_reason, (*ok_message).to_string()),
            };
            let new = json!({"type": ty, "status": status, "lastTransitionTime": time,
                "reason": reason, "message": message});
            let same = |c: &&Value| {
                c.get("type") == new.get("type")
                    && c.get("status") == new.get("status")
                    && c.get("reason") == new.get("reason")
                    && c.get("message") == new.get("message")
            };
            old.and_then(|o| o.iter().find(same)).cloned().unwrap_or(new)
        })
        .collect();
    let changed = old.is_none_or(|o| *o != conditions);
    (changed.then_some(conditions), remaining.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminating_namespaces_are_emptied_then_finalized() {
        let now: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        let ns = json!({"metadata": {"name": "ops", "deletionTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Terminating"}});
        assert!(terminating(&ns));
        assert!(!terminating(
            &json!({"metadata": {"name": "ops"}, "spec": {"finalizers": ["kubernetes"]}})
        ));
        let cm = json!({"metadata": {"name": "a"}});
        let pod = json!({"metadata": {"name": "p", "deletionTimestamp": "2025-01-01T00:00:30Z",
            "finalizers": ["batch.kubernetes.io/job-tracking"]}});
        let content = [(Kind::ConfigMap, &cm), (Kind::Pod, &pod)];
        assert_eq!(to_delete(&content), [(Kind::ConfigMap, "a".to_string())]);
        let (conditions, finalize) = after_delete(&ns, &[(Kind::Pod, &pod)], now);
        let conditions = conditions.unwrap();
        assert!(!finalize);
        assert_eq!(conditions.len(), 5);
        assert_eq!(
            conditions[3]["message"],
            "Some resources are remaining: pods. has 1 resource instances"
        );
        assert_eq!(
            conditions[4]["message"],
            "Some content in the namespace has finalizers remaining: batch.kubernetes.io/job-tracking in 1 resource instances"
        );
        assert_eq!(conditions[0]["status"], "False");
        // Unchanged conditions are not written again; an empty namespace is finalized.
        let mut with = ns.clone();
        with["status"]["conditions"] = json!(conditions);
        let later: Timestamp = "2025-01-01T00:01:00Z".parse().unwrap();
        assert_eq!(after_delete(&with, &[(Kind::Pod, &pod)], later), (None, false));
        let (done, finalize) = after_delete(&with, &[], later);
        assert!(finalize);
        let done = done.unwrap();
        assert_eq!(done[3]["reason"], "ContentRemoved");
        // The discovery condition did not change: it keeps its time.
        assert_eq!(done[0]["lastTransitionTime"], "2025-01-01T00:00:00Z");
        assert_eq!(done[3]["lastTransitionTime"], "2025-01-01T00:01:00Z");
    }
}
