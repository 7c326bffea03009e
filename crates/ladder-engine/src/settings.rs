//! The named thresholds of the teaching policies, with their defaults and why.
//!
//! Every number the next-step and hint policies compare against lives here, so that a change is
//! one edit, `ladder simulate` can measure it, and `docs/api.md` can list it.

use serde::{Deserialize, Serialize};

/// Thresholds of the next-step policy and the hint policy. `Settings::default()` is what the app
/// uses; every field has its default and reason on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Lower edge of the target band of predicted success for the next item. Default 0.75, so
    /// that the policy aims at 0.85 (the band's middle): practice that mostly succeeds. With
    /// 0.60–0.85 (the default until revision 5 of docs/model.md) learners whom the predictor
    /// overrates got items they mostly failed, and the simulated learners whose progress feeds
    /// on right answers (the `model` family) stalled; 0.75–0.95 cut their items to mastery by
    /// 14 and changed the other families by under 2.
    pub band_low: f32,
    /// Upper edge of the target band. Default 0.95: above it an item teaches next to nothing.
    pub band_high: f32,
    /// Predicted success on a typical item of a skill at which the skill counts as mastered.
    /// Default 0.75: with 0.80 the built-in model needed one or two more right answers per skill,
    /// most of them on skills the simulated learners already knew (docs/model.md).
    pub mastery_threshold: f32,
    /// How confident the model must be before a skill is declared mastered: the estimate minus
    /// `mastery_z` standard deviations must still reach `mastery_threshold`. Default 0.0: the
    /// point estimate decides, and `mastery_max_sd` supplies the confidence. (With 1.0 the
    /// built-in model needs 7 to 10 right answers in a row, which the simulated learners showed
    /// to cost many items for no gain.)
    pub mastery_z: f32,
    /// A skill is declared mastered only when the standard deviation of its mastery estimate is
    /// at most this. Default 0.25: one lucky answer is not enough, yet a learner who answers a
    /// few in a row is not held back for lack of answers (0.15 cost the simulated learners
    /// items on skills they knew).
    pub mastery_max_sd: f32,
    /// A skill is declared mastered only after at least this many answers on it. Default 3: a
    /// strong learner's first skills can make the model confident about a skill never tried,
    /// and with an easy skill the built-in model's first estimate is near the line, so one right
    /// answer (or one after two wrong ones) called it mastered; three answers of evidence on
    /// the skill itself are asked for. (The trained model reaches the line after two or three
    /// answers anyway: the simulated learners' figures did not move, docs/model.md revision 7.)
    /// A right answer given after the worked solution is no evidence and does not count
    /// (`SkillEstimate::evidence`).
    pub mastery_min_answers: u32,
    /// A skill is declared mastered only when the learner's own latest answers on it back the
    /// model: of its last `RECENT_ANSWERS` (5) answers that are evidence (not a right answer
    /// after the worked solution), at least this share right, with or without hints. Default
    /// 0.8: four of the last five, or every one of three or four. The trained model, which met
    /// only learners who learn, read a learner right half the time at random as mastered on
    /// most skills practised; with this rule the simulated learners who do not learn are shown
    /// 2.35 of the Fractions pack's 10 skills mastered after 60 questions instead of 4.04, and
    /// those who learn about 40% fewer skills not yet mastered, for no more items to mastery
    /// beyond the spread (docs/model.md, revision 13). 0 turns it off.
    pub mastery_recent_share: f32,
    /// A prerequisite unlocks the skills that need it when its point estimate of mastery reaches
    /// this. Default 0.75, the mastery threshold without the confidence: a learner is not held
    /// back by the last few points of confidence on a skill they clearly know.
    pub unlock_threshold: f32,
    /// A skill that others build on unlocks them only once its point estimate reaches this, and
    /// is practised until then even when already mastered. Default 0.80: building on a
    /// prerequisite that is only just mastered cost the simulated learners who forget (and
    /// learn more slowly on a weak prerequisite) items and wheel-spinning; 0.85 went too far
    /// (docs/model.md, revision 4). 0 turns it off.
    pub prerequisite_threshold: f32,
    /// A mastered skill comes back for review when its predicted recall (mastery with forgetting
    /// applied) falls below this. Default 0.75: a little under the mastery threshold, so that a
    /// skill is refreshed before it is really lost.
    pub review_threshold: f32,
    /// Seconds that must pass after the last practice of a skill before it can come back for
    /// review because its recall faded. Default one hour: review within the same sitting is not
    /// spacing. (A review for `review_after_items` counts questions, not time, and its reason
    /// says how many.)
    pub review_min_gap_s: i64,
    /// A mastered skill not practised for this many items comes back for review, whatever its
    /// predicted recall. Default 40: a trained model as predictor does not lower its estimate
    /// with time between answers, so without this a mastered skill would never come back, and
    /// the simulated learners who forget needed fewer items with it (docs/model.md, revision 4).
    /// 0: only predicted recall decides.
    pub review_after_items: usize,
    /// An item is not shown again within this many steps (unless nothing else is left).
    /// Default 8.
    pub repeat_gap: usize,
    /// How much each earlier showing of an item counts against choosing it again, in the units
    /// of distance from the band's middle. Default 0.1: for a learner below the band the
    /// easiest few items are always nearest it, and at 0.02 a struggling learner met three
    /// questions of a 15-question lesson four times each in 30 steps and five never (a question
    /// met again and again is answered from memory); at 0.1 the simulated learners' items to
    /// mastery moved by −2.0, +0.5 and +3.8, within noise (docs/model.md, revision 7).
    pub repeat_penalty: f32,
    /// With a predictor that does not tell a course's questions apart (the built-in one, which
    /// runs every pack the trained model does not know), a question is chosen again only while
    /// it has been shown fewer than this many times more than the least shown question the
    /// policy could pick for the same skill. Default 2: no question comes a third time before
    /// every other has come once. The penalty above cannot do this alone: a struggling learner
    /// is below the band on every question, the easiest stay nearer it by more than any penalty
    /// that leaves the simulated figures alone, and in the walk that revision 7 fixed for the
    /// shipped model the built-in predictor still showed three questions four times each in 30
    /// steps and four never; it reads every right answer as new evidence of the skill, so
    /// answers from memory raise its estimate. The trained model reads which question each
    /// answer was on, and with it the rule cost the simulated learners (who have no memory of
    /// questions) 10 items on one family, so it is left to the penalty there (docs/model.md,
    /// revision 8). 1: strict turns; 0 turns it off.
    pub repeat_spread: u32,
    /// A skill whose last this many questions were all skipped (a `skip` without a first answer;
    /// a question left on screen when a session ended is not one) waits until `repeat_gap` questions have come since, while another skill can be
    /// practised; a review waits too (a faded skill's review, skipped, came back at every step,
    /// as its recall is read from answers). Default 2: one skip (of a question the learner
    /// finds dull, say) only moves on to another question, as the policy does after any question; a second in a row on the
    /// same skill says "not this now", and the skill was served again and again while the
    /// learner skipped it. A skip is no answer: it earns no mastery and costs none, and a skill
    /// whose questions are all skipped is never counted mastered (it has no answers). 0: off.
    pub skips_set_aside: u32,
    /// The skill practised last stays the one practised until another unlocked, not yet mastered
    /// skill has an estimated mastery lower by more than this; then the policy turns to the one
    /// furthest behind. Default 0.10: a skill that has just gone up gives way, instead of being
    /// confirmed at length while the others wait (the simulated learners needed fewer items to
    /// master the pack than when each skill was finished before the next; docs/model.md).
    pub switch_margin: f32,
    /// How much the choice of item favours one that also practises other skills still being
    /// learnt (per such skill, in the units of distance from the band's middle). Default 0.15:
    /// an item on two skills in progress practises both (0 turns it off, and the policy then
    /// prefers items on the chosen skill alone, for the cleanest evidence).
    pub together_bonus: f32,
    /// Offer a hint before the learner answers when predicted success is below this. Default 0.40.
    pub offer_hint_below: f32,
    /// After this many wrong answers on the same item the next hint is shown without being asked
    /// for. Default 2.
    pub show_hint_after_wrong: u32,
    /// Share of mastery credit a correct answer earns when hints were used (the solution earns
    /// none). Default 0.5: reduced, not zeroed.
    pub hinted_credit: f32,
    /// Mastery threshold of the BKT mastery-learning baseline (probability the skill is known).
    /// Default 0.95, as OATutor uses.
    pub bkt_mastery: f32,
    /// A mastered skill whose last this many first answers earned less than half their credit
    /// (`credit`) is in doubt: the answers disagree with the model. The policy brings it back
    /// for a review question, at most once every `repeat_gap` questions, as it does a faded
    /// one. Default 10, the tutor reports' "mastery in doubt" rule; 0 turns it off.
    pub doubt_answers: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            band_low: 0.75,
            band_high: 0.95,
            mastery_threshold: 0.75,
            mastery_z: 0.0,
            mastery_max_sd: 0.25,
            mastery_min_answers: 3,
            mastery_recent_share: 0.8,
            unlock_threshold: 0.75,
            prerequisite_threshold: 0.80,
            review_threshold: 0.75,
            review_min_gap_s: 3600,
            repeat_gap: 8,
            repeat_penalty: 0.1,
            repeat_spread: 2,
            skips_set_aside: 2,
            review_after_items: 40,
            switch_margin: 0.10,
            together_bonus: 0.15,
            offer_hint_below: 0.40,
            show_hint_after_wrong: 2,
            hinted_credit: 0.5,
            bkt_mastery: 0.95,
            doubt_answers: 10,
        }
    }
}

