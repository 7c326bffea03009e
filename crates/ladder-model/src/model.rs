//! The transformer: configuration, parameters and the forward pass.
//!
//! Shape of the model (our own arrangement of ideas from SAKT, AKT and simpleKT):
//!
//! * **Question embedding** of an answer to item `i` with skills `S`:
//!   `q = sum_{s in S} c_s + mu_i * sum_{s in S} v_s`, where `mu_i` is a learned scalar per item
//!   (a Rasch-style "how this item differs from its skills"). Unknown items have `mu = 0`, so
//!   they fall back to their skills.
//! * **Interaction token** of a past answer: `q + r_resp + mu_i * w_resp + hint + latency + gap`,
//!   with `resp` in {wrong, correct, MASK}. The sequence of interaction tokens is shifted right
//!   behind a learned start token, so key `j` only carries answers strictly before position `j`.
//! * **Encoder**: pre-norm self-attention layers over interaction tokens with a causal mask.
//! * **Retriever**: the query of position `t` (its question embedding plus a projection of the
//!   PFA-style count features) attends to encoder outputs `0..=t` (everything strictly before
//!   `t`), through pre-norm cross-attention layers.
//! * **Position**: no position embedding; every attention head adds `-slope_h * distance` to its
//!   scores (exponential decay of attention with distance, slope learned per head). It extends
//!   to any history length and needs no table.
//! * **Head**: MLP on `[retrieved, q, features]` plus a learned difficulty scalar per item
//!   (`- b_i`; unknown items use the caller's difficulty prior instead). With
//!   `item_discrimination`, the MLP's output is first scaled by `1 + a_i`, a learned scalar per
//!   item (as a two-parameter IRT model lets items tell learners apart more or less sharply;
//!   unknown items keep 1).
//!
//! Layer norm and softmax are written from primitive tensor ops so gradients flow through them
//! (candle-nn's fused versions have no backward pass). Dropout masks come from a seeded ChaCha
//! generator so training runs are reproducible.

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, Var, D};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::data::{
    GAP_BUCKETS, HINT_BUCKETS, LATENCY_BUCKETS, MAX_FEATURES, MAX_SKILLS, N_FEATURES,
    N_RICH_FEATURES,
};
use crate::error::{Error, Result};

/// Response classes of an interaction token.
pub const RESP_WRONG: u32 = 0;
pub const RESP_CORRECT: u32 = 1;
pub const RESP_MASK: u32 = 2;

/// Model hyper-parameters, saved as JSON next to the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    pub d_model: usize,
    pub n_heads: usize,
    pub n_encoder_layers: usize,
    pub n_retriever_layers: usize,
    pub d_ff: usize,
    /// Dropout on residual branches and in the head, in training only.
    pub dropout: f32,
    /// Context window: the model attends to at most this many earlier answers (training chunks
    /// have this length). Counts features still summarise the whole history.
    pub max_len: usize,
    /// Share of past responses replaced by MASK in training (masked-token augmentation).
    pub response_mask_prob: f32,
    /// Share of past items replaced by "unknown" in training (teaches the skill fallback).
    pub item_mask_prob: f32,
    /// L2 penalty on the per-item scalars (difficulty, variation and discrimination).
    pub item_l2: f32,
    /// Retriever keys from the past answers' question embeddings (AKT-style) instead of the
    /// encoder outputs.
    pub question_keys: bool,
    /// Add the recency features (`data::Counts::features`: answers since the skill's and the
    /// item's latest answer, latest outcomes, runs, recent success rates) to the PFA counts in
    /// the query and the head.
    pub rich_features: bool,
    /// Add the ability features (`data::Counts::features`: the learner's residuals against the
    /// items' expected success over the whole history, overall, per skill, recency-weighted, and
    /// an Elo-style ability) after the recency features. Needs `rich_features`; the expected
    /// success comes from `Vocabs::item_expect`, which training fits on the training answers.
    /// Off by default (and in every checkpoint without the field); written only when on, so a
    /// checkpoint without it reads as before.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ability_features: bool,
    /// Skill-aware attention bias: every head also adds `-rate_h * ln(1 + n) + bonus_h * shared`
    /// to its scores, where `n` counts the answers since the key's answer (that one included)
    /// that share a skill with the query's item, `shared` is whether the key's answer shares
    /// one, and `rate_h >= 0` (learned as its log) and `bonus_h` are learned per head (AKT's
    /// monotonic attention with a distance on the query's skills). Off by default (and in every
    /// checkpoint without the field); written only when on.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub skill_attention: bool,
    /// Per-item discrimination: the head's logit before the item's difficulty is scaled by
    /// `1 + a_i`, with `a_i` learned per item (starting at 0, at the item learning rate, under
    /// `item_l2`); unknown items keep a scale of 1. Off by default (and in every checkpoint
    /// without the field); written only when on.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub item_discrimination: bool,
    /// Rows of the item table (vocabulary size + 1); set from the vocabulary.
    pub n_items: usize,
    /// Rows of the skill table (vocabulary size + 1); set from the vocabulary.
    pub n_skills: usize,
}

