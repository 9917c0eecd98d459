//! `suspend-all --save-to FILE` and `resume --from FILE`: a JSON copy of the saved state, for
//! when the annotations themselves may be lost (a CronJob restored from a manifest, a GitOps
//! sync that strips unknown annotations).
//!
//! ```json
//! {"apiVersion": "kuul.dev/v1alpha1", "kind": "SuspendSnapshot",
//!  "takenAt": "2025-03-01T10:00:00Z",
//!  "items": [{"namespace": "ops", "name": "backup", "uid": "...", "previousSuspend": false,
//!             "suspendedAt": "2025-03-01T10:00:00Z", "reason": "db migration",
//!             "generation": 2}]}
//! ```

use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::state::CronJobState;
use crate::cluster::annotations::{SUSPEND_REASON, SUSPENDED_AT};
use crate::error::{Error, Result};

const API_VERSION: &str = "kuul.dev/v1alpha1";
const KIND: &str = "SuspendSnapshot";

/// The snapshot file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Snapshot {
    pub(crate) api_version: String,
    pub(crate) kind: String,
    pub(crate) taken_at: Timestamp,
    pub(crate) items: Vec<SnapshotItem>,
}

/// One CronJob's saved state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SnapshotItem {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) uid: String,
    /// `.spec.suspend` before `suspend-all`.
    pub(crate) previous_suspend: bool,
    #[serde(default)]
    pub(crate) suspended_at: Option<String>,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    /// `.metadata.generation` after it was suspended: a later `.spec` change (a human resuming
    /// and suspending it again, an edit) bumps it, which marks the snapshot stale for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) generation: Option<i64>,
    /// The kubeconfig context the CronJob is in, for a snapshot taken across clusters
    /// (`crate::fanout`); absent in a single-cluster snapshot, whose items apply anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) context: Option<String>,
}

impl SnapshotItem {
    /// Why this entry no longer describes `current` (the same CronJob, by uid), if it does
    /// not: a snapshot is older than the cluster, and a change made after it must not be undone.
    /// Two signs: our `suspended-at` annotation from a later `suspend-all` run, or a `.spec`
    /// change since (`.metadata.generation` moved: resumed by hand and suspended again, edited).
    /// Annotations stripped by a GitOps sync change neither, which is what `--from` is for.
    pub(crate) fn stale_for(&self, current: &CronJobState) -> Option<String> {
        if let (Some(now), Some(then)) =
            (current.metadata.annotations.get(SUSPENDED_AT), &self.suspended_at)
            && now != then
        {
            return Some(format!("suspended again at {now}, after the snapshot"));
        }
        match (self.generation, current.metadata.generation) {
            (Some(then), Some(now)) if then != now => {
                Some(format!("its spec changed since the snapshot (generation {then}, now {now})"))
            }
            _ => None,
        }
    }
}

impl Snapshot {
    /// The entries in `namespace` (every entry when `None`): `-n` narrows a snapshot.
    /// The items of the context `here` (the run's context) and those that name none. A
    /// snapshot of other contexts only is refused rather than restoring nothing.
    pub(crate) fn for_context(mut self, here: Option<&str>) -> Result<Self> {
        let named: std::collections::BTreeSet<String> =
            self.items.iter().filter_map(|i| i.context.clone()).collect();
        self.items.retain(|i| i.context.is_none() || i.context.as_deref() == here);
        if self.items.is_empty() && !named.is_empty() {
            let named: Vec<String> = named.into_iter().collect();
            return Err(Error::Usage(format!(
                "the snapshot holds CronJobs of context(s) {}, not of {}: add --context {}",
                named.join(", "),
                here.unwrap_or("this one"),
                named.join(",")
            )));
        }
        Ok(self)
    }

    /// The contexts the items name (empty for a single-cluster snapshot).
    pub(crate) fn contexts(&self) -> Vec<String> {
        let named: std::collections::BTreeSet<&String> =
            self.items.iter().filter_map(|i| i.context.as_ref()).collect();
        named.into_iter().cloned().collect()
    }

    pub(crate) fn narrow(mut self, namespace: Option<&str>) -> Self {
        if let Some(namespace) = namespace {
            self.items.retain(|item| item.namespace == namespace);
        }
        self
    }

