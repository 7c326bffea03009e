//! The tutor area and the settings screen, end to end in the real window: the PIN lock, a
//! learner report (only that learner's data, and the same content as the HTML export), the
//! exports in every format, the class report, the learner list (rename, archive, delete), the
//! model status and "Train now", and restoring a backup with its confirmation.
//!
//! The history is written beforehand through the engine (two learners answering the Fractions
//! pack), a backup is taken while only the first learner exists, and a tutor PIN is set, so the
//! window has something to report, restore and lock. Ignored by a plain `cargo test`;
//! `scripts/test-app.sh` runs it with `--ignored` (see tests/app.rs and docs/ui.md). Screenshots: `docs/screenshots/tutor-*.png` and
//! `settings*.png` (or `$LADDER_SCREENSHOTS_DIR`). Exports are written without the save dialog
//! into a temporary folder named by `$LADDER_EXPORT_DIR`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ladder_e2e::{
    app_binary, poll, practise, repo_root, screenshots_dir, Display, Driver, Result, Session,
    SCREENSHOT_ENV,
};
use ladder_engine::admin::Admin;
use ladder_engine::{Engine, EngineOptions};
use serde_json::{json, Value};

const UI_TIMEOUT: Duration = Duration::from_secs(30);
/// Training on a busy 2-core machine: a few seconds idle, more under load.
const TRAIN_TIMEOUT: Duration = Duration::from_secs(240);
const PIN: &str = "2468";

/// What the setup wrote, for the checks.
struct History {
    ada: i64,
    ben: i64,
    backup: String,
}

/// Ada practises, a PIN is set, a backup is taken; then Ben practises (after the backup). 60
/// answers each: the training job holds back a fifth of each history, half of it to choose the
/// epoch and half (at least 10) to compare the models, so 30 each were too few to train.
fn write_history(data: &Path) -> Result<History> {
    let fractions_dir = repo_root().join("assets/packs/fractions");
    let pack = ladder_pack::load(&fractions_dir)
        .map_err(|e| format!("cannot load {}: {e}", fractions_dir.display()))?;
    let mut engine =
        Engine::open(data, EngineOptions::default()).map_err(|e| format!("open: {e}"))?;
    engine.install_pack(&fractions_dir, false).map_err(|e| format!("install Fractions: {e}"))?;
    let ada = engine.add_learner("Ada Lovelace").map_err(|e| format!("add Ada: {e}"))?.id;
    practise(&mut engine, &pack, ada, 60)?;
    let mut admin = Admin::open(data).map_err(|e| format!("admin: {e}"))?;
    admin.set_pin(None, PIN).map_err(|e| format!("set the PIN: {e}"))?;
    let backup = admin.backup_now().map_err(|e| format!("backup: {e}"))?.name;
    let ben = engine.add_learner("Ben Okafor").map_err(|e| format!("add Ben: {e}"))?.id;
    practise(&mut engine, &pack, ben, 60)?;
    Ok(History { ada, ben, backup })
}

#[test]
#[ignore = "drives the built app in a real window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn tutor_area_and_settings_in_the_real_window() {
    if let Err(e) = run() {
        panic!("end-to-end test failed: {e}");
    }
}

fn js(s: &Session<'_>, script: &str) -> Result<Value> {
    s.execute(script, json!([]))
}

fn text_of(s: &Session<'_>, selector: &str) -> Result<String> {
    let v = s.execute(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
        json!([selector]),
    )?;
    v.as_str().map(str::to_owned).ok_or_else(|| format!("no `{selector}` on the page"))
}

/// Chooses `value` in the `<select>` named by `selector`, as a person would (change event).
fn choose(s: &Session<'_>, selector: &str, value: &str) -> Result<()> {
    let ok = s.execute(
        "const el = document.querySelector(arguments[0]); if (!el) return false; \
         el.value = arguments[1]; el.dispatchEvent(new Event('change')); return el.value === arguments[1];",
        json!([selector, value]),
    )?;
    if ok == json!(true) {
        Ok(())
    } else {
        Err(format!("cannot choose `{value}` in `{selector}`"))
    }
}

