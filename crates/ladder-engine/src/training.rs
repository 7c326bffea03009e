//! Which learner model runs, and the background job that trains it on the device.
//!
//! Front ends (the desktop app, `ladder serve`, `ladder train`) call this module and nothing in
//! `ladder-model` directly. Three things live here:
//!
//! **1. Choosing the active model** — [`active_predictor`] for one learner or for all,
//! [`active_predictors`] for every learner at once (or [`use_active_model`] to install them in
//! an [`Engine`]). In order, the first that loads wins:
//!
//! 1. the learner's own fine-tuned model, when the store's model registry has an active one
//!    for them (`ModelScope::Learner`; `ladder train --learner`);
//! 2. the device's active fine-tuned model (`ModelScope::Device`), a checkpoint under
//!    `<data dir>/models/device/NNNN`;
//! 3. the bundled default model (`models/default` in the repository, shipped with the app: the
//!    caller passes its folder);
//! 4. the built-in [`OnlineLogistic`] predictor, which needs no weights.
//!
//! A checkpoint that fails to load (missing, truncated, checksum or shape mismatch, wrong
//! config) is skipped and reported in [`ActiveModel::skipped`], never a crash. Courses the
//! chosen model does not know fall back to skills and the pack's difficulty priors (see
//! [`crate::predictor::transformer`]).
//!
//! ```no_run
//! # fn main() -> ladder_engine::Result<()> {
//! use std::path::Path;
//! use ladder_engine::{training, Engine, EngineOptions};
//! let mut engine = Engine::open(Path::new("data"), EngineOptions::default())?;
//! let info = training::use_active_model(&mut engine, Some(Path::new("models/default")));
//! eprintln!("model: {} ({} skipped)", info.source.describe(), info.skipped.len());
//! # Ok(()) }
//! ```
//!
//! **2. The training job** — [`run_training`]`(data_dir, &TrainJob, progress, abort)`. It opens
//! its own store connection (run it on a worker thread; the engine keeps serving meanwhile),
//! reads every stored first answer (all learners, or `TrainJob::learner` only), holds back the
//! latest `TrainJob::holdout` share of each learner's answers on each course (at most
//! `TrainJob::max_held_back` of each), fine-tunes the current model (the one [`active_predictor`]
//! would pick; a fresh model when that is the built-in predictor; for a learner whose own model
//! started from an older device model, the device's model of today) on the rest, choosing the
//! epoch on the earlier half of the held-back answers, and compares the new model with the
//! current one on the later half. Every version records how many answers of each history it
//! learnt from; a job that starts from such a version trains, each epoch, only on the windows
//! holding answers new to it and on a replay of `TrainJob::replay` older windows (or as many as
//! the new ones), so its cost follows what is new, not the whole history. A first job (from the
//! bundled model, or none), a CSV and a forced one train on every answer. With no answer since
//! the active model was trained it does nothing (`Outcome::UpToDate`) unless `TrainJob::force`. Only when the new model's log loss on the compared answers is lower than
//! the current one's by at least `TrainJob::min_improvement` does it save the checkpoint under
//! the data directory (temporary files, fsync, rename), record it in the store's model
//! registry with its metrics and make it active, removing the scope's versions beyond
//! `TrainJob::keep_versions` (the active one and the one before it always stay). A checkpoint
//! that cannot be registered, say because its learner was deleted meanwhile, is removed again;
//! a models folder that cannot be written is an error before any training. When another job
//! (the app's, a `ladder train`) made another model active while this one ran, the new model,
//! never compared with that one, is not used: the outcome is `KeptCurrent` and the message says
//! so. It returns a [`JobReport`] whose [`Outcome`] says what happened: `Improved`,
//! `KeptCurrent`, `UpToDate`, `Cancelled` or `NotEnoughData`. [`rollback`] makes the version
//! before the active one active again. Every version records the learners it learnt from
//! (through the model it started from too); [`forget_deleted_learners`], which every job calls
//! first, sets aside those that learnt from a learner deleted since (the model in use goes back
//! to one that did not, their checkpoints are deleted), and none of them runs meanwhile.
//! After `Improved`, call [`use_active_model`] again to swap the engine's predictor.
//!
//! - `progress` receives [`JobProgress`] after every training step and epoch: phase, epoch,
//!   step, training loss and (at the end of an epoch) the loss and AUC on the answers that
//!   choose the epoch; and while the compared answers are scored (by the current model before
//!   training, by the new one after), after every chunk of 32 sequences (`JobPhase::Evaluating`, `step` of `steps` chunks).
//! - `abort`: set it from any thread; the job stops after the current training step or scoring
//!   chunk (well under a second with the shipped config), returns `Outcome::Cancelled` and
//!   changes nothing.
//! - Errors ([`crate::Error`]) are for a store or disk that fails; too little data is an
//!   outcome, not an error.
//!
//! ```no_run
//! # fn main() -> ladder_engine::Result<()> {
//! use std::sync::{atomic::AtomicBool, Arc};
//! use ladder_engine::training::{run_training, TrainJob};
//! let abort = Arc::new(AtomicBool::new(false));
//! let job = TrainJob { bundled: Some("models/default".into()), ..TrainJob::default() };
//! let report = run_training("data".as_ref(), &job, &mut |p| eprintln!("{p:?}"), abort)?;
//! println!("{:?}: {}", report.outcome, report.message);
//! # Ok(()) }
//! ```
//!
//! **3. The default model** — [`pretrain_simulated`] trains a model from scratch on simulated
//! students working through course packs (used to build `models/default`, see
//! `models/README.md`) and measures it against BKT, PFA and the built-in predictor on
//! simulated students it never saw.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use ladder_model::bkt::Bkt;
use ladder_model::data::{encode_all, LearnerSequence};
use ladder_model::infer::KtModel;
use ladder_model::metrics::{self, Metrics};
use ladder_model::model::ModelConfig;
use ladder_model::pfa::{Pfa, PfaOptions};
use ladder_model::train::{predict_from, train, StopReason, TrainInput, TrainSettings};
use ladder_store::{Event, EventId, LearnerId, ModelScope, ModelVersionId, NewModelVersion, Store};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::error::{Error, Result};
use crate::packs::{build_course, load_course, LoadedCourse};
use crate::predictor::elo::OnlineLogistic;
use crate::predictor::transformer::{interactions, TransformerPredictor};
use crate::predictor::{Attempt, Predictor, Predictors};
use crate::settings::Settings;
use crate::sim::model_student::simulated_population;
use crate::state::LearnerState;
use crate::Engine;

/// Where the data directory keeps fine-tuned checkpoints.
pub const MODELS_SUBDIR: &str = "models";

// ----- 1. the active model ------------------------------------------------------------------

/// Where the running model came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum ModelSource {
    /// A fine-tuned model from the store's registry.
    FineTuned {
        version: i64,
        /// `"device"` or `"learner"`.
        scope: String,
        checkpoint: PathBuf,
    },
    /// The default model shipped with the app.
    Bundled { checkpoint: PathBuf },
    /// No trained model: the built-in online logistic predictor.
    BuiltIn,
}

impl ModelSource {
    /// One line for people ("fine-tuned model 3 (device)", ...).
    pub fn describe(&self) -> String {
        match self {
            ModelSource::FineTuned { version, scope, checkpoint } => {
                format!("fine-tuned model {version} ({scope}, {})", checkpoint.display())
            }
            ModelSource::Bundled { checkpoint } => {
                format!("bundled default model ({})", checkpoint.display())
            }
            ModelSource::BuiltIn => "built-in online-logistic predictor (no trained model)".into(),
        }
    }
}

/// The chosen predictor, where it came from, and what was skipped on the way.
pub struct ActiveModel {
    pub predictor: Box<dyn Predictor>,
    pub source: ModelSource,
    /// One line per checkpoint that could not be used, saying which and why.
    pub skipped: Vec<String>,
}

/// What [`use_active_model`] installed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInfo {
    /// The model shared by every learner without one of their own.
    pub source: ModelSource,
    /// The learners who run their own model, each with its source (by learner id).
    pub own: Vec<(LearnerId, ModelSource)>,
    pub skipped: Vec<String>,
}

/// A loaded trained model and where it came from.
pub struct LoadedModel {
    pub model: KtModel,
    pub source: ModelSource,
}

/// Loads the checkpoint a registry entry points at, on the CPU.
fn load_version(
    store: &Store,
    v: &ladder_store::ModelVersion,
) -> std::result::Result<LoadedModel, String> {
    let device = ladder_model::device::select("cpu")
        .map_err(|e| format!("no CPU device for model version {}: {e}", v.id.0))?;
    let scope = match v.scope {
        ModelScope::Device => "device",
        ModelScope::Learner(_) => "learner",
    };
    let dir = store.data_dir().join(&v.checkpoint);
    match ladder_model::checkpoint::load(&dir, &device) {
        Ok(model) => Ok(LoadedModel {
            model,
            source: ModelSource::FineTuned {
                version: v.id.0,
                scope: scope.into(),
                checkpoint: PathBuf::from(&v.checkpoint),
            },
        }),
        Err(e) => Err(format!("model version {} skipped: {e}", v.id.0)),
    }
}

/// Loads `v` for use, unless it learnt from the answers of a learner deleted since (or whom it
/// learnt from cannot be read): such a version never runs. The error says why it does not.
fn load_runnable(
    store: &Store,
    v: &ladder_store::ModelVersion,
) -> std::result::Result<LoadedModel, String> {
    match deleted_learners_of(store, v) {
        Ok(gone) if gone.is_empty() => load_version(store, v),
        Ok(gone) => Err(unlearned_reason(v, &gone)),
        Err(e) => Err(format!("cannot read the learners a model learnt from: {e}")),
    }
}

/// The trained model [`active_predictor`] would use (`None`: none loads, the built-in predictor
/// runs), plus the reasons for every checkpoint skipped.
pub fn current_model(
    store: &Store,
    bundled: Option<&Path>,
    learner: Option<LearnerId>,
) -> (Option<LoadedModel>, Vec<String>) {
    let mut skipped = Vec::new();
    let device = match ladder_model::device::select("cpu") {
        Ok(d) => d,
        Err(e) => {
            skipped.push(format!("no CPU device for the model: {e}"));
            return (None, skipped);
        }
    };
    let mut scopes = Vec::new();
    if let Some(l) = learner {
        scopes.push(ModelScope::Learner(l));
    }
    scopes.push(ModelScope::Device);
    for scope in scopes {
        let version = match store.read(|tx| tx.active_model(scope)) {
            Ok(v) => v,
            Err(e) => {
                skipped.push(format!("cannot read the model registry: {e}"));
                continue;
            }
        };
        let Some(v) = version else { continue };
        match load_runnable(store, &v) {
            Ok(m) => return (Some(m), skipped),
            Err(why) => skipped.push(why),
        }
    }
    if let Some(dir) = bundled {
        match ladder_model::checkpoint::load(dir, &device) {
            Ok(model) => {
                return (
                    Some(LoadedModel {
                        model,
                        source: ModelSource::Bundled { checkpoint: dir.to_path_buf() },
                    }),
                    skipped,
                )
            }
            Err(e) => skipped.push(format!("bundled model skipped: {e}")),
        }
    }
    (None, skipped)
}

/// The predictor the front ends should run for `learner` (`None`: the shared one; see the
/// module docs for the order).
pub fn active_predictor(
    store: &Store,
    bundled: Option<&Path>,
    learner: Option<LearnerId>,
    settings: &Settings,
) -> ActiveModel {
    let (loaded, skipped) = current_model(store, bundled, learner);
    match loaded {
        Some(m) => ActiveModel {
            predictor: Box::new(TransformerPredictor::new(m.model, settings.clone())),
            source: m.source,
            skipped,
        },
        None => ActiveModel {
            predictor: Box::new(OnlineLogistic::new(settings.clone())),
            source: ModelSource::BuiltIn,
            skipped,
        },
    }
}

/// Every model the front ends should run: the shared one ([`active_predictor`] with no
/// learner) and the active own model of each learner who has one. A learner whose own
/// checkpoint does not load runs the shared model (the reason is in `skipped`).
pub fn active_predictors(
    store: &Store,
    bundled: Option<&Path>,
    settings: &Settings,
) -> (Predictors, ModelInfo) {
    let shared = active_predictor(store, bundled, None, settings);
    let mut predictors = Predictors::shared(shared.predictor);
    let mut info = ModelInfo { source: shared.source, own: Vec::new(), skipped: shared.skipped };
    let versions = match store.read(|tx| tx.active_learner_models()) {
        Ok(v) => v,
        Err(e) => {
            info.skipped.push(format!("cannot read the learners' own models: {e}"));
            Vec::new()
        }
    };
    for v in versions {
        let ModelScope::Learner(learner) = v.scope else { continue };
        match load_runnable(store, &v) {
            Ok(m) => {
                let p = TransformerPredictor::new(m.model, settings.clone());
                predictors.own.insert(learner, Box::new(p));
                info.own.push((learner, m.source));
            }
            Err(why) => info.skipped.push(format!("learner {}: {why}", learner.0)),
        }
    }
    (predictors, info)
}

/// Picks the active models for `engine`'s store (the shared one and the learners' own) and
/// installs them as the engine's predictors.
pub fn use_active_model(engine: &mut Engine, bundled: Option<&Path>) -> ModelInfo {
    let (predictors, info) = active_predictors(engine.store(), bundled, &engine.settings().clone());
    engine.set_predictors(predictors);
    engine.set_model_info(info.clone());
    info
}

// ----- 2. the training job ------------------------------------------------------------------

/// Model versions of one scope (the device, or one learner) that a job keeps after it makes a
/// new one active: that one, the one before it, and one more.
pub const KEEP_VERSIONS: usize = 3;

/// What a training job does. `TrainJob::default()` fine-tunes the device model on every
/// learner's history.
#[derive(Debug, Clone)]
pub struct TrainJob {
    /// Train on this learner only, and register the result as their own model.
    pub learner: Option<LearnerId>,
    /// Train on these sequences instead of the stored history (`ladder train --from-csv`); the
    /// result is registered as the device model. Ids must be the model's (`pack/item`).
    pub corpus: Option<Vec<LearnerSequence>>,
    /// The bundled default model's folder (the starting point when no fine-tuned model exists).
    pub bundled: Option<PathBuf>,
    /// Share of each learner's latest answers (per course) held back: the earlier half of them
    /// chooses the epoch (early stopping), the later half compares the new model with the
    /// current one, so that the comparison is made on answers that chose nothing.
    pub holdout: f32,
    /// The most answers held back of one history (learner and course), whatever its length:
    /// a year's history holds back its latest 100, not a fifth of it, so that scoring them
    /// (before training, after every epoch and after training) does not grow with the history.
    pub max_held_back: usize,
    /// A job on what is new rehearses this many windows (of 100 answers with the shipped
    /// config) of older answers every epoch, drawn afresh, or as many as the new ones when
    /// more, so that learning the new answers does not forget the old (default 160: a class's
    /// first months are replayed whole, as a full retraining would train them; at a year,
    /// about a sixth of them each job; docs/model.md has the measurements).
    pub replay: usize,
    /// Fewer training answers than this: `Outcome::NotEnoughData`.
    pub min_train_answers: usize,
    /// Fewer answers to compare the models on than this: `Outcome::NotEnoughData`.
    pub min_held_back: usize,
    /// Fewer answers to choose the epoch on than this: `Outcome::NotEnoughData`.
    pub min_stopping_answers: usize,
    /// Train even when no answer came since the active model was trained (or, with a
    /// `corpus`, when the active model was trained on this very corpus); without it such a job
    /// ends `Outcome::UpToDate` at once. A forced job trains on every answer (as `full`).
    pub force: bool,
    /// Versions of the job's scope kept on disk and in the registry after a new one is made
    /// active: the active one, the one before it, and the newest others up to this number.
    /// Older ones are removed (rows and folders).
    pub keep_versions: usize,
    /// The new model must lower the held-back log loss by at least this much.
    pub min_improvement: f64,
    /// Fine-tuning settings (default: at most 6 epochs, AdamW 1e-3, item scalars 5e-3, batches
    /// of 16 windows, patience 2, seed 1).
    pub training: TrainSettings,
    /// Architecture when there is no trained model to start from.
    pub config: ModelConfig,
}

impl Default for TrainJob {
    fn default() -> Self {
        TrainJob {
            learner: None,
            corpus: None,
            bundled: None,
            holdout: 0.2,
            max_held_back: 100,
            replay: 160,
            min_train_answers: 40,
            min_held_back: 10,
            min_stopping_answers: 5,
            force: false,
            keep_versions: KEEP_VERSIONS,
            min_improvement: 1e-4,
            training: TrainSettings {
                epochs: 6,
                learning_rate: 1e-3,
                item_learning_rate: 5e-3,
                batch_size: 16,
                patience: 2,
                seed: 1,
                ..TrainSettings::default()
            },
            config: ModelConfig::default(),
        }
    }
}

/// What the job is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobPhase {
    Loading,
    Training,
    Evaluating,
    Saving,
}

/// Progress of a job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobProgress {
    pub phase: JobPhase,
    /// 0-based epoch and the number planned.
    pub epoch: usize,
    pub epochs: usize,
    /// Steps (batches) done in this epoch and their number; while scoring the held-back
    /// answers (`Evaluating`), the chunks of sequences scored and their number.
    pub step: usize,
    pub steps: usize,
    /// Mean training loss so far in this epoch.
    pub loss: Option<f32>,
    /// At the end of an epoch: the loss and AUC on the held-back answers that choose the epoch
    /// (not those the models are compared on).
    pub held_back_loss: Option<f32>,
    pub held_back_auc: Option<f64>,
}

