//! The rules: one registry entry per rule (ID, default severity, one-line why, its page under
//! `docs/lint/`), and one file per family of checks.
//!
//! Object rules look at one CronJob (or bare Job) at a time; set rules (`name-duplicate`,
//! `schedule-pile-up`) look at everything linted together; live rules (`placement-unsatisfiable`,
//! `concurrency-vs-duration`) need the cluster's nodes and run history and run only there.

pub(crate) mod history;
pub(crate) mod job;
pub(crate) mod live;
pub(crate) mod naming;
pub(crate) mod pileup;
pub(crate) mod pod;
pub(crate) mod schedule;

use serde::Serialize;

use super::config::Config;
use super::node::Node;
use super::object::Target;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Likely to bite.
    Warning,
    /// Will not work as written.
    Error,
}

impl Severity {
    /// The word used on the command line, in `.kuul-lint.yaml` and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` (or `warn`) and `error`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Where a rule can be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// From the manifest alone (files and cluster).
    Manifest,
    /// From a manifest file only (in the cluster the state is deliberate, e.g. `suspend`).
    FilesOnly,
    /// Needs live facts (nodes, run history): cluster mode only.
    Live,
}

/// One rule.
#[derive(Debug)]
pub(crate) struct Rule {
    /// Stable ID, used in `kuul.dev/lint-ignore`, `.kuul-lint.yaml`, SARIF and `--explain`.
    pub(crate) id: &'static str,
    /// Default severity (`.kuul-lint.yaml` may change it).
    pub(crate) severity: Severity,
    /// One line: why it matters.
    pub(crate) why: &'static str,
    /// Whether bare Jobs get it too.
    pub(crate) jobs_too: bool,
    /// Where it can be judged.
    pub(crate) scope: Scope,
    /// Its page, printed by `lint --explain ID`.
    pub(crate) doc: &'static str,
}

macro_rules! rule {
    ($id:literal, $severity:ident, $jobs:literal, $scope:ident, $why:literal) => {
        Rule {
            id: $id,
            severity: Severity::$severity,
            why: $why,
            jobs_too: $jobs,
            scope: Scope::$scope,
            doc: include_str!(concat!("../../../../../../docs/lint/", $id, ".md")),
        }
    };
}

/// Every rule, in the order `--explain` lists them.
pub(crate) static RULES: &[Rule] = &[
    rule!(
        "schedule-invalid",
        Error,
        false,
        Manifest,
        "the API server rejects the CronJob: its schedule does not parse"
    ),
    rule!(
        "schedule-never-fires",
        Error,
        false,
        Manifest,
        "the schedule is valid but names no date that exists (e.g. 30 February), so it never runs"
    ),
    rule!(
        "schedule-tz-prefix",
        Error,
        false,
        Manifest,
        "TZ=/CRON_TZ= in .spec.schedule is rejected on create since Kubernetes 1.27; use .spec.timeZone"
    ),
    rule!(
        "time-zone-unknown",
        Error,
        false,
        Manifest,
        "the API server rejects a .spec.timeZone that is not a known IANA zone"
    ),
    rule!(
        "time-zone-missing",
        Warning,
        false,
        Manifest,
        "without .spec.timeZone the schedule runs in kube-controller-manager's local zone"
    ),
    rule!(
        "name-too-long",
        Error,
        false,
        Manifest,
        "CronJob names over 52 characters are rejected (the controller appends an 11-character suffix to Job names)"
    ),
    rule!(
        "name-duplicate",
        Error,
        false,
        Manifest,
        "two CronJobs with one name in one namespace: the later apply silently replaces the earlier"
    ),
    rule!(
        "starting-deadline-too-short",
        Warning,
        false,
        Manifest,
        "the controller may look later than startingDeadlineSeconds under 10 and then never start the run"
    ),
    rule!(
        "starting-deadline-missing",
        Warning,
        false,
        Manifest,
        "a frequent schedule without startingDeadlineSeconds starts missed runs however late, and 100 missed starts raise TooManyMissedTimes (older controllers stopped for good)"
    ),
    rule!(
        "backoff-limit-missing",
        Warning,
        true,
        Manifest,
        "without backoffLimit a failing run is retried 6 times, with growing delays"
    ),
    rule!(
        "restart-on-failure-high-backoff",
        Warning,
        true,
        Manifest,
        "restartPolicy OnFailure with a high backoffLimit restarts in place and deletes the pod (and its logs) at the limit"
    ),
    rule!(
        "active-deadline-missing",
        Warning,
        true,
        Manifest,
        "without activeDeadlineSeconds a hung run holds its resources (and, with Forbid, blocks every later run) forever"
    ),
    rule!(
        "active-deadline-pile-up",
        Warning,
        false,
        Manifest,
        "with concurrencyPolicy Allow and a deadline longer than the interval, slow runs pile up"
    ),
    rule!(
        "resources-missing",
        Warning,
        true,
        Manifest,
        "containers without CPU and memory requests and limits can starve a node or run away"
    ),
    rule!(
        "image-tag-latest",
        Warning,
        true,
        Manifest,
        "an image without a tag or with :latest changes under the schedule without a deploy"
    ),
    rule!(
        "history-limit-zero",
        Warning,
        false,
        Manifest,
        "a history limit of 0 deletes each finished Job at once: no pods, no logs to look at"
    ),
    rule!(
        "history-limit-large",
        Info,
        false,
        Manifest,
        "very large history limits keep many Jobs and pods around and slow the controller"
    ),
    rule!(
        "ttl-too-short",
        Warning,
        true,
        Manifest,
        "ttlSecondsAfterFinished shorter than anyone could react deletes the Job and its logs first"
    ),
    rule!(
        "suspended",
        Warning,
        true,
        FilesOnly,
        "suspend: true in a manifest ships the job switched off"
    ),
    rule!(
        "schedule-pile-up",
        Warning,
        false,
        Manifest,
        "many CronJobs starting in the same minute spike the cluster (and the API server) at once"
    ),
    rule!(
        "placement-unsatisfiable",
        Error,
        false,
        Live,
        "no schedulable node matches the pod's nodeSelector/affinity/tolerations: runs stay Pending"
    ),
    rule!(
        "concurrency-vs-duration",
        Warning,
        false,
        Live,
        "runs last longer than the schedule interval, so the concurrency policy overlaps, skips or kills them"
    ),
];

