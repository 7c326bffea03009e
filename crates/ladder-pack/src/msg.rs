//! What each diagnostic says: a stable code with its arguments ([`Msg`]), written out in English
//! or Spanish ([`Lang`]).
//!
//! The English text is the one the validator has always printed (the CLI's default and the
//! blessed corpus); the Spanish one says the same for a teacher in Spain or Latin America.
//! Both are exhaustive matches with no catch-all arm, so a new code does not compile until it
//! has both texts. Keys, field paths, ids and values from the pack stay as written (they are
//! code), and so does the technical detail that another library gives (the zip reader's,
//! the semantic-version parser's, the JSON reader's); the TOML parser's common phrases are
//! translated.

use serde::Serialize;

/// A language the validator's messages come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// The language of a tag such as `es`, `es-MX` or `EN_gb` (its first subtag, any case);
    /// `None` for a language the validator does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The tag: `en` or `es`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The word a warning line carries after its position.
    pub(crate) fn warning_word(self) -> &'static str {
        match self {
            Lang::En => "warning",
            Lang::Es => "aviso",
        }
    }
}

/// The type of a TOML value, for "expected X, found Y".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TomlType {
    String,
    Integer,
    Float,
    Boolean,
    Date,
    Array,
    Table,
}

impl TomlType {
    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TomlType::String, Lang::En) => "a string",
            (TomlType::Integer, Lang::En) => "an integer",
            (TomlType::Float, Lang::En) => "a number with a fraction",
            (TomlType::Boolean, Lang::En) => "a boolean",
            (TomlType::Date, Lang::En) => "a date",
            (TomlType::Array, Lang::En) => "an array",
            (TomlType::Table, Lang::En) => "a table",
            (TomlType::String, Lang::Es) => "una cadena de texto",
            (TomlType::Integer, Lang::Es) => "un número entero",
            (TomlType::Float, Lang::Es) => "un número con decimales",
            (TomlType::Boolean, Lang::Es) => "un booleano",
            (TomlType::Date, Lang::Es) => "una fecha",
            (TomlType::Array, Lang::Es) => "un array",
            (TomlType::Table, Lang::Es) => "una tabla",
        }
    }
}

/// What a field should have held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Boolean,
    String,
    Number,
    Integer,
    Table,
    ArrayOfTables,
    ArrayOfStrings,
    ArrayOfIntegers,
}

impl Expect {
    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Expect::Boolean, Lang::En) => "true or false",
            (Expect::String, Lang::En) => "a string",
            (Expect::Number, Lang::En) => "a number",
            (Expect::Integer, Lang::En) => "an integer",
            (Expect::Table, Lang::En) => "a table",
            (Expect::ArrayOfTables, Lang::En) => "an array of tables",
            (Expect::ArrayOfStrings, Lang::En) => "an array of strings",
            (Expect::ArrayOfIntegers, Lang::En) => "an array of integers",
            (Expect::Boolean, Lang::Es) => "true o false",
            (Expect::String, Lang::Es) => "una cadena de texto",
            (Expect::Number, Lang::Es) => "un número",
            (Expect::Integer, Lang::Es) => "un número entero",
            (Expect::Table, Lang::Es) => "una tabla",
            (Expect::ArrayOfTables, Lang::Es) => "un array de tablas",
            (Expect::ArrayOfStrings, Lang::Es) => "un array de cadenas de texto",
            (Expect::ArrayOfIntegers, Lang::Es) => "un array de números enteros",
        }
    }
}

/// A plain-words hint added to a TOML syntax error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "hint")]
pub enum SyntaxHint {
    /// A backslash in a `"..."` string started an escape (TeX written with one backslash).
    Backslash,
    /// Curly quotes used as TOML quotes.
    TypographicQuotes,
    /// The `"` of an HTML attribute (`<span lang="es">`) inside a `"..."` text ended the text.
    QuoteInText,
    /// `[name]` written twice where `[[name]]` was meant.
    TableTwice { line: String },
    /// A key given twice in one table.
    KeyTwice { key: String },
    /// An `id` given twice in one table: the `[[item]]` (or `[[skill]]`, `skill`) line of the
    /// second one is missing.
    HeaderMissing { key: String, skill: bool },
    /// A `'''` (or `"""`) text that is never closed, opened on `line`.
    UnclosedText { quotes: String, line: usize },
    /// A second `[lesson]` in a lesson file.
    SecondLesson,
    /// An item's part (`[[item.feedback]]`) written above the first `[[item]]`.
    PartAboveItem { header: String },
    /// A yes or a no (`no`, `Yes`, `sí`, `False`) where TOML wants `true` or `false`.
    Boolean { meant: bool },
    /// A number written as on the board (`answer = 3/4`).
    Number(NumberHint),
    /// A field name written in Spanish with an accent (`título`): the English one.
    EnglishField { field: String },
    /// A bare key with a character TOML does not allow in one (`niño`).
    KeyCharacters,
}

impl SyntaxHint {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (SyntaxHint::Backslash, Lang::En) => "in \"...\" strings a backslash starts an escape: \
                for maths write two backslashes (\\\\sqrt), or use '...' strings"
                .into(),
            (SyntaxHint::Backslash, Lang::Es) => "en las cadenas \"...\" una barra invertida \
                empieza un escape: para las matemáticas escribe dos barras invertidas (\\\\sqrt), \
                o usa cadenas '...'"
                .into(),
            (SyntaxHint::TypographicQuotes, Lang::En) => {
                "typographic quotes such as \u{201c} \u{201d} are not TOML quotes: use straight \" or '"
                    .into()
            }
            (SyntaxHint::TypographicQuotes, Lang::Es) => "las comillas tipográficas como \u{201c} \
                \u{201d} no son comillas de TOML: usa comillas rectas, \" o '"
                .into(),
            (SyntaxHint::QuoteInText, Lang::En) => "the \" after = ends the \"...\" text it is \
                in: inside \"...\" write the attribute with single quotes, <span lang='es'>, or \
                write the text between ''' and '''"
                .into(),
            (SyntaxHint::QuoteInText, Lang::Es) => "la \" después de = termina el texto \"...\" \
                en el que está: dentro de \"...\" escribe el atributo con comillas simples, \
                <span lang='es'>, o escribe el texto entre ''' y '''"
                .into(),
            (SyntaxHint::TableTwice { line }, Lang::En) => format!(
                "{line} appears twice: a table that can repeat is written with double brackets, \
                 [{line}]"
            ),
            (SyntaxHint::TableTwice { line }, Lang::Es) => format!(
                "{line} aparece dos veces: una tabla que puede repetirse se escribe con corchetes \
                 dobles, [{line}]"
            ),
            (SyntaxHint::Number(hint), lang) => hint.text(lang),
            (SyntaxHint::KeyTwice { key }, Lang::En) => {
                format!("`{key}` is given twice in the same table")
            }
            (SyntaxHint::KeyTwice { key }, Lang::Es) => {
                format!("`{key}` aparece dos veces en la misma tabla")
            }
            (SyntaxHint::HeaderMissing { key, skill: false }, Lang::En) => format!(
                "`{key}` is given twice in the same table: each item starts with its own \
                 [[item]] line: write one above this line"
            ),
            (SyntaxHint::HeaderMissing { key, skill: false }, Lang::Es) => format!(
                "`{key}` aparece dos veces en la misma tabla: cada ejercicio empieza con su \
                 propia línea [[item]]: escribe una encima de esta línea"
            ),
            (SyntaxHint::HeaderMissing { key, skill: true }, Lang::En) => format!(
                "`{key}` is given twice in the same table: each skill starts with its own \
                 [[skill]] line: write one above this line"
            ),
            (SyntaxHint::HeaderMissing { key, skill: true }, Lang::Es) => format!(
                "`{key}` aparece dos veces en la misma tabla: cada habilidad empieza con su \
                 propia línea [[skill]]: escribe una encima de esta línea"
            ),
            (SyntaxHint::UnclosedText { quotes, line }, Lang::En) => format!(
                "the text that {quotes} opens on line {line} is never closed: end it with {quotes}"
            ),
            (SyntaxHint::UnclosedText { quotes, line }, Lang::Es) => format!(
                "el texto que {quotes} abre en la línea {line} no se cierra nunca: termínalo con \
                 {quotes}"
            ),
            (SyntaxHint::Boolean { meant }, Lang::En) => format!(
                "true and false are written in lowercase, without quotes: write {meant}"
            ),
            (SyntaxHint::Boolean { meant }, Lang::Es) => {
                format!("true y false se escriben en minúsculas y sin comillas: escribe {meant}")
            }
            (SyntaxHint::PartAboveItem { header }, Lang::En) => format!(
                "{header} comes below the [[item]] it belongs to: move it under that item's fields"
            ),
            (SyntaxHint::PartAboveItem { header }, Lang::Es) => format!(
                "{header} va debajo del [[item]] al que pertenece: muévelo bajo los campos de ese \
                 ejercicio"
            ),
            (SyntaxHint::SecondLesson, Lang::En) => "[lesson] appears twice: a lesson file holds \
                one lesson: write the next lesson in a file of its own in lessons/, such as \
                lessons/03-next.toml"
                .into(),
            (SyntaxHint::SecondLesson, Lang::Es) => "[lesson] aparece dos veces: un archivo de \
                lección tiene una sola lección: escribe la siguiente en su propio archivo en \
                lessons/, como lessons/03-siguiente.toml"
                .into(),
            (SyntaxHint::EnglishField { field }, Lang::En) => {
                format!("field names are English words: write `{field}`")
            }
            (SyntaxHint::EnglishField { field }, Lang::Es) => {
                format!("los nombres de los campos van en inglés: escribe `{field}`")
            }
            (SyntaxHint::KeyCharacters, Lang::En) => {
                "a field name is written with a-z, 0-9, `-` and `_` only".into()
            }
            (SyntaxHint::KeyCharacters, Lang::Es) => {
                "un nombre de campo se escribe solo con a-z, 0-9, `-` y `_`".into()
            }
        }
    }
}

/// How to write a number that a teacher wrote as on the board (`3/4`, `2,5`, `70°`) or in
/// quotes: TOML reads none of these as a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "form")]
pub enum NumberHint {
    /// `3/4`: the decimal is `number`.
    Fraction { written: String, number: String },
    /// `2,5`: a decimal comma.
    DecimalComma { written: String, number: String },
    /// `70°`, `2.5 cm`: a number followed by a unit.
    Unit { number: String },
    /// `"0.5"`: a plain number in quotes.
    Quoted { number: String },
    /// `.5`: no digit before the point.
    LeadingPoint { number: String },
    /// `−3`, `–3`: a typographic minus or a dash.
    TypographicMinus { number: String },
    /// `1 000`: spaces between groups of digits.
    Spaces { number: String },
    /// `tolerance = 5%`.
    Percent,
}

impl NumberHint {
    /// The hint for `text`, written where a number was expected; `quoted` when it was a TOML
    /// string (a plain number is then only the quotes too many).
    pub(crate) fn of(text: &str, quoted: bool) -> Option<NumberHint> {
        let t = text.trim();
        let plain = |s: &str| -> Option<f64> {
            let s = s.trim();
            let digits = s.strip_prefix('-').unwrap_or(s);
            let ok = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && digits.bytes().filter(|&b| b == b'.').count() <= 1
                && digits.starts_with(|c: char| c.is_ascii_digit());
            ok.then(|| s.parse::<f64>().ok()).flatten()
        };
        let shown = |x: f64| format!("{x}");
        if plain(t).is_some() && quoted {
            return Some(NumberHint::Quoted { number: t.to_owned() });
        }
        // As a word processor or a keyboard writes numbers.
        if let Some(rest) = t.strip_prefix(['\u{2212}', '\u{2013}']) {
            let rest = rest.trim_start();
            let rest = if rest.starts_with('.') { format!("0{rest}") } else { rest.to_owned() };
            return plain(&rest)
                .map(|_| NumberHint::TypographicMinus { number: format!("-{rest}") });
        }
        let (sign, unsigned) = t.strip_prefix('-').map_or(("", t), |r| ("-", r));
        if unsigned.starts_with('.') && plain(&format!("0{unsigned}")).is_some() {
            return Some(NumberHint::LeadingPoint { number: format!("{sign}0{unsigned}") });
        }
        let vulgar = [('\u{bd}', 0.5), ('\u{bc}', 0.25), ('\u{be}', 0.75)];
        if let Some(&(_, x)) = vulgar.iter().find(|(c, _)| t == c.to_string()) {
            return Some(NumberHint::Fraction { written: t.to_owned(), number: shown(x) });
        }
        let groups: Vec<&str> = unsigned.split(' ').filter(|g| !g.is_empty()).collect();
        let digits = |g: &&str| g.bytes().all(|b| b.is_ascii_digit());
        let thousands = groups.len() > 1
            && groups.iter().all(digits)
            && groups[1..].iter().all(|g| g.len() == 3);
        if thousands {
            return Some(NumberHint::Spaces { number: format!("{sign}{}", groups.concat()) });
        }
        if let Some((a, b)) = t.split_once('/') {
            let (a, b) = (plain(a)?, plain(b)?);
            return (b != 0.0)
                .then(|| NumberHint::Fraction { written: t.to_owned(), number: shown(a / b) });
        }
        if let Some((whole, frac)) = t.split_once(',') {
            // `1,000` may be a thousand: no guess.
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if digits(frac) && frac.len() != 3 && plain(whole).is_some() && !whole.contains('.') {
                return Some(NumberHint::DecimalComma {
                    written: t.to_owned(),
                    number: format!("{}.{frac}", whole.trim()),
                });
            }
            return None;
        }
        let end = t
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (c == '-' && i == 0)))
            .map(|(i, _)| i)?;
        let (number, unit) = t.split_at(end);
        let unit = unit.trim();
        // A percentage is no unit: `tolerance = 5%` is not 5 with a unit.
        let is_unit =
            !unit.is_empty() && !unit.starts_with(|c: char| c.is_ascii_digit()) && unit != "%";
        (is_unit && !unit.contains(['/', ',', '=', '"', '\''])).then_some(())?;
        plain(number)?;
        Some(NumberHint::Unit { number: number.trim().to_owned() })
    }

    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (NumberHint::Fraction { written, number }, Lang::En) => format!(
                "write the number as a decimal, {number}: with fractions = true learners may still \
                 type {written}"
            ),
            (NumberHint::Fraction { written, number }, Lang::Es) => format!(
                "escribe el número en decimal, {number}: con fractions = true los alumnos pueden \
                 escribir {written} igualmente"
            ),
            (NumberHint::DecimalComma { written, number }, Lang::En) => {
                format!("write decimals with a point, {number}: learners may still type {written}")
            }
            (NumberHint::DecimalComma { written, number }, Lang::Es) => format!(
                "escribe los decimales con punto, {number}: los alumnos pueden escribir {written} \
                 igualmente"
            ),
            (NumberHint::Unit { number }, Lang::En) => {
                format!("write the number alone, {number}: a unit goes in `unit`")
            }
            (NumberHint::Unit { number }, Lang::Es) => {
                format!("escribe solo el número, {number}: la unidad va en `unit`")
            }
            (NumberHint::Quoted { number }, Lang::En) => {
                format!("write the number without quotes, {number}")
            }
            (NumberHint::Quoted { number }, Lang::Es) => {
                format!("escribe el número sin comillas, {number}")
            }
            (NumberHint::LeadingPoint { number }, Lang::En) => {
                format!("write the number with a digit before the point, {number}")
            }
            (NumberHint::LeadingPoint { number }, Lang::Es) => {
                format!("escribe el número con una cifra antes del punto, {number}")
            }
            (NumberHint::TypographicMinus { number }, Lang::En) => {
                format!("write the minus sign as -, {number}")
            }
            (NumberHint::TypographicMinus { number }, Lang::Es) => {
                format!("escribe el signo menos como -, {number}")
            }
            (NumberHint::Spaces { number }, Lang::En) => {
                format!("write the number without spaces, {number}")
            }
            (NumberHint::Spaces { number }, Lang::Es) => {
                format!("escribe el número sin espacios, {number}")
            }
            (NumberHint::Percent, Lang::En) => {
                "a tolerance is not a percentage: write the largest \
                difference from the answer that still counts as right, in the answer's units: \
                0.05 for 0.5 ± 0.05"
                    .into()
            }
            (NumberHint::Percent, Lang::Es) => "una tolerancia no es un porcentaje: escribe la \
                mayor diferencia con la respuesta que aún cuenta como correcta, en las unidades \
                de la respuesta: 0.05 para 0.5 ± 0.05"
                .into(),
        }
    }
}

/// One prerequisite of a cycle: `skill` lists `prerequisite`, written at `at`
/// (`skills.toml:5:18`). Removing any one link of a cycle breaks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CycleLink {
    pub skill: String,
    pub prerequisite: String,
    pub at: String,
}

/// An item (by id) and the lesson file it is written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ItemPlace {
    pub item: String,
    pub file: String,
}

/// What a text answer's comparison ignores by default, which makes an answer right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Loosened {
    /// `accents = "ignore"`, the default.
    Accents,
    /// `case_sensitive = false`, the default.
    Case,
}

/// A table of a pack written in a file where it does not belong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Misfiled {
    /// `[[skill]]`, which belongs in skills.toml.
    Skill,
    /// `[[item]]`, which belongs in a lesson file.
    Item,
    /// `[lesson]`, which belongs in a lesson file of its own.
    Lesson,
}

/// What kind of thing an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Skill,
    Lesson,
    Item,
}