impl Default for ModelConfig {
    /// The shipped configuration: small enough to train on a laptop CPU in minutes and to score
    /// a thousand candidates within the answer path's budget (docs/model.md has the figures).
    fn default() -> Self {
        ModelConfig {
            d_model: 32,
            n_heads: 4,
            n_encoder_layers: 1,
            n_retriever_layers: 1,
            d_ff: 64,
            dropout: 0.2,
            max_len: 100,
            response_mask_prob: 0.05,
            item_mask_prob: 0.05,
            item_l2: 1e-4,
            question_keys: false,
            rich_features: false,
            ability_features: false,
            skill_attention: false,
            item_discrimination: false,
            n_items: 1,
            n_skills: 1,
        }
    }
}

impl ModelConfig {
    /// Length of the feature rows the model reads (`data::Counts::features`).
    pub fn n_features(&self) -> usize {
        if self.rich_features && self.ability_features {
            MAX_FEATURES
        } else if self.rich_features {
            N_FEATURES + N_RICH_FEATURES
        } else {
            N_FEATURES
        }
    }

    /// Checks the numbers fit together.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::Config(m.to_string()));
        if self.d_model == 0 || self.n_heads == 0 || !self.d_model.is_multiple_of(self.n_heads) {
            return bad("d_model must be a positive multiple of n_heads");
        }
        if self.d_ff == 0 || self.max_len < 2 {
            return bad("d_ff must be positive and max_len at least 2");
        }
        if self.d_model > 4096 || self.d_ff > 16384 || self.n_heads > 64 || self.max_len > 100_000 {
            return bad("dimensions are implausibly large");
        }
        if self.n_encoder_layers > 64
            || self.n_retriever_layers == 0
            || self.n_retriever_layers > 64
        {
            return bad("layer counts must be 0..64 (encoder) and 1..64 (retriever)");
        }
        for (name, p) in [
            ("dropout", self.dropout),
            ("response_mask_prob", self.response_mask_prob),
            ("item_mask_prob", self.item_mask_prob),
        ] {
            if !(0.0..0.95).contains(&p) {
                return Err(Error::Config(format!("{name} must be in [0, 0.95)")));
            }
        }
        if !(self.item_l2 >= 0.0 && self.item_l2.is_finite()) {
            return bad("item_l2 must be a non-negative number");
        }
        if self.ability_features && !self.rich_features {
            return bad("ability_features needs rich_features");
        }
        if self.n_items == 0 || self.n_skills == 0 || self.n_items > 50_000_000 {
            return bad("n_items and n_skills must be positive");
        }
        Ok(())
    }

    /// Name and shape of every trainable tensor, in a fixed order.
    pub fn param_shapes(&self) -> Vec<(String, Vec<usize>)> {
        let (d, f, h) = (self.d_model, self.d_ff, self.n_heads);
        let mut v: Vec<(String, Vec<usize>)> = vec![
            ("emb.skill".into(), vec![self.n_skills, d]),
            ("emb.skill_var".into(), vec![self.n_skills, d]),
            ("emb.item_mu".into(), vec![self.n_items, 1]),
            ("emb.item_bias".into(), vec![self.n_items, 1]),
            ("emb.resp".into(), vec![3, d]),
            ("emb.resp_var".into(), vec![3, d]),
            ("emb.hint".into(), vec![HINT_BUCKETS, d]),
            ("emb.latency".into(), vec![LATENCY_BUCKETS, d]),
            ("emb.gap".into(), vec![GAP_BUCKETS, d]),
            ("emb.start".into(), vec![1, d]),
            ("feat.w".into(), vec![self.n_features(), d]),
            ("feat.b".into(), vec![d]),
        ];
        if self.item_discrimination {
            v.push(("emb.item_disc".into(), vec![self.n_items, 1]));
        }
        let mut layer = |p: &str, cross: bool| {
            let mut push = |n: &str, s: Vec<usize>| v.push((format!("{p}.{n}"), s));
            push("ln1.g", vec![d]);
            push("ln1.b", vec![d]);
            if cross {
                push("ln_kv.g", vec![d]);
                push("ln_kv.b", vec![d]);
            }
            for m in ["wq", "wk", "wv", "wo"] {
                push(&format!("attn.{m}"), vec![d, d]);
                push(&format!("attn.{m}_b"), vec![d]);
            }
            push("attn.log_slope", vec![h]);
            if self.skill_attention {
                push("attn.log_skill_rate", vec![h]);
                push("attn.skill_bonus", vec![h]);
            }
            push("ln2.g", vec![d]);
            push("ln2.b", vec![d]);
            push("ff.w1", vec![d, f]);
            push("ff.b1", vec![f]);
            push("ff.w2", vec![f, d]);
            push("ff.b2", vec![d]);
        };
        for i in 0..self.n_encoder_layers {
            layer(&format!("enc.{i}"), false);
        }
        for i in 0..self.n_retriever_layers {
            layer(&format!("ret.{i}"), true);
        }
        v.push(("enc.ln_f.g".into(), vec![d]));
        v.push(("enc.ln_f.b".into(), vec![d]));
        v.push(("ret.ln_f.g".into(), vec![d]));
        v.push(("ret.ln_f.b".into(), vec![d]));
        v.push(("head.w1".into(), vec![2 * d + self.n_features(), d]));
        v.push(("head.b1".into(), vec![d]));
        v.push(("head.w2".into(), vec![d, 1]));
        v.push(("head.b2".into(), vec![1]));
        v
    }
}

