//! The three patch types kubectl and client libraries send: JSON merge patch (RFC 7386), JSON
//! patch (RFC 6902) and strategic merge patch.
//!
//! Strategic merge follows `apimachinery/pkg/util/strategicpatch/patch.go` for what kubectl
//! sends against these resources: maps merge, `null` deletes, lists tagged `patchStrategy:merge`
//! in the upstream types merge by their `patchMergeKey` (containers/env/volumes by `name`,
//! volumeMounts by `mountPath`, ports by `containerPort`, ownerReferences by `uid`, conditions by
//! `type`), primitive merge lists (finalizers) take the union, `$patch: delete|replace`,
//! `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` and `$retainKeys` are accepted
//! and ignored.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// Which patch a `Content-Type` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/merge-patch+json`
    Merge,
    /// `application/json-patch+json`
    Json,
    /// `application/strategic-merge-patch+json`
    Strategic,
    /// `application/apply-patch+yaml` (server-side apply), approximated: the applied
    /// configuration is strategic-merged onto the live object (or creates it). Field ownership
    /// and the removal of fields a manager stopped applying are not tracked.
    Apply,
}

impl PatchType {
    /// Maps a request `Content-Type` (parameters ignored).
    pub fn from_content_type(ct: &str) -> Option<PatchType> {
        match ct.split(';').next().unwrap_or_default().trim() {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/json-patch+json" => Some(PatchType::Json),
            "application/strategic-merge-patch+json" => Some(PatchType::Strategic),
            "application/apply-patch+yaml" => Some(PatchType::Apply),
            _ => None,
        }
    }
}

/// Applies `patch` to `doc`.
pub fn apply(kind: PatchType, doc: &Value, patch: &Value) -> Result<Value, ApiError> {
    match kind {
        PatchType::Merge => {
            let mut out = doc.clone();
            merge(&mut out, patch);
            Ok(out)
        }
        PatchType::Strategic | PatchType::Apply => {
            if !patch.is_object() {
                return Err(ApiError::bad_request(
                    "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}",
                ));
            }
            let mut out = doc.clone();
            strategic(&mut out, patch, "");
            Ok(out)
        }
        PatchType::Json => json_patch(doc, patch),
    }
}

/// RFC 7386 merge: objects merge recursively, `null` removes, anything else replaces.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// The merge key of a list field with `patchStrategy:"merge"` in the upstream Go types, or
/// `Some("")` for merged primitive lists. Every other list is atomic: a patch replaces it whole.
///
/// From the `patchStrategy`/`patchMergeKey` tags of k8s.io/api v0.32.0 for the kinds served here:
/// core/v1 `PodSpec` (volumes, initContainers, containers, ephemeralContainers,
/// imagePullSecrets, hostAliases `ip`, topologySpreadConstraints `topologyKey`, resourceClaims,
/// schedulingGates), `Container` (ports `containerPort`, env, volumeMounts `mountPath`,
/// volumeDevices `devicePath`), `PodStatus` (conditions `type`, podIPs/hostIPs `ip`),
/// `NodeSpec.podCIDRs` (primitive), `NodeStatus` (conditions, addresses `type`),
/// `NamespaceStatus.conditions`, batch/v1 `JobStatus.conditions`, and `ObjectMeta`
/// (finalizers primitive, ownerReferences `uid`). `NodeSpec.taints`, `PodSpec.tolerations`,
/// `CronJobStatus.active`, `envFrom`, `args`/`command` and the like carry no strategy: atomic.
pub(crate) fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ports" => Some("containerPort"),
        "ownerReferences" => Some("uid"),
        "conditions" | "addresses" => Some("type"),
        "hostAliases" | "podIPs" | "hostIPs" => Some("ip"),
        "topologySpreadConstraints" => Some("topologyKey"),
        "finalizers" | "podCIDRs" => Some(""),
        _ => None,
    }
}

/// The identity of a list item under `key` (the item itself for a primitive list).
fn item_id<'a>(item: &'a Value, key: &str) -> Option<&'a Value> {
    if key.is_empty() { Some(item) } else { item.get(key) }
}

