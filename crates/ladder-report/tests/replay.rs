//! Reports of answers graded before the engine recorded its predictions, with the trained model
//! as the learner model: the report replays every such answer in one read of the history
//! (`Predictor::predict_answers`), and its figures are those of asking the model once per
//! answer with the answers before it, as it did before.

mod common;

use common::*;
use ladder_engine::course::{Course, ItemIx};
use ladder_engine::predictor::{Assessment, Attempt, Predictor};
use ladder_engine::{Engine, EngineOptions};
use ladder_report::*;
use ladder_store::Store;

/// The model it wraps, asked once per old answer: the `Predictor` trait's own
/// `predict_answers`, which calls `assess` with the answers before each.
struct OneCallPerAnswer<'a>(&'a dyn Predictor);

impl Predictor for OneCallPerAnswer<'_> {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn name_for(&self, course: &Course) -> &str {
        self.0.name_for(course)
    }
    fn tells_items_apart(&self, course: &Course) -> bool {
        self.0.tells_items_apart(course)
    }
    fn assess(
        &self,
        course: &Course,
        history: &[Attempt],
        candidates: &[ItemIx],
        now: i64,
    ) -> ladder_engine::Result<Assessment> {
        self.0.assess(course, history, candidates, now)
    }
}

/// Twelve sessions of 15 questions (more first answers than the model's window), some wrong,
/// some after a hint or the worked solution, a few with a recorded prediction among the old
/// ones.
fn sessions(items: &[&'static str]) -> Vec<Sess> {
    (0..12)
        .map(|day| Sess {
            day,
            minute: 0,
            items: (0..15)
                .map(|j| {
                    let k = (day * 15 + j) as usize;
                    let item = items[(k * 7) % items.len()];
                    let mut p =
                        if k % 4 == 1 { wrong_then_right(item, "1/2") } else { right(item) };
                    p.hints = u32::from(k % 9 == 4);
                    p.solution = k % 13 == 6;
                    p.predicted = (k % 10 == 3).then_some(0.7);
                    p
                })
                .collect(),
        })
        .collect()
}

#[test]
fn old_answers_are_replayed_in_one_read_as_one_call_per_answer_did() {
    let dir = data_dir();
    let (id, script) = {
        let mut store = Store::open(dir.path()).expect("store");
        let items: Vec<&'static str> =
            item_skills(&store).into_keys().map(|id| &*Box::leak(id.into_boxed_str())).collect();
        let script = sessions(&items);
        (add_history(&mut store, "Old answers", &script).0, script)
    };
    let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default");
    ladder_engine::training::use_active_model(&mut engine, Some(&bundled));
    let model = engine.predictor_for(id);
    let report = |predictor: &dyn Predictor, scope: Scope| {
        let source = Source::new(engine.store(), predictor, engine.settings())
            .at(DAY0 + 13 * DAY)
            .in_time_zone(ReportTimeZone::utc());
        let request = ReportRequest {
            scope,
            course: None,
            language: Language::En,
            recent_days: DEFAULT_RECENT_DAYS,
        };
        build_report(&source, &request).expect("report")
    };
    for scope in [Scope::Learner(id), Scope::Class(None)] {
        let one_read = report(model, scope.clone());
        let per_answer = report(&OneCallPerAnswer(model), scope);
        let Report::Learner(r) = &one_read else {
            let Report::Class(c) = &one_read else { unreachable!() };
            assert!(c.courses[0].calibration.replayed > 100);
            assert_eq!(render_json(&one_read), render_json(&per_answer), "the class report");
            continue;
        };
        assert_eq!(r.meta.predictor, "transformer");
        let cal = &r.courses[0].calibration;
        // Every first answer counted once: after help, else recorded, else replayed.
        let firsts: Vec<&Pres> = script.iter().flat_map(|s| &s.items).collect();
        let helped = firsts.iter().filter(|p| p.hints > 0 || p.solution).count() as u32;
        let recorded =
            firsts.iter().filter(|p| p.hints == 0 && !p.solution && p.predicted.is_some()).count()
                as u32;
        let total = firsts.len() as u32 - helped;
        assert_eq!((cal.total, cal.helped), (total, helped));
        assert_eq!((cal.recorded, cal.replayed), (recorded, total - recorded));
        assert!(cal.replayed > 100 && recorded > 0 && helped > 0, "{cal:?}");
        assert!(cal.bins.iter().filter(|b| b.count > 0).count() >= 3, "{:?}", cal.bins);
        assert_eq!(render_json(&one_read), render_json(&per_answer), "the learner report");
    }
}
