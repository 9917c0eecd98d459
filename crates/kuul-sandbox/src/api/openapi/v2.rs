//! `/openapi/v2`: the Swagger 2.0 document, derived once from the same component schemas as
//! `/openapi/v3` (no second copy of the data).
//!
//! Who reads it: kubectl 1.32 validates a `kind: List` client-side (what `kubectl get -o yaml`
//! prints for several objects, then piped to `kubectl apply -f -`). `factoryImpl.Validator`
//! (`k8s.io/kubectl/pkg/cmd/util/factory_client_access.go`) builds a `ParamVerifyingSchema`
//! whose field-validation verifier (`cli-runtime/pkg/resource/query_param_verifier_v3.go`)
//! finds no PATCH operation for v1/List, so under the default `Strict` directive it runs
//! `openapivalidation.NewSchemaValidation(f.OpenAPISchema())` (`k8s.io/kubectl/pkg/validation/
//! schema.go` `schemaValidation.ValidateBytes`, `validateList`: each item against
//! `LookupResource(gvk)`), and `f.OpenAPISchema()` is this document, fetched by client-go
//! `DiscoveryClient.OpenAPISchemaWithContext` (GET `/openapi/v2`, `Accept:
//! application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, `proto.Unmarshal` into
//! gnostic's `openapi_v2.Document`; since kubectl 1.29, kubernetes#119410, there is no fallback
//! to `/swagger-2.0.0.pb-v1`). kube-openapi `pkg/util/proto/document.go` `NewOpenAPIData`
//! parses only `definitions`; kubectl `pkg/util/openapi/openapi.go` `NewOpenAPIData` maps each
//! definition's `x-kubernetes-group-version-kind` to it, which is also what `kubectl explain
//! --output plaintext-openapiv2` looks up. The paths are the same PATCH operations `/openapi/v3`
//! lists (what cli-runtime's v2 `QueryParamVerifier` reads when a server has no v3).

use std::sync::LazyLock;

use serde_json::{Map, Value, json};

use super::{PatchOperation, patch_operations, schemas};

/// v3's `#/components/schemas/X` is v2's `#/definitions/X`.
const V3_REF: &str = "#/components/schemas/";
const V2_REF: &str = "#/definitions/";

/// A v3 component schema as the v2 definition upstream serves for the same Go type
/// (kube-openapi builds both from one `spec.Schema`; `pkg/builder3/util` `WrapRefs` wraps a
/// described reference as `allOf: [{$ref}]` in v3 only, v2 keeps `{$ref, description}`, and v2 has no
/// `nullable`). Schema-aware, so a property *named* `allOf` or `nullable` is kept.
fn definition(v3: &Value) -> Value {
    let Some(fields) = v3.as_object() else {
        return v3.clone();
    };
    let mut out = Map::new();
    // allOf with a single reference: the reference itself, beside its siblings.
    let single_ref = match fields.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only])
            if only.get("$ref").is_some() && only.as_object().is_some_and(|o| o.len() == 1) =>
        {
            only.get("$ref")
        }
        _ => None,
    };
    for (k, v) in fields {
        let converted = match k.as_str() {
            "nullable" => continue,
            "allOf" => match single_ref {
                Some(r) => {
                    out.insert("$ref".into(), reference(r));
                    continue;
                }
                None => Value::Array(v.as_array().into_iter().flatten().map(definition).collect()),
            },
            "$ref" => reference(v),
            "properties" => Value::Object(
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, p)| (name.clone(), definition(p)))
                    .collect(),
            ),
            "items" | "additionalProperties" if v.is_object() => definition(v),
            _ => v.clone(),
        };
        out.insert(k.clone(), converted);
    }
    Value::Object(out)
}

fn reference(v: &Value) -> Value {
    match v.as_str() {
        Some(r) => Value::String(r.replacen(V3_REF, V2_REF, 1)),
        None => v.clone(),
    }
}

/// The query parameters of a PATCH, in upstream's v2 form.
fn query_param(name: &str, description: &str) -> Value {
    json!({"uniqueItems": true, "type": "string", "description": description, "name": name, "in": "query"})
}

