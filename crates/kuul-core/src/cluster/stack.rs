//! The kube client's tower stack, assembled here rather than by `kube::Client::try_from` so the
//! verbose-logging layer ([`super::trace`]) sits *under* the auth layer and logs exactly the
//! headers that are sent.
//!
//! It is kube-client 5's `make_generic_builder` (`client/builder.rs`) minus its `tracing` span
//! layer and its retry layer (ours is bounded; see `request.rs`): base URI, then auth, then the
//! impersonation/extra headers, then our trace layer, then hyper's pooled client over kube's
//! rustls connector (which carries the kubeconfig's CA, client certificate and
//! `insecure-skip-tls-verify`) with the connect/read/write timeouts. kube 5 built without its
//! proxy features refuses a `proxy-url` anyway; we say so in the same words.

use hyper_timeout::TimeoutConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::{Body, ClientBuilder, ConfigExt};
use tower::Layer;

use super::trace::TraceLayer;
use crate::error::{Error, Result};

/// A kube client for `config` with the trace layer under the auth layer.
pub(super) fn client(config: &kube::Config) -> Result<kube::Client> {
    let server = config.cluster_url.to_string();
    let fail =
        |e: kube::Error| Error::Kubeconfig(format!("cannot build a client for {server}: {e}"));
    if config.proxy_url.is_some() {
        return Err(Error::Kubeconfig(format!(
            "cannot build a client for {server}: proxy-url is not supported"
        )));
    }
    let https = if config.cluster_url.scheme_str() == Some("http") {
        plain_http_connector()
    } else {
        config.rustls_https_connector().map_err(fail)?
    };
    let mut connector = TimeoutConnector::new(https);
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    let pool: hyper_util::client::legacy::Client<_, Body> =
        hyper_util::client::legacy::Builder::new(TokioExecutor::new()).build(connector);
    // One error type for both arms of the auth layer (a static header, or a refreshing filter
    // whose error is boxed).
    let traced = tower::ServiceExt::map_err(TraceLayer.layer(pool), tower::BoxError::from);
    let with_headers = config.extra_headers_layer().map_err(fail)?.layer(traced);
    let auth = config.auth_layer().map_err(fail)?;
    let service = tower::util::option_layer(auth).layer(with_headers);
    let service = config.base_uri_layer().layer(service);
    Ok(ClientBuilder::new(service, config.default_namespace.clone()).build())
}

/// The connector for a plain-http server (`kubectl proxy`'s `http://127.0.0.1:8001`, a local
/// API server): kube's connector has the same shape but builds its TLS client config first, and
/// without a CA in the kubeconfig that loads the system trust store (rustls-platform-verifier
/// reads every file in `/etc/ssl/certs`): 5 ms of CPU, a third of a short command's, per
/// context. A connection to an `http` URL never uses it, so an empty store stands in for it.
fn plain_http_connector()
-> hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector> {
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.enforce_http(false);
    let unused = rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(unused)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http)
}
