//! Training: pre-training on a corpus of learner sequences and fine-tuning an existing model.
//!
//! One input struct with defaults ([`TrainInput`]), a progress callback and an abort flag, so the
//! app can run it as a cancellable background job. Runs are seeded (initialisation, shuffling,
//! dropout and masking all draw from ChaCha generators seeded from `seed`). Early stopping
//! watches the validation loss on held-back learners; a NaN, infinite or diverging training loss
//! stops the run and restores the best (or the starting) weights.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use candle_core::{Device, Tensor};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::batch::{
    build_batch_with, make_batches, new_and_replayed_windows, overlapping_windows,
    predict_windows_from, train_windows,
};
use crate::data::{encode_all, EncodedSeq, LearnerSequence, Vocabs};
use crate::error::{Error, Result};
use crate::infer::KtModel;
use crate::metrics;
use crate::model::{bce_with_logits, sigmoid_vec, Dropout, ModelConfig, Net, Params};
use crate::pfa::sigmoid;

/// Progress of a training run, reported after every batch and epoch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub epoch: usize,
    pub epochs: usize,
    pub batch: usize,
    pub batches: usize,
    /// Mean training loss so far in this epoch.
    pub train_loss: f32,
    /// Set at the end of an epoch.
    pub val_loss: Option<f32>,
    pub val_auc: Option<f64>,
}

/// Why a run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StopReason {
    Completed,
    EarlyStopped,
    Aborted,
    /// Loss became NaN/infinite or exploded; the previous best weights were kept.
    Diverged(String),
}

/// Figures of one epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    pub epoch: usize,
    pub train_loss: f32,
    pub val_loss: f32,
    pub val_auc: f64,
    pub tokens_per_s: f64,
    pub seconds: f64,
}

/// Callback receiving progress.
pub type ProgressFn<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;

/// The training settings shared by pre-training, fine-tuning, `ladder train`, `ladder eval` and
/// the device's training job (`ladder_engine::training::TrainJob`). Serialised with serde; a
/// missing field takes its default. The defaults are for pre-training on a corpus:
///
/// | field | default |
/// |---|---|
/// | `epochs` | 30 (at most; early stopping usually ends sooner) |
/// | `batch_size` | 32 windows |
/// | `learning_rate` | 3e-3 (AdamW, shared weights) |
/// | `item_learning_rate` | 1e-2 (per-item scalars) |
/// | `lr_decay` | 1 (constant rates) |
/// | `weight_decay` | 0 |
/// | `patience` | 2 epochs |
/// | `val_fraction` | 0.1 of the learners, when no validation learners are given |
/// | `seed` | 1 |
/// | `divergence_factor` | 4 |
/// | `item_prior` | 0 (off) |
/// | `ema` | 0 (off) |
/// | `bias_learning_rate` | 0 (the attention-bias scalars take `learning_rate`) |
/// | `item_prior_rasch` | false |
/// | `window_stride` | 1 (non-overlapping windows, cut the same way every epoch) |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainSettings {
    /// Most epochs to run (early stopping may end sooner).
    pub epochs: usize,
    /// Windows per batch.
    pub batch_size: usize,
    pub learning_rate: f64,
    /// Learning rate of the per-item scalars (difficulty and variation). Each item is seen
    /// rarely (ASSISTments 2009: ~16 answers per item), so they need larger steps than the
    /// shared weights to move within a few epochs.
    pub item_learning_rate: f64,
    /// Both learning rates are multiplied by this after every epoch (1 = constant).
    pub lr_decay: f64,
    pub weight_decay: f64,
    /// Epochs without validation improvement before stopping.
    pub patience: usize,
    /// Share of the training learners held back for early stopping when no validation learners
    /// are given.
    pub val_fraction: f32,
    /// Seeds initialisation, the validation split, shuffling, dropout and masking.
    pub seed: u64,
    /// A batch loss above `divergence_factor` times the first epoch's mean counts as divergence.
    pub divergence_factor: f32,
    /// When above 0, a fresh model's item difficulties start from the training answers: each
    /// item's success rate shrunk toward its skills' rate with this many pseudo-answers, as
    /// log-odds relative to the skills' ([`init_item_difficulty`]). 0: they start at 0.
    pub item_prior: f32,
    /// When above 0, validation, early stopping and the returned model use an exponential
    /// moving average of the weights over the optimiser steps (`avg = ema * avg + (1 - ema) *
    /// weights` after each step, restarted from the weights at the start of the run); training
    /// itself continues from the raw weights. 0: the raw weights.
    pub ema: f32,
    /// When above 0, the learning rate of the attention-bias scalars (every layer's
    /// `attn.log_slope`, and with `skill_attention` `attn.log_skill_rate` and
    /// `attn.skill_bonus`): one number per head each, which at the shared rate move little in a
    /// few epochs. 0: they take `learning_rate` with the other shared weights.
    pub bias_learning_rate: f64,
    /// With `item_prior` > 0: the prior difficulties come from a Rasch fit on the training
    /// answers (a learner ability and an item log-odds, the items shrunk toward their skills;
    /// [`rasch_item_logodds`]) instead of the items' raw success rates, which are biased where
    /// the items a learner gets depend on how they did (in a skill builder, the weaker learners
    /// answer more of the later items).
    pub item_prior_rasch: bool,
    /// How far, as a share of the context window (`max_len`), one training window moves on
    /// from the last. 1: consecutive non-overlapping windows, the same every epoch (a window's
    /// first answers are then scored with almost no context). Below 1: windows overlap and are
    /// cut afresh every epoch from a random first cut, each answer scored once, and every
    /// answer past a learner's first window with at least `(1 - window_stride) · max_len`
    /// earlier answers in view, as when the model predicts ([`crate::batch::overlapping_windows`]).
    /// An epoch then costs about `1 / window_stride` times as much.
    pub window_stride: f32,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            epochs: 30,
            batch_size: 32,
            learning_rate: 3e-3,
            item_learning_rate: 1e-2,
            lr_decay: 1.0,
            weight_decay: 0.0,
            patience: 2,
            val_fraction: 0.1,
            seed: 1,
            divergence_factor: 4.0,
            item_prior: 0.0,
            ema: 0.0,
            bias_learning_rate: 0.0,
            item_prior_rasch: false,
            window_stride: 1.0,
        }
    }
}

