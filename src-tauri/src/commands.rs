//! The commands the UI may call: one per engine operation, with the names and parameters of
//! `docs/api.md` (snake_case, as `ladder serve --stdio` takes them), plus `app_info` and
//! `choose_pack_file`. Each converts the request, runs the engine off the UI thread
//! ([`AppState::run`]) and returns its answer or its `{kind, message}` error.
//!
//! Every command here must also be listed in `build.rs` (which creates its `allow-` permission),
//! granted in `capabilities/main.json`, and given its result type in [`RESULT_TYPES`] (from which
//! the UI's typed `call` is generated; see `bindings.rs`). The tests in `command_lists.rs` and
//! `bindings.rs` fail when one of those lists is missing a command.

use std::path::{Path, PathBuf};

use ladder_core::Answer;
use ladder_engine::admin::LANGUAGE_KEY;
use ladder_engine::view::{
    AnswerResult, CourseInfo, CourseMap, HintView, LearnerInfo, MasterySummary, PreloadProblem,
    SessionInfo, SessionSummary, SkipResult, Step,
};
use ladder_engine::{packs, Engine, ErrorKind, Language, PolicyKind};
use ladder_store::{LearnerId, PackDiff, SessionId};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::error::{bad_request, internal, Result};
use crate::state::AppState;

/// Each command and the Rust type of its result, as the TypeScript generator names it.
pub const RESULT_TYPES: &[(&str, &str)] = &[
    ("app_info", "AppInfo"),
    ("choose_pack_file", "string | null"),
    ("choose_pack_folder", "string | null"),
    ("list_learners", "Array<LearnerInfo>"),
    ("add_learner", "LearnerInfo"),
    ("list_courses", "Array<CourseInfo>"),
    ("install_pack", "PackDiff"),
    ("preview_pack", "{ diff: PackDiff, changes: Array<ChangeLine>, warnings: Array<string> }"),
    ("course_map", "CourseMap"),
    ("start_session", "SessionInfo"),
    ("next_step", "Step"),
    ("submit_answer", "AnswerResult"),
    ("request_hint", "HintView"),
    ("view_solution", "HintView"),
    ("skip", "SkipResult"),
    ("end_session", "SessionSummary"),
    ("mastery_summary", "MasterySummary"),
];

/// What the app knows about itself: shown in the footer and useful in bug reports.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    /// The preload folder.
    pub packs_dir: String,
    /// The packs of the preload folder that could not be installed when the engine was opened
    /// (a pack that does not validate or cannot be read), with why: the library shows them, so
    /// a teacher who prepared the folder learns what went wrong (they were only printed to
    /// stderr).
    pub preload_problems: Vec<PreloadProblem>,
    /// What opening the database could not do but did not need (a database file that cannot be
    /// written, a daily backup that could not be taken: `Store::startup_warnings`, in English):
    /// the library shows them, so that nobody learns of it only when an answer fails to save.
    pub store_warnings: Vec<String>,
}

/// Waits for the engine's first opening (which installs the preload folder) and for the daily
/// backup it started (taken in the background; the engine serves meanwhile); the folders are
/// known at once, the problems only then (none when the engine cannot be opened: the screens
/// say why).
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    let opened = state.run(|_| Ok(())).await.is_ok();
    let (preload_problems, store_warnings) = if opened {
        let problems = state.preload_report()?.map(|r| r.problems).unwrap_or_default();
        let (kept, dir) = (problems.clone(), state.paths.packs_dir.clone());
        let problems =
            state.run(move |e| Ok(preload_problems_in(problems, &dir, e))).await.unwrap_or(kept);
        let mut warnings =
            state.run(|e| Ok(e.store().startup_warnings().to_vec())).await.unwrap_or_default();
        warnings.extend(state.daily_backup_warning().await.ok().flatten());
        (problems, warnings)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.paths.data_dir.display().to_string(),
        packs_dir: state.paths.packs_dir.display().to_string(),
        preload_problems,
        store_warnings,
    })
}

/// Preload problems in the UI's language (`ui.language`; the engine writes them in English): a
/// pack that still does not validate is read again for the validator's lines, and a valid one
/// the store refuses (the same version changed in the folder: "raise the version") is said again
/// from the pack's and the installed version; any other problem is left as it is.
fn preload_problems_in(
    problems: Vec<PreloadProblem>,
    dir: &Path,
    e: &Engine,
) -> Vec<PreloadProblem> {
    let language = e.language().unwrap_or_default();
    if language == Language::En {
        return problems;
    }
    problems
        .into_iter()
        .map(|mut p| {
            let path = dir.join(&p.source);
            let said = packs::problems_in(&path, language)
                .or_else(|| packs::install_refusal_in(e.store(), &path, language));
            if let Some(message) = said {
                p.message = message;
            }
            p
        })
        .collect()
}

