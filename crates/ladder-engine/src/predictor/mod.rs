//! What the policies need from a learner model, and the models the engine has without one.
//!
//! A [`Predictor`] reads a learner's history on a course and returns, in one call, the
//! probability of a correct first answer for each candidate item and the mastery of every skill
//! with its uncertainty. The engine asks once per step (DESIGN.md section 2: one batched, read-only
//! pass). Implementations:
//!
//! - [`elo::OnlineLogistic`]: the built-in fallback. It needs no training: a per-learner ability,
//!   a per-skill level with a variance (a small Kalman filter on the logit scale), the pack's
//!   difficulty priors, and forgetting between sittings.
//! - [`bkt::BktTracer`]: Bayesian knowledge tracing with fixed parameters, as mastery-learning
//!   tutors run it; the `bkt-mastery` baseline policy uses it.
//! - an adapter to ladder-model's transformer (see `model_adapter`) when a trained model is
//!   installed.

pub mod bkt;
pub mod elo;
pub mod transformer;

use std::collections::HashMap;

use ladder_store::LearnerId;
use serde::{Deserialize, Serialize};

use crate::course::{Course, ItemIx, SkillIx};
use crate::error::Result;

/// One first answer to an item, as the predictors see it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub item: ItemIx,
    pub correct: bool,
    /// Hint rungs seen before answering (the solution included).
    pub hints: u8,
    /// Whether the worked solution was seen before answering.
    pub solution_seen: bool,
    pub latency_ms: u32,
    /// Unix seconds.
    pub at: i64,
}

impl Attempt {
    /// A first answer as the event log stores it (`hint_level` and `latency_ms` as recorded,
    /// `time_ms` in Unix milliseconds), saturating what does not fit.
    pub fn from_logged(
        item: ItemIx,
        correct: bool,
        hint_level: u32,
        solution_seen: bool,
        latency_ms: u64,
        time_ms: i64,
    ) -> Attempt {
        Attempt {
            item,
            correct,
            hints: u8::try_from(hint_level).unwrap_or(u8::MAX),
            solution_seen,
            latency_ms: u32::try_from(latency_ms).unwrap_or(u32::MAX),
            at: time_ms.div_euclid(1000),
        }
    }
}

/// A skill's estimated state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SkillEstimate {
    /// Predicted success on a typical item of the skill, ignoring forgetting.
    pub mastery: f32,
    /// Standard deviation of `mastery` (probability scale).
    pub uncertainty: f32,
    /// A pessimistic bound on mastery: what the policy compares with the mastery threshold.
    pub lower: f32,
    /// Predicted success now, forgetting since the last practice applied.
    pub recall: f32,
    /// First answers on the skill so far.
    pub attempts: u32,
    /// Of those, the ones that are evidence of what the learner knows: all but right answers
    /// given after the worked solution, which earn no credit (`Settings::credit`). What
    /// `mastery_min_answers` counts: an answer copied from the solution is not one of the
    /// answers a skill must have before it is called mastered.
    pub evidence: u32,
    /// The latest of those answers (at most [`RECENT_ANSWERS`]): what the learner's own recent
    /// answers say, beside the model (`Settings::mastery_recent_share`).
    #[serde(default)]
    pub recent: Recent,
    /// When the skill was last practised (Unix seconds).
    pub last_practised: Option<i64>,
}

/// How many of a skill's latest answers [`SkillEstimate::recent`] holds.
pub const RECENT_ANSWERS: u8 = 5;

/// A skill's latest answers that are evidence ([`SkillEstimate::evidence`]), at most
/// [`RECENT_ANSWERS`] of them: how many, and how many of them were right (with or without
/// hints: a hint lowers the credit the model gives, and a learner who answers right after one
/// hint every time still gets to mastery, more slowly).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recent {
    pub answers: u8,
    pub right: u8,
}

/// What a predictor returns for one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Probability of a correct first answer, aligned with the candidates asked about.
    pub items: Vec<f32>,
    /// One estimate per skill of the course, by position.
    pub skills: Vec<SkillEstimate>,
}

/// A learner model the engine can ask.
pub trait Predictor: Send + Sync {
    /// A short name for reports ("online-logistic", "transformer", ...).
    fn name(&self) -> &str;

    /// Scores `candidates` and every skill for a learner whose first answers on this course are
    /// `history` (oldest first), at time `now` (Unix seconds).
    fn assess(
        &self,
        course: &Course,
        history: &[Attempt],
        candidates: &[ItemIx],
        now: i64,
    ) -> Result<Assessment>;

