//! The `demo` seed: a small "Kuul periodic system" with deploys, sanity checks, tests and
//! backups on two node pools, with a history of successful and failed runs and the awkward
//! cases an operator meets (a CronJob that missed its schedule, a suspended one, one whose
//! nodeSelector matches no node, one whose image the registry lacks, one failing, one running
//! right now).

use jiff::SignedDuration;

use super::build::{Builder, CronSpec};

/// Images the demo's registry lacks: `sanity-report`'s release candidate was never pushed.
pub(crate) const MISSING_IMAGES: &[&str] = &["registry.kuul.dev/sanity/report:2.0.0-rc1"];

/// Adds the demo objects to `b`.
pub(crate) fn build(b: &mut Builder) {
    b.missing.set_missing(MISSING_IMAGES.iter().copied());
    for ns in ["deploy", "sanity", "backup", "tests"] {
        b.namespace(ns);
    }
    b.node("control-plane-1", "", Some(("node-role.kubernetes.io/control-plane", "")), "4", "8Gi");
    for i in 1..=3 {
        b.node(&format!("internal-{i}"), "internal", None, "8", "32Gi");
    }
    for i in 1..=2 {
        b.node(
            &format!("prod-net-{i}"),
            "prod-network",
            Some(("kuul.dev/pool", "prod-network")),
            "16",
            "64Gi",
        );
    }
    let internal = Some(("kuul.dev/pool".to_owned(), "internal".to_owned()));
    let prod = Some(("kuul.dev/pool".to_owned(), "prod-network".to_owned()));

    let mut s = CronSpec::new("deploy", "deploy-web", "*/15 * * * *");
    s.node_selector = internal.clone();
    s.image = "registry.kuul.dev/deploy/helm-runner:3.15.2".into();
    s.command = vec![
        "helm".into(),
        "upgrade".into(),
        "--install".into(),
        "web".into(),
        "./charts/web".into(),
    ];
    s.duration = "45s".into();
    s.log = Some("Release \"web\" has been upgraded. Happy Helming!\nNAME: web\nSTATUS: deployed\nREVISION: 412".into());
    s.cpu = "250m".into();
    s.memory = "256Mi".into();
    b.cronjob(&s);

    let mut s = CronSpec::new("deploy", "deploy-api", "0 9-17 * * 1-5");
    s.concurrency = "Forbid";
    s.node_selector = internal.clone();
    s.image = "registry.kuul.dev/deploy/helm-runner:3.15.2".into();
    s.duration = "2m".into();
    s.runs = 5;
    s.run_codes = |k| if k == 2 { vec![1, 0] } else { vec![0] };
    b.cronjob(&s);

    let mut s = CronSpec::new("deploy", "cleanup-registry", "@daily");
    s.concurrency = "Replace";
    s.node_selector = internal.clone();
    s.duration = "3m".into();
    b.cronjob(&s);

    let mut s = CronSpec::new("sanity", "sanity-dns", "*/5 * * * *");
    s.concurrency = "Forbid";
    s.duration = "5s".into();
    s.cpu = "50m".into();
    s.memory = "32Mi".into();
    s.log = Some("resolving api.kuul.dev... ok (12ms)\nresolving db.internal... ok (3ms)\nall 2 lookups passed".into());
    b.cronjob(&s);

    // Stuck: its image is missing, so its latest run's pod waits in ImagePullBackOff and, with
    // Forbid, no later run starts.
    let mut s = CronSpec::new("sanity", "sanity-report", "15 * * * *");
    s.concurrency = "Forbid";
    s.image = MISSING_IMAGES[0].into();
    s.runs = 1;
    b.cronjob(&s);

    let mut s = CronSpec::new("sanity", "sanity-payments", "@hourly");
    s.node_selector = prod.clone();
    s.toleration = prod.clone();
    s.backoff_limit = 1;
    s.duration = "20s".into();
    s.exit_codes = Some("0,0,0,1".into());
    s.runs = 6;
    s.run_codes = |k| if k == 1 { vec![1, 1] } else { vec![0] };
    b.cronjob(&s);

    let mut s = CronSpec::new("tests", "smoke-tests", "30 */2 * * *");
    s.node_selector = internal.clone();
    s.backoff_limit = 2;
    s.duration = "90s".into();
    s.exit_codes = Some("1".into());
    s.log = Some("running 24 smoke tests\ntest checkout ... ok\ntest login ... FAILED\nerror: 1 of 24 tests failed".into());
    s.run_codes = |_| vec![1];
    s.cpu = "500m".into();
    s.memory = "512Mi".into();
    b.cronjob(&s);

    let mut s = CronSpec::new("tests", "e2e-nightly", "0 3 * * *");
    s.time_zone = Some("America/New_York".into());
    s.node_selector = internal.clone();
    s.duration = "20m".into();
    s.cpu = "2".into();
    s.memory = "4Gi".into();
    b.cronjob(&s);

    let mut s = CronSpec::new("tests", "gpu-benchmarks", "0 */4 * * *");
    s.node_selector = Some(("kuul.dev/pool".into(), "gpu".into()));
    s.concurrency = "Forbid";
    s.runs = 1;
    s.cpu = "4".into();
    s.memory = "16Gi".into();
    b.cronjob(&s);

    let mut s = CronSpec::new("backup", "backup-postgres", "30 2 * * *");
    s.time_zone = Some("Europe/London".into());
    s.node_selector = prod.clone();
    s.toleration = prod.clone();
    s.concurrency = "Forbid";
    s.duration = "15m".into();
    s.image = "registry.kuul.dev/backup/pg-dump:16.4".into();
    s.log = Some("pg_dump: dumping database \"payments\"\nuploading 2.3 GiB to s3://kuul-backups/postgres/\nbackup complete".into());
    s.cpu = "1".into();
    s.memory = "2Gi".into();
    b.cronjob(&s);

    // Missed: its last run was a day ago and a short starting deadline makes the controller
    // skip the overdue run instead of starting it late.
    let mut s = CronSpec::new("backup", "backup-redis", "0 */6 * * *");
    s.starting_deadline = Some(120);
    s.node_selector = prod.clone();
    s.toleration = prod;
    s.skip_latest = 4;
    s.duration = "2m".into();
    b.cronjob(&s);

    let mut s = CronSpec::new("backup", "backup-s3-sync", "0 4 * * 0");
    s.suspend = true;
    s.node_selector = internal.clone();
    s.skip_latest = 2;
    s.runs = 2;
    b.cronjob(&s);

    // Long enough that a run is usually in progress when the seed is loaded.
    let mut s = CronSpec::new("backup", "backup-etcd", "*/30 * * * *");
    s.node_selector = internal;
    s.duration = "25m".into();
    s.age_before_first_run = SignedDuration::from_hours(24 * 30);
    b.cronjob(&s);
}
