//! Label and field selectors, parsed and matched as the API server does.
//!
//! Label selector grammar and semantics follow `apimachinery/pkg/labels/selector.go`
//! (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`; `!=` and `notin` match objects without the
//! key). Field selectors follow `apimachinery/pkg/fields/selector.go` with the per-resource field
//! sets of each registry's `GetAttrs`/`ToSelectableFields` (`pkg/registry/core/pod/strategy.go`,
//! `pkg/registry/batch/job/strategy.go`, `pkg/registry/core/event/strategy.go`, ...).

use serde_json::Value;

use crate::error::ApiError;
use crate::kind::Kind;

/// One label requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LabelReq {
    /// `key in (values)`, `key=value`, `key==value`
    In(String, Vec<String>),
    /// `key notin (values)`, `key!=value`
    NotIn(String, Vec<String>),
    /// `key`
    Exists(String),
    /// `!key`
    NotExists(String),
}

/// A parsed label selector (requirements ANDed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    reqs: Vec<LabelReq>,
}

/// Splits on commas that are not inside parentheses.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_values(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
}

fn valid_key(k: &str) -> bool {
    !k.is_empty() && crate::validation::qualified_name(k).is_empty()
}

fn parse_error(detail: &str) -> ApiError {
    ApiError::bad_request(format!("unable to parse requirement: {detail}"))
}

impl LabelSelector {
    /// Parses `labelSelector`; the empty string selects everything.
    pub fn parse(s: &str) -> Result<LabelSelector, ApiError> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(LabelSelector { reqs });
        }
        for part in split_top_level(s) {
            let part = part.trim();
            if part.is_empty() {
                return Err(parse_error("found ',', expected: !, identifier, or 'end of string'"));
            }
            let req = if let Some(k) = part.strip_prefix('!') {
                let k = k.trim();
                if !valid_key(k) {
                    return Err(parse_error(&format!("invalid label key \"{k}\"")));
                }
                LabelReq::NotExists(k.to_string())
            } else if let Some((k, v)) = part.split_once("!=") {
                LabelReq::NotIn(k.trim().to_string(), vec![v.trim().to_string()])
            } else if let Some((k, v)) = part.split_once("==") {
                LabelReq::In(k.trim().to_string(), vec![v.trim().to_string()])
            } else if let Some((k, v)) = part.split_once('=') {
                LabelReq::In(k.trim().to_string(), vec![v.trim().to_string()])
            } else if let Some((k, rest)) = split_word(part, "notin") {
                let vals = parse_values(rest).ok_or_else(|| parse_error("expected '('"))?;
                LabelReq::NotIn(k.to_string(), vals)
            } else if let Some((k, rest)) = split_word(part, "in") {
                let vals = parse_values(rest).ok_or_else(|| parse_error("expected '('"))?;
                if vals.is_empty() {
                    return Err(parse_error(
                        "for 'in', 'notin' operators, values set can't be empty",
                    ));
                }
                LabelReq::In(k.to_string(), vals)
            } else if let Some((_, rest)) = part.split_once(char::is_whitespace) {
                // The lexer's next token after the key is not an operator
                // (`labels/selector.go` `parseOperator`).
                let found: String = rest
                    .trim_start()
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !"=!(),".contains(*c))
                    .collect();
                return Err(parse_error(&format!(
                    "found '{found}', expected: '=', '!=', '==', 'in', notin'"
                )));
            } else {
                LabelReq::Exists(part.to_string())
            };
            let key = match &req {
                LabelReq::In(k, _)
                | LabelReq::NotIn(k, _)
                | LabelReq::Exists(k)
                | LabelReq::NotExists(k) => k,
            };
            if !valid_key(key) {
                return Err(parse_error(&format!(
                    "invalid label key \"{key}\": {}",
                    crate::validation::qualified_name(key).join("; ")
                )));
            }
            if let LabelReq::In(_, vs) | LabelReq::NotIn(_, vs) = &req {
                for v in vs {
                    let problems = crate::validation::label_value(v);
                    if !problems.is_empty() {
                        return Err(parse_error(&format!(
                            "invalid label value: \"{v}\": at key: \"{key}\": {}",
                            problems.join("; ")
                        )));
                    }
                }
            }
            reqs.push(req);
        }
        Ok(LabelSelector { reqs })
    }

    /// Whether the selector selects everything.
    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    /// Whether an object's labels match.
    pub fn matches(&self, obj: &Value) -> bool {
        if self.reqs.is_empty() {
            return true;
        }
        let labels = obj.get("metadata").and_then(|m| m.get("labels"));
        let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.reqs.iter().all(|r| match r {
            LabelReq::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            LabelReq::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            LabelReq::Exists(k) => get(k).is_some(),
            LabelReq::NotExists(k) => get(k).is_none(),
        })
    }
}

