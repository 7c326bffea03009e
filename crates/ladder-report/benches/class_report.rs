//! Class report for 30 learners × 2,000 events each (the target of issue 7: under 2 s).
//!
//! `cargo bench -p ladder-report --bench class_report` (release). Builds the histories in a
//! temporary data directory with the Fractions pack, then times building the report data and
//! rendering each format. Figures go to docs/benchmarks.md ("Reports").

use std::path::Path;
use std::time::{Duration, Instant};

use ladder_engine::course::Course;
use ladder_engine::packs::load_course;
use ladder_engine::predictor::elo::OnlineLogistic;
use ladder_engine::{Engine, EngineOptions, Settings};
use ladder_report::{
    build_report, render_csv, render_html, render_json, render_pdf, Language, ReportRequest, Scope,
    Source, DEFAULT_RECENT_DAYS,
};
use ladder_store::{Event, ItemRef, LearnerId, NewLearner, SessionId, Store, Timestamp};

const LEARNERS: usize = 30;
const EVENTS: usize = 2_000;
const RUNS: usize = 5;
const DAY0: i64 = 1_762_041_600_000;

/// A small deterministic generator (xorshift64*), so every run times the same histories.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// About `EVENTS` events of sessions of 20 items: shown, sometimes a hint, an answer, sometimes
/// a retry; the learner's skill decides how often the first answer is right.
fn history(
    store: &mut Store,
    course: &Course,
    learner: LearnerId,
    rng: &mut Rng,
    skill: f64,
    recorded: bool,
) {
    let mut written = 0;
    let mut day = 0;
    while written < EVENTS {
        let mut t = DAY0 + day * 86_400_000 + 9 * 3_600_000;
        day += 1;
        written += store
            .transact(|tx| {
                let mut n = 0;
                let start = Event::SessionStart {
                    pack: Some("fractions".into()),
                    client: None,
                    lesson: None,
                    policy: None,
                };
                let sid: SessionId =
                    tx.append_event_at(learner, None, Timestamp(t), &start)?.into();
                n += 1;
                for _ in 0..20 {
                    if written + n + 4 >= EVENTS {
                        break;
                    }
                    let item = &course.items[(rng.next() % course.items.len() as u64) as usize];
                    let item = ItemRef::new("fractions", item.id.to_string());
                    t += 20_000;
                    tx.append_event_at(
                        learner,
                        Some(sid),
                        Timestamp(t),
                        &Event::shown(item.clone(), "bench"),
                    )?;
                    n += 1;
                    let hint = rng.chance(0.2);
                    if hint {
                        t += 5_000;
                        tx.append_event_at(
                            learner,
                            Some(sid),
                            Timestamp(t),
                            &Event::HintShown { item: item.clone(), level: 1 },
                        )?;
                        n += 1;
                    }
                    let right = rng.chance(skill);
                    let answers: &[bool] = if right { &[true] } else { &[false, true] };
                    let p = 0.2 + 0.75 * skill * (rng.next() % 100) as f64 / 100.0;
                    for (k, &ok) in answers.iter().enumerate() {
                        t += 8_000;
                        let response = serde_json::json!(if ok {
                            "ok"
                        } else {
                            ["1/2", "3/4", "2/3"][(rng.next() % 3) as usize]
                        });
                        tx.append_event_at(
                            learner,
                            Some(sid),
                            Timestamp(t),
                            &Event::Answer {
                                item: item.clone(),
                                response,
                                correct: ok,
                                score: None,
                                blanks: None,
                                latency_ms: 8_000,
                                hint_level: u32::from(hint),
                                predicted: (recorded && k == 0).then_some(p as f32),
                            },
                        )?;
                        n += 1;
                    }
                }
                t += 1_000;
                tx.append_event_at(
                    learner,
                    Some(sid),
                    Timestamp(t),
                    &Event::SessionEnd { reason: None },
                )?;
                Ok(n + 1)
            })
            .expect("write a session");
    }
}

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[0], times[RUNS / 2], last.expect("at least one run"))
}

