//! Property tests for every parser of user input in kuul-core: no input makes one panic
//! (hardening issue: "no input makes it panic"), and round trips hold where they exist.
//!
//! Covered: durations (`--older-than`, `--timeout`, `--min-lead`, `--window`), `--request-timeout`
//! and every other value flag through clap itself, label selectors and label keys/values,
//! `-o` formats and jsonpath templates, resource quantities, `cost-report --prices` files,
//! `trigger --env KEY=VALUE`, `label-pool --key`/POOL, `resume --from` snapshot files, and the
//! "did you mean" name matcher. Schedules are the `kuul-schedule` crate's own proptests.
//!
//! CI-sized by default (2000 cases a property, 400 for whole command lines); a longer run:
//! `PROPTEST_CASES=100000 cargo test -p kuul-core parsers_proptest` (the variable proptest
//! itself reads, honoured here although the defaults are set in code).

use clap::Parser;
use proptest::prelude::*;
use serde_json::json;

use crate::cli::Cli;
use crate::cluster::lookup::nearest;
use crate::cluster::selector::{check_key, check_value, validate_label_selector};
use crate::commands::cost_report::prices::{Prices, check_flag};
use crate::commands::cost_report::{
    DEFAULT_CPU_PRICE, DEFAULT_GPU_PRICE, DEFAULT_MEMORY_PRICE, Rates,
};
use crate::commands::label_pool::writes::check_label;
use crate::commands::suspend_all::snapshot::Snapshot;
use crate::commands::trigger::EnvOverride;
use crate::duration;
use crate::error::ExitStatus;
use crate::output::{OutputFormat, Template};
use crate::quantity;

/// `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

const FLAGS: Rates =
    Rates { cpu: DEFAULT_CPU_PRICE, memory: DEFAULT_MEMORY_PRICE, gpu: DEFAULT_GPU_PRICE };

/// Text made of the characters YAML and JSON give meaning to, so the price-file parser sees
/// nested maps, lists, flows, anchors, tags and numbers, not only plain words.
const YAML_ALPHABET: &str = "[a-zA-Z0-9 :{}\\[\\],\\-.#&*!|>'\"\n\t?%@`~_+eE]{0,80}";

/// Fragments of a price file, some valid, some not, glued together at random.
fn price_file_fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "cpu: 0.5\n",
        "memory: 1e-3\n",
        "gpu: -1\n",
        "node: 3\n",
        "pools:\n",
        "  batch:\n",
        "    cpu: 0.02\n",
        "    node: .inf\n",
        "    memory: .nan\n",
        "    cpus: 1\n",
        "instanceTypes:\n",
        "  m5.large: {cpu: 1, gpu: 2}\n",
        "  x: [1, 2]\n",
        "{\"cpu\": 1, \"pools\": {\"a\": {\"node\": -2}}}\n",
        "cpu: cheap\n",
        "&a cpu: *a\n",
        "---\n",
        "cpu: !!str 1\n",
        "pools: ~\n",
        "cpu: 99999999999999999999999999999999999999999999\n",
        "\t\n",
        "- 1\n",
    ])
    .prop_map(str::to_owned)
}

/// A Kubernetes environment variable name (`IsEnvVarName`): `[-._a-zA-Z][-._a-zA-Z0-9]*`, not
/// starting with `..`.
fn env_name() -> impl Strategy<Value = String> {
    "[a-zA-Z_][-._a-zA-Z0-9]{0,20}"
}

/// A value every label accepts: alphanumeric ends, `-_.` inside, at most 63 characters.
fn label_value() -> impl Strategy<Value = String> {
    "[a-z0-9]([-_.a-zA-Z0-9]{0,61}[a-z0-9])?"
}

