//! The engine's one error type. Every error that reaches a front end carries a stable `kind`
//! (snake_case, listed in `docs/api.md`) and a human message.

use serde::{Deserialize, Serialize};

/// What went wrong, as a front end can branch on it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request line is not JSON, or lacks a field, or a field has the wrong type.
    BadRequest,
    /// The command name is not one the engine knows.
    UnknownCommand,
    /// A learner, course, lesson, item or session id does not exist.
    NotFound,
    /// The request does not fit the current state (no item on screen, session already ended, ...).
    Conflict,
    /// The learner store failed (disk, database).
    Store,
    /// A course pack could not be read.
    Pack,
    /// The learner model failed.
    Model,
    /// A bug: something the engine assumed did not hold.
    Internal,
}

impl ErrorKind {
    /// The wire name, as it appears in `{"error":{"kind":..}}`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::UnknownCommand => "unknown_command",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Store => "store",
            ErrorKind::Pack => "pack",
            ErrorKind::Model => "model",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An engine error: a kind and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, message)
    }
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::NotFound, format!("no {what} with id {id}"))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
    pub fn store(e: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::Store, e.to_string())
    }
    pub fn pack(e: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::Pack, e.to_string())
    }
    pub fn model(e: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::Model, e.to_string())
    }
    pub fn internal_from(e: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::Internal, e.to_string())
    }

    /// The error as it crosses to a front end: `{"kind": .., "message": ..}`.
    pub fn to_wire(&self) -> WireError {
        WireError { kind: self.kind, message: self.message.clone() }
    }
}

/// The serialised form of an [`Error`].
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    /// The store's error, with its `invalid` (the caller's data refused: a malformed name or
    /// PIN, a pack that does not fit what is installed) reported as `kind` instead of `store`.
    pub(crate) fn store_refusal(kind: ErrorKind) -> impl Fn(ladder_store::StoreError) -> Error {
        move |e| match e.kind() {
            ladder_store::ErrorKind::Invalid => Error::new(kind, e.to_string()),
            _ => Error::from(e),
        }
    }
}

impl From<ladder_store::StoreError> for Error {
    fn from(e: ladder_store::StoreError) -> Self {
        let kind = match e.kind() {
            ladder_store::ErrorKind::NotFound => ErrorKind::NotFound,
            _ => ErrorKind::Store,
        };
        Self::new(kind, e.to_string())
    }
}

impl From<ladder_pack::Error> for Error {
    fn from(e: ladder_pack::Error) -> Self {
        Self::pack(e)
    }
}

/// `option.or_not_found("learner", id)?`
pub trait OrNotFound<T> {
    fn or_not_found(self, what: &str, id: impl std::fmt::Display) -> Result<T>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, what: &str, id: impl std::fmt::Display) -> Result<T> {
        self.ok_or_else(|| Error::not_found(what, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_with_a_snake_case_kind() {
        let e = Error::not_found("learner", 7);
        let json = serde_json::to_value(e.to_wire()).unwrap();
        assert_eq!(json["kind"], "not_found");
        assert_eq!(json["message"], "no learner with id 7");
        for kind in [ErrorKind::BadRequest, ErrorKind::UnknownCommand, ErrorKind::Internal] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
