//! TypeScript declarations of the wire types that live outside this crate (feature `ts`).
//!
//! The wire types of [`crate::view`], [`crate::api::Command`] and the error kinds derive
//! `ts_rs::TS` directly. Two types on the wire belong to crates that do not depend on ts-rs:
//! [`ladder_core::Answer`] and [`ladder_store::PackDiff`]. They get a twin here with the same
//! serde shape, used only to write their TypeScript (`#[ts(as = ...)]`); the tests round-trip
//! real values through each twin, so a field added, removed or renamed on the original fails
//! here instead of drifting silently.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Twin of [`ladder_core::Answer`]: what a learner submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// 1-based positions in the pack's list of choices (not the display order).
    Choice(Vec<usize>),
    /// What was typed, for numeric and text items.
    Text(String),
    /// What was typed into each blank, in blank order.
    Cloze(Vec<String>),
    /// For each place, the 1-based pack position of the entry put there.
    Order(Vec<usize>),
}

/// Twin of [`ladder_store::PackDiff`]: what installing a pack changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackDiff {
    pub pack: String,
    pub title: String,
    pub from_version: Option<String>,
    pub to_version: String,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    pub meta_changed: bool,
    pub removed_with_history: Vec<String>,
    pub returning: bool,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::Value;

    /// Serialises `original`, reads it as the twin `T` (a field the twin lacks is dropped) and writes it
    /// back: the JSON must be the same.
    fn round_trip<O: Serialize, T: Serialize + for<'de> Deserialize<'de>>(original: &O) {
        let json = serde_json::to_value(original).unwrap();
        let twin: T = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("the twin cannot read {json}: {e}"));
        let back: Value = serde_json::to_value(twin).unwrap();
        assert_eq!(back, json);
    }

    #[test]
    fn answer_twin_matches_every_variant() {
        use ladder_core::Answer as A;
        for a in [
            A::Choice(vec![1, 3]),
            A::Text("3/4".into()),
            A::Cloze(vec!["a".into(), "b".into()]),
            A::Order(vec![2, 1, 3]),
        ] {
            round_trip::<_, Answer>(&a);
        }
    }

    #[test]
    fn pack_diff_twin_matches() {
        let diff = ladder_store::PackDiff {
            pack: "p".into(),
            title: "Pack P".into(),
            from_version: Some("1.0.0".into()),
            to_version: "1.1.0".into(),
            added: vec!["a".into()],
            changed: vec!["b".into()],
            removed: vec!["c".into()],
            unchanged: 4,
            meta_changed: true,
            removed_with_history: vec!["c".into()],
            returning: false,
        };
        round_trip::<_, PackDiff>(&diff);
        round_trip::<_, PackDiff>(&ladder_store::PackDiff::default());
    }
}
