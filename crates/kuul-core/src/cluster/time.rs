//! Decoding the API server's timestamps quickly. Every timestamp Kubernetes writes (`metav1.Time`)
//! is RFC 3339 in UTC to the second, `2025-03-01T09:59:00Z` (apimachinery `Time.MarshalJSON`:
//! `t.UTC().Format(time.RFC3339)`), and a list of 50,000 Jobs and pods carries a dozen of them
//! per object: jiff's general RFC 3339/ISO 8601 parser was 3-4% of `lastrun -A`. That one form
//! is read here directly; anything else (fractions, offsets, `MicroTime`) goes to jiff, so the
//! result is always what jiff's own `Deserialize` gives.

use jiff::Timestamp;
use serde::Deserializer;

/// `deserialize_with` for an `Option<Timestamp>` field (with `#[serde(default)]`): `null` is
/// `None`, a string is parsed as [`parse`] does.
pub(crate) fn optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<Timestamp>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 timestamp or null")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            parse(text).map(Some).map_err(E::custom)
        }
    }
    deserializer.deserialize_option(Visitor)
}

/// `text` as a timestamp, as `text.parse::<Timestamp>()` reads it.
pub(crate) fn parse(text: &str) -> Result<Timestamp, jiff::Error> {
    match utc_seconds(text.as_bytes()).and_then(|s| Timestamp::from_second(s).ok()) {
        Some(t) => Ok(t),
        None => text.parse(),
    }
}

/// The Unix seconds of `YYYY-MM-DDTHH:MM:SSZ` exactly (a valid date, hours 0-23, minutes and
/// seconds 0-59; a leap second is left to jiff), else `None`.
fn utc_seconds(b: &[u8]) -> Option<i64> {
    if b.len() != 20 || [b[4], b[7], b[10], b[13], b[16], b[19]] != *b"--T::Z" {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        b[range]
            .iter()
            .try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kubernetes_timestamps_read_as_jiff_reads_them() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2025-03-01T09:59:00Z",
            "2024-02-29T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "1969-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "9999-12-30T22:00:00Z",
        ] {
            let ours = utc_seconds(text.as_bytes()).and_then(|s| Timestamp::from_second(s).ok());
            assert_eq!(ours, Some(text.parse::<Timestamp>().unwrap()), "{text}");
        }
        // Not the one form: left to jiff, which reads or refuses them as always.
        for text in [
            "2025-03-01T09:59:00.5Z",
            "2025-03-01T09:59:00+01:00",
            "2025-03-01t09:59:00z",
            "2023-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-03-01T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2025-03-01T09:59:0xZ",
            "+025-03-01T09:59:00Z",
        ] {
            assert_eq!(utc_seconds(text.as_bytes()), None, "{text}");
            assert_eq!(parse(text).ok(), text.parse::<Timestamp>().ok(), "{text}");
        }
        // Past jiff's range (its last instant is 9999-12-30T22:00:00Z): refused either way.
        assert!(parse("9999-12-31T23:59:59Z").is_err());
    }

    #[test]
    fn null_and_strings_decode_as_jiffs_own_deserialize() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Ours {
            #[serde(default, deserialize_with = "optional")]
            t: Option<Timestamp>,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Jiffs {
            t: Option<Timestamp>,
        }
        for json in [
            r#"{"t":"2025-03-01T09:59:00Z"}"#,
            r#"{"t":"2025-03-01T09:59:00.123456Z"}"#,
            r#"{"t":"2025-03-01T09:59:00\u005a"}"#,
            r#"{"t":null}"#,
            r#"{}"#,
        ] {
            let ours: Ours = serde_json::from_str(json).unwrap();
            let jiffs: Jiffs = serde_json::from_str(json).unwrap();
            assert_eq!(ours.t, jiffs.t, "{json}");
        }
        for json in [r#"{"t":"yesterday"}"#, r#"{"t":5}"#] {
            assert!(serde_json::from_str::<Ours>(json).is_err(), "{json}");
            assert!(serde_json::from_str::<Jiffs>(json).is_err(), "{json}");
        }
    }

    proptest! {
        #[test]
        fn any_second_in_jiffs_range_reads_as_jiff_reads_it(
            seconds in Timestamp::MIN.as_second()..=Timestamp::MAX.as_second()
        ) {
            let t = Timestamp::from_second(seconds).unwrap();
            let text = t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            prop_assert_eq!(parse(&text).ok(), text.parse::<Timestamp>().ok(), "{}", text);
        }
    }
}
