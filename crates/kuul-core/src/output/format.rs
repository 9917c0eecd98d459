//! `-o/--output` values, spelled as kubectl spells them.

use std::str::FromStr;

use super::jsonpath::Template;

/// What `-o` asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputFormat {
    /// A human table (the default).
    Table,
    /// The table with extra columns.
    Wide,
    /// The report as JSON (stable fields, documented in the README).
    Json,
    /// The same data as YAML.
    Yaml,
    /// One `kind/name` per object, for `xargs`.
    Name,
    /// Comma-separated values of the wide table, for spreadsheets.
    Csv,
    /// A kubectl JSONPath template over the JSON report.
    JsonPath(Template),
    /// SARIF 2.1.0 (GitHub code scanning); `lint` only.
    Sarif,
    /// GitHub Actions workflow annotations (`::error file=...::`); `lint` only.
    Github,
    /// The OpenMetrics / Prometheus text exposition; `lastrun` only.
    OpenMetrics,
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(template) = text.strip_prefix("jsonpath=") {
            return Template::parse(template).map(OutputFormat::JsonPath);
        }
        match text {
            "" | "table" => Ok(OutputFormat::Table),
            "wide" => Ok(OutputFormat::Wide),
            "json" => Ok(OutputFormat::Json),
            "yaml" => Ok(OutputFormat::Yaml),
            "name" => Ok(OutputFormat::Name),
            "csv" => Ok(OutputFormat::Csv),
            "sarif" => Ok(OutputFormat::Sarif),
            "github" => Ok(OutputFormat::Github),
            "openmetrics" | "prometheus" => Ok(OutputFormat::OpenMetrics),
            "jsonpath" => Err("jsonpath needs a template: -o jsonpath='{.items[*].name}'".into()),
            other => Err(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed \
                 formats are: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kubectl_spellings() {
        assert_eq!("json".parse::<OutputFormat>(), Ok(OutputFormat::Json));
        assert_eq!("wide".parse::<OutputFormat>(), Ok(OutputFormat::Wide));
        assert!(matches!("jsonpath={.items}".parse(), Ok(OutputFormat::JsonPath(_))));
        assert!("xml".parse::<OutputFormat>().unwrap_err().contains("allowed formats"));
    }
}
