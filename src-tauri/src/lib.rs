//! Ladder's desktop shell: a Tauri 2 window over the Ladder crates.
//!
//! The shell is thin on purpose. [`commands`] are one per `ladder-engine` operation (the same
//! names and parameters as `ladder serve --stdio`, docs/api.md); the work happens in the engine,
//! which knows nothing about Tauri. Errors reach the UI as the engine's `{kind, message}`
//! ([`error::AppError`]). Pack images come through the `ladder-media:` scheme ([`media`]). The
//! UI's TypeScript types are generated from the Rust ones ([`bindings`]). See `docs/ui.md`.

use std::process::ExitCode;

pub mod admin;
#[cfg(test)]
mod bindings;
#[cfg(test)]
mod command_lists;
pub mod commands;
pub mod error;
pub mod media;
pub mod paths;
pub mod startup;
pub mod state;
pub mod window;

use paths::{Args, Paths, ProcessEnv};
use tauri::Manager;

/// Parses the command line, resolves the folders and runs the app until its window closes.
pub fn run() -> ExitCode {
    let args = match Args::parse(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("ladder-app: {}\n\n{}", e.message, paths::USAGE);
            return ExitCode::from(2);
        }
    };
    if args.help {
        print!("{}", paths::USAGE);
        return ExitCode::SUCCESS;
    }
    let paths = match Paths::resolve(&args, &ProcessEnv) {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("ladder-app: {}", e.message);
            return ExitCode::from(2);
        }
    };
    // A data directory that cannot be created is not a reason to show nothing: the window opens
    // and the learner picker shows the store's own message (docs/ui.md), which names the folder
    // and the reason. A release build on Windows has no console for this line.
    if let Err(e) = std::fs::create_dir_all(&paths.data_dir) {
        eprintln!("ladder-app: cannot create the data directory {}: {e}", paths.data_dir.display());
    }

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState::new(paths))
        .manage(admin::AdminState::default())
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, media::handle)
        .invoke_handler(admin::train_after_sessions(tauri::generate_handler![
            commands::app_info,
            commands::choose_pack_file,
            commands::choose_pack_folder,
            commands::list_learners,
            commands::add_learner,
            commands::list_courses,
            commands::install_pack,
            commands::preview_pack,
            commands::course_map,
            commands::start_session,
            commands::next_step,
            commands::submit_answer,
            commands::request_hint,
            commands::view_solution,
            commands::skip,
            commands::end_session,
            commands::mastery_summary,
            startup::trace_startup,
            admin::admin_overview,
            admin::unlock_tutor,
            admin::lock_tutor,
            admin::set_tutor_pin,
            admin::clear_tutor_pin,
            admin::set_language,
            admin::open_data_folder,
            admin::model_overview,
            admin::start_training,
            admin::watch_training,
            admin::cancel_training,
            admin::rollback_model,
            admin::list_backups,
            admin::backup_now,
            admin::restore_backup,
            admin::tutor_choices,
            admin::learner_roster,
            admin::rename_learner,
            admin::archive_learner,
            admin::unarchive_learner,
            admin::delete_learner,
            admin::export_learner_data,
            admin::course_roster,
            admin::remove_course,
            admin::restore_course,
            admin::tutor_report,
            admin::export_report,
        ]))
        .setup(|app| {
            startup::mark("setup (event loop ready)");
            // The returned thread is left to finish on its own; commands wait for its lock.
            let _ = app.state::<state::AppState>().open_in_background();
            window::open_main(app)?;
            startup::mark("window built");
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ladder-app: {e}");
            ExitCode::FAILURE
        }
    }
}
