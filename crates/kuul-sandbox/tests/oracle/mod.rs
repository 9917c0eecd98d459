//! The kube-apiserver oracle: API scenarios (`golden/apiserver/scenarios.yaml`), a minimal
//! HTTP/1.1 client to run them, and the normalisation that makes a real server's answers and the
//! sandbox's comparable. Shared by the recorder (`examples/record_apiserver.rs`, which runs the
//! scenarios against a real kube-apiserver 1.20 and writes `golden/apiserver/<name>.json`) and
//! the replay test (`tests/apiserver_golden.rs`, which runs the recorded requests against the
//! sandbox and compares).
//!
//! Scenario format (YAML): a list of `{name, doc, steps}`; a step is `{method, path, body?,
//! contentType?, accept?, watch?, capture?}`. `${ns}` in a path or body is the scenario's
//! namespace (created before the first step, not recorded); `${x}` is a value captured by an
//! earlier step: `capture: {x: /metadata/uid}` takes the JSON pointer from that step's raw
//! (not normalised) response body. `watch: true` reads the body as a stream of JSON lines until
//! the server closes it (give the path a `timeoutSeconds`).
//!
//! Normalisation keeps relations and drops identities: every uid becomes `<uid-N>` and every
//! resourceVersion `<rv-N>`, numbered by first appearance in the scenario, so "the same
//! resourceVersion as the create returned" survives while the numbers do not; timestamps become
//! `<time>`, continue tokens `<continue>`, a generated name `<generateName><gen-N>`, a Table's
//! `Age` cells `<age>`. `metadata.managedFields` is dropped (the sandbox keeps none; see the
//! README).

// Shared by a test and an example; each uses a different part.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Map, Value, json};

/// Where the scenarios and goldens live.
pub fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden").join("apiserver")
}

/// One scenario from `scenarios.yaml`.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub doc: String,
    pub steps: Vec<Value>,
}

/// Reads `scenarios.yaml`.
pub fn scenarios() -> Vec<Scenario> {
    let text = std::fs::read_to_string(golden_dir().join("scenarios.yaml")).unwrap();
    let v: Value = serde_saphyr::from_str(&text).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| Scenario {
            name: s["name"].as_str().unwrap().to_string(),
            doc: s["doc"].as_str().unwrap_or_default().to_string(),
            steps: s["steps"].as_array().unwrap().clone(),
        })
        .collect()
}

/// The namespace a scenario runs in.
pub fn namespace_of(scenario: &str) -> String {
    format!("g-{scenario}")
}

/// A raw HTTP response.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Where and how to send requests: `host:port`, an optional bearer token, and TLS (trusting
/// the given roots) when the server speaks HTTPS.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: String,
    pub token: Option<String>,
    pub tls: Option<std::sync::Arc<rustls::ClientConfig>>,
}

/// A TLS client configuration trusting `ca_der` only.
pub fn tls_trusting(ca_der: Vec<u8>) -> std::sync::Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(rustls::pki_types::CertificateDer::from(ca_der)).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    std::sync::Arc::new(config)
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// One HTTP/1.1 request, `Connection: close`, body read until the server closes.
pub fn send(
    t: &Target,
    method: &str,
    path: &str,
    content_type: &str,
    accept: &str,
    body: &[u8],
) -> Raw {
    let tcp = TcpStream::connect(&t.addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut s: Box<dyn ReadWrite> = match &t.tls {
        None => Box::new(tcp),
        Some(config) => {
            let host = t.addr.rsplit_once(':').map_or(t.addr.as_str(), |(h, _)| h).to_string();
            let name = rustls::pki_types::ServerName::try_from(host).unwrap();
            let conn = rustls::ClientConnection::new(std::sync::Arc::clone(config), name).unwrap();
            Box::new(rustls::StreamOwned::new(conn, tcp))
        }
    };
    let auth = t.token.as_ref().map_or(String::new(), |k| format!("Authorization: Bearer {k}\r\n"));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Type: {content_type}\r\nAccept: {accept}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        t.addr,
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("no header end");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    let mut body = buf[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v == "chunked") {
        body = dechunk(&body);
    }
    Raw { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else { return out };
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
}

/// Replaces `${name}` in every string of `v`.
fn substitute(v: &Value, vars: &BTreeMap<String, String>) -> Value {
    match v {
        Value::String(s) => Value::String(subst_str(s, vars)),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, vars)).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, x)| (k.clone(), substitute(x, vars))).collect())
        }
        other => other.clone(),
    }
}

