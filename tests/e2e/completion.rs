//! Shell completion end to end: the real `kubectl` (>= 1.26 plugin completion, kubernetes#105867)
//! running our hook from PATH against the sandbox, in both install layouts (krew's single
//! `kubectl-kuul`, and cargo's umbrella plus thin binaries, where kubectl asks
//! `kubectl_complete-kuul-<sub>`); a dead or silent API server costing at most the deadline; real
//! bash loading the generated script and kubectl's own; and the committed `completions/` being
//! current.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

/// The directory holding the real kubectl, or `None` (the caller skips) when it is not on PATH.
fn kubectl_dir() -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).find(|dir| dir.join("kubectl").is_file())
}

/// A PATH directory laid out like an install: symlinks to `binaries` from the build, plus the
/// hooks `kubectl kuul completion install` writes there.
fn install_dir(binaries: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    for binary in binaries {
        let from = kuul_bin().with_file_name(binary);
        std::os::unix::fs::symlink(&from, dir.path().join(binary)).expect("symlink");
    }
    let out = Command::new(dir.path().join("kubectl-kuul"))
        .args(["completion", "install"])
        .env("PATH", path_of(&[dir.path().to_path_buf()]))
        .output()
        .expect("completion install runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// Every binary of the build: the umbrella and the thin ones.
fn all_binaries() -> Vec<String> {
    std::iter::once("kubectl-kuul".to_owned())
        .chain(
            kuul_core::cli::SUBCOMMANDS
                .iter()
                .map(|sub| format!("kubectl-kuul-{}", sub.replace('-', "_"))),
        )
        .collect()
}

fn path_of(dirs: &[PathBuf]) -> std::ffi::OsString {
    std::env::join_paths(dirs).expect("PATH")
}

/// `kubectl __complete WORDS...` with PATH = the install dir + kubectl's dir (nothing else, so
/// only the plugin under test is found), against `kubeconfig`.
fn kubectl_complete(
    install: &Path,
    kubeconfig: &Path,
    words: &[&str],
) -> Option<(Vec<String>, Duration)> {
    let kubectl = kubectl_dir()?;
    let home = tempfile::tempdir().expect("home");
    let mut cmd = clean_command(&kubectl.join("kubectl"), kubeconfig, home.path());
    cmd.env("PATH", path_of(&[install.to_path_buf(), kubectl])).arg("__complete").args(words);
    let started = Instant::now();
    let run = run(cmd).expect_code(0);
    Some((run.stdout.lines().map(str::to_owned).collect(), started.elapsed()))
}

/// Runs the hook itself the way kubectl does (`kubectl_complete-kuul WORDS...`, the environment
/// passed through) and returns its output lines and how long it took.
fn hook(install: &Path, kubeconfig: &Path, words: &[&str]) -> (Vec<String>, Duration) {
    let home = tempfile::tempdir().expect("home");
    let mut cmd = clean_command(&install.join("kubectl_complete-kuul"), kubeconfig, home.path());
    cmd.env("PATH", path_of(&[install.to_path_buf()])).args(words);
    let started = Instant::now();
    let run = run(cmd).expect_code(0);
    (run.stdout.lines().map(str::to_owned).collect(), started.elapsed())
}

/// Candidate values (before any TAB description), without the directive line.
fn values(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.starts_with(':'))
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

fn sandbox_with_cronjobs(names: &[&str]) -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    for (namespace, name) in names.iter().map(|n| ("default", *n)).chain([("ops", "elsewhere")]) {
        sb.create(
            Kind::CronJob,
            json!({"apiVersion": "batch/v1", "kind": "CronJob",
                   "metadata": {"name": name, "namespace": namespace},
                   "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                       "restartPolicy": "Never",
                       "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
        )
        .expect("cronjob");
    }
    sb
}

#[test]
fn kubectl_completes_subcommands_through_the_hook() {
    let sb = sandbox();
    let install = install_dir(&["kubectl-kuul"]);
    assert!(install.path().join("kubectl_complete-kuul").is_file(), "install wrote the hook");
    let Some((lines, _)) = kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "tr"])
    else {
        return;
    };
    assert_eq!(values(&lines), ["trigger"], "{lines:?}");
    assert_eq!(lines.last().map(String::as_str), Some(":4"), "NoFileComp directive: {lines:?}");
    let Some((flags, _)) =
        kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "lastrun", "--ch"])
    else {
        return;
    };
    assert_eq!(values(&flags), ["--check"]);
}

