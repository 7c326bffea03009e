//! Behaviour of the transformer: gradients reach every variable, training learns, inference
//! agrees with the batched evaluation path, checkpoints round-trip and refuse bad files.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use ladder_model::batch::{build_batch_with, make_batches, train_windows};
use ladder_model::data::{encode_all, Vocabs};
use ladder_model::infer::{Candidate, KtModel};
use ladder_model::model::{bce_with_logits, Dropout, ModelConfig, Net};
use ladder_model::synth::{generate, SynthSpec};
use ladder_model::train::{train, vocabs_for, StopReason, TrainInput, TrainSettings};
use rand::SeedableRng;

fn tiny_config() -> ModelConfig {
    ModelConfig { d_model: 16, n_heads: 2, d_ff: 32, max_len: 24, ..ModelConfig::default() }
}

/// The variants the structural tests cover: (question_keys, rich_features, ability_features,
/// skill_attention, item_discrimination).
type Variant = (bool, bool, bool, bool, bool);
const VARIANTS: [Variant; 7] = [
    (false, false, false, false, false),
    (true, false, false, false, false),
    (false, true, false, false, false),
    (false, true, true, false, false),
    (false, false, false, true, false),
    (false, false, false, false, true),
    (true, true, true, true, true),
];

fn tiny_model(
    seqs: &[ladder_model::data::LearnerSequence],
    (question_keys, rich_features, ability_features, skill_attention, item_discrimination): Variant,
) -> KtModel {
    let cfg = ModelConfig {
        question_keys,
        rich_features,
        ability_features,
        skill_attention,
        item_discrimination,
        ..tiny_config()
    };
    let v = vocabs_for(&cfg, seqs);
    assert_eq!(v.item_expect.is_some(), ability_features);
    let cfg = ModelConfig { n_items: v.items.rows(), n_skills: v.skills.rows(), ..cfg };
    let model = KtModel::new(cfg, v, &Device::Cpu, 3).expect("model");
    if item_discrimination {
        // Discriminations start at 0 (a scale of 1); give them values, so the tests see whether
        // every path applies them.
        let mut snap = model.params.snapshot().expect("snapshot");
        let n = model.config.n_items;
        let a: Vec<f32> = (0..n).map(|i| 0.6 * (i as f32 * 1.7).sin()).collect();
        snap.insert("emb.item_disc".into(), Tensor::from_vec(a, (n, 1), &Device::Cpu).expect("a"));
        model.params.restore(&snap).expect("restore");
    }
    model
}

#[test]
fn every_trainable_variable_receives_a_nonzero_gradient() {
    for variant in VARIANTS {
        check_gradients(variant);
    }
}

fn check_gradients(variant: Variant) {
    let seqs = generate(&SynthSpec {
        learners: 12,
        min_len: 20,
        max_len: 40,
        items: 30,
        skills: 4,
        seed: 5,
    });
    let model = tiny_model(&seqs, variant);
    let enc = encode_all(&model.vocabs, &seqs);
    let windows = train_windows(&enc, model.config.max_len);
    let batch = &make_batches(&windows, 64, None)[0];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let nf = model.config.n_features();
    let (bt, host) =
        build_batch_with(&enc, batch, &Device::Cpu, Some(&mut rng), 0.3, 0.3, nf).expect("batch");
    let target = Tensor::from_vec(host.target, (bt.b, bt.t), &Device::Cpu).expect("t");
    let mask = Tensor::from_vec(host.mask, (bt.b, bt.t), &Device::Cpu).expect("m");
    let net = Net { cfg: &model.config, p: &model.params };
    let mut drop = Dropout::train(&mut rng, 0.1);
    let (logits, penalty) = net.forward(&bt, &mut drop).expect("forward");
    let loss = bce_with_logits(&logits, &target, &mask)
        .and_then(|l| Ok(l.add(&penalty.mean_all()?)?))
        .expect("loss");
    let grads = loss.backward().expect("backward");
    let mut missing = Vec::new();
    for (name, var) in &model.params.tensors() {
        let g = grads.get(var);
        let norm = g
            .map(|g| g.abs().and_then(|a| a.sum_all()).and_then(|s| s.to_scalar::<f32>()))
            .transpose()
            .expect("norm")
            .unwrap_or(0.0);
        if !(norm > 0.0 && norm.is_finite()) {
            missing.push(name.clone());
        }
    }
    assert!(missing.is_empty(), "no gradient for {missing:?}");
    assert!(model.params.tensors().len() > 40);
}

