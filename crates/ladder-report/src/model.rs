//! The data of a report: plain serde types whose JSON is the `--format json` export and whose
//! field names are stable (docs/reports.md defines every one). The HTML, PDF and CSV forms are
//! renderings of these values and show nothing that is not in them.
//!
//! Conventions: times are Unix milliseconds (UTC), like the store; days are the days of the
//! report's time zone (`meta.time_zone`); probabilities and rates are
//! in `0..=1`; a rate with nothing to count (no answers) is `null`, never 0.

use serde::{Deserialize, Serialize};

pub use ladder_engine::view::Unconfirmed;

use crate::i18n::Language;
pub use crate::zone::ReportTimeZone;

/// The `format` field of every report.
pub const REPORT_FORMAT: &str = "ladder-report";
/// Raised only when a field changes meaning or disappears; new fields may appear without it.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// A report: for one learner, or for a class (several learners).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Report {
    Learner(LearnerReport),
    Class(ClassReport),
}

impl Report {
    pub fn meta(&self) -> &ReportMeta {
        match self {
            Report::Learner(r) => &r.meta,
            Report::Class(r) => &r.meta,
        }
    }

    /// The learners whose data the report contains (one for a learner report).
    pub fn learners(&self) -> Vec<LearnerRef> {
        match self {
            Report::Learner(r) => vec![r.learner.clone()],
            Report::Class(r) => r.learners.clone(),
        }
    }
}

/// What every report says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// [`REPORT_FORMAT_VERSION`].
    pub format_version: u32,
    /// When the report was made (the "now" of recall and streaks).
    pub generated_ms: i64,
    /// The learner model behind every predicted figure (`online-logistic`, `transformer`, ...).
    pub predictor: String,
    /// The language of the report's own text (`en`, `es`); English when absent (reports made
    /// before languages existed).
    #[serde(default)]
    pub language: Language,
    /// The thresholds the figures were judged against.
    pub thresholds: Thresholds,
    /// The history the report counted; with `generated_ms` it makes the same report again
    /// (`Source::as_shown`). Zeros in reports made before it was recorded.
    #[serde(default)]
    pub through: Through,
    /// The time zone of the report's dates and times, and whose days its day streaks and
    /// recent-activity window count (`"Europe/Madrid"`, `"UTC"`): by default the computer's.
    /// UTC in reports made before it was recorded.
    #[serde(default)]
    pub time_zone: ReportTimeZone,
    /// The computer's zone was asked for and could not be found: `time_zone` is UTC instead
    /// (and the header says so).
    #[serde(default)]
    pub time_zone_fallback: bool,
    /// Courses with history in the report's scope that it leaves out because they are not
    /// installed on this device (removed, their history kept): the report says so, naming
    /// them. Only when no course was asked for; absent from the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOutCourse>,
}

/// A course a report leaves out (see [`ReportMeta::left_out`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOutCourse {
    /// The pack id its events name.
    pub id: String,
    /// Its title when the device still knows it (a course removed here keeps it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl LeftOutCourse {
    /// How a report names it: "Spanish A1 (spanish-a1)", or the id alone without a title.
    pub fn label(&self) -> String {
        match &self.title {
            Some(title) => format!("{title} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

/// How much of the history a report counts: the events and learners up to these ids (both grow
/// and are never reused, so "up to" is "stored by then").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Through {
    /// The newest event counted (0: none).
    pub event: i64,
    /// The newest learner counted (0: none).
    pub learner: i64,
}

/// The thresholds behind "mastered", "stalled" and "needs help".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Predicted success on a typical item at which a skill counts as mastered (engine setting).
    pub mastery_threshold: f64,
    /// Largest uncertainty (sd) with which a skill can count as mastered (engine setting).
    pub mastery_max_sd: f64,
    /// Recall below which a learnt skill counts as fading (engine setting).
    pub review_threshold: f64,
    /// First answers on a skill without mastery that count as wheel-spinning (10).
    pub wheel_spin_attempts: u32,
    /// Drop of predicted mastery from its peak that counts as falling (0.15).
    pub mastery_drop: f64,
    /// Recent first answers looked at for "needs help" (10), and the share of them their credit
    /// must reach (0.5; below it the learner is listed): a right answer earns 1 without help,
    /// `hinted_credit` after a hint and nothing after the worked solution, as mastery counts
    /// them. The name says accuracy, as it did before help was counted; it is kept for readers
    /// of the JSON.
    pub recent_answers: u32,
    pub recent_accuracy_below: f64,
    /// The credit of a right answer given after a hint, in "needs help" as in mastery (engine
    /// setting, 0.5); after the worked solution it is 0. Reports made before it was recorded
    /// read as the default.
    #[serde(default = "default_hinted_credit")]
    pub hinted_credit: f64,
}

fn default_hinted_credit() -> f64 {
    f64::from(ladder_engine::Settings::default().hinted_credit)
}

/// A learner, as reports name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRef {
    pub id: i64,
    pub name: String,
    /// When the learner was archived, if they were when the report was made (`meta.generated_ms`);
    /// left out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_ms: Option<i64>,
}