/// `$setElementOrder/<field>` (apimachinery strategicpatch `normalizeElementOrder` and
/// `mergeSortedSlice`, v0.32.0): the items named in `order` come in that order; the other items
/// keep their live order and are interleaved by their position in the live list.
fn set_element_order(merged: &mut Vec<Value>, order: &[Value], live: &[Value], key: &str) {
    let order_ids: Vec<&Value> = order.iter().filter_map(|o| item_id(o, key)).collect();
    let pos_in = |list: &[&Value], item: &Value| {
        item_id(item, key).and_then(|id| list.iter().position(|x| *x == id))
    };
    let live_ids: Vec<&Value> = live.iter().filter_map(|o| item_id(o, key)).collect();
    let (mut patch, mut server): (Vec<Value>, Vec<Value>) =
        std::mem::take(merged).into_iter().partition(|i| pos_in(&order_ids, i).is_some());
    patch.sort_by_key(|i| pos_in(&order_ids, i));
    server.sort_by_key(|i| pos_in(&live_ids, i).unwrap_or(usize::MAX));
    let (mut i, mut j) = (0, 0);
    while i < server.len() || j < patch.len() {
        let take_server = if i >= server.len() {
            false
        } else if j >= patch.len() {
            true
        } else {
            match (pos_in(&live_ids, &server[i]), pos_in(&live_ids, &patch[j])) {
                (Some(l), Some(r)) => l < r,
                _ => false,
            }
        };
        if take_server {
            merged.push(server[i].clone());
            i += 1;
        } else {
            merged.push(patch[j].clone());
            j += 1;
        }
    }
}

fn strategic(target: &mut Value, patch: &Value, _path: &str) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replaced = p.clone();
        replaced.remove("$patch");
        *target = Value::Object(replaced);
        return;
    }
    if p.get("$patch").and_then(Value::as_str) == Some("delete") {
        *target = Value::Object(Map::new());
        return;
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else { return };
    // Live lists, for `$setElementOrder`.
    let live: Vec<(String, Vec<Value>)> = p
        .keys()
        .filter_map(|k| k.strip_prefix("$setElementOrder/"))
        .map(|f| {
            let list = t.get(f).and_then(Value::as_array).cloned().unwrap_or_default();
            (f.to_owned(), list)
        })
        .collect();
    for (k, v) in p {
        if k == "$retainKeys" || k == "$patch" || k.starts_with("$setElementOrder/") {
            continue;
        }
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(list), Some(remove)) =
                (t.get_mut(field).and_then(Value::as_array_mut), v.as_array())
            {
                list.retain(|x| !remove.contains(x));
            }
            continue;
        }
        if v.is_null() {
            t.remove(k);
            continue;
        }
        match (merge_key(k), v) {
            (Some(key), Value::Array(items)) => {
                let cur = t.entry(k.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if !cur.is_array() {
                    *cur = Value::Array(Vec::new());
                }
                if let Value::Array(list) = cur {
                    merge_list(list, items, key);
                }
            }
            (_, Value::Object(_)) => {
                strategic(t.entry(k.clone()).or_insert(Value::Null), v, k);
            }
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
    for (field, live) in live {
        let (Some(key), Some(order)) = (
            merge_key(&field),
            p.get(&format!("$setElementOrder/{field}")).and_then(Value::as_array),
        ) else {
            continue;
        };
        if let Some(list) = t.get_mut(&field).and_then(Value::as_array_mut) {
            set_element_order(list, order, &live, key);
        }
    }
}

fn merge_list(list: &mut Vec<Value>, items: &[Value], key: &str) {
    if key.is_empty() {
        for item in items {
            if !list.contains(item) {
                list.push(item.clone());
            }
        }
        return;
    }
    for item in items {
        let id = item.get(key).cloned();
        let pos = id.as_ref().and_then(|id| list.iter().position(|x| x.get(key) == Some(id)));
        let directive = item.get("$patch").and_then(Value::as_str);
        match (pos, directive) {
            (Some(i), Some("delete")) => {
                list.remove(i);
            }
            (None, Some("delete")) => {}
            (Some(i), Some("replace")) => {
                let mut replaced = item.clone();
                if let Some(m) = replaced.as_object_mut() {
                    m.remove("$patch");
                }
                list[i] = replaced;
            }
            (Some(i), _) => strategic(&mut list[i], item, key),
            (None, _) => {
                let mut fresh = Value::Object(Map::new());
                strategic(&mut fresh, item, key);
                list.push(fresh);
            }
        }
    }
}

/// A JSON patch that does not apply (`why` is the jsonpatch error). Upstream's patcher
/// (`apiserver/pkg/endpoints/handlers/patch.go` `applyJSPatch`, 1.20 to 1.32) answers
/// `NewGenericServerResponse(422, ...)`: reason `Invalid`, the generic message and empty
/// details; the jsonpatch error itself is not sent.
fn invalid_patch(why: String) -> ApiError {
    drop(why);
    let mut e =
        ApiError::bad_request("the server rejected our request due to an error in our request");
    e.code = 422;
    e.reason = "Invalid";
    e.details = Some(Box::new(serde_json::json!({})));
    e
}

/// Decodes one RFC 6901 pointer into its tokens.
fn pointer_tokens(path: &str) -> Result<Vec<String>, ApiError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(invalid_patch(format!("invalid JSON pointer: {path:?}")));
    };
    Ok(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}