fn subst_str(s: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = s.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v);
    }
    out
}

/// The body of a response as JSON: one value, or for a watch the array of its events; a body
/// that is not JSON is kept as a string.
fn body_json(raw: &Raw, watch: bool) -> Value {
    let text = String::from_utf8_lossy(&raw.body);
    if watch && raw.status == 200 {
        return Value::Array(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap_or_else(|_| Value::String(l.to_string())))
                .collect(),
        );
    }
    if text.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.trim_end().to_string()))
}

/// Runs one scenario against `t` (its namespace is created first) and returns the recorded
/// steps: `{request, response}` with the response normalised.
pub fn run(t: &Target, s: &Scenario) -> Vec<Value> {
    let ns = namespace_of(&s.name);
    let create_ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
    let r = send(
        t,
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "application/json",
        create_ns.to_string().as_bytes(),
    );
    assert!(
        r.status == 201,
        "creating namespace {ns}: {} {}",
        r.status,
        String::from_utf8_lossy(&r.body)
    );
    let mut vars = BTreeMap::from([("ns".to_string(), ns)]);
    let mut norm = Normaliser::default();
    let mut out = Vec::new();
    for step in &s.steps {
        let method = step["method"].as_str().unwrap_or("GET");
        let path = subst_str(step["path"].as_str().unwrap(), &vars);
        let ct = step["contentType"].as_str().unwrap_or("application/json");
        let accept = step["accept"].as_str().unwrap_or("application/json");
        let watch = step["watch"].as_bool().unwrap_or(false);
        let body = match step.get("body") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(text)) => subst_str(text, &vars).into_bytes(),
            Some(b) => substitute(b, &vars).to_string().into_bytes(),
        };
        let raw = send(t, method, &path, ct, accept, &body);
        let json_body = body_json(&raw, watch);
        if let Some(Value::Object(caps)) = step.get("capture") {
            for (name, pointer) in caps {
                let p = pointer.as_str().unwrap();
                let v = json_body.pointer(p).unwrap_or_else(|| {
                    panic!("scenario {}: capture {name} at {p} missing in {json_body}", s.name)
                });
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                vars.insert(name.clone(), v);
            }
        }
        let mut response = Map::new();
        response.insert("status".into(), json!(raw.status));
        if let Some(ctype) = raw.header("content-type") {
            response.insert("contentType".into(), json!(ctype));
        }
        if let Some(w) = raw.header("warning") {
            response.insert("warning".into(), json!(w));
        }
        response.insert("body".into(), norm.normalise(json_body));
        let mut request = step.as_object().unwrap().clone();
        request.remove("capture");
        out.push(json!({"request": Value::Object(request), "response": Value::Object(response)}));
    }
    out
}

/// Placeholders by first appearance.
#[derive(Default)]
pub struct Normaliser {
    uids: BTreeMap<String, usize>,
    rvs: BTreeMap<String, usize>,
    generated: BTreeMap<String, usize>,
}

fn numbered(map: &mut BTreeMap<String, usize>, value: &str) -> usize {
    let next = map.len() + 1;
    *map.entry(value.to_string()).or_insert(next)
}

fn is_uid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() }
        })
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && s.ends_with('Z')
        && b[..4].iter().all(u8::is_ascii_digit)
}

impl Normaliser {
    pub fn normalise(&mut self, mut v: Value) -> Value {
        self.generated_names(&v);
        self.walk(&mut v, None);
        v
    }

