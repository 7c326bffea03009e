//! Ladder's desktop shell: a Tauri 2 window over the Ladder crates.
//!
//! The shell is thin on purpose. [`commands`] converts requests and answers; the work happens in
//! plain modules ([`learners`], [`library`]) that know nothing about Tauri and are tested without a
//! window. Errors reach the UI as `{kind, message}` ([`error::AppError`]). See `docs/ui.md`.

use std::process::ExitCode;

pub mod commands;
pub mod error;
pub mod learners;
pub mod library;
pub mod paths;
pub mod state;
pub mod window;
mod wire;

use paths::{Args, Paths, ProcessEnv};

/// Parses the command line, resolves the folders and runs the app until its window closes.
pub fn run() -> ExitCode {
    let args = match Args::parse(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("ladder-app: {e}\n\n{}", paths::USAGE);
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
            eprintln!("ladder-app: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&paths.data_dir) {
        eprintln!("ladder-app: cannot create the data directory {}: {e}", paths.data_dir.display());
        return ExitCode::FAILURE;
    }

    let result = tauri::Builder::default()
        .manage(state::AppState::new(paths))
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_learners,
            commands::create_learner,
            commands::list_packs,
        ])
        .setup(|app| {
            window::open_main(app)?;
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
