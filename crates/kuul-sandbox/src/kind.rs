//! The resources the sandbox serves, with the REST facts the API server needs about each.

/// A resource type served by the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// core/v1 namespaces (cluster-scoped)
    Namespace,
    /// core/v1 nodes (cluster-scoped)
    Node,
    /// core/v1 pods
    Pod,
    /// core/v1 events
    Event,
    /// core/v1 configmaps
    ConfigMap,
    /// batch/v1 jobs
    Job,
    /// batch/v1 cronjobs
    CronJob,
}

impl Kind {
    /// Every kind, in a stable order.
    pub const ALL: [Kind; 7] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Event,
        Kind::ConfigMap,
        Kind::Job,
        Kind::CronJob,
    ];

    /// The API group (`""` for core).
    pub fn group(self) -> &'static str {
        match self {
            Kind::Job | Kind::CronJob => "batch",
            _ => "",
        }
    }

    /// The version within the group.
    pub fn version(self) -> &'static str {
        "v1"
    }

    /// `apiVersion` as objects carry it.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Job | Kind::CronJob => "batch/v1",
            _ => "v1",
        }
    }

    /// The `kind` field.
    pub fn kind_name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Event => "Event",
            Kind::ConfigMap => "ConfigMap",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
        }
    }

    /// The plural resource name used in URLs.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::Event => "events",
            Kind::ConfigMap => "configmaps",
            Kind::Job => "jobs",
            Kind::CronJob => "cronjobs",
        }
    }

    /// Whether objects live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }
}
