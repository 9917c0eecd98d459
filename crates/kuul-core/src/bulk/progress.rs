//! The progress bar of a bulk run: indicatif on stderr, only on a terminal (DESIGN.md "Progress
//! bars only on a terminal and only for long bulk work"), hidden otherwise so pipes and CI logs
//! stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Fewer items than this finish before a bar would be worth drawing.
const MIN_ITEMS_FOR_A_BAR: usize = 20;

/// A bar on stderr, or a hidden one.
pub(super) fn bar(visible: bool, items: usize, message: &str) -> ProgressBar {
    if !visible || items < MIN_ITEMS_FOR_A_BAR {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(items as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    bar
}
