//! Pure decisions of `reschedule-next-minute`, unit-tested on fixed clocks: which minute, what
//! schedule fires exactly once at it, and the JSON merge patches that reschedule and restore.
//!
//! The minute: the first whole minute after the cluster's "now" that leaves at least
//! `--min-lead` (the controller must see the new schedule before the instant passes). Whole
//! minutes are computed on the UTC line: every zone in use today is offset by whole minutes.
//!
//! The schedule: `M H D Mon *` with the fire instant's wall-clock fields in the CronJob's zone.
//! With day-of-week `*` robfig ANDs the day fields (SCHEDULES.md "Day rule"), so it names one
//! wall-clock minute a year. We check it with the same engine the controller runs
//! (kuul-schedule): `next(now)` must be the instant, and the one after that a year away; a
//! minute in a DST fall-back overlap (robfig fires twice there) is skipped for the first
//! unambiguous one.
//!
//! Legacy `TZ=`/`CRON_TZ=` prefixes are kept: they override `.spec.timeZone` for the
//! controller, and the API server accepts them on update only because the old object had one
//! (`ValidateCronJobUpdate`: `AllowTZInSchedule`).

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kuul_schedule::Schedule;
use serde_json::{Value, json};

use crate::cluster::annotations::{ORIGINAL_SCHEDULE, RESCHEDULE_LIFTED_SUSPEND};
use crate::error::{Error, Result};

/// Minutes tried after the first candidate before giving up (covers a DST overlap).
const MAX_CANDIDATES: i64 = 180;

/// What the decisions read from a CronJob.
#[derive(Debug, Clone, Default)]
pub(crate) struct CronJobState {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) resource_version: String,
    /// Which object it is: a CronJob deleted and recreated under the same name has another.
    pub(crate) uid: String,
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) suspend: bool,
    pub(crate) annotations: BTreeMap<String, String>,
    pub(crate) creation_timestamp: Option<Timestamp>,
    pub(crate) last_schedule_time: Option<Timestamp>,
    pub(crate) starting_deadline_seconds: Option<i64>,
}

impl CronJobState {
    /// The schedule saved before the first reschedule, if any.
    pub(crate) fn original_schedule(&self) -> Option<&str> {
        self.annotations.get(ORIGINAL_SCHEDULE).map(String::as_str)
    }

    /// Whether a reschedule lifted `suspend` (so restoring sets it again).
    pub(crate) fn lifted_suspend(&self) -> bool {
        self.annotations.contains_key(RESCHEDULE_LIFTED_SUSPEND)
    }
}

/// The minute chosen and the schedule that fires at it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fire {
    /// The instant.
    pub(crate) at: Timestamp,
    /// The pinned schedule (with the legacy TZ prefix when the old one had it).
    pub(crate) schedule: String,
    /// The zone the controller evaluates it in.
    pub(crate) zone: TimeZone,
    /// The zone's name (`.spec.timeZone`, the `TZ=` prefix, or `UTC`).
    pub(crate) zone_name: String,
}

/// `TZ=Europe/Berlin ` or `CRON_TZ=... ` at the start of a schedule, with its trailing space.
pub(crate) fn tz_prefix(schedule: &str) -> Option<&str> {
    let trimmed = schedule.trim_start();
    if !(trimmed.starts_with("TZ=") || trimmed.starts_with("CRON_TZ=")) {
        return None;
    }
    let end = trimmed.find(char::is_whitespace)?;
    let with_space = trimmed[end..].len() - trimmed[end..].trim_start().len();
    Some(&trimmed[..end + with_space])
}

/// The zone the controller evaluates `schedule` in, and its name.
pub(crate) fn zone_of(schedule: &str, time_zone: Option<&str>) -> (TimeZone, String) {
    if let Some(prefix) = tz_prefix(schedule) {
        let name = prefix.trim().split_once('=').map_or("UTC", |(_, z)| z).to_owned();
        if let Ok(parsed) = Schedule::parse_standard(&format!("{prefix}* * * * *")) {
            return (parsed.time_zone(), name);
        }
    }
    match time_zone.map(|z| (z, jiff::tz::db().get(z))) {
        Some((name, Ok(zone))) => (zone, name.to_owned()),
        _ => (TimeZone::UTC, "UTC".to_owned()),
    }
}

