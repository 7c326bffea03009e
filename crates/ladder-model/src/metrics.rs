//! Binary prediction metrics: AUC, accuracy, log loss, RMSE, expected calibration error.

use serde::{Deserialize, Serialize};

/// Metrics of one set of predictions. A figure that is undefined (the AUC of answers that are
/// all correct, any figure of no answers) is NaN, which JSON writes as `null`; `null` reads back
/// as NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub n: usize,
    #[serde(deserialize_with = "nan_if_null")]
    pub auc: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub accuracy: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub log_loss: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub rmse: f64,
    /// Expected calibration error over 10 equal-width probability bins.
    #[serde(deserialize_with = "nan_if_null")]
    pub ece: f64,
}

fn nan_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// Area under the ROC curve (ties get the average rank). 0.5 when one class is absent.
pub fn auc(pred: &[f32], truth: &[bool]) -> f64 {
    let n = pred.len().min(truth.len());
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| pred[a].total_cmp(&pred[b]));
    let n_pos = truth[..n].iter().filter(|&&t| t).count() as f64;
    let n_neg = n as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return 0.5;
    }
    let mut rank_sum_pos = 0.0f64;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && pred[idx[j + 1]] == pred[idx[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if truth[k] {
                rank_sum_pos += avg_rank;
            }
        }
        i = j + 1;
    }
    (rank_sum_pos - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg)
}

/// All metrics of `pred` (probabilities of a correct answer) against `truth`.
pub fn compute(pred: &[f32], truth: &[bool]) -> Metrics {
    let n = pred.len().min(truth.len());
    if n == 0 {
        return Metrics {
            n: 0,
            auc: f64::NAN,
            accuracy: f64::NAN,
            log_loss: f64::NAN,
            rmse: f64::NAN,
            ece: f64::NAN,
        };
    }
    let mut correct = 0usize;
    let mut ll = 0.0f64;
    let mut se = 0.0f64;
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    for (&p, &t) in pred.iter().zip(truth) {
        let p = p as f64;
        let y = if t { 1.0 } else { 0.0 };
        if (p >= 0.5) == t {
            correct += 1;
        }
        let pc = p.clamp(1e-7, 1.0 - 1e-7);
        ll -= y * pc.ln() + (1.0 - y) * (1.0 - pc).ln();
        se += (p - y) * (p - y);
        let b = ((p * 10.0) as usize).min(9);
        bins[b].0 += p;
        bins[b].1 += y;
        bins[b].2 += 1;
    }
    let nf = n as f64;
    let ece = bins.iter().filter(|b| b.2 > 0).map(|b| (b.0 - b.1).abs() / nf).sum();
    Metrics {
        n,
        auc: auc(&pred[..n], &truth[..n]),
        accuracy: correct as f64 / nf,
        log_loss: ll / nf,
        rmse: (se / nf).sqrt(),
        ece,
    }
}

/// Mean and sample standard deviation.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    if xs.len() < 2 {
        // One value has no spread to estimate: undefined, not 0.
        return (m, f64::NAN);
    }
    let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64;
    (m, v.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_pair_counting() {
        let p = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9];
        let t = [false, false, true, true, true, false];
        // Count pairs (pos, neg) with p_pos > p_neg, ties half.
        let mut s = 0.0;
        let mut n = 0.0;
        for i in 0..6 {
            for j in 0..6 {
                if t[i] && !t[j] {
                    n += 1.0;
                    s += if p[i] > p[j] {
                        1.0
                    } else if p[i] == p[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        assert!((auc(&p, &t) - s / n).abs() < 1e-12);
        assert_eq!(auc(&[0.2, 0.9], &[false, true]), 1.0);
    }

    #[test]
    fn perfect_and_calibrated_predictions() {
        let m = compute(&[0.0, 1.0, 1.0], &[false, true, true]);
        assert_eq!(m.accuracy, 1.0);
        assert!(m.rmse < 1e-9 && m.ece < 1e-9 && m.log_loss < 1e-6);
        let m = compute(&[0.75; 4], &[true, true, true, false]);
        assert!(m.ece < 1e-9);
        assert!((m.log_loss - (-(0.75f64.ln() * 3.0 + 0.25f64.ln()) / 4.0)).abs() < 1e-9);
        let (one, none) = mean_sd(&[0.75]);
        assert_eq!(one, 0.75);
        assert!(none.is_nan(), "the sd of one fold is undefined, not {none}");
        let (mean, sd) = mean_sd(&[1.0, 2.0, 3.0]);
        assert!((mean - 2.0).abs() < 1e-12 && (sd - 1.0).abs() < 1e-12);
    }
}
