//! Interaction data: the CSV form of DESIGN.md section 3, learner sequences with string ids,
//! the vocabulary that maps ids to embedding rows, and the encoded form the models consume.
//!
//! `interactions.csv` has the header `student_id,t,item_id,skill_ids,correct` (any column order,
//! `skill_ids` joined by `;`, `correct` 0/1). The optional columns `hints` (hint level used),
//! `latency_ms` (time to answer) and `timestamp` (seconds, any origin) are used when present.
//! `folds.csv` has `student_id,fold`. Both may start with a UTF-8 byte-order mark, end lines with LF, CRLF or a
//! lone CR, and hold rows of empty cells (skipped), as spreadsheets save them. Every bad row is
//! reported as `file:line: what`, naming the column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One answer of one learner, with the ids as strings (as in a pack or a CSV).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub item_id: String,
    pub skill_ids: Vec<String>,
    pub correct: bool,
    /// Hint level used before answering (0 = none).
    #[serde(default)]
    pub hints: Option<u32>,
    /// Time taken to answer, in milliseconds.
    #[serde(default)]
    pub latency_ms: Option<f64>,
    /// When the answer was given, in seconds (any epoch).
    #[serde(default)]
    pub timestamp: Option<f64>,
}

impl Interaction {
    /// An answer with no hint, latency or time information.
    pub fn new(item_id: impl Into<String>, skill_ids: &[&str], correct: bool) -> Self {
        Interaction {
            item_id: item_id.into(),
            skill_ids: skill_ids.iter().map(|s| s.to_string()).collect(),
            correct,
            hints: None,
            latency_ms: None,
            timestamp: None,
        }
    }
}

/// All answers of one learner, in order. This is what training takes (a list of them), whether
/// they come from a CSV, a pack's shipped history or the learner store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerSequence {
    pub learner_id: String,
    pub events: Vec<Interaction>,
}

/// The contents of a data directory: sequences in file order of first appearance, and folds.
#[derive(Debug, Clone)]
pub struct CsvData {
    pub sequences: Vec<LearnerSequence>,
    /// Fold of each learner (empty when there is no folds.csv).
    pub folds: HashMap<String, u32>,
}

/// Reads `DIR/interactions.csv` and, when present, `DIR/folds.csv`.
pub fn load_dir(dir: &Path) -> Result<CsvData> {
    let sequences = load_interactions_dir(dir)?;
    let folds_path = dir.join("folds.csv");
    let folds = if folds_path.exists() { read_folds(&folds_path)? } else { HashMap::new() };
    Ok(CsvData { sequences, folds })
}

/// `DIR/interactions.csv` alone, for what needs no folds (`ladder train --from-csv`: a
/// `folds.csv` beside it is not read, so a broken one stops nothing).
pub fn load_interactions_dir(dir: &Path) -> Result<Vec<LearnerSequence>> {
    // Named as what it is: giving the CSV file itself said "interactions.csv/interactions.csv:
    // Not a directory".
    let not_a_folder = |what: &str| {
        Error::io(
            dir,
            std::io::Error::other(format!(
                "{what}: give the folder that holds interactions.csv (and folds.csv)"
            )),
        )
    };
    if dir.is_file() {
        return Err(not_a_folder("is a file, not a folder"));
    }
    if !dir.exists() {
        return Err(not_a_folder("no such folder"));
    }
    read_interactions(&dir.join("interactions.csv"))
}

/// Splits one CSV line into fields. Handles double-quoted fields with `""` escapes.
fn split_csv_line(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut quoted_field = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
        } else if c == ',' {
            out.push(std::mem::take(&mut field));
            quoted_field = false;
        } else if c == '"' && field.is_empty() && !quoted_field {
            in_quotes = true;
            quoted_field = true;
        } else {
            field.push(c);
        }
    }
    if in_quotes {
        return Err(format!(
            "field {} opens a quote that the line does not close (line breaks inside a field are not supported)",
            out.len() + 1
        ));
    }
    out.push(field);
    Ok(out)
}

struct CsvReader {
    path: PathBuf,
    text: String,
}

impl CsvReader {
    fn open(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let mut text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let valid = &e.as_bytes()[..at];
            Error::Csv {
                path: path.to_path_buf(),
                line: 1 + valid.iter().filter(|&&b| b == b'\n').count(),
                message: format!(
                    "not UTF-8 (byte {} of the file; save it as UTF-8, e.g. Excel's \"CSV UTF-8\")",
                    at + 1
                ),
            }
        })?;
        // Spreadsheets (Excel's "CSV UTF-8") start the file with a byte-order mark; it is not
        // part of the first column's name.
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        // Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR; read as one line, the
        // whole file was a header missing `correct`. (CRLF is handled line by line.)
        let bytes = text.as_bytes();
        let lone_cr =
            (0..bytes.len()).any(|i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if lone_cr {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        Ok(CsvReader { path: path.to_path_buf(), text })
    }

    fn err(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Csv { path: self.path.clone(), line, message: message.into() }
    }

    /// Header column indices for `required`, and for `optional` where present.
    fn rows(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty())
    }
}

/// What is wrong with a row of `found` fields under a header of `expected`.
fn field_count(expected: usize, found: usize) -> String {
    let why = if found > expected {
        " (a field with a comma in it must be in double quotes)"
    } else {
        ""
    };
    format!("expected {expected} fields, as the header has, found {found}{why}")
}

/// A row whose cells are all empty: what a spreadsheet writes for rows it once formatted
/// (`,,,,`). It holds no answer, so it is skipped like an empty line.
fn blank_row(fields: &[String]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// The header's column names as a message shows them (a near miss such as `Student_ID` or
/// pyKT's `user_id` is then plain to see).
fn header_names(header: &[String]) -> String {
    const SHOWN: usize = 20;
    let names: Vec<&str> = header.iter().take(SHOWN).map(|h| h.trim()).collect();
    match header.len() {
        n if n > SHOWN => format!("{}, ... ({n} columns)", names.join(", ")),
        _ => names.join(", "),
    }
}

fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim() == name)
}

