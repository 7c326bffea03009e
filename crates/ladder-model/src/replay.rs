//! Many points of learners' histories scored in batched passes: what predicting every answer of
//! an old history from the answers before it needs (a tutor's report of answers that were
//! graded before the engine recorded its predictions).
//!
//! Asking [`KtModel::score`] once per answer encodes the history again each time (counts over
//! every earlier answer, the window in a forward pass of its own): quadratic in the history's
//! length and one small pass per answer. Here the history is read once with a
//! [`RunningHistory`] moved on answer by answer ([`KtModel::advance`]); each question asked
//! ([`Queries::ask`]) keeps the window and the count features of that point, and the questions
//! are scored together, up to [`BATCH`] windows per forward pass. Each answer is predicted with
//! exactly the window and counts that `encode_history` and `score` would give it, so the figures
//! are theirs up to float rounding (a test compares them).
//!
//! ```
//! use ladder_model::infer::{Candidate, RunningHistory};
//! use ladder_model::model::ModelConfig;
//! use ladder_model::synth::{generate, SynthSpec};
//! use ladder_model::train::{train, TrainInput, TrainSettings};
//!
//! let learners = generate(&SynthSpec { learners: 20, max_len: 30, ..Default::default() });
//! let model = train(TrainInput {
//!     sequences: learners.clone(),
//!     config: ModelConfig { d_model: 16, max_len: 16, ..Default::default() },
//!     settings: TrainSettings { epochs: 1, ..Default::default() },
//!     ..Default::default()
//! })?
//! .model;
//! // Every answer of one learner, predicted from the answers before it, in one read.
//! let answers = &learners[0].events;
//! let asked = |k: usize| Candidate {
//!     item_id: answers[k].item_id.clone(),
//!     skill_ids: answers[k].skill_ids.clone(),
//!     difficulty_prior: 0.0,
//! };
//! let mut running = RunningHistory::default();
//! let mut queries = model.queries();
//! for k in 0..answers.len() {
//!     queries.ask(&running, &asked(k));
//!     model.advance(&mut running, &answers[k..=k]);
//! }
//! let p = queries.scores()?;
//! // What encoding the answers before the last one and scoring it gives.
//! let k = answers.len() - 1;
//! let one = model.score_candidates(&answers[..k], &[asked(k)])?;
//! assert!((p[k] - one[0]).abs() < 1e-5);
//! # Ok::<(), ladder_model::Error>(())
//! ```

use crate::data::Event;
use crate::error::Result;
use crate::infer::{Candidate, CandidateRow, KtModel, RunningHistory};

/// Windows per forward pass. The CPU time of a class report is the same from 8 to 64 (4.6 s of
/// user time at the end of a term); 64 took 250 MB at its peak, 16 about 140 MB.
pub const BATCH: usize = 16;

/// Questions held before they are scored (in passes of [`BATCH`], windows of one length
/// together where they can be).
const PENDING: usize = 4 * BATCH;

/// Candidates asked about at points of histories, scored in batched passes; see the module docs.
pub struct Queries<'m> {
    model: &'m KtModel,
    pending: Vec<Pending>,
    out: Vec<f32>,
    /// The first error of a pass run by [`Queries::ask`], returned by [`Queries::scores`].
    failed: Option<crate::Error>,
}

/// One question: its place in the answers, the window it is asked against, the candidate.
struct Pending {
    slot: usize,
    window: Vec<Event>,
    row: CandidateRow,
}

impl KtModel {
    /// An empty set of questions to ask this model.
    pub fn queries(&self) -> Queries<'_> {
        Queries { model: self, pending: Vec::new(), out: Vec::new(), failed: None }
    }
}

