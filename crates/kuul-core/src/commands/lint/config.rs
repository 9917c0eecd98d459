//! `.kuul-lint.yaml`: per-repository rule settings.
//!
//! ```yaml
//! rules:
//!   time-zone-missing: off        # off, info, warning or error
//!   resources-missing: error
//! thresholds:
//!   pileUp: 10                    # schedule-pile-up: most CronJobs starting in one minute
//!   missedStartsWindow: 24h       # starting-deadline-missing: 100 runs within this span
//!   onFailureBackoffLimit: 2      # restart-on-failure-high-backoff: highest backoffLimit
//!   maxHistoryLimit: 20           # history-limit-large
//!   minTtl: 1h                    # ttl-too-short
//! ```
//!
//! Found in the current directory or the nearest parent that has one (as `.editorconfig` and
//! ruff's `pyproject.toml` are), or named with `--config`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::SignedDuration;
use serde::Deserialize;

use super::rules::{RULES, Severity, rule};
use crate::error::{Error, Result};

/// The file name looked for.
pub(crate) const FILE_NAME: &str = ".kuul-lint.yaml";

/// Numbers rules compare against.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Thresholds {
    pub(crate) pile_up: usize,
    pub(crate) missed_starts_window: SignedDuration,
    pub(crate) on_failure_backoff_limit: i64,
    pub(crate) max_history_limit: i64,
    pub(crate) min_ttl_seconds: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            pile_up: 10,
            missed_starts_window: SignedDuration::from_hours(24),
            on_failure_backoff_limit: 2,
            max_history_limit: 20,
            min_ttl_seconds: 3600,
        }
    }
}

/// The effective settings: each rule's severity (`None`: off) and the thresholds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    severities: HashMap<&'static str, Option<Severity>>,
    pub(crate) thresholds: Thresholds,
    /// The file they came from, if any.
    pub(crate) source: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            severities: RULES.iter().map(|r| (r.id, Some(r.severity))).collect(),
            thresholds: Thresholds::default(),
            source: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: HashMap<String, String>,
    #[serde(default)]
    thresholds: FileThresholds,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileThresholds {
    pile_up: Option<usize>,
    missed_starts_window: Option<String>,
    on_failure_backoff_limit: Option<i64>,
    max_history_limit: Option<i64>,
    min_ttl: Option<String>,
}

impl Config {
    /// The severity of `rule` now (`None`: switched off).
    pub(crate) fn severity(&self, rule: &str) -> Option<Severity> {
        self.severities.get(rule).copied().flatten()
    }

    /// Parses a `.kuul-lint.yaml` text (`path` only names it in errors).
    pub(crate) fn parse(text: &str, path: &Path) -> Result<Config> {
        let bad = |what: String| Error::Usage(format!("{}: {what}", path.display()));
        let file: File = if text.trim().is_empty() {
            File { rules: HashMap::new(), thresholds: FileThresholds::default() }
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                bad(e.to_string().lines().next().unwrap_or("cannot parse").to_owned())
            })?
        };
        let mut config = Config { source: Some(path.to_owned()), ..Config::default() };
        for (id, setting) in &file.rules {
            let Some(known) = rule(id) else {
                return Err(bad(format!(
                    "unknown rule \"{id}\" (kubectl kuul lint --explain lists them)"
                )));
            };
            let severity = match setting.as_str() {
                "off" | "false" | "disabled" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    bad(format!("rule {id}: \"{other}\" is not off, info, warning or error"))
                })?),
            };
            config.severities.insert(known.id, severity);
        }
        let t = &mut config.thresholds;
        let f = file.thresholds;
        let duration = |name: &str, text: Option<String>| -> Result<Option<SignedDuration>> {
            text.map(|text| {
                crate::duration::parse(&text)
                    .map_err(|e| bad(format!("thresholds.{name}: {e}")))
                    .and_then(|d| {
                        SignedDuration::try_from(d)
                            .map_err(|e| bad(format!("thresholds.{name}: {e}")))
                    })
            })
            .transpose()
        };
        if let Some(n) = f.pile_up {
            t.pile_up = n;
        }
        if let Some(d) = duration("missedStartsWindow", f.missed_starts_window)? {
            t.missed_starts_window = d;
        }
        if let Some(n) = f.on_failure_backoff_limit {
            t.on_failure_backoff_limit = n;
        }
        if let Some(n) = f.max_history_limit {
            t.max_history_limit = n;
        }
        if let Some(d) = duration("minTtl", f.min_ttl)? {
            t.min_ttl_seconds = d.as_secs();
        }
        Ok(config)
    }

    /// `--config PATH`, else the nearest `.kuul-lint.yaml` from `start` upwards, else defaults.
    pub(crate) fn load(explicit: Option<&Path>, start: &Path) -> Result<Config> {
        let path = match explicit {
            Some(path) => Some(path.to_owned()),
            None => start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file()),
        };
        let Some(path) = path else { return Ok(Config::default()) };
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            context: format!("reading {}", path.display()),
            source,
        })?;
        Config::parse(&text, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_can_be_switched_off_or_regraded_and_thresholds_set() {
        let config = Config::parse(
            "rules:\n  time-zone-missing: off\n  resources-missing: error\nthresholds:\n  pileUp: 3\n  minTtl: 10m\n",
            Path::new(".kuul-lint.yaml"),
        )
        .unwrap();
        assert_eq!(config.severity("time-zone-missing"), None);
        assert_eq!(config.severity("resources-missing"), Some(Severity::Error));
        assert_eq!(config.severity("backoff-limit-missing"), Some(Severity::Warning));
        assert_eq!(config.thresholds.pile_up, 3);
        assert_eq!(config.thresholds.min_ttl_seconds, 600);
    }

    #[test]
    fn mistakes_are_named() {
        let err = Config::parse("rules:\n  no-such-rule: off\n", Path::new("x.yaml")).unwrap_err();
        assert!(err.to_string().contains("unknown rule \"no-such-rule\""), "{err}");
        let err = Config::parse("rules:\n  suspended: loud\n", Path::new("x.yaml")).unwrap_err();
        assert!(err.to_string().contains("not off, info, warning or error"), "{err}");
        assert!(Config::parse("thresholds:\n  pileup: 3\n", Path::new("x.yaml")).is_err());
    }

    #[test]
    fn the_nearest_file_upwards_wins() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "thresholds:\n  pileUp: 7\n").unwrap();
        assert_eq!(Config::load(None, &deep).unwrap().thresholds.pile_up, 7);
    }
}
