//! Notices to stderr: `Warning: ...` lines about a run that belong beside, never inside, the
//! command's output (kubectl prints its warnings the same way), e.g. "the CronJob is
//! suspended", "pod x failed, following the retry". stdout stays clean for `-o json` and logs.

#![allow(clippy::print_stderr)]

/// Writes `Warning: TEXT` to stderr, or through the progress bar when one is drawn (so the line
/// lands above it instead of tearing it).
pub fn warning(text: &str, progress: Option<&indicatif::ProgressBar>) {
    line(&format!("Warning: {text}"), progress);
}

/// Where notices go instead of stderr while set: `kubectl kuul dash` draws the screen, so a
/// command it runs must not write to the terminal behind its back.
type Sink = Box<dyn Fn(&str) + Send>;
static CAPTURE: std::sync::Mutex<Option<Sink>> = std::sync::Mutex::new(None);

/// Sends every notice to `sink` (or, with `None`, to stderr again).
pub fn capture(sink: Option<Sink>) {
    if let Ok(mut slot) = CAPTURE.lock() {
        *slot = sink;
    }
}

/// Writes one informational line to stderr (or above the progress bar).
pub fn line(text: &str, progress: Option<&indicatif::ProgressBar>) {
    if let Ok(slot) = CAPTURE.lock()
        && let Some(sink) = slot.as_ref()
    {
        sink(text);
        return;
    }
    // In a run across clusters, the line names its context (crate::fanout).
    let text = crate::fanout::member::label_line(text);
    match progress {
        Some(bar) if !bar.is_hidden() => bar.println(&text),
        _ => eprintln!("{text}"),
    }
}

/// [`line`] after a Ctrl-C: on a terminal the line starts over (`\r`, erased to its end), so
/// the `^C` the terminal echoed does not run into it.
pub fn interrupted_line(text: &str) {
    use std::io::IsTerminal;
    let captured = CAPTURE.lock().is_ok_and(|slot| slot.is_some());
    if !captured && std::io::stderr().is_terminal() {
        eprint!("\r\u{1b}[K");
    }
    line(text, None);
}

/// kubectl's line for a list that found nothing, to stderr: `No resources found in NS
/// namespace.`, or `No resources found` across all namespaces (kubectl
/// `pkg/cmd/get/get.go`, `printIfNotFindResource`). An empty scope must never be silent: a
/// typo in `-n` otherwise reads as a healthy, empty namespace.
pub fn no_resources(namespace: Option<&str>) {
    line(&no_resources_text(namespace), None);
}

/// The text of [`no_resources`].
pub fn no_resources_text(namespace: Option<&str>) -> String {
    match namespace {
        Some(namespace) => format!("No resources found in {namespace} namespace."),
        None => "No resources found".to_owned(),
    }
}
