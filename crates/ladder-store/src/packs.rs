//! Installed packs and every revision of their items.
//!
//! The store does not parse packs: the caller (the CLI or the engine, with `ladder-pack`) turns
//! a loaded pack into a [`PackContent`]: the pack's id, version and title, its non-item content
//! as JSON (`meta`: manifest, skills, lessons), each item's content as JSON keyed by its stable
//! id, and its files (media). Items are matched across versions by id. A changed item gets a new
//! revision; old revisions are never deleted while any history may point at them, so an upgrade
//! (or `pack remove --force`) never loses a learner's history or what it was about.
//!
//! Files go to `<data-dir>/packs/<pack id>/<version>/`, one folder per installed version.
//!
//! What an install changes is said two ways: [`PackDiff`] counts the items (the app's wire
//! type), and [`Tx::pack_changes`] names every part for a teacher's report: the fields of
//! `meta.info`, the members `skills` and `lessons` of `meta` by id (the one place the store
//! looks inside `meta`), the items, the pictures against the installed version's folder, and
//! what looks renamed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::backup::sync_dir;
use crate::error::{Result, StoreError};
use crate::time::Timestamp;
use crate::{Store, Tx};

/// Folder of installed pack files inside the data directory.
pub const PACKS_DIR: &str = "packs";

/// The settings key of the packs removed on this device (a JSON object by pack id of
/// [`RemovedPack`] without its id), kept so that a preload folder does not install them again.
pub const REMOVED_PACKS_KEY: &str = "packs.removed";

/// A pack removed on this device and not installed since: what the preload folder leaves
/// alone, and what a tutor's course list offers to bring back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedPack {
    pub id: String,
    /// The version that was installed when it was removed.
    pub version: String,
    pub title: String,
    pub removed: Timestamp,
}

/// A [`RemovedPack`] as the setting keeps it, under its id.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Removal {
    version: String,
    title: String,
    removed_ms: i64,
}

type Removals = std::collections::BTreeMap<String, Removal>;

/// A pack as the store installs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackContent {
    pub id: String,
    /// Semantic version; an install must raise it to change anything.
    pub version: String,
    pub title: String,
    /// Everything but the items (manifest, skills, lessons), as the pack crate serialises it.
    pub meta: serde_json::Value,
    /// The items in course order.
    pub items: Vec<ItemContent>,
    /// Files to install beside the database (media), by relative path.
    #[serde(default)]
    pub files: Vec<PackFile>,
}

/// One item: its stable id and its content (serde JSON of the core item type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemContent {
    pub id: String,
    pub content: serde_json::Value,
}

/// A file of a pack, by relative path (`media/pie-3-8.svg`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What installing a pack changes, items matched by stable id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackDiff {
    pub pack: String,
    /// The pack's title in the version offered (what a teacher reads; `pack` is its id).
    #[serde(default)]
    pub title: String,
    /// The version installed before (`None` for a first install).
    pub from_version: Option<String>,
    pub to_version: String,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Whether the pack's non-item content (skills, lessons, manifest) changed.
    pub meta_changed: bool,
    /// Removed items some learner has history with (the history is kept).
    pub removed_with_history: Vec<String>,
    /// The pack was removed (`from_version` is the version removed) and this install brings it
    /// back: its items are compared with their latest stored revisions, nothing counts as
    /// removed, and the learners' answers on its items count again; an item with history that
    /// it comes back without is in `removed_with_history` (its answers still do not count).
    #[serde(default)]
    pub returning: bool,
}

impl PackDiff {
    /// What installing `pack` changes where no version of it is installed (nor removed with its
    /// history kept): every item is new.
    pub fn first_install(pack: &PackContent) -> PackDiff {
        PackDiff {
            pack: pack.id.clone(),
            title: pack.title.clone(),
            from_version: None,
            to_version: pack.version.clone(),
            added: pack.items.iter().map(|i| i.id.clone()).collect(),
            meta_changed: true,
            ..Default::default()
        }
    }

    /// Nothing to do: the same version with the same content is installed.
    pub fn is_noop(&self) -> bool {
        self.from_version.as_deref() == Some(self.to_version.as_str())
            && self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && !self.meta_changed
    }
}

/// A part of a pack, as an install report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackPart {
    /// A field of the pack's details (`pack.toml`): the change's `id` is the field's name.
    Details,
    Skill,
    Lesson,
    Item,
    /// A file of `media/`: the change's `id` is its path in the pack (`media/pie.svg`).
    Picture,
}

impl PackPart {
    /// Its name in the JSON and for a front end that words it: `details`, `skill`, `lesson`,
    /// `item`, `picture`.
    pub fn key(self) -> &'static str {
        match self {
            PackPart::Details => "details",
            PackPart::Skill => "skill",
            PackPart::Lesson => "lesson",
            PackPart::Item => "item",
            PackPart::Picture => "picture",
        }
    }
}

/// How a part changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
    /// The same skills or lessons in another order (the change's `id` is empty).
    Reordered,
}

impl ChangeKind {
    /// Its name in the JSON and for a front end that words it: `added`, `changed`, `removed`,
    /// `reordered`.
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
            ChangeKind::Reordered => "reordered",
        }
    }
}

/// One part an install adds, changes or removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartChange {
    pub part: PackPart,
    pub id: String,
    pub change: ChangeKind,
}

impl std::fmt::Display for PartChange {
    /// In English: "item half-002 changed", "picture media/a.svg added", "pack.toml title
    /// changed", "lessons reordered".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.part {
            PackPart::Details => "pack.toml",
            PackPart::Skill => "skill",
            PackPart::Lesson => "lesson",
            PackPart::Item => "item",
            PackPart::Picture => "picture",
        };
        let how = match self.change {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
            ChangeKind::Reordered => {
                let plural = match self.part {
                    PackPart::Skill => "skills",
                    PackPart::Lesson => "lessons",
                    PackPart::Item => "items",
                    PackPart::Picture => "pictures",
                    PackPart::Details => "pack.toml fields",
                };
                return write!(f, "{plural} reordered");
            }
        };
        write!(f, "{what} {} {how}", self.id)
    }
}

/// An item (or skill, or lesson) that an install removes while it adds another with the same
/// content under a new id: most likely renamed. Ids are what history follows, so the learners'
/// answers on `from` stay in their logs but do not count toward `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renamed {
    pub part: PackPart,
    pub from: String,
    pub to: String,
    /// Learners with answers (or any event) on `from`: 0 for a skill or a lesson.
    pub learners_with_history: i64,
}

/// What differs between a pack offered and the installed (or removed-with-history) version,
/// part by part, for a teacher to read: what [`PackDiff`] counts, and what it does not name
/// (skills, lessons, the details of `pack.toml`, pictures, likely renames).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackChanges {
    /// The details of `pack.toml` first, then skills, lessons, items and pictures; within each,
    /// in the order of the pack (removed ones after the others, by id).
    pub changes: Vec<PartChange>,
    pub renamed: Vec<Renamed>,
    /// Of the items changed (in `changes`), those whose only change is to follow a lesson or
    /// skills that look renamed (in `renamed`): the same question, under the lesson's or the
    /// skills' new ids. They get a new revision like any change; a teacher reading "changed"
    /// is told they did not edit them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub following_renames: Vec<String>,
    /// Whether the installed version's pictures were on disk to compare with (not for a pack
    /// removed earlier, whose files the removal deleted, nor for a folder deleted by hand):
    /// without them no picture is listed.
    pub pictures_compared: bool,
}

impl PackChanges {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes a refusal names before "and N more".
    pub const NAMED: usize = 5;

