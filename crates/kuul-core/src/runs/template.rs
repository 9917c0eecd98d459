//! What changed between two runs' pod templates, one short line per change
//! (`image app:1.4 -> app:1.5`), and the whole-template difference `history --diff` prints.

use std::collections::BTreeMap;

use serde_json::Value;

use super::facts::{Template, TemplateContainer};

/// The changes from `old` to `new`, in template order.
pub fn changes(old: &Template, new: &Template) -> Vec<String> {
    let mut out = Vec::new();
    let several = old.containers.len() > 1 || new.containers.len() > 1;
    containers(&mut out, &old.init_containers, &new.init_containers, true, true);
    containers(&mut out, &old.containers, &new.containers, several, false);
    if old.node_selector != new.node_selector {
        out.push(format!(
            "nodeSelector {} -> {}",
            pairs(&old.node_selector),
            pairs(&new.node_selector)
        ));
    }
    if old.service_account_name != new.service_account_name {
        out.push(format!(
            "serviceAccountName {} -> {}",
            old.service_account_name.as_deref().unwrap_or("<none>"),
            new.service_account_name.as_deref().unwrap_or("<none>")
        ));
    }
    out
}

fn containers(
    out: &mut Vec<String>,
    old: &[TemplateContainer],
    new: &[TemplateContainer],
    name_them: bool,
    init: bool,
) {
    let kind = if init { "initContainer" } else { "container" };
    for n in new {
        let label = |what: &str| {
            if name_them { format!("{what}[{}]", n.name) } else { what.to_owned() }
        };
        let Some(o) = old.iter().find(|o| o.name == n.name) else {
            out.push(format!("{kind} +{} ({})", n.name, n.image));
            continue;
        };
        if o.image != n.image {
            out.push(format!("{} {} -> {}", label("image"), o.image, n.image));
        }
        if o.command != n.command {
            out.push(format!(
                "{} {} -> {}",
                label("command"),
                words(&o.command),
                words(&n.command)
            ));
        }
        if o.args != n.args {
            out.push(format!("{} {} -> {}", label("args"), words(&o.args), words(&n.args)));
        }
        for line in env(o, n) {
            out.push(format!("{} {line}", label("env")));
        }
        for (which, a, b) in [
            ("requests", &o.resources.requests, &n.resources.requests),
            ("limits", &o.resources.limits, &n.resources.limits),
        ] {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (x, y) = (a.get(key), b.get(key));
                if x != y {
                    out.push(format!(
                        "{} {which}.{key} {} -> {}",
                        label("resources"),
                        x.map_or_else(|| "<none>".into(), scalar),
                        y.map_or_else(|| "<none>".into(), scalar)
                    ));
                }
            }
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.name == o.name)) {
        out.push(format!("{kind} -{}", o.name));
    }
}

fn env(old: &TemplateContainer, new: &TemplateContainer) -> Vec<String> {
    let shown = |e: &super::facts::EnvVar| match (&e.value, &e.value_from) {
        (Some(v), _) => v.clone(),
        (None, Some(from)) => format!("<from {}>", compact(from)),
        (None, None) => String::new(),
    };
    let mut out = Vec::new();
    for n in &new.env {
        match old.env.iter().find(|o| o.name == n.name) {
            None => out.push(format!("+{}={}", n.name, shown(n))),
            Some(o) if o != n => out.push(format!("{}={} -> {}", n.name, shown(o), shown(n))),
            Some(_) => {}
        }
    }
    for o in old.env.iter().filter(|o| !new.env.iter().any(|n| n.name == o.name)) {
        out.push(format!("-{}", o.name));
    }
    out
}

fn words(list: &[String]) -> String {
    if list.is_empty() { "<none>".into() } else { format!("{list:?}") }
}

fn pairs(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    map.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Every leaf of `value` as `path: value` (`containers[0].image: app:1.4`), for `--diff`.
pub(crate) fn flatten(value: &Value) -> BTreeMap<String, String> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&path, v, out);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    // Containers and env vars read better by name than by index.
                    let key = v
                        .get("name")
                        .and_then(Value::as_str)
                        .map_or_else(|| i.to_string(), |n| format!("name={n}"));
                    walk(&format!("{prefix}[{key}]"), v, out);
                }
            }
            leaf => {
                out.insert(prefix.to_owned(), scalar(leaf));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", value, &mut out);
    out
}
