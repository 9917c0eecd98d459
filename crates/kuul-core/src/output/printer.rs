//! The `Printer`: renders a report in the format `-o` chose, into any `Write` (stdout in the
//! binaries, a `Vec<u8>` in tests). Commands never print directly.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;

use super::format::OutputFormat;
use super::table::{self, Cell};
use crate::error::{Error, Result};

/// A command's result, printable in every format.
///
/// Scope columns are the printer's, not the report's: a report never adds NAMESPACE or CONTEXT
/// itself. It says which namespace each row belongs to ([`Report::row_namespaces`]) and the
/// printer puts CONTEXT (when the run spans several kubeconfig contexts, `crate::fanout`) and
/// then NAMESPACE in front of its columns.
pub trait Report: Serialize {
    /// Column headers of the table (`wide` adds columns), without the scope columns.
    fn headers(&self, wide: bool) -> Vec<&'static str>;
    /// Table rows, one per object, matching `headers(wide)`.
    fn rows(&self, wide: bool) -> Vec<Vec<Cell>>;
    /// `kind.group/name` per object, for `-o name` (kubectl's spelling, e.g. `cronjob.batch/x`).
    fn names(&self) -> Vec<String>;
    /// The namespace of each row of `rows` when the report spans namespaces (`-A`): the printer
    /// shows them as the NAMESPACE column, as kubectl does. `None` (the default): no column.
    fn row_namespaces(&self) -> Option<Vec<String>> {
        None
    }
}

/// Where a row belongs, for the scope columns (CONTEXT, then NAMESPACE).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The kubeconfig context, when the run spans several.
    pub context: Option<String>,
    /// The namespace, when the report spans namespaces.
    pub namespace: Option<String>,
}

/// A table as a report printed it, with each row's scope: what `crate::fanout` merges.
#[derive(Debug, Clone)]
pub(crate) struct ScopedTable {
    pub headers: Vec<&'static str>,
    pub rows: Vec<(Scope, Vec<Cell>)>,
    /// The report gave namespaces (the NAMESPACE column is shown, even when there are no rows).
    pub namespaced: bool,
}

/// What a capturing printer (one cluster of a fan-out run) recorded, in order.
#[derive(Debug, Clone)]
pub(crate) enum Captured {
    /// `print` with `-o table|wide|csv`.
    Table(ScopedTable),
    /// `print` with `-o json|yaml|jsonpath`: the report as JSON.
    Value(serde_json::Value),
    /// `print` with `-o name`.
    Names(Vec<String>),
    /// `write_str`: human text (summaries, log lines).
    Text(String),
    /// `write_metrics`: an OpenMetrics exposition (`crate::fanout::metrics` merges them).
    Metrics(String),
}

/// Shared by a capturing printer and the fan-out layer that reads it.
/// (Each cluster of a fan-out run has its own thread, `crate::fanout`.)
pub(crate) type CaptureSink = Arc<Mutex<Vec<Captured>>>;

/// The lock of a sink (a panicked holder left nothing half-pushed that matters here).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

enum Out<'a> {
    Write(&'a mut dyn Write),
    Capture(CaptureSink),
}

/// Renders reports to a writer in the chosen format.
pub struct Printer<'a> {
    out: Out<'a>,
    format: OutputFormat,
    no_headers: bool,
    color: bool,
}

impl<'a> Printer<'a> {
    /// A printer writing to `out`; `color` enables ANSI colours in tables.
    pub fn new(
        out: &'a mut dyn Write,
        format: OutputFormat,
        no_headers: bool,
        color: bool,
    ) -> Self {
        Printer { out: Out::Write(out), format, no_headers, color }
    }

