//! `cargo xtask completions [--check]`: writes (or checks) the committed `completions/`
//! directory from `kuul_core::commands::completion::committed_files`, the same functions
//! `kubectl kuul completion` prints from, so the committed copies cannot say anything the binary
//! would not.

use std::path::Path;

use kuul_core::commands::completion::committed_files;

use crate::Result;

/// Writes every completion file into `dir` (hooks executable).
pub fn write(dir: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in committed_files() {
        let path = dir.join(&name);
        std::fs::write(&path, &text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        if is_hook(&name) {
            make_executable(&path)?;
        }
        written.push(name);
    }
    Ok(written)
}

/// The files in `dir` that are missing, differ from what the binary generates, or (for hooks)
/// are not executable.
pub fn stale(dir: &Path) -> Vec<String> {
    committed_files()
        .into_iter()
        .filter(|(name, text)| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str())
                || (is_hook(name) && !is_executable(&path))
        })
        .map(|(name, _)| name)
        .collect()
}

/// Hooks are the files kubectl executes.
pub fn is_hook(name: &str) -> bool {
    name.starts_with("kubectl_complete-")
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<()> {
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_files_are_not_stale_and_edits_are() {
        let dir = tempfile::tempdir().unwrap();
        let written = write(dir.path()).unwrap();
        assert!(written.contains(&"kubectl_complete-kuul".to_owned()));
        assert!(stale(dir.path()).is_empty());
        std::fs::write(dir.path().join("kubectl-kuul.bash"), "# edited\n").unwrap();
        assert_eq!(stale(dir.path()), ["kubectl-kuul.bash"]);
    }
}
