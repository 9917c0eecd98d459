//! The read path every command shares: listing a kind in large pages, each decoded item by item
//! while it arrives.
//!
//! Where the time went (issue 15, `lastrun -A` on 5,000 CronJobs / 50,000 Jobs): 110 sequential
//! pages of 500 items, each a round trip plus a wait for the whole page before decoding began.
//! Now:
//! - pages of [`PAGE_SIZE`] items: one request per kind up to that many objects, so the number
//!   of requests does not grow with the CronJobs of an ordinary cluster, while one request
//!   still stays small enough for `--request-timeout` and for the API server (a page is what
//!   one request may cost it; unpaged lists of a huge cluster are what chunking exists for);
//! - the body is split into its items as bytes arrive ([`ItemSplitter`]) and each item is
//!   decoded into the caller's slim type at once: the page is never held as one buffer, so
//!   peak memory is the decoded facts plus one item, however large the page;
//! - each item is first cut to the fields its decode type reads ([`Shape`], from the type's
//!   own serde field names): the splitter, which scans every byte anyway, replaces the values
//!   of other fields by `null`, so serde parses only what it keeps (a Job's `spec`, its pod
//!   template, is half of the Job and no slim Job type reads it; `cost-report` also cuts a
//!   Pod's metadata, spec and status to its types' fields, [`Cluster::list_shaped`]);
//! - each list runs on its own task, so lists of different kinds (sent together by the
//!   commands) are decoded on different cores; within a list, the next page is asked for as
//!   soon as the page before names it (its continue token comes before its items), so pages
//!   of one list arrive and decode together too ([`PAGES_IN_FLIGHT`]);
//! - a continue token that expired between pages (410 Expired, the etcd compaction window)
//!   falls back to one unpaged list, as client-go's pager does (`tools/pager/pager.go`,
//!   `ListPager.List` with `FullListIfExpired`, the default of `pager.New`).
//!
//! Lists are consistent reads (no `resourceVersion=0`): a monitor must not report from a stale
//! watch cache, and kube-apiserver 1.31+ serves consistent lists from its cache anyway
//! (`ConsistentListFromCache`). Protobuf is not asked for: the sandbox serves JSON only, and the
//! slim JSON decode already skips what protobuf would save us decoding.

use std::collections::VecDeque;

use kube::Resource;
use kube::api::ListParams;
use serde::de::DeserializeOwned;
use tokio::sync::oneshot;

use super::errors::{self, RequestInfo};
use super::request::{BodySink, Cluster, ListOptions};
use super::shape::{Member, Shape};
use super::trace;
use crate::error::{Error, Result};

/// Items per list request. kubectl pages at 500 (`--chunk-size`), which made 100 sequential
/// round trips of 50,000 Jobs; 10,000 keeps ordinary clusters at one request per kind.
pub(crate) const PAGE_SIZE: u32 = 10_000;

impl Cluster {
    /// Lists every object of `K` (all pages) in `namespace` (or all namespaces), each decoded
    /// as `T` so callers decode only the fields they need (see the module docs for how).
    pub async fn list<K, T>(&self, namespace: Option<&str>, options: &ListOptions) -> Result<Vec<T>>
    where
        K: Resource<DynamicType = ()>,
        T: DeserializeOwned + Send + 'static,
    {
        self.list_in_pages(
            K::url_path(&(), namespace),
            RequestInfo::of::<K>("list", namespace, None),
            options.clone(),
            PAGE_SIZE,
        )
        .await
    }

    /// [`Cluster::list`] with the items cut to `shape` before they are decoded (by default,
    /// [`Shape::of`] `T`: its top-level fields), for a `T` whose fields' own types read little of
    /// large values (a Pod's `metadata`, `spec` and `status`).
    pub(crate) async fn list_shaped<K, T>(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
        shape: Option<Shape>,
    ) -> Result<Vec<T>>
    where
        K: Resource<DynamicType = ()>,
        T: DeserializeOwned + Send + 'static,
    {
        let listed = self.list_in_pages_versioned(
            K::url_path(&(), namespace),
            RequestInfo::of::<K>("list", namespace, None),
            options.clone(),
            PAGE_SIZE,
            shape,
        );
        Ok(listed.await?.0)
    }

