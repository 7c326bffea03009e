//! The one error type of ladder-core.

/// What can go wrong in the pure logic: only answers that do not fit the item they answer.
/// A learner's wrong answer is not an error (it is a [`crate::Grade`] with `correct: false`);
/// these errors mean the front end sent something that no learner action can produce.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The answer is for another kind of item (e.g. a choice answer to a numeric item).
    #[error("a {found} answer cannot answer a {expected} item")]
    AnswerKind { expected: &'static str, found: &'static str },
    /// The answer has the right kind but an impossible shape (a position out of range, a wrong
    /// number of blanks, an order that is not a permutation).
    #[error("malformed answer: {0}")]
    MalformedAnswer(String),
}

/// `Result` with ladder-core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
