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

/// `children` grouped under their `parents`, in list order: each child goes to the parent whose
/// uid its `owner` names (the first such parent), and children with none are left out.
///
/// The parents are found through a table of their uids borrowed from them, and each parent's
/// children move once into a vector of their exact number (counted first). Grouping through a
/// map from owned uids to vectors of indexes made a key and a vector per Job (50,000 of each in
/// `history -A`); with the lookups that followed, that took about 60 of the 170 ms its main
/// thread works after the last list arrives.
fn grouped<P, C>(
    parents: &[P],
    uid: impl Fn(&P) -> &str,
    children: Vec<C>,
    owner: impl Fn(&C) -> Option<&str>,
) -> Vec<Vec<C>> {
    let mut index: HashMap<&str, usize> = HashMap::default();
    index.reserve(parents.len());
    for (i, parent) in parents.iter().enumerate() {
        index.entry(uid(parent)).or_insert(i);
    }
    let parent_of: Vec<Option<usize>> =
        children.iter().map(|c| owner(c).and_then(|uid| index.get(uid).copied())).collect();
    let mut counts = vec![0_usize; parents.len()];
    for &p in parent_of.iter().flatten() {
        counts[p] += 1;
    }
    let mut groups: Vec<Vec<C>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (child, parent) in children.into_iter().zip(parent_of) {
        if let Some(p) = parent {
            groups[p].push(child);
        }
    }
    groups
}

impl Loaded {
    /// The runs and gap events of every CronJob listed, by namespace then name. The Jobs and
    /// pods move into the runs (their strings are not copied), so each is held once; what the
    /// runs do not keep is freed on another thread ([`crate::background::drop_later`]): freeing
    /// 50,000 Jobs' leftovers here was a quarter of this function's time in `history -A`.
    pub(crate) fn histories(self, now: Timestamp) -> Vec<History> {
        let Loaded { cronjobs, jobs, pods, events } = self;
        let events_by_cronjob = events_by_cronjob(&events);
        // Each Job's pods (as attempts), then each CronJob's Jobs (with theirs), by owner uid.
        let pods_of = grouped(&jobs, |job| &job.metadata.uid, pods, |pod| pod.job.as_deref());
        let mut owners: Vec<Option<String>> =
            Vec::with_capacity(pods_of.iter().map(Vec::len).sum());
        let jobs: Vec<(JobFacts, Vec<Attempt>)> = jobs
            .into_iter()
            .zip(pods_of)
            .map(|(job, pods)| {
                let attempts = pods.into_iter().map(|pod| {
                    owners.push(pod.job);
                    pod.attempt
                });
                (job, attempts.collect())
            })
            .collect();
        let jobs_of = grouped(
            &cronjobs,
            |cj| &cj.metadata.uid,
            jobs,
            |(job, _)| {
                let owner = job.metadata.owner_references.iter().find(|r| r.kind == "CronJob");
                owner.map(|r| r.uid.as_str())
            },
        );
        // Each CronJob's runs on its own: split over the cores (`crate::parallel`).
        let cronjobs: Vec<_> = cronjobs.into_iter().zip(jobs_of).collect();
        let (mut items, spent): (Vec<History>, Vec<_>) =
            crate::parallel::map(cronjobs, |(cj, mut jobs)| {
                let meta = cj.metadata;
                // Events name the CronJob by uid; a CronJob re-created under the same name has a
                // new one, so its predecessor's events stay out.
                let events = events_by_cronjob
                    .get(&meta.uid)
                    .or_else(|| events_by_cronjob.get(&format!("{}/{}", meta.namespace, meta.name)))
                    .map_or(&[][..], Vec::as_slice);
                let (runs, events) = runs_of(&meta.name, &meta.namespace, &mut jobs, events, now);
                let history = History {
                    namespace: meta.namespace,
                    name: meta.name,
                    uid: meta.uid,
                    schedule: cj.spec.schedule,
                    runs,
                    events,
                };
                (history, jobs)
            })
            .into_iter()
            .unzip();
        crate::background::drop_later((spent, owners, events));
        items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        items
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn children_group_under_the_first_parent_of_their_owner_in_list_order() {
        let parents = ["a", "b", "a", "c"];
        let children = vec![("b", 1), ("x", 2), ("a", 3), ("b", 4), ("", 5), ("a", 6)];
        let groups = grouped(&parents, |p| p, children, |&(owner, _)| Some(owner));
        let numbers: Vec<Vec<i32>> =
            groups.iter().map(|g| g.iter().map(|&(_, n)| n).collect()).collect();
        assert_eq!(numbers, [vec![3, 6], vec![1, 4], vec![], vec![]]);
        // Each group is allocated once, at its size.
        assert!(groups.iter().all(|g| g.capacity() == g.len()));
        let none = grouped(&parents, |p| p, vec![("a", 1)], |_| None::<&str>);
        assert!(none.iter().all(Vec::is_empty));
    }
}
