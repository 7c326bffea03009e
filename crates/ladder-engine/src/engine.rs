//! The engine: every session operation, over the learner store and the installed packs.
//!
//! Each operation that changes anything appends events in one store transaction (the answer is
//! durable before anything else happens), then folds the new events into the cached learner
//! state, asks the predictor (read only) and the policies, and returns a wire type of
//! [`crate::view`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use ladder_core::{grade, Answer, Item, LessonId};
use ladder_pack::render_markdown;
use ladder_store::{
    DeletionReport, Event, EventId, ItemRef, LearnerId, NewLearner, OpenOptions, PackContent,
    PackDiff, PackStamp, SessionId, Store, Timestamp,
};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::course::{Course, ItemIx, LessonIx, SkillIx};
use crate::error::{Error, ErrorKind, OrNotFound, Reason, ReasonValues, Result};
use crate::hints::{self, HintDecision};
use crate::language::Language;
use crate::packs::{load_course, pack_content, LoadedCourse};
use crate::policy::{self, PolicyKind, StepInput};
use crate::predictor::elo::OnlineLogistic;
use crate::predictor::{Predictor, Predictors, SkillEstimate};
use crate::settings::Settings;
use crate::state::{LearnerState, Presentation, SessionScope, SessionState};
use crate::view::*;

/// Where the engine's clock comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The wall clock.
    System,
    /// A clock the caller moves (simulations, tests): Unix milliseconds.
    Manual(i64),
}

/// How an engine runs.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub settings: Settings,
    /// The next-step policy of new sessions (a session may name its own).
    pub policy: PolicyKind,
    /// Written into `session_start` events (`app`, `cli`, `simulate`, ...).
    pub client: String,
    pub store: OpenOptions,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            policy: PolicyKind::Adaptive,
            client: "engine".into(),
            store: OpenOptions::default(),
        }
    }
}

/// The orchestrator. One per data directory and process.
pub struct Engine {
    store: Store,
    settings: Settings,
    policy: PolicyKind,
    client: String,
    predictors: Predictors,
    /// Where the predictors came from, when [`crate::training::use_active_model`] installed them.
    model_info: Option<crate::training::ModelInfo>,
    clock: Clock,
    /// Loaded courses, each with the stamp its pack had when loaded (see [`Engine::sync_packs`]).
    courses: HashMap<String, (Option<PackStamp>, Arc<LoadedCourse>)>,
    learners: HashMap<LearnerId, LearnerState>,
    owners: HashMap<SessionId, LearnerId>,
}

/// Whether a learner is told a skill is mastered: the policy counts it mastered and its
/// predicted success now (recall: mastery with the forgetting since it was last practised, which
/// the built-in model applies and a trained model already sees) has not faded below the review
/// line. The screens show recall as the skill's figure, so a skill left for months reads lower,
/// and a right answer on it then never reads as a fall (the built-in model folds the forgetting
/// into its estimate at that answer).
fn shown_mastered(settings: &Settings, mastered: bool, est: &SkillEstimate) -> bool {
    mastered && est.recall >= settings.review_threshold
}

/// The prerequisites, not yet far enough along, that keep a lesson locked: those of its skills
/// that the lesson does not teach itself. A lesson that teaches a skill and one built on it
/// (distance, then average speed) opens on what comes before it; within it, the skill built on
/// the other waits for it (the policy practises only unlocked skills first). Counting the
/// lesson's own skill kept it locked for good when no other lesson taught that skill.
fn lesson_missing(
    course: &Course,
    status: &[policy::SkillStatus],
    lesson: LessonIx,
) -> Vec<SkillIx> {
    let own = &course.lessons[lesson].skills;
    let mut missing = Vec::new();
    for &s in own {
        for &p in &status[s].missing {
            if !own.contains(&p) && !missing.contains(&p) {
                missing.push(p);
            }
        }
    }
    missing
}

/// Where a session's scope (its lesson and policy, a `state::SessionScope`) is kept in the
/// store's settings; the reports read it to name the question a session will show next.
/// `Store::delete_learner` erases these rows of the learner's sessions by this prefix
/// (ladder-store's `erase.rs`): keep them in step.
pub fn scope_key(id: SessionId) -> String {
    format!("engine.session.{}", id.0)
}

