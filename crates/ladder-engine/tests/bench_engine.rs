//! The path the engine benchmark (`benches/engine.rs`) measures, checked on a small scale: a
//! generated pack installs, a learner's past history replays, and answers keep flowing.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

#[path = "../benches/support/mod.rs"]
mod support;

#[test]
fn the_answer_path_works_on_a_generated_pack() {
    let dir = tempfile::tempdir().unwrap();
    let (mut e, sid, step) =
        support::setup(dir.path(), "bench", &support::FRACTIONS_SKILLS[..5], 10, 40, |_| {});
    assert_eq!(e.course("bench").unwrap().items.len(), 50);
    let first = step.item.id.clone();
    let times = support::answer_items(&mut e, sid, 10, step);
    assert_eq!(times.len(), 10);
    let summary = e.end_session(sid).unwrap();
    // Eleven items shown (the first and one after each answer), ten answered, every third wrong.
    assert_eq!(
        (summary.items, summary.answered, summary.correct_first),
        (11, 10, 7),
        "{summary:?}"
    );
    assert!(first.starts_with('s'));
}
