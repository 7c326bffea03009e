//! The trained transformer of `ladder-model` as a [`Predictor`].
//!
//! The learner's history is encoded once per call (attention keys and values of the recent
//! answers, counts over all of them); the candidates and every skill are then scored in batched
//! passes against it. Items the model has never seen fall back to their skills and the pack's
//! difficulty prior (the model's own rule). Mastery and its uncertainty are the model's
//! (`KtModel::mastery`); the lower bound and the recall are derived from them here (the model
//! already sees the time gaps, so recall equals mastery).

use ladder_model::data::Interaction;
use ladder_model::infer::{Candidate, KtModel};

use super::{Assessment, Attempt, Predictor, SkillEstimate};
use crate::course::{Course, ItemIx};
use crate::error::{Error, Result};
use crate::settings::Settings;

/// A trained model as the engine's predictor.
pub struct TransformerPredictor {
    pub model: KtModel,
    pub settings: Settings,
}

/// The model's form of a learner's history on a course.
pub fn interactions(course: &Course, history: &[Attempt]) -> Vec<Interaction> {
    history
        .iter()
        .filter_map(|a| {
            let item = course.items.get(a.item)?;
            Some(Interaction {
                item_id: item.id.to_string(),
                skill_ids: item.skills.iter().map(|&s| course.skills[s].id.to_string()).collect(),
                correct: a.correct,
                hints: Some(u32::from(a.hints)),
                latency_ms: Some(f64::from(a.latency_ms)),
                timestamp: Some(a.at as f64),
            })
        })
        .collect()
}

/// A candidate for the model.
pub fn candidate(course: &Course, item: ItemIx) -> Candidate {
    let it = &course.items[item];
    Candidate {
        item_id: it.id.to_string(),
        skill_ids: it.skills.iter().map(|&s| course.skills[s].id.to_string()).collect(),
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
        _now: i64,
    ) -> Result<Assessment> {
        let state =
            self.model.encode_history(&interactions(course, history)).map_err(Error::model)?;
        let cands: Vec<Candidate> = candidates.iter().map(|&i| candidate(course, i)).collect();
        let items = self.model.score(&state, &cands).map_err(Error::model)?;
        let skill_ids: Vec<String> = course.skills.iter().map(|s| s.id.to_string()).collect();
        let mastery = self.model.mastery(&state, &skill_ids).map_err(Error::model)?;
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
