//! The one error type that crosses to the UI: the engine's `{kind, message}`, with `reason` and
//! `values` for a refusal the screens say in their own words (docs/api.md lists the kinds and the
//! reasons), so the app and `ladder serve --stdio` report the same failures the same way.

use ladder_engine::error::{Reason, WireError};
use ladder_engine::ErrorKind;

/// What a command fails with. Serialises as `{"kind": "not_found", "message": "..."}`, or with
/// `"reason"` (and `"values"`) as the engine's refusals do.
pub type AppError = WireError;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// An error of `kind` with a message for people (no reason: the screens show the message).
pub fn error(kind: ErrorKind, message: impl Into<String>) -> AppError {
    WireError { kind, reason: None, values: None, message: message.into() }
}

/// A refusal of the app's own with its reason (of the reason's kind) and a message for people.
pub fn refusal(reason: Reason, message: impl Into<String>) -> AppError {
    WireError { kind: reason.kind(), reason: Some(reason), values: None, message: message.into() }
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

    #[test]
    fn a_refusal_of_the_engine_keeps_its_reason_and_values() {
        let e = ladder_engine::Error::not_found("session", 12);
        let json = serde_json::to_value(from_engine(e)).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"kind": "not_found", "reason": "session_not_found",
                "values": {"id": "12"}, "message": "no session with id 12"})
        );
    }
}
