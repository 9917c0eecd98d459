//! Differential test against robfig/cron v3.0.1 itself: `golden/robfig-v3.0.1.jsonl` was
//! written by `golden/gen/main.go` (robfig's `ParseStandard`/`Next`, plus Kubernetes'
//! `mostRecentScheduleTime`, validation and annotation code copied into the generator). Every
//! case must agree: instants, error texts, everything. CI needs no Go; see README.md to
//! regenerate.

// Helpers outside #[test] fns panic on broken fixtures, which is what a test should do.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;

use jiff::Timestamp;
use kuul_schedule::{
    MissedSchedules, Schedule, job_name, most_recent_schedule_time, scheduled_timestamp_annotation,
    time_zone_errors, validate_cronjob_schedule,
};
use serde::Deserialize;

const GOLDEN: &str = include_str!("../golden/robfig-v3.0.1.jsonl");

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Case {
    Next {
        spec: String,
        #[serde(default)]
        start: i64,
        #[serde(default)]
        nanos: i32,
        #[serde(default)]
        next: Vec<Option<i64>>,
        error: Option<String>,
        #[serde(default)]
        panics: bool,
    },
    MostRecent {
        spec: String,
        last: Option<i64>,
        creation: i64,
        deadline: Option<i64>,
        include: bool,
        now: i64,
        #[serde(default)]
        now_nanos: i32,
        earliest: i64,
        most_recent: Option<i64>,
        missed: String,
        error: Option<String>,
    },
    Validate {
        schedule: String,
        time_zone: Option<String>,
        allow_tz: bool,
        errors: Option<Vec<String>>,
    },
    ValidateTz {
        time_zone: Option<String>,
        errors: Option<Vec<String>>,
    },
    Annotation {
        zone: String,
        at: i64,
        value: String,
        job_minute: i64,
    },
}

fn ts(second: i64, nanos: i32) -> Timestamp {
    Timestamp::new(second, nanos).unwrap()
}

fn floor(t: Timestamp) -> i64 {
    let s = t.as_second();
    if t.subsec_nanosecond() < 0 { s - 1 } else { s }
}

/// Checks one case; `Err` describes the disagreement.
fn check(case: &Case) -> Result<(), String> {
    match case {
        Case::Next { spec, start, nanos, next, error, panics } => {
            let parsed = Schedule::parse_standard(spec);
            match (parsed, error, panics) {
                (Err(_), None, true) => Ok(()),
                (Err(e), Some(want), false) if e.message == *want => Ok(()),
                (Err(e), want, _) => {
                    Err(format!("{spec:?}: got error {:?}, want {want:?}", e.message))
                }
                (Ok(_), _, true) => Err(format!("{spec:?}: parsed, robfig panics")),
                (Ok(_), Some(want), _) => Err(format!("{spec:?}: parsed, want error {want:?}")),
                (Ok(schedule), None, false) => {
                    let mut got = Vec::new();
                    let mut t = ts(*start, *nanos);
                    for _ in 0..5 {
                        match schedule.next(t) {
                            Some(n) => {
                                got.push(Some(n.as_second()));
                                t = n;
                            }
                            None => {
                                got.push(None);
                                break;
                            }
                        }
                    }
                    if got == *next {
                        Ok(())
                    } else {
                        Err(format!(
                            "{spec:?} from {}: got {got:?}, want {next:?}",
                            ts(*start, *nanos)
                        ))
                    }
                }
            }
        }
        Case::MostRecent {
            spec,
            last,
            creation,
            deadline,
            include,
            now,
            now_nanos,
            earliest,
            most_recent,
            missed,
            error,
        } => {
            let schedule = Schedule::parse_standard(spec).map_err(|e| e.message)?;
            let got = most_recent_schedule_time(
                &schedule,
                last.map(|l| ts(l, 0)),
                ts(*creation, 0),
                *deadline,
                *include,
                ts(*now, *now_nanos),
            );
            let label = format!(
                "{spec:?} last={last:?} creation={creation} deadline={deadline:?} include={include} now={now}.{now_nanos:09}"
            );
            match (got, error) {
                (Err(e), Some(want)) if e.message == *want => Ok(()),
                (Err(e), want) => Err(format!("{label}: got error {:?}, want {want:?}", e.message)),
                (Ok(_), Some(want)) => Err(format!("{label}: want error {want:?}")),
                (Ok(got), None) => {
                    let got_missed = match got.missed {
                        MissedSchedules::None => "none",
                        MissedSchedules::Few => "few",
                        MissedSchedules::Many => "many",
                    };
                    let got_tuple =
                        (floor(got.earliest), got.most_recent.map(|t| t.as_second()), got_missed);
                    let want = (*earliest, *most_recent, missed.as_str());
                    if got_tuple == want {
                        Ok(())
                    } else {
                        Err(format!("{label}: got {got_tuple:?}, want {want:?}"))
                    }
                }
            }
        }
        Case::Validate { schedule, time_zone, allow_tz, errors } => {
            let got: Vec<String> =
                validate_cronjob_schedule(schedule, time_zone.as_deref(), *allow_tz)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
            let want = errors.clone().unwrap_or_default();
            // robfig panics are recorded as "PANIC"; we must report an error there instead.
            let matches = got.len() == want.len()
                && got
                    .iter()
                    .zip(&want)
                    .all(|(g, w)| g == w || (w == "PANIC" && g.contains("provided bad location")));
            if matches {
                Ok(())
            } else {
                Err(format!("validate {schedule:?}: got {got:?}, want {want:?}"))
            }
        }
        Case::ValidateTz { time_zone, errors } => {
            let zone = time_zone.as_deref().unwrap_or_default();
            let got: Vec<String> = time_zone_errors(zone).iter().map(ToString::to_string).collect();
            let want = errors.clone().unwrap_or_default();
            if got == want {
                Ok(())
            } else {
                Err(format!("timeZone {zone:?}: got {got:?}, want {want:?}"))
            }
        }
        Case::Annotation { zone, at, value, job_minute } => {
            let tz = if zone.is_empty() {
                jiff::tz::TimeZone::UTC
            } else {
                jiff::tz::TimeZone::get(zone).map_err(|e| e.to_string())?
            };
            let got = scheduled_timestamp_annotation(ts(*at, 0), &tz);
            let name = job_name("cj", ts(*at, 0));
            let want_name = format!("cj-{job_minute}");
            if got == *value && name == want_name {
                Ok(())
            } else {
                Err(format!(
                    "annotation {zone:?} at {at}: got {got:?} {name:?}, want {value:?} {want_name:?}"
                ))
            }
        }
    }
}

