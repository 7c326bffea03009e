//! Exporting everything about a learner, and erasing a learner for good.
//!
//! `delete_learner` leaves no readable trace of the learner in the database file or its WAL:
//! rows are deleted with `secure_delete` on (freed space is zeroed), the WAL is checkpointed
//! and truncated, the file is rebuilt with `VACUUM`, and the WAL truncated again. Then every
//! backup is cleaned the same way, exports this device wrote are deleted, and checkpoints
//! fine-tuned for the learner are removed (the registered ones and the folder
//! `models/learner-<id>/` with anything left in it).

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::backup::{list_backups, lock_backups};
use crate::error::{OrNotFound, Result, StoreError};
use crate::events::EventRecord;
use crate::ids::LearnerId;
use crate::learners::Learner;
use crate::models::{ModelScope, ModelVersion};
use crate::time::Timestamp;
use crate::{Store, DB_FILE, SCHEMA_VERSION};

/// Where the engine keeps checkpoints, inside the data directory: a learner's own are in
/// `models/learner-<id>/` (`ladder_engine::training`), and `delete_learner` removes that folder.
const LEARNER_MODELS_DIR: &str = "models";

/// `format` of an export file.
pub const EXPORT_FORMAT: &str = "ladder-learner-export";
/// `format_version` of an export file (docs/store.md).
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// Everything stored about one learner (`ladder learner export`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerExport {
    pub format: String,
    pub format_version: u32,
    pub schema_version: i64,
    pub exported: Timestamp,
    pub learner: Learner,
    /// Every event, oldest first.
    pub events: Vec<EventRecord>,
    /// Models fine-tuned for this learner.
    pub model_versions: Vec<ModelVersion>,
}

/// What `delete_learner` removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeletionReport {
    pub learner: Option<LearnerId>,
    pub events_deleted: u64,
    pub backups_cleaned: Vec<PathBuf>,
    pub exports_deleted: Vec<PathBuf>,
    pub checkpoints_deleted: Vec<PathBuf>,
    /// Things that could not be cleaned (e.g. a damaged file kept aside by a restore).
    pub warnings: Vec<String>,
}

/// The settings key under which the engine keeps a session's scope (lesson and policy):
/// `engine.session.<id>`, the id being that of the session's `session_start` event
/// (`ladder_engine::engine`). A learner's sessions go with the learner.
const SESSION_SETTING_PREFIX: &str = "engine.session.";

/// Deletes a learner's rows; returns the number of events removed. Works on the live database
/// and on backups (which may have an older schema: every version has these tables).
fn delete_rows(conn: &Connection, id: LearnerId) -> rusqlite::Result<u64> {
    // Before the events that name the sessions.
    conn.execute(
        "DELETE FROM settings WHERE key IN (SELECT ?2 || id FROM events \
         WHERE learner_id = ?1 AND kind = 'session_start')",
        params![id.0, SESSION_SETTING_PREFIX],
    )?;
    let events = conn.execute("DELETE FROM events WHERE learner_id = ?1", [id.0])?;
    conn.execute("DELETE FROM model_versions WHERE learner_id = ?1", [id.0])?;
    conn.execute("DELETE FROM exports WHERE learner_id = ?1", [id.0])?;
    conn.execute("DELETE FROM learners WHERE id = ?1", [id.0])?;
    Ok(events as u64)
}

/// The export files recorded for learner `id` (path, SHA-256 when recorded). A database of
/// schema 1 has no hash column: its rows come without one.
fn recorded_exports(
    conn: &Connection,
    id: LearnerId,
) -> rusqlite::Result<Vec<(String, Option<String>)>> {
    let rows = |sql: &str| -> rusqlite::Result<Vec<(String, Option<String>)>> {
        conn.prepare(sql)?.query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
    };
    rows("SELECT path, sha256 FROM exports WHERE learner_id = ?1")
        .or_else(|_| rows("SELECT path, NULL FROM exports WHERE learner_id = ?1"))
}

/// Cleans a backup file in place: delete, rebuild, no journal left.
fn scrub_backup(path: &Path, id: LearnerId) -> rusqlite::Result<()> {
    let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(crate::BUSY_TIMEOUT)?;
    conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0))?;
    conn.execute_batch("PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;")?;
    let tx = conn.transaction()?;
    delete_rows(&tx, id)?;
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    Ok(())
}

/// Files a backup (`backups/.ladder-<time>.sqlite3.tmp`) or a restore
/// (`ladder.sqlite3.restoring`) writes before renaming them, with their rollback journals:
/// any found outside those moments were left by a program that was stopped half-way.
fn half_written_copies(data_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(data_dir.join(crate::backup::BACKUP_DIR)) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(".ladder-")
                && (name.ends_with(".sqlite3.tmp") || name.ends_with(".sqlite3.tmp-journal"))
            {
                out.push(e.path());
            }
        }
    }
    for suffix in ["", "-journal"] {
        let p = data_dir.join(format!("{DB_FILE}.restoring{suffix}"));
        if p.is_file() {
            out.push(p);
        }
    }
    out
}

