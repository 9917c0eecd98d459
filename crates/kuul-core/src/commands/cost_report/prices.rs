//! Prices: per vCPU-hour, per GiB-hour of memory and per GPU-hour, from flags or a `--prices`
//! file (YAML or JSON) with per-pool and per-instance-type entries, and the hourly rates that
//! apply on each node.
//!
//! Defaults are OpenCost's (`configs/default.json` in opencost/opencost: "Default prices based on
//! GCP us-central1": CPU 0.031611, RAM 0.004237, GPU 0.95).
//!
//! A `node` price (what one node costs per hour) is shared out by requests as OpenCost's
//! specification recommends (`spec/opencost-specv01.md`, Appendix A): the per-resource prices
//! keep their ratio and are scaled so that the node's whole capacity costs exactly the node
//! price; a pod then pays its requests at those scaled rates, and what no pod requested is the
//! node's idle cost.
//!
//! The file is read with serde-saphyr (JSON is YAML), which gives every value its line and
//! column, so a wrong price is reported as "line 4 column 10: pools.batch.cpu: ...".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{Error, Result};
use crate::placement::NodeFacts;
use crate::quantity::{self, GIB};

/// OpenCost's default CPU price, per vCPU-hour.
pub const DEFAULT_CPU_PRICE: f64 = 0.031_611;
/// OpenCost's default memory price, per GiB-hour.
pub const DEFAULT_MEMORY_PRICE: f64 = 0.004_237;
/// OpenCost's default GPU price, per GPU-hour.
pub const DEFAULT_GPU_PRICE: f64 = 0.95;
/// The extended resource GPUs are requested as.
pub const GPU_RESOURCE: &str = "nvidia.com/gpu";
/// The well-known node label naming the machine type.
pub use crate::cluster::annotations::INSTANCE_TYPE as INSTANCE_TYPE_LABEL;

/// Hourly rates per unit of each resource.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rates {
    /// Per vCPU-hour.
    pub cpu: f64,
    /// Per GiB-hour.
    pub memory: f64,
    /// Per GPU-hour.
    pub gpu: f64,
}

/// Resource amounts in price units: vCPUs, GiB, GPUs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// vCPUs.
    pub cpu: f64,
    /// GiB of memory.
    pub memory_gib: f64,
    /// GPUs.
    pub gpu: f64,
}

impl Resources {
    /// Reads `cpu`, `memory` and `nvidia.com/gpu` from a resource list; unparsable quantities
    /// count as zero (the API server never stores them).
    pub(crate) fn from_list(list: &impl crate::cluster::facts::StrLookup) -> Self {
        let get = |key: &str| list.lookup(key).and_then(|q| quantity::parse(q).ok()).unwrap_or(0.0);
        Resources { cpu: get("cpu"), memory_gib: get("memory") / GIB, gpu: get(GPU_RESOURCE) }
    }

    /// What these resources cost per hour.
    pub fn hourly(&self, rates: &Rates) -> f64 {
        self.cpu * rates.cpu + self.memory_gib * rates.memory + self.gpu * rates.gpu
    }

    /// Component-wise sum.
    #[must_use]
    pub fn plus(self, other: Resources) -> Resources {
        Resources {
            cpu: self.cpu + other.cpu,
            memory_gib: self.memory_gib + other.memory_gib,
            gpu: self.gpu + other.gpu,
        }
    }

    /// Component-wise maximum.
    #[must_use]
    pub fn max(self, other: Resources) -> Resources {
        Resources {
            cpu: self.cpu.max(other.cpu),
            memory_gib: self.memory_gib.max(other.memory_gib),
            gpu: self.gpu.max(other.gpu),
        }
    }
}

/// Where a node's rates came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum PriceSource {
    /// The flags (or their defaults) or the file's top level.
    Default,
    /// The file's `pools.<name>` entry.
    Pool(String),
    /// The file's `instanceTypes.<name>` entry.
    InstanceType(String),
}

/// The rates on one node, and what the node costs per hour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodePrice {
    /// Per-unit rates pods on this node pay.
    pub(crate) rates: Rates,
    /// The node's own hourly price: the file's `node` price, else its capacity at `rates`.
    pub(crate) hourly: f64,
    /// Where the rates came from.
    pub(crate) source: PriceSource,
}

/// One entry of the file: per-resource prices and/or a whole-node price.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    cpu: Option<Spanned<f64>>,
    memory: Option<Spanned<f64>>,
    gpu: Option<Spanned<f64>>,
    node: Option<Spanned<f64>>,
}

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PriceFile {
    cpu: Option<Spanned<f64>>,
    memory: Option<Spanned<f64>>,
    gpu: Option<Spanned<f64>>,
    #[serde(default)]
    pools: BTreeMap<String, EntryFile>,
    #[serde(default)]
    instance_types: BTreeMap<String, EntryFile>,
}

