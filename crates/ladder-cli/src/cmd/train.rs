//! `ladder train`: the three ways to train the learner model, each with a progress bar and
//! Ctrl-C cancellation.
//!
//! - `ladder --data-dir D train [--learner ID] [--from-csv DIR]`: the device's training job
//!   (`ladder_engine::training::run_training`): fine-tune the current model on the stored history
//!   (or on a CSV), hold back each learner's latest answers, and make the new model active only
//!   when it beats the current one on them. Ctrl-C cancels and leaves the active model as it was.
//!   With no answer since the active model was trained it says so and trains nothing, unless
//!   `--force`.
//! - `ladder train --from-csv DIR -o MODEL_DIR`: pre-train a fresh model on an interaction CSV
//!   and write the checkpoint (Ctrl-C stops after the current batch and saves the best weights;
//!   when no epoch was kept, there are none, and nothing is saved).
//! - `ladder train --simulated --packs DIR -o MODEL_DIR`: pre-train a fresh model on simulated
//!   students working through every pack under DIR (how `models/default` is built; see
//!   `models/README.md`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ladder_engine::training::{
    pretrain_simulated_with, run_training, JobPhase, Outcome, PretrainHooks, SimulatedPretrain,
    TrainJob,
};
use ladder_model::train::{train, StopReason, TrainInput, TrainSettings};
use ladder_store::LearnerId;

use super::Context;

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Folder with interactions.csv (folds.csv is not needed). With -o: pre-train a fresh model
    /// on it; without: fine-tune the device's model on it (ids must be `pack/item`).
    #[arg(long, value_name = "DIR")]
    pub from_csv: Option<PathBuf>,
    /// Pre-train on simulated students working through the packs under --packs.
    #[arg(long, requires = "output")]
    pub simulated: bool,
    /// Folder of course packs (each sub-folder with a pack.toml, or .ladderpack files).
    #[arg(long, value_name = "DIR", default_value = "assets/packs")]
    pub packs: PathBuf,
    /// Simulated students per pack for training.
    #[arg(long, default_value_t = 300)]
    pub students: usize,
    /// Simulated students per pack for the final measurement.
    #[arg(long, default_value_t = 100)]
    pub test_students: usize,
    /// Answers per simulated student.
    #[arg(long, default_value_t = 120)]
    pub answers: usize,
    /// Share of the simulated students who do not learn (each right at a chance of their own,
    /// whatever the item); 0, as models/default was trained (docs/model.md, revision 9).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = super::eval::parse_share)]
    pub non_learners: f32,
    /// Fine-tune for this learner only (the job on the stored history): their id, as `ladder
    /// learner list` shows it.
    #[arg(long, value_name = "ID", value_parser = super::learner::learner_id)]
    pub learner: Option<i64>,
    /// Train even when no answer came since the active model was trained, and on every answer
    /// (the device's job; without it, such a run says so and changes nothing, and a run after
    /// new answers trains on them and a replay of older ones).
    #[arg(long)]
    pub force: bool,
    /// Go back to the model version in use before the current one (of the device, or with
    /// --learner of that learner; the bundled or device model when there is none), training
    /// nothing.
    #[arg(long, conflicts_with_all = ["force", "from_csv", "output", "simulated"])]
    pub rollback: bool,
    /// The bundled default model (the job's starting point when no fine-tuned model exists).
    #[arg(long, value_name = "DIR", default_value = "models/default")]
    pub bundled: PathBuf,
    /// Where to write the checkpoint (model.safetensors + model.json; the previous one is kept
    /// as .prev). Only with --from-csv or --simulated.
    #[arg(short = 'o', long, value_name = "MODEL_DIR")]
    pub output: Option<PathBuf>,
    /// Share of learners held back for early stopping (pre-training; from 0 to below 1).
    #[arg(long, default_value_t = DEFAULT_VAL_FRACTION, value_parser = super::eval::parse_share)]
    pub val_fraction: f32,
    #[command(flatten)]
    pub training: super::eval::TrainingFlags,
}

const DEFAULT_VAL_FRACTION: f32 = 0.1;

