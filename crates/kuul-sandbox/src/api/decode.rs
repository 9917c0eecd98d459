//! Request body decoding with the API server's error texts and field validation
//! (`fieldValidation=Strict|Warn|Ignore`, KEP-2885): unknown fields are found by round-tripping
//! the body through the k8s-openapi types and diffing, so the schema is upstream's own.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;
use crate::kind::Kind;

/// Parses a create/update body by its `Content-Type`: JSON (default), YAML, or protobuf (what
/// kubectl's typed clients send; see `protobuf`).
pub fn parse_body(kind: Kind, content_type: &str, body: &[u8]) -> Result<Value, ApiError> {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    match media {
        "" | "application/json" | "*/*" => parse_json(kind, body),
        "application/yaml" => {
            let text = std::str::from_utf8(body)
                .map_err(|e| ApiError::bad_request(format!("yaml body is not UTF-8: {e}")))?;
            serde_saphyr::from_str::<Value>(text).map_err(|e| {
                ApiError::bad_request(format!(
                    "the object provided is unrecognized (must be of type {}): couldn't get version/kind; yaml parse error: {e}",
                    kind.kind_name()
                ))
            })
        }
        "application/vnd.kubernetes.protobuf" => super::protobuf::decode(kind, body),
        other => Err(ApiError::unsupported_media_type(other)),
    }
}

/// Parses a JSON body, or the 400 the real server sends for malformed input.
///
/// The message is transformDecodeError's (endpoints/handlers/create.go, v1.32) around the JSON
/// serializer's `couldn't get version/kind; json parse error: <encoding/json's error>`, with the
/// body summarised (`summarizeData`).
pub fn parse_json(kind: Kind, body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        let why = super::gojson::syntax_error(body).unwrap_or_else(|| e.to_string());
        ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: {why} ({})",
            kind.kind_name(),
            super::gojson::summarize(body)
        ))
    })
}

/// Checks the body's `apiVersion`/`kind` against the endpoint.
pub fn check_type(kind: Kind, obj: &Value) -> Result<(), ApiError> {
    if !obj.is_object() {
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            kind.kind_name(),
            json_type(obj)
        )));
    }
    if let Some(k) = obj.get("kind").and_then(Value::as_str)
        && !k.is_empty()
        && k != kind.kind_name()
    {
        let sent_version =
            obj.get("apiVersion").and_then(Value::as_str).unwrap_or(kind.api_version());
        if Kind::ALL.iter().any(|o| o.kind_name() == k && o.api_version() == sent_version) {
            // A kind the scheme knows decodes, then fails converting into the endpoint's
            // internal type (conversion.Converter: "unknown conversion"), which the create
            // handler wraps (endpoints/handlers/create.go transformDecodeError, 1.20 to 1.32).
            let version = sent_version.rsplit('/').next().unwrap_or(sent_version);
            let internal = |k: Kind| if k.group().is_empty() { "core" } else { k.group() };
            return Err(ApiError::bad_request(format!(
                "{k} in version \"{version}\" cannot be handled as a {target}: converting ({version}.{k}) to ({}.{target}): unknown conversion",
                internal(kind),
                target = kind.kind_name(),
            )));
        }
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): no kind \"{k}\" is registered for version \"{}\"",
            kind.kind_name(),
            obj.get("apiVersion").and_then(Value::as_str).unwrap_or(kind.api_version())
        )));
    }
    if let Some(v) = obj.get("apiVersion").and_then(Value::as_str)
        && !v.is_empty()
        && v != kind.api_version()
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({v}) does not match the expected API version ({})",
            kind.api_version()
        )));
    }
    Ok(())
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(typed).map_err(|e| e.to_string())
}

