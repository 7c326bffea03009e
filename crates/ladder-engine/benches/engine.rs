//! Latency of submit-answer-to-next-step through the engine (docs/benchmarks.md, "Engine"):
//! `Engine::submit_answer` then `Engine::next_step`, on a real store (WAL, synchronous=FULL) in a
//! temporary directory, a generated 1,000-item pack (the ten skills of Fractions in a
//! prerequisite chain, 100 numeric items each, so that a model trained on Fractions scores it) and a learner with 2,000 past events, with the model the app would run
//! (`training::use_active_model`: the bundled `models/default` when present, otherwise the
//! built-in predictor; the output says which).
//!
//! `cargo bench -p ladder-engine --bench engine` (`-- --answers N` to measure N answers, 300 by
//! default; `-- --built-in` to measure the built-in predictor even when a model is bundled;
//! `-- --past N` for a learner with N past events instead of 2,000, as after a year of practice).

#![allow(clippy::unwrap_used)] // a benchmark: a failure stops it

mod support;

use std::path::Path;
use std::time::Instant;

use ladder_engine::training::use_active_model;

fn main() {
    let mut answers = 300usize;
    let mut built_in = false;
    let mut past = 2000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--answers" => answers = args.next().and_then(|n| n.parse().ok()).unwrap_or(answers),
            "--built-in" => built_in = true,
            "--past" => past = args.next().and_then(|n| n.parse().ok()).unwrap_or(past),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    // The model the app would run: the bundled default model when the repository has one,
    // otherwise the built-in predictor.
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default");
    let bundled = (bundled.is_dir() && !built_in).then_some(bundled);
    let mut model = String::new();
    let (mut e, sid, step) =
        support::setup(dir.path(), "fractions", &support::FRACTIONS_SKILLS, 100, past, |e| {
            let info = use_active_model(e, bundled.as_deref());
            model = info.source.describe();
            for s in &info.skipped {
                println!("skipped: {s}");
            }
        });
    println!(
        "setup: 1,000-item pack installed, {past} past events replayed in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    println!("model: {model}; predictor answering: {}", e.predictor_name());
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
