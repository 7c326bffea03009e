//! The one error type that crosses to the UI. It serialises as `{"kind": .., "message": ..}` so
//! the UI can branch on `kind` and show `message` as is.

use serde::Serialize;

/// What went wrong, in terms the UI can act on. Serialised in `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request was malformed (an empty name, a name too long): the user can fix it.
    InvalidInput,
    /// Something asked for does not exist.
    NotFound,
    /// The request clashes with existing data (a learner of that name exists).
    Conflict,
    /// Reading or writing the data directory or the packs folder failed.
    Io,
    /// A course pack could not be read.
    Pack,
    /// A bug or an unexpected failure (a worker thread panicked).
    Internal,
    // The database's own kinds, passed through from `ladder-store` (docs/store.md) so the UI
    // can offer the right way out (free space, restore a backup, update the app).
    DiskFull,
    ReadOnly,
    Locked,
    Corrupt,
    TooNew,
    Missing,
    Database,
}

/// An error with a kind and a human-readable message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// An IO error with what we were doing and on which path.
    pub fn io(what: &str, path: &std::path::Path, err: &std::io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("{what} {}: {err}", path.display()))
    }
}

impl From<ladder_store::StoreError> for AppError {
    fn from(e: ladder_store::StoreError) -> Self {
        use ladder_store::ErrorKind as S;
        let kind = match e.kind() {
            S::Invalid => ErrorKind::InvalidInput,
            S::NotFound => ErrorKind::NotFound,
            S::Io => ErrorKind::Io,
            S::DiskFull => ErrorKind::DiskFull,
            S::ReadOnly => ErrorKind::ReadOnly,
            S::Locked => ErrorKind::Locked,
            S::Corrupt => ErrorKind::Corrupt,
            S::TooNew => ErrorKind::TooNew,
            S::Missing => ErrorKind::Missing,
            S::Database => ErrorKind::Database,
        };
        Self::new(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let e = AppError::conflict("a learner named Ada already exists");
        let json = serde_json::to_value(&e).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"kind": "conflict", "message": "a learner named Ada already exists"})
        );
        assert_eq!(e.to_string(), "a learner named Ada already exists");
    }

    #[test]
    fn kinds_are_snake_case() {
        let kinds = [
            (ErrorKind::InvalidInput, "invalid_input"),
            (ErrorKind::NotFound, "not_found"),
            (ErrorKind::Conflict, "conflict"),
            (ErrorKind::Io, "io"),
            (ErrorKind::Pack, "pack"),
            (ErrorKind::Internal, "internal"),
            (ErrorKind::DiskFull, "disk_full"),
            (ErrorKind::TooNew, "too_new"),
        ];
        for (kind, name) in kinds {
            assert_eq!(serde_json::to_value(kind).expect("serialise"), name);
        }
    }
}