/// Everything a training run needs. `TrainInput { sequences, ..Default::default() }` pre-trains
/// with the default config and [`TrainSettings`].
pub struct TrainInput<'a> {
    /// Training learners (from a CSV, a pack's history or the store).
    pub sequences: Vec<LearnerSequence>,
    /// Held-back learners for early stopping; when empty, `settings.val_fraction` of
    /// `sequences` (chosen with the seed) are held back.
    pub validation: Vec<LearnerSequence>,
    /// For each validation learner, the first position whose answer counts in the validation
    /// loss (the earlier answers are context only). Empty: every answer counts. This is how a
    /// fine-tuning job holds back each learner's latest answers: the learner's full history is
    /// the validation sequence, scored only from where its training prefix ends.
    pub validation_from: Vec<usize>,
    /// Architecture for pre-training (vocabulary sizes are filled in). Ignored when fine-tuning.
    pub config: ModelConfig,
    /// Fine-tune this model instead of starting fresh (its config and vocabulary are kept).
    pub init: Option<&'a KtModel>,
    pub settings: TrainSettings,
    pub device: Device,
    pub progress: Option<ProgressFn<'a>>,
    pub abort: Option<Arc<AtomicBool>>,
    /// For each training sequence, the first answer that is new to the model being fine-tuned
    /// (`init`): the answers before it are those it already learnt from. When given, every
    /// epoch trains on the windows holding a new answer and on as many old ones, at least
    /// `replay`, drawn afresh ([`crate::batch::new_and_replayed_windows`]; windows cut backward
    /// from each sequence's end, `settings.window_stride` not used), so that an epoch costs
    /// what is new, not the whole history. Empty: every answer, every epoch.
    pub new_from: Vec<usize>,
    /// With `new_from`: the fewest old windows rehearsed in an epoch (all of them when fewer).
    pub replay: usize,
}

impl Default for TrainInput<'_> {
    fn default() -> Self {
        TrainInput {
            sequences: Vec::new(),
            validation: Vec::new(),
            validation_from: Vec::new(),
            config: ModelConfig::default(),
            init: None,
            settings: TrainSettings::default(),
            device: Device::Cpu,
            progress: None,
            abort: None,
            new_from: Vec::new(),
            replay: 0,
        }
    }
}

/// The result of a run.
pub struct TrainOutput {
    /// The model with the best validation loss seen (or the starting weights).
    pub model: KtModel,
    pub epochs: Vec<EpochReport>,
    pub best_epoch: Option<usize>,
    pub best_val_loss: f32,
    pub stop: StopReason,
}

