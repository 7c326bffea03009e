//! Every screen of the app in Spanish, as a Spanish-speaking learner, teacher and tutor meet
//! them: the learner picker, the library, a pack folder the validator refuses, the import
//! report, the course map, practice (hints, the worked solution, feedback, the summary), the
//! PIN lock, the tutor area (report, learner list, course list) and the settings. On each
//! screen, in an 800×600 window at 100% and at 200% text:
//!
//! - no English word of the UI's own tables (`ui/src/learn-strings.ts`, `admin-strings.ts`:
//!   the `en` words that the `es` tables never use) is in the visible text, the placeholders,
//!   labels or tooltips (pack content — `.rich` — and the pack's titles and names are left out:
//!   they are the teacher's words);
//! - nothing is wider than the window, no button cuts its text or sticks out of its card, no
//!   text field hides part of its placeholder or writes smaller than the page, and no letter hangs out of its round box (a
//!   learner's initial, a skill's mark).
//!
//! Screenshots of each screen go to `$LADDER_SCREENSHOTS_DIR` (`es-*.png`). Ignored by a plain
//! `cargo test`, like the other tests here.

use std::collections::BTreeSet;
use std::time::Duration;

use ladder_e2e::{
    app_binary, copy_dir, poll, practise, repo_root, screenshots_dir, Display, Driver, Result,
    Session, SCREENSHOT_ENV,
};
use ladder_engine::admin::Admin;
use ladder_engine::{Engine, EngineOptions};
use serde_json::{json, Value};

const UI_TIMEOUT: Duration = Duration::from_secs(30);
const PIN: &str = "2468";
/// Learner names with no English word in them.
const LEARNERS: [&str; 2] = ["Lucía Pérez", "Mateo Ruiz"];

/// The string literals of the table `const {name} = {` … `};` of a TypeScript catalogue.
fn table_values(source: &str, name: &str) -> Vec<String> {
    let start = format!("const {name}");
    let mut out = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if !inside {
            inside = line.starts_with(&start);
            continue;
        }
        if line.starts_with("};") {
            break;
        }
        // The value: the last quoted string on the line (keys come first on the same line).
        let mut quotes = Vec::new();
        let mut chars = line.char_indices().peekable();
        let mut current: Option<(char, String)> = None;
        while let Some((_, c)) = chars.next() {
            match &mut current {
                None if c == '\'' || c == '"' || c == '`' => current = Some((c, String::new())),
                None => {}
                Some((q, text)) => {
                    if c == '\\' {
                        if let Some((_, n)) = chars.next() {
                            text.push(n);
                        }
                    } else if c == *q {
                        quotes.push(std::mem::take(text));
                        current = None;
                    } else {
                        text.push(c);
                    }
                }
            }
        }
        // A line holding only the key (the value on the next line) gives the key: harmless.
        if let Some(v) = quotes.pop() {
            out.push(v);
        }
    }
    out
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
}

/// English words of the UI's tables that its Spanish tables never use (4 letters or more, so
/// that "de", "no", "a" do not count), less words that Spanish writes the same way.
fn english_words() -> Result<BTreeSet<String>> {
    let mut en = BTreeSet::new();
    let mut es = BTreeSet::new();
    for file in ["ui/src/learn-strings.ts", "ui/src/admin-strings.ts"] {
        let source = std::fs::read_to_string(repo_root().join(file))
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        for v in table_values(&source, "en") {
            // Placeholders are not words on screen.
            let v = strip_placeholders(&v);
            en.extend(words(&v).filter(|w| w.chars().count() >= 4));
        }
        for v in table_values(&source, "es") {
            es.extend(words(&strip_placeholders(&v)));
        }
    }
    for same in ["ladder", "tutor", "total", "error", "final", "general", "normal", "idea"] {
        es.insert(same.to_string());
    }
    let out: BTreeSet<String> = en.difference(&es).cloned().collect();
    if out.len() < 100 {
        return Err(format!("only {} English words found in the catalogues: {out:?}", out.len()));
    }
    Ok(out)
}

