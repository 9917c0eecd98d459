//! Go's `strconv.Atoi` and `strconv.Quote`, error texts included.
//!
//! robfig's `mustParseInt` (parser.go) wraps `strconv.Atoi` errors verbatim
//! (`failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax`), and the API
//! server prints bad values with `%q`, which is `strconv.Quote`. Ported from Go 1.19
//! `strconv/atoi.go` and `strconv/quote.go`.

use std::fmt::Write as _;

/// `strconv.Atoi(s)` on a 64-bit platform: `Ok(n)` or Go's `*NumError` text.
pub(crate) fn atoi(s: &str) -> Result<i64, String> {
    let bytes = s.as_bytes();
    // Fast path (atoi.go): fewer than 19 bytes always fits an int64.
    if !bytes.is_empty() && bytes.len() < 19 {
        let digits = match bytes[0] {
            b'-' | b'+' => &bytes[1..],
            _ => bytes,
        };
        if digits.is_empty() {
            return Err(syntax_error(s));
        }
        let mut n: i64 = 0;
        for &c in digits {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return Err(syntax_error(s));
            }
            n = n * 10 + i64::from(d);
        }
        return Ok(if bytes[0] == b'-' { -n } else { n });
    }
    parse_int_slow(s)
}

/// `strconv.ParseInt(s, 10, 0)` with the error's function renamed to `Atoi`, as `Atoi`'s slow
/// path does: syntax errors stop at the first bad byte, but overflow is reported as soon as
/// it happens, even if a bad byte follows (`ParseUint`'s loop order).
fn parse_int_slow(s: &str) -> Result<i64, String> {
    if s.is_empty() {
        return Err(syntax_error(s));
    }
    let bytes = s.as_bytes();
    let (neg, digits) = match bytes[0] {
        b'+' => (false, &bytes[1..]),
        b'-' => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    if digits.is_empty() {
        return Err(syntax_error(s));
    }
    let mut n: u64 = 0;
    for &c in digits {
        // ParseUint with base 10 rejects underscores and letters alike.
        if !c.is_ascii_digit() {
            return Err(syntax_error(s));
        }
        let Some(next) = n.checked_mul(10).and_then(|v| v.checked_add(u64::from(c - b'0'))) else {
            return Err(range_error(s));
        };
        n = next;
    }
    let cutoff = 1u64 << 63;
    if (!neg && n >= cutoff) || (neg && n > cutoff) {
        return Err(range_error(s));
    }
    #[allow(clippy::cast_possible_wrap)]
    let value = if neg { (n as i64).wrapping_neg() } else { n as i64 };
    Ok(value)
}

fn syntax_error(s: &str) -> String {
    format!("strconv.Atoi: parsing {}: invalid syntax", quote(s))
}

fn range_error(s: &str) -> String {
    format!("strconv.Atoi: parsing {}: value out of range", quote(s))
}

/// `strconv.Quote(s)`: Go-syntax double-quoted string.
///
/// Printable runes stay as they are; `IsPrint` is approximated with Rust's Unicode data
/// (control, whitespace other than U+0020, format characters, private use and noncharacters
/// are escaped). Unassigned code points, which Go also escapes, are kept: std has no table
/// for them.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Approximates Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the
/// ASCII space.
fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Format characters (Cf), private use (Co) and noncharacters.
    let format = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    let nonchar = (u & 0xFFFE) == 0xFFFE || (0xFDD0..=0xFDEF).contains(&u);
    !(format || private || nonchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_accepts_signs_and_leading_zeros() {
        assert_eq!(atoi("+5"), Ok(5));
        assert_eq!(atoi("05"), Ok(5));
        assert_eq!(atoi("-0"), Ok(0));
        assert_eq!(atoi("-7"), Ok(-7));
        assert_eq!(atoi("-9223372036854775808"), Ok(i64::MIN));
    }

    #[test]
    fn atoi_errors_match_go() {
        assert_eq!(atoi("").unwrap_err(), r#"strconv.Atoi: parsing "": invalid syntax"#);
        assert_eq!(atoi("-").unwrap_err(), r#"strconv.Atoi: parsing "-": invalid syntax"#);
        assert_eq!(atoi("1_0").unwrap_err(), r#"strconv.Atoi: parsing "1_0": invalid syntax"#);
        assert_eq!(
            atoi("9223372036854775808").unwrap_err(),
            r#"strconv.Atoi: parsing "9223372036854775808": value out of range"#
        );
        // Overflow is noticed before the trailing garbage (ParseUint's loop order).
        assert_eq!(
            atoi("99999999999999999999x").unwrap_err(),
            r#"strconv.Atoi: parsing "99999999999999999999x": value out of range"#
        );
        assert_eq!(
            atoi("9999999999999999999x").unwrap_err(),
            r#"strconv.Atoi: parsing "9999999999999999999x": invalid syntax"#
        );
    }

    #[test]
    fn quote_escapes_like_go() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\t\u{1}\u{7f}"), r#""\t\x01\x7f""#);
        assert_eq!(quote("é\u{200b}"), "\"é\\u200b\"");
        assert_eq!(quote("\u{10ffff}"), r#""\U0010ffff""#);
    }
}
