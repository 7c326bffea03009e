//! Model speed figures for docs/benchmarks.md:
//!
//! * training throughput (answers, i.e. tokens, per second) of one optimiser step on a batch of
//!   full-length windows, for the shipped config and for the probe shape of DESIGN.md section 7;
//! * latency of scoring 1,000 candidates for a learner with 2,000 past answers (p50/p99), split
//!   into encoding the history and scoring against the cached history;
//! * time to fine-tune on 500 new answers with the personalisation settings.
//!
//! `cargo bench -p ladder-model --bench train_speed` (set RAYON_NUM_THREADS to fix the threads;
//! `-- --train-only` stops after the training figures, `--quick` takes 2 steps instead of 10).
//! `-- --device cuda` runs it on a GPU (build with `--features cuda`; docs/model.md, "GPU").

use std::time::Instant;

use candle_core::{Device, Tensor};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use ladder_model::batch::{build_batch, Window};
use ladder_model::data::{encode_all, LearnerSequence, Vocabs};
use ladder_model::eval::PersonaliseOptions;
use ladder_model::infer::{Candidate, KtModel};
use ladder_model::model::{bce_with_logits, Dropout, ModelConfig, Net};
use ladder_model::synth::{generate, SynthSpec};
use ladder_model::train::{train_encoded, TrainInput, TrainSettings};
use rand::SeedableRng;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus(learners: usize, len: usize) -> Vec<LearnerSequence> {
    generate(&SynthSpec { learners, min_len: len, max_len: len, items: 2000, skills: 100, seed: 1 })
}

/// The device named by `--device NAME` (default `cpu`).
fn bench_device() -> Device {
    let args: Vec<String> = std::env::args().collect();
    let name = args
        .iter()
        .position(|a| a == "--device")
        .and_then(|i| args.get(i + 1))
        .map_or("cpu", |s| s.as_str());
    ladder_model::device::select(name).unwrap_or_else(|e| panic!("--device {name}: {e}"))
}

fn model_for(seqs: &[LearnerSequence], cfg: &ModelConfig, dev: &Device) -> KtModel {
    let v = Vocabs::build(seqs);
    let cfg = ModelConfig { n_items: v.items.rows(), n_skills: v.skills.rows(), ..cfg.clone() };
    KtModel::new(cfg, v, dev, 1).expect("model")
}

fn train_speed(
    name: &str,
    cfg: &ModelConfig,
    batch: usize,
    seq: usize,
    steps: usize,
    dev: &Device,
) {
    let seqs = corpus(batch, seq);
    let model = model_for(&seqs, cfg, dev);
    let enc = encode_all(&model.vocabs, &seqs);
    let windows: Vec<Window> =
        (0..batch).map(|i| Window { seq: i, start: 0, end: seq, predict_from: 0 }).collect();
    let mut opt =
        AdamW::new(model.params.all_vars(), ParamsAdamW { lr: 1e-3, ..Default::default() })
            .expect("opt");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let mut step = |rng: &mut rand_chacha::ChaCha8Rng| -> (f64, f64) {
        let t0 = Instant::now();
        let (bt, host) = build_batch(&enc, &windows, dev, Some(rng), 0.05, 0.05).expect("batch");
        let target = Tensor::from_vec(host.target, (bt.b, bt.t), dev).expect("t");
        let mask = Tensor::from_vec(host.mask, (bt.b, bt.t), dev).expect("m");
        let net = Net { cfg: &model.config, p: &model.params };
        let mut drop = Dropout::train(rng, model.config.dropout);
        let (logits, _) = net.forward(&bt, &mut drop).expect("fwd");
        let loss = bce_with_logits(&logits, &target, &mask).expect("loss");
        let _ = loss.to_scalar::<f32>().expect("sync");
        let fwd = t0.elapsed().as_secs_f64();
        opt.backward_step(&loss).expect("step");
        dev.synchronize().expect("sync"); // a GPU runs asynchronously
        (fwd, t0.elapsed().as_secs_f64())
    };
    for _ in 0..2 {
        step(&mut rng);
    }
    let (mut fwd, mut total) = (0.0, 0.0);
    for _ in 0..steps {
        let (f, t) = step(&mut rng);
        fwd += f;
        total += t;
    }
    let tokens = (batch * seq * steps) as f64;
    println!(
        "train {name}: d_model {} layers {}+{} heads {} seq {seq} batch {batch}: {:.0} tokens/s \
         (step {:.3}s, forward {:.3}s, backward+update {:.3}s)",
        cfg.d_model,
        cfg.n_encoder_layers,
        cfg.n_retriever_layers,
        cfg.n_heads,
        tokens / total,
        total / steps as f64,
        fwd / steps as f64,
        (total - fwd) / steps as f64
    );
}

