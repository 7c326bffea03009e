//! The commands of the settings screen and the tutor area, and the background training job.
//!
//! - **Tutor lock.** When a tutor PIN is set, the tutor area and the settings that change the
//!   device (PIN, restore, training) need it: [`unlock_tutor`] checks it (argon2, in the store)
//!   and marks this run of the app unlocked until [`lock_tutor`] or the app closes. The check is
//!   made here in Rust on every such command, not only by the screens.
//! - **Training.** [`start_training`] ("Train now") and the end of every practice session
//!   ([`train_after_sessions`] watches for `end_session`) start `ladder_engine::training::run_training`
//!   on its own thread with its own store connection, so the window and the engine keep serving.
//!   Progress reaches the screen through a Tauri [`Channel`] (no event permission needed);
//!   [`cancel_training`] sets the job's abort flag. When the job reports `improved` (the new
//!   model beat the current one on held-back answers and is now active in the store), the
//!   engine's predictor is swapped with `training::use_active_model`.
//! - **Backups.** Listed and taken with `ladder_engine::admin`; a restore closes the engine,
//!   replaces the database (the old file is kept aside) and opens it again.
//! - **Reports.** Built by `ladder-report` from a connection of their own and the model the
//!   engine would pick; the screen shows `render_html_fragment` (styled by the stylesheet file
//!   `ui/src/tutor/report.css`, which a test keeps equal to `ladder_report::REPORT_CSS`) and the
//!   exports are written by `ladder_report::write_report`, so the screen and the files match.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use ladder_engine::admin::{self as core, Admin, BackupView, ModelStatus, RestoreView};
use ladder_engine::training::{self, JobPhase, JobProgress, JobReport, TrainJob};
use ladder_engine::{Engine, EngineOptions, ErrorKind};
use ladder_report::{Format, Language, Report, ReportRequest, Scope};
use ladder_store::{LearnerId, OpenOptions, Store, Timestamp};
use serde::{Deserialize, Serialize};
use tauri::ipc::{Channel, Invoke};
use tauri::{AppHandle, Manager, State};

use crate::error::{error, from_engine, internal, refusal, AppError, Result};
use crate::state::AppState;
use ladder_engine::error::{Reason, ReasonValues};

/// A new automatic training job starts after a session only when at least this many events
/// were logged since the last job (or since the active model was trained): a short session
/// adds too little to change the model.
pub const AUTO_TRAIN_MIN_NEW_EVENTS: i64 = 40;

/// After a job that trained on every answer and kept the model in use (none of the device's
/// models has beaten the bundled one yet, so each job starts from it and learns every answer
/// again), the next job after a session waits until the log has grown by this share of it (a
/// tenth) instead of [`AUTO_TRAIN_MIN_NEW_EVENTS`]: such a job costs as much as the whole
/// history (5 s after a session at a year of a class), and one more session changes little of
/// what it would learn. A job that keeps its model trains on what is new from then on, at a
/// cost that follows the new answers.
pub const AUTO_TRAIN_GROWTH_AFTER_KEPT: i64 = 10;

/// The refusals of a restore, a deletion and a rollback while a training job runs, sent with the
/// reason `training_busy` (the screens say them in the UI's language by that reason).
pub const TRAINING_BUSY_RESTORE: &str =
    "a training job is running: cancel it or wait, then restore";
pub const TRAINING_BUSY_DELETE: &str =
    "a training job is reading the history: cancel it or wait, then delete";
pub const TRAINING_BUSY_ROLLBACK: &str =
    "a training job is running: cancel it or wait, then go back to the previous model";

/// Where the bundled default model lives: `$LADDER_MODEL_DIR`, else `models/default` of the
/// checkout the app was built from (like the preload packs, a development default), when it
/// exists. `None`: the built-in predictor is the starting point.
pub fn bundled_model_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LADDER_MODEL_DIR").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("models").join("default")
    });
    dir.is_dir().then_some(dir)
}

// ----- state -------------------------------------------------------------------------------

/// What the admin commands share (handed to Tauri with `.manage()`).
pub struct AdminState {
    unlocked: AtomicBool,
    /// Admin commands hold it shared; a restore holds it exclusively, so no connection of ours
    /// is open while the database file is replaced.
    files: RwLock<()>,
    pub jobs: TrainingJobs,
}

impl Default for AdminState {
    fn default() -> Self {
        AdminState {
            unlocked: AtomicBool::new(false),
            files: RwLock::new(()),
            jobs: TrainingJobs::default(),
        }
    }
}

impl AdminState {
    /// Runs `f` on a fresh admin connection to `data_dir` (shared with other admin commands,
    /// never during a restore).
    fn with_admin<T>(
        &self,
        data_dir: &Path,
        f: impl FnOnce(&mut Admin) -> ladder_engine::Result<T>,
    ) -> Result<T> {
        let _shared = self.files.read().map_err(|_| internal("the admin lock was poisoned"))?;
        let mut admin = Admin::open(data_dir).map_err(from_engine)?;
        f(&mut admin).map_err(from_engine)
    }

    /// Fails unless no PIN is set or this run of the app was unlocked with it.
    fn require_unlocked(&self, data_dir: &Path) -> Result<()> {
        if self.unlocked.load(Ordering::SeqCst) || !self.with_admin(data_dir, |a| a.has_pin())? {
            return Ok(());
        }
        Err(refusal(Reason::TutorLocked, "the tutor area is locked: enter the tutor PIN first"))
    }
}

/// Runs blocking work on the blocking thread pool, never on the thread that drives the window.
async fn off_ui<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| internal(format!("a background task failed: {e}")))?
}

// ----- the training job --------------------------------------------------------------------

/// Why a job started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// "Train now" in the settings screen.
    Manual,
    /// A practice session ended.
    SessionEnd,
}

/// How a finished job ended (the training outcomes, plus `failed` for an error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingResult {
    pub job: u64,
    pub trigger: Trigger,
    /// `improved`, `kept_current`, `cancelled`, `not_enough_data` or `failed`.
    pub outcome: String,
    pub message: String,
    /// The job's full report (absent when it failed).
    pub report: Option<serde_json::Value>,
    pub finished_ms: i64,
}

/// A job in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunningJob {
    pub job: u64,
    pub trigger: Trigger,
    pub started_ms: i64,
    /// `loading`, `training`, `evaluating` or `saving`.
    pub phase: String,
    /// Overall progress, 0 to 1.
    pub fraction: f32,
    pub epoch: usize,
    pub epochs: usize,
    pub loss: Option<f32>,
    pub held_back_auc: Option<f64>,
    /// Cancel was asked for and the job is stopping.
    pub cancelling: bool,
}

/// What the settings screen shows about training.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrainingStatus {
    pub running: Option<RunningJob>,
    pub last: Option<TrainingResult>,
}

/// What a training channel receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TrainingEvent {
    Progress(RunningJob),
    Finished(TrainingResult),
}

/// Where events go: returns `false` when the receiver is gone.
pub type Sink = Box<dyn Fn(&TrainingEvent) -> bool + Send>;

#[derive(Default)]
struct Jobs {
    running: Option<(RunningJob, Arc<AtomicBool>)>,
    last: Option<TrainingResult>,
    /// Event count when the last job started.
    last_start_events: Option<i64>,
    /// Event count when the last job started, when it trained on every answer and kept the
    /// model in use (see [`AUTO_TRAIN_GROWTH_AFTER_KEPT`]).
    kept_after_all: Option<i64>,
    sink: Option<Sink>,
}

/// At most one training job at a time, its progress, the last result, and the screen watching.
#[derive(Default, Clone)]
pub struct TrainingJobs {
    inner: Arc<Mutex<Jobs>>,
    next: Arc<AtomicU64>,
}

/// Overall progress of a job from its phase and step.
pub fn fraction(p: &JobProgress) -> f32 {
    match p.phase {
        JobPhase::Loading => 0.0,
        JobPhase::Evaluating if p.epochs == 0 => 0.03,
        JobPhase::Training | JobPhase::Evaluating => {
            let epochs = p.epochs.max(1) as f32;
            let step = if p.steps == 0 { 0.0 } else { p.step as f32 / p.steps as f32 };
            0.05 + 0.9 * ((p.epoch as f32 + step.min(1.0)) / epochs).min(1.0)
        }
        JobPhase::Saving => 0.97,
    }
}

fn phase_name(p: JobPhase) -> &'static str {
    match p {
        JobPhase::Loading => "loading",
        JobPhase::Training => "training",
        JobPhase::Evaluating => "evaluating",
        JobPhase::Saving => "saving",
    }
}

