//! The evaluation protocol of DESIGN.md section 4: k-fold by learner from `folds.csv`; for each
//! test fold, train on the other folds (holding back a share of their learners for early
//! stopping), then predict every answer of the test learners from strictly earlier answers of
//! the same learner. Reports AUC, accuracy, log loss, RMSE and calibration error per fold and as
//! mean ± sd, for every model in the same run.
//!
//! Vocabularies are built from the training learners only, so items and skills seen only in a
//! test fold are "unknown" to every model, as they would be on a new device.

use std::collections::BTreeMap;
use std::time::Instant;

use candle_core::Device;
use serde::{Deserialize, Serialize};

use crate::bkt::Bkt;
use crate::data::{encode_all, CsvData, EncodedSeq, LearnerSequence, Vocabs};
use crate::error::{Error, Result};
use crate::infer::KtModel;
use crate::metrics::{self, mean_sd, Metrics};
use crate::model::ModelConfig;
use crate::pfa::{Pfa, PfaOptions};
use crate::train::{
    init_item_difficulty, split_validation, train_encoded, vocabs_for, TrainInput, TrainSettings,
};

/// Which model to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    Transformer,
    Bkt,
    Pfa,
}

impl ModelKind {
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Transformer => "transformer",
            ModelKind::Bkt => "bkt",
            ModelKind::Pfa => "pfa",
        }
    }
}

/// Options of a cross-validation run.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub models: Vec<ModelKind>,
    /// Test folds to run (each trains on all other folds). Empty (the default): every fold
    /// that `folds.csv` names, in increasing order.
    pub folds: Vec<u32>,
    /// Use only about N learners: the first N/folds of each fold in file order (a quick run).
    pub max_students: Option<usize>,
    pub config: ModelConfig,
    /// The transformer's training settings; `seed` also seeds the validation split and PFA.
    /// Default: [`TrainSettings::default`] with at most 8 epochs (every fold of ASSISTments
    /// 2009 stops early by epoch 5).
    pub training: TrainSettings,
    pub device: Device,
    /// Also measure on-device personalisation of the transformer (see [`Personalisation`]).
    pub personalise: Option<PersonaliseOptions>,
    /// Train this many transformers per fold (seeds `seed`, `seed + 1`, ...; same learners and
    /// validation split) and average their predicted probabilities. 1 (the default): one model,
    /// which is what the app ships. The personalisation measurement uses the first model.
    pub ensemble: usize,
    /// After early stopping has chosen the epoch, train a fresh model on the training and
    /// validation learners together for that many epochs (vocabulary from both) and evaluate
    /// that one instead.
    pub refit: bool,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            models: vec![ModelKind::Transformer, ModelKind::Bkt, ModelKind::Pfa],
            folds: Vec::new(),
            max_students: None,
            config: ModelConfig::default(),
            training: TrainSettings { epochs: 8, ..TrainSettings::default() },
            device: Device::Cpu,
            personalise: None,
            ensemble: 1,
            refit: false,
        }
    }
}

/// Fine-tuning settings for the personalisation measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PersonaliseOptions {
    /// Test learners with at least this many answers take part.
    pub min_answers: usize,
    /// At most this many learners per fold (the first ones of the fold).
    pub max_learners: usize,
    pub epochs: usize,
    pub learning_rate: f64,
}

impl Default for PersonaliseOptions {
    fn default() -> Self {
        PersonaliseOptions { min_answers: 20, max_learners: 200, epochs: 5, learning_rate: 5e-4 }
    }
}

impl PersonaliseOptions {
    /// The training settings of one learner's fine-tuning: every parameter at one rate, one
    /// window per batch, no early stopping (there is no validation set).
    pub fn training(&self, seed: u64) -> TrainSettings {
        TrainSettings {
            epochs: self.epochs,
            learning_rate: self.learning_rate,
            item_learning_rate: self.learning_rate,
            batch_size: 1,
            patience: self.epochs + 1,
            seed,
            ..TrainSettings::default()
        }
    }
}

/// Result of one model on one fold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FoldResult {
    pub fold: u32,
    pub model: ModelKind,
    pub metrics: Metrics,
    pub train_seconds: f64,
    /// Transformer only: epochs run and the best epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs_run: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_epoch: Option<usize>,
}

