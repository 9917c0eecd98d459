//! The sandbox admin API under `/kuul-sandbox/v1/` (admin token only): clock, advance, settle,
//! faults and latency, request counts, the registry's missing images. Documented in the crate
//! README.

use std::sync::Arc;

use http::{Method, Response};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::api::ApiState;
use crate::api::response::{self, Body};
use crate::error::ApiError;
use crate::faults::FaultConfig;

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

fn clock_json(state: &ApiState) -> Value {
    json!({"now": state.clock.now().to_string(), "speed": state.clock.speed(),
        "nextWakeup": state.control_plane.next_wakeup().map(|t| t.to_string())})
}

fn registry_json(state: &ApiState) -> Value {
    json!({"missing": state.control_plane.registry().missing()})
}

/// Parses a duration given as Go/`humantime`-style text (`90s`, `1h30m`) or ISO 8601.
pub fn parse_duration(s: &str) -> Result<SignedDuration, ApiError> {
    crate::controllers::kubelet::parse_go_duration(s)
        .or_else(|| s.parse::<SignedDuration>().ok())
        .ok_or_else(|| ApiError::bad_request(format!("invalid duration: {s:?}")))
}

fn field<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// Runs `advance_to(t)` off the async threads.
pub async fn advance_to(state: &Arc<ApiState>, t: Timestamp) {
    let me = Arc::clone(state);
    let _ = tokio::task::spawn_blocking(move || me.control_plane.advance_to(t)).await;
}

/// Handles `/kuul-sandbox/v1/{rest}`.
pub async fn handle(
    state: &Arc<ApiState>,
    method: &Method,
    rest: &str,
    body: &[u8],
) -> Result<Response<Body>, ApiError> {
    match (method.as_str(), rest) {
        ("GET", "clock") => Ok(response::json(200, &clock_json(state))),
        ("PUT", "clock") => {
            let b = parse_body(body)?;
            if let Some(speed) = b.get("speed").and_then(Value::as_f64) {
                state.clock.set_speed(speed);
            }
            if let Some(now) = field(&b, "now") {
                let t: Timestamp = now
                    .parse()
                    .map_err(|e| ApiError::bad_request(format!("invalid time {now:?}: {e}")))?;
                state.clock.set(t);
                state.reconcile().await;
            }
            Ok(response::json(200, &clock_json(state)))
        }
        ("POST", "advance") => {
            let b = parse_body(body)?;
            let target = match (field(&b, "by"), field(&b, "to")) {
                (Some(by), _) => state.clock.now() + parse_duration(by)?,
                (None, Some(to)) => to
                    .parse()
                    .map_err(|e| ApiError::bad_request(format!("invalid time {to:?}: {e}")))?,
                (None, None) => {
                    return Err(ApiError::bad_request("advance needs \"by\" or \"to\""));
                }
            };
            advance_to(state, target).await;
            Ok(response::json(200, &clock_json(state)))
        }
        ("POST", "settle") => {
            state.reconcile().await;
            Ok(response::json(200, &clock_json(state)))
        }
        ("POST", "compact") => {
            let compacted = state.store.compact();
            Ok(response::json(200, &json!({"compactedResourceVersion": compacted.to_string()})))
        }
        ("GET", "faults") => Ok(response::json(200, &json!(state.faults.config()))),
        ("PUT", "faults") => {
            let cfg: FaultConfig = serde_json::from_slice(body)
                .map_err(|e| ApiError::bad_request(format!("invalid fault configuration: {e}")))?;
            state.faults.set(cfg);
            Ok(response::json(200, &json!(state.faults.config())))
        }
        ("PUT", "latency") => {
            let b = parse_body(body)?;
            let d = parse_duration(field(&b, "latency").unwrap_or("0s"))?;
            let mut cfg = state.faults.config();
            cfg.latency_ms = u64::try_from(d.as_millis()).unwrap_or(0);
            state.faults.set(cfg);
            Ok(response::json(200, &json!(state.faults.config())))
        }
        ("GET", "registry") => Ok(response::json(200, &registry_json(state))),
        ("PUT", "registry") => {
            let b = parse_body(body)?;
            let missing = match b.get("missing") {
                None => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| ApiError::bad_request("\"missing\" must list image names"))?,
                Some(_) => return Err(ApiError::bad_request("\"missing\" must list image names")),
            };
            state.control_plane.registry().set_missing(missing);
            state.reconcile().await;
            Ok(response::json(200, &registry_json(state)))
        }
        ("GET", "requests") => {
            Ok(response::json(200, &json!({"requests": state.counts.snapshot()})))
        }
        ("DELETE", "requests") => {
            state.counts.reset();
            Ok(response::json(200, &json!({"requests": []})))
        }
        (
            _,
            "clock" | "advance" | "settle" | "compact" | "faults" | "latency" | "requests"
            | "registry",
        ) => Err(ApiError::method_not_allowed()),
        _ => Err(ApiError::path_not_found()),
    }
}