/// With the thin binaries installed, kubectl offers their subcommands itself; the hook must not
/// offer them again: `kubectl kuul <TAB>` lists each subcommand once (issue 13).
#[test]
fn kubectl_lists_each_subcommand_once_with_the_thin_binaries_installed() {
    let sb = sandbox();
    let binaries = all_binaries();
    let binaries: Vec<&str> = binaries.iter().map(String::as_str).collect();
    let install = install_dir(&binaries);
    let Some((lines, _)) = kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", ""]) else {
        return;
    };
    let mut offered = values(&lines);
    offered.sort();
    let mut unique = offered.clone();
    unique.dedup();
    assert_eq!(offered, unique, "a subcommand is offered twice: {lines:?}");
    for sub in kuul_core::cli::SUBCOMMANDS {
        assert!(offered.iter().any(|o| o == sub), "{sub} missing: {lines:?}");
    }
}

#[test]
fn kubectl_completes_live_cronjob_names_in_the_current_namespace_and_with_n() {
    let sb = sandbox_with_cronjobs(&["nightly-backup", "hourly-report"]);
    let install = install_dir(&["kubectl-kuul"]);
    let Some((lines, _)) =
        kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "trigger", ""])
    else {
        return;
    };
    let mut names = values(&lines);
    names.sort();
    assert_eq!(names, ["hourly-report", "nightly-backup"], "{lines:?}");
    assert!(lines.iter().any(|l| l == "nightly-backup\t*/5 * * * *"), "schedule shown: {lines:?}");
    let Some((in_ops, _)) =
        kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "trigger", "-n", "ops", ""])
    else {
        return;
    };
    assert_eq!(values(&in_ops), ["elsewhere"]);
    let Some((namespaces, _)) =
        kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "lastrun", "-n", "o"])
    else {
        return;
    };
    assert_eq!(values(&namespaces), ["ops"]);
    let Some((contexts, _)) =
        kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "lastrun", "--context", ""])
    else {
        return;
    };
    assert!(values(&contexts).contains(&"kuul-sandbox".to_owned()), "{contexts:?}");
    // A list continues with the names not in it yet (issue 17: `--context a,b`).
    let Some((next, _)) = kubectl_complete(
        install.path(),
        sb.kubeconfig(),
        &["kuul", "lastrun", "--context", "kuul-sandbox,"],
    ) else {
        return;
    };
    assert_eq!(values(&next), ["kuul-sandbox,kuul-sandbox-viewer"], "{next:?}");
}

#[test]
fn thin_binaries_on_path_complete_through_their_own_hooks() {
    let sb = sandbox_with_cronjobs(&["nightly-backup"]);
    let binaries = all_binaries();
    let names: Vec<&str> = binaries.iter().map(String::as_str).collect();
    let install = install_dir(&names);
    assert!(install.path().join("kubectl_complete-kuul-trigger").is_file());
    // kubectl now knows `kuul trigger` as a command of its own and asks
    // kubectl_complete-kuul-trigger, which must land in the same completion.
    let Some((lines, _)) =
        kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "trigger", ""])
    else {
        return;
    };
    assert_eq!(values(&lines), ["nightly-backup"], "{lines:?}");
    let Some((subs, _)) = kubectl_complete(install.path(), sb.kubeconfig(), &["kuul", "tr"]) else {
        return;
    };
    assert!(values(&subs).contains(&"trigger".to_owned()), "{subs:?}");
}

#[test]
fn a_stopped_server_yields_no_candidates_quickly() {
    let sb = sandbox_with_cronjobs(&["nightly-backup"]);
    let dir = tempfile::tempdir().expect("dir");
    let kubeconfig = dir.path().join("config");
    std::fs::copy(sb.kubeconfig(), &kubeconfig).expect("copy kubeconfig");
    sb.shutdown();
    let install = install_dir(&["kubectl-kuul"]);
    let (lines, elapsed) = hook(install.path(), &kubeconfig, &["trigger", ""]);
    assert_eq!(lines, [":4"], "no candidates, just the directive");
    assert!(elapsed < Duration::from_secs(3), "the hook took {elapsed:?}");
    let Some((lines, _)) = kubectl_complete(install.path(), &kubeconfig, &["kuul", "trigger", ""])
    else {
        return;
    };
    assert_eq!(lines, [":4"], "through kubectl too");
}