/// An install's error in the UI's language (`ui.language`): the engine's errors are English, so
/// a pack that does not validate is read again for the validator's problems, and a refusal
/// (`conflict`: an older version, the same version changed) is said again from the pack's and
/// the installed version. Any other error is left as it is.
fn install_error_in_ui_language(
    e: &Engine,
    path: &Path,
    err: ladder_engine::Error,
) -> ladder_engine::Error {
    let language = e.language().unwrap_or_default();
    if language == Language::En {
        return err;
    }
    let said = match err.kind {
        ErrorKind::Pack => packs::problems_in(path, language).map(ladder_engine::Error::pack),
        ErrorKind::Conflict => packs::install_refusal_in(e.store(), path, language)
            .map(|m| ladder_engine::Error::new(ErrorKind::Conflict, m)),
        _ => None,
    };
    said.unwrap_or(err)
}

/// The open dialog's title and file-type name in the UI's language (`ui.language`; the UI's own
/// strings live in the webview, the dialog is drawn by the system from Rust).
fn pack_dialog_words(language: Option<&str>) -> (&'static str, &'static str) {
    match language.and_then(Language::from_tag).unwrap_or_default() {
        Language::Es => ("Importar un paquete de curso", "Paquete de curso de Ladder"),
        Language::En => ("Import a course pack", "Ladder course pack"),
    }
}

/// The folder dialog's title in the UI's language.
fn folder_dialog_title(language: Option<&str>) -> &'static str {
    match language.and_then(Language::from_tag).unwrap_or_default() {
        Language::Es => "Importar la carpeta de un paquete de curso",
        Language::En => "Import a course pack folder",
    }
}

/// The UI language, for a dialog's words (English when the setting cannot be read: the dialog
/// still opens).
async fn dialog_language(state: &State<'_, AppState>) -> Option<String> {
    state.run(|e| Ok(e.store().read(|tx| tx.setting::<String>(LANGUAGE_KEY))?)).await.ok().flatten()
}

/// Asks for a pack folder (the one with `pack.toml`, as a teacher writes it) with the system's
/// folder dialog; `None` when cancelled. With `$LADDER_IMPORT_FILE` set, returns that path
/// without a dialog (end-to-end tests). Whether it is a pack is for `install_pack` (dry run) to
/// say, with the validator's report.
#[tauri::command]
pub async fn choose_pack_folder(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>> {
    if let Some(path) = &state.paths.import_file {
        return Ok(Some(path.display().to_string()));
    }
    let title = folder_dialog_title(dialog_language(&state).await.as_deref());
    use tauri_plugin_dialog::DialogExt;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog().file().set_title(title).blocking_pick_folder()
    })
    .await
    .map_err(|e| internal(format!("the folder dialog failed: {e}")))?;
    match picked {
        None => Ok(None),
        Some(path) => path
            .into_path()
            .map(|p| Some(p.display().to_string()))
            .map_err(|e| bad_request(format!("the chosen folder cannot be read: {e}"))),
    }
}

/// Asks the learner for a `.ladderpack` with the system's open dialog; `None` when cancelled.
/// With `$LADDER_IMPORT_FILE` set, returns that file without a dialog (end-to-end tests).
/// The dialog runs in Rust, so the webview needs no dialog permission.
#[tauri::command]
pub async fn choose_pack_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>> {
    if let Some(file) = &state.paths.import_file {
        return Ok(Some(file.display().to_string()));
    }
    let (title, filter) = pack_dialog_words(dialog_language(&state).await.as_deref());
    use tauri_plugin_dialog::DialogExt;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            // GTK matches the pattern case-sensitively; the engine takes any case.
            .add_filter(filter, &["ladderpack", "LADDERPACK"])
            .blocking_pick_file()
    })
    .await
    .map_err(|e| internal(format!("the file dialog failed: {e}")))?;
    match picked {
        None => Ok(None),
        Some(path) => path
            .into_path()
            .map(|p| Some(p.display().to_string()))
            .map_err(|e| bad_request(format!("the chosen file cannot be read: {e}"))),
    }
}

#[tauri::command]
pub async fn list_learners(state: State<'_, AppState>) -> Result<Vec<LearnerInfo>> {
    state.run(|e| e.list_learners()).await
}

#[tauri::command]
pub async fn add_learner(state: State<'_, AppState>, name: String) -> Result<LearnerInfo> {
    state.run(move |e| e.add_learner(&name)).await
}

