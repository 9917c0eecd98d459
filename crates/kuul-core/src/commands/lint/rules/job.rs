//! Job-level settings that bite: retries, restart policy, deadlines, TTL and `suspend`.
//! Bare Jobs get these too (paths relative to their own `spec`).

use super::super::config::Config;
use super::super::object::{Kind, Target, human};
use super::Sink;

/// The Job-level rules of one target.
pub(crate) fn check(target: &Target<'_>, config: &Config, out: &mut Sink<'_>) {
    let anchor = target.job_anchor();
    let path = |rel: &str| format!("{}.{rel}", target.job_spec_path);
    let backoff = target.job("backoffLimit");
    if backoff.is_none() {
        out.push(
            "backoff-limit-missing",
            anchor,
            &path("backoffLimit"),
            "no backoffLimit: a failing run is retried 6 times (the default) with growing \
             delays; set backoffLimit (0-3 for periodic work)"
                .to_owned(),
        );
    }
    let restart = target
        .pod_spec()
        .and_then(|p| p.get("restartPolicy"))
        .and_then(|n| n.as_str().map(|s| (s, n)));
    if let (Some(("OnFailure", _)), Some(node)) = (restart, backoff)
        && let Some(limit) = node.as_i64()
        && limit > config.thresholds.on_failure_backoff_limit
    {
        out.push(
            "restart-on-failure-high-backoff",
            node,
            &path("backoffLimit"),
            format!(
                "restartPolicy OnFailure with backoffLimit {limit}: the container restarts in \
                 place and at the limit the pod and its logs are deleted; use restartPolicy \
                 Never or backoffLimit {} or less",
                config.thresholds.on_failure_backoff_limit
            ),
        );
    }
    if target.job("activeDeadlineSeconds").is_none() {
        let blocks = target.kind == Kind::CronJob && target.concurrency_policy() == "Forbid";
        out.push(
            "active-deadline-missing",
            anchor,
            &path("activeDeadlineSeconds"),
            format!(
                "no activeDeadlineSeconds: a hung run never ends{}; set a deadline a little \
                 above the longest expected run",
                if blocks { " and, with Forbid, blocks every later run" } else { "" }
            ),
        );
    }
    if let Some(node) = target.job("ttlSecondsAfterFinished")
        && let Some(ttl) = node.as_i64()
        && ttl < config.thresholds.min_ttl_seconds
    {
        out.push(
            "ttl-too-short",
            node,
            &path("ttlSecondsAfterFinished"),
            format!(
                "ttlSecondsAfterFinished {}: the Job and its pods (and logs) are deleted before \
                 anyone can read them; keep them {} or longer",
                human(ttl),
                human(config.thresholds.min_ttl_seconds)
            ),
        );
    }
    suspended(target, out);
}

fn suspended(target: &Target<'_>, out: &mut Sink<'_>) {
    let Some(node) = target.object.at("spec.suspend") else { return };
    if node.as_bool() == Some(true) {
        out.push(
            "suspended",
            node,
            "spec.suspend",
            format!(
                "suspend: true ships the {} switched off; remove it (kubectl kuul suspend-all \
                 is for pausing live jobs)",
                if target.kind == Kind::CronJob { "CronJob" } else { "Job" }
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{trips, with};

    const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: m
          image: migrate:2.0
          resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}}
";

    #[test]
    fn backoff_limit_missing() {
        assert!(trips("backoff-limit-missing", &with("      backoffLimit: 2\n", "")));
        assert!(!trips("backoff-limit-missing", super::super::testing::CLEAN));
        assert!(trips("backoff-limit-missing", JOB), "bare Jobs get Job rules");
    }

    #[test]
    fn restart_on_failure_high_backoff() {
        let on_failure = with("restartPolicy: Never", "restartPolicy: OnFailure");
        assert!(!trips("restart-on-failure-high-backoff", &on_failure));
        let high = on_failure.replace("backoffLimit: 2", "backoffLimit: 6");
        assert!(trips("restart-on-failure-high-backoff", &high));
        let never = with("backoffLimit: 2", "backoffLimit: 6");
        assert!(!trips("restart-on-failure-high-backoff", &never));
        let job = JOB.replace("spec:\n  template:", "spec:\n  backoffLimit: 10\n  template:");
        assert!(trips("restart-on-failure-high-backoff", &job));
    }

    #[test]
    fn active_deadline_missing() {
        let yaml = with("      activeDeadlineSeconds: 3600\n", "");
        assert!(trips("active-deadline-missing", &yaml));
        let f = super::super::testing::findings(&yaml);
        let finding = f.iter().find(|f| f.rule == "active-deadline-missing").unwrap();
        assert!(finding.message.contains("with Forbid"), "{finding:?}");
        assert_eq!(finding.field, "spec.jobTemplate.spec.activeDeadlineSeconds");
        assert_eq!(finding.line, 14, "points at the job spec's key");
        assert!(!trips("active-deadline-missing", super::super::testing::CLEAN));
    }

    #[test]
    fn ttl_too_short() {
        let yaml = with("ttlSecondsAfterFinished: 86400", "ttlSecondsAfterFinished: 0");
        assert!(trips("ttl-too-short", &yaml));
        assert!(!trips("ttl-too-short", &with("      ttlSecondsAfterFinished: 86400\n", "")));
        assert!(!trips("ttl-too-short", super::super::testing::CLEAN));
    }

    #[test]
    fn suspended() {
        let yaml =
            with("  timeZone: Europe/Berlin\n", "  timeZone: Europe/Berlin\n  suspend: true\n");
        assert!(trips("suspended", &yaml));
        let off = yaml.replace("suspend: true", "suspend: false");
        assert!(!trips("suspended", &off));
        let job = JOB.replace("spec:\n  template:", "spec:\n  suspend: true\n  template:");
        assert!(trips("suspended", &job));
    }
}