#[test]
fn dropout_acts_in_training_only() {
    let x = Tensor::ones((4, 100), candle_core::DType::F32, &Device::Cpu).expect("x");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let y = Dropout::train(&mut rng, 0.5).apply(&x).expect("drop");
    let v = y.flatten_all().and_then(|t| t.to_vec1::<f32>()).expect("v");
    let zeros = v.iter().filter(|&&a| a == 0.0).count();
    assert!((120..280).contains(&zeros), "{zeros} zeros of 400");
    assert!(v.iter().all(|&a| a == 0.0 || (a - 2.0).abs() < 1e-6));
    let z = Dropout::eval().apply(&x).expect("eval");
    assert_eq!(z.to_vec2::<f32>().expect("z"), x.to_vec2::<f32>().expect("x"));
}

/// The masks are drawn in bulk; they must be the stream of one `u32` per element (as before),
/// so seeded runs keep their results, and the residual form must equal `x + dropout(a)`.
#[test]
fn dropout_masks_are_one_draw_per_element_and_the_residual_form_agrees() {
    use rand::Rng;
    let dev = Device::Cpu;
    let x = Tensor::ones((7, 13), candle_core::DType::F32, &dev).expect("x");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let got = Dropout::train(&mut rng, 0.2).apply(&x).expect("drop");
    let got = got.flatten_all().and_then(|t| t.to_vec1::<f32>()).expect("v");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let threshold = (0.8f32 as f64 * u32::MAX as f64) as u32;
    let want: Vec<f32> =
        (0..91).map(|_| if rng.random::<u32>() <= threshold { 1.0 / 0.8 } else { 0.0 }).collect();
    assert_eq!(got, want);
    let base = Tensor::randn(0f32, 1.0, (7, 13), &dev).expect("base");
    let a = Tensor::randn(0f32, 1.0, (7, 13), &dev).expect("a");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let fused = Dropout::train(&mut rng, 0.3).residual(&base, &a).expect("residual");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let composed = base.add(&Dropout::train(&mut rng, 0.3).apply(&a).expect("drop")).expect("add");
    let diff = fused.sub(&composed).and_then(|t| t.abs()).and_then(|t| t.sum_all());
    assert_eq!(diff.and_then(|t| t.to_scalar::<f32>()).expect("diff"), 0.0);
}

#[test]
fn scoring_a_candidate_matches_the_batched_prediction_of_the_next_answer() {
    for variant in VARIANTS {
        check_scoring(variant);
    }
}

fn check_scoring(variant: Variant) {
    let seqs = generate(&SynthSpec {
        learners: 4,
        min_len: 15,
        max_len: 15,
        items: 20,
        skills: 3,
        seed: 9,
    });
    let model = tiny_model(&seqs, variant);
    let s = &seqs[0];
    let batched = model.predict(std::slice::from_ref(s)).expect("predict");
    for t in [0usize, 1, 7, 14] {
        let e = &s.events[t];
        let cand = Candidate {
            item_id: e.item_id.clone(),
            skill_ids: e.skill_ids.clone(),
            difficulty_prior: 0.0,
        };
        let p = model.score_candidates(&s.events[..t], &[cand]).expect("score")[0];
        assert!((p - batched[0][t]).abs() < 1e-4, "t={t}: {p} vs {}", batched[0][t]);
    }
    // Many candidates in one pass; unknown items use the difficulty prior.
    let state = model.encode_history(&s.events).expect("state");
    let mut easy = Candidate::new("never-seen", &["skill0"]);
    easy.difficulty_prior = -3.0;
    let mut hard = easy.clone();
    hard.difficulty_prior = 3.0;
    let p = model.score(&state, &[easy, hard]).expect("score");
    assert!(p[0] > p[1]);
    let m = model.mastery(&state, &["skill0".to_string(), "nope".to_string()]).expect("mastery");
    assert!(m[1].evidence == 0 && m[1].sd > m[0].sd || m[0].evidence == 0);
}

