//! The progress bar of a bulk run: indicatif on stderr, only on a terminal (DESIGN.md "Progress
//! bars only on a terminal and only for long bulk work"), hidden otherwise so pipes and CI logs
//! stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Fewer items than this finish before a bar would be worth drawing.
const MIN_ITEMS_FOR_A_BAR: usize = 20;

/// A bar on stderr, or a hidden one.
pub(super) fn bar(visible: bool, items: usize, message: &str) -> ProgressBar {
    if !visible || items < MIN_ITEMS_FOR_A_BAR {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(items as u64), ProgressDrawTarget::stderr());
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
