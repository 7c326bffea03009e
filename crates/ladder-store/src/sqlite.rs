//! Opening a connection (pragmas on every connection) and migrating the schema.
//!
//! Habits borrowed from rusqlite_migration and Anki's storage layer: migrations are a const,
//! append-only list; every pending step runs in one transaction; the schema version lives in
//! `PRAGMA user_version`; a file from a newer Ladder is refused before anything is written.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Result, StoreError};

/// One schema step: applying `sql` to a database at `version - 1` gives `version`.
pub struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

/// Every schema version, oldest first. Append only; never edit a released step.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("sql/v1.sql") },
    Migration { version: 2, sql: include_str!("sql/v2.sql") },
    Migration { version: 3, sql: include_str!("sql/v3.sql") },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another writer before giving up with `Locked`. Writes are
/// short (milliseconds); a long wait only happens when something holds a transaction open.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The pragmas every connection gets, checked by tests on every connection the store opens.
///
/// - `journal_mode=WAL`: readers never block the writer; a commit appends to the WAL.
/// - `synchronous=FULL`: the WAL is synced at every commit, so an acknowledged write survives
///   power loss (NORMAL would only survive a crash of the program).
/// - `foreign_keys=ON`: history cannot point at a learner that does not exist.
/// - `secure_delete=ON`: deleted rows are overwritten with zeros, so `learner delete` leaves no
///   readable trace in the file.
/// - `busy_timeout`: several processes (the app and the CLI) can write at once; they queue.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // journal_mode answers with the mode it ended up in; WAL is refused only on odd file systems.
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "SQLite refused WAL mode (got {mode}); is the data directory on a network drive?"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous=FULL;
         PRAGMA foreign_keys=ON;
         PRAGMA secure_delete=ON;",
    )?;
    Ok(())
}

/// The values of the pragmas [`configure`] sets, as read back from a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragmas {
    pub journal_mode: String,
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub secure_delete: bool,
    pub busy_timeout_ms: i64,
}

pub(crate) fn read_pragmas(conn: &Connection) -> rusqlite::Result<Pragmas> {
    let get_i = |p: &str| conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0));
    Ok(Pragmas {
        journal_mode: conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
        synchronous: get_i("synchronous")?,
        foreign_keys: get_i("foreign_keys")? == 1,
        secure_delete: get_i("secure_delete")? == 1,
        busy_timeout_ms: get_i("busy_timeout")?,
    })
}

/// Opens (creating if asked) the database at `path`, refuses a newer schema before writing
/// anything, sets the pragmas and applies pending migrations in one transaction.
pub(crate) fn open_and_migrate(path: &Path, create: bool) -> Result<Connection> {
    let map = |e| StoreError::sqlite(path, e);
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags).map_err(map)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(map)?;
    // Read-only look first: a file from a newer Ladder must not be touched, not even by
    // switching its journal mode.
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(map)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    configure(&conn).map_err(map)?;
    // Up to date (the usual case): no need to take the write lock.
    if found < SCHEMA_VERSION {
        migrate(&mut conn).map_err(|e| fill_path(e, path))?;
    }
    Ok(conn)
}

/// Applies every pending migration in one IMMEDIATE transaction; on any failure nothing changes.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: crate::error::NO_PATH.into(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(()); // dropping tx rolls back the (empty) transaction
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
    }
    tx.commit()?;
    Ok(())
}

/// Errors raised without a path (inside transactions) get the database path filled in.
pub(crate) fn fill_path(e: StoreError, path: &Path) -> StoreError {
    match e {
        StoreError::ReadOnly { .. } => StoreError::ReadOnly { path: path.to_path_buf() },
        // Only the placeholder: a full disk met writing an export or a backup names that file.
        StoreError::DiskFull { path: p } if p == Path::new(crate::error::NO_PATH) => {
            StoreError::DiskFull { path: path.to_path_buf() }
        }
        StoreError::Corrupt { detail, backup, .. } => {
            StoreError::Corrupt { path: path.to_path_buf(), detail, backup }
        }
        StoreError::TooNew { found, supported, .. } => {
            StoreError::TooNew { path: path.to_path_buf(), found, supported }
        }
        other => other,
    }
}

/// `PRAGMA integrity_check`: `Ok(())` or the problems SQLite lists (at most 20).
pub(crate) fn integrity_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" { Vec::new() } else { rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
    }

    #[test]
    fn every_migration_applies_to_an_empty_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert!(integrity_check(&conn).unwrap().is_empty());
        // Idempotent: a second run finds nothing to do.
        migrate(&mut conn).unwrap();
    }

    #[test]
    fn a_failing_step_leaves_the_database_as_it_was() {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch("CREATE TABLE learners (x)").unwrap(); // clashes with v1
        tx.commit().unwrap();
        assert!(migrate(&mut conn).is_err());
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 0);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'events'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "half a migration was left behind");
    }
}
