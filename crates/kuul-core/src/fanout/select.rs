//! Which kubeconfig contexts a run covers: `--context NAME` (one, exactly as before), `--context
//! a,b` / repeated / a pattern (`'prod-*'`, `*` and `?` as in a shell glob), or
//! `--all-contexts`.

use crate::cli::KubeArgs;
use crate::cluster::load_kubeconfig;
use crate::error::{Error, Result};

/// The clusters of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// One context (the named one, or the current one): the command runs as it always did.
    One,
    /// Several contexts, sorted by name: the command runs in each and the results merge.
    Many(Vec<String>),
}

/// Resolves the `--context`/`--all-contexts` flags. A single plain `--context NAME` is put in
/// `kube.context` without reading the kubeconfig (the connection checks it, as before); lists,
/// patterns and `--all-contexts` read the kubeconfig kubectl would read (`--kubeconfig`, else
/// `$KUBECONFIG`, else `~/.kube/config`).
pub fn select(kube: &mut KubeArgs) -> Result<Selection> {
    let env = std::env::var_os("KUBECONFIG");
    select_with(kube, env)
}

fn select_with(kube: &mut KubeArgs, env: Option<std::ffi::OsString>) -> Result<Selection> {
    let wanted: Vec<String> =
        kube.contexts.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    if kube.contexts.iter().any(|c| c.trim().is_empty()) && wanted.is_empty() {
        return Err(Error::Usage("--context needs a context name".into()));
    }
    if !kube.all_contexts && wanted.len() <= 1 && !wanted.iter().any(|w| is_pattern(w)) {
        kube.context = wanted.into_iter().next();
        return Ok(Selection::One);
    }
    let Some(kubeconfig) = load_kubeconfig(kube, env)? else {
        return Err(Error::Usage(
            "--all-contexts and context lists need a kubeconfig, and none was found".into(),
        ));
    };
    let available: Vec<String> = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
    let mut chosen: Vec<String> = Vec::new();
    if kube.all_contexts {
        chosen.clone_from(&available);
        if chosen.is_empty() {
            return Err(Error::Kubeconfig("--all-contexts: the kubeconfig has no context".into()));
        }
    }
    for want in &wanted {
        if is_pattern(want) {
            let matched: Vec<&String> = available.iter().filter(|a| glob(want, a)).collect();
            if matched.is_empty() {
                return Err(Error::UnknownContext {
                    name: want.clone(),
                    available: available.clone(),
                });
            }
            chosen.extend(matched.into_iter().cloned());
        } else if available.contains(want) {
            chosen.push(want.clone());
        } else {
            return Err(Error::UnknownContext { name: want.clone(), available });
        }
    }
    chosen.sort();
    chosen.dedup();
    Ok(Selection::Many(chosen))
}

fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// A shell glob: `*` any run of characters, `?` any one character, everything else literal.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative matcher with one backtrack point (the last `*`).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c
  cluster: {server: 'https://127.0.0.1:6443'}
users:
- name: u
  user: {token: t}
contexts:
- name: prod-eu
  context: {cluster: c, user: u}
- name: dev
  context: {cluster: c, user: u, namespace: ops}
- name: prod-us
  context: {cluster: c, user: u}
";

    fn select_in(args: &[&str], all: bool) -> Result<(Selection, Option<String>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, CONFIG).unwrap();
        let mut kube = KubeArgs {
            kubeconfig: Some(path),
            contexts: args.iter().map(|a| (*a).to_owned()).collect(),
            all_contexts: all,
            ..KubeArgs::default()
        };
        let selection = select_with(&mut kube, None)?;
        Ok((selection, kube.context))
    }

    fn many(names: &[&str]) -> Selection {
        Selection::Many(names.iter().map(|n| (*n).to_owned()).collect())
    }

    #[test]
    fn one_plain_name_is_the_old_single_cluster_run() {
        assert_eq!(select_in(&["dev"], false).unwrap(), (Selection::One, Some("dev".into())));
        assert_eq!(select_in(&[], false).unwrap(), (Selection::One, None));
    }

    #[test]
    fn lists_patterns_and_all_contexts_fan_out_sorted_without_duplicates() {
        assert_eq!(select_in(&["prod-us", "dev"], false).unwrap().0, many(&["dev", "prod-us"]));
        assert_eq!(select_in(&["prod-*"], false).unwrap().0, many(&["prod-eu", "prod-us"]));
        assert_eq!(select_in(&["prod-?u", "prod-eu"], false).unwrap().0, many(&["prod-eu"]));
        assert_eq!(select_in(&[], true).unwrap().0, many(&["dev", "prod-eu", "prod-us"]));
    }

    #[test]
    fn unknown_names_and_empty_patterns_list_the_contexts() {
        for wanted in [&["dev", "staging"][..], &["stag*"]] {
            match select_in(wanted, false) {
                Err(Error::UnknownContext { available, .. }) => {
                    assert_eq!(available, ["prod-eu", "dev", "prod-us"]);
                }
                other => panic!("{wanted:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob("prod-*", "prod-eu"));
        assert!(glob("*", ""));
        assert!(glob("*-eu", "prod-eu"));
        assert!(glob("p*d*u", "prod-eu"));
        assert!(!glob("prod-*", "dev"));
        assert!(!glob("prod-?", "prod-eu"));
        assert!(glob("a*b*c", "aXbYbZc"));
    }
}
