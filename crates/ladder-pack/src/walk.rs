//! A walk over a span-preserving TOML table that reports every problem with its position.
//!
//! serde stops at the first error; a teacher wants all of them. So each TOML file is parsed into
//! `toml::de::DeTable` (every key and value keeps its byte span) and read field by field:
//! unknown fields, wrong types and missing fields are each reported where they are, and reading
//! goes on.

use std::collections::HashSet;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{Diagnostic, LineIndex, Position, Severity, Sink, Spot};
use crate::limits::MAX_TOML_DEPTH;
use crate::msg::{Expect, Msg, NumberHint, SyntaxHint, TomlType};

/// One TOML file being read: its name, text and line index, and where problems go.
pub(crate) struct TomlFile<'s> {
    pub name: &'s str,
    pub text: &'s str,
    lines: LineIndex,
    pub sink: &'s mut Sink,
    /// The field paths that an unknown key was said to stand for (`item[1].answer` for
    /// `answr`): such a field is not reported missing as well.
    suggested: HashSet<String>,
}

impl<'s> TomlFile<'s> {
    pub(crate) fn new(name: &'s str, text: &'s str, sink: &'s mut Sink) -> Self {
        TomlFile { name, text, lines: LineIndex::new(text), sink, suggested: HashSet::new() }
    }

    /// Whether the value at `span` is written under a header (`[...]`), not inline.
    pub(crate) fn header_at(&self, span: &Range<usize>) -> bool {
        self.text.get(span.start..).is_some_and(|t| t.starts_with('['))
    }

    pub(crate) fn position(&self, span: &Range<usize>) -> Position {
        self.lines.span_start(self.text, span)
    }

    pub(crate) fn spot(&self, span: &Range<usize>, path: &str) -> Spot {
        Spot { file: self.name.to_owned(), position: self.position(span), path: path.to_owned() }
    }

    pub(crate) fn error(&mut self, span: &Range<usize>, path: &str, msg: Msg) {
        let d = self.spot(span, path).error(msg);
        self.sink.push(d);
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.sink.push(d);
    }

    /// Parses the file; a syntax error is reported at its position and gives `None`.
    pub(crate) fn parse(&mut self) -> Option<Spanned<DeTable<'s>>> {
        match DeTable::parse(self.text) {
            Ok(t) => Some(t),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let detail = e.message().trim().replace('\n', " ");
                let hint = syntax_hint(self.text, &span, &detail);
                let position = self.position(&span);
                self.sink.push(Diagnostic::new(
                    Severity::Error,
                    self.name,
                    Some(position),
                    "",
                    Msg::TomlSyntax { detail, hint },
                ));
                None
            }
        }
    }

    /// Reports values nested deeper than the limit; `false` if there were any.
    pub(crate) fn check_depth(&mut self, root: &DeTable<'_>) -> bool {
        let mut ok = true;
        let mut stack: Vec<(&Spanned<DeValue<'_>>, usize, String)> =
            root.iter().map(|(k, v)| (v, 1, k.get_ref().to_string())).collect();
        while let Some((v, depth, path)) = stack.pop() {
            let children: Vec<(&Spanned<DeValue<'_>>, String)> = match v.get_ref() {
                DeValue::Table(t) => {
                    t.iter().map(|(k, c)| (c, format!("{path}.{}", k.get_ref()))).collect()
                }
                DeValue::Array(a) => {
                    a.iter().enumerate().map(|(i, c)| (c, format!("{path}[{i}]"))).collect()
                }
                _ => continue,
            };
            if depth > MAX_TOML_DEPTH {
                self.error(&v.span(), &path, Msg::TooDeep { limit: MAX_TOML_DEPTH });
                ok = false;
                continue;
            }
            stack.extend(children.into_iter().map(|(c, p)| (c, depth + 1, p)));
        }
        ok
    }
}