/// The seed of a session's next step (`StepInput::seed`, which only the random policy reads)
/// after `shown` showings on its course: the reports use it to name the question the learner
/// will get.
pub fn step_seed(session: SessionId, shown: usize) -> u64 {
    (session.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ shown as u64
}

impl Engine {
    /// Opens the store in `data_dir` (creating it) with the built-in predictor.
    pub fn open(data_dir: &Path, options: EngineOptions) -> Result<Engine> {
        let store = Store::open_with(data_dir, &options.store)?;
        Ok(Self::with_store(store, options))
    }

    pub fn with_store(store: Store, options: EngineOptions) -> Engine {
        Engine {
            store,
            predictors: Predictors::shared(Box::new(OnlineLogistic::new(options.settings.clone()))),
            model_info: None,
            settings: options.settings,
            policy: options.policy,
            client: options.client,
            clock: Clock::System,
            courses: HashMap::new(),
            learners: HashMap::new(),
            owners: HashMap::new(),
        }
    }

    /// Replaces the learner model of every learner (e.g. with a trained transformer); learners'
    /// own models are dropped.
    pub fn set_predictor(&mut self, predictor: Box<dyn Predictor>) {
        self.predictors = Predictors::shared(predictor);
        self.model_info = None;
    }

    /// Replaces the shared learner model and the learners' own models
    /// ([`crate::training::use_active_model`] installs them from the model registry).
    pub fn set_predictors(&mut self, predictors: Predictors) {
        self.predictors = predictors;
    }

    /// Where the running models came from (`None` when they were set directly, not by
    /// [`crate::training::use_active_model`]): the registry's active version need not be the one
    /// running (its checkpoint may have been skipped, or `ladder train` activated a newer one
    /// after this engine started).
    pub fn model_info(&self) -> Option<&crate::training::ModelInfo> {
        self.model_info.as_ref()
    }

    pub(crate) fn set_model_info(&mut self, info: crate::training::ModelInfo) {
        self.model_info = Some(info);
    }

    /// The shared learner model's name.
    pub fn predictor_name(&self) -> &str {
        self.predictors.shared.name()
    }

    /// The learner model that speaks for `learner`: their own when they have one.
    pub fn predictor_for(&self, learner: LearnerId) -> &dyn Predictor {
        self.predictors.for_learner(learner)
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Moves a manual clock forward (no effect on the system clock).
    pub fn advance_clock(&mut self, ms: i64) {
        if let Clock::Manual(t) = &mut self.clock {
            *t += ms.max(0);
        }
    }

    pub fn now_ms(&self) -> i64 {
        match self.clock {
            Clock::System => Timestamp::now().0,
            Clock::Manual(t) => t,
        }
    }

    /// The language of the reasons steps give: the device's UI language (the store setting
    /// `ui.language`, read at every step, so a change made in the app's settings or by another
    /// process applies from the next item on); English when unset or unknown.
    pub fn language(&self) -> Result<Language> {
        let tag = self.store.read(|tx| tx.setting::<String>(crate::admin::LANGUAGE_KEY))?;
        Ok(tag.as_deref().and_then(Language::from_tag).unwrap_or_default())
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn default_policy(&self) -> PolicyKind {
        self.policy
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    // ----- learners and courses -------------------------------------------------------------

    /// Active (not archived) learners, sorted by name ignoring case, then by id.
    pub fn list_learners(&self) -> Result<Vec<LearnerInfo>> {
        let all = self.store.read(|tx| tx.learners(false))?;
        let mut out: Vec<LearnerInfo> =
            all.into_iter().map(|l| LearnerInfo { id: l.id.0, name: l.name }).collect();
        out.sort_by_cached_key(|l| (l.name.to_lowercase(), l.id));
        Ok(out)
    }

    /// Archived learners (kept with their history, left out of the picker), sorted like
    /// [`Engine::list_learners`]: a tutor may still report on them.
    pub fn list_archived_learners(&self) -> Result<Vec<LearnerInfo>> {
        let all = self.store.read(|tx| tx.learners(true))?;
        let mut out: Vec<LearnerInfo> = all
            .into_iter()
            .filter(|l| l.archived.is_some())
            .map(|l| LearnerInfo { id: l.id.0, name: l.name })
            .collect();
        out.sort_by_cached_key(|l| (l.name.to_lowercase(), l.id));
        Ok(out)
    }

    /// Creates a learner. The store checks the name (not empty, not too long, no control
    /// characters: `bad_request`); two active learners may not share a name ignoring case
    /// (`conflict`), so a picker stays unambiguous.
    pub fn add_learner(&mut self, name: &str) -> Result<LearnerInfo> {
        // The store refuses a taken name too (as `invalid`); asking first keeps the engine's
        // `conflict` for it, apart from the `bad_request` of a malformed name.
        if let Some(taken) = self.store.read(|tx| tx.active_learner_named(name, None))? {
            return Err(name_taken(&taken.name));
        }
        let id = self
            .store
            .transact(|tx| tx.add_learner(&NewLearner::named(name)))
            .map_err(Error::store_refusal(ErrorKind::BadRequest))?;
        let l = self.store.read(|tx| tx.learner(id))?.or_not_found("learner", id)?;
        Ok(LearnerInfo { id: l.id.0, name: l.name })
    }

    /// Every learner, archived ones too, with how much they practised: what a tutor needs to
    /// rename, archive, bring back or delete them. Sorted like [`Engine::list_learners`].
    pub fn learner_roster(&self) -> Result<Vec<RosterEntry>> {
        let mut out = self.store.read(|tx| {
            let mut out = Vec::new();
            for l in tx.learners(true)? {
                let (answers, last_active) = tx.learner_activity(l.id)?;
                out.push(RosterEntry {
                    id: l.id.0,
                    name: l.name,
                    created_ms: l.created.0,
                    archived_ms: l.archived.map(|t| t.0),
                    answers,
                    last_active_ms: last_active.map(|t| t.0),
                });
            }
            Ok(out)
        })?;
        out.sort_by_cached_key(|l| (l.name.to_lowercase(), l.id));
        Ok(out)
    }

    /// Renames a learner. The name is checked as [`Engine::add_learner`] checks it: malformed
    /// is `bad_request`, taken by another active learner (ignoring case) is `conflict`.
    pub fn rename_learner(&mut self, learner: LearnerId, name: &str) -> Result<LearnerInfo> {
        let current =
            self.store.read(|tx| tx.learner(learner))?.or_not_found("learner", learner)?;
        if current.archived.is_none() {
            if let Some(taken) =
                self.store.read(|tx| tx.active_learner_named(name, Some(learner)))?
            {
                return Err(name_taken(&taken.name));
            }
        }
        self.store
            .transact(|tx| tx.rename_learner(learner, name))
            .map_err(Error::store_refusal(ErrorKind::BadRequest))?;
        let l = self.store.read(|tx| tx.learner(learner))?.or_not_found("learner", learner)?;
        Ok(LearnerInfo { id: l.id.0, name: l.name })
    }

    /// Archives a learner: left out of the picker, every answer kept; reports still cover
    /// them. Archiving an archived learner changes nothing.
    pub fn archive_learner(&mut self, learner: LearnerId) -> Result<()> {
        self.store.transact(|tx| tx.archive_learner(learner))?;
        Ok(())
    }

    /// Brings an archived learner back to the picker; `conflict` while an active learner has
    /// the same name (rename one of them first).
    pub fn unarchive_learner(&mut self, learner: LearnerId) -> Result<()> {
        let l = self.store.read(|tx| tx.learner(learner))?.or_not_found("learner", learner)?;
        if l.archived.is_some() {
            if let Some(taken) =
                self.store.read(|tx| tx.active_learner_named(&l.name, Some(learner)))?
            {
                return Err(Error::refusal(
                    Reason::LearnerNameTaken,
                    ReasonValues { name: Some(taken.name), ..Default::default() },
                    format!(
                        "an active learner is already named {}: rename one of them first",
                        l.name
                    ),
                ));
            }
        }
        self.store
            .transact(|tx| tx.unarchive_learner(learner))
            .map_err(Error::store_refusal(ErrorKind::BadRequest))?;
        Ok(())
    }

    /// Erases a learner for good (`Store::delete_learner`: the database leaves no readable
    /// trace, backups are cleaned, exports and the learner's own checkpoints deleted) and
    /// forgets what the engine cached about them and their sessions.
    pub fn delete_learner(&mut self, learner: LearnerId) -> Result<DeletionReport> {
        let report = self.store.delete_learner(learner)?;
        self.learners.remove(&learner);
        // Their own model's files went with them; its weights go from memory too.
        self.predictors.own.remove(&learner);
        self.owners.retain(|_, owner| *owner != learner);
        Ok(report)
    }

    /// Sets aside, through the engine's own store, the model versions that learnt from a
    /// deleted learner ([`crate::training::forget_after_deletion`]: a failure is the deletion's
    /// warning). The caller reloads the models when something was set aside or the step failed
    /// ([`crate::training::use_active_model`]): only it knows the bundled model's folder.
    pub fn forget_deleted_learners(&mut self) -> (crate::training::Unlearned, Option<String>) {
        crate::training::forget_after_deletion(&mut self.store)
    }

    /// Validates and installs a pack folder or `.ladderpack` (or, with `dry_run`, says what
    /// would change).
    pub fn install_pack(&mut self, path: &Path, dry_run: bool) -> Result<PackDiff> {
        let content = read_pack(path)?;
        self.install_content(&content, dry_run)
    }

    /// What installing the pack at `path` would change, for an import preview, from one
    /// validation of the pack: the install's dry run ([`PackDiff`]) and, in the engine's
    /// language, what its lists do not say ([`crate::packs::change_lines`]: pictures, skills,
    /// lessons, the pack's details, likely renamed ids, or, for a pack new here, an installed
    /// one it looks like), and the validator's warnings. Its refusals are in the engine's
    /// language too: a pack that does not
    /// validate (`pack`, the validator's report) and one the store refuses (`conflict`, an
    /// older version or the same version with other content). Nothing is written.
    pub fn preview_pack(&mut self, path: &Path) -> Result<crate::packs::PackPreview> {
        let language = self.language()?;
        let checked = ladder_pack::validate(path)?;
        let Some(pack) = checked.pack else {
            return Err(Error::pack(crate::packs::invalid_pack_message(&checked.report, language)));
        };
        let content = pack_content(&pack)?;
        let diff = self.install_content(&content, true).map_err(|err| {
            if err.kind != ErrorKind::Conflict {
                return err;
            }
            crate::packs::refusal_in(&self.store, &pack, language)
                .map_or(err, |said| Error::new(ErrorKind::Conflict, said))
        })?;
        let changes = crate::packs::change_lines(&self.store, &content, language)?;
        let lang = match language {
            Language::Es => ladder_pack::Lang::Es,
            Language::En => ladder_pack::Lang::En,
        };
        let warnings = checked.report.warnings.iter().map(|w| w.line_in(lang)).collect();
        Ok(crate::packs::PackPreview { diff, changes, warnings })
    }

    /// Installs a validated pack's content (see [`Engine::install_pack`]).
    fn install_content(&mut self, content: &PackContent, dry_run: bool) -> Result<PackDiff> {
        // The store refuses a downgrade, or the same version with other content, as `invalid`:
        // the pack does not fit what is installed (`conflict`), not a failing database.
        let diff = self
            .store
            .install_pack(content, dry_run)
            .map_err(Error::store_refusal(ErrorKind::Conflict))?;
        if !dry_run {
            self.forget_courses();
        }
        Ok(diff)
    }

    pub fn list_courses(&mut self) -> Result<Vec<CourseInfo>> {
        self.sync_packs()?;
        let packs = self.store.read(|tx| tx.packs(false))?;
        let mut out = Vec::with_capacity(packs.len());
        for p in packs {
            let c = self.course(&p.id)?;
            out.push(course_info(&c));
        }
        Ok(out)
    }

    /// Installs every pack of a preload folder (sub-folders with a `pack.toml`, and
    /// `.ladderpack` files) that is not installed yet, or whose version is newer than the
    /// installed one. Packs already installed at the same or a newer version are left alone, so
    /// calling this on every start is cheap and never downgrades; so are courses a tutor removed
    /// on this device ([`Engine::remove_course`]). A pack that fails to validate
    /// or install does not stop the others: it is listed under `problems`. A missing folder is
    /// an empty report.
    pub fn preload_packs(&mut self, dir: &Path) -> Result<PreloadReport> {
        let mut report = PreloadReport::default();
        for path in preload_candidates(dir)? {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            match self.preload_one(&path) {
                Ok(Some(diff)) => report.installed.push(diff),
                Ok(None) => report.skipped.push(name),
                Err(e) => report.problems.push(PreloadProblem { source: name, message: e.message }),
            }
        }
        Ok(report)
    }

    /// Installs one preload pack when it is new or newer; `None` when it was left alone.
    fn preload_one(&mut self, path: &Path) -> Result<Option<PackDiff>> {
        // Validated once: this runs for every preloaded pack at every start.
        let content = read_pack(path)?;
        // A course a tutor removed on this device stays removed (a new version in the folder
        // too) until it is brought back or imported: the folder serves every machine, the
        // removal was this machine's decision.
        if self.store.read(|tx| tx.was_removed_here(&content.id))? {
            return Ok(None);
        }
        // An older version than the one installed (a teacher left it beside the newer one, or
        // installed a newer one by hand) is left alone, not reported: the store's dry run would
        // refuse it as a downgrade.
        let installed = self.store.read(|tx| tx.pack(&content.id))?;
        if installed
            .is_some_and(|p| p.removed.is_none() && older_than(&content.version, &p.version))
        {
            return Ok(None);
        }
        let diff = self.install_content(&content, true)?;
        let newer = match &diff.from_version {
            None => true,
            Some(from) => match (parse_version(from), parse_version(&diff.to_version)) {
                (Some(from), Some(to)) => to > from,
                _ => false,
            },
        };
        if !newer {
            // The same version again changes nothing, except that installed media files deleted
            // by hand are put back (pictures would otherwise show broken).
            if diff.from_version.as_deref() == Some(diff.to_version.as_str()) && diff.is_noop() {
                self.store.install_pack(&content, false)?;
            }
            return Ok(None);
        }
        // Checked again in the install's transaction: a removal made meanwhile by another
        // process (`ladder pack remove`) stays.
        let diff = self
            .store
            .install_pack_unless_removed(&content)
            .map_err(Error::store_refusal(ErrorKind::Conflict))?;
        if diff.is_some() {
            self.forget_courses();
        }
        Ok(diff)
    }

    /// The courses a tutor manages: those installed, and those removed on this device, each
    /// removed one with the version `preload_dir` offers (when given and it has the course).
    pub fn course_roster(&self, preload_dir: Option<&Path>) -> Result<CourseRoster> {
        let (packs, removed) = self.store.read(|tx| Ok((tx.packs(true)?, tx.removed_packs()?)))?;
        let mut installed: Vec<CourseEntry> = packs
            .iter()
            .filter(|p| p.removed.is_none())
            .map(|p| CourseEntry {
                id: p.id.clone(),
                title: p.title.clone(),
                version: p.version.clone(),
                items: p.items,
                learners_with_history: p.learners_with_history,
                installed_ms: p.installed.0,
            })
            .collect();
        installed.sort_by_cached_key(|c| (c.title.to_lowercase(), c.id.clone()));
        // A preload folder that cannot be listed (a share offline, a file named instead of a
        // folder) offers nothing: the tutor area still opens, and says to import the pack.
        let offers = match preload_dir {
            Some(dir) if !removed.is_empty() => self.preload_offers(dir).unwrap_or_default(),
            _ => HashMap::new(),
        };
        let removed = removed
            .into_iter()
            .map(|r| {
                let kept = packs.iter().find(|p| p.id == r.id);
                RemovedCourse {
                    learners_with_history: kept.map_or(0, |p| p.learners_with_history),
                    // Only a version the store installs over the kept history: an older one
                    // is refused, so "bring back" would only fail.
                    preload_version: offers
                        .get(&r.id)
                        .filter(|(v, _)| kept.is_none_or(|p| !older_than(v, &p.version)))
                        .map(|(v, _)| v.clone()),
                    id: r.id,
                    title: r.title,
                    version: r.version,
                    removed_ms: r.removed.0,
                }
            })
            .collect();
        let preload_dir = preload_dir.map(|d| d.display().to_string());
        Ok(CourseRoster { installed, removed, preload_dir })
    }

    /// Removes an installed course from this device: it leaves the library, its files are
    /// deleted and the preload folder leaves it alone from now on; every learner's answers on
    /// it are kept and come back with it when it is brought back or imported again (the
    /// store's `remove_pack` with `force`). `not_found` when it is not installed.
    pub fn remove_course(&mut self, pack: &str) -> Result<CourseRemoval> {
        let title = self
            .store
            .read(|tx| tx.pack(pack))?
            .filter(|p| p.removed.is_none())
            .or_not_found("course", pack)?
            .title;
        let learners_with_history = self.store.remove_pack(pack, true)?;
        self.forget_courses();
        Ok(CourseRemoval { id: pack.to_owned(), title, learners_with_history })
    }

    /// Brings back a course removed on this device from the preload folder `dir` (its newest
    /// version there): installed as an import would install it, history kept. `not_found`
    /// when the folder has no valid pack with that id, or only a version older than the one
    /// removed with its history kept, which the store refuses (import the pack again instead).
    pub fn restore_course(&mut self, dir: &Path, pack: &str) -> Result<PackDiff> {
        let kept = self.store.read(|tx| tx.pack(pack))?.map(|p| p.version);
        let (_, path) = self
            .preload_offers(dir)?
            .remove(pack)
            .filter(|(v, _)| kept.as_deref().is_none_or(|k| !older_than(v, k)))
            .or_not_found(
                "course in the preload folder",
                format!("{pack} (import the pack again to bring it back)"),
            )?;
        self.install_pack(&path, false)
    }

    /// The valid packs of a preload folder by id: the newest version of each and its path.
    /// Packs that do not validate are left out (the library shows why at start).
    fn preload_offers(&self, dir: &Path) -> Result<HashMap<String, (String, std::path::PathBuf)>> {
        let mut out: HashMap<String, (String, std::path::PathBuf)> = HashMap::new();
        for path in preload_candidates(dir)? {
            let Ok(content) = read_pack(&path) else { continue };
            let newer = out
                .get(&content.id)
                .is_none_or(|(have, _)| parse_version(&content.version) > parse_version(have));
            if newer {
                out.insert(content.id, (content.version, path));
            }
        }
        Ok(out)
    }

    /// A media file of an installed pack (`media/pie-3-4.svg`, as item HTML refers to it), with
    /// its MIME type. Only plain relative paths inside the pack's installed files are served
    /// (no `..`, no absolute path), and only image types.
    pub fn pack_media(&self, pack: &str, path: &str) -> Result<MediaFile> {
        let rel = Path::new(path);
        let plain = !path.is_empty()
            && !path.chars().any(char::is_control)
            && rel.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            return Err(Error::bad_request(format!("not a pack media path: {path:?}")));
        }
        let mime = media_mime(path)
            .ok_or_else(|| Error::bad_request(format!("not an image type: {path:?}")))?;
        let installed = self.store.read(|tx| tx.pack(pack))?.or_not_found("course", pack)?;
        let files_dir = installed
            .files_dir
            .ok_or_else(|| Error::not_found("media file", format!("{pack}/{path}")))?;
        let root = self.store.data_dir().join(files_dir);
        let not_found = || Error::not_found("media file", format!("{pack}/{path}"));
        // Only the pack's own files: no symbolic link anywhere below the pack's folder (an
        // install never writes one; one put there by hand could point anywhere, `/dev/zero`
        // included), a regular file, no larger than a pack may hold.
        let limit = ladder_pack::limits::MAX_MEDIA_BYTES;
        let too_large = || {
            Error::bad_request(format!(
                "media file {pack}/{path} is larger than a pack may hold ({limit} bytes)"
            ))
        };
        let mut full = root;
        let mut last = None;
        for part in rel.components() {
            full.push(part);
            match std::fs::symlink_metadata(&full) {
                Ok(m) if m.file_type().is_symlink() => return Err(not_found()),
                Ok(m) => last = Some(m),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
                Err(_) => {
                    return Err(Error::store(format!("cannot read media file {pack}/{path}")))
                }
            }
        }
        match last {
            Some(m) if m.is_file() && m.len() > limit => return Err(too_large()),
            Some(m) if m.is_file() => {}
            _ => return Err(not_found()),
        }
        let mut bytes = Vec::new();
        use std::io::Read as _;
        match std::fs::File::open(&full).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)) {
            Ok(n) if n as u64 > limit => Err(too_large()),
            Ok(_) => Ok(MediaFile { bytes, mime }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(not_found()),
            // The folder's full path stays out of the message: it names the user's account.
            Err(e) => {
                Err(Error::store(format!("cannot read media file {pack}/{path}: {}", e.kind())))
            }
        }
    }

    /// The loaded course `pack` (cached; [`Engine::sync_packs`] drops the copy when the pack
    /// changes).
    pub fn course(&mut self, pack: &str) -> Result<Arc<LoadedCourse>> {
        if let Some((_, c)) = self.courses.get(pack) {
            return Ok(c.clone());
        }
        let (loaded, stamp) =
            self.store.read(|tx| Ok((load_course(tx, pack), tx.pack_stamps()?.remove(pack))))?;
        let loaded = Arc::new(loaded?.or_not_found("course", pack)?);
        self.courses.insert(pack.to_owned(), (stamp, loaded.clone()));
        Ok(loaded)
    }

    /// Drops every cached course and learner state when a pack this engine has loaded was
    /// installed, upgraded or removed since, by this engine or by another process on the same
    /// data directory (the CLI beside a running app or `serve`): item positions may have changed,
    /// so everything is rebuilt from the log, and answers are graded and recorded against the
    /// installed revision. Called once at the start of each operation, so that one operation
    /// sees one version of a pack throughout. One small query.
    fn sync_packs(&mut self) -> Result<()> {
        if self.courses.is_empty() {
            return Ok(());
        }
        let now = self.store.read(|tx| tx.pack_stamps())?;
        if self.courses.iter().any(|(id, (stamp, _))| stamp.as_ref() != now.get(id)) {
            self.forget_courses();
        }
        Ok(())
    }

    /// Item positions may have changed: every course is loaded again and every learner's state
    /// rebuilt from the log.
    fn forget_courses(&mut self) {
        self.courses.clear();
        self.learners.clear();
    }

    /// The learner exists and is not archived (`conflict`: bring them back first).
    /// Practice is refused for an archived learner (checked again when practice is written:
    /// [`Engine::append`]).
    fn check_may_practise(&self, learner: LearnerId) -> Result<()> {
        let who = self.store.read(|tx| tx.learner(learner))?.or_not_found("learner", learner)?;
        if who.archived.is_some() {
            return Err(archived(&who.name));
        }
        Ok(())
    }

    fn check_learner(&self, learner: LearnerId) -> Result<()> {
        self.store.read(|tx| tx.learner(learner))?.or_not_found("learner", learner).map(|_| ())
    }

    // ----- the event fold -------------------------------------------------------------------

    /// Brings the cached state of `learner` up to date with the log.
    fn refresh(&mut self, learner: LearnerId) -> Result<()> {
        let since = self.learners.get(&learner).and_then(|s| s.last_event);
        let (records, scopes) = self.store.read(|tx| {
            let records = tx.events(learner, since)?;
            let mut scopes = HashMap::new();
            for r in &records {
                if matches!(r.event, Event::SessionStart { .. }) {
                    let id = SessionId::from(r.id);
                    if let Some(s) = tx.setting::<SessionScope>(&scope_key(id))? {
                        scopes.insert(id, s);
                    }
                }
            }
            Ok((records, scopes))
        })?;
        if records.is_empty() && self.learners.contains_key(&learner) {
            return Ok(());
        }
        let mut packs: Vec<String> = Vec::new();
        for r in &records {
            let p = match &r.event {
                Event::SessionStart { pack, .. } => pack.clone(),
                ev => ev.item().map(|i| i.pack.clone()),
            };
            if let Some(p) = p.filter(|p| !packs.contains(p)) {
                packs.push(p);
            }
        }
        for p in &packs {
            match self.course(p) {
                Ok(_) => {}
                Err(e) if e.kind == crate::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let courses = &self.courses;
        let state = self.learners.entry(learner).or_default();
        for r in &records {
            state.apply(r, &mut |p| courses.get(p).map(|(_, c)| c.clone()), &mut |id| {
                scopes.get(&id).cloned()
            });
            if matches!(r.event, Event::SessionStart { .. }) {
                self.owners.insert(SessionId::from(r.id), learner);
            }
        }
        Ok(())
    }

    fn owner(&mut self, session: SessionId) -> Result<LearnerId> {
        if let Some(l) = self.owners.get(&session) {
            return Ok(*l);
        }
        let rec = self
            .store
            .read(|tx| tx.event(EventId(session.0)))?
            .filter(|r| matches!(r.event, Event::SessionStart { .. }))
            .or_not_found("session", session)?;
        self.owners.insert(session, rec.learner);
        Ok(rec.learner)
    }

    /// The session (up to date) and its learner.
    fn session(&mut self, session: SessionId) -> Result<(LearnerId, SessionState)> {
        let learner = self.owner(session)?;
        self.refresh(learner)?;
        let s = self
            .learners
            .get(&learner)
            .and_then(|st| st.sessions.get(&session))
            .cloned()
            .or_not_found("session", session)?;
        Ok((learner, s))
    }

    fn open_session(&mut self, session: SessionId) -> Result<(LearnerId, SessionState)> {
        let (l, s) = self.session(session)?;
        if s.ended {
            return Err(Error::refusal(
                Reason::SessionEnded,
                ReasonValues { session: Some(session.0), ..Default::default() },
                format!("session {session} has ended"),
            ));
        }
        Ok((l, s))
    }

    /// An open session in which the learner may practise now: not ended, and the learner not
    /// archived since it was started (by the tutor area or another process: `conflict`, as
    /// [`Engine::start_session`] refuses them). Everything that shows, grades or records
    /// practice goes through this; ending the session does not.
    fn practice_session(&mut self, session: SessionId) -> Result<(LearnerId, SessionState)> {
        let (l, s) = self.open_session(session)?;
        self.check_may_practise(l)?;
        Ok((l, s))
    }

    fn append(
        &mut self,
        learner: LearnerId,
        session: Option<SessionId>,
        event: Event,
    ) -> Result<EventId> {
        let now = Timestamp(self.now_ms());
        // Practice is refused for an archived learner (`check_may_practise`); checked again in
        // the writing transaction, so that an archive by another process between that check and
        // this write (grading and scoring come between) records nothing either. Ending a
        // session stays possible.
        let practice = matches!(
            event,
            Event::ItemShown { .. }
                | Event::Answer { .. }
                | Event::HintShown { .. }
                | Event::SolutionViewed { .. }
                | Event::Skip { .. }
        );
        let mut archived_as = None;
        let id = self.store.transact(|tx| {
            if practice {
                if let Some(who) = tx.learner(learner)?.filter(|l| l.archived.is_some()) {
                    let refusal = archived(&who.name);
                    archived_as = Some(refusal.clone());
                    return Err(ladder_store::StoreError::Invalid(refusal.message));
                }
            }
            tx.append_event_at(learner, session, now, &event)
        });
        let id = id.map_err(|e| match archived_as.take() {
            Some(refusal) => refusal,
            None => Error::store_refusal(ErrorKind::Conflict)(e),
        })?;
        self.refresh(learner)?;
        Ok(id)
    }

    fn history(
        &self,
        learner: LearnerId,
        pack: &str,
    ) -> (Vec<crate::predictor::Attempt>, Vec<ItemIx>) {
        self.learners
            .get(&learner)
            .and_then(|s| s.courses.get(pack))
            .map(|h| (h.attempts.clone(), h.shown.clone()))
            .unwrap_or_default()
    }

    /// The learner's first answers on a course, oldest first (none when they have none).
    fn attempts(&self, learner: LearnerId, pack: &str) -> &[crate::predictor::Attempt] {
        self.learners
            .get(&learner)
            .and_then(|s| s.courses.get(pack))
            .map_or(&[], |h| h.attempts.as_slice())
    }

    fn skills_now(&self, loaded: &LoadedCourse, learner: LearnerId) -> Result<Vec<SkillEstimate>> {
        let attempts = self.attempts(learner, loaded.course.pack.as_str());
        let now = self.now_ms().div_euclid(1000);
        Ok(self.predictor_for(learner).assess(&loaded.course, attempts, &[], now)?.skills)
    }

    /// How skill `k` stood in `before` and stands in `after` (estimates of every skill), as the
    /// course map gives it: its figure, uncertainty and whether it is shown mastered.
    fn skill_change(
        &self,
        c: &Course,
        (before, after): (&[SkillEstimate], &[SkillEstimate]),
        (was, is): (&[policy::SkillStatus], &[policy::SkillStatus]),
        k: SkillIx,
    ) -> SkillChange {
        SkillChange {
            id: c.skills[k].id.to_string(),
            name: c.skills[k].name.clone(),
            before: before[k].recall,
            after: after[k].recall,
            uncertainty: after[k].uncertainty,
            mastered: shown_mastered(&self.settings, is[k].mastered, &after[k]),
            mastered_before: shown_mastered(&self.settings, was[k].mastered, &before[k]),
        }
    }

    // ----- views ----------------------------------------------------------------------------

    fn skill_views(&self, loaded: &LoadedCourse, est: &[SkillEstimate]) -> Vec<SkillView> {
        let c = &loaded.course;
        let status = policy::skill_status(c, &self.settings, est);
        c.skills
            .iter()
            .enumerate()
            .map(|(s, skill)| SkillView {
                id: skill.id.to_string(),
                name: skill.name.clone(),
                mastery: est[s].recall,
                uncertainty: est[s].uncertainty,
                mastered: shown_mastered(&self.settings, status[s].mastered, &est[s]),
                locked: !status[s].unlocked,
                locked_because: status[s]
                    .missing
                    .iter()
                    .map(|&p| c.skills[p].name.clone())
                    .collect(),
                attempts: est[s].attempts,
                unconfirmed: policy::unconfirmed(&self.settings, &est[s]),
            })
            .collect()
    }

    /// The course map: skills with mastery and uncertainty, lessons with status and locks.
    pub fn course_map(&mut self, learner: LearnerId, pack: &str) -> Result<CourseMap> {
        self.sync_packs()?;
        self.check_learner(learner)?;
        let loaded = self.course(pack)?;
        self.refresh(learner)?;
        let est = self.skills_now(&loaded, learner)?;
        let skills = self.skill_views(&loaded, &est);
        let c = &loaded.course;
        let status = policy::skill_status(c, &self.settings, &est);
        let lessons = c
            .lessons
            .iter()
            .enumerate()
            .map(|(ix, l)| {
                let because: Vec<String> = lesson_missing(c, &status, ix)
                    .into_iter()
                    .map(|p| c.skills[p].name.clone())
                    .collect();
                let started = l.skills.iter().any(|&s| est[s].attempts > 0);
                let status = if !because.is_empty() {
                    LessonStatus::Locked
                } else if !l.skills.is_empty() && l.skills.iter().all(|&s| skills[s].mastered) {
                    LessonStatus::Mastered
                } else if started {
                    LessonStatus::InProgress
                } else {
                    LessonStatus::Available
                };
                LessonView {
                    id: l.id.to_string(),
                    title: l.title.clone(),
                    status,
                    skills: l.skills.iter().map(|&s| c.skills[s].id.to_string()).collect(),
                    items: l.items.len(),
                    fixed_order: l.fixed_order,
                    locked_because: because,
                    intro_html: loaded
                        .lessons
                        .iter()
                        .find(|m| m.id.as_str() == l.id.as_str())
                        .map(|m| m.intro.trim())
                        .filter(|intro| !intro.is_empty())
                        .map(render_markdown),
                }
            })
            .collect();
        Ok(CourseMap {
            course: course_info(&loaded),
            skills,
            lessons,
            unlock_at: self.settings.unlock_level(),
        })
    }

    /// Mastery of every skill of a course.
    pub fn mastery_summary(&mut self, learner: LearnerId, pack: &str) -> Result<MasterySummary> {
        self.sync_packs()?;
        self.check_learner(learner)?;
        let loaded = self.course(pack)?;
        self.refresh(learner)?;
        let est = self.skills_now(&loaded, learner)?;
        let skills = self.skill_views(&loaded, &est);
        let answers = self
            .learners
            .get(&learner)
            .and_then(|s| s.courses.get(pack))
            .map_or(0, |h| h.attempts.len());
        Ok(MasterySummary {
            learner: learner.0,
            course: pack.to_owned(),
            mastered: skills.iter().filter(|s| s.mastered).count(),
            total: skills.len(),
            skills,
            answers,
        })
    }

    // ----- sessions -------------------------------------------------------------------------

    /// Starts a session on a course, optionally on one lesson, with the default policy or
    /// `policy`.
    pub fn start_session(
        &mut self,
        learner: LearnerId,
        pack: &str,
        lesson: Option<&str>,
        policy: Option<PolicyKind>,
    ) -> Result<SessionInfo> {
        self.sync_packs()?;
        self.check_may_practise(learner)?;
        let loaded = self.course(pack)?;
        self.refresh(learner)?;
        if let Some(l) = lesson {
            let ix = loaded
                .course
                .lesson_ix(&LessonId::new(l))
                .ok_or_else(|| lesson_not_found(l, pack))?;
            // A lesson file without items is valid (the validator warns); a session on it
            // could never show anything.
            let title = &loaded.course.lessons[ix].title;
            if loaded.course.lessons[ix].items.is_empty() {
                return Err(Error::refusal(
                    Reason::LessonEmpty,
                    ReasonValues { lesson: Some(title.clone()), ..Default::default() },
                    format!("the lesson \"{title}\" has no items to practise yet"),
                ));
            }
            let est = self.skills_now(&loaded, learner)?;
            let status = policy::skill_status(&loaded.course, &self.settings, &est);
            let missing: Vec<String> = lesson_missing(&loaded.course, &status, ix)
                .into_iter()
                .map(|p| loaded.course.skills[p].name.clone())
                .collect();
            if !missing.is_empty() {
                let at = self.settings.unlock_level();
                let message = format!(
                    "the lesson \"{title}\" is locked: it needs {} at {:.0}% first",
                    missing.join(", "),
                    at * 100.0
                );
                let values = ReasonValues {
                    lesson: Some(title.clone()),
                    needs: Some(missing),
                    // 0.8, not the f32's 0.800000011920929, on the wire.
                    at: Some((f64::from(at) * 1e4).round() / 1e4),
                    ..Default::default()
                };
                return Err(Error::refusal(Reason::LessonLocked, values, message));
            }
        }
        let policy = policy.unwrap_or(self.policy);
        let scope = SessionScope { lesson: lesson.map(str::to_owned), policy };
        let now = Timestamp(self.now_ms());
        let event = Event::SessionStart {
            pack: Some(pack.to_owned()),
            client: Some(self.client.clone()),
            lesson: lesson.map(str::to_owned),
            policy: Some(policy.name().to_owned()),
        };
        let id = self.store.transact(|tx| {
            let id = tx.append_event_at(learner, None, now, &event)?;
            tx.set_setting(&scope_key(SessionId::from(id)), &scope)?;
            Ok(id)
        })?;
        self.refresh(learner)?;
        Ok(SessionInfo {
            session: id.0,
            learner: learner.0,
            course: pack.to_owned(),
            lesson: lesson.map(str::to_owned),
            policy,
        })
    }

    /// The learner's open session on `pack` to carry on, for a front end that starts practice
    /// on a course (the app, after a restart or after leaving practice): the latest one with the
    /// same lesson (and policy, when one is asked for) whose last activity is at most
    /// [`RESUME_WITHIN_MS`] ago. Every other open session of the learner on `pack` is ended
    /// (`session_end` with reason `left open`), so a session left behind never stays open for
    /// ever. `None`: nothing to carry on; start a new session.
    pub fn resume_session(
        &mut self,
        learner: LearnerId,
        pack: &str,
        lesson: Option<&str>,
        policy: Option<PolicyKind>,
    ) -> Result<Option<SessionInfo>> {
        self.sync_packs()?;
        self.check_may_practise(learner)?;
        let loaded = self.course(pack)?;
        self.refresh(learner)?;
        let lesson_ix = match lesson {
            Some(l) => Some(
                loaded
                    .course
                    .lesson_ix(&LessonId::new(l))
                    .ok_or_else(|| lesson_not_found(l, pack))?,
            ),
            None => None,
        };
        let now = self.now_ms();
        let mut open: Vec<SessionState> = self
            .learners
            .get(&learner)
            .map(|st| {
                st.sessions.values().filter(|s| !s.ended && s.pack == pack).cloned().collect()
            })
            .unwrap_or_default();
        open.sort_by_key(|s| std::cmp::Reverse((s.last_ms, s.id.0)));
        let keep = open
            .iter()
            .find(|s| {
                // By id: a session whose lesson an upgrade removed is no whole-course session.
                s.lesson_id.as_deref() == lesson
                    && s.lesson == lesson_ix
                    && policy.is_none_or(|p| p == s.policy)
                    && now - s.last_ms <= RESUME_WITHIN_MS
            })
            .map(|s| s.id);
        for s in open.iter().filter(|s| Some(s.id) != keep) {
            self.append(
                learner,
                Some(s.id),
                Event::SessionEnd { reason: Some("left open".into()) },
            )?;
        }
        Ok(open.into_iter().find(|s| Some(s.id) == keep).map(|s| SessionInfo {
            session: s.id.0,
            learner: learner.0,
            course: pack.to_owned(),
            lesson: s.lesson.map(|ix| loaded.course.lessons[ix].id.to_string()),
            policy: s.policy,
        }))
    }

    /// The item to show now: the one on screen if it has not been answered yet (so a restart
    /// shows the same item), otherwise the policy's next choice.
    pub fn next_step(&mut self, session: SessionId) -> Result<Step> {
        self.sync_packs()?;
        let (learner, s) = self.practice_session(session)?;
        let loaded = self.course(&s.pack)?;
        // Its lesson gone, a lesson session must not quietly carry on over the whole course.
        if let (Some(id), None) = (&s.lesson_id, s.lesson) {
            let course = &loaded.course.title;
            return Err(Error::refusal(
                Reason::LessonRemoved,
                ReasonValues {
                    lesson: Some(id.clone()),
                    course: Some(course.clone()),
                    ..Default::default()
                },
                format!(
                    "the lesson \"{id}\" this session practises is no longer in the course \
                     \"{course}\" (an update of the course removed it): end this session and \
                     start a new one"
                ),
            ));
        }
        // The item on screen, not yet answered, is shown again. When an upgrade has changed it
        // meanwhile, it is shown as it is now and recorded as shown again (its answers and hints
        // are then the new version's).
        if let Some(p) = s
            .current
            .as_ref()
            .filter(|p| !p.resolved && p.answers == 0 && self.changed_since_shown(&loaded, p))
        {
            let item = ItemRef::new(&s.pack, loaded.course.items[p.item].id.to_string());
            self.append(
                learner,
                Some(session),
                Event::ItemShown {
                    item,
                    reason: p.reason.clone(),
                    why: p.why.clone(),
                    skill: p.skill.clone(),
                },
            )?;
            return self.next_step(session);
        }
        if let Some(p) = s.current.as_ref().filter(|p| !p.resolved && p.answers == 0) {
            let (history, _) = self.history(learner, &s.pack);
            let now = self.now_ms().div_euclid(1000);
            let predicted = self
                .predictor_for(learner)
                .assess(&loaded.course, &history, &[p.item], now)?
                .items
                .first()
                .copied()
                .unwrap_or(0.5);
            return self.step_view(&loaded, &s, p, predicted, self.language()?);
        }
        // A copy: choosing appends to the store, which needs the engine mutably.
        let h = self
            .learners
            .get(&learner)
            .and_then(|st| st.courses.get(&s.pack))
            .cloned()
            .unwrap_or_default();
        let now = self.now_ms().div_euclid(1000);
        let seed = step_seed(session, h.shown.len());
        let language = self.language()?;
        let input = StepInput {
            course: &loaded.course,
            settings: &self.settings,
            history: &h.attempts,
            shown: &h.shown,
            skipped: &h.skipped,
            lesson: s.lesson,
            now,
            seed,
            language,
        };
        let choice = policy::next_item(s.policy, &input, self.predictor_for(learner))?;
        let item_id = loaded.course.items[choice.item].id.to_string();
        self.append(
            learner,
            Some(session),
            Event::ItemShown {
                item: ItemRef::new(&s.pack, item_id),
                reason: choice.reason,
                why: Some(choice.why),
                skill: choice.skill.map(|k| loaded.course.skills[k].id.to_string()),
            },
        )?;
        let (_, s) = self.session(session)?;
        let p =
            s.current.as_ref().ok_or_else(|| Error::internal("the shown item was not recorded"))?;
        self.step_view(&loaded, &s, p, choice.predicted, language)
    }

    /// Shows `item` next, chosen by the caller instead of the session's policy. Crate-private on
    /// purpose: only the simulator's oracle (a diagnostic that reads a simulated student's hidden
    /// state) chooses items this way; no front end can.
    pub(crate) fn show_item(
        &mut self,
        session: SessionId,
        item: ItemIx,
        reason: String,
    ) -> Result<Step> {
        self.sync_packs()?;
        let (learner, s) = self.practice_session(session)?;
        let loaded = self.course(&s.pack)?;
        let item_id = loaded
            .course
            .items
            .get(item)
            .map(|i| i.id.to_string())
            .ok_or_else(|| Error::internal("show_item: no such item"))?;
        let (history, _) = self.history(learner, &s.pack);
        let now = self.now_ms().div_euclid(1000);
        let predicted = self
            .predictor_for(learner)
            .assess(&loaded.course, &history, &[item], now)?
            .items
            .first()
            .copied()
            .unwrap_or(0.5);
        self.append(learner, Some(session), Event::shown(ItemRef::new(&s.pack, item_id), reason))?;
        let (_, s) = self.session(session)?;
        let p =
            s.current.as_ref().ok_or_else(|| Error::internal("the shown item was not recorded"))?;
        self.step_view(&loaded, &s, p, predicted, self.language()?)
    }

    fn step_view(
        &self,
        loaded: &LoadedCourse,
        s: &SessionState,
        p: &Presentation,
        predicted: f32,
        language: Language,
    ) -> Result<Step> {
        let it = &loaded.course.items[p.item];
        let hint = if p.answers == 0 && p.hints == 0 {
            hints::before_answer(&self.settings, predicted, it.hint_levels, it.has_solution)
        } else {
            HintDecision::None
        };
        Ok(Step {
            session: s.id.0,
            number: s.items,
            item: item_view(loaded, p.item, s.id.0 as u64 ^ u64::from(s.items)),
            // In the language of now: the learner may have changed it since the item was shown.
            reason: p.reason_in(language),
            predicted,
            hint,
            hints_shown: p.rungs_seen().filter_map(|k| hint_view(loaded, p.item, k)).collect(),
            answers: p.answers,
            resolved: p.resolved,
            session_answered: s.answered,
            session_correct_first: s.correct_first,
        })
    }

    fn current(&self, s: &SessionState) -> Result<Presentation> {
        // The practice screen recognises `item_removed` and `item_changed` (below) by their
        // reason and fetches the next step.
        s.current.clone().ok_or_else(|| match &s.removed_on_screen {
            Some(item) => Error::refusal(
                Reason::ItemRemoved,
                ReasonValues { item: Some(item.to_string()), ..Default::default() },
                format!(
                    "the item on screen, \"{item}\", was removed by a pack upgrade: ask for the \
                     next step"
                ),
            ),
            None => Error::refusal(
                Reason::NoItemOnScreen,
                ReasonValues::default(),
                "no item is on screen: ask for the next step first",
            ),
        })
    }

    /// Whether a pack upgrade changed what the learner sees of the item on screen since it was
    /// shown: a new revision whose prompt, answers, hints, solution or feedback differ from the
    /// revision shown (a new revision that only moves it to another lesson, or changes its
    /// skills, difficulty or the language of its answers, grades and reads the same). A shown
    /// revision the store cannot give back counts as changed.
    fn changed_since_shown(&self, loaded: &LoadedCourse, p: &Presentation) -> bool {
        let Some(shown) = p.revision else { return false };
        if loaded.revisions.get(p.item).is_none_or(|&now| now == shown) {
            return false;
        }
        let now = &loaded.items[p.item];
        let then = self
            .store
            .read(|tx| tx.item_revision(loaded.course.pack.as_str(), now.id.as_str(), shown))
            .ok()
            .flatten()
            .and_then(|r| serde_json::from_value::<Item>(r.content).ok());
        match then {
            Some(mut then) => {
                then.lesson = now.lesson.clone();
                then.skills = now.skills.clone();
                then.difficulty = now.difficulty;
                then.answer_language = now.answer_language.clone();
                then != *now
            }
            None => true,
        }
    }

    /// The item on screen, still open: not yet answered right or skipped, and still as it was
    /// shown (`conflict`).
    fn current_open(&self, s: &SessionState, loaded: &LoadedCourse) -> Result<Presentation> {
        let p = self.current(s)?;
        if p.resolved {
            return Err(Error::refusal(
                Reason::ItemDone,
                ReasonValues::default(),
                "this item is done: ask for the next step",
            ));
        }
        if self.changed_since_shown(loaded, &p) {
            // Graded against the new version, an answer right on the learner's screen could be
            // marked wrong (choices reordered), and its hints could be another question's.
            let item = loaded.course.items[p.item].id.to_string();
            return Err(Error::refusal(
                Reason::ItemChanged,
                ReasonValues { item: Some(item.clone()), ..Default::default() },
                format!(
                    "the item on screen, \"{item}\", was changed by an update of the course since \
                     it was shown: ask for the next step to see it as it is now"
                ),
            ));
        }
        Ok(p)
    }

    /// Grades an answer to the item on screen and records it.
    pub fn submit_answer(
        &mut self,
        session: SessionId,
        answer: &Answer,
        latency_ms: u64,
    ) -> Result<AnswerResult> {
        // One rule for every front end (serve checks it too, before the engine is reached).
        if latency_ms > crate::api::MAX_LATENCY_MS {
            return Err(Error::bad_request(format!(
                "latency_ms is {latency_ms}, more than the {} ms (about 49 days) it can be",
                crate::api::MAX_LATENCY_MS
            )));
        }
        self.sync_packs()?;
        let (learner, s) = self.practice_session(session)?;
        // The course first: one removed meanwhile (the CLI) says so, not "no item on screen".
        let loaded = self.course(&s.pack)?;
        let p = self.current_open(&s, &loaded)?;
        let item = &loaded.items[p.item];
        let g = grade(item, answer).map_err(|e| Error::bad_request(e.to_string()))?;
        // One pass gives the skills before the answer and, for a first answer, the predicted
        // success that is stored with it (the calibration report reads it back).
        let (history, _) = self.history(learner, &s.pack);
        let now = self.now_ms().div_euclid(1000);
        let prior = self.predictor_for(learner).assess(&loaded.course, &history, &[p.item], now)?;
        let predicted = prior.items.first().copied().filter(|_| p.answers == 0);
        let before = prior.skills;
        let response = serde_json::to_value(answer).map_err(Error::internal_from)?;
        self.append(
            learner,
            Some(session),
            Event::Answer {
                item: ItemRef::new(&s.pack, item.id.to_string()),
                response,
                correct: g.correct,
                score: None,
                blanks: (!g.blanks.is_empty()).then(|| g.blanks.clone()),
                latency_ms,
                hint_level: u32::from(p.hints),
                predicted,
            },
        )?;
        let after = self.skills_now(&loaded, learner)?;
        let c = &loaded.course;
        let (was, is) = (
            policy::skill_status(c, &self.settings, &before),
            policy::skill_status(c, &self.settings, &after),
        );
        let change = |k: SkillIx| self.skill_change(c, (&before, &after), (&was, &is), k);
        let own = &c.items[p.item].skills;
        let mastery = own.iter().map(|&k| change(k)).collect();
        let also = c
            .skill_order
            .iter()
            .copied()
            .filter(|k| !own.contains(k))
            .map(change)
            .filter(|x| x.mastered != x.mastered_before)
            .collect();
        let wrong = p.wrong + u32::from(!g.correct);
        let levels = c.items[p.item].hint_levels;
        let mut hint = hints::after_answer(&self.settings, g.correct, wrong, p.hints, levels);
        let mut hint_shown = None;
        if hint == HintDecision::Show {
            hint_shown = Some(self.show_hint(learner, session, &loaded, &s.pack, &p)?);
            hint = HintDecision::Show;
        }
        Ok(AnswerResult {
            correct: g.correct,
            feedback_html: g.feedback.as_deref().map(render_markdown),
            blanks: g.blanks,
            mastery,
            also,
            hint,
            hint_shown,
            wrong_answers: wrong,
        })
    }

    fn show_hint(
        &mut self,
        learner: LearnerId,
        session: SessionId,
        loaded: &LoadedCourse,
        pack: &str,
        p: &Presentation,
    ) -> Result<HintView> {
        let it = &loaded.course.items[p.item];
        let level = p.hints + 1;
        if level > it.hint_levels {
            return Err(Error::refusal(
                Reason::NoMoreHints,
                ReasonValues::default(),
                "there are no more hints for this item",
            ));
        }
        let item = ItemRef::new(pack, it.id.to_string());
        let event = if it.has_solution && level == it.hint_levels {
            Event::SolutionViewed { item }
        } else {
            Event::HintShown { item, level: u32::from(level) }
        };
        self.append(learner, Some(session), event)?;
        hint_view(loaded, p.item, level).ok_or_else(|| Error::internal("hint rung out of range"))
    }

    /// Shows the next rung of the hint ladder of the item on screen (`conflict` once it is
    /// answered right or skipped).
    pub fn request_hint(&mut self, session: SessionId) -> Result<HintView> {
        self.sync_packs()?;
        let (learner, s) = self.practice_session(session)?;
        let loaded = self.course(&s.pack)?;
        let p = self.current_open(&s, &loaded)?;
        self.show_hint(learner, session, &loaded, &s.pack, &p)
    }

    /// Shows the worked solution of the item on screen (the last rung of its ladder;
    /// `conflict` once the item is answered right or skipped).
    pub fn view_solution(&mut self, session: SessionId) -> Result<HintView> {
        self.sync_packs()?;
        let (learner, s) = self.practice_session(session)?;
        let loaded = self.course(&s.pack)?;
        let p = self.current_open(&s, &loaded)?;
        let it = &loaded.course.items[p.item];
        if !it.has_solution {
            return Err(Error::refusal(
                Reason::NoSolution,
                ReasonValues::default(),
                "this item has no worked solution",
            ));
        }
        let level = it.hint_levels;
        if !p.solution {
            let item = ItemRef::new(&s.pack, it.id.to_string());
            self.append(learner, Some(session), Event::SolutionViewed { item })?;
        }
        hint_view(&loaded, p.item, level).ok_or_else(|| Error::internal("no solution rung"))
    }

    /// Skips the item on screen.
    pub fn skip(&mut self, session: SessionId) -> Result<()> {
        self.sync_packs()?;
        let (learner, s) = self.practice_session(session)?;
        let loaded = self.course(&s.pack)?;
        let p = self.current_open(&s, &loaded)?;
        let item = ItemRef::new(&s.pack, loaded.course.items[p.item].id.to_string());
        self.append(learner, Some(session), Event::Skip { item })?;
        Ok(())
    }

    /// Ends a session and returns its totals.
    pub fn end_session(&mut self, session: SessionId) -> Result<SessionSummary> {
        self.sync_packs()?;
        let (learner, s) = self.open_session(session)?;
        self.append(learner, Some(session), Event::SessionEnd { reason: Some("finished".into()) })?;
        let (_, s2) = self.session(session)?;
        // The course may have been removed meanwhile: the totals still come, without skills.
        let skills = match self.course(&s2.pack) {
            Ok(loaded) => self.session_progress(&loaded, learner, &s2)?,
            Err(_) => Vec::new(),
        };
        Ok(SessionSummary {
            session: s.id.0,
            items: s2.items,
            answered: s2.answered,
            correct_first: s2.correct_first,
            skipped: s2.skipped,
            hints: s2.hints,
            duration_s: (s2.last_ms - s2.started_ms).div_euclid(1000),
            skills,
        })
    }

    /// The skills a session practised: each one's figure and verdict when it began (the
    /// history before its first answer, at its start) and now, as the course map gives them.
    fn session_progress(
        &self,
        loaded: &LoadedCourse,
        learner: LearnerId,
        s: &SessionState,
    ) -> Result<Vec<SkillProgress>> {
        let c = &loaded.course;
        let attempts = self.attempts(learner, c.pack.as_str());
        let Some(from) = s.first_attempt.filter(|&k| k <= attempts.len()) else {
            return Ok(Vec::new());
        };
        let mut answers = vec![(0u32, 0u32); c.skills.len()];
        for a in &attempts[from..] {
            for &k in crate::predictor::item_skills(c, a.item) {
                answers[k].0 += 1;
                answers[k].1 += u32::from(a.correct && !a.solution_seen);
            }
        }
        let predictor = self.predictor_for(learner);
        let began = predictor.assess(c, &attempts[..from], &[], s.started_ms.div_euclid(1000))?;
        let now = self.skills_now(loaded, learner)?;
        let (was, is) = (
            policy::skill_status(c, &self.settings, &began.skills),
            policy::skill_status(c, &self.settings, &now),
        );
        Ok(c.skill_order
            .iter()
            .copied()
            .filter(|&k| answers[k].0 > 0)
            .map(|k| {
                let ch = self.skill_change(c, (&began.skills, &now), (&was, &is), k);
                SkillProgress {
                    id: ch.id,
                    name: ch.name,
                    answers: answers[k].0,
                    right: answers[k].1,
                    before: ch.before,
                    after: ch.after,
                    uncertainty: ch.uncertainty,
                    mastered_before: ch.mastered_before,
                    mastered: ch.mastered,
                    unconfirmed: policy::unconfirmed(&self.settings, &now[k]),
                }
            })
            .collect())
    }

    /// The learner's first answers on a course and the items shown (for reports and the
    /// simulator).
    pub fn course_history(
        &mut self,
        learner: LearnerId,
        pack: &str,
    ) -> Result<(Vec<crate::predictor::Attempt>, Vec<ItemIx>)> {
        self.sync_packs()?;
        self.refresh(learner)?;
        Ok(self.history(learner, pack))
    }
}

fn course_info(c: &LoadedCourse) -> CourseInfo {
    CourseInfo {
        id: c.course.pack.to_string(),
        version: c.course.version.clone(),
        title: c.course.title.clone(),
        description: c.description.clone(),
        skills: c.course.skills.len(),
        lessons: c.course.lessons.len(),
        items: c.course.items.len(),
        languages: c.languages.clone(),
        text_language: c.text_language.clone(),
    }
}

fn hint_view(loaded: &LoadedCourse, item: ItemIx, level: u8) -> Option<HintView> {
    let it = loaded.items.get(item)?;
    let ladder = it.hint_ladder();
    let text = ladder.get(usize::from(level).checked_sub(1)?)?;
    let of = u8::try_from(ladder.len()).unwrap_or(u8::MAX);
    Some(HintView {
        level,
        of,
        html: render_markdown(text),
        is_solution: it.solution.is_some() && level == of,
    })
}

/// The item as the learner sees it. `seed` fixes the shuffle of a presentation.
pub fn item_view(loaded: &LoadedCourse, item: ItemIx, seed: u64) -> ItemView {
    use ladder_core::ItemKind;
    let it = &loaded.items[item];
    let c = &loaded.course;
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed ^ (item as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut choices = Vec::new();
    let (mut select_all, mut blanks, mut unit) = (false, 0, None);
    match &it.kind {
        ItemKind::Choice { choices: opts, correct, shuffle } => {
            choices = opts
                .iter()
                .enumerate()
                .map(|(k, m)| ChoiceView { position: k + 1, html: render_markdown(m) })
                .collect();
            if *shuffle {
                choices.shuffle(&mut rng);
            }
            select_all = correct.len() > 1;
        }
        ItemKind::Order { order } => {
            choices = order
                .iter()
                .enumerate()
                .map(|(k, m)| ChoiceView { position: k + 1, html: render_markdown(m) })
                .collect();
            choices.shuffle(&mut rng);
            // Never show an order item already in order.
            if choices.len() > 1 && choices.iter().enumerate().all(|(k, c)| c.position == k + 1) {
                choices.rotate_left(1);
            }
        }
        ItemKind::Numeric(n) => unit = n.unit.clone(),
        ItemKind::Cloze { blanks: b } => blanks = b.len(),
        ItemKind::Text(_) => {}
    }
    ItemView {
        id: it.id.to_string(),
        kind: it.kind.name().to_owned(),
        lesson: it.lesson.to_string(),
        skills: it.skills.iter().map(|s| s.to_string()).collect(),
        prompt_html: render_markdown(&it.prompt),
        choices,
        select_all,
        blanks,
        unit,
        hint_levels: c.items[item].hint_levels,
        has_solution: c.items[item].has_solution,
        answer_language: crate::packs::answer_language(it, loaded.answer_language.as_deref())
            .map(str::to_owned),
    }
}

/// A pack version, compared as semantic versions (`1.10.0` > `1.9.2`, `1.1.0-beta` < `1.1.0`);
/// `None` when it is not one (the validator only accepts semantic versions).
pub(crate) fn parse_version(v: &str) -> Option<semver::Version> {
    // As the store compares them: a pre-release comes before its release (1.1.0-beta < 1.1.0).
    semver::Version::parse(v.trim()).ok()
}

/// Whether pack version `v` is older than `than` (both semantic versions; `false` when either
/// is not one).
fn older_than(v: &str, than: &str) -> bool {
    matches!((parse_version(v), parse_version(than)), (Some(a), Some(b)) if a < b)
}

/// The packs of a preload folder (sub-folders with a `pack.toml`, and `.ladderpack` files, the
/// extension in any case), sorted by path; none when the folder does not exist. Hidden entries (a name starting with
/// `.`) are not packs: a Mac writes an AppleDouble `._name.ladderpack` beside each file it
/// copies to a USB stick, and a system's own folders (`.Trashes`, `.git`) are no course.
fn preload_candidates(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::pack(format!("cannot list {}: {e}", dir.display())));
        }
    };
    let mut candidates: Vec<std::path::PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
        .filter(|p| {
            (p.is_dir() && p.join("pack.toml").is_file())
                || (p.is_file()
                    && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("ladderpack")))
        })
        .collect();
    candidates.sort();
    Ok(candidates)
}

/// Why an archived learner's practice is refused.
fn archived(name: &str) -> Error {
    Error::refusal(
        Reason::LearnerArchived,
        ReasonValues { name: Some(name.to_owned()), ..Default::default() },
        format!("{name} is archived: bring them back before they practise"),
    )
}

/// Why a learner's name is refused: `taken` is the name of the active learner who has it.
fn name_taken(taken: &str) -> Error {
    Error::refusal(
        Reason::LearnerNameTaken,
        ReasonValues { name: Some(taken.to_owned()), ..Default::default() },
        format!("a learner named {taken} already exists"),
    )
}

/// The course `pack` has no lesson `lesson`.
fn lesson_not_found(lesson: &str, pack: &str) -> Error {
    Error::refusal(
        Reason::LessonNotFound,
        ReasonValues {
            id: Some(lesson.to_owned()),
            course: Some(pack.to_owned()),
            ..Default::default()
        },
        format!("no lesson with id {lesson} in course {pack}"),
    )
}

/// Validates a pack folder or `.ladderpack` and returns what the store installs.
fn read_pack(path: &Path) -> Result<PackContent> {
    let checked = ladder_pack::validate(path)?;
    let Some(pack) = checked.pack else {
        let message = crate::packs::invalid_pack_message(&checked.report, Language::En);
        return Err(Error::pack(message));
    };
    pack_content(&pack)
}

/// The MIME type of a pack media file, by extension; `None` for anything but the images the
/// validator lets a pack use (one list: `ladder_pack::IMAGE_TYPES`).
fn media_mime(path: &str) -> Option<&'static str> {
    ladder_pack::image_mime(path)
}

