//! Four list requests per scope, sent concurrently (`Cluster::list` puts each on its own task,
//! so two cores decode at once): CronJobs, Jobs, Job pods and CronJob events.

use foldhash::HashMap;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Pod};
use serde::{Deserialize, Serialize};

use super::facts::{EventFacts, JobFacts, PodFacts};
use super::{Attempt, GapEvent, JobPod, Run, runs_of};
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
    /// Each Job pod as its attempt, with its Job's uid.
    pub(crate) pods: Vec<JobPod>,
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
        cluster.list_shaped::<Pod, JobPod>(namespace, &job_pods, PodFacts::shape()),
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

/// The indexes of `items` by the uid of each one's owner (as `owner` finds it; the uid moves
/// out of the item into the key). Items without one are left out.
fn group_by_owner<T>(
    items: &mut [Option<T>],
    owner: impl Fn(&mut T) -> Option<&mut String>,
) -> HashMap<String, Vec<usize>> {
    let mut by_owner: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, item) in items.iter_mut().enumerate() {
        if let Some(uid) = item.as_mut().and_then(&owner) {
            by_owner.entry(std::mem::take(uid)).or_default().push(i);
        }
    }
    by_owner
}

impl Loaded {
    /// The runs and gap events of every CronJob listed, by namespace then name. The Jobs and
    /// pods move into the runs (their strings are not copied), so each is held once.
    pub(crate) fn histories(self, now: Timestamp) -> Vec<History> {
        let Loaded { cronjobs, jobs, pods, events } = self;
        let events_by_cronjob = events_by_cronjob(&events);
        // Pods by the uid of the Job that controls them, and Jobs by the uid of the CronJob
        // that controls them, as indexes first: each Job's pods and each CronJob's Jobs then
        // move once, into a vector of their exact number. (Pushing each pod into its Job's
        // vector as it came allocated room for four pods per Job, and that fresh memory, with
        // the moves, was about a tenth of `history -A`'s samples.) The owners' uids move into the keys:
        // nothing reads a pod's or a Job's owner uid after this.
        let mut pods: Vec<Option<JobPod>> = pods.into_iter().map(Some).collect();
        let pods_by_job = group_by_owner(&mut pods, |pod| pod.job.as_mut());
        let mut jobs: Vec<Option<JobFacts>> = jobs.into_iter().map(Some).collect();
        let jobs_by_cronjob = group_by_owner(&mut jobs, |job| {
            let owner = job.metadata.owner_references.iter_mut().find(|r| r.kind == "CronJob");
            owner.map(|r| &mut r.uid)
        });
        let mut jobs_of = |cronjob: &str| -> Vec<(JobFacts, Vec<Attempt>)> {
            let Some(indexes) = jobs_by_cronjob.get(cronjob) else { return Vec::new() };
            indexes
                .iter()
                .filter_map(|&i| jobs[i].take())
                .map(|job| {
                    let pods =
                        pods_by_job.get(&job.metadata.uid).map_or_else(Vec::new, |indexes| {
                            indexes
                                .iter()
                                .filter_map(|&i| pods[i].take())
                                .map(|p| p.attempt)
                                .collect()
                        });
                    (job, pods)
                })
                .collect()
        };
        let mut items: Vec<History> = cronjobs
            .into_iter()
            .map(|cj| {
                let meta = cj.metadata;
                let jobs = jobs_of(&meta.uid);
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
