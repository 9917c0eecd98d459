//! The REST API without kubectl: exact status codes and Status bodies for bad input, paging,
//! dry-run, the Date header, the admin API, faults and counters, and `kube::Client` round trips.

// Fixture helpers outside #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use futures::{StreamExt, TryStreamExt};
use jiff::SignedDuration;
use k8s_openapi::api::batch::v1::CronJob;
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kuul_sandbox::{FaultConfig, Kind, Sandbox};
use serde_json::{Value, json};
use support::{cronjob, namespace, node, raw};

fn sandbox() -> Sandbox {
    let sb = Sandbox::builder().start().unwrap();
    sb.create(Kind::Namespace, namespace("ops")).unwrap();
    sb.create(Kind::Node, node("node-1")).unwrap();
    sb
}

const CJS: &str = "/apis/batch/v1/namespaces/ops/cronjobs";

fn post(sb: &Sandbox, path: &str, body: &Value) -> support::Raw {
    raw(sb, "POST", path, None, "application/json", body.to_string().as_bytes())
}

fn assert_status(r: &support::Raw, code: u16, reason: &str) -> Value {
    let body = r.json();
    assert_eq!(r.status, code, "{body}");
    assert_eq!(body["kind"], "Status");
    assert_eq!(body["status"], "Failure");
    assert_eq!(body["code"], code);
    assert_eq!(body["reason"], reason, "{body}");
    body
}

#[test]
fn bad_input_gets_what_a_real_api_server_returns() {
    let sb = sandbox();
    let r = raw(&sb, "POST", CJS, None, "application/json", b"{not json");
    let b = assert_status(&r, 400, "BadRequest");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("the object provided is unrecognized (must be of type CronJob)"),
        "{b}"
    );

    let r = raw(&sb, "GET", "/apis/batch/v1/namespaces/ops/widgets", None, "application/json", b"");
    let b = assert_status(&r, 404, "NotFound");
    assert_eq!(b["message"], "the server could not find the requested resource");
    let r = raw(&sb, "GET", &format!("{CJS}/nope"), None, "application/json", b"");
    let b = assert_status(&r, 404, "NotFound");
    assert_eq!(b["message"], "cronjobs.batch \"nope\" not found");
    assert_eq!(b["details"], json!({"name": "nope", "group": "batch", "kind": "cronjobs"}));

    let r = raw(&sb, "PUT", CJS, None, "application/json", b"{}");
    assert_status(&r, 405, "MethodNotAllowed");
    let r = raw(&sb, "POST", "/api/v1/namespaces/ops/pods/p/log", None, "application/json", b"{}");
    assert_status(&r, 405, "MethodNotAllowed");

    assert_eq!(post(&sb, CJS, &cronjob("ops", "a", "@hourly")).status, 201);
    let r = post(&sb, CJS, &cronjob("ops", "a", "@hourly"));
    let b = assert_status(&r, 409, "AlreadyExists");
    assert_eq!(b["message"], "cronjobs.batch \"a\" already exists");

    let big = vec![b' '; 3 * 1024 * 1024 + 1];
    let r = raw(&sb, "POST", CJS, None, "application/json", &big);
    assert_status(&r, 413, "RequestEntityTooLarge");

    let mut bad = cronjob("ops", "Bad_Name", "61 * * * *");
    bad["spec"]["concurrencyPolicy"] = json!("Sometimes");
    let r = post(&sb, CJS, &bad);
    let b = assert_status(&r, 422, "Invalid");
    assert_eq!(b["details"]["kind"], "CronJob");
    assert_eq!(b["details"]["group"], "batch");
    let fields: Vec<&str> = b["details"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"metadata.name") && fields.contains(&"spec.concurrencyPolicy"), "{b}");
    assert!(
        b["message"].as_str().unwrap().starts_with("CronJob.batch \"Bad_Name\" is invalid: ["),
        "{b}"
    );

    let long = "a".repeat(53);
    let b = assert_status(&post(&sb, CJS, &cronjob("ops", &long, "@hourly")), 422, "Invalid");
    assert_eq!(
        b["details"]["causes"][0]["message"],
        format!("Invalid value: \"{long}\": must be no more than 52 characters")
    );

    let r = raw(&sb, "GET", CJS, Some("wrong"), "application/json", b"");
    assert_status(&r, 401, "Unauthorized");
    let r = raw(&sb, "GET", CJS, Some(""), "application/json", b"");
    assert_status(&r, 401, "Unauthorized");
    let r =
        raw(&sb, "GET", &format!("{CJS}?labelSelector=a%20in%20b"), None, "application/json", b"");
    assert_status(&r, 400, "BadRequest");
    let r = post(&sb, "/api/v1/namespaces/nowhere/configmaps", &json!({"metadata": {"name": "x"}}));
    let b = assert_status(&r, 404, "NotFound");
    assert_eq!(b["message"], "namespaces \"nowhere\" not found");
}

