//! The e2e harness (cargo's `cargo-test-support` and ruff's `CliTest` are the models): start a
//! sandbox on a stepped clock, run `kubectl-kuul` (or a thin `kubectl-kuul-<sub>` binary) with a
//! clean environment pointing at it, and find the real `kubectl`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub use kuul_sandbox::{Kind, Sandbox, Seed};
pub use serde_json::{Value, json};

/// The sandbox clock every test starts at, unless it says otherwise.
pub const T0: &str = "2025-03-01T10:00:00Z";

/// A stepped-clock sandbox at [`T0`] with no objects.
pub fn sandbox() -> Sandbox {
    sandbox_with(Seed::Empty, T0)
}

/// A stepped-clock sandbox with a seed, at a given time.
pub fn sandbox_with(seed: Seed, clock: &str) -> Sandbox {
    Sandbox::builder()
        .clock(clock.parse().expect("clock"))
        .seed(seed)
        .start()
        .expect("the sandbox starts")
}

/// What a finished command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code (-1 if killed by a signal).
    pub code: i32,
}

impl Run {
    fn from_output(output: &Output) -> Run {
        Run {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code().unwrap_or(-1),
        }
    }

    /// Parses stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// The umbrella binary.
pub fn kuul_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kubectl-kuul"))
}

/// The thin binary for a subcommand (`suspend-all` -> `kubectl-kuul-suspend_all`), built next
/// to the umbrella one.
pub fn thin_bin(subcommand: &str) -> PathBuf {
    let name =
        format!("kubectl-kuul-{}{}", subcommand.replace('-', "_"), std::env::consts::EXE_SUFFIX);
    kuul_bin().with_file_name(name)
}

/// A clean environment: only PATH (for kubectl plugin lookup), a throwaway HOME (so no
/// ~/.kube/config leaks in), the sandbox's KUBECONFIG, no colour, a fixed width.
pub fn clean_command(program: &Path, kubeconfig: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("KUBECONFIG", kubeconfig)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::null());
    // Windows programs need a few system variables (networking and kubectl's Go runtime read
    // SYSTEMROOT; temp files TEMP/TMP), and find the home directory through USERPROFILE.
    if cfg!(windows) {
        for var in ["SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "TEMP", "TMP", "PATHEXT", "COMSPEC"] {
            if let Some(value) = std::env::var_os(var) {
                cmd.env(var, value);
            }
        }
        cmd.env("USERPROFILE", home);
    }
    cmd
}

/// Runs `kubectl-kuul ARGS` against `sb`.
pub fn kuul(sb: &Sandbox, args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("home");
    let output = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
        .args(args)
        .output()
        .expect("kubectl-kuul runs");
    Run::from_output(&output)
}

/// Runs the thin binary for `args[0]` with the rest of `args`.
pub fn kuul_thin(sb: &Sandbox, args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("home");
    let output = clean_command(&thin_bin(args[0]), sb.kubeconfig(), home.path())
        .args(&args[1..])
        .output()
        .expect("thin binary runs");
    Run::from_output(&output)
}

/// Runs `args` through both the umbrella and the thin binary, asserts they agree, and returns
/// the umbrella's run. Use for read-only commands (a write would run twice).
pub fn kuul_both(sb: &Sandbox, args: &[&str]) -> Run {
    let umbrella = kuul(sb, args);
    let thin = kuul_thin(sb, args);
    assert_eq!(umbrella.stdout, thin.stdout, "umbrella and thin binary print differently");
    assert_eq!(umbrella.code, thin.code, "umbrella and thin binary exit differently");
    umbrella
}

