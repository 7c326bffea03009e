//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in `ladder-model`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written. The cause is part of the message and deliberately
    /// not a `source()`, so that error chains (`{:#}`) do not print it twice.
    #[error("{path}: {cause}")]
    Io { path: PathBuf, cause: std::io::Error },
    /// A row of an interaction or folds CSV is malformed (`file:line: what`).
    #[error("{path}:{line}: {message}")]
    Csv { path: PathBuf, line: usize, message: String },
    /// Input data that is well-formed but unusable (no students, unknown fold, ...).
    #[error("invalid data: {0}")]
    Data(String),
    /// A checkpoint is missing, corrupt, or does not match its config.
    #[error("checkpoint {path}: {message}")]
    Checkpoint { path: PathBuf, message: String },
    /// A model configuration is inconsistent.
    #[error("invalid model config: {0}")]
    Config(String),
    /// The requested compute device is not available in this build or on this machine.
    #[error("device: {0}")]
    Device(String),
    /// Training stopped because the loss became NaN/infinite or diverged.
    #[error("training diverged: {0}")]
    Diverged(String),
    /// A tensor operation failed (shape mismatch, backend error).
    #[error("tensor: {0}")]
    Candle(#[from] candle_core::Error),
    /// JSON (de)serialisation failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), cause: source }
    }
}
