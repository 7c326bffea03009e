//! Backups: taken with SQLite's online backup API into `<data-dir>/backups/`, rotated (7 daily,
//! 4 weekly), checked before use, restored with the damaged file kept aside.
//!
//! The daily backup is taken off the start-up path ([`DailyBackup`]): a front end opens the store,
//! shows its first screen, and the copy is made meanwhile on a connection of its own. Every
//! program that writes into `backups/` (a backup, a restore) holds the backups lock
//! ([`lock_backups`]) while it does, so two programs starting the same day take one backup, and a
//! restore never runs beside a backup.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use rusqlite::{Connection, OpenFlags};

use crate::error::{ErrorKind, Result, StoreError};
use crate::sqlite::{self, SCHEMA_VERSION};
use crate::time::Timestamp;
use crate::{Store, DB_FILE};

/// Folder of the backups inside the data directory.
pub const BACKUP_DIR: &str = "backups";
/// A backup is taken at start-up when the newest is older than this.
pub const BACKUP_EVERY_MS: i64 = 24 * 3600 * 1000;
/// Rotation: the newest backup of each of the 7 newest days and of the 4 newest weeks is kept.
pub const KEEP_DAILY: usize = 7;
/// The newest backups kept whatever their day, so that a backup made by hand ("Back up now",
/// `ladder db backup`) never deletes the one taken earlier the same day.
pub const KEEP_RECENT: usize = 3;
pub const KEEP_WEEKLY: usize = 4;

const PREFIX: &str = "ladder-";
const SUFFIX: &str = ".sqlite3";

/// A backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was taken (from its name, to the second).
    pub time: Timestamp,
    pub size: u64,
}

/// A backup named more than this after the present was named by a clock that was wrong (then
/// or now): a device without network time whose clock ran ahead, or fell back.
pub const FUTURE_SLACK_MS: i64 = 3600 * 1000;

/// The backups in `data_dir`, newest first. Files that are not backups are ignored.
///
/// "Newest" follows the names, except that a backup named in the future (more than
/// [`FUTURE_SLACK_MS`] after the present) comes after every other: whether the clock was ahead
/// when it was taken or is behind now, it was taken before any backup taken now. Without this a
/// single backup from a day the clock ran years ahead stayed the "newest" for years: no daily
/// backup was due, `db restore` picked it over every later one, and rotation deleted each
/// backup taken since as soon as it was written.
pub fn list_backups(data_dir: &Path) -> Vec<BackupInfo> {
    list_backups_at(data_dir, Timestamp::now())
}

/// [`list_backups`] with the present at `now`.
pub(crate) fn list_backups_at(data_dir: &Path, now: Timestamp) -> Vec<BackupInfo> {
    let Ok(entries) = fs::read_dir(data_dir.join(BACKUP_DIR)) else {
        return Vec::new();
    };
    let mut out: Vec<BackupInfo> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
            let time = Timestamp::parse_compact_utc(stamp)?;
            let size = e.metadata().ok()?.len();
            Some(BackupInfo { path: e.path(), time, size })
        })
        .collect();
    out.sort_by(|a, b| {
        a.named_in_future(now)
            .cmp(&b.named_in_future(now))
            .then(b.time.cmp(&a.time))
            .then(b.path.cmp(&a.path))
    });
    out
}

impl BackupInfo {
    /// Named more than [`FUTURE_SLACK_MS`] after `now`: the clock was wrong when it was taken,
    /// or is now.
    pub fn named_in_future(&self, now: Timestamp) -> bool {
        self.time.0 > now.0 + FUTURE_SLACK_MS
    }
}

/// Problems with a backup file (empty when it opens, passes `integrity_check` and has a schema
/// this version can read).
pub fn check_backup(path: &Path) -> Vec<String> {
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(e) => return vec![e.to_string()],
    };
    let version: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(e) => return vec![e.to_string()],
    };
    if !(1..=SCHEMA_VERSION).contains(&version) {
        return vec![format!("schema version {version} (this Ladder reads 1 to {SCHEMA_VERSION})")];
    }
    sqlite::integrity_check(&conn).unwrap_or_else(|e| vec![e.to_string()])
}

/// The newest backup that passes [`check_backup`].
pub fn newest_good_backup(data_dir: &Path) -> Option<BackupInfo> {
    list_backups(data_dir).into_iter().find(|b| check_backup(&b.path).is_empty())
}

