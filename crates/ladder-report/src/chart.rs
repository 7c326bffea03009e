//! The report's charts as lists of shapes, drawn once here and rendered twice: as SVG for the
//! HTML form (svg.rs) and as PDF drawing operators (pdf.rs). So the two forms cannot show
//! different charts. Coordinates are points, origin top left, y down (as in SVG).

use crate::fmt::pct;
use crate::i18n::Language;
use crate::i18n::Text as _;
use crate::model::{Calibration, MasteryPoint, SkillRow};

pub const INK: &str = "#222222";
pub const MUTED: &str = "#777777";
pub const GRID: &str = "#dddddd";
pub const MASTERY: &str = "#3b6fb6";
pub const BAND: &str = "#c9d8ee";
pub const ACCURACY: &str = "#e08a00";
pub const GOOD: &str = "#2e8b57";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &'static str,
        width: f64,
        dashed: bool,
    },
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &'static str,
    },
    /// A polygon (closed, filled) or a polyline (open, stroked).
    Path {
        points: Vec<(f64, f64)>,
        fill: Option<&'static str>,
        stroke: Option<&'static str>,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: &'static str,
    },
    Text {
        x: f64,
        y: f64,
        size: f64,
        anchor: Anchor,
        bold: bool,
        fill: &'static str,
        text: String,
    },
}

/// A chart: a size and shapes, with a title for screen readers.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub shapes: Vec<Shape>,
}

impl Chart {
    fn new(width: f64, height: f64, title: impl Into<String>) -> Self {
        Chart { width, height, title: title.into(), shapes: Vec::new() }
    }
    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &'static str, width: f64) {
        self.shapes.push(Shape::Line { x1, y1, x2, y2, stroke, width, dashed: false });
    }
    fn dashed(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &'static str) {
        self.shapes.push(Shape::Line { x1, y1, x2, y2, stroke, width: 0.8, dashed: true });
    }
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &'static str) {
        self.shapes.push(Shape::Rect { x, y, w: w.max(0.0), h: h.max(0.0), fill });
    }
    fn text(&mut self, x: f64, y: f64, size: f64, anchor: Anchor, text: impl Into<String>) {
        self.shapes.push(Shape::Text {
            x,
            y,
            size,
            anchor,
            bold: false,
            fill: INK,
            text: text.into(),
        });
    }
    fn muted(&mut self, x: f64, y: f64, size: f64, anchor: Anchor, text: impl Into<String>) {
        self.shapes.push(Shape::Text {
            x,
            y,
            size,
            anchor,
            bold: false,
            fill: MUTED,
            text: text.into(),
        });
    }
}

