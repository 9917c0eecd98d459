//! Conventions every command shares: kubeconfig handling, errors with hints, exit codes.

use std::path::Path;

use crate::support::*;

fn kuul_with_kubeconfig(kubeconfig: &Path, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let output = clean_command(&kuul_bin(), kubeconfig, home.path()).args(args).output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

#[test]
fn no_kubeconfig_points_at_the_sandbox_demo() {
    let run =
        kuul_with_kubeconfig(Path::new("/nonexistent/kubeconfig"), &["lastrun"]).expect_code(1);
    assert!(run.stderr.starts_with("error: no kubeconfig found"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:") && run.stderr.contains("sandbox"), "{}", run.stderr);
}

#[test]
fn unknown_context_lists_the_known_ones() {
    let sb = sandbox();
    let run = kuul(&sb, &["lastrun", "--context", "prod"]).expect_code(1);
    assert!(run.stderr.contains("context \"prod\" does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("kuul-sandbox-viewer"), "{}", run.stderr);
}

#[test]
fn unreachable_server_is_named_and_fails_fast() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: dead\nclusters:\n- name: dead\n  cluster: {server: 'http://127.0.0.1:9'}\nusers:\n- name: u\n  user: {token: secret-token-value}\ncontexts:\n- name: dead\n  context: {cluster: dead, user: u}\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let run =
        kuul_with_kubeconfig(&kubeconfig, &["lastrun", "--request-timeout", "3s"]).expect_code(1);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        run.stderr.contains("cannot reach the API server at http://127.0.0.1:9"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("secret-token-value"), "no tokens in output");
    assert_eq!(run.stderr.lines().filter(|l| l.starts_with("error:")).count(), 1);
}

#[test]
fn malformed_selector_is_a_usage_error() {
    let sb = sandbox();
    let run = kuul(&sb, &["lastrun", "-l", "team in db"]).expect_code(2);
    assert!(run.stderr.starts_with("error: invalid selector \"team in db\""), "{}", run.stderr);
}

#[test]
fn bad_flags_are_usage_errors_and_help_succeeds() {
    let sb = sandbox();
    kuul(&sb, &["lastrun", "--no-such-flag"]).expect_code(2);
    kuul(&sb, &["lastrun", "-o", "xml"]).expect_code(2);
    kuul(&sb, &["lastrun", "-n", "a", "-A"]).expect_code(2);
    let help = kuul(&sb, &["lastrun", "--help"]).expect_code(0);
    assert!(help.stdout.contains("Examples:"));
}

#[test]
fn viewer_can_read() {
    let sb = sandbox();
    kuul(&sb, &["lastrun", "-A", "--context", "kuul-sandbox-viewer"]).expect_code(0);
}

#[test]
fn every_subcommand_has_a_thin_binary() {
    for sub in kuul_core::cli::SUBCOMMANDS {
        assert!(thin_bin(sub).is_file(), "missing {}", thin_bin(sub).display());
    }
}

#[test]
fn a_server_that_never_answers_ends_within_the_request_timeout() {
    // Accepts connections and never answers: the request must give up by itself.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(8) {
            held.push(stream);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\ncurrent-context: slow\nclusters:\n- name: slow\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\nusers:\n- name: u\n  user: {{token: t}}\ncontexts:\n- name: slow\n  context: {{cluster: slow, user: u}}\n"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let run =
        kuul_with_kubeconfig(&kubeconfig, &["lastrun", "--request-timeout", "2s"]).expect_code(1);
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(6), "took {took:?}");
    assert!(run.stderr.contains("did not answer within 2s"), "{}", run.stderr);
    drop(holder);
}