impl JobProgress {
    fn phase(phase: JobPhase) -> Self {
        JobProgress {
            phase,
            epoch: 0,
            epochs: 0,
            step: 0,
            steps: 0,
            loss: None,
            held_back_loss: None,
            held_back_auc: None,
        }
    }
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The new model beat the current one on the held-back answers and is now active.
    Improved,
    /// The new model was not better; nothing changed.
    KeptCurrent,
    /// The abort flag was set; nothing changed.
    Cancelled,
    /// Too few stored answers to train and compare; nothing changed.
    NotEnoughData,
    /// No answer came since the active model was trained (or, with a corpus, it was trained
    /// on that corpus): nothing to learn, nothing changed (`TrainJob::force` trains anyway).
    UpToDate,
}

/// The model a job found up to date (the active one, or a newer one rolled back from): which
/// version, what it was trained on, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainedVersion {
    pub version: i64,
    /// The answers it was trained on (`None` for a version registered without that figure).
    pub train_answers: Option<usize>,
    /// When it was made (milliseconds since the Unix epoch).
    pub created_ms: i64,
    /// It is not in use: it was rolled back ([`rollback`]), and a job on the same answers
    /// would make much the same model again.
    pub rolled_back: bool,
}

/// Figures of one model on the held-back answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeldBack {
    pub answers: usize,
    /// NaN (`null` in JSON) when the held-back answers are all right or all wrong.
    pub auc: f64,
    pub log_loss: f64,
    pub accuracy: f64,
}

impl From<&Metrics> for HeldBack {
    fn from(m: &Metrics) -> Self {
        HeldBack { answers: m.n, auc: m.auc, log_loss: m.log_loss, accuracy: m.accuracy }
    }
}

/// The answers a training job needs before it trains ([`JobReport::needs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Needs {
    pub train_answers: usize,
    pub stopping_answers: usize,
    pub held_back_answers: usize,
}

/// What a job did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobReport {
    pub outcome: Outcome,
    /// One or two sentences for people.
    pub message: String,
    /// The model the job started from.
    pub base: ModelSource,
    pub learners: usize,
    pub train_answers: usize,
    /// Of `train_answers`, those the model the job starts from had not learnt from: all of
    /// them for a first job, a forced or `full` one, or a CSV; otherwise the answers since
    /// that model was trained (each epoch trains their windows and a replay of older ones).
    pub new_answers: usize,
    /// Held-back answers that choose the epoch (early stopping).
    pub stopping_answers: usize,
    /// Held-back answers on which the new model is compared with the current one (the latest
    /// of each history; they choose nothing).
    pub held_back_answers: usize,
    /// With `Outcome::NotEnoughData`: the answers a job needs of each kind (the job's
    /// `min_train_answers`, `min_stopping_answers` and `min_held_back`), so that a front end
    /// can say how far off training is.
    pub needs: Option<Needs>,
    /// With `Outcome::UpToDate`: the active model, which no new answer would change.
    pub current: Option<TrainedVersion>,
    /// The current model on the held-back answers.
    pub before: Option<HeldBack>,
    /// The new model on the held-back answers.
    pub after: Option<HeldBack>,
    pub epochs_run: usize,
    /// Set when the outcome is `Improved`.
    pub version: Option<i64>,
    /// The new checkpoint, relative to the data directory.
    pub checkpoint: Option<String>,
    pub seconds: f64,
    /// Checkpoints that could not be loaded while finding the current model.
    pub skipped: Vec<String>,
    /// Old versions removed after the new one was made active (checkpoint paths relative to
    /// the data directory).
    pub removed: Vec<String>,
    /// Old versions forgotten by the registry whose folder could not be deleted, with why.
    pub warnings: Vec<String>,
    /// What the job set aside before it began: versions that learnt from the answers of
    /// learners deleted since ([`forget_deleted_learners`]); `None` when there were none.
    pub unlearned: Option<Unlearned>,
}

/// One sequence for the job: the history, where its held-back tail starts, and (for stored
/// history) the course and attempts, so the built-in predictor can be scored on it too.
struct Sample {
    seq: LearnerSequence,
    /// Answers before `split` are trained on; from `split` to `compare_from` they choose the
    /// epoch; from `compare_from` on they compare the models.
    split: usize,
    compare_from: usize,
    /// The first training answer new to the model the job starts from (0: all of them).
    new_from: usize,
    course: Option<(Arc<LoadedCourse>, Vec<Attempt>)>,
}

/// A stored history: the learner, `learner:pack`, the course, the first answers.
type StoredHistory = (LearnerId, String, Arc<LoadedCourse>, Vec<Attempt>);

/// Every stored first answer, one sequence per learner and course (oldest first), and the id of
/// the newest event read.
fn stored_histories(
    store: &Store,
    learner: Option<LearnerId>,
) -> Result<(Vec<StoredHistory>, Option<EventId>)> {
    let learners: Vec<LearnerId> = match learner {
        Some(l) => vec![l],
        None => store.read(|tx| tx.learners(true))?.into_iter().map(|l| l.id).collect(),
    };
    let mut courses: HashMap<String, Option<Arc<LoadedCourse>>> = HashMap::new();
    let mut out = Vec::new();
    let mut newest: Option<EventId> = None;
    for l in learners {
        let records = store.read(|tx| tx.events(l, None))?;
        // Load the courses these events need first (the fold's callback cannot fail).
        for r in &records {
            if let Some(item) = r.event.item() {
                if !courses.contains_key(&item.pack) {
                    let c = store.read(|tx| Ok(load_course(tx, &item.pack)))??;
                    courses.insert(item.pack.clone(), c.map(Arc::new));
                }
            }
            if matches!(r.event, Event::Answer { .. }) {
                newest = newest.max(Some(r.id));
            }
        }
        let mut state = LearnerState::default();
        for r in &records {
            state.apply(r, &mut |p: &str| courses.get(p).cloned().flatten(), &mut |_| None);
        }
        let mut packs: Vec<_> = state.courses.into_iter().collect();
        packs.sort_by(|a, b| a.0.cmp(&b.0));
        for (pack, h) in packs {
            if h.attempts.is_empty() {
                continue;
            }
            if let Some(Some(c)) = courses.get(&pack) {
                out.push((l, format!("{}:{pack}", l.0), c.clone(), h.attempts));
            }
        }
    }
    Ok((out, newest))
}

fn split_point(n: usize, holdout: f32, max_held_back: usize) -> usize {
    if n < 5 {
        return n;
    }
    let k = ((n as f32 * holdout.clamp(0.0, 0.9)).round() as usize).clamp(1, max_held_back.max(1));
    n - k
}

/// Whether `base`, a model's recorded starting point (`ModelSource` as JSON, in its metrics), is
/// `source`: the same kind, and for a fine-tuned one the same version (a bundled model's path
/// may be written another way by another front end).
fn same_start(base: Option<&serde_json::Value>, source: &ModelSource) -> bool {
    let Some(base) = base else { return false };
    let Ok(now) = serde_json::to_value(source) else { return false };
    base.get("source") == now.get("source") && base.get("version") == now.get("version")
}

/// Where a history of `n` answers is cut: `(split, compare_from)` (see [`Sample`]). The held
/// back answers, the latest `holdout` share but at most `max_held_back`, go half to choosing
/// the epoch, half (the later ones; one more when odd) to comparing the models.
fn split_points(n: usize, holdout: f32, max_held_back: usize) -> (usize, usize) {
    let split = split_point(n, holdout, max_held_back);
    (split, split + (n - split) / 2)
}

/// A fingerprint of the sequences a job learns from (SHA-256 of their JSON form, as
/// checkpoints are summed): recorded with a model trained on them, so that the same answers given
/// again are known (the same CSV, or stored history in which only second tries at an item came
/// since).
fn corpus_fingerprint(seqs: &[&LearnerSequence]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    // Writing into memory cannot fail; a sequence that does not serialise only weakens the
    // fingerprint.
    let _ = serde_json::to_writer(&mut h, seqs);
    hex::encode(h.finalize())
}

/// The figures of `pred` against `truth`. When every held-back answer is right (or every one
/// wrong) there is nothing to rank: the AUC is undefined (NaN, `null` in JSON), not the 0.5 that
/// would read as a model no better than chance (as `ladder eval` reports such a fold).
fn metrics_from(pred: &[f32], truth: &[bool]) -> HeldBack {
    let mut figures = HeldBack::from(&metrics::compute(pred, truth));
    if truth.iter().all(|&y| y) || truth.iter().all(|&y| !y) {
        figures.auc = f64::NAN;
    }
    figures
}

/// A scoring of the held-back answers, which the abort flag may stop between chunks.
enum Scored<T> {
    Done(T),
    Cancelled,
}

/// Sequences scored at once on the held-back answers: between chunks the job reports progress
/// (`JobPhase::Evaluating`, step = chunks done) and looks at the abort flag (scoring 400
/// learners at once took 20 s, with Ctrl-C unheard).
const EVAL_CHUNK: usize = 32;

/// Reports that `done` of `total` chunks are scored; true when the job is to stop.
fn scoring_step(
    progress: &mut (dyn FnMut(&JobProgress) + Send),
    abort: &AtomicBool,
    done: usize,
    total: usize,
) -> bool {
    progress(&JobProgress { step: done, steps: total, ..JobProgress::phase(JobPhase::Evaluating) });
    abort.load(Ordering::SeqCst)
}

/// The built-in predictor's predictions of the held-back answers: each from the answers before
/// it, as the engine would have asked at that moment (`None` for sequences with no course: a
/// CSV corpus).
fn builtin_held_back(
    samples: &[Sample],
    settings: &Settings,
    progress: &mut (dyn FnMut(&JobProgress) + Send),
    abort: &AtomicBool,
) -> Result<Scored<Option<HeldBack>>> {
    if samples.iter().any(|s| s.course.is_none()) {
        return Ok(Scored::Done(None));
    }
    let model = OnlineLogistic::new(settings.clone());
    let mut p = Vec::new();
    let mut y = Vec::new();
    let total = samples.len().div_ceil(EVAL_CHUNK);
    for (k, chunk) in samples.chunks(EVAL_CHUNK).enumerate() {
        if scoring_step(progress, abort, k, total) {
            return Ok(Scored::Cancelled);
        }
        for s in chunk {
            let Some((loaded, attempts)) = &s.course else { return Ok(Scored::Done(None)) };
            for t in s.compare_from..attempts.len() {
                let a = &attempts[t];
                let out = model.assess(&loaded.course, &attempts[..t], &[a.item], a.at)?;
                p.push(out.items.first().copied().unwrap_or(0.5));
                y.push(a.correct);
            }
        }
    }
    if scoring_step(progress, abort, total, total) {
        return Ok(Scored::Cancelled);
    }
    Ok(Scored::Done(Some(metrics_from(&p, &y))))
}

/// `model`'s predictions of the held-back answers, each from the answers before it.
fn held_back_of(
    model: &KtModel,
    samples: &[Sample],
    progress: &mut (dyn FnMut(&JobProgress) + Send),
    abort: &AtomicBool,
) -> Result<Scored<HeldBack>> {
    let mut p = Vec::new();
    let mut y = Vec::new();
    let total = samples.len().div_ceil(EVAL_CHUNK);
    for (k, chunk) in samples.chunks(EVAL_CHUNK).enumerate() {
        if scoring_step(progress, abort, k, total) {
            return Ok(Scored::Cancelled);
        }
        let seqs: Vec<LearnerSequence> = chunk.iter().map(|s| s.seq.clone()).collect();
        let enc = encode_all(&model.vocabs, &seqs);
        // Only the windows that reach the compared answers are run: the same predictions as
        // scoring the whole history, at the cost of those answers and a window of context.
        let from: Vec<usize> = chunk.iter().map(|s| s.compare_from).collect();
        let preds = predict_from(model, &enc, &from).map_err(Error::model)?;
        for (s, pr) in chunk.iter().zip(&preds) {
            p.extend_from_slice(pr);
            let from = s.compare_from.min(s.seq.events.len());
            y.extend(s.seq.events[from..].iter().map(|e| e.correct));
        }
    }
    if scoring_step(progress, abort, total, total) {
        return Ok(Scored::Cancelled);
    }
    Ok(Scored::Done(metrics_from(&p, &y)))
}

/// The folder of `scope`'s checkpoints (`models/device`, `models/learner-ID`), absolute and
/// relative to the data directory.
fn checkpoints_of(data_dir: &Path, scope: ModelScope) -> (PathBuf, String) {
    let sub = match scope {
        ModelScope::Device => "device".to_string(),
        ModelScope::Learner(l) => format!("learner-{}", l.0),
    };
    (data_dir.join(MODELS_SUBDIR).join(&sub), format!("{MODELS_SUBDIR}/{sub}"))
}

fn cannot_write(path: &Path, e: std::io::Error) -> Error {
    Error::model(format!(
        "cannot write the model to {}: {e}; the active model is unchanged",
        path.display()
    ))
}

/// Checks, before any training, that the checkpoint folder of `scope` can be written, so that a
/// read-only or blocked models folder fails now rather than after the whole run.
/// Folders it had to create are removed again (a job that saves nothing leaves nothing).
fn check_checkpoints_writable(data_dir: &Path, scope: ModelScope) -> Result<()> {
    let (base, _) = checkpoints_of(data_dir, scope);
    let created: Vec<PathBuf> =
        [base.clone(), data_dir.join(MODELS_SUBDIR)].into_iter().filter(|d| !d.exists()).collect();
    let probe = base.join(format!(".write-check-{}", std::process::id()));
    let result = std::fs::create_dir_all(&base)
        .and_then(|()| std::fs::write(&probe, b""))
        .map_err(|e| cannot_write(&base, e));
    let _ = std::fs::remove_file(&probe);
    for d in created {
        let _ = std::fs::remove_dir(d);
    }
    result
}

/// Claims a new, empty checkpoint folder `NNNN` of `scope`: `create_dir` fails when the name is
/// taken, so two jobs at once (the app's and `ladder train`) never write into the same folder;
/// and a name the registry records (`recorded`, relative paths) is skipped even when its folder
/// is gone, so that no two versions name one folder.
fn claim_checkpoint_dir(
    data_dir: &Path,
    scope: ModelScope,
    recorded: &std::collections::HashSet<String>,
) -> Result<(PathBuf, String)> {
    let (base, rel_base) = checkpoints_of(data_dir, scope);
    std::fs::create_dir_all(&base).map_err(|e| cannot_write(&base, e))?;
    // Above every number recorded or on disk: old versions are removed (rows and folders), and
    // a new version must not take the number of one that is gone.
    let number = |name: &str| name.parse::<u32>().ok();
    let on_disk = std::fs::read_dir(&base)
        .map_err(|e| cannot_write(&base, e))?
        .filter_map(|e| e.ok().and_then(|e| e.file_name().to_str().and_then(number)));
    let in_registry =
        recorded.iter().filter_map(|r| r.strip_prefix(&format!("{rel_base}/")).and_then(number));
    let mut n = on_disk.chain(in_registry).max().unwrap_or(0).saturating_add(1);
    loop {
        let dir = base.join(format!("{n:04}"));
        if recorded.contains(&format!("{rel_base}/{n:04}")) {
            n += 1;
            continue;
        }
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok((dir, format!("{rel_base}/{n:04}"))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(cannot_write(&dir, e)),
        }
    }
}

/// Deletes the folders of the versions the registry forgot or set aside (`old`), noting each in
/// `removed` (or `warnings` for one that could not be deleted). Only folders of the scope's own
/// `models/...` folder named as a job names them are touched: a registry row edited to point
/// elsewhere is never followed.
fn remove_old_checkpoints(
    data_dir: &Path,
    scope: ModelScope,
    old: &[ladder_store::ModelVersion],
    removed: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let (base, rel_base) = checkpoints_of(data_dir, scope);
    for v in old {
        let name = v.checkpoint.strip_prefix(&format!("{rel_base}/"));
        let Some(name) = name.filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        else {
            warnings.push(format!(
                "the checkpoint {} of model version {} is not a folder Ladder made: it was not \
                 deleted",
                v.checkpoint, v.id.0
            ));
            continue;
        };
        match std::fs::remove_dir_all(base.join(name)) {
            Ok(()) => removed.push(v.checkpoint.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                removed.push(v.checkpoint.clone())
            }
            Err(e) => warnings.push(format!(
                "the folder {} of model version {} could not be deleted ({e}): delete it by hand",
                base.join(name).display(),
                v.id.0
            )),
        }
    }
}

// ----- answers of deleted learners ------------------------------------------------------------

/// The metrics key of the learners a version learnt from: those whose answers it was trained on
/// and, through the model it started from, those that one learnt from (so the list holds for a
/// whole chain of fine-tunings).
const LEARNED_FROM: &str = "learned_from";

/// The learners `v` learnt from (`None` for a version registered before that was recorded).
fn learned_from(v: &ladder_store::ModelVersion) -> Option<Vec<LearnerId>> {
    v.metrics.get(LEARNED_FROM)?.as_array()?.iter().map(|x| x.as_i64().map(LearnerId)).collect()
}

/// Of the learners `v` learnt from, those no longer in the store: deleted since (learner ids are
/// never reused).
fn deleted_learners_of(store: &Store, v: &ladder_store::ModelVersion) -> Result<Vec<LearnerId>> {
    let Some(ids) = learned_from(v) else { return Ok(Vec::new()) };
    Ok(store.read(|tx| deleted_among(tx, ids))?)
}

/// Of `ids`, the learners no longer in the store (learner ids are never reused).
fn deleted_among(
    tx: &ladder_store::Tx<'_>,
    ids: impl IntoIterator<Item = LearnerId>,
) -> ladder_store::Result<Vec<LearnerId>> {
    let mut gone = Vec::new();
    for l in ids {
        if tx.learner(l)?.is_none() {
            gone.push(l);
        }
    }
    Ok(gone)
}

/// "learner 4", "learners 4 and 7", "learners 2, 4 and 7".
fn learners_named(ids: &[LearnerId]) -> String {
    let n: Vec<String> = ids.iter().map(|l| l.0.to_string()).collect();
    match n.as_slice() {
        [] => "no learner".into(),
        [one] => format!("learner {one}"),
        [rest @ .., last] => format!("learners {} and {last}", rest.join(", ")),
    }
}

