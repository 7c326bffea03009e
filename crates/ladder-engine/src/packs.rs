//! Packs in the store: how a loaded pack becomes a [`PackContent`] the store installs, and how
//! an installed pack becomes the engine's [`Course`] again.
//!
//! The store keeps a pack's non-item content as one JSON value (`meta`) and each item as JSON.
//! The engine writes `meta` as `{"info": PackInfo, "skills": [Skill], "lessons": [Lesson]}` (the
//! serde forms of `ladder-pack` and `ladder-core`) and items as serde [`Item`]s, and reads them
//! back the same way. Every front end installs through [`crate::Engine::install_pack`] (or
//! [`pack_content`]), so the two sides cannot drift.

use ladder_core::{Item, ItemKind, Lesson, Skill};
use ladder_pack::Pack;
use ladder_store::{ItemContent, PackContent, PackFile, Tx};
use serde::{Deserialize, Serialize};

use crate::course::{Course, CourseBuilder};
use crate::error::{Error, Result};

/// The `meta` JSON of an installed pack.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackMeta {
    pub info: serde_json::Value,
    pub skills: Vec<Skill>,
    pub lessons: Vec<Lesson>,
}

/// What the store installs for `pack`.
pub fn pack_content(pack: &Pack) -> Result<PackContent> {
    let meta = PackMeta {
        info: serde_json::to_value(&pack.info).map_err(Error::internal_from)?,
        skills: pack.skills.clone(),
        lessons: pack.lessons.clone(),
    };
    let items = pack
        .items
        .iter()
        .map(|item| {
            Ok(ItemContent {
                id: item.id.to_string(),
                content: serde_json::to_value(item).map_err(Error::internal_from)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PackContent {
        id: pack.info.id.to_string(),
        version: pack.info.version.to_string(),
        title: pack.info.title.clone(),
        meta: serde_json::to_value(&meta).map_err(Error::internal_from)?,
        items,
        files: pack
            .media()
            .map(|(path, bytes)| PackFile { path: path.to_owned(), bytes: bytes.to_vec() })
            .collect(),
    })
}

/// An installed course as the engine holds it: the indexed view and the content to show.
#[derive(Debug, Clone)]
pub struct LoadedCourse {
    pub course: Course,
    pub description: String,
    /// The content's languages, as `pack.toml` declares them.
    pub languages: Vec<String>,
    /// The language of the pack's own text: `pack.toml`'s `text_language`, else its only
    /// language; `None` for a pack in several languages that names none ([`text_language`]).
    pub text_language: Option<String>,
    /// The language the learners type the course's answers in: `pack.toml`'s
    /// `answer_language`, else the language of its text; an item may name its own
    /// ([`answer_language`]).
    pub answer_language: Option<String>,
    pub skills: Vec<Skill>,
    pub lessons: Vec<Lesson>,
    /// By position, aligned with `course.items`.
    pub items: Vec<Item>,
    /// The installed revision of each item, aligned with `items` (the store's `revision`, which
    /// an upgrade that changes the item raises).
    pub revisions: Vec<i64>,
}

/// Builds the engine's view of a pack from its parts.
pub fn build_course(
    pack_id: &str,
    version: &str,
    title: &str,
    skills: &[Skill],
    lessons: &[Lesson],
    items: &[Item],
) -> Result<Course> {
    let mut b = CourseBuilder::new(pack_id, version, title);
    for s in skills {
        b.add_skill(
            s.id.as_str(),
            &s.name,
            s.prerequisites.iter().map(|p| p.to_string()).collect(),
        );
    }
    for l in lessons {
        b.add_lesson(
            l.id.as_str(),
            &l.title,
            l.skills.iter().map(|s| s.to_string()).collect(),
            l.fixed_order,
        );
    }
    for i in items {
        b.add_item(
            i.lesson.as_str(),
            i.id.as_str(),
            i.skills.iter().map(|s| s.to_string()).collect(),
            i.difficulty.unwrap_or(0.0) as f32,
            u8::try_from(i.hints.len()).unwrap_or(u8::MAX - 1),
            i.solution.is_some(),
        );
    }
    b.build()
}

/// Loads an installed pack from the store (`None` when it is not installed).
pub fn load_course(tx: &Tx<'_>, pack_id: &str) -> Result<Option<LoadedCourse>> {
    let Some(installed) = tx.pack(pack_id)? else { return Ok(None) };
    if installed.removed.is_some() {
        return Ok(None);
    }
    let Some(meta) = tx.pack_meta(pack_id)? else { return Ok(None) };
    let meta: PackMeta = serde_json::from_value(meta)
        .map_err(|e| Error::pack(format!("the installed pack {pack_id} cannot be read: {e}")))?;
    let stored = tx.items(pack_id)?;
    let revisions = stored.iter().map(|s| s.revision.revision).collect();
    let items = stored
        .into_iter()
        .map(|s| {
            serde_json::from_value::<Item>(s.revision.content).map_err(|e| {
                Error::pack(format!(
                    "item {} of pack {pack_id} cannot be read: {e}",
                    s.revision.item
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let course = build_course(
        pack_id,
        &installed.version,
        &installed.title,
        &meta.skills,
        &meta.lessons,
        &items,
    )?;
    let description =
        meta.info.get("description").and_then(|d| d.as_str()).unwrap_or("").to_owned();
    let languages: Vec<String> = meta
        .info
        .get("languages")
        .and_then(|l| l.as_array())
        .map(|l| l.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let named = meta.info.get("text_language").and_then(|l| l.as_str());
    let text_language = text_language(named, &languages).map(str::to_owned);
    let answer_language = meta
        .info
        .get("answer_language")
        .and_then(|l| l.as_str())
        .map(str::to_owned)
        .or_else(|| text_language.clone());
    Ok(Some(LoadedCourse {
        course,
        description,
        languages,
        text_language,
        answer_language,
        skills: meta.skills,
        lessons: meta.lessons,
        items,
        revisions,
    }))
}

/// The language a pack's own text is written in, for a front end to mark that text with (HTML
/// `lang`): `named` (`pack.toml`'s `text_language`, which the validator keeps among
/// `languages`), else the only one of `languages`; `None` for a pack in several languages that
/// names none (its words are then in the UI's language, as far as anyone can tell).
pub fn text_language<'a>(named: Option<&'a str>, languages: &'a [String]) -> Option<&'a str> {
    match (named, languages) {
        (Some(tag), _) => Some(tag),
        (None, [only]) => Some(only),
        (None, _) => None,
    }
}

/// The language a learner types `item`'s answers in, for a front end to mark the answer boxes
/// with (HTML `lang`), so that a screen reader says back the learner's words with that
/// language's sounds: the item's own `answer_language`, else `course`'s (`pack.toml`'s
/// `answer_language`, else the language of the pack's text: [`LoadedCourse::answer_language`]).
/// `None` for an item whose learner types no words (choice and order items pick and move, and a
/// numeric item's number is typed alike in every language: its box keeps the UI's language),
/// and for a pack in several languages that names neither.
pub fn answer_language<'a>(item: &'a Item, course: Option<&'a str>) -> Option<&'a str> {
    match item.kind {
        ItemKind::Text(_) | ItemKind::Cloze { .. } => item.answer_language.as_deref().or(course),
        ItemKind::Choice { .. } | ItemKind::Numeric(_) | ItemKind::Order { .. } => None,
    }
}

/// The engine's message for a pack the validator refused: a header line, then its report, one
/// problem per line (`file:line:column: field: message`), in `language`. Engine errors are
/// English; a front end whose UI speaks another language asks [`problems_in`] for this text.
pub fn invalid_pack_message(report: &ladder_pack::Report, language: crate::Language) -> String {
    match language {
        crate::Language::En => format!("the pack is not valid:\n{report}"),
        crate::Language::Es => {
            format!("el paquete no es válido:\n{}", report.render(ladder_pack::Lang::Es))
        }
    }
}

/// The validator's problems with the pack at `path`, as [`invalid_pack_message`] writes them in
/// `language`: for a front end that got the engine's `pack` error (English) and shows it in its
/// UI's language. `None` when the pack is valid or cannot be read (the error was another one).
pub fn problems_in(path: &std::path::Path, language: crate::Language) -> Option<String> {
    let checked = ladder_pack::validate(path).ok()?;
    (!checked.report.is_valid()).then(|| invalid_pack_message(&checked.report, language))
}

/// Why the store refused to install the (valid) pack at `path` over what is installed, in
/// `language`, for a front end that got the engine's `conflict` (English, the store's words): an
/// older version than the installed one (or than the one removed with its history kept), or the
/// same version with other content or pictures. `None` for English, for a pack that does not
/// validate, and when none of these applies (the error was another one).
pub fn install_refusal_in(
    store: &ladder_store::Store,
    path: &std::path::Path,
    language: crate::Language,
) -> Option<String> {
    if language == crate::Language::En {
        return None;
    }
    let pack = ladder_pack::validate(path).ok()?.pack?;
    refusal_in(store, &pack, language)
}

/// Why the store refuses to install the validated `pack` over what is installed, in
/// `language`, as [`install_refusal_in`] says it (`None` for English, and when the store has no
/// such refusal for it). Written as the store's English refusal is, a clause that starts in
/// lower case and has no full stop: the CLI prints it after `error: ` and the app lists it
/// among the validator's lines, where both languages then read alike.
pub fn refusal_in(
    store: &ladder_store::Store,
    pack: &Pack,
    language: crate::Language,
) -> Option<String> {
    if language == crate::Language::En {
        return None;
    }
    let (id, offered) = (pack.info.id.to_string(), pack.info.version.to_string());
    let installed = store.read(|tx| tx.pack(&id)).ok()??;
    // Semantic versions, pre-releases included (1.1.0-beta is older than 1.1.0), as the store
    // compares them.
    let want = &pack.info.version;
    let have = parsed_like(want, &installed.version)?;
    let old = &installed.version;
    match (want.cmp(&have), installed.removed.is_some()) {
        (std::cmp::Ordering::Less, false) => Some(format!(
            "el paquete {id} {offered} es más antiguo que la versión instalada ({old}): no se \
             instala una versión anterior; para volver a este contenido, dale una versión \
             posterior a la {old} (version en pack.toml)"
        )),
        (std::cmp::Ordering::Less, true) => Some(format!(
            "el paquete {id} {offered} es más antiguo que la versión {old}, que se quitó \
             conservando el historial de los alumnos: instala la {old} o una posterior para \
             recuperarlo"
        )),
        (std::cmp::Ordering::Equal, false) => {
            // What differs, as the store's English refusal names it.
            let content = pack_content(pack).ok()?;
            let changes = store.read(|tx| tx.pack_changes(&content)).ok()?;
            let what = if changes.is_empty() {
                String::new()
            } else {
                let said = changes.summary_with(
                    |c| change_es(c.part.key(), c.change.key(), &c.id),
                    |n| format!("y {n} más"),
                );
                format!(" ({said})")
            };
            Some(format!(
                "la versión {offered} de {id} ya está instalada con otro contenido{what}: sube la \
                 versión del paquete (version en pack.toml) para instalar los cambios"
            ))
        }
        _ => None,
    }
}

/// What installing a pack would change, for an import preview ([`crate::Engine::preview_pack`]):
/// the store's dry run, the lines of the report that its lists do not say, and the validator's
/// warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackPreview {
    pub diff: ladder_store::PackDiff,
    pub changes: Vec<ChangeLine>,
    /// The validator's warnings about the pack, one line each as `ladder pack validate` prints
    /// them (`file:line:column: warning: field: message`), in the engine's language: what a
    /// teacher should still fix (a `\f` that ate `\frac`, an item without a worked solution),
    /// though the pack installs.
    pub warnings: Vec<String>,
}

/// One line of an install report about what [`ladder_store::PackDiff`] does not name: a label
/// and the ids (or picture paths, or fields of `pack.toml`) it lists, or a whole sentence with
/// no ids.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub label: String,
    pub ids: Vec<String>,
}

/// The words of those lines in one language.
struct ChangeWords {
    details: &'static str,
    /// Skills, lessons, pictures: new, changed, removed, and the sentence for a new order.
    parts: [(&'static str, [&'static str; 4]); 3],
    renamed_item: fn(&str, &str, i64) -> String,
    renamed_part: fn(&str, &str, &str) -> String,
    /// The items listed as changed whose only change follows a renamed lesson or skill.
    following_renames: &'static str,
    /// A new pack that looks like an installed one: its id, version, title, learners with
    /// history, and whether it was removed (with its history kept).
    look_alike: fn(&str, &str, &str, i64, bool) -> String,
}

/// Where the rule on ids is documented, for the rename lines.
const IDS_DOC: &str = "docs/pack-format.md, \"Ids are what history follows\"";

const CHANGES_EN: ChangeWords = ChangeWords {
    details: "pack.toml changed",
    parts: [
        ("skill", ["skills new", "skills changed", "skills removed", "skills in another order"]),
        (
            "lesson",
            ["lessons new", "lessons changed", "lessons removed", "lessons in another order"],
        ),
        (
            "picture",
            ["pictures new", "pictures changed", "pictures removed", "pictures in another order"],
        ),
    ],
    renamed_item: |from, to, learners| {
        let history = match learners {
            0 => format!("no learner has answered {from} yet"),
            1 => format!("the answers of 1 learner on {from} no longer count toward {to}"),
            n => format!("the answers of {n} learners on {from} no longer count toward {to}"),
        };
        format!(
            "renamed? {from} -> {to}: removed and added with the same content; {history} \
             (an item's id is what its history follows: keep the id {from} to keep them \
             counting; {IDS_DOC})"
        )
    },
    renamed_part: |part, from, to| {
        let after = if part == "lesson" {
            format!(
                "; a session practising lesson {from} is refused at its next step (end it and \
                 start a new one)"
            )
        } else {
            String::new()
        };
        format!(
            "renamed? {part} {from} -> {to}: removed and added with the same content; answers \
             keep counting (they follow the items){after}"
        )
    },
    following_renames: "changed only to follow a renamed lesson or skill, nothing else edited",
    look_alike: |id, version, title, learners, removed| {
        let state = if removed { "removed with its history kept" } else { "installed" };
        let history = match learners {
            0 => "no learner has history with it".to_owned(),
            1 => "1 learner has history with it".to_owned(),
            n => format!("{n} learners have history with it"),
        };
        format!(
            "looks like {id} {version} (\"{title}\", {state}; {history}): if this is a new \
             version of it, keep id = \"{id}\" in pack.toml; with another id it installs as a \
             second course and the history stays with {id} ({IDS_DOC})"
        )
    },
};

const CHANGES_ES: ChangeWords = ChangeWords {
    details: "pack.toml cambiado",
    parts: [
        (
            "skill",
            [
                "habilidades añadidas",
                "habilidades cambiadas",
                "habilidades eliminadas",
                "habilidades en otro orden",
            ],
        ),
        (
            "lesson",
            [
                "lecciones añadidas",
                "lecciones cambiadas",
                "lecciones eliminadas",
                "lecciones en otro orden",
            ],
        ),
        (
            "picture",
            [
                "imágenes añadidas",
                "imágenes cambiadas",
                "imágenes eliminadas",
                "imágenes en otro orden",
            ],
        ),
    ],
    renamed_item: |from, to, learners| {
        let history = match learners {
            0 => format!("ningún alumno ha respondido aún a {from}"),
            1 => format!("las respuestas de 1 alumno a {from} ya no cuentan para {to}"),
            n => format!("las respuestas de {n} alumnos a {from} ya no cuentan para {to}"),
        };
        format!(
            "¿renombrado? {from} -> {to}: se elimina y se añade con el mismo contenido; \
             {history} (el historial de un ejercicio sigue a su id: conserva el id {from} \
             para que sigan contando; {IDS_DOC})"
        )
    },
    renamed_part: |part, from, to| {
        let (word, after) = if part == "lesson" {
            (
                "¿renombrada? lección",
                format!(
                    "; una sesión que practica la lección {from} se rechaza en su siguiente paso \
                     (termínala y empieza otra)"
                ),
            )
        } else {
            ("¿renombrada? habilidad", String::new())
        };
        format!(
            "{word} {from} -> {to}: se elimina y se añade con el mismo contenido; las respuestas \
             siguen contando (siguen a los ejercicios){after}"
        )
    },
    following_renames: "cambiados solo para seguir a una lección o habilidad renombrada, sin \
                        otra edición",
    look_alike: |id, version, title, learners, removed| {
        let state = if removed { "quitado conservando su historial" } else { "instalado" };
        let history = match learners {
            0 => "ningún alumno tiene historial en él".to_owned(),
            1 => "1 alumno tiene historial en él".to_owned(),
            n => format!("{n} alumnos tienen historial en él"),
        };
        format!(
            "se parece a {id} {version} («{title}», {state}; {history}): si es una versión \
             nueva, conserva id = \"{id}\" en pack.toml; con otro id se instala como un \
             segundo curso y el historial se queda en {id} ({IDS_DOC})"
        )
    },
};

/// What installing `content` changes beyond the items that [`ladder_store::PackDiff`] lists, in
/// `language`, for an install report (`ladder pack install`; a front end may show the same):
/// the fields of `pack.toml`, the skills, lessons and pictures new, changed and removed (a new
/// order of skills or lessons as a sentence), and the items, skills and lessons that look
/// renamed, with what that means for the learners' answers. For a first install, only a line
/// when the pack looks like one installed under another id (the same title, or half its item
/// ids): a new version whose id was changed would install as a second course.
pub fn change_lines(
    store: &ladder_store::Store,
    content: &PackContent,
    language: crate::Language,
) -> Result<Vec<ChangeLine>> {
    let w = match language {
        crate::Language::Es => &CHANGES_ES,
        crate::Language::En => &CHANGES_EN,
    };
    let sentence = |label: String| ChangeLine { label, ids: Vec::new() };
    if store.read(|tx| tx.pack(&content.id))?.is_none() {
        // A new pack: maybe a new version whose id was changed by mistake.
        return Ok(look_alike(store, content)?
            .map(|p| {
                let removed = p.removed.is_some();
                let said =
                    (w.look_alike)(&p.id, &p.version, &p.title, p.learners_with_history, removed);
                sentence(said)
            })
            .into_iter()
            .collect());
    }
    let changes = store.read(|tx| tx.pack_changes(content))?;
    let mut lines = Vec::new();
    let details: Vec<String> = changes
        .changes
        .iter()
        .filter(|c| c.part.key() == "details")
        .map(|c| c.id.clone())
        .collect();
    if !details.is_empty() {
        lines.push(ChangeLine { label: w.details.to_owned(), ids: details });
    }
    for (part, labels) in &w.parts {
        for (change, label) in ["added", "changed", "removed"].iter().zip(labels) {
            let ids: Vec<String> =
                changes.ids(part, change).into_iter().map(str::to_owned).collect();
            if !ids.is_empty() {
                lines.push(ChangeLine { label: (*label).to_owned(), ids });
            }
        }
        if !changes.ids(part, "reordered").is_empty() {
            lines.push(sentence(labels[3].to_owned()));
        }
    }
    for r in &changes.renamed {
        let said = match r.part.key() {
            "item" => (w.renamed_item)(&r.from, &r.to, r.learners_with_history),
            part => (w.renamed_part)(part, &r.from, &r.to),
        };
        lines.push(sentence(said));
    }
    if !changes.following_renames.is_empty() {
        let ids = changes.following_renames.clone();
        lines.push(ChangeLine { label: w.following_renames.to_owned(), ids });
    }
    Ok(lines)
}

/// The installed pack (or one removed with its history kept) that a new pack looks like: the
/// same title (ignoring case), or at least half of its item ids. `None` when none does.
fn look_alike(
    store: &ladder_store::Store,
    content: &PackContent,
) -> Result<Option<ladder_store::InstalledPack>> {
    let title = content.title.trim().to_lowercase();
    let ids: std::collections::HashSet<&str> =
        content.items.iter().map(|i| i.id.as_str()).collect();
    Ok(store.read(|tx| {
        for p in tx.packs(true)? {
            if p.title.trim().to_lowercase() == title {
                return Ok(Some(p));
            }
            let shared =
                tx.items(&p.id)?.iter().filter(|i| ids.contains(i.revision.item.as_str())).count();
            if shared > 0 && shared * 2 >= ids.len() {
                return Ok(Some(p));
            }
        }
        Ok(None)
    })?)
}

/// `text` parsed as a value of the type of `like` (a pack's semantic version, whose crate this
/// one does not name).
fn parsed_like<T: std::str::FromStr>(_like: &T, text: &str) -> Option<T> {
    text.parse().ok()
}

/// One change of a pack in Spanish, from the store's keys (`PackPart::key`, `ChangeKind::key`): "cambia el ejercicio half-002", "se añade la imagen
/// media/a.svg", "se quita la lección quarters", "cambia description en pack.toml".
fn change_es(part: &str, change: &str, id: &str) -> String {
    if part == "details" {
        return match change {
            "added" => format!("se añade {id} en pack.toml"),
            "removed" => format!("se quita {id} de pack.toml"),
            _ => format!("cambia {id} en pack.toml"),
        };
    }
    let (the, plural) = match part {
        "skill" => ("la habilidad", "las habilidades"),
        "lesson" => ("la lección", "las lecciones"),
        "picture" => ("la imagen", "las imágenes"),
        _ => ("el ejercicio", "los ejercicios"),
    };
    match change {
        "added" => format!("se añade {the} {id}"),
        "removed" => format!("se quita {the} {id}"),
        "reordered" => format!("cambia el orden de {plural}"),
        _ => format!("cambia {the} {id}"),
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;
    use crate::Language;

    /// The validator warns about the skills the model leaves out: its limit is the model's.
    #[test]
    fn the_validator_knows_how_many_skills_the_model_reads() {
        assert_eq!(ladder_pack::limits::MODEL_SKILLS_PER_ITEM, ladder_model::data::MAX_SKILLS);
    }

    /// A copy of the minimal sample pack at `version`, with its first prompt reworded when
    /// `changed`.
    fn minimal_at(root: &std::path::Path, version: &str, changed: bool) -> std::path::PathBuf {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/packs/valid/minimal");
        let to = root.join(format!("{version}-{changed}"));
        for file in [
            "pack.toml",
            "skills.toml",
            "lessons/01-half.toml",
            "lessons/02-quarters.toml",
            "media/bar-1-2.svg",
        ] {
            let mut text = std::fs::read_to_string(from.join(file)).expect("read");
            if file == "pack.toml" {
                text = text.replace("version = \"1.0.0\"", &format!("version = \"{version}\""));
            }
            if changed && file == "lessons/01-half.toml" {
                text = text.replace("Which fraction", "What fraction");
            }
            std::fs::create_dir_all(to.join(file).parent().expect("parent")).expect("mkdir");
            std::fs::write(to.join(file), text).expect("write");
        }
        to
    }

    /// Regression: the Spanish refusals were whole sentences ("El paquete ... anterior.")
    /// beside the store's English clauses ("pack halves 1.0.0 is older than ..."), so the CLI
    /// printed `error: El paquete ...` and the app listed a capitalised sentence with a full
    /// stop where English lists a clause. Each refusal now reads as its English one does.
    #[test]
    fn spanish_refusals_read_as_the_english_ones_do() {
        let (dir, packs) =
            (tempfile::tempdir().expect("tempdir"), tempfile::tempdir().expect("tempdir"));
        let mut engine =
            crate::Engine::open(dir.path(), crate::EngineOptions::default()).expect("open");
        let v1 = minimal_at(packs.path(), "1.0.0", false);
        let v2 = minimal_at(packs.path(), "1.1.0", false);
        let v2_changed = minimal_at(packs.path(), "1.1.0", true);
        engine.install_pack(&v2, false).expect("install 1.1.0");
        let same_form = |en: &str, es: &str| {
            for said in [en, es] {
                assert!(said.starts_with(|c: char| c.is_lowercase()), "{said}");
                assert!(!said.ends_with('.'), "{said}");
            }
        };
        let older = engine.install_pack(&v1, true).expect_err("older");
        let es = install_refusal_in(engine.store(), &v1, Language::Es).expect("older");
        assert!(es.starts_with("el paquete halves 1.0.0 es más antiguo"), "{es}");
        same_form(&older.message, &es);
        let changed = engine.install_pack(&v2_changed, true).expect_err("changed");
        let es = install_refusal_in(engine.store(), &v2_changed, Language::Es).expect("changed");
        assert!(es.starts_with("la versión 1.1.0 de halves ya está instalada"), "{es}");
        same_form(&changed.message, &es);
        // Removed with a learner's history kept: an older version is refused for that reason.
        let ana = ladder_store::LearnerId(engine.add_learner("Ana").expect("learner").id);
        let session = engine.start_session(ana, "halves", None, None).expect("session").session;
        engine.next_step(ladder_store::SessionId(session)).expect("step");
        engine.remove_course("halves").expect("remove");
        let removed = engine.install_pack(&v1, true).expect_err("older than removed");
        let es = install_refusal_in(engine.store(), &v1, Language::Es).expect("removed");
        assert!(es.contains("que se quitó conservando el historial"), "{es}");
        same_form(&removed.message, &es);
    }

    #[test]
    fn a_refused_pack_lists_the_same_problems_in_each_language() {
        let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/packs/broken/unknown-field/pack");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut engine =
            crate::Engine::open(dir.path(), crate::EngineOptions::default()).expect("open");
        let err = engine.install_pack(&broken, true).expect_err("invalid");
        assert_eq!(err.kind, crate::ErrorKind::Pack);
        assert_eq!(problems_in(&broken, Language::En).as_deref(), Some(err.message.as_str()));
        let es = problems_in(&broken, Language::Es).expect("invalid");
        let (en, es): (Vec<&str>, Vec<&str>) =
            (err.message.lines().collect(), es.lines().collect());
        assert_eq!(es[0], "el paquete no es válido:");
        assert_eq!(en.len(), es.len());
        assert_eq!(
            es[1],
            "lessons/01-half.toml:31:1: item[1].hint: campo desconocido `hint` (¿querías decir `hints`?)"
        );
        let valid = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/packs/valid/minimal");
        assert_eq!(problems_in(&valid, Language::Es), None);
        assert_eq!(problems_in(&dir.path().join("absent"), Language::Es), None);
    }
}