/// Mean ± sd of each metric over folds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub model: ModelKind,
    pub folds: usize,
    /// NaN (`null` in JSON) when a fold's AUC is undefined.
    #[serde(deserialize_with = "pair_nan_if_null")]
    pub auc: (f64, f64),
    #[serde(deserialize_with = "pair_nan_if_null")]
    pub accuracy: (f64, f64),
    #[serde(deserialize_with = "pair_nan_if_null")]
    pub log_loss: (f64, f64),
    #[serde(deserialize_with = "pair_nan_if_null")]
    pub rmse: (f64, f64),
    #[serde(deserialize_with = "pair_nan_if_null")]
    pub ece: (f64, f64),
}

/// A mean and sd as JSON writes them: `null` for NaN.
fn pair_nan_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(f64, f64), D::Error> {
    let (m, sd) = <(Option<f64>, Option<f64>)>::deserialize(d)?;
    Ok((m.unwrap_or(f64::NAN), sd.unwrap_or(f64::NAN)))
}

/// Personalisation on one fold: AUC on the second half of each selected test learner, for the
/// pre-trained model and for the model fine-tuned on that learner's first half.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Personalisation {
    pub fold: u32,
    pub learners: usize,
    pub answers: usize,
    pub base: Metrics,
    pub fine_tuned: Metrics,
    pub mean_fine_tune_seconds: f64,
}