/// Why a version that learnt from deleted learners does not run.
fn unlearned_reason(v: &ladder_store::ModelVersion, gone: &[LearnerId]) -> String {
    format!(
        "model version {} skipped: it learnt from the answers of {}, deleted since (the next \
         training job trains a model without them)",
        v.id.0,
        learners_named(gone)
    )
}

/// The model in use of one scope, changed by [`forget_deleted_learners`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switch {
    /// The version that was in use (it learnt from a deleted learner's answers).
    pub from: i64,
    /// The version in use now: the newest older one that did not learn from them and loads.
    /// `None`: no fine-tuned version of the scope; the next in the order runs (the bundled
    /// model for the device, the device's model for a learner).
    pub to: Option<i64>,
}

/// A learner's own model in use, changed by [`forget_deleted_learners`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSwitch {
    pub learner: i64,
    #[serde(flatten)]
    pub switch: Switch,
}

/// What [`forget_deleted_learners`] did. Empty (`is_empty`) when no version learnt from a
/// deleted learner, or all such were already set aside.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Unlearned {
    /// The versions set aside now (their checkpoints deleted), every scope, oldest first.
    pub versions: Vec<i64>,
    /// The deleted learners they learnt from.
    pub learners: Vec<i64>,
    /// When the device's model in use was one of them.
    pub device: Option<Switch>,
    /// Learners whose own model in use was one of them (it started from such a device model).
    pub own: Vec<OwnSwitch>,
    /// The checkpoint folders deleted, relative to the data directory.
    pub removed: Vec<String>,
    /// Folders that could not be deleted, with why.
    pub warnings: Vec<String>,
    /// One or two sentences for people; empty when nothing was done.
    pub message: String,
}

impl Unlearned {
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty() && self.warnings.is_empty()
    }
}

/// [`forget_deleted_learners`] right after a learner was deleted, which stands whatever this
/// returns: a failure comes back as a warning for the deletion's report (a model that learnt
/// from them does not run anyway, and the next training job sets it aside), with nothing set
/// aside.
pub fn forget_after_deletion(store: &mut Store) -> (Unlearned, Option<String>) {
    match forget_deleted_learners(store) {
        Ok(u) => (u, None),
        Err(e) => (Unlearned::default(), Some(not_set_aside(&e))),
    }
}

/// The deletion's warning when the models that learnt from the learner could not be set aside
/// (`why`: the failure).
fn not_set_aside(why: &dyn std::fmt::Display) -> String {
    format!(
        "the models that learnt from their answers could not be set aside now ({why}); they do \
         not run, and the next training job sets them aside"
    )
}

/// Sets aside every model version that learnt from the answers of a learner deleted since
/// (directly, or through the model it started from): a scope whose model in use is one of them
/// goes back to the newest older version that is not and whose checkpoint loads (or to none:
/// the bundled model for the device, the device's model for a learner), and their checkpoint
/// folders are deleted, so that the weights learnt from those answers leave the device as the
/// answers did. Their registry rows stay (figures and learner ids only) until jobs remove them
/// as old. Called after a learner is deleted and at the start of every training job, so the
/// next model is trained without them whoever deleted the learner; doing it again does nothing.
/// Versions registered before `learned_from` was recorded are not known to have learnt from
/// anyone and stay as they are.
pub fn forget_deleted_learners(store: &mut Store) -> Result<Unlearned> {
    let mut out = Unlearned::default();
    let mut scopes = vec![ModelScope::Device];
    let learners = store.read(|tx| tx.learners(true))?;
    scopes.extend(learners.iter().map(|l| ModelScope::Learner(l.id)));
    let mut gone_all: std::collections::BTreeSet<i64> = Default::default();
    let mut set_aside = Vec::new();
    for scope in scopes {
        let versions = store.read(|tx| tx.model_versions(scope))?;
        let mut tainted = std::collections::HashSet::new();
        for v in &versions {
            let gone = deleted_learners_of(store, v)?;
            if gone.is_empty() {
                continue;
            }
            tainted.insert(v.id);
            let (dir, rel) = checkpoints_of(store.data_dir(), scope);
            let folder = v.checkpoint.strip_prefix(&format!("{rel}/")).map(|name| dir.join(name));
            // Already set aside: not in use, and its folder gone.
            if v.active || folder.as_ref().is_some_and(|f| f.exists()) {
                gone_all.extend(gone.iter().map(|l| l.0));
                set_aside.push((scope, v.clone()));
            }
        }
        let Some(active) = versions.iter().find(|v| v.active && tainted.contains(&v.id)) else {
            continue;
        };
        // Where a rollback would go: the newest older version that is not one of them and loads.
        let to = rollback_choice(store, scope, active)?.0.map(|v| v.id);
        if switch_in_use(store, scope, active.id, to)? {
            let switch = Switch { from: active.id.0, to: to.map(|v| v.0) };
            match scope {
                ModelScope::Device => out.device = Some(switch),
                ModelScope::Learner(l) => out.own.push(OwnSwitch { learner: l.0, switch }),
            }
        }
    }
    set_aside.sort_by_key(|(_, v)| v.id);
    for (scope, v) in &set_aside {
        out.versions.push(v.id.0);
        remove_old_checkpoints(
            store.data_dir(),
            *scope,
            std::slice::from_ref(v),
            &mut out.removed,
            &mut out.warnings,
        );
    }
    out.learners = gone_all.into_iter().collect();
    if !out.is_empty() {
        out.message = unlearned_message(&out);
    }
    Ok(out)
}

/// Makes `to` the version in use of `scope` (`None`: no fine-tuned version, the next in the
/// order runs), if `from` still is; `false`, with nothing done, when a job or another rollback
/// changed it meanwhile.
fn switch_in_use(
    store: &mut Store,
    scope: ModelScope,
    from: ModelVersionId,
    to: Option<ModelVersionId>,
) -> Result<bool> {
    Ok(store.transact(|tx| {
        if tx.active_model(scope)?.map(|v| v.id) != Some(from) {
            return Ok(false);
        }
        match to {
            Some(id) => tx.activate_model_version(id)?,
            None => {
                tx.deactivate_model(scope)?;
            }
        }
        Ok(true)
    })?)
}

fn unlearned_message(u: &Unlearned) -> String {
    let who: Vec<LearnerId> = u.learners.iter().copied().map(LearnerId).collect();
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let mut parts = vec![format!(
        "model version(s) {} learnt from the answers of {}, deleted since: set aside, their \
         checkpoints deleted",
        list(&u.versions),
        learners_named(&who)
    )];
    if let Some(s) = u.device {
        parts.push(match s.to {
            Some(to) => format!("the device runs model {to} again instead of model {}", s.from),
            None => {
                format!("the device runs the bundled default model instead of model {}", s.from)
            }
        });
    }
    for OwnSwitch { learner: l, switch: s } in &u.own {
        parts.push(match s.to {
            Some(to) => {
                format!("learner {l} runs their model {to} again instead of model {}", s.from)
            }
            None => {
                format!("learner {l} runs the device's model instead of their model {}", s.from)
            }
        });
    }
    parts.push("the next training job trains without their answers".into());
    let mut message = parts.join("; ");
    if !u.warnings.is_empty() {
        message.push_str(&format!(" (not deleted: {})", u.warnings.join("; ")));
    }
    message
}

/// What registering a job's checkpoint did.
enum Registration {
    /// Registered and made active; the old versions the registry forgot.
    Added(ModelVersionId, Vec<ladder_store::ModelVersion>),
    /// Another job made this model active meanwhile (the job started on another one).
    Superseded(Option<ModelVersionId>),
    /// The job's learner was deleted meanwhile.
    LearnerGone,
    /// Learners whose answers the new model learnt from were deleted meanwhile.
    TaughtByDeleted(Vec<LearnerId>),
}

/// Runs a training job on the store in `data_dir` (see the module docs).
pub fn run_training(
    data_dir: &Path,
    job: &TrainJob,
    progress: &mut (dyn FnMut(&JobProgress) + Send),
    abort: Arc<AtomicBool>,
) -> Result<JobReport> {
    let t0 = Instant::now();
    progress(&JobProgress::phase(JobPhase::Loading));
    let mut store = Store::open(data_dir)?;
    // A learner who is not there has no history to train on, and a model registered for them
    // would break the store's reference to the learner.
    if let Some(l) = job.learner {
        if store.read(|tx| tx.learner(l))?.is_none() {
            return Err(Error::not_found("learner", l.0));
        }
    }
    // A model that learnt from the answers of a learner deleted since is set aside first, so
    // that this job neither starts from it nor keeps it.
    let unlearned = forget_deleted_learners(&mut store)?;
    let settings = Settings::default();
    let scope = match job.learner {
        Some(l) => ModelScope::Learner(l),
        None => ModelScope::Device,
    };
    // What is active now: the new model is compared with this one, and replaces it only if it
    // is still the active one when the job registers (another job may have run meanwhile).
    let active = store.read(|tx| tx.active_model(scope))?;
    let started_on = active.as_ref().map(|v| v.id);
    let Starts { current, newer_shared, skipped } = starting_models(&store, job, active.as_ref());
    let start = newer_shared.as_ref().or(current.as_ref());
    let base = start.map(|m| m.source.clone()).unwrap_or(ModelSource::BuiltIn);
    let (mut samples, trained_through, taught) = job_samples(&store, job)?;
    let learned = whose_answers(&store, &taught, &base)?;
    if let Some(learnt) = learnt_prefixes(&store, job, &base)? {
        for s in &mut samples {
            s.new_from = learnt.get(&s.seq.learner_id).copied().unwrap_or(0).min(s.split);
        }
    }
    let learners = samples.len();
    let train_answers: usize = samples.iter().map(|s| s.split).sum();
    let new_answers: usize = samples.iter().map(|s| s.split - s.new_from).sum();
    let stopping_answers: usize = samples.iter().map(|s| s.compare_from - s.split).sum();
    let held_back_answers: usize =
        samples.iter().map(|s| s.seq.events.len() - s.compare_from).sum();
    let fingerprint = corpus_fingerprint(&samples.iter().map(|s| &s.seq).collect::<Vec<_>>());
    let mut report = JobReport {
        outcome: Outcome::NotEnoughData,
        message: String::new(),
        base: base.clone(),
        learners,
        train_answers,
        new_answers,
        stopping_answers,
        held_back_answers,
        needs: None,
        current: None,
        before: None,
        after: None,
        epochs_run: 0,
        version: None,
        checkpoint: None,
        seconds: 0.0,
        skipped,
        removed: Vec::new(),
        warnings: Vec::new(),
        unlearned: (!unlearned.is_empty()).then_some(unlearned),
    };
    let finish = |mut r: JobReport, outcome: Outcome, message: String| -> Result<JobReport> {
        r.outcome = outcome;
        r.message = message;
        r.seconds = t0.elapsed().as_secs_f64();
        Ok(r)
    };
    let answers = (fingerprint.as_str(), trained_through);
    if let Some((current, msg)) = up_to_date(&store, job, active.as_ref(), &base, answers)? {
        report.current = Some(current);
        return finish(report, Outcome::UpToDate, msg);
    }
    if train_answers < job.min_train_answers
        || held_back_answers < job.min_held_back
        || stopping_answers < job.min_stopping_answers
    {
        let msg = format!(
            "not enough answers yet: {train_answers} to train on (need {}), {stopping_answers} \
             held back to choose the epoch (need {}) and {held_back_answers} to compare the \
             models (need {})",
            job.min_train_answers, job.min_stopping_answers, job.min_held_back
        );
        report.needs = Some(Needs {
            train_answers: job.min_train_answers,
            stopping_answers: job.min_stopping_answers,
            held_back_answers: job.min_held_back,
        });
        return finish(report, Outcome::NotEnoughData, msg);
    }
    if abort.load(Ordering::SeqCst) {
        return finish(report, Outcome::Cancelled, "cancelled before training".into());
    }
    check_checkpoints_writable(store.data_dir(), scope)?;
    const UNCHANGED: &str = "cancelled: the active model is unchanged";
    let before = match &current {
        Some(m) => match held_back_of(&m.model, &samples, progress, &abort)? {
            Scored::Done(h) => Scored::Done(Some(h)),
            Scored::Cancelled => Scored::Cancelled,
        },
        None => builtin_held_back(&samples, &settings, progress, &abort)?,
    };
    report.before = match before {
        Scored::Done(b) => b,
        Scored::Cancelled => return finish(report, Outcome::Cancelled, UNCHANGED.into()),
    };
    let out = fine_tune(job, &samples, start, progress, &abort)?;
    report.epochs_run = out.epochs.len();
    if matches!(out.stop, StopReason::Aborted) || abort.load(Ordering::SeqCst) {
        return finish(report, Outcome::Cancelled, UNCHANGED.into());
    }
    let after = match held_back_of(&out.model, &samples, progress, &abort)? {
        Scored::Done(h) => h,
        Scored::Cancelled => return finish(report, Outcome::Cancelled, UNCHANGED.into()),
    };
    report.after = Some(after);
    let before_loss = report.before.map_or(f64::INFINITY, |b| b.log_loss);
    if !(after.log_loss.is_finite() && after.log_loss < before_loss - job.min_improvement) {
        let msg = not_better_message(&out, report.before, after);
        return finish(report, Outcome::KeptCurrent, msg);
    }
    if abort.load(Ordering::SeqCst) {
        return finish(report, Outcome::Cancelled, UNCHANGED.into());
    }
    progress(&JobProgress::phase(JobPhase::Saving));
    let recorded = store
        .read(|tx| tx.model_versions(scope))?
        .into_iter()
        .map(|v| v.checkpoint)
        .collect::<std::collections::HashSet<_>>();
    let (dir, rel) = claim_checkpoint_dir(store.data_dir(), scope, &recorded)?;
    let metrics = serde_json::json!({
        "held_back": after,
        "previous": report.before,
        "base": base,
        "learners": learners,
        "train_answers": train_answers,
        "new_answers": new_answers,
        TRAINED_ON: trained_on(job, &samples),
        "stopping_answers": stopping_answers,
        "held_back_answers": held_back_answers,
        "corpus": fingerprint,
        LEARNED_FROM: learned,
        "epochs": out.epochs,
        "stop": format!("{:?}", out.stop),
    });
    // A checkpoint that is not registered is removed again: no other code knows of it, so
    // nothing would ever load or delete it (and a learner's holds what was learnt from their
    // answers: deleting the learner meanwhile must leave no copy behind).
    let saved = ladder_model::checkpoint::save(&out.model, &dir, metrics.clone())
        .map_err(|e| {
            Error::model(format!("cannot save the new model: {e}; the active model is unchanged"))
        })
        .and_then(|()| {
            let new = NewModelVersion {
                scope,
                checkpoint: rel.clone(),
                trained_through,
                metrics: metrics.clone(),
            };
            register(&mut store, new, started_on, &learned, job.keep_versions)
        });
    // Anything but a registered checkpoint is removed again.
    let discard = || {
        let _ = std::fs::remove_dir_all(&dir);
    };
    let id: ModelVersionId = match saved {
        Ok(Registration::Added(id, old)) => {
            remove_old_checkpoints(
                store.data_dir(),
                scope,
                &old,
                &mut report.removed,
                &mut report.warnings,
            );
            id
        }
        Ok(Registration::Superseded(now)) => {
            discard();
            return finish(report, Outcome::KeptCurrent, superseded_message(now));
        }
        Ok(Registration::TaughtByDeleted(gone)) => {
            discard();
            let msg = format!(
                "kept the current model: {} deleted while the new model learnt from their \
                 answers, so it is not kept (run the job again to train without them)",
                match gone.as_slice() {
                    [_] => format!("{} was", learners_named(&gone)),
                    _ => format!("{} were", learners_named(&gone)),
                }
            );
            return finish(report, Outcome::KeptCurrent, msg);
        }
        Ok(Registration::LearnerGone) => {
            discard();
            // Their folder too, when this job left it empty: no folder named after them stays.
            if let Some(base) = dir.parent() {
                let _ = std::fs::remove_dir(base);
            }
            let l = job.learner.map_or(0, |l| l.0);
            return Err(Error::new(
                crate::error::ErrorKind::NotFound,
                format!(
                    "learner {l} was deleted while their model trained: the new model is not \
                     kept, and nothing of it stays on disk"
                ),
            ));
        }
        Err(e) => {
            discard();
            return Err(e);
        }
    };
    report.version = Some(id.0);
    report.checkpoint = Some(rel.clone());
    let msg = improved_message(id.0, &rel, report.before, after);
    finish(report, Outcome::Improved, msg)
}

/// What a job that made a new model active says: the held-back figures of the model in use and
/// of the new one.
fn improved_message(id: i64, rel: &str, before: Option<HeldBack>, after: HeldBack) -> String {
    let loss = |h: Option<HeldBack>| h.map_or("none".to_owned(), |h| format!("{:.4}", h.log_loss));
    let aucs = match (before, after.auc.is_nan()) {
        (Some(b), true) if b.auc.is_nan() => {
            "no AUC: those answers were all right, or all wrong".to_owned()
        }
        _ => format!("AUC {} -> {}", auc_text(before.map(|b| b.auc)), auc_text(Some(after.auc))),
    };
    format!(
        "new model {id} active ({rel}): held-back log loss {} -> {}, {aucs}",
        loss(before),
        loss(Some(after))
    )
}

/// An AUC for a message: four decimals, or words where it is undefined (the held-back answers
/// all right or all wrong: "n/a") or there is no model to have one ("none").
fn auc_text(auc: Option<f64>) -> String {
    match auc {
        None => "none".to_owned(),
        Some(a) if a.is_nan() => "n/a (answers all right, or all wrong)".to_owned(),
        Some(a) => format!("{a:.4}"),
    }
}

/// The models a job weighs: `current`, the one in use for its scope (the new model is compared
/// with it), and `newer_shared`, the shared model to start from instead when a learner's own
/// model started from an older one; `skipped` says why a checkpoint was passed over.
struct Starts {
    current: Option<LoadedModel>,
    newer_shared: Option<LoadedModel>,
    skipped: Vec<String>,
}

