//! Learner profiles: several per device. `archive` (the CLI's `learner remove`) hides a learner
//! and keeps the history; erasing everything is `Store::delete_learner` (erase.rs).

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{OrNotFound, Result, StoreError};
use crate::ids::LearnerId;
use crate::time::Timestamp;
use crate::Tx;

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A learner profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    pub id: LearnerId,
    pub name: String,
    pub created: Timestamp,
    pub avatar: Option<String>,
    pub colour: Option<String>,
    /// When the learner was archived (`learner remove`); `None` while active.
    pub archived: Option<Timestamp>,
}

/// What is needed to add a learner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLearner {
    pub name: String,
    pub avatar: Option<String>,
    pub colour: Option<String>,
}

impl NewLearner {
    pub fn named(name: impl Into<String>) -> Self {
        NewLearner { name: name.into(), ..Default::default() }
    }
}

/// Characters that take no room on screen: zero-width spaces and joiners, the word joiner and
/// the byte-order mark. A name made only of them (and spaces) would be an invisible button.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}')
}

/// Characters that reorder the text around them (bidirectional embeddings, overrides and
/// isolates, and the direction marks): a name with them can show as another name.
fn bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `name` as it is stored: without the spaces and invisible characters around it, each run of
/// spaces inside it one space (a page shows them so), and in Unicode's composed form (NFC), so
/// that "Zoë" typed as "e" plus a combining diaeresis is the same name as "Zoë".
fn normal_name(name: &str) -> String {
    let trimmed = name.trim_matches(|c: char| c.is_whitespace() || invisible(c));
    let mut out = String::with_capacity(trimmed.len());
    let mut space = false;
    for c in trimmed.nfc() {
        // Control characters stay, to be refused.
        if c.is_whitespace() && !c.is_control() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// What two names are compared by: as they are stored, ignoring case.
///
/// Characters that take no room (zero-width space, word joiner, byte-order mark, Mongolian vowel
/// separator, soft hyphen) are left out wherever they are, so "A\u{200B}na" is "Ana"; the
/// zero-width joiner and non-joiner are kept, as Persian and Indic names need them (they change
/// how the letters join, so the names look different).
pub fn learner_name_key(name: &str) -> String {
    normal_name(name)
        .chars()
        .filter(|&c| !matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' | '\u{00AD}'))
        .collect::<String>()
        .to_lowercase()
}

fn name_key(name: &str) -> String {
    learner_name_key(name)
}

fn clean_name(name: &str) -> Result<String> {
    let name = normal_name(name);
    if name.is_empty() {
        return Err(StoreError::invalid("a learner's name cannot be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::invalid(format!(
            "a learner's name can have at most {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(|c| c.is_control() || bidi_control(c)) {
        return Err(StoreError::invalid("a learner's name cannot contain control characters"));
    }
    Ok(name)
}

const COLUMNS: &str = "id, name, created_ms, avatar, colour, archived_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Learner> {
    Ok(Learner {
        id: LearnerId(r.get(0)?),
        name: r.get(1)?,
        created: Timestamp(r.get(2)?),
        avatar: r.get(3)?,
        colour: r.get(4)?,
        archived: r.get::<_, Option<i64>>(5)?.map(Timestamp),
    })
}

impl Tx<'_> {
    /// The active learner other than `except` whose name is `name` ignoring case and the
    /// spaces and invisible characters around it (as a stored name is trimmed), if any: two
    /// active learners never share a name, so a picker stays unambiguous.
    pub fn active_learner_named(
        &self,
        name: &str,
        except: Option<LearnerId>,
    ) -> Result<Option<Learner>> {
        let wanted = name_key(name);
        Ok(self
            .learners(false)?
            .into_iter()
            .find(|l| Some(l.id) != except && name_key(&l.name) == wanted))
    }

    /// Refuses `name` when an active learner other than `except` already has it.
    fn check_name_free(&self, name: &str, except: Option<LearnerId>) -> Result<()> {
        match self.active_learner_named(name, except)? {
            Some(l) => Err(StoreError::invalid(format!(
                "learner {} is already called {:?}: two active learners cannot share a name \
                 (ignoring case); choose another name",
                l.id.0, l.name
            ))),
            None => Ok(()),
        }
    }

    /// Adds a learner; the name is trimmed and must be free among active learners.
    pub fn add_learner(&self, new: &NewLearner) -> Result<LearnerId> {
        let name = clean_name(&new.name)?;
        self.check_name_free(&name, None)?;
        self.conn().execute(
            "INSERT INTO learners (name, created_ms, avatar, colour) VALUES (?1, ?2, ?3, ?4)",
            params![name, Timestamp::now().0, new.avatar, new.colour],
        )?;
        self.changes_mut(|c| c.learners += 1);
        Ok(LearnerId(self.conn().last_insert_rowid()))
    }

    pub fn learner(&self, id: LearnerId) -> Result<Option<Learner>> {
        Ok(self
            .conn()
            .query_row(&format!("SELECT {COLUMNS} FROM learners WHERE id = ?1"), [id.0], from_row)
            .optional()?)
    }

    /// The id of the newest learner (learner ids grow and are never reused): a report records
    /// it, so that the same report made again later lists the same learners.
    pub fn last_learner_id(&self) -> Result<Option<LearnerId>> {
        Ok(self
            .conn()
            .query_row("SELECT max(id) FROM learners", [], |r| r.get::<_, Option<i64>>(0))?
            .map(LearnerId))
    }

    /// Learners in order of creation; archived ones only when asked.
    pub fn learners(&self, include_archived: bool) -> Result<Vec<Learner>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM learners WHERE ?1 OR archived_ms IS NULL ORDER BY id"
        ))?;
        let rows = stmt.query_map([include_archived], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Renames a learner; the new name must be free among the other active learners.
    pub fn rename_learner(&self, id: LearnerId, name: &str) -> Result<()> {
        let name = clean_name(name)?;
        if self.learner(id)?.or_not_found("learner", id)?.archived.is_none() {
            self.check_name_free(&name, Some(id))?;
        }
        self.conn().execute("UPDATE learners SET name = ?2 WHERE id = ?1", params![id.0, name])?;
        self.changes_mut(|c| c.learners += 1);
        Ok(())
    }

    /// Sets (or clears, with `None`) the avatar and colour.
    pub fn set_learner_look(
        &self,
        id: LearnerId,
        avatar: Option<&str>,
        colour: Option<&str>,
    ) -> Result<()> {
        let n = self.conn().execute(
            "UPDATE learners SET avatar = ?2, colour = ?3 WHERE id = ?1",
            params![id.0, avatar, colour],
        )?;
        if n == 0 {
            return Err(StoreError::not_found("learner", id));
        }
        self.changes_mut(|c| c.learners += 1);
        Ok(())
    }

    /// Hides a learner from lists; every event stays (`learner remove`).
    pub fn archive_learner(&self, id: LearnerId) -> Result<()> {
        self.learner(id)?.or_not_found("learner", id)?;
        self.conn().execute(
            "UPDATE learners SET archived_ms = ifnull(archived_ms, ?2) WHERE id = ?1",
            params![id.0, Timestamp::now().0],
        )?;
        self.changes_mut(|c| c.learners += 1);
        Ok(())
    }

    /// Brings an archived learner back; refused while an active learner has its name.
    pub fn unarchive_learner(&self, id: LearnerId) -> Result<()> {
        if let Some(l) = self.learner(id)?.filter(|l| l.archived.is_some()) {
            if self.active_learner_named(&l.name, Some(id))?.is_some() {
                return Err(StoreError::invalid(format!(
                    "cannot bring back learner {} ({:?}): an active learner has that name; \
                     rename one of them first",
                    id.0, l.name
                )));
            }
        }
        let n =
            self.conn().execute("UPDATE learners SET archived_ms = NULL WHERE id = ?1", [id.0])?;
        if n == 0 {
            return Err(StoreError::not_found("learner", id));
        }
        self.changes_mut(|c| c.learners += 1);
        Ok(())
    }
}
