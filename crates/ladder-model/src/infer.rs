//! The trained model as the engine uses it: score candidate items for one learner in one batched
//! pass, and per-skill mastery with an uncertainty.
//!
//! Scoring encodes the learner's recent history once ([`KtModel::encode_history`], cacheable
//! between answers) and then runs the candidates as queries against the cached retriever
//! keys/values ([`KtModel::score`]): the cost of a candidate is one row of attention per layer.
//!
//! **Uncertainty of mastery.** Mastery of a skill is the predicted probability of a correct
//! first answer to an unseen item of that skill alone (no item information, no difficulty
//! prior). Its uncertainty is that of a Beta distribution with the prediction as its mean and
//! the learner's evidence on the skill as its weight: `Beta(1 + p*n, 1 + (1-p)*n)` where `n` is
//! the number of the learner's answers that involve the skill. We chose this over MC dropout
//! (needs many passes, noisy at 0 evidence) and ensembles (several models to ship and train):
//! it is deterministic, cheap, wide for a new learner and narrows with practice, which is what
//! the "stop a skill when mastery is confident" rule needs.

use std::collections::HashMap;

use candle_core::{Device, Tensor};

use crate::batch::{build_batch_with, make_batches, predict_windows};
use crate::data::{encode_event, Counts, EncodedSeq, Interaction, Vocabs, MAX_SKILLS};
use crate::error::{Error, Result};
use crate::model::{
    encoder_skill_relation, position_tensors, sigmoid_vec, skill_relation, Dropout, ModelConfig,
    Net, Params, RetrieverKv, RESP_CORRECT, RESP_WRONG,
};

/// A trained model: config, vocabulary and weights on a device.
pub struct KtModel {
    pub config: ModelConfig,
    pub vocabs: Vocabs,
    pub params: Params,
    pub device: Device,
}

/// A candidate item to score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub item_id: String,
    pub skill_ids: Vec<String>,
    /// Difficulty on the logit scale (higher = harder, 0 = average), used only when the model
    /// has never seen the item (e.g. from the pack's difficulty field).
    pub difficulty_prior: f32,
}

impl Candidate {
    pub fn new(item_id: impl Into<String>, skill_ids: &[&str]) -> Self {
        Candidate {
            item_id: item_id.into(),
            skill_ids: skill_ids.iter().map(|s| s.to_string()).collect(),
            difficulty_prior: 0.0,
        }
    }
}

/// Mastery estimate of one skill.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Mastery {
    pub skill_id: String,
    /// Predicted probability of a correct first answer on an unseen item of this skill.
    pub p: f32,
    /// Standard deviation of `Beta(1 + p*n, 1 + (1-p)*n)`.
    pub sd: f32,
    /// `n`: the learner's answers involving this skill.
    pub evidence: u32,
}

/// A learner's history, encoded once and reusable for any number of candidate sets.
pub struct HistoryState {
    kv: RetrieverKv,
    /// Skill sets of the answers in the window (kept only with `skill_attention`).
    window_skills: Vec<Vec<u32>>,
    counts: Counts,
    evidence: HashMap<u32, u32>,
}

impl HistoryState {
    /// Number of answers in the attention window (the rest are summarised by counts only).
    pub fn window_len(&self) -> usize {
        self.kv.k_len - 1
    }
}

impl KtModel {
    /// A fresh, untrained model.
    pub fn new(config: ModelConfig, vocabs: Vocabs, device: &Device, seed: u64) -> Result<Self> {
        config.validate()?;
        if config.n_items != vocabs.items.rows() || config.n_skills != vocabs.skills.rows() {
            return Err(Error::Config(format!(
                "config has {} item and {} skill rows, vocabulary {} and {}",
                config.n_items,
                config.n_skills,
                vocabs.items.rows(),
                vocabs.skills.rows()
            )));
        }
        let params = Params::init(&config, device, seed)?;
        Ok(KtModel { config, vocabs, params, device: device.clone() })
    }

    /// An independent copy (fresh variables) on `device`.
    pub fn fork(&self, device: &Device) -> Result<KtModel> {
        let mut vars = std::collections::BTreeMap::new();
        for (k, v) in &self.params.vars {
            let t = v.as_tensor().to_device(device)?.copy()?;
            vars.insert(k.clone(), candle_core::Var::from_tensor(&t)?);
        }
        Ok(KtModel {
            config: self.config.clone(),
            vocabs: self.vocabs.clone(),
            params: Params { vars },
            device: device.clone(),
        })
    }

