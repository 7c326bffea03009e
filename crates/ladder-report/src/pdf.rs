//! The PDF form: A4 pages, text that `pdftotext` and screen readers get back, and the same charts
//! as the HTML drawn as vector paths ([`crate::chart`]).
//!
//! Fonts: when every character is in WinAnsi (Latin-1 plus a few typographic marks), the
//! standard Helvetica fonts, which every PDF reader has, and nothing is embedded. Otherwise (a
//! learner called Łukasz or 李娜) the page is laid out again with a TrueType font of this computer
//! ([`crate::fonts`]), embedded as a subset of the glyphs used (`Identity-H`, with a
//! `ToUnicode` map so that the text still extracts as itself). Only when no such font exists do
//! those characters print as `?`.
//!
//! The writer is small on purpose: deflated content streams and font files, one font resource
//! dictionary shared by every page, a cross-reference table with exact byte offsets.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::fonts::{system_fonts, PdfFonts};
use crate::i18n::Text as _;
use crate::ttf::Face;

use crate::chart::{calibration_chart, mastery_sparkline, skill_bars, Anchor, Chart, Shape, INK};
use crate::fmt::{archived_line, learners_line, left_out_line, listed_name, made_line};
use crate::fmt::{date_time, mastered_cell, not_yet, opt_date, pct, pct_pm, unconfirmed_detail};
use crate::html::{
    calibration_summary, nothing_to_calibrate, recent_cell, recent_heading, recent_label,
    recent_summary, stall_label, title, totals_pairs, RecentFigures,
};
use crate::i18n::{fill, Language};
use crate::model::*;
#[cfg(test)]
use crate::RECENT_DAYS_MAX;

const PAGE_W: f64 = 595.0;
const PAGE_H: f64 = 842.0;
const MARGIN: f64 = 42.0;
/// Tables: the point size of their text and the height of one line.
const TABLE_SIZE: f64 = 8.5;
const TABLE_LEAD: f64 = 13.0;

/// Helvetica advance widths (1/1000 em) of the printable ASCII characters 32..=126 (Adobe's
/// core-font metrics).
pub(crate) const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Width of `s` in Helvetica, in points at `size` (bold is about 5% wider).
fn helvetica_width(s: &str, size: f64, bold: bool) -> f64 {
    let units: u32 = s
        .chars()
        .map(|c| {
            let k = c as u32;
            if (32..=126).contains(&k) {
                u32::from(HELVETICA[(k - 32) as usize])
            } else {
                556
            }
        })
        .sum();
    f64::from(units) / 1000.0 * size * if bold { 1.05 } else { 1.0 }
}

/// A character in WinAnsiEncoding.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        _ => b'?',
    }
}

