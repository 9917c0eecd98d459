//! ResourceQuota: what objects consume, the admission check on create, and the status the
//! quota controller writes.
//!
//! After Kubernetes v1.32.0:
//! - usage: `pkg/quota/v1/evaluator/core/pods.go` (`PodUsageFunc`, `podComputeUsageHelper`,
//!   `QuotaV1Pod`, `Constraints`/`enforcePodContainerConstraints`) and the generic object count
//!   evaluator (`staging/src/k8s.io/apiserver/pkg/quota/v1/generic/evaluator.go`,
//!   `count/<resource>[.<group>]`, plus the legacy names `configmaps`, `secrets`,
//!   `resourcequotas` of `pkg/quota/v1/evaluator/core/registry.go`);
//! - admission: `staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go`
//!   `checkRequest` (`failed quota: <name>: must specify ...`, `exceeded quota: <name>,
//!   requested: ..., used: ..., limited: ...` with `prettyPrint`), wrapped by
//!   `admission.NewForbidden` into a 403 on the object's (generated) name;
//! - status: `pkg/controller/resourcequota/resource_quota_controller.go` `syncResourceQuota`
//!   (`status.hard` = `spec.hard`, `status.used` for every hard resource an evaluator knows).
//!
//! - scopes: `spec.scopes` and `spec.scopeSelector.matchExpressions` (`Terminating`,
//!   `NotTerminating`, `BestEffort`, `NotBestEffort`) as `pods.go` `podMatchesScopeFunc`
//!   (`IsTerminating`: `spec.activeDeadlineSeconds >= 0`; `isBestEffort`: QoS class
//!   `BestEffort`; the operator is not consulted for these four, as upstream, whose validation
//!   allows only `Exists` for them) and the generic `Matches`/`CalculateUsageStats` (every scope
//!   must match; an object other than a pod matches no scope, `MatchesNoScopeFunc`, so a scoped
//!   quota neither counts nor limits it).
//!
//! The sandbox computes usage from the store at each check (its quota controller is never
//! behind) and evaluates pods only on create. The `PriorityClass`, `CrossNamespacePodAffinity`
//! and `VolumeAttributesClass` scopes match nothing here.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::kind::Kind;
use crate::quantity;

const NANO: i128 = 1_000_000_000;

/// Resource name -> (amount in nano units, a sample quantity giving its format).
pub type Usage = BTreeMap<String, (i128, String)>;

fn add(usage: &mut Usage, name: &str, nanos: i128, sample: &str) {
    usage
        .entry(name.to_owned())
        .and_modify(|(n, _)| *n += nanos)
        .or_insert_with(|| (nanos, sample.to_owned()));
}

/// `count/<plural>` for core kinds, `count/<plural>.<group>` otherwise.
fn count_name(kind: Kind) -> String {
    if kind.group().is_empty() {
        format!("count/{}", kind.plural())
    } else {
        format!("count/{}.{}", kind.plural(), kind.group())
    }
}

