//! A quick simulation run for tuning the policies: prints the `ladder simulate` table for the
//! Fractions pack, by default with the `bkt` and `logistic` families (`model` trains its student
//! model first, or loads `LADDER_SIM_MODEL`).
//!
//! `cargo run -p ladder-engine --release --example simulate -- [STUDENTS]`, with optional
//! environment variables:
//! - `LADDER_SIM_FAMILIES=bkt,logistic,model` and `LADDER_SIM_POLICIES=adaptive,bkt-mastery` to choose
//!   the cells (`oracle` adds the diagnostic that reads the students' hidden state, `informed`
//!   the one told each `bkt` student's parameters; `LADDER_SIM_INFORMED_GATE=0.8` sets its gate,
//!   `LADDER_SIM_INFORMED_POPULATION=1` tells it the population's means instead);
//! - `LADDER_SIM_SETTINGS='{"band_low":0.5}'` to try other policy thresholds (JSON, the fields of
//!   `Settings`; the ones left out keep their defaults);
//! - `LADDER_SIM_SEED=7` for another draw of students;
//! - `LADDER_SIM_PARAMS='{"drift":0.05}'` for other parameters of the built-in predictor;
//! - `LADDER_SIM_PACK=DIR` for another pack; `LADDER_SIM_THREADS=16` to use more threads;
//! - `LADDER_SIM_MODEL=DIR`: the checkpoint that plays the `model` family's students;
//! - `LADDER_SIM_SAVE_MODEL=DIR`: without `LADDER_SIM_MODEL`, train the `model` family's student
//!   model once, save it in DIR, and use it (a later run with `LADDER_SIM_MODEL=DIR` skips the
//!   training);
//! - `LADDER_SIM_PREDICTOR_MODEL=DIR`: a checkpoint the adaptive policy asks instead of the
//!   built-in predictor (e.g. `models/default`, the model the app ships).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use ladder_engine::sim::run::{run, table, SimConfig};
use ladder_engine::sim::students::Family;
use ladder_engine::PolicyKind;

fn main() -> ExitCode {
    match simulate() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("simulate: {e}");
            ExitCode::FAILURE
        }
    }
}

fn simulate() -> Result<(), Box<dyn std::error::Error>> {
    let pack = match std::env::var_os("LADDER_SIM_PACK") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions"),
    };
    let scratch = tempfile::tempdir()?;
    let mut cfg = SimConfig::new(&pack, scratch.path());
    if let Some(n) = std::env::args().nth(1) {
        cfg.students = n.parse().map_err(|e| format!("students {n:?}: {e}"))?;
    }
    if let Ok(fams) = std::env::var("LADDER_SIM_FAMILIES") {
        cfg.families = fams
            .split(',')
            .map(|f| Family::from_name(f).ok_or_else(|| format!("unknown family {f:?}")))
            .collect::<Result<_, _>>()?;
    }
    if let Ok(pols) = std::env::var("LADDER_SIM_POLICIES") {
        cfg.oracle = pols.split(',').any(|p| p == "oracle");
        if pols.split(',').any(|p| p == "informed") {
            let gate = std::env::var("LADDER_SIM_INFORMED_GATE").ok().and_then(|g| g.parse().ok());
            cfg.informed = Some(gate.unwrap_or(ladder_engine::sim::informed::DEFAULT_GATE));
            cfg.informed_population =
                std::env::var("LADDER_SIM_INFORMED_POPULATION").is_ok_and(|v| v == "1");
        }
        cfg.policies = pols
            .split(',')
            .filter(|&p| p != "oracle" && p != "informed")
            .map(|p| PolicyKind::from_name(p).ok_or_else(|| format!("unknown policy {p:?}")))
            .collect::<Result<_, _>>()?;
    }
    if let Ok(s) = std::env::var("LADDER_SIM_SETTINGS") {
        cfg.settings = serde_json::from_str(&s).map_err(|e| format!("LADDER_SIM_SETTINGS: {e}"))?;
    }
    if let Ok(s) = std::env::var("LADDER_SIM_THREADS") {
        cfg.threads = s.parse().map_err(|e| format!("LADDER_SIM_THREADS {s:?}: {e}"))?;
    }
    if let Ok(s) = std::env::var("LADDER_SIM_PARAMS") {
        cfg.predictor_params =
            Some(serde_json::from_str(&s).map_err(|e| format!("LADDER_SIM_PARAMS: {e}"))?);
    }
    if let Some(dir) = std::env::var_os("LADDER_SIM_PREDICTOR_MODEL") {
        cfg.predictor_model = Some(PathBuf::from(dir));
    }
    if let Ok(s) = std::env::var("LADDER_SIM_SEED") {
        cfg.seed = s.parse().map_err(|e| format!("LADDER_SIM_SEED {s:?}: {e}"))?;
    }
    cfg.progress = Some(Arc::new(|l: &str| eprintln!("{l}")));
    if cfg.families.contains(&Family::Model) {
        let mut checkpoint = std::env::var_os("LADDER_SIM_MODEL").map(PathBuf::from);
        if let (None, Some(dir)) = (&checkpoint, std::env::var_os("LADDER_SIM_SAVE_MODEL")) {
            let course = ladder_engine::sim::model_student::pack_course(&cfg.pack)?;
            let model = ladder_engine::sim::model_student::train_student_model(
                &course,
                cfg.seed,
                &|l: &str| eprintln!("{l}"),
            )?;
            ladder_model::checkpoint::save(&model, Path::new(&dir), serde_json::json!({}))?;
            checkpoint = Some(PathBuf::from(dir));
        }
        cfg.model_student = Some(ladder_engine::sim::model_student::factory(
            &cfg.pack,
            checkpoint.as_deref(),
            scratch.path(),
            cfg.seed,
            &|l: &str| eprintln!("{l}"),
        )?);
    }
    let r = run(&cfg)?;
    println!("{}", table(&r));
    Ok(())
}
