//! The bad-input catalogue (hardening issue, item 3): one table of wrong command lines, wrong
//! files, wrong kubeconfigs, wrong credentials and vanishing objects, across all eight commands.
//! Every case must end with the exit code the README documents (1 error, 2 usage), exactly one
//! `error:` line on stderr (plus at most one `hint:` line), no panic or backtrace, nothing on
//! stdout, and the cluster exactly as it was (every object's resourceVersion, before and after).
//!
//! Usage errors found by clap itself (unknown flag, bad value for a typed flag, conflicting
//! flags) keep clap's shape: the first line is the one `error:` line, followed by clap's
//! `Usage:` line and its "For more information, try '--help'" pointer; no other line may start
//! with `error:`. Everything else is ours and must be exactly `error:` [+ `hint:`].
//!
//! Every write refused by RBAC ends the same way in every command, bulk or not: one `error:
//! forbidden: cannot VERB RESOURCE in namespace NS` line and exit 1 (issue 13: bulk commands
//! used to print one `failed:` line per object and exit 3).
//!
//! Empty scopes are not errors, but never silent: kubectl's `No resources found in NS
//! namespace.` is the one line on stderr (shape `Notice`); `lastrun --check` on one fails with
//! exit 4 unless `--allow-empty`.
//!
//! The catalogue found two bugs in other owners' files, fixed since (commit dc57436):
//! `suspend-all --save-to` into a missing directory failed only after suspending everything,
//! and `reschedule-next-minute --wait` did not notice its CronJob being deleted.
//!
//! Cases that cannot change the cluster share one plain-HTTP sandbox (the snapshot after each
//! case proves they did not); credential and TLS cases use a second sandbox started with TLS.
//! The "deleted mid-run" cases each get their own sandbox: the command is spawned, the CronJob
//! deleted through the sandbox, and the clock advanced until the command exits.
//!
//! `KUUL_SHOW_BAD_INPUT=1 cargo test -p kubectl-kuul --test e2e bad_input -- --nocapture` prints
//! every case's output, to read the messages as a user would.
//!
//! Every case runs through the umbrella `kubectl-kuul`; those marked `thin` also through the
//! thin `kubectl-kuul-<command>` binary, which must answer identically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use kuul_sandbox::controllers::Propagation;

use crate::support::*;

/// Which kubeconfig a case runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kc {
    /// The shared plain-HTTP sandbox's own kubeconfig.
    Sandbox,
    /// Not YAML at all.
    Malformed,
    /// YAML, but `clusters` is not a list.
    WrongShape,
    /// No `current-context` and no `--context`.
    NoCurrentContext,
    /// A server on a port where nothing listens.
    ClosedPort,
    /// `https://` pointing at the plain-HTTP sandbox.
    HttpsToPlain,
    /// The TLS sandbox with its real CA and a made-up token (401).
    TlsWrongToken,
    /// The TLS sandbox with another CA's certificate (verification fails).
    TlsWrongCa,
    /// The TLS sandbox with no CA at all: the system roots do not know it.
    TlsNoCa,
}

/// What happens while the command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum During {
    /// Nothing: the command runs to its end on the shared sandbox.
    Nothing,
    /// The CronJob `ops/backup` is deleted once the command has started waiting; it runs on its
    /// own sandbox and the clock is stepped until it exits.
    DeleteCronJob,
}

/// How the error is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Ours: exactly `error: ...`, optionally followed by one `hint: ...`.
    Ours,
    /// Ours with a required `hint:` line containing this text.
    Hint(&'static str),
    /// clap's usage error (see the module comment).
    Clap,
    /// Not an error, but said: `says` is a whole line on stderr (kubectl's `No resources found
    /// in NS namespace.`), and no line is an `error:` line.
    Notice,
}

/// One bad input.
struct Case {
    /// What it is, for failure messages.
    name: &'static str,
    /// The command line after `kubectl-kuul`; `{dir}` is the case files' directory.
    args: &'static [&'static str],
    /// The kubeconfig.
    kc: Kc,
    /// What happens meanwhile.
    during: During,
    /// The documented exit code.
    code: i32,
    /// Text the `error:` line (for [`Shape::Notice`], the stderr line) must contain.
    says: &'static str,
    /// The error's shape.
    shape: Shape,
    /// Also run through the thin binary.
    thin: bool,
    /// Text stdout must contain (a plan printed before a refusal, progress printed before a
    /// deletion); `None`: stdout must be empty.
    prints: Option<&'static str>,
}

const fn case(
    name: &'static str,
    args: &'static [&'static str],
    code: i32,
    says: &'static str,
) -> Case {
    Case {
        name,
        args,
        kc: Kc::Sandbox,
        during: During::Nothing,
        code,
        says,
        shape: Shape::Ours,
        thin: false,
        prints: None,
    }
}

impl Case {
    const fn clap(mut self) -> Case {
        self.shape = Shape::Clap;
        self
    }
    const fn hint(mut self, text: &'static str) -> Case {
        self.shape = Shape::Hint(text);
        self
    }
    const fn notice(mut self) -> Case {
        self.shape = Shape::Notice;
        self
    }
    const fn kc(mut self, kc: Kc) -> Case {
        self.kc = kc;
        self
    }
    const fn during(mut self, during: During) -> Case {
        self.during = during;
        self
    }
    const fn thin(mut self) -> Case {
        self.thin = true;
        self
    }
    const fn prints(mut self, text: &'static str) -> Case {
        self.prints = Some(text);
        self
    }
}

