//! Builds a realistic class in a data directory, through the real engine (sessions, next steps,
//! hints, solutions, answers, skips) on a clock moved by hand over four weeks that end now, for
//! reading `ladder report` as a tutor would:
//! `cargo run --release -p ladder-report --example real_class -- DATA_DIR [LEARNERS]` (LEARNERS:
//! how many regular learners, 35 by default, with the six particular ones: a class of 40 who
//! are not archived).
//!
//! Both sample packs are installed. The class: learners named in several languages (one very
//! long name, one with a comma and quotes), most practising most days, one who stopped two weeks
//! ago, one archived, one with no answers at all, one who answers only after a hint, one who
//! views every worked solution first. Every action is logged to `DATA_DIR/script.jsonl` (one
//! JSON object per line) so that a report's figures can be counted from the script.

use std::io::Write as _;
use std::path::PathBuf;

use ladder_core::item::{Blank, ItemKind};
use ladder_core::Answer;
use ladder_engine::{Clock, Engine};
use ladder_store::{LearnerId, SessionId};

mod shared;
use shared::{Rng, DAY, MIN};

#[derive(Clone, Copy, PartialEq)]
enum Habit {
    Normal,
    OnlyHints,
    EverySolution,
}

struct Profile {
    name: &'static str,
    /// Probability of a right first answer (before learning).
    skill: f64,
    /// Days (from 27 days ago = 0 to today = 27) with a session.
    days: Vec<i64>,
    packs: &'static [&'static str],
    habit: Habit,
    archive: bool,
}

const NAMES: &[&str] = &[
    "Ana García",
    "Ben Okafor",
    "Zoë Müller",
    "Łukasz Nowak",
    "Дарья Иванова",
    "Αλέξης Παπαδόπουλος",
    "李娜",
    "Nguyễn Văn An",
    "Søren Kierkegaard",
    "Ayşe Yılmaz",
    "François Dupont",
    "Siobhán O'Brien",
    "Smith, John \"Jack\"",
    "José Luis Pérez",
    "Mário Gonçalves",
    "Ingrid Bergström",
    "Mohammed Al-Sayed",
    "Priya Natarajan",
    "Kenji Watanabe",
    "Olivia Brown",
    "Lucas Silva",
    "Emma Johansson",
    "Noah Williams",
    "Mia Rossi",
    "Chloé Lefèvre",
    "Tomás Ruiz",
    "Hanna Kowalska",
    "Yusuf Demir",
    "Sofía Hernández",
    "Liam Murphy",
    "Aarav Sharma",
    "Fatima Zahra Benali",
    "Oluwaseun Adeyemi",
    "Mateo García López",
    "Nora Lindqvist",
    "Kofi Mensah",
];

