//! Query-string parsing (percent-decoding, `+` as space) into the parameters handlers read.

use std::collections::HashMap;

/// Decoded query parameters (last value wins, as Go's `url.Values.Get` takes the first; no
/// client sends a parameter twice).
#[derive(Debug, Clone, Default)]
pub struct Query {
    params: HashMap<String, String>,
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Percent-decodes one component.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Query {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Query {
        let mut params = HashMap::new();
        for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            params.insert(decode(k), decode(v));
        }
        Query { params }
    }

    /// A parameter's value.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.params.get(k).map(String::as_str)
    }

    /// A parameter as a bool (`1`, `true`).
    pub fn flag(&self, k: &str) -> bool {
        matches!(self.get(k), Some("1" | "true" | "True"))
    }

    /// `dryRun=All`.
    pub fn dry_run(&self) -> bool {
        self.get("dryRun") == Some("All")
    }

    /// upstream `ValidateDryRun` (`apimachinery/pkg/apis/meta/v1/validation`, v1.32.0): the only
    /// dry-run value is `All`; anything else is a 422 about the verb's options
    /// (`CreateOptions`, `UpdateOptions`, `PatchOptions`, `DeleteOptions`).
    pub fn check_dry_run(&self, options_kind: &str) -> Result<(), crate::error::ApiError> {
        match self.get("dryRun") {
            None | Some("All") => Ok(()),
            Some(other) => Err(dry_run_error(options_kind, &[other])),
        }
    }
}

/// The 422 for dry-run values other than `All`; Go prints the list with `%#v`.
pub fn dry_run_error(options_kind: &str, values: &[&str]) -> crate::error::ApiError {
    let shown: Vec<String> =
        values.iter().map(|v| serde_json::Value::from(*v).to_string()).collect();
    let cause = crate::error::FieldError {
        reason: "FieldValueNotSupported",
        field: "dryRun".to_string(),
        body: format!(
            "Unsupported value: []string{{{}}}: supported values: \"All\"",
            shown.join(", ")
        ),
    };
    crate::error::ApiError::invalid_options_cause(options_kind, &cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_values_other_than_all_are_422() {
        assert!(Query::parse(Some("dryRun=All")).check_dry_run("CreateOptions").is_ok());
        assert!(Query::parse(None).check_dry_run("CreateOptions").is_ok());
        let e = Query::parse(Some("dryRun=true")).check_dry_run("PatchOptions").unwrap_err();
        assert_eq!(e.code, 422);
        assert_eq!(
            e.message,
            "PatchOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"true\"}: supported values: \"All\""
        );
    }

    #[test]
    fn decodes_selectors() {
        let q = Query::parse(Some("labelSelector=app%20in%20(a%2Cb)&watch=1&x=a+b"));
        assert_eq!(q.get("labelSelector"), Some("app in (a,b)"));
        assert!(q.flag("watch"));
        assert_eq!(q.get("x"), Some("a b"));
        assert_eq!(decode("%zz%4"), "%zz%4");
    }
}
