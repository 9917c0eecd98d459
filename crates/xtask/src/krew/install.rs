//! Installs a platform's archive the way `kubectl krew install --manifest M --archive A` lays it
//! out, so a test can run the plugin exactly as krew users will:
//!
//! 1. the archive's sha256 must equal the manifest's (krew `downloader.NewSha256Verifier`);
//! 2. unpack it into a staging directory;
//! 3. apply `files` (default `from: "*"`, `to: "."`): everything `from` globs is moved into
//!    `<store>/<name>/<version>/<to>/` under its base name, and a `from` that matches nothing
//!    fails (krew `internal/installation/move.go`, `findMoveTargets`);
//! 4. `bin` must then exist in the install directory; krew links it as
//!    `$KREW_ROOT/bin/kubectl-<name>` (`pluginNameToBin`: `-` in the name becomes `_`).

use std::path::{Path, PathBuf};

use super::{FileOperation, Manifest, PlatformSpec};
use crate::Result;
use crate::archive;

/// What an install produced.
#[derive(Debug, Clone)]
pub struct Installed {
    /// `$KREW_ROOT/store/<name>/<version>`.
    pub install_dir: PathBuf,
    /// `$KREW_ROOT/bin`: the directory users put on PATH.
    pub bin_dir: PathBuf,
    /// `$KREW_ROOT/bin/kubectl-<name>`, a symlink to `bin`.
    pub link: PathBuf,
}

/// Installs `archive` for `platform` of `manifest` under `krew_root`.
pub fn install(
    manifest: &Manifest,
    platform: &PlatformSpec,
    archive: &Path,
    krew_root: &Path,
) -> Result<Installed> {
    let sum = archive::sha256_file(archive)?;
    if sum != platform.sha256 {
        return Err(format!(
            "checksum does not match: the manifest says {}, the archive is {sum}",
            platform.sha256
        )
        .into());
    }
    let staging = krew_root.join("staging");
    std::fs::create_dir_all(&staging)?;
    archive::unpack(archive, &staging)?;

    let name = &manifest.metadata.name;
    let install_dir = krew_root.join("store").join(name).join(&manifest.spec.version);
    std::fs::create_dir_all(&install_dir)?;
    let default_ops = [FileOperation { from: "*".into(), to: ".".into() }];
    let ops = platform.files.as_deref().unwrap_or(&default_ops);
    for op in ops {
        move_files(&staging, &install_dir, op)?;
    }
    std::fs::remove_dir_all(&staging)?;

    let bin = install_dir.join(&platform.bin);
    if !bin.is_file() {
        return Err(format!("`bin` {:?} is not in the installed files", platform.bin).into());
    }
    let bin_dir = krew_root.join("bin");
    std::fs::create_dir_all(&bin_dir)?;
    let link = bin_dir.join(format!(
        "kubectl-{}{}",
        name.replace('-', "_"),
        if platform.bin.ends_with(".exe") { ".exe" } else { "" }
    ));
    symlink(&bin, &link)?;
    Ok(Installed { install_dir, bin_dir, link })
}

/// One `files` operation: move every match of `from` into `to`, refusing paths that leave the
/// staging or install directory.
fn move_files(staging: &Path, install_dir: &Path, op: &FileOperation) -> Result<()> {
    if op.from.split('/').any(|part| part == "..") || op.to.split('/').any(|part| part == "..") {
        return Err(
            format!("files {{from: {:?}, to: {:?}}} leaves the directory", op.from, op.to).into()
        );
    }
    let matches = glob(staging, &op.from)?;
    if matches.is_empty() {
        return Err(format!("no file in the archive matches `files[].from` {:?}", op.from).into());
    }
    let to = install_dir.join(&op.to);
    std::fs::create_dir_all(&to)?;
    for path in matches {
        let Some(base) = path.file_name() else { continue };
        std::fs::rename(&path, to.join(base))?;
    }
    Ok(())
}

/// `filepath.Glob` for the patterns manifests use: `/`-separated segments where `*` and `?` match
/// within one segment.
fn glob(root: &Path, pattern: &str) -> Result<Vec<PathBuf>> {
    let mut current = vec![root.to_path_buf()];
    for segment in pattern.split('/').filter(|s| !s.is_empty() && *s != ".") {
        let mut next = Vec::new();
        for dir in &current {
            if !segment.contains(['*', '?']) {
                let path = dir.join(segment);
                if path.exists() {
                    next.push(path);
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into())
                .collect();
            names.sort();
            next.extend(names.iter().filter(|n| wildcard(segment, n)).map(|n| dir.join(n)));
        }
        current = next;
    }
    Ok(current)
}

/// `*` (any run) and `?` (one character) matching.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    if link.symlink_metadata().is_ok() {
        std::fs::remove_file(link)?;
    }
    std::os::unix::fs::symlink(target, link)?;
    Ok(())
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    // krew copies on Windows.
    std::fs::copy(target, link)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_within_a_segment() {
        assert!(wildcard("*", "kubectl-kuul"));
        assert!(wildcard("kubectl-*", "kubectl-kuul"));
        assert!(wildcard("LICENSE?", "LICENSE2"));
        assert!(!wildcard("kubectl-*", "README.md"));
    }

    #[test]
    fn a_from_that_matches_nothing_fails_like_krew() {
        let dir = tempfile::tempdir().unwrap();
        let op = FileOperation { from: "missing".into(), to: ".".into() };
        let err = move_files(dir.path(), dir.path(), &op).unwrap_err();
        assert!(err.to_string().contains("matches"), "{err}");
    }

    #[test]
    fn parent_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let op = FileOperation { from: "../x".into(), to: ".".into() };
        assert!(move_files(dir.path(), dir.path(), &op).is_err());
    }
}