/// A course (an installed pack).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRef {
    pub id: String,
    pub title: String,
    pub version: String,
    /// Items in the installed version.
    pub items: u32,
    /// The languages of the course's content, as its `pack.toml` declares them (BCP 47 tags,
    /// in its order); left out when it declares none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The language the course's own text is written in: its `pack.toml`'s `text_language`,
    /// else its only language; left out when it has none (a course in several languages that
    /// names none). A report made before the field existed reads back without it and falls
    /// back on its only language, as such a report was marked when it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_language: Option<String>,
}

impl CourseRef {
    /// The language to mark the course's text with in a report in `report`'s language: the
    /// language of the course's text ([`CourseRef::text_language`], or the one declared
    /// language) where it is not the report's, so that a screen reader says the pack's words
    /// with their own sounds; `None` when it is the report's, and for a course in several
    /// languages that names none, whose words the pack itself marks or nobody knows.
    pub fn mark_language(&self, report: Language) -> Option<&str> {
        // Built reports carry the engine's answer; a report read back from JSON written before
        // the field existed has only the declared languages, so the same rule applies here.
        let tag =
            ladder_engine::packs::text_language(self.text_language.as_deref(), &self.languages)?;
        not_the_reports(tag, report)
    }

    /// The language to mark a learner's answer on the course with in a report in `report`'s
    /// language, where the item does not say it ([`HardItem::answer_language`]: a choice, order
    /// or numeric item, or a report made before it existed): the course's one declared language
    /// where it is not the report's. A course in several languages marks none: its learners
    /// answer in whichever the item asks for (a Spanish course explained in English is answered
    /// in Spanish, its choices are Spanish words), which the text's language does not tell.
    pub fn answer_language(&self, report: Language) -> Option<&str> {
        match self.languages.as_slice() {
            [one] => not_the_reports(one, report),
            _ => None,
        }
    }
}

/// `tag`, unless its primary language is the report's.
fn not_the_reports(tag: &str, report: Language) -> Option<&str> {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    (!primary.eq_ignore_ascii_case(report.tag())).then_some(tag)
}

/// A skill of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillRef {
    pub id: String,
    pub name: String,
}

// ----- learner report ----------------------------------------------------------------------------

/// Everything about one learner; only their own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerReport {
    pub meta: ReportMeta,
    pub learner: LearnerRef,
    /// One section per course the learner has history on (or the course asked for).
    pub courses: Vec<LearnerCourse>,
}

/// One learner on one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerCourse {
    pub course: CourseRef,
    pub totals: Totals,
    /// What the learner did in the last days before the report was made.
    #[serde(default)]
    pub recent: Recent,
    /// Every skill of the course, in course order.
    pub skills: Vec<SkillRow>,
    /// Skills most likely to stall, worst first.
    pub stalls: Vec<Stall>,
    /// What the adaptive policy would practise next, and why. `None` without items to practise.
    pub next_focus: Option<Focus>,
    /// Predicted against observed success on this learner's first answers.
    pub calibration: Calibration,
}

/// Counts over a learner's history on a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// First answers (the first answer to each presentation of an item).
    pub first_answers: u32,
    /// First answers that were right.
    pub correct_first: u32,
    /// `correct_first / first_answers`.
    pub accuracy: Option<f64>,
    /// Every answer, retries included.
    pub answers: u32,
    /// Distinct items with at least one first answer.
    pub items_attempted: u32,
    /// `hint_shown` events by level (1 = first hint), levels without hints left out.
    pub hints_by_level: Vec<LevelCount>,
    /// `solution_viewed` events.
    pub solutions_viewed: u32,
    /// First answers given after at least one hint or the solution.
    pub hinted_first_answers: u32,
    /// `skip` events.
    pub skips: u32,
    /// Sessions on the course.
    pub sessions: u32,
    /// Sum over those sessions of (last activity − `session_start`); ending a session is no
    /// activity, so a session left open adds no idle time.
    pub time_on_task_ms: i64,
    pub first_activity_ms: Option<i64>,
    pub last_activity_ms: Option<i64>,
    pub streaks: Streaks,
}

