//! How figures are written, shared by the HTML, PDF and CSV forms so that they print the same
//! text for the same value (the PDF test compares them with the JSON through these functions).

use crate::i18n::Text as _;
use crate::i18n::{fill, Language};

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

/// A UTC date "2026-11-26" for Unix milliseconds.
pub fn date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A UTC date and time "2026-11-26 14:05 UTC".
pub fn date_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", date(ms), secs / 3600, (secs % 3600) / 60)
}

/// An optional date, "–" when absent.
pub fn opt_date(ms: Option<i64>) -> String {
    ms.map(date).unwrap_or_else(|| "–".to_owned())
}

/// Days since the epoch to a proleptic Gregorian (year, month, day) (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
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
        assert_eq!(pct(Some(0.1249)), "12%");
        assert_eq!(pct(Some(1.0)), "100%");
        assert_eq!(pct(Some(0.0)), "0%");
        assert_eq!(pct_pm(0.8, 0.05), "80% ± 5%");
        assert_eq!(duration(59_999), "59 s");
        assert_eq!(duration(125_000), "2 min");
        assert_eq!(duration(2 * 3_600_000 + 5 * 60_000), "2 h 05 min");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_764_115_200_000), "2025-11-26");
        assert_eq!(
            date_time(1_764_115_200_000 + 3_600_000 * 14 + 60_000 * 5),
            "2025-11-26 14:05 UTC"
        );
        assert_eq!(date(951_782_400_000), "2000-02-29");
    }
}
