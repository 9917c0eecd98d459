//! Decoding of `application/vnd.kubernetes.protobuf` request bodies into JSON objects.
//!
//! kubectl's typed clients (client-go's clientset defaults to protobuf since 1.30) send
//! protobuf bodies, e.g. `kubectl create job --from=cronjob/X` and `kubectl create configmap`,
//! and client-go 1.32 falls back to JSON on 415 only for CBOR. So the sandbox reads the protobuf
//! envelope (`k8s\0` + `runtime.Unknown{typeMeta, raw}`,
//! `apimachinery/pkg/runtime/serializer/protobuf/protobuf.go`) and decodes `raw` with a schema
//! table for the messages of the kinds it serves. Field numbers are those of the upstream
//! `generated.proto` files (k8s.io/api `core/v1`, `batch/v1`; apimachinery `meta/v1`). Fields
//! outside the table are skipped; the JSON result goes through the same validation as any body.

use base64::Engine;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::kind::Kind;

/// The protobuf magic prefix of Kubernetes objects.
const MAGIC: &[u8] = b"k8s\0";

/// A message type of the schema table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Msg {
    Unknown,
    TypeMeta,
    ObjectMeta,
    OwnerReference,
    LabelSelector,
    LabelSelectorRequirement,
    CronJob,
    CronJobSpec,
    JobTemplateSpec,
    Job,
    JobSpec,
    PodTemplateSpec,
    Pod,
    PodSpec,
    Container,
    EnvVar,
    ContainerPort,
    VolumeMount,
    ResourceRequirements,
    Toleration,
    LocalObjectReference,
    Empty,
    ConfigMap,
    Secret,
    ResourceQuota,
    ResourceQuotaSpec,
    Namespace,
    NamespaceSpec,
    SelfSubjectAccessReview,
    SelfSubjectAccessReviewSpec,
    ResourceAttributes,
    NonResourceAttributes,
}

/// How a field's value is decoded.
#[derive(Debug, Clone, Copy)]
enum Ty {
    Str,
    Int,
    Bool,
    Bytes,
    Time,
    Msg(Msg),
    MapStr,
    MapBytes,
    MapQuantity,
}

