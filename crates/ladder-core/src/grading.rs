//! Grading: is a learner's answer right, which feedback applies, which cloze blanks were right.
//!
//! The comparison rules are those of `docs/pack-format.md`: numbers accept spaces, a leading `+`,
//! trailing zeros, a decimal comma and (when the item allows it) fractions and mixed numbers;
//! text ignores case unless told otherwise, ignores accents unless told otherwise, and always
//! collapses whitespace.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::item::{Accents, Blank, Feedback, Item, ItemKind, NumericAnswer, TextAnswer};

/// What a learner submitted.
///
/// Serialised as `{"kind": "choice", "value": [1, 3]}` and so on.
/// A field it does not have is refused, not ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answer {
    /// 1-based positions in the item's `choices` as the pack lists them (the front end undoes any
    /// shuffling). Empty when nothing was picked.
    Choice(Vec<usize>),
    /// What was typed, for numeric and text items.
    Text(String),
    /// What was typed into each blank, in blank order.
    Cloze(Vec<String>),
    /// The learner's order: for each place, the 1-based position in the item's `order` list of
    /// the entry the learner put there. `[1, 2, 3]` is the pack's (correct) order.
    Order(Vec<usize>),
}

impl Answer {
    fn kind_name(&self) -> &'static str {
        match self {
            Answer::Choice(_) => "choice",
            Answer::Text(_) => "text",
            Answer::Cloze(_) => "cloze",
            Answer::Order(_) => "order",
        }
    }
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    pub correct: bool,
    /// The Markdown message of the first feedback entry that matches the answer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// Cloze items only: for each blank, whether it was right. Empty for other kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blanks: Vec<bool>,
}

/// The most characters a typed answer (or one cloze blank) may have. No learner types more, and
/// an answer is recorded as given, so a longer one is refused rather than stored.
pub const MAX_TYPED_CHARS: usize = 1000;

/// Refuses a typed answer longer than [`MAX_TYPED_CHARS`].
fn typed_length(typed: &str) -> Result<()> {
    let n = typed.chars().count();
    if n > MAX_TYPED_CHARS {
        return Err(Error::MalformedAnswer(format!(
            "a typed answer can have at most {MAX_TYPED_CHARS} characters; this one has {n}"
        )));
    }
    Ok(())
}

/// Grades `answer` against `item`.
///
/// A wrong answer is `Ok` with `correct: false`; an answer that no learner action can produce for
/// this item (another kind, a position out of range, the wrong number of blanks) is an error.
pub fn grade(item: &Item, answer: &Answer) -> Result<Grade> {
    let mismatch = || Error::AnswerKind { expected: item.kind.name(), found: answer.kind_name() };
    match (&item.kind, answer) {
        (ItemKind::Choice { choices, correct, .. }, Answer::Choice(picked)) => {
            // Repeats are one pick, but an answer is recorded as given: it lists no more
            // positions than there are choices.
            if picked.len() > choices.len() {
                return Err(Error::MalformedAnswer(format!(
                    "the answer lists {} positions but the item has {} choices",
                    picked.len(),
                    choices.len()
                )));
            }
            let picked = position_set(picked, choices.len(), "choice")?;
            // Nothing picked is no answer at all (the app cannot send it), and a single-answer
            // item shows radio buttons, so several picks cannot come from a learner either.
            if picked.is_empty() {
                return Err(Error::MalformedAnswer("no choice was picked".into()));
            }
            if correct.len() == 1 && picked.len() > 1 {
                return Err(Error::MalformedAnswer(format!(
                    "the item takes one choice but the answer picks {}",
                    picked.len()
                )));
            }
            let expected: BTreeSet<usize> = correct.iter().copied().collect();
            let correct = picked == expected;
            let feedback = first_feedback(&item.feedback, None, correct, |fb| {
                parse_positions(fb).is_some_and(|set| set == picked)
            });
            Ok(Grade { correct, feedback, blanks: Vec::new() })
        }
        (ItemKind::Numeric(spec), Answer::Text(typed)) => {
            typed_length(typed)?;
            let correct = numeric_matches(spec, typed);
            let feedback = first_feedback(&item.feedback, None, correct, |fb| {
                numeric_equals_feedback(spec, typed, fb)
            });
            Ok(Grade { correct, feedback, blanks: Vec::new() })
        }
        (ItemKind::Text(spec), Answer::Text(typed)) => {
            typed_length(typed)?;
            let correct = text_matches(spec, typed);
            let feedback = first_feedback(&item.feedback, None, correct, |fb| {
                same_text(spec.case_sensitive, spec.accents, typed, fb)
            });
            Ok(Grade { correct, feedback, blanks: Vec::new() })
        }
        (ItemKind::Cloze { blanks }, Answer::Cloze(typed)) => {
            if typed.len() != blanks.len() {
                return Err(Error::MalformedAnswer(format!(
                    "the item has {} blanks but the answer fills {}",
                    blanks.len(),
                    typed.len()
                )));
            }
            for t in typed {
                typed_length(t)?;
            }
            let results: Vec<bool> =
                blanks.iter().zip(typed).map(|(blank, t)| blank_matches(blank, t)).collect();
            // Feedback is for a wrong answer: an entry applies only to a blank filled wrongly.
            let feedback = item
                .feedback
                .iter()
                .find(|fb| {
                    fb.blank
                        .and_then(|n| n.checked_sub(1))
                        .filter(|&i| results.get(i) == Some(&false))
                        .and_then(|i| Some((blanks.get(i)?, typed.get(i)?)))
                        .is_some_and(|(blank, t)| blank_equals_feedback(blank, t, &fb.answer))
                })
                .map(|fb| fb.message.clone());
            Ok(Grade { correct: results.iter().all(|&r| r), feedback, blanks: results })
        }
        (ItemKind::Order { order }, Answer::Order(places)) => {
            if places.len() != order.len()
                || position_set(places, order.len(), "order")?.len() != order.len()
            {
                return Err(Error::MalformedAnswer(format!(
                    "an order answer must use each of the {} entries exactly once",
                    order.len()
                )));
            }
            // Compare texts rather than positions, so that two identical entries may be swapped.
            let correct = places.iter().zip(order).all(|(&p, want)| order.get(p - 1) == Some(want));
            Ok(Grade { correct, feedback: None, blanks: Vec::new() })
        }
        _ => Err(mismatch()),
    }
}

