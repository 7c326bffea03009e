//! The crate's one error type: what failed and where.

use std::path::{Path, PathBuf};

/// A report could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the store, loading a course or asking the learner model failed.
    #[error(transparent)]
    Engine(#[from] ladder_engine::Error),
    /// A learner, learner group or course that is not there.
    #[error("{0}")]
    NotFound(String),
    /// A request the report cannot be made for (a recent window out of range).
    #[error("{0}")]
    BadRequest(String),
    /// Writing an output file failed. The system's message is part of this one and not a
    /// separate source, so a front end that prints the chain does not say it twice.
    #[error("cannot write {}: {err}", path.display())]
    Io { path: PathBuf, err: std::io::Error },
}

impl ReportError {
    pub fn io(path: &Path, err: std::io::Error) -> Self {
        ReportError::Io { path: path.to_owned(), err }
    }

    /// A stable name for front ends: `not_found`, `bad_request`, `io`, or the engine's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            ReportError::Engine(e) => e.kind.as_str(),
            ReportError::NotFound(_) => "not_found",
            ReportError::BadRequest(_) => "bad_request",
            ReportError::Io { .. } => "io",
        }
    }
}

impl From<ladder_store::StoreError> for ReportError {
    fn from(e: ladder_store::StoreError) -> Self {
        ReportError::Engine(e.into())
    }
}

/// The crate's result type.
pub type Result<T, E = ReportError> = std::result::Result<T, E>;