/// A learner's activity on a course in the window of the last `days` days before the report's
/// "now": events at `since_ms < time <= generated_ms`, counted by the same rules as [`Totals`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recent {
    /// The window's length in days (`--recent-days`, 7 by default).
    pub days: u32,
    /// The window's start: `generated_ms - days × 24 h` (excluded).
    pub since_ms: i64,
    /// First answers in the window.
    pub first_answers: u32,
    /// Of them, the right ones.
    pub correct_first: u32,
    /// `correct_first / first_answers`.
    pub accuracy: Option<f64>,
    /// Of the first answers, those given after a hint or the worked solution (as
    /// [`Totals::hinted_first_answers`] counts them).
    #[serde(default)]
    pub hinted_first_answers: u32,
    /// Every answer in the window, retries included.
    pub answers: u32,
    /// `hint_shown` plus `solution_viewed` events in the window.
    pub hints: u32,
    /// Sessions of the course that overlap the window.
    pub sessions: u32,
    /// The part of those sessions inside the window.
    pub time_on_task_ms: i64,
    /// Skills (ids) with a first answer in the window, in course order.
    pub skills_practised: Vec<String>,
    /// Skills (ids) mastered now that were not mastered at `since_ms`, in course order.
    pub newly_mastered: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCount {
    pub level: u32,
    pub count: u32,
}

/// Runs of days and of right answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Streaks {
    /// Consecutive days (of the report's time zone) with a first answer, ending today or
    /// yesterday (else 0).
    pub current_days: u32,
    /// The longest such run ever.
    pub longest_days: u32,
    /// Right first answers in a row at the end of the history.
    pub current_correct: u32,
    /// The longest run of right first answers.
    pub longest_correct: u32,
}

/// One skill of one learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillRow {
    pub id: String,
    pub name: String,
    /// First answers on items of the skill.
    pub attempts: u32,
    pub correct: u32,
    /// `correct / attempts`: plain accuracy, next to the model's mastery.
    pub accuracy: Option<f64>,
    /// Predicted success on a typical item of the skill now, forgetting ignored.
    pub mastery: f64,
    /// Standard deviation of `mastery`.
    pub uncertainty: f64,
    /// Predicted success now, forgetting applied.
    pub recall: f64,
    /// The engine's verdict (`policy::is_mastered`: `lower >= mastery_threshold`, `uncertainty <=
    /// mastery_max_sd`, at least `mastery_min_answers` first answers on the skill, and the
    /// learner's latest answers on it back the model, `mastery_recent_share`).
    pub mastered: bool,
    /// Set when the model is confident of the skill but the learner's latest answers do not
    /// back it yet, so it is not mastered: those answers, the right ones and the right ones
    /// needed (`policy::unconfirmed`, as the learner's course map gives it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<Unconfirmed>,
    pub last_practised_ms: Option<i64>,
    /// Mastery after each session in which the skill was practised, oldest first.
    pub history: Vec<MasteryPoint>,
}

/// Mastery of a skill at the end of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MasteryPoint {
    /// Time of the last first answer of the session.
    pub time_ms: i64,
    /// First answers on the skill up to then.
    pub attempts: u32,
    /// Accuracy on the skill up to then.
    pub accuracy: Option<f64>,
    pub mastery: f64,
    pub uncertainty: f64,
}

/// Why a skill may stall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StallKind {
    /// `wheel_spin_attempts` or more first answers and still not mastered.
    WheelSpinning,
    /// A learnt skill whose predicted recall is below the review threshold, or whose predicted
    /// mastery has fallen `mastery_drop` or more below its peak.
    FallingRecall,
    /// A skill the predictor calls mastered while fewer than half of its last
    /// `recent_answers` first answers earned credit: the estimate and the answers disagree.
    AnswersDisagree,
}

/// A skill likely to stall, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stall {
    pub skill_id: String,
    pub skill_name: String,
    pub kind: StallKind,
    pub attempts: u32,
    pub accuracy: Option<f64>,
    pub mastery: f64,
    pub recall: f64,
    /// Peak of predicted mastery over the skill's history.
    pub peak_mastery: f64,
    /// Whether that peak reached the mastery line (`mastery_threshold`): a falling estimate of
    /// a skill never learnt is no lost recall, and is not named so.
    pub learnt: bool,
    /// One sentence with the numbers.
    pub evidence: String,
}

/// The next recommended focus: the item on the learner's screen when an open session shows one
/// not yet answered right ([`Focus::on_screen`]), else what the policy would choose now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Focus {
    pub skill_id: String,
    pub skill_name: String,
    pub item_id: String,
    /// Predicted success on that item.
    pub predicted: f64,
    /// The policy's one-sentence reason (for an item on screen: the one it was shown with).
    pub reason: String,
    /// Set when the item is the one on the learner's screen now; absent for the policy's choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_screen: Option<OnScreen>,
}