    /// [`Cluster::list`], with the list's `resourceVersion` (of its first page: a paged list is
    /// one consistent snapshot), from which a watch reports exactly the changes since.
    pub async fn list_versioned<K, T>(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<(Vec<T>, String)>
    where
        K: Resource<DynamicType = ()>,
        T: DeserializeOwned + Send + 'static,
    {
        self.list_in_pages_versioned(
            K::url_path(&(), namespace),
            RequestInfo::of::<K>("list", namespace, None),
            options.clone(),
            PAGE_SIZE,
            Shape::of::<T>(),
        )
        .await
    }

    /// [`Cluster::list`] with `page_size` items per request (0: unpaged), on its own task.
    pub(crate) async fn list_in_pages<T>(
        &self,
        url: String,
        info: RequestInfo,
        options: ListOptions,
        page_size: u32,
    ) -> Result<Vec<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        Ok(self.list_in_pages_versioned(url, info, options, page_size, Shape::of::<T>()).await?.0)
    }

    /// [`Cluster::list_in_pages`] with the list's `resourceVersion`.
    async fn list_in_pages_versioned<T>(
        &self,
        url: String,
        info: RequestInfo,
        options: ListOptions,
        page_size: u32,
        shape: Option<Shape>,
    ) -> Result<(Vec<T>, String)>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let cluster = self.clone();
        let mut task = AbortOnDrop(tokio::spawn(async move {
            cluster.pages(&url, &info, &options, page_size, shape).await
        }));
        match (&mut task.0).await {
            Ok(result) => result,
            Err(e) => Err(Error::Decode(format!("a list task failed: {e}"))),
        }
    }

    async fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        url: &str,
        info: &RequestInfo,
        options: &ListOptions,
        page_size: u32,
        shape: Option<Shape>,
    ) -> Result<(Vec<T>, String)> {
        let mut params = ListParams::default();
        if page_size > 0 {
            params = params.limit(page_size);
        }
        params.label_selector.clone_from(&options.label_selector);
        params.field_selector.clone_from(&options.field_selector);
        match self.chained_pages(url, info, &params, shape.as_ref()).await {
            Err(Expired::OnContinue(items)) => {
                // client-go `ListPager.List`: "the list expired while we were processing,
                // fall back to a full list".
                trace::log(4, || {
                    format!(
                        "list {}: the continue token expired after {items} items; listing all \
                         at once",
                        info.resource_name()
                    )
                });
                params.limit = None;
                let mut page = Page::<T>::new(None, shape, None);
                let request = kube::core::Request::new(url).list(&params).map_err(errors::build)?;
                self.send_streamed(request, info, &mut page).await?;
                Ok((std::mem::take(&mut page.items).into_vec(), page.version.unwrap_or_default()))
            }
            Err(Expired::No(err)) => Err(err),
            Ok(listed) => Ok(listed),
        }
    }

    /// Every page, the next one asked for as soon as the page before names it: a list's
    /// `metadata` (with the continue token) comes before its `items`, so up to
    /// [`PAGES_IN_FLIGHT`] pages are fetched and decoded at once (client-go's pager buffers
    /// pages the same way in `EachListItem`), in order.
    async fn chained_pages<T: DeserializeOwned + Send + 'static>(
        &self,
        url: &str,
        info: &RequestInfo,
        params: &ListParams,
        shape: Option<&Shape>,
    ) -> std::result::Result<(Vec<T>, String), Expired> {
        let start = |token: Option<String>| {
            let (tx, rx) = oneshot::channel();
            let mut params = params.clone();
            let continued = token.is_some();
            params.continue_token = token;
            let (cluster, url, info) = (self.clone(), url.to_owned(), info.clone());
            let shape = shape.cloned();
            let task = AbortOnDrop(tokio::spawn(async move {
                let request = kube::core::Request::new(url).list(&params).map_err(errors::build)?;
                let mut page = Page::<T>::new(Some(tx), shape, params.limit);
                cluster.send_streamed(request, &info, &mut page).await?;
                Ok::<_, Error>((
                    std::mem::take(&mut page.items).into_vec(),
                    page.remaining,
                    page.version,
                ))
            }));
            ((task, continued), rx)
        };
        let (first, rx) = start(None);
        let mut in_flight = VecDeque::from([first]);
        let mut next: Option<oneshot::Receiver<String>> = Some(rx);
        let mut items: Vec<T> = Vec::new();
        // The first page's resourceVersion is the whole list's (one consistent snapshot).
        let mut version: Option<String> = None;
        loop {
            let room = in_flight.len() < PAGES_IN_FLIGHT;
            let step = match (in_flight.front_mut(), next.as_mut()) {
                (None, None) => return Ok((items, version.unwrap_or_default())),
                (Some(oldest), Some(token)) if room => {
                    tokio::select! {
                        token = token => Step::Token(token.ok()),
                        done = &mut oldest.0.0 => Step::Done(done),
                    }
                }
                (Some(oldest), _) => Step::Done((&mut oldest.0.0).await),
                (None, Some(token)) => Step::Token(token.await.ok()),
            };
            match step {
                Step::Token(token) => {
                    next = None;
                    if let Some(token) = token {
                        let (page, rx) = start(Some(token));
                        in_flight.push_back(page);
                        next = Some(rx);
                    }
                }
                Step::Done(done) => {
                    let continued = in_flight.pop_front().is_some_and(|(_, c)| c);
                    let page = done
                        .unwrap_or_else(|e| Err(Error::Decode(format!("a list task failed: {e}"))));
                    match page {
                        Ok((mut page, remaining, page_version)) if items.is_empty() => {
                            version.get_or_insert(page_version.unwrap_or_default());
                            // One allocation for the whole list when the server says its size.
                            let rest = remaining
                                .filter(|_| !in_flight.is_empty() || next.is_some())
                                .and_then(|n| usize::try_from(n).ok())
                                .unwrap_or(0);
                            page.reserve_exact(rest);
                            std::mem::swap(&mut items, &mut page);
                        }
                        Ok((mut page, _, page_version)) => {
                            version.get_or_insert(page_version.unwrap_or_default());
                            items.append(&mut page);
                        }
                        Err(Error::Api { code: 410, reason, .. })
                            if continued && reason == "Expired" =>
                        {
                            return Err(Expired::OnContinue(items.len()));
                        }
                        Err(err) => return Err(Expired::No(err)),
                    }
                }
            }
        }
    }
}