#[test]
fn stale_updates_and_patches_conflict() {
    let sb = sandbox();
    let created = post(&sb, CJS, &cronjob("ops", "a", "@hourly")).json();
    let mut stale = created.clone();
    stale["spec"]["suspend"] = json!(true);
    let path = format!("{CJS}/a");
    assert_eq!(
        raw(&sb, "PUT", &path, None, "application/json", stale.to_string().as_bytes()).status,
        200
    );
    let r = raw(&sb, "PUT", &path, None, "application/json", stale.to_string().as_bytes());
    let b = assert_status(&r, 409, "Conflict");
    assert!(b["message"].as_str().unwrap().contains("the object has been modified"), "{b}");
    let patch = json!({"metadata": {"resourceVersion": created["metadata"]["resourceVersion"]}, "spec": {"suspend": false}});
    let r = raw(
        &sb,
        "PATCH",
        &path,
        None,
        "application/merge-patch+json",
        patch.to_string().as_bytes(),
    );
    assert_status(&r, 409, "Conflict");
    let r = raw(&sb, "PATCH", &path, None, "application/apply-patch+yaml", b"{}");
    let b = assert_status(&r, 422, "Invalid");
    assert_eq!(
        b["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
    let r = raw(&sb, "PATCH", &path, None, "application/x-unknown-patch", b"{}");
    assert_eq!(r.status, 415);
}

#[test]
fn dry_run_validates_and_stores_nothing() {
    let sb = sandbox();
    let before = sb.store().resource_version();
    let r = post(&sb, &format!("{CJS}?dryRun=All"), &cronjob("ops", "a", "@hourly"));
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["metadata"]["name"], "a");
    assert!(sb.get(Kind::CronJob, Some("ops"), "a").is_none());
    assert_eq!(sb.store().resource_version(), before);
    let r = post(&sb, &format!("{CJS}?dryRun=All"), &cronjob("ops", "b", "bad"));
    assert_eq!(r.status, 422);
    post(&sb, CJS, &cronjob("ops", "a", "@hourly"));
    let before = sb.store().resource_version();
    let r = raw(&sb, "DELETE", &format!("{CJS}/a?dryRun=All"), None, "application/json", b"");
    assert_eq!(r.status, 200);
    assert!(sb.get(Kind::CronJob, Some("ops"), "a").is_some());
    let p = raw(
        &sb,
        "PATCH",
        &format!("{CJS}/a?dryRun=All"),
        None,
        "application/merge-patch+json",
        br#"{"spec":{"suspend":true}}"#,
    );
    assert_eq!(p.json()["spec"]["suspend"], true);
    assert_eq!(sb.get(Kind::CronJob, Some("ops"), "a").unwrap()["spec"]["suspend"], false);
    assert_eq!(sb.store().resource_version(), before);
}

#[test]
fn paging_with_limit_and_continue() {
    let sb = sandbox();
    for i in 0..5 {
        sb.create(Kind::CronJob, cronjob("ops", &format!("cj-{i}"), "@hourly")).unwrap();
    }
    let mut names = Vec::new();
    let mut path = format!("{CJS}?limit=2");
    let mut pages = 0;
    loop {
        let page = raw(&sb, "GET", &path, None, "application/json", b"").json();
        pages += 1;
        assert_eq!(page["kind"], "CronJobList");
        assert!(page["metadata"]["resourceVersion"].is_string());
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["metadata"]["name"].as_str().unwrap().to_string()),
        );
        match page["metadata"]["continue"].as_str() {
            Some(c) => path = format!("{CJS}?limit=2&continue={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["cj-0", "cj-1", "cj-2", "cj-3", "cj-4"]);
    let r =
        raw(&sb, "GET", &format!("{CJS}?limit=2&continue=garbage"), None, "application/json", b"");
    assert_eq!(r.status, 400);
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn get_json(sb: &Sandbox, path: &str) -> Value {
    let r = raw(sb, "GET", path, None, "application/json", b"");
    assert_eq!(r.status, 200, "{path}: {}", r.json());
    r.json()
}

/// etcd3 `store.GetList` ranges at the continue token's revision (kube-apiserver 1.32's cacher
/// delegates continued, Exact and legacy limit+resourceVersion lists to etcd): every page shows
/// the objects as of the first page, whatever is written between pages.
#[test]
fn paged_lists_show_the_first_pages_snapshot() {
    let sb = sandbox();
    for i in 0..6 {
        sb.create(Kind::CronJob, cronjob("ops", &format!("cj-{i}"), "@hourly")).unwrap();
    }
    let first = get_json(&sb, &format!("{CJS}?limit=2"));
    let rv = first["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    assert_eq!(first["metadata"]["remainingItemCount"], 4);
    let before = get_json(&sb, CJS);
    // Between pages: a page-2 object changes, a page-3 object goes, a new one comes, and an
    // object already listed is deleted.
    let mut cj3 = sb.get(Kind::CronJob, Some("ops"), "cj-3").unwrap();
    cj3["spec"]["schedule"] = json!("*/5 * * * *");
    sb.store().replace(Kind::CronJob, cj3).unwrap();
    let store = sb.store();
    store
        .delete(
            Kind::CronJob,
            Some("ops"),
            "cj-4",
            kuul_sandbox::controllers::Propagation::Background,
        )
        .unwrap();
    store
        .delete(
            Kind::CronJob,
            Some("ops"),
            "cj-0",
            kuul_sandbox::controllers::Propagation::Background,
        )
        .unwrap();
    sb.create(Kind::CronJob, cronjob("ops", "cj-2a", "@daily")).unwrap();
    let mut items: Vec<Value> = first["items"].as_array().unwrap().clone();
    let mut token = first["metadata"]["continue"].as_str().unwrap().to_string();
    loop {
        let page = get_json(&sb, &format!("{CJS}?limit=2&continue={token}"));
        assert_eq!(page["metadata"]["resourceVersion"], rv.as_str(), "{page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["metadata"]["continue"].as_str() {
            Some(c) => {
                assert!(page["metadata"]["remainingItemCount"].is_u64());
                token = c.to_string();
            }
            None => break,
        }
    }
    assert_eq!(items, before["items"].as_array().unwrap().clone(), "the first page's snapshot");
    assert_eq!(items[3]["spec"]["schedule"], "@hourly");
    // The same version, asked for exactly, and the legacy form (a limit and a resourceVersion).
    let exact = get_json(&sb, &format!("{CJS}?resourceVersion={rv}&resourceVersionMatch=Exact"));
    assert_eq!(exact["metadata"]["resourceVersion"], rv.as_str());
    assert_eq!(exact["items"], before["items"]);
    let legacy = get_json(&sb, &format!("{CJS}?resourceVersion={rv}&limit=3"));
    assert_eq!(names(&legacy), ["cj-0", "cj-1", "cj-2"]);
    // Without a match a resourceVersion alone is "not older than": the latest state.
    let latest = get_json(&sb, &format!("{CJS}?resourceVersion={rv}"));
    assert_eq!(names(&latest), ["cj-1", "cj-2", "cj-2a", "cj-3", "cj-5"]);
    // A Table page keeps the snapshot too (kubectl get --chunk-size).
    let t = raw(
        &sb,
        "GET",
        &format!("{CJS}?limit=2&continue={}", first["metadata"]["continue"].as_str().unwrap()),
        None,
        // `raw` sends no Accept header of its own: this one rides after the Content-Type.
        "application/json\r\nAccept: application/json;as=Table;v=v1;g=meta.k8s.io",
        b"",
    )
    .json();
    let cells: Vec<&str> =
        t["rows"].as_array().unwrap().iter().map(|r| r["cells"][0].as_str().unwrap()).collect();
    assert_eq!(cells, ["cj-2", "cj-3"], "{t}");
    assert_eq!(t["metadata"]["resourceVersion"], rv.as_str());
    // A continue token with a resourceVersion is refused (storage.ValidateListOptions).
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?limit=2&resourceVersion={rv}&continue={token}"),
        None,
        "application/json",
        b"",
    );
    let b = assert_status(&r, 400, "BadRequest");
    assert_eq!(b["message"], "specifying resource version is not allowed when using continue");
    // A version not written yet: etcd's ErrFutureRev as a plain 500.
    let future = sb.store().resource_version() + 10;
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?resourceVersion={future}&resourceVersionMatch=Exact"),
        None,
        "application/json",
        b"",
    );
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["message"], "etcdserver: mvcc: required revision is a future revision");
    // After a compaction the snapshot is gone: 410 for the token and for the Exact list.
    let r = post(&sb, "/kuul-sandbox/v1/compact", &json!({}));
    assert_eq!(r.status, 200);
    let r =
        raw(&sb, "GET", &format!("{CJS}?limit=2&continue={token}"), None, "application/json", b"");
    let b = assert_status(&r, 410, "Expired");
    assert!(b["metadata"]["continue"].is_string(), "{b}");
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?resourceVersion={rv}&resourceVersionMatch=Exact"),
        None,
        "application/json",
        b"",
    );
    assert_status(&r, 410, "Expired");
}