/// `path` made absolute, `.` and `..` resolved, and the longest part of it that exists
/// canonicalised (links followed), so that two spellings of one file compare equal.
fn resolve_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut norm = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                norm.pop();
            }
            Component::CurDir => {}
            other => norm.push(other),
        }
    }
    let mut head = norm.clone();
    let mut tail = Vec::new();
    loop {
        if let Ok(mut real) = fs::canonicalize(&head) {
            for part in tail.iter().rev() {
                real.push(part);
            }
            return real;
        }
        match head.file_name() {
            Some(name) => {
                tail.push(name.to_owned());
                head.pop();
            }
            None => return norm,
        }
    }
}

/// Is `path` an export of learner `id` (so that deleting it is safe)?
fn is_export_of(path: &Path, id: LearnerId) -> bool {
    #[derive(Deserialize)]
    struct Head {
        format: String,
        learner: HeadLearner,
    }
    #[derive(Deserialize)]
    struct HeadLearner {
        id: LearnerId,
    }
    let Ok(text) = fs::read_to_string(path) else { return false };
    serde_json::from_str::<Head>(&text)
        .is_ok_and(|h| h.format == EXPORT_FORMAT && h.learner.id == id)
}

impl Store {
    /// Everything about a learner, for `ladder learner export`.
    pub fn export_learner(&self, id: LearnerId) -> Result<LearnerExport> {
        self.read(|tx| {
            let learner = tx.learner(id)?.or_not_found("learner", id)?;
            Ok(LearnerExport {
                format: EXPORT_FORMAT.to_string(),
                format_version: EXPORT_FORMAT_VERSION,
                schema_version: SCHEMA_VERSION,
                exported: Timestamp::now(),
                learner,
                events: tx.events(id, None)?,
                model_versions: tx.model_versions(ModelScope::Learner(id))?,
            })
        })
    }

