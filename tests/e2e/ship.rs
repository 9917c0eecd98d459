//! Release packaging end to end (issue 7 "Checked by"): pack the krew archive from the built
//! binaries exactly as `cargo xtask dist` does, render the krew manifest from the
//! krew-release-bot template, check every rule krew checks, install the archive the way krew lays
//! it out (unpack, move `files`, link `bin` into a PATH directory) and run `kubectl kuul lastrun`
//! through the real kubectl against the sandbox. The archive is also read back with the system's
//! `tar` and `sha256sum`, independent of our own code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kuul_core::commands::completion::hook_file;
use kuul_core::portable::Os;
use xtask::krew::{Manifest, install, validate};
use xtask::{dist, platform};

use crate::support::*;

/// The host as a release platform (krew's os/arch).
fn host() -> platform::Platform {
    let triple = platform::host_triple().expect("rustc -vV");
    platform::for_triple(&triple).expect("the host is a release platform")
}

/// The directory holding this build's binaries.
fn bin_dir() -> PathBuf {
    kuul_bin().parent().expect("bin dir").to_path_buf()
}

/// Packs the krew archive for the host from the binaries of this build into `out`.
fn pack_krew(out: &Path) -> PathBuf {
    dist::pack_krew(&bin_dir(), &host(), &dist::default_tag(), out).expect("pack")
}

/// `tar -tzf`: the archive's entries as the system tar lists them.
fn tar_list(archive: &Path) -> Vec<String> {
    let out = Command::new("tar").arg("-tzf").arg(archive).output().expect("tar runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

/// `sha256sum`: the archive's sum as coreutils computes it.
fn sha256sum(archive: &Path) -> String {
    let out = Command::new("sha256sum").arg(archive).output().expect("sha256sum runs");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().expect("a sum").to_owned()
}

#[test]
fn krew_manifest_validates_installs_like_krew_and_runs_lastrun_through_kubectl() {
    let dist_dir = tempfile::tempdir().expect("dist");
    let krew_archive = pack_krew(dist_dir.path());
    let tag = dist::default_tag();
    let template = dist::read_template().expect("krew/.krew.yaml");
    let sums = dist::sums_in(dist_dir.path()).expect("sums");
    let (manifest, text) = dist::manifest(&template, &tag, &sums, true).expect("manifest");
    // What krew reads is the text: parse it back, and check as krew does under its file name.
    std::fs::write(dist_dir.path().join("kuul.yaml"), &text).expect("write manifest");
    let parsed = Manifest::parse(&text).expect("the rendered manifest parses");
    assert_eq!(parsed, manifest);
    assert_eq!(validate::problems("kuul", &parsed), Vec::<String>::new());
    assert_eq!(parsed.api_version, "krew.googlecontainertools.github.com/v1alpha2");
    assert_eq!(parsed.kind, "Plugin");
    assert_eq!(parsed.metadata.name, "kuul");
    assert!(validate::parse_version(&parsed.spec.version).is_ok(), "{}", parsed.spec.version);
    assert!(parsed.spec.caveats.as_deref().unwrap_or_default().contains("completion install"));

    let host = host();
    let spec = parsed.platform_for(host.os, host.arch).expect("a platform for the host");
    assert_eq!(spec.sha256, sha256sum(&krew_archive), "sha256 matches the archive");
    assert!(spec.uri.ends_with(&format!("/{tag}/{}", host.krew_archive(&tag))), "{}", spec.uri);
    let listed = tar_list(&krew_archive);
    assert!(listed.contains(&spec.bin), "bin {:?} is in the archive: {listed:?}", spec.bin);
    for op in spec.files.as_deref().unwrap_or_default() {
        assert!(listed.contains(&op.from), "files[].from {:?} is in the archive", op.from);
    }
    // Small: krew links only kubectl-kuul, so nothing else executable rides along.
    let hook = hook_file(None, host.family()).0;
    let exe = host.family().exe("kubectl-kuul");
    let mut expected = vec![exe.as_str(), hook.as_str(), "LICENSE", "README.md"];
    expected.sort_unstable();
    let mut entries: Vec<&str> = listed.iter().map(String::as_str).collect();
    entries.sort_unstable();
    assert_eq!(entries, expected);

    // Install the way krew does, then run through the real kubectl with only krew's bin dir and
    // kubectl's own dir on PATH.
    let krew_root = tempfile::tempdir().expect("krew root");
    let installed =
        install::install(&parsed, spec, &krew_archive, krew_root.path()).expect("install");
    assert!(installed.link.ends_with(Path::new("bin").join(&exe)));
    assert!(installed.install_dir.join("LICENSE").is_file());

    let sb = sandbox();
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": "nightly-backup", "namespace": "default"},
               "spec": {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                   "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
    )
    .expect("cronjob");
    let home = tempfile::tempdir().expect("home");
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    let kubectl_exe = Os::HOST.exe("kubectl");
    let kubectl_dir = std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).find(|d| d.join(&kubectl_exe).is_file()))
        .expect("kubectl dir");
    cmd.env("PATH", std::env::join_paths([installed.bin_dir.clone(), kubectl_dir]).expect("PATH"))
        .args(["kuul", "lastrun", "-o", "json"]);
    let report = run(cmd).expect_code(0).json();
    let names: Vec<&str> = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["nightly-backup"], "{report:#}");
}