/// Why an id is not valid (the rules of `ladder_core::ids::id_problem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdProblem {
    Empty,
    TooLong,
    Characters,
    LeadingHyphen,
}

/// An id made from what a teacher wrote as one (often the course's name: `My Course`,
/// `curso_1`, `Matemáticas 1º`): lowercase, common accented Latin letters without their accents,
/// every other run of characters one '-', at most 64 characters. `None` when nothing is left or
/// the result is still not an id.
pub fn suggested_id(typed: &str) -> Option<String> {
    let mut out = String::new();
    for c in typed.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'a'..='z' | '0'..='9' => Some(c.to_string()),
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => Some("a".into()),
            'ä' | 'æ' => Some("ae".into()),
            'ç' | 'ć' | 'č' => Some("c".into()),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => Some("e".into()),
            'ì' | 'í' | 'î' | 'ï' | 'ī' => Some("i".into()),
            'ñ' | 'ń' => Some("n".into()),
            'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ø' => Some("o".into()),
            'ö' | 'œ' => Some("oe".into()),
            'ù' | 'ú' | 'û' | 'ū' => Some("u".into()),
            'ü' => Some("ue".into()),
            'ß' => Some("ss".into()),
            'ý' | 'ÿ' => Some("y".into()),
            'ł' => Some("l".into()),
            'ś' | 'š' => Some("s".into()),
            'ź' | 'ż' | 'ž' => Some("z".into()),
            _ => None,
        };
        match plain {
            Some(p) => out.push_str(&p),
            None if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            None => {}
        }
    }
    let mut id: String = out.chars().take(ladder_core::ids::MAX_ID_LEN).collect();
    while id.ends_with('-') {
        id.pop();
    }
    (IdProblem::of(&id).is_none() && id != typed).then_some(id)
}

impl IdProblem {
    /// Why `id` is not valid, if it is not (ladder-core's check decides; this names its reason).
    /// The validator's own check of every pack, skill, lesson and item id; `Msg::InvalidId`
    /// words it in either language.
    pub fn of(id: &str) -> Option<IdProblem> {
        ladder_core::ids::id_problem(id)?;
        Some(if id.is_empty() {
            IdProblem::Empty
        } else if id.len() > ladder_core::ids::MAX_ID_LEN {
            IdProblem::TooLong
        } else if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            IdProblem::Characters
        } else {
            IdProblem::LeadingHyphen
        })
    }

    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (IdProblem::Empty, Lang::En) => "an id must not be empty",
            (IdProblem::TooLong, Lang::En) => "an id must be at most 64 characters long",
            (IdProblem::Characters, Lang::En) => {
                "an id may only use lowercase letters a-z, digits 0-9 and '-'"
            }
            (IdProblem::LeadingHyphen, Lang::En) => "an id must start with a letter or a digit",
            (IdProblem::Empty, Lang::Es) => "un id no puede estar vacío",
            (IdProblem::TooLong, Lang::Es) => "un id debe tener como mucho 64 caracteres",
            (IdProblem::Characters, Lang::Es) => {
                "un id solo puede usar letras minúsculas a-z, dígitos 0-9 y '-'"
            }
            (IdProblem::LeadingHyphen, Lang::Es) => "un id debe empezar por una letra o un dígito",
        }
    }
}

/// Why a name inside a pack is unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathProblem {
    Empty,
    TooLong,
    Absolute,
    DriveLetter,
    Backslash,
    Colon,
    ControlCharacters,
    ParentFolder,
    EmptyComponent,
}

impl PathProblem {
    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PathProblem::Empty, Lang::En) => "an empty name is not allowed",
            (PathProblem::TooLong, Lang::En) => "the name is longer than 255 bytes",
            (PathProblem::Absolute, Lang::En) => {
                "an absolute path is not allowed: names must be relative to the pack"
            }
            (PathProblem::DriveLetter, Lang::En) => {
                "a drive letter is not allowed: names must be relative to the pack"
            }
            (PathProblem::Backslash, Lang::En) => {
                "a backslash is not allowed in a name: use / between folders"
            }
            (PathProblem::Colon, Lang::En) => "':' is not allowed in a name",
            (PathProblem::ControlCharacters, Lang::En) => {
                "control characters are not allowed in a name"
            }
            (PathProblem::ParentFolder, Lang::En) => {
                "'..' is not allowed: names must stay inside the pack"
            }
            (PathProblem::EmptyComponent, Lang::En) => {
                "empty or '.' path components are not allowed"
            }
            (PathProblem::Empty, Lang::Es) => "no se admite un nombre vacío",
            (PathProblem::TooLong, Lang::Es) => "el nombre ocupa más de 255 bytes",
            (PathProblem::Absolute, Lang::Es) => {
                "no se admite una ruta absoluta: los nombres deben ser relativos al paquete"
            }
            (PathProblem::DriveLetter, Lang::Es) => {
                "no se admite una letra de unidad: los nombres deben ser relativos al paquete"
            }
            (PathProblem::Backslash, Lang::Es) => {
                "no se admite una barra invertida en un nombre: usa / entre carpetas"
            }
            (PathProblem::Colon, Lang::Es) => "no se admite ':' en un nombre",
            (PathProblem::ControlCharacters, Lang::Es) => {
                "no se admiten caracteres de control en un nombre"
            }
            (PathProblem::ParentFolder, Lang::Es) => {
                "no se admite '..': los nombres deben quedarse dentro del paquete"
            }
            (PathProblem::EmptyComponent, Lang::Es) => "no se admiten partes de ruta vacías ni '.'",
        }
    }
}

/// A control character that a mistaken TOML escape left in a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Eaten {
    FormFeed,
    Backspace,
    Escape,
    Tab,
    CarriageReturn,
    LineBreakInMaths,
}

impl Eaten {
    /// The letter of the TOML escape that leaves this character (`t` for `\t`).
    pub(crate) fn letter(self) -> char {
        match self {
            Eaten::FormFeed => 'f',
            Eaten::Backspace => 'b',
            Eaten::Escape => 'e',
            Eaten::Tab => 't',
            Eaten::CarriageReturn => 'r',
            Eaten::LineBreakInMaths => 'n',
        }
    }

    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Eaten::FormFeed, Lang::En) => "a form feed (from `\\f`, as in `\\frac`?)",
            (Eaten::Backspace, Lang::En) => "a backspace (from `\\b`, as in `\\beta`?)",
            (Eaten::Escape, Lang::En) => "an escape character (from `\\e`, as in `\\epsilon`?)",
            (Eaten::Tab, Lang::En) => "a tab (from `\\t`, as in `\\theta` or `\\times`?)",
            (Eaten::CarriageReturn, Lang::En) => "a carriage return (from `\\r`, as in `\\right`?)",
            (Eaten::LineBreakInMaths, Lang::En) => {
                "a line break inside maths (from `\\n`, as in `\\neq`?)"
            }
            (Eaten::FormFeed, Lang::Es) => "un salto de página (¿de `\\f`, como en `\\frac`?)",
            (Eaten::Backspace, Lang::Es) => "un retroceso (¿de `\\b`, como en `\\beta`?)",
            (Eaten::Escape, Lang::Es) => "un carácter de escape (¿de `\\e`, como en `\\epsilon`?)",
            (Eaten::Tab, Lang::Es) => "un tabulador (¿de `\\t`, como en `\\theta` o `\\times`?)",
            (Eaten::CarriageReturn, Lang::Es) => {
                "un retorno de carro (¿de `\\r`, como en `\\right`?)"
            }
            (Eaten::LineBreakInMaths, Lang::Es) => {
                "un salto de línea dentro de las matemáticas (¿de `\\n`, como en `\\neq`?)"
            }
        }
    }

    /// The TeX command written right.
    fn example(self) -> &'static str {
        match self {
            Eaten::FormFeed => "\\\\frac",
            Eaten::Backspace => "\\\\beta",
            Eaten::Escape => "\\\\epsilon",
            Eaten::Tab => "\\\\theta",
            Eaten::CarriageReturn => "\\\\right",
            Eaten::LineBreakInMaths => "\\\\neq",
        }
    }
}

/// What a diagnostic says: a stable code (`code()`, the variant's name in snake_case) and its
/// arguments. Serialised as `{"code": "unknown_field", "args": {"key": "hint", ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "code", content = "args", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Msg {
    // The pack as a whole, its files and names.
    /// A file of a pack folder (`pack.toml`) given instead of the folder.
    OneFileOfPack {
        folder: String,
    },
    ArchiveTooLarge {
        limit_mib: u64,
    },
    PackTooLarge {
        limit_mib: u64,
    },
    FileTooLarge {
        limit_mib: u64,
    },
    /// A file of `media/` over its limit.
    MediaTooLarge {
        limit_mib: u64,
    },
    TooManyFilesAndFolders {
        limit: usize,
    },
    TooManyFiles {
        limit: usize,
    },
    NameNotUtf8,
    UnsafeName {
        problem: PathProblem,
    },
    SymbolicLink,
    NotPlainFile,
    UnexpectedFolder,
    UnexpectedFile,
    /// A pack's TOML file under a wrong name (`pack.toml.txt`, `01-a.TOML`): the name it needs,
    /// and whether an editor added `.txt`.
    TomlFileName {
        rename: String,
        txt: bool,
    },
    HiddenFile,
    SystemFile,
    ManifestInFolder,
    NotAZip {
        detail: String,
    },
    ArchiveTooManyEntries {
        entries: usize,
        limit: usize,
    },
    EntryUnreadable {
        detail: String,
    },
    EntryEncrypted,
    EntryNumberUnreadable {
        entry: usize,
        detail: String,
    },
    NameRepeated,
    /// Entries whose names differ in the archive's directory (`names`, as written there) but
    /// that the zip reader reads as one name (a Unicode path field, bytes that are not UTF-8,
    /// the DOS code page), keeping one of them.
    NamesReadAlike {
        names: Vec<String>,
    },
    /// A file whose name is also the folder of other files (`media/fig` and `media/fig/a.svg`).
    FileAndFolder,
    /// Two names that differ only in case, one file on Windows and macOS.
    NamesDifferOnlyInCase {
        other: String,
    },
    /// Two names that are the same once accented letters are written alike (Unicode NFC, upper
    /// and lower case aside), one file on macOS: `café` with `é` as one character and as `e`
    /// followed by a combining accent.
    NamesDifferOnlyInForm {
        other: String,
    },
    // MANIFEST.json.
    ManifestMissing,
    /// A plain zip of a pack folder (the system's "Compress"), not a built `.ladderpack`.
    ZippedFolder {
        folder: String,
    },
    /// A plain zip of a pack folder's files, without the folder, not a built `.ladderpack`.
    ZippedFiles,
    ManifestInvalid {
        detail: String,
    },
    NotInManifest,
    ChecksumMismatch {
        listed: String,
        actual: String,
    },
    ManifestListsAbsent {
        path: String,
    },
    ManifestIdMismatch {
        manifest: String,
        pack: String,
    },
    ManifestVersionMismatch {
        manifest: String,
        pack: String,
    },
    ManifestSchemaMismatch {
        manifest: u32,
        pack: u32,
    },
    // Reading TOML.
    InvalidUtf8 {
        byte: u8,
    },
    /// A TOML file saved as UTF-16 (with or without its byte order mark).
    Utf16,
    TomlSyntax {
        detail: String,
        hint: Option<SyntaxHint>,
    },
    TooDeep {
        limit: usize,
    },
    UnknownField {
        key: String,
        expected: Vec<String>,
    },
    UnknownFieldTypo {
        key: String,
        suggestion: String,
    },
    /// A field name written in Spanish (`pistas`): the English one to write.
    UnknownFieldEnglish {
        key: String,
        field: String,
    },
    FieldNotForNumericBlank {
        key: String,
    },
    FieldOnlyForNumericBlanks {
        key: String,
    },
    FieldOnlyForClozeFeedback {
        key: String,
    },
    FieldOfOtherKind {
        key: String,
        kind: String,
        owner: String,
    },
    MissingField,
    /// A cloze item's feedback without `blank`.
    FeedbackWithoutBlank,
    Expected {
        expected: Expect,
        found: TomlType,
    },
    NotFinite,
    /// A number beyond what TOML reads: a whole number past 64 bits, a float past `f64`.
    NumberTooLarge,
    IntegerTooLarge,
    MustNotBeEmpty,
    ListedTwice {
        value: String,
    },
    /// An id that breaks the rule, with an id made from it to write instead
    /// ([`suggested_id`]), when one can be made.
    InvalidId {
        id: String,
        problem: IdProblem,
        suggestion: Option<String>,
    },
    // Files every pack needs.
    MissingPackToml,
    MissingSkillsToml,
    MissingLessons,
    // pack.toml.
    SchemaUnsupported {
        schema: i64,
        supported: u32,
    },
    /// A version that is not `MAJOR.MINOR.PATCH`, with the parser's reason and, for one
    /// written short or with a `v` (`1.0`, `v1.0.0`), the version to write.
    NotSemver {
        value: String,
        detail: String,
        suggestion: Option<String>,
    },
    /// A version with build metadata (`1.0.0+build`), which does not order versions.
    VersionBuildMetadata {
        value: String,
        build: String,
    },
    NoLanguages,
    /// A value that is no language tag; `suggestion` is the tag of a language written by its
    /// name (`English`, `español`: `en`, `es`).
    NotLanguageTag {
        value: String,
        suggestion: Option<String>,
    },
    /// A `text_language` that is not one of the pack's `languages` (listed as written).
    TextLanguageNotDeclared {
        value: String,
        languages: Vec<String>,
    },
    /// An `answer_language` (of the pack or of an item) that is not one of the pack's
    /// `languages` (listed as written).
    AnswerLanguageNotDeclared {
        value: String,
        languages: Vec<String>,
    },
    // Skills and lessons.
    NoSkills,
    LessonWithoutSkills,
    LessonWithoutItems,
    DuplicateId {
        entity: Entity,
        id: String,
        first: String,
    },
    /// A skill declared with an id already taken while another id, `used` in `places` places,
    /// is declared nowhere: the declaration copied and not changed, most likely.
    DuplicateSkillMeant {
        id: String,
        first: String,
        used: String,
        places: usize,
    },
    UnknownSkill {
        skill: String,
    },
    /// An undeclared skill id close to a declared one.
    UnknownSkillTypo {
        skill: String,
        suggestion: String,
    },
    /// An item practises a skill no lesson teaches; reported once per skill, at its first
    /// item, with how many `more` items practise it.
    SkillNotTaughtAdd {
        skill: String,
        more: usize,
    },
    SkillNotTaught {
        skill: String,
    },
    /// A declared skill id that nothing names, close to an undeclared one named in `places`
    /// places: the declaration has the typo.
    SkillDeclaredAs {
        declared: String,
        used: String,
        places: usize,
    },
    /// A skill taught by a lesson (the first, `lesson_file`) that no item practises.
    SkillNotPractised {
        skill: String,
        lesson_file: String,
    },
    /// The cycle `head -> ... (omitted) -> tail`, each skill followed by one of its
    /// prerequisites, and the prerequisites that make it: every one when the cycle is shown
    /// whole, else only the one that closes it (where the message is).
    PrerequisiteCycle {
        head: Vec<String>,
        omitted: usize,
        tail: Vec<String>,
        links: Vec<CycleLink>,
    },
    // Items.
    /// `suggestion`: the kind meant by one written with a capital, misspelt, in Spanish or in a
    /// worksheet's words (`Numeric`, `close`, `opción`, `multiple choice`).
    UnknownKind {
        kind: String,
        suggestion: Option<String>,
    },
    ItemWithoutSkills,
    /// A difficulty written as a word (`"easy"`), with the number it stands for.
    DifficultyWord {
        word: String,
        number: String,
    },
    DifficultyOutOfRange {
        difficulty: String,
    },
    TooManyHints {
        max: usize,
        found: usize,
    },
    ModelSkillsPerItem {
        max: usize,
        found: usize,
    },
    NoHints,
    NoSolution,
    ChoiceCount {
        found: usize,
    },
    NoCorrectPosition,
    PositionOutOfRange {
        position: i64,
        choices: usize,
    },
    PositionTwice {
        position: i64,
    },
    /// A field of the item written after its `[[item.feedback]]` header, so inside the entry.
    ItemFieldAfterFeedback {
        key: String,
    },
    /// A field of the lesson written after an `[[item]]` header, so inside that item.
    LessonFieldInItem {
        key: String,
    },
    /// A lesson file whose `[lesson]` line is missing: the lesson's fields `keys` stand above
    /// every table (one mistake; each key was reported, and the missing table besides).
    LessonLineMissing {
        keys: Vec<String>,
    },
    /// A key above the file's first table header; `table` is the header it belongs under
    /// (`[lesson]`, `[[item]]`, `[[skill]]`).
    FieldBeforeTable {
        key: String,
        table: String,
    },
    /// A table header in single brackets for a list of tables (`header` as written in TOML).
    WriteDoubleBrackets {
        header: String,
    },
    /// A table header in double brackets for a single table.
    WriteSingleBrackets {
        header: String,
    },
    /// A blank `{{N}}` outside maths in the prompt of an item that is not a cloze item.
    BlankOutsideCloze {
        blank: u64,
    },
    /// An item's `answer_language` on a kind whose learner types no words (`choice`, `order`,
    /// `numeric`): it does nothing there.
    AnswerLanguageNotTyped {
        kind: String,
    },
    /// A folder without pack.toml whose sub-folder `folder` is a pack.
    PackInFolderBelow {
        folder: String,
    },
    /// The `lessons/` or `media/` folder (`part`) of the pack in `folder`.
    FolderOfPack {
        part: String,
        folder: String,
    },
    /// A number written as text (`answer = "3/4"`).
    NumberAsText {
        hint: NumberHint,
    },
    /// A header of an item's part written without `item.` (`[[feedback]]`).
    ItemTableHeader {
        written: String,
        key: String,
    },
    /// Position 0 of a choice item (positions count from 1).
    PositionZero,
    /// A choice written by its letter (`"B"`), at `position`.
    PositionLetter {
        letter: String,
        position: u32,
    },
    /// A choice written out in `correct` (`correct = ["12 °C"]`): `position` is the choice with
    /// that text, if there is one, among `choices`.
    PositionAsChoiceText {
        text: String,
        position: Option<usize>,
        choices: usize,
    },
    /// A single position written without brackets (`correct = 2`): write `[2]`.
    IntegerNotInList {
        value: i64,
    },
    /// A short text written without brackets where a list is wanted (`answers = "half"`):
    /// write `["half"]`.
    StringNotInList {
        value: String,
    },
    /// `answer = "half"` on a text item or a text blank: the field of numbers, where a list of
    /// accepted answers, `answers = ["half"]`, was meant. `value` is the list to write, as TOML.
    WriteAnswersList {
        blank: bool,
        value: String,
    },
    /// `answer = 1` (or a choice's text) on a choice item without `correct`: `value` is the
    /// list of positions to write, when the answer names choices.
    WriteCorrect {
        value: Option<String>,
    },
    /// A value written in quotes that is right without them (`shuffle = "false"`).
    ValueInQuotes {
        expected: Expect,
        value: String,
    },
    /// Lesson file `first` comes before `second` by name, though its number is larger.
    LessonNumberWidths {
        first: String,
        second: String,
    },
    /// A lesson teaches `skill`, whose `prerequisite` only a later lesson (`lesson_file`) teaches.
    LessonBeforePrerequisite {
        skill: String,
        prerequisite: String,
        lesson_file: String,
    },
    /// A table written in a file where it does not belong (`[[item]]` in skills.toml).
    TableInWrongFile {
        table: Misfiled,
    },
    /// A lesson file without its `[lesson]` table.
    NoLessonTable,
    /// `fixed_order` written as a list of item ids: the items it names that are written in
    /// another lesson's file, and the ids no item has (at most 10 of each).
    FixedOrderList {
        elsewhere: Vec<ItemPlace>,
        unknown: Vec<String>,
    },
    /// Two choices of one item with the same text (1-based positions, as `correct` counts).
    ChoiceTwice {
        position: usize,
        first: usize,
    },
    NegativeTolerance,
    NoAnswers,
    /// `suggestion`: the setting meant by a value in other words (`estricto`, `Strict`).
    BadAccents {
        value: String,
        suggestion: Option<String>,
    },
    ClozeWithoutBlanks,
    BlankWithoutEntry {
        blank: u64,
        blanks: u64,
    },
    BlankTwice {
        blank: u64,
    },
    /// Blank `blank` written loosely in the prompt (`{{ 1 }}`, `{1}`), as `written`.
    BlankMiswritten {
        blank: u64,
        written: String,
    },
    BlankNotInPrompt {
        blank: u64,
    },
    OrderTooShort {
        found: usize,
    },
    FeedbackOnOrder,
    FeedbackNoSuchBlank {
        blank: i64,
        blanks: usize,
    },
    /// A feedback answer that is a right answer, so never shown; `only_because` the item
    /// ignores accents or case, when a stricter setting would make it wrong.
    FeedbackRightAnswer {
        answer: String,
        only_because: Option<Loosened>,
    },
    FeedbackNotNumber {
        answer: String,
    },
    /// A choice item's feedback answer written as the text of the choice at `position`.
    FeedbackChoiceText {
        answer: String,
        position: usize,
    },
    FeedbackNotPositions {
        answer: String,
    },
    FeedbackTooManyPicks {
        answer: String,
        picks: usize,
    },
    // Markdown and images.
    EatenEscape {
        found: Eaten,
    },
    NotReadAsImage {
        shown: String,
    },
    RawHtml {
        tags: Vec<String>,
    },
    /// A Markdown link (`[text](target)`): the learner sees its text, and nothing follows it.
    LinkNotFollowed {
        target: String,
    },
    /// A `<span lang="...">` with no `</span>` in its paragraph (or heading, list item, table
    /// cell): everything after it up to there is read in that language.
    SpanNotClosed {
        lang: String,
    },
    /// An HTML tag (`<span lang='es'>`, `<b>`) in a plain-text field (a title, a name, a
    /// unit), which learners would see as written.
    MarkupInPlainText {
        tag: String,
    },
    /// Maths between LaTeX delimiters (`\(` and `\)`), which learners see as written.
    MathsDelimiters {
        open: String,
        close: String,
    },
    /// An image outside `media/`, with the path of the pack's media file it probably means
    /// (`../media/a.svg` or `a.svg` for `media/a.svg`), when there is one.
    ImageOutsideMedia {
        src: String,
        suggestion: Option<String>,
    },
    ImageUnsafePath {
        src: String,
    },
    ImageMissing {
        src: String,
    },
    /// An image without a description (`![](media/a.svg)`).
    ImageWithoutAlt {
        src: String,
    },
    /// `media\pie.svg`: a Windows path, which is `media/pie.svg` with forward slashes.
    ImageBackslash {
        src: String,
        fixed: String,
    },
    /// `media/Pie.svg` written for the file `media/pie.svg`.
    ImageMissingCase {
        src: String,
        file: String,
    },
    /// `media/café.svg` (`é` one character) written for the file `media/cafe\u{301}.svg` (`e`
    /// and a combining accent, as macOS names some files), or the other way round.
    ImageMissingForm {
        src: String,
        file: String,
    },
    ImageType {
        src: String,
        types: Vec<String>,
    },
}