/// A PDF string literal of `s`.
fn pdf_string(s: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in s.chars() {
        let b = win_ansi(c);
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

fn rgb(hex: &str) -> (f64, f64, f64) {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    let c = |shift: u32| f64::from((v >> shift) & 0xff) / 255.0;
    (c(16), c(8), c(0))
}

/// A PDF text string (for the document information): UTF-16 with a byte order mark.
fn pdf_text_string(s: &str) -> Vec<u8> {
    let mut out = String::from("<FEFF");
    for u in s.encode_utf16() {
        let _ = write!(out, "{u:04X}");
    }
    out.push('>');
    out.into_bytes()
}

/// Pages being laid out, top to bottom.
struct Doc<'f> {
    pages: Vec<Vec<u8>>,
    y: f64,
    /// The embedded faces, or `None` for the standard Helvetica.
    fonts: Option<&'f PdfFonts>,
    /// Glyphs used per font resource (F1 regular, F2 bold), with the character each stands for.
    used: [BTreeMap<u16, char>; 2],
    /// Every character written.
    chars: BTreeSet<char>,
    /// Point size factor of the embedded face, regular and bold, so that its text runs as wide
    /// as Helvetica's and the columns laid out for Helvetica still fit (DejaVu Sans is about 10%
    /// wider, and DejaVu Sans Bold more than that: with one factor for both, a bold table header
    /// such as "Accuracy" was cut to "Accura…").
    scale: [f64; 2],
    /// The language of the page footers.
    language: Language,
}

/// Letters, digits and marks of typical report text, to compare the widths of two fonts.
const WIDTH_SAMPLE: &str =
    "Mastery Accuracy Practised 2025-11-08 83% ± 21% abcdefghijklmnopqrstuvwxyz";

impl<'f> Doc<'f> {
    fn new(fonts: Option<&'f PdfFonts>) -> Self {
        let mut d = Doc {
            pages: Vec::new(),
            y: 0.0,
            fonts,
            used: Default::default(),
            chars: BTreeSet::new(),
            scale: [1.0; 2],
            language: Language::default(),
        };
        if fonts.is_some() {
            for bold in [false, true] {
                let (helvetica, face) = (
                    helvetica_width(WIDTH_SAMPLE, 10.0, bold),
                    d.text_width(WIDTH_SAMPLE, 10.0, bold),
                );
                d.scale[usize::from(bold)] =
                    if face > 0.0 { (helvetica / face).clamp(0.75, 1.0) } else { 1.0 };
            }
        }
        d.new_page();
        d
    }

    /// The face that draws regular or bold text (embedded fonts only).
    fn face(&self, bold: bool) -> Option<&'f Face> {
        self.fonts.map(|f| if bold { f.bold.as_ref().unwrap_or(&f.regular) } else { &f.regular })
    }

    /// Width of `s` in points at `size`.
    fn text_width(&self, s: &str, size: f64, bold: bool) -> f64 {
        match self.face(bold) {
            None => helvetica_width(s, size, bold),
            Some(face) => {
                let units: u32 =
                    s.chars().map(|c| u32::from(face.advance(face.glyph(c).unwrap_or(0)))).sum();
                f64::from(units) / f64::from(face.units_per_em)
                    * size
                    * self.scale[usize::from(bold)]
            }
        }
    }

    /// Whether some character written so far has no WinAnsi code.
    fn needs_unicode(&self) -> bool {
        self.chars.iter().any(|&c| win_ansi(c) == b'?' && c != '?')
    }

    /// `s` as the operand of `Tj` in the current fonts.
    fn encode(&mut self, s: &str, bold: bool) -> Vec<u8> {
        self.chars.extend(s.chars());
        let Some(face) = self.face(bold) else { return pdf_string(s) };
        let slot = usize::from(bold && self.fonts.is_some_and(|f| f.bold.is_some()));
        let mut out = String::from("<");
        for c in s.chars() {
            let g = face.glyph(c).unwrap_or(0);
            self.used[slot].entry(g).or_insert(c);
            let _ = write!(out, "{g:04X}");
        }
        out.push('>');
        out.into_bytes()
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn out(&mut self) -> &mut Vec<u8> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Makes room for `h` points, starting a new page when needed.
    fn need(&mut self, h: f64) {
        if self.y + h > PAGE_H - MARGIN {
            self.new_page();
        }
    }

    fn op(&mut self, s: &str) {
        self.out().extend_from_slice(s.as_bytes());
    }

    /// Text at page position (x, y-baseline from the top).
    fn text_at(&mut self, x: f64, y: f64, size: f64, bold: bool, fill: &str, s: &str) {
        let (r, g, b) = rgb(fill);
        let font = if bold { "F2" } else { "F1" };
        // Bold without a bold face: the regular glyphs filled and outlined.
        let outline = bold && self.fonts.is_some_and(|f| f.bold.is_none());
        let mut buf = String::new();
        if outline {
            let _ = write!(buf, "q 2 Tr {:.2} w {r:.3} {g:.3} {b:.3} RG ", size * 0.035);
        }
        let _ = write!(
            buf,
            "BT {r:.3} {g:.3} {b:.3} rg /{font} {:.2} Tf {x:.2} {:.2} Td ",
            size * self.scale[usize::from(bold)],
            PAGE_H - y
        );
        // A character the face lacks is drawn as its "missing" glyph, which every such
        // character shares, so the ToUnicode map cannot tell them apart (李娜 read back as
        // 李李): the run carries its text as /ActualText, which text extraction and search use.
        let missing = self
            .face(bold)
            .is_some_and(|f| s.chars().any(|c| !c.is_whitespace() && f.glyph(c).is_none()));
        let mut bytes = Vec::new();
        if missing {
            bytes.extend_from_slice(b"/Span <</ActualText ");
            bytes.extend(pdf_text_string(s));
            bytes.extend_from_slice(b">> BDC ");
        }
        bytes.extend(buf.into_bytes());
        bytes.extend(self.encode(s, bold));
        bytes.extend_from_slice(if outline { b" Tj ET 0 Tr Q" } else { b" Tj ET" });
        bytes.extend_from_slice(if missing { b" EMC\n" } else { b"\n" });
        self.out().extend(bytes);
    }

    /// `s` broken into lines no wider than `width`: at spaces, and a word wider than the line
    /// (a long name without spaces) cut into pieces that fit, instead of running past it.
    fn lines(&self, s: &str, size: f64, bold: bool, width: f64) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        // At spaces only: a no-break space holds its two sides on one line (an answer and its
        // count, "“3/4” ×5").
        for word in s.split([' ', '\t', '\n']).filter(|w| !w.is_empty()) {
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if piece.chars().count() > 1 && self.text_width(&piece, size, bold) > width {
                    piece.pop();
                    words.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            words.push(piece);
        }
        let mut out = Vec::new();
        let mut line = String::new();
        for word in &words {
            let candidate =
                if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if !line.is_empty() && self.text_width(&candidate, size, bold) > width {
                out.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            out.push(line);
        }
        out
    }

    /// `s` cut with "…" to fit `width` (unchanged when it fits).
    fn clip(&self, s: &str, size: f64, bold: bool, width: f64) -> String {
        let mut s = s.to_owned();
        if self.text_width(&s, size, bold) > width {
            while !s.is_empty()
                && self.text_width(&s, size, bold) + self.text_width("…", size, bold) > width
            {
                s.pop();
            }
            s.push('…');
        }
        s
    }

    /// A line of text at the cursor, wrapped at the right margin.
    fn para(&mut self, s: &str, size: f64, bold: bool) {
        let lead = size * 1.35;
        for line in self.lines(s, size, bold, PAGE_W - 2.0 * MARGIN) {
            self.need(lead);
            self.y += lead;
            self.text_at(MARGIN, self.y - size * 0.3, size, bold, INK, &line);
        }
    }

    fn gap(&mut self, h: f64) {
        self.y += h;
    }

    /// A section heading, kept on the page of the first line of what follows it.
    fn heading(&mut self, s: &str, size: f64) {
        self.heading_with(s, size, 13.0);
    }

    /// A section heading that moves to the next page unless `after` points of what follows it
    /// (its first chart, its sentence and chart) fit under it: a heading alone at the foot of a
    /// page, its content overleaf, reads as an empty section.
    fn heading_with(&mut self, s: &str, size: f64, after: f64) {
        self.need(size * 3.0 + after);
        self.gap(size * 0.6);
        self.para(s, size, true);
        self.gap(2.0);
    }

    /// The height [`Doc::para`] takes for `s`.
    fn para_height(&self, s: &str, size: f64, bold: bool) -> f64 {
        self.lines(s, size, bold, PAGE_W - 2.0 * MARGIN).len() as f64 * size * 1.35
    }

    /// The height [`Doc::chart`] takes for `c`.
    fn chart_height(c: &Chart) -> f64 {
        let scale = ((PAGE_W - 2.0 * MARGIN) / c.width).min(1.0);
        c.height * scale + 4.0
    }

    /// A table: column x offsets (from the margin), right-aligned columns, header and rows. A
    /// header cell may break onto a second line at `\n` (a narrow column's "First / answers").
    /// A table that runs onto a new page repeats its header there (a class grid of forty
    /// learners fills pages, and its skill columns mean nothing without their names), and the
    /// header never stands alone at the foot of a page: it moves to the next with its first row.
    fn table(&mut self, cols: &[(f64, bool)], header: &[&str], rows: &[Vec<String>]) {
        let header_lines = if header.iter().any(|s| s.contains('\n')) { 2 } else { 1 };
        let first = rows.first().map_or(0.0, |r| self.row_height(cols, r, false));
        self.need(TABLE_LEAD * f64::from(header_lines) + first + 1.5);
        self.table_header(cols, header, header_lines);
        for r in rows {
            if self.y + self.row_height(cols, r, false) > PAGE_H - MARGIN {
                self.new_page();
                self.table_header(cols, header, header_lines);
            }
            self.table_row(cols, r, false);
        }
        self.gap(6.0);
    }

    /// A table's header lines (bold) and the rule under them, at the cursor.
    fn table_header(&mut self, cols: &[(f64, bool)], header: &[&str], lines: u8) {
        for k in 0..usize::from(lines) {
            let line: Vec<String> =
                header.iter().map(|s| s.split('\n').nth(k).unwrap_or("").to_owned()).collect();
            self.table_row(cols, &line, true);
        }
        let y = self.y + 1.5;
        self.op(&format!(
            "0.6 0.6 0.6 RG 0.5 w {:.2} {:.2} m {:.2} {:.2} l S\n",
            MARGIN,
            PAGE_H - y,
            PAGE_W - MARGIN,
            PAGE_H - y
        ));
    }

    /// The lines of each cell of a row. A left-aligned cell wider than its column (a learner's
    /// long name, a skill's, the hardest items' common wrong answers) wraps onto more lines of
    /// its row, as the HTML shows it whole: cut with "…", two names that start alike ("María de
    /// los Ángeles …") could not be told apart. A name column keeps to three lines (the third
    /// cut if even that is too short); the last column, the widest, takes what it needs. Other
    /// cells (figures, right-aligned) and header cells are cut to their column.
    fn cell_lines(&self, cols: &[(f64, bool)], cells: &[String], bold: bool) -> Vec<Vec<String>> {
        let n = cells.len().min(cols.len());
        (0..n)
            .map(|k| {
                let (x, right) = cols[k];
                let end = cols.get(k + 1).map_or(PAGE_W - 2.0 * MARGIN, |c| c.0) - 6.0;
                let room = end - x;
                let cell = &cells[k];
                if bold || right || self.text_width(cell, TABLE_SIZE, bold) <= room {
                    return vec![self.clip(cell, TABLE_SIZE, bold, room)];
                }
                let mut lines = self.lines(cell, TABLE_SIZE, bold, room);
                if k + 1 < cols.len() && lines.len() > 3 {
                    let rest = lines.split_off(2).join(" ");
                    lines.push(self.clip(&rest, TABLE_SIZE, bold, room));
                }
                lines
            })
            .collect()
    }

    /// The height of a row: its tallest cell's lines.
    fn row_height(&self, cols: &[(f64, bool)], cells: &[String], bold: bool) -> f64 {
        let lines = self.cell_lines(cols, cells, bold).iter().map(Vec::len).max().unwrap_or(1);
        TABLE_LEAD * lines.max(1) as f64
    }

    /// One row of a table at the cursor ([`Doc::cell_lines`]: long left-aligned cells wrap,
    /// the others are cut with "…" to their column).
    fn table_row(&mut self, cols: &[(f64, bool)], cells: &[String], bold: bool) {
        let size = TABLE_SIZE;
        let lines = self.cell_lines(cols, cells, bold);
        let top = self.y;
        for (k, cell) in lines.iter().enumerate() {
            let (x, right) = cols[k];
            let end = cols.get(k + 1).map_or(PAGE_W - 2.0 * MARGIN, |c| c.0) - 6.0;
            for (n, line) in cell.iter().enumerate() {
                let y = top + TABLE_LEAD * (n as f64 + 1.0);
                let px = if right {
                    MARGIN + end - self.text_width(line, size, bold)
                } else {
                    MARGIN + x
                };
                self.text_at(px, y - 3.5, size, bold, INK, line);
            }
        }
        self.y = top + TABLE_LEAD * lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    }

    /// Draws a chart at the cursor (scaled down to the page width if needed).
    fn chart(&mut self, c: &Chart) {
        let scale = ((PAGE_W - 2.0 * MARGIN) / c.width).min(1.0);
        self.need(c.height * scale + 4.0);
        let (ox, oy) = (MARGIN, self.y);
        self.draw(c, ox, oy, scale);
        self.y += c.height * scale + 4.0;
    }

    fn draw(&mut self, c: &Chart, ox: f64, oy: f64, scale: f64) {
        let px = |x: f64| ox + x * scale;
        let py = |y: f64| PAGE_H - (oy + y * scale);
        for s in &c.shapes {
            let mut buf = String::new();
            match s {
                Shape::Line { x1, y1, x2, y2, stroke, width, dashed } => {
                    let (r, g, b) = rgb(stroke);
                    let _ = writeln!(
                        buf,
                        "{r:.3} {g:.3} {b:.3} RG {:.2} w {} {:.2} {:.2} m {:.2} {:.2} l S [] 0 d",
                        width * scale,
                        if *dashed { "[3 2] 0 d" } else { "" },
                        px(*x1),
                        py(*y1),
                        px(*x2),
                        py(*y2)
                    );
                }
                Shape::Rect { x, y, w, h, fill } => {
                    let (r, g, b) = rgb(fill);
                    let _ = writeln!(
                        buf,
                        "{r:.3} {g:.3} {b:.3} rg {:.2} {:.2} {:.2} {:.2} re f",
                        px(*x),
                        py(y + h),
                        w * scale,
                        h * scale
                    );
                }
                Shape::Path { points, fill, stroke } => {
                    if points.len() < 2 {
                        continue;
                    }
                    for (k, (x, y)) in points.iter().enumerate() {
                        let _ = write!(
                            buf,
                            "{:.2} {:.2} {} ",
                            px(*x),
                            py(*y),
                            if k == 0 { "m" } else { "l" }
                        );
                    }
                    match (fill, stroke) {
                        (Some(f), _) => {
                            let (r, g, b) = rgb(f);
                            let _ = writeln!(buf, "h {r:.3} {g:.3} {b:.3} rg f");
                        }
                        (None, Some(st)) => {
                            let (r, g, b) = rgb(st);
                            let _ = writeln!(buf, "{r:.3} {g:.3} {b:.3} RG {:.2} w S", 1.2 * scale);
                        }
                        (None, None) => buf.push_str("n\n"),
                    }
                }
                Shape::Circle { cx, cy, r: rad, fill } => {
                    let (r, g, b) = rgb(fill);
                    let (x, y, k) = (px(*cx), py(*cy), rad * scale);
                    let m = k * 0.5523;
                    let _ = writeln!(
                        buf,
                        "{r:.3} {g:.3} {b:.3} rg {:.2} {:.2} m {:.2} {:.2} {:.2} {:.2} {:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {:.2} c f",
                        x + k, y,
                        x + k, y + m, x + m, y + k, x, y + k,
                        x - m, y + k, x - k, y + m, x - k, y,
                        x - k, y - m, x - m, y - k, x, y - k,
                        x + m, y - k, x + k, y - m, x + k, y
                    );
                }
                Shape::Text { x, y, size, anchor, bold, fill, text } => {
                    let sz = size * scale;
                    let w = self.text_width(text, sz, *bold);
                    let x0 = match anchor {
                        Anchor::Start => px(*x),
                        Anchor::Middle => px(*x) - w / 2.0,
                        Anchor::End => px(*x) - w,
                    };
                    self.text_at(x0, oy + y * scale, sz, *bold, fill, text);
                }
            }
            if !buf.is_empty() {
                self.op(&buf);
            }
        }
    }

    /// The finished file.
    fn finish(mut self, doc_title: &str) -> Vec<u8> {
        let n_pages = self.pages.len();
        // Page numbers first: their glyphs belong in the embedded subset too.
        for k in 0..n_pages {
            let footer =
                fill(self.language.text().page_of, &[("page", &(k + 1)), ("pages", &n_pages)]);
            let mut f = format!(
                "BT 0.467 0.467 0.467 rg /F1 {:.2} Tf {:.2} {:.2} Td ",
                8.0 * self.scale[0],
                PAGE_W - MARGIN - self.text_width(&footer, 8.0, false),
                MARGIN / 2.0
            )
            .into_bytes();
            f.extend(self.encode(&footer, false));
            f.extend_from_slice(b" Tj ET\n");
            self.pages[k].extend(f);
        }
        // Objects: 1 catalog, 2 pages, 3 and 4 the fonts F1 (regular) and F2 (bold), 5 info,
        // then per page a page object and its content stream, then the parts of each embedded
        // face (descendant font, descriptor, font file, ToUnicode map).
        let parts_at = 6 + 2 * n_pages;
        let mut objects: Vec<Vec<u8>> = Vec::new();
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        let kids: Vec<String> = (0..n_pages).map(|k| format!("{} 0 R", 6 + 2 * k)).collect();
        objects.push(
            format!("<< /Type /Pages /Kids [{}] /Count {n_pages} >>", kids.join(" ")).into_bytes(),
        );
        let mut parts: Vec<Vec<u8>> = Vec::new();
        match self.fonts {
            None => {
                objects.push(
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                        .to_vec(),
                );
                objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_vec());
            }
            Some(fonts) => {
                let mut faces = vec![(&fonts.regular, &self.used[0])];
                if let Some(bold) = &fonts.bold {
                    faces.push((bold, &self.used[1]));
                }
                let mut type0 = Vec::new();
                for (face, used) in faces {
                    let first = parts_at + parts.len();
                    let (dict, body) = embedded_face(face, used, first);
                    type0.push(dict);
                    parts.extend(body);
                }
                let bold = type0.get(1).unwrap_or(&type0[0]).clone();
                objects.push(type0[0].clone());
                objects.push(bold);
            }
        }
        let mut info = b"<< /Producer (Ladder) /Title ".to_vec();
        info.extend(pdf_text_string(doc_title));
        info.extend_from_slice(b" >>");
        objects.push(info);
        for (k, content) in self.pages.into_iter().enumerate() {
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                    7 + 2 * k
                )
                .into_bytes(),
            );
            let packed = miniz_oxide::deflate::compress_to_vec_zlib(&content, 6);
            objects
                .push(stream(&format!("/Length {} /Filter /FlateDecode", packed.len()), &packed));
        }
        objects.extend(parts);
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(objects.len());
        for (k, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", k + 1).into_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for o in offsets {
            let _ = writeln!(tail, "{o:010} 00000 n ");
        }
        let _ = write!(
            tail,
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        );
        out.extend(tail.into_bytes());
        out
    }
}