#[test]
fn date_header_follows_the_sandbox_clock_and_admin_api_moves_it() {
    let sb = sandbox();
    let r = raw(&sb, "GET", "/version", None, "application/json", b"");
    assert_eq!(r.header("date"), Some("Sat, 01 Mar 2025 09:59:30 GMT"));
    assert_eq!(r.json()["minor"], "32");
    let r =
        raw(&sb, "POST", "/kuul-sandbox/v1/advance", None, "application/json", br#"{"by": "90s"}"#);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["now"], "2025-03-01T10:01:00Z");
    assert_eq!(r.header("date"), Some("Sat, 01 Mar 2025 10:01:00 GMT"));
    let r = raw(
        &sb,
        "GET",
        "/kuul-sandbox/v1/clock",
        Some(&sb.tokens().viewer),
        "application/json",
        b"",
    );
    assert_eq!(r.status, 403);
    let r = raw(
        &sb,
        "PUT",
        "/kuul-sandbox/v1/clock",
        None,
        "application/json",
        br#"{"now": "2025-06-01T00:00:00Z"}"#,
    );
    assert_eq!(r.json()["now"], "2025-06-01T00:00:00Z");
    assert_eq!(sb.now().to_string(), "2025-06-01T00:00:00Z");
}

#[test]
fn scheduled_runs_happen_when_the_clock_advances() {
    let sb = sandbox();
    sb.create(Kind::CronJob, cronjob("ops", "every5", "*/5 * * * *")).unwrap();
    assert!(sb.list(Kind::Job, Some("ops")).is_empty());
    sb.advance(SignedDuration::from_mins(11));
    let jobs = sb.list(Kind::Job, Some("ops"));
    assert_eq!(jobs.len(), 3, "runs at 10:00, 10:05 and 10:10 (start 09:59:30 + 11m)");
    let r = raw(
        &sb,
        "GET",
        "/apis/batch/v1/namespaces/ops/jobs?labelSelector=batch.kubernetes.io/job-name",
        None,
        "application/json",
        b"",
    );
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 3);
}

