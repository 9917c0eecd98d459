//! The resource verbs: get, list (selectors, paging), create, update, patch, delete and
//! deletecollection, with dry-run, field validation and the real server's status codes
//! (`apiserver/pkg/endpoints/handlers/{get,create,update,patch,delete}.go`).

use base64::Engine;
use http::Response;
use serde_json::{Value, json};

use super::decode;
use super::patch::{self, PatchType};
use super::query::Query;
use super::response::{self, Body};
use super::selectors::{FieldSelector, LabelSelector};
use super::table;
use crate::controllers::Propagation;
use crate::error::ApiError;
use crate::kind::Kind;
use crate::store::{DeleteOptions, Manager, PageQuery, Store, Unavailable, meta_str};

/// Everything a resource handler needs from the request.
#[derive(Debug)]
pub struct Request {
    /// The resource.
    pub kind: Kind,
    /// Namespace from the URL.
    pub namespace: Option<String>,
    /// Object name from the URL.
    pub name: Option<String>,
    /// Subresource (`status`).
    pub sub: Option<String>,
    /// Query parameters.
    pub query: Query,
    /// `Accept` header.
    pub accept: String,
    /// `Content-Type` header.
    pub content_type: String,
    /// Request body.
    pub body: bytes::Bytes,
}

impl Request {
    /// The `fieldManager` of a write, for `managedFields`.
    fn manager(&self, operation: &'static str) -> Option<Manager<'_>> {
        let name = self.query.get("fieldManager").filter(|m| !m.is_empty())?;
        Some(Manager { name, operation })
    }

    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    fn ns(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
}

/// The result of a handler: a response and whether it changed the store.
pub type Handled = Result<(Response<Body>, bool), ApiError>;

fn object_response(code: u16, obj: &Value, req: &Request, store: &Store) -> Response<Body> {
    if table::wants_table(&req.accept) {
        let t = table::table(
            req.kind,
            &[obj],
            store.clock().now(),
            // A one-object Table carries that object's resourceVersion (upstream
            // transformResponseObject converts the object itself).
            meta_str(obj, "resourceVersion")
                .and_then(|r| r.parse().ok())
                .unwrap_or_else(|| store.resource_version()),
            &req.query,
        );
        return response::json(code, &t);
    }
    response::json_bytes(code, serde_json::to_vec(obj).unwrap_or_default())
}

/// `GET` one object.
pub fn get(store: &Store, req: &Request) -> Handled {
    if !table::wants_table(&req.accept) {
        let json = store
            .get_json(req.kind, req.ns(), req.name())
            .ok_or_else(|| ApiError::not_found(req.kind, req.name()))?;
        return Ok((response::json_bytes(200, json), false));
    }
    let obj = store
        .get_shared(req.kind, req.ns(), req.name())
        .ok_or_else(|| ApiError::not_found(req.kind, req.name()))?;
    Ok((object_response(200, &obj, req, store), false))
}

/// Parsed list filters.
pub struct Filters {
    /// labelSelector
    pub labels: LabelSelector,
    /// fieldSelector
    pub fields: FieldSelector,
}

impl Filters {
    /// Parses `labelSelector` and `fieldSelector`.
    pub fn parse(kind: Kind, q: &Query) -> Result<Filters, ApiError> {
        let ls = q.get("labelSelector").unwrap_or_default();
        Ok(Filters {
            labels: LabelSelector::parse(ls)?,
            fields: FieldSelector::parse(kind, q.get("fieldSelector").unwrap_or_default())?,
        })
    }

    /// Whether an object passes both selectors.
    pub fn matches(&self, kind: Kind, obj: &Value) -> bool {
        self.labels.matches(obj) && self.fields.matches(kind, obj)
    }
}

const EXPIRED_CONTINUE: &str = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/// `expired` of the etcd3 store (staging/src/k8s.io/apiserver/pkg/storage/etcd3/errors.go,
/// v1.32.0): an Exact list at a compacted resourceVersion.
const EXPIRED_LIST: &str = "The resourceVersion for the provided list is too old.";

/// Go's `base64.RawURLEncoding` (URL alphabet, no padding, trailing bits ignored), which the
/// etcd3 store encodes continue tokens with.
const RAW_URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Encodes a continue token the way the etcd3 store does (storage.EncodeContinue):
/// RawURLEncoding of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`; `rv` -1 means
/// "continue at the latest resourceVersion" (`handleCompactedErrorForPaging`).
fn encode_continue(rv: i64, ns: &str, name: &str) -> String {
    let key = format!("{ns}/{name}\u{0}");
    let raw = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": key}).to_string();
    RAW_URL.encode(raw)
}

/// storage.DecodeContinue (apiserver pkg/storage/continue.go, v1.32) with its errors, which
/// the etcd3 store answers as 400 `invalid continue token: <error>`: Go's base64 and JSON
/// decoding errors are quoted after `continue key is not valid`.
fn decode_continue(token: &str) -> Result<(i64, String, String), ApiError> {
    const INVALID: &str = "continue key is not valid";
    let bad = |why: String| ApiError::bad_request(format!("invalid continue token: {why}"));
    // base64.CorruptInputError: the first byte outside the alphabet, or a lone final byte.
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let bytes = token.as_bytes();
    let corrupt = bytes
        .iter()
        .position(|b| !alphabet(*b))
        .or_else(|| (bytes.len() % 4 == 1).then(|| bytes.len() - 1));
    if let Some(at) = corrupt {
        return Err(bad(format!("{INVALID}: illegal base64 data at input byte {at}")));
    }
    let raw = RAW_URL.decode(token).map_err(|e| bad(format!("{INVALID}: {e}")))?;
    if let Some(e) = super::gojson::syntax_error(&raw) {
        return Err(bad(format!("{INVALID}: {e}")));
    }
    let v: Value = serde_json::from_slice(&raw).map_err(|e| bad(format!("{INVALID}: {e}")))?;
    match v.get("v").and_then(Value::as_str).unwrap_or_default() {
        "meta.k8s.io/v1" => {}
        other => {
            return Err(bad(format!(
                "{INVALID}: server does not recognize this encoded version {other}"
            )));
        }
    }
    let rv = v.get("rv").and_then(Value::as_i64).unwrap_or(0);
    if rv == 0 {
        return Err(bad(format!(
            "{INVALID}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        )));
    }
    let start = v.get("start").and_then(Value::as_str).unwrap_or_default();
    if start.is_empty() {
        return Err(bad(format!("{INVALID}: encoded start key empty (version meta.k8s.io/v1)")));
    }
    let start = start.trim_end_matches('\u{0}');
    let (ns, name) = start.split_once('/').unwrap_or(("", start));
    Ok((rv, ns.to_string(), name.to_string()))
}

/// upstream `ValidateListOptions` for a list (staging/src/k8s.io/apimachinery/pkg/apis/meta/
/// internalversion/validation/validation.go, v1.32.0), a 422 on `ListOptions` (L10).
fn check_list_options(q: &Query) -> Result<(), ApiError> {
    use crate::error::FieldError;
    let Some(m) = q.get("resourceVersionMatch").filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    let rv = q.get("resourceVersion").unwrap_or_default();
    let mut errs = Vec::new();
    if rv.is_empty() {
        errs.push(FieldError::forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch is forbidden unless resourceVersion is provided",
        ));
    }
    if q.get("continue").is_some_and(|c| !c.is_empty()) {
        errs.push(FieldError::forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch is forbidden when continue is provided",
        ));
    }
    if m != "Exact" && m != "NotOlderThan" {
        errs.push(FieldError::not_supported(
            "resourceVersionMatch",
            m,
            &["Exact", "NotOlderThan", ""],
        ));
    }
    if m == "Exact" && rv == "0" {
        errs.push(FieldError::forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
        ));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid_options_causes("ListOptions", &errs))
    }
}

/// Etcd's `ErrFutureRev`, which kube-apiserver answers as a plain 500 (`ErrorToAPIStatus`).
const FUTURE_REVISION: &str = "etcdserver: mvcc: required revision is a future revision";

/// Which version a list shows, as etcd3's `store.GetList` picks its `withRev`
/// (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go with `storage.ValidateListOptions`,
/// v1.32.0): a continue token's rv (-1: the latest), an `Exact` resourceVersion, or, the legacy
/// case, a resourceVersion other than `0` with a limit and no match; otherwise the latest. The
/// cacher hands exactly these lists to etcd (`shouldDelegateList`, cacher.go, v1.32.0).
enum ListAt {
    Latest,
    Continue { rv: u64, ns: String, name: String },
    Exact(u64),
}

fn list_at(q: &Query, limit: usize) -> Result<ListAt, ApiError> {
    let rv = q.get("resourceVersion").unwrap_or_default();
    if let Some(token) = q.get("continue").filter(|c| !c.is_empty()) {
        if !rv.is_empty() && rv != "0" {
            return Err(ApiError::bad_request(
                "specifying resource version is not allowed when using continue",
            ));
        }
        let (rv, ns, name) = decode_continue(token)?;
        return Ok(match u64::try_from(rv) {
            Ok(rv) => ListAt::Continue { rv, ns, name },
            // rv -1: continue at the latest state (`handleCompactedErrorForPaging`'s token).
            Err(_) => ListAt::Continue { rv: 0, ns, name },
        });
    }
    let exact = match q.get("resourceVersionMatch").unwrap_or_default() {
        "Exact" => true,
        "" => limit != usize::MAX && !rv.is_empty() && rv != "0",
        _ => false,
    };
    if !exact {
        return Ok(ListAt::Latest);
    }
    match rv.parse::<u64>() {
        Ok(rv) => Ok(ListAt::Exact(rv)),
        // `APIObjectVersioner.ParseResourceVersion`'s invalid error (strconv.ParseUint's
        // text), which etcd3 GetList wraps as a 400.
        Err(_) => {
            let why = if !rv.is_empty() && rv.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Err(ApiError::bad_request(format!(
                "invalid resource version: resourceVersion: Invalid value: \"{rv}\": strconv.ParseUint: parsing \"{rv}\": {why}"
            )))
        }
    }
}

/// `GET` a collection.
pub fn list(store: &Store, req: &Request) -> Handled {
    check_list_options(&req.query)?;
    let filters = Filters::parse(req.kind, &req.query)?;
    let limit = match req.query.get("limit") {
        Some(l) => l.parse::<usize>().ok().filter(|n| *n > 0).unwrap_or(usize::MAX),
        None => usize::MAX,
    };
    let (at, after) = match list_at(&req.query, limit)? {
        ListAt::Latest => (None, None),
        ListAt::Continue { rv, ns, name } => ((rv > 0).then_some(rv), Some((ns, name))),
        ListAt::Exact(rv) => (Some(rv), None),
    };
    let unavailable = |why: Unavailable| match (why, &after) {
        // etcd3 `handleCompactedErrorForPaging`: 410 with a fresh token at rv -1 (the latest
        // state) from the same key, and the message that offers it.
        (Unavailable::Compacted, Some((ns, name))) => {
            let mut e = ApiError::expired(EXPIRED_CONTINUE);
            e.list_continue = Some(encode_continue(-1, ns, name));
            e
        }
        // An Exact list at a compacted revision: etcd3 `interpretListError` (L10).
        (Unavailable::Compacted, None) => ApiError::expired(EXPIRED_LIST),
        (Unavailable::Future, _) => ApiError::unknown(500, FUTURE_REVISION),
    };
    let kind = req.kind;
    let after = after.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
    let keep = |o: &Value| filters.matches(kind, o);
    let query = |count_rest| PageQuery { kind, namespace: req.ns(), at, after, limit, count_rest };
    let token = |rv: u64, (ns, name): &(String, String)| {
        encode_continue(i64::try_from(rv).unwrap_or(i64::MAX), ns, name)
    };
    if table::wants_table(&req.accept) {
        let page = store.page_shared(query(false), keep).map_err(unavailable)?;
        let refs: Vec<&Value> = page.items.iter().map(AsRef::as_ref).collect();
        let mut t = table::table(kind, &refs, store.clock().now(), page.rv, &req.query);
        if let (true, Some(last)) = (page.more, &page.last) {
            t["metadata"]["continue"] = json!(token(page.rv, last));
        }
        return Ok((response::json(200, &t), false));
    }
    // `remainingItemCount` only without selectors, as etcd counts the rest of the range
    // (k8s.io/apiserver pkg/storage/etcd3 store.GetList, v1.20).
    let count_rest = filters.labels.is_empty() && filters.fields.is_empty();
    let page = store.page_json(query(count_rest), keep).map_err(unavailable)?;
    let cont = match (page.more, &page.last) {
        (true, Some(last)) => Some(token(page.rv, last)),
        _ => None,
    };
    let prefix = ListItem::type_meta(kind);
    let items: Vec<ListItem> =
        page.items.into_iter().map(|i| ListItem::without_type_meta(&prefix, i)).collect();
    Ok((
        response::json_bytes(
            200,
            list_bytes_with(kind, page.rv, cont.as_deref(), page.remaining, &items),
        ),
        false,
    ))
}

/// An item of a list body: a list's items carry no `kind`/`apiVersion` (the Go list types'
/// items are internal objects whose TypeMeta is empty on encoding); kubectl and client-go fill
/// them in themselves.
pub struct ListItem {
    /// The object's JSON, as stored.
    json: bytes::Bytes,
    /// How many bytes after its opening `{` are its type meta (`"kind":...,"apiVersion":...,`),
    /// left out as the item is written into the body. Stripping them there rather than into a
    /// copy of each item saved the sandbox an allocation and a copy of every listed object (a
    /// list of 50,000 pods is 150 MB, and the sandbox shares the benchmark machine's cores with
    /// the client it serves).
    type_meta: usize,
}

impl ListItem {
    /// How a stored object of `kind` starts: its type meta, as the store serialises it.
    pub fn type_meta(kind: Kind) -> String {
        format!("{{\"kind\":\"{}\",\"apiVersion\":\"{}\",", kind.kind_name(), kind.api_version())
    }

