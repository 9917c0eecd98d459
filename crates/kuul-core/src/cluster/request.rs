//! `Cluster`: every request kuul sends, with one timeout, one bounded retry policy, one error
//! mapping, and the API server's clock read from every response.
//!
//! Retries: reads (GET, list pages) are retried on 429 (honouring `Retry-After`), 5xx and dropped
//! connections; writes only on 429 and on connections refused before anything was sent, because
//! a write that may have been applied must be re-read and re-decided by the caller (the bulk
//! engine does that). Everything ends within `--request-timeout`.

use std::time::Duration;

use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::Resource;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::clock::{ClockSource, ServerClock};
use super::connect::connect_timeout;
use super::errors::{self, RequestInfo};
use super::{stack, trace};
use crate::error::{Error, Result};

/// Attempts per request, first one included.
const MAX_ATTEMPTS: u32 = 4;
/// Attempts when the server keeps answering 429: it did nothing and asked us to come back, so
/// we do, like client-go (`maxRetries` = 10 in `rest.NewRequest`), still within
/// `--request-timeout`.
const MAX_THROTTLED_ATTEMPTS: u32 = 10;
/// Longest wait between attempts when the server gave no `Retry-After`.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The `fieldManager` of every create and patch kuul sends, so `managedFields` name kuul as
/// the writer (kubectl names its own per command: `kubectl-create`, `kubectl-patch`, ...;
/// `staging/src/k8s.io/kubectl/pkg/cmd/create/create.go`, 1.33). `history` reads it back to
/// say a manual run was made by `kuul trigger`.
pub(crate) const FIELD_MANAGER: &str = "kubectl-kuul";

/// Label and field selectors for a list.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// `labelSelector`.
    pub label_selector: Option<String>,
    /// `fieldSelector`.
    pub field_selector: Option<String>,
}

/// Whether a write is sent for real or with `dryRun=All`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Store the change.
    Apply,
    /// Let the server validate it and store nothing (`--dry-run=server`).
    ServerDryRun,
}

/// Where a 2xx body goes as it arrives, instead of into one buffer (list pages: see
/// `list.rs`).
pub(crate) trait BodySink: Send {
    /// An attempt's body starts: forget what an earlier attempt delivered.
    fn reset(&mut self);
    /// The next bytes of the body; an error here is a decode error (not retried).
    fn chunk(&mut self, bytes: &[u8]) -> std::result::Result<(), String>;
    /// The body ended.
    fn finish(&mut self) -> std::result::Result<(), String>;
}

/// A connected cluster.
#[derive(Clone)]
pub struct Cluster {
    client: kube::Client,
    server: String,
    timeout: Option<Duration>,
    clock: ServerClock,
}

impl Cluster {
    /// A cluster reached through `config`. kube's own retry layer is switched off (it may wait
    /// minutes on 429); ours is bounded.
    pub fn new(
        mut config: kube::Config,
        timeout: Option<Duration>,
        clock: ServerClock,
    ) -> Result<Self> {
        config.default_retry = false;
        config.connect_timeout = Some(connect_timeout(timeout));
        config.read_timeout = timeout;
        config.write_timeout = timeout;
        let server = config.cluster_url.to_string().trim_end_matches('/').to_owned();
        register_secrets(&config.auth_info);
        let client = stack::client(&config)?;
        Ok(Cluster { client, server, timeout, clock })
    }

    /// The API server URL, for messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The underlying kube client, for streams (watch, logs) that need no retry layer.
    pub fn client(&self) -> &kube::Client {
        &self.client
    }

    /// The cluster's "now" (see [`ServerClock`]).
    pub fn now(&self) -> (jiff::Timestamp, ClockSource) {
        self.clock.now()
    }

    /// The clock observer, for streams that read headers themselves.
    pub fn clock(&self) -> &ServerClock {
        &self.clock
    }

    /// Gets one object; a missing one is [`Error::NotFound`] (without suggestions: callers that
    /// can suggest names add them).
    pub async fn get<K, T>(&self, namespace: Option<&str>, name: &str) -> Result<T>
    where
        K: Resource<DynamicType = ()>,
        T: DeserializeOwned,
    {
        let url = K::url_path(&(), namespace);
        let request =
            kube::core::Request::new(url).get(name, &Default::default()).map_err(errors::build)?;
        self.send(request, &RequestInfo::of::<K>("get", namespace, Some(name))).await
    }