/// The value flags of every subcommand, with the subcommand that takes each. Global flags go
/// with `lastrun`.
const VALUE_FLAGS: &[(&str, &str)] = &[
    ("lastrun", "--request-timeout"),
    ("lastrun", "-o"),
    ("lastrun", "-l"),
    ("lastrun", "-n"),
    ("lastrun", "--context"),
    ("trigger", "--timeout"),
    ("trigger", "--env"),
    ("trigger", "--name"),
    ("prune", "--older-than"),
    ("prune", "--keep-last"),
    ("prune", "--concurrency"),
    ("prune", "--timeout"),
    ("reschedule-next-minute", "--min-lead"),
    ("reschedule-next-minute", "--timeout"),
    ("cost-report", "--window"),
    ("cost-report", "--cpu-price"),
    ("cost-report", "--memory-price"),
    ("cost-report", "--gpu-price"),
    ("cost-report", "--by"),
    ("label-pool", "--key"),
    ("suspend-all", "--concurrency"),
    ("suspend-all", "--reason"),
    ("resume", "--concurrency"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn durations_never_panic(text in "\\PC{0,24}") {
        let _ = duration::parse(&text);
    }

    #[test]
    fn duration_like_text_never_panics(text in "[-+0-9.eEnsuµμmhd]{0,20}") {
        if let Ok(d) = duration::parse(&text) {
            // Whatever parses is a real, bounded span (Go's limit is ~292 years).
            prop_assert!(d.as_secs() < 300 * 366 * 86_400);
        }
    }

    #[test]
    fn go_style_durations_parse_to_their_seconds(h in 0u64..1000, m in 0u64..60, s in 0u64..60) {
        let text = format!("{h}h{m}m{s}s");
        prop_assert_eq!(duration::parse(&text).unwrap().as_secs(), h * 3600 + m * 60 + s);
    }

    #[test]
    fn human_durations_never_panic(seconds in any::<i64>()) {
        let _ = duration::human(seconds);
    }

    #[test]
    fn selectors_never_panic(text in "[a-z=!(), /.\\-_0-9A-Z<>]{0,40}") {
        let _ = validate_label_selector(&text);
    }

    #[test]
    fn unicode_selectors_never_panic(text in "\\PC{0,40}") {
        let _ = validate_label_selector(&text);
        let _ = check_key(&text);
        let _ = check_value(&text);
    }

    #[test]
    fn selectors_built_from_valid_parts_are_accepted(
        key in "[a-z][a-z0-9]{0,10}",
        value in label_value(),
        op in prop::sample::select(vec!["=", "==", "!="]),
    ) {
        let selector = format!("{key}{op}{value},!other,{key} in ({value},x)");
        prop_assert!(validate_label_selector(&selector).is_ok(), "{}", selector);
    }

    #[test]
    fn output_formats_and_templates_never_panic(text in "\\PC{0,40}") {
        let _ = text.parse::<OutputFormat>();
        if let Ok(template) = Template::parse(&text) {
            let _ = template.render(&json!({"items": [{"name": "a", "n": 1}], "x": {"y": null}}));
        }
    }

    #[test]
    fn bracey_templates_never_panic(text in "[{}.\\[\\]*?@=\"a-z0-9 ()$]{0,30}") {
        if let Ok(template) = Template::parse(&text) {
            let _ = template.render(&json!({"items": [{"name": "a"}, {"name": "b"}]}));
        }
    }

    #[test]
    fn quantities_never_panic_and_stay_finite(text in "\\PC{0,24}") {
        if let Ok(value) = quantity::parse(&text) {
            prop_assert!(value.is_finite(), "{} -> {}", text, value);
        }
    }

    #[test]
    fn quantity_like_text_never_panics_and_stays_finite(
        text in "[-+]?[0-9.]{0,12}[eEinumkKMGTP]{0,3}[-+]?[0-9]{0,6}",
    ) {
        if let Ok(value) = quantity::parse(&text) {
            prop_assert!(value.is_finite(), "{} -> {}", text, value);
        }
    }

    #[test]
    fn quantities_scale_by_their_suffix(
        n in 0u32..100_000,
        (suffix, scale) in prop::sample::select(vec![
            ("", 1.0), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9),
            ("Ki", 1024.0), ("Mi", 1_048_576.0), ("Gi", 1_073_741_824.0),
        ]),
    ) {
        let parsed = quantity::parse(&format!("{n}{suffix}")).unwrap();
        let expected = f64::from(n) * scale;
        prop_assert!((parsed - expected).abs() <= expected.abs() * 1e-12, "{} vs {}", parsed, expected);
    }

    #[test]
    fn price_files_never_panic(text in YAML_ALPHABET) {
        let _ = Prices::from_file_text("p.yaml", &text, FLAGS);
    }

    #[test]
    fn price_files_from_fragments_never_panic_and_fail_as_usage(
        parts in prop::collection::vec(price_file_fragment(), 0..6),
    ) {
        let text = parts.concat();
        if let Err(err) = Prices::from_file_text("p.yaml", &text, FLAGS) {
            // A bad price file is the user's input: exit 2, one line naming the file.
            prop_assert_eq!(err.exit_status(), ExitStatus::Usage);
            let message = err.to_string();
            prop_assert!(message.starts_with("bad price file p.yaml: "), "{}", message);
            prop_assert!(!message.contains('\n'), "{}", message);
        }
    }

    #[test]
    fn price_files_with_valid_prices_round_trip(
        cpu in 0.0f64..1e6,
        pool in label_value(),
        pool_cpu in 0.0f64..1e6,
        memory in 0.0f64..1e3,
    ) {
        let text = format!("cpu: {cpu:?}\npools:\n  \"{pool}\":\n    cpu: {pool_cpu:?}\n    memory: {memory:?}\n");
        let prices = Prices::from_file_text("p.yaml", &text, FLAGS).unwrap();
        prop_assert_eq!(prices.defaults.cpu, cpu);
        let rates = prices.for_node(None, Some(&pool)).rates;
        prop_assert_eq!(rates.cpu, pool_cpu);
        prop_assert_eq!(rates.memory, memory);
        prop_assert_eq!(rates.gpu, DEFAULT_GPU_PRICE);
    }

    #[test]
    fn negative_or_non_finite_prices_are_refused(
        price in prop_oneof![(-1e9f64..-1e-9), Just(f64::NAN), Just(f64::INFINITY)],
    ) {
        prop_assert!(check_flag("--cpu-price", price).is_err());
        let text = format!("pools:\n  a:\n    node: {price:?}\n").replace("NaN", ".nan").replace("inf", ".inf");
        let err = Prices::from_file_text("p.yaml", &text, FLAGS).unwrap_err().to_string();
        prop_assert!(err.contains("pools.a.node"), "{}", err);
    }

    #[test]
    fn env_overrides_never_panic(text in "\\PC{0,30}") {
        let _ = text.parse::<EnvOverride>();
    }

    #[test]
    fn env_overrides_keep_key_and_whole_value(key in env_name(), value in "\\PC{0,30}") {
        prop_assume!(!key.starts_with(".."));
        let parsed: EnvOverride = format!("{key}={value}").parse().unwrap();
        prop_assert_eq!(parsed.key, key);
        prop_assert_eq!(parsed.value, value);
    }

    #[test]
    fn pool_labels_never_panic(key in "\\PC{0,40}", pool in "\\PC{0,70}") {
        let _ = check_label(&key, &pool);
    }

    #[test]
    fn valid_pool_names_are_accepted(
        prefix in "([a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?\\.)?[a-z]{1,8}",
        name in label_value(),
        pool in label_value(),
    ) {
        let key = format!("{prefix}/{name}");
        prop_assert!(check_label(&key, &pool).is_ok(), "{} {}", key, pool);
        prop_assert!(check_label(&key, "").is_err());
        let slashed = format!("{pool}/x");
        prop_assert!(check_label(&key, &slashed).is_err());
    }

    #[test]
    fn did_you_mean_never_panics(name in "\\PC{0,20}", existing in prop::collection::vec("\\PC{0,20}", 0..8)) {
        let borrowed: Vec<&str> = existing.iter().map(String::as_str).collect();
        let suggestions = nearest(&name, &borrowed);
        prop_assert!(suggestions.len() <= 3);
        prop_assert!(suggestions.iter().all(|s| existing.contains(s)));
    }

    #[test]
    fn snapshot_files_never_panic(text in "[{}\\[\\]\":,a-zA-Z0-9 .\\-/\n]{0,120}") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, &text).unwrap();
        if let Err(err) = Snapshot::read(&path) {
            prop_assert_eq!(err.exit_status(), ExitStatus::Usage);
        }
    }
}

