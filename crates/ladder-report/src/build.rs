//! From the event log to a [`Report`]: one fold over each learner's events, then the figures of
//! docs/reports.md. Every count here is made from events; every predicted figure comes from the
//! [`Source`]'s predictor, asked the way the engine asks it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use ladder_core::grading::Answer;
use ladder_core::{Item, ItemId, ItemKind};
use ladder_engine::course::LessonIx;
use ladder_engine::course::{Course, ItemIx};
use ladder_engine::engine::RESUME_WITHIN_MS;
use ladder_engine::packs::{load_course, LoadedCourse};
use ladder_engine::policy::{self, PolicyKind, StepInput};
use ladder_engine::predictor::{Attempt, Predictor, SkillEstimate};
use ladder_engine::state::{LearnerState, SessionScope, SessionState};
use ladder_store::{Event, EventRecord, Learner, LearnerId, SessionId};

use crate::error::{ReportError, Result};
use crate::fmt::{date, pct, pct_pm};
use crate::i18n::Text as _;
use crate::i18n::{fill, Language};
use crate::model::*;
use crate::zone::ReportTimeZone;
use crate::Source;

/// First answers on a skill without mastery that count as wheel-spinning.
pub const WHEEL_SPIN_ATTEMPTS: u32 = 10;
/// Fall of predicted mastery below its peak that counts as falling.
pub const MASTERY_DROP: f64 = 0.15;
/// First answers on a skill before a fall of mastery counts (fewer is too little evidence).
pub const FALL_MIN_ATTEMPTS: u32 = 5;
/// Recent first answers looked at for "needs help".
pub const RECENT_ANSWERS: usize = 10;
/// The share of them below which their credit (not their accuracy: see [`recent_reason`]) says
/// that a learner needs help, with at least half of them answered.
pub const RECENT_ACCURACY_BELOW: f64 = 0.5;
/// Hardest items listed in a class report.
pub const HARDEST_ITEMS: usize = 10;
/// Common wrong answers listed per item.
pub const WRONG_ANSWERS: usize = 3;
/// Bins of the calibration chart.
pub const CALIBRATION_BINS: usize = 10;

/// How a report is asked for, besides its scope and course.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    pub language: Language,
    /// Days of the recent-activity window (validated by the caller).
    pub recent_days: u32,
    /// The history counted: no event or learner after it.
    pub through: Through,
}

/// The report's facts; `predictor` is the model named as the one that made it (a learner
/// report: that learner's), as it scores `courses`: the trained model hands a course it does not
/// know (a teacher's own pack) to the built-in one, and the report names that one (it said
/// "transformer" for a course the built-in predictor had scored).
pub(crate) fn meta(
    src: &Source<'_>,
    predictor: &dyn Predictor,
    courses: &[&ladder_engine::course::Course],
    opts: Options,
) -> ReportMeta {
    let language = opts.language;
    let s = src.settings;
    ReportMeta {
        format: REPORT_FORMAT.to_owned(),
        format_version: REPORT_FORMAT_VERSION,
        generated_ms: src.now_ms,
        predictor: model_names(predictor, courses),
        language,
        through: opts.through,
        time_zone: src.time_zone.clone(),
        time_zone_fallback: src.time_zone.is_fallback(),
        left_out: Vec::new(),
        thresholds: Thresholds {
            mastery_threshold: r4(f64::from(s.mastery_threshold)),
            mastery_max_sd: r4(f64::from(s.mastery_max_sd)),
            review_threshold: r4(f64::from(s.review_threshold)),
            wheel_spin_attempts: WHEEL_SPIN_ATTEMPTS,
            mastery_drop: MASTERY_DROP,
            recent_answers: RECENT_ANSWERS as u32,
            recent_accuracy_below: RECENT_ACCURACY_BELOW,
            hinted_credit: r4(f64::from(s.hinted_credit)),
        },
    }
}

// ----- the fold ----------------------------------------------------------------------------------

/// The model that scores the courses: one name when it is the same for all (or there are none),
/// else each course's, "transformer (fractions), online-logistic (journeys)".
fn model_names(predictor: &dyn Predictor, courses: &[&ladder_engine::course::Course]) -> String {
    let names: Vec<(&str, &str)> =
        courses.iter().map(|c| (predictor.name_for(c), c.pack.as_str())).collect();
    match names.first() {
        None => predictor.name().to_owned(),
        Some(&(first, _)) if names.iter().all(|&(n, _)| n == first) => first.to_owned(),
        Some(_) => names.iter().map(|(n, p)| format!("{n} ({p})")).collect::<Vec<_>>().join(", "),
    }
}

/// A first answer with what the predictor's [`Attempt`] does not keep.
#[derive(Debug, Clone, Copy)]
struct AttemptInfo {
    time_ms: i64,
    session: Option<SessionId>,
    /// The prediction recorded with the answer, when the event has one.
    recorded: Option<f64>,
}

/// One learner's history on one course.
#[derive(Debug, Default)]
pub(crate) struct CourseFold {
    attempts: Vec<Attempt>,
    info: Vec<AttemptInfo>,
    shown: Vec<ItemIx>,
    /// Aligned with `shown`: the showings the learner skipped.
    skipped: Vec<bool>,
    /// The time of every answer, retries included.
    answer_ms: Vec<i64>,
    /// Every wrong answer (retries included): the item and the answer as text.
    wrong: Vec<(ItemIx, String)>,
    /// Every `hint_shown`: its time and level.
    hints: Vec<(i64, u32)>,
    /// `hint_shown` + `solution_viewed` per item.
    item_hints: HashMap<ItemIx, u32>,
    /// The time of every `solution_viewed`.
    solution_ms: Vec<i64>,
    skips: u32,
    /// The questions the learner dealt with, in order: `true` for one skipped without an
    /// answer, `false` for a first answer. A question left on screen when its session ended is
    /// neither; one answered wrong, then skipped, was answered.
    outcomes: Vec<bool>,
    /// Session -> (start, last activity: an item shown, a hint, the solution, an answer or a
    /// skip; its `session_end` is none).
    sessions: BTreeMap<SessionId, (i64, i64)>,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    /// The item on the learner's screen now, if any (see [`live_session`]).
    on_screen: Option<ItemOnScreen>,
    /// The open session the learner is in, when no question waits on its screen: its next
    /// question is the policy's choice in its lesson, by its policy.
    next_in: Option<NextIn>,
}

/// Where the learner's next question will be chosen: their open session's scope.
#[derive(Debug, Clone, Copy)]
struct NextIn {
    session: SessionId,
    lesson: Option<LessonIx>,
    policy: PolicyKind,
}

/// An item on the learner's screen in an open session, not yet answered right or skipped.
#[derive(Debug)]
struct ItemOnScreen {
    session: SessionId,
    item: ItemIx,
    shown_ms: i64,
    /// The reason it was shown for, in the report's language (said again from the showing's
    /// stored reason; the sentence as the screen gave it for a showing that stored none).
    reason: String,
    /// The skill (its id) the policy chose it for, when the showing recorded it.
    skill: Option<String>,
}

impl CourseFold {
    fn touch(&mut self, t: i64) {
        self.first_ms = Some(self.first_ms.map_or(t, |f| f.min(t)));
        self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));
    }
}

/// Answer text for "common wrong answers". The engine records an answer as the learner sent it,
/// `{"kind": "text", "value": "999"}`: typed text is shown as typed, cloze blanks joined with
/// ", ", picked choices and order entries as the pack's text of those options (by position when
/// the item is not at hand or a position is out of range). A response in another form (a bare
/// string or list from an older record) is shown as a string as is, a list joined with ", ".
#[cfg(test)]
pub(crate) fn response_text(v: &serde_json::Value, item: Option<&Item>) -> String {
    response_text_in(v, item, Language::En)
}