/// Shows the report for the current choices and waits for it.
fn show_report(s: &Session<'_>) -> Result<()> {
    js(s, "const v = document.querySelector('[data-testid=report-view]'); if (v) v.replaceChildren();")?;
    let show = s.wait_for("[data-testid=report-show]", UI_TIMEOUT)?;
    s.click(&show)?;
    s.wait_for("[data-testid=report-view] .ladder-report", UI_TIMEOUT)?;
    Ok(())
}

/// Nothing on the page is wider than an 800x600 window with text at 200% (the page zoomed
/// twice: 400 CSS pixels across), so nothing needs a sideways scroll; `what` names the state.
fn fits_at_200_percent(s: &Session<'_>, what: &str) -> Result<()> {
    s.set_window_size(800, 600)?;
    poll("the window at 800x600", UI_TIMEOUT, || {
        Ok(js(s, "return window.innerWidth <= 800 || null;")?.as_bool())
    })?;
    let sizes = js(
        s,
        "const d = document.documentElement; d.style.zoom = '2'; \
         const r = [d.scrollWidth, d.clientWidth]; d.style.zoom = ''; return r;",
    )?;
    s.set_window_size(1280, 800)?;
    match (sizes[0].as_u64(), sizes[1].as_u64()) {
        (Some(wide), Some(window)) if wide <= window => Ok(()),
        _ => Err(format!("at 200% in 800x600, {what} is wider than the window: {sizes}")),
    }
}

