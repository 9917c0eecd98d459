//! robfig/cron v3.0.1 `ParseStandard`, error texts byte for byte.
//!
//! Source: <https://github.com/robfig/cron/blob/v3.0.1/parser.go> (bounds and names from
//! spec.go, `Every` from constantdelay.go); read from Debian's golang-github-robfig-cron-dev.
//!
//! `ParseStandard` is `Parser{Minute | Hour | Dom | Month | Dow | Descriptor}.Parse`: an
//! optional `TZ=`/`CRON_TZ=` prefix, then a descriptor (`@daily`, `@every 1h`...) or exactly
//! five whitespace-separated fields. Where robfig would panic (`TZ=UTC` with no space after
//! the zone: `spec[eq+1:i]` with `i == -1`), we return an error instead.

use jiff::tz::TimeZone;

use crate::golang::duration::parse_duration;
use crate::golang::location::load_location;
use crate::golang::strconv::atoi;
use crate::spec::{STAR_BIT, SpecSchedule};

/// What a spec parses to: robfig's `*SpecSchedule` or `ConstantDelaySchedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parsed {
    Spec(SpecSchedule),
    /// `@every`: the delay in whole seconds (constantdelay.go `Every`: at least one second,
    /// sub-second digits dropped).
    Every(i64),
}

/// spec.go `bounds`.
struct Bounds {
    min: u64,
    max: u64,
    names: &'static [&'static str],
}

const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
// Index + 1 is the month number.
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
// Index is the weekday number, 0 = Sunday.
const DOW: Bounds =
    Bounds { min: 0, max: 6, names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

/// `cron.ParseStandard(spec)`: the schedule and the zone it evaluates in.
pub(crate) fn parse_standard(spec: &str) -> Result<(Parsed, TimeZone), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_owned());
    }
    // Extract timezone if present. Without one robfig uses time.Local, the controller's zone,
    // which we take to be UTC.
    let mut zone = TimeZone::UTC;
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let eq = spec.find('=').unwrap_or(0);
        let Some(space) = spec.find(' ') else {
            // robfig v3.0.1 panics here (slice bounds out of range); Kubernetes' API server
            // would fail the request rather than store it.
            return Err(format!(
                "provided bad location {}: no space after the time zone (robfig/cron v3.0.1 \
                 panics on this input)",
                &spec[eq + 1..]
            ));
        };
        let name = &spec[eq + 1..space];
        zone = load_location(name).map_err(|e| format!("provided bad location {name}: {e}"))?;
        spec = spec[space..].trim();
    }

    if spec.starts_with('@') {
        return parse_descriptor(spec).map(|p| (p, zone));
    }

    // Split on whitespace; exactly five fields (normalizeFields).
    let mut fields = [""; 5];
    let mut count = 0;
    for field in spec.split_whitespace() {
        if count < 5 {
            fields[count] = field;
        }
        count += 1;
    }
    if count != 5 {
        let joined: Vec<&str> = spec.split_whitespace().collect();
        return Err(format!("expected exactly 5 fields, found {count}: [{}]", joined.join(" ")));
    }

    let minute = get_field(fields[0], &MINUTES)?;
    let hour = get_field(fields[1], &HOURS)?;
    let dom = get_field(fields[2], &DOM)?;
    let month = get_field(fields[3], &MONTHS)?;
    let dow = get_field(fields[4], &DOW)?;
    Ok((Parsed::Spec(SpecSchedule { minute, hour, dom, month, dow }), zone))
}

/// parser.go `getField`: a comma-separated list of ranges; empty elements are skipped
/// (`strings.FieldsFunc`).
fn get_field(field: &str, bounds: &Bounds) -> Result<u64, String> {
    let mut bits = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        bits |= get_range(expr, bounds)?;
    }
    Ok(bits)
}

