//! Verbose request logging, like kubectl's `-v`/`--v=N` (klog levels), with every credential
//! masked.
//!
//! Levels follow client-go (`k8s.io/client-go/transport/round_trippers.go`,
//! `debuggingRoundTripper`, and `rest/request.go` `logBody`/`truncateBody`):
//!
//! - `>= 4`: each retry and why (client-go logs "Got a Retry-After ... response for attempt N"
//!   at V(4));
//! - `>= 6`: one line per request: `GET https://host/apis/... 200 OK in 5 milliseconds`;
//! - `>= 7`: the request line and its headers before it is sent;
//! - `>= 8`: response headers, and request/response bodies truncated to 1024 characters
//!   (10240 at `>= 9`, whole at `>= 10`), as `truncateBody` does.
//!
//! The layer sits *under* kube's auth layer in the client stack (see [`super::stack`]), so the
//! headers it prints are the ones sent, `Authorization` included, and `Authorization` values
//! go through [`mask_value`], client-go's `maskValue` (`Bearer <masked>`; unknown schemes become
//! `<masked>` whole). Every line also goes through [`redact`], which replaces any credential
//! this process registered ([`register_secret`]: the kubeconfig's token, token file, password),
//! anything shaped like a bearer token, and the value of any `token`/`password`-like field in
//! JSON or YAML (an exec plugin's `ExecCredential` in an error), so a token can appear neither in a log line nor in a
//! printed error (entry.rs redacts errors the same way).
//!
//! The verbosity is process-wide, as klog's `-v` is: set once by the process edge.

use std::fmt::Write as _;
use std::future::Future;
use std::io::Write as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Instant;

use http::{HeaderMap, Request, Response};

static VERBOSITY: AtomicU8 = AtomicU8::new(0);
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What replaces a credential.
pub const MASK: &str = "<masked>";

/// Sets the process-wide verbosity (`-v`).
pub fn set_verbosity(level: u8) {
    VERBOSITY.store(level, Ordering::Relaxed);
}

/// The process-wide verbosity.
pub fn verbosity() -> u8 {
    VERBOSITY.load(Ordering::Relaxed)
}

/// Whether lines of `level` are logged.
pub fn enabled(level: u8) -> bool {
    verbosity() >= level
}

/// Remembers a credential so [`redact`] removes it from anything printed. Values shorter than
/// 4 characters are ignored (they would mask ordinary words).
pub fn register_secret(secret: &str) {
    let secret = secret.trim();
    if secret.len() < 4 {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_owned());
    }
}

/// `text` with every registered credential, and the credential part of anything shaped like
/// `Bearer TOKEN` / `Basic CREDENTIALS`, replaced by `<masked>`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    for secret in SECRETS.lock().unwrap_or_else(PoisonError::into_inner).iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    mask_fields(&mask_schemes(&out))
}

/// Keys whose values are credentials, in kubeconfig YAML and ExecCredential JSON (an exec
/// plugin's output can end up in an error message).
const SECRET_KEYS: [&str; 6] =
    ["token", "access-token", "id-token", "client-key-data", "password", "refresh-token"];

/// Replaces the value after `"KEY":` or `KEY:` (quoted or bare) for every [`SECRET_KEYS`] key.
fn mask_fields(text: &str) -> String {
    let mut out = text.to_owned();
    for key in SECRET_KEYS {
        for marker in [format!("\"{key}\":"), format!("{key}:")] {
            out = mask_after(&out, &marker);
        }
    }
    out
}

fn mask_after(text: &str, marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let after = at + marker.len();
        out.push_str(&rest[..after]);
        let tail = &rest[after..];
        let spaces = tail.len() - tail.trim_start_matches([' ', '\t']).len();
        out.push_str(&tail[..spaces]);
        let value = &tail[spaces..];
        let (quote, body) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
            _ => (None, value),
        };
        let end = match quote {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
                .unwrap_or(body.len()),
        };
        if let Some(q) = quote {
            out.push(q);
        }
        if end > 0 && &body[..end] != MASK {
            out.push_str(MASK);
        } else {
            out.push_str(&body[..end]);
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces the word after `Bearer `/`Basic ` (any case) with `<masked>`.
fn mask_schemes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, scheme_len)) = find_scheme(rest) {
        let after = start + scheme_len;
        out.push_str(&rest[..after]);
        let tail = &rest[after..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')' | '}' | ']'))
            .unwrap_or(tail.len());
        if end > 0 && &tail[..end] != MASK {
            out.push_str(MASK);
        } else {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The first `bearer ` or `basic ` (any case, at a word start), as (offset, length).
fn find_scheme(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    ["bearer ", "basic "]
        .iter()
        .filter_map(|scheme| {
            lower
                .match_indices(scheme)
                .find(|(i, _)| *i == 0 || !lower.as_bytes()[*i - 1].is_ascii_alphanumeric())
                .map(|(i, _)| (i, scheme.len()))
        })
        .min()
}

/// client-go's `maskValue`: an `Authorization` value keeps its scheme when it is a known one
/// (`Bearer`, `Basic`, `Negotiate`) and loses the rest; an unknown scheme is masked whole.
/// Other headers are returned as they are.
pub fn mask_value(name: &str, value: &str) -> String {
    if !name.eq_ignore_ascii_case("authorization") {
        return value.to_owned();
    }
    if value.is_empty() {
        return String::new();
    }
    let scheme = value.split_once(' ').map_or(value, |(scheme, _)| scheme);
    if !["bearer", "basic", "negotiate"].contains(&scheme.to_ascii_lowercase().as_str()) {
        return MASK.to_owned();
    }
    if value.len() > scheme.len() + 1 { format!("{scheme} {MASK}") } else { scheme.to_owned() }
}

/// Writes one log line to stderr (redacted), if `level` is enabled.
pub fn log(level: u8, line: impl FnOnce() -> String) {
    if enabled(level) {
        let text = redact(&line());
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{text}");
    }
}

/// `Request Headers:` / `Response Headers:` and one indented, masked line per header.
pub fn headers_text(title: &str, headers: &HeaderMap) -> String {
    let mut text = format!("{title}:");
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        let _ = write!(
            text,
            "\n    {}: {}",
            canonical(name.as_str()),
            mask_value(name.as_str(), &value)
        );
    }
    text
}