    /// `item` without its `kind` and `apiVersion`; `prefix` is [`ListItem::type_meta`] of its
    /// kind.
    pub fn without_type_meta(prefix: &str, item: bytes::Bytes) -> ListItem {
        if item.starts_with(prefix.as_bytes()) {
            return ListItem { json: item, type_meta: prefix.len() - 1 };
        }
        let json = match serde_json::from_slice::<Value>(&item) {
            Ok(Value::Object(mut o)) => {
                o.remove("kind");
                o.remove("apiVersion");
                bytes::Bytes::from(serde_json::to_vec(&o).unwrap_or_default())
            }
            _ => item,
        };
        ListItem { json, type_meta: 0 }
    }

    fn len(&self) -> usize {
        self.json.len() - self.type_meta
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        if self.type_meta == 0 {
            out.extend_from_slice(&self.json);
        } else {
            out.push(b'{');
            out.extend_from_slice(&self.json[1 + self.type_meta..]);
        }
    }
}

/// Serialises a list without building one big `Value`.
pub fn list_bytes(kind: Kind, rv: u64, cont: Option<&str>, items: &[ListItem]) -> Vec<u8> {
    list_bytes_with(kind, rv, cont, None, items)
}

/// [`list_bytes`] with a `remainingItemCount`.
pub fn list_bytes_with(
    kind: Kind,
    rv: u64,
    cont: Option<&str>,
    remaining: Option<usize>,
    items: &[ListItem],
) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(256 + items.iter().map(ListItem::len).sum::<usize>() + items.len());
    out.extend_from_slice(b"{\"kind\":\"");
    out.extend_from_slice(kind.kind_name().as_bytes());
    out.extend_from_slice(b"List\",\"apiVersion\":\"");
    out.extend_from_slice(kind.api_version().as_bytes());
    out.extend_from_slice(b"\",\"metadata\":{\"resourceVersion\":\"");
    out.extend_from_slice(rv.to_string().as_bytes());
    out.push(b'"');
    if let Some(c) = cont {
        out.extend_from_slice(b",\"continue\":");
        let _ = serde_json::to_writer(&mut out, c);
    }
    if let Some(n) = remaining {
        out.extend_from_slice(format!(",\"remainingItemCount\":{n}").as_bytes());
    }
    out.extend_from_slice(b"},\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item.write_to(&mut out);
    }
    out.extend_from_slice(b"]}");
    out
}