fn percentile(xs: &mut [f64], p: f64) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i]
}

fn latency(cfg: &ModelConfig, reps: usize, dev: &Device) {
    let seqs = corpus(3, 2000);
    let model = model_for(&seqs, cfg, dev);
    let history = &seqs[0].events;
    let cands: Vec<Candidate> = (0..1000)
        .map(|i| {
            let e = &seqs[1 + i % 2].events[i];
            Candidate {
                item_id: e.item_id.clone(),
                skill_ids: e.skill_ids.clone(),
                difficulty_prior: 0.0,
            }
        })
        .collect();
    let (mut enc_t, mut score_t, mut both_t) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps + 3 {
        let t0 = Instant::now();
        let state = model.encode_history(history).expect("encode");
        let t1 = Instant::now();
        let p = model.score(&state, &cands).expect("score");
        let t2 = Instant::now();
        assert_eq!(p.len(), 1000);
        if i >= 3 {
            enc_t.push((t1 - t0).as_secs_f64() * 1e3);
            score_t.push((t2 - t1).as_secs_f64() * 1e3);
            both_t.push((t2 - t0).as_secs_f64() * 1e3);
        }
    }
    println!(
        "score 1000 candidates, 2000 past answers ({reps} runs): encode history p50 {:.2} ms p99 {:.2} ms; \
         score cached p50 {:.2} ms p99 {:.2} ms; both p50 {:.2} ms p99 {:.2} ms",
        percentile(&mut enc_t, 0.5),
        percentile(&mut enc_t, 0.99),
        percentile(&mut score_t, 0.5),
        percentile(&mut score_t, 0.99),
        percentile(&mut both_t, 0.5),
        percentile(&mut both_t, 0.99)
    );
}

fn fine_tune(cfg: &ModelConfig, dev: &Device) {
    let seqs = corpus(2, 500);
    let model = model_for(&seqs, cfg, dev);
    let enc = encode_all(&model.vocabs, &seqs[..1]);
    let po = PersonaliseOptions::default();
    let t0 = Instant::now();
    let tuned = model.fork(dev).expect("fork");
    let out = train_encoded(
        tuned,
        &enc,
        &[],
        &mut TrainInput {
            settings: po.training(TrainSettings::default().seed),
            device: dev.clone(),
            ..Default::default()
        },
    )
    .expect("fine-tune");
    println!(
        "fine-tune on 500 answers ({} epochs, batch 1 window): {:.2} s",
        out.epochs.len(),
        t0.elapsed().as_secs_f64()
    );
}

fn main() {
    // The same process settings as `ladder` and the app (ladder_model::runtime).
    ladder_model::runtime::tune_for_training();
    let quick = std::env::args().any(|a| a == "--quick");
    let shipped = ModelConfig::default();
    let probe = ModelConfig {
        d_model: 128,
        n_heads: 4,
        d_ff: 256,
        n_encoder_layers: 2,
        n_retriever_layers: 2,
        ..ModelConfig::default()
    };
    let dev = bench_device();
    if std::env::args().any(|a| a == "--latency") {
        latency(&shipped, 200, &dev);
        return;
    }
    let steps = if quick { 2 } else { 10 };
    println!("device: {dev:?}");
    train_speed("shipped", &shipped, 32, shipped.max_len, steps, &dev);
    train_speed("probe", &probe, 32, 200, steps, &dev);
    if std::env::args().any(|a| a == "--train-only") {
        return;
    }
    latency(&shipped, if quick { 10 } else { 200 }, &dev);
    fine_tune(&shipped, &dev);
}
