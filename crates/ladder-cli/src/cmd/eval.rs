//! `ladder eval`: cross-validated evaluation of the transformer and the baselines on an
//! interaction CSV (DESIGN.md sections 3 and 4).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use ladder_model::eval::{cross_validate, EvalOptions, ModelKind, PersonaliseOptions};
use ladder_model::model::ModelConfig;
use ladder_model::train::TrainSettings;

use super::Context;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder with interactions.csv and folds.csv.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Models: transformer, bkt, pfa or all (comma-separated).
    #[arg(long, default_value = "all")]
    pub model: String,
    /// Test folds to run, comma-separated (default: every fold in folds.csv).
    #[arg(long, value_delimiter = ',')]
    pub folds: Vec<u32>,
    /// Write the full report as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// About N learners (a quick run): the first N/k learners of each of the k folds, in file
    /// order.
    #[arg(long, value_name = "N")]
    pub max_students: Option<usize>,
    /// Also measure personalisation: fine-tune on the first half of each test learner with at
    /// least 20 answers, predict the second half.
    #[arg(long)]
    pub personalise: bool,
    /// Learners per fold in the personalisation measurement.
    #[arg(long, default_value_t = 200, value_parser = parse_at_least_1)]
    pub personalise_learners: usize,
    /// Fine-tuning epochs per learner in the personalisation measurement.
    #[arg(long, default_value_t = 5, value_parser = parse_at_least_1)]
    pub personalise_epochs: usize,
    /// Fine-tuning learning rate in the personalisation measurement.
    #[arg(long, default_value_t = 5e-4, value_parser = parse_rate)]
    pub personalise_lr: f64,
    /// Average this many transformers per fold (seeds seed, seed+1, ...). The report says so;
    /// the app ships a single model.
    #[arg(long, default_value_t = 1, value_parser = parse_at_least_1)]
    pub ensemble: usize,
    /// After early stopping, retrain on the training and validation learners together for the
    /// chosen number of epochs.
    #[arg(long)]
    pub refit: bool,
    #[command(flatten)]
    pub training: TrainingFlags,
}

/// Training flags shared by `ladder eval` and `ladder train`.
#[derive(Debug, Args)]
pub struct TrainingFlags {
    /// Model config as JSON (fields of ModelConfig; missing ones take defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Maximum training epochs (early stopping may end sooner; at least 1).
    #[arg(long, default_value_t = 8, value_parser = parse_epochs)]
    pub epochs: usize,
    /// Training windows per batch.
    #[arg(long, default_value_t = 32, value_parser = parse_at_least_1)]
    pub batch_size: usize,
    /// Learning rate of the weights (the item difficulties have `--item-lr`, and the attention
    /// biases `--bias-lr` when it is above 0).
    #[arg(long, default_value_t = 3e-3, value_parser = parse_rate)]
    pub lr: f64,
    /// Learning rate of the per-item difficulty scalars.
    #[arg(long, default_value_t = 1e-2, value_parser = parse_rate)]
    pub item_lr: f64,
    /// Start item difficulties from the training answers, shrunk toward their skills with this
    /// many pseudo-answers (0: start at 0).
    #[arg(long, default_value_t = 0.0, value_parser = parse_pseudo_answers)]
    pub item_prior: f32,
    /// Multiply both learning rates by this after every epoch.
    #[arg(long, default_value_t = 1.0, value_parser = parse_lr_decay)]
    pub lr_decay: f64,
    /// Validate and keep an exponential moving average of the weights with this decay per
    /// step (0: the raw weights; below 1).
    #[arg(long, default_value_t = 0.0, value_parser = parse_ema)]
    pub ema: f32,
    /// Start the item difficulties from a Rasch fit (learner ability + item log-odds) of the
    /// training answers instead of the items' raw success rates (with `--item-prior`).
    #[arg(long)]
    pub item_prior_rasch: bool,
    /// Learning rate of the attention-bias scalars (one per head; 0: `--lr`).
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub bias_lr: f64,
    /// How far one training window moves on from the last, as a share of the context window:
    /// 1 cuts non-overlapping windows; below 1 they overlap and are cut afresh every epoch, so
    /// every answer is trained with context as when predicting (an epoch costs 1/stride times
    /// as much).
    #[arg(long, default_value_t = 1.0, value_parser = parse_stride)]
    pub window_stride: f32,
    /// Epochs without a better validation loss before training stops.
    #[arg(long, default_value_t = 2)]
    pub patience: usize,
    /// Seed of the initial weights, the validation split, the batches and PFA.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// cpu, cuda[:N] or metal (GPU backends need the build feature).
    #[arg(long, default_value = "cpu")]
    pub device: String,
}