/// Paths (`spec.foo`, `spec.containers[0].bar`) present in `sent` but not in `known`.
fn diff(sent: &Value, known: &Value, path: &str, out: &mut Vec<String>) {
    match (sent, known) {
        (Value::Object(s), Value::Object(k)) => {
            for (key, v) in s {
                let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                match k.get(key) {
                    Some(kv) => diff(v, kv, &p, out),
                    None if v.is_null() => {}
                    None => out.push(p),
                }
            }
        }
        (Value::Array(s), Value::Array(k)) => {
            for (i, (sv, kv)) in s.iter().zip(k).enumerate() {
                diff(sv, kv, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// `obj` decoded into `kind`'s Go type and encoded again: the fields that type knows.
fn known_form(kind: Kind, obj: &Value) -> Result<Value, String> {
    use k8s_openapi::api::batch::v1::{CronJob, Job};
    use k8s_openapi::api::core::v1::{
        ConfigMap, Event, Namespace, Node, Pod, ResourceQuota, Secret,
    };
    match kind {
        Kind::Namespace => round_trip::<Namespace>(obj),
        Kind::Node => round_trip::<Node>(obj),
        Kind::Pod => round_trip::<Pod>(obj),
        Kind::Event => round_trip::<Event>(obj),
        Kind::ConfigMap => round_trip::<ConfigMap>(obj),
        Kind::Secret => round_trip::<Secret>(obj),
        Kind::ResourceQuota => round_trip::<ResourceQuota>(obj),
        Kind::Job => round_trip::<Job>(obj),
        Kind::CronJob => round_trip::<CronJob>(obj),
    }
}

/// Unknown fields of `obj` for `kind`. A body the typed decoder cannot read because of a
/// wrong value type is a 400 (`cannot be handled as a ...`); missing required fields are left
/// to validation (422).
pub fn unknown_fields(kind: Kind, obj: &Value) -> Result<Vec<String>, ApiError> {
    let known = known_form(kind, obj);
    match known {
        Ok(known) => {
            let mut out = Vec::new();
            diff(obj, &known, "", &mut out);
            Ok(out)
        }
        Err(e) if e.starts_with("missing field") => Ok(Vec::new()),
        Err(e) => Err(ApiError::bad_request(format!(
            "{k} in version \"v1\" cannot be handled as a {k}: {e}",
            k = kind.kind_name()
        ))),
    }
}

/// Removes from `sent` what is not in `known` (fields the Go types do not have; a null stays,
/// it decodes to a zero value).
fn remove_unknown(sent: &mut Value, known: &Value) {
    match (sent, known) {
        (Value::Object(s), Value::Object(k)) => {
            s.retain(|key, v| v.is_null() || k.contains_key(key));
            for (key, v) in s.iter_mut() {
                if let Some(kv) = k.get(key) {
                    remove_unknown(v, kv);
                }
            }
        }
        (Value::Array(s), Value::Array(k)) => {
            for (sv, kv) in s.iter_mut().zip(k) {
                remove_unknown(sv, kv);
            }
        }
        _ => {}
    }
}

/// What the API server keeps of a body: decoding into the Go types drops unknown fields,
/// whatever `fieldValidation` says (`Warn` only reports them), and encoding them again drops
/// the empty maps and lists of `omitempty` fields ([`drop_omitted_empties`]).
pub fn drop_unknown_fields(kind: Kind, obj: &mut Value) {
    let known = known_form(kind, obj);
    if let Ok(known) = known {
        remove_unknown(obj, &known);
    }
    drop_omitted_empties(kind, obj);
}

/// Removes the empty maps (`nodeSelector: {}`) and lists (`tolerations: []`) of the fields
/// Go's `encoding/json` leaves out when empty: those tagged `omitempty`. kube-openapi marks a
/// field `required` exactly when it has no `omitempty` (and no `+optional`), so every
/// non-required map or list field of the kind's schema is one. Only maps and lists: an empty
/// struct (`securityContext: {}`, a non-nil pointer) is written by Go, so it stays; the zero
/// values of scalars are not touched either (whether Go omits `false` or `0` depends on whether
/// the field is a pointer, which the schema does not say).
pub fn drop_omitted_empties(kind: Kind, obj: &mut Value) {
    if let Some((_, schema)) = super::openapi::kind_schema(kind) {
        drop_empties(obj, schema);
    }
}

fn drop_empties(value: &mut Value, schema: &Value) {
    use super::openapi::resolve;
    let schema = resolve(schema);
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                let required = schema.get("required").and_then(Value::as_array);
                let required = |k: &str| required.is_some_and(|r| r.iter().any(|f| f == k));
                map.retain(|k, v| {
                    let Some(prop) = props.get(k) else { return true };
                    required(k) || !is_empty_map_or_list(v, resolve(prop))
                });
                for (k, v) in map.iter_mut() {
                    if let Some(prop) = props.get(k) {
                        drop_empties(v, prop);
                    }
                }
            } else if let Some(values) = schema.get("additionalProperties") {
                for v in map.values_mut() {
                    drop_empties(v, values);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for v in items {
                    drop_empties(v, item);
                }
            }
        }
        _ => {}
    }
}

/// `value` is `{}` where the schema says a map, or `[]` where it says a list.
fn is_empty_map_or_list(value: &Value, schema: &Value) -> bool {
    match value {
        Value::Object(m) => {
            m.is_empty()
                && schema.get("additionalProperties").is_some()
                && schema.get("properties").is_none()
        }
        Value::Array(a) => {
            a.is_empty() && schema.get("type").and_then(Value::as_str) == Some("array")
        }
        _ => false,
    }
}

/// Applies `fieldValidation`: `Strict` fails with 400, `Warn` (the default) returns warnings,
/// `Ignore` returns nothing.
pub fn field_validation(
    kind: Kind,
    obj: &Value,
    mode: Option<&str>,
) -> Result<Vec<String>, ApiError> {
    if mode == Some("Ignore") {
        return Ok(Vec::new());
    }
    let unknown = unknown_fields(kind, obj)?;
    let texts: Vec<String> = unknown.iter().map(|f| format!("unknown field \"{f}\"")).collect();
    if mode == Some("Strict") && !texts.is_empty() {
        return Err(ApiError::bad_request(format!(
            "{k} in version \"v1\" cannot be handled as a {k}: strict decoding error: {}",
            texts.join(", "),
            k = kind.kind_name()
        )));
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_maps_and_lists_of_omitempty_fields_are_dropped() {
        let mut job = json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "j", "labels": {}, "finalizers": []},
            "spec": {"template": {"metadata": {"annotations": {}}, "spec": {
                "nodeSelector": {}, "tolerations": [], "securityContext": {},
                "containers": [{"name": "c", "image": "i", "env": [], "args": [],
                    "resources": {"limits": {}, "requests": {"cpu": "1"}}}]}}},
            "status": {}});
        drop_unknown_fields(Kind::Job, &mut job);
        assert_eq!(
            job,
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"template": {"metadata": {}, "spec": {"securityContext": {},
                    "containers": [{"name": "c", "image": "i",
                        "resources": {"requests": {"cpu": "1"}}}]}}},
                "status": {}})
        );
        // A required list (no omitempty) stays even when empty: a Pod's containers.
        let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": []}});
        drop_unknown_fields(Kind::Pod, &mut pod);
        assert_eq!(pod["spec"]["containers"], json!([]));
    }

    #[test]
    fn unknown_fields_are_found_with_paths() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"bogus": 1, "containers": [{"name": "c", "image": "i", "nope": true}]}});
        assert_eq!(
            unknown_fields(Kind::Pod, &pod).unwrap(),
            ["spec.bogus", "spec.containers[0].nope"]
        );
        let e = field_validation(Kind::Pod, &pod, Some("Strict")).unwrap_err();
        assert_eq!(
            e.message,
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.bogus\", unknown field \"spec.containers[0].nope\""
        );
        assert!(field_validation(Kind::Pod, &pod, Some("Ignore")).unwrap().is_empty());
    }

    #[test]
    fn unknown_fields_are_not_kept() {
        let mut cm = json!({"metadata": {"name": "c", "bogusMeta": 1}, "bogusTop": 1,
            "data": {"k": "v"}});
        drop_unknown_fields(Kind::ConfigMap, &mut cm);
        assert_eq!(cm, json!({"metadata": {"name": "c"}, "data": {"k": "v"}}));
    }

    #[test]
    fn wrong_types_are_400() {
        let cm = json!({"metadata": {"name": "c"}, "data": {"k": 1}});
        assert_eq!(unknown_fields(Kind::ConfigMap, &cm).unwrap_err().code, 400);
        assert_eq!(check_type(Kind::Pod, &json!({"kind": "ConfigMap"})).unwrap_err().code, 400);
        let e = check_type(Kind::ConfigMap, &json!({"apiVersion": "batch/v1", "kind": "Job"}));
        assert_eq!(
            e.unwrap_err().message,
            "Job in version \"v1\" cannot be handled as a ConfigMap: converting (v1.Job) to (core.ConfigMap): unknown conversion"
        );
        let e = check_type(Kind::ConfigMap, &json!({"apiVersion": "v1", "kind": "Widget"}));
        assert!(e.unwrap_err().message.contains("no kind \"Widget\" is registered"));
        assert_eq!(parse_json(Kind::Pod, b"{nope").unwrap_err().code, 400);
    }
}