/// (field number, JSON name, type, repeated)
type Field = (u64, &'static str, Ty, bool);

fn fields(m: Msg) -> &'static [Field] {
    use Ty::{Bool, Bytes, Int, MapBytes, MapQuantity, MapStr, Str, Time};
    match m {
        Msg::Unknown => &[(1, "typeMeta", Ty::Msg(Msg::TypeMeta), false), (2, "raw", Bytes, false)],
        Msg::TypeMeta => &[(1, "apiVersion", Str, false), (2, "kind", Str, false)],
        Msg::ObjectMeta => &[
            (1, "name", Str, false),
            (2, "generateName", Str, false),
            (3, "namespace", Str, false),
            (5, "uid", Str, false),
            (6, "resourceVersion", Str, false),
            (7, "generation", Int, false),
            (8, "creationTimestamp", Time, false),
            (10, "deletionGracePeriodSeconds", Int, false),
            (11, "labels", MapStr, false),
            (12, "annotations", MapStr, false),
            (13, "ownerReferences", Ty::Msg(Msg::OwnerReference), true),
            (14, "finalizers", Str, true),
        ],
        Msg::OwnerReference => &[
            (1, "kind", Str, false),
            (3, "name", Str, false),
            (4, "uid", Str, false),
            (5, "apiVersion", Str, false),
            (6, "controller", Bool, false),
            (7, "blockOwnerDeletion", Bool, false),
        ],
        Msg::LabelSelector => &[
            (1, "matchLabels", MapStr, false),
            (2, "matchExpressions", Ty::Msg(Msg::LabelSelectorRequirement), true),
        ],
        Msg::LabelSelectorRequirement => {
            &[(1, "key", Str, false), (2, "operator", Str, false), (3, "values", Str, true)]
        }
        Msg::CronJob => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::CronJobSpec), false),
        ],
        Msg::CronJobSpec => &[
            (1, "schedule", Str, false),
            (2, "startingDeadlineSeconds", Int, false),
            (3, "concurrencyPolicy", Str, false),
            (4, "suspend", Bool, false),
            (5, "jobTemplate", Ty::Msg(Msg::JobTemplateSpec), false),
            (6, "successfulJobsHistoryLimit", Int, false),
            (7, "failedJobsHistoryLimit", Int, false),
            (8, "timeZone", Str, false),
        ],
        Msg::JobTemplateSpec => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::JobSpec), false),
        ],
        Msg::Job => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::JobSpec), false),
        ],
        Msg::JobSpec => &[
            (1, "parallelism", Int, false),
            (2, "completions", Int, false),
            (3, "activeDeadlineSeconds", Int, false),
            (4, "selector", Ty::Msg(Msg::LabelSelector), false),
            (5, "manualSelector", Bool, false),
            (6, "template", Ty::Msg(Msg::PodTemplateSpec), false),
            (7, "backoffLimit", Int, false),
            (8, "ttlSecondsAfterFinished", Int, false),
            (9, "completionMode", Str, false),
            (10, "suspend", Bool, false),
            (12, "backoffLimitPerIndex", Int, false),
            (13, "maxFailedIndexes", Int, false),
            (14, "podReplacementPolicy", Str, false),
            (15, "managedBy", Str, false),
        ],
        Msg::PodTemplateSpec => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::PodSpec), false),
        ],
        Msg::Pod => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::PodSpec), false),
        ],
        Msg::PodSpec => &[
            (2, "containers", Ty::Msg(Msg::Container), true),
            (3, "restartPolicy", Str, false),
            (4, "terminationGracePeriodSeconds", Int, false),
            (5, "activeDeadlineSeconds", Int, false),
            (6, "dnsPolicy", Str, false),
            (7, "nodeSelector", MapStr, false),
            (8, "serviceAccountName", Str, false),
            (9, "serviceAccount", Str, false),
            (10, "nodeName", Str, false),
            (11, "hostNetwork", Bool, false),
            (14, "securityContext", Ty::Msg(Msg::Empty), false),
            (15, "imagePullSecrets", Ty::Msg(Msg::LocalObjectReference), true),
            (16, "hostname", Str, false),
            (17, "subdomain", Str, false),
            (19, "schedulerName", Str, false),
            (20, "initContainers", Ty::Msg(Msg::Container), true),
            (21, "automountServiceAccountToken", Bool, false),
            (22, "tolerations", Ty::Msg(Msg::Toleration), true),
            (24, "priorityClassName", Str, false),
            (25, "priority", Int, false),
            (29, "runtimeClassName", Str, false),
            (30, "enableServiceLinks", Bool, false),
            (31, "preemptionPolicy", Str, false),
        ],
        Msg::Container => &[
            (1, "name", Str, false),
            (2, "image", Str, false),
            (3, "command", Str, true),
            (4, "args", Str, true),
            (5, "workingDir", Str, false),
            (6, "ports", Ty::Msg(Msg::ContainerPort), true),
            (7, "env", Ty::Msg(Msg::EnvVar), true),
            (8, "resources", Ty::Msg(Msg::ResourceRequirements), false),
            (9, "volumeMounts", Ty::Msg(Msg::VolumeMount), true),
            (13, "terminationMessagePath", Str, false),
            (14, "imagePullPolicy", Str, false),
            (15, "securityContext", Ty::Msg(Msg::Empty), false),
            (16, "stdin", Bool, false),
            (17, "stdinOnce", Bool, false),
            (18, "tty", Bool, false),
            (20, "terminationMessagePolicy", Str, false),
        ],
        Msg::EnvVar => &[(1, "name", Str, false), (2, "value", Str, false)],
        Msg::ContainerPort => &[
            (1, "name", Str, false),
            (2, "hostPort", Int, false),
            (3, "containerPort", Int, false),
            (4, "protocol", Str, false),
            (5, "hostIP", Str, false),
        ],
        Msg::VolumeMount => &[
            (1, "name", Str, false),
            (2, "readOnly", Bool, false),
            (3, "mountPath", Str, false),
            (4, "subPath", Str, false),
        ],
        Msg::ResourceRequirements => {
            &[(1, "limits", MapQuantity, false), (2, "requests", MapQuantity, false)]
        }
        Msg::Toleration => &[
            (1, "key", Str, false),
            (2, "operator", Str, false),
            (3, "value", Str, false),
            (4, "effect", Str, false),
            (5, "tolerationSeconds", Int, false),
        ],
        Msg::LocalObjectReference => &[(1, "name", Str, false)],
        Msg::Empty => &[],
        Msg::ConfigMap => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "data", MapStr, false),
            (3, "binaryData", MapBytes, false),
            (4, "immutable", Bool, false),
        ],
        // k8s.io/api core/v1 generated.proto: Secret, ResourceQuota(Spec) (what `kubectl create
        // secret` and `kubectl create quota` send).
        Msg::Secret => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "data", MapBytes, false),
            (3, "type", Str, false),
            (4, "stringData", MapStr, false),
            (5, "immutable", Bool, false),
        ],
        Msg::ResourceQuota => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::ResourceQuotaSpec), false),
        ],
        Msg::ResourceQuotaSpec => &[(1, "hard", MapQuantity, false), (2, "scopes", Str, true)],
        Msg::Namespace => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::NamespaceSpec), false),
        ],
        Msg::NamespaceSpec => &[(1, "finalizers", Str, true)],
        // k8s.io/api authorization/v1 generated.proto (status, field 3, is the answer: not read).
        Msg::SelfSubjectAccessReview => &[
            (1, "metadata", Ty::Msg(Msg::ObjectMeta), false),
            (2, "spec", Ty::Msg(Msg::SelfSubjectAccessReviewSpec), false),
        ],
        Msg::SelfSubjectAccessReviewSpec => &[
            (1, "resourceAttributes", Ty::Msg(Msg::ResourceAttributes), false),
            (2, "nonResourceAttributes", Ty::Msg(Msg::NonResourceAttributes), false),
        ],
        Msg::ResourceAttributes => &[
            (1, "namespace", Str, false),
            (2, "verb", Str, false),
            (3, "group", Str, false),
            (4, "version", Str, false),
            (5, "resource", Str, false),
            (6, "subresource", Str, false),
            (7, "name", Str, false),
        ],
        Msg::NonResourceAttributes => &[(1, "path", Str, false), (2, "verb", Str, false)],
    }
}