const LONG_NAME: &str =
    "María de los Ángeles Fernández-Villaverde y Rodríguez de la Concepción Montenegro";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: real_class DATA_DIR [LEARNERS]")?);
    let regular: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(35).min(NAMES.len());
    let mut engine = shared::class_engine(&dir)?;
    // Four weeks that end an hour ago, day 0 = 27 days ago (at midnight UTC).
    let now = ladder_store::Timestamp::now().0;
    let today0 = now - now.rem_euclid(DAY);
    let day0 = today0 - 27 * DAY;
    let mut rng = Rng(20_251_127);
    let mut profiles = Vec::new();
    for (k, name) in NAMES.iter().take(regular).enumerate() {
        // Most practise on most days; some skip weekends; a few rarely.
        let p_day = [0.9, 0.75, 0.5, 0.3][k % 4];
        let days = (0..28).filter(|_| rng.chance(p_day)).collect();
        let packs: &'static [&'static str] = match k % 3 {
            0 => &["fractions"],
            1 => &["fractions", "spanish-a1"],
            _ => &["spanish-a1"],
        };
        profiles.push(Profile {
            name,
            skill: 0.35 + 0.55 * (k as f64 / regular as f64),
            days,
            packs,
            habit: Habit::Normal,
            archive: false,
        });
    }
    profiles.push(Profile {
        name: LONG_NAME,
        skill: 0.7,
        days: (0..28).collect(),
        packs: &["fractions", "spanish-a1"],
        habit: Habit::Normal,
        archive: false,
    });
    profiles.push(Profile {
        name: "Stopped Stella",
        skill: 0.6,
        days: (0..14).collect(),
        packs: &["fractions"],
        habit: Habit::Normal,
        archive: false,
    });
    profiles.push(Profile {
        name: "Archived Arno",
        skill: 0.5,
        days: (5..20).collect(),
        packs: &["fractions"],
        habit: Habit::Normal,
        archive: true,
    });
    profiles.push(Profile {
        name: "Nadia Nothing",
        skill: 0.5,
        days: vec![],
        packs: &[],
        habit: Habit::Normal,
        archive: false,
    });
    profiles.push(Profile {
        name: "Hannah Hints",
        skill: 0.6,
        days: (10..28).step_by(2).collect(),
        packs: &["fractions"],
        habit: Habit::OnlyHints,
        archive: false,
    });
    profiles.push(Profile {
        name: "Sam Solutions",
        skill: 0.6,
        days: (12..28).step_by(2).collect(),
        packs: &["fractions", "spanish-a1"],
        habit: Habit::EverySolution,
        archive: false,
    });
    let mut log = std::io::BufWriter::new(std::fs::File::create(dir.join("script.jsonl"))?);
    let mut ids = Vec::new();
    for p in &profiles {
        let id = LearnerId(engine.add_learner(p.name)?.id);
        ids.push(id);
        writeln!(
            log,
            "{}",
            serde_json::json!({"learner": id.0, "name": p.name, "kind": "learner"})
        )?;
    }
    // Day by day, learner by learner, so that event ids follow time as in a real classroom.
    for day in 0..28i64 {
        for (k, p) in profiles.iter().enumerate() {
            if !p.days.contains(&day) {
                continue;
            }
            for (j, pack) in p.packs.iter().enumerate() {
                let start = day0 + day * DAY + (8 * 60 + k as i64 * 7 + j as i64 * 40) * MIN;
                // The last day's sessions end before now.
                if start + 40 * MIN > now {
                    continue;
                }
                let items = 5 + rng.below(8) as usize;
                session(&mut engine, &mut rng, &mut log, ids[k], p, pack, start, items, day)?;
            }
        }
    }
    for (k, p) in profiles.iter().enumerate() {
        if p.archive {
            engine.archive_learner(ids[k])?;
            writeln!(log, "{}", serde_json::json!({"learner": ids[k].0, "kind": "archived"}))?;
        }
    }
    log.flush()?;
    println!("{} learners, generated at {now}", profiles.len());
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
    day: i64,
) -> Result<(), Box<dyn std::error::Error>> {
    engine.set_clock(Clock::Manual(start));
    let s = engine.start_session(learner, pack, None, None)?;
    let sid = SessionId(s.session);
    let mut w = |v: serde_json::Value| writeln!(log, "{v}");
    w(
        serde_json::json!({"learner": learner.0, "pack": pack, "kind": "start", "session": sid.0, "t": start}),
    )?;
    let loaded = engine.course(pack)?;
    for _ in 0..items {
        engine.advance_clock(3_000 + rng.below(4_000) as i64);
        let step = engine.next_step(sid)?;
        let t = engine.now_ms();
        let ix =
            loaded.items.iter().position(|i| i.id.to_string() == step.item.id).ok_or("item")?;
        let item = &loaded.items[ix];
        w(
            serde_json::json!({"learner": learner.0, "pack": pack, "kind": "shown", "item": step.item.id, "t": t, "session": sid.0}),
        )?;
        // Skips now and then.
        if p.habit == Habit::Normal && rng.chance(0.04) {
            engine.advance_clock(8_000);
            engine.skip(sid)?;
            w(
                serde_json::json!({"learner": learner.0, "pack": pack, "kind": "skip", "item": step.item.id, "t": engine.now_ms()}),
            )?;
            continue;
        }
        let mut hint_level = 0u32;
        let mut solution = false;
        match p.habit {
            Habit::OnlyHints if step.item.hint_levels > 0 => {
                engine.advance_clock(10_000);
                let h = engine.request_hint(sid)?;
                hint_level = u32::from(h.level);
                solution = h.is_solution;
                w(
                    serde_json::json!({"learner": learner.0, "pack": pack, "kind": if h.is_solution {"solution"} else {"hint"}, "level": h.level, "item": step.item.id, "t": engine.now_ms()}),
                )?;
            }
            Habit::EverySolution if step.item.has_solution => {
                engine.advance_clock(10_000);
                let h = engine.view_solution(sid)?;
                solution = true;
                hint_level = u32::from(h.level);
                w(
                    serde_json::json!({"learner": learner.0, "pack": pack, "kind": "solution", "level": h.level, "item": step.item.id, "t": engine.now_ms()}),
                )?;
            }
            _ => {}
        }
        let _ = (hint_level, solution);
        // Learning: the chance of a right answer grows with the days.
        let p_right =
            (p.skill + day as f64 * 0.01 + if hint_level > 0 { 0.15 } else { 0.0 }).min(0.97);
        let mut tries = 0;
        loop {
            let ok = rng.chance(if tries == 0 { p_right } else { 0.7 });
            let (answer, text) = make_answer(&item.kind, ok, rng);
            let latency = 4_000 + rng.below(20_000);
            engine.advance_clock(latency as i64);
            let r = engine.submit_answer(sid, &answer, latency)?;
            w(
                serde_json::json!({"learner": learner.0, "pack": pack, "kind": "answer", "item": step.item.id, "t": engine.now_ms(), "first": tries == 0, "correct": r.correct, "text": text, "intended": ok, "hinted": hint_level > 0}),
            )?;
            if let Some(h) = &r.hint_shown {
                w(
                    serde_json::json!({"learner": learner.0, "pack": pack, "kind": if h.is_solution {"solution"} else {"hint"}, "level": h.level, "item": step.item.id, "t": engine.now_ms(), "auto": true}),
                )?;
            }
            tries += 1;
            if r.correct || tries >= 3 {
                break;
            }
        }
    }
    engine.advance_clock(30_000);
    engine.end_session(sid)?;
    w(
        serde_json::json!({"learner": learner.0, "pack": pack, "kind": "end", "session": sid.0, "t": engine.now_ms()}),
    )?;
    Ok(())
}