/// Which backups rotation keeps: the `KEEP_RECENT` newest, and the newest of each of the
/// `KEEP_DAILY` newest days and of the `KEEP_WEEKLY` newest weeks (weeks counted from the epoch,
/// so they start on Thursdays: the exact boundary does not matter, only that old backups thin
/// out).
pub(crate) fn to_delete(backups: &[BackupInfo]) -> Vec<PathBuf> {
    let mut days: Vec<i64> = Vec::new();
    let mut weeks: Vec<i64> = Vec::new();
    let mut doomed = Vec::new();
    // `backups` is newest first, so the first seen of a day/week is its newest.
    for (k, b) in backups.iter().enumerate() {
        let (day, week) = (b.time.day(), b.time.day().div_euclid(7));
        let mut keep = k < KEEP_RECENT;
        if !days.contains(&day) && days.len() < KEEP_DAILY {
            days.push(day);
            keep = true;
        }
        if !weeks.contains(&week) && weeks.len() < KEEP_WEEKLY {
            weeks.push(week);
            keep = true;
        }
        if !keep {
            doomed.push(b.path.clone());
        }
    }
    doomed
}

/// The schema version a database file's header records (`user_version`, 4 bytes big-endian at
/// offset 60), read without SQLite; `None` when the file cannot be read.
fn schema_of(path: &Path) -> Option<u32> {
    use std::io::Read;
    let mut header = [0u8; 64];
    fs::File::open(path).ok()?.read_exact(&mut header).ok()?;
    header
        .starts_with(b"SQLite format 3\0")
        .then(|| u32::from_be_bytes([header[60], header[61], header[62], header[63]]))
}

/// What `restore` did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// Where the replaced database was moved (`None` when there was none).
    pub previous_kept_at: Option<PathBuf>,
}

/// Replaces the database with a backup (`backup`, else the newest good one). The current file,
/// damaged or not, is moved aside as `ladder.sqlite3.replaced-<time>` (with its WAL), never
/// deleted. Close every Ladder program first: a running one would keep its old file open.
///
/// The backup is copied with SQLite's backup API, so a database file given with its `-wal`
/// beside it (one copied from another computer whose program did not close cleanly) comes with
/// everything the WAL holds; the copy is made and checked before anything is moved, so a failed
/// copy leaves the data directory as it was.
pub fn restore(data_dir: &Path, backup: Option<&Path>) -> Result<RestoreReport> {
    // No backup is written (nor rotated away) while the one to restore is chosen and copied,
    // and none reads the file that is moved aside. Best effort: a backups folder that cannot be
    // made must not stop a restore from a file given by its path.
    let backups_lock = lock_backups(data_dir).ok();
    let chosen = match backup {
        Some(p) => {
            let problems = check_backup(p);
            if !problems.is_empty() {
                return Err(StoreError::invalid(format!(
                    "{} is not a usable backup: {}",
                    p.display(),
                    problems.join("; ")
                )));
            }
            p.to_path_buf()
        }
        None => {
            newest_good_backup(data_dir)
                .ok_or_else(|| {
                    StoreError::invalid(format!(
                        "no good backup in {}, so nothing was changed: `ladder db check` says \
                         what is wrong with each backup, and a database file from elsewhere (a \
                         copy on another disk) is restored with `ladder db restore FILE`",
                        data_dir.join(BACKUP_DIR).display()
                    ))
                })?
                .path
        }
    };
    let db = data_dir.join(DB_FILE);
    let io = |what: &str, p: &Path, e| StoreError::io(what.to_string(), p, e);
    let tmp = data_dir.join(format!("{DB_FILE}.restoring"));
    if let Err(e) = copy_database(&chosen, &tmp) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // A name no earlier restore used: two restores in the same second keep both files.
    let mut t = Timestamp::now();
    let aside_name = |t: Timestamp| format!("{DB_FILE}.replaced-{}", t.compact_utc());
    while data_dir.join(aside_name(t)).exists()
        || data_dir.join(format!("{}-wal", aside_name(t))).exists()
    {
        t = Timestamp(t.0 + 1000);
    }
    let aside = data_dir.join(aside_name(t));
    // Held until the restored copy is in place: no Ladder program starts on the old file.
    let lock = match exclusive_lock(&db) {
        Ok(lock) => lock,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    if let Err(e) = keep_learner_ids_unused(&tmp, data_dir, lock.as_ref()) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let mut previous_kept_at = None;
    if db.exists() {
        fs::rename(&db, &aside).map_err(|e| io("cannot move the old database aside", &db, e))?;
        previous_kept_at = Some(aside.clone());
    }
    for suffix in ["-wal", "-shm"] {
        let side = data_dir.join(format!("{DB_FILE}{suffix}"));
        if side.exists() {
            if suffix == "-wal" {
                let wal_aside = data_dir.join(format!("{}{suffix}", aside.display()));
                fs::rename(&side, &wal_aside)
                    .map_err(|e| io("cannot move the old WAL aside", &side, e))?;
            } else {
                fs::remove_file(&side).map_err(|e| io("cannot remove", &side, e))?;
            }
        }
    }
    fs::rename(&tmp, &db).map_err(|e| io("cannot put the restored database in place", &db, e))?;
    sync_dir(data_dir);
    // Closing it checkpoints what the old WAL held into the file moved aside.
    drop(lock);
    // Released first: opening an older backup takes a backup before migrating it.
    drop(backups_lock);
    // Opening migrates an older backup and switches it to WAL.
    Store::open(data_dir)?;
    Ok(RestoreReport { restored_from: chosen, previous_kept_at })
}

/// The highest learner id ever given out in a database: its AUTOINCREMENT counter, or its
/// highest row (0 for a file that cannot be read).
fn highest_learner_id(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT max(ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'learners'), 0), \
                    ifnull((SELECT max(id) FROM learners), 0))",
        [],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

