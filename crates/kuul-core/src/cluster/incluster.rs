//! In-cluster configuration, as kubectl uses it when no kubeconfig exists: the pod's service
//! account token and CA, and the API server from `KUBERNETES_SERVICE_HOST`/`_PORT`.
//!
//! kube's own loader (`kube::Config::incluster`) reads fixed paths, so a test could not point
//! it at the sandbox's files; this one follows client-go instead (release 1.33):
//! - `clientcmd` `inClusterClientConfig.Possible`: both variables set and the token file a
//!   file; only then, and only when no kubeconfig was loaded (`DeferredLoadingClientConfig`
//!   `isDefaultConfig`), is the in-cluster config used;
//! - `rest.InClusterConfig` (`staging/src/k8s.io/client-go/rest/config.go`): host
//!   `https://` + `net.JoinHostPort(host, port)`; the token file must be readable and is re-read
//!   as it rotates (`BearerTokenFile`); a CA file that does not load is logged and skipped (the
//!   system roots then decide);
//! - `inClusterClientConfig.Namespace`: `POD_NAMESPACE`, else the `namespace` file, else
//!   `default`.
//!
//! The files live in `/var/run/secrets/kubernetes.io/serviceaccount/`; `KUUL_SERVICE_ACCOUNT_DIR`
//! names another directory (for tests only: a pod has no reason to set it).

use std::path::PathBuf;

use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::error::{Error, Result};

const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Where the service-account files are read from.
fn dir() -> PathBuf {
    std::env::var_os("KUUL_SERVICE_ACCOUNT_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| PathBuf::from(SERVICE_ACCOUNT_DIR), PathBuf::from)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether an in-cluster config can be built (clientcmd `inClusterClientConfig.Possible`).
pub(crate) fn possible() -> bool {
    env("KUBERNETES_SERVICE_HOST").is_some()
        && env("KUBERNETES_SERVICE_PORT").is_some()
        && dir().join("token").metadata().is_ok_and(|m| !m.is_dir())
}

/// `https://host:port`, IPv6 in brackets (Go's `net.JoinHostPort`).
fn server(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("https://[{host}]:{port}")
    } else {
        format!("https://{host}:{port}")
    }
}

/// The kubeconfig the in-cluster config amounts to, so kube's loader reads the token file (and
/// re-reads it as it rotates) and the CA exactly as it reads a kubeconfig's.
fn as_kubeconfig(
    host: &str,
    port: &str,
    namespace: &str,
    ca: Option<PathBuf>,
) -> Result<Kubeconfig> {
    let dir = dir();
    let mut cluster = serde_json::json!({"server": server(host, port)});
    if let Some(ca) = ca {
        cluster["certificate-authority"] = ca.to_string_lossy().into();
    }
    let config = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "in-cluster", "cluster": cluster}],
        "users": [{"name": "service-account",
                   "user": {"tokenFile": dir.join("token").to_string_lossy()}}],
        "contexts": [{"name": "in-cluster",
                      "context": {"cluster": "in-cluster", "user": "service-account",
                                  "namespace": namespace}}],
        "current-context": "in-cluster",
    });
    serde_json::from_value(config)
        .map_err(|e| Error::Kubeconfig(format!("in-cluster configuration: {e}")))
}

/// The in-cluster config (call when [`possible`]).
pub(crate) async fn config() -> Result<kube::Config> {
    let (Some(host), Some(port)) = (env("KUBERNETES_SERVICE_HOST"), env("KUBERNETES_SERVICE_PORT"))
    else {
        return Err(Error::Kubeconfig(
            "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and \
             KUBERNETES_SERVICE_PORT must be defined"
                .into(),
        ));
    };
    let dir = dir();
    let token = dir.join("token");
    std::fs::read(&token).map_err(|e| {
        Error::Kubeconfig(format!("in-cluster configuration: {}: {e}", token.display()))
    })?;
    let ca_file = dir.join("ca.crt");
    let ca = match std::fs::read_to_string(&ca_file) {
        Ok(text) if text.contains("-----BEGIN CERTIFICATE-----") => Some(ca_file),
        Ok(_) => {
            crate::notice::warning(
                &format!(
                    "expected to load root CA config from {}: no certificate in it",
                    ca_file.display()
                ),
                None,
            );
            None
        }
        Err(e) => {
            crate::notice::warning(
                &format!("expected to load root CA config from {}: {e}", ca_file.display()),
                None,
            );
            None
        }
    };
    let namespace = env("POD_NAMESPACE")
        .or_else(|| {
            std::fs::read_to_string(dir.join("namespace"))
                .ok()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
        })
        .unwrap_or_else(|| "default".to_owned());
    let kubeconfig = as_kubeconfig(&host, &port, &namespace, ca)?;
    kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .map_err(|e| Error::Kubeconfig(format!("in-cluster configuration: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_joins_host_and_port_like_go() {
        assert_eq!(server("10.96.0.1", "443"), "https://10.96.0.1:443");
        assert_eq!(server("fd00::1", "6443"), "https://[fd00::1]:6443");
    }

    #[test]
    fn the_kubeconfig_names_the_token_file_ca_and_namespace() {
        let k = as_kubeconfig("10.96.0.1", "443", "ops", Some("/x/ca.crt".into())).unwrap();
        assert_eq!(k.current_context.as_deref(), Some("in-cluster"));
        let cluster = k.clusters[0].cluster.as_ref().unwrap();
        assert_eq!(cluster.server.as_deref(), Some("https://10.96.0.1:443"));
        assert_eq!(cluster.certificate_authority.as_deref(), Some("/x/ca.crt"));
        let user = k.auth_infos[0].auth_info.as_ref().unwrap();
        assert!(user.token_file.as_deref().unwrap().ends_with("token"));
        assert_eq!(k.contexts[0].context.as_ref().unwrap().namespace.as_deref(), Some("ops"));
    }
}
