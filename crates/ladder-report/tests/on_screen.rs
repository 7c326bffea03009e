//! The next focus of a learner in a lesson: the item on their screen, through the real engine
//! (sessions, next steps and answers as the app makes them), not what the policy would choose
//! after it.

use std::process::Command;

use ladder_core::Item;
use ladder_engine::engine::RESUME_WITHIN_MS;
use ladder_engine::sim::answers;
use ladder_engine::{Clock, Engine, EngineOptions};
use ladder_report::*;
use ladder_store::{LearnerId, SessionId};

const PACK: &str = "fractions";
/// 2025-11-03 09:00 UTC.
const T0: i64 = 1_762_160_400_000;

struct Lesson {
    _dir: tempfile::TempDir,
    engine: Engine,
    learner: LearnerId,
    session: SessionId,
    /// The item on screen after three right answers.
    on_screen: String,
    shown_ms: i64,
    /// The reason the screen gave for it (in English, the app's language).
    reason: String,
}

fn item(engine: &mut Engine, id: &str) -> Item {
    let c = engine.course(PACK).expect("course");
    c.items.iter().find(|i| i.id.to_string() == id).expect("item").clone()
}

/// A learner three questions into a lesson, the fourth on screen.
fn lesson() -> Lesson {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
    engine
        .install_pack(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions"),
            false,
        )
        .expect("install");
    engine.set_clock(Clock::Manual(T0));
    let learner = LearnerId(engine.add_learner("Lia").expect("learner").id);
    let session =
        SessionId(engine.start_session(learner, PACK, None, None).expect("start").session);
    for _ in 0..3 {
        engine.advance_clock(20_000);
        let step = engine.next_step(session).expect("step");
        engine.advance_clock(10_000);
        let right = answers::right(&item(&mut engine, &step.item.id));
        assert!(engine.submit_answer(session, &right, 10_000).expect("answer").correct);
    }
    engine.advance_clock(20_000);
    let shown_ms = engine.now_ms();
    let step = engine.next_step(session).expect("the fourth");
    let (on_screen, reason) = (step.item.id, step.reason);
    Lesson { _dir: dir, engine, learner, session, on_screen, shown_ms, reason }
}

fn learner_report(l: &Lesson, now: i64, language: Language) -> LearnerReport {
    let source =
        Source::new(l.engine.store(), l.engine.predictor_for(l.learner), l.engine.settings())
            .at(now)
            .in_time_zone(ReportTimeZone::utc());
    let request = ReportRequest {
        scope: Scope::Learner(l.learner),
        course: Some(PACK.into()),
        language,
        recent_days: DEFAULT_RECENT_DAYS,
    };
    match build_report(&source, &request).expect("report") {
        Report::Learner(r) => r,
        other => panic!("a learner report, got {other:?}"),
    }
}

