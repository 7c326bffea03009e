//! Understanding a pack's files: each TOML file read with positions, then the checks across
//! files (duplicate ids, references, prerequisite cycles, media), then warnings.

use std::collections::{BTreeSet, HashMap};

use ladder_core::grading::{numeric_matches, parse_number, parse_positions, text_matches};
use ladder_core::{
    Accents, Blank, Feedback, Item, ItemKind, Lesson, NumericAnswer, PackId, Skill, SkillId,
    TextAnswer,
};

use crate::diag::{utf8_error_position, Diagnostic, Severity, Sink, Spot};
use crate::markdown::{check_markdown, image_mime, is_media_path, IMAGE_TYPES};
use crate::msg::{CycleLink, Eaten, Entity, Expect, IdProblem, ItemPlace, Loosened, Misfiled, Msg};
use crate::pack::{Pack, PackInfo};
use crate::source::{name_key, Source};
use crate::walk::{expected, Field, Str, Table, TableOwned, TomlFile};
use toml::de::DeValue;

/// The format version this code reads.
pub const SCHEMA: u32 = 1;

/// Reads and checks everything in `source`; the pack when there were no errors.
pub(crate) fn analyze(source: &Source, sink: &mut Sink) -> Option<Pack> {
    if source.unreadable {
        return None;
    }
    let mut a = Analysis::default();
    let info = match text_of(source, "pack.toml", sink) {
        Some(Ok(text)) => read_pack_toml(&mut TomlFile::new("pack.toml", text, sink), &mut a),
        Some(Err(())) => None,
        None if source.refused.contains("pack.toml") => None,
        None => {
            sink.file_error("pack.toml", Msg::MissingPackToml);
            None
        }
    };
    let skills_ok = match text_of(source, "skills.toml", sink) {
        Some(Ok(text)) => read_skills(&mut TomlFile::new("skills.toml", text, sink), &mut a),
        Some(Err(())) => false,
        None if source.refused.contains("skills.toml") => false,
        None => {
            sink.file_error("skills.toml", Msg::MissingSkillsToml);
            false
        }
    };
    let lesson_files: Vec<&String> =
        source.files.keys().filter(|p| p.starts_with("lessons/")).collect();
    let refused_lessons = source.refused.iter().any(|p| p.starts_with("lessons/"));
    if lesson_files.is_empty() && !refused_lessons {
        sink.file_error("lessons/", Msg::MissingLessons);
    }
    lesson_numbers(&lesson_files, sink);
    let mut lessons_ok = !refused_lessons;
    for path in lesson_files {
        match text_of(source, path, sink) {
            Some(Ok(text)) => {
                lessons_ok &= read_lesson(&mut TomlFile::new(path, text, sink), &mut a);
            }
            _ => lessons_ok = false,
        }
    }
    a.cross_check(source, skills_ok, lessons_ok, sink);
    if source.from_archive {
        let reported = source.refused.union(&source.refused_entries).cloned().collect();
        crate::manifest::check(
            source.manifest.as_deref(),
            &source.files,
            &reported,
            info.as_ref(),
            sink,
        );
    }
    if sink.has_errors() {
        return None;
    }
    Some(Pack {
        info: info?,
        skills: a.skills.into_iter().map(|s| s.skill).collect(),
        lessons: a.lessons.into_iter().map(|l| l.lesson).collect::<Option<Vec<_>>>()?,
        items: a.items.into_iter().map(|i| i.item).collect::<Option<Vec<_>>>()?,
        files: source.files.clone(),
    })
}

/// The text of a TOML file: `None` if absent, `Err` (reported) if not UTF-8.
fn text_of<'s>(source: &'s Source, path: &str, sink: &mut Sink) -> Option<Result<&'s str, ()>> {
    let bytes = source.files.get(path)?;
    if is_utf16(bytes) {
        sink.file_error(path, Msg::Utf16);
        return Some(Err(()));
    }
    Some(match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.valid_up_to();
            sink.push(Diagnostic::new(
                Severity::Error,
                path,
                Some(utf8_error_position(bytes, at)),
                "",
                Msg::InvalidUtf8 { byte: bytes.get(at).copied().unwrap_or(0) },
            ));
            Err(())
        }
    })
}

/// Whether `bytes` look like UTF-16 text: its byte order mark, or a NUL byte in one of the
/// first two (an ASCII character in UTF-16 is the character and a zero byte; a NUL is never
/// part of a TOML file).
fn is_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [0xff, 0xfe, ..] | [0xfe, 0xff, ..] => true,
        [a, b, ..] => (*a == 0) != (*b == 0),
        _ => false,
    }
}

#[derive(Default)]
struct Analysis {
    /// The pack's `languages` as written, once `pack.toml`'s list could be read (an item's
    /// `answer_language` must be one of them).
    languages: Option<Vec<String>>,
    skills: Vec<SkillEntry>,
    lessons: Vec<LessonEntry>,
    items: Vec<ItemEntry>,
    /// Every image of every Markdown field, with the field.
    images: Vec<(String, Spot)>,
}

struct SkillEntry {
    skill: Skill,
    spot: Spot,
    id_spot: Spot,
    prerequisite_spots: Vec<Spot>,
}

struct LessonEntry {
    /// `None` when the lesson table had errors.
    lesson: Option<Lesson>,
    id: Option<(String, Spot)>,
    spot: Spot,
    skills: Vec<(String, Spot)>,
    item_count: usize,
    /// `fixed_order` written as a list of item ids (an error, said once every item is known).
    pinned: Option<PinnedOrder>,
}

struct PinnedOrder {
    /// The ids it lists (entries that are not strings left out).
    ids: Vec<String>,
    spot: Spot,
}

struct ItemEntry {
    /// `None` when the item had errors.
    item: Option<Item>,
    id: Option<(String, Spot)>,
    skills: Vec<(String, Spot)>,
}

impl Analysis {
    /// Reports images in a Markdown field.
    /// Records the images of a Markdown field, and warns when a TOML escape has probably eaten
    /// a TeX command (`"\frac"` is a form feed followed by `rac`).
    fn markdown(&mut self, f: &mut TomlFile<'_>, s: &Str) {
        let checked = check_markdown(&s.value);
        let raw = f.text.get(s.span.clone()).unwrap_or("");
        // Where in the file a place of the text is, when its line can be found there as written
        // (a line with escapes is not, nor one written twice): else the string's start.
        let span_of = |at: Option<usize>| match at.and_then(|at| in_file(raw, &s.value, at)) {
            Some(k) => s.span.start + k..s.span.start + k + 1,
            None => s.span.clone(),
        };
        for (src, at) in checked.images.into_iter().zip(checked.image_at) {
            self.images.push((src, f.spot(&span_of(Some(at)), &s.path)));
        }
        for ((error, msg), at) in checked.problems.into_iter().zip(checked.problem_at) {
            let spot = f.spot(&span_of(at), &s.path);
            f.push(if error { spot.error(msg) } else { spot.warning(msg) });
        }
        // Every TeX command eaten, not only the first: each is fixed on its own. Only what an
        // escape written in the file made: a tab typed into the text is no `\t`, and a '...'
        // string has no escapes.
        let written = written_escapes(f.text.get(s.span.clone()).unwrap_or(""));
        for found in eaten_escapes(&s.value).into_iter().filter(|e| written.contains(&e.letter())) {
            let d = f.spot(&s.span, &s.path).warning(Msg::EatenEscape { found });
            f.push(d);
        }
    }

