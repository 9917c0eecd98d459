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
use serde_json::{Map, Value};

/// Steps (`scenario#step`, 0-based) where the sandbox is known to answer differently from the
/// real server, with the reason.
const KNOWN: &[(&str, &str)] = &[
    (
        "bad-requests#12",
        "a malformed merge patch: 1.20 answers 500 'Invalid JSON Patch'; 1.32's patcher (patch.go applyJSPatch: strict decoding first, ErrBadJSONPatch mapped to 400) answers 400 'error decoding patch: <Go json error>', as the sandbox does (api/gojson.rs)",
    ),
    (
        "events#4",
        "the Name column's description is metav1.ObjectMeta's doc of name, whose More info link changed after 1.20 (identifiers#names became working-with-objects/names#names); the sandbox serves 1.32's",
    ),
    (
        "tables#2",
        "as events#4: ObjectMeta's name doc changed after 1.20 (the sandbox serves 1.32's)",
    ),
    (
        "tables#3",
        "pods' Restarts column: typed integer with 1.20's description, string with 'and when the last container in this pod has restarted.' since 1.22; PodStatus podIP, PodSpec nodeName/readinessGates and ObjectMeta name docs reworded after 1.20 (the sandbox serves 1.32's)",
    ),
    ("tables#4", "as #3"),
    ("tables#5", "as events#4"),
    ("tables#6", "as events#4"),
    (
        "validation#5",
        "a Job template without restartPolicy: 1.20 says Required value, 1.32 NotSupported \"Always\" (the sandbox follows 1.32)",
    ),
];

/// Fields a 1.32 server writes that 1.20 did not (so the 1.20 golden lacks them): removed from
/// the sandbox's answer before comparing, when the golden has none. JSON pointers relative to an
/// object; `*` matches any one segment.
const NEWER_THAN_1_20: &[(&str, &str, &str)] = &[
    ("Job", "/spec/completionMode", "Job completionMode: 1.21 (IndexedJob)"),
    ("Job", "/spec/suspend", "Job suspend: 1.21"),
    ("Job", "/spec/podReplacementPolicy", "Job podReplacementPolicy: 1.28"),
    ("Job", "/metadata/generation", "Job generation: set by the Job strategy since 1.21"),
    ("Job", "/metadata/labels/batch.kubernetes.io~1job-name", "prefixed Job labels: 1.27"),
    ("Job", "/metadata/labels/batch.kubernetes.io~1controller-uid", "1.27"),
    ("Job", "/spec/template/metadata/labels/batch.kubernetes.io~1job-name", "1.27"),
    ("Job", "/spec/template/metadata/labels/batch.kubernetes.io~1controller-uid", "1.27"),
    ("Job", "/status/terminating", "Job status.terminating: 1.28"),
    ("Job", "/spec/ttlSecondsAfterFinished", "alpha and off in 1.20, GA 1.23"),
    ("Job", "/spec/manualSelector", "defaulted to false by SetDefaults_Job since PR #120206"),
    ("Namespace", "/metadata/labels/kubernetes.io~1metadata.name", "namespace name label: 1.21"),
    ("PartialObjectMetadata", "/metadata/labels/kubernetes.io~1metadata.name", "in Table rows"),
];

/// Keys 1.32 writes under a new name (parent pointer, 1.20 key, 1.32 key): the 1.32 key is
/// compared as the 1.20 one when the golden has the old and the sandbox only the new.
const RENAMED_AFTER_1_20: &[(&str, &str, &str)] = &[
    // 1.27 (JobTrackingWithFinalizers GA, pkg/registry/batch/job/strategy.go): a Job's
    // generated selector uses the prefixed label only.
    ("/spec/selector/matchLabels", "controller-uid", "batch.kubernetes.io/controller-uid"),
];

/// Removes from `sandbox` the newer-than-1.20 fields that `golden` lacks, in every object of
/// the body (lists, watch events, Table rows).
fn drop_newer(golden: &Value, sandbox: &mut Value, kind: Option<&str>) {
    match (golden, sandbox) {
        (Value::Object(g), Value::Object(s)) => {
            let own = s.get("kind").and_then(Value::as_str).map(str::to_string);
            let kind = own.as_deref().or(kind).map(str::to_string);
            let items_kind =
                kind.as_deref().and_then(|k| k.strip_suffix("List")).map(str::to_string);
            let gv = Value::Object(g.clone());
            let mut sv = Value::Object(std::mem::take(s));
            for (parent, old, new) in RENAMED_AFTER_1_20 {
                let g_old = gv.pointer(parent).and_then(|p| p.get(*old)).is_some();
                if let (true, Some(Value::Object(p))) = (g_old, sv.pointer_mut(parent))
                    && !p.contains_key(*old)
                    && let Some(v) = p.remove(*new)
                {
                    p.insert((*old).to_string(), v);
                }
            }
            *s = match sv {
                Value::Object(o) => o,
                _ => unreachable!(),
            };
            for (of, pointer, _) in NEWER_THAN_1_20 {
                let g_has = gv.pointer(pointer).is_some();
                if !g_has && kind.as_deref() == Some(*of) {
                    let (parent, last) = pointer.rsplit_once('/').unwrap();
                    let last = last.replace("~1", "/").replace("~0", "~");
                    let mut sv = Value::Object(std::mem::take(s));
                    if let Some(Value::Object(p)) = sv.pointer_mut(parent) {
                        p.remove(&last);
                    }
                    // A map left empty by that, which the golden lacks, goes too.
                    if sv.pointer(parent).is_some_and(|p| p.as_object().is_some_and(Map::is_empty))
                        && gv.pointer(parent).is_none()
                        && let Some((grand, leaf)) = parent.rsplit_once('/')
                        && let Some(Value::Object(gp)) = sv.pointer_mut(grand)
                    {
                        gp.remove(leaf);
                    }
                    *s = match sv {
                        Value::Object(o) => o,
                        _ => unreachable!(),
                    };
                }
            }
            for (k, gv) in g {
                if let Some(sv) = s.get_mut(k) {
                    let inner = if k == "items" { items_kind.as_deref() } else { None };
                    drop_newer(gv, sv, inner);
                }
            }
        }
        (Value::Array(g), Value::Array(s)) => {
            for (gv, sv) in g.iter().zip(s.iter_mut()) {
                drop_newer(gv, sv, kind);
            }
        }
        _ => {}
    }
}

/// A resourceVersion quoted inside an error message (`... the ResourceVersion in record (82)`)
/// is a raw number the recorder's normalisation does not reach: compared as `<rv>`.
fn record_rv_in_message(response: &mut Value) {
    const AT: &str = "ResourceVersion in record (";
    let Some(Value::String(m)) = response.pointer_mut("/body/message") else { return };
    if let Some(i) = m.find(AT) {
        let start = i + AT.len();
        if let Some(len) = m[start..].find(')') {
            m.replace_range(start..start + len, "<rv>");
        }
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
            drop_newer(gr, &mut sr, None);
            let mut gr = gr.clone();
            record_rv_in_message(&mut gr);
            record_rv_in_message(&mut sr);
            let gr = &gr;
            let diffs = oracle::differences(gr, &sr, 6);
            if !diffs.is_empty() {
                let key = format!("{name}#{i}");
                if std::env::var_os("KUUL_GOLDEN_VERBOSE").is_some() {
                    eprintln!("{key}:\n    {}", diffs.join("\n    "));
                }
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
