//! Replays the kube-apiserver goldens (`golden/apiserver/*.json`, recorded from a real
//! kube-apiserver 1.20 with etcd by `examples/record_apiserver.rs`) against the sandbox and
//! compares the normalised responses step by step. The sandbox's controllers are stopped, as the
//! recording ran no controller-manager, scheduler or kubelet.
//!
//! Steps that differ are listed in [`KNOWN`] with the reason; the list must be exact: a step
//! that differs and is not listed fails, and so does a listed step that matches (remove it).

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod oracle;

use std::collections::BTreeSet;

use kuul_sandbox::Sandbox;
use serde_json::Value;

/// Steps (`scenario#step`, 0-based) where the sandbox is known to answer differently from the
/// real server, with the reason.
const KNOWN: &[(&str, &str)] = &[];

/// Fields a 1.32 server writes that 1.20 did not (so the 1.20 golden lacks them): removed from
/// the sandbox's answer before comparing, when the golden has none. JSON pointers relative to an
/// object; `*` matches any one segment.
const NEWER_THAN_1_20: &[(&str, &str)] = &[
    ("/spec/completionMode", "Job completionMode: 1.21 (IndexedJob)"),
    ("/spec/suspend", "Job suspend: 1.21"),
    ("/spec/podReplacementPolicy", "Job podReplacementPolicy: 1.28"),
    (
        "/metadata/labels/batch.kubernetes.io~1job-name",
        "Job labels with the batch.kubernetes.io/ prefix: 1.27",
    ),
    ("/metadata/labels/batch.kubernetes.io~1controller-uid", "1.27"),
    ("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid", "1.27"),
    ("/spec/template/metadata/labels/batch.kubernetes.io~1job-name", "1.27"),
    ("/spec/template/metadata/labels/batch.kubernetes.io~1controller-uid", "1.27"),
    ("/status/terminating", "Job status.terminating: 1.28"),
];

/// Removes from `sandbox` the newer-than-1.20 fields that `golden` lacks, in every object of
/// the body (lists, watch events, Table rows).
fn drop_newer(golden: &Value, sandbox: &mut Value) {
    match (golden, sandbox) {
        (Value::Object(g), Value::Object(s)) => {
            for (pointer, _) in NEWER_THAN_1_20 {
                let g_has = Value::Object(g.clone()).pointer(pointer).is_some();
                if !g_has {
                    let (parent, last) = pointer.rsplit_once('/').unwrap();
                    let last = last.replace("~1", "/").replace("~0", "~");
                    let mut sv = Value::Object(std::mem::take(s));
                    if let Some(Value::Object(p)) = sv.pointer_mut(parent) {
                        p.remove(&last);
                    }
                    *s = match sv {
                        Value::Object(o) => o,
                        _ => unreachable!(),
                    };
                }
            }
            for (k, gv) in g {
                if let Some(sv) = s.get_mut(k) {
                    drop_newer(gv, sv);
                }
            }
        }
        (Value::Array(g), Value::Array(s)) => {
            for (gv, sv) in g.iter().zip(s.iter_mut()) {
                drop_newer(gv, sv);
            }
        }
        _ => {}
    }
}

fn goldens() -> Vec<Value> {
    let mut files: Vec<_> = std::fs::read_dir(oracle::golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

#[test]
fn every_scenario_has_a_golden_and_every_golden_a_scenario() {
    let scenarios: BTreeSet<String> = oracle::scenarios().into_iter().map(|s| s.name).collect();
    let recorded: BTreeSet<String> =
        goldens().iter().map(|g| g["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(scenarios, recorded, "re-record: see examples/record_apiserver.rs");
}

#[test]
fn sandbox_answers_as_kube_apiserver_1_20_does() {
    let mut differing = BTreeSet::new();
    let mut report = Vec::new();
    let mut total = 0;
    for golden in goldens() {
        let name = golden["name"].as_str().unwrap().to_string();
        let recorded = golden["steps"].as_array().unwrap();
        // The scenario as recorded: the golden's requests (captures come from scenarios.yaml).
        let scenario = oracle::scenarios().into_iter().find(|s| s.name == name).unwrap();
        assert_eq!(scenario.steps.len(), recorded.len(), "{name}: re-record the golden");
        let sb = Sandbox::builder().start().unwrap();
        sb.control_plane().stop();
        let url = sb.url().trim_start_matches("http://").to_string();
        let target =
            oracle::Target { addr: url, token: Some(sb.tokens().admin.clone()), tls: None };
        let replayed = oracle::run(&target, &scenario);
        for (i, (g, s)) in recorded.iter().zip(&replayed).enumerate() {
            total += 1;
            assert_eq!(g["request"], s["request"], "{name}#{i}: the golden's request changed");
            let gr = &g["response"];
            let mut sr = s["response"].clone();
            drop_newer(gr, &mut sr);
            let diffs = oracle::differences(gr, &sr, 6);
            if !diffs.is_empty() {
                let key = format!("{name}#{i}");
                differing.insert(key.clone());
                if !KNOWN.iter().any(|(k, _)| *k == key) {
                    let req = &g["request"];
                    report.push(format!(
                        "{key} {} {}:\n    {}",
                        req["method"].as_str().unwrap_or("GET"),
                        req["path"].as_str().unwrap(),
                        diffs.join("\n    ")
                    ));
                }
            }
        }
    }
    let stale: Vec<&str> =
        KNOWN.iter().map(|(k, _)| *k).filter(|k| !differing.contains(*k)).collect();
    eprintln!(
        "apiserver goldens: {total} steps, {} match, {} known differences",
        total - differing.len(),
        differing.len() - report.len()
    );
    assert!(
        report.is_empty() && stale.is_empty(),
        "{} unexpected differences:\n{}\n\nknown differences that now match (remove them from KNOWN): {stale:?}",
        report.len(),
        report.join("\n")
    );
}
