//! Property tests for every parser of user input in kuul-core: no input makes one panic
//! (hardening issue: "no input makes it panic"), and round trips hold where they exist.

use proptest::prelude::*;
use serde_json::json;

use crate::cluster::selector::validate_label_selector;
use crate::duration;
use crate::output::{OutputFormat, Template};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn durations_never_panic(text in "\\PC{0,24}") {
        let _ = duration::parse(&text);
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
}
