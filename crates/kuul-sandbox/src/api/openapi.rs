//! A minimal OpenAPI v3 surface: just enough for kubectl's `QueryParamVerifierV3`
//! (`cli-runtime/pkg/resource/query_param_verifier_v3.go`) to see that every kind's PATCH
//! operation accepts `fieldValidation` and `dryRun`, so `kubectl create -f`/`apply`/`replace`
//! use server-side field validation instead of downloading schemas; and the component schemas
//! of every served kind and what they reference (`openapi/schemas.json`, made by
//! `openapi/generate.py` from k8s-openapi's copy of upstream's spec), with
//! `x-kubernetes-group-version-kind` on each kind, which is what `kubectl explain` reads.
//!
//! `/openapi/v2` is the same schemas and operations as a Swagger 2.0 document (`v2.rs`), served as
//! JSON or as gnostic's protobuf (`gnostic.rs`): kubectl validates a `kind: List` against it.

mod gnostic;
mod v2;

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use serde_json::{Value, json};

use super::response::{self, Body};
use crate::error::ApiError;
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
        // Each kind's list (`JobList`, what list operations answer): k8s-openapi has one
        // generic `List<T>` and no schema for it, so they are made here, in upstream's shape.
        let lists: Vec<(String, Value)> = Kind::ALL
            .into_iter()
            .filter_map(|kind| {
                let (name, item) = all
                    .as_object()?
                    .iter()
                    .find(|(_, s)| s.get("x-kubernetes-group-version-kind") == Some(&gvk(kind)))?;
                Some((format!("{name}List"), list_schema(kind, name, item)))
            })
            .collect();
        if let Some(m) = all.as_object_mut() {
            m.extend(lists);
            m.sort_keys();
        }
        all
    });
    &SCHEMAS
}

/// The component schema of `kind` (its name and schema), found by its group/version/kind.
pub(super) fn kind_schema(kind: Kind) -> Option<(&'static str, &'static Value)> {
    let want = gvk(kind);
    schemas()
        .as_object()?
        .iter()
        .find(|(_, s)| s.get("x-kubernetes-group-version-kind") == Some(&want))
        .map(|(name, schema)| (name.as_str(), schema))
}

/// What a `$ref` (`#/components/schemas/NAME`) points to; any other schema as it is.
pub(super) fn resolve(schema: &Value) -> &Value {
    let mut schema = schema;
    // k8s-openapi writes a few references as `allOf: [{$ref}]` (with a description beside).
    if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        schema = only;
    }
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/components/schemas/")
            .and_then(|name| schemas().get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

/// A kind's `x-kubernetes-group-version-kind`, as its schema carries it.
fn gvk(kind: Kind) -> Value {
    json!([{"group": kind.group(), "kind": kind.kind_name(), "version": "v1"}])
}

/// `<Kind>List` as upstream's list types' schemas go (`required: [items]`, `ListMeta`
/// metadata, the kind's own `apiVersion`/`kind` docs); the descriptions of the list and of
/// `items` are the sandbox's.
fn list_schema(kind: Kind, item_name: &str, item: &Value) -> Value {
    let doc = |field: &str| item["properties"][field]["description"].clone();
    let k = kind.kind_name();
    json!({
        "description": format!("{k}List is a list of {k} objects."),
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"description": doc("apiVersion"), "type": "string"},
            "items": {"description": format!("items is the list of {k} objects."), "type": "array",
                "items": {"$ref": format!("#/components/schemas/{item_name}")}},
            "kind": {"description": doc("kind"), "type": "string"},
            "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}],
                "default": {}, "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"},
        },
        "x-kubernetes-group-version-kind": [{"group": kind.group(), "kind": format!("{k}List"), "version": "v1"}],
    })
}

/// The component schema whose `x-kubernetes-group-version-kind` is `kind`.
pub(super) fn definition_of(kind: Kind) -> Option<&'static str> {
    let gvk = gvk(kind);
    schemas()
        .as_object()
        .into_iter()
        .flatten()
        .find(|(_, s)| s.get("x-kubernetes-group-version-kind") == Some(&gvk))
        .map(|(name, _)| name.as_str())
}

fn gv_path(kind: Kind) -> &'static str {
    if kind.group().is_empty() { "api/v1" } else { "apis/batch/v1" }
}

/// `info.version` of both documents (`/version` reports the same minor).
const VERSION: &str = "v1.32.0";

/// One kind's PATCH operation, listed in both documents.
struct PatchOperation {
    kind: Kind,
    /// `/api/v1/namespaces/{namespace}/pods/{name}`
    path: String,
    /// `patchCoreV1NamespacedPod`-style, as upstream names them.
    operation_id: String,
}

