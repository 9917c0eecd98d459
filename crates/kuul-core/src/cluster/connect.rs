//! Connecting like kubectl: the same kubeconfig files, merge rules, context/cluster/user
//! overrides and namespace defaulting as `kubectl` (client-go `clientcmd` loading rules).
//!
//! - `--kubeconfig PATH` is used alone and must exist.
//! - Otherwise every file listed in `KUBECONFIG` is merged, first one wins per key; files that do
//!   not exist are skipped (clientcmd `ClientConfigLoadingRules.Load` ignores missing files in the
//!   list).
//! - Otherwise `~/.kube/config`; otherwise, inside a pod, the in-cluster service account.
//!
//! kube's default retry policy may wait minutes on 429s; a CLI must not, so it is switched off
//! and `Cluster` retries a bounded number of times within `--request-timeout`.

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

use super::clock::ServerClock;
use super::request::Cluster;
use crate::cli::KubeArgs;
use crate::error::{Error, Result};

/// A connection to one cluster, with the namespace scope the flags chose.
#[derive(Clone)]
pub struct Connection {
    /// Requests go through here.
    pub cluster: Cluster,
    /// `-n`, else the context's namespace, else `default`.
    pub namespace: String,
    /// The context in use, if any (for messages).
    pub context: Option<String>,
}

/// Builds a [`Connection`] from the kubectl flags.
pub async fn connect(args: &KubeArgs) -> Result<Connection> {
    let timeout = (!args.request_timeout.is_zero()).then_some(args.request_timeout);
    let (config, context) = match load_kubeconfig(args, std::env::var_os("KUBECONFIG"))? {
        Some(kubeconfig) => {
            let context = check_context(&kubeconfig, args)?;
            check_overrides(&kubeconfig, args)?;
            let options = KubeConfigOptions {
                context: args.context.clone(),
                cluster: args.cluster.clone(),
                user: args.user.clone(),
            };
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(kubeconfig_error)?;
            (config, Some(context))
        }
        // No kubeconfig at all: inside a pod, its service account (super::incluster).
        None if super::incluster::possible() => (super::incluster::config().await?, None),
        None => return Err(Error::NoKubeconfig { looked_at: default_locations() }),
    };
    let namespace = args.namespace.clone().unwrap_or_else(|| config.default_namespace.clone());
    let cluster = Cluster::new(config, timeout, ServerClock::default())?;
    Ok(Connection { cluster, namespace, context })
}

/// Reads and merges the kubeconfig files kubectl would read (`kubeconfig_env` is `$KUBECONFIG`);
/// `None` when there are none. Shell completion reads context names from it too.
pub(crate) fn load_kubeconfig(
    args: &KubeArgs,
    kubeconfig_env: Option<std::ffi::OsString>,
) -> Result<Option<Kubeconfig>> {
    if let Some(path) = &args.kubeconfig {
        if !path.exists() {
            return Err(Error::Kubeconfig(format!(
                "the kubeconfig file \"{}\" does not exist",
                path.display()
            )));
        }
        return read(path).map(Some);
    }
    let paths: Vec<PathBuf> = match kubeconfig_env {
        // `:`-separated, `;` on Windows (crate::portable).
        Some(list) => crate::portable::split_env_list(&list),
        None => home_kubeconfig().into_iter().collect(),
    };
    let mut merged: Option<Kubeconfig> = None;
    for path in paths.iter().filter(|p| p.exists()) {
        let next = read(path)?;
        merged = Some(match merged {
            None => next,
            Some(current) => current.merge(next).map_err(kubeconfig_error)?,
        });
    }
    Ok(merged)
}

fn read(path: &std::path::Path) -> Result<Kubeconfig> {
    Kubeconfig::read_from(path)
        .map_err(|e| Error::Kubeconfig(format!("{}: {}", path.display(), error_chain(&e))))
}

/// The context that will be used; an unknown or unset one is a clear error, not kube's.
fn check_context(kubeconfig: &Kubeconfig, args: &KubeArgs) -> Result<String> {
    let available: Vec<String> = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
    let Some(name) = args.context.clone().or_else(|| kubeconfig.current_context.clone()) else {
        return Err(Error::Kubeconfig(
            "current-context is not set; pass --context NAME or run `kubectl config use-context`"
                .into(),
        ));
    };
    if !available.contains(&name) {
        return Err(Error::UnknownContext { name, available });
    }
    Ok(name)
}

/// `--cluster` and `--user` must name entries the kubeconfig has. Without this check an unknown
/// `--user` silently means "no credentials" (kube falls back to an empty user), and a command
/// may then succeed or fail as someone else; client-go refuses both (`getCluster`,
/// `getAuthInfo` in `clientcmd/client_config.go`).
fn check_overrides(kubeconfig: &Kubeconfig, args: &KubeArgs) -> Result<()> {
    let check = |what: &'static str, wanted: &Option<String>, names: Vec<String>| match wanted {
        Some(name) if !names.contains(name) => {
            Err(Error::UnknownEntry { what, name: name.clone(), available: names })
        }
        _ => Ok(()),
    };
    check("cluster", &args.cluster, kubeconfig.clusters.iter().map(|c| c.name.clone()).collect())?;
    check("user", &args.user, kubeconfig.auth_infos.iter().map(|u| u.name.clone()).collect())
}

