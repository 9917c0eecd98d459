//! Port of upstream's `TestControllerV2SyncCronJob` table
//! (kubernetes/kubernetes `pkg/controller/cronjob/cronjob_controllerv2_test.go`, the v1.32
//! release line: the struct with `cronjobCreationTime`, `lastScheduleTime`, `expectUpdateStatus`,
//! the `@every` and time zone cases). Same inputs, same expected outcomes: Jobs created and
//! deleted, the status write, `lastSuccessfulTime`, the requeue delay, the number of events and
//! warnings. `expectActive` is asserted as well (upstream's own check of it is vacuous in this
//! version, as syncCronJob no longer writes the status itself).
//!
//! Cases that cannot apply to the sandbox's pure sync, and why (listed in [`NOT_APPLICABLE`]):
//! upstream re-reads the CronJob and Jobs from the API when its informer cache may be stale
//! ("slow job lister", "slow cronjob list"), and injects API errors into the fake job control
//! ("create job failed", "get job failed", "namespace is terminating"). The sandbox's control
//! plane passes fresh objects from the store, so there is no stale cache to re-read, and create
//! errors are handled where the write happens (`ControlPlane::apply`: `AlreadyExists` adopts or
//! skips, any other error records `FailedCreate`), not inside the pure sync.

use super::*;
use crate::controllers::upstream_cases::assert_cases_pass;
use serde_json::json;

const SHORT_DEAD: i64 = 10;
const MEDIUM_DEAD: i64 = 2 * 60 * 60;
const LONG_DEAD: i64 = 1_000_000;
const ERROR_SCHEDULE: &str = "obvious error schedule";
const ON_THE_HOUR: &str = "0 * * * ?";
const EVERY_HOUR: &str = "@every 1h";
const NEW_YORK: &str = "America/New_York";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}
fn just_after_the_prior_hour() -> Timestamp {
    t("2016-05-19T09:01:00Z")
}
fn just_before_the_prior_hour() -> Timestamp {
    t("2016-05-19T08:59:00Z")
}
fn just_after_the_hour() -> Timestamp {
    t("2016-05-19T10:01:00Z")
}
fn just_before_the_hour() -> Timestamp {
    t("2016-05-19T09:59:00Z")
}
fn just_before_the_next_hour() -> Timestamp {
    t("2016-05-19T10:59:00Z")
}
fn week_after_the_hour() -> Timestamp {
    t("2016-05-26T10:00:00Z")
}
fn top_of_the_hour() -> Timestamp {
    t("2016-05-19T10:00:00Z")
}
fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}
fn mins(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}
fn hour() -> SignedDuration {
    SignedDuration::from_hours(1)
}
const DELTA: SignedDuration = NEXT_SCHEDULE_DELTA;

#[derive(Clone)]
struct Case {
    name: &'static str,
    policy: &'static str,
    suspend: bool,
    schedule: &'static str,
    time_zone: Option<&'static str>,
    deadline: Option<i64>,
    ran_previously: bool,
    still_active: bool,
    cronjob_creation_time: Option<Timestamp>,
    job_creation_time: Timestamp,
    last_schedule_time: Option<Timestamp>,
    now: Timestamp,
    expect_create: bool,
    expect_delete: bool,
    expect_active: usize,
    expected_warnings: usize,
    expect_requeue_after: Option<SignedDuration>,
    expect_update_status: bool,
    job_still_not_found_in_lister: bool,
    job_present_in_cj_active_status: bool,
}

impl Default for Case {
    fn default() -> Case {
        Case {
            name: "",
            policy: "Allow",
            suspend: false,
            schedule: ON_THE_HOUR,
            time_zone: None,
            deadline: None,
            ran_previously: false,
            still_active: false,
            cronjob_creation_time: None,
            job_creation_time: just_after_the_prior_hour(),
            last_schedule_time: None,
            now: just_before_the_hour(),
            expect_create: false,
            expect_delete: false,
            expect_active: 0,
            expected_warnings: 0,
            expect_requeue_after: None,
            expect_update_status: false,
            job_still_not_found_in_lister: false,
            job_present_in_cj_active_status: true,
        }
    }
}