/// Splits `seqs` into (train, validation) by learner with the seed.
pub fn split_validation(
    seqs: Vec<LearnerSequence>,
    fraction: f32,
    seed: u64,
) -> (Vec<LearnerSequence>, Vec<LearnerSequence>) {
    let mut idx: Vec<usize> = (0..seqs.len()).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed ^ 0x005e_ed0f_7a11));
    let n_val = ((seqs.len() as f32 * fraction).round() as usize).min(seqs.len().saturating_sub(1));
    let val_set: std::collections::HashSet<usize> = idx[..n_val].iter().copied().collect();
    let mut train = Vec::new();
    let mut val = Vec::new();
    for (i, s) in seqs.into_iter().enumerate() {
        if val_set.contains(&i) {
            val.push(s);
        } else {
            train.push(s);
        }
    }
    (train, val)
}

/// Trains (or fine-tunes) a model.
pub fn train(mut input: TrainInput) -> Result<TrainOutput> {
    let (train_seqs, val_seqs) = if input.validation.is_empty() {
        split_validation(
            std::mem::take(&mut input.sequences),
            input.settings.val_fraction,
            input.settings.seed,
        )
    } else {
        (std::mem::take(&mut input.sequences), std::mem::take(&mut input.validation))
    };
    if train_seqs.iter().all(|s| s.events.is_empty()) {
        return Err(Error::Data("no training answers".into()));
    }
    let model = match input.init {
        Some(m) => m.fork(&input.device)?,
        None => {
            let vocabs = vocabs_for(&input.config, &train_seqs);
            let mut cfg = input.config.clone();
            cfg.n_items = vocabs.items.rows();
            cfg.n_skills = vocabs.skills.rows();
            KtModel::new(cfg, vocabs, &input.device, input.settings.seed)?
        }
    };
    let train_enc = encode_all(&model.vocabs, &train_seqs);
    let val_enc = encode_all(&model.vocabs, &val_seqs);
    if input.init.is_none() && input.settings.item_prior > 0.0 {
        let set = &input.settings;
        init_item_difficulty(&model, &train_enc, set.item_prior, set.item_prior_rasch)?;
    }
    train_encoded(model, &train_enc, &val_enc, &mut input)
}

/// Pseudo-answers with which an item's success rate is shrunk towards its skills' in
/// `Vocabs::item_expect` (the ability features' reference).
pub const ITEM_EXPECT_STRENGTH: f32 = 10.0;

/// The vocabularies of a fresh model for `config` trained on `train`: with
/// `ability_features`, the items' expected success fitted on `train` too.
pub fn vocabs_for(config: &ModelConfig, train: &[LearnerSequence]) -> Vocabs {
    let mut v = Vocabs::build(train);
    if config.ability_features {
        v.fit_item_expect(train, ITEM_EXPECT_STRENGTH);
    }
    v
}

/// Sets the learned difficulty `b_i` of every known item from the training answers (empirical
/// Bayes): with `p_s` the success rate of all answers on the item's skills (the overall rate for
/// an item without skills) and `k` and `n` the item's successes and answers,
/// `p_i = (k + strength * p_s) / (n + strength)` and `b_i = logit(p_s) - logit(p_i)` (higher =
/// harder than its skills). Items never answered keep 0. Rates are clamped to [0.02, 0.98].
/// With `rasch`, `logit(p_i)` is replaced by the item's log-odds from [`rasch_item_logodds`].
pub fn init_item_difficulty(
    model: &KtModel,
    train: &[EncodedSeq],
    strength: f32,
    rasch: bool,
) -> Result<()> {
    let n_items = model.config.n_items;
    let n_skills = model.config.n_skills;
    let mut item = vec![(0f64, 0f64); n_items];
    let mut skill = vec![(0f64, 0f64); n_skills];
    let mut all = (0f64, 0f64);
    for e in train.iter().flat_map(|s| &s.events) {
        let y = e.correct as u8 as f64;
        if (e.item as usize) < n_items {
            item[e.item as usize].0 += y;
            item[e.item as usize].1 += 1.0;
        }
        for &s in e.skills() {
            if (s as usize) < n_skills {
                skill[s as usize].0 += y;
                skill[s as usize].1 += 1.0;
            }
        }
        all.0 += y;
        all.1 += 1.0;
    }
    let rate = |(k, n): (f64, f64)| (k + 1.0) / (n + 2.0);
    let logit = |p: f64| {
        let p = p.clamp(0.02, 0.98);
        (p / (1.0 - p)).ln()
    };
    // The skills of each item (from its first answer: an item's skills do not change).
    let mut skills_of: Vec<Option<&[u32]>> = vec![None; n_items];
    for e in train.iter().flat_map(|s| &s.events) {
        if (e.item as usize) < n_items && skills_of[e.item as usize].is_none() {
            skills_of[e.item as usize] = Some(e.skills());
        }
    }
    let m = strength as f64;
    // The skills' success rate and the item's shrunk one, as log-odds (0 for unanswered items).
    let mut skill_logit = vec![0f64; n_items];
    let mut item_logit = vec![0f64; n_items];
    for i in 1..n_items {
        let (k, n) = item[i];
        if n == 0.0 {
            continue;
        }
        let sk = skills_of[i].unwrap_or(&[]);
        let ps = if sk.is_empty() {
            rate(all)
        } else {
            sk.iter().map(|&s| rate(skill[s as usize])).sum::<f64>() / sk.len() as f64
        };
        skill_logit[i] = logit(ps);
        item_logit[i] = logit((k + m * ps) / (n + m));
    }
    if rasch {
        item_logit = rasch_item_logodds(train, &item_logit, &skill_logit, m);
    }
    let mut bias = vec![0f32; n_items];
    for i in 1..n_items {
        if item[i].1 > 0.0 {
            bias[i] = (skill_logit[i] - item_logit[i]) as f32;
        }
    }
    let var = model
        .params
        .vars
        .get("emb.item_bias")
        .ok_or_else(|| Error::Data("model has no item difficulties".into()))?;
    var.set(&Tensor::from_vec(bias, (n_items, 1), &model.device)?)?;
    Ok(())
}

