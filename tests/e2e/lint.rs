//! `kubectl kuul lint` end to end: manifests on disk and on stdin (seed 000's template
//! instantiated per job, real-world manifests from public repositories), SARIF checked against
//! the official schema, and cluster mode on the sandbox with live facts.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::support::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `kubectl-kuul lint ARGS` in `cwd` with no cluster configured, `stdin` fed in.
fn lint(cwd: &Path, args: &[&str], stdin: &str) -> Run {
    use std::io::Write;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = clean_command(&kuul_bin(), &home.path().join("no-kubeconfig"), home.path());
    cmd.current_dir(cwd).arg("lint").args(args).stdin(Stdio::piped()).stdout(Stdio::piped());
    cmd.stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// `(file, line, rule)` of every finding in a `-o json` report.
fn found(report: &Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            let file = Path::new(file)
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            (file, f["line"].as_u64().unwrap_or(0), f["rule"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn rules_of(report: &Value, name: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == name)
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Seed 000's workflow: one template, instantiated per job by a script, applied on merge.
const TEMPLATE: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: kuul-{{NAME}}
  namespace: kuul
  labels: {team: {{TEAM}}}
spec:
  schedule: \"{{SCHEDULE}}\"
  timeZone: Etc/UTC
  startingDeadlineSeconds: 120
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 1
      activeDeadlineSeconds: 1800
      template:
        spec:
          restartPolicy: Never
          nodeSelector: {kuul.dev/pool: periodic}
          containers:
            - name: job
              image: registry.example.com/kuul/{{NAME}}:1.0
              resources:
                requests: {cpu: 100m, memory: 64Mi}
                limits: {cpu: 500m, memory: 256Mi}
";

fn instantiate(dir: &Path, jobs: &[(&str, &str, &str)]) {
    for (name, team, schedule) in jobs {
        let text = TEMPLATE
            .replace("{{NAME}}", name)
            .replace("{{TEAM}}", team)
            .replace("{{SCHEDULE}}", schedule);
        let sub = dir.join(team);
        std::fs::create_dir_all(&sub).unwrap();
        // A copied job keeps its name under another file name: the duplicate seed 002 tested for.
        let mut file = sub.join(format!("{name}.yaml"));
        if file.exists() {
            file = sub.join(format!("{name}-copy.yaml"));
        }
        std::fs::write(file, text).unwrap();
    }
}

#[test]
fn seed_style_templates_trip_names_duplicates_pile_ups_and_dead_schedules() {
    let dir = tempfile::tempdir().unwrap();
    let mut jobs: Vec<(String, &str, &str)> = Vec::new();
    // Twelve sanity checks all at minute 0 (seed 002's spike), over the default limit of 10.
    for i in 0..12 {
        jobs.push((format!("sanity-{i:02}"), "sanity", "0 * * * *"));
    }
    jobs.push(("deploy-the-frontend-and-the-backend-of-shop-v2".into(), "deploy", "15 4 * * *"));
    jobs.push(("backup-db".into(), "backup", "30 2 * * *"));
    jobs.push(("backup-db".into(), "backup", "45 2 * * *"));
    jobs.push(("leap-report".into(), "test", "0 0 30 2 *"));
    let borrowed: Vec<(&str, &str, &str)> =
        jobs.iter().map(|(n, t, s)| (n.as_str(), *t, *s)).collect();
    instantiate(dir.path(), &borrowed);

    let flat = lint(dir.path(), &["-f", "."], "").expect_code(1);
    assert!(flat.stderr.contains("no .yaml, .yml or .json files (use -R"), "{}", flat.stderr);

    let run = lint(dir.path(), &["-f", ".", "-R", "-o", "json"], "").expect_code(4);
    let report = run.json();
    assert_eq!(report["summary"]["objects"], 16);
    let f = found(&report);
    // kuul- + 46 characters = 51: fine; the template adds the prefix, so check the real limit.
    assert!(!f.iter().any(|(_, _, r)| r == "name-too-long"), "{f:?}");
    let dupes: Vec<_> = f.iter().filter(|(_, _, r)| r == "name-duplicate").collect();
    assert_eq!(dupes.len(), 1, "{f:?}");
    assert_eq!((dupes[0].0.as_str(), dupes[0].1), ("backup-db.yaml", 4), "{f:?}");
    let piled: Vec<_> = f.iter().filter(|(_, _, r)| r == "schedule-pile-up").collect();
    assert_eq!(piled.len(), 2, "12 at minute 0, limit 10: {f:?}");
    assert!(piled.iter().all(|(_, line, _)| *line == 8), "{f:?}");
    let never: Vec<_> = f.iter().filter(|(_, _, r)| r == "schedule-never-fires").collect();
    assert_eq!(never.len(), 1);
    assert_eq!((never[0].0.as_str(), never[0].1), ("leap-report.yaml", 8));
    // Nothing else: the template itself is clean.
    assert_eq!(f.len(), 4, "{f:?}");

    // A name the script made too long, and a repo config that raises the pile-up limit.
    instantiate(
        dir.path(),
        &[("nightly-export-of-the-orders-database-to-the-lake", "backup", "5 3 * * *")],
    );
    std::fs::write(
        dir.path().join(".kuul-lint.yaml"),
        "thresholds:\n  pileUp: 12\nrules:\n  name-duplicate: warning\n",
    )
    .unwrap();
    let report = lint(dir.path(), &["-f", ".", "-R", "-o", "json"], "").expect_code(4).json();
    let f = found(&report);
    assert!(
        f.iter().any(|(file, line, r)| r == "name-too-long"
            && file == "nightly-export-of-the-orders-database-to-the-lake.yaml"
            && *line == 4),
        "{f:?}"
    );
    assert!(!f.iter().any(|(_, _, r)| r == "schedule-pile-up"), "{f:?}");
    let dupe = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "name-duplicate")
        .unwrap();
    assert_eq!(dupe["severity"], "warning");
}

#[test]
fn real_world_manifests_get_the_findings_written_down_by_hand() {
    let dir = repo().join("tests/fixtures/lint/real-world");
    let run = lint(&dir, &["-f", ".", "-o", "json"], "").expect_code(0);
    let report = run.json();
    let mut hello = rules_of(&report, "hello");
    hello.sort();
    assert_eq!(
        hello,
        [
            "active-deadline-missing",
            "backoff-limit-missing",
            "image-tag-latest",
            "resources-missing",
            "starting-deadline-missing",
            "time-zone-missing",
        ],
        "{report:#}"
    );
    let mut example = rules_of(&report, "cronjob-example");
    example.sort();
    assert_eq!(
        example,
        [
            "active-deadline-missing",
            "backoff-limit-missing",
            "image-tag-latest",
            "resources-missing",
            "starting-deadline-missing",
            "time-zone-missing",
        ]
    );
    let f = found(&report);
    assert!(f.contains(&("k8s-website-hello.yaml".into(), 15, "image-tag-latest".into())), "{f:?}");
    // Warnings only: exit 0 by default, 4 with --fail-on warning.
    lint(&dir, &["-f", ".", "--fail-on", "warning"], "").expect_code(4);
}

#[test]
fn stdin_lists_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "spec: [\n").unwrap();
    std::fs::write(dir.path().join("notes.json"), "\"just a string\"\n").unwrap();
    let list = r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tz"},
   "spec": {"schedule": "TZ=Europe/Berlin 0 3 * * *", "jobTemplate": {"spec": {}}}},
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "skipped"}}
]}"#;
    let run =
        lint(dir.path(), &["-f", "broken.yaml", "-f", "-", "-f", "notes.json", "-o", "json"], list)
            .expect_code(1);
    assert!(run.stderr.contains("error: broken.yaml:1: not valid YAML or JSON"), "{}", run.stderr);
    assert!(run.stderr.contains("error: notes.json:1: not a Kubernetes object"), "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["summary"]["objects"], 1, "the Service is skipped silently");
    let f = found(&report);
    assert!(f.contains(&("<stdin>".into(), 3, "schedule-tz-prefix".into())), "{f:?}");
}

