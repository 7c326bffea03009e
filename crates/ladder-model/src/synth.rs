//! Synthetic learners in the interaction-CSV form, for tests and CI (no dependency on real data).
//!
//! Each learner has an ability; each skill has a knowledge level that grows with practice and
//! decays with time; each item has a difficulty and one or two skills. The probability of a
//! correct answer is `sigmoid(ability + mean knowledge of the item's skills - difficulty)`.
//! Hints, latencies and timestamps are generated too, so every input of the model is exercised.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::{Interaction, LearnerSequence};

/// Shape of a synthetic data set.
#[derive(Debug, Clone, Copy)]
pub struct SynthSpec {
    pub learners: usize,
    pub min_len: usize,
    pub max_len: usize,
    pub items: usize,
    pub skills: usize,
    pub seed: u64,
}

impl Default for SynthSpec {
    fn default() -> Self {
        SynthSpec { learners: 400, min_len: 10, max_len: 80, items: 300, skills: 12, seed: 1 }
    }
}

fn gauss(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-12);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Generates learners according to `spec`.
pub fn generate(spec: &SynthSpec) -> Vec<LearnerSequence> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let skills = spec.skills.max(1);
    let items: Vec<(f64, Vec<usize>)> = (0..spec.items.max(1))
        .map(|i| {
            let s1 = i % skills;
            let mut sk = vec![s1];
            if rng.random::<f64>() < 0.2 {
                sk.push((s1 + 1 + rng.random_range(0..skills)) % skills);
                sk.dedup();
            }
            (1.2 * gauss(&mut rng), sk)
        })
        .collect();
    let skill_gain: Vec<f64> = (0..skills).map(|_| 0.15 + 0.25 * rng.random::<f64>()).collect();
    (0..spec.learners)
        .map(|l| {
            let ability = gauss(&mut rng);
            let mut know = vec![-1.0f64; skills];
            let len = rng.random_range(spec.min_len..=spec.max_len.max(spec.min_len));
            let mut time = 1_000_000.0 + rng.random::<f64>() * 1e5;
            // Learners work through skills in blocks, like skill-builder assignments.
            let mut skill = rng.random_range(0..skills);
            let events = (0..len)
                .map(|_| {
                    if rng.random::<f64>() < 0.1 {
                        skill = rng.random_range(0..skills);
                    }
                    let pool: Vec<usize> =
                        (0..items.len()).filter(|&i| items[i].1[0] == skill).collect();
                    let it = if pool.is_empty() {
                        rng.random_range(0..items.len())
                    } else {
                        pool[rng.random_range(0..pool.len())]
                    };
                    let (diff, sk) = &items[it];
                    let k: f64 = sk.iter().map(|&s| know[s]).sum::<f64>() / sk.len() as f64;
                    let z = ability + k - diff + 0.5;
                    let p = 1.0 / (1.0 + (-z).exp());
                    let correct = rng.random::<f64>() < p;
                    let hints = if !correct && rng.random::<f64>() < 0.4 {
                        rng.random_range(1..4)
                    } else {
                        0
                    };
                    let latency = 2000.0 * (1.0 + 3.0 * (1.0 - p)) * (0.5 + rng.random::<f64>());
                    let gap = if rng.random::<f64>() < 0.05 {
                        86_400.0 * rng.random_range(1..10) as f64
                    } else {
                        20.0 + 60.0 * rng.random::<f64>()
                    };
                    time += gap;
                    for &s in sk {
                        know[s] += skill_gain[s] * if correct { 1.0 } else { 0.6 };
                        if gap > 10_000.0 {
                            know[s] -= 0.3;
                        }
                    }
                    Interaction {
                        item_id: format!("item{it}"),
                        skill_ids: sk.iter().map(|s| format!("skill{s}")).collect(),
                        correct,
                        hints: Some(hints),
                        latency_ms: Some(latency),
                        timestamp: Some(time),
                    }
                })
                .collect();
            LearnerSequence { learner_id: format!("learner{l}"), events }
        })
        .collect()
}

/// Writes sequences as `interactions.csv` (with hints, latency and timestamp columns) and a
/// `folds.csv` assigning learners round-robin to `folds` folds.
pub fn write_csv(
    dir: &std::path::Path,
    seqs: &[LearnerSequence],
    folds: u32,
) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut s = String::from("student_id,t,item_id,skill_ids,correct,hints,latency_ms,timestamp\n");
    let mut f = String::from("student_id,fold\n");
    for (i, q) in seqs.iter().enumerate() {
        let _ = writeln!(f, "{},{}", q.learner_id, 1 + i as u32 % folds.max(1));
        for (t, e) in q.events.iter().enumerate() {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{:.0},{:.0}",
                q.learner_id,
                t,
                e.item_id,
                e.skill_ids.join(";"),
                e.correct as u8,
                e.hints.unwrap_or(0),
                e.latency_ms.unwrap_or(0.0),
                e.timestamp.unwrap_or(0.0)
            );
        }
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("interactions.csv"), s)?;
    std::fs::write(dir.join("folds.csv"), f)
}
