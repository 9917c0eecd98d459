//! `lastrun` as the monitor: LATE, STUCK, stalled schedules, `--check --fail-on`,
//! `-o openmetrics` read by real parsers, and the in-cluster configuration a `check_jobs`
//! CronJob uses. Every signal comes from the sandbox's controllers on a stepped clock.

use std::io::Write as _;

use crate::support::*;

fn cronjob(name: &str, schedule: &str, extra_spec: Value, pod_spec: Value) -> Value {
    let mut pod = json!({"restartPolicy": "Never",
                         "containers": [{"name": "main", "image": "busybox"}]});
    if let (Some(pod), Some(extra)) = (pod.as_object_mut(), pod_spec.as_object()) {
        pod.extend(extra.clone());
    }
    let mut spec = json!({
        "schedule": schedule,
        "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
            "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
            "spec": pod,
        }}},
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "ops"}, "spec": spec})
}

fn ops() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({"pool": "general"}), "4", "8Gi");
    sb
}

fn item<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["items"].as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()
}

/// Sets `.spec.suspend` through the store, then lets the controllers react.
fn set_suspend(sb: &Sandbox, name: &str, suspend: bool) {
    let mut cj = sb.get(Kind::CronJob, Some("ops"), name).expect("cronjob");
    cj["spec"]["suspend"] = json!(suspend);
    sb.store().replace(Kind::CronJob, cj).expect("replace");
    sb.settle();
}

/// A CronJob whose pods select a pool no node is in: the scheduler leaves them Pending with
/// `Unschedulable` (sandbox scheduler, NodeAffinity filter).
fn unschedulable() -> Sandbox {
    let sb = ops();
    sb.create(
        Kind::CronJob,
        cronjob("gpu-train", "*/10 * * * *", json!({}), json!({"nodeSelector": {"pool": "gpu"}})),
    )
    .unwrap();
    sb.create(Kind::CronJob, cronjob("healthy", "*/5 * * * *", json!({}), json!({}))).unwrap();
    // The 10:10 run's pod waits from 10:10 on.
    sb.advance(jiff::SignedDuration::from_secs(17 * 60));
    sb
}

#[test]
fn an_unschedulable_pod_is_stuck_with_the_schedulers_reason() {
    let sb = unschedulable();
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let gpu = item(&report, "gpu-train");
    assert_eq!(gpu["verdict"], "STUCK", "{gpu:#}");
    assert_eq!(gpu["stuck"]["reason"], "Unschedulable");
    assert_eq!(gpu["stuck"]["job"], "gpu-train-29013730");
    assert_eq!(gpu["stuck"]["pendingSeconds"], 420);
    let message = gpu["stuck"]["message"].as_str().unwrap();
    assert!(message.starts_with("0/1 nodes are available"), "{message}");
    assert_eq!(item(&report, "healthy")["verdict"], "OK");

    // --check: exit 4 and one line naming it on stderr.
    let check = kuul(&sb, &["lastrun", "-n", "ops", "--check"]).expect_code(4);
    let lines: Vec<&str> = check.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", check.stderr);
    assert!(lines[0].starts_with("ops/gpu-train: STUCK: gpu-train-29013730: pod "), "{}", lines[0]);
    assert!(lines[0].contains("Pending for 7m: Unschedulable: 0/1 nodes are available"));

    // A longer --pending-for: only PENDING, which the default --fail-on leaves alone...
    let patient = kuul(&sb, &["lastrun", "-n", "ops", "--pending-for", "10m", "-o", "json"]);
    assert_eq!(item(&patient.expect_code(0).json(), "gpu-train")["verdict"], "PENDING");
    kuul(&sb, &["lastrun", "-n", "ops", "--check", "--pending-for", "10m"]).expect_code(0);
    // ... and --fail-on can name.
    let strict =
        ["lastrun", "-n", "ops", "--check", "--pending-for", "10m", "--fail-on", "PENDING"];
    let out = kuul(&sb, &strict).expect_code(4);
    assert!(out.stderr.starts_with("ops/gpu-train: PENDING: "), "{}", out.stderr);
    // Leaving STUCK out of --fail-on passes the check.
    kuul(&sb, &["lastrun", "-n", "ops", "--check", "--fail-on", "MISSED,FAILING"]).expect_code(0);

    // The table's reason column says it too.
    let wide = kuul(&sb, &["lastrun", "-n", "ops", "-o", "wide"]).expect_code(0);
    assert!(wide.stdout.contains("STUCK"), "{}", wide.stdout);
}

