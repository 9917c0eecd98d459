//! The `kuul.dev/` annotations and labels kuul writes, each documented here and in the README.
//! Well-known Kubernetes keys we read are here too, so no string is spelled twice.

/// The schedule a CronJob had before `reschedule-next-minute` changed it.
pub const ORIGINAL_SCHEDULE: &str = "kuul.dev/original-schedule";

/// Default node label key that puts a node in a pool (`label-pool`).
pub const POOL_LABEL: &str = "kuul.dev/pool";

/// Set by `kubectl create job --from=cronjob/...` on manual runs (value `manual`).
pub const INSTANTIATE: &str = "cronjob.kubernetes.io/instantiate";

/// Set by the CronJob controller on scheduled runs: the scheduled time, RFC 3339 in the
/// CronJob's zone.
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// Set (`"true"`) by `reschedule-next-minute --unsuspend` when it lifted `.spec.suspend` for the
/// run; the restore (`--restore`, or the end of `--wait`) sets `suspend: true` again and removes it.
pub const RESCHEDULE_LIFTED_SUSPEND: &str = "kuul.dev/reschedule-lifted-suspend";

/// `suspend-all`: the `.spec.suspend` value a CronJob had before we suspended it (`"true"` or
/// `"false"`); its presence is the saved state `resume` restores.
pub const SUSPENDED_BY_KUUL: &str = "kuul.dev/suspended-by-kuul";

/// `suspend-all`: when the CronJob was suspended (RFC 3339, the API server's clock).
pub const SUSPENDED_AT: &str = "kuul.dev/suspended-at";

/// `suspend-all --reason`: why it was suspended (free text, optional).
pub const SUSPEND_REASON: &str = "kuul.dev/suspend-reason";

/// Well-known node label naming the machine type; `cost-report --prices` prices nodes by it.
pub const INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
