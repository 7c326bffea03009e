//! Everything Ladder knows about its learners, in one SQLite database in the data directory.
//!
//! This crate is the only code that speaks SQL. It keeps learner profiles, installed packs and
//! every revision of their items, the append-only event log (the model's training corpus and
//! the source of every report), model versions, settings and the tutor PIN, and it takes and
//! restores backups. The layout, the event JSON and the error kinds are documented in
//! `docs/store.md`.
//!
//! Every write goes through [`Store::transact`]: one `BEGIN IMMEDIATE` transaction that commits
//! (durably: WAL with `synchronous=FULL`) or rolls back, and reports what changed.
//!
//! ```
//! use ladder_store::{Event, ItemRef, NewLearner, Store};
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = Store::open(dir.path())?;
//! let ana = store.transact(|tx| tx.add_learner(&NewLearner::named("Ana")))?;
//! let session = store.transact(|tx| {
//!     let s = tx.append_event(ana, None, &Event::SessionStart {
//!         pack: None, client: None, lesson: None, policy: None,
//!     })?;
//!     tx.append_event(ana, Some(s.into()), &Event::HintShown {
//!         item: ItemRef::new("fractions", "meaning-001"),
//!         level: 1,
//!     })?;
//!     Ok(s)
//! })?;
//! let history = store.read(|tx| tx.events(ana, None))?;
//! assert_eq!(history.len(), 2);
//! assert_eq!(history[1].session, Some(session.into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::Cell;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

mod backup;
mod erase;
mod error;
mod events;
mod ids;
mod learners;
mod models;
mod packs;
mod settings;
mod sqlite;
mod time;

pub use backup::{
    check_backup, list_backups, lock_backups, newest_good_backup, restore, BackupInfo, BackupsLock,
    DailyBackup, DailyOutcome, RestoreReport, BACKUP_DIR,
};
pub use erase::{DeletionReport, LearnerExport, EXPORT_FORMAT, EXPORT_FORMAT_VERSION};
pub use error::{ErrorKind, OrNotFound, Result, StoreError};
pub use events::{Event, EventRecord, ItemRef};
pub use ids::{EventId, LearnerId, ModelVersionId, SessionId};
pub use learners::{learner_name_key, Learner, NewLearner};
pub use models::{ModelScope, ModelVersion, NewModelVersion};
pub use packs::{
    InstalledPack, ItemContent, ItemRevision, PackContent, PackDiff, PackFile, PackStamp,
    RemovedPack, StoredItem, REMOVED_PACKS_KEY,
};
pub use sqlite::{Pragmas, BUSY_TIMEOUT, SCHEMA_VERSION};
pub use time::Timestamp;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "ladder.sqlite3";

/// How [`Store::open_with`] opens the data directory. The default does nothing extra.
///
/// Opening never takes the daily backup: a copy of the whole file (a second per 70 MB) does not
/// belong on the way to a front end's first screen. Front ends start it once the store is open,
/// with [`DailyBackup::start`], and show its warning when it fails. The backup taken before a
/// schema upgrade is still taken by every open, before the migration writes anything.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Run `PRAGMA quick_check` on open, so that damage is reported at start-up, before
    /// anything is written to the file.
    pub check_on_open: bool,
    /// Create a new empty database even though the file is missing and backups exist.
    pub allow_new_with_backups: bool,
}

impl OpenOptions {
    /// What a front end uses at start-up: check the file (then it starts [`DailyBackup`]).
    pub fn startup() -> Self {
        OpenOptions { check_on_open: true, allow_new_with_backups: false }
    }
}

/// The learner store: one connection to `<data-dir>/ladder.sqlite3`.
pub struct Store {
    conn: Connection,
    data_dir: PathBuf,
    db_path: PathBuf,
    /// What opening could not do but did not need (see [`Store::startup_warnings`]).
    warnings: Vec<String>,
}