impl TrainingJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, Jobs> {
        // A panic while holding this lock can only come from a sink; the data stays usable.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn status(&self) -> TrainingStatus {
        let j = self.lock();
        TrainingStatus { running: j.running.as_ref().map(|(r, _)| r.clone()), last: j.last.clone() }
    }

    pub fn is_running(&self) -> bool {
        self.lock().running.is_some()
    }

    /// Sends the job's events to `sink` from now on (replacing the previous watcher: one
    /// settings screen at a time). A running job's state is sent at once.
    pub fn watch(&self, sink: Sink) {
        let mut j = self.lock();
        if let Some((r, _)) = &j.running {
            sink(&TrainingEvent::Progress(r.clone()));
        }
        j.sink = Some(sink);
    }

    fn emit(j: &mut Jobs, event: &TrainingEvent) {
        if let Some(s) = &j.sink {
            if !s(event) {
                j.sink = None;
            }
        }
    }

    /// Asks the running job to stop; `false` when none runs.
    pub fn cancel(&self) -> bool {
        let mut j = self.lock();
        let Some((r, abort)) = j.running.as_mut() else { return false };
        abort.store(true, Ordering::SeqCst);
        r.cancelling = true;
        let event = TrainingEvent::Progress(r.clone());
        Self::emit(&mut j, &event);
        true
    }

    /// Whether a job after a session is worth starting with `events` in the log and the active
    /// model trained through `trained_through`.
    pub fn auto_due(&self, events: i64, trained_through: Option<i64>) -> bool {
        let j = self.lock();
        if j.running.is_some() {
            return false;
        }
        let since = j.last_start_events.max(trained_through).unwrap_or(0);
        let needed = j.kept_after_all.map_or(AUTO_TRAIN_MIN_NEW_EVENTS, |at| {
            AUTO_TRAIN_MIN_NEW_EVENTS.max(at / AUTO_TRAIN_GROWTH_AFTER_KEPT)
        });
        events - since >= needed
    }

    /// Starts `work` on a new thread unless a job is running (then `None`). `work` gets the
    /// progress callback and the abort flag; `after` runs on the same thread with its report
    /// before the result is published.
    pub fn start<W, A>(
        &self,
        trigger: Trigger,
        events: i64,
        work: W,
        after: A,
    ) -> Option<RunningJob>
    where
        W: FnOnce(
                &mut (dyn FnMut(&JobProgress) + Send),
                Arc<AtomicBool>,
            ) -> ladder_engine::Result<JobReport>
            + Send
            + 'static,
        A: FnOnce(&JobReport) + Send + 'static,
    {
        let abort = Arc::new(AtomicBool::new(false));
        let running = {
            let mut j = self.lock();
            if j.running.is_some() {
                return None;
            }
            let job = self.next.fetch_add(1, Ordering::SeqCst) + 1;
            let r = RunningJob {
                job,
                trigger,
                started_ms: Timestamp::now().0,
                phase: "loading".into(),
                fraction: 0.0,
                epoch: 0,
                epochs: 0,
                loss: None,
                held_back_auc: None,
                cancelling: false,
            };
            j.running = Some((r.clone(), abort.clone()));
            j.last_start_events = Some(events);
            Self::emit(&mut j, &TrainingEvent::Progress(r.clone()));
            r
        };
        let jobs = self.clone();
        let job = running.job;
        let spawned = std::thread::Builder::new().name("ladder-training".into()).spawn(move || {
            let progress_jobs = jobs.clone();
            let mut progress = move |p: &JobProgress| {
                let mut j = progress_jobs.lock();
                let Some((r, _)) = j.running.as_mut() else { return };
                r.phase = phase_name(p.phase).into();
                r.fraction = fraction(p).max(r.fraction);
                if p.epochs > 0 {
                    r.epoch = p.epoch;
                    r.epochs = p.epochs;
                }
                r.loss = p.loss.or(r.loss);
                r.held_back_auc = p.held_back_auc.or(r.held_back_auc);
                let event = TrainingEvent::Progress(r.clone());
                Self::emit(&mut j, &event);
            };
            let outcome = work(&mut progress, abort);
            let kept_after_all = matches!(&outcome, Ok(r)
                if r.outcome == training::Outcome::KeptCurrent
                    && r.train_answers > 0
                    && r.new_answers >= r.train_answers);
            let result = match outcome {
                Ok(report) => {
                    after(&report);
                    TrainingResult {
                        job,
                        trigger,
                        outcome: serde_json::to_value(report.outcome)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_else(|| format!("{:?}", report.outcome)),
                        message: report.message.clone(),
                        report: serde_json::to_value(&report).ok(),
                        finished_ms: Timestamp::now().0,
                    }
                }
                Err(e) => TrainingResult {
                    job,
                    trigger,
                    outcome: "failed".into(),
                    message: format!("training failed: {e}"),
                    report: None,
                    finished_ms: Timestamp::now().0,
                },
            };
            let mut j = jobs.lock();
            j.running = None;
            j.kept_after_all = if kept_after_all { j.last_start_events } else { None };
            j.last = Some(result.clone());
            Self::emit(&mut j, &TrainingEvent::Finished(result));
        });
        if let Err(e) = spawned {
            let mut j = self.lock();
            j.running = None;
            let result = TrainingResult {
                job,
                trigger,
                outcome: "failed".into(),
                message: format!("cannot start the training thread: {e}"),
                report: None,
                finished_ms: Timestamp::now().0,
            };
            j.last = Some(result.clone());
            Self::emit(&mut j, &TrainingEvent::Finished(result));
        }
        Some(running)
    }
}

/// Starts the real training job on the data directory, swapping the engine's predictor when
/// the job installs a better model. `None` when a job is already running.
/// What an attempt to start a training job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobStart {
    Started,
    /// A job was running already (it goes on).
    AlreadyRunning,
    /// A learner deletion or a restore holds the files (it takes them alone).
    FilesHeld,
    /// The files' lock was poisoned by a panic.
    Broken,
}

fn start_job(app: &AppHandle, trigger: Trigger, events: i64) -> JobStart {
    let state = app.state::<AppState>();
    let admin = app.state::<AdminState>();
    let data_dir = state.paths.data_dir.clone();
    let handle = app.clone();
    // Not while a learner is deleted or a backup restored (they hold the lock exclusively): the
    // job would read the history being erased or replaced. Held while the job registers, so
    // a deletion that takes the lock next sees the job running and waits for it.
    let _shared = match admin.files.try_read() {
        Ok(guard) => guard,
        Err(std::sync::TryLockError::WouldBlock) => return JobStart::FilesHeld,
        Err(std::sync::TryLockError::Poisoned(_)) => return JobStart::Broken,
    };
    let started = admin.jobs.start(
        trigger,
        events,
        move |progress, abort| {
            let job = TrainJob { bundled: bundled_model_dir(), ..TrainJob::default() };
            training::run_training(&data_dir, &job, progress, abort)
        },
        move |report| {
            // A new model, or one set aside for what it learnt from a deleted learner (a learner
            // deleted by `ladder learner delete` while the app ran): the engine runs what the
            // registry says now.
            if report.outcome == training::Outcome::Improved || report.unlearned.is_some() {
                let bundled = bundled_model_dir();
                let swapped = handle.state::<AppState>().run_blocking(move |engine| {
                    Ok(training::use_active_model(engine, bundled.as_deref()))
                });
                if let Err(e) = swapped {
                    eprintln!("ladder-app: the new model could not be put to use: {}", e.message);
                }
            }
        },
    );
    if started.is_some() {
        JobStart::Started
    } else {
        JobStart::AlreadyRunning
    }
}

/// Called when a practice session ends: starts a training job in the background when enough
/// new events were logged since the last one.
pub fn session_ended(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let data_dir = app.state::<AppState>().paths.data_dir.clone();
        let admin = app.state::<AdminState>();
        let counts = admin.with_admin(&data_dir, session_counts);
        match counts {
            Ok((events, trained)) if admin.jobs.auto_due(events, trained) => {
                start_job(&app, Trigger::SessionEnd, events);
            }
            Ok(_) => {}
            Err(e) => eprintln!("ladder-app: no training after the session: {}", e.message),
        }
    });
}

/// What decides whether a job starts after a session ([`TrainingJobs::auto_due`]): the events in
/// the log, and the newest event a device model was trained through (after a rollback, the
/// model gone back from: a job on no more than its answers would only make it again).
fn session_counts(a: &mut Admin) -> ladder_engine::Result<(i64, Option<i64>)> {
    let events = logged_events(a)?;
    let trained = training::newest_trained_through(a.store(), None)?;
    Ok((events, trained.map(|e| e.0)))
}

/// The id of the newest event in the log (0 when none): what a job counts new events from. (Not
/// through `Admin::model_status`, which also reads every model version and loads checkpoints to
/// say what going back would do.)
fn logged_events(a: &Admin) -> ladder_engine::Result<i64> {
    Ok(a.store().read(|tx| tx.last_event_id())?.map_or(0, |e| e.0))
}

/// Wraps the app's command handler so that every `end_session` also calls [`session_ended`].
/// (The job reads only answers, which are stored before `end_session` runs.)
pub fn train_after_sessions<F>(handler: F) -> impl Fn(Invoke) -> bool + Send + Sync + 'static
where
    F: Fn(Invoke) -> bool + Send + Sync + 'static,
{
    move |invoke: Invoke| {
        if invoke.message.command() == "end_session" {
            session_ended(invoke.message.webview().app_handle());
        }
        handler(invoke)
    }
}

fn channel_sink(channel: Channel<TrainingEvent>) -> Sink {
    Box::new(move |event| channel.send(event.clone()).is_ok())
}

// ----- wire types --------------------------------------------------------------------------

/// Everything the settings screen needs to draw itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub has_pin: bool,
    /// No PIN, or unlocked in this run of the app.
    pub unlocked: bool,
    pub language: String,
    pub languages: Vec<String>,
    pub data_dir: String,
    pub backups_dir: String,
}

/// The model and what training is doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelOverview {
    pub model: ModelStatus,
    pub training: TrainingStatus,
}

/// The learners and courses a tutor can report on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TutorChoices {
    pub learners: Vec<ladder_engine::view::LearnerInfo>,
    /// Archived learners: out of the picker and the class report, still reportable one by one.
    pub archived: Vec<ladder_engine::view::LearnerInfo>,
    pub courses: Vec<ladder_engine::view::CourseInfo>,
}

/// Which report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// `learner` (then `learner` is required) or `class` (every learner on the device).
    pub scope: String,
    pub learner: Option<i64>,
    /// One course, or every course with history.
    pub course: Option<String>,
    /// The days of the "recent activity" part (1 to 365); `None`:
    /// [`ladder_report::DEFAULT_RECENT_DAYS`].
    #[serde(default)]
    pub recent_days: Option<u32>,
    /// The report on screen, for an export: its "now" and the history it counted, so that the
    /// file is that report even when learners practised since (`Source::as_shown`). `None`: a
    /// new report, now.
    #[serde(default)]
    pub as_of: Option<ReportAsOf>,
}

/// When a report was made and what it counted ([`ReportView`]'s fields, passed back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAsOf {
    pub generated_ms: i64,
    pub through: ladder_report::Through,
    /// The learners of the report shown ([`ReportView::learners`]): a class report is built for
    /// them, so that a learner archived then and brought back since does not join the file
    /// (the store keeps only the latest archiving).
    #[serde(default)]
    pub learners: Vec<i64>,
}

/// A report as the tutor area shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    /// `render_html_fragment`: one `<div class="ladder-report">`, text escaped, no script, no
    /// inline style.
    pub html: String,
    pub predictor: String,
    pub generated_ms: i64,
    /// The history the report counted (with `generated_ms`, an export's `as_of`).
    pub through: ladder_report::Through,
    /// Learners whose data the report contains.
    pub learners: Vec<i64>,
}

/// The files an export wrote (empty when the save dialog was cancelled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportResult {
    pub files: Vec<String>,
}

// ----- commands: PIN, language, folders ------------------------------------------------------

/// Runs `work` with the app's states on the blocking thread pool: database work and argon2 never
/// run on the window's thread or the async runtime's.
async fn blocking<T: Send + 'static>(
    app: &AppHandle,
    work: impl FnOnce(&AppState, &AdminState) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = app.clone();
    off_ui(move || work(&app.state::<AppState>(), &app.state::<AdminState>())).await
}

#[tauri::command]
pub async fn admin_overview(app: AppHandle) -> Result<AdminOverview> {
    blocking(&app, |state, admin| {
        let data_dir = &state.paths.data_dir;
        let unlocked = admin.unlocked.load(Ordering::SeqCst);
        let (has_pin, language) =
            admin.with_admin(data_dir, |a| Ok((a.has_pin()?, a.language()?)))?;
        Ok(AdminOverview {
            has_pin,
            unlocked: unlocked || !has_pin,
            language,
            languages: core::LANGUAGES.iter().map(|s| (*s).to_owned()).collect(),
            data_dir: data_dir.display().to_string(),
            backups_dir: data_dir.join(core::BACKUP_FOLDER).display().to_string(),
        })
    })
    .await
}