#[test]
fn request_counts_and_faults() {
    let sb = sandbox();
    sb.reset_counts();
    for _ in 0..3 {
        raw(&sb, "GET", CJS, None, "application/json", b"");
    }
    raw(&sb, "GET", CJS, Some(&sb.tokens().viewer), "application/json", b"");
    let counts = sb.request_counts();
    assert_eq!(kuul_sandbox::metrics::total(&counts, "list", "cronjobs"), 4);
    let viewer = counts.iter().find(|c| c.key.user == "viewer").unwrap();
    assert_eq!((viewer.key.namespace.as_deref(), viewer.count), (Some("ops"), 1));

    sb.set_faults(FaultConfig {
        throttle_rate: 1.0,
        retry_after_seconds: 7,
        ..FaultConfig::default()
    });
    let r = raw(&sb, "GET", CJS, None, "application/json", b"");
    assert_status(&r, 429, "TooManyRequests");
    assert_eq!(r.header("retry-after"), Some("7"));
    sb.set_faults(FaultConfig { conflict_rate: 1.0, ..FaultConfig::default() });
    assert_eq!(raw(&sb, "GET", CJS, None, "application/json", b"").status, 200);
    assert_eq!(post(&sb, CJS, &cronjob("ops", "x", "@hourly")).status, 409);
    sb.set_faults(FaultConfig { drop_rate: 1.0, ..FaultConfig::default() });
    let addr = sb.url().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    use std::io::{Read, Write};
    write!(
        s,
        "GET {CJS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        sb.tokens().admin
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(buf.is_empty(), "a dropped connection sends nothing");
    sb.set_faults(FaultConfig::default());
    assert_eq!(raw(&sb, "GET", CJS, None, "application/json", b"").status, 200);
}

#[test]
fn job_delete_without_policy_orphans_and_warns() {
    let sb = sandbox();
    sb.create(Kind::Job, support::job("ops", "j", "1h")).unwrap();
    assert_eq!(sb.list(Kind::Pod, Some("ops")).len(), 1);
    let r =
        raw(&sb, "DELETE", "/apis/batch/v1/namespaces/ops/jobs/j", None, "application/json", b"");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("warning"),
        Some(
            "299 - \"child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning\""
        )
    );
    // upstream: 200 with the Job carrying the `orphan` finalizer; the garbage collector then
    // orphans the pod and removes the Job.
    assert_eq!(r.json()["kind"], "Job");
    assert_eq!(r.json()["metadata"]["finalizers"], serde_json::json!(["orphan"]));
    assert!(sb.get(Kind::Job, Some("ops"), "j").is_none());
    let pods = sb.list(Kind::Pod, Some("ops"));
    assert_eq!(pods.len(), 1);
    assert!(pods[0]["metadata"].get("ownerReferences").is_none());
}