/// The next minute at least `min_lead` after `now`, and a schedule that fires exactly once
/// there in the zone `current_schedule`/`time_zone` say.
pub(crate) fn next_minute(
    current_schedule: &str,
    time_zone: Option<&str>,
    now: Timestamp,
    min_lead: Duration,
) -> Result<Fire> {
    let (zone, zone_name) = zone_of(current_schedule, time_zone);
    let prefix = tz_prefix(current_schedule).unwrap_or("");
    let lead = SignedDuration::try_from(min_lead).unwrap_or(SignedDuration::MAX);
    let minute = SignedDuration::from_mins(1);
    let floor = now.as_second().div_euclid(60) * 60;
    let mut at = Timestamp::from_second(floor + 60)
        .map_err(|e| Error::Decode(format!("time out of range: {e}")))?;
    while at.duration_since(now) < lead {
        at = at.checked_add(minute).map_err(|e| Error::Decode(e.to_string()))?;
    }
    for _ in 0..MAX_CANDIDATES {
        let civil = at.to_zoned(zone.clone());
        let schedule = format!(
            "{prefix}{} {} {} {} *",
            civil.minute(),
            civil.hour(),
            civil.day(),
            civil.month()
        );
        let parsed =
            Schedule::for_cronjob(&schedule, if prefix.is_empty() { time_zone } else { None })
                .map_err(|e| Error::Decode(format!("pinned schedule \"{schedule}\": {e}")))?;
        let once = parsed.next(now) == Some(at)
            && parsed
                .next(at)
                .is_none_or(|again| again.duration_since(at) > SignedDuration::from_hours(24));
        if once {
            return Ok(Fire { at, schedule, zone, zone_name });
        }
        at = at.checked_add(minute).map_err(|e| Error::Decode(e.to_string()))?;
    }
    Err(Error::Decode(format!(
        "no minute within {MAX_CANDIDATES} minutes fires exactly once in zone {zone_name}"
    )))
}

/// The merge patch that pins the schedule: it carries the resourceVersion (a concurrent
/// change makes it fail with 409 instead of being overwritten), saves the original schedule
/// only if none is saved yet (running twice never loses it), and with `unsuspend` lifts
/// `suspend`, noting so for the restore.
pub(crate) fn reschedule_patch(state: &CronJobState, fire: &Fire, unsuspend: bool) -> Value {
    let mut annotations = serde_json::Map::new();
    if state.original_schedule().is_none() {
        annotations.insert(ORIGINAL_SCHEDULE.into(), Value::from(state.schedule.clone()));
    }
    let mut spec = json!({"schedule": fire.schedule});
    if unsuspend && state.suspend {
        spec["suspend"] = Value::Bool(false);
        if !state.lifted_suspend() {
            annotations.insert(RESCHEDULE_LIFTED_SUSPEND.into(), Value::from("true"));
        }
    }
    let mut metadata = json!({"resourceVersion": state.resource_version});
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    json!({"metadata": metadata, "spec": spec})
}

/// The merge patch that puts the saved schedule back (and `suspend: true` if a reschedule
/// lifted it) and removes our annotations; refuses when nothing is saved.
pub(crate) fn restore_patch(state: &CronJobState) -> Result<Value> {
    let Some(original) = state.original_schedule() else {
        return Err(Error::Refused {
            reason: format!(
                "cronjob {}/{} has no saved schedule (annotation {ORIGINAL_SCHEDULE}): nothing \
                 to restore",
                state.namespace, state.name
            ),
            hint: "reschedule-next-minute was not run on it, or it was restored already; its \
                   schedule is unchanged"
                .into(),
        });
    };
    let mut spec = json!({"schedule": original});
    if state.lifted_suspend() {
        spec["suspend"] = Value::Bool(true);
    }
    Ok(json!({
        "metadata": {
            "resourceVersion": state.resource_version,
            "annotations": {ORIGINAL_SCHEDULE: null, RESCHEDULE_LIFTED_SUSPEND: null},
        },
        "spec": spec,
    }))
}

/// A suspended CronJob never fires: refuse unless `--unsuspend`.
pub(crate) fn check_suspend(state: &CronJobState, unsuspend: bool) -> Result<()> {
    if state.suspend && !unsuspend {
        return Err(Error::Refused {
            reason: format!(
                "cronjob {}/{} is suspended, so it would not fire at the new minute",
                state.namespace, state.name
            ),
            hint: "add --unsuspend to lift suspend for this run (the restore suspends it again), \
                   or use `kubectl kuul trigger` to run it now"
                .into(),
        });
    }
    Ok(())
}

