//! Property tests: the parser never panics, `next` always moves forward, and `previous`
//! finds every run `next` produces.

// Helpers outside #[test] fns panic on broken fixtures, which is what a test should do.
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use kuul_schedule::Schedule;
use proptest::prelude::*;

const ZONES: [&str; 6] = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
];

/// One element of a cron field whose values are `lo..=hi`: mostly valid (so most specs
/// parse), with names, ranges, steps and the odd out-of-range value.
fn element(lo: u32, hi: u32, names: &'static [&'static str]) -> impl Strategy<Value = String> {
    let number = prop_oneof![30 => lo..=hi, 1 => 0..=hi + 2].prop_map(|n| n.to_string());
    let range = (lo..=hi, lo..=hi).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b)));
    let name: BoxedStrategy<String> = if names.is_empty() {
        Just("*".to_owned()).boxed()
    } else {
        prop::sample::select(names.to_vec()).prop_map(str::to_owned).boxed()
    };
    let base = prop_oneof![
        2 => Just("*".to_owned()),
        1 => Just("?".to_owned()),
        4 => number,
        2 => range,
        2 => name,
    ];
    (base, prop::option::weighted(0.3, 1..=hi + 1)).prop_map(|(e, step)| match step {
        Some(step) => format!("{e}/{step}"),
        None => e,
    })
}

fn field(lo: u32, hi: u32, names: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(element(lo, hi, names), 1..3).prop_map(|v| v.join(","))
}

fn spec() -> impl Strategy<Value = String> {
    (
        field(0, 59, &[]),
        field(0, 23, &[]),
        field(1, 31, &[]),
        field(1, 12, &["jan", "Mar", "DEC"]),
        field(0, 6, &["sun", "MON", "Fri"]),
        prop::sample::select(ZONES.to_vec()),
    )
        .prop_map(|(mi, h, dom, mo, dow, zone)| format!("TZ={zone} {mi} {h} {dom} {mo} {dow}"))
}

/// 2020..2030, with sub-second parts.
fn instant() -> impl Strategy<Value = Timestamp> {
    (1_577_836_800i64..1_893_456_000, 0i32..1_000_000_000)
        .prop_map(|(s, ns)| Timestamp::new(s, ns).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn parser_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = Schedule::parse_standard(&s);
        let _ = kuul_schedule::validate_schedule(&s);
    }

    #[test]
    fn parser_never_panics_on_cron_like_text(s in "(TZ=|CRON_TZ=)?[0-9A-Za-z*?,/ @+-]{0,30}") {
        let _ = Schedule::parse_standard(&s);
    }

    #[test]
    fn next_is_strictly_increasing(spec in spec(), t in instant()) {
        if let Ok(schedule) = Schedule::parse_standard(&spec) {
            let mut t = t;
            for _ in 0..4 {
                let Some(n) = schedule.next(t) else { break };
                prop_assert!(n > t, "{spec}: next({t}) = {n}");
                t = n;
            }
        }
    }

    #[test]
    fn previous_of_next_is_next(spec in spec(), t in instant()) {
        if let Ok(schedule) = Schedule::parse_standard(&spec)
            && let Some(n) = schedule.next(t)
        {
            prop_assert_eq!(schedule.previous(n), Some(n), "{} from {}", spec, t);
        }
    }
}

#[test]
fn the_spec_generator_mostly_produces_valid_specs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = spec();
    let valid = (0..500)
        .filter(|_| {
            let spec = strategy.new_tree(&mut runner).unwrap().current();
            Schedule::parse_standard(&spec).is_ok()
        })
        .count();
    assert!(valid > 300, "only {valid} of 500 generated specs parse");
}
