//! Server-side printing: `meta.k8s.io/v1` `Table` responses with the columns kubectl shows for
//! each resource (`pkg/printers/internalversion/printers.go`), so `kubectl get` and
//! `kubectl get -o wide` look as against a real cluster. Ages use the sandbox clock and
//! upstream's `duration.HumanDuration`.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::query::Query;
use crate::kind::Kind;

/// Whether the `Accept` header asks for a Table.
pub fn wants_table(accept: &str) -> bool {
    accept.contains("as=Table")
}

/// `duration.HumanDuration` (apimachinery/pkg/util/duration).
pub fn human_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{h}h", hours / 24) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter().try_fold(v, |cur, k| cur.get(k)).and_then(Value::as_str).unwrap_or_default()
}

fn n(v: &Value, path: &[&str]) -> i64 {
    path.iter().try_fold(v, |cur, k| cur.get(k)).and_then(Value::as_i64).unwrap_or(0)
}

fn age(v: &Value, field: &[&str], now: Timestamp) -> String {
    match s(v, field).parse::<Timestamp>() {
        Ok(t) => human_duration(now.duration_since(t)),
        Err(_) => "<unknown>".into(),
    }
}

fn or_none(x: String) -> String {
    if x.is_empty() { "<none>".into() } else { x }
}

fn containers(spec: Option<&Value>) -> (String, String) {
    let cs = spec.and_then(|s| s.get("containers")).and_then(Value::as_array);
    let names: Vec<&str> =
        cs.map(|c| c.iter().map(|c| s(c, &["name"])).collect()).unwrap_or_default();
    let images: Vec<&str> =
        cs.map(|c| c.iter().map(|c| s(c, &["image"])).collect()).unwrap_or_default();
    (names.join(","), images.join(","))
}

fn selector(sel: Option<&Value>) -> String {
    let Some(ml) = sel.and_then(|s| s.get("matchLabels")).and_then(Value::as_object) else {
        return "<none>".into();
    };
    let parts: Vec<String> =
        ml.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect();
    or_none(parts.join(","))
}

