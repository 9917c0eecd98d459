//! The progress bar of a bulk run: indicatif on stderr, only on a terminal (DESIGN.md "Progress
//! bars only on a terminal and only for long bulk work"), hidden otherwise so pipes and CI logs
//! stay clean.

use std::io::Write;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle, TermLike};

/// Fewer items than this finish before a bar would be worth drawing.
const MIN_ITEMS_FOR_A_BAR: usize = 20;

/// A bar on stderr, or a hidden one.
pub(super) fn bar(visible: bool, items: usize, message: &str) -> ProgressBar {
    if !visible || items < MIN_ITEMS_FOR_A_BAR {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(items as u64), stderr_target());
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {rate} eta {eta}")
    {
        // indicatif's own {per_sec} prints every digit it has (`3,726.4778/s`).
        let style = style.with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&rate(state.per_sec()));
        });
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    bar
}

/// indicatif's stderr target (20 frames a second, hidden unless stderr is a terminal), drawn
/// through [`EchoRoom`]: every bar and spinner of the suite uses it.
pub(crate) fn stderr_target() -> ProgressDrawTarget {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        ProgressDrawTarget::term_like_with_hz(Box::new(EchoRoom::default()), 20)
    } else {
        ProgressDrawTarget::hidden()
    }
}

/// Columns kept free at the right of the bar: the tty echoes a Ctrl-C as `^C` at the cursor.
const ECHO_ROOM: u16 = 2;

/// Standard error as indicatif's terminal, [`ECHO_ROOM`] columns narrower than it is.
///
/// indicatif pads each bar line to the width, leaving the cursor in the last column; the echoed
/// `^C` of a Ctrl-C then wrapped and scrolled the bar one row up, out of the rows indicatif
/// clears, so the bar stayed on screen above the summary. With the room kept, the echo fits on
/// the bar's row and is cleared with it. Lines longer than the width are padded to a multiple
/// of it, so they still take exactly the rows indicatif counts.
#[derive(Debug, Default)]
struct EchoRoom {
    /// Written out on `flush`, as indicatif's buffered stderr does (one write per frame).
    buffer: Mutex<Vec<u8>>,
}

impl EchoRoom {
    fn put(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.buffer.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(())
    }
}

impl TermLike for EchoRoom {
    fn width(&self) -> u16 {
        let columns = ratatui::crossterm::terminal::size().map_or(80, |(columns, _)| columns);
        columns.saturating_sub(ECHO_ROOM).max(1)
    }

    fn height(&self) -> u16 {
        ratatui::crossterm::terminal::size().map_or(24, |(_, rows)| rows)
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format!("\x1b[{n}A").as_bytes()) }
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format!("\x1b[{n}B").as_bytes()) }
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format!("\x1b[{n}C").as_bytes()) }
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format!("\x1b[{n}D").as_bytes()) }
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.put(s.as_bytes())?;
        self.put(b"\n")
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.put(s.as_bytes())
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.put(b"\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        let bytes = std::mem::take(
            &mut *self.buffer.lock().map_err(|_| std::io::Error::other("poisoned"))?,
        );
        let mut stderr = std::io::stderr().lock();
        stderr.write_all(&bytes)?;
        stderr.flush()
    }
}

/// Items per second as people read them: whole numbers from 10 up, one decimal below.
pub(crate) fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "-/s".to_owned()
    } else if per_sec >= 10.0 {
        format!("{per_sec:.0}/s")
    } else {
        format!("{per_sec:.1}/s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_are_rounded() {
        assert_eq!(super::rate(3726.4778), "3726/s");
        assert_eq!(super::rate(12.5), "12/s");
        assert_eq!(super::rate(2.345), "2.3/s");
        assert_eq!(super::rate(0.0), "-/s");
        assert_eq!(super::rate(f64::NAN), "-/s");
    }
}
