//! Store semantics: server-set metadata, conflicts, status splitting, garbage collection.

use super::*;

fn clock() -> Clock {
    Clock::stepped("2025-03-01T09:59:30Z".parse().unwrap())
}

fn store_with_ns(ns: &str) -> Store {
    let s = Store::new(clock());
    s.create(Kind::Namespace, json!({"metadata": {"name": ns}})).unwrap();
    s
}

fn cm(ns: &str, name: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": ns}, "data": {"k": "v"}})
}

fn pod(ns: &str, name: &str, owner: Option<&str>) -> Value {
    let mut p = json!({"metadata": {"name": name, "namespace": ns},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}});
    if let Some(uid) = owner {
        p["metadata"]["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "Job",
            "name": "j", "uid": uid, "controller": true, "blockOwnerDeletion": true}]);
    }
    p
}

fn job(ns: &str, name: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": ns},
        "spec": {"template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "c", "image": "busybox"}]}}}})
}

fn rv(v: &Value) -> u64 {
    v["metadata"]["resourceVersion"].as_str().unwrap().parse().unwrap()
}

#[test]
fn create_sets_server_fields_and_bumps_the_global_rv() {
    let s = store_with_ns("ops");
    let before = s.resource_version();
    let a = s.create(Kind::ConfigMap, cm("ops", "a")).unwrap();
    assert_eq!(rv(&a), before + 1);
    assert_eq!(a["metadata"]["creationTimestamp"], "2025-03-01T09:59:30Z");
    assert_eq!(a["metadata"]["uid"].as_str().unwrap().len(), 36);
    assert_eq!(a["apiVersion"], "v1");
    assert_eq!(a["kind"], "ConfigMap");
    assert_eq!(s.resource_version(), before + 1);
    let e = s.create(Kind::ConfigMap, cm("ops", "a")).unwrap_err();
    assert_eq!((e.code, e.reason), (409, "AlreadyExists"));
    assert_eq!(e.message, "configmaps \"a\" already exists");
    let e = s.create(Kind::ConfigMap, cm("nope", "a")).unwrap_err();
    assert_eq!(e.message, "namespaces \"nope\" not found");
}

#[test]
fn generate_name_picks_a_fresh_suffix() {
    let s = store_with_ns("ops");
    let obj = json!({"metadata": {"generateName": "run-", "namespace": "ops"}});
    let a = s.create(Kind::ConfigMap, obj.clone()).unwrap();
    let b = s.create(Kind::ConfigMap, obj).unwrap();
    let (na, nb) =
        (a["metadata"]["name"].as_str().unwrap(), b["metadata"]["name"].as_str().unwrap());
    assert!(na.starts_with("run-") && na.len() == 9, "{na}");
    assert_ne!(na, nb);
}

#[test]
fn replace_with_stale_rv_conflicts_and_noop_keeps_rv() {
    let s = store_with_ns("ops");
    let a = s.create(Kind::ConfigMap, cm("ops", "a")).unwrap();
    let mut changed = a.clone();
    changed["data"]["k"] = json!("w");
    let b = s.replace(Kind::ConfigMap, changed.clone()).unwrap();
    assert!(rv(&b) > rv(&a));
    let e = s.replace(Kind::ConfigMap, changed).unwrap_err();
    assert_eq!(e.code, 409);
    assert_eq!(
        e.message,
        "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again"
    );
    let same = s.replace(Kind::ConfigMap, b.clone()).unwrap();
    assert_eq!(rv(&same), rv(&b), "a no-op update must not bump the resourceVersion");
}

#[test]
fn replace_with_another_uid_is_a_storage_precondition_conflict() {
    let s = store_with_ns("ops");
    let mut a = s.create(Kind::ConfigMap, cm("ops", "a")).unwrap();
    a["metadata"]["uid"] = json!("00000000-0000-0000-0000-000000000001");
    a["metadata"].as_object_mut().unwrap().remove("resourceVersion");
    let e = s.replace(Kind::ConfigMap, a.clone()).unwrap_err();
    assert_eq!((e.code, e.reason), (409, "Conflict"));
    let stored = s.get(Kind::ConfigMap, Some("ops"), "a").unwrap();
    let uid = stored["metadata"]["uid"].as_str().unwrap();
    assert_eq!(
        e.message,
        format!(
            "Operation cannot be fulfilled on configmaps \"a\": StorageError: invalid object, \
             Code: 4, Key: /registry/configmaps/ops/a, ResourceVersion: 0, AdditionalErrorMsg: \
             Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000001, \
             UID in object meta: {uid}"
        )
    );
}

#[test]
fn status_and_spec_updates_are_split() {
    let s = store_with_ns("ops");
    let j = s.create(Kind::Job, job("ops", "j")).unwrap();
    assert_eq!(j["metadata"]["generation"], 1);
    let mut with_status = j.clone();
    with_status["status"] = json!({"active": 1});
    with_status["spec"]["parallelism"] = json!(5);
    let after = s.replace_status(Kind::Job, with_status).unwrap();
    assert_eq!(after["status"]["active"], 1);
    assert_eq!(after["spec"]["parallelism"], 1, "status update must not touch spec");
    assert_eq!(after["metadata"]["generation"], 1);
    let mut spec = after.clone();
    spec["spec"]["parallelism"] = json!(2);
    spec["status"] = json!({});
    let after2 = s.replace(Kind::Job, spec).unwrap();
    assert_eq!(after2["spec"]["parallelism"], 2);
    assert_eq!(after2["status"]["active"], 1, "spec update must keep status");
    assert_eq!(after2["metadata"]["generation"], 2);
}

#[test]
fn job_gets_generated_selector() {
    let s = store_with_ns("ops");
    let j = s.create(Kind::Job, job("ops", "j")).unwrap();
    let uid = j["metadata"]["uid"].as_str().unwrap();
    assert_eq!(j["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], uid);
    assert_eq!(j["spec"]["template"]["metadata"]["labels"]["job-name"], "j");
    assert_eq!(j["spec"]["backoffLimit"], 6);
}

#[test]
fn background_delete_cascades_orphan_keeps_dependents() {
    let s = store_with_ns("ops");
    let j = s.create(Kind::Job, job("ops", "j")).unwrap();
    let uid = j["metadata"]["uid"].as_str().unwrap().to_string();
    s.create(Kind::Pod, pod("ops", "p1", Some(&uid))).unwrap();
    s.create(Kind::Pod, pod("ops", "p2", Some(&uid))).unwrap();
    assert_eq!(s.list_owned(Kind::Pod, &uid).len(), 2);
    s.delete(Kind::Job, Some("ops"), "j", Propagation::Background).unwrap();
    // The owner goes now; its dependents when the garbage collector runs.
    assert!(s.get(Kind::Job, Some("ops"), "j").is_none());
    assert_eq!(s.list(Kind::Pod, Some("ops")).len(), 2);
    assert!(s.collect_garbage());
    assert!(s.list(Kind::Pod, Some("ops")).is_empty());

    let j = s.create(Kind::Job, job("ops", "k")).unwrap();
    let uid = j["metadata"]["uid"].as_str().unwrap().to_string();
    s.create(Kind::Pod, pod("ops", "p3", Some(&uid))).unwrap();
    let marked = s.delete(Kind::Job, Some("ops"), "k", Propagation::Orphan).unwrap();
    // upstream: the `orphan` finalizer keeps the Job until the garbage collector orphaned
    // its dependents.
    assert_eq!(marked["metadata"]["finalizers"], json!(["orphan"]));
    assert_eq!(marked["metadata"]["deletionGracePeriodSeconds"], 0);
    assert!(s.get(Kind::Job, Some("ops"), "k").is_some());
    s.collect_garbage();
    assert!(s.get(Kind::Job, Some("ops"), "k").is_none());
    let p3 = s.get(Kind::Pod, Some("ops"), "p3").unwrap();
    assert!(p3["metadata"].get("ownerReferences").is_none());
    assert!(s.list_owned(Kind::Pod, &uid).is_empty());
}

#[test]
fn foreground_delete_emits_marking_then_dependents_then_owner() {
    let s = store_with_ns("ops");
    let j = s.create(Kind::Job, job("ops", "j")).unwrap();
    let uid = j["metadata"]["uid"].as_str().unwrap().to_string();
    s.create(Kind::Pod, pod("ops", "p1", Some(&uid))).unwrap();
    let from = s.resource_version();
    let marked = s.delete(Kind::Job, Some("ops"), "j", Propagation::Foreground).unwrap();
    assert_eq!(marked["metadata"]["generation"], 2, "markAsDeleting bumps the generation");
    s.collect_garbage();
    let events: Vec<(Kind, ChangeType)> =
        s.changes_since(from).iter().map(|c| (c.kind, c.event)).collect();
    // A dependent without dependents of its own is deleted in the background
    // (`attemptToDeleteItem`); the unscheduled pod goes at once.
    assert_eq!(
        events,
        [
            (Kind::Job, ChangeType::Modified),
            (Kind::Pod, ChangeType::Deleted),
            (Kind::Job, ChangeType::Deleted)
        ]
    );
    let marked = &s.changes_since(from)[0].object;
    assert_eq!(marked["metadata"]["finalizers"], json!(["foregroundDeletion"]));
}

#[test]
fn finalizers_hold_deletion_until_removed() {
    let s = store_with_ns("ops");
    let mut obj = cm("ops", "f");
    obj["metadata"]["finalizers"] = json!(["example.com/hold"]);
    s.create(Kind::ConfigMap, obj).unwrap();
    let marked = s.delete(Kind::ConfigMap, Some("ops"), "f", Propagation::Background).unwrap();
    assert!(marked["metadata"]["deletionTimestamp"].is_string());
    let mut released = s.get(Kind::ConfigMap, Some("ops"), "f").unwrap();
    released["metadata"]["finalizers"] = json!([]);
    s.replace(Kind::ConfigMap, released).unwrap();
    assert!(s.get(Kind::ConfigMap, Some("ops"), "f").is_none());
}

#[test]
fn namespace_delete_marks_it_terminating_until_finalized() {
    let s = store_with_ns("ops");
    s.create(Kind::ConfigMap, cm("ops", "a")).unwrap();
    let marked = s.delete(Kind::Namespace, None, "ops", Propagation::Background).unwrap();
    assert_eq!(marked["status"]["phase"], "Terminating");
    assert_eq!(marked["spec"]["finalizers"], json!(["kubernetes"]));
    assert!(marked["metadata"]["deletionTimestamp"].is_string());
    assert!(marked["metadata"].get("deletionGracePeriodSeconds").is_none());
    // The content is the namespace controller's to delete; nothing new may be created.
    assert_eq!(s.list(Kind::ConfigMap, None).len(), 1);
    let e = s.create(Kind::ConfigMap, cm("ops", "b")).unwrap_err();
    assert_eq!(e.code, 403);
    assert_eq!(
        e.message,
        "configmaps \"b\" is forbidden: unable to create new content in namespace ops because it is being terminated"
    );
    // A second delete changes nothing; an update cannot drop the spec finalizer.
    let again = s.delete(Kind::Namespace, None, "ops", Propagation::Background).unwrap();
    assert_eq!(again["metadata"]["resourceVersion"], marked["metadata"]["resourceVersion"]);
    let mut cleared = again.clone();
    cleared["spec"]["finalizers"] = json!([]);
    let kept = s.replace(Kind::Namespace, cleared).unwrap();
    assert_eq!(kept["spec"]["finalizers"], json!(["kubernetes"]));
    s.delete(Kind::ConfigMap, Some("ops"), "a", Propagation::Background).unwrap();
    s.finalize_namespace("ops", "kubernetes").unwrap();
    assert!(s.get(Kind::Namespace, None, "ops").is_none());
}

#[test]
fn delete_preconditions_conflict() {
    let s = store_with_ns("ops");
    s.create(Kind::ConfigMap, cm("ops", "a")).unwrap();
    let opts = DeleteOptions { uid: Some("nope".into()), ..DeleteOptions::default() };
    let e = s
        .delete_opts(Kind::ConfigMap, Some("ops"), "a", Propagation::Background, &opts)
        .unwrap_err();
    assert_eq!(e.code, 409);
    assert!(
        e.message.starts_with(
            "Operation cannot be fulfilled on ConfigMap \"a\": the UID in the precondition (nope) does not match"
        ),
        "{}",
        e.message
    );
}

#[test]
fn a_compaction_makes_every_version_handed_out_too_old_but_not_the_next_list() {
    let s = store_with_ns("ops");
    s.create(Kind::ConfigMap, cm("ops", "a")).unwrap();
    let newest = s.resource_version();
    assert!(s.watch_changes(Kind::ConfigMap, newest, |_| true).is_ok());
    let mut woken = s.subscribe();
    woken.mark_unchanged();
    let compacted = s.compact();
    assert!(woken.has_changed().unwrap(), "open watches wake up (and then see the 410)");
    let e = s.watch_changes(Kind::ConfigMap, newest, |_| true).unwrap_err();
    assert_eq!(e.code, 410);
    // A list now returns the compacted version, and a watch from it is valid.
    let (_, listed, _) = s.list_filtered(Kind::ConfigMap, Some("ops"), None, 10, |_| true);
    assert_eq!(listed, compacted);
    let (changes, _) = s.watch_changes(Kind::ConfigMap, listed, |_| true).unwrap();
    assert!(changes.is_empty());
    s.create(Kind::ConfigMap, cm("ops", "b")).unwrap();
    let (changes, _) = s.watch_changes(Kind::ConfigMap, listed, |_| true).unwrap();
    assert_eq!(changes.len(), 1);
}

#[test]
fn change_log_is_bounded_and_reports_expired() {
    let s = Store::with_capacity(clock(), 3);
    s.create(Kind::Namespace, json!({"metadata": {"name": "ops"}})).unwrap();
    for i in 0..5 {
        s.create(Kind::ConfigMap, cm("ops", &format!("c{i}"))).unwrap();
    }
    assert_eq!(s.changes_since(0).len(), 3);
    let e = s.watch_changes(Kind::ConfigMap, 1, |_| true).unwrap_err();
    assert_eq!((e.code, e.reason), (410, "Expired"), "as the watch cache's NewResourceExpired");
    assert_eq!(e.message, "too old resource version: 1 (5)");
    let newest = s.resource_version();
    let (recent, _) = s.watch_changes(Kind::ConfigMap, newest - 1, |_| true).unwrap();
    assert_eq!(recent.len(), 1);
}

#[test]
fn list_pages_resume_after_a_key() {
    let s = store_with_ns("a");
    s.create(Kind::Namespace, json!({"metadata": {"name": "b"}})).unwrap();
    for (ns, n) in [("a", "x"), ("a", "y"), ("b", "x")] {
        s.create(Kind::ConfigMap, cm(ns, n)).unwrap();
    }
    let (page, _, more) = s.list_filtered(Kind::ConfigMap, None, None, 2, |_| true);
    assert_eq!(page.len(), 2);
    assert!(more);
    let (rest, _, more) = s.list_filtered(Kind::ConfigMap, None, Some(("a", "y")), 2, |_| true);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["metadata"]["namespace"], "b");
    assert!(!more);
}

#[test]
fn managed_fields_record_each_writer_once_and_clients_cannot_forge_them() {
    let s = store_with_ns("a");
    let kuul = Some(Manager { name: "kubectl-kuul", operation: "Update" });
    let mut forged = cm("a", "x");
    forged["metadata"]["managedFields"] = json!([{"manager": "someone-else"}]);
    let made = s.create_by(Kind::ConfigMap, forged, false, kuul).unwrap();
    let fields = &made["metadata"]["managedFields"];
    assert_eq!(fields.as_array().unwrap().len(), 1, "{fields}");
    assert_eq!(fields[0]["manager"], "kubectl-kuul");
    assert_eq!(fields[0]["operation"], "Update");
    assert_eq!(fields[0]["apiVersion"], "v1");
    assert_eq!(fields[0]["time"], "2025-03-01T09:59:30Z");
    // A write by nobody in particular (a controller) keeps them; a no-op write changes nothing.
    let mut next = Value::clone(&made);
    next["data"]["k"] = json!("w");
    let by_controller = s.update(Kind::ConfigMap, next, false, false).unwrap();
    assert_eq!(by_controller["metadata"]["managedFields"], made["metadata"]["managedFields"]);
    let same =
        s.update_by(Kind::ConfigMap, Value::clone(&by_controller), false, false, kuul).unwrap();
    assert_eq!(rv(&same), rv(&by_controller));
    // Another manager adds its entry; the first one's is refreshed, not repeated.
    let mut next = Value::clone(&same);
    next["data"]["k"] = json!("z");
    let kubectl = Some(Manager { name: "kubectl-patch", operation: "Update" });
    let patched = s.update_by(Kind::ConfigMap, next, false, false, kubectl).unwrap();
    let mut again = Value::clone(&patched);
    again["data"]["k"] = json!("q");
    let again = s.update_by(Kind::ConfigMap, again, false, false, kuul).unwrap();
    let managers: Vec<&str> = again["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["manager"].as_str().unwrap())
        .collect();
    assert_eq!(managers, ["kubectl-kuul", "kubectl-patch"]);
}

#[test]
fn a_bound_running_pod_is_deleted_gracefully() {
    let s = store_with_ns("ops");
    let mut p = pod("ops", "p", None);
    p["spec"]["nodeName"] = json!("node-a");
    s.create(Kind::Pod, p).unwrap();
    let out = s
        .delete_outcome(
            Kind::Pod,
            Some("ops"),
            "p",
            Propagation::Background,
            &DeleteOptions::default(),
        )
        .unwrap();
    assert!(!out.removed);
    // terminationGracePeriodSeconds defaults to 30.
    assert_eq!(out.object["metadata"]["deletionGracePeriodSeconds"], 30);
    assert_eq!(out.object["metadata"]["deletionTimestamp"], "2025-03-01T10:00:00Z");
    // A second delete changes nothing; a shorter grace period (--force) removes it.
    let again = s
        .delete_outcome(
            Kind::Pod,
            Some("ops"),
            "p",
            Propagation::Background,
            &DeleteOptions::default(),
        )
        .unwrap();
    assert!(!again.removed);
    assert_eq!(rv(&again.object), rv(&out.object));
    // A status write does not end it (grace period pending).
    let mut st = s.get(Kind::Pod, Some("ops"), "p").unwrap();
    st["status"] = json!({"phase": "Running"});
    s.replace_status(Kind::Pod, st).unwrap();
    assert!(s.get(Kind::Pod, Some("ops"), "p").is_some());
    let force = DeleteOptions { grace_period_seconds: Some(0), ..DeleteOptions::default() };
    let gone =
        s.delete_outcome(Kind::Pod, Some("ops"), "p", Propagation::Background, &force).unwrap();
    assert!(gone.removed);
    assert!(s.get(Kind::Pod, Some("ops"), "p").is_none());
}

#[test]
fn no_new_finalizers_on_an_object_being_deleted() {
    let s = store_with_ns("ops");
    let mut obj = cm("ops", "f");
    obj["metadata"]["finalizers"] = json!(["example.com/hold"]);
    s.create(Kind::ConfigMap, obj).unwrap();
    s.delete(Kind::ConfigMap, Some("ops"), "f", Propagation::Background).unwrap();
    let mut more = s.get(Kind::ConfigMap, Some("ops"), "f").unwrap();
    more["metadata"]["finalizers"] = json!(["example.com/hold", "example.com/new"]);
    let e = s.replace(Kind::ConfigMap, more).unwrap_err();
    assert_eq!(e.code, 422);
    assert_eq!(
        e.message,
        "ConfigMap \"f\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/new\"}"
    );
}

#[test]
fn empty_metadata_maps_and_configmap_data_are_omitted() {
    let s = store_with_ns("ops");
    let obj = json!({"metadata": {"name": "e", "namespace": "ops", "labels": {}, "annotations": {},
        "finalizers": []}, "data": {}});
    let stored = s.create(Kind::ConfigMap, obj).unwrap();
    assert!(stored["metadata"].get("labels").is_none());
    assert!(stored["metadata"].get("annotations").is_none());
    assert!(stored["metadata"].get("finalizers").is_none());
    assert!(stored.get("data").is_none());
}

/// A page of ConfigMaps.
fn q<'a>(
    namespace: Option<&'a str>,
    at: Option<u64>,
    after: Option<(&'a str, &'a str)>,
    limit: usize,
    count_rest: bool,
) -> PageQuery<'a> {
    PageQuery { kind: Kind::ConfigMap, namespace, at, after, limit, count_rest }
}

/// Every page of a list at `at` (`None`: the latest), `limit` at a time, with the page's rv
/// and `remainingItemCount` checked as they go.
fn pages_at(
    s: &Store,
    ns: Option<&str>,
    at: Option<u64>,
    limit: usize,
) -> Result<Vec<Value>, Unavailable> {
    let mut out: Vec<Value> = Vec::new();
    let mut after: Option<(String, String)> = None;
    let mut at = at;
    loop {
        let a = after.as_ref().map(|(n, m)| (n.as_str(), m.as_str()));
        let page = s.page_shared(q(ns, at, a, limit, true), |_| true)?;
        let pinned = *at.get_or_insert(page.rv);
        assert_eq!(page.rv, pinned, "every page shows the first page's version");
        out.extend(page.items.iter().map(|v| Value::clone(v)));
        let json = s.page_json(q(ns, Some(pinned), a, limit, true), |_| true)?;
        let json: Vec<Value> =
            json.items.iter().map(|b| serde_json::from_slice(b).unwrap()).collect();
        assert_eq!(json, page.items.iter().map(|v| Value::clone(v)).collect::<Vec<_>>());
        if !page.more {
            assert_eq!(page.remaining, None);
            return Ok(out);
        }
        after = page.last;
        let rest = page.remaining.expect("remainingItemCount with more");
        let a = after.as_ref().map(|(n, m)| (n.as_str(), m.as_str()));
        let all = s.page_shared(q(ns, at, a, usize::MAX, false), |_| true)?;
        assert_eq!(rest, all.items.len(), "remainingItemCount at {pinned}");
    }
}

#[test]
fn lists_at_a_past_version_show_that_version() {
    let s = store_with_ns("a");
    for ns in ["b", "c"] {
        s.create(Kind::Namespace, json!({"metadata": {"name": ns}})).unwrap();
    }
    // What a list showed at each version, to compare every later page with.
    let mut seen: Vec<(u64, Vec<Value>, Vec<Value>)> = Vec::new();
    let mut snapshot = |s: &Store| {
        let rv = s.resource_version();
        seen.push((rv, s.list(Kind::ConfigMap, None), s.list(Kind::ConfigMap, Some("b"))));
    };
    snapshot(&s);
    for i in 0..12 {
        let ns = ["a", "b", "c"][i % 3];
        s.create(Kind::ConfigMap, cm(ns, &format!("cm-{i:02}"))).unwrap();
        snapshot(&s);
    }
    for i in 0..30 {
        let ns = ["a", "b", "c"][i % 3];
        let name = format!("cm-{:02}", (i * 7) % 12);
        match i % 4 {
            0 => {
                let _ = s.delete(Kind::ConfigMap, Some(ns), &name, Propagation::Background);
            }
            1 => {
                // Recreated (or created) under an old name: a new uid at the same key.
                let _ = s.create(Kind::ConfigMap, cm(ns, &name));
            }
            _ => {
                if let Some(mut o) = s.get(Kind::ConfigMap, Some(ns), &name) {
                    o["data"]["k"] = json!(format!("v{i}"));
                    s.replace(Kind::ConfigMap, o).unwrap();
                }
            }
        }
        snapshot(&s);
    }
    for (rv, all, in_b) in &seen {
        for limit in [1, 2, 5, 100] {
            assert_eq!(&pages_at(&s, None, Some(*rv), limit).unwrap(), all, "at {rv} by {limit}");
            assert_eq!(&pages_at(&s, Some("b"), Some(*rv), limit).unwrap(), in_b, "b at {rv}");
        }
    }
    assert_eq!(pages_at(&s, None, None, 3).unwrap(), s.list(Kind::ConfigMap, None));
    let now = s.resource_version();
    assert!(matches!(pages_at(&s, None, Some(now + 1), 2), Err(Unavailable::Future)));
    // A selector filters the past state, not the present one.
    let (rv, all, _) = &seen[20];
    let page =
        s.page_shared(q(None, Some(*rv), None, 100, false), |o| o["data"]["k"] == "v").unwrap();
    let want: Vec<&Value> = all.iter().filter(|o| o["data"]["k"] == "v").collect();
    assert_eq!(page.items.iter().map(AsRef::as_ref).collect::<Vec<_>>(), want);
    // Compaction ends the history: the old versions are gone, the newest stays listable.
    let oldest = s.compact();
    assert!(matches!(pages_at(&s, None, Some(*rv), 2), Err(Unavailable::Compacted)));
    assert_eq!(pages_at(&s, None, Some(oldest), 2).unwrap(), s.list(Kind::ConfigMap, None));
}

#[test]
fn a_full_change_log_compacts_what_it_drops() {
    let s = Store::with_capacity(clock(), 3);
    s.create(Kind::Namespace, json!({"metadata": {"name": "a"}})).unwrap();
    let before = s.resource_version();
    for i in 0..5 {
        s.create(Kind::ConfigMap, cm("a", &format!("cm-{i}"))).unwrap();
    }
    assert!(matches!(pages_at(&s, None, Some(before), 2), Err(Unavailable::Compacted)));
    let recent = s.resource_version() - 2;
    assert_eq!(pages_at(&s, None, Some(recent), 2).unwrap().len(), 3);
}
