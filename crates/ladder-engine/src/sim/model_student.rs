//! The `model` family: a trained Ladder transformer plays the student.
//!
//! The student's hidden state is its own answer history; the model gives the probability of each
//! answer from it, shifted by a per-student ability offset (N(0, 0.8) on the logit scale) so the
//! population is not one learner. A skill is mastered when the model, with that offset, predicts
//! at least [`TRUE_MASTERY`] on an unseen item of the skill.
//!
//! With no checkpoint given, [`factory`] trains a small model on the spot on simulated histories
//! of the pack (logistic-family students working through it in a loosely followed pack order),
//! so the family is driven by a model trained on data, not by a formula.

use std::path::Path;
use std::sync::Arc;

use ladder_model::data::LearnerSequence;
use ladder_model::infer::{HistoryState, KtModel};
use ladder_model::model::ModelConfig;
use ladder_model::train::{train, TrainInput, TrainSettings};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::run::StudentFactory;
use super::students::{normal, student_rng, LogisticStudent, Student, TRUE_MASTERY};
use crate::course::{Course, ItemIx, SkillIx};
use crate::error::{Error, Result};
use crate::packs::build_course;
use crate::predictor::transformer::{candidate, interactions, model_skill_id};
use crate::predictor::{logit, sigmoid, Attempt};

/// A student driven by a model.
pub struct ModelStudent {
    model: Arc<KtModel>,
    offset: f32,
    history: Vec<Attempt>,
    state: HistoryState,
    /// Mastery per skill for the current history (with the offset).
    mastery: Vec<f32>,
}

impl ModelStudent {
    pub fn new(model: Arc<KtModel>, course: &Course, rng: &mut ChaCha8Rng) -> Result<Self> {
        let offset = 0.8 * normal(rng);
        let state = model.encode_history(&[]).map_err(Error::model)?;
        let mut s = ModelStudent { model, offset, history: Vec::new(), state, mastery: Vec::new() };
        s.mastery = s.skill_mastery(course)?;
        Ok(s)
    }

    fn skill_mastery(&self, course: &Course) -> Result<Vec<f32>> {
        let ids: Vec<String> =
            (0..course.skills.len()).map(|s| model_skill_id(course, s)).collect();
        let m = self.model.mastery(&self.state, &ids).map_err(Error::model)?;
        Ok(m.iter().map(|m| sigmoid(logit(m.p) + self.offset)).collect())
    }
}

/// A simulated answer: no hint, no solution, 20 seconds.
fn plain_answer(item: ItemIx, correct: bool, at: i64) -> Attempt {
    Attempt { item, correct, hints: 0, solution_seen: false, latency_ms: 20_000, at }
}

impl Student for ModelStudent {
    fn p_correct(&self, course: &Course, item: ItemIx, _now: i64) -> f32 {
        let p = self
            .model
            .score(&self.state, &[candidate(course, item)])
            .ok()
            .and_then(|v| v.first().copied())
            .unwrap_or(0.5);
        sigmoid(logit(p) + self.offset)
    }

    fn practise(
        &mut self,
        course: &Course,
        item: ItemIx,
        correct: bool,
        now: i64,
        _rng: &mut ChaCha8Rng,
    ) {
        self.history.push(plain_answer(item, correct, now));
        if let Ok(state) = self.model.encode_history(&interactions(course, &self.history)) {
            self.state = state;
        }
        if let Ok(m) = self.skill_mastery(course) {
            self.mastery = m;
        }
    }

    fn mastered(&self, _course: &Course, skill: SkillIx, _now: i64) -> bool {
        self.mastery.get(skill).is_some_and(|&m| m >= TRUE_MASTERY)
    }

