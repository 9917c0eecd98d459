//! Runs the rules over everything read and applies the settings: `.kuul-lint.yaml` severities
//! and switches, per-object `kuul.dev/lint-ignore`, and which rules fit the mode.

use jiff::Timestamp;

use super::config::Config;
use super::node::Node;
use super::object::{Kind, Target};
use super::report::Row;
use super::rules::live::{self, LiveFacts};
use super::rules::{Finding, Scope, Sink, check_object, naming, pileup, rule};

/// One object to lint, with where it came from.
pub(crate) struct Item<'a> {
    /// The file, or `None` in cluster mode.
    pub(crate) file: Option<&'a str>,
    pub(crate) object: &'a Node,
    /// Cluster mode: what the cluster says about it.
    pub(crate) live: Option<LiveFacts<'a>>,
}

/// Lints `items`; returns the findings (input order, then line) and how many objects were
/// CronJobs or Jobs.
pub(crate) fn lint(items: &[Item<'_>], config: &Config, now: Timestamp) -> (Vec<Row>, usize) {
    let cluster = items.iter().any(|i| i.live.is_some());
    let mut targets = Vec::new();
    let mut owners = Vec::new();
    for item in items {
        if let Some(target) = Target::new(item.object, now) {
            targets.push(target);
            owners.push(item);
        }
    }
    let mut found: Vec<Vec<Finding>> = targets
        .iter()
        .zip(&owners)
        .map(|(target, item)| {
            let mut found = Vec::new();
            let mut sink = Sink { found: &mut found };
            check_object(target, config, &mut sink);
            if let Some(facts) = &item.live {
                live::check(target, facts, &mut sink);
            }
            found
        })
        .collect();
    let locations: Vec<String> = targets
        .iter()
        .zip(&owners)
        .map(|(t, item)| match item.file {
            Some(file) => {
                let line = t.object.at("metadata.name").map_or(t.object.line, |n| n.line);
                format!("{file}:{line}")
            }
            None => t.display(),
        })
        .collect();
    for (i, finding) in naming::duplicates(&targets, &locations)
        .into_iter()
        .chain(pileup::pile_up(&targets, config, now))
    {
        found[i].push(finding);
    }

    let mut rows = Vec::new();
    for ((target, item), mut findings) in targets.iter().zip(&owners).zip(found) {
        let ignored = target.ignored();
        findings.sort_by_key(|f| (f.line, f.column));
        for f in findings {
            let Some(meta) = rule(f.rule) else { continue };
            let fits = match meta.scope {
                Scope::Manifest => true,
                Scope::FilesOnly => !cluster,
                Scope::Live => cluster,
            };
            if !fits || (target.kind == Kind::Job && !meta.jobs_too) {
                continue;
            }
            if ignored.iter().any(|r| *r == f.rule || *r == "all") {
                continue;
            }
            let Some(severity) = config.severity(f.rule) else { continue };
            let known = |n: u32| (n > 0).then_some(n);
            rows.push(Row {
                file: item.file.map(str::to_owned),
                line: item.file.and(known(f.line)),
                column: item.file.and(known(f.column)),
                kind: if target.kind == Kind::CronJob { "CronJob" } else { "Job" },
                namespace: target.namespace().map(str::to_owned),
                name: target.name().to_owned(),
                field: f.field,
                rule: f.rule,
                severity,
                message: f.message,
            });
        }
    }
    (rows, targets.len())
}

#[cfg(test)]
mod tests {
    use super::super::node::parse_documents;
    use super::super::rules::Severity;
    use super::super::rules::testing::{CLEAN, now, with};
    use super::*;
    use std::path::Path;

    fn run(yaml: &str, config: &Config) -> Vec<Row> {
        let docs = parse_documents(yaml).unwrap();
        let items: Vec<Item<'_>> =
            docs.iter().map(|d| Item { file: Some("f.yaml"), object: d, live: None }).collect();
        lint(&items, config, now()).0
    }

    #[test]
    fn the_ignore_annotation_switches_rules_off_for_one_object() {
        let yaml = with("  timeZone: Europe/Berlin\n", "");
        assert_eq!(run(&yaml, &Config::default()).len(), 1);
        let ignored = yaml.replace(
            "  namespace: ops\n",
            "  namespace: ops\n  annotations:\n    kuul.dev/lint-ignore: \"time-zone-missing, suspended\"\n",
        );
        assert!(run(&ignored, &Config::default()).is_empty());
    }

    #[test]
    fn the_config_regrades_and_switches_off() {
        let yaml = with("  timeZone: Europe/Berlin\n", "");
        let config =
            Config::parse("rules:\n  time-zone-missing: error\n", Path::new("c.yaml")).unwrap();
        let rows = run(&yaml, &config);
        assert_eq!((rows[0].severity, rows[0].line), (Severity::Error, Some(6)));
        let config =
            Config::parse("rules:\n  time-zone-missing: off\n", Path::new("c.yaml")).unwrap();
        assert!(run(&yaml, &config).is_empty());
    }

    #[test]
    fn jobs_get_only_job_rules_and_other_kinds_nothing() {
        let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: 'x:1'}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
        let rules: Vec<_> = run(yaml, &Config::default()).iter().map(|r| r.rule).collect();
        assert_eq!(
            rules,
            ["backoff-limit-missing", "active-deadline-missing", "resources-missing"]
        );
    }

    #[test]
    fn the_clean_manifest_stays_clean_end_to_end() {
        assert!(run(CLEAN, &Config::default()).is_empty());
    }
}