/// Raises the learner id counter of the copy about to be restored (`tmp`) above every id the
/// database it replaces and the backups ever gave out. Ids are never reused, because `learner
/// delete` erases an id from every backup and kept-aside file: without this, the next learner
/// after restoring an older backup took the id of one that only those copies held, and
/// deleting the new learner erased the other's history there.
fn keep_learner_ids_unused(tmp: &Path, data_dir: &Path, live: Option<&Connection>) -> Result<()> {
    let mut highest = live.map(highest_learner_id).unwrap_or(0);
    for b in list_backups(data_dir) {
        if let Ok(c) = Connection::open_with_flags(&b.path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
            highest = highest.max(highest_learner_id(&c));
        }
    }
    let conn = Connection::open(tmp).map_err(|e| StoreError::sqlite(tmp, e))?;
    if highest <= highest_learner_id(&conn) {
        return Ok(());
    }
    let bump = || -> rusqlite::Result<()> {
        let updated =
            conn.execute("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'learners'", [highest])?;
        if updated == 0 {
            conn.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('learners', ?1)",
                [highest],
            )?;
        }
        Ok(())
    };
    bump().map_err(|e| sqlite::fill_path(StoreError::from(e), tmp))?;
    drop(conn);
    fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io("cannot sync the restored copy", tmp, e))
}

/// How long `restore` waits for another program's transaction before calling the database in
/// use. A program that only has it open holds it for as long as it runs.
const RESTORE_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Takes the database at `db` for this process alone (`locking_mode=EXCLUSIVE` and a read), so
/// that a restore does not move it aside under a running Ladder program, which would go on
/// writing answers into the moved file where no report sees them. Every connection in WAL mode
/// holds a shared lock on the file while it is open, so the read fails while another program
/// (the app, `ladder serve`, a training run) has it open. A file SQLite cannot read (damaged,
/// not a database, missing) gives no lock and no refusal: nothing can be running on it.
fn exclusive_lock(db: &Path) -> Result<Option<Connection>> {
    if !db.is_file() {
        return Ok(None);
    }
    let Ok(conn) = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE) else {
        return Ok(None);
    };
    let taken = conn.busy_timeout(RESTORE_LOCK_WAIT).and_then(|()| {
        conn.query_row("PRAGMA locking_mode=EXCLUSIVE", [], |r| r.get::<_, String>(0))?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
    });
    match taken {
        Ok(_) => Ok(Some(conn)),
        Err(e)
            if matches!(
                crate::error::sqlite_code(&e),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Err(StoreError::invalid(format!(
                "the database at {} is open in another Ladder program (the app, `ladder serve`, \
                 a training run or another command): close it, then restore again; nothing \
                 was changed",
                db.display()
            )))
        }
        Err(_) => Ok(None),
    }
}

