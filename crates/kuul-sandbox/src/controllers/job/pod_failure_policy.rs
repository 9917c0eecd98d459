//! `spec.podFailurePolicy`: a port of upstream's `pkg/controller/job/pod_failure_policy.go`
//! (`matchPodFailurePolicy`, `matchOnExitCodes`, `matchOnPodConditions`, at v1.32.0 with the
//! JobBackoffLimitPerIndex gate on, so `FailIndex` is a known action).

use k8s_openapi::api::batch::v1::{PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod, PodCondition, PodStatus};

/// What a rule decided about one failed pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The Job failure message when a `FailJob` rule matched.
    pub fail_job_message: Option<String>,
    /// Whether the failure counts towards `backoffLimit` (not for `Ignore`).
    pub count_failed: bool,
    /// The matched rule's action (`Ignore`, `Count`, `FailJob`, `FailIndex`).
    pub action: Option<String>,
}

/// `matchPodFailurePolicy`: the first rule, in order, whose requirement matches and whose action
/// is known decides; with no policy or no match the failure is counted.
pub fn match_policy(policy: Option<&PodFailurePolicy>, pod: &Pod) -> Match {
    let counted = Match { fail_job_message: None, count_failed: true, action: None };
    let Some(policy) = policy else { return counted };
    let empty = PodStatus::default();
    let status = pod.status.as_ref().unwrap_or(&empty);
    let ns = pod.metadata.namespace.as_deref().unwrap_or_default();
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    for (index, rule) in policy.rules.iter().enumerate() {
        let action = rule.action.as_str();
        let fail_message = if let Some(req) = &rule.on_exit_codes {
            let Some(cs) = match_on_exit_codes(status, req) else { continue };
            let code =
                cs.state.as_ref().and_then(|s| s.terminated.as_ref()).map_or(0, |t| t.exit_code);
            format!(
                "Container {} for pod {ns}/{name} failed with exit code {code} matching {action} rule at index {index}",
                cs.name
            )
        } else if let Some(patterns) = &rule.on_pod_conditions {
            let Some(c) = match_on_pod_conditions(status, patterns) else { continue };
            format!(
                "Pod {ns}/{name} has condition {} matching {action} rule at index {index}",
                c.type_
            )
        } else {
            continue;
        };
        let decided = |count_failed: bool, message: Option<String>| Match {
            fail_job_message: message,
            count_failed,
            action: Some(action.to_owned()),
        };
        match action {
            "Ignore" => return decided(false, None),
            "Count" | "FailIndex" => return decided(true, None),
            "FailJob" => return decided(true, Some(fail_message)),
            // An unknown action skips the rule.
            _ => {}
        }
    }
    counted
}

/// `matchOnExitCodes`: the first terminated container (then init container) with a non-zero
/// exit code matching the requirement.
fn match_on_exit_codes<'a>(
    status: &'a PodStatus,
    req: &PodFailurePolicyOnExitCodesRequirement,
) -> Option<&'a ContainerStatus> {
    let find = |list: &'a Option<Vec<ContainerStatus>>| {
        list.iter().flatten().find(|cs| {
            let Some(t) = cs.state.as_ref().and_then(|s| s.terminated.as_ref()) else {
                return false;
            };
            req.container_name.as_deref().is_none_or(|n| n == cs.name)
                && t.exit_code != 0
                && match req.operator.as_str() {
                    "In" => req.values.contains(&t.exit_code),
                    "NotIn" => !req.values.contains(&t.exit_code),
                    _ => false,
                }
        })
    };
    find(&status.container_statuses).or_else(|| find(&status.init_container_statuses))
}

/// `matchOnPodConditions`: the first pod condition equal (type and status) to a pattern.
fn match_on_pod_conditions<'a>(
    status: &'a PodStatus,
    patterns: &[k8s_openapi::api::batch::v1::PodFailurePolicyOnPodConditionsPattern],
) -> Option<&'a PodCondition> {
    status
        .conditions
        .iter()
        .flatten()
        .find(|c| patterns.iter().any(|p| p.type_ == c.type_ && p.status == c.status))
}
