//! The engine over a real SQLite store in a temporary data directory and the real sample packs.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};

use ladder_core::{grade, Answer};
use ladder_engine::sim::answers;
use ladder_engine::{Clock, Engine, EngineOptions, ErrorKind, HintDecision, PolicyKind};
use ladder_store::{LearnerId, SessionId};

fn pack_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs").join(name)
}

fn engine(dir: &Path) -> Engine {
    let mut e = Engine::open(dir, EngineOptions::default()).unwrap();
    e.set_clock(Clock::Manual(1_750_000_000_000));
    e
}

fn setup() -> (tempfile::TempDir, Engine, LearnerId) {
    let dir = tempfile::tempdir().unwrap();
    let mut e = engine(dir.path());
    e.install_pack(&pack_dir("fractions"), false).unwrap();
    let ana = e.add_learner("Ana").unwrap();
    (dir, e, LearnerId(ana.id))
}

fn answer_for(e: &mut Engine, step: &ladder_engine::view::Step, right: bool) -> Answer {
    let loaded = e.course("fractions").unwrap();
    let item = loaded.items.iter().find(|i| i.id.as_str() == step.item.id).unwrap();
    if right {
        answers::right(item)
    } else {
        answers::wrong(item, 0)
    }
}

#[test]
fn sample_packs_install_and_every_item_grades_the_simulated_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = engine(dir.path());
    for pack in ["fractions", "spanish-a1"] {
        e.install_pack(&pack_dir(pack), false).unwrap();
        let loaded = e.course(pack).unwrap();
        assert!(loaded.items.len() >= 20, "{pack} has {} items", loaded.items.len());
        for item in &loaded.items {
            assert!(grade(item, &answers::right(item)).unwrap().correct, "{}", item.id);
            assert!(!grade(item, &answers::wrong(item, 1)).unwrap().correct, "{}", item.id);
        }
    }
    let courses = e.list_courses().unwrap();
    assert_eq!(
        courses.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["fractions", "spanish-a1"]
    );
}

#[test]
fn the_course_map_locks_lessons_behind_their_prerequisites() {
    let (_d, mut e, ana) = setup();
    let map = e.course_map(ana, "fractions").unwrap();
    let first = &map.lessons[0];
    assert_eq!(first.status, ladder_engine::view::LessonStatus::Available);
    let last = map.lessons.last().unwrap();
    assert_eq!(last.status, ladder_engine::view::LessonStatus::Locked);
    assert!(!last.locked_because.is_empty());
    assert!(map.skills.iter().all(|s| s.mastery > 0.0 && s.mastery < 1.0 && s.uncertainty > 0.0));
    // Starting a locked lesson is refused with the reason.
    let err = e.start_session(ana, "fractions", Some(&last.id), None).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(err.message.contains("is locked"), "{}", err.message);
}