    /// Writes an export file (atomically: temp file, sync, rename) and remembers its path, so
    /// that deleting the learner later deletes it too.
    pub fn write_learner_export(&mut self, id: LearnerId, path: &Path) -> Result<LearnerExport> {
        self.check_output_path(path)?;
        let export = self.export_learner(id)?;
        let json = serde_json::to_vec_pretty(&export)?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".ladder-export-tmp");
        let tmp = PathBuf::from(tmp);
        let written = fs::write(&tmp, &json)
            .and_then(|()| fs::File::open(&tmp)?.sync_all())
            .and_then(|()| fs::rename(&tmp, path));
        if let Err(e) = written {
            // The temporary file holds the learner's whole history and is recorded nowhere.
            let _ = fs::remove_file(&tmp);
            return Err(StoreError::io("cannot write the export", path, e));
        }
        // An export that is not recorded would outlive `learner delete`: none, then.
        if let Err(e) = self.record_export(&[id], path) {
            let _ = fs::remove_file(path);
            return Err(e);
        }
        Ok(export)
    }

    /// Refuses `path` as a file to write (an export, a report) when it is one of Ladder's own
    /// files in the data directory: the database and its `-wal`/`-shm`, a file a restore set
    /// aside, anything under `backups/`, `packs/` or `models/`. Writing an export there renamed
    /// it over the live database (every answer since the last backup lost) or over a backup.
    /// The path is compared after resolving `..`, links and the working directory.
    pub fn check_output_path(&self, path: &Path) -> Result<()> {
        let dest = resolve_path(path);
        let root = resolve_path(self.data_dir());
        let Ok(rel) = dest.strip_prefix(&root) else { return Ok(()) };
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
        let first = parts.next().unwrap_or_default();
        let nested = parts.next().is_some();
        let own = [crate::backup::BACKUP_DIR, crate::packs::PACKS_DIR, LEARNER_MODELS_DIR]
            .contains(&first.as_str())
            || (!nested && first.starts_with(DB_FILE))
            || rel.as_os_str().is_empty();
        if own {
            return Err(StoreError::invalid(format!(
                "{} is among Ladder's own files in the data directory {} (the database, its \
                 backups, packs and models): writing it there would destroy them; choose a \
                 file outside them (another name in that folder is fine)",
                path.display(),
                self.data_dir().display()
            )));
        }
        Ok(())
    }

    /// Remembers a file this device wrote with learners' data in it (a report in any format), so
    /// that deleting any of `learners` later deletes the file too, as long as it is unchanged
    /// (its SHA-256 still matches what was written). Call it right after writing the file.
    pub fn record_export(&mut self, learners: &[LearnerId], path: &Path) -> Result<()> {
        let bytes =
            fs::read(path).map_err(|e| StoreError::io("cannot read the export", path, e))?;
        let sha = hex::encode(Sha256::digest(&bytes));
        let abs = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let recorded = abs.to_string_lossy().into_owned();
        let now = Timestamp::now().0;
        self.transact(|tx| {
            for id in learners {
                tx.learner(*id)?.or_not_found("learner", *id)?;
                tx.conn().execute(
                    "INSERT INTO exports (learner_id, path, created_ms, sha256) VALUES (?1, ?2, ?3, ?4)",
                    params![id.0, recorded, now, sha],
                )?;
            }
            Ok(())
        })
    }

    /// Erases a learner: from the database file and its WAL (no readable trace), from every
    /// backup, exports this device wrote, and checkpoints fine-tuned for them.
    ///
    /// Other Ladder programs with the database open must not hold a read transaction for long:
    /// truncating the WAL waits for them (up to the busy timeout) and fails with `Locked`.
    ///
    /// A learner no longer in the database whom a backup or a file a restore moved aside still
    /// holds (a deletion cut short after its commit, by a power cut or a kill) is erased from
    /// those copies: see [`Store::learner_in_copies`].
    pub fn delete_learner(&mut self, id: LearnerId) -> Result<DeletionReport> {
        let mut report = DeletionReport { learner: Some(id), ..Default::default() };
        if self.read(|tx| tx.learner(id))?.is_none() && self.learner_in_copies(id).is_some() {
            self.erase_elsewhere(id, Vec::new(), Vec::new(), &mut report)?;
            return Ok(report);
        }
        let (exports, checkpoints) = self.transact(|tx| {
            tx.learner(id)?.or_not_found("learner", id)?;
            let exports = recorded_exports(tx.conn(), id)?;
            let checkpoints: Vec<String> = tx
                .model_versions(ModelScope::Learner(id))?
                .into_iter()
                .map(|m| m.checkpoint)
                .collect();
            report.events_deleted = delete_rows(tx.conn(), id)?;
            tx.changes_mut(|c| c.learners += 1);
            Ok((exports, checkpoints))
        })?;
        self.erase_elsewhere(id, exports, checkpoints, &mut report)?;
        Ok(report)
    }

    /// A learner no longer in the database whom another copy of it still holds (a backup, a
    /// file a restore moved aside): their name there, and those copies. `None` when no copy
    /// holds them (or the learner is still in the database).
    pub fn learner_in_copies(&self, id: LearnerId) -> Option<(String, Vec<PathBuf>)> {
        let mut name = None;
        let mut holding = Vec::new();
        for copy in self.database_copies() {
            let found = Connection::open_with_flags(&copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| {
                    c.query_row("SELECT name FROM learners WHERE id = ?1", [id.0], |r| {
                        r.get::<_, String>(0)
                    })
                });
            if let Ok(n) = found {
                name.get_or_insert(n);
                holding.push(copy);
            }
        }
        name.map(|n| (n, holding))
    }

    /// After the learner's rows left the database (committed): the WAL, every other copy,
    /// exports and checkpoints. It must run to the end even when a step fails, or the backups
    /// would keep the learner.
    fn erase_elsewhere(
        &mut self,
        id: LearnerId,
        mut exports: Vec<(String, Option<String>)>,
        checkpoints: Vec<String>,
        report: &mut DeletionReport,
    ) -> Result<()> {
        // No backup or restore writes a copy while the copies are cleaned: a daily backup whose
        // copy began before the commit above lands before the list below is read (and is
        // cleaned with the others), one due later waits and copies the database without them.
        let _backups = lock_backups(self.data_dir()).ok();
        if let Err(e) = self.compact() {
            report.warnings.push(format!(
                "the database could not be compacted now ({e}): the learner's rows are deleted, \
                 but old copies may stay in {DB_FILE}-wal until SQLite checkpoints it (when no \
                 other Ladder program has the database open)"
            ));
        }

        // The other copies of the database (backups, files a restore moved aside) may remember
        // exports the live file does not: one restored from a backup older than the export.
        let copies = self.database_copies();
        for copy in &copies {
            let found = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| recorded_exports(&c, id));
            for record in found.unwrap_or_default() {
                if !exports.contains(&record) {
                    exports.push(record);
                }
            }
        }
        // A path may be recorded several times (exported again to the same file): it is ours
        // when it is what any of those exports wrote.
        let mut paths: Vec<(PathBuf, Vec<Option<String>>)> = Vec::new();
        for (e, sha) in exports {
            let p = PathBuf::from(e);
            match paths.iter_mut().find(|(q, _)| *q == p) {
                Some((_, shas)) => shas.push(sha),
                None => paths.push((p, vec![sha])),
            }
        }
        for (p, shas) in paths {
            if !p.exists() {
                continue;
            }
            let bytes = fs::read(&p).ok();
            let ours = shas.iter().any(|sha| match sha {
                // Written with its hash: ours to delete while it is exactly what was written.
                Some(sha) => bytes.as_ref().is_some_and(|b| hex::encode(Sha256::digest(b)) == *sha),
                None => is_export_of(&p, id),
            });
            if !ours {
                report
                    .warnings
                    .push(format!("export {} was changed since it was written: kept", p.display()));
            } else {
                match fs::remove_file(&p) {
                    Ok(()) => report.exports_deleted.push(p),
                    Err(err) => report.warnings.push(format!("export {}: {err}", p.display())),
                }
            }
        }
        for c in checkpoints {
            // Only files inside the data directory are ours to delete.
            let rel = Path::new(&c);
            if rel.is_absolute() || rel.components().any(|c| c.as_os_str() == "..") {
                report.warnings.push(format!("checkpoint outside the data directory: {c}"));
                continue;
            }
            let p = self.data_dir().join(rel);
            let removed = if p.is_dir() { fs::remove_dir_all(&p) } else { fs::remove_file(&p) };
            match removed {
                Ok(()) => report.checkpoints_deleted.push(p),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => report.warnings.push(format!(
                    "checkpoint {} could not be deleted ({e}); delete it by hand",
                    p.display()
                )),
            }
        }
        // The folder of the learner's own checkpoints, with any the registry does not know of
        // (a training job stopped between writing one and registering it).
        let own = self.data_dir().join(LEARNER_MODELS_DIR).join(format!("learner-{}", id.0));
        if own.is_dir() {
            match fs::remove_dir_all(&own) {
                Ok(()) => report.checkpoints_deleted.push(own),
                Err(e) => report.warnings.push(format!(
                    "the folder {} could not be deleted ({e}); delete it by hand",
                    own.display()
                )),
            }
        }
        let backups: Vec<PathBuf> =
            list_backups(self.data_dir()).into_iter().map(|b| b.path).collect();
        for path in copies {
            let backup = backups.contains(&path);
            match scrub_backup(&path, id) {
                Ok(()) if backup => report.backups_cleaned.push(path),
                Ok(()) => {}
                Err(e) => report.warnings.push(format!(
                    "{}{} could not be cleaned ({e}); delete it by hand",
                    if backup { "backup " } else { "" },
                    path.display()
                )),
            }
        }
        // Copies a backup or a restore was writing when it was killed, before their rename:
        // incomplete, in no list, and holding every learner. Deleted (under the backups lock,
        // none of them is being written now).
        for leftover in half_written_copies(self.data_dir()) {
            if let Err(e) = fs::remove_file(&leftover) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    report.warnings.push(format!(
                        "{} (left by a backup or restore that was stopped) could not be \
                         deleted ({e}); delete it by hand",
                        leftover.display()
                    ));
                }
            }
        }
        // A WAL of a file a restore moved aside is merged into it when that file is cleaned
        // (SQLite finds it by its name); one still there could not be.
        if let Ok(entries) = fs::read_dir(self.data_dir()) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(&format!("{DB_FILE}.replaced-")) && name.ends_with("-wal") {
                    report.warnings.push(format!(
                        "{} is the WAL of an old copy; delete it by hand",
                        e.path().display()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The other copies of the database in the data directory: every backup, then every file
    /// a restore moved aside (not their WALs, nor the `-shm` index that reading one in WAL mode
    /// leaves beside it, which is no database and holds no rows).
    fn database_copies(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> =
            list_backups(self.data_dir()).into_iter().map(|b| b.path).collect();
        if let Ok(entries) = fs::read_dir(self.data_dir()) {
            let mut aside: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(&format!("{DB_FILE}.replaced-"))
                        && !name.ends_with("-wal")
                        && !name.ends_with("-shm")
                })
                .map(|e| e.path())
                .collect();
            aside.sort();
            out.extend(aside);
        }
        out
    }

    /// Rewrites the file without free space and empties the WAL: after a deletion nothing of
    /// the deleted rows is left in either file.
    pub fn compact(&mut self) -> Result<()> {
        let path = self.db_path().to_path_buf();
        let run = |conn: &Connection| -> rusqlite::Result<()> {
            checkpoint_truncate(conn)?;
            conn.execute_batch("VACUUM")?;
            checkpoint_truncate(conn)
        };
        run(&self.conn).map_err(|e| StoreError::sqlite(&path, e))
    }
}

/// `wal_checkpoint(TRUNCATE)`; an incomplete checkpoint (a reader in the way) is `Locked`.
fn checkpoint_truncate(conn: &Connection) -> rusqlite::Result<()> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("another program is reading the database; the WAL could not be emptied".into()),
        ));
    }
    Ok(())
}
