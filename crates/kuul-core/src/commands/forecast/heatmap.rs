//! The heat maps, as a grid (shared with the SVG) and drawn for a terminal: one row per hour
//! (UTC), one column per minute of the hour. Starts per minute for everything in the report,
//! then each pool's requests as a share of its allocatable capacity. Windows longer than 48
//! hours fold onto the 24 hours of the day (each cell the maximum over the days). Colour only
//! when the printer says so (a terminal without NO_COLOR); the glyphs carry the same levels, and
//! the top peaks are marked by their rank (1-9) in the starts map.

use jiff::{SignedDuration, Timestamp};

use super::report::{Forecast, minute};

/// A heat-map grid.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// Row labels (`10:00`, or `2025-03-01 10:00`; `10:00` when folded).
    pub(crate) rows: Vec<String>,
    /// Values; `None` outside the window.
    pub(crate) cells: Vec<[Option<f64>; 60]>,
    /// Peak ranks (1-based) at (row, minute).
    pub(crate) marks: Vec<(usize, usize, usize)>,
    /// Folded onto the hours of the day.
    pub(crate) folded: bool,
}

impl Grid {
    /// The largest value.
    pub(crate) fn max(&self) -> f64 {
        self.cells.iter().flatten().flatten().copied().fold(0.0, f64::max)
    }
}

fn floor_hour(t: Timestamp) -> Timestamp {
    let s = t.as_second();
    Timestamp::from_second(s - s.rem_euclid(3600)).unwrap_or(t)
}

/// A grid of `value(k)` for every minute `k` of the window.
fn grid(report: &Forecast, value: &dyn Fn(usize) -> f64) -> Grid {
    let minutes = report.window.minutes;
    let first = floor_hour(report.window.from);
    let hours =
        usize::try_from((minute(report, minutes).duration_since(first).as_secs() + 3599) / 3600)
            .unwrap_or(0)
            .max(1);
    let folded = hours > 48;
    let n_rows = if folded { 24 } else { hours };
    let mut cells = vec![[None; 60]; n_rows];
    let at = |k: usize| -> (usize, usize) {
        let t = minute(report, k);
        let since = usize::try_from(t.duration_since(first).as_mins()).unwrap_or(0);
        let (hour, col) = (since / 60, since % 60);
        let row = if folded {
            usize::try_from(t.as_second().rem_euclid(86_400) / 3600).unwrap_or(0)
        } else {
            hour
        };
        (row.min(n_rows - 1), col)
    };
    for k in 0..minutes {
        let (r, c) = at(k);
        let v = value(k);
        cells[r][c] = Some(cells[r][c].map_or(v, |x: f64| x.max(v)));
    }
    let rows = (0..n_rows)
        .map(|r| {
            if folded {
                format!("{r:02}:00")
            } else {
                let t = first + SignedDuration::from_hours(i64::try_from(r).unwrap_or(0));
                t.strftime("%m-%d %H:00").to_string()
            }
        })
        .collect();
    let mut marks = Vec::new();
    for (rank, peak) in report.peaks.iter().take(9).enumerate() {
        let k =
            usize::try_from(peak.minute.duration_since(report.window.from).as_mins()).unwrap_or(0);
        if k < minutes {
            let (r, c) = at(k);
            if !marks.iter().any(|&(rr, cc, _)| (rr, cc) == (r, c)) {
                marks.push((r, c, rank + 1));
            }
        }
    }
    Grid { rows, cells, marks, folded }
}

/// Starts per minute.
pub(crate) fn starts_grid(report: &Forecast) -> Grid {
    grid(report, &|k| f64::from(report.starts.get(k).copied().unwrap_or(0)))
}

/// A pool's requests as a percentage of its allocatable (the larger of CPU and memory);
/// pods with no capacity at all count as 1000%.
pub(crate) fn pressure_grid(report: &Forecast, pool: &str) -> Grid {
    let buckets: Vec<_> = report.buckets.iter().filter(|b| b.pool == pool).collect();
    let mut g = grid(report, &|k| {
        let Some(b) = buckets.get(k) else { return 0.0 };
        let share = |used: f64, cap: f64| {
            if used <= 0.0 {
                0.0
            } else if cap <= 0.0 {
                1000.0
            } else {
                used / cap * 100.0
            }
        };
        let p = share(b.cpu, b.capacity_cpu).max(share(b.memory_gib, b.capacity_memory_gib));
        if b.waiting_pods > 0 { p.max(100.01) } else { p }
    });
    g.marks.clear();
    g
}