fn bad(what: &str) -> ApiError {
    ApiError::bad_request(format!("unable to decode protobuf body: {what}"))
}

/// One raw wire field.
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Skipped,
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, ApiError> {
        let mut v = 0u64;
        for i in 0..10 {
            let (&b, rest) = self.buf.split_first().ok_or_else(|| bad("truncated varint"))?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(bad("varint too long"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ApiError> {
        if n > self.buf.len() {
            return Err(bad("truncated field"));
        }
        let (a, b) = self.buf.split_at(n);
        self.buf = b;
        Ok(a)
    }

    fn next(&mut self) -> Result<Option<(u64, Wire<'a>)>, ApiError> {
        if self.buf.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let (num, wt) = (key >> 3, key & 7);
        let w = match wt {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Wire::Skipped
            }
            2 => {
                let n = usize::try_from(self.varint()?).map_err(|_| bad("length"))?;
                Wire::Bytes(self.take(n)?)
            }
            5 => {
                self.take(4)?;
                Wire::Skipped
            }
            _ => return Err(bad("unsupported wire type")),
        };
        Ok(Some((num, w)))
    }
}

fn string(b: &[u8]) -> Result<String, ApiError> {
    String::from_utf8(b.to_vec()).map_err(|_| bad("string is not UTF-8"))
}

/// A `map<string, X>` entry: key = 1, value = 2.
fn map_entry(b: &[u8]) -> Result<(String, Option<&[u8]>), ApiError> {
    let mut r = Reader { buf: b };
    let (mut k, mut v) = (String::new(), None);
    while let Some((num, w)) = r.next()? {
        match (num, w) {
            (1, Wire::Bytes(x)) => k = string(x)?,
            (2, Wire::Bytes(x)) => v = Some(x),
            _ => {}
        }
    }
    Ok((k, v))
}

fn quantity(b: &[u8]) -> Result<Value, ApiError> {
    let mut r = Reader { buf: b };
    while let Some((num, w)) = r.next()? {
        if let (1, Wire::Bytes(s)) = (num, w) {
            return Ok(Value::String(string(s)?));
        }
    }
    Ok(Value::String("0".into()))
}

/// `metav1.Time`; Go always marshals the non-pointer `creationTimestamp`, the zero time as
/// seconds <= 0, which JSON renders as `null`.
fn time(b: &[u8]) -> Result<Value, ApiError> {
    let mut r = Reader { buf: b };
    let mut secs = 0i64;
    while let Some((num, w)) = r.next()? {
        if let (1, Wire::Varint(v)) = (num, w) {
            secs = v.cast_signed();
        }
    }
    if secs <= 0 {
        return Ok(Value::Null);
    }
    Ok(jiff::Timestamp::from_second(secs).map_or(Value::Null, |t| Value::String(t.to_string())))
}

/// Go's protobuf marshalling writes non-pointer scalars even when zero; their JSON tags are
/// `omitempty`, so zero values of these fields mean "unset". (Pointer fields such as
/// `suspend` or `backoffLimit` keep their zero values.)
fn omitted_when_zero(name: &str, v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Null => true,
        Value::Bool(false) => {
            matches!(name, "stdin" | "stdinOnce" | "tty" | "hostNetwork" | "readOnly")
        }
        Value::Number(n) => n.as_i64() == Some(0) && matches!(name, "generation" | "hostPort"),
        _ => false,
    }
}

fn decode_msg(m: Msg, b: &[u8]) -> Result<Value, ApiError> {
    let table = fields(m);
    let mut out = Map::new();
    let mut r = Reader { buf: b };
    while let Some((num, w)) = r.next()? {
        let Some(&(_, name, ty, repeated)) = table.iter().find(|f| f.0 == num) else { continue };
        let v = match (ty, w) {
            (Ty::Str, Wire::Bytes(x)) => Value::String(string(x)?),
            (Ty::Bytes, Wire::Bytes(x)) => {
                Value::String(base64::engine::general_purpose::STANDARD.encode(x))
            }
            (Ty::Int, Wire::Varint(v)) => json!(v.cast_signed()),
            (Ty::Bool, Wire::Varint(v)) => json!(v != 0),
            (Ty::Time, Wire::Bytes(x)) => time(x)?,
            (Ty::Msg(inner), Wire::Bytes(x)) => decode_msg(inner, x)?,
            (Ty::MapStr | Ty::MapBytes | Ty::MapQuantity, Wire::Bytes(x)) => {
                let (k, v) = map_entry(x)?;
                let v = match (ty, v) {
                    (Ty::MapQuantity, Some(q)) => quantity(q)?,
                    (Ty::MapBytes, v) => Value::String(
                        base64::engine::general_purpose::STANDARD.encode(v.unwrap_or_default()),
                    ),
                    (_, v) => Value::String(string(v.unwrap_or_default())?),
                };
                let entry = out.entry(name).or_insert_with(|| json!({}));
                if let Some(map) = entry.as_object_mut() {
                    map.insert(k, v);
                }
                continue;
            }
            // A wire type that does not fit the table: skip rather than guess.
            _ => continue,
        };
        if !repeated && omitted_when_zero(name, &v) {
            continue;
        }
        if repeated {
            let entry = out.entry(name).or_insert_with(|| json!([]));
            if let Some(list) = entry.as_array_mut() {
                list.push(v);
            }
        } else {
            out.insert(name.to_string(), v);
        }
    }
    Ok(Value::Object(out))
}

fn message_for(kind: Kind) -> Option<Msg> {
    match kind {
        Kind::Job => Some(Msg::Job),
        Kind::CronJob => Some(Msg::CronJob),
        Kind::Pod => Some(Msg::Pod),
        Kind::ConfigMap => Some(Msg::ConfigMap),
        Kind::Secret => Some(Msg::Secret),
        Kind::ResourceQuota => Some(Msg::ResourceQuota),
        Kind::Namespace => Some(Msg::Namespace),
        Kind::Node | Kind::Event => None,
    }
}

/// Decodes a protobuf request body for `kind` into the JSON object it stands for.
pub fn decode(kind: Kind, body: &[u8]) -> Result<Value, ApiError> {
    let msg = message_for(kind)
        .ok_or_else(|| ApiError::unsupported_media_type("application/vnd.kubernetes.protobuf"))?;
    decode_as(msg, body, kind.api_version(), kind.kind_name())
}

/// Decodes a protobuf `SelfSubjectAccessReview` (what `kubectl auth can-i` sends).
pub fn decode_access_review(body: &[u8]) -> Result<Value, ApiError> {
    decode_as(
        Msg::SelfSubjectAccessReview,
        body,
        "authorization.k8s.io/v1",
        "SelfSubjectAccessReview",
    )
}

fn decode_as(msg: Msg, body: &[u8], api_version: &str, kind: &str) -> Result<Value, ApiError> {
    let envelope = body.strip_prefix(MAGIC).ok_or_else(|| bad("missing k8s magic prefix"))?;
    let unknown = decode_msg(Msg::Unknown, envelope)?;
    let raw = unknown
        .get("raw")
        .and_then(Value::as_str)
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
        .unwrap_or_default();
    let mut obj = decode_msg(msg, &raw)?;
    if let Some(m) = obj.as_object_mut() {
        let tm = unknown.get("typeMeta");
        let api_version =
            tm.and_then(|t| t.get("apiVersion")).cloned().unwrap_or_else(|| json!(api_version));
        let k = tm.and_then(|t| t.get("kind")).cloned().unwrap_or_else(|| json!(kind));
        m.insert("apiVersion".into(), api_version);
        m.insert("kind".into(), k);
    }
    Ok(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    fn field_bytes(num: u64, b: &[u8], out: &mut Vec<u8>) {
        varint(num << 3 | 2, out);
        varint(b.len() as u64, out);
        out.extend_from_slice(b);
    }

    fn field_varint(num: u64, v: u64, out: &mut Vec<u8>) {
        varint(num << 3, out);
        varint(v, out);
    }

    #[test]
    fn decodes_a_configmap_envelope() {
        let mut meta = Vec::new();
        field_bytes(1, b"settings", &mut meta);
        field_bytes(3, b"ops", &mut meta);
        let mut entry = Vec::new();
        field_bytes(1, b"k", &mut entry);
        field_bytes(2, b"v", &mut entry);
        let mut cm = Vec::new();
        field_bytes(1, &meta, &mut cm);
        field_bytes(2, &entry, &mut cm);
        field_varint(4, 1, &mut cm);
        let mut tm = Vec::new();
        field_bytes(1, b"v1", &mut tm);
        field_bytes(2, b"ConfigMap", &mut tm);
        let mut unknown = Vec::new();
        field_bytes(1, &tm, &mut unknown);
        field_bytes(2, &cm, &mut unknown);
        let mut body = MAGIC.to_vec();
        body.extend_from_slice(&unknown);
        let v = decode(Kind::ConfigMap, &body).unwrap();
        assert_eq!(
            v,
            json!({"metadata": {"name": "settings", "namespace": "ops"}, "data": {"k": "v"},
                "immutable": true, "apiVersion": "v1", "kind": "ConfigMap"})
        );
        assert_eq!(decode(Kind::ConfigMap, b"nope").unwrap_err().code, 400);
    }
}
