//! Object validation with the API server's field paths and messages (422 `Invalid` causes).
//!
//! Covers what clients of these resources run into: names (`apimachinery/pkg/util/validation`
//! `IsDNS1123Subdomain`/`IsDNS1123Label` texts), label keys and values, CronJob name length,
//! schedule and time zone (`pkg/apis/batch/validation/validation.go`, through `kuul-schedule`),
//! concurrency policy, job restart policy, required containers and images, and the immutable
//! fields of a Job (`ValidateJobSpecUpdate`).

use serde_json::Value;

use crate::error::FieldError;
use crate::kind::Kind;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

fn is_label_chars(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// `IsDNS1123Label` messages (empty when valid).
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !is_label_chars(s) {
        out.push(format!("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{DNS1123_LABEL_FMT}')"));
    }
    out
}

/// `IsDNS1123Subdomain` messages (empty when valid).
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 253 {
        out.push("must be no more than 253 characters".to_string());
    }
    if s.is_empty() || !s.split('.').all(is_label_chars) {
        out.push(format!("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{DNS1123_SUBDOMAIN_FMT}')"));
    }
    out
}

fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// `IsQualifiedName` (label and annotation keys) messages.
pub fn qualified_name(key: &str) -> Vec<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let mut out = Vec::new();
    if let Some(p) = prefix {
        if p.is_empty() {
            out.push("prefix part must be non-empty".to_string());
        } else {
            out.extend(dns1123_subdomain(p).into_iter().map(|m| format!("prefix part {m}")));
        }
    }
    if name.is_empty() {
        out.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        out.push("name part must be no more than 63 characters".to_string());
    } else if !is_qualified_name_part(name) {
        out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string());
    }
    out
}

/// `IsValidLabelValue` messages.
pub fn label_value(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    if v.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_qualified_name_part(v) {
        out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    out
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |cur, k| cur.get(k))?.as_str()
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(k))
}

/// Validates a whole object of `kind`; `old` is the stored object on update.
pub fn validate(kind: Kind, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    metadata(kind, obj, old.is_none(), &mut errs);
    match kind {
        Kind::CronJob => cronjob(obj, old, &mut errs),
        Kind::Job => {
            if let Some(spec) = obj.get("spec") {
                job_spec(spec, "spec", &mut errs);
                indexed_hostname(obj, spec, &mut errs);
            } else {
                errs.push(FieldError::required("spec.template.spec.containers", ""));
            }
            if let Some(old) = old {
                job_update(obj, old, &mut errs);
            }
        }
        Kind::Pod => {
            match obj.get("spec") {
                Some(spec) => {
                    pod_spec(spec, "spec", &mut errs);
                    // ValidatePodSpec checks the restart policy after the containers.
                    if let Some(p) = spec.get("restartPolicy").and_then(Value::as_str)
                        && !matches!(p, "Always" | "OnFailure" | "Never")
                    {
                        errs.push(FieldError::not_supported(
                            "spec.restartPolicy",
                            p,
                            &["Always", "OnFailure", "Never"],
                        ));
                    }
                }
                None => errs.push(FieldError::required("spec.containers", "")),
            }
            if let Some(old) = old {
                pod_update(obj, old, &mut errs);
            }
        }
        Kind::Secret => secret(obj, old, &mut errs),
        Kind::ResourceQuota => resource_quota(obj, &mut errs),
        Kind::Namespace | Kind::Node | Kind::Event | Kind::ConfigMap => {}
    }
    errs
}

/// `IsConfigMapKey` (apimachinery pkg/util/validation/validation.go, v1.32.0).
fn config_map_key(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if key.len() > 253 {
        out.push("must be no more than 253 characters".to_owned());
    }
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)) {
        out.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_owned());
    }
    match key {
        "." => out.push("must not be '.'".to_owned()),
        ".." => out.push("must not be '..'".to_owned()),
        k if k.starts_with("..") => out.push("must not start with '..'".to_owned()),
        _ => {}
    }
    out
}

