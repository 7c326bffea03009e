//! Logistic item difficulty + Performance Factors Analysis baseline.
//!
//! `logit P(correct) = bias - difficulty[item] + sum over the item's skills of
//! (easiness[s] + gamma[s] * ln(1 + successes_s) + rho[s] * ln(1 + failures_s))`, where the
//! counts are the learner's earlier answers on skill `s`. Counts enter as `ln(1 + n)` rather than
//! raw so long histories do not saturate the logit. Fitted by L2-regularised logistic regression
//! with mini-batch Adam (lazy: only the rows a batch touches are updated), seeded.

use std::collections::HashMap;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::data::{EncodedSeq, MAX_SKILLS};

/// Fitting options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PfaOptions {
    pub epochs: usize,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// L2 penalty per parameter (applied to each touched parameter per example).
    pub l2: f64,
    pub seed: u64,
}

impl Default for PfaOptions {
    fn default() -> Self {
        PfaOptions { epochs: 12, learning_rate: 0.02, batch_size: 256, l2: 1e-5, seed: 1 }
    }
}

/// A fitted model. Vectors are indexed by vocabulary index (row 0 = unknown, kept at 0).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pfa {
    pub bias: f64,
    pub difficulty: Vec<f64>,
    pub easiness: Vec<f64>,
    pub gamma: Vec<f64>,
    pub rho: Vec<f64>,
}

struct Row {
    item: u32,
    n: u8,
    skills: [u32; MAX_SKILLS],
    succ: [f32; MAX_SKILLS],
    fail: [f32; MAX_SKILLS],
    y: bool,
}

/// Rows of a sequence: one per answer, with the per-skill counts before it.
fn rows(seq: &EncodedSeq, mut f: impl FnMut(Row)) {
    let mut succ: HashMap<u32, u32> = HashMap::new();
    let mut fail: HashMap<u32, u32> = HashMap::new();
    for e in &seq.events {
        let mut r = Row {
            item: e.item,
            n: e.n_skills,
            skills: e.skills,
            succ: [0.0; MAX_SKILLS],
            fail: [0.0; MAX_SKILLS],
            y: e.correct,
        };
        for (j, s) in e.skills().iter().enumerate() {
            r.succ[j] = (*succ.get(s).unwrap_or(&0) as f32).ln_1p();
            r.fail[j] = (*fail.get(s).unwrap_or(&0) as f32).ln_1p();
        }
        for s in e.skills() {
            let m = if e.correct { &mut succ } else { &mut fail };
            *m.entry(*s).or_insert(0) += 1;
        }
        f(r);
    }
}

struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
    t: Vec<u32>,
}

impl Adam {
    fn new(n: usize) -> Self {
        Adam { m: vec![0.0; n], v: vec![0.0; n], t: vec![0; n] }
    }
    fn step(&mut self, w: &mut [f64], i: usize, g: f64, lr: f64) {
        let (b1, b2) = (0.9, 0.999);
        self.t[i] += 1;
        self.m[i] = b1 * self.m[i] + (1.0 - b1) * g;
        self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g;
        let t = self.t[i] as i32;
        let mh = self.m[i] / (1.0 - b1.powi(t));
        let vh = self.v[i] / (1.0 - b2.powi(t));
        w[i] -= lr * mh / (vh.sqrt() + 1e-8);
    }
}

