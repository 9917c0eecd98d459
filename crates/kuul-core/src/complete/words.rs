//! Where the cursor is: reads the words typed after `kubectl kuul` against the clap definition
//! (so new flags and subcommands complete without touching this file) and says what kind of word
//! is wanted next. Pure: no I/O, unit-tested on word lists.
//!
//! Follows clap's parsing rules for the cases a shell line has: `--flag value`, `--flag=value`,
//! `-n value`, `-nvalue`, clustered short switches (`-Aq`), `--` ending the flags, flags with
//! `require_equals` (`--dry-run[=MODE]`) taking no separate value, and global flags (`-n`, `-o`)
//! accepted before or after the subcommand.

use std::collections::BTreeMap;

use clap::Arg;

/// What kind of word is being completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// A subcommand name.
    Subcommand,
    /// A flag name (the word starts with `-`).
    Flag,
    /// The value of the flag with this clap id. `prefix` is what candidates must start with to
    /// replace the whole word (`--namespace=` when the value is typed in the same word).
    FlagValue {
        /// The flag's clap id (`namespace`, `context`, `output`...).
        id: String,
        /// Prepended to every candidate.
        prefix: String,
    },
    /// The `index`-th positional argument of the subcommand (0-based), declared with this value
    /// name (`CRONJOB`, `NODE`...), or `None` when the subcommand takes no more positionals.
    Positional {
        /// The positional's value name, upper case as `--help` shows it.
        value_name: Option<String>,
        /// How many positionals came before it.
        index: usize,
    },
}

/// The line read up to the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The subcommand chosen so far, by its canonical name.
    pub subcommand: Option<String>,
    /// What is wanted at the cursor.
    pub want: Want,
    /// The part of the current word to match candidates against (without a `--flag=` prefix).
    pub current: String,
    /// Values of the flags given so far, by clap id (last one wins, as in clap).
    pub flags: BTreeMap<String, String>,
    /// Positionals given so far for the subcommand.
    pub positionals: Vec<String>,
}

/// Reads `words` (the words after the plugin name; the last one is the word being completed,
/// possibly empty) against `root`, which must be built (`Command::build`) so that global flags
/// are visible on subcommands.
pub fn locate(root: &clap::Command, words: &[String]) -> Position {
    let (current, done) = match words.split_last() {
        Some((current, done)) => (current.clone(), done),
        None => (String::new(), &[][..]),
    };
    let mut command = root;
    let mut subcommand = None;
    let mut flags = BTreeMap::new();
    let mut positionals = Vec::new();
    let mut pending: Option<&Arg> = None;
    let mut only_positionals = false;

    for word in done {
        if let Some(arg) = pending.take() {
            flags.insert(arg.get_id().to_string(), word.clone());
            continue;
        }
        if !only_positionals && word == "--" {
            only_positionals = true;
        } else if !only_positionals && word.starts_with("--") {
            let (name, value) = split_long(word);
            match (find_long(command, name), value) {
                (Some(arg), Some(value)) => {
                    flags.insert(arg.get_id().to_string(), value.to_owned());
                }
                (Some(arg), None) if takes_separate_value(arg) => pending = Some(arg),
                (Some(arg), None) => {
                    flags.insert(arg.get_id().to_string(), String::new());
                }
                (None, _) => {}
            }
        } else if !only_positionals && word.starts_with('-') && word.len() > 1 {
            pending = read_shorts(command, &word[1..], &mut flags);
        } else if subcommand.is_none() && positionals.is_empty() {
            match command.find_subcommand(word) {
                Some(found) => {
                    subcommand = Some(found.get_name().to_owned());
                    command = found;
                }
                None => positionals.push(word.clone()),
            }
        } else {
            positionals.push(word.clone());
        }
    }

    let (want, current) = if let Some(arg) = pending {
        (Want::FlagValue { id: arg.get_id().to_string(), prefix: String::new() }, current)
    } else if !only_positionals && current.starts_with("--") && current.contains('=') {
        let (name, value) = split_long(&current);
        match find_long(command, name) {
            Some(arg) => (
                Want::FlagValue { id: arg.get_id().to_string(), prefix: format!("--{name}=") },
                value.unwrap_or_default().to_owned(),
            ),
            None => (Want::Flag, current),
        }
    } else if !only_positionals && current.starts_with('-') {
        (Want::Flag, current)
    } else if subcommand.is_none() && command.has_subcommands() {
        (Want::Subcommand, current)
    } else {
        let index = positionals.len();
        let value_name = positional_at(command, index).map(value_name);
        (Want::Positional { value_name, index }, current)
    };
    Position { subcommand, want, current, flags, positionals }
}

/// `--name=value` -> (`name`, `Some(value)`); `--name` -> (`name`, `None`).
fn split_long(word: &str) -> (&str, Option<&str>) {
    let body = word.trim_start_matches('-');
    match body.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    }
}

