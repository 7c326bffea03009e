//! A loaded, valid pack: what installs and the engine work with.

use std::collections::BTreeMap;

use ladder_core::{Item, ItemId, Lesson, LessonId, PackId, Skill, SkillId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The contents of `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    /// The pack format version (1).
    pub schema: u32,
    pub id: PackId,
    pub version: semver::Version,
    pub title: String,
    pub description: String,
    /// BCP 47 language tags of the content.
    pub languages: Vec<String>,
    /// The language the pack's own text is written in (its titles, names, descriptions and
    /// prose), one of `languages`; `None` when `pack.toml` names none (a front end then takes
    /// the only language, or none for a pack in several). Left out of the JSON when `None`,
    /// so a pack without it installs exactly as it did before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_language: Option<String>,
    /// The language learners type the answers of text and cloze items in, one of `languages`;
    /// `None` when `pack.toml` names none (they are then in the language of the pack's text).
    /// An item may name its own (`Item::answer_language`). Left out of the JSON when `None`, as
    /// `text_language` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_language: Option<String>,
    pub authors: Vec<String>,
    /// SPDX license identifier.
    pub license: String,
}

/// A pack that passed validation, with every file it was read from.
///
/// Lessons are in teaching order (their file names' order) and items in lesson order, then file
/// order; each [`Item`] names its lesson. Media files are kept as bytes (the whole pack is at
/// most 256 MiB) and looked up by their path inside the pack (`media/pie.svg`), which is also how
/// Markdown refers to them.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub info: PackInfo,
    pub skills: Vec<Skill>,
    pub lessons: Vec<Lesson>,
    pub items: Vec<Item>,
    /// Every file of the pack by its path, `MANIFEST.json` excluded.
    pub(crate) files: BTreeMap<String, Vec<u8>>,
}

impl Pack {
    /// Every file of the pack (TOML and media) by path, sorted, `MANIFEST.json` excluded.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// The media files (paths starting with `media/`) and their bytes, sorted by path.
    pub fn media(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .range::<String, _>("media/".to_owned()..)
            .take_while(|(k, _)| k.starts_with("media/"))
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The bytes of one media file, by its path inside the pack (`media/pie.svg`).
    pub fn media_file(&self, path: &str) -> Option<&[u8]> {
        path.starts_with("media/").then(|| self.files.get(path).map(Vec::as_slice)).flatten()
    }

    /// An item by id.
    pub fn item(&self, id: &ItemId) -> Option<&Item> {
        self.items.iter().find(|i| &i.id == id)
    }

    /// A skill by id.
    pub fn skill(&self, id: &SkillId) -> Option<&Skill> {
        self.skills.iter().find(|s| &s.id == id)
    }

    /// A lesson by id.
    pub fn lesson(&self, id: &LessonId) -> Option<&Lesson> {
        self.lessons.iter().find(|l| &l.id == id)
    }

    /// The items of one lesson, in file order.
    pub fn items_of<'a>(&'a self, lesson: &'a LessonId) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| &i.lesson == lesson)
    }

    /// The canonical content hash of the pack (lowercase hex SHA-256).
    ///
    /// It is the SHA-256 of the text made of one line `<sha256 of the file>  <path>\n` per file,
    /// sorted by path, `MANIFEST.json` excluded. It depends only on the files' paths and bytes:
    /// a folder and the `.ladderpack` built from it have the same hash, whatever the zip's
    /// compression.
    pub fn content_hash(&self) -> String {
        content_hash(&self.files)
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(crate) fn content_hash(files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut listing = String::new();
    for (path, bytes) in files {
        listing.push_str(&sha256_hex(bytes));
        listing.push_str("  ");
        listing.push_str(path);
        listing.push('\n');
    }
    sha256_hex(listing.as_bytes())
}
