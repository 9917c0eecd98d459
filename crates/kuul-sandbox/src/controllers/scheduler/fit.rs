//! The `NodeResourcesFit` filter: a pod's requests against what a node has left.
//!
//! After kube-scheduler 1.32 `pkg/scheduler/framework/plugins/noderesources/fit.go`
//! (`computePodResourceRequest`, `fitsRequest`): the pod's requests are
//! `resourcehelper.PodRequests` (`staging/src/k8s.io/component-helpers/resource/helpers.go`):
//! the sum over containers, then the larger of that and each init container (a restartable,
//! "sidecar" init container adds to the sum and to every later init container), plus
//! `spec.overhead`. A node's used share is the sum of the requests of the pods bound to it that
//! have not terminated (the scheduler's pod informer drops `Succeeded`/`Failed` pods:
//! `pkg/scheduler/scheduler.go` `newPodInformer`). A node fits when `allocatable.pods` allows one
//! more pod and, unless the pod requests nothing, `allocatable` covers used + requested for cpu,
//! memory and ephemeral-storage. Extended resources are not simulated.

use serde_json::Value;

use crate::quantity::nanos;

/// upstream `InsufficientResource.Reason` strings.
pub const TOO_MANY_PODS: &str = "Too many pods";
/// See [`TOO_MANY_PODS`].
pub const INSUFFICIENT_CPU: &str = "Insufficient cpu";
/// See [`TOO_MANY_PODS`].
pub const INSUFFICIENT_MEMORY: &str = "Insufficient memory";
/// See [`TOO_MANY_PODS`].
pub const INSUFFICIENT_EPHEMERAL_STORAGE: &str = "Insufficient ephemeral-storage";

/// upstream `framework.Resource`, the dimensions the sandbox simulates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    /// `Quantity.MilliValue()` of cpu (rounded up).
    pub milli_cpu: i64,
    /// `Quantity.Value()` of memory in bytes (rounded up).
    pub memory: i64,
    /// `Quantity.Value()` of ephemeral-storage in bytes.
    pub ephemeral_storage: i64,
}

impl Resources {
    /// The cpu/memory/ephemeral-storage of a `ResourceList` (a JSON object of quantities).
    pub fn of_list(list: Option<&Value>) -> Resources {
        Resources::from_fn(|key| list?.get(key)?.as_str())
    }

    /// The cpu/memory/ephemeral-storage of a `ResourceList` read through `get(name)`.
    pub fn from_fn<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Resources {
        let get = |key: &str, per: i128| {
            get(key)
                .and_then(nanos)
                .map_or(0, |n| i64::try_from((n + per - 1).div_euclid(per)).unwrap_or(i64::MAX))
        };
        Resources {
            milli_cpu: get("cpu", 1_000_000),
            memory: get("memory", 1_000_000_000),
            ephemeral_storage: get("ephemeral-storage", 1_000_000_000),
        }
    }

    fn add(&mut self, other: Resources) {
        self.milli_cpu = self.milli_cpu.saturating_add(other.milli_cpu);
        self.memory = self.memory.saturating_add(other.memory);
        self.ephemeral_storage = self.ephemeral_storage.saturating_add(other.ephemeral_storage);
    }

    /// Adds `other` (a pod leaving takes back what it added).
    pub fn plus(mut self, other: Resources) -> Resources {
        self.add(other);
        self
    }

    /// Subtracts `other`, never below zero.
    pub fn minus(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: (self.milli_cpu - other.milli_cpu).max(0),
            memory: (self.memory - other.memory).max(0),
            ephemeral_storage: (self.ephemeral_storage - other.ephemeral_storage).max(0),
        }
    }

    fn max(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu.max(other.milli_cpu),
            memory: self.memory.max(other.memory),
            ephemeral_storage: self.ephemeral_storage.max(other.ephemeral_storage),
        }
    }

    /// Whether nothing is requested (upstream skips the resource checks then).
    pub fn is_zero(&self) -> bool {
        *self == Resources::default()
    }
}

/// What is already placed on a node: pods bound to it and not terminated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeUsage {
    /// How many such pods.
    pub pods: usize,
    /// The sum of their requests.
    pub requested: Resources,
}

/// upstream `resourcehelper.PodRequests` for a pod's `spec` (JSON).
pub fn pod_requests(spec: &Value) -> Resources {
    let requests = |c: &Value| Resources::of_list(c.pointer("/resources/requests"));
    let list = |key: &str| spec.get(key).and_then(Value::as_array).into_iter().flatten();
    let mut sum = Resources::default();
    for c in list("containers") {
        sum.add(requests(c));
    }
    let mut sidecars = Resources::default();
    let mut init_max = Resources::default();
    for c in list("initContainers") {
        let this = if c.get("restartPolicy").and_then(Value::as_str) == Some("Always") {
            sum.add(requests(c));
            sidecars.add(requests(c));
            sidecars
        } else {
            requests(c).plus(sidecars)
        };
        init_max = init_max.max(this);
    }
    let mut total = sum.max(init_max);
    total.add(Resources::of_list(spec.get("overhead")));
    total
}

/// upstream `fitsRequest`: the insufficient resources' reasons, in upstream's order (pods, cpu,
/// memory, ephemeral-storage); empty if the pod fits. `allocatable(name)` reads the node's
/// `status.allocatable`; a node without `pods` there takes no pod (`AllowedPodNumber` 0).
pub fn insufficient<'a>(
    request: Resources,
    allocatable: impl Fn(&str) -> Option<&'a str>,
    used: &NodeUsage,
) -> Vec<&'static str> {
    let mut reasons = Vec::new();
    let allowed_pods = allocatable("pods")
        .and_then(nanos)
        .map_or(0, |n| usize::try_from(n / 1_000_000_000).unwrap_or(0));
    if used.pods + 1 > allowed_pods {
        reasons.push(TOO_MANY_PODS);
    }
    if request.is_zero() {
        return reasons;
    }
    // A resource the pod does not request never fails, even on an overcommitted node.
    let free = Resources::from_fn(allocatable);
    let used = used.requested;
    if request.milli_cpu > 0 && request.milli_cpu > free.milli_cpu - used.milli_cpu {
        reasons.push(INSUFFICIENT_CPU);
    }
    if request.memory > 0 && request.memory > free.memory - used.memory {
        reasons.push(INSUFFICIENT_MEMORY);
    }
    if request.ephemeral_storage > 0
        && request.ephemeral_storage > free.ephemeral_storage - used.ephemeral_storage
    {
        reasons.push(INSUFFICIENT_EPHEMERAL_STORAGE);
    }
    reasons
}
