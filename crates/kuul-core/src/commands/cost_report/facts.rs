//! The few fields `cost-report` reads from CronJobs, Jobs and Pods, decoded straight from list
//! pages (as `lastrun`'s facts are): serde skips pod templates, env, volumes and managedFields
//! without building them, which keeps `cost-report -A` on 50,000 pods fast.

use jiff::Timestamp;
use serde::Deserialize;

pub(crate) use crate::cluster::facts::{
    Container, ContainerStatus, CronJobSpec, JobFacts, Meta, PodSpec, PodStatus, StrMap,
};

use super::prices::Resources;
use crate::cluster::shape::Shape;

/// A CronJob as `cost-report` sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
}

/// A Pod: owner, node, requests and container run times.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: PodSpec,
    #[serde(default)]
    pub(crate) status: PodStatus,
}

impl PodSpec {
    /// What a pod with this spec reserves, computed as upstream `resourcehelper.PodRequests`
    /// does (`k8s.io/component-helpers/resource/helpers.go`): the sum of the app containers;
    /// init containers run one at a time, so they count by their maximum, sidecar init
    /// containers (`restartPolicy: Always`) keep running and add to everything after them; plus
    /// the RuntimeClass `overhead`. Each container's requests are first defaulted from its
    /// limits, as the API server does on create (see [`Container::requests`]).
    pub(crate) fn requests(&self) -> Resources {
        let of = |c: &Container| Resources::from_list(c.requests().as_ref());
        let mut total = self.containers.iter().map(of).fold(Resources::default(), Resources::plus);
        let mut sidecars = Resources::default();
        let mut init_peak = Resources::default();
        for init in &self.init_containers {
            let own = of(init);
            let during = if init.restart_policy.as_deref() == Some("Always") {
                total = total.plus(own);
                sidecars = sidecars.plus(own);
                sidecars
            } else {
                own.plus(sidecars)
            };
            init_peak = init_peak.max(during);
        }
        total.max(init_peak).plus(Resources::from_list(&self.overhead))
    }
}

impl Container {
    /// The container's requests as the API server stores them on a Pod: a resource with a limit
    /// but no request is requested at its limit (upstream `SetDefaults_Pod` in
    /// `pkg/apis/core/v1/defaults.go`: "If limits are specified, but requests are not, default
    /// requests to limits", done on Pods only, not on PodTemplates). Pods read from the API are
    /// already defaulted; a CronJob's pod template is not, so this matters there.
    pub(crate) fn requests(&self) -> std::borrow::Cow<'_, StrMap> {
        let r = &self.resources;
        if r.limits.keys().all(|k| r.requests.contains_key(k)) {
            return std::borrow::Cow::Borrowed(&r.requests);
        }
        let mut requests = r.requests.clone();
        for (k, v) in &r.limits {
            if !requests.contains_key(k) {
                requests.insert(k.clone(), v.clone());
            }
        }
        std::borrow::Cow::Owned(requests)
    }
}

impl PodFacts {
    /// What a list of Pods decoded as [`PodFacts`] needs of each item ([`Shape`]): of a
    /// pod's metadata, spec and status, and of each container and container status, only the
    /// fields their types read (no labels, volumes, tolerations, conditions, IPs, images, env...).
    pub(crate) fn shape() -> Option<Shape> {
        let spec = Shape::of::<PodSpec>()
            .map(|s| s.with::<Container>("containers").with::<Container>("initContainers"));
        let status = Shape::of::<PodStatus>().map(|s| {
            s.with::<ContainerStatus>("containerStatuses")
                .with::<ContainerStatus>("initContainerStatuses")
        });
        Shape::of::<PodFacts>()
            .map(|s| s.with::<Meta>("metadata").nest("spec", spec).nest("status", status))
    }

    /// What the pod reserves ([`PodSpec::requests`]).
    pub(crate) fn requests(&self) -> Resources {
        self.spec.requests()
    }

