//! Diagnostics: what the validator reports, and how it prints them.
//!
//! One line per problem, `file:line:column: field.path: message`, so that editors and terminals
//! can jump to it. Warnings put `warning: ` after the position. Problems with a whole file (a
//! name, a size, a checksum) have no position and print as `file: message`.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::msg::{Lang, Msg};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The pack is refused.
    Error,
    /// The pack is accepted, but the teacher should fix it.
    Warning,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// One problem found in a pack: where, and what ([`Msg`], a stable code with its arguments),
/// with the English message written out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file inside the pack (`lessons/02-equivalence.toml`), with `/` separators, or the
    /// archive's own name for problems with the archive as a whole.
    pub file: String,
    /// Where in the file, for problems inside a TOML file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The field, as `item[3].correct[0]` (indices count from 0); empty when the problem is
    /// with the file as a whole.
    pub path: String,
    /// The message in English (on one line): `msg` written out.
    pub message: String,
    /// What the problem is, as a code and its arguments (`"code"` and `"args"` in JSON), for
    /// a program to branch on or to write out in another language ([`Diagnostic::message_in`]).
    #[serde(flatten)]
    pub msg: Msg,
}

impl Diagnostic {
    /// A diagnostic with its English message written out from `msg`.
    pub(crate) fn new(
        severity: Severity,
        file: &str,
        position: Option<Position>,
        path: &str,
        msg: Msg,
    ) -> Self {
        Diagnostic {
            severity,
            file: file.to_owned(),
            position,
            path: path.to_owned(),
            message: msg.render(Lang::En),
            msg,
        }
    }

    /// The stable machine code of the problem (`unknown_field`).
    pub fn code(&self) -> &'static str {
        self.msg.code()
    }

    /// The message in `lang`, on one line (English is [`Diagnostic::message`]).
    pub fn message_in(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.message.clone(),
            _ => one_line(self.msg.render(lang)),
        }
    }

    /// The diagnostic as one line in `lang`: `file:line:column: field.path: message`, with
    /// `warning: ` (Spanish `aviso: `) after the position of a warning. English is `Display`.
    pub fn line_in(&self, lang: Lang) -> String {
        let mut out = self.file.clone();
        if let Some(p) = self.position {
            out.push_str(&format!(":{}:{}", p.line, p.column));
        }
        out.push_str(": ");
        if self.severity == Severity::Warning {
            out.push_str(lang.warning_word());
            out.push_str(": ");
        }
        if !self.path.is_empty() {
            out.push_str(&self.path);
            out.push_str(": ");
        }
        out.push_str(&self.message_in(lang));
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line_in(Lang::En))
    }
}

/// Everything the validator found: errors, then warnings, each sorted by file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// Sorts diagnostics into errors and warnings, each ordered by file, position, path and
    /// message, without duplicates.
    pub(crate) fn from_diagnostics(mut all: Vec<Diagnostic>) -> Self {
        all.sort_by(|a, b| {
            (&a.file, a.position, &a.path, &a.message)
                .cmp(&(&b.file, b.position, &b.path, &b.message))
        });
        all.dedup();
        let (errors, warnings) = all.into_iter().partition(|d| d.severity == Severity::Error);
        Report { errors, warnings }
    }

    /// Whether the pack is acceptable (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The report in `lang`: one line per diagnostic, errors first, each ending in a newline
    /// (English is `Display`).
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for d in self.errors.iter().chain(&self.warnings) {
            out.push_str(&d.line_in(lang));
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Report {
    /// One line per diagnostic, errors first, each line ending in a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Collects diagnostics while a pack is read, counting errors as they come (checks compare the
/// count before and after reading a table, so counting must not rescan the list).
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) all: Vec<Diagnostic>,
    errors: usize,
}

impl Sink {
    /// A problem with a whole file (no position, no field).
    pub(crate) fn file_error(&mut self, file: &str, msg: Msg) {
        self.push(Diagnostic::new(Severity::Error, file, None, "", msg));
    }

    pub(crate) fn push(&mut self, mut d: Diagnostic) {
        // Keys and values quoted in messages come from the pack and may hold line breaks;
        // every diagnostic must stay on one line.
        d.file = one_line(d.file);
        d.path = one_line(d.path);
        d.message = one_line(d.message);
        if d.severity == Severity::Error {
            self.errors += 1;
        }
        self.all.push(d);
    }

    /// How many errors so far.
    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// `s` with control characters escaped (`\n`, `\u{7}`), so that it prints on one line.
pub(crate) fn one_line(s: String) -> String {
    if !s.chars().any(char::is_control) {
        return s;
    }
    s.chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// A place in a TOML file that a later check may point at: file, position and field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spot {
    pub file: String,
    pub position: Position,
    pub path: String,
}

impl Spot {
    pub(crate) fn error(&self, msg: Msg) -> Diagnostic {
        self.diag(Severity::Error, msg)
    }

    pub(crate) fn warning(&self, msg: Msg) -> Diagnostic {
        self.diag(Severity::Warning, msg)
    }

    fn diag(&self, severity: Severity, msg: Msg) -> Diagnostic {
        Diagnostic::new(severity, &self.file, Some(self.position), &self.path, msg)
    }

    /// `file:line:column`, for messages that point at another place ("first defined at ...").
    pub(crate) fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.position.line, self.position.column)
    }
}

