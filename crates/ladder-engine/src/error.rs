//! The engine's one error type. Every error that reaches a front end carries a stable `kind`
//! (snake_case, listed in `docs/api.md`) and a human message (English). A refusal a learner or a
//! tutor meets in normal use carries besides a stable [`Reason`] and the [`ReasonValues`] that
//! say it (the lesson, the skills it needs, the item): front ends branch on the reason and say
//! it in their own language, never by matching the message, which may be reworded.

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

/// Which refusal it is, for a front end to say in its own words (docs/api.md, "Reasons"). Each
/// belongs to one kind. Stable: a reason is never renamed or given another meaning; a new one
/// may be added, so a front end says an unknown reason with the message.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// `not_found`: no learner with that id (deleted meanwhile). Values: `id`.
    LearnerNotFound,
    /// `not_found`: no installed course with that id (removed meanwhile). Values: `id`.
    CourseNotFound,
    /// `not_found`: the course has no lesson with that id. Values: `id`, `course` (its id).
    LessonNotFound,
    /// `not_found`: no session with that id (a backup restored since it started). Values: `id`.
    SessionNotFound,
    /// `conflict`: another active learner has that name, ignoring case. Values: `name`, as that
    /// learner has it.
    LearnerNameTaken,
    /// `conflict`: the learner is archived and may not practise. Values: `name`.
    LearnerArchived,
    /// `conflict`: the lesson is locked. Values: `lesson` (its title), `needs` (the skills, by
    /// name, that must reach `at` first), `at` (the level, 0 to 1).
    LessonLocked,
    /// `conflict`: the lesson has no items yet. Values: `lesson` (its title).
    LessonEmpty,
    /// `conflict`: an update of the course removed (or renamed) the lesson the session practises.
    /// Values: `lesson` (its id), `course` (the course's title).
    LessonRemoved,
    /// `conflict`: there is nothing to practise in the session's scope (an update of the course
    /// left its lesson without items).
    NothingToPractise,
    /// `conflict`: the session has ended. Values: `session`.
    SessionEnded,
    /// `conflict`: no item is on screen: ask for the next step first.
    NoItemOnScreen,
    /// `conflict`: the item on screen is done (answered right or skipped).
    ItemDone,
    /// `conflict`: an update of the course removed the item on screen. Values: `item` (its id).
    ItemRemoved,
    /// `conflict`: an update of the course changed the item on screen since it was shown.
    /// Values: `item` (its id).
    ItemChanged,
    /// `conflict`: the hint ladder of the item on screen is finished.
    NoMoreHints,
    /// `conflict`: the item on screen has no worked solution.
    NoSolution,
    /// `conflict` (the desktop app's tutor area): a training job reads the history, so a
    /// deletion or a restore waits for it.
    TrainingBusy,
    /// `conflict` (the desktop app's tutor area): the learner to delete was renamed since the
    /// list was shown, so nothing was deleted. Values: `id`, `name` (as named now).
    LearnerRenamed,
    /// `conflict` (the desktop app's tutor area): only an archived learner can be deleted.
    /// Values: `name`.
    LearnerNotArchived,
    /// `conflict` (the desktop app): the tutor area is locked; the tutor PIN opens it.
    TutorLocked,
    /// `conflict` (the desktop app's settings): the model in use, or the one before it, changed
    /// since the screen offered to go back, so nothing was rolled back.
    ModelChanged,
}

impl Reason {
    /// Every reason, in the order of the enum (docs/api.md lists them in this order).
    pub const ALL: [Reason; 22] = [
        Reason::LearnerNotFound,
        Reason::CourseNotFound,
        Reason::LessonNotFound,
        Reason::SessionNotFound,
        Reason::LearnerNameTaken,
        Reason::LearnerArchived,
        Reason::LessonLocked,
        Reason::LessonEmpty,
        Reason::LessonRemoved,
        Reason::NothingToPractise,
        Reason::SessionEnded,
        Reason::NoItemOnScreen,
        Reason::ItemDone,
        Reason::ItemRemoved,
        Reason::ItemChanged,
        Reason::NoMoreHints,
        Reason::NoSolution,
        Reason::TrainingBusy,
        Reason::LearnerRenamed,
        Reason::LearnerNotArchived,
        Reason::TutorLocked,
        Reason::ModelChanged,
    ];