/// The PATCH operations of a group-version (`api/v1` or `apis/batch/v1`).
fn patch_operations(gv: &str) -> Vec<PatchOperation> {
    Kind::ALL
        .into_iter()
        .filter(|k| gv_path(*k) == gv)
        .map(|kind| {
            let (path, scope) = if kind.namespaced() {
                (format!("/{gv}/namespaces/{{namespace}}/{}/{{name}}", kind.plural()), "Namespaced")
            } else {
                (format!("/{gv}/{}/{{name}}", kind.plural()), "")
            };
            let group = if kind.group().is_empty() { "Core" } else { "Batch" };
            PatchOperation {
                kind,
                path,
                operation_id: format!("patch{group}V1{scope}{}", kind.kind_name()),
            }
        })
        .collect()
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
    for op in patch_operations(gv) {
        let kind = op.kind;
        let param = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": true}});
        paths.insert(
            op.path,
            json!({"patch": {
                "operationId": op.operation_id,
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
    Some(json!({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": VERSION},
        "paths": paths, "components": {"schemas": schemas()}}))
}

/// The protobuf media types of `/openapi/v2` (kube-openapi `pkg/handler/handler.go`
/// `subTypeProtobufDeprecated`, which client-go sends, and `subTypeProtobuf`, which is the
/// `Content-Type` answered for both).
const PB_DEPRECATED: &str = "com.github.proto-openapi.spec.v2@v1.0+protobuf";
const PB: &str = "com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// The two encodings of `/openapi/v2` and the ETag of each, made once.
struct V2 {
    json: Bytes,
    json_etag: String,
    protobuf: Result<(Bytes, String), String>,
}

/// kube-openapi `pkg/handler/handler.go` `computeETag` (the uppercase hex SHA-512 of the
/// bytes served), quoted as its `ServeHTTP` sets the header (`strconv.Quote`); each encoding
/// has its own.
fn etag(bytes: &[u8]) -> String {
    use sha2::Digest;
    let sum = sha2::Sha512::digest(bytes);
    let hex: String = sum.iter().map(|b| format!("{b:02X}")).collect();
    format!("\"{hex}\"")
}

fn v2() -> &'static V2 {
    static V2_DOC: std::sync::LazyLock<V2> = std::sync::LazyLock::new(|| {
        let doc = v2::document();
        let json = Bytes::from(serde_json::to_vec(doc).unwrap_or_default());
        V2 {
            protobuf: gnostic::document(doc).map(|pb| {
                let tag = etag(&pb);
                (Bytes::from(pb), tag)
            }),
            json_etag: etag(&json),
            json,
        }
    });
    &V2_DOC
}

/// The media ranges of an `Accept` header, best first, as `goautoneg.ParseAccept` sorts them
/// (by q, then concrete before wildcard); q=0 ranges are refused.
fn accept_ranges(accept: &str) -> Vec<(String, String)> {
    let mut ranges: Vec<(f32, String, String)> = accept
        .split(',')
        .filter_map(|clause| {
            let mut parts = clause.split(';').map(str::trim);
            let range = parts.next().filter(|r| !r.is_empty())?;
            let q = parts
                .filter_map(|p| p.strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let (ty, sub) = range.split_once('/').unwrap_or((range, "*"));
            (q > 0.0).then(|| (q, ty.to_string(), sub.to_string()))
        })
        .collect();
    ranges.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then((a.1 == "*").cmp(&(b.1 == "*")))
            .then((a.2 == "*").cmp(&(b.2 == "*")))
    });
    ranges.into_iter().map(|(_, t, s)| (t, s)).collect()
}

/// `GET /openapi/v2`, negotiated as kube-openapi's `RegisterOpenAPIVersionedService`: the
/// first `Accept` range (no header = `*/*`) matching JSON, then the two protobuf subtypes, in
/// that order; none is 406. `Vary: Accept`, a quoted `ETag`, and 304 for a matching
/// `If-None-Match` (`http.ServeContent`).
pub fn v2_response(accept: &str, if_none_match: &str) -> Response<Body> {
    let accept = if accept.trim().is_empty() { "*/*" } else { accept };
    let doc = v2();
    let offered = [("json", "json"), (PB_DEPRECATED, PB), (PB, PB)];
    let chosen = accept_ranges(accept).into_iter().find_map(|(ty, sub)| {
        if ty != "application" && ty != "*" {
            return None;
        }
        offered.iter().find(|(s, _)| sub == "*" || sub == *s).copied()
    });
    let mut r = Response::new(response::full(Bytes::new()));
    r.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    let Some((subtype, content_type)) = chosen else {
        *r.status_mut() = StatusCode::NOT_ACCEPTABLE;
        return r;
    };
    let (body, etag) = if subtype == "json" {
        (doc.json.clone(), &doc.json_etag)
    } else {
        match &doc.protobuf {
            Ok((pb, etag)) => (pb.clone(), etag),
            Err(e) => {
                let err = ApiError::internal(format!("encoding /openapi/v2 as protobuf: {e}"));
                return response::error(&err);
            }
        }
    };
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    if if_none_match.split(',').any(|t| t.trim() == etag || t.trim() == "*") {
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        return r;
    }
    if let Ok(v) = HeaderValue::from_str(&format!("application/{content_type}")) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    *r.body_mut() = response::full(body);
    r
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
    use http_body_util::BodyExt;

    use super::*;

    /// The length-delimited fields of a message, (field number, bytes); varints skipped.
    fn fields(mut buf: &[u8]) -> Vec<(u64, &[u8])> {
        fn varint(buf: &mut &[u8]) -> u64 {
            let mut v = 0;
            for shift in (0..64).step_by(7) {
                let b = buf[0];
                *buf = &buf[1..];
                v |= u64::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
            }
            v
        }
        let mut out = Vec::new();
        while !buf.is_empty() {
            let key = varint(&mut buf);
            match key & 7 {
                0 => {
                    varint(&mut buf);
                }
                2 => {
                    let len = usize::try_from(varint(&mut buf)).unwrap();
                    out.push((key >> 3, &buf[..len]));
                    buf = &buf[len..];
                }
                w => panic!("wire type {w}"),
            }
        }
        out
    }

    fn field(buf: &[u8], n: u64) -> Vec<&[u8]> {
        fields(buf).into_iter().filter(|(f, _)| *f == n).map(|(_, b)| b).collect()
    }

    fn body(r: Response<Body>) -> Bytes {
        futures::executor::block_on(r.into_body().collect()).unwrap().to_bytes()
    }

    #[test]
    fn v2_protobuf_holds_every_definition_and_the_gvk_extension() {
        let pb = v2().protobuf.clone().unwrap().0;
        let json = v2::document();
        assert_eq!(field(&pb, 1), [b"2.0"]);
        let definitions = field(&pb, 9);
        let named = field(definitions[0], 1);
        let names: Vec<&str> =
            named.iter().map(|n| std::str::from_utf8(field(n, 1)[0]).unwrap()).collect();
        let want: Vec<&str> =
            json["definitions"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(names, want);
        // CronJob's x-kubernetes-group-version-kind: a NamedAny whose Any.yaml parses back.
        let cronjob =
            named[names.iter().position(|n| *n == "io.k8s.api.batch.v1.CronJob").unwrap()];
        let schema = field(cronjob, 2)[0];
        let ext = field(schema, 31)
            .into_iter()
            .find(|e| field(e, 1) == [b"x-kubernetes-group-version-kind"])
            .unwrap();
        let yaml = std::str::from_utf8(field(field(ext, 2)[0], 2)[0]).unwrap();
        let gvk: Value = serde_json::from_str(yaml).unwrap();
        assert_eq!(gvk, json!([{"group": "batch", "kind": "CronJob", "version": "v1"}]));
        // Its properties: apiVersion, kind, metadata, spec, status.
        let props = field(field(schema, 25)[0], 1);
        assert_eq!(props.len(), 5);
        // Paths: one NamedPathItem per JSON path, in order, with the same operations
        // (PathItem get = 2, put = 3, post = 4, delete = 5, patch = 8).
        let paths = field(field(&pb, 8)[0], 2);
        let want = json["paths"].as_object().unwrap();
        assert_eq!(paths.len(), want.len());
        for (p, (name, item)) in paths.iter().zip(want) {
            assert_eq!(field(p, 1), [name.as_bytes()]);
            let ops = field(p, 2)[0];
            for (method, n) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
                assert_eq!(field(ops, n).len(), usize::from(item.get(method).is_some()), "{name}");
            }
        }
    }

    #[test]
    fn v2_negotiates_like_kube_openapi() {
        let doc = v2();
        let ct = |r: &Response<Body>| {
            r.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string())
        };
        for accept in
            ["", "*/*", "application/json", "application/*", "text/html, application/json;q=0.5"]
        {
            let r = v2_response(accept, "");
            assert_eq!(r.status(), 200, "{accept}");
            assert_eq!(ct(&r).as_deref(), Some("application/json"), "{accept}");
            assert_eq!(r.headers()[header::ETAG], doc.json_etag.as_str());
            assert_eq!(r.headers()[header::VARY], "Accept");
            assert_eq!(body(r), doc.json);
        }
        // client-go's Accept, and the non-deprecated subtype; both answer with the latter.
        for accept in [
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
            "application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
        ] {
            let r = v2_response(accept, "");
            assert_eq!(
                ct(&r).as_deref(),
                Some("application/com.github.proto-openapi.spec.v2.v1.0+protobuf"),
                "{accept}"
            );
            assert_eq!(r.headers()[header::ETAG], doc.protobuf.as_ref().unwrap().1.as_str());
            assert_eq!(body(r), doc.protobuf.clone().unwrap().0);
        }
        assert_eq!(v2_response("text/html", "").status(), 406);
        assert_eq!(v2_response("application/json;q=0", "").status(), 406);
        let cached = v2_response("application/json", &doc.json_etag);
        assert_eq!(cached.status(), 304);
        assert!(body(cached).is_empty());
        assert_eq!(v2_response("application/json", "\"other\"").status(), 200);
    }

    #[test]
    fn etags_are_kube_openapis_quoted_uppercase_sha512() {
        // FIPS 180-2's "abc" vector.
        assert_eq!(
            etag(b"abc"),
            "\"DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A\
             2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F\""
        );
        let doc = v2();
        assert_eq!(doc.json_etag, etag(&doc.json));
        assert_ne!(doc.json_etag, doc.protobuf.as_ref().unwrap().1, "one ETag per encoding");
    }

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