    /// The ids of the changes of `part` that are `change` ([`PackPart::key`],
    /// [`ChangeKind::key`]: `ids("picture", "changed")`).
    pub fn ids(&self, part: &str, change: &str) -> Vec<&str> {
        self.changes
            .iter()
            .filter(|c| c.part.key() == part && c.change.key() == change)
            .map(|c| c.id.as_str())
            .collect()
    }

    /// The first [`PackChanges::NAMED`] changes, each said by `say`, joined by commas, then
    /// "and N more" (`more` says it for N) when there are others.
    pub fn summary_with(
        &self,
        say: impl Fn(&PartChange) -> String,
        more: impl Fn(usize) -> String,
    ) -> String {
        let limit = Self::NAMED;
        let mut out = self.changes.iter().take(limit).map(&say).collect::<Vec<_>>().join(", ");
        if self.changes.len() > limit {
            out.push(' ');
            out.push_str(&more(self.changes.len() - limit));
        }
        out
    }

    /// [`PackChanges::summary_with`] in English.
    pub fn summary(&self) -> String {
        self.summary_with(|c| c.to_string(), |n| format!("and {n} more"))
    }
}

/// An installed (or removed-but-remembered) pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledPack {
    pub id: String,
    pub version: String,
    pub title: String,
    pub installed: Timestamp,
    /// Set when `pack remove --force` removed it while learners had history.
    pub removed: Option<Timestamp>,
    /// Items of the installed version.
    pub items: i64,
    /// Learners with at least one event about this pack.
    pub learners_with_history: i64,
    /// Where its files are, relative to the data directory (`None` without files, and once
    /// removed: the removal deletes them).
    pub files_dir: Option<String>,
}

/// What changes whenever a pack is installed, upgraded, removed or installed again: a copy of
/// the pack loaded by one process (the app, `ladder serve`) is current while the stamp it was
/// loaded with is, also when another process (the CLI) changed the pack meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackStamp {
    pub version: String,
    pub installed_ms: i64,
    pub removed_ms: Option<i64>,
}

/// One revision of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRevision {
    pub pack: String,
    pub item: String,
    pub revision: i64,
    /// The pack version that introduced this revision.
    pub pack_version: String,
    pub content: serde_json::Value,
}

/// An item of an installed pack, with its place in the course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredItem {
    pub position: i64,
    #[serde(flatten)]
    pub revision: ItemRevision,
}

fn check_id(what: &str, id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(format!(
            "bad {what} id {id:?}: 1 to 64 of a-z, 0-9 and '-', not starting with '-'"
        )))
    }
}

fn parse_version(v: &str) -> Result<semver::Version> {
    semver::Version::parse(v)
        .map_err(|e| StoreError::invalid(format!("bad pack version {v:?}: {e}")))
}

/// A file path that stays inside the pack folder.
fn safe_relative(p: &str) -> Result<PathBuf> {
    let path = Path::new(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(path.to_path_buf())
    } else {
        Err(StoreError::invalid(format!("unsafe file name in pack: {p:?}")))
    }
}

impl PackContent {
    fn validate(&self) -> Result<semver::Version> {
        check_id("pack", &self.id)?;
        let v = parse_version(&self.version)?;
        let mut seen = HashSet::new();
        for item in &self.items {
            check_id("item", &item.id)?;
            if !seen.insert(item.id.as_str()) {
                return Err(StoreError::invalid(format!("duplicate item id {:?}", item.id)));
            }
        }
        let mut files = HashSet::new();
        for f in &self.files {
            safe_relative(&f.path)?;
            if !files.insert(f.path.as_str()) {
                return Err(StoreError::invalid(format!("duplicate file {:?}", f.path)));
            }
        }
        Ok(v)
    }

    /// Where this version's files go, relative to the data directory.
    fn files_dir(&self) -> Option<String> {
        (!self.files.is_empty()).then(|| format!("{PACKS_DIR}/{}/{}", self.id, self.version))
    }
}

fn revision_from_row(r: &Row<'_>) -> rusqlite::Result<(ItemRevision, String)> {
    Ok((
        ItemRevision {
            pack: r.get(0)?,
            item: r.get(1)?,
            revision: r.get(2)?,
            pack_version: r.get(3)?,
            content: serde_json::Value::Null,
        },
        r.get(4)?,
    ))
}

fn decode(raw: (ItemRevision, String)) -> Result<ItemRevision> {
    let (mut r, content) = raw;
    r.content = serde_json::from_str(&content)?;
    Ok(r)
}

/// A pack's details as an upgrade compares them: without `info.version`, which the engine's
/// details hold and [`PackContent::version`] records on its own (with it, every upgrade said the
/// details "changed too").
fn details(mut meta: serde_json::Value) -> serde_json::Value {
    if let Some(info) = meta.get_mut("info").and_then(|i| i.as_object_mut()) {
        info.remove("version");
    }
    meta
}

/// Ids renamed by an upgrade (old -> new), as the comparison of skills (or lessons) found them.
type Renames = HashMap<String, String>;

/// The ids in `o[key]` (one id, or a list of them) renamed as `map` says.
fn rename_ids(o: &mut serde_json::Map<String, serde_json::Value>, key: &str, map: &Renames) {
    let ids: Vec<&mut serde_json::Value> = match o.get_mut(key) {
        Some(serde_json::Value::Array(ids)) => ids.iter_mut().collect(),
        Some(id) => vec![id],
        None => Vec::new(),
    };
    for id in ids {
        if let Some(to) = id.as_str().and_then(|s| map.get(s)) {
            *id = serde_json::Value::String(to.clone());
        }
    }
}

/// What a renamed part keeps: its JSON object without its `id`; for an item without its
/// `lesson` too (an item moved to another lesson under a new id, as when a lesson is split, is
/// still the same exercise, and its answers stop counting as for any rename), and for a lesson
/// without its `items` (whose ids may be renamed with it). With `skills`, the skills it names
/// (`skills`, `prerequisites`) as renamed: a part of the installed version, compared with one of
/// an upgrade that renamed a skill and, with it, the lesson and items named after it.
fn renamed_keeps(
    part: PackPart,
    v: &serde_json::Value,
    skills: Option<&Renames>,
) -> serde_json::Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("id");
        let kept_apart = match part {
            PackPart::Item => Some("lesson"),
            PackPart::Lesson => Some("items"),
            _ => None,
        };
        if let Some(key) = kept_apart {
            o.remove(key);
        }
        if let Some(map) = skills {
            rename_ids(o, "skills", map);
            rename_ids(o, "prerequisites", map);
        }
    }
    v
}

/// Whether item `new` is `old` with its `lesson` and `skills` renamed as `lessons` and
/// `skills` say (ids old -> new), and nothing else changed.
fn follows_renames(
    old: &serde_json::Value,
    new: &serde_json::Value,
    lessons: &Renames,
    skills: &Renames,
) -> bool {
    let mut moved = old.clone();
    if let Some(o) = moved.as_object_mut() {
        rename_ids(o, "lesson", lessons);
        rename_ids(o, "skills", skills);
    }
    moved != *old && moved == *new
}

/// A member of a pack's `meta` as a list of objects with ids, in order (`None`: it is not one;
/// an absent member is an empty list).
fn id_list(v: Option<&serde_json::Value>) -> Option<Vec<(String, &serde_json::Value)>> {
    match v {
        None => Some(Vec::new()),
        Some(serde_json::Value::Array(a)) => {
            a.iter().map(|e| Some((e.get("id")?.as_str()?.to_owned(), e))).collect()
        }
        Some(_) => None,
    }
}