/// Where and since when an item is on the learner's screen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OnScreen {
    /// The open session that shows it.
    pub session: i64,
    /// When it was shown (Unix milliseconds).
    pub shown_ms: i64,
}

/// Predicted against observed success, in ten equal-width bins of the prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// First answers counted: those given without a hint or the worked solution, the answers a
    /// prediction (the chance of a right answer without help) is about.
    pub total: u32,
    /// Of them, predictions recorded at answer time (the `predicted` of the answer event).
    pub recorded: u32,
    /// Of them, predictions made now by replaying the history before each answer.
    pub replayed: u32,
    /// First answers left out because they were given after a hint or the worked solution.
    #[serde(default)]
    pub helped: u32,
    pub bins: Vec<CalibrationBin>,
    /// Expected calibration error: sum over bins of `count / total * |observed - mean_predicted|`.
    pub ece: Option<f64>,
    /// Mean of `(predicted - correct)^2`.
    pub brier: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// The bin holds predictions `lower <= p < upper` (the last one includes 1).
    pub lower: f64,
    pub upper: f64,
    pub count: u32,
    pub correct: u32,
    pub mean_predicted: Option<f64>,
    /// `correct / count`.
    pub observed: Option<f64>,
}

// ----- class report ------------------------------------------------------------------------------

/// Several learners: all on the device, or a chosen group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassReport {
    pub meta: ReportMeta,
    pub learners: Vec<LearnerRef>,
    /// One section per course any of them has history on (or the course asked for).
    pub courses: Vec<ClassCourse>,
}

/// A class on one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassCourse {
    pub course: CourseRef,
    pub skills: Vec<SkillRef>,
    /// The group's activity in the last days before the report was made.
    #[serde(default)]
    pub recent: GroupRecent,
    /// One row per learner of the class, in learner order.
    pub grid: Vec<GridRow>,
    /// At most ten, hardest first.
    pub hardest_items: Vec<HardItem>,
    /// Learners who need help now, with every reason.
    pub need_help: Vec<HelpNeeded>,
    /// Over the first answers of every learner of the class.
    pub calibration: Calibration,
}

/// A class's activity on a course in the recent window: its learners' [`Recent`] figures summed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupRecent {
    pub days: u32,
    pub since_ms: i64,
    /// Learners of the group with a first answer in the window.
    pub learners_active: u32,
    pub first_answers: u32,
    pub correct_first: u32,
    /// `correct_first / first_answers`.
    pub accuracy: Option<f64>,
    /// Of the first answers, those given after a hint or the worked solution.
    #[serde(default)]
    pub hinted_first_answers: u32,
    pub answers: u32,
    pub hints: u32,
    pub sessions: u32,
    pub time_on_task_ms: i64,
    /// Skills newly mastered in the window, counted once per learner (learner × skill).
    pub newly_mastered: u32,
}

/// A learner's row of the learner × skill grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    pub learner: LearnerRef,
    pub first_answers: u32,
    pub accuracy: Option<f64>,
    pub mastered: u32,
    /// The learner's [`Recent`] figures on the course.
    #[serde(default)]
    pub recent_first_answers: u32,
    #[serde(default)]
    pub recent_correct_first: u32,
    #[serde(default)]
    pub recent_accuracy: Option<f64>,
    #[serde(default)]
    pub recent_hinted_first_answers: u32,
    #[serde(default)]
    pub recent_answers: u32,
    #[serde(default)]
    pub recent_hints: u32,
    #[serde(default)]
    pub recent_sessions: u32,
    #[serde(default)]
    pub recent_time_on_task_ms: i64,
    /// How many skills are in the learner's `newly_mastered`.
    #[serde(default)]
    pub recent_newly_mastered: u32,
    /// Aligned with [`ClassCourse::skills`].
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub skill_id: String,
    pub attempts: u32,
    pub correct: u32,
    pub accuracy: Option<f64>,
    pub mastery: f64,
    pub uncertainty: f64,
    pub recall: f64,
    pub mastered: bool,
    /// As [`SkillRow::unconfirmed`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<Unconfirmed>,
    /// Why the skill may stall, if it may (see [`Stall`]).
    pub stalled: Option<StallKind>,
    pub last_practised_ms: Option<i64>,
    /// In the learner's `skills_practised` (a first answer in the recent window).
    #[serde(default)]
    pub practised_recently: bool,
    /// In the learner's `newly_mastered`.
    #[serde(default)]
    pub newly_mastered: bool,
}

