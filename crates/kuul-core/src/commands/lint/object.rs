//! What a rule looks at: a CronJob or a bare Job, with the paths to its Job spec and pod spec
//! and its parsed schedule (parsed once for every rule).

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::Schedule;

use super::node::Node;

/// The annotation that switches rules off for one object: `kuul.dev/lint-ignore: RULE,RULE`.
pub const IGNORE_ANNOTATION: &str = "kuul.dev/lint-ignore";

/// The kinds lint judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    CronJob,
    Job,
}

/// The schedule as the controller would run it.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    /// The parsed schedule (`.spec.schedule` with `.spec.timeZone`, as the controller builds it).
    pub(crate) schedule: Schedule,
    /// The first run after "now"; `None`: it never fires.
    pub(crate) next: Option<Timestamp>,
    /// The shortest gap between consecutive runs over the next week (or 100 runs).
    pub(crate) min_interval: Option<SignedDuration>,
}

/// One CronJob or Job to lint.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    pub(crate) kind: Kind,
    pub(crate) object: &'a Node,
    /// `spec.jobTemplate.spec` for a CronJob, `spec` for a Job.
    pub(crate) job_spec_path: &'static str,
    /// `<job spec>.template.spec`.
    pub(crate) pod_spec_path: &'static str,
    /// For CronJobs whose schedule parses, judged from "now" (the API server's clock in
    /// cluster mode, this machine's for files).
    pub(crate) timing: Option<Timing>,
}

impl<'a> Target<'a> {
    /// A target for a `batch` CronJob or Job; `None` for every other kind (skipped silently).
    pub(crate) fn new(object: &'a Node, now: Timestamp) -> Option<Target<'a>> {
        let api_version = object.at("apiVersion").and_then(Node::as_str).unwrap_or("");
        if !(api_version == "batch/v1" || api_version.starts_with("batch/")) {
            return None;
        }
        let (kind, job_spec_path, pod_spec_path) = match object.at("kind").and_then(Node::as_str)? {
            "CronJob" => {
                (Kind::CronJob, "spec.jobTemplate.spec", "spec.jobTemplate.spec.template.spec")
            }
            "Job" => (Kind::Job, "spec", "spec.template.spec"),
            _ => return None,
        };
        let mut target = Target { kind, object, job_spec_path, pod_spec_path, timing: None };
        if kind == Kind::CronJob
            && let Some(schedule) = target.schedule()
        {
            target.timing = timing(schedule, target.time_zone(), now);
        }
        Some(target)
    }

    /// `metadata.name` (empty when missing, e.g. `generateName`).
    pub(crate) fn name(&self) -> &'a str {
        self.object.at("metadata.name").and_then(Node::as_str).unwrap_or("")
    }

    /// `metadata.namespace`, if set.
    pub(crate) fn namespace(&self) -> Option<&'a str> {
        self.object.at("metadata.namespace").and_then(Node::as_str)
    }

    /// `CronJob/name`, or `CronJob/namespace/name`.
    pub(crate) fn display(&self) -> String {
        let kind = match self.kind {
            Kind::CronJob => "CronJob",
            Kind::Job => "Job",
        };
        match self.namespace() {
            Some(ns) => format!("{kind}/{ns}/{}", self.name()),
            None => format!("{kind}/{}", self.name()),
        }
    }

    /// `.spec.schedule`.
    pub(crate) fn schedule(&self) -> Option<&'a str> {
        self.object.at("spec.schedule").and_then(Node::as_str)
    }

    /// `.spec.timeZone`.
    pub(crate) fn time_zone(&self) -> Option<&'a str> {
        self.object.at("spec.timeZone").and_then(Node::as_str)
    }

    /// `.spec.concurrencyPolicy`, defaulted to `Allow` as the API server does.
    pub(crate) fn concurrency_policy(&self) -> &'a str {
        self.object.at("spec.concurrencyPolicy").and_then(Node::as_str).unwrap_or("Allow")
    }

    /// The node at `<job spec>.<rel>` (or the job spec itself for `""`).
    pub(crate) fn job(&self, rel: &str) -> Option<&'a Node> {
        if rel.is_empty() {
            self.object.at(self.job_spec_path)
        } else {
            self.object.at(&format!("{}.{rel}", self.job_spec_path))
        }
    }

    /// The pod spec node.
    pub(crate) fn pod_spec(&self) -> Option<&'a Node> {
        self.object.at(self.pod_spec_path)
    }

    /// The nearest existing node to hang a "field missing" finding on: the job spec, else the
    /// `spec`, else the object.
    pub(crate) fn job_anchor(&self) -> &'a Node {
        self.job("").or_else(|| self.object.at("spec")).unwrap_or(self.object)
    }

    /// The rule IDs the object's `kuul.dev/lint-ignore` annotation switches off.
    pub(crate) fn ignored(&self) -> Vec<&'a str> {
        let Some(annotations) = self.object.at("metadata.annotations") else { return Vec::new() };
        annotations
            .get(IGNORE_ANNOTATION)
            .and_then(Node::as_str)
            .map(|list| list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }
}

/// The parsed schedule, its next run after `now` and its shortest interval.
pub(crate) fn timing(schedule: &str, time_zone: Option<&str>, now: Timestamp) -> Option<Timing> {
    let schedule = Schedule::for_cronjob(schedule, time_zone).ok()?;
    let next = schedule.next(now);
    let min_interval = next.and_then(|first| {
        let horizon = first + SignedDuration::from_hours(24 * 7);
        let mut previous = first;
        let mut shortest: Option<SignedDuration> = None;
        for _ in 0..100 {
            let Some(run) = schedule.next(previous) else { break };
            let gap = run.duration_since(previous);
            shortest = Some(shortest.map_or(gap, |s| s.min(gap)));
            if run > horizon {
                break;
            }
            previous = run;
        }
        shortest
    });
    Some(Timing { schedule, next, min_interval })
}

/// A duration as kubectl prints one (`5m`, `1h30m`, `2d`), from seconds.
pub(crate) fn human(seconds: i64) -> String {
    crate::duration::human(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::lint::node::parse_documents;

    fn now() -> Timestamp {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn cronjobs_and_jobs_are_targets_and_nothing_else() {
        let docs = parse_documents(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: '*/5 * * * *'}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: example.com/v1\nkind: CronJob\nmetadata: {name: d}\n",
        )
        .unwrap();
        let targets: Vec<_> = docs.iter().filter_map(|d| Target::new(d, now())).collect();
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0].kind, Kind::CronJob);
        assert_eq!(
            targets[0].timing.as_ref().unwrap().min_interval,
            Some(SignedDuration::from_mins(5))
        );
        assert_eq!(targets[1].kind, Kind::Job);
        assert_eq!(targets[1].job_spec_path, "spec");
    }

    #[test]
    fn irregular_schedules_report_their_shortest_gap() {
        let t = timing("0 9,10 * * 1-5", None, now()).unwrap();
        assert_eq!(t.min_interval, Some(SignedDuration::from_hours(1)));
        let never = timing("0 0 30 2 *", None, now()).unwrap();
        assert_eq!((never.next, never.min_interval), (None, None));
    }
}