/// [`response_text`], with "option N" in `language`.
pub(crate) fn response_text_in(
    v: &serde_json::Value,
    item: Option<&Item>,
    language: Language,
) -> String {
    let options = |positions: &[usize], texts: Option<&Vec<String>>, sep: &str| {
        positions
            .iter()
            .map(|&p| match texts.and_then(|t| t.get(p.wrapping_sub(1))) {
                Some(text) => plain_text(text),
                None => fill(language.text().option_n, &[("n", &p)]),
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    match serde_json::from_value::<Answer>(v.clone()) {
        Ok(Answer::Text(typed)) => typed,
        Ok(Answer::Cloze(blanks)) => blanks.join(", "),
        Ok(Answer::Choice(picked)) => {
            let choices = item.and_then(|it| match &it.kind {
                ItemKind::Choice { choices, .. } => Some(choices),
                _ => None,
            });
            options(&picked, choices, ", ")
        }
        Ok(Answer::Order(places)) => {
            let order = item.and_then(|it| match &it.kind {
                ItemKind::Order { order } => Some(order),
                _ => None,
            });
            options(&places, order, " → ")
        }
        Err(_) => bare_response_text(v),
    }
}

/// A choice or order entry (pack Markdown) as plain text for a table: maths without its dollar
/// signs and with the common TeX written out (`$\frac{7}{4}$` is `7/4`, `\times` is `×`),
/// emphasis marks dropped.
pub(crate) fn plain_text(markdown: &str) -> String {
    let mut s = markdown.trim().replace(['$', '`'], "").replace("**", "").replace("\\,", " ");
    for (tex, text) in [
        ("\\times", "×"),
        ("\\div", "÷"),
        ("\\cdot", "·"),
        ("\\neq", "≠"),
        ("\\dfrac", "\\frac"),
        ("\\tfrac", "\\frac"),
    ] {
        s = s.replace(tex, text);
    }
    // \frac{a}{b} -> a/b (arguments without nested braces, which is how packs write them).
    while let Some(at) = s.find("\\frac{") {
        let rest = &s[at + "\\frac{".len()..];
        let Some(close) = rest.find('}') else { break };
        let num = rest[..close].trim().to_string();
        let after = &rest[close + 1..];
        let Some(den_end) = after.strip_prefix('{').and_then(|d| d.find('}')) else { break };
        let den = after[1..=den_end].trim().to_string();
        let tail = after[den_end + 2..].to_string();
        s = format!("{}{num}/{den}{tail}", &s[..at]);
    }
    strip_tags(&s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without its HTML tags (`<span lang='es'>`, `</span>`: what a pack's Markdown may carry
/// inline): a `<` followed by a letter or `/` up to the next `>`. A `<` that starts no tag (a
/// comparison, a tag never closed) stays.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let starts_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match after.find('>').filter(|_| starts_tag) {
            Some(end) => {
                out.push_str(&rest[..at]);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[..=at]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A response not in the engine's form: a string as is, a list joined with ", ".
fn bare_response_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(a) => {
            a.iter().map(bare_response_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// The prediction an answer event recorded at answer time, if it carries one.
fn recorded_prediction(event: &Event) -> Option<f64> {
    match event {
        Event::Answer { predicted: Some(p), .. } if p.is_finite() => Some(f64::from(*p)),
        _ => None,
    }
}

/// Loads installed courses once per report.
struct Courses<'a> {
    src: &'a Source<'a>,
    cache: HashMap<String, Option<Arc<LoadedCourse>>>,
}

impl<'a> Courses<'a> {
    fn new(src: &'a Source<'a>) -> Self {
        Courses { src, cache: HashMap::new() }
    }

    fn get(&mut self, pack: &str) -> Result<Option<Arc<LoadedCourse>>> {
        if let Some(c) = self.cache.get(pack) {
            return Ok(c.clone());
        }
        let loaded = self.src.store.read(|tx| Ok(load_course(tx, pack)))??.map(Arc::new);
        self.cache.insert(pack.to_owned(), loaded.clone());
        Ok(loaded)
    }
}

/// Folds a learner's events into one [`CourseFold`] per installed course.
///
/// Which answers are first answers (the ones the model learns from and every rate here counts)
/// is the engine's rule, not a copy of it: the events go through the engine's own fold
/// ([`LearnerState::apply`]) and the attempts and items shown are read from it; this fold adds
/// only what reports need besides (times, sessions, hints, skips, wrong answers).
fn fold(
    records: &[EventRecord],
    courses: &mut Courses<'_>,
    language: Language,
    now_ms: i64,
) -> Result<BTreeMap<String, CourseFold>> {
    // Load every course the events name first, so that the engine's fold can resolve packs
    // from the cache (a store error here is the report's error).
    for rec in records {
        match &rec.event {
            Event::SessionStart { pack: Some(p), .. } => {
                courses.get(p)?;
            }
            ev => {
                if let Some(item_ref) = ev.item() {
                    courses.get(&item_ref.pack)?;
                }
            }
        }
    }
    let cache = &courses.cache;
    let mut resolve = |pack: &str| cache.get(pack).cloned().flatten();
    let mut engine = LearnerState::default();
    let mut out: BTreeMap<String, CourseFold> = BTreeMap::new();
    let mut starts: HashMap<SessionId, i64> = HashMap::new();
    // Per session: whether the question on screen has been answered.
    let mut answered_on_screen: HashMap<Option<SessionId>, bool> = HashMap::new();
    for rec in records {
        let t = rec.time.0;
        let first_answers = |engine: &LearnerState, pack: &str| {
            engine.courses.get(pack).map_or(0, |h| h.attempts.len())
        };
        let before = rec.event.item().map(|r| first_answers(&engine, &r.pack));
        engine.apply(rec, &mut resolve, &mut |_| None);
        match &rec.event {
            Event::SessionStart { pack, .. } => {
                let id = SessionId::from(rec.id);
                starts.insert(id, t);
                if let Some(p) = pack.as_ref().filter(|p| resolve(p).is_some()) {
                    out.entry(p.clone()).or_default().sessions.insert(id, (t, t));
                }
                continue;
            }
            // Ending a session is no activity (the engine's session summary leaves it out too):
            // a session left open is ended as "left open" when the learner comes back, maybe
            // days later, and that wait is not time on task.
            Event::SessionEnd { .. } => continue,
            _ => {}
        }
        let Some(item_ref) = rec.event.item() else { continue };
        let Some(loaded) = resolve(&item_ref.pack) else { continue };
        let Some(ix) = loaded.course.item_ix(&ItemId::new(item_ref.item.clone())) else {
            continue;
        };
        let f = out.entry(item_ref.pack.clone()).or_default();
        f.touch(t);
        if let Some(s) = rec.session {
            let start = starts.get(&s).copied().unwrap_or(t);
            let span = f.sessions.entry(s).or_insert((start, t));
            span.1 = span.1.max(t);
        }
        match &rec.event {
            Event::HintShown { level, .. } => {
                f.hints.push((t, *level));
                *f.item_hints.entry(ix).or_default() += 1;
            }
            Event::SolutionViewed { .. } => {
                f.solution_ms.push(t);
                *f.item_hints.entry(ix).or_default() += 1;
            }
            Event::Skip { .. } => {
                f.skips += 1;
                if !answered_on_screen.insert(rec.session, true).unwrap_or(false) {
                    f.outcomes.push(true);
                }
            }
            Event::Answer { response, correct, .. } => {
                f.answer_ms.push(t);
                answered_on_screen.insert(rec.session, true);
                if !correct {
                    f.wrong.push((ix, response_text_in(response, loaded.items.get(ix), language)));
                }
                if first_answers(&engine, &item_ref.pack) > before.unwrap_or(0) {
                    f.outcomes.push(false);
                    f.info.push(AttemptInfo {
                        time_ms: t,
                        session: rec.session,
                        recorded: recorded_prediction(&rec.event),
                    });
                }
            }
            Event::ItemShown { .. } => {
                answered_on_screen.insert(rec.session, false);
            }
            Event::SessionStart { .. } | Event::SessionEnd { .. } => {}
        }
    }
    for (pack, f) in &mut out {
        if let Some(live) = live_session(&engine, pack, now_ms) {
            f.on_screen = live.current.as_ref().filter(|p| !p.resolved).map(|p| ItemOnScreen {
                session: live.id,
                item: p.item,
                shown_ms: p.shown_ms,
                reason: p.reason_in(language),
                skill: p.skill.clone(),
            });
            if f.on_screen.is_none() {
                f.next_in = next_in(courses, pack, live)?;
            }
        }
        if let Some(h) = engine.courses.remove(pack) {
            f.attempts = h.attempts;
            f.shown = h.shown;
            f.skipped = h.skipped;
        }
    }
    Ok(out)
}

/// The learner's session on `pack` at `now_ms`: the open session the engine would carry on
/// (`Engine::resume_session`: the one with the latest activity, at most [`RESUME_WITHIN_MS`]
/// before). Its item not yet answered right or skipped is on the learner's screen. A session
/// left open for longer is not carried on (the learner gets a new one and the policy's choice
/// over the course), so it is nobody's screen.
fn live_session<'s>(state: &'s LearnerState, pack: &str, now_ms: i64) -> Option<&'s SessionState> {
    state
        .sessions
        .values()
        .filter(|s| !s.ended && s.pack == pack && now_ms - s.last_ms <= RESUME_WITHIN_MS)
        .max_by_key(|s| (s.last_ms, s.id.0))
}

/// The scope of the learner's open session, which the engine keeps in the store's settings
/// under `ladder_engine::scope_key` (the `session_start` event has no field for it); `None` when
/// none is kept. A lesson the installed course no longer has gives the whole course (the
/// engine refuses to go on with that session; the learner starts another).
fn next_in(courses: &Courses<'_>, pack: &str, live: &SessionState) -> Result<Option<NextIn>> {
    let key = ladder_engine::scope_key(live.id);
    let Some(scope) = courses.src.store.read(|tx| tx.setting::<SessionScope>(&key))? else {
        return Ok(None);
    };
    let loaded = courses.cache.get(pack).cloned().flatten();
    let lesson = scope.lesson.as_ref().and_then(|l| {
        loaded.as_ref().and_then(|c| c.course.lesson_ix(&ladder_core::LessonId::new(l.clone())))
    });
    Ok(Some(NextIn { session: live.id, lesson, policy: scope.policy }))
}

// ----- one learner on one course -------------------------------------------------------------

/// A learner's section of a course, plus what class tables need from it.
pub(crate) struct Section {
    pub course: LearnerCourse,
    /// (prediction, correct) for every first answer given without help.
    pub pairs: Vec<(f64, bool)>,
}

fn rate(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| r4(f64::from(num) / f64::from(den)))
}

/// Figures are kept to four decimals: enough for any chart or percentage, and a JSON number
/// that reads back to exactly the same value.
pub(crate) fn r4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn course_ref(loaded: &LoadedCourse) -> CourseRef {
    let c = &loaded.course;
    CourseRef {
        id: c.pack.to_string(),
        title: c.title.clone(),
        version: c.version.clone(),
        items: c.items.len() as u32,
        languages: loaded.languages.clone(),
        text_language: loaded.text_language.clone(),
    }
}

/// What the figures of one section need besides the events: thread-safe (no store), so that
/// the learners of a class are computed in parallel.
#[derive(Clone, Copy)]
pub(crate) struct Model<'a> {
    predictor: &'a dyn Predictor,
    settings: &'a ladder_engine::Settings,
    now_ms: i64,
    /// The language of the sentences the builder writes (stall evidence).
    language: Language,
    /// Days of the recent-activity window, which ends at `now_ms`.
    recent_days: u32,
    /// Whose days the streaks and the recent window count, and the dates of sentences are in.
    zone: &'a ReportTimeZone,
}

impl<'a> Model<'a> {
    /// What the figures need, `predictor` speaking for the learner they are about.
    fn of(src: &'a Source<'a>, opts: Options, predictor: &'a dyn Predictor) -> Self {
        Model {
            predictor,
            settings: src.settings,
            now_ms: src.now_ms,
            language: opts.language,
            recent_days: opts.recent_days,
            zone: &src.time_zone,
        }
    }

    /// The recent-activity window: the `recent_days` whole days before today and today up to
    /// now, days of the report's time zone (of 23 or 25 hours where the clocks change).
    fn recent_window(&self) -> Window {
        Window {
            from: self.zone.start_of_day_before(self.now_ms, self.recent_days),
            to: self.now_ms,
        }
    }
}

/// A span of time, `from < t <= to`: everything for the totals ([`Window::ALL`]), the last days
/// before "now" for recent activity. Both are counted by [`counts`], so they share every rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    from: i64,
    to: i64,
}

impl Window {
    const ALL: Window = Window { from: i64::MIN, to: i64::MAX };

    fn holds(self, t: i64) -> bool {
        t > self.from && t <= self.to
    }

    /// The part of a session (its start and its last activity) inside the window: its length, or
    /// `None` when the session lies wholly outside. For [`Window::ALL`], last − start.
    fn overlap(self, (start, last): (i64, i64)) -> Option<i64> {
        (last > self.from && start <= self.to)
            .then(|| (last.min(self.to) - start.max(self.from)).max(0))
    }
}

/// The counts that the totals and the recent window share, over the events of one window.
struct Counts {
    first_answers: u32,
    correct_first: u32,
    /// First answers given after a hint or the worked solution.
    hinted_first: u32,
    answers: u32,
    hints_by_level: BTreeMap<u32, u32>,
    solutions: u32,
    sessions: u32,
    time_on_task_ms: i64,
}

/// The first answers of `f` given inside `w`.
fn first_answers_in(f: &CourseFold, w: Window) -> impl Iterator<Item = &Attempt> {
    f.attempts.iter().zip(&f.info).filter(move |(_, i)| w.holds(i.time_ms)).map(|(a, _)| a)
}

/// Whether a first answer was given after a hint or the worked solution: what the report counts
/// as `hinted_first_answers`, leaves out of calibration and names in wheel-spinning's evidence.
fn after_help(a: &Attempt) -> bool {
    a.hints > 0 || a.solution_seen
}

/// First answers, answers, hints, solutions, sessions and time on task of `f` inside `w`
/// (docs/reports.md, "How every figure is computed").
fn counts(f: &CourseFold, w: Window) -> Counts {
    let (mut first_answers, mut correct_first, mut hinted_first) = (0u32, 0u32, 0u32);
    for a in first_answers_in(f, w) {
        first_answers += 1;
        correct_first += u32::from(a.correct);
        hinted_first += u32::from(after_help(a));
    }
    let mut hints_by_level = BTreeMap::new();
    for &(_, level) in f.hints.iter().filter(|(t, _)| w.holds(*t)) {
        *hints_by_level.entry(level).or_default() += 1;
    }
    let spans: Vec<i64> = f.sessions.values().filter_map(|&span| w.overlap(span)).collect();
    Counts {
        first_answers,
        correct_first,
        hinted_first,
        answers: f.answer_ms.iter().filter(|&&t| w.holds(t)).count() as u32,
        hints_by_level,
        solutions: f.solution_ms.iter().filter(|&&t| w.holds(t)).count() as u32,
        sessions: spans.len() as u32,
        time_on_task_ms: spans.iter().sum(),
    }
}

fn assess_skills(
    src: Model<'_>,
    c: &Course,
    h: &[Attempt],
    now_s: i64,
) -> Result<Vec<SkillEstimate>> {
    Ok(src.predictor.assess(c, h, &[], now_s)?.skills)
}

fn section(src: Model<'_>, loaded: &LoadedCourse, f: &CourseFold) -> Result<Section> {
    let c = &loaded.course;
    let now_s = src.now_ms.div_euclid(1000);
    let n_skills = c.skills.len();

    // Predictions of past answers: recorded, else replayed from the answers before, all of
    // those in one read of the history (`Predictor::predict_answers`; asking the model once per
    // answer re-read the history each time). Only first answers given without help: a
    // prediction is the chance of a right answer without a hint or the worked solution, and an
    // answer after help says nothing about it.
    let unrecorded: Vec<usize> = (f.attempts.iter().zip(&f.info).enumerate())
        .filter(|(_, (a, info))| !after_help(a) && info.recorded.is_none())
        .map(|(k, _)| k)
        .collect();
    let mut replays = src.predictor.predict_answers(c, &f.attempts, &unrecorded)?.into_iter();
    let mut pairs = Vec::with_capacity(f.attempts.len());
    let (mut recorded, mut replayed, mut helped_firsts) = (0u32, 0u32, 0u32);
    for (a, info) in f.attempts.iter().zip(&f.info) {
        if after_help(a) {
            helped_firsts += 1;
            continue;
        }
        let p = match info.recorded {
            Some(p) => {
                recorded += 1;
                p
            }
            None => {
                replayed += 1;
                f64::from(replays.next().unwrap_or(0.5))
            }
        };
        // Kept to four decimals like every figure, and binned so: a prediction recorded as
        // 0.9 (an f32, 0.89999998 as a double) is in the bin from 90%, where its mean shows.
        pairs.push((r4(p.clamp(0.0, 1.0)), a.correct));
    }

    // Per-skill counts and the mastery after each session.
    let mut attempts = vec![0u32; n_skills];
    let mut correct = vec![0u32; n_skills];
    // First answers given after a hint or the worked solution (for the stall's evidence).
    let mut helped = vec![0u32; n_skills];
    // The credit of each first answer (for the stall that doubts a mastered skill).
    let mut credits: Vec<Vec<f64>> = vec![Vec::new(); n_skills];
    let mut last = vec![None::<i64>; n_skills];
    let mut history: Vec<Vec<MasteryPoint>> = vec![Vec::new(); n_skills];
    // The engine's mastery verdict on every skill after the last group of first answers at or
    // before the recent window's start (for "newly mastered"): of every skill, since answers on
    // one skill move the estimates of the others (the learner's ability is shared).
    let window = src.recent_window();
    let mut mastered_at_start = vec![false; n_skills];
    let mut touched = vec![false; n_skills];
    for (k, (a, info)) in f.attempts.iter().zip(&f.info).enumerate() {
        for &s in &c.items[a.item].skills {
            attempts[s] += 1;
            correct[s] += u32::from(a.correct);
            helped[s] += u32::from(after_help(a));
            credits[s].push(if a.correct {
                f64::from(src.settings.credit(true, a.hints, a.solution_seen))
            } else {
                0.0
            });
            last[s] = Some(info.time_ms);
            touched[s] = true;
        }
        let end_of_group = f
            .info
            .get(k + 1)
            .is_none_or(|next| next.session != info.session || info.session.is_none());
        if end_of_group {
            let est = assess_skills(src, c, &f.attempts[..=k], a.at)?;
            if info.time_ms <= window.from {
                for (was, e) in mastered_at_start.iter_mut().zip(&est) {
                    *was = policy::is_mastered(src.settings, e);
                }
            }
            for s in 0..n_skills {
                if std::mem::take(&mut touched[s]) {
                    history[s].push(MasteryPoint {
                        time_ms: info.time_ms,
                        attempts: attempts[s],
                        accuracy: rate(correct[s], attempts[s]),
                        mastery: r4(f64::from(est[s].mastery)),
                        uncertainty: r4(f64::from(est[s].uncertainty)),
                    });
                }
            }
        }
    }

    let est = assess_skills(src, c, &f.attempts, now_s)?;
    let status = policy::skill_status(c, src.settings, &est);
    let mut skills = Vec::with_capacity(n_skills);
    let mut stalls = Vec::new();
    let mut newly_mastered = Vec::new();
    for (s, skill) in c.skills.iter().enumerate() {
        let e = &est[s];
        if status[s].mastered && !mastered_at_start[s] {
            newly_mastered.push(skill.id.to_string());
        }
        let row = SkillRow {
            id: skill.id.to_string(),
            name: skill.name.clone(),
            attempts: attempts[s],
            correct: correct[s],
            accuracy: rate(correct[s], attempts[s]),
            mastery: r4(f64::from(e.mastery)),
            uncertainty: r4(f64::from(e.uncertainty)),
            recall: r4(f64::from(e.recall)),
            mastered: status[s].mastered,
            unconfirmed: policy::unconfirmed(src.settings, e),
            last_practised_ms: last[s],
            history: std::mem::take(&mut history[s]),
        };
        if let Some(stall) = stall(src, &row, helped[s], &credits[s]) {
            stalls.push(stall);
        }
        skills.push(row);
    }
    stalls.sort_by(|a, b| {
        (a.kind != StallKind::WheelSpinning)
            .cmp(&(b.kind != StallKind::WheelSpinning))
            .then(a.mastery.total_cmp(&b.mastery))
    });

    let next_focus = if let Some(o) = &f.on_screen {
        // What the learner sees now, not what the policy would choose after it: a tutor looking
        // at the report during the lesson sees the learner's question.
        let skills = &c.items[o.item].skills;
        // The skill it was chosen for, which need not be the item's first: as the showing
        // recorded it, or (a showing recorded before skills were) the one its reason names.
        let s = skills
            .iter()
            .copied()
            .find(|&s| o.skill.as_deref() == Some(c.skills[s].id.as_str()))
            .or_else(|| {
                skills.iter().copied().find(|&s| o.reason.contains(c.skills[s].name.as_str()))
            })
            .unwrap_or_else(|| c.main_skill(o.item));
        let out = src.predictor.assess(c, &f.attempts, &[o.item], now_s)?;
        Some(Focus {
            skill_id: c.skills[s].id.to_string(),
            skill_name: c.skills[s].name.clone(),
            item_id: c.items[o.item].id.to_string(),
            predicted: r4(f64::from(out.items.first().copied().unwrap_or(0.5))),
            reason: o.reason.clone(),
            on_screen: Some(OnScreen { session: o.session.0, shown_ms: o.shown_ms }),
        })
    } else {
        let input = StepInput {
            course: c,
            settings: src.settings,
            history: &f.attempts,
            shown: &f.shown,
            skipped: &f.skipped,
            lesson: f.next_in.and_then(|n| n.lesson),
            now: now_s,
            // The engine's seed for the session's next step (`Engine::next_step`), which only
            // the random policy reads: the report names the question the learner will get.
            seed: f.next_in.map_or(0, |n| ladder_engine::step_seed(n.session, f.shown.len())),
            language: src.language,
        };
        let kind = f.next_in.map_or(PolicyKind::Adaptive, |n| n.policy);
        match policy::next_item(kind, &input, src.predictor) {
            Ok(choice) => {
                // The skill the policy's reason names, which need not be the item's first.
                let skill = &c.skills[choice.skill.unwrap_or_else(|| c.main_skill(choice.item))];
                Some(Focus {
                    skill_id: skill.id.to_string(),
                    skill_name: skill.name.clone(),
                    item_id: c.items[choice.item].id.to_string(),
                    predicted: r4(f64::from(choice.predicted)),
                    reason: choice.reason,
                    on_screen: None,
                })
            }
            Err(e) if e.kind == ladder_engine::ErrorKind::Conflict => None,
            Err(e) => return Err(e.into()),
        }
    };

    let totals = totals(src, f);
    let recent = recent(src, c, f, newly_mastered);
    Ok(Section {
        course: LearnerCourse {
            course: course_ref(loaded),
            totals,
            recent,
            skills,
            stalls,
            next_focus,
            calibration: calibration(&pairs, recorded, replayed, helped_firsts),
        },
        pairs,
    })
}

/// The stall of a skill, if any. `helped`: its first answers given after a hint or the worked
/// solution, which the wheel-spinning evidence counts: such answers earn reduced mastery credit,
/// so a learner who always takes help can be right most times and still not master the skill,
/// and the tutor must see why.
/// `credits`: the credit (`Settings::credit`; 0 for a wrong answer) of each first answer on the
/// skill, oldest first.
fn stall(src: Model<'_>, row: &SkillRow, helped: u32, credits: &[f64]) -> Option<Stall> {
    if row.attempts == 0 {
        return None;
    }
    let t = src.language.text();
    let peak = row.history.iter().map(|p| p.mastery).fold(row.mastery, f64::max);
    let learnt = r4(f64::from(src.settings.mastery_threshold));
    let make = |kind, evidence: String| Stall {
        skill_id: row.id.clone(),
        skill_name: row.name.clone(),
        kind,
        attempts: row.attempts,
        accuracy: row.accuracy,
        mastery: row.mastery,
        recall: row.recall,
        peak_mastery: peak,
        learnt: peak >= learnt,
        evidence,
    };
    if row.attempts >= WHEEL_SPIN_ATTEMPTS && !row.mastered {
        let mut evidence = fill(
            t.evidence_wheel_spinning,
            &[
                ("attempts", &row.attempts),
                ("accuracy", &pct(row.accuracy)),
                ("mastery", &pct_pm(row.mastery, row.uncertainty)),
                ("min", &WHEEL_SPIN_ATTEMPTS),
            ],
        );
        if helped > 0 {
            evidence.push(' ');
            evidence.push_str(&fill(t.evidence_after_help, &[("n", &helped)]));
        }
        return Some(make(StallKind::WheelSpinning, evidence));
    }
    // Mastered by the predictor, against the answers: fewer than half of the last ten earned
    // credit (the engine's rule, `policy::in_doubt`, by which the policy brings such a skill
    // back for review).
    let window = src.settings.doubt_answers as usize;
    let recent = &credits[credits.len().saturating_sub(window)..];
    let credited: f64 = recent.iter().sum();
    if row.mastered
        && ladder_engine::policy::in_doubt(src.settings, (credited as f32, recent.len() as u32))
    {
        let shown = |x: f64| format!("{}", (x * 10.0).round() / 10.0);
        return Some(make(
            StallKind::AnswersDisagree,
            fill(
                t.evidence_disagree,
                &[
                    ("mastery", &pct_pm(row.mastery, row.uncertainty)),
                    ("credited", &shown(credited)),
                    ("n", &recent.len()),
                ],
            ),
        ));
    }
    // Figures and thresholds compared as the report keeps and shows them, to four decimals (a
    // fall from 0.70 to 0.55 is 0.1499999... in binary, and a threshold of 0.8 as f32 is
    // 0.80000001): what the report prints as a 15-point fall is one.
    let review = r4(f64::from(src.settings.review_threshold));
    // Fading is time at work: the estimate without forgetting still holds, only recall fell.
    // A fall of the estimate itself (wrong answers) is the next rule's, which asks for enough
    // answers first; one wrong answer after one right one is neither.
    if peak >= learnt && row.mastery >= review && row.recall < review {
        return Some(make(
            StallKind::FallingRecall,
            fill(
                t.evidence_fading,
                &[
                    ("recall", &pct(Some(row.recall))),
                    ("review", &pct(Some(review))),
                    ("peak", &pct(Some(peak))),
                    (
                        "date",
                        &row.last_practised_ms.map(|ms| date(ms, src.zone)).unwrap_or_default(),
                    ),
                ],
            ),
        ));
    }
    if row.attempts >= FALL_MIN_ATTEMPTS && r4(peak - row.mastery) >= MASTERY_DROP {
        return Some(make(
            StallKind::FallingRecall,
            fill(t.evidence_fall, &[("peak", &pct(Some(peak))), ("now", &pct(Some(row.mastery)))]),
        ));
    }
    None
}

/// The recent-activity figures: [`counts`] over the recent window, the skills practised in it,
/// and `newly_mastered` as [`section`] found it.
fn recent(src: Model<'_>, c: &Course, f: &CourseFold, newly_mastered: Vec<String>) -> Recent {
    let w = src.recent_window();
    let n = counts(f, w);
    let mut practised = vec![false; c.skills.len()];
    for a in first_answers_in(f, w) {
        for &s in &c.items[a.item].skills {
            practised[s] = true;
        }
    }
    Recent {
        days: src.recent_days,
        since_ms: w.from,
        first_answers: n.first_answers,
        correct_first: n.correct_first,
        accuracy: rate(n.correct_first, n.first_answers),
        hinted_first_answers: n.hinted_first,
        answers: n.answers,
        hints: n.hints_by_level.values().sum::<u32>() + n.solutions,
        sessions: n.sessions,
        time_on_task_ms: n.time_on_task_ms,
        skills_practised: c
            .skills
            .iter()
            .zip(&practised)
            .filter(|(_, &p)| p)
            .map(|(s, _)| s.id.to_string())
            .collect(),
        newly_mastered,
    }
}

fn totals(src: Model<'_>, f: &CourseFold) -> Totals {
    let Counts {
        first_answers,
        correct_first,
        hinted_first: hinted,
        answers,
        hints_by_level,
        solutions,
        sessions,
        time_on_task_ms,
    } = counts(f, Window::ALL);
    let items: BTreeSet<ItemIx> = f.attempts.iter().map(|a| a.item).collect();

    // Day streaks over the days (of the report's time zone) with a first answer.
    let days: BTreeSet<i64> = f.info.iter().map(|i| src.zone.day_number(i.time_ms)).collect();
    let (mut longest_days, mut run, mut prev) = (0u32, 0u32, None::<i64>);
    for &d in &days {
        run = if prev == Some(d - 1) { run + 1 } else { 1 };
        longest_days = longest_days.max(run);
        prev = Some(d);
    }
    let today = src.zone.day_number(src.now_ms);
    let current_days = match prev {
        Some(d) if d >= today - 1 => run,
        _ => 0,
    };
    let (mut longest_correct, mut cur) = (0u32, 0u32);
    for a in &f.attempts {
        cur = if a.correct { cur + 1 } else { 0 };
        longest_correct = longest_correct.max(cur);
    }

    Totals {
        first_answers,
        correct_first,
        accuracy: rate(correct_first, first_answers),
        answers,
        items_attempted: items.len() as u32,
        hints_by_level: hints_by_level
            .into_iter()
            .map(|(level, count)| LevelCount { level, count })
            .collect(),
        solutions_viewed: solutions,
        hinted_first_answers: hinted,
        skips: f.skips,
        sessions,
        time_on_task_ms,
        first_activity_ms: f.first_ms,
        last_activity_ms: f.last_ms,
        streaks: Streaks { current_days, longest_days, current_correct: cur, longest_correct },
    }
}

/// Ten equal-width bins of the prediction; see [`Calibration`].
pub(crate) fn calibration(
    pairs: &[(f64, bool)],
    recorded: u32,
    replayed: u32,
    helped: u32,
) -> Calibration {
    let mut count = [0u32; CALIBRATION_BINS];
    let mut right = [0u32; CALIBRATION_BINS];
    let mut sum = [0f64; CALIBRATION_BINS];
    let mut brier = 0.0;
    for &(p, ok) in pairs {
        // In whole ten-thousandths, so that 0.7 (0.69999... as a double) is in the 0.7 bin.
        let b =
            ((p * 10_000.0).round() as usize * CALIBRATION_BINS / 10_000).min(CALIBRATION_BINS - 1);
        count[b] += 1;
        right[b] += u32::from(ok);
        sum[b] += p;
        let y = if ok { 1.0 } else { 0.0 };
        brier += (p - y) * (p - y);
    }
    let total = pairs.len() as u32;
    let bins: Vec<CalibrationBin> = (0..CALIBRATION_BINS)
        .map(|b| CalibrationBin {
            lower: b as f64 / CALIBRATION_BINS as f64,
            upper: (b + 1) as f64 / CALIBRATION_BINS as f64,
            count: count[b],
            correct: right[b],
            mean_predicted: (count[b] > 0).then(|| r4(sum[b] / f64::from(count[b]))),
            observed: rate(right[b], count[b]),
        })
        .collect();
    let ece = (total > 0).then(|| {
        r4(bins
            .iter()
            .filter_map(|b| {
                Some(
                    f64::from(b.count) / f64::from(total) * (b.observed? - b.mean_predicted?).abs(),
                )
            })
            .sum::<f64>())
    });
    Calibration {
        total,
        recorded,
        replayed,
        helped,
        bins,
        ece,
        brier: (total > 0).then(|| r4(brier / f64::from(total))),
    }
}

// ----- reports -----------------------------------------------------------------------------------

fn learner(src: &Source<'_>, id: LearnerId, through: Through) -> Result<Learner> {
    src.store
        .read(|tx| tx.learner(id))?
        .filter(|l| l.id.0 <= through.learner)
        .ok_or_else(|| ReportError::NotFound(format!("no learner with id {id}")))
}

/// A learner's events up to the report's last one.
fn events(src: &Source<'_>, id: LearnerId, through: Through) -> Result<Vec<EventRecord>> {
    let mut records = src.store.read(|tx| tx.events(id, None))?;
    records.retain(|r| r.id.0 <= through.event);
    Ok(records)
}

/// The class on the device when the report was made: learners added since are left out, and
/// those archived since are still in it.
fn class_members(src: &Source<'_>, through: Through) -> Result<Vec<Learner>> {
    let mut all = src.store.read(|tx| tx.learners(true))?;
    all.retain(|l| l.id.0 <= through.learner && l.archived.is_none_or(|at| at.0 > src.now_ms));
    Ok(all)
}

fn course_list(
    courses: &mut Courses<'_>,
    asked: Option<&str>,
    folds: &[&BTreeMap<String, CourseFold>],
) -> Result<Vec<Arc<LoadedCourse>>> {
    if let Some(id) = asked {
        return match courses.get(id)? {
            Some(loaded) => Ok(vec![loaded]),
            None => Err(ReportError::NotFound(not_installed(courses.src, id)?)),
        };
    }
    let ids: BTreeSet<&String> = folds.iter().flat_map(|f| f.keys()).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = courses.get(id)? {
            out.push(c);
        }
    }
    Ok(out)
}

/// Why a course asked for by id cannot be reported: removed from this device (its history
/// kept), or no such course, with the ids there are.
fn not_installed(src: &Source<'_>, id: &str) -> Result<String> {
    let packs = src.store.read(|tx| tx.packs(true))?;
    if let Some(p) = packs.iter().find(|p| p.id == id && p.removed.is_some()) {
        return Ok(format!(
            "the course {id} ({}) was removed from this device: its history is kept, and \
             installing the course again brings it back into reports",
            p.title
        ));
    }
    let installed: Vec<&str> =
        packs.iter().filter(|p| p.removed.is_none()).map(|p| p.id.as_str()).collect();
    Ok(if installed.is_empty() {
        format!("no installed course with id {id} (no course is installed)")
    } else {
        format!("no installed course with id {id} (installed: {})", installed.join(", "))
    })
}

/// The courses named by the events folded that are not installed (removed, history kept), by
/// id, with their titles where the device still has them. None when a course was asked for.
fn left_out(courses: &Courses<'_>, asked: Option<&str>) -> Result<Vec<LeftOutCourse>> {
    let missing: BTreeSet<&String> =
        courses.cache.iter().filter(|(_, c)| c.is_none()).map(|(id, _)| id).collect();
    if asked.is_some() || missing.is_empty() {
        return Ok(Vec::new());
    }
    let packs = courses.src.store.read(|tx| tx.packs(true))?;
    Ok(missing
        .into_iter()
        .map(|id| LeftOutCourse {
            id: id.clone(),
            title: packs.iter().find(|p| &p.id == id).map(|p| p.title.clone()),
        })
        .collect())
}

/// The learner as the report names them: archived only when they were at `now_ms` (a report
/// made again as of before the archiving is the report it was).
fn learner_ref(l: &Learner, now_ms: i64) -> LearnerRef {
    LearnerRef {
        id: l.id.0,
        name: l.name.clone(),
        archived_ms: l.archived.map(|at| at.0).filter(|&at| at <= now_ms),
    }
}

pub(crate) fn learner_report(
    src: &Source<'_>,
    id: LearnerId,
    course: Option<&str>,
    opts: Options,
) -> Result<LearnerReport> {
    let language = opts.language;
    let who = learner(src, id, opts.through)?;
    let records = events(src, id, opts.through)?;
    let mut courses = Courses::new(src);
    let folds = fold(&records, &mut courses, language, src.now_ms)?;
    let list = course_list(&mut courses, course, &[&folds])?;
    let empty = CourseFold::default();
    let mut sections = Vec::with_capacity(list.len());
    for loaded in &list {
        let f = folds.get(loaded.course.pack.as_str()).unwrap_or(&empty);
        sections.push(section(Model::of(src, opts, src.predictor_for(id)), loaded, f)?.course);
    }
    let scored: Vec<_> = list.iter().map(|l| &l.course).collect();
    let mut meta = meta(src, src.predictor_for(id), &scored, opts);
    meta.left_out = left_out(&courses, course)?;
    Ok(LearnerReport { meta, learner: learner_ref(&who, src.now_ms), courses: sections })
}

pub(crate) fn class_report(
    src: &Source<'_>,
    group: Option<&[LearnerId]>,
    course: Option<&str>,
    opts: Options,
) -> Result<ClassReport> {
    let language = opts.language;
    let members: Vec<Learner> = match group {
        None => class_members(src, opts.through)?,
        Some(ids) => {
            let mut seen = BTreeSet::new();
            let mut out = Vec::with_capacity(ids.len());
            for &id in ids {
                if seen.insert(id) {
                    out.push(learner(src, id, opts.through)?);
                }
            }
            out
        }
    };
    let mut courses = Courses::new(src);
    let mut folds = Vec::with_capacity(members.len());
    for l in &members {
        let records = events(src, l.id, opts.through)?;
        folds.push(fold(&records, &mut courses, language, src.now_ms)?);
    }
    let refs: Vec<&BTreeMap<String, CourseFold>> = folds.iter().collect();
    let list = course_list(&mut courses, course, &refs)?;
    let empty = CourseFold::default();
    let mut out = Vec::with_capacity(list.len());
    for loaded in &list {
        let c = &loaded.course;
        let pack = c.pack.as_str();
        let mut grid = Vec::with_capacity(members.len());
        let mut need_help = Vec::new();
        let mut all_pairs = Vec::new();
        let (mut recorded, mut replayed, mut helped) = (0, 0, 0);
        // Each learner's figures by the model that speaks for them (their own, if any).
        let models: Vec<Model<'_>> =
            members.iter().map(|l| Model::of(src, opts, src.predictor_for(l.id))).collect();
        let window = Model::of(src, opts, src.predictor).recent_window();
        let mut recent =
            GroupRecent { days: opts.recent_days, since_ms: window.from, ..GroupRecent::default() };
        let jobs: Vec<_> = models.iter().zip(&folds).collect();
        let sections = parallel_map(&jobs, |&(&model, lf)| {
            section(model, loaded, lf.get(pack).unwrap_or(&empty))
        });
        for ((l, lf), sec) in members.iter().zip(&folds).zip(sections) {
            let f = lf.get(pack).unwrap_or(&empty);
            let sec = sec?;
            let lc = &sec.course;
            recorded += lc.calibration.recorded;
            replayed += lc.calibration.replayed;
            helped += lc.calibration.helped;
            all_pairs.extend_from_slice(&sec.pairs);
            let r = &lc.recent;
            recent.learners_active += u32::from(r.first_answers > 0);
            recent.first_answers += r.first_answers;
            recent.correct_first += r.correct_first;
            recent.hinted_first_answers += r.hinted_first_answers;
            recent.answers += r.answers;
            recent.hints += r.hints;
            recent.sessions += r.sessions;
            recent.time_on_task_ms += r.time_on_task_ms;
            recent.newly_mastered += r.newly_mastered.len() as u32;
            grid.push(GridRow {
                learner: learner_ref(l, src.now_ms),
                first_answers: lc.totals.first_answers,
                accuracy: lc.totals.accuracy,
                mastered: lc.skills.iter().filter(|s| s.mastered).count() as u32,
                recent_first_answers: r.first_answers,
                recent_correct_first: r.correct_first,
                recent_accuracy: r.accuracy,
                recent_hinted_first_answers: r.hinted_first_answers,
                recent_answers: r.answers,
                recent_hints: r.hints,
                recent_sessions: r.sessions,
                recent_time_on_task_ms: r.time_on_task_ms,
                recent_newly_mastered: r.newly_mastered.len() as u32,
                cells: lc
                    .skills
                    .iter()
                    .map(|s| GridCell {
                        skill_id: s.id.clone(),
                        attempts: s.attempts,
                        correct: s.correct,
                        accuracy: s.accuracy,
                        mastery: s.mastery,
                        uncertainty: s.uncertainty,
                        recall: s.recall,
                        mastered: s.mastered,
                        unconfirmed: s.unconfirmed,
                        stalled: lc.stalls.iter().find(|x| x.skill_id == s.id).map(|x| x.kind),
                        last_practised_ms: s.last_practised_ms,
                        practised_recently: r.skills_practised.contains(&s.id),
                        newly_mastered: r.newly_mastered.contains(&s.id),
                    })
                    .collect(),
            });
            let mut reasons: Vec<String> = absent_reason(src, l, f, r, opts).into_iter().collect();
            reasons.extend(stall_reasons(&lc.stalls, language));
            if let Some(reason) = recent_reason(src.settings, &f.attempts, language) {
                reasons.push(reason);
            }
            if let Some(reason) = skips_reason(&f.outcomes, language) {
                reasons.push(reason);
            }
            if !reasons.is_empty() {
                need_help.push(HelpNeeded { learner: learner_ref(l, src.now_ms), reasons });
            }
        }
        out.push(ClassCourse {
            course: course_ref(loaded),
            skills: c
                .skills
                .iter()
                .map(|s| SkillRef { id: s.id.to_string(), name: s.name.clone() })
                .collect(),
            recent: GroupRecent {
                accuracy: rate(recent.correct_first, recent.first_answers),
                ..recent
            },
            grid,
            hardest_items: hardest_items(loaded, &folds),
            need_help,
            calibration: calibration(&all_pairs, recorded, replayed, helped),
        });
    }
    let mut meta =
        meta(src, src.predictor, &list.iter().map(|l| &l.course).collect::<Vec<_>>(), opts);
    meta.left_out = left_out(&courses, course)?;
    Ok(ClassReport {
        meta,
        learners: members.iter().map(|l| learner_ref(l, src.now_ms)).collect(),
        courses: out,
    })
}

/// The "needs help" reason of a learner who answered on the course before the recent window
/// and did nothing on it in the window (`r`: no answer, hint or session, what the recent line
/// calls "no practice"): one who stopped coming showed 0 in the grid's recent column, like one
/// away for a week, and nothing said since when. Not for a learner archived when the report
/// was made (out of practice on purpose) nor one who never answered on the course.
fn absent_reason(
    src: &Source<'_>,
    l: &Learner,
    f: &CourseFold,
    r: &Recent,
    opts: Options,
) -> Option<String> {
    let archived = l.archived.is_some_and(|at| at.0 <= src.now_ms);
    let last = f.info.last()?.time_ms;
    let idle = r.first_answers == 0 && r.answers == 0 && r.hints == 0 && r.sessions == 0;
    if archived || !idle {
        return None;
    }
    let t = opts.language.text();
    let none = if opts.recent_days == 1 {
        t.recent_none_one.to_owned()
    } else {
        fill(t.recent_none_many, &[("days", &opts.recent_days)])
    };
    Some(fill(t.reason_absent, &[("none", &none), ("date", &date(last, &src.time_zone))]))
}

/// The "needs help" reasons of a learner's stalled skills, one per skill; except that skills
/// whose mastery is in doubt, when there are several, share one reason naming them all. A
/// learner who guesses can be shown mastered on every skill by the bundled model, and a class
/// report at the end of a term then listed ten near-identical sentences for each such learner,
/// pages of them for a class; one sentence says the same and leaves the list readable.
fn stall_reasons(stalls: &[Stall], language: Language) -> Vec<String> {
    let t = language.text();
    let doubts: Vec<&Stall> =
        stalls.iter().filter(|s| s.kind == StallKind::AnswersDisagree).collect();
    let shared = doubts.len() >= 2;
    let mut out: Vec<String> = stalls
        .iter()
        .filter(|s| !(shared && s.kind == StallKind::AnswersDisagree))
        .map(|s| {
            let template = match s.kind {
                StallKind::WheelSpinning => t.reason_stuck,
                StallKind::FallingRecall if s.learnt => t.reason_losing,
                StallKind::FallingRecall => t.reason_slipping,
                StallKind::AnswersDisagree => t.reason_doubt,
            };
            fill(template, &[("skill", &s.skill_name), ("evidence", &s.evidence)])
        })
        .collect();
    if shared {
        let (low, high) = doubts
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), s| (lo.min(s.mastery), hi.max(s.mastery)));
        let range = if pct(Some(low)) == pct(Some(high)) {
            pct(Some(low))
        } else {
            fill(t.bin_range, &[("from", &pct(Some(low))), ("to", &pct(Some(high)))])
        };
        let names: Vec<&str> = doubts.iter().map(|s| s.skill_name.as_str()).collect();
        out.push(fill(
            t.reason_doubt_many,
            &[
                ("count", &doubts.len()),
                ("mastery", &range),
                ("n", &RECENT_ANSWERS),
                ("skills", &names.join(", ")),
            ],
        ));
    }
    out
}

