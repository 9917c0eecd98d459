//! The list layer: the splitter on awkward bodies and chunkings, and paging, concurrency,
//! failures mid-list and the expired-continue fallback against a scripted HTTP server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::batch::v1::Job;
use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;
use crate::cluster::ServerClock;

fn split(body: &[u8], chunk: usize) -> Result<(Vec<String>, Vec<String>), String> {
    let mut splitter = ItemSplitter::default();
    let (mut meta, mut items) = (Vec::new(), Vec::new());
    for part in body.chunks(chunk.max(1)) {
        splitter.feed(part, |piece| {
            match piece {
                Piece::Metadata(m) => meta.push(String::from_utf8(m.to_vec()).unwrap()),
                Piece::Item(i) => items.push(String::from_utf8(i.to_vec()).unwrap()),
            }
            Ok(())
        })?;
    }
    splitter.finish()?;
    Ok((meta, items))
}

#[test]
fn items_are_split_whatever_the_chunks() {
    // Strings holding braces, brackets, quotes, escapes and the word "items"; a nested
    // "items" key and "metadata" inside an item; metadata after the items; non-ASCII text.
    let body = r#"{"kind":"JobList","apiVersion":"batch/v1","items":[{"metadata":{"name":"a{["},"spec":{"items":[{"x":"}"}]}},{"metadata":{"name":"b\"}\\"},"data":"\\\"]","n":[1,[2,{}]]},{"metadata":{"name":"\u00e9t\u00e9-\u2603 ☃"}}],"metadata":{"resourceVersion":"7","continue":"tok"}}"#
        .as_bytes();
    let want_items = [
        r#"{"metadata":{"name":"a{["},"spec":{"items":[{"x":"}"}]}}"#,
        r#"{"metadata":{"name":"b\"}\\"},"data":"\\\"]","n":[1,[2,{}]]}"#,
        r#"{"metadata":{"name":"\u00e9t\u00e9-\u2603 ☃"}}"#,
    ];
    for chunk in [1, 2, 3, 7, 64, body.len()] {
        let (meta, items) = split(body, chunk).unwrap();
        assert_eq!(items, want_items, "chunks of {chunk}");
        assert_eq!(meta, [r#"{"resourceVersion":"7","continue":"tok"}"#], "chunks of {chunk}");
        for item in &items {
            serde_json::from_str::<serde_json::Value>(item).unwrap();
        }
    }
}

fn split_shaped(body: &[u8], chunk: usize, shape: Option<Shape>) -> Vec<String> {
    let mut splitter = ItemSplitter { shape, ..ItemSplitter::default() };
    let mut items = Vec::new();
    for part in body.chunks(chunk.max(1)) {
        splitter
            .feed(part, |piece| {
                if let Piece::Item(i) = piece {
                    items.push(String::from_utf8(i.to_vec()).unwrap());
                }
                Ok(())
            })
            .unwrap();
    }
    splitter.finish().unwrap();
    items
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Slim {
    metadata: SlimMeta,
    status: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct SlimMeta {
    name: String,
    owner_references: serde_json::Value,
}

#[test]
fn a_shape_turns_what_the_type_does_not_read_into_null() {
    // Skipped values of every kind (object, array, string with braces and escapes, number,
    // `true`, nested), as first, middle and last member, with and without whitespace; kept
    // values (and their nested objects and arrays) untouched.
    let body = r#"{"metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a","labels":{"x":"}{"},"ownerReferences":[{"uid":"u","x":{}}],"generation":3},"spec":{"template":{"spec":[1,{"a":"]"}]}},"status":{"active":1,"conditions":[{"type":"Complete"}]}},{"spec":"s\"}","n":-1.5e3,"metadata":{"labels":[],"name":"b"},"status":{},"z":true},{ "kind" : "Job" , "metadata" : { "name" : "c" , "uid" : "x" } , "spec" : { } }]}"#
        .as_bytes();
    let shape = Shape::of::<Slim>().map(|s| s.with::<SlimMeta>("metadata"));
    let want = [
        r#"{"metadata":{"name":"a","labels":null,"ownerReferences":[{"uid":"u","x":{}}],"generation":null},"spec":null,"status":{"active":1,"conditions":[{"type":"Complete"}]}}"#,
        r#"{"spec":null,"n":null,"metadata":{"labels":null,"name":"b"},"status":{},"z":null}"#,
        r#"{ "kind" :null , "metadata" : { "name" : "c" , "uid" :null } , "spec" :null }"#,
    ];
    for chunk in [1, 2, 3, 5, 17, body.len()] {
        let items = split_shaped(body, chunk, shape.clone());
        assert_eq!(items, want, "chunks of {chunk}");
        for item in &items {
            serde_json::from_str::<serde_json::Value>(item).unwrap();
        }
    }
    // Without a shape, items are whole.
    let whole = split_shaped(body, 7, None);
    assert!(whole[0].contains(r#""labels":{"x":"}{"}"#), "{}", whole[0]);
}

#[test]
fn skipped_values_end_where_their_brackets_do_whatever_their_strings_hold() {
    // Escaped quotes and backslashes (an escape cut between chunks too), brackets in strings
    // and nested arrays inside skipped objects: the skip must close exactly at the value's own
    // bracket.
    let body = r#"{"items":[{"metadata":{"labels":{"a":"x\"}]","b":["\\",{"c":"\\\"{"}],"d":{}},"name":"n"},"spec":[[{"e":"]\\"}],"\""]}]}"#
        .as_bytes();
    let shape = Shape::of::<Slim>().map(|s| s.with::<SlimMeta>("metadata"));
    let want = [r#"{"metadata":{"labels":null,"name":"n"},"spec":null}"#];
    for chunk in 1..=body.len() {
        assert_eq!(split_shaped(body, chunk, shape.clone()), want, "chunks of {chunk}");
    }
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct SlimPod {
    spec: SlimSpec,
    status: serde_json::Value,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct SlimSpec {
    containers: Vec<SlimContainer>,
    #[serde(rename = "nodeName")]
    node_name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct SlimContainer {
    name: String,
}

#[test]
fn a_shape_on_an_array_filters_each_object_in_it() {
    let body = r#"{"items":[{"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"E"}]},{"image":"y","name":"b"},null,[{"image":"z"}]],"volumes":[{"name":"v"}],"nodeName":"n"},"status":{"x":{"image":"q"}}},{"spec":{"containers":null},"status":[{"image":"q"}]}]}"#
        .as_bytes();
    let spec = Shape::of::<SlimSpec>().map(|s| s.with::<SlimContainer>("containers"));
    let shape = Shape::of::<SlimPod>().map(|s| s.nest("spec", spec));
    let want = [
        // Each container cut to its name; other arrays (volumes) skipped whole; a kept value
        // (status) untouched however its objects are named.
        r#"{"spec":{"containers":[{"name":"a","image":null,"env":null},{"image":null,"name":"b"},null,[{"image":null}]],"volumes":null,"nodeName":"n"},"status":{"x":{"image":"q"}}}"#,
        // A filtered field that is null leaves the next kept value whole.
        r#"{"spec":{"containers":null},"status":[{"image":"q"}]}"#,
    ];
    for chunk in [1, 2, 3, 5, 17, body.len()] {
        let items = split_shaped(body, chunk, shape.clone());
        assert_eq!(items, want, "chunks of {chunk}");
    }
}

#[test]
fn empty_null_and_whitespace_lists() {
    assert_eq!(split(br#"{"items":[]}"#, 3).unwrap().1.len(), 0);
    assert_eq!(split(br#"{"metadata":{},"items":null}"#, 3).unwrap().1.len(), 0);
    let spaced = b" {\n \"metadata\" : { } ,\n \"items\" : [ { \"a\" : 1 } ,\n { } ]\n}\n";
    let (meta, items) = split(spaced, 5).unwrap();
    assert_eq!(items, [r#"{ "a" : 1 }"#, "{ }"]);
    assert_eq!(meta, ["{ }"]);
}

#[test]
fn a_body_cut_short_or_not_a_list_is_an_error() {
    let cut = br#"{"metadata":{},"items":[{"a":1},{"b":"#;
    let err = split(cut, 4).unwrap_err();
    assert!(err.contains("ended early"), "{err}");
    assert!(split(b"[1,2]", 4).unwrap_err().contains("not a list"));
    assert!(split(br#"{"items":[]}{"#, 4).unwrap_err().contains("after the list"));
}

#[test]
fn the_buffer_holds_only_the_unfinished_item() {
    let mut splitter = ItemSplitter::default();
    let mut seen = 0;
    splitter.feed(br#"{"items":["#, |_| Ok(())).unwrap();
    for _ in 0..1000 {
        splitter
            .feed(br#"{"metadata":{"name":"some-job-with-a-long-name"}},"#, |_| {
                seen += 1;
                Ok(())
            })
            .unwrap();
    }
    assert_eq!(seen, 1000);
    assert!(splitter.buf.len() < 64, "{}", splitter.buf.len());
}

#[test]
fn an_item_decodes_from_its_text_as_from_its_bytes_and_bad_utf8_is_an_error() {
    // Escapes, a non-ASCII name and a kept raw value: what the slice reader gave, the text
    // reader gives too.
    #[derive(Debug, Deserialize)]
    struct Item {
        name: String,
        raw: Box<serde_json::value::RawValue>,
    }
    let body = r#"{"name":"caf\u00e9 \"x\" ü","raw":{"a":["ß",1]}}"#.as_bytes();
    let from_bytes: Item = serde_json::from_slice(body).unwrap();
    let from_text: Item = decode_item(body).unwrap();
    assert_eq!(from_text.name, from_bytes.name);
    assert_eq!(from_text.raw.get(), from_bytes.raw.get());
    assert_eq!(from_text.name, "café \"x\" ü");

    let mut bad = br#"{"name":"a"#.to_vec();
    bad.extend_from_slice(&[0xff, b'"', b',', b'"', b'r', b'a', b'w', b'"', b':', b'1', b'}']);
    let err = decode_item::<Item>(&bad).unwrap_err();
    assert!(err.contains("invalid utf-8"), "{err}");
}

#[test]
fn items_of_a_page_of_unknown_size_come_out_in_order_in_one_exact_vector() {
    for n in [0, 1, FIRST_BLOCK, FIRST_BLOCK + 1, 1000, LARGEST_BLOCK * 3 + 7] {
        let mut items = Items::default();
        for i in 0..n {
            items.push(i);
            assert_eq!(items.len(), i + 1);
        }
        let all = items.into_vec();
        assert_eq!(all, (0..n).collect::<Vec<_>>());
        if n > FIRST_BLOCK {
            assert_eq!(all.capacity(), n, "{n} items spanning blocks move into their exact size");
        }
    }
    // A full page (its size known) fills its one allocation and is handed over as it is.
    let mut items = Items::default();
    items.reserve_exact(10_000);
    let first = items.open.as_ptr();
    (0..10_000).for_each(|i| items.push(i));
    assert!(items.filled.is_empty());
    let all = items.into_vec();
    assert_eq!((all.len(), all.as_ptr()), (10_000, first));
}

// --- against a scripted server ------------------------------------------------------------

/// What the scripted server answers to one request.
#[derive(Clone)]
enum Answer {
    /// Status and body.
    Full(u16, String),
    /// Status 200 and a Content-Length for `body`, but only its first `n` bytes, then the
    /// connection closes.
    Cut(String, usize),
    /// Status 200 and `body`, its first `n` bytes, then the rest once notified.
    Held(String, usize, Arc<tokio::sync::Notify>),
}

type Script = Arc<dyn Fn(&str, usize) -> Answer + Send + Sync>;

/// A tiny HTTP/1.1 server: `script(path_and_query, nth request)`; records every request line.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn serve(script: Script) -> Server {
    serve_gated(script, None).await
}

/// [`serve`], each answer waiting at `gate` first.
async fn serve_gated(script: Script, gate: Option<Arc<tokio::sync::Barrier>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (script, log, gate) = (Arc::clone(&script), Arc::clone(&log), gate.clone());
            tokio::spawn(async move {
                let mut pending = Vec::new();
                loop {
                    let head_end = loop {
                        if let Some(p) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                            break p + 4;
                        }
                        let mut buf = [0u8; 4096];
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => pending.extend_from_slice(&buf[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&pending[..head_end]).to_string();
                    pending.drain(..head_end);
                    let path = head.split_whitespace().nth(1).unwrap_or_default().to_owned();
                    let nth = {
                        let mut log = log.lock().unwrap();
                        log.push(path.clone());
                        log.len()
                    };
                    if let Some(gate) = &gate {
                        gate.wait().await;
                    }
                    let answer = script(&path, nth);
                    let (status, body, send) = match &answer {
                        Answer::Full(status, body) => (*status, body.as_str(), body.len()),
                        Answer::Cut(body, n) | Answer::Held(body, n, _) => (200, body.as_str(), *n),
                    };
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\n\r\n",
                        body.len()
                    );
                    // Pause between writes so a client reads bodies in several chunks.
                    let _ = socket.write_all(head.as_bytes()).await;
                    for part in body.as_bytes()[..send].chunks(1000) {
                        if socket.write_all(part).await.is_err() {
                            return;
                        }
                        tokio::task::yield_now().await;
                    }
                    match &answer {
                        Answer::Cut(..) => return,
                        Answer::Held(body, n, notify) => {
                            notify.notified().await;
                            let _ = socket.write_all(&body.as_bytes()[*n..]).await;
                        }
                        Answer::Full(..) => {}
                    }
                }
            });
        }
    });
    Server { url, seen }
}

impl Server {
    fn cluster(&self) -> Cluster {
        let config = kube::Config::new(self.url.parse().unwrap());
        Cluster::new(config, Some(Duration::from_secs(20)), ServerClock::default()).unwrap()
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

#[derive(Debug, Deserialize)]
struct Named {
    metadata: Meta,
}

#[derive(Debug, Deserialize)]
struct Meta {
    name: String,
}

/// A JobList page of jobs `from..to`, with `cont` as its continue token.
fn page(from: usize, to: usize, cont: Option<&str>) -> String {
    let items: Vec<_> = (from..to)
        .map(|i| json!({"metadata": {"name": format!("job-{i}"), "namespace": "ops"},
                        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}))
        .collect();
    let mut meta = json!({"resourceVersion": "42"});
    if let Some(c) = cont {
        meta["continue"] = json!(c);
    }
    json!({"kind": "JobList", "apiVersion": "batch/v1", "metadata": meta, "items": items})
        .to_string()
}

fn names(items: &[Named]) -> Vec<String> {
    items.iter().map(|n| n.metadata.name.clone()).collect()
}

fn expected(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("job-{i}")).collect()
}

async fn list_jobs(cluster: &Cluster, page_size: u32) -> crate::error::Result<Vec<Named>> {
    cluster
        .list_in_pages(
            Job::url_path(&(), None),
            RequestInfo::of::<Job>("list", None, None),
            ListOptions { label_selector: Some("app=x".into()), field_selector: None },
            page_size,
        )
        .await
}

/// Three pages: `continue=p2`, `continue=p3`, then the end.
fn three_pages(path: &str) -> Answer {
    if path.contains("continue=p2") {
        Answer::Full(200, page(3, 6, Some("p3")))
    } else if path.contains("continue=p3") {
        Answer::Full(200, page(6, 7, None))
    } else {
        Answer::Full(200, page(0, 3, Some("p2")))
    }
}

#[tokio::test]
async fn pages_are_followed_in_order_with_the_selector_on_each() {
    let server = serve(Arc::new(|path: &str, _| three_pages(path))).await;
    let items = list_jobs(&server.cluster(), 3).await.unwrap();
    assert_eq!(names(&items), expected(7));
    let seen = server.requests();
    assert_eq!(seen.len(), 3, "{seen:?}");
    for path in &seen {
        assert!(path.starts_with("/apis/batch/v1/jobs?"), "{path}");
        assert!(path.contains("limit=3") && path.contains("labelSelector=app%3Dx"), "{path}");
    }
    assert!(!seen[0].contains("continue"), "{seen:?}");
}

#[tokio::test]
async fn the_default_page_covers_an_ordinary_cluster_in_one_request() {
    let server = serve(Arc::new(|_: &str, _| Answer::Full(200, page(0, 2000, None)))).await;
    let cluster = server.cluster();
    let items: Vec<Named> =
        cluster.list::<Job, Named>(None, &ListOptions::default()).await.unwrap();
    assert_eq!(names(&items), expected(2000));
    let seen = server.requests();
    assert_eq!(seen, [format!("/apis/batch/v1/jobs?limit={PAGE_SIZE}")]);
}

#[tokio::test]
async fn an_expired_continue_token_falls_back_to_one_unpaged_list() {
    let expired = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
        "message": "The provided continue parameter is too old", "reason": "Expired", "code": 410})
    .to_string();
    let server = serve(Arc::new(move |path: &str, _| {
        if path.contains("continue=p2") {
            Answer::Full(410, expired.clone())
        } else if path.contains("limit=") {
            Answer::Full(200, page(0, 3, Some("p2")))
        } else {
            Answer::Full(200, page(0, 5, None))
        }
    }))
    .await;
    let items = list_jobs(&server.cluster(), 3).await.unwrap();
    // The first page's items are not kept twice.
    assert_eq!(names(&items), expected(5));
    let seen = server.requests();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(!seen[2].contains("limit") && !seen[2].contains("continue"), "{seen:?}");
    assert!(seen[2].contains("labelSelector=app%3Dx"), "the fallback keeps the selector");
}

#[tokio::test]
async fn an_expired_first_page_is_an_error_not_a_loop() {
    // 410 on the first request (no continue token) is not the pager's case: report it.
    let server = serve(Arc::new(|_: &str, _| {
        Answer::Full(
            410,
            json!({"kind": "Status", "reason": "Expired", "code": 410,
            "message": "too old resource version"})
            .to_string(),
        )
    }))
    .await;
    let err = list_jobs(&server.cluster(), 3).await.unwrap_err();
    assert!(err.to_string().contains("410"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_page_cut_off_mid_item_is_fetched_again() {
    let server = serve(Arc::new(|path: &str, nth| {
        // The second request (page 2) breaks off in its middle once.
        if nth == 2 {
            let body = page(3, 6, Some("p3"));
            let half = body.len() / 2;
            return Answer::Cut(body, half);
        }
        three_pages(path)
    }))
    .await;
    let items = list_jobs(&server.cluster(), 3).await.unwrap();
    assert_eq!(names(&items), expected(7), "no item of the broken attempt is kept");
    let seen = server.requests();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(seen.iter().filter(|p| p.contains("continue=p2")).count(), 2, "{seen:?}");
    assert_eq!(seen.iter().filter(|p| p.contains("continue=p3")).count(), 1, "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_page_is_asked_for_before_the_page_before_has_arrived() {
    // Page 1 sends its metadata and half its items, then waits until page 2 has been asked
    // for: fetching pages one after the other would never finish.
    let asked = Arc::new(tokio::sync::Notify::new());
    let asked2 = Arc::clone(&asked);
    let server = serve(Arc::new(move |path: &str, _| {
        if path.contains("continue=") {
            asked2.notify_one();
            return three_pages(path);
        }
        let body = page(0, 3, Some("p2"));
        let half = body.len() / 2;
        Answer::Held(body, half, Arc::clone(&asked2))
    }))
    .await;
    let items = tokio::time::timeout(Duration::from_secs(20), list_jobs(&server.cluster(), 3))
        .await
        .expect("page 2 was asked for while page 1 was still arriving")
        .unwrap();
    assert_eq!(names(&items), expected(7), "in order");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn an_error_on_a_later_page_fails_the_list_with_the_servers_words() {
    let server = serve(Arc::new(|path: &str, _| {
        if path.contains("continue=p2") {
            Answer::Full(
                403,
                json!({"kind": "Status", "reason": "Forbidden", "code": 403,
                "message": "jobs.batch is forbidden"})
                .to_string(),
            )
        } else {
            three_pages(path)
        }
    }))
    .await;
    let err = list_jobs(&server.cluster(), 3).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
}

#[tokio::test]
async fn a_lasting_server_error_mid_list_is_reported_after_the_retries() {
    let server = serve(Arc::new(|path: &str, _| {
        if path.contains("continue=p2") {
            Answer::Full(
                500,
                json!({"kind": "Status", "reason": "InternalError", "code": 500,
                "message": "etcd is sad"})
                .to_string(),
            )
        } else {
            three_pages(path)
        }
    }))
    .await;
    let err = list_jobs(&server.cluster(), 3).await.unwrap_err();
    assert!(err.to_string().contains("list jobs.batch: etcd is sad"), "{err}");
    // The first page once, then the second page on every attempt.
    assert_eq!(server.requests().len(), 5, "{:?}", server.requests());
}

#[tokio::test]
async fn an_item_that_does_not_decode_names_the_list_and_the_item() {
    let server = serve(Arc::new(|_: &str, _| {
        Answer::Full(
            200,
            r#"{"metadata":{},"items":[{"metadata":{"name":"a"}},{"metadata":{}}]}"#.into(),
        )
    }))
    .await;
    let err = list_jobs(&server.cluster(), 3).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("list jobs.batch: item 2: missing field `name`"), "{text}");
    assert_eq!(server.requests().len(), 1, "a decode error is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_of_different_kinds_are_in_flight_together() {
    // The server answers neither list until both requests have arrived: lists sent one after
    // the other would wait forever (the test's timeout fails them).
    let gate = Arc::new(tokio::sync::Barrier::new(2));
    let server =
        serve_gated(Arc::new(|_: &str, _| Answer::Full(200, page(0, 2, None))), Some(gate)).await;
    let cluster = server.cluster();
    let every = ListOptions::default();
    let jobs = cluster.list::<Job, Named>(None, &every);
    let pods = cluster.list::<k8s_openapi::api::core::v1::Pod, Named>(None, &every);
    let (jobs, pods) =
        tokio::time::timeout(Duration::from_secs(20), async { tokio::try_join!(jobs, pods) })
            .await
            .expect("both lists were sent before either was answered")
            .unwrap();
    assert_eq!((jobs.len(), pods.len()), (2, 2));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn the_word_search_finds_the_first_quote_or_backslash() {
    // Every position in and around a word, both kinds, with later matches and near misses
    // (bytes whose difference from '"' or '\\' borrows in the zero-byte test).
    for len in 0..20 {
        for at in 0..len {
            for found in [b'"', b'\\'] {
                let mut hay: Vec<u8> = (0..len).map(|i| [b'!', b'#', b'[', b']'][i % 4]).collect();
                hay[at] = found;
                if at + 1 < len {
                    hay[at + 1] = b'"';
                }
                assert_eq!(super::quote_or_backslash(&hay), Some(at), "{hay:?}");
            }
        }
        let none: Vec<u8> = vec![b'a'; len];
        assert_eq!(super::quote_or_backslash(&none), None);
    }
    assert_eq!(super::quote_or_backslash("é\"".as_bytes()), Some(2));
}
