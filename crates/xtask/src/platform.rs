//! Release platforms: Rust target triples and the os/arch names krew selects on (Go's GOOS and
//! GOARCH, which krew's `KREW_OS`/`KREW_ARCH` and platform selectors use).

use std::process::Command;

use crate::Result;

/// One platform a release is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// krew's `os` label: `linux`, `darwin`, `windows`.
    pub os: &'static str,
    /// krew's `arch` label: `amd64`, `arm64`.
    pub arch: &'static str,
    /// The Rust target triple built for it. Linux uses musl for static binaries.
    pub triple: &'static str,
}

impl Platform {
    /// `.exe` on Windows.
    pub fn exe_suffix(&self) -> &'static str {
        self.family().exe_suffix()
    }

    /// Whose file-name and script rules apply (kuul_core::portable).
    pub fn family(&self) -> kuul_core::portable::Os {
        if self.os == "windows" {
            kuul_core::portable::Os::Windows
        } else {
            kuul_core::portable::Os::Unix
        }
    }

    /// The krew archive's file name: the same name the template's download URLs use.
    pub fn krew_archive(&self, version: &str) -> String {
        format!("kubectl-kuul_{version}_{}_{}.tar.gz", self.os, self.arch)
    }

    /// The full archive's file name (every binary, man pages, completion scripts).
    pub fn full_archive(&self, version: &str) -> String {
        format!("kubectl-kuul-full_{version}_{}_{}.tar.gz", self.os, self.arch)
    }
}

/// The platforms the krew manifest lists (issue 7: linux and darwin on amd64 and arm64, windows on
/// amd64).
pub const RELEASE: [Platform; 5] = [
    Platform { os: "linux", arch: "amd64", triple: "x86_64-unknown-linux-musl" },
    Platform { os: "linux", arch: "arm64", triple: "aarch64-unknown-linux-musl" },
    Platform { os: "darwin", arch: "amd64", triple: "x86_64-apple-darwin" },
    Platform { os: "darwin", arch: "arm64", triple: "aarch64-apple-darwin" },
    Platform { os: "windows", arch: "amd64", triple: "x86_64-pc-windows-msvc" },
];

/// krew's os/arch for a Rust target triple (`x86_64-unknown-linux-gnu` -> linux/amd64).
pub fn os_arch(triple: &str) -> Option<(&'static str, &'static str)> {
    let arch = match triple.split('-').next()? {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        _ => return None,
    };
    let os = if triple.contains("-linux-") {
        "linux"
    } else if triple.contains("-apple-darwin") {
        "darwin"
    } else if triple.contains("-windows-") {
        "windows"
    } else {
        return None;
    };
    Some((os, arch))
}

/// The release platform with krew's os/arch for `triple` (a host build for
/// `x86_64-unknown-linux-gnu` packs as linux/amd64, like the musl one).
pub fn for_triple(triple: &str) -> Option<Platform> {
    let (os, arch) = os_arch(triple)?;
    RELEASE.into_iter().find(|p| p.os == os && p.arch == arch)
}

/// The host's target triple, from `rustc -vV`.
pub fn host_triple() -> Result<String> {
    let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-vV")
        .output()?;
    let text = String::from_utf8(output.stdout)?;
    text.lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
        .ok_or_else(|| "rustc -vV printed no host line".into())
}

/// Whether rustup has `triple`'s standard library installed (nothing can be downloaded here, so
/// the static musl build happens only when it is).
pub fn target_installed(triple: &str) -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == triple))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_map_to_krew_names() {
        assert_eq!(os_arch("x86_64-unknown-linux-gnu"), Some(("linux", "amd64")));
        assert_eq!(os_arch("aarch64-unknown-linux-musl"), Some(("linux", "arm64")));
        assert_eq!(os_arch("aarch64-apple-darwin"), Some(("darwin", "arm64")));
        assert_eq!(os_arch("x86_64-pc-windows-msvc"), Some(("windows", "amd64")));
        assert_eq!(os_arch("riscv64gc-unknown-linux-gnu"), None);
    }

    #[test]
    fn every_release_triple_names_its_own_platform() {
        for platform in RELEASE {
            assert_eq!(os_arch(platform.triple), Some((platform.os, platform.arch)));
        }
    }
}