/// A right answer, or a wrong one a learner might give; with the text as typed or picked.
fn make_answer(kind: &ItemKind, ok: bool, rng: &mut Rng) -> (Answer, String) {
    match kind {
        ItemKind::Choice { choices, correct, .. } => {
            if ok {
                (Answer::Choice(correct.clone()), format!("{correct:?}"))
            } else {
                let wrong: Vec<usize> =
                    (1..=choices.len()).filter(|c| !correct.contains(c)).collect();
                let pick = wrong[rng.below(wrong.len().min(2) as u64) as usize];
                (Answer::Choice(vec![pick]), format!("[{pick}]"))
            }
        }
        ItemKind::Numeric(n) => {
            let text = if ok {
                fmt_num(n.answer)
            } else {
                match rng.below(3) {
                    0 => fmt_num(n.answer + 1.0),
                    1 => fmt_num(-n.answer - 1.0),
                    _ => "=1/2".to_string(),
                }
            };
            (Answer::Text(text.clone()), text)
        }
        ItemKind::Text(t) => {
            let text = if ok {
                t.answers[0].clone()
            } else {
                ["no sé", "x", "@casa"][rng.below(3) as usize].to_string()
            };
            (Answer::Text(text.clone()), text)
        }
        ItemKind::Cloze { blanks } => {
            let mut v: Vec<String> = blanks
                .iter()
                .map(|b| match b {
                    Blank::Numeric(n) => fmt_num(n.answer),
                    Blank::Text(t) => t.answers[0].clone(),
                })
                .collect();
            if !ok {
                v[0] = "zzz".into();
            }
            let text = v.join(", ");
            (Answer::Cloze(v), text)
        }
        ItemKind::Order { order } => {
            let mut v: Vec<usize> = (1..=order.len()).collect();
            if !ok {
                v.swap(0, 1);
            }
            (Answer::Order(v.clone()), format!("{v:?}"))
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