    fn cross_check(&self, source: &Source, skills_ok: bool, lessons_ok: bool, sink: &mut Sink) {
        // Skills: duplicates, references, cycles.
        let mut skill_index: HashMap<&str, usize> = HashMap::new();
        // Second declarations of an id, with the index of the first.
        let mut duplicates: Vec<(usize, usize)> = Vec::new();
        for (i, s) in self.skills.iter().enumerate() {
            let id = s.skill.id.as_str();
            match skill_index.get(id) {
                Some(&first) => duplicates.push((i, first)),
                None => {
                    skill_index.insert(id, i);
                }
            }
        }
        let known_skill = |id: &str| !skills_ok || skill_index.contains_key(id);
        // A skill id that is not declared, said with the declared one it is probably a typo of.
        let mut declared: Vec<&str> = skill_index.keys().copied().collect();
        declared.sort_unstable();
        let unknown_skill = |skill: &str| match crate::walk::closest(skill, &declared) {
            Some(close) => {
                Msg::UnknownSkillTypo { skill: skill.to_owned(), suggestion: close.to_owned() }
            }
            None => Msg::UnknownSkill { skill: skill.to_owned() },
        };
        // How many places name each skill id (prerequisites, lessons, items).
        let mut named: HashMap<&str, usize> = HashMap::new();
        let prerequisites = self.skills.iter().flat_map(|s| s.skill.prerequisites.iter());
        let in_lessons = self.lessons.iter().flat_map(|l| l.skills.iter().map(|(k, _)| k));
        let in_items = self.items.iter().flat_map(|it| it.skills.iter().map(|(k, _)| k));
        for id in
            prerequisites.map(|p| p.as_str()).chain(in_lessons.chain(in_items).map(String::as_str))
        {
            *named.entry(id).or_default() += 1;
        }
        // An undeclared id named somewhere, close to a declared id that nothing names: the typo
        // is in the declaration. Said once there, not at every place that names the right id.
        let mut misdeclared: HashMap<&str, &str> = HashMap::new();
        // A skill declared twice under one id while an id used elsewhere is declared nowhere:
        // a declaration copied and not changed. The duplicate says so, with the id to write,
        // and the places naming that id are not each called unknown. Pairs in order: the most
        // named undeclared id to the first duplicate.
        let mut undeclared: Vec<(&str, usize)> = if skills_ok {
            named
                .iter()
                .filter(|(id, _)| !skill_index.contains_key(*id))
                .map(|(id, n)| (*id, *n))
                .collect()
        } else {
            Vec::new()
        };
        undeclared.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut undeclared = undeclared.into_iter();
        for &(i, first) in &duplicates {
            let s = &self.skills[i];
            let (id, first_at) = (s.skill.id.as_str(), self.skills[first].id_spot.location());
            match undeclared.next() {
                Some((used, places)) => {
                    misdeclared.insert(used, id);
                    sink.push(s.id_spot.error(Msg::DuplicateSkillMeant {
                        id: id.to_owned(),
                        first: first_at,
                        used: used.to_owned(),
                        places,
                    }));
                }
                None => sink.push(s.id_spot.error(Msg::DuplicateId {
                    entity: Entity::Skill,
                    id: id.to_owned(),
                    first: first_at,
                })),
            }
        }
        if skills_ok {
            let mut used: Vec<(&str, usize)> = named
                .iter()
                .filter(|(id, _)| !skill_index.contains_key(*id))
                .map(|(id, n)| (*id, *n))
                .collect();
            // The most named first, so that one declaration stands for one id.
            used.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut claimed: BTreeSet<&str> = BTreeSet::new();
            for (id, count) in used {
                if misdeclared.contains_key(id) {
                    continue;
                }
                let Some(close) = crate::walk::closest(id, &declared) else {
                    continue;
                };
                if named.contains_key(close) || !claimed.insert(close) {
                    continue;
                }
                misdeclared.insert(id, close);
                let s = &self.skills[skill_index[close]];
                sink.push(s.id_spot.error(Msg::SkillDeclaredAs {
                    declared: close.to_owned(),
                    used: id.to_owned(),
                    places: count,
                }));
            }
        }
        let mut edges: Vec<Vec<(usize, &Spot)>> = vec![Vec::new(); self.skills.len()];
        for (i, s) in self.skills.iter().enumerate() {
            for (p, spot) in s.skill.prerequisites.iter().zip(&s.prerequisite_spots) {
                match skill_index.get(p.as_str()) {
                    Some(&j) => edges[i].push((j, spot)),
                    None if skills_ok && !misdeclared.contains_key(p.as_str()) => {
                        sink.push(spot.error(unknown_skill(p.as_str())))
                    }
                    None => {}
                }
            }
        }
        for d in find_cycles(&self.skills, &edges) {
            sink.push(d);
        }
        // A prerequisite on a cycle is reported with the cycle, not again below as taught by a
        // later lesson: no order of the lessons could fix that.
        let group = cycle_groups(&edges);

        // Lessons: duplicates, references; which skills are taught.
        let mut lesson_ids: HashMap<&str, &Spot> = HashMap::new();
        let mut taught: BTreeSet<&str> = BTreeSet::new();
        // Whether every skill the lessons name is declared: else what they teach is not known
        // (a misspelt id is reported once, not as every item's skill "not taught").
        let mut taught_known = true;
        for l in &self.lessons {
            if let Some((id, spot)) = &l.id {
                if let Some(first) = lesson_ids.get(id.as_str()) {
                    sink.push(spot.error(Msg::DuplicateId {
                        entity: Entity::Lesson,
                        id: id.clone(),
                        first: first.location(),
                    }));
                } else {
                    lesson_ids.insert(id, spot);
                }
            }
            for (skill, spot) in &l.skills {
                if known_skill(skill) {
                    taught.insert(skill);
                } else {
                    if !misdeclared.contains_key(skill.as_str()) {
                        sink.push(spot.error(unknown_skill(skill)));
                    }
                    taught_known = false;
                }
            }
            if l.item_count == 0 {
                sink.push(l.spot.warning(Msg::LessonWithoutItems));
            }
        }

        // Items: duplicates, skill references. A skill no lesson teaches is one mistake however
        // many items practise it: reported once, at its first item, with the count of the rest.
        let mut item_ids: HashMap<&str, &Spot> = HashMap::new();
        let mut untaught: Vec<(&str, &Spot, usize)> = Vec::new();
        for it in &self.items {
            if let Some((id, spot)) = &it.id {
                if let Some(first) = item_ids.get(id.as_str()) {
                    sink.push(spot.error(Msg::DuplicateId {
                        entity: Entity::Item,
                        id: id.clone(),
                        first: first.location(),
                    }));
                } else {
                    item_ids.insert(id, spot);
                }
            }
            for (skill, spot) in &it.skills {
                if !known_skill(skill) {
                    if !misdeclared.contains_key(skill.as_str()) {
                        sink.push(spot.error(unknown_skill(skill)));
                    }
                } else if lessons_ok
                    && skills_ok
                    && taught_known
                    && !taught.contains(skill.as_str())
                {
                    match untaught.iter_mut().find(|(s, _, _)| *s == skill.as_str()) {
                        Some((_, _, more)) => *more += 1,
                        None => untaught.push((skill.as_str(), spot, 0)),
                    }
                }
            }
        }
        for &(skill, spot, more) in &untaught {
            sink.push(spot.error(Msg::SkillNotTaughtAdd { skill: skill.to_owned(), more }));
        }

        // `fixed_order` as a list of ids: how the order is pinned, and where the items it names
        // are (an item of another file is of another lesson).
        for l in &self.lessons {
            let Some(pinned) = &l.pinned else {
                continue;
            };
            let mut elsewhere = Vec::new();
            let mut unknown = Vec::new();
            for id in &pinned.ids {
                match item_ids.get(id.as_str()) {
                    Some(spot) if spot.file != l.spot.file => {
                        elsewhere.push(ItemPlace { item: id.clone(), file: spot.file.clone() })
                    }
                    Some(_) => {}
                    None => unknown.push(id.clone()),
                }
            }
            // A hostile list cannot make the message long.
            elsewhere.truncate(10);
            unknown.truncate(10);
            sink.push(pinned.spot.error(Msg::FixedOrderList { elsewhere, unknown }));
        }

        // A lesson before the first lesson that teaches a prerequisite of one of its skills: the
        // course map shows it locked, in the middle of the course (lessons follow file order).
        if lessons_ok && skills_ok && taught_known {
            let mut first_taught: HashMap<&str, usize> = HashMap::new();
            for (i, l) in self.lessons.iter().enumerate() {
                for (skill, _) in &l.skills {
                    first_taught.entry(skill.as_str()).or_insert(i);
                }
            }
            for (i, l) in self.lessons.iter().enumerate() {
                for (skill, spot) in &l.skills {
                    let Some(&s) = skill_index.get(skill.as_str()) else {
                        continue;
                    };
                    let prerequisites = &self.skills[s].skill.prerequisites;
                    let later = prerequisites.iter().find_map(|p| {
                        let at = *first_taught.get(p.as_str())?;
                        let on_cycle =
                            skill_index.get(p.as_str()).is_some_and(|&q| group[q] == group[s]);
                        (at > i && !on_cycle).then_some((p, at))
                    });
                    if let Some((p, at)) = later {
                        sink.push(spot.warning(Msg::LessonBeforePrerequisite {
                            skill: skill.clone(),
                            prerequisite: p.to_string(),
                            lesson_file: self.lessons[at].spot.file.clone(),
                        }));
                    }
                }
            }
        }

        // Skills that no lesson teaches (only meaningful when every lesson was read).
        if lessons_ok && taught_known {
            for (i, s) in self.skills.iter().enumerate() {
                let id = s.skill.id.as_str();
                // One that items practise has its error there, which says what to do ("or
                // remove it" would leave those items naming an unknown skill).
                let practised = untaught.iter().any(|(s, _, _)| *s == id);
                if skill_index.get(id) == Some(&i) && !taught.contains(id) && !practised {
                    sink.push(s.spot.warning(Msg::SkillNotTaught { skill: id.to_owned() }));
                }
            }
        }

        // Skills a lesson teaches that no item practises: no answer ever shows their mastery,
        // so a skill that needs one stays locked. Said once the pack has no errors (an item
        // with a mistake in its `skills` may be the one that practises it).
        if lessons_ok && taught_known && !sink.has_errors() {
            let practised: BTreeSet<&str> = self
                .items
                .iter()
                .flat_map(|it| it.skills.iter().map(|(s, _)| s.as_str()))
                .collect();
            let mut taught_in: HashMap<&str, &str> = HashMap::new();
            for l in &self.lessons {
                for (skill, _) in &l.skills {
                    taught_in.entry(skill.as_str()).or_insert(l.spot.file.as_str());
                }
            }
            for (i, s) in self.skills.iter().enumerate() {
                let id = s.skill.id.as_str();
                let Some(lesson_file) = taught_in.get(id) else {
                    continue;
                };
                if skill_index.get(id) == Some(&i) && !practised.contains(id) {
                    sink.push(s.spot.warning(Msg::SkillNotPractised {
                        skill: id.to_owned(),
                        lesson_file: (*lesson_file).to_owned(),
                    }));
                }
            }
        }

        // Images.
        for (src, spot) in &self.images {
            let src_owned = || src.clone();
            let fixed = src.replace('\\', "/");
            if src.contains('\\') && fixed.starts_with("media/") {
                sink.push(spot.error(Msg::ImageBackslash { src: src_owned(), fixed }));
            } else if !src.starts_with("media/") {
                // `../media/a.svg` (from the lesson file), `./media/a.svg`, `/media/a.svg` or
                // `a.svg`: the media file meant, if the pack has it.
                let mut rest = src.as_str();
                while let Some(r) = ["./", "../", "/"].iter().find_map(|p| rest.strip_prefix(p)) {
                    rest = r;
                }
                let suggestion = [rest.to_owned(), format!("media/{rest}")]
                    .into_iter()
                    .find(|p| p.starts_with("media/") && source.files.contains_key(p));
                sink.push(spot.error(Msg::ImageOutsideMedia { src: src_owned(), suggestion }));
            } else if !is_media_path(src) {
                sink.push(spot.error(Msg::ImageUnsafePath { src: src_owned() }));
            } else if !source.files.contains_key(src.as_str()) && !source.refused.contains(src) {
                // The file it probably means: the same name in other upper and lower case, or
                // with its accented letters written with other Unicode characters (NFC/NFD).
                let lower = src.to_lowercase();
                let key = name_key(src);
                let msg = match source.files.keys().find(|f| f.to_lowercase() == lower) {
                    Some(file) => Msg::ImageMissingCase { src: src_owned(), file: file.clone() },
                    None => match source.files.keys().find(|f| name_key(f) == key) {
                        Some(file) => {
                            Msg::ImageMissingForm { src: src_owned(), file: file.clone() }
                        }
                        None => Msg::ImageMissing { src: src_owned() },
                    },
                };
                sink.push(spot.error(msg));
            } else if image_mime(src).is_none() {
                let types = IMAGE_TYPES.iter().map(|(ext, _)| (*ext).to_owned()).collect();
                sink.push(spot.error(Msg::ImageType { src: src_owned(), types }));
            }
        }
    }
}