/// Pages of one list fetched at once at most.
const PAGES_IN_FLIGHT: usize = 3;

/// What the next turn of [`Cluster::chained_pages`] brought.
enum Step<T> {
    /// The newest page's continue token (`None`: it has none, it is the last).
    Token(Option<String>),
    /// The oldest page ended.
    Done(std::result::Result<PageResult<T>, tokio::task::JoinError>),
}

/// A page's items, its `remainingItemCount` and its `resourceVersion`.
type PageResult<T> = Result<(Vec<T>, Option<u64>, Option<String>)>;

/// How a chain of pages failed.
enum Expired {
    /// A continue token expired (410 Expired), after this many items.
    OnContinue(usize),
    /// Any other failure.
    No(Error),
}

/// A spawned task that ends when whoever awaits it goes away (another list of the same command
/// failed first).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One list page as it arrives: its items, decoded one by one; its continue token goes to
/// `next` the moment it is read, and its `remainingItemCount` is kept.
struct Page<T> {
    splitter: ItemSplitter,
    items: Items<T>,
    next: Option<oneshot::Sender<String>>,
    remaining: Option<u64>,
    /// The list's `resourceVersion`.
    version: Option<String>,
    /// The items a full page has (the request's `limit`; 0: unpaged).
    limit: usize,
}

