//! Label selectors checked before they are sent, so a typo gets one clear local error instead of
//! a round trip. The grammar is Kubernetes' (k8s.io/apimachinery/pkg/labels/selector.go `Parse`):
//! comma-separated requirements `key`, `!key`, `key=v`, `key==v`, `key!=v`, `key in (a,b)`,
//! `key notin (a,b)`, `key>n`, `key<n`; keys are qualified names, values label values.

use crate::error::{Error, Result};

/// Checks a label selector; the server stays the judge of meaning.
pub fn validate_label_selector(selector: &str) -> Result<()> {
    let invalid = |reason: String| Error::InvalidSelector { selector: selector.to_owned(), reason };
    for requirement in split_requirements(selector).map_err(invalid)? {
        check_requirement(requirement.trim()).map_err(invalid)?;
    }
    Ok(())
}

/// Splits on commas that are not inside `( )`.
fn split_requirements(selector: &str) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0_i32, 0);
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&selector[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return Err("unbalanced parentheses".into());
        }
    }
    if depth != 0 {
        return Err("unbalanced parentheses".into());
    }
    parts.push(&selector[start..]);
    if selector.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(parts)
}

fn check_requirement(req: &str) -> Result<(), String> {
    if req.is_empty() {
        return Err("empty requirement (a stray comma?)".into());
    }
    // `!=x` is the operator with no key before it, not "no label `=x`".
    if let Some(key) = req.strip_prefix('!')
        && !req.starts_with("!=")
    {
        return check_key(key.trim());
    }
    for op in ["!=", "==", "=", ">", "<"] {
        if let Some((key, value)) = req.split_once(op) {
            check_key(key.trim())?;
            let value = value.trim();
            if matches!(op, ">" | "<") {
                return value
                    .parse::<i64>()
                    .map(|_| ())
                    .map_err(|_| format!("for '{op}', value must be an integer, got \"{value}\""));
            }
            return check_value(value);
        }
    }
    let words: Vec<&str> = req.splitn(2, char::is_whitespace).collect();
    match words.as_slice() {
        [key] => check_key(key),
        [key, rest] => {
            let rest = rest.trim_start();
            let (op, list) = if let Some(list) = rest.strip_prefix("notin") {
                ("notin", list)
            } else if let Some(list) = rest.strip_prefix("in") {
                ("in", list)
            } else {
                return Err(format!("unexpected \"{rest}\" after key \"{key}\""));
            };
            check_key(key)?;
            let list = list.trim();
            let inner =
                list.strip_prefix('(').and_then(|l| l.strip_suffix(')')).ok_or_else(|| {
                    format!("'{op}' needs a list in parentheses, e.g. {key} {op} (a,b)")
                })?;
            if inner.trim().is_empty() {
                return Err(format!("'{op}' needs at least one value"));
            }
            inner.split(',').try_for_each(|v| check_value(v.trim()))
        }
        _ => Err(format!("cannot parse \"{req}\"")),
    }
}

/// A qualified name with an optional DNS-subdomain prefix (validation.IsQualifiedName).
pub(crate) fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("a requirement has an empty key".into());
    }
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        let ok = !prefix.is_empty()
            && prefix.len() <= 253
            && prefix.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !ok {
            return Err(format!("invalid key \"{key}\": the prefix must be a DNS subdomain"));
        }
    }
    if name.is_empty() || name.len() > 63 || !is_label_token(name) {
        return Err(format!(
            "invalid key \"{key}\": name part must be 63 characters or less, alphanumeric, '-', '_' \
             or '.', starting and ending with an alphanumeric character"
        ));
    }
    Ok(())
}

/// A label value: empty, or a token like a key's name part.
pub(crate) fn check_value(value: &str) -> Result<(), String> {
    if value.is_empty() || (value.len() <= 63 && is_label_token(value)) {
        Ok(())
    } else {
        Err(format!(
            "invalid value \"{value}\": must be 63 characters or less, alphanumeric, '-', '_' or \
             '.', starting and ending with an alphanumeric character"
        ))
    }
}

fn is_label_token(text: &str) -> bool {
    let bytes = text.as_bytes();
    let edge = |b: &u8| b.is_ascii_alphanumeric();
    bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_operator() {
        for ok in [
            "app",
            "!app",
            "app=web",
            "app==web",
            "app!=web",
            "tier in (a,b)",
            "tier notin (a, b)",
            "team=db,tier!=test",
            "kuul.dev/pool=internal",
            "app=",
            "replicas>3",
            "env in (prod),x",
        ] {
            assert!(validate_label_selector(ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn rejects_malformed_selectors() {
        for bad in [
            "app=web,",
            "a b c",
            "tier in a,b",
            "tier in ()",
            "app=we b",
            "-app=x",
            "app=x)",
            "Bad_Prefix./x=1",
            "x>y",
            "(a",
        ] {
            assert!(validate_label_selector(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_empty_key_is_named_as_such() {
        for bad in ["=x", "!=x", "!", "a=b,==c"] {
            let err = validate_label_selector(bad).unwrap_err().to_string();
            assert!(err.ends_with("a requirement has an empty key"), "{bad:?}: {err}");
        }
    }
}