/// A stream object with the dictionary entries `dict`.
fn stream(dict: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} >>\nstream\n").into_bytes();
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A six-letter subset tag (PDF 9.6.4) that changes with the glyphs kept.
fn subset_tag(used: &BTreeMap<u16, char>) -> String {
    let mut h: u32 = 0x811C_9DC5;
    for g in used.keys() {
        for b in g.to_be_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect()
}

/// A composite (`Type0`, `Identity-H`) font for `face` with the glyphs in `used`: its font
/// dictionary, and its four parts, numbered from `first` (descendant font, descriptor, font
/// file, ToUnicode map).
fn embedded_face(face: &Face, used: &BTreeMap<u16, char>, first: usize) -> (Vec<u8>, Vec<Vec<u8>>) {
    let name = format!("{}+{}", subset_tag(used), face.postscript_name);
    let scale = 1000.0 / f64::from(face.units_per_em);
    let units = |v: i16| (f64::from(v) * scale).round() as i64;
    let mut widths = String::new();
    for &g in used.keys() {
        let _ = write!(widths, "{g} [{}] ", (f64::from(face.advance(g)) * scale).round() as i64);
    }
    let descendant = format!(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {} 0 R /DW {} /W [{}] /CIDToGIDMap /Identity >>",
        first + 1,
        (f64::from(face.advance(0)) * scale).round() as i64,
        widths.trim_end()
    );
    let [x0, y0, x1, y1] = face.bbox;
    let descriptor = format!(
        "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {} 0 R >>",
        units(x0),
        units(y0),
        units(x1),
        units(y1),
        units(face.ascent),
        units(face.descent),
        units(face.cap_height),
        first + 2
    );
    let keep: BTreeSet<u16> = used.keys().copied().collect();
    // A subset that cannot be made (a damaged composite glyph) embeds the whole font.
    let file = face.subset(&keep).unwrap_or_else(|_| face.data().to_vec());
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&file, 6);
    let font_file = stream(
        &format!("/Length {} /Length1 {} /Filter /FlateDecode", packed.len(), file.len()),
        &packed,
    );
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in pairs.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (g, c) in chunk {
            let mut utf16 = [0u16; 2];
            let hex: String =
                c.encode_utf16(&mut utf16).iter().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(cmap, "<{g:04X}> <{hex}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
    let to_unicode = stream(&format!("/Length {}", cmap.len()), cmap.as_bytes());
    let type0 = format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{first} 0 R] /ToUnicode {} 0 R >>",
        first + 3
    );
    (
        type0.into_bytes(),
        vec![descendant.into_bytes(), descriptor.into_bytes(), font_file, to_unicode],
    )
}