const VIEWER: &str = "kuul-sandbox-viewer";
/// The catalogue, one case a row.
#[rustfmt::skip]
const CASES: &[Case] = &[
    // ---- trigger
    case("trigger: unknown CronJob", &["trigger", "bakup", "-n", "ops"], 1,
         "cronjob \"bakup\" not found in namespace \"ops\"").hint("did you mean \"backup\"?").thin(),
    case("trigger: a name no object can have", &["trigger", "Back_Up!", "-n", "ops"], 1,
         "cronjob \"Back_Up!\" not found").hint("cannot be a cronjob name"),
    case("trigger: no CronJob named", &["trigger", "-n", "ops"], 2, "name a CronJob"),
    case("trigger: --env without =", &["trigger", "backup", "-n", "ops", "--env", "NOEQUALS"], 2,
         "is not KEY=VALUE").clap(),
    case("trigger: --env name starting with a digit", &["trigger", "backup", "-n", "ops", "-e", "1X=2"],
         2, "must not start with a digit").clap(),
    case("trigger: negative --timeout", &["trigger", "backup", "-n", "ops", "--wait", "--timeout", "-1s"],
         2, "must not be negative").clap(),
    case("trigger: --timeout without --wait", &["trigger", "backup", "-n", "ops", "--timeout", "5m"], 2,
         "--timeout only applies with --wait or -f"),
    case("trigger: --name not a DNS name", &["trigger", "backup", "-n", "ops", "--name", "UPPER_case"],
         2, "UPPER_case"),
    case("trigger: unknown --dry-run mode", &["trigger", "backup", "-n", "ops", "--dry-run=maybe"], 2,
         "maybe").clap(),
    case("trigger: viewer may not create jobs", &["trigger", "backup", "-n", "ops", "--context", VIEWER],
         1, "forbidden: cannot create jobs.batch in namespace \"ops\"").hint("RBAC").thin(),
    case("trigger: malformed selector", &["trigger", "-n", "ops", "-l", "team notin"], 2,
         "invalid selector \"team notin\"").hint("selectors look like"),
    case("trigger: -A with a name", &["trigger", "backup", "-A"], 2, "-A"),
    case("trigger: CronJob deleted while waiting for the run", &["trigger", "backup", "-n", "ops",
         "--wait"], 1, "backup").during(During::DeleteCronJob).prints("created"),
    // ---- suspend-all
    case("suspend-all: --concurrency 0", &["suspend-all", "-n", "ops", "--concurrency", "0"], 2,
         "invalid concurrency \"0\"").clap().thin(),
    case("suspend-all: --concurrency not a number", &["suspend-all", "-n", "ops", "--concurrency",
         "many"], 2, "invalid concurrency \"many\"").clap(),
    case("suspend-all: malformed selector", &["suspend-all", "-n", "ops", "-l", "team in db"], 2,
         "invalid selector \"team in db\"").hint("selectors look like"),
    case("suspend-all: bad --timeout unit", &["suspend-all", "-n", "ops", "--timeout", "5x"], 2,
         "invalid duration \"5x\"").clap(),
    case("suspend-all: unknown CronJob", &["suspend-all", "bakup", "-n", "ops"], 1,
         "\"bakup\" not found").hint("did you mean \"backup\"?"),
    case("suspend-all: viewer may not patch", &["suspend-all", "-n", "ops", "--context", VIEWER], 1,
         "forbidden: cannot patch cronjobs.batch in namespace \"ops\""),
    case("suspend-all: viewer, server dry run", &["suspend-all", "-n", "ops", "--dry-run=server",
         "--context", VIEWER], 1, "forbidden: cannot patch cronjobs.batch in namespace \"ops\"").thin(),
    case("suspend-all: viewer, all namespaces, -o json", &["suspend-all", "-A", "-o", "json",
         "--context", VIEWER], 1, "forbidden: cannot patch cronjobs.batch in namespace"),
    case("suspend-all: empty scope says so (stderr), changes nothing", &["suspend-all", "-n", "santiy"],
         0, "No resources found in santiy namespace.").notice().prints("suspend-all: 0"),
    case("suspend-all: empty scope, dry run", &["suspend-all", "-n", "santiy", "--dry-run"], 0,
         "No resources found in santiy namespace.").notice().prints("dry run"),
    case("resume: empty scope says so", &["resume", "-n", "santiy"], 0,
         "No resources found in santiy namespace.").notice().prints("resume: 0"),
    case("resume: --force without --from", &["resume", "-n", "ops", "--force"], 2,
         "required arguments").clap(),
    case("suspend-all: --save-to into a missing directory", &["suspend-all", "-n", "ops", "--save-to",
         "{dir}/no/such/dir/saved.json"], 1, "no/such/dir"),
    // ---- resume
    case("resume: --from a missing file", &["resume", "--from", "{dir}/missing.json"], 1,
         "missing.json").thin(),
    case("resume: --from a file that is not a snapshot", &["resume", "--from",
         "{dir}/prices-garbage.yaml"], 2, "is not a suspend-all snapshot"),
    case("resume: --from a snapshot of the wrong kind", &["resume", "--from", "{dir}/wrong-kind.json"],
         2, "not a kuul.dev/v1alpha1"),
    case("resume: names and --from together", &["resume", "backup", "--from", "{dir}/wrong-kind.json"],
         2, "--from").clap(),
    case("resume: unknown CronJob", &["resume", "bakup", "-n", "ops"], 1, "\"bakup\" not found")
        .hint("did you mean \"backup\"?"),
    case("resume: bad --concurrency", &["resume", "-n", "ops", "--concurrency", "513"], 2,
         "invalid concurrency \"513\"").clap(),
    // ---- reschedule-next-minute
    case("reschedule-next-minute: no CronJob named", &["reschedule-next-minute", "-n", "ops"], 2,
         "required arguments").clap(),
    case("reschedule-next-minute: unknown CronJob", &["reschedule-next-minute", "bakup", "-n", "ops"],
         1, "cronjob \"bakup\" not found").hint("did you mean \"backup\"?").thin(),
    case("reschedule-next-minute: bad --min-lead", &["reschedule-next-minute", "backup", "-n", "ops",
         "--min-lead", "soon"], 2, "invalid duration \"soon\"").clap(),
    case("reschedule-next-minute: negative --timeout", &["reschedule-next-minute", "backup", "-n",
         "ops", "--wait", "--timeout", "-5m"], 2, "must not be negative").clap(),
    case("reschedule-next-minute: --timeout without --wait", &["reschedule-next-minute", "backup", "-n",
         "ops", "--timeout", "5m"], 2, "--timeout only applies with --wait or -f"),
    case("reschedule-next-minute: --restore with --wait", &["reschedule-next-minute", "backup", "-n",
         "ops", "--restore", "--wait"], 2, "--wait").clap(),
    case("reschedule-next-minute: --restore with nothing saved", &["reschedule-next-minute", "backup",
         "-n", "ops", "--restore"], 1, "backup"),
    case("reschedule-next-minute: viewer may not patch", &["reschedule-next-minute", "backup", "-n",
         "ops", "--context", VIEWER], 1, "forbidden: cannot patch cronjobs.batch in namespace \"ops\""),
    case("reschedule-next-minute: CronJob deleted while waiting", &["reschedule-next-minute", "backup",
         "-n", "ops", "--wait"], 1, "backup").during(During::DeleteCronJob).prints("rescheduled"),
    // ---- prune
    case("prune: bad --older-than unit", &["prune", "-n", "ops", "--older-than", "5x", "--yes"], 2,
         "invalid duration \"5x\"").clap().thin(),
    case("prune: negative --older-than", &["prune", "-n", "ops", "--older-than", "-1h", "--yes"], 2,
         "must not be negative").clap(),
    case("prune: negative --keep-last", &["prune", "-n", "ops", "--keep-last=-1", "--yes"], 2,
         "-1").clap(),
    case("prune: nothing chosen to prune", &["prune", "-n", "ops", "--yes"], 2, "--"),
    case("prune: no --yes without a terminal", &["prune", "-n", "ops", "--succeeded"], 2, "--yes")
        .prints("job.batch/backup-"),
    case("prune: viewer may not delete", &["prune", "-n", "ops", "--succeeded", "--yes", "--context",
         VIEWER], 1, "forbidden: cannot delete jobs.batch in namespace \"ops\""),
    case("prune: viewer, server dry run", &["prune", "-n", "ops", "--succeeded", "--dry-run=server",
         "--context", VIEWER], 1, "forbidden: cannot delete jobs.batch in namespace \"ops\""),
    case("prune: empty scope says so", &["prune", "-n", "santiy", "--succeeded", "--yes"], 0,
         "No resources found in santiy namespace.").notice().prints("nothing matches"),
    case("prune: empty scope, dry run", &["prune", "-n", "santiy", "--succeeded", "--dry-run"], 0,
         "No resources found in santiy namespace.").notice().prints("nothing"),
    case("prune: --keep-last not a number", &["prune", "-n", "ops", "--keep-last", "few", "--yes"], 2,
         "few").clap(),
    case("prune: malformed selector", &["prune", "-n", "ops", "--succeeded", "--yes", "-l", "a!=b!=c"],
         2, "invalid selector"),
    case("prune: -n with -A", &["prune", "-n", "ops", "-A", "--succeeded", "--yes"], 2,
         "cannot be used together"),
    // ---- lastrun, and the connection flags every command shares
    case("lastrun: unknown -o format", &["lastrun", "-A", "-o", "xml"], 2, "xml").clap().thin(),
    case("lastrun: unterminated jsonpath", &["lastrun", "-A", "-o", "jsonpath={.items["], 2,
         "jsonpath").clap(),
    case("lastrun: jsonpath with an unclosed brace", &["lastrun", "-A", "-o", "jsonpath={.items"], 2,
         "jsonpath").clap(),
    case("lastrun: --check on an empty scope fails", &["lastrun", "-n", "santiy", "--check"], 4,
         "--check found no CronJob to check: No resources found in santiy namespace.")
        .hint("--allow-empty").thin(),
    case("lastrun: --check on a selector that matches nothing", &["lastrun", "-A", "-l", "team=nope",
         "--check"], 4, "No resources found").hint("--allow-empty"),
    case("lastrun: empty scope says so", &["lastrun", "-n", "santiy"], 0,
         "No resources found in santiy namespace.").notice(),
    case("lastrun: --check --allow-empty on an empty scope", &["lastrun", "-n", "santiy", "--check",
         "--allow-empty"], 0, "No resources found in santiy namespace.").notice(),
    case("lastrun: --allow-empty without --check", &["lastrun", "-n", "ops", "--allow-empty"], 2,
         "required arguments").clap(),
    case("lastrun: a named CronJob that -l filters out", &["lastrun", "backup", "-n", "ops", "-l",
         "team=nope"], 2, "cronjob \"backup\" exists but does not match -l team=nope"),
    case("lastrun: unknown --fail-on problem", &["lastrun", "-A", "--check", "--fail-on",
         "MISSED,LAET"], 2, "\"LAET\" is not a problem lastrun knows").clap().thin(),
    case("lastrun: --fail-on without --check", &["lastrun", "-A", "--fail-on", "MISSED"], 2,
         "required arguments").clap(),
    case("lastrun: bad --max-late", &["lastrun", "-A", "--max-late", "soon"], 2,
         "invalid duration \"soon\"").clap(),
    case("lastrun: negative --pending-for", &["lastrun", "-A", "--pending-for=-5m"], 2,
         "must not be negative").clap(),
    case("lastrun: --max-late that --fail-on cannot use", &["lastrun", "-n", "ops", "--check",
         "--fail-on", "MISSED", "--max-late", "1m"], 2, "--fail-on names LATE"),
    case("lastrun: --watch with --check", &["lastrun", "-A", "-w", "--check"], 2,
         "cannot be used with").clap(),
    case("lastrun: -n with -A", &["lastrun", "-n", "ops", "-A"], 2, "cannot be used together"),
    case("lastrun: malformed selector", &["lastrun", "-A", "-l", "team in (db"], 2,
         "invalid selector").hint("selectors look like").thin(),
    case("lastrun: selector key not a qualified name", &["lastrun", "-A", "--selector=-bad-=x"], 2,
         "invalid selector"),
    case("lastrun: bad --request-timeout", &["lastrun", "-A", "--request-timeout", "soon"], 2,
         "invalid duration \"soon\"").clap(),
    case("lastrun: negative --request-timeout", &["lastrun", "-A", "--request-timeout", "-1s"], 2,
         "must not be negative").clap(),
    case("lastrun: unknown CronJob", &["lastrun", "bakup", "-n", "ops"], 1, "\"bakup\" not found")
        .hint("did you mean \"backup\"?"),
    case("lastrun: unknown flag", &["lastrun", "--field-selector", "x=y"], 2, "--field-selector")
        .clap(),
    case("lastrun: unknown --context", &["lastrun", "--context", "prod"], 1,
         "context \"prod\" does not exist").hint("kuul-sandbox-viewer").thin(),
    // ---- many clusters (issue 17)
    case("lastrun: --context pattern matching nothing", &["lastrun", "--context", "prod-*"], 1,
         "context \"prod-*\" does not exist").hint("kuul-sandbox-viewer").thin(),
    case("lastrun: unknown name in a --context list", &["lastrun", "--context", "kuul-sandbox,prod"],
         1, "context \"prod\" does not exist").hint("kuul-sandbox-viewer"),
    case("lastrun: --all-contexts with --context", &["lastrun", "--all-contexts", "--context", "x"],
         2, "cannot be used with").clap(),
    case("suspend-all: viewer in every selected context", &["suspend-all", "-n", "ops", "--context",
         "kuul-sandbox-v*"], 1, "forbidden: cannot patch cronjobs.batch").hint("RBAC"),
    case("lastrun: unknown --cluster", &["lastrun", "--cluster", "nowhere"], 1,
         "cluster \"nowhere\" does not exist in the kubeconfig").hint("kuul-sandbox-viewer"),
    case("lastrun: unknown --user", &["lastrun", "--user", "nobody"], 1,
         "user \"nobody\" does not exist in the kubeconfig").hint("admin, viewer").thin(),
    case("lastrun: missing --kubeconfig file", &["lastrun", "--kubeconfig", "{dir}/no-such-config"], 1,
         "no-such-config"),
    case("lastrun: malformed kubeconfig", &["lastrun"], 1, "line 4 column 3").kc(Kc::Malformed).thin(),
    case("lastrun: kubeconfig of the wrong shape", &["lastrun"], 1, "kubeconfig").kc(Kc::WrongShape),
    case("lastrun: no current-context", &["lastrun"], 1, "current-context").kc(Kc::NoCurrentContext),
    case("lastrun: unreachable server", &["lastrun", "--request-timeout", "5s"], 1,
         "cannot reach the API server at http://127.0.0.1:").kc(Kc::ClosedPort).hint("cluster-info"),
    case("lastrun: https to a plain-HTTP server", &["lastrun", "--request-timeout", "5s"], 1,
         "the server did not answer with TLS").kc(Kc::HttpsToPlain).hint("certificate-authority"),
    case("lastrun: wrong token (401)", &["lastrun", "-A"], 1,
         "rejected the credentials (401 Unauthorized)").kc(Kc::TlsWrongToken).hint("log in again")
        .thin(),
    case("lastrun: server certificate from another CA", &["lastrun", "-A"], 1,
         "its certificate is not signed by a certificate authority the kubeconfig trusts")
        .kc(Kc::TlsWrongCa).hint("certificate-authority").thin(),
    case("lastrun: no CA for a private server", &["lastrun", "-A"], 1,
         "TLS with the API server at https://127.0.0.1:").kc(Kc::TlsNoCa),
    case("trigger: server certificate from another CA", &["trigger", "backup", "-n", "ops"], 1,
         "its certificate is not signed").kc(Kc::TlsWrongCa),
    case("suspend-all: wrong token (401)", &["suspend-all", "-n", "ops"], 1, "401")
        .kc(Kc::TlsWrongToken),
    case("prune: unreachable server", &["prune", "-n", "ops", "--succeeded", "--yes",
         "--request-timeout", "5s"], 1, "cannot reach the API server").kc(Kc::ClosedPort),
    // ---- history and logs
    case("history: --limit 0", &["history", "-n", "ops", "--limit", "0"], 2, "--limit"),
    case("history: bad --since", &["history", "-n", "ops", "--since", "soon"], 2, "soon").clap(),
    case("history: --diff with one run", &["history", "backup", "-n", "ops", "--diff", "-1"], 2,
         "--diff").clap(),
    case("history: --diff without one CronJob", &["history", "-n", "ops", "--diff", "-1", "-2"], 2,
         "exactly one CRONJOB"),
    case("history: unknown CronJob", &["history", "nope", "-n", "ops"], 1, "\"nope\" not found"),
    case("logs: no CronJob named", &["logs", "-n", "ops"], 2, "required arguments").clap(),
    case("logs: --run -0", &["logs", "backup", "-n", "ops", "--run", "-0"], 2, "-1 is the newest"),
    case("logs: --failed with --succeeded", &["logs", "backup", "-n", "ops", "--failed",
         "--succeeded"], 2, "--succeeded").clap(),
    case("logs: -A", &["logs", "backup", "-A"], 2, "-A"),
    case("logs: --tail -2", &["logs", "backup", "-n", "ops", "--tail", "-2"], 2, "--tail"),
    case("logs: unknown CronJob", &["logs", "nope", "-n", "ops"], 1, "\"nope\" not found"),
    case("logs: --max-log-requests 0", &["logs", "backup", "-n", "ops", "--max-log-requests", "0"],
         2, "--max-log-requests").clap(),
    // ---- label-pool
    case("label-pool: bad --key", &["label-pool", "--key", "bad key!"], 2, "invalid label key").thin(),
    case("label-pool: pool name not a label value", &["label-pool", "bad pool!", "node-1"], 2,
         "invalid pool name"),
    case("label-pool: pool name too long", &["label-pool",
         "a-pool-name-that-is-much-longer-than-sixty-three-characters-allowed", "node-1"], 2,
         "invalid pool name"),
    case("label-pool: no nodes named", &["label-pool", "internal"], 2, "no nodes given"),
    case("label-pool: unknown node", &["label-pool", "internal", "node-2"], 1, "\"node-2\"")
        .hint("node-1"),
    case("label-pool: malformed node selector", &["label-pool", "internal", "-l", "gpu in ()"], 2,
         "invalid selector").hint("selectors look like"),
    case("label-pool: nodes and -l together", &["label-pool", "internal", "node-1", "-l", "x=y"], 2,
         "not both"),
    case("label-pool: --remove with --overwrite", &["label-pool", "internal", "node-1", "--remove",
         "--overwrite"], 2, "--overwrite").clap(),
    case("label-pool: --dry-run on the listing", &["label-pool", "--list", "--dry-run"], 2,
         "--dry-run"),
    case("label-pool: viewer may not patch nodes", &["label-pool", "internal", "node-1", "--context",
         VIEWER], 1, "forbidden: cannot patch nodes"),
    case("label-pool: --remove without a pool", &["label-pool", "--remove"], 2,
         "--remove takes nodes out of a pool"),
    case("label-pool: moving a node without --overwrite", &["label-pool", "internal", "node-gpu"], 2,
         "--overwrite is false"),
    // ---- cost-report
    case("cost-report: missing price file", &["cost-report", "-A", "--prices", "{dir}/missing.yaml"],
         1, "missing.yaml").thin(),
    case("cost-report: unparsable price file", &["cost-report", "-A", "--prices",
         "{dir}/prices-garbage.yaml"], 2, "bad price file"),
    case("cost-report: negative price in the file", &["cost-report", "-A", "--prices",
         "{dir}/prices-negative.yaml"], 2, "pools.batch.cpu: a price must be a number >= 0"),
    case("cost-report: unknown key in the file", &["cost-report", "-A", "--prices",
         "{dir}/prices-unknown.yaml"], 2, "cpus"),
    case("cost-report: negative --cpu-price", &["cost-report", "-A", "--cpu-price", "-1"], 2,
         "--cpu-price must be a number >= 0"),
    case("cost-report: --memory-price not a number", &["cost-report", "-A", "--memory-price",
         "cheap"], 2, "cheap").clap(),
    case("cost-report: zero --window", &["cost-report", "-A", "--window", "0s"], 2,
         "the window must be longer than 0s").clap(),
    case("cost-report: negative --window", &["cost-report", "-A", "--window", "-7d"], 2,
         "must not be negative").clap(),
    case("cost-report: malformed selector", &["cost-report", "-A", "-l", "=x"], 2,
         "invalid selector").thin(),
    case("cost-report: unknown --by", &["cost-report", "-A", "--by", "team"], 2, "team").clap(),
    case("cost-report: empty scope says so", &["cost-report", "-n", "santiy"], 0,
         "No resources found in santiy namespace.").notice(),
    case("cost-report: bad --pool-key", &["cost-report", "-A", "--pool-key", "no spaces"], 2,
         "invalid --pool-key"),
    // ---- lint
    case("lint: missing file", &["lint", "-f", "{dir}/no-such.yaml"], 1, "no-such.yaml: cannot read")
        .thin(),
    case("lint: not YAML", &["lint", "-f", "{dir}/prices-garbage.yaml"], 1,
         "prices-garbage.yaml:2: not valid YAML or JSON"),
    case("lint: no Kubernetes objects", &["lint", "-f", "{dir}/lint-empty.yaml"], 1,
         "lint-empty.yaml: holds no Kubernetes objects"),
    case("lint: unknown --fail-on", &["lint", "-f", "-", "--fail-on", "loud"], 2,
         "not info, warning, error or never").clap(),
    case("lint: names with -f", &["lint", "backup", "-f", "{dir}/lint-empty.yaml"], 2,
         "CronJob names select objects in the cluster"),
    case("lint: -A with -f", &["lint", "-A", "-f", "{dir}/lint-empty.yaml"], 2,
         "-A and -l select CronJobs in the cluster"),
    case("lint: unknown rule to explain", &["lint", "--explain", "no-tz"], 2, "no rule \"no-tz\""),
    case("lint: bad .kuul-lint.yaml", &["lint", "-f", "{dir}/lint-empty.yaml", "--config",
         "{dir}/prices-unknown.yaml"], 2, "prices-unknown.yaml"),
    case("lint: unknown CronJob", &["lint", "bakup", "-n", "ops"], 1, "\"bakup\" not found"),
    // ---- forecast
    case("forecast: zero --window", &["forecast", "-A", "--window", "0"], 2,
         "the window must be longer than 0s").clap(),
    case("forecast: negative --window", &["forecast", "-A", "--window", "-1h"], 2,
         "must not be negative").clap(),
    case("forecast: --window over 31 days", &["forecast", "-A", "--window", "32d"], 2,
         "at most 31d").clap(),
    case("forecast: --from not a time", &["forecast", "-A", "--from", "tomorrow"], 2,
         "use RFC 3339").clap(),
    case("forecast: unknown --pool", &["forecast", "-A", "--pool", "nope"], 1,
         "pool \"nope\" not found").thin(),
    case("forecast: unknown --autoscaled pool", &["forecast", "-A", "--suggest", "--autoscaled",
         "nope"], 1, "pool \"nope\" not found"),
    case("forecast: --top 0", &["forecast", "-A", "--top", "0"], 2, "--top must be at least 1"),
    // ---- dash
    case("dash: no terminal", &["dash", "-n", "ops"], 2, "dash draws on a terminal").thin(),
    case("dash: -A with -n", &["dash", "-A", "-n", "ops"], 2,
         "--namespace and --all-namespaces cannot be used together"),
    case("dash: unknown flag", &["dash", "--readonly"], 2,
         "unexpected argument '--readonly' found").clap(),
    case("dash: malformed selector", &["dash", "-A", "-l", "team in db"], 2,
         "invalid selector \"team in db\"").hint("selectors look like"),
    case("prune: --cronjob with --orphans", &["prune", "-n", "ops", "--cronjob", "backup",
         "--orphans"], 2, "cannot be used with").clap(),
];

