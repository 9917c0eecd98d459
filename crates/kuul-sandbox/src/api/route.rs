//! URL routing: which endpoint a path names, and the RBAC verb of a request
//! (`apiserver/pkg/endpoints/request/requestinfo.go` `NewRequestInfo`).

use http::Method;

use crate::kind::Kind;

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/version`
    Version,
    /// `/healthz`, `/livez`, `/readyz`
    Health,
    /// `/api`
    Api,
    /// `/apis`
    Apis,
    /// `/apis/{group}`
    Group(String),
    /// `/api/v1`, `/apis/{group}/{version}`
    GroupVersion(String),
    /// `/openapi/v2`
    OpenApiV2,
    /// `/openapi/v3`
    OpenApiV3Root,
    /// `/openapi/v3/{api/v1 | apis/batch/v1}`
    OpenApiV3(String),
    /// A resource, collection or subresource.
    Resource(ResourcePath),
    /// `/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`
    SelfSubjectAccessReview,
    /// `/kuul-sandbox/v1/...` (the admin API), with the rest of the path.
    Admin(String),
    /// Nothing served here.
    NotFound,
}

/// A parsed resource path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePath {
    /// The resource.
    pub kind: Kind,
    /// The namespace in the URL (for namespaced kinds).
    pub namespace: Option<String>,
    /// The object name, when the path names one object.
    pub name: Option<String>,
    /// `status` or `log`.
    pub sub: Option<String>,
}

fn kinds_in(group: &str, version: &str) -> bool {
    version == "v1" && (group.is_empty() || group == "batch")
}

fn resource(group: &str, rest: &[&str]) -> Route {
    let find = |plural: &str| Kind::from_resource(group, plural);
    let mk = |kind: Kind, namespace: Option<&str>, name: Option<&&str>, sub: Option<&&str>| {
        Route::Resource(ResourcePath {
            kind,
            namespace: namespace.map(str::to_string),
            name: name.map(|s| (*s).to_string()),
            sub: sub.map(|s| (*s).to_string()),
        })
    };
    // /namespaces/{ns}/{plural}[/{name}[/{sub}]]
    if let ["namespaces", ns, plural, tail @ ..] = rest
        && let Some(kind) = find(plural).filter(|k| k.namespaced())
        && tail.len() <= 2
    {
        return mk(kind, Some(ns), tail.first(), tail.get(1));
    }
    match rest {
        [plural, tail @ ..] if tail.len() <= 2 => match find(plural) {
            Some(kind) if !kind.namespaced() || tail.is_empty() => {
                mk(kind, None, tail.first(), tail.get(1))
            }
            _ => Route::NotFound,
        },
        _ => Route::NotFound,
    }
}

/// Routes a path.
pub fn route(path: &str) -> Route {
    let trimmed = path.trim_end_matches('/');
    let segs: Vec<&str> = trimmed.split('/').skip(1).collect();
    match segs.as_slice() {
        ["version"] => Route::Version,
        ["healthz" | "livez" | "readyz", ..] => Route::Health,
        ["api"] => Route::Api,
        ["apis"] => Route::Apis,
        ["api", "v1"] => Route::GroupVersion("v1".into()),
        ["api", "v1", rest @ ..] => resource("", rest),
        ["apis", g @ ("batch" | "authorization.k8s.io")] => Route::Group((*g).into()),
        ["apis", "authorization.k8s.io", "v1"] => {
            Route::GroupVersion("authorization.k8s.io/v1".into())
        }
        ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews"] => {
            Route::SelfSubjectAccessReview
        }
        ["apis", g, v] if kinds_in(g, v) => Route::GroupVersion(format!("{g}/{v}")),
        ["apis", g, v, rest @ ..] if kinds_in(g, v) => resource(g, rest),
        ["openapi", "v2"] => Route::OpenApiV2,
        ["openapi", "v3"] => Route::OpenApiV3Root,
        ["openapi", "v3", rest @ ..] => Route::OpenApiV3(rest.join("/")),
        ["kuul-sandbox", "v1", rest @ ..] => Route::Admin(rest.join("/")),
        _ => Route::NotFound,
    }
}

/// The RBAC verb of a resource request, or `None` when the method is not allowed there.
pub fn verb(method: &Method, path: &ResourcePath, watch: bool) -> Option<&'static str> {
    let named = path.name.is_some();
    match (method.as_str(), named) {
        ("GET" | "HEAD", true) => Some("get"),
        ("GET" | "HEAD", false) => Some(if watch { "watch" } else { "list" }),
        ("POST", false) => Some("create"),
        ("PUT", true) => Some("update"),
        ("PATCH", true) => Some("patch"),
        ("DELETE", true) => Some("delete"),
        ("DELETE", false) => Some("deletecollection"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(kind: Kind, ns: Option<&str>, name: Option<&str>, sub: Option<&str>) -> Route {
        Route::Resource(ResourcePath {
            kind,
            namespace: ns.map(Into::into),
            name: name.map(Into::into),
            sub: sub.map(Into::into),
        })
    }

    #[test]
    fn routes() {
        assert_eq!(route("/api/v1/namespaces"), res(Kind::Namespace, None, None, None));
        assert_eq!(route("/api/v1/namespaces/ops"), res(Kind::Namespace, None, Some("ops"), None));
        assert_eq!(
            route("/api/v1/namespaces/ops/status"),
            res(Kind::Namespace, None, Some("ops"), Some("status"))
        );
        assert_eq!(
            route("/api/v1/namespaces/ops/pods/p/log"),
            res(Kind::Pod, Some("ops"), Some("p"), Some("log"))
        );
        assert_eq!(
            route("/apis/batch/v1/namespaces/ops/cronjobs"),
            res(Kind::CronJob, Some("ops"), None, None)
        );
        assert_eq!(route("/apis/batch/v1/jobs"), res(Kind::Job, None, None, None));
        assert_eq!(route("/apis/batch/v1/jobs/x"), Route::NotFound);
        assert_eq!(route("/api/v1/nodes/n1"), res(Kind::Node, None, Some("n1"), None));
        assert_eq!(route("/apis/apps/v1/deployments"), Route::NotFound);
        // An unknown name under a namespace reads as a namespace subresource; the dispatcher
        // answers 404 for subresources that do not exist.
        assert_eq!(
            route("/api/v1/namespaces/ops/widgets"),
            res(Kind::Namespace, None, Some("ops"), Some("widgets"))
        );
        assert_eq!(route("/apis/batch/v1"), Route::GroupVersion("batch/v1".into()));
        assert_eq!(
            route("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
            Route::SelfSubjectAccessReview
        );
        assert_eq!(
            route("/apis/authorization.k8s.io"),
            Route::Group("authorization.k8s.io".into())
        );
    }
}