fn path_item(op: &PatchOperation) -> Value {
    let kind = op.kind;
    let mut parameters = vec![
        json!({"uniqueItems": true, "type": "string", "description": format!("name of the {}", kind.kind_name()), "name": "name", "in": "path", "required": true}),
    ];
    if kind.namespaced() {
        parameters.push(json!({"uniqueItems": true, "type": "string", "description": "object name and auth scope, such as for teams and projects", "name": "namespace", "in": "path", "required": true}));
    }
    let mut patch = json!({
        "consumes": ["application/json-patch+json", "application/merge-patch+json",
            "application/strategic-merge-patch+json", "application/apply-patch+yaml"],
        "produces": ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"],
        "schemes": ["https"],
        "operationId": op.operation_id,
        "parameters": [
            query_param("dryRun", "When present, indicates that modifications should not be persisted."),
            query_param("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."),
            query_param("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields."),
            query_param("force", "Force is going to \"force\" Apply requests."),
        ],
        "responses": {"200": {"description": "OK"}, "401": {"description": "Unauthorized"}},
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": {"group": kind.group(), "kind": kind.kind_name(), "version": "v1"},
    });
    if let Some(name) = op.definition {
        patch["responses"]["200"]["schema"] = json!({"$ref": format!("{V2_REF}{name}")});
    }
    json!({"patch": patch, "parameters": parameters})
}

/// The whole document, built once.
pub(super) fn document() -> &'static Value {
    static DOC: LazyLock<Value> = LazyLock::new(|| {
        let definitions: Map<String, Value> = schemas()
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, s)| (name.clone(), definition(s)))
            .collect();
        let mut paths = Map::new();
        for gv in ["api/v1", "apis/batch/v1"] {
            for op in patch_operations(gv) {
                paths.insert(op.path.clone(), path_item(&op));
            }
        }
        json!({
            "swagger": "2.0",
            "info": {"title": "Kubernetes", "version": super::VERSION},
            "paths": paths,
            "definitions": definitions,
        })
    });
    &DOC
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;

    #[test]
    fn definitions_are_v2_references_with_descriptions() {
        let doc = document();
        let spec = &doc["definitions"]["io.k8s.api.batch.v1.CronJob"]["properties"]["spec"];
        assert_eq!(
            spec,
            &json!({"$ref": "#/definitions/io.k8s.api.batch.v1.CronJobSpec",
                "description": spec["description"]})
        );
        assert!(spec["description"].as_str().is_some_and(|d| d.starts_with("Specification")));
        let text = doc.to_string();
        assert!(!text.contains("#/components/") && !text.contains("\"allOf\""), "v3 constructs");
        // Every reference resolves, as kube-openapi's parseReference demands.
        for r in text.split("\"$ref\":\"#/definitions/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(doc["definitions"].get(name).is_some(), "{name}");
        }
        let containers =
            &doc["definitions"]["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(containers["items"]["$ref"], "#/definitions/io.k8s.api.core.v1.Container");
    }

    #[test]
    fn every_kind_has_a_definition_and_a_patch_operation() {
        let doc = document();
        for kind in Kind::ALL {
            let gvk = json!({"group": kind.group(), "kind": kind.kind_name(), "version": "v1"});
            let defs = doc["definitions"].as_object().unwrap();
            assert!(
                defs.values().any(|d| d["x-kubernetes-group-version-kind"][0] == gvk),
                "{kind:?}"
            );
            let ops = doc["paths"].as_object().unwrap();
            let op = ops
                .values()
                .find(|p| p["patch"]["x-kubernetes-group-version-kind"] == gvk)
                .unwrap_or_else(|| panic!("{kind:?}"));
            let params = op["patch"]["parameters"].as_array().unwrap();
            assert!(params.iter().any(|p| p["name"] == "fieldValidation"), "{kind:?}");
            let response = op["patch"]["responses"]["200"]["schema"]["$ref"].as_str().unwrap();
            assert!(defs.contains_key(response.trim_start_matches(V2_REF)), "{response}");
        }
    }

    #[test]
    fn single_reference_wrappers_unwrap_but_properties_named_like_keywords_stay() {
        let v3 = json!({"type": "object", "nullable": true, "properties": {
            "allOf": {"type": "string"},
            "nullable": {"allOf": [{"$ref": "#/components/schemas/X"}], "description": "d"},
            "list": {"type": "array", "items": {"$ref": "#/components/schemas/Y"}}
        }});
        assert_eq!(
            definition(&v3),
            json!({"type": "object", "properties": {
                "allOf": {"type": "string"},
                "nullable": {"$ref": "#/definitions/X", "description": "d"},
                "list": {"type": "array", "items": {"$ref": "#/definitions/Y"}}
            }})
        );
    }
}