/// The parts added, changed and removed between `old` and `new` (lists of parts by id, in
/// order), and those removed and added with the same content under another id (the skills
/// that `old` names read as `skills` renamed them). With `reorder`, the same parts in another
/// order count as a change too.
fn diff_by_id(
    part: PackPart,
    old: &[(String, &serde_json::Value)],
    new: &[(String, &serde_json::Value)],
    reorder: bool,
    skills: &Renames,
) -> (Vec<PartChange>, Vec<(String, String)>) {
    let old_map: HashMap<&str, &serde_json::Value> =
        old.iter().map(|(id, v)| (id.as_str(), *v)).collect();
    let new_ids: HashSet<&str> = new.iter().map(|(id, _)| id.as_str()).collect();
    let change = |id: &str, change| PartChange { part, id: id.to_owned(), change };
    let mut out = Vec::new();
    let mut added = Vec::new();
    for (id, v) in new {
        match old_map.get(id.as_str()) {
            None => {
                out.push(change(id, ChangeKind::Added));
                added.push((id.as_str(), *v));
            }
            Some(o) if *o != *v => out.push(change(id, ChangeKind::Changed)),
            Some(_) => {}
        }
    }
    let mut removed: Vec<(&str, &serde_json::Value)> = old
        .iter()
        .filter(|(id, _)| !new_ids.contains(id.as_str()))
        .map(|(id, v)| (id.as_str(), *v))
        .collect();
    removed.sort_by_key(|(id, _)| *id);
    out.extend(removed.iter().map(|(id, _)| change(id, ChangeKind::Removed)));
    if reorder {
        let kept_old: Vec<&str> =
            old.iter().map(|(id, _)| id.as_str()).filter(|id| new_ids.contains(id)).collect();
        let kept_new: Vec<&str> =
            new.iter().map(|(id, _)| id.as_str()).filter(|id| old_map.contains_key(id)).collect();
        if kept_old != kept_new {
            out.push(change("", ChangeKind::Reordered));
        }
    }
    let mut renamed = Vec::new();
    let mut taken = HashSet::new();
    for (from, o) in &removed {
        let o = renamed_keeps(part, o, Some(skills));
        if let Some((to, _)) =
            added.iter().find(|(to, v)| !taken.contains(to) && renamed_keeps(part, v, None) == o)
        {
            taken.insert(*to);
            renamed.push(((*from).to_owned(), (*to).to_owned()));
        }
    }
    (out, renamed)
}

