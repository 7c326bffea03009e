//! An accessibility audit of every screen of the real window: axe-core (a devDependency of
//! `ui/`, pinned in `ui/package-lock.json`) is injected through the WebDriver session and run on
//! each screen a learner and a tutor reach, with the rules of WCAG 2.1 levels A and AA, WCAG
//! 2.2's target size and axe's best practices (`ladder_e2e::AXE_TAGS`). The test fails with a
//! list of the violations: the rule, the element, why, and the screens it was found on.
//!
//! The walk: the learner picker (with a refused name), the library, a pack folder the validator
//! refuses, the import report and its outcome, the course map, practice with an item of every
//! kind (the `keyboard-walk` test pack: one answer, select all, a number, a text, blanks, an
//! ordering), Fractions items written in maths, blanks inside a formula, the hint ladder open,
//! the worked solution, feedback on a wrong answer, the summary, the PIN lock (also refused), the
//! tutor's report, learner list and course list with their questions, the settings with a
//! training's result and the restore question; then the settings, the picker, the course map,
//! practice and the summary in Spanish. The whole walk runs twice: in the light and in the dark
//! palette. A third test audits a first start (no learner, no course) and a failed start.
//!
//! Beside axe, on each screen: every visible control has a name in WebKit's own accessibility
//! tree (WebDriver's computed label, what a screen reader is given), a choice written in maths
//! is not named like numbers side by side ("1 5" for 1/5), and the page's `lang` is the UI's
//! language (or a screen reader reads Spanish with English rules). On the library, a course map,
//! the tutor's report and the settings, Tab goes through every control of the screen, each
//! stop visible and drawn with a focus ring (the keyboard walk covers practice).
//!
//! What neither can judge is not checked: whether a name says the right thing, the reading
//! order as a screen reader meets it, or what Orca actually says (docs/ui.md, "Accessibility").
//! Ignored by a plain `cargo test`, like the other tests here.

use std::time::Duration;

use ladder_e2e::{
    app_binary, axe_source, copy_dir, key, poll, practise, repo_root, Display, Driver, Result,
    Session, Violation,
};
use ladder_engine::admin::Admin;
use ladder_engine::{Engine, EngineOptions};
use serde_json::json;

const UI_TIMEOUT: Duration = Duration::from_secs(30);
const PIN: &str = "2468";

/// The controls whose name WebKit computes is checked on every screen.
const CONTROLS: &str =
    "button, input:not([type=hidden]), select, textarea, summary, [tabindex=\"0\"], [role=button]";

/// The most Tab presses to go through one screen.
const MAX_TABS: usize = 120;

/// The element with the keyboard focus: `stop` (its tag, test id and start of its text; none
/// when the page's body has it), whether it is hidden, and whether its focus ring is drawn
/// (an outline of 2 px or more, as `:focus-visible` draws it).
const FOCUS_RING: &str = r#"
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return { stop: null };
const cs = getComputedStyle(el);
let hidden = el.getClientRects().length === 0 || cs.visibility === 'hidden';
for (let a = el; a; a = a.parentElement) if (a.hidden || a.inert) hidden = true;
const holder = el.closest('[data-testid]');
const id = el.dataset.testid || (holder ? 'in ' + holder.dataset.testid : '');
const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
const index = [...document.querySelectorAll('*')].indexOf(el);
return {
  stop: `${el.tagName.toLowerCase()} [${id}] "${text}" #${index}`,
  hidden,
  ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
};
"#;

/// Elements left out of the audit, each with the reason it is a false positive.
const EXCLUDED: &[&str] = &[];

struct Audit<'s, 'd> {
    s: &'s Session<'d>,
    axe: String,
    /// The language the page must declare (`<html lang>`).
    lang: &'static str,
    screens: usize,
    /// Each violation (rule, element, why) with the screens it was found on, in the order found.
    violations: Vec<(Violation, Vec<String>)>,
    /// Other problems (the page's language), one line each.
    problems: Vec<String>,
}

impl<'s, 'd> Audit<'s, 'd> {
    /// Audits the screen as it is now.
    /// Tabs through the whole screen from its top (the screen's container), as a keyboard user
    /// does, and reports each stop that shows no focus ring or is hidden, until the focus comes
    /// back to where it started or leaves the page.
    fn new(s: &'s Session<'d>, axe: String) -> Self {
        Audit { s, axe, lang: "en", screens: 0, violations: Vec::new(), problems: Vec::new() }
    }

