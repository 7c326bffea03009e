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

use std::collections::{HashMap, VecDeque};

use candle_core::{Device, Tensor};

use crate::batch::{build_batch_with, make_batches, predict_windows};
use crate::data::{encode_event, Counts, EncodedSeq, Event, Interaction, Vocabs, MAX_SKILLS};
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

/// A learner's history as the model reads it, answer by answer: the counts over every answer
/// and the latest `max_len - 1` (the attention window), as [`KtModel::advance`] leaves them.
/// Moving it on by one answer costs one answer, however long the history; [`KtModel::encode`]
/// turns it into a [`HistoryState`] to score candidates against, and [`KtModel::queries`]
/// scores candidates against many of its points in batched passes. Clone it to read two
/// continuations of one history. It holds the vocabulary indices of the model that read it:
/// ask that model about it, no other.
#[derive(Debug, Clone, Default)]
pub struct RunningHistory {
    /// The latest answers, oldest first, at most `max_len - 1`.
    pub(crate) window: VecDeque<Event>,
    pub(crate) counts: Counts,
    pub(crate) evidence: HashMap<u32, u32>,
    /// The latest answer's timestamp (the next answer's time gap is from it).
    prev_time: Option<f64>,
    len: usize,
}

/// A candidate as the model's query side reads it: vocabulary indices, the difficulty prior of
/// an unknown item and the count features of the history it is asked against.
#[derive(Debug, Clone)]
pub(crate) struct CandidateRow {
    pub(crate) item: u32,
    pub(crate) prior: f32,
    pub(crate) skills: Vec<u32>,
    pub(crate) feat: Vec<f32>,
}