/// The letters of the escapes written in a TOML string as it stands in the file (`t` for
/// `\t`; `\\` is a backslash, no escape); none in a literal string ('...', '''...''').
fn written_escapes(raw: &str) -> BTreeSet<char> {
    let mut out = BTreeSet::new();
    if raw.starts_with('\'') {
        return out;
    }
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.insert(next);
            }
        }
    }
    out
}

/// What mistaken TOML escapes left in a string (each kind once), and the TeX commands they
/// probably were: `\f`, `\b`, `\e` and `\r` (as in `\frac`, `\beta`, `\epsilon`, `\right`) become
/// control characters, `\t` (as in `\theta`, `\times`, `\to`) a tab, and `\n` (as in `\neq`,
/// `\nu`) a line break, which is only suspicious inside maths (`$...$`).
fn eaten_escapes(s: &str) -> Vec<Eaten> {
    let mut found = Vec::new();
    for (c, eaten) in [
        ('\u{c}', Eaten::FormFeed),
        ('\u{8}', Eaten::Backspace),
        ('\u{1b}', Eaten::Escape),
        ('\t', Eaten::Tab),
    ] {
        if s.contains(c) {
            found.push(eaten);
        }
    }
    let lone_cr = s.char_indices().any(|(i, c)| c == '\r' && !s[i + 1..].starts_with('\n'));
    if lone_cr {
        found.push(Eaten::CarriageReturn);
    }
    // Inside `$...$` (every other piece between dollar signs), a line break before a letter.
    let in_maths = s.split('$').skip(1).step_by(2);
    let broken = in_maths.into_iter().any(|m| {
        m.char_indices()
            .any(|(i, c)| c == '\n' && m[i + 1..].starts_with(|n: char| n.is_ascii_lowercase()))
    });
    if broken {
        found.push(Eaten::LineBreakInMaths);
    }
    found
}

/// Every prerequisite cycle, reported once each at the prerequisite that closes it, printed as
/// `a -> b -> a` (each skill followed by one of its prerequisites).
fn find_cycles(skills: &[SkillEntry], edges: &[Vec<(usize, &Spot)>]) -> Vec<Diagnostic> {
    const WHITE: u8 = 0;
    const GREY: u8 = 1;
    const BLACK: u8 = 2;
    let mut out = Vec::new();
    let mut colour = vec![WHITE; skills.len()];
    // Where each grey skill sits on the stack, to find a cycle's start without a scan.
    let mut depth_of = vec![0usize; skills.len()];
    for start in 0..skills.len() {
        if colour[start] != WHITE {
            continue;
        }
        // An explicit stack (no recursion: a hostile pack may chain thousands of skills).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = GREY;
        depth_of[start] = 0;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, spot)) = edges[v].get(*next) {
                *next += 1;
                if colour[w] == GREY {
                    let cycle = &stack[depth_of[w]..];
                    out.push(spot.error(cycle_msg(skills, edges, cycle)));
                } else if colour[w] == WHITE {
                    colour[w] = GREY;
                    depth_of[w] = stack.len();
                    stack.push((w, 0));
                }
            } else {
                colour[v] = BLACK;
                stack.pop();
            }
        }
    }
    out
}

/// `a -> b -> c -> a`, with the prerequisites that make the cycle (any one of them removed
/// breaks it); a cycle of more than 12 skills shows its first 6 and last 5 with a count
/// between, and only the prerequisite that closes it, so a hostile pack cannot make the report
/// quadratic in size.
/// `cycle` is the part of the DFS stack from the skill that closes the cycle: (skill, next edge),
/// each skill having gone on through the edge before its `next`.
fn cycle_msg(
    skills: &[SkillEntry],
    edges: &[Vec<(usize, &Spot)>],
    cycle: &[(usize, usize)],
) -> Msg {
    let name = |&(i, _): &(usize, usize)| skills[i].skill.id.to_string();
    let link = |&(v, next): &(usize, usize)| {
        let (w, spot) = edges[v][next - 1];
        CycleLink {
            skill: skills[v].skill.id.to_string(),
            prerequisite: skills[w].skill.id.to_string(),
            at: spot.location(),
        }
    };
    let (mut head, omitted, mut tail): (Vec<String>, usize, Vec<String>) = if cycle.len() > 12 {
        (
            cycle[..6].iter().map(name).collect(),
            cycle.len() - 11,
            cycle[cycle.len() - 5..].iter().map(name).collect(),
        )
    } else {
        (cycle.iter().map(name).collect(), 0, Vec::new())
    };
    let links = if omitted > 0 {
        cycle.last().map(link).into_iter().collect()
    } else {
        cycle.iter().map(link).collect()
    };
    if let Some(first) = cycle.first() {
        if omitted > 0 {
            tail.push(name(first));
        } else {
            head.push(name(first));
        }
    }
    Msg::PrerequisiteCycle { head, omitted, tail, links }
}

/// For each skill, the number of its strongly connected component in the prerequisite graph:
/// two skills have the same number when each needs the other, directly or not (they are on a
/// cycle). Kosaraju's algorithm, with explicit stacks.
fn cycle_groups(edges: &[Vec<(usize, &Spot)>]) -> Vec<usize> {
    let n = edges.len();
    // Skills in the order the depth-first search finishes them.
    let mut finished = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, _)) = edges[v].get(*next) {
                *next += 1;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                finished.push(v);
                stack.pop();
            }
        }
    }
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, out) in edges.iter().enumerate() {
        for &(w, _) in out {
            reverse[w].push(v);
        }
    }
    let mut group = vec![usize::MAX; n];
    for (g, &root) in finished.iter().rev().enumerate() {
        if group[root] != usize::MAX {
            continue;
        }
        group[root] = g;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            for &w in &reverse[v] {
                if group[w] == usize::MAX {
                    group[w] = g;
                    stack.push(w);
                }
            }
        }
    }
    group
}

/// The semantic version a teacher meant by a version written short or with a `v` (`1.0`,
/// `v1.0.0`, `2`): its numbers, with zeros for the missing ones.
fn semver_written_short(written: &str) -> Option<String> {
    let t = written.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    let parts: Vec<&str> = t.split('.').collect();
    let numbers = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 3 || !parts.iter().all(numbers) {
        return None;
    }
    let mut all: Vec<&str> = parts;
    all.resize(3, "0");
    let v = semver::Version::parse(&all.join(".")).ok()?;
    (v.to_string() != written).then(|| v.to_string())
}

/// The difficulty a word stands for (`easy`: -1.5), in English or Spanish.
fn difficulty_of_word(word: &str) -> Option<&'static str> {
    Some(match word.trim().to_lowercase().as_str() {
        "very easy" | "muy fácil" | "muy facil" => "-2.5",
        "easy" | "fácil" | "facil" => "-1.5",
        "medium" | "average" | "normal" | "medio" | "media" => "0",
        "hard" | "difficult" | "difícil" | "dificil" => "1.5",
        "very hard" | "muy difícil" | "muy dificil" => "2.5",
        _ => return None,
    })
}

/// The pack table `key` names, when it is one of `here` (the tables that belong elsewhere).
fn misfiled(key: &str, here: &[&str]) -> Option<Misfiled> {
    let table = match key {
        "skill" => Misfiled::Skill,
        "item" => Misfiled::Item,
        "lesson" => Misfiled::Lesson,
        _ => return None,
    };
    here.contains(&key).then_some(table)
}

/// Reports a bad id; `true` if it is good.
fn check_id(f: &mut TomlFile<'_>, s: &Str) -> bool {
    match IdProblem::of(&s.value) {
        None => true,
        Some(problem) => {
            let suggestion = crate::msg::suggested_id(&s.value);
            f.error(&s.span, &s.path, Msg::InvalidId { id: s.value.clone(), problem, suggestion });
            false
        }
    }
}

/// Reports an empty string; `true` if it is not empty.
/// `ids` without repeats: a repeated one is an error at the repeat (and dropped).
fn no_repeats(f: &mut TomlFile<'_>, ids: Vec<Str>) -> Vec<Str> {
    let mut kept: Vec<Str> = Vec::with_capacity(ids.len());
    for id in ids {
        if kept.iter().any(|k| k.value == id.value) {
            f.error(&id.span, &id.path, Msg::ListedTwice { value: id.value.clone() });
        } else {
            kept.push(id);
        }
    }
    kept
}

/// Warns about an HTML tag in a plain-text field that learners see (a title, a skill's name, a
/// unit): it is shown as written, not read as Markdown. `true`, so it chains as a filter.
fn plain_text(f: &mut TomlFile<'_>, s: &Str) -> bool {
    if let Some(tag) = html_tag_in(&s.value) {
        let d = f.spot(&s.span, &s.path).warning(Msg::MarkupInPlainText { tag });
        f.push(d);
    }
    true
}

/// The first HTML tag written in `text` (`<span lang='es'>`, `</b>`, `<br>`), as written: a
/// `<` with a letter (or `/` and a letter) right after it, up to the next `>` (no `<` between).
fn html_tag_in(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let name = after.strip_prefix('/').unwrap_or(after);
        let end = after.find('>');
        if name.starts_with(|c: char| c.is_ascii_alphabetic())
            && end.is_some_and(|e| !after[..e].contains('<'))
        {
            let tag = &rest[at..at + 2 + end.unwrap_or(0)];
            return Some(tag.chars().take(60).collect());
        }
        rest = after;
    }
    None
}