fn parent_and_key<'a>(
    doc: &'a mut Value,
    path: &str,
    op: &str,
) -> Result<(&'a mut Value, String), ApiError> {
    let mut tokens = pointer_tokens(path)?;
    let Some(last) = tokens.pop() else {
        return Err(invalid_patch(format!(
            "jsonpatch {op} operation does not apply: doc is missing path: {path:?}"
        )));
    };
    let mut cur = doc;
    for t in &tokens {
        cur = match cur {
            Value::Object(m) => m.get_mut(t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| {
            invalid_patch(format!(
                "jsonpatch {op} operation does not apply: doc is missing path: {path:?}"
            ))
        })?;
    }
    Ok((cur, last))
}

fn missing(op: &str, path: &str) -> ApiError {
    invalid_patch(format!("jsonpatch {op} operation does not apply: doc is missing path: {path:?}"))
}

fn jp_add(doc: &mut Value, path: &str, value: Value) -> Result<(), ApiError> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, key) = parent_and_key(doc, path, "add")?;
    match parent {
        Value::Object(m) => {
            m.insert(key, value);
            Ok(())
        }
        Value::Array(a) => {
            let idx = if key == "-" {
                a.len()
            } else {
                key.parse::<usize>().map_err(|_| missing("add", path))?
            };
            if idx > a.len() {
                return Err(invalid_patch(format!(
                    "add operation does not apply: doc is missing path: {path:?}"
                )));
            }
            a.insert(idx, value);
            Ok(())
        }
        _ => Err(missing("add", path)),
    }
}

fn jp_remove(doc: &mut Value, path: &str) -> Result<Value, ApiError> {
    let (parent, key) = parent_and_key(doc, path, "remove")?;
    match parent {
        Value::Object(m) => m.remove(&key).ok_or_else(|| missing("remove", path)),
        Value::Array(a) => {
            let idx = key.parse::<usize>().map_err(|_| missing("remove", path))?;
            if idx < a.len() { Ok(a.remove(idx)) } else { Err(missing("remove", path)) }
        }
        _ => Err(missing("remove", path)),
    }
}