/// A paginated PDF of the report: the same sections, figures and charts as the HTML.
///
/// Text outside WinAnsi is set in a TrueType font of this computer, embedded
/// (`LADDER_PDF_FONT` chooses it; `src/fonts.rs` says how it is found otherwise).
pub fn render_pdf(report: &Report) -> Vec<u8> {
    let t = title(report);
    let plain = layout(report, None);
    if !plain.needs_unicode() {
        return plain.finish(&t);
    }
    match system_fonts(&plain.chars) {
        Some(fonts) => layout(report, Some(&fonts)).finish(&t),
        None => plain.finish(&t),
    }
}

/// The characters of the report that its PDF ([`render_pdf`]) cannot draw on this computer:
/// no font found has them, so they show as the font's empty "missing" box (or as `?` when no
/// usable font is found at all); they still copy and search as written. Empty when every
/// character is drawn. A front end tells the user, who can install a font with them, point
/// `LADDER_PDF_FONT` at one, or use the HTML report.
pub fn pdf_missing_chars(report: &Report) -> Vec<char> {
    let plain = layout(report, None);
    if !plain.needs_unicode() {
        return Vec::new();
    }
    let drawable = |c: char| c.is_whitespace() || c.is_control();
    match system_fonts(&plain.chars) {
        Some(fonts) => plain
            .chars
            .iter()
            .copied()
            .filter(|&c| !drawable(c) && fonts.regular.glyph(c).is_none())
            .collect(),
        None => plain
            .chars
            .iter()
            .copied()
            .filter(|&c| !drawable(c) && win_ansi(c) == b'?' && c != '?')
            .collect(),
    }
}