    /// A printer that records what it is given instead of writing it (one cluster of a fan-out
    /// run; `crate::fanout` merges the records of every cluster).
    pub(crate) fn capture(
        sink: CaptureSink,
        format: OutputFormat,
        no_headers: bool,
        color: bool,
    ) -> Printer<'static> {
        Printer { out: Out::Capture(sink), format, no_headers, color }
    }

    /// The format in use.
    pub fn format(&self) -> &OutputFormat {
        &self.format
    }

    /// Whether table headers are left out.
    pub fn no_headers(&self) -> bool {
        self.no_headers
    }

    /// Whether tables are coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Prints a report.
    pub fn print<R: Report>(&mut self, report: &R) -> Result<()> {
        if let Out::Capture(sink) = &self.out {
            let captured = match &self.format {
                OutputFormat::Table | OutputFormat::Wide | OutputFormat::Csv => {
                    Captured::Table(scoped(report, self.format != OutputFormat::Table))
                }
                OutputFormat::Json | OutputFormat::Yaml | OutputFormat::JsonPath(_) => {
                    Captured::Value(serde_json::to_value(report).map_err(encode_error)?)
                }
                OutputFormat::Name => Captured::Names(report.names()),
                OutputFormat::Sarif | OutputFormat::Github => return Err(lint_only()),
                OutputFormat::OpenMetrics => return Err(lastrun_only()),
            };
            lock(sink).push(captured);
            return Ok(());
        }
        match &self.format {
            OutputFormat::Table | OutputFormat::Wide | OutputFormat::Csv => {
                let table = scoped(report, self.format != OutputFormat::Table);
                self.print_table(table)
            }
            OutputFormat::Json => self.print_json(report),
            OutputFormat::Yaml | OutputFormat::JsonPath(_) => {
                let value = serde_json::to_value(report).map_err(encode_error)?;
                self.print_value(&value)
            }
            OutputFormat::Name => {
                let text: String = report.names().iter().map(|n| format!("{n}\n")).collect();
                self.write_str(&text)
            }
            OutputFormat::Sarif | OutputFormat::Github => Err(lint_only()),
            OutputFormat::OpenMetrics => Err(lastrun_only()),
        }
    }

    /// Prints a table with its scope columns: CONTEXT when any row has a context, NAMESPACE
    /// when the report gave namespaces. An empty table prints nothing (kubectl's "No resources
    /// found" goes to stderr, `crate::notice`).
    pub(crate) fn print_table(&mut self, table: ScopedTable) -> Result<()> {
        let with_context = table.rows.iter().any(|(scope, _)| scope.context.is_some());
        let mut headers: Vec<&str> = Vec::with_capacity(table.headers.len() + 2);
        if with_context {
            headers.push("CONTEXT");
        }
        if table.namespaced {
            headers.push("NAMESPACE");
        }
        headers.extend(table.headers.iter().copied());
        let namespaced = table.namespaced;
        let rows: Vec<Vec<Cell>> = table
            .rows
            .into_iter()
            .map(|(scope, cells)| {
                let mut row = Vec::with_capacity(cells.len() + 2);
                if with_context {
                    row.push(Cell::from(scope.context.unwrap_or_default()));
                }
                if namespaced {
                    row.push(Cell::from(scope.namespace.unwrap_or_default()));
                }
                row.extend(cells);
                row
            })
            .collect();
        let text = match self.format {
            OutputFormat::Csv => csv(&headers, &rows, self.no_headers),
            _ if rows.is_empty() => String::new(),
            _ => table::render(&headers, &rows, self.no_headers, self.color),
        };
        self.write_str(&text)
    }

    /// `-o json` of a report, written as it is encoded: the same text as `print_value` of its
    /// `serde_json::to_value` (`preserve_order` keeps the fields in declaration order), without
    /// the tree, which for `history -A` (50,000 runs) was twice the memory of everything else.
    fn print_json<R: Serialize>(&mut self, report: &R) -> Result<()> {
        let Out::Write(out) = &mut self.out else {
            let value = serde_json::to_value(report).map_err(encode_error)?;
            return self.print_value(&value);
        };
        let io = |source| Error::Io { context: "writing output".into(), source };
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut **out);
        serde_json::to_writer_pretty(&mut buffered, report)
            .map_err(|e| if e.is_io() { io(std::io::Error::from(e)) } else { encode_error(e) })?;
        buffered.write_all(b"\n").and_then(|()| buffered.flush()).map_err(io)
    }

    /// Prints a JSON document as `-o json`, `-o yaml` or `-o jsonpath=` asks.
    pub(crate) fn print_value(&mut self, value: &serde_json::Value) -> Result<()> {
        let text = match &self.format {
            OutputFormat::Yaml => serde_saphyr::to_string(value).map_err(encode_error)?,
            OutputFormat::JsonPath(template) => template.render(value),
            _ => {
                let mut text = serde_json::to_string_pretty(value).map_err(encode_error)?;
                text.push('\n');
                text
            }
        };
        self.write_str(&text)
    }

    /// Writes an OpenMetrics exposition (`-o openmetrics`). Across clusters the expositions
    /// merge into one, each sample labelled `context="NAME"` (`crate::fanout::metrics`).
    pub fn write_metrics(&mut self, text: &str) -> Result<()> {
        if let Out::Capture(sink) = &self.out {
            lock(sink).push(Captured::Metrics(text.to_owned()));
            return Ok(());
        }
        self.write_str(text)
    }

    /// Writes text as is (human summaries, log lines).
    pub fn write_str(&mut self, text: &str) -> Result<()> {
        match &mut self.out {
            Out::Capture(sink) => {
                if !text.is_empty() {
                    lock(sink).push(Captured::Text(text.to_owned()));
                }
                Ok(())
            }
            Out::Write(out) => out
                .write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|source| Error::Io { context: "writing output".into(), source }),
        }
    }
}

