//! "May I?": `SelfSubjectAccessReview`, the question `kubectl auth can-i` asks, and the
//! up-front check bulk writes make so that a read-only context ends with one `forbidden` line
//! before anything is sent (kubectl's `pkg/cmd/auth/cani.go` `CanIOptions.RunAccessCheck`
//! sends the same review: `spec.resourceAttributes` {namespace, verb, group, resource}, and
//! reads `status.allowed`).

use http::{Method, Request};
use serde::Deserialize;

use super::errors::RequestInfo;
use super::request::{Cluster, Replay};
use crate::error::{Error, Result};

/// Where reviews are created.
const PATH: &str = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

/// The API server's answer to a [`Cluster::access`] question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// RBAC (or another authorizer) allows it.
    pub allowed: bool,
    /// An authorizer said no outright (RBAC never does: it has no deny rules, so a refusal is
    /// `allowed: false, denied: false`).
    pub denied: bool,
    /// The authorizer's words, often empty when not allowed.
    pub reason: String,
}

#[derive(Deserialize, Default)]
struct Review {
    #[serde(default)]
    status: ReviewStatus,
}

#[derive(Deserialize, Default)]
struct ReviewStatus {
    #[serde(default)]
    allowed: bool,
    #[serde(default)]
    denied: bool,
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "evaluationError")]
    evaluation_error: String,
}

/// The review's request body.
fn review_body(verb: &str, group: &str, resource: &str, namespace: Option<&str>) -> Vec<u8> {
    let mut attributes = serde_json::json!({"verb": verb, "group": group, "resource": resource});
    if let Some(ns) = namespace {
        attributes["namespace"] = ns.into();
    }
    serde_json::to_vec(&serde_json::json!({
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "spec": {"resourceAttributes": attributes},
    }))
    .unwrap_or_default()
}

impl Cluster {
    /// Whether the current user may `verb` `resource` in API `group` (empty for core) in
    /// `namespace` (`None`: across all namespaces, or a cluster-scoped resource).
    pub async fn can_i(
        &self,
        verb: &str,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> Result<bool> {
        Ok(self.access(verb, group, resource, namespace).await?.allowed)
    }

    /// [`Cluster::can_i`] with the authorizer's reason. A review has no side effects, so it is
    /// retried like a read.
    pub async fn access(
        &self,
        verb: &str,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> Result<Access> {
        let mut request = Request::new(review_body(verb, group, resource, namespace));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = PATH.parse().map_err(|e| Error::Usage(format!("{e}")))?;
        request
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        let info = RequestInfo {
            verb: "create",
            plural: "selfsubjectaccessreviews".into(),
            group: "authorization.k8s.io".into(),
            kind: "object",
            namespace: None,
            name: None,
        };
        let bytes = self.send_raw(request, &info, Replay::Idempotent).await.0?;
        let review: Review = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Decode(format!("create selfsubjectaccessreviews: {e}")))?;
        let ReviewStatus { allowed, denied, mut reason, evaluation_error } = review.status;
        if !evaluation_error.is_empty() {
            reason = if reason.is_empty() {
                evaluation_error
            } else {
                format!("{reason}; {evaluation_error}")
            };
        }
        Ok(Access { allowed, denied, reason })
    }

    /// Before a bulk write: refuses it with one [`Error::Forbidden`] when the user may `verb`
    /// `resource` in none of `namespaces` (`None` for cluster-scoped resources or all
    /// namespaces), so a read-only context sends nothing and prints one line rather than a
    /// refusal per object. Allowed in some namespaces: `Ok`, and the refused objects fail one
    /// by one (a partial result). When the review itself cannot be made (a server without the
    /// authorization API, a review refused), `Ok`: the writes' own 403s decide.
    pub async fn require(
        &self,
        verb: &str,
        group: &str,
        resource: &str,
        namespaces: &[Option<&str>],
    ) -> Result<()> {
        use futures::StreamExt as _;
        let mut distinct: Vec<Option<&str>> = namespaces.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let Some(&first) = distinct.first() else { return Ok(()) };
        // One question when the answer is the same everywhere (a cluster-wide grant, or a
        // single namespace); one per namespace, a few at a time, only when it is not.
        let everywhere = if distinct.len() > 1 { None } else { first };
        match self.can_i(verb, group, resource, everywhere).await {
            Ok(true) => return Ok(()),
            Ok(false) if distinct.len() == 1 => {
                return Err(forbidden(verb, group, resource, first));
            }
            Ok(false) => {}
            Err(err) => {
                super::trace::log(4, || format!("cannot ask whether {verb} is allowed: {err}"));
                return Ok(());
            }
        }
        let answers: Vec<Result<bool>> = futures::stream::iter(distinct.iter().copied())
            .map(|namespace| self.can_i(verb, group, resource, namespace))
            .buffered(8)
            .collect()
            .await;
        if answers.iter().all(|a| matches!(a, Ok(false))) {
            Err(forbidden(verb, group, resource, first))
        } else {
            Ok(())
        }
    }
}

/// The error a refused `verb` ends with, as a 403 from the write itself would be worded.
fn forbidden(verb: &str, group: &str, resource: &str, namespace: Option<&str>) -> Error {
    let qualified =
        if group.is_empty() { resource.to_owned() } else { format!("{resource}.{group}") };
    Error::Forbidden {
        verb: verb.to_owned(),
        resource: qualified,
        namespace: namespace.map(str::to_owned),
        message: "not allowed by a SelfSubjectAccessReview".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_asks_what_kubectl_auth_can_i_asks() {
        let body: serde_json::Value =
            serde_json::from_slice(&review_body("patch", "batch", "cronjobs", Some("ops")))
                .unwrap();
        assert_eq!(
            body["spec"]["resourceAttributes"],
            serde_json::json!({"verb": "patch", "group": "batch", "resource": "cronjobs",
                "namespace": "ops"})
        );
        let cluster: serde_json::Value =
            serde_json::from_slice(&review_body("patch", "", "nodes", None)).unwrap();
        assert!(cluster["spec"]["resourceAttributes"].get("namespace").is_none());
    }

    #[test]
    fn a_refusal_reads_like_the_writes_own_403() {
        assert_eq!(
            forbidden("patch", "batch", "cronjobs", Some("ops")).to_string(),
            "forbidden: cannot patch cronjobs.batch in namespace \"ops\""
        );
        assert_eq!(
            forbidden("patch", "", "nodes", None).to_string(),
            "forbidden: cannot patch nodes"
        );
    }
}