/// `1 choice`, `4 choices`.
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "`a` and `b`", "`a`, `b` and `c`" (with `and` in the message's language).
fn quoted_list(names: &[String], and: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// `` `a`, `b` ``.
fn id_list(ids: &[String]) -> String {
    ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
}

/// `<img>, <b>`.
fn tag_list(tags: &[String]) -> String {
    tags.iter().map(|t| format!("<{t}>")).collect::<Vec<_>>().join(", ")
}

/// How to write in Markdown what the first of `tags` that has a Markdown form was for.
fn html_advice(tags: &[String], l: Lang) -> &'static str {
    let advice = |tag: &str| -> Option<[&'static str; 2]> {
        Some(match tag {
            "table" | "thead" | "tbody" | "tr" | "td" | "th" => [
                "a table is lines of cells between | bars, with | --- | --- | below its first line",
                "una tabla son líneas de celdas entre barras |, con | --- | --- | bajo su primera \
                 línea",
            ],
            "img" => [
                "a picture is ![what it shows](media/picture.svg)",
                "una imagen es ![lo que muestra](media/imagen.svg)",
            ],
            "b" | "strong" => ["**bold**", "**negrita**"],
            "i" | "em" => ["*italics*", "*cursiva*"],
            "sup" | "sub" => [
                "maths between dollar signs, $x^2$ or $x_1$",
                "matemáticas entre signos de dólar, $x^2$ o $x_1$",
            ],
            "ul" | "ol" | "li" => [
                "a list is lines that start with - or 1.",
                "una lista son líneas que empiezan por - o 1.",
            ],
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => [
                "a heading is a line that starts with #",
                "un título es una línea que empieza por #",
            ],
            "br" | "p" => {
                ["an empty line starts a new paragraph", "una línea vacía empieza un párrafo nuevo"]
            }
            "span" => [
                "a span keeps only the language of its words, <span lang=\"es\">hola</span>",
                "un span solo conserva el idioma de sus palabras, <span lang=\"es\">hola</span>",
            ],
            _ => return None,
        })
    };
    let [en, es] = tags.iter().find_map(|t| advice(t)).unwrap_or([
        "plain text with Markdown marks, as in docs/pack-format.md",
        "texto con las marcas de Markdown, como en docs/pack-format.md",
    ]);
    match l {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// `a -> b -> ... (3 more) -> c -> a`.
fn cycle(head: &[String], omitted: usize, tail: &[String], more: &str) -> String {
    let mut parts: Vec<String> = head.to_vec();
    if omitted > 0 {
        parts.push(format!("... ({omitted} {more})"));
    }
    parts.extend(tail.iter().cloned());
    parts.join(" -> ")
}

impl Msg {
    /// The stable machine code: the variant's name in snake_case (`unknown_field`), as in the
    /// JSON output.
    pub fn code(&self) -> &'static str {
        use Msg::*;
        match self {
            OneFileOfPack { .. } => "one_file_of_pack",
            ArchiveTooLarge { .. } => "archive_too_large",
            PackTooLarge { .. } => "pack_too_large",
            FileTooLarge { .. } => "file_too_large",
            MediaTooLarge { .. } => "media_too_large",
            TooManyFilesAndFolders { .. } => "too_many_files_and_folders",
            TooManyFiles { .. } => "too_many_files",
            NameNotUtf8 => "name_not_utf8",
            UnsafeName { .. } => "unsafe_name",
            SymbolicLink => "symbolic_link",
            NotPlainFile => "not_plain_file",
            UnexpectedFolder => "unexpected_folder",
            UnexpectedFile => "unexpected_file",
            TomlFileName { .. } => "toml_file_name",
            HiddenFile => "hidden_file",
            SystemFile => "system_file",
            ManifestInFolder => "manifest_in_folder",
            NotAZip { .. } => "not_a_zip",
            ArchiveTooManyEntries { .. } => "archive_too_many_entries",
            EntryUnreadable { .. } => "entry_unreadable",
            EntryEncrypted => "entry_encrypted",
            EntryNumberUnreadable { .. } => "entry_number_unreadable",
            NameRepeated => "name_repeated",
            NamesReadAlike { .. } => "names_read_alike",
            FileAndFolder => "file_and_folder",
            NamesDifferOnlyInCase { .. } => "names_differ_only_in_case",
            NamesDifferOnlyInForm { .. } => "names_differ_only_in_form",
            ManifestMissing => "manifest_missing",
            ZippedFolder { .. } => "zipped_folder",
            ZippedFiles => "zipped_files",
            ManifestInvalid { .. } => "manifest_invalid",
            NotInManifest => "not_in_manifest",
            ChecksumMismatch { .. } => "checksum_mismatch",
            ManifestListsAbsent { .. } => "manifest_lists_absent",
            ManifestIdMismatch { .. } => "manifest_id_mismatch",
            ManifestVersionMismatch { .. } => "manifest_version_mismatch",
            ManifestSchemaMismatch { .. } => "manifest_schema_mismatch",
            InvalidUtf8 { .. } => "invalid_utf8",
            Utf16 => "utf16",
            TomlSyntax { .. } => "toml_syntax",
            TooDeep { .. } => "too_deep",
            UnknownField { .. } => "unknown_field",
            UnknownFieldTypo { .. } => "unknown_field_typo",
            UnknownFieldEnglish { .. } => "unknown_field_english",
            FieldNotForNumericBlank { .. } => "field_not_for_numeric_blank",
            FieldOnlyForNumericBlanks { .. } => "field_only_for_numeric_blanks",
            FieldOnlyForClozeFeedback { .. } => "field_only_for_cloze_feedback",
            FieldOfOtherKind { .. } => "field_of_other_kind",
            MissingField => "missing_field",
            FeedbackWithoutBlank => "feedback_without_blank",
            Expected { .. } => "expected",
            NotFinite => "not_finite",
            NumberTooLarge => "number_too_large",
            IntegerTooLarge => "integer_too_large",
            MustNotBeEmpty => "must_not_be_empty",
            ListedTwice { .. } => "listed_twice",
            InvalidId { .. } => "invalid_id",
            MissingPackToml => "missing_pack_toml",
            MissingSkillsToml => "missing_skills_toml",
            MissingLessons => "missing_lessons",
            SchemaUnsupported { .. } => "schema_unsupported",
            NotSemver { .. } => "not_semver",
            VersionBuildMetadata { .. } => "version_build_metadata",
            NoLanguages => "no_languages",
            NotLanguageTag { .. } => "not_language_tag",
            TextLanguageNotDeclared { .. } => "text_language_not_declared",
            AnswerLanguageNotDeclared { .. } => "answer_language_not_declared",
            NoSkills => "no_skills",
            LessonWithoutSkills => "lesson_without_skills",
            LessonWithoutItems => "lesson_without_items",
            DuplicateId { .. } => "duplicate_id",
            DuplicateSkillMeant { .. } => "duplicate_skill_meant",
            UnknownSkill { .. } => "unknown_skill",
            UnknownSkillTypo { .. } => "unknown_skill_typo",
            SkillNotTaughtAdd { .. } => "skill_not_taught_add",
            SkillNotTaught { .. } => "skill_not_taught",
            SkillDeclaredAs { .. } => "skill_declared_as",
            SkillNotPractised { .. } => "skill_not_practised",
            PrerequisiteCycle { .. } => "prerequisite_cycle",
            UnknownKind { .. } => "unknown_kind",
            ItemWithoutSkills => "item_without_skills",
            DifficultyOutOfRange { .. } => "difficulty_out_of_range",
            DifficultyWord { .. } => "difficulty_word",
            TooManyHints { .. } => "too_many_hints",
            ModelSkillsPerItem { .. } => "model_skills_per_item",
            NoHints => "no_hints",
            NoSolution => "no_solution",
            ChoiceCount { .. } => "choice_count",
            NoCorrectPosition => "no_correct_position",
            PositionOutOfRange { .. } => "position_out_of_range",
            PositionTwice { .. } => "position_twice",
            ChoiceTwice { .. } => "choice_twice",
            NoLessonTable => "no_lesson_table",
            TableInWrongFile { .. } => "table_in_wrong_file",
            FixedOrderList { .. } => "fixed_order_list",
            LessonBeforePrerequisite { .. } => "lesson_before_prerequisite",
            LessonNumberWidths { .. } => "lesson_number_widths",
            ValueInQuotes { .. } => "value_in_quotes",
            PositionZero => "position_zero",
            PositionLetter { .. } => "position_letter",
            PositionAsChoiceText { .. } => "position_as_choice_text",
            IntegerNotInList { .. } => "integer_not_in_list",
            StringNotInList { .. } => "string_not_in_list",
            WriteAnswersList { .. } => "write_answers_list",
            WriteCorrect { .. } => "write_correct",
            ItemTableHeader { .. } => "item_table_header",
            NumberAsText { .. } => "number_as_text",
            PackInFolderBelow { .. } => "pack_in_folder_below",
            FolderOfPack { .. } => "folder_of_pack",
            BlankOutsideCloze { .. } => "blank_outside_cloze",
            AnswerLanguageNotTyped { .. } => "answer_language_not_typed",
            WriteDoubleBrackets { .. } => "write_double_brackets",
            WriteSingleBrackets { .. } => "write_single_brackets",
            ItemFieldAfterFeedback { .. } => "item_field_after_feedback",
            LessonFieldInItem { .. } => "lesson_field_in_item",
            FieldBeforeTable { .. } => "field_before_table",
            LessonLineMissing { .. } => "lesson_line_missing",
            NegativeTolerance => "negative_tolerance",
            NoAnswers => "no_answers",
            BadAccents { .. } => "bad_accents",
            ClozeWithoutBlanks => "cloze_without_blanks",
            BlankWithoutEntry { .. } => "blank_without_entry",
            BlankTwice { .. } => "blank_twice",
            BlankNotInPrompt { .. } => "blank_not_in_prompt",
            BlankMiswritten { .. } => "blank_miswritten",
            OrderTooShort { .. } => "order_too_short",
            FeedbackOnOrder => "feedback_on_order",
            FeedbackNoSuchBlank { .. } => "feedback_no_such_blank",
            FeedbackRightAnswer { .. } => "feedback_right_answer",
            FeedbackNotNumber { .. } => "feedback_not_number",
            FeedbackChoiceText { .. } => "feedback_choice_text",
            FeedbackNotPositions { .. } => "feedback_not_positions",
            FeedbackTooManyPicks { .. } => "feedback_too_many_picks",
            EatenEscape { .. } => "eaten_escape",
            NotReadAsImage { .. } => "not_read_as_image",
            RawHtml { .. } => "raw_html",
            LinkNotFollowed { .. } => "link_not_followed",
            SpanNotClosed { .. } => "span_not_closed",
            MarkupInPlainText { .. } => "markup_in_plain_text",
            MathsDelimiters { .. } => "maths_delimiters",
            ImageOutsideMedia { .. } => "image_outside_media",
            ImageUnsafePath { .. } => "image_unsafe_path",
            ImageMissing { .. } => "image_missing",
            ImageWithoutAlt { .. } => "image_without_alt",
            ImageBackslash { .. } => "image_backslash",
            ImageMissingCase { .. } => "image_missing_case",
            ImageMissingForm { .. } => "image_missing_form",
            ImageType { .. } => "image_type",
        }
    }

    /// The message in `lang` (before control characters are escaped: see
    /// [`crate::Diagnostic::message_in`]).
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Es => self.es(),
        }
    }

    fn en(&self) -> String {
        use Msg::*;
        let l = Lang::En;
        match self {
            OneFileOfPack { folder } => format!(
                "this is one file of a pack: give the pack's folder ({folder}) or a .ladderpack file"
            ),
            ArchiveTooLarge { limit_mib } => {
                format!("the archive is larger than the limit of {limit_mib} MiB")
            }
            PackTooLarge { limit_mib } => {
                format!("the pack is larger than the limit of {limit_mib} MiB (uncompressed)")
            }
            FileTooLarge { limit_mib } => {
                format!("the file is larger than the limit of {limit_mib} MiB")
            }
            MediaTooLarge { limit_mib } => format!(
                "the file is larger than the limit of {limit_mib} MiB for a file in media/: make \
                 the picture smaller (about 2000 pixels across is plenty on a screen; save photos \
                 as JPEG or WebP)"
            ),
            TooManyFilesAndFolders { limit } => {
                format!("the pack has more than {limit} files and folders")
            }
            TooManyFiles { limit } => format!("the pack has more than {limit} files"),
            NameNotUtf8 => "the name is not valid UTF-8".into(),
            UnsafeName { problem } => problem.text(l).into(),
            SymbolicLink => "symbolic links are not allowed in a pack".into(),
            NotPlainFile => "not a plain file".into(),
            UnexpectedFolder => {
                "unexpected folder: a pack has only lessons/ and media/ folders".into()
            }
            TomlFileName { rename, txt } => format!(
                "the name of a TOML file of the pack ends in .toml, in lowercase: rename it to \
                 {rename}{}",
                if *txt {
                    " (an editor that adds .txt: choose \"All files\" as the type when saving)"
                } else {
                    ""
                }
            ),
            UnexpectedFile => "unexpected file: a pack holds only pack.toml, skills.toml, \
                lessons/*.toml and files in media/"
                .into(),
            HiddenFile => "a hidden file (a name starting with '.'): remove it, so that nothing \
                is shipped by accident"
                .into(),
            SystemFile => "a file the operating system made, not a picture: remove it".into(),
            ManifestInFolder => {
                "MANIFEST.json belongs only in a built .ladderpack: remove it from the folder"
                    .into()
            }
            NotAZip { detail } => format!(
                "not a valid .ladderpack (zip) archive ({detail}): if it is one, it is \
                 incomplete or damaged (a copy or download that did not finish?): copy it \
                 again, or build it again with `ladder pack build`"
            ),
            ArchiveTooManyEntries { entries, limit } => {
                format!("the archive has {entries} entries; the limit is {limit}")
            }
            EntryEncrypted => "the entry is encrypted (the archive was made with a password): \
                build the pack with `ladder pack build`, which never encrypts"
                .into(),
            EntryUnreadable { detail } => format!(
                "the entry cannot be read ({detail}): the .ladderpack is damaged: copy it \
                 again, or build it again with `ladder pack build`"
            ),
            EntryNumberUnreadable { entry, detail } => {
                format!(
                    "entry {entry} cannot be read ({detail}): the .ladderpack is damaged: copy \
                     it again, or build it again with `ladder pack build`"
                )
            }
            NameRepeated => "the name appears more than once in the archive".into(),
            NamesReadAlike { names } => format!(
                "{} entries of the archive, named {} in its directory, are read under this one \
                 name (through a Unicode path field, bytes that are not UTF-8, or the old DOS \
                 code page): only one of them would be read, so give each entry a name of its \
                 own (`ladder pack build` does)",
                names.len(),
                quoted_list(names, "and")
            ),
            FileAndFolder => "the name is both a file and a folder of other files: a pack can \
                hold only one of them"
                .into(),
            NamesDifferOnlyInCase { other } => format!(
                "differs from `{other}` only in upper and lower case: Windows and macOS would \
                 keep one file for both, so rename one of them"
            ),
            NamesDifferOnlyInForm { other } => format!(
                "is the same name as `{other}` once accented letters are written alike (one \
                 writes an accented letter as one character, the other as a letter followed by \
                 a separate accent mark, as macOS names some files): macOS would keep one file \
                 for both, so rename one of them"
            ),
            ZippedFiles => "a zip of a pack's files, not a .ladderpack: validate or install the \
                            pack's folder itself, or make a .ladderpack of it with \
                            `ladder pack build FOLDER`"
                .into(),
            ZippedFolder { folder } => format!(
                "a zip of the folder `{folder}`, not a .ladderpack: validate or install the \
                 folder itself, or make a .ladderpack of it with `ladder pack build {folder}`"
            ),
            ManifestMissing => "missing: a .ladderpack must contain MANIFEST.json (build it \
                with `ladder pack build`)"
                .into(),
            ManifestInvalid { detail } => format!("invalid: {detail}"),
            NotInManifest => "not listed in MANIFEST.json".into(),
            ChecksumMismatch { listed, actual } => format!(
                "checksum mismatch: MANIFEST.json says {listed}, the file's SHA-256 is {actual}"
            ),
            ManifestListsAbsent { path } => {
                format!("lists `{path}`, which is not in the archive")
            }
            ManifestIdMismatch { manifest, pack } => {
                format!("id `{manifest}` does not match pack.toml's `{pack}`")
            }
            ManifestVersionMismatch { manifest, pack } => {
                format!("version `{manifest}` does not match pack.toml's `{pack}`")
            }
            ManifestSchemaMismatch { manifest, pack } => {
                format!("schema {manifest} does not match pack.toml's {pack}")
            }
            InvalidUtf8 { byte } => {
                format!("invalid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8")
            }
            Utf16 => "the file is saved as UTF-16 (called \"Unicode\" by some editors): save it \
                      as UTF-8"
                .into(),
            TomlSyntax { detail, hint } => match hint {
                Some(h) => format!("TOML syntax error: {detail} ({})", h.text(l)),
                None => format!("TOML syntax error: {detail}"),
            },
            TooDeep { limit } => {
                format!("nested deeper than the limit of {limit} tables and arrays")
            }
            UnknownField { key, expected } => {
                format!("unknown field `{key}`; expected one of: {}", expected.join(", "))
            }
            UnknownFieldEnglish { key, field } => {
                format!("unknown field `{key}`: field names are English words: write `{field}`")
            }
            UnknownFieldTypo { key, suggestion } => {
                format!("unknown field `{key}` (did you mean `{suggestion}`?)")
            }
            FieldNotForNumericBlank { key } => {
                format!("field `{key}` does not apply to a numeric blank (`numeric = true`)")
            }
            FieldOnlyForNumericBlanks { key } => {
                format!("field `{key}` applies only to numeric blanks: add `numeric = true`")
            }
            FieldOnlyForClozeFeedback { key } => {
                format!("field `{key}` applies only to feedback of cloze items")
            }
            FieldOfOtherKind { key, kind, owner } => format!(
                "field `{key}` does not apply to {kind} items (it belongs to {owner} items)"
            ),
            MissingField => "missing required field".into(),
            FeedbackWithoutBlank => "missing: the feedback of a cloze item says which blank its \
                                     answer is for, as blank = 1 for the first blank ({{1}})"
                .into(),
            Expected { expected, found } => {
                let brackets = match (expected, found) {
                    (Expect::ArrayOfIntegers, TomlType::Integer) => "[1]",
                    (Expect::ArrayOfStrings, TomlType::String) => "[\"...\"]",
                    _ => "",
                };
                let said = format!("expected {}, found {}", expected.text(l), found.text(l));
                if brackets.is_empty() {
                    said
                } else {
                    format!(
                        "{said}: a list is written in square brackets, even with one entry: \
                         {brackets}"
                    )
                }
            }
            NotFinite => "expected a finite number".into(),
            NumberTooLarge => "the number is too large: TOML reads whole numbers from \
                               -9223372036854775808 to 9223372036854775807 and decimal numbers \
                               up to about 1.8e308 (write a larger whole number with an \
                               exponent, as 1e20)"
                .into(),
            IntegerTooLarge => "the integer is too large".into(),
            MustNotBeEmpty => "must not be empty".into(),
            ListedTwice { value } => format!("`{value}` is listed twice"),
            InvalidId { id, problem, suggestion } => match suggestion {
                Some(s) => format!("invalid id `{id}`: {}: write `{s}`", problem.text(l)),
                None => format!("invalid id `{id}`: {}", problem.text(l)),
            },
            MissingPackToml => "missing: every pack needs a pack.toml manifest".into(),
            MissingSkillsToml => "missing: every pack needs a skills.toml".into(),
            MissingLessons => {
                "missing: a pack needs at least one lesson file, such as lessons/01-start.toml"
                    .into()
            }
            SchemaUnsupported { schema, supported } => {
                format!("schema {schema} is not supported: this Ladder reads schema {supported}")
            }
            NotSemver { value, detail, suggestion } => match suggestion {
                Some(v) => format!("`{value}` is not a semantic version such as 1.2.0: write {v}"),
                None => format!("`{value}` is not a semantic version such as 1.2.0: {detail}"),
            },
            VersionBuildMetadata { value, build } => format!(
                "`{value}`: build metadata (`+{build}`) is not allowed: it does not count when \
                 versions are compared, so it cannot mark a new edition; raise the number \
                 instead (such as 1.2.1) and drop `+{build}`"
            ),
            NoLanguages => "name at least one language, such as \"en\"".into(),
            NotLanguageTag { value, .. } if value.trim().is_empty() => {
                "the language tag is empty: write one such as \"en\" or \"es-MX\"".into()
            }
            NotLanguageTag { value, suggestion } => format!(
                "`{value}` is not a BCP 47 language tag such as \"en\" or \"es-MX\"{}",
                suggestion.as_ref().map(|s| format!(": write \"{s}\"")).unwrap_or_default()
            ),
            TextLanguageNotDeclared { value, languages } => format!(
                "`{value}` is not one of the pack's languages ({}): the text's language must be \
                 one of them; write one, or add `{value}` to `languages`",
                quoted_list(languages, "and")
            ),
            AnswerLanguageNotDeclared { value, languages } => format!(
                "`{value}` is not one of the pack's languages ({}): the language of the answers \
                 must be one of them; write one, or add `{value}` to `languages`",
                quoted_list(languages, "and")
            ),
            NoSkills => "a pack needs at least one skill".into(),
            LessonWithoutSkills => "a lesson teaches at least one skill".into(),
            LessonWithoutItems => {
                "the lesson has no items: add [[item]] blocks below its [lesson] table".into()
            }
            DuplicateId { entity, id, first } => {
                let what = match entity {
                    Entity::Skill => "skill",
                    Entity::Lesson => "lesson",
                    Entity::Item => "item",
                };
                format!("duplicate {what} id `{id}` (first defined at {first})")
            }
            UnknownSkill { skill } => format!(
                "unknown skill `{skill}`: declare it in skills.toml, or write the id of a skill \
                 declared there"
            ),
            UnknownSkillTypo { skill, suggestion } => {
                format!("unknown skill `{skill}` (did you mean `{suggestion}`?)")
            }
            SkillNotTaughtAdd { skill, more } => format!(
                "skill `{skill}` is not taught by any lesson (add it to a lesson's `skills`){}",
                match more {
                    0 => String::new(),
                    1 => "; 1 more item practises it".to_owned(),
                    n => format!("; {n} more items practise it"),
                }
            ),
            SkillNotPractised { skill, lesson_file } => format!(
                "no item practises skill `{skill}` (taught by {lesson_file}): learners cannot \
                 show that they have mastered it, and skills that need it stay locked; list it \
                 in the `skills` of the items that practise it"
            ),
            DuplicateSkillMeant { id, first, used, places } => format!(
                "duplicate skill id `{id}` (first defined at {first}), and `{used}`, used in {}, \
                 is declared nowhere: if this skill is `{used}`, write id = \"{used}\" here",
                plural(*places, "place", "places")
            ),
            SkillDeclaredAs { declared, used, places } => format!(
                "skill `{declared}` is used nowhere, but `{used}` is used in {} and declared \
                 nowhere: write id = \"{used}\" (or declare `{used}` as a skill of its own)",
                plural(*places, "place", "places")
            ),
            SkillNotTaught { skill } => format!(
                "skill `{skill}` is not taught by any lesson: add it to a lesson's `skills`, or \
                 remove it"
            ),
            PrerequisiteCycle { head, omitted, tail, links } => {
                let path = cycle(head, *omitted, tail, "more");
                let link = |k: &CycleLink| {
                    format!("`{}` from skill `{}` ({})", k.prerequisite, k.skill, k.at)
                };
                match links.as_slice() {
                    [only] if *omitted == 0 && only.skill == only.prerequisite => format!(
                        "prerequisite cycle: {path}: a skill cannot be its own prerequisite; \
                         remove `{}` from its prerequisites",
                        only.skill
                    ),
                    _ if *omitted > 0 => format!(
                        "prerequisite cycle: {path} (each skill needs the next): no order of \
                         lessons can teach them; remove one of its prerequisites, such as {}",
                        links.iter().map(link).collect::<Vec<_>>().join(", ")
                    ),
                    _ => format!(
                        "prerequisite cycle: {path} (each skill needs the next): no order of \
                         lessons can teach them; remove one of these prerequisites: {}",
                        links.iter().map(link).collect::<Vec<_>>().join(", ")
                    ),
                }
            }
            UnknownKind { kind, suggestion } => format!(
                "unknown kind `{kind}`; expected choice, numeric, text, cloze or order{}",
                suggestion.as_ref().map(|s| format!(": write \"{s}\"")).unwrap_or_default()
            ),
            ItemWithoutSkills => "an item practises at least one skill".into(),
            DifficultyWord { word, number } => format!(
                "difficulty is a number from -3 (very easy) through 0 (average) to 3 (very hard), \
                 not a word: write {number} for {word}"
            ),
            DifficultyOutOfRange { difficulty } => {
                format!("difficulty {difficulty} is outside -3 to 3")
            }
            TooManyHints { max, found } => format!(
                "an item has at most {max} hints, found {found}: a learner climbs the ladder one \
                 rung at a time, so split the item or merge hints"
            ),
            ModelSkillsPerItem { max, found } => format!(
                "{found} skills: the learner model reads only the first {max} of an item, so \
                 list the skills it practises most first"
            ),
            NoHints => "no hints: a learner who is stuck gets no help before the solution".into(),
            NoSolution => "no worked solution: the hint ladder has no last rung".into(),
            ChoiceCount { found } => {
                format!("a choice item needs 2 to 10 choices, found {found}")
            }
            NoCorrectPosition => "name at least one correct position".into(),
            PositionOutOfRange { position, choices } => format!(
                "position {position} is out of range (the item has {})",
                plural(*choices, "choice", "choices")
            ),
            PositionTwice { position } => format!("position {position} is listed twice"),
            FixedOrderList { elsewhere, unknown } => {
                let mut out = String::from(
                    "fixed_order is true or false, not a list: with fixed_order = true the items \
                     of this lesson come in the order their [[item]] blocks are written in this \
                     file, so put the blocks in the order you want",
                );
                for p in elsewhere {
                    out.push_str(&format!(
                        "; `{}` is an item of {}, and an item belongs to the lesson of its file: \
                         to use it here, move its [[item]] block into this file",
                        p.item, p.file
                    ));
                }
                if !unknown.is_empty() {
                    out.push_str(&format!("; no item has the id {}", id_list(unknown)));
                }
                out
            }
            TableInWrongFile { table } => match table {
                Misfiled::Skill => "[[skill]] belongs in skills.toml: move it there",
                Misfiled::Item => "[[item]] belongs in a lesson file (lessons/NN-name.toml), below \
                                   its [lesson]: move it there",
                Misfiled::Lesson => "[lesson] belongs in a lesson file of its own \
                                     (lessons/NN-name.toml): move it there",
            }
            .into(),
            NoLessonTable => "the file has no [lesson] table: every lesson file starts with its \
                               own [lesson] (id, title, skills), and the items of a file belong \
                               to its lesson; to add items to an existing lesson, write them in \
                               that lesson's file"
                .into(),
            BlankOutsideCloze { blank } => format!(
                "the prompt has a blank {{{{{blank}}}}}, but only cloze items have blanks: \
                 learners would see \"{{{{{blank}}}}}\" as written (for blanks, write kind = \
                 \"cloze\" and list them in `blanks`)"
            ),
            AnswerLanguageNotTyped { kind } => {
                let why = match kind.as_str() {
                    "numeric" => "the answer of a numeric item is a number, typed alike in every \
                                  language"
                        .to_owned(),
                    "order" => "nothing is typed in an order item (the learner moves its \
                                entries); an entry in another language is marked with <span \
                                lang=\"...\">"
                        .to_owned(),
                    other => format!(
                        "nothing is typed in a {other} item (the learner picks); a choice in \
                         another language is marked with <span lang=\"...\">"
                    ),
                };
                format!(
                    "answer_language is the language of typed answers, for text and cloze items \
                     only, and is ignored here: {why}; remove it"
                )
            }
            PackInFolderBelow { folder } => format!(
                "missing: this folder has no pack.toml, but {folder} has one: give that folder"
            ),
            FolderOfPack { part, folder } => format!(
                "missing: this is the {part}/ folder of the pack in {folder}: give the pack's \
                 folder"
            ),
            NumberAsText { hint } => {
                format!("expected a number, found a string ({})", hint.text(l))
            }
            ItemTableHeader { written, key } => {
                format!("{written} is part of an item: write its header [[item.{key}]]")
            }
            PositionLetter { letter, position } => format!(
                "positions are numbers counted from 1, not letters: write {position} for {letter}"
            ),
            PositionAsChoiceText { text, position, choices } => match position {
                Some(p) => format!(
                    "positions are numbers counted from 1, not the text of a choice: `{text}` is \
                     choice {p}: write {p}"
                ),
                None => format!(
                    "positions are numbers counted from 1, not the text of a choice: `{text}` is \
                     none of the {choices} choices: add it to `choices` and write its position"
                ),
            },
            IntegerNotInList { value } => format!(
                "expected an array of integers, found an integer: a list is written in square \
                 brackets, even with one entry: [{value}]"
            ),
            StringNotInList { value } => format!(
                "expected an array of strings, found a string: a list is written in square \
                 brackets, even with one entry: [\"{value}\"]"
            ),
            WriteAnswersList { blank: false, value } => format!(
                "`answer` is the number of a numeric item; the accepted answers of a text item \
                 are a list: write answers = {value}"
            ),
            WriteAnswersList { blank: true, value } => format!(
                "`answer` is the number of a numeric blank; the accepted answers of a text blank \
                 are a list: write answers = {value}"
            ),
            WriteCorrect { value } => format!(
                "`answer` is the number of a numeric item; the right options of a choice item \
                 are given by their positions in `correct`: write {}",
                value.as_ref().map_or_else(
                    || "correct = [1] for the first choice, counting from 1".to_owned(),
                    |v| format!("correct = {v}")
                )
            ),
            PositionZero => {
                "there is no position 0: positions count from 1 (the first choice is 1)".into()
            }
            ValueInQuotes { expected, value } => format!(
                "expected {}, found a string: write {value} without quotes",
                expected.text(l)
            ),
            LessonNumberWidths { first, second } => format!(
                "lessons are taught in the order of their file names, so {first} comes before \
                 {second}: number them with the same width (01-, 02-, ..., 10-)"
            ),
            LessonBeforePrerequisite { skill, prerequisite, lesson_file } => format!(
                "skill `{skill}` needs `{prerequisite}`, which only a later lesson teaches \
                 ({lesson_file}): learners find this lesson locked until then; put the lessons in \
                 the order of the prerequisites"
            ),
            WriteDoubleBrackets { header } => format!(
                "`{header}` is a list: write its header with double brackets, [[{header}]], once \
                 for each entry"
            ),
            WriteSingleBrackets { header } => format!(
                "`{header}` is one table: write its header with single brackets, [{header}]"
            ),
            ItemFieldAfterFeedback { key } => format!(
                "`{key}` is a field of the item, but it comes after [[item.feedback]], so TOML \
                 reads it as part of that feedback entry: move it above the item's first \
                 [[item.feedback]]"
            ),
            LessonFieldInItem { key } => format!(
                "`{key}` is a field of the lesson, but it comes after [[item]], so TOML reads it \
                 as part of that item: move it into [lesson], at the top of the file"
            ),
            FieldBeforeTable { key, table } => format!(
                "`{key}` comes before any table, so it belongs to none: move it below the \
                 {table} line"
            ),
            LessonLineMissing { keys } => format!(
                "the [lesson] line is missing above {}: a lesson file starts with [lesson] on a \
                 line of its own, then the lesson's fields; write it before `{}`",
                keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                keys.first().map_or("id", String::as_str)
            ),
            ChoiceTwice { position, first } => format!(
                "choice {position} has the same text as choice {first}: learners could not tell \
                 them apart"
            ),
            NegativeTolerance => "the tolerance must not be negative".into(),
            NoAnswers => "list at least one accepted answer".into(),
            BadAccents { value, suggestion } => format!(
                "`{value}` is not an accents setting; expected \"ignore\" or \"strict\"{}",
                suggestion.as_ref().map(|s| format!(": write \"{s}\"")).unwrap_or_default()
            ),
            ClozeWithoutBlanks => "a cloze item needs at least one blank".into(),
            BlankWithoutEntry { blank, blanks } => {
                let verb = if *blanks == 1 { "is" } else { "are" };
                format!("blank {{{{{blank}}}}} has no entry in `blanks` (there {verb} {blanks})")
            }
            BlankTwice { blank } => format!("blank {{{{{blank}}}}} appears more than once"),
            BlankNotInPrompt { blank } => {
                format!("the prompt has no blank {{{{{blank}}}}} for this entry")
            }
            BlankMiswritten { blank, written } => format!(
                "blank {blank} is written `{written}`: write it {{{{{blank}}}}}, with two braces \
                 on each side and no spaces"
            ),
            OrderTooShort { found } => {
                format!("an order item needs at least 2 entries, found {found}")
            }
            FeedbackOnOrder => "feedback is not available for order items".into(),
            FeedbackNoSuchBlank { blank, blanks } => format!(
                "blank {blank} does not exist (the item has {})",
                plural(*blanks, "blank", "blanks")
            ),
            FeedbackRightAnswer { answer, only_because } => format!(
                "`{answer}` is a right answer, and feedback is shown only for wrong answers, \
                 so no learner would see this message{}",
                match only_because {
                    Some(Loosened::Accents) => "; it is right only because accents are ignored: \
                                                add accents = \"strict\" to make it wrong",
                    Some(Loosened::Case) => "; it is right only because case is ignored: add \
                                             case_sensitive = true to make it wrong",
                    None => "",
                }
            ),
            FeedbackChoiceText { answer, position } => format!(
                "`{answer}` is the text of choice {position}: a feedback answer names the choice \
                 by its position: write \"{position}\""
            ),
            FeedbackNotNumber { answer } => {
                format!("`{answer}` is not a number, so no answer can match it")
            }
            FeedbackNotPositions { answer } => {
                format!("`{answer}` is not a choice position such as \"2\" or \"1,3\"")
            }
            FeedbackTooManyPicks { answer, picks } => format!(
                "`{answer}` picks {picks} choices, but the item has one right choice, so \
                 a learner picks exactly one and this can never match"
            ),
            EatenEscape { found } => format!(
                "the text contains {}: in \"...\" strings a backslash starts an escape, so write \
                 {}, or use '...' strings for maths",
                found.text(l),
                found.example()
            ),
            NotReadAsImage { shown } => format!(
                "`{shown}` is not read as an image, so learners would see it as text: a path \
                 with spaces must be written in angle brackets, ![alt](<media/my picture.svg>) \
                 (or rename the file without spaces)"
            ),
            MathsDelimiters { open, close } => format!(
                "maths between {open} and {close} is shown to learners as written: write it \
                 between dollar signs, $...$ (or $$...$$ on a line of its own)"
            ),
            LinkNotFollowed { target } => format!(
                "a link is not followed in Ladder: learners see its text, not `{target}` (the \
                 app never leaves the lesson); write in the text what they need from it"
            ),
            RawHtml { tags } => format!(
                "raw HTML ({}) is not shown to learners: an HTML block is left out with its \
                 text, other tags are dropped (<script> and <style> with their content); write \
                 it in Markdown: {}",
                tag_list(tags),
                html_advice(tags, l)
            ),
            SpanNotClosed { lang } => format!(
                "<span lang=\"{lang}\"> has no </span> in its paragraph: a screen reader reads \
                 the rest of the paragraph as {lang}; write </span> after the last word in that \
                 language"
            ),
            MarkupInPlainText { tag } => format!(
                "plain text, not Markdown: {tag} is shown to learners as written; remove it \
                 (only Markdown fields, such as intro, prompt and hints, can mark words in \
                 another language; plain text is read in the language of the pack's text, \
                 text_language in pack.toml)"
            ),
            ImageOutsideMedia { src, suggestion } => format!(
                "image `{src}` is not allowed: images must be files of the pack's media/ folder \
                 (media/...){}",
                suggestion.as_ref().map(|s| format!(": write `{s}`")).unwrap_or_default()
            ),
            ImageUnsafePath { src } => format!("image `{src}` is not a safe path inside media/"),
            ImageWithoutAlt { src } => format!(
                "picture `{src}` has no description: write what it shows between the brackets, \
                 ![what it shows]({src}), for learners who use a screen reader"
            ),
            ImageMissing { src } => format!(
                "image `{src}` is not in the pack: put the file in the pack's media/ folder, or \
                 write the name of a file that is there"
            ),
            ImageBackslash { src, fixed } => {
                format!("image `{src}` has backslashes: write `{fixed}`, with forward slashes")
            }
            ImageMissingCase { src, file } => format!(
                "image `{src}` is not in the pack, but `{file}` is: write the name exactly as \
                 the file is named, in upper and lower case"
            ),
            ImageMissingForm { src, file } => format!(
                "image `{src}` is not in the pack, but `{file}` is: the two names write an \
                 accented letter with different Unicode characters (as one character, or as a \
                 letter followed by a separate accent mark, as macOS names some files), which \
                 look the same: copy the file's name from this message into the reference, or \
                 give the file a name without accents"
            ),
            ImageType { src, types } => format!(
                "image `{src}` is not a type the app can show: use {}",
                types.join(", ")
            ),
        }
    }

    fn es(&self) -> String {
        use Msg::*;
        let l = Lang::Es;
        match self {
            OneFileOfPack { folder } => format!(
                "esto es un solo archivo de un paquete: indica la carpeta del paquete ({folder}) \
                 o un archivo .ladderpack"
            ),
            ArchiveTooLarge { limit_mib } => {
                format!("el archivo del paquete supera el límite de {limit_mib} MiB")
            }
            PackTooLarge { limit_mib } => {
                format!("el paquete supera el límite de {limit_mib} MiB (sin comprimir)")
            }
            FileTooLarge { limit_mib } => {
                format!("el archivo supera el límite de {limit_mib} MiB")
            }
            MediaTooLarge { limit_mib } => format!(
                "el archivo supera el límite de {limit_mib} MiB de los archivos de media/: reduce \
                 la imagen (unos 2000 píxeles de ancho bastan en una pantalla; guarda las fotos \
                 como JPEG o WebP)"
            ),
            TooManyFilesAndFolders { limit } => {
                format!("el paquete tiene más de {limit} archivos y carpetas")
            }
            TooManyFiles { limit } => format!("el paquete tiene más de {limit} archivos"),
            NameNotUtf8 => "el nombre no es UTF-8 válido".into(),
            UnsafeName { problem } => problem.text(l).into(),
            SymbolicLink => "no se admiten enlaces simbólicos en un paquete".into(),
            NotPlainFile => "no es un archivo normal".into(),
            UnexpectedFolder => {
                "carpeta inesperada: un paquete solo tiene las carpetas lessons/ y media/".into()
            }
            TomlFileName { rename, txt } => format!(
                "el nombre de un archivo TOML del paquete termina en .toml, en minúsculas: \
                 cámbialo a {rename}{}",
                if *txt {
                    " (si el editor añade .txt, elige \"Todos los archivos\" como tipo al \
                     guardar)"
                } else {
                    ""
                }
            ),
            UnexpectedFile => "archivo inesperado: un paquete solo contiene pack.toml, \
                skills.toml, lessons/*.toml y archivos en media/"
                .into(),
            HiddenFile => "un archivo oculto (un nombre que empieza por '.'): elimínalo, para \
                que no se distribuya nada por accidente"
                .into(),
            SystemFile => {
                "un archivo creado por el sistema operativo, no una imagen: elimínalo".into()
            }
            ManifestInFolder => "MANIFEST.json solo va en un .ladderpack ya construido: \
                elimínalo de la carpeta"
                .into(),
            NotAZip { detail } => format!(
                "no es un archivo .ladderpack (zip) válido ({detail}): si lo es, está \
                 incompleto o dañado (¿una copia o descarga que no terminó?): cópialo de \
                 nuevo, o vuelve a construirlo con `ladder pack build`"
            ),
            ArchiveTooManyEntries { entries, limit } => {
                format!("el archivo del paquete tiene {entries} entradas; el límite es {limit}")
            }
            EntryEncrypted => "la entrada está cifrada (el archivo se hizo con contraseña): \
                construye el paquete con `ladder pack build`, que nunca cifra"
                .into(),
            EntryUnreadable { detail } => format!(
                "no se puede leer la entrada ({detail}): el .ladderpack está dañado: cópialo \
                 de nuevo, o vuelve a construirlo con `ladder pack build`"
            ),
            EntryNumberUnreadable { entry, detail } => {
                format!(
                    "no se puede leer la entrada {entry} ({detail}): el .ladderpack está \
                     dañado: cópialo de nuevo, o vuelve a construirlo con `ladder pack build`"
                )
            }
            NameRepeated => "el nombre aparece más de una vez en el archivo del paquete".into(),
            NamesReadAlike { names } => format!(
                "{} entradas del archivo del paquete, con los nombres {} en su directorio, se \
                 leen con este mismo nombre (por un campo de ruta Unicode, bytes que no son \
                 UTF-8 o la antigua página de códigos de DOS): solo se leería una de ellas, así \
                 que da a cada entrada un nombre propio (`ladder pack build` lo hace)",
                names.len(),
                quoted_list(names, "y")
            ),
            FileAndFolder => "el nombre es a la vez un archivo y una carpeta con otros archivos: \
                un paquete solo puede tener uno de los dos"
                .into(),
            NamesDifferOnlyInCase { other } => format!(
                "solo se distingue de `{other}` en mayúsculas y minúsculas: Windows y macOS \
                 guardarían un único archivo para los dos, así que cambia el nombre de uno"
            ),
            NamesDifferOnlyInForm { other } => format!(
                "es el mismo nombre que `{other}` si las letras acentuadas se escriben igual (uno \
                 escribe una letra acentuada como un solo carácter, el otro como una letra \
                 seguida de un acento aparte, como macOS nombra algunos archivos): macOS \
                 guardaría un único archivo para los dos, así que cambia el nombre de uno"
            ),
            ZippedFiles => "un zip de los archivos de un paquete, no un .ladderpack: valida o \
                            instala la carpeta del paquete misma, o haz un .ladderpack con \
                            `ladder pack build CARPETA`"
                .into(),
            ZippedFolder { folder } => format!(
                "un zip de la carpeta `{folder}`, no un .ladderpack: valida o instala la carpeta \
                 misma, o haz un .ladderpack con `ladder pack build {folder}`"
            ),
            ManifestMissing => "falta: un .ladderpack debe contener MANIFEST.json (constrúyelo \
                con `ladder pack build`)"
                .into(),
            ManifestInvalid { detail } => format!("no es válido: {detail}"),
            NotInManifest => "no figura en MANIFEST.json".into(),
            ChecksumMismatch { listed, actual } => format!(
                "la suma de comprobación no coincide: MANIFEST.json indica {listed} y el SHA-256 \
                 del archivo es {actual}"
            ),
            ManifestListsAbsent { path } => {
                format!("incluye `{path}`, que no está en el archivo del paquete")
            }
            ManifestIdMismatch { manifest, pack } => {
                format!("el id `{manifest}` no coincide con el de pack.toml, `{pack}`")
            }
            ManifestVersionMismatch { manifest, pack } => {
                format!("la versión `{manifest}` no coincide con la de pack.toml, `{pack}`")
            }
            ManifestSchemaMismatch { manifest, pack } => {
                format!("el esquema {manifest} no coincide con el de pack.toml, {pack}")
            }
            InvalidUtf8 { byte } => {
                format!("UTF-8 no válido (byte 0x{byte:02x}): guarda el archivo como UTF-8")
            }
            Utf16 => "el archivo está guardado como UTF-16 (\"Unicode\" en algunos editores): \
                      guárdalo como UTF-8"
                .into(),
            TomlSyntax { detail, hint } => {
                let detail = toml_detail_es(detail);
                match hint {
                    Some(h) => format!("error de sintaxis de TOML: {detail} ({})", h.text(l)),
                    None => format!("error de sintaxis de TOML: {detail}"),
                }
            }
            TooDeep { limit } => {
                format!("anidado a más profundidad que el límite de {limit} tablas y arrays")
            }
            UnknownField { key, expected } => {
                format!("campo desconocido `{key}`; se esperaba uno de: {}", expected.join(", "))
            }
            UnknownFieldEnglish { key, field } => format!(
                "campo desconocido `{key}`: los nombres de los campos van en inglés: escribe \
                 `{field}`"
            ),
            UnknownFieldTypo { key, suggestion } => {
                format!("campo desconocido `{key}` (¿querías decir `{suggestion}`?)")
            }
            FieldNotForNumericBlank { key } => {
                format!("el campo `{key}` no se aplica a un hueco numérico (`numeric = true`)")
            }
            FieldOnlyForNumericBlanks { key } => {
                format!(
                    "el campo `{key}` solo se aplica a huecos numéricos: añade `numeric = true`"
                )
            }
            FieldOnlyForClozeFeedback { key } => format!(
                "el campo `{key}` solo se aplica a la retroalimentación de los ejercicios de \
                 huecos (cloze)"
            ),
            FieldOfOtherKind { key, kind, owner } => format!(
                "el campo `{key}` no se aplica a los ejercicios de tipo {kind} (es de los \
                 ejercicios de tipo {owner})"
            ),
            MissingField => "falta un campo obligatorio".into(),
            FeedbackWithoutBlank => "falta: la retroalimentación de un ejercicio de huecos dice a \
                                     qué hueco se refiere su respuesta, como blank = 1 para el \
                                     primer hueco ({{1}})"
                .into(),
            Expected { expected, found } => {
                let brackets = match (expected, found) {
                    (Expect::ArrayOfIntegers, TomlType::Integer) => "[1]",
                    (Expect::ArrayOfStrings, TomlType::String) => "[\"...\"]",
                    _ => "",
                };
                let said = format!("se esperaba {}, pero hay {}", expected.text(l), found.text(l));
                if brackets.is_empty() {
                    said
                } else {
                    format!(
                        "{said}: una lista se escribe entre corchetes, también con un solo \
                         elemento: {brackets}"
                    )
                }
            }
            NotFinite => "se esperaba un número finito".into(),
            NumberTooLarge => "el número es demasiado grande: TOML lee números enteros de \
                               -9223372036854775808 a 9223372036854775807 y decimales hasta \
                               1.8e308 aproximadamente (escribe un entero mayor con exponente, \
                               como 1e20)"
                .into(),
            IntegerTooLarge => "el número entero es demasiado grande".into(),
            MustNotBeEmpty => "no puede estar vacío".into(),
            ListedTwice { value } => format!("`{value}` aparece dos veces en la lista"),
            InvalidId { id, problem, suggestion } => match suggestion {
                Some(s) => format!("id no válido `{id}`: {}: escribe `{s}`", problem.text(l)),
                None => format!("id no válido `{id}`: {}", problem.text(l)),
            },
            MissingPackToml => "falta: todo paquete necesita un manifiesto pack.toml".into(),
            MissingSkillsToml => "falta: todo paquete necesita un skills.toml".into(),
            MissingLessons => "falta: un paquete necesita al menos un archivo de lección, como \
                lessons/01-start.toml"
                .into(),
            SchemaUnsupported { schema, supported } => format!(
                "el esquema {schema} no es compatible: esta versión de Ladder lee el esquema \
                 {supported}"
            ),
            NotSemver { value, detail, suggestion } => match suggestion {
                Some(v) => {
                    format!("`{value}` no es una versión semántica como 1.2.0: escribe {v}")
                }
                None => format!("`{value}` no es una versión semántica como 1.2.0: {detail}"),
            },
            VersionBuildMetadata { value, build } => format!(
                "`{value}`: no se admiten metadatos de compilación (`+{build}`): no cuentan al \
                 comparar versiones, así que no distinguen una edición nueva; sube el número \
                 (como 1.2.1) y quita `+{build}`"
            ),
            NoLanguages => "indica al menos un idioma, como \"es\"".into(),
            NotLanguageTag { value, .. } if value.trim().is_empty() => {
                "la etiqueta de idioma está vacía: escribe una como \"es\" o \"es-MX\"".into()
            }
            NotLanguageTag { value, suggestion } => format!(
                "`{value}` no es una etiqueta de idioma BCP 47 como \"es\" o \"es-MX\"{}",
                suggestion.as_ref().map(|s| format!(": escribe \"{s}\"")).unwrap_or_default()
            ),
            TextLanguageNotDeclared { value, languages } => format!(
                "`{value}` no es uno de los idiomas del paquete ({}): el idioma del texto tiene \
                 que ser uno de ellos; escribe uno, o añade `{value}` a `languages`",
                quoted_list(languages, "y")
            ),
            AnswerLanguageNotDeclared { value, languages } => format!(
                "`{value}` no es uno de los idiomas del paquete ({}): el idioma de las respuestas \
                 tiene que ser uno de ellos; escribe uno, o añade `{value}` a `languages`",
                quoted_list(languages, "y")
            ),
            NoSkills => "un paquete necesita al menos una habilidad".into(),
            LessonWithoutSkills => "una lección enseña al menos una habilidad".into(),
            LessonWithoutItems => {
                "la lección no tiene ejercicios: añade bloques [[item]] debajo de su tabla \
                 [lesson]"
                    .into()
            }
            DuplicateId { entity, id, first } => {
                let what = match entity {
                    Entity::Skill => "habilidad",
                    Entity::Lesson => "lección",
                    Entity::Item => "ejercicio",
                };
                format!("id de {what} repetido `{id}` (definido por primera vez en {first})")
            }
            UnknownSkill { skill } => format!(
                "habilidad desconocida `{skill}`: declárala en skills.toml o escribe el id de \
                 una habilidad declarada ahí"
            ),
            UnknownSkillTypo { skill, suggestion } => {
                format!("habilidad desconocida `{skill}` (¿querías decir `{suggestion}`?)")
            }
            SkillNotTaughtAdd { skill, more } => format!(
                "ninguna lección enseña la habilidad `{skill}` (añádela a los `skills` de una \
                 lección){}",
                match more {
                    0 => String::new(),
                    1 => "; otro ejercicio la practica".to_owned(),
                    n => format!("; otros {n} ejercicios la practican"),
                }
            ),
            SkillNotPractised { skill, lesson_file } => format!(
                "ningún ejercicio practica la habilidad `{skill}` (la enseña {lesson_file}): los \
                 alumnos no pueden demostrar que la dominan, y las habilidades que la necesitan \
                 siguen bloqueadas; ponla en las `skills` de los ejercicios que la practican"
            ),
            DuplicateSkillMeant { id, first, used, places } => format!(
                "id de habilidad repetido `{id}` (definido por primera vez en {first}), y \
                 `{used}`, que se usa en {}, no se declara: si esta habilidad es `{used}`, \
                 escribe aquí id = \"{used}\"",
                plural(*places, "sitio", "sitios")
            ),
            SkillDeclaredAs { declared, used, places } => format!(
                "la habilidad `{declared}` no se usa en ningún sitio, pero `{used}` se usa en {} \
                 y no se declara: escribe id = \"{used}\" (o declara `{used}` como una habilidad \
                 más)",
                plural(*places, "sitio", "sitios")
            ),
            SkillNotTaught { skill } => format!(
                "ninguna lección enseña la habilidad `{skill}`: añádela a las `skills` de una \
                 lección o quítala"
            ),
            PrerequisiteCycle { head, omitted, tail, links } => {
                let path = cycle(head, *omitted, tail, "más");
                let link = |k: &CycleLink| {
                    format!("`{}` de la habilidad `{}` ({})", k.prerequisite, k.skill, k.at)
                };
                match links.as_slice() {
                    [only] if *omitted == 0 && only.skill == only.prerequisite => format!(
                        "ciclo de prerrequisitos: {path}: una habilidad no puede ser su propio \
                         prerrequisito; quita `{}` de sus prerrequisitos",
                        only.skill
                    ),
                    _ if *omitted > 0 => format!(
                        "ciclo de prerrequisitos: {path} (cada habilidad necesita la siguiente): \
                         ningún orden de lecciones puede enseñarlas; quita uno de sus \
                         prerrequisitos, por ejemplo {}",
                        links.iter().map(link).collect::<Vec<_>>().join(", ")
                    ),
                    _ => format!(
                        "ciclo de prerrequisitos: {path} (cada habilidad necesita la siguiente): \
                         ningún orden de lecciones puede enseñarlas; quita uno de estos \
                         prerrequisitos: {}",
                        links.iter().map(link).collect::<Vec<_>>().join(", ")
                    ),
                }
            }
            UnknownKind { kind, suggestion } => format!(
                "tipo desconocido `{kind}`; se esperaba choice, numeric, text, cloze u order{}",
                suggestion.as_ref().map(|s| format!(": escribe \"{s}\"")).unwrap_or_default()
            ),
            ItemWithoutSkills => "un ejercicio practica al menos una habilidad".into(),
            DifficultyWord { word, number } => format!(
                "la dificultad es un número de -3 (muy fácil) a 3 (muy difícil), pasando por 0 \
                 (normal), no una palabra: escribe {number} por {word}"
            ),
            DifficultyOutOfRange { difficulty } => {
                format!("la dificultad {difficulty} está fuera del intervalo de -3 a 3")
            }
            TooManyHints { max, found } => format!(
                "un ejercicio tiene como mucho {max} pistas y este tiene {found}: el alumno sube \
                 la escalera peldaño a peldaño, así que divide el ejercicio o junta pistas"
            ),
            ModelSkillsPerItem { max, found } => format!(
                "{found} habilidades: el modelo del alumno solo lee las {max} primeras de un \
                 ejercicio, así que pon primero las que más practica"
            ),
            NoHints => {
                "sin pistas: un alumno atascado no recibe ninguna ayuda antes de la solución".into()
            }
            NoSolution => {
                "sin solución paso a paso: a la escalera de pistas le falta el último peldaño"
                    .into()
            }
            ChoiceCount { found } => format!(
                "un ejercicio de opción múltiple (choice) necesita de 2 a 10 opciones y tiene \
                 {found}"
            ),
            NoCorrectPosition => "indica al menos una posición correcta".into(),
            PositionOutOfRange { position, choices } => format!(
                "la posición {position} está fuera de rango (el ejercicio tiene {})",
                plural(*choices, "opción", "opciones")
            ),
            PositionTwice { position } => format!("la posición {position} aparece dos veces"),
            FixedOrderList { elsewhere, unknown } => {
                let mut out = String::from(
                    "fixed_order es true o false, no una lista: con fixed_order = true los \
                     ejercicios de esta lección van en el orden en que sus bloques [[item]] están \
                     escritos en este archivo, así que pon los bloques en el orden que quieras",
                );
                for p in elsewhere {
                    out.push_str(&format!(
                        "; `{}` es un ejercicio de {}, y un ejercicio pertenece a la lección de \
                         su archivo: para usarlo aquí, mueve su bloque [[item]] a este archivo",
                        p.item, p.file
                    ));
                }
                if !unknown.is_empty() {
                    out.push_str(&format!("; ningún ejercicio tiene el id {}", id_list(unknown)));
                }
                out
            }
            TableInWrongFile { table } => match table {
                Misfiled::Skill => "[[skill]] va en skills.toml: muévelo allí",
                Misfiled::Item => {
                    "[[item]] va en un archivo de lección (lessons/NN-nombre.toml), \
                                   debajo de su [lesson]: muévelo allí"
                }
                Misfiled::Lesson => {
                    "[lesson] va en su propio archivo de lección \
                                     (lessons/NN-nombre.toml): muévelo allí"
                }
            }
            .into(),
            NoLessonTable => "el archivo no tiene tabla [lesson]: cada archivo de lección empieza \
                               por su propio [lesson] (id, title, skills), y los ejercicios de un \
                               archivo son de su lección; para añadir ejercicios a una lección \
                               que ya existe, escríbelos en el archivo de esa lección"
                .into(),
            BlankOutsideCloze { blank } => format!(
                "el enunciado tiene un hueco {{{{{blank}}}}}, pero solo los ejercicios de tipo \
                 cloze tienen huecos: los alumnos verían «{{{{{blank}}}}}» tal cual (para huecos, \
                 escribe kind = \"cloze\" y enuméralos en `blanks`)"
            ),
            AnswerLanguageNotTyped { kind } => {
                let why = match kind.as_str() {
                    "numeric" => "la respuesta de un ejercicio de tipo numeric es un número, que \
                                  se escribe igual en todos los idiomas"
                        .to_owned(),
                    "order" => "en un ejercicio de tipo order no se escribe nada (el alumno \
                                mueve sus entradas); una entrada en otro idioma se marca con \
                                <span lang=\"...\">"
                        .to_owned(),
                    other => format!(
                        "en un ejercicio de tipo {other} no se escribe nada (el alumno elige); \
                         una opción en otro idioma se marca con <span lang=\"...\">"
                    ),
                };
                format!(
                    "answer_language es el idioma de las respuestas escritas, solo para los \
                     ejercicios de tipo text y cloze, y aquí se ignora: {why}; quítalo"
                )
            }
            PackInFolderBelow { folder } => format!(
                "falta: esta carpeta no tiene pack.toml, pero {folder} sí: indica esa carpeta"
            ),
            FolderOfPack { part, folder } => format!(
                "falta: esta es la carpeta {part}/ del paquete de {folder}: indica la carpeta del \
                 paquete"
            ),
            NumberAsText { hint } => {
                format!("se esperaba un número, pero hay una cadena de texto ({})", hint.text(l))
            }
            ItemTableHeader { written, key } => {
                format!("{written} es parte de un ejercicio: escribe su encabezado [[item.{key}]]")
            }
            PositionLetter { letter, position } => format!(
                "las posiciones son números contados desde 1, no letras: escribe {position} por \
                 {letter}"
            ),
            PositionAsChoiceText { text, position, choices } => match position {
                Some(p) => format!(
                    "las posiciones son números contados desde 1, no el texto de una opción: \
                     `{text}` es la opción {p}: escribe {p}"
                ),
                None => format!(
                    "las posiciones son números contados desde 1, no el texto de una opción: \
                     `{text}` no es ninguna de las {choices} opciones: añádelo a `choices` y \
                     escribe su posición"
                ),
            },
            IntegerNotInList { value } => format!(
                "se esperaba un array de números enteros, pero hay un número entero: una lista \
                 se escribe entre corchetes, también con un solo elemento: [{value}]"
            ),
            StringNotInList { value } => format!(
                "se esperaba un array de cadenas de texto, pero hay una cadena de texto: una \
                 lista se escribe entre corchetes, también con un solo elemento: [\"{value}\"]"
            ),
            WriteAnswersList { blank: false, value } => format!(
                "`answer` es el número de un ejercicio numérico; las respuestas aceptadas de un \
                 ejercicio de texto son una lista: escribe answers = {value}"
            ),
            WriteAnswersList { blank: true, value } => format!(
                "`answer` es el número de un hueco numérico; las respuestas aceptadas de un \
                 hueco de texto son una lista: escribe answers = {value}"
            ),
            WriteCorrect { value } => format!(
                "`answer` es el número de un ejercicio numérico; las opciones correctas de un \
                 ejercicio de elección se dan por su posición en `correct`: escribe {}",
                value.as_ref().map_or_else(
                    || "correct = [1] para la primera opción, contando desde 1".to_owned(),
                    |v| format!("correct = {v}")
                )
            ),
            PositionZero => "no hay posición 0: las posiciones se cuentan desde 1 (la primera \
                             opción es la 1)"
                .into(),
            ValueInQuotes { expected, value } => format!(
                "se esperaba {}, pero hay una cadena de texto: escribe {value} sin comillas",
                expected.text(l)
            ),
            LessonNumberWidths { first, second } => format!(
                "las lecciones se enseñan en el orden de los nombres de sus archivos, así que \
                 {first} va antes que {second}: numéralas con el mismo ancho (01-, 02-, ..., 10-)"
            ),
            LessonBeforePrerequisite { skill, prerequisite, lesson_file } => format!(
                "la habilidad `{skill}` necesita `{prerequisite}`, que solo enseña una lección \
                 posterior ({lesson_file}): los alumnos encuentran esta lección bloqueada hasta \
                 entonces; pon las lecciones en el orden de los prerrequisitos"
            ),
            WriteDoubleBrackets { header } => format!(
                "`{header}` es una lista: escribe su encabezado con corchetes dobles, \
                 [[{header}]], una vez por cada entrada"
            ),
            WriteSingleBrackets { header } => format!(
                "`{header}` es una sola tabla: escribe su encabezado con corchetes simples, \
                 [{header}]"
            ),
            ItemFieldAfterFeedback { key } => format!(
                "`{key}` es un campo del ejercicio, pero va después de [[item.feedback]], así \
                 que TOML lo lee como parte de esa retroalimentación: muévelo encima del primer \
                 [[item.feedback]] del ejercicio"
            ),
            LessonFieldInItem { key } => format!(
                "`{key}` es un campo de la lección, pero va después de [[item]], así que TOML lo \
                 lee como parte de ese ejercicio: muévelo a [lesson], al principio del archivo"
            ),
            FieldBeforeTable { key, table } => format!(
                "`{key}` va antes de cualquier tabla, así que no pertenece a ninguna: muévelo \
                 debajo de la línea {table}"
            ),
            LessonLineMissing { keys } => format!(
                "falta la línea [lesson] encima de {}: un archivo de lección empieza con [lesson] \
                 en una línea propia y después los campos de la lección; escríbela antes de `{}`",
                keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                keys.first().map_or("id", String::as_str)
            ),
            ChoiceTwice { position, first } => format!(
                "la opción {position} tiene el mismo texto que la opción {first}: los alumnos no \
                 podrían distinguirlas"
            ),
            NegativeTolerance => "la tolerancia no puede ser negativa".into(),
            NoAnswers => "indica al menos una respuesta aceptada".into(),
            BadAccents { value, suggestion } => format!(
                "`{value}` no es un valor válido de accents; se esperaba \"ignore\" o \"strict\"{}",
                suggestion.as_ref().map(|s| format!(": escribe \"{s}\"")).unwrap_or_default()
            ),
            ClozeWithoutBlanks => {
                "un ejercicio de huecos (cloze) necesita al menos un hueco".into()
            }
            BlankWithoutEntry { blank, blanks } => {
                format!("el hueco {{{{{blank}}}}} no tiene entrada en `blanks` (hay {blanks})")
            }
            BlankTwice { blank } => {
                format!("el hueco {{{{{blank}}}}} aparece más de una vez")
            }
            BlankNotInPrompt { blank } => {
                format!("el enunciado no tiene el hueco {{{{{blank}}}}} para esta entrada")
            }
            BlankMiswritten { blank, written } => format!(
                "el hueco {blank} está escrito `{written}`: escríbelo {{{{{blank}}}}}, con dos \
                 llaves a cada lado y sin espacios"
            ),
            OrderTooShort { found } => format!(
                "un ejercicio de ordenar (order) necesita al menos 2 entradas y tiene {found}"
            ),
            FeedbackOnOrder => {
                "los ejercicios de ordenar (order) no admiten retroalimentación".into()
            }
            FeedbackNoSuchBlank { blank, blanks } => format!(
                "el hueco {blank} no existe (el ejercicio tiene {})",
                plural(*blanks, "hueco", "huecos")
            ),
            FeedbackRightAnswer { answer, only_because } => format!(
                "`{answer}` es una respuesta correcta, y la retroalimentación solo se muestra \
                 con las respuestas incorrectas, así que ningún alumno vería este mensaje{}",
                match only_because {
                    Some(Loosened::Accents) =>
                        "; solo es correcta porque se ignoran las tildes: \
                                                añade accents = \"strict\" para que sea \
                                                incorrecta",
                    Some(Loosened::Case) =>
                        "; solo es correcta porque se ignoran las mayúsculas: \
                                             añade case_sensitive = true para que sea incorrecta",
                    None => "",
                }
            ),
            FeedbackChoiceText { answer, position } => format!(
                "`{answer}` es el texto de la opción {position}: la retroalimentación nombra la \
                 opción por su posición: escribe \"{position}\""
            ),
            FeedbackNotNumber { answer } => {
                format!("`{answer}` no es un número, así que ninguna respuesta puede coincidir")
            }
            FeedbackNotPositions { answer } => {
                format!("`{answer}` no es una posición de opción como \"2\" o \"1,3\"")
            }
            FeedbackTooManyPicks { answer, picks } => format!(
                "`{answer}` elige {picks} opciones, pero el ejercicio tiene una sola opción \
                 correcta, así que el alumno elige exactamente una y esto nunca puede coincidir"
            ),
            EatenEscape { found } => format!(
                "el texto contiene {}: en las cadenas \"...\" una barra invertida empieza un \
                 escape, así que escribe {}, o usa cadenas '...' para las matemáticas",
                found.text(l),
                found.example()
            ),
            NotReadAsImage { shown } => format!(
                "`{shown}` no se lee como una imagen, así que los alumnos lo verían como texto: \
                 una ruta con espacios se escribe entre ángulos, ![alt](<media/my picture.svg>) \
                 (o cambia el nombre del archivo para que no tenga espacios)"
            ),
            MathsDelimiters { open, close } => format!(
                "las matemáticas entre {open} y {close} se muestran a los alumnos tal cual: \
                 escríbelas entre signos de dólar, $...$ (o $$...$$ en una línea aparte)"
            ),
            LinkNotFollowed { target } => format!(
                "Ladder no sigue los enlaces: el alumno ve su texto, no `{target}` (la \
                 aplicación nunca sale de la lección); escribe en el texto lo que necesita de él"
            ),
            RawHtml { tags } => format!(
                "el HTML ({}) no se muestra a los alumnos: un bloque HTML se omite con su \
                 texto, las demás etiquetas se quitan (<script> y <style> con su contenido); \
                 escríbelo en Markdown: {}",
                tag_list(tags),
                html_advice(tags, l)
            ),
            SpanNotClosed { lang } => format!(
                "<span lang=\"{lang}\"> no tiene </span> en su párrafo: un lector de pantalla lee \
                 el resto del párrafo como {lang}; escribe </span> después de la última palabra \
                 en ese idioma"
            ),
            MarkupInPlainText { tag } => format!(
                "texto simple, no Markdown: {tag} se muestra a los alumnos tal cual; quítalo \
                 (solo los campos Markdown, como intro, prompt y hints, pueden marcar palabras \
                 en otro idioma; el texto simple se lee en el idioma del texto del paquete, \
                 text_language en pack.toml)"
            ),
            ImageOutsideMedia { src, suggestion } => format!(
                "la imagen `{src}` no está permitida: las imágenes deben ser archivos de la \
                 carpeta media/ del paquete (media/...){}",
                suggestion.as_ref().map(|s| format!(": escribe `{s}`")).unwrap_or_default()
            ),
            ImageUnsafePath { src } => {
                format!("la imagen `{src}` no es una ruta segura dentro de media/")
            }
            ImageWithoutAlt { src } => format!(
                "la imagen `{src}` no tiene descripción: escribe lo que muestra entre los \
                 corchetes, ![lo que muestra]({src}), para los alumnos que usan un lector de \
                 pantalla"
            ),
            ImageMissing { src } => format!(
                "la imagen `{src}` no está en el paquete: pon el archivo en la carpeta media/ \
                 del paquete o escribe el nombre de un archivo que esté ahí"
            ),
            ImageBackslash { src, fixed } => format!(
                "la imagen `{src}` tiene barras invertidas: escribe `{fixed}`, con barras \
                 normales"
            ),
            ImageMissingCase { src, file } => format!(
                "la imagen `{src}` no está en el paquete, pero `{file}` sí: escribe el nombre \
                 tal como se llama el archivo, con las mismas mayúsculas y minúsculas"
            ),
            ImageMissingForm { src, file } => format!(
                "la imagen `{src}` no está en el paquete, pero `{file}` sí: los dos nombres \
                 escriben una letra acentuada con caracteres Unicode distintos (como un solo \
                 carácter, o como una letra seguida de un acento aparte, como macOS nombra \
                 algunos archivos), que se ven iguales: copia en la referencia el nombre del \
                 archivo tal como aparece en este mensaje, o da al archivo un nombre sin acentos"
            ),
            ImageType { src, types } => format!(
                "la imagen `{src}` no es de un tipo que la aplicación pueda mostrar: usa {}",
                types.join(", ")
            ),
        }
    }
}