fn pdf_text(report: &Report) -> String {
    let dir = tempfile::tempdir().expect("temp");
    let pdf = dir.path().join("r.pdf");
    std::fs::write(&pdf, render_pdf(report)).expect("write");
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext on PATH");
    assert!(out.status.success());
    // One line: a sentence may wrap.
    String::from_utf8(out.stdout).expect("utf-8").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_focus_of_a_learner_in_a_lesson_is_the_item_on_their_screen() {
    let mut l = lesson();
    let now = l.shown_ms + 60_000;
    let r = learner_report(&l, now, Language::En);
    let focus = r.courses[0].next_focus.clone().expect("a focus");
    assert_eq!(focus.item_id, l.on_screen, "the tutor sees the learner's question");
    assert_eq!(focus.on_screen, Some(OnScreen { session: l.session.0, shown_ms: l.shown_ms }));
    // Its skill is the one the item was shown for, as the showing recorded it (one the item
    // practises, named in the reason it was shown with).
    let c = l.engine.course(PACK).expect("course");
    let shown = c.items.iter().find(|i| i.id.to_string() == l.on_screen).expect("item");
    assert!(shown.skills.iter().any(|s| s.to_string() == focus.skill_id), "{focus:?}");
    let events = l.engine.store().read(|tx| tx.events(l.learner, None)).expect("events");
    let recorded = events.iter().rev().find_map(|r| match &r.event {
        ladder_store::Event::ItemShown { skill, why, .. } => Some((skill.clone(), why.is_some())),
        _ => None,
    });
    assert_eq!(recorded, Some((Some(focus.skill_id.clone()), true)));
    assert_eq!(focus.reason, l.reason, "the screen's sentence, in the report's language");
    assert!(focus.reason.contains(&focus.skill_name), "{focus:?}");
    assert!(focus.predicted > 0.0 && focus.predicted < 1.0);
    // Said so in every form that shows the focus, in both languages.
    let report = Report::Learner(r);
    let sentence = format!(
        "On the learner's screen now (shown 2025-11-03 09:01, session still open): {} (item {}",
        focus.skill_name, focus.item_id
    );
    let html = render_html(&report);
    let lead = "On the learner&#39;s screen now (shown 2025-11-03 09:01, session still open): ";
    assert!(
        html.contains(&format!(
            "{lead}<strong>{}</strong> (item {}",
            focus.skill_name, focus.item_id
        )),
        "{html}"
    );
    assert!(pdf_text(&report).contains(&sentence), "{}", pdf_text(&report));
    let json = render_json(&report);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let j = &v["courses"][0]["next_focus"]["on_screen"];
    assert_eq!(
        (j["session"].as_i64(), j["shown_ms"].as_i64()),
        (Some(l.session.0), Some(l.shown_ms))
    );
    assert_eq!(serde_json::from_str::<Report>(&json).expect("reads back"), report);
    let es = report_es(&l, now);
    // Shown with an English reason, it is said in the Spanish report's language: the reason
    // stored with the showing, said again, on the same skill and with the same figures.
    let enfoque = es.courses[0].next_focus.clone().expect("a focus");
    assert_eq!(
        (enfoque.item_id.as_str(), enfoque.skill_id.as_str()),
        (l.on_screen.as_str(), focus.skill_id.as_str())
    );
    assert!(
        ["Empezamos con ", "Práctica de ", "Repaso de ", "Otra pregunta de "]
            .iter()
            .any(|p| enfoque.reason.starts_with(p)),
        "{}",
        enfoque.reason
    );
    assert!(enfoque.reason.contains(&focus.skill_name), "{}", enfoque.reason);
    let figures = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit() && c != '%')
            .filter(|w| w.ends_with('%'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(figures(&enfoque.reason), figures(&focus.reason));
    let es = Report::Learner(es);
    let frase =
        "En la pantalla del alumno ahora (mostrado el 2025-11-03 09:01, sesión aún abierta):";
    assert!(render_html(&es).contains(frase));
    let texto = pdf_text(&es);
    assert!(texto.contains(frase));
    assert!(texto.contains(&enfoque.reason), "{texto}");

    // Answered wrong, it is still on screen (the learner may try again).
    l.engine.advance_clock(10_000);
    let item = item(&mut l.engine, &l.on_screen);
    let wrong = answers::wrong(&item, 0);
    assert!(!l.engine.submit_answer(l.session, &wrong, 10_000).expect("answer").correct);
    let f = learner_report(&l, l.engine.now_ms(), Language::En).courses[0].next_focus.clone();
    assert_eq!(f.as_ref().map(|f| f.item_id.as_str()), Some(l.on_screen.as_str()));

    // Answered right, nothing is waiting on screen: the policy's choice, not said to be on
    // screen, and never the item just answered.
    l.engine.advance_clock(10_000);
    assert!(l.engine.submit_answer(l.session, &answers::right(&item), 10_000).expect("a").correct);
    let f = learner_report(&l, l.engine.now_ms(), Language::En).courses[0]
        .next_focus
        .clone()
        .expect("f");
    assert_eq!(f.on_screen, None);
    assert_ne!(f.item_id, l.on_screen);
    let html = render_html(&Report::Learner(learner_report(&l, l.engine.now_ms(), Language::En)));
    assert!(!html.contains("On the learner&#39;s screen"));
}

fn report_es(l: &Lesson, now: i64) -> LearnerReport {
    learner_report(l, now, Language::Es)
}

#[test]
fn a_session_left_open_too_long_to_carry_on_shows_nothing_on_screen() {
    let l = lesson();
    // The engine carries on a session idle up to RESUME_WITHIN_MS: still the learner's screen.
    let r = learner_report(&l, l.shown_ms + RESUME_WITHIN_MS, Language::En);
    let f = r.courses[0].next_focus.as_ref().expect("focus");
    assert_eq!(f.item_id, l.on_screen);
    // Past it, the learner coming back gets a new session and the policy's choice.
    let r = learner_report(&l, l.shown_ms + RESUME_WITHIN_MS + 1, Language::En);
    let f = r.courses[0].next_focus.as_ref().expect("focus");
    assert_eq!(f.on_screen, None, "{f:?}");
    // Ended, the session shows nothing either.
    let mut l = l;
    l.engine.advance_clock(60_000);
    l.engine.end_session(l.session).expect("end");
    let f = learner_report(&l, l.engine.now_ms(), Language::En).courses[0]
        .next_focus
        .clone()
        .expect("f");
    assert_eq!(f.on_screen, None, "{f:?}");
}

/// With the question on screen answered right, the learner's next question is the policy's
/// choice in their open session: in its lesson, by its policy. The report showed the adaptive
/// policy's choice over the whole course instead, so a tutor watching a lesson on equivalent
/// fractions read a question on what a fraction means. It now shows what the learner's next
/// step will be, for a lesson session and for a whole-course one.
#[test]
fn the_focus_between_two_questions_is_the_next_one_of_the_open_session() {
    for lesson in [Some("equivalence"), None] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        engine
            .install_pack(
                &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../assets/packs/fractions"),
                false,
            )
            .expect("install");
        engine.set_clock(Clock::Manual(T0));
        let learner = LearnerId(engine.add_learner("Lia").expect("learner").id);
        // A first session over the whole course, right every time, unlocks the later lessons.
        let first = SessionId(engine.start_session(learner, PACK, None, None).expect("s").session);
        for _ in 0..12 {
            engine.advance_clock(20_000);
            let step = engine.next_step(first).expect("step");
            engine.advance_clock(10_000);
            let right = answers::right(&item(&mut engine, &step.item.id));
            engine.submit_answer(first, &right, 10_000).expect("answer");
        }
        engine.end_session(first).expect("end");
        engine.advance_clock(3_600_000);
        let session =
            SessionId(engine.start_session(learner, PACK, lesson, None).expect("start").session);
        for _ in 0..3 {
            engine.advance_clock(20_000);
            let step = engine.next_step(session).expect("step");
            engine.advance_clock(10_000);
            let right = answers::right(&item(&mut engine, &step.item.id));
            assert!(engine.submit_answer(session, &right, 10_000).expect("answer").correct);
        }
        engine.advance_clock(5_000);
        let (on_screen, reason) = (String::new(), String::new());
        let l = Lesson { _dir: dir, engine, learner, session, on_screen, shown_ms: 0, reason };
        let now = l.engine.now_ms();
        let focus = learner_report(&l, now, Language::En).courses[0].next_focus.clone();
        let focus = focus.expect("a focus");
        assert_eq!(focus.on_screen, None, "nothing waits on screen");
        let mut engine = l.engine;
        let next = engine.next_step(session).expect("the next step");
        assert_eq!(engine.now_ms(), now);
        assert_eq!(
            focus.item_id, next.item.id,
            "{lesson:?}: the report and the learner's next step"
        );
        if lesson.is_some() {
            assert!(focus.item_id.starts_with("equivalence-"), "{}", focus.item_id);
        }
    }
}

/// A skill the model the app ships is confident of, whose latest answers do not back it (ten
/// right, then two right of five), reads "not yet" in the tutor's report as on the learner's
/// course map, with the same answers and what it takes, in every form and both languages.
#[test]
fn a_skill_not_yet_mastered_reads_as_the_learners_course_map_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default");
    engine
        .install_pack(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions"),
            false,
        )
        .expect("install");
    ladder_engine::training::use_active_model(&mut engine, Some(&bundled));
    engine.set_clock(Clock::Manual(T0));
    let learner = LearnerId(engine.add_learner("Noa").expect("learner").id);
    let session = SessionId(
        engine.start_session(learner, PACK, Some("meaning"), None).expect("start").session,
    );
    for right in [true; 10].into_iter().chain([false, false, true, false, true]) {
        engine.advance_clock(20_000);
        let step = engine.next_step(session).expect("step");
        let it = item(&mut engine, &step.item.id);
        let answer = if right { answers::right(&it) } else { answers::wrong(&it, 0) };
        assert_eq!(engine.submit_answer(session, &answer, 10_000).expect("answer").correct, right);
    }
    let on_map = engine.course_map(learner, PACK).expect("map").skills;
    let on_map = on_map.iter().find(|s| s.id == "meaning").expect("meaning");
    let want = Unconfirmed { answers: 5, right: 2, needed: 4 };
    assert_eq!((on_map.mastered, on_map.unconfirmed), (false, Some(want)), "{on_map:?}");

    let report = |language| {
        let source = Source::new(engine.store(), engine.predictor_for(learner), engine.settings())
            .at(engine.now_ms())
            .in_time_zone(ReportTimeZone::utc());
        let request = ReportRequest {
            scope: Scope::Learner(learner),
            course: Some(PACK.into()),
            language,
            recent_days: DEFAULT_RECENT_DAYS,
        };
        build_report(&source, &request).expect("report")
    };
    let en = report(Language::En);
    let Report::Learner(r) = &en else { panic!("a learner report") };
    let row = r.courses[0].skills.iter().find(|s| s.id == "meaning").expect("row");
    assert_eq!((row.mastered, row.unconfirmed), (false, Some(want)));
    let name = &row.name;
    let html = render_html(&en);
    assert!(html.contains("<td>not yet</td>"), "{html}");
    assert!(
        html.contains("“Not yet”: the model is confident, but the learner&#39;s latest answers"),
        "{html}"
    );
    assert!(
        html.contains(&format!("{name} (2 of the last 5 answers right, 4 needed).</p>")),
        "{html}"
    );
    let pdf = pdf_text(&en);
    assert!(pdf.contains(&format!("{name} (2 of the last 5 answers right, 4 needed).")), "{pdf}");
    assert!(pdf.contains("not yet"), "{pdf}");
    let csv = &render_csv(&en)[0].contents;
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    let line = csv.lines().find(|l| l.contains(",meaning,")).expect("meaning's line");
    let cells: Vec<&str> = line.split(',').collect();
    let col = |n: &str| cells[header.iter().position(|h| *h == n).expect(n)];
    assert_eq!(
        (
            col("mastered"),
            col("unconfirmed_right"),
            col("unconfirmed_answers"),
            col("unconfirmed_needed")
        ),
        ("false", "2", "5", "4")
    );
    let v: serde_json::Value = serde_json::from_str(&render_json(&en)).expect("json");
    let j = v["courses"][0]["skills"].as_array().unwrap().iter().find(|s| s["id"] == "meaning");
    assert_eq!(
        j.unwrap()["unconfirmed"],
        serde_json::json!({"answers": 5, "right": 2, "needed": 4})
    );

    let es = report(Language::Es);
    let html = render_html(&es);
    assert!(html.contains("<td>aún no</td>"), "{html}");
    assert!(
        html.contains("(2 de las últimas 5 respuestas correctas, hacen falta 4).</p>"),
        "{html}"
    );
    assert!(pdf_text(&es).contains("(2 de las últimas 5 respuestas correctas, hacen falta 4)."));
}