pub(crate) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Pfa {
    fn logit(&self, r: &Row) -> f64 {
        let mut z = self.bias - self.difficulty.get(r.item as usize).unwrap_or(&0.0);
        for j in 0..r.n as usize {
            let s = r.skills[j] as usize;
            if s < self.easiness.len() {
                z += self.easiness[s]
                    + self.gamma[s] * r.succ[j] as f64
                    + self.rho[s] * r.fail[j] as f64;
            }
        }
        z
    }

    /// Fits the model on `train`.
    pub fn fit(train: &[EncodedSeq], n_items: usize, n_skills: usize, opt: &PfaOptions) -> Pfa {
        let mut data = Vec::new();
        for s in train {
            rows(s, |r| data.push(r));
        }
        let mut m = Pfa {
            bias: 0.0,
            difficulty: vec![0.0; n_items],
            easiness: vec![0.0; n_skills],
            gamma: vec![0.0; n_skills],
            rho: vec![0.0; n_skills],
        };
        // One flat parameter vector view: [bias | difficulty | easiness | gamma | rho].
        let off_d = 1;
        let off_e = off_d + n_items;
        let off_g = off_e + n_skills;
        let off_r = off_g + n_skills;
        let total = off_r + n_skills;
        let mut w = vec![0.0f64; total];
        let mut grad = vec![0.0f64; total];
        let mut touched: Vec<usize> = Vec::new();
        let mut adam = Adam::new(total);
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(opt.seed);
        for _ in 0..opt.epochs {
            order.shuffle(&mut rng);
            for batch in order.chunks(opt.batch_size.max(1)) {
                for &i in batch {
                    let r = &data[i];
                    let mut z = w[0] - if r.item != 0 { w[off_d + r.item as usize] } else { 0.0 };
                    for j in 0..r.n as usize {
                        let s = r.skills[j] as usize;
                        if s != 0 {
                            z += w[off_e + s]
                                + w[off_g + s] * r.succ[j] as f64
                                + w[off_r + s] * r.fail[j] as f64;
                        }
                    }
                    let err = sigmoid(z) - if r.y { 1.0 } else { 0.0 };
                    let mut add = |k: usize, g: f64, w: &[f64]| {
                        if grad[k] == 0.0 {
                            touched.push(k);
                        }
                        grad[k] += g + opt.l2 * w[k];
                    };
                    add(0, err, &w);
                    if r.item != 0 {
                        add(off_d + r.item as usize, -err, &w);
                    }
                    for j in 0..r.n as usize {
                        let s = r.skills[j] as usize;
                        if s != 0 {
                            add(off_e + s, err, &w);
                            add(off_g + s, err * r.succ[j] as f64, &w);
                            add(off_r + s, err * r.fail[j] as f64, &w);
                        }
                    }
                }
                let scale = 1.0 / batch.len() as f64;
                for &k in &touched {
                    let g = grad[k] * scale;
                    grad[k] = 0.0;
                    adam.step(&mut w, k, g, opt.learning_rate);
                }
                touched.clear();
            }
        }
        m.bias = w[0];
        m.difficulty.copy_from_slice(&w[off_d..off_e]);
        m.easiness.copy_from_slice(&w[off_e..off_g]);
        m.gamma.copy_from_slice(&w[off_g..off_r]);
        m.rho.copy_from_slice(&w[off_r..total]);
        m
    }

    /// Predicts every answer of `seq` from the answers before it.
    pub fn predict(&self, seq: &EncodedSeq) -> Vec<f32> {
        let mut out = Vec::with_capacity(seq.events.len());
        rows(seq, |r| out.push(sigmoid(self.logit(&r)) as f32));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{encode_all, Interaction, LearnerSequence, Vocabs};
    use rand::Rng;

    #[test]
    fn learns_item_difficulty_and_practice_effect() {
        // Item "hard" is answered correctly 20% of the time, "easy" 80%; success on skill s
        // rises with practice.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let seqs: Vec<LearnerSequence> = (0..300)
            .map(|i| LearnerSequence {
                learner_id: i.to_string(),
                events: (0..20)
                    .map(|t| {
                        let hard = rng.random::<bool>();
                        let p = if hard { 0.2 } else { 0.8 } + 0.01 * t as f64;
                        Interaction::new(
                            if hard { "hard" } else { "easy" },
                            &["s"],
                            rng.random::<f64>() < p,
                        )
                    })
                    .collect(),
            })
            .collect();
        let v = Vocabs::build(&seqs);
        let enc = encode_all(&v, &seqs);
        let m = Pfa::fit(&enc, v.items.rows(), v.skills.rows(), &PfaOptions::default());
        let (hard, easy) = (v.items.get("hard") as usize, v.items.get("easy") as usize);
        assert!(m.difficulty[hard] > m.difficulty[easy] + 1.5, "{m:?}");
        let pred = m.predict(&enc[0]);
        let auc = crate::metrics::auc(
            &pred,
            &seqs[0].events.iter().map(|e| e.correct).collect::<Vec<_>>(),
        );
        assert!(auc > 0.6, "auc {auc}");
    }
}
