//! A year of practice on a shared classroom machine, written through the real engine: one
//! learner ("Year") with about `--own` events on both sample packs, and `--others` more
//! learners with about `--each` events each, every event an engine call (`start_session`,
//! `next_step`, `request_hint`, `submit_answer`, `skip`, `end_session`) with the engine's clock
//! moved a day between sessions. Simulated students answer (the `logistic` family of
//! `ladder simulate`), so the history looks like practice: retries, hints, skips, review.
//!
//! `cargo run --release -p ladder-engine --example year -- DATA_DIR [--own 20000]
//! [--others 30] [--each 6700] [--seed 1]`
//!
//! `year DATA_DIR --session 10` adds one session of 10 items of learner 1 ("Year") on
//! Fractions, at the system's time, to a data directory this example wrote: the short session
//! after which the app's training job runs (docs/model.md, "The default model and the device's
//! training job", measured with `ladder --data-dir DATA_DIR train` after it).
//!
//! Otherwise DATA_DIR must not hold a database yet. The built-in predictor chooses the items (the bundled
//! model would give other choices but the same shape of history, and be slower to write).
//! Writing on a disk syncs every commit; a folder on a RAM disk (`/dev/shm`), copied to a disk
//! afterwards, writes the same database much faster. The docs' figures (docs/benchmarks.md,
//! "A year on a classroom machine") were measured on a database written by this example.

#![allow(clippy::unwrap_used, clippy::expect_used)] // an example: a failure stops it

use std::path::{Path, PathBuf};
use std::time::Instant;

use ladder_engine::packs::LoadedCourse;
use ladder_engine::sim::answers;
use ladder_engine::sim::students::{student_rng, LogisticStudent, Student};
use ladder_engine::{Clock, Engine, EngineOptions};
use ladder_store::{LearnerId, SessionId};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const T0_MS: i64 = 1_735_689_600_000; // 2025-01-01T00:00:00Z
const DAY_MS: i64 = 86_400_000;

struct Args {
    dir: PathBuf,
    own: usize,
    others: usize,
    each: usize,
    seed: u64,
    session: Option<usize>,
}