/// Trainable tensors by name.
#[derive(Debug, Clone)]
pub struct Params {
    pub(crate) vars: BTreeMap<String, Var>,
}

impl Params {
    /// Fresh parameters for `cfg`, initialised from `seed`.
    pub fn init(cfg: &ModelConfig, device: &Device, seed: u64) -> Result<Params> {
        cfg.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut vars = BTreeMap::new();
        for (name, shape) in cfg.param_shapes() {
            let n: usize = shape.iter().product();
            let last = name.rsplit('.').next().unwrap_or("");
            let data: Vec<f32> = if last == "g" {
                vec![1.0; n]
            } else if last == "log_slope" {
                // Slopes 2^-1 .. 2^-(8): from sharply recent to nearly flat heads.
                (0..n)
                    .map(|h| {
                        let e = if n > 1 { 1.0 + 7.0 * h as f32 / (n - 1) as f32 } else { 3.0 };
                        -e * 2f32.ln()
                    })
                    .collect()
            } else if last == "log_skill_rate" {
                // Rate 1/4: weight (1 + n)^(-1/4) for n answers on the query's skills since.
                vec![-2.0 * 2f32.ln(); n]
            } else if name == "emb.item_bias"
                || name == "emb.item_disc"
                || last.starts_with('b')
                || last.ends_with("_b")
                || last == "skill_bonus"
            {
                vec![0.0; n]
            } else {
                let std = if name.starts_with("emb.item_mu") {
                    0.02
                } else if name.starts_with("emb.") {
                    0.1
                } else {
                    1.0 / (shape[0] as f32).sqrt()
                };
                (0..n).map(|_| std * normal(&mut rng)).collect()
            };
            let t = Tensor::from_vec(data, shape, device)?;
            vars.insert(name, Var::from_tensor(&t)?);
        }
        Ok(Params { vars })
    }

    pub(crate) fn get(&self, name: &str) -> Result<&Tensor> {
        self.vars
            .get(name)
            .map(|v| v.as_tensor())
            .ok_or_else(|| Error::Config(format!("missing parameter {name}")))
    }

    /// All variables (for the optimiser).
    pub fn all_vars(&self) -> Vec<Var> {
        self.vars.values().cloned().collect()
    }

    /// Named tensors (for checkpoints).
    pub fn tensors(&self) -> BTreeMap<String, Tensor> {
        self.vars.iter().map(|(k, v)| (k.clone(), v.as_tensor().clone())).collect()
    }

    /// A deep copy of the current values (a snapshot to restore later).
    pub fn snapshot(&self) -> Result<BTreeMap<String, Tensor>> {
        let mut out = BTreeMap::new();
        for (k, v) in &self.vars {
            out.insert(k.clone(), v.as_tensor().copy()?);
        }
        Ok(out)
    }

    /// Restores values from a snapshot.
    pub fn restore(&self, snap: &BTreeMap<String, Tensor>) -> Result<()> {
        for (k, v) in &self.vars {
            if let Some(t) = snap.get(k) {
                v.set(t)?;
            }
        }
        Ok(())
    }

