//! Names of manual runs: `<cronjob>-manual-<suffix>`, at most 63 characters, or `--name`.
//!
//! 63 and not 253: a Job's name becomes the value of its pods' `job-name` and
//! `batch.kubernetes.io/job-name` labels, and label values are limited to 63 characters
//! (the API server rejects longer Job names for that reason, `ValidateGeneratedSelector`).
//! The name must be a DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`).

use std::hash::{BuildHasher, Hasher};

use crate::error::{Error, Result};

/// Longest Job name whose pods can carry it as a label value.
pub(crate) const MAX_NAME: usize = 63;
/// Random characters after `-manual-`.
const SUFFIX_LEN: usize = 5;
const MANUAL: &str = "-manual-";

/// `<cronjob>-manual-<suffix>`, shortening the CronJob part (and dropping a `-` the cut leaves
/// at its end) so the whole fits in 63 characters.
pub(crate) fn manual_name(cronjob: &str, suffix: &str) -> String {
    let room = MAX_NAME - MANUAL.len() - suffix.len();
    let cut = &cronjob[..cronjob.len().min(room)];
    format!("{}{MANUAL}{suffix}", cut.trim_end_matches(['-', '.']))
}

/// Five random lowercase letters and digits. The randomness is the per-process random keys of
/// the standard library's `RandomState` (seeded from the OS), enough for a suffix whose
/// uniqueness the API server checks anyway (AlreadyExists -> another suffix).
pub(crate) fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x6b75_756c);
    let mut bits = hasher.finish();
    (0..SUFFIX_LEN)
        .map(|_| {
            let alphabet_len = ALPHABET.len() as u64;
            let index = usize::try_from(bits % alphabet_len).unwrap_or(0);
            bits /= alphabet_len;
            char::from(ALPHABET[index])
        })
        .collect()
}

/// `--name`: a DNS-1123 label of at most 63 characters, else a usage error (exit 2).
pub(crate) fn validate_name(name: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::Usage(format!("invalid --name \"{name}\": {why}")));
    if name.len() > MAX_NAME {
        return bad(&format!(
            "must be no more than {MAX_NAME} characters (it has {}): a Job's name becomes its \
             pods' job-name label",
            name.len()
        ));
    }
    let valid_chars =
        name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let valid_ends = name.bytes().next().is_some_and(|b| b != b'-')
        && name.bytes().last().is_some_and(|b| b != b'-');
    if !valid_chars || !valid_ends {
        return bad(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \
             '-', and must start and end with an alphanumeric character (e.g. 'my-name', or \
             '123-abc')",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_kept_whole() {
        assert_eq!(manual_name("backup", "ab1cd"), "backup-manual-ab1cd");
    }

    #[test]
    fn long_names_are_shortened_to_63() {
        let long = "a".repeat(52);
        let name = manual_name(&long, "ab1cd");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}-manual-ab1cd", "a".repeat(50)));
        validate_name(&name).unwrap();
    }

    #[test]
    fn a_cut_never_leaves_a_dash_before_manual() {
        let long = format!("{}-{}", "a".repeat(49), "b".repeat(10));
        let name = manual_name(&long, "ab1cd");
        assert_eq!(name, format!("{}-manual-ab1cd", "a".repeat(49)));
        validate_name(&name).unwrap();
    }

    #[test]
    fn suffixes_are_lowercase_alphanumeric_and_vary() {
        let all: Vec<String> = (0..20).map(|_| random_suffix()).collect();
        for s in &all {
            assert_eq!(s.len(), 5);
            assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{s}");
        }
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert!(unique.len() > 15, "{all:?}");
    }

    #[test]
    fn name_validation_names_the_rule() {
        validate_name("run-1").unwrap();
        let long = validate_name(&"a".repeat(64)).unwrap_err();
        assert!(long.to_string().contains("no more than 63"), "{long}");
        assert_eq!(long.exit_status(), crate::error::ExitStatus::Usage);
        for bad in ["Run", "-run", "run-", "run_1", ""] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}