impl TrainingFlags {
    /// The flags as training settings (`val_fraction` and the rest at their defaults).
    pub fn settings(&self) -> TrainSettings {
        TrainSettings {
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate: self.lr,
            item_learning_rate: self.item_lr,
            lr_decay: self.lr_decay,
            patience: self.patience,
            seed: self.seed,
            item_prior: self.item_prior,
            ema: self.ema,
            item_prior_rasch: self.item_prior_rasch,
            bias_learning_rate: self.bias_lr,
            window_stride: self.window_stride,
            ..TrainSettings::default()
        }
    }
}

fn parse_stride(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => {
            Err(format!("`{s}` is not a share of the window: give a number above 0 and at most 1"))
        }
    }
}

/// A count that must be at least 1 (`--ensemble`, `--batch-size`, ...): 0 was taken as 1.
fn parse_at_least_1(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{s}` is not a count: give a whole number of at least 1")),
    }
}

/// A learning rate: finite and 0 or more (NaN or a negative rate trains to nonsense).
fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => {
            Err(format!("`{s}` is not a learning rate: give a number of 0 or more (such as 0.003)"))
        }
    }
}

fn parse_lr_decay(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a decay factor: give a number above 0 (1: no decay, 0.5: halve every epoch)"
        )),
    }
}

fn parse_pseudo_answers(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a number of pseudo-answers: give a number of 0 or more (0: off)"
        )),
    }
}

fn parse_epochs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{s}` is not a number of epochs: give a whole number of at least 1")),
    }
}

fn parse_ema(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not a decay: give a number from 0 (off) to below 1 (0.995: a slow average)"
        )),
    }
}

/// A share of the learners held back: from 0 to below 1 (at least one learner trains).
pub fn parse_share(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a share of the learners: give a number from 0 to below 1")),
    }
}

fn parse_models(s: &str) -> anyhow::Result<Vec<ModelKind>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim) {
        match part {
            "all" => out.extend([ModelKind::Transformer, ModelKind::Bkt, ModelKind::Pfa]),
            "transformer" => out.push(ModelKind::Transformer),
            "bkt" => out.push(ModelKind::Bkt),
            "pfa" => out.push(ModelKind::Pfa),
            other => anyhow::bail!("unknown model `{other}` (transformer, bkt, pfa or all)"),
        }
    }
    Ok(out)
}

pub fn load_config(path: Option<&PathBuf>) -> anyhow::Result<ModelConfig> {
    match path {
        None => Ok(ModelConfig::default()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            let cfg: ModelConfig =
                serde_json::from_str(&text).with_context(|| format!("{}", p.display()))?;
            // Checked now, naming the file, rather than when the first model is built (after
            // the data is read, or the simulated students of `train --simulated` have run). The
            // vocabulary sizes come from the data later.
            let sized = ModelConfig {
                n_items: cfg.n_items.max(1),
                n_skills: cfg.n_skills.max(1),
                ..cfg.clone()
            };
            sized.validate().with_context(|| format!("{}", p.display()))?;
            Ok(cfg)
        }
    }
}

