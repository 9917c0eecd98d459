//! The syntax errors of Go's `encoding/json` (its scanner, `scanner.go`: `checkValid` runs
//! before any decoding), which the API server quotes in its 400s: a malformed body
//! (`couldn't get version/kind; json parse error: ...`), a malformed continue token. serde_json
//! reports the same problems in other words; these are Go's, byte for byte.

/// Go's `quoteChar`: the offending byte as the message shows it (`'n'`, `'\''`, `'\u009e'`).
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        _ => {
            // strconv.Quote(string(rune(c))) without its double quotes.
            let r = char::from(c);
            let inner = match c {
                0x07 => "\\a".into(),
                0x08 => "\\b".into(),
                0x0c => "\\f".into(),
                b'\n' => "\\n".into(),
                b'\r' => "\\r".into(),
                b'\t' => "\\t".into(),
                0x0b => "\\v".into(),
                b'\\' => "\\\\".into(),
                0..0x20 | 0x7f => format!("\\x{c:02x}"),
                // Latin-1: printable but for NBSP and the soft hyphen (unicode.IsPrint).
                0x80..0xa1 | 0xad => format!("\\u{:04x}", u32::from(r)),
                _ => r.to_string(),
            };
            format!("'{inner}'")
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Container {
    ObjectKey,
    ObjectValue,
    Array,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU(u8),
    Neg,
    Zero,
    One,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    /// Inside a literal: the rest of it still expected, and the literal's name.
    Literal(&'static [u8], &'static str),
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// The error `json.Unmarshal` returns for `data`'s syntax, or `None` when it is valid JSON.
pub fn syntax_error(data: &[u8]) -> Option<String> {
    let mut stack: Vec<Container> = Vec::new();
    let mut state = State::BeginValue;
    let err = |c: u8, context: &str| Some(format!("invalid character {} {context}", quote_char(c)));
    // A trailing space stands for the end of input (the scanner's `eof`).
    for &c in data.iter().chain(std::iter::once(&b' ')) {
        // Each byte may pass through several states (a number ends where the next token starts).
        loop {
            match state {
                State::BeginValue | State::BeginValueOrEmpty if is_space(c) => {}
                State::BeginValueOrEmpty if c == b']' => {
                    stack.pop();
                    state = State::EndValue;
                }
                State::BeginValue | State::BeginValueOrEmpty => {
                    state = match c {
                        b'{' => {
                            stack.push(Container::ObjectKey);
                            State::BeginStringOrEmpty
                        }
                        b'[' => {
                            stack.push(Container::Array);
                            State::BeginValueOrEmpty
                        }
                        b'"' => State::InString,
                        b'-' => State::Neg,
                        b'0' => State::Zero,
                        b'1'..=b'9' => State::One,
                        b't' => State::Literal(b"rue", "true"),
                        b'f' => State::Literal(b"alse", "false"),
                        b'n' => State::Literal(b"ull", "null"),
                        _ => return err(c, "looking for beginning of value"),
                    };
                }
                State::BeginStringOrEmpty | State::BeginString if is_space(c) => {}
                State::BeginStringOrEmpty if c == b'}' => {
                    stack.pop();
                    state = State::EndValue;
                }
                State::BeginStringOrEmpty | State::BeginString => {
                    if c != b'"' {
                        return err(c, "looking for beginning of object key string");
                    }
                    state = State::InString;
                }
                State::EndValue => {
                    let Some(top) = stack.last_mut() else {
                        state = State::EndTop;
                        continue;
                    };
                    if is_space(c) {
                        break;
                    }
                    match (*top, c) {
                        (Container::ObjectKey, b':') => {
                            *top = Container::ObjectValue;
                            state = State::BeginValue;
                        }
                        (Container::ObjectKey, _) => return err(c, "after object key"),
                        (Container::ObjectValue, b',') => {
                            *top = Container::ObjectKey;
                            state = State::BeginString;
                        }
                        (Container::ObjectValue | Container::Array, b'}' | b']')
                            if (c == b'}') == (*top == Container::ObjectValue) =>
                        {
                            stack.pop();
                        }
                        (Container::ObjectValue, _) => {
                            return err(c, "after object key:value pair");
                        }
                        (Container::Array, b',') => state = State::BeginValue,
                        (Container::Array, _) => return err(c, "after array element"),
                    }
                }
                State::EndTop => {
                    if !is_space(c) {
                        return err(c, "after top-level value");
                    }
                }
                State::InString => match c {
                    b'"' => state = State::EndValue,
                    b'\\' => state = State::InStringEsc,
                    0..0x20 => return err(c, "in string literal"),
                    _ => {}
                },
                State::InStringEsc => match c {
                    b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                        state = State::InString;
                    }
                    b'u' => state = State::InStringEscU(4),
                    _ => return err(c, "in string escape code"),
                },
                State::InStringEscU(n) => {
                    if !c.is_ascii_hexdigit() {
                        return err(c, "in \\u hexadecimal character escape");
                    }
                    state = if n == 1 { State::InString } else { State::InStringEscU(n - 1) };
                }
                State::Neg => match c {
                    b'0' => state = State::Zero,
                    b'1'..=b'9' => state = State::One,
                    _ => return err(c, "in numeric literal"),
                },
                State::One if c.is_ascii_digit() => {}
                State::One | State::Zero => match c {
                    b'.' => state = State::Dot,
                    b'e' | b'E' => state = State::E,
                    _ => {
                        state = State::EndValue;
                        continue;
                    }
                },
                State::Dot => {
                    if !c.is_ascii_digit() {
                        return err(c, "after decimal point in numeric literal");
                    }
                    state = State::Dot0;
                }
                State::Dot0 => match c {
                    b'0'..=b'9' => {}
                    b'e' | b'E' => state = State::E,
                    _ => {
                        state = State::EndValue;
                        continue;
                    }
                },
                State::E if matches!(c, b'+' | b'-') => state = State::ESign,
                State::E | State::ESign => {
                    if !c.is_ascii_digit() {
                        return err(c, "in exponent of numeric literal");
                    }
                    state = State::E0;
                }
                State::E0 => {
                    if !c.is_ascii_digit() {
                        state = State::EndValue;
                        continue;
                    }
                }
                State::Literal(rest, name) => {
                    let want = rest[0];
                    if c != want {
                        return err(
                            c,
                            &format!("in literal {name} (expecting {})", quote_char(want)),
                        );
                    }
                    state = if rest.len() == 1 {
                        State::EndValue
                    } else {
                        State::Literal(&rest[1..], name)
                    };
                }
            }
            break;
        }
    }
    if state == State::EndTop || (state == State::EndValue && stack.is_empty()) {
        None
    } else {
        Some("unexpected end of JSON input".into())
    }
}

/// `summarizeData(data, 30)` (apiserver endpoints/handlers/rest.go): how a decode error shows
/// the body: as text when it starts like an object, else hex; at most 30 bytes, then ` ...`.
pub fn summarize(data: &[u8]) -> String {
    const MAX: usize = 30;
    let head = &data[..data.len().min(MAX)];
    let more = if data.len() > MAX { " ..." } else { "" };
    match data.first() {
        None => "<empty>".into(),
        Some(b'{') => format!("{}{more}", String::from_utf8_lossy(head)),
        Some(_) => {
            let hex: String = head.iter().map(|b| format!("{b:02x}")).collect();
            format!("{hex}{more}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_syntax_errors() {
        let e = |s: &[u8]| syntax_error(s).unwrap_or_default();
        assert_eq!(
            e(b"{not json"),
            "invalid character 'n' looking for beginning of object key string"
        );
        assert_eq!(e(b"\x9e\x8b"), "invalid character '\\u009e' looking for beginning of value");
        assert_eq!(e(b"{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(e(b"{\"a\":1 2}"), "invalid character '2' after object key:value pair");
        assert_eq!(e(b"[1 2]"), "invalid character '2' after array element");
        assert_eq!(e(b"[1]x"), "invalid character 'x' after top-level value");
        // Go's `eof` steps a space through the scanner, so a cut literal blames that space.
        assert_eq!(e(b"tru"), "invalid character ' ' in literal true (expecting 'e')");
        assert_eq!(e(b"{\"a\":"), "unexpected end of JSON input");
        assert_eq!(e(b"trUe"), "invalid character 'U' in literal true (expecting 'u')");
        assert_eq!(e(b"{\"a\":\"\\q\"}"), "invalid character 'q' in string escape code");
        assert_eq!(e(b"1.x"), "invalid character 'x' after decimal point in numeric literal");
        assert_eq!(e(b"'a'"), "invalid character '\\'' looking for beginning of value");
        assert_eq!(e(b"\"a\nb\""), "invalid character '\\n' in string literal");
        assert_eq!(
            e(b"{\"a\":[1,2],}"),
            "invalid character '}' looking for beginning of object key string"
        );
        assert_eq!(e(b"[1,]"), "invalid character ']' looking for beginning of value");
        assert_eq!(e(b"{\"a\":1]"), "invalid character ']' after object key:value pair");
        assert_eq!(e(b""), "unexpected end of JSON input");
        for ok in [
            &b"{}"[..],
            b"[]",
            b" {\"a\": [1, -2.5e+3, true, null, \"x\\u00e9\"]} ",
            b"0",
            b"{\"a\":{}}",
        ] {
            assert_eq!(syntax_error(ok), None, "{}", String::from_utf8_lossy(ok));
        }
    }

    #[test]
    fn summaries() {
        assert_eq!(summarize(b"{not json"), "{not json");
        assert_eq!(summarize(b""), "<empty>");
        assert_eq!(summarize(b"ab"), "6162");
        assert_eq!(summarize(&[b'{'; 31]), format!("{} ...", "{".repeat(30)));
    }
}
