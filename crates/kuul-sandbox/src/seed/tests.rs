//! Unit tests for the seeds: parsing `--seed`, shapes, and consistency of the generated history.

use super::*;

fn now() -> Timestamp {
    "2025-03-04T10:07:00Z".parse().unwrap()
}

#[test]
fn seeds_parse_from_their_cli_names() {
    assert_eq!("empty".parse(), Ok(Seed::Empty));
    assert_eq!("demo".parse(), Ok(Seed::Demo));
    assert_eq!("scale:5000".parse(), Ok(Seed::Scale(5000)));
    assert!("scale:".parse::<Seed>().is_err());
    assert!("big".parse::<Seed>().is_err());
    assert_eq!(Seed::Scale(7).to_string(), "scale:7");
}

#[test]
fn empty_has_only_the_default_namespace() {
    let objects = objects(&Seed::Empty, now());
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].0, Kind::Namespace);
}

#[test]
fn scale_has_ten_one_pod_runs_per_cronjob() {
    let objects = objects(&Seed::Scale(40), now());
    let count = |k: Kind| objects.iter().filter(|(kind, _)| *kind == k).count();
    assert_eq!(count(Kind::CronJob), 40);
    assert_eq!(count(Kind::Job), count(Kind::Pod));
    assert!(count(Kind::Job) >= 380, "{}", count(Kind::Job));
}

#[test]
fn demo_covers_the_awkward_cases() {
    let objects = objects(&Seed::Demo, now());
    let cronjobs: Vec<&Value> =
        objects.iter().filter(|(k, _)| *k == Kind::CronJob).map(|(_, v)| v).collect();
    assert!((8..=13).contains(&cronjobs.len()));
    let spec =
        |name: &str| &cronjobs.iter().find(|c| c["metadata"]["name"] == name).unwrap()["spec"];
    assert_eq!(spec("backup-s3-sync")["suspend"], true);
    assert_eq!(spec("backup-postgres")["timeZone"], "Europe/London");
    assert_eq!(spec("e2e-nightly")["timeZone"], "America/New_York");
    assert!(cronjobs.iter().any(|c| c["spec"]["schedule"] == "@hourly"));
    // Some runs failed, some pods could not be scheduled.
    let failed = objects.iter().any(|(k, v)| {
        *k == Kind::Job
            && v["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Failed")
    });
    assert!(failed);
    let pending = objects
        .iter()
        .any(|(k, v)| *k == Kind::Pod && v["status"]["conditions"][0]["reason"] == "Unschedulable");
    assert!(pending);
}

#[test]
fn placeholder_uids_are_remapped() {
    let uids = HashMap::from([(format!("{}000000000001", build::UID_PREFIX), "real".to_owned())]);
    let mut v = serde_json::json!({"a": [format!("{}000000000001", build::UID_PREFIX), "other"]});
    assert!(has_placeholder(&v, None));
    remap(&mut v, &uids);
    assert_eq!(v, serde_json::json!({"a": ["real", "other"]}));
    assert!(!has_placeholder(&v, None));
}
