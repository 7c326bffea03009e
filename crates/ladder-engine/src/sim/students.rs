//! Simulated students with a hidden true state.
//!
//! Each family draws students from a population (seeded, so every policy meets the same
//! students). A student answers with the probability its hidden state gives, learns from
//! practice in its own way, and says from its hidden state (never from the engine's estimate)
//! whether a skill is mastered.
//!
//! - [`Family::Bkt`]: each skill known or not; practice teaches an unknown skill with probability
//!   `learn` (much less while a prerequisite is unknown); answers slip and guess. No forgetting.
//! - [`Family::Logistic`]: a continuous strength per skill; right answers add more than wrong
//!   ones (performance-factors style), items have true difficulties that differ from the pack's
//!   priors, and strength decays exponentially towards its starting level between practices,
//!   more slowly after spaced practice.
//! - [`Family::Model`]: a trained Ladder model plays the student (see `model_student`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::course::{Course, ItemIx, SkillIx};
use crate::predictor::{logit, sigmoid};

/// A student family, selectable by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Bkt,
    Logistic,
    Model,
    /// Students who do not learn: each answers right at a chance of their own, whatever the
    /// question and however long they practise. Not one of the families that measure teaching
    /// (nothing teaches them, so they never reach mastery); they measure whether the engine
    /// says so, in the column "shown mastered, not truly" (`--families guessing`).
    Guessing,
}

impl Family {
    /// The families that learn, whose items to mastery the goals compare.
    pub const ALL: [Family; 3] = [Family::Bkt, Family::Logistic, Family::Model];

    pub fn name(self) -> &'static str {
        match self {
            Family::Bkt => "bkt",
            Family::Logistic => "logistic",
            Family::Model => "model",
            Family::Guessing => "guessing",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().chain([Family::Guessing]).find(|f| f.name() == name)
    }
}

/// Hidden success probability at or above which a skill counts as truly mastered (continuous
/// families).
pub const TRUE_MASTERY: f32 = 0.85;

/// What every simulated student does.
pub trait Student {
    /// Probability of a right first answer to `item` at `now` (Unix seconds).
    fn p_correct(&self, course: &Course, item: ItemIx, now: i64) -> f32;
    /// The effect of answering `item` (`correct` or not) at `now`.
    fn practise(
        &mut self,
        course: &Course,
        item: ItemIx,
        correct: bool,
        now: i64,
        rng: &mut ChaCha8Rng,
    );
    /// Whether the hidden state has `skill` mastered at `now`.
    fn mastered(&self, course: &Course, skill: SkillIx, now: i64) -> bool;
    /// What one practice of `item` at `now` is expected to do for the item's skills not yet
    /// mastered, read from the hidden state: the sum over those skills of the expected share of
    /// the way still left to mastery that the practice covers (at most 1 per skill). For a
    /// known/unknown skill that is the chance of learning it. Only the simulator's oracle asks
    /// (`sim::oracle`).
    fn practice_value(&self, course: &Course, item: ItemIx, now: i64) -> f32;
    /// The student as a BKT-like one, for the informed diagnostic (`sim::informed`), which is
    /// told its parameters; `None` for the other families.
    fn as_bkt(&self) -> Option<&BktStudent> {
        None
    }
    /// Whether practice can ever bring the student to mastery (false for the `guessing`
    /// family, whose run stops at the post-test).
    fn learns(&self) -> bool {
        true
    }
}

// ----- BKT-like ---------------------------------------------------------------------------

/// A BKT-like student.
#[derive(Debug, Clone)]
pub struct BktStudent {
    pub known: Vec<bool>,
    pub learn: Vec<f32>,
    pub slip: Vec<f32>,
    pub guess: Vec<f32>,
}

/// Factor on `learn` while some prerequisite of the skill is not known.
pub const BKT_BLOCKED_LEARNING: f32 = 0.3;

