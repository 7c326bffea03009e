//! Runs policies against simulated students through real engine operations, and reports.
//!
//! Every (family, policy) cell gets its own engine on its own data directory (a real SQLite
//! store), with the pack installed the normal way. A simulated student is a learner profile; it
//! starts sessions, asks for the next step, answers with a raw answer that real grading checks,
//! and ends sessions, exactly like a person at the app. Only the answer's correctness comes from
//! the student's hidden state, and only the hidden state says when the student has mastered the
//! pack: never the engine's own estimate.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ladder_store::{LearnerId, SessionId};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::answers;
use super::students::{student_rng, BktStudent, Family, GuessingStudent, LogisticStudent, Student};
use crate::course::Course;
use crate::engine::{Clock, Engine, EngineOptions};
use crate::error::{Error, Result};
use crate::policy::PolicyKind;
use crate::settings::Settings;

/// What chooses the items of a cell: one of the engine's policies, the oracle, a diagnostic
/// that reads the student's hidden state (`sim::oracle`), or the informed diagnostic, told each
/// `bkt` student's own parameters but not its state (`sim::informed`; `bkt` family only). The
/// diagnostics are the simulator's alone; no front end offers them. Written as its name
/// (`adaptive`, ..., `oracle`, `informed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum SimPolicy {
    Engine(PolicyKind),
    Oracle,
    Informed,
}

impl SimPolicy {
    pub fn name(self) -> &'static str {
        match self {
            SimPolicy::Engine(p) => p.name(),
            SimPolicy::Oracle => "oracle",
            SimPolicy::Informed => "informed",
        }
    }

    /// An engine policy's name, `oracle` or `informed`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "oracle" => Some(SimPolicy::Oracle),
            "informed" => Some(SimPolicy::Informed),
            _ => PolicyKind::from_name(name).map(SimPolicy::Engine),
        }
    }
}

impl From<PolicyKind> for SimPolicy {
    fn from(p: PolicyKind) -> Self {
        SimPolicy::Engine(p)
    }
}

impl PartialEq<PolicyKind> for SimPolicy {
    fn eq(&self, other: &PolicyKind) -> bool {
        *self == SimPolicy::Engine(*other)
    }
}

impl From<SimPolicy> for String {
    fn from(p: SimPolicy) -> String {
        p.name().to_owned()
    }
}

impl TryFrom<String> for SimPolicy {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        SimPolicy::from_name(&s).ok_or_else(|| format!("unknown policy {s:?}"))
    }
}

/// Makes a student of the `model` family (supplied by the caller, which owns the trained model).
pub type StudentFactory =
    Arc<dyn Fn(&Course, &mut ChaCha8Rng) -> Result<Box<dyn Student>> + Send + Sync>;

/// Receives progress lines ("bkt/adaptive: 25 of 200 students").
pub type ProgressFn = Arc<dyn Fn(&str) + Send + Sync>;

/// A simulation run.
#[derive(Clone)]
pub struct SimConfig {
    /// The pack to install (folder or `.ladderpack`).
    pub pack: PathBuf,
    pub students: usize,
    pub families: Vec<Family>,
    pub policies: Vec<PolicyKind>,
    /// Also run the oracle (a diagnostic that reads the hidden state; `sim::oracle`), after the
    /// policies, on every family.
    pub oracle: bool,
    /// Also run the informed diagnostic (`sim::informed`) on the `bkt` family, with this gate
    /// for prerequisites (`None`: not run).
    pub informed: Option<f32>,
    /// The informed diagnostic is told the population's means instead of each student's own
    /// parameters (`sim::informed::population`).
    pub informed_population: bool,
    /// A student stops after this many items even without mastery (then counted at this value).
    pub max_items: usize,
    /// Post-test accuracy and share of skills mastered are measured after this many items.
    pub post_test_after: usize,
    /// Items per session; a day passes between sessions.
    pub session_items: usize,
    pub seed: u64,
    /// Where the per-cell data directories go.
    pub scratch: PathBuf,
    pub settings: Settings,
    pub threads: usize,
    /// The student of the `model` family.
    pub model_student: Option<StudentFactory>,
    /// Called with "family/policy: student k of n" as the run goes.
    pub progress: Option<ProgressFn>,
    /// Parameters of the built-in predictor (`None`: its defaults).
    pub predictor_params: Option<crate::predictor::elo::LogisticParams>,
    /// A trained model checkpoint the adaptive policy asks instead of the built-in predictor
    /// (`None`: the built-in one). The baselines keep theirs, so their cells do not change.
    pub predictor_model: Option<PathBuf>,
}

