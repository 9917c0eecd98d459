//! Conformance against the real `kubectl` (a client no one here wrote): what kubectl can do
//! against a real API server for these resources, it must do against the sandbox.

// Fixture helpers outside #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader};

use jiff::SignedDuration;
use kuul_sandbox::{Kind, Sandbox};
use serde_json::Value;
use support::{Kubectl, cronjob, job, namespace, node};

fn sandbox() -> Sandbox {
    let sb = Sandbox::builder().start().unwrap();
    sb.create(Kind::Namespace, namespace("ops")).unwrap();
    sb.create(Kind::Node, node("node-1")).unwrap();
    sb
}

const CRONJOB_YAML: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ops
  labels: {app: nightly, tier: db}
spec:
  schedule: \"0 2 * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
            env: [{name: A, value: \"1\"}]
";

#[test]
fn get_list_in_every_output_format_with_selectors() {
    if !support::kubectl_available("get_list_in_every_output_format_with_selectors") {
        return;
    }
    let sb = sandbox();
    sb.create(Kind::CronJob, cronjob("ops", "nightly", "0 2 * * *")).unwrap();
    sb.create(Kind::CronJob, cronjob("ops", "hourly", "@hourly")).unwrap();
    sb.create(Kind::CronJob, cronjob("default", "other", "*/5 * * * *")).unwrap();
    let k = Kubectl::new(&sb);

    let table = k.ok(&["get", "cronjobs", "-n", "ops"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("NAME") && lines[0].contains("SCHEDULE"), "{table}");
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[1].starts_with("hourly") && lines[2].starts_with("nightly"), "{table}");

    let wide = k.ok(&["get", "cj", "nightly", "-n", "ops", "-o", "wide"]);
    assert!(wide.contains("IMAGES") && wide.contains("busybox:1.36"), "{wide}");

    let json: Value =
        serde_json::from_str(&k.ok(&["get", "cj", "-n", "ops", "-o", "json"])).unwrap();
    assert_eq!(json["kind"], "List");
    assert_eq!(json["items"].as_array().unwrap().len(), 2);

    let yaml = k.ok(&["get", "cj", "nightly", "-n", "ops", "-o", "yaml"]);
    assert!(
        yaml.contains("schedule: 0 2 * * *") && yaml.contains("concurrencyPolicy: Allow"),
        "{yaml}"
    );

    assert_eq!(k.ok(&["get", "cj", "-A", "-o", "name"]).lines().count(), 3);
    assert_eq!(
        k.ok(&["get", "cj", "-A", "-l", "app=nightly", "-o", "name"]).trim(),
        "cronjob.batch/nightly"
    );
    assert_eq!(
        k.ok(&["get", "cj", "-A", "-l", "app in (hourly,other)", "-o", "name"]).lines().count(),
        2
    );
    assert_eq!(
        k.ok(&["get", "cj", "-A", "--field-selector", "metadata.namespace!=ops", "-o", "name"])
            .trim(),
        "cronjob.batch/other"
    );
    let bad = k.run(&["get", "cj", "-A", "--field-selector", "spec.schedule=x"]);
    assert!(
        // kubectl's own prefix around the server's message (the default field label conversion's).
        !bad.ok
            && bad.stderr.contains(
                "Unable to find \"batch/v1, Resource=cronjobs\" that match label selector \"\", field selector \"spec.schedule=x\": \"spec.schedule\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            ),
        "{}",
        bad.stderr
    );
    let all = k.ok(&["get", "namespaces", "-o", "name"]);
    assert_eq!(all.lines().collect::<Vec<_>>(), ["namespace/default", "namespace/ops"]);
}

#[test]
fn create_apply_replace_patch_label_annotate() {
    if !support::kubectl_available("create_apply_replace_patch_label_annotate") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    let r = k.run_with_stdin(&["create", "-f", "-"], Some(CRONJOB_YAML));
    assert!(
        r.ok && r.stdout.trim() == "cronjob.batch/nightly created",
        "{} {}",
        r.stdout,
        r.stderr
    );
    let again = k.run_with_stdin(&["create", "-f", "-"], Some(CRONJOB_YAML));
    assert!(
        !again.ok && again.stderr.contains("cronjobs.batch \"nightly\" already exists"),
        "{}",
        again.stderr
    );

    let applied = k.run_with_stdin(
        &["apply", "-f", "-"],
        Some(&CRONJOB_YAML.replace("0 2 * * *", "0 3 * * *")),
    );
    assert!(applied.ok, "{}", applied.stderr);
    assert_eq!(
        sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap()["spec"]["schedule"],
        "0 3 * * *"
    );

    k.ok(&[
        "patch",
        "cj",
        "nightly",
        "-n",
        "ops",
        "--type",
        "merge",
        "-p",
        r#"{"spec":{"suspend":true}}"#,
    ]);
    k.ok(&[
        "patch",
        "cj",
        "nightly",
        "-n",
        "ops",
        "--type",
        "json",
        "-p",
        r#"[{"op":"replace","path":"/spec/schedule","value":"5 2 * * *"}]"#,
    ]);
    k.ok(&["patch", "cj", "nightly", "-n", "ops", "--type", "strategic", "-p",
        r#"{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]}]}}}}}}"#]);
    let cj = sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap();
    assert_eq!(cj["spec"]["suspend"], true);
    assert_eq!(cj["spec"]["schedule"], "5 2 * * *");
    let env = &cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"];
    assert_eq!(env.as_array().unwrap().len(), 2, "strategic merge must merge env by name: {env}");
    assert_eq!(
        cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"],
        "busybox:1.36"
    );

    k.ok(&["label", "cj", "nightly", "-n", "ops", "team=sre"]);
    let clash = k.run(&["label", "cj", "nightly", "-n", "ops", "team=dev"]);
    assert!(!clash.ok && clash.stderr.contains("already has a value"), "{}", clash.stderr);
    k.ok(&["label", "cj", "nightly", "-n", "ops", "team=dev", "--overwrite"]);
    k.ok(&["label", "cj", "nightly", "-n", "ops", "tier-"]);
    k.ok(&["annotate", "cj", "nightly", "-n", "ops", "kuul.dev/note=hello"]);
    k.ok(&["annotate", "cj", "nightly", "-n", "ops", "kuul.dev/note=bye", "--overwrite"]);
    let cj = sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap();
    assert_eq!(cj["metadata"]["labels"]["team"], "dev");
    assert!(cj["metadata"]["labels"].get("tier").is_none());
    assert_eq!(cj["metadata"]["annotations"]["kuul.dev/note"], "bye");
    k.ok(&["annotate", "cj", "nightly", "-n", "ops", "kuul.dev/note-"]);
    assert!(
        sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap()["metadata"]["annotations"]
            .get("kuul.dev/note")
            .is_none()
    );

    let mut yaml = k.ok(&["get", "cj", "nightly", "-n", "ops", "-o", "yaml"]);
    yaml = yaml.replace("5 2 * * *", "9 2 * * *");
    let replaced = k.run_with_stdin(&["replace", "-f", "-"], Some(&yaml));
    assert!(replaced.ok, "{}", replaced.stderr);
    assert_eq!(
        sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap()["spec"]["schedule"],
        "9 2 * * *"
    );
    // The same YAML again carries a stale resourceVersion: 409 as on a real server.
    let stale = k.run_with_stdin(&["replace", "-f", "-"], Some(&yaml.replace("9 2", "8 2")));
    assert!(!stale.ok && stale.stderr.contains("the object has been modified"), "{}", stale.stderr);

    let invalid = k.run_with_stdin(
        &["create", "-f", "-"],
        Some(&CRONJOB_YAML.replace("0 2 * * *", "not a schedule").replace("nightly", "broken")),
    );
    assert!(
        !invalid.ok
            && invalid.stderr.contains("is invalid")
            && invalid.stderr.contains("spec.schedule"),
        "{}",
        invalid.stderr
    );
    let unknown = k.run_with_stdin(
        &["create", "-f", "-"],
        Some(
            &CRONJOB_YAML
                .replace("  schedule:", "  bogus: 1\n  schedule:")
                .replace("nightly", "strict"),
        ),
    );
    assert!(
        !unknown.ok && unknown.stderr.contains("unknown field \"spec.bogus\""),
        "{}",
        unknown.stderr
    );
}

#[test]
fn delete_cascades_background_foreground_orphan() {
    if !support::kubectl_available("delete_cascades_background_foreground_orphan") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    for name in ["bg", "fg", "orphan"] {
        sb.create(Kind::Job, job("ops", name, "1h")).unwrap();
    }
    // Pods not being deleted (a deleted running pod is Terminating for its grace period).
    let pods_of = |job: &str| {
        sb.list(Kind::Pod, Some("ops"))
            .into_iter()
            .filter(|p| p["metadata"]["labels"]["job-name"] == job)
            .filter(|p| p["metadata"].get("deletionTimestamp").is_none())
            .count()
    };
    assert_eq!(pods_of("bg"), 1, "the control plane must have created a pod");
    k.ok(&["delete", "job", "bg", "-n", "ops", "--cascade=background"]);
    assert_eq!(pods_of("bg"), 0);
    assert!(sb.get(Kind::Job, Some("ops"), "bg").is_none());
    // Foreground: the Job stays (foregroundDeletion) until its pods are gone, which takes the
    // pods' 30 s grace period; kubectl would wait for that, so it is told not to.
    k.ok(&["delete", "job", "fg", "-n", "ops", "--cascade=foreground", "--wait=false"]);
    assert_eq!(pods_of("fg"), 0);
    let fg = sb.get(Kind::Job, Some("ops"), "fg").unwrap();
    assert_eq!(fg["metadata"]["finalizers"], serde_json::json!(["foregroundDeletion"]));
    sb.advance(SignedDuration::from_secs(30));
    assert!(sb.get(Kind::Job, Some("ops"), "fg").is_none());
    k.ok(&["delete", "job", "orphan", "-n", "ops", "--cascade=orphan"]);
    assert_eq!(pods_of("orphan"), 1);
    let pod = sb.list(Kind::Pod, Some("ops")).pop().unwrap();
    assert!(
        pod["metadata"].get("ownerReferences").is_none(),
        "orphaned pod keeps no owner reference"
    );
}

#[test]
fn logs_of_a_job_pod() {
    if !support::kubectl_available("logs_of_a_job_pod") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    sb.create(Kind::Job, job("ops", "run", "30s")).unwrap();
    let pod = sb.list(Kind::Pod, Some("ops")).pop().unwrap();
    let name = pod["metadata"]["name"].as_str().unwrap().to_string();
    // The simulated kubelet starts the container a moment after binding.
    sb.advance(SignedDuration::from_secs(2));
    let first = k.ok(&["logs", "-n", "ops", &name]);
    assert_eq!(first.lines().count(), 1, "{first}");
    sb.advance(SignedDuration::from_secs(60));
    let all = k.ok(&["logs", "-n", "ops", &name, "--timestamps"]);
    assert_eq!(all.lines().count(), 3, "{all}");
    assert!(all.lines().all(|l| l.starts_with("2025-03-01T")), "{all}");
    assert_eq!(k.ok(&["logs", "-n", "ops", "job/run", "--tail=1"]).lines().count(), 1);
    // follow on a finished pod returns at once with everything.
    assert_eq!(k.ok(&["logs", "-n", "ops", &name, "-f"]).lines().count(), 3);
    let missing = k.run(&["logs", "-n", "ops", "nope"]);
    assert!(
        !missing.ok && missing.stderr.contains("pods \"nope\" not found"),
        "{}",
        missing.stderr
    );
}

#[test]
fn watch_sees_a_change() {
    if !support::kubectl_available("watch_sees_a_change") {
        return;
    }
    let sb = sandbox();
    sb.create(Kind::CronJob, cronjob("ops", "a", "@hourly")).unwrap();
    let k = Kubectl::new(&sb);
    let mut child = k
        .command(&[
            "get",
            "cj",
            "-n",
            "ops",
            "-w",
            "--output-watch-events",
            "--request-timeout=10s",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Header and the listed object: once printed, the watch starts from the list's
    // resourceVersion, so a change made now cannot be missed.
    let header = lines.next().unwrap().unwrap();
    assert!(header.contains("EVENT") && header.contains("NAME"), "{header}");
    let listed = lines.next().unwrap().unwrap();
    assert!(listed.contains("ADDED") && listed.contains(" a "), "{listed}");
    sb.create(Kind::CronJob, cronjob("ops", "b", "@daily")).unwrap();
    let seen = lines.next().unwrap().unwrap();
    assert!(seen.contains("ADDED") && seen.contains(" b "), "{seen}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn viewer_reads_but_gets_forbidden_on_writes() {
    if !support::kubectl_available("viewer_reads_but_gets_forbidden_on_writes") {
        return;
    }
    let sb = sandbox();
    sb.create(Kind::CronJob, cronjob("ops", "nightly", "0 2 * * *")).unwrap();
    let v = Kubectl::viewer(&sb);
    assert_eq!(v.ok(&["get", "cj", "-n", "ops", "-o", "name"]).trim(), "cronjob.batch/nightly");
    let r = v.run(&["patch", "cj", "nightly", "-n", "ops", "-p", r#"{"spec":{"suspend":true}}"#]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains(r#"Error from server (Forbidden): cronjobs.batch "nightly" is forbidden: User "viewer" cannot patch resource "cronjobs" in API group "batch" in the namespace "ops""#),
        "{}",
        r.stderr
    );
    let r = v.run(&["delete", "ns", "ops"]);
    assert!(r.stderr.contains(r#"User "viewer" cannot delete resource "namespaces" in API group "" at the cluster scope"#), "{}", r.stderr);
    let r = v.run_with_stdin(&["create", "-f", "-"], Some(CRONJOB_YAML));
    assert!(r.stderr.contains("cannot create resource \"cronjobs\""), "{}", r.stderr);
    assert_eq!(sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap()["spec"]["suspend"], false);
}

#[test]
fn tls_sandbox_serves_kubectl_and_rejects_bad_tokens() {
    if !support::kubectl_available("tls_sandbox_serves_kubectl_and_rejects_bad_tokens") {
        return;
    }
    let sb = Sandbox::builder().tls(true).start().unwrap();
    assert!(sb.url().starts_with("https://"));
    let k = Kubectl::new(&sb);
    assert_eq!(k.ok(&["get", "ns", "-o", "name"]).trim(), "namespace/default");
    let bad = k.run(&["--token", "wrong", "get", "ns"]);
    assert!(
        !bad.ok && bad.stderr.contains("You must be logged in to the server"),
        "{}",
        bad.stderr
    );
    let v = Kubectl::viewer(&sb);
    let r = v.run(&["delete", "ns", "default"]);
    assert!(r.stderr.contains("User \"viewer\" cannot delete"), "{}", r.stderr);
}

#[test]
fn create_job_from_cronjob_and_typed_creates() {
    if !support::kubectl_available("create_job_from_cronjob_and_typed_creates") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    sb.create(Kind::CronJob, cronjob("ops", "nightly", "0 2 * * *")).unwrap();
    // These go through kubectl's typed clients, which send protobuf bodies.
    assert_eq!(
        k.ok(&["create", "job", "manual-1", "-n", "ops", "--from=cronjob/nightly"]).trim(),
        "job.batch/manual-1 created"
    );
    let job = sb.get(Kind::Job, Some("ops"), "manual-1").unwrap();
    let cj = sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap();
    assert_eq!(job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"], "manual");
    assert_eq!(job["metadata"]["ownerReferences"][0]["uid"], cj["metadata"]["uid"]);
    assert_eq!(job["spec"]["template"]["spec"]["containers"][0]["image"], "busybox:1.36");
    // As Go stores a pod template's zero `metav1.Time`: null, not a time.
    assert_eq!(
        job["spec"]["template"]["metadata"].get("creationTimestamp"),
        Some(&serde_json::Value::Null),
        "{job}"
    );
    assert_eq!(sb.list(Kind::Pod, Some("ops")).len(), 1, "the job controller ran the job");
    k.ok(&["create", "configmap", "settings", "-n", "ops", "--from-literal=a=b"]);
    assert_eq!(sb.get(Kind::ConfigMap, Some("ops"), "settings").unwrap()["data"]["a"], "b");
    k.ok(&["create", "namespace", "extra"]);
    assert!(sb.get(Kind::Namespace, None, "extra").is_some());
}

/// The STATUS column of `kubectl get pods` for pods a real cluster cannot start, as kubectl
/// prints it there: too big for any node (`Pending`), an image the registry lacks (set through
/// the admin API), a missing ConfigMap in the environment.
#[test]
fn get_pods_shows_why_pods_cannot_start() {
    if !support::kubectl_available("get_pods_shows_why_pods_cannot_start") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    // kubectl's `--raw` drops the kubeconfig's `/as/admin` path prefix over plain HTTP (and sends
    // no token there), so the admin API is called directly, as scripts with the token do.
    let put = support::raw(
        &sb,
        "PUT",
        "/kuul-sandbox/v1/registry",
        None,
        "application/json",
        br#"{"missing": ["example.com/acme/report"]}"#,
    );
    assert_eq!(put.status, 200);
    assert_eq!(put.json(), serde_json::json!({"missing": ["example.com/acme/report"]}));
    let pod = |name: &str, container: Value| {
        let p = serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "ops"},
            "spec": {"restartPolicy": "Never", "containers": [container]}});
        sb.create(Kind::Pod, p).unwrap();
    };
    pod(
        "huge",
        serde_json::json!({"name": "main", "image": "busybox:1.36",
            "resources": {"requests": {"cpu": "100", "memory": "500Gi"}}}),
    );
    pod("badimage", serde_json::json!({"name": "main", "image": "example.com/acme/report:2.1"}));
    pod(
        "noconfig",
        serde_json::json!({"name": "main", "image": "busybox:1.36",
            "envFrom": [{"configMapRef": {"name": "report-settings"}}]}),
    );
    sb.advance(SignedDuration::from_secs(1));
    let status = |k: &Kubectl| {
        let table = k.ok(&["get", "pods", "-n", "ops", "--no-headers"]);
        table
            .lines()
            .map(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                (cols[0].to_owned(), cols[2].to_owned())
            })
            .collect::<Vec<_>>()
    };
    let row = |rows: &[(String, String)], name: &str| {
        rows.iter().find(|(n, _)| n == name).map(|(_, s)| s.clone()).unwrap()
    };
    let rows = status(&k);
    assert_eq!(row(&rows, "huge"), "Pending");
    assert_eq!(row(&rows, "badimage"), "ErrImagePull");
    assert_eq!(row(&rows, "noconfig"), "CreateContainerConfigError");
    // 20 s later the pull is in back-off.
    sb.advance(SignedDuration::from_secs(20));
    assert_eq!(row(&status(&k), "badimage"), "ImagePullBackOff");
    let describe = k.ok(&["describe", "pod", "huge", "-n", "ops"]);
    assert!(
        describe.contains("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."),
        "{describe}"
    );
    let events =
        k.ok(&["get", "events", "-n", "ops", "--field-selector", "involvedObject.name=badimage"]);
    assert!(events.contains("Back-off pulling image \"example.com/acme/report:2.1\""), "{events}");
    // The ConfigMap appears: the kubelet starts the pod at its next sync.
    let cm = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "report-settings", "namespace": "ops"}, "data": {"MODE": "full"}});
    sb.create(Kind::ConfigMap, cm).unwrap();
    sb.advance(SignedDuration::from_secs(10));
    assert_eq!(row(&status(&k), "noconfig"), "Running");
}

/// Secrets as kubectl uses them: `create secret generic` (a typed client: protobuf), `get`
/// with upstream's columns, `-o jsonpath` of base64 data, `stringData` merged on apply,
/// `explain`; and the kubelet's view: a pod whose Secret is missing waits
/// (`CreateContainerConfigError`, `FailedMount`) and starts once the Secret exists.
#[test]
fn secrets_create_get_explain_and_block_pods_until_they_exist() {
    if !support::kubectl_available("secrets_create_get_explain_and_block_pods_until_they_exist") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    assert_eq!(
        k.ok(&["create", "secret", "generic", "db", "-n", "ops", "--from-literal=password=s3cr3t"])
            .trim(),
        "secret/db created"
    );
    let stored = sb.get(Kind::Secret, Some("ops"), "db").unwrap();
    assert_eq!(stored["data"]["password"], "czNjcjN0");
    assert_eq!(stored["type"], "Opaque");
    let table = k.ok(&["get", "secrets", "-n", "ops"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["NAME", "TYPE", "DATA", "AGE"]);
    assert_eq!(lines[1].split_whitespace().take(3).collect::<Vec<_>>(), ["db", "Opaque", "1"]);
    let yaml = "apiVersion: v1
kind: Secret
metadata: {name: api, namespace: ops}
type: kubernetes.io/basic-auth
stringData: {username: admin}
data: {password: aHVudGVyMg==}
";
    k.run_with_stdin(&["apply", "-f", "-"], Some(yaml));
    let api = sb.get(Kind::Secret, Some("ops"), "api").unwrap();
    assert_eq!(api["data"]["username"], "YWRtaW4=");
    assert_eq!(api["data"]["password"], "aHVudGVyMg==");
    assert!(api.get("stringData").is_none(), "{api}");
    let bad = k.run_with_stdin(
        &["apply", "-f", "-"],
        Some("apiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: ops}\ntype: kubernetes.io/tls\n"),
    );
    assert!(!bad.ok && bad.stderr.contains("data[tls.crt]: Required value"), "{}", bad.stderr);
    let words = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let explain = words(k.ok(&["explain", "secret.stringData"]));
    assert!(explain.contains("KIND:") && explain.contains("Secret"), "{explain}");
    assert!(explain.contains("merged into the data field on write"), "{explain}");
    let explain = words(k.ok(&["explain", "cronjob.spec.jobTemplate"]));
    assert!(explain.contains("Specifies the job that will be created"), "{explain}");

    let pod = |name: &str, spec: Value| {
        let mut p = serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "ops"},
            "spec": {"restartPolicy": "Never",
                "containers": [{"name": "main", "image": "busybox:1.36"}]}});
        for (key, v) in spec.as_object().unwrap() {
            if key == "container" {
                for (ck, cv) in v.as_object().unwrap() {
                    p["spec"]["containers"][0][ck] = cv.clone();
                }
            } else {
                p["spec"][key] = v.clone();
            }
        }
        sb.create(Kind::Pod, p).unwrap();
    };
    pod(
        "env",
        serde_json::json!({"container": {"env": [{"name": "TOKEN",
            "valueFrom": {"secretKeyRef": {"name": "report-token", "key": "token"}}}]}}),
    );
    pod(
        "vol",
        serde_json::json!({"volumes": [{"name": "tls", "secret": {"secretName": "report-tls"}}]}),
    );
    sb.advance(SignedDuration::from_secs(1));
    let status = |name: &str| {
        let row = k.ok(&["get", "pod", name, "-n", "ops", "--no-headers"]);
        row.split_whitespace().nth(2).unwrap().to_owned()
    };
    assert_eq!(status("env"), "CreateContainerConfigError");
    assert_eq!(status("vol"), "ContainerCreating");
    let events =
        k.ok(&["get", "events", "-n", "ops", "--field-selector", "involvedObject.name=vol"]);
    assert!(
        events.contains(
            "MountVolume.SetUp failed for volume \"tls\" : secret \"report-tls\" not found"
        ),
        "{events}"
    );
    k.ok(&["create", "secret", "generic", "report-token", "-n", "ops", "--from-literal=token=t"]);
    k.ok(&["create", "secret", "generic", "report-tls", "-n", "ops", "--from-literal=ca.crt=x"]);
    sb.advance(SignedDuration::from_secs(10));
    assert_eq!(status("env"), "Running");
    sb.advance(SignedDuration::from_secs(120));
    assert_ne!(status("vol"), "ContainerCreating");
}

/// ResourceQuota as kubectl shows it and as quota admission refuses: `kubectl create quota`
/// (protobuf), `get`/`describe` with used/hard kept by the quota controller, a pod over the
/// quota is 403 with upstream's message, and a Job whose pods the quota refuses records
/// `FailedCreate` and starts its pod once the quota allows.
#[test]
fn resource_quota_admission_and_status() {
    if !support::kubectl_available("resource_quota_admission_and_status") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    k.ok(&[
        "create",
        "quota",
        "compute",
        "-n",
        "ops",
        "--hard=pods=1,requests.cpu=1,count/jobs.batch=5",
    ]);
    let q = sb.get(Kind::ResourceQuota, Some("ops"), "compute").unwrap();
    assert_eq!(q["status"]["hard"]["pods"], "1");
    assert_eq!(q["status"]["used"]["pods"], "0");
    let pod = "apiVersion: v1
kind: Pod
metadata: {name: first, namespace: ops, annotations: {sandbox.kuul.dev/duration: 60s}}
spec:
  restartPolicy: Never
  containers: [{name: main, image: busybox:1.36, resources: {requests: {cpu: 600m}}}]
";
    k.run_with_stdin(&["apply", "-f", "-"], Some(pod));
    let q = sb.get(Kind::ResourceQuota, Some("ops"), "compute").unwrap();
    assert_eq!(
        q["status"]["used"],
        serde_json::json!({"pods": "1", "requests.cpu": "600m", "count/jobs.batch": "0"})
    );
    let table = k.ok(&["get", "quota", "-n", "ops"]);
    assert!(table.contains("count/jobs.batch: 0/5, pods: 1/1, requests.cpu: 600m/1"), "{table}");
    let second = pod.replace("name: first", "name: second");
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(&second));
    assert!(!r.ok);
    assert!(
        r.stderr.contains("pods \"second\" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=600m, used: pods=1,requests.cpu=600m, limited: pods=1,requests.cpu=1"),
        "{}",
        r.stderr
    );
    // A Job's pod refused by the quota: FailedCreate on the Job, retried until it fits.
    let mut j = job("ops", "report", "10s");
    j["spec"]["template"]["spec"]["containers"][0]["resources"] =
        serde_json::json!({"requests": {"cpu": "100m"}});
    sb.create(Kind::Job, j).unwrap();
    sb.advance(SignedDuration::from_secs(5));
    let events =
        k.ok(&["get", "events", "-n", "ops", "--field-selector", "involvedObject.name=report"]);
    assert!(
        events.contains("FailedCreate") && events.contains("exceeded quota: compute"),
        "{events}"
    );
    assert!(sb.list(Kind::Pod, Some("ops")).iter().all(|p| p["metadata"]["name"] == "first"));
    sb.advance(SignedDuration::from_secs(60));
    let pods = sb.list(Kind::Pod, Some("ops"));
    assert!(
        pods.iter().any(|p| p["metadata"]["labels"]["job-name"] == "report"),
        "the Job's pod is created once the first pod finished"
    );
}

/// With schemas in `/openapi/v3`, kubectl's client-side apply builds its strategic merge patch
/// from them: containers still merge by name (the patch extensions are served), and an object
/// as `get -o yaml` prints it applies back.
#[test]
fn apply_with_served_schemas_merges_containers_and_round_trips_get_yaml() {
    if !support::kubectl_available(
        "apply_with_served_schemas_merges_containers_and_round_trips_get_yaml",
    ) {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(CRONJOB_YAML));
    assert!(r.ok, "{}", r.stderr);
    // Someone else adds a sidecar; re-applying the file must keep it (merge by name).
    let sidecar = r#"{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:1"}]}}}}}}"#;
    k.ok(&["patch", "cj", "nightly", "-n", "ops", "--type", "strategic", "-p", sidecar]);
    let changed = CRONJOB_YAML.replace("value: \"1\"", "value: \"2\"");
    assert_ne!(changed, CRONJOB_YAML);
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(&changed));
    assert!(r.ok, "{}", r.stderr);
    let cj = sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap();
    let containers = &cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"];
    let names: Vec<&str> =
        containers.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["main", "sidecar"], "{containers}");
    assert_eq!(containers[0]["env"][0]["value"], "2");
    // One object as `get -o yaml` prints it applies back.
    let yaml = k.ok(&["get", "cronjob", "nightly", "-n", "ops", "-o", "yaml"]);
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(&yaml));
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    // Several objects (`kind: List`) are validated on the client against `/openapi/v2`:
    // `list_from_get_o_yaml_applies_back_validated_against_openapi_v2` below.
}