impl<T> Page<T> {
    fn new(
        next: Option<oneshot::Sender<String>>,
        shape: Option<Shape>,
        limit: Option<u32>,
    ) -> Self {
        Page {
            splitter: ItemSplitter { shape, ..ItemSplitter::default() },
            items: Items::default(),
            next,
            remaining: None,
            version: None,
            limit: limit.and_then(|l| usize::try_from(l).ok()).unwrap_or(0),
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListMeta {
    #[serde(default, rename = "continue")]
    continue_token: Option<String>,
    /// Items after this page (sent with a limit and no selector): the first page's says how
    /// many items the whole list has, so the result is allocated once.
    remaining_item_count: Option<u64>,
    resource_version: Option<String>,
}

/// The first block of a page of unknown size holds this many items; each next block twice the
/// one before, up to [`LARGEST_BLOCK`].
const FIRST_BLOCK: usize = 16;
const LARGEST_BLOCK: usize = 4096;

/// A page's items as they are decoded: allocated once for a full page (a continue token says
/// it is full), else filled block by block.
struct Items<T> {
    /// The block being filled (for a full page, the only one).
    open: Vec<T>,
    /// Blocks already filled, while the page's size is unknown.
    filled: Vec<Vec<T>>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items { open: Vec::new(), filled: Vec::new() }
    }
}

impl<T> Items<T> {
    /// Room for `n` items in all, in one allocation (nothing is in yet: the metadata comes first).
    fn reserve_exact(&mut self, n: usize) {
        self.open.reserve_exact(n.saturating_sub(self.len()));
    }

    /// Adds a decoded item. A page without a continue token (the last or only one: 10,000 Jobs
    /// of a cluster in one request) says nothing of its size, and a vector grown by doubling
    /// copies its items again at each step into fresh memory: with the page faults, that was a
    /// tenth of `lastrun --all-contexts`. Filled blocks stay where they are and move once, into
    /// the page's exact size, at the end ([`Items::into_vec`]).
    fn push(&mut self, item: T) {
        if self.open.len() == self.open.capacity() {
            let block = (self.open.capacity() * 2).clamp(FIRST_BLOCK, LARGEST_BLOCK);
            let full = std::mem::replace(&mut self.open, Vec::with_capacity(block));
            if !full.is_empty() {
                self.filled.push(full);
            }
        }
        self.open.push(item);
    }

    /// The items decoded, in order, in one vector.
    fn into_vec(mut self) -> Vec<T> {
        let last = std::mem::take(&mut self.open);
        if self.filled.is_empty() {
            return last;
        }
        let total = self.filled.iter().map(Vec::len).sum::<usize>() + last.len();
        let mut all = Vec::with_capacity(total);
        for block in self.filled.drain(..).chain([last]) {
            all.extend(block);
        }
        all
    }

    /// How many items have been decoded.
    fn len(&self) -> usize {
        self.filled.iter().map(Vec::len).sum::<usize>() + self.open.len()
    }
}

impl<T: DeserializeOwned + Send + 'static> BodySink for Page<T> {
    fn reset(&mut self) {
        // A retried page starts over; a continue token already passed on stays valid (the
        // server made it for this page's end).
        let shape = self.splitter.shape.take();
        self.splitter = ItemSplitter { shape, ..ItemSplitter::default() };
        self.items = Items::default();
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), String> {
        let (items, next, remaining, version, limit) =
            (&mut self.items, &mut self.next, &mut self.remaining, &mut self.version, self.limit);
        self.splitter.feed(bytes, |piece| match piece {
            Piece::Metadata(meta) => {
                let meta: ListMeta = serde_json::from_slice(meta).map_err(|e| e.to_string())?;
                *remaining = meta.remaining_item_count;
                *version = meta.resource_version;
                let token = meta.continue_token.filter(|t| !t.is_empty());
                if token.is_some() {
                    // A page with a continue token is full: its items are allocated once
                    // (growing a 10,000-item vector by doubling copied it 14 times).
                    items.reserve_exact(limit);
                }
                if let (Some(token), Some(tx)) = (token, next.take()) {
                    let _ = tx.send(token);
                }
                Ok(())
            }
            Piece::Item(item) => {
                let item =
                    decode_item(item).map_err(|e| format!("item {}: {e}", items.len() + 1))?;
                items.push(item);
                Ok(())
            }
        })
    }

    fn finish(&mut self) -> Result<(), String> {
        self.splitter.finish()
    }
}

/// One item, its UTF-8 checked once as a whole: serde's slice reader checks each string it
/// reads on its own (and a kept raw value, a Job's pod template, again), and those many short
/// checks were 5% of `history -A`; from a `str`, serde checks none.
fn decode_item<T: DeserializeOwned>(item: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(item).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// What [`ItemSplitter`] finds in a list body.
#[derive(Debug, PartialEq)]
pub(super) enum Piece<'a> {
    /// The list's `metadata` object (continue token, resourceVersion).
    Metadata(&'a [u8]),
    /// One element of `items`, a whole JSON object.
    Item(&'a [u8]),
}

/// The top-level field whose value is being read.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Field {
    #[default]
    Other,
    Metadata,
    Items,
}

/// Splits a JSON list body (`{"kind":..., "metadata":{...}, "items":[{...}, ...]}`) into its
/// metadata and its items while it arrives in chunks, keeping only the unfinished item: a
/// scanner that knows strings (and their escapes) and nesting, nothing more. Each piece is
/// handed out as one complete JSON value for serde to decode; anything malformed inside it is
/// serde's to report.
#[derive(Debug, Default)]
pub(super) struct ItemSplitter {
    /// Bytes not yet handed out: from the start of the piece (or key) being read.
    buf: Vec<u8>,
    /// How much of `buf` has been scanned.
    scanned: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// At the top level, the next string is a key.
    expect_key: bool,
    /// Where the top-level key being read starts in `buf`.
    key_start: Option<usize>,
    field: Field,
    /// Inside the top-level `items` array.
    in_items: bool,
    /// Where the piece being read starts in `buf`.
    start: Option<usize>,
    /// The top-level object has closed.
    done: bool,
    /// The fields the items' decode type reads ([`Shape`]); `None`: keep whole items.
    pub(super) shape: Option<Shape>,
    /// Inside an item, for each open object or array from the item's own object down, the
    /// shape node that filters it (`None`: not filtered): an object's members, or each object
    /// element of an array (a Pod's `containers`).
    frames: Vec<Frame>,
    /// The next string of the innermost (filtered) object is a member's key.
    member_expect_key: bool,
    /// Where the key of the member being read starts in `buf`.
    member_key_start: Option<usize>,
    /// The node filtering the value of the member whose key was just read (if an object).
    member_node: Option<usize>,
    skip: Skip,
    /// Values to replace by `null` in the item being read (ranges of `buf`).
    skips: Vec<(usize, usize)>,
    /// The item with its skipped values replaced.
    projected: Vec<u8>,
}

/// An open object or array inside an item, and the shape node that filters it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    Object(Option<usize>),
    Array(Option<usize>),
}

impl Frame {
    /// The node filtering this object's members (`None` for arrays: their elements have no
    /// keys).
    fn members(self) -> Option<usize> {
        match self {
            Frame::Object(node) => node,
            Frame::Array(_) => None,
        }
    }
}

/// The state of a member value the shape skips, or keeps whole: either way nothing inside it
/// needs the member bookkeeping, so its inside is run through quickly
/// ([`ItemSplitter::skip_inside`]); only a skipped one (`cut`) is replaced by `null`.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Skip {
    #[default]
    No,
    /// Its key was read; the value starts after the colon.
    AwaitColon { cut: bool },
    /// The value starts at `at` in `buf`, in the object at `depth`.
    From { at: usize, depth: usize, cut: bool },
}

