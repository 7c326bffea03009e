//! `ladder simulate`: teaching policies against simulated students, through the engine.
//!
//! Every simulated student is a learner in a real store (in a scratch directory) and goes
//! through the same engine operations as a person. See `ladder_engine::sim` and the
//! "Simulated learners" section of docs/model.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use clap::Args;
use ladder_engine::sim::run::{self, SimConfig};
use ladder_engine::sim::students::Family;
use ladder_engine::PolicyKind;

use super::Context;

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The pack to teach (folder or .ladderpack).
    #[arg(long, default_value = "assets/packs/fractions")]
    pub pack: PathBuf,
    /// Students per (family, policy) cell.
    #[arg(long, default_value_t = 200)]
    pub students: usize,
    /// Student families, comma-separated: bkt, logistic, model; and `guessing`, students who do
    /// not learn (right at a chance of their own), who measure what the engine shows as mastered.
    #[arg(long, value_delimiter = ',', default_value = "bkt,logistic,model")]
    pub families: Vec<String>,
    /// Policies, comma-separated: adaptive, fixed-order, bkt-mastery, random; and two
    /// diagnostics, not policies a tutor could run: `oracle`, which reads the simulated
    /// students' hidden state (a near-best figure), and `informed`, which is told each `bkt`
    /// student's own learn, slip and guess but not its state (`bkt` family only).
    #[arg(long, value_delimiter = ',', default_value = "adaptive,fixed-order,bkt-mastery,random")]
    pub policies: Vec<String>,
    /// A student stops after this many items without mastery (counted at this value).
    #[arg(long, default_value_t = 400)]
    pub max_items: usize,
    /// Post-test accuracy and skills mastered are measured after this many items.
    #[arg(long, default_value_t = 60)]
    pub post_test_after: usize,
    /// Items per daily session.
    #[arg(long, default_value_t = 25)]
    pub session_items: usize,
    /// Seed of the simulated students' parameters and answers: the same seed, the same students.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Threads. Each cell's students are split over them, one engine and data directory per
    /// share (results do not depend on it, except the `random` policy's draws).
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Where the scratch data directories go (default: a new temporary directory).
    #[arg(long)]
    pub scratch: Option<PathBuf>,
    /// Model checkpoint directory for the `model` family (default: a small model trained on the
    /// spot on simulated histories of the pack).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// A trained model checkpoint for the adaptive policy to ask instead of the built-in
    /// predictor (e.g. models/default, the model the app ships). The baselines are unaffected.
    #[arg(long)]
    pub predictor_model: Option<PathBuf>,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

pub fn run(_ctx: &Context, a: SimulateArgs) -> anyhow::Result<ExitCode> {
    let families = a
        .families
        .iter()
        .map(|f| Family::from_name(f).with_context(|| format!("unknown family {f:?}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let oracle = a.policies.iter().any(|p| p == "oracle");
    let informed = a.policies.iter().any(|p| p == "informed");
    let policies = a
        .policies
        .iter()
        .filter(|p| *p != "oracle" && *p != "informed")
        .map(|p| PolicyKind::from_name(p).with_context(|| format!("unknown policy {p:?}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if a.students == 0 {
        bail!("--students must be at least 1");
    }
    // Opened now: a path that cannot be written fails before the run, not after it.
    let json = a.json.as_deref().map(super::ReportFile::open).transpose()?;
    let tmp;
    let scratch = match &a.scratch {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("--scratch {}", d.display()))?;
            d.clone()
        }
        None => {
            tmp = tempfile_dir()?;
            tmp.clone()
        }
    };
    let mut cfg = SimConfig::new(&a.pack, &scratch);
    cfg.students = a.students;
    cfg.families = families;
    cfg.policies = policies;
    cfg.oracle = oracle;
    cfg.informed = informed.then_some(ladder_engine::sim::informed::DEFAULT_GATE);
    cfg.max_items = a.max_items;
    cfg.post_test_after = a.post_test_after;
    cfg.session_items = a.session_items;
    cfg.seed = a.seed;
    cfg.threads = a.threads;
    cfg.predictor_model = a.predictor_model.clone();
    cfg.progress = Some(Arc::new(|line: &str| eprintln!("{line}")));
    // Before the `model` family's model is trained: a bad combination fails at once.
    run::check(&cfg)?;
    if cfg.families.contains(&Family::Model) {
        cfg.model_student = Some(ladder_engine::sim::model_student::factory(
            &a.pack,
            a.model.as_deref(),
            &scratch,
            a.seed,
            &|line: &str| eprintln!("{line}"),
        )?);
    }
    let report = run::run(&cfg)?;
    print!("{}", run::table(&report));
    if let Some(file) = json {
        file.write(serde_json::to_string_pretty(&report)?.as_bytes())?;
    }
    if a.scratch.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(ExitCode::SUCCESS)
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let base = std::env::temp_dir().join(format!("ladder-simulate-{}", std::process::id()));
    std::fs::create_dir_all(&base)?;
    Ok(base)
}
