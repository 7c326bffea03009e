//! The trained transformer of `ladder-model` as a [`Predictor`].
//!
//! The learner's history is encoded once per call (attention keys and values of the recent
//! answers, counts over all of them); the candidates and every skill are then scored in one
//! batched pass against it. Items the model has never seen fall back to their skills and the
//! pack's difficulty prior (the model's own rule). Mastery and its uncertainty are the model's
//! (`KtModel::mastery`); the lower bound and the recall are derived from them here.
//!
//! **Recall.** The model reads the time between answers, not the time from the last answer to
//! now: a skill last practised two months ago scored the same as one practised a minute ago,
//! so recall never faded and the policy never brought a skill back for fading (only after
//! `review_after_items` questions), and the reports' falling recall never showed. Recall is
//! mastery with the built-in model's forgetting since the skill's last practice taken off
//! (`OnlineLogistic::forgetting`: logits lost grow with the log of the time away over the
//! memory's stability, which spaced right answers build), as the built-in predictor does.
//!
//! **Credit.** A right answer after the worked solution earns no mastery credit and one after
//! hints `Settings::hinted_credit` (`Settings::credit`): the model reads none of the first, and
//! of the second a share equal to their credit, spread evenly (at 0.5, every other one), the
//! credit still owed mixing in the latest unread one. Hinted answers so weigh less without
//! capping what they can prove (mixing the estimates with and without all of them, as before,
//! held a learner who always took a hint below the mastery line for good). A skill's `attempts`
//! count every first answer, read or not.
//!
//! **A longer history by one answer.** Each answer's history is the last one's and the new
//! answer: the model's reading of a cached history (a `RunningHistory`: its counts over every
//! answer and its attention window) is kept with it, and a history that extends it is read on
//! from there, the new answers converted to the model's [`Interaction`]s and read, not the
//! learner's whole year again; the encoding is exactly the one from scratch (tests compare
//! them). The built-in model's trace for recall (and the first answers per skill it counts) is
//! kept the same way: the last whole history's, moved on by the new answers. The engine bench's
//! answer path with 20,000 past events went from p50 5.3–6.3 ms to 1.6–1.7 ms.
//!
//! **Old answers in one read.** [`Predictor::predict_answers`] (a report's replay of answers
//! graded before predictions were recorded) reads the history once and asks the model about
//! every answer at its point, scored in batched passes (`ladder_model::replay`): the numbers
//! `assess` gives on the answers before each, up to float rounding.
//!
//! **Ids.** The model knows items and skills as `pack/item` and `pack/skill` ([`model_item_id`],
//! [`model_skill_id`]), so two packs that both have an item `q1` do not share its difficulty.
//!
//! **A pack the model does not know.** When fewer than half of a course's skills are in the
//! model's vocabulary (a pack installed after the model was trained), the model has nothing to
//! say about it beyond one "unknown" embedding, so the predictor answers for that course with the
//! built-in [`OnlineLogistic`] (skills and the pack's difficulty priors) instead.

use std::sync::{Arc, Mutex};

use ladder_model::data::Interaction;
use ladder_model::infer::{Candidate, HistoryState, KtModel, RunningHistory};

use super::elo::{OnlineLogistic, TracedState};
use super::{Assessment, Attempt, Predictor, SkillEstimate};
use crate::course::{Course, ItemIx, SkillIx};
use crate::error::{Error, Result};
use crate::settings::Settings;

/// A trained model as the engine's predictor.
pub struct TransformerPredictor {
    pub model: KtModel,
    pub settings: Settings,
    /// Answers for courses the model does not know.
    pub fallback: OnlineLogistic,
    /// The last histories encoded (at most [`CACHED_HISTORIES`], newest last): the engine asks
    /// several times per step about the same history (mastery before and after, then the
    /// candidates), encoding is a forward pass, and a history with hinted answers is read two
    /// ways (see `assess`).
    cache: Mutex<Vec<CachedHistory>>,
    /// How many answers were turned into the model's interactions and read into its state so
    /// far (what a test counts).
    converted: std::sync::atomic::AtomicUsize,
    /// The built-in model's trace of the last whole history assessed (when each skill was last
    /// practised and how durable its memory is, for recall), for the next answer's history to
    /// move on from: tracing every answer again cost a quarter of an answer's time at 20,000
    /// past events.
    memory: Mutex<Option<TracedHistory>>,
    /// How many answers were traced for recall so far (what a test counts).
    traced: std::sync::atomic::AtomicUsize,
}

