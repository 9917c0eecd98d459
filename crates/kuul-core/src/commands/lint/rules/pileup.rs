//! `schedule-pile-up`: more than N CronJobs starting in the same minute over the next 24 hours
//! (seed 002 saw its cluster spike at minute 0), with a quieter minute suggested for each one
//! that should move.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp, tz::TimeZone};

use super::super::config::Config;
use super::super::object::{Kind, Target};
use super::Finding;

/// Minutes in the window judged.
const WINDOW_MINUTES: i64 = 24 * 60;

/// The pile-up findings: for every minute with more than `pile_up` starts, the CronJobs beyond
/// the first `pile_up` (in input order), each once, at its first crowded minute.
pub(crate) fn pile_up(
    targets: &[Target<'_>],
    config: &Config,
    now: Timestamp,
) -> Vec<(usize, Finding)> {
    let limit = config.thresholds.pile_up;
    let start =
        Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(60)).unwrap_or(now);
    let end = start + SignedDuration::from_mins(WINDOW_MINUTES);
    // minute index -> targets starting then, in input order
    let mut by_minute: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, target) in targets.iter().enumerate() {
        if target.kind != Kind::CronJob
            || target.object.at("spec.suspend").and_then(|n| n.as_bool()) == Some(true)
        {
            continue;
        }
        let Some(timing) = &target.timing else { continue };
        let mut at = start - SignedDuration::from_secs(1);
        for _ in 0..WINDOW_MINUTES {
            let Some(run) = timing.schedule.next(at) else { break };
            if run >= end {
                break;
            }
            by_minute.entry((run.as_second() - start.as_second()) / 60).or_default().push(i);
            at = run;
        }
    }
    // Load per minute of the hour, to suggest the quietest ones.
    let mut load = [0usize; 60];
    for (minute, starts) in &by_minute {
        load[usize::try_from(minute.rem_euclid(60)).unwrap_or(0)] += starts.len();
    }
    let mut crowded: Vec<(&i64, &Vec<usize>)> =
        by_minute.iter().filter(|(_, starts)| starts.len() > limit).collect();
    crowded.sort();
    let mut reported = vec![false; targets.len()];
    let mut found = Vec::new();
    for (minute, starts) in crowded {
        let when = start + SignedDuration::from_mins(*minute);
        let clock = when.to_zoned(TimeZone::UTC).strftime("%H:%M UTC").to_string();
        for &i in starts.iter().skip(limit) {
            if reported[i] {
                continue;
            }
            reported[i] = true;
            let target = &targets[i];
            let suggestion = spread(target.schedule().unwrap_or(""), &mut load)
                .map(|s| format!("spread it: schedule \"{s}\""))
                .unwrap_or_else(|| "move it to a quieter minute".to_owned());
            let node = target.object.at("spec.schedule").unwrap_or(target.object);
            found.push((
                i,
                Finding {
                    rule: "schedule-pile-up",
                    field: "spec.schedule".to_owned(),
                    line: node.line,
                    column: node.column,
                    message: format!(
                        "{} CronJobs start at {clock} (more than {limit} in one minute); {suggestion}",
                        starts.len()
                    ),
                },
            ));
        }
    }
    found
}

/// The schedule with its (single-number) minute field moved to the least loaded minute of the
/// hour; that minute's load goes up so the next suggestion differs. `None` for descriptors,
/// lists, ranges and steps.
fn spread(schedule: &str, load: &mut [usize; 60]) -> Option<String> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != 5 || fields[0].parse::<u8>().ok().is_none_or(|m| m > 59) {
        return None;
    }
    let (quietest, _) = load.iter().enumerate().min_by_key(|(m, l)| (**l, *m))?;
    load[quietest] += 1;
    Some(
        std::iter::once(quietest.to_string())
            .chain(fields[1..].iter().map(|f| (*f).to_owned()))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::now;
    use super::*;
    use crate::commands::lint::node::parse_documents;

    fn cronjobs(schedules: &[&str]) -> String {
        schedules
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!("apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: j{i}}}\nspec: {{schedule: '{s}'}}\n---\n")
            })
            .collect()
    }

    fn run(text: &str, limit: usize) -> Vec<(usize, Finding)> {
        let docs = parse_documents(text).unwrap();
        let targets: Vec<_> = docs.iter().filter_map(|d| Target::new(d, now())).collect();
        let mut config = Config::default();
        config.thresholds.pile_up = limit;
        pile_up(&targets, &config, now())
    }

    #[test]
    fn trips_beyond_the_limit_with_a_suggested_minute() {
        let found =
            run(&cronjobs(&["0 0 * * *", "0 0 * * *", "@daily", "0 * * * *", "5 1 * * *"]), 3);
        // Four start at 00:00 UTC; the fourth (the hourly one) should move.
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.message.starts_with("4 CronJobs start at 00:00 UTC"), "{found:?}");
        assert!(found[0].1.message.contains("schedule \"1 * * * *\""), "{found:?}");
    }

    #[test]
    fn does_not_trip_at_the_limit_or_when_spread() {
        assert!(run(&cronjobs(&["0 0 * * *", "0 0 * * *", "0 0 * * *"]), 3).is_empty());
        assert!(
            run(&cronjobs(&["0 0 * * *", "1 0 * * *", "2 0 * * *", "3 0 * * *"]), 3).is_empty()
        );
    }
}