/// A TOML value's type, for "expected X, found Y" messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> TomlType {
    match v {
        DeValue::String(_) => TomlType::String,
        DeValue::Integer(_) => TomlType::Integer,
        DeValue::Float(_) => TomlType::Float,
        DeValue::Boolean(_) => TomlType::Boolean,
        DeValue::Datetime(_) => TomlType::Date,
        DeValue::Array(_) => TomlType::Array,
        DeValue::Table(_) => TomlType::Table,
    }
}

/// "expected `expected`, found the type of `v`".
pub(crate) fn expected(expected: Expect, v: &DeValue<'_>) -> Msg {
    Msg::Expected { expected, found: type_name(v) }
}

/// The TOML header of a field path: `item[0].feedback` is written `item.feedback`.
fn header_of(path: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => skipping = true,
            ']' => skipping = false,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out
}

/// `parent.key`, or `key` at the top.
pub(crate) fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A table being read, with its span and field path.
#[derive(Clone, Copy)]
pub(crate) struct Table<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: &'a Range<usize>,
    pub path: &'a str,
}

/// A value with its span and field path.
pub(crate) struct Field<'a, 'i> {
    pub value: &'a DeValue<'i>,
    pub span: Range<usize>,
    pub path: String,
}

impl<'a, 'i> Table<'a, 'i> {
    /// Reports every key not in `allowed`, suggesting the closest allowed one.
    /// `misplaced` gives, for keys that exist elsewhere but not here, the message saying so.
    pub(crate) fn check_fields(
        &self,
        f: &mut TomlFile<'_>,
        allowed: &[&str],
        misplaced: &dyn Fn(&str) -> Option<Msg>,
    ) {
        for (k, _) in self.table.iter() {
            let key: &str = k.get_ref();
            if allowed.contains(&key) {
                continue;
            }
            let path = child(self.path, key);
            let message = if let Some(msg) = misplaced(key) {
                msg
            } else if let Some(field) = english_field(key).filter(|e| allowed.contains(e)) {
                f.suggested.insert(child(self.path, field));
                Msg::UnknownFieldEnglish { key: key.to_owned(), field: field.to_owned() }
            } else if let Some(close) = closest(key, allowed) {
                f.suggested.insert(child(self.path, close));
                Msg::UnknownFieldTypo { key: key.to_owned(), suggestion: close.to_owned() }
            } else {
                Msg::UnknownField {
                    key: key.to_owned(),
                    expected: allowed.iter().map(|a| (*a).to_owned()).collect(),
                }
            };
            // `answer = "half"` on a text item is reported once, with the `answers` to write.
            if let Msg::WriteAnswersList { .. } = message {
                f.suggested.insert(child(self.path, "answers"));
            }
            // `answer = 1` on a choice item likewise, with the `correct` to write.
            if let Msg::WriteCorrect { .. } = message {
                f.suggested.insert(child(self.path, "correct"));
            }
            f.error(&k.span(), &path, message);
        }
    }

    /// The keys of this table that are among `names`, in the file's order, with their spans.
    pub(crate) fn keys_among(&self, names: &[&str]) -> Vec<(String, Range<usize>)> {
        let mut keys: Vec<(String, Range<usize>)> = self
            .table
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .filter(|(k, _)| names.contains(&k.as_str()))
            .collect();
        keys.sort_by_key(|(_, span)| span.start);
        keys
    }

    /// Whether a key not in `allowed` is a misspelling of `wanted` (the one [`Table::check_fields`]
    /// suggests for it): a check that `wanted` is missing then says nothing more (`hint = [...]`
    /// was reported as an unknown field, "did you mean `hints`?", and again as "no hints").
    pub(crate) fn misspells(&self, wanted: &str, allowed: &[&str]) -> bool {
        self.table.iter().any(|(k, _)| {
            let key: &str = k.get_ref();
            !allowed.contains(&key)
                && english_field(key)
                    .filter(|e| allowed.contains(e))
                    .or_else(|| closest(key, allowed))
                    == Some(wanted)
        })
    }

