//! The informed diagnostic: what a teacher who knows each `bkt` student's own parameters, but
//! not what the student knows, could reach.
//!
//! The oracle (`sim::oracle`) reads the hidden state and so gives a figure no teaching policy can
//! approach; this one is told only what no real policy is told either, each BKT-like student's
//! own `learn`, `slip` and `guess` per skill (not its chance of knowing a skill already: that
//! stays the population's 0.2), and must infer the state from the answers like any policy. It
//! therefore bounds, from below and only for the `bkt` family, what inference from answers can
//! reach there: a policy that has to estimate these parameters as well (BKT mastery learning
//! uses the population means) does not do better on average.
//!
//! **The belief**: per skill, the probability that it is known, updated after every answer by
//! Bayes on the student's own slip and guess for each skill of the item (as BKT does, one skill
//! at a time), then by the chance that the practice taught it: `learn`, times
//! [`BKT_BLOCKED_LEARNING`] in the measure that a prerequisite is unknown.
//!
//! **The rule**, every step: of the items not among the last `repeat_gap` shown, the one with
//! the highest expected number of skills it teaches under the belief (a skill counts only when
//! each of its prerequisites is believed known at `gate` or more: building on a prerequisite the
//! student may lack costs more than it teaches). Ties go to the item shown least often, then to
//! pack order. It is greedy, one step ahead, like the oracle.

use super::students::{BktStudent, BKT_BLOCKED_LEARNING};
use crate::course::{Course, ItemIx};
use crate::predictor::bkt::BktParams;

/// The population's chance of knowing a skill before practice (the `bkt` family's mean).
pub const PRIOR_KNOWN: f32 = 0.2;

/// The gate used unless told otherwise: the best of the screened values (revision 6 of the
/// simulated-learner runs in docs/model.md: 0.80–0.95).
pub const DEFAULT_GATE: f32 = 0.9;

/// The `bkt` family's population means (learn 0.15, slip 0.10, guess 0.20 on every skill) in
/// place of `student`'s own parameters: the informed rule told only what BKT mastery learning is
/// told (`SimConfig::informed_population`).
pub fn population(student: &BktStudent) -> BktStudent {
    let n = student.known.len();
    BktStudent {
        known: student.known.clone(),
        learn: vec![0.15; n],
        slip: vec![0.10; n],
        guess: vec![0.20; n],
    }
}

/// What the informed diagnostic believes about one student.
#[derive(Debug, Clone, PartialEq)]
pub struct Belief {
    /// Probability that each skill is known.
    pub known: Vec<f32>,
}

impl Belief {
    pub fn new(course: &Course) -> Self {
        Self { known: vec![PRIOR_KNOWN; course.skills.len()] }
    }

    /// Chance that every prerequisite of `skill` is known, under the belief (independent skills).
    fn prerequisites_known(&self, course: &Course, skill: usize) -> f32 {
        course.skills[skill].prerequisites.iter().map(|&p| self.known[p]).product()
    }

    /// The belief after the student answered `item` (`correct` or not) and practised it.
    pub fn observe(&mut self, course: &Course, student: &BktStudent, item: ItemIx, correct: bool) {
        let before = self.clone();
        for &k in &course.items[item].skills {
            let ready = before.prerequisites_known(course, k);
            let own = BktParams {
                init: PRIOR_KNOWN,
                learn: student.learn[k] * (ready + BKT_BLOCKED_LEARNING * (1.0 - ready)),
                slip: student.slip[k],
                guess: student.guess[k],
            };
            self.known[k] = own.update(before.known[k], correct);
        }
    }

    /// The expected number of skills one practice of `item` teaches, counting only skills whose
    /// prerequisites are all believed known at `gate` or more.
    pub fn value(&self, course: &Course, student: &BktStudent, item: ItemIx, gate: f32) -> f32 {
        course.items[item]
            .skills
            .iter()
            .filter(|&&k| course.skills[k].prerequisites.iter().all(|&p| self.known[p] >= gate))
            .map(|&k| {
                let ready = self.prerequisites_known(course, k);
                (1.0 - self.known[k])
                    * student.learn[k]
                    * (ready + BKT_BLOCKED_LEARNING * (1.0 - ready))
            })
            .sum()
    }
}