    /// Fresh variables holding a copy of these values (an independent model).
    pub fn deep_clone(&self) -> Result<Params> {
        let mut vars = BTreeMap::new();
        for (k, v) in &self.vars {
            vars.insert(k.clone(), Var::from_tensor(&v.as_tensor().copy()?)?);
        }
        Ok(Params { vars })
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f32 {
    // Box-Muller.
    let u1: f32 = rng.random::<f32>().max(1e-7);
    let u2: f32 = rng.random::<f32>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
}

/// Dropout with masks drawn from a seeded generator; a no-op when not training.
pub struct Dropout<'a> {
    rng: Option<&'a mut ChaCha8Rng>,
    p: f32,
}

impl<'a> Dropout<'a> {
    pub fn train(rng: &'a mut ChaCha8Rng, p: f32) -> Self {
        Dropout { rng: Some(rng), p }
    }
    pub fn eval() -> Self {
        Dropout { rng: None, p: 0.0 }
    }
    pub fn is_training(&self) -> bool {
        self.rng.is_some()
    }
    pub fn apply(&mut self, x: &Tensor) -> Result<Tensor> {
        match self.mask(x)? {
            Some(m) => crate::fused::mask_mul(x, &m),
            None => Ok(x.clone()),
        }
    }

    /// `x + dropout(a)` (a residual branch), one fused op when training.
    pub fn residual(&mut self, x: &Tensor, a: &Tensor) -> Result<Tensor> {
        match self.mask(a)? {
            Some(m) => crate::fused::add_mask_mul(x, a, &m),
            None => Ok(x.add(a)?),
        }
    }

    /// The scaled keep mask for a tensor shaped like `x` (none when not dropping).
    fn mask(&mut self, x: &Tensor) -> Result<Option<Tensor>> {
        match self.rng.as_deref_mut() {
            Some(rng) if self.p > 0.0 => {
                let keep = 1.0 - self.p;
                let threshold = (keep as f64 * u32::MAX as f64) as u32;
                let scale = 1.0 / keep;
                // One u32 per element, drawn in bulk (the same stream as one `random::<u32>()`
                // per element, in a fraction of the time).
                let mut bits = vec![0u32; x.elem_count()];
                rng.fill(bits.as_mut_slice());
                let mask: Vec<f32> =
                    bits.iter().map(|&r| if r <= threshold { scale } else { 0.0 }).collect();
                Ok(Some(Tensor::from_vec(mask, x.shape(), x.device())?))
            }
            _ => Ok(None),
        }
    }
}

/// Layer norm over the last dimension, composed from primitive ops (has a backward pass).
pub fn layer_norm(x: &Tensor, g: &Tensor, b: &Tensor) -> Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let xc = x.broadcast_sub(&mean)?;
    let var = xc.sqr()?.mean_keepdim(D::Minus1)?;
    let inv = (var + 1e-5)?.sqrt()?.recip()?;
    Ok(xc.broadcast_mul(&inv)?.broadcast_mul(g)?.broadcast_add(b)?)
}

/// Softmax over the last dimension, composed from primitive ops (has a backward pass). The max
/// is subtracted for stability and detached: softmax does not depend on it.
pub fn softmax_last(x: &Tensor) -> Result<Tensor> {
    let m = x.max_keepdim(D::Minus1)?.detach();
    let e = x.broadcast_sub(&m)?.exp()?;
    let s = e.sum_keepdim(D::Minus1)?;
    Ok(e.broadcast_div(&s)?)
}

/// `x @ w + b` for `x` of any rank (last dim = in): one fused op on the CPU (fused.rs).
pub fn linear(x: &Tensor, w: &Tensor, b: &Tensor) -> Result<Tensor> {
    crate::fused::linear(x, w, b)
}

/// Attention bias `[1 or H, Tq, Tk]` inputs: distance `q_pos - k_pos` (clamped at 0) and a mask
/// that forbids keys after the query.
pub fn position_tensors(
    q_pos: &[usize],
    k_len: usize,
    device: &Device,
) -> Result<(Tensor, Tensor)> {
    let tq = q_pos.len();
    let mut dist = Vec::with_capacity(tq * k_len);
    let mut mask = Vec::with_capacity(tq * k_len);
    for &qp in q_pos {
        for kp in 0..k_len {
            dist.push(qp.saturating_sub(kp) as f32);
            mask.push(if kp > qp { -1e9f32 } else { 0.0 });
        }
    }
    Ok((
        Tensor::from_vec(dist, (1, tq, k_len), device)?,
        Tensor::from_vec(mask, (1, tq, k_len), device)?,
    ))
}

