//! Every command against the whole hostile fleet at once (issue 17, "Checked by"): three
//! clusters with runs (`crate::history::cluster_with_history`), one of them slow (injected
//! latency) and one behind injected 500s, 429s and dropped connections, plus a closed port and a
//! wrong token. Each command: the three working clusters answer (or are changed), the two broken
//! ones get exactly one `error: context X:` line each, and the exit status says partial (3).
//! Commands that cannot fan out say so in one line.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use kuul_sandbox::FaultConfig;

use crate::support::*;

/// a (context namespace ops), b slow (150 ms a request), e with faults; c a closed port, d a's
/// server with a wrong token. Every working context's namespace is `ops`.
struct Hostile {
    a: Sandbox,
    b: Sandbox,
    e: Sandbox,
    _dir: tempfile::TempDir,
    kubeconfig: std::path::PathBuf,
}

fn hostile() -> Hostile {
    let a = crate::history::cluster_with_history();
    let b = crate::history::cluster_with_history();
    let e = crate::history::cluster_with_history();
    b.set_latency(Duration::from_millis(150));
    e.set_faults(FaultConfig {
        seed: 17,
        error_rate: 0.15,
        throttle_rate: 0.1,
        drop_rate: 0.03,
        retry_after_seconds: 0,
        ..FaultConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[
            ("a", Cluster::Up(&a, "ops")),
            ("b", Cluster::Up(&b, "ops")),
            ("c", Cluster::Closed),
            ("d", Cluster::WrongToken(&a)),
            ("e", Cluster::Up(&e, "ops")),
        ],
    );
    Hostile { a, b, e, _dir: dir, kubeconfig }
}

fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

/// The contexts named by `error: context X:` lines, in order.
fn failed_contexts(run: &Run) -> Vec<String> {
    error_lines(run)
        .iter()
        .filter_map(|l| l.strip_prefix("error: context "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_owned)
        .collect()
}

/// Runs `args --all-contexts`: partial (3), exactly c and d named, each once (e, behind faults,
/// is retried and answers like the others).
fn partial(f: &Hostile, args: &[&str]) -> Run {
    partial_with(f, args, 3)
}

/// [`partial`] for a command whose own worst status is `code` (`lint` finding problems: 4, which
/// outranks partial).
fn partial_with(f: &Hostile, args: &[&str], code: i32) -> Run {
    let mut line = args.to_vec();
    line.push("--all-contexts");
    let run = kuul_with(&f.kubeconfig, &line);
    assert_eq!(failed_contexts(&run), ["c", "d"], "{args:?}:\n{}\n{}", run.stdout, run.stderr);
    assert!(
        error_lines(&run)[0].starts_with("error: context c: cannot reach"),
        "{args:?}: {}",
        run.stderr
    );
    assert!(error_lines(&run)[1].contains("401"), "{args:?}: {}", run.stderr);
    run.expect_code(code)
}

/// Rows of a merged table (after the header) that start with context `c`.
fn rows_of<'a>(stdout: &'a str, c: &str) -> Vec<&'a str> {
    stdout.lines().skip(1).filter(|l| l.split_whitespace().next() == Some(c)).collect()
}

