//! One pod's log as a stream of lines (`follow=true`, the container `kubectl logs` would pick).
//! A log that cannot be opened is reported on stderr and skipped: the wait for the run's
//! result goes on, since the result, not the log, decides the exit code.

use futures::io::AsyncBufReadExt;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;

use super::state;
use crate::cluster::Cluster;
use crate::notice::line as note;

/// Lines of one pod's log.
pub(super) struct LogStream {
    lines: BoxStream<'static, std::io::Result<String>>,
}

impl LogStream {
    /// Opens the log of `pod`, the `attempt`-th pod of the run; from the second on, a note
    /// says which pod the lines now come from.
    pub(super) async fn open(
        cluster: &Cluster,
        namespace: &str,
        pod: &Pod,
        attempt: usize,
        options: &super::LogOptions,
        progress: Option<&indicatif::ProgressBar>,
    ) -> LogStream {
        let name = pod.metadata.name.clone().unwrap_or_default();
        if attempt > 1 {
            note(&format!("==> following pod {name} (attempt {attempt}) <=="), progress);
        }
        let api: Api<Pod> = Api::namespaced(cluster.client().clone(), namespace);
        let containers: Vec<String> = if options.all_containers {
            state::all_containers(pod)
        } else if let Some(c) = &options.container {
            vec![c.clone()]
        } else {
            match state::log_container(pod) {
                Some((c, notice)) => {
                    if let Some(notice) = notice {
                        note(&notice, progress);
                    }
                    vec![c]
                }
                None => Vec::new(),
            }
        };
        // With several containers the streams are read at once and their lines interleave as
        // they come, as `kubectl logs -f --all-containers` (`parallelConsumeRequest`) does.
        let mut streams = Vec::new();
        for container in containers {
            let params = options.params(&container, true);
            match api.log_stream(&name, &params).await {
                Ok(reader) if options.prefix => {
                    let prefix = format!("[pod/{name}/{container}] ");
                    streams.push(reader.lines().map_ok(move |l| format!("{prefix}{l}")).boxed());
                }
                Ok(reader) => streams.push(reader.lines().boxed()),
                Err(err) => note(
                    &format!(
                        "cannot read the log of container {container} of pod {name}: {}",
                        short(&err)
                    ),
                    progress,
                ),
            }
        }
        let lines = match streams.len() {
            0 => futures::stream::empty().boxed(),
            1 => streams.remove(0),
            _ => futures::stream::select_all(streams).boxed(),
        };
        LogStream { lines }
    }
}

/// The next line of the current log; `None` when it ended (or broke: said on stderr).
pub(super) async fn next_line(current: &mut Option<LogStream>) -> Option<String> {
    let Some(stream) = current.as_mut() else { return std::future::pending().await };
    match stream.lines.try_next().await {
        Ok(line) => line,
        Err(err) => {
            note(&format!("the log stream broke: {err}"), None);
            None
        }
    }
}

/// A kube error in a few words: the API's message and code, else the error itself.
pub fn short(err: &kube::Error) -> String {
    match err {
        kube::Error::Api(status) => format!("{} ({})", status.message, status.code),
        other => other.to_string(),
    }
}