/// Maps byte offsets of a text to lines and columns.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` of `text` (clamped to the text; columns in characters).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let mut start = self.starts.get(line - 1).copied().unwrap_or(0);
        // A byte order mark (a file saved "UTF-8 with BOM") is invisible in editors: it takes
        // no column.
        if start == 0 && text.starts_with('\u{feff}') {
            start = '\u{feff}'.len_utf8().min(offset);
        }
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn span_start(&self, text: &str, span: &Range<usize>) -> Position {
        self.position(text, span.start)
    }
}

/// The position of the first invalid UTF-8 byte of `bytes`, counting lines and characters of
/// the valid text before it.
pub(crate) fn utf8_error_position(bytes: &[u8], valid_up_to: usize) -> Position {
    let valid = std::str::from_utf8(&bytes[..valid_up_to.min(bytes.len())]).unwrap_or("");
    LineIndex::new(valid).position(valid, valid.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\nçd=1\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 2), Position { line: 1, column: 3 });
        assert_eq!(idx.position(text, 3), Position { line: 2, column: 1 });
        // 'ç' is two bytes but one column.
        assert_eq!(idx.position(text, 5), Position { line: 2, column: 2 });
        assert_eq!(idx.position(text, 9), Position { line: 3, column: 1 });
        assert_eq!(idx.position(text, 10), Position { line: 4, column: 1 });
        assert_eq!(idx.position(text, 11), Position { line: 4, column: 2 });
        assert_eq!(idx.position(text, 999), Position { line: 4, column: 2 });
    }

    /// A file saved "UTF-8 with BOM" (Windows Notepad) starts with U+FEFF, which editors do not
    /// show: it takes no column, so `schema = 2` on the first line points at the `2` in column 10
    /// as in the same file without it.
    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let text = "\u{feff}schema = 2\r\nid = 1\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 3), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 3 + 9), Position { line: 1, column: 10 });
        assert_eq!(
            idx.position(text, text.find("1").unwrap_or(0)),
            Position { line: 2, column: 6 }
        );
        let bytes = b"\xef\xbb\xbfab\xff";
        assert_eq!(utf8_error_position(bytes, 5), Position { line: 1, column: 3 });
    }

    #[test]
    fn diagnostics_stay_on_one_line() {
        let mut sink = Sink::default();
        sink.file_error("a\nb", Msg::UnknownKind { kind: "x\ny\t!".into(), suggestion: None });
        let d = &sink.all[0];
        assert_eq!(
            d.to_string(),
            "a\\nb: unknown kind `x\\ny\\t!`; expected choice, numeric, text, cloze or order"
        );
        assert_eq!(
            d.line_in(Lang::Es),
            "a\\nb: tipo desconocido `x\\ny\\t!`; se esperaba choice, numeric, text, cloze u order"
        );
        assert_eq!(sink.error_count(), 1);
    }

    #[test]
    fn display_formats() {
        let d = Diagnostic::new(
            Severity::Error,
            "lessons/02.toml",
            Some(Position { line: 14, column: 7 }),
            "item[3].correct[0]",
            Msg::PositionOutOfRange { position: 5, choices: 4 },
        );
        assert_eq!(
            d.to_string(),
            "lessons/02.toml:14:7: item[3].correct[0]: position 5 is out of range (the item has 4 choices)"
        );
        assert_eq!(
            d.line_in(Lang::Es),
            "lessons/02.toml:14:7: item[3].correct[0]: la posición 5 está fuera de rango (el ejercicio tiene 4 opciones)"
        );
        let w = Diagnostic { severity: Severity::Warning, ..d.clone() };
        assert_eq!(
            w.to_string(),
            "lessons/02.toml:14:7: warning: item[3].correct[0]: position 5 is out of range (the item has 4 choices)"
        );
        assert!(w
            .line_in(Lang::Es)
            .starts_with("lessons/02.toml:14:7: aviso: item[3].correct[0]: la"));
        let f = Diagnostic { position: None, path: String::new(), ..d };
        assert_eq!(
            f.to_string(),
            "lessons/02.toml: position 5 is out of range (the item has 4 choices)"
        );
        let report = Report::from_diagnostics(vec![w, f]);
        assert_eq!(
            report.render(Lang::Es),
            "lessons/02.toml: la posición 5 está fuera de rango (el ejercicio tiene 4 opciones)\n\
             lessons/02.toml:14:7: aviso: item[3].correct[0]: la posición 5 está fuera de rango (el ejercicio tiene 4 opciones)\n"
        );
        assert_eq!(report.render(Lang::En), report.to_string());
    }

    #[test]
    fn json_has_the_code_and_its_arguments() {
        let d = Diagnostic::new(
            Severity::Error,
            "lessons/02.toml",
            None,
            "item[0].hint",
            Msg::UnknownFieldTypo { key: "hint".into(), suggestion: "hints".into() },
        );
        let json = serde_json::to_value(&d).expect("json");
        assert_eq!(json["code"], "unknown_field_typo");
        assert_eq!(json["args"]["suggestion"], "hints");
        assert_eq!(json["message"], "unknown field `hint` (did you mean `hints`?)");
        assert_eq!(d.code(), "unknown_field_typo");
    }
}
