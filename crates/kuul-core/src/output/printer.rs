//! The `Printer`: renders a report in the format `-o` chose, into any `Write` (stdout in the
//! binaries, a `Vec<u8>` in tests). Commands never print directly.

use std::io::Write;

use serde::Serialize;

use super::format::OutputFormat;
use super::table::{self, Cell};
use crate::error::{Error, Result};

/// A command's result, printable in every format.
pub trait Report: Serialize {
    /// Column headers of the table (`wide` adds columns).
    fn headers(&self, wide: bool) -> Vec<&'static str>;
    /// Table rows, one per object, matching `headers(wide)`.
    fn rows(&self, wide: bool) -> Vec<Vec<Cell>>;
    /// `kind.group/name` per object, for `-o name` (kubectl's spelling, e.g. `cronjob.batch/x`).
    fn names(&self) -> Vec<String>;
}

/// Where and how output goes.
pub struct Printer<'a> {
    out: &'a mut dyn Write,
    format: OutputFormat,
    no_headers: bool,
    color: bool,
}

impl<'a> Printer<'a> {
    /// A printer writing to `out`.
    pub fn new(
        out: &'a mut dyn Write,
        format: OutputFormat,
        no_headers: bool,
        color: bool,
    ) -> Self {
        Printer { out, format, no_headers, color }
    }

    /// The format in use (commands may refuse formats that make no sense for them).
    pub fn format(&self) -> &OutputFormat {
        &self.format
    }

    /// Whether colour is on.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Renders `report` in the chosen format.
    pub fn print<R: Report>(&mut self, report: &R) -> Result<()> {
        let text = match &self.format {
            OutputFormat::Table | OutputFormat::Wide => {
                let wide = self.format == OutputFormat::Wide;
                let rows = report.rows(wide);
                if rows.is_empty() {
                    String::new()
                } else {
                    table::render(&report.headers(wide), &rows, self.no_headers, self.color)
                }
            }
            OutputFormat::Json => {
                let mut text = serde_json::to_string_pretty(report).map_err(encode_error)?;
                text.push('\n');
                text
            }
            OutputFormat::Yaml => serde_saphyr::to_string(report).map_err(encode_error)?,
            OutputFormat::Name => report.names().iter().map(|n| format!("{n}\n")).collect(),
            OutputFormat::Csv => csv(&report.headers(true), &report.rows(true), self.no_headers),
            OutputFormat::JsonPath(template) => {
                let data = serde_json::to_value(report).map_err(encode_error)?;
                template.render(&data)
            }
            OutputFormat::Sarif | OutputFormat::Github => {
                return Err(Error::Usage(
                    "-o sarif and -o github are formats of kubectl kuul lint only".into(),
                ));
            }
            OutputFormat::OpenMetrics => {
                return Err(Error::Usage(
                    "-o openmetrics is a format of kubectl kuul lastrun only".into(),
                ));
            }
        };
        self.write_str(&text)
    }

    /// Writes free text (summaries, progress lines that belong on stdout).
    pub fn write_str(&mut self, text: &str) -> Result<()> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|source| Error::Io { context: "writing output".into(), source })
    }
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
}