impl SimConfig {
    pub fn new(pack: &Path, scratch: &Path) -> Self {
        Self {
            pack: pack.to_path_buf(),
            students: 200,
            families: vec![Family::Bkt, Family::Logistic],
            policies: PolicyKind::ALL.to_vec(),
            oracle: false,
            informed: None,
            informed_population: false,
            max_items: 400,
            post_test_after: 60,
            session_items: 25,
            seed: 2026,
            scratch: scratch.to_path_buf(),
            settings: Settings::default(),
            threads: 2,
            model_student: None,
            progress: None,
            predictor_params: None,
            predictor_model: None,
        }
    }
}

/// What happened to one student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentOutcome {
    /// Items until every skill was truly mastered at once (`None`: not within `max_items`).
    pub items_to_mastery: Option<usize>,
    pub post_test_accuracy: f32,
    pub skills_mastered_share: f32,
    /// Skills practised 10 times without (truly) mastering them.
    pub wheel_spinning: u32,
    /// Items, before mastery of the whole pack, whose skills were all truly mastered already.
    pub items_on_mastered: u32,
    /// Items, before mastery of the whole pack, with a skill whose prerequisite was not truly
    /// mastered.
    pub items_before_prerequisites: u32,
    /// At the post-test: skills the engine showed as mastered (the learner's course map) that
    /// the hidden state had not mastered.
    #[serde(default)]
    pub shown_not_truly: u32,
}

/// Mean with a 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub n: usize,
}