impl BktStudent {
    /// Draws a student: an overall aptitude moves the chance of knowing a skill already (mean
    /// 0.2) and of learning it per practice (mean 0.15); slip 0.05..0.15, guess 0.1..0.3.
    pub fn sample(course: &Course, rng: &mut ChaCha8Rng) -> Self {
        let aptitude = normal(rng);
        let n = course.skills.len();
        let mut s = BktStudent {
            known: Vec::with_capacity(n),
            learn: Vec::with_capacity(n),
            slip: Vec::with_capacity(n),
            guess: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let init = sigmoid(logit(0.2) + 0.8 * aptitude + 0.5 * normal(rng));
            s.known.push(rng.random::<f32>() < init);
            s.learn.push(sigmoid(logit(0.15) + 0.6 * aptitude + 0.3 * normal(rng)));
            s.slip.push(rng.random_range(0.05..0.15));
            s.guess.push(rng.random_range(0.1..0.3));
        }
        s
    }
}

impl Student for BktStudent {
    fn p_correct(&self, course: &Course, item: ItemIx, _now: i64) -> f32 {
        let skills = &course.items[item].skills;
        let mut p = 1.0;
        for &k in skills {
            p *= if self.known[k] { 1.0 - self.slip[k] } else { self.guess[k] };
        }
        p.powf(1.0 / skills.len().max(1) as f32)
    }

    fn practise(
        &mut self,
        course: &Course,
        item: ItemIx,
        _correct: bool,
        _now: i64,
        rng: &mut ChaCha8Rng,
    ) {
        for &k in &course.items[item].skills {
            if self.known[k] {
                continue;
            }
            let blocked = course.skills[k].prerequisites.iter().any(|&p| !self.known[p]);
            let rate = if blocked { self.learn[k] * BKT_BLOCKED_LEARNING } else { self.learn[k] };
            if rng.random::<f32>() < rate {
                self.known[k] = true;
            }
        }
    }

    fn mastered(&self, _course: &Course, skill: SkillIx, _now: i64) -> bool {
        self.known[skill]
    }

    fn as_bkt(&self) -> Option<&BktStudent> {
        Some(self)
    }

    /// The expected number of the item's unknown skills that the practice teaches.
    fn practice_value(&self, course: &Course, item: ItemIx, _now: i64) -> f32 {
        course.items[item]
            .skills
            .iter()
            .filter(|&&k| !self.known[k])
            .map(|&k| {
                let blocked = course.skills[k].prerequisites.iter().any(|&p| !self.known[p]);
                if blocked {
                    self.learn[k] * BKT_BLOCKED_LEARNING
                } else {
                    self.learn[k]
                }
            })
            .sum()
    }
}

// ----- students who do not learn ------------------------------------------------------------

/// A student who answers right at a fixed chance, whatever the item, and never learns (the
/// `guessing` family). Nothing is ever truly mastered: the chance is at most 0.75, under
/// [`TRUE_MASTERY`].
#[derive(Debug, Clone)]
pub struct GuessingStudent {
    pub chance: f32,
}

impl GuessingStudent {
    /// Draws a student right at a chance uniform in 0.25..0.75.
    pub fn sample(rng: &mut ChaCha8Rng) -> Self {
        GuessingStudent { chance: rng.random_range(0.25..0.75) }
    }
}

impl Student for GuessingStudent {
    fn p_correct(&self, _course: &Course, _item: ItemIx, _now: i64) -> f32 {
        self.chance
    }

    fn practise(&mut self, _: &Course, _: ItemIx, _: bool, _: i64, _: &mut ChaCha8Rng) {}

    fn mastered(&self, _course: &Course, _skill: SkillIx, _now: i64) -> bool {
        false
    }

    fn practice_value(&self, _course: &Course, _item: ItemIx, _now: i64) -> f32 {
        0.0
    }

    fn learns(&self) -> bool {
        false
    }
}

// ----- logistic with practice and forgetting ------------------------------------------------

/// Hidden success on a prerequisite's typical item from which practice of the skills that need
/// it gains in full (below it, half).
pub const LOGISTIC_READY: f32 = 0.7;

/// A logistic student with practice and forgetting.
#[derive(Debug, Clone)]
pub struct LogisticStudent {
    /// Strength per skill (logit) at the last practice.
    pub strength: Vec<f32>,
    /// Level strength decays back to.
    pub floor: Vec<f32>,
    /// Time constant of the decay, seconds.
    pub tau: Vec<f32>,
    pub last: Vec<Option<i64>>,
    /// True difficulty of each item (the pack's prior plus noise).
    pub difficulty: Vec<f32>,
    /// Gains per right and per wrong answer.
    pub gain_right: f32,
    pub gain_wrong: f32,
}