    /// Creates an object. A create with a fixed name is replayed after a 5xx or a dropped
    /// connection: it cannot make a second object, because if the first attempt landed the
    /// replay is refused with 409 AlreadyExists, and then the object found under that name is
    /// returned when it carries every label, annotation and owner we sent (it is the one we
    /// made), else the 409 stands. A `generateName` create is sent once (a replay would make a
    /// second object).
    pub async fn create<K>(&self, namespace: Option<&str>, object: &K, write: Write) -> Result<K>
    where
        K: Resource<DynamicType = ()> + Serialize + DeserializeOwned,
    {
        let url = K::url_path(&(), namespace);
        let params = PostParams {
            dry_run: write == Write::ServerDryRun,
            field_manager: Some(FIELD_MANAGER.to_owned()),
        };
        let body = serde_json::to_vec(object).map_err(|e| Error::Decode(e.to_string()))?;
        let request = kube::core::Request::new(url).create(&params, body).map_err(errors::build)?;
        let meta = object.meta();
        let info = RequestInfo::of::<K>(
            "create",
            namespace,
            meta.name.as_deref().or(meta.generate_name.as_deref()),
        );
        let Some(name) = meta.name.as_deref() else {
            return decode(&self.send_raw(request, &info, Replay::Once).await.0?, &info);
        };
        match self.send_raw(request, &info, Replay::Idempotent).await {
            (Ok(bytes), _) => decode(&bytes, &info),
            (Err(err @ Error::Api { code: 409, .. }), true) if is_already_exists(&err) => {
                let existing: K = self.get::<K, K>(namespace, name).await?;
                if made_by(meta, existing.meta()) { Ok(existing) } else { Err(err) }
            }
            (Err(err), _) => Err(err),
        }
    }

    /// Patches an object (merge, JSON or strategic patch), returning the new object as `T`.
    /// Merge, strategic and apply patches set values, so sending one again after a 5xx or a
    /// dropped connection changes nothing more than the first (and one carrying a
    /// `resourceVersion` precondition gets a 409 the caller re-decides on); JSON patches are
    /// sent once.
    pub async fn patch<K, T, P>(
        &self,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch<P>,
        write: Write,
    ) -> Result<T>
    where
        K: Resource<DynamicType = ()>,
        T: DeserializeOwned,
        P: Serialize + std::fmt::Debug,
    {
        let url = K::url_path(&(), namespace);
        let params = PatchParams {
            dry_run: write == Write::ServerDryRun,
            field_manager: Some(FIELD_MANAGER.to_owned()),
            ..Default::default()
        };
        let request =
            kube::core::Request::new(url).patch(name, &params, patch).map_err(errors::build)?;
        let replay = match patch {
            Patch::Json(_) => Replay::Once,
            _ => Replay::Idempotent,
        };
        let info = RequestInfo::of::<K>("patch", namespace, Some(name));
        decode(&self.send_raw(request, &info, replay).await.0?, &info)
    }

    /// Deletes an object with the given propagation and preconditions.
    pub async fn delete<K>(
        &self,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<()>
    where
        K: Resource<DynamicType = ()>,
    {
        let url = K::url_path(&(), namespace);
        let request = kube::core::Request::new(url).delete(name, params).map_err(errors::build)?;
        let _: serde_json::Value =
            self.send(request, &RequestInfo::of::<K>("delete", namespace, Some(name))).await?;
        Ok(())
    }

    /// Sends one request with the retry policy and decodes a 2xx body as `T`. GETs are
    /// replayed after any transient failure, other verbs only after a 429 or a refused
    /// connection.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        request: Request<Vec<u8>>,
        info: &RequestInfo,
    ) -> Result<T> {
        let replay =
            if request.method() == Method::GET { Replay::Idempotent } else { Replay::Once };
        decode(&self.send_raw(request, info, replay).await.0?, info)
    }