fn jp_get<'a>(doc: &'a Value, path: &str, op: &str) -> Result<&'a Value, ApiError> {
    let tokens = pointer_tokens(path)?;
    tokens
        .iter()
        .try_fold(doc, |cur, t| match cur {
            Value::Object(m) => m.get(t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
        .ok_or_else(|| missing(op, path))
}

fn json_patch(doc: &Value, patch: &Value) -> Result<Value, ApiError> {
    let Some(ops) = patch.as_array() else {
        return Err(ApiError::bad_request(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
        ));
    };
    let mut out = doc.clone();
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| invalid_patch(format!("missing value for {name} operation")))
        };
        match name {
            "add" => jp_add(&mut out, path, value()?)?,
            "remove" => {
                jp_remove(&mut out, path)?;
            }
            "replace" => {
                let v = value()?;
                jp_remove(&mut out, path).map_err(|_| missing("replace", path))?;
                jp_add(&mut out, path, v)?;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or_default();
                let v = if name == "move" {
                    jp_remove(&mut out, from).map_err(|_| missing(name, from))?
                } else {
                    jp_get(&out, from, name)?.clone()
                };
                jp_add(&mut out, path, v)?;
            }
            "test" => {
                let want = value()?;
                let got = jp_get(&out, path, "test")?;
                if *got != want {
                    return Err(invalid_patch(format!("testing value {path} failed: test failed")));
                }
            }
            other => {
                return Err(invalid_patch(format!("Unexpected kind: {other}")));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_removes_with_null() {
        let doc = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"suspend": false}});
        let out = apply(
            PatchType::Merge,
            &doc,
            &json!({"metadata": {"labels": {"a": null, "c": "3"}}, "spec": {"suspend": true}}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"metadata": {"labels": {"b": "2", "c": "3"}}, "spec": {"suspend": true}})
        );
    }

    #[test]
    fn strategic_merges_containers_by_name_and_env_by_name() {
        let doc = json!({"spec": {"containers": [
            {"name": "a", "image": "x:1", "env": [{"name": "E", "value": "1"}]},
            {"name": "b", "image": "y:1"}]}});
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
            "containers": [
                {"name": "a", "image": "x:2", "env": [{"name": "F", "value": "2"}]},
                {"name": "b", "$patch": "delete"}]}});
        let out = apply(PatchType::Strategic, &doc, &patch).unwrap();
        assert_eq!(
            out,
            json!({"spec": {"containers": [
            {"name": "a", "image": "x:2", "env": [{"name": "E", "value": "1"}, {"name": "F", "value": "2"}]}]}})
        );
    }

    /// `NodeSpec.Taints` and `PodSpec.Tolerations` have no patchStrategy in k8s.io/api v0.32.0
    /// core/v1 types.go: what `kubectl taint` sends replaces the list.
    #[test]
    fn strategic_treats_taints_and_tolerations_as_atomic() {
        let doc = json!({"spec": {"taints": [{"key": "dedicated", "value": "batch", "effect": "PreferNoSchedule"}]}});
        let patch = json!({"spec": {"taints": [
            {"key": "dedicated", "value": "batch", "effect": "PreferNoSchedule"},
            {"key": "gpu", "value": "true", "effect": "NoSchedule"}]}});
        let out = apply(PatchType::Strategic, &doc, &patch).unwrap();
        assert_eq!(out["spec"]["taints"].as_array().unwrap().len(), 2);
        let patch =
            json!({"spec": {"taints": [{"key": "gpu", "value": "true", "effect": "NoSchedule"}]}});
        let out = apply(PatchType::Strategic, &out, &patch).unwrap();
        assert_eq!(
            out["spec"]["taints"],
            json!([{"key": "gpu", "value": "true", "effect": "NoSchedule"}])
        );
        let doc = json!({"spec": {"tolerations": [{"key": "a", "operator": "Exists"}]}});
        let patch = json!({"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}});
        let out = apply(PatchType::Strategic, &doc, &patch).unwrap();
        assert_eq!(out["spec"]["tolerations"], json!([{"key": "b", "operator": "Exists"}]));
    }

    /// apimachinery strategicpatch `normalizeElementOrder`/`mergeSortedSlice` (v0.32.0).
    #[test]
    fn strategic_set_element_order_reorders_and_interleaves_live_items() {
        let doc = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}});
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "c"}, {"name": "a"}],
            "containers": [{"name": "c", "image": "new"}]}});
        let out = apply(PatchType::Strategic, &doc, &patch).unwrap();
        let names: Vec<&str> = out["spec"]["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["b", "c", "a"]);
        assert_eq!(out["spec"]["containers"][1]["image"], "new");
        let doc = json!({"metadata": {"finalizers": ["x", "y"]}});
        let patch = json!({"metadata": {"$setElementOrder/finalizers": ["y", "x", "z"], "finalizers": ["z"]}});
        let out = apply(PatchType::Strategic, &doc, &patch).unwrap();
        assert_eq!(out["metadata"]["finalizers"], json!(["y", "x", "z"]));
    }

    #[test]
    fn strategic_replaces_plain_lists_and_unions_finalizers() {
        let doc = json!({"metadata": {"finalizers": ["a"]}, "spec": {"args": ["1", "2"]}});
        let patch = json!({"metadata": {"finalizers": ["b"]}, "spec": {"args": ["3"]}});
        let out = apply(PatchType::Strategic, &doc, &patch).unwrap();
        assert_eq!(out, json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {"args": ["3"]}}));
        let patch = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}});
        let out = apply(PatchType::Strategic, &out, &patch).unwrap();
        assert_eq!(out["metadata"]["finalizers"], json!(["b"]));
    }

    #[test]
    fn json_patch_ops_and_errors() {
        let doc = json!({"metadata": {"labels": {"a/b": "1"}}, "spec": {"list": [1, 2]}});
        let patch = json!([
            {"op": "replace", "path": "/metadata/labels/a~1b", "value": "2"},
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "remove", "path": "/spec/list/0"},
            {"op": "test", "path": "/spec/list/0", "value": 2},
            {"op": "copy", "from": "/spec/list", "path": "/spec/copy"}
        ]);
        let out = apply(PatchType::Json, &doc, &patch).unwrap();
        assert_eq!(
            out,
            json!({"metadata": {"labels": {"a/b": "2"}}, "spec": {"list": [2, 3], "copy": [2, 3]}})
        );
        let e = apply(PatchType::Json, &doc, &json!([{"op": "remove", "path": "/metadata/nope"}]))
            .unwrap_err();
        // upstream sends the generic 422, not the jsonpatch error.
        assert_eq!(e.code, 422);
        assert_eq!(e.message, "the server rejected our request due to an error in our request");
        assert_eq!(e.to_status()["details"], json!({}));
        let e = apply(
            PatchType::Json,
            &doc,
            &json!([{"op": "test", "path": "/spec/list/0", "value": 9}]),
        )
        .unwrap_err();
        assert_eq!(e.code, 422);
    }
}
