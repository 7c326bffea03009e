//! Latency of submit-answer-to-next-step through the engine (docs/benchmarks.md, "Engine"):
//! `Engine::submit_answer` then `Engine::next_step`, on a real store (WAL, synchronous=FULL) in a
//! temporary directory, a generated 1,000-item pack (20 skills in a prerequisite chain, 50
//! items each) and a learner with 2,000 past events, with the engine's default learner model.
//!
//! `cargo bench -p ladder-engine --bench engine` (`-- --answers N` to measure N answers; 300 by
//! default).

#![allow(clippy::unwrap_used)] // a benchmark: a failure stops it

mod support;

use std::time::Instant;

fn main() {
    let mut answers = 300usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--answers" {
            answers = args.next().and_then(|n| n.parse().ok()).unwrap_or(answers);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let (mut e, sid, step) = support::setup(dir.path(), 20, 50, 2000, |_| {});
    println!(
        "setup: 1,000-item pack installed, 2,000 past events replayed in {:.1} s; predictor {}",
        t.elapsed().as_secs_f64(),
        e.predictor_name()
    );
    let mut times = support::answer_items(&mut e, sid, answers, step);
    times.sort_unstable();
    println!(
        "submit_answer + next_step over {} answers: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        support::percentile_ms(&times, 0.5),
        support::percentile_ms(&times, 0.9),
        support::percentile_ms(&times, 0.99),
        support::percentile_ms(&times, 1.0),
    );
}
