//! The trained transformer of `ladder-model` as a [`Predictor`].
//!
//! The learner's history is encoded once per call (attention keys and values of the recent
//! answers, counts over all of them); the candidates and every skill are then scored in one
//! batched pass against it. Items the model has never seen fall back to their skills and the
//! pack's difficulty prior (the model's own rule). Mastery and its uncertainty are the model's
//! (`KtModel::mastery`); the lower bound and the recall are derived from them here (the model
//! already sees the time gaps, so recall equals mastery).
//!
//! **Ids.** The model knows items and skills as `pack/item` and `pack/skill` ([`model_item_id`],
//! [`model_skill_id`]), so two packs that both have an item `q1` do not share its difficulty.
//!
//! **A pack the model does not know.** When fewer than half of a course's skills are in the
//! model's vocabulary (a pack installed after the model was trained), the model has nothing to
//! say about it beyond one "unknown" embedding, so the predictor answers for that course with the
//! built-in [`OnlineLogistic`] (skills and the pack's difficulty priors) instead.

use std::sync::{Arc, Mutex};

use ladder_model::data::Interaction;
use ladder_model::infer::{Candidate, HistoryState, KtModel};

use super::elo::OnlineLogistic;
use super::{Assessment, Attempt, Predictor, SkillEstimate};
use crate::course::{Course, ItemIx, SkillIx};
use crate::error::{Error, Result};
use crate::settings::Settings;

/// A trained model as the engine's predictor.
pub struct TransformerPredictor {
    pub model: KtModel,
    pub settings: Settings,
    /// Answers for courses the model does not know.
    pub fallback: OnlineLogistic,
    /// The last history encoded: the engine asks several times per step about the same history
    /// (mastery before and after, then the candidates), and encoding is a forward pass.
    cache: Mutex<Option<CachedHistory>>,
}

/// What identifies a history: the course and every attempt in it.
struct CachedHistory {
    pack: String,
    history: Vec<Attempt>,
    state: Arc<HistoryState>,
}

impl TransformerPredictor {
    pub fn new(model: KtModel, settings: Settings) -> Self {
        let fallback = OnlineLogistic::new(settings.clone());
        TransformerPredictor { model, settings, fallback, cache: Mutex::new(None) }
    }

    /// The encoded history, from the cache when it is the same course and the same attempts.
    fn encoded(&self, course: &Course, history: &[Attempt]) -> Result<Arc<HistoryState>> {
        let pack = course.pack.as_str();
        if let Ok(cache) = self.cache.lock() {
            if let Some(c) = cache.as_ref().filter(|c| c.pack == pack && c.history == history) {
                return Ok(c.state.clone());
            }
        }
        let state = Arc::new(
            self.model.encode_history(&interactions(course, history)).map_err(Error::model)?,
        );
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Some(CachedHistory {
                pack: pack.to_owned(),
                history: history.to_vec(),
                state: state.clone(),
            });
        }
        Ok(state)
    }

    /// Whether the model knows enough of `course` (at least half of its skills) to score it.
    pub fn knows(&self, course: &Course) -> bool {
        let known = (0..course.skills.len())
            .filter(|&s| self.model.vocabs.skills.get(&model_skill_id(course, s)) != 0)
            .count();
        !course.skills.is_empty() && known * 2 >= course.skills.len()
    }
}

/// The model's id of an item: `pack/item`.
pub fn model_item_id(course: &Course, item: ItemIx) -> String {
    format!("{}/{}", course.pack, course.items[item].id)
}

/// The model's id of a skill: `pack/skill`.
pub fn model_skill_id(course: &Course, skill: SkillIx) -> String {
    format!("{}/{}", course.pack, course.skills[skill].id)
}

/// One answer in the model's form.
pub fn interaction(course: &Course, a: &Attempt) -> Option<Interaction> {
    let item = course.items.get(a.item)?;
    Some(Interaction {
        item_id: model_item_id(course, a.item),
        skill_ids: item.skills.iter().map(|&s| model_skill_id(course, s)).collect(),
        correct: a.correct,
        hints: Some(u32::from(a.hints)),
        latency_ms: Some(f64::from(a.latency_ms)),
        timestamp: Some(a.at as f64),
    })
}

/// The model's form of a learner's history on a course.
pub fn interactions(course: &Course, history: &[Attempt]) -> Vec<Interaction> {
    history.iter().filter_map(|a| interaction(course, a)).collect()
}

/// A candidate for the model.
pub fn candidate(course: &Course, item: ItemIx) -> Candidate {
    let it = &course.items[item];
    Candidate {
        item_id: model_item_id(course, item),
        skill_ids: it.skills.iter().map(|&s| model_skill_id(course, s)).collect(),
        difficulty_prior: it.difficulty,
    }
}

impl Predictor for TransformerPredictor {
    fn name(&self) -> &str {
        "transformer"
    }

    fn assess(
        &self,
        course: &Course,
        history: &[Attempt],
        candidates: &[ItemIx],
        now: i64,
    ) -> Result<Assessment> {
        if !self.knows(course) {
            return self.fallback.assess(course, history, candidates, now);
        }
        let state = self.encoded(course, history)?;
        let cands: Vec<Candidate> = candidates.iter().map(|&i| candidate(course, i)).collect();
        let skill_ids: Vec<String> =
            (0..course.skills.len()).map(|s| model_skill_id(course, s)).collect();
        // Candidates and skills in one batched pass.
        let (items, mastery) =
            self.model.score_and_mastery(&state, &cands, &skill_ids).map_err(Error::model)?;
        let mut last = vec![None; course.skills.len()];
        for a in history {
            for &s in super::item_skills(course, a.item) {
                last[s] = Some(a.at);
            }
        }
        let z = self.settings.mastery_z;
        let skills = mastery
            .iter()
            .enumerate()
            .map(|(s, m)| SkillEstimate {
                mastery: m.p,
                uncertainty: m.sd,
                lower: (m.p - z * m.sd).clamp(0.0, 1.0),
                recall: m.p,
                attempts: m.evidence,
                last_practised: last[s],
            })
            .collect();
        Ok(Assessment { items, skills })
    }
}
