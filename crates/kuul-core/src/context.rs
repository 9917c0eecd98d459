//! `Context`: what every command gets, built once from the command line: the cluster connection
//! (made on first use, so commands that need no cluster never fail for want of one), the
//! namespace scope, and whether we talk to a person (terminal, colour).

use std::io::IsTerminal;

use tokio::sync::OnceCell;

use crate::cli::KubeArgs;
use crate::cluster::{self, Connection, selector};
use crate::error::{Error, Result};

/// Shared state of one invocation.
pub struct Context {
    kube: KubeArgs,
    connection: OnceCell<Connection>,
    /// stdin and stderr are terminals: we may ask questions and draw progress.
    pub interactive: bool,
    /// stdout is a terminal that renders colour and `NO_COLOR` is unset (crate::portable).
    pub color: bool,
}

/// Which namespaces a command looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `-A`.
    AllNamespaces,
    /// One namespace.
    Namespace(String),
}

impl Scope {
    /// The namespace for request URLs (`None` for all).
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Scope::AllNamespaces => None,
            Scope::Namespace(ns) => Some(ns),
        }
    }
}

impl Context {
    /// A context for the given flags, sensing the terminal from the real stdio.
    pub fn new(kube: KubeArgs) -> Self {
        let env = |name: &str| std::env::var(name).ok();
        let color = crate::portable::color_enabled(
            crate::portable::Os::HOST,
            std::io::stdout().is_terminal(),
            &env,
        );
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        Context { kube, connection: OnceCell::new(), interactive, color }
    }

    /// The context of one cluster of a fan-out run (`crate::fanout`): never interactive, so
    /// no cluster draws a progress bar or asks a question of its own.
    pub fn member(kube: KubeArgs, color: bool) -> Self {
        Context { kube, connection: OnceCell::new(), interactive: false, color }
    }

    /// The kubectl flags as given.
    pub fn kube_args(&self) -> &KubeArgs {
        &self.kube
    }

    /// The connection, made on first use.
    pub async fn connection(&self) -> Result<&Connection> {
        self.connection.get_or_try_init(|| cluster::connect(&self.kube)).await
    }

    /// `-A` or the namespace in effect (`-n`, else the context's).
    pub async fn scope(&self) -> Result<Scope> {
        if self.kube.all_namespaces {
            return Ok(Scope::AllNamespaces);
        }
        Ok(Scope::Namespace(self.connection().await?.namespace.clone()))
    }

    /// `-l`, checked locally first.
    pub fn label_selector(&self) -> Result<Option<String>> {
        match &self.kube.selector {
            Some(selector) => {
                selector::validate_label_selector(selector)?;
                Ok(Some(selector.clone()))
            }
            None => Ok(None),
        }
    }

    /// Refuses `-A` together with `-n`, as kubectl does for commands where it matters.
    pub fn check_scope_flags(&self) -> Result<()> {
        if self.kube.all_namespaces && self.kube.namespace.is_some() {
            return Err(Error::Usage(
                "--namespace and --all-namespaces cannot be used together".into(),
            ));
        }
        Ok(())
    }
}