    /// A snapshot of the CronJobs that carry saved state.
    pub(crate) fn of<'a>(
        taken_at: Timestamp,
        cronjobs: impl Iterator<Item = &'a CronJobState>,
    ) -> Self {
        let items = cronjobs
            .filter_map(|cj| {
                Some(SnapshotItem {
                    namespace: cj.metadata.namespace.clone(),
                    name: cj.metadata.name.clone(),
                    uid: cj.metadata.uid.clone(),
                    previous_suspend: cj.saved()?,
                    suspended_at: cj.metadata.annotations.get(SUSPENDED_AT).cloned(),
                    reason: cj.metadata.annotations.get(SUSPEND_REASON).cloned(),
                    generation: cj.metadata.generation,
                    context: None,
                })
            })
            .collect();
        Snapshot { api_version: API_VERSION.into(), kind: KIND.into(), taken_at, items }
    }

    /// Checks, before anything is suspended, that [`Snapshot::write`] will be able to write
    /// `path` (its directory exists and takes a new file): a bad `--save-to` must fail the run
    /// while the cluster is untouched, not after every CronJob was suspended. Creates and
    /// removes a temporary file next to the one the write uses.
    pub(crate) fn check_writable(path: &Path) -> Result<()> {
        // Its own name per check: across clusters each cluster checks at the same time, and
        // one's remove must not race another's create.
        static CHECKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = temporary(path).with_extension(format!("check-{n}.tmp"));
        std::fs::File::create(&temp)
            .and_then(|_| std::fs::remove_file(&temp))
            .map_err(|source| Error::Io { context: format!("writing {}", path.display()), source })
    }

    /// Writes the file (pretty JSON) in one step: a temporary file next to it, flushed to
    /// disk, then renamed over it (rename(2) replaces atomically within a file system). A run
    /// killed while writing leaves the previous snapshot or none, never a truncated one that
    /// `resume --from` would reject when it is needed most.
    pub(crate) fn write(&self, path: &Path) -> Result<()> {
        // Across clusters every cluster's part goes into one file, each item with its context,
        // written once every cluster is done (crate::fanout).
        if let Some(member) = crate::fanout::member::current() {
            let mut value = serde_json::to_value(self)
                .map_err(|e| Error::Decode(format!("cannot encode the snapshot: {e}")))?;
            if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
                for item in items {
                    item["context"] = serde_json::Value::String(member.name.clone());
                }
            }
            member.defer_file(path, value);
            return Ok(());
        }
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Decode(format!("cannot encode the snapshot: {e}")))?;
        text.push('\n');
        let io = |source| Error::Io { context: format!("writing {}", path.display()), source };
        let temp = temporary(path);
        let written = (|| {
            let mut file = std::fs::File::create(&temp)?;
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temp, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written.map_err(io)
    }

    /// Reads a file written by [`Snapshot::write`].
    pub(crate) fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            context: format!("reading {}", path.display()),
            source,
        })?;
        let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
            Error::Usage(format!("{} is not a suspend-all snapshot: {e}", path.display()))
        })?;
        if snapshot.kind != KIND || snapshot.api_version != API_VERSION {
            return Err(Error::Usage(format!(
                "{} is a {} {}, not a {API_VERSION} {KIND}",
                path.display(),
                snapshot.api_version,
                snapshot.kind
            )));
        }
        Ok(snapshot)
    }
}