/// The differences between two `meta` values (details already without `info.version`):
/// `skills` and `lessons` compared by id, any other member field by field.
fn meta_changes(
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> (Vec<PartChange>, Vec<Renamed>) {
    let empty = serde_json::Map::new();
    let (o, n) = (old.as_object().unwrap_or(&empty), new.as_object().unwrap_or(&empty));
    let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    let (mut out, mut renamed) = (Vec::new(), Vec::new());
    // The skills first: the lessons (and the items, `Tx::pack_changes`) named after a renamed
    // skill may be renamed with it.
    let skills = skill_renames(o.get("skills"), n.get("skills"));
    for key in keys {
        let (ov, nv) = (o.get(key.as_str()), n.get(key.as_str()));
        if ov == nv {
            continue;
        }
        let part = match key.as_str() {
            "skills" => Some(PackPart::Skill),
            "lessons" => Some(PackPart::Lesson),
            _ => None,
        };
        if let (Some(part), Some(ol), Some(nl)) = (part, id_list(ov), id_list(nv)) {
            let (changes, pairs) = diff_by_id(part, &ol, &nl, true, &skills);
            out.extend(changes);
            renamed.extend(pairs.into_iter().map(|(from, to)| Renamed {
                part,
                from,
                to,
                learners_with_history: 0,
            }));
            continue;
        }
        // `info` is what pack.toml says: its fields are named as they are written there.
        let prefix = if key == "info" { String::new() } else { format!("{key}.") };
        let detail = |id: String, change| PartChange { part: PackPart::Details, id, change };
        match (ov.and_then(|v| v.as_object()), nv.and_then(|v| v.as_object())) {
            (Some(om), Some(nm)) => {
                let fields: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
                for f in fields {
                    let change = match (om.get(f.as_str()), nm.get(f.as_str())) {
                        (None, Some(_)) => ChangeKind::Added,
                        (Some(_), None) => ChangeKind::Removed,
                        (a, b) if a != b => ChangeKind::Changed,
                        _ => continue,
                    };
                    out.push(detail(format!("{prefix}{f}"), change));
                }
            }
            _ => {
                let change = match (ov, nv) {
                    (None, _) => ChangeKind::Added,
                    (_, None) => ChangeKind::Removed,
                    _ => ChangeKind::Changed,
                };
                out.push(detail(key.clone(), change));
            }
        }
    }
    (out, renamed)
}

/// The skills removed and added with the same content under another id (old -> new).
fn skill_renames(old: Option<&serde_json::Value>, new: Option<&serde_json::Value>) -> Renames {
    let (Some(old), Some(new)) = (id_list(old), id_list(new)) else {
        return Renames::new();
    };
    diff_by_id(PackPart::Skill, &old, &new, false, &Renames::new()).1.into_iter().collect()
}

impl Tx<'_> {
    /// The current revision of an item of an installed pack.
    pub fn current_revision(&self, pack: &str, item: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT revision FROM pack_items WHERE pack_id = ?1 AND item_id = ?2")?
            .query_row([pack, item], |r| r.get(0))
            .optional()?)
    }

    /// One revision of an item (history keeps pointing at it after upgrades and removals).
    pub fn item_revision(
        &self,
        pack: &str,
        item: &str,
        revision: i64,
    ) -> Result<Option<ItemRevision>> {
        self.conn()
            .prepare_cached(
                "SELECT pack_id, item_id, revision, pack_version, content FROM item_revisions
                 WHERE pack_id = ?1 AND item_id = ?2 AND revision = ?3",
            )?
            .query_row(params![pack, item, revision], revision_from_row)
            .optional()?
            .map(decode)
            .transpose()
    }

    /// Every revision of an item, oldest first.
    pub fn item_revisions(&self, pack: &str, item: &str) -> Result<Vec<ItemRevision>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT pack_id, item_id, revision, pack_version, content FROM item_revisions
             WHERE pack_id = ?1 AND item_id = ?2 ORDER BY revision",
        )?;
        let raws = stmt
            .query_map([pack, item], revision_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(decode).collect()
    }

    /// The newest stored revision's content of every item a pack ever had, by item id (what a
    /// removed pack's history knows of its items).
    fn latest_revisions(&self, pack: &str) -> Result<HashMap<String, serde_json::Value>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.item_id, r.content FROM item_revisions r
             WHERE r.pack_id = ?1 AND r.revision =
               (SELECT max(revision) FROM item_revisions s
                WHERE s.pack_id = r.pack_id AND s.item_id = r.item_id)",
        )?;
        let rows = stmt
            .query_map([pack], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|(id, c)| Ok((id, serde_json::from_str(&c)?))).collect()
    }

    /// The items of the installed version of a pack, in course order.
    pub fn items(&self, pack: &str) -> Result<Vec<StoredItem>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.pack_id, r.item_id, r.revision, r.pack_version, r.content, p.position
             FROM pack_items p JOIN item_revisions r
               ON r.pack_id = p.pack_id AND r.item_id = p.item_id AND r.revision = p.revision
             WHERE p.pack_id = ?1 ORDER BY p.position",
        )?;
        let raws = stmt
            .query_map([pack], |r| Ok((revision_from_row(r)?, r.get::<_, i64>(5)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(raw, position)| Ok(StoredItem { position, revision: decode(raw)? }))
            .collect()
    }

    /// The current item, or for an item an upgrade removed, its newest revision.
    pub fn item(&self, pack: &str, item: &str) -> Result<Option<ItemRevision>> {
        let rev = match self.current_revision(pack, item)? {
            Some(r) => Some(r),
            None => self.conn().query_row(
                "SELECT max(revision) FROM item_revisions WHERE pack_id = ?1 AND item_id = ?2",
                [pack, item],
                |r| r.get::<_, Option<i64>>(0),
            )?,
        };
        match rev {
            Some(r) => self.item_revision(pack, item, r),
            None => Ok(None),
        }
    }

    /// The non-item content (`meta`) of the installed version of a pack.
    pub fn pack_meta(&self, pack: &str) -> Result<Option<serde_json::Value>> {
        let raw: Option<String> = self
            .conn()
            .query_row(
                "SELECT v.meta FROM packs p JOIN pack_versions v
                   ON v.pack_id = p.id AND v.version = p.version WHERE p.id = ?1",
                [pack],
                |r| r.get(0),
            )
            .optional()?;
        raw.map(|s| serde_json::from_str(&s).map_err(StoreError::from)).transpose()
    }

    /// Installed packs by id; removed ones (kept for history) only when asked.
    pub fn packs(&self, include_removed: bool) -> Result<Vec<InstalledPack>> {
        self.packs_where(include_removed, None)
    }

    /// The packs (`only`: the one with that id), with how many learners have history on each.
    fn packs_where(&self, include_removed: bool, only: Option<&str>) -> Result<Vec<InstalledPack>> {
        let mut stmt = self.conn().prepare_cached(PACKS_SQL)?;
        let rows = stmt.query_map(params![include_removed, only], |r| {
            Ok(InstalledPack {
                id: r.get(0)?,
                version: r.get(1)?,
                title: r.get(2)?,
                installed: Timestamp(r.get(3)?),
                removed: r.get::<_, Option<i64>>(4)?.map(Timestamp),
                items: r.get(5)?,
                learners_with_history: r.get(6)?,
                files_dir: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every pack's stamp, removed ones included: one small query, for caches to check.
    pub fn pack_stamps(&self) -> Result<HashMap<String, PackStamp>> {
        let mut stmt =
            self.conn().prepare("SELECT id, version, installed_ms, removed_ms FROM packs")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PackStamp { version: r.get(1)?, installed_ms: r.get(2)?, removed_ms: r.get(3)? },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn pack(&self, id: &str) -> Result<Option<InstalledPack>> {
        Ok(self.packs_where(true, Some(id))?.into_iter().next())
    }

    /// The installed version of `pack`'s id, and whether it was removed (with its history
    /// kept); `None` when it was never installed or removed without history.
    fn installed_version(&self, pack: &str) -> Result<Option<(String, bool)>> {
        Ok(self
            .conn()
            .query_row("SELECT version, removed_ms FROM packs WHERE id = ?1", [pack], |r| {
                Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.is_some()))
            })
            .optional()?)
    }

    /// The items an install compares with, by id: the installed ones in course order, or for a
    /// returning pack (none installed) the newest revision the history knows of each, by id.
    fn compared_items(
        &self,
        pack: &str,
        returning: bool,
    ) -> Result<Vec<(String, serde_json::Value)>> {
        if returning {
            let mut items: Vec<_> = self.latest_revisions(pack)?.into_iter().collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            return Ok(items);
        }
        Ok(self.items(pack)?.into_iter().map(|s| (s.revision.item, s.revision.content)).collect())
    }

    /// What differs between `pack` and the installed version of it (or the one removed with
    /// its history kept), part by part: the details of `pack.toml`, skills, lessons, items and
    /// pictures, and what looks renamed. Empty for a pack that is not installed. Pictures are
    /// compared with the installed version's files on disk (see
    /// [`PackChanges::pictures_compared`]).
    pub fn pack_changes(&self, pack: &PackContent) -> Result<PackChanges> {
        let Some((version, returning)) = self.installed_version(&pack.id)? else {
            return Ok(PackChanges::default());
        };
        let mut changes = PackChanges::default();
        let old_meta: serde_json::Value = self
            .conn()
            .query_row(
                "SELECT meta FROM pack_versions WHERE pack_id = ?1 AND version = ?2",
                [&pack.id, &version],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|m| serde_json::from_str(&m))
            .transpose()?
            .unwrap_or(serde_json::Value::Null);
        let (meta, renamed) = meta_changes(&details(old_meta), &details(pack.meta.clone()));
        changes.changes.extend(meta);
        let skills: Renames = renamed
            .iter()
            .filter(|r| r.part == PackPart::Skill)
            .map(|r| (r.from.clone(), r.to.clone()))
            .collect();
        changes.renamed.extend(renamed);

        let old_items = self.compared_items(&pack.id, returning)?;
        let old: Vec<(String, &serde_json::Value)> =
            old_items.iter().map(|(id, c)| (id.clone(), c)).collect();
        let new: Vec<(String, &serde_json::Value)> =
            pack.items.iter().map(|i| (i.id.clone(), &i.content)).collect();
        let (items, pairs) = diff_by_id(PackPart::Item, &old, &new, false, &skills);
        let lessons: Renames = changes
            .renamed
            .iter()
            .filter(|r| r.part == PackPart::Lesson)
            .map(|r| (r.from.clone(), r.to.clone()))
            .collect();
        if !(lessons.is_empty() && skills.is_empty()) {
            let old_of: HashMap<&str, &serde_json::Value> =
                old.iter().map(|(id, v)| (id.as_str(), *v)).collect();
            for c in items.iter().filter(|c| c.change == ChangeKind::Changed) {
                let (Some(o), Some((_, n))) =
                    (old_of.get(c.id.as_str()), new.iter().find(|(id, _)| *id == c.id))
                else {
                    continue;
                };
                if follows_renames(o, n, &lessons, &skills) {
                    changes.following_renames.push(c.id.clone());
                }
            }
        }
        // A returning pack removes nothing (none of its items is installed).
        changes
            .changes
            .extend(items.into_iter().filter(|c| !(returning && c.change == ChangeKind::Removed)));
        for (from, to) in pairs {
            let learners: i64 = self.conn().query_row(
                "SELECT count(DISTINCT learner_id) FROM events WHERE pack_id = ?1 AND item_id = ?2",
                [&pack.id, &from],
                |r| r.get(0),
            )?;
            changes.renamed.push(Renamed {
                part: PackPart::Item,
                from,
                to,
                learners_with_history: learners,
            });
        }

        // A removed pack's files went with the removal: nothing to compare with.
        if !returning {
            let files_dir: Option<String> = self
                .conn()
                .query_row(
                    "SELECT files_dir FROM pack_versions WHERE pack_id = ?1 AND version = ?2",
                    [&pack.id, &version],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let pictures = match files_dir {
                None => Some(picture_changes(None, pack)),
                Some(rel) => {
                    let dir = self.data_dir().join(rel);
                    let mut on_disk = Vec::new();
                    list_files(&dir, &dir, &mut on_disk);
                    on_disk.retain(|p| !system_file(p));
                    (!on_disk.is_empty()).then(|| picture_changes(Some((&dir, on_disk)), pack))
                }
            };
            changes.pictures_compared = pictures.is_some();
            changes.changes.extend(pictures.unwrap_or_default());
        }
        changes.changes.sort_by_key(|c| c.part);
        Ok(changes)
    }

    /// What installing `pack` would change. Refuses a downgrade, and the same version with
    /// different content, naming what differs (raise the version).
    pub fn pack_diff(&self, pack: &PackContent) -> Result<PackDiff> {
        let new_version = pack.validate()?;
        let Some((old_version, removed)) = self.installed_version(&pack.id)? else {
            return Ok(PackDiff::first_install(pack));
        };
        let mut diff = PackDiff {
            pack: pack.id.clone(),
            title: pack.title.clone(),
            from_version: None,
            to_version: pack.version.clone(),
            ..Default::default()
        };
        diff.from_version = Some(old_version.clone());
        diff.returning = removed;
        // Item by item, as `pack_changes` compares them: added and changed in the pack's order,
        // removed in id order.
        let current = self.compared_items(&pack.id, removed)?;
        let old: Vec<(String, &serde_json::Value)> =
            current.iter().map(|(id, c)| (id.clone(), c)).collect();
        let new: Vec<(String, &serde_json::Value)> =
            pack.items.iter().map(|i| (i.id.clone(), &i.content)).collect();
        let mut removed_ids = Vec::new();
        for c in diff_by_id(PackPart::Item, &old, &new, false, &Renames::new()).0 {
            match c.change {
                ChangeKind::Added => diff.added.push(c.id),
                ChangeKind::Changed => diff.changed.push(c.id),
                ChangeKind::Removed => removed_ids.push(c.id),
                ChangeKind::Reordered => {}
            }
        }
        diff.unchanged = pack.items.len() - diff.added.len() - diff.changed.len();
        // Items with history that the pack comes back without are said, returning or not: their
        // answers do not count again.
        for id in &removed_ids {
            let has_history: bool = self.conn().query_row(
                "SELECT EXISTS (SELECT 1 FROM events WHERE pack_id = ?1 AND item_id = ?2)",
                [&pack.id, id],
                |r| r.get(0),
            )?;
            if has_history {
                diff.removed_with_history.push(id.clone());
            }
        }
        // A returning pack has nothing installed for this install to remove.
        diff.removed = if diff.returning { Vec::new() } else { removed_ids };
        diff.meta_changed =
            removed || self.pack_meta(&pack.id)?.map(details) != Some(details(pack.meta.clone()));

        let old = parse_version(&old_version)?;
        if new_version < old {
            let installed = if removed {
                format!(
                    "{old_version}, the version removed earlier with its learners' history kept; \
                     install {old_version} or newer to bring the pack back"
                )
            } else {
                format!(
                    "installed {old_version}; a downgrade is refused: to go back to this \
                     content, give it a version above {old_version} (version in pack.toml)"
                )
            };
            return Err(StoreError::invalid(format!(
                "pack {} {} is older than the {installed}",
                pack.id, pack.version
            )));
        }
        if new_version == old && !removed {
            // Text, skills, lessons and pictures alike: the same version must be the same pack.
            let changes = self.pack_changes(pack)?;
            if !diff.is_noop() || !changes.is_empty() {
                let what = if changes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", changes.summary())
                };
                return Err(StoreError::invalid(format!(
                    "pack {} {} is already installed with different content{what}: raise the \
                     version (version in pack.toml) to install the changes",
                    pack.id, pack.version
                )));
            }
        }
        Ok(diff)
    }

    /// Installs or upgrades `pack` in the database (files are the caller's: see
    /// [`Store::install_pack`]). All or nothing with the surrounding transaction.
    pub fn install_pack_rows(&self, pack: &PackContent) -> Result<PackDiff> {
        let diff = self.pack_diff(pack)?;
        let was_removed: bool = self
            .conn()
            .query_row("SELECT removed_ms IS NOT NULL FROM packs WHERE id = ?1", [&pack.id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(false);
        if diff.is_noop() && !was_removed {
            return Ok(diff);
        }
        let now = Timestamp::now().0;
        let c = self.conn();
        c.execute(
            "INSERT INTO packs (id, version, title, installed_ms, removed_ms)
             VALUES (?1, ?2, ?3, ?4, NULL)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title,
               installed_ms = excluded.installed_ms, removed_ms = NULL",
            params![pack.id, pack.version, pack.title, now],
        )?;
        // Installed again on purpose: a preload folder may upgrade it from now on.
        self.mark_removed(&pack.id, None)?;
        c.execute(
            "INSERT INTO pack_versions (pack_id, version, installed_ms, meta, files_dir)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (pack_id, version) DO UPDATE SET installed_ms = excluded.installed_ms,
               meta = excluded.meta, files_dir = excluded.files_dir",
            params![
                pack.id,
                pack.version,
                now,
                serde_json::to_string(&pack.meta)?,
                pack.files_dir()
            ],
        )?;
        c.execute("DELETE FROM pack_items WHERE pack_id = ?1", [&pack.id])?;
        let mut newest = c.prepare_cached(
            "SELECT revision, content FROM item_revisions WHERE pack_id = ?1 AND item_id = ?2
             ORDER BY revision DESC LIMIT 1",
        )?;
        let mut add_rev = c.prepare_cached(
            "INSERT INTO item_revisions (pack_id, item_id, revision, pack_version, content)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut add_item = c.prepare_cached(
            "INSERT INTO pack_items (pack_id, item_id, revision, position) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut items_written = 0;
        for (pos, item) in pack.items.iter().enumerate() {
            let last: Option<(i64, String)> = newest
                .query_row([&pack.id, &item.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let revision = match last {
                Some((rev, content))
                    if serde_json::from_str::<serde_json::Value>(&content)? == item.content =>
                {
                    rev
                }
                other => {
                    let rev = other.map_or(1, |(r, _)| r + 1);
                    add_rev.execute(params![
                        pack.id,
                        item.id,
                        rev,
                        pack.version,
                        serde_json::to_string(&item.content)?
                    ])?;
                    items_written += 1;
                    rev
                }
            };
            add_item.execute(params![pack.id, item.id, revision, pos as i64])?;
        }
        self.changes_mut(|c| {
            c.packs += 1;
            c.items += items_written;
        });
        Ok(diff)
    }

    /// The packs removed on this device and not installed since, by title (then id): those the
    /// setting remembers, and those removed with their history kept before it existed (a data
    /// folder of an earlier Ladder, an old backup restored), so that these are not hidden from
    /// the tutor's course list nor brought back by a preload folder.
    pub fn removed_packs(&self) -> Result<Vec<RemovedPack>> {
        let mut map: Removals = self.setting(REMOVED_PACKS_KEY)?.unwrap_or_default();
        let mut stmt = self.conn().prepare(
            "SELECT id, version, title, removed_ms FROM packs WHERE removed_ms IS NOT NULL",
        )?;
        let kept = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)?))
        })?;
        for row in kept {
            let (id, version, title, removed_ms) = row?;
            map.entry(id).or_insert(Removal { version, title, removed_ms });
        }
        let mut out: Vec<RemovedPack> = map
            .into_iter()
            .map(|(id, r)| RemovedPack {
                id,
                version: r.version,
                title: r.title,
                removed: Timestamp(r.removed_ms),
            })
            .collect();
        out.sort_by_cached_key(|p| (p.title.to_lowercase(), p.id.clone()));
        Ok(out)
    }

    /// Whether `pack` was removed on this device and not installed since.
    pub fn was_removed_here(&self, pack: &str) -> Result<bool> {
        Ok(self.removed_packs()?.iter().any(|p| p.id == pack))
    }

    /// Remembers (`Some`) or forgets (`None`) that `pack` was removed on this device.
    fn mark_removed(&self, pack: &str, removed: Option<RemovedPack>) -> Result<()> {
        let mut map: Removals = self.setting(REMOVED_PACKS_KEY)?.unwrap_or_default();
        let changed = match removed {
            Some(p) => {
                let r = Removal { version: p.version, title: p.title, removed_ms: p.removed.0 };
                map.insert(pack.to_owned(), r);
                true
            }
            None => map.remove(pack).is_some(),
        };
        match (changed, map.is_empty()) {
            (false, _) => Ok(()),
            (true, true) => self.remove_setting(REMOVED_PACKS_KEY).map(|_| ()),
            (true, false) => self.set_setting(REMOVED_PACKS_KEY, &map),
        }
    }

    /// Learners with at least one event about `pack`.
    pub fn learners_with_history(&self, pack: &str) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(DISTINCT learner_id) FROM events WHERE pack_id = ?1",
            [pack],
            |r| r.get(0),
        )?)
    }
}

impl Store {
    /// Installs or upgrades a pack: files first (into their own version folder), then every
    /// row in one transaction. On any failure nothing changes (a version folder this call
    /// created is removed again). With `dry_run`, only says what would change.
    pub fn install_pack(&mut self, pack: &PackContent, dry_run: bool) -> Result<PackDiff> {
        self.install_pack_with(pack, dry_run, false)?
            .ok_or_else(|| StoreError::invalid("the install was left alone"))
    }

    /// Installs or upgrades `pack` as a preload folder does: as [`Store::install_pack`], except
    /// that a pack removed on this device ([`Tx::was_removed_here`]) is left alone (`None`),
    /// checked in the install's own transaction (its files, written first, are deleted again),
    /// so that a removal by another process (`ladder pack remove` while the app starts) is
    /// neither undone nor forgotten. The caller checks first to spare the writing.
    pub fn install_pack_unless_removed(&mut self, pack: &PackContent) -> Result<Option<PackDiff>> {
        self.install_pack_with(pack, false, true)
    }

    fn install_pack_with(
        &mut self,
        pack: &PackContent,
        dry_run: bool,
        unless_removed: bool,
    ) -> Result<Option<PackDiff>> {
        let diff = self.read(|tx| tx.pack_diff(pack))?;
        let was_removed =
            self.read(|tx| Ok(tx.pack(&pack.id)?.is_some_and(|p| p.removed.is_some())))?;
        if diff.is_noop() && !was_removed {
            // The rows and the pictures say "already installed" (`Tx::pack_diff` refuses other
            // pictures). An installed folder that has gone (deleted by hand) is put back from
            // this same version.
            let rel = pack.files_dir();
            let missing =
                rel.as_ref().is_some_and(|r| !files_in_place(&self.data_dir().join(r), pack));
            if missing && !dry_run {
                if let Some(rel) = rel {
                    // Under the write lock, and only while this version is still the one
                    // installed: a removal by another process since the check above leaves
                    // nothing to put back.
                    self.transact(|tx| {
                        let installed = tx
                            .pack(&pack.id)?
                            .is_some_and(|p| p.removed.is_none() && p.version == pack.version);
                        if installed {
                            write_pack_files(tx.data_dir(), pack, &rel)?;
                        }
                        Ok(())
                    })?;
                }
            }
            return Ok(Some(diff));
        }
        if dry_run {
            return Ok(Some(diff));
        }
        let created = match pack.files_dir() {
            Some(rel) => write_pack_files(self.data_dir(), pack, &rel)?,
            None => None,
        };
        self.commit_install(pack, created, unless_removed)
    }

    /// The rows of an install whose files are written (`created`: the folder the install made,
    /// deleted again unless the rows go in).
    fn commit_install(
        &mut self,
        pack: &PackContent,
        created: Option<PathBuf>,
        unless_removed: bool,
    ) -> Result<Option<PackDiff>> {
        let mut rewritten = None;
        let result = self.transact(|tx| {
            if unless_removed && tx.was_removed_here(&pack.id)? {
                return Ok(None);
            }
            // A removal of the same pack by another process may have committed since the files
            // were written, and set them aside with the removed version's: under the write lock
            // now, so write them again if they are gone (`Store::remove_pack`).
            if let Some(rel) = pack.files_dir() {
                if !files_in_place(&tx.data_dir().join(&rel), pack) {
                    rewritten = write_pack_files(tx.data_dir(), pack, &rel)?;
                }
            }
            tx.install_pack_rows(pack).map(Some)
        });
        if !matches!(result, Ok(Some(_))) {
            // The folder this install made, first or in its transaction (one path: once only).
            let made: BTreeSet<PathBuf> = created.into_iter().chain(rewritten).collect();
            for dir in made {
                let _ = fs::remove_dir_all(&dir);
                // The pack's own folder too when nothing else is in it (a first install).
                if let Some(parent) = dir.parent() {
                    remove_if_empty(parent);
                }
            }
        }
        result
    }
}

/// The pictures of `pack` added, changed and removed against an installed folder (`dir` and
/// its files, relative paths), or against none (a version without media).
fn picture_changes(installed: Option<(&Path, Vec<String>)>, pack: &PackContent) -> Vec<PartChange> {
    let (dir, on_disk) = match installed {
        Some((dir, files)) => (Some(dir), files),
        None => (None, Vec::new()),
    };
    let change =
        |id: &str, change| PartChange { part: PackPart::Picture, id: id.to_owned(), change };
    let mut out = Vec::new();
    for f in &pack.files {
        if !on_disk.contains(&f.path) {
            out.push(change(&f.path, ChangeKind::Added));
        } else if dir
            .and_then(|d| safe_relative(&f.path).ok().map(|rel| d.join(rel)))
            .and_then(|p| fs::read(p).ok())
            .is_none_or(|bytes| bytes != f.bytes)
        {
            out.push(change(&f.path, ChangeKind::Changed));
        }
    }
    let mut gone: Vec<&String> =
        on_disk.iter().filter(|p| !pack.files.iter().any(|f| &f.path == *p)).collect();
    gone.sort();
    out.extend(gone.into_iter().map(|p| change(p, ChangeKind::Removed)));
    out
}

/// A file the system leaves in a folder someone looked at (`.DS_Store`, `Thumbs.db`,
/// `desktop.ini`, anything hidden): never a pack's (the validator refuses them), so not a
/// picture an install compares.
fn system_file(path: &str) -> bool {
    path.split('/').any(|part| {
        part.starts_with('.')
            || part.eq_ignore_ascii_case("thumbs.db")
            || part.eq_ignore_ascii_case("desktop.ini")
    })
}

/// Deletes `dir` if it is an empty folder (a pack folder an install made and left nothing in).
fn remove_if_empty(dir: &Path) {
    if fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()) {
        let _ = fs::remove_dir(dir);
    }
}

