//! `kubectl kuul forecast` end to end: CronJobs with run history on the sandbox's controllers,
//! nodes with known allocatable, and the forecast's numbers written down by hand; the SVG chart
//! rendered by a real renderer (rsvg-convert) and its pixels checked; and the predicted waiting
//! pods compared with what the sandbox's scheduler does at that minute.

use std::io::Read;
use std::path::Path;

use crate::support::*;

/// A CronJob in `ops` on pool `batch`: each pod's resources given as `resources`, runs last
/// `duration` on the sandbox's kubelet.
fn cronjob(
    name: &str,
    schedule: &str,
    tz: Option<&str>,
    duration: &str,
    resources: Value,
) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": name, "namespace": "ops"},
        "spec": {"schedule": schedule, "timeZone": tz,
            "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
                "metadata": {"annotations": {"sandbox.kuul.dev/duration": duration}},
                "spec": {"restartPolicy": "Never", "nodeSelector": {"kuul.dev/pool": "batch"},
                    "containers": [{"name": "main", "image": "busybox", "resources": resources}]}}}}}})
}

fn two_cpu() -> Value {
    // Limits only: Kubernetes requests a pod's limits when requests are unset.
    json!({"limits": {"cpu": "2", "memory": "1Gi"}})
}

fn item<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["cronjobs"].as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()
}

/// `backup` ran at 10:10, 10:20 and 10:30 for two minutes each (history: median 2m).
fn cluster() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "batch-1", json!({"kuul.dev/pool": "batch"}), "4", "16Gi");
    ready_node(&sb, "web-1", json!({"kuul.dev/pool": "web"}), "8", "32Gi");
    let small = json!({"requests": {"cpu": "500m", "memory": "1Gi"}});
    sb.create(Kind::CronJob, cronjob("backup", "*/10 * * * *", None, "2m", small.clone()))
        .expect("cronjob");
    sb.create(
        Kind::CronJob,
        cronjob("ny", "30 2 * * *", Some("America/New_York"), "1m", small.clone()),
    )
    .expect("cronjob");
    sb.create(Kind::CronJob, cronjob("berlin", "30 2 * * *", Some("Europe/Berlin"), "1m", small))
        .expect("cronjob");
    sb.advance(jiff::SignedDuration::from_secs(35 * 60));
    sb
}

#[test]
fn starts_durations_and_pools_from_the_cluster() {
    let sb = cluster();
    let report = kuul_both(&sb, &["forecast", "-n", "ops", "-o", "json", "--window", "1h"])
        .expect_code(0)
        .json();
    assert_eq!(report["kind"], "Forecast");
    assert_eq!(report["clock"], "api-server", "{report:#}");
    // From the API server's now (10:35) for an hour: 10:40 ... 11:30.
    assert_eq!(report["window"]["from"], "2025-03-01T10:35:00Z");
    assert_eq!(report["window"]["minutes"], 60);
    let backup = item(&report, "backup");
    assert_eq!(backup["starts"], 6);
    assert_eq!(backup["expectedDurationSeconds"], 120);
    assert_eq!(backup["durationSource"], "history");
    assert_eq!(backup["runsInHistory"], 3);
    assert_eq!(backup["pool"], "batch");
    // Every bucket of every pool CronJobs land in (batch only: web has no CronJob).
    let buckets = report["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 60);
    let at = |m: &str| buckets.iter().find(|b| b["minute"] == m).unwrap();
    assert_eq!(at("2025-03-01T10:40:00Z")["starts"], 1);
    assert_eq!(at("2025-03-01T10:41:00Z")["pods"], 1);
    assert_eq!(at("2025-03-01T10:42:00Z")["pods"], 0);
    assert_eq!(at("2025-03-01T10:40:00Z")["capacityCpu"], 4.0);
    assert_eq!(report["pools"][0]["waitingPods"], 0);
}

#[test]
fn dst_days_fire_as_the_controller_fires() {
    let sb = cluster();
    // 2025-03-09: New York skips 02:30 (spring forward), Berlin (a different date) does not.
    let report = kuul(
        &sb,
        &[
            "forecast",
            "-n",
            "ops",
            "-o",
            "json",
            "--from",
            "2025-03-09T00:00:00Z",
            "--window",
            "24h",
        ],
    )
    .expect_code(0)
    .json();
    assert_eq!(item(&report, "ny")["starts"], 0);
    assert_eq!(item(&report, "berlin")["starts"], 1);
    assert_eq!(item(&report, "backup")["starts"], 144);
    // 2025-11-02 in New York: 01:00-02:00 happens twice; "30 1" would fire twice, "30 2" once.
    let report = kuul(
        &sb,
        &[
            "forecast",
            "-n",
            "ops",
            "-o",
            "json",
            "--from",
            "2025-11-02T04:00:00Z",
            "--window",
            "24h",
        ],
    )
    .expect_code(0)
    .json();
    assert_eq!(item(&report, "ny")["starts"], 1);
}

/// Three 2-CPU CronJobs at minute 0 on a 4-CPU pool, 5-minute runs.
fn crowded() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "batch-1", json!({"kuul.dev/pool": "batch"}), "4", "16Gi");
    for name in ["a", "b", "c"] {
        sb.create(Kind::CronJob, cronjob(name, "0 * * * *", None, "5m", two_cpu()))
            .expect("cronjob");
    }
    sb
}