#[test]
fn github_annotations_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\n  annotations: {kuul.dev/lint-ignore: 'resources-missing,image-tag-latest'}\nspec:\n  backoffLimit: 1\n  ttlSecondsAfterFinished: 5\n  template:\n    spec: {restartPolicy: Never, containers: [{name: c, image: x}]}\n";
    let run = lint(dir.path(), &["-f", "-", "-o", "github"], yaml).expect_code(0);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "::warning file=<stdin>,line=6,col=1,title=active-deadline-missing (Job/once)::no activeDeadlineSeconds: a hung run never ends; set a deadline a little above the longest expected run",
            "::warning file=<stdin>,line=8,col=28,title=ttl-too-short (Job/once)::ttlSecondsAfterFinished 5s: the Job and its pods (and logs) are deleted before anyone can read them; keep them 60m or longer",
        ]
    );
    let page = lint(dir.path(), &["--explain", "schedule-never-fires"], "").expect_code(0);
    let doc = std::fs::read_to_string(repo().join("docs/lint/schedule-never-fires.md")).unwrap();
    assert_eq!(page.stdout, doc);
    let list = lint(dir.path(), &["--explain"], "").expect_code(0);
    assert_eq!(list.stdout.lines().count(), 22);
    let bad = lint(dir.path(), &["--explain", "suspend"], "").expect_code(2);
    assert!(bad.stderr.contains("did you mean suspended"), "{}", bad.stderr);
}

