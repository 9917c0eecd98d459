//! `cargo xtask dist`: release binaries for one target, packed into
//!
//! - the krew archive `kubectl-kuul_<tag>_<os>_<arch>.tar.gz`: only what krew installs, flat:
//!   `kubectl-kuul`, its completion hook `kubectl_complete-kuul`, `LICENSE`, `README.md` (krew
//!   links only `kubectl-kuul`, so the thin binaries would be dead weight there);
//! - the full archive `kubectl-kuul-full_<tag>_<os>_<arch>.tar.gz`: every binary (the umbrella and
//!   the eight thin `kubectl-kuul-<sub>`) and their hooks in `bin/`, `completions/`,
//!   `man/man1/`, `LICENSE`, `README.md`, under one top directory;
//!
//! each with a `.sha256`, and the krew manifest `kuul.yaml` rendered from `krew/.krew.yaml` for
//! the archives present in the output directory.
//!
//! Linux releases are meant to be static musl builds; the musl target is used when rustup has it
//! installed, otherwise the host target is built and the report says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kuul_core::cli::SUBCOMMANDS;
use kuul_core::commands::completion::{committed_files, hook_file};

use crate::archive::{self, Entry};
use crate::krew::{self, Manifest, render, validate};
use crate::platform::{self, Platform};
use crate::{Result, man, repo_root};

/// The krew template, relative to the repository root.
pub const TEMPLATE: &str = "krew/.krew.yaml";

/// The release tag for this workspace version (`v0.1.0`).
pub fn default_tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// The target directory cargo uses (`CARGO_TARGET_DIR`, else `<repo>/target`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo_root().join("target"), PathBuf::from)
}

/// The target to build: the one asked for, else the host's, switched to musl on Linux when that
/// target is installed (static binaries). Returns the triple and a note when the release wish
/// (static musl on Linux) could not be met.
pub fn choose_target(asked: Option<&str>) -> Result<(String, Option<String>)> {
    if let Some(triple) = asked {
        return Ok((triple.to_owned(), None));
    }
    let host = platform::host_triple()?;
    if let Some(musl) = host.strip_suffix("-linux-gnu").map(|arch| format!("{arch}-linux-musl")) {
        if platform::target_installed(&musl) {
            return Ok((musl, None));
        }
        let note = format!(
            "{musl} is not installed (rustup target add {musl}), so this is a {host} build: \
             dynamically linked against glibc, not static"
        );
        return Ok((host, Some(note)));
    }
    Ok((host, None))
}

/// `cargo build --profile dist` of every binary of `kubectl-kuul` for `triple`; returns the
/// directory holding them. The dist profile (workspace Cargo.toml) is release plus fat LTO and
/// one codegen unit, too slow for everyday `--release` builds and worth it for archives.
pub fn build(triple: &str) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(repo_root()).args([
        "build",
        "--profile",
        "dist",
        "-p",
        "kubectl-kuul",
        "--bins",
        "--target",
        triple,
    ]);
    if triple.ends_with("-musl") {
        // Static C runtime, as ripgrep's release builds do.
        let flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        command.env("RUSTFLAGS", format!("{flags} -C target-feature=+crt-static").trim());
    }
    let status = command.status()?;
    if !status.success() {
        return Err(format!("cargo build --profile dist failed ({status})").into());
    }
    Ok(target_dir().join(triple).join("dist"))
}

/// The krew archive's entries for `platform`, from the binaries in `bin_dir`.
pub fn krew_entries(bin_dir: &Path, platform: &Platform) -> Vec<Entry> {
    let exe = platform.exe_suffix();
    let root = repo_root();
    let mut entries = vec![Entry::file(
        format!("kubectl-kuul{exe}"),
        bin_dir.join(format!("kubectl-kuul{exe}")),
        true,
    )];
    let (hook, script) = hook_file(None, platform.family());
    entries.push(Entry::bytes(hook, script, true));
    entries.push(Entry::file("LICENSE", root.join("LICENSE"), false));
    entries.push(Entry::file("README.md", root.join("README.md"), false));
    entries
}