    /// The keys of this table written as table headers (`[name]`, `[[name]]`), each with how
    /// it is written, rather than as `key = value`.
    pub(crate) fn header_keys(&self, f: &TomlFile<'_>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in self.table.iter() {
            let key: &str = k.get_ref();
            let written = match v.get_ref() {
                DeValue::Table(_) if f.header_at(&v.span()) => format!("[{key}]"),
                DeValue::Array(items)
                    if f.header_at(&v.span())
                        && items.iter().all(|i| matches!(i.get_ref(), DeValue::Table(_)))
                        && f.text.get(v.span().start..).is_some_and(|t| t.starts_with("[[")) =>
                {
                    format!("[[{key}]]")
                }
                _ => continue,
            };
            out.push((key.to_owned(), written));
        }
        out
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// The field `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<Field<'a, 'i>> {
        self.table.get(key).map(|v| Field {
            value: v.get_ref(),
            span: v.span(),
            path: child(self.path, key),
        })
    }

    /// The field `key`; reports it missing (at the table) when it is not there.
    pub(crate) fn required(&self, f: &mut TomlFile<'_>, key: &str) -> Option<Field<'a, 'i>> {
        self.required_with(f, key, Msg::MissingField)
    }

    /// As [`Table::required`], with the message to give when the field is missing.
    pub(crate) fn required_with(
        &self,
        f: &mut TomlFile<'_>,
        key: &str,
        missing: Msg,
    ) -> Option<Field<'a, 'i>> {
        let field = self.get(key);
        let path = child(self.path, key);
        // A misspelt field is reported once, as the unknown field with this name to write.
        if field.is_none() && !f.suggested.contains(&path) {
            f.error(self.span, &path, missing);
        }
        field
    }

    fn lookup(&self, f: &mut TomlFile<'_>, key: &str, required: bool) -> Option<Field<'a, 'i>> {
        if required {
            self.required(f, key)
        } else {
            self.get(key)
        }
    }

    pub(crate) fn string(&self, f: &mut TomlFile<'_>, key: &str, required: bool) -> Option<Str> {
        self.lookup(f, key, required)?.string(f)
    }

    pub(crate) fn boolean(&self, f: &mut TomlFile<'_>, key: &str) -> Option<bool> {
        let field = self.get(key)?;
        match field.value {
            DeValue::Boolean(b) => Some(*b),
            DeValue::String(s) if yes_or_no(s).is_some() => {
                let value = yes_or_no(s).unwrap_or_default().to_string();
                f.error(
                    &field.span,
                    &field.path,
                    Msg::ValueInQuotes { expected: Expect::Boolean, value },
                );
                None
            }
            other => {
                f.error(&field.span, &field.path, expected(Expect::Boolean, other));
                None
            }
        }
    }

    pub(crate) fn number(
        &self,
        f: &mut TomlFile<'_>,
        key: &str,
        required: bool,
    ) -> Option<(f64, Range<usize>, String)> {
        let field = self.lookup(f, key, required)?;
        let n = field.number(f)?;
        Some((n, field.span, field.path))
    }

    pub(crate) fn strings(
        &self,
        f: &mut TomlFile<'_>,
        key: &str,
        required: bool,
    ) -> Option<Vec<Str>> {
        self.lookup(f, key, required)?.strings(f)
    }

    /// An array of strings whose every element is one; else each wrong element is reported
    /// and the list is `None`, so that its length is not judged (`choices = [1, 2]` has no
    /// "0 choices", and its right position is not "out of range").
    pub(crate) fn strings_whole(
        &self,
        f: &mut TomlFile<'_>,
        key: &str,
        required: bool,
    ) -> Option<Vec<Str>> {
        let field = self.lookup(f, key, required)?;
        let list = field.strings(f)?;
        (field.array_len() == Some(list.len())).then_some(list)
    }

    /// Whether `key` is written as an empty array (`[]`), as opposed to an array whose
    /// elements were all skipped for a wrong type.
    pub(crate) fn empty_array(&self, key: &str) -> bool {
        self.get(key).and_then(|field| field.array_len()) == Some(0)
    }

    /// An array of tables (`[[item]]` or `[ {..}, {..} ]`); elements that are not tables are
    /// reported and skipped.
    pub(crate) fn tables(
        &self,
        f: &mut TomlFile<'_>,
        key: &str,
        required: bool,
    ) -> Option<Vec<TableOwned<'a, 'i>>> {
        let field = self.lookup(f, key, required)?;
        let DeValue::Array(items) = field.value else {
            // `[item.feedback]` written for one entry of the list `[[item.feedback]]`.
            let msg = if matches!(field.value, DeValue::Table(_)) && f.header_at(&field.span) {
                Msg::WriteDoubleBrackets { header: header_of(&field.path) }
            } else {
                expected(Expect::ArrayOfTables, field.value)
            };
            f.error(&field.span, &field.path, msg);
            return None;
        };
        let mut out = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let path = format!("{}[{i}]", field.path);
            match v.get_ref() {
                DeValue::Table(t) => out.push(TableOwned { table: t, span: v.span(), path }),
                other => f.error(&v.span(), &path, expected(Expect::Table, other)),
            }
        }
        Some(out)
    }

    /// A sub-table (`[lesson]`).
    pub(crate) fn table(&self, f: &mut TomlFile<'_>, key: &str) -> Option<TableOwned<'a, 'i>> {
        let field = self.required(f, key)?;
        match field.value {
            DeValue::Table(t) => Some(TableOwned { table: t, span: field.span, path: field.path }),
            // `[[lesson]]` written for the one table `[lesson]`.
            DeValue::Array(_)
                if f.text.get(field.span.start..).is_some_and(|t| t.starts_with("[[")) =>
            {
                f.error(
                    &field.span,
                    &field.path,
                    Msg::WriteSingleBrackets { header: header_of(&field.path) },
                );
                None
            }
            other => {
                f.error(&field.span, &field.path, expected(Expect::Table, other));
                None
            }
        }
    }
}