    fn tab_through(&mut self, screen: &str) -> Result<()> {
        self.s.execute("document.getElementById('main').focus();", json!([]))?;
        let mut seen = Vec::new();
        for _ in 0..MAX_TABS {
            self.s.press(key::TAB)?;
            let f = self.s.execute(FOCUS_RING, json!([]))?;
            let Some(stop) = f["stop"].as_str().map(str::to_string) else {
                break; // the page's body: past the last control
            };
            if seen.contains(&stop) {
                break;
            }
            if f["hidden"] == json!(true) {
                self.problems.push(format!("{screen}: Tab stops on a hidden element: {stop}"));
            } else if f["ring"] != json!(true) {
                self.problems.push(format!("{screen}: Tab stops on {stop} with no focus ring"));
            }
            seen.push(stop);
        }
        if seen.len() < 2 {
            return Err(format!("{screen}: Tab reached fewer than two controls: {seen:?}"));
        }
        Ok(())
    }

    /// Ok when nothing was found; else the list of what was, each violation once with the
    /// screens it was seen on.
    fn finish(self) -> Result<()> {
        if self.violations.is_empty() && self.problems.is_empty() {
            return Ok(());
        }
        let mut report = format!(
            "{} accessibility violations (axe-core: WCAG 2.1 A/AA, best practices) and {} other \
             problems on {} screens:",
            self.violations.len(),
            self.problems.len(),
            self.screens
        );
        for (v, screens) in &self.violations {
            report.push_str(&format!(
                "\n- {}: {}\n    element: {}\n    why: {}\n    on: {}",
                v.rule,
                v.help,
                v.element,
                v.why,
                screens.join("; ")
            ));
        }
        for p in &self.problems {
            report.push_str(&format!("\n- {p}"));
        }
        Err(report)
    }

    fn check(&mut self, screen: &str) -> Result<()> {
        self.s.wait_for_paint()?;
        for v in self.s.audit_accessibility(&self.axe, EXCLUDED)? {
            match self.violations.iter_mut().find(|(seen, _)| *seen == v) {
                Some((_, screens)) => screens.push(screen.to_string()),
                None => self.violations.push((v, vec![screen.to_string()])),
            }
        }
        // What WebKit's own accessibility tree names each visible control (WebDriver's computed
        // label: what a screen reader is given), beside axe's reading of the DOM.
        for el in self.s.find_visible(CONTROLS)? {
            if self.s.computed_label(&el)?.trim().is_empty() {
                let what = self.s.execute(
                    "return arguments[0].outerHTML.replace(/\\s+/g, ' ').slice(0, 160);",
                    json!([el.reference()]),
                )?;
                self.problems.push(format!("{screen}: WebKit computes no name for {what}"));
            }
        }
        let lang = self.s.execute("return document.documentElement.lang;", json!([]))?;
        if lang != json!(self.lang) {
            self.problems.push(format!(
                "{screen}: the page says its language is {lang}, but the UI is in {:?}",
                self.lang
            ));
        }
        self.screens += 1;
        Ok(())
    }
}

#[test]
#[ignore = "drives the built app in a real window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn every_screen_passes_an_accessibility_audit() {
    if let Err(e) = run(false) {
        panic!("end-to-end test failed: {e}");
    }
}

/// The same walk in the dark palette (GTK's dark theme, which WebKitGTK reports as
/// `prefers-color-scheme: dark`): its colours are other pairs, so contrast is checked again.
#[test]
#[ignore = "drives the built app in a real window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn every_screen_passes_an_accessibility_audit_in_the_dark_theme() {
    if let Err(e) = run(true) {
        panic!("end-to-end test failed (dark theme): {e}");
    }
}

/// What a new machine shows first: the picker with no learner yet (and its refusal of an empty
/// name), a learner's library with no course, and the start-up error of a data folder that
/// cannot be created.
#[test]
#[ignore = "drives the built app in a real window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn the_first_start_and_a_failed_start_pass_an_accessibility_audit() {
    if let Err(e) = first_start() {
        panic!("end-to-end test failed: {e}");
    }
}