#[test]
fn with_recency_and_ability_features_a_later_answer_never_changes_an_earlier_prediction() {
    let seqs = generate(&SynthSpec {
        learners: 3,
        min_len: 30,
        max_len: 30,
        items: 12,
        skills: 3,
        seed: 21,
    });
    for variant in [
        (false, true, false, false, false),
        (false, true, true, false, false),
        (false, true, true, true, true),
    ] {
        check_causal(&seqs, variant);
    }
}

fn check_causal(seqs: &[ladder_model::data::LearnerSequence], variant: Variant) {
    let model = tiny_model(seqs, variant);
    let before = model.predict(&seqs[..1]).expect("predict");
    let t = 12;
    let mut changed = seqs[0].clone();
    changed.events[t].correct = !changed.events[t].correct;
    let after = model.predict(std::slice::from_ref(&changed)).expect("predict");
    for p in 0..=t {
        assert_eq!(before[0][p], after[0][p], "position {p} saw answer {t}");
    }
    assert!((t + 1..30).any(|p| before[0][p] != after[0][p]), "answer {t} is used later");
}

#[test]
fn training_learns_is_seeded_and_can_be_aborted() {
    let seqs = generate(&SynthSpec {
        learners: 60,
        min_len: 10,
        max_len: 30,
        items: 40,
        skills: 4,
        seed: 2,
    });
    let run = |epochs: usize| {
        train(TrainInput {
            sequences: seqs.clone(),
            config: tiny_config(),
            settings: TrainSettings {
                epochs,
                patience: 10,
                learning_rate: 3e-3,
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("train")
    };
    let a = run(3);
    let b = run(3);
    assert_eq!(a.epochs.len(), 3);
    assert_eq!(a.epochs[2].val_loss, b.epochs[2].val_loss, "seeded runs agree");
    assert!(a.epochs[2].train_loss < a.epochs[0].train_loss);
    let abort = Arc::new(AtomicBool::new(true));
    let out = train(TrainInput {
        sequences: seqs.clone(),
        config: tiny_config(),
        abort: Some(abort),
        ..Default::default()
    })
    .expect("train");
    assert_eq!(out.stop, StopReason::Aborted);
    assert!(out.epochs.is_empty());
}

#[test]
fn a_diverging_run_stops_and_keeps_the_previous_weights() {
    let seqs = generate(&SynthSpec {
        learners: 40,
        min_len: 10,
        max_len: 30,
        items: 40,
        skills: 4,
        seed: 4,
    });
    let base = train(TrainInput {
        sequences: seqs.clone(),
        config: tiny_config(),
        settings: TrainSettings { epochs: 1, ..Default::default() },
        ..Default::default()
    })
    .expect("base");
    let before = base.model.predict(&seqs[..2]).expect("p");
    let out = train(TrainInput {
        sequences: seqs.clone(),
        init: Some(&base.model),
        settings: TrainSettings {
            epochs: 3,
            learning_rate: 1e6,
            divergence_factor: 1.5,
            ..Default::default()
        },
        ..Default::default()
    })
    .expect("train");
    assert!(matches!(out.stop, StopReason::Diverged(_)), "{:?}", out.stop);
    let after = out.model.predict(&seqs[..2]).expect("p");
    for (x, y) in before.iter().flatten().zip(after.iter().flatten()) {
        assert!((x - y).abs() < 1e-6);
    }
}

#[test]
fn personalisation_fine_tunes_a_copy_and_reports_both_models() {
    let seqs = generate(&SynthSpec {
        learners: 30,
        min_len: 20,
        max_len: 30,
        items: 30,
        skills: 4,
        seed: 8,
    });
    let base = train(TrainInput {
        sequences: seqs[..25].to_vec(),
        config: tiny_config(),
        settings: TrainSettings { epochs: 1, ..Default::default() },
        ..Default::default()
    })
    .expect("base");
    let before = base.model.predict(&seqs[25..]).expect("p");
    let r = ladder_model::eval::personalise(
        &base.model,
        &seqs[25..],
        1,
        &ladder_model::eval::PersonaliseOptions {
            epochs: 2,
            learning_rate: 1e-2,
            ..Default::default()
        },
        1,
    )
    .expect("personalise");
    assert_eq!(r.learners, 5);
    assert!(r.answers > 40);
    assert_ne!(r.base.log_loss, r.fine_tuned.log_loss, "fine-tuning changed nothing");
    // The base model itself is untouched.
    assert_eq!(base.model.predict(&seqs[25..]).expect("p"), before);
}

#[test]
fn eval_ensemble_and_refit_train_the_models_they_say() {
    use ladder_model::eval::{cross_validate, EvalOptions, ModelKind};
    let seqs = generate(&SynthSpec {
        learners: 40,
        min_len: 10,
        max_len: 20,
        items: 20,
        skills: 3,
        seed: 13,
    });
    let folds = seqs.iter().enumerate().map(|(i, s)| (s.learner_id.clone(), 1 + i as u32 % 2));
    let data = ladder_model::data::CsvData { folds: folds.collect(), sequences: seqs };
    let opts = EvalOptions {
        models: vec![ModelKind::Transformer],
        folds: vec![1],
        config: ModelConfig { rich_features: true, ..tiny_config() },
        training: TrainSettings { epochs: 2, item_prior: 5.0, ..Default::default() },
        ensemble: 2,
        refit: true,
        ..Default::default()
    };
    let mut lines = Vec::new();
    let report = cross_validate(&data, &opts, &mut |l| lines.push(l.to_string())).expect("eval");
    assert_eq!(report.ensemble, 2);
    assert!(report.table().contains("ENSEMBLE of 2"));
    let own = lines.iter().filter(|l| l.contains("on its own")).count();
    let refits = lines.iter().filter(|l| l.contains("refitted on 20 learners")).count();
    assert_eq!((own, refits), (2, 2), "{lines:#?}");
    let auc = report.folds[0].metrics.auc;
    assert!(auc > 0.0 && auc < 1.0);
}

/// An optional config switch: off when a checkpoint's JSON lacks it and in the default config,
/// and left out of the JSON while off.
fn assert_off_by_default_and_written_only_when_on(field: &str, get: fn(&ModelConfig) -> bool) {
    let cfg: ModelConfig = serde_json::from_str(r#"{"rich_features": true}"#).expect("json");
    assert!(!get(&cfg) && !get(&ModelConfig::default()), "{field} off by default");
    let json = serde_json::to_string(&ModelConfig::default()).expect("json");
    assert!(!json.contains(field), "written only when on: {json}");
}

/// A config survives its JSON.
fn assert_json_round_trip(cfg: &ModelConfig) {
    let back: ModelConfig =
        serde_json::from_str(&serde_json::to_string(cfg).expect("json")).expect("parse");
    assert_eq!(&back, cfg);
}

#[test]
fn ability_features_are_off_by_default_and_need_the_recency_features() {
    assert_off_by_default_and_written_only_when_on("ability_features", |c| c.ability_features);
    let on = ModelConfig { ability_features: true, ..ModelConfig::default() };
    assert!(on.validate().is_err());
    let both = ModelConfig { rich_features: true, ..on };
    both.validate().expect("valid");
    assert_json_round_trip(&both);
    assert!(
        both.n_features() > ModelConfig { ability_features: false, ..both.clone() }.n_features()
    );
}

/// 40 synthetic learners of 10–30 answers on 30 items and 4 skills, for the training-option tests.
fn forty_learners() -> Vec<ladder_model::data::LearnerSequence> {
    generate(&SynthSpec { learners: 40, min_len: 10, max_len: 30, items: 30, skills: 4, seed: 6 })
}

#[test]
fn weight_averaging_keeps_the_raw_trajectory_and_returns_the_average() {
    let seqs = forty_learners();
    let run = |ema: f32, val_fraction: f32| {
        train(TrainInput {
            sequences: seqs.clone(),
            config: tiny_config(),
            settings: TrainSettings { epochs: 2, ema, val_fraction, ..Default::default() },
            ..Default::default()
        })
        .expect("train")
    };
    let v = Vocabs::build(&seqs);
    let cfg = ModelConfig { n_items: v.items.rows(), n_skills: v.skills.rows(), ..tiny_config() };
    let start = KtModel::new(cfg, v, &Device::Cpu, TrainSettings::default().seed).expect("model");
    // Largest absolute difference between two models' weights.
    let dist = |a: &KtModel, b: &KtModel| -> f32 {
        let (ta, tb) = (a.params.tensors(), b.params.tensors());
        ta.iter()
            .map(|(k, t)| {
                let d = t.sub(&tb[k]).and_then(|d| d.abs()).and_then(|d| d.max_all());
                d.and_then(|d| d.to_scalar::<f32>()).expect("diff")
            })
            .fold(0.0, f32::max)
    };
    // No validation learners: the raw run returns its last weights, the averaged one the average.
    let raw = run(0.0, 0.0);
    let slow = run(0.9999, 0.0);
    let losses = |o: &ladder_model::train::TrainOutput| {
        o.epochs.iter().map(|e| e.train_loss).collect::<Vec<_>>()
    };
    assert_eq!(losses(&raw), losses(&slow), "training follows the raw weights");
    assert!(dist(&raw.model, &start) > 0.01, "training moved the weights");
    assert!(
        dist(&slow.model, &start) < 0.05 * dist(&raw.model, &start),
        "an average that barely moves stays near the start"
    );
    // With validation learners, the averaged weights are the ones evaluated.
    let a = run(0.9, 0.2);
    let b = run(0.0, 0.2);
    assert_eq!(losses(&a), losses(&b));
    assert_ne!(a.epochs[0].val_loss, b.epochs[0].val_loss);
}

#[test]
fn item_discrimination_is_off_by_default_and_adds_one_scalar_per_item() {
    assert_off_by_default_and_written_only_when_on("item_discrimination", |c| {
        c.item_discrimination
    });
    let on = ModelConfig { item_discrimination: true, n_items: 7, ..ModelConfig::default() };
    assert_json_round_trip(&on);
    let shapes = |c: &ModelConfig| c.param_shapes();
    let (off, with) =
        (shapes(&ModelConfig { item_discrimination: false, ..on.clone() }), shapes(&on));
    assert_eq!(with.len(), off.len() + 1);
    assert!(with.contains(&("emb.item_disc".to_string(), vec![7, 1])));
    assert!(!off.iter().any(|(n, _)| n == "emb.item_disc"));
}

/// At a discrimination of 0 the model is the one without the option, weight for weight and
/// prediction for prediction (the same seed draws the same weights); a discrimination changes
/// the predictions of the items that have one and of no other.
#[test]
fn a_zero_discrimination_is_the_plain_model_and_unknown_items_keep_a_scale_of_one() {
    let seqs = forty_learners();
    let plain = tiny_model(&seqs, (false, true, true, false, false));
    let on = ModelConfig { item_discrimination: true, ..plain.config.clone() };
    let disc = KtModel::new(on, plain.vocabs.clone(), &Device::Cpu, 3).expect("model");
    let some = &seqs[..3];
    assert_eq!(plain.predict(some).expect("p"), disc.predict(some).expect("p"));
    let state = |m: &KtModel| m.encode_history(&seqs[0].events).expect("state");
    let known = &seqs[0].events[0];
    let cands = [
        Candidate { difficulty_prior: 0.0, ..Candidate::new(&known.item_id, &["skill0"]) },
        Candidate { difficulty_prior: 0.5, ..Candidate::new("never-seen", &["skill0"]) },
    ];
    let before = disc.score(&state(&disc), &cands).expect("score");
    assert_eq!(before, plain.score(&state(&plain), &cands).expect("score"));
    let mut snap = disc.params.snapshot().expect("snapshot");
    let n = disc.config.n_items;
    snap.insert("emb.item_disc".into(), Tensor::ones((n, 1), DType::F32, &Device::Cpu).expect("a"));
    disc.params.restore(&snap).expect("restore");
    // The history's encoding does not use the discriminations; only the scoring does.
    let after = disc.score(&state(&disc), &cands).expect("score");
    let plain_after = plain.score(&state(&plain), &cands).expect("score");
    assert_eq!(plain_after, before);
    let logit = |p: f32| (p / (1.0 - p)).ln();
    assert!((logit(after[0]) - logit(plain_after[0])).abs() > 1e-3, "{after:?} {plain_after:?}");
    assert!((after[1] - plain_after[1]).abs() < 1e-6, "unknown item: {after:?} {plain_after:?}");
}

#[test]
fn training_moves_the_discriminations_at_the_item_learning_rate() {
    let seqs = forty_learners();
    let config = ModelConfig { item_discrimination: true, ..tiny_config() };
    let run = |item_learning_rate: f64| {
        train(TrainInput {
            sequences: seqs.clone(),
            config: config.clone(),
            settings: TrainSettings {
                epochs: 2,
                val_fraction: 0.0,
                item_learning_rate,
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("train")
        .model
    };
    let moved = |m: &KtModel| -> f32 {
        let a = &m.params.tensors()["emb.item_disc"];
        a.abs().and_then(|a| a.sum_all()).and_then(|s| s.to_scalar::<f32>()).expect("sum")
    };
    assert_eq!(moved(&run(0.0)), 0.0, "no item learning rate, no movement");
    assert!(moved(&run(0.01)) > 0.0);
}

#[test]
fn skill_attention_is_off_by_default_and_adds_two_scalars_per_head_and_layer() {
    assert_off_by_default_and_written_only_when_on("skill_attention", |c| c.skill_attention);
    let on = ModelConfig { skill_attention: true, ..ModelConfig::default() };
    assert_json_round_trip(&on);
    let names = |c: &ModelConfig| c.param_shapes().into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    let (off_names, on_names) = (names(&ModelConfig::default()), names(&on));
    let layers = on.n_encoder_layers + on.n_retriever_layers;
    assert_eq!(on_names.len(), off_names.len() + 2 * layers);
    assert!(on_names.contains(&"ret.0.attn.log_skill_rate".to_string()));
    assert!(on_names.contains(&"enc.0.attn.skill_bonus".to_string()));
}

/// Answers on skills [1], [2], [1,3], [2], [3]; a query on skill 1 that sees all five (keys
/// 0..=5, key j carries answer j-1): counting back from the latest answer, answers on skill 1
/// are 3 (key 3) and 1 (key 1).
#[test]
fn skill_distances_count_the_answers_on_the_query_skills_since_each_key() {
    let answers: Vec<&[u32]> = vec![&[1], &[2], &[1, 3], &[2], &[3]];
    let queries: Vec<(&[u32], usize)> = vec![(&[1], 5), (&[3, 9], 3), (&[], 5)];
    let (dist, shared) = ladder_model::model::skill_relation(&answers, &queries, 7);
    let n = |v: f32| (1.0 + v).ln();
    // Query on skill 1: keys 5, 4 (answers 4, 3) no skill 1 since; key 3 (answer 2) one; keys
    // 2, 1 two; key 0 (start) all two; key 6 beyond the query: 0.
    let want = [n(2.0), n(2.0), n(1.0), n(1.0), 0.0, 0.0, 0.0];
    assert_eq!(&dist[..7], &want);
    assert_eq!(&shared[..7], &[0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    // Query on skills {3, 9} seeing answers 0..3: only answer 2 has skill 3.
    let want = [n(1.0), n(1.0), n(1.0), n(1.0), 0.0, 0.0, 0.0];
    assert_eq!(&dist[7..14], &want);
    assert_eq!(&shared[7..14], &[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    // A query without skills (the encoder's start token) gets no skill bias.
    assert!(dist[14..].iter().chain(&shared[14..]).all(|&v| v == 0.0));
}

#[test]
fn the_attention_bias_scalars_move_faster_with_their_own_learning_rate() {
    let seqs = forty_learners();
    let cfg = ModelConfig { skill_attention: true, ..tiny_config() };
    let run = |bias_learning_rate: f64| {
        train(TrainInput {
            sequences: seqs.clone(),
            config: cfg.clone(),
            settings: TrainSettings {
                epochs: 2,
                val_fraction: 0.0,
                bias_learning_rate,
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("train")
        .model
    };
    let v = Vocabs::build(&seqs);
    let sized = ModelConfig { n_items: v.items.rows(), n_skills: v.skills.rows(), ..cfg.clone() };
    let start = KtModel::new(sized, v, &Device::Cpu, TrainSettings::default().seed).expect("model");
    let moved = |m: &KtModel, name: &str| -> f32 {
        let (a, b) = (&m.params.tensors()[name], &start.params.tensors()[name]);
        let d = a.sub(b).and_then(|d| d.abs()).and_then(|d| d.sum_all());
        d.and_then(|d| d.to_scalar::<f32>()).expect("diff")
    };
    let (shared, own) = (run(0.0), run(0.1));
    for name in ["enc.0.attn.log_slope", "ret.0.attn.log_skill_rate", "ret.0.attn.skill_bonus"] {
        let (a, b) = (moved(&shared, name), moved(&own, name));
        assert!(a > 0.0 && b > 3.0 * a, "{name}: moved {a} at the shared rate, {b} at its own");
    }
}