impl Settings {
    /// The mastery a prerequisite must reach before the skills built on it unlock
    /// (`policy::skill_status`): `prerequisite_threshold`, or `unlock_threshold` when higher.
    pub fn unlock_level(&self) -> f32 {
        self.prerequisite_threshold.max(self.unlock_threshold)
    }

    /// The middle of the target band, the predicted success the policy aims for.
    pub fn band_mid(&self) -> f32 {
        0.5 * (self.band_low + self.band_high)
    }

    /// Whether a skill's latest answers back a mastery declared by the model
    /// (`mastery_recent_share`).
    pub fn recent_backs(&self, r: &crate::predictor::Recent) -> bool {
        f32::from(r.right) >= self.mastery_recent_share * f32::from(r.answers) - 1e-6
    }

    /// How much mastery credit an answer earns: 1 without help, `hinted_credit` with hints,
    /// nothing after the worked solution. Wrong answers always count in full.
    pub fn credit(&self, correct: bool, hints: u8, solution_seen: bool) -> f32 {
        if !correct {
            1.0
        } else if solution_seen {
            0.0
        } else if hints > 0 {
            self.hinted_credit
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_coherent() {
        let s = Settings::default();
        assert!(s.band_low < s.band_high);
        assert!(s.offer_hint_below < s.band_low);
        assert!(s.unlock_threshold <= s.mastery_threshold);
        assert!(s.prerequisite_threshold >= s.unlock_threshold);
        assert!((s.band_mid() - 0.85).abs() < 1e-6);
    }

    #[test]
    fn hinted_answers_earn_reduced_not_zero_credit() {
        let s = Settings::default();
        assert_eq!(s.credit(true, 0, false), 1.0);
        assert_eq!(s.credit(true, 1, false), 0.5);
        assert_eq!(s.credit(true, 3, true), 0.0);
        assert_eq!(s.credit(false, 2, false), 1.0);
    }

    #[test]
    fn partial_settings_fill_in_defaults() {
        let s: Settings = serde_json::from_str(r#"{"band_low":0.5}"#).unwrap();
        assert_eq!(s.band_low, 0.5);
        assert_eq!(s.band_high, 0.95);
    }
}