/// Whether every file of `pack` is in `dir` with its length (a folder moved aside while the
/// files were being written holds only some of them).
fn files_in_place(dir: &Path, pack: &PackContent) -> bool {
    pack.files.iter().all(|f| {
        safe_relative(&f.path)
            .ok()
            .and_then(|rel| fs::metadata(dir.join(rel)).ok())
            .is_some_and(|m| m.is_file() && m.len() == f.bytes.len() as u64)
    })
}

/// Writes the files to `<data-dir>/<rel>` via a temporary folder and a rename. Returns the
/// folder if this call created it.
fn write_pack_files(data_dir: &Path, pack: &PackContent, rel: &str) -> Result<Option<PathBuf>> {
    let dest = data_dir.join(rel);
    let parent = dest.parent().unwrap_or(data_dir).to_path_buf();
    let io = |what: &str, p: &Path, e| StoreError::io(what.to_string(), p, e);
    fs::create_dir_all(&parent).map_err(|e| io("cannot create", &parent, e))?;
    let tmp = parent.join(format!(".{}.installing-{}", pack.version, std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let write_all = || -> Result<()> {
        for f in &pack.files {
            let p = tmp.join(safe_relative(&f.path)?);
            if let Some(d) = p.parent() {
                fs::create_dir_all(d).map_err(|e| io("cannot create", d, e))?;
            }
            fs::write(&p, &f.bytes).map_err(|e| io("cannot write", &p, e))?;
            fs::File::open(&p).and_then(|f| f.sync_all()).map_err(|e| io("cannot sync", &p, e))?;
        }
        Ok(())
    };
    if let Err(e) = write_all() {
        let _ = fs::remove_dir_all(&tmp);
        remove_if_empty(&parent);
        return Err(e);
    }
    // The same version may be installed again (after a removal): replace its folder.
    let existed = dest.exists();
    if existed {
        fs::remove_dir_all(&dest).map_err(|e| io("cannot replace", &dest, e))?;
    }
    fs::rename(&tmp, &dest).map_err(|e| io("cannot install files to", &dest, e))?;
    sync_dir(&parent);
    Ok((!existed).then_some(dest))
}

impl Store {
    /// Removes a pack. Refused while learners have history with it unless `force`; with
    /// `force` the pack is no longer offered but its items stay, so history keeps pointing at
    /// them. Without history every row of the pack goes. Installed files are deleted either
    /// way. The removal is remembered ([`Tx::removed_packs`]) until the pack is installed again,
    /// so that a preload folder does not bring it back. Returns how many learners had history.
    pub fn remove_pack(&mut self, id: &str, force: bool) -> Result<i64> {
        let packs = self.data_dir().join(PACKS_DIR);
        let dir = packs.join(id);
        // Unique among processes and calls, and a dot-name no pack id can have.
        let aside =
            packs.join(format!(".{id}.removing-{}-{}", std::process::id(), Timestamp::now().0));
        let learners = self.transact(|tx| {
            // A pack removed earlier (kept for history) is not installed any more.
            let installed = tx
                .pack(id)?
                .filter(|p| p.removed.is_none())
                .ok_or_else(|| StoreError::not_found("installed pack", id))?;
            let learners = tx.learners_with_history(id)?;
            if learners > 0 && !force {
                return Err(StoreError::invalid(format!(
                    "{learners} learner(s) have history with pack {id}; \
                     use --force to remove it anyway (their history is kept)"
                )));
            }
            let c = tx.conn();
            c.execute("DELETE FROM pack_items WHERE pack_id = ?1", [id])?;
            if learners > 0 {
                c.execute(
                    "UPDATE packs SET removed_ms = ifnull(removed_ms, ?2) WHERE id = ?1",
                    params![id, Timestamp::now().0],
                )?;
            } else {
                c.execute("DELETE FROM item_revisions WHERE pack_id = ?1", [id])?;
                c.execute("DELETE FROM pack_versions WHERE pack_id = ?1", [id])?;
                c.execute("DELETE FROM packs WHERE id = ?1", [id])?;
            }
            let removed = RemovedPack {
                id: id.to_owned(),
                version: installed.version,
                title: installed.title,
                removed: Timestamp::now(),
            };
            tx.mark_removed(id, Some(removed))?;
            tx.changes_mut(|c| c.packs += 1);
            // The files go aside under the write lock, so an install of this pack by another
            // process is either committed already (and removed with them) or, when its
            // transaction comes, finds its files gone and writes them again
            // (`Store::commit_install`); deleting them after the commit could take the files of
            // an install committed in between.
            if dir.exists() {
                fs::rename(&dir, &aside)
                    .map_err(|e| StoreError::io("cannot move aside", &dir, e))?;
            }
            Ok(learners)
        });
        let learners = match learners {
            Ok(n) => n,
            Err(e) => {
                // Nothing was removed: the files go back.
                if aside.exists() && !dir.exists() {
                    let _ = fs::rename(&aside, &dir);
                }
                return Err(e);
            }
        };
        if aside.exists() {
            fs::remove_dir_all(&aside).map_err(|e| StoreError::io("cannot delete", &aside, e))?;
        }
        Ok(learners)
    }
}

/// Every file under `dir`, as a path relative to `root` with `/` separators (nothing if `dir`
/// cannot be read).
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> =
                rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push(parts.join("/"));
        }
    }
}