const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
/// 256-colour backgrounds for levels 1-4 (yellow to red), and "over capacity".
const COLOURS: [u8; 5] = [236, 229, 221, 208, 196];

/// Level 0-4 of `v` against `max` (0 only for zero).
pub(crate) fn level(v: f64, max: f64) -> usize {
    if v <= 0.0 || max <= 0.0 {
        return 0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let l = ((v / max) * 4.0).ceil() as usize;
    l.clamp(1, 4)
}

fn draw(out: &mut String, g: &Grid, color: bool, over: Option<f64>, max: f64) {
    let width = g.rows.iter().map(String::len).max().unwrap_or(5);
    out.push_str(&format!("{:width$} ", ""));
    for m in (0..60).step_by(10) {
        out.push_str(&format!("{m:<10}"));
    }
    out.push('\n');
    for (r, row) in g.cells.iter().enumerate() {
        out.push_str(&format!("{:>width$} ", g.rows[r]));
        for (c, cell) in row.iter().enumerate() {
            let Some(v) = *cell else {
                out.push(' ');
                continue;
            };
            let mark = g.marks.iter().find(|&&(rr, cc, _)| (rr, cc) == (r, c)).map(|m| m.2);
            let is_over = over.is_some_and(|o| v > o);
            let l = if over.is_some() { level(v.min(100.0), 100.0) } else { level(v, max) };
            let glyph = match (mark, is_over) {
                (Some(rank), _) => {
                    char::from_digit(u32::try_from(rank).unwrap_or(9), 10).unwrap_or('*')
                }
                (None, true) => '!',
                (None, false) => SHADES[l],
            };
            if color {
                let bg = if is_over { COLOURS[4] } else { COLOURS[l.min(3)] };
                let fg = if mark.is_some() || is_over { "\x1b[1;97m" } else { "\x1b[30m" };
                out.push_str(&format!("\x1b[48;5;{bg}m{fg}{glyph}\x1b[0m"));
            } else {
                out.push(glyph);
            }
        }
        out.push('\n');
    }
}

/// The terminal chart: starts, then each pool's pressure, each with its scale.
pub(crate) fn render(report: &Forecast, color: bool) -> String {
    let mut out = String::new();
    let g = starts_grid(report);
    let max = g.max();
    let folded = if g.folded { ", each cell the busiest of its days" } else { "" };
    out.push_str(&format!(
        "Starts per minute, {} to {} (rows: hour UTC, columns: minute{folded})\n",
        report.window.from, report.window.to
    ));
    draw(&mut out, &g, color, None, max);
    out.push_str(&format!("scale: {}\n", scale_text(max)));
    if !g.marks.is_empty() {
        out.push_str("1-9: the top peaks below, by rank\n");
    }
    for pool in &report.pools {
        let g = pressure_grid(report, &pool.name);
        out.push_str(&format!(
            "\nPool {}: requests / room ({} CPU, {}Gi)\n",
            pool.name,
            (pool.free_cpu * 1000.0).round() / 1000.0,
            (pool.free_memory_gib * 100.0).round() / 100.0
        ));
        draw(&mut out, &g, color, Some(100.0), 100.0);
        out.push_str(
            "scale: · 0%  ░ ≤25%  ▒ ≤50%  ▓ ≤75%  █ ≤100%  ! over capacity or pods waiting\n",
        );
    }
    out.push('\n');
    out
}

/// The starts scale: each glyph's range.
pub(crate) fn scale_text(max: f64) -> String {
    if max <= 0.0 {
        return "· 0 (no starts)".to_owned();
    }
    let mut parts = vec!["· 0".to_owned()];
    for (l, glyph) in SHADES.iter().enumerate().skip(1) {
        #[allow(clippy::cast_precision_loss)]
        let lo = (max * (l as f64 - 1.0) / 4.0).floor() + 1.0;
        #[allow(clippy::cast_precision_loss)]
        let hi = (max * l as f64 / 4.0).floor();
        if hi >= lo {
            parts.push(format!("{glyph} {lo}-{hi}"));
        }
    }
    format!("{} starts/minute", parts.join("  "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_split_the_range_in_quarters() {
        assert_eq!(level(0.0, 8.0), 0);
        assert_eq!(level(1.0, 8.0), 1);
        assert_eq!(level(2.0, 8.0), 1);
        assert_eq!(level(3.0, 8.0), 2);
        assert_eq!(level(8.0, 8.0), 4);
        assert_eq!(scale_text(8.0), "· 0  ░ 1-2  ▒ 3-4  ▓ 5-6  █ 7-8 starts/minute");
    }
}