/// The pages of the report in `fonts` (`None`: Helvetica).
fn layout<'f>(report: &Report, fonts: Option<&'f PdfFonts>) -> Doc<'f> {
    let mut d = Doc::new(fonts);
    let t = title(report);
    let meta = report.meta();
    d.language = meta.language;
    d.para(&t, 18.0, true);
    let text = meta.language.text();
    d.para(&made_line(meta), 9.0, false);
    if let Some(line) = left_out_line(meta) {
        d.para(&line, 9.0, false);
    }
    if let Some(line) = archived_line(report) {
        d.para(&line, 9.0, false);
    }
    match report {
        Report::Learner(r) => {
            if r.courses.is_empty() {
                d.para(text.no_practice, 10.0, false);
            }
            for (k, lc) in r.courses.iter().enumerate() {
                if k > 0 {
                    d.new_page();
                }
                learner_course(&mut d, lc, meta);
            }
        }
        Report::Class(r) => {
            let names: Vec<String> =
                r.learners.iter().map(|l| listed_name(l, meta.language)).collect();
            d.para(&learners_line(&names, meta.language), 9.0, false);
            if r.courses.is_empty() {
                d.para(text.no_practice, 10.0, false);
            }
            for (k, cc) in r.courses.iter().enumerate() {
                if k > 0 {
                    d.new_page();
                }
                class_course(&mut d, cc, meta.language);
            }
        }
    }
    d
}

fn course_heading(d: &mut Doc, c: &CourseRef, lang: Language) {
    let version = fill(lang.text().course_version, &[("id", &c.id), ("version", &c.version)]);
    d.heading(&format!("{} {version}", c.title), 14.0);
}

/// A table's columns: x offset from the margin, and whether the column is right-aligned.
type Cols = Vec<(f64, bool)>;