/// Validates SARIF with Python's `jsonschema` (Draft 4, as the schema declares); skipped loudly
/// when Python lacks it, a failure under `CI=true`.
#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let dir = repo().join("tests/fixtures/lint/real-world");
    let run = lint(&dir, &["-f", ".", "-o", "sarif"], "").expect_code(0);
    let sarif: Value = run.json();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "k8s-website-hello.yaml"
    );
    let rule_ids: Vec<_> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    for r in results {
        assert_eq!(rule_ids[r["ruleIndex"].as_u64().unwrap() as usize], r["ruleId"]);
    }

    let schema = repo().join("tests/fixtures/lint/sarif-2.1.0-rtm.5.json");
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("out.sarif");
    std::fs::write(&doc, &run.stdout).unwrap();
    let script = "import json,sys\ntry:\n    import jsonschema\nexcept ImportError:\n    sys.exit(3)\nschema=json.load(open(sys.argv[1]))\ndoc=json.load(open(sys.argv[2]))\nerrors=sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)\nfor e in errors: print(list(e.path), e.message)\nsys.exit(1 if errors else 0)\n";
    let out =
        std::process::Command::new("python3").arg("-c").arg(script).arg(&schema).arg(&doc).output();
    let skip = |why: &str| {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "SARIF schema check needs {why} under CI"
        );
        eprintln!("SKIPPED sarif_output_is_valid_sarif_2_1_0: {why}");
    };
    match out {
        Err(_) => skip("python3"),
        Ok(o) if o.status.code() == Some(3) => skip("python3 -m pip install jsonschema"),
        Ok(o) => assert!(
            o.status.success(),
            "SARIF does not match the schema:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    }

    // A mutated document must fail, so the check can fail.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    std::fs::write(&doc, broken.to_string()).unwrap();
    if let Ok(o) =
        std::process::Command::new("python3").arg("-c").arg(script).arg(&schema).arg(&doc).output()
        && o.status.code() != Some(3)
    {
        assert_eq!(o.status.code(), Some(1), "the schema check accepts anything?");
    }
}

#[test]
fn cluster_mode_judges_placement_and_observed_durations() {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "batch-1", json!({"kuul.dev/pool": "batch"}), "4", "16Gi");
    let cronjob = |name: &str, schedule: &str, pool: &str, duration: &str| {
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": name, "namespace": "ops"},
            "spec": {"schedule": schedule, "timeZone": "Etc/UTC", "startingDeadlineSeconds": 60,
                "concurrencyPolicy": "Allow", "suspend": false,
                "jobTemplate": {"spec": {"backoffLimit": 0, "activeDeadlineSeconds": 600,
                    "template": {
                    "metadata": {"annotations": {"sandbox.kuul.dev/duration": duration}},
                    "spec": {"restartPolicy": "Never", "nodeSelector": {"kuul.dev/pool": pool},
                        "containers": [{"name": "main", "image": "busybox:1.36",
                            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                          "limits": {"cpu": "1", "memory": "128Mi"}}}]}}}}}})
    };
    sb.create(Kind::CronJob, cronjob("gpu-report", "17 3 * * *", "gpu", "1m")).unwrap();
    sb.create(Kind::CronJob, cronjob("slow-sync", "*/5 * * * *", "batch", "7m")).unwrap();
    sb.create(Kind::CronJob, cronjob("quick", "*/5 * * * *", "batch", "1m")).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(31 * 60));

    let run = kuul_both(&sb, &["lint", "-n", "ops", "-o", "json"]).expect_code(4);
    let report = run.json();
    assert_eq!(report["mode"], "cluster");
    assert_eq!(report["clock"], "api-server");
    assert_eq!(rules_of(&report, "gpu-report"), ["placement-unsatisfiable"], "{report:#}");
    let slow = rules_of(&report, "slow-sync");
    assert!(slow.contains(&"concurrency-vs-duration".to_owned()), "{report:#}");
    assert!(slow.contains(&"active-deadline-pile-up".to_owned()), "10m deadline, 5m apart, Allow");
    assert!(!rules_of(&report, "quick").contains(&"concurrency-vs-duration".to_owned()));
    // `suspend: false` live is not a finding, and names narrow the scope.
    let one = kuul(&sb, &["lint", "-n", "ops", "quick", "-o", "json"]).json();
    assert!(one["findings"].as_array().unwrap().iter().all(|f| f["name"] == "quick"));
    let missing = kuul(&sb, &["lint", "-n", "ops", "quik"]).expect_code(1);
    assert!(missing.stderr.contains("\"quik\" not found"), "{}", missing.stderr);
}
