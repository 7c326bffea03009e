//! The one error type of ladder-core.

/// What can go wrong in the pure logic: only answers that do not fit the item they answer.
/// A learner's wrong answer is not an error (it is a [`crate::Grade`] with `correct: false`);
/// these errors mean the front end sent something that no learner action can produce.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The answer is for another kind of item (e.g. a choice answer to a numeric item).
    #[error("{} answer cannot answer {} item", with_article(.found), with_article(.expected))]
    AnswerKind { expected: &'static str, found: &'static str },
    /// The answer has the right kind but an impossible shape (a position out of range, a wrong
    /// number of blanks, an order that is not a permutation).
    #[error("malformed answer: {0}")]
    MalformedAnswer(String),
}

/// `kind` with its indefinite article ("a choice", "an order").
fn with_article(kind: &str) -> String {
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

/// `Result` with ladder-core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_mismatches_read_as_english() {
        let e = Error::AnswerKind { expected: "order", found: "text" };
        assert_eq!(e.to_string(), "a text answer cannot answer an order item");
        let e = Error::AnswerKind { expected: "choice", found: "order" };
        assert_eq!(e.to_string(), "an order answer cannot answer a choice item");
    }
}