/// The first feedback entry (for `blank`) whose answer `matches`, as its message. Feedback names
/// a specific wrong answer, so a right answer gets none (an entry that reads the same value in
/// another form, such as `3/4` on an item that wants decimals, must not greet the right answer).
fn first_feedback(
    feedback: &[Feedback],
    blank: Option<usize>,
    correct: bool,
    matches: impl Fn(&str) -> bool,
) -> Option<String> {
    if correct {
        return None;
    }
    feedback.iter().find(|fb| fb.blank == blank && matches(&fb.answer)).map(|fb| fb.message.clone())
}

/// Checks 1-based positions against `len` and returns them as a set.
fn position_set(positions: &[usize], len: usize, what: &str) -> Result<BTreeSet<usize>> {
    let mut set = BTreeSet::new();
    for &p in positions {
        if p == 0 || p > len {
            return Err(Error::MalformedAnswer(format!(
                "{what} position {p} is out of range (the item has {len})"
            )));
        }
        set.insert(p);
    }
    Ok(set)
}

/// Parses the `answer` of a choice item's feedback entry: one position (`"2"`) or several
/// joined by commas (`"1,3"`, spaces allowed). `None` if it is not such a list.
pub fn parse_positions(s: &str) -> Option<BTreeSet<usize>> {
    let mut set = BTreeSet::new();
    for part in s.split(',') {
        let part = part.trim();
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        set.insert(part.parse::<usize>().ok()?);
    }
    Some(set)
}

fn blank_matches(blank: &Blank, typed: &str) -> bool {
    match blank {
        Blank::Numeric(spec) => numeric_matches(spec, typed),
        Blank::Text(spec) => text_matches(spec, typed),
    }
}

fn blank_equals_feedback(blank: &Blank, typed: &str, feedback_answer: &str) -> bool {
    match blank {
        Blank::Numeric(spec) => numeric_equals_feedback(spec, typed, feedback_answer),
        Blank::Text(spec) => same_text(spec.case_sensitive, spec.accents, typed, feedback_answer),
    }
}

/// Whether `typed` is a number within the item's tolerance of its answer.
pub fn numeric_matches(spec: &NumericAnswer, typed: &str) -> bool {
    parse_number(typed, spec.fractions, spec.unit.as_deref())
        .is_some_and(|x| close(x, spec.answer, spec.tolerance))
}

/// A numeric feedback entry matches when both read as the same number (no tolerance: feedback
/// names one specific wrong answer). Both sides read fractions even where the item does not
/// accept them, so that an entry `3/4` can tell a learner who typed `3/4` to write a decimal.
fn numeric_equals_feedback(spec: &NumericAnswer, typed: &str, feedback_answer: &str) -> bool {
    let unit = spec.unit.as_deref();
    match (parse_number(typed, true, unit), parse_number(feedback_answer, true, unit)) {
        (Some(a), Some(b)) => close(a, b, 0.0),
        _ => false,
    }
}

/// `|x - want| <= tolerance`, with a relative slack of 1e-9 so that `0.1 + 0.2`-style rounding
/// of decimal input never turns a right answer wrong.
fn close(x: f64, want: f64, tolerance: f64) -> bool {
    (x - want).abs() <= tolerance + 1e-9 * want.abs().max(1.0)
}

/// Ways of writing the same unit that a learner may type after a number: the pack's `unit`
/// itself, and for the common units of time, length, mass and volume their names in English and
/// Spanish, singular and plural (`min`, `minute`, `minutes`, `minuto`, `minutos`, ...), and for
/// the areas mm² to km² and the volumes cm³ and m³ their symbols (`m²`, `m^2`, `sq m`) and names
/// (`square metres`, `metros cuadrados`, `cubic centimetres`), and for `€`, `$` and `£` their
/// codes and names (`eur`, `euros`, `dollars`, `libras`). Accents are left out as
/// [`fold_typing`] does not remove them: both spellings are listed.
fn unit_spellings(unit: &str) -> Vec<String> {
    const SAME: &[&[&str]] = &[
        &["s", "sec", "secs", "second", "seconds", "segundo", "segundos"],
        &["min", "mins", "minute", "minutes", "minuto", "minutos"],
        &["h", "hr", "hrs", "hour", "hours", "hora", "horas"],
        &["d", "day", "days", "día", "días", "dia", "dias"],
        &[
            "mm",
            "millimetre",
            "millimetres",
            "millimeter",
            "millimeters",
            "milímetro",
            "milímetros",
            "milimetro",
            "milimetros",
        ],
        &[
            "cm",
            "centimetre",
            "centimetres",
            "centimeter",
            "centimeters",
            "centímetro",
            "centímetros",
            "centimetro",
            "centimetros",
        ],
        &["m", "metre", "metres", "meter", "meters", "metro", "metros"],
        &[
            "km",
            "kilometre",
            "kilometres",
            "kilometer",
            "kilometers",
            "kilómetro",
            "kilómetros",
            "kilometro",
            "kilometros",
        ],
        &["g", "gram", "grams", "gramme", "grammes", "gramo", "gramos"],
        &["kg", "kilogram", "kilograms", "kilo", "kilos", "kilogramo", "kilogramos"],
        &[
            "ml",
            "millilitre",
            "millilitres",
            "milliliter",
            "milliliters",
            "mililitro",
            "mililitros",
        ],
        &["l", "litre", "litres", "liter", "liters", "litro", "litros"],
        &[
            "km/h",
            "kph",
            "kmh",
            "km per hour",
            "kilometres per hour",
            "kilometers per hour",
            "kilómetros por hora",
            "kilometros por hora",
        ],
        &["m/s", "metres per second", "meters per second", "metros por segundo"],
        // Money: the sign (which may also come first, see `CURRENCY_SIGNS`), the code, the name.
        &["€", "eur", "euro", "euros"],
        &["$", "usd", "dollar", "dollars", "dólar", "dólares", "dolar", "dolares"],
        &["£", "gbp", "pound", "pounds", "libra", "libras"],
        // Areas and volumes, in the form the input is read in (`m²` is `m2` there).
        &[
            "mm2",
            "mm^2",
            "sq mm",
            "square millimetre",
            "square millimetres",
            "square millimeter",
            "square millimeters",
            "milímetro cuadrado",
            "milímetros cuadrados",
            "milimetro cuadrado",
            "milimetros cuadrados",
        ],
        &[
            "cm2",
            "cm^2",
            "sq cm",
            "square centimetre",
            "square centimetres",
            "square centimeter",
            "square centimeters",
            "centímetro cuadrado",
            "centímetros cuadrados",
            "centimetro cuadrado",
            "centimetros cuadrados",
        ],
        &[
            "m2",
            "m^2",
            "sq m",
            "square metre",
            "square metres",
            "square meter",
            "square meters",
            "metro cuadrado",
            "metros cuadrados",
        ],
        &[
            "km2",
            "km^2",
            "sq km",
            "square kilometre",
            "square kilometres",
            "square kilometer",
            "square kilometers",
            "kilómetro cuadrado",
            "kilómetros cuadrados",
            "kilometro cuadrado",
            "kilometros cuadrados",
        ],
        &[
            "cm3",
            "cm^3",
            "cubic centimetre",
            "cubic centimetres",
            "cubic centimeter",
            "cubic centimeters",
            "centímetro cúbico",
            "centímetros cúbicos",
            "centímetro cubico",
            "centímetros cubicos",
            "centimetro cúbico",
            "centimetros cúbicos",
            "centimetro cubico",
            "centimetros cubicos",
        ],
        &[
            "m3",
            "m^3",
            "cubic metre",
            "cubic metres",
            "cubic meter",
            "cubic meters",
            "metro cúbico",
            "metros cúbicos",
            "metro cubico",
            "metros cubicos",
        ],
    ];
    let mut out = vec![unit.to_owned()];
    if let Some(group) = SAME.iter().find(|g| g.contains(&unit)) {
        out.extend(group.iter().filter(|w| **w != unit).map(|w| (*w).to_owned()));
    }
    out
}