/// The rule with this ID.
pub(crate) fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One problem found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// The rule's ID.
    pub(crate) rule: &'static str,
    /// The field it concerns (`spec.jobTemplate.spec.backoffLimit`), or the object's own path.
    pub(crate) field: String,
    /// Where in the source (0: unknown).
    pub(crate) line: u32,
    /// Column in the source (0: unknown).
    pub(crate) column: u32,
    /// What is wrong, in one line, with what to do where it helps.
    pub(crate) message: String,
}

/// Collects findings for one target, pointing at the nearest node that exists.
pub(crate) struct Sink<'a> {
    pub(crate) found: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    /// Records `rule` at `node` (the offending value, or the parent that lacks a field).
    pub(crate) fn push(&mut self, rule: &'static str, node: &Node, field: &str, message: String) {
        self.found.push(Finding {
            rule,
            field: field.to_owned(),
            line: node.line,
            column: node.column,
            message,
        });
    }
}

/// Runs every object rule on one target.
pub(crate) fn check_object(target: &Target<'_>, config: &Config, out: &mut Sink<'_>) {
    schedule::check(target, config, out);
    naming::check(target, out);
    job::check(target, config, out);
    pod::check(target, out);
    history::check(target, config, out);
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the per-rule tests: lint one manifest, get the rule IDs that fired.

    use super::super::config::Config;
    use super::super::node::parse_documents;
    use super::super::object::Target;
    use super::{Finding, Sink, check_object};

    /// A "now" fixed for the tests: 2025-03-01T10:00:00Z.
    pub(crate) fn now() -> jiff::Timestamp {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    /// Findings of the object rules on the first document of `yaml`.
    pub(crate) fn findings(yaml: &str) -> Vec<Finding> {
        let docs = parse_documents(yaml).unwrap();
        let target = Target::new(&docs[0], now()).expect("a CronJob or Job");
        let mut found = Vec::new();
        check_object(&target, &Config::default(), &mut Sink { found: &mut found });
        found
    }

    /// Whether `rule` fired on `yaml`.
    pub(crate) fn trips(rule: &str, yaml: &str) -> bool {
        findings(yaml).iter().any(|f| f.rule == rule)
    }

    /// A CronJob that passes every object rule; tests edit one field of it.
    pub(crate) const CLEAN: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-backup
  namespace: ops
spec:
  schedule: \"17 3 * * *\"
  timeZone: Europe/Berlin
  startingDeadlineSeconds: 300
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 3600
      ttlSecondsAfterFinished: 86400
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: backup
              image: registry.example.com/backup:1.4.2
              resources:
                requests: {cpu: 100m, memory: 128Mi}
                limits: {cpu: \"1\", memory: 512Mi}
";

    /// `CLEAN` with one line replaced (the line must occur exactly once).
    pub(crate) fn with(from: &str, to: &str) -> String {
        assert_eq!(CLEAN.matches(from).count(), 1, "{from}");
        CLEAN.replace(from, to)
    }

    #[test]
    fn the_clean_manifest_is_clean() {
        assert_eq!(findings(CLEAN), Vec::<Finding>::new());
    }
}
