//! Histories with known answers, written through the real store, and the counts a report must
//! show for them, made here from the script (not from the events).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ladder_engine::packs::load_course;
use ladder_engine::{Engine, EngineOptions};
use ladder_store::{Event, ItemRef, LearnerId, NewLearner, SessionId, Store, Timestamp};

pub const PACK: &str = "fractions";
/// 2025-11-02 00:00 UTC.
pub const DAY0: i64 = 1_762_041_600_000;
pub const DAY: i64 = 86_400_000;
/// Seconds between two events of a session.
pub const STEP: i64 = 15_000;

pub fn pack_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions")
}

/// A temporary data directory with the Fractions pack installed.
pub fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
    engine.install_pack(&pack_dir(), false).expect("install the Fractions pack");
    dir
}

/// One item put in front of the learner.
#[derive(Debug, Clone)]
pub struct Pres {
    pub item: &'static str,
    /// Hints shown (levels 1..=hints) before the first answer.
    pub hints: u32,
    pub solution: bool,
    /// Answers in order: (right?, answer text).
    pub answers: Vec<(bool, String)>,
    pub skip: bool,
    /// A prediction recorded with the first answer.
    pub predicted: Option<f32>,
}

pub fn right(item: &'static str) -> Pres {
    Pres {
        item,
        hints: 0,
        solution: false,
        answers: vec![(true, "ok".into())],
        skip: false,
        predicted: None,
    }
}

pub fn wrong_then_right(item: &'static str, wrong: &str) -> Pres {
    Pres {
        item,
        hints: 0,
        solution: false,
        answers: vec![(false, wrong.into()), (true, "ok".into())],
        skip: false,
        predicted: None,
    }
}

pub fn wrong(item: &'static str, wrong: &str) -> Pres {
    Pres {
        item,
        hints: 0,
        solution: false,
        answers: vec![(false, wrong.into())],
        skip: false,
        predicted: None,
    }
}

/// A session on day `day` (from DAY0), starting at 09:00 plus `minute` minutes.
#[derive(Debug, Clone)]
pub struct Sess {
    pub day: i64,
    pub minute: i64,
    pub items: Vec<Pres>,
}

/// What the script says a report must count, per learner.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub first_answers: u32,
    pub correct_first: u32,
    pub answers: u32,
    pub items: BTreeSet<String>,
    pub hints_by_level: BTreeMap<u32, u32>,
    pub solutions: u32,
    pub hinted_first: u32,
    pub skips: u32,
    pub sessions: u32,
    pub time_ms: i64,
    pub days: BTreeSet<i64>,
    /// Per skill id: (first answers, right).
    pub skills: BTreeMap<String, (u32, u32)>,
    /// Per item: (first answers, wrong first, hints+solutions, wrong answers by text).
    pub per_item: BTreeMap<String, (u32, u32, u32, BTreeMap<String, u32>)>,
    /// First answers in order: (recorded prediction, right?).
    pub firsts: Vec<(Option<f32>, bool)>,
    /// For each of `firsts`: given after a hint or the solution.
    pub firsts_helped: Vec<bool>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

/// Item id -> skill ids, from the installed course.
pub fn item_skills(store: &Store) -> BTreeMap<String, Vec<String>> {
    let loaded = store
        .read(|tx| Ok(load_course(tx, PACK)))
        .expect("read")
        .expect("load")
        .expect("installed");
    let c = &loaded.course;
    c.items
        .iter()
        .map(|i| (i.id.to_string(), i.skills.iter().map(|&s| c.skills[s].id.to_string()).collect()))
        .collect()
}

/// Adds a learner and writes their sessions; returns the id and the expected counts.
pub fn add_history(store: &mut Store, name: &str, sessions: &[Sess]) -> (LearnerId, Expected) {
    let id = store.transact(|tx| tx.add_learner(&NewLearner::named(name))).expect("add learner");
    (id, add_sessions(store, id, sessions))
}

