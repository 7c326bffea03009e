//! Start-up: the trace that says where a cold start spends its time, and the WebKitGTK settings
//! applied before the window opens.
//!
//! **Trace.** With `LADDER_TRACE_STARTUP=1` the app prints one line per milestone to stderr:
//!
//! ```text
//! ladder-app: startup 0.0 ms main
//! ladder-app: startup 41.3 ms setup (event loop ready)
//! ladder-app: startup 187.9 ms window built
//! ladder-app: startup 702.4 ms page load started tauri://localhost/index.html
//! ladder-app: startup 1010.6 ms picker interactive (page 305.1 ms)
//! ```
//!
//! Times are from a monotonic clock, since `main` started. The engine's thread adds its own
//! (`engine: opening`, `engine: store open`, `engine: packs preloaded`, `engine: model chosen`)
//! and then `daily backup taken` (or `not due`, `failed`) when the daily backup, started in the
//! background, is over (before or after the picker: nothing waits for it). The picker's mark comes from the UI
//! (the `trace_startup` command) once the learner picker shows its list and can take a click. Reading
//! the lines as they arrive, a launcher can time a start from its own `fork` to the picker
//! without a WebDriver session inside the interval (`bench/app/bench_app.py`). Without the
//! variable nothing is printed and the command does nothing.
//!
//! **WebKit compositing.** Unless `WEBKIT_DISABLE_COMPOSITING_MODE` is already set, the app sets
//! it to `1` before GTK starts: WebKitGTK then paints the page without its accelerated
//! (OpenGL) compositor. Ladder shows text, forms, SVG and small images, with no 3D, video or
//! CSS effects that need a compositor; on machines without a GPU driver the compositor runs on
//! Mesa's software renderer and costs ~85 MiB in the web process (docs/benchmarks.md, "App").
//! `LADDER_WEBKIT_COMPOSITING=1` keeps WebKit's default (docs/ui.md).

use std::sync::OnceLock;
use std::time::Instant;

/// When `main` started, and whether the trace is on; set once by [`begin`].
static START: OnceLock<(Instant, bool)> = OnceLock::new();

/// The environment variable that turns the trace on.
pub const TRACE_VAR: &str = "LADDER_TRACE_STARTUP";

/// Records the start of `main` and reads the trace switch. Call first thing in `main`.
pub fn begin() {
    let on = std::env::var_os(TRACE_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    if START.set((Instant::now(), on)).is_ok() {
        mark("main");
    }
}

/// Whether the trace is on.
pub fn enabled() -> bool {
    START.get().is_some_and(|(_, on)| *on)
}

/// Prints `what` with the time since `main` started, when the trace is on.
pub fn mark(what: &str) {
    if let Some((start, true)) = START.get() {
        eprintln!("ladder-app: startup {:.1} ms {what}", start.elapsed().as_secs_f64() * 1000.0);
    }
}

/// The UI's milestones: `mark` is what happened, `page_ms` the page's own clock then
/// (`performance.now()`, from the page's navigation start). Does nothing unless the trace is on.
#[tauri::command(rename_all = "snake_case")]
pub fn trace_startup(mark: String, page_ms: Option<f64>) {
    if enabled() {
        let what: String = mark.chars().filter(|c| !c.is_control()).take(80).collect();
        match page_ms {
            Some(ms) if ms.is_finite() => self::mark(&format!("{what} (page {ms:.1} ms)")),
            _ => self::mark(&what),
        }
    }
}

/// The variable WebKitGTK reads to turn its accelerated compositor off.
pub const COMPOSITING_VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Set to `1` to keep WebKitGTK's own compositing choice.
pub const KEEP_COMPOSITING_VAR: &str = "LADDER_WEBKIT_COMPOSITING";

/// The value to give [`COMPOSITING_VAR`], if any, given how the two variables are set now.
pub fn compositing_override(
    current: Option<&std::ffi::OsStr>,
    keep: Option<&std::ffi::OsStr>,
) -> Option<&'static str> {
    let keep = keep.is_some_and(|v| !v.is_empty() && v != "0");
    (current.is_none() && !keep).then_some("1")
}

/// Applies [`compositing_override`] to this process's environment. Call before any thread
/// starts (the environment is not safe to change while other threads read it).
pub fn configure_webkit() {
    let current = std::env::var_os(COMPOSITING_VAR);
    let keep = std::env::var_os(KEEP_COMPOSITING_VAR);
    if let Some(value) = compositing_override(current.as_deref(), keep.as_deref()) {
        std::env::set_var(COMPOSITING_VAR, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn compositing_is_turned_off_unless_set_or_kept() {
        assert_eq!(compositing_override(None, None), Some("1"));
        assert_eq!(compositing_override(None, Some(OsStr::new("0"))), Some("1"));
        assert_eq!(compositing_override(None, Some(OsStr::new(""))), Some("1"));
        assert_eq!(compositing_override(None, Some(OsStr::new("1"))), None);
        // The user's own choice, either way, is left alone.
        assert_eq!(compositing_override(Some(OsStr::new("0")), None), None);
        assert_eq!(compositing_override(Some(OsStr::new("1")), None), None);
    }
}