impl ItemSplitter {
    /// Scans `chunk`, calling `on` with every piece it completes.
    pub(super) fn feed(
        &mut self,
        chunk: &[u8],
        mut on: impl FnMut(Piece<'_>) -> Result<(), String>,
    ) -> Result<(), String> {
        self.buf.extend_from_slice(chunk);
        let mut i = self.scanned;
        let len = self.buf.len();
        while i < len {
            if let Skip::From { depth, .. } = self.skip
                && !self.in_string
                && self.depth > depth
            {
                i = self.skip_inside(i, depth);
                if i == len {
                    break;
                }
            }
            let b = self.buf[i];
            if self.in_string {
                // Skip to the next quote or backslash (the bulk of a list is string content).
                if !self.escaped {
                    match quote_or_backslash(&self.buf[i..]) {
                        Some(offset) => i += offset,
                        None => {
                            i = len;
                            continue;
                        }
                    }
                }
                let b = self.buf[i];
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if let Some(key) = self.member_key_start.take() {
                        self.member_key(key, i);
                    } else if let Skip::From { at, depth, cut } = self.skip
                        && depth == self.depth
                    {
                        // A skipped (or whole) string value ended.
                        self.end_value(cut, at, i + 1);
                    }
                    if let Some(key) = self.key_start.take() {
                        self.field = match &self.buf[key..i] {
                            b"metadata" => Field::Metadata,
                            b"items" => Field::Items,
                            _ => Field::Other,
                        };
                    }
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    if self.depth == 1 && self.expect_key {
                        self.expect_key = false;
                        self.key_start = Some(i + 1);
                    } else if self.member_expect_key {
                        self.member_expect_key = false;
                        self.member_key_start = Some(i + 1);
                    }
                }
                b':' if let Skip::AwaitColon { cut } = self.skip => {
                    self.skip = Skip::From { at: i + 1, depth: self.depth, cut };
                }
                b'{' | b'[' => {
                    if self.done {
                        return Err("unexpected data after the list".into());
                    }
                    self.depth += 1;
                    match self.depth {
                        1 if b == b'{' => self.expect_key = true,
                        1 => return Err("the answer is not a list object".into()),
                        2 if self.field == Field::Metadata && b == b'{' => self.start = Some(i),
                        2 if self.field == Field::Items && b == b'[' => self.in_items = true,
                        3 if self.in_items && b == b'{' => {
                            self.start = Some(i);
                            self.frames.clear();
                            self.skips.clear();
                            self.skip = Skip::No;
                            self.member_node = None;
                            let root = self.shape.as_ref().map(|_| 0);
                            self.frames.push(Frame::Object(root));
                            self.member_expect_key = root.is_some();
                        }
                        d if d > 3 && self.in_items && self.start.is_some() => {
                            let skipping = matches!(self.skip, Skip::From { .. });
                            let node = match self.frames.last() {
                                _ if skipping => None,
                                // An element of an array whose elements are filtered.
                                Some(Frame::Array(elements)) => *elements,
                                _ => self.member_node,
                            };
                            self.member_node = None;
                            let frame =
                                if b == b'{' { Frame::Object(node) } else { Frame::Array(node) };
                            self.frames.push(frame);
                            self.member_expect_key = frame.members().is_some();
                        }
                        _ => {}
                    }
                }
                b'}' | b']' => {
                    if self.in_items && self.start.is_some() && self.depth >= 3 {
                        self.frames.pop();
                        self.member_expect_key = false;
                        // A filter read for a member whose value was not an object or array
                        // (`"containers": null`) must not reach a later value.
                        self.member_node = None;
                        match self.skip {
                            // A skipped object or array ended.
                            Skip::From { at, depth, cut } if depth + 1 == self.depth => {
                                self.end_value(cut, at, i + 1);
                            }
                            // A skipped number, `true`, `false` or `null` ended the item.
                            Skip::From { at, depth, cut } if depth == self.depth => {
                                self.end_value(cut, at, i);
                            }
                            _ => {}
                        }
                    }
                    match self.depth {
                        0 => return Err("unbalanced list body".into()),
                        1 => self.done = true,
                        2 if self.in_items => self.in_items = false,
                        2 if self.field == Field::Metadata => {
                            if let Some(s) = self.start.take() {
                                on(Piece::Metadata(&self.buf[s..=i]))?;
                            }
                        }
                        3 if self.in_items => {
                            if let Some(s) = self.start.take() {
                                let item = &self.buf[s..=i];
                                if self.skips.is_empty() {
                                    on(Piece::Item(item))?;
                                } else {
                                    project(&mut self.projected, item, s, &self.skips);
                                    self.skips.clear();
                                    on(Piece::Item(&self.projected))?;
                                }
                            }
                        }
                        _ => {}
                    }
                    self.depth -= 1;
                }
                b',' if self.depth == 1 => self.expect_key = true,
                b',' if self.in_items && self.start.is_some() => {
                    if let Skip::From { at, depth, cut } = self.skip
                        && depth == self.depth
                    {
                        // A skipped (or whole) number, `true`, `false` or `null` ended.
                        self.end_value(cut, at, i);
                    }
                    self.member_node = None;
                    self.member_expect_key =
                        self.frames.last().is_some_and(|f| f.members().is_some());
                }
                _ => {}
            }
            i += 1;
        }
        // Keep only what an unfinished piece (or key) needs.
        let keep = self.start.or(self.key_start).unwrap_or(len);
        self.buf.drain(..keep);
        self.start = self.start.map(|s| s - keep);
        self.key_start = self.key_start.map(|s| s - keep);
        self.member_key_start = self.member_key_start.map(|s| s - keep);
        if let Skip::From { at, depth, cut } = self.skip {
            self.skip = Skip::From { at: at - keep, depth, cut };
        }
        for (a, b) in &mut self.skips {
            *a -= keep;
            *b -= keep;
        }
        self.scanned = len - keep;
        Ok(())
    }