/// Unlocks the tutor area for this run of the app; `false` for a wrong PIN.
#[tauri::command]
pub async fn unlock_tutor(app: AppHandle, pin: String) -> Result<bool> {
    blocking(&app, move |state, admin| {
        let ok = admin
            .with_admin(&state.paths.data_dir, |a| Ok(!a.has_pin()? || a.verify_pin(&pin)?))?;
        if ok {
            admin.unlocked.store(true, Ordering::SeqCst);
        }
        Ok(ok)
    })
    .await
}

#[tauri::command]
pub fn lock_tutor(admin: State<'_, AdminState>) {
    admin.unlocked.store(false, Ordering::SeqCst);
}

/// Sets or changes the PIN (`current` is required when one is set). Leaves the app unlocked.
#[tauri::command]
pub async fn set_tutor_pin(app: AppHandle, current: Option<String>, pin: String) -> Result<()> {
    blocking(&app, move |state, admin| {
        admin.with_admin(&state.paths.data_dir, |a| a.set_pin(current.as_deref(), &pin))?;
        admin.unlocked.store(true, Ordering::SeqCst);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn clear_tutor_pin(app: AppHandle, current: String) -> Result<()> {
    blocking(&app, move |state, admin| {
        admin.with_admin(&state.paths.data_dir, |a| a.clear_pin(&current))
    })
    .await
}

#[tauri::command]
pub async fn set_language(app: AppHandle, language: String) -> Result<String> {
    blocking(&app, move |state, admin| {
        admin.with_admin(&state.paths.data_dir, |a| a.set_language(&language))
    })
    .await
}

/// Opens the data folder in the system's file manager (a fixed path: nothing from the page
/// reaches the command line).
#[tauri::command]
pub async fn open_data_folder(state: State<'_, AppState>) -> Result<()> {
    let dir = state.paths.data_dir.clone();
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    spawn_reaped(std::process::Command::new(opener).arg(&dir)).map(|_| ()).map_err(|e| {
        error(ErrorKind::Internal, format!("cannot run {opener} to open {}: {e}", dir.display()))
    })
}

/// Starts `command` without waiting for it, and waits for it on a thread of its own: a child
/// that is never waited for stays in the process table as a zombie until the app exits (one
/// more for every press of "Open folder").
fn spawn_reaped(command: &mut std::process::Command) -> std::io::Result<u32> {
    let mut child = command.spawn()?;
    let pid = child.id();
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(pid)
}

// ----- commands: model and training ----------------------------------------------------------

#[tauri::command]
pub async fn model_overview(app: AppHandle, state: State<'_, AppState>) -> Result<ModelOverview> {
    let (predictor, running) = state
        .run(|e| Ok((e.predictor_name().to_owned(), e.model_info().map(|i| i.source.clone()))))
        .await?;
    blocking(&app, move |state, admin| {
        let model = admin.with_admin(&state.paths.data_dir, |a| {
            let status = a.model_status(&predictor, compute_device())?;
            as_running(status, running.as_ref(), |id| a.model_version_view(id))
        })?;
        Ok(ModelOverview { model, training: admin.jobs.status() })
    })
    .await
}

/// The model status as the engine runs it. The registry's active version is the one last
/// activated; the engine may run another: the bundled model when that version's checkpoint did
/// not load, or an older version when `ladder train` activated a newer one after the app opened
/// (it is picked up at the next start), even one removed as old since. The screen names what
/// runs.
fn as_running(
    mut status: ModelStatus,
    running: Option<&training::ModelSource>,
    view: impl Fn(i64) -> ladder_engine::Result<Option<core::ModelVersionView>>,
) -> ladder_engine::Result<ModelStatus> {
    match running {
        Some(training::ModelSource::FineTuned { version, checkpoint, .. })
            if status.active.as_ref().map(|a| a.id) != Some(*version) =>
        {
            // A version the registry no longer has (a job removed it as old while this one
            // ran it): what the engine says of it, rather than no fine-tuned model at all.
            status.active = Some(view(*version)?.unwrap_or_else(|| core::ModelVersionView {
                id: *version,
                checkpoint: checkpoint.to_string_lossy().into_owned(),
                created_ms: 0,
                trained_through_event: None,
                trained_through_ms: None,
                metrics: serde_json::Value::Null,
            }));
        }
        Some(training::ModelSource::Bundled { .. } | training::ModelSource::BuiltIn) => {
            status.active = None;
        }
        // The active version runs, or where the models came from is not known.
        _ => {}
    }
    Ok(status)
}

/// Where the learner model computes in this build.
fn compute_device() -> &'static str {
    // The app is built without the `cuda` feature (docs/model.md, GPU section).
    "cpu"
}

/// "Train now": starts a job (or, when one runs, watches it) and sends its events to
/// `on_event`.
#[tauri::command]
pub async fn start_training(
    app: AppHandle,
    on_event: Channel<TrainingEvent>,
) -> Result<TrainingStatus> {
    let handle = app.clone();
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        admin.jobs.watch(channel_sink(on_event));
        let events = admin.with_admin(&state.paths.data_dir, |a| logged_events(a))?;
        let started = start_job(&handle, Trigger::Manual, events);
        manual_start(started, admin.jobs.status())
    })
    .await
}

/// What "Train now" answers: the status with the job it started, or the one already running
/// (or its result, when it finished meanwhile); when a learner deletion or a restore held the
/// files (they take them alone), that is said, so that the button does not wait for a job that
/// never started.
fn manual_start(start: JobStart, status: TrainingStatus) -> Result<TrainingStatus> {
    match start {
        JobStart::Started | JobStart::AlreadyRunning => Ok(status),
        JobStart::FilesHeld => Err(error(
            ErrorKind::Conflict,
            "a learner is being deleted or a backup restored: train again in a moment",
        )),
        JobStart::Broken => Err(internal("the admin lock was poisoned")),
    }
}

/// "Go back to model N": makes the device's model version before the one in use active again
/// (`training::rollback`: the newest older one that loads and did not learn from a deleted
/// learner, or none, and then the bundled model runs) and puts it to use at once. `from` and `to`
/// are what the screen offered ([`ModelStatus::rollback`]): when that is no longer what a
/// rollback would do, nothing is done. Refused while a training job runs: its model would be
/// compared with the one rolled back from.
#[tauri::command]
pub async fn rollback_model(
    app: AppHandle,
    from: i64,
    to: Option<i64>,
) -> Result<training::Rollback> {
    blocking(&app, move |state, admin| {
        let data_dir = state.paths.data_dir.clone();
        admin.require_unlocked(&data_dir)?;
        let _shared = admin.files.read().map_err(|_| internal("the admin lock was poisoned"))?;
        if admin.jobs.is_running() {
            return Err(refusal(Reason::TrainingBusy, TRAINING_BUSY_ROLLBACK));
        }
        let offered = training::Switch { from, to };
        state.run_blocking(move |engine| {
            rollback_offered(engine, &data_dir, bundled_model_dir().as_deref(), offered)
        })
    })
    .await
}

/// Rolls the device's model back if that still goes from and to the versions `offered`, and
/// installs the models in use in `engine`.
fn rollback_offered(
    engine: &mut Engine,
    data_dir: &Path,
    bundled: Option<&Path>,
    offered: training::Switch,
) -> ladder_engine::Result<training::Rollback> {
    let now = training::rollback_target(engine.store(), None)?;
    if now != Some(offered) {
        return Err(ladder_engine::Error::refusal(
            Reason::ModelChanged,
            ReasonValues::default(),
            "the model in use or the one before it changed since the screen was drawn: nothing \
             was rolled back (look at the model again)",
        ));
    }
    let done = training::rollback(data_dir, None)?;
    training::use_active_model(engine, bundled);
    Ok(done)
}

/// Sends the running job's events (if any, and of later jobs) to `on_event`.
#[tauri::command]
pub fn watch_training(
    admin: State<'_, AdminState>,
    on_event: Channel<TrainingEvent>,
) -> TrainingStatus {
    admin.jobs.watch(channel_sink(on_event));
    admin.jobs.status()
}

/// Cancels the running job; `false` when none runs.
#[tauri::command]
pub fn cancel_training(admin: State<'_, AdminState>) -> bool {
    admin.jobs.cancel()
}

// ----- commands: backups -------------------------------------------------------------------

#[tauri::command]
pub async fn list_backups(app: AppHandle) -> Result<Vec<BackupView>> {
    blocking(&app, |state, admin| admin.with_admin(&state.paths.data_dir, |a| Ok(a.backups())))
        .await
}

#[tauri::command]
pub async fn backup_now(app: AppHandle) -> Result<BackupView> {
    blocking(&app, |state, admin| admin.with_admin(&state.paths.data_dir, |a| a.backup_now())).await
}

/// Replaces the database with a backup: closes the engine, restores (the replaced file is kept
/// aside), opens the engine again (installing newer preload packs and the active model).
#[tauri::command]
pub async fn restore_backup(app: AppHandle, name: String) -> Result<RestoreView> {
    blocking(&app, move |state, admin| {
        let data_dir = state.paths.data_dir.clone();
        admin.require_unlocked(&data_dir)?;
        if admin.jobs.is_running() {
            return Err(refusal(Reason::TrainingBusy, TRAINING_BUSY_RESTORE));
        }
        // Check the file before closing anything.
        let path = core::backup_path(&data_dir, &name).map_err(from_engine)?;
        let problems = ladder_store::check_backup(&path);
        if !problems.is_empty() {
            return Err(error(
                ErrorKind::Conflict,
                format!("{name} is not a usable backup: {}", problems.join("; ")),
            ));
        }
        let _exclusive =
            admin.files.write().map_err(|_| internal("the admin lock was poisoned"))?;
        // Again under the lock: a job that started meanwhile would read the replaced file.
        if admin.jobs.is_running() {
            return Err(refusal(Reason::TrainingBusy, TRAINING_BUSY_RESTORE));
        }
        let packs_dir = state.paths.packs_dir.clone();
        state.run_blocking(move |engine| restore_under(engine, &data_dir, &packs_dir, &name))
    })
    .await
}

/// Swaps `engine` for a placeholder on an empty temporary store (so the real connection is
/// closed), restores, and opens the real engine again in its place.
fn restore_under(
    engine: &mut Engine,
    data_dir: &Path,
    packs_dir: &Path,
    name: &str,
) -> ladder_engine::Result<RestoreView> {
    let scratch = std::env::temp_dir().join(format!("ladder-restore-{}", std::process::id()));
    let placeholder = Engine::with_store(Store::open(&scratch)?, EngineOptions::default());
    let real = std::mem::replace(engine, placeholder);
    drop(real);
    let restored = core::restore_backup(data_dir, name);
    // Open the real database again whether or not the restore worked.
    let options = EngineOptions {
        client: "app".into(),
        store: OpenOptions::default(),
        ..EngineOptions::default()
    };
    let reopened = Engine::open(data_dir, options).and_then(|mut e| {
        e.preload_packs(packs_dir)?;
        training::use_active_model(&mut e, bundled_model_dir().as_deref());
        Ok(e)
    });
    match reopened {
        Ok(e) => {
            drop(std::mem::replace(engine, e));
            let _ = std::fs::remove_dir_all(&scratch);
            restored
        }
        Err(e) => Err(ladder_engine::Error::new(
            e.kind,
            format!("the database could not be opened again ({e}); restart Ladder"),
        )),
    }
}

