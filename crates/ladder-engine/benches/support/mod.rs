//! A generated pack and a learner with a long history, shared by the engine benchmark
//! (`benches/engine.rs`) and its small-scale test (`tests/bench_engine.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench and test helpers: a failure stops them
#![allow(dead_code)] // each includer uses part of it

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use ladder_core::Answer;
use ladder_engine::view::Step;
use ladder_engine::{Clock, Engine, EngineOptions};
use ladder_store::{LearnerId, SessionId};

/// The skill ids of the Fractions pack: a generated pack on them is one a model trained on
/// Fractions knows (it scores unseen items from their skills and difficulty).
pub const FRACTIONS_SKILLS: [&str; 10] = [
    "meaning",
    "number-line",
    "equivalence",
    "simplifying",
    "comparing",
    "add-like",
    "add-unlike",
    "mixed-numbers",
    "multiplying",
    "word-problems",
];

/// Writes a valid pack `id` with the skills `skills` in a chain of prerequisites (each needs
/// the one before), one lesson per skill, `per_skill` numeric items each (ids `s<skill>-<k>`)
/// with a hint and a solution.
pub fn write_pack(dir: &Path, id: &str, skills: &[&str], per_skill: usize) {
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        format!(
            "schema = 1\nid = \"{id}\"\nversion = \"1.0.0\"\ntitle = \"Bench\"\n\
         description = \"Generated for the engine benchmark.\"\nlanguages = [\"en\"]\n\
         authors = [\"Ladder\"]\nlicense = \"CC0-1.0\"\n"
        ),
    )
    .unwrap();
    let mut sk = String::new();
    for (s, name) in skills.iter().enumerate() {
        write!(
            sk,
            "[[skill]]\nid = \"{name}\"\nname = \"Skill {s}\"\ndescription = \"Skill {s}.\"\n"
        )
        .unwrap();
        if s > 0 {
            writeln!(sk, "prerequisites = [\"{}\"]", skills[s - 1]).unwrap();
        }
        sk.push('\n');
    }
    std::fs::write(dir.join("skills.toml"), sk).unwrap();
    for (s, name) in skills.iter().enumerate() {
        let mut l = format!(
            "[lesson]\nid = \"l{s}\"\ntitle = \"Lesson {s}\"\nskills = [\"{name}\"]\nintro = \"Practice.\"\n\n"
        );
        for k in 0..per_skill {
            let d = -2.0 + 4.0 * k as f64 / per_skill.max(2) as f64;
            write!(
                l,
                "[[item]]\nid = \"s{s}-{k}\"\nkind = \"numeric\"\nskills = [\"{name}\"]\n\
                 difficulty = {d:.2}\nprompt = \"What is {s} + {k}?\"\nanswer = {}\n\
                 hints = [\"Add them.\"]\nsolution = \"{s} + {k} = {}.\"\n\n",
                s + k,
                s + k
            )
            .unwrap();
        }
        std::fs::write(dir.join(format!("lessons/{s:03}-l{s}.toml")), l).unwrap();
    }
}

/// Answers `n` items (right two times in three, 15 s each) and returns the duration of each
/// submit-answer-plus-next-step.
pub fn answer_items(e: &mut Engine, sid: SessionId, n: usize, first: Step) -> Vec<Duration> {
    let mut step = first;
    let mut times = Vec::with_capacity(n);
    for k in 0..n {
        let (s, i) = step.item.id.trim_start_matches('s').split_once('-').unwrap();
        let sum: i64 = s.parse::<i64>().unwrap() + i.parse::<i64>().unwrap();
        let answer = Answer::Text(if k % 3 == 2 { (sum + 1).to_string() } else { sum.to_string() });
        e.advance_clock(15_000);
        let t = Instant::now();
        e.submit_answer(sid, &answer, 15_000).unwrap();
        step = e.next_step(sid).unwrap();
        times.push(t.elapsed());
    }
    times
}

/// An engine on `dir` with the generated pack installed and a learner who has `past` events
/// (`past / 2` answered items) behind them, in a fresh session with its first step shown.
pub fn setup(
    dir: &Path,
    id: &str,
    skills: &[&str],
    per_skill: usize,
    past: usize,
    prepare: impl FnOnce(&mut Engine),
) -> (Engine, SessionId, Step) {
    let pack = dir.join("pack");
    write_pack(&pack, id, skills, per_skill);
    let mut e = Engine::open(&dir.join("data"), EngineOptions::default()).unwrap();
    e.set_clock(Clock::Manual(1_767_225_600_000));
    e.install_pack(&pack, false).unwrap();
    prepare(&mut e);
    let l = LearnerId(e.add_learner("bench").unwrap().id);
    // Every answered item is two events (item_shown, answer).
    let sid = SessionId(e.start_session(l, id, None, None).unwrap().session);
    let step = e.next_step(sid).unwrap();
    answer_items(&mut e, sid, past / 2, step);
    e.end_session(sid).unwrap();
    let sid = SessionId(e.start_session(l, id, None, None).unwrap().session);
    let step = e.next_step(sid).unwrap();
    (e, sid, step)
}

/// The `q` quantile (nearest rank) of sorted durations, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    let k = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[k].as_secs_f64() * 1000.0
}
