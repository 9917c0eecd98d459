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
    /// core/v1 secrets
    Secret,
    /// core/v1 resourcequotas
    ResourceQuota,
    /// batch/v1 jobs
    Job,
    /// batch/v1 cronjobs
    CronJob,
}

impl Kind {
    /// Every kind, in a stable order.
    pub const ALL: [Kind; 9] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Event,
        Kind::ConfigMap,
        Kind::Secret,
        Kind::ResourceQuota,
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
            Kind::Secret => "Secret",
            Kind::ResourceQuota => "ResourceQuota",
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
            Kind::Secret => "secrets",
            Kind::ResourceQuota => "resourcequotas",
            Kind::Job => "jobs",
            Kind::CronJob => "cronjobs",
        }
    }

    /// The object's etcd key, as storage errors quote it: `/registry/<prefix>/[<ns>/]<name>`,
    /// where the prefix is the resource except where upstream keeps an old one (nodes are
    /// `minions`: `specialDefaultResourcePrefixes`, staging/src/k8s.io/apiserver/pkg/server/
    /// storage/storage_factory.go, v1.32).
    pub fn etcd_key(self, namespace: &str, name: &str) -> String {
        let prefix = match self {
            Kind::Node => "minions",
            other => other.plural(),
        };
        if self.namespaced() {
            format!("/registry/{prefix}/{namespace}/{name}")
        } else {
            format!("/registry/{prefix}/{name}")
        }
    }

    /// Position in [`Kind::ALL`], for per-kind tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the resource has a `/status` subresource whose content a main-resource update
    /// leaves alone (upstream `PrepareForUpdate` copies the old status).
    pub fn has_status(self) -> bool {
        !matches!(self, Kind::Event | Kind::ConfigMap | Kind::Secret)
    }

    /// Whether the server maintains `metadata.generation` (bumped when the spec changes).
    pub fn has_generation(self) -> bool {
        // Pods get `metadata.generation` only from 1.33 (PR #130181).
        matches!(self, Kind::Job | Kind::CronJob)
    }

    /// Short names kubectl discovers (`cj`, `po`, ...), as upstream's REST storage declares them.
    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Kind::Namespace => &["ns"],
            Kind::Node => &["no"],
            Kind::Pod => &["po"],
            Kind::Event => &["ev"],
            Kind::ConfigMap => &["cm"],
            Kind::Secret => &[],
            Kind::ResourceQuota => &["quota"],
            Kind::Job => &[],
            Kind::CronJob => &["cj"],
        }
    }

    /// The singular resource name (`cronjob`).
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Namespace => "namespace",
            Kind::Node => "node",
            Kind::Pod => "pod",
            Kind::Event => "event",
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
            Kind::ResourceQuota => "resourcequota",
            Kind::Job => "job",
            Kind::CronJob => "cronjob",
        }
    }

    /// Discovery categories (`kubectl get all` uses `all`).
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Kind::Pod | Kind::Job | Kind::CronJob => &["all"],
            _ => &[],
        }
    }

    /// The kind served at `group`/`plural`, if any.
    pub fn from_resource(group: &str, plural: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.group() == group && k.plural() == plural)
    }

    /// Whether objects live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }
}