/// `ValidateSecret` and `ValidateSecretUpdate` (pkg/apis/core/validation/validation.go,
/// v1.32.0): data keys, the keys a typed Secret requires, the 1 MiB limit, `type` immutable
/// and `immutable` Secrets.
fn secret(obj: &Value, old: Option<&Value>, errs: &mut Vec<FieldError>) {
    let data = obj.get("data").and_then(Value::as_object);
    let mut size = 0usize;
    for (k, v) in data.into_iter().flatten() {
        for p in config_map_key(k) {
            errs.push(FieldError::invalid(format!("data[{k}]"), k, &p));
        }
        size += v.as_str().map_or(0, |b| b.len() * 3 / 4);
    }
    if size > 1024 * 1024 {
        errs.push(FieldError {
            reason: "FieldValueTooLong",
            field: "data".to_owned(),
            body: "Too long: may not be more than 1048576 bytes".to_owned(),
        });
    }
    let has = |k: &str| data.is_some_and(|d| d.contains_key(k));
    let ty = str_at(obj, &["type"]).unwrap_or("Opaque");
    let required: &[&str] = match ty {
        "kubernetes.io/dockercfg" => &[".dockercfg"],
        "kubernetes.io/dockerconfigjson" => &[".dockerconfigjson"],
        "kubernetes.io/ssh-auth" => &["ssh-privatekey"],
        "kubernetes.io/tls" => &["tls.crt", "tls.key"],
        _ => &[],
    };
    for k in required {
        if !has(k) {
            errs.push(FieldError::required(format!("data[{k}]"), ""));
        }
    }
    if ty == "kubernetes.io/basic-auth" && !has("username") && !has("password") {
        errs.push(FieldError::required(
            "data[username]",
            "either username or password is required",
        ));
        errs.push(FieldError::required(
            "data[password]",
            "either username or password is required",
        ));
    }
    if let Some(old) = old {
        let old_ty = str_at(old, &["type"]).unwrap_or("Opaque");
        if old_ty != ty {
            errs.push(FieldError::invalid("type", ty, "field is immutable"));
        }
        if old.get("immutable").and_then(Value::as_bool) == Some(true) {
            if obj.get("immutable").and_then(Value::as_bool) != Some(true) {
                errs.push(FieldError::forbidden(
                    "immutable",
                    "field is immutable when `immutable` is set",
                ));
            }
            if obj.get("data") != old.get("data") {
                errs.push(FieldError::forbidden(
                    "data",
                    "field is immutable when `immutable` is set",
                ));
            }
        }
    }
}

/// `ValidateResourceQuotaSpec`' quantity checks: every `spec.hard` value a quantity, not
/// negative (`ValidateResourceQuantityValue`).
fn resource_quota(obj: &Value, errs: &mut Vec<FieldError>) {
    let hard = obj.pointer("/spec/hard").and_then(Value::as_object);
    for (k, v) in hard.into_iter().flatten() {
        let field = format!("spec.hard[{k}]");
        match v.as_str().and_then(crate::quantity::nanos) {
            None => errs.push(FieldError::invalid_raw(field, v, "must be a valid quantity")),
            Some(n) if n < 0 => {
                errs.push(FieldError::invalid_raw(field, v, "must be greater than or equal to 0"))
            }
            Some(_) => {}
        }
    }
}

