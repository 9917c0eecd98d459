//! `ApiError`: every failure the sandbox reports, rendered as the `metav1.Status` body a real
//! API server sends (code, reason, message, details with causes).
//!
//! Message texts follow `k8s.io/apimachinery/pkg/api/errors/errors.go` (`NewNotFound`,
//! `NewAlreadyExists`, `NewConflict`, `NewInvalid`, `NewForbidden`, ...) and field error bodies
//! follow `k8s.io/apimachinery/pkg/util/validation/field/errors.go` (`ErrorBody`).

use serde_json::{Value, json};

use crate::kind::Kind;

/// One field problem, as `field.Error` renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `FieldValueInvalid`, `FieldValueRequired`, ... (the `CauseType`).
    pub reason: &'static str,
    /// The field path, e.g. `metadata.name`.
    pub field: String,
    /// `ErrorBody()`, e.g. `Invalid value: "x": must be no more than 52 characters`.
    pub body: String,
}

impl FieldError {
    /// `field.Invalid(path, value, detail)`.
    pub fn invalid(field: impl Into<String>, value: &str, detail: &str) -> FieldError {
        let body = if detail.is_empty() {
            format!("Invalid value: {}", quote(value))
        } else {
            format!("Invalid value: {}: {detail}", quote(value))
        };
        FieldError { reason: "FieldValueInvalid", field: field.into(), body }
    }

    /// `field.Invalid` for a non-string value (numbers print bare, as Go's `%v`).
    pub fn invalid_raw(field: impl Into<String>, value: &Value, detail: &str) -> FieldError {
        let shown = match value {
            Value::String(s) => quote(s),
            other => other.to_string(),
        };
        FieldError {
            reason: "FieldValueInvalid",
            field: field.into(),
            body: format!("Invalid value: {shown}: {detail}"),
        }
    }

    /// `field.Required(path, detail)`.
    pub fn required(field: impl Into<String>, detail: &str) -> FieldError {
        let body = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        FieldError { reason: "FieldValueRequired", field: field.into(), body }
    }

    /// `field.NotSupported(path, value, valid)`.
    pub fn not_supported(field: impl Into<String>, value: &str, valid: &[&str]) -> FieldError {
        let list: Vec<String> = valid.iter().map(|v| quote(v)).collect();
        FieldError {
            reason: "FieldValueNotSupported",
            field: field.into(),
            body: format!(
                "Unsupported value: {}: supported values: {}",
                quote(value),
                list.join(", ")
            ),
        }
    }

    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(field: impl Into<String>, detail: &str) -> FieldError {
        FieldError {
            reason: "FieldValueForbidden",
            field: field.into(),
            body: format!("Forbidden: {detail}"),
        }
    }

    /// A kuul-schedule validation error (already in API-server wording).
    pub fn from_schedule(e: &kuul_schedule::ValidationError) -> FieldError {
        let reason = if e.detail.starts_with("Required value") {
            "FieldValueRequired"
        } else if e.detail.starts_with("Unsupported value") {
            "FieldValueNotSupported"
        } else {
            "FieldValueInvalid"
        };
        FieldError { reason, field: e.field.clone(), body: e.detail.clone() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.body)
    }
}

/// Go's `%q` for the plain strings we quote (JSON escaping is the same for printable text).
fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// A failed request, with everything needed to render a `metav1.Status`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// HTTP status code.
    pub code: u16,
    /// `StatusReason`, e.g. `NotFound`.
    pub reason: &'static str,
    /// Human-readable message.
    pub message: String,
    /// `details`, when the real server sends them.
    pub details: Option<Box<Value>>,
    /// `Retry-After` seconds for 429 and some 500s.
    pub retry_after: Option<u64>,
    /// `metadata.continue` of the Status (the fresh token of an expired continue).
    pub list_continue: Option<String>,
}

/// `group/resource` as error messages print it: `cronjobs.batch`, `pods`.
pub fn qualified_resource(kind: Kind) -> String {
    if kind.group().is_empty() {
        kind.plural().to_string()
    } else {
        format!("{}.{}", kind.plural(), kind.group())
    }
}

