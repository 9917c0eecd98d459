//! The one error type of kuul-core, and the exit statuses every command ends with.
//!
//! Errors carry context, not pre-rendered strings, so `entry` can print one clear `error:` line
//! and, where it helps, a `hint:` line saying what to do (DESIGN.md "Errors").

use std::process::ExitCode;

/// How a command ended, as documented in the README ("Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked.
    Success = 0,
    /// The command failed.
    Error = 1,
    /// The command line was wrong.
    Usage = 2,
    /// A bulk operation partly failed; the failures were listed.
    Partial = 3,
    /// `--check` found problems.
    CheckFailed = 4,
    /// `suspend-all --wait` timed out with Jobs still running (each named).
    StillRunning = 5,
    /// Interrupted by Ctrl-C (128 + SIGINT), as shells report it.
    Interrupted = 130,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

/// Everything that can go wrong in kuul-core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No kubeconfig was found anywhere kubectl would look.
    #[error("no kubeconfig found (looked at {looked_at})")]
    NoKubeconfig {
        /// Where we looked, for the message.
        looked_at: String,
    },
    /// A kubeconfig could not be read or used.
    #[error("cannot use kubeconfig: {0}")]
    Kubeconfig(String),
    /// `--context` (or current-context) names a context the kubeconfig lacks.
    #[error("context \"{name}\" does not exist in the kubeconfig")]
    UnknownContext {
        /// The context asked for.
        name: String,
        /// The contexts the kubeconfig has.
        available: Vec<String>,
    },
    /// `--cluster` or `--user` names an entry the kubeconfig lacks (client-go's `getCluster` /
    /// `getAuthInfo` in `clientcmd/client_config.go` refuse these too: "cluster %q does not
    /// exist", "auth info %q does not exist").
    #[error("{what} \"{name}\" does not exist in the kubeconfig")]
    UnknownEntry {
        /// `cluster` or `user`.
        what: &'static str,
        /// The name asked for.
        name: String,
        /// The names of that kind the kubeconfig has.
        available: Vec<String>,
    },
    /// The API server could not be reached.
    #[error("cannot reach the API server at {server}: {reason}")]
    Unreachable {
        /// The server URL.
        server: String,
        /// Why (connection refused, DNS, TLS...).
        reason: String,
    },
    /// TLS with the server failed: its certificate was refused, or it does not speak TLS. Not
    /// retried: it will fail the same way again.
    #[error("TLS with the API server at {server} failed: {reason}")]
    Tls {
        /// The server URL.
        server: String,
        /// What was wrong, in words, with rustls' own name for it in parentheses.
        reason: String,
    },
    /// A request did not finish within `--request-timeout`.
    #[error("the API server at {server} did not answer within {timeout}")]
    Timeout {
        /// The server URL.
        server: String,
        /// The timeout, as given.
        timeout: String,
    },
    /// 401: the credentials were refused.
    #[error("the API server{} rejected the credentials (401 Unauthorized)", at_server(server))]
    Unauthorized {
        /// The server URL.
        server: String,
    },
    /// 403: RBAC refused a verb.
    #[error("forbidden: cannot {verb} {resource}{}", in_namespace(namespace.as_deref()))]
    Forbidden {
        /// The verb refused (`get`, `list`, `patch`...).
        verb: String,
        /// `resource.group`, e.g. `cronjobs.batch`.
        resource: String,
        /// The namespace, when the request had one.
        namespace: Option<String>,
        /// The server's own message.
        message: String,
    },
    /// A named object does not exist.
    #[error("{kind} \"{name}\" not found{}", in_namespace(namespace.as_deref()))]
    NotFound {
        /// The kind, lower case as kubectl prints it (`cronjob`).
        kind: &'static str,
        /// The name asked for.
        name: String,
        /// The namespace searched.
        namespace: Option<String>,
        /// The nearest existing names.
        suggestions: Vec<String>,
    },
    /// A label or field selector does not parse.
    #[error("invalid selector \"{selector}\": {reason}")]
    InvalidSelector {
        /// The selector as given.
        selector: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A flag or argument value is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The API server answered with an error we have no better words for.
    #[error("{message} ({code} {reason})")]
    Api {
        /// HTTP status code.
        code: u16,
        /// The Status reason (`Conflict`, `Invalid`, ...).
        reason: String,
        /// The server's message.
        message: String,
    },
    /// The answer from the API server could not be understood.
    #[error("unexpected answer from the API server: {0}")]
    Decode(String),
    /// A subcommand that is not built yet.
    #[error("`kubectl kuul {0}` is not implemented yet")]
    NotImplemented(&'static str),
    /// The command will not do what was asked in the object's current state (exit 1); the
    /// hint says how to go ahead (`trigger` on a Forbid CronJob with a run active,
    /// `reschedule-next-minute` on a suspended CronJob or `--restore` with nothing saved).
    #[error("{reason}")]
    Refused {
        /// What stands in the way.
        reason: String,
        /// What to do about it.
        hint: String,
    },
    /// Waiting for a run stopped before the run ended: Ctrl-C (exit 130) or `--timeout`
    /// (exit 1). The run itself goes on; the hint says how to follow it.
    #[error(
        "stopped waiting for job \"{job}\" in namespace \"{namespace}\" ({why}); the job keeps running"
    )]
    StoppedWaiting {
        /// The Job waited for.
        job: String,
        /// Its namespace.
        namespace: String,
        /// `interrupted` or `timed out after 5m`.
        why: String,
        /// True for Ctrl-C.
        interrupted: bool,
    },
    /// `suspend-all --wait` gave up (`--timeout`) with Jobs still running: exit 5.
    #[error("timed out after {after} waiting for {} running Job(s): {}", jobs.len(), jobs.join(", "))]
    StillRunning {
        /// How long it waited, as kubectl prints durations.
        after: String,
        /// Each Job still running, described.
        jobs: Vec<String>,
    },
    /// `--check` had nothing to check (an empty scope: a typo in `-n`, a selector that
    /// matches nothing): exit 4, since a monitor that checked nothing must not report healthy.
    #[error("--check found no CronJob to check: {}", crate::notice::no_resources_text(namespace.as_deref()))]
    NothingToCheck {
        /// The namespace looked in (`None`: all).
        namespace: Option<String>,
    },
    /// Local I/O failed (writing output, reading a file).
    #[error("{context}: {source}")]
    Io {
        /// What we were doing.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// ` at URL`, or nothing when the URL is not known where the error was made.
fn at_server(server: &str) -> String {
    if server.is_empty() { String::new() } else { format!(" at {server}") }
}

fn in_namespace(namespace: Option<&str>) -> String {
    namespace.map(|ns| format!(" in namespace \"{ns}\"")).unwrap_or_default()
}

impl Error {
    /// The exit status this error ends the process with.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage(_) | Error::InvalidSelector { .. } => ExitStatus::Usage,
            Error::StoppedWaiting { interrupted: true, .. } => ExitStatus::Interrupted,
            Error::NothingToCheck { .. } => ExitStatus::CheckFailed,
            Error::StillRunning { .. } => ExitStatus::StillRunning,
            _ => ExitStatus::Error,
        }
    }

    /// A line saying what to do about it, when we know.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoKubeconfig { .. } => Some(
                "set KUBECONFIG or pass --kubeconfig; to try kuul without a cluster, start the \
                 sandbox as the README's \"Try it\" section shows"
                    .into(),
            ),
            Error::UnknownContext { available, .. } if !available.is_empty() => {
                Some(format!("available contexts: {}", available.join(", ")))
            }
            Error::UnknownEntry { what, available, .. } if !available.is_empty() => {
                Some(format!("available {what}s: {}", available.join(", ")))
            }
            Error::Unreachable { .. } | Error::Timeout { .. } => Some(
                "check that the cluster is up and that --context/--kubeconfig point at it \
                 (kubectl cluster-info)"
                    .into(),
            ),
            Error::Tls { .. } => Some(
                "check the server URL and the cluster's certificate-authority(-data) in the \
                 kubeconfig (kubectl config view --minify); kuul verifies certificates unless the \
                 kubeconfig sets insecure-skip-tls-verify"
                    .into(),
            ),
            Error::Unauthorized { .. } => Some(
                "your credentials expired or are wrong: log in again or refresh the token".into(),
            ),
            Error::Forbidden { verb, resource, namespace, .. } => Some(format!(
                "ask for RBAC permission to {verb} {resource}{} (see the README's permissions table)",
                in_namespace(namespace.as_deref())
            )),
            Error::NotFound { suggestions, .. } if !suggestions.is_empty() => {
                Some(format!("did you mean {}?", quote_list(suggestions)))
            }
            Error::NotFound { kind, name, .. } if !is_object_name(name) => Some(format!(
                "\"{name}\" cannot be a {kind} name: names are lower-case letters, digits, '-' \
                 and '.', starting and ending with a letter or digit"
            )),
            Error::NotFound { namespace: Some(_), .. } => {
                Some("check the name and the namespace (-n NAMESPACE, or -A for all)".into())
            }
            Error::Refused { hint, .. } => Some(hint.clone()),
            Error::NothingToCheck { .. } => {
                Some("check -n and -l; add --allow-empty if an empty scope is expected".into())
            }
            Error::StoppedWaiting { job, namespace, .. } => {
                Some(format!("follow it with: kubectl logs -f job/{job} -n {namespace}"))
            }
            Error::StillRunning { .. } => Some(
                "the CronJobs stay suspended and the Jobs keep running: wait again with --wait, \
                 or stop them with --delete-active-jobs"
                    .into(),
            ),
            Error::InvalidSelector { .. } => Some(
                "selectors look like 'key=value', 'key!=value', 'key in (a,b)', 'key', '!key'"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// Whether `name` could name an object: a DNS subdomain (RFC 1123), as apimachinery's
/// `IsDNS1123Subdomain` checks every CronJob, Job and node name on create.
fn is_object_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            let bytes = label.as_bytes();
            let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
            bytes.first().is_some_and(edge)
                && bytes.last().is_some_and(edge)
                && bytes.iter().all(|b| edge(b) || *b == b'-')
        })
}

