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
    /// Model config as JSON (fields of ModelConfig; missing ones take defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 3e-3)]
    pub lr: f64,
    /// Learning rate of the per-item difficulty scalars.
    #[arg(long, default_value_t = 1e-2)]
    pub item_lr: f64,
    /// Multiply both learning rates by this after every epoch.
    #[arg(long, default_value_t = 1.0)]
    pub lr_decay: f64,
    #[arg(long, default_value_t = 2)]
    pub patience: usize,
    /// Share of learners held back for early stopping.
    #[arg(long, default_value_t = 0.1)]
    pub val_fraction: f32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// cpu, cuda[:N] or metal (GPU backends need the build feature).
    #[arg(long, default_value = "cpu")]
    pub device: String,
}

pub fn run(_ctx: &Context, args: TrainArgs) -> anyhow::Result<ExitCode> {
    let device = ladder_model::device::select(&args.device)?;
    let data = ladder_model::data::load_dir(&args.from_csv)?;
    let config = super::eval::load_config(args.config.as_ref())?;
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
        epochs: args.epochs,
        batch_size: args.batch_size,
        learning_rate: args.lr,
        item_learning_rate: args.item_lr,
        lr_decay: args.lr_decay,
        patience: args.patience,
        seed: args.seed,
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