impl Queries<'_> {
    /// Asks the probability of a correct first answer to `candidate` after the answers
    /// `history` has read; returns the place of the answer in [`Queries::scores`].
    pub fn ask(&mut self, history: &RunningHistory, candidate: &Candidate) -> usize {
        let slot = self.out.len();
        self.out.push(f32::NAN);
        self.pending.push(Pending {
            slot,
            window: history.window.iter().copied().collect(),
            row: self.model.candidate_row(&history.counts, candidate),
        });
        if self.pending.len() >= PENDING && self.failed.is_none() {
            if let Err(e) = self.flush() {
                self.failed = Some(e);
            }
        }
        slot
    }

    /// The probabilities of every question asked, in the order asked.
    pub fn scores(mut self) -> Result<Vec<f32>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.flush()?;
        Ok(self.out)
    }

    /// Scores the pending questions. Questions whose windows begin a longer pending one (the
    /// first answers of a history, before it fills the window) share that one's encoding: the
    /// encoder is causal, so the keys up to a position are those of the window cut there, and
    /// each question is asked at its own position in one pass. The others go longest windows
    /// first, [`BATCH`] at a time.
    fn flush(&mut self) -> Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_by_key(|p| std::cmp::Reverse(p.window.len()));
        let mut families: Vec<Vec<usize>> = Vec::new();
        for (i, p) in pending.iter().enumerate() {
            let head = families.iter_mut().find(|f| pending[f[0]].window.starts_with(&p.window));
            match head {
                Some(f) => f.push(i),
                None => families.push(vec![i]),
            }
        }
        let mut alone: Vec<&Pending> = Vec::new();
        for f in &families {
            if f.len() == 1 {
                alone.push(&pending[f[0]]);
                continue;
            }
            let members: Vec<&Pending> = f.iter().map(|&i| &pending[i]).collect();
            let p = self.shared_pass(&members)?;
            for (q, p) in members.iter().zip(p) {
                self.out[q.slot] = p;
            }
        }
        for batch in alone.chunks(BATCH) {
            let p = self.pass(batch)?;
            for (q, p) in batch.iter().zip(p) {
                self.out[q.slot] = p;
            }
        }
        Ok(())
    }

    /// One pass over the first (longest) window of `family`, every question asked at the
    /// position after its own window.
    fn shared_pass(&self, family: &[&Pending]) -> Result<Vec<f32>> {
        let head = family.first().map(|p| p.window.as_slice()).unwrap_or_default();
        let (kv, skills) = self.model.encode_windows(&[head])?;
        let skills: Vec<&[Vec<u32>]> = skills.iter().map(|s| s.as_slice()).collect();
        let rows: Vec<CandidateRow> = family.iter().map(|p| p.row.clone()).collect();
        let positions: Vec<usize> = family.iter().map(|p| p.window.len()).collect();
        self.model.score_rows(&kv, &skills, &rows, &positions)
    }

    /// One forward pass over a batch of windows. When they are all of one length the queries
    /// sit at the one position after them; otherwise every row asks at every position (the
    /// causal mask keeps each from the keys after it) and the one after the row's window is
    /// read.
    fn pass(&self, batch: &[&Pending]) -> Result<Vec<f32>> {
        let windows: Vec<&[Event]> = batch.iter().map(|p| p.window.as_slice()).collect();
        let (kv, skills) = self.model.encode_windows(&windows)?;
        let skills: Vec<&[Vec<u32>]> = skills.iter().map(|s| s.as_slice()).collect();
        let lens: Vec<usize> = windows.iter().map(|w| w.len()).collect();
        if lens.iter().all(|&n| n + 1 == kv.k_len) {
            let rows: Vec<CandidateRow> = batch.iter().map(|p| p.row.clone()).collect();
            return self.model.score_rows(&kv, &skills, &rows, &[kv.k_len - 1]);
        }
        let t = kv.k_len;
        let rows: Vec<CandidateRow> =
            batch.iter().flat_map(|p| std::iter::repeat_n(p.row.clone(), t)).collect();
        let positions: Vec<usize> = (0..t).collect();
        let all = self.model.score_rows(&kv, &skills, &rows, &positions)?;
        Ok(lens.iter().enumerate().map(|(b, &n)| all[b * t + n]).collect())
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{Device, Tensor};

    use crate::data::{Interaction, LearnerSequence};
    use crate::infer::{Candidate, KtModel, RunningHistory};
    use crate::model::ModelConfig;
    use crate::synth::{generate, SynthSpec};
    use crate::train::vocabs_for;

    /// An untrained model with every structural option on or off (the arithmetic is what is
    /// compared, not what it learnt), and a window of 8 answers so that histories outgrow it.
    fn model(seqs: &[LearnerSequence], all_options: bool) -> KtModel {
        let cfg = ModelConfig {
            d_model: 16,
            n_heads: 2,
            d_ff: 32,
            max_len: 8,
            question_keys: all_options,
            rich_features: all_options,
            ability_features: all_options,
            skill_attention: all_options,
            item_discrimination: all_options,
            ..ModelConfig::default()
        };
        let v = vocabs_for(&cfg, seqs);
        let cfg = ModelConfig { n_items: v.items.rows(), n_skills: v.skills.rows(), ..cfg };
        let model = KtModel::new(cfg, v, &Device::Cpu, 5).expect("model");
        if all_options {
            // Discriminations start at 0 (a scale of 1): give them values that show.
            let mut snap = model.params.snapshot().expect("snapshot");
            let n = model.config.n_items;
            let a: Vec<f32> = (0..n).map(|i| 0.5 * (i as f32 * 1.3).sin()).collect();
            snap.insert("emb.item_disc".into(), Tensor::from_vec(a, (n, 1), &Device::Cpu).unwrap());
            model.params.restore(&snap).expect("restore");
        }
        model
    }

    fn learners() -> Vec<LearnerSequence> {
        generate(&SynthSpec {
            learners: 3,
            min_len: 40,
            max_len: 40,
            items: 15,
            skills: 4,
            seed: 7,
        })
    }

    fn asked(e: &Interaction) -> Candidate {
        Candidate {
            item_id: e.item_id.clone(),
            skill_ids: e.skill_ids.clone(),
            difficulty_prior: 0.4,
        }
    }

    /// Every answer of three learners predicted in one read, against encoding the answers
    /// before each and scoring it alone (what a report asked once per answer): the same numbers,
    /// for windows shorter than the model's, full ones that slide, batches that mix both, and
    /// every structural option of the model.
    #[test]
    fn predictions_in_one_read_are_those_of_one_encoding_per_answer() {
        let seqs = learners();
        for all_options in [false, true] {
            let model = model(&seqs, all_options);
            let mut queries = model.queries();
            // Each question: the answers before it, the candidate, its place in the scores.
            let mut questions: Vec<(Vec<Interaction>, Candidate, usize)> = Vec::new();
            for s in &seqs {
                let mut running = RunningHistory::default();
                for (k, e) in s.events.iter().enumerate() {
                    let slot = queries.ask(&running, &asked(e));
                    questions.push((s.events[..k].to_vec(), asked(e), slot));
                    model.advance(&mut running, std::slice::from_ref(e));
                }
                assert_eq!(running.len(), s.events.len());
            }
            // Histories of their own, each asked about once, of several lengths short of the
            // window (a pass over windows of different lengths): a learner's first answers,
            // each right one wrong and each wrong one right.
            for (i, s) in seqs.iter().enumerate() {
                let flipped: Vec<Interaction> = s.events[..i + 2]
                    .iter()
                    .map(|e| Interaction { correct: !e.correct, ..e.clone() })
                    .collect();
                let mut running = RunningHistory::default();
                model.advance(&mut running, &flipped);
                let cand = asked(&s.events[i + 2]);
                let slot = queries.ask(&running, &cand);
                questions.push((flipped, cand, slot));
            }
            let got = queries.scores().expect("scores");
            assert_eq!(got.len(), 123);
            for (k, (history, cand, slot)) in questions.iter().enumerate() {
                let one = model.score_candidates(history, std::slice::from_ref(cand));
                let one = one.expect("score")[0];
                assert!(
                    (got[*slot] - one).abs() < 1e-5,
                    "options {all_options}, question {k}: {} vs {one}",
                    got[*slot],
                );
            }
        }
    }

    /// A history moved on a few answers at a time and encoded is the history encoded from
    /// scratch: the same scores and mastery, to the bit.
    #[test]
    fn a_history_moved_on_is_the_history_encoded_from_scratch() {
        let seqs = learners();
        for all_options in [false, true] {
            let model = model(&seqs, all_options);
            let events = &seqs[1].events;
            let cands: Vec<Candidate> = events[..6].iter().map(asked).collect();
            let skills: Vec<String> = (0..4).map(|s| format!("skill{s}")).collect();
            let mut running = RunningHistory::default();
            let mut read = 0;
            for step in [0, 1, 3, 2, 7, 1, 26] {
                model.advance(&mut running, &events[read..read + step]);
                read += step;
                let moved = model.encode(&running).expect("encode");
                let fresh = model.encode_history(&events[..read]).expect("encode");
                assert_eq!(moved.window_len(), fresh.window_len());
                assert_eq!(
                    model.score_and_mastery(&moved, &cands, &skills).expect("score"),
                    model.score_and_mastery(&fresh, &cands, &skills).expect("score"),
                    "options {all_options}, after {read} answers"
                );
            }
            assert_eq!(read, 40);
        }
    }
}
