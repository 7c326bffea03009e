//! One error type for the store, with a machine-readable [`ErrorKind`].
//!
//! SQLite reports trouble with result codes; the user needs to know what to do. Every error
//! that can reach a user is sorted into a kind with a message that says what happened and what
//! to try. A failed write never loses what was committed before it: every mutation runs in one
//! transaction that either commits or rolls back.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// The result type of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What went wrong, as a stable machine-readable tag (`StoreError::kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    DiskFull,
    ReadOnly,
    Locked,
    Corrupt,
    TooNew,
    Missing,
    NotFound,
    Invalid,
    Io,
    Database,
}

impl ErrorKind {
    /// The tag as written in JSON and in `docs/store.md`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::DiskFull => "disk_full",
            ErrorKind::ReadOnly => "read_only",
            ErrorKind::Locked => "locked",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::TooNew => "too_new",
            ErrorKind::Missing => "missing",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Io => "io",
            ErrorKind::Database => "database",
        }
    }
}

/// Every error of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `path`: the file that could not grow (the database, a backup, an export), so the user
    /// knows which disk to free space on.
    #[error(
        "the disk is full (writing {}): the change was not saved (everything saved before is \
         intact); free some space on that disk and try again",
        path.display()
    )]
    DiskFull { path: PathBuf },

    #[error(
        "cannot write to {}: the folder or the database is read-only; \
         check its permissions or choose another data directory",
        path.display()
    )]
    ReadOnly { path: PathBuf },

    #[error(
        "the database is busy: another Ladder program kept it locked for too long; \
         close other Ladder windows or commands and try again"
    )]
    Locked,

    #[error(
        "the database at {} is damaged ({detail}). {}",
        path.display(),
        restore_hint(backup.as_deref())
    )]
    Corrupt { path: PathBuf, detail: String, backup: Option<PathBuf> },

    #[error(
        "the database at {} was written by a newer version of Ladder (schema {found}, this \
         version understands up to {supported}); it was left untouched: update Ladder to open it",
        path.display()
    )]
    TooNew { path: PathBuf, found: i64, supported: i64 },

    #[error(
        "the database at {} is missing (or an empty file) although backups exist. {}",
        path.display(),
        restore_hint(backup.as_deref())
    )]
    Missing { path: PathBuf, backup: Option<PathBuf> },

    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },

    #[error("{0}")]
    Invalid(String),

    /// The system's reason is part of the message (not a separate `source`), so that a chain
    /// printed in full (`{:#}`) does not repeat it.
    #[error("{context}: {err}")]
    Io { context: String, err: std::io::Error },

    /// The disk or the file system refused a read or write of the database file itself (not a
    /// full disk or a read-only file, which have their own kinds).
    #[error(
        "cannot read or write the database at {} ({detail}): the last change was not saved \
         (everything saved before is intact); check the disk and the folder's permissions, \
         then try again",
        path.display()
    )]
    Storage { path: PathBuf, detail: String },

    #[error("database error: {0}")]
    Database(#[source] rusqlite::Error),
}

fn restore_hint(backup: Option<&Path>) -> String {
    match backup {
        Some(b) => format!(
            "The newest good backup is {}: run `ladder db restore` to restore it \
             (the damaged file is kept beside it).",
            b.display()
        ),
        None => "No good backup was found; `ladder db check` tells more.".to_string(),
    }
}

impl StoreError {
    /// The machine-readable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::DiskFull { .. } => ErrorKind::DiskFull,
            StoreError::ReadOnly { .. } => ErrorKind::ReadOnly,
            StoreError::Locked => ErrorKind::Locked,
            StoreError::Corrupt { .. } => ErrorKind::Corrupt,
            StoreError::TooNew { .. } => ErrorKind::TooNew,
            StoreError::Missing { .. } => ErrorKind::Missing,
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Invalid(_) => ErrorKind::Invalid,
            StoreError::Io { .. } | StoreError::Storage { .. } => ErrorKind::Io,
            StoreError::Database(_) => ErrorKind::Database,
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        StoreError::Invalid(msg.into())
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound { what, id: id.to_string() }
    }

    /// Sorts an I/O error on `path` into a kind.
    pub(crate) fn io(context: impl Into<String>, path: &Path, source: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        match source.kind() {
            K::StorageFull => StoreError::DiskFull { path: path.to_path_buf() },
            K::PermissionDenied | K::ReadOnlyFilesystem => {
                StoreError::ReadOnly { path: path.to_path_buf() }
            }
            _ => StoreError::Io {
                context: format!("{}: {}", context.into(), path.display()),
                err: source,
            },
        }
    }

    /// Sorts a SQLite error on the database at `path` into a kind.
    pub(crate) fn sqlite(path: &Path, e: rusqlite::Error) -> Self {
        match sqlite_code(&e) {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path: path.to_path_buf() },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path: path.to_path_buf() },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(
                ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::PermissionDenied,
            ) => StoreError::Storage { path: path.to_path_buf(), detail: e.to_string() },
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
                backup: None,
            },
            _ => StoreError::Database(e),
        }
    }
}

/// The primary SQLite result code of an error, if it came from SQLite.
pub(crate) fn sqlite_code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

/// The path of an error raised where none is at hand; the store fills in the database's.
pub(crate) const NO_PATH: &str = "the Ladder database";

impl From<rusqlite::Error> for StoreError {
    /// Without a path at hand (inside a transaction the store fills it in later).
    fn from(e: rusqlite::Error) -> Self {
        StoreError::sqlite(Path::new(NO_PATH), e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Invalid(format!("stored JSON could not be read or written: {e}"))
    }
}

/// `Option -> Result` for lookups: `tx.learner(id)?.or_not_found("learner", id)?`.
pub trait OrNotFound<T> {
    fn or_not_found(self, what: &'static str, id: impl ToString) -> Result<T>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, what: &'static str, id: impl ToString) -> Result<T> {
        self.ok_or_else(|| StoreError::not_found(what, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: i32, message: &str) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(message.into()))
    }

    /// SQLite's own I/O failures say what happened and what to do, not "database error: ...".
    #[test]
    fn storage_failures_say_what_to_do() {
        let path = Path::new("data/ladder.db");
        for code in [rusqlite::ffi::SQLITE_IOERR, rusqlite::ffi::SQLITE_CANTOPEN] {
            let e = StoreError::sqlite(path, failure(code, "disk I/O error"));
            assert_eq!(e.kind(), ErrorKind::Io);
            let text = e.to_string();
            assert!(text.contains("data/ladder.db") && text.contains("was not saved"), "{text}");
        }
        let full = StoreError::sqlite(path, failure(rusqlite::ffi::SQLITE_FULL, "full"));
        assert_eq!(full.kind(), ErrorKind::DiskFull);
        // An I/O error's reason appears once, also when the chain is printed in full.
        let io = StoreError::io(
            "cannot create",
            path,
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "Not a directory"),
        );
        assert!(std::error::Error::source(&io).is_none());
        assert_eq!(io.to_string().matches("Not a directory").count(), 1);
    }
}