    /// A look-ahead through the model: the item answered right and answered wrong, weighted by
    /// the chance of each; per skill not yet mastered, the expected rise of its mastery (logit
    /// scale) over the rise still missing to the mastery line, at most 1. Two forward passes per
    /// item.
    fn practice_value(&self, course: &Course, item: ItemIx, now: i64) -> f32 {
        let open: Vec<SkillIx> = course.items[item]
            .skills
            .iter()
            .copied()
            .filter(|&s| !self.mastered(course, s, now))
            .collect();
        if open.is_empty() {
            return 0.0;
        }
        let p = self.p_correct(course, item, now);
        let after = |correct: bool| -> Option<Vec<f32>> {
            let mut history = self.history.clone();
            history.push(plain_answer(item, correct, now));
            let state = self.model.encode_history(&interactions(course, &history)).ok()?;
            let ids: Vec<String> = open.iter().map(|&s| model_skill_id(course, s)).collect();
            let m = self.model.mastery(&state, &ids).ok()?;
            Some(m.iter().map(|m| logit(m.p) + self.offset).collect())
        };
        let (Some(right), Some(wrong)) = (after(true), after(false)) else { return 0.0 };
        open.iter()
            .enumerate()
            .map(|(k, &s)| {
                let now_z = logit(self.mastery[s]);
                let rise = p * right[k] + (1.0 - p) * wrong[k] - now_z;
                let missing = (logit(TRUE_MASTERY) - now_z).max(1e-3);
                (rise.max(0.0) / missing).min(1.0)
            })
            .sum()
    }
}

/// Simulated first answers of logistic-family students, `answers` items each, mostly in pack
/// order with random detours (70% the next item of the pack's lessons, 30% any item), 30 s
/// between answers and a day between sittings of 25. Student `k` draws from
/// `student_rng(seed ^ 0x7a11, k)`, so the same seed gives the same students.
pub fn simulated_attempts(
    course: &Course,
    students: usize,
    answers: usize,
    seed: u64,
) -> Vec<Vec<Attempt>> {
    simulated_population(course, students, answers, seed, 0.0)
}

/// [`simulated_attempts`] with a share `non_learners` of students who do not learn: each
/// answers right with a chance of their own (drawn between 0.25 and 0.9), whatever the item and
/// however long they practise, as a learner who guesses or clicks through does. The other
/// students are [`simulated_attempts`]'s, the same for a seed whatever the share; which students
/// are non-learners is drawn from `student_rng(seed ^ 0x6e6c, k)`. A model trained on learners
/// alone read a learner right three times in four at random as mastering everything (0.96).
pub fn simulated_population(
    course: &Course,
    students: usize,
    answers: usize,
    seed: u64,
    non_learners: f32,
) -> Vec<Vec<Attempt>> {
    let order: Vec<ItemIx> = course.lessons.iter().flat_map(|l| l.items.iter().copied()).collect();
    if order.is_empty() || course.items.is_empty() {
        return vec![Vec::new(); students];
    }
    (0..students)
        .map(|k| {
            let mut rng = student_rng(seed ^ 0x7a11, k);
            let mut kind = student_rng(seed ^ 0x6e6c, k);
            let guesser = (non_learners > 0.0 && kind.random::<f32>() < non_learners)
                .then(|| 0.25 + 0.65 * kind.random::<f32>());
            let mut st = LogisticStudent::sample(course, &mut rng);
            let mut pos = 0usize;
            let mut t = 1_767_225_600i64;
            let mut attempts = Vec::with_capacity(answers);
            for n in 0..answers {
                let item = if rng.random::<f32>() < 0.7 {
                    pos = (pos + 1) % order.len();
                    order[pos]
                } else {
                    rng.random_range(0..course.items.len())
                };
                let correct = match guesser {
                    Some(p) => kind.random::<f32>() < p,
                    None => {
                        let correct = rng.random::<f32>() < st.p_correct(course, item, t);
                        st.practise(course, item, correct, t, &mut rng);
                        correct
                    }
                };
                attempts.push(Attempt {
                    item,
                    correct,
                    hints: 0,
                    solution_seen: false,
                    latency_ms: 20_000,
                    at: t,
                });
                t += if (n + 1) % 25 == 0 { 86_400 } else { 30 };
            }
            attempts
        })
        .collect()
}