/// Skill distances of queries to keys (the host side of `skill_attention`): `answers` are the
/// skill sets of the answers behind keys `1..` (key `j` carries answer `j - 1`; key 0 is the
/// start token), and each query is its skill set and the number `e` of answers it may see (keys
/// `0..=e`). Returns `ln(1 + n)` and `shared` as rows of `k_len` (see
/// [`ModelConfig::skill_attention`]); for key 0, `n` counts all `e` answers and `shared` is 0;
/// keys past `e` (masked) and queries without skills get 0.
pub fn skill_relation(
    answers: &[&[u32]],
    queries: &[(&[u32], usize)],
    k_len: usize,
) -> (Vec<f32>, Vec<f32>) {
    let mut dist = vec![0f32; queries.len() * k_len];
    let mut shared = vec![0f32; queries.len() * k_len];
    for (qi, &(skills, e)) in queries.iter().enumerate() {
        if skills.is_empty() {
            continue;
        }
        let (d, s) = (&mut dist[qi * k_len..], &mut shared[qi * k_len..]);
        let mut n = 0u32;
        for j in (1..=e.min(k_len - 1)).rev() {
            let touches = answers.get(j - 1).is_some_and(|a| a.iter().any(|x| skills.contains(x)));
            n += touches as u32;
            d[j] = (1.0 + n as f32).ln();
            s[j] = if touches { 1.0 } else { 0.0 };
        }
        d[0] = (1.0 + n as f32).ln();
    }
    (dist, shared)
}

/// [`skill_relation`] for the encoder's self-attention over `t` keys: query `i` is the answer
/// `i - 1` its token carries and sees keys `0..=i`; the start token's query has no skills.
pub fn encoder_skill_relation(answers: &[&[u32]], t: usize) -> (Vec<f32>, Vec<f32>) {
    let queries: Vec<(&[u32], usize)> =
        (0..t).map(|i| (if i == 0 { &[][..] } else { answers[i - 1] }, i)).collect();
    skill_relation(answers, &queries, t)
}

/// `skill_attention` inputs of one batch: `ln(1 + n)` and `shared`, `[B,1,T,T]` each, for the
/// encoder (query `i` is the answer `i - 1` its token carries; none for the start token) and for
/// the retriever (query `t` is the item answered at `t`). `sets` are the skill sets of the `B*T`
/// positions, empty for padding.
pub fn skill_tensors(sets: &[Vec<u32>], b: usize, t: usize, device: &Device) -> Result<SkillBias> {
    let mut parts: [Vec<f32>; 4] = Default::default();
    for bi in 0..b {
        let answers: Vec<&[u32]> =
            sets[bi * t..(bi + 1) * t].iter().map(|s| s.as_slice()).collect();
        let ret: Vec<(&[u32], usize)> = (0..t).map(|i| (answers[i], i)).collect();
        let (ed, es) = encoder_skill_relation(&answers, t);
        let (rd, rs) = skill_relation(&answers, &ret, t);
        for (part, v) in parts.iter_mut().zip([ed, es, rd, rs]) {
            part.extend(v);
        }
    }
    let [ed, es, rd, rs] = parts.map(|v| Tensor::from_vec(v, (b, 1, t, t), device));
    Ok(SkillBias { enc: (ed?, es?), ret: (rd?, rs?) })
}

/// `skill_attention` inputs (`ln(1 + n)`, `shared`), each `[B,1,Tq,Tk]`, of the encoder's
/// self-attention and of the retriever.
pub struct SkillBias {
    pub enc: (Tensor, Tensor),
    pub ret: (Tensor, Tensor),
}

/// Tensors of one batch of windows, `[B, T]` unless noted.
pub struct BatchTensors {
    pub b: usize,
    pub t: usize,
    /// Query side: item index, skills `[B*T*K]`, skill mask `[B,T,K,1]`, known-item mask `[B,T,1]`.
    pub q_item: Tensor,
    pub q_skills: Tensor,
    pub q_smask: Tensor,
    pub q_known: Tensor,
    /// Interaction side (items may be masked to unknown in training).
    pub x_item: Tensor,
    pub x_known: Tensor,
    pub resp: Tensor,
    pub hint: Tensor,
    pub latency: Tensor,
    pub gap: Tensor,
    /// Count features `[B,T,F]`.
    pub feat: Tensor,
    /// Difficulty prior added for unknown items `[B,T]` (0 for known items).
    pub prior: Tensor,
    /// Position tensors for self-attention (`[1,T,T]`).
    pub dist: Tensor,
    pub mask: Tensor,
    /// Skill sets of the `B*T` positions (empty for padding), for `skill_attention`.
    pub skill_sets: Vec<Vec<u32>>,
}

/// The model's forward computations over [`Params`].
pub struct Net<'p> {
    pub cfg: &'p ModelConfig,
    pub p: &'p Params,
}

/// Per-layer keys and values of the retriever for an encoded history, packed `[B,Tk,2d]` (keys
/// in the first `d` columns, heads side by side).
pub struct RetrieverKv {
    pub kv: Vec<Tensor>,
    pub k_len: usize,
}