/// `QuotaV1Pod`: pods in a terminal phase, or deleted and past their grace period, no longer
/// count against compute resources (nor `pods`).
fn pod_counts(pod: &Value, now: Timestamp) -> bool {
    let phase = pod.pointer("/status/phase").and_then(Value::as_str).unwrap_or_default();
    if matches!(phase, "Succeeded" | "Failed") {
        return false;
    }
    let deleted = pod.pointer("/metadata/deletionTimestamp").and_then(Value::as_str);
    let grace = pod.pointer("/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64);
    if let (Some(at), Some(grace)) = (deleted, grace)
        && let Ok(at) = at.parse::<Timestamp>()
        && now > at + jiff::SignedDuration::from_secs(grace)
    {
        return false;
    }
    true
}

/// `resourcehelper.PodRequests`/`PodLimits`: the sum over containers, at least the largest
/// init container, per resource (in `field`: `requests` or `limits`).
fn pod_resources(pod: &Value, field: &str) -> Usage {
    let mut sum = Usage::new();
    let list =
        |c: &Value| c.pointer(&format!("/resources/{field}")).and_then(Value::as_object).cloned();
    for c in pod.pointer("/spec/containers").and_then(Value::as_array).into_iter().flatten() {
        for (name, q) in list(c).unwrap_or_default() {
            if let Some(q) = q.as_str()
                && let Some(n) = quantity::nanos(q)
            {
                add(&mut sum, &name, n, q);
            }
        }
    }
    for c in pod.pointer("/spec/initContainers").and_then(Value::as_array).into_iter().flatten() {
        for (name, q) in list(c).unwrap_or_default() {
            if let Some(q) = q.as_str()
                && let Some(n) = quantity::nanos(q)
            {
                let e = sum.entry(name).or_insert_with(|| (0, q.to_owned()));
                if n > e.0 {
                    e.0 = n;
                }
            }
        }
    }
    sum
}

/// Marks the per-scope copies of a pod's usage in a [`Usage`]: `\0<T|N><B|N>\0<resource>`
/// (terminating or not, best-effort or not), so that a scoped quota sums only the pods its
/// scopes match. Never a resource name of a quota.
const SCOPED: char = '\0';

/// A pod's class for the four standard scopes: (`IsTerminating`, `isBestEffort`).
fn pod_scope_class(pod: &Value) -> (bool, bool) {
    let terminating =
        pod.pointer("/spec/activeDeadlineSeconds").and_then(Value::as_i64).is_some_and(|s| s >= 0);
    let best_effort = match pod.pointer("/status/qosClass").and_then(Value::as_str) {
        Some(q) => q == "BestEffort",
        None => {
            let mut spec = pod.get("spec").cloned().unwrap_or(Value::Null);
            crate::defaults::pod_requests_from_limits(&mut spec);
            crate::defaults::qos_class(&spec) == "BestEffort"
        }
    };
    (terminating, best_effort)
}

fn scoped_key(class: (bool, bool), name: &str) -> String {
    let t = if class.0 { 'T' } else { 'N' };
    let b = if class.1 { 'B' } else { 'N' };
    format!("{SCOPED}{t}{b}{SCOPED}{name}")
}

/// `getScopeSelectorsFromQuota`: the scope names of `spec.scopes` and of
/// `spec.scopeSelector.matchExpressions`.
fn quota_scopes(quota: &Value) -> Vec<String> {
    let spec = quota.get("spec");
    let scopes = spec.and_then(|s| s.get("scopes")).and_then(Value::as_array);
    let selector =
        spec.and_then(|s| s.pointer("/scopeSelector/matchExpressions")).and_then(Value::as_array);
    let mut out: Vec<String> =
        scopes.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
    out.extend(
        selector
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("scopeName").and_then(Value::as_str))
            .map(str::to_owned),
    );
    out
}

/// `podMatchesScopeFunc` for one scope, given a pod's class.
fn class_matches(scope: &str, (terminating, best_effort): (bool, bool)) -> bool {
    match scope {
        "Terminating" => terminating,
        "NotTerminating" => !terminating,
        "BestEffort" => best_effort,
        "NotBestEffort" => !best_effort,
        _ => false,
    }
}

/// upstream `podEvaluator.MatchingScopes` over the four standard scopes: those of `scopes` the
/// pod matches.
pub fn matching_scopes<'a>(pod: &Value, scopes: &[&'a str]) -> Vec<&'a str> {
    let class = pod_scope_class(pod);
    scopes.iter().copied().filter(|s| class_matches(s, class)).collect()
}

/// Whether a quota with `scopes` applies to an object of `kind` (generic `Matches`: every scope
/// matches; no scope matches everything).
fn scopes_match(scopes: &[String], kind: Kind, obj: &Value) -> bool {
    if scopes.is_empty() {
        return true;
    }
    kind == Kind::Pod && {
        let class = pod_scope_class(obj);
        scopes.iter().all(|s| class_matches(s, class))
    }
}

/// The usage a quota with `scopes` sees: everything without scopes, else the pods whose class
/// every scope matches.
fn scoped_usage(usage: &Usage, scopes: &[String]) -> Usage {
    if scopes.is_empty() {
        return usage
            .iter()
            .filter(|(k, _)| !k.starts_with(SCOPED))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    }
    let mut out = Usage::new();
    for (key, (n, sample)) in usage {
        let Some(rest) = key.strip_prefix(SCOPED) else { continue };
        let Some((class, name)) = rest.split_once(SCOPED) else { continue };
        let class = (class.starts_with('T'), class.ends_with('B'));
        if scopes.iter().all(|s| class_matches(s, class)) {
            add(&mut out, name, *n, sample);
        }
    }
    out
}