/// A namespace `ops`, two Ready nodes (one already in pool `gpu`), the CronJob `backup` with a
/// finished run, so every command has something to refuse to touch.
fn fixture(sb: &Sandbox) {
    namespace(sb, "ops");
    for (name, labels) in [("node-1", json!({})), ("node-gpu", json!({"kuul.dev/pool": "gpu"}))] {
        ready_node(sb, name, labels, "4", "8Gi");
    }
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": "backup", "namespace": "ops"},
               "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {
                   "metadata": {"annotations": {"sandbox.kuul.dev/duration": "90s"}},
                   "spec": {"restartPolicy": "Never",
                            "containers": [{"name": "main", "image": "busybox",
                                            "resources": {"requests": {"cpu": "100m"}}}]}}}}}}),
    )
    .unwrap();
    sb.advance(jiff::SignedDuration::from_secs(8 * 60));
}

/// Every object's kind, namespace, name and resourceVersion.
fn snapshot(sb: &Sandbox) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for kind in Kind::ALL {
        for object in sb.list(kind, None) {
            let meta = &object["metadata"];
            let key = format!(
                "{kind:?} {}/{}",
                meta["namespace"].as_str().unwrap_or(""),
                meta["name"].as_str().unwrap_or("")
            );
            all.insert(key, meta["resourceVersion"].as_str().unwrap_or("").to_owned());
        }
    }
    all
}