#[test]
fn demand_over_capacity_is_found_with_its_causes() {
    let sb = crowded();
    let report = kuul(
        &sb,
        &["forecast", "-n", "ops", "-o", "json", "--window", "2h", "--assume-duration", "5m"],
    )
    .expect_code(0)
    .json();
    let pool = &report["pools"][0];
    assert_eq!(pool["name"], "batch");
    // Each hour: two pods fit 4 CPU, the third waits 5 minutes for one to end.
    assert_eq!(pool["waitingPods"], 2, "{pool:#}");
    assert_eq!(pool["maxWaitSeconds"], 300);
    assert_eq!(pool["overCapacityMinutes"], 10);
    assert_eq!(pool["peakCpu"], 6.0);
    let peak = &report["peaks"][0];
    assert_eq!(peak["minute"], "2025-03-01T10:00:00Z");
    assert_eq!(peak["waitingPods"], 1);
    assert_eq!(peak["starts"], 3);
    let causes: Vec<&str> =
        peak["causes"].as_array().unwrap().iter().map(|c| c["cronjob"].as_str().unwrap()).collect();
    assert_eq!(causes, ["ops/a", "ops/b", "ops/c"]);

    // --suggest moves two of the three off minute 0: nothing waits any more.
    let suggest = [
        "forecast",
        "-n",
        "ops",
        "-o",
        "json",
        "--window",
        "2h",
        "--assume-duration",
        "5m",
        "--suggest",
        "--autoscaled",
        "batch",
        "--prescale-lead",
        "10m",
    ];
    let report = kuul(&sb, &suggest).expect_code(0).json();
    let s = &report["suggestions"];
    assert_eq!(s["before"]["peakStarts"], 3, "{s:#}");
    assert_eq!(s["after"]["peakStarts"], 1);
    assert_eq!(s["after"]["waitingPods"], 0);
    assert_eq!(s["changes"].as_array().unwrap().len(), 2);
    assert_eq!(s["prescale"][0]["readyBy"], "2025-03-01T10:00:00Z");
    assert_eq!(s["prescale"][0]["scaleUpAt"], "2025-03-01T09:50:00Z");
    assert_eq!(s["prescale"][0]["extraCpu"], 2.0);
    // Stable: the same suggestions again.
    let again = kuul(&sb, &suggest).expect_code(0).json();
    assert_eq!(again["suggestions"], report["suggestions"]);
}