#[tokio::test]
async fn kube_client_round_trips_and_watches() {
    let sb = sandbox();
    let client = sb.client().await.unwrap();
    let api: Api<CronJob> = Api::namespaced(client.clone(), "ops");
    let cj: CronJob = serde_json::from_value(cronjob("ops", "nightly", "0 2 * * *")).unwrap();
    let created = api.create(&PostParams::default(), &cj).await.unwrap();
    assert!(created.metadata.uid.is_some());
    let rv = created.metadata.resource_version.clone().unwrap();

    let mut stream = api.watch(&WatchParams::default().timeout(10), &rv).await.unwrap().boxed();
    let patched = api
        .patch(
            "nightly",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"suspend": true}})),
        )
        .await
        .unwrap();
    assert_eq!(patched.spec.as_ref().unwrap().suspend, Some(true));
    match stream.try_next().await.unwrap() {
        Some(WatchEvent::Modified(o)) => assert_eq!(o.spec.unwrap().suspend, Some(true)),
        other => panic!("expected MODIFIED, got {other:?}"),
    }

    let list = api.list(&ListParams::default().labels("app=nightly")).await.unwrap();
    assert_eq!(list.items.len(), 1);
    let viewer: Api<CronJob> = Api::namespaced(sb.viewer_client().await.unwrap(), "ops");
    assert_eq!(viewer.get("nightly").await.unwrap().metadata.name.as_deref(), Some("nightly"));
    match viewer.delete("nightly", &DeleteParams::default()).await {
        Err(kube::Error::Api(s)) => {
            assert_eq!(s.code, 403);
            assert_eq!(
                s.message,
                "cronjobs.batch \"nightly\" is forbidden: User \"viewer\" cannot delete resource \"cronjobs\" in API group \"batch\" in the namespace \"ops\""
            );
        }
        other => panic!("expected 403, got {other:?}"),
    }
    api.delete("nightly", &DeleteParams::background()).await.unwrap();
    match api.get("nightly").await {
        Err(kube::Error::Api(s)) => assert_eq!(s.code, 404),
        other => panic!("expected 404, got {other:?}"),
    }
}

