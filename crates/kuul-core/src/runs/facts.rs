//! The slim shapes `runs` decodes from list pages: Jobs (with the pod template parts that say
//! what a run ran), pods (where and how each attempt ended) and events. Decoding only these keeps
//! `history -A` over 50,000 Jobs and pods fast: serde skips everything else without building it.

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cluster::shape::Shape;

pub(crate) use crate::cluster::facts::{Condition, OwnerReference};

/// Job or pod metadata, the parts runs read (with managedFields' managers, which name who
/// created a manual run).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunMeta {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: String,
    #[serde(default)]
    pub(crate) uid: String,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) creation_timestamp: Option<Timestamp>,
    /// Only the annotations runs read; the others are skipped unbuilt.
    #[serde(default)]
    pub(crate) annotations: RunAnnotations,
    #[serde(default)]
    pub(crate) owner_references: Vec<OwnerReference>,
    /// Only the first writer (the earliest `Update` or `Apply`: who created the object), which
    /// is all runs read of `managedFields`.
    #[serde(default, deserialize_with = "first_writer")]
    pub(crate) managed_fields: Vec<ManagedField>,
}

impl RunMeta {
    /// What [`RunMeta`] reads of an object's metadata ([`Shape`]): of each managedFields entry
    /// only who wrote, how and when, not its `fieldsV1` (the set of fields that writer owns,
    /// which on a real cluster's pods and Jobs is as large as the rest of the metadata).
    pub(crate) fn shape() -> Option<Shape> {
        Shape::of::<RunMeta>().map(|s| s.with::<ManagedField>("managedFields"))
    }

    /// The controlling owner of `kind`, if any.
    pub(crate) fn controller(&self, kind: &str) -> Option<&OwnerReference> {
        self.owner_references.iter().find(|r| r.kind == kind && r.controller == Some(true))
    }
}

/// The annotations runs read, from `metadata.annotations` (a map of two or three small fields
/// rather than a map of every annotation: 100,000 Jobs and pods in `history -A`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RunAnnotations {
    /// `cronjob.kubernetes.io/instantiate: manual` (`kubectl create job --from`).
    pub(crate) manual: bool,
    /// `batch.kubernetes.io/cronjob-scheduled-timestamp`, as written.
    pub(crate) scheduled: Option<String>,
    /// `kubectl.kubernetes.io/default-container` (pods).
    pub(crate) default_container: Option<String>,
}

impl<'de> Deserialize<'de> for RunAnnotations {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Wanted;
        impl<'de> serde::de::Visitor<'de> for Wanted {
            type Value = RunAnnotations;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of annotations")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(RunAnnotations::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                use crate::cluster::annotations::{INSTANTIATE, SCHEDULED_TIMESTAMP};
                use crate::follow::DEFAULT_CONTAINER_ANNOTATION;
                let mut kept = RunAnnotations::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        INSTANTIATE => {
                            kept.manual =
                                map.next_value::<std::borrow::Cow<'de, str>>()? == "manual";
                        }
                        SCHEDULED_TIMESTAMP => kept.scheduled = Some(map.next_value()?),
                        DEFAULT_CONTAINER_ANNOTATION => {
                            kept.default_container = Some(map.next_value()?);
                        }
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(kept)
            }
        }
        deserializer.deserialize_any(Wanted)
    }
}

/// `metadata.managedFields`, keeping only the earliest `Update` or `Apply` (the first of equals,
/// as `min_by_key` would pick it).
fn first_writer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ManagedField>, D::Error> {
    struct First;
    impl<'de> serde::de::Visitor<'de> for First {
        type Value = Vec<ManagedField>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of managedFields entries")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut first: Option<ManagedField> = None;
            while let Some(field) = seq.next_element::<ManagedField>()? {
                let writes = field.operation == "Update" || field.operation == "Apply";
                if writes && first.as_ref().is_none_or(|f| field.time < f.time) {
                    first = Some(field);
                }
            }
            Ok(first.into_iter().collect())
        }
    }
    deserializer.deserialize_any(First)
}