/// Fills in or checks the namespace of a body against the URL.
fn reconcile_namespace(req: &Request, obj: &mut Value) -> Result<(), ApiError> {
    if !req.kind.namespaced() {
        return Ok(());
    }
    let url_ns = req.ns().unwrap_or_default();
    match meta_str(obj, "namespace") {
        Some(ns) if !ns.is_empty() && ns != url_ns => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => {
            if let Some(m) = obj.as_object_mut() {
                let meta = m.entry("metadata").or_insert_with(|| json!({}));
                if let Some(meta) = meta.as_object_mut() {
                    meta.insert("namespace".into(), json!(url_ns));
                }
            }
            Ok(())
        }
    }
}

fn with_warnings(mut r: Response<Body>, warnings: &[String]) -> Response<Body> {
    for w in warnings {
        response::add_warning(&mut r, w);
    }
    r
}

/// `POST` to a collection.
pub fn create(store: &Store, req: &Request) -> Handled {
    let mut obj = decode::parse_body(req.kind, &req.content_type, &req.body)?;
    decode::check_type(req.kind, &obj)?;
    let warnings = decode::field_validation(req.kind, &obj, req.query.get("fieldValidation"))?;
    decode::drop_unknown_fields(req.kind, &mut obj);
    reconcile_namespace(req, &mut obj)?;
    // PrepareForCreate of pods, jobs, cronjobs and resourcequotas resets the status a client
    // sent.
    if matches!(req.kind, Kind::Pod | Kind::Job | Kind::CronJob | Kind::ResourceQuota)
        && let Some(m) = obj.as_object_mut()
    {
        m.remove("status");
    }
    let dry = req.query.dry_run();
    let created = store.create_by(req.kind, obj, dry, req.manager("Update"))?;
    Ok((with_warnings(object_response(201, &created, req, store), &warnings), !dry))
}