#[tokio::test]
async fn tls_client_verifies_the_generated_ca() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    let client = sb.client().await.unwrap();
    let v = client.apiserver_version().await.unwrap();
    assert_eq!(v.minor, "32");
    assert!(sb.ca_pem().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
}

#[tokio::test]
async fn watch_streams_initial_events_and_selector_transitions() {
    let sb = sandbox();
    sb.create(Kind::CronJob, cronjob("ops", "a", "@hourly")).unwrap();
    let api: Api<CronJob> = Api::namespaced(sb.client().await.unwrap(), "ops");

    // Streaming list: current objects as ADDED, then the initial-events-end bookmark.
    let mut s = api.watch(&WatchParams::streaming_lists().timeout(10), "0").await.unwrap().boxed();
    match s.try_next().await.unwrap() {
        Some(WatchEvent::Added(o)) => assert_eq!(o.metadata.name.as_deref(), Some("a")),
        other => panic!("expected ADDED a, got {other:?}"),
    }
    match s.try_next().await.unwrap() {
        Some(WatchEvent::Bookmark(b)) => {
            assert_eq!(
                b.metadata.annotations.get("k8s.io/initial-events-end").map(String::as_str),
                Some("true")
            );
        }
        other => panic!("expected BOOKMARK, got {other:?}"),
    }

    // A label-selected watch sees an object leave the selection as DELETED and return as ADDED.
    let rv = api.get("a").await.unwrap().metadata.resource_version.unwrap();
    let mut s =
        api.watch(&WatchParams::default().labels("app=a").timeout(10), &rv).await.unwrap().boxed();
    let relabel = |v: &str| Patch::Merge(json!({"metadata": {"labels": {"app": v}}}));
    api.patch("a", &PatchParams::default(), &relabel("other")).await.unwrap();
    assert!(matches!(s.try_next().await.unwrap(), Some(WatchEvent::Deleted(_))));
    api.patch("a", &PatchParams::default(), &relabel("a")).await.unwrap();
    assert!(matches!(s.try_next().await.unwrap(), Some(WatchEvent::Added(_))));

    // Resumed from a version at which `a` matched, after it left the selection and changed
    // again: the first change is judged by the object before and after it (as the watch
    // cache's convertToWatchEvent), so the client hears DELETED with the state it knew, at
    // the change's resourceVersion, and nothing for the second change.
    let matched = api.get("a").await.unwrap().metadata.resource_version.unwrap();
    let left = api.patch("a", &PatchParams::default(), &relabel("other")).await.unwrap();
    api.patch("a", &PatchParams::default(), &relabel("third")).await.unwrap();
    sb.create(Kind::CronJob, cronjob("ops", "b", "@daily")).unwrap();
    let mut labels = std::collections::BTreeMap::new();
    labels.insert("app".to_string(), "a".to_string());
    let marker = json!({"metadata": {"labels": {"app": "a"}}});
    api.patch("b", &PatchParams::default(), &Patch::Merge(marker)).await.unwrap();
    let mut s = api
        .watch(&WatchParams::default().labels("app=a").timeout(10), &matched)
        .await
        .unwrap()
        .boxed();
    match s.try_next().await.unwrap() {
        Some(WatchEvent::Deleted(o)) => {
            assert_eq!(o.metadata.name.as_deref(), Some("a"));
            assert_eq!(o.metadata.labels, Some(labels), "the state the client knew");
            assert_eq!(o.metadata.resource_version, left.metadata.resource_version);
        }
        other => panic!("expected DELETED a, got {other:?}"),
    }
    // Then `b` entering the selection, with no event for `a`'s second change between.
    match s.try_next().await.unwrap() {
        Some(WatchEvent::Added(o)) => assert_eq!(o.metadata.name.as_deref(), Some("b")),
        other => panic!("expected ADDED b, got {other:?}"),
    }
}