fn kubeconfig_error(err: KubeconfigError) -> Error {
    Error::Kubeconfig(error_chain(&err))
}

/// `err: cause: cause`, so the line names the root cause (a missing file, a bad field). Only
/// the first line of each message is kept: YAML parsers add a source excerpt on the lines
/// after it, and `entry` prints exactly one `error:` line.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = first_line(&err.to_string());
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = first_line(&cause.to_string());
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The first line of a message, without an inner `error: ` (one is printed already), and with
/// that prefix removed after a `: ` too (`failed to parse kubeconfig YAML: error: line 4 ...`).
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim_end();
    line.strip_prefix("error: ").unwrap_or(line).replace(": error: ", ": ")
}

/// `~/.kube/config`, with the home directory found as kubectl finds it (`%USERPROFILE%` and co.
/// on Windows: crate::portable::home_dir).
fn home_kubeconfig() -> Option<PathBuf> {
    crate::portable::host_home_dir().map(|home| home.join(".kube").join("config"))
}

fn default_locations() -> String {
    match std::env::var_os("KUBECONFIG") {
        Some(list) => format!("KUBECONFIG={}", list.to_string_lossy()),
        None => {
            home_kubeconfig().map_or_else(|| "~/.kube/config".into(), |p| p.display().to_string())
        }
    }
}

/// The per-attempt connect timeout: never longer than the request timeout, and short enough that
/// a dead address fails fast.
pub(super) fn connect_timeout(timeout: Option<Duration>) -> Duration {
    timeout.map_or(Duration::from_secs(10), |t| t.min(Duration::from_secs(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubeconfig(text: &str) -> Kubeconfig {
        Kubeconfig::from_yaml(text).unwrap()
    }

    const TWO_CONTEXTS: &str = "
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c
  cluster: {server: 'https://127.0.0.1:6443'}
users:
- name: u
  user: {token: t}
contexts:
- name: dev
  context: {cluster: c, user: u, namespace: ops}
- name: prod
  context: {cluster: c, user: u}
";

    #[test]
    fn unknown_context_lists_the_known_ones() {
        let args = KubeArgs { context: Some("staging".into()), ..KubeArgs::default() };
        match check_context(&kubeconfig(TWO_CONTEXTS), &args) {
            Err(Error::UnknownContext { name, available }) => {
                assert_eq!(name, "staging");
                assert_eq!(available, ["dev", "prod"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_cluster_and_user_are_refused_with_the_known_ones() {
        let args = KubeArgs { user: Some("nobody".into()), ..KubeArgs::default() };
        match check_overrides(&kubeconfig(TWO_CONTEXTS), &args) {
            Err(Error::UnknownEntry { what: "user", name, available }) => {
                assert_eq!(name, "nobody");
                assert_eq!(available, ["u"]);
            }
            other => panic!("unexpected {other:?}"),
        }
        let args = KubeArgs { cluster: Some("nowhere".into()), ..KubeArgs::default() };
        assert!(matches!(
            check_overrides(&kubeconfig(TWO_CONTEXTS), &args),
            Err(Error::UnknownEntry { what: "cluster", .. })
        ));
        let args =
            KubeArgs { cluster: Some("c".into()), user: Some("u".into()), ..KubeArgs::default() };
        assert!(check_overrides(&kubeconfig(TWO_CONTEXTS), &args).is_ok());
    }

    #[test]
    fn a_malformed_kubeconfig_is_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "apiVersion: v1\nkind: Config\nclusters: [\n  - {name: c\n").unwrap();
        let message = read(&path).unwrap_err().to_string();
        assert!(!message.contains('\n'), "{message}");
        assert!(message.contains("line 4 column 3"), "{message}");
        assert!(!message.contains(": error:"), "{message}");
    }

    #[test]
    fn current_context_is_the_default() {
        assert_eq!(check_context(&kubeconfig(TWO_CONTEXTS), &KubeArgs::default()).unwrap(), "dev");
    }

    #[test]
    fn missing_files_in_kubeconfig_list_are_skipped_and_the_first_wins() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a");
        std::fs::write(&first, TWO_CONTEXTS).unwrap();
        let second = dir.path().join("b");
        std::fs::write(
            &second,
            TWO_CONTEXTS.replace("current-context: dev", "current-context: prod"),
        )
        .unwrap();
        let missing = dir.path().join("missing");
        let list = std::env::join_paths([&missing, &first, &second]).unwrap();
        let merged = load_kubeconfig(&KubeArgs::default(), Some(list)).unwrap().unwrap();
        assert_eq!(merged.current_context.as_deref(), Some("dev"));
        assert_eq!(merged.contexts.len(), 2);
    }

    #[test]
    fn explicit_kubeconfig_must_exist() {
        let args =
            KubeArgs { kubeconfig: Some("/nonexistent/kubeconfig".into()), ..KubeArgs::default() };
        let err = load_kubeconfig(&args, None).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[test]
    fn no_files_means_no_kubeconfig() {
        let list = std::ffi::OsString::from("/nonexistent/a:/nonexistent/b");
        assert!(load_kubeconfig(&KubeArgs::default(), Some(list)).unwrap().is_none());
    }
}