    /// Runs through the inside of an object or array skipped or kept whole (its member, in the
    /// object at `depth`, opened at `depth + 1`) from `buf[i]`: there only strings and nesting
    /// matter, so none of the member bookkeeping is done (such values are most of a Job's or a
    /// Pod's bytes: labels, selectors, tolerations, conditions, a Job's template). Stops at the
    /// bracket that closes the value, at a string the buffer does not hold to its end (both
    /// left to the general scan), or at the end of the buffer.
    fn skip_inside(&mut self, mut i: usize, depth: usize) -> usize {
        let buf = &self.buf;
        let mut d = self.depth;
        while let Some(&b) = buf.get(i) {
            match b {
                b'"' => match closing_quote(&buf[i + 1..]) {
                    Some(n) => i += n + 1,
                    None => break,
                },
                b'{' | b'[' => d += 1,
                b'}' | b']' if d == depth + 1 => break,
                b'}' | b']' => d -= 1,
                _ => {}
            }
            i += 1;
        }
        self.depth = d;
        i
    }

    /// The value of a member skipped or kept whole, `buf[at..end]`, ended.
    fn end_value(&mut self, cut: bool, at: usize, end: usize) {
        if cut {
            self.skips.push((at, end));
        }
        self.skip = Skip::No;
    }