#[test]
fn a_late_start_is_late_and_max_late_fails_the_check() {
    let sb = ops();
    // Suspended across its 10:10 instant, resumed 90s later: with a 10-minute deadline the
    // controller still starts the 10:10 run, at 10:11:30.
    let spec = json!({"suspend": true, "startingDeadlineSeconds": 600});
    sb.create(Kind::CronJob, cronjob("report", "*/10 * * * *", spec, json!({}))).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(11 * 60 + 30));
    set_suspend(&sb, "report", false);
    sb.advance(jiff::SignedDuration::from_secs(60));

    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let row = item(&report, "report");
    assert_eq!(row["lateSeconds"], 90, "{row:#}");
    assert_eq!(row["worstLateSeconds"], 90);
    assert_eq!(row["worstLateRun"], "report-29013730");
    let table = kuul(&sb, &["lastrun", "-n", "ops"]).expect_code(0);
    let header = table.stdout.lines().next().unwrap();
    assert!(header.contains(" LATE "), "{header}");
    assert!(table.stdout.lines().nth(1).unwrap().contains(" 90s "), "{}", table.stdout);

    kuul(&sb, &["lastrun", "-n", "ops", "--check"]).expect_code(0);
    kuul(&sb, &["lastrun", "-n", "ops", "--check", "--max-late", "2m"]).expect_code(0);
    let late = kuul(&sb, &["lastrun", "-n", "ops", "--check", "--max-late", "1m"]).expect_code(4);
    assert_eq!(
        late.stderr.trim(),
        "ops/report: LATE: report-29013730 started 90s after its scheduled time (beyond \
         --max-late 60s)"
    );
}

#[test]
fn a_start_beyond_the_deadline_is_missed_and_says_the_controller_skipped_it() {
    let sb = ops();
    let spec = json!({"suspend": true, "startingDeadlineSeconds": 30});
    sb.create(Kind::CronJob, cronjob("nightly", "*/10 * * * *", spec, json!({}))).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(12 * 60));
    set_suspend(&sb, "nightly", false);
    sb.advance(jiff::SignedDuration::from_secs(30));

    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let row = item(&report, "nightly");
    assert_eq!(row["verdict"], "MISSED", "{row:#}");
    let reason = row["reason"].as_str().unwrap();
    assert!(reason.contains("startingDeadlineSeconds 30: the controller skips"), "{reason}");
    // The controller walks instants from now - startingDeadlineSeconds (nextScheduleTime), so it
    // never sees 10:10 again and records no event: the reason alone says why.
    assert_eq!(row["controllerEvents"], json!([]));
    let check = kuul(&sb, &["lastrun", "-n", "ops", "--check"]).expect_code(4);
    assert!(check.stderr.starts_with("ops/nightly: MISSED: no run for "), "{}", check.stderr);
}

#[test]
fn running_long_says_what_forbid_and_allow_do() {
    let sb = ops();
    let long = json!({"sandbox.kuul.dev/duration": "20m"});
    for (name, policy) in [("piles", "Allow"), ("skips", "Forbid")] {
        let mut cj = cronjob(name, "*/5 * * * *", json!({"concurrencyPolicy": policy}), json!({}));
        cj["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["annotations"] = long.clone();
        sb.create(Kind::CronJob, cj).unwrap();
    }
    sb.advance(jiff::SignedDuration::from_secs(11 * 60));
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let piles = item(&report, "piles");
    assert_eq!(piles["verdict"], "RUNNING-LONG", "{piles:#}");
    assert!(
        piles["reason"]
            .as_str()
            .unwrap()
            .contains("concurrencyPolicy Allow: runs pile up (2 active)")
    );
    let skips = item(&report, "skips");
    assert_eq!(skips["verdict"], "RUNNING-LONG", "{skips:#}");
    assert_eq!(skips["concurrencyPolicy"], "Forbid");
    assert_eq!(skips["activeRuns"], 1, "Forbid skipped the 10:10 start");
    let reason = skips["reason"].as_str().unwrap();
    assert!(
        reason.contains("concurrencyPolicy Forbid: the start at 2025-03-01T10:15:00Z is skipped"),
        "{reason}"
    );
    // Once the skipped 10:10 start is past the grace, that is MISSED.
    sb.advance(jiff::SignedDuration::from_secs(60));
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    assert_eq!(item(&report, "skips")["verdict"], "MISSED");
}

/// Parses `text` with prometheus_client's Prometheus text parser and its OpenMetrics parser;
/// returns the family names, or `None` (loudly) when the module is missing outside CI.
fn parse_with_prometheus_client(text: &str) -> Option<Vec<String>> {
    let probe =
        std::process::Command::new("python3").args(["-c", "import prometheus_client"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with prometheus_client is required under CI=true (pip install prometheus_client)"
        );
        eprintln!(
            "\n*** SKIPPED: python3 -c 'import prometheus_client' failed; pip install \
             prometheus_client to run the openmetrics parser test ***\n"
        );
        return None;
    }
    let script = r#"
import sys
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
text = sys.stdin.read()
prom = {f.name: len(f.samples) for f in text_string_to_metric_families(text)}
opm = {f.name: len(f.samples) for f in om(text)}
assert prom == opm, (prom, opm)
for name, count in sorted(opm.items()):
    print(name, count)
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the parsers refused it:\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect())
}

