//! The real GTK file dialog of "Import a course pack…": no `LADDER_IMPORT_FILE` bypass. The test
//! finds the dialog window on the X display with `xdotool`, gives it the keyboard focus, types the
//! pack's path into its location entry and presses Return; the import report of that pack must
//! appear in the page.
//!
//! Every step waits by polling (the dialog window to be mapped, the focus to be on it, the dialog
//! to close), never by sleeping. One detail of GTK's location entry: the first Return after typing
//! a path can be taken by its completion instead of activating the dialog, so Return is pressed
//! again, up to a few times, while the dialog is still open.
//!
//! Ignored by a plain `cargo test`; `scripts/test-app.sh` runs it with `--ignored` (it needs Xvfb,
//! tauri-driver, WebKitWebDriver and xdotool, which `scripts/setup-app-deps.sh` installs).

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use ladder_e2e::{app_binary, find_program, poll, repo_root, Display, Driver, Result, Session};

const UI_TIMEOUT: Duration = Duration::from_secs(30);
/// The dialog's title (`choose_pack_file` in src-tauri/src/commands.rs).
const DIALOG_TITLE: &str = "Import a course pack";

/// `xdotool` on the test's display; its standard output, trimmed.
struct Xdotool {
    program: PathBuf,
    display: String,
}

impl Xdotool {
    fn run(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(&self.program)
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .map_err(|e| format!("cannot run xdotool: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(format!(
                "xdotool {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// The mapped windows titled `title` (xdotool exits 1 when there are none).
    fn visible(&self, title: &str) -> Vec<String> {
        self.run(&["search", "--onlyvisible", "--name", title])
            .map(|out| out.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    }
}

#[test]
#[ignore = "drives the real file dialog under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn import_through_the_real_file_dialog() {
    if let Err(e) = run() {
        panic!("end-to-end test failed: {e}");
    }
}

fn run() -> Result<()> {
    let app = app_binary()?;
    let xdotool = find_program("XDOTOOL", "xdotool")
        .map_err(|e| format!("{e} (apt-get install xdotool; scripts/setup-app-deps.sh does)"))?;
    let packs = repo_root().join("assets/packs");
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let preload = work.path().join("preload");
    std::fs::create_dir_all(&preload).map_err(|e| format!("mkdir: {e}"))?;
    let pack_file = work.path().join("fractions.ladderpack");
    ladder_pack::build(&packs.join("fractions"), &pack_file)
        .map_err(|e| format!("cannot build the Fractions pack: {e}"))?;
    let pack_path = pack_file.to_str().ok_or("the temp dir's path is not UTF-8")?;

    // An empty preload folder and no LADDER_IMPORT_FILE: the import must go through the dialog.
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &[("LADDER_PACKS_DIR", preload.as_os_str())])?;
    let x = Xdotool { program: xdotool, display: display.name.clone() };
    let args = vec!["--data-dir".to_string(), work.path().join("data").display().to_string()];
    let s = driver.session(&app, &args)?;
    s.set_window_size(1280, 800)?;
    add_learner_and_open_library(&s, "Ada")?;

    let import = s.wait_for("[data-testid=import-pack]", UI_TIMEOUT)?;
    s.click(&import)?;
    let dialog = poll("the file dialog's window", UI_TIMEOUT, || {
        Ok(x.visible(DIALOG_TITLE).into_iter().last())
    })?;
    x.run(&["windowfocus", "--sync", &dialog])?;
    poll("the keyboard focus on the dialog", UI_TIMEOUT, || {
        Ok((x.run(&["getwindowfocus"])? == dialog).then_some(()))
    })?;
    // Keys go to the window under the pointer's focus; keep the pointer inside the dialog.
    x.run(&["mousemove", "--window", &dialog, "200", "200"])?;
    // Ctrl+L opens the location entry (and selects what is in it); then the path.
    x.run(&["key", "ctrl+l"])?;
    x.run(&["type", "--delay", "20", pack_path])?;
    let mut presses = 0;
    poll("the dialog to accept the path and close", UI_TIMEOUT, || {
        if x.visible(DIALOG_TITLE).is_empty() {
            return Ok(Some(()));
        }
        if presses < 5 {
            presses += 1;
            x.run(&["key", "Return"])?;
            // Give this Return up to two seconds to close the dialog before the next one.
            let closed = poll("the dialog to close", Duration::from_secs(2), || {
                Ok(x.visible(DIALOG_TITLE).is_empty().then_some(()))
            });
            return Ok(closed.ok());
        }
        Ok(None)
    })?;

    // The page got the chosen path: the engine's dry-run report of that pack, nothing installed.
    let report = s.wait_for("[data-testid=import-report][data-pack=\"fractions\"]", UI_TIMEOUT)?;
    let text = s.text(&report)?;
    if !text.contains(pack_path) {
        return Err(format!("the report does not name the chosen file {pack_path}: {text}"));
    }
    if !s.find_all("[data-pack-id=\"fractions\"]")?.is_empty() {
        return Err("the dry run installed the pack".into());
    }
    let confirm = s.wait_for("[data-testid=confirm-install]", UI_TIMEOUT)?;
    s.click(&confirm)?;
    s.wait_for("[data-pack-id=\"fractions\"] .pack-title", UI_TIMEOUT)?;
    Ok(())
}

fn add_learner_and_open_library(s: &Session<'_>, name: &str) -> Result<()> {
    let input = s.wait_for("[data-testid=new-learner-name]", UI_TIMEOUT)?;
    s.type_text(&input, name)?;
    let add = s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?;
    s.click(&add)?;
    let learner = s.wait_for_text("[data-learner-id]", name, UI_TIMEOUT)?;
    s.click(&learner)?;
    s.wait_for_text("[data-testid=current-learner]", name, UI_TIMEOUT)?;
    Ok(())
}