impl LogisticStudent {
    /// Draws a student: ability ~ N(0, 1) shifts every skill's starting strength (mean −1.5 logits
    /// below the skill's typical item); learning rate lognormal around gains of 0.5 (right) and
    /// 0.2 (wrong); memory time constant 10 days, growing with spaced practice.
    pub fn sample(course: &Course, rng: &mut ChaCha8Rng) -> Self {
        let ability = normal(rng);
        let rate = (0.35 * normal(rng)).exp();
        let difficulty: Vec<f32> =
            course.items.iter().map(|i| i.difficulty + 0.4 * normal(rng)).collect();
        let n = course.skills.len();
        let mut strength = Vec::with_capacity(n);
        for s in 0..n {
            strength.push(course.skill_difficulty[s] - 1.5 + 0.9 * ability + 0.6 * normal(rng));
        }
        LogisticStudent {
            floor: strength.clone(),
            strength,
            tau: vec![10.0 * 86_400.0; n],
            last: vec![None; n],
            difficulty,
            gain_right: 0.5 * rate,
            gain_wrong: 0.2 * rate,
        }
    }

    fn strength_now(&self, s: SkillIx, now: i64) -> f32 {
        match self.last[s] {
            Some(t) if now > t => {
                let decay = (-((now - t) as f32) / self.tau[s]).exp();
                self.floor[s] + (self.strength[s] - self.floor[s]) * decay
            }
            _ => self.strength[s],
        }
    }

    /// True difficulty of the skill's typical item (the mean over its items).
    fn typical_difficulty(&self, course: &Course, s: SkillIx) -> f32 {
        let items = &course.skill_items[s];
        if items.is_empty() {
            return 0.0;
        }
        items.iter().map(|&i| self.difficulty[i]).sum::<f32>() / items.len() as f32
    }

    fn skill_p(&self, course: &Course, s: SkillIx, now: i64) -> f32 {
        sigmoid(self.strength_now(s, now) - self.typical_difficulty(course, s))
    }
}

impl Student for LogisticStudent {
    fn p_correct(&self, course: &Course, item: ItemIx, now: i64) -> f32 {
        let skills = &course.items[item].skills;
        let z = skills.iter().map(|&s| self.strength_now(s, now)).sum::<f32>()
            / skills.len().max(1) as f32;
        sigmoid(z - self.difficulty[item])
    }

    fn practise(
        &mut self,
        course: &Course,
        item: ItemIx,
        correct: bool,
        now: i64,
        _rng: &mut ChaCha8Rng,
    ) {
        for &s in &course.items[item].skills {
            let current = self.strength_now(s, now);
            let gap = self.last[s].map_or(f32::INFINITY, |t| (now - t).max(0) as f32);
            // Prerequisites not in place: half the gain.
            let ready = course.skills[s]
                .prerequisites
                .iter()
                .all(|&p| self.skill_p(course, p, now) >= LOGISTIC_READY);
            let gain = if correct { self.gain_right } else { self.gain_wrong };
            self.strength[s] = current + if ready { gain } else { 0.5 * gain };
            // Spaced practice (more than an hour after the last) makes memory last longer.
            let spaced = (gap / 3600.0).min(1.0);
            self.tau[s] *= 1.0 + 0.6 * spaced + 0.05;
            self.last[s] = Some(now);
        }
    }

    fn mastered(&self, course: &Course, skill: SkillIx, now: i64) -> bool {
        self.skill_p(course, skill, now) >= TRUE_MASTERY
    }