#[test]
fn other_workloads_take_room_on_their_nodes_as_the_scheduler_counts_them() {
    // Two 2-CPU CronJobs at minute 0 fit the 4-CPU pool, until other pods take 1 CPU of it.
    let sb = sandbox();
    namespace(&sb, "ops");
    namespace(&sb, "kube-system");
    ready_node(&sb, "batch-1", json!({"kuul.dev/pool": "batch"}), "4", "16Gi");
    for name in ["a", "b"] {
        sb.create(Kind::CronJob, cronjob(name, "0 * * * *", None, "5m", two_cpu())).unwrap();
    }
    let args = ["forecast", "-n", "ops", "-o", "json", "--window", "2h", "--assume-duration", "5m"];
    let before = kuul(&sb, &args).expect_code(0).json();
    assert_eq!(before["pools"][0]["waitingPods"], 0, "{:#}", before["pools"][0]);
    assert_eq!(before["pools"][0]["otherWorkloads"]["pods"], 0);

    // An agent in another namespace, bound and running; a finished pod; and a manual run of
    // `a` (a CronJob run, which the forecast models itself: not subtracted).
    let pod = |name: &str, ns: &str, cpu: &str| {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns,
            "annotations": {"sandbox.kuul.dev/duration": "48h"}},
            "spec": {"nodeName": "batch-1", "containers": [{"name": "c", "image": "agent",
                "resources": {"requests": {"cpu": cpu, "memory": "512Mi"}}}]}})
    };
    sb.create(Kind::Pod, pod("node-agent", "kube-system", "1")).unwrap();
    let mut done = pod("old-report", "ops", "1");
    done["metadata"]["annotations"]["sandbox.kuul.dev/duration"] = json!("1s");
    sb.create(Kind::Pod, done).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(3));
    kuul(&sb, &["trigger", "a", "-n", "ops"]).expect_code(0);
    sb.advance(jiff::SignedDuration::from_secs(3));
    let phase = |name: &str, ns: &str| {
        sb.get(Kind::Pod, Some(ns), name).unwrap()["status"]["phase"].clone()
    };
    assert_eq!(phase("node-agent", "kube-system"), "Running");
    assert_eq!(phase("old-report", "ops"), "Succeeded");

    let after = kuul(&sb, &args).expect_code(0).json();
    let pool = &after["pools"][0];
    assert_eq!(pool["allocatableCpu"], 4.0, "{pool:#}");
    assert_eq!(
        pool["otherWorkloads"],
        json!({"pods": 1, "cpu": 1.0, "memoryGib": 0.5}),
        "{pool:#}"
    );
    assert_eq!(pool["freeCpu"], 3.0);
    assert_eq!(pool["freePods"], 109);
    // 3 CPU left: at 10:00 and 11:00 one of the two waits 5 minutes for the other to end.
    assert_eq!(pool["waitingPods"], 2, "{pool:#}");
    assert_eq!(pool["maxWaitSeconds"], 300);
    assert_eq!(after["buckets"][0]["capacityCpu"], 3.0);
    let table = kuul(&sb, &["forecast", "-n", "ops", "--window", "2h"]).expect_code(0).stdout;
    assert!(
        table.contains("(other workloads' 1 pod(s) there request 1 CPU, 0.5Gi memory: 3 CPU"),
        "{table}"
    );
}

