//! The HTML form: a whole page ([`render_html`]), or a fragment plus a stylesheet
//! ([`render_html_fragment`], [`REPORT_CSS`]) for the app's tutor area.
//!
//! The fragment has no script, no `style` attribute and no `<style>` element, and refers to no
//! URL: a page with `default-src 'self'` and no `'unsafe-inline'` can show it once it loads
//! [`REPORT_CSS`] as a stylesheet. Every class name starts with `lr-` (the root is
//! `ladder-report`), so the stylesheet touches nothing else of the page. All text from learners
//! and packs goes through [`esc`].

use std::fmt::Write;

use crate::chart::{calibration_chart, mastery_sparkline, skill_bars};
use crate::fmt::{archived_line, learners_line, left_out_line, listed_name, made_line};
use crate::fmt::{
    date, date_time, duration, mastered_cell, not_yet, opt_date, pct, pct_pm, unconfirmed_detail,
};
use crate::i18n::Text as _;
use crate::i18n::{fill, Language};
use crate::model::*;
use crate::svg::svg;
use crate::zone::ReportTimeZone;

/// The stylesheet of the report (screen and print). Scoped under `.ladder-report`.
pub const REPORT_CSS: &str = r#".ladder-report { font-family: Helvetica, Arial, sans-serif; color: #222; line-height: 1.35; max-width: 60rem; margin: 0 auto; padding: 1rem; }
.ladder-report h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.ladder-report h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; border-bottom: 2px solid #3b6fb6; padding-bottom: .2rem; }
.ladder-report h3 { font-size: 1.05rem; margin: 1.1rem 0 .4rem; }
.ladder-report .lr-meta, .ladder-report .lr-muted { color: #666; font-size: .9rem; }
.ladder-report table { border-collapse: collapse; margin: .3rem 0 .8rem; font-size: .9rem; }
.ladder-report th, .ladder-report td { border-bottom: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
.ladder-report th { background: #f2f4f8; }
.ladder-report td.lr-num, .ladder-report th.lr-num { text-align: right; font-variant-numeric: tabular-nums; }
.ladder-report dl.lr-totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .3rem 1rem; margin: .3rem 0; }
.ladder-report dl.lr-totals div { border: 1px solid #e3e6ec; border-radius: 4px; padding: .3rem .5rem; }
.ladder-report dl.lr-totals dt { font-size: .8rem; color: #666; }
.ladder-report dl.lr-totals dd { margin: 0; font-size: 1.05rem; font-weight: bold; }
.ladder-report .lr-focus { background: #eef4e8; border-left: 4px solid #2e8b57; padding: .4rem .7rem; }
.ladder-report .lr-recent { background: #eef2fa; border-left: 4px solid #3b6fb6; padding: .4rem .7rem; }
.ladder-report .lr-stall { background: #fff4e0; border-left: 4px solid #e08a00; padding: .3rem .7rem; margin: .3rem 0; }
.ladder-report svg { max-width: 100%; height: auto; }
.ladder-report .lr-scroll { max-width: 100%; overflow-x: auto; }
.ladder-report .lr-grid td { text-align: center; min-width: 4.5rem; }
.ladder-report .lr-grid td small { display: block; color: #444; font-size: .75rem; }
.ladder-report .lr-grid td.lr-stalled { outline: 2px solid #e08a00; outline-offset: -2px; }
.ladder-report .lr-m0 { background: #f7f7f7; } .ladder-report .lr-m1 { background: #f3f6fb; }
.ladder-report .lr-m2 { background: #e8eef8; } .ladder-report .lr-m3 { background: #dde6f4; }
.ladder-report .lr-m4 { background: #d1ddf0; } .ladder-report .lr-m5 { background: #c3d3ea; }
.ladder-report .lr-m6 { background: #b5c9e5; } .ladder-report .lr-m7 { background: #a6bfe0; }
.ladder-report .lr-m8 { background: #c8e6c9; } .ladder-report .lr-m9 { background: #a5d6a7; }
.ladder-report .lr-m10 { background: #81c784; }
.ladder-report .lr-course + .lr-course { margin-top: 2rem; }
@media print {
  @page { size: A4; margin: 14mm; }
  .ladder-report { max-width: none; padding: 0; font-size: 10pt; }
  .ladder-report .lr-course + .lr-course { break-before: page; margin-top: 0; }
  .ladder-report table, .ladder-report svg, .ladder-report .lr-stall, .ladder-report .lr-focus, .ladder-report .lr-recent { break-inside: avoid; }
  .ladder-report .lr-scroll { overflow: visible; }
  .ladder-report h2, .ladder-report h3 { break-after: avoid; }
  .ladder-report th { background: #f2f4f8; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .ladder-report .lr-grid td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The title of a report, as the page and the PDF show it (in the report's language).
pub fn title(report: &Report) -> String {
    let t = report.meta().language.text();
    match report {
        Report::Learner(r) => fill(t.title_learner, &[("name", &r.learner.name)]),
        Report::Class(r) if r.learners.len() == 1 => t.title_class_one.to_owned(),
        Report::Class(r) => fill(t.title_class_many, &[("n", &r.learners.len())]),
    }
}

/// One self-contained page: the fragment with [`REPORT_CSS`] inlined. Opens offline.
pub fn render_html(report: &Report) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{REPORT_CSS}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
        report.meta().language.tag(),
        esc(&title(report)),
        render_html_fragment(report)
    )
}

/// The report as one `<div class="ladder-report">`, for a page that loads [`REPORT_CSS`].
pub fn render_html_fragment(report: &Report) -> String {
    let mut o = String::new();
    o.push_str("<div class=\"ladder-report\">\n");
    let meta = report.meta();
    let t = meta.language.text();
    let _ = writeln!(
        o,
        "<header><h1>{}</h1><p class=\"lr-meta\">{}</p></header>",
        esc(&title(report)),
        esc(&made_line(meta))
    );
    if let Some(line) = left_out_line(meta) {
        let _ = writeln!(o, "<p class=\"lr-meta\">{}</p>", esc(&line));
    }
    if let Some(line) = archived_line(report) {
        let _ = writeln!(o, "<p class=\"lr-meta\">{}</p>", esc(&line));
    }
    match report {
        Report::Learner(r) => {
            if r.courses.is_empty() {
                let _ = writeln!(o, "<p>{}</p>", t.no_practice);
            }
            for lc in &r.courses {
                learner_course(&mut o, lc, meta);
            }
        }
        Report::Class(r) => {
            let names: Vec<String> =
                r.learners.iter().map(|l| esc(&listed_name(l, meta.language))).collect();
            let _ =
                writeln!(o, "<p class=\"lr-meta\">{}</p>", learners_line(&names, meta.language));
            if r.courses.is_empty() {
                let _ = writeln!(o, "<p>{}</p>", t.no_practice);
            }
            for cc in &r.courses {
                class_course(&mut o, cc, meta);
            }
        }
    }
    o.push_str("</div>\n");
    // Every table in a box that scrolls sideways when the table is wider than the page (a class
    // grid of ten skills), so that the report never widens the window or the app's screen.
    o.replace("<table ", "<div class=\"lr-scroll\"><table ").replace("</table>", "</table></div>")
}

/// The course's text `s` (a title, a skill's name), escaped and marked with
/// the language of the course's text where it is not the report's ([`CourseRef::mark_language`]).
fn pack_text(c: &CourseRef, lang: Language, s: &str) -> String {
    marked(c.mark_language(lang), s)
}

/// A learner's answer `s` to the item `h` of the course, escaped and marked as
/// [`HardItem::answer_mark`] says.
fn answer_text(c: &CourseRef, h: &HardItem, lang: Language, s: &str) -> String {
    marked(h.answer_mark(c, lang), s)
}

fn marked(tag: Option<&str>, s: &str) -> String {
    match tag {
        Some(tag) => format!("<span lang=\"{}\">{}</span>", esc(tag), esc(s)),
        None => esc(s),
    }
}

fn course_heading(o: &mut String, c: &CourseRef, lang: Language) {
    let t = lang.text();
    let _ = writeln!(
        o,
        "<h2>{} <span class=\"lr-muted\">{}</span></h2>",
        pack_text(c, lang, &c.title),
        fill(t.course_version, &[("id", &esc(&c.id)), ("version", &esc(&c.version))])
    );
}

/// The totals of a learner on a course, as label/value pairs (shared with the PDF).
pub fn totals_pairs(
    tot: &Totals,
    course: &CourseRef,
    language: Language,
    zone: &ReportTimeZone,
) -> Vec<(&'static str, String)> {
    let t = language.text();
    let hints = if tot.hints_by_level.is_empty() {
        t.hints_none.to_owned()
    } else {
        tot.hints_by_level
            .iter()
            .map(|l| fill(t.hint_level, &[("level", &l.level), ("count", &l.count)]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        (t.first_answers, tot.first_answers.to_string()),
        (t.right_first_time, tot.correct_first.to_string()),
        (t.accuracy, pct(tot.accuracy)),
        (
            t.items_attempted,
            fill(t.of_total, &[("n", &tot.items_attempted), ("total", &course.items)]),
        ),
        (t.answers_with_retries, tot.answers.to_string()),
        (t.hints_by_level, hints),
        (t.solutions_viewed, tot.solutions_viewed.to_string()),
        (t.answers_after_help, tot.hinted_first_answers.to_string()),
        (t.skips, tot.skips.to_string()),
        (t.sessions, tot.sessions.to_string()),
        (t.time_on_task, duration(tot.time_on_task_ms)),
        (
            t.active,
            match (tot.first_activity_ms, tot.last_activity_ms) {
                (Some(a), Some(b)) => {
                    fill(t.active_span, &[("from", &date(a, zone)), ("to", &date(b, zone))])
                }
                _ => "–".to_owned(),
            },
        ),
        (t.day_streak, format!("{} / {}", tot.streaks.current_days, tot.streaks.longest_days)),
        (
            t.right_in_a_row,
            format!("{} / {}", tot.streaks.current_correct, tot.streaks.longest_correct),
        ),
    ]
}

/// The recent block's heading and the class grid's column: "Last 7 days" ("Since yesterday" for one).
pub fn recent_heading(days: u32, language: Language) -> String {
    let t = language.text();
    if days == 1 {
        t.recent_heading_one.to_owned()
    } else {
        fill(t.recent_heading_many, &[("days", &days)])
    }
}

/// What the recent block says (shared with the PDF): "12 first answers, 75% right, 3 sessions,
/// 42 min; newly mastered: Equivalent fractions." or "No practice in the last 7 days.".
/// `group`: a class's "learners who practised: 3 of 4" first.
pub fn recent_summary(
    r: &RecentFigures,
    days: u32,
    group: Option<(u32, usize)>,
    language: Language,
) -> String {
    let t = language.text();
    if r.is_idle() && !r.answered_ever {
        return if group.is_some() { t.recent_never_group } else { t.recent_never_learner }
            .to_owned();
    }
    if r.is_idle() {
        return if days == 1 {
            t.recent_none_one.to_owned()
        } else {
            fill(t.recent_none_many, &[("days", &days)])
        };
    }
    let plural = |n: u32, one: &str, many: &str| {
        if n == 1 {
            one.to_owned()
        } else {
            fill(many, &[("n", &n)])
        }
    };
    let mut figures =
        vec![plural(r.first_answers, t.recent_first_answers_one, t.recent_first_answers_many)];
    if r.first_answers > 0 {
        figures.push(fill(t.recent_right, &[("accuracy", &pct(r.accuracy))]));
    }
    // "100% right" of a learner who opened the solution each time is no success: how many of
    // those first answers came after help, as the totals and "needs help" count them.
    if r.hinted_first > 0 {
        figures.push(fill(t.recent_after_help, &[("n", &r.hinted_first)]));
    }
    figures.push(plural(r.sessions, t.recent_sessions_one, t.recent_sessions_many));
    figures.push(duration(r.time_on_task_ms));
    let mut parts = Vec::new();
    if let Some((active, n)) = group {
        parts.push(fill(t.recent_learners, &[("active", &active), ("n", &n)]));
    }
    parts.push(figures.join(", "));
    if !r.practised.is_empty() {
        parts.push(fill(t.recent_practised, &[("skills", &r.practised.join(", "))]));
    }
    if !r.newly_mastered.is_empty() {
        parts.push(fill(t.recent_newly_mastered, &[("skills", &r.newly_mastered.join(", "))]));
    }
    if r.newly_mastered_count > 0 {
        parts.push(plural(
            r.newly_mastered_count,
            t.recent_mastered_count_one,
            t.recent_mastered_count_many,
        ));
    }
    format!("{}.", parts.join("; "))
}

/// The label before [`recent_summary`]: "Last 7 days" ([`recent_heading`]), or none for a window
/// with nothing in it, whose sentence ("No practice in the last 7 days.") already names it.
pub fn recent_label(r: &RecentFigures, days: u32, language: Language) -> Option<String> {
    (!r.is_idle()).then(|| recent_heading(days, language))
}

/// The figures [`recent_summary`] writes: a learner's (skill names) or a class's (counts).
pub struct RecentFigures {
    pub first_answers: u32,
    pub accuracy: Option<f64>,
    /// Of the first answers, those given after a hint or the worked solution.
    pub hinted_first: u32,
    pub answers: u32,
    pub hints: u32,
    pub sessions: u32,
    pub time_on_task_ms: i64,
    /// Names of the skills practised (a learner).
    pub practised: Vec<String>,
    /// Names of the skills newly mastered (a learner).
    pub newly_mastered: Vec<String>,
    /// Skills newly mastered, learner × skill (a class).
    pub newly_mastered_count: u32,
    /// Some answer on the course in the whole history (the learner's, or anyone's in the
    /// group): without one, an idle window is said as "No answers on this course yet.".
    pub answered_ever: bool,
}

impl RecentFigures {
    /// Nothing in the window: no first answer, answer, hint, session or newly mastered skill.
    pub fn is_idle(&self) -> bool {
        self.first_answers == 0
            && self.answers == 0
            && self.hints == 0
            && self.sessions == 0
            && self.newly_mastered.is_empty()
            && self.newly_mastered_count == 0
    }

    /// A learner's window, skill ids named as the course names them.
    pub fn learner(r: &Recent, skills: &[SkillRow], totals: &Totals) -> Self {
        let names = |ids: &[String]| -> Vec<String> {
            ids.iter()
                .map(|id| skills.iter().find(|s| &s.id == id).map_or(id, |s| &s.name).clone())
                .collect()
        };
        RecentFigures {
            first_answers: r.first_answers,
            accuracy: r.accuracy,
            hinted_first: r.hinted_first_answers,
            answers: r.answers,
            hints: r.hints,
            sessions: r.sessions,
            time_on_task_ms: r.time_on_task_ms,
            practised: names(&r.skills_practised),
            newly_mastered: names(&r.newly_mastered),
            newly_mastered_count: 0,
            answered_ever: totals.answers > 0,
        }
    }

    /// A class's window.
    pub fn group(r: &GroupRecent, grid: &[GridRow]) -> Self {
        RecentFigures {
            first_answers: r.first_answers,
            accuracy: r.accuracy,
            hinted_first: r.hinted_first_answers,
            answers: r.answers,
            hints: r.hints,
            sessions: r.sessions,
            time_on_task_ms: r.time_on_task_ms,
            practised: Vec::new(),
            newly_mastered: Vec::new(),
            newly_mastered_count: r.newly_mastered,
            answered_ever: grid.iter().any(|row| row.first_answers > 0),
        }
    }
}

/// A learner's cell in the class grid's recent column: "12 (75%)", or "0".
pub fn recent_cell(row: &GridRow) -> String {
    if row.recent_first_answers == 0 {
        "0".to_owned()
    } else {
        format!("{} ({})", row.recent_first_answers, pct(row.recent_accuracy))
    }
}

/// The name of a stall kind, as the screen shows it.
pub fn stall_label(s: &Stall, language: Language) -> &'static str {
    let t = language.text();
    match s.kind {
        StallKind::WheelSpinning => t.wheel_spinning,
        StallKind::FallingRecall if s.learnt => t.falling_recall,
        StallKind::FallingRecall => t.falling_mastery,
        StallKind::AnswersDisagree => t.answers_disagree,
    }
}

/// The recent block: "<strong>Last 7 days:</strong> 12 first answers, ...", or "No practice in
/// the last 7 days." alone.
fn recent_paragraph(
    o: &mut String,
    r: &RecentFigures,
    days: u32,
    group: Option<(u32, usize)>,
    lang: Language,
) {
    let summary = esc(&recent_summary(r, days, group, lang));
    let _ = match recent_label(r, days, lang) {
        Some(label) => {
            writeln!(o, "<p class=\"lr-recent\"><strong>{}:</strong> {summary}</p>", esc(&label))
        }
        None => writeln!(o, "<p class=\"lr-recent\">{summary}</p>"),
    };
}

fn learner_course(o: &mut String, lc: &LearnerCourse, meta: &ReportMeta) {
    let lang = meta.language;
    let t = lang.text();
    o.push_str("<section class=\"lr-course\">\n");
    course_heading(o, &lc.course, lang);
    recent_paragraph(
        o,
        &RecentFigures::learner(&lc.recent, &lc.skills, &lc.totals),
        lc.recent.days,
        None,
        lang,
    );
    o.push_str("<dl class=\"lr-totals\">");
    for (k, v) in totals_pairs(&lc.totals, &lc.course, lang, &meta.time_zone) {
        let _ = write!(o, "<div><dt>{}</dt><dd>{}</dd></div>", esc(k), esc(&v));
    }
    let _ = writeln!(o, "</dl>\n<h3>{}</h3>", t.next_focus);
    match &lc.next_focus {
        Some(f) => {
            let _ = writeln!(
                o,
                "<p class=\"lr-focus\">{}<strong>{}</strong> {}: {}</p>",
                f.on_screen.map_or(String::new(), |o| format!(
                    "{} ",
                    esc(&fill(
                        t.focus_on_screen,
                        &[("time", &date_time(o.shown_ms, &meta.time_zone))]
                    ))
                )),
                pack_text(&lc.course, lang, &f.skill_name),
                fill(
                    t.focus_item,
                    &[("item", &esc(&f.item_id)), ("predicted", &pct(Some(f.predicted)))]
                ),
                esc(&f.reason)
            );
        }
        None => {
            let _ = writeln!(o, "<p>{}</p>", t.nothing_to_practise);
        }
    }
    let _ = writeln!(o, "<h3>{}</h3>", t.skills);
    o.push_str(&svg(&skill_bars(&lc.skills, meta.thresholds.mastery_threshold, lang), "lr-chart"));
    let _ = writeln!(
        o,
        "\n<table class=\"lr-skills\"><thead><tr><th>{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t.skill,
        t.first_answers,
        t.right,
        t.accuracy,
        t.mastery,
        t.recall_now,
        t.mastered,
        t.last_practised,
        t.over_time
    );
    for s in &lc.skills {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            pack_text(&lc.course, lang, &s.name),
            s.attempts,
            s.correct,
            pct(s.accuracy),
            pct_pm(s.mastery, s.uncertainty),
            pct(Some(s.recall)),
            mastered_cell(s, lang),
            opt_date(s.last_practised_ms, &meta.time_zone),
            if s.history.is_empty() { String::new() } else { svg(&mastery_sparkline(&s.history, lang), "lr-spark") }
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    let unconfirmed: Vec<String> = not_yet(&lc.skills)
        .map(|(s, u)| {
            let name = pack_text(&lc.course, lang, &s.name);
            format!("{name} ({})", esc(&unconfirmed_detail(u, lang)))
        })
        .collect();
    if !unconfirmed.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"lr-note\" data-testid=\"unconfirmed\">{} {}.</p>",
            esc(t.unconfirmed_lead),
            unconfirmed.join("; ")
        );
    }
    let _ = writeln!(o, "<h3>{}</h3>", t.may_stall);
    if lc.stalls.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", t.no_stalls);
    }
    for s in &lc.stalls {
        let _ = writeln!(
            o,
            "<p class=\"lr-stall\"><strong>{}</strong>: {}. {}</p>",
            pack_text(&lc.course, lang, &s.skill_name),
            stall_label(s, lang),
            esc(&s.evidence)
        );
    }
    calibration_section(o, &lc.calibration, false, lang);
    o.push_str("</section>\n");
}

/// The calibration section of a learner's or (`class`) a class's first answers.
fn calibration_section(o: &mut String, cal: &Calibration, class: bool, lang: Language) {
    let t = lang.text();
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.calibration_heading));
    if cal.total == 0 {
        let _ = writeln!(o, "<p>{}</p>", esc(&nothing_to_calibrate(cal, class, lang)));
        return;
    }
    let _ = writeln!(o, "<p>{}</p>", calibration_summary(cal, class, lang));
    o.push_str(&svg(&calibration_chart(cal, lang), "lr-chart"));
    let _ = writeln!(
        o,
        "\n<table class=\"lr-calibration\"><thead><tr><th>{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th></tr></thead><tbody>",
        t.predicted, t.answers, t.mean_predicted, t.observed
    );
    for b in cal.bins.iter().filter(|b| b.count > 0) {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td></tr>",
            fill(t.bin_range, &[("from", &pct(Some(b.lower))), ("to", &pct(Some(b.upper)))]),
            b.count,
            pct(b.mean_predicted),
            pct(b.observed)
        );
    }
    o.push_str("</tbody></table>\n");
}

/// The sentence above the calibration chart (shared with the PDF), for a learner's or (`class`)
/// a class's first answers, in the singular for one.
pub fn calibration_summary(cal: &Calibration, class: bool, lang: Language) -> String {
    let t = lang.text();
    let counted = match (class, cal.total) {
        (false, 1) => t.calibration_learner_one,
        (false, _) => t.calibration_learner_many,
        (true, 1) => t.calibration_class_one,
        (true, _) => t.calibration_class_many,
    };
    let details = fill(
        t.calibration_details,
        &[
            ("recorded", &cal.recorded),
            ("replayed", &cal.replayed),
            ("ece", &pct(cal.ece)),
            ("brier", &cal.brier.map(|b| format!("{b:.3}")).unwrap_or_else(|| "–".to_owned())),
        ],
    );
    let mut out = format!("{} {details}", fill(counted, &[("total", &cal.total)]));
    if cal.helped > 0 {
        out.push(' ');
        out.push_str(&if cal.helped == 1 {
            t.calibration_left_out_one.to_owned()
        } else {
            fill(t.calibration_left_out_many, &[("n", &cal.helped)])
        });
    }
    out
}

/// What the calibration section says instead of a chart when no first answer was given
/// without help (shared with the PDF): none at all, or every one after help.
pub fn nothing_to_calibrate(cal: &Calibration, class: bool, lang: Language) -> String {
    let t = lang.text();
    let template = match (class, cal.helped) {
        (_, 0) => return t.nothing_to_calibrate.to_owned(),
        (false, 1) => t.calibration_all_helped_learner_one,
        (false, _) => t.calibration_all_helped_learner_many,
        (true, 1) => t.calibration_all_helped_class_one,
        (true, _) => t.calibration_all_helped_class_many,
    };
    fill(template, &[("n", &cal.helped)])
}

fn class_course(o: &mut String, cc: &ClassCourse, meta: &ReportMeta) {
    let lang = meta.language;
    let t = lang.text();
    o.push_str("<section class=\"lr-course\">\n");
    course_heading(o, &cc.course, lang);
    if cc.grid.is_empty() {
        let _ = writeln!(o, "<h3>{}</h3>\n<p>{}</p>", t.learners_and_skills, t.no_learners);
        o.push_str("</section>\n");
        return;
    }
    let recent = recent_heading(cc.recent.days, lang);
    let group = Some((cc.recent.learners_active, cc.grid.len()));
    recent_paragraph(o, &RecentFigures::group(&cc.recent, &cc.grid), cc.recent.days, group, lang);
    let _ = write!(
        o,
        "<h3>{}</h3>\n<p class=\"lr-muted\">{}</p>\n<table class=\"lr-grid\"><thead><tr><th>{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{recent}</th>",
        t.learners_and_skills, t.grid_note_html, t.learner, t.first_answers, t.accuracy
    );
    for s in &cc.skills {
        let _ = write!(o, "<th>{}</th>", pack_text(&cc.course, lang, &s.name));
    }
    o.push_str("</tr></thead><tbody>\n");
    for row in &cc.grid {
        let _ = write!(
            o,
            "<tr><th>{}</th><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td>",
            esc(&row.learner.name),
            row.first_answers,
            pct(row.accuracy),
            recent_cell(row)
        );
        for c in &row.cells {
            let level =
                if c.mastered { 10 } else { ((c.mastery * 10.0).floor() as i64).clamp(0, 7) };
            let _ = write!(
                o,
                "<td class=\"lr-m{level}{}\">{}<small>{}</small></td>",
                if c.stalled.is_some() { " lr-stalled" } else { "" },
                pct(Some(c.mastery)),
                fill(t.of_total, &[("n", &pct(c.accuracy)), ("total", &c.attempts)])
            );
        }
        o.push_str("</tr>\n");
    }
    let _ = writeln!(o, "</tbody></table>\n<h3>{}</h3>", t.need_help);
    if cc.need_help.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", t.nobody);
    }
    for h in &cc.need_help {
        let _ = write!(o, "<div class=\"lr-stall\"><strong>{}</strong><ul>", esc(&h.learner.name));
        for r in &h.reasons {
            let _ = write!(o, "<li>{}</li>", esc(r));
        }
        o.push_str("</ul></div>\n");
    }
    let _ = writeln!(o, "<h3>{}</h3>", t.hardest_items);
    if cc.hardest_items.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", t.no_hard_items);
    } else {
        let _ = writeln!(
            o,
            "<table class=\"lr-hard\"><thead><tr><th>{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th class=\"lr-num\">{}</th><th>{}</th></tr></thead><tbody>",
            t.item, t.learners, t.first_answers, t.wrong_first, t.hints, t.common_wrong_answers
        );
        for h in &cc.hardest_items {
            let wrong: Vec<String> = h
                .common_wrong_answers
                .iter()
                .map(|w| format!("“{}” ×{}", answer_text(&cc.course, h, lang, &w.answer), w.count))
                .collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{} ({})</td><td class=\"lr-num\">{}</td><td>{}</td></tr>",
                esc(&h.item_id),
                h.learners,
                h.first_answers,
                h.wrong_first,
                pct(h.wrong_rate),
                h.hints,
                wrong.join(", ")
            );
        }
        o.push_str("</tbody></table>\n");
    }
    calibration_section(o, &cc.calibration, true, lang);
    o.push_str("</section>\n");
}