/// The informed diagnostic's choice and its reason. `shown`: times each item was shown;
/// `recent`: the items shown last, newest last.
pub fn choose(
    course: &Course,
    student: &BktStudent,
    belief: &Belief,
    gate: f32,
    shown: &[u32],
    recent: &[ItemIx],
    repeat_gap: usize,
) -> (ItemIx, String) {
    let skip = &recent[recent.len().saturating_sub(repeat_gap)..];
    let count = |i: ItemIx| shown.get(i).copied().unwrap_or(0);
    let pick = |pool: &mut dyn Iterator<Item = ItemIx>| {
        let mut best: Option<(f32, ItemIx)> = None;
        for i in pool {
            let v = belief.value(course, student, i, gate);
            let better = match best {
                None => true,
                Some((bv, bi)) => v > bv || (v == bv && count(i) < count(bi)),
            };
            if better {
                best = Some((v, i));
            }
        }
        best
    };
    let n = course.items.len();
    let best = pick(&mut (0..n).filter(|i| !skip.contains(i))).or_else(|| pick(&mut (0..n)));
    let (v, item) = best.unwrap_or((0.0, 0));
    (
        item,
        format!(
            "Informed (simulator diagnostic, knows the student's learn, slip and guess): expected \
             skills taught {v:.3}."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::diamond;
    use crate::sim::students::{student_rng, Student};
    use rand::Rng;

    fn student(c: &Course) -> BktStudent {
        let n = c.skills.len();
        let mut st = BktStudent::sample(c, &mut student_rng(5, 0));
        st.known = vec![false; n];
        st.learn = vec![0.15; n];
        st.slip = vec![0.1; n];
        st.guess = vec![0.2; n];
        st
    }

    #[test]
    fn the_belief_is_bayes_on_the_students_own_slip_and_guess_then_learning() {
        let c = diamond(5);
        let st = student(&c);
        // Skill a (no prerequisites), first item.
        assert_eq!(c.items[0].skills, vec![0]);
        let mut b = Belief::new(&c);
        b.observe(&c, &st, 0, true);
        let post = 0.2 * 0.9 / (0.2 * 0.9 + 0.8 * 0.2);
        assert!((b.known[0] - (post + (1.0 - post) * 0.15)).abs() < 1e-6, "{}", b.known[0]);
        let mut w = Belief::new(&c);
        w.observe(&c, &st, 0, false);
        let post = 0.2 * 0.1 / (0.2 * 0.1 + 0.8 * 0.8);
        assert!((w.known[0] - (post + (1.0 - post) * 0.15)).abs() < 1e-6, "{}", w.known[0]);
        // Other skills are untouched.
        assert!(b.known[1..].iter().all(|&k| k == PRIOR_KNOWN));
        // Skill b needs a: at a = 0.2 it learns at 0.2 × 1 + 0.8 × 0.3 of its rate.
        let mut p = Belief::new(&c);
        p.observe(&c, &st, 5, false);
        let post = 0.2 * 0.1 / (0.2 * 0.1 + 0.8 * 0.8);
        let learn = 0.15 * (0.2 + BKT_BLOCKED_LEARNING * 0.8);
        assert!((p.known[1] - (post + (1.0 - post) * learn)).abs() < 1e-6, "{}", p.known[1]);
    }

    /// While a prerequisite is believed unknown its dependents are never chosen, and nothing
    /// shown in the last `repeat_gap` items comes back while other items remain.
    #[test]
    fn the_informed_choice_respects_the_gate_and_the_repeat_gap() {
        let c = diamond(5);
        let st = student(&c);
        let mut rng = student_rng(9, 1);
        let mut belief = Belief::new(&c);
        let mut shown = vec![0u32; c.items.len()];
        let mut recent = Vec::new();
        let mut truth = st.clone();
        for step in 0..60 {
            let (item, reason) = choose(&c, &st, &belief, 0.85, &shown, &recent, 3);
            assert!(reason.starts_with("Informed"), "{reason}");
            assert!(!recent[recent.len().saturating_sub(3)..].contains(&item), "step {step}");
            for &k in &c.items[item].skills {
                let gated = c.skills[k].prerequisites.iter().all(|&p| belief.known[p] >= 0.85);
                assert!(gated || c.items[item].skills.len() > 1, "step {step}: skill {k}");
            }
            let correct = rng.random::<f32>() < truth.p_correct(&c, item, 0);
            truth.practise(&c, item, correct, 0, &mut rng);
            belief.observe(&c, &st, item, correct);
            shown[item] += 1;
            recent.push(item);
        }
        // Sixty answers teach a student with these rates the first skill, and the belief sees it.
        assert!(belief.known[0] > 0.85, "{:?}", belief.known);
    }
}