impl RunningHistory {
    /// How many answers it has read.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has read none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
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
        let mut running = RunningHistory::default();
        self.advance(&mut running, history);
        self.encode(&running)
    }

    /// Reads `new` answers after those `running` holds: their events, the counts and the
    /// attention window move on; nothing already read is looked at again.
    pub fn advance(&self, running: &mut RunningHistory, new: &[Interaction]) {
        let keep = self.config.max_len.saturating_sub(1);
        for raw in new {
            let e = encode_event(&self.vocabs, raw, running.prev_time);
            running.prev_time = raw.timestamp.or(running.prev_time);
            running.counts.add(&e);
            for &s in e.skills() {
                *running.evidence.entry(s).or_insert(0) += 1;
            }
            if running.window.len() >= keep {
                running.window.pop_front();
            }
            if keep > 0 {
                running.window.push_back(e);
            }
            running.len += 1;
        }
    }

    /// The encoded state of a history read so far: the attention keys and values of its window
    /// (one forward pass over at most `max_len - 1` answers, whatever the history's length) and
    /// its counts. The same as [`KtModel::encode_history`] over every answer `running` read.
    pub fn encode(&self, running: &RunningHistory) -> Result<HistoryState> {
        let window: Vec<Event> = running.window.iter().copied().collect();
        let (kv, window_skills) = self.encode_windows(&[window.as_slice()])?;
        Ok(HistoryState {
            kv,
            window_skills: window_skills.into_iter().next().unwrap_or_default(),
            counts: running.counts.clone(),
            evidence: running.evidence.clone(),
        })
    }

    /// Retriever keys and values of a batch of windows (`[B, T]` keys, `T` one more than the
    /// longest window: key 0 is the start token, key `j` carries answer `j - 1`; a shorter
    /// window is padded after its answers, where the causal mask hides the padding from every
    /// real position), and the skill sets of each window's answers (with `skill_attention`).
    pub(crate) fn encode_windows(
        &self,
        windows: &[&[Event]],
    ) -> Result<(RetrieverKv, Vec<Vec<Vec<u32>>>)> {
        let b = windows.len();
        let w = windows.iter().map(|x| x.len()).max().unwrap_or(0);
        let dev = &self.device;
        let net = self.net();
        let (h, qkeys) = if w == 0 {
            let start = net.shifted(
                &Tensor::zeros((b, 1, self.config.d_model), candle_core::DType::F32, dev)?,
                0,
            )?;
            (start.clone(), start)
        } else {
            let bw = b * w;
            let mut item = vec![0u32; bw];
            let mut known = vec![0f32; bw];
            let mut skills = vec![0u32; bw * MAX_SKILLS];
            let mut smask = vec![0f32; bw * MAX_SKILLS];
            let (mut resp, mut hint, mut lat, mut gap) =
                (vec![RESP_WRONG; bw], vec![0u32; bw], vec![0u32; bw], vec![0u32; bw]);
            for (bi, window) in windows.iter().enumerate() {
                for (j, e) in window.iter().enumerate() {
                    let i = bi * w + j;
                    item[i] = e.item;
                    known[i] = if e.item != 0 { 1.0 } else { 0.0 };
                    for (m, &s) in e.skills().iter().enumerate() {
                        skills[i * MAX_SKILLS + m] = s;
                        smask[i * MAX_SKILLS + m] = 1.0;
                    }
                    resp[i] = if e.correct { RESP_CORRECT } else { RESP_WRONG };
                    hint[i] = e.hint as u32;
                    lat[i] = e.latency as u32;
                    gap[i] = e.gap as u32;
                }
            }
            let (q, mu) = net.question_pub(
                &Tensor::from_vec(item, bw, dev)?,
                &Tensor::from_vec(known, (b, w, 1), dev)?,
                &Tensor::from_vec(skills, bw * MAX_SKILLS, dev)?,
                &Tensor::from_vec(smask, (b, w, MAX_SKILLS, 1), dev)?,
                b,
                w,
            )?;
            let x = net.interaction_tokens(
                &q,
                &mu,
                &Tensor::from_vec(resp, bw, dev)?,
                &Tensor::from_vec(hint, bw, dev)?,
                &Tensor::from_vec(lat, bw, dev)?,
                &Tensor::from_vec(gap, bw, dev)?,
                b,
                w,
            )?;
            (net.shifted(&x, w)?, net.shifted(&q, w)?)
        };
        let k_len = w + 1;
        let positions: Vec<usize> = (0..k_len).collect();
        let (dist, mask) = position_tensors(&positions, k_len, dev)?;
        let window_skills: Vec<Vec<Vec<u32>>> = match self.config.skill_attention {
            true => {
                windows.iter().map(|x| x.iter().map(|e| e.skills().to_vec()).collect()).collect()
            }
            false => Vec::new(),
        };
        let skill = match self.config.skill_attention {
            true => {
                let (mut d, mut s) = (Vec::new(), Vec::new());
                for answers in &window_skills {
                    let mut answers: Vec<&[u32]> = answers.iter().map(|s| s.as_slice()).collect();
                    answers.resize(w, &[]);
                    let (dr, sr) = encoder_skill_relation(&answers, k_len);
                    d.extend(dr);
                    s.extend(sr);
                }
                let shape = (b, 1, k_len, k_len);
                Some((Tensor::from_vec(d, shape, dev)?, Tensor::from_vec(s, shape, dev)?))
            }
            false => None,
        };
        let enc = net.encode(&h, &dist, &mask, skill.as_ref(), &mut Dropout::eval())?;
        Ok((net.retriever_kv(&enc, &qkeys)?, window_skills))
    }

    /// Probability of a correct first answer for each candidate, in one batched pass.
    pub fn score(&self, state: &HistoryState, candidates: &[Candidate]) -> Result<Vec<f32>> {
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<CandidateRow> =
            candidates.iter().map(|c| self.candidate_row(&state.counts, c)).collect();
        // All candidates sit at the same position: one bias row, broadcast over them.
        let windows = [state.window_skills.as_slice()];
        self.score_rows(&state.kv, &windows, &rows, &[state.kv.k_len - 1])
    }

    /// A candidate as the query side reads it, its count features from `counts`.
    pub(crate) fn candidate_row(&self, counts: &Counts, cand: &Candidate) -> CandidateRow {
        let item = self.vocabs.items.get(&cand.item_id);
        let skills: Vec<u32> =
            cand.skill_ids.iter().take(MAX_SKILLS).map(|s| self.vocabs.skills.get(s)).collect();
        let nf = self.config.n_features();
        CandidateRow {
            item,
            prior: if item != 0 { 0.0 } else { cand.difficulty_prior },
            feat: counts.features(item, &skills)[..nf].to_vec(),
            skills,
        }
    }

    /// Probabilities of `rows` (`[B, Tq]`, batch-major) against the keys and values of `B`
    /// encoded windows (`kv`, and the skill sets of each window's answers with
    /// `skill_attention`): the queries of every row sit at `positions` (one per query, or one
    /// for all), seeing the keys up to their position.
    pub(crate) fn score_rows(
        &self,
        kv: &RetrieverKv,
        window_skills: &[&[Vec<u32>]],
        rows: &[CandidateRow],
        positions: &[usize],
    ) -> Result<Vec<f32>> {
        let b = kv.kv.first().map(|t| t.dim(0)).transpose()?.unwrap_or(1);
        let n = rows.len();
        let tq = n / b.max(1);
        if n == 0 || tq * b != n {
            return Ok(Vec::new());
        }
        let dev = &self.device;
        let nf = self.config.n_features();
        let mut item = Vec::with_capacity(n);
        let mut known = Vec::with_capacity(n);
        let mut prior = Vec::with_capacity(n);
        let mut skills = vec![0u32; n * MAX_SKILLS];
        let mut smask = vec![0f32; n * MAX_SKILLS];
        let mut feat = Vec::with_capacity(n * nf);
        for (i, r) in rows.iter().enumerate() {
            item.push(r.item);
            known.push(if r.item != 0 { 1f32 } else { 0.0 });
            prior.push(r.prior);
            for (m, &si) in r.skills.iter().enumerate() {
                skills[i * MAX_SKILLS + m] = si;
                smask[i * MAX_SKILLS + m] = 1.0;
            }
            feat.extend_from_slice(&r.feat);
        }
        let net = self.net();
        let item_t = Tensor::from_vec(item, n, dev)?;
        let known_t = Tensor::from_vec(known, (b, tq, 1), dev)?;
        let (q, _) = net.question_pub(
            &item_t,
            &known_t,
            &Tensor::from_vec(skills, n * MAX_SKILLS, dev)?,
            &Tensor::from_vec(smask, (b, tq, MAX_SKILLS, 1), dev)?,
            b,
            tq,
        )?;
        let bias = net.item_bias(&item_t, &known_t, b, tq)?.add(&Tensor::from_vec(
            prior,
            (b, tq),
            dev,
        )?)?;
        let scale =
            net.item_disc(&item_t, &known_t, b, tq)?.map(|a| a.affine(1.0, 1.0)).transpose()?;
        let k_len = kv.k_len;
        let (dist, mask) = position_tensors(positions, k_len, dev)?;
        let skill = match self.config.skill_attention {
            true => {
                let (mut d, mut s) = (Vec::with_capacity(n * k_len), Vec::with_capacity(n * k_len));
                for (bi, row) in rows.chunks(tq).enumerate() {
                    let mut answers: Vec<&[u32]> = window_skills
                        .get(bi)
                        .map(|w| w.iter().map(|s| s.as_slice()).collect())
                        .unwrap_or_default();
                    answers.resize(k_len - 1, &[]);
                    let queries: Vec<(&[u32], usize)> = row
                        .iter()
                        .enumerate()
                        .map(|(j, r)| (r.skills.as_slice(), positions[j.min(positions.len() - 1)]))
                        .collect();
                    let (dr, sr) = skill_relation(&answers, &queries, k_len);
                    d.extend(dr);
                    s.extend(sr);
                }
                let shape = (b, 1, tq, k_len);
                Some((Tensor::from_vec(d, shape, dev)?, Tensor::from_vec(s, shape, dev)?))
            }
            false => None,
        };
        let logits = net.retrieve_and_score(
            &q,
            &Tensor::from_vec(feat, (b, tq, nf), dev)?,
            scale.as_ref(),
            &bias,
            kv,
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
