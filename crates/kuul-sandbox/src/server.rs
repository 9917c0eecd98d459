//! The listener: accepts loopback connections (plain or TLS), serves HTTP/1.1 and HTTP/2 with
//! hyper, stamps every response with the sandbox clock's `Date`, and stops on a shutdown signal.

use std::sync::Arc;

use http::{HeaderValue, header};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::api::{self, ApiState, Outcome, response};

/// Serves connections from `listener` until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    state: Arc<ApiState>,
    tls: Option<Arc<rustls::ServerConfig>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                Some(a) => {
                    if let Ok(tls_stream) = a.accept(stream).await {
                        serve_connection(TokioIo::new(tls_stream), state).await;
                    }
                }
                None => serve_connection(TokioIo::new(stream), state).await,
            }
        });
    }
}

async fn serve_connection<I>(io: I, state: Arc<ApiState>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |req| {
        let state = Arc::clone(&state);
        async move {
            let clock = state.clock.clone();
            match api::handle(state, req).await {
                Outcome::Respond(mut r) => {
                    let now = clock.now();
                    if let Ok(v) = HeaderValue::from_str(&response::http_date(now)) {
                        r.headers_mut().insert(header::DATE, v);
                    }
                    Ok(r)
                }
                Outcome::Drop => {
                    Err(std::io::Error::other("connection dropped by fault injection"))
                }
            }
        }
    });
    let _ = auto::Builder::new(TokioExecutor::new()).serve_connection(io, service).await;
}
