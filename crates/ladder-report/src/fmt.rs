//! How figures are written, shared by the HTML, PDF and CSV forms so that they print the same
//! text for the same value (the PDF test compares them with the JSON through these functions).

use crate::i18n::Text as _;
use crate::i18n::{fill, Language};
use crate::zone::ReportTimeZone;

/// A probability or rate as a whole percentage ("72%"); "–" when there is nothing to count.
pub fn pct(p: Option<f64>) -> String {
    match p {
        // Half a point rounds up, as the app's screens round (`Math.round`), and a value kept
        // to four decimals (0.285, stored as 0.28499999...) is nudged back before rounding, so
        // that a report never shows one point less than the screen for the same estimate.
        Some(p) if p.is_finite() => {
            format!("{:.0}%", ((p * 100.0).clamp(0.0, 100.0) + 1e-6).round())
        }
        _ => "–".to_owned(),
    }
}

/// Mastery with its uncertainty: "72% ± 9%".
pub fn pct_pm(p: f64, sd: f64) -> String {
    format!("{} ± {}", pct(Some(p)), pct(Some(sd)))
}

/// A duration: "45 s", "12 min", "2 h 05 min".
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    }
}

/// The date "2026-11-26" of Unix milliseconds in the report's time zone.
pub fn date(ms: i64, zone: &ReportTimeZone) -> String {
    let d = zone.date(ms);
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The date and time "2026-11-26 14:05" of Unix milliseconds in the report's time zone (which
/// the report names once, in its header).
pub fn date_time(ms: i64, zone: &ReportTimeZone) -> String {
    let (d, h, m) = zone.date_time(ms);
    format!("{:04}-{:02}-{:02} {h:02}:{m:02}", d.year(), d.month(), d.day())
}

/// An optional date, "–" when absent.
pub fn opt_date(ms: Option<i64>, zone: &ReportTimeZone) -> String {
    ms.map(|ms| date(ms, zone)).unwrap_or_else(|| "–".to_owned())
}

/// The header's line: when the report was made, in which time zone its times and days are, and
/// the learner model ("Made 2026-11-26 15:05 · times in Europe/Madrid (UTC+01:00) · learner
/// model: online-logistic"); a computer whose zone was not found says so ("UTC (this computer's
/// time zone was not found)").
pub fn made_line(meta: &crate::model::ReportMeta) -> String {
    let t = meta.language.text();
    let zone = meta.time_zone.describe(meta.generated_ms);
    let zone =
        if meta.time_zone_fallback { fill(t.zone_not_found, &[("zone", &zone)]) } else { zone };
    fill(
        t.made,
        &[
            ("when", &date_time(meta.generated_ms, &meta.time_zone)),
            ("zone", &zone),
            ("model", &meta.predictor),
        ],
    )
}

/// The courses the report leaves out as not installed, "Left out, as not installed on this
/// device (...): Spanish A1 (spanish-a1)." (a semicolon between courses, as titles may hold
/// commas); `None` when there are none.
pub fn left_out_line(meta: &crate::model::ReportMeta) -> Option<String> {
    if meta.left_out.is_empty() {
        return None;
    }
    let courses: Vec<String> = meta.left_out.iter().map(|c| c.label()).collect();
    Some(fill(meta.language.text().left_out, &[("courses", &courses.join("; "))]))
}

/// A learner's name as the list of a class's learners gives it: "Ben (archived)" for one
/// archived when the report was made.
pub fn listed_name(l: &crate::model::LearnerRef, language: Language) -> String {
    match l.archived_ms {
        Some(_) => fill(language.text().archived_name, &[("name", &l.name)]),
        None => l.name.clone(),
    }
}

/// A learner report's line on a learner archived when it was made ("Archived on 2026-11-27:
/// ..."), in the header under the "Made" line.
pub fn archived_line(report: &crate::model::Report) -> Option<String> {
    let crate::model::Report::Learner(r) = report else { return None };
    let meta = &r.meta;
    let at = r.learner.archived_ms?;
    Some(fill(meta.language.text().archived_learner, &[("date", &date(at, &meta.time_zone))]))
}

/// "Learners: Ana; Smith, John" (a semicolon, since names may hold commas), or "Learners: none"
/// (in the report's language).
pub fn learners_line(names: &[String], language: Language) -> String {
    let t = language.text();
    if names.is_empty() {
        t.learners_none.to_owned()
    } else {
        fill(t.learners_list, &[("names", &names.join("; "))])
    }
}

/// The "Mastered" cell of a learner's skill: "yes", "no", or "not yet" for a skill the model is
/// confident of whose latest answers do not back it yet ([`crate::model::SkillRow::unconfirmed`]).
pub fn mastered_cell(s: &crate::model::SkillRow, language: Language) -> &'static str {
    let t = language.text();
    match (s.mastered, s.unconfirmed.is_some()) {
        (true, _) => t.yes,
        (false, true) => t.not_yet,
        (false, false) => t.no,
    }
}

