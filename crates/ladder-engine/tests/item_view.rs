//! What a step tells a front end about the item's hint ladder: whether it ends in a worked
//! solution. A pack may leave the solution out (the validator warns, nothing more); the app
//! offered "Show the worked solution" anyway, and `view_solution` refused it.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::Path;

use ladder_engine::{Clock, Engine, EngineOptions, ErrorKind};
use ladder_store::{LearnerId, SessionId};

/// A one-item pack: two hints, with a worked solution or without.
fn write_pack(dir: &Path, solution: bool) {
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        "schema = 1\nid = \"ladder\"\nversion = \"1.0.0\"\ntitle = \"Ladder\"\n\
         description = \"d\"\nlanguages = [\"en\"]\nauthors = [\"t\"]\nlicense = \"CC0-1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("skills.toml"),
        "[[skill]]\nid = \"s\"\nname = \"S\"\ndescription = \"d\"\n",
    )
    .unwrap();
    let solution = if solution { "solution = \"4, because 2 and 2 make 4.\"\n" } else { "" };
    std::fs::write(
        dir.join("lessons/01.toml"),
        format!(
            "[lesson]\nid = \"l\"\ntitle = \"L\"\nskills = [\"s\"]\n\n[[item]]\nid = \"a\"\n\
             kind = \"numeric\"\nskills = [\"s\"]\nprompt = \"2 + 2?\"\nanswer = 4\n\
             hints = [\"Count.\", \"Two and two.\"]\n{solution}"
        ),
    )
    .unwrap();
}

#[test]
fn a_step_says_whether_the_hint_ladder_ends_in_a_worked_solution() {
    for solution in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        write_pack(&pack, solution);
        let mut e = Engine::open(&dir.path().join("data"), EngineOptions::default()).unwrap();
        e.set_clock(Clock::Manual(1_750_000_000_000));
        e.install_pack(&pack, false).unwrap();
        let ana = LearnerId(e.add_learner("Ana").unwrap().id);
        let sid = SessionId(e.start_session(ana, "ladder", None, None).unwrap().session);
        let step = e.next_step(sid).unwrap();
        assert_eq!(step.item.has_solution, solution);
        assert_eq!(step.item.hint_levels, if solution { 3 } else { 2 });
        match e.view_solution(sid) {
            Ok(rung) => assert!(solution && rung.is_solution, "{rung:?}"),
            Err(err) => assert!(!solution && err.kind == ErrorKind::Conflict, "{err}"),
        }
    }
}