impl Stat {
    pub fn of(xs: &[f64]) -> Stat {
        let n = xs.len();
        if n == 0 {
            return Stat { mean: f64::NAN, ci95_low: f64::NAN, ci95_high: f64::NAN, n };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = if n > 1 {
            xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let half = 1.96 * (var / n as f64).sqrt();
        Stat { mean, ci95_low: mean - half, ci95_high: mean + half, n }
    }
}

/// One (family, policy) cell of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellReport {
    pub family: Family,
    pub policy: SimPolicy,
    /// Items to mastery of the whole pack; students who did not get there count as `max_items`.
    pub items_to_mastery: Stat,
    /// Share of students who reached mastery within `max_items`.
    pub reached_mastery: f64,
    pub post_test_accuracy: Stat,
    pub skills_mastered: Stat,
    /// Wheel-spinning skills per student.
    pub wheel_spinning: Stat,
    /// Share of students with at least one wheel-spinning skill.
    pub wheel_spinning_students: f64,
    /// Items per student spent on skills already truly mastered (before whole-pack mastery).
    #[serde(default)]
    pub items_on_mastered: Option<Stat>,
    /// Items per student on a skill whose prerequisites were not yet truly mastered.
    #[serde(default)]
    pub items_before_prerequisites: Option<Stat>,
    /// Skills per student that the engine showed as mastered at the post-test while the hidden
    /// state had not mastered them (mastery claimed too soon, or of a learner who does not
    /// learn).
    #[serde(default)]
    pub shown_not_truly: Option<Stat>,
    pub seconds: f64,
}

/// The adaptive policy against the baselines on one family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalCheck {
    pub family: Family,
    /// 1 − adaptive / fixed-order items to mastery.
    pub fewer_than_fixed: f64,
    /// 1 − adaptive / bkt-mastery items to mastery.
    pub fewer_than_bkt: f64,
    /// Adaptive wheel-spinning per student minus the smaller of the two baselines'.
    pub wheel_spinning_excess: f64,
    /// ≥30% fewer than fixed order, ≥15% fewer than BKT, no more wheel-spinning.
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimReport {
    pub pack: String,
    pub students: usize,
    pub max_items: usize,
    pub post_test_after: usize,
    pub session_items: usize,
    pub seed: u64,
    /// The adaptive policy's predictor.
    pub predictor: String,
    pub settings: Settings,
    pub cells: Vec<CellReport>,
    pub goals: Vec<GoalCheck>,
}

/// Refuses a configuration that would run nothing, never end or never measure: no students,
/// families or policies, no items per session (a student would start sessions forever), a cap
/// of 0 items, a post-test outside 1..=cap (never taken), or the informed diagnostic without
/// the `bkt` family (its only family).
pub fn check(cfg: &SimConfig) -> Result<()> {
    let bad = |m: String| Err(Error::bad_request(m));
    if cfg.students == 0 {
        return bad("students must be at least 1".into());
    }
    if cfg.families.is_empty() {
        return bad("no student family to simulate".into());
    }
    if cfg.policies.is_empty() && !cfg.oracle && cfg.informed.is_none() {
        return bad("no policy to run".into());
    }
    if cfg.session_items == 0 {
        return bad("session_items must be at least 1 (items per daily session)".into());
    }
    if cfg.max_items == 0 {
        return bad("max_items must be at least 1".into());
    }
    if !(1..=cfg.max_items).contains(&cfg.post_test_after) {
        return bad(format!(
            "post_test_after is {}: the post-test is taken after 1 to max_items ({}) items",
            cfg.post_test_after, cfg.max_items
        ));
    }
    if cfg.informed.is_some() && !cfg.families.contains(&Family::Bkt) {
        return bad("the informed diagnostic runs on the bkt family only: add bkt".into());
    }
    Ok(())
}

/// Runs every cell. Cells run on `threads` threads, each with its own engine and data directory.
/// The configuration is [`check`]ed first.
pub fn run(cfg: &SimConfig) -> Result<SimReport> {
    check(cfg)?;
    let mut policies: Vec<SimPolicy> = cfg.policies.iter().map(|&p| p.into()).collect();
    if cfg.oracle {
        policies.push(SimPolicy::Oracle);
    }
    if cfg.informed.is_some() {
        policies.push(SimPolicy::Informed);
    }
    // The informed diagnostic knows BKT parameters: it has a cell on the `bkt` family only.
    let cells: Vec<(Family, SimPolicy)> = cfg
        .families
        .iter()
        .flat_map(|&f| policies.iter().map(move |&p| (f, p)))
        .filter(|&(f, p)| p != SimPolicy::Informed || f == Family::Bkt)
        .collect();
    // Each cell's students are split into up to `threads` chunks, each on its own engine, so
    // that one slow cell (the `model` family) still uses every thread. The students, and so the
    // results of every policy but `random` (whose seed depends on session ids), do not depend
    // on the split.
    let chunk = cfg.students.div_ceil(cfg.threads.max(1)).max(1);
    let mut tasks = Vec::new();
    for (k, &(family, policy)) in cells.iter().enumerate() {
        for (j, first) in (0..cfg.students).step_by(chunk).enumerate() {
            tasks.push((k, j, family, policy, first..(first + chunk).min(cfg.students)));
        }
    }
    tasks.reverse();
    let queue = Mutex::new(tasks);
    let results: Mutex<Vec<(usize, Result<Chunk>)>> = Mutex::new(Vec::new());
    let pack_id = Mutex::new(String::new());
    let predictor = Mutex::new(String::new());
    std::thread::scope(|scope| {
        for _ in 0..cfg.threads.max(1) {
            scope.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop());
                let Some((k, j, family, policy, range)) = next else { break };
                let r = run_chunk(cfg, family, policy, (k, j), range, &pack_id, &predictor);
                if let Ok(mut res) = results.lock() {
                    res.push((k, r));
                }
            });
        }
    });
    let results =
        results.into_inner().map_err(|_| Error::internal("a simulation thread panicked"))?;
    let mut per_cell: Vec<Chunk> = cells.iter().map(|_| Chunk::default()).collect();
    for (k, r) in results {
        let c = r?;
        per_cell[k].outcomes.extend(c.outcomes);
        per_cell[k].seconds += c.seconds;
    }
    let cells = cells
        .iter()
        .zip(per_cell)
        .map(|(&(family, policy), mut c)| {
            c.outcomes.sort_by_key(|(i, _)| *i);
            let outcomes: Vec<StudentOutcome> = c.outcomes.into_iter().map(|(_, o)| o).collect();
            summarise(cfg, family, policy, &outcomes, c.seconds)
        })
        .collect::<Vec<_>>();
    let goals = goal_checks(&cells);
    Ok(SimReport {
        pack: pack_id.into_inner().unwrap_or_default(),
        students: cfg.students,
        max_items: cfg.max_items,
        post_test_after: cfg.post_test_after,
        session_items: cfg.session_items,
        seed: cfg.seed,
        predictor: predictor.into_inner().unwrap_or_default(),
        settings: cfg.settings.clone(),
        cells,
        goals,
    })
}