/// `PUT` an object or its status.
pub fn update(store: &Store, req: &Request) -> Handled {
    let mut obj = decode::parse_body(req.kind, &req.content_type, &req.body)?;
    decode::check_type(req.kind, &obj)?;
    let warnings = decode::field_validation(req.kind, &obj, req.query.get("fieldValidation"))?;
    decode::drop_unknown_fields(req.kind, &mut obj);
    reconcile_namespace(req, &mut obj)?;
    match meta_str(&obj, "name") {
        Some(n) if n == req.name() => {}
        Some(n) if !n.is_empty() => {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({n}) does not match the name on the URL ({})",
                req.name()
            )));
        }
        _ => {
            if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                m.insert("name".into(), json!(req.name()));
            }
        }
    }
    let dry = req.query.dry_run();
    let status_only = req.sub.as_deref() == Some("status");
    let before = store.resource_version();
    let updated = store.update_by(req.kind, obj, status_only, dry, req.manager("Update"))?;
    let changed = !dry && store.resource_version() != before;
    Ok((with_warnings(object_response(200, &updated, req, store), &warnings), changed))
}

/// `PATCH` an object or its status; retried internally on a conflict the client did not ask
/// for (upstream `patchResource` retries when the patch carries no resourceVersion).
pub fn patch(store: &Store, req: &Request) -> Handled {
    let Some(pt) = PatchType::from_content_type(&req.content_type) else {
        return Err(ApiError::no_route_for_media_type());
    };
    let p: Value = if pt == PatchType::Apply {
        apply_body(req)?
    } else {
        serde_json::from_slice(&req.body).map_err(|e| {
            let why = super::gojson::syntax_error(&req.body).unwrap_or_else(|| e.to_string());
            ApiError::bad_request(format!("error decoding patch: {why}"))
        })?
    };
    let status_only = req.sub.as_deref() == Some("status");
    let dry = req.query.dry_run();
    for _ in 0..8 {
        let current = match store.get_shared(req.kind, req.ns(), req.name()) {
            Some(c) => c,
            // Server-side apply creates what does not exist yet.
            None if pt == PatchType::Apply && !status_only => {
                let mut obj = p.clone();
                reconcile_namespace(req, &mut obj)?;
                if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                    m.insert("name".into(), json!(req.name()));
                }
                let warnings =
                    decode::field_validation(req.kind, &obj, req.query.get("fieldValidation"))?;
                decode::drop_unknown_fields(req.kind, &mut obj);
                let created = store.create_by(req.kind, obj, dry, req.manager("Apply"))?;
                return Ok((
                    with_warnings(object_response(201, &created, req, store), &warnings),
                    !dry,
                ));
            }
            None => return Err(ApiError::not_found(req.kind, req.name())),
        };
        let mut patched = patch::apply(pt, &current, &p)?;
        decode::check_type(req.kind, &patched)?;
        let warnings =
            decode::field_validation(req.kind, &patched, req.query.get("fieldValidation"))?;
        decode::drop_unknown_fields(req.kind, &mut patched);
        if meta_str(&patched, "name") != Some(req.name()) {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({})",
                meta_str(&patched, "name").unwrap_or_default(),
                req.name()
            )));
        }
        let client_rv = meta_str(&patched, "resourceVersion")
            .filter(|rv| Some(*rv) != meta_str(&current, "resourceVersion"))
            .is_some();
        if let Some(m) = patched.get_mut("metadata").and_then(Value::as_object_mut)
            && !client_rv
        {
            m.insert(
                "resourceVersion".into(),
                json!(meta_str(&current, "resourceVersion").unwrap_or_default()),
            );
        }
        let before = store.resource_version();
        let operation = if pt == PatchType::Apply { "Apply" } else { "Update" };
        match store.update_by(req.kind, patched, status_only, dry, req.manager(operation)) {
            Ok(updated) => {
                let changed = !dry && store.resource_version() != before;
                return Ok((
                    with_warnings(object_response(200, &updated, req, store), &warnings),
                    changed,
                ));
            }
            Err(e) if e.code == 409 && !client_rv => continue,
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::conflict(req.kind, req.name()))
}