/// What a job on `job`'s scope, whose version in use is `active`, compares with and starts
/// from ([`Starts`]).
fn starting_models(
    store: &Store,
    job: &TrainJob,
    active: Option<&ladder_store::ModelVersion>,
) -> Starts {
    let (current, mut skipped) = current_model(store, job.bundled.as_deref(), job.learner);
    // A learner's own model started from the shared model of its day. When the shared model
    // has changed since, the job starts from today's (and still compares with theirs).
    let newer_shared = match (active, &current) {
        (Some(v), Some(m)) if matches!(&m.source, ModelSource::FineTuned { scope, .. } if scope == "learner") =>
        {
            let (shared, why) = current_model(store, job.bundled.as_deref(), None);
            skipped.extend(why);
            shared.filter(|s| !same_start(v.metrics.get("base"), &s.source))
        }
        _ => None,
    };
    Starts { current, newer_shared, skipped }
}

/// The job's sequences: the CSV's (`job.corpus`) or every stored first answer of its scope;
/// with the newest stored event read and the learners whose answers they are (none for a CSV,
/// whose students are no learners of this device).
fn job_samples(
    store: &Store,
    job: &TrainJob,
) -> Result<(Vec<Sample>, Option<EventId>, Vec<LearnerId>)> {
    let Some(seqs) = &job.corpus else {
        let (hist, newest) = stored_histories(store, job.learner)?;
        let taught: Vec<LearnerId> = hist.iter().map(|h| h.0).collect();
        let samples = hist
            .into_iter()
            .map(|(_, id, loaded, attempts)| {
                let (split, compare_from) =
                    split_points(attempts.len(), job.holdout, job.max_held_back);
                Sample {
                    split,
                    compare_from,
                    new_from: 0,
                    seq: LearnerSequence {
                        learner_id: id,
                        events: interactions(&loaded.course, &attempts),
                    },
                    course: Some((loaded, attempts)),
                }
            })
            .collect();
        return Ok((samples, newest, taught));
    };
    let samples = seqs
        .iter()
        .map(|s| {
            let (split, compare_from) =
                split_points(s.events.len(), job.holdout, job.max_held_back);
            Sample { split, compare_from, new_from: 0, seq: s.clone(), course: None }
        })
        .collect();
    Ok((samples, None, Vec::new()))
}

/// The metrics key of what a version learnt from each stored history: `{"LEARNER:PACK": n}`,
/// its first `n` answers (those before the held-back ones of its job, or learnt by the model it
/// started from). The next job that starts from it trains on the answers after them and a
/// replay of older ones, not on every answer again.
const TRAINED_ON: &str = "trained_on";

/// What a job's model learns from each stored history ([`TRAINED_ON`]); nothing for a CSV,
/// whose learners are no histories of this device.
fn trained_on(job: &TrainJob, samples: &[Sample]) -> serde_json::Value {
    if job.corpus.is_some() {
        return serde_json::Value::Null;
    }
    samples.iter().map(|s| (s.seq.learner_id.clone(), serde_json::Value::from(s.split))).collect()
}

/// What the model a job starts from (`base`) learnt from each history ([`TRAINED_ON`]), when
/// the job is to train on what is new to it; `None` when it trains on every answer: a forced
/// job, a CSV, a first one (the bundled model, or none, to start from), one from a version
/// registered before this was recorded, and a learner's job that starts from the device's model
/// (their own model is to fit them, though the device's learnt from their answers among all).
fn learnt_prefixes(
    store: &Store,
    job: &TrainJob,
    base: &ModelSource,
) -> Result<Option<HashMap<String, usize>>> {
    let ModelSource::FineTuned { version, scope, .. } = base else { return Ok(None) };
    let own_scope = if job.learner.is_some() { "learner" } else { "device" };
    if job.force || job.corpus.is_some() || scope != own_scope {
        return Ok(None);
    }
    let Some(v) = store.read(|tx| tx.model_version(ModelVersionId(*version)))? else {
        return Ok(None);
    };
    let Some(map) = v.metrics.get(TRAINED_ON).and_then(|m| m.as_object()) else {
        return Ok(None);
    };
    Ok(Some(
        map.iter()
            .filter_map(|(k, n)| Some((k.clone(), usize::try_from(n.as_u64()?).ok()?)))
            .collect(),
    ))
}

/// Whose answers a model trained on the answers of `taught` and started from `base` learns
/// from: those learners, and those `base` learnt from ([`LEARNED_FROM`]), by id.
fn whose_answers(store: &Store, taught: &[LearnerId], base: &ModelSource) -> Result<Vec<i64>> {
    let mut learned: std::collections::BTreeSet<i64> = taught.iter().map(|l| l.0).collect();
    if let ModelSource::FineTuned { version, .. } = base {
        let from = store.read(|tx| tx.model_version(ModelVersionId(*version)))?;
        learned
            .extend(from.as_ref().and_then(learned_from).unwrap_or_default().iter().map(|l| l.0));
    }
    Ok(learned.into_iter().collect())
}

/// When the job need not run (not `job.force`): what it would train on is what the version in
/// use was trained on, or what a newer version rolled back from was. `answers` are what the job
/// would train on: the fingerprint of its sequences and the newest stored event read (`None`
/// for a CSV). The version and the sentence that says so; `None` when there is something new
/// to learn.
fn up_to_date(
    store: &Store,
    job: &TrainJob,
    active: Option<&ladder_store::ModelVersion>,
    base: &ModelSource,
    answers: (&str, Option<EventId>),
) -> Result<Option<(TrainedVersion, String)>> {
    let scope = job.learner.map_or(ModelScope::Device, ModelScope::Learner);
    // Nothing new since the active model was trained: training again would only fit the same
    // answers again. Nor since a newer version was rolled back from (`rollback`): training
    // again on its answers would make much the same model, and a nightly `ladder train` would
    // undo every rollback.
    // A version set aside for what it learnt from a deleted learner is no reference: its answers
    // are not all there any more.
    let mut latest = None;
    for v in store.read(|tx| tx.model_versions(scope))?.into_iter().rev() {
        if deleted_learners_of(store, &v)?.is_empty() {
            latest = Some(v);
            break;
        }
    }
    let reference = match (active, latest) {
        (Some(a), Some(l)) if l.id.0 > a.id.0 => Some((l, true)),
        (None, Some(l)) => Some((l, true)),
        (Some(a), _) => Some((a.clone(), false)),
        (None, None) => None,
    };
    let (false, Some((v, rolled_back))) = (job.force, reference) else { return Ok(None) };
    let runs_it = if rolled_back {
        // The version rolled back to must be what runs (not the bundled model standing in
        // for a checkpoint that does not load); for a learner, the model theirs would start
        // from must not have changed since.
        let runs_active = active.is_none_or(
            |a| matches!(base, ModelSource::FineTuned { version, .. } if *version == a.id.0),
        );
        runs_active && (job.learner.is_none() || same_start(v.metrics.get("base"), base))
    } else {
        matches!(base, ModelSource::FineTuned { version, .. } if *version == v.id.0)
    };
    // Versions registered before the fingerprint was recorded: by the newest answer read.
    let unchanged = match v.metrics.get("corpus").and_then(|c| c.as_str()) {
        Some(f) => f == answers.0,
        None => {
            job.corpus.is_none() && v.trained_through.is_some() && answers.1 <= v.trained_through
        }
    };
    if !(runs_it && unchanged) {
        return Ok(None);
    }
    let trained = TrainedVersion {
        version: v.id.0,
        train_answers: v
            .metrics
            .get("train_answers")
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| usize::try_from(n).ok()),
        created_ms: v.created.0,
        rolled_back,
    };
    let when = match trained.train_answers {
        Some(n) => format!("on {n} answers, at {}", v.created.display_utc()),
        None => format!("at {}", v.created.display_utc()),
    };
    let msg = match &job.corpus {
        Some(_) => format!(
            "model {} was trained on this same CSV ({when}): nothing new to learn; the model in \
             use is unchanged",
            v.id.0
        ),
        None => {
            let whose = match job.learner {
                Some(l) => format!("from learner {} since their", l.0),
                None => "since".into(),
            };
            format!(
                "no new answers {whose} model {} was trained ({when}): nothing new to learn; the \
                 model in use is unchanged",
                v.id.0
            )
        }
    };
    let msg = if rolled_back {
        format!(
            "{msg} (model {} was rolled back: training again on the same answers would make much \
             the same model)",
            v.id.0
        )
    } else {
        msg
    };
    Ok(Some((trained, msg)))
}

/// Fine-tunes from `start` (a fresh model when `None`) on the training part of each sample,
/// choosing the epoch on the answers held back for that.
fn fine_tune(
    job: &TrainJob,
    samples: &[Sample],
    start: Option<&LoadedModel>,
    progress: &mut (dyn FnMut(&JobProgress) + Send),
    abort: &Arc<AtomicBool>,
) -> Result<ladder_model::train::TrainOutput> {
    let trained: Vec<&Sample> = samples.iter().filter(|s| s.split > 0).collect();
    let train_seqs: Vec<LearnerSequence> = trained
        .iter()
        .map(|s| LearnerSequence {
            learner_id: s.seq.learner_id.clone(),
            events: s.seq.events[..s.split].to_vec(),
        })
        .collect();
    // On what is new to the starting model (some history learnt in part): its windows and a
    // replay of older ones every epoch. Otherwise every answer, as `train` cuts them.
    let new_from: Vec<usize> = if trained.iter().any(|s| s.new_from > 0) {
        trained.iter().map(|s| s.new_from).collect()
    } else {
        Vec::new()
    };
    // Early stopping sees each history up to where the comparison's answers start, and counts
    // only the answers after the training part.
    let stopping: Vec<&Sample> = samples.iter().filter(|s| s.compare_from > s.split).collect();
    let val_seqs: Vec<LearnerSequence> = stopping
        .iter()
        .map(|s| LearnerSequence {
            learner_id: s.seq.learner_id.clone(),
            events: s.seq.events[..s.compare_from].to_vec(),
        })
        .collect();
    let val_from: Vec<usize> = stopping.iter().map(|s| s.split).collect();
    train(TrainInput {
        sequences: train_seqs,
        validation: val_seqs,
        validation_from: val_from,
        config: job.config.clone(),
        init: start.map(|m| &m.model),
        settings: job.training.clone(),
        progress: Some(Box::new(|p: &ladder_model::train::Progress| {
            progress(&JobProgress {
                phase: JobPhase::Training,
                epoch: p.epoch,
                epochs: p.epochs,
                step: p.batch,
                steps: p.batches,
                loss: Some(p.train_loss),
                held_back_loss: p.val_loss,
                held_back_auc: p.val_auc,
            })
        })),
        abort: Some(abort.clone()),
        new_from,
        replay: job.replay,
        ..TrainInput::default()
    })
    .map_err(Error::model)
}

/// Why the current model is kept when the new one did not do better on the held-back answers.
fn not_better_message(
    out: &ladder_model::train::TrainOutput,
    before: Option<HeldBack>,
    after: HeldBack,
) -> String {
    let before_loss = before.map_or(f64::INFINITY, |b| b.log_loss);
    let before_auc = auc_text(before.map(|b| b.auc));
    // With no epoch better than the starting weights, those came back: the "new" model is
    // the current one (or an untrained fresh one), and its figures say nothing new.
    match (&out.stop, out.best_epoch) {
        (StopReason::Diverged(why), None) => format!(
            "kept the current model (held-back log loss {before_loss:.4}, AUC {before_auc}): \
             fine-tuning diverged before any epoch did better than it on the answers held back \
             to choose the epoch ({why})"
        ),
        (_, None) => format!(
            "kept the current model (held-back log loss {before_loss:.4}, AUC {before_auc}): \
             no epoch of fine-tuning did better than it on the answers held back to choose the \
             epoch (loss {:.4})",
            out.best_val_loss
        ),
        _ => format!(
            "kept the current model: held-back log loss {:.4} (new) vs {:.4} (current), AUC \
             {} vs {before_auc}",
            after.log_loss,
            before_loss,
            auc_text(Some(after.auc))
        ),
    }
}

/// Registers the saved checkpoint `new` and makes it active, in one transaction, unless the
/// job's learner, or a learner whose answers it learnt from (`learned`), was deleted, or the
/// version in use is no longer `started_on`, meanwhile. The registry forgets old versions only
/// along with a new one made active (`keep` kept); their folders go once this commits.
fn register(
    store: &mut Store,
    new: NewModelVersion,
    started_on: Option<ModelVersionId>,
    learned: &[i64],
    keep: usize,
) -> Result<Registration> {
    let scope = new.scope;
    Ok(store.transact(|tx| {
        if let ModelScope::Learner(l) = scope {
            if tx.learner(l)?.is_none() {
                return Ok(Registration::LearnerGone);
            }
        }
        let now = tx.active_model(scope)?.map(|v| v.id);
        if now != started_on {
            return Ok(Registration::Superseded(now));
        }
        let gone = deleted_among(tx, learned.iter().copied().map(LearnerId))?;
        if !gone.is_empty() {
            return Ok(Registration::TaughtByDeleted(gone));
        }
        let id = tx.add_model_version(&new)?;
        tx.activate_model_version(id)?;
        let old = tx.prune_model_versions(scope, keep, started_on)?;
        Ok(Registration::Added(id, old))
    })?)
}

/// Why a job's model is not used when another job made a model active while it ran (`now`): it
/// was compared with the model before that one, never with it.
fn superseded_message(now: Option<ModelVersionId>) -> String {
    match now {
        Some(v) => format!(
            "kept model {}, which another training job made active while this one ran: the new \
             model was compared with the one before it, not with that one, so it is not used \
             (run the job again to compare them)",
            v.0
        ),
        None => "kept the current model: the active model changed while this job ran, and the \
                 new one was not compared with it (run the job again)"
            .into(),
    }
}

/// What [`rollback`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollback {
    /// The version that was in use.
    pub from: i64,
    /// The version in use now (`None`: no fine-tuned model of the scope, so the next in the
    /// order runs: the device's for a learner, the bundled one for the device).
    pub to: Option<i64>,
    /// One or two sentences for people.
    pub message: String,
}

/// The version a rollback from `active` goes back to: the newest older one that did not learn
/// from a deleted learner and whose checkpoint loads (`None`: none), and the reasons of those
/// passed over.
fn rollback_choice(
    store: &Store,
    scope: ModelScope,
    active: &ladder_store::ModelVersion,
) -> Result<(Option<ladder_store::ModelVersion>, Vec<String>)> {
    let mut passed = Vec::new();
    let older = store.read(|tx| tx.model_versions(scope))?;
    for v in older.into_iter().rev().filter(|v| v.id.0 < active.id.0) {
        // Never back to a model that learnt from a deleted learner's answers.
        let gone = deleted_learners_of(store, &v)?;
        if !gone.is_empty() {
            passed.push(format!(
                "model version {}, which learnt from the answers of {}, deleted since",
                v.id.0,
                learners_named(&gone)
            ));
            continue;
        }
        match load_version(store, &v) {
            Ok(_) => return Ok((Some(v), passed)),
            Err(why) => passed.push(why),
        }
    }
    Ok((None, passed))
}

/// What [`rollback`] of the device (or of `learner`) would do now: from the version in use to
/// the one it would go back to (`to` `None`: no fine-tuned version, so the next in the order
/// runs). `None` when no fine-tuned version is in use: there is nothing to roll back. The
/// settings screen names the version on its button with this.
pub fn rollback_target(store: &Store, learner: Option<LearnerId>) -> Result<Option<Switch>> {
    let scope = learner.map_or(ModelScope::Device, ModelScope::Learner);
    let Some(active) = store.read(|tx| tx.active_model(scope))? else { return Ok(None) };
    let (to, _) = rollback_choice(store, scope, &active)?;
    Ok(Some(Switch { from: active.id.0, to: to.map(|v| v.id.0) }))
}

/// The newest event any version of the device's (or `learner`'s) models was trained through,
/// leaving out those that learnt from a learner deleted since: what the app's job after sessions
/// counts new events from. After a rollback that is the version gone back from, whose answers a
/// job would not learn from again (`Outcome::UpToDate`), not the older one in use.
pub fn newest_trained_through(
    store: &Store,
    learner: Option<LearnerId>,
) -> Result<Option<EventId>> {
    let scope = learner.map_or(ModelScope::Device, ModelScope::Learner);
    let mut newest = None;
    for v in store.read(|tx| tx.model_versions(scope))? {
        if v.trained_through > newest && deleted_learners_of(store, &v)?.is_empty() {
            newest = v.trained_through;
        }
    }
    Ok(newest)
}

/// Makes the version before the active one of the device (or of `learner`) active again: the
/// newest older version whose checkpoint loads, or, when there is none, no fine-tuned version
/// at all. Nothing is deleted. Front ends that run now pick the change up at their next start.
pub fn rollback(data_dir: &Path, learner: Option<LearnerId>) -> Result<Rollback> {
    let mut store = Store::open(data_dir)?;
    let (scope, whose) = match learner {
        Some(l) => {
            if store.read(|tx| tx.learner(l))?.is_none() {
                return Err(Error::not_found("learner", l.0));
            }
            (ModelScope::Learner(l), format!("learner {}", l.0))
        }
        None => (ModelScope::Device, "the device".to_string()),
    };
    let Some(active) = store.read(|tx| tx.active_model(scope))? else {
        return Err(Error::conflict(format!(
            "no fine-tuned model is in use for {whose}: nothing to roll back"
        )));
    };
    let (to, passed) = rollback_choice(&store, scope, &active)?;
    let to = to.map(|v| (v.id, v.checkpoint));
    if !switch_in_use(&mut store, scope, active.id, to.as_ref().map(|(id, _)| *id))? {
        return Err(Error::conflict(
            "the model in use changed meanwhile (a training job made another one active): \
             nothing was rolled back",
        ));
    }
    let instead = match (&to, learner) {
        (Some((id, dir)), _) => format!("model {} ({dir}) is in use again", id.0),
        (None, Some(_)) => "they run the device's model again".into(),
        (None, None) => "the bundled default model runs again".into(),
    };
    let mut message = format!(
        "rolled back {whose} from model {} ({}): {instead} (the app and `ladder serve` use it \
         from their next start)",
        active.id.0, active.checkpoint
    );
    if !passed.is_empty() {
        message.push_str(&format!("; passed over: {}", passed.join("; ")));
    }
    Ok(Rollback { from: active.id.0, to: to.map(|(v, _)| v.0), message })
}

