//! The object metadata (and pod status) kuul reads from list pages, decoded into one slim type
//! for every command: serde skips managedFields, templates and everything else without building them,
//! which keeps commands over 50,000 objects fast and small.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::shape::Shape;

/// A map of strings as objects carry them (annotations, resource lists): a few entries in one
/// vector sorted by key, read like a `BTreeMap` (same order, a later duplicate key wins). A
/// `BTreeMap` allocates a node of eleven slots (over 500 bytes) for its first entry: for the
/// one annotation of each of 50,000 Jobs, and the requests and limits of 50,000 pods, that was
/// most of what `lastrun -A` and `cost-report -A` held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StrMap(Vec<(String, String)>);

impl StrMap {
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Whether `key` is there.
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub(crate) fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes every entry.
    #[cfg(test)]
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// The keys, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

/// Reading a string map by key, whichever map holds it.
pub(crate) trait StrLookup {
    /// The value of `key`.
    fn lookup(&self, key: &str) -> Option<&str>;
}

impl StrLookup for StrMap {
    fn lookup(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl StrLookup for BTreeMap<String, String> {
    fn lookup(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl<'a> IntoIterator for &'a StrMap {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, String)> for StrMap {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut entries: Vec<(String, String)> = iter.into_iter().collect();
        // A stable sort keeps equal keys in their order: the last of each run wins.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        out.shrink_to_fit();
        StrMap(out)
    }
}

impl From<StrMap> for BTreeMap<String, String> {
    fn from(map: StrMap) -> Self {
        map.0.into_iter().collect()
    }
}

impl From<BTreeMap<String, String>> for StrMap {
    fn from(map: BTreeMap<String, String>) -> Self {
        StrMap(map.into_iter().collect())
    }
}

impl<'de> Deserialize<'de> for StrMap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StrMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_unit<E>(self) -> Result<StrMap, E> {
                Ok(StrMap::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<StrMap, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, String>()? {
                    entries.push(entry);
                }
                // Objects come with their keys sorted (the API server encodes maps so).
                if entries.windows(2).all(|w| w[0].0 < w[1].0) {
                    entries.shrink_to_fit();
                    return Ok(StrMap(entries));
                }
                Ok(entries.into_iter().collect())
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Object metadata, the parts kuul reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Meta {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: String,
    #[serde(default)]
    pub(crate) uid: String,
    #[serde(default)]
    pub(crate) resource_version: String,
    /// `.metadata.generation`: bumped by the API server on every `.spec` change.
    pub(crate) generation: Option<i64>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) creation_timestamp: Option<Timestamp>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) deletion_timestamp: Option<Timestamp>,
    #[serde(default)]
    pub(crate) annotations: StrMap,
    #[serde(default)]
    pub(crate) owner_references: Vec<OwnerReference>,
}

/// An owner reference, the parts kuul reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OwnerReference {
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) name: String,
    pub(crate) uid: String,
    #[serde(default)]
    pub(crate) controller: Option<bool>,
}

/// A status condition (of a Job or a Pod), the parts kuul reads: its type, status and when it
/// last changed, and, as `Condition<String>`, its reason and message (history reads those; the
/// default `IgnoredAny` skips them without allocating, which 50,000 Jobs with two conditions
/// each notice).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "D: Deserialize<'de> + Default"))]
pub(crate) struct Condition<D = IgnoredAny> {
    #[serde(rename = "type")]
    pub(crate) type_: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) reason: D,
    #[serde(default)]
    pub(crate) message: D,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) last_transition_time: Option<Timestamp>,
}

impl Meta {
    /// The uid of the controlling owner, if any.
    pub(crate) fn controller_uid(&self) -> Option<&str> {
        self.owner_references.iter().find(|r| r.controller == Some(true)).map(|r| r.uid.as_str())
    }

    /// The owner reference of `kind` (the controller one if several).
    pub(crate) fn owner(&self, kind: &str) -> Option<&OwnerReference> {
        let mut of_kind = self.owner_references.iter().filter(|r| r.kind == kind);
        let first = of_kind.next()?;
        Some(
            std::iter::once(first)
                .chain(of_kind)
                .find(|r| r.controller == Some(true))
                .unwrap_or(first),
        )
    }
}

