//! Bayesian knowledge tracing with fixed parameters, run online.
//!
//! Each skill is known or not; a first answer updates the probability that it is known (Bayes on
//! slip and guess), then practice may teach it (`learn`). An answer given with hints counts as a
//! wrong one for tracing, as mastery-learning tutors do. Used by the `bkt-mastery` baseline
//! policy, and as a [`Predictor`] for comparison.

use serde::{Deserialize, Serialize};

use super::{Assessment, Attempt, Predictor, SkillEstimate};
use crate::course::{Course, ItemIx};
use crate::error::Result;

/// BKT parameters shared by every skill.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BktParams {
    /// Probability a skill is known before any practice.
    pub init: f32,
    /// Probability an opportunity to practise teaches an unknown skill.
    pub learn: f32,
    /// Probability of a wrong answer although the skill is known.
    pub slip: f32,
    /// Probability of a right answer although it is not.
    pub guess: f32,
}

impl Default for BktParams {
    /// Typical fitted values (known 0.2 before practice, 0.15 learning per opportunity, 0.1 slip,
    /// 0.2 guess); the same as the mean of the simulator's BKT-like students, which makes the
    /// baseline as strong as it can be on them.
    fn default() -> Self {
        Self { init: 0.2, learn: 0.15, slip: 0.1, guess: 0.2 }
    }
}

impl BktParams {
    /// P(known) after observing one answer and one chance to learn.
    pub fn update(&self, known: f32, correct: bool) -> f32 {
        let post = if correct {
            let a = known * (1.0 - self.slip);
            a / (a + (1.0 - known) * self.guess)
        } else {
            let a = known * self.slip;
            a / (a + (1.0 - known) * (1.0 - self.guess))
        };
        post + (1.0 - post) * self.learn
    }

    /// P(correct) given P(known).
    pub fn p_correct(&self, known: f32) -> f32 {
        known * (1.0 - self.slip) + (1.0 - known) * self.guess
    }
}

/// Runs BKT over a history: P(known) per skill.
pub fn trace(params: &BktParams, course: &Course, history: &[Attempt]) -> Vec<f32> {
    let mut known = vec![params.init; course.skills.len()];
    for a in history {
        let Some(item) = course.items.get(a.item) else { continue };
        let correct = a.correct && a.hints == 0 && !a.solution_seen;
        for &s in &item.skills {
            known[s] = params.update(known[s], correct);
        }
    }
    known
}

/// BKT as a predictor.
#[derive(Debug, Clone, Default)]
pub struct BktTracer {
    pub params: BktParams,
}

impl Predictor for BktTracer {
    fn name(&self) -> &str {
        "bkt"
    }

    fn assess(
        &self,
        course: &Course,
        history: &[Attempt],
        candidates: &[ItemIx],
        _now: i64,
    ) -> Result<Assessment> {
        let known = trace(&self.params, course, history);
        let n = super::skill_attempts(course, history);
        let evidence = super::skill_evidence(course, history);
        let recent = super::skill_recent(course, history);
        let mut last = vec![None; course.skills.len()];
        for a in history {
            for &s in super::item_skills(course, a.item) {
                last[s] = Some(a.at);
            }
        }
        let items = candidates
            .iter()
            .map(|&i| {
                let sk = super::item_skills(course, i);
                if sk.is_empty() {
                    return self.params.p_correct(self.params.init);
                }
                sk.iter().map(|&s| self.params.p_correct(known[s])).sum::<f32>() / sk.len() as f32
            })
            .collect();
        let skills = known
            .iter()
            .enumerate()
            .map(|(s, &k)| {
                let sd = (k * (1.0 - k)).sqrt();
                SkillEstimate {
                    mastery: k,
                    uncertainty: sd,
                    lower: (k - sd).max(0.0),
                    recall: k,
                    attempts: n[s],
                    evidence: evidence[s],
                    recent: recent[s],
                    last_practised: last[s],
                }
            })
            .collect();
        Ok(Assessment { items, skills })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::diamond;

    #[test]
    fn three_right_answers_reach_095_from_the_default_prior() {
        let p = BktParams::default();
        let mut k = p.init;
        let mut steps = 0;
        while k < 0.95 {
            k = p.update(k, true);
            steps += 1;
        }
        assert_eq!(steps, 3, "P(known) = {k}");
        assert!(p.update(0.9, false) < 0.9);
    }

    #[test]
    fn hinted_answers_do_not_count_as_right() {
        let c = diamond(3);
        let a = |hints| Attempt {
            item: 0,
            correct: true,
            hints,
            solution_seen: false,
            latency_ms: 1000,
            at: 0,
        };
        let plain = trace(&BktParams::default(), &c, &[a(0)]);
        let hinted = trace(&BktParams::default(), &c, &[a(1)]);
        assert!(plain[0] > 0.5);
        assert!(hinted[0] < BktParams::default().init + 0.1);
    }
}
