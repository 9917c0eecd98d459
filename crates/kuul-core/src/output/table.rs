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
    if !color && plain(headers, rows) {
        return render_plain(headers, rows, no_headers);
    }
    render_comfy(headers, rows, no_headers, color)
}

/// Whether every row has a cell per header and every text is printable ASCII on one line: then
/// each character is one column wide and [`render_plain`] lays the table out as comfy-table
/// does, without its per-cell work (`history -A` prints 50,000 rows).
fn plain(headers: &[&str], rows: &[Vec<Cell>]) -> bool {
    let printable = |text: &str| text.bytes().all(|b| (b' '..=b'~').contains(&b));
    headers.iter().all(|h| printable(h))
        && rows
            .iter()
            .all(|row| row.len() == headers.len() && row.iter().all(|cell| printable(&cell.text)))
}

/// [`render_comfy`]'s layout without colour for [`plain`] tables: each column as wide as its
/// widest text, three spaces after each, trailing spaces trimmed.
fn render_plain(headers: &[&str], rows: &[Vec<Cell>], no_headers: bool) -> String {
    let mut widths: Vec<usize> =
        if no_headers { vec![0; headers.len()] } else { headers.iter().map(|h| h.len()).collect() };
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.text.len());
        }
    }
    let line_width: usize = widths.iter().map(|w| w + 3).sum();
    let mut out = String::with_capacity(line_width * (rows.len() + 1));
    let mut line = |texts: &mut dyn Iterator<Item = &str>| {
        let start = out.len();
        for (text, width) in texts.zip(&widths) {
            out.push_str(text);
            out.extend(std::iter::repeat_n(' ', width + 3 - text.len()));
        }
        let end = out[start..].trim_end().len();
        out.truncate(start + end);
        out.push('\n');
    };
    if !no_headers {
        line(&mut headers.iter().copied());
    }
    for row in rows {
        line(&mut row.iter().map(|cell| cell.text.as_str()));
    }
    out
}

/// The table drawn by comfy-table (colour, wide characters, cells of several lines).
fn render_comfy(headers: &[&str], rows: &[Vec<Cell>], no_headers: bool, color: bool) -> String {
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

    /// The plain layout is comfy-table's, cell for cell (empty cells, empty columns, a header
    /// wider than its cells and narrower, no headers, trailing empty cells).
    #[test]
    fn the_plain_layout_is_comfy_tables() {
        let cells = |row: &[&str]| row.iter().map(|t| Cell::from(*t)).collect::<Vec<_>>();
        let tables: Vec<(Vec<&str>, Vec<Vec<Cell>>)> = vec![
            (vec!["NAME", "VERDICT"], vec![cells(&["backup", "OK"]), cells(&["x", ""])]),
            (
                vec!["A", "LONG HEADER", "C", "D"],
                vec![
                    cells(&["", "b", "", ""]),
                    cells(&["aaaaaaaaaaaa", "", "c c", "-"]),
                    cells(&["<none>", "1 (2 deleted)", "", "image a:1 -> a:2; env +B=x"]),
                ],
            ),
            (vec!["ONLY"], vec![cells(&["  spaced  "]), cells(&[""])]),
        ];
        for (headers, rows) in &tables {
            for no_headers in [false, true] {
                assert!(plain(headers, rows));
                assert_eq!(
                    render_plain(headers, rows, no_headers),
                    render_comfy(headers, rows, no_headers, false),
                    "{headers:?} no_headers={no_headers}"
                );
            }
        }
        // Not plain: wide characters, several lines, a short row.
        assert!(!plain(&["A"], &[cells(&["✓✗"])]));
        assert!(!plain(&["A"], &[cells(&["a\nb"])]));
        assert!(!plain(&["A", "B"], &[cells(&["a"])]));
    }

    #[test]
    fn colour_only_when_asked() {
        let rows = vec![vec![Cell::toned("MISSED", Tone::Bad)]];
        assert!(!render(&["V"], &rows, false, false).contains('\u{1b}'));
        assert!(render(&["V"], &rows, false, true).contains('\u{1b}'));
    }
}