/// Where a column's description comes from: a literal of printers.go, or a field's Go doc
/// (`metav1.ObjectMeta{}.SwaggerDoc()["name"]`), read from the OpenAPI schemas, which carry the
/// same text.
#[derive(Clone, Copy)]
enum Doc {
    Text(&'static str),
    /// A schema (its full OpenAPI name) and field.
    Field(&'static str, &'static str),
    /// A core/v1 type and field.
    Core(&'static str, &'static str),
}

/// A column: name, type, priority, description.
type Column = (&'static str, &'static str, u8, Doc);

const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const NAME: Doc = Doc::Field(META, "name");
const AGE: Doc = Doc::Field(META, "creationTimestamp");
const CONTAINERS: Doc = Doc::Text("Names of each container in the template.");
const IMAGES: Doc = Doc::Text("Images referenced by each container in the template.");

/// The column definitions of `AddHandlers` (pkg/printers/internalversion/printers.go,
/// v1.32.0): names, types, priorities and descriptions.
fn columns(kind: Kind) -> Vec<Column> {
    let f = Doc::Core;
    let job_spec = |field| Doc::Field("io.k8s.api.batch.v1.JobSpec", field);
    match kind {
        Kind::Pod => vec![
            ("Name", "string", 0, NAME),
            (
                "Ready",
                "string",
                0,
                Doc::Text("The aggregate readiness state of this pod for accepting traffic."),
            ),
            (
                "Status",
                "string",
                0,
                Doc::Text("The aggregate status of the containers in this pod."),
            ),
            // Typed string, with this text, since 1.22 (the last restart's age in the cell).
            (
                "Restarts",
                "string",
                0,
                Doc::Text(
                    "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
                ),
            ),
            ("Age", "string", 0, AGE),
            ("IP", "string", 1, f("PodStatus", "podIP")),
            ("Node", "string", 1, f("PodSpec", "nodeName")),
            ("Nominated Node", "string", 1, f("PodStatus", "nominatedNodeName")),
            ("Readiness Gates", "string", 1, f("PodSpec", "readinessGates")),
        ],
        Kind::Job => vec![
            ("Name", "string", 0, NAME),
            ("Status", "string", 0, Doc::Text("Status of the job.")),
            ("Completions", "string", 0, Doc::Field("io.k8s.api.batch.v1.JobStatus", "succeeded")),
            ("Duration", "string", 0, Doc::Text("Time required to complete the job.")),
            ("Age", "string", 0, AGE),
            ("Containers", "string", 1, CONTAINERS),
            ("Images", "string", 1, IMAGES),
            ("Selector", "string", 1, job_spec("selector")),
        ],
        // Upstream takes these from batchv1beta1's CronJobSpec/CronJobStatus docs; the schemas
        // here are batch/v1's, whose text for these fields is the same but for timeZone, whose
        // v1beta1 doc may still end with a sentence about the CronJobTimeZone feature gate.
        Kind::CronJob => {
            let spec = |field| Doc::Field("io.k8s.api.batch.v1.CronJobSpec", field);
            let status = |field| Doc::Field("io.k8s.api.batch.v1.CronJobStatus", field);
            vec![
                ("Name", "string", 0, NAME),
                ("Schedule", "string", 0, spec("schedule")),
                ("Timezone", "string", 0, spec("timeZone")),
                ("Suspend", "boolean", 0, spec("suspend")),
                ("Active", "integer", 0, status("active")),
                ("Last Schedule", "string", 0, status("lastScheduleTime")),
                ("Age", "string", 0, AGE),
                ("Containers", "string", 1, CONTAINERS),
                ("Images", "string", 1, IMAGES),
                ("Selector", "string", 1, job_spec("selector")),
            ]
        }
        Kind::Node => vec![
            ("Name", "string", 0, NAME),
            ("Status", "string", 0, Doc::Text("The status of the node")),
            ("Roles", "string", 0, Doc::Text("The roles of the node")),
            ("Age", "string", 0, AGE),
            ("Version", "string", 0, f("NodeSystemInfo", "kubeletVersion")),
            ("Internal-IP", "string", 1, f("NodeStatus", "addresses")),
            ("External-IP", "string", 1, f("NodeStatus", "addresses")),
            ("OS-Image", "string", 1, f("NodeSystemInfo", "osImage")),
            ("Kernel-Version", "string", 1, f("NodeSystemInfo", "kernelVersion")),
            ("Container-Runtime", "string", 1, f("NodeSystemInfo", "containerRuntimeVersion")),
        ],
        Kind::Namespace => vec![
            ("Name", "string", 0, NAME),
            ("Status", "string", 0, Doc::Text("The status of the namespace")),
            ("Age", "string", 0, AGE),
        ],
        // configMapColumnDefinitions: Data is typed "string".
        Kind::ConfigMap => vec![
            ("Name", "string", 0, NAME),
            ("Data", "string", 0, f("ConfigMap", "data")),
            ("Age", "string", 0, AGE),
        ],
        Kind::Secret => vec![
            ("Name", "string", 0, NAME),
            ("Type", "string", 0, f("Secret", "type")),
            ("Data", "string", 0, f("Secret", "data")),
            ("Age", "string", 0, AGE),
        ],
        Kind::ResourceQuota => vec![
            ("Name", "string", 0, NAME),
            ("Age", "string", 0, AGE),
            (
                "Request",
                "string",
                0,
                Doc::Text(
                    "Request represents a minimum amount of cpu/memory that a container may consume.",
                ),
            ),
            (
                "Limit",
                "string",
                0,
                Doc::Text(
                    "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
                ),
            ),
        ],
        Kind::Event => vec![
            ("Last Seen", "string", 0, f("Event", "lastTimestamp")),
            ("Type", "string", 0, f("Event", "type")),
            ("Reason", "string", 0, f("Event", "reason")),
            ("Object", "string", 0, f("Event", "involvedObject")),
            ("Subobject", "string", 1, f("ObjectReference", "fieldPath")),
            ("Source", "string", 1, f("Event", "source")),
            ("Message", "string", 0, f("Event", "message")),
            ("First Seen", "string", 1, f("Event", "firstTimestamp")),
            ("Count", "string", 1, f("Event", "count")),
            ("Name", "string", 1, NAME),
        ],
    }
}

fn description(doc: Doc) -> &'static str {
    match doc {
        Doc::Text(t) => t,
        Doc::Field(schema, field) => super::openapi::field_description(schema, field),
        Doc::Core(ty, field) => {
            super::openapi::field_description(&format!("io.k8s.api.core.v1.{ty}"), field)
        }
    }
}

