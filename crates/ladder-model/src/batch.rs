//! Windows over learner sequences and the tensors of a batch of windows.

use candle_core::{Device, Tensor};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::data::{EncodedSeq, MAX_FEATURES, MAX_SKILLS, N_FEATURES};
use crate::error::Result;
use crate::model::{position_tensors, BatchTensors, RESP_CORRECT, RESP_MASK, RESP_WRONG};

/// A slice `[start, end)` of sequence `seq`; positions from `predict_from` on are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub seq: usize,
    pub start: usize,
    pub end: usize,
    pub predict_from: usize,
}

impl Window {
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Training windows: consecutive non-overlapping chunks of at most `max_len` answers.
pub fn train_windows(seqs: &[EncodedSeq], max_len: usize) -> Vec<Window> {
    let mut out = Vec::new();
    for (i, s) in seqs.iter().enumerate() {
        let n = s.events.len();
        let mut start = 0;
        while start < n {
            let end = (start + max_len).min(n);
            out.push(Window { seq: i, start, end, predict_from: start });
            start = end;
        }
    }
    out
}

/// Overlapping training windows, drawn again each epoch: a learner's first window ends at a
/// random point between `step` and `max_len` answers, and each next window moves `step` answers
/// on and ends there, reaching back `max_len` answers. Every position is scored exactly once, as
/// in [`predict_windows`], and each one past the first window is scored with at least
/// `max_len - step` earlier answers in its window (all of them, early in a learner's
/// sequence), as when the model predicts; the random
/// first cut gives each answer a different context length from one epoch to the next. `step`
/// is clamped to `1..=max_len`.
pub fn overlapping_windows(
    seqs: &[EncodedSeq],
    max_len: usize,
    step: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Window> {
    let max_len = max_len.max(1);
    let step = step.clamp(1, max_len);
    let mut out = Vec::new();
    for (i, s) in seqs.iter().enumerate() {
        let n = s.events.len();
        if n == 0 {
            continue;
        }
        let mut end = rng.random_range(step..=max_len).min(n);
        let mut covered = 0;
        loop {
            out.push(Window {
                seq: i,
                start: end.saturating_sub(max_len),
                end,
                predict_from: covered,
            });
            covered = end;
            if end == n {
                break;
            }
            end = (end + step).min(n);
        }
    }
    out
}

/// Prediction windows: every position is scored exactly once, and each position past the first
/// window sees at least `max_len / 2` earlier answers (windows overlap by half).
pub fn predict_windows(seqs: &[EncodedSeq], max_len: usize) -> Vec<Window> {
    let half = (max_len / 2).max(1);
    let mut out = Vec::new();
    for (i, s) in seqs.iter().enumerate() {
        let n = s.events.len();
        if n == 0 {
            continue;
        }
        let mut start = 0;
        let mut covered = 0;
        loop {
            let end = (start + max_len).min(n);
            out.push(Window { seq: i, start, end, predict_from: covered });
            covered = end;
            if end == n {
                break;
            }
            start = end - half;
        }
    }
    out
}

/// [`predict_windows`] for scoring only the answers from `from[i]` on of sequence `i` (all of
/// them when `from` is shorter): the windows that score none of those are left out. The
/// windows kept are the very ones [`predict_windows`] gives, so every answer scored gets the
/// same context, and the same prediction, as when the whole sequence is scored.
pub fn predict_windows_from(seqs: &[EncodedSeq], max_len: usize, from: &[usize]) -> Vec<Window> {
    let mut w = predict_windows(seqs, max_len);
    w.retain(|w| w.end > from.get(w.seq).copied().unwrap_or(0));
    w
}

/// Training windows of a job that learns what is new to a model: each sequence cut into
/// consecutive non-overlapping windows of at most `max_len` answers backward from its end (so
/// its newest answers close a whole window), of which those holding an answer at or after
/// `new_from[i]` are "new" and the others "old". Returned: every new window, and old ones drawn
/// afresh with `rng` (each at most once): as many as the new ones, at least `min_replay`, at
/// most all of them, so that the model rehearses what it learnt while it learns the new
/// answers. Every answer of a window is scored. With `new_from` all 0 (or empty) every window
/// is new: the whole of every sequence.
pub fn new_and_replayed_windows(
    seqs: &[EncodedSeq],
    max_len: usize,
    new_from: &[usize],
    min_replay: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Window> {
    let max_len = max_len.max(1);
    let mut new = Vec::new();
    let mut old = Vec::new();
    for (i, s) in seqs.iter().enumerate() {
        let fresh = new_from.get(i).copied().unwrap_or(0);
        let mut end = s.events.len();
        while end > 0 {
            let start = end.saturating_sub(max_len);
            let w = Window { seq: i, start, end, predict_from: start };
            if end > fresh {
                new.push(w);
            } else {
                old.push(w);
            }
            end = start;
        }
    }
    let replay = new.len().max(min_replay).min(old.len());
    new.extend(old.choose_multiple(rng, replay).copied());
    new
}

/// Groups windows into batches of similar length (less padding); batch order shuffled when an
/// rng is given.
pub fn make_batches(
    windows: &[Window],
    batch_size: usize,
    rng: Option<&mut ChaCha8Rng>,
) -> Vec<Vec<Window>> {
    let mut w = windows.to_vec();
    w.sort_by_key(|x| (x.len(), x.seq, x.start));
    let mut batches: Vec<Vec<Window>> = w.chunks(batch_size.max(1)).map(|c| c.to_vec()).collect();
    if let Some(rng) = rng {
        batches.shuffle(rng);
    }
    batches
}

/// Targets and loss mask of a batch, `[B,T]` each, as host vectors.
pub struct HostTargets {
    pub target: Vec<f32>,
    pub mask: Vec<f32>,
}

/// Builds the tensors of one batch. In training (`rng` given), past responses are replaced by
/// MASK with probability `resp_mask_p` and past items by "unknown" with `item_mask_p`. The
/// feature tensor has the [`N_FEATURES`] count features (the shipped config's); see
/// [`build_batch_with`] for other feature counts.
pub fn build_batch(
    seqs: &[EncodedSeq],
    batch: &[Window],
    device: &Device,
    rng: Option<&mut ChaCha8Rng>,
    resp_mask_p: f32,
    item_mask_p: f32,
) -> Result<(BatchTensors, HostTargets)> {
    build_batch_with(seqs, batch, device, rng, resp_mask_p, item_mask_p, N_FEATURES)
}

/// [`build_batch`] with the first `n_features` features of each position
/// (`ModelConfig::n_features`).
pub fn build_batch_with(
    seqs: &[EncodedSeq],
    batch: &[Window],
    device: &Device,
    mut rng: Option<&mut ChaCha8Rng>,
    resp_mask_p: f32,
    item_mask_p: f32,
    n_features: usize,
) -> Result<(BatchTensors, HostTargets)> {
    let nf = n_features.min(MAX_FEATURES);
    let b = batch.len();
    let t = batch.iter().map(|w| w.len()).max().unwrap_or(1).max(1);
    let bt = b * t;
    let mut q_item = vec![0u32; bt];
    let mut q_skills = vec![0u32; bt * MAX_SKILLS];
    let mut q_smask = vec![0f32; bt * MAX_SKILLS];
    let mut q_known = vec![0f32; bt];
    let mut x_item = vec![0u32; bt];
    let mut x_known = vec![0f32; bt];
    let mut resp = vec![RESP_MASK; bt];
    let mut hint = vec![0u32; bt];
    let mut latency = vec![0u32; bt];
    let mut gap = vec![0u32; bt];
    let mut feat = vec![0f32; bt * nf];
    let mut target = vec![0f32; bt];
    let mut mask = vec![0f32; bt];
    let mut skill_sets = vec![Vec::new(); bt];
    for (bi, w) in batch.iter().enumerate() {
        let s = &seqs[w.seq];
        for (j, pos) in (w.start..w.end).enumerate() {
            let e = &s.events[pos];
            let k = bi * t + j;
            q_item[k] = e.item;
            let known = if e.item != 0 { 1.0 } else { 0.0 };
            q_known[k] = known;
            skill_sets[k] = e.skills().to_vec();
            for (m, &sk) in e.skills().iter().enumerate() {
                q_skills[k * MAX_SKILLS + m] = sk;
                q_smask[k * MAX_SKILLS + m] = 1.0;
            }
            let (mut xi, mut xk) = (e.item, known);
            let mut r = if e.correct { RESP_CORRECT } else { RESP_WRONG };
            if let Some(rng) = rng.as_deref_mut() {
                if resp_mask_p > 0.0 && rng.random::<f32>() < resp_mask_p {
                    r = RESP_MASK;
                }
                if item_mask_p > 0.0 && rng.random::<f32>() < item_mask_p {
                    xi = 0;
                    xk = 0.0;
                }
            }
            x_item[k] = xi;
            x_known[k] = xk;
            resp[k] = r;
            hint[k] = e.hint as u32;
            latency[k] = e.latency as u32;
            gap[k] = e.gap as u32;
            feat[k * nf..(k + 1) * nf].copy_from_slice(&s.features[pos][..nf]);
            target[k] = if e.correct { 1.0 } else { 0.0 };
            if pos >= w.predict_from {
                mask[k] = 1.0;
            }
        }
    }
    let positions: Vec<usize> = (0..t).collect();
    let (dist, pmask) = position_tensors(&positions, t, device)?;
    let tensors = BatchTensors {
        b,
        t,
        q_item: Tensor::from_vec(q_item, bt, device)?,
        q_skills: Tensor::from_vec(q_skills, bt * MAX_SKILLS, device)?,
        q_smask: Tensor::from_vec(q_smask, (b, t, MAX_SKILLS, 1), device)?,
        q_known: Tensor::from_vec(q_known, (b, t, 1), device)?,
        x_item: Tensor::from_vec(x_item, bt, device)?,
        x_known: Tensor::from_vec(x_known, (b, t, 1), device)?,
        resp: Tensor::from_vec(resp, bt, device)?,
        hint: Tensor::from_vec(hint, bt, device)?,
        latency: Tensor::from_vec(latency, bt, device)?,
        gap: Tensor::from_vec(gap, bt, device)?,
        feat: Tensor::from_vec(feat, (b, t, nf), device)?,
        prior: Tensor::zeros((b, t), candle_core::DType::F32, device)?,
        dist,
        mask: pmask,
        skill_sets,
    };
    Ok((tensors, HostTargets { target, mask }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Event;
    use rand::SeedableRng;

    fn seq(n: usize) -> EncodedSeq {
        let e = Event {
            item: 1,
            skills: [1, 0, 0, 0],
            n_skills: 1,
            correct: true,
            hint: 0,
            latency: 0,
            gap: 0,
            expect: 0.0,
        };
        EncodedSeq {
            learner_id: "x".into(),
            events: vec![e; n],
            features: vec![[0.0; MAX_FEATURES]; n],
        }
    }

    #[test]
    fn prediction_windows_score_every_position_once_with_context() {
        let seqs = vec![seq(1), seq(10), seq(23), seq(0)];
        let ws = predict_windows(&seqs, 8);
        for (i, s) in seqs.iter().enumerate() {
            let mut scored = vec![0; s.events.len()];
            for w in ws.iter().filter(|w| w.seq == i) {
                assert!(w.len() <= 8);
                for (p, c) in scored.iter_mut().enumerate().take(w.end).skip(w.predict_from) {
                    *c += 1;
                    // at least half a window of context unless at the start
                    assert!(p - w.start >= 4 || w.start == 0);
                }
            }
            assert!(scored.iter().all(|&c| c == 1), "{i}: {scored:?}");
        }
        let tw = train_windows(&seqs, 8);
        assert_eq!(tw.iter().map(|w| w.len()).sum::<usize>(), 34);
    }

    #[test]
    fn windows_for_the_answers_from_a_point_are_those_of_the_whole_sequence_that_reach_them() {
        let seqs = vec![seq(1), seq(10), seq(23), seq(0), seq(250)];
        let from = [0, 9, 23, 0, 180];
        let all = predict_windows(&seqs, 8);
        let tail = predict_windows_from(&seqs, 8, &from);
        for w in &tail {
            assert!(all.contains(w), "{w:?} is a window of the whole sequence");
        }
        for (i, s) in seqs.iter().enumerate() {
            let mut scored = vec![0; s.events.len()];
            for w in tail.iter().filter(|w| w.seq == i) {
                for c in &mut scored[w.predict_from..w.end] {
                    *c += 1;
                }
            }
            assert!(scored[from[i]..].iter().all(|&c| c == 1), "{i}: {scored:?}");
        }
        // seq 2's answers are all before its `from`: none of its windows is run
        assert!(tail.iter().all(|w| w.seq != 2));
        // the long sequence: the last 70 answers and a window's context, not 250
        let long: usize = tail.iter().filter(|w| w.seq == 4).map(|w| w.len()).sum();
        assert!(long <= 2 * (70 + 8), "{long}");
        // no `from`: every window
        assert_eq!(predict_windows_from(&seqs, 8, &[]), all);
    }

    #[test]
    fn a_job_on_new_answers_trains_every_new_answer_and_a_bounded_replay_of_old_ones() {
        let seqs = vec![seq(1000), seq(30), seq(999), seq(5), seq(0)];
        // seq 0: 7 new answers; seq 1: all new (a learner the model never saw); seq 2 and 3:
        // nothing new; seq 4: empty.
        let new_from = [993, 0, 999, 5, 0];
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut replayed = std::collections::BTreeSet::new();
        for _ in 0..5 {
            let ws = new_and_replayed_windows(&seqs, 100, &new_from, 4, &mut rng);
            for w in &ws {
                assert!(w.start < w.end && w.end <= seqs[w.seq].events.len() && w.len() <= 100);
                assert_eq!(w.predict_from, w.start, "every answer of a window is scored");
            }
            assert_eq!(ws.len(), len_set(&ws), "no window twice");
            for (i, s) in seqs.iter().enumerate() {
                for p in new_from[i]..s.events.len() {
                    assert!(
                        ws.iter().any(|w| w.seq == i && (w.start..w.end).contains(&p)),
                        "new answer {p} of sequence {i} is trained on"
                    );
                }
            }
            // the newest answers close a whole window
            assert!(ws.contains(&Window { seq: 0, start: 900, end: 1000, predict_from: 900 }));
            let new: Vec<&Window> = ws.iter().filter(|w| w.end > new_from[w.seq]).collect();
            assert_eq!(new.len(), 2, "one window of seq 0 and one of seq 1: {new:?}");
            // as many old windows as new ones, but at least 4
            let old: Vec<&Window> = ws.iter().filter(|w| w.end <= new_from[w.seq]).collect();
            assert_eq!(old.len(), 4);
            replayed.extend(old.iter().map(|w| (w.seq, w.start)));
        }
        assert!(replayed.len() > 4, "old windows are drawn afresh: {replayed:?}");
        // all new: every window of every sequence, cut backward from its end
        let ws = new_and_replayed_windows(&seqs, 100, &[], 4, &mut rng);
        assert_eq!(ws.iter().map(|w| w.len()).sum::<usize>(), 2034);
        assert!(ws.contains(&Window { seq: 2, start: 0, end: 99, predict_from: 0 }));
        // nothing new and a replay larger than the old windows: all of them, once
        let ws = new_and_replayed_windows(&seqs[1..2], 100, &[30], 50, &mut rng);
        assert_eq!(ws, vec![Window { seq: 0, start: 0, end: 30, predict_from: 0 }]);
    }

    fn len_set(ws: &[Window]) -> usize {
        ws.iter().map(|w| (w.seq, w.start, w.end)).collect::<std::collections::BTreeSet<_>>().len()
    }

    #[test]
    fn overlapping_windows_score_every_position_once_and_move_between_epochs() {
        let seqs = vec![seq(1), seq(10), seq(23), seq(0), seq(50)];
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut cuts = std::collections::BTreeSet::new();
        for _ in 0..20 {
            let ws = overlapping_windows(&seqs, 8, 2, &mut rng);
            for (i, s) in seqs.iter().enumerate() {
                let mut scored = vec![0; s.events.len()];
                let mine: Vec<&Window> = ws.iter().filter(|w| w.seq == i).collect();
                for (k, w) in mine.iter().enumerate() {
                    assert!(k == 0 || w.predict_from == mine[k - 1].end, "windows follow on");
                    assert!(w.len() <= 8 && w.predict_from >= w.start && w.predict_from < w.end);
                    for (p, c) in scored.iter_mut().enumerate().take(w.end).skip(w.predict_from) {
                        *c += 1;
                        // past the first window, max_len - step answers of context (or all
                        // the answers before, early in the sequence)
                        assert!(k == 0 || p - w.start >= p.min(6), "{w:?} at {p}");
                    }
                }
                assert!(scored.iter().all(|&c| c == 1), "{i}: {scored:?}");
                if i == 2 {
                    cuts.insert(mine[0].end);
                }
            }
        }
        assert!(cuts.len() > 3, "the first cut varies between epochs: {cuts:?}");
        assert!(cuts.iter().all(|&c| (2..=8).contains(&c)), "{cuts:?}");
        // a step of a whole window gives non-overlapping windows after a random first cut
        let ws = overlapping_windows(&seqs[2..3], 8, 8, &mut rng);
        assert!(ws.windows(2).all(|p| p[1].start == p[0].end || p[1].end - p[1].start == 8));
    }
}