/// Refuses a header that names one of `names` twice (which of the two would be meant?), and
/// one that is a single column holding `;` or tabs: a spreadsheet that writes CSV with `;`
/// between columns (its regional setting) or a TSV file.
fn check_header(reader: &CsvReader, line: usize, header: &[String], names: &[&str]) -> Result<()> {
    if let [only] = header {
        for (sep, what) in [(';', "`;`"), ('\t', "tabs")] {
            if only.contains(sep) {
                return Err(reader.err(
                    line,
                    format!("the columns are separated by {what}, not commas: save the file as comma-separated CSV"),
                ));
            }
        }
    }
    for name in names {
        let at: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim() == *name)
            .map(|(i, _)| i + 1)
            .collect();
        if let [first, second, ..] = at[..] {
            return Err(reader.err(
                line,
                format!("column `{name}` appears twice (columns {first} and {second})"),
            ));
        }
    }
    Ok(())
}

/// Reads an interaction CSV into sequences (ordered by `t` within each learner; learners in order
/// of first appearance).
pub fn read_interactions(path: &Path) -> Result<Vec<LearnerSequence>> {
    let reader = CsvReader::open(path)?;
    let mut rows = reader.rows();
    let (hline, header) = match rows.next() {
        Some((n, l)) => (n, split_csv_line(l).map_err(|m| reader.err(n, m))?),
        None => return Err(reader.err(1, "empty file: expected a header")),
    };
    check_header(
        &reader,
        hline,
        &header,
        &["student_id", "t", "item_id", "skill_ids", "correct", "hints", "latency_ms", "timestamp"],
    )?;
    let req = |name: &str| {
        column(&header, name).ok_or_else(|| {
            reader.err(
                hline,
                format!(
                    "missing column `{name}` (header must have student_id,t,item_id,skill_ids,correct; the header has {})",
                    header_names(&header)
                ),
            )
        })
    };
    let (c_student, c_t, c_item, c_skills, c_correct) =
        (req("student_id")?, req("t")?, req("item_id")?, req("skill_ids")?, req("correct")?);
    let c_hints = column(&header, "hints");
    let c_latency = column(&header, "latency_ms");
    let c_time = column(&header, "timestamp");

    let mut index: HashMap<String, usize> = HashMap::new();
    // Per learner: (t, line, answer) in file order.
    type Rows = Vec<(i64, usize, Interaction)>;
    let mut raw: Vec<(String, Rows)> = Vec::new();
    for (line, text) in rows {
        let fields = split_csv_line(text).map_err(|m| reader.err(line, m))?;
        if blank_row(&fields) {
            continue;
        }
        if fields.len() != header.len() {
            return Err(reader.err(line, field_count(header.len(), fields.len())));
        }
        let get = |c: usize| fields[c].trim();
        let student = get(c_student);
        if student.is_empty() {
            return Err(reader.err(line, "empty student_id"));
        }
        let t: i64 = get(c_t).parse().map_err(|e: std::num::ParseIntError| {
            let v = get(c_t);
            let what = match e.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    format!(
                        "t: `{v}` is too large (at most {} either side of 0); t only orders a learner's answers, so 0, 1, 2, ... will do",
                        i64::MAX
                    )
                }
                _ => format!("t: not an integer: `{v}`"),
            };
            reader.err(line, what)
        })?;
        let item = get(c_item);
        if item.is_empty() {
            return Err(reader.err(line, "empty item_id"));
        }
        // Each skill once, in the order given: skills joined from a many-to-many table can
        // repeat, and a repeat would count the answer twice on that skill in every model.
        let mut skills: Vec<String> = Vec::new();
        for s in get(c_skills).split(';').map(str::trim).filter(|s| !s.is_empty()) {
            if !skills.iter().any(|k| k == s) {
                skills.push(s.to_string());
            }
        }
        // Spreadsheets write booleans as TRUE / FALSE.
        let correct = match get(c_correct).to_ascii_lowercase().as_str() {
            "1" | "1.0" | "true" => true,
            "0" | "0.0" | "false" => false,
            _ => {
                let other = get(c_correct);
                return Err(reader.err(
                    line,
                    format!("correct: expected 0 or 1 (or false or true), found `{other}`"),
                ));
            }
        };
        let opt_num = |c: Option<usize>, name: &str| -> Result<Option<f64>> {
            match c.map(get) {
                None | Some("") => Ok(None),
                Some(v) => match v.parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
                    _ => Err(reader
                        .err(line, format!("{name}: expected a non-negative number, found `{v}`"))),
                },
            }
        };
        // A hint level is whole (`2.0` is 2); a fraction is some other measure in the column.
        let hints = match opt_num(c_hints, "hints")? {
            Some(h) if h.fract() != 0.0 => {
                return Err(reader.err(
                    line,
                    format!(
                        "hints: expected a whole number (the hint level used), found `{}`",
                        get(c_hints.unwrap_or(0))
                    ),
                ))
            }
            h => h.map(|h| h.min(u32::MAX as f64) as u32),
        };
        let latency_ms = opt_num(c_latency, "latency_ms")?;
        // Only differences between a learner's timestamps count, so any origin will do, one
        // before 1970 included.
        let timestamp = match c_time.map(get) {
            None | Some("") => None,
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    return Err(reader.err(
                        line,
                        format!("timestamp: expected a number of seconds, found `{v}`"),
                    ))
                }
            },
        };
        let slot = match index.get(student) {
            Some(&i) => i,
            None => {
                index.insert(student.to_string(), raw.len());
                raw.push((student.to_string(), Vec::new()));
                raw.len() - 1
            }
        };
        raw[slot].1.push((
            t,
            line,
            Interaction {
                item_id: item.to_string(),
                skill_ids: skills,
                correct,
                hints,
                latency_ms,
                timestamp,
            },
        ));
    }
    if raw.is_empty() {
        return Err(reader.err(hline, "no interactions after the header"));
    }
    let mut out = Vec::with_capacity(raw.len());
    for (learner_id, mut events) in raw {
        events.sort_by_key(|e| e.0);
        for w in events.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(reader.err(
                    w[1].1.max(w[0].1),
                    format!(
                        "student {learner_id}: t = {} appears twice (also on line {})",
                        w[0].0,
                        w[1].1.min(w[0].1)
                    ),
                ));
            }
        }
        out.push(LearnerSequence { learner_id, events: events.into_iter().map(|e| e.2).collect() });
    }
    Ok(out)
}

