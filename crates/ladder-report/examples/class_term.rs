//! A class after a school term, through the real engine on a clock moved by hand, for measuring
//! and reading `ladder report` at the size a tutor reaches by the end of a term:
//! `cargo run --release -p ladder-report --example class_term -- DATA_DIR [LEARNERS] [WEEKS]`
//! (30 learners and 12 weeks by default: over 100,000 events).
//!
//! `-- --without-predictions DATA_DIR OLD_DIR` copies a class written so into `OLD_DIR` with
//! the prediction taken out of every answer event, as versions before the engine recorded them
//! wrote the log: the report then replays every first answer (docs/reports.md, "Cost").
//!
//! Everyone practises Fractions, every third learner Spanish A1 as well, on most school days
//! (Monday to Friday) of the weeks that end yesterday, 12 to 23 questions a session. Most learn
//! steadily; among them, by their place in the class: one who stalls (mostly wrong, never
//! better), one who skips often, one who guesses, one who stops coming after four weeks, one who
//! takes a hint before every answer. At the end the first learner is in a lesson now: a session
//! started an hour ago, a question on screen not yet answered. Prints the counts and how long
//! the engine took.

use std::path::PathBuf;
use std::time::Instant;

use ladder_core::item::ItemKind;
use ladder_core::{Answer, Item};
use ladder_engine::sim::answers;
use ladder_engine::{Clock, Engine};
use ladder_store::{LearnerId, SessionId};

mod shared;
use shared::{Rng, DAY, MIN};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Habit {
    Steady,
    Staller,
    Skipper,
    Guesser,
    Stopper,
    Hints,
}