/// A validated entry.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Entry {
    cpu: Option<f64>,
    memory: Option<f64>,
    gpu: Option<f64>,
    node: Option<f64>,
}

/// The price book: defaults plus per-pool and per-instance-type entries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prices {
    /// Rates where no entry applies.
    pub(crate) defaults: Rates,
    pools: BTreeMap<String, Entry>,
    instance_types: BTreeMap<String, Entry>,
}

/// Checks a price given on the command line.
pub(crate) fn check_flag(flag: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::Usage(format!("{flag} must be a number >= 0, got {value}")))
    }
}

impl Prices {
    /// Prices from the flags only.
    pub(crate) fn flat(defaults: Rates) -> Self {
        Prices { defaults, pools: BTreeMap::new(), instance_types: BTreeMap::new() }
    }

    /// Reads a price file; its top-level prices override `defaults` (the flags).
    pub(crate) fn from_file_text(path: &str, text: &str, defaults: Rates) -> Result<Self> {
        let bad = |message: String| Error::Usage(format!("bad price file {path}: {message}"));
        let file: PriceFile = if text.trim().is_empty() {
            PriceFile::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| bad(one_line(&e.to_string(), text)))?
        };
        let value = |field: &str, spanned: Option<&Spanned<f64>>| -> Result<Option<f64>> {
            let Some(spanned) = spanned else { return Ok(None) };
            if spanned.value.is_finite() && spanned.value >= 0.0 {
                Ok(Some(spanned.value))
            } else {
                Err(bad(format!(
                    "line {} column {}: {field}: a price must be a number >= 0, got {}",
                    spanned.referenced.line(),
                    spanned.referenced.column(),
                    spanned.value
                )))
            }
        };
        let entry = |prefix: String, e: &EntryFile| -> Result<Entry> {
            Ok(Entry {
                cpu: value(&format!("{prefix}.cpu"), e.cpu.as_ref())?,
                memory: value(&format!("{prefix}.memory"), e.memory.as_ref())?,
                gpu: value(&format!("{prefix}.gpu"), e.gpu.as_ref())?,
                node: value(&format!("{prefix}.node"), e.node.as_ref())?,
            })
        };
        let defaults = Rates {
            cpu: value("cpu", file.cpu.as_ref())?.unwrap_or(defaults.cpu),
            memory: value("memory", file.memory.as_ref())?.unwrap_or(defaults.memory),
            gpu: value("gpu", file.gpu.as_ref())?.unwrap_or(defaults.gpu),
        };
        let mut pools = BTreeMap::new();
        for (name, e) in &file.pools {
            pools.insert(name.clone(), entry(format!("pools.{name}"), e)?);
        }
        let mut instance_types = BTreeMap::new();
        for (name, e) in &file.instance_types {
            instance_types.insert(name.clone(), entry(format!("instanceTypes.{name}"), e)?);
        }
        Ok(Prices { defaults, pools, instance_types })
    }

    /// The rates on `node` (in `pool`): the pool's entry, else the instance type's, else the
    /// defaults. Resources an entry leaves out keep the default price; a `node` price rescales
    /// all three so the node's capacity costs exactly that.
    pub(crate) fn for_node(&self, node: Option<&NodeFacts>, pool: Option<&str>) -> NodePrice {
        let from_pool =
            pool.and_then(|p| self.pools.get(p).map(|e| (e, PriceSource::Pool(p.into()))));
        let from_type = || {
            let kind = node?.label(INSTANCE_TYPE_LABEL)?;
            self.instance_types.get(kind).map(|e| (e, PriceSource::InstanceType(kind.into())))
        };
        let capacity = node.map(node_capacity).unwrap_or_default();
        let Some((entry, source)) = from_pool.or_else(from_type) else {
            let rates = self.defaults;
            return NodePrice {
                rates,
                hourly: capacity.hourly(&rates),
                source: PriceSource::Default,
            };
        };
        let base = Rates {
            cpu: entry.cpu.unwrap_or(self.defaults.cpu),
            memory: entry.memory.unwrap_or(self.defaults.memory),
            gpu: entry.gpu.unwrap_or(self.defaults.gpu),
        };
        let at_base = capacity.hourly(&base);
        match entry.node {
            // Appendix A: hold the ratio, scale the total to the node price.
            Some(node_price) if at_base > 0.0 => {
                let factor = node_price / at_base;
                let rates = Rates {
                    cpu: base.cpu * factor,
                    memory: base.memory * factor,
                    gpu: base.gpu * factor,
                };
                NodePrice { rates, hourly: node_price, source }
            }
            // A node price but no capacity to share it over: pods pay the base rates.
            Some(node_price) => NodePrice { rates: base, hourly: node_price, source },
            None => NodePrice { rates: base, hourly: at_base, source },
        }
    }
}