/// The files cases refer to as `{dir}/...`.
fn case_files(dir: &Path) {
    let files = [
        ("prices-garbage.yaml", "cpu: [1, 2\npools: {\n"),
        ("prices-negative.yaml", "pools:\n  batch:\n    cpu: -1\n"),
        ("prices-unknown.yaml", "pools:\n  batch:\n    cpus: 1\n"),
        ("lint-empty.yaml", "# nothing here\n---\n"),
        (
            "wrong-kind.json",
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "takenAt": "2025-03-01T10:00:00Z", "items": []}"#,
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The kubeconfig text for `kc`, from the two sandboxes.
fn kubeconfig_text(kc: Kc, plain: &Sandbox, tls: &Sandbox, closed_port: u16) -> String {
    let tls_config = std::fs::read_to_string(tls.kubeconfig()).unwrap();
    let one = |server: &str, cluster_extra: &str, token: &str| {
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    \
             server: '{server}'\n{cluster_extra}users:\n- name: u\n  user:\n    token: {token}\n\
             contexts:\n- name: c\n  context: {{cluster: c, user: u, namespace: ops}}\n"
        )
    };
    match kc {
        Kc::Sandbox => std::fs::read_to_string(plain.kubeconfig()).unwrap(),
        Kc::Malformed => "apiVersion: v1\nkind: Config\nclusters: [\n  - {name: c\n".into(),
        Kc::WrongShape => "apiVersion: v1\nkind: Config\nclusters: 7\n".into(),
        Kc::NoCurrentContext => std::fs::read_to_string(plain.kubeconfig())
            .unwrap()
            .replace("current-context: kuul-sandbox\n", ""),
        Kc::ClosedPort => one(&format!("http://127.0.0.1:{closed_port}"), "", "t"),
        Kc::HttpsToPlain => {
            one(&plain.url().replace("http://", "https://"), "", &plain.tokens().admin)
        }
        Kc::TlsWrongToken => tls_config.replace(&tls.tokens().admin, "kuul-admin-expired"),
        Kc::TlsWrongCa => {
            let other = kuul_sandbox::tls::generate().unwrap();
            kuul_sandbox::kubeconfig::render(tls.url(), tls.tokens(), Some(&other.ca_pem))
        }
        Kc::TlsNoCa => one(tls.url(), "", &tls.tokens().admin),
    }
}

/// A port nothing listens on: bind, note the port, close.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn command(
    program: &Path,
    kubeconfig: &Path,
    home: &Path,
    args: &[String],
) -> std::process::Command {
    let mut cmd = clean_command(program, kubeconfig, home);
    cmd.args(args);
    cmd
}

