//! Discovery documents as kubectl 1.32 requests them: `/version`, legacy discovery (`/api`,
//! `/api/v1`, `/apis`, `/apis/batch`, `/apis/batch/v1`) and aggregated discovery
//! (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`, sent when the `Accept` header asks for it;
//! see `staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated/handler.go`).

use serde_json::{Value, json};

use crate::kind::Kind;

/// The `Content-Type` of aggregated discovery responses.
pub const AGGREGATED_CONTENT_TYPE: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// Whether the `Accept` header asks for aggregated discovery (v2).
pub fn wants_aggregated(accept: &str) -> bool {
    accept.split(',').any(|a| {
        a.contains("as=APIGroupDiscoveryList") && a.contains("v=v2") && !a.contains("v=v2beta1")
    })
}

/// `/version`: reports a 1.32 server so kubectl 1.32 sees no version skew.
pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "32",
        "gitVersion": "v1.32.0-kuul-sandbox",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2025-01-01T00:00:00Z",
        "goVersion": "go1.23.4",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

/// The verbs a resource supports (what discovery advertises; others are 405).
pub fn verbs(kind: Kind) -> Vec<&'static str> {
    let mut v =
        vec!["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    if kind == Kind::Namespace {
        v.retain(|x| *x != "deletecollection");
    }
    v
}

fn kinds(group: &str) -> impl Iterator<Item = Kind> + '_ {
    Kind::ALL.into_iter().filter(move |k| k.group() == group)
}

/// `APIResourceList` for `v1` or `batch/v1`.
pub fn resource_list(group_version: &str) -> Value {
    if group_version == "authorization.k8s.io/v1" {
        return super::access_review::resource_list();
    }
    let group = group_version.strip_suffix("/v1").unwrap_or_default();
    let mut resources = Vec::new();
    let mut sorted: Vec<Kind> = kinds(group).collect();
    sorted.sort_by_key(|k| k.plural());
    for k in sorted {
        let mut r = json!({
            "name": k.plural(),
            "singularName": k.singular(),
            "namespaced": k.namespaced(),
            "kind": k.kind_name(),
            "verbs": verbs(k),
        });
        if !k.short_names().is_empty() {
            r["shortNames"] = json!(k.short_names());
        }
        if !k.categories().is_empty() {
            r["categories"] = json!(k.categories());
        }
        resources.push(r);
        if k == Kind::Pod {
            resources.push(json!({"name": "pods/log", "singularName": "", "namespaced": true,
                "kind": "Pod", "verbs": ["get"]}));
        }
        if k.has_status() {
            resources.push(json!({"name": format!("{}/status", k.plural()), "singularName": "",
                "namespaced": k.namespaced(), "kind": k.kind_name(), "verbs": ["get", "patch", "update"]}));
        }
    }
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})
}

/// `/api`.
pub fn api_versions(server_address: &str) -> Value {
    json!({"kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]})
}

fn batch_group() -> Value {
    json!({"name": "batch", "versions": [{"groupVersion": "batch/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "batch/v1", "version": "v1"}})
}

/// `/apis`.
pub fn group_list() -> Value {
    json!({"kind": "APIGroupList", "apiVersion": "v1",
        "groups": [batch_group(), super::access_review::group()]})
}

/// `/apis/batch`, `/apis/authorization.k8s.io`.
pub fn group(name: &str) -> Value {
    let mut g = if name == super::access_review::GROUP {
        super::access_review::group()
    } else {
        batch_group()
    };
    g["kind"] = json!("APIGroup");
    g["apiVersion"] = json!("v1");
    g
}

fn aggregated_resources(group: &str) -> Vec<Value> {
    let mut sorted: Vec<Kind> = kinds(group).collect();
    sorted.sort_by_key(|k| k.plural());
    sorted
        .into_iter()
        .map(|k| {
            let response_kind = json!({"group": k.group(), "version": "v1", "kind": k.kind_name()});
            let mut subs = Vec::new();
            if k == Kind::Pod {
                subs.push(
                    json!({"subresource": "log", "responseKind": response_kind, "verbs": ["get"]}),
                );
            }
            if k.has_status() {
                subs.push(json!({"subresource": "status", "responseKind": response_kind,
                    "verbs": ["get", "patch", "update"]}));
            }
            let mut r = json!({
                "resource": k.plural(),
                "responseKind": response_kind,
                "scope": if k.namespaced() { "Namespaced" } else { "Cluster" },
                "singularResource": k.singular(),
                "verbs": verbs(k),
            });
            if !k.short_names().is_empty() {
                r["shortNames"] = json!(k.short_names());
            }
            if !k.categories().is_empty() {
                r["categories"] = json!(k.categories());
            }
            if !subs.is_empty() {
                r["subresources"] = Value::Array(subs);
            }
            r
        })
        .collect()
}

/// Aggregated discovery for `/api` (core) or `/apis` (batch, authorization.k8s.io).
pub fn aggregated(core: bool) -> Value {
    let (meta, group) = if core {
        (json!({"creationTimestamp": null}), "")
    } else {
        (json!({"name": "batch", "creationTimestamp": null}), "batch")
    };
    let mut items = vec![json!({
        "metadata": meta,
        "versions": [{"version": "v1", "resources": aggregated_resources(group), "freshness": "Current"}]
    })];
    if !core {
        items.push(super::access_review::aggregated());
    }
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": "apidiscovery.k8s.io/v2",
        "metadata": {},
        "items": items
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_lists_pods_with_log_and_status() {
        let l = resource_list("v1");
        let names: Vec<&str> = l["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"pods/log") && names.contains(&"pods/status"));
        assert!(!names.iter().any(|n| n.starts_with("cronjobs")));
        let b = resource_list("batch/v1");
        assert_eq!(b["resources"][0]["name"], "cronjobs");
        assert_eq!(b["resources"][0]["shortNames"], json!(["cj"]));
    }

    #[test]
    fn aggregated_accept_detection() {
        assert!(wants_aggregated(
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        ));
        assert!(!wants_aggregated("application/json"));
        assert_eq!(aggregated(false)["items"][0]["metadata"]["name"], "batch");
        assert_eq!(aggregated(false)["items"][1]["metadata"]["name"], "authorization.k8s.io");
        assert_eq!(aggregated(true)["items"].as_array().unwrap().len(), 1);
    }
}