/// The TOML parser's message in Spanish: its usual phrases translated (`invalid basic string,
/// expected `"``), anything else kept as it wrote it. The parser's messages are a phrase,
/// optionally followed by `, expected ...` and the tokens it wanted.
fn toml_detail_es(detail: &str) -> String {
    let (head, expected) = match detail.split_once(", expected ") {
        Some((h, e)) => (h, Some(e)),
        None => (detail, None),
    };
    let head = match TOML_PHRASES.iter().find(|(en, _)| *en == head) {
        Some((_, es)) => (*es).to_owned(),
        None => head.to_owned(),
    };
    match expected {
        Some(e) => {
            let tokens: Vec<&str> = e
                .split(", ")
                .map(|t| EXPECTED_WORDS.iter().find(|(en, _)| *en == t).map_or(t, |(_, es)| *es))
                .collect();
            format!("{head}; se esperaba {}", tokens.join(", "))
        }
        None => head,
    }
}

/// What the TOML parser says it expected, when it is a word rather than a `token`.
const EXPECTED_WORDS: &[(&str, &str)] = &[
    ("newline", "un salto de línea"),
    ("nothing", "nada"),
    ("key", "una clave"),
    ("value", "un valor"),
    ("digits", "dígitos"),
    ("numbers", "números"),
    ("letters", "letras"),
    ("characters", "caracteres"),
    ("printable characters", "caracteres imprimibles"),
    ("literal string", "una cadena '...'"),
    ("basic string", "una cadena \"...\""),
    ("multi-line basic string", "una cadena \"\"\"...\"\"\""),
    ("unicode hexadecimal value", "un valor Unicode hexadecimal"),
    ("non-single-quote visible characters", "caracteres visibles que no sean '"),
    ("non-single-quote characters", "caracteres que no sean '"),
    ("non-double-quote visible characters", "caracteres visibles que no sean \""),
];