impl<'p> Net<'p> {
    fn w(&self, n: &str) -> Result<&Tensor> {
        self.p.get(n)
    }

    /// Question embedding and item scalar `mu` (`[B,T,d]`, `[B,T,1]`).
    fn question(
        &self,
        item: &Tensor,
        known: &Tensor,
        skills: &Tensor,
        smask: &Tensor,
        b: usize,
        t: usize,
    ) -> Result<(Tensor, Tensor)> {
        let d = self.cfg.d_model;
        let c = self.w("emb.skill")?.index_select(skills, 0)?.reshape((b, t, MAX_SKILLS, d))?;
        let v = self.w("emb.skill_var")?.index_select(skills, 0)?.reshape((b, t, MAX_SKILLS, d))?;
        let c = crate::fused::weighted_sum(&c, smask)?;
        let v = crate::fused::weighted_sum(&v, smask)?;
        let mu = self.w("emb.item_mu")?.index_select(item, 0)?.reshape((b, t, 1))?.mul(known)?;
        let q = c.add(&v.broadcast_mul(&mu)?)?;
        Ok((q, mu))
    }

    #[allow(clippy::too_many_arguments)]
    fn attention(
        &self,
        p: &str,
        xq: &Tensor,
        kv: Option<&Tensor>,
        xkv: &Tensor,
        dist: &Tensor,
        mask: &Tensor,
        skill: Option<&(Tensor, Tensor)>,
    ) -> Result<Tensor> {
        let h = self.cfg.n_heads;
        let q = linear(xq, self.w(&format!("{p}.attn.wq"))?, self.w(&format!("{p}.attn.wq_b"))?)?;
        let kv = match kv {
            Some(kv) => kv.clone(),
            None => self.keys_values(p, xkv, None)?,
        };
        let slopes = self.w(&format!("{p}.attn.log_slope"))?.exp()?.reshape((h, 1, 1))?;
        let mut bias = dist.broadcast_mul(&slopes)?.neg()?.broadcast_add(mask)?;
        if let (true, Some((sdist, shared))) = (self.cfg.skill_attention, skill) {
            // One bias per batch: [B,H,Tq,Tk] as [B*H,Tq,Tk].
            let (b, _, tq, tk) = sdist.dims4()?;
            let rate = self.w(&format!("{p}.attn.log_skill_rate"))?.exp()?.reshape((1, h, 1, 1))?;
            let bonus = self.w(&format!("{p}.attn.skill_bonus"))?.reshape((1, h, 1, 1))?;
            let sb = shared.broadcast_mul(&bonus)?.sub(&sdist.broadcast_mul(&rate)?)?;
            bias = sb.broadcast_add(&bias.unsqueeze(0)?)?.reshape((b * h, tq, tk))?;
        }
        // Scores, bias, softmax and the weighted values for all heads in one op (fused.rs).
        let out = crate::fused::attention(&q, &kv, &bias, h)?;
        linear(&out, self.w(&format!("{p}.attn.wo"))?, self.w(&format!("{p}.attn.wo_b"))?)
    }

    /// Keys and values packed as `[B,Tk,2d]` (keys first), from `xkv`, or keys from `xk` when
    /// given. One matrix product with `[wk | wv]` when both come from the same input.
    fn keys_values(&self, p: &str, xkv: &Tensor, xk: Option<&Tensor>) -> Result<Tensor> {
        let wk = self.w(&format!("{p}.attn.wk"))?;
        let bk = self.w(&format!("{p}.attn.wk_b"))?;
        let wv = self.w(&format!("{p}.attn.wv"))?;
        let bv = self.w(&format!("{p}.attn.wv_b"))?;
        match xk {
            None => linear(xkv, &Tensor::cat(&[wk, wv], 1)?, &Tensor::cat(&[bk, bv], 0)?),
            Some(xk) => Ok(Tensor::cat(&[&linear(xk, wk, bk)?, &linear(xkv, wv, bv)?], 2)?),
        }
    }

    fn ffn(&self, p: &str, x: &Tensor) -> Result<Tensor> {
        let h = linear(x, self.w(&format!("{p}.ff.w1"))?, self.w(&format!("{p}.ff.b1"))?)?;
        let h = crate::fused::gelu(&h)?;
        linear(&h, self.w(&format!("{p}.ff.w2"))?, self.w(&format!("{p}.ff.b2"))?)
    }

    fn ln(&self, p: &str, x: &Tensor) -> Result<Tensor> {
        crate::fused::layer_norm(x, self.w(&format!("{p}.g"))?, self.w(&format!("{p}.b"))?)
    }

