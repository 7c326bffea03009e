//! Charts ([`crate::chart`]) as inline SVG: no script, no style attribute (colours are SVG
//! presentation attributes), so they pass a strict CSP.

use std::fmt::Write;

use crate::chart::{Anchor, Chart, Shape};
use crate::html::esc;

fn n(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// The chart as an `<svg>` element that scales to its container's width.
pub fn svg(chart: &Chart, class: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="{class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" font-family="Helvetica, Arial, sans-serif"><title>{t}</title>"#,
        w = n(chart.width),
        h = n(chart.height),
        t = esc(&chart.title)
    );
    for s in &chart.shapes {
        match s {
            Shape::Line { x1, y1, x2, y2, stroke, width, dashed } => {
                let _ = write!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"{}/>"#,
                    n(*x1),
                    n(*y1),
                    n(*x2),
                    n(*y2),
                    n(*width),
                    if *dashed { r#" stroke-dasharray="3 2""# } else { "" }
                );
            }
            Shape::Rect { x, y, w, h, fill } => {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
                    n(*x),
                    n(*y),
                    n(*w),
                    n(*h)
                );
            }
            Shape::Path { points, fill, stroke } => {
                let pts: Vec<String> =
                    points.iter().map(|(x, y)| format!("{},{}", n(*x), n(*y))).collect();
                let tag = if fill.is_some() { "polygon" } else { "polyline" };
                let _ = write!(
                    out,
                    r#"<{tag} points="{}" fill="{}" stroke="{}" stroke-width="1.2"/>"#,
                    pts.join(" "),
                    fill.unwrap_or("none"),
                    stroke.unwrap_or("none")
                );
            }
            Shape::Circle { cx, cy, r, fill } => {
                let _ = write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" fill-opacity="0.8"/>"#,
                    n(*cx),
                    n(*cy),
                    n(*r)
                );
            }
            Shape::Text { x, y, size, anchor, bold, fill, text } => {
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{fill}"{}>{}</text>"#,
                    n(*x),
                    n(*y),
                    n(*size),
                    if *bold { r#" font-weight="bold""# } else { "" },
                    esc(text)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}