fn pod_cells(p: &Value, now: Timestamp) -> Vec<Value> {
    let statuses =
        p.get("status").and_then(|s| s.get("containerStatuses")).and_then(Value::as_array);
    let total = p
        .get("spec")
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let ready =
        statuses.map_or(0, |cs| cs.iter().filter(|c| c.get("ready") == Some(&json!(true))).count());
    let restarts: i64 = statuses.map_or(0, |cs| cs.iter().map(|c| n(c, &["restartCount"])).sum());
    // printPod: the reason of a waiting/terminated container wins over the phase.
    let mut status = s(p, &["status", "reason"]).to_string();
    if status.is_empty() {
        status = s(p, &["status", "phase"]).to_string();
    }
    for c in statuses.into_iter().flatten() {
        let waiting = s(c, &["state", "waiting", "reason"]);
        let term = s(c, &["state", "terminated", "reason"]);
        if !waiting.is_empty() {
            status = waiting.to_string();
        } else if !term.is_empty() {
            status = term.to_string();
        }
    }
    if p.get("metadata").and_then(|m| m.get("deletionTimestamp")).is_some() {
        status = "Terminating".into();
    }
    vec![
        json!(s(p, &["metadata", "name"])),
        json!(format!("{ready}/{total}")),
        json!(status),
        json!(restarts.to_string()),
        json!(age(p, &["metadata", "creationTimestamp"], now)),
        json!(or_none(s(p, &["status", "podIP"]).to_string())),
        json!(or_none(s(p, &["spec", "nodeName"]).to_string())),
        json!("<none>"),
        json!("<none>"),
    ]
}

