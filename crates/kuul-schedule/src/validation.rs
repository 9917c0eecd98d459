//! API-server validation of a CronJob's `.spec.schedule` and `.spec.timeZone`, ported from
//! Kubernetes `pkg/apis/batch/validation/validation.go` (`ValidateCronJobSpec`,
//! `validateScheduleFormat`, `validateTimeZone`), texts as `field.Error.Error()` prints
//! them (`Invalid value: %q: detail`, `Required value`).

use crate::golang::location::load_location;
use crate::golang::strconv::quote;
use crate::{Schedule, ValidationError};

const SCHEDULE: &str = "spec.schedule";
const TIME_ZONE: &str = "spec.timeZone";

fn invalid(field: &str, value: &str, detail: &str) -> ValidationError {
    ValidationError {
        field: field.to_owned(),
        detail: format!("Invalid value: {}: {detail}", quote(value)),
    }
}

/// API-server validation of `.spec.schedule` on create (`Required value`, robfig errors, `TZ`).
/// Returns the first error; see [`validate_cronjob_schedule`] for all of them.
pub fn validate_schedule(schedule: &str) -> Result<(), ValidationError> {
    match validate_cronjob_schedule(schedule, None, false).into_iter().next() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Every `.spec.schedule` error the API server reports, in its order.
///
/// `allow_tz_in_schedule` is upstream's option: false on create, true on update when the old
/// object already carried `TZ` in its schedule; `time_zone` is `.spec.timeZone`.
pub fn validate_cronjob_schedule(
    schedule: &str,
    time_zone: Option<&str>,
    allow_tz_in_schedule: bool,
) -> Vec<ValidationError> {
    if schedule.is_empty() {
        return vec![ValidationError {
            field: SCHEDULE.to_owned(),
            detail: "Required value".to_owned(),
        }];
    }
    let mut errors = Vec::new();
    if let Err(e) = Schedule::parse_standard(schedule) {
        errors.push(invalid(SCHEDULE, schedule, &e.message));
    }
    let has_tz = schedule.contains("TZ");
    if allow_tz_in_schedule && has_tz && time_zone.is_some() {
        errors.push(invalid(
            SCHEDULE,
            schedule,
            "cannot use both timeZone field and TZ or CRON_TZ in schedule",
        ));
    } else if !allow_tz_in_schedule && has_tz {
        errors.push(invalid(
            SCHEDULE,
            schedule,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ));
    }
    errors
}

/// API-server validation of `.spec.timeZone` (when set). Returns the first error; see
/// [`time_zone_errors`] for all of them.
pub fn validate_time_zone(time_zone: &str) -> Result<(), ValidationError> {
    match time_zone_errors(time_zone).into_iter().next() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Every `.spec.timeZone` error the API server reports, in its order.
pub fn time_zone_errors(time_zone: &str) -> Vec<ValidationError> {
    if time_zone.is_empty() {
        return vec![invalid(TIME_ZONE, time_zone, "timeZone must be nil or non-empty string")];
    }
    // validTimeZoneCharacters = ^[A-Za-z\.\-_0-9+]{1,14}$ per '/'-separated part.
    let valid_part = |part: &str| {
        (1..=14).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b".-_+".contains(&b))
            && part != "."
            && part != ".."
            && !part.starts_with('-')
    };
    if !time_zone.split('/').all(valid_part) {
        return vec![invalid(TIME_ZONE, time_zone, &format!("unknown time zone {time_zone}"))];
    }
    let mut errors = Vec::new();
    if time_zone.eq_ignore_ascii_case("Local") {
        errors.push(invalid(
            TIME_ZONE,
            time_zone,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        ));
    }
    if let Err(e) = load_location(time_zone) {
        errors.push(invalid(TIME_ZONE, time_zone, &e));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(e: &ValidationError) -> String {
        e.to_string()
    }

    #[test]
    fn schedule_errors_read_like_the_api_server() {
        assert_eq!(text(&validate_schedule("").unwrap_err()), "spec.schedule: Required value");
        assert_eq!(
            text(&validate_schedule("* * *").unwrap_err()),
            r#"spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]"#
        );
        assert_eq!(
            text(&validate_schedule("TZ=UTC 0 * * * *").unwrap_err()),
            "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in \
             schedule, use timeZone field instead"
        );
        assert!(validate_schedule("@every 1h").is_ok());
        assert!(validate_schedule("0 0 1 * MON").is_ok());
    }

    #[test]
    fn bad_prefixed_schedules_report_both_errors() {
        let errors = validate_cronjob_schedule("CRON_TZ=Nowhere 0 * * * *", None, false);
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0].detail.ends_with("provided bad location Nowhere: unknown time zone Nowhere")
        );
        let errors = validate_cronjob_schedule("TZ=UTC 0 * * * *", Some("UTC"), true);
        assert!(
            errors[0]
                .detail
                .ends_with("cannot use both timeZone field and TZ or CRON_TZ in schedule")
        );
    }

    #[test]
    fn time_zone_errors_read_like_the_api_server() {
        assert!(validate_time_zone("Europe/London").is_ok());
        assert_eq!(
            text(&validate_time_zone("").unwrap_err()),
            r#"spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string"#
        );
        assert_eq!(
            text(&validate_time_zone("Local").unwrap_err()),
            "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as \
             defined in https://www.iana.org/time-zones"
        );
        assert_eq!(time_zone_errors("LOCAL").len(), 2);
        assert_eq!(
            text(&validate_time_zone("America/New York").unwrap_err()),
            r#"spec.timeZone: Invalid value: "America/New York": unknown time zone America/New York"#
        );
        assert_eq!(
            text(&validate_time_zone("../UTC").unwrap_err()),
            r#"spec.timeZone: Invalid value: "../UTC": unknown time zone ../UTC"#
        );
        assert_eq!(
            text(&validate_time_zone("Mars/Olympus").unwrap_err()),
            r#"spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus"#
        );
    }
}