/// [`simulated_attempts`] in the model's form, one sequence per student (`<pack>-sim-<k>`).
pub fn training_histories(
    course: &Course,
    students: usize,
    answers: usize,
    seed: u64,
) -> Vec<LearnerSequence> {
    simulated_attempts(course, students, answers, seed)
        .into_iter()
        .enumerate()
        .map(|(k, attempts)| LearnerSequence {
            learner_id: format!("{}-sim-{k}", course.pack),
            events: interactions(course, &attempts),
        })
        .collect()
}

/// A small model trained on [`training_histories`] (400 histories of 150 answers, 12 epochs at
/// most: well under a minute on a CPU).
pub fn train_student_model(course: &Course, seed: u64, log: &dyn Fn(&str)) -> Result<KtModel> {
    train_student_model_sized(course, 400, 150, 12, seed, log)
}

/// [`train_student_model`] with the corpus size and epochs chosen.
pub fn train_student_model_sized(
    course: &Course,
    students: usize,
    answers: usize,
    epochs: usize,
    seed: u64,
    log: &dyn Fn(&str),
) -> Result<KtModel> {
    let sequences = training_histories(course, students, answers, seed);
    let config = ModelConfig {
        d_model: 32,
        n_heads: 2,
        n_encoder_layers: 1,
        n_retriever_layers: 1,
        d_ff: 64,
        max_len: 100,
        ..ModelConfig::default()
    };
    log(&format!("training the student model on {} simulated histories", sequences.len()));
    let settings = TrainSettings { epochs, seed, ..TrainSettings::default() };
    let out = train(TrainInput { sequences, config, settings, ..TrainInput::default() })
        .map_err(Error::model)?;
    if let Some(best) = out.epochs.iter().min_by(|a, b| a.val_loss.total_cmp(&b.val_loss)) {
        log(&format!(
            "student model: validation AUC {:.3}, loss {:.3}",
            best.val_auc, best.val_loss
        ));
    }
    Ok(out.model)
}

/// The course of the pack in `pack` (folder or `.ladderpack`), validated.
pub fn pack_course(pack: &Path) -> Result<Course> {
    let checked = ladder_pack::validate(pack)?;
    let Some(p) = checked.pack else {
        return Err(Error::pack(format!("the pack is not valid:\n{}", checked.report)));
    };
    build_course(
        p.info.id.as_str(),
        &p.info.version.to_string(),
        &p.info.title,
        &p.skills,
        &p.lessons,
        &p.items,
    )
}