    /// Learns `generateName`d names first so every mention of one is replaced.
    fn generated_names(&mut self, v: &Value) {
        match v {
            Value::Object(o) => {
                if let (Some(Value::String(g)), Some(Value::String(n))) =
                    (o.get("generateName"), o.get("name"))
                    && n.starts_with(g.as_str())
                    && n.len() > g.len()
                {
                    numbered(&mut self.generated, n);
                }
                o.values().for_each(|x| self.generated_names(x));
            }
            Value::Array(a) => a.iter().for_each(|x| self.generated_names(x)),
            _ => {}
        }
    }

    fn string(&mut self, key: Option<&str>, s: &str) -> Option<String> {
        if is_uid(s) {
            return Some(format!("<uid-{}>", numbered(&mut self.uids, s)));
        }
        if is_timestamp(s) {
            return Some("<time>".into());
        }
        match key {
            Some("resourceVersion") if !s.is_empty() => {
                return Some(format!("<rv-{}>", numbered(&mut self.rvs, s)));
            }
            Some("continue") if !s.is_empty() => return Some("<continue>".into()),
            _ => {}
        }
        let mut out = s.to_string();
        let mut changed = false;
        for (name, n) in &self.generated {
            if out.contains(name.as_str()) {
                // `<generateName><gen-N>`: the prefix stays visible.
                let cut = name.len() - 5.min(name.len());
                out = out.replace(name.as_str(), &format!("{}<gen-{n}>", &name[..cut]));
                changed = true;
            }
        }
        for (uid, n) in &self.uids {
            if out.contains(uid.as_str()) {
                out = out.replace(uid.as_str(), &format!("<uid-{n}>"));
                changed = true;
            }
        }
        changed.then_some(out)
    }

    fn walk(&mut self, v: &mut Value, key: Option<&str>) {
        match v {
            Value::String(s) => {
                if let Some(n) = self.string(key, s) {
                    *s = n;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| self.walk(x, key)),
            Value::Object(o) => {
                o.remove("managedFields");
                if o.get("kind").and_then(Value::as_str) == Some("Table") {
                    age_cells(o);
                }
                // uids first, so a uid inside another string (a selector) maps the same way.
                for k in ["uid"] {
                    if let Some(x) = o.get_mut(k) {
                        self.walk(x, Some(k));
                    }
                }
                let keys: Vec<String> = o.keys().cloned().collect();
                for k in keys {
                    if k == "uid" {
                        continue;
                    }
                    // Label and annotation keys are data too (`controller-uid` values are
                    // uids, handled as strings).
                    let x = o.get_mut(&k).unwrap();
                    self.walk(x, Some(&k));
                }
            }
            _ => {}
        }
    }
}

/// A Table's `Age` (and events' `Last Seen`/`First Seen`) cells depend on the server's clock:
/// `<age>`.
fn age_cells(table: &mut Map<String, Value>) {
    let Some(cols) = table.get("columnDefinitions").and_then(Value::as_array) else { return };
    let ages: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c["name"].as_str(), Some("Age" | "Last Seen" | "First Seen")))
        .map(|(i, _)| i)
        .collect();
    if let Some(Value::Array(rows)) = table.get_mut("rows") {
        for row in rows {
            if let Some(Value::Array(cells)) = row.get_mut("cells") {
                for i in &ages {
                    if let Some(c) = cells.get_mut(*i) {
                        *c = json!("<age>");
                    }
                }
            }
        }
    }
}

/// Where two normalised values differ: JSON pointers with both sides, at most `max`.
pub fn differences(a: &Value, b: &Value, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    diff_into(a, b, String::new(), &mut out, max);
    out
}

fn diff_into(a: &Value, b: &Value, at: String, out: &mut Vec<String>, max: usize) {
    if out.len() >= max || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = format!("{at}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(l), Some(r)) => diff_into(l, r, p, out, max),
                    (Some(l), None) => out.push(format!("{p}: golden {l}, sandbox absent")),
                    (None, Some(r)) => out.push(format!("{p}: golden absent, sandbox {r}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                diff_into(l, r, format!("{at}/{i}"), out, max);
            }
        }
        _ => out.push(format!("{at}: golden {a}, sandbox {b}")),
    }
}
