//! The krew plugin manifest: its types (krew `pkg/index/types.go`, apiVersion
//! `krew.googlecontainertools.github.com/v1alpha2`), rendering from the krew-release-bot
//! template `krew/.krew.yaml` ([`render`]), krew's validation rules ([`validate`]) and krew's
//! install layout ([`install`]).
//!
//! One template serves both release paths: krew-release-bot fills it in on GitHub for each tag,
//! and `cargo xtask dist` fills it in locally the same way for the archives it built, so the
//! manifest the tests validate is the one krew users get.

pub mod install;
pub mod render;
pub mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest's `apiVersion` (krew `pkg/constants.CurrentAPIVersion`).
pub const API_VERSION: &str = "krew.googlecontainertools.github.com/v1alpha2";
/// The manifest's `kind` (krew `pkg/constants.PluginKind`).
pub const KIND: &str = "Plugin";
/// The plugin's krew name: `kubectl krew install kuul`, run as `kubectl kuul`.
pub const PLUGIN_NAME: &str = "kuul";

/// A krew plugin manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Must be [`API_VERSION`].
    pub api_version: String,
    /// Must be [`KIND`].
    pub kind: String,
    /// The plugin's name.
    pub metadata: Metadata,
    /// Everything else.
    pub spec: Spec,
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The plugin name (`kubectl <name>`).
    pub name: String,
}

/// `spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    /// `vMAJOR.MINOR.PATCH`.
    #[serde(default)]
    pub version: String,
    /// Project page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// One line for `kubectl krew search`.
    #[serde(default)]
    pub short_description: String,
    /// `kubectl krew info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Printed after install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveats: Option<String>,
    /// One entry per os/arch.
    #[serde(default)]
    pub platforms: Vec<PlatformSpec>,
}

/// `spec.platforms[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformSpec {
    /// Which os/arch this entry serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<Selector>,
    /// Where the archive is downloaded from.
    #[serde(default)]
    pub uri: String,
    /// The archive's sha256.
    #[serde(default)]
    pub sha256: String,
    /// Files moved from the unpacked archive into the install directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileOperation>>,
    /// The executable krew links as `kubectl-<name>`, relative to the install directory.
    #[serde(default)]
    pub bin: String,
}

/// A label selector over krew's two labels, `os` and `arch`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Selector {
    /// Labels that must equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_labels: Option<BTreeMap<String, String>>,
    /// Set-based requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_expressions: Option<Vec<Requirement>>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    /// `os` or `arch`.
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    pub operator: String,
    /// For `In`/`NotIn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// `files[]`: move what `from` (a glob, relative to the unpacked archive) matches into `to`
/// (relative to the install directory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileOperation {
    /// Glob in the archive.
    #[serde(default)]
    pub from: String,
    /// Directory in the install dir.
    #[serde(default)]
    pub to: String,
}

impl Selector {
    /// Whether the selector selects `os`/`arch` (apimachinery `LabelSelectorAsSelector` +
    /// `Matches`, restricted to the operators krew manifests use).
    pub fn matches(&self, os: &str, arch: &str) -> bool {
        let value = |key: &str| match key {
            "os" => Some(os),
            "arch" => Some(arch),
            _ => None,
        };
        let labels_match = self
            .match_labels
            .iter()
            .flatten()
            .all(|(key, wanted)| value(key) == Some(wanted.as_str()));
        let expressions_match = self.match_expressions.iter().flatten().all(|req| {
            let actual = value(&req.key);
            let values = req.values.as_deref().unwrap_or_default();
            match req.operator.as_str() {
                "In" => actual.is_some_and(|a| values.iter().any(|v| v == a)),
                "NotIn" => actual.is_none_or(|a| values.iter().all(|v| v != a)),
                "Exists" => actual.is_some(),
                "DoesNotExist" => actual.is_none(),
                _ => false,
            }
        });
        labels_match && expressions_match
    }
}

impl Manifest {
    /// Parses a manifest.
    pub fn parse(text: &str) -> crate::Result<Manifest> {
        serde_saphyr::from_str(text).map_err(|e| format!("the manifest does not parse: {e}").into())
    }

    /// The manifest as YAML.
    pub fn to_yaml(&self) -> crate::Result<String> {
        Ok(serde_saphyr::to_string(self)?)
    }

    /// The platform entry krew would pick for `os`/`arch` (the first whose selector matches, as
    /// krew's `GetMatchingPlatform` does).
    pub fn platform_for(&self, os: &str, arch: &str) -> Option<&PlatformSpec> {
        self.spec
            .platforms
            .iter()
            .find(|p| p.selector.as_ref().is_some_and(|s| s.matches(os, arch)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_labels_and_expressions() {
        let labels = Selector {
            match_labels: Some(BTreeMap::from([
                ("os".to_owned(), "linux".to_owned()),
                ("arch".to_owned(), "amd64".to_owned()),
            ])),
            match_expressions: None,
        };
        assert!(labels.matches("linux", "amd64"));
        assert!(!labels.matches("linux", "arm64"));
        let expressions = Selector {
            match_labels: None,
            match_expressions: Some(vec![Requirement {
                key: "os".into(),
                operator: "In".into(),
                values: Some(vec!["darwin".into(), "linux".into()]),
            }]),
        };
        assert!(expressions.matches("darwin", "arm64"));
        assert!(!expressions.matches("windows", "amd64"));
    }
}
