//! The library entry point: `Sandbox::builder()...start()` runs the API server on its own
//! thread and Tokio runtime (so it works from plain `#[test]`s and `#[tokio::test]`s alike),
//! writes a kubeconfig into a temporary directory it owns, and shuts everything down on drop.
//! Modelled on cargo's `cargo-test-support` registry server.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use tokio::sync::watch;

use crate::api::ApiState;
use crate::auth::Tokens;
use crate::clock::Clock;
use crate::control_plane::ControlPlane;
use crate::error::ApiError;
use crate::faults::{FaultConfig, Faults};
use crate::kind::Kind;
use crate::metrics::{RequestCount, RequestCounts};
use crate::seed::Seed;
use crate::store::Store;
use crate::{kubeconfig, server, tls};

/// Why a sandbox could not start or a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Listening, writing the kubeconfig or spawning the server thread failed.
    #[error("sandbox I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Generating the TLS certificates failed.
    #[error("sandbox TLS setup failed: {0}")]
    Tls(String),
    /// The seed could not be loaded.
    #[error("seed {seed} failed to load: {first}")]
    Seed {
        /// Which seed.
        seed: String,
        /// The first refusal.
        first: ApiError,
    },
    /// Building a kube client failed.
    #[error("kube client for the sandbox: {0}")]
    Client(String),
}

/// Configures and starts a [`Sandbox`].
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    start: Timestamp,
    speed: f64,
    seed: Seed,
    tls: bool,
    latency: Duration,
    port: u16,
    kubeconfig: Option<PathBuf>,
    log_capacity: usize,
    missing_images: Vec<String>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            start: "2025-03-01T09:59:30Z".parse().unwrap_or(Timestamp::UNIX_EPOCH),
            speed: 0.0,
            seed: Seed::Empty,
            tls: false,
            latency: Duration::ZERO,
            port: 0,
            kubeconfig: None,
            log_capacity: crate::store::DEFAULT_LOG_CAPACITY,
            missing_images: Vec::new(),
        }
    }
}

impl SandboxBuilder {
    /// The sandbox time at start (default `2025-03-01T09:59:30Z`).
    pub fn clock(mut self, start: Timestamp) -> Self {
        self.start = start;
        self
    }

    /// Clock speed: 0 (default) is stepped, moved only by `advance`/`set_clock`; N runs N times
    /// real time and a background driver fires the control plane's wakeups.
    pub fn clock_speed(mut self, speed: f64) -> Self {
        self.speed = speed;
        self
    }

    /// The data to start with (default `Seed::Empty`: just the `default` namespace).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Serve HTTPS with a generated CA (in the kubeconfig).
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Fixed latency added to every API request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Loopback port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How many changes the store keeps for watches and continue tokens (default 100,000);
    /// older resourceVersions get 410 Gone/Expired.
    pub fn change_log_capacity(mut self, changes: usize) -> Self {
        self.log_capacity = changes;
        self
    }

