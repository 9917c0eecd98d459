//! "Stop, please" from outside the process, the same on every platform: Ctrl-C everywhere; on
//! Unix also SIGTERM (what `kill`, `timeout` and a CI runner's cancel send) and SIGHUP (the
//! terminal went away); on Windows, which has no SIGTERM, Ctrl-Break and the console window
//! closing. Commands that must clean up (restore a schedule, stop issuing bulk work) wait on
//! [`interrupted`]; the others keep each signal's default meaning, "stop now".

use crate::portable::Os;

/// The signals [`interrupted`] listens to on `os`, by the names people know them by.
pub fn signals(os: Os) -> &'static [&'static str] {
    match os {
        Os::Unix => &["SIGINT (Ctrl-C)", "SIGTERM", "SIGHUP"],
        Os::Windows => &["Ctrl-C", "Ctrl-Break", "console close"],
    }
}

/// Completes on the first of [`signals`]`(Os::HOST)`; never, where none can be listened to.
/// Listening starts at the first poll (as with `tokio::signal::ctrl_c`).
pub async fn interrupted() {
    if host::any().await.is_err() {
        std::future::pending::<()>().await;
    }
}

#[cfg(unix)]
mod host {
    use tokio::signal::unix::{SignalKind, signal};

    pub(super) async fn any() -> std::io::Result<()> {
        let mut term = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = term.recv() => Ok(()),
            _ = hangup.recv() => Ok(()),
        }
    }
}

#[cfg(windows)]
mod host {
    use tokio::signal::windows::{ctrl_break, ctrl_close};

    pub(super) async fn any() -> std::io::Result<()> {
        let mut brk = ctrl_break()?;
        let mut close = ctrl_close()?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = brk.recv() => Ok(()),
            _ = close.recv() => Ok(()),
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod host {
    pub(super) async fn any() -> std::io::Result<()> {
        tokio::signal::ctrl_c().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_has_no_sigterm_and_both_have_ctrl_c() {
        assert!(signals(Os::Unix).contains(&"SIGTERM"));
        assert!(!signals(Os::Windows).iter().any(|s| s.contains("SIG")));
        for os in [Os::Unix, Os::Windows] {
            assert!(signals(os).iter().any(|s| s.contains("Ctrl-C")), "{os:?}");
        }
    }

    /// A real SIGTERM to this test process completes the future instead of killing it.
    #[cfg(unix)]
    #[tokio::test]
    async fn sigterm_completes_the_future() {
        let mut waiting = std::pin::pin!(interrupted());
        // Registers the handlers; nothing has been sent yet.
        assert!(futures::poll!(waiting.as_mut()).is_pending());
        let status = std::process::Command::new("kill")
            .args(["-TERM", &std::process::id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        tokio::time::timeout(std::time::Duration::from_secs(10), waiting)
            .await
            .expect("SIGTERM is seen within 10 s");
    }
}