/// Item log-odds of success for an average learner from a Rasch fit on `train`:
/// `P(correct) = sigmoid(theta_l + e_i)` with a learner ability `theta_l` (prior N(0, 1), centred
/// after each pass) and an item log-odds `e_i` shrunk toward the log-odds of its skills,
/// `prior[i]`, with `strength` pseudo-answers of information 0.2 each. Fifteen alternating
/// Newton passes from `start` (one step per learner, one per item). Items never answered keep
/// `start`; the result is clamped to [-4, 4].
pub fn rasch_item_logodds(
    train: &[EncodedSeq],
    start: &[f64],
    prior: &[f64],
    strength: f64,
) -> Vec<f64> {
    let n_items = start.len();
    let mut e = start.to_vec();
    let mut theta = vec![0f64; train.len()];
    let lam = strength * 0.2;
    let answers = |s: &EncodedSeq| {
        s.events
            .iter()
            .filter(|ev| (ev.item as usize) < n_items && ev.item != 0)
            .map(|ev| (ev.item as usize, ev.correct as u8 as f64))
            .collect::<Vec<_>>()
    };
    let answers: Vec<Vec<(usize, f64)>> = train.iter().map(answers).collect();
    let mut seen = vec![false; n_items];
    answers.iter().flatten().for_each(|&(i, _)| seen[i] = true);
    for _ in 0..15 {
        for (t, a) in theta.iter_mut().zip(&answers) {
            let (mut g, mut h) = (-*t, 1.0);
            for &(i, y) in a {
                let p = sigmoid(*t + e[i]);
                g += y - p;
                h += p * (1.0 - p);
            }
            *t += g / h;
        }
        let mean = theta.iter().sum::<f64>() / theta.len().max(1) as f64;
        theta.iter_mut().for_each(|t| *t -= mean);
        let mut g = vec![0f64; n_items];
        let mut h = vec![0f64; n_items];
        for (t, a) in theta.iter().zip(&answers) {
            for &(i, y) in a {
                let p = sigmoid(t + e[i]);
                g[i] += y - p;
                h[i] += p * (1.0 - p);
            }
        }
        for i in 0..n_items {
            if seen[i] {
                e[i] += (g[i] - lam * (e[i] - prior[i])) / (h[i] + lam);
            }
        }
    }
    for (v, s) in e.iter_mut().zip(&seen) {
        if *s {
            *v = v.clamp(-4.0, 4.0);
        }
    }
    e
}

/// Mean loss and AUC of `model` on `seqs` (each position predicted from earlier ones).
pub fn evaluate_loss(model: &KtModel, seqs: &[EncodedSeq]) -> Result<(f32, f64)> {
    evaluate_loss_from(model, seqs, &[])
}

/// [`evaluate_loss`] counting only positions from `from[i]` on in sequence `i` (all positions
/// when `from` is empty or shorter).
pub fn evaluate_loss_from(
    model: &KtModel,
    seqs: &[EncodedSeq],
    from: &[usize],
) -> Result<(f32, f64)> {
    let preds = predict_from(model, seqs, from)?;
    let mut p = Vec::new();
    let mut y = Vec::new();
    for (i, (s, pr)) in seqs.iter().zip(&preds).enumerate() {
        let start = s.events.len() - pr.len();
        p.extend_from_slice(pr);
        y.extend(s.events[start..].iter().map(|e| e.correct));
        debug_assert_eq!(start, from.get(i).copied().unwrap_or(0).min(s.events.len()));
    }
    if p.is_empty() {
        return Ok((f32::NAN, f64::NAN));
    }
    let m = metrics::compute(&p, &y);
    Ok((m.log_loss as f32, m.auc))
}