/// A data directory with the Fractions pack and the 30 histories; `recorded`: the answers carry
/// the prediction the engine made at answer time (what the engine writes now), otherwise the
/// report replays every one (events from before the field existed).
fn setup(recorded: bool) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    Engine::open(dir.path(), EngineOptions::default())
        .expect("engine")
        .install_pack(&pack, false)
        .expect("install the Fractions pack");
    let mut store = Store::open(dir.path()).expect("store");
    let course = store
        .read(|tx| Ok(load_course(tx, "fractions")))
        .expect("read")
        .expect("load")
        .expect("installed")
        .course;
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for k in 0..LEARNERS {
        let id = store
            .transact(|tx| tx.add_learner(&NewLearner::named(format!("Learner {}", k + 1))))
            .expect("add learner");
        let skill = 0.45 + 0.5 * k as f64 / LEARNERS as f64;
        history(&mut store, &course, id, &mut rng, skill, recorded);
    }
    (dir, store)
}

fn main() {
    for recorded in [true, false] {
        let setup_time = Instant::now();
        let (_dir, store) = setup(recorded);
        let events: i64 = (1..=LEARNERS as i64)
            .map(|k| store.read(|tx| tx.event_count(LearnerId(k))).expect("count"))
            .sum();
        println!(
            "\n== predictions {}: {LEARNERS} learners, {events} events (setup {:.1?})",
            if recorded { "recorded with the answers" } else { "replayed (old events)" },
            setup_time.elapsed()
        );
        measure(&store);
    }
}

fn measure(store: &Store) {
    let settings = Settings::default();
    let predictor = OnlineLogistic::new(settings.clone());
    let source = Source::new(store, &predictor, &settings);
    let request = ReportRequest {
        scope: Scope::Class(None),
        course: None,
        language: Language::En,
        recent_days: DEFAULT_RECENT_DAYS,
    };
    let (min, median, report) = time(|| build_report(&source, &request).expect("report"));
    println!("class report data: min {min:.3?}, median {median:.3?} ({RUNS} runs)");
    if let ladder_report::Report::Class(r) = &report {
        println!(
            "  first answers counted: {}",
            r.courses.iter().map(|c| c.calibration.total).sum::<u32>()
        );
    }
    let (min, median, one) = time(|| {
        build_report(
            &source,
            &ReportRequest {
                scope: Scope::Learner(LearnerId(1)),
                course: None,
                language: Language::En,
                recent_days: DEFAULT_RECENT_DAYS,
            },
        )
        .expect("report")
    });
    println!("one learner's report data: min {min:.3?}, median {median:.3?}");
    let _ = one;
    let (min, median, html) = time(|| render_html(&report));
    println!("class HTML: min {min:.3?}, median {median:.3?}, {} KiB", html.len() / 1024);
    let (min, median, pdf) = time(|| render_pdf(&report));
    println!("class PDF: min {min:.3?}, median {median:.3?}, {} KiB", pdf.len() / 1024);
    // The same report with names beyond Latin-1: each render also finds, reads and parses a
    // system TrueType font and embeds a subset of it.
    let json = render_json(&report).replace("\"Learner ", "\"Дарья Łukasz ");
    let unicode: ladder_report::Report = serde_json::from_str(&json).expect("renamed report");
    let (min, median, pdf) = time(|| render_pdf(&unicode));
    let embedded = pdf.windows(9).any(|w| w == b"FontFile2");
    println!(
        "class PDF, names beyond Latin-1: min {min:.3?}, median {median:.3?}, {} KiB, font embedded: {embedded}",
        pdf.len() / 1024
    );
    let (min, median, csv) = time(|| render_csv(&report));
    println!("class CSV: min {min:.3?}, median {median:.3?}, {} files", csv.len());
    let (min, median, json) = time(|| render_json(&report));
    println!("class JSON: min {min:.3?}, median {median:.3?}, {} KiB", json.len() / 1024);
}
