//! Four list requests per scope, sent concurrently (`Cluster::list` puts each on its own task,
//! so two cores decode at once): CronJobs, Jobs, Job pods and CronJob events.

use foldhash::HashMap;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Pod};
use serde::{Deserialize, Serialize};

use super::facts::{EventFacts, JobFacts, PodFacts};
use super::{GapEvent, Run, runs_of};
use crate::cluster::facts::{CronJobSpec, Meta};
use crate::cluster::{Cluster, ListOptions};
use crate::error::Result;

/// A CronJob as runs see it.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobFacts {
    pub(crate) metadata: Meta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
}

/// Everything listed for one scope.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) cronjobs: Vec<CronJobFacts>,
    pub(crate) jobs: Vec<JobFacts>,
    pub(crate) pods: Vec<PodFacts>,
    pub(crate) events: Vec<EventFacts>,
}

/// Pods a Job made carry this label (the legacy spelling, which every release since 1.0 still
/// sets next to `batch.kubernetes.io/controller-uid`): listing only those leaves out the
/// namespace's other pods.
const JOB_PODS: &str = "controller-uid";

/// Lists CronJobs (those `cronjobs` selects), Jobs, Job pods and CronJob events in `namespace`
/// (all with `None`), concurrently.
pub(crate) async fn load(
    cluster: &Cluster,
    namespace: Option<&str>,
    cronjobs: ListOptions,
) -> Result<Loaded> {
    let every = ListOptions::default();
    let job_pods = ListOptions { label_selector: Some(JOB_PODS.into()), field_selector: None };
    let cronjob_events = ListOptions {
        label_selector: None,
        field_selector: Some("involvedObject.kind=CronJob".into()),
    };
    let (cronjobs, jobs, pods, events) = tokio::try_join!(
        cluster.list::<CronJob, _>(namespace, &cronjobs),
        cluster.list_shaped::<Job, _>(namespace, &every, JobFacts::shape()),
        cluster.list_shaped::<Pod, _>(namespace, &job_pods, PodFacts::shape()),
        cluster.list::<Event, _>(namespace, &cronjob_events),
    )?;
    Ok(Loaded { cronjobs, jobs, pods, events })
}

/// One CronJob's runs and gap events.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    /// Namespace.
    pub namespace: String,
    /// CronJob name.
    pub name: String,
    /// CronJob uid.
    #[serde(skip)]
    pub uid: String,
    /// Its schedule.
    pub schedule: String,
    /// Retained runs (and deleted ones its events name), newest first.
    pub runs: Vec<Run>,
    /// Events that explain missing or late runs, newest first.
    pub events: Vec<GapEvent>,
}

/// Events by the uid (else namespace/name) of the CronJob they are about.
fn events_by_cronjob(events: &[EventFacts]) -> HashMap<String, Vec<&EventFacts>> {
    let mut map: HashMap<String, Vec<&EventFacts>> = HashMap::default();
    for event in events {
        let o = &event.involved_object;
        let key =
            if o.uid.is_empty() { format!("{}/{}", o.namespace, o.name) } else { o.uid.clone() };
        map.entry(key).or_default().push(event);
    }
    map
}

impl Loaded {
    /// The runs and gap events of every CronJob listed, by namespace then name. The Jobs and
    /// pods move into the runs (their strings are not copied), so each is held once.
    pub(crate) fn histories(self, now: Timestamp) -> Vec<History> {
        let Loaded { cronjobs, jobs, pods, events } = self;
        let events_by_cronjob = events_by_cronjob(&events);
        // Pods by the uid of the Job that controls them...
        let mut pods_by_job: HashMap<String, Vec<PodFacts>> = HashMap::default();
        // (The owner's uid moves into the key: nothing reads a pod's or a Job's owner uid
        // after this, and 100,000 copies of it are worth saving.)
        for mut pod in pods {
            let owner = pod
                .metadata
                .owner_references
                .iter_mut()
                .find(|r| r.kind == "Job" && r.controller == Some(true));
            if let Some(owner) = owner {
                let uid = std::mem::take(&mut owner.uid);
                pods_by_job.entry(uid).or_default().push(pod);
            }
        }
        // ...and each Job, with its pods, by the uid of the CronJob that controls it.
        let mut jobs_by_cronjob: HashMap<String, Vec<(JobFacts, Vec<PodFacts>)>> =
            HashMap::default();
        for mut job in jobs {
            let owners = &mut job.metadata.owner_references;
            let Some(owner) = owners.iter_mut().find(|r| r.kind == "CronJob") else {
                continue;
            };
            let owner = std::mem::take(&mut owner.uid);
            let pods = pods_by_job.remove(&job.metadata.uid).unwrap_or_default();
            jobs_by_cronjob.entry(owner).or_default().push((job, pods));
        }
        drop(pods_by_job);
        let mut items: Vec<History> = cronjobs
            .into_iter()
            .map(|cj| {
                let meta = cj.metadata;
                let jobs = jobs_by_cronjob.remove(&meta.uid).unwrap_or_default();
                // Events name the CronJob by uid; a CronJob re-created under the same name has
                // a new one, so its predecessor's events stay out.
                let events = events_by_cronjob
                    .get(&meta.uid)
                    .or_else(|| events_by_cronjob.get(&format!("{}/{}", meta.namespace, meta.name)))
                    .map_or(&[][..], Vec::as_slice);
                let (runs, events) = runs_of(&meta.name, &meta.namespace, jobs, events, now);
                History {
                    namespace: meta.namespace,
                    name: meta.name,
                    uid: meta.uid,
                    schedule: cj.spec.schedule,
                    runs,
                    events,
                }
            })
            .collect();
        items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        items
    }
}
