//! Names: the 52-character limit and duplicates within a namespace (seed 002's tests, as rules).

use std::collections::HashMap;

use super::super::object::{Kind, Target};
use super::{Finding, Sink};

/// The longest CronJob name the API server accepts: a DNS-1035 label (63) minus the 11
/// characters of the `-<unix minutes>` suffix of its Jobs (kubernetes/kubernetes
/// `pkg/apis/batch/validation/validation.go`, `ValidateCronJob`).
pub(crate) const MAX_CRONJOB_NAME: usize = 52;

/// `name-too-long` on one target.
pub(crate) fn check(target: &Target<'_>, out: &mut Sink<'_>) {
    if target.kind != Kind::CronJob {
        return;
    }
    let name = target.name();
    if name.len() > MAX_CRONJOB_NAME {
        let node = target.object.at("metadata.name").unwrap_or(target.object);
        out.push(
            "name-too-long",
            node,
            "metadata.name",
            format!(
                "name is {} characters, over the {MAX_CRONJOB_NAME} the API server accepts for \
                 a CronJob",
                name.len()
            ),
        );
    }
}

/// `name-duplicate`: the second and later CronJob of one name in one namespace, pointing at the
/// first (`locations[i]` says where target `i` is).
pub(crate) fn duplicates(targets: &[Target<'_>], locations: &[String]) -> Vec<(usize, Finding)> {
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    let mut found = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        if target.kind != Kind::CronJob || target.name().is_empty() {
            continue;
        }
        let key = (target.namespace().unwrap_or(""), target.name());
        match first.get(&key) {
            None => {
                first.insert(key, i);
            }
            Some(&earlier) => {
                let node = target.object.at("metadata.name").unwrap_or(target.object);
                let namespace = match key.0 {
                    "" => "the apply-time namespace".to_owned(),
                    ns => format!("namespace {ns}"),
                };
                found.push((
                    i,
                    Finding {
                        rule: "name-duplicate",
                        field: "metadata.name".to_owned(),
                        line: node.line,
                        column: node.column,
                        message: format!(
                            "CronJob \"{}\" in {namespace} is also defined at {}: one replaces \
                             the other on apply",
                            key.1, locations[earlier]
                        ),
                    },
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::testing::{now, trips, with};
    use super::*;
    use crate::commands::lint::node::parse_documents;

    #[test]
    fn name_too_long() {
        let long = "a".repeat(53);
        assert!(trips("name-too-long", &with("name: nightly-backup", &format!("name: {long}"))));
        let ok = "a".repeat(52);
        assert!(!trips("name-too-long", &with("name: nightly-backup", &format!("name: {ok}"))));
    }

    #[test]
    fn name_duplicate() {
        let cj = |name: &str, ns: &str| {
            format!(
                "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{schedule: '@daily'}}\n---\n"
            )
        };
        let text = [cj("a", "x"), cj("b", "x"), cj("a", "y"), cj("a", "x")].concat();
        let docs = parse_documents(&text).unwrap();
        let targets: Vec<_> = docs.iter().filter_map(|d| Target::new(d, now())).collect();
        let locations: Vec<String> = (0..4).map(|i| format!("f.yaml:{}", 1 + 5 * i)).collect();
        let found = duplicates(&targets, &locations);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.message.contains("also defined at f.yaml:1"), "{found:?}");
    }
}
