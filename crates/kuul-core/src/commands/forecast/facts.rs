//! The fields `forecast` reads, decoded straight from list pages: of a CronJob its schedule,
//! zone, suspension, concurrency policy, starting deadline, last schedule time, and of its pod
//! template the placement and the containers' resources; of a Job its owner and how long it
//! ran.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

pub(crate) use crate::cluster::facts::JobFacts;
use crate::cluster::facts::{Container, Meta, PodSpec, StrMap};
use crate::placement::{Affinity, Placement, Toleration};

/// A CronJob as `forecast` sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
    #[serde(default)]
    pub(crate) status: CronJobStatus,
}

/// `.spec` of a CronJob, the parts that say when and how it runs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobSpec {
    #[serde(default)]
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) suspend: Option<bool>,
    pub(crate) concurrency_policy: Option<String>,
    pub(crate) starting_deadline_seconds: Option<i64>,
    #[serde(default)]
    pub(crate) job_template: JobTemplate,
}

/// `.status` of a CronJob: where an `@every` chain continues from, and the Jobs the controller
/// counts as running.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobStatus {
    pub(crate) last_schedule_time: Option<Timestamp>,
    /// `.status.active`: the Jobs the controller created and has not seen finish. Only these
    /// count for Forbid and Replace (a Job made by hand, `kubectl create job --from`, is never
    /// added: upstream `syncCronJob` warns "UnexpectedJob" and leaves it out).
    #[serde(default)]
    pub(crate) active: Vec<ActiveRef>,
}

/// An entry of `.status.active` (an ObjectReference), the part read.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ActiveRef {
    #[serde(default)]
    pub(crate) uid: String,
}

/// `.spec.jobTemplate`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobTemplate {
    #[serde(default)]
    pub(crate) spec: JobSpec,
}

/// `.spec.jobTemplate.spec`: how many pods run at once, and their template.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobSpec {
    pub(crate) parallelism: Option<i64>,
    pub(crate) completions: Option<i64>,
    #[serde(default)]
    pub(crate) template: PodTemplate,
}

/// The pod template.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodTemplate {
    #[serde(default)]
    pub(crate) spec: TemplateSpec,
}

/// The pod template's spec: placement and resources, in one pass.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TemplateSpec {
    #[serde(default)]
    pub(crate) node_selector: BTreeMap<String, String>,
    pub(crate) affinity: Option<Affinity>,
    #[serde(default)]
    pub(crate) tolerations: Vec<Toleration>,
    #[serde(default)]
    pub(crate) containers: Vec<Container>,
    #[serde(default)]
    pub(crate) init_containers: Vec<Container>,
    #[serde(default)]
    pub(crate) overhead: StrMap,
}

impl CronJobFacts {
    /// `namespace/name`.
    pub(crate) fn id(&self) -> String {
        format!("{}/{}", self.metadata.namespace, self.metadata.name)
    }

    /// Where its pods may run.
    pub(crate) fn placement(&self) -> Placement {
        let t = &self.spec.job_template.spec.template.spec;
        Placement {
            node_selector: t.node_selector.clone(),
            affinity: t.affinity.clone(),
            tolerations: t.tolerations.clone(),
        }
    }

    /// The pod spec as far as requests go.
    pub(crate) fn pod_spec(&self) -> PodSpec {
        let t = &self.spec.job_template.spec.template.spec;
        PodSpec {
            node_name: None,
            containers: t.containers.clone(),
            init_containers: t.init_containers.clone(),
            overhead: t.overhead.clone(),
        }
    }

    /// Pods a run has at once: `parallelism` (default 1), no more than `completions` when set
    /// (upstream job controller: active pods = min(parallelism, completions - succeeded)).
    pub(crate) fn pods_per_run(&self) -> u32 {
        let spec = &self.spec.job_template.spec;
        let parallelism = spec.parallelism.unwrap_or(1);
        let pods = spec.completions.map_or(parallelism, |c| parallelism.min(c));
        u32::try_from(pods.max(0)).unwrap_or(u32::MAX)
    }
}

impl JobFacts {
    /// How long a finished run took: start to `completionTime` (a success), or to its `Failed`
    /// condition (a failure has no completionTime). `None` while it runs.
    pub(crate) fn duration(&self) -> Option<SignedDuration> {
        let start = self.status.start_time?;
        let end = self
            .status
            .completion_time
            .or_else(|| self.condition("Failed").and_then(|c| c.last_transition_time))?;
        Some(end.duration_since(start)).filter(|d| !d.is_negative())
    }
}

/// The median of durations (the mean of the two middle ones for an even count).
pub(crate) fn median(mut durations: Vec<SignedDuration>) -> Option<SignedDuration> {
    if durations.is_empty() {
        return None;
    }
    durations.sort();
    let n = durations.len();
    Some(if n % 2 == 1 {
        durations[n / 2]
    } else {
        let (a, b) = (durations[n / 2 - 1], durations[n / 2]);
        a + (b - a) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn median_of_odd_and_even_counts() {
        let s = SignedDuration::from_secs;
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![s(30), s(10), s(20)]), Some(s(20)));
        assert_eq!(median(vec![s(40), s(10), s(20), s(30)]), Some(s(25)));
    }

    #[test]
    fn a_failed_job_lasts_until_its_failed_condition() {
        let job: JobFacts = serde_json::from_value(json!({"metadata": {"name": "j"},
            "status": {"startTime": "2025-03-01T10:00:00Z", "conditions": [
                {"type": "Failed", "status": "True", "lastTransitionTime": "2025-03-01T10:03:00Z"}]}}))
        .unwrap();
        assert_eq!(job.duration(), Some(SignedDuration::from_mins(3)));
    }

    #[test]
    fn requests_default_from_limits_and_pods_follow_parallelism() {
        let cj: CronJobFacts = serde_json::from_value(json!({"metadata": {"name": "c"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"parallelism": 3,
              "completions": 2, "template": {"spec": {"containers": [
                {"resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "500m"}}}]}}}}}}))
        .unwrap();
        let r = cj.pod_spec().requests();
        assert!((r.cpu - 0.5).abs() < 1e-12, "{r:?}");
        assert!((r.memory_gib - 1.0).abs() < 1e-12, "{r:?}");
        assert_eq!(cj.pods_per_run(), 2);
    }
}
