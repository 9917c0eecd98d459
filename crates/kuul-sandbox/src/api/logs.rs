//! `GET pods/{name}/log`: the lines the simulated kubelet has written by the sandbox clock's
//! now (`controllers::kubelet::log_lines`), with `container`, `tailLines`, `timestamps`,
//! `limitBytes`, `previous` and `follow` (streams new lines as the clock moves and ends when the
//! pod terminates). Error texts follow the kubelet/apiserver (`pkg/registry/core/pod/strategy.go`
//! `LogLocation`, `pkg/kubelet/kubelet_pods.go` `validateContainerLogStatus`).

use std::time::Duration;

use bytes::Bytes;
use futures::SinkExt;
use http::Response;
use k8s_openapi::api::core::v1::Pod;
use serde_json::Value;

use super::resource::Request;
use super::response::{self, Body};
use crate::controllers::kubelet;
use crate::error::ApiError;
use crate::kind::Kind;
use crate::store::Store;

/// How often a follow re-checks a running clock (a stepped clock wakes it on every move).
const FOLLOW_POLL: Duration = Duration::from_millis(200);

fn load(store: &Store, ns: Option<&str>, name: &str) -> Result<(Value, Pod), ApiError> {
    let raw = store.get(Kind::Pod, ns, name).ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
    let pod: Pod = serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::internal(format!("pod {name} is not readable: {e}")))?;
    Ok((raw, pod))
}

fn terminated(raw: &Value) -> bool {
    matches!(
        raw.get("status").and_then(|s| s.get("phase")).and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    )
}

fn format_lines(lines: &[(jiff::Timestamp, String)], timestamps: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (t, line) in lines {
        if timestamps {
            out.extend_from_slice(t.to_string().as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Checks the `container` parameter against the pod and that the container has started.
fn check_container(req: &Request, pod: &Pod, name: &str) -> Result<(), ApiError> {
    let containers: Vec<&str> = pod
        .spec
        .as_ref()
        .map(|s| s.containers.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    // Init containers have logs too (the kubelet finds any container of the pod by name).
    let init: Vec<&str> = pod
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_ref())
        .map(|list| list.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    let chosen = match req.query.get("container").filter(|c| !c.is_empty()) {
        Some(c) => {
            if !containers.contains(&c) && !init.contains(&c) {
                return Err(ApiError::bad_request(format!(
                    "container {c} is not valid for pod {name}"
                )));
            }
            c.to_string()
        }
        None if containers.len() == 1 => containers[0].to_string(),
        None => {
            return Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            )));
        }
    };
    if req.query.flag("previous") {
        return Err(ApiError::bad_request(format!(
            "previous terminated container \"{chosen}\" in pod \"{name}\" not found"
        )));
    }
    if kubelet::started_at(pod).is_none() {
        return Err(ApiError::bad_request(format!(
            "container \"{chosen}\" in pod \"{name}\" is waiting to start: ContainerCreating"
        )));
    }
    Ok(())
}

fn tail<T>(lines: Vec<T>, tail: Option<usize>) -> Vec<T> {
    match tail {
        Some(n) if n < lines.len() => {
            let skip = lines.len() - n;
            lines.into_iter().skip(skip).collect()
        }
        _ => lines,
    }
}

/// Serves the log (or starts a follow stream).
pub fn logs(store: &Store, req: &Request) -> Result<Response<Body>, ApiError> {
    let name = req.name.clone().unwrap_or_default();
    let ns = req.namespace.clone();
    let (raw, pod) = load(store, ns.as_deref(), &name)?;
    check_container(req, &pod, &name)?;
    let timestamps = req.query.flag("timestamps");
    let tail_lines = req.query.get("tailLines").and_then(|t| t.parse::<usize>().ok());
    let limit = req.query.get("limitBytes").and_then(|t| t.parse::<usize>().ok());
    let lines = tail(kubelet::log_lines(&pod, store.clock().now()), tail_lines);
    let mut body = format_lines(&lines, timestamps);
    if let Some(l) = limit {
        body.truncate(l);
    }
    if !req.query.flag("follow") || terminated(&raw) {
        let mut r = Response::new(response::full(body));
        r.headers_mut()
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain"));
        return Ok(r);
    }
    let (mut tx, resp) = response::stream("text/plain");
    let store = store.clone();
    let already = kubelet::log_lines(&pod, store.clock().now()).len();
    tokio::spawn(async move {
        if tx.send(Bytes::from(body)).await.is_err() {
            return;
        }
        let mut sent = already;
        let mut clock_moved = store.clock().subscribe();
        let mut store_changed = store.subscribe();
        loop {
            let Ok((raw, pod)) = load(&store, ns.as_deref(), &name) else { return };
            let lines = kubelet::log_lines(&pod, store.clock().now());
            if lines.len() > sent {
                let chunk = format_lines(&lines[sent..], timestamps);
                sent = lines.len();
                if tx.send(Bytes::from(chunk)).await.is_err() {
                    return;
                }
            }
            if terminated(&raw) || tx.is_closed() {
                return;
            }
            tokio::select! {
                r = clock_moved.changed() => if r.is_err() { return },
                r = store_changed.changed() => if r.is_err() { return },
                () = tokio::time::sleep(FOLLOW_POLL) => {}
            }
        }
    });
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail(vec![1, 2, 3], Some(2)), [2, 3]);
        assert_eq!(tail(vec![1, 2, 3], Some(5)), [1, 2, 3]);
        assert_eq!(tail(vec![1, 2, 3], None), [1, 2, 3]);
    }
}
