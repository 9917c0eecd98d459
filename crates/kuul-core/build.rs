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
///
/// Only paths that exist are watched: cargo reruns a build script on every build when a
/// `rerun-if-changed` path is missing, which rebuilt kuul-core and relinked every binary on
/// each `cargo build` of a clone without `.git/packed-refs`. Paths come from `git rev-parse
/// --git-path`, which also finds the refs of a worktree in the common git directory.
fn git_commit() -> Option<String> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let git_path = |name: &str| {
        git(&manifest_dir, &["rev-parse", "--git-path", name]).map(|p| manifest_dir.join(p))
    };
    // HEAD moves on checkout; the branch ref (loose or packed) moves on commit.
    let mut watch = vec![git_path("HEAD")?];
    if let Some(reference) = git(&manifest_dir, &["symbolic-ref", "-q", "HEAD"])
        && let Some(loose) = git_path(&reference)
    {
        // Not there while the ref is only packed: watch its directory, where a commit creates it.
        watch.push(if loose.exists() { loose.clone() } else { existing_parent(&loose) });
    }
    watch.extend(git_path("packed-refs"));
    for path in watch.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    git(&manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

/// The nearest ancestor of `path` that exists.
fn existing_parent(path: &Path) -> PathBuf {
    path.ancestors().skip(1).find(|p| p.exists()).unwrap_or(path).to_path_buf()
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