/// The body of a server-side apply: YAML (or JSON) naming the object, and a `fieldManager`.
fn apply_body(req: &Request) -> Result<Value, ApiError> {
    if req.query.get("fieldManager").is_none_or(str::is_empty) {
        return Err(ApiError::invalid_options(
            "PatchOptions",
            "fieldManager",
            "is required for apply patch",
        ));
    }
    let text = std::str::from_utf8(&req.body)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
    let v: Value = serde_saphyr::from_str(text)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
    decode::check_type(req.kind, &v)?;
    Ok(v)
}

/// Reads `DeleteOptions` from the body and query.
/// What a DELETE asked for: the explicit propagation, the options, and whether
/// `orphanDependents: false` was given (the only case upstream answers 202).
struct DeleteRequest {
    propagation: Option<Propagation>,
    opts: DeleteOptions,
    orphan_false: bool,
}

fn delete_options(req: &Request) -> Result<DeleteRequest, ApiError> {
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(&req.body)
            .map_err(|e| ApiError::bad_request(format!("error decoding DeleteOptions: {e}")))?
    };
    let policy = body
        .get("propagationPolicy")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| req.query.get("propagationPolicy").map(str::to_string));
    let orphan = body
        .get("orphanDependents")
        .and_then(Value::as_bool)
        .or_else(|| req.query.get("orphanDependents").map(|v| v == "true"));
    let propagation = match (policy.as_deref(), orphan) {
        (Some("Background"), _) => Some(Propagation::Background),
        (Some("Foreground"), _) => Some(Propagation::Foreground),
        (Some("Orphan"), _) => Some(Propagation::Orphan),
        (Some(other), _) => {
            // `ValidateDeleteOptions`: the error is about the DeleteOptions, not the object.
            return Err(ApiError::invalid_options_cause(
                "DeleteOptions",
                &crate::error::FieldError::not_supported(
                    "propagationPolicy",
                    other,
                    &["Foreground", "Background", "Orphan", "nil"],
                ),
            ));
        }
        (None, Some(true)) => Some(Propagation::Orphan),
        (None, Some(false)) => Some(Propagation::Background),
        (None, None) => None,
    };
    let pre = body.get("preconditions");
    let body_dry: Vec<&str> = body
        .get("dryRun")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if body_dry.iter().any(|v| *v != "All") {
        return Err(super::query::dry_run_error("DeleteOptions", &body_dry));
    }
    let dry = req.query.dry_run() || !body_dry.is_empty();
    let grace = body
        .get("gracePeriodSeconds")
        .and_then(Value::as_i64)
        .or_else(|| req.query.get("gracePeriodSeconds").and_then(|v| v.parse().ok()));
    Ok(DeleteRequest {
        propagation,
        orphan_false: orphan == Some(false),
        opts: DeleteOptions {
            uid: pre.and_then(|p| p.get("uid")).and_then(Value::as_str).map(str::to_string),
            resource_version: pre
                .and_then(|p| p.get("resourceVersion"))
                .and_then(Value::as_str)
                .map(str::to_string),
            dry_run: dry,
            grace_period_seconds: grace,
        },
    })
}