/// Upstream cases not ported, with the reason (see the module docs).
const NOT_APPLICABLE: &[(&str, &str)] = &[
    (
        "prev ran but done, is time, create job failed, A",
        "injected create error (AlreadyExists): handled by ControlPlane::apply",
    ),
    (
        "prev ran but done, is time, job not present in CJ active status, create job failed, A",
        "injected create error: handled by ControlPlane::apply",
    ),
    (
        "still active, is time, get job failed, R",
        "injected GET error on the Job to replace: no API errors inside the pure sync",
    ),
    (
        "this started but went missing, not past deadline, A",
        "slow job lister re-read from the API: the sandbox's Job cache is never stale",
    ),
    (
        "this started but went missing, not past deadline, f",
        "slow job lister re-read: no stale cache",
    ),
    (
        "this started but went missing, not past deadline, R",
        "slow job lister re-read: no stale cache",
    ),
    (
        "this started but is not present in cronjob active list, not past deadline, A",
        "stale CronJob re-read from the API: the sandbox syncs the stored CronJob",
    ),
    (
        "this started but is not present in cronjob active list, not past deadline, f",
        "stale CronJob re-read: no stale cache",
    ),
    (
        "this started but is not present in cronjob active list, not past deadline, R",
        "stale CronJob re-read: no stale cache",
    ),
    (
        "do nothing if the namespace is terminating",
        "injected create error (NamespaceTerminating cause): handled by ControlPlane::apply",
    ),
];

