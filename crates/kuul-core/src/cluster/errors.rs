//! Turning what the API server (or the network) said into [`Error`]s that name the verb, the
//! resource and the namespace, as DESIGN.md asks ("a 403 names the verb, resource and namespace
//! that RBAC refused").

use std::time::Duration;

use http::StatusCode;
use kube::Resource;

use super::request::decode_status;
use crate::error::Error;

/// What a request was about, for error messages.
#[derive(Debug, Clone)]
pub(crate) struct RequestInfo {
    /// RBAC verb: get, list, create, patch, delete...
    pub(crate) verb: &'static str,
    /// Plural resource, e.g. `cronjobs`.
    pub(crate) plural: String,
    /// API group, empty for core.
    pub(crate) group: String,
    /// Singular lower-case kind for "not found" messages, e.g. `cronjob`.
    pub(crate) kind: &'static str,
    /// Namespace of the request.
    pub(crate) namespace: Option<String>,
    /// Object name, when there is one.
    pub(crate) name: Option<String>,
}

impl RequestInfo {
    pub(crate) fn of<K: Resource<DynamicType = ()>>(
        verb: &'static str,
        namespace: Option<&str>,
        name: Option<&str>,
    ) -> Self {
        RequestInfo {
            verb,
            plural: K::plural(&()).into_owned(),
            group: K::group(&()).into_owned(),
            kind: kind_word(&K::kind(&())),
            namespace: namespace.map(str::to_owned),
            name: name.map(str::to_owned),
        }
    }

    /// `cronjobs.batch`, `pods`: how RBAC and kubectl name a resource.
    pub(crate) fn resource_name(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

fn kind_word(kind: &str) -> &'static str {
    match kind {
        "CronJob" => "cronjob",
        "Job" => "job",
        "Pod" => "pod",
        "Node" => "node",
        "Namespace" => "namespace",
        "Event" => "event",
        "ConfigMap" => "configmap",
        _ => "object",
    }
}

/// A non-2xx answer from the API server at `server`.
pub(super) fn from_status(
    status: StatusCode,
    body: &[u8],
    info: &RequestInfo,
    server: &str,
) -> Error {
    let decoded = decode_status(body);
    let message = decoded
        .as_ref()
        .and_then(|s| s.message.clone())
        .unwrap_or_else(|| String::from_utf8_lossy(body).trim().chars().take(300).collect());
    let reason = decoded.as_ref().and_then(|s| s.reason.clone()).unwrap_or_default();
    match status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized { server: server.to_owned() },
        StatusCode::FORBIDDEN => Error::Forbidden {
            verb: info.verb.to_owned(),
            resource: info.resource_name(),
            namespace: info.namespace.clone(),
            message,
        },
        StatusCode::NOT_FOUND if info.name.is_some() => Error::NotFound {
            kind: info.kind,
            name: info.name.clone().unwrap_or_default(),
            namespace: info.namespace.clone(),
            suggestions: Vec::new(),
        },
        StatusCode::BAD_REQUEST if message.contains("selector") => {
            Error::InvalidSelector { selector: String::new(), reason: message }
        }
        _ => Error::Api { code: status.as_u16(), reason, message },
    }
}

/// The request never got an answer.
pub(super) fn transport(err: kube::Error, server: &str, timeout: Option<Duration>) -> Error {
    let root = root_cause(&err);
    if root.contains("elapsed") || root.contains("timed out") {
        return Error::Timeout {
            server: server.to_owned(),
            timeout: timeout.map_or_else(String::new, |t| format!("{}s", t.as_secs_f64())),
        };
    }
    if let kube::Error::Auth(auth) = &err {
        return Error::Kubeconfig(format!("cannot get credentials: {auth}"));
    }
    if let Some(reason) = tls_reason(&root) {
        return Error::Tls { server: server.to_owned(), reason };
    }
    Error::Unreachable { server: server.to_owned(), reason: root }
}