    /// Where to write the kubeconfig (default: a temporary directory the sandbox owns).
    pub fn kubeconfig_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.kubeconfig = Some(path.into());
        self
    }

    /// Images the sandbox's registry does not have: pods using them fail to pull
    /// (`ErrImagePull`, then `ImagePullBackOff`). `repo:tag` (or `@digest`) names one image,
    /// a bare repository every tag of it; `busybox` means `docker.io/library/busybox`.
    pub fn missing_images<I: IntoIterator<Item = S>, S: Into<String>>(mut self, images: I) -> Self {
        self.missing_images = images.into_iter().map(Into::into).collect();
        self
    }

    /// Starts the server; returns once it accepts connections and the kubeconfig is written.
    pub fn start(self) -> Result<Sandbox, SandboxError> {
        let clock = Clock::scaled(self.start, self.speed);
        let store = Store::with_capacity(clock.clone(), self.log_capacity);
        let refused = crate::seed::load(&store, &self.seed, clock.now());
        if let Some(first) = refused.into_iter().next() {
            return Err(SandboxError::Seed { seed: self.seed.to_string(), first });
        }
        let control_plane = Arc::new(ControlPlane::new(store.clone(), clock.clone()));
        let mut missing = self.seed.missing_images();
        missing.extend(self.missing_images);
        control_plane.registry().set_missing(missing);
        control_plane.reconcile_pending();
        let entropy = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        let tokens = Tokens::generate(entropy);
        let tls = if self.tls {
            Some(tls::generate().map_err(|e| SandboxError::Tls(e.to_string()))?)
        } else {
            None
        };

        let std_listener = std::net::TcpListener::bind(("127.0.0.1", self.port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{addr}");
        let faults = Faults::new(FaultConfig {
            latency_ms: u64::try_from(self.latency.as_millis()).unwrap_or(0),
            ..FaultConfig::default()
        });
        let state = Arc::new(ApiState {
            store,
            clock: clock.clone(),
            control_plane,
            tokens: tokens.clone(),
            faults,
            counts: RequestCounts::default(),
            address: addr.to_string(),
        });

        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kuul-sandbox")
            .enable_all()
            .build()?;
        let server_state = Arc::clone(&state);
        let server_tls = tls.as_ref().map(|t| Arc::clone(&t.server_config));
        let drive = self.speed > 0.0;
        let thread = std::thread::Builder::new().name("kuul-sandbox".into()).spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(std_listener) {
                    Ok(l) => l,
                    Err(_) => return,
                };
                if drive {
                    tokio::spawn(drive_clock(Arc::clone(&server_state), shutdown_rx.clone()));
                }
                server::serve(listener, server_state, server_tls, shutdown_rx).await;
            });
            runtime.shutdown_timeout(Duration::from_millis(100));
        })?;

        let (dir, kubeconfig_path) = match self.kubeconfig {
            Some(p) => (None, p),
            None => {
                let dir = tempfile::Builder::new().prefix("kuul-sandbox-").tempdir()?;
                let p = dir.path().join("kubeconfig");
                (Some(dir), p)
            }
        };
        let yaml = kubeconfig::render(&url, &tokens, tls.as_ref().map(|t| t.ca_pem.as_str()));
        kubeconfig::write_atomic(&kubeconfig_path, &yaml)?;
        Ok(Sandbox {
            state,
            url,
            kubeconfig: kubeconfig_path,
            _dir: dir,
            shutdown: shutdown_tx,
            thread: Some(thread),
            ca_pem: tls.map(|t| t.ca_pem),
        })
    }
}

/// Fires the control plane's wakeups as a running clock reaches them (serve mode).
pub async fn drive_clock(state: Arc<ApiState>, mut shutdown: watch::Receiver<bool>) {
    let mut moved = state.clock.subscribe();
    loop {
        let now = state.clock.now();
        let speed = state.clock.speed();
        let due = state.control_plane.next_wakeup().is_some_and(|t| t <= now);
        if due {
            crate::admin::advance_to(&state, now).await;
            continue;
        }
        // Sleep until the next wakeup in real time (at most a second, so speed changes and
        // clock jumps are noticed promptly).
        let wait = match (state.control_plane.next_wakeup(), speed > 0.0) {
            (Some(t), true) => {
                let secs = t.duration_since(now).as_secs_f64() / speed;
                Duration::from_secs_f64(secs.clamp(0.001, 1.0))
            }
            _ => Duration::from_secs(1),
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            r = moved.changed() => if r.is_err() { return },
            _ = shutdown.changed() => return,
        }
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    state: Arc<ApiState>,
    url: String,
    kubeconfig: PathBuf,
    _dir: Option<tempfile::TempDir>,
    shutdown: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
    ca_pem: Option<String>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .field("kubeconfig", &self.kubeconfig)
            .finish()
    }
}

impl Sandbox {
    /// A builder with test defaults (stepped clock, empty seed, plain HTTP, free port).
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The kubeconfig path (contexts `kuul-sandbox` and `kuul-sandbox-viewer`).
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The server URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The CA certificate PEM when serving TLS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The sandbox time.
    pub fn now(&self) -> Timestamp {
        self.state.clock.now()
    }