fn goal_checks(cells: &[CellReport]) -> Vec<GoalCheck> {
    let mut out = Vec::new();
    for family in Family::ALL {
        let get = |p: PolicyKind| cells.iter().find(|c| c.family == family && c.policy == p);
        let (Some(a), Some(f), Some(b)) =
            (get(PolicyKind::Adaptive), get(PolicyKind::FixedOrder), get(PolicyKind::BktMastery))
        else {
            continue;
        };
        let fewer_than_fixed = 1.0 - a.items_to_mastery.mean / f.items_to_mastery.mean;
        let fewer_than_bkt = 1.0 - a.items_to_mastery.mean / b.items_to_mastery.mean;
        let wheel_spinning_excess =
            a.wheel_spinning.mean - f.wheel_spinning.mean.min(b.wheel_spinning.mean);
        out.push(GoalCheck {
            family,
            fewer_than_fixed,
            fewer_than_bkt,
            wheel_spinning_excess,
            met: fewer_than_fixed >= 0.30
                && fewer_than_bkt >= 0.15
                && wheel_spinning_excess <= 1e-9,
        });
    }
    out
}

const T0_MS: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY_MS: i64 = 86_400_000;

/// Students of one cell, with their indices, and the seconds they took.
#[derive(Default)]
struct Chunk {
    outcomes: Vec<(usize, StudentOutcome)>,
    seconds: f64,
}

fn run_chunk(
    cfg: &SimConfig,
    family: Family,
    policy: SimPolicy,
    (k, j): (usize, usize),
    students: std::ops::Range<usize>,
    pack_id: &Mutex<String>,
    predictor: &Mutex<String>,
) -> Result<Chunk> {
    let started = std::time::Instant::now();
    let dir = cfg.scratch.join(format!("cell-{k}-{j}-{}-{}", family.name(), policy.name()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(Error::store)?;
    }
    let options = EngineOptions {
        settings: cfg.settings.clone(),
        // The diagnostics' sessions record the engine's default policy; their items come from
        // `Engine::show_item`, each with the diagnostic's reason.
        policy: match policy {
            SimPolicy::Engine(p) => p,
            SimPolicy::Oracle | SimPolicy::Informed => PolicyKind::default(),
        },
        client: "simulate".into(),
        ..EngineOptions::default()
    };
    let mut engine = Engine::open(&dir, options)?;
    if let Some(params) = cfg.predictor_params {
        engine.set_predictor(Box::new(crate::predictor::elo::OnlineLogistic {
            params,
            settings: cfg.settings.clone(),
        }));
    }
    if let Some(dir) = cfg.predictor_model.as_ref().filter(|_| policy == PolicyKind::Adaptive) {
        let device = ladder_model::device::select("cpu").map_err(Error::model)?;
        let model = ladder_model::checkpoint::load(dir, &device).map_err(Error::model)?;
        let mut p =
            crate::predictor::transformer::TransformerPredictor::new(model, cfg.settings.clone());
        if let Some(params) = cfg.predictor_params {
            p.fallback.params = params;
        }
        engine.set_predictor(Box::new(p));
    }
    engine.set_clock(Clock::Manual(T0_MS));
    engine.install_pack(&cfg.pack, false)?;
    let pack = engine
        .list_courses()?
        .first()
        .map(|c| c.id.clone())
        .ok_or_else(|| Error::pack("no course installed"))?;
    if let Ok(mut p) = pack_id.lock() {
        p.clone_from(&pack);
    }
    // The report names the adaptive policy's predictor (the baselines keep the built-in one).
    if let Ok(mut p) = predictor.lock() {
        if policy == PolicyKind::Adaptive || p.is_empty() {
            *p = engine.predictor_name().to_owned();
        }
    }
    let loaded = engine.course(&pack)?;
    let mut outcomes = Vec::with_capacity(students.len());
    let last = students.end;
    for i in students {
        // The same student (and the same luck) under every policy.
        let mut rng = student_rng(cfg.seed ^ (family as u64 + 1) << 32, i);
        let mut student: Box<dyn Student> = match family {
            Family::Bkt => Box::new(BktStudent::sample(&loaded.course, &mut rng)),
            Family::Logistic => Box::new(LogisticStudent::sample(&loaded.course, &mut rng)),
            Family::Model => match &cfg.model_student {
                Some(f) => f(&loaded.course, &mut rng)?,
                None => return Err(Error::model("the model family needs a trained model")),
            },
            Family::Guessing => Box::new(GuessingStudent::sample(&mut rng)),
        };
        let learner = LearnerId(engine.add_learner(&format!("sim-{i}"))?.id);
        engine.set_clock(Clock::Manual(T0_MS));
        let outcome = run_student(
            cfg,
            &mut engine,
            &loaded,
            &pack,
            policy,
            learner,
            student.as_mut(),
            &mut rng,
        )?;
        outcomes.push((i, outcome));
        if let Some(p) = &cfg.progress {
            if (i + 1) % 25 == 0 || i + 1 == last {
                p(&format!(
                    "{}/{}: student {} of {}",
                    family.name(),
                    policy.name(),
                    i + 1,
                    cfg.students
                ));
            }
        }
    }
    drop(engine);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Chunk { outcomes, seconds: started.elapsed().as_secs_f64() })
}