/// The warning upstream's Job REST storage adds when a v1 Job is deleted without a policy.
pub const JOB_DELETE_WARNING: &str = "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

/// The default propagation of a resource (`DefaultGarbageCollectionPolicy`): batch/v1 Jobs
/// orphan their pods for backward compatibility; everything else deletes dependents.
pub fn default_propagation(kind: Kind) -> Propagation {
    if kind == Kind::Job { Propagation::Orphan } else { Propagation::Background }
}

fn deleted_status(kind: Kind, obj: &Value) -> Value {
    let mut details = json!({"name": meta_str(obj, "name").unwrap_or_default(), "kind": kind.plural(),
        "uid": meta_str(obj, "uid").unwrap_or_default()});
    if !kind.group().is_empty() {
        details["group"] = json!(kind.group());
    }
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details})
}

/// `DELETE` one object, answered as upstream's `DeleteResource` handler
/// (`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go`) and `Store.Delete`/
/// `finalizeDelete` (`registry/generic/registry/store.go`, v1.32.0): an object still present
/// (graceful deletion, finalizers) is returned with its `deletionTimestamp`; a removed pod is
/// returned as it was (`ReturnDeletedObject`), anything else removed as a Success `Status`.
/// 200, except 202 when the object stays and the client sent `orphanDependents: false`.
pub fn delete(store: &Store, req: &Request) -> Handled {
    let d = delete_options(req)?;
    let policy = d.propagation.unwrap_or_else(|| default_propagation(req.kind));
    let out = store.delete_outcome(req.kind, req.ns(), req.name(), policy, &d.opts)?;
    let mut r = if !out.removed {
        object_response(if d.orphan_false { 202 } else { 200 }, &out.object, req, store)
    } else if req.kind == Kind::Pod {
        object_response(200, &out.object, req, store)
    } else {
        response::json(200, &deleted_status(req.kind, &out.object))
    };
    if req.kind == Kind::Job && d.propagation.is_none() {
        response::add_warning(&mut r, JOB_DELETE_WARNING);
    }
    Ok((r, !d.opts.dry_run))
}