    /// The key of a member of a filtered object, `buf[key..end]`, was read.
    fn member_key(&mut self, key: usize, end: usize) {
        let (Some(shape), Some(node)) = (&self.shape, self.frames.last().and_then(|f| f.members()))
        else {
            return;
        };
        match shape.member(node, &self.buf[key..end]) {
            Member::Skip => {
                self.skip = Skip::AwaitColon { cut: true };
                self.member_node = None;
            }
            Member::Keep => {
                self.skip = Skip::AwaitColon { cut: false };
                self.member_node = None;
            }
            Member::Filter(child) => self.member_node = Some(child),
        }
    }

    /// The body ended: it must have been one whole object.
    pub(super) fn finish(&self) -> Result<(), String> {
        if self.done {
            Ok(())
        } else {
            Err("the list ended early (the connection closed in the middle of it)".into())
        }
    }
}

/// `item` (which starts at `offset` in the splitter's buffer) into `out`, with the values at
/// `skips` (buffer ranges, in order) replaced by `null`.
fn project(out: &mut Vec<u8>, item: &[u8], offset: usize, skips: &[(usize, usize)]) {
    out.clear();
    let mut from = 0;
    for &(a, b) in skips {
        out.extend_from_slice(&item[from..a - offset]);
        out.extend_from_slice(b"null");
        from = b - offset;
    }
    out.extend_from_slice(&item[from..]);
}

