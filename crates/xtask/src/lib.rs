//! Release tasks for kubectl-kuul, as a library so the end-to-end tests build, render, validate
//! and install a release exactly the way `cargo xtask dist` does (the xtask pattern: tasks in
//! Rust, run with `cargo xtask ...` through the alias in `.cargo/config.toml`, nothing to
//! install first).
//!
//! - [`platform`]: the release platforms, krew's os/arch names, the host.
//! - [`archive`]: reproducible `.tar.gz` archives and their sha256.
//! - [`dist`]: building the release binaries and packing the krew and full archives.
//! - [`krew`]: rendering the krew manifest from the krew-release-bot template, validating it as
//!   krew does, and installing an archive the way krew lays it out.
//! - [`man`]: man pages (clap_mangen), one per subcommand.
//! - [`completions`]: the committed `completions/` directory.

pub mod archive;
pub mod completions;
pub mod dist;
pub mod krew;
pub mod man;
pub mod platform;

/// Errors of the release tasks: a message for the person running them.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result of the release tasks.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The repository root (two levels above this crate).
pub fn repo_root() -> std::path::PathBuf {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).to_path_buf()
}