/// `DELETE` a collection: deletes every match and returns them as a list.
pub fn delete_collection(store: &Store, req: &Request) -> Handled {
    let filters = Filters::parse(req.kind, &req.query)?;
    let DeleteRequest { propagation, opts, .. } = delete_options(req)?;
    let policy = propagation.unwrap_or_else(|| default_propagation(req.kind));
    let kind = req.kind;
    // upstream `Store.DeleteCollection` (registry/generic/registry/store.go, 1.20 to 1.32):
    // lists, deletes each item, and answers the list as it was listed (items before their
    // deletion, the list's own resourceVersion).
    let (items, listed_rv, _) =
        store.list_filtered(kind, req.ns(), None, usize::MAX, |o| filters.matches(kind, o));
    let mut deleted = Vec::with_capacity(items.len());
    for item in &items {
        let ns = meta_str(item, "namespace");
        let name = meta_str(item, "name").unwrap_or_default();
        match store.delete_opts(kind, ns, name, policy, &opts) {
            Ok(_) => deleted.push(std::sync::Arc::clone(item)),
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    let prefix = ListItem::type_meta(kind);
    let deleted: Vec<ListItem> = deleted
        .iter()
        .map(|d| bytes::Bytes::from(serde_json::to_vec(d.as_ref()).unwrap_or_default()))
        .map(|json| ListItem::without_type_meta(&prefix, json))
        .collect();
    let mut r = response::json_bytes(200, list_bytes(kind, listed_rv, None, &deleted));
    if kind == Kind::Job && propagation.is_none() {
        response::add_warning(&mut r, JOB_DELETE_WARNING);
    }
    Ok((r, !opts.dry_run && !deleted.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_leave_out_their_type_meta_as_they_are_written() {
        let prefix = ListItem::type_meta(Kind::Pod);
        let stored = br#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"},"spec":{}}"#;
        // Not as the store writes it (members in another order): decoded and written again.
        let other = br#"{"metadata":{"name":"b"},"apiVersion":"v1","kind":"Pod"}"#;
        let items = [stored.as_slice(), other]
            .map(|json| ListItem::without_type_meta(&prefix, bytes::Bytes::from_static(json)));
        let body = list_bytes(Kind::Pod, 7, None, &items);
        let list: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            list["items"],
            json!([{"metadata": {"name": "a"}, "spec": {}}, {"metadata": {"name": "b"}}])
        );
        // `len` is what `write_to` writes (the body is allocated once from it).
        assert_eq!(body.len() - body_head(&body), items[0].len() + 1 + items[1].len() + 2);
    }

    /// How many bytes of a list body come before its first item.
    fn body_head(body: &[u8]) -> usize {
        body.windows(9).position(|w| w == b"\"items\":[").unwrap() + 9
    }

    #[test]
    fn continue_tokens_round_trip() {
        let t = encode_continue(42, "ops", "b");
        assert_eq!(decode_continue(&t).unwrap(), (42, "ops".to_string(), "b".to_string()));
        let latest = encode_continue(-1, "ops", "b");
        assert_eq!(decode_continue(&latest).unwrap().0, -1);
        assert!(!t.contains('='), "RawURLEncoding: {t}");
        let e = |token: &str| decode_continue(token).unwrap_err().message;
        assert_eq!(
            e("not-a-token"),
            "invalid continue token: continue key is not valid: invalid character '\\u009e' looking for beginning of value"
        );
        assert_eq!(
            e("ab=c"),
            "invalid continue token: continue key is not valid: illegal base64 data at input byte 2"
        );
        let zero = RAW_URL.encode(r#"{"v":"meta.k8s.io/v1","rv":0,"start":"a"}"#);
        assert_eq!(
            e(&zero),
            "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        );
        assert_eq!(decode_continue("garbage!").unwrap_err().code, 400);
    }

    #[test]
    fn lists_pick_their_version_as_etcd3_get_list() {
        let at = |q: &str| {
            let q = Query::parse(Some(q));
            let limit = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(usize::MAX);
            list_at(&q, limit)
        };
        assert!(matches!(at("resourceVersion=7&resourceVersionMatch=Exact"), Ok(ListAt::Exact(7))));
        assert!(matches!(at("resourceVersion=7&limit=2"), Ok(ListAt::Exact(7))), "legacy exact");
        assert!(matches!(at("resourceVersion=0&limit=2"), Ok(ListAt::Latest)));
        assert!(matches!(at("resourceVersion=7"), Ok(ListAt::Latest)), "not older than");
        assert!(matches!(
            at("resourceVersion=7&limit=2&resourceVersionMatch=NotOlderThan"),
            Ok(ListAt::Latest)
        ));
        let token = encode_continue(9, "ns", "a");
        assert!(matches!(
            at(&format!("continue={token}&resourceVersion=0")),
            Ok(ListAt::Continue { rv: 9, .. })
        ));
        let latest = encode_continue(-1, "ns", "a");
        assert!(matches!(at(&format!("continue={latest}")), Ok(ListAt::Continue { rv: 0, .. })));
        let e = at(&format!("continue={token}&resourceVersion=3")).err().unwrap();
        assert_eq!(e.code, 400);
        let e = at("resourceVersion=x1&resourceVersionMatch=Exact").err().unwrap();
        assert_eq!(
            e.message,
            "invalid resource version: resourceVersion: Invalid value: \"x1\": strconv.ParseUint: parsing \"x1\": invalid syntax"
        );
    }

    #[test]
    fn list_options_are_validated_as_upstream() {
        let check = |q: &str| check_list_options(&Query::parse(Some(q)));
        assert!(check("resourceVersion=5&resourceVersionMatch=NotOlderThan").is_ok());
        assert!(check("limit=5").is_ok());
        let e = check("resourceVersionMatch=Exact").unwrap_err();
        assert_eq!((e.code, e.reason), (422, "Invalid"));
        assert_eq!(
            e.message,
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"
        );
        let e = check("resourceVersion=0&resourceVersionMatch=Exact").unwrap_err();
        assert!(
            e.message
                .ends_with("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""),
            "{}",
            e.message
        );
        let e = check("resourceVersion=3&resourceVersionMatch=Newest&continue=x").unwrap_err();
        assert_eq!(e.to_status()["details"]["causes"].as_array().unwrap().len(), 2);
    }
}
