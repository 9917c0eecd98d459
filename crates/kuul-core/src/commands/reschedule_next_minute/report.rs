//! How `reschedule-next-minute` prints: the JSON document below (stable, documented in
//! `docs/commands/reschedule-next-minute.md`) and a few human lines on a terminal.

use jiff::Timestamp;
use serde::Serialize;

use crate::cluster::ClockSource;
use crate::output::{Cell, Report};

/// What `reschedule-next-minute` did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RescheduleReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `RescheduleReport`.
    pub kind: &'static str,
    /// `reschedule` or `restore`.
    pub action: Action,
    /// The CronJob's namespace.
    pub namespace: String,
    /// The CronJob's name.
    pub name: String,
    /// `.spec.schedule` before.
    pub old_schedule: String,
    /// `.spec.schedule` after.
    pub new_schedule: String,
    /// The schedule saved in `kuul.dev/original-schedule` (what `--restore` puts back).
    pub original_schedule: String,
    /// The zone the schedule is evaluated in (`.spec.timeZone`, a legacy `TZ=` prefix, or
    /// `UTC` when neither is set).
    pub time_zone: String,
    /// The instant the new schedule fires, RFC 3339 with the zone's offset (reschedule only).
    pub fire_at: Option<String>,
    /// The same instant in UTC.
    pub fire_at_utc: Option<Timestamp>,
    /// Seconds from `observedAt` to the fire instant.
    pub lead_seconds: Option<i64>,
    /// The Job the controller will create for that instant (`<cronjob>-<unix minutes>`).
    pub job_name: Option<String>,
    /// The "now" the minute was computed from.
    pub observed_at: Timestamp,
    /// Where `observedAt` came from: `api-server` (its `Date` header) or `local`.
    pub clock: ClockSource,
    /// `.spec.suspend` was lifted for this run (reschedule) or set again (restore).
    pub suspend_changed: bool,
    /// `none`, `client` or `server`.
    pub dry_run: &'static str,
    /// With `--wait`: when the controller's Job appeared and the schedule was restored.
    pub restored_at: Option<Timestamp>,
    /// Things to know (e.g. a run the controller would start at once).
    pub warnings: Vec<String>,
}

/// Which way the schedule changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Pinned to the next minute.
    Reschedule,
    /// Put back.
    Restore,
}

impl RescheduleReport {
    /// The lines a person reads.
    pub(crate) fn human(&self) -> String {
        let suffix = match self.dry_run {
            "client" => " (dry run)",
            "server" => " (server dry run)",
            _ => "",
        };
        // A dry run says what would happen (issue 13), in every line.
        let dry = !suffix.is_empty();
        let (would, fires) = if dry { ("would be ", "would fire") } else { ("", "fires") };
        let mut text = match self.action {
            Action::Reschedule => format!(
                "cronjob.batch/{} {would}rescheduled{suffix}: \"{}\" -> \"{}\"\n",
                self.name, self.old_schedule, self.new_schedule
            ),
            Action::Restore => format!(
                "cronjob.batch/{} {would}restored{suffix}: \"{}\" -> \"{}\"{}\n",
                self.name,
                self.old_schedule,
                self.new_schedule,
                if self.suspend_changed { ", suspended again" } else { "" }
            ),
        };
        if let (Some(local), Some(utc), Some(lead)) =
            (&self.fire_at, self.fire_at_utc, self.lead_seconds)
        {
            let clock = match self.clock {
                ClockSource::ApiServer => "the API server's clock",
                ClockSource::Local => "this machine's clock (the API server sent no Date)",
            };
            text.push_str(&format!(
                "{fires} at {local} ({}) = {utc}, in {lead}s by {clock}\n",
                self.time_zone
            ));
            if self.suspend_changed {
                text.push_str(if dry {
                    "suspend would be lifted for this run; the restore would suspend it again\n"
                } else {
                    "suspend lifted for this run; the restore suspends it again\n"
                });
            }
            if self.restored_at.is_none() && !dry {
                text.push_str(&format!(
                    "restore with: kubectl kuul reschedule-next-minute {} --restore -n {}\n",
                    self.name, self.namespace
                ));
            }
        }
        text
    }
}

impl Report for RescheduleReport {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        vec!["NAME", "OLD SCHEDULE", "NEW SCHEDULE", "TIMEZONE", "FIRES AT"]
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        vec![vec![
            self.name.clone().into(),
            self.old_schedule.clone().into(),
            self.new_schedule.clone().into(),
            self.time_zone.clone().into(),
            self.fire_at.clone().unwrap_or_else(|| "<none>".into()).into(),
        ]]
    }

    fn names(&self) -> Vec<String> {
        vec![format!("cronjob.batch/{}", self.name)]
    }
}
