//! Latency of submit-answer-to-next-step through the engine: the default (built-in) model, a
//! generated 1,000-item pack and a learner with 2,000 past events, on a real store (WAL,
//! synchronous=FULL) in a temporary directory.
//!
//! `cargo test -p ladder-engine --release --test bench_engine -- --ignored --nocapture`
//! (docs/benchmarks.md, "Engine"). The non-ignored test checks the same path on a small scale.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use ladder_core::Answer;
use ladder_engine::{Clock, Engine, EngineOptions};
use ladder_store::{LearnerId, SessionId};

/// Writes a valid pack of `skills` skills in a chain of prerequisites (each needs the one
/// before), one lesson per skill, `per_skill` numeric items each.
fn write_pack(dir: &Path, skills: usize, per_skill: usize) {
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        "schema = 1\nid = \"bench\"\nversion = \"1.0.0\"\ntitle = \"Bench\"\n\
         description = \"Generated for the engine benchmark.\"\nlanguages = [\"en\"]\n\
         authors = [\"Ladder\"]\nlicense = \"CC0-1.0\"\n",
    )
    .unwrap();
    let mut sk = String::new();
    for s in 0..skills {
        write!(
            sk,
            "[[skill]]\nid = \"s{s}\"\nname = \"Skill {s}\"\ndescription = \"Skill {s}.\"\n"
        )
        .unwrap();
        if s > 0 {
            writeln!(sk, "prerequisites = [\"s{}\"]", s - 1).unwrap();
        }
        sk.push('\n');
    }
    std::fs::write(dir.join("skills.toml"), sk).unwrap();
    for s in 0..skills {
        let mut l = format!(
            "[lesson]\nid = \"l{s}\"\ntitle = \"Lesson {s}\"\nskills = [\"s{s}\"]\nintro = \"Practice.\"\n\n"
        );
        for k in 0..per_skill {
            let d = -2.0 + 4.0 * k as f64 / per_skill.max(2) as f64;
            write!(
                l,
                "[[item]]\nid = \"s{s}-{k}\"\nkind = \"numeric\"\nskills = [\"s{s}\"]\n\
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

/// Answers `n` items (right two times in three) and returns the time of each
/// submit-answer-plus-next-step, in microseconds.
fn answer_items(
    e: &mut Engine,
    sid: SessionId,
    n: usize,
    first: ladder_engine::view::Step,
) -> Vec<u128> {
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
        times.push(t.elapsed().as_micros());
    }
    times
}

fn setup(
    dir: &Path,
    skills: usize,
    per_skill: usize,
    past: usize,
) -> (Engine, SessionId, ladder_engine::view::Step) {
    let pack = dir.join("pack");
    write_pack(&pack, skills, per_skill);
    let mut e = Engine::open(&dir.join("data"), EngineOptions::default()).unwrap();
    e.set_clock(Clock::Manual(1_767_225_600_000));
    e.install_pack(&pack, false).unwrap();
    let l = LearnerId(e.add_learner("bench").unwrap().id);
    // Past history: every answered item is two events (item_shown, answer).
    let sid = SessionId(e.start_session(l, "bench", None, None).unwrap().session);
    let step = e.next_step(sid).unwrap();
    answer_items(&mut e, sid, past / 2, step);
    e.end_session(sid).unwrap();
    let sid = SessionId(e.start_session(l, "bench", None, None).unwrap().session);
    let step = e.next_step(sid).unwrap();
    (e, sid, step)
}

fn percentile(sorted: &[u128], q: f64) -> f64 {
    let k = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[k] as f64 / 1000.0
}

#[test]
fn the_answer_path_works_on_a_generated_pack() {
    let dir = tempfile::tempdir().unwrap();
    let (mut e, sid, step) = setup(dir.path(), 5, 10, 40);
    let times = answer_items(&mut e, sid, 10, step);
    assert_eq!(times.len(), 10);
    assert_eq!(e.course("bench").unwrap().items.len(), 50);
}

#[test]
#[ignore]
fn bench_submit_to_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let (mut e, sid, step) = setup(dir.path(), 20, 50, 2000);
    eprintln!("setup (1,000-item pack, 2,000 past events): {:.1} s", t.elapsed().as_secs_f64());
    let mut times = answer_items(&mut e, sid, 300, step);
    times.sort_unstable();
    println!(
        "submit_answer + next_step over {} answers: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms (predictor {})",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        e.predictor_name()
    );
}