/// The flags given with a value other than their default that the chosen way of training does
/// not read: the device's job keeps its own fine-tuning settings (only `--seed` and `--config`
/// reach it), `--simulated` reads `--epochs` of the training flags, a CSV pre-training has no
/// learner. Refused rather than silently ignored.
fn unused_flags(args: &TrainArgs) -> Vec<&'static str> {
    use super::eval::TrainingFlags;
    use clap::{Args as _, FromArgMatches as _};
    let defaults = TrainingFlags::augment_args(clap::Command::new("defaults"))
        .try_get_matches_from(["defaults"])
        .ok()
        .and_then(|m| TrainingFlags::from_arg_matches(&m).ok());
    let Some(d) = defaults else { return Vec::new() };
    let t = &args.training;
    let given = [
        ("--epochs", t.epochs != d.epochs),
        ("--batch-size", t.batch_size != d.batch_size),
        ("--lr", t.lr != d.lr),
        ("--item-lr", t.item_lr != d.item_lr),
        ("--item-prior", t.item_prior != d.item_prior),
        ("--lr-decay", t.lr_decay != d.lr_decay),
        ("--ema", t.ema != d.ema),
        ("--item-prior-rasch", t.item_prior_rasch != d.item_prior_rasch),
        ("--bias-lr", t.bias_lr != d.bias_lr),
        ("--window-stride", t.window_stride != d.window_stride),
        ("--patience", t.patience != d.patience),
        ("--device", t.device != d.device),
        ("--seed", t.seed != d.seed),
        ("--config", t.config.is_some()),
        ("--val-fraction", args.val_fraction != DEFAULT_VAL_FRACTION),
        ("--learner", args.learner.is_some()),
        ("--force", args.force),
        ("--rollback", args.rollback),
        ("--from-csv", args.from_csv.is_some()),
        ("--packs", args.packs != Path::new("assets/packs")),
        ("--students", args.students != 300),
        ("--test-students", args.test_students != 100),
        ("--answers", args.answers != 120),
        ("--non-learners", args.non_learners != 0.0),
    ];
    const SIMULATION: [&str; 5] =
        ["--packs", "--students", "--test-students", "--answers", "--non-learners"];
    let read = |flag: &str| match (&args.output, args.simulated) {
        (Some(_), true) => {
            ["--epochs", "--seed", "--config"].contains(&flag) || SIMULATION.contains(&flag)
        }
        (Some(_), false) => {
            !["--learner", "--force", "--rollback"].contains(&flag) && !SIMULATION.contains(&flag)
        }
        (None, _) => {
            ["--learner", "--from-csv", "--force", "--rollback", "--seed", "--config"]
                .contains(&flag)
                // Going back trains nothing: of the flags, it reads only --learner.
                && (!args.rollback || ["--learner", "--rollback"].contains(&flag))
        }
    };
    given.iter().filter(|(f, g)| *g && !read(f)).map(|(f, _)| *f).collect()
}

fn abort_on_ctrl_c(what: &'static str) -> anyhow::Result<Arc<AtomicBool>> {
    let abort = Arc::new(AtomicBool::new(false));
    let flag = abort.clone();
    ctrlc::set_handler(move || {
        eprintln!("\n{what} (Ctrl-C)...");
        flag.store(true, Ordering::SeqCst);
    })
    .context("installing the Ctrl-C handler")?;
    Ok(abort)
}

fn epoch_style() -> ProgressStyle {
    ProgressStyle::with_template("epoch {prefix} [{bar:30}] {pos}/{len} steps {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn phase_style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Prints a line above the bar, or on stderr when the bar is hidden (not at a terminal: a log
/// file, a pipe), where `ProgressBar::println` prints nothing.
fn say(bar: &ProgressBar, line: &str) {
    if bar.is_hidden() {
        eprintln!("{line}");
    } else {
        bar.println(line);
    }
}

fn bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(epoch_style());
    bar
}

pub fn run(ctx: &Context, args: TrainArgs) -> anyhow::Result<ExitCode> {
    let unused = unused_flags(&args);
    if !unused.is_empty() {
        let mode = match (&args.output, args.simulated) {
            (None, _) if args.rollback => "--rollback trains nothing: it reads only --learner",
            (Some(_), true) => "pre-training on simulated students (--simulated -o) reads only --epochs, --seed and --config of the training flags, and no CSV",
            (Some(_), false) => "pre-training on a CSV (--from-csv -o) trains a model for no learner, simulates no students and always trains (--force and --rollback are for the device's job)",
            (None, _) => "the device's training job (no -o) keeps its own fine-tuning settings and simulates no students: it reads --seed, --config, --learner, --from-csv and --force",
        };
        bail!("{} would not be used: {mode}", unused.join(", "));
    }
    if args.rollback {
        let done =
            ladder_engine::training::rollback(&ctx.data_dir()?, args.learner.map(LearnerId))?;
        println!("{}", done.message);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = &args.output else { return job(ctx, &args) };
    if !args.simulated && args.from_csv.is_none() {
        bail!("-o needs --from-csv DIR or --simulated");
    }
    let created = check_writable(out)?;
    let result = match &args.from_csv {
        Some(csv) if !args.simulated => from_csv(&args, csv, out),
        _ => simulated(&args, out),
    };
    // A run that saved nothing (an error, a cancel before the first epoch) leaves no folder
    // that it made for -o.
    if !out.join(ladder_model::checkpoint::WEIGHTS_FILE).exists() {
        remove_empty(&created);
    }
    result
}

/// Creates the checkpoint folder `dir` if needed and checks that files can be written there, so
/// that a mistyped or read-only `-o` fails now rather than when the trained model is saved.
/// Returns the folders it created, deepest first.
fn check_writable(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let cannot = || format!("cannot write the model to {}", dir.display());
    let created: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .map(Path::to_path_buf)
        .collect();
    let probe = dir.join(".ladder-write-check");
    let checked = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&probe, b""));
    let _ = std::fs::remove_file(&probe);
    if let Err(e) = checked {
        remove_empty(&created);
        return Err(anyhow::Error::new(e).context(cannot()));
    }
    Ok(created)
}

