//! What the commands share, handed to Tauri with `.manage()`: the folders and the one engine.
//!
//! The engine (`ladder_engine::Engine` over `<data-dir>/ladder.sqlite3`) is opened off the UI
//! thread, with the store's start-up options (integrity check): in the background as soon as the
//! app starts ([`AppState::open_in_background`]), else by the first command that needs it. Right
//! after opening, the packs of the preload folder that are new (or newer than the installed
//! version) are installed, so a fresh machine starts with its courses, and the learner model is
//! chosen: the device's fine-tuned model, else the bundled default, else the built-in estimate.
//! If opening fails (a damaged or newer database), the error reaches the UI and the next call
//! tries again.
//!
//! Then, once the engine can answer the learner picker, the daily backup starts on a thread and
//! a connection of its own (`ladder_store::DailyBackup`): the first start of a day no longer
//! waits for a copy of the whole database. When it fails, its warning reaches the library screen
//! with the store's other start-up warnings (`app_info` waits for it, off the UI thread).
//!
//! One engine sits behind a mutex: the engine caches learner state and SQLite serialises
//! writers anyway; every operation is short (p99 well under 30 ms, docs/benchmarks.md).

use std::sync::{Arc, Mutex, MutexGuard};

use ladder_engine::training;
use ladder_engine::view::PreloadReport;
use ladder_engine::{Engine, EngineOptions};
use ladder_store::{DailyBackup, DailyOutcome, OpenOptions};

use crate::admin::bundled_model_dir;
use crate::error::{from_engine, internal, Result};
use crate::paths::Paths;

/// The engine slot, what the first open's preload did, and the daily backup it started.
#[derive(Default)]
struct Slot {
    engine: Option<Engine>,
    preload: Option<PreloadReport>,
    /// Started once per run of the app, after the first open; dropping the last handle waits for
    /// it (a window closing ends the process without that: see `docs/store.md`).
    backup: Option<Arc<DailyBackup>>,
}

pub struct AppState {
    pub paths: Paths,
    slot: Arc<Mutex<Slot>>,
}

impl AppState {
    pub fn new(paths: Paths) -> Self {
        Self { paths, slot: Arc::new(Mutex::new(Slot::default())) }
    }

    /// Runs `work` on the engine on the blocking thread pool, never on the thread that drives
    /// the window. Opens the engine first when needed.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Engine) -> ladder_engine::Result<T> + Send + 'static,
    {
        let slot = self.slot.clone();
        let paths = self.paths.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = lock(&slot)?;
            let engine = open(&mut guard, &paths)?;
            work(engine).map_err(from_engine)
        })
        .await
        .map_err(|e| internal(format!("a background task failed: {e}")))?
    }

    /// The same, on the calling thread (for callers already off the UI thread).
    pub fn run_blocking<T>(
        &self,
        work: impl FnOnce(&mut Engine) -> ladder_engine::Result<T>,
    ) -> Result<T> {
        let mut guard = lock(&self.slot)?;
        let engine = open(&mut guard, &self.paths)?;
        work(engine).map_err(from_engine)
    }

    /// Opens the engine on a thread of its own, so that opening the database, preloading the
    /// packs and loading the model overlap with the window and the web page starting, instead of
    /// waiting for the page's first command. A command that comes first waits on the lock; an
    /// error is printed here and found again by the next command, which retries.
    pub fn open_in_background(&self) -> Option<std::thread::JoinHandle<()>> {
        let slot = self.slot.clone();
        let paths = self.paths.clone();
        let spawned = std::thread::Builder::new().name("ladder-open".into()).spawn(move || {
            let opened = lock(&slot).and_then(|mut guard| {
                open(&mut guard, &paths)?;
                Ok(guard.backup.clone())
            });
            match opened {
                // Said on stderr too, once known (the lock is not held meanwhile).
                Ok(Some(backup)) => {
                    let outcome = backup.wait();
                    crate::startup::mark(match &outcome {
                        DailyOutcome::Taken(_) => "daily backup taken",
                        DailyOutcome::NotDue => "daily backup not due",
                        DailyOutcome::Failed { .. } => "daily backup failed",
                    });
                    if let Some(warning) = outcome.warning() {
                        eprintln!("ladder-app: {warning}");
                    }
                }
                Ok(None) => {}
                Err(e) => eprintln!("ladder-app: opening the data directory: {}", e.message),
            }
        });
        spawned
            .map_err(|e| eprintln!("ladder-app: no engine thread ({e}); opening on first use"))
            .ok()
    }

    /// What the preload did when the engine was opened (`None` before the first open).
    pub fn preload_report(&self) -> Result<Option<PreloadReport>> {
        Ok(lock(&self.slot)?.preload.clone())
    }

    /// The daily backup the first open started (`None` before it).
    pub fn daily_backup(&self) -> Result<Option<Arc<DailyBackup>>> {
        Ok(lock(&self.slot)?.backup.clone())
    }

    /// The daily backup's warning when it failed, once it has finished (waited for on the
    /// blocking thread pool, without holding the engine); `None` when it was taken, was not
    /// due, or the engine was never opened.
    pub async fn daily_backup_warning(&self) -> Result<Option<String>> {
        let slot = self.slot.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let backup = lock(&slot)?.backup.clone();
            Ok(backup.and_then(|b| b.wait().warning().map(str::to_string)))
        })
        .await
        .map_err(|e| internal(format!("a background task failed: {e}")))?
    }
}

fn lock(slot: &Mutex<Slot>) -> Result<MutexGuard<'_, Slot>> {
    slot.lock().map_err(|_| internal("the engine lock was poisoned by an earlier failure"))
}

