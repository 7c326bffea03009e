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
use crate::fmt::{date, date_time, duration, opt_date, pct, pct_pm};
use crate::fmt::{learners_line, NOTHING_TO_CALIBRATE, NO_LEARNERS};
use crate::model::*;
use crate::svg::svg;

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
  .ladder-report table, .ladder-report svg, .ladder-report .lr-stall, .ladder-report .lr-focus { break-inside: avoid; }
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

/// The title of a report, as the page and the PDF show it.
pub fn title(report: &Report) -> String {
    match report {
        Report::Learner(r) => format!("Progress report: {}", r.learner.name),
        Report::Class(r) if r.learners.len() == 1 => "Class report: 1 learner".to_owned(),
        Report::Class(r) => format!("Class report: {} learners", r.learners.len()),
    }
}

/// One self-contained page: the fragment with [`REPORT_CSS`] inlined. Opens offline.
pub fn render_html(report: &Report) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{REPORT_CSS}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
        esc(&title(report)),
        render_html_fragment(report)
    )
}

/// The report as one `<div class="ladder-report">`, for a page that loads [`REPORT_CSS`].
pub fn render_html_fragment(report: &Report) -> String {
    let mut o = String::new();
    o.push_str("<div class=\"ladder-report\">\n");
    let meta = report.meta();
    let _ = writeln!(
        o,
        "<header><h1>{}</h1><p class=\"lr-meta\">Made {} · learner model: {}</p></header>",
        esc(&title(report)),
        esc(&date_time(meta.generated_ms)),
        esc(&meta.predictor)
    );
    match report {
        Report::Learner(r) => {
            if r.courses.is_empty() {
                o.push_str("<p>No practice on any installed course yet.</p>\n");
            }
            for lc in &r.courses {
                learner_course(&mut o, lc, meta);
            }
        }
        Report::Class(r) => {
            let names: Vec<String> = r.learners.iter().map(|l| esc(&l.name)).collect();
            let _ = writeln!(o, "<p class=\"lr-meta\">{}</p>", learners_line(&names));
            if r.courses.is_empty() {
                o.push_str("<p>No practice on any installed course yet.</p>\n");
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

fn course_heading(o: &mut String, c: &CourseRef) {
    let _ = writeln!(
        o,
        "<h2>{} <span class=\"lr-muted\">({}, version {})</span></h2>",
        esc(&c.title),
        esc(&c.id),
        esc(&c.version)
    );
}

/// The totals of a learner on a course, as label/value pairs (shared with the PDF).
pub fn totals_pairs(t: &Totals, course: &CourseRef) -> Vec<(&'static str, String)> {
    let hints = if t.hints_by_level.is_empty() {
        "none".to_owned()
    } else {
        t.hints_by_level
            .iter()
            .map(|l| format!("L{}: {}", l.level, l.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        ("First answers", t.first_answers.to_string()),
        ("Right first time", t.correct_first.to_string()),
        ("Accuracy", pct(t.accuracy)),
        ("Items attempted", format!("{} of {}", t.items_attempted, course.items)),
        ("Answers (with retries)", t.answers.to_string()),
        ("Hints by level", hints),
        ("Solutions viewed", t.solutions_viewed.to_string()),
        ("Answers after help", t.hinted_first_answers.to_string()),
        ("Skips", t.skips.to_string()),
        ("Sessions", t.sessions.to_string()),
        ("Time on task", duration(t.time_on_task_ms)),
        (
            "Active",
            match (t.first_activity_ms, t.last_activity_ms) {
                (Some(a), Some(b)) => format!("{} to {}", date(a), date(b)),
                _ => "–".to_owned(),
            },
        ),
        (
            "Day streak (now / best)",
            format!("{} / {}", t.streaks.current_days, t.streaks.longest_days),
        ),
        (
            "Right in a row (now / best)",
            format!("{} / {}", t.streaks.current_correct, t.streaks.longest_correct),
        ),
    ]
}

fn stall_label(k: StallKind) -> &'static str {
    match k {
        StallKind::WheelSpinning => "Wheel-spinning",
        StallKind::FallingRecall => "Falling recall",
    }
}

fn learner_course(o: &mut String, lc: &LearnerCourse, meta: &ReportMeta) {
    o.push_str("<section class=\"lr-course\">\n");
    course_heading(o, &lc.course);
    o.push_str("<dl class=\"lr-totals\">");
    for (k, v) in totals_pairs(&lc.totals, &lc.course) {
        let _ = write!(o, "<div><dt>{}</dt><dd>{}</dd></div>", esc(k), esc(&v));
    }
    o.push_str("</dl>\n<h3>Next recommended focus</h3>\n");
    match &lc.next_focus {
        Some(f) => {
            let _ = writeln!(
                o,
                "<p class=\"lr-focus\"><strong>{}</strong> (item {}, predicted {}): {}</p>",
                esc(&f.skill_name),
                esc(&f.item_id),
                pct(Some(f.predicted)),
                esc(&f.reason)
            );
        }
        None => o.push_str("<p>Nothing to practise in this course.</p>\n"),
    }
    o.push_str("<h3>Skills</h3>\n");
    o.push_str(&svg(&skill_bars(&lc.skills, meta.thresholds.mastery_threshold), "lr-chart"));
    o.push_str(
        "\n<table class=\"lr-skills\"><thead><tr><th>Skill</th><th class=\"lr-num\">First answers</th><th class=\"lr-num\">Right</th><th class=\"lr-num\">Accuracy</th><th class=\"lr-num\">Mastery</th><th class=\"lr-num\">Recall now</th><th>Mastered</th><th>Last practised</th><th>Over time</th></tr></thead><tbody>\n",
    );
    for s in &lc.skills {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            s.attempts,
            s.correct,
            pct(s.accuracy),
            pct_pm(s.mastery, s.uncertainty),
            pct(Some(s.recall)),
            if s.mastered { "yes" } else { "no" },
            opt_date(s.last_practised_ms),
            if s.history.is_empty() { String::new() } else { svg(&mastery_sparkline(&s.history), "lr-spark") }
        );
    }
    o.push_str("</tbody></table>\n<h3>Skills that may stall</h3>\n");
    if lc.stalls.is_empty() {
        o.push_str("<p>None: no skill shows wheel-spinning or falling recall.</p>\n");
    }
    for s in &lc.stalls {
        let _ = writeln!(
            o,
            "<p class=\"lr-stall\"><strong>{}</strong>: {}. {}</p>",
            esc(&s.skill_name),
            stall_label(s.kind),
            esc(&s.evidence)
        );
    }
    calibration_section(o, &lc.calibration, "this learner's");
    o.push_str("</section>\n");
}

fn calibration_section(o: &mut String, cal: &Calibration, whose: &str) {
    o.push_str("<h3>Can the predictions be trusted?</h3>\n");
    if cal.total == 0 {
        o.push_str(&format!("<p>{NOTHING_TO_CALIBRATE}</p>\n"));
        return;
    }
    let _ = writeln!(
        o,
        "<p>Predicted against observed success on {whose} {} first answers ({} predicted at answer time, {} replayed from the answers before). Calibration error {}, Brier score {}. Dots on the dashed line mean the predictions were right on average.</p>",
        cal.total,
        cal.recorded,
        cal.replayed,
        pct(cal.ece),
        cal.brier.map(|b| format!("{b:.3}")).unwrap_or_else(|| "–".to_owned())
    );
    o.push_str(&svg(&calibration_chart(cal), "lr-chart"));
    o.push_str("\n<table class=\"lr-calibration\"><thead><tr><th>Predicted</th><th class=\"lr-num\">Answers</th><th class=\"lr-num\">Mean predicted</th><th class=\"lr-num\">Observed</th></tr></thead><tbody>\n");
    for b in cal.bins.iter().filter(|b| b.count > 0) {
        let _ = writeln!(
            o,
            "<tr><td>{} to {}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td></tr>",
            pct(Some(b.lower)),
            pct(Some(b.upper)),
            b.count,
            pct(b.mean_predicted),
            pct(b.observed)
        );
    }
    o.push_str("</tbody></table>\n");
}

fn class_course(o: &mut String, cc: &ClassCourse, _meta: &ReportMeta) {
    o.push_str("<section class=\"lr-course\">\n");
    course_heading(o, &cc.course);
    if cc.grid.is_empty() {
        o.push_str(&format!("<h3>Learners and skills</h3>\n<p>{NO_LEARNERS}</p>\n"));
        o.push_str("</section>\n");
        return;
    }
    o.push_str("<h3>Learners and skills</h3>\n<p class=\"lr-muted\">Each cell: predicted mastery, then accuracy of the first answers and how many. Green: mastered; an orange frame: the skill may stall.</p>\n<table class=\"lr-grid\"><thead><tr><th>Learner</th><th class=\"lr-num\">First answers</th><th class=\"lr-num\">Accuracy</th>");
    for s in &cc.skills {
        let _ = write!(o, "<th>{}</th>", esc(&s.name));
    }
    o.push_str("</tr></thead><tbody>\n");
    for row in &cc.grid {
        let _ = write!(
            o,
            "<tr><th>{}</th><td class=\"lr-num\">{}</td><td class=\"lr-num\">{}</td>",
            esc(&row.learner.name),
            row.first_answers,
            pct(row.accuracy)
        );
        for c in &row.cells {
            let level =
                if c.mastered { 10 } else { ((c.mastery * 10.0).floor() as i64).clamp(0, 7) };
            let _ = write!(
                o,
                "<td class=\"lr-m{level}{}\">{}<small>{} of {}</small></td>",
                if c.stalled.is_some() { " lr-stalled" } else { "" },
                pct(Some(c.mastery)),
                pct(c.accuracy),
                c.attempts
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n<h3>Learners who need help now</h3>\n");
    if cc.need_help.is_empty() {
        o.push_str("<p>Nobody: no stalled skill and no run of wrong answers.</p>\n");
    }
    for h in &cc.need_help {
        let _ = write!(o, "<div class=\"lr-stall\"><strong>{}</strong><ul>", esc(&h.learner.name));
        for r in &h.reasons {
            let _ = write!(o, "<li>{}</li>", esc(r));
        }
        o.push_str("</ul></div>\n");
    }
    o.push_str("<h3>Hardest items</h3>\n");
    if cc.hardest_items.is_empty() {
        o.push_str("<p>No item was answered wrong first time or needed a hint.</p>\n");
    } else {
        o.push_str("<table class=\"lr-hard\"><thead><tr><th>Item</th><th class=\"lr-num\">Learners</th><th class=\"lr-num\">First answers</th><th class=\"lr-num\">Wrong first</th><th class=\"lr-num\">Hints</th><th>Common wrong answers</th></tr></thead><tbody>\n");
        for h in &cc.hardest_items {
            let wrong: Vec<String> = h
                .common_wrong_answers
                .iter()
                .map(|w| format!("“{}” ×{}", esc(&w.answer), w.count))
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
    calibration_section(o, &cc.calibration, "the class's");
    o.push_str("</section>\n");
}