/// One managedFields entry: who wrote, how and when (its `fieldsV1`, the bulk of it, skipped).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ManagedField {
    #[serde(default)]
    pub(crate) manager: String,
    #[serde(default)]
    pub(crate) operation: String,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) time: Option<Timestamp>,
}

/// A Job as runs see it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobFacts {
    pub(crate) metadata: RunMeta,
    #[serde(default)]
    pub(crate) spec: JobSpec,
    #[serde(default)]
    pub(crate) status: JobStatus,
}

impl JobFacts {
    /// What a list of Jobs decoded as [`JobFacts`] needs of each item ([`Shape`]): no labels or
    /// managedFields' field sets, no selector, and of the pod template only its `spec`.
    pub(crate) fn shape() -> Option<Shape> {
        let spec = Shape::of::<JobSpec>().map(|s| s.with::<PodTemplate>("template"));
        Shape::of::<JobFacts>().map(|s| {
            s.nest("metadata", RunMeta::shape()).nest("spec", spec).with::<JobStatus>("status")
        })
    }
}

/// `.spec` of a Job, the parts runs read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobSpec {
    pub(crate) suspend: Option<bool>,
    #[serde(default)]
    pub(crate) template: PodTemplate,
}

/// `.spec.template`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodTemplate {
    #[serde(default, deserialize_with = "shared_template")]
    pub(crate) spec: Arc<Template>,
}

/// A template, shared with every Job decoded with the same one still held: a CronJob's runs
/// mostly have the same template, so the 50,000 Jobs of `history -A` hold one copy per
/// CronJob (and per change), not one each. The template is looked up by its JSON as the page
/// spells it, and decoded only when that text is new: decoding each of 50,000 templates only
/// to find it was seen before was a third of the Jobs' decode.
fn shared_template<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Arc<Template>, D::Error> {
    let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    TEMPLATES.share(raw.get()).map_err(serde::de::Error::custom)
}

/// The templates decoded and still held, by their JSON (weakly: a template no Job or run holds
/// any more is dropped, and its entry with it at the next sweep).
static TEMPLATES: Interner = Interner(std::sync::Mutex::new(None));

struct Interner(std::sync::Mutex<Option<Held>>);

/// The templates held, by their JSON, and the size at which entries no longer held are swept.
type Held = (foldhash::HashMap<String, Weak<Template>>, usize);

impl Interner {
    /// The template the JSON text `json` decodes to, shared with every holder of the same text.
    /// Two texts of one template (another key order) decode to two equal copies, which
    /// `runs_of` then compares by value.
    fn share(&self, json: &str) -> serde_json::Result<Arc<Template>> {
        if let Some(held) = self.held(json) {
            return Ok(held);
        }
        // Decoded outside the lock: the pages of a list decode on several threads.
        let template: Template = serde_json::from_str(json)?;
        let Ok(mut slot) = self.0.lock() else { return Ok(Arc::new(template)) };
        let (map, sweep_at) = slot.get_or_insert_with(|| (foldhash::HashMap::default(), 1024));
        if let Some(held) = map.get(json).and_then(Weak::upgrade) {
            return Ok(held);
        }
        if map.len() >= *sweep_at {
            map.retain(|_, held| held.strong_count() > 0);
            *sweep_at = (map.len() * 2).max(1024);
        }
        let shared = Arc::new(template);
        map.insert(json.to_owned(), Arc::downgrade(&shared));
        Ok(shared)
    }

    fn held(&self, json: &str) -> Option<Arc<Template>> {
        let slot = self.0.lock().ok()?;
        slot.as_ref()?.0.get(json).and_then(Weak::upgrade)
    }
}

/// The parts of a pod template whose change is worth a line in `history` (image, command,
/// env, resources, node placement, service account). `history --diff` reads the whole template.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    /// Containers in order.
    #[serde(default)]
    pub containers: Vec<TemplateContainer>,
    /// Init containers in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<TemplateContainer>,
    /// `nodeSelector`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// `serviceAccountName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
}