/// Currency signs, which a learner writes before the number (`€2.50`) as well as after it.
const CURRENCY_SIGNS: &[&str] = &["€", "$", "£"];

/// Reads a learner's number.
///
/// Reads it as [`fold_typing`] leaves it (invisible characters dropped, dashes as `-`, ...).
/// Accepts surrounding and inner spaces, a leading `+` or `-` (also `−` and the dashes `‐ ‒ –`), trailing zeros, a
/// decimal comma (`0,75`), a leading or trailing point (`.75`, `3.`), the item's `unit` after the
/// number (any case; a currency's sign also before it, `€2.50`), and, when `fractions` is true,
/// `3/4`, `3 / 4`, `1 1/2` and `-1 1/2`.
/// Rejects anything else (exponents, `inf`, thousands separators, words): `None`.
pub fn parse_number(input: &str, fractions: bool, unit: Option<&str>) -> Option<f64> {
    // Compatibility forms read as what they look like: full-width digits (`０.７５`) as digits,
    // a vulgar fraction (`¾`) as `3⁄4`, and the fraction slash `⁄` as `/`.
    // `1½` is the mixed number `1 1/2`, so a vulgar fraction after a digit gets a space first.
    let input = fold_typing(input);
    let mut spaced = String::with_capacity(input.len());
    let mut prev_digit = false;
    for c in input.chars() {
        let vulgar = c.to_string().nfkc().any(|d| d == '\u{2044}');
        if vulgar && prev_digit {
            spaced.push(' ');
        }
        prev_digit = c.is_ascii_digit() || c.to_string().nfkc().all(|d| d.is_ascii_digit());
        spaced.push(c);
    }
    let input: String = spaced.nfkc().map(|c| if c == '\u{2044}' { '/' } else { c }).collect();
    let mut s: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    // The unit is read in the same form as the input (`m²` is `m2` there, `µ` is `μ`, `o’clock`
    // is `o'clock`, `in–lb` is `in-lb`).
    let unit = unit.map(|u| {
        fold_typing(u).nfkc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
    });
    if let Some(unit) = unit.filter(|u| !u.is_empty()) {
        let lower = s.to_lowercase();
        let unit = unit.to_lowercase();
        // The unit as written in the pack, or spelt out ("75 minutes" for `min`), longest first
        // so that "minutes" is not read as "75 minute" + "s".
        let mut spellings = unit_spellings(&unit);
        spellings.sort_by_key(|w| std::cmp::Reverse(w.len()));
        if let Some(rest) = spellings.iter().find_map(|w| lower.strip_suffix(w.as_str())) {
            s = rest.trim_end().to_owned();
        } else if let Some(sign) = spellings.iter().find(|w| CURRENCY_SIGNS.contains(&w.as_str())) {
            // Money puts its sign first: `€2.50`, `-€3`.
            let (minus, body) = match lower.trim_start().strip_prefix(['-', '+']) {
                Some(body) => (&lower.trim_start()[..1], body),
                None => ("", lower.as_str()),
            };
            if let Some(rest) = body.trim_start().strip_prefix(sign.as_str()) {
                s = format!("{minus}{}", rest.trim_start());
            }
        }
    }
    let s = s.trim();
    // A minus as keyboards and phones write it: `-`, `−`, and the dashes `‐`, `‒`, `–` that
    // autocorrection puts in its place (`fold_typing` has made them all `-`).
    let (negative, rest) = if let Some(r) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else {
        (false, s)
    };
    let rest = rest.trim_start();
    let magnitude = if rest.contains('/') {
        if !fractions {
            return None;
        }
        let (left, den) = rest.split_once('/')?;
        let den = unsigned_decimal(den.trim())?;
        if den == 0.0 {
            return None;
        }
        let parts: Vec<&str> = left.split_whitespace().collect();
        match parts.as_slice() {
            [num] => unsigned_decimal(num)? / den,
            [whole, num] => {
                if !is_digits(whole) || !is_digits(num) {
                    return None;
                }
                unsigned_decimal(whole)? + unsigned_decimal(num)? / den
            }
            _ => return None,
        }
    } else {
        unsigned_decimal(rest)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `12`, `12.5`, `12,5`, `.5`, `12.`: digits with at most one decimal separator and at least one
/// digit.
fn unsigned_decimal(s: &str) -> Option<f64> {
    let mut separators = 0;
    let mut digits = 0;
    let mut normal = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => {
                digits += 1;
                normal.push(c);
            }
            '.' | ',' => {
                separators += 1;
                normal.push('.');
            }
            _ => return None,
        }
    }
    if digits == 0 || separators > 1 {
        return None;
    }
    normal.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Whether `typed` equals one of the accepted answers under the item's comparison rules.
pub fn text_matches(spec: &TextAnswer, typed: &str) -> bool {
    let typed = text_key(typed, spec.case_sensitive, spec.accents);
    !typed.is_empty()
        && spec.answers.iter().any(|a| text_key(a, spec.case_sensitive, spec.accents) == typed)
}

fn same_text(case_sensitive: bool, accents: Accents, a: &str, b: &str) -> bool {
    text_key(a, case_sensitive, accents) == text_key(b, case_sensitive, accents)
}

/// What a text answer is compared by: [`normalize_text`] without the marks that end a sentence
/// (`.`, `!`, `?`, `…`) or open one in Spanish (`¿`, `¡`), on either side, so that "hour." and
/// "¿Dónde?" match "hour" and "dónde" (a learner who ends an answer with a full stop was marked
/// wrong). An answer that is nothing but such marks keeps them.
fn text_key(s: &str, case_sensitive: bool, accents: Accents) -> String {
    let n = normalize_text(s, case_sensitive, accents);
    let bare = n.trim_end_matches(['.', '!', '?', '…']).trim_start_matches(['¿', '¡']).trim();
    if bare.is_empty() {
        n
    } else {
        bare.to_owned()
    }
}

/// What a learner cannot see or did not choose, taken out of typed text before any comparison
/// (learner's answers and the pack's alike): invisible format characters (a zero-width space
/// pasted along, a soft hyphen, a byte order mark, direction marks) go; full-width ASCII forms
/// (an East Asian input method's `ｇａｔｏ`, `１２`) and the ideographic space read as ASCII;
/// curly and other apostrophes and quotes as `'` and `"`; hyphens and dashes (`‐ ‑ ‒ – —`, which
/// autocorrection puts for `-`) as `-`.
pub fn fold_typing(s: &str) -> String {
    s.chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| match c {
            // Full-width forms first: `｀` is a backtick, which is read as an apostrophe below.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
            | '\u{00B4}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' => '-',
            _ => c,
        })
        .collect()
}