/// Removes the folders in `dirs` (deepest first) that are empty.
fn remove_empty(dirs: &[PathBuf]) {
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
}

/// The device's training job.
fn job(ctx: &Context, args: &TrainArgs) -> anyhow::Result<ExitCode> {
    let data_dir = ctx.data_dir()?;
    let corpus = match &args.from_csv {
        Some(dir) => {
            let seqs = ladder_model::data::load_interactions_dir(dir)?;
            check_corpus_ids(&data_dir, dir, &seqs)?;
            Some(seqs)
        }
        None => None,
    };
    // The job keeps its own fine-tuning defaults; only the seed comes from the flags.
    let defaults = TrainJob::default();
    let job = TrainJob {
        learner: args.learner.map(LearnerId),
        corpus,
        bundled: super::bundled_model(&args.bundled),
        training: TrainSettings { seed: args.training.seed, ..defaults.training.clone() },
        force: args.force,
        config: super::eval::load_config(args.training.config.as_ref())?,
        ..defaults
    };
    let abort = abort_on_ctrl_c("cancelling; the active model stays as it is")?;
    let pb = bar();
    pb.set_style(phase_style("{msg}"));
    let pb2 = pb.clone();
    // Which style the bar shows: the epoch bar while training, a phase with its own count
    // (the held-back answers are scored in chunks of learners) otherwise.
    let mut shown: Option<JobPhase> = None;
    let mut trained = false;
    let mut progress = move |p: &ladder_engine::training::JobProgress| {
        if shown != Some(p.phase) {
            // The new phase's count and words first, then its style: no frame shows the
            // last phase's count in the new style.
            shown = Some(p.phase);
            pb2.set_length(p.steps as u64);
            pb2.set_position(p.step as u64);
            pb2.set_message("");
            pb2.set_style(match p.phase {
                JobPhase::Training => epoch_style(),
                JobPhase::Evaluating => phase_style("{msg} [{bar:30}] {pos}/{len}"),
                JobPhase::Loading | JobPhase::Saving => phase_style("{msg}"),
            });
        }
        match p.phase {
            JobPhase::Training => {
                trained = true;
                pb2.set_prefix(format!("{}/{}", p.epoch + 1, p.epochs));
                pb2.set_length(p.steps as u64);
                pb2.set_position(p.step as u64);
                match (p.held_back_loss, p.held_back_auc) {
                    (Some(l), Some(a)) => say(
                        &pb2,
                        &format!(
                            "epoch {}: train loss {:.4}; on the answers that choose the epoch, \
                             loss {l:.4}, AUC {a:.4}",
                            p.epoch + 1,
                            p.loss.unwrap_or(f32::NAN)
                        ),
                    ),
                    _ => pb2.set_message(format!("loss {:.4}", p.loss.unwrap_or(f32::NAN))),
                }
            }
            JobPhase::Evaluating => {
                let which = if trained { "new" } else { "current" };
                pb2.set_message(format!("scoring the {which} model"));
                pb2.set_length(p.steps as u64);
                pb2.set_position(p.step as u64);
            }
            JobPhase::Loading => pb2.set_message("reading the history"),
            JobPhase::Saving => pb2.set_message("saving the new model"),
        }
    };
    let report = run_training(&data_dir, &job, &mut progress, abort)?;
    pb.finish_and_clear();
    for s in &report.skipped {
        eprintln!("warning: {s}");
    }
    // Models that learnt from a learner deleted since: set aside before the job began.
    if let Some(u) = &report.unlearned {
        eprintln!("{}", u.message);
    }
    eprintln!("started from: {}", report.base.describe());
    // A job that starts from a model which learnt most of them trains on what is new to it and
    // a replay of older windows (docs/model.md): say how many are new, as the time follows them.
    let new = if report.new_answers < report.train_answers {
        format!(
            " ({} new to the model it starts from, with a replay of older ones)",
            report.new_answers
        )
    } else {
        String::new()
    };
    eprintln!(
        "{} {}, {} answers to train on{new}, {} held back to choose the epoch and {} to compare \
         the models",
        report.learners,
        if report.learners == 1 { "sequence" } else { "sequences" },
        report.train_answers,
        report.stopping_answers,
        report.held_back_answers
    );
    println!("{}", report.message);
    if report.outcome == Outcome::UpToDate {
        eprintln!("(--force trains it again all the same)");
    }
    if !report.removed.is_empty() {
        eprintln!(
            "removed {} older model version(s): {}; the {} newest stay (the one in use and the \
             one before it among them)",
            report.removed.len(),
            report.removed.join(", "),
            ladder_engine::training::KEEP_VERSIONS
        );
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    // 2 is for a command that could not run (main's errors): "nothing to learn from yet" is
    // an outcome a nightly script must tell apart from a failure.
    Ok(match report.outcome {
        Outcome::Improved | Outcome::KeptCurrent | Outcome::UpToDate => ExitCode::SUCCESS,
        Outcome::NotEnoughData => ExitCode::from(1),
        Outcome::Cancelled => ExitCode::from(130),
    })
}

/// The job on a CSV fine-tunes the model the app runs, and the app names items `pack/item`: a
/// CSV whose answers are mostly on items of no installed pack (ASSISTments ids, a typo'd pack)
/// would replace that model with one trained on ids the app never asks about. Refused, pointing
/// at `-o`, which pre-trains a separate model instead.
fn check_corpus_ids(
    data_dir: &Path,
    csv: &Path,
    seqs: &[ladder_model::data::LearnerSequence],
) -> anyhow::Result<()> {
    let store = ladder_store::Store::open(data_dir)?;
    let packs: std::collections::HashSet<String> =
        store.read(|tx| tx.packs(false))?.into_iter().map(|p| p.id).collect();
    let answers = seqs.iter().flat_map(|s| &s.events);
    let (mut known, mut total, mut example) = (0usize, 0usize, None);
    for e in answers {
        total += 1;
        match e.item_id.split_once('/') {
            Some((pack, _)) if packs.contains(pack) => known += 1,
            _ => example = example.or(Some(e.item_id.as_str())),
        }
    }
    if 2 * known < total {
        let mut installed: Vec<&str> = packs.iter().map(String::as_str).collect();
        installed.sort_unstable();
        bail!(
            "{}: {} of {total} answers are on items named `pack/item` after an installed pack \
             (e.g. `{}`; installed: {}). Fine-tuning the device's model on them would replace the \
             model the app runs; to pre-train a separate model on this CSV, add -o MODEL_DIR",
            csv.display(),
            known,
            example.unwrap_or_default(),
            if installed.is_empty() { "none".to_string() } else { installed.join(", ") }
        );
    }
    Ok(())
}

/// The pack folders (or `.ladderpack` files) directly under `dir`, sorted by name.
fn pack_paths(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = entry?.path();
        if p.join("pack.toml").is_file() || p.extension().is_some_and(|e| e == "ladderpack") {
            out.push(p);
        }
    }
    out.sort();
    if out.is_empty() {
        bail!("no course packs in {}", dir.display());
    }
    Ok(out)
}

