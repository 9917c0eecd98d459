//! `kubectl kuul cost-report` end to end: CronJobs with known requests run on the sandbox's
//! controllers for a known time, so every cost is an exact product we can write down.

use crate::support::*;

const CPU: f64 = 0.04;
const MEM: f64 = 0.005;

/// A CronJob whose pods request 500m CPU and 1Gi and run `duration`.
fn cronjob(name: &str, schedule: &str, time_zone: Option<&str>, duration: &str) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": name, "namespace": "ops"},
        "spec": {"schedule": schedule, "timeZone": time_zone,
            "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
                "metadata": {"annotations": {"sandbox.kuul.dev/duration": duration}},
                "spec": {"restartPolicy": "Never", "nodeSelector": {"kuul.dev/pool": "batch"},
                    "containers": [{"name": "main", "image": "busybox",
                        "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]}}}}}})
}

/// `backup` ran at 10:10, 10:20 and 10:30 for two minutes each; the daily ones never ran.
fn cluster() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(
        &sb,
        "batch-1",
        json!({"kuul.dev/pool": "batch", "node.kubernetes.io/instance-type": "m5.large"}),
        "4",
        "16Gi",
    );
    sb.create(Kind::CronJob, cronjob("backup", "*/10 * * * *", None, "2m")).expect("cronjob");
    sb.create(Kind::CronJob, cronjob("daily-utc", "0 2 * * *", None, "1m")).expect("cronjob");
    sb.create(Kind::CronJob, cronjob("daily-ny", "0 2 * * *", Some("America/New_York"), "1m"))
        .expect("cronjob");
    sb.advance(jiff::SignedDuration::from_secs(35 * 60));
    sb
}

fn item<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["items"].as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()
}

fn close(actual: &Value, expected: f64) {
    let a = actual.as_f64().unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((a - expected).abs() <= 1e-9 * expected.abs().max(1.0), "{a} != {expected}");
}

#[test]
fn costs_are_exact_products_of_requests_time_and_prices() {
    let sb = cluster();
    let report = kuul_both(
        &sb,
        &[
            "cost-report",
            "-n",
            "ops",
            "-o",
            "json",
            "--cpu-price",
            "0.04",
            "--memory-price",
            "0.005",
        ],
    )
    .expect_code(0)
    .json();
    let per_run = (0.5 * CPU + 1.0 * MEM) * (120.0 / 3600.0);
    let backup = item(&report, "backup");
    assert_eq!(backup["runsObserved"], 3, "{report:#}");
    assert_eq!(backup["runsCosted"], 3);
    close(&backup["averageDurationSeconds"], 120.0);
    close(&backup["costPerRun"], per_run);
    close(&backup["observedCost"], 3.0 * per_run);
    // Every ten minutes for 30 days.
    assert_eq!(backup["runsPerMonth"], 4320);
    close(&backup["projectedMonthlyCost"], per_run * 4320.0);
    assert_eq!(backup["pools"], json!(["batch"]));
    close(&backup["requests"]["cpu"], 0.5);
    close(&backup["requests"]["memoryGib"], 1.0);

    // Hand count over (10:35Z Mar 1, 10:35Z Mar 31]: 02:00 on Mar 2..31; New York skips Mar 9
    // (02:00 falls in the spring-forward gap).
    assert_eq!(item(&report, "daily-utc")["runsPerMonth"], 30);
    assert_eq!(item(&report, "daily-ny")["runsPerMonth"], 29);
    assert!(item(&report, "daily-ny")["projectedMonthlyCost"].is_null());
    assert_eq!(item(&report, "daily-ny")["runsCosted"], 0);

    // The node since it joined at 10:00 (35 minutes) at 4 x 0.04 + 16 x 0.005 per hour.
    let usage = &report["poolUsage"][0];
    assert_eq!(usage["name"], "batch");
    close(&usage["nodeCost"], 0.24 * 35.0 / 60.0);
    close(&usage["usedCost"], 3.0 * per_run);
    close(&usage["utilisationPercent"], 3.0 * per_run / (0.24 * 35.0 / 60.0) * 100.0);
    close(&report["total"]["observedCost"], 3.0 * per_run);
    assert_eq!(report["total"]["cronjobsWithoutProjection"], 2);
}

#[test]
fn a_node_price_by_instance_type_is_shared_out_by_requests() {
    let sb = cluster();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prices.yaml");
    // Twice what the flags make of the node (0.24): every rate doubles.
    std::fs::write(&path, "instanceTypes:\n  m5.large:\n    node: 0.48\n").unwrap();
    let report = kuul(
        &sb,
        &[
            "cost-report",
            "-n",
            "ops",
            "-o",
            "json",
            "--cpu-price",
            "0.04",
            "--memory-price",
            "0.005",
            "--prices",
            path.to_str().unwrap(),
        ],
    )
    .expect_code(0)
    .json();
    let per_run = 2.0 * (0.5 * CPU + 1.0 * MEM) * (120.0 / 3600.0);
    close(&item(&report, "backup")["costPerRun"], per_run);
    close(&report["poolUsage"][0]["nodeCost"], 0.48 * 35.0 / 60.0);
}

#[test]
fn tables_group_by_cronjob_namespace_and_pool() {
    let sb = cluster();
    let args = ["cost-report", "-n", "ops", "--cpu-price", "0.04", "--memory-price", "0.005"];
    let table = kuul(&sb, &args).expect_code(0).stdout;
    let header = table.lines().next().unwrap();
    assert!(
        header.starts_with("NAME") && header.contains("COST/RUN") && header.contains("MONTHLY"),
        "{table}"
    );
    // 3.6000 a month: 0.000833... per run x 4320; six decimals per run, four elsewhere.
    let backup = table.lines().find(|l| l.starts_with("backup")).unwrap();
    assert!(
        backup.contains("3/3") && backup.contains(" 0.000833 ") && backup.contains("3.6000"),
        "{backup}"
    );
    let by_ns = kuul(&sb, &[&args[..], &["--by", "namespace"]].concat()).expect_code(0).stdout;
    assert!(by_ns.lines().nth(1).unwrap().starts_with("ops"), "{by_ns}");
    let by_pool = kuul(&sb, &[&args[..], &["--by", "pool"]].concat()).expect_code(0).stdout;
    assert!(
        by_pool.contains("UTILISATION") && by_pool.lines().nth(1).unwrap().starts_with("batch"),
        "{by_pool}"
    );
    let csv = kuul(&sb, &[&args[..], &["-o", "csv"]].concat()).expect_code(0).stdout;
    assert!(csv.starts_with("NAME,POOL,RUNS,"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("backup,batch,3/3,")), "{csv}");
}

#[test]
fn bad_prices_are_usage_errors_naming_line_and_field() {
    let sb = sandbox();
    let run = kuul(&sb, &["cost-report", "--cpu-price", "-1"]).expect_code(2);
    assert!(run.stderr.contains("--cpu-price must be a number >= 0"), "{}", run.stderr);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prices.yaml");
    std::fs::write(&path, "cpu: 0.03\npools:\n  batch:\n    memory: -0.5\n").unwrap();
    let run = kuul(&sb, &["cost-report", "--prices", path.to_str().unwrap()]).expect_code(2);
    assert!(
        run.stderr.contains("line 4") && run.stderr.contains("pools.batch.memory"),
        "{}",
        run.stderr
    );
    std::fs::write(&path, "pools:\n  batch:\n    cpus: 1\n").unwrap();
    let run = kuul(&sb, &["cost-report", "--prices", path.to_str().unwrap()]).expect_code(2);
    assert!(run.stderr.contains("line 3") && run.stderr.contains("cpus"), "{}", run.stderr);
    let run = kuul(&sb, &["cost-report", "--prices", "/nonexistent/prices.yaml"]).expect_code(1);
    assert!(run.stderr.contains("/nonexistent/prices.yaml"), "{}", run.stderr);
}

#[test]
fn an_empty_cluster_costs_nothing() {
    let sb = sandbox();
    let report = kuul_both(&sb, &["cost-report", "-A", "-o", "json"]).expect_code(0).json();
    assert_eq!(report["items"], json!([]));
    assert_eq!(report["total"]["observedCost"], 0.0);
    assert_eq!(
        report["prices"]["defaults"],
        json!({"cpu": 0.031611, "memory": 0.004237, "gpu": 0.95})
    );
    assert_eq!(kuul(&sb, &["cost-report", "-A"]).expect_code(0).stdout, "");
}

#[test]
fn a_viewer_can_read_costs() {
    let sb = cluster();
    let report =
        kuul(&sb, &["cost-report", "-n", "ops", "-o", "json", "--context", "kuul-sandbox-viewer"])
            .expect_code(0)
            .json();
    assert_eq!(item(&report, "backup")["runsCosted"], 3);
}