/// Words for rustls' errors (`rustls::Error` and `CertificateError` Display texts), which name
/// the problem in Rust identifiers; `None` when `root` is not a TLS failure.
fn tls_reason(root: &str) -> Option<String> {
    if root.contains("InvalidContentType") || root.contains("corrupt message") {
        // rustls read a plain-HTTP answer where a TLS record should be.
        return Some(format!(
            "the server did not answer with TLS (is it plain HTTP behind an https:// URL?) ({root})"
        ));
    }
    let certificate = root.strip_prefix("invalid peer certificate: ")?;
    let words = match certificate {
        // BadSignature: an issuer of that name is trusted, but another CA signed the
        // certificate (two throwaway CAs with the same common name, a rotated cluster CA).
        c if c.starts_with("UnknownIssuer") || c.starts_with("BadSignature") => {
            "its certificate is not signed by a certificate authority the kubeconfig trusts"
        }
        c if c.starts_with("NotValidForName") => "its certificate is not valid for this host name",
        c if c.starts_with("Expired") => "its certificate has expired",
        c if c.starts_with("NotValidYet") => "its certificate is not valid yet",
        c if c.starts_with("Revoked") => "its certificate has been revoked",
        _ => "its certificate was refused",
    };
    Some(format!("{words} ({certificate})"))
}

/// Connection refused: nothing was sent, so any request may be retried.
pub(super) fn is_refused(err: &kube::Error) -> bool {
    root_cause(err).contains("refused")
}

pub(super) fn build(err: kube::core::request::Error) -> Error {
    Error::Usage(format!("cannot build the request: {err}"))
}

fn root_cause(err: &dyn std::error::Error) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::batch::v1::CronJob;

    #[test]
    fn forbidden_names_what_rbac_refused() {
        let body = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"cronjobs.batch \"x\" is forbidden: User \"viewer\" cannot patch resource \"cronjobs\" in API group \"batch\" in the namespace \"ops\"","reason":"Forbidden","code":403}"#;
        let info = RequestInfo::of::<CronJob>("patch", Some("ops"), Some("x"));
        let err = from_status(StatusCode::FORBIDDEN, body, &info, "https://k:6443");
        assert_eq!(err.to_string(), "forbidden: cannot patch cronjobs.batch in namespace \"ops\"");
    }

    #[test]
    fn not_found_names_kind_and_namespace() {
        let info = RequestInfo::of::<CronJob>("get", Some("ops"), Some("nightly"));
        let err = from_status(StatusCode::NOT_FOUND, b"{}", &info, "https://k:6443");
        assert_eq!(err.to_string(), "cronjob \"nightly\" not found in namespace \"ops\"");
    }

    #[test]
    fn tls_failures_are_said_in_words() {
        let unknown = tls_reason("invalid peer certificate: UnknownIssuer").unwrap();
        assert_eq!(
            unknown,
            "its certificate is not signed by a certificate authority the kubeconfig trusts \
             (UnknownIssuer)"
        );
        let plain = tls_reason("received corrupt message of type InvalidContentType").unwrap();
        assert!(plain.starts_with("the server did not answer with TLS"), "{plain}");
        let other_ca = tls_reason("invalid peer certificate: BadSignature").unwrap();
        assert!(other_ca.starts_with("its certificate is not signed by"), "{other_ca}");
        assert!(tls_reason("invalid peer certificate: Other(x)").unwrap().contains("refused"));
        assert_eq!(tls_reason("Connection refused (os error 111)"), None);
    }

    #[test]
    fn other_statuses_keep_the_server_message() {
        let body = br#"{"kind":"Status","message":"the object has been modified","reason":"Conflict","code":409}"#;
        let info = RequestInfo::of::<CronJob>("patch", Some("ops"), Some("x"));
        let err = from_status(StatusCode::CONFLICT, body, &info, "https://k:6443");
        assert_eq!(err.to_string(), "the object has been modified (409 Conflict)");
    }
}
