//! Verbose logs and TLS end to end, against the TLS sandbox with real bearer tokens:
//!
//! - `--v=9` (and `-v=6`, `-v 7`) print client-go-style request lines (`GET https://... 200 OK
//!   in N milliseconds`), headers with `Authorization: Bearer <masked>`, and bodies; the token
//!   text appears in no command's stdout or stderr, also when the server answers 401;
//! - TLS verification is on: a kubeconfig whose CA does not match fails with one clear line,
//!   unless it says `insecure-skip-tls-verify: true`.

// Helpers of #[test]s: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use kuul_sandbox::Sandbox;

use crate::support::*;

fn tls_sandbox() -> Sandbox {
    Sandbox::builder().clock(T0.parse().unwrap()).tls(true).start().expect("the TLS sandbox starts")
}

/// `ops` with a CronJob `backup`, a Ready node `node-1`.
fn populate(sb: &Sandbox) {
    namespace(sb, "ops");
    ready_node(sb, "node-1", json!({}), "8", "32Gi");
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": "backup", "namespace": "ops"},
               "spec": {"schedule": "*/10 * * * *", "jobTemplate": {"spec": {"template": {
                   "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
                   "spec": {"restartPolicy": "Never",
                            "containers": [{"name": "main", "image": "busybox",
                                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}}}}}),
    )
    .unwrap();
    sb.advance(jiff::SignedDuration::from_mins(25));
}

/// Runs `kubectl-kuul ARGS` with an explicit kubeconfig file.
fn kuul_with(kubeconfig: &Path, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    run({
        let mut cmd = clean_command(&kuul_bin(), kubeconfig, home.path());
        cmd.args(args);
        cmd
    })
}

/// Asserts no token of `sb` appears in `run`'s output.
#[track_caller]
fn no_token(sb: &Sandbox, run: &Run, what: &str) {
    for token in [&sb.tokens().admin, &sb.tokens().viewer] {
        assert!(!run.stdout.contains(token.as_str()), "{what}: token in stdout:\n{}", run.stdout);
        assert!(!run.stderr.contains(token.as_str()), "{what}: token in stderr:\n{}", run.stderr);
    }
}

/// A copy of `sb`'s kubeconfig with `edit` applied, in `dir`.
fn edited_kubeconfig(
    sb: &Sandbox,
    dir: &Path,
    edit: impl Fn(&str) -> String,
) -> std::path::PathBuf {
    let text = std::fs::read_to_string(sb.kubeconfig()).unwrap();
    let path = dir.join("kubeconfig");
    std::fs::write(&path, edit(&text)).unwrap();
    path
}

#[test]
fn every_command_logs_requests_at_v9_and_never_prints_the_token() {
    let sb = tls_sandbox();
    populate(&sb);
    let commands: &[&[&str]] = &[
        &["lastrun", "-n", "ops"],
        &["cost-report", "-n", "ops"],
        &["label-pool", "--list"],
        &["label-pool", "batch", "node-1"],
        &["trigger", "backup", "-n", "ops", "-o", "json"],
        &["suspend-all", "-n", "ops"],
        &["resume", "-n", "ops"],
        &["reschedule-next-minute", "backup", "-n", "ops"],
        &["reschedule-next-minute", "backup", "-n", "ops", "--restore"],
        &["prune", "-n", "ops", "--succeeded", "--yes"],
    ];
    for args in commands {
        let mut with_v: Vec<&str> = args.to_vec();
        with_v.push("--v=9");
        let out = kuul(&sb, &with_v);
        let what = args.join(" ");
        assert_eq!(out.code, 0, "{what}\nstdout:\n{}\nstderr:\n{}", out.stdout, out.stderr);
        no_token(&sb, &out, &what);
        let request_line = out.stderr.lines().any(|l| {
            (l.starts_with("GET https://")
                || l.starts_with("PATCH https://")
                || l.starts_with("POST https://")
                || l.starts_with("DELETE https://"))
                && l.contains(" 200 OK in ")
                && l.ends_with(" milliseconds")
        });
        assert!(request_line, "{what}: no request line:\n{}", out.stderr);
        assert!(
            out.stderr.contains("    Authorization: Bearer <masked>"),
            "{what}: no masked Authorization header:\n{}",
            out.stderr
        );
        assert!(out.stderr.contains("Response Body: "), "{what}: no body at v9:\n{}", out.stderr);
    }
}

