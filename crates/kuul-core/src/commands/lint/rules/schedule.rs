//! Schedules and time zones, judged by `kuul-schedule` exactly as the API server validates them
//! (`ValidateCronJobSpec`) and as the controller evaluates them (`formatSchedule` + robfig
//! `Next`), plus the starting deadline and the deadline-vs-interval pile-up.

use jiff::SignedDuration;
use kuul_schedule::validate_cronjob_schedule;

use super::super::config::Config;
use super::super::object::{Kind, Target, human};
use super::Sink;

/// The schedule and deadline rules of one CronJob.
pub(crate) fn check(target: &Target<'_>, config: &Config, out: &mut Sink<'_>) {
    if target.kind != Kind::CronJob {
        return;
    }
    let spec = target.object.at_or_null("spec");
    let schedule_node = target.object.at("spec.schedule").unwrap_or(spec);
    let schedule = target.schedule().unwrap_or("");
    let time_zone = target.time_zone();

    // The API server's own checks, on create (allowTZInSchedule is false for new objects).
    let mut valid = true;
    for error in validate_cronjob_schedule(schedule, time_zone, false) {
        if error.detail.contains("TZ or CRON_TZ") {
            out.push(
                "schedule-tz-prefix",
                schedule_node,
                "spec.schedule",
                format!("{error}: move the zone to .spec.timeZone"),
            );
        } else {
            valid = false;
            out.push("schedule-invalid", schedule_node, "spec.schedule", error.to_string());
        }
    }
    let tz_node = target.object.at("spec.timeZone");
    if let (Some(zone), Some(node)) = (time_zone, tz_node) {
        let errors = kuul_schedule::time_zone_errors(zone);
        if let Some(error) = errors.first() {
            valid = false;
            let hint =
                nearest_zone(zone).map(|z| format!(" (did you mean {z}?)")).unwrap_or_default();
            out.push("time-zone-unknown", node, "spec.timeZone", format!("{error}{hint}"));
        }
    } else if !schedule.contains("TZ=") {
        out.push(
            "time-zone-missing",
            spec,
            "spec.timeZone",
            "no .spec.timeZone: the schedule runs in kube-controller-manager's local zone \
             (often UTC, not guaranteed); set timeZone: Etc/UTC or your zone"
                .to_owned(),
        );
    }
    if valid
        && let Some(timing) = &target.timing
        && timing.next.is_none()
    {
        out.push(
            "schedule-never-fires",
            schedule_node,
            "spec.schedule",
            format!("\"{schedule}\" matches no date in the next five years: it never runs"),
        );
    }

    let interval = target.timing.as_ref().and_then(|t| t.min_interval);
    match target.object.at("spec.startingDeadlineSeconds") {
        Some(node) => {
            if let Some(seconds) = node.as_i64()
                && seconds < 10
            {
                out.push(
                    "starting-deadline-too-short",
                    node,
                    "spec.startingDeadlineSeconds",
                    format!(
                        "startingDeadlineSeconds is {seconds}: the controller syncs about every \
                         10s and may miss every start; use 60 or more"
                    ),
                );
            }
        }
        None => {
            if let Some(interval) = interval
                && interval * 100 <= config.thresholds.missed_starts_window
            {
                let every = human(interval.as_secs());
                let hundred = human((interval * 100).as_secs());
                out.push(
                    "starting-deadline-missing",
                    spec,
                    "spec.startingDeadlineSeconds",
                    format!(
                        "runs every {every} with no startingDeadlineSeconds: {hundred} of \
                         controller downtime or suspension is 100 missed starts; set \
                         startingDeadlineSeconds (e.g. {})",
                        suggested_deadline(interval)
                    ),
                );
            }
        }
    }

    if let Some(interval) = interval
        && target.concurrency_policy() == "Allow"
        && let Some(node) = target.job("activeDeadlineSeconds")
        && let Some(deadline) = node.as_i64()
        && SignedDuration::from_secs(deadline) > interval
    {
        let field = format!("{}.activeDeadlineSeconds", target.job_spec_path);
        out.push(
            "active-deadline-pile-up",
            node,
            &field,
            format!(
                "activeDeadlineSeconds {} is longer than the {} between runs and \
                 concurrencyPolicy is Allow: slow runs overlap; use Forbid or a deadline under \
                 the interval",
                human(deadline),
                human(interval.as_secs())
            ),
        );
    }
}

/// A deadline that still catches a short controller hiccup: half the interval, 10 s at least.
fn suggested_deadline(interval: SignedDuration) -> i64 {
    (interval.as_secs() / 2).max(10)
}