/// The skills of a learner's course that read "not yet", with their latest answers.
pub fn not_yet(
    skills: &[crate::model::SkillRow],
) -> impl Iterator<Item = (&crate::model::SkillRow, &crate::model::Unconfirmed)> {
    skills.iter().filter_map(|s| Some((s, s.unconfirmed.as_ref()?)))
}

/// What the latest answers of a "not yet" skill were: "2 of the last 5 answers right, 4 needed".
pub fn unconfirmed_detail(u: &crate::model::Unconfirmed, language: Language) -> String {
    fill(
        language.text().unconfirmed_detail,
        &[("right", &u.right), ("answers", &u.answers), ("needed", &u.needed)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_print_as_documented() {
        assert_eq!(pct(Some(0.724)), "72%");
        assert_eq!(pct(None), "–");
        assert_eq!(learners_line(&[], Language::En), "Learners: none");
        assert_eq!(
            learners_line(&["Smith, John".into(), "Ana".into()], Language::En),
            "Learners: Smith, John; Ana"
        );
        assert_eq!(learners_line(&[], Language::Es), "Alumnos: ninguno");
        // Half a point rounds up, as the screen's Math.round does (12.5% was "12%").
        assert_eq!(pct(Some(0.1250)), "13%");
        assert_eq!(pct(Some(0.2850)), "29%");
        assert_eq!(pct(Some(0.205)), "21%");
        assert_eq!(pct(Some(0.1249)), "12%");
        assert_eq!(pct(Some(1.0)), "100%");
        assert_eq!(pct(Some(0.0)), "0%");
        assert_eq!(pct_pm(0.8, 0.05), "80% ± 5%");
        assert_eq!(duration(59_999), "59 s");
        assert_eq!(duration(125_000), "2 min");
        assert_eq!(duration(2 * 3_600_000 + 5 * 60_000), "2 h 05 min");
        let utc = ReportTimeZone::utc();
        assert_eq!(date(0, &utc), "1970-01-01");
        assert_eq!(date(1_764_115_200_000, &utc), "2025-11-26");
        let at = 1_764_115_200_000 + 3_600_000 * 14 + 60_000 * 5;
        assert_eq!(date_time(at, &utc), "2025-11-26 14:05");
        assert_eq!(date(951_782_400_000, &utc), "2000-02-29");
        // 14:05 UTC is 15:05 in Madrid and 08:05 in Mexico City; 02:00 UTC is the day before.
        let madrid = ReportTimeZone::named("Europe/Madrid").expect("Europe/Madrid");
        let mexico = ReportTimeZone::named("America/Mexico_City").expect("America/Mexico_City");
        assert_eq!(date_time(at, &madrid), "2025-11-26 15:05");
        assert_eq!(date_time(at, &mexico), "2025-11-26 08:05");
        assert_eq!(date(1_764_115_200_000 + 2 * 3_600_000, &mexico), "2025-11-25");
    }
}