#[test]
fn levels_gate_what_is_logged() {
    let sb = tls_sandbox();
    populate(&sb);
    let quiet = kuul(&sb, &["lastrun", "-n", "ops"]).expect_code(0);
    assert_eq!(quiet.stderr, "", "nothing is logged without -v");
    let six = kuul(&sb, &["lastrun", "-n", "ops", "-v=6"]).expect_code(0);
    assert!(six.stderr.lines().any(|l| l.starts_with("GET https://") && l.contains(" 200 OK in ")));
    assert!(!six.stderr.contains("Request Headers:"), "{}", six.stderr);
    let seven = kuul(&sb, &["lastrun", "-n", "ops", "-v", "7"]).expect_code(0);
    assert!(seven.stderr.contains("Request Headers:\n"), "{}", seven.stderr);
    assert!(seven.stderr.contains("Authorization: Bearer <masked>"), "{}", seven.stderr);
    assert!(!seven.stderr.contains("Response Body:"), "{}", seven.stderr);
    // Logs go to stderr only: stdout is the same table with and without -v.
    assert_eq!(quiet.stdout, seven.stdout);
    for out in [&six, &seven] {
        no_token(&sb, out, "lastrun -v");
    }
}

#[test]
fn a_rejected_token_is_never_printed() {
    let sb = tls_sandbox();
    populate(&sb);
    let dir = tempfile::tempdir().unwrap();
    let bogus = "kuul-admin-0000111122223333444455556666777788";
    let kubeconfig =
        edited_kubeconfig(&sb, dir.path(), |text| text.replace(&sb.tokens().admin, bogus));
    for args in [&["lastrun", "-n", "ops", "--v=9"][..], &["suspend-all", "-n", "ops", "--v=10"]] {
        let out = kuul_with(&kubeconfig, args);
        assert_eq!(out.code, 1, "{args:?}\n{}", out.stderr);
        assert!(!out.stdout.contains(bogus) && !out.stderr.contains(bogus), "{}", out.stderr);
        no_token(&sb, &out, "401");
        assert!(out.stderr.contains(" 401 Unauthorized in "), "{}", out.stderr);
        let errors: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(errors.len(), 1, "{}", out.stderr);
    }
}

#[test]
fn tls_is_verified_unless_the_kubeconfig_skips_it() {
    let sb = tls_sandbox();
    populate(&sb);
    let other = tls_sandbox();
    let ca_line = |text: &str| {
        text.lines().find(|l| l.contains("certificate-authority-data:")).unwrap().to_owned()
    };
    let theirs = ca_line(&std::fs::read_to_string(other.kubeconfig()).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let wrong = edited_kubeconfig(&sb, dir.path(), |text| text.replace(&ca_line(text), &theirs));
    let out = kuul_with(&wrong, &["lastrun", "-n", "ops"]).expect_code(1);
    assert_eq!(out.stdout, "");
    let lines: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].contains(sb.url()) && lines[0].to_lowercase().contains("certificate"),
        "the line names the server and the certificate problem: {}",
        lines[0]
    );
    no_token(&sb, &out, "wrong CA");

    let skip_dir = tempfile::tempdir().unwrap();
    let skipping = edited_kubeconfig(&sb, skip_dir.path(), |text| {
        text.replace(&ca_line(text), "    insecure-skip-tls-verify: true")
    });
    let out = kuul_with(&skipping, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0);
    assert_eq!(out.json()["items"][0]["name"], "backup");
}
