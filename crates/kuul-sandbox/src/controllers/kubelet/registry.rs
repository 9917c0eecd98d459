//! The sandbox's container registry: which images cannot be pulled.
//!
//! Every image is pullable unless listed as missing (so unmodified real manifests run). An entry
//! with a tag or digest (`ghcr.io/acme/report:2.1`) makes that one reference missing; an entry
//! without (`ghcr.io/acme/report`) makes every tag of that repository missing. References are
//! compared the way the container runtime resolves them (`busybox` is
//! `docker.io/library/busybox:latest`). Set through `SandboxBuilder::missing_images`, the admin
//! API (`PUT /kuul-sandbox/v1/registry`) or `kuul-sandbox serve --missing-image`.

use std::collections::BTreeSet;
use std::sync::{Arc, PoisonError, RwLock};

/// A reference split as the runtime resolves it: `docker.io/library/busybox` and `:latest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The fully qualified repository (`docker.io/library/busybox`).
    pub repository: String,
    /// `:tag` or `@sha256:...`; `None` when the reference gives neither.
    pub suffix: Option<String>,
}

impl Reference {
    /// Parses `image` after the docker reference rules (`distribution/reference`
    /// `ParseNormalizedNamed`): a first component with a `.` or `:` or equal to `localhost` is a
    /// registry host, else the host is `docker.io`, and a one-component name there gets
    /// `library/`.
    pub fn parse(image: &str) -> Reference {
        let (name, suffix) = match image.find('@') {
            Some(at) => (&image[..at], Some(image[at..].to_owned())),
            None => {
                let last_slash = image.rfind('/').map_or(0, |i| i + 1);
                match image[last_slash..].find(':') {
                    Some(colon) => {
                        let at = last_slash + colon;
                        (&image[..at], Some(image[at..].to_owned()))
                    }
                    None => (image, None),
                }
            }
        };
        let (host, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), rest.to_owned())
            }
            _ => ("docker.io".to_owned(), name.to_owned()),
        };
        let path = if host == "docker.io" && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        Reference { repository: format!("{host}/{path}"), suffix }
    }

    /// The reference the runtime pulls: the repository with its tag (default `:latest`) or
    /// digest (`docker.io/library/busybox:latest`).
    pub fn full(&self) -> String {
        format!("{}{}", self.repository, self.suffix.as_deref().unwrap_or(":latest"))
    }
}

/// The registry's missing images, shared by the control plane and the admin API.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    missing: Arc<RwLock<BTreeSet<String>>>,
}

impl Registry {
    /// Replaces the list of missing images (as given: `busybox:1.99`, `ghcr.io/acme/report`).
    pub fn set_missing<I: IntoIterator<Item = S>, S: Into<String>>(&self, images: I) {
        let set = images.into_iter().map(Into::into).filter(|s: &String| !s.is_empty()).collect();
        *self.missing.write().unwrap_or_else(PoisonError::into_inner) = set;
    }

    /// The missing images, sorted.
    pub fn missing(&self) -> Vec<String> {
        self.missing.read().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect()
    }

    /// Whether pulling `image` fails (see the module docs for how entries match).
    pub fn is_missing(&self, image: &str) -> bool {
        let missing = self.missing.read().unwrap_or_else(PoisonError::into_inner);
        if missing.is_empty() {
            return false;
        }
        let wanted = Reference::parse(image);
        missing.iter().any(|entry| {
            let entry = Reference::parse(entry);
            entry.repository == wanted.repository
                && (entry.suffix.is_none() || entry.full() == wanted.full())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_like_the_runtime() {
        let full = |s: &str| Reference::parse(s).full();
        assert_eq!(full("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(full("busybox:1.36"), "docker.io/library/busybox:1.36");
        assert_eq!(full("acme/report:2"), "docker.io/acme/report:2");
        assert_eq!(full("ghcr.io/acme/report"), "ghcr.io/acme/report:latest");
        assert_eq!(full("localhost:5000/tool:1"), "localhost:5000/tool:1");
        assert_eq!(full("registry.local/x@sha256:abc"), "registry.local/x@sha256:abc");
    }

    #[test]
    fn entries_match_a_tag_or_a_whole_repository() {
        let r = Registry::default();
        assert!(!r.is_missing("busybox"));
        r.set_missing(["busybox:1.99", "ghcr.io/acme/report"]);
        assert!(r.is_missing("docker.io/library/busybox:1.99"));
        assert!(!r.is_missing("busybox:1.36"));
        assert!(r.is_missing("ghcr.io/acme/report:2.1"));
        assert!(r.is_missing("ghcr.io/acme/report"));
        assert!(!r.is_missing("ghcr.io/acme/other:1"));
        r.set_missing(["busybox"]);
        assert!(r.is_missing("busybox:1.36"));
        assert_eq!(r.missing(), ["busybox"]);
    }
}