fn qualified_kind(kind: Kind) -> String {
    if kind.group().is_empty() {
        kind.kind_name().to_string()
    } else {
        format!("{}.{}", kind.kind_name(), kind.group())
    }
}

fn resource_details(kind: Kind, name: &str) -> Value {
    let mut d = serde_json::Map::new();
    if !name.is_empty() {
        d.insert("name".into(), json!(name));
    }
    if !kind.group().is_empty() {
        d.insert("group".into(), json!(kind.group()));
    }
    d.insert("kind".into(), json!(kind.plural()));
    Value::Object(d)
}

impl ApiError {
    pub(crate) fn new(code: u16, reason: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
            retry_after: None,
            list_continue: None,
        }
    }

    /// 404 `pods "x" not found`.
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        let mut e = ApiError::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", qualified_resource(kind)),
        );
        e.details = Some(Box::new(resource_details(kind, name)));
        e
    }

    /// 404 for a path that names no resource: the body the real server's mux sends.
    pub fn path_not_found() -> ApiError {
        let mut e =
            ApiError::new(404, "NotFound", "the server could not find the requested resource");
        e.details = Some(Box::new(json!({})));
        e
    }

    /// 409 `cronjobs.batch "x" already exists`.
    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        let mut e = ApiError::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", qualified_resource(kind)),
        );
        e.details = Some(Box::new(resource_details(kind, name)));
        e
    }

    /// 409 Conflict with upstream's optimistic-concurrency message.
    pub fn conflict(kind: Kind, name: &str) -> ApiError {
        ApiError::conflict_with(
            kind,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// 409 Conflict with a specific reason text (`NewConflict`).
    pub fn conflict_with(kind: Kind, name: &str, why: &str) -> ApiError {
        let mut e = ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": {why}",
                qualified_resource(kind)
            ),
        );
        e.details = Some(Box::new(resource_details(kind, name)));
        e
    }

    /// 422 `CronJob.batch "x" is invalid: ...` with causes.
    pub fn invalid(kind: Kind, name: &str, errors: &[FieldError]) -> ApiError {
        // `field.ErrorList.ToAggregate` drops repeated messages.
        let mut seen = std::collections::BTreeSet::new();
        let unique: Vec<String> =
            errors.iter().map(ToString::to_string).filter(|m| seen.insert(m.clone())).collect();
        let joined = match unique.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let causes: Vec<Value> = errors
            .iter()
            .map(|f| json!({"reason": f.reason, "message": f.body, "field": f.field}))
            .collect();
        let mut details = serde_json::Map::new();
        // StatusDetails.name is omitempty: a nameless object's 422 has none.
        if !name.is_empty() {
            details.insert("name".into(), json!(name));
        }
        if !kind.group().is_empty() {
            details.insert("group".into(), json!(kind.group()));
        }
        details.insert("kind".into(), json!(kind.kind_name()));
        details.insert("causes".into(), Value::Array(causes));
        let mut e = ApiError::new(
            422,
            "Invalid",
            format!("{} \"{name}\" is invalid: {joined}", qualified_kind(kind)),
        );
        e.details = Some(Box::new(Value::Object(details)));
        e
    }

    /// 409 for a failed delete precondition (`rest.BeforeDelete`): the object is named by its
    /// kind, `Operation cannot be fulfilled on Job.batch "x": ...`, details `{name, group, kind}`.
    pub fn delete_precondition(kind: Kind, name: &str, why: &str) -> ApiError {
        let qualified = if kind.group().is_empty() {
            kind.kind_name().to_string()
        } else {
            format!("{}.{}", kind.kind_name(), kind.group())
        };
        let mut e = ApiError::new(
            409,
            "Conflict",
            format!("Operation cannot be fulfilled on {qualified} {name:?}: {why}"),
        );
        let mut details = serde_json::Map::new();
        details.insert("name".into(), json!(name));
        if !kind.group().is_empty() {
            details.insert("group".into(), json!(kind.group()));
        }
        details.insert("kind".into(), json!(kind.kind_name()));
        e.details = Some(Box::new(Value::Object(details)));
        e
    }

    /// 422 for invalid request options (`PatchOptions.meta.k8s.io "" is invalid: ...`).
    pub fn invalid_options(kind: &str, field: &str, detail: &str) -> ApiError {
        let mut e = ApiError::new(
            422,
            "Invalid",
            format!("{kind}.meta.k8s.io \"\" is invalid: {field}: Required value: {detail}"),
        );
        e.details = Some(Box::new(json!({"group": "meta.k8s.io", "kind": kind,
            "causes": [{"reason": "FieldValueRequired", "message": format!("Required value: {detail}"), "field": field}]})));
        e
    }

    /// 422 for an option value outside the allowed set (`ValidateDryRun`: `CreateOptions.meta.k8s.io
    /// "" is invalid: dryRun: Unsupported value: []string{"x"}: supported values: "All"`).
    pub fn invalid_options_cause(kind: &str, cause: &FieldError) -> ApiError {
        let mut e =
            ApiError::new(422, "Invalid", format!("{kind}.meta.k8s.io \"\" is invalid: {cause}"));
        e.details = Some(Box::new(json!({"group": "meta.k8s.io", "kind": kind,
            "causes": [{"reason": cause.reason, "message": cause.body, "field": cause.field}]})));
        e
    }

    /// 422 for request options with several problems (`ValidateListOptions`' error list).
    pub fn invalid_options_causes(kind: &str, causes: &[FieldError]) -> ApiError {
        let shown: Vec<String> = causes.iter().map(ToString::to_string).collect();
        let joined = match shown.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let mut e =
            ApiError::new(422, "Invalid", format!("{kind}.meta.k8s.io \"\" is invalid: {joined}"));
        let causes: Vec<Value> = causes
            .iter()
            .map(|c| json!({"reason": c.reason, "message": c.body, "field": c.field}))
            .collect();
        e.details = Some(Box::new(json!({"group": "meta.k8s.io", "kind": kind, "causes": causes})));
        e
    }

    /// 400 BadRequest.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "BadRequest", message)
    }

    /// 401 as the authenticator sends it.
    pub fn unauthorized() -> ApiError {
        ApiError::new(401, "Unauthorized", "Unauthorized")
    }

    /// 403 as the RBAC authorizer sends it (`NewForbidden` with the authorizer's reason).
    pub fn forbidden(
        kind: Kind,
        name: &str,
        user: &str,
        verb: &str,
        namespace: Option<&str>,
    ) -> ApiError {
        let what = if name.is_empty() {
            qualified_resource(kind)
        } else {
            format!("{} \"{name}\"", qualified_resource(kind))
        };
        let scope = match namespace {
            Some(ns) if kind.namespaced() => format!(" in the namespace \"{ns}\""),
            _ => " at the cluster scope".to_string(),
        };
        let message = format!(
            "{what} is forbidden: User \"{user}\" cannot {verb} resource \"{}\" in API group \"{}\"{scope}",
            kind.plural(),
            kind.group()
        );
        let mut e = ApiError::new(403, "Forbidden", message);
        e.details = Some(Box::new(resource_details(kind, name)));
        e
    }

    /// 403 from an admission plugin (`admission.NewForbidden` -> `NewForbidden(resource, name,
    /// err)`): `pods "x" is forbidden: <detail>`.
    pub fn forbidden_message(kind: Kind, name: &str, detail: &str) -> ApiError {
        let message =
            format!("{} {} is forbidden: {detail}", qualified_resource(kind), quote(name));
        let mut e = ApiError::new(403, "Forbidden", message);
        e.details = Some(Box::new(resource_details(kind, name)));
        e
    }

    /// 403 of the NamespaceLifecycle admission plugin for a create in a terminating namespace,
    /// with its `NamespaceTerminating` cause.
    pub fn namespace_terminating(kind: Kind, name: &str, namespace: &str) -> ApiError {
        let mut e = ApiError::forbidden_message(
            kind,
            name,
            &format!(
                "unable to create new content in namespace {namespace} because it is being terminated"
            ),
        );
        if let Some(d) = e.details.as_mut().and_then(|d| d.as_object_mut()) {
            d.insert(
                "causes".into(),
                json!([{"reason": "NamespaceTerminating",
                    "message": format!("namespace {namespace} is being terminated"),
                    "field": "metadata.namespace"}]),
            );
        }
        e
    }

    /// 405 MethodNotAllowed.
    pub fn method_not_allowed() -> ApiError {
        let mut e = ApiError::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        );
        e.details = Some(Box::new(json!({})));
        e
    }

    /// 413 for bodies over the 3 MiB limit.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            413,
            "RequestEntityTooLarge",
            format!("Request entity too large: limit is {limit}"),
        )
    }

    /// 410 Expired (old continue token or watch resourceVersion).
    pub fn expired(message: impl Into<String>) -> ApiError {
        ApiError::new(410, "Expired", message)
    }

    /// A plain (non-Status) error as `ErrorToAPIStatus` renders it: the code, no reason
    /// (`StatusReasonUnknown` is empty and omitted).
    pub fn unknown(code: u16, message: impl Into<String>) -> ApiError {
        ApiError::new(code, "", message)
    }

    /// 429 TooManyRequests with Retry-After.
    pub fn too_many_requests(retry_after: u64) -> ApiError {
        let mut e =
            ApiError::new(429, "TooManyRequests", "Too many requests, please try again later.");
        e.details = Some(Box::new(json!({"retryAfterSeconds": retry_after})));
        e.retry_after = Some(retry_after);
        e
    }

    /// 500 InternalError.
    pub fn internal(message: impl Into<String>) -> ApiError {
        let message = message.into();
        let mut e =
            ApiError::new(500, "InternalError", format!("Internal error occurred: {message}"));
        e.details = Some(Box::new(json!({"causes": [{"message": message}]})));
        e
    }

    /// 406 NotAcceptable.
    pub fn not_acceptable(message: impl Into<String>) -> ApiError {
        ApiError::new(406, "NotAcceptable", message)
    }

    /// 415 UnsupportedMediaType.
    pub fn unsupported_media_type(content_type: &str) -> ApiError {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {content_type})"
            ),
        )
    }

    /// 415 from the router (go-restful's `detectRoute` finds no route consuming the request's
    /// Content-Type, e.g. a PATCH whose type is none of the patch types the route `Consumes`),
    /// rendered by the API server's `serviceErrorHandler` through `NewGenericServerResponse`:
    /// go-restful's message and empty details (apiserver pkg/server/handler.go, v1.32).
    pub fn no_route_for_media_type() -> ApiError {
        let mut e = ApiError::new(415, "UnsupportedMediaType", "415: Unsupported Media Type");
        e.details = Some(Box::new(json!({})));
        e
    }

    /// The `metav1.Status` body.
    pub fn to_status(&self) -> Value {
        let mut s = serde_json::Map::new();
        s.insert("kind".into(), json!("Status"));
        s.insert("apiVersion".into(), json!("v1"));
        s.insert(
            "metadata".into(),
            match &self.list_continue {
                Some(c) => json!({"continue": c}),
                None => json!({}),
            },
        );
        s.insert("status".into(), json!("Failure"));
        s.insert("message".into(), json!(self.message));
        if !self.reason.is_empty() {
            s.insert("reason".into(), json!(self.reason));
        }
        if let Some(d) = &self.details {
            s.insert("details".into(), Value::clone(d));
        }
        s.insert("code".into(), json!(self.code));
        Value::Object(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_message_matches_rbac() {
        let e = ApiError::forbidden(Kind::CronJob, "nightly", "viewer", "patch", Some("ops"));
        assert_eq!(
            e.message,
            "cronjobs.batch \"nightly\" is forbidden: User \"viewer\" cannot patch resource \"cronjobs\" in API group \"batch\" in the namespace \"ops\""
        );
        assert_eq!(
            e.to_status()["details"],
            json!({"name":"nightly","group":"batch","kind":"cronjobs"})
        );
    }

    #[test]
    fn invalid_joins_several_causes_in_brackets() {
        let errs = [
            FieldError::required("metadata.name", "name or generateName is required"),
            FieldError::invalid("spec.schedule", "x", "bad"),
        ];
        let e = ApiError::invalid(Kind::Pod, "p", &errs);
        assert_eq!(
            e.message,
            "Pod \"p\" is invalid: [metadata.name: Required value: name or generateName is required, spec.schedule: Invalid value: \"x\": bad]"
        );
        assert_eq!(e.to_status()["details"]["causes"][1]["field"], "spec.schedule");
    }
}