/// A table that owns its span and path (for tables found inside arrays).
pub(crate) struct TableOwned<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Range<usize>,
    pub path: String,
}

impl<'a, 'i> TableOwned<'a, 'i> {
    pub(crate) fn view(&self) -> Table<'_, 'i> {
        Table { table: self.table, span: &self.span, path: &self.path }
    }
}

/// A string value with where it was.
#[derive(Debug, Clone)]
pub(crate) struct Str {
    pub value: String,
    pub span: Range<usize>,
    pub path: String,
}

impl<'a, 'i> Field<'a, 'i> {
    pub(crate) fn string(&self, f: &mut TomlFile<'_>) -> Option<Str> {
        match self.value {
            DeValue::String(s) => {
                Some(Str { value: s.to_string(), span: self.span.clone(), path: self.path.clone() })
            }
            other => {
                f.error(&self.span, &self.path, expected(Expect::String, other));
                None
            }
        }
    }

    /// A number, integer or float. A whole number beyond TOML's 64-bit integers
    /// (`99999999999999999999`) and a float beyond `f64` (`1e400`) are "too large", not "not
    /// finite": the teacher wrote digits, not `inf` or `nan`.
    pub(crate) fn number(&self, f: &mut TomlFile<'_>) -> Option<f64> {
        let n = match self.value {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => n as f64,
                Err(_) => {
                    f.error(&self.span, &self.path, Msg::NumberTooLarge);
                    return None;
                }
            },
            DeValue::Float(x) => {
                let text = x.as_str();
                match text.parse::<f64>() {
                    Ok(n) if n.is_infinite() && !text.contains("inf") => {
                        f.error(&self.span, &self.path, Msg::NumberTooLarge);
                        return None;
                    }
                    Ok(n) => n,
                    Err(_) => f64::NAN,
                }
            }
            DeValue::String(text) => {
                // `answer = "3/4"`, `"2,5"`, `"70°"`, `"0.5"`: say how to write the number;
                // `tolerance = "5%"` as without the quotes.
                let percent = self.path.ends_with("tolerance") && text.trim().ends_with('%');
                let hint =
                    if percent { Some(NumberHint::Percent) } else { NumberHint::of(text, true) };
                let msg = match hint {
                    Some(hint) => Msg::NumberAsText { hint },
                    None => expected(Expect::Number, self.value),
                };
                f.error(&self.span, &self.path, msg);
                return None;
            }
            other => {
                f.error(&self.span, &self.path, expected(Expect::Number, other));
                return None;
            }
        };
        if n.is_finite() {
            Some(n)
        } else {
            f.error(&self.span, &self.path, Msg::NotFinite);
            None
        }
    }

    /// A non-negative integer (positions, blank numbers, schema versions).
    pub(crate) fn integer(&self, f: &mut TomlFile<'_>) -> Option<i64> {
        match self.value {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    f.error(&self.span, &self.path, Msg::IntegerTooLarge);
                    None
                }
            },
            DeValue::String(s) if s.trim().parse::<i64>().is_ok() => {
                let value = s.trim().to_owned();
                f.error(
                    &self.span,
                    &self.path,
                    Msg::ValueInQuotes { expected: Expect::Integer, value },
                );
                None
            }
            other => {
                f.error(&self.span, &self.path, expected(Expect::Integer, other));
                None
            }
        }
    }

    /// An array of strings; non-strings are reported and skipped (the others can still be
    /// checked one by one: an unknown skill). Whether the list is empty, or how long it is, is
    /// for `array_len` to say: the skipped elements were written.
    pub(crate) fn strings(&self, f: &mut TomlFile<'_>) -> Option<Vec<Str>> {
        let DeValue::Array(items) = self.value else {
            // `answers = "half"`: the list to write is `["half"]` (a long text stays `...`).
            let msg = match self.value {
                DeValue::String(s)
                    if s.chars().count() <= 30
                        && !s.trim().is_empty()
                        && !s.contains(['"', '\\'])
                        && !s.chars().any(char::is_control) =>
                {
                    Msg::StringNotInList { value: s.to_string() }
                }
                other => expected(Expect::ArrayOfStrings, other),
            };
            f.error(&self.span, &self.path, msg);
            return None;
        };
        let mut out = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.path);
            match v.get_ref() {
                DeValue::String(s) => out.push(Str { value: s.to_string(), span: v.span(), path }),
                other => f.error(&v.span(), &path, expected(Expect::String, other)),
            }
        }
        Some(out)
    }

    /// An array of integers; non-integers are reported and skipped (the others can still be
    /// checked one by one: a position out of range). Whether the list is empty is for
    /// `array_len` to say.
    /// `choices`, the trimmed texts of a choice item's options when they could be read, lets a
    /// choice written out instead of its position (`correct = ["12 °C"]`) get its position.
    pub(crate) fn integers(
        &self,
        f: &mut TomlFile<'_>,
        choices: Option<&[&str]>,
    ) -> Option<Vec<(i64, Range<usize>, String)>> {
        let DeValue::Array(items) = self.value else {
            // `correct = 2`: the list to write is `[2]`, not an example that means another one.
            let msg = match self.value {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .map(|value| Msg::IntegerNotInList { value }),
                _ => None,
            };
            let msg = msg.unwrap_or_else(|| expected(Expect::ArrayOfIntegers, self.value));
            f.error(&self.span, &self.path, msg);
            return None;
        };
        let mut out = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let field =
                Field { value: v.get_ref(), span: v.span(), path: format!("{}[{i}]", self.path) };
            if let (DeValue::String(s), Some(choices)) = (field.value, choices) {
                let text = s.trim();
                let position = choices.iter().position(|c| *c == text).map(|p| p + 1);
                let letter_or_number = text.len() == 1
                    && text.bytes().all(|b| b.is_ascii_alphabetic())
                    || text.parse::<i64>().is_ok();
                if position.is_some() || !(text.is_empty() || letter_or_number) {
                    let msg = Msg::PositionAsChoiceText {
                        text: text.to_owned(),
                        position,
                        choices: choices.len(),
                    };
                    f.error(&field.span, &field.path, msg);
                    continue;
                }
            }
            // `"B"`: a choice by its letter, as on a worksheet.
            if let DeValue::String(s) = field.value {
                let letter = s.trim();
                if let [b @ (b'a'..=b'z' | b'A'..=b'Z')] = letter.as_bytes() {
                    let position = u32::from(b.to_ascii_uppercase() - b'A') + 1;
                    let letter = letter.to_ascii_uppercase();
                    f.error(&field.span, &field.path, Msg::PositionLetter { letter, position });
                    continue;
                }
            }
            if let Some(n) = field.integer(f) {
                out.push((n, field.span, field.path));
            }
        }
        Some(out)
    }

    /// How many elements the value has as written, if it is an array.
    pub(crate) fn array_len(&self) -> Option<usize> {
        match self.value {
            DeValue::Array(items) => Some(items.len()),
            _ => None,
        }
    }
}

