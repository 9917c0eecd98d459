//! `--env KEY=VALUE`: parsed and checked on the command line, so a bad key fails before anything
//! is sent (exit 2) with the API server's own words.
//!
//! The key rule is Kubernetes' `IsEnvVarName`
//! (`staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go`): the regex
//! `[-._a-zA-Z][-._a-zA-Z0-9]*`, and `hasChDirPrefix` (not `.`, not `..`, not starting with
//! `..`). Clusters with `RelaxedEnvironmentVariableValidation` accept more; the strict rule is
//! the one every cluster accepts.

use std::str::FromStr;

/// One `--env KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvOverride {
    /// The variable name.
    pub key: String,
    /// Its value for this run (may be empty).
    pub value: String,
}

/// The API server's message for a bad name (`envVarNameFmtErrMsg`).
const NAME_RULE: &str = "a valid environment variable name must consist of alphabetic \
                         characters, digits, '_', '-', or '.', and must not start with a digit";

impl FromStr for EnvOverride {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!("\"{text}\" is not KEY=VALUE"));
        };
        validate_env_name(key).map_err(|why| format!("invalid name \"{key}\": {why}"))?;
        Ok(EnvOverride { key: key.to_owned(), value: value.to_owned() })
    }
}

/// Kubernetes' `IsEnvVarName`.
pub(crate) fn validate_env_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || "-._".contains(c));
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)) {
        return Err(format!("{NAME_RULE} (e.g. 'my.env-name', 'MY_ENV.NAME', or 'MyEnvName1')"));
    }
    match name {
        "." => Err("must not be '.'".into()),
        ".." => Err("must not be '..'".into()),
        _ if name.starts_with("..") => Err("must not start with '..'".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_value_keeping_equals_in_the_value() {
        let e: EnvOverride = "URL=a=b".parse().unwrap();
        assert_eq!(e, EnvOverride { key: "URL".into(), value: "a=b".into() });
        let empty: EnvOverride = "EMPTY=".parse().unwrap();
        assert_eq!(empty.value, "");
    }

    #[test]
    fn rejects_what_the_api_server_rejects() {
        for bad in ["1ABC", "A B", "", "A$", "..x", ".", ".."] {
            assert!(validate_env_name(bad).is_err(), "{bad}");
        }
        for good in ["A", "my.env-name", "MY_ENV.NAME", "MyEnvName1", "_x", "-x", ".x"] {
            assert!(validate_env_name(good).is_ok(), "{good}");
        }
        assert!("NOEQUALS".parse::<EnvOverride>().unwrap_err().contains("KEY=VALUE"));
        assert!("9X=1".parse::<EnvOverride>().unwrap_err().contains("must not start with a digit"));
    }
}
