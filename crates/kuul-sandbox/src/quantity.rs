//! `resource.Quantity` as the API server stores it: parsed, then written in canonical form.
//!
//! After k8s.io/apimachinery `pkg/api/resource/quantity.go` (v0.32.0: `ParseQuantity`,
//! `CanonicalizeBytes`, `AsCanonicalBytes`, `AsCanonicalBase1024Bytes`): values are kept to nano
//! precision (rounded up), decimal forms use the largest exponent that is a multiple of 3 and
//! leaves an integer mantissa (`0.5` -> `500m`, `1000m` -> `1`, `2000` -> `2k`), binary forms the
//! largest power of 1024 (`1024Mi` -> `1Gi`, `0.5Gi` -> `512Mi`) unless the value is below 1024
//! or fractional, which then prints as decimal (`0.5Ki` -> `512`).

/// The format a quantity was written in (`resource.Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    BinarySi,
    DecimalSi,
    DecimalExponent,
}

/// A parsed quantity: value in nano units and its format.
fn parse(s: &str) -> Option<(i128, Format)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (neg, rest) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let (num, suffix) = rest.split_at(num_len);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return None;
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    // value = digits * 10^-frac_len, kept as (mantissa, exp10) and a binary multiplier.
    let digits: String = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return None;
    }
    let mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    let mut exp10: i32 = -i32::try_from(frac_part.len()).ok()?;
    let mut mul2: i128 = 1;
    let format = match suffix {
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let p = match suffix {
                "Ki" => 1,
                "Mi" => 2,
                "Gi" => 3,
                "Ti" => 4,
                "Pi" => 5,
                _ => 6,
            };
            mul2 = 1_i128 << (10 * p);
            Format::BinarySi
        }
        "n" | "u" | "m" | "" | "k" | "M" | "G" | "T" | "P" | "E" => {
            exp10 += match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "" => 0,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                _ => 18,
            };
            Format::DecimalSi
        }
        _ => {
            let e = suffix.strip_prefix(['e', 'E'])?;
            exp10 += e.parse::<i32>().ok()?;
            Format::DecimalExponent
        }
    };
    // nanos = mantissa * mul2 * 10^(exp10 + 9), rounded up (away from zero) below a nano.
    let mut v = mantissa.checked_mul(mul2)?;
    let e = exp10 + 9;
    if e >= 0 {
        v = v.checked_mul(10_i128.checked_pow(u32::try_from(e).ok()?)?)?;
    } else {
        let d = 10_i128.checked_pow(u32::try_from(-e).ok()?)?;
        v = (v + d - 1) / d;
    }
    Some((if neg { -v } else { v }, format))
}

/// The value of `q` in nano units (`1` -> 1e9), or `None` if it does not parse.
pub fn nanos(q: &str) -> Option<i128> {
    parse(q).map(|(n, _)| n)
}

/// `q` in canonical form, or `None` if it does not parse.
pub fn canonical(q: &str) -> Option<String> {
    let (nanos, format) = parse(q)?;
    Some(render(nanos, format))
}

/// `nanos` written as `Quantity.String()` would with the format of `sample` (a sum keeps the
/// format of its first operand, as `Quantity.Add`).
pub fn format_like(nanos: i128, sample: &str) -> String {
    render(nanos, parse(sample).map_or(Format::DecimalSi, |(_, f)| f))
}

fn render(nanos: i128, mut format: Format) -> String {
    if nanos == 0 {
        return "0".to_owned();
    }
    const NANO: i128 = 1_000_000_000;
    if format == Format::BinarySi && (nanos.abs() < 1024 * NANO || nanos % NANO != 0) {
        format = Format::DecimalSi;
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.abs();
    if format == Format::BinarySi {
        let mut m = abs / NANO;
        let mut p = 0;
        while p < 6 && m % 1024 == 0 {
            m /= 1024;
            p += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][p];
        return format!("{sign}{m}{suffix}");
    }
    let mut m = abs;
    let mut exp = -9_i32;
    while m % 1000 == 0 && exp < 18 {
        m /= 1000;
        exp += 3;
    }
    let suffix = match format {
        Format::DecimalExponent if exp == 0 => String::new(),
        Format::DecimalExponent => format!("e{exp}"),
        _ => match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            _ => "E",
        }
        .to_owned(),
    };
    format!("{sign}{m}{suffix}")
}

/// Canonicalises every value of a `ResourceList` map in place (unparseable ones are left).
pub fn canonicalize_list(list: &mut serde_json::Value) {
    let Some(m) = list.as_object_mut() else { return };
    for v in m.values_mut() {
        let c = match v {
            serde_json::Value::String(s) => canonical(s),
            serde_json::Value::Number(n) => canonical(&n.to_string()),
            _ => None,
        };
        if let Some(c) = c {
            *v = serde_json::Value::String(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    /// Cases from apimachinery `pkg/api/resource/quantity_test.go` (v0.32.0) `TestQuantityParse`
    /// and `TestQuantityCanonicalizeBytes`-style round trips.
    #[test]
    fn canonical_forms_match_apimachinery() {
        for (input, want) in [
            ("0", "0"),
            ("0n", "0"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("2000", "2k"),
            ("100M", "100M"),
            ("1024Mi", "1Gi"),
            ("0.5Gi", "512Mi"),
            ("1.5Gi", "1536Mi"),
            ("512Ki", "512Ki"),
            ("1Ki", "1Ki"),
            ("0.5Ki", "512"),
            ("1023", "1023"),
            ("100m", "100m"),
            ("0.1", "100m"),
            ("1e3", "1e3"),
            ("1.5e3", "1500"),
            ("-1", "-1"),
            ("-0.5", "-500m"),
            ("1.1n", "2n"),
            ("0.0001m", "100n"),
            ("12345", "12345"),
            ("1Mi", "1Mi"),
            ("1048576", "1048576"),
            ("250m", "250m"),
            ("4", "4"),
            ("16Gi", "16Gi"),
            ("110", "110"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        for bad in ["", "abc", "1.2.3", "1Zi", "."] {
            assert_eq!(canonical(bad), None, "{bad}");
        }
    }
}