    /// Sends a GET with the retry policy, its 2xx body going to `sink` as it arrives. A body
    /// that breaks off is a dropped connection: the request is sent again (the sink starts
    /// over).
    pub(crate) async fn send_streamed(
        &self,
        request: Request<Vec<u8>>,
        info: &RequestInfo,
        sink: &mut (dyn BodySink + 'static),
    ) -> Result<()> {
        self.send_with(request, info, Replay::Idempotent, Some(sink)).await.0.map(|_| ())
    }

    pub(super) async fn send_raw(
        &self,
        request: Request<Vec<u8>>,
        info: &RequestInfo,
        replay: Replay,
    ) -> (Result<bytes::Bytes>, bool) {
        self.send_with(request, info, replay, None).await
    }

    /// The retry loop (client-go's `rest.Request` `request`/`retryFn` is the model: it retries
    /// a 429 or 5xx whose `Retry-After` says when (`checkWait`), and connection resets of GETs
    /// (`IsRetryableError`), up to `maxRetries` = 10 with no overall bound). Ours: at most
    /// [`MAX_ATTEMPTS`] ([`MAX_THROTTLED_ATTEMPTS`] while the answer is 429), all within
    /// `--request-timeout`; a 429 waits its `Retry-After` (or the backoff when it has none) on
    /// every verb, since a 429 means nothing was done; 5xx and
    /// dropped connections are retried only for requests that can be replayed ([`Replay`]).
    /// Also returns whether an earlier attempt may have landed (a 5xx or a dropped connection
    /// was retried), which `create` needs to read a 409 right.
    async fn send_with(
        &self,
        mut request: Request<Vec<u8>>,
        info: &RequestInfo,
        replay: Replay,
        mut sink: Option<&mut (dyn BodySink + 'static)>,
    ) -> (Result<bytes::Bytes>, bool) {
        tidy_query(&mut request);
        let deadline = self.timeout.map(|t| Instant::now() + t);
        let replayable = replay == Replay::Idempotent;
        let mut attempt = 1;
        let mut ambiguous = false;
        loop {
            let outcome =
                self.attempt(clone_request(&request), deadline, sink.as_deref_mut()).await;
            let retry_after = match &outcome {
                Ok((status, _, retry_after)) if *status == StatusCode::TOO_MANY_REQUESTS => {
                    Some(retry_after.unwrap_or_else(|| backoff(attempt)))
                }
                Ok((status, _, _)) if replayable && status.is_server_error() => {
                    Some(backoff(attempt))
                }
                Err(Failure::Refused(_)) => Some(backoff(attempt)),
                Err(Failure::Transport(_)) if replayable => Some(backoff(attempt)),
                _ => None,
            };
            let throttled =
                matches!(&outcome, Ok((status, _, _)) if *status == StatusCode::TOO_MANY_REQUESTS);
            let limit = if throttled { MAX_THROTTLED_ATTEMPTS } else { MAX_ATTEMPTS };
            let wait_fits = |wait: Duration| {
                attempt < limit && deadline.is_none_or(|d| Instant::now() + wait < d)
            };
            let result = match (outcome, retry_after) {
                (outcome, Some(wait)) if wait_fits(wait) => {
                    trace::log(4, || {
                        format!(
                            "retrying {} {}{} in {}ms (attempt {} of {limit}) after {}",
                            request.method(),
                            self.server,
                            request.uri(),
                            wait.as_millis(),
                            attempt + 1,
                            describe(&outcome)
                        )
                    });
                    ambiguous |= matches!(
                        &outcome,
                        Ok((status, _, _)) if status.is_server_error()
                    ) || matches!(&outcome, Err(Failure::Transport(_)));
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
                (Ok((status, body, _)), _) if status.is_success() => Ok(body),
                (Ok((status, body, _)), _) => Err(transient_in_context(
                    status,
                    errors::from_status(status, &body, info, &self.server),
                    info,
                )),
                (Err(Failure::TimedOut), _) => Err(self.timeout_error()),
                (Err(Failure::Decode(message)), _) => {
                    Err(Error::Decode(format!("{} {}: {message}", info.verb, info.resource_name())))
                }
                (Err(Failure::Refused(err) | Failure::Transport(err)), _) => {
                    Err(errors::transport(err, &self.server, self.timeout))
                }
            };
            return (result, ambiguous);
        }
    }

    async fn attempt(
        &self,
        request: Request<Vec<u8>>,
        deadline: Option<Instant>,
        sink: Option<&mut (dyn BodySink + 'static)>,
    ) -> Result<(StatusCode, bytes::Bytes, Option<Duration>), Failure> {
        if !request.body().is_empty() {
            trace::log(8, || trace::body_text("Request Body", request.body()));
        }
        let exchange = async {
            let response =
                self.client.send(request.map(kube::client::Body::from)).await.map_err(|e| {
                    if errors::is_refused(&e) { Failure::Refused(e) } else { Failure::Transport(e) }
                })?;
            if let Some(date) =
                response.headers().get(http::header::DATE).and_then(|d| d.to_str().ok())
            {
                self.clock.observe(date);
            }
            let status = response.status();
            let retry_after = response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let broken = |e| Failure::Transport(kube::Error::Service(Box::new(e)));
            let mut body = response.into_body();
            match sink {
                // -v=8 prints the body, so it is read whole (speed matters less then).
                Some(sink) if status.is_success() && !trace::enabled(8) => {
                    sink.reset();
                    while let Some(frame) = body.frame().await {
                        if let Some(data) = frame.map_err(broken)?.data_ref() {
                            sink.chunk(data).map_err(Failure::Decode)?;
                        }
                    }
                    sink.finish().map_err(Failure::Decode)?;
                    Ok((status, bytes::Bytes::new(), retry_after))
                }
                sink => {
                    let body = body.collect().await.map_err(broken)?.to_bytes();
                    trace::log(8, || trace::body_text("Response Body", &body));
                    if let Some(sink) = sink.filter(|_| status.is_success()) {
                        sink.reset();
                        sink.chunk(&body).map_err(Failure::Decode)?;
                        sink.finish().map_err(Failure::Decode)?;
                    }
                    Ok((status, body, retry_after))
                }
            }
        };
        match deadline {
            Some(deadline) => {
                tokio::time::timeout_at(deadline, exchange).await.unwrap_or(Err(Failure::TimedOut))
            }
            None => exchange.await,
        }
    }

    fn timeout_error(&self) -> Error {
        Error::Timeout {
            server: self.server.clone(),
            timeout: self.timeout.map_or_else(String::new, |t| format!("{}s", t.as_secs_f64())),
        }
    }
}

/// Whether a request may be sent again after a failure that leaves its effect unknown (a 5xx,
/// a dropped connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Replay {
    /// Sending it again does no more than sending it once (GET, merge patch, named create).
    Idempotent,
    /// Only after a 429 or a refused connection (nothing was done).
    Once,
}

/// A 5xx or 429 that outlasted the retries says what it was answering ("list cronjobs.batch in
/// namespace \"ops\": Internal error occurred ... (500 InternalError)"): the server's own words
/// rarely do, and the line is all the user gets.
fn transient_in_context(status: StatusCode, err: Error, info: &RequestInfo) -> Error {
    match err {
        Error::Api { code, reason, message }
            if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS =>
        {
            let object = info.name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
            let scope = info
                .namespace
                .as_deref()
                .map(|ns| format!(" in namespace \"{ns}\""))
                .unwrap_or_default();
            let message =
                format!("{} {}{object}{scope}: {message}", info.verb, info.resource_name());
            Error::Api { code, reason, message }
        }
        other => other,
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8], info: &RequestInfo) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::Decode(format!("{} {}: {e}", info.verb, info.resource_name())))
}

fn is_already_exists(err: &Error) -> bool {
    matches!(err, Error::Api { code: 409, reason, .. } if reason == "AlreadyExists")
}

/// Whether `existing` is the object we sent as `sent`: every label, annotation and owner
/// reference we set is there (the server may add its own).
fn made_by(
    sent: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    existing: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> bool {
    let subset = |ours: &Option<std::collections::BTreeMap<String, String>>,
                  theirs: &Option<std::collections::BTreeMap<String, String>>| {
        ours.iter().flatten().all(|(k, v)| theirs.as_ref().and_then(|t| t.get(k)) == Some(v))
    };
    subset(&sent.labels, &existing.labels)
        && subset(&sent.annotations, &existing.annotations)
        && sent.owner_references.as_ref().is_none_or(|ours| {
            existing
                .owner_references
                .as_ref()
                .is_some_and(|theirs| ours.iter().all(|o| theirs.iter().any(|t| t.uid == o.uid)))
        })
}

enum Failure {
    /// Nothing reached the server (connection refused): safe to retry any request.
    Refused(kube::Error),
    /// The exchange broke somewhere: only reads are retried.
    Transport(kube::Error),
    /// The deadline passed.
    TimedOut,
    /// A streamed body did not decode.
    Decode(String),
}

/// What an attempt that will be retried ran into, for `-v=4`.
fn describe(outcome: &Result<(StatusCode, bytes::Bytes, Option<Duration>), Failure>) -> String {
    match outcome {
        Ok((status, _, _)) => status.to_string(),
        Err(Failure::Refused(err) | Failure::Transport(err)) => err.to_string(),
        Err(Failure::TimedOut) => "a timeout".into(),
        Err(Failure::Decode(message)) => message.clone(),
    }
}

/// 200 ms, doubled per attempt, at most [`MAX_BACKOFF`].
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200 * 2_u64.pow(attempt.saturating_sub(1).min(16))).min(MAX_BACKOFF)
}