/// `.NAME.kuul-PID.tmp` next to `path`: same directory, so the rename stays on one file system.
fn temporary(path: &Path) -> std::path::PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    path.with_file_name(format!(".{name}.kuul-{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::annotations::SUSPENDED_BY_KUUL;

    #[test]
    fn snapshot_round_trips_and_keeps_only_saved_state() {
        let mut saved = CronJobState::default();
        saved.metadata.name = "backup".into();
        saved.metadata.namespace = "ops".into();
        saved.metadata.uid = "u1".into();
        saved.metadata.annotations.insert(SUSPENDED_BY_KUUL.into(), "true".into());
        saved.metadata.annotations.insert(SUSPENDED_AT.into(), "2025-03-01T10:00:00Z".into());
        let mut untouched = saved.clone();
        untouched.metadata.annotations.clear();
        let at: Timestamp = "2025-03-01T10:00:05Z".parse().unwrap();
        let snapshot = Snapshot::of(at, [&saved, &untouched].into_iter());
        assert_eq!(snapshot.items.len(), 1);
        assert!(snapshot.items[0].previous_suspend);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.json");
        snapshot.write(&path).unwrap();
        assert_eq!(Snapshot::read(&path).unwrap(), snapshot);
        std::fs::write(
            &path,
            r#"{"apiVersion":"v1","kind":"List","takenAt":"2025-03-01T10:00:05Z","items":[]}"#,
        )
        .unwrap();
        assert!(Snapshot::read(&path).unwrap_err().to_string().contains("not a kuul.dev/v1alpha1"));
    }

    #[test]
    fn an_entry_is_stale_after_a_later_suspend_or_spec_change_not_after_stripped_annotations() {
        let item = SnapshotItem {
            namespace: "ops".into(),
            name: "backup".into(),
            uid: "u1".into(),
            previous_suspend: false,
            suspended_at: Some("2025-03-01T10:00:00Z".into()),
            reason: None,
            generation: Some(2),
            context: None,
        };
        let mut current = CronJobState::default();
        current.metadata.generation = Some(2);
        assert_eq!(item.stale_for(&current), None, "annotations stripped, spec unchanged");
        current.metadata.annotations.insert(SUSPENDED_AT.into(), "2025-03-01T10:00:00Z".into());
        assert_eq!(item.stale_for(&current), None, "the same run");
        current.metadata.annotations.insert(SUSPENDED_AT.into(), "2025-03-02T09:00:00Z".into());
        assert!(item.stale_for(&current).unwrap().contains("suspended again at 2025-03-02"));
        current.metadata.annotations.clear();
        current.metadata.generation = Some(4);
        assert!(item.stale_for(&current).unwrap().contains("generation 2, now 4"));
        let old = SnapshotItem { generation: None, ..item };
        assert_eq!(old.stale_for(&current), None, "an older snapshot without generations");
        let snapshot = Snapshot {
            api_version: API_VERSION.into(),
            kind: KIND.into(),
            taken_at: "2025-03-01T10:00:05Z".parse().unwrap(),
            items: vec![old.clone(), SnapshotItem { namespace: "other".into(), ..old }],
        };
        assert_eq!(snapshot.clone().narrow(Some("other")).items.len(), 1);
        assert_eq!(snapshot.narrow(None).items.len(), 2);
    }

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.json");
        std::fs::write(&path, "an older snapshot").unwrap();
        let at: Timestamp = "2025-03-01T10:00:05Z".parse().unwrap();
        let snapshot = Snapshot::of(at, std::iter::empty());
        snapshot.write(&path).unwrap();
        assert_eq!(Snapshot::read(&path).unwrap(), snapshot);
        let files: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files, ["snap.json"]);
        // A directory that does not exist: a clear error, nothing left behind.
        let missing = dir.path().join("no-such-dir").join("snap.json");
        let err = snapshot.write(&missing).unwrap_err().to_string();
        assert!(err.contains("no-such-dir"), "{err}");
        let err = Snapshot::check_writable(&missing).unwrap_err().to_string();
        assert!(err.contains("no-such-dir"), "{err}");
        Snapshot::check_writable(&path).unwrap();
        let files: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files, ["snap.json"], "the check leaves nothing behind");
    }

    #[test]
    fn a_snapshot_across_clusters_gives_each_context_its_own_items() {
        let item = |context: Option<&str>, name: &str| SnapshotItem {
            namespace: "ops".into(),
            name: name.into(),
            uid: String::new(),
            previous_suspend: false,
            suspended_at: None,
            reason: None,
            generation: None,
            context: context.map(str::to_owned),
        };
        let snapshot = Snapshot {
            api_version: API_VERSION.into(),
            kind: KIND.into(),
            taken_at: "2025-03-01T10:00:00Z".parse().unwrap(),
            items: vec![item(Some("a"), "x"), item(Some("b"), "y"), item(None, "z")],
        };
        assert_eq!(snapshot.contexts(), ["a", "b"]);
        let names = |s: Snapshot| s.items.into_iter().map(|i| i.name).collect::<Vec<_>>();
        assert_eq!(names(snapshot.clone().for_context(Some("b")).unwrap()), ["y", "z"]);
        let only_named = Snapshot { items: snapshot.items[..2].to_vec(), ..snapshot };
        let err = only_named.for_context(Some("c")).unwrap_err().to_string();
        assert!(err.contains("add --context a,b"), "{err}");
    }
}
