//! kubectl-style tables: upper-case headers, no borders, columns three spaces apart, nothing
//! wrapped (kubectl's tabwriter), drawn with comfy-table. Colour marks good and bad cells only when
//! the printer says colour is on (a terminal without `NO_COLOR`).

use comfy_table::{Color, ContentArrangement, Table, presets};

/// How a cell reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Neutral.
    #[default]
    Plain,
    /// All is well (green).
    Good,
    /// Worth a look (yellow).
    Warning,
    /// Something is wrong (red).
    Bad,
}

/// One table cell: text plus a tone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// What the cell says.
    pub text: String,
    /// How it is coloured when colour is on.
    pub tone: Tone,
}

impl Cell {
    /// A cell with a tone.
    pub fn toned(text: impl Into<String>, tone: Tone) -> Self {
        Cell { text: text.into(), tone }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell { text, tone: Tone::Plain }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::from(text.to_owned())
    }
}

/// Renders rows under headers as kubectl would; `color` decides whether tones become colours.
pub(super) fn render(
    headers: &[&str],
    rows: &[Vec<Cell>],
    no_headers: bool,
    color: bool,
) -> String {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING).set_content_arrangement(ContentArrangement::Disabled);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if !no_headers {
        table.set_header(headers.iter().map(comfy_table::Cell::new));
    }
    for row in rows {
        table.add_row(row.iter().map(|cell| styled(cell, color)));
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 3));
    }
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn styled(cell: &Cell, color: bool) -> comfy_table::Cell {
    let out = comfy_table::Cell::new(&cell.text);
    if !color {
        return out;
    }
    match cell.tone {
        Tone::Plain => out,
        Tone::Good => out.fg(Color::Green),
        Tone::Warning => out.fg(Color::Yellow),
        Tone::Bad => out.fg(Color::Red),
    }
}

/// A boolean as kubectl's tables print one (`True`/`False`, as in `kubectl get cronjobs`'
/// SUSPEND column).
pub fn true_false(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_like_kubectl_get() {
        let rows = vec![
            vec![Cell::from("backup"), Cell::from("OK")],
            vec![Cell::from("deploy-prod"), Cell::toned("MISSED", Tone::Bad)],
        ];
        let out = render(&["NAME", "VERDICT"], &rows, false, false);
        assert_eq!(out, "NAME          VERDICT\nbackup        OK\ndeploy-prod   MISSED\n");
    }

    #[test]
    fn no_headers_drops_the_header_line() {
        let rows = vec![vec![Cell::from("a"), Cell::from("b")]];
        assert_eq!(render(&["X", "Y"], &rows, true, false), "a   b\n");
    }

    #[test]
    fn colour_only_when_asked() {
        let rows = vec![vec![Cell::toned("MISSED", Tone::Bad)]];
        assert!(!render(&["V"], &rows, false, false).contains('\u{1b}'));
        assert!(render(&["V"], &rows, false, true).contains('\u{1b}'));
    }
}