// ----- commands: the tutor's learner list --------------------------------------------------

/// What deleting a learner removed, for the tutor area's message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletionView {
    pub name: String,
    pub events_deleted: u64,
    pub backups_cleaned: usize,
    pub exports_deleted: usize,
    /// Things that could not be cleaned (a damaged backup, a changed export): each says what to
    /// do by hand.
    pub warnings: Vec<String>,
    /// The model versions that had learnt from their answers, set aside with their checkpoints
    /// (`training::forget_deleted_learners`), and what runs instead; `None` when no model had.
    #[serde(default)]
    pub unlearned: Option<training::Unlearned>,
}

/// Every learner, archived ones too, with their answers and latest activity.
#[tauri::command]
pub async fn learner_roster(app: AppHandle) -> Result<Vec<ladder_engine::view::RosterEntry>> {
    blocking(&app, |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        state.run_blocking(|e| e.learner_roster())
    })
    .await
}

#[tauri::command]
pub async fn rename_learner(
    app: AppHandle,
    learner: i64,
    name: String,
) -> Result<ladder_engine::view::LearnerInfo> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        state.run_blocking(|e| e.rename_learner(LearnerId(learner), &name))
    })
    .await
}

/// Takes a learner out of the picker; every answer is kept and reports still cover them.
#[tauri::command]
pub async fn archive_learner(app: AppHandle, learner: i64) -> Result<()> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        state.run_blocking(|e| e.archive_learner(LearnerId(learner)))
    })
    .await
}

#[tauri::command]
pub async fn unarchive_learner(app: AppHandle, learner: i64) -> Result<()> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        state.run_blocking(|e| e.unarchive_learner(LearnerId(learner)))
    })
    .await
}

/// Erases an archived learner for good (database, backups, exports, own checkpoints). `name`
/// is the name the tutor confirmed: if the learner was renamed since the screen was drawn,
/// nothing is deleted. Active learners are archived first, so a learner is never erased by
/// one slip; nothing is deleted while a training job reads the history.
#[tauri::command]
pub async fn delete_learner(app: AppHandle, learner: i64, name: String) -> Result<DeletionView> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        // Backups are rewritten: no report, backup, restore or training job may run meanwhile.
        let _exclusive =
            admin.files.write().map_err(|_| internal("the admin lock was poisoned"))?;
        // Checked under the lock: a job starts only while it can take the lock shared.
        if admin.jobs.is_running() {
            return Err(refusal(Reason::TrainingBusy, TRAINING_BUSY_DELETE));
        }
        let bundled = bundled_model_dir();
        state.run_blocking(|e| delete_archived(e, LearnerId(learner), &name, bundled.as_deref()))
    })
    .await
}

fn delete_archived(
    engine: &mut Engine,
    learner: LearnerId,
    confirmed: &str,
    bundled: Option<&Path>,
) -> ladder_engine::Result<DeletionView> {
    use ladder_engine::error::OrNotFound;
    let entry =
        engine.store().read(|tx| tx.learner(learner))?.or_not_found("learner", learner.0)?;
    if entry.archived.is_none() {
        return Err(ladder_engine::Error::refusal(
            Reason::LearnerNotArchived,
            ReasonValues { name: Some(entry.name.clone()), ..ReasonValues::default() },
            format!("{} is not archived: archive them first, then delete", entry.name),
        ));
    }
    if entry.name != confirmed {
        return Err(ladder_engine::Error::refusal(
            Reason::LearnerRenamed,
            ReasonValues {
                id: Some(learner.0.to_string()),
                name: Some(entry.name.clone()),
                ..ReasonValues::default()
            },
            format!(
                "learner {} is now named {}, not {confirmed}: nothing was deleted",
                learner.0, entry.name
            ),
        ));
    }
    let name = entry.name.clone();
    let r = engine.delete_learner(learner)?;
    // Their answers leave the models too: a model that learnt from them is set aside at once,
    // and the engine runs what is in use now (the next training job trains without them). The
    // learner is gone whatever happens here: a failure is one of the deletion's warnings (such
    // a model does not run anyway, and the next job sets it aside), not an error that would
    // read as if nothing had been deleted.
    let mut warnings = r.warnings;
    let (unlearned, failed) = engine.forget_deleted_learners();
    // Models in use set aside, or not known not to be: the engine runs what is in use now.
    if !unlearned.is_empty() || failed.is_some() {
        training::use_active_model(engine, bundled);
    }
    warnings.extend(failed);
    Ok(DeletionView {
        name,
        events_deleted: r.events_deleted,
        backups_cleaned: r.backups_cleaned.len(),
        exports_deleted: r.exports_deleted.len(),
        warnings,
        unlearned: (!unlearned.is_empty()).then_some(unlearned),
    })
}

// ----- commands: the tutor's course list ---------------------------------------------------

/// The installed courses and those removed on this device, each removed one with the version
/// the preload folder offers to bring it back.
#[tauri::command]
pub async fn course_roster(app: AppHandle) -> Result<ladder_engine::view::CourseRoster> {
    blocking(&app, |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        let packs_dir = state.paths.packs_dir.clone();
        state.run_blocking(move |e| e.course_roster(Some(&packs_dir)))
    })
    .await
}

/// Removes a course from this device: out of the library, its files deleted, every learner's
/// answers kept; the preload folder leaves it alone until it is brought back or imported.
#[tauri::command]
pub async fn remove_course(
    app: AppHandle,
    pack: String,
) -> Result<ladder_engine::view::CourseRemoval> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        state.run_blocking(|e| e.remove_course(&pack))
    })
    .await
}

/// Brings a removed course back from the preload folder (its newest version there), history
/// kept.
#[tauri::command]
pub async fn restore_course(app: AppHandle, pack: String) -> Result<ladder_store::PackDiff> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        let packs_dir = state.paths.packs_dir.clone();
        state.run_blocking(move |e| e.restore_course(&packs_dir, &pack))
    })
    .await
}

// ----- commands: tutor reports -------------------------------------------------------------

#[tauri::command]
pub async fn tutor_choices(app: AppHandle) -> Result<TutorChoices> {
    blocking(&app, |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        state.run_blocking(|e| {
            Ok(TutorChoices {
                learners: e.list_learners()?,
                archived: e.list_archived_learners()?,
                courses: e.list_courses()?,
            })
        })
    })
    .await
}

/// The request of a query, in `language` (the UI's, so that the report matches the screen).
fn report_request(q: &ReportQuery, language: Language) -> Result<ReportRequest> {
    let scope = match (q.scope.as_str(), q.learner) {
        ("learner", Some(id)) => Scope::Learner(LearnerId(id)),
        ("learner", None) => {
            return Err(error(ErrorKind::BadRequest, "a learner report needs a learner"))
        }
        // The class of the report shown, for its export; else every active learner.
        ("class", _) => match q.as_of.as_ref().filter(|a| !a.learners.is_empty()) {
            Some(a) => Scope::Class(Some(a.learners.iter().map(|&id| LearnerId(id)).collect())),
            None => Scope::Class(None),
        },
        (other, _) => {
            return Err(error(
                ErrorKind::BadRequest,
                format!("unknown report scope `{other}` (expected learner or class)"),
            ))
        }
    };
    Ok(ReportRequest {
        scope,
        course: q.course.clone().filter(|c| !c.is_empty()),
        language,
        recent_days: q.recent_days.unwrap_or(ladder_report::DEFAULT_RECENT_DAYS),
    })
}

fn report_error(e: ladder_report::ReportError) -> AppError {
    let kind = match e.kind() {
        "not_found" => ErrorKind::NotFound,
        "io" | "store" => ErrorKind::Store,
        "bad_request" => ErrorKind::BadRequest,
        "model" => ErrorKind::Model,
        "pack" => ErrorKind::Pack,
        _ => ErrorKind::Internal,
    };
    error(kind, e.to_string())
}

/// Builds a report from a connection of its own, with the engine's thresholds, the model the
/// engine would pick and the UI's language (the tutor area's screen and every export of it are
/// in the language of the app around them).
fn build_report(state: &AppState, admin: &AdminState, q: &ReportQuery) -> Result<Report> {
    with_report(state, admin, q, |report, _| Ok(report))
}

/// Builds the report and hands it to `then` with the store connection it was built from, all
/// under the shared admin lock: a learner deletion (which holds it exclusively) cannot come
/// between reading a learner's data and recording the files written from it.
fn with_report<T>(
    state: &AppState,
    admin: &AdminState,
    q: &ReportQuery,
    then: impl FnOnce(Report, &mut Store) -> Result<T>,
) -> Result<T> {
    let data_dir = state.paths.data_dir.clone();
    // Before the shared lock below: `with_admin` takes it too.
    let tag = admin.with_admin(&data_dir, |a| a.language())?;
    let request = report_request(q, Language::from_tag(&tag).unwrap_or_default())?;
    let settings = state.run_blocking(|e| Ok(e.settings().clone()))?;
    let _shared = admin.files.read().map_err(|_| internal("the admin lock was poisoned"))?;
    let mut store = Store::open(&data_dir).map_err(|e| from_engine(e.into()))?;
    let report = {
        let (predictors, _) =
            training::active_predictors(&store, bundled_model_dir().as_deref(), &settings);
        let mut source = ladder_report::Source::with_predictors(&store, &predictors, &settings);
        if let Some(as_of) = &q.as_of {
            source = source.as_shown(as_of.generated_ms, as_of.through);
        }
        ladder_report::build_report(&source, &request).map_err(report_error)?
    };
    then(report, &mut store)
}

#[tauri::command]
pub async fn tutor_report(app: AppHandle, query: ReportQuery) -> Result<ReportView> {
    blocking(&app, move |state, admin| {
        admin.require_unlocked(&state.paths.data_dir)?;
        let report = build_report(state, admin, &query)?;
        let meta = report.meta();
        Ok(ReportView {
            html: ladder_report::render_html_fragment(&report),
            predictor: meta.predictor.clone(),
            generated_ms: meta.generated_ms,
            through: meta.through,
            learners: report.learners().iter().map(|l| l.id).collect(),
        })
    })
    .await
}

/// The date `20261127` of `now` in `zone`: the day a tutor sees on the calendar (and in the
/// report, which is in the computer's zone), not the UTC day, which is a day off after midnight
/// in Madrid or in the evening in Mexico.
fn file_day(now: Timestamp, zone: &ladder_report::ReportTimeZone) -> String {
    zone.iso_date(now.0).replace('-', "")
}

