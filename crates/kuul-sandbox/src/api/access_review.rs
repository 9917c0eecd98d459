//! `SelfSubjectAccessReview` (`POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`):
//! "may I do this?", answered by the same RBAC rules that authorize requests
//! ([`User::may`]), in the shape the API server sends.
//!
//! Upstream: `pkg/registry/authorization/selfsubjectaccessreview/rest.go` `REST.Create` (the
//! spec is echoed, `status` is `{allowed: decision == Allow, denied: decision == Deny, reason}`,
//! answered with 201 Created and never stored) and
//! `plugin/pkg/auth/authorizer/rbac/rbac.go` `RBACAuthorizer.Authorize` (an allowed request's
//! reason is `RBAC: allowed by ClusterRoleBinding "NAME" of ClusterRole "ROLE" to User "USER"`;
//! a request no rule allows is `NoOpinion` with an empty reason, so `denied` stays false and
//! `kubectl auth can-i` prints a bare `no`). Every authenticated user may create one
//! (`system:basic-user`), so this endpoint is never refused by RBAC.
//! Validation: `pkg/apis/authorization/validation/validation.go`
//! `ValidateSelfSubjectAccessReviewSpec` (exactly one of resourceAttributes and
//! nonResourceAttributes).

use serde_json::{Value, json};

use crate::auth::User;
use crate::error::ApiError;

/// The API group.
pub const GROUP: &str = "authorization.k8s.io";

/// The ClusterRoleBinding and ClusterRole that grant `user` what it may do (what RBAC's
/// reason names).
fn binding(user: User) -> (&'static str, &'static str) {
    match user {
        User::Admin => ("kuul-sandbox-admin", "cluster-admin"),
        User::Viewer => ("kuul-sandbox-viewer", "view"),
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Answers a review request body (JSON, or protobuf as kubectl's typed client sends it, by
/// `content_type`) for `user`: the object to send back with 201.
pub fn review(user: User, content_type: &str, body: &[u8]) -> Result<Value, ApiError> {
    let mut object: Value = if content_type.starts_with("application/vnd.kubernetes.protobuf") {
        super::protobuf::decode_access_review(body)?
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!(
                "error decoding SelfSubjectAccessReview: couldn't get version/kind; json parse error: {e}"
            ))
        })?
    };
    if !object.is_object() {
        return Err(ApiError::bad_request("SelfSubjectAccessReview must be a JSON object"));
    }
    let spec = object.get("spec").cloned().unwrap_or(Value::Null);
    let resource = spec.get("resourceAttributes").filter(|v| !v.is_null());
    let non_resource = spec.get("nonResourceAttributes").filter(|v| !v.is_null());
    let invalid = |field: &str, value: &str, detail: &str| {
        ApiError::new(
            422,
            "Invalid",
            format!(
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.{field}: \
                 Invalid value: {value}: {detail}"
            ),
        )
    };
    let verb = match (resource, non_resource) {
        (Some(_), Some(n)) => {
            return Err(invalid(
                "nonResourceAttributes",
                &n.to_string(),
                "cannot be specified in combination with resourceAttributes",
            ));
        }
        (None, None) => {
            return Err(invalid(
                "resourceAttributes",
                "\"null\"",
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            ));
        }
        (Some(r), None) => str_field(r, "verb"),
        (None, Some(n)) => str_field(n, "verb"),
    };
    // RBAC: a rule's verbs match exactly or by `*`; cluster-admin has `*`, view has
    // get/list/watch (non-resource URLs: system:discovery/public-info-viewer grant `get`).
    let allowed = !verb.is_empty() && (user.may(verb) || (non_resource.is_some() && verb == "get"));
    let mut status = serde_json::Map::new();
    status.insert("allowed".into(), json!(allowed));
    if allowed {
        let (name, role) = binding(user);
        status.insert(
            "reason".into(),
            json!(format!(
                "RBAC: allowed by ClusterRoleBinding \"{name}\" of ClusterRole \"{role}\" to User \"{}\"",
                user.name()
            )),
        );
    }
    object["kind"] = json!("SelfSubjectAccessReview");
    object["apiVersion"] = json!(format!("{GROUP}/v1"));
    object["metadata"] = json!({"creationTimestamp": null});
    object["spec"] = spec;
    object["status"] = Value::Object(status);
    Ok(object)
}

/// The `APIResourceList` for `authorization.k8s.io/v1` (only the review the sandbox serves).
pub fn resource_list() -> Value {
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": format!("{GROUP}/v1"),
        "resources": [{
            "name": "selfsubjectaccessreviews",
            "singularName": "selfsubjectaccessreview",
            "namespaced": false,
            "kind": "SelfSubjectAccessReview",
            "verbs": ["create"]
        }]
    })
}

/// The group in `/apis` and `/apis/authorization.k8s.io`.
pub fn group() -> Value {
    json!({"name": GROUP, "versions": [{"groupVersion": format!("{GROUP}/v1"), "version": "v1"}],
        "preferredVersion": {"groupVersion": format!("{GROUP}/v1"), "version": "v1"}})
}

/// The group's entry in aggregated discovery (`APIGroupDiscovery`).
pub fn aggregated() -> Value {
    json!({
        "metadata": {"name": GROUP, "creationTimestamp": null},
        "versions": [{
            "version": "v1",
            "resources": [{
                "resource": "selfsubjectaccessreviews",
                "responseKind": {"group": GROUP, "version": "v1", "kind": "SelfSubjectAccessReview"},
                "scope": "Cluster",
                "singularResource": "selfsubjectaccessreview",
                "verbs": ["create"]
            }],
            "freshness": "Current"
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(user: User, verb: &str) -> Value {
        let body = json!({"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": null},
            "spec": {"resourceAttributes": {"namespace": "ops", "verb": verb, "group": "batch",
                "resource": "cronjobs"}},
            "status": {"allowed": false}});
        review(user, "application/json", body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn rbac_answers_as_the_api_server_does() {
        let yes = ask(User::Admin, "patch");
        assert_eq!(
            yes["status"],
            json!({"allowed": true, "reason": "RBAC: allowed by ClusterRoleBinding \"kuul-sandbox-admin\" of ClusterRole \"cluster-admin\" to User \"admin\""})
        );
        assert_eq!(yes["spec"]["resourceAttributes"]["namespace"], "ops");
        // No rule allows it: NoOpinion, no reason, not `denied`.
        assert_eq!(ask(User::Viewer, "patch")["status"], json!({"allowed": false}));
        assert_eq!(ask(User::Viewer, "list")["status"]["allowed"], true);
    }

    #[test]
    fn exactly_one_kind_of_attributes() {
        let none = review(User::Admin, "", br#"{"spec":{}}"#).unwrap_err();
        assert_eq!(none.code, 422);
        assert!(none.message.contains("exactly one of"), "{}", none.message);
        let both = br#"{"spec":{"resourceAttributes":{"verb":"get"},"nonResourceAttributes":{"verb":"get","path":"/api"}}}"#;
        assert_eq!(review(User::Admin, "", both).unwrap_err().code, 422);
        let url = br#"{"spec":{"nonResourceAttributes":{"verb":"get","path":"/healthz"}}}"#;
        assert_eq!(review(User::Viewer, "", url).unwrap()["status"]["allowed"], true);
        assert_eq!(review(User::Admin, "", b"[").unwrap_err().code, 400);
    }
}
