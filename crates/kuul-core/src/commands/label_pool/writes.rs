//! `label-pool POOL NODE...`, pure: what to do to each node, with `kubectl label`'s rules.
//! Setting a label a node already has with another value needs `--overwrite`
//! (kubectl `label.go`: "'%s' already has a value (%s), and --overwrite is false");
//! `--remove` takes nodes out of POOL and leaves nodes of other pools alone.

use serde::Serialize;

use crate::cluster::selector::{check_key, check_value};
use crate::error::{Error, Result};
use crate::placement::NodeFacts;

/// What happens (or happened) to one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "action")]
pub enum Change {
    /// The node had no pool; it gets the label.
    Label,
    /// The node moves from another pool (`--overwrite`).
    Move {
        /// The pool it leaves.
        from: String,
    },
    /// Already in the pool: nothing to do.
    AlreadyInPool,
    /// `--remove`: the label goes.
    Unlabel,
    /// `--remove`, but the node is not in the pool: left alone.
    NotInPool {
        /// Its pool, if any.
        pool: Option<String>,
    },
}

impl Change {
    /// Whether the node must be patched.
    pub fn writes(&self) -> bool {
        matches!(self, Change::Label | Change::Move { .. } | Change::Unlabel)
    }
}

/// Checks the label key and the pool name as the API server would (exit 2 when wrong).
pub(crate) fn check_label(key: &str, pool: &str) -> Result<()> {
    check_key(key).map_err(|e| Error::Usage(format!("invalid label key: {e}")))?;
    if pool.is_empty() {
        return Err(Error::Usage("the pool name cannot be empty".into()));
    }
    check_value(pool).map_err(|e| Error::Usage(format!("invalid pool name (a label value): {e}")))
}

/// Decides one node. A node in another pool without `--overwrite` is an error naming the node
/// and its pool.
pub(crate) fn decide(
    node: &NodeFacts,
    key: &str,
    pool: &str,
    remove: bool,
    overwrite: bool,
) -> Result<Change> {
    let current = node.label(key);
    Ok(match (remove, current) {
        (true, Some(p)) if p == pool => Change::Unlabel,
        (true, other) => Change::NotInPool { pool: other.map(str::to_owned) },
        (false, None) => Change::Label,
        (false, Some(p)) if p == pool => Change::AlreadyInPool,
        (false, Some(p)) if overwrite => Change::Move { from: p.to_owned() },
        (false, Some(p)) => {
            return Err(Error::Usage(format!(
                "node \"{}\" is already in pool \"{p}\" ({key}={p}) and --overwrite is false; \
                 add --overwrite to move it to \"{pool}\"",
                node.metadata.name
            )));
        }
    })
}

/// The merge patch for a change: the label (or `null` to delete it) and the resourceVersion the
/// decision was made on, so a concurrent change makes the API server answer 409 and the bulk
/// engine re-reads and decides again.
pub(crate) fn patch(node: &NodeFacts, key: &str, pool: &str, change: &Change) -> serde_json::Value {
    let value = if *change == Change::Unlabel {
        serde_json::Value::Null
    } else {
        serde_json::Value::String(pool.to_owned())
    };
    serde_json::json!({"metadata": {
        "resourceVersion": node.metadata.resource_version,
        "labels": {key: value},
    }})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "kuul.dev/pool";

    fn node(pool: Option<&str>) -> NodeFacts {
        let labels = pool.map_or(json!({}), |p| json!({KEY: p}));
        serde_json::from_value(
            json!({"metadata": {"name": "n1", "labels": labels, "resourceVersion": "42"}}),
        )
        .unwrap()
    }

    #[test]
    fn overwrite_rules_follow_kubectl_label() {
        assert_eq!(decide(&node(None), KEY, "batch", false, false).unwrap(), Change::Label);
        assert_eq!(
            decide(&node(Some("batch")), KEY, "batch", false, false).unwrap(),
            Change::AlreadyInPool
        );
        let err = decide(&node(Some("gpu")), KEY, "batch", false, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "node \"n1\" is already in pool \"gpu\" (kuul.dev/pool=gpu) and --overwrite is false; \
             add --overwrite to move it to \"batch\""
        );
        assert_eq!(
            decide(&node(Some("gpu")), KEY, "batch", false, true).unwrap(),
            Change::Move { from: "gpu".into() }
        );
    }

    #[test]
    fn remove_only_takes_nodes_out_of_that_pool() {
        assert_eq!(
            decide(&node(Some("batch")), KEY, "batch", true, false).unwrap(),
            Change::Unlabel
        );
        assert_eq!(
            decide(&node(Some("gpu")), KEY, "batch", true, false).unwrap(),
            Change::NotInPool { pool: Some("gpu".into()) }
        );
        assert_eq!(
            decide(&node(None), KEY, "batch", true, false).unwrap(),
            Change::NotInPool { pool: None }
        );
    }

    #[test]
    fn patches_carry_the_resource_version() {
        let n = node(Some("gpu"));
        assert_eq!(
            patch(&n, KEY, "batch", &Change::Move { from: "gpu".into() }),
            json!({"metadata": {"resourceVersion": "42", "labels": {KEY: "batch"}}})
        );
        assert_eq!(
            patch(&n, KEY, "gpu", &Change::Unlabel),
            json!({"metadata": {"resourceVersion": "42", "labels": {KEY: null}}})
        );
    }

    #[test]
    fn keys_and_values_are_validated_like_kubernetes() {
        assert!(check_label("kuul.dev/pool", "batch").is_ok());
        assert!(check_label("myTag", "periodic").is_ok());
        for (key, value) in [
            ("bad key", "x"),
            ("Kuul.Dev/pool", "x"),
            ("/pool", "x"),
            ("kuul.dev/", "x"),
            ("kuul.dev/pool", "-batch"),
            ("kuul.dev/pool", "a b"),
            ("kuul.dev/pool", ""),
            ("kuul.dev/pool", &"x".repeat(64)),
        ] {
            let err = check_label(key, value).unwrap_err();
            assert_eq!(err.exit_status(), crate::error::ExitStatus::Usage, "{key:?} {value:?}");
        }
    }
}