/// Pre-training on simulated students (how `models/default` is built).
fn simulated(args: &TrainArgs, output: &Path) -> anyhow::Result<ExitCode> {
    let packs = pack_paths(&args.packs)?;
    let opts = SimulatedPretrain {
        students: args.students,
        test_students: args.test_students,
        answers: args.answers,
        non_learners: args.non_learners,
        epochs: args.training.epochs,
        seed: args.training.seed,
        config: super::eval::load_config(args.training.config.as_ref())?,
    };
    let abort = abort_on_ctrl_c("stopping after this batch")?;
    let bar = bar();
    let pb = bar.clone();
    let mut log = |m: &str| say(&pb, m);
    let pb = bar.clone();
    let mut step = |p: &ladder_model::train::Progress| {
        pb.set_prefix(format!("{}/{}", p.epoch + 1, p.epochs));
        pb.set_length(p.batches as u64);
        pb.set_position(p.batch as u64);
        pb.set_message(format!("loss {:.4}", p.train_loss));
    };
    let hooks =
        PretrainHooks { log: Some(&mut log), progress: Some(&mut step), abort: Some(abort) };
    let (model, report) = pretrain_simulated_with(&packs, &opts, hooks)?;
    bar.finish_and_clear();
    if report.best_epoch.is_none() {
        // As for a CSV: no epoch kept means untrained weights, which must not push the
        // checkpoint in the folder aside.
        let stop = if report.stop == "Aborted" {
            "cancelled before the first epoch was validated".to_string()
        } else if report.stop.starts_with("Diverged") {
            format!("{} before the first epoch was validated", report.stop)
        } else {
            "no epoch did better on the held-back students than the untrained weights".to_string()
        };
        eprintln!("{stop}: nothing saved, {} is as it was", output.display());
        return Ok(ExitCode::from(if report.stop == "Aborted" {
            130
        } else if report.stop.starts_with("Diverged") {
            3
        } else {
            1
        }));
    }
    if !report.figures.is_empty() {
        eprintln!(
            "{:<28} {:>7} {:>7} {:>8} {:>7} {:>7}",
            "model", "AUC", "acc", "logloss", "RMSE", "ECE"
        );
    }
    for f in &report.figures {
        let m = &f.metrics;
        eprintln!(
            "{:<28} {:>7.4} {:>7.4} {:>8.4} {:>7.4} {:>7.4}",
            f.model, m.auc, m.accuracy, m.log_loss, m.rmse, m.ece
        );
    }
    let mut notes = serde_json::to_value(&report)?;
    if let Some(o) = notes.as_object_mut() {
        o.insert(
            "data".into(),
            "SIMULATED students only (logistic family of ladder simulate), no real learners".into(),
        );
        o.remove("train_seconds");
        if let Some(eps) = o.get_mut("epochs").and_then(|e| e.as_array_mut()) {
            // Timings vary run to run; keep the checkpoint reproducible.
            for e in eps.iter_mut().filter_map(|e| e.as_object_mut()) {
                e.remove("seconds");
                e.remove("tokens_per_s");
            }
        }
    }
    ladder_model::checkpoint::save(&model, output, notes)?;
    let cancelled = if report.stop == "Aborted" {
        "cancelled: the best weights so far, not measured; "
    } else {
        ""
    };
    eprintln!(
        "saved {} ({cancelled}{} epochs, {}, {:.0} s of training)",
        output.display(),
        report.epochs.len(),
        best_epoch_text(report.best_epoch),
        report.train_seconds
    );
    Ok(ExitCode::SUCCESS)
}