/// The flags that only change how the transformer is evaluated, when it is not: named rather
/// than silently ignored.
fn transformer_only_flags(args: &EvalArgs, models: &[ModelKind]) -> anyhow::Result<()> {
    if models.contains(&ModelKind::Transformer) {
        return Ok(());
    }
    let given: Vec<&str> = [
        ("--personalise", args.personalise),
        ("--ensemble", args.ensemble != 1),
        ("--refit", args.refit),
    ]
    .iter()
    .filter(|(_, g)| *g)
    .map(|(f, _)| *f)
    .collect();
    if !given.is_empty() {
        anyhow::bail!(
            "{} apply to the transformer only, and --model {} does not evaluate it",
            given.join(", "),
            args.model
        );
    }
    Ok(())
}

/// Refuses a `--json` path that is one of the data's own files: the report would replace it.
fn json_not_an_input(json: &std::path::Path, data: &std::path::Path) -> anyhow::Result<()> {
    let Ok(target) = json.canonicalize() else {
        return Ok(()); // not there yet, so none of the inputs
    };
    for name in ["interactions.csv", "folds.csv"] {
        if data.join(name).canonicalize().is_ok_and(|input| input == target) {
            anyhow::bail!(
                "--json {}: that is the data's {name}, which the report would overwrite: give another file",
                json.display()
            );
        }
    }
    Ok(())
}

