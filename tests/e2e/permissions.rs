//! Least privilege: every command runs as admin against the sandbox, the sandbox records the
//! (verb, group, resource) of every request, and each must be allowed by the ClusterRole the
//! README's permissions table names for that command (`deploy/rbac/*.yaml`). A command that
//! starts needing more fails here until the role and the README say so.

use std::path::PathBuf;

use serde::Deserialize;

use crate::support::*;

#[derive(Deserialize)]
struct ClusterRole {
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    api_groups: Vec<String>,
    resources: Vec<String>,
    verbs: Vec<String>,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn role(name: &str) -> ClusterRole {
    let text = std::fs::read_to_string(repo().join(format!("deploy/rbac/{name}.yaml"))).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}.yaml: {e}"))
}

/// The role the README's permissions table names for the row starting with `row`.
fn readme_role(row: &str) -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let prefix = format!("| `{row}` |");
    let line = readme
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("README's permissions table has no row {prefix}"));
    line.split('|').nth(2).unwrap().trim().to_owned()
}

fn allowed(role: &ClusterRole, verb: &str, group: &str, resource: &str) -> bool {
    role.rules.iter().any(|r| {
        r.api_groups.iter().any(|g| g == group || g == "*")
            && r.resources.iter().any(|x| x == resource || x == "*")
            && r.verbs.iter().any(|v| v == verb || v == "*")
    })
}

/// A namespace with a node, a CronJob and one finished run of it.
fn fixture() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": "backup", "namespace": "ops"},
               "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {
                   "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
                   "spec": {"restartPolicy": "Never",
                            "containers": [{"name": "main", "image": "busybox",
                                            "resources": {"requests": {"cpu": "100m"}}}]}}}}}}),
    )
    .unwrap();
    sb.advance(jiff::SignedDuration::from_secs(6 * 60));
    sb
}

#[test]
fn every_command_stays_within_the_role_the_readme_names() {
    let cases: &[(&str, &[&str])] = &[
        ("lastrun", &["lastrun", "-A"]),
        ("cost-report", &["cost-report", "-A"]),
        ("history", &["history", "-A"]),
        ("logs", &["logs", "backup", "-n", "ops"]),
        ("lint", &["lint", "-A", "--fail-on", "never"]),
        ("forecast", &["forecast", "-A", "--suggest"]),
        ("label-pool", &["label-pool", "-A"]),
        ("label-pool POOL NODE...", &["label-pool", "internal", "node-1"]),
        ("trigger", &["trigger", "backup", "-n", "ops"]),
        ("reschedule-next-minute", &["reschedule-next-minute", "backup", "-n", "ops"]),
        ("reschedule-next-minute", &["reschedule-next-minute", "backup", "-n", "ops", "--restore"]),
        ("suspend-all", &["suspend-all", "-n", "ops"]),
        ("resume", &["resume", "-n", "ops"]),
        ("prune", &["prune", "-n", "ops", "--succeeded", "--pods", "--yes"]),
    ];
    let sb = fixture();
    let mut problems = Vec::new();
    for (row, args) in cases {
        let role_name = readme_role(row);
        let role = role(&role_name);
        sb.reset_counts();
        let run = kuul(&sb, args);
        assert!(run.code == 0, "{args:?} failed:\n{}{}", run.stdout, run.stderr);
        let counts = sb.request_counts();
        assert!(!counts.is_empty(), "{args:?} sent no request?");
        for c in counts {
            if !allowed(&role, &c.key.verb, &c.key.group, &c.key.resource) {
                problems.push(format!(
                    "{args:?} sent {} {}/{} outside {role_name}",
                    c.key.verb, c.key.group, c.key.resource
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_operator_role_contains_the_viewer_role() {
    let (viewer, operator) = (role("kuul-viewer"), role("kuul-operator"));
    for rule in &viewer.rules {
        for group in &rule.api_groups {
            for resource in &rule.resources {
                for verb in &rule.verbs {
                    assert!(allowed(&operator, verb, group, resource), "{verb} {group}/{resource}");
                }
            }
        }
    }
}

#[test]
fn the_viewer_gets_a_clear_403_and_nothing_changes() {
    let sb = fixture();
    let before = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    for args in [
        &["suspend-all", "-n", "ops", "--context", "kuul-sandbox-viewer"][..],
        &["reschedule-next-minute", "backup", "-n", "ops", "--context", "kuul-sandbox-viewer"][..],
    ] {
        let run = kuul(&sb, args);
        // Bulk or not, a write RBAC refuses ends the same way (issue 13): one `error:
        // forbidden: cannot patch cronjobs.batch in namespace "ops"` line, exit 1, no table.
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: forbidden: cannot patch cronjobs.batch in namespace \"ops\""),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stdout.contains("failed:"), "{args:?}: {}", run.stdout);
        assert!(!run.stderr.contains("panicked"));
    }
    let after = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert_eq!(before["metadata"]["resourceVersion"], after["metadata"]["resourceVersion"]);
}