/// The "needs help" reason of a learner's last [`RECENT_ANSWERS`] first answers on a course, if
/// any: at least half of them exist and their credit is below [`RECENT_ACCURACY_BELOW`] of
/// them. A right answer earns the credit mastery gives it (`Settings::credit`): in full without
/// help, `hinted_credit` after a hint, nothing after the worked solution; so a learner right
/// every time only after opening the solution is listed, and one right once after a hint is
/// not taken for failing. The sentence names each kind of right answer it counted.
fn recent_reason(
    settings: &ladder_engine::Settings,
    attempts: &[Attempt],
    language: Language,
) -> Option<String> {
    let t = language.text();
    let recent = &attempts[attempts.len().saturating_sub(RECENT_ANSWERS)..];
    let credit: f64 = recent
        .iter()
        .filter(|a| a.correct)
        .map(|a| f64::from(settings.credit(true, a.hints, a.solution_seen)))
        .sum();
    // Half of five is 2.5 with two right answers and one after a hint: not below half, however
    // the credits' sum rounds.
    if recent.len() * 2 < RECENT_ANSWERS
        || credit >= RECENT_ACCURACY_BELOW * recent.len() as f64 - 1e-6
    {
        return None;
    }
    let count = |f: fn(&Attempt) -> bool| recent.iter().filter(|a| a.correct && f(a)).count();
    let alone = count(|a| a.hints == 0 && !a.solution_seen);
    let hinted = count(|a| a.hints > 0 && !a.solution_seen);
    let solved = count(|a| a.solution_seen);
    let hint_credit = pct(Some(f64::from(settings.hinted_credit)));
    let template = match (hinted > 0, solved > 0) {
        (false, false) => t.reason_recent,
        (true, false) => t.reason_recent_hinted,
        (false, true) => t.reason_recent_solved,
        (true, true) => t.reason_recent_hinted_solved,
    };
    Some(fill(
        template,
        &[
            ("right", &alone),
            ("n", &recent.len()),
            ("hinted", &hinted),
            ("solved", &solved),
            ("credit", &hint_credit),
        ],
    ))
}