/// Reads `folds.csv` (`student_id,fold`).
pub fn read_folds(path: &Path) -> Result<HashMap<String, u32>> {
    let reader = CsvReader::open(path)?;
    let mut rows = reader.rows();
    let (hline, header) = match rows.next() {
        Some((n, l)) => (n, split_csv_line(l).map_err(|m| reader.err(n, m))?),
        None => return Err(reader.err(1, "empty file: expected a header")),
    };
    check_header(&reader, hline, &header, &["student_id", "fold"])?;
    let missing = |name: &str| {
        reader.err(
            hline,
            format!(
                "missing column `{name}` (header must have student_id,fold; the header has {})",
                header_names(&header)
            ),
        )
    };
    let c_student = column(&header, "student_id").ok_or_else(|| missing("student_id"))?;
    let c_fold = column(&header, "fold").ok_or_else(|| missing("fold"))?;
    let mut folds = HashMap::new();
    let mut first_line: HashMap<String, (usize, u32)> = HashMap::new();
    for (line, text) in rows {
        let fields = split_csv_line(text).map_err(|m| reader.err(line, m))?;
        if blank_row(&fields) {
            continue;
        }
        if fields.len() != header.len() {
            return Err(reader.err(line, field_count(header.len(), fields.len())));
        }
        let student = fields[c_student].trim();
        if student.is_empty() {
            return Err(reader.err(line, "empty student_id"));
        }
        let fold: u32 = fields[c_fold].trim().parse().map_err(|_| {
            reader.err(
                line,
                format!(
                    "fold: expected a whole number of 0 or more, found `{}`",
                    fields[c_fold].trim()
                ),
            )
        })?;
        // A row per answer (the interaction table's two columns saved as they are) repeats a
        // learner with the same fold: harmless. Two different folds are a mistake.
        match first_line.get(student) {
            Some(&(at, f)) if f != fold => {
                return Err(reader.err(
                    line,
                    format!(
                        "student {student} is given fold {fold} here and fold {f} on line {at}"
                    ),
                ));
            }
            Some(_) => {}
            None => {
                first_line.insert(student.to_string(), (line, fold));
                folds.insert(student.to_string(), fold);
            }
        }
    }
    Ok(folds)
}

/// Maps string ids to dense indices. Index 0 is reserved for "unknown" (an id not seen when the
/// vocabulary was built): unseen items fall back to their skills and a difficulty prior.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocab {
    /// `ids[i - 1]` is the id of index `i`.
    ids: Vec<String>,
    #[serde(skip)]
    index: HashMap<String, u32>,
}

impl Vocab {
    /// Builds a vocabulary from ids in first-seen order.
    pub fn from_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut v = Vocab::default();
        for id in ids {
            if !v.index.contains_key(id) {
                v.ids.push(id.to_string());
                v.index.insert(id.to_string(), v.ids.len() as u32);
            }
        }
        v
    }

    /// Rebuilds the lookup table after deserialisation.
    pub(crate) fn rebuild_index(&mut self) -> Result<()> {
        self.index.clear();
        for (i, id) in self.ids.iter().enumerate() {
            if self.index.insert(id.clone(), i as u32 + 1).is_some() {
                return Err(Error::Data(format!("vocabulary lists `{id}` twice")));
            }
        }
        Ok(())
    }

    /// The index of `id`, or 0 when unknown.
    pub fn get(&self, id: &str) -> u32 {
        self.index.get(id).copied().unwrap_or(0)
    }

    /// Number of rows including the unknown row 0.
    pub fn rows(&self) -> usize {
        self.ids.len() + 1
    }

    /// The id of index `i` (None for 0 or out of range).
    pub fn id(&self, i: u32) -> Option<&str> {
        (i as usize).checked_sub(1).and_then(|j| self.ids.get(j)).map(String::as_str)
    }
}

/// Item and skill vocabularies, saved with a checkpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabs {
    pub items: Vocab,
    pub skills: Vocab,
    /// Expected log-odds of a correct answer to each item row (row 0, unknown items: the overall
    /// rate), fitted on training answers by [`Vocabs::fit_item_expect`]; what the ability
    /// features (`ModelConfig::ability_features`) measure a learner's answers against. `None`
    /// (the default, and every checkpoint without it): every answer is expected at log-odds 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_expect: Option<Vec<f32>>,
}

impl Vocabs {
    /// Collects every item and skill id of `sequences`.
    pub fn build(sequences: &[LearnerSequence]) -> Self {
        let items = Vocab::from_ids(
            sequences.iter().flat_map(|s| s.events.iter().map(|e| e.item_id.as_str())),
        );
        let skills =
            Vocab::from_ids(sequences.iter().flat_map(|s| {
                s.events.iter().flat_map(|e| e.skill_ids.iter().map(String::as_str))
            }));
        Vocabs { items, skills, item_expect: None }
    }

    pub(crate) fn rebuild_index(&mut self) -> Result<()> {
        if let Some(t) = &self.item_expect {
            if t.len() != self.items.rows() || t.iter().any(|x| !x.is_finite()) {
                return Err(Error::Data(format!(
                    "item_expect has {} entries for {} item rows, or a non-finite one",
                    t.len(),
                    self.items.rows()
                )));
            }
        }
        self.items.rebuild_index()?;
        self.skills.rebuild_index()
    }