// ----- 3. the default model -----------------------------------------------------------------

/// Reads, validates and builds the course of a pack in source form (a folder) or a
/// `.ladderpack`.
pub fn course_from_pack(path: &Path) -> Result<Course> {
    let checked = ladder_pack::validate(path)?;
    let Some(p) = checked.pack else {
        return Err(Error::pack(format!(
            "the pack {} is not valid:\n{}",
            path.display(),
            checked.report
        )));
    };
    build_course(
        p.info.id.as_str(),
        &p.info.version.to_string(),
        &p.info.title,
        &p.skills,
        &p.lessons,
        &p.items,
    )
}

/// Settings of [`pretrain_simulated`].
#[derive(Debug, Clone, Serialize)]
pub struct SimulatedPretrain {
    /// Simulated students per pack for training (10% of them held back for early stopping).
    pub students: usize,
    /// Simulated students per pack for the final measurement (never seen in training).
    pub test_students: usize,
    /// Answers per student.
    pub answers: usize,
    /// Share of the students (training and measurement alike) who do not learn: each answers
    /// right at a chance of their own whatever the item ([`simulated_population`]). Default 0,
    /// as `models/default` was trained: with 0.15 or 0.3 a learner who answers at random is read
    /// as less able and a wrong answer seldom raises a skill's estimate, but the simulated
    /// learners' items to mastery broke a criterion either way (docs/model.md, revision 9).
    pub non_learners: f32,
    pub epochs: usize,
    pub seed: u64,
    pub config: ModelConfig,
}

impl Default for SimulatedPretrain {
    fn default() -> Self {
        SimulatedPretrain {
            students: 300,
            test_students: 100,
            answers: 120,
            non_learners: 0.0,
            epochs: 12,
            seed: 7,
            config: ModelConfig::default(),
        }
    }
}

/// One model's figures on the held-out simulated students.
#[derive(Debug, Clone, Serialize)]
pub struct ModelFigures {
    pub model: String,
    pub metrics: Metrics,
}

/// What [`pretrain_simulated`] measured.
#[derive(Debug, Clone, Serialize)]
pub struct PretrainReport {
    pub packs: Vec<String>,
    pub train_students: usize,
    pub train_answers: usize,
    pub test_students: usize,
    pub test_answers: usize,
    pub epochs: Vec<ladder_model::train::EpochReport>,
    pub best_epoch: Option<usize>,
    pub stop: String,
    pub train_seconds: f64,
    /// Transformer, BKT, PFA and the built-in predictor on the held-out students.
    pub figures: Vec<ModelFigures>,
    pub settings: SimulatedPretrain,
}

/// Trains a model from scratch on simulated students (logistic family, see
/// [`simulated_population`], with `non_learners` of them not learning) working through every pack in `packs`, and measures it, BKT, PFA and
/// the built-in predictor on other simulated students. Deterministic for a seed.
pub fn pretrain_simulated(
    packs: &[PathBuf],
    opts: &SimulatedPretrain,
    log: &mut (dyn FnMut(&str) + Send),
) -> Result<(KtModel, PretrainReport)> {
    pretrain_simulated_with(packs, opts, PretrainHooks { log: Some(log), ..Default::default() })
}

/// What [`pretrain_simulated_with`] reports while it runs, and how to stop it.
#[derive(Default)]
pub struct PretrainHooks<'a> {
    /// Lines for people: what is trained, each epoch's figures.
    pub log: Option<&'a mut (dyn FnMut(&str) + Send)>,
    /// After every training step and epoch.
    pub progress: Option<&'a mut (dyn FnMut(&ladder_model::train::Progress) + Send)>,
    /// Set from any thread: training stops after the current step and the best weights so far
    /// come back unmeasured (no figures; `PretrainReport::best_epoch` is `None` when no epoch
    /// was kept, and `stop` says `Aborted`).
    pub abort: Option<Arc<AtomicBool>>,
}

/// [`pretrain_simulated`] with a progress callback and an abort flag (`ladder train
/// --simulated -o`: a bar and Ctrl-C).
pub fn pretrain_simulated_with(
    packs: &[PathBuf],
    opts: &SimulatedPretrain,
    hooks: PretrainHooks<'_>,
) -> Result<(KtModel, PretrainReport)> {
    let PretrainHooks { log, progress: mut on_step, abort } = hooks;
    let mut quiet = |_: &str| {};
    let log: &mut (dyn FnMut(&str) + Send) = match log {
        Some(l) => l,
        None => &mut quiet,
    };
    let mut courses = Vec::new();
    for p in packs {
        courses.push(course_from_pack(p)?);
    }
    if courses.is_empty() {
        return Err(Error::bad_request("no course packs to simulate"));
    }
    let mut train_seqs = Vec::new();
    let mut test: Vec<(usize, Vec<Attempt>)> = Vec::new();
    for (ci, c) in courses.iter().enumerate() {
        let population = |students, seed| {
            simulated_population(c, students, opts.answers, seed, opts.non_learners)
        };
        for (k, a) in population(opts.students, opts.seed).into_iter().enumerate() {
            train_seqs.push(LearnerSequence {
                learner_id: format!("{}-sim-{k}", c.pack),
                events: interactions(c, &a),
            });
        }
        // A different seed: students never seen in training.
        let test_seed = opts.seed.wrapping_add(1_000_003);
        for a in population(opts.test_students, test_seed) {
            test.push((ci, a));
        }
    }
    let test_seqs: Vec<LearnerSequence> = test
        .iter()
        .enumerate()
        .map(|(k, (ci, a))| LearnerSequence {
            learner_id: format!("test-{k}"),
            events: interactions(&courses[*ci], a),
        })
        .collect();
    let train_answers = train_seqs.iter().map(|s| s.events.len()).sum();
    log(&format!(
        "training on {} simulated students ({train_answers} answers) over {} packs",
        train_seqs.len(),
        courses.len()
    ));
    let t0 = Instant::now();
    let n_train = train_seqs.len();
    let out = train(TrainInput {
        sequences: train_seqs.clone(),
        config: opts.config.clone(),
        settings: TrainSettings {
            epochs: opts.epochs,
            seed: opts.seed,
            ..TrainSettings::default()
        },
        progress: Some(Box::new(|p: &ladder_model::train::Progress| {
            if let Some(cb) = on_step.as_mut() {
                cb(p);
            }
            if let (Some(l), Some(a)) = (p.val_loss, p.val_auc) {
                log(&format!(
                    "epoch {}: train loss {:.4}, validation loss {l:.4}, AUC {a:.4}",
                    p.epoch + 1,
                    p.train_loss
                ));
            }
        })),
        abort: abort.clone(),
        ..TrainInput::default()
    })
    .map_err(Error::model)?;
    let train_seconds = t0.elapsed().as_secs_f64();
    let model = out.model;
    if matches!(out.stop, StopReason::Aborted) {
        // Stopped by the person waiting: the best weights so far, without the minutes of
        // measuring that would follow.
        let report = PretrainReport {
            packs: courses.iter().map(|c| c.pack.to_string()).collect(),
            train_students: n_train,
            train_answers,
            test_students: 0,
            test_answers: 0,
            epochs: out.epochs,
            best_epoch: out.best_epoch,
            stop: format!("{:?}", out.stop),
            train_seconds,
            figures: Vec::new(),
            settings: opts.clone(),
        };
        return Ok((model, report));
    }
    let truth: Vec<bool> =
        test_seqs.iter().flat_map(|s| s.events.iter().map(|e| e.correct)).collect();
    let mut figures = Vec::new();
    let preds = model.predict(&test_seqs).map_err(Error::model)?;
    figures.push(ModelFigures {
        model: "transformer".into(),
        metrics: metrics::compute(&preds.concat(), &truth),
    });
    let train_enc = encode_all(&model.vocabs, &train_seqs);
    let test_enc = encode_all(&model.vocabs, &test_seqs);
    let bkt = Bkt::fit(&train_enc, model.vocabs.skills.rows(), 50);
    let p: Vec<f32> = test_enc.iter().flat_map(|s| bkt.predict(s)).collect();
    figures.push(ModelFigures { model: "bkt".into(), metrics: metrics::compute(&p, &truth) });
    let pfa = Pfa::fit(
        &train_enc,
        model.vocabs.items.rows(),
        model.vocabs.skills.rows(),
        &PfaOptions { seed: opts.seed, ..PfaOptions::default() },
    );
    let p: Vec<f32> = test_enc.iter().flat_map(|s| pfa.predict(s)).collect();
    figures.push(ModelFigures { model: "pfa".into(), metrics: metrics::compute(&p, &truth) });
    let builtin = OnlineLogistic::default();
    let mut p = Vec::with_capacity(truth.len());
    for (ci, a) in &test {
        for t in 0..a.len() {
            let out = builtin.assess(&courses[*ci], &a[..t], &[a[t].item], a[t].at)?;
            p.push(out.items.first().copied().unwrap_or(0.5));
        }
    }
    figures.push(ModelFigures {
        model: "online-logistic (built-in)".into(),
        metrics: metrics::compute(&p, &truth),
    });
    let report = PretrainReport {
        packs: courses.iter().map(|c| c.pack.to_string()).collect(),
        train_students: n_train,
        train_answers,
        test_students: test_seqs.len(),
        test_answers: truth.len(),
        epochs: out.epochs,
        best_epoch: out.best_epoch,
        stop: format!("{:?}", out.stop),
        train_seconds,
        figures,
        settings: opts.clone(),
    };
    Ok((model, report))
}

#[cfg(test)]
mod tests {
    #[test]
    fn held_back_answers_of_one_kind_have_no_auc() {
        let all_right = metrics_from(&[0.9, 0.6, 0.7], &[true, true, true]);
        assert!(all_right.auc.is_nan(), "{all_right:?}");
        assert!(all_right.log_loss.is_finite());
        let json = serde_json::to_value(all_right).unwrap();
        assert!(json["auc"].is_null(), "{json}");
        let mixed = metrics_from(&[0.9, 0.2, 0.7], &[true, false, true]);
        assert_eq!(mixed.auc, 1.0);
    }

    /// After a year, a learner's held-back answers were all right, and `ladder train --learner`
    /// ended with "held-back log loss 0.0019 -> 0.0003, AUC NaN -> NaN": a tutor reads NaN as a
    /// failure. An undefined AUC is said in words, as the app's settings say it.
    #[test]
    fn an_undefined_auc_is_said_in_words_not_nan() {
        let right = |log_loss| HeldBack { answers: 931, auc: f64::NAN, log_loss, accuracy: 1.0 };
        let msg = improved_message(1, "models/learner-1/0001", Some(right(0.0019)), right(0.0003));
        assert!(!msg.contains("NaN"), "{msg}");
        assert!(msg.contains("log loss 0.0019 -> 0.0003"), "{msg}");
        assert!(msg.contains("no AUC: those answers were all right, or all wrong"), "{msg}");
        let mixed = |auc| HeldBack { answers: 931, auc, log_loss: 0.5, accuracy: 0.7 };
        let msg = improved_message(2, "models/device/0002", Some(mixed(0.61)), mixed(0.66));
        assert!(msg.contains("AUC 0.6100 -> 0.6600"), "{msg}");
        // Without a current model to compare with, its AUC is unknown, not NaN either.
        let msg = improved_message(3, "models/device/0003", None, mixed(0.66));
        assert!(!msg.contains("NaN"), "{msg}");
        assert!(msg.contains("AUC none -> 0.6600"), "{msg}");
    }

    use super::*;
    use crate::predictor::transformer::{candidate, model_skill_id};
    use crate::sim::model_student::simulated_attempts;
    use crate::EngineOptions;
    use ladder_store::{ItemRef, Timestamp};

    fn pack_dir(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs").join(name)
    }

    /// A small model pre-trained on simulated Fractions students, saved in `dir`.
    fn bundled_model(dir: &Path) {
        let opts = SimulatedPretrain {
            students: 40,
            test_students: 5,
            answers: 50,
            non_learners: 0.0,
            epochs: 2,
            seed: 3,
            config: ModelConfig::default(),
        };
        let (model, _) = pretrain_simulated(&[pack_dir("fractions")], &opts, &mut |_| {}).unwrap();
        ladder_model::checkpoint::save(&model, dir, serde_json::Value::Null).unwrap();
    }

    /// A data directory with Fractions installed and `learners` learners who each answered
    /// `answers` items, as simulated students would.
    fn store_with_history(dir: &Path, learners: usize, answers: usize) {
        let mut engine = Engine::open(dir, EngineOptions::default()).unwrap();
        engine.install_pack(&pack_dir("fractions"), false).unwrap();
        let loaded = engine.course("fractions").unwrap();
        let ids: Vec<LearnerId> = (0..learners)
            .map(|k| LearnerId(engine.add_learner(&format!("learner {k}")).unwrap().id))
            .collect();
        drop(engine);
        let course = &loaded.course;
        let histories = simulated_attempts(course, learners, answers, 11);
        append_attempts(dir, course, &ids, &histories, 0..answers);
    }

    /// Two epochs, and trained even when no answer came since the active model (these tests
    /// train one history several times; `retraining_*` checks what happens without `force`).
    fn quick_job(bundled: &Path) -> TrainJob {
        TrainJob {
            bundled: Some(bundled.to_path_buf()),
            training: TrainSettings { epochs: 2, ..TrainJob::default().training },
            force: true,
            ..TrainJob::default()
        }
    }

    /// Appends `n` more answers (alternately right and wrong) of the first learner, an hour
    /// after everything else.
    fn add_answers(dir: &Path, n: usize) {
        let mut store = Store::open(dir).unwrap();
        let first = store.read(|tx| tx.learners(false)).unwrap()[0].id;
        store
            .transact(|tx| {
                for k in 0..n {
                    let ev = Event::Answer {
                        item: ItemRef::new("fractions", "meaning-001"),
                        response: serde_json::json!("x"),
                        correct: k.is_multiple_of(2),
                        score: None,
                        blanks: None,
                        latency_ms: 5000,
                        hint_level: 0,
                        predicted: None,
                    };
                    tx.append_event_at(first, None, Timestamp(4_000_000_000_000 + k as i64), &ev)?;
                }
                Ok(())
            })
            .unwrap();
    }

    /// The checkpoint folders under `models/SUB`, relative to the data directory, sorted.
    fn folders(data: &Path, sub: &str) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(data.join(MODELS_SUBDIR).join(sub))
            .map(|d| {
                d.map(|e| {
                    format!("{MODELS_SUBDIR}/{sub}/{}", e.unwrap().file_name().to_string_lossy())
                })
                .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    #[test]
    fn a_second_try_at_an_item_is_no_new_answer_to_learn_from() {
        // Only first answers are learnt from: a learner who tried the item on screen again
        // after the model was trained made the next job train on the very same answers.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let mut store = Store::open(&data).unwrap();
        let first = store.read(|tx| tx.learners(false)).unwrap()[0].id;
        let item = ItemRef::new("fractions", "meaning-001");
        let answer = |correct: bool| Event::Answer {
            item: item.clone(),
            response: serde_json::json!("x"),
            correct,
            score: None,
            blanks: None,
            latency_ms: 5000,
            hint_level: 0,
            predicted: None,
        };
        let at = |k: i64| Timestamp(4_000_000_000_000 + k);
        let session: ladder_store::SessionId = store
            .transact(|tx| {
                let start = Event::SessionStart {
                    pack: Some("fractions".into()),
                    client: Some("test".into()),
                    lesson: None,
                    policy: None,
                };
                let sid: ladder_store::SessionId =
                    tx.append_event_at(first, None, at(0), &start)?.into();
                let shown = Event::shown(item.clone(), "test");
                tx.append_event_at(first, Some(sid), at(1), &shown)?;
                tx.append_event_at(first, Some(sid), at(2), &answer(false))?;
                Ok(sid)
            })
            .unwrap();
        let lax = TrainJob { min_improvement: -10.0, force: false, ..quick_job(&bundled) };
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        store
            .transact(|tx| {
                tx.append_event_at(first, Some(session), at(3), &answer(true)).map(|_| ())
            })
            .unwrap();
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::UpToDate, "{}", r.message);
    }

    #[test]
    fn retraining_on_unchanged_answers_changes_nothing_unless_forced() {
        // Each `ladder train` on the same answers registered a "better" model: the answers
        // that chose its epoch also judged it. With no new answer since the active model was
        // trained, the job now says so and changes nothing.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let lax = TrainJob { min_improvement: -10.0, force: false, ..quick_job(&bundled) };
        let first = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(first.outcome, Outcome::Improved, "{}", first.message);
        let v = first.version.unwrap();

        let mut trained = false;
        let again = run_training(
            &data,
            &lax,
            &mut |p| trained |= p.phase == JobPhase::Training,
            no_abort(),
        )
        .unwrap();
        assert_eq!(again.outcome, Outcome::UpToDate, "{}", again.message);
        assert!(!trained, "trained anyway");
        assert!(again.message.contains(&format!("no new answers since model {v} was trained")));
        assert!(again.message.contains(&format!("{} answers", first.train_answers)));
        assert!(again.message.contains("UTC"), "says when: {}", again.message);
        let current = again.current.clone().unwrap();
        assert_eq!((current.version, current.train_answers), (v, Some(first.train_answers)));
        assert_eq!(versions(&data).len(), 1);

        // Asked to: it trains.
        let forced =
            run_training(&data, &TrainJob { force: true, ..lax.clone() }, &mut |_| {}, no_abort())
                .unwrap();
        assert_eq!(forced.outcome, Outcome::Improved, "{}", forced.message);
        assert_eq!(versions(&data).len(), 2);

        // New answers: it trains.
        add_answers(&data, 10);
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        assert_eq!(
            run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap().outcome,
            Outcome::UpToDate
        );

        // An active model whose checkpoint no longer loads is not "up to date": the bundled one
        // runs instead, and the job trains from it.
        let rel = r.checkpoint.unwrap();
        std::fs::remove_file(data.join(&rel).join(ladder_model::checkpoint::WEIGHTS_FILE)).unwrap();
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.base, ModelSource::Bundled { checkpoint: bundled.clone() });
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
    }