    /// The chance this model gives of a right first answer to each answer of `history` at the
    /// positions `at` (any order), from the answers before it alone: for `k` in `at`, what
    /// `assess(course, &history[..k], &[history[k].item], history[k].at)` says of it. What a
    /// report needs for answers graded before the engine recorded its predictions. The default
    /// asks [`Predictor::assess`] once per answer: cheap for the built-in models, quadratic in
    /// the history for one that reads the whole history per call, so the trained model reads
    /// the history once instead and scores the answers in batched passes.
    fn predict_answers(
        &self,
        course: &Course,
        history: &[Attempt],
        at: &[usize],
    ) -> Result<Vec<f32>> {
        at.iter()
            .map(|&k| {
                let a = answer_at(history, k)?;
                let out = self.assess(course, &history[..k], &[a.item], a.at)?;
                Ok(out.items.first().copied().unwrap_or(0.5))
            })
            .collect()
    }

    /// The name of the model that scores `course` ([`Predictor::name`], unless it hands the
    /// course to another: the trained model scores a course it does not know with the built-in
    /// one).
    fn name_for(&self, _course: &Course) -> &str {
        self.name()
    }

    /// Whether it tells this course's questions apart beyond their skills and difficulty: the
    /// trained model does for a pack it was trained on (it reads which question each answer was
    /// on, so a question answered again from memory is not simply more evidence of the skill);
    /// the built-in models do not. The policy spreads repeats by showings (`repeat_spread`)
    /// where it does not.
    fn tells_items_apart(&self, _course: &Course) -> bool {
        false
    }
}

/// The learner models a front end runs: one shared by every learner, and the own models of the
/// learners who have one (fine-tuned on their history alone, `ladder train --learner`), each
/// used for its learner instead of the shared one.
pub struct Predictors {
    pub shared: Box<dyn Predictor>,
    pub own: HashMap<LearnerId, Box<dyn Predictor>>,
}

impl Predictors {
    /// One model for every learner.
    pub fn shared(predictor: Box<dyn Predictor>) -> Self {
        Predictors { shared: predictor, own: HashMap::new() }
    }

    /// The model that speaks for `learner`: their own when they have one.
    pub fn for_learner(&self, learner: LearnerId) -> &dyn Predictor {
        self.own.get(&learner).unwrap_or(&self.shared).as_ref()
    }
}

/// The answer at `k` of `history`, or an error saying there is none (a caller's bug).
pub(crate) fn answer_at(history: &[Attempt], k: usize) -> Result<&Attempt> {
    history.get(k).ok_or_else(|| {
        crate::error::Error::internal(format!(
            "no answer {k} to predict in a history of {}",
            history.len()
        ))
    })
}

/// Per skill, the first answers in `history` that are evidence ([`SkillEstimate::evidence`]).
pub fn skill_evidence(course: &Course, history: &[Attempt]) -> Vec<u32> {
    per_skill(course, history.iter().filter(|a| !(a.correct && a.solution_seen)))
}

/// Per skill, its latest answers in `history` that are evidence ([`SkillEstimate::recent`]).
pub fn skill_recent(course: &Course, history: &[Attempt]) -> Vec<Recent> {
    let mut out = vec![Recent::default(); course.skills.len()];
    let mut open = out.len();
    for a in history.iter().rev().filter(|a| !(a.correct && a.solution_seen)) {
        if open == 0 {
            break;
        }
        for &s in item_skills(course, a.item) {
            let r = &mut out[s];
            if r.answers < RECENT_ANSWERS {
                r.answers += 1;
                r.right += u8::from(a.correct);
                if r.answers == RECENT_ANSWERS {
                    open -= 1;
                }
            }
        }
    }
    out
}

/// Per-skill counts that every policy needs, straight from the history.
pub fn skill_attempts(course: &Course, history: &[Attempt]) -> Vec<u32> {
    per_skill(course, history.iter())
}

/// How many of `answers` practise each skill of `course`.
fn per_skill<'a>(course: &Course, answers: impl Iterator<Item = &'a Attempt>) -> Vec<u32> {
    let mut n = vec![0u32; course.skills.len()];
    for a in answers {
        if let Some(item) = course.items.get(a.item) {
            for &s in &item.skills {
                n[s] += 1;
            }
        }
    }
    n
}

/// The standard logistic function.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Log-odds of a probability (clamped away from 0 and 1).
pub fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

/// The skills an item needs, as a slice.
pub fn item_skills(course: &Course, item: ItemIx) -> &[SkillIx] {
    course.items.get(item).map(|i| i.skills.as_slice()).unwrap_or(&[])
}