/// The full archive's entries for `platform`, under `<top>/`.
pub fn full_entries(bin_dir: &Path, platform: &Platform, top: &str) -> Result<Vec<Entry>> {
    let exe = platform.exe_suffix();
    let root = repo_root();
    let mut entries = Vec::new();
    let binaries = std::iter::once("kubectl-kuul".to_owned())
        .chain(SUBCOMMANDS.iter().map(|sub| format!("kubectl-kuul-{}", sub.replace('-', "_"))));
    for binary in binaries {
        let file = format!("{binary}{exe}");
        entries.push(Entry::file(format!("{top}/bin/{file}"), bin_dir.join(&file), true));
    }
    for (name, text) in committed_files() {
        if !crate::completions::is_hook(&name) {
            entries.push(Entry::bytes(format!("{top}/completions/{name}"), text, false));
        }
    }
    // The completion hooks beside the binaries: the committed shell scripts on Unix, batch files
    // on Windows (`hook_file`).
    let subs = SUBCOMMANDS.iter().map(|sub| Some(*sub));
    for (name, text) in std::iter::once(None).chain(subs).map(|s| hook_file(s, platform.family())) {
        entries.push(Entry::bytes(format!("{top}/bin/{name}"), text, true));
    }
    for (name, page) in man::pages()? {
        entries.push(Entry::bytes(format!("{top}/man/man1/{name}"), page, false));
    }
    entries.push(Entry::file(format!("{top}/LICENSE"), root.join("LICENSE"), false));
    entries.push(Entry::file(format!("{top}/README.md"), root.join("README.md"), false));
    Ok(entries)
}

/// Packs the krew archive for `platform` from `bin_dir` into `out`; returns its path.
pub fn pack_krew(bin_dir: &Path, platform: &Platform, tag: &str, out: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(out)?;
    let archive = out.join(platform.krew_archive(tag));
    archive::pack(&archive, &krew_entries(bin_dir, platform))?;
    Ok(archive)
}

/// Packs the full archive for `platform` from `bin_dir` into `out`; returns its path.
pub fn pack_full(bin_dir: &Path, platform: &Platform, tag: &str, out: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(out)?;
    let archive = out.join(platform.full_archive(tag));
    let top = format!("kubectl-kuul-{tag}-{}-{}", platform.os, platform.arch);
    archive::pack(&archive, &full_entries(bin_dir, platform, &top)?)?;
    Ok(archive)
}

/// What [`pack_all`] wrote.
#[derive(Debug, Clone)]
pub struct Packed {
    /// The krew archive (its `.sha256` beside it).
    pub krew_archive: PathBuf,
    /// The full archive (its `.sha256` beside it).
    pub full_archive: PathBuf,
    /// `kuul.yaml` for the platforms with an archive in the output directory, validated.
    pub manifest: PathBuf,
}

/// `cargo xtask dist` after the build: packs both archives for `triple` from the binaries in
/// `bin_dir` into `out`, then renders and validates `kuul.yaml` for the archives there.
pub fn pack_all(triple: &str, bin_dir: &Path, tag: &str, out: &Path) -> Result<Packed> {
    let platform = platform::for_triple(triple)
        .ok_or_else(|| format!("{triple} is not a release platform"))?;
    let krew_archive = pack_krew(bin_dir, &platform, tag, out)?;
    let full_archive = pack_full(bin_dir, &platform, tag, out)?;
    let (_, text) = manifest(&read_template()?, tag, &sums_in(out)?, true)?;
    let manifest = out.join("kuul.yaml");
    std::fs::write(&manifest, text)?;
    Ok(Packed { krew_archive, full_archive, manifest })
}

/// The sha256 of every archive in `dir` that has a `.sha256` beside it, by file name.
pub fn sums_in(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut sums = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(archive) = name.strip_suffix(".sha256") {
            let text = std::fs::read_to_string(&path)?;
            if let Some(sum) = text.split_whitespace().next() {
                sums.insert(archive.to_owned(), sum.to_owned());
            }
        }
    }
    Ok(sums)
}

/// The manifest for `tag` from `template` and the archives' sums. With `only_built`, platforms
/// without an archive are left out (a local single-platform release); without it, any missing
/// archive is an error (a real release has all five). The result passed krew's validation.
pub fn manifest(
    template: &str,
    tag: &str,
    sums: &BTreeMap<String, String>,
    only_built: bool,
) -> Result<(Manifest, String)> {
    let (text, missing) = render::render(template, tag, sums);
    let mut manifest = Manifest::parse(&text)?;
    let text = if missing.is_empty() {
        text
    } else if only_built {
        manifest.spec.platforms.retain(|p| !p.sha256.is_empty());
        manifest.to_yaml()?
    } else {
        return Err(format!("no archive (with .sha256) for: {}", missing.join(", ")).into());
    };
    let problems = validate::problems(krew::PLUGIN_NAME, &manifest);
    if !problems.is_empty() {
        return Err(format!("krew would reject the manifest:\n  {}", problems.join("\n  ")).into());
    }
    Ok((manifest, text))
}

/// The template from the repository.
pub fn read_template() -> Result<String> {
    let path = repo_root().join(TEMPLATE);
    std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()).into())
}