/// What a committed transaction changed (counts of rows written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub learners: u32,
    pub events_appended: u32,
    pub packs: u32,
    pub items: u32,
    pub models: u32,
    pub settings: u32,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// An open transaction. Reads and writes of every table are methods on `Tx`.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
    changes: Cell<Changes>,
    data_dir: &'c Path,
}

impl Tx<'_> {
    pub(crate) fn conn(&self) -> &Connection {
        &self.tx
    }

    pub(crate) fn changes_mut(&self, f: impl FnOnce(&mut Changes)) {
        let mut c = self.changes.get();
        f(&mut c);
        self.changes.set(c);
    }

    /// The data directory the store lives in.
    pub fn data_dir(&self) -> &Path {
        self.data_dir
    }
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` with default options: no check, no
    /// automatic backup. Front ends use [`Store::open_with`]`(dir, &OpenOptions::startup())`.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(data_dir, &OpenOptions::default())
    }

    pub fn open_with(data_dir: impl AsRef<Path>, opts: &OpenOptions) -> Result<Store> {
        let data_dir = data_dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&data_dir)
            .map_err(|e| StoreError::io("cannot create the data directory", &data_dir, e))?;
        probe_writable(&data_dir)?;
        let db_path = data_dir.join(DB_FILE);
        if db_path.is_dir() {
            return Err(StoreError::Io {
                context: format!(
                    "{} is a folder, not the database file: move it away, or run `ladder db \
                     restore` to put the newest good backup in its place (the folder is kept \
                     beside it)",
                    db_path.display()
                ),
                err: std::io::Error::from(std::io::ErrorKind::IsADirectory),
            });
        }
        if database_absent(&data_dir)
            && !opts.allow_new_with_backups
            && !list_backups(&data_dir).is_empty()
        {
            return Err(StoreError::Missing {
                path: db_path,
                backup: newest_good_backup(&data_dir).map(|b| b.path),
            });
        }
        // Whatever the options: every program that meets an older file first copies it.
        backup::backup_before_migration(&db_path, &data_dir)
            .map_err(|e| with_backup_offer(e, &data_dir))?;
        let conn = sqlite::open_and_migrate(&db_path, true)
            .map_err(|e| with_backup_offer(e, &data_dir))?;
        let mut store = Store { conn, data_dir, db_path, warnings: Vec::new() };
        if opts.check_on_open {
            let problems: Vec<String> = store
                .conn
                .prepare("PRAGMA quick_check(5)")
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(|e| {
                    with_backup_offer(StoreError::sqlite(&store.db_path, e), &store.data_dir)
                })?;
            if problems != ["ok"] {
                return Err(with_backup_offer(
                    StoreError::Corrupt {
                        path: store.db_path.clone(),
                        detail: problems.join("; "),
                        backup: None,
                    },
                    &store.data_dir,
                ));
            }
        }
        if opts.check_on_open && store.is_read_only() {
            store.warnings.push(read_only_warning(&store.db_path));
        }
        Ok(store)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Could SQLite open the file for reading only (a file the account may not write, in a
    /// folder it may)? Every write would then fail with `read_only`.
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    /// What [`OpenOptions::startup`] found that the store opened despite: a database file that
    /// cannot be written. A front end shows these to the user, with the warning of its
    /// [`DailyBackup`] when that fails.
    pub fn startup_warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`, so it never fails half-way for
    /// want of the write lock). Commits when `f` returns `Ok`, rolls back otherwise.
    pub fn transact<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.transact_changes(f).map(|(v, _)| v)
    }

    /// [`Store::transact`], also returning what the transaction changed.
    pub fn transact_changes<T>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<(T, Changes)> {
        let path = self.db_path.clone();
        let run = || -> Result<(T, Changes)> {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let tx = Tx { tx, changes: Cell::new(Changes::default()), data_dir: &self.data_dir };
            let value = f(&tx)?;
            let changes = tx.changes.get();
            tx.tx.commit()?;
            Ok((value, changes))
        };
        let data_dir = self.data_dir.clone();
        run().map_err(|e| with_backup_offer(sqlite::fill_path(e, &path), &data_dir))
    }

    /// Runs `f` in a read transaction: one consistent snapshot, writes refused.
    pub fn read<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let path = self.db_path.clone();
        let run = || -> Result<T> {
            self.conn.execute_batch("PRAGMA query_only=ON")?;
            let result = (|| {
                let tx = self.conn.unchecked_transaction()?;
                let tx =
                    Tx { tx, changes: Cell::new(Changes::default()), data_dir: &self.data_dir };
                let value = f(&tx)?;
                tx.tx.commit()?;
                Ok(value)
            })();
            self.conn.execute_batch("PRAGMA query_only=OFF")?;
            result
        };
        run().map_err(|e| match e {
            // query_only: the file is writable, the caller used `read` for a write.
            StoreError::ReadOnly { .. } => {
                StoreError::invalid("a read transaction cannot write: use Store::transact")
            }
            e => with_backup_offer(sqlite::fill_path(e, &path), &self.data_dir),
        })
    }

    /// The pragmas of this store's connection, as SQLite reports them.
    pub fn pragmas(&self) -> Result<Pragmas> {
        Ok(sqlite::read_pragmas(&self.conn)?)
    }

    /// `PRAGMA integrity_check`: the problems found (empty when the file is sound). A file too
    /// damaged to check is a `Corrupt` error that names the newest good backup.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        sqlite::integrity_check(&self.conn)
            .map_err(|e| with_backup_offer(StoreError::sqlite(&self.db_path, e), &self.data_dir))
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Caps the database at `pages` pages for this connection (SQLite's `max_page_count`); a
    /// write that would grow past it fails with [`ErrorKind::DiskFull`]. Used to test disk-full
    /// handling; returns the cap in force (never below the current size).
    pub fn set_max_page_count(&self, pages: i64) -> Result<i64> {
        Ok(self.conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get(0))?)
    }

    /// Changes how long this connection waits for another writer before failing with
    /// [`ErrorKind::Locked`] (default [`BUSY_TIMEOUT`]).
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(timeout)?)
    }

    /// Current size of the database in pages.
    pub fn page_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }
}