/// The factory the simulator calls for each `model`-family student.
pub fn factory(
    pack: &Path,
    checkpoint: Option<&Path>,
    _scratch: &Path,
    seed: u64,
    log: &dyn Fn(&str),
) -> Result<StudentFactory> {
    let course = pack_course(pack)?;
    let model = match checkpoint {
        Some(dir) => {
            let device = ladder_model::device::select("cpu").map_err(Error::model)?;
            let model = ladder_model::checkpoint::load(dir, &device).map_err(Error::model)?;
            // A model that does not know the pack's skills (trained on a CSV, or on other
            // packs) answers every item alike: its students would measure nothing.
            let n = course.skills.len();
            let known = (0..n)
                .filter(|&s| model.vocabs.skills.get(&model_skill_id(&course, s)) != 0)
                .count();
            if 2 * known < n {
                return Err(Error::bad_request(format!(
                    "the model in {} knows {known} of the {n} skills of pack {} (it names them `{}`): it cannot play a student of this pack",
                    dir.display(),
                    course.pack,
                    model_skill_id(&course, 0)
                )));
            }
            model
        }
        None => train_student_model(&course, seed, log)?,
    };
    let model = Arc::new(model);
    Ok(Arc::new(move |course: &Course, rng: &mut ChaCha8Rng| {
        Ok(Box::new(ModelStudent::new(model.clone(), course, rng)?) as Box<dyn Student>)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::diamond;
    use crate::predictor::transformer::TransformerPredictor;
    use crate::predictor::Predictor;

    /// With a share of non-learners, the other students are the learners of the same seed, and
    /// a non-learner's accuracy does not grow with practice while the learners' does.
    #[test]
    fn non_learners_take_some_places_and_leave_the_learners_as_they_were() {
        let c = diamond(8);
        let learners = simulated_attempts(&c, 60, 80, 9);
        let mixed = simulated_population(&c, 60, 80, 9, 0.5);
        assert_eq!(simulated_population(&c, 60, 80, 9, 0.0), learners);
        let acc = |a: &[Attempt]| a.iter().filter(|x| x.correct).count() as f32 / a.len() as f32;
        let (mut same, mut gain_learners, mut gain_guessers) = (0, 0.0, 0.0);
        for (l, m) in learners.iter().zip(&mixed) {
            let gain = acc(&m[40..]) - acc(&m[..40]);
            if l == m {
                same += 1;
                gain_learners += gain;
            } else {
                gain_guessers += gain;
            }
        }
        let guessers = 60 - same;
        assert!((15..=45).contains(&guessers), "{guessers} of 60 do not learn");
        let (gl, gg) = (gain_learners / same as f32, gain_guessers / guessers as f32);
        assert!(gl > 0.05, "learners gain {gl}");
        assert!(gg.abs() < 0.05, "non-learners gain {gg}");
    }

    #[test]
    fn a_model_that_does_not_know_the_packs_skills_cannot_play_its_students() {
        let tmp = tempfile::tempdir().unwrap();
        let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
        // A model whose vocabulary is a CSV's (ids `7410`, skills `37`), as `train --from-csv`
        // makes.
        let seq = LearnerSequence {
            learner_id: "a".into(),
            events: vec![ladder_model::data::Interaction::new("7410", &["37"], true)],
        };
        let vocabs = ladder_model::data::Vocabs::build(std::slice::from_ref(&seq));
        let cfg = ModelConfig {
            n_items: vocabs.items.rows(),
            n_skills: vocabs.skills.rows(),
            ..ModelConfig::default()
        };
        let device = ladder_model::device::select("cpu").unwrap();
        let model = KtModel::new(cfg, vocabs, &device, 1).unwrap();
        ladder_model::checkpoint::save(&model, tmp.path(), serde_json::Value::Null).unwrap();
        let e = factory(&pack, Some(tmp.path()), tmp.path(), 1, &|_| {}).err().expect("refused");
        assert!(e.to_string().contains("knows 0 of the"), "{e}");
        assert!(e.to_string().contains("fractions/"), "{e}");
    }

    #[test]
    fn a_trained_model_plays_a_student_and_serves_as_a_predictor() {
        let c = diamond(5);
        let model = train_student_model_sized(&c, 40, 40, 2, 3, &|_| {}).unwrap();
        let model = Arc::new(model);
        let mut rng = student_rng(9, 0);
        let mut st = ModelStudent::new(model.clone(), &c, &mut rng).unwrap();
        for k in 0..6 {
            let p = st.p_correct(&c, k % 5, 0);
            assert!(p > 0.0 && p < 1.0, "{p}");
            st.practise(&c, k % 5, true, 60 * k as i64, &mut rng);
        }
        assert_eq!(st.history.len(), 6);
        assert_eq!(st.mastery.len(), c.skills.len());
        assert_eq!(st.mastered(&c, 0, 0), st.mastery[0] >= TRUE_MASTERY);

        let history = st.history.clone();
        drop(st);
        let model = Arc::try_unwrap(model).ok().unwrap();
        let pred = TransformerPredictor::new(model, crate::settings::Settings::default());
        let a = pred.assess(&c, &history, &[0, 7, 12], 400).unwrap();
        assert_eq!(a.items.len(), 3);
        assert_eq!(a.skills.len(), 4);
        assert_eq!(a.skills[0].attempts, 6);
        assert!(a.skills.iter().all(|s| s.lower <= s.mastery));
    }
}
