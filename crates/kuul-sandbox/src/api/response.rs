//! Response building: JSON bodies, `metav1.Status` errors and streamed bodies, all stamped with
//! the sandbox clock's `Date` header (clients such as `kubectl kuul` read "now" from it).

use std::convert::Infallible;

use bytes::Bytes;
use futures::channel::mpsc;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use serde_json::Value;

use crate::error::ApiError;

/// The body type of every sandbox response.
pub type Body = BoxBody<Bytes, Infallible>;

/// An HTTP `Date` value (IMF-fixdate) for a sandbox time.
pub fn http_date(t: jiff::Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A complete body.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// A 200/201 JSON response from already-serialised bytes.
pub fn json_bytes(code: u16, bytes: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(bytes));
    *r.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// A JSON response.
pub fn json(code: u16, v: &Value) -> Response<Body> {
    json_bytes(code, serde_json::to_vec(v).unwrap_or_default())
}

/// The `metav1.Status` response for an error (with `Retry-After` when it carries one).
pub fn error(e: &ApiError) -> Response<Body> {
    let mut r = json(e.code, &e.to_status());
    if let Some(secs) = e.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// A streamed response whose chunks are sent on the returned channel; dropping the sender
/// ends the response.
pub fn stream(content_type: &'static str) -> (mpsc::Sender<Bytes>, Response<Body>) {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let body =
        StreamBody::new(futures::StreamExt::map(rx, |b| Ok::<_, Infallible>(Frame::data(b))));
    let mut r = Response::new(BodyExt::boxed(body));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    (tx, r)
}

/// Adds a `Warning: 299 - "..."` header (upstream `warning.AddWarning`).
pub fn add_warning(r: &mut Response<Body>, text: &str) {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    if let Ok(v) = HeaderValue::from_str(&format!("299 - \"{escaped}\"")) {
        r.headers_mut().append(header::WARNING, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_header_is_imf_fixdate() {
        let t: jiff::Timestamp = "2025-03-01T09:59:30Z".parse().unwrap();
        assert_eq!(http_date(t), "Sat, 01 Mar 2025 09:59:30 GMT");
    }
}
