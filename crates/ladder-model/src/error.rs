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
    Candle(candle_core::Error),
    /// JSON (de)serialisation failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Candle(without_backtrace(e))
    }
}

/// candle attaches a backtrace to its errors when `RUST_BACKTRACE` is set and prints it as part
/// of the message (a screenful of frames under "CUDA device 7 is not available"); the messages
/// this crate gives keep only what went wrong.
pub(crate) fn without_backtrace(e: candle_core::Error) -> candle_core::Error {
    match e {
        candle_core::Error::WithBacktrace { inner, .. } => without_backtrace(*inner),
        other => other,
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), cause: source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candle_backtraces_stay_out_of_messages() {
        let with_bt = candle_core::Error::WithBacktrace {
            inner: Box::new(candle_core::Error::Msg("shape mismatch in matmul".into())),
            backtrace: Box::new(std::backtrace::Backtrace::force_capture()),
        };
        assert!(with_bt.to_string().lines().count() > 1, "candle prints the frames");
        assert_eq!(Error::from(with_bt).to_string(), "tensor: shape mismatch in matmul");
    }
}