#[test]
fn every_read_answers_from_each_working_cluster_and_names_each_broken_one() {
    let f = hostile();
    for args in
        [&["lastrun"][..], &["history", "app"], &["cost-report", "-A"], &["label-pool"], &["lint"]]
    {
        let code = if args[0] == "lint" { 4 } else { 3 };
        let run = partial_with(&f, args, code);
        assert!(run.stdout.starts_with("CONTEXT "), "{args:?}: {}", run.stdout);
        let counts: Vec<usize> =
            ["a", "b", "e"].iter().map(|c| rows_of(&run.stdout, c).len()).collect();
        assert!(counts[0] > 0, "{args:?}: {}", run.stdout);
        // The same fixture everywhere: the same rows in each working cluster.
        assert_eq!(counts, [counts[0]; 3], "{args:?}: {}", run.stdout);
        assert!(rows_of(&run.stdout, "c").is_empty() && rows_of(&run.stdout, "d").is_empty());

        // JSON: items of a, b and e, every context listed, c and d with their error.
        let mut json_args = args.to_vec();
        json_args.extend(["-o", "json"]);
        let doc = partial_with(&f, &json_args, code).json();
        let contexts: Vec<(&str, bool)> = doc["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["name"].as_str().unwrap(), c["error"].is_string()))
            .collect();
        assert_eq!(
            contexts,
            [("a", false), ("b", false), ("c", true), ("d", true), ("e", false)],
            "{args:?}: {doc:#}"
        );
        if let Some(items) = doc["items"].as_array().filter(|i| !i.is_empty()) {
            let mut seen: Vec<&str> =
                items.iter().map(|i| i["context"].as_str().unwrap()).collect();
            seen.dedup();
            assert_eq!(seen, ["a", "b", "e"], "{args:?}: {doc:#}");
        }
    }
    let logs = partial(&f, &["logs", "app", "--succeeded"]);
    for c in ["a", "b", "e"] {
        assert!(logs.stdout.contains(&format!("[{c}] starting app:1.4")), "{}", logs.stdout);
    }
    assert!(!logs.stdout.contains("[c]") && !logs.stdout.contains("[d]"), "{}", logs.stdout);

    // forecast's table covers each working cluster's CronJobs.
    let forecast = partial(&f, &["forecast", "-o", "json"]).json();
    let contexts: Vec<&str> =
        doc_contexts(&forecast).into_iter().filter(|(_, err)| !err).map(|(c, _)| c).collect();
    assert_eq!(contexts, ["a", "b", "e"], "{forecast:#}");
    assert!(f.e.faults_injected() > 0, "the faulty cluster was not exercised");
}

fn doc_contexts(doc: &Value) -> Vec<(&str, bool)> {
    doc["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["error"].is_string()))
        .collect()
}

/// `namespace/name` -> `.spec.suspend` of `sb`'s CronJobs.
fn suspended(sb: &Sandbox) -> BTreeMap<String, bool> {
    sb.list(Kind::CronJob, None)
        .into_iter()
        .map(|cj| {
            (
                cj["metadata"]["name"].as_str().unwrap().to_owned(),
                cj["spec"]["suspend"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// Runs a write over every context until the faulty cluster is done too: the first run is
/// partial with c and d named (and e named only if a write of it failed); re-running the same
/// command only where it failed finishes it ("re-running finishes it"), within a few runs.
fn write_everywhere(f: &Hostile, args: &[&str], done_in_e: impl Fn(&Sandbox) -> bool) -> Run {
    let mut line = args.to_vec();
    line.push("--all-contexts");
    let run = kuul_with(&f.kubeconfig, &line);
    let failed = failed_contexts(&run);
    assert!(
        failed == ["c", "d"] || failed == ["c", "d", "e"],
        "{args:?}:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    let run = run.expect_code(3);
    if failed.len() == 3 {
        let mut again = args.to_vec();
        again.extend(["--context", "e"]);
        for _ in 0..5 {
            if done_in_e(&f.e) {
                break;
            }
            let _ = kuul_with(&f.kubeconfig, &again);
        }
    }
    assert!(done_in_e(&f.e), "{args:?}: e never finished:\n{}\n{}", run.stdout, run.stderr);
    run
}

#[test]
fn every_write_plans_everywhere_changes_each_working_cluster_and_names_each_broken_one() {
    let f = hostile();
    let all = |sb: &Sandbox| suspended(sb).values().all(|s| *s);
    let before = suspended(&f.a);
    // (`oom` is suspended already: resume must leave it so.)
    assert!(before.values().any(|s| *s) && before.values().any(|s| !*s), "{before:?}");
    let restored = |sb: &Sandbox| suspended(sb) == before;

    // Dry runs change nothing anywhere, and say "would".
    for args in [
        &["suspend-all", "--dry-run"][..],
        &["prune", "--succeeded", "--dry-run"],
        &["trigger", "app", "--dry-run"],
        &["reschedule-next-minute", "app", "--dry-run"],
        &["label-pool", "batch", "node-1", "--dry-run"],
    ] {
        let run = partial(&f, args);
        assert!(
            run.stdout.contains("would") || run.stderr.contains("would"),
            "{args:?}: {}",
            run.stdout
        );
    }
    for sb in [&f.a, &f.b, &f.e] {
        assert_eq!(suspended(sb), before);
    }

    let run = write_everywhere(&f, &["suspend-all"], all);
    assert!(all(&f.a) && all(&f.b), "{}", run.stdout);
    assert!(run.stdout.contains("suspend-all, total over "), "{}", run.stdout);
    assert!(run.stdout.contains("context(s) failed: c, d"), "{}", run.stdout);
    write_everywhere(&f, &["resume"], restored);
    for sb in [&f.a, &f.b, &f.e] {
        assert_eq!(suspended(sb), before);
    }

    let jobs = |sb: &Sandbox| sb.list(Kind::Job, Some("ops")).len();
    let counts = (jobs(&f.a), jobs(&f.b), jobs(&f.e));
    let e_jobs = counts.2;
    write_everywhere(&f, &["trigger", "app"], |e| jobs(e) > e_jobs);
    assert_eq!((jobs(&f.a), jobs(&f.b)), (counts.0 + 1, counts.1 + 1));

    let e_jobs = jobs(&f.e);
    write_everywhere(&f, &["prune", "--succeeded", "--yes"], |e| jobs(e) < e_jobs);
    assert!(jobs(&f.a) < counts.0 + 1 && jobs(&f.b) < counts.1 + 1);

    let schedule = |sb: &Sandbox| {
        let cj = sb.get(Kind::CronJob, Some("ops"), "app").unwrap();
        cj["spec"]["schedule"].as_str().unwrap().to_owned()
    };
    let original = schedule(&f.a);
    write_everywhere(&f, &["reschedule-next-minute", "app"], |e| schedule(e) != original);
    assert!(schedule(&f.a) != original && schedule(&f.b) != original);
    write_everywhere(&f, &["reschedule-next-minute", "app", "--restore"], |e| {
        schedule(e) == original
    });
    assert_eq!((schedule(&f.a), schedule(&f.b)), (original.clone(), original));

    let pool = |sb: &Sandbox| {
        let node = sb.get(Kind::Node, None, "node-1").unwrap();
        node["metadata"]["labels"]["kuul.dev/pool"].as_str().unwrap_or("").to_owned()
    };
    write_everywhere(&f, &["label-pool", "batch", "node-1"], |e| pool(e) == "batch");
    assert_eq!((pool(&f.a), pool(&f.b)), ("batch".to_owned(), "batch".to_owned()));
    // The listing (a read): the pool of each working cluster, one table.
    let listed = partial(&f, &["label-pool"]);
    assert!(listed.stdout.starts_with("CONTEXT   POOL"), "{}", listed.stdout);
    for c in ["a", "b", "e"] {
        assert!(
            rows_of(&listed.stdout, c).iter().any(|r| r.split_whitespace().nth(1) == Some("batch")),
            "{}",
            listed.stdout
        );
    }
    let doc = partial(&f, &["label-pool", "-o", "json"]).json();
    assert_eq!(
        doc_contexts(&doc),
        [("a", false), ("b", false), ("c", true), ("d", true), ("e", false)],
        "{doc:#}"
    );
}

#[test]
fn commands_that_draw_or_watch_on_one_terminal_refuse_several_contexts_in_one_line() {
    let f = hostile();
    for args in [&["dash", "--all-contexts"][..], &["lastrun", "--watch", "--context", "a,b"]] {
        let run = kuul_with(&f.kubeconfig, args).expect_code(2);
        assert_eq!(error_lines(&run).len(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("one context"), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    drop((f.a, f.b));
}

#[test]
fn context_patterns_select_by_glob_and_completion_lists_context_names() {
    let f = hostile();
    // `?` is any one context name here: all five, the broken two named.
    partial(&f, &["lastrun"]);
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "[ab]"]);
    // Brackets are not a pattern: a context of that name does not exist.
    assert_eq!(
        run.expect_code(1).stderr.lines().next().unwrap(),
        "error: context \"[ab]\" does not exist in the kubeconfig"
    );
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "?", "--context", "e"]);
    assert_eq!(failed_contexts(&run), ["c", "d"], "{}", run.stderr);
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "a,e*", "-o", "json"]);
    let doc = run.expect_code(0).json();
    assert_eq!(doc_contexts(&doc), [("a", false), ("e", false)]);
    // The kuul completion entry offers every context name for --context; a list goes on with
    // the names not in it yet.
    let offered = |words: &[&str]| -> Vec<String> {
        let run = kuul_with(&f.kubeconfig, &[&["__complete", "--"][..], words].concat());
        run.stdout
            .lines()
            .filter(|l| !l.starts_with(':'))
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(offered(&["lastrun", "--context", ""]), ["a", "b", "c", "d", "e"]);
    assert_eq!(offered(&["suspend-all", "--context", "b,"]), ["b,a", "b,c", "b,d", "b,e"]);
}