/// The keys whose value is true or false.
const BOOLEAN_KEYS: &[&str] = &["fixed_order", "shuffle", "fractions", "numeric", "case_sensitive"];

/// The first header of an item's part in `text` (`[[item.feedback]]`), as written.
fn part_header(text: &str) -> String {
    let line =
        text.lines().map(str::trim).find(|l| l.starts_with("[[item.") || l.starts_with("[item."));
    let header = line.and_then(|l| {
        let close = if l.starts_with("[[") { "]]" } else { "]" };
        l.find(close).map(|end| &l[..end + close.len()])
    });
    header.unwrap_or("[[item.feedback]]").to_owned()
}

/// What a yes or a no written for a boolean means (`yes`, `No`, `sí`, `True`, `falso`, ...).
fn yes_or_no(written: &str) -> Option<bool> {
    match written.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "sí" | "si" | "verdadero" | "on" => Some(true),
        "false" | "no" | "n" | "falso" | "off" => Some(false),
        _ => None,
    }
}

/// Field names as a Spanish-speaking teacher may write them, with the English field each
/// stands for (accents dropped: `título` is looked up as `titulo`).
const SPANISH_FIELDS: &[(&str, &str)] = &[
    ("acentos", "accents"),
    ("autor", "authors"),
    ("autores", "authors"),
    ("barajar", "shuffle"),
    ("comentarios", "feedback"),
    ("correcta", "correct"),
    ("correctas", "correct"),
    ("correcto", "correct"),
    ("correctos", "correct"),
    ("descripcion", "description"),
    ("dificultad", "difficulty"),
    ("enunciado", "prompt"),
    ("esquema", "schema"),
    ("fracciones", "fractions"),
    ("habilidad", "skills"),
    ("habilidades", "skills"),
    ("hueco", "blank"),
    ("huecos", "blanks"),
    ("idioma", "languages"),
    ("idioma_de_las_respuestas", "answer_language"),
    ("idioma_del_texto", "text_language"),
    ("idiomas", "languages"),
    ("introduccion", "intro"),
    ("licencia", "license"),
    ("mensaje", "message"),
    ("mezclar", "shuffle"),
    ("nombre", "name"),
    ("opciones", "choices"),
    ("orden", "order"),
    ("orden_fijo", "fixed_order"),
    ("pista", "hints"),
    ("pistas", "hints"),
    ("pregunta", "prompt"),
    ("prerrequisitos", "prerequisites"),
    ("requisitos", "prerequisites"),
    ("respuesta", "answer"),
    ("respuestas", "answers"),
    ("retroalimentacion", "feedback"),
    ("solucion", "solution"),
    ("tipo", "kind"),
    ("titulo", "title"),
    ("tolerancia", "tolerance"),
    ("unidad", "unit"),
    ("version", "version"),
];