/// parser.go `getRange`: `*`, `?`, `a`, `a-b`, each optionally `/step`.
fn get_range(expr: &str, bounds: &Bounds) -> Result<u64, String> {
    let mut range_and_step = expr.split('/');
    let range = range_and_step.next().unwrap_or("");
    let step_part = range_and_step.next();
    let too_many_slashes = range_and_step.next().is_some();

    let mut low_and_high = range.split('-');
    let low = low_and_high.next().unwrap_or("");
    let high = low_and_high.next();
    let too_many_hyphens = low_and_high.next().is_some();
    let single_digit = high.is_none();

    let (start, mut end, mut extra);
    if low == "*" || low == "?" {
        // robfig never looks at what follows the hyphen here: `*-5` is `*`.
        (start, end, extra) = (bounds.min, bounds.max, STAR_BIT);
    } else {
        start = parse_int_or_name(low, bounds.names)?;
        end = match high {
            None => start,
            Some(_) if too_many_hyphens => return Err(format!("too many hyphens: {expr}")),
            Some(high) => parse_int_or_name(high, bounds.names)?,
        };
        extra = 0;
    }

    let step = match step_part {
        None => 1,
        Some(_) if too_many_slashes => return Err(format!("too many slashes: {expr}")),
        Some(step) => {
            let step = must_parse_int(step)?;
            // Special handling: "N/step" means "N-max/step".
            if single_digit {
                end = bounds.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
    };

    if start < bounds.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", bounds.min));
    }
    if end > bounds.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", bounds.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(get_bits(start, end, step) | extra)
}

/// parser.go `parseIntOrName`: a three-letter name in any case (Go's `strings.ToLower`,
/// rune by rune), else a number.
fn parse_int_or_name(expr: &str, names: &[&str]) -> Result<u64, String> {
    if !names.is_empty()
        && let Some(i) = names.iter().position(|name| eq_go_lower(expr, name))
    {
        let offset = u64::from(names.len() == 12);
        return Ok(i as u64 + offset);
    }
    must_parse_int(expr)
}

/// `strings.ToLower(expr) == name` for an ASCII `name`, using Go's simple per-rune case
/// mapping: `İ` (U+0130) lowers to plain `i` in Go (Rust's full mapping adds a combining dot)
/// and the Kelvin sign to `k`, so `FR\u{130}` is Friday to robfig.
fn eq_go_lower(expr: &str, name: &str) -> bool {
    let mut lowered = expr.chars().map(|c| {
        if c == '\u{130}' {
            return 'i';
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    });
    name.chars().all(|n| lowered.next() == Some(n)) && lowered.next().is_none()
}

/// parser.go `mustParseInt`.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let num = atoi(expr).map_err(|e| format!("failed to parse int from {expr}: {e}"))?;
    u64::try_from(num).map_err(|_| format!("negative number ({num}) not allowed: {expr}"))
}

/// parser.go `getBits`: bits `min..=max` every `step`.
fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    let mut bits = 0;
    let mut i = min;
    while i <= max {
        bits |= 1 << i;
        let Some(next) = i.checked_add(step) else { break };
        i = next;
    }
    bits
}

/// parser.go `all`: every value of the field plus the star bit.
fn all(bounds: &Bounds) -> u64 {
    get_bits(bounds.min, bounds.max, 1) | STAR_BIT
}

