//! Sandbox benchmark (`cargo run --release -p kuul-sandbox --example bench`): list latency for
//! 5,000 CronJobs and 50,000 Jobs, simple GETs per second and merge patches per second from
//! several concurrent keep-alive clients on loopback. Objects are created straight through the
//! store; the HTTP path is what is measured. Prints one line per measurement.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kuul_sandbox::{Kind, Sandbox};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CRONJOBS: usize = 5_000;
const JOBS: usize = 50_000;
const CLIENTS: usize = 4;
const RUN_FOR: Duration = Duration::from_secs(3);

fn cronjob(i: usize) -> serde_json::Value {
    json!({"metadata": {"name": format!("cj-{i:05}"), "namespace": format!("ns-{}", i % 10),
            "labels": {"app": format!("app-{}", i % 50)}},
        "spec": {"schedule": "*/5 * * * *", "suspend": true, "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36"}]}}}}}})
}

fn job(i: usize) -> serde_json::Value {
    json!({"metadata": {"name": format!("job-{i:06}"), "namespace": format!("ns-{}", i % 10)},
        "spec": {"template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "main", "image": "busybox:1.36"}]}}},
        "status": {"succeeded": 1, "startTime": "2025-03-01T09:00:00Z", "completionTime": "2025-03-01T09:01:00Z",
            "conditions": [{"type": "Complete", "status": "True"}]}})
}

/// One keep-alive HTTP/1.1 connection that sends a request and reads one full response.
struct Conn {
    r: BufReader<tokio::net::tcp::OwnedReadHalf>,
    w: tokio::net::tcp::OwnedWriteHalf,
    host: String,
    prefix: String,
}

impl Conn {
    async fn open(url: &str) -> Conn {
        let host = url.trim_start_matches("http://").to_string();
        let s = TcpStream::connect(&host).await.unwrap();
        s.set_nodelay(true).unwrap();
        let (r, w) = s.into_split();
        // No token over plain HTTP: the admin path prefix names the user, as for kubectl.
        Conn { r: BufReader::new(r), w, host, prefix: "/as/admin".into() }
    }

    async fn request(&mut self, method: &str, path: &str, ct: &str, body: &[u8]) -> (u16, usize) {
        let (status, body) = self.request_body(method, path, ct, body).await;
        (status, body.len())
    }

    async fn request_body(
        &mut self,
        method: &str,
        path: &str,
        ct: &str,
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let head = format!(
            "{method} {}{path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            self.prefix,
            self.host,
            body.len()
        );
        self.w.write_all(head.as_bytes()).await.unwrap();
        self.w.write_all(body).await.unwrap();
        let mut line = String::new();
        self.r.read_line(&mut line).await.unwrap();
        let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut len = 0usize;
        let mut chunked = false;
        loop {
            line.clear();
            self.r.read_line(&mut line).await.unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length: ") {
                len = v.parse().unwrap();
            }
            if lower == "transfer-encoding: chunked" {
                chunked = true;
            }
        }
        if chunked {
            let mut all = Vec::new();
            loop {
                line.clear();
                self.r.read_line(&mut line).await.unwrap();
                let size = usize::from_str_radix(line.trim(), 16).unwrap();
                let mut buf = vec![0; size + 2];
                self.r.read_exact(&mut buf).await.unwrap();
                all.extend_from_slice(&buf[..size]);
                if size == 0 {
                    return (status, all);
                }
            }
        }
        let mut buf = vec![0; len];
        self.r.read_exact(&mut buf).await.unwrap();
        (status, buf)
    }
}

async fn timed_list(url: &str, path: &str) -> (Duration, usize) {
    let mut c = Conn::open(url).await;
    let _ = c.request("GET", path, "application/json", b"").await; // warm up
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (status, n) = c.request("GET", path, "application/json", b"").await;
        assert_eq!(status, 200);
        best = best.min(t.elapsed());
        bytes = n;
    }
    (best, bytes)
}

/// A list's `metadata.continue` (the sandbox writes `metadata` before `items`).
fn continue_of(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(1024)];
    let key = b"\"continue\":\"";
    let at = head.windows(key.len()).position(|w| w == key)? + key.len();
    let end = head[at..].iter().position(|b| *b == b'"')?;
    Some(String::from_utf8_lossy(&head[at..at + end]).into_owned())
}

