// The app is a windowed program: no console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    ladder_app::startup::begin();
    // Before GTK or any other thread starts: the environment is read by WebKit at start.
    ladder_app::startup::configure_webkit();
    ladder_app::run()
}
