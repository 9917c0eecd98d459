//! Job history limits: nothing kept (no logs to look at) or far too much.

use super::super::config::Config;
use super::super::object::{Kind, Target};
use super::Sink;

/// The history rules of one CronJob.
pub(crate) fn check(target: &Target<'_>, config: &Config, out: &mut Sink<'_>) {
    if target.kind != Kind::CronJob {
        return;
    }
    for (field, what) in
        [("successfulJobsHistoryLimit", "successful"), ("failedJobsHistoryLimit", "failed")]
    {
        let path = format!("spec.{field}");
        let Some(node) = target.object.at(&path) else { continue };
        let Some(limit) = node.as_i64() else { continue };
        if limit == 0 {
            out.push(
                "history-limit-zero",
                node,
                &path,
                format!(
                    "{field} is 0: every {what} Job is deleted as it finishes, with its pods and \
                     logs; keep at least 1"
                ),
            );
        } else if limit > config.thresholds.max_history_limit {
            out.push(
                "history-limit-large",
                node,
                &path,
                format!(
                    "{field} is {limit}: that many Jobs and pods are kept per CronJob; {} or \
                     fewer is plenty",
                    config.thresholds.max_history_limit
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{trips, with};

    #[test]
    fn history_limit_zero() {
        let yaml = with("failedJobsHistoryLimit: 3", "failedJobsHistoryLimit: 0");
        assert!(trips("history-limit-zero", &yaml));
        assert!(!trips("history-limit-zero", super::super::testing::CLEAN));
    }

    #[test]
    fn history_limit_large() {
        let yaml = with("successfulJobsHistoryLimit: 3", "successfulJobsHistoryLimit: 500");
        assert!(trips("history-limit-large", &yaml));
        let yaml = with("successfulJobsHistoryLimit: 3", "successfulJobsHistoryLimit: 20");
        assert!(!trips("history-limit-large", &yaml));
    }
}