fn strip_placeholders(v: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in v.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words a person reads or hears on the page now: visible text outside pack content, and
/// placeholders, labels, tooltips and alternative texts.
const VISIBLE_TEXT: &str = r#"
const out = [];
const shown = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!el || el.closest('.rich, script, style, [hidden], [aria-hidden=true]')) continue;
  if (!shown(el)) continue;
  if (el.closest('select') && !(el.tagName === 'OPTION')) continue;
  const t = n.textContent.trim();
  if (t) out.push(t);
}
for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt], [aria-valuetext]')) {
  if (el.closest('.rich, [hidden]')) continue;
  for (const a of ['placeholder', 'aria-label', 'title', 'alt', 'aria-valuetext']) {
    const v = el.getAttribute(a);
    if (v) out.push(v);
  }
}
return out;
"#;

/// What is wider than the window, or a button whose text is cut.
const OVERFLOWS: &str = r#"
const out = [];
const d = document.documentElement;
if (d.scrollWidth > d.clientWidth) out.push(`the page is ${d.scrollWidth - d.clientWidth} px wider than the window`);
const name = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? `[${el.dataset.testid}]` : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || el.closest('[hidden]')) continue;
  if (r.right > d.clientWidth + 1 && getComputedStyle(el).position !== 'fixed') {
    // Inside a box that scrolls sideways and fits the window (a wide table), it is reachable;
    // inside one that hides its overflow, it is cut.
    let box = el.parentElement, contained = false;
    for (; box && box !== d; box = box.parentElement) {
      const o = getComputedStyle(box).overflowX;
      if (o !== 'visible' && box.getBoundingClientRect().right <= d.clientWidth + 1) { contained = o !== 'hidden' && o !== 'clip'; break; }
    }
    if (contained) continue;
    // Only the outermost offender.
    if (!el.parentElement || el.parentElement.getBoundingClientRect().right <= d.clientWidth + 1)
      out.push(`${name(el)} "${(el.textContent || '').trim().slice(0, 40)}" ends at ${Math.round(r.right)} px of ${d.clientWidth}`);
  }
  if ((el.tagName === 'BUTTON' || el.tagName === 'SELECT' || el.tagName === 'LABEL') && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
    out.push(`${name(el)} "${(el.textContent || '').trim().slice(0, 40)}" cuts its text (${el.scrollWidth} > ${el.clientWidth})`);
}
// A control that sticks out of the card or panel it is drawn in (a long Spanish button beside a
// field), and a text field too narrow to show its own placeholder.
const boxed = (b) => { const c = getComputedStyle(b); return parseFloat(c.borderRightWidth) > 0 || (c.backgroundColor !== 'rgba(0, 0, 0, 0)' && c.backgroundColor !== 'transparent'); };
for (const el of document.querySelectorAll('button, input, select, textarea, .button')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || el.closest('[hidden]')) continue;
  let box = el.parentElement;
  while (box && box !== document.body && !boxed(box)) box = box.parentElement;
  if (!box || box === document.body) continue;
  const b = box.getBoundingClientRect();
  if (r.right > b.right + 1 || r.left < b.left - 1)
    out.push(`${name(el)} "${(el.textContent || el.placeholder || '').trim().slice(0, 40)}" sticks out of ${name(box)} (${Math.round(r.left)}–${Math.round(r.right)} px in ${Math.round(b.left)}–${Math.round(b.right)})`);
  // A field left in the browser's own style keeps its small text at 200%.
  const root = parseFloat(getComputedStyle(d).fontSize);
  if (el.tagName !== 'BUTTON' && el.type !== 'radio' && el.type !== 'checkbox' && parseFloat(getComputedStyle(el).fontSize) < 0.75 * root)
    out.push(`${name(el)} writes in ${getComputedStyle(el).fontSize} with the page's text at ${root}px`);
  if (el.placeholder) {
    const c = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${c.fontWeight} ${c.fontSize} ${c.fontFamily}`;
    const room = el.clientWidth - parseFloat(c.paddingLeft) - parseFloat(c.paddingRight);
    const need = ctx.measureText(el.placeholder).width;
    if (need > room + 1) out.push(`${name(el)} shows ${Math.round(room)} px of its ${Math.round(need)} px placeholder "${el.placeholder}"`);
  }
}
// A letter in a round box (a learner's initial, a skill's mark) that is taller than the box.
for (const el of document.querySelectorAll('.avatar, .node-dot')) {
  if (el.getClientRects().length && el.scrollHeight > el.clientHeight + 1)
    out.push(`${name(el)} "${el.textContent.trim()}" is ${el.scrollHeight} px tall in a ${el.clientHeight} px box`);
}
return out;
"#;

struct Walk<'s, 'd> {
    s: &'s Session<'d>,
    english: BTreeSet<String>,
    /// Names and pack texts, taken out of the page's text before the words are looked at.
    own_words: Vec<String>,
    problems: Vec<String>,
}

impl Walk<'_, '_> {
    /// Looks at the screen as it is now at 100% and 200% text, and takes screenshots.
    fn look(&mut self, screen: &str) -> Result<()> {
        for size in ["100%", "200%"] {
            self.s.execute(
                "document.documentElement.style.fontSize = arguments[0];",
                json!([size]),
            )?;
            // Keep what has the focus (a question's button, a field) on the screenshot.
            self.s.execute(
                "const t = window.__lookAt && document.querySelector(window.__lookAt); \
                 const a = document.activeElement; \
                 if (t) t.scrollIntoView(); \
                 else if (a && a !== document.body) a.scrollIntoView({ block: 'center' });",
                json!([]),
            )?;
            self.s.wait_for_paint()?;
            let texts = self.s.execute(VISIBLE_TEXT, json!([]))?;
            for t in texts.as_array().into_iter().flatten().filter_map(Value::as_str) {
                let mut t = t.to_string();
                for own in &self.own_words {
                    t = t.replace(own.as_str(), " ");
                }
                // The pack format's own words: a refusal's list of the fields it knows.
                if let Some(at) = t.find("uno de: ") {
                    t.truncate(at);
                }
                // Code, paths and field names (`hint`, lessons/01-half.toml:31:1, item[1].hint:,
                // fixed_order) are not sentences.
                let t: String = t
                    .split('`')
                    .enumerate()
                    .filter(|(k, _)| k % 2 == 0)
                    .map(|(_, part)| part)
                    .collect::<Vec<_>>()
                    .join(" ");
                let t: String = t
                    .split_whitespace()
                    .filter(|w| {
                        let w = w.trim_end_matches(['.', ',', ':', ';', ')']);
                        !w.starts_with('-') && !w.contains(['/', '.', '[', '_', '\\', ':'])
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let found: Vec<String> = words(&t).filter(|w| self.english.contains(w)).collect();
                if !found.is_empty() {
                    let p = format!("{screen}: English {found:?} in {t:?}");
                    if !self.problems.contains(&p) {
                        self.problems.push(p);
                    }
                }
            }
            let wide = self.s.execute(OVERFLOWS, json!([]))?;
            for w in wide.as_array().into_iter().flatten().filter_map(Value::as_str) {
                self.problems.push(format!("{screen} at {size} text: {w}"));
            }
            let tag = if size == "100%" { "" } else { "-200" };
            self.s.screenshot(&screenshots_dir().join(format!("es-{screen}{tag}.png")))?;
        }
        self.s.execute(
            "document.documentElement.style.fontSize = ''; window.__lookAt = null;",
            json!([]),
        )?;
        Ok(())
    }
}