    /// Fits [`Vocabs::item_expect`] on `train`: for each item with `k` successes in `n` answers,
    /// whose skills have an answer-weighted success rate `p_s` (the overall rate without skills),
    /// `logit((k + strength * p_s) / (n + strength))`; rates are smoothed (+1 / +2) and clamped
    /// to 0.02..0.98. Items not in `train` and row 0 get the overall rate.
    pub fn fit_item_expect(&mut self, train: &[LearnerSequence], strength: f32) {
        let mut item = vec![(0f64, 0f64); self.items.rows()];
        let mut skill = vec![(0f64, 0f64); self.skills.rows()];
        let mut skills_of: Vec<Vec<usize>> = vec![Vec::new(); self.items.rows()];
        let mut all = (0f64, 0f64);
        for e in train.iter().flat_map(|s| &s.events) {
            let y = e.correct as u8 as f64;
            let i = self.items.get(&e.item_id) as usize;
            item[i].0 += y;
            item[i].1 += 1.0;
            let sk: Vec<usize> = e.skill_ids.iter().map(|s| self.skills.get(s) as usize).collect();
            for &s in sk.iter().take(MAX_SKILLS) {
                skill[s].0 += y;
                skill[s].1 += 1.0;
            }
            if skills_of[i].is_empty() {
                skills_of[i] = sk.into_iter().take(MAX_SKILLS).collect();
            }
            all.0 += y;
            all.1 += 1.0;
        }
        let rate = |(k, n): (f64, f64)| (k + 1.0) / (n + 2.0);
        let logit = |p: f64| {
            let p = p.clamp(0.02, 0.98);
            (p / (1.0 - p)).ln() as f32
        };
        let m = strength.max(0.0) as f64;
        let overall = rate(all);
        let table = (0..self.items.rows())
            .map(|i| {
                let (k, n) = item[i];
                if i == 0 || n == 0.0 {
                    return logit(overall);
                }
                let sk = &skills_of[i];
                let ps = if sk.is_empty() {
                    overall
                } else {
                    sk.iter().map(|&s| rate(skill[s])).sum::<f64>() / sk.len() as f64
                };
                logit((k + m * ps) / (n + m))
            })
            .collect();
        self.item_expect = Some(table);
    }
}

/// Most skills per item the models use; further skills are ignored (ASSISTments 2009 has at
/// most 4).
pub const MAX_SKILLS: usize = 4;
/// Number of PFA-style count features per position (see [`Counts::features`]); the shipped
/// config uses these only.
pub const N_FEATURES: usize = 6;
/// Number of recency features that follow them when `ModelConfig::rich_features` is on (see
/// [`Counts::features`]).
pub const N_RICH_FEATURES: usize = 11;
/// Number of ability features that follow the recency features when
/// `ModelConfig::ability_features` is on (see [`Counts::features`]).
pub const N_ABILITY_FEATURES: usize = 6;
/// Length of a feature row: the count features, the recency features, the ability features.
pub const MAX_FEATURES: usize = N_FEATURES + N_RICH_FEATURES + N_ABILITY_FEATURES;
/// Hint-level classes: none, 1, 2, 3 or more; plus "unknown" = 0.
pub const HINT_BUCKETS: usize = 5;
/// Latency classes (log scale) plus "unknown" = 0.
pub const LATENCY_BUCKETS: usize = 12;
/// Time-gap classes (log scale) plus "unknown" = 0.
pub const GAP_BUCKETS: usize = 12;

/// One answer with ids replaced by vocabulary indices and side information bucketed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub item: u32,
    /// Skill indices; `n_skills` of them are valid.
    pub skills: [u32; MAX_SKILLS],
    pub n_skills: u8,
    pub correct: bool,
    pub hint: u8,
    pub latency: u8,
    pub gap: u8,
    /// Expected log-odds of a correct answer to the item (`Vocabs::item_expect`; 0 without it).
    pub expect: f32,
}

impl Event {
    pub fn skills(&self) -> &[u32] {
        &self.skills[..self.n_skills as usize]
    }
}

/// A learner's encoded answers plus, for each position, the count features computed from the
/// answers strictly before it.
#[derive(Debug, Clone)]
pub struct EncodedSeq {
    pub learner_id: String,
    pub events: Vec<Event>,
    /// All features of every position; a model uses the first `ModelConfig::n_features()`.
    pub features: Vec<[f32; MAX_FEATURES]>,
}

fn log_bucket(x: Option<f64>, base: f64, unit: f64, n: usize) -> u8 {
    match x {
        None => 0,
        Some(v) => {
            let b = if v <= unit { 1.0 } else { 2.0 + ((v / unit).ln() / base.ln()).floor() };
            (b.clamp(1.0, (n - 1) as f64)) as u8
        }
    }
}

/// Bucket of a hint level (0 = unknown).
pub fn hint_bucket(h: Option<u32>) -> u8 {
    match h {
        None => 0,
        Some(h) => 1 + h.min(3) as u8,
    }
}

/// Bucket of an answer latency (0 = unknown; 1 = under 1 s; then doubling).
pub fn latency_bucket(ms: Option<f64>) -> u8 {
    log_bucket(ms, 2.0, 1000.0, LATENCY_BUCKETS)
}

/// Bucket of the gap since the previous answer (0 = unknown/first; 1 = under 10 s; then x4).
pub fn gap_bucket(seconds: Option<f64>) -> u8 {
    log_bucket(seconds, 4.0, 10.0, GAP_BUCKETS)
}

/// Encodes one interaction; `prev_time` is the previous answer's timestamp.
pub fn encode_event(v: &Vocabs, e: &Interaction, prev_time: Option<f64>) -> Event {
    let mut skills = [0u32; MAX_SKILLS];
    let mut n = 0usize;
    for s in &e.skill_ids {
        if n == MAX_SKILLS {
            break;
        }
        skills[n] = v.skills.get(s);
        n += 1;
    }
    let gap = match (e.timestamp, prev_time) {
        (Some(t), Some(p)) => Some((t - p).max(0.0)),
        _ => None,
    };
    Event {
        item: v.items.get(&e.item_id),
        skills,
        n_skills: n as u8,
        correct: e.correct,
        hint: hint_bucket(e.hints),
        latency: latency_bucket(e.latency_ms),
        gap: gap_bucket(gap),
        expect: match &v.item_expect {
            Some(t) => t.get(v.items.get(&e.item_id) as usize).copied().unwrap_or(0.0),
            None => 0.0,
        },
    }
}

/// What is remembered of the recent answers on one skill.
#[derive(Debug, Clone, Copy, Default)]
struct Recent {
    /// Position (answer index) of the latest answer on it.
    last_at: u32,
    /// Outcomes of the latest answers, newest in bit 0 (1 = correct).
    bits: u16,
    /// How many of the bits are valid (at most 16).
    len: u8,
    /// Length of the current run of equal outcomes.
    streak: u32,
}

impl Recent {
    fn add(&mut self, at: u32, correct: bool) {
        let same = self.len > 0 && (self.bits & 1 == 1) == correct;
        self.streak = if same { self.streak + 1 } else { 1 };
        self.bits = (self.bits << 1) | correct as u16;
        self.len = (self.len + 1).min(16);
        self.last_at = at;
    }

    fn last_correct(&self) -> bool {
        self.bits & 1 == 1
    }