/// The English field a Spanish field name stands for (`pistas`: `hints`), if it is one.
pub(crate) fn english_field(key: &str) -> Option<&'static str> {
    let folded: String = key
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            other => other,
        })
        .collect();
    let folded = folded.replace(['-', ' '], "_");
    SPANISH_FIELDS.iter().find(|(es, _)| *es == folded).map(|(_, en)| *en)
}

/// The allowed key (or id) closest to `key` by edit distance, if it is close enough to be a typo.
pub(crate) fn closest<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4) && *d < a.len())
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A plain-words hint for the TOML syntax errors teachers make most, if this is one of them.
/// The keys whose value is a number.
const NUMBER_KEYS: &[&str] = &["answer", "tolerance", "difficulty"];

/// The hint for the last number key (`answer = 2,5`) of `line` whose value starts before byte
/// `error` (where the parser stopped), if its value is a number written as on the board. The
/// value ends at the end of the line, a comment, the end of an inline table or array, or a
/// comma before the next key (`2,5, tolerance = 0.1` is `2,5`).
fn number_hint_in_line(line: &str, error: usize) -> Option<NumberHint> {
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut found = None;
    for key in NUMBER_KEYS {
        for (i, _) in line.match_indices(key) {
            let after = &line[i + key.len()..];
            let starts_key = !line[..i].ends_with(is_key_char) && !after.starts_with(is_key_char);
            let Some(value_start) = after.trim_start().strip_prefix('=') else {
                continue;
            };
            let value_at = line.len() - value_start.len();
            if !starts_key || value_at > error {
                continue;
            }
            let mut end = value_start.len();
            let mut chars = value_start.char_indices().peekable();
            while let Some((j, c)) = chars.next() {
                let next_is_digit = chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit());
                if matches!(c, '}' | ']' | '#') || (c == ',' && !next_is_digit) {
                    end = j;
                    break;
                }
            }
            if found.as_ref().is_none_or(|&(at, _, _)| at < value_at) {
                found = Some((value_at, *key, &value_start[..end]));
            }
        }
    }
    let (_, key, value) = found?;
    if key == "tolerance" && value.trim().ends_with('%') {
        return Some(NumberHint::Percent);
    }
    NumberHint::of(value.trim(), false)
}