/// `content-type` -> `Content-Type`, as Go prints header names.
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A body as client-go's `logBody` prints it at the current level: truncated to 1024
/// characters at 8, 10240 at 9, whole at 10 and above.
pub fn body_text(prefix: &str, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let max = match verbosity() {
        0..=8 => 1024,
        9 => 10240,
        _ => usize::MAX,
    };
    let count = text.chars().count();
    if count <= max {
        return format!("{prefix}: {text}");
    }
    let kept: String = text.chars().take(max).collect();
    format!("{prefix}: {kept} [truncated {} chars]", count - max)
}

/// `200 OK`, as Go's `Response.Status` prints it.
fn status_text(status: http::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// The logging layer; see the module docs.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceLayer;

impl<S> tower::Layer<S> for TraceLayer {
    type Service = Trace<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Trace { inner }
    }
}

/// The service [`TraceLayer`] wraps around the connection pool.
#[derive(Debug, Clone)]
pub struct Trace<S> {
    inner: S,
}

impl<S, B, RB> tower::Service<Request<B>> for Trace<S>
where
    S: tower::Service<Request<B>, Response = Response<RB>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // kube builds watch URLs as `PATH?&watch=true...`: one `?`, as kubectl sends (and -v 6
        // prints what is sent).
        if let Some(uri) = super::request::tidy_uri(request.uri()) {
            *request.uri_mut() = uri;
        }
        let method = request.method().clone();
        let url = request.uri().to_string();
        log(7, || {
            format!("{method} {url}\n{}", headers_text("Request Headers", request.headers()))
        });
        let started = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            let result = response.await;
            let millis = started.elapsed().as_millis();
            match &result {
                Ok(response) => {
                    log(6, || {
                        format!(
                            "{method} {url} {} in {millis} milliseconds",
                            status_text(response.status())
                        )
                    });
                    log(8, || headers_text("Response Headers", response.headers()));
                }
                Err(err) => log(6, || format!("{method} {url}  in {millis} milliseconds: {err}")),
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_masked_like_client_go() {
        assert_eq!(mask_value("Authorization", "Bearer abc.def"), "Bearer <masked>");
        assert_eq!(mask_value("authorization", "Basic dXNlcjpwYXNz"), "Basic <masked>");
        assert_eq!(mask_value("Authorization", "Bearer"), "Bearer");
        assert_eq!(mask_value("Authorization", "Token abc"), "<masked>");
        assert_eq!(mask_value("Authorization", "abc"), "<masked>");
        assert_eq!(mask_value("Authorization", ""), "");
        assert_eq!(mask_value("Accept", "application/json"), "application/json");
    }

    #[test]
    fn redaction_masks_registered_secrets_and_bearer_words() {
        register_secret("kuul-test-secret-0123456789");
        register_secret("ab");
        let text = "token kuul-test-secret-0123456789 and \"Authorization: Bearer xyz.123\", ab";
        assert_eq!(redact(text), "token <masked> and \"Authorization: Bearer <masked>\", ab");
        assert_eq!(redact("bearer <masked>"), "bearer <masked>");
        assert_eq!(redact("unbearer x"), "unbearer x");
        assert_eq!(redact("BASIC dXNl\nnext"), "BASIC <masked>\nnext");
    }

    #[test]
    fn credential_fields_are_masked_in_json_and_yaml() {
        let exec = r#"exec output: {"kind":"ExecCredential","status":{"token":"abc.def-1","expirationTimestamp":"x"}}"#;
        assert_eq!(
            redact(exec),
            r#"exec output: {"kind":"ExecCredential","status":{"token":"<masked>","expirationTimestamp":"x"}}"#
        );
        assert_eq!(redact("user:\n    token: abc123\n"), "user:\n    token: <masked>\n");
        assert_eq!(redact("client-key-data: LS0t, next"), "client-key-data: <masked>, next");
        assert_eq!(redact("id-token: ''"), "id-token: ''");
        assert_eq!(redact("no secrets here"), "no secrets here");
    }

    #[test]
    fn headers_print_canonical_names_and_masked_values() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer s3cr3t-value".parse().unwrap());
        headers.insert("content-type", "application/json".parse().unwrap());
        let text = headers_text("Request Headers", &headers);
        assert_eq!(
            text,
            "Request Headers:\n    Authorization: Bearer <masked>\n    Content-Type: application/json"
        );
    }

    #[test]
    fn bodies_are_truncated_like_client_go_at_level_8() {
        let body = "x".repeat(1030);
        let text = body_text("Response Body", body.as_bytes());
        assert!(text.ends_with(" [truncated 6 chars]"), "{text}");
        assert_eq!(body_text("Request Body", b"{}"), "Request Body: {}");
    }

    #[test]
    fn status_prints_like_go() {
        assert_eq!(status_text(http::StatusCode::OK), "200 OK");
        assert_eq!(status_text(http::StatusCode::TOO_MANY_REQUESTS), "429 Too Many Requests");
    }
}