/// The id (`data-testid`) of the element that has the keyboard focus.
fn focused(s: &Session<'_>) -> Result<String> {
    let v = js(
        s,
        "const a = document.activeElement; return a ? (a.dataset.testid || a.tagName) : '';",
    )?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// The report's text as a person reads it, whitespace collapsed: all of it, the "made at" line
/// included (an export writes the report on screen, not a newer one).
const REPORT_TEXT_JS: &str = "function reportText(root) { \
     return root.textContent.replace(/\\s+/g, ' ').trim(); }";

fn run() -> Result<()> {
    let app = app_binary()?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let data = work.path().join("data");
    let exports = work.path().join("exports");
    let preload = work.path().join("preload");
    for d in [&exports, &preload] {
        std::fs::create_dir_all(d).map_err(|e| format!("mkdir {}: {e}", d.display()))?;
    }
    let history = write_history(&data)?;
    let shots = screenshots_dir();
    let env = [
        ("LADDER_PACKS_DIR", preload.as_os_str()),
        ("LADDER_EXPORT_DIR", exports.as_os_str()),
        (SCREENSHOT_ENV.0, std::ffi::OsStr::new(SCREENSHOT_ENV.1)),
    ];
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &env)?;
    let args = vec!["--data-dir".to_string(), data.display().to_string()];
    let s = driver.session(&app, &args)?;
    s.set_window_size(1280, 800)?;
    s.wait_for("[data-testid=learner-picker]", UI_TIMEOUT)?;

    // ----- the PIN lock -----------------------------------------------------------------------
    let tutor = s.wait_for("[data-testid=nav-tutor]", UI_TIMEOUT)?;
    s.click(&tutor)?;
    s.wait_for("[data-testid=tutor-lock]", UI_TIMEOUT)?;
    if !s.find_all("[data-testid=report-form]")?.is_empty() {
        return Err("the report form is shown while the tutor area is locked".into());
    }
    s.screenshot(&shots.join("tutor-lock.png"))?;
    let pin = s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?;
    s.type_text(&pin, "1111")?;
    s.click(&s.wait_for("[data-testid=unlock-submit]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=unlock-error]", "not right", UI_TIMEOUT)?;
    // A refused PIN says the way out of a forgotten one, for this data folder.
    let forgotten = s.wait_for("[data-testid=unlock-forgotten]", UI_TIMEOUT)?;
    let way_out = format!("ladder --data-dir '{}' db clear-pin", data.display());
    if !s.text(&forgotten)?.contains(&way_out) {
        return Err(format!("after a wrong PIN the lock says {:?}", s.text(&forgotten)?));
    }
    fits_at_200_percent(&s, "the PIN prompt with the way out of a forgotten PIN")?;
    js(&s, "document.querySelector('[data-testid=unlock-pin]').value = '';")?;
    let pin = s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?;
    s.type_text(&pin, PIN)?;
    s.click(&s.wait_for("[data-testid=unlock-submit]", UI_TIMEOUT)?)?;

    // ----- a learner report: only Ada, the same content as the HTML export ---------------------
    s.wait_for("[data-testid=report-form]", UI_TIMEOUT)?;
    choose(&s, "[data-testid=report-scope]", "learner")?;
    choose(&s, "[data-testid=report-learner]", &history.ada.to_string())?;
    choose(&s, "[data-testid=report-course]", "fractions")?;
    show_report(&s)?;
    let shown = text_of(&s, "[data-testid=report-view] .ladder-report")?;
    if !shown.contains("Ada Lovelace") || shown.contains("Ben Okafor") {
        return Err(format!("Ada's report should name Ada and not Ben: {shown:.300}"));
    }
    let ids =
        js(&s, "return document.querySelector('[data-testid=report-view]').dataset.learners;")?;
    if ids != json!(history.ada.to_string()) {
        return Err(format!("Ada's report holds the data of learners {ids}"));
    }
    // The report's stylesheet applies under the CSP (it is a bundled file, not inline).
    let styled = js(
        &s,
        "const r = document.querySelector('.ladder-report'); \
         return getComputedStyle(r).maxWidth;",
    )?;
    if styled.as_str().is_none_or(|w| w == "none") {
        return Err(format!("the report stylesheet is not applied (max-width {styled})"));
    }
    if js(&s, "return document.querySelectorAll('.ladder-report svg').length;")?.as_u64() == Some(0)
    {
        return Err("the report shows no SVG chart".into());
    }
    s.screenshot(&shots.join("tutor-report.png"))?;
    // From the keyboard: Enter on "Show report" keeps the focus there once the report is shown
    // (the button is disabled meanwhile, which used to drop the focus to the top of the page).
    js(&s, "document.querySelector('[data-testid=report-view]').replaceChildren();")?;
    let show = s.wait_for("[data-testid=report-show]", UI_TIMEOUT)?;
    s.type_text(&show, "\u{E007}")?;
    s.wait_for("[data-testid=report-view] .ladder-report", UI_TIMEOUT)?;
    poll("the focus back on \"Show report\"", UI_TIMEOUT, || {
        Ok(Some(focused(&s)?).filter(|f| f == "report-show"))
    })
    .map_err(|e| format!("{e}; the focus is on {:?}", focused(&s)))?;

    // Ada practises on meanwhile (the CLI on the same data folder, say): the exports are still
    // the report the tutor reads, not a newer one with her latest answers.
    let fractions_dir = repo_root().join("assets/packs/fractions");
    let pack = ladder_pack::load(&fractions_dir).map_err(|e| format!("load Fractions: {e}"))?;
    let mut engine =
        Engine::open(&data, EngineOptions::default()).map_err(|e| format!("open: {e}"))?;
    practise(&mut engine, &pack, history.ada, 5)?;
    drop(engine);

    let mut written: Vec<PathBuf> = Vec::new();
    for format in ["html", "pdf", "csv", "json"] {
        js(&s, "const n = document.querySelector('[data-testid=export-status]'); n.textContent = ''; delete n.dataset.files;")?;
        s.click(&s.wait_for(&format!("[data-testid=export-{format}]"), UI_TIMEOUT)?)?;
        poll(&format!("the {format} export"), UI_TIMEOUT, || {
            let v = js(&s, "return document.querySelector('[data-testid=export-status]').dataset.files || null;")?;
            Ok(v.as_str().map(str::to_owned))
        })?;
        let file = std::fs::read_dir(&exports)
            .map_err(|e| format!("list {}: {e}", exports.display()))?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == format) && !written.contains(p))
            .ok_or_else(|| format!("no .{format} file in the export folder"))?;
        // Named after the learner, so that exports can be told apart in a folder.
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !name.starts_with("ladder-report-ada-lovelace-") {
            return Err(format!("the export of Ada's report is called {name}"));
        }
        written.push(file);
    }
    let html =
        std::fs::read_to_string(&written[0]).map_err(|e| format!("read the HTML export: {e}"))?;
    let same = s.execute(
        &format!(
            "{REPORT_TEXT_JS} \
             const doc = new DOMParser().parseFromString(arguments[0], 'text/html'); \
             const file = doc.querySelector('.ladder-report'); \
             const screen = document.querySelector('[data-testid=report-view] .ladder-report'); \
             if (!file) return 'the HTML export has no .ladder-report'; \
             const a = reportText(screen), b = reportText(file); \
             return a === b ? true : ('screen: ' + a.slice(0, 300) + ' | file: ' + b.slice(0, 300));"
        ),
        json!([html]),
    )?;
    if same != json!(true) {
        return Err(format!("the screen and the HTML export differ: {same}"));
    }
    let pdf = std::fs::read(&written[1]).map_err(|e| format!("read the PDF export: {e}"))?;
    if !pdf.starts_with(b"%PDF-") {
        return Err("the PDF export is not a PDF".into());
    }
    let csv = std::fs::read_to_string(&written[2]).map_err(|e| format!("read the CSV: {e}"))?;
    if !csv.contains("Ada Lovelace") || csv.contains("Ben Okafor") {
        return Err(format!("Ada's CSV should name Ada only: {csv:.300}"));
    }
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(&written[3]).map_err(|e| format!("read the JSON: {e}"))?,
    )
    .map_err(|e| format!("the JSON export is not JSON: {e}"))?;
    if report["learner"]["id"] != json!(history.ada) {
        return Err(format!("the JSON export is about {}, not Ada", report["learner"]));
    }

    // ----- the class report --------------------------------------------------------------------
    choose(&s, "[data-testid=report-scope]", "class")?;
    show_report(&s)?;
    let class = text_of(&s, "[data-testid=report-view] .ladder-report")?;
    if !(class.contains("Ada Lovelace") && class.contains("Ben Okafor")) {
        return Err(format!("the class report should name both learners: {class:.300}"));
    }
    s.screenshot(&shots.join("tutor-class.png"))?;
    // The grid of every skill is wider than an 800-pixel window: its box scrolls sideways, and
    // from the keyboard too (it takes the focus; the arrow keys scroll it).
    s.set_window_size(800, 600)?;
    let grid = s.wait_for("[data-testid=report-view] .lr-scroll", UI_TIMEOUT)?;
    poll("the class grid wider than its box", UI_TIMEOUT, || {
        Ok(js(&s, "const b = document.querySelector('.lr-scroll'); return b.scrollWidth > b.clientWidth || null;")?.as_bool())
    })?;
    s.type_text(&grid, "\u{E014}\u{E014}\u{E014}")?;
    poll("the class grid scrolled by the arrow keys", UI_TIMEOUT, || {
        Ok(js(&s, "return document.querySelector('.lr-scroll').scrollLeft > 0 || null;")?.as_bool())
    })?;
    s.set_window_size(1280, 800)?;

    // ----- training after a session, then "Train now" --------------------------------------------
    // A short session through the app's own commands (what the practice screen calls): its
    // `end_session` starts a training job in the background.
    let ended = s.execute_async(
        "const done = arguments[arguments.length - 1]; \
         const invoke = window.__TAURI_INTERNALS__.invoke; \
         (async () => { \
           const started = await invoke('start_session', { learner: arguments[0], course: 'fractions' }); \
           await invoke('next_step', { session: started.session }); \
           await invoke('end_session', { session: started.session }); \
           return true; \
         })().then(done, (e) => done(JSON.stringify(e)));",
        json!([history.ada]),
    )?;
    if ended != json!(true) {
        return Err(format!("the session through the app's commands failed: {ended}"));
    }
    s.click(&s.wait_for("[data-testid=nav-settings]", UI_TIMEOUT)?)?;
    let after_session = poll("the training job started by the session", TRAIN_TIMEOUT, || {
        let v = js(
            &s,
            "const r = document.querySelector('[data-testid=training-result]'); \
             return r && r.dataset.trigger === 'session_end' ? r.dataset.outcome : null;",
        )?;
        Ok(v.as_str().map(str::to_owned))
    })?;
    if !["improved", "kept_current"].contains(&after_session.as_str()) {
        let text = text_of(&s, "[data-testid=training-result]")?;
        return Err(format!("training after the session ended with {after_session}: {text}"));
    }
    s.wait_for("[data-testid=model-predictor]", UI_TIMEOUT)?;
    let data_shown = text_of(&s, "[data-testid=data-dir]")?;
    if data_shown != data.display().to_string() {
        return Err(format!("the settings show the data folder {data_shown}"));
    }
    s.wait_for(&format!("[data-backup=\"{}\"]", history.backup), UI_TIMEOUT)?;
    s.screenshot(&shots.join("settings.png"))?;
    s.click(&s.wait_for("[data-testid=train-now]", UI_TIMEOUT)?)?;
    let outcome = poll("the result of \"Train now\"", TRAIN_TIMEOUT, || {
        let v = js(
            &s,
            "const r = document.querySelector('[data-testid=training-result]'); \
             return r && r.dataset.trigger === 'manual' ? r.dataset.outcome : null;",
        )?;
        Ok(v.as_str().map(str::to_owned))
    })?;
    // No answer came since the session's job: when that job made a new model, "Train now" has
    // nothing new to learn from and says so with that model (it retrained on the same answers
    // and "improved" again before); when it kept the bundled one, it trains and compares.
    let expected: &[&str] =
        if after_session == "improved" { &["up_to_date"] } else { &["improved", "kept_current"] };
    if !expected.contains(&outcome.as_str()) {
        let text = text_of(&s, "[data-testid=training-result]")?;
        return Err(format!(
            "training after a session job that ended {after_session} ended with {outcome}: {text}"
        ));
    }
    // Its figures come from the job's report, in the UI's words (not the engine's sentence).
    let details = text_of(&s, "[data-testid=training-result] .training-details")?;
    let figures_read_right = if outcome == "up_to_date" {
        details.starts_with("Model #") && details.contains("trained on")
    } else {
        details.starts_with("On ")
            && details.contains("held-back answers")
            && details.contains("AUC")
    };
    if !figures_read_right {
        return Err(format!("the training result's figures read {details:?}"));
    }
    s.screenshot(&shots.join("settings-training.png"))?;

    // ----- going back to the model before: the button names where it goes, and it goes there -----
    // A model trained here is in use (the session's job improved on the bundled one), so going
    // back is offered. The command behind it was once written and tested but not registered
    // with the window ("command not allowed"): this clicks the real one.
    if after_session == "improved" {
        let back = s.wait_for("[data-testid=model-rollback]", UI_TIMEOUT)?;
        let label = s.text(&back)?;
        if label != "Go back to the default model" {
            return Err(format!("the rollback button reads {label:?}"));
        }
        s.click(&back)?;
        s.click(&s.wait_for("[data-testid=rollback-confirm]", UI_TIMEOUT)?)?;
        s.wait_for_text(
            "[data-testid=model-status]",
            "the default model that came with Ladder is, from now on",
            UI_TIMEOUT,
        )?;
        let version = text_of(&s, "[data-testid=model-version]")?;
        if !version.contains("none in use") {
            return Err(format!("after going back the model version reads {version:?}"));
        }
        if !s.find_all("[data-testid=model-rollback]")?.is_empty() {
            return Err("going back is still offered with the default model in use".into());
        }
    } else if !s.find_all("[data-testid=model-rollback]")?.is_empty() {
        return Err(format!("going back is offered after a job that {after_session}"));
    }

    // ----- the learner list: rename, archive (out of the picker), delete for good ---------------
    let ben_row = format!("[data-learner=\"{}\"]", history.ben);
    s.click(&s.wait_for("[data-testid=nav-tutor]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for(&format!("{ben_row} [data-testid=learner-rename]"), UI_TIMEOUT)?)?;
    let input = s.wait_for("[data-testid=learner-new-name]", UI_TIMEOUT)?;
    js(&s, "document.querySelector('[data-testid=learner-new-name]').value = '';")?;
    s.type_text(&input, "Benedict Okafor")?;
    s.click(&s.wait_for("[data-testid=learner-rename-save]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learners-status]", "now called Benedict Okafor", UI_TIMEOUT)?;
    let options = s.texts("[data-testid=report-learner] option")?;
    if !options.iter().any(|o| o == "Benedict Okafor") {
        return Err(format!("after the rename the report offers {options:?}"));
    }
    s.click(&s.wait_for(&format!("{ben_row} [data-testid=learner-archive]"), UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learners-status]", "is archived", UI_TIMEOUT)?;
    s.wait_for(&format!("[data-testid=learners-archived] {ben_row}"), UI_TIMEOUT)?;
    s.click(&s.wait_for("[data-testid=nav-learn]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-learner-id]", "Ada Lovelace", UI_TIMEOUT)?;
    let names = s.texts("[data-learner-id] .name")?;
    if names.iter().any(|n| n.contains("Ben")) {
        return Err(format!("the picker still lists an archived learner: {names:?}"));
    }
    s.click(&s.wait_for("[data-testid=nav-tutor]", UI_TIMEOUT)?)?;
    // His data, saved before the deletion: everything stored about him, named after him.
    s.click(&s.wait_for(&format!("{ben_row} [data-testid=learner-export]"), UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learners-status]", "Benedict Okafor", UI_TIMEOUT)?;
    let saved = std::fs::read_dir(&exports)
        .map_err(|e| format!("list {}: {e}", exports.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("ladder-learner-benedict-okafor-"))
        })
        .ok_or("no learner data file named after Benedict in the export folder")?;
    let data_file: Value = serde_json::from_str(
        &std::fs::read_to_string(&saved).map_err(|e| format!("read {}: {e}", saved.display()))?,
    )
    .map_err(|e| format!("the learner data is not JSON: {e}"))?;
    let answers = data_file["events"]
        .as_array()
        .map(|evs| evs.iter().filter(|e| e["event"]["type"] == "answer").count())
        .unwrap_or(0);
    if data_file["learner"]["name"] != json!("Benedict Okafor") || answers == 0 {
        return Err(format!(
            "the learner data holds {} with {answers} answers",
            data_file["learner"]["name"]
        ));
    }
    // In Spanish (longer labels), the learner list with a deletion question fits a small
    // window with large text, and "Keep" gives the focus back to "Delete…".
    let set_language = |tag: &str| -> Result<()> {
        let v = s.execute_async(
            "const done = arguments[arguments.length - 1]; \
             window.__TAURI_INTERNALS__.invoke('set_language', { language: arguments[0] }) \
               .then(() => done(true), (e) => done(JSON.stringify(e)));",
            json!([tag]),
        )?;
        if v != json!(true) {
            return Err(format!("set_language {tag}: {v}"));
        }
        s.click(&s.wait_for("[data-testid=nav-learn]", UI_TIMEOUT)?)?;
        s.wait_for("[data-learner-id]", UI_TIMEOUT)?;
        s.click(&s.wait_for("[data-testid=nav-tutor]", UI_TIMEOUT)?)?;
        Ok(())
    };
    set_language("es")?;
    s.wait_for_text("[data-testid=report-show]", "Ver informe", UI_TIMEOUT)?;
    s.click(&s.wait_for(&format!("{ben_row} [data-testid=learner-delete]"), UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learner-delete-dialog]", "Benedict Okafor", UI_TIMEOUT)?;
    fits_at_200_percent(&s, "the learner list asking before a deletion, in Spanish")?;
    s.click(&s.wait_for("[data-testid=learner-delete-cancel]", UI_TIMEOUT)?)?;
    if focused(&s)? != "learner-delete" {
        return Err(format!("after \"Keep\" the focus is on {}", focused(&s)?));
    }
    set_language("en")?;
    // A deletion refused from the keyboard (he was renamed on another front end meanwhile)
    // closes the question with the focus back on "Delete…": the pressed button is gone, and the
    // focus fell to the page.
    let rename_ben = |name: &str| -> Result<()> {
        let mut engine =
            Engine::open(&data, EngineOptions::default()).map_err(|e| format!("open: {e}"))?;
        engine
            .rename_learner(ladder_store::LearnerId(history.ben), name)
            .map_err(|e| format!("rename Ben to {name}: {e}"))?;
        Ok(())
    };
    s.click(&s.wait_for(&format!("{ben_row} [data-testid=learner-delete]"), UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learner-delete-dialog]", UI_TIMEOUT)?;
    rename_ben("Benedict O.")?;
    s.type_text(&s.wait_for("[data-testid=learner-delete-confirm]", UI_TIMEOUT)?, "\u{E007}")?;
    s.wait_for_text("[data-testid=learners-error]", "renamed", UI_TIMEOUT)?;
    if focused(&s)? != "learner-delete" {
        return Err(format!("after a refused deletion the focus is on {}", focused(&s)?));
    }
    rename_ben("Benedict Okafor")?;
    s.click(&s.wait_for(&format!("{ben_row} [data-testid=learner-delete]"), UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learner-delete-dialog]", "Benedict Okafor", UI_TIMEOUT)?;
    // The screenshot for the docs without the temporary export path.
    js(&s, "document.querySelector('[data-testid=learners-status]').textContent = '';")?;
    s.screenshot(&shots.join("tutor-learners.png"))?;
    s.click(&s.wait_for("[data-testid=learner-delete-confirm]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learners-status]", "was deleted", UI_TIMEOUT)?;
    if !s.find_all(&ben_row)?.is_empty() {
        return Err("the deleted learner is still listed".into());
    }
    let store = ladder_store::Store::open(&data).map_err(|e| format!("open the store: {e}"))?;
    let left = store
        .read(|tx| {
            Ok((
                tx.learners(true)?.iter().map(|l| l.id.0).collect::<Vec<_>>(),
                tx.event_count(ladder_store::LearnerId(history.ben))?,
            ))
        })
        .map_err(|e| format!("read the store: {e}"))?;
    if left != (vec![history.ada], 0) {
        return Err(format!(
            "after the deletion the store holds learners and Ben's events {left:?}"
        ));
    }
    // The unchanged data file went with him.
    if saved.exists() {
        return Err(format!("{} is still there after the deletion", saved.display()));
    }
    drop(store);
    s.click(&s.wait_for("[data-testid=nav-settings]", UI_TIMEOUT)?)?;

    // ----- restore the backup (Ada only), with its confirmation --------------------------------
    let row = format!("[data-backup=\"{}\"]", history.backup);
    s.click(&s.wait_for(&format!("{row} [data-testid=restore-backup]"), UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=restore-dialog]", UI_TIMEOUT)?;
    fits_at_200_percent(&s, "the settings asking before a restore")?;
    s.click(&s.wait_for("[data-testid=restore-cancel]", UI_TIMEOUT)?)?;
    if !s.find_all("[data-testid=restore-dialog]")?.is_empty() {
        return Err("the restore confirmation did not close".into());
    }
    s.click(&s.wait_for(&format!("{row} [data-testid=restore-backup]"), UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=restore-dialog]", UI_TIMEOUT)?;
    s.screenshot(&shots.join("settings-restore-confirm.png"))?;
    s.click(&s.wait_for("[data-testid=restore-confirm]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=backup-status]", "1 learner.", UI_TIMEOUT)?;
    s.screenshot(&shots.join("settings-restored.png"))?;
    // The engine works on the restored database: the picker lists Ada only.
    s.click(&s.wait_for("[data-testid=nav-learn]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-learner-id]", "Ada Lovelace", UI_TIMEOUT)?;
    let names = s.texts("[data-learner-id] .name")?;
    if names.iter().any(|n| n.contains("Ben")) {
        return Err(format!("after the restore the picker still lists {names:?}"));
    }
    Ok(())
}