/// The admin commands `kuul-sandbox serve --help` shows, taken from the real binary's help and
/// run as written (with the sandbox's kubeconfig in place of /tmp/kuul-sandbox.yaml) through
/// the real kubectl, over plain HTTP and TLS: each must succeed and do what it says. kubectl's
/// `--raw` drops the path of the kubeconfig's server URL, so a command that relied on it
/// would 401 here. The help also fits in 80 columns (no example wraps mid-command).
#[test]
fn the_admin_commands_serve_help_shows_work_with_kubectl() {
    if !support::kubectl_available("the_admin_commands_serve_help_shows_work_with_kubectl") {
        return;
    }
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_kuul-sandbox"))
        .args(["serve", "--help"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let block: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Driving the clock"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    for line in &block {
        assert!(line.chars().count() < 80, "wider than 80 columns: {line:?}");
    }
    // Shell lines: a line ending in `|` continues on the next.
    let mut commands: Vec<String> = Vec::new();
    let mut pending = String::new();
    for line in block {
        pending.push_str(line.trim());
        if pending.ends_with('|') {
            pending.push(' ');
        } else {
            commands.push(std::mem::take(&mut pending));
        }
    }
    let export = commands.iter().position(|c| c.starts_with("export KUBECONFIG=")).unwrap();
    commands.remove(export);
    assert!(commands.len() >= 6 && commands.iter().all(|c| c.contains("kubectl ")), "{commands:?}");

    for tls in [false, true] {
        let sb = Sandbox::builder().tls(tls).start().unwrap();
        let home = tempfile::tempdir().unwrap();
        let sh = |command: &str| {
            let out = std::process::Command::new("bash")
                .args(["-c", &format!("set -euo pipefail; {command}")])
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("HOME", home.path())
                .env("KUBECONFIG", sb.kubeconfig())
                .output()
                .unwrap();
            let (stdout, stderr) =
                (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "tls={tls} {command}\n{stdout}{stderr}");
            stdout.into_owned()
        };
        if !tls {
            // Why the prefix: without it kubectl sends neither the kubeconfig's path nor a
            // token over plain HTTP, and the sandbox answers as a real server would.
            let out = std::process::Command::new("kubectl")
                .args(["get", "--raw", "/kuul-sandbox/v1/clock"])
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("HOME", home.path())
                .env("KUBECONFIG", sb.kubeconfig())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success() && stderr.contains("Unauthorized"), "{stderr}");
        }
        let before = sb.now();
        for command in &commands {
            let stdout = sh(command);
            if command.contains("kubectl get") {
                let _: Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("{command}: not JSON ({e}): {stdout}"));
            }
        }
        // What the commands said they do: advanced 90s, stopped the clock, a missing image.
        assert!(sb.now() >= before + SignedDuration::from_secs(90), "tls={tls}");
        let read = |path: &str| -> Value {
            let command = commands.iter().find(|c| c.starts_with("kubectl get")).unwrap();
            let command = command.replace("/kuul-sandbox/v1/clock", path);
            serde_json::from_str(&sh(&command)).unwrap()
        };
        assert_eq!(read("/kuul-sandbox/v1/clock")["speed"], 0.0, "tls={tls}");
        let registry = read("/kuul-sandbox/v1/registry");
        assert_eq!(registry["missing"], serde_json::json!(["busybox:1.99"]), "tls={tls}");
    }
}