fn non_empty(f: &mut TomlFile<'_>, s: &Str) -> bool {
    if s.value.trim().is_empty() {
        f.error(&s.span, &s.path, Msg::MustNotBeEmpty);
        false
    } else {
        true
    }
}

/// Parses and checks the whole file; runs `read` on the top-level table unless the file is
/// broken or nested too deep. Returns `read`'s result, or `None`.
fn with_root<T>(
    f: &mut TomlFile<'_>,
    read: impl FnOnce(&mut TomlFile<'_>, Table<'_, '_>) -> T,
) -> Option<T> {
    let parsed = f.parse()?;
    if !f.check_depth(parsed.get_ref()) {
        return None;
    }
    let span = parsed.span();
    let root = Table { table: parsed.get_ref(), span: &span, path: "" };
    Some(read(f, root))
}

fn read_pack_toml(f: &mut TomlFile<'_>, a: &mut Analysis) -> Option<PackInfo> {
    with_root(f, |f, t| {
        let before = errors(f);
        t.check_fields(
            f,
            &[
                "schema",
                "id",
                "version",
                "title",
                "description",
                "languages",
                "text_language",
                "answer_language",
                "authors",
                "license",
            ],
            &|key| {
                misfiled(key, &["skill", "item", "lesson"])
                    .map(|table| Msg::TableInWrongFile { table })
            },
        );
        let schema = t.required(f, "schema").and_then(|field| {
            let n = field.integer(f)?;
            if n != i64::from(SCHEMA) {
                f.error(
                    &field.span,
                    &field.path,
                    Msg::SchemaUnsupported { schema: n, supported: SCHEMA },
                );
                return None;
            }
            Some(SCHEMA)
        });
        let id = t.string(f, "id", true).filter(|s| check_id(f, s));
        // A version written as a number (`version = 1.0`, no quotes) is the same mistake as
        // `"1.0"`, and gets the same advice: the version to write, in quotes.
        let unquoted = t.get("version").and_then(|field| {
            let written = match field.value {
                DeValue::Integer(i) => i.as_str(),
                DeValue::Float(x) => x.as_str(),
                _ => return None,
            };
            let value = written.to_owned();
            let suggestion = semver_written_short(written).map(|v| format!("\"{v}\""));
            let detail = "a version is text, written in quotes".to_owned();
            f.error(&field.span, &field.path, Msg::NotSemver { value, detail, suggestion });
            Some(())
        });
        let written = if unquoted.is_some() { None } else { t.string(f, "version", true) };
        let version = written.and_then(|s| match semver::Version::parse(&s.value) {
            Ok(v) if !v.build.is_empty() => {
                let (value, build) = (s.value.clone(), v.build.to_string());
                f.error(&s.span, &s.path, Msg::VersionBuildMetadata { value, build });
                None
            }
            Ok(v) => Some(v),
            Err(e) => {
                f.error(
                    &s.span,
                    &s.path,
                    Msg::NotSemver {
                        value: s.value.clone(),
                        detail: e.to_string(),
                        suggestion: semver_written_short(&s.value),
                    },
                );
                None
            }
        });
        let title = t.string(f, "title", true).filter(|s| non_empty(f, s) && plain_text(f, s));
        let description =
            t.string(f, "description", true).filter(|s| non_empty(f, s) && plain_text(f, s));
        let languages = t.strings(f, "languages", true).inspect(|langs| {
            if t.empty_array("languages") {
                if let Some(field) = t.get("languages") {
                    f.error(&field.span, &field.path, Msg::NoLanguages);
                }
            }
            for l in langs {
                if !is_language_tag(&l.value) {
                    let suggestion = suggested_language_tag(&l.value);
                    let value = l.value.clone();
                    f.error(&l.span, &l.path, Msg::NotLanguageTag { value, suggestion });
                }
            }
        });
        a.languages = languages.as_ref().map(|l| l.iter().map(|s| s.value.clone()).collect());
        let text_language =
            language_field(f, &t, "text_language", a.languages.as_deref(), |value, languages| {
                Msg::TextLanguageNotDeclared { value, languages }
            });
        let answer_language =
            language_field(f, &t, "answer_language", a.languages.as_deref(), |value, languages| {
                Msg::AnswerLanguageNotDeclared { value, languages }
            });
        let authors = t.strings(f, "authors", true);
        let license = t.string(f, "license", true).filter(|s| non_empty(f, s));
        if errors(f) > before {
            return None;
        }
        Some(PackInfo {
            schema: schema?,
            id: PackId::new(id?.value),
            version: version?,
            title: title?.value,
            description: description?.value,
            languages: languages?.into_iter().map(|s| s.value).collect(),
            text_language: text_language.map(|s| s.value),
            answer_language: answer_language.map(|s| s.value),
            authors: authors?.into_iter().map(|s| s.value).collect(),
            license: license?.value,
        })
    })
    .flatten()
}

/// A language field of pack.toml or of an item (`text_language`, `answer_language`), if
/// written: checked by [`checked_language`].
fn language_field(
    f: &mut TomlFile<'_>,
    t: &Table<'_, '_>,
    key: &str,
    languages: Option<&[String]>,
    not_declared: fn(String, Vec<String>) -> Msg,
) -> Option<Str> {
    let s = t.string(f, key, false)?;
    checked_language(f, s, languages, not_declared)
}

/// `s` when it is a language tag and one of `languages` (compared without regard to case, as
/// tags are) when those could be read; else reported (`not_declared` makes the message for a
/// tag the pack does not declare) and `None`.
fn checked_language(
    f: &mut TomlFile<'_>,
    s: Str,
    languages: Option<&[String]>,
    not_declared: fn(String, Vec<String>) -> Msg,
) -> Option<Str> {
    if !is_language_tag(&s.value) {
        let suggestion = suggested_language_tag(&s.value);
        let value = s.value.clone();
        f.error(&s.span, &s.path, Msg::NotLanguageTag { value, suggestion });
        return None;
    }
    if let Some(languages) = languages {
        if !languages.iter().any(|l| l.eq_ignore_ascii_case(&s.value)) {
            f.error(&s.span, &s.path, not_declared(s.value.clone(), languages.to_vec()));
            return None;
        }
    }
    Some(s)
}

fn errors(f: &TomlFile<'_>) -> usize {
    f.sink.error_count()
}

/// Warns when lesson files numbered with different widths (`2-`, `10-`) are taught in another
/// order than their numbers say: lessons follow their file names, character by character.
fn lesson_numbers(files: &[&String], sink: &mut Sink) {
    let numbered: Vec<(u64, &str)> = files
        .iter()
        .filter_map(|path| {
            let name = path.strip_prefix("lessons/")?;
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            Some((digits.parse().ok()?, path.as_str()))
        })
        .collect();
    for (i, &(n, first)) in numbered.iter().enumerate() {
        if let Some(&(_, second)) = numbered[i + 1..].iter().find(|(m, _)| *m < n) {
            sink.push(Diagnostic::new(
                Severity::Warning,
                first,
                None,
                "",
                Msg::LessonNumberWidths { first: first.to_owned(), second: second.to_owned() },
            ));
            return;
        }
    }
}

/// Where byte `at` of a string's `value` is in `raw`, the string as the file writes it: the
/// value's line holding `at`, found once in `raw` as it is, with `at`'s place in it. `None`
/// when that line is blank or short (it could be anywhere), written with escapes, or written
/// more than once.
fn in_file(raw: &str, value: &str, at: usize) -> Option<usize> {
    let start = value.get(..at)?.rfind('\n').map_or(0, |k| k + 1);
    let end = value[at..].find('\n').map_or(value.len(), |k| at + k);
    let line = &value[start..end];
    if line.trim().len() < 4 {
        return None;
    }
    let found = raw.find(line)?;
    if raw[found + 1..].contains(line) {
        return None;
    }
    Some(found + (at - start))
}

/// A loose BCP 47 check: a 2-3 letter ISO 639 primary tag (a language's name, `spanish`, is not
/// one), or the private-use `x-`, then subtags of 1-8 letters and digits.
pub(crate) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-').peekable();
    let primary = parts.next().unwrap_or("");
    let private = primary.eq_ignore_ascii_case("x") && parts.peek().is_some();
    ((2..=3).contains(&primary.len()) || private)
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The tag of a language written by its name, in English, in Spanish or in its own words
/// (`English`, `español`, `Français`: `en`, `es`, `fr`), or with an underscore where a tag has a
/// hyphen (`es_MX`: `es-MX`), so that the error says what to write.
pub(crate) fn suggested_language_tag(written: &str) -> Option<String> {
    const NAMES: &[(&str, &[&str])] = &[
        ("en", &["english", "inglés", "ingles"]),
        ("es", &["spanish", "español", "espanol", "castellano", "castilian"]),
        ("fr", &["french", "français", "francais", "francés", "frances"]),
        ("de", &["german", "deutsch", "alemán", "aleman"]),
        ("it", &["italian", "italiano"]),
        ("pt", &["portuguese", "português", "portugues", "portugués"]),
        ("ca", &["catalan", "català", "catalán"]),
        ("eu", &["basque", "euskara", "euskera", "vasco", "vascuence"]),
        ("gl", &["galician", "galego", "gallego"]),
        ("nl", &["dutch", "nederlands", "neerlandés", "neerlandes", "holandés", "holandes"]),
        ("ar", &["arabic", "árabe", "arabe"]),
        ("zh", &["chinese", "chino", "中文"]),
        ("ja", &["japanese", "japonés", "japones", "日本語"]),
        ("ru", &["russian", "ruso", "русский"]),
    ];
    let name = written.trim().to_lowercase();
    if let Some((tag, _)) = NAMES.iter().find(|(_, names)| names.contains(&name.as_str())) {
        return Some((*tag).to_owned());
    }
    let hyphens = written.trim().replace('_', "-");
    (hyphens != written && is_language_tag(&hyphens)).then_some(hyphens)
}

/// Reads skills.toml; true when every skill was read and kept (see `cross_check`).
fn read_skills(f: &mut TomlFile<'_>, a: &mut Analysis) -> bool {
    with_root(f, |f, t| {
        let headers = t.header_keys(f);
        t.check_fields(f, &["skill"], &|key| {
            if let Some(table) = misfiled(key, &["item", "lesson"]) {
                return Some(Msg::TableInWrongFile { table });
            }
            if headers.iter().any(|(k, _)| k == key) {
                return None;
            }
            SKILL_FIELDS
                .contains(&key)
                .then(|| Msg::FieldBeforeTable { key: key.to_owned(), table: "[[skill]]".into() })
        });
        let Some(tables) = t.tables(f, "skill", true) else {
            return false;
        };
        // Whether every skill was kept: else a reference to a dropped one is not "unknown".
        let mut complete = true;
        if tables.is_empty() {
            if let Some(field) = t.get("skill") {
                f.error(&field.span, &field.path, Msg::NoSkills);
            }
        }
        for st in &tables {
            let t = st.view();
            t.check_fields(f, SKILL_FIELDS, &|_| None);
            let id = t.string(f, "id", true).filter(|s| check_id(f, s));
            let name = t.string(f, "name", true).filter(|s| non_empty(f, s) && plain_text(f, s));
            let description = t.string(f, "description", false).filter(|s| non_empty(f, s));
            if let Some(d) = &description {
                a.markdown(f, d);
            }
            let prerequisites = t.strings(f, "prerequisites", false).unwrap_or_default();
            let prerequisites: Vec<Str> =
                prerequisites.into_iter().filter(|p| check_id(f, p)).collect();
            let prerequisites = no_repeats(f, prerequisites);
            // A skill with a wrong optional field is still kept for the reference checks.
            let (Some(id), Some(name)) = (id, name) else {
                complete = false;
                continue;
            };
            a.skills.push(SkillEntry {
                id_spot: f.spot(&id.span, &id.path),
                spot: f.spot(&st.span, &st.path),
                prerequisite_spots: prerequisites
                    .iter()
                    .map(|p| f.spot(&p.span, &p.path))
                    .collect(),
                skill: Skill {
                    id: SkillId::new(id.value),
                    name: name.value,
                    description: description.map(|d| d.value).unwrap_or_default(),
                    prerequisites: prerequisites
                        .into_iter()
                        .map(|p| SkillId::new(p.value))
                        .collect(),
                },
            });
        }
        complete
    })
    .unwrap_or(false)
}

fn read_lesson(f: &mut TomlFile<'_>, a: &mut Analysis) -> bool {
    with_root(f, |f, root| {
        let headers = root.header_keys(f);
        // The [lesson] line left out: the lesson's fields stand above every table. One mistake,
        // said once, instead of one "belongs to no table" per field and "no [lesson] table".
        let loose = if root.has("lesson") { Vec::new() } else { root.keys_among(LESSON_FIELDS) };
        if let Some((first, span)) = loose.first() {
            let keys = loose.iter().map(|(k, _)| k.clone()).collect();
            f.error(span, first, Msg::LessonLineMissing { keys });
        }
        let mut allowed = vec!["lesson", "item"];
        allowed.extend(loose.iter().map(|(k, _)| k.as_str()));
        root.check_fields(f, &allowed, &|key| {
            if let Some(table) = misfiled(key, &["skill"]) {
                return Some(Msg::TableInWrongFile { table });
            }
            // A header such as `[[feedback]]` is no key above the first header.
            if let Some((_, written)) = headers.iter().find(|(k, _)| k == key) {
                return is_item_field(key).then(|| Msg::ItemTableHeader {
                    written: written.clone(),
                    key: key.to_owned(),
                });
            }
            let table = if LESSON_FIELDS.contains(&key) {
                "[lesson]"
            } else if is_item_field(key) {
                "[[item]]"
            } else {
                return None;
            };
            Some(Msg::FieldBeforeTable { key: key.to_owned(), table: table.into() })
        });
        let item_tables = root.tables(f, "item", false).unwrap_or_default();
        let lesson_table = if root.has("lesson") {
            root.table(f, "lesson")
        } else {
            if loose.is_empty() {
                f.error(root.span, "lesson", Msg::NoLessonTable);
            }
            None
        };
        let Some(lt) = lesson_table else {
            // Still read the items, so that their own mistakes are reported too.
            for it in &item_tables {
                // The lesson is broken, so the items are checked but not kept.
                read_item(f, a, it, "");
            }
            return false;
        };
        let t = lt.view();
        let before = errors(f);
        t.check_fields(f, LESSON_FIELDS, &|_| None);
        let id = t.string(f, "id", true).filter(|s| check_id(f, s));
        let title = t.string(f, "title", true).filter(|s| non_empty(f, s) && plain_text(f, s));
        let skills_before = errors(f);
        let skills = t.strings(f, "skills", true);
        if let (Some(_), Some(field)) = (&skills, t.get("skills")) {
            if t.empty_array("skills") {
                f.error(&field.span, &field.path, Msg::LessonWithoutSkills);
            }
        }
        let skills: Vec<Str> =
            skills.unwrap_or_default().into_iter().filter(|s| check_id(f, s)).collect();
        let skills = no_repeats(f, skills);
        // Which skills are taught is only known when every lesson's list was read.
        let skills_complete = errors(f) == skills_before;
        // `fixed_order = ["b-1", "a-2"]`: the order pinned by ids. Said in `cross_check`, which
        // knows the lessons of those ids; the ids are only read, whatever their type.
        let pinned = t.get("fixed_order").and_then(|field| match field.value {
            toml::de::DeValue::Array(entries) => Some(PinnedOrder {
                ids: entries
                    .iter()
                    .filter_map(|e| match e.get_ref() {
                        toml::de::DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect(),
                spot: f.spot(&field.span, &field.path),
            }),
            _ => None,
        });
        let fixed_order =
            if pinned.is_some() { false } else { t.boolean(f, "fixed_order").unwrap_or(false) };
        let intro = t.string(f, "intro", false).filter(|s| non_empty(f, s));
        if let Some(intro) = &intro {
            a.markdown(f, intro);
        }
        let lesson_ok = errors(f) == before;
        let lesson_id = id.as_ref().map(|s| s.value.clone()).unwrap_or_default();
        let mut item_ids = Vec::new();
        for it in &item_tables {
            if let Some(item) = read_item(f, a, it, &lesson_id) {
                item_ids.push(item);
            }
        }
        let lesson = match (lesson_ok, &id, title) {
            (true, Some(id), Some(title)) => Some(Lesson {
                id: id.value.as_str().into(),
                title: title.value,
                skills: skills.iter().map(|s| SkillId::new(s.value.clone())).collect(),
                fixed_order,
                intro: intro.map(|s| s.value).unwrap_or_default(),
                items: item_ids,
            }),
            _ => None,
        };
        a.lessons.push(LessonEntry {
            lesson,
            id: id.map(|s| (s.value.clone(), f.spot(&s.span, &s.path))),
            spot: f.spot(&lt.span, &lt.path),
            skills: skills
                .into_iter()
                .map(|s| (s.value.clone(), f.spot(&s.span, &s.path)))
                .collect(),
            item_count: item_tables.len(),
            pinned,
        });
        skills_complete
    })
    .unwrap_or(false)
}

const SKILL_FIELDS: &[&str] = &["id", "name", "description", "prerequisites"];
const LESSON_FIELDS: &[&str] = &["id", "title", "skills", "fixed_order", "intro"];

/// Whether `key` is a field of some kind of item.
fn is_item_field(key: &str) -> bool {
    COMMON_ITEM_FIELDS.contains(&key) || KINDS.iter().any(|(_, fields)| fields.contains(&key))
}

/// Whether the table at `span` is written inline (`{ ... }`) rather than under a header.
fn written_inline(f: &TomlFile<'_>, span: &std::ops::Range<usize>) -> bool {
    f.text.get(span.start..).is_some_and(|t| t.starts_with('{'))
}

const COMMON_ITEM_FIELDS: &[&str] = &[
    "id",
    "kind",
    "skills",
    "prompt",
    "difficulty",
    "hints",
    "solution",
    "feedback",
    "answer_language",
];
const KINDS: &[(&str, &[&str])] = &[
    ("choice", &["choices", "correct", "shuffle"]),
    ("numeric", &["answer", "tolerance", "fractions", "unit"]),
    ("text", &["answers", "case_sensitive", "accents"]),
    ("cloze", &["blanks"]),
    ("order", &["order"]),
];

/// The kind meant by one that is not a kind: written with a capital or misspelt (`Numeric`,
/// `close`), in Spanish (`opción`, `numérico`, `huecos`) or in a worksheet's words (`multiple
/// choice`, `fill in the blanks`).
fn kind_meant(written: &str) -> Option<String> {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "choice",
            &[
                "multiple choice",
                "multiple-choice",
                "mcq",
                "opción",
                "opcion",
                "opciones",
                "elección",
                "eleccion",
                "opción múltiple",
                "opcion multiple",
                "test",
            ],
        ),
        ("numeric", &["number", "numerical", "numérico", "numerico", "número", "numero"]),
        ("text", &["short answer", "word", "texto", "palabra", "respuesta corta"]),
        (
            "cloze",
            &[
                "fill in the blanks",
                "fill-in-the-blanks",
                "fill in the blank",
                "blanks",
                "gaps",
                "huecos",
                "rellenar huecos",
                "completar",
            ],
        ),
        ("order", &["ordering", "sort", "sequence", "orden", "ordenar", "secuencia"]),
    ];
    let lower = written.trim().to_lowercase();
    let kinds: Vec<&str> = KINDS.iter().map(|(name, _)| *name).collect();
    if kinds.contains(&lower.as_str()) {
        return Some(lower);
    }
    if let Some((kind, _)) = WORDS.iter().find(|(_, words)| words.contains(&lower.as_str())) {
        return Some((*kind).to_owned());
    }
    crate::walk::closest(&lower, &kinds).map(str::to_owned)
}

/// Reads one `[[item]]`; returns its id when the item is valid (so the lesson can list it).
fn read_item(
    f: &mut TomlFile<'_>,
    a: &mut Analysis,
    it: &TableOwned<'_, '_>,
    lesson: &str,
) -> Option<ladder_core::ItemId> {
    let t = it.view();
    let before = errors(f);
    // `kind` decides which fields are allowed, so it is read before they are checked; a
    // misspelt `kind` (`kidn`) is reported there, as an unknown field, not also as missing.
    let every_field: Vec<&str> = COMMON_ITEM_FIELDS
        .iter()
        .chain(KINDS.iter().flat_map(|(_, fields)| fields.iter()))
        .copied()
        .collect();
    let kind_required = !t.misspells("kind", &every_field);
    let kind = t.string(f, "kind", kind_required).and_then(|k| {
        if KINDS.iter().any(|(name, _)| *name == k.value) {
            Some(k.value)
        } else {
            let suggestion = kind_meant(&k.value);
            f.error(&k.span, &k.path, Msg::UnknownKind { kind: k.value.clone(), suggestion });
            None
        }
    });
    let mut allowed: Vec<&str> = COMMON_ITEM_FIELDS.to_vec();
    match &kind {
        Some(kind) => {
            for (name, fields) in KINDS {
                if name == kind {
                    allowed.extend_from_slice(fields);
                }
            }
        }
        None => KINDS.iter().for_each(|(_, fields)| allowed.extend_from_slice(fields)),
    }
    let kind_name = kind.clone().unwrap_or_default();
    let under_header = !written_inline(f, &it.span);
    t.check_fields(f, &allowed, &|key| {
        if under_header && LESSON_FIELDS.contains(&key) {
            return Some(Msg::LessonFieldInItem { key: key.to_owned() });
        }
        if key == "answer" && kind_name == "choice" {
            if let Some(msg) = correct_meant(&t) {
                return Some(msg);
            }
        }
        if key == "answer" && kind_name == "text" {
            if let Some(msg) = answers_meant(&t, false) {
                return Some(msg);
            }
        }
        KINDS.iter().find(|(_, fields)| fields.contains(&key)).map(|(owner, _)| {
            Msg::FieldOfOtherKind {
                key: key.to_owned(),
                kind: kind_name.clone(),
                owner: (*owner).to_owned(),
            }
        })
    });
    let id = t.string(f, "id", true).filter(|s| check_id(f, s));
    let skills = t.strings(f, "skills", true);
    if let (Some(list), Some(field)) = (&skills, t.get("skills")) {
        if t.empty_array("skills") {
            f.error(&field.span, &field.path, Msg::ItemWithoutSkills);
        }
        let max = crate::limits::MODEL_SKILLS_PER_ITEM;
        if list.len() > max {
            let spot = f.spot(&field.span, &field.path);
            f.push(spot.warning(Msg::ModelSkillsPerItem { max, found: list.len() }));
        }
    }
    let skills: Vec<Str> =
        skills.unwrap_or_default().into_iter().filter(|s| check_id(f, s)).collect();
    let skills = no_repeats(f, skills);
    let prompt = t.string(f, "prompt", true).filter(|s| non_empty(f, s));
    if let Some(p) = &prompt {
        a.markdown(f, p);
    }
    // `difficulty = "easy"`: the number the word stands for.
    let word = t.get("difficulty").and_then(|field| match field.value {
        toml::de::DeValue::String(s) => difficulty_of_word(s).map(|n| (field, s.to_string(), n)),
        _ => None,
    });
    if let Some((field, word, number)) = &word {
        let msg = Msg::DifficultyWord { word: word.clone(), number: (*number).to_owned() };
        f.error(&field.span, &field.path, msg);
    }
    let difficulty = word.is_none().then(|| t.number(f, "difficulty", false)).flatten();
    let difficulty = difficulty.and_then(|(d, span, path)| {
        if (-3.0..=3.0).contains(&d) {
            Some(d)
        } else {
            f.error(&span, &path, Msg::DifficultyOutOfRange { difficulty: d.to_string() });
            None
        }
    });
    let hints = t.strings(f, "hints", false);
    if let (Some(n), Some(field)) = (hints.as_ref().map(Vec::len), t.get("hints")) {
        if n > crate::limits::MAX_HINTS {
            f.error(
                &field.span,
                &field.path,
                Msg::TooManyHints { max: crate::limits::MAX_HINTS, found: n },
            );
        }
    }
    for h in hints.iter().flatten() {
        if non_empty(f, h) {
            a.markdown(f, h);
        }
    }
    let solution = t.string(f, "solution", false).filter(|s| non_empty(f, s));
    if let Some(s) = &solution {
        a.markdown(f, s);
    }
    let spot = f.spot(&it.span, &it.path);
    if (!t.has("hints") || t.empty_array("hints")) && !t.misspells("hints", &allowed) {
        f.push(spot.warning(Msg::NoHints));
    }
    if solution.is_none() && !t.has("solution") && !t.misspells("solution", &allowed) {
        f.push(spot.warning(Msg::NoSolution));
    }
    let item_kind = match kind.as_deref() {
        Some("choice") => read_choice(f, a, &t),
        Some("numeric") => read_numeric(f, &t).map(ItemKind::Numeric),
        Some("text") => read_text(f, &t).map(ItemKind::Text),
        Some("cloze") => read_cloze(f, &t, prompt.as_ref()),
        Some("order") => read_order(f, a, &t),
        _ => None,
    };
    if let (Some(k), Some(p)) = (kind.as_deref(), &prompt) {
        // Only a cloze item's blanks are filled in; elsewhere learners see `{{1}}` as written.
        if k != "cloze" {
            if let Some(&(n, _)) =
                blank_markers(&p.value).iter().find(|&&(_, at)| !in_maths(&p.value, at))
            {
                let spot = f.spot(&p.span, &p.path);
                f.push(spot.warning(Msg::BlankOutsideCloze { blank: n }));
            }
        }
    }
    let feedback = read_feedback(f, a, &t, kind.as_deref(), item_kind.as_ref());
    // The language its answers are typed in. A choice or order item's learner types nothing, and
    // a number is typed alike in every language: there the field does nothing, which a warning
    // says (the pack works as it would without it), and it is not kept.
    let answer_language =
        t.string(f, "answer_language", false).and_then(|s| match kind.as_deref() {
            Some(k @ ("choice" | "numeric" | "order")) => {
                let spot = f.spot(&s.span, &s.path);
                f.push(spot.warning(Msg::AnswerLanguageNotTyped { kind: k.to_owned() }));
                None
            }
            _ => checked_language(f, s, a.languages.as_deref(), |value, languages| {
                Msg::AnswerLanguageNotDeclared { value, languages }
            }),
        });
    let ok = errors(f) == before;
    let entry_id = id.as_ref().map(|s| (s.value.clone(), f.spot(&s.span, &s.path)));
    let skill_refs: Vec<(String, Spot)> =
        skills.iter().map(|s| (s.value.clone(), f.spot(&s.span, &s.path))).collect();
    let item = match (ok, id, prompt, item_kind) {
        (true, Some(id), Some(prompt), Some(kind)) => Some(Item {
            id: id.value.as_str().into(),
            lesson: lesson.into(),
            skills: skills.into_iter().map(|s| SkillId::new(s.value)).collect(),
            prompt: prompt.value,
            difficulty,
            hints: hints.unwrap_or_default().into_iter().map(|h| h.value).collect(),
            solution: solution.map(|s| s.value),
            feedback,
            answer_language: answer_language.map(|s| s.value),
            kind,
        }),
        _ => None,
    };
    let item_id = item.as_ref().map(|i| i.id.clone());
    a.items.push(ItemEntry { item, id: entry_id, skills: skill_refs });
    item_id
}

fn read_choice(f: &mut TomlFile<'_>, a: &mut Analysis, t: &Table<'_, '_>) -> Option<ItemKind> {
    let choices = t.strings_whole(f, "choices", true);
    let n = choices.as_ref().map(Vec::len);
    if let (Some(n), Some(field)) = (n, t.get("choices")) {
        if !(2..=10).contains(&n) {
            f.error(&field.span, &field.path, Msg::ChoiceCount { found: n });
        }
    }
    let mut texts: Vec<&str> = Vec::new();
    for (i, c) in choices.iter().flatten().enumerate() {
        if non_empty(f, c) {
            a.markdown(f, c);
        }
        // Learners see the same option twice and cannot tell which one is right.
        let text = c.value.trim();
        if let Some(first) = texts.iter().position(|t| *t == text).filter(|_| !text.is_empty()) {
            f.error(&c.span, &c.path, Msg::ChoiceTwice { position: i + 1, first: first + 1 });
        }
        texts.push(text);
    }
    let correct = t.required(f, "correct").and_then(|field| {
        let list = field.integers(f, choices.as_ref().map(|_| texts.as_slice()))?;
        if field.array_len() == Some(0) {
            f.error(&field.span, &field.path, Msg::NoCorrectPosition);
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (p, span, path) in list {
            if let Some(n) = n {
                if p < 1 || p as u64 > n as u64 {
                    let msg = if p == 0 {
                        Msg::PositionZero
                    } else {
                        Msg::PositionOutOfRange { position: p, choices: n }
                    };
                    f.error(&span, &path, msg);
                    continue;
                }
            }
            if !seen.insert(p) {
                f.error(&span, &path, Msg::PositionTwice { position: p });
                continue;
            }
            out.push(usize::try_from(p).unwrap_or(0));
        }
        Some(out)
    });
    let shuffle = t.boolean(f, "shuffle").unwrap_or(true);
    Some(ItemKind::Choice {
        choices: choices?.into_iter().map(|c| c.value).collect(),
        correct: correct?,
        shuffle,
    })
}

/// `answer`, `tolerance`, `fractions` (and `unit` when `with_unit`) of a numeric item or blank.
fn read_numeric_fields(
    f: &mut TomlFile<'_>,
    t: &Table<'_, '_>,
    with_unit: bool,
) -> Option<NumericAnswer> {
    let answer = t.number(f, "answer", true).map(|(x, _, _)| x);
    let tolerance = match t.number(f, "tolerance", false) {
        Some((x, span, path)) if x < 0.0 => {
            f.error(&span, &path, Msg::NegativeTolerance);
            None
        }
        Some((x, _, _)) => Some(x),
        None => Some(0.0),
    };
    let fractions = t.boolean(f, "fractions").unwrap_or(false);
    let unit = if with_unit {
        t.string(f, "unit", false).filter(|u| non_empty(f, u) && plain_text(f, u)).map(|u| u.value)
    } else {
        None
    };
    Some(NumericAnswer { answer: answer?, tolerance: tolerance?, fractions, unit })
}

fn read_numeric(f: &mut TomlFile<'_>, t: &Table<'_, '_>) -> Option<NumericAnswer> {
    read_numeric_fields(f, t, true)
}

/// `answers`, `case_sensitive`, `accents` of a text item or blank.
/// The `accents` setting meant by a value in other words: with a capital or misspelt
/// (`Strict`, `stricts`), in Spanish (`estricto`, `ignorar`) or as a worksheet says it.
fn accents_meant(written: &str) -> Option<String> {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "strict",
            &[
                "estricto",
                "estricta",
                "estrictos",
                "estrictas",
                "exact",
                "exacto",
                "exacta",
                "required",
                "obligatorio",
                "obligatorias",
                "obligatorios",
            ],
        ),
        (
            "ignore",
            &[
                "ignored",
                "ignorar",
                "ignora",
                "ignorado",
                "ignoradas",
                "ignorados",
                "loose",
                "any",
                "cualquiera",
            ],
        ),
    ];
    let lower = written.trim().to_lowercase();
    if let Some((setting, _)) = WORDS.iter().find(|(_, words)| words.contains(&lower.as_str())) {
        return Some((*setting).to_owned());
    }
    crate::walk::closest(&lower, &["ignore", "strict"]).map(str::to_owned)
}