    /// Per skill not yet mastered: the expected gain in strength (right and wrong answers
    /// weighted by the chance of each, halved while a prerequisite is not in place) over the
    /// strength still missing to the mastery line, at most 1.
    fn practice_value(&self, course: &Course, item: ItemIx, now: i64) -> f32 {
        let p = self.p_correct(course, item, now);
        course.items[item]
            .skills
            .iter()
            .filter(|&&s| !self.mastered(course, s, now))
            .map(|&s| {
                let ready = course.skills[s]
                    .prerequisites
                    .iter()
                    .all(|&q| self.skill_p(course, q, now) >= LOGISTIC_READY);
                let gain = p * self.gain_right + (1.0 - p) * self.gain_wrong;
                let gain = if ready { gain } else { 0.5 * gain };
                let target = self.typical_difficulty(course, s) + logit(TRUE_MASTERY);
                let missing = (target - self.strength_now(s, now)).max(1e-3);
                (gain / missing).min(1.0)
            })
            .sum()
    }
}

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut ChaCha8Rng) -> f32 {
    let u1: f32 = rng.random_range(f32::EPSILON..1.0);
    let u2: f32 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// A seeded generator for student `index` of a run.
pub fn student_rng(seed: u64, index: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::diamond;

    #[test]
    fn guessing_students_answer_at_their_own_chance_and_never_learn() {
        let c = diamond(5);
        let mut rng = student_rng(1, 0);
        for k in 0..50 {
            let mut st = GuessingStudent::sample(&mut student_rng(9, k));
            assert!((0.25..0.75).contains(&st.chance), "{}", st.chance);
            let before: Vec<f32> = (0..c.items.len()).map(|i| st.p_correct(&c, i, 0)).collect();
            for i in 0..c.items.len() {
                st.practise(&c, i, true, 100, &mut rng);
            }
            for (i, p) in before.iter().enumerate() {
                assert_eq!(*p, st.chance);
                assert_eq!(st.p_correct(&c, i, 86_400), *p, "practice changed nothing");
            }
            assert!((0..c.skills.len()).all(|s| !st.mastered(&c, s, 86_400)));
            assert!(!st.learns() && st.practice_value(&c, 0, 0) == 0.0);
        }
        assert_eq!(Family::from_name("guessing"), Some(Family::Guessing));
        assert!(
            !Family::ALL.contains(&Family::Guessing),
            "not one of the families the goals compare"
        );
    }

    #[test]
    fn bkt_students_learn_with_practice_and_answer_by_slip_and_guess() {
        let c = diamond(5);
        let mut rng = student_rng(1, 0);
        let mut learned = 0;
        for k in 0..200 {
            let mut st = BktStudent::sample(&c, &mut student_rng(7, k));
            st.known[0] = false;
            let p0 = st.p_correct(&c, 0, 0);
            assert!((0.1..0.3).contains(&p0));
            for _ in 0..10 {
                st.practise(&c, 0, true, 0, &mut rng);
            }
            if st.mastered(&c, 0, 0) {
                learned += 1;
                assert!(st.p_correct(&c, 0, 0) >= 0.85);
            }
        }
        // About 1 - 0.85^10 = 80% learn within ten practices.
        assert!((130..190).contains(&learned), "{learned}");
    }

    #[test]
    fn bkt_learning_is_slower_while_a_prerequisite_is_unknown() {
        let c = diamond(5);
        let mut rng = student_rng(3, 0);
        let count = |known_a: bool, rng: &mut ChaCha8Rng| {
            (0..400)
                .filter(|&k| {
                    let mut st = BktStudent::sample(&c, &mut student_rng(11, k));
                    st.known[0] = known_a;
                    st.known[1] = false;
                    st.learn[1] = 0.2;
                    st.practise(&c, 5, true, 0, rng);
                    st.known[1]
                })
                .count()
        };
        let ready = count(true, &mut rng);
        let blocked = count(false, &mut rng);
        assert!(ready > 2 * blocked, "{ready} vs {blocked}");
    }

    #[test]
    fn logistic_students_improve_with_practice_and_forget_with_time() {
        let c = diamond(5);
        let mut rng = student_rng(1, 0);
        let mut st = LogisticStudent::sample(&c, &mut student_rng(5, 1));
        let p0 = st.p_correct(&c, 2, 0);
        for k in 0..12 {
            st.practise(&c, 2, true, 60 * k, &mut rng);
        }
        let p1 = st.p_correct(&c, 2, 800);
        assert!(p1 > p0 + 0.3, "{p0} -> {p1}");
        let later = st.p_correct(&c, 2, 800 + 60 * 86_400);
        assert!(later < p1 - 0.1, "{p1} -> {later} after two months");
        assert!(later > p0, "forgetting goes back towards the start, not below");
    }
}
