//! The languages Ladder writes in: the sentences the engine writes for learners (the reason a
//! step gives for its item, "why this?"), and tutors' reports (ladder-report keeps its own
//! catalogue per language). The engine follows the device's UI language, the store setting
//! `ui.language` that the app's settings screen writes (`admin::LANGUAGE_KEY`), read at every
//! step, so a change in the app or from another process applies from the next item on.
//! Error messages stay English (`docs/api.md`).

use serde::{Deserialize, Serialize};

/// A language the engine writes its sentences in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English, the default (and the language of every step recorded before languages).
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    /// `en`, `es`: the tags of the `ui.language` setting.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    /// The language of a tag (any case), if the engine writes in it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        Self::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The tags, for messages: `en, es`.
    pub fn tags() -> String {
        Self::ALL.map(Language::tag).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_unknown_tags_are_none() {
        for l in Language::ALL {
            assert_eq!(Language::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Language::from_tag(" ES "), Some(Language::Es));
        assert_eq!(Language::from_tag("fr"), None);
        // Every language the UI offers is one the engine writes in.
        for tag in crate::admin::LANGUAGES {
            assert!(Language::from_tag(tag).is_some(), "{tag}");
        }
    }
}