/// The real kubectl from PATH, set up against `sb`, or `None` (with a loud message) when it is
/// missing. Under CI (`CI=true`) a missing kubectl fails the test instead.
pub fn kubectl(sb: &Sandbox, home: &Path) -> Option<Command> {
    let found = std::env::var_os("PATH")
        .map(|paths| {
            let exe = format!("kubectl{}", std::env::consts::EXE_SUFFIX);
            std::env::split_paths(&paths).any(|dir| dir.join(&exe).is_file())
        })
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "kubectl is not on PATH, and CI=true requires it"
        );
        eprintln!("\n*** SKIPPED: kubectl is not on PATH; this test needs the real kubectl ***\n");
        return None;
    }
    Some(clean_command(Path::new("kubectl"), sb.kubeconfig(), home))
}

/// Runs a prepared command to completion.
pub fn run(mut cmd: Command) -> Run {
    Run::from_output(&cmd.output().expect("command runs"))
}

/// A PATH with the directory of our binaries first, so `kubectl kuul ...` finds the plugins.
pub fn path_with_plugins() -> std::ffi::OsString {
    let dir = kuul_bin().parent().expect("bin dir").to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest))).expect("PATH")
}

/// Creates the namespace `name`.
pub fn namespace(sb: &Sandbox, name: &str) {
    sb.create(
        Kind::Namespace,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
    )
    .expect("namespace");
}

/// Creates a Ready node with `labels` whose capacity and allocatable are `cpu` and `memory`.
/// The sandbox's scheduler binds pods only to Ready nodes, and the empty seed has none.
pub fn ready_node(sb: &Sandbox, name: &str, labels: Value, cpu: &str, memory: &str) {
    let resources = json!({"cpu": cpu, "memory": memory, "pods": "110"});
    sb.create(
        Kind::Node,
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
               "status": {"capacity": resources, "allocatable": resources,
                          "conditions": [{"type": "Ready", "status": "True"}]}}),
    )
    .expect("node");
}

/// One context of a kubeconfig spanning several sandboxes ([`contexts_kubeconfig`]).
pub enum Cluster<'a> {
    /// The sandbox's admin, with the context's default namespace.
    Up(&'a Sandbox, &'a str),
    /// The sandbox, with a token it does not know (401).
    WrongToken(&'a Sandbox),
    /// A port nothing listens on (connection refused).
    Closed,
}

/// A kubeconfig with one context (and cluster, and user) per entry, named as given; the first is
/// current. Written under `dir`; the sandboxes' own kubeconfigs are untouched.
pub fn contexts_kubeconfig(dir: &Path, clusters: &[(&str, Cluster<'_>)]) -> PathBuf {
    let (mut cluster_list, mut users, mut contexts) = (String::new(), String::new(), String::new());
    for (name, cluster) in clusters {
        let (server, token, namespace) = match cluster {
            Cluster::Up(sb, ns) => {
                (format!("{}/as/admin", sb.url()), sb.tokens().admin.clone(), *ns)
            }
            Cluster::WrongToken(sb) => (sb.url().to_owned(), "not-a-token".to_owned(), "default"),
            Cluster::Closed => {
                // Bind, note the port, close: nothing listens there any more.
                let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
                let port = listener.local_addr().expect("addr").port();
                drop(listener);
                (format!("http://127.0.0.1:{port}"), "t".to_owned(), "default")
            }
        };
        cluster_list.push_str(&format!("- name: {name}\n  cluster:\n    server: {server}\n"));
        users.push_str(&format!("- name: {name}\n  user:\n    token: {token}\n"));
        contexts.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n    namespace: {namespace}\n"
        ));
    }
    let current = clusters.first().map_or("", |(name, _)| *name);
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n{cluster_list}users:\n{users}contexts:\n{contexts}current-context: {current}\n"
    );
    let path = dir.join("kubeconfig");
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

/// Runs `kubectl-kuul ARGS` with `kubeconfig` (e.g. [`contexts_kubeconfig`]).
pub fn kuul_with(kubeconfig: &Path, args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("home");
    let output = clean_command(&kuul_bin(), kubeconfig, home.path())
        .args(args)
        .output()
        .expect("kubectl-kuul runs");
    Run::from_output(&output)
}