/// A Job: its owner, when it ran, whether its pods run and how it ended: the one Job decode
/// type of cost-report, forecast, prune, lint, dash and lastrun (lastrun wraps it with its own
/// reading of it, [`crate::commands::lastrun::facts::JobFacts`]); only history's runs read more
/// (the pod template) and have their own.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) status: JobStatus,
}

/// `.status` of a Job, the parts [`JobFacts`] reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobStatus {
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) start_time: Option<Timestamp>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) completion_time: Option<Timestamp>,
    /// Pods still running or waiting to (`.status.active`).
    pub(crate) active: Option<i32>,
    /// Of those, pods with the Ready condition (`.status.ready`, Kubernetes 1.24+).
    pub(crate) ready: Option<i32>,
    #[serde(default)]
    pub(crate) conditions: JobConditions,
}

/// The Job conditions kuul reads, when true, with when they became so: decoded without
/// allocating (a `Vec` of conditions with their type and status as strings was five
/// allocations for each of 50,000 Jobs, whose two true conditions are all anyone reads).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct JobConditions {
    complete: Option<TrueCondition>,
    failed: Option<TrueCondition>,
    success_criteria_met: Option<TrueCondition>,
    failure_target: Option<TrueCondition>,
}

/// A condition whose status is `True`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TrueCondition {
    pub(crate) last_transition_time: Option<Timestamp>,
}

impl JobConditions {
    /// The condition of `type_` (`Complete`, `Failed`, `SuccessCriteriaMet`, `FailureTarget`)
    /// if it is true; `None` for any other type.
    pub(crate) fn get(&self, type_: &str) -> Option<TrueCondition> {
        match type_ {
            "Complete" => self.complete,
            "Failed" => self.failed,
            "SuccessCriteriaMet" => self.success_criteria_met,
            "FailureTarget" => self.failure_target,
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for JobConditions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The condition types read; any other is skipped.
        #[derive(Deserialize)]
        enum Type {
            Complete,
            Failed,
            SuccessCriteriaMet,
            FailureTarget,
            #[serde(other)]
            Other,
        }
        #[derive(Deserialize, PartialEq)]
        enum Status {
            True,
            #[serde(other)]
            Other,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Raw {
            #[serde(rename = "type")]
            type_: Type,
            status: Option<Status>,
            #[serde(default, deserialize_with = "crate::cluster::time::optional")]
            last_transition_time: Option<Timestamp>,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = JobConditions;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of conditions")
            }
            fn visit_unit<E>(self) -> Result<JobConditions, E> {
                Ok(JobConditions::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<JobConditions, A::Error> {
                let mut out = JobConditions::default();
                while let Some(c) = seq.next_element::<Raw>()? {
                    if c.status != Some(Status::True) {
                        continue;
                    }
                    let slot = match c.type_ {
                        Type::Complete => &mut out.complete,
                        Type::Failed => &mut out.failed,
                        Type::SuccessCriteriaMet => &mut out.success_criteria_met,
                        Type::FailureTarget => &mut out.failure_target,
                        Type::Other => continue,
                    };
                    // The first true one of a type, as a search of the list finds.
                    slot.get_or_insert(TrueCondition {
                        last_transition_time: c.last_transition_time,
                    });
                }
                Ok(out)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JobFacts {
    /// When the run started: `.status.startTime`, else its creation.
    pub(crate) fn started(&self) -> Option<Timestamp> {
        self.status.start_time.or(self.metadata.creation_timestamp)
    }

    /// What a list of Jobs decoded as [`JobFacts`] needs of each item ([`Shape`]): no `spec`
    /// (the pod template, half of a Job), no labels or managedFields.
    pub(crate) fn shape() -> Option<Shape> {
        Shape::of::<JobFacts>().map(|s| s.with::<Meta>("metadata"))
    }

    /// Its condition of `type_` if it is true ([`JobConditions::get`]).
    pub(crate) fn condition(&self, type_: &str) -> Option<TrueCondition> {
        self.status.conditions.get(type_)
    }
}

/// A CronJob's `.spec`, the parts that say when it runs (lastrun, cost-report).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobSpec {
    #[serde(default)]
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) suspend: Option<bool>,
    pub(crate) starting_deadline_seconds: Option<i64>,
    /// `Allow` (the default), `Forbid` or `Replace`.
    pub(crate) concurrency_policy: Option<String>,
}

/// `.spec` of a Pod (or of a pod template), the parts that say what it reserves (cost-report,
/// forecast) and where it ran.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodSpec {
    pub(crate) node_name: Option<String>,
    #[serde(default)]
    pub(crate) containers: Vec<Container>,
    #[serde(default)]
    pub(crate) init_containers: Vec<Container>,
    #[serde(default)]
    pub(crate) overhead: StrMap,
}

/// A container: its requests, and whether it is a sidecar (`restartPolicy: Always`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Container {
    #[serde(default)]
    pub(crate) resources: ResourceRequirements,
    pub(crate) restart_policy: Option<String>,
}

/// `resources`: requests, and limits (which default unset requests).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ResourceRequirements {
    #[serde(default)]
    pub(crate) requests: StrMap,
    #[serde(default)]
    pub(crate) limits: StrMap,
}

/// `.status` of a Pod, the parts kuul reads (prune: when it finished; cost-report: how long
/// its containers ran).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodStatus {
    #[serde(default)]
    pub(crate) phase: String,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) start_time: Option<Timestamp>,
    #[serde(default)]
    pub(crate) container_statuses: Vec<ContainerStatus>,
    #[serde(default)]
    pub(crate) init_container_statuses: Vec<ContainerStatus>,
}

