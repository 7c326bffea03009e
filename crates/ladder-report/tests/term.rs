//! A class report after weeks of practice, through the real engine (sessions, next steps,
//! answers with their recorded predictions): what a tutor must find in it at that size.

use ladder_engine::sim::answers;
use ladder_engine::{Clock, Engine, EngineOptions};
use ladder_report::*;
use ladder_store::{LearnerId, SessionId};

const PACK: &str = "fractions";
const DAY: i64 = 86_400_000;

/// Midnight UTC 26 days before today: the store dates archiving by the computer's clock, so
/// the histories end before it.
fn day0() -> i64 {
    let now = ladder_store::Timestamp::now().0;
    now - now.rem_euclid(DAY) - 26 * DAY
}

fn engine(dir: &std::path::Path) -> Engine {
    let mut engine = Engine::open(dir, EngineOptions::default()).expect("engine");
    engine
        .install_pack(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions"),
            false,
        )
        .expect("install");
    engine
}

/// A learner with a session of six questions at 9:00 UTC on each of `days`, right on two of
/// every three first answers.
fn learner(e: &mut Engine, name: &str, days: impl IntoIterator<Item = i64>) -> LearnerId {
    e.set_clock(Clock::Manual(day0()));
    let id = LearnerId(e.add_learner(name).expect("learner").id);
    let mut n = 0;
    for day in days {
        e.set_clock(Clock::Manual(day0() + day * DAY + 9 * 3_600_000));
        let s = SessionId(e.start_session(id, PACK, None, None).expect("start").session);
        for _ in 0..6 {
            e.advance_clock(20_000);
            let step = e.next_step(s).expect("step");
            let course = e.course(PACK).expect("course");
            let item = course.items.iter().find(|i| i.id.to_string() == step.item.id).expect("i");
            let answer = if n % 3 == 2 { answers::wrong(item, 0) } else { answers::right(item) };
            n += 1;
            e.advance_clock(10_000);
            e.submit_answer(s, &answer, 10_000).expect("answer");
        }
        e.advance_clock(10_000);
        e.end_session(s).expect("end");
    }
    id
}

fn class_report(e: &Engine, now: i64, language: Language) -> ClassReport {
    let source = Source::new(e.store(), e.predictor_for(LearnerId(1)), e.settings())
        .at(now)
        .in_time_zone(ReportTimeZone::utc());
    let request = ReportRequest {
        scope: Scope::Class(None),
        course: Some(PACK.into()),
        language,
        recent_days: DEFAULT_RECENT_DAYS,
    };
    match build_report(&source, &request).expect("report") {
        Report::Class(r) => r,
        other => panic!("a class report, got {other:?}"),
    }
}

/// A learner who stopped coming weeks ago had no place among those who need help: the class
/// grid showed 0 first answers in the last 7 days, the same as one away this week, and nothing
/// said since when. Now the tutor reads it, with the date of the last first answer; a learner
/// practising this week, one archived and one who never answered on the course are not listed
/// for it.
#[test]
fn a_learner_who_stopped_coming_needs_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut e = engine(dir.path());
    let steady = learner(&mut e, "Steady", (0..26).filter(|d| d % 7 < 5 || *d == 25));
    let stopped = learner(&mut e, "Stopped", 0..5);
    let archived = learner(&mut e, "Archived", 0..3);
    let never = learner(&mut e, "Never", []);
    // Back this week, but only to skip a question: some practice, as the recent line says.
    let skipper = learner(&mut e, "Skipper", 0..5);
    e.set_clock(Clock::Manual(day0() + 25 * DAY + 10 * 3_600_000));
    let s = SessionId(e.start_session(skipper, PACK, None, None).expect("start").session);
    e.next_step(s).expect("step");
    e.advance_clock(5_000);
    e.skip(s).expect("skip");
    e.end_session(s).expect("end");
    e.set_clock(Clock::Manual(day0() + 25 * DAY + 18 * 3_600_000));
    e.archive_learner(archived).expect("archive");
    let now = ladder_store::Timestamp::now().0;
    let last = ReportTimeZone::utc().iso_date(day0() + 4 * DAY);
    let reasons = |r: &ClassReport, id: LearnerId| -> Vec<String> {
        let c = &r.courses[0];
        c.need_help.iter().find(|h| h.learner.id == id.0).map_or(vec![], |h| h.reasons.clone())
    };
    let r = class_report(&e, now, Language::En);
    assert_eq!(r.learners.len(), 4, "the archived learner is out of the class");
    let absent = format!("No practice in the last 7 days. Last first answer on {last}.");
    let absent = absent.as_str();
    assert_eq!(reasons(&r, stopped).first().map(String::as_str), Some(absent), "{r:#?}");
    for id in [steady, never, skipper] {
        assert!(!reasons(&r, id).iter().any(|s| s.starts_with("No practice")), "{id:?}");
    }
    // Named in a group, the archived learner is not told to come back.
    let source = Source::new(e.store(), e.predictor_for(stopped), e.settings())
        .at(now)
        .in_time_zone(ReportTimeZone::utc());
    let request = ReportRequest {
        scope: Scope::Class(Some(vec![archived, stopped])),
        course: Some(PACK.into()),
        language: Language::En,
        recent_days: DEFAULT_RECENT_DAYS,
    };
    let Report::Class(group) = build_report(&source, &request).expect("report") else {
        panic!("class")
    };
    assert!(!reasons(&group, archived).iter().any(|s| s.starts_with("No practice")));
    assert_eq!(reasons(&group, stopped).first().map(String::as_str), Some(absent));
    // In every form of the class report, and in Spanish.
    let report = Report::Class(r);
    assert!(render_html(&report).contains(absent));
    let csv = render_csv(&report);
    let need_help = csv.iter().find(|f| f.suffix == "-need-help").expect("need-help file");
    assert!(need_help.contents.contains(&format!("Stopped,{absent}")), "{}", need_help.contents);
    let es = class_report(&e, now, Language::Es);
    assert_eq!(
        reasons(&es, stopped).first().map(String::as_str),
        Some(
            format!("Sin práctica en los últimos 7 días. Última primera respuesta el {last}.")
                .as_str()
        )
    );
}
