//! `cargo xtask`: release tasks for kubectl-kuul (see the library docs). Run through the alias
//! in `.cargo/config.toml`: `cargo xtask dist`, `cargo xtask man`, `cargo xtask completions`,
//! `cargo xtask manifest`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{Result, completions, dist, man, repo_root};

/// Release tasks for kubectl-kuul.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Build release binaries, pack the krew and full archives with sha256s, render kuul.yaml
    Dist {
        /// Release tag (default: v + the workspace version)
        #[arg(long)]
        tag: Option<String>,
        /// Rust target triple (default: the host's; its musl twin on Linux when installed)
        #[arg(long)]
        target: Option<String>,
        /// Pack binaries already built in the target directory instead of building
        #[arg(long)]
        no_build: bool,
        /// Pack the binaries in this directory instead of building (a test's debug build)
        #[arg(long, value_name = "DIR", conflicts_with = "no_build")]
        bin_dir: Option<PathBuf>,
        /// Output directory (default: <target dir>/dist)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Render the krew manifest for archives collected in a directory (all five platforms)
    Manifest {
        /// Release tag (default: v + the workspace version)
        #[arg(long)]
        tag: Option<String>,
        /// Directory with the archives and their .sha256 files (default: <target dir>/dist)
        #[arg(long)]
        dist: Option<PathBuf>,
        /// Where to write the manifest (default: krew/kuul.yaml)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Leave out platforms without an archive instead of failing
        #[arg(long)]
        only_built: bool,
    },
    /// Write the man pages (one per subcommand)
    Man {
        /// Output directory (default: <target dir>/man)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Regenerate completions/ (or, with --check, fail when it is stale)
    Completions {
        /// Only check
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(task: Task) -> Result<()> {
    match task {
        Task::Dist { tag, target, no_build, bin_dir, out } => {
            let tag = tag.unwrap_or_else(dist::default_tag);
            let (triple, note) = dist::choose_target(target.as_deref())?;
            if let Some(note) = &note {
                eprintln!("note: {note}");
            }
            let bin_dir = match bin_dir {
                Some(dir) => dir,
                None if no_build => dist::target_dir().join(&triple).join("dist"),
                None => dist::build(&triple)?,
            };
            let out = out.unwrap_or_else(|| dist::target_dir().join("dist"));
            let packed = dist::pack_all(&triple, &bin_dir, &tag, &out)?;
            for archive in [&packed.krew_archive, &packed.full_archive] {
                let size = std::fs::metadata(archive)?.len();
                println!("{} ({} KiB)", archive.display(), size / 1024);
            }
            println!(
                "{} (platforms with an archive in {})",
                packed.manifest.display(),
                out.display()
            );
            Ok(())
        }
        Task::Manifest { tag, dist: dir, out, only_built } => {
            let tag = tag.unwrap_or_else(dist::default_tag);
            let dir = dir.unwrap_or_else(|| dist::target_dir().join("dist"));
            let (_, text) =
                dist::manifest(&dist::read_template()?, &tag, &dist::sums_in(&dir)?, only_built)?;
            let out = out.unwrap_or_else(|| repo_root().join("krew").join("kuul.yaml"));
            std::fs::write(&out, text)?;
            println!("{}", out.display());
            Ok(())
        }
        Task::Man { out } => {
            let out = out.unwrap_or_else(|| dist::target_dir().join("man"));
            for name in man::write(&out)? {
                println!("{}", out.join(name).display());
            }
            Ok(())
        }
        Task::Completions { check } => {
            let dir = repo_root().join("completions");
            if check {
                let stale = completions::stale(&dir);
                if !stale.is_empty() {
                    return Err(format!(
                        "completions/ is stale ({}); run `cargo xtask completions`",
                        stale.join(", ")
                    )
                    .into());
                }
                println!("completions/ is up to date");
            } else {
                for name in completions::write(&dir)? {
                    println!("completions/{name}");
                }
            }
            Ok(())
        }
    }
}