/// A container of the template.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateContainer {
    /// Its name.
    pub name: String,
    /// Its image.
    #[serde(default)]
    pub image: String,
    /// `command`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// `args`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// `env`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// `resources`.
    #[serde(default)]
    pub resources: Resources,
}

/// One env var: a value, or where it comes from (`valueFrom`, kept as JSON text).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// The variable.
    pub name: String,
    /// Its literal value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `valueFrom`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<serde_json::Value>,
}

/// Requests and limits as the quantities were written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Resources {
    /// `requests`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, serde_json::Value>,
    /// `limits`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, serde_json::Value>,
}

/// `.status` of a Job, the parts runs read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobStatus {
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) start_time: Option<Timestamp>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) completion_time: Option<Timestamp>,
    pub(crate) active: Option<i32>,
    pub(crate) succeeded: Option<i32>,
    pub(crate) failed: Option<i32>,
    #[serde(default)]
    pub(crate) conditions: Vec<Condition<String>>,
}

/// A pod as runs see it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodFacts {
    pub(crate) metadata: RunMeta,
    #[serde(default)]
    pub(crate) spec: PodSpec,
    #[serde(default)]
    pub(crate) status: PodStatus,
}

impl PodFacts {
    /// What a list of pods decoded as [`PodFacts`] needs of each item ([`Shape`]): of its
    /// metadata, spec and status, and of each container and container status, only the fields
    /// their types read (no labels, tolerations, volumes, IPs, env, image IDs...).
    pub(crate) fn shape() -> Option<Shape> {
        let spec = Shape::of::<PodSpec>()
            .map(|s| s.with::<NamedImage>("containers").with::<NamedImage>("initContainers"));
        let status = Shape::of::<PodStatus>().map(|s| {
            s.with::<ContainerStatus>("containerStatuses")
                .with::<ContainerStatus>("initContainerStatuses")
        });
        Shape::of::<PodFacts>()
            .map(|s| s.nest("metadata", RunMeta::shape()).nest("spec", spec).nest("status", status))
    }
}

/// `.spec` of a pod: where it ran and its containers' names and images.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodSpec {
    pub(crate) node_name: Option<String>,
    #[serde(default)]
    pub(crate) containers: Vec<NamedImage>,
    #[serde(default)]
    pub(crate) init_containers: Vec<NamedImage>,
}

/// A container's name and image.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct NamedImage {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) image: String,
}

/// `.status` of a pod.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodStatus {
    #[serde(default)]
    pub(crate) phase: String,
    pub(crate) reason: Option<String>,
    pub(crate) message: Option<String>,
    /// Only `PodScheduled` (the scheduler's reason a pod waits), all runs read of them.
    #[serde(default, deserialize_with = "pod_scheduled")]
    pub(crate) conditions: Vec<Condition<String>>,
    #[serde(default)]
    pub(crate) container_statuses: Vec<ContainerStatus>,
    #[serde(default)]
    pub(crate) init_container_statuses: Vec<ContainerStatus>,
}

/// A pod's `status.conditions`, keeping only `PodScheduled`. The others (four more on every
/// pod that ran) are read borrowed from the page and dropped without a string or a timestamp
/// built for them: 50,000 pods in `history -A`.
fn pod_scheduled<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Condition<String>>, D::Error> {
    use std::borrow::Cow;

    /// A condition as the page spells it (strings borrowed unless escaped).
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Borrowed<'a> {
        #[serde(rename = "type", borrow)]
        type_: Cow<'a, str>,
        #[serde(default, borrow)]
        status: Cow<'a, str>,
        #[serde(default, borrow)]
        reason: Cow<'a, str>,
        #[serde(default, borrow)]
        message: Cow<'a, str>,
        #[serde(default, borrow)]
        last_transition_time: Option<Cow<'a, str>>,
    }

    struct Scheduled;
    impl<'de> serde::de::Visitor<'de> for Scheduled {
        type Value = Vec<Condition<String>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of pod conditions")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut kept = Vec::new();
            while let Some(c) = seq.next_element::<Borrowed<'de>>()? {
                if c.type_ != "PodScheduled" {
                    continue;
                }
                // As every other timestamp of the read path decodes (`cluster::time`).
                let last_transition_time = c
                    .last_transition_time
                    .map(|t| crate::cluster::time::parse(&t).map_err(serde::de::Error::custom))
                    .transpose()?;
                kept.push(Condition {
                    type_: c.type_.into_owned(),
                    status: c.status.into_owned(),
                    reason: c.reason.into_owned(),
                    message: c.message.into_owned(),
                    last_transition_time,
                });
            }
            Ok(kept)
        }
    }
    deserializer.deserialize_any(Scheduled)
}

