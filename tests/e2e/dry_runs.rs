//! Every writing command's dry runs (issue 13: "every dry run of every command says would, and
//! its JSON says dryRun"), in one loop: `-o json` is one valid JSON document on stdout with
//! `dryRun` set, the table says "would", `-o name` stays names, warnings (a catch-up run
//! before `resume`, a CronJob a pool change leaves without a node) go to stderr in every mode,
//! and nothing at all is written.

#![allow(clippy::unwrap_used)]

use jiff::SignedDuration;

use crate::support::*;

fn cronjob(sb: &Sandbox, ns: &str, name: &str, schedule: &str, pod: Value) {
    let mut spec =
        json!({"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]});
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), pod.as_object()) {
        spec.extend(extra.clone());
    }
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": name, "namespace": ns},
               "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {
                   "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
                   "spec": spec}}}}}),
    )
    .unwrap();
}

/// ops/backup ran once (a finished Job to prune) and runs on node-1 of pool batch; maint/nightly
/// was suspended by suspend-all and missed a schedule since (resume warns of a catch-up run).
fn fixture() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    namespace(&sb, "maint");
    ready_node(&sb, "node-1", json!({"kuul.dev/pool": "batch"}), "4", "8Gi");
    ready_node(&sb, "node-2", json!({}), "4", "8Gi");
    cronjob(
        &sb,
        "ops",
        "backup",
        "*/5 * * * *",
        json!({"nodeSelector": {"kuul.dev/pool": "batch"}}),
    );
    cronjob(&sb, "maint", "nightly", "*/10 * * * *", json!({}));
    kuul(&sb, &["suspend-all", "-n", "maint", "--reason", "test"]).expect_code(0);
    sb.advance(SignedDuration::from_secs(11 * 60));
    sb
}

/// Every object's resourceVersion: a dry run must leave them all as they were.
fn versions(sb: &Sandbox) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for kind in [Kind::CronJob, Kind::Job, Kind::Pod, Kind::Node] {
        for o in sb.list(kind, None) {
            let m = &o["metadata"];
            all.push((
                format!("{kind:?} {}/{}", m["namespace"].as_str().unwrap_or(""), m["name"]),
                m["resourceVersion"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    all.sort();
    all
}

fn argv(args: &[&'static str], mode: &'static str, extra: &[&'static str]) -> Vec<&'static str> {
    args.iter().chain([mode].iter()).chain(extra.iter()).copied().collect()
}

#[test]
fn every_dry_run_says_would_prints_valid_json_and_warns_on_stderr() {
    let sb = fixture();
    let writers: &[&[&str]] = &[
        &["trigger", "backup", "-n", "ops"],
        &["suspend-all", "-n", "ops"],
        &["suspend-all", "-n", "ops", "--wait"],
        &["suspend-all", "-n", "ops", "--delete-active-jobs"],
        &["resume", "-n", "maint"],
        &["reschedule-next-minute", "backup", "-n", "ops"],
        &["prune", "-n", "ops", "--succeeded", "--pods"],
        &["label-pool", "batch", "node-1", "--remove"],
        &["label-pool", "batch", "node-2"],
    ];
    let before = versions(&sb);
    let mut warned = Vec::new();
    for args in writers {
        for mode in ["--dry-run=client", "--dry-run=server"] {
            let with = |extra: &[&'static str]| argv(args, mode, extra);
            let what = with(&[]).join(" ");

            // -o json: one JSON document, nothing else, on stdout.
            let json = kuul(&sb, &with(&["-o", "json"]));
            assert_eq!(json.code, 0, "{what} -o json: {}{}", json.stdout, json.stderr);
            let doc: Value = serde_json::from_str(&json.stdout).unwrap_or_else(|e| {
                panic!("{what} -o json is not one JSON document ({e}):\n{}", json.stdout)
            });
            let expected = mode.trim_start_matches("--dry-run=");
            if doc["kind"] == "Job" {
                // trigger prints the Job, as `kubectl create job --dry-run -o json` does: a
                // client dry run has no uid, a server one no creationTimestamp stored.
                assert!(doc["metadata"]["uid"].is_null() || expected == "server", "{what}: {doc}");
            } else {
                assert_eq!(doc["dryRun"], expected, "{what}: dryRun in {doc:#}");
            }
            for line in json.stderr.lines() {
                // A warning's own detail lines are indented under it.
                assert!(
                    line.starts_with("Warning: ")
                        || line.starts_with("  ")
                        || line.starts_with("No resources found"),
                    "{what} -o json: unexpected stderr line {line:?}"
                );
            }
            if json.stderr.contains("Warning: ") {
                warned.push(what.clone());
            }

            // The table: "would" (trigger too: kubectl's `created (dry run)` line, with the
            // would every dry run of ours says), warnings not in it.
            let table = kuul(&sb, &with(&[]));
            assert_eq!(table.code, 0, "{what}: {}{}", table.stdout, table.stderr);
            assert!(table.stdout.contains("would"), "{what}: no \"would\" in\n{}", table.stdout);
            assert!(
                !table.stdout.contains("Warning"),
                "{what}: a warning on stdout\n{}",
                table.stdout
            );
            assert_eq!(json.stderr, table.stderr, "{what}: the same warnings in every mode");

            // -o name: names only.
            let names = kuul(&sb, &with(&["-o", "name"]));
            assert_eq!(names.code, 0, "{what} -o name: {}{}", names.stdout, names.stderr);
            for line in names.stdout.lines() {
                assert!(
                    line.contains('/') && !line.contains(' '),
                    "{what} -o name: {line:?} is not a name"
                );
            }
            assert_eq!(json.stderr, names.stderr, "{what}: warnings survive -o name");
        }
    }
    assert_eq!(versions(&sb), before, "a dry run wrote something");
    // The fixture has warnings to give: resume's catch-up run and the pool change.
    assert!(warned.iter().any(|w| w.starts_with("resume")), "{warned:?}");
    assert!(warned.iter().any(|w| w.starts_with("label-pool batch node-1 --remove")), "{warned:?}");
}