/// Copies the database at `src` (and whatever its WAL holds) into a new single file `dst`,
/// checks it and syncs it.
fn copy_database(src: &Path, dst: &Path) -> Result<()> {
    let _ = fs::remove_file(dst);
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::sqlite(src, e))?;
    let mut to = Connection::open(dst).map_err(|e| StoreError::sqlite(dst, e))?;
    // A full disk is met writing the copy; anything else is about the backup read.
    let named = |e: rusqlite::Error| match StoreError::from(e) {
        StoreError::DiskFull { .. } => StoreError::DiskFull { path: dst.to_path_buf() },
        other => sqlite::fill_path(other, src),
    };
    {
        let backup = rusqlite::backup::Backup::new(&from, &mut to).map_err(named)?;
        backup.run_to_completion(1 << 20, std::time::Duration::ZERO, None).map_err(named)?;
    }
    to.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0)).map_err(named)?;
    let problems = sqlite::integrity_check(&to)?;
    if !problems.is_empty() {
        return Err(StoreError::invalid(format!(
            "{} is not a usable backup: {}",
            src.display(),
            problems.join("; ")
        )));
    }
    drop(to);
    fs::File::open(dst)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io("cannot sync the restored copy", dst, e))
}

/// Removes what a backup that was stopped half-way (the program quit or was killed before its
/// rename) left in `dir`: the temporary copy and its journal, counted by no list. Called under
/// the backups lock, when no other backup is being written.
fn remove_half_written(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!(".{PREFIX}"))
            && (name.ends_with(&format!("{SUFFIX}.tmp"))
                || name.ends_with(&format!("{SUFFIX}.tmp-journal")))
        {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Makes a rename durable (best effort: not every platform can sync a directory).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

impl Store {
    /// Takes a backup now with the online backup API (writers are not blocked), checks it,
    /// then rotates old ones. Returns the new file.
    pub fn backup_now(&self) -> Result<PathBuf> {
        self.backup_at(Timestamp::now())
    }

    /// [`Store::backup_now`], named as taken at `now`.
    fn backup_at(&self, now: Timestamp) -> Result<PathBuf> {
        write_backup(&self.conn, self.db_path(), self.data_dir(), now)
    }

    /// Takes a backup when none was taken in the day before `now` (backups named in the future
    /// do not count: see [`list_backups`]), on this store's connection. Front ends take the daily
    /// backup with [`DailyBackup`] instead, off the start-up path.
    pub fn backup_if_due(&self, now: Timestamp) -> Result<Option<PathBuf>> {
        backup_if_due_on(&self.conn, self.db_path(), self.data_dir(), now)
    }
}

/// Is a daily backup due at `now`: no backup taken in the day before it?
fn backup_due(data_dir: &Path, now: Timestamp) -> bool {
    !list_backups_at(data_dir, now)
        .iter()
        .any(|b| now.0 - b.time.0 < BACKUP_EVERY_MS && !b.named_in_future(now))
}

/// Takes a backup of the database open on `conn` when one is due, deciding under the backups
/// lock: another program may have taken the day's backup while this one waited for it.
fn backup_if_due_on(
    conn: &Connection,
    db: &Path,
    data_dir: &Path,
    now: Timestamp,
) -> Result<Option<PathBuf>> {
    if !backup_due(data_dir, now) {
        return Ok(None);
    }
    let lock = lock_backups(data_dir)?;
    if !backup_due(data_dir, now) {
        return Ok(None);
    }
    write_backup_locked(&lock, conn, db, data_dir, now).map(Some)
}

/// The file the backups lock is taken on, inside `backups/` (no backup list counts it).
const LOCK_FILE: &str = ".lock";

/// Held by whatever writes into `backups/`: every backup (the daily one, one by hand, the one
/// before a migration) and every restore; released when dropped (and by the system when the
/// program ends, however it ends: a killed program never leaves it held). It is an advisory
/// lock on a file (`flock` on Linux and macOS, `LockFileEx` on Windows), so it holds between
/// programs and between threads of one program alike. It is not re-entrant: a thread that holds
/// it and takes a backup (or restores) waits for itself forever.
#[derive(Debug)]
pub struct BackupsLock {
    /// `None` on a file system that cannot lock files: the backups are then written as before
    /// the lock existed.
    file: Option<fs::File>,
}

/// Takes the backups lock of `data_dir`, waiting for the program that holds it (a backup takes
/// about a second per 70 MB of database; a restore a few seconds). Fails only when the backups
/// folder cannot be made, which every backup would then fail on.
pub fn lock_backups(data_dir: &Path) -> Result<BackupsLock> {
    let dir = data_dir.join(BACKUP_DIR);
    fs::create_dir_all(&dir).map_err(|e| StoreError::io("cannot create", &dir, e))?;
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_FILE))
        .ok()
        .filter(|f| f.lock().is_ok());
    Ok(BackupsLock { file })
}

