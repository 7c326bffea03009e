//! The one error type that crosses to the UI: the engine's `{kind, message}` (docs/api.md lists
//! the kinds), so the app and `ladder serve --stdio` report the same failures the same way.

use ladder_engine::error::WireError;
use ladder_engine::ErrorKind;

/// What a command fails with. Serialises as `{"kind": "not_found", "message": "..."}`.
pub type AppError = WireError;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// An error of `kind` with a message for people.
pub fn error(kind: ErrorKind, message: impl Into<String>) -> AppError {
    WireError { kind, message: message.into() }
}

/// A request the user can fix (a bad argument on the command line, a bad file choice).
pub fn bad_request(message: impl Into<String>) -> AppError {
    error(ErrorKind::BadRequest, message)
}

/// A bug or an unexpected failure (a worker thread panicked, a lock was poisoned).
pub fn internal(message: impl Into<String>) -> AppError {
    error(ErrorKind::Internal, message)
}

/// The engine's error as the UI receives it.
pub fn from_engine(e: ladder_engine::Error) -> AppError {
    e.to_wire()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let e = from_engine(ladder_engine::Error::conflict("a learner named Ada already exists"));
        let json = serde_json::to_value(&e).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"kind": "conflict", "message": "a learner named Ada already exists"})
        );
        let json = serde_json::to_value(bad_request("x")).expect("serialise");
        assert_eq!(json["kind"], "bad_request");
    }
}