fn scroll_to(s: &Session<'_>, selector: &str) -> Result<()> {
    // The next look keeps it on the screenshots, at both text sizes.
    s.execute(
        "window.__lookAt = arguments[0]; document.querySelector(arguments[0]).scrollIntoView();",
        json!([selector]),
    )?;
    Ok(())
}

#[test]
#[ignore = "drives the built app in a real window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn every_screen_in_spanish_has_no_english_and_fits_a_small_window_at_large_text() {
    if let Err(e) = run() {
        panic!("end-to-end test failed: {e}");
    }
}

fn run() -> Result<()> {
    let app = app_binary()?;
    let packs = repo_root().join("assets/packs");
    let spanish = ladder_pack::load(&packs.join("spanish-a1"))
        .map_err(|e| format!("cannot load the Spanish course: {e}"))?;
    let fractions = ladder_pack::load(&packs.join("fractions"))
        .map_err(|e| format!("cannot load Fractions: {e}"))?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let data = work.path().join("data");

    // The data: Spanish UI, the Spanish course installed, one learner with history, a PIN.
    {
        let mut engine =
            Engine::open(&data, EngineOptions::default()).map_err(|e| format!("open: {e}"))?;
        engine
            .install_pack(&packs.join("spanish-a1"), false)
            .map_err(|e| format!("install the Spanish course: {e}"))?;
        let lucia = engine.add_learner(LEARNERS[0]).map_err(|e| format!("add: {e}"))?.id;
        practise(&mut engine, &spanish, lucia, 24)?;
        let mut admin = Admin::open(&data).map_err(|e| format!("admin: {e}"))?;
        admin.set_language("es").map_err(|e| format!("set the language: {e}"))?;
        admin.set_pin(None, PIN).map_err(|e| format!("set the PIN: {e}"))?;
        admin.backup_now().map_err(|e| format!("backup: {e}"))?;
    }

    // The file dialog is replaced by a path: first a pack folder with errors, then Fractions.
    let import = work.path().join("import");
    copy_dir(&repo_root().join("tests/packs/broken/unknown-field/pack"), &import)?;
    let preload = work.path().join("preload");
    std::fs::create_dir_all(&preload).map_err(|e| format!("mkdir: {e}"))?;
    let env = [
        ("LADDER_PACKS_DIR", preload.as_os_str()),
        ("LADDER_IMPORT_FILE", import.as_os_str()),
        (SCREENSHOT_ENV.0, std::ffi::OsStr::new(SCREENSHOT_ENV.1)),
    ];
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &env)?;
    let args = vec!["--data-dir".to_string(), data.display().to_string()];
    let s = driver.session(&app, &args)?;
    s.set_window_size(800, 600)?;

    let mut own_words: Vec<String> = LEARNERS.iter().map(|s| s.to_string()).collect();
    for pack in [&spanish, &fractions] {
        own_words.push(pack.info.title.clone());
        own_words.push(pack.info.description.clone());
        own_words.extend(pack.skills.iter().map(|k| k.name.clone()));
        own_words.extend(pack.lessons.iter().map(|l| l.title.clone()));
    }
    // The longest first, so that a title is taken out before a shorter name inside it.
    own_words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut walk = Walk { s: &s, english: english_words()?, own_words, problems: Vec::new() };

    // ----- the learner picker ---------------------------------------------------------------
    s.wait_for_text("[data-testid=learner-picker]", "¿Quién", UI_TIMEOUT)?;
    walk.look("picker")?;
    s.click(&s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learner-error]", UI_TIMEOUT)?;
    walk.look("picker-empty-name")?;
    s.type_text(&s.wait_for("[data-testid=new-learner-name]", UI_TIMEOUT)?, LEARNERS[1])?;
    s.click(&s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?)?;
    s.wait_for_text("[data-learner-id] .name", LEARNERS[1], UI_TIMEOUT)?;
    walk.look("picker-added")?;
    s.click(&s.wait_for_text("[data-learner-id]", LEARNERS[0], UI_TIMEOUT)?)?;

    // ----- the library, a refused folder, the import report -----------------------------------
    s.wait_for("[data-testid=course-library]", UI_TIMEOUT)?;
    s.wait_for("[data-pack-id=\"spanish-a1\"]", UI_TIMEOUT)?;
    walk.look("library")?;
    s.click(&s.wait_for("[data-testid=import-pack-folder]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=import-problems]", UI_TIMEOUT)?;
    walk.look("import-refused")?;
    s.click(&s.wait_for("[data-testid=close-problems]", UI_TIMEOUT)?)?;
    std::fs::remove_dir_all(&import).map_err(|e| format!("rm: {e}"))?;
    ladder_pack::build(&packs.join("fractions"), &import)
        .map_err(|e| format!("cannot build the Fractions pack: {e}"))?;
    s.click(&s.wait_for("[data-testid=import-pack]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=import-report][data-pack=\"fractions\"]", UI_TIMEOUT)?;
    walk.look("import-report")?;
    s.click(&s.wait_for("[data-testid=confirm-install]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=import-done]", UI_TIMEOUT)?;
    walk.look("import-done")?;

    // ----- the course map --------------------------------------------------------------------
    s.click(&s.wait_for("[data-pack-id=\"spanish-a1\"] [data-testid=open-course]", UI_TIMEOUT)?)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
    walk.look("course-map")?;
    scroll_to(&s, ".skill-path")?;
    walk.look("course-map-skills")?;

    // ----- practice: hints to the worked solution, a wrong answer, the next item, the summary --
    s.click(&s.wait_for("[data-testid=practise-course]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=item-card][data-item-id]", UI_TIMEOUT)?;
    walk.look("practice")?;
    let mut hinted = false;
    let mut kinds = BTreeSet::new();
    for _ in 0..8 {
        s.wait_for("[data-testid=item-card][data-item-id]", UI_TIMEOUT)?;
        // Each kind of item once, with the engine's reason for it open.
        let kind = s.execute(
            "for (const d of document.querySelectorAll('[data-testid=why-this]')) d.open = true; \
             return document.querySelector('[data-testid=item-card]').dataset.kind;",
            json!([]),
        )?;
        let kind = kind.as_str().unwrap_or_default().to_string();
        if kinds.insert(kind.clone()) {
            walk.look(&format!("practice-{kind}"))?;
        }
        if !hinted && !s.find_all("[data-testid=request-hint]:not([hidden])")?.is_empty() {
            for _ in 0..8 {
                if !s.find_all("[data-testid=worked-solution]")?.is_empty() {
                    break;
                }
                let n = s.find_all("[data-testid=hints] li")?.len();
                s.click(&s.wait_for("[data-testid=request-hint]", UI_TIMEOUT)?)?;
                poll("one more hint", UI_TIMEOUT, || {
                    Ok((s.find_all("[data-testid=hints] li")?.len() > n
                        || !s.find_all("[data-testid=worked-solution]")?.is_empty())
                    .then_some(()))
                })?;
                if n == 0 {
                    walk.look("practice-hint")?;
                }
            }
            walk.look("practice-worked-solution")?;
            hinted = true;
        }
        // A wrong answer: an unlikely text, or the first choice.
        let typed = s.execute(
            "const i = document.querySelectorAll('[data-testid=answer-input], [data-testid=answer-blank]'); \
             for (const b of i) { b.value = 'zzz'; b.dispatchEvent(new Event('input')); } \
             if (i.length) return true; \
             const c = document.querySelector('[data-testid=answer-choice] input'); \
             if (c) { c.click(); return true; } return false;",
            json!([]),
        )?;
        if typed == json!(true) {
            s.click(&s.wait_for("[data-testid=check-answer]", UI_TIMEOUT)?)?;
            s.wait_for("[data-testid=feedback]", UI_TIMEOUT)?;
            walk.look("practice-feedback")?;
        }
        let next = poll("a way on", UI_TIMEOUT, || {
            for sel in ["[data-testid=next-item]", "[data-testid=skip-item]"] {
                if let Some(b) = s.find_all(sel)?.into_iter().next() {
                    if s.is_displayed(&b)? {
                        return Ok(Some(b));
                    }
                }
            }
            Ok(None)
        })?;
        let before = s.execute(
            "return document.querySelector('[data-testid=item-card]').dataset.itemId;",
            json!([]),
        )?;
        s.click(&next)?;
        poll("the next item", UI_TIMEOUT, || {
            let now = s.execute(
                "const c = document.querySelector('[data-testid=item-card]'); \
                 return c ? c.dataset.itemId : null;",
                json!([]),
            )?;
            Ok((now != before).then_some(()))
        })?;
    }
    s.click(&s.wait_for("[data-testid=end-session]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=session-summary]", UI_TIMEOUT)?;
    walk.look("summary")?;
    s.click(&s.wait_for("[data-testid=summary-done]", UI_TIMEOUT)?)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
    walk.look("course-map-after")?;

    // ----- the tutor area behind the PIN --------------------------------------------------------
    s.click(&s.wait_for("[data-testid=nav-tutor]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?;
    walk.look("tutor-lock")?;
    s.type_text(&s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?, "1111")?;
    s.click(&s.wait_for("[data-testid=unlock-submit]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=unlock-forgotten]", UI_TIMEOUT)?;
    walk.look("tutor-lock-refused")?;
    s.execute("document.querySelector('[data-testid=unlock-pin]').value = '';", json!([]))?;
    s.type_text(&s.wait_for("[data-testid=unlock-pin]", UI_TIMEOUT)?, PIN)?;
    s.click(&s.wait_for("[data-testid=unlock-submit]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=report-form]", UI_TIMEOUT)?;
    walk.look("tutor")?;
    s.click(&s.wait_for("[data-testid=report-show]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=report-view] .ladder-report", UI_TIMEOUT)?;
    walk.look("tutor-report")?;
    for table in [".lr-skills", ".lr-calibration"] {
        if !s.find_all(table)?.is_empty() {
            scroll_to(&s, table)?;
            walk.look(&format!("tutor-report-{}", table.trim_start_matches(".lr-")))?;
        }
    }
    for panel in ["learners-panel", "courses-panel"] {
        scroll_to(&s, &format!("[data-testid={panel}]"))?;
        walk.look(&format!("tutor-{panel}"))?;
    }
    // The learner list: renaming (refused: the other learner's name), archiving, the deletion's
    // question; the course list's removal question.
    let mateo = "[data-testid=learners-active] li:nth-child(2)";
    s.click(&s.wait_for(&format!("{mateo} [data-testid=learner-rename]"), UI_TIMEOUT)?)?;
    let field = s.wait_for("[data-testid=learner-new-name]", UI_TIMEOUT)?;
    s.execute("document.querySelector('[data-testid=learner-new-name]').value = '';", json!([]))?;
    s.type_text(&field, LEARNERS[0])?;
    s.click(&s.wait_for("[data-testid=learner-rename-save]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learners-error]", UI_TIMEOUT)?;
    scroll_to(&s, "[data-testid=learner-rename-form]")?;
    walk.look("tutor-rename-refused")?;
    s.click(&s.wait_for("[data-testid=learner-rename-cancel]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for(&format!("{mateo} [data-testid=learner-archive]"), UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=learners-archived] [data-testid=learner-delete]", UI_TIMEOUT)?;
    scroll_to(&s, "[data-testid=learners-archived]")?;
    walk.look("tutor-archived")?;
    s.click(
        &s.wait_for("[data-testid=learners-archived] [data-testid=learner-delete]", UI_TIMEOUT)?,
    )?;
    s.wait_for("[data-testid=learner-delete-dialog]", UI_TIMEOUT)?;
    walk.look("tutor-delete-question")?;
    s.click(&s.wait_for("[data-testid=learner-delete-cancel]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-course=\"fractions\"] [data-testid=course-remove]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=course-remove-dialog]", UI_TIMEOUT)?;
    walk.look("tutor-course-remove-question")?;
    s.click(&s.wait_for("[data-testid=course-remove-confirm]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=courses-removed] [data-course=\"fractions\"]", UI_TIMEOUT)?;
    scroll_to(&s, "[data-testid=courses-panel]")?;
    walk.look("tutor-course-removed")?;

    // ----- the settings -------------------------------------------------------------------------
    s.click(&s.wait_for("[data-testid=nav-settings]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=pin-panel]", UI_TIMEOUT)?;
    walk.look("settings")?;
    for panel in ["backups-panel", "model-panel", "data-panel"] {
        if s.find_all(&format!("[data-testid={panel}]"))?.is_empty() {
            continue;
        }
        scroll_to(&s, &format!("[data-testid={panel}]"))?;
        walk.look(&format!("settings-{panel}"))?;
    }
    // Train now (too few answers yet: it says so), the restore question, a refused PIN change.
    s.click(&s.wait_for("[data-testid=train-now]", UI_TIMEOUT)?)?;
    poll("the training's outcome", UI_TIMEOUT, || {
        Ok(s.find_all("[data-testid=train-now]:not([disabled])")?.into_iter().next())
    })?;
    scroll_to(&s, "[data-testid=model-panel]")?;
    walk.look("settings-trained")?;
    s.click(&s.wait_for("[data-testid=restore-backup]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=restore-dialog]", UI_TIMEOUT)?;
    walk.look("settings-restore-question")?;
    s.click(&s.wait_for("[data-testid=restore-cancel]", UI_TIMEOUT)?)?;
    scroll_to(&s, "[data-testid=pin-panel]")?;
    s.click(&s.wait_for("[data-testid=pin-save]", UI_TIMEOUT)?)?;
    s.wait_for_paint()?;
    walk.look("settings-pin-refused")?;

    if walk.problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problems:\n{}", walk.problems.len(), walk.problems.join("\n")))
    }
}

/// The word list itself (no window needed): UI words in, words Spanish shares out.
#[test]
fn the_english_words_are_the_uis_and_not_spanish_ones() {
    let english = english_words().expect("the catalogues are readable");
    for w in ["practise", "check", "settings", "learners", "skipped", "backups"] {
        assert!(english.contains(w), "{w} is missing from {english:?}");
    }
    for w in ["tutor", "ladder", "json", "html"] {
        assert!(!english.contains(w), "{w} is counted as English");
    }
}