/// What the daily backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DailyOutcome {
    /// A backup of the last day was there already (taken by this program or another).
    NotDue,
    /// The backup now at this path was taken, checked and rotated in.
    Taken(PathBuf),
    /// None was taken: `warning` says why, that nothing was lost, and what to do, for the front
    /// end to show ([`ErrorKind::Corrupt`]: the copy's integrity check found the database
    /// damaged; the warning then names the newest good backup).
    Failed { kind: ErrorKind, warning: String },
}

impl DailyOutcome {
    /// What a front end shows the user, when there is something to show.
    pub fn warning(&self) -> Option<&str> {
        match self {
            DailyOutcome::Failed { warning, .. } => Some(warning),
            _ => None,
        }
    }
}

/// The daily backup, taken on a thread and a connection of its own while the front end serves
/// its first screen: a copy of a year's database (77 MB) with its integrity check takes about a
/// second, which the first start of each day used to wait for.
///
/// [`DailyBackup::start`] decides at once whether a backup is due (the newest is older than a
/// day); when it is not, no thread starts. Otherwise the thread takes the backups lock (waiting
/// for another program's backup or restore), looks again, and copies the database with SQLite's
/// online backup API in one step: one read transaction, so the copy is the database as of one
/// commit, while the learners' answers go on being written beside it (WAL). The copy is written
/// to a temporary file, checked (`integrity_check`), synced and renamed into place: a program
/// that quits or is killed half-way leaves only the temporary file, which no list counts and the
/// next backup removes.
///
/// Dropping the handle waits for the backup to finish, so a command that exits after its work
/// does not cut it short (a process that exits without dropping it, as a window closing does,
/// leaves the temporary file and takes the backup at its next start).
///
/// ```
/// use ladder_store::{DailyBackup, DailyOutcome, OpenOptions, Store};
///
/// let dir = tempfile::tempdir()?;
/// let store = Store::open_with(dir.path(), &OpenOptions::startup())?;
/// let daily = DailyBackup::start(dir.path()); // the first screen is served meanwhile
/// assert!(matches!(daily.wait(), DailyOutcome::Taken(_)));
/// assert_eq!(DailyBackup::start(dir.path()).wait(), DailyOutcome::NotDue);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct DailyBackup {
    outcome: Arc<(Mutex<Option<DailyOutcome>>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl DailyBackup {
    /// Starts the daily backup of the database in `data_dir` when one is due.
    pub fn start(data_dir: &Path) -> DailyBackup {
        DailyBackup::start_at(data_dir, Timestamp::now())
    }

    /// [`DailyBackup::start`] with the present at `now` (the backup is named after it).
    pub fn start_at(data_dir: &Path, now: Timestamp) -> DailyBackup {
        let outcome = Arc::new((Mutex::new(None), Condvar::new()));
        if !backup_due(data_dir, now) {
            *lock_ignoring_poison(&outcome.0) = Some(DailyOutcome::NotDue);
            return DailyBackup { outcome, thread: None };
        }
        let (shared, dir) = (outcome.clone(), data_dir.to_path_buf());
        let spawned =
            std::thread::Builder::new().name("ladder-daily-backup".into()).spawn(move || {
                let result = daily_outcome(&dir, now);
                *lock_ignoring_poison(&shared.0) = Some(result);
                shared.1.notify_all();
            });
        let thread = match spawned {
            Ok(t) => Some(t),
            // Without a thread (the system refused one) it is taken here, as it used to be.
            Err(_) => {
                *lock_ignoring_poison(&outcome.0) = Some(daily_outcome(data_dir, now));
                None
            }
        };
        DailyBackup { outcome, thread }
    }

    /// What the backup did, once it has finished (`None` while it runs).
    pub fn try_outcome(&self) -> Option<DailyOutcome> {
        lock_ignoring_poison(&self.outcome.0).clone()
    }

    /// Waits for the backup to finish and says what it did.
    pub fn wait(&self) -> DailyOutcome {
        let (slot, done) = &*self.outcome;
        let mut guard = lock_ignoring_poison(slot);
        loop {
            if let Some(outcome) = guard.as_ref() {
                return outcome.clone();
            }
            guard = done.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for DailyBackup {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock_ignoring_poison<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The daily backup of the database in `data_dir`, on a connection of its own, as an outcome
/// (a panic too: the thread always leaves one for [`DailyBackup::wait`]).
fn daily_outcome(data_dir: &Path, now: Timestamp) -> DailyOutcome {
    let db = data_dir.join(DB_FILE);
    let take = || -> Result<Option<PathBuf>> {
        if !backup_due(data_dir, now) {
            return Ok(None);
        }
        // The lock before the connection: a restore holding the lock finds no connection of
        // this program open on the file it moves aside.
        let lock = lock_backups(data_dir)?;
        if !backup_due(data_dir, now) {
            return Ok(None);
        }
        // Read-write (SQLite falls back to reading a file it may not write), never created:
        // the front end opened the store first.
        let conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::sqlite(&db, e))?;
        conn.busy_timeout(sqlite::BUSY_TIMEOUT).map_err(|e| StoreError::sqlite(&db, e))?;
        write_backup_locked(&lock, &conn, &db, data_dir, now).map(Some)
    };
    let Ok(taken) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(take)) else {
        return DailyOutcome::Failed {
            kind: ErrorKind::Io,
            warning: "the daily backup was not taken: it stopped unexpectedly. The learners' \
                      data is as it was; start-up tries again next time, and `ladder db backup` \
                      takes one by hand"
                .into(),
        };
    };
    match taken {
        Ok(Some(path)) => DailyOutcome::Taken(path),
        Ok(None) => DailyOutcome::NotDue,
        // A database that fails the copy's check is damaged: said with the backup to restore.
        Err(e @ StoreError::Corrupt { .. }) => DailyOutcome::Failed {
            kind: ErrorKind::Corrupt,
            warning: format!(
                "the daily backup was not taken: {}",
                crate::with_backup_offer(e, data_dir)
            ),
        },
        // A copy that does not fit (a copy of the whole file, where an answer needs a few
        // kilobytes) or cannot be written must not keep the learners out: a warning.
        Err(e) => DailyOutcome::Failed {
            kind: e.kind(),
            warning: format!(
                "the daily backup was not taken: {e}. The learners' data is as it was; start-up \
                 tries again next time, and `ladder db backup` takes one by hand"
            ),
        },
    }
}

/// Before a file of an older schema is migrated, a backup of it as it is (by every open), so
/// that the old Ladder can still be given its learners back; a damaged file fails the backup's
/// check and is refused before the migration writes into it. Nothing happens for a new file, a
/// current one or one from a newer Ladder.
pub(crate) fn backup_before_migration(db: &Path, data_dir: &Path) -> Result<Option<PathBuf>> {
    if !db.is_file() || crate::database_absent(data_dir) {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| StoreError::sqlite(db, e))?;
    conn.busy_timeout(sqlite::BUSY_TIMEOUT).map_err(|e| StoreError::sqlite(db, e))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::sqlite(db, e))?;
    if !(1..SCHEMA_VERSION).contains(&version) {
        return Ok(None);
    }
    write_backup(&conn, db, data_dir, Timestamp::now())
        .map(Some)
        .map_err(|e| sqlite::fill_path(e, db))
}

/// Writes a backup of the database open on `conn` (at `db`) into `<data_dir>/backups/`, named
/// as taken at `now`, checks it, then rotates old ones, holding the backups lock.
fn write_backup(conn: &Connection, db: &Path, data_dir: &Path, now: Timestamp) -> Result<PathBuf> {
    let lock = lock_backups(data_dir)?;
    write_backup_locked(&lock, conn, db, data_dir, now)
}

/// [`write_backup`] for a caller that holds the backups lock (`lock`, so it cannot forget it).
fn write_backup_locked(
    lock: &BackupsLock,
    conn: &Connection,
    db: &Path,
    data_dir: &Path,
    now: Timestamp,
) -> Result<PathBuf> {
    let dir = data_dir.join(BACKUP_DIR);
    fs::create_dir_all(&dir).map_err(|e| StoreError::io("cannot create", &dir, e))?;
    // Only under a lock really held: without one, another program's copy may be in progress.
    if lock.file.is_some() {
        remove_half_written(&dir);
    }
    let mut name = format!("{PREFIX}{}{SUFFIX}", now.compact_utc());
    // Two backups in the same second: keep both, the later one a second later by name.
    let mut t = now;
    while dir.join(&name).exists() {
        t = Timestamp(t.0 + 1000);
        name = format!("{PREFIX}{}{SUFFIX}", t.compact_utc());
    }
    let final_path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let _ = fs::remove_file(&tmp);
    // A full disk is met writing the backup: name it (not the database) in the error.
    let full = |e: rusqlite::Error| match StoreError::from(e) {
        StoreError::DiskFull { .. } => StoreError::DiskFull { path: final_path.clone() },
        other => sqlite::fill_path(other, db),
    };
    let result = (|| -> Result<()> {
        let mut dst = Connection::open(&tmp).map_err(|e| StoreError::sqlite(&tmp, e))?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut dst).map_err(full)?;
            backup.run_to_completion(1 << 20, std::time::Duration::ZERO, None).map_err(full)?;
        }
        // A backup is a single self-contained file: no WAL beside it.
        dst.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0)).map_err(full)?;
        let problems = sqlite::integrity_check(&dst)?;
        if !problems.is_empty() {
            return Err(StoreError::Corrupt {
                path: db.to_path_buf(),
                detail: problems.join("; "),
                backup: None,
            });
        }
        drop(dst);
        fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io("cannot sync", &tmp, e))?;
        fs::rename(&tmp, &final_path)
            .map_err(|e| StoreError::io("cannot rename", &final_path, e))?;
        sync_dir(&dir);
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // Ranked by the same clock that named it; the one just written is never rotated away, nor
    // the newest backup of each older schema (the one taken before a migration: the only copy
    // the older Ladder can read).
    let listed = list_backups_at(data_dir, now);
    let mut older_schemas: Vec<(u32, &Path)> = Vec::new();
    for b in &listed {
        if let Some(v) = schema_of(&b.path).filter(|v| i64::from(*v) < SCHEMA_VERSION) {
            if !older_schemas.iter().any(|(seen, _)| *seen == v) {
                older_schemas.push((v, &b.path));
            }
        }
    }
    for doomed in to_delete(&listed) {
        if doomed != final_path && !older_schemas.iter().any(|(_, p)| *p == doomed) {
            let _ = fs::remove_file(doomed);
        }
    }
    Ok(final_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64, hour: i64) -> BackupInfo {
        let t = Timestamp((day * 24 + hour) * 3_600_000);
        BackupInfo { path: PathBuf::from(format!("{day}-{hour}")), time: t, size: 0 }
    }

    #[test]
    fn rotation_keeps_seven_daily_and_four_weekly() {
        // Two backups a day for 60 days, newest first.
        let mut all: Vec<BackupInfo> =
            (0..60).flat_map(|d| [at(d, 9), at(d, 18)]).collect::<Vec<_>>();
        all.reverse();
        let doomed = to_delete(&all);
        let kept: Vec<&BackupInfo> = all.iter().filter(|b| !doomed.contains(&b.path)).collect();
        // Newest of each of the last 7 days; of the earlier ones of a day only those among the
        // 3 newest backups (day 59's morning one).
        for d in 53..60 {
            assert!(kept.iter().any(|b| b.path == Path::new(&format!("{d}-18"))), "day {d}");
            let early = kept.iter().any(|b| b.path == Path::new(&format!("{d}-9")));
            assert_eq!(early, d == 59, "day {d} early");
        }
        for b in &all[..KEEP_RECENT] {
            assert!(!doomed.contains(&b.path), "{} is among the newest", b.path.display());
        }
        // Plus at most 4 weekly ones, all within the last four weeks of backups.
        assert!(kept.len() <= KEEP_RECENT + KEEP_DAILY + KEEP_WEEKLY);
        assert!(kept.len() > KEEP_DAILY);
        let oldest = kept.iter().map(|b| b.time.day()).min().unwrap();
        assert!(oldest >= 59 - 4 * 7, "kept a backup from day {oldest}");
        // The newest backup is always kept.
        assert!(!doomed.contains(&all[0].path));
    }
}