/// `key <word> (...)`: splits at the operator word surrounded by whitespace.
fn split_word<'a>(part: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    let mut iter = part.splitn(2, char::is_whitespace);
    let key = iter.next()?.trim();
    let rest = iter.next()?.trim_start();
    let rest = rest.strip_prefix(word)?;
    if rest.trim_start().starts_with('(') { Some((key, rest)) } else { None }
}

/// A parsed field selector (terms ANDed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    terms: Vec<(String, bool, String)>,
}

/// The fields a kind's registry exposes to field selectors.
fn selectable(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Job => &["status.successful"],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        // pkg/registry/core/secret/strategy.go `SelectableFields` (v1.32.0).
        Kind::Secret => &["type"],
        Kind::ConfigMap | Kind::ResourceQuota | Kind::CronJob => &[],
    }
}

/// The string value a field selector compares for `field` (as the registry's `GetAttrs`).
fn field_value(kind: Kind, obj: &Value, field: &str) -> String {
    if kind == Kind::Event && field == "source" {
        return obj
            .get("source")
            .and_then(|s| s.get("component"))
            .or_else(|| obj.get("reportingComponent"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
    }
    // Selectable fields that are not their JSON path (pkg/registry/batch/job/strategy.go
    // `JobToSelectableFields`, pkg/registry/core/pod/strategy.go `ToSelectableFields`, v1.32.0).
    let path = match (kind, field) {
        (Kind::Job, "status.successful") => "status.succeeded",
        _ => field,
    };
    if kind == Kind::Pod && field == "status.podIP" {
        // The first of `status.podIPs` (which the kubelet writes along with `podIP`).
        let first = obj
            .get("status")
            .and_then(|s| s.get("podIPs"))
            .and_then(|l| l.get(0))
            .and_then(|i| i.get("ip"))
            .or_else(|| obj.get("status").and_then(|s| s.get("podIP")));
        return first.and_then(Value::as_str).unwrap_or_default().to_string();
    }
    let v = path.split('.').try_fold(obj, |cur, k| cur.get(k));
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        // Unset booleans and counters read as their zero values (`spec.unschedulable=false`,
        // `status.successful=0`), as Go's typed fields do.
        _ => match field {
            "spec.unschedulable" | "spec.hostNetwork" => "false".to_string(),
            "status.successful" => "0".to_string(),
            _ => String::new(),
        },
    }
}

/// The 400's message for a field selector on a field `kind` does not expose: the kind's field
/// label conversion function's error, which the list handler returns as it is
/// (`opts.FieldSelector.Transform(fn)` then `errors.NewBadRequest(err.Error())`, apiserver
/// endpoints/handlers/get.go ListResource, v1.32). The core kinds' conversions
/// (pkg/apis/core/v1/conversion.go) say `field label not supported`, batch/v1's Job conversion
/// (pkg/apis/batch/v1/conversion.go) names the type, and kinds without one get
/// `runtime.DefaultMetaV1FieldSelectorConversion`'s text. kubectl prefixes `Unable to find
/// "<resource>" that match label selector ...` itself (cli-runtime resource/selector.go).
fn unsupported_field(kind: Kind, label: &str) -> String {
    match kind {
        Kind::Pod | Kind::Node | Kind::Namespace | Kind::Secret | Kind::Event => {
            format!("field label not supported: {label}")
        }
        Kind::Job => format!("field label {label:?} not supported for batchv1.Job"),
        Kind::ConfigMap | Kind::ResourceQuota | Kind::CronJob => format!(
            "{label:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        ),
    }
}

impl FieldSelector {
    /// Parses `fieldSelector` and checks the fields are supported for `kind`.
    pub fn parse(kind: Kind, s: &str) -> Result<FieldSelector, ApiError> {
        let mut terms = Vec::new();
        if s.trim().is_empty() {
            return Ok(FieldSelector { terms });
        }
        for part in s.split(',') {
            let part = part.trim();
            let (k, eq, v) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = part.split_once('=') {
                (k, true, v)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                )));
            };
            // Old v1 clients' `spec.host` is `spec.nodeName` (the pod conversion maps it).
            let k = match k.trim() {
                "spec.host" if kind == Kind::Pod => "spec.nodeName",
                k => k,
            };
            let meta = match kind {
                // Cluster-scoped kinds whose conversion accepts only metadata.name.
                Kind::Node | Kind::Namespace => k == "metadata.name",
                _ => matches!(k, "metadata.name" | "metadata.namespace"),
            };
            if !meta && !selectable(kind).contains(&k) {
                return Err(ApiError::bad_request(unsupported_field(kind, k)));
            }
            terms.push((k.to_string(), eq, v.trim().to_string()));
        }
        Ok(FieldSelector { terms })
    }

    /// Whether the selector selects everything.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether an object matches.
    pub fn matches(&self, kind: Kind, obj: &Value) -> bool {
        self.terms.iter().all(|(k, eq, v)| (field_value(kind, obj, k) == *v) == *eq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(labels: Value) -> Value {
        json!({"metadata": {"name": "a", "namespace": "ops", "labels": labels},
            "spec": {"nodeName": "n1"}, "status": {"phase": "Running"}})
    }

    #[test]
    fn label_operators() {
        let o = obj(json!({"app": "backup", "tier": "db"}));
        let cases = [
            ("app=backup", true),
            ("app==backup", true),
            ("app!=backup", false),
            ("missing!=x", true),
            ("app in (backup, web)", true),
            ("app notin (backup)", false),
            ("missing notin (x)", true),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("app=backup,tier in (db),!missing", true),
            ("", true),
        ];
        for (sel, want) in cases {
            assert_eq!(LabelSelector::parse(sel).unwrap().matches(&o), want, "{sel}");
        }
    }

    #[test]
    fn bad_label_selector_is_400() {
        let e = LabelSelector::parse("app in backup").unwrap_err();
        assert_eq!(e.code, 400);
        assert!(LabelSelector::parse("Bad Key=1").is_err());
    }

    #[test]
    fn field_selectors_per_kind() {
        let o = obj(json!({}));
        let f = FieldSelector::parse(Kind::Pod, "status.phase=Running,spec.nodeName!=n2").unwrap();
        assert!(f.matches(Kind::Pod, &o));
        let f = FieldSelector::parse(Kind::Pod, "metadata.name==b").unwrap();
        assert!(!f.matches(Kind::Pod, &o));
        let e = FieldSelector::parse(Kind::CronJob, "spec.schedule=x").unwrap_err();
        assert_eq!(e.code, 400);
        assert_eq!(
            e.message,
            "\"spec.schedule\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        let e = FieldSelector::parse(Kind::Pod, "spec.host2=x").unwrap_err();
        assert_eq!(e.message, "field label not supported: spec.host2");
        let e = FieldSelector::parse(Kind::Job, "spec.x=1").unwrap_err();
        assert_eq!(e.message, "field label \"spec.x\" not supported for batchv1.Job");
        let e = FieldSelector::parse(Kind::Namespace, "metadata.namespace=a").unwrap_err();
        assert_eq!(e.message, "field label not supported: metadata.namespace");
        let job = json!({"metadata": {"name": "j"}, "status": {}});
        let f = FieldSelector::parse(Kind::Job, "status.successful=0").unwrap();
        assert!(f.matches(Kind::Job, &job));
        // `status.successful` is `status.succeeded` (JobToSelectableFields).
        let done = json!({"metadata": {"name": "j"}, "status": {"succeeded": 1}});
        assert!(!f.matches(Kind::Job, &done));
        let one = FieldSelector::parse(Kind::Job, "status.successful=1").unwrap();
        assert!(one.matches(Kind::Job, &done));
    }
}
