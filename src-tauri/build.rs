//! Build script: generates the Tauri context and the permissions of the app's own commands.
//!
//! Every command the UI may call is listed in `COMMANDS`; tauri-build turns each into an
//! `allow-<command>` permission, and `capabilities/main.json` grants exactly those to the main
//! window. A command missing here cannot be granted, so the UI cannot call it.

use std::path::Path;

const COMMANDS: &[&str] = &[
    "app_info",
    "choose_pack_file",
    "choose_pack_folder",
    "list_learners",
    "add_learner",
    "list_courses",
    "install_pack",
    "preview_pack",
    "course_map",
    "start_session",
    "next_step",
    "submit_answer",
    "request_hint",
    "view_solution",
    "skip",
    "end_session",
    "mastery_summary",
    // start-up trace (src/startup.rs)
    "trace_startup",
    // the settings screen and the tutor area (src/admin.rs)
    "admin_overview",
    "unlock_tutor",
    "lock_tutor",
    "set_tutor_pin",
    "clear_tutor_pin",
    "set_language",
    "open_data_folder",
    "model_overview",
    "start_training",
    "watch_training",
    "cancel_training",
    "rollback_model",
    "list_backups",
    "backup_now",
    "restore_backup",
    "tutor_choices",
    "learner_roster",
    "rename_learner",
    "archive_learner",
    "unarchive_learner",
    "delete_learner",
    "export_learner_data",
    "course_roster",
    "remove_course",
    "restore_course",
    "tutor_report",
    "export_report",
];

fn main() {
    ensure_frontend_dist();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}

/// The built UI (`ui/dist`) is embedded into the binary at compile time. When it has not been
/// built yet (a fresh clone, `cargo clippy --workspace`), write a one-page placeholder so the
/// crate still compiles; the page says how to build the real UI. `scripts/run-app.sh` and
/// `scripts/test-app.sh` always build the UI first.
fn ensure_frontend_dist() {
    let dist = Path::new("../ui/dist");
    println!("cargo:rerun-if-changed=../ui/dist");
    if dist.join("index.html").exists() {
        return;
    }
    println!(
        "cargo:warning=ui/dist is missing: embedding a placeholder page (run `npm run build` in ui/)"
    );
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Ladder</title></head><body><h1>Ladder</h1>\
        <p id=\"ui-not-built\">The user interface has not been built. \
        Run <code>npm ci &amp;&amp; npm run build</code> in <code>ui/</code>, \
        then build the app again (or use <code>scripts/run-app.sh</code>).</p></body></html>\n";
    if let Err(e) =
        std::fs::create_dir_all(dist).and_then(|()| std::fs::write(dist.join("index.html"), page))
    {
        panic!("cannot write the placeholder ui/dist/index.html: {e}");
    }
}