/// An item many learners found hard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HardItem {
    pub item_id: String,
    pub skill_ids: Vec<String>,
    /// Learners with a first answer on it.
    pub learners: u32,
    pub first_answers: u32,
    pub wrong_first: u32,
    /// `wrong_first / first_answers`.
    pub wrong_rate: Option<f64>,
    /// `hint_shown` plus `solution_viewed` events on it.
    pub hints: u32,
    /// The most frequent wrong answers (all attempts), at most three.
    pub common_wrong_answers: Vec<WrongAnswer>,
    /// Text and cloze items: the language the learners typed these answers in (the item's
    /// `answer_language`, else the pack's, else the language of its text: the engine's
    /// `packs::answer_language`); left out for the other kinds, whose answers are the pack's
    /// options or numbers, and in a report made before the field existed. The HTML report marks
    /// the answers with it where it is not the report's ([`HardItem::answer_mark`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_language: Option<String>,
}

impl HardItem {
    /// The language to mark this item's wrong answers with in a report in `report`'s language:
    /// [`HardItem::answer_language`] where it is not the report's; without one, the course's
    /// ([`CourseRef::answer_language`]), as every answer was marked before items said theirs.
    pub fn answer_mark<'a>(&'a self, course: &'a CourseRef, report: Language) -> Option<&'a str> {
        match &self.answer_language {
            Some(tag) => not_the_reports(tag, report),
            None => course.answer_language(report),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrongAnswer {
    /// The answer as text (a list is joined with ", ").
    pub answer: String,
    pub count: u32,
}

/// A learner who needs help now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpNeeded {
    pub learner: LearnerRef,
    /// One sentence per reason, with the numbers.
    pub reasons: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(languages: &[&str], text_language: Option<&str>) -> CourseRef {
        CourseRef {
            id: "c".into(),
            title: "C".into(),
            version: "1.0.0".into(),
            items: 1,
            languages: languages.iter().map(|l| (*l).to_owned()).collect(),
            text_language: text_language.map(str::to_owned),
        }
    }

    /// A course's text is marked with its text's language, else its only language, where that
    /// is not the report's; a learner's answer only with a course's only language (the answers
    /// of a Spanish course explained in English are Spanish, not its text's English).
    #[test]
    fn the_marks_of_a_courses_text_and_of_its_answers() {
        let spanish_in_english = course(&["es", "en"], Some("en"));
        assert_eq!(spanish_in_english.mark_language(Language::Es), Some("en"));
        assert_eq!(spanish_in_english.mark_language(Language::En), None);
        assert_eq!(spanish_in_english.answer_language(Language::Es), None);
        assert_eq!(spanish_in_english.answer_language(Language::En), None);
        let unnamed = course(&["es", "en"], None);
        assert_eq!(unnamed.mark_language(Language::Es), None);
        assert_eq!(unnamed.mark_language(Language::En), None);
        // A report written before `text_language` existed: its only language, as then.
        let old = course(&["en-GB"], None);
        assert_eq!(old.mark_language(Language::Es), Some("en-GB"));
        assert_eq!(old.answer_language(Language::Es), Some("en-GB"));
        assert_eq!(old.mark_language(Language::En), None);
        assert_eq!(course(&[], None).mark_language(Language::Es), None);
    }

    /// A hard item's wrong answers are marked with the language they are typed in where it is
    /// not the report's; an item that says none (a choice, a number, a report made before items
    /// said it) falls back on the course's one language, as every answer was marked then.
    #[test]
    fn the_mark_of_a_hard_items_answers() {
        let hard = |answer_language: Option<&str>| HardItem {
            item_id: "i".into(),
            skill_ids: vec![],
            learners: 1,
            first_answers: 1,
            wrong_first: 1,
            wrong_rate: Some(1.0),
            hints: 0,
            common_wrong_answers: vec![],
            answer_language: answer_language.map(str::to_owned),
        };
        let spanish_in_english = course(&["es", "en"], Some("en"));
        let typed = hard(Some("es"));
        assert_eq!(typed.answer_mark(&spanish_in_english, Language::En), Some("es"));
        assert_eq!(typed.answer_mark(&spanish_in_english, Language::Es), None);
        assert_eq!(hard(Some("en")).answer_mark(&spanish_in_english, Language::Es), Some("en"));
        assert_eq!(hard(None).answer_mark(&spanish_in_english, Language::En), None);
        let fractions = course(&["en"], None);
        assert_eq!(hard(None).answer_mark(&fractions, Language::Es), Some("en"));
        assert_eq!(hard(Some("en")).answer_mark(&fractions, Language::Es), Some("en"));
    }
}