fn read_text(f: &mut TomlFile<'_>, t: &Table<'_, '_>) -> Option<TextAnswer> {
    let answers = t.strings(f, "answers", true);
    if let (Some(_), Some(field)) = (&answers, t.get("answers")) {
        if t.empty_array("answers") {
            f.error(&field.span, &field.path, Msg::NoAnswers);
        }
    }
    for s in answers.iter().flatten() {
        non_empty(f, s);
    }
    let case_sensitive = t.boolean(f, "case_sensitive").unwrap_or(false);
    let accents = match t.string(f, "accents", false) {
        None => Some(Accents::Ignore),
        Some(s) if s.value == "ignore" => Some(Accents::Ignore),
        Some(s) if s.value == "strict" => Some(Accents::Strict),
        Some(s) => {
            let suggestion = accents_meant(&s.value);
            f.error(&s.span, &s.path, Msg::BadAccents { value: s.value.clone(), suggestion });
            None
        }
    };
    Some(TextAnswer {
        answers: answers?.into_iter().map(|s| s.value).collect(),
        case_sensitive,
        accents: accents?,
    })
}

/// The `{{N}}` blanks of a cloze prompt, in order of appearance, with their byte offsets.
/// Whether byte `at` of Markdown `text` is inside maths (`$...$` or `$$...$$`; `\$` is a
/// dollar sign).
fn in_maths(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let (mut i, mut inside) = (0, false);
    while i < at.min(bytes.len()) {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => {
                inside = !inside;
                i += if bytes.get(i + 1) == Some(&b'$') { 2 } else { 1 };
            }
            _ => i += 1,
        }
    }
    inside
}