#[test]
fn a_tampered_archive_is_refused_like_krew_refuses_it() {
    let dist_dir = tempfile::tempdir().expect("dist");
    let krew_archive = pack_krew(dist_dir.path());
    let sums = dist::sums_in(dist_dir.path()).expect("sums");
    let template = dist::read_template().expect("template");
    let (manifest, _) =
        dist::manifest(&template, &dist::default_tag(), &sums, true).expect("manifest");
    let host = host();
    let mut spec = manifest.platform_for(host.os, host.arch).expect("platform").clone();
    spec.sha256 = "0".repeat(64);
    let root = tempfile::tempdir().expect("root");
    let err = install::install(&manifest, &spec, &krew_archive, root.path()).unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
}

#[test]
fn the_template_covers_the_five_release_platforms_and_refuses_missing_archives() {
    let template = dist::read_template().expect("template");
    let tag = "v1.2.3";
    let names = xtask::krew::render::archive_names(&template, tag);
    let expected: Vec<String> = platform::RELEASE.iter().map(|p| p.krew_archive(tag)).collect();
    assert_eq!(names, expected);
    // Every archive present (any well-formed sums): a full release validates with no platform
    // left out.
    let sums: BTreeMap<String, String> =
        names.iter().enumerate().map(|(i, n)| (n.clone(), format!("{i:064x}"))).collect();
    let (manifest, _) = dist::manifest(&template, tag, &sums, false).expect("full manifest");
    assert_eq!(manifest.spec.platforms.len(), 5);
    for p in platform::RELEASE {
        let spec = manifest.platform_for(p.os, p.arch).expect("selected");
        assert_eq!(spec.bin, format!("kubectl-kuul{}", p.exe_suffix()));
    }
    // A real release refuses to render with an archive missing.
    let mut partial = sums.clone();
    partial.pop_first();
    assert!(dist::manifest(&template, tag, &partial, false).is_err());
}

#[test]
fn full_archive_has_every_binary_hooks_completions_and_man_pages() {
    let dist_dir = tempfile::tempdir().expect("dist");
    let full =
        dist::pack_full(&bin_dir(), &host(), &dist::default_tag(), dist_dir.path()).expect("pack");
    let listed = tar_list(&full);
    let host = host();
    let top = format!("kubectl-kuul-{}-{}-{}", dist::default_tag(), host.os, host.arch);
    let os = host.family();
    for sub in kuul_core::cli::SUBCOMMANDS {
        let thin = sub.replace('-', "_");
        for entry in [
            format!("{top}/bin/{}", os.exe(&format!("kubectl-kuul-{thin}"))),
            format!("{top}/bin/{}", hook_file(Some(sub), os).0),
            format!("{top}/man/man1/kubectl-kuul-{sub}.1"),
        ] {
            assert!(listed.contains(&entry), "{entry} missing from {listed:?}");
        }
    }
    let umbrella = format!("bin/{}", os.exe("kubectl-kuul"));
    for entry in [umbrella.as_str(), "completions/kubectl-kuul.bash", "LICENSE", "README.md"] {
        assert!(listed.contains(&format!("{top}/{entry}")), "{entry} missing");
    }
}

