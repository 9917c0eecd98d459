//! Small, faithful ports of the Go standard library pieces robfig/cron and Kubernetes lean on.
//!
//! robfig's error texts embed Go's own messages (`strconv.Atoi`, `time.ParseDuration`,
//! `time.LoadLocation`) and its `Next` relies on `time.Date` normalisation, so matching
//! Kubernetes byte for byte means reproducing those too. Each module cites the Go 1.19 source
//! file it follows (`/usr/lib/go-1.19/src/...` from Debian's `golang-go`).

pub(crate) mod civil;
pub(crate) mod duration;
pub(crate) mod location;
pub(crate) mod strconv;