/// The "needs help" reason of a learner who skipped at least half of the last
/// [`RECENT_ANSWERS`] questions they dealt with on a course (answered or skipped), when at
/// least half of those exist: a learner who avoids the questions is as much the tutor's
/// business as one who answers them wrong, and the answers alone do not show it.
fn skips_reason(outcomes: &[bool], language: Language) -> Option<String> {
    let recent = &outcomes[outcomes.len().saturating_sub(RECENT_ANSWERS)..];
    let skipped = recent.iter().filter(|&&s| s).count();
    if recent.len() * 2 < RECENT_ANSWERS || skipped * 2 < recent.len() {
        return None;
    }
    Some(fill(language.text().reason_skips, &[("skipped", &skipped), ("n", &recent.len())]))
}

/// `f` over `items` on up to `available_parallelism` threads, results in order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(rs) => rs,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

fn hardest_items(loaded: &LoadedCourse, folds: &[BTreeMap<String, CourseFold>]) -> Vec<HardItem> {
    let c = &loaded.course;
    let pack = c.pack.as_str();
    #[derive(Default)]
    struct Acc {
        learners: u32,
        first: u32,
        wrong_first: u32,
        hints: u32,
        wrong: BTreeMap<String, u32>,
    }
    let mut acc: BTreeMap<ItemIx, Acc> = BTreeMap::new();
    for lf in folds {
        let Some(f) = lf.get(pack) else { continue };
        let mut seen = BTreeSet::new();
        for a in &f.attempts {
            let e = acc.entry(a.item).or_default();
            e.first += 1;
            e.wrong_first += u32::from(!a.correct);
            if seen.insert(a.item) {
                e.learners += 1;
            }
        }
        for (&i, &n) in &f.item_hints {
            acc.entry(i).or_default().hints += n;
        }
        for (i, text) in &f.wrong {
            *acc.entry(*i).or_default().wrong.entry(text.clone()).or_default() += 1;
        }
    }
    let mut items: Vec<(ItemIx, Acc)> =
        acc.into_iter().filter(|(_, a)| a.wrong_first > 0 || a.hints > 0).collect();
    items.sort_by(|(ia, a), (ib, b)| {
        b.wrong_first.cmp(&a.wrong_first).then(b.hints.cmp(&a.hints)).then(ia.cmp(ib))
    });
    items
        .into_iter()
        .take(HARDEST_ITEMS)
        .map(|(i, a)| {
            let mut wrong: Vec<(String, u32)> = a.wrong.into_iter().collect();
            wrong.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            HardItem {
                item_id: c.items[i].id.to_string(),
                skill_ids: c.items[i].skills.iter().map(|&s| c.skills[s].id.to_string()).collect(),
                learners: a.learners,
                first_answers: a.first,
                wrong_first: a.wrong_first,
                wrong_rate: rate(a.wrong_first, a.first),
                hints: a.hints,
                common_wrong_answers: wrong
                    .into_iter()
                    .take(WRONG_ANSWERS)
                    .map(|(answer, count)| WrongAnswer { answer, count })
                    .collect(),
                answer_language: loaded.items.get(i).and_then(|it| {
                    let course = loaded.answer_language.as_deref();
                    ladder_engine::packs::answer_language(it, course).map(str::to_owned)
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(kind: ItemKind) -> Item {
        let mut it: Item = serde_json::from_value(json!({
            "id": "x-1", "lesson": "x", "skills": ["x"], "prompt": "?",
            "kind": "order", "order": ["-", "-"],
        }))
        .expect("item");
        it.kind = kind;
        it
    }

    /// A skill row with `attempts` first answers, mastery `now` and a history that peaked at
    /// `peak`.
    fn row(attempts: u32, peak: f64, now: f64) -> SkillRow {
        let point = |mastery| MasteryPoint {
            time_ms: 0,
            attempts,
            accuracy: Some(0.5),
            mastery,
            uncertainty: 0.1,
        };
        SkillRow {
            id: "s".into(),
            name: "S".into(),
            attempts,
            correct: attempts / 2,
            accuracy: Some(0.5),
            mastery: now,
            uncertainty: 0.1,
            recall: now,
            mastered: false,
            unconfirmed: None,
            last_practised_ms: Some(0),
            history: vec![point(peak), point(now)],
        }
    }

    /// What the stall rules are judged with in these tests: the default settings, the built-in
    /// predictor, English, UTC.
    struct Judge {
        settings: ladder_engine::Settings,
        predictor: ladder_engine::predictor::elo::OnlineLogistic,
        zone: ReportTimeZone,
    }

    impl Judge {
        fn new() -> Judge {
            let settings = ladder_engine::Settings::default();
            let predictor = ladder_engine::predictor::elo::OnlineLogistic::new(settings.clone());
            Judge { settings, predictor, zone: ReportTimeZone::utc() }
        }

        fn model(&self) -> Model<'_> {
            Model {
                predictor: &self.predictor,
                settings: &self.settings,
                now_ms: 0,
                language: Language::En,
                recent_days: 7,
                zone: &self.zone,
            }
        }
    }

    /// The stall rules compare the figures the report shows (four decimals) with the
    /// thresholds: a fall of exactly 15 points (70% to 55%) is a fall of `MASTERY_DROP`, though
    /// 0.70 − 0.55 is 0.1499999... in binary.
    #[test]
    fn a_fall_of_exactly_the_drop_counts() {
        let judge = Judge::new();
        let model = judge.model();
        for (peak, now) in [(0.7, 0.55), (0.45, 0.3), (0.9, 0.75), (0.8213, 0.6713)] {
            let stall = stall(model, &row(6, peak, now), 0, &[]);
            assert_eq!(stall.map(|s| s.kind), Some(StallKind::FallingRecall), "{peak} to {now}");
        }
        assert_eq!(stall(model, &row(6, 0.7, 0.5501), 0, &[]), None, "14.99 points is less");
        // A skill never learnt whose estimate fell is not "losing" what it never had: "Falling
        // mastery" ("slipping on" in a class's reasons), not "Falling recall".
        let never = stall(model, &row(6, 0.45, 0.3), 0, &[]).expect("a fall");
        assert!(!never.learnt);
        assert_eq!(crate::html::stall_label(&never, Language::En), "Falling mastery");
        assert_eq!(crate::html::stall_label(&never, Language::Es), "Dominio en descenso");
        let learnt = stall(model, &row(6, 0.9, 0.75), 0, &[]).expect("a fall");
        assert!(learnt.learnt);
        assert_eq!(crate::html::stall_label(&learnt, Language::En), "Falling recall");
        assert_eq!(stall(model, &row(4, 0.7, 0.4), 0, &[]), None, "too few answers");
    }

    /// A skill the predictor calls mastered while most of its last first answers were wrong:
    /// a learner right 27% of the time read "82% ± 5%, mastered" (the bundled model, which met
    /// only learners who learn, reads any run of right answers as learning). The tutor is told
    /// that the answers disagree; a mastered skill with its answers mostly right is not listed.
    #[test]
    fn a_skill_shown_mastered_against_its_recent_answers_is_flagged() {
        let judge = Judge::new();
        let model = judge.model();
        let mastered = SkillRow { mastered: true, ..row(30, 0.82, 0.82) };
        let mostly_wrong = [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
        let flagged = stall(model, &mastered, 0, &mostly_wrong).expect("flagged");
        assert_eq!(flagged.kind, StallKind::AnswersDisagree);
        assert_eq!(
            flagged.evidence,
            "Shown mastered (82% ± 10%), but only 3 of its last 10 first answers earned credit: \
             the estimate may be wrong; watch this skill."
        );
        let es = Model { language: Language::Es, ..model };
        assert!(
            stall_es(es, &mastered, &mostly_wrong).starts_with("Se muestra dominada (82% ± 10%)")
        );
        // Half or more with credit, or fewer than ten answers: not flagged.
        let half = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        assert_eq!(stall(model, &mastered, 0, &half), None);
        assert_eq!(stall(model, &mastered, 0, &mostly_wrong[5..]), None, "nine answers");
        // Not mastered: the other rules decide.
        let learning = SkillRow { mastered: false, ..row(6, 0.5, 0.5) };
        assert_eq!(stall(model, &learning, 0, &mostly_wrong), None);
    }

    /// A learner who guesses, shown mastered on many skills by the bundled model: a class report
    /// after a term listed one near-identical "mastery in doubt" sentence per skill, ten for
    /// each such learner and pages for a class. Several skills in doubt share one reason that
    /// names them all; one skill in doubt keeps its own sentence and evidence.
    #[test]
    fn several_skills_in_doubt_share_one_reason() {
        let judge = Judge::new();
        let model = judge.model();
        let mostly_wrong = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
        let doubt = |id: &str, mastery: f64| {
            let r = SkillRow {
                id: id.into(),
                name: format!("Skill {id}"),
                mastered: true,
                ..row(30, mastery, mastery)
            };
            stall(model, &r, 0, &mostly_wrong).expect("in doubt")
        };
        let stuck = SkillRow { id: "w".into(), name: "Skill w".into(), ..row(12, 0.4, 0.4) };
        let stuck = stall(model, &stuck, 0, &[]).expect("stuck");
        assert_eq!(stuck.kind, StallKind::WheelSpinning);
        let stalls = vec![stuck, doubt("a", 0.84), doubt("b", 0.8649), doubt("c", 0.88)];
        let en = stall_reasons(&stalls, Language::En);
        assert_eq!(en.len(), 2, "{en:?}");
        assert!(en[0].starts_with("stuck on Skill w: "), "{}", en[0]);
        assert_eq!(
            en[1],
            "mastery of 3 skills in doubt: shown mastered (84% to 88%), but fewer than half of \
             the last 10 first answers on each earned credit: the estimates may be wrong; watch \
             Skill a, Skill b, Skill c."
        );
        let es = stall_reasons(&stalls, Language::Es);
        assert_eq!(
            es[1],
            "dominio dudoso de 3 habilidades: se muestran dominadas (de 84% a 88%), pero menos \
             de la mitad de las últimas 10 primeras respuestas de cada una sumaron: las \
             estimaciones pueden estar equivocadas; conviene vigilar Skill a, Skill b, Skill c."
        );
        // The same mastery shown for all: one figure, not "84% to 84%".
        let same = stall_reasons(&[doubt("a", 0.84), doubt("b", 0.8401)], Language::En);
        assert!(same[0].contains("(84%)"), "{}", same[0]);
        // One skill in doubt: its own sentence, as before.
        let one = stall_reasons(&stalls[..2], Language::En);
        assert_eq!(one[1], format!("mastery of Skill a in doubt: {}", stalls[1].evidence));
    }

    fn stall_es(model: Model<'_>, row: &SkillRow, credits: &[f64]) -> String {
        stall(model, row, 0, credits).map(|s| s.evidence).unwrap_or_default()
    }

    #[test]
    fn wrong_answers_read_as_the_learner_gave_them() {
        let choice = item(ItemKind::Choice {
            choices: vec!["one half".into(), " two halves ".into(), "a third".into()],
            correct: vec![1],
            shuffle: true,
        });
        let picked = json!({"kind": "choice", "value": [2]});
        assert_eq!(response_text(&picked, Some(&choice)), "two halves");
        assert_eq!(
            response_text(&json!({"kind": "choice", "value": [2, 3]}), Some(&choice)),
            "two halves, a third"
        );
        // Without the item, or past its options, the position is named.
        assert_eq!(response_text(&picked, None), "option 2");
        assert_eq!(
            response_text(&json!({"kind": "choice", "value": [9]}), Some(&choice)),
            "option 9"
        );
        assert_eq!(response_text(&json!({"kind": "text", "value": "=1+1"}), None), "=1+1");
        assert_eq!(response_text(&json!({"kind": "cloze", "value": ["zzz", "3"]}), None), "zzz, 3");
        let order = item(ItemKind::Order { order: vec!["a".into(), "b".into(), "c".into()] });
        assert_eq!(
            response_text(&json!({"kind": "order", "value": [3, 1, 2]}), Some(&order)),
            "c → a → b"
        );
        // Older records in a bare form.
        assert_eq!(response_text(&json!("999"), None), "999");
        assert_eq!(response_text(&json!(["a", "b"]), None), "a, b");
        // Choices written in maths read as plain text.
        let maths = item(ItemKind::Choice {
            choices: vec![
                "$\\frac{3}{8}$".into(),
                "$\\frac{7}{4}$ of **it**".into(),
                "$2 \\times 3$".into(),
            ],
            correct: vec![1],
            shuffle: true,
        });
        assert_eq!(
            response_text(&json!({"kind": "choice", "value": [2]}), Some(&maths)),
            "7/4 of it"
        );
        assert_eq!(response_text(&json!({"kind": "choice", "value": [3]}), Some(&maths)), "2 × 3");
        assert_eq!(plain_text("$\\frac{1}{2} + \\frac{ 1 }{3}$"), "1/2 + 1/3");
        assert_eq!(
            plain_text("$\\frac{1}{2"),
            "\\frac{1}{2",
            "an unclosed fraction stays as written"
        );
    }

    /// A choice written with a language mark (the Spanish A1 pack since 1.1.0) reads as its
    /// words in the tables of common wrong answers; a comparison is not taken for a tag.
    #[test]
    fn choices_lose_their_html_tags_in_tables() {
        assert_eq!(plain_text("<span lang='es'>Son la una.</span>"), "Son la una.");
        assert_eq!(plain_text("It is <SPAN LANG=\"es\">la una</SPAN> **now**"), "It is la una now");
        assert_eq!(plain_text("$a < b$ and 3<4 and x <br"), "a < b and 3<4 and x <br");
    }
}