/// Replays every case of a JSONL file; returns (cases per kind, failure descriptions).
fn replay(text: &str) -> (std::collections::BTreeMap<&'static str, usize>, Vec<String>) {
    let mut failures = Vec::new();
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for (line_no, line) in text.lines().enumerate() {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", line_no + 1));
        let kind = match case {
            Case::Next { .. } => "next",
            Case::MostRecent { .. } => "most_recent",
            Case::Validate { .. } => "validate",
            Case::ValidateTz { .. } => "validate_tz",
            Case::Annotation { .. } => "annotation",
        };
        *kinds.entry(kind).or_default() += 1;
        if let Err(e) = check(&case) {
            failures.push(format!("line {}: {e}", line_no + 1));
        }
    }
    (kinds, failures)
}

fn assert_no_failures(failures: &[String], total: usize) {
    if !failures.is_empty() {
        let mut msg = format!("{} of {total} golden cases disagree:\n", failures.len());
        for f in failures.iter().take(40) {
            let _ = writeln!(msg, "  {f}");
        }
        panic!("{msg}");
    }
}

#[test]
fn agrees_with_robfig_and_kubernetes_on_every_golden_case() {
    let (kinds, failures) = replay(GOLDEN);
    let total: usize = kinds.values().sum();
    assert!(total > 10_000, "golden file too small: {total} cases");
    for kind in ["next", "most_recent", "validate", "validate_tz", "annotation"] {
        assert!(kinds.get(kind).copied().unwrap_or(0) > 10, "too few {kind} cases: {kinds:?}");
    }
    assert_no_failures(&failures, total);
}

/// Extra differential runs, e.g. token-soup fuzzing from the generator:
/// `go run . -fuzz 60000 > /tmp/fuzz.jsonl` then
/// `KUUL_GOLDEN_EXTRA=/tmp/fuzz.jsonl cargo test -p kuul-schedule --test golden -- --ignored`.
#[test]
#[ignore = "needs KUUL_GOLDEN_EXTRA=<jsonl from golden/gen -fuzz N>"]
fn agrees_with_robfig_on_an_extra_golden_file() {
    let path = std::env::var("KUUL_GOLDEN_EXTRA").expect("set KUUL_GOLDEN_EXTRA");
    let text = std::fs::read_to_string(&path).unwrap();
    let (kinds, failures) = replay(&text);
    let total: usize = kinds.values().sum();
    assert!(total > 0, "{path} holds no cases");
    assert_no_failures(&failures, total);
}
