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

use super::{definition_of, schemas};
use crate::kind::Kind;

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

/// A query parameter in upstream's v2 form (kube-openapi writes every non-body parameter
/// with `uniqueItems: true`).
fn query(name: &str, ty: &str, description: &str) -> Value {
    json!({"uniqueItems": true, "type": ty, "description": description, "name": name, "in": "query"})
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"uniqueItems": true, "type": "string", "description": description, "name": name, "in": "path", "required": true})
}

fn body(definition: &str, required: bool) -> Value {
    let mut b =
        json!({"name": "body", "in": "body", "schema": {"$ref": format!("{V2_REF}{definition}")}});
    if required {
        b["required"] = json!(true);
    }
    b
}

const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.";

fn pretty() -> Value {
    query(
        "pretty",
        "string",
        "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
    )
}

/// The list options of a list (and watch) operation, in upstream's (alphabetical) order.
fn list_params() -> Vec<Value> {
    vec![
        query(
            "allowWatchBookmarks",
            "boolean",
            "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion.",
        ),
        query(
            "continue",
            "string",
            "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize.",
        ),
        query(
            "fieldSelector",
            "string",
            "A selector to restrict the list of returned objects by their fields. Defaults to everything.",
        ),
        query(
            "labelSelector",
            "string",
            "A selector to restrict the list of returned objects by their labels. Defaults to everything.",
        ),
        query(
            "limit",
            "integer",
            "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.",
        ),
        query(
            "resourceVersion",
            "string",
            "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.",
        ),
        query(
            "resourceVersionMatch",
            "string",
            "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.",
        ),
        query(
            "sendInitialEvents",
            "boolean",
            "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.",
        ),
        query(
            "timeoutSeconds",
            "integer",
            "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.",
        ),
        query(
            "watch",
            "boolean",
            "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.",
        ),
    ]
}

fn dry_run() -> Value {
    query(
        "dryRun",
        "string",
        "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
    )
}

/// `dryRun`, `fieldManager`, `fieldValidation`: what create, replace and patch take.
fn write_params() -> Vec<Value> {
    vec![
        dry_run(),
        query(
            "fieldManager",
            "string",
            "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.",
        ),
        query(
            "fieldValidation",
            "string",
            "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn (default) - Strict",
        ),
    ]
}

/// The options of a delete (`DeleteOptions` as query parameters).
fn delete_params() -> Vec<Value> {
    vec![
        query(
            "gracePeriodSeconds",
            "integer",
            "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately.",
        ),
        query(
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            "boolean",
            "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.",
        ),
        query(
            "orphanDependents",
            "boolean",
            "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned.",
        ),
        query(
            "propagationPolicy",
            "string",
            "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
        ),
    ]
}

/// Sorted by name, as upstream lists an operation's parameters.
fn sorted(mut params: Vec<Value>) -> Vec<Value> {
    params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    params
}

fn schema_ref(definition: &str) -> Value {
    json!({"$ref": format!("{V2_REF}{definition}")})
}

const JSON_YAML_PB: [&str; 3] =
    ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

/// One operation (`x-kubernetes-action` `action`) on `kind`, as kube-apiserver's installer
/// describes it (`apiserver/pkg/endpoints/installer.go` `registerResourceHandlers`, 1.32).
struct Op<'a> {
    kind: Kind,
    action: &'static str,
    operation_id: String,
    description: String,
    parameters: Vec<Value>,
    /// (code, description, schema)
    responses: Vec<(&'static str, &'static str, Option<Value>)>,
    consumes: &'a [&'a str],
    produces: &'a [&'a str],
}

impl Op<'_> {
    fn to_json(&self) -> Value {
        let mut responses = Map::new();
        for (code, description, schema) in &self.responses {
            let mut r = json!({"description": description});
            if let Some(s) = schema {
                r["schema"] = s.clone();
            }
            responses.insert((*code).to_string(), r);
        }
        responses.insert("401".into(), json!({"description": "Unauthorized"}));
        let kind = self.kind;
        json!({
            "description": self.description,
            "consumes": self.consumes,
            "produces": self.produces,
            "schemes": ["https"],
            "tags": [format!("{}_v1", group_word(kind).to_lowercase())],
            "operationId": self.operation_id,
            "parameters": self.parameters,
            "responses": responses,
            "x-kubernetes-action": self.action,
            "x-kubernetes-group-version-kind": {"group": kind.group(), "kind": kind.kind_name(), "version": "v1"},
        })
    }
}

/// `Core` or `Batch`, as operation ids spell a group.
fn group_word(kind: Kind) -> &'static str {
    if kind.group().is_empty() { "Core" } else { "Batch" }
}

