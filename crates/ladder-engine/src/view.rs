//! What the engine's operations return: the wire types shared by `ladder serve --stdio` and the
//! desktop app's commands (serde, snake_case; documented in `docs/api.md`).

use serde::{Deserialize, Serialize};

use crate::hints::HintDecision;
use crate::policy::PolicyKind;

/// A learner profile.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerInfo {
    pub id: i64,
    pub name: String,
}

/// A learner as the tutor's learner list shows them ([`crate::Engine::learner_roster`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub id: i64,
    pub name: String,
    pub created_ms: i64,
    /// When they were archived; `None` while active.
    pub archived_ms: Option<i64>,
    /// Answers given, retries included.
    pub answers: i64,
    /// Their latest event of any kind; `None` before they practised.
    pub last_active_ms: Option<i64>,
}

/// An installed course (pack).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub skills: usize,
    pub lessons: usize,
    pub items: usize,
    /// The languages of the pack's content, as its `pack.toml` declares them (BCP 47 tags, in
    /// its order).
    pub languages: Vec<String>,
    /// The language the pack's own text is written in: `pack.toml`'s `text_language`, else its
    /// only language; `null` for a pack in several languages that names none. A front end
    /// marks the pack's text with it (HTML `lang`: titles, names, descriptions, items), so a
    /// screen reader says it with that language's sounds under a UI in another language; words
    /// in another language inside it carry their own mark (`<span lang="es">`).
    pub text_language: Option<String>,
}

/// A skill with the learner's predicted mastery.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillView {
    pub id: String,
    pub name: String,
    /// Predicted success now on a typical item of the skill (0..1): with the forgetting since it
    /// was last practised, so a skill left for long reads lower.
    pub mastery: f32,
    /// Standard deviation of `mastery`.
    pub uncertainty: f32,
    /// The model is confident the skill is mastered, and it has not faded below the review line.
    pub mastered: bool,
    pub locked: bool,
    /// Names of the prerequisites still missing (empty when unlocked).
    pub locked_because: Vec<String>,
    /// First answers given on the skill.
    pub attempts: u32,
    /// Set when the model is confident the skill is mastered but the learner's latest answers
    /// on it do not back it yet (`Settings::mastery_recent_share`), so it is not counted
    /// mastered: what those answers were and what it takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub unconfirmed: Option<Unconfirmed>,
}

/// A skill's latest answers that do not back the model's mastery yet ([`SkillView::unconfirmed`]).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unconfirmed {
    /// The latest answers on the skill that count (at most 5; a right answer given after the
    /// worked solution does not).
    pub answers: u32,
    /// How many of them were right (with or without hints).
    pub right: u32,
    /// How many of them must be right for the skill to count as mastered.
    pub needed: u32,
}

/// Where a lesson stands for a learner.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonStatus {
    /// A skill it needs is locked.
    Locked,
    /// Open, not started.
    Available,
    /// Started, not all its skills mastered.
    InProgress,
    /// All its skills mastered.
    Mastered,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonView {
    pub id: String,
    pub title: String,
    pub status: LessonStatus,
    pub skills: Vec<String>,
    pub items: usize,
    pub fixed_order: bool,
    /// Why it is locked: "needs Equivalent fractions".
    pub locked_because: Vec<String>,
    /// The lesson's introduction (the pack's `intro`), rendered and sanitised like an item's
    /// prompt; `None` when the lesson has none.
    pub intro_html: Option<String>,
}

/// The course map: skills with mastery, lessons with status.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseMap {
    pub course: CourseInfo,
    pub skills: Vec<SkillView>,
    pub lessons: Vec<LessonView>,
    /// The mastery (0..1) a prerequisite must reach before the skills built on it unlock: the
    /// engine's `prerequisite_threshold` (or `unlock_threshold` when higher). It can be above the
    /// mastery line, so a skill may read mastered while a skill built on it is still locked;
    /// the map says this level with every lock.
    pub unlock_at: f32,
}

/// A session that was started.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub session: i64,
    pub learner: i64,
    pub course: String,
    pub lesson: Option<String>,
    pub policy: PolicyKind,
}

/// One option of a choice item or one entry of an order item, in display order.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceView {
    /// The 1-based position in the pack's list: what an answer refers to.
    pub position: usize,
    pub html: String,
}

/// An item ready to show: sanitised HTML, never the answer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    /// `choice`, `numeric`, `text`, `cloze` or `order`.
    pub kind: String,
    pub lesson: String,
    pub skills: Vec<String>,
    pub prompt_html: String,
    /// Choice options or order entries, in display order (shuffled when the pack asks).
    pub choices: Vec<ChoiceView>,
    /// Choice items: more than one option is correct ("select all").
    pub select_all: bool,
    /// Cloze items: how many blanks (`{{1}}` .. `{{n}}` in the prompt).
    pub blanks: usize,
    /// Numeric items: the unit shown after the box.
    pub unit: Option<String>,
    /// Rungs of the hint ladder (hints, then the worked solution).
    pub hint_levels: u8,
    /// The ladder ends in a worked solution (`view_solution` is refused without one, so a
    /// front end offers no "show the solution" for such an item).
    #[serde(default)]
    pub has_solution: bool,
    /// Text and cloze items: the language the learner types the answer in (BCP 47), the
    /// item's `answer_language`, else the pack's, else the language of the pack's text. A front
    /// end marks the answer boxes with it (HTML `lang`), so that a screen reader says back what
    /// the learner types with that language's sounds (Spanish answers in a Spanish course
    /// explained in English). `null` for choice, order and numeric items, whose learner types
    /// no words (a number's box keeps the UI's language), and when the pack names no language.
    #[serde(default)]
    pub answer_language: Option<String>,
}