#[test]
fn compacted_resource_versions_are_gone_for_watch_and_continue() {
    let sb = Sandbox::builder().change_log_capacity(4).start().unwrap();
    sb.create(Kind::Namespace, namespace("ops")).unwrap();
    let first = raw(&sb, "GET", &format!("{CJS}?limit=1"), None, "application/json", b"").json();
    for i in 0..3 {
        sb.create(Kind::CronJob, cronjob("ops", &format!("cj-{i}"), "@hourly")).unwrap();
    }
    let page = raw(&sb, "GET", &format!("{CJS}?limit=1"), None, "application/json", b"").json();
    let token = page["metadata"]["continue"].as_str().unwrap().to_string();
    for i in 3..10 {
        sb.create(Kind::CronJob, cronjob("ops", &format!("cj-{i}"), "@hourly")).unwrap();
    }
    let r =
        raw(&sb, "GET", &format!("{CJS}?limit=1&continue={token}"), None, "application/json", b"");
    let b = assert_status(&r, 410, "Expired");
    assert!(
        b["message"].as_str().unwrap().ends_with("or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."),
        "{b}"
    );
    // L10: the 410 carries a fresh token (rv -1: the latest state) that continues after the
    // same key, as etcd3 handleCompactedErrorForPaging.
    let fresh = b["metadata"]["continue"].as_str().expect("fresh continue token").to_string();
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?limit=100&continue={fresh}"),
        None,
        "application/json",
        b"",
    );
    assert_eq!(r.status, 200);
    let names: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    let first_name = page["items"][0]["metadata"]["name"].as_str().unwrap();
    assert!(!names.iter().any(|n| n.as_str() <= first_name), "{names:?} after {first_name}");
    assert_eq!(names.len(), 9, "{names:?}");
    // An Exact list at a compacted resourceVersion is 410 (etcd3 interpretListError).
    let old = first["metadata"]["resourceVersion"].as_str().unwrap();
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?resourceVersion={old}&resourceVersionMatch=Exact"),
        None,
        "application/json",
        b"",
    );
    let b = assert_status(&r, 410, "Expired");
    assert_eq!(b["message"], "The resourceVersion for the provided list is too old.");
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?resourceVersionMatch=Exact"),
        None,
        "application/json",
        b"",
    );
    assert_status(&r, 422, "Invalid");

    let old_rv = first["metadata"]["resourceVersion"].as_str().unwrap();
    let r = raw(
        &sb,
        "GET",
        &format!("{CJS}?watch=1&resourceVersion={old_rv}&timeoutSeconds=5"),
        None,
        "application/json",
        b"",
    );
    assert_eq!(r.status, 200);
    let event: Value =
        serde_json::from_slice(r.body.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(event["type"], "ERROR");
    assert_eq!(event["object"]["code"], 410);
    assert_eq!(event["object"]["reason"], "Expired", "the watch cache's NewResourceExpired (L11)");
    assert!(
        event["object"]["message"].as_str().unwrap().starts_with("too old resource version"),
        "{event}"
    );
}