fn quote_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Result with kuul-core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_suggests_nearest_names() {
        let err = Error::NotFound {
            kind: "cronjob",
            name: "nightly-bakup".into(),
            namespace: Some("ops".into()),
            suggestions: vec!["nightly-backup".into(), "nightly-backup-eu".into()],
        };
        assert_eq!(err.to_string(), "cronjob \"nightly-bakup\" not found in namespace \"ops\"");
        assert_eq!(
            err.hint().as_deref(),
            Some("did you mean \"nightly-backup\" or \"nightly-backup-eu\"?")
        );
    }

    #[test]
    fn forbidden_names_verb_resource_and_namespace() {
        let err = Error::Forbidden {
            verb: "patch".into(),
            resource: "cronjobs.batch".into(),
            namespace: Some("ops".into()),
            message: String::new(),
        };
        assert_eq!(err.to_string(), "forbidden: cannot patch cronjobs.batch in namespace \"ops\"");
        assert_eq!(err.exit_status(), ExitStatus::Error);
    }

    #[test]
    fn a_name_no_object_can_have_says_so() {
        let err = |name: &str| Error::NotFound {
            kind: "cronjob",
            name: name.into(),
            namespace: Some("ops".into()),
            suggestions: Vec::new(),
        };
        let hint = err("Back_Up!").hint().unwrap();
        assert!(hint.starts_with("\"Back_Up!\" cannot be a cronjob name"), "{hint}");
        assert!(err("nightly.backup-2").hint().unwrap().starts_with("check the name"));
        for bad in ["", "-a", "a-", "A", "a..b", "a_b", "a b"] {
            assert!(!is_object_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn unknown_cluster_or_user_lists_the_known_ones() {
        let err = Error::UnknownEntry {
            what: "user",
            name: "nobody".into(),
            available: vec!["admin".into(), "viewer".into()],
        };
        assert_eq!(err.to_string(), "user \"nobody\" does not exist in the kubeconfig");
        assert_eq!(err.hint().as_deref(), Some("available users: admin, viewer"));
    }

    #[test]
    fn unauthorized_reads_well_with_or_without_the_server() {
        let with = Error::Unauthorized { server: "https://k:6443".into() };
        assert_eq!(
            with.to_string(),
            "the API server at https://k:6443 rejected the credentials (401 Unauthorized)"
        );
        let without = Error::Unauthorized { server: String::new() };
        assert_eq!(
            without.to_string(),
            "the API server rejected the credentials (401 Unauthorized)"
        );
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(Error::Usage("bad".into()).exit_status(), ExitStatus::Usage);
    }
}