fn finish(child: Child) -> Run {
    let output = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// Runs a "deleted mid-run" case on its own sandbox: start, let it reach its wait, delete the
/// CronJob, step the clock until the command exits.
fn run_with_deletion(args: &[String]) -> (Run, Sandbox) {
    let sb = sandbox();
    fixture(&sb);
    let home = tempfile::tempdir().unwrap();
    let mut child = command(&kuul_bin(), sb.kubeconfig(), home.path(), args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded, in real time only for the process to get going) until the command has
    // written: a Job of its own, or our annotations on the CronJob.
    let started = std::time::Instant::now();
    let before = snapshot(&sb);
    while snapshot(&sb) == before && started.elapsed() < Duration::from_secs(20) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    sb.store().delete(Kind::CronJob, Some("ops"), "backup", Propagation::Background).unwrap();
    sb.settle();
    // Bounded in wall time, generously: a loaded CI machine may be slow to let the process see
    // the deletion, and the clock may safely run far ahead meanwhile.
    let deleted = std::time::Instant::now();
    while deleted.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        sb.advance(jiff::SignedDuration::from_secs(5));
        std::thread::sleep(Duration::from_millis(25));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    (finish(child), sb)
}

/// Checks one run against its case; returns what is wrong.
fn check(case: &Case, run: &Run, which: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut fail = |what: String| wrong.push(format!("{} [{which}]: {what}", case.name));
    if run.code != case.code {
        fail(format!("exit {} (expected {})\nstderr: {}", run.code, case.code, run.stderr));
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if run.stderr.contains(bad) || run.stdout.contains(bad) {
            fail(format!("output mentions {bad:?}"));
        }
    }
    match case.prints {
        Some(text) if !run.stdout.contains(text) => {
            fail(format!("stdout lacks {text:?}: {:?}", run.stdout));
        }
        None if !run.stdout.trim().is_empty() => {
            fail(format!("stdout is not empty: {:?}", run.stdout));
        }
        _ => {}
    }
    if case.shape == Shape::Notice {
        let lines: Vec<&str> = run.stderr.lines().collect();
        if !lines.contains(&case.says) || lines.iter().any(|l| l.starts_with("error:")) {
            fail(format!("expected the stderr line {:?}, no error:\n{}", case.says, run.stderr));
        }
        return wrong;
    }
    let lines: Vec<&str> = run.stderr.lines().collect();
    let errors = lines.iter().filter(|l| l.starts_with("error:")).count();
    if errors != 1 || !lines.first().is_some_and(|l| l.starts_with("error:")) {
        fail(format!("stderr must start with the one error: line:\n{}", run.stderr));
    }
    let first = lines.first().copied().unwrap_or("");
    if !first.contains(case.says) {
        fail(format!("the error line lacks {:?}: {first:?}", case.says));
    }
    // An empty interpolation ("at  rejected", `""`) reads as a broken message.
    if first.contains("  ") || first.contains("\"\"") {
        fail(format!("the error line has an empty part: {first:?}"));
    }
    match case.shape {
        Shape::Ours | Shape::Hint(_) => {
            let hint_ok = match &lines[lines.len().min(1)..] {
                [] => !matches!(case.shape, Shape::Hint(_)),
                [hint] => {
                    hint.starts_with("hint: ")
                        && match case.shape {
                            Shape::Hint(text) => hint.contains(text),
                            _ => true,
                        }
                }
                _ => false,
            };
            if !hint_ok {
                fail(format!("expected `error:` and at most one `hint:` line:\n{}", run.stderr));
            }
        }
        Shape::Clap => {
            if !run.stderr.contains("For more information, try '--help'.") {
                fail(format!("not clap's usage shape:\n{}", run.stderr));
            }
        }
        Shape::Notice => {}
    }
    wrong
}

/// The two sandboxes, the case files and a closed port, shared by the cases that cannot
/// change a cluster.
struct World {
    plain: Sandbox,
    tls: Sandbox,
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
    port: u16,
}

impl World {
    fn new() -> World {
        let plain = sandbox();
        fixture(&plain);
        let tls = Sandbox::builder()
            .clock(T0.parse().unwrap())
            .tls(true)
            .start()
            .expect("the TLS sandbox starts");
        fixture(&tls);
        let dir = tempfile::tempdir().unwrap();
        case_files(dir.path());
        World { plain, tls, dir, home: tempfile::tempdir().unwrap(), port: closed_port() }
    }

    /// Runs one case (through the thin binary too when it says so); returns what is wrong.
    fn run(&self, case: &Case) -> Vec<String> {
        let dir = self.dir.path().display().to_string();
        let args: Vec<String> = case.args.iter().map(|a| a.replace("{dir}", &dir)).collect();
        if case.during == During::DeleteCronJob {
            let (run, sb) = run_with_deletion(&args);
            let mut wrong = check(case, &run, "umbrella");
            // Deleted means deleted: nothing may bring the CronJob back (an apply patch on a
            // missing object would create it).
            if sb.get(Kind::CronJob, Some("ops"), "backup").is_some() {
                wrong.push(format!("{}: the deleted CronJob is back", case.name));
            }
            return wrong;
        }
        let kubeconfig: PathBuf = self.dir.path().join(format!("kubeconfig-{:?}", case.kc));
        let text = kubeconfig_text(case.kc, &self.plain, &self.tls, self.port);
        std::fs::write(&kubeconfig, text).unwrap();
        let (before, before_tls) = (snapshot(&self.plain), snapshot(&self.tls));
        let mut programs = vec![("umbrella", kuul_bin(), args.clone())];
        if case.thin {
            programs.push(("thin", thin_bin(case.args[0]), args[1..].to_vec()));
        }
        let mut wrong = Vec::new();
        let mut runs = Vec::new();
        for (which, program, argv) in programs {
            let output = command(&program, &kubeconfig, self.home.path(), &argv).output().unwrap();
            let run = Run {
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
                code: output.status.code().unwrap_or(-1),
            };
            if std::env::var_os("KUUL_SHOW_BAD_INPUT").is_some() {
                eprintln!(
                    "--- {} [{which}] exit {}\n{}{}",
                    case.name, run.code, run.stderr, run.stdout
                );
            }
            wrong.extend(check(case, &run, which));
            runs.push(run);
        }
        if let [umbrella, thin] = runs.as_slice()
            && (umbrella.stderr.lines().next() != thin.stderr.lines().next()
                || umbrella.code != thin.code)
        {
            wrong.push(format!("{}: the thin binary answers differently", case.name));
        }
        if snapshot(&self.plain) != before || snapshot(&self.tls) != before_tls {
            wrong.push(format!("{}: the cluster changed", case.name));
        }
        wrong
    }
}

#[test]
fn every_bad_input_fails_with_one_clear_line_and_changes_nothing() {
    assert!(CASES.len() >= 45, "the catalogue has {} cases", CASES.len());
    for sub in kuul_core::cli::SUBCOMMANDS {
        let n = CASES.iter().filter(|c| c.args.first() == Some(&sub)).count();
        assert!(n >= 4, "only {n} cases for {sub}");
    }
    let world = World::new();
    let wrong: Vec<String> = CASES.iter().flat_map(|case| world.run(case)).collect();
    assert!(wrong.is_empty(), "{} problems:\n{}", wrong.len(), wrong.join("\n"));
}