/// The known zone nearest to a misspelt one (case or one or two edits away).
fn nearest_zone(zone: &str) -> Option<String> {
    let names = jiff::tz::db().available();
    let mut best: Option<(usize, String)> = None;
    for name in names {
        let name = name.as_str().to_owned();
        if name.eq_ignore_ascii_case(zone) {
            return Some(name);
        }
        let distance = strsim::levenshtein(&name, zone);
        if distance <= 2 && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{trips, with};

    #[test]
    fn schedule_invalid() {
        assert!(trips("schedule-invalid", &with("\"17 3 * * *\"", "\"61 3 * * *\"")));
        assert!(trips("schedule-invalid", &with("\"17 3 * * *\"", "\"* * *\"")));
        assert!(trips("schedule-invalid", &with("  schedule: \"17 3 * * *\"\n", "")));
        assert!(!trips("schedule-invalid", &with("\"17 3 * * *\"", "\"@every 1h\"")));
    }

    #[test]
    fn schedule_never_fires() {
        assert!(trips("schedule-never-fires", &with("\"17 3 * * *\"", "\"0 0 30 2 *\"")));
        assert!(trips("schedule-never-fires", &with("\"17 3 * * *\"", "\"0 0 31 4,6,9,11 *\"")));
        assert!(!trips("schedule-never-fires", &with("\"17 3 * * *\"", "\"0 0 29 2 *\"")));
        // 30 February OR any Monday: robfig's day-of-month/day-of-week OR rule fires Mondays.
        assert!(!trips("schedule-never-fires", &with("\"17 3 * * *\"", "\"0 0 30 2 1\"")));
    }

    #[test]
    fn schedule_tz_prefix() {
        let yaml = with("\"17 3 * * *\"", "\"CRON_TZ=Europe/Berlin 17 3 * * *\"");
        assert!(trips("schedule-tz-prefix", &yaml));
        assert!(!trips("schedule-invalid", &yaml));
        assert!(!trips("schedule-tz-prefix", &with("\"17 3 * * *\"", "\"17 3 * * 1\"")));
    }

    #[test]
    fn time_zone_unknown() {
        let yaml = with("Europe/Berlin", "Europe/Berlln");
        assert!(trips("time-zone-unknown", &yaml));
        let f = super::super::testing::findings(&yaml);
        assert!(f.iter().any(|f| f.message.contains("did you mean Europe/Berlin")), "{f:?}");
        assert!(trips("time-zone-unknown", &with("Europe/Berlin", "Local")));
        assert!(!trips("time-zone-unknown", &with("Europe/Berlin", "Asia/Kolkata")));
    }

    #[test]
    fn time_zone_missing() {
        assert!(trips("time-zone-missing", &with("  timeZone: Europe/Berlin\n", "")));
        assert!(!trips("time-zone-missing", super::super::testing::CLEAN));
    }

    #[test]
    fn starting_deadline_too_short() {
        let yaml = with("startingDeadlineSeconds: 300", "startingDeadlineSeconds: 5");
        assert!(trips("starting-deadline-too-short", &yaml));
        let yaml = with("startingDeadlineSeconds: 300", "startingDeadlineSeconds: 10");
        assert!(!trips("starting-deadline-too-short", &yaml));
    }

    #[test]
    fn starting_deadline_missing() {
        let frequent = with("\"17 3 * * *\"", "\"*/5 * * * *\"")
            .replace("  startingDeadlineSeconds: 300\n", "");
        assert!(trips("starting-deadline-missing", &frequent));
        // Daily: 100 missed starts take 100 days.
        let daily = with("  startingDeadlineSeconds: 300\n", "");
        assert!(!trips("starting-deadline-missing", &daily));
    }

    #[test]
    fn active_deadline_pile_up() {
        let hourly = with("\"17 3 * * *\"", "\"0 * * * *\"")
            .replace("activeDeadlineSeconds: 3600", "activeDeadlineSeconds: 7200");
        assert!(!trips("active-deadline-pile-up", &hourly), "Forbid stops the overlap");
        let allow = hourly.replace("concurrencyPolicy: Forbid", "concurrencyPolicy: Allow");
        assert!(trips("active-deadline-pile-up", &allow));
        let defaulted = hourly.replace("  concurrencyPolicy: Forbid\n", "");
        assert!(trips("active-deadline-pile-up", &defaulted), "Allow is the default");
        let short = allow.replace("activeDeadlineSeconds: 7200", "activeDeadlineSeconds: 1800");
        assert!(!trips("active-deadline-pile-up", &short));
    }
}
