//! The CSV form: one row per learner × skill, and for a class report one more file per table.
//!
//! Files (for `-o out.csv`): `out.csv` (skills; learner and class reports), and for a class
//! report `out-hardest-items.csv`, `out-need-help.csv` and `out-calibration.csv`. Columns are
//! listed in docs/reports.md. Text cells that a spreadsheet would run as a formula (first
//! character `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`; numbers are written
//! as numbers. Rates are fractions with four decimals; an empty cell means "nothing to count".
//! Times are written twice: Unix milliseconds (`last_practised_ms`) for scripts, and the
//! report's wall-clock time with its offset from UTC (`last_practised`, `recent_since`:
//! "2026-11-26T15:05:42+01:00"), so that a tutor reading the file alone knows which zone it is.

use std::path::{Path, PathBuf};

use crate::i18n::Language;
use crate::i18n::Text as _;
use crate::model::*;
use crate::zone::ReportTimeZone;

/// One CSV file of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    /// What goes after the output file's stem: `""` for the main file, `"-hardest-items"`, ...
    pub suffix: String,
    pub contents: String,
}

impl CsvFile {
    /// The file's path for an output path `FILE`: `FILE` itself for the main file, else
    /// `<stem><suffix>.csv` next to it.
    pub fn path_next_to(&self, path: &Path) -> PathBuf {
        if self.suffix.is_empty() {
            return path.to_owned();
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        path.with_file_name(format!("{stem}{}.csv", self.suffix))
    }
}

/// A text cell, neutralised against formula injection and quoted when needed. A cell that a
/// spreadsheet would open as a date (an answer "3/4", "12/3" or "1-2": Excel and Google Sheets
/// show 4 March) gets the same leading `'`, which keeps it as the text written.
pub(crate) fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) || date_like(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Digits in two or three groups joined by `/` or `-` ("3/4", "2025-11-08"): what spreadsheets
/// turn into a date when a CSV is opened.
fn date_like(s: &str) -> bool {
    let groups: Vec<&str> = s.split(['/', '-']).collect();
    (2..=3).contains(&groups.len())
        && groups
            .iter()
            .all(|g| (1..=4).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
}

fn num(x: f64) -> String {
    format!("{x:.4}")
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn opt_i(x: Option<i64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

struct Table {
    out: String,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        let mut out = header.join(",");
        out.push_str("\r\n");
        Table { out }
    }
    fn row(&mut self, cells: Vec<String>) {
        self.out.push_str(&cells.join(","));
        self.out.push_str("\r\n");
    }
}

/// Columns of the main file: per learner × skill, then the learner's course figures, then the
/// recent window's (the learner's course figures in it, and this skill's part in it).
pub const SKILL_COLUMNS: [&str; 32] = [
    "learner_id",
    "learner_name",
    "course_id",
    "skill_id",
    "skill_name",
    "attempts",
    "correct",
    "accuracy",
    "mastery",
    "uncertainty",
    "recall",
    "mastered",
    "unconfirmed_right",
    "unconfirmed_answers",
    "unconfirmed_needed",
    "stalled",
    "last_practised_ms",
    "last_practised",
    "course_first_answers",
    "course_accuracy",
    "recent_days",
    "recent_since",
    "recent_first_answers",
    "recent_correct_first",
    "recent_accuracy",
    "recent_hinted_first_answers",
    "recent_answers",
    "recent_hints",
    "recent_sessions",
    "recent_time_on_task_ms",
    "practised_recently",
    "newly_mastered",
];

/// A learner's recent-window figures on a course, as the main file's columns give them.
struct RecentLine {
    days: u32,
    since_ms: i64,
    first_answers: u32,
    correct_first: u32,
    accuracy: Option<f64>,
    hinted_first_answers: u32,
    answers: u32,
    hints: u32,
    sessions: u32,
    time_on_task_ms: i64,
}

impl RecentLine {
    fn of_learner(r: &Recent) -> Self {
        RecentLine {
            days: r.days,
            since_ms: r.since_ms,
            first_answers: r.first_answers,
            correct_first: r.correct_first,
            accuracy: r.accuracy,
            hinted_first_answers: r.hinted_first_answers,
            answers: r.answers,
            hints: r.hints,
            sessions: r.sessions,
            time_on_task_ms: r.time_on_task_ms,
        }
    }

    fn of_row(group: &GroupRecent, row: &GridRow) -> Self {
        RecentLine {
            days: group.days,
            since_ms: group.since_ms,
            first_answers: row.recent_first_answers,
            correct_first: row.recent_correct_first,
            accuracy: row.recent_accuracy,
            hinted_first_answers: row.recent_hinted_first_answers,
            answers: row.recent_answers,
            hints: row.recent_hints,
            sessions: row.recent_sessions,
            time_on_task_ms: row.recent_time_on_task_ms,
        }
    }
}

/// The `stalled` cell: in English the JSON's code (`wheel_spinning`), in another language the
/// words of the screen, like the other prose of the file (the reasons).
fn stall_name(k: Option<StallKind>, language: Language) -> &'static str {
    let t = language.text();
    match k {
        Some(StallKind::WheelSpinning) => t.csv_wheel_spinning,
        Some(StallKind::FallingRecall) => t.csv_falling_recall,
        Some(StallKind::AnswersDisagree) => t.csv_answers_disagree,
        None => "",
    }
}

/// The figures of one learner × skill row.
struct SkillLine<'a> {
    learner: &'a LearnerRef,
    course: &'a str,
    skill_id: &'a str,
    skill_name: &'a str,
    attempts: u32,
    correct: u32,
    accuracy: Option<f64>,
    mastery: f64,
    uncertainty: f64,
    recall: f64,
    mastered: bool,
    unconfirmed: Option<Unconfirmed>,
    stalled: Option<StallKind>,
    last_practised_ms: Option<i64>,
    course_first_answers: u32,
    course_accuracy: Option<f64>,
    recent: &'a RecentLine,
    practised_recently: bool,
    newly_mastered: bool,
    language: Language,
    zone: &'a ReportTimeZone,
}

fn skill_line(t: &mut Table, s: SkillLine<'_>) {
    t.row(vec![
        s.learner.id.to_string(),
        text(&s.learner.name),
        text(s.course),
        text(s.skill_id),
        text(s.skill_name),
        s.attempts.to_string(),
        s.correct.to_string(),
        opt(s.accuracy),
        num(s.mastery),
        num(s.uncertainty),
        num(s.recall),
        s.mastered.to_string(),
        s.unconfirmed.map(|u| u.right.to_string()).unwrap_or_default(),
        s.unconfirmed.map(|u| u.answers.to_string()).unwrap_or_default(),
        s.unconfirmed.map(|u| u.needed.to_string()).unwrap_or_default(),
        text(stall_name(s.stalled, s.language)),
        opt_i(s.last_practised_ms),
        s.last_practised_ms.map(|ms| s.zone.iso_date_time(ms)).unwrap_or_default(),
        s.course_first_answers.to_string(),
        opt(s.course_accuracy),
        s.recent.days.to_string(),
        s.zone.iso_date_time(s.recent.since_ms),
        s.recent.first_answers.to_string(),
        s.recent.correct_first.to_string(),
        opt(s.recent.accuracy),
        s.recent.hinted_first_answers.to_string(),
        s.recent.answers.to_string(),
        s.recent.hints.to_string(),
        s.recent.sessions.to_string(),
        s.recent.time_on_task_ms.to_string(),
        s.practised_recently.to_string(),
        s.newly_mastered.to_string(),
    ]);
}

/// The CSV files of a report (see the module documentation).
pub fn render_csv(report: &Report) -> Vec<CsvFile> {
    match report {
        Report::Learner(r) => {
            let mut t = Table::new(&SKILL_COLUMNS);
            for lc in &r.courses {
                let recent = RecentLine::of_learner(&lc.recent);
                for s in &lc.skills {
                    let stalled = lc.stalls.iter().find(|x| x.skill_id == s.id).map(|x| x.kind);
                    skill_line(
                        &mut t,
                        SkillLine {
                            learner: &r.learner,
                            course: &lc.course.id,
                            skill_id: &s.id,
                            skill_name: &s.name,
                            attempts: s.attempts,
                            correct: s.correct,
                            accuracy: s.accuracy,
                            mastery: s.mastery,
                            uncertainty: s.uncertainty,
                            recall: s.recall,
                            mastered: s.mastered,
                            unconfirmed: s.unconfirmed,
                            stalled,
                            last_practised_ms: s.last_practised_ms,
                            course_first_answers: lc.totals.first_answers,
                            course_accuracy: lc.totals.accuracy,
                            recent: &recent,
                            practised_recently: lc.recent.skills_practised.contains(&s.id),
                            newly_mastered: lc.recent.newly_mastered.contains(&s.id),
                            language: r.meta.language,
                            zone: &r.meta.time_zone,
                        },
                    );
                }
            }
            vec![CsvFile { suffix: String::new(), contents: t.out }]
        }
        Report::Class(r) => class_files(r),
    }
}

fn class_files(r: &ClassReport) -> Vec<CsvFile> {
    let mut skills = Table::new(&SKILL_COLUMNS);
    let mut hard = Table::new(&[
        "course_id",
        "rank",
        "item_id",
        "skill_ids",
        "learners",
        "first_answers",
        "wrong_first",
        "wrong_rate",
        "hints",
        "wrong_answer_1",
        "count_1",
        "wrong_answer_2",
        "count_2",
        "wrong_answer_3",
        "count_3",
    ]);
    let mut help = Table::new(&["course_id", "learner_id", "learner_name", "reason"]);
    let mut cal = Table::new(&[
        "course_id",
        "bin_lower",
        "bin_upper",
        "count",
        "correct",
        "mean_predicted",
        "observed",
    ]);
    for cc in &r.courses {
        for row in &cc.grid {
            let recent = RecentLine::of_row(&cc.recent, row);
            for (sk, c) in cc.skills.iter().zip(&row.cells) {
                skill_line(
                    &mut skills,
                    SkillLine {
                        learner: &row.learner,
                        course: &cc.course.id,
                        skill_id: &sk.id,
                        skill_name: &sk.name,
                        attempts: c.attempts,
                        correct: c.correct,
                        accuracy: c.accuracy,
                        mastery: c.mastery,
                        uncertainty: c.uncertainty,
                        recall: c.recall,
                        mastered: c.mastered,
                        unconfirmed: c.unconfirmed,
                        stalled: c.stalled,
                        last_practised_ms: c.last_practised_ms,
                        course_first_answers: row.first_answers,
                        course_accuracy: row.accuracy,
                        recent: &recent,
                        practised_recently: c.practised_recently,
                        newly_mastered: c.newly_mastered,
                        language: r.meta.language,
                        zone: &r.meta.time_zone,
                    },
                );
            }
        }
        for (k, h) in cc.hardest_items.iter().enumerate() {
            let mut cells = vec![
                text(&cc.course.id),
                (k + 1).to_string(),
                text(&h.item_id),
                text(&h.skill_ids.join(" ")),
                h.learners.to_string(),
                h.first_answers.to_string(),
                h.wrong_first.to_string(),
                opt(h.wrong_rate),
                h.hints.to_string(),
            ];
            for j in 0..3 {
                match h.common_wrong_answers.get(j) {
                    Some(w) => {
                        cells.push(text(&w.answer));
                        cells.push(w.count.to_string());
                    }
                    None => cells.extend([String::new(), String::new()]),
                }
            }
            hard.row(cells);
        }
        for n in &cc.need_help {
            for reason in &n.reasons {
                help.row(vec![
                    text(&cc.course.id),
                    n.learner.id.to_string(),
                    text(&n.learner.name),
                    text(reason),
                ]);
            }
        }
        for b in &cc.calibration.bins {
            cal.row(vec![
                text(&cc.course.id),
                num(b.lower),
                num(b.upper),
                b.count.to_string(),
                b.correct.to_string(),
                opt(b.mean_predicted),
                opt(b.observed),
            ]);
        }
    }
    vec![
        CsvFile { suffix: String::new(), contents: skills.out },
        CsvFile { suffix: "-hardest-items".into(), contents: hard.out },
        CsvFile { suffix: "-need-help".into(), contents: help.out },
        CsvFile { suffix: "-calibration".into(), contents: cal.out },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_that_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("+1"), "'+1");
        assert_eq!(text("-2"), "'-2");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("\rx"), "\"'\rx\"");
        assert_eq!(text("Ana"), "Ana");
        assert_eq!(text("3/4, 1/2"), "\"3/4, 1/2\"");
        assert_eq!(text("a=b"), "a=b", "only the first character matters");
        // What a spreadsheet would open as a date stays text; numbers and other text do not
        // change.
        assert_eq!(text("3/4"), "'3/4");
        assert_eq!(text("12/3"), "'12/3");
        assert_eq!(text("1-2"), "'1-2");
        assert_eq!(text("2025-11-08"), "'2025-11-08");
        assert_eq!(text("6"), "6");
        assert_eq!(text("1.6"), "1.6");
        assert_eq!(text("1 1/2"), "1 1/2");
        assert_eq!(text("3/4 of a pizza"), "3/4 of a pizza");
        assert_eq!(text("meaning-001"), "meaning-001");
        assert_eq!(text("1/2/3/4"), "1/2/3/4");
    }

    #[test]
    fn output_paths_sit_next_to_the_main_file() {
        let main = CsvFile { suffix: String::new(), contents: String::new() };
        let hard = CsvFile { suffix: "-hardest-items".into(), contents: String::new() };
        let p = Path::new("out/class.csv");
        assert_eq!(main.path_next_to(p), Path::new("out/class.csv"));
        assert_eq!(hard.path_next_to(p), Path::new("out/class-hardest-items.csv"));
    }
}