#[test]
fn table_heat_map_and_csv() {
    let sb = crowded();
    let run = kuul(&sb, &["forecast", "-n", "ops", "--window", "2h", "--heatmap", "always"])
        .expect_code(0);
    assert!(run.stdout.contains("Starts per minute"), "{}", run.stdout);
    assert!(run.stdout.contains("scale: · 0"), "{}", run.stdout);
    assert!(run.stdout.contains("Pool batch: requests / room"), "{}", run.stdout);
    // No colour off a terminal; the top peak is marked 1 at minute 0 of the 10:00 row.
    assert!(!run.stdout.contains('\x1b'));
    assert!(run.stdout.lines().any(|l| l.starts_with("03-01 10:00 1")), "{}", run.stdout);
    assert!(run.stdout.contains("MINUTE (UTC)"));
    assert!(run.stdout.contains("ops/a, ops/b, ops/c"));
    assert!(run.stdout.contains("pool batch: 1 node(s), 4 CPU"), "{}", run.stdout);
    // Not a terminal: no heat map unless asked.
    let plain = kuul(&sb, &["forecast", "-n", "ops", "--window", "2h"]).expect_code(0);
    assert!(!plain.stdout.contains("Starts per minute"));
    let csv = kuul(&sb, &["forecast", "-n", "ops", "--window", "2h", "-o", "csv"]).expect_code(0);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 120, "every minute of the one pool");
    assert!(lines[0].starts_with("MINUTE,POOL,STARTS,PODS,CPU"));
    assert!(lines[1].starts_with("2025-03-01T10:00:00Z,batch,3,3,6,"), "{}", lines[1]);
}

#[test]
fn bad_input_gets_one_line() {
    let sb = crowded();
    for (args, text) in [
        (&["forecast", "--window", "0"][..], "the window must be longer than 0s"),
        (&["forecast", "--window", "-1h"][..], "must not be negative"),
        (&["forecast", "--window", "32d"][..], "at most 31d"),
        (&["forecast", "--from", "tomorrow"][..], "use RFC 3339"),
    ] {
        let run = kuul(&sb, args).expect_code(2);
        assert!(run.stderr.contains(text), "{args:?}: {}", run.stderr);
    }
    let run = kuul(&sb, &["forecast", "-n", "ops", "--pool", "nope"]).expect_code(1);
    assert!(run.stderr.contains("pool \"nope\" not found"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().filter(|l| l.starts_with("error:")).count(), 1);
}

/// Decodes an 8-bit RGB/RGBA PNG (what rsvg-convert writes): width, height, RGBA pixels.
fn decode_png(bytes: &[u8]) -> (usize, usize, Vec<[u8; 4]>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut pos, mut idat, mut width, mut height, mut channels) = (8, Vec::new(), 0, 0, 0);
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = &bytes[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                assert_eq!(data[8], 8, "bit depth");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(data[12], 0, "interlaced");
            }
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        pos += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).unwrap();
    let stride = width * channels;
    let mut out = vec![0_u8; stride * height];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= channels { out[y * stride + x - channels] } else { 0 };
            let b = if y > 0 { out[(y - 1) * stride + x] } else { 0 };
            let c = if x >= channels && y > 0 { out[(y - 1) * stride + x - channels] } else { 0 };
            let v = match filter {
                0 => line[x],
                1 => line[x].wrapping_add(a),
                2 => line[x].wrapping_add(b),
                3 => line[x].wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    let pred = if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    };
                    line[x].wrapping_add(pred)
                }
                f => panic!("filter {f}"),
            };
            out[y * stride + x] = v;
        }
    }
    let pixels = out
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2], if channels == 4 { p[3] } else { 255 }])
        .collect();
    (width, height, pixels)
}

fn rsvg() -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|d| d.join("rsvg-convert")).find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "rsvg-convert is required under CI=true (apt-get install librsvg2-bin)"
        );
        eprintln!("SKIPPED: rsvg-convert not on PATH (apt-get install librsvg2-bin)");
    }
    found
}