#[test]
fn openmetrics_is_read_by_the_prometheus_and_openmetrics_parsers() {
    let sb = unschedulable();
    // Label escaping is unit-tested (output/openmetrics.rs); here the whole document parses.
    let out = kuul(&sb, &["lastrun", "-n", "ops", "-o", "openmetrics"]).expect_code(0);
    let text = out.stdout;
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert!(text.contains(
        "kuul_cronjob_verdict{namespace=\"ops\",cronjob=\"gpu-train\",verdict=\"STUCK\"} 1\n"
    ));
    assert!(text.contains(
        "kuul_cronjob_verdict{namespace=\"ops\",cronjob=\"healthy\",verdict=\"STUCK\"} 0\n"
    ));
    assert!(
        text.contains("kube_cronjob_status_active{namespace=\"ops\",cronjob=\"gpu-train\"} 1\n")
    );
    // kube-state-metrics' meaning: the instant after lastScheduleTime (10:10), not after now.
    assert!(
        text.contains(
            "kube_cronjob_next_schedule_time{namespace=\"ops\",cronjob=\"gpu-train\"} 1740824400\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("kuul_cronjob_stuck_seconds{namespace=\"ops\",cronjob=\"gpu-train\"} 420\n")
    );
    assert!(text.contains("kuul_lastrun_observed_time_seconds 1740824220\n"));
    let Some(families) = parse_with_prometheus_client(&text) else { return };
    assert!(families.contains(&"kuul_cronjob_verdict 18".to_owned()), "{families:?}");
    assert!(families.iter().any(|f| f.starts_with("kube_cronjob_next_schedule_time ")));
    // --check with openmetrics: the document on stdout, the problems on stderr.
    let checked =
        kuul(&sb, &["lastrun", "-n", "ops", "-o", "openmetrics", "--check"]).expect_code(4);
    assert!(
        checked
            .stdout
            .contains("kuul_cronjob_check_failed{namespace=\"ops\",cronjob=\"gpu-train\"} 1")
    );
    assert!(checked.stderr.contains("ops/gpu-train: STUCK"));
}

/// Runs kubectl-kuul as a pod would: no kubeconfig, the service host and port in the
/// environment, the token, CA and namespace in files (KUUL_SERVICE_ACCOUNT_DIR stands for
/// /var/run/secrets/kubernetes.io/serviceaccount).
fn in_pod(sb: &Sandbox, token: &str, args: &[&str]) -> Run {
    let sa = tempfile::tempdir().unwrap();
    std::fs::write(sa.path().join("token"), token).unwrap();
    std::fs::write(sa.path().join("ca.crt"), sb.ca_pem().expect("tls")).unwrap();
    std::fs::write(sa.path().join("namespace"), "ops").unwrap();
    let home = tempfile::tempdir().unwrap();
    let url = sb.url().strip_prefix("https://").expect("https");
    let (host, port) = url.trim_end_matches('/').rsplit_once(':').unwrap();
    let mut cmd = clean_command(&kuul_bin(), &home.path().join("no-kubeconfig"), home.path());
    cmd.env_remove("KUBECONFIG")
        .env("KUBERNETES_SERVICE_HOST", host)
        .env("KUBERNETES_SERVICE_PORT", port)
        .env("KUUL_SERVICE_ACCOUNT_DIR", sa.path())
        .args(args);
    run(cmd)
}

#[test]
fn in_cluster_configuration_reads_the_service_account_files() {
    let sb = Sandbox::builder().clock(T0.parse().unwrap()).tls(true).start().unwrap();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb.create(Kind::CronJob, cronjob("healthy", "*/5 * * * *", json!({}), json!({}))).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(6 * 60));

    // The namespace file is the default namespace; the viewer's token reads.
    let viewer = sb.tokens().viewer.clone();
    let out = in_pod(&sb, &viewer, &["lastrun", "-o", "json"]).expect_code(0);
    let report = out.json();
    assert_eq!(item(&report, "healthy")["verdict"], "OK");
    assert_eq!(report["items"][0]["namespace"], "ops");
    in_pod(&sb, &viewer, &["lastrun", "-A", "--check"]).expect_code(0);
    // A viewer cannot write: the RBAC refusal names the user, so the token was sent.
    let write = in_pod(&sb, &viewer, &["trigger", "healthy"]);
    assert_ne!(write.code, 0, "{}", write.stderr);
    assert!(write.stderr.contains("forbidden"), "{}", write.stderr);
    // A wrong token is 401.
    let bad = in_pod(&sb, "not-a-token", &["lastrun"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
}

fn check_jobs_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/check-jobs")
}

/// The documents of a manifest file.
fn documents(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    text.split("\n---")
        .filter(|d| d.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')))
        .map(|d| serde_saphyr::from_str::<Value>(d).unwrap())
        .collect()
}

#[test]
fn check_jobs_manifests_pass_a_server_dry_run() {
    let sb = sandbox();
    namespace(&sb, "kuul-monitor");
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    cmd.args(["apply", "--dry-run=server", "-f"]).arg(check_jobs_dir());
    let out = run(cmd);
    // The sandbox serves CronJobs: the server validated and defaulted it.
    assert!(
        out.stdout.contains("cronjob.batch/check-jobs created (server dry run)"),
        "stdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
    assert!(sb.get(Kind::CronJob, Some("kuul-monitor"), "check-jobs").is_none(), "a dry run");
    // Kinds the sandbox does not serve are refused by kubectl's mapping, not by validation;
    // those are checked here instead (client side only).
    let mut client_only = Vec::new();
    for (kind, printed) in [
        ("ServiceAccount", "serviceaccount/kuul-check-jobs created (server dry run)"),
        (
            "ClusterRoleBinding",
            "clusterrolebinding.rbac.authorization.k8s.io/kuul-check-jobs created (server dry run)",
        ),
    ] {
        if out.stdout.contains(printed) {
            continue;
        }
        // kubectl says so as "no matches for kind", or, validating first, that the server has
        // no schema for it ("the server could not find the requested resource").
        let file = if kind == "ServiceAccount" {
            "serviceaccount.yaml"
        } else {
            "clusterrolebinding.yaml"
        };
        let refused = out.stderr.lines().any(|l| {
            l.contains(&format!("no matches for kind \"{kind}\""))
                || l.contains(file)
                    && l.contains("the server could not find the requested resource")
        });
        assert!(refused, "{kind} was neither applied nor unknown to the server:\n{}", out.stderr);
        client_only.push(kind);
    }
    eprintln!(
        "check-jobs kinds only client-validated (the sandbox does not serve them): {client_only:?}"
    );

    let dir = check_jobs_dir();
    let sa = &documents(&dir.join("serviceaccount.yaml"))[0];
    let binding = &documents(&dir.join("clusterrolebinding.yaml"))[0];
    let cronjob = &documents(&dir.join("cronjob.yaml"))[0];
    let viewer = &documents(&dir.join("../rbac/kuul-viewer.yaml"))[0];
    assert_eq!(
        (sa["apiVersion"].as_str(), sa["kind"].as_str()),
        (Some("v1"), Some("ServiceAccount"))
    );
    assert_eq!(binding["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(binding["roleRef"]["kind"], viewer["kind"]);
    assert_eq!(binding["roleRef"]["name"], viewer["metadata"]["name"]);
    assert_eq!(binding["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
    let subject = &binding["subjects"][0];
    assert_eq!(subject["kind"], "ServiceAccount");
    assert_eq!(subject["name"], sa["metadata"]["name"]);
    assert_eq!(subject["namespace"], sa["metadata"]["namespace"]);
    let pod = &cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], sa["metadata"]["name"]);
    assert_eq!(cronjob["metadata"]["namespace"], sa["metadata"]["namespace"]);
    let args: Vec<&str> = pod["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(&args[..3], ["lastrun", "-A", "--check"]);
}

#[test]
fn watch_prints_the_table_then_one_line_per_change() {
    use std::io::BufRead as _;
    use std::sync::mpsc;
    use std::time::Duration;

    let sb = ops();
    sb.create(Kind::CronJob, cronjob("healthy", "*/5 * * * *", json!({}), json!({}))).unwrap();
    let mut failing = cronjob("failing", "*/5 * * * *", json!({}), json!({}));
    failing["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["annotations"]["sandbox.kuul.dev/exit-code"] =
        json!("1");
    sb.create(Kind::CronJob, failing).unwrap();

    let home = tempfile::tempdir().unwrap();
    let mut child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
        .args(["lastrun", "-n", "ops", "--watch"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen: Vec<String> = Vec::new();
    let wait_for = |what: &str, seen: &mut Vec<String>| {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !seen.iter().any(|l| l.contains(what)) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => return false,
            }
        }
        true
    };
    // The table first (not a terminal: no redraw escapes).
    let table = wait_for("failing", &mut seen) && wait_for("healthy", &mut seen);
    // Then the controllers run both at 10:05; one line per change.
    sb.advance(jiff::SignedDuration::from_secs(6 * 60));
    let failed = wait_for("ops/failing: NEVER-RAN -> FAILING: the newest finished run", &mut seen);
    let ok = wait_for("ops/healthy: NEVER-RAN -> OK", &mut seen);
    child.kill().unwrap();
    let _ = child.wait();
    let text = seen.join("\n");
    assert!(table && failed && ok, "watch printed:\n{text}");
    assert!(seen[0].starts_with("NAME "), "{text}");
    assert!(!text.contains('\u{1b}'), "no terminal escapes off a terminal:\n{text}");
    let change = seen.iter().find(|l| l.contains("-> FAILING")).unwrap();
    assert!(
        change.starts_with("2025-03-01T10:0"),
        "change lines carry the API server's time: {change}"
    );
}

#[test]
fn each_way_a_pod_cannot_start_is_stuck_with_its_kubernetes_reason() {
    let sb = Sandbox::builder()
        .clock(T0.parse().unwrap())
        .missing_images(["busybox:1.99"])
        .start()
        .unwrap();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    let container = |extra: Value| {
        let mut c = json!({"name": "main", "image": "busybox"});
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!({"containers": [c]})
    };
    for (name, pod) in [
        ("too-big", container(json!({"resources": {"requests": {"cpu": "8"}}}))),
        ("no-image", container(json!({"image": "busybox:1.99"}))),
        ("no-config", container(json!({"envFrom": [{"configMapRef": {"name": "settings"}}]}))),
        ("no-volume", {
            let mut pod =
                container(json!({"volumeMounts": [{"name": "cfg", "mountPath": "/cfg"}]}));
            pod["volumes"] = json!([{"name": "cfg", "configMap": {"name": "settings"}}]);
            pod
        }),
    ] {
        sb.create(Kind::CronJob, cronjob(name, "*/10 * * * *", json!({}), pod)).unwrap();
    }
    sb.advance(jiff::SignedDuration::from_secs(17 * 60));

    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let stuck = |name: &str| {
        let row = item(&report, name);
        assert_eq!(row["verdict"], "STUCK", "{row:#}");
        let s = &row["stuck"];
        (s["reason"].as_str().unwrap().to_owned(), s["message"].as_str().unwrap_or("").to_owned())
    };
    let (reason, message) = stuck("too-big");
    assert_eq!(reason, "Unschedulable");
    assert!(message.starts_with("0/1 nodes are available: 1 Insufficient cpu."), "{message}");
    let (reason, message) = stuck("no-image");
    assert!(reason == "ImagePullBackOff" || reason == "ErrImagePull", "{reason}");
    assert!(message.contains("busybox:1.99"), "{message}");
    let (reason, message) = stuck("no-config");
    assert_eq!(
        (reason.as_str(), message.as_str()),
        ("CreateContainerConfigError", "configmap \"settings\" not found")
    );
    let (reason, message) = stuck("no-volume");
    assert_eq!(reason, "FailedMount");
    assert!(message.contains("configmap \"settings\" not found"), "{message}");

    let check = kuul(&sb, &["lastrun", "-n", "ops", "--check"]).expect_code(4);
    assert_eq!(check.stderr.lines().count(), 4, "{}", check.stderr);
    assert!(check.stderr.lines().all(|l| l.contains(": STUCK: ")), "{}", check.stderr);
    // The cause gone (the ConfigMap created), the runs start: no longer STUCK.
    sb.create(
        Kind::ConfigMap,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "settings", "namespace": "ops"}, "data": {"k": "v"}}),
    )
    .unwrap();
    // (The kubelet retries a mount with a back-off of up to 2m2s.)
    sb.advance(jiff::SignedDuration::from_secs(150));
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    for name in ["no-config", "no-volume"] {
        assert_ne!(item(&report, name)["verdict"], "STUCK", "{name}: {report:#}");
    }
}