fn first_start() -> Result<()> {
    let app = app_binary()?;
    let axe = axe_source()?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let preload = work.path().join("preload");
    std::fs::create_dir_all(&preload).map_err(|e| format!("mkdir: {e}"))?;
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &[("LADDER_PACKS_DIR", preload.as_os_str())])?;
    let mut problems = Vec::new();
    {
        let data = work.path().join("data");
        let s = driver.session(&app, &["--data-dir".to_string(), data.display().to_string()])?;
        let mut audit = Audit::new(&s, axe.clone());
        s.wait_for_text("[data-testid=learner-status]", "No learners yet", UI_TIMEOUT)?;
        audit.check("picker, no learner yet")?;
        s.click(&s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?)?;
        s.wait_for("[data-testid=learner-error]", UI_TIMEOUT)?;
        audit.check("picker, an empty name refused")?;
        s.type_text(&s.wait_for("[data-testid=new-learner-name]", UI_TIMEOUT)?, "Ada")?;
        s.click(&s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?)?;
        s.click(&s.wait_for_text("[data-learner-id]", "Ada", UI_TIMEOUT)?)?;
        s.wait_for("[data-testid=course-library]", UI_TIMEOUT)?;
        s.wait_for("[data-testid=import-pack]", UI_TIMEOUT)?;
        audit.check("library, no course yet")?;
        if let Err(e) = audit.finish() {
            problems.push(e);
        }
    }
    {
        // A file where the data folder's parent should be: the picker says so.
        let blocker = work.path().join("not-a-folder");
        std::fs::write(&blocker, b"a file").map_err(|e| format!("write: {e}"))?;
        let data = blocker.join("data");
        let s = driver.session(&app, &["--data-dir".to_string(), data.display().to_string()])?;
        let mut audit = Audit::new(&s, axe);
        s.wait_for("[data-testid=learner-error]", UI_TIMEOUT)?;
        audit.check("start-up, the data folder cannot be created")?;
        if let Err(e) = audit.finish() {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Sets the `<select>` `selector` to `value` as a person would (a change event).
fn choose(s: &Session<'_>, selector: &str, value: &str) -> Result<()> {
    let ok = s.execute(
        "const el = document.querySelector(arguments[0]); if (!el) return false; \
         el.value = arguments[1]; el.dispatchEvent(new Event('change')); \
         return el.value === arguments[1];",
        json!([selector, value]),
    )?;
    if ok == json!(true) {
        Ok(())
    } else {
        Err(format!("cannot choose {value:?} in `{selector}`"))
    }
}

fn item_id(s: &Session<'_>) -> Result<String> {
    let v = s.execute(
        "return document.querySelector('[data-testid=item-card]')?.dataset.itemId || '';",
        json!([]),
    )?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Leaves the item on screen (the next item after a right answer, else "Skip") and waits for
/// another one or for the end of the lesson.
fn move_on(s: &Session<'_>) -> Result<()> {
    let before = item_id(s)?;
    let next = poll("a way on (Next item or Skip)", UI_TIMEOUT, || {
        for sel in ["[data-testid=next-item]", "[data-testid=skip-item]"] {
            for b in s.find_all(sel)? {
                if s.is_displayed(&b)? {
                    return Ok(Some(b));
                }
            }
        }
        Ok(None)
    })?;
    s.click(&next)?;
    poll("the next item, or the end of the lesson", UI_TIMEOUT, || {
        let done = !s.find_all("[data-testid=session-summary]")?.is_empty();
        Ok((done || item_id(s)? != before).then_some(()))
    })
}

/// Gives a wrong answer to the item on screen (an unlikely text, or the first choice) and
/// waits for the feedback.
fn answer_wrong(s: &Session<'_>) -> Result<bool> {
    let typed = s.execute(
        "const i = document.querySelectorAll('[data-testid=answer-input], [data-testid=answer-blank]'); \
         for (const b of i) { b.value = '999'; b.dispatchEvent(new Event('input')); } \
         if (i.length) return true; \
         const c = document.querySelector('[data-testid=answer-choice] input'); \
         if (c) { c.click(); return true; } return false;",
        json!([]),
    )?;
    if typed != json!(true) {
        return Ok(false);
    }
    s.click(&s.wait_for("[data-testid=check-answer]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=feedback]", UI_TIMEOUT)?;
    Ok(true)
}

fn run(dark: bool) -> Result<()> {
    let app = app_binary()?;
    let axe = axe_source()?;
    let packs = repo_root().join("assets/packs");
    let walk_dir = repo_root().join("tests/e2e/packs/keyboard-walk");
    let walk_pack = ladder_pack::load(&walk_dir)
        .map_err(|e| format!("cannot load the keyboard-walk pack: {e}"))?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let data = work.path().join("data");

    // The data: the keyboard-walk course, Ada with some history on it and Ben archived-to-be, a
    // PIN, a backup (so the tutor area has a report, a learner list and a restore question).
    {
        let mut engine =
            Engine::open(&data, EngineOptions::default()).map_err(|e| format!("open: {e}"))?;
        engine.install_pack(&walk_dir, false).map_err(|e| format!("install the walk: {e}"))?;
        let blanks = repo_root().join("tests/e2e/packs/maths-blanks");
        engine.install_pack(&blanks, false).map_err(|e| format!("install maths-blanks: {e}"))?;
        let ada = engine.add_learner("Ada Lovelace").map_err(|e| format!("add Ada: {e}"))?.id;
        practise(&mut engine, &walk_pack, ada, 6)?;
        engine.add_learner("Ben Okafor").map_err(|e| format!("add Ben: {e}"))?;
        let mut admin = Admin::open(&data).map_err(|e| format!("admin: {e}"))?;
        admin.set_pin(None, PIN).map_err(|e| format!("set the PIN: {e}"))?;
        admin.backup_now().map_err(|e| format!("backup: {e}"))?;
    }

    // The file dialog is replaced by a path: first a pack folder with errors, then Fractions.
    let import = work.path().join("import");
    copy_dir(&repo_root().join("tests/packs/broken/unknown-field/pack"), &import)?;
    let preload = work.path().join("preload");
    std::fs::create_dir_all(&preload).map_err(|e| format!("mkdir: {e}"))?;
    let mut env =
        vec![("LADDER_PACKS_DIR", preload.as_os_str()), ("LADDER_IMPORT_FILE", import.as_os_str())];
    if dark {
        env.push(("GTK_THEME", std::ffi::OsStr::new("Adwaita:dark")));
    }
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &env)?;
    let args = vec!["--data-dir".to_string(), data.display().to_string()];
    let s = driver.session(&app, &args)?;
    let is_dark =
        s.execute("return matchMedia('(prefers-color-scheme: dark)').matches;", json!([]))?;
    if is_dark != json!(dark) {
        return Err(format!("the page prefers a dark scheme: {is_dark}, asked for {dark}"));
    }
    let mut audit = Audit::new(&s, axe);

    // ----- the learner picker -------------------------------------------------------------------
    s.wait_for("[data-learner-id]", UI_TIMEOUT)?;
    // First, that the audit sees a violation at all: a button without a name, put in for a moment.
    s.execute(
        "const b = document.createElement('button'); b.id = 'a11y-probe'; \
         document.querySelector('main').append(b);",
        json!([]),
    )?;
    let found = s.audit_accessibility(&audit.axe, EXCLUDED)?;
    if !found.iter().any(|v| v.rule == "button-name" && v.element.contains("a11y-probe")) {
        return Err(format!("axe-core did not see a button without a name: {found:?}"));
    }
    s.execute("document.getElementById('a11y-probe').remove();", json!([]))?;
    audit.check("picker")?;
    s.click(&s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learner-error]", UI_TIMEOUT)?;
    audit.check("picker, a name refused")?;
    s.click(&s.wait_for_text("[data-learner-id]", "Ada", UI_TIMEOUT)?)?;

    // ----- the library, a refused pack folder, the import report ---------------------------------
    s.wait_for("[data-pack-id=\"keyboard-walk\"]", UI_TIMEOUT)?;
    audit.check("library")?;
    s.click(&s.wait_for("[data-testid=import-pack-folder]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=import-problems]", UI_TIMEOUT)?;
    audit.check("library, a pack folder refused")?;
    s.click(&s.wait_for("[data-testid=close-problems]", UI_TIMEOUT)?)?;
    std::fs::remove_dir_all(&import).map_err(|e| format!("rm: {e}"))?;
    ladder_pack::build(&packs.join("fractions"), &import)
        .map_err(|e| format!("cannot build the Fractions pack: {e}"))?;
    s.click(&s.wait_for("[data-testid=import-pack]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=import-report][data-pack=\"fractions\"]", UI_TIMEOUT)?;
    audit.check("library, the import report")?;
    s.click(&s.wait_for("[data-testid=confirm-install]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=import-done]", UI_TIMEOUT)?;
    audit.check("library, the pack installed")?;
    audit.tab_through("library, the pack installed")?;

    // ----- the course map and practice: every kind of item ---------------------------------------
    let walk_course = "[data-pack-id=\"keyboard-walk\"] [data-testid=open-course]";
    s.click(&s.wait_for(walk_course, UI_TIMEOUT)?)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
    audit.check("course map")?;
    s.click(&s.wait_for("[data-lesson-id=walk] [data-testid=practise-lesson]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=item-card][data-item-id]", UI_TIMEOUT)?;
    let mut seen = Vec::new();
    // The lesson's six items come in a fixed order (one of each kind).
    while seen.len() < 6 {
        let id = item_id(&s)?;
        if id.is_empty() || seen.contains(&id) {
            return Err(format!("the lesson showed {id:?} again after {seen:?}"));
        }
        s.execute(
            "for (const d of document.querySelectorAll('[data-testid=why-this]')) d.open = true;",
            json!([]),
        )?;
        audit.check(&format!("practice, {id}"))?;
        // A group of options is named by the question in WebKit's tree: entering it says it.
        if let Some(group) = s.find_all("fieldset[data-testid=answer-choice]")?.first() {
            let name = s.computed_label(group)?;
            let question = s.execute(
                "return document.querySelector('[data-testid=item-prompt]').textContent.trim();",
                json!([]),
            )?;
            let question = question.as_str().unwrap_or_default();
            if question.is_empty() || !name.starts_with(question) {
                audit.problems.push(format!(
                    "practice, {id}: the group of options is named {name:?}, not by the question {question:?}"
                ));
            }
        }
        if seen.is_empty() {
            // The hint ladder, rung by rung, to the worked solution.
            s.click(&s.wait_for("[data-testid=request-hint]", UI_TIMEOUT)?)?;
            s.wait_for("[data-testid=hint-rung]", UI_TIMEOUT)?;
            audit.check(&format!("practice, {id}, the first hint"))?;
            s.click(&s.wait_for("[data-testid=view-solution]", UI_TIMEOUT)?)?;
            s.wait_for("[data-testid=worked-solution]", UI_TIMEOUT)?;
            audit.check(&format!("practice, {id}, the worked solution"))?;
        }
        if answer_wrong(&s)? {
            audit.check(&format!("practice, {id}, feedback on a wrong answer"))?;
        }
        seen.push(id);
        move_on(&s)?;
    }
    s.click(&s.wait_for("[data-testid=end-session]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=session-summary]", UI_TIMEOUT)?;
    audit.check("the session's summary")?;
    s.click(&s.wait_for("[data-testid=summary-done]", UI_TIMEOUT)?)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;

    // Fractions: maths typeset by KaTeX, pictures, the locked skills' reasons.
    s.click(&s.wait_for("[data-testid=back-to-library]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-pack-id=\"fractions\"] [data-testid=open-course]", UI_TIMEOUT)?)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
    audit.check("course map, Fractions (locked skills)")?;
    audit.tab_through("course map, Fractions (locked skills)")?;
    s.click(&s.wait_for("[data-testid=practise-course]", UI_TIMEOUT)?)?;
    for _ in 0..3 {
        s.wait_for("[data-testid=item-card][data-item-id]", UI_TIMEOUT)?;
        let id = item_id(&s)?;
        audit.check(&format!("practice, Fractions, {id}"))?;
        // A choice written in maths ($\frac{1}{5}$) is named with its linear text, not "1 5".
        for el in s.find_all("[data-testid=answer-choice] input")? {
            let name = s.computed_label(&el)?;
            let digits: Vec<&str> = name.split_whitespace().collect();
            if digits.len() > 1 && digits.iter().all(|d| d.chars().all(|c| c.is_ascii_digit())) {
                audit.problems.push(format!(
                    "practice, Fractions, {id}: a choice is named {name:?}, numbers side by side"
                ));
            }
        }
        move_on(&s)?;
    }
    s.click(&s.wait_for("[data-testid=end-session]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=session-summary]", UI_TIMEOUT)?;

    // Blanks inside a formula: boxes in KaTeX's layout, which it hides from screen readers.
    s.click(&s.wait_for("[data-testid=summary-done]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-testid=back-to-library]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-pack-id=\"maths-blanks\"] [data-testid=open-course]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-testid=practise-course]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=item-card][data-item-id] [data-testid=answer-blank]", UI_TIMEOUT)?;
    audit.check("practice, blanks in a formula")?;
    answer_wrong(&s)?;
    audit.check("practice, blanks in a formula, feedback")?;
    s.click(&s.wait_for("[data-testid=end-session]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=session-summary]", UI_TIMEOUT)?;

    // ----- the tutor area behind the PIN ----------------------------------------------------------
    s.click(&s.wait_for("[data-testid=nav-tutor]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?;
    audit.check("tutor, the PIN lock")?;
    s.type_text(&s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?, "1111")?;
    s.click(&s.wait_for("[data-testid=unlock-submit]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=unlock-forgotten]", UI_TIMEOUT)?;
    audit.check("tutor, a wrong PIN")?;
    s.execute("document.querySelector('[data-testid=unlock-pin]').value = '';", json!([]))?;
    s.type_text(&s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?, PIN)?;
    s.click(&s.wait_for("[data-testid=unlock-submit]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=report-form]", UI_TIMEOUT)?;
    audit.check("tutor")?;
    s.click(&s.wait_for("[data-testid=report-show]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=report-view] .ladder-report", UI_TIMEOUT)?;
    audit.check("tutor, a learner's report")?;
    audit.tab_through("tutor, a learner's report")?;
    let ben = "[data-testid=learners-active] li:nth-child(2)";
    s.click(&s.wait_for(&format!("{ben} [data-testid=learner-rename]"), UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learner-new-name]", UI_TIMEOUT)?;
    s.execute("document.querySelector('[data-testid=learner-new-name]').value = '';", json!([]))?;
    s.type_text(&s.wait_for("[data-testid=learner-new-name]", UI_TIMEOUT)?, "Ada Lovelace")?;
    s.click(&s.wait_for("[data-testid=learner-rename-save]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learners-error]", UI_TIMEOUT)?;
    audit.check("tutor, a rename refused")?;
    s.click(&s.wait_for("[data-testid=learner-rename-cancel]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for(&format!("{ben} [data-testid=learner-archive]"), UI_TIMEOUT)?)?;
    let delete = "[data-testid=learners-archived] [data-testid=learner-delete]";
    s.click(&s.wait_for(delete, UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learner-delete-dialog]", UI_TIMEOUT)?;
    audit.check("tutor, the deletion's question")?;
    s.click(&s.wait_for("[data-testid=learner-delete-cancel]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-course=\"fractions\"] [data-testid=course-remove]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=course-remove-dialog]", UI_TIMEOUT)?;
    audit.check("tutor, a course removal's question")?;
    s.click(&s.wait_for("[data-testid=course-remove-confirm]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=courses-removed] [data-course=\"fractions\"]", UI_TIMEOUT)?;
    audit.check("tutor, a course removed")?;

    // ----- the settings ---------------------------------------------------------------------------
    s.click(&s.wait_for("[data-testid=nav-settings]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=pin-panel]", UI_TIMEOUT)?;
    audit.check("settings")?;
    audit.tab_through("settings")?;
    s.click(&s.wait_for("[data-testid=train-now]", UI_TIMEOUT)?)?;
    poll("the training's outcome", Duration::from_secs(240), || {
        Ok(s.find_all("[data-testid=train-now]:not([disabled])")?.into_iter().next())
    })?;
    audit.check("settings, a training's result")?;
    s.click(&s.wait_for("[data-testid=restore-backup]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=restore-dialog]", UI_TIMEOUT)?;
    audit.check("settings, the restore question")?;
    s.click(&s.wait_for("[data-testid=restore-cancel]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-testid=pin-save]", UI_TIMEOUT)?)?;
    s.wait_for_paint()?;
    audit.check("settings, a PIN refused")?;

    // ----- in Spanish -----------------------------------------------------------------------------
    choose(&s, "[data-testid=language-select]", "es")?;
    s.wait_for_text("[data-testid=nav-settings]", "Ajustes", UI_TIMEOUT)?;
    audit.lang = "es";
    audit.check("settings in Spanish")?;
    s.click(&s.wait_for("[data-testid=switch-learner]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-testid=learner-picker]", "¿Quién", UI_TIMEOUT)?;
    audit.check("picker in Spanish")?;
    s.click(&s.wait_for_text("[data-learner-id]", "Ada", UI_TIMEOUT)?)?;
    s.click(&s.wait_for(walk_course, UI_TIMEOUT)?)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
    audit.check("course map in Spanish")?;
    s.click(&s.wait_for("[data-testid=practise-course]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=item-card][data-item-id]", UI_TIMEOUT)?;
    s.click(&s.wait_for("[data-testid=request-hint]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=hint-rung]", UI_TIMEOUT)?;
    answer_wrong(&s)?;
    audit.check("practice in Spanish, a hint and feedback")?;
    s.click(&s.wait_for("[data-testid=end-session]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=session-summary]", UI_TIMEOUT)?;
    audit.check("the summary in Spanish")?;

    audit.finish()
}