pub fn run(_ctx: &Context, args: EvalArgs) -> anyhow::Result<ExitCode> {
    let models = parse_models(&args.model)?;
    transformer_only_flags(&args, &models)?;
    if let Some(json) = &args.json {
        json_not_an_input(json, &args.data)?;
    }
    let device = ladder_model::device::select(&args.training.device)?;
    let data = ladder_model::data::load_dir(&args.data)?;
    if data.folds.is_empty() {
        let folds = args.data.join("folds.csv");
        if folds.exists() {
            anyhow::bail!(
                "{}: lists no learners (only a header): give each learner of interactions.csv a fold",
                folds.display()
            );
        }
        anyhow::bail!("{}: no folds.csv", args.data.display());
    }
    let opts = EvalOptions {
        models,
        folds: args.folds.clone(),
        max_students: args.max_students,
        config: load_config(args.training.config.as_ref())?,
        training: args.training.settings(),
        device,
        personalise: args.personalise.then_some(PersonaliseOptions {
            max_learners: args.personalise_learners,
            epochs: args.personalise_epochs,
            learning_rate: args.personalise_lr,
            ..Default::default()
        }),
        ensemble: args.ensemble,
        refit: args.refit,
    };
    // Opened now: a path that cannot be written fails before hours of training.
    let json = args.json.as_deref().map(super::ReportFile::open).transpose()?;
    let report = cross_validate(&data, &opts, &mut |line| eprintln!("{line}"))?;
    print!("{}", report.table());
    if let Some(file) = json {
        file.write(&serde_json::to_vec_pretty(&report)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::{Cli, Command};

    fn eval_settings(args: &[&str]) -> ladder_model::train::TrainSettings {
        let mut argv = vec!["ladder", "eval", "--data", "d"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv).expect("parses").command {
            Command::Eval(e) => e.training.settings(),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn training_flags_reach_the_settings() {
        let s = eval_settings(&[
            "--item-prior",
            "10",
            "--item-lr",
            "0.001",
            "--ema",
            "0.995",
            "--item-prior-rasch",
            "--bias-lr",
            "0.03",
            "--window-stride",
            "0.25",
        ]);
        assert_eq!(s.window_stride, 0.25);
        assert_eq!(s.item_prior, 10.0);
        assert_eq!(s.item_learning_rate, 0.001);
        assert_eq!(s.ema, 0.995);
        assert!(s.item_prior_rasch);
        assert_eq!(s.bias_learning_rate, 0.03);
    }

    #[test]
    fn without_flags_the_settings_are_the_library_defaults() {
        let s = eval_settings(&[]);
        let d = ladder_model::train::TrainSettings::default();
        assert!(!s.item_prior_rasch);
        assert_eq!(s.bias_learning_rate, d.bias_learning_rate);
        assert_eq!(s.ema, d.ema);
        assert_eq!(s.item_prior, d.item_prior);
        assert_eq!(s.window_stride, d.window_stride);
    }

    #[test]
    fn without_folds_every_fold_is_tested_and_a_list_is_kept_in_order() {
        let folds = |args: &[&str]| {
            let mut argv = vec!["ladder", "eval", "--data", "d"];
            argv.extend_from_slice(args);
            match Cli::try_parse_from(argv).expect("parses").command {
                Command::Eval(e) => e.folds,
                other => panic!("parsed as {other:?}"),
            }
        };
        assert!(folds(&[]).is_empty(), "empty: every fold of folds.csv");
        assert_eq!(folds(&["--folds", "3,0"]), vec![3, 0]);
    }

    #[test]
    fn epochs_below_1_and_an_average_decay_outside_0_to_1_are_refused() {
        for (flag, what) in [
            ("--epochs=0", "not a number of epochs"),
            ("--epochs=-2", "not a number of epochs"),
            ("--ema=1", "not a decay"),
            ("--ema=1.5", "not a decay"),
            ("--ema=-0.1", "not a decay"),
        ] {
            for cmd in ["eval", "train"] {
                let mut argv = vec!["ladder", cmd, flag];
                if cmd == "eval" {
                    argv.extend(["--data", "d"]);
                }
                let e = Cli::try_parse_from(argv).expect_err(flag).to_string();
                assert!(e.contains(what), "{cmd} {flag}: {e}");
            }
        }
        assert_eq!(eval_settings(&["--epochs", "1", "--ema", "0.99"]).ema, 0.99);
    }

    #[test]
    fn a_config_file_with_impossible_values_is_refused_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        for (json, what) in [
            (r#"{"d_model": 30, "n_heads": 4}"#, "multiple of n_heads"),
            (r#"{"dropout": -0.1}"#, "dropout"),
            (r#"{"max_len": 0}"#, "max_len"),
            (r#"{"ability_features": true}"#, "needs rich_features"),
        ] {
            let p = tmp.path().join("config.json");
            std::fs::write(&p, json).unwrap();
            let e = format!("{:#}", super::load_config(Some(&p)).expect_err(json));
            assert!(e.contains("config.json") && e.contains(what), "{json}: {e}");
        }
        let p = tmp.path().join("ok.json");
        std::fs::write(&p, r#"{"d_model": 16, "n_heads": 2}"#).unwrap();
        assert_eq!(super::load_config(Some(&p)).unwrap().d_model, 16);
    }

    #[test]
    fn transformer_only_flags_without_the_transformer_are_refused() {
        let check = |args: &[&str]| {
            let mut argv = vec!["ladder", "eval", "--data", "d"];
            argv.extend_from_slice(args);
            match Cli::try_parse_from(argv).expect("parses").command {
                Command::Eval(e) => {
                    let models = super::parse_models(&e.model).unwrap();
                    super::transformer_only_flags(&e, &models).map_err(|e| e.to_string())
                }
                other => panic!("parsed as {other:?}"),
            }
        };
        let e = check(&["--model", "bkt,pfa", "--personalise", "--ensemble", "3"]).unwrap_err();
        assert!(e.contains("--personalise, --ensemble apply to the transformer only"), "{e}");
        assert!(check(&["--model", "bkt", "--refit"]).is_err());
        assert!(check(&["--model", "pfa,transformer", "--refit", "--ensemble", "2"]).is_ok());
        assert!(check(&["--personalise"]).is_ok(), "all includes the transformer");
        assert!(check(&["--model", "bkt", "--epochs", "3"]).is_ok());
    }

    #[test]
    fn a_window_stride_outside_0_to_1_is_refused() {
        for bad in ["0", "-0.5", "1.5", "half", "NaN"] {
            let flag = format!("--window-stride={bad}");
            let argv = ["ladder", "eval", "--data", "d", flag.as_str()];
            let e = Cli::try_parse_from(argv).expect_err(bad).to_string();
            assert!(e.contains("not a share of the window"), "{bad}: {e}");
        }
    }
}