/// Format characters that show nothing: soft hyphen, Arabic letter mark, Mongolian vowel
/// separator, zero-width space, direction marks, embeddings and isolates, word joiner and
/// invisible operators, byte order mark. The zero-width non-joiner and joiner stay: Persian and
/// Indic spelling writes them, and they join emoji.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// The form in which text answers are compared: what [`fold_typing`] leaves, Unicode NFC,
/// whitespace collapsed and trimmed, lowercased unless `case_sensitive`, accents (combining
/// marks) removed unless `Accents::Strict`. `ñ` is a letter of its own, not an `n` with an
/// accent (Spanish `año` is not `ano`): it stays when accents are ignored.
pub fn normalize_text(s: &str, case_sensitive: bool, accents: Accents) -> String {
    // Folded in NFC form (some characters are other characters there: Greek oxia is `´`).
    let folded = fold_typing(&s.nfc().collect::<String>());
    let cased = if case_sensitive { folded } else { folded.to_lowercase() };
    let normalised: String = match accents {
        Accents::Strict => cased.nfc().collect(),
        Accents::Ignore => {
            let mut out = String::with_capacity(cased.len());
            for c in cased.nfc() {
                if matches!(c, 'ñ' | 'Ñ') {
                    out.push(c);
                } else {
                    out.extend(c.to_string().nfd().filter(|&d| !is_combining_mark(d)));
                }
            }
            // A base letter freed of its marks may itself be one `fold_typing` reads otherwise.
            fold_typing(&out.nfc().collect::<String>())
        }
    };
    // Whitespace last: removing a mark can expose a space at either end ("\u{11630} 0").
    normalised.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ItemId;

    /// A unit spelt out is the unit: "75 minutes" for an answer in `min` was marked wrong. Another
    /// unit is not read as this one.
    #[test]
    fn a_unit_spelt_out_is_read_as_the_items_unit() {
        for (typed, unit) in [
            ("75 minutes", "min"),
            ("75 min", "min"),
            ("75 Minutes", "min"),
            ("75 minutos", "min"),
            ("75 mins", "min"),
            ("75", "min"),
        ] {
            assert_eq!(parse_number(typed, false, Some(unit)), Some(75.0), "{typed:?} in {unit}");
        }
        assert_eq!(parse_number("0.5 hours", false, Some("h")), Some(0.5));
        assert_eq!(parse_number("12 kilómetros", false, Some("km")), Some(12.0));
        assert_eq!(parse_number("60 km per hour", false, Some("km/h")), Some(60.0));
        assert_eq!(parse_number("75 hours", false, Some("min")), None);
        assert_eq!(parse_number("3 m", false, Some("km")), None);
        // A unit no list knows is read as written only.
        assert_eq!(parse_number("4 apples", false, Some("apples")), Some(4.0));
        assert_eq!(parse_number("4 apple", false, Some("apples")), None);
    }

    /// An area or a volume is one unit however it is written: the sample Fractions pack asks for
    /// an area in `square metres`, and a learner who wrote `1/2 m²` (as taught at school) was
    /// marked wrong; so was `m²` spelt out for an item in `m²`. Another unit is not this one.
    #[test]
    fn an_area_or_a_volume_written_with_its_symbol_or_spelt_out_is_the_items_unit() {
        for unit in ["square metres", "m²", "m2", "square meters", "metros cuadrados"] {
            for typed in [
                "1/2 m²",
                "1/2m²",
                "1/2 m2",
                "1/2 m^2",
                "1/2 sq m",
                "1/2 square metres",
                "1/2 square meter",
                "½ Square Meters",
                "1/2 metros cuadrados",
                "0,5 metro cuadrado",
                "1/2",
            ] {
                assert_eq!(parse_number(typed, true, Some(unit)), Some(0.5), "{typed:?} in {unit}");
            }
            for other in ["1/2 m", "1/2 cm²", "1/2 m³", "1/2 square centimetres", "1/2 km2"] {
                assert_eq!(parse_number(other, true, Some(unit)), None, "{other:?} in {unit}");
            }
        }
        for (typed, unit) in [
            ("12 cm²", "square centimetres"),
            ("12 square centimeters", "cm²"),
            ("12 centímetros cuadrados", "cm2"),
            ("12 sq km", "km²"),
            ("12 mm^2", "mm²"),
            ("12 cm³", "cubic centimetres"),
            ("12 cubic centimeters", "cm³"),
            ("12 centímetros cúbicos", "cm³"),
            ("12 m³", "cubic metres"),
            ("12 metros cúbicos", "m3"),
        ] {
            assert_eq!(parse_number(typed, false, Some(unit)), Some(12.0), "{typed:?} in {unit}");
        }
        // A length is not an area, nor an area a volume.
        assert_eq!(parse_number("12 cm", false, Some("cm²")), None);
        assert_eq!(parse_number("12 cm²", false, Some("cm³")), None);
        assert_eq!(parse_number("12 m²", false, Some("m")), None);
    }

    /// Money is written with its sign in front (`€2.50`, `$3`, `£1.20`) or its name after it
    /// (`2.50 euros`): a learner who wrote a price so, for an item in `€`, was marked wrong. The
    /// sign of another currency is not this one, and only a currency's sign comes first.
    #[test]
    fn a_price_with_its_currency_sign_in_front_or_its_name_after_is_the_items_unit() {
        for (typed, unit) in [
            ("€2.50", "€"),
            ("€ 2,50", "€"),
            ("2.50€", "€"),
            ("2.50 euros", "€"),
            ("2,50 EUR", "€"),
            ("$2.50", "$"),
            ("2.50 dollars", "$"),
            ("£2.50", "£"),
            ("2.50 pounds", "£"),
            ("€2.50", "euros"),
            ("2.5", "€"),
        ] {
            assert_eq!(parse_number(typed, false, Some(unit)), Some(2.5), "{typed:?} in {unit}");
        }
        assert_eq!(parse_number("-€3", false, Some("€")), Some(-3.0));
        assert_eq!(parse_number("$2.50", false, Some("€")), None);
        assert_eq!(parse_number("2.50 dollars", false, Some("€")), None);
        assert_eq!(parse_number("€2.50", false, None), None);
        assert_eq!(parse_number("cm 5", false, Some("cm")), None, "only money puts its sign first");
    }

    /// A full stop, or the marks around a question or exclamation, do not make a text answer
    /// wrong ("hour." for "hour" was marked wrong); an answer that is only marks keeps them.
    #[test]
    fn sentence_marks_around_a_text_answer_do_not_count() {
        let spec = |answers: &[&str]| TextAnswer {
            answers: answers.iter().map(|a| a.to_string()).collect(),
            case_sensitive: false,
            accents: Accents::Ignore,
        };
        let hour = spec(&["hour"]);
        for typed in ["hour.", "Hour!", " hour ? ", "hour...", "hour…"] {
            assert!(text_matches(&hour, typed), "{typed:?}");
        }
        assert!(!text_matches(&hour, "hours."));
        assert!(!text_matches(&hour, "."));
        assert!(text_matches(&spec(&["¿Dónde está?"]), "donde esta"));
        assert!(text_matches(&spec(&["donde esta"]), "¿Dónde está?"));
        assert!(text_matches(&spec(&["?"]), "?"), "an answer that is only a mark");
        assert!(!text_matches(&spec(&["?"]), "!"));
        // Marks inside the answer still count.
        assert!(!text_matches(&spec(&["e.g"]), "eg"));
    }

    fn item(kind: ItemKind, feedback: Vec<Feedback>) -> Item {
        Item {
            id: ItemId::new("i"),
            lesson: "l".into(),
            skills: vec!["s".into()],
            prompt: "?".into(),
            difficulty: None,
            hints: vec![],
            solution: None,
            feedback,
            answer_language: None,
            kind,
        }
    }

    /// Found by the idempotence property: a leading combining mark, removed when accents are
    /// ignored, used to leave the space after it at the start of the answer.
    #[test]
    fn regression_mark_before_space_leaves_no_leading_space() {
        let once = normalize_text("\u{11630} 0", false, Accents::Ignore);
        assert_eq!(once, "0");
        assert_eq!(normalize_text(" e\u{301} \u{301} x ", false, Accents::Ignore), "e x");
    }

    fn fb(answer: &str, message: &str, blank: Option<usize>) -> Feedback {
        Feedback { answer: answer.into(), message: message.into(), blank }
    }

    fn numeric(answer: f64, fractions: bool) -> NumericAnswer {
        NumericAnswer { answer, tolerance: 0.0, fractions, unit: None }
    }

    fn text(answers: &[&str], case_sensitive: bool, accents: Accents) -> TextAnswer {
        TextAnswer {
            answers: answers.iter().map(|s| s.to_string()).collect(),
            case_sensitive,
            accents,
        }
    }

    fn check(item: &Item, answer: Answer) -> Grade {
        match grade(item, &answer) {
            Ok(g) => g,
            Err(e) => panic!("grading {answer:?} failed: {e}"),
        }
    }

    fn typed(item: &Item, s: &str) -> bool {
        check(item, Answer::Text(s.into())).correct
    }

    #[test]
    fn numeric_accepts_the_documented_spellings() {
        let it = item(ItemKind::Numeric(numeric(0.75, true)), vec![]);
        for ok in [
            "0.75",
            "0.750",
            " 0.75 ",
            "+0.75",
            ".75",
            "0,75",
            "3/4",
            " 3 / 4 ",
            "6/8",
            "0.7500000",
        ] {
            assert!(typed(&it, ok), "{ok:?} should be right");
        }
        for wrong in
            ["0.7", "", "   ", "3/5", "three quarters", "0.75.0", "7.5e-1", "0,7,5", "3/0", "-0.75"]
        {
            assert!(!typed(&it, wrong), "{wrong:?} should be wrong");
        }
    }

    #[test]
    fn numeric_mixed_numbers_and_signs() {
        let it = item(ItemKind::Numeric(numeric(1.5, true)), vec![]);
        assert!(typed(&it, "1 1/2"));
        assert!(typed(&it, "  1   1 / 2 "));
        assert!(typed(&it, "3/2"));
        assert!(typed(&it, "1.5"));
        assert!(!typed(&it, "1 1/3"));
        assert!(!typed(&it, "1 1 1/2"));
        let neg = item(ItemKind::Numeric(numeric(-1.5, true)), vec![]);
        assert!(typed(&neg, "-1 1/2"));
        assert!(typed(&neg, "− 1.5"));
        assert!(!typed(&neg, "1.5"));
    }

    #[test]
    fn numeric_without_fractions_only_takes_decimals() {
        let it = item(ItemKind::Numeric(numeric(0.75, false)), vec![]);
        assert!(typed(&it, "0.75"));
        assert!(typed(&it, "0,750"));
        assert!(!typed(&it, "3/4"));
        assert!(!typed(&it, "1 1/2"));
    }

    #[test]
    fn numeric_tolerance_and_unit() {
        let spec = NumericAnswer {
            answer: 2.54,
            tolerance: 0.01,
            fractions: false,
            unit: Some("cm".into()),
        };
        let it = item(ItemKind::Numeric(spec), vec![]);
        assert!(typed(&it, "2.54"));
        assert!(typed(&it, "2.55"));
        assert!(typed(&it, "2.53 cm"));
        assert!(typed(&it, "2.54CM"));
        // Compatibility forms: full-width digits, vulgar fractions, the fraction slash.
        let three_quarters = item(ItemKind::Numeric(numeric(0.75, true)), vec![]);
        assert!(typed(&three_quarters, "０.７５"));
        assert!(typed(&three_quarters, "¾"));
        assert!(typed(&three_quarters, "3⁄4"));
        let one_and_half = item(ItemKind::Numeric(numeric(1.5, true)), vec![]);
        assert!(typed(&one_and_half, "1½"));
        assert!(typed(&one_and_half, "1 ½"));
        assert!(!typed(&one_and_half, "11/2"));
        // Without fractions a vulgar fraction is a fraction, and so not accepted.
        let decimals = item(ItemKind::Numeric(numeric(0.75, false)), vec![]);
        assert!(!typed(&decimals, "¾"));
        assert!(!typed(&it, "2.56"));
        assert!(!typed(&it, "2.54 m"));
        // Decimal rounding never makes an exact answer wrong.
        let tenth = item(ItemKind::Numeric(numeric(0.3, false)), vec![]);
        assert!(typed(&tenth, "0.3"));
        assert!(typed(&tenth, "0,30"));
    }

    /// The learner's input is read in compatibility form (NFKC), so `m²` arrives as `m2` and the
    /// micro sign `µ` as the Greek `μ`; a unit written with them by the teacher used to stay as
    /// written, so a right answer typed with its unit (`6 m²`) was marked wrong.
    #[test]
    fn regression_a_unit_with_a_superscript_or_micro_sign_is_recognised() {
        let with_unit = |answer: f64, unit: &str| {
            let spec =
                NumericAnswer { answer, tolerance: 0.0, fractions: true, unit: Some(unit.into()) };
            item(ItemKind::Numeric(spec), vec![])
        };
        let area = with_unit(6.0, "m²");
        for ok in ["6", "6 m²", "6m²", "6 M²", "6 m2"] {
            assert!(typed(&area, ok), "{ok:?} should be right");
        }
        assert!(!typed(&area, "6 m"));
        assert!(!typed(&area, "6 m³"));
        let micro = with_unit(5.0, "µm");
        assert!(typed(&micro, "5 µm"), "micro sign");
        assert!(typed(&micro, "5 μm"), "Greek mu");
        // A unit of two words is compared with its spaces collapsed, as the answer is.
        let spaced = with_unit(5.0, "square  metres");
        assert!(typed(&spaced, "5 square metres"));
        assert!(typed(&spaced, "5 Square   Metres"));
    }

    #[test]
    fn numeric_feedback_matches_by_value() {
        let it = item(
            ItemKind::Numeric(numeric(0.75, true)),
            vec![fb("0.5", "half?", None), fb("3/5", "denominator!", None)],
        );
        let g = check(&it, Answer::Text("1/2".into()));
        assert!(!g.correct);
        assert_eq!(g.feedback.as_deref(), Some("half?"));
        let g = check(&it, Answer::Text("0,6".into()));
        assert_eq!(g.feedback.as_deref(), Some("denominator!"));
        assert_eq!(check(&it, Answer::Text("0.9".into())).feedback, None);
    }

    #[test]
    fn feedback_is_for_wrong_answers_only() {
        // Fractions off: `3/4` is wrong, and the entry written for it tells the learner why;
        // the right answer, the same value as a decimal, gets no feedback.
        let it = item(
            ItemKind::Numeric(numeric(0.75, false)),
            vec![fb("3/4", "Please write a decimal.", None)],
        );
        let g = check(&it, Answer::Text("3/4".into()));
        assert!(!g.correct);
        assert_eq!(g.feedback.as_deref(), Some("Please write a decimal."));
        let g = check(&it, Answer::Text("0.75".into()));
        assert!(g.correct);
        assert_eq!(g.feedback, None);
        // The same for a text item whose entry equals an accepted answer but for case.
        let it = item(
            ItemKind::Text(text(&["Bogotá"], false, Accents::Ignore)),
            vec![fb("bogota", "never shown", None)],
        );
        assert_eq!(check(&it, Answer::Text("BOGOTA".into())).feedback, None);
        // A cloze entry applies only to a blank filled wrongly.
        let it = item(
            ItemKind::Cloze {
                blanks: vec![
                    Blank::Numeric(numeric(2.0, false)),
                    Blank::Text(text(&["seis"], false, Accents::Ignore)),
                ],
            },
            vec![fb("2", "never shown: 2 is right", Some(1)), fb("tres", "second!", Some(2))],
        );
        let g = check(&it, Answer::Cloze(vec!["2".into(), "tres".into()]));
        assert_eq!(g.feedback.as_deref(), Some("second!"));
    }

    #[test]
    fn text_case_and_accents() {
        let ignore = item(ItemKind::Text(text(&["Bogotá"], false, Accents::Ignore)), vec![]);
        assert!(typed(&ignore, "Bogotá"));
        assert!(typed(&ignore, "Bogota"));
        assert!(typed(&ignore, "  bogota  "));
        assert!(typed(&ignore, "BOGOTÁ"));
        assert!(typed(&ignore, "Bogota\u{301}"), "decomposed accent");
        assert!(!typed(&ignore, "Bogot"));
        assert!(!typed(&ignore, ""));

        let strict = item(ItemKind::Text(text(&["Bogotá"], false, Accents::Strict)), vec![]);
        assert!(typed(&strict, "Bogotá"));
        assert!(typed(&strict, "bogotá"));
        assert!(typed(&strict, "Bogota\u{301}"), "NFD input equals NFC answer");
        assert!(!typed(&strict, "Bogota"));

        let cased = item(ItemKind::Text(text(&["Bogotá"], true, Accents::Strict)), vec![]);
        assert!(typed(&cased, "Bogotá"));
        assert!(!typed(&cased, "bogotá"));
        assert!(!typed(&cased, "BOGOTÁ"));
    }

    /// `ñ` is a letter of its own in Spanish: with accents ignored, `ano` is not `año`, while
    /// the accents on other letters (and on `ñ`'s neighbours) still do not count.
    #[test]
    fn regression_n_tilde_is_a_letter_not_an_accent() {
        let it = item(ItemKind::Text(text(&["año", "Peña"], false, Accents::Ignore)), vec![]);
        for ok in ["año", "AÑO", "an\u{303}o", "peña", "Péña", "PEN\u{303}A"] {
            assert!(typed(&it, ok), "{ok:?} should be right");
        }
        for wrong in ["ano", "pena", "ANO"] {
            assert!(!typed(&it, wrong), "{wrong:?} should be wrong");
        }
        let accents =
            item(ItemKind::Text(text(&["pingüino", "canción"], false, Accents::Ignore)), vec![]);
        assert!(typed(&accents, "pinguino") && typed(&accents, "cancion"));
    }

    /// What a learner cannot see does not make a visibly right answer wrong: invisible
    /// characters pasted or typed along, full-width forms from an input method, curly
    /// apostrophes and quotes, autocorrected dashes, in text, cloze blanks and numbers alike.
    #[test]
    fn regression_invisible_and_lookalike_characters_do_not_count() {
        let it = item(
            ItemKind::Text(text(&["gato", "it's", "well-known"], false, Accents::Ignore)),
            vec![],
        );
        for ok in [
            "ga\u{00AD}to",
            "gato\u{200B}",
            "\u{FEFF}gato",
            "g\u{2060}ato",
            "\u{200E}gato\u{200F}",
            "ｇａｔｏ",
            "\u{3000}gato\u{3000}",
            "it’s",
            "it‘s",
            "itʼs",
            "it´s",
            "well‐known",
            "well–known",
        ] {
            assert!(typed(&it, ok), "{ok:?} should be right");
        }
        for wrong in ["ga to", "gat", "its", "wellknown"] {
            assert!(!typed(&it, wrong), "{wrong:?} should be wrong");
        }
        let quoted = item(ItemKind::Text(text(&["\"hola\""], true, Accents::Strict)), vec![]);
        assert!(typed(&quoted, "“hola”") && typed(&quoted, "«hola»"));

        let n = item(ItemKind::Numeric(numeric(-3.0, false)), vec![]);
        for ok in ["-3", "−3", "–3", "‐3", "－３", "-3\u{200B}", "\u{FEFF}-3"] {
            assert!(typed(&n, ok), "{ok:?} should be -3");
        }
        assert!(!typed(&n, "3"));
        // A unit written with the characters that are folded reads as the learner's input does.
        for (typed, unit) in [
            ("3 o’clock", "o’clock"),
            ("3 o'clock", "o’clock"),
            ("30′", "′"),
            ("12 in–lb", "in–lb"),
            ("12 in-lb", "in–lb"),
        ] {
            assert!(
                parse_number(typed, false, Some(unit)).is_some(),
                "{typed:?} with unit {unit:?}"
            );
        }
        // The joiners are spelling, not noise.
        assert!(normalize_text("می\u{200C}خواهم", false, Accents::Ignore).contains('\u{200C}'));
        assert!(normalize_text("👩\u{200D}🏫", false, Accents::Strict).contains('\u{200D}'));
        let five = item(ItemKind::Numeric(numeric(5.0, false)), vec![]);
        assert!(typed(&five, "5\u{200B}") && typed(&five, "５"));
    }

    #[test]
    fn text_whitespace_and_several_answers() {
        let it = item(
            ItemKind::Text(text(&["buenos días", "buen día"], false, Accents::Ignore)),
            vec![fb("buenas noches", "That is for the evening.", None)],
        );
        assert!(typed(&it, "Buenos   dias"));
        assert!(typed(&it, "\tbuen día\n"));
        assert!(!typed(&it, "buenosdias"));
        let g = check(&it, Answer::Text("Buenas  Noches".into()));
        assert!(!g.correct);
        assert_eq!(g.feedback.as_deref(), Some("That is for the evening."));
    }

    #[test]
    fn text_empty_accepted_answer_never_matches_empty_input() {
        let it = item(ItemKind::Text(text(&[""], false, Accents::Ignore)), vec![]);
        assert!(!typed(&it, ""));
        assert!(!typed(&it, "   "));
    }

    fn choice(n: usize, correct: &[usize], feedback: Vec<Feedback>) -> Item {
        item(
            ItemKind::Choice {
                choices: (1..=n).map(|i| format!("option {i}")).collect(),
                correct: correct.to_vec(),
                shuffle: true,
            },
            feedback,
        )
    }

    #[test]
    fn single_choice() {
        let it = choice(3, &[1], vec![fb("3", "counts the unshaded parts", None)]);
        assert!(check(&it, Answer::Choice(vec![1])).correct);
        let g = check(&it, Answer::Choice(vec![3]));
        assert!(!g.correct);
        assert_eq!(g.feedback.as_deref(), Some("counts the unshaded parts"));
        assert!(check(&it, Answer::Choice(vec![1, 1])).correct, "repeats are one pick");
        // No pick, or several on a single-answer item, is no learner's answer: an error, not a
        // wrong answer that would cost mastery.
        assert!(matches!(grade(&it, &Answer::Choice(vec![])), Err(Error::MalformedAnswer(_))));
        let two = grade(&it, &Answer::Choice(vec![1, 2]));
        assert!(matches!(&two, Err(Error::MalformedAnswer(m)) if m.contains("picks 2")), "{two:?}");
    }

    #[test]
    fn select_all_needs_exactly_the_correct_set() {
        let it =
            choice(4, &[1, 3], vec![fb("1", "one more", None), fb("1, 3, 4", "too many", None)]);
        assert!(check(&it, Answer::Choice(vec![1, 3])).correct);
        assert!(check(&it, Answer::Choice(vec![3, 1])).correct, "order does not matter");
        assert!(check(&it, Answer::Choice(vec![3, 1, 3])).correct, "repeats are one pick");
        let partial = check(&it, Answer::Choice(vec![1]));
        assert!(!partial.correct, "a partial answer is wrong");
        assert_eq!(partial.feedback.as_deref(), Some("one more"));
        let extra = check(&it, Answer::Choice(vec![4, 3, 1]));
        assert!(!extra.correct);
        assert_eq!(extra.feedback.as_deref(), Some("too many"));
    }

    #[test]
    fn choice_positions_out_of_range_are_errors() {
        let it = choice(3, &[1], vec![]);
        assert!(matches!(grade(&it, &Answer::Choice(vec![0])), Err(Error::MalformedAnswer(_))));
        assert!(matches!(grade(&it, &Answer::Choice(vec![4])), Err(Error::MalformedAnswer(_))));
    }

    #[test]
    fn overlong_answers_are_errors_not_recorded_answers() {
        let it = choice(3, &[1], vec![]);
        assert!(check(&it, Answer::Choice(vec![1, 1, 1])).correct, "repeats are one pick");
        let many = grade(&it, &Answer::Choice(vec![1; 4]));
        assert!(
            matches!(&many, Err(Error::MalformedAnswer(m)) if m.contains("lists 4")),
            "{many:?}"
        );
        let it = item(ItemKind::Numeric(numeric(0.75, true)), vec![]);
        let at_most = "0".repeat(MAX_TYPED_CHARS - 4) + "0.75";
        assert!(typed(&it, &at_most), "a long but allowed answer is graded");
        let long = grade(&it, &Answer::Text(format!("0{at_most}")));
        assert!(
            matches!(&long, Err(Error::MalformedAnswer(m)) if m.contains("at most")),
            "{long:?}"
        );
        let it = cloze();
        let blanks = vec!["2".into(), "x".repeat(MAX_TYPED_CHARS + 1)];
        assert!(matches!(grade(&it, &Answer::Cloze(blanks)), Err(Error::MalformedAnswer(_))));
    }

    #[test]
    fn kind_mismatch_is_an_error() {
        let it = choice(3, &[1], vec![]);
        assert_eq!(
            grade(&it, &Answer::Text("1".into())),
            Err(Error::AnswerKind { expected: "choice", found: "text" })
        );
    }

    fn cloze() -> Item {
        item(
            ItemKind::Cloze {
                blanks: vec![
                    Blank::Numeric(numeric(2.0, false)),
                    Blank::Text(text(&["seis", "6"], false, Accents::Ignore)),
                ],
            },
            vec![
                fb("1", "Double the denominator, double the numerator.", Some(1)),
                fb("tres", "Look at the second fraction.", Some(2)),
            ],
        )
    }

    #[test]
    fn cloze_per_blank_results() {
        let it = cloze();
        let g = check(&it, Answer::Cloze(vec!["2".into(), "Seis".into()]));
        assert!(g.correct);
        assert_eq!(g.blanks, vec![true, true]);
        let g = check(&it, Answer::Cloze(vec!["2.0".into(), "tres".into()]));
        assert!(!g.correct);
        assert_eq!(g.blanks, vec![true, false]);
        assert_eq!(g.feedback.as_deref(), Some("Look at the second fraction."));
        let g = check(&it, Answer::Cloze(vec!["1".into(), "".into()]));
        assert_eq!(g.blanks, vec![false, false]);
        assert_eq!(g.feedback.as_deref(), Some("Double the denominator, double the numerator."));
        assert!(matches!(
            grade(&it, &Answer::Cloze(vec!["2".into()])),
            Err(Error::MalformedAnswer(_))
        ));
    }

    #[test]
    fn order_items() {
        let it = item(
            ItemKind::Order { order: vec!["1/8".into(), "1/4".into(), "1/4".into(), "1/2".into()] },
            vec![],
        );
        assert!(check(&it, Answer::Order(vec![1, 2, 3, 4])).correct);
        assert!(check(&it, Answer::Order(vec![1, 3, 2, 4])).correct, "equal entries swap");
        assert!(!check(&it, Answer::Order(vec![4, 3, 2, 1])).correct);
        for bad in [vec![1, 2, 3], vec![1, 1, 2, 3], vec![0, 1, 2, 3], vec![1, 2, 3, 5]] {
            assert!(
                matches!(grade(&it, &Answer::Order(bad.clone())), Err(Error::MalformedAnswer(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn hint_ladder_ends_with_the_solution() {
        let mut it = choice(2, &[1], vec![]);
        it.hints = vec!["a".into(), "b".into()];
        it.solution = Some("c".into());
        assert_eq!(it.hint_ladder(), vec!["a", "b", "c"]);
        it.solution = None;
        assert_eq!(it.hint_ladder(), vec!["a", "b"]);
    }

    #[test]
    fn json_round_trip_keeps_field_names() -> std::result::Result<(), serde_json::Error> {
        let it = cloze();
        let json = serde_json::to_value(&it)?;
        assert_eq!(json["kind"], "cloze");
        assert_eq!(json["blanks"][0]["kind"], "numeric");
        assert_eq!(json["blanks"][1]["accents"], "ignore");
        assert_eq!(json["feedback"][0]["blank"], 1);
        let back: Item = serde_json::from_value(json)?;
        assert_eq!(back, it);
        let answer = serde_json::to_value(Answer::Choice(vec![1, 3]))?;
        assert_eq!(answer, serde_json::json!({"kind": "choice", "value": [1, 3]}));
        let numeric_item = item(ItemKind::Numeric(numeric(0.75, true)), vec![]);
        let back: Item = serde_json::from_str(&serde_json::to_string(&numeric_item)?)?;
        assert_eq!(back, numeric_item);
        Ok(())
    }

    #[test]
    fn parse_positions_lists() {
        assert_eq!(parse_positions("2"), Some([2].into()));
        assert_eq!(parse_positions(" 1, 3 "), Some([1, 3].into()));
        assert_eq!(parse_positions("1,,3"), None);
        assert_eq!(parse_positions("a"), None);
        assert_eq!(parse_positions(""), None);
    }
}