#[tauri::command]
pub async fn list_courses(state: State<'_, AppState>) -> Result<Vec<CourseInfo>> {
    state.run(|e| e.list_courses()).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn install_pack(
    state: State<'_, AppState>,
    path: PathBuf,
    dry_run: Option<bool>,
) -> Result<PackDiff> {
    state
        .run(move |e| {
            e.install_pack(&path, dry_run.unwrap_or(false))
                .map_err(|err| install_error_in_ui_language(e, &path, err))
        })
        .await
}

/// What importing the pack at `path` would change, for the library's report before "Install":
/// `install_pack`'s dry run and the lines its counts do not say (pictures, skills, lessons,
/// details, likely renames, an installed course a new one looks like) and the validator's
/// warnings, from one validation of the pack (`Engine::preview_pack`), in the UI's language,
/// refusals included.
#[tauri::command]
pub async fn preview_pack(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<ladder_engine::packs::PackPreview> {
    state.run(move |e| e.preview_pack(&path)).await
}

#[tauri::command]
pub async fn course_map(
    state: State<'_, AppState>,
    learner: i64,
    course: String,
) -> Result<CourseMap> {
    state.run(move |e| e.course_map(LearnerId(learner), &course)).await
}

#[tauri::command]
pub async fn start_session(
    state: State<'_, AppState>,
    learner: i64,
    course: String,
    lesson: Option<String>,
    policy: Option<PolicyKind>,
) -> Result<SessionInfo> {
    // The learner's open session on this course from the same sitting is carried on (after a
    // restart the item on screen comes back); older open ones are ended
    // (`Engine::resume_session`). `ladder serve`'s `start_session` always starts a new one.
    state
        .run(move |e| {
            let learner = LearnerId(learner);
            match e.resume_session(learner, &course, lesson.as_deref(), policy)? {
                Some(open) => Ok(open),
                None => e.start_session(learner, &course, lesson.as_deref(), policy),
            }
        })
        .await
}

#[tauri::command]
pub async fn next_step(state: State<'_, AppState>, session: i64) -> Result<Step> {
    state.run(move |e| e.next_step(SessionId(session))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn submit_answer(
    state: State<'_, AppState>,
    session: i64,
    answer: Answer,
    latency_ms: Option<u64>,
) -> Result<AnswerResult> {
    state.run(move |e| e.submit_answer(SessionId(session), &answer, latency_ms.unwrap_or(0))).await
}

#[tauri::command]
pub async fn request_hint(state: State<'_, AppState>, session: i64) -> Result<HintView> {
    state.run(move |e| e.request_hint(SessionId(session))).await
}

#[tauri::command]
pub async fn view_solution(state: State<'_, AppState>, session: i64) -> Result<HintView> {
    state.run(move |e| e.view_solution(SessionId(session))).await
}

#[tauri::command]
pub async fn skip(state: State<'_, AppState>, session: i64) -> Result<SkipResult> {
    state.run(move |e| e.skip(SessionId(session)).map(|()| SkipResult { skipped: true })).await
}

#[tauri::command]
pub async fn end_session(state: State<'_, AppState>, session: i64) -> Result<SessionSummary> {
    state.run(move |e| e.end_session(SessionId(session))).await
}

#[tauri::command]
pub async fn mastery_summary(
    state: State<'_, AppState>,
    learner: i64,
    course: String,
) -> Result<MasterySummary> {
    state.run(move |e| e.mastery_summary(LearnerId(learner), &course)).await
}

#[cfg(test)]
mod tests {
    use super::{
        folder_dialog_title, install_error_in_ui_language, pack_dialog_words, preload_problems_in,
    };
    use ladder_engine::view::PreloadProblem;
    use ladder_engine::{Engine, EngineOptions, ErrorKind};
    use std::path::Path;

    fn broken() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/packs/broken/unknown-field")
    }

    #[test]
    fn an_import_lists_the_validators_problems_in_the_ui_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
        let pack = broken().join("pack");
        let err = engine.install_pack(&pack, true).expect_err("invalid");
        let english = err.message.clone();
        assert!(english.starts_with("the pack is not valid:\n"), "{english}");
        // English UI: the engine's error as it is.
        let same = install_error_in_ui_language(&engine, &pack, err.clone());
        assert_eq!(same.message, english);
        // The settings screen's way: another connection, read by the engine at once.
        ladder_engine::admin::Admin::open(dir.path())
            .and_then(|mut admin| admin.set_language("es"))
            .expect("language");
        let es = install_error_in_ui_language(&engine, &pack, err.clone());
        assert_eq!(es.kind, ErrorKind::Pack);
        assert!(es.message.starts_with("el paquete no es válido:\n"), "{}", es.message);
        assert!(es.message.contains("item[1].hint: campo desconocido `hint`"), "{}", es.message);
        assert_eq!(es.message.lines().count(), english.lines().count());
        // Another error (not the validator's) is left as it is.
        let other = ladder_engine::Error::conflict("a newer version is installed");
        let kept = install_error_in_ui_language(&engine, &pack, other.clone());
        assert_eq!(kept, other);
    }

    /// A refused import (the same version with other content) is said in Spanish under the
    /// Spanish UI, and left in English otherwise.
    #[test]
    fn an_import_refusal_comes_in_the_ui_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        let work = tempfile::tempdir().expect("tempdir");
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
        let fractions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/fractions");
        engine.install_pack(&fractions, false).expect("install");
        let changed = work.path().join("fractions");
        copy_dir(&fractions, &changed);
        let skills = changed.join("skills.toml");
        let text = std::fs::read_to_string(&skills).expect("read");
        std::fs::write(&skills, format!("{text}\n# changed\n")).expect("write");
        let intro = changed.join("lessons/01-meaning.toml");
        let text = std::fs::read_to_string(&intro).expect("read");
        std::fs::write(&intro, text.replacen("A **fraction**", "A **fraction** (changed)", 1))
            .expect("write");
        let err = engine.install_pack(&changed, true).expect_err("same version, other content");
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert!(err.message.contains("raise the version"), "{}", err.message);
        assert_eq!(install_error_in_ui_language(&engine, &changed, err.clone()), err);
        ladder_engine::admin::Admin::open(dir.path())
            .and_then(|mut admin| admin.set_language("es"))
            .expect("language");
        let es = install_error_in_ui_language(&engine, &changed, err);
        assert_eq!(es.kind, ErrorKind::Conflict);
        assert!(es.message.contains("sube la versión del paquete"), "{}", es.message);
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                copy_dir(&p, &to.join(entry.file_name()));
            } else {
                std::fs::copy(&p, to.join(entry.file_name())).expect("copy");
            }
        }
    }

    #[test]
    fn preload_problems_come_in_the_ui_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
        let problems = vec![
            PreloadProblem { source: "pack".into(), message: "the pack is not valid:\n...".into() },
            PreloadProblem { source: "gone".into(), message: "cannot read gone".into() },
        ];
        let en = preload_problems_in(problems.clone(), &broken(), &engine);
        assert_eq!(en, problems);
        ladder_engine::admin::Admin::open(dir.path())
            .and_then(|mut admin| admin.set_language("es"))
            .expect("language");
        let es = preload_problems_in(problems, &broken(), &engine);
        assert!(es[0].message.starts_with("el paquete no es válido:\n"), "{}", es[0].message);
        assert!(es[0].message.contains("campo desconocido `colour`"), "{}", es[0].message);
        assert_eq!(es[1].message, "cannot read gone");
    }

    /// A teacher changed a pack in the preload folder without raising its version: the next
    /// start refuses it, and the library says so in Spanish under the Spanish UI.
    #[test]
    fn a_changed_preload_pack_is_refused_in_the_ui_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        let preload = tempfile::tempdir().expect("tempdir");
        let fractions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/fractions");
        let copy = preload.path().join("fractions");
        copy_dir(&fractions, &copy);
        let mut engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
        assert_eq!(engine.preload_packs(preload.path()).expect("preload").installed.len(), 1);
        let intro = copy.join("lessons/01-meaning.toml");
        let text = std::fs::read_to_string(&intro).expect("read");
        std::fs::write(&intro, text.replacen("A **fraction**", "A **fraction** (changed)", 1))
            .expect("write");
        let problems = engine.preload_packs(preload.path()).expect("preload").problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("raise the version"), "{}", problems[0].message);
        ladder_engine::admin::Admin::open(dir.path())
            .and_then(|mut admin| admin.set_language("es"))
            .expect("language");
        let es = preload_problems_in(problems, preload.path(), &engine);
        assert!(es[0].message.contains("sube la versión del paquete"), "{}", es[0].message);
    }

    #[test]
    fn the_import_dialog_speaks_the_ui_language() {
        assert_eq!(
            pack_dialog_words(Some("es")),
            ("Importar un paquete de curso", "Paquete de curso de Ladder")
        );
        // English otherwise, also before a language was chosen (the dialog test finds this title).
        assert_eq!(pack_dialog_words(Some("en")), ("Import a course pack", "Ladder course pack"));
        assert_eq!(pack_dialog_words(None), ("Import a course pack", "Ladder course pack"));
        assert_eq!(folder_dialog_title(Some("es")), "Importar la carpeta de un paquete de curso");
        assert_eq!(folder_dialog_title(None), "Import a course pack folder");
    }
}