fn one() -> usize {
    1
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvalReport {
    pub students: usize,
    pub answers: usize,
    pub config: ModelConfig,
    pub epochs: usize,
    pub seed: u64,
    /// Transformers averaged per fold (1: a single model, as shipped).
    #[serde(default = "one")]
    pub ensemble: usize,
    pub folds: Vec<FoldResult>,
    pub summary: Vec<Summary>,
    pub personalisation: Vec<Personalisation>,
    pub seconds: f64,
}

impl EvalReport {
    /// The report as a text table: one row per fold and model, then mean ± sd per model.
    pub fn table(&self) -> String {
        let r = self;
        let mut s = String::new();
        if r.ensemble > 1 && r.folds.iter().any(|f| f.model == ModelKind::Transformer) {
            s += &format!(
                "transformer: ENSEMBLE of {} models per fold (averaged probabilities); the app ships one\n",
                r.ensemble
            );
        }
        s += &format!(
            "{:<12} {:>5} {:>7} {:>7} {:>8} {:>7} {:>7} {:>8}\n",
            "model", "fold", "AUC", "acc", "logloss", "RMSE", "ECE", "time(s)"
        );
        for f in &r.folds {
            let m = &f.metrics;
            s += &format!(
                "{:<12} {:>5} {:>7.4} {:>7.4} {:>8.4} {:>7.4} {:>7.4} {:>8.1}\n",
                f.model.name(),
                f.fold,
                m.auc,
                m.accuracy,
                m.log_loss,
                m.rmse,
                m.ece,
                f.train_seconds
            );
        }
        s += "\nmean ± sd over folds\n";
        for m in &r.summary {
            // One fold has a mean but no sd: say so rather than print ±0.
            let c = |x: (f64, f64)| {
                if m.folds < 2 {
                    format!("{:.4} (1 fold, no sd)", x.0)
                } else {
                    format!("{:.4}±{:.4}", x.0, x.1)
                }
            };
            s += &format!(
                "{:<12} AUC {}  acc {}  logloss {}  RMSE {}  ECE {}\n",
                m.model.name(),
                c(m.auc),
                c(m.accuracy),
                c(m.log_loss),
                c(m.rmse),
                c(m.ece)
            );
        }
        for p in &r.personalisation {
            if p.learners == 0 {
                s += &format!(
                    "personalisation fold {}: no test learner has enough answers to split\n",
                    p.fold
                );
                continue;
            }
            s += &format!(
                "personalisation fold {}: {} learners, {} answers: AUC {:.4} -> {:.4}, logloss {:.4} -> {:.4}\n",
                p.fold, p.learners, p.answers, p.base.auc, p.fine_tuned.auc, p.base.log_loss, p.fine_tuned.log_loss
            );
        }
        s
    }
}

/// The metrics of a test set, with the AUC undefined (NaN) when the answers are all correct or
/// all wrong ([`metrics::auc`] says 0.5 there, which would read as a model no better than chance).
fn test_metrics(p: &[f32], y: &[bool]) -> Metrics {
    let mut m = metrics::compute(p, y);
    if y.iter().all(|&c| c) || !y.iter().any(|&c| c) {
        m.auc = f64::NAN;
    }
    m
}

fn flatten(seqs: &[EncodedSeq], preds: &[Vec<f32>]) -> (Vec<f32>, Vec<bool>) {
    let mut p = Vec::new();
    let mut y = Vec::new();
    for (s, pr) in seqs.iter().zip(preds) {
        p.extend_from_slice(pr);
        y.extend(s.events.iter().map(|e| e.correct));
    }
    (p, y)
}

/// Summaries of fold results per model.
pub fn summarise(folds: &[FoldResult]) -> Vec<Summary> {
    let mut by: BTreeMap<ModelKind, Vec<&Metrics>> = BTreeMap::new();
    for f in folds {
        by.entry(f.model).or_default().push(&f.metrics);
    }
    by.into_iter()
        .map(|(model, ms)| {
            let col =
                |f: fn(&Metrics) -> f64| mean_sd(&ms.iter().map(|m| f(m)).collect::<Vec<_>>());
            Summary {
                model,
                folds: ms.len(),
                auc: col(|m| m.auc),
                accuracy: col(|m| m.accuracy),
                log_loss: col(|m| m.log_loss),
                rmse: col(|m| m.rmse),
                ece: col(|m| m.ece),
            }
        })
        .collect()
}

/// Runs the protocol. `log` receives one line per step (fold started, model done, epoch figures).
pub fn cross_validate(
    data: &CsvData,
    opts: &EvalOptions,
    log: &mut (dyn FnMut(&str) + Send),
) -> Result<EvalReport> {
    let t_all = Instant::now();
    // A quick run takes the first learners of each fold in file order, so every fold keeps
    // its share (a plain prefix of a file sorted by fold would be one fold).
    let seqs: Vec<&LearnerSequence> = match opts.max_students {
        None => data.sequences.iter().collect(),
        Some(n) => {
            // The folds the learners of interactions.csv are in: folds.csv may list others
            // (learners absent from this export), which would shrink every fold's share.
            let n_folds = data
                .sequences
                .iter()
                .filter_map(|s| data.folds.get(&s.learner_id))
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let per_fold = n.div_ceil(n_folds.max(1));
            let mut taken: BTreeMap<Option<u32>, usize> = BTreeMap::new();
            data.sequences
                .iter()
                .filter(|s| {
                    let c = taken.entry(data.folds.get(&s.learner_id).copied()).or_insert(0);
                    *c += 1;
                    *c <= per_fold
                })
                .collect()
        }
    };
    if seqs.is_empty() {
        return Err(Error::Data("no learners to evaluate".into()));
    }
    let missing: Vec<&str> = seqs
        .iter()
        .filter(|s| !data.folds.contains_key(&s.learner_id))
        .map(|s| s.learner_id.as_str())
        .collect();
    if let [one] = missing[..] {
        return Err(Error::Data(format!(
            "learner {one} of interactions.csv has no fold in folds.csv"
        )));
    }
    if !missing.is_empty() {
        return Err(Error::Data(format!(
            "{} of the {} learners of interactions.csv have no fold in folds.csv (first: {})",
            missing.len(),
            seqs.len(),
            missing[..missing.len().min(5)].join(", ")
        )));
    }
    let folds = folds_to_test(&seqs, &data.folds, &opts.folds)?;
    let answers = seqs.iter().map(|s| s.events.len()).sum();
    let mut results = Vec::new();
    let mut personal = Vec::new();
    for fold in folds {
        let test: Vec<LearnerSequence> = seqs
            .iter()
            .filter(|s| data.folds.get(&s.learner_id) == Some(&fold))
            .map(|s| (*s).clone())
            .collect();
        if test.is_empty() {
            return Err(Error::Data(format!("fold {fold} has no learners")));
        }
        let train_all: Vec<LearnerSequence> = seqs
            .iter()
            .filter(|s| data.folds.get(&s.learner_id) != Some(&fold))
            .map(|s| (*s).clone())
            .collect();
        if train_all.is_empty() {
            return Err(Error::Data(format!(
                "fold {fold}: no training learners in the other folds"
            )));
        }
        let (train, val) =
            split_validation(train_all.clone(), opts.training.val_fraction, opts.training.seed);
        if !opts.models.contains(&ModelKind::Transformer) {
            // The baselines train on every training learner: no validation share to speak of.
            log(&format!(
                "fold {fold}: {} training, {} test learners",
                train_all.len(),
                test.len()
            ));
        } else if val.is_empty() {
            log(&format!(
                "fold {fold}: {} train, no validation learners (too few to hold any back: early stopping watches the training loss), {} test learners",
                train.len(),
                test.len()
            ));
        } else {
            log(&format!(
                "fold {fold}: {} train, {} validation, {} test learners",
                train.len(),
                val.len(),
                test.len()
            ));
        }
        let no_val = val.is_empty();
        let mut outcomes = test.iter().flat_map(|s| &s.events).map(|e| e.correct);
        if let Some(first) = outcomes.next().filter(|&c| outcomes.all(|x| x == c)) {
            log(&format!(
                "fold {fold}: every test answer is {}: AUC is undefined for this fold (NaN in the table, null in the JSON); the other figures stand",
                if first { "correct" } else { "wrong" }
            ));
        }
        // Baselines are fitted on all training learners (they do not early-stop); the
        // transformer's vocabulary comes from the learners it trains on.
        let vocabs_all = Vocabs::build(&train_all);
        let test_enc_all = encode_all(&vocabs_all, &test);
        let train_enc_all = encode_all(&vocabs_all, &train_all);
        let mut models = opts.models.clone();
        models.sort();
        models.dedup();
        for kind in models {
            let t0 = Instant::now();
            let (preds, test_enc, epochs_run, best_epoch, model) = match kind {
                ModelKind::Bkt => {
                    let m = Bkt::fit(&train_enc_all, vocabs_all.skills.rows(), 50);
                    let p = test_enc_all.iter().map(|s| m.predict(s)).collect();
                    (p, None, None, None, None)
                }
                ModelKind::Pfa => {
                    let m = Pfa::fit(
                        &train_enc_all,
                        vocabs_all.items.rows(),
                        vocabs_all.skills.rows(),
                        &PfaOptions { seed: opts.training.seed, ..Default::default() },
                    );
                    let p = test_enc_all.iter().map(|s| m.predict(s)).collect();
                    (p, None, None, None, None)
                }
                ModelKind::Transformer => {
                    let vocabs = vocabs_for(&opts.config, &train);
                    let mut cfg = opts.config.clone();
                    cfg.n_items = vocabs.items.rows();
                    cfg.n_skills = vocabs.skills.rows();
                    let tr = encode_all(&vocabs, &train);
                    let va = encode_all(&vocabs, &val);
                    let enc = encode_all(&vocabs, &test);
                    let members = opts.ensemble.max(1);
                    let mut sum: Vec<Vec<f32>> =
                        enc.iter().map(|s| vec![0.0; s.events.len()]).collect();
                    let mut first: Option<(KtModel, usize, Option<usize>)> = None;
                    for k in 0..members {
                        let settings = TrainSettings {
                            seed: opts.training.seed + k as u64,
                            ..opts.training.clone()
                        };
                        let model =
                            KtModel::new(cfg.clone(), vocabs.clone(), &opts.device, settings.seed)?;
                        if settings.item_prior > 0.0 {
                            let (m, r) = (settings.item_prior, settings.item_prior_rasch);
                            init_item_difficulty(&model, &tr, m, r)?;
                        }
                        let mut input = TrainInput {
                            settings,
                            device: opts.device.clone(),
                            ..Default::default()
                        };
                        let logger = &mut *log;
                        input.progress = Some(Box::new(move |p: &crate::train::Progress| {
                            if no_val && p.val_loss.is_some() {
                                // Training reports its own loss as the validation loss then.
                                logger(&format!(
                                    "  fold {fold} model {} epoch {}: train loss {:.4}",
                                    k + 1,
                                    p.epoch + 1,
                                    p.train_loss
                                ));
                            } else if let (Some(vl), Some(va)) = (p.val_loss, p.val_auc) {
                                logger(&format!(
                                    "  fold {fold} model {} epoch {}: train loss {:.4}, val loss {vl:.4}, val AUC {va:.4}",
                                    k + 1,
                                    p.epoch + 1,
                                    p.train_loss
                                ));
                            }
                        }));
                        let mut out = train_encoded(model, &tr, &va, &mut input)?;
                        drop(input);
                        // The figures below are of the weights training kept; say when those
                        // are not what a finished run would give.
                        let kept = match out.best_epoch {
                            Some(b) => format!("the weights of epoch {}", b + 1),
                            None => "the UNTRAINED weights (no epoch was kept)".into(),
                        };
                        if let crate::train::StopReason::Diverged(why) = &out.stop {
                            log(&format!(
                                "  fold {fold} model {}: WARNING: training diverged ({why}); evaluating {kept}",
                                k + 1
                            ));
                        } else if out.best_epoch.is_none() {
                            log(&format!(
                                "  fold {fold} model {}: WARNING: no epoch did better on the validation learners than the start; evaluating {kept}",
                                k + 1
                            ));
                        }
                        let mut enc_k = None;
                        if let (true, Some(best)) = (opts.refit, out.best_epoch) {
                            let v_all = vocabs_for(&opts.config, &train_all);
                            let mut cfg_all = cfg.clone();
                            cfg_all.n_items = v_all.items.rows();
                            cfg_all.n_skills = v_all.skills.rows();
                            let settings = TrainSettings {
                                seed: opts.training.seed + k as u64,
                                epochs: best + 1,
                                ..opts.training.clone()
                            };
                            let all = encode_all(&v_all, &train_all);
                            let m = KtModel::new(cfg_all, v_all, &opts.device, settings.seed)?;
                            if settings.item_prior > 0.0 {
                                let r = settings.item_prior_rasch;
                                init_item_difficulty(&m, &all, settings.item_prior, r)?;
                            }
                            let mut input = TrainInput {
                                settings,
                                device: opts.device.clone(),
                                ..Default::default()
                            };
                            let refit = train_encoded(m, &all, &[], &mut input)?;
                            log(&format!(
                                "  fold {fold} model {}: refitted on {} learners for {} epoch{}",
                                k + 1,
                                train_all.len(),
                                best + 1,
                                if best == 0 { "" } else { "s" }
                            ));
                            enc_k = Some(encode_all(&refit.model.vocabs, &test));
                            out.model = refit.model;
                        }
                        let p = out.model.predict_encoded(enc_k.as_ref().unwrap_or(&enc))?;
                        if members > 1 {
                            let (pf, y) = flatten(&enc, &p);
                            log(&format!(
                                "  fold {fold} model {}: test AUC {:.4} on its own",
                                k + 1,
                                test_metrics(&pf, &y).auc
                            ));
                        }
                        for (acc, pk) in sum.iter_mut().zip(&p) {
                            for (a, x) in acc.iter_mut().zip(pk) {
                                *a += x / members as f32;
                            }
                        }
                        if first.is_none() {
                            first = Some((out.model, out.epochs.len(), out.best_epoch));
                        }
                    }
                    let (model, n_ep, best) = first.expect("at least one member");
                    (sum, Some(enc), Some(n_ep), best, Some(model))
                }
            };
            let secs = t0.elapsed().as_secs_f64();
            let (p, y) = flatten(test_enc.as_deref().unwrap_or(&test_enc_all), &preds);
            let m = test_metrics(&p, &y);
            log(&format!(
                "fold {fold} {:<11} AUC {:.4}  acc {:.4}  logloss {:.4}  rmse {:.4}  ece {:.4}  ({secs:.1}s)",
                kind.name(),
                m.auc,
                m.accuracy,
                m.log_loss,
                m.rmse,
                m.ece
            ));
            results.push(FoldResult {
                fold,
                model: kind,
                metrics: m,
                train_seconds: secs,
                epochs_run,
                best_epoch,
            });
            if let (Some(model), Some(po)) = (model, opts.personalise) {
                let r = personalise(&model, &test, fold, &po, opts.training.seed)?;
                if r.learners == 0 {
                    log(&format!(
                        "fold {fold} personalisation: no test learner has at least {} answers: nothing to fine-tune",
                        po.min_answers.max(MIN_PERSONALISE_ANSWERS)
                    ));
                } else {
                    log(&format!(
                        "fold {fold} personalisation: {} learners, AUC second half {:.4} -> {:.4} ({:.2}s per learner)",
                        r.learners, r.base.auc, r.fine_tuned.auc, r.mean_fine_tune_seconds
                    ));
                    if r.base.auc.is_nan() {
                        log(&format!(
                            "fold {fold} personalisation: the second halves' answers are all correct or all wrong: AUC is undefined (NaN); the log loss stands"
                        ));
                    }
                }
                personal.push(r);
            }
        }
    }
    let summary = summarise(&results);
    Ok(EvalReport {
        students: seqs.len(),
        answers,
        config: opts.config.clone(),
        epochs: opts.training.epochs,
        seed: opts.training.seed,
        ensemble: opts.ensemble.max(1),
        folds: results,
        summary,
        personalisation: personal,
        seconds: t_all.elapsed().as_secs_f64(),
    })
}

/// The folds to test: `asked`, or every fold of the learners in the run when it is empty. All
/// are checked before anything is trained (a fold asked for twice or that no learner in the
/// run has, fewer than two folds), so a mistake does not surface after hours of training.
fn folds_to_test(
    seqs: &[&LearnerSequence],
    fold_of: &std::collections::HashMap<String, u32>,
    asked: &[u32],
) -> Result<Vec<u32>> {
    let present: std::collections::BTreeSet<u32> =
        seqs.iter().filter_map(|s| fold_of.get(&s.learner_id).copied()).collect();
    let listed = || present.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    if present.len() < 2 {
        return Err(Error::Data(format!(
            "the learners are all in fold {}: cross-validation needs at least two folds in folds.csv",
            listed()
        )));
    }
    if asked.is_empty() {
        return Ok(present.into_iter().collect());
    }
    for (i, f) in asked.iter().enumerate() {
        if asked[..i].contains(f) {
            return Err(Error::Data(format!("fold {f} is asked for twice")));
        }
        if !present.contains(f) {
            return Err(Error::Data(format!(
                "fold {f} has no learners (the learners are in folds {})",
                listed()
            )));
        }
    }
    Ok(asked.to_vec())
}

/// Fewest answers a learner needs to be split into halves for personalisation, whatever
/// `PersonaliseOptions::min_answers` says.
const MIN_PERSONALISE_ANSWERS: usize = 4;

/// Fine-tunes `base` on the first half of each selected learner and compares predictions of the
/// second half (both models see the whole first half as context).
pub fn personalise(
    base: &KtModel,
    test: &[LearnerSequence],
    fold: u32,
    po: &PersonaliseOptions,
    seed: u64,
) -> Result<Personalisation> {
    let chosen: Vec<&LearnerSequence> = test
        .iter()
        .filter(|s| s.events.len() >= po.min_answers.max(MIN_PERSONALISE_ANSWERS))
        .take(po.max_learners)
        .collect();
    let (mut pb, mut pf, mut y) = (Vec::new(), Vec::new(), Vec::new());
    let mut secs = 0.0;
    for s in &chosen {
        let half = s.events.len() / 2;
        let enc = encode_all(&base.vocabs, std::slice::from_ref(*s));
        let first =
            LearnerSequence { learner_id: s.learner_id.clone(), events: s.events[..half].to_vec() };
        let first_enc = encode_all(&base.vocabs, std::slice::from_ref(&first));
        let before = base.predict_encoded(&enc)?;
        let t0 = Instant::now();
        let tuned = base.fork(&base.device)?;
        let mut input = TrainInput {
            settings: po.training(seed),
            device: base.device.clone(),
            ..Default::default()
        };
        let out = train_encoded(tuned, &first_enc, &[], &mut input)?;
        secs += t0.elapsed().as_secs_f64();
        let after = out.model.predict_encoded(&enc)?;
        pb.extend_from_slice(&before[0][half..]);
        pf.extend_from_slice(&after[0][half..]);
        y.extend(s.events[half..].iter().map(|e| e.correct));
    }
    Ok(Personalisation {
        fold,
        learners: chosen.len(),
        answers: y.len(),
        base: test_metrics(&pb, &y),
        fine_tuned: test_metrics(&pf, &y),
        mean_fine_tune_seconds: secs / chosen.len().max(1) as f64,
    })
}
