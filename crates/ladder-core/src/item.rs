//! Items (single questions) and their five kinds, as a pack defines them.
//!
//! The serialised form (JSON in the store and on the way to the UI) keeps the field names of the
//! pack format (`docs/pack-format.md`), with the kind-specific fields next to the common ones and
//! told apart by `kind`.

use serde::{Deserialize, Serialize};

use crate::ids::{ItemId, LessonId, SkillId};

/// One question of a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    /// The lesson whose file defines this item.
    pub lesson: LessonId,
    /// The skills this item practises (at least one).
    pub skills: Vec<SkillId>,
    /// Markdown; for cloze items it holds the `{{N}}` blanks.
    pub prompt: String,
    /// Prior difficulty on a logit scale (-3 very easy .. 3 very hard), used before anyone has
    /// answered the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f64>,
    /// Markdown hints, from gentle to explicit.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Markdown worked solution: the last rung of the hint ladder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
    /// Messages for specific answers (usually wrong ones).
    #[serde(default)]
    pub feedback: Vec<Feedback>,
    /// The language the learner types this item's answers in, where it is not the pack's
    /// (`answer_language` in pack.toml, else the language of the pack's text): a Spanish course
    /// may ask "What does *perro* mean?" to be answered in English. Only text and cloze items
    /// keep one (nothing else is typed in words). Left out of the JSON when `None`, so an item
    /// without it is stored exactly as before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_language: Option<String>,
    /// What kind of question it is, with the fields of that kind.
    #[serde(flatten)]
    pub kind: ItemKind,
}

impl Item {
    /// The hint ladder: the hints in order, then the worked solution if there is one.
    pub fn hint_ladder(&self) -> Vec<&str> {
        self.hints.iter().map(String::as_str).chain(self.solution.as_deref()).collect()
    }

    /// The kind's name as written in a pack (`"choice"`, `"numeric"`, ...).
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }
}

/// The five kinds of item and their kind-specific fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// Pick one option, or all the correct ones ("select all").
    Choice {
        /// Markdown options, 2 to 10, in the order the pack wrote them.
        choices: Vec<String>,
        /// 1-based positions (in `choices`) of the correct options.
        correct: Vec<usize>,
        /// Whether the UI shows the options in a random order.
        shuffle: bool,
    },
    /// Type a number.
    Numeric(NumericAnswer),
    /// Type a word or phrase.
    Text(TextAnswer),
    /// Fill the numbered blanks `{{1}}`, `{{2}}`, ... of the prompt.
    Cloze {
        /// One entry per blank, in order.
        blanks: Vec<Blank>,
    },
    /// Put entries in the right order.
    Order {
        /// Markdown entries in the correct order.
        order: Vec<String>,
    },
}

impl ItemKind {
    /// The kind's name as written in a pack.
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Choice { .. } => "choice",
            ItemKind::Numeric(_) => "numeric",
            ItemKind::Text(_) => "text",
            ItemKind::Cloze { .. } => "cloze",
            ItemKind::Order { .. } => "order",
        }
    }
}

/// The expected answer of a numeric item or a numeric cloze blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericAnswer {
    pub answer: f64,
    /// Absolute tolerance; 0 means exact.
    #[serde(default)]
    pub tolerance: f64,
    /// Whether `3/4` and `1 1/2` are accepted as well as decimals.
    #[serde(default)]
    pub fractions: bool,
    /// Unit shown after the input box; typing it too is not wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The accepted answers of a text item or a text cloze blank, and how answers are compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub answers: Vec<String>,
    #[serde(default)]
    pub case_sensitive: bool,
    #[serde(default)]
    pub accents: Accents,
}

/// Whether accents matter when comparing text answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accents {
    /// `Bogota` matches `Bogotá` (the default).
    #[default]
    Ignore,
    /// Accents must match.
    Strict,
}

/// One blank of a cloze item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blank {
    Numeric(NumericAnswer),
    Text(TextAnswer),
}

/// A message (Markdown) shown when the learner's answer matches `answer` after the item's own
/// normalisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// For choice items a position (`"2"`) or positions (`"1,3"`); otherwise an answer text.
    pub answer: String,
    pub message: String,
    /// For cloze items: the 1-based blank this entry is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank: Option<usize>,
}