fn open<'a>(slot: &'a mut Slot, paths: &Paths) -> Result<&'a mut Engine> {
    if slot.engine.is_none() {
        crate::startup::mark("engine: opening");
        let options = EngineOptions {
            client: "app".into(),
            store: OpenOptions::startup(),
            ..EngineOptions::default()
        };
        let mut engine = Engine::open(&paths.data_dir, options).map_err(from_engine)?;
        crate::startup::mark("engine: store open");
        for warning in engine.store().startup_warnings() {
            eprintln!("ladder-app: {warning}");
        }
        let report = engine.preload_packs(&paths.packs_dir).map_err(from_engine)?;
        crate::startup::mark("engine: packs preloaded");
        for problem in &report.problems {
            eprintln!("ladder-app: preload {}: {}", problem.source, problem.message);
        }
        // Start on the best model there is: the device's fine-tuned one, else the bundled
        // default model, else the built-in estimate (see ladder_engine::training).
        let model = training::use_active_model(&mut engine, bundled_model_dir().as_deref());
        for skipped in &model.skipped {
            eprintln!("ladder-app: {skipped}");
        }
        crate::startup::mark("engine: model chosen");
        slot.preload = Some(report);
        slot.engine = Some(engine);
        // Off the path to the first screen: the engine answers meanwhile.
        if slot.backup.is_none() {
            slot.backup = Some(Arc::new(DailyBackup::start(&paths.data_dir)));
        }
    }
    slot.engine.as_mut().ok_or_else(|| internal("the engine is not open"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn paths(data: &Path, packs: &Path) -> Paths {
        Paths { data_dir: data.to_path_buf(), packs_dir: packs.to_path_buf(), import_file: None }
    }

    #[test]
    fn first_open_preloads_the_sample_packs_once() {
        let data = tempfile::tempdir().expect("tempdir");
        let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs");
        let state = AppState::new(paths(data.path(), &packs));
        let courses = state.run_blocking(|e| e.list_courses()).expect("courses");
        assert!(courses.iter().any(|c| c.id == "fractions"), "{courses:?}");
        let report = state.preload_report().expect("report").expect("preloaded");
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.installed.len(), courses.len());
        drop(state);
        let again = AppState::new(paths(data.path(), &packs));
        again.run_blocking(|e| e.list_learners()).expect("open");
        let report = again.preload_report().expect("report").expect("preloaded");
        assert!(report.installed.is_empty(), "installed again: {:?}", report.installed);
    }

    #[test]
    fn the_background_open_preloads_before_the_first_command() {
        let data = tempfile::tempdir().expect("tempdir");
        let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs");
        let state = AppState::new(paths(data.path(), &packs));
        assert!(state.preload_report().expect("report").is_none());
        state.open_in_background().expect("thread").join().expect("joined");
        let report = state.preload_report().expect("report").expect("opened in the background");
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let courses = state.run_blocking(|e| e.list_courses()).expect("courses");
        assert_eq!(report.installed.len(), courses.len());
        assert!(courses.iter().any(|c| c.id == "fractions"), "{courses:?}");
    }

    #[test]
    fn the_daily_backup_is_taken_after_the_engine_opens_and_once_a_day() {
        let data = tempfile::tempdir().expect("tempdir");
        let none = data.path().join("no packs");
        let state = AppState::new(paths(data.path(), &none));
        assert!(state.daily_backup().expect("slot").is_none(), "started before the engine");
        state.run_blocking(|e| e.list_learners()).expect("open");
        let backup = state.daily_backup().expect("slot").expect("started by the first open");
        let ladder_store::DailyOutcome::Taken(path) = backup.wait() else {
            panic!("{:?}", backup.wait())
        };
        assert!(ladder_store::check_backup(&path).is_empty());
        assert_eq!(ladder_store::list_backups(data.path()).len(), 1);
        let warning = tauri::async_runtime::block_on(state.daily_backup_warning());
        assert_eq!(warning.expect("waited"), None);
        drop(state);
        // The app started again the same day: nothing to take.
        let again = AppState::new(paths(data.path(), &none));
        again.open_in_background().expect("thread").join().expect("joined");
        let backup = again.daily_backup().expect("slot").expect("started");
        assert_eq!(backup.try_outcome(), Some(ladder_store::DailyOutcome::NotDue));
        assert_eq!(ladder_store::list_backups(data.path()).len(), 1);
    }

    #[test]
    fn a_daily_backup_that_fails_after_the_window_is_up_is_a_warning_for_the_library() {
        let data = tempfile::tempdir().expect("tempdir");
        std::fs::write(data.path().join(ladder_store::BACKUP_DIR), b"not a folder").expect("w");
        let state = AppState::new(paths(data.path(), &data.path().join("no packs")));
        // The learners are served: the engine opened and writes.
        state.run_blocking(|e| e.add_learner("Ana")).expect("the learners go on");
        let warning = tauri::async_runtime::block_on(state.daily_backup_warning())
            .expect("waited")
            .expect("a warning");
        assert!(warning.starts_with("the daily backup was not taken"), "{warning}");
        assert_eq!(state.run_blocking(|e| e.list_learners()).expect("list").len(), 1);
    }

    #[test]
    fn a_damaged_database_is_reported_and_left_alone() {
        let data = tempfile::tempdir().expect("tempdir");
        let db = data.path().join(ladder_store::DB_FILE);
        let junk = vec![0x42u8; 8192];
        std::fs::write(&db, &junk).expect("write");
        let state = AppState::new(paths(data.path(), &data.path().join("none")));
        let e = state.run_blocking(|e| e.list_learners()).expect_err("damaged");
        assert_eq!(e.kind, ladder_engine::ErrorKind::Store, "{e:?}");
        assert_eq!(std::fs::read(&db).expect("read"), junk);
    }
}