fn clone_request(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// Registers the kubeconfig's credentials for redaction ([`trace::redact`]): whatever goes
/// wrong later, no log line or error prints them.
fn register_secrets(auth: &kube::config::AuthInfo) {
    use secrecy::ExposeSecret as _;
    if let Some(token) = &auth.token {
        trace::register_secret(token.expose_secret());
    }
    if let Some(password) = &auth.password {
        trace::register_secret(password.expose_secret());
    }
    if let Some(path) = &auth.token_file
        && let Ok(token) = std::fs::read_to_string(path)
    {
        trace::register_secret(&token);
    }
}

/// Decodes a `metav1.Status` body, if that is what it is.
pub(super) fn decode_status(body: &[u8]) -> Option<Status> {
    serde_json::from_slice::<Status>(body).ok().filter(|s| s.code.is_some() || s.message.is_some())
}

/// kube-core builds list and watch URLs as `PATH?&limit=500&...` (an empty first parameter):
/// servers accept it, but `-v 6` printed it for people to read and copy. One `?`, no `&`
/// right after it, as kubectl sends.
fn tidy_query(request: &mut Request<Vec<u8>>) {
    let text = request.uri().to_string();
    let tidy = if text.ends_with('?') {
        text.trim_end_matches('?').to_owned()
    } else {
        text.replacen("?&", "?", 1)
    };
    if tidy != text
        && let Ok(uri) = tidy.parse()
    {
        *request.uri_mut() = uri;
    }
}

#[test]
fn list_urls_have_no_empty_first_parameter() {
    let mut request = Request::new(b"".to_vec());
    *request.uri_mut() = "/apis/batch/v1/cronjobs?&limit=500&labelSelector=a%3Db".parse().unwrap();
    tidy_query(&mut request);
    assert_eq!(request.uri(), "/apis/batch/v1/cronjobs?limit=500&labelSelector=a%3Db");
    *request.uri_mut() = "/api/v1/pods?".parse().unwrap();
    tidy_query(&mut request);
    assert_eq!(request.uri(), "/api/v1/pods");
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    fn meta(labels: &[(&str, &str)], owner: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: Some("backup-manual-x1y2z".into()),
            labels: Some(labels.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()),
            owner_references: owner.map(|uid| {
                vec![OwnerReference {
                    uid: uid.into(),
                    name: "backup".into(),
                    ..Default::default()
                }]
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_replayed_create_accepts_only_the_object_it_made() {
        let sent = meta(&[("app", "backup")], Some("u1"));
        // The server added a label of its own: still ours.
        assert!(made_by(&sent, &meta(&[("app", "backup"), ("job-name", "x")], Some("u1"))));
        assert!(!made_by(&sent, &meta(&[("app", "other")], Some("u1"))), "different labels");
        assert!(!made_by(&sent, &meta(&[("app", "backup")], Some("u2"))), "another owner");
        assert!(!made_by(&sent, &meta(&[("app", "backup")], None)), "no owner");
    }

    #[test]
    fn a_lasting_server_error_names_the_request() {
        use k8s_openapi::api::batch::v1::CronJob;
        let info = RequestInfo::of::<CronJob>("list", Some("ops"), None);
        let err = Error::Api { code: 500, reason: "InternalError".into(), message: "boom".into() };
        assert_eq!(
            transient_in_context(StatusCode::INTERNAL_SERVER_ERROR, err, &info).to_string(),
            "list cronjobs.batch in namespace \"ops\": boom (500 InternalError)"
        );
        let conflict = Error::Api { code: 409, reason: "Conflict".into(), message: "x".into() };
        assert_eq!(
            transient_in_context(StatusCode::CONFLICT, conflict, &info).to_string(),
            "x (409 Conflict)"
        );
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(3), Duration::from_millis(800));
        assert_eq!(backoff(40), MAX_BACKOFF);
    }

    #[test]
    fn only_already_exists_conflicts_are_resolved_by_reading_back() {
        let api =
            |reason: &str| Error::Api { code: 409, reason: reason.into(), message: String::new() };
        assert!(is_already_exists(&api("AlreadyExists")));
        assert!(!is_already_exists(&api("Conflict")));
    }
}