/// Writes more sessions of a learner; returns the counts of these sessions alone.
pub fn add_sessions(store: &mut Store, id: LearnerId, sessions: &[Sess]) -> Expected {
    let skills_of = item_skills(store);
    let mut e = Expected { sessions: sessions.len() as u32, ..Default::default() };
    for s in sessions {
        let start = DAY0 + s.day * DAY + 9 * 3_600_000 + s.minute * 60_000;
        let mut t = start;
        // The session's last activity (its end is none).
        let mut last = start;
        store
            .transact(|tx| {
                let sid: SessionId = tx
                    .append_event_at(
                        id,
                        None,
                        Timestamp(t),
                        &Event::SessionStart {
                            pack: Some(PACK.into()),
                            client: Some("test".into()),
                            lesson: None,
                            policy: None,
                        },
                    )?
                    .into();
                for p in &s.items {
                    let item = ItemRef::new(PACK, p.item);
                    t += STEP;
                    tx.append_event_at(
                        id,
                        Some(sid),
                        Timestamp(t),
                        &Event::shown(item.clone(), "test"),
                    )?;
                    for level in 1..=p.hints {
                        t += STEP;
                        tx.append_event_at(
                            id,
                            Some(sid),
                            Timestamp(t),
                            &Event::HintShown { item: item.clone(), level },
                        )?;
                    }
                    if p.solution {
                        t += STEP;
                        tx.append_event_at(
                            id,
                            Some(sid),
                            Timestamp(t),
                            &Event::SolutionViewed { item: item.clone() },
                        )?;
                    }
                    for (k, (ok, text)) in p.answers.iter().enumerate() {
                        t += STEP;
                        tx.append_event_at(
                            id,
                            Some(sid),
                            Timestamp(t),
                            &Event::Answer {
                                item: item.clone(),
                                // As the engine records it: the answer as the learner sent it.
                                response: serde_json::json!({"kind": "text", "value": text}),
                                correct: *ok,
                                score: None,
                                blanks: None,
                                latency_ms: 4000,
                                hint_level: p.hints + u32::from(p.solution),
                                predicted: if k == 0 { p.predicted } else { None },
                            },
                        )?;
                    }
                    if p.skip {
                        t += STEP;
                        tx.append_event_at(
                            id,
                            Some(sid),
                            Timestamp(t),
                            &Event::Skip { item: item.clone() },
                        )?;
                    }
                }
                last = t;
                t += STEP;
                tx.append_event_at(
                    id,
                    Some(sid),
                    Timestamp(t),
                    &Event::SessionEnd { reason: Some("finished".into()) },
                )?;
                Ok(())
            })
            .expect("write session");
        // Time on task runs to the last activity: ending the session is none.
        e.time_ms += last - start;
        // The counts, from the script.
        for p in &s.items {
            let entry = e.per_item.entry(p.item.to_owned()).or_default();
            entry.2 += p.hints + u32::from(p.solution);
            for level in 1..=p.hints {
                *e.hints_by_level.entry(level).or_default() += 1;
            }
            e.solutions += u32::from(p.solution);
            e.skips += u32::from(p.skip);
            e.answers += p.answers.len() as u32;
            for (ok, text) in &p.answers {
                if !ok {
                    *entry.3.entry(text.clone()).or_default() += 1;
                }
            }
            if let Some((ok, _)) = p.answers.first() {
                e.first_answers += 1;
                e.correct_first += u32::from(*ok);
                e.hinted_first += u32::from(p.hints > 0 || p.solution);
                e.items.insert(p.item.to_owned());
                e.days.insert(s.day);
                e.firsts.push((p.predicted, *ok));
                e.firsts_helped.push(p.hints > 0 || p.solution);
                entry.0 += 1;
                entry.1 += u32::from(!ok);
                for sk in &skills_of[p.item] {
                    let c = e.skills.entry(sk.clone()).or_default();
                    c.0 += 1;
                    c.1 += u32::from(*ok);
                }
            }
        }
        // Activity: the first and last event about an item of the course.
        let first_item = start + STEP;
        let last_item = t - STEP;
        e.first_ms = Some(e.first_ms.map_or(first_item, |f: i64| f.min(first_item)));
        e.last_ms = Some(e.last_ms.map_or(last_item, |l: i64| l.max(last_item)));
    }
    e
}