/// `cargo xtask dist` after its build step (`dist::pack_all`, what the CLI runs; the release
/// workflow runs the build itself on each platform): it writes both archives with sha256 files
/// that coreutils agrees with, and a kuul.yaml that krew accepts and that lists exactly the host
/// platform with that archive's url and sum. Cheap: small stand-ins for the binaries (the test
/// above installs and runs the real one), no release build.
#[test]
fn cargo_xtask_dist_packs_the_host_release_and_a_valid_manifest() {
    let host = host();
    let os = host.family();
    let bins = tempfile::tempdir().expect("bins");
    let names = std::iter::once("kubectl-kuul".to_owned()).chain(
        kuul_core::cli::SUBCOMMANDS.iter().map(|s| format!("kubectl-kuul-{}", s.replace('-', "_"))),
    );
    for name in names {
        let file = os.exe(&name);
        std::fs::write(bins.path().join(&file), format!("stand-in for {file}")).expect("bin");
    }
    let out = tempfile::tempdir().expect("out");
    let triple = platform::host_triple().expect("host");
    let tag = dist::default_tag();
    let packed = dist::pack_all(&triple, bins.path(), &tag, out.path()).expect("dist");
    assert_eq!(packed.krew_archive, out.path().join(host.krew_archive(&tag)));
    assert_eq!(packed.full_archive, out.path().join(host.full_archive(&tag)));
    for archive in [&packed.krew_archive, &packed.full_archive] {
        let sidecar = std::fs::read_to_string(xtask::archive::sha256_path(archive)).expect("sum");
        let name = archive.file_name().expect("name").to_string_lossy().into_owned();
        assert_eq!(sidecar, format!("{}  {name}\n", sha256sum(archive)));
    }
    let text = std::fs::read_to_string(&packed.manifest).expect("kuul.yaml");
    let manifest = Manifest::parse(&text).expect("kuul.yaml parses");
    assert_eq!(validate::problems("kuul", &manifest), Vec::<String>::new());
    assert_eq!(manifest.spec.version, tag);
    assert_eq!(manifest.spec.platforms.len(), 1, "only the platform built here");
    let spec = manifest.platform_for(host.os, host.arch).expect("the host platform");
    assert_eq!(spec.sha256, sha256sum(&packed.krew_archive));
    assert!(spec.uri.ends_with(&format!("/releases/download/{tag}/{}", host.krew_archive(&tag))));
    let unpacked = tempfile::tempdir().expect("unpacked");
    xtask::archive::unpack(&packed.krew_archive, unpacked.path()).expect("unpack");
    let bin = std::fs::read_to_string(unpacked.path().join(&spec.bin)).expect("bin");
    assert_eq!(bin, format!("stand-in for {}", os.exe("kubectl-kuul")));
    for op in spec.files.as_deref().unwrap_or_default() {
        assert!(unpacked.path().join(&op.from).is_file(), "files[].from {} is packed", op.from);
    }
}

#[test]
fn version_names_the_git_commit() {
    let sb = sandbox();
    let out = kuul(&sb, &["--version"]).expect_code(0).stdout;
    let prefix = format!("kubectl-kuul {} (", env!("CARGO_PKG_VERSION"));
    let commit = out
        .trim_end()
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{out:?} is not `kubectl-kuul VERSION (COMMIT)`"));
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(xtask::repo_root())
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    if git(&["rev-parse", "--git-dir"]).is_none() {
        assert_eq!(commit, "unknown commit");
        return;
    }
    // Built from this checkout: a real commit of it (HEAD may have moved since the build).
    assert_eq!(commit.len(), 12, "{commit}");
    assert!(
        git(&["rev-parse", "--verify", "--quiet", &format!("{commit}^{{commit}}")]).is_some(),
        "{commit}"
    );
}

/// `cargo binstall kubectl-kuul` finds the archives `cargo xtask dist` makes: each release
/// platform's override in the crate manifest names its full archive and the `bin/` inside it.
#[test]
fn binstall_metadata_names_the_dist_archives() {
    let manifest =
        std::fs::read_to_string(xtask::repo_root().join("crates/kubectl-kuul/Cargo.toml"))
            .expect("Cargo.toml");
    let version = "v{ version }";
    for p in platform::RELEASE {
        let header = format!("[package.metadata.binstall.overrides.{}]", p.triple);
        let at = manifest.find(&header).unwrap_or_else(|| panic!("{header} missing"));
        let section = manifest[at + header.len()..].split("\n[").next().unwrap_or_default();
        let url = format!(
            "pkg-url = \"{{ repo }}/releases/download/{version}/{}\"",
            p.full_archive(version)
        );
        let top = format!("kubectl-kuul-{version}-{}-{}", p.os, p.arch);
        let bin = format!("bin-dir = \"{top}/bin/{{ bin }}{{ binary-ext }}\"");
        assert!(section.contains(&url), "{}: {url} not in {section}", p.triple);
        assert!(section.contains(&bin), "{}: {bin} not in {section}", p.triple);
    }
}
