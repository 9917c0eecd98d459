//! The Kubernetes REST API the sandbox serves: request pipeline (body limit, authentication,
//! request counting, RBAC, latency and faults), then discovery, resources, watch and logs.
//!
//! Pipeline order follows the real server's filter chain (`apiserver/pkg/server/config.go`
//! `DefaultBuildHandlerChain`): authentication, then authorization, then the handler.

pub mod access_review;
pub mod decode;
pub mod discovery;
pub mod gojson;
pub mod logs;
pub mod openapi;
pub mod patch;
pub mod protobuf;
pub mod query;
pub mod resource;
pub mod response;
pub mod route;
pub mod selectors;
pub mod table;
pub mod watch;

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Response, header};
use http_body_util::{BodyExt, Limited};

use self::query::Query;
use self::response::Body;
use self::route::{ResourcePath, Route};
use crate::auth::{self, Tokens, User};
use crate::clock::Clock;
use crate::control_plane::ControlPlane;
use crate::error::ApiError;
use crate::faults::{Fault, Faults};
use crate::metrics::{RequestCounts, RequestKey};
use crate::store::Store;

/// Largest request body accepted (upstream `maxRequestBodyBytes`, 3 MiB).
pub const MAX_BODY: usize = 3 * 1024 * 1024;

/// Everything the request handlers share.
pub struct ApiState {
    /// The objects.
    pub store: Store,
    /// The sandbox clock.
    pub clock: Clock,
    /// The simulated control plane, reconciled after every successful write.
    pub control_plane: Arc<ControlPlane>,
    /// Accepted bearer tokens.
    pub tokens: Tokens,
    /// Fault injection and latency.
    pub faults: Faults,
    /// Request counters.
    pub counts: RequestCounts,
    /// `host:port` the server listens on (for `/api`'s serverAddressByClientCIDRs).
    pub address: String,
}

/// What to do with a request.
pub enum Outcome {
    /// Send this response.
    Respond(Response<Body>),
    /// Close the connection without a response (injected fault).
    Drop,
}

impl ApiState {
    /// Runs the control plane until quiet, off the async threads.
    pub async fn reconcile(self: &Arc<Self>) {
        let me = Arc::clone(self);
        let _ = tokio::task::spawn_blocking(move || me.control_plane.reconcile_pending()).await;
    }
}

fn header_str(req: &http::request::Parts, name: header::HeaderName) -> String {
    req.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// Handles one request end to end (the `Date` header is added by the caller).
pub async fn handle(state: Arc<ApiState>, req: http::Request<hyper::body::Incoming>) -> Outcome {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            let err = if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                ApiError::too_large(MAX_BODY)
            } else {
                ApiError::bad_request(format!("error reading request body: {e}"))
            };
            return Outcome::Respond(response::error(&err));
        }
    };
    match dispatch(&state, &parts, body).await {
        Ok(o) => o,
        Err(e) => Outcome::Respond(response::error(&e)),
    }
}