/// A whole history and the built-in model's trace of it.
struct TracedHistory {
    pack: String,
    history: Vec<Attempt>,
    state: TracedState,
}

/// How many encoded histories the predictor keeps.
const CACHED_HISTORIES: usize = 2;

/// What identifies a history: the course and every attempt in it.
struct CachedHistory {
    pack: String,
    history: Vec<Attempt>,
    state: Arc<HistoryState>,
    /// `history` as the model read it (its counts and attention window), for a history that
    /// extends it to move on from.
    running: RunningHistory,
}

impl TransformerPredictor {
    pub fn new(model: KtModel, settings: Settings) -> Self {
        let fallback = OnlineLogistic::new(settings.clone());
        TransformerPredictor {
            model,
            settings,
            fallback,
            cache: Mutex::new(Vec::new()),
            converted: std::sync::atomic::AtomicUsize::new(0),
            memory: Mutex::new(None),
            traced: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// How many answers this predictor has turned into the model's interactions and read.
    pub fn answers_converted(&self) -> usize {
        self.converted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many answers this predictor has traced with the built-in model for recall.
    pub fn answers_traced(&self) -> usize {
        self.traced.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The built-in model's trace of `history`, moved on from the last one traced when
    /// `history` extends it (the same steps as tracing it from the start).
    fn memory(&self, course: &Course, history: &[Attempt]) -> TracedState {
        let pack = course.pack.as_str();
        let cached = self.memory.lock().ok().and_then(|m| {
            m.as_ref()
                .filter(|t| t.pack == pack && history.starts_with(&t.history))
                .map(|t| (t.history.len(), t.state.clone()))
        });
        let (done, mut state) = cached.unwrap_or_else(|| (0, self.fallback.start(course)));
        if done == history.len() {
            return state;
        }
        for a in &history[done..] {
            self.fallback.step(course, &mut state, a);
        }
        self.traced.fetch_add(history.len() - done, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut m) = self.memory.lock() {
            *m = Some(TracedHistory {
                pack: pack.to_owned(),
                history: history.to_vec(),
                state: state.clone(),
            });
        }
        state
    }

    /// `history` as the model reads it: moved on from the longest cached history it extends by
    /// the answers after it (only those are converted to the model's interactions and read).
    fn running_for(&self, course: &Course, history: &[Attempt]) -> RunningHistory {
        let pack = course.pack.as_str();
        let start = self.cache.lock().ok().and_then(|cache| {
            cache
                .iter()
                .filter(|c| c.pack == pack && history.starts_with(&c.history))
                .max_by_key(|c| c.history.len())
                .map(|c| (c.history.len(), c.running.clone()))
        });
        let (done, mut running) = start.unwrap_or_default();
        let rest = &history[done..];
        self.converted.fetch_add(rest.len(), std::sync::atomic::Ordering::Relaxed);
        self.model.advance(&mut running, &interactions(course, rest));
        running
    }

    /// The encoded history, from the cache when it is the same course and the same attempts.
    fn encoded(&self, course: &Course, history: &[Attempt]) -> Result<Arc<HistoryState>> {
        let pack = course.pack.as_str();
        if let Ok(mut cache) = self.cache.lock() {
            if let Some(at) = cache.iter().position(|c| c.pack == pack && c.history == history) {
                // The latest used stays (the history the next answer's extends).
                let c = cache.remove(at);
                let state = c.state.clone();
                cache.push(c);
                return Ok(state);
            }
        }
        let running = self.running_for(course, history);
        let state = Arc::new(self.model.encode(&running).map_err(Error::model)?);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHED_HISTORIES {
                cache.remove(0);
            }
            cache.push(CachedHistory {
                pack: pack.to_owned(),
                history: history.to_vec(),
                state: state.clone(),
                running,
            });
        }
        Ok(state)
    }

    /// The model's assessment after reading `read` (the answers that earn credit); times of
    /// practice come from the whole `history`.
    fn assess_read(
        &self,
        course: &Course,
        read: &[Attempt],
        history: &[Attempt],
        candidates: &[ItemIx],
        now: i64,
    ) -> Result<Assessment> {
        let state = self.encoded(course, read)?;
        let cands: Vec<Candidate> = candidates.iter().map(|&i| candidate(course, i)).collect();
        let skill_ids: Vec<String> =
            (0..course.skills.len()).map(|s| model_skill_id(course, s)).collect();
        // Candidates and skills in one batched pass.
        let (items, mastery) =
            self.model.score_and_mastery(&state, &cands, &skill_ids).map_err(Error::model)?;
        // When each skill was last practised and how durable its memory is, from every answer.
        let memory = self.memory(course, history);
        // First answers per skill: the trace counts them as `skill_attempts` does.
        let attempts = &memory.attempts;
        let z = self.settings.mastery_z;
        let recent = super::skill_recent(course, history);
        let skills = mastery
            .iter()
            .enumerate()
            .map(|(s, m)| SkillEstimate {
                mastery: m.p,
                uncertainty: m.sd,
                lower: (m.p - z * m.sd).clamp(0.0, 1.0),
                recall: super::sigmoid(
                    super::logit(m.p) - self.fallback.forgetting(&memory, s, now),
                ),
                // Every first answer on the skill, read or not: the learner answered them all
                // (the model's own evidence, which sets the uncertainty, counts only those read).
                attempts: attempts[s],
                evidence: memory.evidence[s],
                recent: recent[s],
                last_practised: memory.last[s],
            })
            .collect();
        Ok(Assessment { items, skills })
    }

    /// Whether the model knows enough of `course` (at least half of its skills) to score it.
    pub fn knows(&self, course: &Course) -> bool {
        let known = (0..course.skills.len())
            .filter(|&s| self.model.vocabs.skills.get(&model_skill_id(course, s)) != 0)
            .count();
        !course.skills.is_empty() && known * 2 >= course.skills.len()
    }
}

/// The model's id of an item: `pack/item`.
pub fn model_item_id(course: &Course, item: ItemIx) -> String {
    format!("{}/{}", course.pack, course.items[item].id)
}

/// The model's id of a skill: `pack/skill`.
pub fn model_skill_id(course: &Course, skill: SkillIx) -> String {
    format!("{}/{}", course.pack, course.skills[skill].id)
}

/// One answer in the model's form.
pub fn interaction(course: &Course, a: &Attempt) -> Option<Interaction> {
    let item = course.items.get(a.item)?;
    Some(Interaction {
        item_id: model_item_id(course, a.item),
        skill_ids: item.skills.iter().map(|&s| model_skill_id(course, s)).collect(),
        correct: a.correct,
        hints: Some(u32::from(a.hints)),
        // 0 ms is no human answer: it is what a client that did not measure sends (`latency_ms`
        // left out of `submit_answer`), so the model reads it as unknown, not as very fast.
        latency_ms: (a.latency_ms > 0).then(|| f64::from(a.latency_ms)),
        timestamp: Some(a.at as f64),
    })
}

/// The model's form of a learner's history on a course.
pub fn interactions(course: &Course, history: &[Attempt]) -> Vec<Interaction> {
    history.iter().filter_map(|a| interaction(course, a)).collect()
}

/// A candidate for the model.
pub fn candidate(course: &Course, item: ItemIx) -> Candidate {
    let it = &course.items[item];
    Candidate {
        item_id: model_item_id(course, item),
        skill_ids: it.skills.iter().map(|&s| model_skill_id(course, s)).collect(),
        difficulty_prior: it.difficulty,
    }
}

impl Predictor for TransformerPredictor {
    fn tells_items_apart(&self, course: &Course) -> bool {
        self.knows(course)
    }

    fn name_for(&self, course: &Course) -> &str {
        if self.knows(course) {
            self.name()
        } else {
            self.fallback.name()
        }
    }

    fn name(&self) -> &str {
        "transformer"
    }

    fn predict_answers(
        &self,
        course: &Course,
        history: &[Attempt],
        at: &[usize],
    ) -> Result<Vec<f32>> {
        if !self.knows(course) {
            return self.fallback.predict_answers(course, history, at);
        }
        self.predict_in_one_read(course, history, at)
    }

    fn assess(
        &self,
        course: &Course,
        history: &[Attempt],
        candidates: &[ItemIx],
        now: i64,
    ) -> Result<Assessment> {
        if !self.knows(course) {
            return self.fallback.assess(course, history, candidates, now);
        }
        // Mastery credit (`Settings::credit`): a right answer after the worked solution earns
        // none, one after hints `hinted_credit`. The model reads answers, not credit, so it
        // reads a share of the answers that earn less: none of those that earn nothing, and of
        // those with partial credit `c` one in `1/c`, spread evenly (credit owed accumulates
        // answer by answer and an answer is read when a whole answer's worth is owed); what is
        // still owed at the end mixes in the latest unread one in that proportion. So ten
        // hinted right answers at `c = 0.5` weigh as five plain ones: slower, never a ceiling.
        let credit = |a: &Attempt| self.settings.credit(a.correct, a.hints, a.solution_seen);
        if history.iter().all(|a| credit(a) >= 1.0) {
            return self.assess_read(course, history, history, candidates, now);
        }
        let mut read: Vec<Attempt> = Vec::with_capacity(history.len());
        // The latest partial-credit answer left unread, with its place among those read.
        let mut unread: Option<(usize, Attempt)> = None;
        let mut owed = 0.0f32;
        for a in history {
            let c = credit(a).clamp(0.0, 1.0);
            if c >= 1.0 {
                read.push(*a);
            } else if c > 0.0 {
                owed += c;
                if owed >= 1.0 - 1e-6 {
                    owed = (owed - 1.0).max(0.0);
                    read.push(*a);
                } else {
                    unread = Some((read.len(), *a));
                }
            }
        }
        let base = self.assess_read(course, &read, history, candidates, now)?;
        let Some((at, a)) = unread.filter(|_| owed > 1e-6) else { return Ok(base) };
        let mut more = read;
        more.insert(at, a);
        let with = self.assess_read(course, &more, history, candidates, now)?;
        let mix = |x: f32, y: f32| (1.0 - owed) * x + owed * y;
        Ok(Assessment {
            items: base.items.iter().zip(&with.items).map(|(&x, &y)| mix(x, y)).collect(),
            skills: base
                .skills
                .iter()
                .zip(&with.skills)
                .map(|(x, y)| SkillEstimate {
                    mastery: mix(x.mastery, y.mastery),
                    uncertainty: mix(x.uncertainty, y.uncertainty),
                    lower: mix(x.lower, y.lower),
                    recall: mix(x.recall, y.recall),
                    ..*y
                })
                .collect(),
        })
    }
}

/// One answer asked about in one read of a history: where its prediction goes, its question,
/// and the question with the unread partial-credit answer put back, with the share of it to mix
/// in (as `assess` mixes them).
struct Asked {
    out: usize,
    base: usize,
    with: Option<(usize, f32)>,
}

impl TransformerPredictor {
    /// [`Predictor::predict_answers`] in one read of the history: the answers that earn
    /// credit are read as `assess` reads them (the same rule, answer by answer: a
    /// [`RunningHistory`] moved on by each, and a second one with the latest partial-credit
    /// answer left unread put back in its place while any of its credit is owed), each answer
    /// asked about at its point, and every question scored in batched passes
    /// (`ladder_model::replay`).
    fn predict_in_one_read(
        &self,
        course: &Course,
        history: &[Attempt],
        at: &[usize],
    ) -> Result<Vec<f32>> {
        let mut wanted: Vec<(usize, usize)> = at.iter().enumerate().map(|(i, &k)| (k, i)).collect();
        wanted.sort_unstable();
        if let Some(&(k, _)) = wanted.last() {
            super::answer_at(history, k)?;
        }
        let credit = |a: &Attempt| self.settings.credit(a.correct, a.hints, a.solution_seen);
        let mut read = RunningHistory::default();
        let mut more: Option<RunningHistory> = None;
        let mut owed = 0.0f32;
        let mut queries = self.model.queries();
        let mut asked: Vec<Asked> = Vec::with_capacity(at.len());
        let mut next = wanted.iter().peekable();
        for (k, a) in history.iter().enumerate() {
            while let Some(&(_, out)) = next.next_if(|&&(w, _)| w == k) {
                let item = course.items.get(a.item).map(|_| candidate(course, a.item));
                let item = item.ok_or_else(|| {
                    Error::internal(format!("answer {k} is to item {} of {}", a.item, course.pack))
                })?;
                let base = queries.ask(&read, &item);
                let with = match &more {
                    Some(m) if owed > 1e-6 => Some((queries.ask(m, &item), owed)),
                    _ => None,
                };
                asked.push(Asked { out, base, with });
            }
            if next.peek().is_none() {
                break;
            }
            let Some(x) = interaction(course, a) else { continue };
            let x = std::slice::from_ref(&x);
            let c = credit(a).clamp(0.0, 1.0);
            let mut take = c >= 1.0;
            if c > 0.0 && c < 1.0 {
                owed += c;
                if owed >= 1.0 - 1e-6 {
                    owed = (owed - 1.0).max(0.0);
                    take = true;
                } else {
                    let mut m = read.clone();
                    self.model.advance(&mut m, x);
                    more = Some(m);
                }
            }
            if take {
                self.model.advance(&mut read, x);
                if let Some(m) = more.as_mut() {
                    self.model.advance(m, x);
                }
            }
        }
        let p = queries.scores().map_err(Error::model)?;
        let mut out = vec![0.0f32; at.len()];
        for Asked { out: i, base, with } in asked {
            out[i] = match with {
                Some((m, w)) => (1.0 - w) * p[base] + w * p[m],
                None => p[base],
            };
        }
        Ok(out)
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::{Engine, EngineOptions};

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The Fractions sample pack as the engine loads it (from a store in a folder that is gone
    /// once it is loaded).
    pub fn fractions() -> Arc<crate::packs::LoadedCourse> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        engine.install_pack(&root().join("assets/packs/fractions"), false).expect("install");
        engine.course("fractions").expect("course")
    }

    /// A learner's answers on `course`: wrong ones, hinted right ones (partial credit), right
    /// ones after the worked solution (none), spread over days.
    pub fn mixed_history(course: &Course, n: usize) -> Vec<Attempt> {
        (0..n)
            .map(|k| {
                let h = (k * 2_654_435_761) % 1_000;
                Attempt {
                    item: (k * 7 + k / 13) % course.items.len(),
                    correct: h % 3 != 0,
                    hints: u8::from(h % 7 == 0),
                    solution_seen: h % 17 == 0,
                    latency_ms: if h % 11 == 0 { 0 } else { 3_000 + 10 * h as u32 },
                    at: 1_700_000_000 + 45 * k as i64 + (k / 20) as i64 * 86_400,
                }
            })
            .collect()
    }

    /// The bundled model as the engine's predictor, with the default settings.
    pub fn bundled() -> TransformerPredictor {
        let device = ladder_model::device::select("cpu").expect("cpu");
        let model = ladder_model::checkpoint::load(&root().join("models/default"), &device)
            .expect("the bundled model");
        TransformerPredictor::new(model, Settings::default())
    }
}

#[cfg(test)]
mod latency_tests {
    use super::*;
    use crate::{Engine, EngineOptions};

    /// A skill practised to mastery and then left: its mastery stays what the answers showed,
    /// its recall fades with the time away (a week costs less than two months), and a skill
    /// never practised has nothing to forget. Before, the trained model's recall was its
    /// mastery whatever the time, so the policy never brought a skill back for fading.
    #[test]
    fn recall_fades_with_the_time_since_the_skill_was_practised() {
        let loaded = test_support::fractions();
        let course = &loaded.course;
        let p = test_support::bundled();
        let skill = course.items[0].skills[0];
        let items: Vec<ItemIx> =
            (0..course.items.len()).filter(|&i| course.items[i].skills == [skill]).collect();
        let t0 = 1_700_000_000;
        let history: Vec<Attempt> = items
            .iter()
            .cycle()
            .take(8)
            .enumerate()
            .map(|(k, &item)| Attempt {
                item,
                correct: true,
                hints: 0,
                solution_seen: false,
                latency_ms: 9_000,
                at: t0 + 30 * k as i64,
            })
            .collect();
        let end = history.last().expect("answers").at;
        let at = |later: i64| p.assess(course, &history, &[], end + later).expect("assess");
        let (now, week, months) = (at(60), at(7 * 86_400), at(60 * 86_400));
        let s = skill;
        assert_eq!(now.skills[s].mastery, months.skills[s].mastery, "mastery is the answers'");
        assert!(now.skills[s].recall > 0.75, "just practised: {:?}", now.skills[s]);
        assert!(
            week.skills[s].recall < now.skills[s].recall - 0.01
                && months.skills[s].recall < week.skills[s].recall - 0.05,
            "{} → {} → {}",
            now.skills[s].recall,
            week.skills[s].recall,
            months.skills[s].recall
        );
        let untouched = (0..course.skills.len())
            .find(|&o| !history.iter().any(|a| course.items[a.item].skills.contains(&o)))
            .expect("a skill not practised");
        assert_eq!(months.skills[untouched].recall, months.skills[untouched].mastery);
    }

    #[test]
    fn an_unmeasured_latency_is_unknown_to_the_model() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        let pack =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
        engine.install_pack(&pack, false).expect("install");
        let loaded = engine.course("fractions").expect("course");
        let at = |latency_ms| Attempt {
            item: 0,
            correct: true,
            hints: 0,
            solution_seen: false,
            latency_ms,
            at: 1_000,
        };
        let course = &loaded.course;
        assert_eq!(interaction(course, &at(0)).expect("item 0").latency_ms, None);
        assert_eq!(interaction(course, &at(1_500)).expect("item 0").latency_ms, Some(1_500.0));
        assert_eq!(ladder_model::data::latency_bucket(None), 0, "bucket 0: unknown");
    }
}

#[cfg(test)]
mod history_tests {
    use super::*;

    /// Every answer re-read the learner's whole history on the course (the counts over every
    /// answer: 18.7 ms per answer at 20,000 past events). The encoded history now moves on
    /// from the one the last answer left: after each answer of a long history with hinted
    /// answers (read in part, so two histories are encoded per step) and answers after the
    /// worked solution, at most the new answer is read for each, and the assessment is exactly
    /// the one from a predictor that encodes the history from scratch.
    #[test]
    fn each_answer_reads_only_the_new_answer_and_assesses_as_from_scratch() {
        let loaded = test_support::fractions();
        let course = &loaded.course;
        let history = test_support::mixed_history(course, 230);
        let candidates: Vec<ItemIx> = (0..course.items.len()).step_by(5).collect();
        let p = test_support::bundled();
        let now = |k: usize| history[k - 1].at + 30;
        p.assess(course, &history[..150], &candidates, now(150)).expect("assess");
        let mut read = p.answers_converted();
        for k in 151..=230 {
            let got = p.assess(course, &history[..k], &candidates, now(k)).expect("assess");
            let new = p.answers_converted() - read;
            assert!(new <= 2, "answer {k}: {new} answers read for one new one");
            read = p.answers_converted();
            assert_eq!(p.answers_traced(), k, "answer {k}: only the new answer traced for recall");
            let counted: Vec<u32> = got.skills.iter().map(|s| s.attempts).collect();
            assert_eq!(counted, crate::predictor::skill_attempts(course, &history[..k]));
            if k % 20 == 0 || k == 151 {
                let fresh =
                    test_support::bundled().assess(course, &history[..k], &candidates, now(k));
                assert_eq!(got, fresh.expect("assess"), "after {k} answers");
            }
        }
    }

    /// After a year a learner has thousands of answers on a course, and every answer converted
    /// all of them to the model's interactions again (strings for every item and skill) before
    /// encoding. A history one answer longer than one already encoded converts one answer, and
    /// the assessment is exactly the one encoded from scratch: the same steps.
    #[test]
    fn a_history_one_answer_longer_converts_one_answer_and_assesses_the_same() {
        let loaded = test_support::fractions();
        let course = &loaded.course;
        let load = test_support::bundled;
        let history: Vec<Attempt> = (0..300)
            .map(|k| Attempt {
                item: (k * 7) % course.items.len(),
                correct: k % 3 != 0,
                hints: 0,
                solution_seen: false,
                latency_ms: 4_000 + 10 * k as u32,
                at: 1_000 + 60 * k as i64,
            })
            .collect();
        let candidates: Vec<ItemIx> = (0..course.items.len()).collect();
        let p = load();
        p.assess(course, &history[..200], &candidates, 20_000).expect("assess");
        assert_eq!(p.answers_converted(), 200);
        for len in [201, 202, 210, 300] {
            let got = p.assess(course, &history[..len], &candidates, 20_000).expect("assess");
            assert_eq!(p.answers_converted(), len, "history of {len}: more than the new answers");
            let fresh = load().assess(course, &history[..len], &candidates, 20_000);
            assert_eq!(got, fresh.expect("assess"), "history of {len}: not as from scratch");
        }
        assert_eq!(p.answers_converted(), 300, "only the new answers each time");
        // The same history again is the cached encoding; another one is converted whole.
        p.assess(course, &history[..300], &candidates, 20_000).expect("assess");
        assert_eq!(p.answers_converted(), 300);
        let other = p.assess(course, &history[1..101], &candidates, 20_000).expect("assess");
        assert_eq!(p.answers_converted(), 400);
        let fresh = load().assess(course, &history[1..101], &candidates, 20_000);
        assert_eq!(other, fresh.expect("assess"));
    }
}

#[cfg(test)]
mod replay_tests {
    use super::*;

    /// A report replays the answers graded before predictions were recorded: it asked `assess`
    /// once per answer with the answers before it, re-encoding the history each time
    /// (quadratic). `predict_answers` reads it once; each answer's prediction is what that call
    /// gave, for a history longer than the model's window, with hinted answers read in part
    /// and answers after the worked solution not at all, and answers asked in any order.
    #[test]
    fn every_answer_predicted_in_one_read_is_what_assess_gave_it() {
        let loaded = test_support::fractions();
        let course = &loaded.course;
        let p = test_support::bundled();
        assert!(p.knows(course));
        let history = test_support::mixed_history(course, 160);
        assert!(history.iter().any(|a| a.correct && a.hints > 0 && !a.solution_seen));
        assert!(history.iter().any(|a| a.correct && a.solution_seen));
        let mut at: Vec<usize> = (0..history.len()).rev().collect();
        at.push(40);
        let got = p.predict_answers(course, &history, &at).expect("one read");
        assert_eq!(got.len(), at.len());
        for (&k, &g) in at.iter().zip(&got) {
            let one = p.assess(course, &history[..k], &[history[k].item], history[k].at);
            let one = one.expect("assess").items[0];
            assert!((g - one).abs() < 1e-5, "answer {k}: {g} in one read, {one} by assess");
        }
        assert!(got.iter().any(|&g| (g - got[0]).abs() > 0.05), "predictions that differ");
        assert!(p.predict_answers(course, &history, &[160]).is_err(), "no answer 160");
        assert_eq!(p.predict_answers(course, &history, &[]).expect("none"), Vec::<f32>::new());
    }
}