/// Is there no database in `data_dir` yet: no `ladder.sqlite3`, or an empty one (zero bytes)
/// with no WAL content beside it? SQLite takes an empty file for a new database and would write
/// a new empty schema into it; while backups exist, [`Store::open`] refuses it as `Missing`
/// instead (a file system that lost the file's contents must not silently lose the learners).
pub fn database_absent(data_dir: &Path) -> bool {
    let len = |p: PathBuf| std::fs::metadata(p).ok().filter(|m| m.is_file()).map(|m| m.len());
    let db = data_dir.join(DB_FILE);
    if !db.exists() {
        return true;
    }
    len(db) == Some(0) && len(data_dir.join(format!("{DB_FILE}-wal"))).unwrap_or(0) == 0
}

/// Said at start-up (and by `ladder db check`) of a database file that cannot be written.
pub fn read_only_warning(db: &Path) -> String {
    format!(
        "the database at {} is read-only: what is stored can be read, but no answer or change \
         can be saved; make the file writable for the account that runs Ladder, or choose \
         another data directory",
        db.display()
    )
}

/// Creating a file tells a read-only folder apart from other open failures, with a clear
/// message, before SQLite reports it as "unable to open database file".
fn probe_writable(dir: &Path) -> Result<()> {
    let probe = dir.join(format!(".ladder-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(StoreError::io("cannot write in the data directory", dir, e)),
    }
}

/// A damaged database gets the newest good backup named in its error.
fn with_backup_offer(e: StoreError, data_dir: &Path) -> StoreError {
    match e {
        StoreError::Corrupt { path, detail, backup: None } => StoreError::Corrupt {
            path,
            detail,
            backup: newest_good_backup(data_dir).map(|b| b.path),
        },
        other => other,
    }
}
