//! Build script: records the git commit the binaries were built from, for `--version`.
//!
//! `KUUL_GIT_COMMIT` wins when set (builds from a source tarball or a packager's sandbox have no
//! `.git`); otherwise `git rev-parse --short=12 HEAD`; otherwise "unknown commit". A missing git
//! never fails the build. No `-dirty` suffix: the script reruns only when HEAD moves (so an edit
//! does not rebuild kuul-core), and a dirty flag computed then would go stale.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KUUL_GIT_COMMIT");
    let commit = std::env::var("KUUL_GIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown commit".to_owned());
    println!("cargo:rustc-env=KUUL_GIT_COMMIT={}", commit.trim());
}

/// The short commit of HEAD, and rerun triggers on the files that move when HEAD moves.
fn git_commit() -> Option<String> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let git_dir = git(&manifest_dir, &["rev-parse", "--absolute-git-dir"])?;
    let git_dir = Path::new(&git_dir);
    // HEAD moves on checkout; the branch ref (loose or packed) moves on commit.
    println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
    println!("cargo:rerun-if-changed={}", git_dir.join("packed-refs").display());
    if let Some(reference) = git(&manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        println!("cargo:rerun-if-changed={}", git_dir.join(reference).display());
    }
    git(&manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

/// Runs git in `dir`; its trimmed stdout, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).current_dir(dir).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