    /// The kind of error the reason belongs to.
    pub fn kind(self) -> ErrorKind {
        match self {
            Reason::LearnerNotFound
            | Reason::CourseNotFound
            | Reason::LessonNotFound
            | Reason::SessionNotFound => ErrorKind::NotFound,
            Reason::LearnerNameTaken
            | Reason::LearnerArchived
            | Reason::LessonLocked
            | Reason::LessonEmpty
            | Reason::LessonRemoved
            | Reason::NothingToPractise
            | Reason::SessionEnded
            | Reason::NoItemOnScreen
            | Reason::ItemDone
            | Reason::ItemRemoved
            | Reason::ItemChanged
            | Reason::NoMoreHints
            | Reason::NoSolution
            | Reason::TrainingBusy
            | Reason::LearnerRenamed
            | Reason::LearnerNotArchived
            | Reason::TutorLocked
            | Reason::ModelChanged => ErrorKind::Conflict,
        }
    }

    /// The wire name, as it appears in `{"error":{"reason":..}}`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::LearnerNotFound => "learner_not_found",
            Reason::CourseNotFound => "course_not_found",
            Reason::LessonNotFound => "lesson_not_found",
            Reason::SessionNotFound => "session_not_found",
            Reason::LearnerNameTaken => "learner_name_taken",
            Reason::LearnerArchived => "learner_archived",
            Reason::LessonLocked => "lesson_locked",
            Reason::LessonEmpty => "lesson_empty",
            Reason::LessonRemoved => "lesson_removed",
            Reason::NothingToPractise => "nothing_to_practise",
            Reason::SessionEnded => "session_ended",
            Reason::NoItemOnScreen => "no_item_on_screen",
            Reason::ItemDone => "item_done",
            Reason::ItemRemoved => "item_removed",
            Reason::ItemChanged => "item_changed",
            Reason::NoMoreHints => "no_more_hints",
            Reason::NoSolution => "no_solution",
            Reason::TrainingBusy => "training_busy",
            Reason::LearnerRenamed => "learner_renamed",
            Reason::LearnerNotArchived => "learner_not_archived",
            Reason::TutorLocked => "tutor_locked",
            Reason::ModelChanged => "model_changed",
        }
    }
}

/// What a front end needs to say a [`Reason`] in its own words: the names and ids the English
/// message has. Only the values a reason lists are set (see each [`Reason`]); names are the
/// pack's or the learner's, as written there.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// Unknown fields are read and dropped: a newer engine may give a reason more values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReasonValues {
    /// The id that was asked for and is not there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// A learner's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    /// The course: its title, or its id where only the id is known (`lesson_not_found`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub course: Option<String>,
    /// The lesson: its title, or its id where the lesson is gone (`lesson_removed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub lesson: Option<String>,
    /// The skills, by name, a locked lesson needs first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub needs: Option<Vec<String>>,
    /// The level (0 to 1) those skills must reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub at: Option<f64>,
    /// An item's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub item: Option<String>,
    /// A session's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub session: Option<i64>,
}

impl ReasonValues {
    /// Whether no value is set (the wire form then leaves `values` out).
    pub fn is_empty(&self) -> bool {
        *self == ReasonValues::default()
    }
}