#[test]
fn a_whole_session_records_answers_hints_and_skips() {
    let (_d, mut e, ana) = setup();
    let s = e.start_session(ana, "fractions", None, None).unwrap();
    let sid = SessionId(s.session);
    let step = e.next_step(sid).unwrap();
    assert_eq!(step.number, 1);
    assert!(!step.reason.is_empty());
    assert!(!step.item.prompt_html.contains("<script"));
    // Asking again before answering gives the same item.
    assert_eq!(e.next_step(sid).unwrap().item.id, step.item.id);

    let right = answer_for(&mut e, &step, true);
    let r = e.submit_answer(sid, &right, 4200).unwrap();
    assert!(r.correct);
    assert!(r.mastery[0].after > r.mastery[0].before);
    assert_eq!(r.hint, HintDecision::None);
    // A second answer to a finished item is refused.
    assert_eq!(e.submit_answer(sid, &right, 10).unwrap_err().kind, ErrorKind::Conflict);

    let step2 = e.next_step(sid).unwrap();
    assert_ne!(step2.item.id, step.item.id);
    assert_eq!(step2.number, 2);
    let wrong = answer_for(&mut e, &step2, false);
    let r = e.submit_answer(sid, &wrong, 9000).unwrap();
    assert!(!r.correct);
    assert!(r.mastery[0].after < r.mastery[0].before);
    assert_eq!(r.hint, HintDecision::Offer);
    let r = e.submit_answer(sid, &wrong, 5000).unwrap();
    assert_eq!(r.hint, HintDecision::Show, "second wrong answer shows the next rung");
    assert_eq!(r.hint_shown.as_ref().unwrap().level, 1);
    let h = e.request_hint(sid).unwrap();
    assert_eq!(h.level, 2);
    let sol = e.view_solution(sid).unwrap();
    assert!(sol.is_solution);
    assert_eq!(sol.level, sol.of);
    assert_eq!(e.request_hint(sid).unwrap_err().kind, ErrorKind::Conflict, "the ladder ended");

    let step3 = e.next_step(sid).unwrap();
    e.skip(sid).unwrap();
    let step4 = e.next_step(sid).unwrap();
    assert_ne!(step4.item.id, step3.item.id);

    let sum = e.end_session(sid).unwrap();
    assert_eq!((sum.items, sum.answered, sum.correct_first, sum.skipped), (4, 2, 1, 1));
    assert_eq!(sum.hints, 3, "rungs 1 and 2 and the worked solution");
    assert_eq!(e.next_step(sid).unwrap_err().kind, ErrorKind::Conflict);
    let m = e.mastery_summary(ana, "fractions").unwrap();
    assert_eq!(m.answers, 2);
}

#[test]
fn a_restart_in_the_middle_of_a_session_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (sid, item, before) = {
        let mut e = engine(dir.path());
        e.install_pack(&pack_dir("fractions"), false).unwrap();
        let ana = LearnerId(e.add_learner("Ana").unwrap().id);
        let sid = SessionId(e.start_session(ana, "fractions", None, None).unwrap().session);
        let step = e.next_step(sid).unwrap();
        let right = answer_for(&mut e, &step, true);
        e.submit_answer(sid, &right, 3000).unwrap();
        let step = e.next_step(sid).unwrap();
        e.request_hint(sid).unwrap();
        let before = e.mastery_summary(ana, "fractions").unwrap();
        (sid, step.item.id, before)
    };
    let mut e = engine(dir.path());
    let step = e.next_step(sid).unwrap();
    assert_eq!(step.item.id, item, "the same item is on screen after the restart");
    assert_eq!(step.number, 2);
    assert_eq!(step.hints_shown.len(), 1, "the hint already seen is still there");
    let after = e.mastery_summary(LearnerId(before.learner), "fractions").unwrap();
    assert_eq!(after, before);
    let right = answer_for(&mut e, &step, true);
    assert!(e.submit_answer(sid, &right, 3000).unwrap().correct);
}

#[test]
fn errors_have_kinds() {
    let (_d, mut e, ana) = setup();
    assert_eq!(e.next_step(SessionId(999)).unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(e.course_map(LearnerId(77), "fractions").unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(e.course_map(ana, "nope").unwrap_err().kind, ErrorKind::NotFound);
    let sid = SessionId(
        e.start_session(ana, "fractions", None, Some(PolicyKind::FixedOrder)).unwrap().session,
    );
    assert_eq!(
        e.submit_answer(sid, &Answer::Text("1".into()), 1).unwrap_err().kind,
        ErrorKind::Conflict
    );
    let step = e.next_step(sid).unwrap();
    // The pack's first item is a choice item: a typed answer is a bad request, not a crash.
    assert_eq!(step.item.kind, "choice");
    assert_eq!(
        e.submit_answer(sid, &Answer::Text("1".into()), 1).unwrap_err().kind,
        ErrorKind::BadRequest
    );
    assert_eq!(
        e.submit_answer(sid, &Answer::Choice(vec![99]), 1).unwrap_err().kind,
        ErrorKind::BadRequest
    );
}
