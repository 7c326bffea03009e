//! Newtype ids, so that a skill id can never be passed where an item id is expected.
//!
//! Pack, skill, lesson and item ids are the strings a teacher writes in a pack (see
//! `docs/pack-format.md`): 1 to 64 characters of `a-z`, `0-9` and `-`, starting with a letter or
//! a digit. They are how Ladder recognises the same item across versions of a pack, so they are
//! kept verbatim. Learner ids are database row ids.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id a pack may use, in characters (all ASCII, so also bytes).
pub const MAX_ID_LEN: usize = 64;

/// Why a string is not a valid pack, skill, lesson or item id; `None` when it is valid.
///
/// The message completes "the id ... is invalid: " and is shown to teachers by the validator.
pub fn id_problem(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some("an id must not be empty");
    }
    if s.len() > MAX_ID_LEN {
        return Some("an id must be at most 64 characters long");
    }
    if !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Some("an id may only use lowercase letters a-z, digits 0-9 and '-'");
    }
    if s.starts_with('-') {
        return Some("an id must start with a letter or a digit");
    }
    None
}

/// Whether `s` is a valid pack, skill, lesson or item id (see [`id_problem`]).
pub fn is_valid_id(s: &str) -> bool {
    id_problem(s).is_none()
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a string without checking it; packs are checked by the validator
            /// (`ladder-pack`) before any id reaches the rest of the program.
            pub fn new(s: impl Into<String>) -> Self {
                Self(s.into())
            }

            /// The id as written in the pack.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// The stable id of a course pack (`pack.toml` `id`).
    PackId
);
string_id!(
    /// The id of a skill, unique within its pack.
    SkillId
);
string_id!(
    /// The id of a lesson, unique within its pack.
    LessonId
);
string_id!(
    /// The id of an item (one question), unique within its pack.
    ItemId
);

/// A learner profile's id: the row id the store gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LearnerId(pub i64);

impl fmt::Display for LearnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_rules() {
        assert!(is_valid_id("meaning-001"));
        assert!(is_valid_id("1st"));
        assert!(is_valid_id(&"a".repeat(64)));
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-lead"));
        assert!(!is_valid_id("Upper"));
        assert!(!is_valid_id("under_score"));
        assert!(!is_valid_id("café"));
    }

    #[test]
    fn ids_serialise_as_plain_strings() -> Result<(), serde_json::Error> {
        let id = ItemId::new("meaning-001");
        assert_eq!(serde_json::to_string(&id)?, "\"meaning-001\"");
        assert_eq!(serde_json::from_str::<ItemId>("\"x\"")?, ItemId::from("x"));
        assert_eq!(serde_json::to_string(&LearnerId(7))?, "7");
        Ok(())
    }
}