/// A run the controller would start at once with the pinned schedule: the pinned minute's
/// previous occurrence (a year earlier) counts as missed when the CronJob last ran (or was
/// created) before it, as upstream `mostRecentScheduleTime` computes.
pub(crate) fn immediate_run(
    state: &CronJobState,
    fire: &Fire,
    now: Timestamp,
) -> Option<Timestamp> {
    let prefix_free = tz_prefix(&fire.schedule).is_none();
    let schedule = Schedule::for_cronjob(
        &fire.schedule,
        if prefix_free { state.time_zone.as_deref() } else { None },
    )
    .ok()?;
    let created = state.creation_timestamp.unwrap_or(now);
    let recent = kuul_schedule::most_recent_schedule_time(
        &schedule,
        state.last_schedule_time,
        created,
        state.starting_deadline_seconds,
        true,
        now,
    )
    .ok()?;
    let missed = recent.most_recent?;
    let deadline_passed = state.starting_deadline_seconds.is_some_and(|d| {
        missed.checked_add(SignedDuration::from_secs(d)).is_ok_and(|end| end < now)
    });
    (!deadline_passed).then_some(missed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    const LEAD: Duration = Duration::from_secs(20);

    #[test]
    fn next_minute_when_enough_lead_remains() {
        let fire = next_minute("*/5 * * * *", None, ts("2025-03-01T10:00:30Z"), LEAD).unwrap();
        assert_eq!(fire.at, ts("2025-03-01T10:01:00Z"));
        assert_eq!(fire.schedule, "1 10 1 3 *");
        assert_eq!(fire.zone_name, "UTC");
    }

    #[test]
    fn the_minute_after_when_too_close() {
        let fire = next_minute("*/5 * * * *", None, ts("2025-03-01T10:00:41Z"), LEAD).unwrap();
        assert_eq!(fire.at, ts("2025-03-01T10:02:00Z"));
        let exact = next_minute("*/5 * * * *", None, ts("2025-03-01T10:00:40Z"), LEAD).unwrap();
        assert_eq!(exact.at, ts("2025-03-01T10:01:00Z"));
        let on_the_minute = next_minute("@hourly", None, ts("2025-03-01T10:00:00Z"), LEAD).unwrap();
        assert_eq!(on_the_minute.at, ts("2025-03-01T10:01:00Z"));
    }

    #[test]
    fn longer_leads_skip_more_minutes() {
        let fire =
            next_minute("@daily", None, ts("2025-03-01T10:00:10Z"), Duration::from_secs(150))
                .unwrap();
        assert_eq!(fire.at, ts("2025-03-01T10:03:00Z"));
    }

    #[test]
    fn next_minute_respects_time_zone() {
        let fire = next_minute("0 3 * * *", Some("Asia/Kolkata"), ts("2025-03-01T10:00:30Z"), LEAD)
            .unwrap();
        assert_eq!(fire.at, ts("2025-03-01T10:01:00Z"));
        // 10:01 UTC is 15:31 in India (+05:30).
        assert_eq!(fire.schedule, "31 15 1 3 *");
        assert_eq!(fire.zone_name, "Asia/Kolkata");
        let crossing_midnight =
            next_minute("0 3 * * *", Some("Pacific/Auckland"), ts("2025-03-01T10:59:30Z"), LEAD)
                .unwrap();
        // 11:00 UTC is 00:00 on March 2nd in Auckland (+13:00).
        assert_eq!(crossing_midnight.schedule, "0 0 2 3 *");
    }

    #[test]
    fn legacy_tz_prefix_is_kept_and_wins_over_time_zone() {
        let fire = next_minute(
            "TZ=America/New_York 0 3 * * *",
            Some("Asia/Tokyo"),
            ts("2025-03-01T10:00:30Z"),
            LEAD,
        )
        .unwrap();
        assert_eq!(fire.schedule, "TZ=America/New_York 1 5 1 3 *");
        assert_eq!(fire.zone_name, "America/New_York");
    }

    #[test]
    fn a_minute_that_repeats_at_fall_back_is_skipped() {
        // New York, 2024-11-03: 01:00-01:59 EDT, then 01:00-01:59 EST again.
        let now = ts("2024-11-03T05:10:30Z"); // 01:10:30 EDT
        let fire = next_minute("@daily", Some("America/New_York"), now, LEAD).unwrap();
        let schedule = Schedule::for_cronjob(&fire.schedule, Some("America/New_York")).unwrap();
        assert_eq!(schedule.next(now), Some(fire.at));
        assert!(
            schedule.next(fire.at).unwrap().duration_since(fire.at)
                > SignedDuration::from_hours(24)
        );
        // 01:11..01:59 EDT come back an hour later in EST; 01:00 EST (06:00 UTC) is the first
        // minute whose wall time does not occur again after now.
        assert_eq!(fire.at, ts("2024-11-03T06:00:00Z"));
    }

    #[test]
    fn the_pinned_schedule_fires_once_by_the_controllers_engine() {
        for now in ["2025-03-01T10:00:30Z", "2025-12-31T23:59:50Z", "2024-02-29T08:30:00Z"] {
            for zone in [None, Some("Europe/Berlin"), Some("Australia/Lord_Howe")] {
                let fire = next_minute("@hourly", zone, ts(now), LEAD).unwrap();
                let s = Schedule::for_cronjob(&fire.schedule, zone).unwrap();
                assert_eq!(s.next(ts(now)), Some(fire.at), "{now} {zone:?}");
                assert!(fire.at.duration_since(ts(now)) >= SignedDuration::from_secs(20));
                assert!(fire.at.duration_since(ts(now)) <= SignedDuration::from_secs(80));
            }
        }
    }

    fn state() -> CronJobState {
        CronJobState {
            namespace: "ops".into(),
            name: "backup".into(),
            resource_version: "42".into(),
            schedule: "0 3 * * *".into(),
            ..CronJobState::default()
        }
    }

    fn fire() -> Fire {
        next_minute("0 3 * * *", None, ts("2025-03-01T10:00:30Z"), LEAD).unwrap()
    }

    #[test]
    fn the_patch_saves_the_original_once_and_carries_the_resource_version() {
        let patch = reschedule_patch(&state(), &fire(), false);
        assert_eq!(
            patch,
            json!({"metadata": {"resourceVersion": "42",
                                "annotations": {ORIGINAL_SCHEDULE: "0 3 * * *"}},
                   "spec": {"schedule": "1 10 1 3 *"}})
        );
        let mut again = state();
        again.schedule = "1 10 1 3 *".into();
        again.annotations.insert(ORIGINAL_SCHEDULE.into(), "0 3 * * *".into());
        let patch = reschedule_patch(&again, &fire(), false);
        assert!(patch["metadata"].get("annotations").is_none(), "{patch}");
    }

    #[test]
    fn unsuspend_lifts_and_records_and_restore_puts_it_back() {
        let mut suspended = state();
        suspended.suspend = true;
        assert!(matches!(check_suspend(&suspended, false), Err(Error::Refused { .. })));
        check_suspend(&suspended, true).unwrap();
        let patch = reschedule_patch(&suspended, &fire(), true);
        assert_eq!(patch["spec"]["suspend"], false);
        assert_eq!(patch["metadata"]["annotations"][RESCHEDULE_LIFTED_SUSPEND], "true");

        let mut rescheduled = state();
        rescheduled.annotations.insert(ORIGINAL_SCHEDULE.into(), "0 3 * * *".into());
        rescheduled.annotations.insert(RESCHEDULE_LIFTED_SUSPEND.into(), "true".into());
        let restore = restore_patch(&rescheduled).unwrap();
        assert_eq!(
            restore,
            json!({"metadata": {"resourceVersion": "42", "annotations":
                       {ORIGINAL_SCHEDULE: null, RESCHEDULE_LIFTED_SUSPEND: null}},
                   "spec": {"schedule": "0 3 * * *", "suspend": true}})
        );
    }

    #[test]
    fn restore_without_a_saved_schedule_refuses() {
        let err = restore_patch(&state()).unwrap_err();
        assert!(err.to_string().contains("no saved schedule"), "{err}");
    }

    #[test]
    fn a_cronjob_idle_for_over_a_year_would_run_at_once() {
        let now = ts("2025-03-01T10:00:30Z");
        let fire = fire();
        let mut old = state();
        old.creation_timestamp = Some(ts("2023-01-01T00:00:00Z"));
        assert_eq!(immediate_run(&old, &fire, now), Some(ts("2024-03-01T10:01:00Z")));
        let mut recent = state();
        recent.last_schedule_time = Some(ts("2025-02-28T03:00:00Z"));
        recent.creation_timestamp = Some(ts("2023-01-01T00:00:00Z"));
        assert_eq!(immediate_run(&recent, &fire, now), None);
        let mut deadline = old.clone();
        deadline.starting_deadline_seconds = Some(300);
        assert_eq!(immediate_run(&deadline, &fire, now), None);
    }
}