/// A report's table with each row's namespace (`crate::fanout` adds the context).
fn scoped<R: Report>(report: &R, wide: bool) -> ScopedTable {
    let rows = report.rows(wide);
    let namespaces = report.row_namespaces();
    let namespaced = namespaces.is_some();
    let mut namespaces = namespaces.unwrap_or_default().into_iter();
    let rows = rows
        .into_iter()
        .map(|cells| (Scope { context: None, namespace: namespaces.next() }, cells))
        .collect();
    ScopedTable { headers: report.headers(wide), rows, namespaced }
}

fn lint_only() -> Error {
    Error::Usage("-o sarif and -o github are formats of kubectl kuul lint only".into())
}

fn lastrun_only() -> Error {
    Error::Usage("-o openmetrics is a format of kubectl kuul lastrun only".into())
}

fn encode_error(err: impl std::fmt::Display) -> Error {
    Error::Decode(format!("cannot encode output: {err}"))
}

/// RFC 4180 CSV of the wide table.
fn csv(headers: &[&str], rows: &[Vec<Cell>], no_headers: bool) -> String {
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
    let mut out = String::new();
    if !no_headers {
        out.push_str(&headers.iter().map(|h| field(h)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    for row in rows {
        out.push_str(&row.iter().map(|c| field(&c.text)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Demo {
        items: Vec<&'static str>,
    }

    impl Report for Demo {
        fn headers(&self, wide: bool) -> Vec<&'static str> {
            if wide { vec!["NAME", "NOTE"] } else { vec!["NAME"] }
        }
        fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
            self.items
                .iter()
                .map(
                    |i| if wide { vec![(*i).into(), "a, \"b\"".into()] } else { vec![(*i).into()] },
                )
                .collect()
        }
        fn names(&self) -> Vec<String> {
            self.items.iter().map(|i| format!("cronjob.batch/{i}")).collect()
        }
    }

    fn render(format: &str) -> String {
        let mut buf = Vec::new();
        let demo = Demo { items: vec!["x", "y"] };
        Printer::new(&mut buf, format.parse().unwrap(), false, false).print(&demo).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn every_format_renders() {
        assert_eq!(render("table"), "NAME\nx\ny\n");
        assert_eq!(render("name"), "cronjob.batch/x\ncronjob.batch/y\n");
        assert_eq!(render("json"), "{\n  \"items\": [\n    \"x\",\n    \"y\"\n  ]\n}\n");
        assert!(render("yaml").contains("- x"));
        assert_eq!(render("csv"), "NAME,NOTE\nx,\"a, \"\"b\"\"\"\ny,\"a, \"\"b\"\"\"\n");
        assert_eq!(render("jsonpath={.items[0]}"), "x");
    }

    /// `-o json` is written as it is encoded, without a `Value` tree: the same text as the
    /// tree's, field order, maps, options, numbers and escapes included.
    #[test]
    fn json_streams_the_text_the_value_tree_gave() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Nested {
            zeta: u8,
            alpha: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<i32>,
            ratio: f64,
            map: std::collections::BTreeMap<String, Vec<i64>>,
            text: &'static str,
        }
        #[derive(Serialize)]
        struct Deep {
            items: Vec<Nested>,
            empty: Vec<u8>,
            none: Option<()>,
        }
        impl Report for Deep {
            fn headers(&self, _: bool) -> Vec<&'static str> {
                vec!["N"]
            }
            fn rows(&self, _: bool) -> Vec<Vec<Cell>> {
                Vec::new()
            }
            fn names(&self) -> Vec<String> {
                Vec::new()
            }
        }
        let nested = |zeta| Nested {
            zeta,
            alpha: (zeta > 1).then(|| "a\"b\n\u{1}é".to_owned()),
            skipped: None,
            ratio: 0.1 + f64::from(zeta),
            map: [("b".to_owned(), vec![-1, 2]), ("a".to_owned(), vec![])].into(),
            text: "</script>\t",
        };
        let report = Deep { items: vec![nested(1), nested(2)], empty: vec![], none: None };
        let mut buf = Vec::new();
        Printer::new(&mut buf, OutputFormat::Json, false, false).print(&report).unwrap();
        let tree = serde_json::to_value(&report).unwrap();
        let want = serde_json::to_string_pretty(&tree).unwrap() + "\n";
        assert_eq!(String::from_utf8(buf).unwrap(), want);
    }
}