/// One rung of the hint ladder.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HintView {
    /// 1-based rung.
    pub level: u8,
    /// Rungs in all.
    pub of: u8,
    pub html: String,
    /// This rung is the worked solution.
    pub is_solution: bool,
}

/// What to show next.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub session: i64,
    /// 1-based number of this item in the session.
    pub number: u32,
    pub item: ItemView,
    /// Why this item, in one sentence.
    pub reason: String,
    /// Predicted probability of a right first answer.
    pub predicted: f32,
    pub hint: HintDecision,
    /// Rungs already seen (after a restart, so the screen can be rebuilt).
    pub hints_shown: Vec<HintView>,
    /// Answers already given to this item.
    pub answers: u32,
    /// The item was already answered right (or skipped): ask for the next step.
    pub resolved: bool,
    /// Items of the session answered so far, and how many of them right the first time, as
    /// the session summary counts them (a front end that carries a session on after a restart
    /// starts its counts from these).
    pub session_answered: u32,
    pub session_correct_first: u32,
}

/// How an answer changed a skill.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillChange {
    pub id: String,
    pub name: String,
    /// The skill's figure as the course map gives it ([`SkillView::mastery`]) just before the
    /// answer and just after it.
    pub before: f32,
    pub after: f32,
    pub uncertainty: f32,
    pub mastered: bool,
    /// Whether it was mastered just before the answer (as the course map gave it then).
    #[serde(default)]
    pub mastered_before: bool,
}

/// The result of an answer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerResult {
    pub correct: bool,
    /// The pack's feedback for this answer, as HTML.
    pub feedback_html: Option<String>,
    /// Cloze items: per-blank results.
    pub blanks: Vec<bool>,
    /// The item's skills, before and after.
    pub mastery: Vec<SkillChange>,
    /// Other skills of the course that the answer took over or under the mastery line (the
    /// learner's ability is shared: an answer on one skill moves the others' figures too), in
    /// course order: a skill that is no longer mastered, or is now, is said so.
    #[serde(default)]
    pub also: Vec<SkillChange>,
    /// Whether a hint is now offered, or shown (`hint_shown`).
    pub hint: HintDecision,
    pub hint_shown: Option<HintView>,
    /// Wrong answers so far on this item.
    pub wrong_answers: u32,
}

/// A session's totals.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub session: i64,
    pub items: u32,
    pub answered: u32,
    pub correct_first: u32,
    pub skipped: u32,
    pub hints: u32,
    pub duration_s: i64,
    /// The skills practised in the session (a first answer on one of their items), in course
    /// order: where each stood when the session began and where it stands now. Empty when the
    /// course was removed meanwhile.
    #[serde(default)]
    pub skills: Vec<SkillProgress>,
}

/// A skill practised in a session ([`SessionSummary::skills`]), its figures as the course map
/// gives them ([`SkillView`]).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillProgress {
    pub id: String,
    pub name: String,
    /// First answers on the skill in the session, and the right ones of them (not counting a
    /// right answer after the worked solution).
    pub answers: u32,
    pub right: u32,
    /// The course map's figure when the session began, and now.
    pub before: f32,
    pub after: f32,
    pub uncertainty: f32,
    pub mastered_before: bool,
    pub mastered: bool,
    /// As [`SkillView::unconfirmed`], now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub unconfirmed: Option<Unconfirmed>,
}

/// Mastery of every skill of a course.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MasterySummary {
    pub learner: i64,
    pub course: String,
    pub skills: Vec<SkillView>,
    pub mastered: usize,
    pub total: usize,
    /// First answers on the course.
    pub answers: usize,
}

/// What `skip` answers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkipResult {
    pub skipped: bool,
}

/// A preload pack that could not be installed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreloadProblem {
    /// The folder or file name inside the preload folder.
    pub source: String,
    pub message: String,
}

/// What [`crate::Engine::preload_packs`] did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PreloadReport {
    /// Packs installed or upgraded, with what changed.
    #[cfg_attr(feature = "ts", ts(as = "Vec<crate::wire_ts::PackDiff>"))]
    pub installed: Vec<ladder_store::PackDiff>,
    /// Packs already installed at the same or a newer version, and courses a tutor removed on
    /// this device ([`crate::Engine::course_roster`]).
    pub skipped: Vec<String>,
    pub problems: Vec<PreloadProblem>,
}

/// The courses a tutor manages ([`crate::Engine::course_roster`]): those installed, and those
/// removed on this device (a preload folder leaves them alone until they are brought back).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseRoster {
    /// By title (ignoring case), then id.
    pub installed: Vec<CourseEntry>,
    /// By title (ignoring case), then id.
    pub removed: Vec<RemovedCourse>,
    /// The preload folder the list was checked against (where "Bring back" installs from and
    /// where a teacher puts the packs every start installs), when one was given.
    pub preload_dir: Option<String>,
}

/// An installed course in the tutor's course list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseEntry {
    pub id: String,
    pub title: String,
    pub version: String,
    pub items: i64,
    /// Learners with at least one answer, hint or session on it.
    pub learners_with_history: i64,
    pub installed_ms: i64,
}

/// A course removed on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovedCourse {
    pub id: String,
    pub title: String,
    /// The version installed when it was removed.
    pub version: String,
    pub removed_ms: i64,
    /// Learners whose history with it is kept (it comes back with it).
    pub learners_with_history: i64,
    /// The version the preload folder offers, when it has this course: "bring back" installs
    /// it from there; otherwise the pack has to be imported again.
    pub preload_version: Option<String>,
}

/// What [`crate::Engine::remove_course`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseRemoval {
    pub id: String,
    pub title: String,
    /// Learners whose history with the course is kept.
    pub learners_with_history: i64,
}

/// A media file of an installed pack, for a front end to serve (not a JSON wire type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
}