/// The predictions of the answers from `from[i]` on of each sequence `i` (every answer when
/// `from` is shorter), each from the answers before it: the same figures as
/// `KtModel::predict_encoded` gives them, but only the windows that reach those answers are
/// run ([`predict_windows_from`]), so scoring a history's latest answers costs them and a
/// window of context, not the whole history.
pub fn predict_from(model: &KtModel, seqs: &[EncodedSeq], from: &[usize]) -> Result<Vec<Vec<f32>>> {
    let first = |i: usize| from.get(i).copied().unwrap_or(0).min(seqs[i].events.len());
    let mut out: Vec<Vec<f32>> =
        (0..seqs.len()).map(|i| vec![0.0; seqs[i].events.len() - first(i)]).collect();
    let windows = predict_windows_from(seqs, model.config.max_len, from);
    let net = Net { cfg: &model.config, p: &model.params };
    let nf = model.config.n_features();
    for batch in make_batches(&windows, 64, None) {
        let (bt, _) = build_batch_with(seqs, &batch, &model.device, None, 0.0, 0.0, nf)?;
        let (logits, _) = net.forward(&bt, &mut Dropout::eval())?;
        let p = sigmoid_vec(&logits)?;
        for (bi, w) in batch.iter().enumerate() {
            let f = first(w.seq);
            for pos in w.predict_from.max(f)..w.end {
                out[w.seq][pos - f] = p[bi * bt.t + (pos - w.start)];
            }
        }
    }
    Ok(out)
}