/// What one stored object of `kind` consumes (for a pod, also under its scope class).
pub fn consumption(kind: Kind, obj: &Value, now: Timestamp) -> Usage {
    let mut u = plain_consumption(kind, obj, now);
    if kind == Kind::Pod {
        let class = pod_scope_class(obj);
        let scoped: Vec<(String, (i128, String))> =
            u.iter().map(|(k, v)| (scoped_key(class, k), v.clone())).collect();
        u.extend(scoped);
    }
    u
}

fn plain_consumption(kind: Kind, obj: &Value, now: Timestamp) -> Usage {
    let mut u = Usage::new();
    add(&mut u, &count_name(kind), NANO, "1");
    match kind {
        Kind::ConfigMap => add(&mut u, "configmaps", NANO, "1"),
        Kind::Secret => add(&mut u, "secrets", NANO, "1"),
        Kind::ResourceQuota => add(&mut u, "resourcequotas", NANO, "1"),
        Kind::Pod if pod_counts(obj, now) => {
            add(&mut u, "pods", NANO, "1");
            // podComputeUsageHelper: requests under both `requests.X` and `X` for cpu,
            // memory and ephemeral-storage; limits as `limits.X`.
            for (name, (n, sample)) in pod_resources(obj, "requests") {
                if matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage") {
                    add(&mut u, &name, n, &sample);
                }
                add(&mut u, &format!("requests.{name}"), n, &sample);
            }
            for (name, (n, sample)) in pod_resources(obj, "limits") {
                add(&mut u, &format!("limits.{name}"), n, &sample);
            }
        }
        _ => {}
    }
    u
}

/// Resource names an evaluator for `kind` knows (`MatchingResources`): the quota's hard names
/// that a `kind` object can consume.
fn matches(kind: Kind, name: &str) -> bool {
    if name == count_name(kind) {
        return true;
    }
    match kind {
        Kind::ConfigMap => name == "configmaps",
        Kind::Secret => name == "secrets",
        Kind::ResourceQuota => name == "resourcequotas",
        Kind::Pod => {
            matches!(name, "pods" | "cpu" | "memory" | "ephemeral-storage")
                || name.starts_with("requests.")
                || name.starts_with("limits.")
        }
        _ => false,
    }
}

/// Whether any evaluator knows `name` (the controller writes `used` only for those).
fn known(name: &str) -> bool {
    Kind::ALL.into_iter().any(|k| matches(k, name))
}

/// The namespace's usage from its objects.
pub fn usage<'a>(objects: impl Iterator<Item = (Kind, &'a Value)>, now: Timestamp) -> Usage {
    let mut total = Usage::new();
    for (kind, obj) in objects {
        for (name, (n, sample)) in consumption(kind, obj, now) {
            add(&mut total, &name, n, &sample);
        }
    }
    total
}

fn hard_of(quota: &Value) -> Vec<(String, i128, String)> {
    let hard = quota.pointer("/spec/hard").and_then(Value::as_object);
    hard.into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let q = v.as_str()?;
            Some((k.clone(), quantity::nanos(q)?, q.to_owned()))
        })
        .collect()
}

/// The status the quota controller writes: `hard` = `spec.hard`, `used` for each hard resource
/// an evaluator knows (zero in the hard value's format when nothing uses it).
pub fn status(quota: &Value, usage: &Usage) -> Value {
    let mut hard = Map::new();
    let mut used = Map::new();
    let usage = &scoped_usage(usage, &quota_scopes(quota));
    for (name, nanos, q) in hard_of(quota) {
        hard.insert(name.clone(), json!(quantity::format_like(nanos, &q)));
        if known(&name) {
            let (n, sample) = usage.get(&name).cloned().unwrap_or((0, q.clone()));
            used.insert(name, json!(quantity::format_like(n, &sample)));
        }
    }
    json!({"hard": hard, "used": used})
}

fn pretty(items: &[(String, String)]) -> String {
    let mut v: Vec<String> = items.iter().map(|(k, q)| format!("{k}={q}")).collect();
    v.sort();
    v.join(",")
}