/// The sorted output lines of a run.
fn sorted_lines(out: &str) -> Vec<String> {
    let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

/// `kubectl get ... -o yaml` of several objects prints a `kind: List`, and kubectl 1.32
/// validates a List on the client (its v3 field-validation verifier never claims v1/List, so
/// `factoryImpl.Validator`'s `ParamVerifyingSchema` runs `SchemaValidation` under `Strict`)
/// against `/openapi/v2`, read as gnostic protobuf. So the pipe to `apply -f -` works, and an
/// unknown or mistyped field fails before any request, worded as against a real server
/// (kube-openapi `pkg/util/proto/validation`, wrapped by kubectl's `error validating data`).
#[test]
fn list_from_get_o_yaml_applies_back_validated_against_openapi_v2() {
    if !support::kubectl_available("list_from_get_o_yaml_applies_back_validated_against_openapi_v2")
    {
        return;
    }
    let sb = sandbox();
    sb.create(Kind::CronJob, cronjob("ops", "nightly", "0 2 * * *")).unwrap();
    sb.create(Kind::CronJob, cronjob("ops", "hourly", "@hourly")).unwrap();
    sb.create(Kind::CronJob, cronjob("default", "other", "*/5 * * * *")).unwrap();
    sb.create(Kind::Job, job("ops", "once", "30s")).unwrap();
    sb.settle();
    let k = Kubectl::new(&sb);

    let list = k.ok(&["get", "cronjobs", "-A", "-o", "yaml"]);
    assert!(list.starts_with("apiVersion: v1\nitems:") && list.contains("kind: List"), "{list}");
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(&list));
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        sorted_lines(&r.stdout),
        [
            "cronjob.batch/hourly configured",
            "cronjob.batch/nightly configured",
            "cronjob.batch/other configured"
        ],
        "{}",
        r.stderr
    );
    // Created without apply, so kubectl warns and adds its annotation, as with a real server.
    assert!(
        r.stderr.contains("missing the kubectl.kubernetes.io/last-applied-configuration"),
        "{}",
        r.stderr
    );
    let cj = sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap();
    assert!(
        cj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );

    let jobs_pods = k.ok(&["get", "jobs,pods", "-n", "ops", "-o", "yaml"]);
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(&jobs_pods));
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    let lines = sorted_lines(&r.stdout);
    assert!(lines.contains(&"job.batch/once configured".to_owned()), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("pod/once-") && l.ends_with(" configured")),
        "{lines:?}"
    );

    // A List written by hand: created, then unchanged.
    let two = "apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  metadata: {name: listed, namespace: ops}
  spec:
    schedule: \"0 4 * * *\"
    jobTemplate:
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: main, image: busybox:1.36}]
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: listed, namespace: ops}
  data: {k: v}