/// The packs with their item counts, files and learners with history (`?1`: removed ones too;
/// `?2`: only the pack with that id, or all when NULL). The learners are counted one by one
/// through the index on `events (learner_id, pack_id)`: a lookup per learner, not a pass over
/// every event of the pack (what `count(DISTINCT learner_id)` over the pack's events cost: half
/// a second per listing on a classroom machine with a year of history, docs/benchmarks.md).
/// Every event belongs to a learner who exists (foreign key), so the counts are the same.
const PACKS_SQL: &str = "SELECT p.id, p.version, p.title, p.installed_ms, p.removed_ms,
       (SELECT count(*) FROM pack_items i WHERE i.pack_id = p.id),
       (SELECT count(*) FROM learners l WHERE EXISTS
          (SELECT 1 FROM events e WHERE e.learner_id = l.id AND e.pack_id = p.id)),
       CASE WHEN p.removed_ms IS NULL THEN (SELECT files_dir FROM pack_versions v
         WHERE v.pack_id = p.id AND v.version = p.version) END
     FROM packs p WHERE (?1 OR p.removed_ms IS NULL) AND (?2 IS NULL OR p.id = ?2)
     ORDER BY p.id";

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite chooses for `sql`, one line per step.
    fn plan(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let rows = stmt.query_map(params![true, rusqlite::types::Null], |r| r.get::<_, String>(3));
        rows.expect("plan rows").collect::<rusqlite::Result<_>>().expect("plan rows")
    }

    /// Listing the courses (the app's course list, every course load and every picture a pack
    /// serves) counted the learners with history through every event of each pack: half a
    /// second on a year of a classroom's history. It must look events up by learner and pack,
    /// never walk them.
    #[test]
    fn listing_packs_looks_learners_up_instead_of_walking_the_events() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut store = Store::open(dir.path()).expect("open");
        let mut g = pack("1.0.0", &[]);
        store.install_pack(&g, false).expect("install");
        g.id = "other".into();
        store.install_pack(&g, false).expect("install");
        let steps = store.read(|tx| Ok(plan(tx.conn(), PACKS_SQL))).expect("plan");
        let on_events: Vec<&String> = steps.iter().filter(|s| s.contains(" e ")).collect();
        assert!(!on_events.is_empty(), "no step on events in {steps:#?}");
        for s in &on_events {
            assert!(
                s.starts_with("SEARCH e ")
                    && s.contains("INDEX events_learner_pack (learner_id=? AND pack_id=?)"),
                "events read by {s:?}, not looked up by learner and pack: {steps:#?}"
            );
        }
        // And the counts are right: learners with events on the pack, each once.
        store
            .transact(|tx| {
                let ids = ["Ana", "Ben", "Cy"]
                    .map(|n| tx.add_learner(&crate::NewLearner::named(n)).expect("learner"));
                for (who, pack, n) in [(ids[0], "geo", 3), (ids[1], "geo", 1), (ids[1], "other", 2)]
                {
                    for _ in 0..n {
                        let item = crate::ItemRef::new(pack, "a");
                        tx.append_event(who, None, &crate::Event::Skip { item })?;
                    }
                }
                Ok(())
            })
            .expect("events");
        let counts = |s: &Store| {
            s.read(|tx| tx.packs(true))
                .expect("packs")
                .into_iter()
                .map(|p| (p.id, p.learners_with_history))
                .collect::<Vec<_>>()
        };
        assert_eq!(counts(&store), [("geo".to_owned(), 2), ("other".to_owned(), 1)]);
        let one = store.read(|tx| tx.pack("other")).expect("pack").expect("installed");
        assert_eq!((one.id.as_str(), one.learners_with_history, one.items), ("other", 1, 1));
        assert!(store.read(|tx| tx.pack("nope")).expect("pack").is_none());
    }

    fn pack(version: &str, files: &[(&str, &[u8])]) -> PackContent {
        PackContent {
            id: "geo".into(),
            version: version.into(),
            title: "Geometry".into(),
            meta: serde_json::json!({"version": version}),
            items: vec![ItemContent { id: "a".into(), content: serde_json::json!({"v": 1}) }],
            files: files
                .iter()
                .map(|(p, b)| PackFile { path: (*p).into(), bytes: b.to_vec() })
                .collect(),
        }
    }

    fn dot_entries(packs: &Path) -> Vec<String> {
        fs::read_dir(packs)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Two processes, one removing the pack and one installing a new version of it: whatever
    /// the order of their steps, the install that commits last keeps its files. The removal
    /// runs whole between the install's writing of its files and its transaction (the order in
    /// which a removal that deleted the files after its commit lost them).
    #[test]
    fn a_removal_between_an_installs_files_and_its_rows_leaves_the_install_whole() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut remover = Store::open(dir.path()).expect("open");
        let mut installer = Store::open(dir.path()).expect("open");
        remover.install_pack(&pack("1.0.0", &[("media/a.svg", b"<svg/>")]), false).expect("v1");
        let v2 = pack("2.0.0", &[("media/a.svg", b"<svg>2</svg>"), ("media/b.svg", b"<svg/>")]);

        let rel = v2.files_dir().expect("files");
        let created = write_pack_files(installer.data_dir(), &v2, &rel).expect("write v2's files");
        assert_eq!(remover.remove_pack("geo", false).expect("remove"), 0);
        let diff = installer.commit_install(&v2, created, false).expect("install").expect("rows");
        assert_eq!(diff.to_version, "2.0.0");

        let installed = dir.path().join("packs/geo/2.0.0/media");
        assert_eq!(fs::read(installed.join("a.svg")).expect("a.svg"), b"<svg>2</svg>");
        assert_eq!(fs::read(installed.join("b.svg")).expect("b.svg"), b"<svg/>");
        assert!(!dir.path().join("packs/geo/1.0.0").exists(), "the removed version's files go");
        let p = installer.read(|tx| tx.pack("geo")).expect("read").expect("installed");
        assert_eq!((p.version.as_str(), p.removed), ("2.0.0", None));
        assert!(dot_entries(&dir.path().join("packs")).is_empty(), "nothing left aside");
    }

    /// The install that commits first is removed with its files; a removal that fails (here:
    /// refused for history) leaves every file where it was.
    #[test]
    fn a_removal_after_an_install_takes_its_files_and_a_refused_one_keeps_them() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(dir.path()).expect("open");
        let v1 = pack("1.0.0", &[("media/a.svg", b"<svg/>")]);
        s.install_pack(&v1, false).expect("v1");
        let learner =
            s.transact(|tx| tx.add_learner(&crate::NewLearner::named("Ana"))).expect("learner");
        s.transact(|tx| {
            let item = crate::ItemRef::new("geo", "a");
            tx.append_event(learner, None, &crate::Event::shown(item, "t"))
        })
        .expect("event");
        assert_eq!(s.remove_pack("geo", false).unwrap_err().kind(), crate::ErrorKind::Invalid);
        assert!(files_in_place(&dir.path().join("packs/geo/1.0.0"), &v1));
        assert!(dot_entries(&dir.path().join("packs")).is_empty());

        assert_eq!(s.remove_pack("geo", true).expect("forced"), 1);
        assert!(!dir.path().join("packs/geo").exists());
        assert!(dot_entries(&dir.path().join("packs")).is_empty());
    }

    /// An install that fails leaves no empty folder of the pack behind: not when its files
    /// cannot be written, not when its rows are refused after them.
    #[test]
    fn a_failed_first_install_leaves_no_pack_folder() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(dir.path()).expect("open");
        // A file and a folder of the same name cannot both be written.
        let clash = pack("1.0.0", &[("media/fig", b"x"), ("media/fig/a.svg", b"<svg/>")]);
        assert!(s.install_pack(&clash, false).is_err());
        assert!(!dir.path().join("packs/geo").exists(), "no packs/geo left after a write failure");

        // Rows refused after the files were written: the preload's install of a removed pack.
        s.install_pack(&pack("1.0.0", &[("a.svg", b"<svg/>")]), false).expect("v1");
        s.remove_pack("geo", false).expect("remove");
        let v2 = pack("2.0.0", &[("a.svg", b"<svg>2</svg>")]);
        assert_eq!(s.install_pack_unless_removed(&v2).expect("left alone"), None);
        assert!(!dir.path().join("packs/geo").exists(), "no packs/geo left after a refusal");
    }

    /// An install whose folder was there before it (a leftover) and moved aside by a removal
    /// writes its files again in its transaction; when its rows are then refused (another
    /// process installed a newer version meanwhile), that folder goes too.
    #[test]
    fn a_refused_install_removes_the_folder_it_wrote_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(dir.path()).expect("open");
        let mut installer = Store::open(dir.path()).expect("open");
        s.install_pack(&pack("1.0.0", &[("a.svg", b"1")]), false).expect("v1");
        let v2 = pack("2.0.0", &[("a.svg", b"2")]);
        let stale = dir.path().join("packs/geo/2.0.0");
        fs::create_dir_all(&stale).expect("a leftover folder");
        let rel = v2.files_dir().expect("files");
        let created = write_pack_files(installer.data_dir(), &v2, &rel).expect("write");
        assert_eq!(created, None, "the folder was there");
        s.remove_pack("geo", false).expect("remove");
        s.install_pack(&pack("3.0.0", &[("a.svg", b"3")]), false).expect("v3");
        let err = installer.commit_install(&v2, created, false).unwrap_err();
        assert!(err.to_string().contains("older"), "{err}");
        assert!(!stale.exists(), "the refused install's folder is gone");
        assert!(dir.path().join("packs/geo/3.0.0/a.svg").exists(), "v3 keeps its files");
    }

    /// The same version installed again puts back its files when they are gone, but not for a
    /// pack removed in the meantime.
    #[test]
    fn files_are_put_back_only_for_the_version_installed() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(dir.path()).expect("open");
        let v1 = pack("1.0.0", &[("a.svg", b"1")]);
        s.install_pack(&v1, false).expect("v1");
        fs::remove_dir_all(dir.path().join("packs/geo/1.0.0")).expect("deleted by hand");
        assert!(s.install_pack(&v1, false).expect("again").is_noop());
        assert!(files_in_place(&dir.path().join("packs/geo/1.0.0"), &v1), "put back");
    }

    /// A folder moved aside while an install was writing into it holds only some files; the
    /// install's transaction sees that and writes them all again.
    #[test]
    fn files_in_place_checks_every_file_and_its_length() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = pack("1.0.0", &[("media/a.svg", b"<svg/>"), ("b.txt", b"bb")]);
        write_pack_files(dir.path(), &p, "v").expect("write");
        assert!(files_in_place(&dir.path().join("v"), &p));
        fs::remove_file(dir.path().join("v/b.txt")).expect("rm");
        assert!(!files_in_place(&dir.path().join("v"), &p));
        fs::write(dir.path().join("v/b.txt"), b"b").expect("write");
        assert!(!files_in_place(&dir.path().join("v"), &p), "a shorter file");
        assert!(!files_in_place(&dir.path().join("none"), &p));
    }
}
