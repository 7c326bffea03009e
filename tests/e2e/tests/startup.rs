//! Start-up failures show in the window, not only on a console a release build does not have:
//! a data directory that cannot be created (here: its parent is a file) opens the app with the
//! store's message in the learner picker.
//!
//! Ignored by a plain `cargo test`; `scripts/test-app.sh` runs it with `--ignored`.

use std::time::Duration;

use ladder_e2e::{app_binary, poll, Display, Driver, Result};
use serde_json::json;

const UI_TIMEOUT: Duration = Duration::from_secs(30);

#[test]
#[ignore = "drives the real app window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn a_data_directory_that_cannot_be_created_is_reported_in_the_window() {
    if let Err(e) = run() {
        panic!("end-to-end test failed: {e}");
    }
}

fn run() -> Result<()> {
    let app = app_binary()?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let blocker = work.path().join("not-a-folder");
    std::fs::write(&blocker, b"a file where a folder should be")
        .map_err(|e| format!("write {}: {e}", blocker.display()))?;
    let data = blocker.join("data");
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &[])?;
    let args = vec!["--data-dir".to_string(), data.display().to_string()];
    let s = driver.session(&app, &args)?;
    let message = poll("the picker's error message", UI_TIMEOUT, || {
        let v = s.execute(
            "const e = document.querySelector('[data-testid=learner-error]'); \
             return e && !e.hidden ? e.textContent : null;",
            json!([]),
        )?;
        Ok(v.as_str().map(str::to_string))
    })?;
    if !message.contains("cannot create the data directory") || !message.contains("not-a-folder") {
        return Err(format!("the message does not say what failed and where: {message}"));
    }
    Ok(())
}
