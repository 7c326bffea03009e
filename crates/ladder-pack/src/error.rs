//! The one error type of ladder-pack.

use std::path::PathBuf;

use crate::diag::Report;

/// Why a pack could not be read, validated or built.
///
/// Problems *in* a pack are not errors of this type but [`crate::Diagnostic`]s collected in a
/// [`Report`]; [`Error::Invalid`] carries that report when an operation needs a valid pack.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file system failed (the path does not exist, a write failed, ...).
    /// The system's message is part of this one's text, not a separate `source`, so that an
    /// error chain printed in full (`{:#}`) does not repeat it.
    #[error("{}: {err}", path.display())]
    Io { path: PathBuf, err: std::io::Error },
    /// The pack has errors; the report lists every one of them.
    #[error("the pack is invalid ({} errors)", .0.errors.len())]
    Invalid(Report),
    /// Writing the archive failed.
    #[error("writing {}: {message}", path.display())]
    Write { path: PathBuf, message: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), err: source }
    }
}

/// `Result` with ladder-pack's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