    #[test]
    fn a_history_holds_back_a_fifth_of_its_answers_but_at_most_max_held_back() {
        assert_eq!(split_points(80, 0.2, 100), (64, 72));
        assert_eq!(split_points(300, 0.2, 100), (240, 270));
        // a year's history: its latest 100, not 1,000 (the epoch's 50, then the comparison's)
        assert_eq!(split_points(5000, 0.2, 100), (4900, 4950));
        assert_eq!(split_points(4, 0.2, 100), (4, 4), "too short to hold any back");
    }

    #[test]
    fn a_job_after_a_few_new_answers_learns_them_with_a_replay_not_every_answer_again() {
        // After every session the job trained on every answer ever stored (77,206 at a year of
        // a class, 17 s of both cores for a 10-answer session). Now a model records what it
        // learnt from each history, and the next job trains on the windows of the answers
        // since and a replay of older ones; a first job and a forced one train on everything.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 300);
        let first_learner =
            Store::open(&data).unwrap().read(|tx| tx.learners(false)).unwrap()[0].id.0;
        let key = format!("{first_learner}:fractions");
        let job = TrainJob {
            min_improvement: -10.0,
            force: false,
            replay: 3,
            training: TrainSettings { batch_size: 1, ..quick_job(&bundled).training },
            ..quick_job(&bundled)
        };
        // Windows trained in each epoch (batches of one window).
        let run = |job: &TrainJob| {
            let mut steps = Vec::new();
            let r = run_training(
                &data,
                job,
                &mut |p| {
                    if p.phase == JobPhase::Training && p.held_back_loss.is_some() {
                        steps.push(p.steps)
                    }
                },
                no_abort(),
            )
            .unwrap();
            assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
            assert_eq!(steps.len(), r.epochs_run);
            let v = versions(&data).into_iter().find(|v| Some(v.id.0) == r.version).unwrap();
            let learnt = v.metrics[TRAINED_ON][&key].as_u64().unwrap();
            (r, steps, learnt)
        };

        // The first job starts from the bundled model: every answer, 240 of each history in
        // 3 windows (100, 100, 40).
        let (first, steps, learnt) = run(&job);
        assert_eq!(first.base, ModelSource::Bundled { checkpoint: bundled.clone() });
        assert_eq!((first.train_answers, first.new_answers), (6 * 240, 6 * 240));
        assert_eq!(steps, vec![18, 18]);
        assert_eq!(learnt, 240);

        // 10 new answers of one learner: 8 more to train on (a fifth held back), new to the
        // model: their window and 3 older ones each epoch, not 18.
        add_answers(&data, 10);
        let (second, steps, learnt) = run(&job);
        assert!(
            matches!(second.base, ModelSource::FineTuned { version, .. } if Some(version) == first.version)
        );
        assert_eq!((second.train_answers, second.new_answers), (6 * 240 + 8, 8));
        assert_eq!(steps, vec![4, 4]);
        assert_eq!(learnt, 248, "what it learnt: what its start learnt and the new answers");
        let (before, after) = (second.before.unwrap(), second.after.unwrap());
        assert_eq!(before.answers, after.answers);

        // Forced: every answer again.
        add_answers(&data, 10);
        let (forced, steps, learnt) = run(&TrainJob { force: true, ..job.clone() });
        assert_eq!(forced.new_answers, forced.train_answers);
        assert_eq!(steps, vec![18, 18], "5 histories of 240 and one of 256, 3 windows each");
        assert_eq!(learnt, 256);
    }