    /// Encodes the shifted interaction sequence `[B,T,d]` into keys for the retriever.
    pub fn encode(
        &self,
        xs: &Tensor,
        dist: &Tensor,
        mask: &Tensor,
        skill: Option<&(Tensor, Tensor)>,
        drop: &mut Dropout,
    ) -> Result<Tensor> {
        let mut x = xs.clone();
        for i in 0..self.cfg.n_encoder_layers {
            let p = format!("enc.{i}");
            let h = self.ln(&format!("{p}.ln1"), &x)?;
            let a = self.attention(&p, &h, None, &h, dist, mask, skill)?;
            x = drop.residual(&x, &a)?;
            let h = self.ln(&format!("{p}.ln2"), &x)?;
            let f = self.ffn(&p, &h)?;
            x = drop.residual(&x, &f)?;
        }
        self.ln("enc.ln_f", &x)
    }

    /// Keys and values of every retriever layer for encoded history `h` (cacheable). With
    /// `question_keys`, keys come from `qkeys` (the shifted question embeddings of the past
    /// answers) so attention weights depend on item similarity, not on the responses.
    pub fn retriever_kv(&self, h: &Tensor, qkeys: &Tensor) -> Result<RetrieverKv> {
        let mut kv = Vec::with_capacity(self.cfg.n_retriever_layers);
        for i in 0..self.cfg.n_retriever_layers {
            let p = format!("ret.{i}");
            let hv = self.ln(&format!("{p}.ln_kv"), h)?;
            if self.cfg.question_keys {
                let hk = self.ln(&format!("{p}.ln_kv"), qkeys)?;
                kv.push(self.keys_values(&p, &hv, Some(&hk))?);
            } else {
                kv.push(self.keys_values(&p, &hv, None)?);
            }
        }
        Ok(RetrieverKv { kv, k_len: h.dim(1)? })
    }

    /// Runs the retriever and head: logits `[B,Tq]`.
    #[allow(clippy::too_many_arguments)]
    pub fn retrieve_and_score(
        &self,
        q: &Tensor,
        feat: &Tensor,
        item_scale: Option<&Tensor>,
        item_bias: &Tensor,
        kv: &RetrieverKv,
        dist: &Tensor,
        mask: &Tensor,
        skill: Option<&(Tensor, Tensor)>,
        drop: &mut Dropout,
    ) -> Result<Tensor> {
        let mut z = q.add(&linear(feat, self.w("feat.w")?, self.w("feat.b")?)?)?;
        for (i, kv) in kv.kv.iter().enumerate() {
            let p = format!("ret.{i}");
            let h = self.ln(&format!("{p}.ln1"), &z)?;
            let a = self.attention(&p, &h, Some(kv), &h, dist, mask, skill)?;
            z = drop.residual(&z, &a)?;
            let h = self.ln(&format!("{p}.ln2"), &z)?;
            let f = self.ffn(&p, &h)?;
            z = drop.residual(&z, &f)?;
        }
        let z = self.ln("ret.ln_f", &z)?;
        let hcat = Tensor::cat(&[&z, q, feat], D::Minus1)?;
        let hid = crate::fused::gelu(&linear(&hcat, self.w("head.w1")?, self.w("head.b1")?)?)?;
        let hid = drop.apply(&hid)?;
        let logit = linear(&hid, self.w("head.w2")?, self.w("head.b2")?)?.squeeze(D::Minus1)?;
        let logit = match item_scale {
            Some(scale) => logit.mul(scale)?,
            None => logit,
        };
        Ok(logit.sub(item_bias)?)
    }

    /// Interaction tokens `[B,T,d]` of answers (not yet shifted) and their item scalars.
    #[allow(clippy::too_many_arguments)]
    pub fn interaction_tokens(
        &self,
        qx: &Tensor,
        mu_x: &Tensor,
        resp: &Tensor,
        hint: &Tensor,
        latency: &Tensor,
        gap: &Tensor,
        b: usize,
        t: usize,
    ) -> Result<Tensor> {
        let d = self.cfg.d_model;
        let emb = |n: &str, idx: &Tensor| -> Result<Tensor> {
            Ok(self.w(n)?.index_select(idx, 0)?.reshape((b, t, d))?)
        };
        Ok(qx
            .add(&emb("emb.resp", resp)?)?
            .add(&emb("emb.resp_var", resp)?.broadcast_mul(mu_x)?)?
            .add(&emb("emb.hint", hint)?)?
            .add(&emb("emb.latency", latency)?)?
            .add(&emb("emb.gap", gap)?)?)
    }

    /// `[start, x_0 .. x_{n-1}]`: the start token followed by the first `n` tokens of `x`.
    pub fn shifted(&self, x: &Tensor, n: usize) -> Result<Tensor> {
        let (b, _, d) = x.dims3()?;
        let start = self.w("emb.start")?.reshape((1, 1, d))?.broadcast_as((b, 1, d))?;
        if n == 0 {
            return Ok(start.contiguous()?);
        }
        Ok(Tensor::cat(&[&start, &x.narrow(1, 0, n)?], 1)?)
    }