fn metadata(kind: Kind, obj: &Value, creating: bool, errs: &mut Vec<FieldError>) {
    let name = str_at(obj, &["metadata", "name"]).unwrap_or_default();
    if name.is_empty() {
        errs.push(FieldError::required("metadata.name", "name or generateName is required"));
    } else {
        let problems = match kind {
            Kind::Namespace => dns1123_label(name),
            // Events are named `<object>.<hex>`; any path segment name is accepted upstream.
            Kind::Event => Vec::new(),
            _ => dns1123_subdomain(name),
        };
        for p in problems {
            errs.push(FieldError::invalid("metadata.name", name, &p));
        }
        if creating && kind == Kind::CronJob && name.len() > 52 {
            // ValidateCronJobCreate: the controller appends `-<minutes>` to name its Jobs.
            errs.push(FieldError::invalid(
                "metadata.name",
                name,
                "must be no more than 52 characters",
            ));
        }
        if creating && kind == Kind::Job && name.len() > 63 {
            // The Job name becomes the `job-name` label value of its pods.
            errs.push(FieldError::invalid(
                "metadata.name",
                name,
                "must be no more than 63 characters",
            ));
        }
    }
    if kind.namespaced() && str_at(obj, &["metadata", "namespace"]).unwrap_or_default().is_empty() {
        errs.push(FieldError::required("metadata.namespace", ""));
    }
    if let Some(labels) = at(obj, &["metadata", "labels"]) {
        match labels.as_object() {
            Some(map) => {
                for (k, v) in map {
                    for p in qualified_name(k) {
                        errs.push(FieldError::invalid("metadata.labels", k, &p));
                    }
                    match v.as_str() {
                        Some(s) => {
                            for p in label_value(s) {
                                errs.push(FieldError::invalid("metadata.labels", s, &p));
                            }
                        }
                        None => errs.push(FieldError::invalid_raw(
                            "metadata.labels",
                            v,
                            "label values must be strings",
                        )),
                    }
                }
            }
            None if labels.is_null() => {}
            None => errs.push(FieldError::invalid_raw("metadata.labels", labels, "must be a map")),
        }
    }
    if let Some(map) = at(obj, &["metadata", "annotations"]).and_then(Value::as_object) {
        for k in map.keys() {
            for p in qualified_name(k) {
                errs.push(FieldError::invalid("metadata.annotations", k, &p));
            }
        }
    }
}

fn cronjob(obj: &Value, old: Option<&Value>, errs: &mut Vec<FieldError>) {
    let Some(spec) = obj.get("spec") else {
        errs.push(FieldError::required("spec.schedule", ""));
        return;
    };
    let schedule = spec.get("schedule").and_then(Value::as_str).unwrap_or_default();
    let old_schedule = old.and_then(|o| str_at(o, &["spec", "schedule"]));
    // On update an unchanged schedule is not re-validated (ValidateCronJobUpdate keeps old,
    // possibly legacy, schedules working).
    if old_schedule != Some(schedule)
        && let Err(e) = kuul_schedule::validate_schedule(schedule)
    {
        errs.push(FieldError::from_schedule(&e));
    }
    if let Some(tz) = spec.get("timeZone").and_then(Value::as_str)
        && let Err(e) = kuul_schedule::validate_time_zone(tz)
    {
        errs.push(FieldError::from_schedule(&e));
    }
    if let Some(policy) = spec.get("concurrencyPolicy").and_then(Value::as_str) {
        const VALID: [&str; 3] = ["Allow", "Forbid", "Replace"];
        if !VALID.contains(&policy) {
            errs.push(FieldError::not_supported("spec.concurrencyPolicy", policy, &VALID));
        }
    }
    if let Some(d) = spec.get("startingDeadlineSeconds").and_then(Value::as_i64)
        && d < 0
    {
        {
            errs.push(FieldError::invalid_raw(
                "spec.startingDeadlineSeconds",
                &Value::from(d),
                "must be greater than or equal to 0",
            ));
        }
    }
    for f in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        if let Some(n) = spec.get(f).and_then(Value::as_i64)
            && n < 0
        {
            {
                errs.push(FieldError::invalid_raw(
                    format!("spec.{f}"),
                    &Value::from(n),
                    "must be greater than or equal to 0",
                ));
            }
        }
    }
    match at(spec, &["jobTemplate", "spec"]) {
        Some(js) => job_spec(js, "spec.jobTemplate.spec", errs),
        None => {
            errs.push(FieldError::required("spec.jobTemplate.spec.template.spec.containers", ""))
        }
    }
}

