//! Rough benchmark of `Schedule::next` and `count_between` (no criterion: a plain binary).
//!
//! Run with `cargo run --release -p kuul-schedule --example bench_next`. Prints nanoseconds per
//! `next()` for typical schedules in UTC and in America/New_York (starts spread over 2025,
//! including both DST changes), and the cost of counting 30 days of runs.

// This binary's job is to print its measurements.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use kuul_schedule::Schedule;

const SCHEDULES: [&str; 7] = [
    "* * * * *",
    "*/5 * * * *",
    "0 * * * *",
    "30 2 * * *",
    "15 10 * * 1-5",
    "0 0 1 * *",
    "@every 90m",
];

fn starts() -> Vec<Timestamp> {
    let base: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap_or(Timestamp::UNIX_EPOCH);
    // 1,024 starts spread over the year at odd offsets (seconds and sub-seconds included).
    (0..1024)
        .map(|i| base + SignedDuration::new(i * 30_817 + i % 60, i32::try_from(i).unwrap_or(0)))
        .collect()
}

fn ns_per_next(schedule: &Schedule, starts: &[Timestamp]) -> f64 {
    let rounds = 200;
    let begin = Instant::now();
    for _ in 0..rounds {
        for &t in starts {
            black_box(schedule.next(black_box(t)));
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let per = begin.elapsed().as_nanos() as f64 / (rounds * starts.len()) as f64;
    per
}

fn main() {
    let starts = starts();
    println!("{:<16} {:>12} {:>20}", "schedule", "UTC ns/next", "New_York ns/next");
    for spec in SCHEDULES {
        let (Ok(utc), Ok(ny)) = (
            Schedule::parse_standard(spec),
            Schedule::parse_standard(&format!("TZ=America/New_York {spec}")),
        ) else {
            println!("{spec}: does not parse");
            continue;
        };
        println!(
            "{spec:<16} {:>12.0} {:>20.0}",
            ns_per_next(&utc, &starts),
            ns_per_next(&ny, &starts)
        );
    }

    println!();
    println!("{:<40} {:>10} {:>12}", "count_between over 30 days", "runs", "us/count");
    let from: Timestamp = "2025-10-20T00:00:00Z".parse().unwrap_or(Timestamp::UNIX_EPOCH);
    let to = from + SignedDuration::from_hours(30 * 24);
    for spec in [
        "* * * * *",
        "TZ=America/New_York * * * * *",
        "TZ=Europe/London */5 * * * *",
        "0 9 * * 1-5",
    ] {
        let Ok(schedule) = Schedule::parse_standard(spec) else { continue };
        let rounds = 200;
        let begin = Instant::now();
        let mut runs = 0;
        for _ in 0..rounds {
            runs = black_box(schedule.count_between(black_box(from), to));
        }
        #[allow(clippy::cast_precision_loss)]
        let us = begin.elapsed().as_nanos() as f64 / f64::from(rounds) / 1000.0;
        println!("{spec:<40} {runs:>10} {us:>12.1}");
    }
}