/// Every operation the sandbox serves on `kind`, as upstream's v2 paths: (path, path item).
/// From the served-resource table: the kind's verbs (`discovery::verbs`, what the router
/// allows), its `status` subresource, pods' `log`. The deprecated `/watch/` paths upstream
/// also lists are not served by the sandbox, so not listed.
pub(super) fn kind_paths(kind: Kind) -> Vec<(String, Value)> {
    let Some(def) = definition_of(kind) else { return Vec::new() };
    let list_def = format!("{def}List");
    let verbs = crate::api::discovery::verbs(kind);
    let has = |v: &str| verbs.contains(&v);
    let gv = if kind.group().is_empty() { "api/v1" } else { "apis/batch/v1" };
    let g = format!("{}V1", group_word(kind));
    let k = kind.kind_name();
    let scope = if kind.namespaced() { "Namespaced" } else { "" };
    let collection = if kind.namespaced() {
        format!("/{gv}/namespaces/{{namespace}}/{}", kind.plural())
    } else {
        format!("/{gv}/{}", kind.plural())
    };
    let item = format!("{collection}/{{name}}");
    let namespace =
        || path_param("namespace", "object name and auth scope, such as for teams and projects");
    let scope_params = |with_name: Option<String>| -> Vec<Value> {
        let mut p: Vec<Value> = with_name.map(|d| path_param("name", &d)).into_iter().collect();
        if kind.namespaced() {
            p.push(namespace());
        }
        p.push(pretty());
        p
    };
    let object = || Some(schema_ref(def));
    let status = || Some(schema_ref(&format!("{META}Status")));
    let list_produces = [
        "application/json",
        "application/yaml",
        "application/vnd.kubernetes.protobuf",
        "application/json;stream=watch",
        "application/vnd.kubernetes.protobuf;stream=watch",
    ];
    let any = ["*/*"];
    let mut out = Vec::new();

    let mut ops = Map::new();
    if has("list") {
        let op = Op {
            kind,
            action: "list",
            operation_id: format!("list{g}{scope}{k}"),
            description: format!("list or watch objects of kind {k}"),
            parameters: list_params(),
            responses: vec![("200", "OK", Some(schema_ref(&list_def)))],
            consumes: &any,
            produces: &list_produces,
        };
        ops.insert("get".into(), op.to_json());
    }
    if has("create") {
        let mut params = vec![body(def, true)];
        params.extend(write_params());
        let op = Op {
            kind,
            action: "post",
            operation_id: format!("create{g}{scope}{k}"),
            description: format!("create a {k}"),
            parameters: params,
            responses: vec![
                ("200", "OK", object()),
                ("201", "Created", object()),
                ("202", "Accepted", object()),
            ],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        ops.insert("post".into(), op.to_json());
    }
    if has("deletecollection") {
        let mut params = list_params();
        params.retain(|p| p["name"] != "allowWatchBookmarks" && p["name"] != "watch");
        params.push(dry_run());
        params.extend(delete_params());
        let mut params = sorted(params);
        params.insert(0, body(&format!("{META}DeleteOptions"), false));
        let op = Op {
            kind,
            action: "deletecollection",
            operation_id: format!("delete{g}Collection{scope}{k}"),
            description: format!("delete collection of {k}"),
            parameters: params,
            responses: vec![("200", "OK", status())],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        ops.insert("delete".into(), op.to_json());
    }
    if !ops.is_empty() {
        ops.insert("parameters".into(), json!(scope_params(None)));
        out.push((collection.clone(), Value::Object(ops)));
    }

    let name_doc = format!("name of the {k}");
    let mut ops = Map::new();
    if has("get") {
        let op = Op {
            kind,
            action: "get",
            operation_id: format!("read{g}{scope}{k}"),
            description: format!("read the specified {k}"),
            parameters: Vec::new(),
            responses: vec![("200", "OK", object())],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        ops.insert("get".into(), op.to_json());
    }
    if has("update") {
        let mut params = vec![body(def, true)];
        params.extend(write_params());
        let op = Op {
            kind,
            action: "put",
            operation_id: format!("replace{g}{scope}{k}"),
            description: format!("replace the specified {k}"),
            parameters: params,
            responses: vec![("200", "OK", object()), ("201", "Created", object())],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        ops.insert("put".into(), op.to_json());
    }
    if has("delete") {
        // Pods answer a delete with the pod (the registry's `ReturnDeletedObject`), the
        // others with a Status.
        let answer = if kind == Kind::Pod { object() } else { status() };
        let mut params = vec![dry_run()];
        params.extend(delete_params());
        let mut params = sorted(params);
        params.insert(0, body(&format!("{META}DeleteOptions"), false));
        let op = Op {
            kind,
            action: "delete",
            operation_id: format!("delete{g}{scope}{k}"),
            description: format!("delete a {k}"),
            parameters: params,
            responses: vec![("200", "OK", answer.clone()), ("202", "Accepted", answer)],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        ops.insert("delete".into(), op.to_json());
    }
    if has("patch") {
        let op = patch_op(kind, &g, scope, "", def);
        ops.insert("patch".into(), op.to_json());
    }
    if !ops.is_empty() {
        ops.insert("parameters".into(), json!(scope_params(Some(name_doc.clone()))));
        out.push((item.clone(), Value::Object(ops)));
    }

    if kind.has_status() {
        let mut params = vec![body(def, true)];
        params.extend(write_params());
        let read = Op {
            kind,
            action: "get",
            operation_id: format!("read{g}{scope}{k}Status"),
            description: format!("read status of the specified {k}"),
            parameters: Vec::new(),
            responses: vec![("200", "OK", object())],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        let replace = Op {
            kind,
            action: "put",
            operation_id: format!("replace{g}{scope}{k}Status"),
            description: format!("replace status of the specified {k}"),
            parameters: params,
            responses: vec![("200", "OK", object()), ("201", "Created", object())],
            consumes: &any,
            produces: &JSON_YAML_PB,
        };
        let patch = patch_op(kind, &g, scope, "Status", def);
        out.push((
            format!("{item}/status"),
            json!({"get": read.to_json(), "put": replace.to_json(), "patch": patch.to_json(),
                "parameters": scope_params(Some(name_doc.clone()))}),
        ));
    }
    if kind == Kind::Pod {
        let log_params = vec![
            query(
                "container",
                "string",
                "The container for which to stream logs. Defaults to only container if there is one container in the pod.",
            ),
            query("follow", "boolean", "Follow the log stream of the pod. Defaults to false."),
            query(
                "insecureSkipTLSVerifyBackend",
                "boolean",
                "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to.",
            ),
            query(
                "limitBytes",
                "integer",
                "If set, the number of bytes to read from the server before terminating the log output. This may not display a complete final line of logging, and may return slightly more or slightly less than the specified limit.",
            ),
            query(
                "previous",
                "boolean",
                "Return previous terminated container logs. Defaults to false.",
            ),
            query(
                "sinceSeconds",
                "integer",
                "A relative time in seconds before the current time from which to show logs. If this value precedes the time a pod was started, only logs since the pod start will be returned.",
            ),
            query(
                "stream",
                "string",
                "Specify which container log stream to return to the client. Acceptable values are \"All\", \"Stdout\" and \"Stderr\". If not specified, \"All\" is used, and both stdout and stderr are returned interleaved.",
            ),
            query(
                "tailLines",
                "integer",
                "If set, the number of lines from the end of the logs to show. If not specified, logs are shown from the creation of the container or sinceSeconds or sinceTime",
            ),
            query(
                "timestamps",
                "boolean",
                "If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.",
            ),
        ];
        let log = Op {
            kind,
            action: "get",
            operation_id: format!("read{g}{scope}{k}Log"),
            description: format!("read log of the specified {k}"),
            parameters: log_params,
            responses: vec![("200", "OK", Some(json!({"type": "string"})))],
            consumes: &any,
            produces: &[
                "text/plain",
                "application/json",
                "application/yaml",
                "application/vnd.kubernetes.protobuf",
            ],
        };
        out.push((
            format!("{item}/log"),
            json!({"get": log.to_json(), "parameters": scope_params(Some(name_doc))}),
        ));
    }
    if kind.namespaced() && has("list") {
        let op = Op {
            kind,
            action: "list",
            operation_id: format!("list{g}{k}ForAllNamespaces"),
            description: format!("list or watch objects of kind {k}"),
            parameters: Vec::new(),
            responses: vec![("200", "OK", Some(schema_ref(&list_def)))],
            consumes: &any,
            produces: &list_produces,
        };
        let mut params = list_params();
        params.push(pretty());
        out.push((
            format!("/{gv}/{}", kind.plural()),
            json!({"get": op.to_json(), "parameters": sorted(params)}),
        ));
    }
    out
}

/// A PATCH of the object or of a subresource (`suffix` `Status`).
fn patch_op(kind: Kind, g: &str, scope: &str, suffix: &str, def: &str) -> Op<'static> {
    let k = kind.kind_name();
    let mut params = vec![body(&format!("{META}Patch"), true)];
    params.extend(write_params());
    params.push(query("force", "boolean", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests."));
    let what =
        if suffix.is_empty() { String::new() } else { format!("{} of ", suffix.to_lowercase()) };
    Op {
        kind,
        action: "patch",
        operation_id: format!("patch{g}{scope}{k}{suffix}"),
        description: format!("partially update {what}the specified {k}"),
        parameters: params,
        responses: vec![
            ("200", "OK", Some(schema_ref(def))),
            ("201", "Created", Some(schema_ref(def))),
        ],
        consumes: &[
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json",
            "application/apply-patch+yaml",
        ],
        produces: &JSON_YAML_PB,
    }
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
        let mut paths: Vec<(String, Value)> = Kind::ALL.into_iter().flat_map(kind_paths).collect();
        // Upstream's document lists its paths in order.
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        let paths: Map<String, Value> = paths.into_iter().collect();
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

    /// The operations upstream's v2 document has for a kind the sandbox serves, by
    /// operationId (kube-apiserver 1.32 `api/openapi-spec/swagger.json`), less the deprecated
    /// `/watch/` paths the sandbox does not serve.
    #[test]
    fn operations_are_upstreams_for_every_served_verb() {
        let doc = document();
        let ops: Vec<(&str, &str, &Value)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .iter()
                    .filter(|(m, _)| *m != "parameters")
                    .map(move |(method, op)| (path.as_str(), method.as_str(), op))
            })
            .collect();
        let ids: Vec<&str> =
            ops.iter().map(|(_, _, o)| o["operationId"].as_str().unwrap()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "operationIds are unique");
        let find = |id: &str| {
            ops.iter().find(|(_, _, o)| o["operationId"] == id).unwrap_or_else(|| panic!("{id}"))
        };
        for (id, path, method, action) in [
            (
                "listBatchV1NamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs",
                "get",
                "list",
            ),
            (
                "createBatchV1NamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs",
                "post",
                "post",
            ),
            (
                "deleteBatchV1CollectionNamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs",
                "delete",
                "deletecollection",
            ),
            (
                "readBatchV1NamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
                "get",
                "get",
            ),
            (
                "replaceBatchV1NamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
                "put",
                "put",
            ),
            (
                "patchBatchV1NamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
                "patch",
                "patch",
            ),
            (
                "deleteBatchV1NamespacedJob",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
                "delete",
                "delete",
            ),
            (
                "readBatchV1NamespacedJobStatus",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status",
                "get",
                "get",
            ),
            (
                "replaceBatchV1NamespacedJobStatus",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status",
                "put",
                "put",
            ),
            (
                "patchBatchV1NamespacedJobStatus",
                "/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status",
                "patch",
                "patch",
            ),
            ("listBatchV1JobForAllNamespaces", "/apis/batch/v1/jobs", "get", "list"),
            (
                "readCoreV1NamespacedPodLog",
                "/api/v1/namespaces/{namespace}/pods/{name}/log",
                "get",
                "get",
            ),
            ("listCoreV1Node", "/api/v1/nodes", "get", "list"),
            ("deleteCoreV1CollectionNode", "/api/v1/nodes", "delete", "deletecollection"),
            ("readCoreV1NamespaceStatus", "/api/v1/namespaces/{name}/status", "get", "get"),
        ] {
            let (p, m, op) = find(id);
            assert_eq!((*p, *m), (path, method), "{id}");
            assert_eq!(op["x-kubernetes-action"], action, "{id}");
        }
        assert!(
            !ids.contains(&"deleteCoreV1CollectionNamespace"),
            "namespaces have no deletecollection"
        );
        let list = find("listBatchV1NamespacedJob").2;
        assert_eq!(
            list["responses"]["200"]["schema"]["$ref"],
            "#/definitions/io.k8s.api.batch.v1.JobList"
        );
        let names: Vec<&str> = list["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"continue") && names.contains(&"limit") && names.contains(&"watch"),
            "{names:?}"
        );
        let job_list = &doc["definitions"]["io.k8s.api.batch.v1.JobList"];
        assert_eq!(
            job_list["properties"]["items"]["items"]["$ref"],
            "#/definitions/io.k8s.api.batch.v1.Job"
        );
        assert_eq!(job_list["x-kubernetes-group-version-kind"][0]["kind"], "JobList");
        // Every operation is one the router serves, with a verb the kind allows.
        for (path, method, op) in &ops {
            let concrete = path.replace("{namespace}", "ops").replace("{name}", "x");
            let crate::api::route::Route::Resource(rp) = crate::api::route::route(&concrete) else {
                panic!("{path} is not routed");
            };
            let m = http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let verb = crate::api::route::verb(&m, &rp, false)
                .unwrap_or_else(|| panic!("{method} {path}"));
            assert!(
                crate::api::discovery::verbs(rp.kind).contains(&verb) || rp.sub.is_some(),
                "{method} {path}"
            );
            assert_eq!(op["x-kubernetes-group-version-kind"]["kind"], rp.kind.kind_name());
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
