//! The rules that differ between Unix (Linux, macOS) and Windows, as pure functions of an [`Os`]
//! so that both sides are unit-tested on any machine; the callers pass [`Os::HOST`].
//!
//! - Path lists (`KUBECONFIG`, `PATH`): `:` on Unix, `;` on Windows, where a segment may be
//!   quoted (Go's `filepath.SplitList`, which client-go's loading rules use).
//! - The home directory: `$HOME` on Unix; on Windows client-go's `homedir.HomeDir` order over
//!   `%HOME%`, `%HOMEDRIVE%%HOMEPATH%` and `%USERPROFILE%`.
//! - Executable names: `.exe` on Windows.
//! - Colour: `NO_COLOR`, `TERM=dumb`, and on Windows only terminals known to render ANSI.
//! - Line endings: output is LF everywhere (kubectl's Go writes `\n` on Windows too); only
//!   Windows batch files (the completion hook) are written CRLF.

use std::path::{Path, PathBuf};

/// The platform family whose rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux, macOS and the other Unixes.
    Unix,
    /// Windows.
    Windows,
}

impl Os {
    /// The platform this binary was built for.
    pub const HOST: Os = if cfg!(windows) { Os::Windows } else { Os::Unix };

    /// The separator of path lists such as `KUBECONFIG` and `PATH`.
    pub fn list_separator(self) -> char {
        match self {
            Os::Unix => ':',
            Os::Windows => ';',
        }
    }

    /// The suffix of executable files.
    pub fn exe_suffix(self) -> &'static str {
        match self {
            Os::Unix => "",
            Os::Windows => ".exe",
        }
    }

    /// `name` as an executable file name (`kubectl-kuul` -> `kubectl-kuul.exe` on Windows).
    pub fn exe(self, name: &str) -> String {
        format!("{name}{}", self.exe_suffix())
    }
}

/// Splits a path list (`KUBECONFIG=a:b`, `a;b` on Windows) into paths, dropping empty entries as
/// client-go does (`clientcmd.NewDefaultClientConfigLoadingRules` filters them out). On Windows
/// a segment may be double-quoted, so a path can hold a `;` (Go's `filepath.SplitList`).
pub fn split_path_list(list: &str, os: Os) -> Vec<PathBuf> {
    let separator = os.list_separator();
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in list.chars() {
        match c {
            '"' if os == Os::Windows => quoted = !quoted,
            c if c == separator && !quoted => paths.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    paths.push(current);
    paths.into_iter().filter(|p| !p.is_empty()).map(PathBuf::from).collect()
}

/// The paths of a `KUBECONFIG`-style list from the environment: the pure rule above for text,
/// the standard library's (same rule, host only) for a value that is not UTF-8.
pub fn split_env_list(list: &std::ffi::OsStr) -> Vec<PathBuf> {
    match list.to_str() {
        Some(text) => split_path_list(text, Os::HOST),
        None => std::env::split_paths(list).filter(|p| !p.as_os_str().is_empty()).collect(),
    }
}

/// What [`home_dir`] needs to know of a candidate directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirState {
    /// `<dir>/.kube/config` exists.
    pub has_kubeconfig: bool,
    /// The directory exists.
    pub exists: bool,
    /// It is a directory we may write to.
    pub writable: bool,
}

/// The user's home directory as kubectl finds it (client-go `util/homedir/homedir.go`
/// `HomeDir`, kubernetes 1.33): `$HOME` on Unix. On Windows the first of `%HOME%`,
/// `%HOMEDRIVE%%HOMEPATH%`, `%USERPROFILE%` holding `.kube\config`; else the first of `%HOME%`,
/// `%USERPROFILE%`, `%HOMEDRIVE%%HOMEPATH%` that is a writable directory, else the first that
/// exists, else the first that is set.
pub fn home_dir(
    os: Os,
    env: &dyn Fn(&str) -> Option<String>,
    probe: &dyn Fn(&Path) -> DirState,
) -> Option<PathBuf> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    if os == Os::Unix {
        return var("HOME").map(PathBuf::from);
    }
    let home = var("HOME");
    let drive_path = match (var("HOMEDRIVE"), var("HOMEPATH")) {
        (Some(drive), Some(path)) => Some(format!("{drive}{path}")),
        _ => None,
    };
    let profile = var("USERPROFILE");
    let by_config = [&home, &drive_path, &profile];
    if let Some(dir) = by_config.into_iter().flatten().find(|d| probe(Path::new(d)).has_kubeconfig)
    {
        return Some(PathBuf::from(dir));
    }
    let candidates: Vec<&String> = [&home, &profile, &drive_path].into_iter().flatten().collect();
    let states: Vec<DirState> = candidates.iter().map(|d| probe(Path::new(d.as_str()))).collect();
    let pick = |want: &dyn Fn(&DirState) -> bool| {
        candidates.iter().zip(&states).find(|(_, s)| want(s)).map(|(d, _)| PathBuf::from(d))
    };
    pick(&|s| s.exists && s.writable)
        .or_else(|| pick(&|s| s.exists))
        .or_else(|| candidates.first().map(|d| PathBuf::from(d.as_str())))
}