/// A container status: its state.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContainerStatus {
    #[serde(default)]
    pub(crate) state: ContainerState,
}

/// `state`: running or terminated (waiting says nothing about time).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContainerState {
    pub(crate) running: Option<Running>,
    pub(crate) terminated: Option<Terminated>,
}

/// `state.running`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Running {
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) started_at: Option<Timestamp>,
}

/// `state.terminated`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Terminated {
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) started_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) finished_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_map_reads_like_a_btree_map() {
        let text = r#"{"b": "2", "a": "1", "c": "3", "a": "last"}"#;
        let ours: StrMap = serde_json::from_str(text).unwrap();
        let theirs: BTreeMap<String, String> = serde_json::from_str(text).unwrap();
        assert_eq!(BTreeMap::from(ours.clone()), theirs);
        assert_eq!(ours.get("a").map(String::as_str), Some("last"));
        assert!(ours.contains_key("c") && !ours.contains_key("d"));
        assert_eq!(ours.keys().cloned().collect::<Vec<_>>(), ["a", "b", "c"]);
        let mut map = StrMap::default();
        assert_eq!(map.insert("z".into(), "1".into()), None);
        assert_eq!(map.insert("m".into(), "2".into()), None);
        assert_eq!(map.insert("z".into(), "3".into()), Some("1".into()));
        assert_eq!(
            map.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
            ["m=2", "z=3"]
        );
        // `null` is an empty map, as the API server may send it.
        let none: StrMap = serde_json::from_str("null").unwrap();
        assert_eq!(none, StrMap::default());
        assert!(serde_json::from_str::<StrMap>(r#"{"a": 1}"#).is_err());
    }

    #[test]
    fn job_conditions_keep_the_true_ones_read() {
        let job: JobFacts = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "j"},
            "status": {"conditions": [
                {"type": "FailureTarget", "status": "False", "lastTransitionTime": "2025-03-01T09:00:00Z"},
                {"type": "Suspended", "status": "True"},
                {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
                 "message": "Reached expected number of succeeded pods"},
                {"type": "Complete", "status": "True", "lastTransitionTime": "2025-03-01T09:00:30Z"},
                {"type": "Complete", "status": "True", "lastTransitionTime": "2025-03-01T09:01:00Z"}
            ]}
        }))
        .unwrap();
        let at = |t: &str| t.parse::<Timestamp>().ok();
        assert_eq!(
            job.condition("Complete"),
            Some(TrueCondition { last_transition_time: at("2025-03-01T09:00:30Z") })
        );
        assert_eq!(
            job.condition("SuccessCriteriaMet"),
            Some(TrueCondition { last_transition_time: None })
        );
        assert_eq!(job.condition("FailureTarget"), None);
        assert_eq!(job.condition("Failed"), None);
        assert_eq!(job.condition("Suspended"), None);
        let none: JobFacts = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "j"}, "status": {"conditions": null}
        }))
        .unwrap();
        assert_eq!(none.status.conditions, JobConditions::default());
    }
}