    /// Appends answers `range` of each history to the store, learner `ids[k]` answering
    /// `histories[k]`.
    fn append_attempts(
        dir: &Path,
        course: &Course,
        ids: &[LearnerId],
        histories: &[Vec<Attempt>],
        range: std::ops::Range<usize>,
    ) {
        let mut store = Store::open(dir).unwrap();
        store
            .transact(|tx| {
                for (l, attempts) in ids.iter().zip(histories) {
                    for a in
                        &attempts[range.start.min(attempts.len())..range.end.min(attempts.len())]
                    {
                        let ev = Event::Answer {
                            item: ItemRef::new("fractions", course.items[a.item].id.to_string()),
                            response: serde_json::json!("x"),
                            correct: a.correct,
                            score: None,
                            blanks: None,
                            latency_ms: u64::from(a.latency_ms),
                            hint_level: 0,
                            predicted: None,
                        };
                        tx.append_event_at(*l, None, Timestamp(a.at * 1000), &ev)?;
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    /// The device's model in use on answers `future` of each history, each predicted from
    /// every answer before it: (log loss, AUC, share right).
    fn future_figures(
        dir: &Path,
        bundled: &Path,
        course: &Course,
        histories: &[Vec<Attempt>],
        future: std::ops::Range<usize>,
    ) -> (f64, f64, f64) {
        let store = Store::open(dir).unwrap();
        let model = current_model(&store, Some(bundled), None).0.unwrap().model;
        let seqs: Vec<LearnerSequence> = histories
            .iter()
            .enumerate()
            .map(|(k, h)| LearnerSequence {
                learner_id: k.to_string(),
                events: interactions(course, &h[..future.end]),
            })
            .collect();
        let enc = encode_all(&model.vocabs, &seqs);
        let preds = predict_from(&model, &enc, &vec![future.start; seqs.len()]).unwrap();
        let p: Vec<f32> = preds.concat();
        let y: Vec<bool> =
            seqs.iter().flat_map(|s| s.events[future.start..].iter().map(|e| e.correct)).collect();
        let m = metrics::compute(&p, &y);
        (m.log_loss, m.auc, y.iter().filter(|&&c| c).count() as f64 / y.len() as f64)
    }

    /// The bounded job against full retraining, on simulated classes: each class's learners
    /// (`LADDER_MEASURE_LEARNERS`, 16) have `LADDER_MEASURE_STORED` (1,000) answers stored and
    /// a first job trained from a small pre-trained model; then `LADDER_MEASURE_ROUNDS` (16)
    /// times one learner, in turn, answers 25 more and the job runs again, bounded (replay
    /// `LADDER_MEASURE_REPLAY`, default the job's) or forced to train on every answer. Each
    /// arm's model in use is then scored on the next 50 answers of every learner, which no job
    /// saw. Prints the figures; asserts only that the bounded job trained on fewer answers.
    /// Run in release: `cargo test --release -p ladder-engine --lib -- --ignored
    /// --nocapture bounded_job_against_full_retraining`.
    #[test]
    #[ignore = "a measurement: minutes in release"]
    fn bounded_job_against_full_retraining() {
        let env =
            |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
        let learners = env("LADDER_MEASURE_LEARNERS", 16);
        let stored = env("LADDER_MEASURE_STORED", 1000);
        let rounds = env("LADDER_MEASURE_ROUNDS", 16);
        let classes = env("LADDER_MEASURE_CLASSES", 4);
        let replay = env("LADDER_MEASURE_REPLAY", TrainJob::default().replay);
        let session = 25;
        let tmp = tempfile::tempdir().unwrap();
        let bundled = tmp.path().join("bundled");
        bundled_model(&bundled);
        let course = course_from_pack(&pack_dir("fractions")).unwrap();
        let mut sums = [[0f64; 5]; 3];
        for class in 0..classes {
            let per = stored + rounds.div_ceil(learners) * session + 50;
            let histories = simulated_population(&course, learners, per, 100 + class as u64, 0.25);
            let base = tmp.path().join(format!("class{class}"));
            let mut engine = Engine::open(&base, EngineOptions::default()).unwrap();
            engine.install_pack(&pack_dir("fractions"), false).unwrap();
            let ids: Vec<LearnerId> = (0..learners)
                .map(|k| LearnerId(engine.add_learner(&format!("l{k}")).unwrap().id))
                .collect();
            drop(engine);
            append_attempts(&base, &course, &ids, &histories, 0..stored);
            let job = TrainJob { bundled: Some(bundled.clone()), replay, ..TrainJob::default() };
            let first = run_training(&base, &job, &mut |_| {}, no_abort()).unwrap();
            assert_eq!(first.outcome, Outcome::Improved, "{}", first.message);
            let mut arms = Vec::new();
            let full = std::env::var("LADDER_MEASURE_ARMS").map_or(true, |a| a.contains("full"));
            for force in [false, true].into_iter().filter(|&f| !f || full) {
                let dir = tmp.path().join(format!("class{class}-{force}"));
                std::fs::create_dir_all(&dir).unwrap();
                let copy = std::process::Command::new("cp")
                    .args(["-r", "--"])
                    .arg(base.join("."))
                    .arg(&dir)
                    .status()
                    .unwrap();
                assert!(copy.success());
                let mut done = vec![stored; learners];
                let (mut secs, mut trained, mut kept) = (0.0, 0usize, 0usize);
                for r in 0..rounds {
                    let k = r % learners;
                    let one: Vec<Vec<Attempt>> = histories
                        .iter()
                        .enumerate()
                        .map(|(j, h)| if j == k { h.clone() } else { Vec::new() })
                        .collect();
                    append_attempts(&dir, &course, &ids, &one, done[k]..done[k] + session);
                    done[k] += session;
                    let rep = run_training(
                        &dir,
                        &TrainJob { force, ..job.clone() },
                        &mut |_| {},
                        no_abort(),
                    )
                    .unwrap();
                    secs += rep.seconds;
                    trained += rep.new_answers;
                    kept += usize::from(rep.outcome == Outcome::Improved);
                }
                let end = done.iter().copied().max().unwrap_or(stored);
                // Every learner's next 50 answers past the longest stored history.
                let (ll, auc, right) =
                    future_figures(&dir, &bundled, &course, &histories, end..end + 50);
                arms.push((ll, auc, right, secs, trained, kept));
            }
            let none = future_figures(&base, &bundled, &course, &histories, {
                let end = stored + rounds.div_ceil(learners) * session;
                end..end + 50
            });
            if arms.len() < 2 {
                arms.push((f64::NAN, f64::NAN, f64::NAN, 0.0, usize::MAX, 0));
            }
            println!(
                "class {class}: after the first job only: log loss {:.4}, AUC {:.4} (right {:.2}); \
                 bounded: {:.4}, {:.4}, {:.1} s, {} answers trained, {} kept; full: {:.4}, {:.4}, \
                 {:.1} s, {} answers trained, {} kept",
                none.0, none.1, none.2, arms[0].0, arms[0].1, arms[0].3, arms[0].4, arms[0].5,
                arms[1].0, arms[1].1, arms[1].3, arms[1].4, arms[1].5
            );
            for (sum, f) in sums.iter_mut().zip([
                (none.0, none.1, 0.0, 0.0),
                (arms[0].0, arms[0].1, arms[0].3, arms[0].4 as f64),
                (arms[1].0, arms[1].1, arms[1].3, arms[1].4 as f64),
            ]) {
                sum[0] += f.0;
                sum[1] += f.1;
                sum[2] += f.2;
                sum[3] += f.3;
                sum[4] += 1.0;
            }
            assert!(arms[0].4 < arms[1].4, "the bounded job trains on fewer answers");
        }
        for (name, s) in ["first job only", "bounded", "full"].iter().zip(sums) {
            println!(
                "{name}: mean future log loss {:.4}, AUC {:.4}; {:.1} s of jobs, {:.0} answers trained per class",
                s[0] / s[4],
                s[1] / s[4],
                s[2] / s[4],
                s[3] / s[4]
            );
        }
    }

    #[test]
    fn a_learners_model_is_trained_again_from_a_newer_device_model() {
        // The docs said: after the device model is retrained, train a learner's own model
        // again to start it from the new one. That job started from their old own model, and
        // with no new answers of theirs it now said "no new answers" and did nothing.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 3, 80);
        let ana = Store::open(&data).unwrap().read(|tx| tx.learners(false)).unwrap()[0].id;
        let device = TrainJob { min_improvement: -10.0, force: false, ..quick_job(&bundled) };
        let own = TrainJob { learner: Some(ana), min_held_back: 1, ..device.clone() };
        let run = |job: &TrainJob| run_training(&data, job, &mut |_| {}, no_abort()).unwrap();
        let d1 = run(&device);
        assert_eq!(d1.outcome, Outcome::Improved, "{}", d1.message);
        let o1 = run(&own);
        assert_eq!(o1.outcome, Outcome::Improved, "{}", o1.message);
        assert!(
            matches!(o1.base, ModelSource::FineTuned { version, .. } if Some(version) == d1.version)
        );
        // Her own model learns from every answer of hers, though the device's learnt from most
        // of them: it is to fit her, not the class.
        assert_eq!(o1.new_answers, o1.train_answers);
        let again = run(&own);
        assert_eq!(again.outcome, Outcome::UpToDate, "{}", again.message);
        assert!(again.message.contains(&format!("from learner {} since their model", ana.0)));

        // The device model is retrained (forced: no new answers): Ana's model is no longer up
        // to date, and the job starts from the new device model, compared with hers.
        let d2 = run(&TrainJob { force: true, ..device.clone() });
        assert_eq!(d2.outcome, Outcome::Improved, "{}", d2.message);
        let o2 = run(&own);
        assert_eq!(o2.outcome, Outcome::Improved, "{}", o2.message);
        assert!(
            matches!(&o2.base, ModelSource::FineTuned { version, scope, .. } if Some(*version) == d2.version && scope == "device"),
            "{:?}",
            o2.base
        );
        assert!(o2.before.is_some(), "compared with her own model");
        assert_eq!(o2.new_answers, o2.train_answers);
        assert_eq!(run(&own).outcome, Outcome::UpToDate);
    }

    #[test]
    fn rolling_back_makes_the_version_before_active_again() {
        // The docs promised the previous version was kept for a rollback, and no command did one.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 4, 40);
        let e = rollback(&data, None).expect_err("nothing trained yet");
        assert!(e.to_string().contains("no fine-tuned model is in use for the device"), "{e}");
        let lax = TrainJob { min_improvement: -10.0, ..quick_job(&bundled) };
        let run = || run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        let (v1, v2) = (run().version.unwrap(), run().version.unwrap());
        let active = |d: &Path| {
            Store::open(d).unwrap().read(|tx| tx.active_model(ModelScope::Device)).unwrap()
        };

        let r = rollback(&data, None).unwrap();
        assert_eq!((r.from, r.to), (v2, Some(v1)));
        assert!(
            r.message.contains(&format!("model {v1}"))
                && r.message.contains(&format!("model {v2}")),
            "{}",
            r.message
        );
        assert_eq!(active(&data).unwrap().id.0, v1);
        let store = Store::open(&data).unwrap();
        let a = active_predictor(&store, Some(&bundled), None, &Settings::default());
        assert!(matches!(a.source, ModelSource::FineTuned { version, .. } if version == v1));
        // From the first version: the bundled model runs again.
        let r = rollback(&data, None).unwrap();
        assert_eq!((r.from, r.to), (v1, None));
        assert!(r.message.contains("bundled"), "{}", r.message);
        assert!(active(&data).is_none());
        assert_eq!(versions(&data).len(), 2, "nothing is deleted by a rollback");
        let e = rollback(&data, None).expect_err("nothing left to go back from");
        assert_eq!(e.kind, crate::error::ErrorKind::Conflict, "{e}");
        // A version before that does not load is passed over.
        run();
        let v3 = active(&data).unwrap();
        std::fs::remove_dir_all(data.join(&versions(&data)[1].checkpoint)).unwrap();
        let r = rollback(&data, None).unwrap();
        assert_eq!((r.from, r.to), (v3.id.0, Some(v1)), "{}", r.message);
        assert!(
            r.message.contains(&format!("passed over: model version {v2} skipped")),
            "says it passed over it: {}",
            r.message
        );
    }

    #[test]
    fn a_rolled_back_model_is_not_made_again_from_the_same_answers() {
        // After `ladder train --rollback`, the next `ladder train` (a nightly one, the app's
        // after a session) trained again on the answers of the model rolled back from, and
        // made much the same model active again.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let lax = TrainJob { min_improvement: -10.0, force: false, ..quick_job(&bundled) };
        let run = || run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        let v1 = run().version.unwrap();
        add_answers(&data, 10);
        let v2 = run().version.unwrap();
        assert_eq!(rollback(&data, None).unwrap().to, Some(v1));
        let r = run();
        assert_eq!(r.outcome, Outcome::UpToDate, "{}", r.message);
        assert!(r.message.contains(&format!("model {v2} was rolled back")), "{}", r.message);
        assert!(r.current.unwrap().rolled_back);
        // Back to the bundled model: the same.
        assert_eq!(rollback(&data, None).unwrap().to, None);
        assert_eq!(run().outcome, Outcome::UpToDate);
        // Rolled back to a version whose checkpoint no longer loads: the bundled model runs,
        // and the job trains rather than call that up to date.
        let v3 =
            run_training(&data, &TrainJob { force: true, ..lax.clone() }, &mut |_| {}, no_abort())
                .unwrap();
        assert_eq!(v3.outcome, Outcome::Improved, "{}", v3.message);
        let back = rollback(&data, None).unwrap();
        assert_eq!(back.to, Some(v2));
        let rel = versions(&data).into_iter().find(|v| v.id.0 == v2).unwrap().checkpoint;
        std::fs::remove_dir_all(data.join(rel)).unwrap();
        let r = run();
        assert_eq!(r.base, ModelSource::Bundled { checkpoint: bundled.clone() });
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        // New answers: it trains.
        add_answers(&data, 10);
        assert_eq!(run().outcome, Outcome::Improved);
    }

    #[test]
    fn a_model_is_judged_on_answers_that_did_not_choose_its_epoch() {
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let mut val_losses = Vec::new();
        let r = run_training(
            &data,
            &quick_job(&bundled),
            &mut |p| val_losses.extend(p.held_back_loss),
            no_abort(),
        )
        .unwrap();
        // Each learner's 40 answers: 32 to train on, the next 4 choose the epoch, the last 4
        // compare the models.
        assert_eq!(
            (r.train_answers, r.stopping_answers, r.held_back_answers),
            (6 * 32, 6 * 4, 6 * 4)
        );
        let (before, after) = (r.before.unwrap(), r.after.unwrap());
        assert_eq!((before.answers, after.answers), (6 * 4, 6 * 4));
        // The epoch's figures are not the comparison's: other answers.
        assert!(!val_losses.is_empty());
        assert!(
            val_losses.iter().all(|l| (f64::from(*l) - after.log_loss).abs() > 1e-6),
            "{val_losses:?} vs {after:?}"
        );
    }

    #[test]
    fn old_versions_are_removed_with_their_folders_and_the_ones_in_use_stay() {
        // Every kept version stayed on disk forever (~110 KB each), with nothing to clean them.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 4, 40);
        let lax = TrainJob { min_improvement: -10.0, ..quick_job(&bundled) };
        let ana = Store::open(&data).unwrap().read(|tx| tx.learners(false)).unwrap()[0].id;
        // One learner's 40 answers hold back too few for the usual minimums.
        let own = TrainJob {
            learner: Some(ana),
            min_train_answers: 1,
            min_held_back: 1,
            min_stopping_answers: 1,
            ..lax.clone()
        };
        let own_v = run_training(&data, &own, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(own_v.outcome, Outcome::Improved, "{}", own_v.message);
        let mut made = Vec::new();
        for _ in 0..6 {
            let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
            assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
            made.push(r.checkpoint.unwrap());
        }
        let vs = versions(&data);
        let registered: Vec<String> = vs.iter().map(|v| v.checkpoint.clone()).collect();
        // The active one, the one before it, and one more: the newest three.
        assert_eq!(registered, made[3..], "{registered:?}");
        assert_eq!(folders(&data, "device"), registered, "the registry and the files agree");
        assert!(vs.last().unwrap().active);
        // Ana's own model is not the device's to remove.
        let learner_dir = format!("learner-{}", ana.0);
        assert_eq!(folders(&data, &learner_dir), [own_v.checkpoint.clone().unwrap()]);
        let store = Store::open(&data).unwrap();
        assert_eq!(
            store.read(|tx| tx.active_model(ModelScope::Learner(ana))).unwrap().unwrap().checkpoint,
            own_v.checkpoint.unwrap()
        );
        // New versions take new numbers: never one a removed version had.
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.checkpoint.unwrap(), format!("{MODELS_SUBDIR}/device/0007"));
        // A job that keeps nothing removes nothing.
        let before = folders(&data, "device");
        let strict = TrainJob { min_improvement: 10.0, ..quick_job(&bundled) };
        assert_eq!(
            run_training(&data, &strict, &mut |_| {}, no_abort()).unwrap().outcome,
            Outcome::KeptCurrent
        );
        assert_eq!(folders(&data, "device"), before);
    }

    fn versions(dir: &Path) -> Vec<ladder_store::ModelVersion> {
        Store::open(dir).unwrap().read(|tx| tx.model_versions(ModelScope::Device)).unwrap()
    }

    fn no_abort() -> Arc<AtomicBool> {
        Arc::new(AtomicBool::new(false))
    }

    #[test]
    fn a_job_keeps_or_replaces_the_model_by_the_held_back_answers() {
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 8, 40);

        // Natural run: whichever way it goes, the report and the registry agree.
        let mut seen = Vec::new();
        let r =
            run_training(&data, &quick_job(&bundled), &mut |p| seen.push(p.clone()), no_abort())
                .unwrap();
        assert_eq!(r.base, ModelSource::Bundled { checkpoint: bundled.clone() });
        assert_eq!(r.learners, 8);
        assert_eq!(r.train_answers + r.stopping_answers + r.held_back_answers, 8 * 40);
        assert_eq!(
            (r.stopping_answers, r.held_back_answers),
            (8 * 4, 8 * 4),
            "20% of each learner's 40 answers, half to choose the epoch, half to compare"
        );
        let (before, after) = (r.before.unwrap(), r.after.unwrap());
        assert!(after.auc > 0.5 && before.auc > 0.5, "{before:?} {after:?}");
        let epoch_ends: Vec<_> = seen.iter().filter(|p| p.held_back_auc.is_some()).collect();
        assert_eq!(epoch_ends.len(), r.epochs_run);
        assert!(seen.iter().any(|p| p.phase == JobPhase::Training && p.step > 0));
        match r.outcome {
            Outcome::Improved => {
                assert!(after.log_loss < before.log_loss);
                assert_eq!(versions(&data).len(), 1);
            }
            Outcome::KeptCurrent => {
                assert!(after.log_loss >= before.log_loss - 1e-4);
                assert!(versions(&data).is_empty());
            }
            o => panic!("unexpected outcome {o:?}: {}", r.message),
        }

        // A bar no model can pass: nothing changes.
        let n_before = versions(&data).len();
        let strict = TrainJob { min_improvement: 10.0, ..quick_job(&bundled) };
        let r = run_training(&data, &strict, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::KeptCurrent, "{}", r.message);
        assert_eq!(versions(&data).len(), n_before);

        // A bar any model passes: the new model is saved, registered, active, and loaded next.
        let lax = TrainJob { min_improvement: -10.0, ..quick_job(&bundled) };
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        let rel = r.checkpoint.clone().unwrap();
        assert!(data.join(&rel).join(ladder_model::checkpoint::WEIGHTS_FILE).is_file());
        let vs = versions(&data);
        let active: Vec<_> = vs.iter().filter(|v| v.active).collect();
        assert_eq!(active.len(), 1);
        assert_eq!(active[0].checkpoint, rel);
        assert_eq!(Some(active[0].id.0), r.version);
        assert!(active[0].metrics["held_back"]["auc"].as_f64().is_some());
        let store = Store::open(&data).unwrap();
        let a = active_predictor(&store, Some(&bundled), None, &Settings::default());
        assert_eq!(a.predictor.name(), "transformer");
        assert!(
            matches!(&a.source, ModelSource::FineTuned { version, .. } if Some(*version) == r.version),
            "{:?}",
            a.source
        );
        assert!(a.skipped.is_empty(), "{:?}", a.skipped);

        // The next job starts from that model.
        let r2 = run_training(&data, &strict, &mut |_| {}, no_abort()).unwrap();
        assert!(matches!(r2.base, ModelSource::FineTuned { .. }), "{:?}", r2.base);

        // A corrupt checkpoint is refused with a reason, and the bundled model takes over.
        let weights = data.join(&rel).join(ladder_model::checkpoint::WEIGHTS_FILE);
        let bytes = std::fs::read(&weights).unwrap();
        std::fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
        let a = active_predictor(&store, Some(&bundled), None, &Settings::default());
        assert_eq!(a.source, ModelSource::Bundled { checkpoint: bundled.clone() });
        assert_eq!(a.skipped.len(), 1);
        assert!(a.skipped[0].contains(&format!("model version {}", r.version.unwrap())));
        assert!(a.skipped[0].contains("checksum"), "{}", a.skipped[0]);
        // ... and with the bundled model broken too, the built-in predictor runs.
        std::fs::write(bundled.join(ladder_model::checkpoint::CONFIG_FILE), b"{\"format\":")
            .unwrap();
        let a = active_predictor(&store, Some(&bundled), None, &Settings::default());
        assert_eq!(a.source, ModelSource::BuiltIn);
        assert_eq!(a.predictor.name(), "online-logistic");
        assert_eq!(a.skipped.len(), 2, "{:?}", a.skipped);
        assert!(a.skipped[1].starts_with("bundled model skipped"), "{}", a.skipped[1]);
    }

    /// A learner's own model (a learner job) is what the engine runs for that learner once
    /// [`use_active_model`] has installed the registry's models; every other learner keeps the
    /// shared one, and deleting the learner drops theirs.
    #[test]
    fn a_learners_own_model_speaks_for_them_and_no_one_else() {
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 3, 60);
        let mut store = Store::open(&data).unwrap();
        let ids: Vec<LearnerId> =
            store.read(|tx| tx.learners(false)).unwrap().iter().map(|l| l.id).collect();
        let (ana, ben) = (ids[0], ids[1]);
        // Ana's own model: another pre-training (another seed), registered as a learner job
        // registers its result, so that it surely differs from the shared one.
        let opts = SimulatedPretrain {
            students: 40,
            test_students: 5,
            answers: 50,
            non_learners: 0.0,
            epochs: 2,
            seed: 4,
            config: ModelConfig::default(),
        };
        let (model, _) = pretrain_simulated(&[pack_dir("fractions")], &opts, &mut |_| {}).unwrap();
        let rel = format!("{MODELS_SUBDIR}/learner-{}/0001", ana.0);
        ladder_model::checkpoint::save(&model, &data.join(&rel), serde_json::Value::Null).unwrap();
        let version = store
            .transact(|tx| {
                let v = tx.add_model_version(&NewModelVersion {
                    scope: ModelScope::Learner(ana),
                    checkpoint: rel.clone(),
                    trained_through: None,
                    metrics: serde_json::Value::Null,
                })?;
                tx.activate_model_version(v)?;
                Ok(v)
            })
            .unwrap();

        let mut engine = Engine::open(&data, EngineOptions::default()).unwrap();
        engine.set_clock(crate::Clock::Manual(1_900_000_000_000));
        let info = use_active_model(&mut engine, Some(&bundled));
        assert_eq!(info.source, ModelSource::Bundled { checkpoint: bundled.clone() });
        assert_eq!(engine.model_info(), Some(&info), "the engine says what it runs");
        assert_eq!(info.own.len(), 1, "{:?}", info.own);
        assert_eq!(info.own[0].0, ana);
        assert!(
            matches!(&info.own[0].1, ModelSource::FineTuned { version: v, scope, .. }
                if *v == version.0 && scope == "learner"),
            "{:?}",
            info.own[0].1
        );
        assert!(info.skipped.is_empty(), "{:?}", info.skipped);
        let summary = |e: &mut Engine, l: LearnerId| {
            serde_json::to_value(e.mastery_summary(l, "fractions").unwrap()).unwrap()
        };
        let (ana_own, ben_shared) = (summary(&mut engine, ana), summary(&mut engine, ben));

        // One model for everyone (the bundled one): Ben's figures stay, Ana's change.
        let settings = Settings::default();
        engine.set_predictor(active_predictor(&store, Some(&bundled), None, &settings).predictor);
        assert_eq!(engine.model_info(), None, "set by hand: not said where it came from");
        assert_eq!(summary(&mut engine, ben), ben_shared);
        assert_ne!(summary(&mut engine, ana), ana_own, "her own model gives other figures");
        // Ana's own model alone gives hers.
        let own = active_predictor(&store, Some(&bundled), Some(ana), &settings);
        assert!(matches!(own.source, ModelSource::FineTuned { .. }), "{:?}", own.source);
        engine.set_predictor(own.predictor);
        assert_eq!(summary(&mut engine, ana), ana_own);

        // A learner's own checkpoint that no longer loads: they run the shared model, and the
        // reason is given.
        let weights = data.join(&rel).join(ladder_model::checkpoint::WEIGHTS_FILE);
        std::fs::write(&weights, b"not weights").unwrap();
        let info = use_active_model(&mut engine, Some(&bundled));
        assert!(info.own.is_empty(), "{:?}", info.own);
        assert_eq!(info.skipped.len(), 1, "{:?}", info.skipped);
        assert!(info.skipped[0].starts_with(&format!("learner {}: model version", ana.0)));
        assert_eq!(summary(&mut engine, ben), ben_shared);

        // Deleting Ana drops her own model from the engine along with her files.
        let same = |e: &Engine| {
            std::ptr::addr_eq(e.predictor_for(ana) as *const _, e.predictor_for(ben) as *const _)
        };
        ladder_model::checkpoint::save(&model, &data.join(&rel), serde_json::Value::Null).unwrap();
        let info = use_active_model(&mut engine, Some(&bundled));
        assert_eq!(info.own.len(), 1, "{:?}", info.skipped);
        assert!(!same(&engine));
        engine.delete_learner(ana).unwrap();
        assert!(same(&engine));
        assert!(!data.join(&rel).exists());
    }

    #[test]
    fn a_job_for_a_learner_who_is_not_there_is_refused_as_not_found() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        store_with_history(&data, 2, 30);
        // With the stored history and with a CSV corpus alike (the corpus's model would be
        // registered for the learner).
        let answer = |k: usize| {
            ladder_model::data::Interaction::new("fractions/meaning-001", &[], !k.is_multiple_of(3))
        };
        let corpus: Vec<LearnerSequence> = (0..3)
            .map(|l| LearnerSequence {
                learner_id: format!("l{l}"),
                events: (0..30).map(answer).collect(),
            })
            .collect();
        for corpus in [None, Some(corpus)] {
            let job = TrainJob { learner: Some(LearnerId(99)), corpus, ..TrainJob::default() };
            let e = run_training(&data, &job, &mut |_| {}, no_abort()).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::NotFound, "{e}");
            assert!(e.to_string().contains("learner with id 99"), "{e}");
        }
        let store = Store::open(&data).unwrap();
        let scope = ModelScope::Learner(LearnerId(99));
        assert!(store.read(|tx| tx.model_versions(scope)).unwrap().is_empty());
    }

    #[test]
    fn cancelling_returns_promptly_and_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let abort = no_abort();
        let flag = abort.clone();
        let mut steps = 0;
        let mut job = TrainJob { min_improvement: -10.0, ..quick_job(&bundled) };
        job.training.epochs = 50;
        let t0 = Instant::now();
        let r = run_training(
            &data,
            &job,
            &mut |p| {
                if p.phase == JobPhase::Training && p.held_back_auc.is_none() {
                    steps += 1;
                    flag.store(true, Ordering::SeqCst);
                }
            },
            abort,
        )
        .unwrap();
        assert_eq!(r.outcome, Outcome::Cancelled, "{}", r.message);
        assert_eq!(steps, 1, "stopped after the step that saw the flag");
        assert!(r.epochs_run <= 1, "{}", r.epochs_run);
        assert!(t0.elapsed().as_secs() < 60);
        assert!(versions(&data).is_empty());
        assert!(!data.join(MODELS_SUBDIR).exists(), "no checkpoint written");
        let store = Store::open(&data).unwrap();
        let a = active_predictor(&store, Some(&bundled), None, &Settings::default());
        assert!(matches!(a.source, ModelSource::Bundled { .. }));
    }