/// Every page of `path` at `limit`, as kuul's client pages (best of 3 runs), with `write`
/// called between pages (e.g. a PATCH, so later pages are served from the first page's
/// snapshot). Returns the time and how many pages.
async fn timed_pages(url: &str, path: &str, limit: usize, write: bool) -> (Duration, usize) {
    let mut c = Conn::open(url).await;
    let mut w = Conn::open(url).await;
    let mut best = Duration::MAX;
    let mut pages = 0;
    for run in 0..3 {
        let t = Instant::now();
        let mut token: Option<String> = None;
        pages = 0;
        loop {
            let p = match &token {
                Some(tok) => format!("{path}?limit={limit}&continue={tok}"),
                None => format!("{path}?limit={limit}"),
            };
            let (status, body) = c.request_body("GET", &p, "application/json", b"").await;
            assert_eq!(status, 200, "{p}");
            pages += 1;
            if write {
                let n = pages * 37 % JOBS;
                let patch =
                    json!({"metadata": {"annotations": {"page": format!("{run}-{pages}")}}});
                let (status, _) = w
                    .request(
                        "PATCH",
                        &format!("/apis/batch/v1/namespaces/ns-{}/jobs/job-{n:06}", n % 10),
                        "application/merge-patch+json",
                        patch.to_string().as_bytes(),
                    )
                    .await;
                assert_eq!(status, 200);
            }
            token = continue_of(&body);
            if token.is_none() {
                break;
            }
        }
        best = best.min(t.elapsed());
    }
    (best, pages)
}

async fn rate(
    url: &str,
    make: impl Fn(usize, u64) -> (String, String, Vec<u8>) + Send + Sync + 'static,
) -> f64 {
    let make = Arc::new(make);
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let (url, make, done) = (url.to_string(), Arc::clone(&make), Arc::clone(&done));
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(&url).await;
            let mut i = 0u64;
            while start.elapsed() < RUN_FOR {
                let (method, path, body) = make(client, i);
                let ct = if method == "PATCH" {
                    "application/merge-patch+json"
                } else {
                    "application/json"
                };
                let (status, _) = c.request(&method, &path, ct, &body).await;
                assert_eq!(status, 200, "{method} {path}");
                i += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let sb = Sandbox::builder().start().unwrap();
    let t = Instant::now();
    for ns in 0..10 {
        sb.store()
            .create(Kind::Namespace, json!({"metadata": {"name": format!("ns-{ns}")}}))
            .unwrap();
    }
    for i in 0..CRONJOBS {
        sb.store().create(Kind::CronJob, cronjob(i)).unwrap();
    }
    for i in 0..JOBS {
        sb.store().create(Kind::Job, job(i)).unwrap();
    }
    println!("setup: {} CronJobs + {} Jobs stored in {:.2?}", CRONJOBS, JOBS, t.elapsed());
    let t = Instant::now();
    sb.settle();
    println!("control plane first sync over them: {:.2?}", t.elapsed());

    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let url = sb.url().to_string();
    rt.block_on(async move {
        let (d, bytes) = timed_list(&url, "/apis/batch/v1/cronjobs").await;
        println!(
            "list {CRONJOBS} CronJobs (all namespaces): {:.1} ms, {:.1} MB",
            d.as_secs_f64() * 1e3,
            bytes as f64 / 1e6
        );
        let (d, bytes) = timed_list(&url, "/apis/batch/v1/jobs").await;
        println!(
            "list {JOBS} Jobs (all namespaces): {:.1} ms, {:.1} MB",
            d.as_secs_f64() * 1e3,
            bytes as f64 / 1e6
        );
        let (d, _) =
            timed_list(&url, "/apis/batch/v1/namespaces/ns-3/cronjobs?labelSelector=app%3Dapp-3")
                .await;
        println!(
            "list CronJobs by label in one namespace (100 of {CRONJOBS}): {:.2} ms",
            d.as_secs_f64() * 1e3
        );
        let (d, _) = timed_list(&url, "/apis/batch/v1/jobs?limit=500").await;
        println!("first page of 500 Jobs: {:.2} ms", d.as_secs_f64() * 1e3);
        let (d, pages) = timed_pages(&url, "/apis/batch/v1/jobs", 500, false).await;
        println!("paged list of {JOBS} Jobs at limit=500 ({pages} pages): {:.1} ms", d.as_secs_f64() * 1e3);
        let (d, pages) = timed_pages(&url, "/apis/batch/v1/jobs", 500, true).await;
        println!(
            "paged list of {JOBS} Jobs at limit=500, a Job patched between pages ({pages} pages, time without the patches not separated): {:.1} ms",
            d.as_secs_f64() * 1e3
        );

        let gets = rate(&url, |client, i| {
            let n = (client * 1000 + i as usize) % CRONJOBS;
            (
                "GET".into(),
                format!("/apis/batch/v1/namespaces/ns-{}/cronjobs/cj-{n:05}", n % 10),
                Vec::new(),
            )
        })
        .await;
        println!("GET one CronJob, {CLIENTS} concurrent keep-alive clients: {gets:.0} requests/s");

        let patches = rate(&url, |client, i| {
            let n = client * 100 + (i as usize % 100);
            let body = json!({"metadata": {"annotations": {"bench": i.to_string()}}})
                .to_string()
                .into_bytes();
            (
                "PATCH".into(),
                format!("/apis/batch/v1/namespaces/ns-{}/cronjobs/cj-{n:05}", n % 10),
                body,
            )
        })
        .await;
        println!("merge PATCH a CronJob, {CLIENTS} concurrent clients: {patches:.0} patches/s");
    });
}
