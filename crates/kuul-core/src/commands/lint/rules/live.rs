//! Rules that need the live cluster: placement against the nodes there are now (the
//! `placement` module `label-pool` uses, kube-scheduler's filters), and the concurrency policy
//! against how long runs actually took.

use jiff::SignedDuration;

use super::super::object::{Target, human};
use super::Sink;
use crate::placement::{NodeFacts, Placement, fit_error};

/// What the cluster says about one CronJob.
#[derive(Debug, Default)]
pub(crate) struct LiveFacts<'a> {
    /// Every node (empty: not known, the placement rule is skipped).
    pub(crate) nodes: &'a [NodeFacts],
    /// The pod template's placement.
    pub(crate) placement: Placement,
    /// How long each finished run of this CronJob took, as observed.
    pub(crate) durations: Vec<SignedDuration>,
}

/// The live rules of one CronJob.
pub(crate) fn check(target: &Target<'_>, facts: &LiveFacts<'_>, out: &mut Sink<'_>) {
    placement(target, facts, out);
    durations(target, facts, out);
}

fn placement(target: &Target<'_>, facts: &LiveFacts<'_>, out: &mut Sink<'_>) {
    if facts.nodes.is_empty() {
        return;
    }
    let misfits: Vec<_> = facts.nodes.iter().filter_map(|n| facts.placement.misfit(n)).collect();
    if misfits.len() < facts.nodes.len() {
        return;
    }
    let node = target.pod_spec().unwrap_or(target.object);
    let selector = if facts.placement.node_selector.is_empty() {
        String::new()
    } else {
        let pairs: Vec<String> =
            facts.placement.node_selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(" (nodeSelector {})", pairs.join(","))
    };
    out.push(
        "placement-unsatisfiable",
        node,
        target.pod_spec_path,
        format!(
            "runs would stay Pending{selector}: {}; see kubectl kuul label-pool",
            fit_error(facts.nodes.len(), &misfits)
        ),
    );
}

fn durations(target: &Target<'_>, facts: &LiveFacts<'_>, out: &mut Sink<'_>) {
    let Some(interval) = target.timing.as_ref().and_then(|t| t.min_interval) else { return };
    let longer: Vec<&SignedDuration> = facts.durations.iter().filter(|d| **d > interval).collect();
    let Some(longest) = longer.iter().max() else { return };
    let policy = target.concurrency_policy();
    let consequence = match policy {
        "Forbid" => {
            "the next start is skipped while one runs (missed runs); shorten the runs or \
                     the schedule's frequency"
        }
        "Replace" => {
            "each run is killed by the next start before it finishes; use Forbid or a \
                      longer interval"
        }
        _ => "runs overlap and pile up; use concurrencyPolicy Forbid (or Replace)",
    };
    let node = target.object.at("spec.concurrencyPolicy").unwrap_or(target.object);
    out.push(
        "concurrency-vs-duration",
        node,
        "spec.concurrencyPolicy",
        format!(
            "{} of {} observed runs took longer than the {} between starts (longest {}); with \
             concurrencyPolicy {policy} {consequence}",
            longer.len(),
            facts.durations.len(),
            human(interval.as_secs()),
            human(longest.as_secs())
        ),
    );
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::testing::{CLEAN, now, with};
    use super::*;
    use crate::commands::lint::node::parse_documents;
    use crate::placement::{NodeCondition, NodeMeta, NodeStatus};

    fn node(pool: &str) -> NodeFacts {
        NodeFacts {
            metadata: NodeMeta {
                name: format!("n-{pool}"),
                labels: BTreeMap::from([("kuul.dev/pool".to_owned(), pool.to_owned())]),
                ..NodeMeta::default()
            },
            status: NodeStatus {
                conditions: vec![NodeCondition { type_: "Ready".into(), status: "True".into() }],
                ..NodeStatus::default()
            },
            ..NodeFacts::default()
        }
    }

    fn live(yaml: &str, facts: &LiveFacts<'_>) -> Vec<&'static str> {
        let docs = parse_documents(yaml).unwrap();
        let target = Target::new(&docs[0], now()).unwrap();
        let mut found = Vec::new();
        check(&target, facts, &mut Sink { found: &mut found });
        found.into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn placement_unsatisfiable() {
        let nodes = [node("batch"), node("web")];
        let mut facts = LiveFacts { nodes: &nodes, ..LiveFacts::default() };
        facts.placement.node_selector.insert("kuul.dev/pool".into(), "gpu".into());
        assert_eq!(live(CLEAN, &facts), ["placement-unsatisfiable"]);
        facts.placement.node_selector.insert("kuul.dev/pool".into(), "batch".into());
        assert!(live(CLEAN, &facts).is_empty());
    }

    #[test]
    fn concurrency_vs_duration() {
        let hourly = with("\"17 3 * * *\"", "\"0 * * * *\"");
        let mut facts = LiveFacts {
            durations: vec![SignedDuration::from_mins(20), SignedDuration::from_mins(50)],
            ..LiveFacts::default()
        };
        assert!(live(&hourly, &facts).is_empty());
        facts.durations.push(SignedDuration::from_mins(75));
        assert_eq!(live(&hourly, &facts), ["concurrency-vs-duration"]);
    }
}