/// Pre-training on an interaction CSV.
fn from_csv(args: &TrainArgs, csv: &Path, output: &Path) -> anyhow::Result<ExitCode> {
    let device = ladder_model::device::select(&args.training.device)?;
    let sequences = ladder_model::data::load_interactions_dir(csv)?;
    let config = super::eval::load_config(args.training.config.as_ref())?;
    let abort = abort_on_ctrl_c("stopping after this batch")?;
    let bar = bar();
    let pb = bar.clone();
    let n_learners = sequences.len();
    let out = train(TrainInput {
        sequences,
        config,
        settings: TrainSettings { val_fraction: args.val_fraction, ..args.training.settings() },
        device,
        abort: Some(abort.clone()),
        progress: Some(Box::new(move |p| {
            pb.set_prefix(format!("{}/{}", p.epoch + 1, p.epochs));
            pb.set_length(p.batches as u64);
            pb.set_position(p.batch as u64);
            match (p.val_loss, p.val_auc) {
                (Some(vl), Some(va)) => {
                    say(
                        &pb,
                        &format!(
                            "epoch {}: train loss {:.4}, validation loss {vl:.4}, AUC {va:.4}",
                            p.epoch + 1,
                            p.train_loss
                        ),
                    );
                }
                _ => pb.set_message(format!("loss {:.4}", p.train_loss)),
            }
        })),
        ..Default::default()
    })?;
    bar.finish_and_clear();
    if out.best_epoch.is_none() {
        // No epoch was kept (cancelled or diverged before the first validation, or no epoch
        // beat the untrained weights on the held-back learners): the weights are the untrained
        // ones, and saving them would push a good checkpoint in the folder aside (and out, on
        // a second try).
        let why = match &out.stop {
            StopReason::Aborted | StopReason::Diverged(_) => {
                format!("{} before the first epoch was validated", stop_text(&out.stop))
            }
            _ => format!(
                "no epoch did better on the held-back learners than the untrained weights (validation loss {:.4})",
                out.best_val_loss
            ),
        };
        eprintln!("{why}: nothing saved, {} is as it was", output.display());
        return Ok(ExitCode::from(match out.stop {
            StopReason::Aborted => 130,
            StopReason::Diverged(_) => 3,
            _ => 1,
        }));
    }
    let notes = serde_json::json!({
        "trained_on": csv.file_name().map(|n| n.to_string_lossy().to_string()),
        "learners": n_learners,
        "epochs": out.epochs,
        "best_epoch": out.best_epoch,
        "best_val_loss": out.best_val_loss,
        "stop": format!("{:?}", out.stop),
    });
    ladder_model::checkpoint::save(&out.model, output, notes)?;
    eprintln!(
        "saved {} ({}, {}, validation loss {:.4})",
        output.display(),
        stop_text(&out.stop),
        best_epoch_text(out.best_epoch),
        out.best_val_loss
    );
    Ok(if matches!(out.stop, StopReason::Diverged(_)) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// "best epoch 3" (1-based), or what stands in for it when no epoch was validated.
fn best_epoch_text(best: Option<usize>) -> String {
    match best {
        Some(e) => format!("best epoch {}", e + 1),
        None => "no validated epoch".into(),
    }
}

/// How a training run ended, in words.
fn stop_text(stop: &StopReason) -> String {
    match stop {
        StopReason::Completed => "all epochs run".into(),
        StopReason::EarlyStopped => "stopped early".into(),
        StopReason::Aborted => "cancelled".into(),
        StopReason::Diverged(why) => format!("diverged: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::Cli;

    fn unused(argv: &[&str]) -> Vec<&'static str> {
        let mut full = vec!["ladder", "train"];
        full.extend_from_slice(argv);
        match Cli::try_parse_from(full).expect("parses").command {
            crate::Command::Train(t) => super::unused_flags(&t),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn flags_the_chosen_training_does_not_read_are_named() {
        // The device's job: its own settings.
        assert_eq!(unused(&["--epochs", "3", "--lr", "0.1", "--seed", "4"]), ["--epochs", "--lr"]);
        assert!(unused(&["--learner", "2", "--seed", "4", "--force"]).is_empty());
        assert_eq!(unused(&["--simulated", "-o", "m", "--force"]), ["--force"]);
        assert_eq!(unused(&["--from-csv", "d", "-o", "m", "--force"]), ["--force"]);
        // Going back reads --learner and no training flag.
        assert!(unused(&["--rollback", "--learner", "2"]).is_empty());
        assert_eq!(unused(&["--rollback", "--seed", "3"]), ["--seed"]);
        // Simulated pre-training: epochs, seed and config only.
        let sim = ["--simulated", "-o", "m", "--epochs", "3", "--val-fraction", "0.2"];
        assert_eq!(unused(&sim), ["--val-fraction"]);
        let sim = ["--simulated", "-o", "m", "--students", "9", "--from-csv", "d"];
        assert_eq!(unused(&sim), ["--from-csv"]);
        assert_eq!(unused(&["--from-csv", "d", "--students", "9"]), ["--students"]);
        // CSV pre-training reads every training flag, but has no learner.
        let csv = ["--from-csv", "d", "-o", "m", "--lr", "0.1", "--ema", "0.9", "--learner", "1"];
        assert_eq!(unused(&csv), ["--learner"]);
        // Defaults given explicitly are not complaints.
        assert!(unused(&["--from-csv", "d", "--epochs", "8", "--val-fraction", "0.1"]).is_empty());
    }

    #[test]
    fn a_held_back_share_outside_0_to_1_is_refused() {
        for bad in ["1", "1.5", "-0.1", "most"] {
            let flag = format!("--val-fraction={bad}");
            let e = Cli::try_parse_from(["ladder", "train", flag.as_str()]).expect_err(bad);
            assert!(e.to_string().contains("not a share of the learners"), "{bad}: {e}");
        }
        assert!(Cli::try_parse_from(["ladder", "train", "--val-fraction", "0"]).is_ok());
    }
}