/// [`home_dir`] for this process: the real environment and file system.
pub fn host_home_dir() -> Option<PathBuf> {
    let env = |name: &str| std::env::var(name).ok();
    let probe = |dir: &Path| {
        let meta = std::fs::metadata(dir).ok();
        DirState {
            has_kubeconfig: dir.join(".kube").join("config").exists(),
            exists: meta.is_some(),
            writable: meta.is_some_and(|m| m.is_dir() && !m.permissions().readonly()),
        }
    };
    home_dir(Os::HOST, &env, &probe)
}

/// Whether to colour output: stdout is a terminal, `NO_COLOR` is unset or empty
/// (no-color.org), `TERM` is not `dumb`; and on Windows, the terminal is one known to render ANSI
/// escapes without the console mode call a plain console needs (Windows Terminal sets
/// `WT_SESSION`, ConEmu `ConEmuANSI=ON`, ANSICON `ANSICON`, mintty and VS Code set `TERM` or
/// `TERM_PROGRAM`). A plain console window gets no colour rather than raw escape codes.
pub fn color_enabled(
    os: Os,
    stdout_is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    if !stdout_is_terminal || env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    let term = env("TERM");
    if term.as_deref() == Some("dumb") {
        return false;
    }
    match os {
        Os::Unix => true,
        Os::Windows => {
            env("WT_SESSION").is_some()
                || env("ConEmuANSI").as_deref() == Some("ON")
                || env("ANSICON").is_some()
                || env("TERM_PROGRAM").is_some()
                || term.is_some()
        }
    }
}