fn summarise(
    cfg: &SimConfig,
    family: Family,
    policy: SimPolicy,
    outcomes: &[StudentOutcome],
    seconds: f64,
) -> CellReport {
    let itm: Vec<f64> =
        outcomes.iter().map(|o| o.items_to_mastery.unwrap_or(cfg.max_items) as f64).collect();
    let ws: Vec<f64> = outcomes.iter().map(|o| f64::from(o.wheel_spinning)).collect();
    let n = outcomes.len().max(1) as f64;
    CellReport {
        family,
        policy,
        items_to_mastery: Stat::of(&itm),
        reached_mastery: outcomes.iter().filter(|o| o.items_to_mastery.is_some()).count() as f64
            / n,
        post_test_accuracy: Stat::of(
            &outcomes.iter().map(|o| f64::from(o.post_test_accuracy)).collect::<Vec<_>>(),
        ),
        skills_mastered: Stat::of(
            &outcomes.iter().map(|o| f64::from(o.skills_mastered_share)).collect::<Vec<_>>(),
        ),
        wheel_spinning: Stat::of(&ws),
        wheel_spinning_students: ws.iter().filter(|&&w| w > 0.0).count() as f64 / n,
        items_on_mastered: Some(Stat::of(
            &outcomes.iter().map(|o| f64::from(o.items_on_mastered)).collect::<Vec<_>>(),
        )),
        shown_not_truly: Some(Stat::of(
            &outcomes.iter().map(|o| f64::from(o.shown_not_truly)).collect::<Vec<_>>(),
        )),
        items_before_prerequisites: Some(Stat::of(
            &outcomes.iter().map(|o| f64::from(o.items_before_prerequisites)).collect::<Vec<_>>(),
        )),
        seconds,
    }
}