    /// Smoothed success rate over the latest `k` answers: (successes + 1) / (answers + 2).
    fn rate(&self, k: u8) -> f32 {
        let n = self.len.min(k);
        let mask = if n == 0 { 0 } else { u16::MAX >> (16 - n as u32) };
        ((self.bits & mask).count_ones() as f32 + 1.0) / (n as f32 + 2.0)
    }

    /// Run length of the latest outcome, signed: positive for correct, negative for wrong.
    fn signed_streak(&self) -> f32 {
        let x = (self.streak as f32).ln_1p();
        if self.last_correct() {
            x
        } else {
            -x
        }
    }
}

/// Running per-skill and per-item statistics of a learner's answers so far: the PFA counts and
/// what the recency features need.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub skill_succ: HashMap<u32, u32>,
    pub skill_fail: HashMap<u32, u32>,
    pub item_succ: HashMap<u32, u32>,
    pub item_fail: HashMap<u32, u32>,
    pub n: u32,
    pub n_correct: u32,
    skill_recent: HashMap<u32, Recent>,
    item_recent: HashMap<u32, Recent>,
    overall: Recent,
    ability: Ability,
    /// Per skill: sum of residuals and number of answers (for the ability features).
    skill_resid: HashMap<u32, (f32, u32)>,
    /// Per skill: answers and successes in its latest block (run of consecutive answers that
    /// all have the skill).
    skill_block: HashMap<u32, (u32, u32)>,
}

/// Learner-level running statistics of residuals `y - p`, where `p` is the answer's expected
/// probability ([`Event::expect`]).
#[derive(Debug, Clone, Copy, Default)]
struct Ability {
    resid_sum: f32,
    /// Residuals and weights decayed by [`ABILITY_DECAY`] per answer.
    decayed_sum: f32,
    decayed_weight: f32,
    /// Elo-style ability on the logit scale.
    elo: f32,
}

/// Per-answer decay of the recency-weighted residual mean (an answer 20 back weighs 0.12).
const ABILITY_DECAY: f32 = 0.9;

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Counts {
    /// Records one answer.
    pub fn add(&mut self, e: &Event) {
        let (skill_map, item_map) = if e.correct {
            (&mut self.skill_succ, &mut self.item_succ)
        } else {
            (&mut self.skill_fail, &mut self.item_fail)
        };
        let at = self.n;
        for &s in e.skills() {
            let continues =
                at > 0 && self.skill_recent.get(&s).is_some_and(|r| r.last_at + 1 == at);
            let b = self.skill_block.entry(s).or_insert((0, 0));
            if !continues {
                *b = (0, 0);
            }
            b.0 += 1;
            b.1 += e.correct as u32;
        }
        for &s in e.skills() {
            *skill_map.entry(s).or_insert(0) += 1;
            self.skill_recent.entry(s).or_default().add(at, e.correct);
        }
        if e.item != 0 {
            *item_map.entry(e.item).or_insert(0) += 1;
            self.item_recent.entry(e.item).or_default().add(at, e.correct);
        }
        self.overall.add(at, e.correct);
        let y = e.correct as u8 as f32;
        let resid = y - sigmoid(e.expect);
        let a = &mut self.ability;
        a.resid_sum += resid;
        a.decayed_sum = ABILITY_DECAY * a.decayed_sum + resid;
        a.decayed_weight = ABILITY_DECAY * a.decayed_weight + 1.0;
        // Elo step size shrinking with the number of answers (a running estimate settles).
        let k = 1.0 / (1.0 + 0.05 * self.n as f32);
        a.elo += k * (y - sigmoid(a.elo + e.expect));
        for &s in e.skills() {
            let r = self.skill_resid.entry(s).or_insert((0.0, 0));
            r.0 += resid;
            r.1 += 1;
        }
        self.n += 1;
        self.n_correct += e.correct as u32;
    }

    /// Features of a query for `item` with `skills`, from the answers added so far.
    ///
    /// The first [`N_FEATURES`] are the PFA-style counts: mean over the skills of
    /// ln(1+successes) and ln(1+failures), the same two on the item itself, ln(1+answers so
    /// far)/4, and the smoothed success rate. The [`N_RICH_FEATURES`] recency features follow
    /// (skills the learner has never answered are left out of the means; all are 0 when there
    /// is nothing to summarise):
    ///
    /// 0. 1 when none of the skills has been answered before;
    /// 1. ln(1 + answers since the latest answer on any of the skills)/4;
    /// 2. that latest answer on the skills: +1 correct, −1 wrong;
    /// 3. mean over the skills of the signed ln(1 + current run of equal outcomes);
    /// 4. and 5. mean over the skills of the smoothed success rate (successes+1)/(answers+2)
    ///    over the latest 3 and 5 answers on the skill, minus 1/2;
    /// 6. 1 when the item itself has been answered before;
    /// 7. its latest outcome: +1 correct, −1 wrong;
    /// 8. ln(1 + answers since then)/4;
    /// 9. and 10. the smoothed success rate over the learner's latest 5 and 10 answers, minus
    ///    1/2.
    ///
    /// The [`N_ABILITY_FEATURES`] ability features follow, from the residuals `y - p` of all
    /// earlier answers, `p` the answer's expected probability (`sigmoid(Event::expect)`):
    ///
    /// 0. 2 × the sum of residuals / (answers + 5) (a mean shrunk towards 0);
    /// 1. mean over the item's skills answered before of 2 × their residual sum / (answers on
    ///    the skill + 3) (0 when none was);
    /// 2. 2 × the residual mean weighted by 0.9^age, shrunk with one pseudo-answer;
    /// 3. an Elo-style ability / 2: θ starts at 0 and after each answer moves by
    ///    `(y - sigmoid(θ + expect)) / (1 + 0.05 × earlier answers)`;
    /// 4. and 5. the current block on the item's skills (the run of consecutive answers up to
    ///    the previous one that all have the skill; the longest when several skills have one):
    ///    ln(1 + its answers)/4 and its smoothed success rate (successes+1)/(answers+2) minus
    ///    1/2; both 0 when the previous answer shares no skill with the item.
    pub fn features(&self, item: u32, skills: &[u32]) -> [f32; MAX_FEATURES] {
        let mut s_succ = 0.0f32;
        let mut s_fail = 0.0f32;
        for s in skills {
            s_succ += (*self.skill_succ.get(s).unwrap_or(&0) as f32).ln_1p();
            s_fail += (*self.skill_fail.get(s).unwrap_or(&0) as f32).ln_1p();
        }
        let k = skills.len().max(1) as f32;
        let (i_succ, i_fail) = if item == 0 {
            (0, 0)
        } else {
            (*self.item_succ.get(&item).unwrap_or(&0), *self.item_fail.get(&item).unwrap_or(&0))
        };
        let mut f = [0.0f32; MAX_FEATURES];
        f[..N_FEATURES].copy_from_slice(&[
            s_succ / k,
            s_fail / k,
            (i_succ as f32).ln_1p(),
            (i_fail as f32).ln_1p(),
            (self.n as f32).ln_1p() / 4.0,
            (self.n_correct as f32 + 1.0) / (self.n as f32 + 2.0),
        ]);
        let since = |r: &Recent| ((self.n - 1 - r.last_at) as f32).ln_1p() / 4.0;
        let r = &mut f[N_FEATURES..];
        let seen: Vec<&Recent> = skills.iter().filter_map(|s| self.skill_recent.get(s)).collect();
        match seen.iter().max_by_key(|x| x.last_at) {
            None => r[0] = 1.0,
            Some(latest) => {
                let m = seen.len() as f32;
                r[1] = since(latest);
                r[2] = if latest.last_correct() { 1.0 } else { -1.0 };
                r[3] = seen.iter().map(|x| x.signed_streak()).sum::<f32>() / m;
                r[4] = seen.iter().map(|x| x.rate(3) - 0.5).sum::<f32>() / m;
                r[5] = seen.iter().map(|x| x.rate(5) - 0.5).sum::<f32>() / m;
            }
        }
        if let Some(it) = (item != 0).then(|| self.item_recent.get(&item)).flatten() {
            r[6] = 1.0;
            r[7] = if it.last_correct() { 1.0 } else { -1.0 };
            r[8] = since(it);
        }
        if self.n > 0 {
            r[9] = self.overall.rate(5) - 0.5;
            r[10] = self.overall.rate(10) - 0.5;
        }
        let a = &mut f[N_FEATURES + N_RICH_FEATURES..];
        let ab = &self.ability;
        a[0] = 2.0 * ab.resid_sum / (self.n as f32 + 5.0);
        let seen: Vec<f32> = skills
            .iter()
            .filter_map(|s| self.skill_resid.get(s))
            .map(|&(r, n)| 2.0 * r / (n as f32 + 3.0))
            .collect();
        if !seen.is_empty() {
            a[1] = seen.iter().sum::<f32>() / seen.len() as f32;
        }
        a[2] = 2.0 * ab.decayed_sum / (ab.decayed_weight + 1.0);
        a[3] = ab.elo / 2.0;
        // The longest current block among the item's skills (a block is current when the
        // previous answer had the skill).
        let block = skills
            .iter()
            .filter(|s| self.skill_recent.get(s).is_some_and(|r| r.last_at + 1 == self.n))
            .filter_map(|s| self.skill_block.get(s))
            .max_by_key(|b| b.0);
        if let Some(&(len, succ)) = block {
            a[4] = (len as f32).ln_1p() / 4.0;
            a[5] = (succ as f32 + 1.0) / (len as f32 + 2.0) - 0.5;
        }
        f
    }
}

