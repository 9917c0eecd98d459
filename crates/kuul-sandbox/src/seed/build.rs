//! Builders for seed objects whose history is what the simulated control plane would have
//! written: each past run of a CronJob becomes a Job and pods built by the controllers' own
//! functions (`cronjob::job_from_template`, `job::pod_from_template`, `kubelet::started` /
//! `terminated`, `job::mark_complete` / `mark_failed`, `scheduler::misfit`), so statuses,
//! owner references, labels and timestamps agree with what the sandbox does next.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{
    CronJob, CronJobSpec, CronJobStatus, Job, JobSpec, JobStatus, JobTemplateSpec,
    UncountedTerminatedPods,
};
use k8s_openapi::api::core::v1::{
    Container, Namespace, Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo,
    ObjectReference, Pod, PodCondition, PodSpec, PodTemplateSpec, ResourceRequirements, Taint,
    Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kuul_schedule::Schedule;
use serde_json::Value;

use crate::controllers::kubelet::{self, annotations};
use crate::controllers::refs::{name_suffix, to_value};
use crate::controllers::{cronjob, job, scheduler};
use crate::kind::Kind;

/// Seed objects are created with placeholder uids of this shape; `seed::load` maps them to the
/// uids the store assigns.
pub(crate) const UID_PREFIX: &str = "5eed0000-0000-4000-8000-";

/// Hands out placeholder uids.
#[derive(Debug, Default)]
pub(crate) struct Uids(u64);

impl Uids {
    pub(crate) fn next(&mut self) -> String {
        self.0 += 1;
        format!("{UID_PREFIX}{:012x}", self.0)
    }
}

/// Shared state while building one seed.
pub(crate) struct Builder {
    pub(crate) now: Timestamp,
    pub(crate) uids: Uids,
    pub(crate) nodes: Vec<Node>,
    pub(crate) out: Vec<(Kind, Value)>,
    /// Images the seed's registry lacks: runs using them are left bound and not started (the
    /// kubelet then fails their pulls).
    pub(crate) missing: crate::controllers::kubelet::registry::Registry,
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn quantities(cpu: &str, memory: &str) -> BTreeMap<String, Quantity> {
    BTreeMap::from([
        ("cpu".to_owned(), Quantity(cpu.to_owned())),
        ("memory".to_owned(), Quantity(memory.to_owned())),
    ])
}

/// A node's capacity/allocatable: cpu, memory and the kubelet's default `--max-pods` (110),
/// which the scheduler's `Too many pods` check reads.
fn node_resources(cpu: &str, memory: &str) -> BTreeMap<String, Quantity> {
    let mut list = quantities(cpu, memory);
    list.insert("pods".to_owned(), Quantity("110".to_owned()));
    list
}

/// A cheap stable hash for spreading choices.
pub(crate) fn hash(s: &str) -> u64 {
    s.bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// One CronJob to seed, with its history.
#[derive(Debug, Clone)]
pub(crate) struct CronSpec {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) schedule: String,
    pub(crate) time_zone: Option<String>,
    pub(crate) concurrency: &'static str,
    pub(crate) suspend: bool,
    pub(crate) starting_deadline: Option<i64>,
    pub(crate) node_selector: Option<(String, String)>,
    pub(crate) toleration: Option<(String, String)>,
    pub(crate) image: String,
    pub(crate) command: Vec<String>,
    pub(crate) cpu: String,
    pub(crate) memory: String,
    pub(crate) backoff_limit: i32,
    pub(crate) successful_history: i32,
    pub(crate) failed_history: i32,
    /// `sandbox.kuul.dev/*` annotations for future runs.
    pub(crate) duration: String,
    pub(crate) exit_codes: Option<String>,
    pub(crate) log: Option<String>,
    /// Past runs to generate, newest first, and the activations skipped before the newest one
    /// (a CronJob that missed its recent schedules).
    pub(crate) runs: usize,
    pub(crate) skip_latest: usize,
    /// Exit codes of run k's attempts (k = 0 is the newest); the last one repeats.
    pub(crate) run_codes: fn(usize) -> Vec<i32>,
    /// Created this long before the oldest run.
    pub(crate) age_before_first_run: SignedDuration,
}

impl CronSpec {
    /// Defaults for a simple job in `namespace`; callers override fields.
    pub(crate) fn new(namespace: &str, name: &str, schedule: &str) -> CronSpec {
        CronSpec {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            schedule: schedule.to_owned(),
            time_zone: None,
            concurrency: "Allow",
            suspend: false,
            starting_deadline: None,
            node_selector: None,
            toleration: None,
            image: "registry.kuul.dev/tools/runner:1.8.2".to_owned(),
            command: vec!["/bin/run".to_owned(), name.to_owned()],
            cpu: "100m".to_owned(),
            memory: "128Mi".to_owned(),
            backoff_limit: 6,
            successful_history: 3,
            failed_history: 1,
            duration: "10s".to_owned(),
            exit_codes: None,
            log: None,
            runs: 4,
            skip_latest: 0,
            run_codes: |_| vec![0],
            age_before_first_run: SignedDuration::from_hours(24 * 7),
        }
    }
}

/// Where a CronJob's pods can go: fitting node names, or why none fits.
type Placement = Result<Vec<String>, String>;

/// One fitting node for a pod, spread by `salt`.
fn place(placement: &Placement, salt: &str) -> Result<String, String> {
    let fits = placement.as_ref().map_err(Clone::clone)?;
    let i = usize::try_from(hash(salt) % fits.len().max(1) as u64).unwrap_or(0);
    fits.get(i).cloned().ok_or_else(String::new)
}

/// One run's outcome while simulating it.
enum Outcome {
    Running,
    Complete(Timestamp),
    Failed(Timestamp),
}

impl Builder {
    pub(crate) fn new(now: Timestamp) -> Builder {
        Builder {
            now,
            uids: Uids::default(),
            nodes: Vec::new(),
            out: Vec::new(),
            missing: Default::default(),
        }
    }

    pub(crate) fn namespace(&mut self, name: &str) {
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some(name.to_owned()),
                creation_timestamp: Some(Time(self.now - SignedDuration::from_hours(24 * 90))),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        };
        self.out.push((Kind::Namespace, to_value(&ns)));
    }

    /// A Ready node in `pool` (label `kuul.dev/pool`), optionally tainted `key=value:NoSchedule`.
    pub(crate) fn node(
        &mut self,
        name: &str,
        pool: &str,
        taint: Option<(&str, &str)>,
        cpu: &str,
        memory: &str,
    ) {
        let created = self.now - SignedDuration::from_hours(24 * 60);
        let ready_since = Time(self.now - SignedDuration::from_hours(24 * 3));
        let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
            type_: type_.to_owned(),
            status: status.to_owned(),
            reason: Some(reason.to_owned()),
            message: Some(message.to_owned()),
            last_heartbeat_time: Some(Time(self.now)),
            last_transition_time: Some(ready_since.clone()),
        };
        let mut node_labels = labels(&[
            ("kubernetes.io/hostname", name),
            ("kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("beta.kubernetes.io/arch", "amd64"),
        ]);
        if !pool.is_empty() {
            node_labels.insert("kuul.dev/pool".to_owned(), pool.to_owned());
        }
        let node = Node {
            metadata: ObjectMeta {
                name: Some(name.to_owned()),
                labels: Some(node_labels),
                creation_timestamp: Some(Time(created)),
                ..ObjectMeta::default()
            },
            spec: Some(NodeSpec {
                taints: taint.map(|(k, v)| {
                    vec![Taint {
                        key: k.to_owned(),
                        value: (!v.is_empty()).then(|| v.to_owned()),
                        effect: "NoSchedule".to_owned(),
                        time_added: None,
                    }]
                }),
                ..NodeSpec::default()
            }),
            status: Some(NodeStatus {
                capacity: Some(node_resources(cpu, memory)),
                allocatable: Some(node_resources(cpu, memory)),
                conditions: Some(vec![
                    condition(
                        "MemoryPressure",
                        "False",
                        "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available",
                    ),
                    condition(
                        "DiskPressure",
                        "False",
                        "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure",
                    ),
                    condition(
                        "PIDPressure",
                        "False",
                        "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available",
                    ),
                    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ]),
                addresses: Some(vec![
                    NodeAddress {
                        type_: "InternalIP".to_owned(),
                        address: format!("10.0.{}.{}", hash(name) % 200 + 1, hash(pool) % 200 + 10),
                    },
                    NodeAddress { type_: "Hostname".to_owned(), address: name.to_owned() },
                ]),
                node_info: Some(NodeSystemInfo {
                    architecture: "amd64".to_owned(),
                    boot_id: name_suffix(name),
                    container_runtime_version: "containerd://1.7.27".to_owned(),
                    kernel_version: "6.8.0-60-generic".to_owned(),
                    kube_proxy_version: "v1.33.1".to_owned(),
                    kubelet_version: "v1.33.1".to_owned(),
                    machine_id: name_suffix(&format!("{name}/machine")),
                    operating_system: "linux".to_owned(),
                    os_image: "Ubuntu 24.04.2 LTS".to_owned(),
                    system_uuid: name_suffix(&format!("{name}/uuid")),
                    ..NodeSystemInfo::default()
                }),
                ..NodeStatus::default()
            }),
        };
        self.nodes.push(node.clone());
        self.out.push((Kind::Node, to_value(&node)));
    }

    fn cronjob_object(&mut self, spec: &CronSpec, created: Timestamp) -> CronJob {
        let mut pod_annotations =
            BTreeMap::from([(annotations::DURATION.to_owned(), spec.duration.clone())]);
        if let Some(codes) = &spec.exit_codes {
            pod_annotations.insert(annotations::EXIT_CODES.to_owned(), codes.clone());
        }
        if let Some(log) = &spec.log {
            pod_annotations.insert(annotations::LOG.to_owned(), log.clone());
        }
        let app = labels(&[
            ("app.kubernetes.io/name", &spec.name),
            ("app.kubernetes.io/part-of", "kuul-periodic"),
        ]);
        CronJob {
            metadata: ObjectMeta {
                name: Some(spec.name.clone()),
                namespace: Some(spec.namespace.clone()),
                uid: Some(self.uids.next()),
                labels: Some(app.clone()),
                creation_timestamp: Some(Time(created)),
                ..ObjectMeta::default()
            },
            spec: Some(CronJobSpec {
                schedule: spec.schedule.clone(),
                time_zone: spec.time_zone.clone(),
                concurrency_policy: Some(spec.concurrency.to_owned()),
                suspend: Some(spec.suspend),
                starting_deadline_seconds: spec.starting_deadline,
                successful_jobs_history_limit: Some(spec.successful_history),
                failed_jobs_history_limit: Some(spec.failed_history),
                job_template: JobTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(app.clone()),
                        ..ObjectMeta::default()
                    }),
                    spec: Some(JobSpec {
                        backoff_limit: Some(spec.backoff_limit),
                        template: PodTemplateSpec {
                            metadata: Some(ObjectMeta {
                                labels: Some(app),
                                annotations: Some(pod_annotations),
                                ..ObjectMeta::default()
                            }),
                            spec: Some(PodSpec {
                                restart_policy: Some("Never".to_owned()),
                                node_selector: spec
                                    .node_selector
                                    .clone()
                                    .map(|(k, v)| BTreeMap::from([(k, v)])),
                                tolerations: spec.toleration.clone().map(|(k, v)| {
                                    vec![Toleration {
                                        key: Some(k),
                                        operator: Some("Equal".to_owned()),
                                        value: Some(v),
                                        effect: Some("NoSchedule".to_owned()),
                                        toleration_seconds: None,
                                    }]
                                }),
                                containers: vec![Container {
                                    name: spec.name.clone(),
                                    image: Some(spec.image.clone()),
                                    command: Some(spec.command.clone()),
                                    resources: Some(ResourceRequirements {
                                        requests: Some(quantities(&spec.cpu, &spec.memory)),
                                        limits: Some(BTreeMap::from([(
                                            "memory".to_owned(),
                                            Quantity(spec.memory.clone()),
                                        )])),
                                        ..ResourceRequirements::default()
                                    }),
                                    ..Container::default()
                                }],
                                ..PodSpec::default()
                            }),
                        },
                        ..JobSpec::default()
                    }),
                },
            }),
            status: None,
        }
    }

    /// Whether one of `pod`'s images is missing from the seed's registry.
    fn pull_fails(&self, pod: &Pod) -> bool {
        let containers = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or_default();
        containers.iter().any(|c| c.image.as_deref().is_some_and(|i| self.missing.is_missing(i)))
    }

    /// The scheduler's verdict for a CronJob's pods (they share selector and tolerations): the
    /// fitting nodes, or the FailedScheduling message. Computed once per CronJob, from the
    /// static filters only: seeded history does not account resources.
    fn placement(&self, pod: &Pod) -> Placement {
        let mut reasons = Vec::new();
        let mut fits = Vec::new();
        for node in &self.nodes {
            match scheduler::misfit(pod, node) {
                Some(r) => reasons.push(scheduler::Rejection::unresolvable(r)),
                None => fits.push(node.metadata.name.clone().unwrap_or_default()),
            }
        }
        if fits.is_empty() {
            return Err(scheduler::fit_error_message(self.nodes.len(), &reasons, false));
        }
        Ok(fits)
    }

    /// A CronJob, and Jobs and pods for its past runs as the controllers would have left them.
    pub(crate) fn cronjob(&mut self, spec: &CronSpec) {
        let Ok(sched) = Schedule::for_cronjob(&spec.schedule, spec.time_zone.as_deref()) else {
            return;
        };
        let mut times = Vec::new();
        let mut cursor = self.now;
        while times.len() < spec.runs + spec.skip_latest {
            let Some(t) = sched.previous(cursor) else { break };
            times.push(t);
            cursor = t - SignedDuration::from_secs(1);
        }
        let times: Vec<Timestamp> = times.into_iter().skip(spec.skip_latest).collect();
        let oldest = times.last().copied().unwrap_or(self.now);
        let mut cj = self.cronjob_object(spec, oldest - spec.age_before_first_run);
        let duration =
            kubelet::parse_go_duration(&spec.duration).unwrap_or(kubelet::DEFAULT_DURATION);

        let sample = cronjob::job_from_template(&cj, oldest, &spec.name);
        let placement = self.placement(&job::pod_from_template(&sample, 0));
        let mut status = CronJobStatus::default();
        let (mut kept_ok, mut kept_failed) = (0, 0);
        let mut objects = Vec::new();
        for (k, &t) in times.iter().enumerate() {
            let name = kuul_schedule::job_name(&spec.name, t);
            let mut job = cronjob::job_from_template(&cj, t, &name);
            job.metadata.uid = Some(self.uids.next());
            let codes = (spec.run_codes)(k);
            let (pods, outcome, failures) =
                self.attempts(&job, &placement, t, duration, &codes, spec.backoff_limit);
            let mut js = JobStatus {
                start_time: Some(Time(t)),
                ready: Some(0),
                terminating: Some(0),
                uncounted_terminated_pods: Some(UncountedTerminatedPods::default()),
                failed: (failures > 0).then_some(failures),
                ..JobStatus::default()
            };
            match outcome {
                Outcome::Complete(end) => {
                    js.succeeded = Some(1);
                    job::mark_complete(&mut js, end);
                    if status.last_successful_time.as_ref().is_none_or(|l| l.0 < end) {
                        status.last_successful_time = Some(Time(end));
                    }
                    kept_ok += 1;
                    if kept_ok > spec.successful_history {
                        continue;
                    }
                }
                Outcome::Failed(end) => {
                    let (reason, message) = job::failure::BACKOFF_LIMIT_EXCEEDED;
                    job::mark_failed(&mut js, reason, message, end);
                    kept_failed += 1;
                    if kept_failed > spec.failed_history {
                        continue;
                    }
                }
                Outcome::Running => {
                    let running = pods.iter().filter(|p| {
                        p.status
                            .as_ref()
                            .and_then(|s| s.phase.as_deref())
                            .is_some_and(|ph| ph == "Running" || ph == "Pending")
                    });
                    let n = i32::try_from(running.count()).unwrap_or(0);
                    js.active = (n > 0).then_some(n);
                    js.ready = Some(
                        i32::try_from(
                            pods.iter()
                                .filter(|p| {
                                    p.status.as_ref().and_then(|s| s.phase.as_deref())
                                        == Some("Running")
                                })
                                .count(),
                        )
                        .unwrap_or(0),
                    );
                    status.active.get_or_insert_with(Vec::new).push(ObjectReference {
                        kind: Some("Job".to_owned()),
                        api_version: Some("batch/v1".to_owned()),
                        namespace: Some(spec.namespace.clone()),
                        name: Some(name.clone()),
                        uid: job.metadata.uid.clone(),
                        ..ObjectReference::default()
                    });
                }
            }
            job.status = Some(js);
            objects.push((Kind::Job, to_value(&job)));
            objects.extend(pods.iter().map(|p| (Kind::Pod, to_value(p))));
        }
        status.last_schedule_time = times.first().map(|t| Time(*t));
        cj.status = Some(status);
        self.out.push((Kind::CronJob, to_value(&cj)));
        self.out.extend(objects);
    }

    /// Simulates a run's pods from `t`: each attempt runs `duration` and exits with the next
    /// code; failures are retried after the Job controller's backoff until `backoff_limit`.
    /// Returns the pods, the outcome and the number of failed pods.
    fn attempts(
        &self,
        job: &Job,
        placement: &Placement,
        t: Timestamp,
        duration: SignedDuration,
        codes: &[i32],
        backoff_limit: i32,
    ) -> (Vec<Pod>, Outcome, i32) {
        let mut pods = Vec::new();
        let mut failures = 0;
        let mut start = t;
        for i in 0.. {
            if start > self.now {
                return (pods, Outcome::Running, failures);
            }
            let code = codes.get(i).or(codes.last()).copied().unwrap_or(0);
            let mut pod = job::pod_from_template(job, i);
            pod.metadata.uid = Some(self.uids_peek(job, i));
            pod.metadata.creation_timestamp = Some(Time(start));
            pod.metadata
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(annotations::EXIT_CODE.to_owned(), code.to_string());
            let salt = pod.metadata.name.clone().unwrap_or_default();
            match place(placement, &salt) {
                Err(message) => {
                    let status = pod.status.get_or_insert_with(Default::default);
                    status.conditions = Some(vec![PodCondition {
                        type_: "PodScheduled".to_owned(),
                        status: "False".to_owned(),
                        reason: Some("Unschedulable".to_owned()),
                        message: Some(message),
                        last_transition_time: Some(Time(start)),
                        // The scheduler writes no probe time.
                        last_probe_time: None,
                        ..PodCondition::default()
                    }]);
                    pods.push(pod);
                    return (pods, Outcome::Running, failures);
                }
                Ok(node) if self.pull_fails(&pod) => {
                    // Bound, not started: the kubelet fails the pull once the seed is loaded.
                    pod.spec.get_or_insert_with(Default::default).node_name = Some(node);
                    pods.push(pod);
                    return (pods, Outcome::Running, failures);
                }
                Ok(node) => {
                    let pod = kubelet::started(&pod, &node, start);
                    let end = start + duration;
                    if end > self.now {
                        pods.push(pod);
                        return (pods, Outcome::Running, failures);
                    }
                    // Counted into the Job's status: the Job controller removed the finalizer.
                    pods.push(job::without_tracking_finalizer(kubelet::terminated(&pod, code)));
                    if code == 0 {
                        return (pods, Outcome::Complete(end), failures);
                    }
                    failures += 1;
                    if failures > backoff_limit {
                        return (pods, Outcome::Failed(end), failures);
                    }
                    start = end + job::failure_backoff(failures);
                }
            }
        }
        (pods, Outcome::Running, failures)
    }

    /// A placeholder uid for a pod, derived from its Job's (pods are built in a `&self` method).
    fn uids_peek(&self, job: &Job, index: usize) -> String {
        let base = job.metadata.uid.as_deref().unwrap_or_default();
        format!(
            "{UID_PREFIX}{:012x}",
            (hash(&format!("{base}/{index}")) & 0xffff_ffff_ffff) | 0x8000_0000_0000
        )
    }
}
