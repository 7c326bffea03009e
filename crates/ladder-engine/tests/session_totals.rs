//! A session's totals as `end_session` returns them (docs/api.md): the duration runs from the
//! start to the learner's last activity, whatever that activity was.

#![allow(clippy::unwrap_used)] // a failure is the test failing

use std::path::Path;

use ladder_engine::{Clock, Engine, EngineOptions, PolicyKind};
use ladder_store::{LearnerId, SessionId};

#[test]
fn the_duration_ends_at_the_last_activity_not_at_the_end_of_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(dir.path(), EngineOptions::default()).unwrap();
    e.set_clock(Clock::Manual(1_750_000_000_000));
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    e.install_pack(&pack, false).unwrap();
    let ana = LearnerId(e.add_learner("Ana").unwrap().id);
    let sid = SessionId(
        e.start_session(ana, "fractions", None, Some(PolicyKind::FixedOrder)).unwrap().session,
    );
    e.next_step(sid).unwrap();
    e.advance_clock(10_000);
    e.request_hint(sid).unwrap();
    e.advance_clock(20_000);
    e.view_solution(sid).unwrap();
    e.advance_clock(15_000);
    e.skip(sid).unwrap();
    // The learner walks away for an hour before the session is ended.
    e.advance_clock(3_600_000);
    let summary = e.end_session(sid).unwrap();
    assert_eq!((summary.items, summary.skipped, summary.hints), (1, 1, 2));
    assert_eq!(summary.duration_s, 45, "start to the skip, the last thing the learner did");
}