/// Encodes a learner sequence with `vocabs`, computing the count features of every position.
pub fn encode_sequence(v: &Vocabs, seq: &LearnerSequence) -> EncodedSeq {
    let mut events = Vec::with_capacity(seq.events.len());
    let mut features = Vec::with_capacity(seq.events.len());
    let mut counts = Counts::default();
    let mut prev_time = None;
    for raw in &seq.events {
        let e = encode_event(v, raw, prev_time);
        prev_time = raw.timestamp.or(prev_time);
        features.push(counts.features(e.item, e.skills()));
        counts.add(&e);
        events.push(e);
    }
    EncodedSeq { learner_id: seq.learner_id.clone(), events, features }
}

/// Encodes many sequences.
pub fn encode_all(v: &Vocabs, seqs: &[LearnerSequence]) -> Vec<EncodedSeq> {
    seqs.iter().map(|s| encode_sequence(v, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write fixture");
        p
    }

    #[test]
    fn reads_rows_sorted_by_t_with_optional_columns() {
        let d = tempfile::tempdir().expect("tempdir");
        let p = write(
            d.path(),
            "interactions.csv",
            "student_id,t,item_id,skill_ids,correct,hints,latency_ms,timestamp\n\
             a,1,i2,s1;s2,0,2,3500,100\n\
             a,0,i1,s1,1,,,\n\
             b,0,\"i,3\",,1,0,10,5\n",
        );
        let seqs = read_interactions(&p).expect("read");
        assert_eq!(seqs.len(), 2);
        assert_eq!(seqs[0].events[0].item_id, "i1");
        assert_eq!(seqs[0].events[1].skill_ids, vec!["s1", "s2"]);
        assert_eq!(seqs[0].events[1].hints, Some(2));
        assert_eq!(seqs[0].events[1].latency_ms, Some(3500.0));
        assert_eq!(seqs[1].events[0].item_id, "i,3");
        assert!(seqs[1].events[0].skill_ids.is_empty());
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_read_as_plain_csv() {
        let d = tempfile::tempdir().expect("tempdir");
        let p = write(
            d.path(),
            "interactions.csv",
            "\u{feff}student_id,t,item_id,skill_ids,correct\r\na,0,i1,s1,1\r\na,1,i2,s1,0\r\n",
        );
        let seqs = read_interactions(&p).expect("read");
        assert_eq!(seqs.len(), 1);
        assert_eq!(seqs[0].learner_id, "a");
        assert_eq!(seqs[0].events.len(), 2);
        assert!(!seqs[0].events[1].correct);
        let f = write(d.path(), "folds.csv", "\u{feff}student_id,fold\r\na,3\r\n");
        assert_eq!(read_folds(&f).expect("folds").get("a"), Some(&3));
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let d = tempfile::tempdir().expect("tempdir");
        let cases = [
            ("student_id,t,item_id,skill_ids,correct\na,0,i,s,1\na,1,i,s,2\n", ":3:", "correct"),
            ("student_id,t,item_id,skill_ids,correct\na,x,i,s,1\n", ":2:", "t: not an integer"),
            ("student_id,t,item_id,skill_ids\na,0,i,s\n", ":1:", "missing column `correct`"),
            ("student_id,t,item_id,skill_ids,correct\na,0,i,s\n", ":2:", "expected 5 fields"),
            ("student_id,t,item_id,skill_ids,correct\na,0,i,s,1\na,0,j,s,1\n", ":3:", "twice"),
            (
                "student_id,t,item_id,skill_ids,correct\na,0,\"two\nlines\",s,1\n",
                ":2:",
                "field 3 opens a quote that the line does not close",
            ),
            (
                "student_id;t;item_id;skill_ids;correct\na;0;i;s;1\n",
                ":1:",
                "separated by `;`, not commas",
            ),
            ("student_id\tt\titem_id\tskill_ids\tcorrect\n", ":1:", "separated by tabs"),
            (
                "student_id,t,item_id,skill_ids,correct,correct\na,0,i,s,1,0\n",
                ":1:",
                "column `correct` appears twice (columns 5 and 6)",
            ),
        ];
        for (text, line, what) in cases {
            let p = write(d.path(), "interactions.csv", text);
            let e = read_interactions(&p).expect_err(what).to_string();
            assert!(e.contains("interactions.csv") && e.contains(line), "{e}");
            assert!(e.contains(what), "{e}");
        }
        let p = d.path().join("interactions.csv");
        std::fs::write(&p, b"student_id,t,item_id,skill_ids,correct\na,0,i,s,1\na,1,caf\xe9,s,1\n")
            .expect("write latin-1");
        let e = read_interactions(&p).expect_err("latin-1").to_string();
        assert!(e.contains("interactions.csv:3:") && e.contains("not UTF-8"), "{e}");
        let p = write(d.path(), "folds.csv", "student_id,fold\na,1\nb,x\n");
        let e = read_folds(&p).expect_err("bad fold").to_string();
        assert!(e.contains("folds.csv:3:"), "{e}");
        let p = write(d.path(), "folds.csv", "student_id;fold\na;1\n");
        let e = read_folds(&p).expect_err("semicolons").to_string();
        assert!(e.contains("folds.csv:1:") && e.contains("`;`"), "{e}");
    }

    #[test]
    fn unknown_ids_map_to_zero_and_features_count_only_the_past() {
        let seq = LearnerSequence {
            learner_id: "a".into(),
            events: vec![
                Interaction::new("i1", &["s1"], true),
                Interaction::new("i1", &["s1"], false),
                Interaction::new("i2", &["s1", "s2"], true),
            ],
        };
        let v = Vocabs::build(std::slice::from_ref(&seq));
        assert_eq!(v.items.get("nope"), 0);
        assert_eq!(v.items.get("i2"), 2);
        let enc = encode_sequence(&v, &seq);
        assert_eq!(enc.features[0][0], 0.0);
        assert!((enc.features[1][0] - 2f32.ln()).abs() < 1e-6);
        assert_eq!(enc.features[1][1], 0.0);
        // third: skills s1 (1 succ, 1 fail) and s2 (none): mean over two skills.
        assert!((enc.features[2][0] - 2f32.ln() / 2.0).abs() < 1e-6);
        assert!((enc.features[2][1] - 2f32.ln() / 2.0).abs() < 1e-6);
    }

    #[test]
    fn recency_features_on_a_known_history() {
        let a = |item: &str, skills: &[&str], correct| Interaction::new(item, skills, correct);
        let seq = LearnerSequence {
            learner_id: "a".into(),
            events: vec![
                a("i1", &["s1"], true),
                a("i2", &["s1"], false),
                a("i3", &["s2"], true),
                a("i4", &["s1"], false),
                a("i1", &["s1", "s2"], true),
                a("i5", &["s3"], true),
            ],
        };
        let v = Vocabs::build(std::slice::from_ref(&seq));
        let enc = encode_sequence(&v, &seq);
        let r = |t: usize| &enc.features[t][N_FEATURES..N_FEATURES + N_RICH_FEATURES];
        // Nothing before the first answer; s3 is new at the last one.
        assert_eq!(r(0), &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(r(5)[0], 1.0);
        // Position 4: i1 on s1 (answers 0 ✓, 1 ✗, 3 ✗) and s2 (answer 2 ✓).
        let f = r(4);
        let close = |x: f32, y: f32| (x - y).abs() < 1e-6;
        assert_eq!(f[0], 0.0);
        assert_eq!(f[1], 0.0, "the latest answer on s1/s2 is the previous one (3)");
        assert_eq!(f[2], -1.0, "answer 3 was wrong");
        // runs: s1 two wrong, s2 one right.
        assert!(close(f[3], (-(2f32.ln_1p()) + 1f32.ln_1p()) / 2.0));
        // last 3 on s1: ✓✗✗ → (1+1)/(3+2); s2: (1+1)/(1+2).
        assert!(close(f[4], (2.0 / 5.0 - 0.5 + 2.0 / 3.0 - 0.5) / 2.0));
        assert!(close(f[5], f[4]), "no skill has more than 3 answers yet");
        assert_eq!((f[6], f[7]), (1.0, 1.0), "i1 was answered right at 0");
        assert!(close(f[8], 3f32.ln_1p() / 4.0), "3 answers since");
        // overall last 5 / 10 of ✓✗✓✗: (2+1)/(4+2).
        assert!(close(f[9], 0.0) && close(f[10], 0.0));
        // Position 3: i4 never seen.
        assert_eq!(r(3)[6..9], [0.0, 0.0, 0.0]);
        assert!(close(r(3)[1], 1f32.ln_1p() / 4.0), "one answer since s1's latest (1)");
    }

    #[test]
    fn features_use_only_earlier_answers() {
        let mut seq = LearnerSequence {
            learner_id: "a".into(),
            events: (0..20)
                .map(|i| {
                    Interaction::new(format!("i{}", i % 4), &[["s1", "s2"][i % 2]], i % 3 == 0)
                })
                .collect(),
        };
        let v = Vocabs::build(std::slice::from_ref(&seq));
        let before = encode_sequence(&v, &seq);
        seq.events[9].correct = !seq.events[9].correct;
        let after = encode_sequence(&v, &seq);
        assert_eq!(before.features[..=9], after.features[..=9]);
        assert_ne!(before.features[10..], after.features[10..]);
    }

    #[test]
    fn item_expect_shrinks_item_rates_towards_their_skills() {
        let a = |item: &str, correct| Interaction::new(item, &["s1"], correct);
        let seq = LearnerSequence {
            learner_id: "a".into(),
            events: vec![a("i1", true), a("i1", true), a("i1", false), a("i2", false)],
        };
        let mut v = Vocabs::build(std::slice::from_ref(&seq));
        v.fit_item_expect(std::slice::from_ref(&seq), 2.0);
        let t = v.item_expect.clone().expect("fitted");
        let close = |x: f32, y: f32| (x - y).abs() < 1e-5;
        // s1 and overall: (2+1)/(4+2) = 1/2. i1: (2 + 2·½)/(3 + 2) = 0.6; i2: (0 + 1)/(1 + 2).
        assert!(close(t[0], 0.0), "{t:?}");
        assert!(close(t[v.items.get("i1") as usize], 1.5f32.ln()), "{t:?}");
        assert!(close(t[v.items.get("i2") as usize], -(2f32.ln())), "{t:?}");
        // The table travels with the vocabularies; a table of the wrong length is refused.
        let mut back: Vocabs =
            serde_json::from_str(&serde_json::to_string(&v).expect("json")).expect("parse");
        back.rebuild_index().expect("valid");
        assert_eq!(back, v);
        back.item_expect = Some(vec![0.0; 2]);
        assert!(back.rebuild_index().is_err());
    }

    #[test]
    fn ability_features_on_a_known_history() {
        let a = |item: &str, skills: &[&str], correct| Interaction::new(item, skills, correct);
        let seq = LearnerSequence {
            learner_id: "a".into(),
            events: vec![
                a("i1", &["s1"], true),
                a("i2", &["s1"], false),
                a("i1", &["s2"], true),
                a("i1", &["s1"], true),
                a("i2", &["s1", "s2"], true),
            ],
        };
        let mut v = Vocabs::build(std::slice::from_ref(&seq));
        // i1 expected at 1/2, i2 at 3/4.
        let mut t = vec![0.0; v.items.rows()];
        t[v.items.get("i2") as usize] = 3f32.ln();
        v.item_expect = Some(t);
        let enc = encode_sequence(&v, &seq);
        let ab = |t: usize| &enc.features[t][N_FEATURES + N_RICH_FEATURES..];
        let close = |x: f32, y: f32| (x - y).abs() < 1e-5;
        assert_eq!(ab(0), &[0.0; N_ABILITY_FEATURES], "nothing before the first answer");
        // Residuals before position 3: +1/2 (i1, s1), -3/4 (i2, s1), +1/2 (i1, s2).
        let f = ab(3);
        assert!(close(f[0], 2.0 * 0.25 / 8.0), "{f:?}");
        assert!(close(f[1], 2.0 * -0.25 / 5.0), "s1: two answers; {f:?}");
        // Decayed: ((½·0.9 − ¾)·0.9 + ½) / ((0.9 + 1)·0.9 + 1 + 1).
        assert!(close(f[2], 2.0 * 0.23 / 3.71), "{f:?}");
        // Elo: 0 → ½ → ½ − σ(½ + ln 3)/1.05 → that + (1 − σ(that))/1.1; halved.
        assert!(close(f[3], 0.114_137_7), "{f:?}");
        // Position 4 asks about s1 and s2: the mean of their shrunk residual sums.
        assert!(close(ab(4)[1], (2.0 * 0.25 / 6.0 + 2.0 * 0.5 / 4.0) / 2.0), "{:?}", ab(4));
        // Blocks: the answer before 3 is on s2 only, so no block for s1; before 1 and before 4,
        // one right answer on s1 (answer 3 starts a new block on s1).
        assert_eq!((f[4], f[5]), (0.0, 0.0));
        for t in [1, 4] {
            assert!(close(ab(t)[4], 2f32.ln() / 4.0) && close(ab(t)[5], 2.0 / 3.0 - 0.5), "{t}");
        }
        // After answers 0 and 1 (both on s1): a block of two, one right.
        let mut c = Counts::default();
        c.add(&enc.events[0]);
        c.add(&enc.events[1]);
        let g = c.features(enc.events[0].item, enc.events[0].skills());
        let g = &g[N_FEATURES + N_RICH_FEATURES..];
        assert!(close(g[4], 3f32.ln() / 4.0) && close(g[5], 0.0), "{g:?}");
        // Without a table every answer is expected at 1/2: the residuals are y - 1/2.
        v.item_expect = None;
        let plain = encode_sequence(&v, &seq);
        assert!(close(plain.features[3][N_FEATURES + N_RICH_FEATURES], 2.0 * 0.5 / 8.0));
    }

    #[test]
    fn ability_features_use_only_earlier_answers() {
        let mut seq = LearnerSequence {
            learner_id: "a".into(),
            events: (0..20)
                .map(|i| {
                    Interaction::new(format!("i{}", i % 5), &[["s1", "s2"][i % 2]], i % 3 == 0)
                })
                .collect(),
        };
        let mut v = Vocabs::build(std::slice::from_ref(&seq));
        v.fit_item_expect(std::slice::from_ref(&seq), 3.0);
        let ability = |e: &EncodedSeq| -> Vec<Vec<f32>> {
            e.features.iter().map(|f| f[N_FEATURES + N_RICH_FEATURES..].to_vec()).collect()
        };
        let before = ability(&encode_sequence(&v, &seq));
        seq.events[9].correct = !seq.events[9].correct;
        let after = ability(&encode_sequence(&v, &seq));
        assert_eq!(before[..=9], after[..=9]);
        for t in 10..20 {
            assert_ne!(before[t], after[t], "position {t} does not see answer 9");
        }
    }

    #[test]
    fn buckets_are_in_range() {
        for x in [0.0, 1.0, 999.0, 1e3, 5e3, 1e9, f64::MAX] {
            assert!((latency_bucket(Some(x)) as usize) < LATENCY_BUCKETS);
            assert!((gap_bucket(Some(x)) as usize) < GAP_BUCKETS);
        }
        assert_eq!(latency_bucket(None), 0);
        assert_eq!(hint_bucket(Some(7)), 4);
    }
}