pub(crate) fn blank_markers(prompt: &str) -> Vec<(u64, usize)> {
    let mut out = Vec::new();
    let bytes = prompt.as_bytes();
    let mut i = 0;
    while let Some(rel) = prompt.get(i..).and_then(|s| s.find("{{")) {
        let start = i + rel;
        let digits_start = start + 2;
        let mut j = digits_start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > digits_start && prompt.get(j..).is_some_and(|s| s.starts_with("}}")) {
            let n =
                prompt.get(digits_start..j).and_then(|d| d.parse::<u64>().ok()).unwrap_or(u64::MAX);
            out.push((n, start));
            i = j + 2;
        } else {
            i = start + 1;
        }
    }
    out
}

/// The blanks written loosely in a prompt, by number, each as first written: with spaces
/// inside its braces (`{{ 1 }}`), or with single braces outside maths (`{1}`, `{ 1 }`; in
/// maths, `\frac{1}{2}` is TeX). One pass, tracking maths as [`in_maths`] does.
fn loose_blanks(prompt: &str) -> HashMap<u64, String> {
    let bytes = prompt.as_bytes();
    let mut out = HashMap::new();
    let (mut i, mut inside) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => {
                inside = !inside;
                i += if bytes.get(i + 1) == Some(&b'$') { 2 } else { 1 };
            }
            b'{' => match loose_blank_at(bytes, i, inside) {
                Some((n, end)) => {
                    if let Some(written) = prompt.get(i..end) {
                        out.entry(n).or_insert_with(|| written.to_owned());
                    }
                    i = end;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    out
}

/// A loosely written blank starting at `start` (a `{`): its number and where it ends.
fn loose_blank_at(bytes: &[u8], start: usize, in_maths: bool) -> Option<(u64, usize)> {
    let run = |from: usize, f: fn(u8) -> bool| {
        bytes.get(from..).map_or(0, |rest| rest.iter().take_while(|&&b| f(b)).count())
    };
    let mut j = start + 1;
    let double = bytes.get(j) == Some(&b'{');
    if double {
        j += 1;
    }
    let spaces_before = run(j, |b| b == b' ');
    j += spaces_before;
    let digits = run(j, |b| b.is_ascii_digit());
    let n = std::str::from_utf8(bytes.get(j..j + digits)?).ok()?.parse::<u64>().ok()?;
    j += digits;
    let spaces_after = run(j, |b| b == b' ');
    j += spaces_after;
    let close: &[u8] = if double { b"}}" } else { b"}" };
    if !bytes.get(j..)?.starts_with(close) {
        return None;
    }
    let spaced = spaces_before + spaces_after > 0;
    ((double && spaced) || (!double && !in_maths)).then_some((n, j + close.len()))
}

/// `answer = 1`, `answer = [1, 3]` or `answer = "12 °C"` (a choice's text) on a choice item
/// with its `choices` and without `correct`: the positions in `correct` were meant, and the
/// message gives them when the answer names choices.
fn correct_meant(t: &Table<'_, '_>) -> Option<Msg> {
    use toml::de::DeValue;
    if t.get("correct").is_some() {
        return None;
    }
    let DeValue::Array(choices) = t.get("choices")?.value else {
        return None;
    };
    let texts: Vec<String> = choices
        .iter()
        .filter_map(|v| match v.get_ref() {
            DeValue::String(s) => Some(s.trim().to_owned()),
            _ => None,
        })
        .collect();
    let position = |v: &DeValue<'_>| -> Option<i64> {
        match v {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            DeValue::String(s) => {
                texts.iter().position(|c| c == s.trim()).and_then(|p| i64::try_from(p + 1).ok())
            }
            _ => None,
        }
    };
    let positions = match t.get("answer")?.value {
        DeValue::Array(items) => items.iter().map(|v| position(v.get_ref())).collect(),
        other => position(other).map(|p| vec![p]),
    };
    let value = positions.filter(|p: &Vec<i64>| !p.is_empty()).map(|p| {
        let p: Vec<String> = p.iter().map(i64::to_string).collect();
        format!("[{}]", p.join(", "))
    });
    Some(Msg::WriteCorrect { value })
}

/// `answer = "half"` (or a list of words) on a text item or blank, without `answers`: the
/// accepted answers were meant, and the message gives the list to write. `None` for a number,
/// which belongs to a numeric item or blank.
fn answers_meant(t: &Table<'_, '_>, blank: bool) -> Option<Msg> {
    if t.get("answers").is_some() {
        return None;
    }
    let quoted = |s: &str| {
        if !s.contains(['"', '\\']) && !s.chars().any(char::is_control) {
            format!("\"{s}\"")
        } else if !s.contains('\'') && !s.chars().any(char::is_control) {
            format!("'{s}'")
        } else {
            format!("{s:?}")
        }
    };
    use toml::de::DeValue;
    let words: Vec<String> = match t.get("answer")?.value {
        DeValue::String(s) => vec![quoted(s)],
        DeValue::Array(items) if !items.is_empty() => items
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::String(s) => Some(quoted(s)),
                _ => None,
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    Some(Msg::WriteAnswersList { blank, value: format!("[{}]", words.join(", ")) })
}

fn read_cloze(f: &mut TomlFile<'_>, t: &Table<'_, '_>, prompt: Option<&Str>) -> Option<ItemKind> {
    let tables = t.tables(f, "blanks", true)?;
    let field = t.get("blanks")?;
    if tables.is_empty() {
        f.error(&field.span, &field.path, Msg::ClozeWithoutBlanks);
    }
    let mut blanks = Vec::new();
    let mut all_ok = true;
    for bt in &tables {
        let b = bt.view();
        let numeric = b.boolean(f, "numeric").unwrap_or(false);
        let (allowed, other): (&[&str], &[&str]) = if numeric {
            (
                &["numeric", "answer", "tolerance", "fractions"],
                &["answers", "case_sensitive", "accents"],
            )
        } else {
            (
                &["numeric", "answers", "case_sensitive", "accents"],
                &["answer", "tolerance", "fractions"],
            )
        };
        b.check_fields(f, allowed, &|key| {
            if key == "answer" && !numeric {
                if let Some(msg) = answers_meant(&b, true) {
                    return Some(msg);
                }
            }
            other.contains(&key).then(|| {
                let key = key.to_owned();
                if numeric {
                    Msg::FieldNotForNumericBlank { key }
                } else {
                    Msg::FieldOnlyForNumericBlanks { key }
                }
            })
        });
        let blank = if numeric {
            read_numeric_fields(f, &b, false).map(Blank::Numeric)
        } else {
            read_text(f, &b).map(Blank::Text)
        };
        match blank {
            Some(bl) => blanks.push(bl),
            None => all_ok = false,
        }
    }
    if let Some(prompt) = prompt {
        let markers = blank_markers(&prompt.value);
        let k = tables.len() as u64;
        let mut seen = BTreeSet::new();
        for &(n, _) in &markers {
            if n == 0 || n > k {
                f.error(&prompt.span, &prompt.path, Msg::BlankWithoutEntry { blank: n, blanks: k });
            } else if !seen.insert(n) {
                f.error(&prompt.span, &prompt.path, Msg::BlankTwice { blank: n });
            }
        }
        // Read once, when an entry has no blank (a prompt may be long, with many entries).
        let mut loose = None;
        for (i, bt) in tables.iter().enumerate() {
            let n = i as u64 + 1;
            if seen.contains(&n) {
                continue;
            }
            let loose = loose.get_or_insert_with(|| loose_blanks(&prompt.value));
            match loose.remove(&n) {
                Some(written) => {
                    f.error(&prompt.span, &prompt.path, Msg::BlankMiswritten { blank: n, written })
                }
                None => f.error(&bt.span, &bt.path, Msg::BlankNotInPrompt { blank: n }),
            }
        }
    }
    all_ok.then_some(ItemKind::Cloze { blanks })
}

fn read_order(f: &mut TomlFile<'_>, a: &mut Analysis, t: &Table<'_, '_>) -> Option<ItemKind> {
    let order = t.strings_whole(f, "order", true)?;
    if order.len() < 2 {
        if let Some(field) = t.get("order") {
            f.error(&field.span, &field.path, Msg::OrderTooShort { found: order.len() });
        }
    }
    for e in &order {
        if non_empty(f, e) {
            a.markdown(f, e);
        }
    }
    Some(ItemKind::Order { order: order.into_iter().map(|e| e.value).collect() })
}

/// A feedback `answer`: a string, or a number written without quotes.
fn feedback_answer(f: &mut TomlFile<'_>, field: &Field<'_, '_>) -> Option<String> {
    use toml::de::DeValue;
    match field.value {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Integer(_) | DeValue::Float(_) => {
            let text = f.text.get(field.span.clone()).unwrap_or("").trim();
            Some(text.replace('_', ""))
        }
        other => {
            f.error(&field.span, &field.path, expected(Expect::String, other));
            None
        }
    }
}

/// The feedback of an item. `declared` is the item's `kind` when it is a known one, and `kind`
/// what was read of it (`None` when its own fields have mistakes): which fields a feedback entry
/// takes follows the declared kind, so a cloze item with a broken blank still takes `blank`.
fn read_feedback(
    f: &mut TomlFile<'_>,
    a: &mut Analysis,
    t: &Table<'_, '_>,
    declared: Option<&str>,
    kind: Option<&ItemKind>,
) -> Vec<Feedback> {
    let Some(field) = t.get("feedback") else {
        return Vec::new();
    };
    if declared == Some("order") {
        f.error(&field.span, &field.path, Msg::FeedbackOnOrder);
        return Vec::new();
    }
    let Some(tables) = t.tables(f, "feedback", false) else {
        return Vec::new();
    };
    let cloze = declared == Some("cloze");
    let mut out = Vec::new();
    for ft in &tables {
        let fb = ft.view();
        // Of an item whose kind is missing or unknown, `blank` is not blamed: the kind is.
        let allowed: &[&str] = if cloze || declared.is_none() {
            &["answer", "message", "blank"]
        } else {
            &["answer", "message"]
        };
        let under_header = !written_inline(f, &ft.span);
        fb.check_fields(f, allowed, &|key| {
            if key == "blank" {
                Some(Msg::FieldOnlyForClozeFeedback { key: key.to_owned() })
            } else if under_header && is_item_field(key) {
                Some(Msg::ItemFieldAfterFeedback { key: key.to_owned() })
            } else {
                None
            }
        });
        let answer_field = fb.required(f, "answer");
        let answer = answer_field.as_ref().and_then(|af| feedback_answer(f, af));
        let message = fb.string(f, "message", true).filter(|m| non_empty(f, m));
        if let Some(m) = &message {
            a.markdown(f, m);
        }
        let blank = if cloze {
            fb.required_with(f, "blank", Msg::FeedbackWithoutBlank).and_then(|bf| {
                let n = bf.integer(f)?;
                // Without the blanks (they have mistakes of their own, already reported), the
                // number cannot be checked yet.
                let Some(ItemKind::Cloze { blanks }) = kind else {
                    return None;
                };
                let count = blanks.len();
                if n < 1 || n as u64 > count as u64 {
                    f.error(
                        &bf.span,
                        &bf.path,
                        Msg::FeedbackNoSuchBlank { blank: n, blanks: count },
                    );
                    return None;
                }
                Some(n as usize)
            })
        } else {
            None
        };
        if let (Some(ans), Some(af)) = (&answer, &answer_field) {
            check_feedback_answer(f, kind, ans, blank, af);
        }
        if let (Some(answer), Some(message)) = (answer, message) {
            if !cloze || blank.is_some() {
                out.push(Feedback { answer, message: message.value, blank });
            }
        }
    }
    out
}

/// Reports a feedback answer that can never match a learner's answer.
fn check_feedback_answer(
    f: &mut TomlFile<'_>,
    kind: Option<&ItemKind>,
    answer: &str,
    blank: Option<usize>,
    field: &Field<'_, '_>,
) {
    // Feedback is shown only for a wrong answer (ladder_core::grading), so an entry that is
    // itself a right answer could never be seen.
    let right = |f: &mut TomlFile<'_>, only_because: Option<Loosened>| {
        let msg = Msg::FeedbackRightAnswer { answer: answer.to_owned(), only_because };
        f.error(&field.span, &field.path, msg);
    };
    let numeric = |f: &mut TomlFile<'_>, spec: &NumericAnswer| {
        if parse_number(answer, true, spec.unit.as_deref()).is_none() {
            f.error(&field.span, &field.path, Msg::FeedbackNotNumber { answer: answer.to_owned() });
        } else if numeric_matches(spec, answer) {
            right(f, None);
        }
    };
    let text = |f: &mut TomlFile<'_>, spec: &TextAnswer| {
        if answer.trim().is_empty() {
            f.error(&field.span, &field.path, Msg::MustNotBeEmpty);
        } else if text_matches(spec, answer) {
            // Right only by a default that ignores something: the setting that tells it apart.
            let strict_accents = TextAnswer { accents: Accents::Strict, ..spec.clone() };
            let strict_case = TextAnswer { case_sensitive: true, ..spec.clone() };
            let only_because = if !text_matches(&strict_accents, answer) {
                Some(Loosened::Accents)
            } else if !text_matches(&strict_case, answer) {
                Some(Loosened::Case)
            } else {
                None
            };
            right(f, only_because);
        }
    };
    match kind {
        Some(ItemKind::Choice { choices, correct, .. }) => match parse_positions(answer) {
            None => {
                // The choice named as on a worksheet: by its text, or by its letter.
                let written = answer.trim();
                let msg =
                    match (choices.iter().position(|c| c.trim() == written), written.as_bytes()) {
                        (Some(i), _) => {
                            Msg::FeedbackChoiceText { answer: answer.to_owned(), position: i + 1 }
                        }
                        (None, [b @ (b'a'..=b'z' | b'A'..=b'Z')]) => Msg::PositionLetter {
                            letter: written.to_ascii_uppercase(),
                            position: u32::from(b.to_ascii_uppercase() - b'A') + 1,
                        },
                        (None, _) => Msg::FeedbackNotPositions { answer: answer.to_owned() },
                    };
                f.error(&field.span, &field.path, msg)
            }
            Some(set) => {
                if let Some(p) = set.iter().find(|&&p| p < 1 || p > choices.len()) {
                    let msg = if *p == 0 {
                        Msg::PositionZero
                    } else {
                        Msg::PositionOutOfRange {
                            position: i64::try_from(*p).unwrap_or(i64::MAX),
                            choices: choices.len(),
                        }
                    };
                    f.error(&field.span, &field.path, msg);
                } else if correct.len() == 1 && set.len() > 1 {
                    f.error(
                        &field.span,
                        &field.path,
                        Msg::FeedbackTooManyPicks { answer: answer.to_owned(), picks: set.len() },
                    );
                } else if set == correct.iter().copied().collect::<BTreeSet<usize>>() {
                    right(f, None);
                }
            }
        },
        Some(ItemKind::Numeric(spec)) => numeric(f, spec),
        Some(ItemKind::Text(spec)) => text(f, spec),
        Some(ItemKind::Cloze { blanks }) => match blank.and_then(|b| blanks.get(b - 1)) {
            Some(Blank::Numeric(spec)) => numeric(f, spec),
            Some(Blank::Text(spec)) => text(f, spec),
            None => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_in_order() {
        let m: Vec<u64> =
            blank_markers("$\\frac{ {{1}} }{4} = \\frac{3}{ {{2}} }$ {{x}} {{}} {{12}}")
                .into_iter()
                .map(|(n, _)| n)
                .collect();
        assert_eq!(m, vec![1, 2, 12]);
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("es-MX"));
        assert!(is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag("en_US"));
        assert!(!is_language_tag(""));
    }
}