    fn net(&self) -> Net<'_> {
        Net { cfg: &self.config, p: &self.params }
    }

    /// Predicts every answer of every sequence from the answers strictly before it (attention
    /// over up to `max_len` earlier answers; counts over all of them).
    pub fn predict_encoded(&self, seqs: &[EncodedSeq]) -> Result<Vec<Vec<f32>>> {
        let mut out: Vec<Vec<f32>> = seqs.iter().map(|s| vec![0.0; s.events.len()]).collect();
        let windows = predict_windows(seqs, self.config.max_len);
        let net = self.net();
        for batch in make_batches(&windows, 64, None) {
            let nf = self.config.n_features();
            let (bt, _) = build_batch_with(seqs, &batch, &self.device, None, 0.0, 0.0, nf)?;
            let (logits, _) = net.forward(&bt, &mut Dropout::eval())?;
            let p = sigmoid_vec(&logits)?;
            for (bi, w) in batch.iter().enumerate() {
                for pos in w.predict_from..w.end {
                    out[w.seq][pos] = p[bi * bt.t + (pos - w.start)];
                }
            }
        }
        Ok(out)
    }

    /// Predicts every answer of raw sequences (encoded with this model's vocabulary).
    pub fn predict(&self, seqs: &[crate::data::LearnerSequence]) -> Result<Vec<Vec<f32>>> {
        self.predict_encoded(&crate::data::encode_all(&self.vocabs, seqs))
    }

    /// Encodes a learner's history: count statistics over all of it, attention keys/values of
    /// the last `max_len - 1` answers.
    pub fn encode_history(&self, history: &[Interaction]) -> Result<HistoryState> {
        let mut counts = Counts::default();
        let mut evidence: HashMap<u32, u32> = HashMap::new();
        let mut events = Vec::with_capacity(history.len());
        let mut prev_time = None;
        for raw in history {
            let e = encode_event(&self.vocabs, raw, prev_time);
            prev_time = raw.timestamp.or(prev_time);
            counts.add(&e);
            for &s in e.skills() {
                *evidence.entry(s).or_insert(0) += 1;
            }
            events.push(e);
        }
        let keep = self.config.max_len.saturating_sub(1);
        let window = &events[events.len().saturating_sub(keep)..];
        let n = window.len();
        let dev = &self.device;
        let net = self.net();
        let (h, qkeys) = if n == 0 {
            let start = net.shifted(
                &Tensor::zeros((1, 1, self.config.d_model), candle_core::DType::F32, dev)?,
                0,
            )?;
            (start.clone(), start)
        } else {
            let mut item = Vec::with_capacity(n);
            let mut known = Vec::with_capacity(n);
            let mut skills = vec![0u32; n * MAX_SKILLS];
            let mut smask = vec![0f32; n * MAX_SKILLS];
            let (mut resp, mut hint, mut lat, mut gap) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for (i, e) in window.iter().enumerate() {
                item.push(e.item);
                known.push(if e.item != 0 { 1f32 } else { 0.0 });
                for (m, &s) in e.skills().iter().enumerate() {
                    skills[i * MAX_SKILLS + m] = s;
                    smask[i * MAX_SKILLS + m] = 1.0;
                }
                resp.push(if e.correct { RESP_CORRECT } else { RESP_WRONG });
                hint.push(e.hint as u32);
                lat.push(e.latency as u32);
                gap.push(e.gap as u32);
            }
            let (q, mu) = net.question_pub(
                &Tensor::from_vec(item, n, dev)?,
                &Tensor::from_vec(known, (1, n, 1), dev)?,
                &Tensor::from_vec(skills, n * MAX_SKILLS, dev)?,
                &Tensor::from_vec(smask, (1, n, MAX_SKILLS, 1), dev)?,
                1,
                n,
            )?;
            let x = net.interaction_tokens(
                &q,
                &mu,
                &Tensor::from_vec(resp, n, dev)?,
                &Tensor::from_vec(hint, n, dev)?,
                &Tensor::from_vec(lat, n, dev)?,
                &Tensor::from_vec(gap, n, dev)?,
                1,
                n,
            )?;
            (net.shifted(&x, n)?, net.shifted(&q, n)?)
        };
        let k_len = n + 1;
        let positions: Vec<usize> = (0..k_len).collect();
        let (dist, mask) = position_tensors(&positions, k_len, dev)?;
        let window_skills: Vec<Vec<u32>> = match self.config.skill_attention {
            true => window.iter().map(|e| e.skills().to_vec()).collect(),
            false => Vec::new(),
        };
        let skill = match self.config.skill_attention {
            true => {
                let answers: Vec<&[u32]> = window_skills.iter().map(|s| s.as_slice()).collect();
                let (d, s) = encoder_skill_relation(&answers, k_len);
                let shape = (1, 1, k_len, k_len);
                Some((Tensor::from_vec(d, shape, dev)?, Tensor::from_vec(s, shape, dev)?))
            }
            false => None,
        };
        let enc = net.encode(&h, &dist, &mask, skill.as_ref(), &mut Dropout::eval())?;
        let kv = net.retriever_kv(&enc, &qkeys)?;
        Ok(HistoryState { kv, window_skills, counts, evidence })
    }

    /// Probability of a correct first answer for each candidate, in one batched pass.
    pub fn score(&self, state: &HistoryState, candidates: &[Candidate]) -> Result<Vec<f32>> {
        let c = candidates.len();
        if c == 0 {
            return Ok(Vec::new());
        }
        let dev = &self.device;
        let mut item = Vec::with_capacity(c);
        let mut known = Vec::with_capacity(c);
        let mut prior = Vec::with_capacity(c);
        let mut skills = vec![0u32; c * MAX_SKILLS];
        let mut smask = vec![0f32; c * MAX_SKILLS];
        let nf = self.config.n_features();
        let mut feat = Vec::with_capacity(c * nf);
        let mut cand_skills = Vec::new();
        for (i, cand) in candidates.iter().enumerate() {
            let it = self.vocabs.items.get(&cand.item_id);
            item.push(it);
            known.push(if it != 0 { 1f32 } else { 0.0 });
            prior.push(if it != 0 { 0.0 } else { cand.difficulty_prior });
            let mut sk = Vec::with_capacity(MAX_SKILLS);
            for (m, s) in cand.skill_ids.iter().take(MAX_SKILLS).enumerate() {
                let si = self.vocabs.skills.get(s);
                skills[i * MAX_SKILLS + m] = si;
                smask[i * MAX_SKILLS + m] = 1.0;
                sk.push(si);
            }
            feat.extend_from_slice(&state.counts.features(it, &sk)[..nf]);
            if self.config.skill_attention {
                cand_skills.push(sk);
            }
        }
        let net = self.net();
        let item_t = Tensor::from_vec(item, c, dev)?;
        let known_t = Tensor::from_vec(known, (1, c, 1), dev)?;
        let (q, _) = net.question_pub(
            &item_t,
            &known_t,
            &Tensor::from_vec(skills, c * MAX_SKILLS, dev)?,
            &Tensor::from_vec(smask, (1, c, MAX_SKILLS, 1), dev)?,
            1,
            c,
        )?;
        let bias =
            net.item_bias(&item_t, &known_t, 1, c)?.add(&Tensor::from_vec(prior, (1, c), dev)?)?;
        let scale =
            net.item_disc(&item_t, &known_t, 1, c)?.map(|a| a.affine(1.0, 1.0)).transpose()?;
        let k_len = state.kv.k_len;
        // All candidates sit at the same position: one bias row, broadcast over them.
        let (dist, mask) = position_tensors(&[k_len - 1], k_len, dev)?;
        let skill = match self.config.skill_attention {
            true => {
                let answers: Vec<&[u32]> =
                    state.window_skills.iter().map(|s| s.as_slice()).collect();
                let queries: Vec<(&[u32], usize)> =
                    cand_skills.iter().map(|s| (s.as_slice(), k_len - 1)).collect();
                let (d, s) = skill_relation(&answers, &queries, k_len);
                let shape = (1, 1, c, k_len);
                Some((Tensor::from_vec(d, shape, dev)?, Tensor::from_vec(s, shape, dev)?))
            }
            false => None,
        };
        let logits = net.retrieve_and_score(
            &q,
            &Tensor::from_vec(feat, (1, c, nf), dev)?,
            scale.as_ref(),
            &bias,
            &state.kv,
            &dist,
            &mask,
            skill.as_ref(),
            &mut Dropout::eval(),
        )?;
        sigmoid_vec(&logits)
    }

    /// Encodes `history` and scores `candidates` (convenience for one-off calls).
    pub fn score_candidates(
        &self,
        history: &[Interaction],
        candidates: &[Candidate],
    ) -> Result<Vec<f32>> {
        let state = self.encode_history(history)?;
        self.score(&state, candidates)
    }

    /// Mastery of each skill with its uncertainty (see the module docs for the definition).
    pub fn mastery(&self, state: &HistoryState, skill_ids: &[String]) -> Result<Vec<Mastery>> {
        Ok(self.score_and_mastery(state, &[], skill_ids)?.1)
    }

    /// [`KtModel::score`] and [`KtModel::mastery`] in one batched pass (the skills are scored as
    /// extra candidates: an unseen item of that skill alone).
    pub fn score_and_mastery(
        &self,
        state: &HistoryState,
        candidates: &[Candidate],
        skill_ids: &[String],
    ) -> Result<(Vec<f32>, Vec<Mastery>)> {
        let mut all = Vec::with_capacity(candidates.len() + skill_ids.len());
        all.extend_from_slice(candidates);
        all.extend(skill_ids.iter().map(|s| Candidate {
            item_id: String::new(),
            skill_ids: vec![s.clone()],
            difficulty_prior: 0.0,
        }));
        let mut p = self.score(state, &all)?;
        let skill_p = p.split_off(candidates.len());
        let mastery = skill_ids
            .iter()
            .zip(skill_p)
            .map(|(s, p)| {
                let si = self.vocabs.skills.get(s);
                let n = if si == 0 { 0 } else { state.evidence.get(&si).copied().unwrap_or(0) };
                let a = 1.0 + p as f64 * n as f64;
                let b = 1.0 + (1.0 - p as f64) * n as f64;
                let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
                Mastery { skill_id: s.clone(), p, sd: var.sqrt() as f32, evidence: n }
            })
            .collect();
        Ok((p, mastery))
    }
}
