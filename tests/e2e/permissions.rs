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

/// The README's permissions-table row starting with `row`: (role, verbs it needs).
fn readme_row(row: &str) -> (String, String) {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let prefix = format!("| `{row}` |");
    let line = readme
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("README's permissions table has no row {prefix}"));
    let cell = |i: usize| line.split('|').nth(i).unwrap_or_default().trim().to_owned();
    (cell(2), cell(3))
}

/// The namespaced resources the commands read (a request for one of them without a namespace
/// needs a cluster-wide binding).
const NAMESPACED: &[&str] = &["cronjobs", "jobs", "pods", "pods/log", "events"];

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
        // Without -A too: pools are cluster-wide, so are the CronJobs that target them.
        ("label-pool", &["label-pool"]),
        ("label-pool", &["label-pool", "--check"]),
        ("label-pool POOL NODE...", &["label-pool", "internal", "node-1"]),
        ("trigger", &["trigger", "backup", "-n", "ops"]),
        ("reschedule-next-minute", &["reschedule-next-minute", "backup", "-n", "ops"]),
        ("reschedule-next-minute", &["reschedule-next-minute", "backup", "-n", "ops", "--restore"]),
        ("suspend-all", &["suspend-all", "-n", "ops"]),
        ("suspend-all", &["suspend-all", "-n", "ops", "--wait", "--delete-active-jobs"]),
        ("resume", &["resume", "-n", "ops"]),
        ("prune", &["prune", "-n", "ops", "--succeeded", "--pods", "--yes"]),
    ];
    let sb = fixture();
    let mut problems = Vec::new();
    for (row, args) in cases {
        let (role_name, verbs) = readme_row(row);
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
            // A namespaced resource read across every namespace though no -A was given: the
            // README must say so (a RoleBinding in one namespace would not do).
            let cluster_wide = c.key.namespace.is_none() && NAMESPACED.contains(&&*c.key.resource);
            let says = verbs.contains(&format!("{} in every namespace", c.key.resource));
            if cluster_wide && !args.contains(&"-A") && !says {
                problems.push(format!(
                    "{args:?} sent {} {} at the cluster scope; README row {row:?} does not say \
                     \"{} in every namespace\"",
                    c.key.verb, c.key.resource, c.key.resource
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

/// The sandbox answers SelfSubjectAccessReviews as RBAC would, and the real `kubectl auth
/// can-i` (protobuf request, its own discovery) reads them: yes/no and exit 0/1, for either
/// user and through impersonation (`--as viewer`).
#[test]
fn kubectl_auth_can_i_reads_the_sandboxs_rbac() {
    let sb = fixture();
    let home = tempfile::tempdir().unwrap();
    let can_i = |args: &[&str]| {
        let mut cmd = kubectl(&sb, home.path())?;
        cmd.args(["auth", "can-i"]).args(args);
        Some(run(cmd))
    };
    let cases: &[(&[&str], &str, i32)] = &[
        (&["patch", "cronjobs", "-n", "ops"], "yes", 0),
        (&["patch", "cronjobs", "-n", "ops", "--as", "viewer"], "no", 1),
        (&["--context", "kuul-sandbox-viewer", "patch", "cronjobs.batch"], "no", 1),
        (&["--context", "kuul-sandbox-viewer", "list", "cronjobs.batch", "-n", "ops"], "yes", 0),
        (&["--context", "kuul-sandbox-viewer", "delete", "jobs", "-n", "ops"], "no", 1),
        (&["delete", "nodes"], "yes", 0),
    ];
    for (args, answer, code) in cases {
        let Some(r) = can_i(args) else { return };
        assert_eq!(r.stdout.trim(), *answer, "{args:?}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.code, *code, "{args:?}: {}", r.stderr);
    }
    // The viewer may not impersonate anyone: the real server's 403.
    let Some(r) = can_i(&["--context", "kuul-sandbox-viewer", "get", "pods", "--as", "admin"])
    else {
        return;
    };
    assert!(r.stderr.contains("cannot impersonate resource \"users\""), "{}", r.stderr);
    // Discovery names the group, so kubectl resolves the resource without a warning.
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    cmd.args(["api-resources", "--api-group=authorization.k8s.io", "-o", "name"]);
    assert_eq!(run(cmd).stdout.trim(), "selfsubjectaccessreviews.authorization.k8s.io");
}

/// A read-only context stops a bulk write before any write is sent: one review per question,
/// no PATCH or DELETE at all (not one refused request per object).
#[test]
fn a_refused_bulk_write_sends_no_write() {
    let sb = fixture();
    for args in [
        &["suspend-all", "-A", "--context", "kuul-sandbox-viewer"][..],
        &["prune", "-A", "--succeeded", "--yes", "--context", "kuul-sandbox-viewer"][..],
        &["label-pool", "internal", "node-1", "--context", "kuul-sandbox-viewer"][..],
    ] {
        sb.reset_counts();
        let run = kuul(&sb, args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.starts_with("error: forbidden: cannot "), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        let writes: Vec<String> = sb
            .request_counts()
            .into_iter()
            .filter(|c| matches!(c.key.verb.as_str(), "patch" | "delete" | "update"))
            .map(|c| format!("{} {}", c.key.verb, c.key.resource))
            .collect();
        assert!(writes.is_empty(), "{args:?} sent {writes:?}");
    }
}

/// `dash`, a terminal UI, driven in tmux. As the viewer it turns read-only by itself (RBAC's
/// answers to its SelfSubjectAccessReviews): no write key in the footer or the help, and every
/// request it sends for the table, a CronJob's history and a run's logs is one kuul-viewer
/// allows (the reviews every authenticated user may create). As admin, a trigger from it sends
/// only what kuul-operator allows, and the run is created.
#[test]
fn dash_stays_within_the_roles_the_readme_names() {
    use crate::dash::Screen;
    let (cell, _) = readme_row("dash");
    assert!(cell.starts_with("kuul-viewer") && cell.contains("kuul-operator"), "{cell}");
    let sb = fixture();
    let outside = |role_name: &str| -> Vec<String> {
        let role = role(role_name);
        sb.request_counts()
            .into_iter()
            .filter(|c| {
                let review = c.key.verb == "create" && c.key.resource == "selfsubjectaccessreviews";
                !review && !allowed(&role, &c.key.verb, &c.key.group, &c.key.resource)
            })
            .map(|c| format!("{} {}/{} as {}", c.key.verb, c.key.group, c.key.resource, c.key.user))
            .collect()
    };

    sb.reset_counts();
    let Some(viewer) = Screen::start(&sb, &["-n", "ops", "--context", "kuul-sandbox-viewer"])
    else {
        return;
    };
    let text = viewer
        .wait_for("read-only and the table", |t| t.contains("[read-only]") && t.contains("backup"));
    for write in ["t trigger", "s suspend", "r resume", "n next", "p prune"] {
        assert!(!text.contains(write), "{write} shown to the viewer:\n{text}");
    }
    viewer.keys(&["?"]);
    // The whole box: a capture can land while tmux is still drawing it (seen in CI).
    let help = viewer.wait_for("the whole help box", |t| {
        t.contains("help (any key closes)") && t.contains("read-only: writes are off")
    });
    for write in ["trigger", "suspend ", "resume", "reschedule", "prune"] {
        assert!(!help.contains(write), "{write} in the viewer's help:\n{help}");
    }
    assert!(help.contains("read-only: writes are off"), "{help}");
    viewer.keys(&["Escape"]);
    viewer.keys(&["t"]);
    viewer.keys(&["Enter"]);
    viewer.wait_text("Succeeded");
    viewer.keys(&["Enter"]);
    viewer.wait_text("logs job.batch/backup-");
    viewer.quit_with("q");
    let counts = sb.request_counts();
    assert!(counts.iter().any(|c| c.key.verb == "watch"), "no watch? {counts:?}");
    assert!(counts.iter().all(|c| c.key.user == "viewer"), "{counts:?}");
    assert!(!counts.iter().any(|c| c.key.verb == "create" && c.key.resource == "jobs"));
    let problems = outside("kuul-viewer");
    assert!(problems.is_empty(), "dash as the viewer: {problems:#?}");

    sb.reset_counts();
    let Some(operator) = Screen::start(&sb, &["-n", "ops"]) else { return };
    operator.wait_for("the table", |t| t.contains("backup") && t.contains("t trigger"));
    operator.keys(&["t"]);
    operator.wait_text("Trigger ops/backup now");
    operator.keys(&["y"]);
    crate::dash::wait_cluster("the manual Job", || crate::dash::manual_runs(&sb) == 1);
    operator.wait_text("created");
    operator.quit_with("C-c");
    let problems = outside("kuul-operator");
    assert!(problems.is_empty(), "a trigger from dash: {problems:#?}");
}