/// Training loop on already-encoded sequences.
pub fn train_encoded(
    model: KtModel,
    train: &[EncodedSeq],
    val: &[EncodedSeq],
    input: &mut TrainInput,
) -> Result<TrainOutput> {
    let cfg = model.config.clone();
    let set = input.settings.clone();
    let device = model.device.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(set.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 1);
    // Optimiser groups: 0 shared weights, 1 per-item scalars, 2 attention-bias scalars (only
    // with their own rate; otherwise they are shared weights).
    let own_bias_rate = set.bias_learning_rate > 0.0;
    let group_of = |k: &str| {
        let last = k.rsplit('.').next().unwrap_or("");
        if matches!(k, "emb.item_bias" | "emb.item_mu" | "emb.item_disc") {
            1
        } else if own_bias_rate
            && k.contains(".attn.")
            && matches!(last, "log_slope" | "log_skill_rate" | "skill_bonus")
        {
            2
        } else {
            0
        }
    };
    let group = |g: usize| -> Vec<candle_core::Var> {
        model.params.vars.iter().filter(|(k, _)| group_of(k) == g).map(|(_, v)| v.clone()).collect()
    };
    let mut opt = AdamW::new(
        group(0),
        ParamsAdamW { lr: set.learning_rate, weight_decay: set.weight_decay, ..Default::default() },
    )?;
    let mut opt_items = AdamW::new(
        group(1),
        ParamsAdamW { lr: set.item_learning_rate, weight_decay: 0.0, ..Default::default() },
    )?;
    let mut opt_bias = AdamW::new(
        group(2),
        ParamsAdamW { lr: set.bias_learning_rate, weight_decay: 0.0, ..Default::default() },
    )?;
    // Overlapping windows (a stride below 1) are drawn again every epoch; consecutive ones are
    // cut once.
    let new_from = std::mem::take(&mut input.new_from);
    let learn_new = !new_from.is_empty();
    let overlapping = set.window_stride < 1.0 || learn_new;
    let fixed_windows = (!overlapping).then(|| train_windows(train, cfg.max_len));
    let aborted =
        |a: &Option<Arc<AtomicBool>>| a.as_ref().is_some_and(|f| f.load(Ordering::SeqCst));
    let val_from = std::mem::take(&mut input.validation_from);
    let has_val =
        val.iter().enumerate().any(|(i, s)| s.events.len() > val_from.get(i).copied().unwrap_or(0));
    let (mut best_loss, _) = if has_val {
        evaluate_loss_from(&model, val, &val_from)?
    } else {
        (f32::INFINITY, f64::NAN)
    };
    if !best_loss.is_finite() {
        best_loss = f32::INFINITY;
    }
    let mut best = model.params.snapshot()?;
    let mut best_epoch = None;
    let mut reports = Vec::new();
    let mut bad_epochs = 0;
    let mut ref_loss: Option<f32> = None;
    let mut stop = StopReason::Completed;
    let mut ema = if set.ema > 0.0 { Some(model.params.snapshot()?) } else { None };
    'epochs: for epoch in 0..set.epochs {
        let decay = set.lr_decay.powi(epoch as i32);
        opt.set_learning_rate(set.learning_rate * decay);
        opt_items.set_learning_rate(set.item_learning_rate * decay);
        opt_bias.set_learning_rate(set.bias_learning_rate * decay);
        let t0 = Instant::now();
        let drawn;
        let windows = match &fixed_windows {
            Some(w) => w,
            None if learn_new => {
                drawn =
                    new_and_replayed_windows(train, cfg.max_len, &new_from, input.replay, &mut rng);
                &drawn
            }
            None => {
                let step = (set.window_stride.max(0.0) * cfg.max_len as f32).round() as usize;
                drawn = overlapping_windows(train, cfg.max_len, step, &mut rng);
                &drawn
            }
        };
        let batches = make_batches(windows, set.batch_size, Some(&mut rng));
        let mut loss_sum = 0.0f64;
        let mut tokens = 0usize;
        let n_batches = batches.len();
        for (bi, batch) in batches.iter().enumerate() {
            if aborted(&input.abort) {
                stop = StopReason::Aborted;
                break 'epochs;
            }
            let (bt, host) = build_batch_with(
                train,
                batch,
                &device,
                Some(&mut rng),
                cfg.response_mask_prob,
                cfg.item_mask_prob,
                cfg.n_features(),
            )?;
            let target = Tensor::from_vec(host.target, (bt.b, bt.t), &device)?;
            let mask = Tensor::from_vec(host.mask, (bt.b, bt.t), &device)?;
            let net = Net { cfg: &cfg, p: &model.params };
            let mut drop = Dropout::train(&mut rng, cfg.dropout);
            let (logits, penalty) = net.forward(&bt, &mut drop)?;
            let bce = bce_with_logits(&logits, &target, &mask)?;
            let pen = penalty.mul(&mask)?.sum_all()?.affine(cfg.item_l2 as f64, 0.0)?;
            let n_tok = mask.sum_all()?.to_scalar::<f32>()?.max(1.0);
            let loss = bce.add(&pen.affine(1.0 / n_tok as f64, 0.0)?)?;
            let lv = bce.to_scalar::<f32>()?;
            let limit = ref_loss.map(|r| r * set.divergence_factor);
            if !lv.is_finite() || limit.is_some_and(|l| lv > l) {
                model.params.restore(&best)?;
                stop = StopReason::Diverged(format!(
                    "batch loss {lv} in epoch {epoch} (reference {ref_loss:?}); kept the previous weights"
                ));
                break 'epochs;
            }
            let grads = loss.backward()?;
            opt.step(&grads)?;
            opt_items.step(&grads)?;
            opt_bias.step(&grads)?;
            if let Some(avg) = ema.as_mut() {
                let d = set.ema as f64;
                for (k, v) in &model.params.vars {
                    if let Some(a) = avg.get_mut(k) {
                        let w = v.as_tensor().detach();
                        *a = (a.affine(d, 0.0)? + w.affine(1.0 - d, 0.0)?)?;
                    }
                }
            }
            loss_sum += lv as f64 * n_tok as f64;
            tokens += n_tok as usize;
            if let Some(cb) = input.progress.as_mut() {
                cb(&Progress {
                    epoch,
                    epochs: set.epochs,
                    batch: bi + 1,
                    batches: n_batches,
                    train_loss: (loss_sum / tokens.max(1) as f64) as f32,
                    val_loss: None,
                    val_auc: None,
                });
            }
        }
        let secs = t0.elapsed().as_secs_f64();
        let train_loss = (loss_sum / tokens.max(1) as f64) as f32;
        if ref_loss.is_none() {
            ref_loss = Some(train_loss.max(0.1));
        }
        // With `ema`, the averaged weights are the ones evaluated (and kept as the best); the
        // raw ones come back for the next epoch.
        let raw = match &ema {
            Some(avg) => {
                let raw = model.params.snapshot()?;
                model.params.restore(avg)?;
                Some(raw)
            }
            None => None,
        };
        let (val_loss, val_auc) = if has_val {
            evaluate_loss_from(&model, val, &val_from)?
        } else {
            (train_loss, f64::NAN)
        };
        if let Some(raw) = &raw {
            model.params.restore(raw)?;
        }
        reports.push(EpochReport {
            epoch,
            train_loss,
            val_loss,
            val_auc,
            tokens_per_s: tokens as f64 / secs.max(1e-9),
            seconds: secs,
        });
        if let Some(cb) = input.progress.as_mut() {
            cb(&Progress {
                epoch,
                epochs: set.epochs,
                batch: n_batches,
                batches: n_batches,
                train_loss,
                val_loss: Some(val_loss),
                val_auc: Some(val_auc),
            });
        }
        if !val_loss.is_finite() {
            model.params.restore(&best)?;
            stop = StopReason::Diverged(format!("validation loss {val_loss} in epoch {epoch}"));
            break;
        }
        if val_loss < best_loss - 1e-5 {
            best_loss = val_loss;
            best = match &ema {
                Some(avg) => avg.clone(),
                None => model.params.snapshot()?,
            };
            best_epoch = Some(epoch);
            bad_epochs = 0;
        } else {
            bad_epochs += 1;
            if bad_epochs >= set.patience.max(1) {
                stop = StopReason::EarlyStopped;
                break;
            }
        }
    }
    if has_val || !matches!(stop, StopReason::Completed) {
        model.params.restore(&best)?;
    } else if let Some(avg) = &ema {
        model.params.restore(avg)?;
    }
    Ok(TrainOutput { model, epochs: reports, best_epoch, best_val_loss: best_loss, stop })
}