fn job_spec(spec: &Value, path: &str, errs: &mut Vec<FieldError>) {
    for f in [
        "parallelism",
        "completions",
        "backoffLimit",
        "activeDeadlineSeconds",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ] {
        if let Some(n) = spec.get(f).and_then(Value::as_i64) {
            let min = if f == "activeDeadlineSeconds" { 1 } else { 0 };
            if n < min {
                let detail = if min == 1 {
                    "must be greater than 0"
                } else {
                    "must be greater than or equal to 0"
                };
                errs.push(FieldError::invalid_raw(format!("{path}.{f}"), &Value::from(n), detail));
            }
        }
    }
    indexed_spec(spec, path, errs);
    let tpath = format!("{path}.template.spec");
    match at(spec, &["template", "spec"]) {
        Some(ps) => {
            let failure_policy = spec.get("podFailurePolicy").is_some_and(|p| !p.is_null());
            match ps.get("restartPolicy").and_then(Value::as_str) {
                // validateJobTemplateSpec (pkg/apis/batch/validation, v1.32.0).
                Some("OnFailure") if failure_policy => errs.push(FieldError::invalid(
                    format!("{tpath}.restartPolicy"),
                    "OnFailure",
                    "only \"Never\" is supported when podFailurePolicy is specified",
                )),
                Some("OnFailure" | "Never") => {}
                Some(other) => errs.push(FieldError::not_supported(
                    format!("{tpath}.restartPolicy"),
                    other,
                    &["OnFailure", "Never"],
                )),
                None => errs.push(FieldError::required(
                    format!("{tpath}.restartPolicy"),
                    "valid values: \"OnFailure\", \"Never\"",
                )),
            }
            pod_spec(ps, &tpath, errs);
        }
        None => errs.push(FieldError::required(format!("{tpath}.containers"), "")),
    }
}

/// `validateJobSpec` (pkg/apis/batch/validation/validation.go, v1.32.0): the completion mode,
/// what an Indexed Job allows (`completions` required, the `parallelism` and
/// `maxFailedIndexes` caps), `backoffLimitPerIndex`/`maxFailedIndexes` only for Indexed Jobs,
/// `FailIndex` only with `backoffLimitPerIndex`, `successPolicy` only for Indexed Jobs.
fn indexed_spec(spec: &Value, path: &str, errs: &mut Vec<FieldError>) {
    const MAX_PARALLELISM_FOR_INDEXED_JOB: i64 = 100_000;
    const MAX_FAILED_INDEXES_FOR_INDEXED_JOB: i64 = 100_000;
    const COMPLETIONS_SOFT_LIMIT: i64 = 100_000;
    const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS: i64 = 10_000;
    const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS: i64 = 10_000;
    let int = |f: &str| spec.get(f).and_then(Value::as_i64);
    let set = |f: &str| spec.get(f).is_some_and(|v| !v.is_null());
    let field = |f: &str| format!("{path}.{f}");
    let per_index = int("backoffLimitPerIndex");
    let max_failed = int("maxFailedIndexes");
    if set("maxFailedIndexes") && !set("backoffLimitPerIndex") {
        errs.push(FieldError::required(
            field("backoffLimitPerIndex"),
            "when maxFailedIndexes is specified",
        ));
    }
    let mode = spec.get("completionMode").and_then(Value::as_str);
    if let Some(m) = mode
        && m != "NonIndexed"
        && m != "Indexed"
    {
        errs.push(FieldError::not_supported(
            field("completionMode"),
            m,
            &["NonIndexed", "Indexed"],
        ));
    }
    if mode == Some("Indexed") {
        let completions = int("completions");
        if !set("completions") {
            errs.push(FieldError::required(
                field("completions"),
                "when completion mode is Indexed",
            ));
        }
        let parallelism = int("parallelism");
        if let Some(p) = parallelism.filter(|p| *p > MAX_PARALLELISM_FOR_INDEXED_JOB) {
            errs.push(FieldError::invalid_raw(
                field("parallelism"),
                &Value::from(p),
                &format!(
                    "must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed"
                ),
            ));
        }
        if let (Some(c), Some(m)) = (completions, max_failed)
            && m > c
        {
            errs.push(FieldError::invalid_raw(
                field("maxFailedIndexes"),
                &Value::from(m),
                "must be less than or equal to completions",
            ));
        }
        if let Some(m) = max_failed.filter(|m| *m > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
            errs.push(FieldError::invalid_raw(
                field("maxFailedIndexes"),
                &Value::from(m),
                &format!("must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"),
            ));
        }
        if completions.is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT) && per_index.is_some() {
            let high = format!(
                "when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
            );
            if max_failed.is_none() {
                errs.push(FieldError::required(
                    field("maxFailedIndexes"),
                    &format!(
                        "must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"
                    ),
                ));
            }
            if let Some(p) = parallelism.filter(|p| *p > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
                errs.push(FieldError::invalid_raw(
                    field("parallelism"),
                    &Value::from(p),
                    &format!("must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} {high}"),
                ));
            }
            if let Some(m) =
                max_failed.filter(|m| *m > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS)
            {
                errs.push(FieldError::invalid_raw(
                    field("maxFailedIndexes"),
                    &Value::from(m),
                    &format!(
                        "must be less than or equal to {MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} {high}"
                    ),
                ));
            }
        }
    } else if mode.is_none_or(|m| m == "NonIndexed") {
        for (f, v) in [("backoffLimitPerIndex", per_index), ("maxFailedIndexes", max_failed)] {
            if let Some(v) = v {
                errs.push(FieldError::invalid_raw(
                    field(f),
                    &Value::from(v),
                    "requires indexed completion mode",
                ));
            }
        }
    }
    // validatePodFailurePolicyRule: FailIndex needs backoffLimitPerIndex.
    let rules = at(spec, &["podFailurePolicy", "rules"]).and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        if rule.get("action").and_then(Value::as_str) == Some("FailIndex")
            && !set("backoffLimitPerIndex")
        {
            errs.push(FieldError::invalid(
                format!("{path}.podFailurePolicy.rules[{i}].action"),
                "FailIndex",
                "requires the backoffLimitPerIndex to be set",
            ));
        }
    }
    if let Some(policy) = spec.get("successPolicy").filter(|v| !v.is_null()) {
        if mode != Some("Indexed") {
            errs.push(FieldError::invalid_raw(
                field("successPolicy"),
                policy,
                "requires indexed completion mode",
            ));
        } else {
            success_policy(policy, int("completions").unwrap_or(0), &field("successPolicy"), errs);
        }
    }
}