#[test]
fn a_silent_server_costs_the_hook_at_most_the_deadline() {
    let sb = sandbox();
    // Accepts connections (the kernel completes the handshake) and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let silent = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
    let dir = tempfile::tempdir().expect("dir");
    let kubeconfig = dir.path().join("config");
    let text = std::fs::read_to_string(sb.kubeconfig()).expect("kubeconfig");
    std::fs::write(&kubeconfig, text.replace(sb.url(), &silent)).expect("write kubeconfig");
    let install = install_dir(&["kubectl-kuul"]);
    let (lines, elapsed) = hook(install.path(), &kubeconfig, &["trigger", ""]);
    assert_eq!(lines, [":4"]);
    // The live deadline is 1 s; a process start comes on top.
    assert!(elapsed < Duration::from_secs(3), "the hook took {elapsed:?}");
    // Through kubectl the answer is the same; kubectl spends seconds of its own on a silent
    // server before it runs the hook, which is not ours to bound.
    let Some((lines, _)) = kubectl_complete(install.path(), &kubeconfig, &["kuul", "trigger", ""])
    else {
        return;
    };
    assert_eq!(lines, [":4"]);
    drop(listener);
}

/// Runs `script` in a non-interactive bash and returns its stdout.
fn bash(script: &str, path: &std::ffi::OsStr, kubeconfig: &Path) -> String {
    let home = tempfile::tempdir().expect("home");
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .env("KUBECONFIG", kubeconfig)
        .output()
        .expect("bash runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn bash_loads_the_generated_script_and_completes_a_subcommand() {
    let script = xtask::repo_root().join("completions/kubectl-kuul.bash");
    let sb = sandbox();
    let install = install_dir(&["kubectl-kuul"]);
    let out = bash(
        &format!(
            "source '{}'\n\
             COMP_WORDS=(kubectl-kuul res); COMP_CWORD=1; COMP_LINE='kubectl-kuul res'; COMP_POINT=16\n\
             fn=$(complete -p kubectl-kuul | sed -E 's/.*-F ([^ ]+).*/\\1/')\n\
             \"$fn\" kubectl-kuul res kubectl-kuul\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ),
        // bash and sed from the system; the plugin from the install dir.
        &path_of(&[install.path().to_path_buf(), "/usr/bin".into(), "/bin".into()]),
        sb.kubeconfig(),
    );
    let offered: Vec<&str> = out.lines().map(str::trim).collect();
    assert!(offered.contains(&"resume"), "{out}");
    assert!(offered.contains(&"reschedule-next-minute"), "{out}");
    assert!(!offered.contains(&"trigger"), "only matching words: {out}");
}

#[test]
fn bash_with_kubectls_own_completion_offers_live_cronjobs_for_kubectl_kuul() {
    let Some(kubectl) = kubectl_dir() else { return };
    // kubectl's bash script (cobra's v1 format) needs the bash-completion package.
    let bash_completion = Path::new("/usr/share/bash-completion/bash_completion");
    if !bash_completion.is_file() {
        eprintln!(
            "\n*** SKIPPED: bash-completion is not installed (apt-get install bash-completion) ***\n"
        );
        return;
    }
    let sb = sandbox_with_cronjobs(&["nightly-backup"]);
    let install = install_dir(&["kubectl-kuul"]);
    let out = bash(
        "source /usr/share/bash-completion/bash_completion\n\
         source <(kubectl completion bash)\n\
         COMP_WORDS=(kubectl kuul trigger ''); COMP_CWORD=3; COMP_LINE='kubectl kuul trigger '\n\
         COMP_POINT=${#COMP_LINE}; COMP_TYPE=9\n\
         __start_kubectl kubectl '' trigger 2>/dev/null\n\
         printf '%s\\n' \"${COMPREPLY[@]}\"",
        &path_of(&[install.path().to_path_buf(), kubectl]),
        sb.kubeconfig(),
    );
    assert!(out.lines().any(|l| l.trim() == "nightly-backup"), "{out:?}");
}

#[test]
fn committed_completions_are_current() {
    let dir = xtask::repo_root().join("completions");
    let stale = xtask::completions::stale(&dir);
    assert!(stale.is_empty(), "completions/ is stale ({stale:?}); run `cargo xtask completions`");
    // And the binary prints what is committed.
    let sb = sandbox();
    let printed = kuul(&sb, &["completion", "bash"]).expect_code(0).stdout;
    let committed = std::fs::read_to_string(dir.join("kubectl-kuul.bash")).expect("committed");
    assert!(printed == committed, "`kubectl kuul completion bash` differs from completions/");
}