/// A container's status: now, and before its last restart.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContainerStatus {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) restart_count: i32,
    #[serde(default)]
    pub(crate) state: ContainerState,
    #[serde(default)]
    pub(crate) last_state: ContainerState,
}

/// `waiting`, `running` or `terminated`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContainerState {
    pub(crate) waiting: Option<Waiting>,
    pub(crate) running: Option<Running>,
    pub(crate) terminated: Option<Terminated>,
}

/// `state.waiting`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Waiting {
    pub(crate) reason: Option<String>,
    pub(crate) message: Option<String>,
}

/// `state.running` (its presence is what counts).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Running {}

/// `state.terminated`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Terminated {
    #[serde(default)]
    pub(crate) exit_code: i32,
    pub(crate) reason: Option<String>,
    pub(crate) message: Option<String>,
}

/// A core/v1 event, the parts runs read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventFacts {
    #[serde(default)]
    pub(crate) metadata: EventMeta,
    #[serde(default)]
    pub(crate) involved_object: InvolvedObject,
    #[serde(default)]
    pub(crate) reason: String,
    #[serde(default)]
    pub(crate) message: String,
    #[serde(default, rename = "type")]
    pub(crate) type_: String,
    pub(crate) count: Option<i32>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) first_timestamp: Option<Timestamp>,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) last_timestamp: Option<Timestamp>,
    pub(crate) event_time: Option<jiff::Timestamp>,
    /// Repeats of an event recorded through the events.k8s.io API (kube-scheduler's
    /// `FailedScheduling`): its core/v1 view has no `count` and null first/last timestamps.
    pub(crate) series: Option<EventSeries>,
}

/// `series` of an events.k8s.io event, as core/v1 shows it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventSeries {
    #[serde(default)]
    pub(crate) count: i32,
    pub(crate) last_observed_time: Option<jiff::Timestamp>,
}

/// An event's own metadata.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventMeta {
    /// The event's own uid (`dash` keys its watched events by it).
    #[serde(default)]
    pub(crate) uid: String,
    #[serde(default, deserialize_with = "crate::cluster::time::optional")]
    pub(crate) creation_timestamp: Option<Timestamp>,
}

/// `involvedObject`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct InvolvedObject {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: String,
    #[serde(default)]
    pub(crate) uid: String,
}

impl EventFacts {
    /// When it last happened: `lastTimestamp` (legacy recorders), else the series' last
    /// observation, `eventTime` (events.k8s.io recorders), `firstTimestamp`, creation. The
    /// events.k8s.io broadcaster writes a series to the server at its second occurrence and then
    /// only every 30 minutes or when it ends (client-go `tools/events/event_broadcaster.go`), so
    /// a series' last observation can be that old.
    pub(crate) fn at(&self) -> Option<Timestamp> {
        self.last_timestamp
            .or_else(|| self.series.as_ref().and_then(|s| s.last_observed_time))
            .or(self.event_time)
            .or(self.first_timestamp)
            .or(self.metadata.creation_timestamp)
    }

    /// How many times it happened: `count` (legacy), else `series.count`, else once.
    pub(crate) fn times(&self) -> i32 {
        self.count
            .filter(|c| *c > 0)
            .or_else(|| self.series.as_ref().map(|s| s.count).filter(|c| *c > 0))
            .unwrap_or(1)
    }
}
