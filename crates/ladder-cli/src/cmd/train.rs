//! `ladder train --from-csv DIR -o MODEL_DIR`: pre-train the model on an interaction CSV, with a
//! progress bar; Ctrl-C stops after the current batch and still saves the best weights so far.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context as _;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ladder_model::train::{train, StopReason, TrainInput};

use super::Context;

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Folder with interactions.csv (folds.csv is not needed).
    #[arg(long, value_name = "DIR")]
    pub from_csv: PathBuf,
    /// Where to write the checkpoint (model.safetensors + model.json; the previous one is kept
    /// as .prev).
    #[arg(short = 'o', long, value_name = "MODEL_DIR")]
    pub output: PathBuf,
    /// Share of learners held back for early stopping.
    #[arg(long, default_value_t = 0.1)]
    pub val_fraction: f32,
    #[command(flatten)]
    pub training: super::eval::TrainingFlags,
}

pub fn run(_ctx: &Context, args: TrainArgs) -> anyhow::Result<ExitCode> {
    let device = ladder_model::device::select(&args.training.device)?;
    let data = ladder_model::data::load_dir(&args.from_csv)?;
    let config = super::eval::load_config(args.training.config.as_ref())?;
    let abort = Arc::new(AtomicBool::new(false));
    {
        let abort = abort.clone();
        ctrlc::set_handler(move || {
            eprintln!("\nstopping after this batch (Ctrl-C)...");
            abort.store(true, Ordering::SeqCst);
        })
        .context("installing the Ctrl-C handler")?;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("epoch {prefix} [{bar:30}] {pos}/{len} batches {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let pb = bar.clone();
    let n_learners = data.sequences.len();
    let out = train(TrainInput {
        sequences: data.sequences,
        val_fraction: args.val_fraction,
        config,
        epochs: args.training.epochs,
        batch_size: args.training.batch_size,
        learning_rate: args.training.lr,
        item_learning_rate: args.training.item_lr,
        lr_decay: args.training.lr_decay,
        patience: args.training.patience,
        seed: args.training.seed,
        device,
        abort: Some(abort.clone()),
        progress: Some(Box::new(move |p| {
            pb.set_prefix(format!("{}/{}", p.epoch + 1, p.epochs));
            pb.set_length(p.batches as u64);
            pb.set_position(p.batch as u64);
            match (p.val_loss, p.val_auc) {
                (Some(vl), Some(va)) => {
                    pb.println(format!(
                        "epoch {}: train loss {:.4}, validation loss {vl:.4}, AUC {va:.4}",
                        p.epoch + 1,
                        p.train_loss
                    ));
                }
                _ => pb.set_message(format!("loss {:.4}", p.train_loss)),
            }
        })),
        ..Default::default()
    })?;
    bar.finish_and_clear();
    let notes = serde_json::json!({
        "trained_on": args.from_csv.file_name().map(|n| n.to_string_lossy().to_string()),
        "learners": n_learners,
        "epochs": out.epochs,
        "best_epoch": out.best_epoch,
        "best_val_loss": out.best_val_loss,
        "stop": format!("{:?}", out.stop),
    });
    ladder_model::checkpoint::save(&out.model, &args.output, notes)?;
    eprintln!(
        "saved {} ({:?}, best epoch {:?}, validation loss {:.4})",
        args.output.display(),
        out.stop,
        out.best_epoch.map(|e| e + 1),
        out.best_val_loss
    );
    Ok(if matches!(out.stop, StopReason::Diverged(_)) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