#[allow(clippy::too_many_arguments)]
fn run_student(
    cfg: &SimConfig,
    engine: &mut Engine,
    loaded: &crate::packs::LoadedCourse,
    pack: &str,
    policy: SimPolicy,
    learner: LearnerId,
    student: &mut dyn Student,
    rng: &mut ChaCha8Rng,
) -> Result<StudentOutcome> {
    let course = &loaded.course;
    let n_skills = course.skills.len();
    let mut attempts = vec![0u32; n_skills];
    let mut ever_mastered = vec![false; n_skills];
    let mut wheel_spinning = 0;
    let mut items_on_mastered = 0;
    let mut items_before_prerequisites = 0;
    let mut shown_not_truly = 0;
    let learns = student.learns();
    let mut items = 0usize;
    let mut items_to_mastery = None;
    let mut post = None;
    let mut day = 0i64;
    let mut shown = vec![0u32; course.items.len()];
    let mut order: Vec<crate::course::ItemIx> = Vec::new();
    let mut belief = super::informed::Belief::new(course);
    'sessions: loop {
        let session_policy = match policy {
            SimPolicy::Engine(p) => Some(p),
            SimPolicy::Oracle | SimPolicy::Informed => None,
        };
        let sid = SessionId(engine.start_session(learner, pack, None, session_policy)?.session);
        for _ in 0..cfg.session_items {
            let step = match policy {
                SimPolicy::Engine(_) => engine.next_step(sid)?,
                SimPolicy::Oracle => {
                    let now = engine.now_ms().div_euclid(1000);
                    let (item, reason) = super::oracle::choose(course, &*student, &shown, now);
                    engine.show_item(sid, item, reason)?
                }
                SimPolicy::Informed => {
                    let own = student.as_bkt().ok_or_else(|| {
                        Error::internal("the informed diagnostic runs on the bkt family only")
                    })?;
                    let told;
                    let bkt = if cfg.informed_population {
                        told = super::informed::population(own);
                        &told
                    } else {
                        own
                    };
                    let gate = cfg.informed.unwrap_or(super::informed::DEFAULT_GATE);
                    let (item, reason) = super::informed::choose(
                        course,
                        bkt,
                        &belief,
                        gate,
                        &shown,
                        &order,
                        cfg.settings.repeat_gap,
                    );
                    engine.show_item(sid, item, reason)?
                }
            };
            let ix = course
                .item_ix(&ladder_core::ItemId::new(step.item.id.clone()))
                .ok_or_else(|| Error::internal("the engine showed an unknown item"))?;
            shown[ix] += 1;
            order.push(ix);
            let now = engine.now_ms().div_euclid(1000);
            let p = student.p_correct(course, ix, now);
            let correct = rng.random::<f32>() < p;
            let item = &loaded.items[ix];
            let answer = if correct {
                answers::right(item)
            } else {
                answers::wrong(item, rng.random_range(0..4))
            };
            let latency = (rng.random_range(8.0f64..45.0) * 1000.0) as u64;
            engine.advance_clock(latency as i64);
            let graded = engine.submit_answer(sid, &answer, latency)?;
            if graded.correct != correct {
                return Err(Error::internal(format!(
                    "item {}: the simulated answer was graded wrongly",
                    item.id
                )));
            }
            let now = engine.now_ms().div_euclid(1000);
            if items_to_mastery.is_none() {
                let skills = &course.items[ix].skills;
                if skills.iter().all(|&s| student.mastered(course, s, now)) {
                    items_on_mastered += 1;
                }
                if skills.iter().any(|&s| {
                    course.skills[s]
                        .prerequisites
                        .iter()
                        .any(|&p| !student.mastered(course, p, now))
                }) {
                    items_before_prerequisites += 1;
                }
            }
            if policy == SimPolicy::Informed {
                if let Some(own) = student.as_bkt() {
                    if cfg.informed_population {
                        belief.observe(course, &super::informed::population(own), ix, correct);
                    } else {
                        belief.observe(course, own, ix, correct);
                    }
                }
            }
            student.practise(course, ix, correct, now, rng);
            items += 1;
            for &s in &course.items[ix].skills {
                attempts[s] += 1;
                if student.mastered(course, s, now) {
                    ever_mastered[s] = true;
                }
                if attempts[s] == 10 && !ever_mastered[s] {
                    wheel_spinning += 1;
                }
            }
            if items_to_mastery.is_none() && (0..n_skills).all(|s| student.mastered(course, s, now))
            {
                items_to_mastery = Some(items);
            }
            if items == cfg.post_test_after {
                let acc =
                    (0..course.items.len()).map(|i| student.p_correct(course, i, now)).sum::<f32>()
                        / course.items.len().max(1) as f32;
                let share = (0..n_skills).filter(|&s| student.mastered(course, s, now)).count()
                    as f32
                    / n_skills.max(1) as f32;
                let shown = engine.mastery_summary(learner, pack)?;
                shown_not_truly = shown
                    .skills
                    .iter()
                    .enumerate()
                    .filter(|(s, v)| v.mastered && !student.mastered(course, *s, now))
                    .count() as u32;
                post = Some((acc, share));
            }
            // A student who cannot learn stops at the post-test: there is no mastery to wait for.
            let stop = items_to_mastery.is_some() || !learns;
            if items >= cfg.max_items || (stop && post.is_some()) {
                engine.end_session(sid)?;
                break 'sessions;
            }
            engine.advance_clock(4000);
        }
        engine.end_session(sid)?;
        day += 1;
        engine.set_clock(Clock::Manual(T0_MS + day * DAY_MS));
    }
    let (post_test_accuracy, skills_mastered_share) = post.unwrap_or((f32::NAN, f32::NAN));
    Ok(StudentOutcome {
        items_to_mastery,
        post_test_accuracy,
        skills_mastered_share,
        wheel_spinning,
        items_on_mastered,
        items_before_prerequisites,
        shown_not_truly,
    })
}

