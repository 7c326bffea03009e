//! Cross-validation without the CLI (same library call as `ladder eval`), for long runs from a
//! private target directory: `cargo run --release -p ladder-model --example cv -- DIR [models]
//! [folds] [max_students] [epochs] [config.json] [report.json] [personalise]`.

use ladder_model::eval::{cross_validate, EvalOptions, ModelKind, PersonaliseOptions};
use ladder_model::train::TrainSettings;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let dir = a.get(1).ok_or("usage: cv DIR [models] [folds] [max] [epochs] [cfg] [json] [p]")?;
    let models = a.get(2).map(String::as_str).unwrap_or("all");
    let models: Vec<ModelKind> = models
        .split(',')
        .flat_map(|m| match m {
            "transformer" => vec![ModelKind::Transformer],
            "bkt" => vec![ModelKind::Bkt],
            "pfa" => vec![ModelKind::Pfa],
            _ => vec![ModelKind::Transformer, ModelKind::Bkt, ModelKind::Pfa],
        })
        .collect();
    let folds: Vec<u32> = a
        .get(3)
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter_map(|f| f.parse().ok())
        .collect();
    let max_students = a.get(4).and_then(|m| m.parse().ok()).filter(|&m: &usize| m > 0);
    let epochs = a.get(5).and_then(|m| m.parse().ok()).unwrap_or(30);
    let config = match a.get(6).filter(|s| !s.is_empty() && *s != "-") {
        Some(p) => serde_json::from_str(&std::fs::read_to_string(p)?)?,
        None => Default::default(),
    };
    let personalise = a.get(8).map(|s| s == "p").unwrap_or(false);
    let data = ladder_model::data::load_dir(std::path::Path::new(dir))?;
    let opts = EvalOptions {
        models,
        folds,
        max_students,
        training: TrainSettings { epochs, ..TrainSettings::default() },
        config,
        personalise: personalise.then(PersonaliseOptions::default),
        ..Default::default()
    };
    let env = |k: &str| std::env::var(k).ok();
    let mut opts = opts;
    if let Some(lr) = env("LADDER_LR").and_then(|v| v.parse().ok()) {
        opts.training.learning_rate = lr;
    }
    if let Some(lr) = env("LADDER_ITEM_LR").and_then(|v| v.parse().ok()) {
        opts.training.item_learning_rate = lr;
    }
    if let Some(d) = env("LADDER_LR_DECAY").and_then(|v| v.parse().ok()) {
        opts.training.lr_decay = d;
    }
    if let Some(b) = env("LADDER_BATCH").and_then(|v| v.parse().ok()) {
        opts.training.batch_size = b;
    }
    if let Some(p) = env("LADDER_PATIENCE").and_then(|v| v.parse().ok()) {
        opts.training.patience = p;
    }
    if let Some(n) = env("LADDER_ENSEMBLE").and_then(|v| v.parse().ok()) {
        opts.ensemble = n;
    }
    opts.refit = env("LADDER_REFIT").is_some_and(|v| v == "1");
    if let Some(s) = env("LADDER_SETTINGS") {
        // A TrainSettings JSON; fields it names override the ones above.
        let mut v = serde_json::to_value(&opts.training)?;
        let over: serde_json::Value = serde_json::from_str(&s)?;
        if let (Some(v), Some(o)) = (v.as_object_mut(), over.as_object()) {
            v.extend(o.clone());
        }
        opts.training = serde_json::from_value(v)?;
    }
    eprintln!("training settings: {}", serde_json::to_string(&opts.training)?);
    let report = cross_validate(&data, &opts, &mut |l| eprintln!("{l}"))?;
    print!("{}", report.table());
    if let Some(j) = a.get(7).filter(|s| !s.is_empty() && *s != "-") {
        std::fs::write(j, serde_json::to_vec_pretty(&report)?)?;
    }
    Ok(())
}