/// Just the network's parameters and config (used by tests and benches).
pub fn fresh_params(cfg: &ModelConfig, device: &Device, seed: u64) -> Result<Params> {
    Params::init(cfg, device, seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_from_json_take_defaults_for_missing_fields() {
        let s: TrainSettings =
            serde_json::from_str(r#"{"epochs": 5, "learning_rate": 0.001}"#).expect("json");
        assert_eq!(s.epochs, 5);
        assert_eq!(s.learning_rate, 1e-3);
        assert_eq!(TrainSettings { epochs: 5, learning_rate: 1e-3, ..TrainSettings::default() }, s);
        let back: TrainSettings =
            serde_json::from_str(&serde_json::to_string(&s).expect("ser")).expect("de");
        assert_eq!(back, s);
        assert!(!s.item_prior_rasch && s.bias_learning_rate == 0.0, "new options default off");
        assert_eq!(s.window_stride, 1.0, "non-overlapping windows by default");
    }

    fn synthetic(learners: usize, len: usize) -> Vec<LearnerSequence> {
        crate::synth::generate(&crate::synth::SynthSpec {
            learners,
            min_len: len,
            max_len: len,
            items: 40,
            skills: 5,
            seed: 9,
        })
    }

    fn tiny() -> ModelConfig {
        ModelConfig { d_model: 16, n_heads: 2, d_ff: 32, max_len: 24, ..ModelConfig::default() }
    }

    fn fresh_model(seqs: &[LearnerSequence]) -> KtModel {
        let vocabs = vocabs_for(&tiny(), seqs);
        let cfg =
            ModelConfig { n_items: vocabs.items.rows(), n_skills: vocabs.skills.rows(), ..tiny() };
        KtModel::new(cfg, vocabs, &Device::Cpu, 3).expect("model")
    }

    #[test]
    fn scoring_the_latest_answers_gives_what_scoring_the_whole_history_gives_them() {
        let seqs = synthetic(6, 130);
        let model = fresh_model(&seqs);
        let enc = encode_all(&model.vocabs, &seqs);
        let whole = model.predict_encoded(&enc).expect("predict");
        let from = [0, 100, 129, 130, 57, 200];
        let tail = predict_from(&model, &enc, &from).expect("predict from");
        for (i, (w, t)) in whole.iter().zip(&tail).enumerate() {
            let f = from[i].min(w.len());
            assert_eq!(t.len(), w.len() - f, "sequence {i}");
            for (a, b) in w[f..].iter().zip(t) {
                assert!((a - b).abs() < 1e-5, "sequence {i}: {a} vs {b}");
            }
        }
        // and so does the validation loss counted from those points
        let (l, _) = evaluate_loss_from(&model, &enc, &from).expect("loss");
        let (mut p, mut y) = (Vec::new(), Vec::new());
        for (i, w) in whole.iter().enumerate() {
            let f = from[i].min(w.len());
            p.extend_from_slice(&w[f..]);
            y.extend(enc[i].events[f..].iter().map(|e| e.correct));
        }
        let m = metrics::compute(&p, &y);
        assert!((l as f64 - m.log_loss).abs() < 1e-5, "{l} vs {}", m.log_loss);
    }

    /// Batches per epoch, as the progress reports them.
    fn batches_per_epoch(new_from: Vec<usize>, replay: usize) -> Vec<usize> {
        let seqs = synthetic(20, 120);
        let model = fresh_model(&seqs);
        let train_seqs: Vec<LearnerSequence> = seqs
            .iter()
            .map(|s| LearnerSequence {
                learner_id: s.learner_id.clone(),
                events: s.events[..96].to_vec(),
            })
            .collect();
        let mut seen = Vec::new();
        let out = train(TrainInput {
            sequences: train_seqs,
            validation: seqs.clone(),
            validation_from: vec![96; seqs.len()],
            init: Some(&model),
            settings: TrainSettings { epochs: 2, patience: 5, batch_size: 4, ..Default::default() },
            progress: Some(Box::new(|p: &Progress| {
                if p.val_loss.is_some() {
                    seen.push(p.batches)
                }
            })),
            new_from,
            replay,
            ..TrainInput::default()
        })
        .expect("train");
        assert_eq!(out.epochs.len(), 2);
        seen
    }

    #[test]
    fn fine_tuning_on_new_answers_trains_their_windows_and_a_replay_not_every_window() {
        // 20 histories of 96 training answers in windows of 24: 80 windows, 20 batches of 4.
        assert_eq!(batches_per_epoch(Vec::new(), 0), vec![20, 20]);
        // 3 new answers in one history, 2 in another: 2 new windows and 6 replayed, 2 batches.
        let mut from = vec![96; 20];
        from[3] = 93;
        from[11] = 94;
        assert_eq!(batches_per_epoch(from.clone(), 6), vec![2, 2]);
        // a new learner (all 4 windows new) and the other's 2: 6 new, 6 replayed, 3 batches
        from[7] = 0;
        assert_eq!(batches_per_epoch(from, 1), vec![3, 3]);
    }

    /// Items 3 and 4 are equally hard (log-odds 0 for an average learner), but item 3 is
    /// answered only by weak learners (ability -1.5) and item 4 only by strong ones (+1.5);
    /// items 1 and 2 (log-odds 0 and 1) are answered by everyone. The raw success rates put
    /// items 3 and 4 far apart; the Rasch fit, which sees each learner's ability on the common
    /// items (60 answers each), puts them close together and near 0.
    #[test]
    fn the_rasch_fit_corrects_for_which_learners_answer_an_item() {
        use rand::{Rng, SeedableRng};
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let event = |item: u32, correct: bool| crate::data::Event {
            item,
            skills: [1, 0, 0, 0],
            n_skills: 1,
            correct,
            hint: 0,
            latency: 0,
            gap: 0,
            expect: 0.0,
        };
        let truth = [0.0, 0.0, 1.0, 0.0, 0.0];
        let seqs: Vec<EncodedSeq> = (0..400)
            .map(|l| {
                let theta: f64 = if l % 2 == 0 { -1.5 } else { 1.5 };
                let mine = if l % 2 == 0 { 3 } else { 4 };
                let mut events = Vec::new();
                for _ in 0..20 {
                    for item in [1u32, 2, mine] {
                        let p = 1.0 / (1.0 + (-(theta + truth[item as usize])).exp());
                        events.push(event(item, rng.random::<f64>() < p));
                    }
                }
                let n = events.len();
                EncodedSeq {
                    learner_id: l.to_string(),
                    events,
                    features: vec![[0.0; crate::data::MAX_FEATURES]; n],
                }
            })
            .collect();
        let mut raw = [(0f64, 0f64); 5];
        for e in seqs.iter().flat_map(|s| &s.events) {
            raw[e.item as usize].0 += e.correct as u8 as f64;
            raw[e.item as usize].1 += 1.0;
        }
        let logit = |(k, n): (f64, f64)| ((k + 1.0) / (n - k + 1.0)).ln();
        let start: Vec<f64> = raw.iter().map(|&r| if r.1 > 0.0 { logit(r) } else { 0.0 }).collect();
        let e = rasch_item_logodds(&seqs, &start, &[0.0; 5], 1.0);
        let raw_gap = start[4] - start[3];
        assert!(raw_gap > 2.0, "the raw rates differ by {raw_gap}");
        // The abilities' N(0, 1) prior shrinks them a little, which leaves a small part of the
        // gap: a quarter at most of the raw one here, both items within 0.4 of the truth.
        let gap = e[4] - e[3];
        assert!(gap.abs() < 0.25 * raw_gap, "Rasch: items 3 and 4 at {} and {}", e[3], e[4]);
        assert!(e[3].abs() < 0.4 && e[4].abs() < 0.4, "{e:?}");
        assert!((e[2] - e[1] - 1.0).abs() < 0.3, "items 1 and 2 one logit apart: {e:?}");
        assert_eq!(e[0], 0.0, "an item nobody answered keeps its start");
    }
}