/// The pod evaluator's `Constraints`: with cpu or memory quota'd, every container must say its
/// request (or limit) for it.
fn missing_constraints(pod: &Value, hard: &[(String, i128, String)]) -> Option<String> {
    let validation =
        ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"];
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in pod.pointer("/spec/containers").and_then(Value::as_array).into_iter().flatten() {
        let cname = c.get("name").and_then(Value::as_str).unwrap_or_default();
        for (name, _, _) in hard.iter().filter(|(n, _, _)| validation.contains(&n.as_str())) {
            let (field, res) = match name.split_once('.') {
                Some(("limits", r)) => ("limits", r),
                Some((_, r)) => ("requests", r),
                None => ("requests", name.as_str()),
            };
            if c.pointer(&format!("/resources/{field}/{res}")).is_none() {
                missing.entry(name.clone()).or_default().push(cname.to_owned());
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> =
        missing.iter().map(|(r, cs)| format!("{r} for: {}", cs.join(","))).collect();
    Some(format!("must specify {}", parts.join("; ")))
}

/// Quota admission of a create of `obj` (`kind`) named `name` in a namespace whose quotas and
/// current usage are given; a 403 naming the first quota (by name) it would exceed.
pub fn admit(
    kind: Kind,
    obj: &Value,
    name: &str,
    quotas: &[&Value],
    used: &Usage,
    now: Timestamp,
) -> Result<(), ApiError> {
    let requested = plain_consumption(kind, obj, now);
    let forbidden = |detail: String| {
        let what = if name.is_empty() { "Unknown" } else { name };
        ApiError::forbidden_message(kind, what, &detail)
    };
    for quota in quotas {
        let qname = quota.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let scopes = quota_scopes(quota);
        if !scopes_match(&scopes, kind, obj) {
            continue;
        }
        let used = &scoped_usage(used, &scopes);
        let hard = hard_of(quota);
        let relevant: Vec<&(String, i128, String)> =
            hard.iter().filter(|(n, _, _)| matches(kind, n)).collect();
        if relevant.is_empty() {
            continue;
        }
        if kind == Kind::Pod
            && let Some(m) = missing_constraints(obj, &hard)
        {
            return Err(forbidden(format!("failed quota: {qname}: {m}")));
        }
        let mut exceeded = Vec::new();
        for (rname, limit, limit_q) in &relevant {
            let Some((req, req_q)) = requested.get(rname.as_str()) else { continue };
            let (u, u_q) = used.get(rname.as_str()).cloned().unwrap_or((0, req_q.clone()));
            if u + req > *limit {
                exceeded.push((
                    (rname.clone(), quantity::format_like(*req, req_q)),
                    (rname.clone(), quantity::format_like(u, &u_q)),
                    (rname.clone(), quantity::format_like(*limit, limit_q)),
                ));
            }
        }
        if !exceeded.is_empty() {
            let req: Vec<_> = exceeded.iter().map(|e| e.0.clone()).collect();
            let use_: Vec<_> = exceeded.iter().map(|e| e.1.clone()).collect();
            let lim: Vec<_> = exceeded.iter().map(|e| e.2.clone()).collect();
            return Err(forbidden(format!(
                "exceeded quota: {qname}, requested: {}, used: {}, limited: {}",
                pretty(&req),
                pretty(&use_),
                pretty(&lim)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    fn pod(requests: Value, limits: Value) -> Value {
        json!({"metadata": {"name": "p"}, "spec": {"containers": [
            {"name": "main", "resources": {"requests": requests, "limits": limits}}]},
            "status": {"phase": "Pending"}})
    }

    fn quota(hard: Value) -> Value {
        json!({"metadata": {"name": "compute"}, "spec": {"hard": hard}})
    }

    #[test]
    fn pods_consume_counts_requests_and_limits_until_they_finish() {
        let p = pod(json!({"cpu": "500m", "memory": "1Gi"}), json!({"cpu": "1"}));
        let u = consumption(Kind::Pod, &p, now());
        let get = |k: &str| u.get(k).map(|(n, s)| quantity::format_like(*n, s));
        assert_eq!(get("pods").as_deref(), Some("1"));
        assert_eq!(get("count/pods").as_deref(), Some("1"));
        assert_eq!(get("requests.cpu").as_deref(), Some("500m"));
        assert_eq!(get("cpu").as_deref(), Some("500m"));
        assert_eq!(get("requests.memory").as_deref(), Some("1Gi"));
        assert_eq!(get("limits.cpu").as_deref(), Some("1"));
        let mut done = p.clone();
        done["status"]["phase"] = json!("Succeeded");
        let u = consumption(Kind::Pod, &done, now());
        assert!(u.contains_key("count/pods") && !u.contains_key("pods"), "{u:?}");
        let job = consumption(Kind::Job, &json!({}), now());
        assert!(job.contains_key("count/jobs.batch"));
    }

    #[test]
    fn status_reports_used_for_known_hard_resources() {
        let q = quota(json!({"pods": "2", "requests.memory": "2Gi", "requests.storage": "1Ti"}));
        let p = pod(json!({"memory": "512Mi", "cpu": "1"}), json!({}));
        let used = usage([(Kind::Pod, &p), (Kind::Pod, &p)].into_iter(), now());
        assert_eq!(
            status(&q, &used),
            json!({"hard": {"pods": "2", "requests.memory": "2Gi", "requests.storage": "1Ti"},
                "used": {"pods": "2", "requests.memory": "1Gi", "requests.storage": "0"}})
        );
    }

    /// upstream `pkg/quota/v1/evaluator/core/pods_test.go` `TestPodEvaluatorMatchingScopes`
    /// (v1.32): all 11 cases, compared on the four standard scopes (the `PriorityClass` and
    /// `CrossNamespacePodAffinity` selectors are dropped from the input and the expectation:
    /// those scopes are not simulated).
    #[test]
    fn upstream_pod_evaluator_matching_scopes() {
        const ALL: [&str; 4] = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort"];
        let deadline = json!({"activeDeadlineSeconds": 30});
        let affinity = |mut spec: Value, kind: &str, term: &str| {
            spec["affinity"] =
                json!({kind: {term: [{"labelSelector": {}, "namespaces": ["ns1"]}]}});
            spec
        };
        let cases: Vec<(&str, Value, &[&str], &[&str])> = vec![
            ("EmptyPod", json!({}), &ALL, &["NotTerminating", "BestEffort"]),
            (
                "PriorityClass",
                json!({"priorityClassName": "class1"}),
                &ALL,
                &["NotTerminating", "BestEffort"],
            ),
            (
                "NotBestEffort",
                json!({"containers": [{"name": "c", "resources": {
                    "requests": {"cpu": "1", "memory": "50M", "example.com/dongle": "1"},
                    "limits": {"cpu": "2", "memory": "100M", "example.com/dongle": "1"}}}]}),
                &ALL,
                &["NotTerminating", "NotBestEffort"],
            ),
            ("Terminating", deadline.clone(), &ALL, &["Terminating", "BestEffort"]),
            ("OnlyTerminating", deadline.clone(), &["Terminating"], &["Terminating"]),
            (
                "CrossNamespaceRequiredAffinity",
                affinity(
                    deadline.clone(),
                    "podAffinity",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                ),
                &ALL,
                &["Terminating", "BestEffort"],
            ),
            (
                "CrossNamespaceRequiredAffinityWithSlice",
                affinity(
                    deadline.clone(),
                    "podAffinity",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                ),
                &ALL,
                &["Terminating", "BestEffort"],
            ),
            (
                "CrossNamespacePreferredAffinity",
                affinity(
                    deadline.clone(),
                    "podAffinity",
                    "preferredDuringSchedulingIgnoredDuringExecution",
                ),
                &ALL,
                &["Terminating", "BestEffort"],
            ),
            (
                "CrossNamespacePreferredAffinityWithSelector",
                affinity(
                    deadline.clone(),
                    "podAffinity",
                    "preferredDuringSchedulingIgnoredDuringExecution",
                ),
                &ALL,
                &["Terminating", "BestEffort"],
            ),
            (
                "CrossNamespacePreferredAntiAffinity",
                affinity(
                    deadline.clone(),
                    "podAntiAffinity",
                    "preferredDuringSchedulingIgnoredDuringExecution",
                ),
                &ALL,
                &["Terminating", "BestEffort"],
            ),
            (
                "CrossNamespaceRequiredAntiAffinity",
                affinity(
                    deadline.clone(),
                    "podAntiAffinity",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                ),
                &ALL,
                &["Terminating", "BestEffort"],
            ),
        ];
        assert_eq!(cases.len(), 11);
        for (name, spec, selectors, want) in cases {
            let pod = json!({"spec": spec});
            assert_eq!(matching_scopes(&pod, selectors), want, "{name}");
        }
    }

    #[test]
    fn scoped_quotas_count_and_limit_only_the_pods_they_match() {
        let batch = |name: &str| {
            let mut p = pod(json!({"cpu": "500m"}), json!({}));
            p["metadata"]["name"] = json!(name);
            p["spec"]["activeDeadlineSeconds"] = json!(600);
            p
        };
        let service = pod(json!({"cpu": "500m"}), json!({}));
        let best_effort = json!({"metadata": {"name": "be"}, "spec": {"containers": [{"name": "main"}]},
            "status": {"phase": "Running", "qosClass": "BestEffort"}});
        let terminating = json!({"metadata": {"name": "batch"}, "spec": {"hard": {"pods": "1", "requests.cpu": "1"}, "scopes": ["Terminating"]}});
        let not_terminating = json!({"metadata": {"name": "long"}, "spec": {"hard": {"pods": "5", "count/jobs.batch": "1"},
            "scopeSelector": {"matchExpressions": [{"scopeName": "NotTerminating", "operator": "Exists"}]}}});
        let be = json!({"metadata": {"name": "be"}, "spec": {"hard": {"pods": "1"}, "scopes": ["BestEffort", "NotTerminating"]}});
        let (a, job) = (batch("a"), json!({}));
        let objects =
            [(Kind::Pod, &a), (Kind::Pod, &service), (Kind::Pod, &best_effort), (Kind::Job, &job)];
        let used = usage(objects.into_iter(), now());
        assert_eq!(
            status(&terminating, &used),
            json!({"hard": {"pods": "1", "requests.cpu": "1"}, "used": {"pods": "1", "requests.cpu": "500m"}})
        );
        // generic MatchesNoScopeFunc: a scoped quota counts no Job.
        assert_eq!(
            status(&not_terminating, &used),
            json!({"hard": {"pods": "5", "count/jobs.batch": "1"}, "used": {"pods": "2", "count/jobs.batch": "0"}})
        );
        assert_eq!(status(&be, &used)["used"], json!({"pods": "1"}));
        // The Terminating quota is full for another batch pod, not for a service pod or a Job.
        let quotas = [&terminating, &not_terminating];
        let e = admit(Kind::Pod, &batch("b"), "b", &quotas, &used, now()).unwrap_err();
        assert_eq!(
            e.message,
            "pods \"b\" is forbidden: exceeded quota: batch, requested: pods=1, used: pods=1, limited: pods=1"
        );
        assert!(admit(Kind::Pod, &service, "s", &quotas, &used, now()).is_ok());
        assert!(admit(Kind::Job, &job, "j", &quotas, &used, now()).is_ok());
        // A pod outside the scope is not held to the scoped quota's cpu constraint either.
        let bare = json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "main"}]}});
        assert!(admit(Kind::Pod, &bare, "x", &[&terminating], &Usage::new(), now()).is_ok());
    }

    #[test]
    fn admission_messages_are_upstreams() {
        let q = quota(json!({"pods": "1", "requests.cpu": "1"}));
        let p = pod(json!({"cpu": "600m"}), json!({}));
        let used = usage([(Kind::Pod, &p)].into_iter(), now());
        let e = admit(Kind::Pod, &p, "job-1-abcde", &[&q], &used, now()).unwrap_err();
        assert_eq!((e.code, e.reason), (403, "Forbidden"));
        assert_eq!(
            e.message,
            "pods \"job-1-abcde\" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=600m, used: pods=1,requests.cpu=600m, limited: pods=1,requests.cpu=1"
        );
        assert!(admit(Kind::Pod, &p, "x", &[&q], &Usage::new(), now()).is_ok());
        let bare = pod(json!({}), json!({}));
        let e = admit(Kind::Pod, &bare, "x", &[&q], &Usage::new(), now()).unwrap_err();
        assert_eq!(
            e.message,
            "pods \"x\" is forbidden: failed quota: compute: must specify requests.cpu for: main"
        );
        let jobs = quota(json!({"count/jobs.batch": "1"}));
        let used = usage([(Kind::Job, &json!({}))].into_iter(), now());
        let e = admit(Kind::Job, &json!({}), "j", &[&jobs], &used, now()).unwrap_err();
        assert_eq!(
            e.message,
            "jobs.batch \"j\" is forbidden: exceeded quota: compute, requested: count/jobs.batch=1, used: count/jobs.batch=1, limited: count/jobs.batch=1"
        );
        // A quota that constrains nothing a ConfigMap uses does not apply to it.
        assert!(admit(Kind::ConfigMap, &json!({}), "c", &[&q], &used, now()).is_ok());
    }
}