/// The report as a table (Markdown).
pub fn table(r: &SimReport) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "pack {}, {} students per cell, seed {}, cap {} items, post-test after {} items, {} items per daily session, predictor {}\n\n",
        r.pack, r.students, r.seed, r.max_items, r.post_test_after, r.session_items, r.predictor
    ));
    s.push_str("| family | policy | items to mastery (95% CI) | reached | post-test acc. | skills mastered | wheel-spinning skills/student | students wheel-spinning | items on mastered skills | items before prerequisites | shown mastered, not truly |\n");
    s.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for c in &r.cells {
        s.push_str(&format!(
            "| {} | {} | {} | {:.0}% | {:.3} ± {:.3} | {:.0}% ± {:.0} | {:.2} ± {:.2} | {:.0}% | {} | {} | {} |\n",
            c.family.name(),
            c.policy.name(),
            if c.family == Family::Guessing {
                // Nothing teaches them: the cap counted for each student says nothing.
                "– (does not learn)".to_owned()
            } else {
                format!(
                    "{:.1} ({:.1}–{:.1})",
                    c.items_to_mastery.mean, c.items_to_mastery.ci95_low, c.items_to_mastery.ci95_high
                )
            },
            100.0 * c.reached_mastery,
            c.post_test_accuracy.mean,
            c.post_test_accuracy.mean - c.post_test_accuracy.ci95_low,
            100.0 * c.skills_mastered.mean,
            100.0 * (c.skills_mastered.mean - c.skills_mastered.ci95_low),
            c.wheel_spinning.mean,
            c.wheel_spinning.mean - c.wheel_spinning.ci95_low,
            100.0 * c.wheel_spinning_students,
            c.items_on_mastered.map_or("–".into(), |x| format!("{:.1}", x.mean)),
            c.items_before_prerequisites.map_or("–".into(), |x| format!("{:.1}", x.mean)),
            c.shown_not_truly.map_or("–".into(), |x| format!("{:.2}", x.mean)),
        ));
    }
    if !r.goals.is_empty() {
        s.push_str("\n| family | adaptive vs fixed order | adaptive vs BKT mastery | extra wheel-spinning | goal met |\n|---|---|---|---|---|\n");
        for g in &r.goals {
            s.push_str(&format!(
                "| {} | {} | {} | {:+.2} | {} |\n",
                g.family.name(),
                fewer_or_more(g.fewer_than_fixed),
                fewer_or_more(g.fewer_than_bkt),
                g.wheel_spinning_excess,
                if g.met { "yes" } else { "no" }
            ));
        }
    }
    s
}

/// A relative saving in items as words: "31% fewer items", "82% more items".
fn fewer_or_more(fewer: f64) -> String {
    if fewer >= 0.0 {
        format!("{:.0}% fewer items", 100.0 * fewer)
    } else {
        format!("{:.0}% more items", -100.0 * fewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings_read_as_fewer_or_more_items() {
        assert_eq!(fewer_or_more(0.314), "31% fewer items");
        assert_eq!(fewer_or_more(-0.82), "82% more items");
        assert_eq!(fewer_or_more(0.0), "0% fewer items");
    }

    #[test]
    fn stat_interval_narrows_with_more_students() {
        let few = Stat::of(&[1.0, 3.0, 2.0, 4.0]);
        let many = Stat::of(&[1.0, 3.0, 2.0, 4.0].repeat(50));
        assert!((few.mean - 2.5).abs() < 1e-12);
        assert!(many.ci95_high - many.ci95_low < few.ci95_high - few.ci95_low);
    }
}
