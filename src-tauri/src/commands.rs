//! The commands the UI may call. Each one converts the request, calls a module off the UI thread
//! and returns the answer or an [`AppError`]. Every command here must also be listed in
//! `build.rs` (which creates its `allow-` permission) and granted in `capabilities/main.json`.

use serde::Serialize;
use tauri::State;

use crate::error::{AppError, Result};
use crate::learners::Learner;
use crate::library::{self, Library};
use crate::state::AppState;

/// Runs blocking work (file or database access) on the blocking thread pool, never on the
/// thread that drives the window.
async fn off_ui_thread<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("a background task failed: {e}")))?
}

/// What the app knows about itself: shown in the footer and useful in bug reports.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub packs_dir: String,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.paths.data_dir.display().to_string(),
        packs_dir: state.paths.packs_dir.display().to_string(),
    }
}

#[tauri::command]
pub async fn list_learners(state: State<'_, AppState>) -> Result<Vec<Learner>> {
    let learners = state.learners.clone();
    off_ui_thread(move || learners.list()).await
}

#[tauri::command]
pub async fn create_learner(state: State<'_, AppState>, name: String) -> Result<Learner> {
    let learners = state.learners.clone();
    off_ui_thread(move || learners.create(&name)).await
}

#[tauri::command]
pub async fn list_packs(state: State<'_, AppState>) -> Result<Library> {
    let dir = state.paths.packs_dir.clone();
    off_ui_thread(move || library::scan(&dir)).await
}