    /// The clock (shared with the server).
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// The store (shared with the server): direct object access for fixtures and benches.
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// The control plane.
    pub fn control_plane(&self) -> &ControlPlane {
        &self.state.control_plane
    }

    /// Moves the clock forward by `by`, firing every control-plane wakeup on the way in order.
    pub fn advance(&self, by: SignedDuration) {
        let target = self.now() + by;
        self.state.control_plane.advance_to(target);
    }

    /// Sets the clock: forwards through every wakeup, or backwards directly.
    pub fn set_clock(&self, t: Timestamp) {
        if t >= self.now() {
            self.state.control_plane.advance_to(t);
        } else {
            self.state.clock.set(t);
            self.state.control_plane.reconcile_pending();
        }
    }

    /// Lets the control plane process everything pending at the current time.
    pub fn settle(&self) {
        self.state.control_plane.reconcile_pending();
    }

    /// Compacts the change log ([`Store::compact`]): open watches end with 410 and older
    /// resourceVersions are too old, so clients relist.
    pub fn compact(&self) -> u64 {
        self.state.store.compact()
    }

    /// Creates an object through the store (as an API create would) and lets the control plane
    /// react.
    pub fn create(&self, kind: Kind, object: Value) -> Result<Value, ApiError> {
        let v = self.state.store.create(kind, object)?;
        self.settle();
        Ok(v)
    }

    /// One object.
    pub fn get(&self, kind: Kind, namespace: Option<&str>, name: &str) -> Option<Value> {
        self.state.store.get(kind, namespace, name)
    }

    /// Objects of a kind in a namespace (all when `None`).
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<Value> {
        self.state.store.list(kind, namespace)
    }

    /// Replaces the registry's missing images (see [`SandboxBuilder::missing_images`]); pods
    /// already waiting on a pull see the change at their next pull attempt.
    pub fn set_missing_images<I: IntoIterator<Item = S>, S: Into<String>>(&self, images: I) {
        self.state.control_plane.registry().set_missing(images);
    }

    /// Replaces the fault configuration.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.state.faults.set(faults);
    }

    /// How many faults were injected since [`Sandbox::set_faults`] was last called.
    pub fn faults_injected(&self) -> u64 {
        self.state.faults.injected()
    }

    /// Sets the latency added to every request.
    pub fn set_latency(&self, latency: Duration) {
        let mut cfg = self.state.faults.config();
        cfg.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(0);
        self.state.faults.set(cfg);
    }

    /// Request counters.
    pub fn request_counts(&self) -> Vec<RequestCount> {
        self.state.counts.snapshot()
    }

    /// Zeroes the request counters.
    pub fn reset_counts(&self) {
        self.state.counts.reset();
    }

    /// The bearer tokens (`admin`, `viewer`).
    pub fn tokens(&self) -> &Tokens {
        &self.state.tokens
    }

    async fn client_for(&self, context: &str) -> Result<kube::Client, SandboxError> {
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig)
            .map_err(|e| SandboxError::Client(e.to_string()))?;
        let opts = kube::config::KubeConfigOptions {
            context: Some(context.to_string()),
            ..Default::default()
        };
        let cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
            .await
            .map_err(|e| SandboxError::Client(e.to_string()))?;
        kube::Client::try_from(cfg).map_err(|e| SandboxError::Client(e.to_string()))
    }

    /// A `kube::Client` as `admin` (context `kuul-sandbox`).
    pub async fn client(&self) -> Result<kube::Client, SandboxError> {
        self.client_for("kuul-sandbox").await
    }

    /// A read-only `kube::Client` as `viewer` (context `kuul-sandbox-viewer`).
    pub async fn viewer_client(&self) -> Result<kube::Client, SandboxError> {
        self.client_for("kuul-sandbox-viewer").await
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop();
    }
}