/// The line ending of text files written for `os` that its own tools read: LF, except CRLF for
/// Windows batch files (`cmd.exe` mis-parses labels and blocks in LF-only batch files).
pub fn with_line_endings(text: &str, crlf: bool) -> String {
    let lf = text.replace("\r\n", "\n");
    if crlf { lf.replace('\n', "\r\n") } else { lf }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> =
            vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn kubeconfig_lists_split_on_colon_on_unix_and_semicolon_on_windows() {
        assert_eq!(
            split_path_list("/a/config::/b/config", Os::Unix),
            [PathBuf::from("/a/config"), PathBuf::from("/b/config")]
        );
        // A Windows drive letter's colon is not a separator there.
        assert_eq!(
            split_path_list(r"C:\Users\me\.kube\config;D:\k\dev", Os::Windows),
            [PathBuf::from(r"C:\Users\me\.kube\config"), PathBuf::from(r"D:\k\dev")]
        );
        // ...but it is on Unix, which is why the rule must follow the OS.
        assert_eq!(split_path_list(r"C:\x", Os::Unix).len(), 2);
        // Quoted segments keep their semicolons (Go's filepath.SplitList on Windows).
        assert_eq!(
            split_path_list(r#""C:\a;b\config";C:\c"#, Os::Windows),
            [PathBuf::from(r"C:\a;b\config"), PathBuf::from(r"C:\c")]
        );
        assert!(split_path_list("", Os::Unix).is_empty());
        assert!(split_path_list(";;", Os::Windows).is_empty());
    }

    #[test]
    fn host_split_agrees_with_the_standard_library() {
        let joined = std::env::join_paths(["/x/one", "/y/two"]).unwrap();
        let std_split: Vec<PathBuf> = std::env::split_paths(&joined).collect();
        assert_eq!(split_env_list(&joined), std_split);
    }

    #[test]
    fn exe_names() {
        assert_eq!(Os::Unix.exe("kubectl-kuul"), "kubectl-kuul");
        assert_eq!(Os::Windows.exe("kubectl-kuul"), "kubectl-kuul.exe");
        assert_eq!(Os::HOST.exe_suffix(), std::env::consts::EXE_SUFFIX);
        assert_eq!(Os::HOST.list_separator(), if cfg!(windows) { ';' } else { ':' });
    }

    #[test]
    fn unix_home_is_home() {
        let env = env_of(&[("HOME", "/home/me"), ("USERPROFILE", "/nope")]);
        let probe = |_: &Path| DirState { has_kubeconfig: false, exists: true, writable: true };
        assert_eq!(home_dir(Os::Unix, &env, &probe), Some(PathBuf::from("/home/me")));
        assert_eq!(home_dir(Os::Unix, &env_of(&[]), &probe), None);
    }

    #[test]
    fn windows_home_follows_client_go_order() {
        let env = env_of(&[
            ("HOMEDRIVE", "H:"),
            ("HOMEPATH", r"\share"),
            ("USERPROFILE", r"C:\Users\me"),
        ]);
        // A kubeconfig decides first, %HOMEDRIVE%%HOMEPATH% before %USERPROFILE%.
        let all_have = |_: &Path| DirState { has_kubeconfig: true, exists: true, writable: true };
        assert_eq!(home_dir(Os::Windows, &env, &all_have), Some(PathBuf::from(r"H:\share")));
        // Without one, a writable directory, %USERPROFILE% before %HOMEDRIVE%%HOMEPATH%.
        let none_have = |_: &Path| DirState { has_kubeconfig: false, exists: true, writable: true };
        assert_eq!(home_dir(Os::Windows, &env, &none_have), Some(PathBuf::from(r"C:\Users\me")));
        // Only the share is writable.
        let share = |p: &Path| DirState {
            has_kubeconfig: false,
            exists: true,
            writable: p == Path::new(r"H:\share"),
        };
        assert_eq!(home_dir(Os::Windows, &env, &share), Some(PathBuf::from(r"H:\share")));
        // Nothing exists: the first one set.
        let nothing = |_: &Path| DirState { has_kubeconfig: false, exists: false, writable: false };
        assert_eq!(home_dir(Os::Windows, &env, &nothing), Some(PathBuf::from(r"C:\Users\me")));
        // %HOME% wins when set and usable; a lone HOMEDRIVE is not a path.
        let env = env_of(&[("HOME", r"D:\me"), ("HOMEDRIVE", "H:")]);
        assert_eq!(home_dir(Os::Windows, &env, &none_have), Some(PathBuf::from(r"D:\me")));
        assert_eq!(home_dir(Os::Windows, &env_of(&[("HOMEDRIVE", "H:")]), &nothing), None);
    }

    #[test]
    fn color_needs_a_terminal_and_on_windows_a_known_ansi_one() {
        let plain = env_of(&[]);
        assert!(color_enabled(Os::Unix, true, &plain));
        assert!(!color_enabled(Os::Unix, false, &plain));
        assert!(!color_enabled(Os::Unix, true, &env_of(&[("NO_COLOR", "1")])));
        assert!(color_enabled(Os::Unix, true, &env_of(&[("NO_COLOR", "")])));
        assert!(!color_enabled(Os::Unix, true, &env_of(&[("TERM", "dumb")])));
        // A plain Windows console renders escapes as garbage unless asked: no colour.
        assert!(!color_enabled(Os::Windows, true, &plain));
        assert!(color_enabled(Os::Windows, true, &env_of(&[("WT_SESSION", "x")])));
        assert!(color_enabled(Os::Windows, true, &env_of(&[("TERM", "xterm-256color")])));
        assert!(!color_enabled(
            Os::Windows,
            true,
            &env_of(&[("WT_SESSION", "x"), ("NO_COLOR", "1")])
        ));
    }

    #[test]
    fn batch_files_get_crlf_everything_else_lf() {
        assert_eq!(with_line_endings("a\nb\r\n", true), "a\r\nb\r\n");
        assert_eq!(with_line_endings("a\r\nb\n", false), "a\nb\n");
    }
}
