use serde_json::json;

use super::*;

#[test]
fn documents_merge_items_with_their_context_and_keep_each_clusters_header() {
    let a = json!({"apiVersion": "kuul.dev/v1alpha1", "kind": "LastRunReport",
        "observedAt": "2025-03-01T10:00:00Z", "items": [{"name": "backup", "verdict": "OK"}]});
    let b = json!({"apiVersion": "kuul.dev/v1alpha1", "kind": "LastRunReport",
        "observedAt": "2025-03-01T11:00:00Z", "items": [{"name": "report"}]});
    let merged = merge_documents(
        vec![("b".into(), b), ("a".into(), a)],
        &[("c".into(), "cannot reach the API server".into())],
    );
    assert_eq!(
        merged,
        json!({"apiVersion": "kuul.dev/v1alpha1", "kind": "LastRunReport",
            "items": [{"context": "b", "name": "report"},
                      {"context": "a", "name": "backup", "verdict": "OK"}],
            "contexts": [{"name": "a", "observedAt": "2025-03-01T10:00:00Z"},
                         {"name": "b", "observedAt": "2025-03-01T11:00:00Z"},
                         {"name": "c", "error": "cannot reach the API server"}]})
    );
    // `context` is the first key of every item.
    let first = merged["items"][0].as_object().unwrap().keys().next().unwrap().clone();
    assert_eq!(first, "context");
}

#[test]
fn exit_status_is_the_worst_cluster_and_a_failed_cluster_is_partial_or_failing() {
    let ok = || Ok(ExitStatus::Success);
    let down = || Err(Error::Unreachable { server: "s".into(), reason: "refused".into() });
    let runs = |list: Vec<Result<ExitStatus>>| -> Vec<(String, Result<ExitStatus>)> {
        list.into_iter().enumerate().map(|(i, r)| (i.to_string(), r)).collect()
    };
    assert_eq!(merge_statuses(&runs(vec![ok(), ok()]), false), ExitStatus::Success);
    assert_eq!(merge_statuses(&runs(vec![ok(), down()]), false), ExitStatus::Partial);
    assert_eq!(merge_statuses(&runs(vec![ok(), down()]), true), ExitStatus::CheckFailed);
    assert_eq!(merge_statuses(&runs(vec![down(), down()]), false), ExitStatus::Error);
    assert_eq!(
        merge_statuses(&runs(vec![Ok(ExitStatus::CheckFailed), ok()]), true),
        ExitStatus::CheckFailed
    );
    assert_eq!(
        merge_statuses(&runs(vec![Ok(ExitStatus::Error), Ok(ExitStatus::Partial)]), false),
        ExitStatus::Error
    );
}

#[test]
fn text_lines_carry_their_context() {
    assert_eq!(prefixed("prod", "a\nb\n"), "[prod] a\n[prod] b\n");
}

#[test]
fn names_lead_with_their_context_and_split_from_the_right() {
    assert_eq!(named("prod", "cronjob.batch/backup"), "prod/cronjob.batch/backup");
    // An EKS context holds `/`: the object is still the last two fields.
    let line = named("arn:aws:eks:eu-west-1:1:cluster/prod", "job.batch/backup-1");
    let (rest, name) = line.rsplit_once('/').unwrap();
    let (context, resource) = rest.rsplit_once('/').unwrap();
    assert_eq!(
        (context, resource, name),
        ("arn:aws:eks:eu-west-1:1:cluster/prod", "job.batch", "backup-1")
    );
}