async fn dispatch(
    state: &Arc<ApiState>,
    parts: &http::request::Parts,
    body: Bytes,
) -> Result<Outcome, ApiError> {
    let (path, hint) = auth::strip_user_prefix(parts.uri.path());
    let user = state.tokens.authenticate(
        parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()),
        hint,
    )?;
    let user = match parts.headers.get("impersonate-user").and_then(|v| v.to_str().ok()) {
        Some(name) => user.impersonate(name)?,
        None => user,
    };
    let query = Query::parse(parts.uri.query());
    let accept = header_str(parts, header::ACCEPT);
    let route = route::route(path);
    if let Route::Admin(rest) = &route {
        if user != User::Admin {
            return Err(
                ApiError::bad_request("the admin API needs the admin user").forbidden_code()
            );
        }
        return Ok(Outcome::Respond(
            crate::admin::handle(state, &parts.method, rest, &body).await?,
        ));
    }
    if route == Route::SelfSubjectAccessReview {
        if parts.method != Method::POST {
            return Err(ApiError::method_not_allowed());
        }
        state.counts.record(RequestKey {
            verb: "create".into(),
            group: access_review::GROUP.into(),
            resource: "selfsubjectaccessreviews".into(),
            namespace: None,
            user: user.name().to_string(),
        });
        return Ok(Outcome::Respond(response::json(
            201,
            &access_review::review(user, &header_str(parts, header::CONTENT_TYPE), &body)?,
        )));
    }
    let Route::Resource(rp) = route else {
        if parts.method != Method::GET && parts.method != Method::HEAD {
            return Err(ApiError::method_not_allowed());
        }
        if route == Route::OpenApiV2 {
            let if_none_match = header_str(parts, header::IF_NONE_MATCH);
            return Ok(Outcome::Respond(openapi::v2_response(&accept, &if_none_match)));
        }
        return Ok(Outcome::Respond(discovery_response(state, &route, &accept)?));
    };
    let watch = query.flag("watch");
    let Some(verb) = route::verb(&parts.method, &rp, watch) else {
        return Err(ApiError::method_not_allowed());
    };
    if rp.sub.is_none() && !discovery::verbs(rp.kind).contains(&verb) {
        // e.g. deletecollection on namespaces, which upstream does not serve.
        return Err(ApiError::method_not_allowed());
    }
    check_subresource(&rp, verb)?;
    match verb {
        "create" => query.check_dry_run("CreateOptions")?,
        "update" => query.check_dry_run("UpdateOptions")?,
        "patch" => query.check_dry_run("PatchOptions")?,
        "delete" | "deletecollection" => query.check_dry_run("DeleteOptions")?,
        _ => {}
    }
    let sub_suffix = rp.sub.as_deref().map(|s| format!("/{s}")).unwrap_or_default();
    state.counts.record(RequestKey {
        verb: verb.to_string(),
        group: rp.kind.group().to_string(),
        resource: format!("{}{sub_suffix}", rp.kind.plural()),
        namespace: rp.namespace.clone(),
        user: user.name().to_string(),
    });
    user.authorize(verb, rp.kind, rp.namespace.as_deref(), rp.name.as_deref().unwrap_or_default())?;
    let latency = state.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let is_write = !matches!(verb, "get" | "list" | "watch");
    match state.faults.decide(is_write) {
        Some(Fault::Drop) => return Ok(Outcome::Drop),
        Some(Fault::Fail(e)) => return Err(e),
        None => {}
    }
    let req = resource::Request {
        kind: rp.kind,
        namespace: rp.namespace.clone(),
        name: rp.name.clone(),
        sub: rp.sub.clone(),
        query,
        accept,
        content_type: header_str(parts, header::CONTENT_TYPE),
        body,
    };
    let store = &state.store;
    let (resp, changed) = match verb {
        "get" if rp.sub.as_deref() == Some("log") => (logs::logs(store, &req)?, false),
        "get" => resource::get(store, &req)?,
        "list" => resource::list(store, &req)?,
        "watch" => (watch::watch(store, &req)?, false),
        "create" => resource::create(store, &req)?,
        "update" => resource::update(store, &req)?,
        "patch" => resource::patch(store, &req)?,
        "delete" => resource::delete(store, &req)?,
        _ => resource::delete_collection(store, &req)?,
    };
    if changed {
        state.reconcile().await;
    }
    Ok(Outcome::Respond(resp))
}

/// Subresources exist only where upstream has them, with the verbs it allows.
fn check_subresource(rp: &ResourcePath, verb: &str) -> Result<(), ApiError> {
    match rp.sub.as_deref() {
        None => Ok(()),
        Some("status") if rp.kind.has_status() => {
            if matches!(verb, "get" | "update" | "patch") {
                Ok(())
            } else {
                Err(ApiError::method_not_allowed())
            }
        }
        Some("log") if rp.kind == crate::kind::Kind::Pod => {
            if verb == "get" {
                Ok(())
            } else {
                Err(ApiError::method_not_allowed())
            }
        }
        Some(_) => Err(ApiError::path_not_found()),
    }
}

fn discovery_response(
    state: &ApiState,
    route: &Route,
    accept: &str,
) -> Result<Response<Body>, ApiError> {
    let aggregated = discovery::wants_aggregated(accept);
    let mut r = match route {
        Route::Version => response::json(200, &discovery::version()),
        Route::Health => {
            let mut r = Response::new(response::full("ok"));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            r
        }
        Route::Api if aggregated => response::json(200, &discovery::aggregated(true)),
        Route::Apis if aggregated => response::json(200, &discovery::aggregated(false)),
        Route::Api => response::json(200, &discovery::api_versions(&state.address)),
        Route::Apis => response::json(200, &discovery::group_list()),
        Route::Group(g) => response::json(200, &discovery::group(g)),
        Route::GroupVersion(gv) => response::json(200, &discovery::resource_list(gv)),
        Route::OpenApiV3Root => response::json(200, &openapi::v3_root()),
        Route::OpenApiV3(gv) => response::json(
            200,
            &openapi::v3_group_version(gv).ok_or_else(ApiError::path_not_found)?,
        ),
        Route::OpenApiV2
        | Route::NotFound
        | Route::Resource(_)
        | Route::Admin(_)
        | Route::SelfSubjectAccessReview => {
            return Err(ApiError::path_not_found());
        }
    };
    if aggregated && matches!(route, Route::Api | Route::Apis) {
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(discovery::AGGREGATED_CONTENT_TYPE),
        );
    }
    Ok(r)
}

impl ApiError {
    /// The same message as a 403 Forbidden.
    fn forbidden_code(mut self) -> ApiError {
        self.code = 403;
        self.reason = "Forbidden";
        self
    }
}