/// L13: etcd3 `store.Create` refuses a set resourceVersion with a plain error, which the
/// handler answers as a reasonless 500 (`ErrorToAPIStatus`).
#[test]
fn create_with_a_resource_version_is_a_500_without_reason() {
    let sb = sandbox();
    let body = json!({"metadata": {"name": "rv", "resourceVersion": "12"}, "data": {"k": "v"}});
    let r = raw(
        &sb,
        "POST",
        "/api/v1/namespaces/ops/configmaps",
        None,
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 500);
    let b = r.json();
    assert_eq!(b["message"], "resourceVersion should not be set on objects to be created");
    assert!(b.get("reason").is_none(), "{b}");
    assert!(sb.get(Kind::ConfigMap, Some("ops"), "rv").is_none());
}

#[test]
fn deletecollection_deletes_what_the_selector_matches() {
    let sb = sandbox();
    for name in ["keep", "drop-1", "drop-2"] {
        let mut cm = json!({"metadata": {"name": name, "namespace": "ops", "labels": {"drop": (name != "keep").to_string()}}});
        cm["data"] = json!({"k": "v"});
        sb.create(Kind::ConfigMap, cm).unwrap();
    }
    let r = raw(
        &sb,
        "DELETE",
        "/api/v1/namespaces/ops/configmaps?labelSelector=drop%3Dtrue",
        None,
        "application/json",
        b"",
    );
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["kind"], "ConfigMapList");
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    let left: Vec<Value> = sb.list(Kind::ConfigMap, Some("ops"));
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["metadata"]["name"], "keep");
    let r = raw(&sb, "DELETE", "/api/v1/namespaces", None, "application/json", b"");
    assert_status(&r, 405, "MethodNotAllowed");
}

#[tokio::test]
async fn server_side_apply_creates_then_merges() {
    let sb = sandbox();
    let api: Api<CronJob> = Api::namespaced(sb.client().await.unwrap(), "ops");
    let pp = PatchParams::apply("kuul-test");
    let applied =
        api.patch("ssa", &pp, &Patch::Apply(cronjob("ops", "ssa", "@hourly"))).await.unwrap();
    assert_eq!(applied.spec.as_ref().unwrap().schedule, "@hourly");
    let again = json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "ssa"},
        "spec": {"suspend": true}});
    let merged = api.patch("ssa", &pp, &Patch::Apply(again)).await.unwrap();
    let spec = merged.spec.unwrap();
    assert_eq!((spec.schedule.as_str(), spec.suspend), ("@hourly", Some(true)));
}

/// registry/generic/registry/store.go `Delete` + pod strategy `CheckGracefulDelete` (v1.32.0):
/// a running pod is returned Terminating (200, the Pod) and the kubelet removes it after the
/// grace period; a finished pod goes at once and is returned as it was (`ReturnDeletedObject`).
#[test]
fn deleting_a_running_pod_is_graceful() {
    let sb = sandbox();
    sb.create(Kind::Job, support::job("ops", "j", "1h")).unwrap();
    let pod = sb.list(Kind::Pod, Some("ops")).remove(0);
    let name = pod["metadata"]["name"].as_str().unwrap().to_string();
    let path = format!("/api/v1/namespaces/ops/pods/{name}");
    let r = raw(&sb, "DELETE", &format!("{path}?dryRun=true"), None, "application/json", b"");
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["details"]["kind"], "DeleteOptions");
    let r = raw(&sb, "DELETE", &path, None, "application/json", b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["kind"], "Pod");
    assert_eq!(r.json()["metadata"]["deletionGracePeriodSeconds"], 30);
    let terminating = sb.get(Kind::Pod, Some("ops"), &name).unwrap();
    assert!(terminating["metadata"]["deletionTimestamp"].is_string());
    // The Job counts it as failed at once and replaces it.
    let j = sb.get(Kind::Job, Some("ops"), "j").unwrap();
    assert_eq!(j["status"]["failed"], 1);
    assert_eq!(j["status"]["terminating"], 1);
    sb.advance(SignedDuration::from_secs(30));
    assert!(sb.get(Kind::Pod, Some("ops"), &name).is_none());
    let j = sb.get(Kind::Job, Some("ops"), "j").unwrap();
    assert_eq!(j["status"]["failed"], 1);
    assert_eq!(j["status"]["terminating"], 0);
}
