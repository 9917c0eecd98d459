//! Go's `time.LoadLocation`, answered from jiff's time zone database.
//!
//! Follows Go 1.19 `time/zoneinfo.go` `LoadLocation`: `""` and `"UTC"` are UTC, `"Local"` is
//! the process's local zone, names containing `..` or starting with `/` or `\` are
//! `time: invalid location name`, anything else is read from the tz database and a miss is
//! `unknown time zone <name>`. Go reads files, so names are case-sensitive; jiff's lookup is
//! not, so a hit only counts when the canonical name is spelled exactly as asked.
//!
//! `Local` means kube-controller-manager's local zone, which the API cannot tell us; like the
//! rest of this crate we assume UTC (what the controller's container normally runs in).
//! Known difference: on a host with a zoneinfo tree Go reports file-system errors verbatim: a
//! directory such as `America` gives `read /usr/share/zoneinfo/America: is a directory`, a
//! path through a zone file such as `UTC/` or `Europe/London/x` gives `not a directory`. We
//! say `unknown time zone <name>`, which is what a distroless control plane (embedded tzdata
//! only) answers. Token-soup fuzzing against robfig (`golden/gen -fuzz`) finds no other
//! difference.

use jiff::tz::TimeZone;

/// `time.LoadLocation(name)`, with `Local` read as UTC.
pub(crate) fn load_location(name: &str) -> Result<TimeZone, String> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(TimeZone::UTC);
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".to_owned());
    }
    match jiff::tz::db().get(name) {
        Ok(tz) if tz.iana_name() == Some(name) => Ok(tz),
        _ => Err(format!("unknown time zone {name}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_names_follow_go() {
        assert_eq!(load_location(""), Ok(TimeZone::UTC));
        assert_eq!(load_location("Local"), Ok(TimeZone::UTC));
        assert_eq!(load_location("../etc/passwd").unwrap_err(), "time: invalid location name");
        assert_eq!(load_location("/etc/localtime").unwrap_err(), "time: invalid location name");
    }

    #[test]
    fn lookups_are_case_sensitive_like_go_file_reads() {
        assert!(load_location("America/New_York").is_ok());
        assert!(load_location("Etc/UTC").is_ok());
        assert_eq!(
            load_location("america/new_york").unwrap_err(),
            "unknown time zone america/new_york"
        );
        assert_eq!(load_location("utc").unwrap_err(), "unknown time zone utc");
        assert_eq!(load_location("Mars/Olympus").unwrap_err(), "unknown time zone Mars/Olympus");
    }
}
