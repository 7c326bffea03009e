//! Store figures for docs/benchmarks.md (`## Store`):
//!
//! ```text
//! cargo run --release -p ladder-store --example bench_store [-- DIR]
//! ```
//!
//! - p50/p99 time to record one answer durably (one `transact`: item shown + answer, committed
//!   with WAL and synchronous=FULL, i.e. an fsync);
//! - time to load a learner with 100,000 events (`Tx::events`, decoded into typed events);
//! - database size per 10,000 events;
//! - start-up costs on that database: open with quick_check, one backup.
//!
//! DIR (default: a temporary folder) should be on the disk the app will use: durable writes
//! cost what that disk's fsync costs.

#![allow(clippy::unwrap_used)] // a benchmark: any failure should stop it loudly

use std::time::{Duration, Instant};

use ladder_store::{Event, ItemRef, LearnerId, NewLearner, OpenOptions, Store, Timestamp};

const DURABLE_ANSWERS: usize = 1000;
const LOAD_EVENTS: usize = 100_000;

fn shown(i: usize) -> Event {
    // As the engine writes it: the sentence, the same reason as data, and the skill.
    Event::ItemShown {
        item: ItemRef::new("fractions", format!("equivalence-{:03}", i % 120)),
        reason: "Practising Equivalent fractions: predicted 72% on this one, mastery 55% ± 20% \
                 so far."
            .into(),
        why: Some(serde_json::json!({"kind": "practise", "skill": "Equivalent fractions",
            "predicted": 0.72, "mastery": 0.55,
            "uncertainty": 0.2})),
        skill: Some("equivalence".into()),
    }
}

fn answer(i: usize) -> Event {
    Event::Answer {
        item: ItemRef::new("fractions", format!("equivalence-{:03}", i % 120)),
        response: serde_json::json!(format!("{}/{}", i % 7 + 1, i % 9 + 2)),
        correct: i % 3 != 1,
        score: None,
        blanks: None,
        latency_ms: 2000 + (i as u64 * 7919) % 9000,
        hint_level: u32::from(i.is_multiple_of(10)),
        predicted: None,
    }
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::env::args().nth(1).map(Into::into).unwrap_or_else(|| tmp.path().to_path_buf());
    let _ = std::fs::remove_dir_all(base.join("bench-store"));
    let dir = base.join("bench-store");

    // 1. Durable answers.
    let mut store = Store::open(&dir).unwrap();
    let ana = store.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    let mut times = Vec::with_capacity(DURABLE_ANSWERS);
    for i in 0..DURABLE_ANSWERS {
        let t = Instant::now();
        store
            .transact(|tx| {
                tx.append_event(ana, None, &shown(i))?;
                tx.append_event(ana, None, &answer(i))
            })
            .unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "record one answer durably (item_shown + answer, one transaction, n={DURABLE_ANSWERS}): \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(&times, 0.5)),
        ms(pct(&times, 0.99)),
        ms(*times.last().unwrap())
    );

    // 2. A learner with 100,000 events (written in batches: this part is not what is timed).
    let ben = store.transact(|tx| tx.add_learner(&NewLearner::named("Ben"))).unwrap();
    let start = Timestamp::now().0 - 400 * 86_400_000;
    let mut written = 0;
    while written < LOAD_EVENTS {
        store
            .transact(|tx| {
                for j in written..(written + 5000).min(LOAD_EVENTS) {
                    let e = if j % 2 == 0 { shown(j / 2) } else { answer(j / 2) };
                    tx.append_event_at(ben, None, Timestamp(start + j as i64 * 300_000), &e)?;
                }
                Ok(())
            })
            .unwrap();
        written = (written + 5000).min(LOAD_EVENTS);
    }
    drop(store);
    let mut loads = Vec::new();
    for _ in 0..5 {
        let store = Store::open(&dir).unwrap();
        let t = Instant::now();
        let events = store.read(|tx| tx.events(ben, None)).unwrap();
        loads.push(t.elapsed());
        assert_eq!(events.len(), LOAD_EVENTS);
    }
    loads.sort();
    println!(
        "load a learner with {LOAD_EVENTS} events (typed, fresh connection): median {:.0} ms, \
         best {:.0} ms",
        ms(loads[loads.len() / 2]),
        ms(loads[0])
    );

    // 3. Size per 10,000 events, after a checkpoint (WAL emptied), without VACUUM.
    let mut store = Store::open(&dir).unwrap();
    store.compact().unwrap();
    let total_events: i64 = store
        .read(|tx| {
            Ok(tx.event_count(ana)? + tx.event_count(ben)? + tx.event_count(LearnerId(0))?)
        })
        .unwrap();
    let size = std::fs::metadata(store.db_path()).unwrap().len();
    println!(
        "database size: {:.2} MiB for {total_events} events = {:.2} MiB per 10,000 events \
         (events in this mix: half item_shown, half answer)",
        size as f64 / 1048576.0,
        size as f64 / 1048576.0 / (total_events as f64 / 10_000.0)
    );
    drop(store);

    // 4. Start-up on this database: open with quick_check (no backup due yet), then a backup.
    let t = Instant::now();
    let opts = OpenOptions { check_on_open: true, ..OpenOptions::default() };
    let store = Store::open_with(&dir, &opts).unwrap();
    let open = t.elapsed();
    let t = Instant::now();
    store.backup_now().unwrap();
    println!(
        "start-up on this database: open + quick_check {:.0} ms; online backup {:.0} ms",
        ms(open),
        ms(t.elapsed())
    );
}
