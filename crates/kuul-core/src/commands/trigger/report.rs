//! How `trigger` prints, as `kubectl create job` does: `job.batch/NAME created` (a dry run:
//! `would be created (dry run)` / `(server dry run)`), `-o name` gives `job.batch/NAME`, and `-o json|yaml`
//! the Job itself, or a `v1` `List` of them when several CronJobs were triggered (kubectl's
//! printer wraps several objects the same way). With `--wait` each run's result follows.

use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::cli::DryRun;
use crate::follow::{Finished, RunResult};
use crate::output::{Cell, Report, Tone};

/// One created (or dry-run) Job and, after `--wait`, how its run ended.
#[derive(Debug, Clone)]
pub struct Triggered {
    /// The Job as the server returned it (or as built, for `--dry-run=client`).
    pub job: Value,
    /// The run's end, with `--wait`.
    pub finished: Option<Finished>,
}

impl Triggered {
    /// The Job's name.
    pub fn name(&self) -> &str {
        self.job["metadata"]["name"].as_str().unwrap_or_default()
    }
}

/// The Jobs `trigger` created.
#[derive(Debug, Clone)]
pub struct TriggerReport {
    /// One per triggered CronJob, in the order given.
    pub items: Vec<Triggered>,
    /// The `--dry-run` mode, for the `(dry run)` suffix.
    pub dry_run: DryRun,
}

impl TriggerReport {
    /// kubectl's success line for one Job.
    pub(crate) fn created_line(&self, item: &Triggered) -> String {
        // kubectl's `created (dry run)`, with the "would" every kuul dry run says.
        let verb = match self.dry_run {
            DryRun::None => "created",
            DryRun::Client => "would be created (dry run)",
            DryRun::Server => "would be created (server dry run)",
        };
        format!("job.batch/{} {verb}", item.name())
    }
}

impl Serialize for TriggerReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let jobs: Vec<&Value> = self.items.iter().map(|i| &i.job).collect();
        match jobs.as_slice() {
            [one] => one.serialize(serializer),
            many => json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": many,
                "metadata": {"resourceVersion": ""},
            })
            .serialize(serializer),
        }
    }
}

impl Report for TriggerReport {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        vec!["NAME", "RESULT"]
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.items
            .iter()
            .map(|item| {
                let (text, tone) = match item.finished.as_ref().map(|f| &f.result) {
                    Some(RunResult::Succeeded) => ("Succeeded", Tone::Good),
                    Some(RunResult::Failed { .. }) => ("Failed", Tone::Bad),
                    None => ("Created", Tone::Plain),
                };
                vec![format!("job.batch/{}", item.name()).into(), Cell::toned(text, tone)]
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.items.iter().map(|i| format!("job.batch/{}", i.name())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Printer;

    fn item(name: &str) -> Triggered {
        Triggered { job: json!({"kind": "Job", "metadata": {"name": name}}), finished: None }
    }

    fn render(report: &TriggerReport, format: &str) -> String {
        let mut buf = Vec::new();
        Printer::new(&mut buf, format.parse().unwrap(), false, false).print(report).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn one_job_prints_as_itself_several_as_a_list() {
        let one = TriggerReport { items: vec![item("a")], dry_run: DryRun::None };
        let printed: Value = serde_json::from_str(&render(&one, "json")).unwrap();
        assert_eq!(printed, json!({"kind": "Job", "metadata": {"name": "a"}}));
        let two = TriggerReport { items: vec![item("a"), item("b")], dry_run: DryRun::None };
        let printed: Value = serde_json::from_str(&render(&two, "json")).unwrap();
        assert_eq!(printed["kind"], "List");
        assert_eq!(printed["items"][1]["metadata"]["name"], "b");
        assert_eq!(render(&two, "name"), "job.batch/a\njob.batch/b\n");
    }

    #[test]
    fn created_lines_say_dry_run_like_kubectl() {
        let report = TriggerReport { items: vec![item("a")], dry_run: DryRun::Server };
        assert_eq!(
            report.created_line(&report.items[0]),
            "job.batch/a would be created (server dry run)"
        );
    }
}