/// The file name the save dialog proposes, dated by the day in `zone` (the report's).
pub fn export_file_name(
    q: &ReportQuery,
    format: Format,
    now: Timestamp,
    learner_name: Option<&str>,
    zone: &ladder_report::ReportTimeZone,
) -> String {
    let who = match q.learner {
        Some(id) if q.scope == "learner" => match learner_name.map(name_slug) {
            Some(slug) if !slug.is_empty() => format!("{slug}-{id}"),
            _ => format!("learner-{id}"),
        },
        _ => "class".to_owned(),
    };
    let course =
        q.course.as_deref().filter(|c| !c.is_empty()).map(|c| format!("-{c}")).unwrap_or_default();
    let course: String =
        course.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let day = file_day(now, zone);
    format!("ladder-report-{who}{course}-{day}.{}", format.name())
}

/// The save dialog's title in the app's language (the UI's own strings live in the webview).
fn dialog_title(language: Option<&str>) -> &'static str {
    match language.and_then(Language::from_tag).unwrap_or_default() {
        Language::Es => "Exportar el informe",
        Language::En => "Export the report",
    }
}

/// A learner's name as part of a file name: letters and digits (any script) in lower case,
/// anything else as one `-`, at most 40 characters ("Ana López" is `ana-lópez`).
fn name_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(40).collect();
    out.trim_end_matches('-').to_owned()
}

/// The file the tutor chooses in the save dialog, offered as `name` with a filter for
/// `extension` (`None`: the dialog was cancelled); with `$LADDER_EXPORT_DIR` set, `name` in that
/// folder without a dialog (the end-to-end tests).
fn save_target(
    handle: &AppHandle,
    title: &str,
    name: &str,
    extension: &str,
) -> Result<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("LADDER_EXPORT_DIR") {
        return Ok(Some(PathBuf::from(dir).join(name)));
    }
    use tauri_plugin_dialog::DialogExt;
    handle
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(name)
        .add_filter(extension.to_uppercase(), &[extension])
        .blocking_save_file()
        .map(|p| {
            p.into_path().map_err(|e| {
                error(ErrorKind::BadRequest, format!("the chosen file cannot be written: {e}"))
            })
        })
        .transpose()
}

/// The name offered for a learner's data: `ladder-learner-ana-lópez-4-20261127.json`, dated by
/// the day in `zone` (the computer's).
pub fn learner_data_file_name(
    id: i64,
    name: &str,
    now: Timestamp,
    zone: &ladder_report::ReportTimeZone,
) -> String {
    let slug = name_slug(name);
    let who = if slug.is_empty() { format!("learner-{id}") } else { format!("{slug}-{id}") };
    format!("ladder-learner-{who}-{}.json", file_day(now, zone))
}

/// Writes everything stored about one learner (their profile, every event, their own models:
/// `ladder learner export`, `docs/store.md`) as JSON to a file the tutor chooses. The file is
/// recorded, so deleting the learner later deletes it too while it is unchanged.
#[tauri::command]
pub async fn export_learner_data(app: AppHandle, learner: i64) -> Result<ExportResult> {
    let handle = app.clone();
    off_ui(move || {
        let (state, admin) = (handle.state::<AppState>(), handle.state::<AdminState>());
        admin.require_unlocked(&state.paths.data_dir)?;
        let (name, language) = state.run_blocking(|e| {
            let read = |tx: &ladder_store::Tx<'_>| {
                let l = tx.learner(LearnerId(learner))?;
                Ok((l.map(|l| l.name), tx.setting::<String>(core::LANGUAGE_KEY)?))
            };
            match e.store().read(read)? {
                (Some(name), language) => Ok((name, language)),
                (None, _) => Err(ladder_engine::Error::not_found("learner", learner)),
            }
        })?;
        let title = match language.as_deref().and_then(Language::from_tag).unwrap_or_default() {
            Language::Es => "Guardar los datos del alumno",
            Language::En => "Save the learner's data",
        };
        let zone = ladder_report::ReportTimeZone::local();
        let file = learner_data_file_name(learner, &name, Timestamp::now(), &zone);
        let Some(target) = save_target(&handle, title, &file, "json")? else {
            return Ok(ExportResult { files: Vec::new() });
        };
        let _shared = admin.files.read().map_err(|_| internal("the admin lock was poisoned"))?;
        let mut store = Store::open(&state.paths.data_dir).map_err(|e| from_engine(e.into()))?;
        store
            .write_learner_export(LearnerId(learner), &target)
            .map_err(|e| from_engine(e.into()))?;
        Ok(ExportResult { files: vec![target.display().to_string()] })
    })
    .await
}

/// Writes the report as `format` to a file the tutor chooses in the save dialog (or, with
/// `$LADDER_EXPORT_DIR` set, into that folder without a dialog: the end-to-end tests).
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    query: ReportQuery,
    format: String,
) -> Result<ExportResult> {
    let format = Format::from_name(&format).ok_or_else(|| {
        error(
            ErrorKind::BadRequest,
            format!("unknown export format `{format}` (html, csv, pdf or json)"),
        )
    })?;
    let handle = app.clone();
    off_ui(move || {
        let (state, admin) = (handle.state::<AppState>(), handle.state::<AdminState>());
        admin.require_unlocked(&state.paths.data_dir)?;
        // The learner's name in the file name, so that exports can be told apart in a folder;
        // the dialog's title in the app's language.
        let (learner_name, language) = state.run_blocking(|e| {
            let read = |tx: &ladder_store::Tx<'_>| {
                let name = match query.learner {
                    Some(id) if query.scope == "learner" => {
                        tx.learner(LearnerId(id))?.map(|l| l.name)
                    }
                    _ => None,
                };
                Ok((name, tx.setting::<String>(core::LANGUAGE_KEY)?))
            };
            Ok(e.store().read(read)?)
        })?;
        let title = dialog_title(language.as_deref());
        // Named after the day of the report it writes.
        let made = query.as_of.as_ref().map_or_else(Timestamp::now, |a| Timestamp(a.generated_ms));
        let zone = ladder_report::ReportTimeZone::local();
        let name = export_file_name(&query, format, made, learner_name.as_deref(), &zone);
        let Some(target) = save_target(&handle, title, &name, format.name())? else {
            return Ok(ExportResult { files: Vec::new() });
        };
        let files = with_report(&state, &admin, &query, |report, store| {
            check_export_target(store, &report, format, &target)?;
            let files =
                ladder_report::write_report(&report, format, &target).map_err(report_error)?;
            // Remember the files with whose data is in them: deleting any of those learners
            // deletes the files too, while unchanged (docs/store.md, schema version 2).
            let learners: Vec<LearnerId> =
                report.learners().iter().map(|l| LearnerId(l.id)).collect();
            for file in &files {
                store.record_export(&learners, file).map_err(|e| from_engine(e.into()))?;
            }
            Ok(files)
        })?;
        Ok(ExportResult { files: files.iter().map(|p| p.display().to_string()).collect() })
    })
    .await
}

