//! What `lint` prints: the table and `-o json|yaml|name|csv` through the shared printer, and
//! `-o sarif` / `-o github` rendered here.

use serde::Serialize;

use super::input::LoadError;
use super::rules::{RULES, Severity};
use crate::output::{Cell, Report, Tone};

/// One finding, where it is and what it says.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The file (`<stdin>`), or `null` in cluster mode.
    pub file: Option<String>,
    /// 1-based line in the file (`null` when unknown, e.g. in cluster mode).
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
    /// `CronJob` or `Job`.
    pub kind: &'static str,
    /// `metadata.namespace` (`null` when a manifest leaves it to apply time).
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// The field concerned, e.g. `spec.jobTemplate.spec.backoffLimit`.
    pub field: String,
    /// The rule's ID (`kubectl kuul lint --explain ID`).
    pub rule: &'static str,
    /// `error`, `warning` or `info` (after `.kuul-lint.yaml`).
    pub severity: Severity,
    /// What is wrong and what to do.
    pub message: String,
}

impl Row {
    /// `file:line` (or `file:line:column`), or the field in cluster mode.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            (None, _) => String::new(),
        }
    }

    /// `CronJob/ns/name`.
    pub fn object(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{ns}/{}", self.kind, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }
}

/// Counts per severity.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Objects linted (CronJobs and Jobs).
    pub objects: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Inputs that could not be read.
    pub unreadable: usize,
}

/// An input that could not be read, for `-o json`.
#[derive(Debug, Clone, Serialize)]
pub struct Unreadable {
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// Why.
    pub message: String,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintReport {
    /// `files` or `cluster`.
    pub mode: &'static str,
    /// Whose clock judged the schedules: `local` for files, `api-server` in cluster mode.
    pub clock: &'static str,
    /// `.kuul-lint.yaml` in effect, if any.
    pub config: Option<String>,
    /// Every finding, in input order.
    pub findings: Vec<Row>,
    /// Inputs that could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Totals.
    pub summary: Summary,
}

impl LintReport {
    /// Builds the report and its summary.
    pub(crate) fn new(
        mode: &'static str,
        clock: &'static str,
        config: Option<String>,
        objects: usize,
        findings: Vec<Row>,
        errors: &[LoadError],
    ) -> Self {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            objects,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            unreadable: errors.len(),
        };
        let unreadable = errors
            .iter()
            .map(|e| Unreadable {
                file: e.file.clone(),
                line: (e.line > 0).then_some(e.line),
                message: e.message.clone(),
            })
            .collect();
        LintReport { mode, clock, config, findings, unreadable, summary }
    }

    /// The highest severity found.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The one-line summary printed under the table.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        format!(
            "{} object(s) linted: {} error(s), {} warning(s), {} info",
            s.objects, s.errors, s.warnings, s.infos
        )
    }
}

fn tone(severity: Severity) -> Tone {
    match severity {
        Severity::Error => Tone::Bad,
        Severity::Warning => Tone::Warning,
        Severity::Info => Tone::Plain,
    }
}

impl Report for LintReport {
    fn headers(&self, wide: bool) -> Vec<&'static str> {
        let mut h = vec!["LOCATION", "OBJECT", "RULE", "SEVERITY", "MESSAGE"];
        if wide {
            h.insert(4, "FIELD");
        }
        h
    }

    fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        self.findings
            .iter()
            .map(|f| {
                let mut row: Vec<Cell> = vec![
                    f.location().into(),
                    f.object().into(),
                    f.rule.into(),
                    Cell::toned(f.severity.as_str(), tone(f.severity)),
                    f.message.clone().into(),
                ];
                if wide {
                    row.insert(4, f.field.clone().into());
                }
                row
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for f in &self.findings {
            let name = format!("{}.batch/{}", f.kind.to_lowercase(), f.name);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

/// GitHub Actions workflow commands, one per finding (`::error file=F,line=L,col=C,title=T::M`).
/// Property values escape `%`, CR, LF, `:` and `,`; messages `%`, CR and LF (actions/toolkit
/// `packages/core/src/command.ts`, `escapeProperty` / `escapeData`).
pub fn github(report: &LintReport) -> String {
    fn data(text: &str) -> String {
        text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
    }
    fn property(text: &str) -> String {
        data(text).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!("file={}", property(file)));
        }
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = f.column {
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", property(&format!("{} ({})", f.rule, f.object()))));
        out.push_str(&format!("::{level} {}::{}\n", props.join(","), data(&f.message)));
    }
    for e in &report.unreadable {
        let line = e.line.map(|l| format!(",line={l}")).unwrap_or_default();
        out.push_str(&format!(
            "::error file={}{line},title=unreadable::{}\n",
            property(&e.file),
            data(&e.message)
        ));
    }
    out
}

/// SARIF 2.1.0 for GitHub code scanning: one run, the full rule catalogue as the driver's rules
/// (with their pages as help), one result per finding with its physical location.
pub fn sarif(report: &LintReport) -> serde_json::Value {
    use serde_json::json;
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.why},
                "fullDescription": {"text": r.why},
                "help": {"text": r.doc, "markdown": r.doc},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let index = |id: &str| RULES.iter().position(|r| r.id == id).unwrap_or(0);
    let results: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            let logical = json!([{
                "name": f.name,
                "fullyQualifiedName": format!("{}/{}", f.object(), f.field),
                "kind": "object",
            }]);
            let mut location = json!({"logicalLocations": logical});
            if let Some(file) = &f.file {
                let mut region = serde_json::Map::new();
                if let Some(line) = f.line {
                    region.insert("startLine".into(), json!(line));
                }
                if let Some(col) = f.column.filter(|c| *c > 0) {
                    region.insert("startColumn".into(), json!(col));
                }
                let mut physical = json!({"artifactLocation": {"uri": uri(file)}});
                if !region.is_empty() {
                    physical["region"] = serde_json::Value::Object(region);
                }
                location["physicalLocation"] = physical;
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": index(f.rule),
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [location],
            })
        })
        .collect();
    let notifications: Vec<_> = report
        .unreadable
        .iter()
        .map(|e| {
            let mut location =
                json!({"physicalLocation": {"artifactLocation": {"uri": uri(&e.file)}}});
            if let Some(line) = e.line {
                location["physicalLocation"]["region"] = json!({"startLine": line});
            }
            json!({"level": "error", "message": {"text": e.message}, "locations": [location]})
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubectl-kuul-lint",
                "informationUri": "https://github.com/kuul-dev/kubectl-kuul",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": report.unreadable.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

/// A relative URI reference for a path (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    let mut out = String::new();
    for c in path.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(c),
            other => {
                let mut buf = [0u8; 4];
                for b in other.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}