proptest! {
    // Each case builds clap's whole command tree: fewer cases, same reach.
    #![proptest_config(ProptestConfig::with_cases(cases(400)))]

    /// Every value flag, given any text, through clap's own parsing and our value parsers
    /// (`--request-timeout`, `--concurrency`, `--window`, prices, `--dry-run=`...).
    #[test]
    fn the_command_line_never_panics(
        (subcommand, flag) in prop::sample::select(VALUE_FLAGS.to_vec()),
        value in "\\PC{0,20}",
        dry_run in "\\PC{0,8}",
    ) {
        let _ = Cli::try_parse_from(["kubectl-kuul", subcommand, flag, value.as_str()]);
        let equals = format!("{flag}={value}");
        let _ = Cli::try_parse_from(["kubectl-kuul", subcommand, equals.as_str()]);
        let dry = format!("--dry-run={dry_run}");
        let _ = Cli::try_parse_from(["kubectl-kuul", "suspend-all", dry.as_str()]);
    }

    #[test]
    fn arbitrary_argv_never_panics(args in prop::collection::vec("\\PC{0,12}", 0..6)) {
        let argv: Vec<&str> = std::iter::once("kubectl-kuul").chain(args.iter().map(String::as_str)).collect();
        let _ = Cli::try_parse_from(argv);
    }
}