/// parser.go `parseDescriptor`: exact, case-sensitive names.
fn parse_descriptor(descriptor: &str) -> Result<Parsed, String> {
    let spec = |minute, hour, dom, month, dow| {
        Ok(Parsed::Spec(SpecSchedule { minute, hour, dom, month, dow }))
    };
    match descriptor {
        "@yearly" | "@annually" => return spec(1, 1, 1 << 1, 1 << 1, all(&DOW)),
        "@monthly" => return spec(1, 1, 1 << 1, all(&MONTHS), all(&DOW)),
        "@weekly" => return spec(1, 1, all(&DOM), all(&MONTHS), 1),
        "@daily" | "@midnight" => return spec(1, 1, all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => return spec(1, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        _ => {}
    }
    if let Some(duration) = descriptor.strip_prefix("@every ") {
        let nanos = parse_duration(duration)
            .map_err(|e| format!("failed to parse duration {descriptor}: {e}"))?;
        // constantdelay.go `Every`: below a second becomes a second; sub-seconds truncated.
        return Ok(Parsed::Every((nanos / 1_000_000_000).max(1)));
    }
    Err(format!("unrecognized descriptor: {descriptor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> SpecSchedule {
        match parse_standard(s).unwrap().0 {
            Parsed::Spec(spec) => spec,
            Parsed::Every(_) => panic!("not a spec: {s}"),
        }
    }

    fn err(s: &str) -> String {
        parse_standard(s).unwrap_err()
    }

    #[test]
    fn ranges_steps_and_names() {
        assert_eq!(spec("5/30 * * * *").minute, (1 << 5) | (1 << 35));
        assert_eq!(spec("*/61 * * * *").minute, 1);
        assert_eq!(spec("* * * JAN-mar *").month, 0b1110);
        assert_eq!(spec("* * * * FR\u{130}").dow, 1 << 5);
        assert_eq!(spec("+5 * * * *").minute, 1 << 5);
        assert_eq!(spec("1,,2 * * * *").minute, 0b110);
        assert_eq!(spec("*-5 * * * *").minute, get_bits(0, 59, 1) | STAR_BIT);
        assert_eq!(spec("*/1 * * * *").minute & STAR_BIT, STAR_BIT);
        assert_eq!(spec("*/2 * * * *").minute & STAR_BIT, 0);
    }

    #[test]
    fn errors_are_robfigs_texts() {
        assert_eq!(err(""), "empty spec string");
        assert_eq!(err("* * * *"), "expected exactly 5 fields, found 4: [* * * *]");
        assert_eq!(err("* * * * 7"), "end of range (7) above maximum (6): 7");
        assert_eq!(
            err("* * * * MON-SUN"),
            "beginning of range (1) beyond end of range (0): MON-SUN"
        );
        assert_eq!(
            err("* * * * MONDAY"),
            r#"failed to parse int from MONDAY: strconv.Atoi: parsing "MONDAY": invalid syntax"#
        );
        assert_eq!(err("1-2-3 * * * *"), "too many hyphens: 1-2-3");
        assert_eq!(err("1/2/3 * * * *"), "too many slashes: 1/2/3");
        assert_eq!(err("*/0 * * * *"), "step of range should be a positive number: */0");
        assert_eq!(err("*/-1 * * * *"), "negative number (-1) not allowed: -1");
        assert_eq!(err("0 0 0 * *"), "beginning of range (0) below minimum (1): 0");
        assert_eq!(err("@Daily"), "unrecognized descriptor: @Daily");
        assert_eq!(
            err("@every 1x"),
            r#"failed to parse duration @every 1x: time: unknown unit "x" in duration "1x""#
        );
        assert_eq!(
            err("TZ=Mars/Base * * * * *"),
            "provided bad location Mars/Base: unknown time zone Mars/Base"
        );
        assert!(err("TZ=UTC").starts_with("provided bad location UTC:"));
    }

    #[test]
    fn every_rounds_down_to_whole_seconds_with_a_one_second_floor() {
        assert_eq!(parse_standard("@every 1h30m").unwrap().0, Parsed::Every(5400));
        assert_eq!(parse_standard("@every 1.9s").unwrap().0, Parsed::Every(1));
        assert_eq!(parse_standard("@every 10ms").unwrap().0, Parsed::Every(1));
        assert_eq!(parse_standard("@every -5m").unwrap().0, Parsed::Every(1));
    }

    #[test]
    fn tz_prefix_sets_the_zone() {
        let (_, zone) = parse_standard("CRON_TZ=Asia/Kolkata 0 9 * * *").unwrap();
        assert_eq!(zone.iana_name(), Some("Asia/Kolkata"));
        let (_, zone) = parse_standard("TZ= 0 9 * * *").unwrap();
        assert_eq!(zone, TimeZone::UTC);
    }
}
