//! Go's `time.ParseDuration`, error texts included, for robfig's `@every <duration>`.
//!
//! Ported from Go 1.19 `time/format.go` (`ParseDuration`, `leadingInt`, `leadingFraction`,
//! `quote`); robfig (parser.go `parseDescriptor`) wraps the error as
//! `failed to parse duration @every x: time: invalid duration "x"`.

use std::fmt::Write as _;

const NANOS_PER_UNIT: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),  // U+00B5 micro sign
    ("\u{3bc}s", 1_000), // U+03BC Greek small letter mu
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

const OVERFLOW: u64 = 1 << 63;

/// `time.ParseDuration(s)`: nanoseconds (Go's `Duration`, an `int64`) or Go's error text.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = &s[1..];
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // leadingInt: [0-9]*, failing on overflow past 1<<63.
        let before = s.len();
        let mut v: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if v > OVERFLOW / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(s[i] - b'0');
            if v > OVERFLOW {
                return Err(invalid());
            }
            i += 1;
        }
        s = &s[i..];
        let pre = before != s.len();
        // leadingFraction: (\.[0-9]*)?, silently dropping precision on overflow.
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let mut i = 0;
            let mut overflow = false;
            while i < s.len() && s[i].is_ascii_digit() {
                if !overflow {
                    if f > (OVERFLOW - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(s[i] - b'0');
                        if y > OVERFLOW {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            post = i > 0;
            s = &s[i..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        // The unit runs up to the next '.' or digit.
        let end = s.iter().position(|&c| c == b'.' || c.is_ascii_digit()).unwrap_or(s.len());
        if end == 0 {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let unit_bytes = &s[..end];
        s = &s[end..];
        let unit = NANOS_PER_UNIT.iter().find(|(name, _)| name.as_bytes() == unit_bytes);
        let Some(&(_, unit)) = unit else {
            let u = String::from_utf8_lossy(unit_bytes);
            return Err(format!("time: unknown unit {} in duration {}", quote(&u), quote(orig)));
        };
        if v > OVERFLOW / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            // Go: v += uint64(float64(f) * (float64(unit) / scale)); the float truncation is
            // the documented behaviour.
            #[allow(
                clippy::cast_precision_loss,
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss
            )]
            let frac = (f as f64 * (unit as f64 / scale)) as u64;
            v = v.wrapping_add(frac);
            if v > OVERFLOW {
                return Err(invalid());
            }
        }
        d = d.wrapping_add(v);
        if d > OVERFLOW {
            return Err(invalid());
        }
    }
    #[allow(clippy::cast_possible_wrap)]
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > OVERFLOW - 1 {
        return Err(invalid());
    }
    #[allow(clippy::cast_possible_wrap)]
    Ok(d as i64)
}

/// The `time` package's own `quote` (format.go): not `strconv.Quote`; every byte of a
/// non-ASCII or control rune is written as `\xNN`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if (c as u32) >= 0x80 || (c as u32) < 0x20 {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "\\x{b:02x}");
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_go() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration("-1s"), Ok(-1_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration(".5m"), Ok(30_000_000_000));
        assert_eq!(parse_duration("1\u{b5}s"), Ok(1_000));
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(parse_duration("").unwrap_err(), r#"time: invalid duration """#);
        assert_eq!(parse_duration("1").unwrap_err(), r#"time: missing unit in duration "1""#);
        assert_eq!(parse_duration("1x").unwrap_err(), r#"time: unknown unit "x" in duration "1x""#);
        assert_eq!(parse_duration(".s").unwrap_err(), r#"time: invalid duration ".s""#);
        assert_eq!(parse_duration("3000000h").unwrap_err(), r#"time: invalid duration "3000000h""#);
        assert_eq!(
            parse_duration("1é").unwrap_err(),
            r#"time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9""#
        );
    }
}
