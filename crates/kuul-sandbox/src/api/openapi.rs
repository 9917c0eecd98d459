//! A minimal OpenAPI v3 surface: just enough for kubectl's `QueryParamVerifierV3`
//! (`cli-runtime/pkg/resource/query_param_verifier_v3.go`) to see that every kind's PATCH
//! operation accepts `fieldValidation` and `dryRun`, so `kubectl create -f`/`apply`/`replace`
//! use server-side field validation instead of downloading schemas; and the component schemas
//! of every served kind and what they reference (`openapi/schemas.json`, made by
//! `openapi/generate.py` from k8s-openapi's copy of upstream's spec), with
//! `x-kubernetes-group-version-kind` on each kind, which is what `kubectl explain` reads.

use serde_json::{Value, json};

use crate::kind::Kind;

/// The component schemas, parsed once. k8s-openapi's schemas leave out the strategic merge
/// extensions, which kubectl's client-side apply reads from `/openapi/v3` to build its patch
/// (`buildStrategicMergePatchFromOpenAPIV3`); they are put back from the same per-field table
/// the server's strategic merge uses ([`super::patch::merge_key`]).
fn schemas() -> &'static Value {
    static SCHEMAS: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| {
        let mut all: Value =
            serde_json::from_str(include_str!("../../openapi/schemas.json")).unwrap_or_default();
        for schema in all.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
            let props = schema.get_mut("properties").and_then(Value::as_object_mut);
            for (field, prop) in props.into_iter().flatten() {
                if prop.get("type").and_then(Value::as_str) != Some("array") {
                    continue;
                }
                if let (Some(key), Some(p)) = (super::patch::merge_key(field), prop.as_object_mut())
                {
                    p.insert("x-kubernetes-patch-strategy".into(), json!("merge"));
                    if !key.is_empty() {
                        p.insert("x-kubernetes-patch-merge-key".into(), json!(key));
                    }
                }
            }
        }
        all
    });
    &SCHEMAS
}

fn gv_path(kind: Kind) -> &'static str {
    if kind.group().is_empty() { "api/v1" } else { "apis/batch/v1" }
}

/// `/openapi/v3`: the group-versions and where their documents live.
pub fn v3_root() -> Value {
    json!({"paths": {
        "api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=kuul-sandbox-1"},
        "apis/batch/v1": {"serverRelativeURL": "/openapi/v3/apis/batch/v1?hash=kuul-sandbox-1"}
    }})
}

/// `/openapi/v3/{api/v1 | apis/batch/v1}`: one PATCH operation per kind.
pub fn v3_group_version(gv: &str) -> Option<Value> {
    let mut paths = serde_json::Map::new();
    for kind in Kind::ALL.into_iter().filter(|k| gv_path(*k) == gv) {
        let path = if kind.namespaced() {
            format!("/{gv}/namespaces/{{namespace}}/{}/{{name}}", kind.plural())
        } else {
            format!("/{gv}/{}/{{name}}", kind.plural())
        };
        let param = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": true}});
        paths.insert(
            path,
            json!({"patch": {
                "operationId": format!("patch{}", kind.kind_name()),
                "parameters": [param("dryRun"), param("fieldManager"), param("fieldValidation"), param("force")],
                "responses": {"200": {"description": "OK"}},
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": {"group": kind.group(), "version": "v1", "kind": kind.kind_name()}
            }}),
        );
    }
    if paths.is_empty() {
        return None;
    }
    Some(json!({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.0"},
        "paths": paths, "components": {"schemas": schemas()}}))
}

/// The description upstream's Go type gives `field` of `schema` (its `SwaggerDoc()`, which
/// the OpenAPI spec carries as the property's description), or "" when there is none.
pub(crate) fn field_description(schema: &str, field: &str) -> &'static str {
    schemas()
        .get(schema)
        .and_then(|s| s.get("properties"))
        .and_then(|p| p.get(field))
        .and_then(|f| f.get("description"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_kind_has_a_schema_with_its_gvk() {
        for kind in Kind::ALL {
            let gv = gv_path(kind);
            let doc = v3_group_version(gv).unwrap();
            let found = doc["components"]["schemas"].as_object().unwrap().values().any(|s| {
                s["x-kubernetes-group-version-kind"][0]
                    == json!({"group": kind.group(), "version": "v1", "kind": kind.kind_name()})
            });
            assert!(found, "{kind:?}");
        }
        let containers = &schemas()["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
        let tolerations = &schemas()["io.k8s.api.core.v1.PodSpec"]["properties"]["tolerations"];
        assert!(tolerations.get("x-kubernetes-patch-strategy").is_none(), "atomic");
        // Every reference resolves.
        let all = schemas().as_object().unwrap();
        let text = schemas().to_string();
        for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(all.contains_key(name), "{name}");
        }
    }
}