";
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(two));
    assert_eq!(
        r.stdout, "cronjob.batch/listed created\nconfigmap/listed created\n",
        "{}",
        r.stderr
    );
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(two));
    assert_eq!(
        r.stdout, "cronjob.batch/listed unchanged\nconfigmap/listed unchanged\n",
        "{}",
        r.stderr
    );

    // Unknown fields: refused on the client, every error listed, nothing sent.
    let bad = two
        .replace("name: listed, namespace", "name: bad, namespace")
        .replace("    schedule:", "    bogus: 1\n    schedule:")
        .replace("image: busybox:1.36}", "image: busybox:1.36, colour: red}");
    let r = k.run_with_stdin(&["apply", "-f", "-"], Some(&bad));
    assert!(!r.ok);
    assert_eq!(
        r.stderr.trim_end(),
        "error: error validating \"STDIN\": error validating data: [ValidationError(CronJob.spec): \
         unknown field \"bogus\" in io.k8s.api.batch.v1.CronJobSpec, \
         ValidationError(CronJob.spec.jobTemplate.spec.template.spec.containers[0]): unknown field \
         \"colour\" in io.k8s.api.core.v1.Container]; if you choose to ignore these errors, turn \
         validation off with --validate=false"
    );
    assert!(sb.get(Kind::CronJob, Some("ops"), "bad").is_none());
    assert!(sb.get(Kind::ConfigMap, Some("ops"), "bad").is_none());
    // A wrong type, alone: no brackets.
    let mistyped = two.replace("    schedule:", "    suspend: \"no\"\n    schedule:");
    let r = k.run_with_stdin(&["create", "-f", "-"], Some(&mistyped));
    assert!(
        !r.ok
            && r.stderr.contains(
                "error validating data: ValidationError(CronJob.spec.suspend): invalid type for \
                 io.k8s.api.batch.v1.CronJobSpec.suspend: got \"string\", expected \"boolean\"; if"
            ),
        "{}",
        r.stderr
    );
    // --validate=false skips the client check; the server (fieldValidation=Ignore) drops them.
    let r = k.run_with_stdin(&["apply", "--validate=false", "-f", "-"], Some(&bad));
    assert_eq!(r.stdout, "cronjob.batch/bad created\nconfigmap/bad created\n", "{}", r.stderr);
    let created = sb.get(Kind::CronJob, Some("ops"), "bad").unwrap();
    assert!(created["spec"].get("bogus").is_none(), "{created}");
}