fn find_long<'a>(command: &'a clap::Command, name: &str) -> Option<&'a Arg> {
    command.get_arguments().find(|arg| {
        arg.get_long() == Some(name)
            || arg.get_all_aliases().is_some_and(|aliases| aliases.contains(&name))
    })
}

fn find_short(command: &clap::Command, short: char) -> Option<&Arg> {
    command.get_arguments().find(|arg| arg.get_short() == Some(short))
}

/// Whether `--flag value` consumes the next word: the flag takes values and doesn't insist on
/// `--flag=value` (clap's `require_equals`, used by `--dry-run[=MODE]`).
fn takes_separate_value(arg: &Arg) -> bool {
    arg.get_action().takes_values() && !arg.is_require_equals_set()
}

/// Reads a cluster of short flags (`A`, `nops`, `Aq`); returns the flag still waiting for its
/// value in the next word, if any.
fn read_shorts<'a>(
    command: &'a clap::Command,
    shorts: &str,
    flags: &mut BTreeMap<String, String>,
) -> Option<&'a Arg> {
    for (at, short) in shorts.char_indices() {
        let arg = find_short(command, short)?;
        if takes_separate_value(arg) {
            let rest = &shorts[at + short.len_utf8()..];
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            if rest.is_empty() {
                return Some(arg);
            }
            flags.insert(arg.get_id().to_string(), rest.to_owned());
            return None;
        }
        flags.insert(arg.get_id().to_string(), String::new());
    }
    None
}

/// The positional that takes the `index`-th positional word: the `index`-th one, or the last one
/// when it takes many (`resume [CRONJOB]...`).
fn positional_at(command: &clap::Command, index: usize) -> Option<&Arg> {
    let positionals: Vec<&Arg> = command.get_positionals().filter(|a| !a.is_hide_set()).collect();
    if let Some(arg) = positionals.get(index) {
        return Some(arg);
    }
    positionals.last().copied().filter(|last| {
        matches!(last.get_action(), clap::ArgAction::Append)
            || last.get_num_args().is_some_and(|range| range.max_values() > 1)
    })
}

fn value_name(arg: &Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map_or_else(|| arg.get_id().to_string().to_uppercase(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    use crate::cli::Cli;

    fn at(words: &[&str]) -> Position {
        let mut root = Cli::command();
        root.build();
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        locate(&root, &words)
    }

    #[test]
    fn first_word_is_a_subcommand() {
        let position = at(&["tr"]);
        assert_eq!(position.want, Want::Subcommand);
        assert_eq!(position.current, "tr");
        assert_eq!(position.subcommand, None);
    }

    #[test]
    fn global_flags_before_the_subcommand_are_skipped_with_their_values() {
        let position = at(&["-n", "ops", "--context=prod", "lastrun", ""]);
        assert_eq!(position.subcommand.as_deref(), Some("lastrun"));
        assert_eq!(position.flags.get("namespace").map(String::as_str), Some("ops"));
        assert_eq!(position.flags.get("context").map(String::as_str), Some("prod"));
        assert!(matches!(position.want, Want::Positional { index: 0, .. }), "{position:?}");
    }

    #[test]
    fn flag_value_after_a_separate_flag_word() {
        let position = at(&["lastrun", "-n", "o"]);
        assert_eq!(
            position.want,
            Want::FlagValue { id: "namespace".into(), prefix: String::new() }
        );
        assert_eq!(position.current, "o");
    }

    #[test]
    fn flag_value_in_the_same_word_keeps_the_prefix() {
        let position = at(&["lastrun", "--context=pr"]);
        assert_eq!(
            position.want,
            Want::FlagValue { id: "context".into(), prefix: "--context=".into() }
        );
        assert_eq!(position.current, "pr");
    }

    #[test]
    fn attached_short_values_and_clusters() {
        let position = at(&["-nops", "-A", "lastrun", ""]);
        assert_eq!(position.flags.get("namespace").map(String::as_str), Some("ops"));
        assert!(position.flags.contains_key("all_namespaces"));
        assert_eq!(position.subcommand.as_deref(), Some("lastrun"));
    }

    #[test]
    fn a_dash_word_wants_a_flag() {
        assert_eq!(at(&["lastrun", "--ch"]).want, Want::Flag);
        assert_eq!(at(&["-"]).want, Want::Flag);
    }

    #[test]
    fn double_dash_ends_the_flags() {
        let position = at(&["lastrun", "--", "-x"]);
        assert!(matches!(position.want, Want::Positional { .. }), "{position:?}");
    }

    #[test]
    fn many_valued_positional_keeps_completing() {
        let position = at(&["lastrun", "a", "b", ""]);
        assert_eq!(
            position.want,
            Want::Positional { value_name: Some("CRONJOB".into()), index: 2 }
        );
        assert_eq!(position.positionals, ["a", "b"]);
    }

    #[test]
    fn visible_alias_selects_the_subcommand() {
        assert_eq!(at(&["last-run", ""]).subcommand.as_deref(), Some("lastrun"));
    }
}