/// How recent a session's last activity must be for [`Engine::resume_session`] to carry it on
/// (6 hours: the same sitting, or the same school day); an older one is ended instead.
pub const RESUME_WITHIN_MS: i64 = 6 * 3600 * 1000;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::ErrorKind;

    fn fractions() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions")
    }

    #[test]
    fn learner_names_are_unique_ignoring_case_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = Engine::open(dir.path(), EngineOptions::default()).unwrap();
        e.add_learner("zoë").unwrap();
        e.add_learner("Ada").unwrap();
        let dup = e.add_learner("  ADA ").unwrap_err();
        assert_eq!(dup.kind, ErrorKind::Conflict, "{dup}");
        for bad in ["", "   ", "a\u{7}b"] {
            assert_eq!(e.add_learner(bad).unwrap_err().kind, ErrorKind::BadRequest, "{bad:?}");
        }
        let names: Vec<_> = e.list_learners().unwrap().into_iter().map(|l| l.name).collect();
        assert_eq!(names, ["Ada", "zoë"]);
    }

    #[test]
    fn preload_installs_new_packs_once_and_reports_bad_ones() {
        let data = tempfile::tempdir().unwrap();
        let preload = tempfile::tempdir().unwrap();
        let copy = |from: &Path, to: &Path| {
            for entry in walk(from) {
                let rel = entry.strip_prefix(from).unwrap();
                let dest = to.join(rel);
                std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
                std::fs::copy(&entry, &dest).unwrap();
            }
        };
        copy(&fractions(), &preload.path().join("fractions"));
        std::fs::create_dir_all(preload.path().join("broken")).unwrap();
        std::fs::write(preload.path().join("broken/pack.toml"), "id = [").unwrap();
        let mut e = Engine::open(data.path(), EngineOptions::default()).unwrap();
        let first = e.preload_packs(preload.path()).unwrap();
        assert_eq!(first.installed.len(), 1);
        assert_eq!(first.installed[0].pack, "fractions");
        assert_eq!(first.problems.len(), 1);
        assert_eq!(first.problems[0].source, "broken");
        assert_eq!(e.list_courses().unwrap().len(), 1);
        let again = e.preload_packs(preload.path()).unwrap();
        assert!(again.installed.is_empty());
        assert_eq!(again.skipped, ["fractions"]);
        // The installed pictures deleted by hand come back at the next start.
        let media = data.path().join("packs/fractions/1.0.0/media/bar-3-8.svg");
        assert!(media.is_file());
        std::fs::remove_dir_all(data.path().join("packs/fractions")).unwrap();
        let repaired = e.preload_packs(preload.path()).unwrap();
        assert_eq!(repaired.skipped, ["fractions"]);
        assert!(media.is_file(), "the installed folder is put back");
        assert!(e.pack_media("fractions", "media/bar-3-8.svg").is_ok());
        let none = e.preload_packs(&preload.path().join("missing")).unwrap();
        assert_eq!(none, PreloadReport::default());
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn media_is_served_only_from_inside_the_pack() {
        let data = tempfile::tempdir().unwrap();
        let mut e = Engine::open(data.path(), EngineOptions::default()).unwrap();
        e.install_pack(&fractions(), false).unwrap();
        let svg = e.pack_media("fractions", "media/pie-3-4.svg").unwrap();
        assert_eq!(svg.mime, "image/svg+xml");
        assert!(String::from_utf8_lossy(&svg.bytes).contains("<svg"));
        for bad in [
            "../ladder.sqlite3",
            "/etc/passwd.png",
            "media/../../x.svg",
            "",
            "media/a\0.svg",
            "media/a\n.svg",
        ] {
            assert_eq!(e.pack_media("fractions", bad).unwrap_err().kind, ErrorKind::BadRequest);
        }
        assert_eq!(e.pack_media("fractions", "pack.toml").unwrap_err().kind, ErrorKind::BadRequest);
        assert_eq!(
            e.pack_media("fractions", "media/none.svg").unwrap_err().kind,
            ErrorKind::NotFound
        );
        assert_eq!(e.pack_media("nope", "media/a.svg").unwrap_err().kind, ErrorKind::NotFound);
    }

    /// A learner archived by another process after an operation's check and before its write
    /// gets nothing recorded: the writing transaction checks again; ending the session stays
    /// possible.
    #[test]
    fn practice_written_after_an_archive_is_refused_in_the_writing_transaction() {
        let data = tempfile::tempdir().unwrap();
        let mut e = Engine::open(data.path(), EngineOptions::default()).unwrap();
        e.install_pack(&fractions(), false).unwrap();
        let ada = LearnerId(e.add_learner("Ada").unwrap().id);
        let session = SessionId(e.start_session(ada, "fractions", None, None).unwrap().session);
        e.next_step(session).unwrap();
        // Another process archives her (the CLI on the same data folder).
        let mut other = ladder_store::Store::open(data.path()).unwrap();
        other.transact(|tx| tx.archive_learner(ada)).unwrap();
        let before = e.store().read(|tx| tx.event_count(ada)).unwrap();
        let item = ItemRef::new("fractions", "meaning-001");
        let err = e.append(ada, Some(session), Event::Skip { item }).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert!(err.message.contains("Ada is archived"), "{}", err.message);
        assert_eq!(e.store().read(|tx| tx.event_count(ada)).unwrap(), before, "nothing recorded");
        e.append(ada, Some(session), Event::SessionEnd { reason: Some("finished".into()) })
            .unwrap();
    }

    /// A symbolic link put by hand into an installed pack's folder (an install never writes one)
    /// is not followed, for a file or a folder on the way, and a file that is not a regular one
    /// or is larger than a pack may hold is not read: `/dev/zero` would fill the memory.
    #[cfg(unix)]
    #[test]
    fn media_follows_no_link_and_reads_no_more_than_a_pack_holds() {
        let data = tempfile::tempdir().unwrap();
        let mut e = Engine::open(data.path(), EngineOptions::default()).unwrap();
        e.install_pack(&fractions(), false).unwrap();
        let media = data.path().join("packs/fractions/1.0.0/media");
        let secret = data.path().join("secret.txt");
        std::fs::write(&secret, "SECRET").unwrap();
        let pie = media.join("pie-3-4.svg");
        std::fs::remove_file(&pie).unwrap();
        std::os::unix::fs::symlink(&secret, &pie).unwrap();
        assert_eq!(
            e.pack_media("fractions", "media/pie-3-4.svg").unwrap_err().kind,
            ErrorKind::NotFound
        );
        std::os::unix::fs::symlink("/dev/zero", media.join("zero.svg")).unwrap();
        assert_eq!(
            e.pack_media("fractions", "media/zero.svg").unwrap_err().kind,
            ErrorKind::NotFound
        );
        let outside = data.path().join("elsewhere");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("x.svg"), "<svg/>").unwrap();
        std::os::unix::fs::symlink(&outside, media.join("linked")).unwrap();
        assert_eq!(
            e.pack_media("fractions", "media/linked/x.svg").unwrap_err().kind,
            ErrorKind::NotFound
        );
        let big = std::fs::File::create(media.join("big.png")).unwrap();
        big.set_len(ladder_pack::limits::MAX_MEDIA_BYTES + 1).unwrap();
        let err = e.pack_media("fractions", "media/big.png").unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadRequest);
        assert!(!err.message.contains(&data.path().display().to_string()), "{}", err.message);
        assert!(
            e.pack_media("fractions", "media/bar-3-8.svg").is_ok(),
            "the pack's own files still are"
        );
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(parse_version("1.10.0") > parse_version("1.9.2"));
        // A pre-release is older than its release, as the store (and semantic versioning) has
        // it: a preload folder's 1.1.0-beta beside an installed 1.1.0 was reported as a problem
        // at every start, since it read as the same version with other content.
        assert!(parse_version("2.0.1-beta") < parse_version("2.0.1"));
        assert!(older_than("1.1.0-beta", "1.1.0"));
        assert!(!older_than("1.1.0", "1.1.0-beta"));
        assert_eq!(parse_version("1.0"), None);
    }
}
