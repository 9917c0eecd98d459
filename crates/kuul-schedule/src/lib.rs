//! Kubernetes-exact cron schedules (placeholder; see the schedule issue).