/// An engine error: a kind and a message for people; for a refusal a learner or a tutor meets,
/// a reason and its values besides.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// Which refusal it is (`None`: an error without one; say the message).
    pub reason: Option<Reason>,
    /// What the reason needs to be said (empty without a reason; boxed, so that a `Result`
    /// stays small).
    pub values: Box<ReasonValues>,
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), reason: None, values: Box::default() }
    }
    /// A refusal with its reason (of the reason's kind), the values that say it, and the
    /// English message.
    pub fn refusal(reason: Reason, values: ReasonValues, message: impl Into<String>) -> Self {
        Self { reason: Some(reason), values: Box::new(values), ..Self::new(reason.kind(), message) }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, message)
    }
    /// `no {what} with id {id}`; a learner, course or session (what a front end lets people
    /// pick) with its reason and the id (a lesson has its own, which names the course too).
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        let message = format!("no {what} with id {id}");
        let reason = match what {
            "learner" => Reason::LearnerNotFound,
            "course" => Reason::CourseNotFound,
            "session" => Reason::SessionNotFound,
            _ => return Self::new(ErrorKind::NotFound, message),
        };
        Self::refusal(
            reason,
            ReasonValues { id: Some(id.to_string()), ..Default::default() },
            message,
        )
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

    /// The error as it crosses to a front end: `{"kind": .., "message": ..}`, with `reason`
    /// and `values` when it has a reason.
    pub fn to_wire(&self) -> WireError {
        WireError {
            kind: self.kind,
            reason: self.reason,
            values: (!self.values.is_empty()).then(|| self.values.clone()),
            message: self.message.clone(),
        }
    }
}

/// The serialised form of an [`Error`]. `reason` and `values` are left out when there are none,
/// so an error without a reason is `{kind, message}` as it always was.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    pub kind: ErrorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reason: Option<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub values: Option<Box<ReasonValues>>,
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
        // The store's "no learner with id 5" is the engine's, with its reason.
        if let ladder_store::StoreError::NotFound { what, id } = &e {
            let from_engine = Error::not_found(what, id);
            if from_engine.reason.is_some() {
                return Error { message: e.to_string(), ..from_engine };
            }
        }
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

    #[test]
    fn every_reason_is_listed_once_with_its_wire_name_and_a_kind_of_refusal() {
        let mut seen = std::collections::HashSet::new();
        for reason in Reason::ALL {
            // Exhaustive: a new reason fails to compile here until it is added to `ALL`.
            match reason {
                Reason::LearnerNotFound
                | Reason::CourseNotFound
                | Reason::LessonNotFound
                | Reason::SessionNotFound
                | Reason::LearnerNameTaken
                | Reason::LearnerArchived
                | Reason::LessonLocked
                | Reason::LessonEmpty
                | Reason::LessonRemoved
                | Reason::NothingToPractise
                | Reason::SessionEnded
                | Reason::NoItemOnScreen
                | Reason::ItemDone
                | Reason::ItemRemoved
                | Reason::ItemChanged
                | Reason::NoMoreHints
                | Reason::NoSolution
                | Reason::TrainingBusy
                | Reason::LearnerRenamed
                | Reason::LearnerNotArchived
                | Reason::TutorLocked
                | Reason::ModelChanged => {}
            }
            assert!(seen.insert(reason), "{reason:?} twice");
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
            assert!(matches!(reason.kind(), ErrorKind::NotFound | ErrorKind::Conflict));
        }
    }

    #[test]
    fn an_old_error_without_a_reason_still_reads() {
        let old: WireError =
            serde_json::from_str(r#"{"kind":"conflict","message":"session 3 has ended"}"#).unwrap();
        assert_eq!((old.reason, old.values), (None, None));
        // One from a newer engine, with a value this one does not know, reads too.
        let newer: WireError = serde_json::from_str(
            r#"{"kind":"conflict","reason":"lesson_locked","values":{"lesson":"L","colour":"red"},"message":"m"}"#,
        )
        .unwrap();
        assert_eq!(newer.values.unwrap().lesson.as_deref(), Some("L"));
        let e = Error::not_found("lesson", "x in course y");
        assert_eq!((e.kind, e.reason), (ErrorKind::NotFound, None), "the engine names lessons");
        let e = Error::not_found("backup", "b.db");
        assert_eq!(serde_json::to_value(e.to_wire()).unwrap().as_object().unwrap().len(), 2);
    }
}