/// The TOML parser's (`toml_parser`, through `toml`) usual phrases, in Spanish.
const TOML_PHRASES: &[(&str, &str)] = &[
    ("duplicate key", "clave repetida"),
    ("invalid basic string", "cadena \"...\" no válida"),
    ("invalid literal string", "cadena '...' no válida"),
    ("invalid multi-line basic string", "cadena \"\"\"...\"\"\" no válida"),
    ("invalid multi-line literal string", "cadena '''...''' no válida"),
    ("invalid string", "cadena no válida"),
    ("invalid key", "clave no válida"),
    ("invalid unquoted key", "clave sin comillas no válida"),
    ("unquoted keys cannot be empty", "una clave sin comillas no puede estar vacía"),
    ("invalid value", "valor no válido"),
    ("invalid table", "tabla no válida"),
    ("invalid boolean", "booleano no válido"),
    ("invalid integer number", "número entero no válido"),
    ("invalid float", "número decimal no válido"),
    ("invalid fraction", "parte decimal no válida"),
    ("invalid exponent", "exponente no válido"),
    ("invalid mantissa", "mantisa no válida"),
    ("invalid hexadecimal number", "número hexadecimal no válido"),
    ("invalid octal number", "número octal no válido"),
    ("invalid binary number", "número binario no válido"),
    ("invalid date-time", "fecha y hora no válidas"),
    ("invalid comment character", "carácter no válido en un comentario"),
    ("invalid key-value pair", "par clave-valor no válido"),
    ("missing value", "falta el valor"),
    ("missing value for key", "falta el valor de la clave"),
    ("missing escaped value", "falta el carácter escapado"),
    ("missing opening quote", "falta la comilla de apertura"),
    ("missing comma between array elements", "falta una coma entre los elementos del array"),
    ("missing comma between key-value pairs", "falta una coma entre los pares clave-valor"),
    ("missing assignment between key-value pairs", "falta un = entre la clave y el valor"),
    ("missing array opening", "falta el [ que abre el array"),
    ("missing inline table opening", "falta la { que abre la tabla en línea"),
    ("missing table open", "falta el [ que abre la tabla"),
    ("missing comment start", "falta el # que empieza el comentario"),
    ("unclosed array", "array sin cerrar"),
    ("unclosed table", "tabla sin cerrar"),
    ("unclosed array table", "encabezado [[...]] sin cerrar"),
    ("unclosed inline table", "tabla en línea sin cerrar"),
    ("extra comma in array", "coma de más en el array"),
    ("extra `=`", "`=` de más"),
    ("unexpected `=` in array", "`=` inesperado en un array"),
    ("unexpected sign", "signo inesperado"),
    ("unexpected leading zero", "cero inicial inesperado"),
    ("unexpected content", "contenido inesperado"),
    ("unexpected content between comment and newline", "contenido inesperado tras el comentario"),
    ("unexpected key or value", "clave o valor inesperado"),
    ("string values must be quoted", "los textos van entre comillas"),
    ("key with no value", "clave sin valor"),
    ("missing key for inline table element", "falta la clave de un elemento de la tabla en línea"),
    ("invalid inline table element", "elemento no válido en la tabla en línea"),
    ("extra comma in inline table", "coma de más en la tabla en línea"),
    ("extra assignment between key-value pairs", "`=` de más entre los pares clave-valor"),
    ("`_` may only go between digits", "`_` solo puede ir entre dígitos"),
    (
        "carriage return must be followed by newline",
        "un retorno de carro debe ir seguido de un salto de línea",
    ),
    ("integers with a radix cannot be signed", "los enteros con base no pueden llevar signo"),
    ("radix must be lowercase", "la base debe ir en minúscula"),
    ("redundant integer number prefix", "prefijo de número entero redundante"),
    ("redundant numeric sign", "signo numérico redundante"),
    ("too few unicode value digits", "faltan dígitos en el valor Unicode"),
    (
        "keys cannot be multi-line basic strings",
        "una clave no puede ser una cadena \"\"\"...\"\"\"",
    ),
    ("keys cannot be multi-line literal strings", "una clave no puede ser una cadena '''...'''"),
    ("recursion limit", "límite de anidamiento"),
    (
        "cannot recurse further; max recursion depth met",
        "demasiado anidado: se ha alcanzado el límite",
    ),
];

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Lists every variant by name in one match without a catch-all arm: a new code does not
    /// compile until it is named here, and [`samples`] must then have it.
    macro_rules! every_code {
        ($($v:ident),* $(,)?) => {
            #[allow(dead_code)]
            fn named(m: &Msg) {
                match m {
                    $(Msg::$v { .. })|* => {}
                }
            }
            const VARIANTS: &[&str] = &[$(stringify!($v)),*];
        };
    }

    every_code!(
        OneFileOfPack,
        ArchiveTooLarge,
        PackTooLarge,
        FileTooLarge,
        MediaTooLarge,
        TooManyFilesAndFolders,
        TooManyFiles,
        NameNotUtf8,
        UnsafeName,
        SymbolicLink,
        NotPlainFile,
        UnexpectedFolder,
        UnexpectedFile,
        TomlFileName,
        HiddenFile,
        SystemFile,
        ManifestInFolder,
        NotAZip,
        ArchiveTooManyEntries,
        EntryUnreadable,
        EntryEncrypted,
        EntryNumberUnreadable,
        NameRepeated,
        NamesReadAlike,
        FileAndFolder,
        NamesDifferOnlyInCase,
        NamesDifferOnlyInForm,
        ManifestMissing,
        ZippedFolder,
        ZippedFiles,
        ManifestInvalid,
        NotInManifest,
        ChecksumMismatch,
        ManifestListsAbsent,
        ManifestIdMismatch,
        ManifestVersionMismatch,
        ManifestSchemaMismatch,
        InvalidUtf8,
        Utf16,
        TomlSyntax,
        TooDeep,
        UnknownField,
        UnknownFieldTypo,
        UnknownFieldEnglish,
        FieldNotForNumericBlank,
        FieldOnlyForNumericBlanks,
        FieldOnlyForClozeFeedback,
        FieldOfOtherKind,
        MissingField,
        FeedbackWithoutBlank,
        Expected,
        NotFinite,
        NumberTooLarge,
        IntegerTooLarge,
        MustNotBeEmpty,
        ListedTwice,
        InvalidId,
        MissingPackToml,
        MissingSkillsToml,
        MissingLessons,
        SchemaUnsupported,
        NotSemver,
        VersionBuildMetadata,
        NoLanguages,
        NotLanguageTag,
        TextLanguageNotDeclared,
        AnswerLanguageNotDeclared,
        NoSkills,
        LessonWithoutSkills,
        LessonWithoutItems,
        DuplicateId,
        DuplicateSkillMeant,
        UnknownSkill,
        UnknownSkillTypo,
        SkillNotTaughtAdd,
        SkillNotTaught,
        SkillDeclaredAs,
        SkillNotPractised,
        PrerequisiteCycle,
        UnknownKind,
        ItemWithoutSkills,
        DifficultyOutOfRange,
        DifficultyWord,
        TooManyHints,
        ModelSkillsPerItem,
        NoHints,
        NoSolution,
        ChoiceCount,
        NoCorrectPosition,
        PositionOutOfRange,
        PositionTwice,
        ChoiceTwice,
        NoLessonTable,
        TableInWrongFile,
        FixedOrderList,
        LessonBeforePrerequisite,
        LessonNumberWidths,
        ValueInQuotes,
        PositionZero,
        PositionLetter,
        PositionAsChoiceText,
        IntegerNotInList,
        StringNotInList,
        WriteAnswersList,
        WriteCorrect,
        ItemTableHeader,
        NumberAsText,
        PackInFolderBelow,
        FolderOfPack,
        BlankOutsideCloze,
        AnswerLanguageNotTyped,
        WriteDoubleBrackets,
        WriteSingleBrackets,
        ItemFieldAfterFeedback,
        LessonFieldInItem,
        FieldBeforeTable,
        LessonLineMissing,
        NegativeTolerance,
        NoAnswers,
        BadAccents,
        ClozeWithoutBlanks,
        BlankWithoutEntry,
        BlankTwice,
        BlankNotInPrompt,
        BlankMiswritten,
        OrderTooShort,
        FeedbackOnOrder,
        FeedbackNoSuchBlank,
        FeedbackRightAnswer,
        FeedbackNotNumber,
        FeedbackChoiceText,
        FeedbackNotPositions,
        FeedbackTooManyPicks,
        EatenEscape,
        NotReadAsImage,
        RawHtml,
        LinkNotFollowed,
        SpanNotClosed,
        MarkupInPlainText,
        MathsDelimiters,
        ImageOutsideMedia,
        ImageUnsafePath,
        ImageMissing,
        ImageWithoutAlt,
        ImageBackslash,
        ImageMissingCase,
        ImageMissingForm,
        ImageType,
    );

    fn s(x: &str) -> String {
        x.to_owned()
    }

    fn link(skill: &str, prerequisite: &str, at: &str) -> CycleLink {
        CycleLink { skill: s(skill), prerequisite: s(prerequisite), at: s(at) }
    }

    /// One message of every code, and of every argument that has words of its own (types,
    /// hints, id and path problems, escapes).
    pub(crate) fn samples() -> Vec<Msg> {
        use Msg::*;
        let mut out = vec![
            OneFileOfPack { folder: s("packs/fractions") },
            ArchiveTooLarge { limit_mib: 256 },
            PackTooLarge { limit_mib: 256 },
            FileTooLarge { limit_mib: 1 },
            MediaTooLarge { limit_mib: 8 },
            TooManyFilesAndFolders { limit: 10_000 },
            TooManyFiles { limit: 10_000 },
            NameNotUtf8,
            SymbolicLink,
            NotPlainFile,
            UnexpectedFolder,
            TomlFileName { rename: s("lessons/01-a.toml"), txt: true },
            TomlFileName { rename: s("lessons/01-a.toml"), txt: false },
            UnexpectedFile,
            HiddenFile,
            SystemFile,
            ManifestInFolder,
            NotAZip { detail: s("invalid Zip archive: Could not find EOCD") },
            ArchiveTooManyEntries { entries: 10_001, limit: 10_000 },
            EntryUnreadable { detail: s("unsupported Zip archive") },
            EntryEncrypted,
            EntryNumberUnreadable { entry: 3, detail: s("unsupported Zip archive") },
            NameRepeated,
            NamesReadAlike {
                names: vec![s("media/x.svg"), s("media/\\xff.svg"), s("media/a.svg")],
            },
            FileAndFolder,
            NamesDifferOnlyInCase { other: s("media/Pie.svg") },
            NamesDifferOnlyInForm { other: s("media/cafe\u{301}.svg") },
            ManifestMissing,
            ZippedFolder { folder: s("fractions") },
            ZippedFiles,
            ManifestInvalid { detail: s("EOF while parsing a value at line 1 column 0") },
            NotInManifest,
            ChecksumMismatch { listed: s("ab12"), actual: s("cd34") },
            ManifestListsAbsent { path: s("media/a.svg") },
            ManifestIdMismatch { manifest: s("a"), pack: s("b") },
            ManifestVersionMismatch { manifest: s("1.0.0"), pack: s("1.1.0") },
            ManifestSchemaMismatch { manifest: 2, pack: 1 },
            Utf16,
            InvalidUtf8 { byte: 0xff },
            TomlSyntax { detail: s("invalid basic string, expected `\"`"), hint: None },
            TomlSyntax { detail: s("something new"), hint: None },
            TomlSyntax { detail: s("invalid escape"), hint: Some(SyntaxHint::Backslash) },
            TomlSyntax { detail: s("x"), hint: Some(SyntaxHint::TypographicQuotes) },
            TomlSyntax { detail: s("x"), hint: Some(SyntaxHint::QuoteInText) },
            TomlSyntax {
                detail: s("duplicate key"),
                hint: Some(SyntaxHint::TableTwice { line: s("[item]") }),
            },
            TomlSyntax {
                detail: s("duplicate key"),
                hint: Some(SyntaxHint::KeyTwice { key: s("id") }),
            },
            TomlSyntax {
                detail: s("duplicate key"),
                hint: Some(SyntaxHint::HeaderMissing { key: s("id"), skill: false }),
            },
            TomlSyntax {
                detail: s("duplicate key"),
                hint: Some(SyntaxHint::HeaderMissing { key: s("id"), skill: true }),
            },
            TomlSyntax {
                detail: s("invalid multi-line literal string"),
                hint: Some(SyntaxHint::UnclosedText { quotes: s("'''"), line: 19 }),
            },
            TomlSyntax {
                detail: s("invalid unquoted key"),
                hint: Some(SyntaxHint::EnglishField { field: s("title") }),
            },
            TomlSyntax { detail: s("invalid unquoted key"), hint: Some(SyntaxHint::KeyCharacters) },
            TomlSyntax { detail: s("duplicate key"), hint: Some(SyntaxHint::SecondLesson) },
            TomlSyntax {
                detail: s("duplicate key"),
                hint: Some(SyntaxHint::PartAboveItem { header: s("[[item.feedback]]") }),
            },
            TomlSyntax { detail: s("x"), hint: Some(SyntaxHint::Boolean { meant: false }) },
            TooDeep { limit: 16 },
            UnknownField { key: s("x"), expected: vec![s("id"), s("kind")] },
            UnknownFieldTypo { key: s("hint"), suggestion: s("hints") },
            UnknownFieldEnglish { key: s("pistas"), field: s("hints") },
            FieldNotForNumericBlank { key: s("answers") },
            FieldOnlyForNumericBlanks { key: s("answer") },
            FieldOnlyForClozeFeedback { key: s("blank") },
            FieldOfOtherKind { key: s("choices"), kind: s("numeric"), owner: s("choice") },
            MissingField,
            FeedbackWithoutBlank,
            NotFinite,
            NumberTooLarge,
            IntegerTooLarge,
            MustNotBeEmpty,
            ListedTwice { value: s("halves") },
            MissingPackToml,
            MissingSkillsToml,
            MissingLessons,
            SchemaUnsupported { schema: 2, supported: 1 },
            NotSemver { value: s("1.0"), detail: s("unexpected end of input"), suggestion: None },
            NotSemver {
                value: s("1.0"),
                detail: s("unexpected end of input"),
                suggestion: Some(s("1.0.0")),
            },
            VersionBuildMetadata { value: s("1.0.0+build.5"), build: s("build.5") },
            NoLanguages,
            NotLanguageTag { value: s("en_US"), suggestion: None },
            NotLanguageTag { value: s("English"), suggestion: Some(s("en")) },
            NotLanguageTag { value: s(""), suggestion: None },
            TextLanguageNotDeclared { value: s("fr"), languages: vec![s("es"), s("en")] },
            AnswerLanguageNotDeclared { value: s("fr"), languages: vec![s("es"), s("en")] },
            NoSkills,
            LessonWithoutSkills,
            LessonWithoutItems,
            DuplicateId { entity: Entity::Skill, id: s("a"), first: s("skills.toml:1:6") },
            DuplicateId { entity: Entity::Lesson, id: s("a"), first: s("lessons/01.toml:2:6") },
            DuplicateId { entity: Entity::Item, id: s("a"), first: s("lessons/01.toml:9:6") },
            UnknownSkill { skill: s("thirds") },
            UnknownSkillTypo { skill: s("quarter"), suggestion: s("quarters") },
            SkillNotTaughtAdd { skill: s("thirds"), more: 0 },
            SkillNotTaughtAdd { skill: s("thirds"), more: 1 },
            SkillNotTaughtAdd { skill: s("thirds"), more: 4 },
            SkillNotPractised { skill: s("thirds"), lesson_file: s("lessons/03-thirds.toml") },
            SkillDeclaredAs { declared: s("quarter"), used: s("quarters"), places: 3 },
            DuplicateSkillMeant {
                id: s("parts"),
                first: s("skills.toml:2:6"),
                used: s("add-parts"),
                places: 6,
            },
            SkillNotTaught { skill: s("thirds") },
            PrerequisiteCycle {
                head: vec![s("a"), s("b"), s("a")],
                omitted: 0,
                tail: vec![],
                links: vec![link("a", "b", "skills.toml:4:18"), link("b", "a", "skills.toml:9:18")],
            },
            PrerequisiteCycle {
                head: vec![s("a")],
                omitted: 7,
                tail: vec![s("z"), s("a")],
                links: vec![link("z", "a", "skills.toml:40:18")],
            },
            PrerequisiteCycle {
                head: vec![s("a"), s("a")],
                omitted: 0,
                tail: vec![],
                links: vec![link("a", "a", "skills.toml:4:18")],
            },
            UnknownKind { kind: s("essay"), suggestion: None },
            UnknownKind { kind: s("opción"), suggestion: Some(s("choice")) },
            ItemWithoutSkills,
            DifficultyWord { word: s("easy"), number: s("-1.5") },
            DifficultyOutOfRange { difficulty: s("4.5") },
            TooManyHints { max: 20, found: 21 },
            ModelSkillsPerItem { max: 4, found: 5 },
            NoHints,
            NoSolution,
            ChoiceCount { found: 1 },
            NoCorrectPosition,
            PositionOutOfRange { position: 5, choices: 4 },
            PositionOutOfRange { position: 2, choices: 1 },
            PositionTwice { position: 2 },
            ChoiceTwice { position: 3, first: 1 },
            FixedOrderList {
                elsewhere: vec![ItemPlace { item: s("a-1"), file: s("lessons/01-a.toml") }],
                unknown: vec![s("b-9")],
            },
            TableInWrongFile { table: Misfiled::Skill },
            TableInWrongFile { table: Misfiled::Item },
            TableInWrongFile { table: Misfiled::Lesson },
            NoLessonTable,
            LessonBeforePrerequisite {
                skill: s("quarters"),
                prerequisite: s("half"),
                lesson_file: s("lessons/03-half.toml"),
            },
            LessonNumberWidths { first: s("lessons/10-b.toml"), second: s("lessons/2-a.toml") },
            ValueInQuotes { expected: Expect::Boolean, value: s("true") },
            PositionLetter { letter: s("B"), position: 2 },
            PositionAsChoiceText { text: s("12 °C"), position: Some(3), choices: 3 },
            PositionAsChoiceText { text: s("sleet"), position: None, choices: 2 },
            IntegerNotInList { value: 2 },
            StringNotInList { value: s("half") },
            WriteAnswersList { blank: false, value: s("[\"half\"]") },
            WriteAnswersList { blank: true, value: s("[\"half\"]") },
            WriteCorrect { value: Some(s("[3]")) },
            WriteCorrect { value: None },
            PositionZero,
            ItemTableHeader { written: s("[[feedback]]"), key: s("feedback") },
            NumberAsText { hint: NumberHint::Fraction { written: s("3/4"), number: s("0.75") } },
            NumberAsText { hint: NumberHint::DecimalComma { written: s("2,5"), number: s("2.5") } },
            NumberAsText { hint: NumberHint::Unit { number: s("2.5") } },
            NumberAsText { hint: NumberHint::LeadingPoint { number: s("0.5") } },
            NumberAsText { hint: NumberHint::TypographicMinus { number: s("-3") } },
            NumberAsText { hint: NumberHint::Spaces { number: s("1000") } },
            NumberAsText { hint: NumberHint::Percent },
            PackInFolderBelow { folder: s("fractions") },
            FolderOfPack { part: s("lessons"), folder: s("fractions") },
            BlankOutsideCloze { blank: 1 },
            AnswerLanguageNotTyped { kind: s("choice") },
            AnswerLanguageNotTyped { kind: s("numeric") },
            AnswerLanguageNotTyped { kind: s("order") },
            WriteDoubleBrackets { header: s("item.feedback") },
            WriteSingleBrackets { header: s("lesson") },
            ItemFieldAfterFeedback { key: s("hints") },
            LessonFieldInItem { key: s("fixed_order") },
            FieldBeforeTable { key: s("id"), table: s("[lesson]") },
            LessonLineMissing { keys: vec![s("id"), s("title")] },
            NegativeTolerance,
            NoAnswers,
            BadAccents { value: s("sloppy"), suggestion: None },
            BadAccents { value: s("estricto"), suggestion: Some(s("strict")) },
            ClozeWithoutBlanks,
            BlankWithoutEntry { blank: 3, blanks: 2 },
            BlankTwice { blank: 1 },
            BlankMiswritten { blank: 1, written: s("{{ 1 }}") },
            BlankNotInPrompt { blank: 2 },
            OrderTooShort { found: 1 },
            FeedbackOnOrder,
            FeedbackNoSuchBlank { blank: 3, blanks: 2 },
            FeedbackNoSuchBlank { blank: 2, blanks: 1 },
            FeedbackRightAnswer { answer: s("3/8"), only_because: None },
            FeedbackRightAnswer { answer: s("Bogota"), only_because: Some(Loosened::Accents) },
            FeedbackRightAnswer { answer: s("PARIS"), only_because: Some(Loosened::Case) },
            FeedbackChoiceText { answer: s("$\\frac{2}{1}$"), position: 2 },
            FeedbackNotNumber { answer: s("abc") },
            FeedbackNotPositions { answer: s("b") },
            FeedbackTooManyPicks { answer: s("1,2"), picks: 2 },
            NotReadAsImage { shown: s("![pie](media/my pie.svg)") },
            MathsDelimiters { open: s("\\("), close: s("\\)") },
            RawHtml { tags: vec![s("img"), s("b")] },
            LinkNotFollowed { target: s("https://example.org/fractions") },
            SpanNotClosed { lang: s("es") },
            MarkupInPlainText { tag: s("<span lang='es'>") },
            ImageOutsideMedia { src: s("http://x/a.png"), suggestion: None },
            ImageOutsideMedia { src: s("../media/a.png"), suggestion: Some(s("media/a.png")) },
            ImageUnsafePath { src: s("media/../a.png") },
            ImageWithoutAlt { src: s("media/a.svg") },
            ImageMissing { src: s("media/a.png") },
            ImageBackslash { src: s("media\\a.png"), fixed: s("media/a.png") },
            ImageMissingCase { src: s("media/A.png"), file: s("media/a.png") },
            ImageMissingForm { src: s("media/caf\u{e9}.png"), file: s("media/cafe\u{301}.png") },
            ImageType { src: s("media/a.bmp"), types: vec![s("svg"), s("png")] },
        ];
        for problem in [
            PathProblem::Empty,
            PathProblem::TooLong,
            PathProblem::Absolute,
            PathProblem::DriveLetter,
            PathProblem::Backslash,
            PathProblem::Colon,
            PathProblem::ControlCharacters,
            PathProblem::ParentFolder,
            PathProblem::EmptyComponent,
        ] {
            out.push(UnsafeName { problem });
        }
        for problem in
            [IdProblem::Empty, IdProblem::TooLong, IdProblem::Characters, IdProblem::LeadingHyphen]
        {
            out.push(InvalidId { id: s("Bad id"), problem, suggestion: None });
            out.push(InvalidId { id: s("Bad id"), problem, suggestion: Some(s("bad-id")) });
        }
        for expected in [
            Expect::Boolean,
            Expect::String,
            Expect::Number,
            Expect::Integer,
            Expect::Table,
            Expect::ArrayOfTables,
            Expect::ArrayOfStrings,
            Expect::ArrayOfIntegers,
        ] {
            for found in [
                TomlType::String,
                TomlType::Integer,
                TomlType::Float,
                TomlType::Boolean,
                TomlType::Date,
                TomlType::Array,
                TomlType::Table,
            ] {
                out.push(Expected { expected, found });
            }
        }
        for found in [
            Eaten::FormFeed,
            Eaten::Backspace,
            Eaten::Escape,
            Eaten::Tab,
            Eaten::CarriageReturn,
            Eaten::LineBreakInMaths,
        ] {
            out.push(EatenEscape { found });
        }
        out
    }

    /// The variant's name, from its debug form (`UnknownField { .. }` -> `UnknownField`).
    fn variant(m: &Msg) -> String {
        format!("{m:?}").chars().take_while(|c| c.is_alphanumeric()).collect()
    }

    fn snake(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn every_code_has_a_sample_and_a_spanish_text_of_its_own() {
        let samples = samples();
        let covered: std::collections::BTreeSet<String> = samples.iter().map(variant).collect();
        let all: std::collections::BTreeSet<String> =
            VARIANTS.iter().map(|v| (*v).to_owned()).collect();
        assert_eq!(covered, all, "samples() must have one message of every code");
        for m in &samples {
            named(m);
            let en = m.render(Lang::En);
            let es = m.render(Lang::Es);
            assert!(!es.trim().is_empty(), "{m:?}");
            assert_ne!(en, es, "{} has no Spanish text of its own", m.code());
            // The Spanish text says something of its own, not the English with a prefix.
            assert!(!es.contains(&en), "{}: {es}", m.code());
        }
    }

    #[test]
    fn codes_are_the_variant_names_in_snake_case_and_the_json_tag() {
        let mut seen = std::collections::BTreeSet::new();
        for m in samples() {
            assert_eq!(m.code(), snake(&variant(&m)));
            let json = serde_json::to_value(&m).expect("json");
            assert_eq!(json["code"], m.code());
            seen.insert(m.code());
        }
        assert_eq!(seen.len(), VARIANTS.len(), "codes are distinct");
    }

    #[test]
    fn spanish_keeps_the_packs_words_and_translates_the_rest() {
        let m = Msg::UnknownFieldTypo { key: s("hint"), suggestion: s("hints") };
        assert_eq!(m.render(Lang::En), "unknown field `hint` (did you mean `hints`?)");
        assert_eq!(m.render(Lang::Es), "campo desconocido `hint` (¿querías decir `hints`?)");
        let m = Msg::PositionOutOfRange { position: 5, choices: 1 };
        assert_eq!(
            m.render(Lang::Es),
            "la posición 5 está fuera de rango (el ejercicio tiene 1 opción)"
        );
        let m = Msg::PrerequisiteCycle {
            head: vec![s("a")],
            omitted: 2,
            tail: vec![s("c"), s("a")],
            links: vec![link("c", "a", "skills.toml:9:18")],
        };
        assert_eq!(
            m.render(Lang::En),
            "prerequisite cycle: a -> ... (2 more) -> c -> a (each skill needs the next): no \
             order of lessons can teach them; remove one of its prerequisites, such as `a` from \
             skill `c` (skills.toml:9:18)"
        );
        assert_eq!(
            m.render(Lang::Es),
            "ciclo de prerrequisitos: a -> ... (2 más) -> c -> a (cada habilidad necesita la \
             siguiente): ningún orden de lecciones puede enseñarlas; quita uno de sus \
             prerrequisitos, por ejemplo `a` de la habilidad `c` (skills.toml:9:18)"
        );
    }

    #[test]
    fn toml_parser_phrases_are_translated_and_unknown_ones_kept() {
        assert_eq!(
            toml_detail_es("invalid basic string, expected `\"`"),
            "cadena \"...\" no válida; se esperaba `\"`"
        );
        assert_eq!(toml_detail_es("duplicate key"), "clave repetida");
        assert_eq!(
            toml_detail_es("unexpected key or value, expected newline, `#`"),
            "clave o valor inesperado; se esperaba un salto de línea, `#`"
        );
        assert_eq!(toml_detail_es("a brand new message"), "a brand new message");
    }

    #[test]
    fn id_problems_name_ladder_cores_reasons() {
        for id in ["", &"a".repeat(65), "Bad", "a b", "-a", "a_b"] {
            let core = ladder_core::ids::id_problem(id).expect("invalid");
            let ours = IdProblem::of(id).expect("invalid");
            assert_eq!(ours.text(Lang::En), core, "{id:?}");
        }
        assert_eq!(IdProblem::of("halves-2"), None);
    }

    #[test]
    fn suggested_ids() {
        assert_eq!(suggested_id("My Course").as_deref(), Some("my-course"));
        assert_eq!(suggested_id("--a__b--").as_deref(), Some("a-b"));
        assert_eq!(suggested_id("Año 1º").as_deref(), Some("ano-1"));
        assert_eq!(suggested_id("Über Größen").as_deref(), Some("ueber-groessen"));
        assert_eq!(suggested_id(&"x".repeat(70)).as_deref(), Some("x".repeat(64).as_str()));
        // Cut at 64 characters, a trailing '-' goes too.
        let cut = format!("{} b", "x".repeat(63));
        assert_eq!(suggested_id(&cut).as_deref(), Some("x".repeat(63).as_str()));
        assert_eq!(suggested_id(""), None);
        assert_eq!(suggested_id("¿?"), None);
        assert_eq!(suggested_id("my-course"), None, "already an id");
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("es"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::Es.tag(), "es");
    }
}