    /// Question embeddings for query positions (public for inference).
    pub fn question_pub(
        &self,
        item: &Tensor,
        known: &Tensor,
        skills: &Tensor,
        smask: &Tensor,
        b: usize,
        t: usize,
    ) -> Result<(Tensor, Tensor)> {
        self.question(item, known, skills, smask, b, t)
    }

    /// Per-item difficulty `[B,T]` of known items (0 for unknown ones).
    pub fn item_bias(&self, item: &Tensor, known: &Tensor, b: usize, t: usize) -> Result<Tensor> {
        Ok(self
            .w("emb.item_bias")?
            .index_select(item, 0)?
            .reshape((b, t))?
            .mul(&known.reshape((b, t))?)?)
    }

    /// Per-item discrimination `a_i` `[B,T]` of known items (0 for unknown ones), with
    /// `item_discrimination`; the head scales its logit by `1 + a_i`.
    pub fn item_disc(
        &self,
        item: &Tensor,
        known: &Tensor,
        b: usize,
        t: usize,
    ) -> Result<Option<Tensor>> {
        if !self.cfg.item_discrimination {
            return Ok(None);
        }
        let a = self.w("emb.item_disc")?.index_select(item, 0)?.reshape((b, t))?;
        Ok(Some(a.mul(&known.reshape((b, t))?)?))
    }

    /// Full forward pass of a batch: logits `[B,T]` and the item-scalar penalty term `[B,T]`.
    pub fn forward(&self, bt: &BatchTensors, drop: &mut Dropout) -> Result<(Tensor, Tensor)> {
        let (b, t) = (bt.b, bt.t);
        let (q, mu_q) = self.question(&bt.q_item, &bt.q_known, &bt.q_skills, &bt.q_smask, b, t)?;
        let (qx, mu_x) = if drop.is_training() && self.cfg.item_mask_prob > 0.0 {
            self.question(&bt.x_item, &bt.x_known, &bt.q_skills, &bt.q_smask, b, t)?
        } else {
            (q.clone(), mu_q.clone())
        };
        let x =
            self.interaction_tokens(&qx, &mu_x, &bt.resp, &bt.hint, &bt.latency, &bt.gap, b, t)?;
        let xs = self.shifted(&x, t - 1)?;
        let xs = drop.apply(&xs)?;
        let skill = match self.cfg.skill_attention {
            true => Some(skill_tensors(&bt.skill_sets, b, t, xs.device())?),
            false => None,
        };
        let h = self.encode(&xs, &bt.dist, &bt.mask, skill.as_ref().map(|s| &s.enc), drop)?;
        let kv = self.retriever_kv(&h, &self.shifted(&qx, t - 1)?)?;
        let bias_q = self.item_bias(&bt.q_item, &bt.q_known, b, t)?;
        // Unknown items use the caller's difficulty prior in place of a learned difficulty.
        let item_bias = bias_q.add(&bt.prior)?;
        let disc = self.item_disc(&bt.q_item, &bt.q_known, b, t)?;
        let scale = disc.as_ref().map(|a| a.affine(1.0, 1.0)).transpose()?;
        let logits = self.retrieve_and_score(
            &q,
            &bt.feat,
            scale.as_ref(),
            &item_bias,
            &kv,
            &bt.dist,
            &bt.mask,
            skill.as_ref().map(|s| &s.ret),
            drop,
        )?;
        let mut penalty = mu_q.sqr()?.squeeze(D::Minus1)?.add(&bias_q.sqr()?)?;
        if let Some(a) = &disc {
            penalty = penalty.add(&a.sqr()?)?;
        }
        Ok((logits, penalty))
    }
}

/// Masked binary cross-entropy with logits, computed stably:
/// `max(z,0) - z*y + ln(1 + exp(-|z|))`, averaged over positions where `mask` is 1.
pub fn bce_with_logits(logits: &Tensor, target: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let pos = logits.relu()?;
    let soft = logits.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?;
    let l = pos.sub(&logits.mul(target)?)?.add(&soft)?;
    let n = mask.sum_all()?.affine(1.0, 1e-6)?;
    Ok(l.mul(mask)?.sum_all()?.div(&n)?)
}

/// Sigmoid of a tensor (elementwise), as plain numbers.
pub fn sigmoid_vec(t: &Tensor) -> Result<Vec<f32>> {
    let v = t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
    Ok(v.into_iter().map(|z| 1.0 / (1.0 + (-z).exp())).collect())
}