/// Where the quote that ends the string whose content starts `content` is (`None`: not in
/// it, or it ends in the middle of an escape).
fn closing_quote(content: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        at += quote_or_backslash(&content[at..])?;
        if content[at] == b'"' {
            return Some(at);
        }
        // A backslash escapes the byte after it (`\"`, `\\`; `\u1234` needs no more).
        at += 2;
        if at >= content.len() {
            return None;
        }
    }
}

/// Where the first `"` or `\\` of `hay` is, eight bytes at a time (string content is most of a
/// list body, and a byte-by-byte search was most of the splitter's time). The classic
/// zero-byte test: `(v - 0x01..) & !v & 0x80..` marks the first zero byte of `v` exactly
/// (a borrow can only mark bytes after it), so its lowest mark is the first match.
fn quote_or_backslash(hay: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut words = hay.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let v = u64::from_le_bytes(bytes);
        let hits = zero_byte(v ^ QUOTES) | zero_byte(v ^ BACKSLASHES);
        if hits != 0 {
            return Some(offset + (hits.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    words.remainder().iter().position(|&c| c == b'"' || c == b'\\').map(|p| offset + p)
}

/// The items of the list `body`, each cut to `shape` as [`Cluster::list_shaped`] cuts them, for
/// tests that check a decode type reads the same from the cut item as from the whole one.
#[cfg(test)]
pub(crate) fn shaped_items(body: &[u8], shape: Option<Shape>) -> Vec<Vec<u8>> {
    let mut splitter = ItemSplitter { shape, ..ItemSplitter::default() };
    let mut items = Vec::new();
    splitter
        .feed(body, |piece| {
            if let Piece::Item(item) = piece {
                items.push(item.to_vec());
            }
            Ok(())
        })
        .and_then(|()| splitter.finish())
        .expect("a list body");
    items
}

/// A pod (failed, with an init sidecar and a restart) and a Job as the sandbox serves them,
/// with managedFields as a real API server records them (their `fieldsV1` abridged).
#[cfg(test)]
pub(crate) const POD_AND_JOB: &str = include_str!("testdata/pod-and-job.json");

/// Decodes `item` of [`POD_AND_JOB`] whole and cut to `shape`, and says both as `Debug`.
#[cfg(test)]
pub(crate) fn decoded_whole_and_shaped<T: DeserializeOwned + std::fmt::Debug>(
    item: usize,
    shape: Option<Shape>,
) -> (String, String) {
    assert!(shape.is_some(), "a shape to test");
    let list: serde_json::Value = serde_json::from_str(POD_AND_JOB).unwrap();
    let whole: T = serde_json::from_value(list["items"][item].clone()).unwrap();
    let cut = &shaped_items(POD_AND_JOB.as_bytes(), shape)[item];
    let original = serde_json::to_string(&list["items"][item]).unwrap();
    assert!(cut.len() < original.len(), "the item was cut");
    let shaped: T = serde_json::from_slice(cut).unwrap();
    (format!("{whole:?}"), format!("{shaped:?}"))
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
