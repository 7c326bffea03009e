//! Bayesian Knowledge Tracing baseline: one hidden mastered/not-mastered state per skill, with
//! the four classic parameters (initial mastery, learn, guess, slip) fitted per skill by EM
//! (Baum-Welch), no forgetting.
//!
//! Multi-skill items: during fitting the answer counts as an observation in each of its skills'
//! sequences; when predicting, the probability of a correct answer is the **average** of the
//! per-skill predictions (the product punishes multi-skill items too hard on ASSISTments), and
//! the answer then updates every one of its skills. Items without a known skill get the
//! training set's mean success rate.

use serde::{Deserialize, Serialize};

use crate::data::EncodedSeq;

/// Parameters of one skill.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BktParams {
    pub init: f64,
    pub learn: f64,
    pub guess: f64,
    pub slip: f64,
}

impl Default for BktParams {
    fn default() -> Self {
        BktParams { init: 0.4, learn: 0.1, guess: 0.2, slip: 0.1 }
    }
}

impl BktParams {
    fn p_correct(&self, known: f64) -> f64 {
        known * (1.0 - self.slip) + (1.0 - known) * self.guess
    }

    /// Posterior mastery after an observation, then the learning transition.
    fn update(&self, known: f64, correct: bool) -> f64 {
        let post = if correct {
            let a = known * (1.0 - self.slip);
            a / (a + (1.0 - known) * self.guess)
        } else {
            let a = known * self.slip;
            a / (a + (1.0 - known) * (1.0 - self.guess))
        };
        post + (1.0 - post) * self.learn
    }
}

/// A fitted BKT model (parameters indexed by skill vocabulary index; row 0 = unknown skill).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bkt {
    pub params: Vec<BktParams>,
    pub base_rate: f64,
}

/// Upper bound on guess and slip, which keeps EM away from the degenerate solutions where
/// "mastered" means "wrong".
const MAX_GUESS_SLIP: f64 = 0.3;

impl Bkt {
    /// Fits the parameters of every skill by EM (at most `iterations` rounds per skill).
    pub fn fit(train: &[EncodedSeq], n_skills: usize, iterations: usize) -> Bkt {
        let mut per_skill: Vec<Vec<Vec<bool>>> = vec![Vec::new(); n_skills];
        let (mut n, mut n_ok) = (0usize, 0usize);
        for s in train {
            let mut cur: Vec<Vec<bool>> = vec![Vec::new(); n_skills];
            let mut touched = Vec::new();
            for e in &s.events {
                n += 1;
                n_ok += e.correct as usize;
                for &k in e.skills() {
                    let k = k as usize;
                    if k < n_skills {
                        if cur[k].is_empty() {
                            touched.push(k);
                        }
                        cur[k].push(e.correct);
                    }
                }
            }
            for k in touched {
                per_skill[k].push(std::mem::take(&mut cur[k]));
            }
        }
        let params =
            per_skill
                .iter()
                .map(|seqs| {
                    if seqs.is_empty() {
                        BktParams::default()
                    } else {
                        fit_skill(seqs, iterations)
                    }
                })
                .collect();
        Bkt { params, base_rate: if n == 0 { 0.5 } else { n_ok as f64 / n as f64 } }
    }

    /// Predicts every answer of `seq` from the answers before it.
    pub fn predict(&self, seq: &EncodedSeq) -> Vec<f32> {
        let mut known: Vec<Option<f64>> = vec![None; self.params.len()];
        let mut out = Vec::with_capacity(seq.events.len());
        for e in &seq.events {
            let skills: Vec<usize> = e
                .skills()
                .iter()
                .map(|&k| k as usize)
                .filter(|&k| k != 0 && k < self.params.len())
                .collect();
            if skills.is_empty() {
                out.push(self.base_rate as f32);
                continue;
            }
            let mut p = 0.0;
            for &k in &skills {
                let prm = &self.params[k];
                let l = known[k].unwrap_or(prm.init);
                p += prm.p_correct(l);
            }
            out.push((p / skills.len() as f64) as f32);
            for &k in &skills {
                let prm = &self.params[k];
                let l = known[k].unwrap_or(prm.init);
                known[k] = Some(prm.update(l, e.correct));
            }
        }
        out
    }
}