fn args() -> Args {
    let mut a =
        Args { dir: PathBuf::new(), own: 20_000, others: 30, each: 6_700, seed: 1, session: None };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        let mut num = |name: &str| -> usize {
            it.next()
                .and_then(|n| n.replace('_', "").parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match x.as_str() {
            "--own" => a.own = num("--own"),
            "--others" => a.others = num("--others"),
            "--each" => a.each = num("--each"),
            "--seed" => a.seed = num("--seed") as u64,
            "--session" => a.session = Some(num("--session")),
            d if !d.starts_with("--") => a.dir = PathBuf::from(d),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !a.dir.as_os_str().is_empty(),
        "usage: year DATA_DIR [--own N] [--others N] [--each N] | year DATA_DIR --session N"
    );
    a
}

fn main() {
    let a = args();
    if let Some(items) = a.session {
        return one_more_session(&a.dir, items, a.seed);
    }
    assert!(
        !a.dir.join("ladder.sqlite3").exists(),
        "{} already holds a database: give a new folder",
        a.dir.display()
    );
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs");
    let mut e = Engine::open(&a.dir, EngineOptions::default()).unwrap();
    e.set_clock(Clock::Manual(T0_MS));
    let mut ids = Vec::new();
    for p in ["fractions", "spanish-a1"] {
        e.install_pack(&packs.join(p), false).unwrap();
        ids.push(p.to_owned());
    }
    let started = Instant::now();
    // The learner of the measurements first, so that their id is 1.
    let mut total = 0usize;
    for (k, target) in
        std::iter::once(a.own).chain(std::iter::repeat_n(a.each, a.others)).enumerate()
    {
        let name = if k == 0 { "Year".to_owned() } else { format!("Class {k:02}") };
        let learner = LearnerId(e.add_learner(&name).unwrap().id);
        let n = practise_a_year(&mut e, learner, &ids, target, a.seed ^ (k as u64) << 20);
        total += n;
        println!("{name}: {n} events ({total} in all, {:.0} s)", started.elapsed().as_secs_f64());
    }
    println!("done: {total} events in {:.0} s", started.elapsed().as_secs_f64());
}

/// One session of `items` items of learner 1 on Fractions, at the system's time.
fn one_more_session(dir: &Path, items: usize, seed: u64) {
    assert!(dir.join("ladder.sqlite3").exists(), "{} holds no database", dir.display());
    let mut e = Engine::open(dir, EngineOptions::default()).unwrap();
    // The system's time, moved on by the session's answers (after the year's last session).
    e.set_clock(Clock::Manual(e.now_ms()));
    let pack = "fractions".to_owned();
    let course = e.course(&pack).unwrap();
    let mut rng = student_rng(seed ^ 0x5e55, 0);
    let mut student = LogisticStudent::sample(&course.course, &mut rng);
    let n = one_session(&mut e, LearnerId(1), &pack, &course, &mut student, items, &mut rng);
    println!("one session of {items} items: {n} events");
}

/// One learner's year: a session most days, alternating the packs, until about `target` events.
/// Returns how many events were written.
fn practise_a_year(
    e: &mut Engine,
    learner: LearnerId,
    packs: &[String],
    target: usize,
    seed: u64,
) -> usize {
    let mut rng = student_rng(seed, 0);
    let loaded: Vec<_> = packs.iter().map(|p| e.course(p).unwrap()).collect();
    let mut students: Vec<LogisticStudent> =
        loaded.iter().map(|l| LogisticStudent::sample(&l.course, &mut rng)).collect();
    // Sessions per year ≈ 300 days; items per session to reach the target.
    let per_session = (target / 300 / 2).max(3);
    let mut written = 0usize;
    let mut day = 0i64;
    while written < target {
        day += 1;
        // About one day in seven without practice.
        if rng.random_range(0..7) == 0 {
            continue;
        }
        e.set_clock(Clock::Manual(T0_MS + day * DAY_MS + rng.random_range(8..16) * 3_600_000));
        let k = (day % 2) as usize;
        let items = rng.random_range(per_session / 2..=per_session * 3 / 2);
        written +=
            one_session(e, learner, &packs[k], &loaded[k], &mut students[k], items, &mut rng);
    }
    written
}

/// One session of `items` items, answered by `student`; returns how many events were written.
fn one_session(
    e: &mut Engine,
    learner: LearnerId,
    pack: &str,
    course: &LoadedCourse,
    student: &mut LogisticStudent,
    items: usize,
    rng: &mut ChaCha8Rng,
) -> usize {
    let sid = SessionId(e.start_session(learner, pack, None, None).unwrap().session);
    let mut written = 1;
    for _ in 0..items {
        let step = e.next_step(sid).unwrap();
        written += 1;
        let ix = course
            .course
            .item_ix(&ladder_core::ItemId::new(step.item.id.clone()))
            .expect("the engine showed an item of the course");
        let now = e.now_ms().div_euclid(1000);
        let p = student.p_correct(&course.course, ix, now);
        if rng.random::<f32>() < 0.04 {
            e.advance_clock(5_000);
            e.skip(sid).unwrap();
            written += 1;
            continue;
        }
        let mut hinted = false;
        if p < 0.5 && rng.random::<f32>() < 0.4 && course.course.items[ix].hint_levels > 0 {
            e.advance_clock(6_000);
            e.request_hint(sid).unwrap();
            written += 1;
            hinted = true;
        }
        for attempt in 0..2 {
            let p = if hinted { (p + 0.2).min(0.95) } else { p };
            let correct = rng.random::<f32>() < p;
            let item = &course.items[ix];
            let answer = if correct {
                answers::right(item)
            } else {
                answers::wrong(item, rng.random_range(0..4))
            };
            let latency = (rng.random_range(6.0f64..40.0) * 1000.0) as u64;
            e.advance_clock(latency as i64);
            let graded = e.submit_answer(sid, &answer, latency).unwrap();
            written += 1;
            let now = e.now_ms().div_euclid(1000);
            if attempt == 0 {
                student.practise(&course.course, ix, graded.correct, now, rng);
            }
            if graded.correct || rng.random::<f32>() < 0.5 {
                break;
            }
        }
        e.advance_clock(3_000);
    }
    e.end_session(sid).unwrap();
    written += 1;
    written
}
