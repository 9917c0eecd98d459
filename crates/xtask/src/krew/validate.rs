//! krew's manifest rules, ported so a release cannot ship a manifest krew or krew-index CI
//! would reject:
//!
//! - kubernetes-sigs/krew `internal/index/validation/validate.go` (`ValidatePlugin`,
//!   `validatePlatform`, `validateFiles`, `validateSelector`, `IsSafePluginName`) and
//!   `internal/installation/semver` (`v` prefix, then apimachinery's `ParseSemantic`);
//! - krew's `cmd/validate-krew-manifest` (run on every krew-index pull request): the plugin is
//!   named after its file, every platform selector matches a real os/arch, no os/arch is matched
//!   by two platforms, and the line-length limits, which it only warns about and we enforce.

use std::collections::BTreeSet;

use super::{API_VERSION, KIND, Manifest, PlatformSpec, Selector};

/// Windows device names a plugin may not be called (krew `windowsForbidden`).
const WINDOWS_FORBIDDEN: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The os/arch pairs a selector may pick (krew's supported platforms, arm64 included).
pub const KNOWN_PLATFORMS: [(&str, &str); 9] = [
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("linux", "arm"),
    ("linux", "386"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
    ("windows", "amd64"),
    ("windows", "arm64"),
    ("windows", "386"),
];

/// Every problem krew would find with `manifest`, stored in a file whose stem is `file_name`
/// (krew infers the plugin name from `<name>.yaml`). Empty means valid.
pub fn problems(file_name: &str, manifest: &Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fail = |text: String| problems.push(text);
    if manifest.api_version != API_VERSION {
        fail(format!("apiVersion is {:?}, krew wants {API_VERSION:?}", manifest.api_version));
    }
    if manifest.kind != KIND {
        fail(format!("kind is {:?}, krew wants {KIND:?}", manifest.kind));
    }
    let name = &manifest.metadata.name;
    if !is_safe_plugin_name(name) {
        fail(format!("the plugin name {name:?} is not allowed, it must match ^[\\w-]+$"));
    }
    if name != file_name {
        fail(format!("the plugin should be named {file_name:?} after its file, not {name:?}"));
    }
    let spec = &manifest.spec;
    if spec.short_description.is_empty() {
        fail("shortDescription is empty".into());
    }
    if spec.short_description.contains(['\r', '\n']) {
        fail("shortDescription has a line break".into());
    }
    if spec.version.is_empty() {
        fail("version is empty".into());
    } else if let Err(why) = parse_version(&spec.version) {
        fail(format!("version {:?}: {why}", spec.version));
    }
    for (field, text, max) in [
        ("shortDescription", Some(&spec.short_description), 70),
        ("description", spec.description.as_ref(), 80),
        ("caveats", spec.caveats.as_ref(), 80),
    ] {
        if let Some(text) = text
            && !lines_fit(text, max)
        {
            fail(format!("a line of {field} is longer than {max} characters"));
        }
    }
    if spec.platforms.is_empty() {
        fail("no platforms".into());
    }
    for (index, platform) in spec.platforms.iter().enumerate() {
        for problem in platform_problems(platform) {
            fail(format!("platforms[{index}]: {problem}"));
        }
    }
    for (os, arch) in KNOWN_PLATFORMS {
        let matching: Vec<usize> = spec
            .platforms
            .iter()
            .enumerate()
            .filter(|(_, p)| p.selector.as_ref().is_some_and(|s| s.matches(os, arch)))
            .map(|(i, _)| i)
            .collect();
        if matching.len() > 1 {
            fail(format!("platforms {matching:?} overlap: all select os={os}/arch={arch}"));
        }
    }
    problems
}

/// krew `IsSafePluginName`: `^[\w-]+$` and not a Windows device name.
pub fn is_safe_plugin_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !WINDOWS_FORBIDDEN.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// krew's `semver.Parse`: a leading `v`, then a semantic version as apimachinery's
/// `ParseSemantic` accepts it (`MAJOR.MINOR.PATCH[-pre][+build]`, numbers without leading
/// zeros).
pub fn parse_version(text: &str) -> Result<(u64, u64, u64), String> {
    let Some(rest) = text.strip_prefix('v') else {
        return Err("does not start with 'v'".into());
    };
    let (core, build) = rest.split_once('+').map_or((rest, None), |(c, b)| (c, Some(b)));
    let (core, pre) = core.split_once('-').map_or((core, None), |(c, p)| (c, Some(p)));
    let ident_ok = |part: &str| {
        !part.is_empty()
            && part.split('.').all(|id| {
                !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    };
    if pre.is_some_and(|p| !ident_ok(p)) || build.is_some_and(|b| !ident_ok(b)) {
        return Err("bad pre-release or build part".into());
    }
    let numbers: Vec<&str> = core.split('.').collect();
    let [major, minor, patch] = numbers.as_slice() else {
        return Err("is not MAJOR.MINOR.PATCH".into());
    };
    let number = |part: &str| -> Result<u64, String> {
        if part.len() > 1 && part.starts_with('0') {
            return Err(format!("{part:?} has a leading zero"));
        }
        part.parse().map_err(|_| format!("{part:?} is not a number"))
    };
    Ok((number(major)?, number(minor)?, number(patch)?))
}

/// krew `validatePlatform`, `validateFiles`, `validateSelector`, plus validate-krew-manifest's
/// "selector matches a supported platform".
fn platform_problems(platform: &PlatformSpec) -> Vec<String> {
    let mut problems = Vec::new();
    if platform.uri.is_empty() {
        problems.push("`uri` has to be set".into());
    }
    if platform.sha256.is_empty() {
        problems.push("`sha256` sum has to be set".into());
    } else if !(platform.sha256.len() == 64
        && platform.sha256.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
    {
        problems.push(format!("`sha256` {:?} must match ^[a-f0-9]{{64}}$", platform.sha256));
    }
    if platform.bin.is_empty() {
        problems.push("`bin` has to be set".into());
    }
    if let Some(files) = &platform.files {
        if files.is_empty() {
            problems.push("`files` has to be unspecified or non-empty".into());
        }
        for op in files {
            if op.from.is_empty() {
                problems.push("`files[].from` has to be set".into());
            }
            if op.to.is_empty() {
                problems.push("`files[].to` has to be set".into());
            }
        }
    }
    match &platform.selector {
        None => problems.push("nil selector is not supported".into()),
        Some(selector) => problems.extend(selector_problems(selector)),
    }
    problems
}

fn selector_problems(selector: &Selector) -> Vec<String> {
    let mut problems = Vec::new();
    let labels = selector.match_labels.as_ref();
    let expressions = selector.match_expressions.as_ref();
    if labels.is_none() && expressions.is_none_or(Vec::is_empty) {
        problems.push("empty selector is not supported".into());
    }
    let keys: BTreeSet<&str> = labels
        .into_iter()
        .flat_map(|l| l.keys().map(String::as_str))
        .chain(expressions.into_iter().flatten().map(|e| e.key.as_str()))
        .collect();
    for key in keys {
        if key != "os" && key != "arch" {
            problems.push(format!("selector key {key:?} not supported"));
        }
    }
    if labels.is_some_and(|l| l.is_empty()) {
        problems.push("`matchLabels` specified but empty".into());
    }
    if expressions.is_some_and(Vec::is_empty) {
        problems.push("`matchExpressions` specified but empty".into());
    }
    if problems.is_empty() && !KNOWN_PLATFORMS.iter().any(|(os, arch)| selector.matches(os, arch)) {
        problems.push("the selector matches no supported os/arch".into());
    }
    problems
}

/// validate-krew-manifest `validateLineLength`: lines may exceed `max` only if they are one word.
fn lines_fit(text: &str, max: usize) -> bool {
    text.lines().all(|line| line.chars().count() <= max || !line.trim().contains(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_names_follow_krew() {
        assert!(is_safe_plugin_name("kuul"));
        assert!(is_safe_plugin_name("view-allocations"));
        assert!(!is_safe_plugin_name("ku ul"));
        assert!(!is_safe_plugin_name("../kuul"));
        assert!(!is_safe_plugin_name("con"));
    }

    #[test]
    fn versions_need_v_and_three_numbers() {
        assert_eq!(parse_version("v0.1.0"), Ok((0, 1, 0)));
        assert!(parse_version("v1.2.3-rc.1+build.5").is_ok());
        assert!(parse_version("0.1.0").is_err());
        assert!(parse_version("v0.1").is_err());
        assert!(parse_version("v01.1.0").is_err());
    }

    #[test]
    fn long_lines_are_rejected_unless_one_word() {
        assert!(lines_fit(&"x".repeat(100), 80));
        assert!(!lines_fit(&"word ".repeat(20), 80));
    }
}