    /// When the pod's containers ran: from the first container start to the last finish, or to
    /// `now` while any still runs. `None` when no container ever started.
    pub(crate) fn run_interval(&self, now: Timestamp) -> Option<(Timestamp, Timestamp)> {
        let statuses =
            self.status.init_container_statuses.iter().chain(&self.status.container_statuses);
        let mut start: Option<Timestamp> = None;
        let mut end: Option<Timestamp> = None;
        let mut running = false;
        for status in statuses {
            let (started, finished) = match (&status.state.running, &status.state.terminated) {
                (Some(r), _) => {
                    running = true;
                    (r.started_at, None)
                }
                (None, Some(t)) => (t.started_at, t.finished_at),
                (None, None) => (None, None),
            };
            if let Some(s) = started {
                start = Some(start.map_or(s, |x| x.min(s)));
            }
            if let Some(f) = finished {
                end = Some(end.map_or(f, |x| x.max(f)));
            }
        }
        let start = start?;
        // A pod not yet in a final phase still holds its requests; a finished pod without any
        // finish time (never seen in practice) is counted as taking no time.
        let finished = matches!(self.status.phase.as_str(), "Succeeded" | "Failed");
        let end = if running || !finished { now } else { end.unwrap_or(start) };
        Some((start, end.max(start)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(value: serde_json::Value) -> PodFacts {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_shapes_cut_nothing_the_types_read() {
        use crate::cluster::list::decoded_whole_and_shaped;
        let (whole, shaped) = decoded_whole_and_shaped::<PodFacts>(0, PodFacts::shape());
        assert_eq!(whole, shaped);
        // What the cut must keep is there: the sidecar's requests and restartPolicy, times.
        assert!(shaped.contains(r#"restart_policy: Some("Always")"#), "{shaped}");
        assert!(shaped.contains("finished_at: Some("), "{shaped}");
        let (whole, shaped) = decoded_whole_and_shaped::<JobFacts>(1, JobFacts::shape());
        assert_eq!(whole, shaped);
    }

    #[test]
    fn requests_follow_upstream_pod_requests() {
        let p = pod(json!({"metadata": {"name": "p"}, "spec": {
            "containers": [
                {"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}},
                {"resources": {"requests": {"cpu": "250m"}}}],
            "initContainers": [
                {"resources": {"requests": {"cpu": "2", "memory": "512Mi"}}},
                {"restartPolicy": "Always", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}],
            "overhead": {"cpu": "10m"}}}));
        let r = p.requests();
        // App containers 0.75 CPU + sidecar 0.1 = 0.85 < first init container's 2 CPU.
        assert!((r.cpu - 2.01).abs() < 1e-12, "{r:?}");
        // Memory: 1Gi + 128Mi sidecar beats 512Mi.
        assert!((r.memory_gib - 1.125).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn run_time_is_first_start_to_last_finish_or_now() {
        let now: Timestamp = "2025-03-01T10:00:00Z".parse().unwrap();
        let done = pod(json!({"metadata": {"name": "p"}, "status": {"phase": "Succeeded",
            "containerStatuses": [
              {"state": {"terminated": {"startedAt": "2025-03-01T09:00:10Z", "finishedAt": "2025-03-01T09:05:00Z"}}},
              {"state": {"terminated": {"startedAt": "2025-03-01T09:00:05Z", "finishedAt": "2025-03-01T09:04:00Z"}}}]}}));
        let (s, e) = done.run_interval(now).unwrap();
        assert_eq!(s.to_string(), "2025-03-01T09:00:05Z");
        assert_eq!(e.to_string(), "2025-03-01T09:05:00Z");
        let running = pod(json!({"metadata": {"name": "p"}, "status": {"phase": "Running",
            "containerStatuses": [{"state": {"running": {"startedAt": "2025-03-01T09:30:00Z"}}}]}}));
        assert_eq!(running.run_interval(now).unwrap().1, now);
        let pending = pod(json!({"metadata": {"name": "p"}, "status": {"phase": "Pending",
            "containerStatuses": [{"state": {"waiting": {"reason": "ContainerCreating"}}}]}}));
        assert_eq!(pending.run_interval(now), None);
    }
}