fn habit(k: usize) -> Habit {
    match k % 10 {
        3 => Habit::Staller,
        5 => Habit::Skipper,
        7 => Habit::Guesser,
        8 if k < 10 => Habit::Stopper,
        9 if k < 10 => Habit::Hints,
        _ => Habit::Steady,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).peekable();
    if args.next_if(|a| a == "--without-predictions").is_some() {
        let usage = "usage: class_term --without-predictions DATA_DIR OLD_DIR";
        let from = PathBuf::from(args.next().ok_or(usage)?);
        let to = PathBuf::from(args.next().ok_or(usage)?);
        let n = without_predictions(&from, &to)?;
        println!("{n} answer events without their prediction in {}", to.display());
        return Ok(());
    }
    let dir = PathBuf::from(args.next().ok_or("usage: class_term DATA_DIR [LEARNERS] [WEEKS]")?);
    let learners: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(30);
    let weeks: i64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(12);
    let mut engine = shared::class_engine(&dir)?;
    let now = ladder_store::Timestamp::now().0;
    let today0 = now - now.rem_euclid(DAY);
    let days = weeks * 7;
    let day0 = today0 - days * DAY;
    let mut rng = Rng(20_260_112);
    let mut ids = Vec::new();
    for k in 0..learners {
        let name = format!("Learner {:02} ({:?})", k + 1, habit(k));
        ids.push(LearnerId(engine.add_learner(&name)?.id));
    }
    let started = Instant::now();
    let (mut sessions, mut questions) = (0u64, 0u64);
    for day in 0..days {
        // Day 0 is a Monday of the term, whatever the calendar says.
        if day % 7 >= 5 {
            continue;
        }
        for (k, &id) in ids.iter().enumerate() {
            let h = habit(k);
            if (h == Habit::Stopper && day >= 28) || !rng.chance(0.85) {
                continue;
            }
            let packs: &[&str] =
                if k % 3 == 0 { &["fractions", "spanish-a1"] } else { &["fractions"] };
            for (j, pack) in packs.iter().enumerate() {
                let start = day0 + day * DAY + (8 * 60 + k as i64 * 9 + j as i64 * 30) * MIN;
                let items = 12 + rng.below(12) as usize;
                let progress = day as f64 / days as f64;
                questions += session(&mut engine, &mut rng, id, h, pack, start, items, progress)?;
                sessions += 1;
            }
        }
        if day % 7 == 4 {
            eprintln!(
                "week {} done: {sessions} sessions, {questions} questions, {:.0} s",
                day / 7 + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    // The first learner is in a lesson now: a question on screen, not answered yet.
    engine.set_clock(Clock::Manual(now - 60 * MIN));
    let s = engine.start_session(ids[0], "fractions", None, None)?;
    let sid = SessionId(s.session);
    for _ in 0..3 {
        engine.advance_clock(20_000);
        let step = engine.next_step(sid)?;
        let item = engine.course("fractions")?;
        let item = item.items.iter().find(|i| i.id.to_string() == step.item.id).ok_or("item")?;
        engine.advance_clock(8_000);
        engine.submit_answer(sid, &answers::right(item), 8_000)?;
    }
    engine.advance_clock(20_000);
    let on_screen = engine.next_step(sid)?;
    println!(
        "{learners} learners, {weeks} weeks: {sessions} sessions, {questions} questions, engine {:.0} s; \
         learner {} has {} on screen in session {}",
        started.elapsed().as_secs_f64(),
        ids[0].0,
        on_screen.item.id,
        sid.0
    );
    Ok(())
}

/// One session; returns how many questions were shown.
#[allow(clippy::too_many_arguments)]
fn session(
    engine: &mut Engine,
    rng: &mut Rng,
    learner: LearnerId,
    h: Habit,
    pack: &str,
    start: i64,
    items: usize,
    progress: f64,
) -> Result<u64, Box<dyn std::error::Error>> {
    engine.set_clock(Clock::Manual(start));
    let s = engine.start_session(learner, pack, None, None)?;
    let sid = SessionId(s.session);
    let loaded = engine.course(pack)?;
    for _ in 0..items {
        engine.advance_clock(3_000 + rng.below(4_000) as i64);
        let step = engine.next_step(sid)?;
        let item = loaded.items.iter().find(|i| i.id.to_string() == step.item.id).ok_or("item")?;
        let skip = match h {
            Habit::Skipper => 0.35,
            _ => 0.03,
        };
        if rng.chance(skip) {
            engine.advance_clock(5_000);
            engine.skip(sid)?;
            continue;
        }
        let mut helped = false;
        if h == Habit::Hints && step.item.hint_levels > 0 {
            engine.advance_clock(10_000);
            engine.request_hint(sid)?;
            helped = true;
        }
        let p_right = match h {
            Habit::Staller => 0.3,
            Habit::Guesser => -1.0,
            _ => (0.5 + 0.4 * progress + if helped { 0.1 } else { 0.0 }).min(0.95),
        };
        let mut tries = 0;
        loop {
            let answer = if p_right < 0.0 {
                random_answer(item, rng)
            } else {
                shared::answer(item, rng.chance(if tries == 0 { p_right } else { 0.6 }))
            };
            let latency = 4_000 + rng.below(20_000);
            engine.advance_clock(latency as i64);
            let r = engine.submit_answer(sid, &answer, latency)?;
            tries += 1;
            if r.correct || tries >= 3 {
                break;
            }
        }
    }
    engine.advance_clock(30_000);
    engine.end_session(sid)?;
    Ok(items as u64)
}

fn random_answer(item: &Item, rng: &mut Rng) -> Answer {
    match &item.kind {
        ItemKind::Choice { choices, .. } => {
            Answer::Choice(vec![1 + rng.below(choices.len() as u64) as usize])
        }
        _ => shared::answer(item, rng.chance(0.25)),
    }
}

/// Copies the database of `from` (and its installed packs) into `to`, the `predicted` field
/// removed from every answer event; returns how many answer events had one. The event log is
/// append-only (a trigger refuses updates), so the copy drops the trigger for the update and
/// puts it back.
fn without_predictions(
    from: &std::path::Path,
    to: &std::path::Path,
) -> Result<usize, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(to)?;
    let db = to.join(ladder_store::DB_FILE);
    if db.exists() {
        return Err(format!("{} holds a database already", to.display()).into());
    }
    // A consistent copy of the live database (its WAL included), then the packs' files.
    let source = rusqlite::Connection::open(from.join(ladder_store::DB_FILE))?;
    source.execute("VACUUM INTO ?1", [db.to_string_lossy()])?;
    copy_dir(&from.join("packs"), &to.join("packs"))?;
    let mut conn = rusqlite::Connection::open(&db)?;
    let tx = conn.transaction()?;
    let trigger: String = tx.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_append_only'",
        [],
        |r| r.get(0),
    )?;
    tx.execute_batch("DROP TRIGGER events_append_only")?;
    let n = tx.execute(
        "UPDATE events SET payload = json_remove(payload, '$.predicted') \
         WHERE kind = 'answer' AND json_extract(payload, '$.predicted') IS NOT NULL",
        [],
    )?;
    tx.execute_batch(&trigger)?;
    tx.commit()?;
    Ok(n)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