    /// Every file under `dir` (none when it does not exist).
    fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    out.push(e.path());
                }
            }
        }
        out
    }

    #[test]
    fn a_learner_deleted_while_their_model_trains_leaves_no_checkpoint_behind() {
        // `ladder train --learner 1` runs while the tutor deletes learner 1: the weights learnt
        // from their answers must not stay on disk, unregistered, where `learner delete` (which
        // had nothing registered to delete) cannot know of them.
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        store_with_history(&data, 1, 60);
        let learner = LearnerId(1);
        let job = TrainJob {
            learner: Some(learner),
            min_improvement: -10.0,
            min_held_back: 1,
            training: TrainSettings { epochs: 1, ..TrainJob::default().training },
            ..TrainJob::default()
        };
        let mut deleted = false;
        let r = run_training(
            &data,
            &job,
            &mut |p| {
                if p.phase == JobPhase::Saving && !deleted {
                    let mut store = Store::open(&data).unwrap();
                    store.delete_learner(learner).unwrap();
                    deleted = true;
                }
            },
            no_abort(),
        );
        assert!(deleted, "the job never reached saving: {:?}", r.map(|r| r.message));
        let e = r.expect_err("a model for a deleted learner cannot be registered");
        assert_eq!(e.kind, crate::error::ErrorKind::NotFound, "{e}");
        // `ladder train --learner 2` said only "learner not found: 2", after the whole run.
        assert!(
            e.to_string().contains("learner 1 was deleted while their model trained"),
            "says what happened: {e}"
        );
        let left = files_under(&data.join(MODELS_SUBDIR));
        assert!(left.is_empty(), "left behind: {left:?}");
        let folder = data.join(MODELS_SUBDIR).join("learner-1");
        assert!(!folder.exists(), "a folder named after the deleted learner stays");
        let store = Store::open(&data).unwrap();
        assert!(store
            .read(|tx| tx.model_versions(ModelScope::Learner(learner)))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn cancelling_while_the_held_back_answers_are_scored_stops_there() {
        // `ladder train --from-csv` on 400 learners: scoring the current model on the held-back
        // answers took 20 s, with Ctrl-C unheard and the bar standing at "0/0 steps" meanwhile.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 3 * EVAL_CHUNK, 20);
        let abort = no_abort();
        let flag = abort.clone();
        let mut seen = Vec::new();
        let r = run_training(
            &data,
            &TrainJob { min_improvement: -10.0, ..quick_job(&bundled) },
            &mut |p| {
                if p.phase == JobPhase::Evaluating && p.step > 0 {
                    flag.store(true, Ordering::SeqCst);
                }
                seen.push(p.clone());
            },
            abort,
        )
        .unwrap();
        assert_eq!(r.outcome, Outcome::Cancelled, "{}", r.message);
        let scored: Vec<_> = seen.iter().filter(|p| p.phase == JobPhase::Evaluating).collect();
        assert!(
            scored.iter().all(|p| p.steps == 3),
            "the scoring says how far it is, by chunks of {EVAL_CHUNK} sequences: {scored:?}"
        );
        assert_eq!(scored.last().map(|p| p.step), Some(1), "stopped after the first chunk");
        assert!(seen.iter().all(|p| p.phase != JobPhase::Training), "no training after the flag");
        assert!(versions(&data).is_empty());
        assert!(!data.join(MODELS_SUBDIR).exists(), "no checkpoint written");
    }

    #[test]
    fn a_model_activated_by_another_job_meanwhile_is_not_replaced_unseen() {
        // The app's background job and `ladder train` on one data directory: each compared its
        // model with the one active when it started, and the last to finish made its own
        // active, replacing the other's without ever being compared with it.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 4, 40);
        let other = format!("{MODELS_SUBDIR}/device/other");
        ladder_model::checkpoint::save(
            &ladder_model::checkpoint::load(
                &bundled,
                &ladder_model::device::select("cpu").unwrap(),
            )
            .unwrap(),
            &data.join(&other),
            serde_json::Value::Null,
        )
        .unwrap();
        let mut other_id = None;
        let r = run_training(
            &data,
            &TrainJob { min_improvement: -10.0, ..quick_job(&bundled) },
            &mut |p| {
                if p.phase == JobPhase::Saving && other_id.is_none() {
                    let mut store = Store::open(&data).unwrap();
                    other_id = Some(
                        store
                            .transact(|tx| {
                                let id = tx.add_model_version(&NewModelVersion {
                                    scope: ModelScope::Device,
                                    checkpoint: other.clone(),
                                    trained_through: None,
                                    metrics: serde_json::Value::Null,
                                })?;
                                tx.activate_model_version(id)?;
                                Ok(id)
                            })
                            .unwrap(),
                    );
                }
            },
            no_abort(),
        )
        .unwrap();
        let other_id = other_id.expect("the job reached saving");
        assert_eq!(r.outcome, Outcome::KeptCurrent, "{}", r.message);
        assert!(r.message.contains("another training job"), "{}", r.message);
        assert_eq!(r.version, None);
        let vs = versions(&data);
        assert_eq!(vs.len(), 1, "only the other job's model is registered: {vs:?}");
        assert!(vs[0].active && vs[0].id == other_id);
        let left: Vec<_> = files_under(&data.join(MODELS_SUBDIR))
            .into_iter()
            .filter(|f| !f.starts_with(data.join(&other)))
            .collect();
        assert!(left.is_empty(), "the unused checkpoint stays behind: {left:?}");
    }

    #[test]
    fn a_run_in_which_no_epoch_did_better_says_so_and_keeps_the_model() {
        // "kept the current model: held-back log loss 0.1754 (new) vs 0.1754 (current)": the
        // "new" model was the current one given back, since no epoch had done better, and a
        // loss that went to NaN was not mentioned at all.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 4, 40);
        let with_rates = |lr: f64| {
            let mut job = quick_job(&bundled);
            job.training.learning_rate = lr;
            job.training.item_learning_rate = lr;
            job.training.bias_learning_rate = lr;
            job
        };
        let idle = run_training(&data, &with_rates(0.0), &mut |_| {}, no_abort()).unwrap();
        assert_eq!(idle.outcome, Outcome::KeptCurrent, "{}", idle.message);
        assert!(idle.message.contains("no epoch of fine-tuning did better"), "{}", idle.message);
        assert_eq!(idle.after, idle.before, "the model given back is the current one");
        let wild = run_training(&data, &with_rates(1e6), &mut |_| {}, no_abort()).unwrap();
        assert_eq!(wild.outcome, Outcome::KeptCurrent, "{}", wild.message);
        assert!(wild.message.contains("diverged"), "{}", wild.message);
        assert!(versions(&data).is_empty());
        assert!(!data.join(MODELS_SUBDIR).exists());
    }

    #[test]
    fn a_new_checkpoint_never_takes_the_folder_of_a_recorded_version() {
        // After the folder of an old version was deleted by hand (to free disk: nothing prunes
        // them), the next job saved into that same `models/device/0001`, and two versions of
        // the registry named one folder, the old one's metrics describing the new weights.
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 4, 40);
        let mut store = Store::open(&data).unwrap();
        let old = store
            .transact(|tx| {
                tx.add_model_version(&NewModelVersion {
                    scope: ModelScope::Device,
                    checkpoint: format!("{MODELS_SUBDIR}/device/0001"),
                    trained_through: None,
                    metrics: serde_json::Value::Null,
                })
            })
            .unwrap();
        let lax = TrainJob { min_improvement: -10.0, ..quick_job(&bundled) };
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        let rel = r.checkpoint.unwrap();
        assert_ne!(rel, format!("{MODELS_SUBDIR}/device/0001"), "took version {}'s folder", old.0);
        let vs = versions(&data);
        let mut paths: Vec<_> = vs.iter().map(|v| v.checkpoint.clone()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), vs.len(), "one folder per version: {paths:?}");
    }

    #[test]
    fn a_models_folder_that_cannot_be_written_fails_before_training() {
        // Found only after the whole run, this cost the app minutes of work for nothing.
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        store_with_history(&data, 3, 40);
        std::fs::write(data.join(MODELS_SUBDIR), b"a file where the models folder goes").unwrap();
        let mut trained = false;
        let r = run_training(
            &data,
            &TrainJob { min_improvement: -10.0, ..TrainJob::default() },
            &mut |p| trained |= p.phase == JobPhase::Training,
            no_abort(),
        );
        let e = r.expect_err("the models folder is a file");
        assert!(!trained, "trained before finding out: {e}");
        assert_eq!(e.kind, crate::error::ErrorKind::Model, "{e}");
        assert!(
            e.to_string().contains("cannot write the model") && e.to_string().contains("unchanged"),
            "{e}"
        );
        assert!(versions(&data).is_empty());
    }

    #[test]
    fn too_little_history_is_an_outcome_not_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        store_with_history(tmp.path(), 1, 10);
        let r = run_training(tmp.path(), &TrainJob::default(), &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::NotEnoughData);
        assert_eq!((r.train_answers, r.stopping_answers, r.held_back_answers), (8, 1, 1));
        assert!(r.message.contains("not enough"), "{}", r.message);
        assert_eq!(r.base, ModelSource::BuiltIn);
        // What it takes, so that a front end can say how far off training is.
        let job = TrainJob::default();
        assert_eq!(
            r.needs,
            Some(Needs {
                train_answers: job.min_train_answers,
                stopping_answers: job.min_stopping_answers,
                held_back_answers: job.min_held_back,
            })
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["needs"]["train_answers"], job.min_train_answers);
    }

    /// A course the trained model does not know (a teacher's own pack) is scored by the built-in
    /// predictor, and named so (a report said "learner model: transformer" for it); neither does
    /// the trained model then tell its questions apart.
    #[test]
    fn the_transformer_names_the_built_in_model_for_a_course_it_does_not_know() {
        let tmp = tempfile::tempdir().unwrap();
        bundled_model(tmp.path());
        let device = ladder_model::device::select("cpu").unwrap();
        let model = ladder_model::checkpoint::load(tmp.path(), &device).unwrap();
        let p = TransformerPredictor::new(model, Settings::default());
        let fractions = course_from_pack(&pack_dir("fractions")).unwrap();
        let own = crate::course::CourseBuilder::new("journeys", "1.0.0", "Journeys")
            .skill("distance", "Finding distance", &[])
            .lesson("trips", "Trips", &["distance"], false)
            .item("trips", "trip-1", &["distance"], 0.0)
            .build()
            .unwrap();
        assert_eq!((p.name_for(&fractions), p.name_for(&own)), ("transformer", "online-logistic"));
        assert!(p.tells_items_apart(&fractions) && !p.tells_items_apart(&own));
    }

    /// A right answer after the worked solution earns no mastery credit and one after a hint
    /// half (`Settings::credit`), with the trained model as with the built-in one.
    #[test]
    fn the_transformer_gives_the_credit_the_settings_say() {
        let tmp = tempfile::tempdir().unwrap();
        bundled_model(tmp.path());
        let device = ladder_model::device::select("cpu").unwrap();
        let model = ladder_model::checkpoint::load(tmp.path(), &device).unwrap();
        let fractions = course_from_pack(&pack_dir("fractions")).unwrap();
        let p = TransformerPredictor::new(model, Settings::default());
        let base = simulated_attempts(&fractions, 1, 12, 5)[0].clone();
        let last = base.last().unwrap();
        let item = (0..fractions.items.len()).find(|&i| base.iter().all(|a| a.item != i)).unwrap();
        let answer = |hints: u8, solution_seen: bool| {
            let mut h = base.clone();
            h.push(Attempt {
                item,
                correct: true,
                hints,
                solution_seen,
                latency_ms: 5000,
                at: last.at + 60,
            });
            h
        };
        let cands: Vec<usize> = (0..fractions.items.len()).collect();
        let now = last.at + 120;
        let skill = fractions.main_skill(item);
        let mastery = |h: &[Attempt]| p.assess(&fractions, h, &cands, now).unwrap().skills[skill];
        let (none, full) = (mastery(&base), mastery(&answer(0, false)));
        assert_ne!(none.mastery, full.mastery, "an unaided right answer moves the estimate");
        let solved = mastery(&answer(3, true));
        assert_eq!(solved.mastery, none.mastery, "no credit after the worked solution");
        assert_eq!(solved.last_practised, Some(last.at + 60), "it was practised all the same");
        // A hinted answer: half way between leaving it out and reading it in full (as a
        // predictor that gives hinted answers full credit reads it, hint level included).
        let reader = TransformerPredictor::new(
            ladder_model::checkpoint::load(tmp.path(), &device).unwrap(),
            Settings { hinted_credit: 1.0, ..Settings::default() },
        );
        let hinted = answer(1, false);
        let read = reader.assess(&fractions, &hinted, &cands, now).unwrap();
        let got = p.assess(&fractions, &hinted, &cands, now).unwrap();
        let left_out = p.assess(&fractions, &base, &cands, now).unwrap();
        let half = none.mastery + 0.5 * (read.skills[skill].mastery - none.mastery);
        assert!((got.skills[skill].mastery - half).abs() < 1e-5, "{got:?} vs {half}");
        assert_ne!(got.skills[skill].mastery, read.skills[skill].mastery);
        for k in 0..cands.len() {
            let want = left_out.items[k] + 0.5 * (read.items[k] - left_out.items[k]);
            assert!((got.items[k] - want).abs() < 1e-5, "item {k}");
        }
    }

    #[test]
    fn a_pack_the_model_never_saw_falls_back_to_the_built_in_predictor() {
        let tmp = tempfile::tempdir().unwrap();
        bundled_model(tmp.path());
        let device = ladder_model::device::select("cpu").unwrap();
        let model = ladder_model::checkpoint::load(tmp.path(), &device).unwrap();
        let fractions = course_from_pack(&pack_dir("fractions")).unwrap();
        let spanish = course_from_pack(&pack_dir("spanish-a1")).unwrap();
        let p = TransformerPredictor::new(model, Settings::default());
        assert!(p.knows(&fractions));
        assert!(!p.knows(&spanish));
        let history = &simulated_attempts(&spanish, 1, 20, 5)[0];
        let cands: Vec<usize> = (0..spanish.items.len()).collect();
        let got = p.assess(&spanish, history, &cands, 1_767_300_000).unwrap();
        let want = OnlineLogistic::new(Settings::default())
            .assess(&spanish, history, &cands, 1_767_300_000)
            .unwrap();
        assert_eq!(got, want);
        // On the pack it knows, it is the transformer that answers.
        let h = &simulated_attempts(&fractions, 1, 20, 5)[0];
        let cands: Vec<usize> = (0..fractions.items.len()).collect();
        let t = p.assess(&fractions, h, &cands, 1_767_300_000).unwrap();
        let o = OnlineLogistic::new(Settings::default())
            .assess(&fractions, h, &cands, 1_767_300_000)
            .unwrap();
        assert_ne!(t.items, o.items);
        assert!(t.items.iter().all(|p| (0.0..=1.0).contains(p)));
        // The cached history gives the same answer; a longer history is encoded afresh.
        assert_eq!(p.assess(&fractions, h, &cands, 1_767_300_000).unwrap(), t);
        let shorter = p.assess(&fractions, &h[..10], &cands, 1_767_300_000).unwrap();
        assert_ne!(shorter.items, t.items);
        // One pass for candidates and skills gives what the two separate calls give.
        let state = p.model.encode_history(&interactions(&fractions, h)).unwrap();
        let alone = p
            .model
            .score(&state, &cands.iter().map(|&i| candidate(&fractions, i)).collect::<Vec<_>>())
            .unwrap();
        for (a, b) in alone.iter().zip(&t.items) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
        let ids: Vec<String> =
            (0..fractions.skills.len()).map(|s| model_skill_id(&fractions, s)).collect();
        let m = p.model.mastery(&state, &ids).unwrap();
        for (m, s) in m.iter().zip(&t.skills) {
            assert!((m.p - s.mastery).abs() < 1e-6 && (m.sd - s.uncertainty).abs() < 1e-6);
        }
    }

    /// Regression: deleting a learner erased their answers, but the device model trained on
    /// them kept running and the next job fine-tuned it further, so what it learnt from them
    /// stayed for good (and a learner's own model started from it kept it too).
    #[test]
    fn a_deleted_learners_answers_leave_the_models_that_learnt_from_them() {
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let ids: Vec<LearnerId> = Store::open(&data)
            .unwrap()
            .read(|tx| tx.learners(false))
            .unwrap()
            .iter()
            .map(|l| l.id)
            .collect();
        let (ana, ben) = (ids[0], ids[1]);
        let lax = TrainJob { min_improvement: -10.0, force: false, ..quick_job(&bundled) };
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        let device_v = r.version.unwrap();
        // Ben's own model starts from that device model: it learnt from Ana's answers too.
        let own = TrainJob {
            learner: Some(ben),
            min_train_answers: 20,
            min_stopping_answers: 2,
            min_held_back: 2,
            ..lax.clone()
        };
        let r = run_training(&data, &own, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        let own_v = r.version.unwrap();
        let store = Store::open(&data).unwrap();
        let of = |id: i64| {
            let v = store.read(|tx| tx.model_version(ModelVersionId(id))).unwrap().unwrap();
            learned_from(&v).unwrap()
        };
        assert_eq!(of(device_v), ids);
        assert_eq!(of(own_v), ids, "through the device model it started from");

        let mut engine = Engine::open(&data, EngineOptions::default()).unwrap();
        engine.delete_learner(ana).unwrap();
        drop(engine);
        // Neither runs any more, for anyone.
        for who in [None, Some(ben)] {
            let (m, skipped) = current_model(&store, Some(&bundled), who);
            assert!(matches!(m.unwrap().source, ModelSource::Bundled { .. }), "{skipped:?}");
            assert!(
                skipped.iter().any(|s| s.contains(&format!(
                    "it learnt from the answers of learner {}, deleted since",
                    ana.0
                ))),
                "{skipped:?}"
            );
        }
        // The next job sets them aside and trains from the bundled model, without her answers.
        let r = run_training(&data, &lax, &mut |_| {}, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::Improved, "{}", r.message);
        assert!(matches!(r.base, ModelSource::Bundled { .. }), "{:?}", r.base);
        let u = r.unlearned.clone().expect("what was set aside");
        assert_eq!(u.versions, [device_v, own_v]);
        assert_eq!(u.learners, [ana.0]);
        assert_eq!(u.device, Some(Switch { from: device_v, to: None }));
        let switch = Switch { from: own_v, to: None };
        assert_eq!(u.own, [OwnSwitch { learner: ben.0, switch }]);
        assert!(u.message.contains("the next training job trains without their answers"), "{u:?}");
        assert_eq!(folders(&data, "device"), [r.checkpoint.clone().unwrap()]);
        assert!(folders(&data, &format!("learner-{}", ben.0)).is_empty());
        let new = r.version.unwrap();
        assert!(!of(new).contains(&ana), "{:?}", of(new));
        assert_eq!(of(new).len(), 5);
        assert!(store.read(|tx| tx.active_model(ModelScope::Learner(ben))).unwrap().is_none());
        // Nothing is left to set aside, and a rollback never goes back to them.
        let mut store = Store::open(&data).unwrap();
        assert!(forget_deleted_learners(&mut store).unwrap().is_empty());
        let back = rollback(&data, None).unwrap();
        assert_eq!(back.to, None, "{}", back.message);
        assert!(
            back.message.contains(&format!(
                "passed over: model version {device_v}, which learnt from the answers of learner \
                 {}, deleted since",
                ana.0
            )),
            "{}",
            back.message
        );
    }

    /// A learner deleted while the device's model learns from their answers: the new model is
    /// not kept, and nothing of it stays on disk.
    #[test]
    fn a_learner_deleted_while_the_model_learns_from_them_keeps_the_current_model() {
        let tmp = tempfile::tempdir().unwrap();
        let (data, bundled) = (tmp.path().join("data"), tmp.path().join("bundled"));
        bundled_model(&bundled);
        store_with_history(&data, 6, 40);
        let ana = Store::open(&data).unwrap().read(|tx| tx.learners(false)).unwrap()[0].id;
        let lax = TrainJob { min_improvement: -10.0, ..quick_job(&bundled) };
        let mut deleted = false;
        let mut progress = |p: &JobProgress| {
            if p.phase == JobPhase::Training && !deleted {
                deleted = true;
                Store::open(&data).unwrap().delete_learner(ana).unwrap();
            }
        };
        let r = run_training(&data, &lax, &mut progress, no_abort()).unwrap();
        assert_eq!(r.outcome, Outcome::KeptCurrent, "{}", r.message);
        assert!(
            r.message.contains(&format!(
                "learner {} was deleted while the new model learnt from their answers",
                ana.0
            )),
            "{}",
            r.message
        );
        assert!(versions(&data).is_empty());
        assert!(folders(&data, "device").is_empty());
    }
}
