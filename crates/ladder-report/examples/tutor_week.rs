//! A small class over ten days, through the real engine on a clock moved by hand, for reading
//! `ladder report` as a tutor after a week: `cargo run -p ladder-report --example tutor_week --
//! DATA_DIR`. Five learners on Fractions, two of them also on Spanish A1: one steady (renamed
//! after her sessions), one who skips often, one who answers at random, one who opens the worked
//! solution on every question, and one archived at the end. On one day a question is left on
//! screen when the session ends (no skip). Every action is logged to `DATA_DIR/script.jsonl`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use ladder_core::item::ItemKind;
use ladder_core::{Answer, Item};
use ladder_engine::{Clock, Engine, EngineOptions};
use ladder_store::{LearnerId, SessionId};

mod shared;
use shared::{Rng, DAY, MIN};

#[derive(Clone, Copy, PartialEq)]
enum Habit {
    Steady,
    Skipper,
    Random,
    Solutions,
}

struct Profile {
    name: &'static str,
    habit: Habit,
    packs: &'static [&'static str],
}

const PROFILES: &[Profile] = &[
    Profile { name: "Ana", habit: Habit::Steady, packs: &["fractions", "spanish-a1"] },
    Profile { name: "Sam Skipper", habit: Habit::Skipper, packs: &["fractions"] },
    Profile { name: "Rita Random", habit: Habit::Random, packs: &["fractions", "spanish-a1"] },
    Profile { name: "Sol Solutions", habit: Habit::Solutions, packs: &["fractions"] },
    Profile { name: "Arno Archived", habit: Habit::Steady, packs: &["fractions"] },
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: tutor_week DATA_DIR")?);
    std::fs::create_dir_all(&dir)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut engine = Engine::open(&dir, EngineOptions::default())?;
    for pack in ["fractions", "spanish-a1"] {
        engine.install_pack(&root.join("assets/packs").join(pack), false)?;
    }
    let now = ladder_store::Timestamp::now().0;
    let today0 = now - now.rem_euclid(DAY);
    let mut rng = Rng(7);
    let mut log = std::io::BufWriter::new(std::fs::File::create(dir.join("script.jsonl"))?);
    let mut ids = Vec::new();
    for p in PROFILES {
        ids.push(LearnerId(engine.add_learner(p.name)?.id));
    }
    // Days 10 ago to 1 ago, sessions at 17:00 UTC and after.
    for back in (1..=10i64).rev() {
        for (k, p) in PROFILES.iter().enumerate() {
            for (j, pack) in p.packs.iter().enumerate() {
                let start = today0 - back * DAY + (17 * 60 + k as i64 * 10 + j as i64 * 45) * MIN;
                let leave_on_screen = k == 0 && back == 3 && j == 0;
                session(
                    &mut engine,
                    &mut rng,
                    &mut log,
                    ids[k],
                    p,
                    pack,
                    start,
                    8,
                    leave_on_screen,
                )?;
            }
        }
    }
    engine.set_clock(Clock::Manual(today0 - DAY + 23 * 60 * MIN));
    engine.rename_learner(ids[0], "Ana María")?;
    engine.archive_learner(ids[4])?;
    log.flush()?;
    println!("learners {:?}", ids.iter().map(|i| i.0).collect::<Vec<_>>());
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn session(
    engine: &mut Engine,
    rng: &mut Rng,
    log: &mut impl std::io::Write,
    learner: LearnerId,
    p: &Profile,
    pack: &str,
    start: i64,
    items: usize,
    leave_on_screen: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    engine.set_clock(Clock::Manual(start));
    let s = engine.start_session(learner, pack, None, None)?;
    let sid = SessionId(s.session);
    let mut w = |v: serde_json::Value| writeln!(log, "{v}");
    let loaded = engine.course(pack)?;
    for n in 0..items {
        engine.advance_clock(5_000);
        let step = engine.next_step(sid)?;
        let item = loaded.items.iter().find(|i| i.id.to_string() == step.item.id).ok_or("item")?;
        if leave_on_screen && n + 1 == items {
            w(
                serde_json::json!({"learner": learner.0, "pack": pack, "kind": "left_on_screen", "item": step.item.id}),
            )?;
            break;
        }
        if p.habit == Habit::Skipper && rng.chance(0.5) {
            engine.advance_clock(4_000);
            engine.skip(sid)?;
            w(
                serde_json::json!({"learner": learner.0, "pack": pack, "kind": "skip", "item": step.item.id}),
            )?;
            continue;
        }
        let mut hinted = false;
        if p.habit == Habit::Solutions && step.item.has_solution {
            engine.advance_clock(10_000);
            engine.view_solution(sid)?;
            hinted = true;
        }
        let p_right = match p.habit {
            Habit::Steady => 0.85,
            Habit::Skipper => 0.7,
            Habit::Random => -1.0,
            Habit::Solutions => 0.9,
        };
        let mut tries = 0;
        loop {
            let (answer, text) = if p_right < 0.0 {
                random_answer(item, rng)
            } else {
                make_answer(item, rng.chance(p_right))
            };
            engine.advance_clock(8_000);
            let r = engine.submit_answer(sid, &answer, 8_000)?;
            w(
                serde_json::json!({"learner": learner.0, "pack": pack, "kind": "answer", "item": step.item.id, "first": tries == 0, "correct": r.correct, "text": text, "hinted": hinted}),
            )?;
            tries += 1;
            if r.correct || tries >= 2 {
                break;
            }
        }
    }
    engine.advance_clock(30_000);
    engine.end_session(sid)?;
    Ok(())
}

fn random_answer(item: &Item, rng: &mut Rng) -> (Answer, String) {
    match &item.kind {
        ItemKind::Choice { choices, .. } => {
            let pick = 1 + rng.below(choices.len() as u64) as usize;
            (Answer::Choice(vec![pick]), format!("[{pick}]"))
        }
        _ => make_answer(item, rng.chance(0.3)),
    }
}

/// A right answer or a wrong one (`shared::answer`), with the text the script logs.
fn make_answer(item: &Item, ok: bool) -> (Answer, String) {
    let answer = shared::answer(item, ok);
    let text = match &answer {
        Answer::Choice(v) | Answer::Order(v) => format!("{v:?}"),
        Answer::Text(t) => t.clone(),
        Answer::Cloze(v) => v.join(", "),
    };
    (answer, text)
}