/// The columns and header of the totals table.
fn totals_table(lang: Language) -> (Cols, [&'static str; 4]) {
    let t = lang.text();
    (
        vec![(0.0, false), (120.0, false), (255.0, false), (375.0, false)],
        [t.figure, t.value, t.figure, t.value],
    )
}

/// The columns and header of the skills table. Spanish headers are longer: their columns are
/// set apart differently (the English layout is the one reports always had).
fn skills_table(lang: Language) -> (Cols, [&'static str; 8]) {
    let t = lang.text();
    let x: [f64; 8] = match lang {
        Language::En => [0.0, 190.0, 232.0, 262.0, 305.0, 370.0, 406.0, 456.0],
        Language::Es => [0.0, 170.0, 216.0, 262.0, 298.0, 354.0, 400.0, 448.0],
    };
    let right = [false, true, true, true, true, true, false, false];
    (
        x.into_iter().zip(right).collect(),
        [
            t.skill,
            t.answers_short,
            t.right,
            t.accuracy,
            t.mastery,
            t.recall,
            t.mastered,
            t.practised,
        ],
    )
}

/// The columns and header of the calibration table.
fn calibration_table(lang: Language) -> (Cols, [&'static str; 5]) {
    let t = lang.text();
    (
        vec![(0.0, false), (90.0, true), (160.0, true), (250.0, true), (310.0, false)],
        [t.predicted, t.answers, t.mean_predicted, t.observed, ""],
    )
}

/// The columns and header of the class grid's first four columns (the last one the recent
/// window's first answers and accuracy; a column per skill follows, [`GRID_SKILL_W`] points
/// wide, from [`GRID_SKILLS_X`]).
fn grid_table(lang: Language, days: u32) -> (Cols, [String; 4]) {
    let t = lang.text();
    (
        vec![(0.0, false), (94.0, true), (139.0, true), (182.0, true)],
        [
            t.learner.to_owned(),
            t.answers_short.to_owned(),
            t.accuracy.to_owned(),
            recent_heading(days, lang),
        ],
    )
}

/// Where the learner report's "mastery over time" charts start (from the margin); each skill's
/// name stands left of its chart.
const SPARKLINE_X: f64 = 170.0;

/// Where the class grid's skill columns start, and their width.
const GRID_SKILLS_X: f64 = 256.0;
const GRID_SKILL_W: f64 = 85.0;
// A slice of three skill columns fits the page's width.
const _: () = assert!(GRID_SKILLS_X + 3.0 * GRID_SKILL_W <= PAGE_W - 2.0 * MARGIN);

/// The columns and header of the hardest items.
fn hardest_table(lang: Language) -> (Cols, [&'static str; 6]) {
    let t = lang.text();
    (
        vec![
            (0.0, false),
            (110.0, true),
            (160.0, true),
            (215.0, true),
            (290.0, true),
            (330.0, false),
        ],
        [t.item, t.learners, t.answers_short, t.wrong_first, t.hints, t.common_wrong_answers],
    )
}

/// The recent block: "Last 7 days: 12 first answers, ...", or "No practice in the last 7 days."
/// alone.
fn recent_para(
    d: &mut Doc,
    r: &RecentFigures,
    days: u32,
    group: Option<(u32, usize)>,
    lang: Language,
) {
    let summary = recent_summary(r, days, group, lang);
    match recent_label(r, days, lang) {
        Some(label) => d.para(&format!("{label}: {summary}"), 9.5, false),
        None => d.para(&summary, 9.5, false),
    }
}

fn learner_course(d: &mut Doc, lc: &LearnerCourse, meta: &ReportMeta) {
    let lang = meta.language;
    let t = lang.text();
    course_heading(d, &lc.course, lang);
    let r = &lc.recent;
    recent_para(d, &RecentFigures::learner(r, &lc.skills, &lc.totals), r.days, None, lang);
    let pairs = totals_pairs(&lc.totals, &lc.course, lang, &meta.time_zone);
    let rows: Vec<Vec<String>> = pairs
        .chunks(2)
        .map(|ch| ch.iter().flat_map(|(k, v)| [(*k).to_owned(), v.clone()]).collect())
        .collect();
    let (cols, header) = totals_table(lang);
    d.table(&cols, &header, &rows);
    d.heading(t.next_focus, 11.0);
    match &lc.next_focus {
        Some(f) => d.para(
            &format!(
                "{}{} {}: {}",
                f.on_screen.map_or(String::new(), |o| format!(
                    "{} ",
                    fill(t.focus_on_screen, &[("time", &date_time(o.shown_ms, &meta.time_zone))])
                )),
                f.skill_name,
                fill(t.focus_item, &[("item", &f.item_id), ("predicted", &pct(Some(f.predicted)))]),
                f.reason
            ),
            9.5,
            false,
        ),
        None => d.para(t.nothing_to_practise, 9.5, false),
    }
    d.heading(t.skills, 11.0);
    d.chart(&skill_bars(&lc.skills, meta.thresholds.mastery_threshold, lang));
    let rows: Vec<Vec<String>> = lc
        .skills
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.attempts.to_string(),
                s.correct.to_string(),
                pct(s.accuracy),
                pct_pm(s.mastery, s.uncertainty),
                pct(Some(s.recall)),
                mastered_cell(s, lang).to_owned(),
                opt_date(s.last_practised_ms, &meta.time_zone),
            ]
        })
        .collect();
    let (cols, header) = skills_table(lang);
    d.table(&cols, &header, &rows);
    let unconfirmed: Vec<String> = not_yet(&lc.skills)
        .map(|(s, u)| format!("{} ({})", s.name, unconfirmed_detail(u, lang)))
        .collect();
    if !unconfirmed.is_empty() {
        d.para(&format!("{} {}.", t.unconfirmed_lead, unconfirmed.join("; ")), 9.0, false);
    }
    let practised: Vec<&SkillRow> = lc.skills.iter().filter(|s| !s.history.is_empty()).collect();
    if !practised.is_empty() {
        let first = mastery_sparkline(&practised[0].history, lang).height + 6.0;
        d.heading_with(t.mastery_over_time, 11.0, first);
        for s in practised {
            let c = mastery_sparkline(&s.history, lang);
            d.need(c.height + 6.0);
            let y = d.y;
            // The name left of its chart: on two lines when it is long (the second cut with
            // "…" if even that is too short), never running into the chart.
            let room = SPARKLINE_X - 6.0;
            let mut lines = d.lines(&s.name, 8.5, false, room);
            if lines.len() > 2 {
                let rest = lines.split_off(1).join(" ");
                lines.push(d.clip(&rest, 8.5, false, room));
            }
            let first = if lines.len() == 1 { 20.0 } else { 15.5 };
            for (k, line) in lines.iter().enumerate() {
                d.text_at(MARGIN, y + first + 10.0 * k as f64, 8.5, false, INK, line);
            }
            d.draw(&c, MARGIN + SPARKLINE_X, y, 1.0);
            d.y += c.height + 4.0;
        }
    }
    d.heading(t.may_stall, 11.0);
    if lc.stalls.is_empty() {
        d.para(t.no_stalls, 9.5, false);
    }
    for s in &lc.stalls {
        let kind = stall_label(s, lang);
        d.para(&format!("{}: {kind}. {}", s.skill_name, s.evidence), 9.5, false);
    }
    calibration(d, &lc.calibration, false, lang);
}

/// The calibration section of a learner's or (`class`) a class's first answers.
fn calibration(d: &mut Doc, cal: &Calibration, class: bool, lang: Language) {
    let t = lang.text();
    if cal.total == 0 {
        d.heading(t.calibration_heading, 11.0);
        d.para(&nothing_to_calibrate(cal, class, lang), 9.0, false);
        return;
    }
    // The heading, its sentence and the chart it explains on one page.
    let summary = calibration_summary(cal, class, lang);
    let chart = calibration_chart(cal, lang);
    let after = d.para_height(&summary, 9.0, false) + Doc::chart_height(&chart);
    d.heading_with(t.calibration_heading, 11.0, after);
    d.para(&summary, 9.0, false);
    d.chart(&chart);
    let rows: Vec<Vec<String>> = cal
        .bins
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| {
            vec![
                fill(t.bin_range, &[("from", &pct(Some(b.lower))), ("to", &pct(Some(b.upper)))]),
                b.count.to_string(),
                pct(b.mean_predicted),
                pct(b.observed),
            ]
        })
        .collect();
    let (cols, header) = calibration_table(lang);
    d.table(&cols, &header, &rows);
}

