//! Choosing the compute device. The CPU is the default; `cuda` and `metal` need the cargo feature
//! of the same name (and the hardware).

use candle_core::Device;

use crate::error::{Error, Result};

/// Parses `cpu`, `cuda`, `cuda:N` or `metal` into a device, with a clear error when this build or
/// machine cannot provide it.
pub fn select(name: &str) -> Result<Device> {
    let (kind, ordinal) = match name.split_once(':') {
        Some((k, n)) => (
            k,
            n.parse::<usize>()
                .map_err(|_| Error::Device(format!("bad device ordinal in `{name}`")))?,
        ),
        None => (name, 0),
    };
    match kind {
        "cpu" => Ok(Device::Cpu),
        "cuda" => {
            if cfg!(feature = "cuda") {
                Device::new_cuda(ordinal).map_err(|e| {
                    let e = crate::error::without_backtrace(e);
                    Error::Device(format!("CUDA device {ordinal} is not available: {e}"))
                })
            } else {
                Err(Error::Device(
                    "this build has no CUDA support: rebuild with `--features cuda` (needs the CUDA toolkit)"
                        .into(),
                ))
            }
        }
        "metal" => {
            if cfg!(feature = "metal") {
                Device::new_metal(ordinal).map_err(|e| {
                    let e = crate::error::without_backtrace(e);
                    Error::Device(format!("Metal device {ordinal} is not available: {e}"))
                })
            } else {
                Err(Error::Device(
                    "this build has no Metal support: rebuild with `--features metal` (macOS)"
                        .into(),
                ))
            }
        }
        other => Err(Error::Device(format!(
            "unknown device `{other}` (expected cpu, cuda, cuda:N or metal)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_works_and_unknown_devices_are_refused_clearly() {
        assert!(matches!(select("cpu"), Ok(Device::Cpu)));
        let e = select("tpu").expect_err("tpu").to_string();
        assert!(e.contains("unknown device"), "{e}");
        if !cfg!(feature = "cuda") {
            for name in ["cuda", "cuda:1"] {
                let e = select(name).expect_err("no cuda").to_string();
                assert!(e.contains("--features cuda"), "{e}");
            }
        }
        let e = select("cuda:x").expect_err("bad ordinal").to_string();
        assert!(e.contains("bad device ordinal in `cuda:x`"), "{e}");
    }
}

/// Tests of a CUDA build. Without a GPU (or driver) only the refusal is checked; with one, the
/// whole model (forward, backward through every op, scoring) is compared with the CPU.
/// `LADDER_REQUIRE_CUDA=1` turns a missing GPU into a failure instead of a skip.
#[cfg(all(test, feature = "cuda"))]
mod cuda_tests {
    use std::collections::BTreeMap;

    use candle_core::Tensor;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::batch::{build_batch, train_windows};
    use crate::data::{encode_all, Vocabs};
    use crate::infer::{Candidate, KtModel};
    use crate::model::{bce_with_logits, Dropout, ModelConfig, Net};
    use crate::synth::{generate, SynthSpec};

    #[test]
    fn a_missing_cuda_device_is_refused_clearly() {
        let e = select("cuda:99").expect_err("no 100th GPU").to_string();
        assert!(e.contains("CUDA device 99 is not available"), "{e}");
    }

    fn gpu() -> Option<Device> {
        match select("cuda") {
            Ok(d) => Some(d),
            Err(e) => {
                assert!(std::env::var_os("LADDER_REQUIRE_CUDA").is_none(), "no GPU: {e}");
                eprintln!("skipped, no GPU: {e}");
                None
            }
        }
    }

    fn host(t: &Tensor) -> Vec<f32> {
        t.to_device(&Device::Cpu)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1())
            .expect("to host")
    }

    fn max_diff(a: &[f32], b: &[f32]) -> f32 {
        assert_eq!(a.len(), b.len());
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
    }

    /// Logits, loss and the gradient of every parameter of one training step (dropout and
    /// masking on, drawn from the same seed on both devices).
    fn one_step(
        m: &KtModel,
        enc: &[crate::data::EncodedSeq],
    ) -> (Vec<f32>, f32, BTreeMap<String, Vec<f32>>) {
        let windows = train_windows(enc, m.config.max_len);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let (bt, h) =
            build_batch(enc, &windows, &m.device, Some(&mut rng), 0.1, 0.1).expect("batch");
        let target = Tensor::from_vec(h.target, (bt.b, bt.t), &m.device).expect("target");
        let mask = Tensor::from_vec(h.mask, (bt.b, bt.t), &m.device).expect("mask");
        let net = Net { cfg: &m.config, p: &m.params };
        let mut drop_rng = ChaCha8Rng::seed_from_u64(12);
        let (logits, _) =
            net.forward(&bt, &mut Dropout::train(&mut drop_rng, 0.2)).expect("forward");
        let loss = bce_with_logits(&logits, &target, &mask).expect("loss");
        let grads = loss.backward().expect("backward");
        let mut g = BTreeMap::new();
        for (name, var) in &m.params.vars {
            let gt = grads.get(var.as_tensor()).unwrap_or_else(|| panic!("no gradient for {name}"));
            g.insert(name.clone(), host(gt));
        }
        (host(&logits), loss.to_scalar::<f32>().expect("loss value"), g)
    }

    #[test]
    fn cuda_forward_backward_and_scoring_match_the_cpu() {
        let Some(gpu) = gpu() else { return };
        let seqs = generate(&SynthSpec {
            learners: 12,
            min_len: 40,
            max_len: 120,
            items: 80,
            skills: 10,
            seed: 3,
        });
        let v = Vocabs::build(&seqs);
        let cfg = ModelConfig {
            n_items: v.items.rows(),
            n_skills: v.skills.rows(),
            max_len: 64,
            ..ModelConfig::default()
        };
        let cpu = KtModel::new(cfg, v, &Device::Cpu, 5).expect("model");
        let cuda = cpu.fork(&gpu).expect("fork to GPU");
        assert!(cuda.device.is_cuda());
        let enc = encode_all(&cpu.vocabs, &seqs);
        let (lc, loss_c, gc) = one_step(&cpu, &enc);
        let (lg, loss_g, gg) = one_step(&cuda, &enc);
        assert!(max_diff(&lc, &lg) < 1e-3, "logits differ by {}", max_diff(&lc, &lg));
        assert!((loss_c - loss_g).abs() < 1e-4, "loss {loss_c} on the CPU, {loss_g} on the GPU");
        for (name, a) in &gc {
            let b = &gg[name];
            let scale = a.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-3);
            let d = max_diff(a, b);
            assert!(d <= 2e-3 * scale, "gradient of {name} differs by {d} (largest {scale})");
        }
        // Scoring as the engine does it: a long history, many candidates.
        let history = &seqs[0].events;
        let cands: Vec<Candidate> = seqs[1..]
            .iter()
            .flat_map(|s| s.events.iter())
            .take(300)
            .map(|e| Candidate {
                item_id: e.item_id.clone(),
                skill_ids: e.skill_ids.clone(),
                difficulty_prior: 0.3,
            })
            .collect();
        let pc = cpu.score(&cpu.encode_history(history).expect("encode"), &cands).expect("score");
        let pg = cuda.score(&cuda.encode_history(history).expect("encode"), &cands).expect("score");
        assert_eq!(pc.len(), 300);
        assert!(max_diff(&pc, &pg) < 1e-4, "scores differ by {}", max_diff(&pc, &pg));
    }
}