#[test]
fn the_svg_renders_to_the_chart_it_describes() {
    let Some(rsvg) = rsvg() else { return };
    let sb = crowded();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("forecast.svg");
    let html = dir.path().join("forecast.html");
    kuul(
        &sb,
        &[
            "forecast",
            "-n",
            "ops",
            "--from",
            "2025-03-01T10:00:00Z",
            "--window",
            "2h",
            "--assume-duration",
            "5m",
            "--svg",
            svg.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
            "-o",
            "json",
        ],
    )
    .expect_code(0);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains("<td>ops/a, ops/b, ops/c</td>"), "{page}");
    let png = dir.path().join("forecast.png");
    let status = std::process::Command::new(rsvg)
        .args(["-o", png.to_str().unwrap(), svg.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let (w, h, pixels) = decode_png(&std::fs::read(Path::new(&png)).unwrap());
    // 110 px of labels + 60 minutes x 12 px + 20; two maps of two hour-rows each.
    assert_eq!(w, 850);
    assert_eq!(h, 202, "height");
    let px = |x: usize, y: usize| pixels[y * w + x];
    // Starts map: rows from y = 46; 10:00 minute 0 holds the peak (3 starts, the top level,
    // red, outlined); minute 5 of the same row had none (white).
    let peak = px(110 + 10, 46 + 10);
    assert!(peak[0] > 200 && peak[1] < 40 && peak[2] < 40, "peak cell {peak:?}");
    assert_eq!(px(110 + 5 * 12 + 6, 46 + 6), [255, 255, 255, 255], "empty cell");
    assert_eq!(px(110, 46 + 6)[..3], [0, 0, 0], "the peak's outline");
    // Pool map (rows from y = 142): minute 0 is over capacity with a pod waiting (dark red);
    // minute 7 (only the pod that waited, 2 of 4 CPU: 50%) is orange; minute 20 is empty.
    let over = px(110 + 6, 142 + 6);
    assert!(
        over[0] > 100 && over[0] < 150 && over[1] < 20 && over[2] < 20,
        "over-capacity cell {over:?}"
    );
    let half = px(110 + 7 * 12 + 6, 142 + 6);
    assert!(half[0] > 240 && (150..200).contains(&half[1]) && half[2] < 30, "50% cell {half:?}");
    assert_eq!(px(110 + 20 * 12 + 6, 142 + 6), [255, 255, 255, 255]);
}

/// The forecast's waiting pods against the sandbox's own scheduler: at 10:00 three 2-CPU pods
/// arrive on a 4-CPU node; Kubernetes binds two and leaves one Pending, reason Unschedulable
/// ("0/1 nodes are available: 1 Insufficient cpu."), until one ends at 10:05.
#[test]
fn predicted_waiting_pods_match_the_schedulers_pending_pods() {
    let sb = sandbox_with(Seed::Empty, "2025-03-01T09:58:00Z");
    namespace(&sb, "ops");
    ready_node(&sb, "batch-1", json!({"kuul.dev/pool": "batch"}), "4", "16Gi");
    for name in ["a", "b", "c"] {
        sb.create(Kind::CronJob, cronjob(name, "0 * * * *", None, "5m", two_cpu()))
            .expect("cronjob");
    }
    let report = kuul(
        &sb,
        &["forecast", "-n", "ops", "-o", "json", "--window", "10m", "--assume-duration", "5m"],
    )
    .expect_code(0)
    .json();
    let bucket = |m: &str| {
        report["buckets"].as_array().unwrap().iter().find(|b| b["minute"] == m).unwrap().clone()
    };
    let predicted_at_10 = bucket("2025-03-01T10:00:00Z")["waitingPods"].as_u64().unwrap();
    let predicted_at_10_06 = bucket("2025-03-01T10:06:00Z")["waitingPods"].as_u64().unwrap();
    assert_eq!(predicted_at_10, 1);
    let pending = |sb: &Sandbox| {
        sb.list(Kind::Pod, Some("ops"))
            .into_iter()
            .filter(|p| {
                p["status"]["phase"] == "Pending"
                    && p["status"]["conditions"].as_array().is_some_and(|c| {
                        c.iter()
                            .any(|c| c["type"] == "PodScheduled" && c["reason"] == "Unschedulable")
                    })
            })
            .count() as u64
    };
    sb.set_clock("2025-03-01T10:00:30Z".parse().unwrap());
    assert_eq!(pending(&sb), predicted_at_10);
    sb.set_clock("2025-03-01T10:06:00Z".parse().unwrap());
    assert_eq!(pending(&sb), predicted_at_10_06);
}

/// A run already active at the window's start holds its room and its Forbid CronJob's start,
/// against the sandbox's controllers and scheduler: on a 4-CPU node, `f` (Forbid, 2 CPU, fires
/// at :57 and :00) has run since 09:57, so at 10:00 its run still holds 2 CPU until 10:02 and
/// its 10:00 start waits for it; `b` and `c` (2 CPU) start at 10:00: one binds, one stays
/// Pending until f's run ends at 10:02, when the controller starts f's missed 10:00 run, which
/// waits in turn until b or c ends at 10:05. Every run takes 5 minutes.
#[test]
fn a_run_active_at_the_window_start_holds_its_room_as_the_scheduler_sees_it() {
    let sb = sandbox_with(Seed::Empty, "2025-03-01T09:56:00Z");
    namespace(&sb, "ops");
    ready_node(&sb, "batch-1", json!({"kuul.dev/pool": "batch"}), "4", "16Gi");
    let mut f = cronjob("f", "0,57 * * * *", None, "5m", two_cpu());
    f["spec"]["concurrencyPolicy"] = json!("Forbid");
    sb.create(Kind::CronJob, f).expect("cronjob");
    for name in ["b", "c"] {
        sb.create(Kind::CronJob, cronjob(name, "0 * * * *", None, "5m", two_cpu()))
            .expect("cronjob");
    }
    sb.set_clock("2025-03-01T09:58:00Z".parse().unwrap());
    let status = sb.get(Kind::CronJob, Some("ops"), "f").unwrap()["status"].clone();
    assert_eq!(status["active"].as_array().map(Vec::len), Some(1), "{status:#}");

    let report = kuul(
        &sb,
        &["forecast", "-n", "ops", "-o", "json", "--window", "10m", "--assume-duration", "5m"],
    )
    .expect_code(0)
    .json();
    let f = item(&report, "f");
    assert_eq!((f["activeRuns"].as_u64(), f["runs"].as_u64()), (Some(1), Some(1)), "{f:#}");
    assert_eq!(f["deferred"], 1, "{f:#}");
    assert_eq!(report["pools"][0]["activeRuns"], 1);
    let predicted = |m: &str| {
        report["buckets"].as_array().unwrap().iter().find(|b| b["minute"] == m).unwrap()
            ["waitingPods"]
            .as_u64()
            .unwrap()
    };
    let expected: Vec<u64> = ["10:00", "10:02", "10:05"]
        .iter()
        .map(|hm| predicted(&format!("2025-03-01T{hm}:00Z")))
        .collect();
    assert_eq!(expected, [1, 1, 0], "{:#}", report["pools"][0]);

    let pending = |sb: &Sandbox| {
        sb.list(Kind::Pod, Some("ops"))
            .into_iter()
            .filter(|p| {
                p["status"]["phase"] == "Pending"
                    && p["status"]["conditions"].as_array().is_some_and(|c| {
                        c.iter()
                            .any(|c| c["type"] == "PodScheduled" && c["reason"] == "Unschedulable")
                    })
            })
            .count() as u64
    };
    let mut seen = Vec::new();
    for at in ["10:00:30", "10:02:30", "10:05:30"] {
        sb.set_clock(format!("2025-03-01T{at}Z").parse().unwrap());
        seen.push(pending(&sb));
    }
    assert_eq!(seen, expected, "the sandbox's scheduler left these Pending");
    // The controller did defer f's 10:00 start to the end of its run: two Jobs of f.
    let f_jobs = sb
        .list(Kind::Job, Some("ops"))
        .into_iter()
        .filter(|j| j["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("f-")))
        .count();
    assert_eq!(f_jobs, 2);
}