/// `kubectl explain --output plaintext-openapiv2` reads the v2 definitions (kubectl's
/// `explain.PrintModelDescription` over `LookupResource(gvk)`), the default reads v3.
#[test]
fn explain_reads_openapi_v2_and_v3() {
    if !support::kubectl_available("explain_reads_openapi_v2_and_v3") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    let v2 = k.ok(&["explain", "cronjob.spec.jobTemplate", "--output", "plaintext-openapiv2"]);
    let lines: Vec<&str> = v2.lines().collect();
    assert_eq!(
        lines[..4],
        ["KIND:     CronJob", "VERSION:  batch/v1", "", "RESOURCE: jobTemplate <Object>"],
        "{v2}"
    );
    assert!(
        v2.contains("Specifies the job that will be created when executing a CronJob."),
        "{v2}"
    );
    assert!(
        v2.contains("FIELDS:\n   metadata\t<Object>") && v2.contains("   spec\t<Object>"),
        "{v2}"
    );
    let recursive = k.ok(&[
        "explain",
        "pods.spec.containers.ports",
        "--recursive",
        "--output",
        "plaintext-openapiv2",
    ]);
    assert!(recursive.contains("RESOURCE: ports <[]Object>"), "{recursive}");
    assert!(recursive.contains("   containerPort\t<integer>"), "{recursive}");
    let v3 = k.ok(&["explain", "cronjob.spec.jobTemplate"]);
    assert!(v3.starts_with("GROUP:      batch\nKIND:       CronJob\nVERSION:    v1\n"), "{v3}");
    assert!(v3.contains("FIELD: jobTemplate <JobTemplateSpec>"), "{v3}");
    // The JSON form of the same document, as `kubectl get --raw` reads it.
    let raw: Value =
        serde_json::from_str(&k.ok(&["get", "--raw", "/as/admin/openapi/v2"])).unwrap();
    assert_eq!(raw["swagger"], "2.0");
    assert_eq!(
        raw["definitions"]["io.k8s.api.batch.v1.CronJob"]["x-kubernetes-group-version-kind"][0]["kind"],
        "CronJob"
    );
}