fn class_course(d: &mut Doc, cc: &ClassCourse, lang: Language) {
    let t = lang.text();
    course_heading(d, &cc.course, lang);
    if !cc.grid.is_empty() {
        let r = &cc.recent;
        let group = Some((r.learners_active, cc.grid.len()));
        recent_para(d, &RecentFigures::group(r, &cc.grid), r.days, group, lang);
    }
    d.heading(t.learners_and_skills, 11.0);
    if cc.grid.is_empty() {
        d.para(t.no_learners, 9.5, false);
        return;
    }
    d.para(t.grid_note_pdf, 8.5, false);
    let legend: Vec<String> =
        cc.skills.iter().enumerate().map(|(k, s)| format!("{}. {}", k + 1, s.name)).collect();
    d.para(&fill(t.skills_legend, &[("list", &legend.join("; "))]), 8.5, false);
    // The grid in slices of skills that fit the page width.
    let per_slice = 3;
    for chunk in cc.skills.chunks(per_slice).enumerate() {
        let (k, skills) = chunk;
        let first = k * per_slice;
        let (mut cols, fixed) = grid_table(lang, cc.recent.days);
        let mut header: Vec<String> = fixed.to_vec();
        for (j, s) in skills.iter().enumerate() {
            cols.push((GRID_SKILLS_X + GRID_SKILL_W * j as f64, true));
            // Numbered as in the legend above the grid, so that two names that start alike stay
            // apart when the column cuts them.
            header.push(format!("{}. {}", first + j + 1, s.name));
        }
        let rows: Vec<Vec<String>> = cc
            .grid
            .iter()
            .map(|row| {
                let mut r = vec![
                    row.learner.name.clone(),
                    row.first_answers.to_string(),
                    pct(row.accuracy),
                    recent_cell(row),
                ];
                for c in row.cells.iter().skip(first).take(per_slice) {
                    // Both when both: a mastered skill may stall too (its mastery fell from a
                    // higher peak), as the HTML's green cell with an orange frame shows.
                    let mark = match (c.mastered, c.stalled.is_some()) {
                        (true, true) => "*!",
                        (true, false) => "*",
                        (false, true) => "!",
                        (false, false) => "",
                    };
                    r.push(format!(
                        "{}{mark} / {} ({})",
                        pct(Some(c.mastery)),
                        pct(c.accuracy),
                        c.attempts
                    ));
                }
                r
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        d.table(&cols, &header, &rows);
    }
    d.heading(t.need_help, 11.0);
    if cc.need_help.is_empty() {
        d.para(t.nobody, 9.5, false);
    }
    for h in &cc.need_help {
        d.para(&h.learner.name, 9.5, true);
        for r in &h.reasons {
            d.para(&format!("• {r}"), 9.0, false);
        }
    }
    d.heading(t.hardest_items, 11.0);
    if cc.hardest_items.is_empty() {
        d.para(t.no_hard_items, 9.5, false);
    } else {
        let rows: Vec<Vec<String>> = cc
            .hardest_items
            .iter()
            .map(|h| {
                let wrong: Vec<String> = h
                    .common_wrong_answers
                    .iter()
                    .map(|w| format!("“{}”\u{a0}×{}", w.answer, w.count))
                    .collect();
                vec![
                    h.item_id.clone(),
                    h.learners.to_string(),
                    h.first_answers.to_string(),
                    format!("{} ({})", h.wrong_first, pct(h.wrong_rate)),
                    h.hints.to_string(),
                    wrong.join(", "),
                ]
            })
            .collect();
        let (cols, header) = hardest_table(lang);
        d.table(&cols, &header, &rows);
    }
    calibration(d, &cc.calibration, true, lang);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column header fits its column in Helvetica bold, line by line (a header that does
    /// not is cut with "…"; the Spanish words are longer than the English ones, and the narrow
    /// first-answers columns break "First / answers" onto two lines).
    #[test]
    fn table_headers_fit_their_columns() {
        // The recent column's heading: the longest window and one day, which has its own words.
        for (lang, days) in Language::ALL.into_iter().flat_map(|l| [(l, RECENT_DAYS_MAX), (l, 1)]) {
            let (skills, skills_h) = skills_table(lang);
            let (totals, totals_h) = totals_table(lang);
            let (cal, cal_h) = calibration_table(lang);
            let (mut grid, grid_h) = grid_table(lang, days);
            // The skill columns start after the recent one.
            grid.push((GRID_SKILLS_X, true));
            let (hard, hard_h) = hardest_table(lang);
            let tables: [(Cols, Vec<&str>); 5] = [
                (skills, skills_h.to_vec()),
                (totals, totals_h.to_vec()),
                (cal, cal_h.to_vec()),
                (grid, grid_h.iter().map(String::as_str).collect()),
                (hard, hard_h.to_vec()),
            ];
            for (cols, header) in tables {
                for (k, h) in header.iter().enumerate() {
                    let end = cols.get(k + 1).map_or(PAGE_W - 2.0 * MARGIN, |c| c.0) - 6.0;
                    let room = end - cols[k].0;
                    for line in h.split('\n') {
                        let w = helvetica_width(line, 8.5, true);
                        assert!(w <= room, "{lang:?}: {line:?} is {w:.1} wide, more than {room}");
                    }
                }
            }
            // The totals' labels (regular text) fit theirs too.
            let t = Totals {
                first_answers: 0,
                correct_first: 0,
                accuracy: None,
                answers: 0,
                items_attempted: 0,
                hints_by_level: Vec::new(),
                solutions_viewed: 0,
                hinted_first_answers: 0,
                skips: 0,
                sessions: 0,
                time_on_task_ms: 0,
                first_activity_ms: None,
                last_activity_ms: None,
                streaks: Streaks {
                    current_days: 0,
                    longest_days: 0,
                    current_correct: 0,
                    longest_correct: 0,
                },
            };
            let course = CourseRef {
                id: "c".into(),
                title: "C".into(),
                version: "1".into(),
                items: 1,
                languages: vec![],
                text_language: None,
            };
            for (label, _) in totals_pairs(&t, &course, lang, &ReportTimeZone::utc()) {
                assert!(helvetica_width(label, 8.5, false) <= 114.0, "{label:?} is too wide");
            }
        }
        assert_eq!(Language::En.text().answers_short, "First\nanswers");
    }

    /// The class grid's widest cells fit their columns: a skill cell with three-digit figures
    /// and both marks, and the recent column's heading for the longest window in either
    /// language. (That three skill columns fit the page's width is checked where they are set.)
    #[test]
    fn class_grid_cells_fit_their_columns() {
        let room = GRID_SKILL_W - 6.0;
        assert!(helvetica_width("100%*! / 100% (999)", 8.5, false) <= room);
        for lang in Language::ALL {
            let (cols, header) = grid_table(lang, RECENT_DAYS_MAX);
            let room = GRID_SKILLS_X - cols[3].0 - 6.0;
            assert!(helvetica_width(&header[3], 8.5, true) <= room, "{:?}", header[3]);
            assert!(helvetica_width("9999 (100%)", 8.5, false) <= room);
        }
    }

    #[test]
    fn strings_are_escaped_and_win_ansi() {
        assert_eq!(pdf_string("a(b)\\c"), b"(a\\(b\\)\\\\c)".to_vec());
        assert_eq!(pdf_string("Zoë – 80% ± 5%"), b"(Zo\xeb \x96 80% \xb1 5%)".to_vec());
        assert_eq!(pdf_string("日"), b"(?)".to_vec());
    }

    /// Every cross-reference offset points at its object, and the trailer at the table.
    #[test]
    fn the_cross_reference_table_is_exact() {
        let mut d = Doc::new(None);
        d.para("Hello (world)", 12.0, false);
        for _ in 0..80 {
            d.para("a line that fills the page", 12.0, false);
        }
        let pdf = d.finish("t");
        let at = |off: usize, what: &str| pdf[off..].starts_with(what.as_bytes());
        let find = |what: &str| {
            pdf.windows(what.len()).rposition(|w| w == what.as_bytes()).expect("found")
        };
        let tail = String::from_utf8_lossy(&pdf[find("startxref\n")..]).into_owned();
        let start: usize = tail.lines().nth(1).and_then(|n| n.parse().ok()).expect("startxref");
        assert!(at(start, "xref\n0 "));
        let table = String::from_utf8_lossy(&pdf[start..]).into_owned();
        let entries: Vec<usize> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .map(|l| l[..10].parse().expect("offset"))
            .collect();
        assert!(entries.len() >= 9, "two pages at least: {}", entries.len());
        for (k, off) in entries.iter().enumerate() {
            assert!(at(*off, &format!("{} 0 obj", k + 1)), "object {}", k + 1);
        }
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 2"), "80 lines make two pages");
    }

    /// With an embedded face: widths from the font, glyph ids in the content, a ToUnicode map
    /// back to the characters, a subset font file that parses, outlined bold without a bold face.
    #[test]
    fn embedded_fonts_map_glyphs_back_to_characters() {
        let fonts =
            PdfFonts::from_data(crate::ttf::tests::sample_font(true), None).expect("sample font");
        let mut d = Doc::new(Some(&fonts));
        // 'A' is 600 units and 'Ł' 650 of 1000: 12.5 pt at size 10, times the size factor that
        // makes the face as wide as Helvetica.
        assert!((0.75..=1.0).contains(&d.scale[0]));
        assert!((0.75..=1.0).contains(&d.scale[1]));
        assert!((d.text_width("AŁ", 10.0, false) - 12.5 * d.scale[0]).abs() < 1e-9);
        d.para("AŁ Ω日", 12.0, false);
        d.para("Ł", 12.0, true);
        let pdf = d.finish("Łódź");
        // The file with every deflated stream (page contents, font file) inflated after it.
        let mut text = String::from_utf8_lossy(&pdf).into_owned();
        let mut font_file = None;
        let mark: &[u8] = b"/Filter /FlateDecode >>\nstream\n";
        let mut at = 0;
        while let Some(k) = pdf[at..].windows(mark.len()).position(|w| w == mark) {
            let body = at + k + mark.len();
            let end =
                body + pdf[body..].windows(10).position(|w| w == b"\nendstream").expect("end");
            let raw =
                miniz_oxide::inflate::decompress_to_vec_zlib(&pdf[body..end]).expect("inflate");
            match Face::parse(raw.clone()) {
                Ok(face) => font_file = Some(face),
                Err(_) => text.push_str(&String::from_utf8_lossy(&raw)),
            }
            at = end;
        }
        assert!(text.contains("/Subtype /Type0 /BaseFont /"), "a composite font");
        assert!(text.contains("/Encoding /Identity-H"));
        // A, Ł, space (no glyph: 0), Ω, 日; then "Page 1 of 1" in glyph 0s and A-less text.
        assert!(text.contains("<00010002000000030004> Tj"), "glyph ids in the content");
        for pair in ["<0001> <0041>", "<0002> <0141>", "<0003> <03A9>", "<0004> <65E5>"] {
            assert!(text.contains(pair), "ToUnicode maps {pair}");
        }
        assert!(text.contains("/W [0 [500] 1 [600] 2 [650] 3 [700] 4 [1000]]"), "widths");
        assert!(text.contains("2 Tr") && text.contains("0 Tr Q"), "outlined bold");
        assert!(text.contains("/Title <FEFF014100F30064017A>"), "the title in UTF-16");
        // The font file inflates to a TrueType subset with glyph 5 (not used) emptied.
        let sub = font_file.expect("a deflated font file that parses");
        assert_eq!(sub.glyph('日'), Some(4));
        assert_eq!(sub.glyph_range(5).map(|(a, b)| b - a), Ok(0), "glyph 5 was not used");
        assert!(sub.glyph_range(4).is_ok_and(|(a, b)| b > a));
    }
}