fn syntax_hint(text: &str, span: &Range<usize>, message: &str) -> Option<SyntaxHint> {
    let at = text.get(span.start..).unwrap_or("");
    let line_start = text.get(..span.start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or("").lines().next().unwrap_or("").trim();
    if message.contains("escape") {
        return Some(SyntaxHint::Backslash);
    }
    if at.starts_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']) {
        return Some(SyntaxHint::TypographicQuotes);
    }
    // `prompt = "Say <span lang="es">hola</span>"`: the attribute's `"` ended the text, and the
    // parser stopped at what follows it, inside a tag that is still open.
    let upto_error = text.get(line_start..span.start.max(line_start)).unwrap_or("").trim_end();
    if let Some(before_quote) = upto_error.strip_suffix("=\"") {
        if before_quote.rfind('<').is_some_and(|tag| !before_quote[tag..].contains('>')) {
            return Some(SyntaxHint::QuoteInText);
        }
    }
    // `answer = 3/4`, `answer = 2,5`, `answer = 70°`: a number written as on the board, on a
    // line of its own or in an inline table (`{ numeric = true, answer = 2,5 }`), before the
    // place of the error.
    let before = text.get(line_start..span.start.max(line_start)).unwrap_or("");
    let upto = before.len() + at.find('\n').unwrap_or(at.len());
    let whole_line = text.get(line_start..line_start + upto).unwrap_or("");
    if let Some(hint) = number_hint_in_line(whole_line, before.len()) {
        return Some(SyntaxHint::Number(hint));
    }
    // `título = "..."`: a key with a letter TOML does not allow without quotes.
    if message.contains("unquoted key") {
        let key = line.split('=').next().unwrap_or("").trim();
        if !key.is_ascii() {
            return Some(match english_field(key) {
                Some(field) => SyntaxHint::EnglishField { field: field.to_owned() },
                None => SyntaxHint::KeyCharacters,
            });
        }
    }
    // `fixed_order = no`, `shuffle = False`: a yes or a no for true or false.
    if let Some((key, value)) = line.split_once('=') {
        let meant = yes_or_no(value.split('#').next().unwrap_or(""));
        if let Some(meant) = meant.filter(|_| BOOLEAN_KEYS.contains(&key.trim())) {
            return Some(SyntaxHint::Boolean { meant });
        }
    }
    if message.contains("duplicate key") {
        // `[[item.feedback]]` above the first `[[item]]` made `item` a table of its own.
        let above = text.get(..line_start).unwrap_or("");
        if line.starts_with("[[item]]") && above.contains("[item.") && !above.contains("[[item]]") {
            return Some(SyntaxHint::PartAboveItem { header: part_header(above) });
        }
        if line.starts_with('[') && !line.starts_with("[[") {
            // A lesson file holds one lesson: `[[lesson]]` would be refused too.
            if line.split('#').next().unwrap_or("").trim() == "[lesson]" {
                return Some(SyntaxHint::SecondLesson);
            }
            return Some(SyntaxHint::TableTwice { line: line.to_owned() });
        }
        let key: String =
            at.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
        // A second item (or skill) written without its own header line.
        if key == "id" && text.contains("[[skill]]") {
            return Some(SyntaxHint::HeaderMissing { key, skill: true });
        }
        if key == "id" && (text.contains("[[item]]") || text.contains("[lesson]")) {
            return Some(SyntaxHint::HeaderMissing { key, skill: false });
        }
        if !key.is_empty() {
            return Some(SyntaxHint::KeyTwice { key });
        }
    }
    // A ''' or """ text never closed is reported at the end of the file: say where it opens
    // (the last of an odd number of them).
    if message.contains("multi-line") {
        let quotes = if message.contains("literal") { "'''" } else { "\"\"\"" };
        let mut opened = None;
        let mut from = 0;
        let mut count = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find(quotes)) {
            count += 1;
            opened = Some(from + i);
            // A run of more quotes than three closes and ends the text: skip it whole.
            let quote = if quotes.starts_with('\'') { '\'' } else { '"' };
            let run = text[from + i..].chars().take_while(|&c| c == quote).count();
            from += i + run.max(3);
        }
        if let Some(at) = opened.filter(|_| count % 2 == 1) {
            let line = text[..at].matches('\n').count() + 1;
            return Some(SyntaxHint::UnclosedText { quotes: quotes.to_owned(), line });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_suggestions() {
        assert_eq!(closest("hint", &["hints", "solution"]), Some("hints"));
        assert_eq!(closest("promt", &["prompt", "id"]), Some("prompt"));
        assert_eq!(closest("zzzzzz", &["id", "kind"]), None);
    }

    fn hint_for(text: &str) -> Option<String> {
        let e = DeTable::parse(text).expect_err("a syntax error");
        let hint = syntax_hint(text, &e.span().unwrap_or(0..0), e.message())?;
        let msg = Msg::TomlSyntax { detail: String::new(), hint: Some(hint) };
        Some(msg.render(crate::msg::Lang::En))
    }

    #[test]
    fn common_syntax_errors_get_a_hint() {
        let tex = hint_for("prompt = \"$\\sqrt{2}$\"\n").expect("hint");
        assert!(tex.contains("two backslashes"), "{tex}");
        let quotes = hint_for("title = \u{201c}One half\u{201d}\n").expect("hint");
        assert!(quotes.contains("straight"), "{quotes}");
        let table = hint_for("[item]\nid = \"a\"\n\n[item]\nid = \"b\"\n").expect("hint");
        assert!(table.contains("[[item]]"), "{table}");
        let key = hint_for("id = \"a\"\nid = \"b\"\n").expect("hint");
        assert!(key.contains("`id` is given twice"), "{key}");
        // The `"` of an HTML attribute inside a `"..."` text ends the text: the teacher is told
        // to write the attribute in single quotes (the parser's words alone did not say it).
        let span = hint_for("prompt = \"Say <span lang=\"es\">hola</span>.\"\n").expect("hint");
        assert!(span.contains("<span lang='es'>"), "{span}");
        assert_eq!(hint_for("x = = 1\n"), None);
    }
}
