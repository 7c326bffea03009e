// The app is a windowed program: no console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    ladder_app::startup::begin();
    // Before GTK or any other thread starts: the environment is read by WebKit at start.
    ladder_app::startup::configure_webkit();
    // The training job and the answer path run candle in this process: the same settings as
    // `ladder train` (ladder_engine::runtime).
    ladder_engine::runtime::tune_for_training();
    ladder_app::run()
}