/// Refuses an export whose file (or, for a CSV class report, any of its files) would overwrite
/// Ladder's own files in the data directory: the save dialog lets a tutor pick the database
/// itself, and writing the report over it would destroy every learner's history.
fn check_export_target(
    store: &Store,
    report: &Report,
    format: Format,
    target: &Path,
) -> Result<()> {
    for path in &ladder_report::output_paths(report, format, target) {
        store.check_output_path(path).map_err(|e| error(ErrorKind::BadRequest, e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn progress(
        phase: JobPhase,
        epoch: usize,
        epochs: usize,
        step: usize,
        steps: usize,
    ) -> JobProgress {
        JobProgress {
            phase,
            epoch,
            epochs,
            step,
            steps,
            loss: Some(0.6),
            held_back_loss: None,
            held_back_auc: None,
        }
    }

    /// "Train now" that started nothing, with nothing running, is an error the screen shows
    /// (the button waited for a job that never came); a job already running is its answer.
    #[test]
    fn train_now_that_starts_nothing_says_why() {
        let idle = TrainingStatus { running: None, last: None };
        let err = manual_start(JobStart::FilesHeld, idle.clone()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert!(err.message.contains("in a moment"), "{}", err.message);
        // A job that was running and finished between the start and the status: no error.
        assert_eq!(manual_start(JobStart::AlreadyRunning, idle.clone()).unwrap().running, None);
        assert_eq!(manual_start(JobStart::Broken, idle).unwrap_err().kind, ErrorKind::Internal);
        let running = RunningJob {
            job: 1,
            trigger: Trigger::SessionEnd,
            started_ms: 0,
            phase: "training".into(),
            fraction: 0.1,
            epoch: 0,
            epochs: 4,
            loss: None,
            held_back_auc: None,
            cancelling: false,
        };
        let busy = TrainingStatus { running: Some(running), last: None };
        assert!(manual_start(JobStart::AlreadyRunning, busy).unwrap().running.is_some());
    }

    #[test]
    fn progress_fraction_grows_through_the_phases() {
        let f = [
            fraction(&progress(JobPhase::Loading, 0, 0, 0, 0)),
            fraction(&progress(JobPhase::Evaluating, 0, 0, 0, 0)),
            fraction(&progress(JobPhase::Training, 0, 4, 1, 10)),
            fraction(&progress(JobPhase::Training, 1, 4, 5, 10)),
            fraction(&progress(JobPhase::Training, 3, 4, 10, 10)),
            fraction(&progress(JobPhase::Saving, 0, 0, 0, 0)),
        ];
        for w in f.windows(2) {
            assert!(w[0] < w[1], "{f:?}");
        }
        assert!((f[3] - (0.05 + 0.9 * 1.5 / 4.0)).abs() < 1e-6);
        assert!((f[4] - 0.95).abs() < 1e-6);
    }

    /// Regression: "Open folder" left its `xdg-open` process as a zombie (never waited for) until
    /// the app exited.
    #[cfg(target_os = "linux")]
    #[test]
    fn open_folder_leaves_no_zombie_process() {
        let pid = spawn_reaped(&mut std::process::Command::new("true")).expect("spawn true");
        let stat = format!("/proc/{pid}/stat");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        // Gone from the process table once reaped; a zombie's state (after the name) is Z.
        while let Ok(line) = std::fs::read_to_string(&stat) {
            let state = line.rsplit(')').next().and_then(|rest| rest.split_whitespace().next());
            assert!(
                std::time::Instant::now() < deadline,
                "process {pid} is still in the table, state {state:?}"
            );
            std::thread::yield_now();
        }
    }

    #[test]
    fn sessions_start_a_job_only_after_enough_new_events() {
        let jobs = TrainingJobs::default();
        assert!(!jobs.auto_due(AUTO_TRAIN_MIN_NEW_EVENTS - 1, None));
        assert!(jobs.auto_due(AUTO_TRAIN_MIN_NEW_EVENTS, None));
        // Counted from the active model's last event...
        assert!(!jobs.auto_due(100, Some(100 - AUTO_TRAIN_MIN_NEW_EVENTS + 1)));
        assert!(jobs.auto_due(100, Some(100 - AUTO_TRAIN_MIN_NEW_EVENTS)));
    }

    // ----- the job runner, with the real training job on a real store --------------------

    /// Runs `job` on `dir` through `jobs` as started with `events` in the log, to its end.
    fn run_through(jobs: &TrainingJobs, dir: &Path, events: i64, job: TrainJob) -> JobReport {
        let (tx, rx) = mpsc::channel::<TrainingEvent>();
        jobs.watch(Box::new(move |e| tx.send(e.clone()).is_ok()));
        let data_dir = dir.to_path_buf();
        let (done_tx, done_rx) = mpsc::channel::<JobReport>();
        let started = jobs.start(
            Trigger::SessionEnd,
            events,
            move |progress, abort| training::run_training(&data_dir, &job, progress, abort),
            move |report| done_tx.send(report.clone()).expect("report"),
        );
        assert!(started.is_some());
        loop {
            let e = rx.recv_timeout(Duration::from_secs(300)).expect("an event within 5 minutes");
            if matches!(e, TrainingEvent::Finished(_)) {
                return done_rx.recv().expect("the job's report");
            }
        }
    }

    /// A device whose jobs never beat the model in use trained on every answer after each
    /// session (5 s at a year): after such a job, the next waits for the log to grow by a tenth.
    #[test]
    fn after_a_job_on_every_answer_that_kept_the_model_the_next_waits_for_more_history() {
        let dir = history(3, 40);
        let jobs = TrainingJobs::default();
        let mut job = TrainJob { min_improvement: 10.0, ..TrainJob::default() };
        job.training.epochs = 1;
        let lost = run_through(&jobs, dir.path(), 1_000, job);
        assert_eq!(lost.outcome, training::Outcome::KeptCurrent, "{}", lost.message);
        assert_eq!(lost.new_answers, lost.train_answers, "a first job learns every answer");
        assert!(!jobs.auto_due(1_000 + AUTO_TRAIN_MIN_NEW_EVENTS, None));
        assert!(!jobs.auto_due(1_000 + 99, None));
        assert!(jobs.auto_due(1_000 + 100, None));
        // Below 400 events, a tenth is less than the usual 40.
        let small = TrainingJobs::default();
        let mut job = TrainJob { min_improvement: 10.0, ..TrainJob::default() };
        job.training.epochs = 1;
        run_through(&small, dir.path(), 200, job);
        assert!(small.auto_due(200 + AUTO_TRAIN_MIN_NEW_EVENTS, None));
        // A job whose model is kept: back to the usual count.
        let mut job = TrainJob { min_improvement: -10.0, ..TrainJob::default() };
        job.training.epochs = 1;
        let kept = run_through(&jobs, dir.path(), 1_100, job);
        assert_eq!(kept.outcome, training::Outcome::Improved, "{}", kept.message);
        assert!(jobs.auto_due(1_100 + AUTO_TRAIN_MIN_NEW_EVENTS, None));
    }

    /// A data directory with the Fractions pack installed and `answers` answers by each of
    /// `learners` learners, given through the engine.
    fn history(learners: usize, answers: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        more_history(dir.path(), learners, answers);
        dir
    }

    /// Adds `learners` learners with `answers` answers each to `dir` (installing Fractions).
    fn more_history(dir: &Path, learners: usize, answers: usize) {
        let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/fractions");
        let mut engine = Engine::open(dir, EngineOptions::default()).expect("engine");
        if engine.course("fractions").is_err() {
            engine.install_pack(&packs, false).expect("install");
        }
        let before = engine.list_learners().expect("learners").len();
        for l in before..before + learners {
            let who = engine.add_learner(&format!("Learner {l}")).expect("learner");
            let s = engine
                .start_session(LearnerId(who.id), "fractions", None, None)
                .expect("session")
                .session;
            let s = ladder_store::SessionId(s);
            for k in 0..answers {
                let step = engine.next_step(s).expect("step");
                // A mix of right and wrong answers (which is which does not matter here).
                let answer = answer_for(&step.item, (k + l) % 3 != 0);
                if let Err(e) = engine.submit_answer(s, &answer, 4000) {
                    panic!("answer {k} of learner {l}: {e}");
                }
            }
        }
    }

    fn answer_for(item: &ladder_engine::view::ItemView, first: bool) -> ladder_core::Answer {
        use ladder_core::Answer;
        let word = if first { "1/2" } else { "seven" };
        match item.kind.as_str() {
            "choice" => Answer::Choice(vec![if first { 1 } else { 2 }]),
            "order" if first => Answer::Order((1..=item.choices.len()).collect()),
            "order" => Answer::Order(item.choices.iter().map(|c| c.position).collect()),
            "cloze" => Answer::Cloze(vec![word.to_owned(); item.blanks]),
            _ => Answer::Text(word.to_owned()),
        }
    }

    fn run_real(
        jobs: &TrainingJobs,
        dir: &Path,
        cancel_on_first_step: bool,
    ) -> (Vec<TrainingEvent>, TrainingResult) {
        let (tx, rx) = mpsc::channel::<TrainingEvent>();
        jobs.watch(Box::new(move |e| tx.send(e.clone()).is_ok()));
        let data_dir = dir.to_path_buf();
        let cancel_jobs = jobs.clone();
        let started = jobs.start(
            Trigger::Manual,
            0,
            move |progress, abort| {
                let mut wrapped = |p: &JobProgress| {
                    progress(p);
                    if cancel_on_first_step && p.phase == JobPhase::Training {
                        cancel_jobs.cancel();
                    }
                };
                training::run_training(&data_dir, &TrainJob::default(), &mut wrapped, abort)
            },
            |_| {},
        );
        assert!(started.is_some());
        let mut events = Vec::new();
        loop {
            let e = rx.recv_timeout(Duration::from_secs(300)).expect("an event within 5 minutes");
            events.push(e.clone());
            if let TrainingEvent::Finished(r) = e {
                return (events, r);
            }
        }
    }

    #[test]
    fn a_job_reports_progress_and_an_outcome_and_only_one_runs_at_a_time() {
        let dir = history(3, 40);
        let jobs = TrainingJobs::default();
        let (tx, rx) = mpsc::channel::<TrainingEvent>();
        jobs.watch(Box::new(move |e| tx.send(e.clone()).is_ok()));
        let data_dir = dir.path().to_path_buf();
        let (gate_tx, gate_rx) = mpsc::channel::<()>();
        let first = jobs
            .start(
                Trigger::Manual,
                0,
                move |progress, abort| {
                    // Hold the job until the test has tried to start a second one.
                    gate_rx.recv().ok();
                    training::run_training(&data_dir, &TrainJob::default(), progress, abort)
                },
                |_| {},
            )
            .expect("started");
        assert!(jobs.is_running());
        assert!(jobs.start(Trigger::SessionEnd, 0, |_, _| unreachable!(), |_| {}).is_none());
        gate_tx.send(()).expect("gate");
        let mut fractions = Vec::new();
        let result = loop {
            match rx.recv_timeout(Duration::from_secs(300)).expect("event") {
                TrainingEvent::Progress(r) => {
                    assert_eq!(r.job, first.job);
                    fractions.push(r.fraction);
                }
                TrainingEvent::Finished(r) => break r,
            }
        };
        assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
        assert!(fractions.len() > 3, "{fractions:?}");
        assert!(
            ["improved", "kept_current"].contains(&result.outcome.as_str()),
            "{}: {}",
            result.outcome,
            result.message
        );
        let report = result.report.clone().expect("report");
        assert!(report["held_back_answers"].as_u64().unwrap_or(0) > 0, "{report}");
        assert!(!jobs.is_running());
        assert_eq!(jobs.status().last, Some(result.clone()));
        // The model registry agrees with the outcome.
        let active = Admin::open(dir.path()).unwrap().model_status("", "").unwrap().active;
        assert_eq!(active.is_some(), result.outcome == "improved", "{}", result.message);
    }

    #[test]
    fn cancel_stops_the_job_and_leaves_the_model_alone() {
        let dir = history(3, 40);
        let jobs = TrainingJobs::default();
        let (events, result) = run_real(&jobs, dir.path(), true);
        assert_eq!(result.outcome, "cancelled", "{}", result.message);
        assert!(events.iter().any(|e| matches!(e, TrainingEvent::Progress(r) if r.cancelling)));
        let s = Admin::open(dir.path()).unwrap().model_status("", "").unwrap();
        assert!(s.active.is_none());
        assert_eq!(s.versions, 0);
        assert!(!jobs.cancel(), "nothing left to cancel");
    }

    #[test]
    fn too_little_history_is_an_outcome_not_an_error() {
        let dir = history(1, 3);
        let (_, result) = run_real(&TrainingJobs::default(), dir.path(), false);
        assert_eq!(result.outcome, "not_enough_data", "{}", result.message);
    }

    #[test]
    fn a_failing_job_is_reported_as_failed() {
        let jobs = TrainingJobs::default();
        let (tx, rx) = mpsc::channel::<TrainingEvent>();
        jobs.watch(Box::new(move |e| tx.send(e.clone()).is_ok()));
        // A data directory that cannot be created: the store refuses it.
        let file = tempfile::NamedTempFile::new().expect("file");
        let bad = file.path().join("below-a-file");
        jobs.start(
            Trigger::Manual,
            0,
            move |p, a| training::run_training(&bad, &TrainJob::default(), p, a),
            |_| {},
        );
        let result = loop {
            if let TrainingEvent::Finished(r) =
                rx.recv_timeout(Duration::from_secs(60)).expect("event")
            {
                break r;
            }
        };
        assert_eq!(result.outcome, "failed");
        assert!(result.message.contains("below-a-file"), "{}", result.message);
    }

    // ----- reports and exports -----------------------------------------------------------

    #[test]
    fn report_queries_are_checked() {
        let q = |scope: &str, learner| ReportQuery {
            scope: scope.into(),
            learner,
            course: Some(String::new()),
            recent_days: None,
            as_of: None,
        };
        let en = Language::En;
        assert_eq!(
            report_request(&q("learner", Some(3)), en).unwrap().scope,
            Scope::Learner(LearnerId(3))
        );
        assert_eq!(report_request(&q("class", None), en).unwrap().course, None);
        assert_eq!(
            report_request(&q("learner", None), en).unwrap_err().kind,
            ErrorKind::BadRequest
        );
        assert_eq!(
            report_request(&q("everyone", None), en).unwrap_err().kind,
            ErrorKind::BadRequest
        );
        // The UI's language goes into the request, so the screen and the exports are in it.
        assert_eq!(report_request(&q("class", None), Language::Es).unwrap().language, Language::Es);
        // The recent-activity window: the tutor's choice, else the report's default.
        let days = |d| {
            let query = ReportQuery { recent_days: d, ..q("class", None) };
            report_request(&query, en).unwrap().recent_days
        };
        assert_eq!(days(None), ladder_report::DEFAULT_RECENT_DAYS);
        assert_eq!(days(Some(30)), 30);
        // An export of a class report is built for the class shown (a learner brought back from
        // the archive since stays out of it); of a learner report, for that learner.
        let as_of = |learners: Vec<i64>| ReportAsOf {
            generated_ms: 1_767_258_000_000,
            through: ladder_report::Through { event: 40, learner: 3 },
            learners,
        };
        let shown = ReportQuery { as_of: Some(as_of(vec![1, 3])), ..q("class", None) };
        assert_eq!(
            report_request(&shown, en).unwrap().scope,
            Scope::Class(Some(vec![LearnerId(1), LearnerId(3)]))
        );
        let empty = ReportQuery { as_of: Some(as_of(Vec::new())), ..q("class", None) };
        assert_eq!(report_request(&empty, en).unwrap().scope, Scope::Class(None));
        let one = ReportQuery { as_of: Some(as_of(vec![3])), ..q("learner", Some(3)) };
        assert_eq!(report_request(&one, en).unwrap().scope, Scope::Learner(LearnerId(3)));
    }

    #[test]
    fn learner_data_files_are_named_after_the_learner() {
        let now = Timestamp(1_700_000_000_000); // 2023-11-14 22:13 UTC
        let utc = ladder_report::ReportTimeZone::utc();
        assert_eq!(
            learner_data_file_name(4, "Ana López", now, &utc),
            "ladder-learner-ana-lópez-4-20231114.json"
        );
        assert_eq!(
            learner_data_file_name(7, "../..", now, &utc),
            "ladder-learner-learner-7-20231114.json"
        );
        // Dated by the day on the computer's calendar: in Tokyo it is the 15th already.
        let tokyo = ladder_report::ReportTimeZone::named("Asia/Tokyo").unwrap();
        assert_eq!(
            learner_data_file_name(4, "Ana", now, &tokyo),
            "ladder-learner-ana-4-20231115.json"
        );
    }

    #[test]
    fn export_names_say_whose_report_and_keep_to_safe_characters() {
        let now = Timestamp(1_700_000_000_000); // 2023-11-14 22:13 UTC
        let utc = ladder_report::ReportTimeZone::utc();
        let q = ReportQuery {
            scope: "learner".into(),
            learner: Some(4),
            course: Some("fractions".into()),
            recent_days: None,
            as_of: None,
        };
        assert_eq!(
            export_file_name(&q, Format::Pdf, now, None, &utc),
            "ladder-report-learner-4-fractions-20231114.pdf"
        );
        assert_eq!(
            export_file_name(&q, Format::Pdf, now, Some("Ana López"), &utc),
            "ladder-report-ana-lópez-4-fractions-20231114.pdf"
        );
        // The day of the report on the tutor's calendar (the report is in the computer's zone):
        // the UTC day was a day off in the evening in Mexico or after midnight in Madrid.
        let tokyo = ladder_report::ReportTimeZone::named("Asia/Tokyo").unwrap();
        assert_eq!(
            export_file_name(&q, Format::Pdf, now, None, &tokyo),
            "ladder-report-learner-4-fractions-20231115.pdf"
        );
        let mexico = ladder_report::ReportTimeZone::named("America/Mexico_City").unwrap();
        assert_eq!(
            export_file_name(&q, Format::Pdf, Timestamp(1_700_020_000_000), None, &mexico),
            "ladder-report-learner-4-fractions-20231114.pdf",
            "03:46 UTC on the 15th is 21:46 on the 14th in Mexico City"
        );
        assert_eq!(
            export_file_name(&q, Format::Json, now, Some("  ../<script> O'Brien  "), &utc),
            "ladder-report-script-o-brien-4-fractions-20231114.json"
        );
        assert_eq!(dialog_title(Some("es")), "Exportar el informe");
        assert_eq!(
            dialog_title(Some(" ES ")),
            "Exportar el informe",
            "a tag as the engine reads it"
        );
        assert_eq!(dialog_title(None), "Export the report");
        // A name with nothing usable falls back to the id alone.
        assert_eq!(
            export_file_name(&q, Format::Csv, now, Some("\u{200b} .."), &utc),
            "ladder-report-learner-4-fractions-20231114.csv"
        );
        let q = ReportQuery {
            scope: "class".into(),
            learner: Some(4),
            course: Some("../x y".into()),
            recent_days: None,
            as_of: None,
        };
        assert_eq!(
            export_file_name(&q, Format::Csv, now, Some("Ana"), &utc),
            "ladder-report-class-xy-20231114.csv"
        );
    }

    /// The tutor area's stylesheet is the report crate's, byte for byte: the screen and the
    /// HTML export look the same. `UPDATE_REPORT_CSS=1` rewrites the file.
    #[test]
    fn tutor_report_css_is_the_reports_stylesheet() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/tutor/report.css");
        if std::env::var_os("UPDATE_REPORT_CSS").is_some() {
            std::fs::write(&path, ladder_report::REPORT_CSS).expect("write report.css");
        }
        let shipped = std::fs::read_to_string(&path).expect("read ui/src/tutor/report.css");
        assert!(
            shipped == ladder_report::REPORT_CSS,
            "ui/src/tutor/report.css differs from ladder_report::REPORT_CSS: run \
             UPDATE_REPORT_CSS=1 cargo test -p ladder-app report_css"
        );
    }

    /// One example of every wire type, as the UI receives it. `ui/src/admin.test.ts` checks
    /// that the TypeScript interfaces have exactly these fields. After an intended change:
    /// `UPDATE_ADMIN_FIXTURES=1 cargo test -p ladder-app admin_fixtures`.
    /// An export aimed at the database (or next to it for CSV's several files, or into the
    /// backups) is refused and the database is left whole; a new name in the data folder is fine.
    #[test]
    fn an_export_over_ladders_own_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.transact(|tx| tx.add_learner(&ladder_store::NewLearner::named("Ana"))).unwrap();
        let settings = ladder_engine::Settings::default();
        let predictor = ladder_engine::predictor::elo::OnlineLogistic::new(settings.clone());
        let source = ladder_report::Source::new(&store, &predictor, &settings);
        let request = ReportRequest {
            scope: Scope::Class(None),
            course: None,
            language: Language::En,
            recent_days: ladder_report::DEFAULT_RECENT_DAYS,
        };
        let report = ladder_report::build_report(&source, &request).unwrap();
        let db = dir.path().join(ladder_store::DB_FILE);
        for (format, target) in [
            (Format::Pdf, db.clone()),
            (Format::Json, dir.path().join("backups").join("x.json")),
            (Format::Csv, db.clone()),
        ] {
            let e = check_export_target(&store, &report, format, &target).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadRequest, "{}", e.message);
            assert!(e.message.contains("Ladder's own files"), "{}", e.message);
        }
        check_export_target(&store, &report, Format::Pdf, &dir.path().join("class.pdf")).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.read(|tx| tx.learners(false)).unwrap().len(), 1);
    }

    /// The settings screen names the model the engine runs, not the registry's active version
    /// when they differ: a broken active checkpoint (the bundled model runs) shows no device
    /// version, and a version activated by `ladder train` after the app opened shows the one
    /// still running until the next start.
    #[test]
    fn the_model_status_is_what_the_engine_runs() {
        let view = |id: i64| core::ModelVersionView {
            id,
            checkpoint: format!("models/device/{id:04}"),
            created_ms: 0,
            trained_through_event: None,
            trained_through_ms: None,
            metrics: serde_json::Value::Null,
        };
        let status = ModelStatus {
            predictor: "transformer".into(),
            device: "cpu".into(),
            active: Some(view(4)),
            versions: 4,
            events: 10,
            own: Vec::new(),
            rollback: None,
        };
        let lookup = |id: i64| Ok(Some(view(id)));
        let fine = |version| training::ModelSource::FineTuned {
            version,
            scope: "device".into(),
            checkpoint: format!("models/device/{version:04}").into(),
        };
        let same = as_running(status.clone(), Some(&fine(4)), lookup).unwrap();
        assert_eq!(same, status);
        let older = as_running(status.clone(), Some(&fine(3)), lookup).unwrap();
        assert_eq!(older.active.map(|a| a.id), Some(3));
        let bundled = training::ModelSource::Bundled { checkpoint: "models/default".into() };
        assert_eq!(as_running(status.clone(), Some(&bundled), lookup).unwrap().active, None);
        let built_in = training::ModelSource::BuiltIn;
        assert_eq!(as_running(status.clone(), Some(&built_in), lookup).unwrap().active, None);
        assert_eq!(as_running(status.clone(), None, lookup).unwrap(), status, "unknown: as is");
        // A version still running whose row is gone (`ladder train` removed it as old while the
        // app ran): still that fine-tuned version, not "the default model that came with
        // Ladder".
        let gone = as_running(status.clone(), Some(&fine(2)), |_| Ok(None)).unwrap();
        let shown = gone.active.expect("the version that runs");
        assert_eq!((shown.id, shown.checkpoint.as_str()), (2, "models/device/0002"));
        assert_eq!(shown.trained_through_ms, None);
    }

    #[test]
    fn admin_fixtures_match_the_ui() {
        let running = RunningJob {
            job: 2,
            trigger: Trigger::Manual,
            started_ms: 1_767_258_000_000,
            phase: "training".into(),
            fraction: 0.5,
            epoch: 1,
            epochs: 4,
            loss: Some(0.625),
            held_back_auc: Some(0.75),
            cancelling: false,
        };
        let last = TrainingResult {
            job: 1,
            trigger: Trigger::SessionEnd,
            outcome: "kept_current".into(),
            message: "kept the current model".into(),
            report: Some(serde_json::json!({"outcome": "kept_current"})),
            finished_ms: 1_767_258_000_000,
        };
        let backup = BackupView {
            name: "ladder-20260101T090000Z.sqlite3".into(),
            path: "/data/backups/ladder-20260101T090000Z.sqlite3".into(),
            taken_ms: 1_767_258_000_000,
            size_bytes: 40960,
            problem: None,
        };
        let value = serde_json::json!({
            "admin_overview": AdminOverview {
                has_pin: true,
                unlocked: false,
                language: "en".into(),
                languages: core::LANGUAGES.iter().map(|s| (*s).to_owned()).collect(),
                data_dir: "/data".into(),
                backups_dir: "/data/backups".into(),
            },
            "model_overview": ModelOverview {
                model: ModelStatus {
                    predictor: "transformer".into(),
                    device: "cpu".into(),
                    active: Some(core::ModelVersionView {
                        id: 3,
                        checkpoint: "models/device/0003".into(),
                        created_ms: 1_767_258_000_000,
                        trained_through_event: Some(120),
                        trained_through_ms: Some(1_767_257_000_000),
                        metrics: serde_json::json!({"held_back": {"auc": 0.73}}),
                    }),
                    versions: 3,
                    events: 150,
                    own: vec![core::OwnModelView { learner: 2, name: "Ben".into(), version: 5 }],
                    rollback: Some(training::Switch { from: 3, to: Some(2) }),
                },
                training: TrainingStatus { running: Some(running.clone()), last: Some(last.clone()) },
            },
            "training_events": [TrainingEvent::Progress(running), TrainingEvent::Finished(last)],
            "backup": backup,
            "restore": RestoreView {
                restored_from: "ladder-20260101T090000Z.sqlite3".into(),
                previous_kept_at: Some("/data/ladder.sqlite3.replaced-20260102T090000Z".into()),
                learners: 2,
            },
            "report_view": ReportView {
                html: "<div class=\"ladder-report\"></div>".into(),
                predictor: "transformer".into(),
                generated_ms: 1_767_258_000_000,
                through: ladder_report::Through { event: 412, learner: 3 },
                learners: vec![1],
            },
            "export_result": ExportResult { files: vec!["/home/t/ladder-report-learner-1.pdf".into()] },
            "roster_entry": ladder_engine::view::RosterEntry {
                id: 4,
                name: "Ana".into(),
                created_ms: 1_767_000_000_000,
                archived_ms: Some(1_767_258_000_000),
                answers: 12,
                last_active_ms: Some(1_767_100_000_000),
            },
            "course_roster": ladder_engine::view::CourseRoster {
                installed: vec![ladder_engine::view::CourseEntry {
                    id: "fractions".into(),
                    title: "Fractions".into(),
                    version: "1.0.0".into(),
                    items: 40,
                    learners_with_history: 3,
                    installed_ms: 1_767_000_000_000,
                }],
                removed: vec![ladder_engine::view::RemovedCourse {
                    id: "spanish-a1".into(),
                    title: "Spanish A1".into(),
                    version: "1.0.0".into(),
                    removed_ms: 1_767_258_000_000,
                    learners_with_history: 1,
                    preload_version: Some("1.1.0".into()),
                }],
                preload_dir: Some("/media/usb/ladder-packs".into()),
            },
            "course_removal": ladder_engine::view::CourseRemoval {
                id: "spanish-a1".into(),
                title: "Spanish A1".into(),
                learners_with_history: 1,
            },
            "deletion": DeletionView {
                name: "Ana".into(),
                events_deleted: 40,
                backups_cleaned: 2,
                exports_deleted: 1,
                warnings: vec!["backup x could not be cleaned; delete it by hand".into()],
                unlearned: Some(training::Unlearned {
                    versions: vec![3, 5],
                    learners: vec![4],
                    device: Some(training::Switch { from: 3, to: Some(2) }),
                    own: vec![training::OwnSwitch {
                        learner: 2,
                        switch: training::Switch { from: 5, to: None },
                    }],
                    removed: vec!["models/device/0003".into(), "models/learner-2/0001".into()],
                    warnings: Vec::new(),
                    message: "model version(s) 3, 5 learnt from the answers of learner 4".into(),
                }),
            },
            "rollback": training::Rollback {
                from: 3,
                to: Some(2),
                message: "rolled back the device from model 3".into(),
            },
        });
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/admin-fixtures.json");
        let text = format!("{}\n", serde_json::to_string_pretty(&value).expect("json"));
        if std::env::var_os("UPDATE_ADMIN_FIXTURES").is_some() {
            std::fs::write(&path, &text).expect("write the fixture");
        }
        let shipped: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read the fixture"))
                .expect("fixture JSON");
        assert_eq!(
            shipped, value,
            "ui/src/admin-fixtures.json is stale: UPDATE_ADMIN_FIXTURES=1 cargo test -p ladder-app admin_fixtures"
        );
    }

    #[test]
    fn only_an_archived_learner_under_the_confirmed_name_is_deleted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        let ana = LearnerId(engine.add_learner("Ana").expect("Ana").id);
        let ben = LearnerId(engine.add_learner("Ben").expect("Ben").id);
        let e = delete_archived(&mut engine, ana, "Ana", None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
        assert_eq!(e.reason, Some(Reason::LearnerNotArchived), "{e}");
        assert_eq!(e.values.name.as_deref(), Some("Ana"));
        engine.archive_learner(ana).unwrap();
        engine.rename_learner(ana, "Ana Lopez").unwrap();
        let e = delete_archived(&mut engine, ana, "Ana", None).unwrap_err();
        // The learner list says this one in the UI's language, by its reason.
        assert!(e.message.contains(" is now named Ana Lopez"), "{e}");
        assert_eq!(e.reason, Some(Reason::LearnerRenamed), "{e}");
        assert_eq!(e.values.name.as_deref(), Some("Ana Lopez"));
        assert_eq!(engine.learner_roster().unwrap().len(), 2, "nothing was deleted");
        let done = delete_archived(&mut engine, ana, "Ana Lopez", None).expect("delete");
        assert_eq!(done.name, "Ana Lopez");
        let left: Vec<i64> = engine.learner_roster().unwrap().iter().map(|l| l.id).collect();
        assert_eq!(left, [ben.0]);
        let e = delete_archived(&mut engine, ana, "Ana Lopez", None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }

    #[test]
    fn restore_under_swaps_the_database_and_reopens_the_engine() {
        let dir = tempfile::tempdir().expect("tempdir");
        let none = dir.path().join("no-packs");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        engine.add_learner("Ana").expect("Ana");
        let backup = Admin::open(dir.path()).unwrap().backup_now().unwrap();
        engine.add_learner("Ben").expect("Ben");
        let r = restore_under(&mut engine, dir.path(), &none, &backup.name).expect("restore");
        assert_eq!(r.learners, 1);
        let names: Vec<String> =
            engine.list_learners().unwrap().into_iter().map(|l| l.name).collect();
        assert_eq!(names, ["Ana"]);
        // The engine writes to the restored file, which later connections see.
        engine.add_learner("Cleo").expect("Cleo");
        let n = Store::open(dir.path()).unwrap().read(|tx| tx.learners(false)).unwrap().len();
        assert_eq!(n, 2);
        // A name that is not a backup changes nothing and leaves the engine working.
        let e = restore_under(&mut engine, dir.path(), &none, "../ladder.sqlite3").unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(engine.list_learners().unwrap().len(), 2);
    }

    /// Fine-tunes the device model of `dir` once more, keeping the result whatever it scores.
    fn train_kept(dir: &Path) -> i64 {
        let mut job = TrainJob { min_improvement: -10.0, force: true, ..TrainJob::default() };
        job.training.epochs = 1;
        let r = training::run_training(dir, &job, &mut |_| {}, Arc::new(AtomicBool::new(false)))
            .expect("training");
        assert_eq!(r.outcome, training::Outcome::Improved, "{}", r.message);
        r.version.expect("a version")
    }

    fn running_version(engine: &Engine) -> Option<i64> {
        match engine.model_info().map(|i| &i.source) {
            Some(training::ModelSource::FineTuned { version, .. }) => Some(*version),
            _ => None,
        }
    }

    /// The settings screen's "Go back to model N": what it offers is what it does, the engine
    /// runs the older model at once, and an offer that is no longer true changes nothing.
    #[test]
    fn going_back_to_the_previous_model_puts_it_to_use_at_once() {
        use training::Switch;
        let dir = history(3, 40);
        let (first, second) = (train_kept(dir.path()), train_kept(dir.path()));
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        training::use_active_model(&mut engine, None);
        assert_eq!(running_version(&engine), Some(second));
        let offered = |d: &Path| Admin::open(d).unwrap().model_status("", "").unwrap().rollback;
        assert_eq!(offered(dir.path()), Some(Switch { from: second, to: Some(first) }));

        // A screen drawn before something changed: refused, nothing rolled back.
        let stale = Switch { from: second, to: None };
        let e = rollback_offered(&mut engine, dir.path(), None, stale).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
        assert!(e.message.contains("nothing was rolled back"), "{e}");
        assert_eq!(running_version(&engine), Some(second));

        let back = Switch { from: second, to: Some(first) };
        let done = rollback_offered(&mut engine, dir.path(), None, back).expect("rollback");
        assert_eq!((done.from, done.to), (second, Some(first)), "{}", done.message);
        assert_eq!(running_version(&engine), Some(first), "in use at once, not at the next start");
        assert_eq!(offered(dir.path()), Some(Switch { from: first, to: None }));

        let done =
            rollback_offered(&mut engine, dir.path(), None, Switch { from: first, to: None })
                .expect("back to the default");
        assert_eq!(done.to, None);
        assert_eq!(running_version(&engine), None);
        assert_eq!(offered(dir.path()), None, "nothing more to go back from");
    }

    /// Regression: deleting a learner left the device model trained on their answers running
    /// (and it was the starting point of every later model).
    #[test]
    fn deleting_a_learner_sets_aside_the_model_that_learnt_from_them() {
        let dir = history(3, 40);
        let version = train_kept(dir.path());
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        training::use_active_model(&mut engine, None);
        assert_eq!(running_version(&engine), Some(version));
        let ana = engine.list_learners().unwrap()[0].clone();
        engine.archive_learner(LearnerId(ana.id)).unwrap();
        let done = delete_archived(&mut engine, LearnerId(ana.id), &ana.name, None).unwrap();
        let unlearned = done.unlearned.expect("the model had learnt from her answers");
        assert_eq!(unlearned.versions, [version]);
        assert_eq!(unlearned.learners, [ana.id]);
        assert_eq!(unlearned.device, Some(training::Switch { from: version, to: None }));
        assert_eq!(running_version(&engine), None, "the engine no longer runs it");
        let checkpoint = dir.path().join(format!("models/device/{version:04}"));
        assert!(!checkpoint.exists(), "its weights are gone from the disk");
        let status = Admin::open(dir.path()).unwrap().model_status("", "").unwrap();
        assert_eq!(status.active, None);
        assert_eq!(status.rollback, None);
    }

    /// Regression: after going back to the previous model, the next session, however short,
    /// started a job (the new events were counted from the older model's answers, not from
    /// those of the model gone back from, which a job would only make again).
    #[test]
    fn after_going_back_a_short_session_starts_no_job() {
        let dir = history(3, 40);
        let first = train_kept(dir.path());
        more_history(dir.path(), 2, 40);
        let second = train_kept(dir.path());
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("engine");
        training::use_active_model(&mut engine, None);
        let back = training::Switch { from: second, to: Some(first) };
        rollback_offered(&mut engine, dir.path(), None, back).expect("rollback");
        let mut admin = Admin::open(dir.path()).unwrap();
        let (events, trained) = session_counts(&mut admin).unwrap();
        let jobs = TrainingJobs::default();
        assert!(
            !jobs.auto_due(events + 5, trained),
            "{events} events, trained through {trained:?}"
        );
        assert!(jobs.auto_due(events + AUTO_TRAIN_MIN_NEW_EVENTS, trained));
    }
}