/// `validateSuccessPolicy` / `validateSuccessPolicyRule` (v1.32.0).
fn success_policy(policy: &Value, completions: i64, path: &str, errs: &mut Vec<FieldError>) {
    const MAX_SUCCESS_POLICY_RULES: usize = 20;
    let rules = policy.get("rules").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    if rules.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.rules"),
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if rules.len() > MAX_SUCCESS_POLICY_RULES {
        errs.push(FieldError::invalid_raw(
            format!("{path}.rules"),
            &Value::from(rules.len()),
            &format!("must have at most {MAX_SUCCESS_POLICY_RULES} items"),
        ));
    }
    for (i, rule) in rules.iter().enumerate() {
        let rpath = format!("{path}.rules[{i}]");
        let count = rule.get("succeededCount").and_then(Value::as_i64);
        let indexes = rule.get("succeededIndexes").and_then(Value::as_str);
        if count.is_none() && indexes.is_none() {
            errs.push(FieldError::required(
                rpath.clone(),
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0;
        if let Some(ix) = indexes {
            match indexes_format(ix, completions) {
                Ok(n) => total = n,
                Err(e) => errs.push(FieldError::invalid(
                    format!("{rpath}.succeededIndexes"),
                    ix,
                    &format!("error parsing succeededIndexes: {e}"),
                )),
            }
        }
        if let Some(c) = count {
            let cpath = format!("{rpath}.succeededCount");
            if c < 0 {
                errs.push(FieldError::invalid_raw(
                    cpath.clone(),
                    &Value::from(c),
                    "must be greater than or equal to 0",
                ));
            }
            if c > completions {
                errs.push(FieldError::invalid_raw(
                    cpath.clone(),
                    &Value::from(c),
                    &format!(
                        "must be less than or equal to {completions} (the number of specified completions)"
                    ),
                ));
            }
            if indexes.is_some() && c > total {
                errs.push(FieldError::invalid_raw(
                    cpath,
                    &Value::from(c),
                    &format!(
                        "must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"
                    ),
                ));
            }
        }
    }
}

/// upstream `validateIndexesFormat` and `parseIndexInterval` (validation.go, v1.32.0):
/// increasing, non-overlapping intervals `a` or `a-b` (`a < b`) below `completions`; the
/// number of indexes they cover.
pub(crate) fn indexes_format(s: &str, completions: i64) -> Result<i64, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let mut total = 0;
    let mut last: i64 = -1;
    for part in s.split(',') {
        let bounds: Vec<&str> = part.split('-').collect();
        if bounds.len() > 2 {
            return Err(format!(
                "the fragment {part:?} violates the requirement that an index interval can have at most two parts separated by '-'"
            ));
        }
        let x: i64 = bounds[0]
            .parse()
            .map_err(|_| format!("cannot convert string to integer for index: {:?}", bounds[0]))?;
        if x >= completions {
            return Err(format!("too large index: {:?}", bounds[0]));
        }
        let y = if bounds.len() == 2 {
            let y: i64 = bounds[1].parse().map_err(|_| {
                format!("cannot convert string to integer for index: {:?}", bounds[1])
            })?;
            if y >= completions {
                return Err(format!("too large index: {:?}", bounds[1]));
            }
            if x >= y {
                return Err(format!("non-increasing order, previous: {x}, current: {y}"));
            }
            y
        } else {
            x
        };
        if last >= x {
            return Err(format!("non-increasing order, previous: {last}, current: {x}"));
        }
        total += y - x + 1;
        last = y;
    }
    Ok(total)
}

/// `ValidateJob`: an Indexed Job's last pod hostname (`<name>-<completions-1>`) must be a DNS
/// label.
fn indexed_hostname(obj: &Value, spec: &Value, errs: &mut Vec<FieldError>) {
    let (Some("Indexed"), Some(c)) = (
        spec.get("completionMode").and_then(Value::as_str),
        spec.get("completions").and_then(Value::as_i64),
    ) else {
        return;
    };
    let name = str_at(obj, &["metadata", "name"]).unwrap_or_default();
    if c > 0 && !name.is_empty() {
        let host = format!("{name}-{}", c - 1);
        if !dns1123_label(&host).is_empty() {
            errs.push(FieldError::invalid(
                "metadata.name",
                name,
                &format!("will not able to create pod with invalid DNS label: {host}"),
            ));
        }
    }
}

fn pod_spec(spec: &Value, path: &str, errs: &mut Vec<FieldError>) {
    match spec.get("containers").and_then(Value::as_array) {
        Some(cs) if !cs.is_empty() => {
            for (i, c) in cs.iter().enumerate() {
                let cname = c.get("name").and_then(Value::as_str).unwrap_or_default();
                if cname.is_empty() {
                    errs.push(FieldError::required(format!("{path}.containers[{i}].name"), ""));
                } else {
                    for p in dns1123_label(cname) {
                        errs.push(FieldError::invalid(
                            format!("{path}.containers[{i}].name"),
                            cname,
                            &p,
                        ));
                    }
                }
                if c.get("image").and_then(Value::as_str).unwrap_or_default().trim().is_empty() {
                    errs.push(FieldError::required(format!("{path}.containers[{i}].image"), ""));
                }
            }
        }
        _ => errs.push(FieldError::required(format!("{path}.containers"), "")),
    }
}

fn job_update(new: &Value, old: &Value, errs: &mut Vec<FieldError>) {
    // ValidateJobSpecUpdate: selector, template (outside a few mutable bits) and completions
    // are immutable.
    // (v1.32.0 also: podFailurePolicy, backoffLimitPerIndex, managedBy, successPolicy.)
    for f in [
        "selector",
        "completions",
        "completionMode",
        "podFailurePolicy",
        "backoffLimitPerIndex",
        "managedBy",
        "successPolicy",
    ] {
        let n = at(new, &["spec", f]);
        let o = at(old, &["spec", f]);
        if n != o {
            let shown = n.cloned().unwrap_or(Value::Null);
            errs.push(FieldError::invalid_raw(format!("spec.{f}"), &shown, "field is immutable"));
        }
    }
    if at(new, &["spec", "template"]) != at(old, &["spec", "template"]) {
        let shown = at(new, &["spec", "template"]).cloned().unwrap_or(Value::Null);
        errs.push(FieldError::invalid_raw("spec.template", &shown, "field is immutable"));
    }
}

/// What `ValidatePodUpdate` lets change: container images, `activeDeadlineSeconds`,
/// tolerations, scheduling gates; and (standing in for the `binding` subresource the scheduler
/// uses upstream) `nodeName` from unset to a node.
fn pod_update(new: &Value, old: &Value, errs: &mut Vec<FieldError>) {
    fn masked(spec: Option<&Value>, other_node: Option<&Value>) -> Value {
        let mut s = spec.cloned().unwrap_or(Value::Null);
        if let Some(m) = s.as_object_mut() {
            for f in ["activeDeadlineSeconds", "tolerations", "schedulingGates"] {
                m.remove(f);
            }
            if m.get("nodeName").is_none() || other_node.is_none() {
                m.remove("nodeName");
            }
            for list in ["containers", "initContainers"] {
                if let Some(cs) = m.get_mut(list).and_then(Value::as_array_mut) {
                    for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                        c.remove("image");
                    }
                }
            }
        }
        s
    }
    let (ns, os) = (new.get("spec"), old.get("spec"));
    let old_node = os.and_then(|s| s.get("nodeName"));
    // A bound pod stays on its node; an unbound one may be bound once.
    let new_masked = masked(ns, old_node);
    let old_masked = masked(os, old_node);
    if new_masked != old_masked {
        errs.push(FieldError::forbidden(
            "spec",
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subdomain_rules() {
        assert!(dns1123_subdomain("nightly-backup.v2").is_empty());
        assert_eq!(dns1123_subdomain("Nightly").len(), 1);
        assert_eq!(dns1123_subdomain("a..b").len(), 1);
        assert_eq!(dns1123_subdomain(&"a".repeat(254)).len(), 1);
    }

    #[test]
    fn label_values_and_keys() {
        assert!(label_value("").is_empty());
        assert!(label_value("My_Value.1").is_empty());
        assert_eq!(label_value("-x").len(), 1);
        assert!(qualified_name("kuul.dev/pool").is_empty());
        assert_eq!(qualified_name("Kuul.dev/pool").len(), 1);
        assert_eq!(qualified_name("a/").len(), 1);
    }

    #[test]
    fn cronjob_name_over_52_is_invalid_on_create_only() {
        let cj = json!({"metadata": {"name": "a".repeat(53), "namespace": "ops"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}});
        let errs = validate(Kind::CronJob, &cj, None);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].body,
            format!("Invalid value: \"{}\": must be no more than 52 characters", "a".repeat(53))
        );
        assert!(validate(Kind::CronJob, &cj, Some(&cj)).is_empty());
    }

    #[test]
    fn pod_updates_may_only_bind_once_and_change_images() {
        let pod = json!({"metadata": {"name": "p", "namespace": "ops"},
            "spec": {"containers": [{"name": "c", "image": "a:1"}]}});
        let mut bound = pod.clone();
        bound["spec"]["nodeName"] = json!("n1");
        assert!(validate(Kind::Pod, &bound, Some(&pod)).is_empty());
        let mut moved = bound.clone();
        moved["spec"]["nodeName"] = json!("n2");
        assert_eq!(validate(Kind::Pod, &moved, Some(&bound))[0].field, "spec");
        let mut image = bound.clone();
        image["spec"]["containers"][0]["image"] = json!("a:2");
        assert!(validate(Kind::Pod, &image, Some(&bound)).is_empty());
        let mut cmd = bound.clone();
        cmd["spec"]["containers"][0]["command"] = json!(["sh"]);
        assert_eq!(validate(Kind::Pod, &cmd, Some(&bound)).len(), 1);
    }

    #[test]
    fn job_template_needs_restart_policy_and_containers() {
        let job = json!({"metadata": {"name": "j", "namespace": "ops"},
            "spec": {"template": {"spec": {"restartPolicy": "Always", "containers": []}}}});
        let errs: Vec<String> =
            validate(Kind::Job, &job, None).iter().map(ToString::to_string).collect();
        assert_eq!(
            errs,
            [
                "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
                "spec.template.spec.containers: Required value",
            ]
        );
    }

    /// validateJobSpec (v1.32.0): what backoffLimitPerIndex, maxFailedIndexes, FailIndex and
    /// successPolicy allow.
    #[test]
    fn indexed_job_fields() {
        let msgs = |spec: Value| -> Vec<String> {
            let mut full = json!({"template": {"spec": {"restartPolicy": "Never",
                "containers": [{"name": "c", "image": "i"}]}}});
            for (k, v) in spec.as_object().unwrap() {
                full[k] = v.clone();
            }
            let job = json!({"metadata": {"name": "j", "namespace": "ops"}, "spec": full});
            validate(Kind::Job, &job, None).iter().map(ToString::to_string).collect()
        };
        assert!(
            msgs(json!({"completionMode": "Indexed", "completions": 4,
            "backoffLimitPerIndex": 1, "maxFailedIndexes": 4}))
            .is_empty()
        );
        assert_eq!(
            msgs(json!({"backoffLimitPerIndex": 1, "maxFailedIndexes": 2})),
            [
                "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                "spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode",
            ]
        );
        assert_eq!(
            msgs(json!({"completionMode": "Indexed", "completions": 2, "maxFailedIndexes": 3})),
            [
                "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                "spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions",
            ]
        );
        assert_eq!(
            msgs(json!({"completionMode": "Indexed", "parallelism": 100_001})),
            [
                "spec.completions: Required value: when completion mode is Indexed",
                "spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed",
            ]
        );
        assert_eq!(
            msgs(json!({"completionMode": "Indexed", "completions": 2, "podFailurePolicy":
                {"rules": [{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [1]}}]}})),
            [
                "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"
            ]
        );
        assert_eq!(
            msgs(json!({"completionMode": "Indexed", "completions": 3, "successPolicy":
                {"rules": [{"succeededIndexes": "0-1,1", "succeededCount": 4}, {}]}})),
            [
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"0-1,1\": error parsing succeededIndexes: non-increasing order, previous: 1, current: 1",
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)",
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)",
                "spec.successPolicy.rules[1]: Required value: at least one of succeededCount or succeededIndexes must be specified",
            ]
        );
        let long = json!({"metadata": {"name": "a".repeat(62), "namespace": "ops"},
            "spec": {"completionMode": "Indexed", "completions": 10, "template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "c", "image": "i"}]}}}});
        let errs: Vec<String> =
            validate(Kind::Job, &long, None).iter().map(ToString::to_string).collect();
        assert!(
            errs.iter().any(|e| e.contains("will not able to create pod with invalid DNS label")),
            "{errs:?}"
        );
    }

    #[test]
    fn secrets_validate_keys_types_and_immutability() {
        let meta = json!({"name": "s", "namespace": "ops"});
        let msgs = |obj: &Value, old: Option<&Value>| -> Vec<String> {
            validate(Kind::Secret, obj, old).iter().map(ToString::to_string).collect()
        };
        let ok = json!({"metadata": meta, "type": "Opaque", "data": {"a.b_C-1": "eA=="}});
        assert!(msgs(&ok, None).is_empty());
        let bad = json!({"metadata": meta, "type": "Opaque", "data": {"a/b": "eA=="}});
        assert_eq!(
            msgs(&bad, None),
            [
                "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
            ]
        );
        let tls =
            json!({"metadata": meta, "type": "kubernetes.io/tls", "data": {"tls.crt": "eA=="}});
        assert_eq!(msgs(&tls, None), ["data[tls.key]: Required value"]);
        let retyped = json!({"metadata": meta, "type": "kubernetes.io/basic-auth", "data": {"username": "eA=="}});
        assert_eq!(
            msgs(&retyped, Some(&ok)),
            ["type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable"]
        );
        let frozen = json!({"metadata": meta, "type": "Opaque", "immutable": true, "data": {"a.b_C-1": "eA=="}});
        let changed = json!({"metadata": meta, "type": "Opaque", "immutable": true, "data": {}});
        assert_eq!(
            msgs(&changed, Some(&frozen)),
            ["data: Forbidden: field is immutable when `immutable` is set"]
        );
    }
}