fn job_status(j: &Value) -> &'static str {
    let conds = j.get("status").and_then(|s| s.get("conditions")).and_then(Value::as_array);
    let has = |t: &str| {
        conds.is_some_and(|cs| {
            cs.iter().any(|c| s(c, &["type"]) == t && s(c, &["status"]) == "True")
        })
    };
    // printJob (pkg/printers/internalversion/printers.go, v1.32.0).
    let deleting = j.get("metadata").and_then(|m| m.get("deletionTimestamp")).is_some();
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if deleting {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

fn job_cells(j: &Value, now: Timestamp) -> Vec<Value> {
    let completions = j.get("spec").and_then(|s| s.get("completions")).and_then(Value::as_i64);
    let succeeded = n(j, &["status", "succeeded"]);
    let comp = match completions {
        Some(c) => format!("{succeeded}/{c}"),
        None => match n(j, &["spec", "parallelism"]) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let start = s(j, &["status", "startTime"]).parse::<Timestamp>().ok();
    let end = s(j, &["status", "completionTime"]).parse::<Timestamp>().ok();
    let duration = match (start, end) {
        (Some(a), Some(b)) => human_duration(b.duration_since(a)),
        (Some(a), None) => human_duration(now.duration_since(a)),
        _ => String::new(),
    };
    let tspec = j.get("spec").and_then(|s| s.get("template")).and_then(|t| t.get("spec"));
    let (cn, ci) = containers(tspec);
    vec![
        json!(s(j, &["metadata", "name"])),
        json!(job_status(j)),
        json!(comp),
        json!(duration),
        json!(age(j, &["metadata", "creationTimestamp"], now)),
        json!(cn),
        json!(ci),
        json!(selector(j.get("spec").and_then(|s| s.get("selector")))),
    ]
}

fn cronjob_cells(c: &Value, now: Timestamp) -> Vec<Value> {
    let last = match s(c, &["status", "lastScheduleTime"]).parse::<Timestamp>() {
        Ok(t) => human_duration(now.duration_since(t)),
        Err(_) => "<none>".into(),
    };
    let active =
        c.get("status").and_then(|s| s.get("active")).and_then(Value::as_array).map_or(0, Vec::len);
    let jspec = c.get("spec").and_then(|s| s.get("jobTemplate")).and_then(|t| t.get("spec"));
    let (cn, ci) = containers(jspec.and_then(|j| j.get("template")).and_then(|t| t.get("spec")));
    vec![
        json!(s(c, &["metadata", "name"])),
        json!(s(c, &["spec", "schedule"])),
        json!(or_none(s(c, &["spec", "timeZone"]).to_string())),
        // The real server's printBoolPtr (pkg/printers/internalversion/printers.go,
        // printCronJob): the strings "True", "False" or "<unset>", not a JSON boolean.
        json!(match c.get("spec").and_then(|s| s.get("suspend")).and_then(Value::as_bool) {
            Some(true) => "True",
            Some(false) => "False",
            None => "<unset>",
        }),
        json!(active),
        json!(last),
        json!(age(c, &["metadata", "creationTimestamp"], now)),
        json!(cn),
        json!(ci),
        json!(selector(jspec.and_then(|j| j.get("selector")))),
    ]
}

fn node_cells(nd: &Value, now: Timestamp) -> Vec<Value> {
    let conds = nd.get("status").and_then(|s| s.get("conditions")).and_then(Value::as_array);
    let ready = conds.and_then(|cs| cs.iter().find(|c| s(c, &["type"]) == "Ready"));
    let mut status = match ready.map(|c| s(c, &["status"])) {
        Some("True") => "Ready".to_string(),
        _ => "NotReady".to_string(),
    };
    if nd.get("spec").and_then(|s| s.get("unschedulable")).and_then(Value::as_bool) == Some(true) {
        status.push_str(",SchedulingDisabled");
    }
    let labels = nd.get("metadata").and_then(|m| m.get("labels")).and_then(Value::as_object);
    let mut roles: Vec<String> = labels
        .map(|l| {
            l.keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    roles.sort();
    let addr = |t: &str| {
        nd.get("status")
            .and_then(|s| s.get("addresses"))
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|x| s(x, &["type"]) == t))
            .map(|x| s(x, &["address"]).to_string())
            .unwrap_or_else(|| "<none>".into())
    };
    vec![
        json!(s(nd, &["metadata", "name"])),
        json!(status),
        json!(or_none(roles.join(","))),
        json!(age(nd, &["metadata", "creationTimestamp"], now)),
        json!(s(nd, &["status", "nodeInfo", "kubeletVersion"])),
        json!(addr("InternalIP")),
        json!(addr("ExternalIP")),
        json!(or_none(s(nd, &["status", "nodeInfo", "osImage"]).to_string())),
        json!(or_none(s(nd, &["status", "nodeInfo", "kernelVersion"]).to_string())),
        json!(or_none(s(nd, &["status", "nodeInfo", "containerRuntimeVersion"]).to_string())),
    ]
}

/// printEvent (pkg/printers/internalversion/printers.go, v1.32.0): first seen is
/// `firstTimestamp`, else `eventTime`; last seen `lastTimestamp`, else the first; a series'
/// last observation and count win; a singleton's count 0 shows as 1 (an integer cell); the
/// source is `formatEventSource` (component, else reportingComponent; `, host`, else
/// `, reportingInstance`).
fn event_cells(e: &Value, now: Timestamp) -> Vec<Value> {
    let stamp = |field: &str| {
        if s(e, &[field]).is_empty() { None } else { Some(age(e, &[field], now)) }
    };
    let first = stamp("firstTimestamp")
        .or_else(|| stamp("eventTime"))
        .unwrap_or_else(|| "<unknown>".into());
    let mut last = stamp("lastTimestamp").unwrap_or_else(|| first.clone());
    let mut count = n(e, &["count"]);
    if let Some(series) = e.get("series").filter(|v| v.is_object()) {
        last = match s(series, &["lastObservedTime"]) {
            "" => "<unknown>".into(),
            _ => age(series, &["lastObservedTime"], now),
        };
        count = n(series, &["count"]);
    } else if count == 0 {
        count = 1;
    }
    let kind = s(e, &["involvedObject", "kind"]).to_lowercase();
    let obj = match s(e, &["involvedObject", "name"]) {
        "" => kind,
        name => format!("{kind}/{name}"),
    };
    let first_non_empty =
        |a: &str, b: &str| if a.is_empty() { b.to_string() } else { a.to_string() };
    let component = first_non_empty(s(e, &["source", "component"]), s(e, &["reportingComponent"]));
    let instance = first_non_empty(s(e, &["source", "host"]), s(e, &["reportingInstance"]));
    let source = if instance.is_empty() { component } else { format!("{component}, {instance}") };
    vec![
        json!(last),
        json!(s(e, &["type"])),
        json!(s(e, &["reason"])),
        json!(obj),
        json!(s(e, &["involvedObject", "fieldPath"])),
        json!(source),
        json!(s(e, &["message"]).trim()),
        json!(first),
        json!(count),
        json!(s(e, &["metadata", "name"])),
    ]
}

fn cells(kind: Kind, v: &Value, now: Timestamp) -> Vec<Value> {
    match kind {
        Kind::Pod => pod_cells(v, now),
        Kind::Job => job_cells(v, now),
        Kind::CronJob => cronjob_cells(v, now),
        Kind::Node => node_cells(v, now),
        Kind::Event => event_cells(v, now),
        Kind::Namespace => vec![
            json!(s(v, &["metadata", "name"])),
            json!(s(v, &["status", "phase"])),
            json!(age(v, &["metadata", "creationTimestamp"], now)),
        ],
        Kind::ConfigMap => vec![
            json!(s(v, &["metadata", "name"])),
            json!(
                v.get("data").and_then(Value::as_object).map_or(0, serde_json::Map::len)
                    + v.get("binaryData")
                        .and_then(Value::as_object)
                        .map_or(0, serde_json::Map::len)
            ),
            json!(age(v, &["metadata", "creationTimestamp"], now)),
        ],
        // printSecret: name, type, len(data), age.
        Kind::Secret => vec![
            json!(s(v, &["metadata", "name"])),
            json!(s(v, &["type"])),
            json!(v.get("data").and_then(Value::as_object).map_or(0, serde_json::Map::len)),
            json!(age(v, &["metadata", "creationTimestamp"], now)),
        ],
        Kind::ResourceQuota => {
            let (request, limit) = quota_columns(v);
            vec![
                json!(s(v, &["metadata", "name"])),
                json!(age(v, &["metadata", "creationTimestamp"], now)),
                json!(request),
                json!(limit),
            ]
        }
    }
}

/// printResourceQuota (pkg/printers/internalversion/printers.go, v1.32.0): `used/hard` per
/// resource of `status.hard`, sorted by name; `limits.*` in the Limit column.
fn quota_columns(v: &Value) -> (String, String) {
    let hard = v.pointer("/status/hard").and_then(Value::as_object);
    let mut names: Vec<&String> = hard.map(|h| h.keys().collect()).unwrap_or_default();
    names.sort();
    let (mut request, mut limit) = (Vec::new(), Vec::new());
    for name in names {
        let used = v
            .pointer("/status/used")
            .and_then(|u| u.get(name.as_str()))
            .and_then(Value::as_str)
            .unwrap_or("0");
        let h = hard.and_then(|h| h.get(name.as_str())).and_then(Value::as_str).unwrap_or("0");
        let cell = format!("{name}: {used}/{h}");
        match name.split_once('.') {
            Some(("limits", _)) => limit.push(cell),
            _ => request.push(cell),
        }
    }
    (request.join(", "), limit.join(", "))
}

/// The row object for `includeObject` (`Metadata` by default, `Object`, or `None`). The
/// metadata is the object's whole `metadata`, `managedFields` included: v1.32
/// `apiserver/pkg/endpoints/handlers/response.go` `asTable` wraps it with
/// `meta.AsPartialObjectMetadata`, which copies the `ObjectMeta` as it is
/// (`apimachinery/pkg/api/meta/meta.go`).
fn row_object(v: &Value, q: &Query) -> Option<Value> {
    match q.get("includeObject").unwrap_or("Metadata") {
        "None" => None,
        "Object" => Some(v.clone()),
        _ => Some(json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": v.get("metadata").cloned().unwrap_or_else(|| json!({}))})),
    }
}

/// A Table for `objects`; `with_headers` false leaves out the column definitions (watch events
/// after the first).
pub fn table_with(
    kind: Kind,
    objects: &[&Value],
    now: Timestamp,
    rv: u64,
    q: &Query,
    with_headers: bool,
) -> Value {
    let defs: Vec<Value> = if with_headers {
        columns(kind)
            .into_iter()
            .map(|(name, ty, prio, doc)| {
                let format = if name == "Name" { "name" } else { "" };
                json!({"name": name, "type": ty, "format": format,
                    "description": description(doc), "priority": prio})
            })
            .collect()
    } else {
        Vec::new()
    };
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let mut row = json!({"cells": cells(kind, o, now)});
            if let Some(obj) = row_object(o, q) {
                row["object"] = obj;
            }
            row
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": rv.to_string()},
        "columnDefinitions": defs, "rows": rows})
}

/// A Table with column definitions.
pub fn table(kind: Kind, objects: &[&Value], now: Timestamp, rv: u64, q: &Query) -> Value {
    table_with(kind, objects, now, rv, q, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_status_and_completions_as_print_job() {
        let j = serde_json::json!({"metadata": {"deletionTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"parallelism": 1}, "status": {"conditions": [
                {"type": "Suspended", "status": "True"}, {"type": "FailureTarget", "status": "True"}]}});
        assert_eq!(job_status(&j), "Terminating");
        let mut k = j.clone();
        k["metadata"] = serde_json::json!({});
        assert_eq!(job_status(&k), "Suspended");
        let now: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(job_cells(&k, now)[2], "0/1");
        k["spec"]["parallelism"] = serde_json::json!(3);
        assert_eq!(job_cells(&k, now)[2], "0/1 of 3");
    }

    #[test]
    fn human_durations_match_kubectl() {
        let d = SignedDuration::from_secs;
        assert_eq!(human_duration(d(5)), "5s");
        assert_eq!(human_duration(d(119)), "119s");
        assert_eq!(human_duration(d(312)), "5m12s");
        assert_eq!(human_duration(d(600)), "10m");
        assert_eq!(human_duration(d(3 * 3600 + 60)), "3h1m");
        assert_eq!(human_duration(d(30 * 3600)), "30h");
        assert_eq!(human_duration(d(3 * 86400 + 4 * 3600)), "3d4h");
        assert_eq!(human_duration(d(-5)), "<invalid>");
    }

    #[test]
    fn cronjob_row() {
        let cj = json!({"metadata": {"name": "nightly", "creationTimestamp": "2025-03-01T00:00:00Z"},
            "spec": {"schedule": "0 2 * * *", "suspend": true, "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [{"name": "c", "image": "busybox"}]}}}}},
            "status": {"lastScheduleTime": "2025-03-01T02:00:00Z", "active": [{}]}});
        let now: Timestamp = "2025-03-01T02:05:00Z".parse().unwrap();
        let t = table(Kind::CronJob, &[&cj], now, 7, &Query::default());
        assert_eq!(
            t["rows"][0]["cells"],
            json!([
                "nightly",
                "0 2 * * *",
                "<none>",
                "True",
                1,
                "5m",
                "125m",
                "c",
                "busybox",
                "<none>"
            ])
        );
        assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    }

    #[test]
    fn a_rows_metadata_is_the_objects_whole_metadata_managed_fields_included() {
        let managed = json!([{"manager": "kube-controller-manager", "operation": "Update"}]);
        let pod = json!({"metadata": {"name": "p", "namespace": "ops", "labels": {"a": "b"},
            "managedFields": managed}, "spec": {}, "status": {"phase": "Running"}});
        let now = Timestamp::UNIX_EPOCH;
        let partial = json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": pod["metadata"].clone()});
        for (query, object) in [
            ("", Some(partial.clone())),
            ("includeObject=Metadata", Some(partial.clone())),
            ("includeObject=Object", Some(pod.clone())),
            ("includeObject=None", None),
        ] {
            let t = table(Kind::Pod, &[&pod], now, 1, &Query::parse(Some(query)));
            assert_eq!(t["rows"][0].get("object").cloned(), object, "{query}");
        }
    }
}
