//! The chart as an SVG image (and an HTML page around it with the peaks table): the same grids
//! as the terminal heat map, one 12 x 12 px cell per minute, white for nothing, yellow to red by
//! level, dark red for over capacity; the top peaks outlined in black with their rank; a scale
//! under each map. Plain SVG 1.1 (rect, text, line), so every renderer draws it alike.

use std::fmt::Write as _;

use super::heatmap::{Grid, level, pressure_grid, scale_text, starts_grid};
use super::report::Forecast;

/// Cell size in px.
pub(crate) const CELL: usize = 12;
/// Left margin for the row labels.
pub(crate) const LEFT: usize = 110;
/// Fill colours by level 0-4, then over capacity.
pub(crate) const FILLS: [&str; 6] =
    ["#ffffff", "#ffe680", "#ffb000", "#ff6a00", "#e00000", "#7a0000"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Draws one map at `y`; returns the height used.
fn map(out: &mut String, y: usize, title: &str, g: &Grid, over: Option<f64>, scale: &str) -> usize {
    let max = g.max();
    let _ = writeln!(
        out,
        r#"<text x="10" y="{}" font-size="14" font-weight="bold">{}</text>"#,
        y + 14,
        escape(title)
    );
    let top = y + 36;
    for m in (0..60).step_by(10) {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="10">{m}</text>"#,
            LEFT + m * CELL,
            top - 4
        );
    }
    for (r, row) in g.cells.iter().enumerate() {
        let ry = top + r * CELL;
        let _ = writeln!(
            out,
            r#"<text x="10" y="{}" font-size="10">{}</text>"#,
            ry + CELL - 2,
            escape(&g.rows[r])
        );
        for (c, cell) in row.iter().enumerate() {
            let Some(v) = *cell else { continue };
            let fill = match over {
                Some(o) if v > o => FILLS[5],
                Some(_) => FILLS[level(v.min(100.0), 100.0)],
                None => FILLS[level(v, max)],
            };
            let _ = writeln!(
                out,
                r##"<rect x="{}" y="{ry}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#dddddd" stroke-width="0.5"><title>{}: {v}</title></rect>"##,
                LEFT + c * CELL,
                escape(&g.rows[r]),
            );
        }
    }
    for &(r, c, rank) in &g.marks {
        let (x, ry) = (LEFT + c * CELL, top + r * CELL);
        let _ = writeln!(
            out,
            r##"<rect class="peak" x="{x}" y="{ry}" width="{CELL}" height="{CELL}" fill="none" stroke="#000000" stroke-width="2"/><text x="{}" y="{}" font-size="9" fill="#ffffff">{rank}</text>"##,
            x + 3,
            ry + CELL - 2
        );
    }
    let sy = top + g.cells.len() * CELL + 8;
    let levels: &[usize] = if over.is_some() { &[0, 1, 2, 3, 4, 5] } else { &[0, 1, 2, 3, 4] };
    for (i, &l) in levels.iter().enumerate() {
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{sy}" width="{CELL}" height="{CELL}" fill="{}" stroke="#999999"/>"##,
            LEFT + i * CELL * 2,
            FILLS[l]
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="10">{}</text>"#,
        LEFT + levels.len() * CELL * 2 + 6,
        sy + CELL - 2,
        escape(scale)
    );
    sy + CELL + 16 - y
}

/// The SVG document.
pub(crate) fn svg(report: &Forecast) -> String {
    let mut body = String::new();
    let starts = starts_grid(report);
    let mut y = 10;
    let fold = if starts.folded { " (busiest day per cell)" } else { "" };
    y += map(
        &mut body,
        y,
        &format!("Starts per minute, {} to {}{fold}", report.window.from, report.window.to),
        &starts,
        None,
        &scale_text(starts.max()),
    );
    for pool in &report.pools {
        let g = pressure_grid(report, &pool.name);
        y += map(
            &mut body,
            y,
            &format!(
                "Pool {}: requests / room ({} CPU, {:.2}Gi)",
                pool.name,
                (pool.free_cpu * 1000.0).round() / 1000.0,
                pool.free_memory_gib
            ),
            &g,
            Some(100.0),
            "0%, ≤25%, ≤50%, ≤75%, ≤100%, over capacity or pods waiting",
        );
    }
    let width = LEFT + 60 * CELL + 20;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         width=\"{width}\" height=\"{y}\" viewBox=\"0 0 {width} {y}\" font-family=\"sans-serif\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n{body}</svg>\n"
    )
}

/// An HTML page: the SVG inline and the peaks as a table.
pub(crate) fn html(report: &Forecast) -> String {
    let svg = svg(report);
    let svg = svg.split_once("?>\n").map_or(svg.as_str(), |(_, s)| s);
    let mut rows = String::new();
    for (i, p) in report.peaks.iter().enumerate() {
        let causes: Vec<&str> =
            p.causes.iter().filter(|c| c.starts_here).map(|c| c.cronjob.as_str()).collect();
        let _ = writeln!(
            rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            p.minute,
            escape(&p.pool),
            p.starts,
            p.pods,
            p.cpu,
            p.memory_gib,
            p.waiting_pods,
            escape(&causes.join(", "))
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kubectl kuul forecast</title>\
         <style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px}}</style>\
         </head><body>\n<h1>Forecast {} to {}</h1>\n{svg}<h2>Top peaks</h2>\n<table><tr><th>#</th><th>minute</th><th>pool</th>\
         <th>starts</th><th>pods</th><th>CPU</th><th>memory GiB</th><th>waiting</th><th>starting here</th></tr>\n{rows}</table>\n</body></html>\n",
        report.window.from, report.window.to
    )
}
