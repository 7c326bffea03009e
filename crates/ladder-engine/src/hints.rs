//! The hint policy: when to offer or show the next rung of an item's hint ladder.
//!
//! Hints are always available on demand (the ladder goes one rung at a time and ends with the
//! worked solution). Besides that, the engine *offers* a hint before an answer when the model
//! predicts failure, and after a wrong answer; after repeated wrong answers it *shows* the next
//! rung without being asked.

use serde::{Deserialize, Serialize};

use crate::settings::Settings;

/// What the front end should do about hints now.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HintDecision {
    /// Nothing: hints stay available behind the hint button.
    None,
    /// Invite the learner to take a hint (e.g. highlight the hint button).
    Offer,
    /// Show the next rung now (the engine has already recorded it as seen).
    Show,
}

/// Before the first answer to an item with predicted success `p` and `levels` hint rungs, the
/// last of them its worked solution when `has_solution`. Only a hint is offered: an item whose
/// only rung is the solution offers nothing before the learner has tried (taking the offer
/// would show the whole answer and leave the answer after it no credit).
pub fn before_answer(settings: &Settings, p: f32, levels: u8, has_solution: bool) -> HintDecision {
    let hints = levels.saturating_sub(u8::from(has_solution));
    if hints > 0 && p < settings.offer_hint_below {
        HintDecision::Offer
    } else {
        HintDecision::None
    }
}

/// After an answer: `wrong` wrong answers so far on this item, `shown` rungs already seen.
pub fn after_answer(
    settings: &Settings,
    correct: bool,
    wrong: u32,
    shown: u8,
    levels: u8,
) -> HintDecision {
    if correct || shown >= levels {
        HintDecision::None
    } else if wrong >= settings.show_hint_after_wrong {
        HintDecision::Show
    } else {
        HintDecision::Offer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_before_answering_only_when_failure_is_predicted() {
        let s = Settings::default();
        assert_eq!(before_answer(&s, 0.2, 3, true), HintDecision::Offer);
        assert_eq!(before_answer(&s, 0.7, 3, true), HintDecision::None);
        assert_eq!(before_answer(&s, 0.2, 0, false), HintDecision::None, "no ladder, no offer");
        assert_eq!(before_answer(&s, 0.2, 1, false), HintDecision::Offer, "one hint");
        assert_eq!(before_answer(&s, 0.2, 1, true), HintDecision::None, "only the solution");
    }

    #[test]
    fn wrong_answers_offer_then_show_and_the_ladder_ends() {
        let s = Settings::default();
        assert_eq!(after_answer(&s, false, 1, 0, 3), HintDecision::Offer);
        assert_eq!(after_answer(&s, false, 2, 1, 3), HintDecision::Show);
        assert_eq!(after_answer(&s, false, 5, 3, 3), HintDecision::None);
        assert_eq!(after_answer(&s, true, 1, 0, 3), HintDecision::None);
    }
}