/// serde-saphyr's message is several lines with a source excerpt; keep its first line
/// ("line 3 column 5: unknown field ...") and quote the source line it points at, so the field
/// is named even when the parser only knows a type was wrong.
fn one_line(message: &str, text: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let source_line = first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| text.lines().nth(n.checked_sub(1)?))
        .map(str::trim)
        .filter(|l| !l.is_empty());
    match source_line {
        Some(line) => format!("{first} (at \"{line}\")"),
        None => first.to_owned(),
    }
}

/// What a node offers: `status.capacity`, else `status.allocatable` (OpenCost prices the
/// machine, so capacity comes first).
pub(crate) fn node_capacity(node: &NodeFacts) -> Resources {
    if node.status.capacity.is_empty() {
        Resources::from_list(&node.status.allocatable)
    } else {
        Resources::from_list(&node.status.capacity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FLAGS: Rates =
        Rates { cpu: DEFAULT_CPU_PRICE, memory: DEFAULT_MEMORY_PRICE, gpu: DEFAULT_GPU_PRICE };

    fn node(labels: serde_json::Value, capacity: serde_json::Value) -> NodeFacts {
        serde_json::from_value(json!({"metadata": {"name": "n", "labels": labels},
            "status": {"capacity": capacity}}))
        .unwrap()
    }

    #[test]
    fn defaults_price_the_capacity() {
        let prices = Prices::flat(FLAGS);
        let n = node(json!({}), json!({"cpu": "4", "memory": "16Gi"}));
        let p = prices.for_node(Some(&n), None);
        assert_eq!(p.rates, FLAGS);
        assert!((p.hourly - (4.0 * DEFAULT_CPU_PRICE + 16.0 * DEFAULT_MEMORY_PRICE)).abs() < 1e-12);
        assert_eq!(p.source, PriceSource::Default);
    }

    #[test]
    fn node_price_is_shared_out_keeping_the_ratio() {
        // OpenCost Appendix A's example: 1 GPU, 1 CPU, 1 GiB at base 30/30/10 on a 35 node -> 15/15/5.
        let text = "pools:\n  gpu:\n    cpu: 30\n    gpu: 30\n    memory: 10\n    node: 35\n";
        let prices = Prices::from_file_text("p.yaml", text, FLAGS).unwrap();
        let n = node(json!({}), json!({"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}));
        let p = prices.for_node(Some(&n), Some("gpu"));
        assert_eq!(p.rates, Rates { cpu: 15.0, memory: 5.0, gpu: 15.0 });
        assert_eq!(p.hourly, 35.0);
        assert_eq!(p.source, PriceSource::Pool("gpu".into()));
    }

    #[test]
    fn pool_beats_instance_type_beats_defaults() {
        let text = r#"{"cpu": 0.05, "pools": {"batch": {"cpu": 0.02}},
                       "instanceTypes": {"m5.large": {"memory": 0.01}}}"#;
        let prices = Prices::from_file_text("p.json", text, FLAGS).unwrap();
        let typed = node(json!({INSTANCE_TYPE_LABEL: "m5.large"}), json!({"cpu": "2"}));
        assert_eq!(prices.for_node(Some(&typed), Some("batch")).rates.cpu, 0.02);
        let by_type = prices.for_node(Some(&typed), Some("other"));
        assert_eq!(by_type.rates, Rates { cpu: 0.05, memory: 0.01, gpu: DEFAULT_GPU_PRICE });
        assert_eq!(by_type.source, PriceSource::InstanceType("m5.large".into()));
        assert_eq!(prices.for_node(None, None).rates.cpu, 0.05);
    }

    #[test]
    fn bad_files_name_line_and_field() {
        let err = Prices::from_file_text("p.yaml", "pools:\n  batch:\n    cpu: -1\n", FLAGS)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("pools.batch.cpu"), "{err}");
        let err = Prices::from_file_text("p.yaml", "pools:\n  batch:\n    cpus: 1\n", FLAGS)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cpus") && err.contains('3'), "{err}");
        let err = Prices::from_file_text("p.yaml", "cpu: cheap\n", FLAGS).unwrap_err().to_string();
        assert_eq!(
            err,
            "bad price file p.yaml: line 1 column 6: invalid floating point (at \"cpu: cheap\")"
        );
        let json = "{\"cpu\": 1,\n \"pools\": {\"a\": {\"node\": -2}}}";
        let err = Prices::from_file_text("p.json", json, FLAGS).unwrap_err().to_string();
        assert_eq!(
            err,
            "bad price file p.json: line 2 column 26: pools.a.node: a price must be a number >= 0, \
             got -2"
        );
    }

    #[test]
    fn negative_flags_are_usage_errors() {
        assert!(check_flag("--cpu-price", -0.1).is_err());
        assert!(check_flag("--cpu-price", f64::NAN).is_err());
        assert_eq!(check_flag("--cpu-price", 0.0).unwrap(), 0.0);
    }
}