/// An Indexed Job with `backoffLimitPerIndex` run by the sandbox's controllers (issue #12), seen
/// through the real kubectl: index 0 fails twice (the replacement carries
/// `batch.kubernetes.io/job-index-failure-count: 1`), index 1 succeeds, so the Job fails with
/// `FailedIndexes`; `get -o yaml` shows `failedIndexes`/`completedIndexes`, `describe` the
/// completed indexes and the failure event.
#[test]
fn indexed_job_with_backoff_limit_per_index() {
    if !support::kubectl_available("indexed_job_with_backoff_limit_per_index") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    let job = serde_json::json!({"apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "shards", "namespace": "ops"},
        "spec": {"completionMode": "Indexed", "completions": 2, "parallelism": 2,
            "backoffLimitPerIndex": 1,
            "template": {"metadata": {"annotations": {"sandbox.kuul.dev/duration": "5s",
                    "sandbox.kuul.dev/exit-codes": "1,0,1"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}}});
    sb.create(Kind::Job, job).unwrap();
    for _ in 0..12 {
        sb.advance(SignedDuration::from_secs(10));
    }
    let got: Value =
        serde_json::from_str(&k.ok(&["get", "job", "shards", "-n", "ops", "-o", "json"])).unwrap();
    let status = &got["status"];
    assert_eq!(status["failedIndexes"], "0", "{status}");
    assert_eq!(status["completedIndexes"], "1", "{status}");
    assert_eq!((status["failed"].as_i64(), status["succeeded"].as_i64()), (Some(2), Some(1)));
    assert_eq!(
        got["spec"]["backoffLimit"],
        i64::from(i32::MAX),
        "defaulted with a per-index limit"
    );
    let failed = status["conditions"].as_array().unwrap().iter().find(|c| c["type"] == "Failed");
    assert_eq!(failed.unwrap()["reason"], "FailedIndexes", "{status}");
    let yaml = k.ok(&["get", "job", "shards", "-n", "ops", "-o", "yaml"]);
    assert!(
        yaml.contains("failedIndexes: \"0\"") && yaml.contains("completedIndexes: \"1\""),
        "{yaml}"
    );
    let pods: Value = serde_json::from_str(&k.ok(&[
        "get",
        "pods",
        "-n",
        "ops",
        "-l",
        "batch.kubernetes.io/job-completion-index=0",
        "-o",
        "json",
    ]))
    .unwrap();
    let counts: Vec<&str> = pods["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            p["metadata"]["annotations"]["batch.kubernetes.io/job-index-failure-count"].as_str()
        })
        .collect();
    let mut counts = counts;
    counts.sort_unstable();
    assert_eq!(counts, ["0", "1"], "{pods}");
    let describe = k.ok(&["describe", "job", "shards", "-n", "ops"]);
    // kubectl's describer prints the completed indexes and the counters, not failedIndexes.
    let field = |name: &str| {
        describe.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_default()
    };
    assert_eq!(field("Completion Mode:"), "Indexed", "{describe}");
    assert_eq!(field("Completed Indexes:"), "1", "{describe}");
    assert_eq!(
        field("Pods Statuses:"),
        "0 Active (0 Ready) / 1 Succeeded / 2 Failed",
        "{describe}"
    );
    assert!(
        describe.contains("FailedIndexes") && describe.contains("Job has failed indexes"),
        "{describe}"
    );
}

/// A `successPolicy` (issue #12): index 0 succeeding is enough; the Job gets
/// `SuccessCriteriaMet` then `Complete` with reason `SuccessPolicy` while indexes 1 and 2 (still
/// running) are deleted, as `kubectl get` shows.
#[test]
fn indexed_job_with_success_policy() {
    if !support::kubectl_available("indexed_job_with_success_policy") {
        return;
    }
    let sb = sandbox();
    let k = Kubectl::new(&sb);
    let job = serde_json::json!({"apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "leader", "namespace": "ops"},
        "spec": {"completionMode": "Indexed", "completions": 3, "parallelism": 3,
            "successPolicy": {"rules": [{"succeededIndexes": "0"}]},
            "template": {"metadata": {"annotations": {"sandbox.kuul.dev/duration": "5s"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}}});
    sb.create(Kind::Job, job).unwrap();
    // Indexes 1 and 2 run longer: their pods are scripted after creation.
    for pod in sb.list(Kind::Pod, Some("ops")) {
        let name = pod["metadata"]["name"].as_str().unwrap().to_owned();
        if !name.starts_with("leader-0-") {
            k.ok(&[
                "annotate",
                "pod",
                "-n",
                "ops",
                &name,
                "sandbox.kuul.dev/duration=1h",
                "--overwrite",
            ]);
        }
    }
    for _ in 0..6 {
        sb.advance(SignedDuration::from_secs(10));
    }
    let got: Value =
        serde_json::from_str(&k.ok(&["get", "job", "leader", "-n", "ops", "-o", "json"])).unwrap();
    let status = &got["status"];
    let conds: Vec<(String, String)> = status["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["type"].as_str().unwrap().to_owned(), c["reason"].as_str().unwrap().to_owned()))
        .collect();
    let want = [("SuccessCriteriaMet", "SuccessPolicy"), ("Complete", "SuccessPolicy")]
        .map(|(a, b)| (a.to_owned(), b.to_owned()));
    assert_eq!(conds, want, "{status}");
    assert_eq!(status["completedIndexes"], "0", "{status}");
    assert_eq!(status["succeeded"], 1, "{status}");
    let left = k.ok(&["get", "pods", "-n", "ops", "-o", "name"]);
    assert_eq!(left.lines().count(), 1, "only index 0's pod is left: {left}");
}

/// How many list requests of CronJobs the sandbox has counted (a request is counted as it
/// arrives, before the sandbox's latency and before it is served).
fn cronjob_lists(sb: &Sandbox) -> u64 {
    sb.request_counts()
        .iter()
        .filter(|c| c.key.verb == "list" && c.key.resource == "cronjobs")
        .map(|c| c.count)
        .sum()
}

/// Waits until the sandbox has counted `n` list requests of CronJobs.
fn wait_for_cronjob_lists(sb: &Sandbox, n: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let lists = cronjob_lists(sb);
        if lists >= n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "kubectl sent {lists} lists, not {n}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// `kubectl get --chunk-size=2` pages with continue tokens; objects created, changed and
/// deleted between its chunks do not show: every chunk is the first chunk's snapshot, as etcd
/// serves a continued list at the token's revision.
#[test]
fn chunked_get_shows_one_snapshot_while_objects_change() {
    if !support::kubectl_available("chunked_get_shows_one_snapshot_while_objects_change") {
        return;
    }
    let sb = sandbox();
    for i in 0..6 {
        sb.create(Kind::CronJob, cronjob("ops", &format!("cj-{i}"), "@hourly")).unwrap();
    }
    let k = Kubectl::new(&sb);
    let args = ["get", "cronjobs", "-n", "ops", "--chunk-size=2"];
    let before = k.ok(&args);
    let names_before = k.ok(&["get", "cronjobs", "-n", "ops", "--chunk-size=2", "-o", "name"]);
    sb.reset_counts();
    // The second chunk's request waits this long before it is served: the writes go in then.
    sb.set_latency(std::time::Duration::from_millis(700));
    let during = std::thread::scope(|s| {
        let run = s.spawn(|| k.ok(&args));
        wait_for_cronjob_lists(&sb, 2);
        let store = sb.store();
        let mut cj3 = sb.get(Kind::CronJob, Some("ops"), "cj-3").unwrap();
        cj3["spec"]["schedule"] = serde_json::json!("*/5 * * * *");
        store.replace(Kind::CronJob, cj3).unwrap();
        let orphan = kuul_sandbox::controllers::Propagation::Background;
        store.delete(Kind::CronJob, Some("ops"), "cj-0", orphan).unwrap();
        store.delete(Kind::CronJob, Some("ops"), "cj-4", orphan).unwrap();
        sb.create(Kind::CronJob, cronjob("ops", "cj-2a", "@daily")).unwrap();
        // The writes went in before the third chunk was asked for (its page holds cj-4).
        assert_eq!(cronjob_lists(&sb), 2, "the writes came too late to test anything");
        run.join().unwrap()
    });
    sb.set_latency(std::time::Duration::ZERO);
    assert_eq!(during, before, "the chunks show the first chunk's snapshot");
    assert!(before.contains("cj-4") && !before.contains("*/5"), "{before}");
    let after = k.ok(&["get", "cronjobs", "-n", "ops", "--chunk-size=2", "-o", "name"]);
    assert_ne!(after, names_before, "the writes happened: {after}");
    assert!(after.contains("cj-2a") && !after.contains("cj-4"), "{after}");
}
