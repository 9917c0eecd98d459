//! Kubernetes resource quantities (`500m`, `1Gi`, `1e3`, `2`) as numbers, for `cost-report`
//! (requests x time x price) and `label-pool` (allocatable CPU and memory).
//!
//! The grammar is apimachinery's (`k8s.io/apimachinery/pkg/api/resource/quantity.go`,
//! `ParseQuantity` and `parseQuantityString`):
//!
//! ```text
//! <quantity>        ::= <signedNumber><suffix>
//! <signedNumber>    ::= <number> | <sign><number>
//! <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//! <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//! <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//! <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//! <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
//! ```
//!
//! Upstream keeps quantities as exact decimals; costs are estimates in `f64`, so we convert to
//! `f64` once, here (a `1Gi` request is exactly 2^30, `100m` is 0.1 to within 1 ulp).

use std::fmt;

/// A quantity that does not follow the grammar above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    /// The text as given.
    pub text: String,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // upstream's ErrFormatWrong text, with the offending value.
        write!(
            f,
            "quantities must match the regular expression \
             '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{}\"",
            self.text
        )
    }
}

impl std::error::Error for QuantityError {}

/// Parses a quantity into its value in base units (cores for CPU, bytes for memory).
pub fn parse(text: &str) -> Result<f64, QuantityError> {
    let error = || QuantityError { text: text.to_owned() };
    // No trimming: upstream rejects surrounding spaces too.
    let (number, suffix) = split_number(text).ok_or_else(error)?;
    let value: f64 = number.parse().map_err(|_| error())?;
    let scale = suffix_scale(suffix).ok_or_else(error)?;
    Ok(cap(value * scale))
}

/// The largest magnitude a quantity may have: upstream's `Quantity` doc says no quantity may
/// exceed 2^63-1 and larger ones are capped. Capping also keeps `0e400` (0 x infinity) from
/// becoming NaN and `1e400` from becoming infinity, which would poison every sum it enters.
const MAX_MAGNITUDE: f64 = 9_223_372_036_854_775_808.0; // 2^63, the nearest f64 to 2^63-1

fn cap(value: f64) -> f64 {
    if value.is_nan() { 0.0 } else { value.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE) }
}

/// Splits `[+-]digits[.digits]` from the suffix; `None` when there is no digit at all.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut end = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let mut digits = 0;
    let mut dots = 0;
    while let Some(&b) = bytes.get(end) {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' if dots == 0 => dots += 1,
            _ => break,
        }
        end += 1;
    }
    (digits > 0).then(|| text.split_at(end))
}

/// The multiplier a suffix stands for (`suffix.go`).
fn suffix_scale(suffix: &str) -> Option<f64> {
    let binary = |power: i32| Some(2_f64.powi(power));
    let decimal = |power: i32| Some(10_f64.powi(power));
    match suffix {
        "" => Some(1.0),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            decimal(exponent.parse().ok()?)
        }
    }
}

/// Bytes in a GiB: memory prices are per GiB-hour.
pub const GIB: f64 = 1_073_741_824.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_binary_suffixes() {
        assert_eq!(parse("500m").unwrap(), 0.5);
        assert_eq!(parse("2").unwrap(), 2.0);
        assert_eq!(parse("1Gi").unwrap(), GIB);
        assert_eq!(parse("512Mi").unwrap(), 512.0 * 1024.0 * 1024.0);
        assert_eq!(parse("1k").unwrap(), 1000.0);
        assert_eq!(parse("1M").unwrap(), 1e6);
        assert_eq!(parse("250000u").unwrap(), 0.25);
        assert_eq!(parse("1.5").unwrap(), 1.5);
        assert_eq!(parse(".5").unwrap(), 0.5);
        assert_eq!(parse("5.").unwrap(), 5.0);
    }

    #[test]
    fn exponents() {
        assert_eq!(parse("1e3").unwrap(), 1000.0);
        assert_eq!(parse("1E3").unwrap(), 1000.0);
        assert_eq!(parse("12e-1").unwrap(), 1.2000000000000002);
        assert_eq!(parse("1e+2").unwrap(), 100.0);
    }

    #[test]
    fn signs() {
        assert_eq!(parse("-1").unwrap(), -1.0);
        assert_eq!(parse("+100m").unwrap(), 0.1);
    }

    #[test]
    fn rejects_what_upstream_rejects() {
        for bad in
            ["", "m", "1mm", "1 Gi", " 1", "1gi", "1KI", "1e", "1e+", "1.2.3", "abc", "1Gib", "-"]
        {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        assert!(parse("1x").unwrap_err().to_string().contains("\"1x\""));
    }

    #[test]
    fn huge_exponents_are_capped_not_infinite_or_nan() {
        assert_eq!(parse("1e400").unwrap(), MAX_MAGNITUDE);
        assert_eq!(parse("-1e400").unwrap(), -MAX_MAGNITUDE);
        assert_eq!(parse("0e400").unwrap(), 0.0);
        assert_eq!(parse("999999999999Ei").unwrap(), MAX_MAGNITUDE);
    }
}
