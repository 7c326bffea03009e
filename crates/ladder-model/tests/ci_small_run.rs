//! The small end-to-end run CI does: the whole evaluation protocol (one fold) on a synthetic
//! data set written in the interaction-CSV form and read back, a few epochs; the transformer
//! must beat BKT. Synthetic so the test needs nothing outside the repository.

use ladder_model::data::load_dir;
use ladder_model::eval::{cross_validate, EvalOptions, ModelKind};
use ladder_model::model::ModelConfig;
use ladder_model::synth::{generate, write_csv, SynthSpec};
use ladder_model::train::TrainSettings;

#[test]
fn transformer_beats_bkt_on_a_small_synthetic_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seqs = generate(&SynthSpec {
        learners: 300,
        min_len: 10,
        max_len: 60,
        items: 150,
        skills: 10,
        seed: 42,
    });
    write_csv(dir.path(), &seqs, 5).expect("write csv");
    let data = load_dir(dir.path()).expect("read csv");
    assert_eq!(data.sequences.len(), 300);
    let opts = EvalOptions {
        models: vec![ModelKind::Transformer, ModelKind::Bkt, ModelKind::Pfa],
        folds: vec![1],
        config: ModelConfig { max_len: 64, ..ModelConfig::default() },
        training: TrainSettings { epochs: 6, ..Default::default() },
        ..Default::default()
    };
    let report = cross_validate(&data, &opts, &mut |l| eprintln!("{l}")).expect("eval");
    let auc = |k: ModelKind| {
        report.folds.iter().find(|f| f.model == k).map(|f| f.metrics.auc).expect("result")
    };
    let (t, b, p) = (auc(ModelKind::Transformer), auc(ModelKind::Bkt), auc(ModelKind::Pfa));
    eprintln!("{}", report.table());
    assert!(t > b + 0.01, "transformer AUC {t:.4} vs BKT {b:.4} (PFA {p:.4})");
    assert!(report.summary.len() == 3);
}