fn cases() -> Vec<Case> {
    let d = Case::default;
    let ran = |name, policy, now, deadline: Option<i64>| Case {
        name,
        policy,
        ran_previously: true,
        deadline,
        now,
        ..d()
    };
    vec![
        Case {
            name: "never ran, not valid schedule, A",
            schedule: ERROR_SCHEDULE,
            expected_warnings: 1,
            ..d()
        },
        Case {
            name: "never ran, not valid schedule, F",
            policy: "Forbid",
            schedule: ERROR_SCHEDULE,
            expected_warnings: 1,
            ..d()
        },
        Case {
            name: "never ran, not valid schedule, R",
            policy: "Forbid",
            schedule: ERROR_SCHEDULE,
            expected_warnings: 1,
            ..d()
        },
        Case {
            name: "never ran, not valid time zone",
            time_zone: Some("bad timezone"),
            expected_warnings: 1,
            ..d()
        },
        Case { name: "never ran, not time, A", expect_requeue_after: Some(mins(1) + DELTA), ..d() },
        Case {
            name: "never ran, not time, F",
            policy: "Forbid",
            expect_requeue_after: Some(mins(1) + DELTA),
            ..d()
        },
        Case {
            name: "never ran, not time, R",
            policy: "Replace",
            expect_requeue_after: Some(mins(1) + DELTA),
            ..d()
        },
        Case {
            name: "never ran, not time in zone",
            time_zone: Some(NEW_YORK),
            expect_requeue_after: Some(mins(1) + DELTA),
            ..d()
        },
        Case {
            name: "never ran, is time, A",
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            name: "never ran, is time, F",
            policy: "Forbid",
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            name: "never ran, is time, R",
            policy: "Replace",
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            name: "never ran, is time in zone, but time zone disabled",
            time_zone: Some(NEW_YORK),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            name: "never ran, is time in zone",
            time_zone: Some(NEW_YORK),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        // Upstream's table says expectActive 0 here although a Job is created; its check of
        // expectActive is vacuous. The created Job is active, so 1 is asserted.
        Case {
            name: "never ran, is time in zone, but TZ is also set in schedule",
            schedule: "TZ=UTC 0 * * * ?",
            time_zone: Some(NEW_YORK),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            name: "never ran, is time, suspended",
            suspend: true,
            now: just_after_the_hour(),
            ..d()
        },
        Case {
            name: "never ran, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            now: just_after_the_hour() + mins(SHORT_DEAD + 1),
            expect_requeue_after: Some(hour() - mins(1) - mins(SHORT_DEAD + 1) + DELTA),
            ..d()
        },
        Case {
            name: "never ran, is time, not past deadline",
            deadline: Some(LONG_DEAD),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            expect_requeue_after: Some(mins(1) + DELTA),
            expect_update_status: true,
            ..ran("prev ran but done, not time, A", "Allow", just_before_the_hour(), None)
        },
        Case {
            expect_requeue_after: Some(mins(1) + DELTA),
            expect_update_status: true,
            ..ran("prev ran but done, not time, F", "Forbid", just_before_the_hour(), None)
        },
        Case {
            expect_requeue_after: Some(mins(1) + DELTA),
            expect_update_status: true,
            ..ran("prev ran but done, not time, R", "Replace", just_before_the_hour(), None)
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran("prev ran but done, is time, A", "Allow", just_after_the_hour(), None)
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran("prev ran but done, is time, F", "Forbid", just_after_the_hour(), None)
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran("prev ran but done, is time, R", "Replace", just_after_the_hour(), None)
        },
        Case {
            suspend: true,
            expect_update_status: true,
            ..ran("prev ran but done, is time, suspended", "Allow", just_after_the_hour(), None)
        },
        Case {
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, is time, past deadline",
                "Allow",
                just_after_the_hour(),
                Some(SHORT_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, is time, not past deadline",
                "Allow",
                just_after_the_hour(),
                Some(LONG_DEAD),
            )
        },
        Case {
            still_active: true,
            expect_active: 1,
            expect_requeue_after: Some(mins(1) + DELTA),
            ..ran("still active, not time, A", "Allow", just_before_the_hour(), None)
        },
        Case {
            still_active: true,
            expect_active: 1,
            expect_requeue_after: Some(mins(1) + DELTA),
            ..ran("still active, not time, F", "Forbid", just_before_the_hour(), None)
        },
        Case {
            still_active: true,
            expect_active: 1,
            expect_requeue_after: Some(mins(1) + DELTA),
            ..ran("still active, not time, R", "Replace", just_before_the_hour(), None)
        },
        Case {
            still_active: true,
            expect_create: true,
            expect_active: 2,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran("still active, is time, A", "Allow", just_after_the_hour(), None)
        },
        Case {
            still_active: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            ..ran("still active, is time, F", "Forbid", just_after_the_hour(), None)
        },
        Case {
            still_active: true,
            expect_create: true,
            expect_delete: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran("still active, is time, R", "Replace", just_after_the_hour(), None)
        },
        Case {
            still_active: true,
            suspend: true,
            expect_active: 1,
            ..ran("still active, is time, suspended", "Allow", just_after_the_hour(), None)
        },
        Case {
            still_active: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            ..ran(
                "still active, is time, past deadline",
                "Allow",
                just_after_the_hour(),
                Some(SHORT_DEAD),
            )
        },
        Case {
            still_active: true,
            expect_create: true,
            expect_active: 2,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran(
                "still active, is time, not past deadline",
                "Allow",
                just_after_the_hour(),
                Some(LONG_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, not past deadline, A",
                "Allow",
                week_after_the_hour(),
                Some(LONG_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, not past deadline, R",
                "Replace",
                week_after_the_hour(),
                Some(LONG_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, not past deadline, F",
                "Forbid",
                week_after_the_hour(),
                Some(LONG_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, no deadline, A",
                "Allow",
                week_after_the_hour(),
                None,
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, no deadline, R",
                "Replace",
                week_after_the_hour(),
                None,
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, no deadline, F",
                "Forbid",
                week_after_the_hour(),
                None,
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, past medium deadline, A",
                "Allow",
                week_after_the_hour(),
                Some(MEDIUM_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, past short deadline, A",
                "Allow",
                week_after_the_hour(),
                Some(SHORT_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, past medium deadline, R",
                "Replace",
                week_after_the_hour(),
                Some(MEDIUM_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, past short deadline, R",
                "Replace",
                week_after_the_hour(),
                Some(SHORT_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, past medium deadline, F",
                "Forbid",
                week_after_the_hour(),
                Some(MEDIUM_DEAD),
            )
        },
        Case {
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() + DELTA),
            expect_update_status: true,
            ..ran(
                "prev ran but done, long overdue, past short deadline, F",
                "Forbid",
                week_after_the_hour(),
                Some(SHORT_DEAD),
            )
        },
        // Time skew: the Job's creation (10:01) is after "now" (09:59).
        Case {
            job_creation_time: just_after_the_hour(),
            job_present_in_cj_active_status: false,
            expect_requeue_after: Some(mins(1) + DELTA),
            expect_update_status: true,
            ..ran("this ran but done, time drifted back, F", "Forbid", just_before_the_hour(), None)
        },
        Case {
            name: "with @every schedule, never ran, not time",
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_before_the_hour()),
            job_creation_time: just_before_the_hour(),
            now: top_of_the_hour(),
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            ..d()
        },
        Case {
            name: "with @every schedule, never ran, is time",
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            now: just_before_the_hour(),
            expect_requeue_after: Some(hour() + DELTA),
            expect_create: true,
            expect_active: 1,
            expect_update_status: true,
            ..d()
        },
        Case {
            name: "with @every schedule, never ran, is time, past deadline",
            schedule: EVERY_HOUR,
            deadline: Some(SHORT_DEAD),
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            now: just_before_the_hour() + secs(SHORT_DEAD + 1),
            expect_requeue_after: Some(hour() - secs(SHORT_DEAD + 1) + DELTA),
            ..d()
        },
        Case {
            name: "with @every schedule, never ran, is time, not past deadline",
            schedule: EVERY_HOUR,
            deadline: Some(LONG_DEAD),
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            now: just_before_the_hour() + secs(SHORT_DEAD - 1),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - secs(SHORT_DEAD - 1) + DELTA),
            expect_update_status: true,
            ..d()
        },
        Case {
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            last_schedule_time: Some(just_before_the_hour()),
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, prev ran but done, not time",
                "Allow",
                top_of_the_hour(),
                None,
            )
        },
        Case {
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            last_schedule_time: Some(just_before_the_hour()),
            expect_create: true,
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, prev ran but done, is time",
                "Allow",
                top_of_the_hour() + hour(),
                None,
            )
        },
        Case {
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            last_schedule_time: Some(just_before_the_hour()),
            expect_requeue_after: Some(hour() - secs(SHORT_DEAD + 1) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, prev ran but done, is time, past deadline",
                "Allow",
                just_before_the_next_hour() + secs(SHORT_DEAD + 1),
                Some(SHORT_DEAD),
            )
        },
        Case {
            schedule: EVERY_HOUR,
            still_active: true,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_hour(),
            last_schedule_time: Some(just_before_the_hour()),
            expect_active: 1,
            expect_requeue_after: Some(hour() - mins(1) + DELTA),
            ..ran("with @every schedule, still active, not time", "Allow", top_of_the_hour(), None)
        },
        Case {
            schedule: EVERY_HOUR,
            still_active: true,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            last_schedule_time: Some(just_before_the_prior_hour()),
            expect_create: true,
            expect_active: 2,
            expect_requeue_after: Some(hour() - mins(2) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, still active, is time",
                "Allow",
                just_after_the_hour(),
                None,
            )
        },
        Case {
            schedule: EVERY_HOUR,
            still_active: true,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_hour(),
            last_schedule_time: Some(just_before_the_hour()),
            expect_active: 1,
            expect_requeue_after: Some(hour() - secs(SHORT_DEAD + 1) + DELTA),
            ..ran(
                "with @every schedule, still active, is time, past deadline",
                "Allow",
                just_before_the_next_hour() + secs(SHORT_DEAD + 1),
                Some(SHORT_DEAD),
            )
        },
        Case {
            schedule: EVERY_HOUR,
            still_active: true,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_hour(),
            last_schedule_time: Some(just_before_the_hour()),
            expect_create: true,
            expect_active: 2,
            expect_requeue_after: Some(hour() - secs(SHORT_DEAD - 1) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, still active, is time, not past deadline",
                "Allow",
                just_before_the_next_hour() + secs(SHORT_DEAD - 1),
                Some(LONG_DEAD),
            )
        },
        Case {
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_after_the_prior_hour()),
            last_schedule_time: Some(just_after_the_hour()),
            job_creation_time: just_after_the_prior_hour(),
            expect_create: true,
            expect_active: 1,
            expected_warnings: 1,
            expect_requeue_after: Some(mins(1) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, prev ran but done, long overdue, no deadline",
                "Allow",
                week_after_the_hour(),
                None,
            )
        },
        // Upstream's table says expectActive 1, but nothing is active (no Job is created and
        // the previous one finished); its check of expectActive is vacuous. 0 is asserted.
        Case {
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_after_the_prior_hour()),
            last_schedule_time: Some(just_after_the_hour()),
            job_creation_time: just_after_the_prior_hour(),
            expect_active: 0,
            expect_requeue_after: Some(hour() - secs(SHORT_DEAD + 1) + DELTA),
            expect_update_status: true,
            ..ran(
                "with @every schedule, prev ran but done, long overdue, past deadline",
                "Allow",
                week_after_the_hour() + mins(1) + secs(SHORT_DEAD + 1),
                Some(SHORT_DEAD),
            )
        },
    ]
}

fn build(tc: &Case) -> (CronJob, Vec<Job>) {
    let mut spec = json!({
        "schedule": tc.schedule,
        "concurrencyPolicy": tc.policy,
        "suspend": tc.suspend,
        "jobTemplate": {
            "metadata": {"labels": {"a": "b"}, "annotations": {"x": "y"}},
            "spec": {"parallelism": 1, "completions": 1, "template": {
                "metadata": {"labels": {"foo": "bar"}},
                "spec": {"containers": [{"name": "", "image": "foo/bar"}]}}}
        }
    });
    if let Some(tz) = tc.time_zone {
        spec["timeZone"] = json!(tz);
    }
    if let Some(d) = tc.deadline {
        spec["startingDeadlineSeconds"] = json!(d);
    }
    let created = tc.cronjob_creation_time.unwrap_or(if tc.ran_previously {
        just_before_the_prior_hour()
    } else {
        just_before_the_hour()
    });
    let mut cj: CronJob = serde_json::from_value(json!({
        "metadata": {"name": "mycronjob", "namespace": "snazzycats", "uid": "1a2b3c",
                     "creationTimestamp": created.to_string()},
        "spec": spec,
    }))
    .unwrap();
    let mut jobs = Vec::new();
    if tc.ran_previously {
        let last = tc.last_schedule_time.unwrap_or(just_after_the_prior_hour());
        cj.status = Some(CronJobStatus {
            last_schedule_time: Some(Time(last)),
            ..CronJobStatus::default()
        });
        let name = kuul_schedule::job_name("mycronjob", tc.job_creation_time);
        let mut job = job_from_template(&cj, tc.job_creation_time, &name);
        job.metadata.uid = Some("1234".into());
        if tc.still_active {
            if tc.job_present_in_cj_active_status {
                let r = object_reference("Job", "batch/v1", &job.metadata);
                cj.status.get_or_insert_with(Default::default).active = Some(vec![r]);
            }
            if !tc.job_still_not_found_in_lister {
                jobs.push(job);
            }
        } else {
            job.status = Some(k8s_openapi::api::batch::v1::JobStatus {
                completion_time: Some(Time(tc.job_creation_time + secs(10))),
                conditions: Some(vec![k8s_openapi::api::batch::v1::JobCondition {
                    type_: "Complete".into(),
                    status: "True".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            });
            if !tc.job_still_not_found_in_lister {
                jobs.push(job);
            }
        }
    }
    (cj, jobs)
}

/// Runs one case; returns what differs from upstream's expectations.
fn check(tc: &Case) -> Vec<String> {
    let (cj, jobs) = build(tc);
    let out = sync(&cj, &jobs, tc.now);
    let mut errs = Vec::new();
    let creates = out.actions.iter().filter(|a| matches!(a, Action::CreateJob(_))).count();
    let deletes =
        out.actions.iter().filter(|a| matches!(a, Action::Delete { kind: Kind::Job, .. })).count();
    let events: Vec<&k8s_openapi::api::core::v1::Event> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateEvent(e) => Some(&**e),
            _ => None,
        })
        .collect();
    let warnings = events.iter().filter(|e| e.type_.as_deref() == Some("Warning")).count();
    let written: Option<CronJobStatus> = out.actions.iter().find_map(|a| match a {
        Action::ReplaceStatus { object, .. } => {
            serde_json::from_value(object["status"].clone()).ok()
        }
        _ => None,
    });
    if creates != usize::from(tc.expect_create) {
        errs.push(format!("creates {creates}"));
    }
    for a in &out.actions {
        if let Action::CreateJob(j) = a {
            let r = &j.metadata.owner_references.as_ref().unwrap()[0];
            if r.api_version != "batch/v1"
                || r.kind != "CronJob"
                || r.name != "mycronjob"
                || r.uid != "1a2b3c"
                || r.controller != Some(true)
            {
                errs.push(format!("controller ref {r:?}"));
            }
        }
    }
    if deletes != usize::from(tc.expect_delete) {
        errs.push(format!("deletes {deletes}"));
    }
    let mut expected_events =
        usize::from(tc.expect_create) + usize::from(tc.expect_delete) + tc.expected_warnings;
    if tc.name == "still active, is time, F" {
        expected_events += 1; // JobAlreadyActive, as upstream counts it
    }
    if events.len() != expected_events {
        let reasons: Vec<_> = events.iter().map(|e| e.reason.clone().unwrap_or_default()).collect();
        errs.push(format!("events {reasons:?}, want {expected_events}"));
    }
    if warnings != tc.expected_warnings {
        errs.push(format!("warnings {warnings}"));
    }
    if let Some(d) = tc.expect_requeue_after {
        let got = out.requeue_at.map(|r| r.duration_since(tc.now));
        if got != Some(d) {
            errs.push(format!("requeue {got:?}, want {d:?}"));
        }
    }
    if written.is_some() != tc.expect_update_status {
        errs.push(format!("updateStatus {}", written.is_some()));
    }
    let status = written.clone().or_else(|| cj.status.clone()).unwrap_or_default();
    if tc.ran_previously && !tc.still_active {
        let want = tc.job_creation_time + secs(10);
        if status.last_successful_time.as_ref().map(|t| t.0) != Some(want) {
            errs.push(format!("lastSuccessfulTime {:?}", status.last_successful_time));
        }
    }
    let active = status.active.as_ref().map_or(0, Vec::len);
    if active != tc.expect_active {
        errs.push(format!("active {active}"));
    }
    errs
}

#[test]
fn upstream_controller_v2_sync_cronjob_table() {
    // 71 cases upstream = the ported ones + the ones listed as not applicable.
    let ported = 71 - NOT_APPLICABLE.len();
    assert_cases_pass("TestControllerV2SyncCronJob", &cases(), ported, |tc| tc.name, check);
}
