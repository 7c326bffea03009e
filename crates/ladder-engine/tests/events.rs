//! What the engine writes into the event log besides the bare facts: the lesson and policy of a
//! session, and the model's prediction stored with each first answer (what the reports read).

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::Path;

use ladder_engine::sim::answers;
use ladder_engine::{Clock, Engine, EngineOptions, PolicyKind};
use ladder_store::{Event, LearnerId, SessionId};

#[test]
fn sessions_record_lesson_and_policy_and_first_answers_their_prediction() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(dir.path(), EngineOptions::default()).unwrap();
    e.set_clock(Clock::Manual(1_750_000_000_000));
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    e.install_pack(&pack, false).unwrap();
    let ana = LearnerId(e.add_learner("Ana").unwrap().id);
    let loaded = e.course("fractions").unwrap();

    let sid = SessionId(
        e.start_session(ana, "fractions", Some("meaning"), Some(PolicyKind::BktMastery))
            .unwrap()
            .session,
    );
    let step = e.next_step(sid).unwrap();
    let item = loaded.items.iter().find(|i| i.id.as_str() == step.item.id).unwrap();
    e.advance_clock(9_000);
    e.submit_answer(sid, &answers::wrong(item, 0), 9_000).unwrap();
    e.advance_clock(5_000);
    e.submit_answer(sid, &answers::right(item), 5_000).unwrap();
    // A session on the whole course with the default policy.
    e.end_session(sid).unwrap();
    let whole = SessionId(e.start_session(ana, "fractions", None, None).unwrap().session);

    let events = e.store().read(|tx| tx.events(ana, None)).unwrap();
    let starts: Vec<_> = events
        .iter()
        .filter_map(|r| match &r.event {
            Event::SessionStart { lesson, policy, .. } => {
                Some((r.id.0, lesson.clone(), policy.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        starts,
        vec![
            (sid.0, Some("meaning".to_owned()), Some("bkt-mastery".to_owned())),
            (whole.0, None, Some("adaptive".to_owned())),
        ]
    );
    let answers: Vec<_> = events
        .iter()
        .filter_map(|r| match &r.event {
            Event::Answer { correct, predicted, .. } => Some((*correct, *predicted)),
            _ => None,
        })
        .collect();
    assert_eq!(answers.len(), 2);
    // The first answer carries what the model predicted for the item, the same figure the step
    // showed; the second try on the same item is not a first answer and carries none.
    let (correct, predicted) = answers[0];
    assert!(!correct);
    let p = predicted.unwrap();
    assert!((p - step.predicted).abs() < 1e-6, "stored {p}, step showed {}", step.predicted);
    assert_eq!(answers[1], (true, None));
}
