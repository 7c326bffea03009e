//! Newtype ids, so that a learner id cannot be passed where an event id is meant.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// A learner profile. Never reused, even after the learner is deleted.
    LearnerId
);
id_type!(
    /// An event of the log; ids grow with time of writing.
    EventId
);
id_type!(
    /// A practice session: the id of its `session_start` event.
    SessionId
);
id_type!(
    /// A row of `model_versions`.
    ModelVersionId
);

impl From<EventId> for SessionId {
    fn from(e: EventId) -> Self {
        SessionId(e.0)
    }
}
