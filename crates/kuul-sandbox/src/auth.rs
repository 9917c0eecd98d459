//! Authentication and authorization: two bearer-token users, as a cluster with RBAC would see
//! them. `admin` may do everything; `viewer` only `get`, `list` and `watch` (the built-in `view`
//! role's verbs). A missing or unknown token is 401, a refused verb the RBAC 403.
//!
//! kubectl (client-go `clientcmd`) sends credentials only over TLS (kubernetes/kubectl#744), so
//! for plain HTTP the kubeconfig points each context at a path prefix, `/as/admin` or
//! `/as/viewer`, that names the user when a request carries no `Authorization` header. A token,
//! when sent, always decides; a request at the root without one is 401 as on a real server.

use crate::error::ApiError;
use crate::kind::Kind;

/// Who made a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum User {
    /// Everything allowed.
    Admin,
    /// Read-only.
    Viewer,
}

impl User {
    /// The user name RBAC messages print.
    pub fn name(self) -> &'static str {
        match self {
            User::Admin => "admin",
            User::Viewer => "viewer",
        }
    }

    /// Whether RBAC allows `verb` (RBAC spelling).
    pub fn may(self, verb: &str) -> bool {
        match self {
            User::Admin => true,
            User::Viewer => matches!(verb, "get" | "list" | "watch"),
        }
    }

    /// The RBAC check: `Ok` or the exact 403 a real API server sends.
    pub fn authorize(
        self,
        verb: &str,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<(), ApiError> {
        if self.may(verb) {
            Ok(())
        } else {
            Err(ApiError::forbidden(kind, name, self.name(), verb, namespace))
        }
    }
}

impl User {
    /// Impersonation (`kubectl --as NAME`, the `Impersonate-User` header): the user the request
    /// then acts as. Upstream `apiserver/pkg/endpoints/filters/impersonation.go`
    /// `WithImpersonation` asks RBAC for `impersonate` on `users` NAME first; cluster-admin has
    /// it, `view` does not. The sandbox knows only its two users: impersonating another name is
    /// refused (a real server would act as a user no binding names, allowed nothing).
    pub fn impersonate(self, name: &str) -> Result<User, ApiError> {
        let target = match name {
            "admin" => Some(User::Admin),
            "viewer" => Some(User::Viewer),
            _ => None,
        };
        match target {
            Some(user) if self.may("impersonate") => Ok(user),
            _ => {
                let reason = if self.may("impersonate") {
                    "the sandbox has only the users \"admin\" and \"viewer\"".to_string()
                } else {
                    format!(
                        "User \"{}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                        self.name()
                    )
                };
                Err(ApiError::new(
                    403,
                    "Forbidden",
                    format!("users \"{name}\" is forbidden: {reason}"),
                ))
            }
        }
    }
}

/// The bearer tokens the sandbox accepts.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// `admin`'s token.
    pub admin: String,
    /// `viewer`'s token.
    pub viewer: String,
}

impl Tokens {
    /// Tokens derived from a seed (stable within a sandbox, different across sandboxes).
    pub fn generate(seed: u64) -> Tokens {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut token = |who: &str| {
            let n: u128 = rng.random();
            format!("kuul-{who}-{n:032x}")
        };
        Tokens { admin: token("admin"), viewer: token("viewer") }
    }

    /// Resolves an `Authorization` header value (or, without one, the path-prefix user), or 401.
    pub fn authenticate(
        &self,
        header: Option<&str>,
        prefix_user: Option<User>,
    ) -> Result<User, ApiError> {
        if header.is_none()
            && let Some(u) = prefix_user
        {
            return Ok(u);
        }
        let token = header
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        if token == self.admin {
            Ok(User::Admin)
        } else if token == self.viewer {
            Ok(User::Viewer)
        } else {
            Err(ApiError::unauthorized())
        }
    }
}

/// Splits a `/as/admin` or `/as/viewer` prefix off a request path.
pub fn strip_user_prefix(path: &str) -> (&str, Option<User>) {
    for (prefix, user) in [("/as/admin", User::Admin), ("/as/viewer", User::Viewer)] {
        if let Some(rest) = path.strip_prefix(prefix)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return (if rest.is_empty() { "/" } else { rest }, Some(user));
        }
    }
    (path, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_map_to_users_and_viewer_is_read_only() {
        let t = Tokens::generate(1);
        assert_eq!(
            t.authenticate(Some(&format!("Bearer {}", t.viewer)), None).unwrap(),
            User::Viewer
        );
        assert_eq!(t.authenticate(Some("Bearer nope"), None).unwrap_err().code, 401);
        assert_eq!(t.authenticate(Some("Bearer nope"), Some(User::Admin)).unwrap_err().code, 401);
        assert_eq!(t.authenticate(None, None).unwrap_err().code, 401);
        assert_eq!(t.authenticate(None, Some(User::Viewer)).unwrap(), User::Viewer);
        assert_eq!(strip_user_prefix("/as/viewer/api/v1"), ("/api/v1", Some(User::Viewer)));
        assert_eq!(strip_user_prefix("/as/viewers"), ("/as/viewers", None));
        assert!(User::Viewer.authorize("watch", Kind::Pod, Some("ops"), "").is_ok());
        assert_eq!(User::Admin.impersonate("viewer").unwrap(), User::Viewer);
        assert_eq!(
            User::Viewer.impersonate("admin").unwrap_err().message,
            "users \"admin\" is forbidden: User \"viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
        );
        assert_eq!(User::Admin.impersonate("bob").unwrap_err().code, 403);
        let e = User::Viewer.authorize("delete", Kind::Node, None, "n1").unwrap_err();
        assert_eq!(
            e.message,
            "nodes \"n1\" is forbidden: User \"viewer\" cannot delete resource \"nodes\" in API group \"\" at the cluster scope"
        );
    }
}