/// The width of `c` in em, on the safe side of every font a label may be drawn in: Helvetica's
/// own widths for ASCII (the PDF's font) plus 15% for the sans-serif a browser may put in its
/// place, nothing for a combining mark (it sits on the letter before it), and a whole em for
/// any other character (Cyrillic and Greek capitals, `Æ`, CJK, emoji: none is wider).
fn em_width(c: char) -> f64 {
    let k = c as u32;
    if (32..=126).contains(&k) {
        f64::from(crate::pdf::HELVETICA[(k - 32) as usize]) / 1000.0 * 1.15
    } else if matches!(k, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
    {
        // The combining diacritical marks.
        0.0
    } else {
        1.0
    }
}

/// The width of `s` at `size` points, on the safe side ([`em_width`]).
pub(crate) fn label_width(s: &str, size: f64) -> f64 {
    s.chars().map(em_width).sum::<f64>() * size
}

/// Cuts a label (with "…") to what fits in `max` points at `size`, measured on the safe side:
/// a label is cut by its width, not by counting characters, so one in capitals or in Chinese
/// stays inside its room as well as one in lower case.
fn clip_to_width(s: &str, size: f64, max: f64) -> String {
    if label_width(s, size) <= max {
        return s.to_owned();
    }
    let room = max - label_width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        // A combining mark stays with its letter (`é…`, not `e…`).
        let w = em_width(c) * size;
        if w > 0.0 && used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// The room for a skill's name left of its bar, in points.
const SKILL_LABEL_ROOM: f64 = 205.0;

/// Mastery per skill as bars with their uncertainty (mean ± sd) and plain accuracy as a
/// diamond, with the mastery threshold as a dashed line.
pub fn skill_bars(skills: &[SkillRow], threshold: f64, language: Language) -> Chart {
    let t = language.text();
    let (label_w, bar_w, row_h, top) = (215.0, 260.0, 20.0, 28.0);
    let height = top + row_h * skills.len() as f64 + 26.0;
    let mut c = Chart::new(label_w + bar_w + 60.0, height, t.chart_skills);
    let x0 = label_w;
    let xs = |p: f64| x0 + bar_w * p.clamp(0.0, 1.0);
    // Legend.
    c.rect(x0, 6.0, 10.0, 8.0, MASTERY);
    c.text(x0 + 14.0, 13.5, 8.0, Anchor::Start, t.legend_mastery);
    c.shapes.push(diamond(x0 + 135.0, 10.0, 4.5));
    c.text(x0 + 143.0, 13.5, 8.0, Anchor::Start, t.legend_accuracy);
    for k in 0..=4 {
        let p = f64::from(k) / 4.0;
        let x = xs(p);
        c.line(x, top - 4.0, x, top + row_h * skills.len() as f64, GRID, 0.5);
        c.muted(x, height - 8.0, 7.5, Anchor::Middle, pct(Some(p)));
    }
    for (k, s) in skills.iter().enumerate() {
        let y = top + row_h * k as f64;
        c.text(x0 - 6.0, y + 13.0, 8.5, Anchor::End, clip_to_width(&s.name, 8.5, SKILL_LABEL_ROOM));
        c.rect(x0, y + 4.0, xs(s.mastery) - x0, 10.0, if s.mastered { GOOD } else { MASTERY });
        let (lo, hi) = (xs(s.mastery - s.uncertainty), xs(s.mastery + s.uncertainty));
        c.line(lo, y + 9.0, hi, y + 9.0, INK, 1.0);
        c.line(lo, y + 5.5, lo, y + 12.5, INK, 1.0);
        c.line(hi, y + 5.5, hi, y + 12.5, INK, 1.0);
        if let Some(a) = s.accuracy {
            c.shapes.push(diamond(xs(a), y + 9.0, 4.5));
        }
        c.muted(x0 + bar_w + 6.0, y + 13.0, 8.0, Anchor::Start, pct(Some(s.mastery)));
    }
    let xt = xs(threshold);
    c.dashed(xt, top - 4.0, xt, top + row_h * skills.len() as f64, INK);
    c
}

fn diamond(x: f64, y: f64, r: f64) -> Shape {
    Shape::Path {
        points: vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        fill: Some(ACCURACY),
        stroke: None,
    }
}

/// A skill's mastery over time (one point per session): the line, and a band of ± sd.
pub fn mastery_sparkline(points: &[MasteryPoint], language: Language) -> Chart {
    let (w, h, pad) = (160.0, 36.0, 3.0);
    let mut c = Chart::new(w, h, language.text().chart_sparkline);
    c.line(0.0, h - pad, w, h - pad, GRID, 0.5);
    c.line(0.0, pad, w, pad, GRID, 0.5);
    if points.is_empty() {
        return c;
    }
    let n = points.len();
    let x =
        |k: usize| if n == 1 { w / 2.0 } else { pad + (w - 2.0 * pad) * k as f64 / (n - 1) as f64 };
    let y = |p: f64| h - pad - (h - 2.0 * pad) * p.clamp(0.0, 1.0);
    let mut band: Vec<(f64, f64)> =
        points.iter().enumerate().map(|(k, p)| (x(k), y(p.mastery + p.uncertainty))).collect();
    band.extend(points.iter().enumerate().rev().map(|(k, p)| (x(k), y(p.mastery - p.uncertainty))));
    if n > 1 {
        c.shapes.push(Shape::Path { points: band, fill: Some(BAND), stroke: None });
        c.shapes.push(Shape::Path {
            points: points.iter().enumerate().map(|(k, p)| (x(k), y(p.mastery))).collect(),
            fill: None,
            stroke: Some(MASTERY),
        });
    }
    if let Some(last) = points.last() {
        c.shapes.push(Shape::Circle { cx: x(n - 1), cy: y(last.mastery), r: 2.2, fill: MASTERY });
    }
    c
}

/// Predicted against observed success: one dot per non-empty bin (area by count, labelled with
/// the count) and the diagonal of perfect calibration.
pub fn calibration_chart(cal: &Calibration, language: Language) -> Chart {
    let t = language.text();
    // The y axis's title stands above the plot, not inside it: a model that predicts too low
    // puts its biggest dots in the top-left corner, where they covered it. The room on the
    // right holds the count of a dot at 100%.
    let (size, left, top) = (200.0, 34.0, 24.0);
    let mut c = Chart::new(left + size + 30.0, top + size + 34.0, t.chart_calibration);
    let xs = |p: f64| left + size * p.clamp(0.0, 1.0);
    let ys = |p: f64| top + size * (1.0 - p.clamp(0.0, 1.0));
    for k in 0..=4 {
        let p = f64::from(k) / 4.0;
        c.line(xs(p), top, xs(p), top + size, GRID, 0.5);
        c.line(left, ys(p), left + size, ys(p), GRID, 0.5);
        c.muted(xs(p), top + size + 11.0, 7.5, Anchor::Middle, pct(Some(p)));
        c.muted(left - 4.0, ys(p) + 3.0, 7.5, Anchor::End, pct(Some(p)));
    }
    c.dashed(xs(0.0), ys(0.0), xs(1.0), ys(1.0), MUTED);
    c.text(left + size / 2.0, top + size + 24.0, 8.0, Anchor::Middle, t.axis_predicted);
    c.text(left - 4.0, top - 12.0, 8.0, Anchor::Start, t.axis_observed);
    let max = cal.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let dots: Vec<(f64, f64, f64, u32)> = cal
        .bins
        .iter()
        .filter_map(|b| {
            let (p, o) = (b.mean_predicted?, b.observed?);
            Some((xs(p), ys(o), 2.5 + 6.5 * (f64::from(b.count) / f64::from(max)).sqrt(), b.count))
        })
        .collect();
    for &(cx, cy, r, _) in &dots {
        c.shapes.push(Shape::Circle { cx, cy, r, fill: MASTERY });
    }
    // The counts over every dot: neighbouring bins' dots overlap, and a count drawn before the
    // next dot went under it.
    for &(cx, cy, r, count) in &dots {
        c.muted(cx + r + 2.0, cy + 3.0, 7.0, Anchor::Start, count.to_string());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CalibrationBin;

    fn texts(c: &Chart) -> Vec<(f64, String)> {
        c.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { x, anchor: Anchor::End, text, .. } => Some((*x, text.clone())),
                _ => None,
            })
            .collect()
    }

    fn row(name: &str) -> SkillRow {
        SkillRow {
            id: "s".into(),
            name: name.into(),
            attempts: 3,
            correct: 2,
            accuracy: Some(0.67),
            mastery: 0.6,
            uncertainty: 0.1,
            recall: 0.6,
            mastered: false,
            unconfirmed: None,
            last_practised_ms: None,
            history: Vec::new(),
        }
    }

    /// A skill's name is cut by its width: in lower case, in capitals, in Chinese or Korean it
    /// ends inside the room left of its bar (the chart's left edge is 0), and a name that fits
    /// is drawn whole.
    #[test]
    fn skill_names_are_cut_to_the_room_left_of_their_bars() {
        let names = [
            "Fractions on a number line".to_owned(),
            "A".repeat(39),
            "W".repeat(60),
            "分数与小数的互相转换以及在数轴上的表示方法和比较大小".to_owned(),
            "분수와 소수의 변환 그리고 수직선 위의 표시와 크기 비교 연습".to_owned(),
            "Ш".repeat(40),
            "ΩΦΨ ÆŒ 🧮🧮🧮 ".repeat(6),
            "adding and subtracting with like and unlike denominators and mixed numbers".to_owned(),
        ];
        let rows: Vec<SkillRow> = names.iter().map(|n| row(n)).collect();
        let chart = skill_bars(&rows, 0.75, Language::En);
        let labels = texts(&chart);
        assert_eq!(labels.len(), names.len());
        for ((x, label), name) in labels.iter().zip(&names) {
            let w = label_width(label, 8.5);
            assert!(w <= SKILL_LABEL_ROOM + 1e-9, "{label:?} is {w:.1} pt wide");
            assert!(x - w >= 0.0, "{label:?} starts left of the chart");
            if label_width(name, 8.5) <= SKILL_LABEL_ROOM {
                assert_eq!(label, name, "a name that fits is drawn whole");
            } else {
                assert!(label.ends_with('…') && name.starts_with(label.trim_end_matches('…')));
            }
        }
        assert_eq!(labels[0].1, names[0]);
        // 39 capitals used to be drawn whole (under 40 characters) and ran off the chart.
        assert!(labels[1].1.ends_with('…'), "{:?}", labels[1].1);
        // Cyrillic capitals are as wide as an em in Helvetica and DejaVu alike.
        let cyrillic = &labels[5].1;
        assert!(cyrillic.starts_with('Ш') && cyrillic.chars().count() <= 25, "{cyrillic:?}");
    }

    /// A cut never parts a letter from its accent.
    #[test]
    fn a_cut_keeps_combining_marks_with_their_letter() {
        let name = "e\u{301}".repeat(80);
        let cut = clip_to_width(&name, 8.5, 100.0);
        let body = cut.trim_end_matches('…');
        assert!(body.ends_with('\u{301}'), "{cut:?}");
        assert!(label_width(&cut, 8.5) <= 100.0);
    }

    /// The text boxes of a chart: (left, top, right, bottom) in chart points.
    fn text_boxes(c: &Chart) -> Vec<(String, [f64; 4])> {
        c.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { x, y, size, anchor, text, .. } => {
                    let w = label_width(text, *size);
                    let left = match anchor {
                        Anchor::Start => *x,
                        Anchor::Middle => x - w / 2.0,
                        Anchor::End => x - w,
                    };
                    Some((text.clone(), [left, y - size, left + w, *y]))
                }
                _ => None,
            })
            .collect()
    }

    /// A learner whose answers beat the predictions (low predicted, high observed) puts the
    /// big dots in the top-left corner: the axis's title "observed success" stands above the
    /// plot, so no dot or count covers it, and every dot and label stays inside the chart (in
    /// the PDF "acierto observado" was hidden under a dot of 35 answers and its count).
    #[test]
    fn calibration_dots_never_cover_the_axis_titles() {
        let bin = |lower: f64, count: u32, mean: f64, observed: f64| CalibrationBin {
            lower,
            upper: lower + 0.1,
            count,
            correct: (f64::from(count) * observed).round() as u32,
            mean_predicted: Some(mean),
            observed: Some(observed),
        };
        let cal = Calibration {
            total: 247,
            recorded: 247,
            replayed: 0,
            helped: 0,
            bins: vec![
                bin(0.0, 40, 0.05, 1.0),
                bin(0.1, 35, 0.16, 0.97),
                bin(0.2, 32, 0.23, 0.94),
                bin(0.9, 140, 0.99, 1.0),
            ],
            ece: Some(0.7),
            brier: Some(0.5),
        };
        for lang in Language::ALL {
            let t = lang.text();
            let c = calibration_chart(&cal, lang);
            let boxes = text_boxes(&c);
            let title = |name: &str| {
                boxes.iter().find(|(s, _)| s == name).map(|(_, b)| *b).expect("axis title")
            };
            let overlaps =
                |a: [f64; 4], b: [f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
            for axis in [t.axis_observed, t.axis_predicted] {
                let a = title(axis);
                for s in &c.shapes {
                    if let Shape::Circle { cx, cy, r, .. } = s {
                        let dot = [cx - r, cy - r, cx + r, cy + r];
                        assert!(!overlaps(a, dot), "{lang:?}: a dot covers {axis:?}");
                    }
                }
                for (text, b) in &boxes {
                    if text.parse::<u32>().is_ok() {
                        assert!(!overlaps(a, *b), "{lang:?}: the count {text} covers {axis:?}");
                    }
                }
            }
            // Every count is drawn after every dot, so that no dot hides the count of its
            // neighbour (the 35 beside a dot at 16% went under the 32 at 23%).
            let last_dot = c.shapes.iter().rposition(|s| matches!(s, Shape::Circle { .. }));
            let first_count = c
                .shapes
                .iter()
                .position(|s| matches!(s, Shape::Text { text, .. } if text.parse::<u32>().is_ok()));
            assert!(last_dot < first_count, "{lang:?}: a count under a later dot");
            for (text, b) in &boxes {
                assert!(b[0] >= 0.0 && b[2] <= c.width, "{lang:?}: {text:?} leaves the chart");
                assert!(b[1] >= 0.0 && b[3] <= c.height, "{lang:?}: {text:?} leaves the chart");
            }
            for s in &c.shapes {
                if let Shape::Circle { cx, cy, r, .. } = s {
                    assert!(cx - r >= 0.0 && cx + r <= c.width && cy - r >= 0.0, "{lang:?}");
                }
            }
        }
    }
}