fn fit_skill(seqs: &[Vec<bool>], iterations: usize) -> BktParams {
    let mut p = BktParams::default();
    let mut prev_ll = f64::NEG_INFINITY;
    for _ in 0..iterations {
        // Expected counts.
        let (mut init_num, mut init_den) = (0.0f64, 0.0f64);
        let (mut learn_num, mut learn_den) = (0.0f64, 0.0f64);
        let (mut guess_num, mut guess_den) = (0.0f64, 0.0f64);
        let (mut slip_num, mut slip_den) = (0.0f64, 0.0f64);
        let mut ll = 0.0;
        for obs in seqs {
            let t_len = obs.len();
            // Forward pass, scaled; alpha[t] = P(known_t | obs_..t).
            let mut alpha = vec![[0.0f64; 2]; t_len];
            let mut scale = vec![0.0f64; t_len];
            let emit = |known: usize, o: bool| -> f64 {
                match (known, o) {
                    (1, true) => 1.0 - p.slip,
                    (1, false) => p.slip,
                    (_, true) => p.guess,
                    (_, false) => 1.0 - p.guess,
                }
            };
            for t in 0..t_len {
                let prior = if t == 0 {
                    [1.0 - p.init, p.init]
                } else {
                    let a = alpha[t - 1];
                    [a[0] * (1.0 - p.learn), a[1] + a[0] * p.learn]
                };
                let a0 = prior[0] * emit(0, obs[t]);
                let a1 = prior[1] * emit(1, obs[t]);
                let c = (a0 + a1).max(1e-300);
                scale[t] = c;
                alpha[t] = [a0 / c, a1 / c];
                ll += c.ln();
            }
            // Backward pass.
            let mut beta = vec![[1.0f64; 2]; t_len];
            for t in (0..t_len.saturating_sub(1)).rev() {
                let e0 = emit(0, obs[t + 1]) * beta[t + 1][0];
                let e1 = emit(1, obs[t + 1]) * beta[t + 1][1];
                beta[t] = [((1.0 - p.learn) * e0 + p.learn * e1) / scale[t + 1], e1 / scale[t + 1]];
            }
            for t in 0..t_len {
                let g0 = alpha[t][0] * beta[t][0];
                let g1 = alpha[t][1] * beta[t][1];
                let z = (g0 + g1).max(1e-300);
                let (g0, g1) = (g0 / z, g1 / z);
                if t == 0 {
                    init_num += g1;
                    init_den += 1.0;
                }
                if obs[t] {
                    guess_num += g0;
                } else {
                    slip_num += g1;
                }
                guess_den += g0;
                slip_den += g1;
                if t + 1 < t_len {
                    // xi(unknown -> known) at t -> t+1.
                    let xi =
                        alpha[t][0] * p.learn * emit(1, obs[t + 1]) * beta[t + 1][1] / scale[t + 1];
                    learn_num += xi;
                    learn_den += g0;
                }
            }
        }
        let clamp = |x: f64, lo: f64, hi: f64| if x.is_finite() { x.clamp(lo, hi) } else { lo };
        p = BktParams {
            init: clamp(init_num / init_den.max(1e-12), 1e-3, 0.999),
            learn: clamp(learn_num / learn_den.max(1e-12), 1e-4, 0.999),
            guess: clamp(guess_num / guess_den.max(1e-12), 1e-3, MAX_GUESS_SLIP),
            slip: clamp(slip_num / slip_den.max(1e-12), 1e-3, MAX_GUESS_SLIP),
        };
        if (ll - prev_ll).abs() < 1e-4 * seqs.len() as f64 {
            break;
        }
        prev_ll = ll;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{encode_all, Interaction, LearnerSequence, Vocabs};
    use rand::{Rng, SeedableRng};

    /// Simulates BKT learners with known parameters and checks EM recovers them roughly.
    #[test]
    fn em_recovers_generating_parameters() {
        let truth = BktParams { init: 0.3, learn: 0.15, guess: 0.2, slip: 0.1 };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let seqs: Vec<LearnerSequence> = (0..600)
            .map(|i| {
                let mut known = rng.random::<f64>() < truth.init;
                let events = (0..12)
                    .map(|_| {
                        let ok = if known {
                            rng.random::<f64>() > truth.slip
                        } else {
                            rng.random::<f64>() < truth.guess
                        };
                        if !known && rng.random::<f64>() < truth.learn {
                            known = true;
                        }
                        Interaction::new("q", &["s"], ok)
                    })
                    .collect();
                LearnerSequence { learner_id: i.to_string(), events }
            })
            .collect();
        let v = Vocabs::build(&seqs);
        let enc = encode_all(&v, &seqs);
        let bkt = Bkt::fit(&enc, v.skills.rows(), 100);
        let p = bkt.params[1];
        assert!((p.init - truth.init).abs() < 0.08, "{p:?}");
        assert!((p.learn - truth.learn).abs() < 0.06, "{p:?}");
        assert!((p.guess - truth.guess).abs() < 0.06, "{p:?}");
        assert!((p.slip - truth.slip).abs() < 0.06, "{p:?}");
        // Predictions rise after correct answers.
        let pred = bkt.predict(&enc[0]);
        assert_eq!(pred.len(), 12);
        assert!(pred.iter().all(|x| (0.0..=1.0).contains(x)));
    }
}
