//! Records the kube-apiserver goldens (`golden/apiserver/<scenario>.json`) from a real
//! kube-apiserver 1.20 with etcd, both on loopback. The replay test
//! (`tests/apiserver_golden.rs`) runs the same requests against the sandbox in `cargo test`.
//!
//! Re-record (Debian bookworm; the Kubernetes tree and binaries stay outside the repo):
//!
//! ```sh
//! sudo apt-get install golang-go rsync etcd-server dpkg-dev openssl   # Go 1.19, etcd 3.4
//! mkdir -p /work/k8s-build && cd /work/k8s-build
//! apt-get source kubernetes golang-github-modern-go-reflect2         # needs a deb-src line
//! K=kubernetes-1.20.5+really1.20.2 R=golang-github-modern-go-reflect2-1.0.2
//! # vendored reflect2 1.0.1 crashes under Go >= 1.18 (first JSON encode of a map): use 1.0.2
//! rm $K/vendor/github.com/modern-go/reflect2/*.go
//! cp $R/*.go $R/*.s $K/vendor/github.com/modern-go/reflect2/ && rm $K/vendor/github.com/modern-go/reflect2/*_test.go
//! (cd $K && GOPROXY=off GOFLAGS=-mod=vendor make WHAT=cmd/kube-apiserver)
//! cargo run -p kuul-sandbox --example record_apiserver -- \
//!     --apiserver /work/k8s-build/$K/_output/bin/kube-apiserver [--etcd etcd] [--only NAME]
//! ```
//!
//! The server listens on 127.0.0.1 only, over HTTPS with a throwaway CA (1.20 refuses an
//! insecure port), with one token from a token file and `AlwaysAllow` authorization, the default admission plugins except `ServiceAccount` (it needs the
//! controller-manager's token controller), `--endpoint-reconciler-type=none` (so nothing but
//! the scenarios writes to etcd and list resourceVersions are deterministic), and no
//! controller-manager, scheduler or kubelet: the goldens record the API machinery alone.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/oracle/mod.rs"]
mod oracle;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use serde_json::json;

struct Killer(Vec<Child>);

impl Drop for Killer {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn main() {
    let mut apiserver = None;
    let mut etcd = "etcd".to_string();
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--apiserver" => apiserver = args.next(),
            "--etcd" => etcd = args.next().expect("--etcd PATH"),
            "--only" => only = args.next(),
            other => {
                eprintln!("error: unknown argument {other}");
                eprintln!(
                    "usage: record_apiserver --apiserver PATH [--etcd PATH] [--only SCENARIO]"
                );
                std::process::exit(2);
            }
        }
    }
    let Some(apiserver) = apiserver else {
        eprintln!("error: --apiserver PATH (a kube-apiserver 1.20 binary) is required");
        std::process::exit(2);
    };

    let dir: PathBuf = std::env::temp_dir().join(format!("kuul-record-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    let key = dir.join("sa.key");
    let ok = Command::new("openssl")
        .args(["genrsa", "-out"])
        .arg(&key)
        .arg("2048")
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "openssl genrsa failed");

    // 1.20 serves HTTPS only: a throwaway CA and a serving certificate for 127.0.0.1, and one
    // bearer token (AlwaysAllow authorization).
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "kuul-record-ca");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::from_params(&ca_params, &ca_key);
    let serving_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, "kube-apiserver");
    let serving = params.signed_by(&serving_key, &issuer).unwrap();
    std::fs::write(dir.join("serving.crt"), format!("{}{}", serving.pem(), ca_cert.pem())).unwrap();
    std::fs::write(dir.join("serving.key"), serving_key.serialize_pem()).unwrap();
    let token = "kuul-golden-recorder";
    std::fs::write(dir.join("tokens.csv"), format!("{token},admin,admin,system:masters\n"))
        .unwrap();

    let (etcd_port, peer_port, secure) = (free_port(), free_port(), free_port());
    let mut children = Killer(Vec::new());
    let etcd_log = std::fs::File::create(dir.join("etcd.log")).unwrap();
    children.0.push(
        Command::new(&etcd)
            .arg("--data-dir")
            .arg(dir.join("etcd"))
            .arg(format!("--listen-client-urls=http://127.0.0.1:{etcd_port}"))
            .arg(format!("--advertise-client-urls=http://127.0.0.1:{etcd_port}"))
            .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer_port}"))
            .arg(format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer_port}"))
            .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer_port}"))
            .stdout(etcd_log.try_clone().unwrap())
            .stderr(etcd_log)
            .spawn()
            .expect("starting etcd"),
    );
    let api_log = std::fs::File::create(dir.join("kube-apiserver.log")).unwrap();
    children.0.push(
        Command::new(&apiserver)
            .arg(format!("--etcd-servers=http://127.0.0.1:{etcd_port}"))
            .arg("--bind-address=127.0.0.1")
            .arg("--advertise-address=127.0.0.1")
            .arg(format!("--secure-port={secure}"))
            .arg(format!("--cert-dir={}", dir.join("certs").display()))
            .arg(format!("--tls-cert-file={}", dir.join("serving.crt").display()))
            .arg(format!("--tls-private-key-file={}", dir.join("serving.key").display()))
            .arg(format!("--token-auth-file={}", dir.join("tokens.csv").display()))
            .arg("--service-account-issuer=https://kubernetes.default.svc")
            .arg(format!("--service-account-key-file={}", key.display()))
            .arg(format!("--service-account-signing-key-file={}", key.display()))
            .arg("--service-cluster-ip-range=10.0.0.0/24")
            .arg("--authorization-mode=AlwaysAllow")
            .arg("--disable-admission-plugins=ServiceAccount")
            .arg("--endpoint-reconciler-type=none")
            .stdout(api_log.try_clone().unwrap())
            .stderr(api_log)
            .spawn()
            .expect("starting kube-apiserver"),
    );

    let target = oracle::Target {
        addr: format!("127.0.0.1:{secure}"),
        token: Some(token.to_string()),
        tls: Some(oracle::tls_trusting(ca_cert.der().to_vec())),
    };
    let start = Instant::now();
    loop {
        let up = std::net::TcpStream::connect(&target.addr).is_ok()
            && oracle::send(&target, "GET", "/readyz", "", "*/*", b"").status == 200
            && oracle::send(&target, "GET", "/api/v1/namespaces/default", "", "*/*", b"").status
                == 200;
        if up {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "kube-apiserver not ready after 120 s; see {}",
            dir.join("kube-apiserver.log").display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    // Let the bootstrap controllers (priority classes, RBAC, the kubernetes service) finish.
    std::thread::sleep(Duration::from_secs(5));
    let version = oracle::send(&target, "GET", "/version", "", "application/json", b"");
    let version: serde_json::Value = serde_json::from_slice(&version.body).unwrap();
    let recorded_with = format!("kube-apiserver {} with etcd", version["gitVersion"]);
    println!("recording against {recorded_with}");

    for s in oracle::scenarios() {
        if only.as_ref().is_some_and(|o| *o != s.name) {
            continue;
        }
        let steps = oracle::run(&target, &s);
        let golden =
            json!({"name": s.name, "doc": s.doc, "recordedWith": recorded_with, "steps": steps});
        let path = oracle::golden_dir().join(format!("{}.json", s.name));
        let mut text = serde_json::to_string_pretty(&golden).unwrap();
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        println!("{}: {} steps -> {}", s.name, steps.len(), path.display());
    }
    drop(children);
    let _ = std::fs::remove_dir_all(&dir);
}
