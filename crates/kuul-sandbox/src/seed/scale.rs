//! The `scale:N` seed: N CronJobs over ten namespaces, each with ten finished Jobs of one pod,
//! on twenty nodes in two pools: for benchmarks and for checking that the control plane only
//! touches what is due.

use super::build::{Builder, CronSpec, hash};

const NAMESPACES: usize = 10;

/// Adds `n` CronJobs with history to `b`.
pub(crate) fn build(b: &mut Builder, n: usize) {
    for i in 0..NAMESPACES {
        b.namespace(&format!("team-{i:02}"));
    }
    for i in 0..20 {
        let pool = if i < 14 { "internal" } else { "prod-network" };
        b.node(&format!("{pool}-{i:02}"), pool, None, "16", "64Gi");
    }
    for i in 0..n {
        let ns = format!("team-{:02}", i % NAMESPACES);
        let minute = hash(&format!("m{i}")) % 60;
        // A periodic-jobs mix: mostly daily, some every few hours, a fifth hourly (about 7 runs a
        // day on average).
        let schedule = match i % 10 {
            0 | 1 => format!("{minute} * * * *"),
            2 => format!("{minute} */2 * * *"),
            3 | 4 => format!("{minute} */6 * * *"),
            _ => format!("{minute} {} * * *", hash(&format!("h{i}")) % 24),
        };
        let mut s = CronSpec::new(&ns, &format!("job-{i:05}"), &schedule);
        s.node_selector = Some((
            "kuul.dev/pool".into(),
            if i % 4 == 3 { "prod-network" } else { "internal" }.into(),
        ));
        // One pod per Job: failures are not retried.
        s.backoff_limit = 0;
        s.successful_history = 10;
        s.failed_history = 3;
        s.runs = 10;
        s.duration = "30s".into();
        // Roughly one run in eight fails (run 3 of every eighth CronJob, run 6 of others...).
        s.run_codes = match i % 8 {
            0 => |k| vec![i32::from(k == 3)],
            5 => |k| vec![i32::from(k == 6 || k == 0)],
            _ => |_| vec![0],
        };
        b.cronjob(&s);
    }
}
