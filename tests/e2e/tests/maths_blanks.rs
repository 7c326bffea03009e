//! A cloze item whose blanks sit inside a typeset fraction, in the real window: each box is
//! visible where the blank is, a click on it reaches it (KaTeX's layout spans lie over a
//! denominator), Tab goes from blank 1 to blank 2 although KaTeX writes the denominator first
//! (Shift+Tab back again, then on to "Why this?"; Tab or Shift+Tab into the formula lands on the
//! first or the last blank), and the answer typed there is graded right. 19 of the Fractions pack's 27 cloze items are of
//! this form; once they had no box at all.
//!
//! Ignored by a plain `cargo test`; `scripts/test-app.sh` runs it with `--ignored`.

use std::time::Duration;

use ladder_e2e::{app_binary, copy_dir, key, repo_root, Display, Driver, Result, Session};
use serde_json::json;

const UI_TIMEOUT: Duration = Duration::from_secs(30);
/// The W3C WebDriver code of the Tab key.
const TAB: &str = "\u{E004}";

#[test]
#[ignore = "drives the real app window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn blanks_inside_a_fraction_can_be_seen_clicked_tabbed_and_answered() {
    if let Err(e) = run() {
        panic!("end-to-end test failed: {e}");
    }
}

/// The blank numbered `n`: its size and whether the point in its middle is the box itself.
fn blank_geometry(s: &Session<'_>, n: u32) -> Result<(f64, f64, bool, bool)> {
    let v = s.execute(
        "const b = document.querySelector(`input[data-blank=\"${arguments[0]}\"]`); \
         const r = b.getBoundingClientRect(); \
         const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
         return [r.width, r.height, hit === b, !!b.closest('.katex-html')];",
        json!([n]),
    )?;
    Ok((
        v[0].as_f64().unwrap_or(0.0),
        v[1].as_f64().unwrap_or(0.0),
        v[2] == json!(true),
        v[3] == json!(true),
    ))
}

fn active_blank(s: &Session<'_>) -> Result<String> {
    let v = s.execute("return document.activeElement.dataset.blank || '';", json!([]))?;
    Ok(v.as_str().unwrap_or("").to_string())
}

fn run() -> Result<()> {
    let app = app_binary()?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let preload = work.path().join("preload");
    copy_dir(&repo_root().join("tests/e2e/packs/maths-blanks"), &preload.join("maths-blanks"))?;
    let data = work.path().join("data");
    let env = [("LADDER_PACKS_DIR", preload.as_os_str())];
    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &env)?;
    let args = vec!["--data-dir".to_string(), data.display().to_string()];
    let s = driver.session(&app, &args)?;
    s.set_window_size(1280, 800)?;

    let input = s.wait_for("[data-testid=new-learner-name]", UI_TIMEOUT)?;
    s.type_text(&input, "Kim")?;
    s.click(&s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for_text("[data-learner-id]", "Kim", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-pack-id=\"maths-blanks\"] [data-testid=open-course]", UI_TIMEOUT)?)?;
    s.click(&s.wait_for("[data-testid=practise-course]", UI_TIMEOUT)?)?;
    s.wait_for("[data-testid=item-card][data-item-id=\"quarters-001\"]", UI_TIMEOUT)?;
    s.wait_for("input[data-blank=\"2\"]", UI_TIMEOUT)?;

    for n in [1, 2] {
        let (w, h, reachable, in_formula) = blank_geometry(&s, n)?;
        if w < 8.0 || h < 8.0 {
            return Err(format!("blank {n} is not visible ({w} × {h} px)"));
        }
        if !in_formula {
            return Err(format!("blank {n} is not in the typeset fraction"));
        }
        if !reachable {
            return Err(format!("blank {n} is covered: a click on its middle misses it"));
        }
    }
    // A screen reader can reach each box: none is inside KaTeX's aria-hidden layout.
    let hidden = s.execute(
        "return [...document.querySelectorAll('input[data-blank]')] \
           .filter((b) => b.closest('[aria-hidden=true]')).map((b) => b.dataset.blank);",
        json!([]),
    )?;
    if hidden != json!([]) {
        return Err(format!(
            "blanks {hidden} are inside an aria-hidden element: a screen reader skips them"
        ));
    }
    // A real click on the numerator's box, then Tab to the denominator's.
    let one = s.wait_for("input[data-blank=\"1\"]", UI_TIMEOUT)?;
    s.click(&one)?;
    if active_blank(&s)? != "1" {
        return Err("a click on blank 1 did not focus it".into());
    }
    s.type_text(&one, "3")?;
    s.type_text(&one, TAB)?;
    if active_blank(&s)? != "2" {
        return Err(format!("Tab from blank 1 went to {:?}, not blank 2", active_blank(&s)?));
    }
    // And back, from the keyboard: Shift+Tab goes from blank 2 to blank 1, then to the
    // control before the formula ("Why this?"), not past it.
    s.chord(key::SHIFT, key::TAB)?;
    if active_blank(&s)? != "1" {
        return Err(format!("Shift+Tab from blank 2 went to {:?}, not blank 1", active_blank(&s)?));
    }
    s.chord(key::SHIFT, key::TAB)?;
    let before = s.execute(
        "const a = document.activeElement; \
         return a.matches('[data-testid=why-this] summary') ? 'why' : a.outerHTML.slice(0, 120);",
        json!([]),
    )?;
    if before != json!("why") {
        return Err(format!("Shift+Tab from blank 1 skipped \"Why this?\" and went to {before}"));
    }
    s.press(key::TAB)?;
    if active_blank(&s)? != "1" {
        return Err(format!("Tab from \"Why this?\" went to {:?}, not blank 1", active_blank(&s)?));
    }
    s.press(key::TAB)?;
    let two = s.wait_for("input[data-blank=\"2\"]", UI_TIMEOUT)?;
    s.type_text(&two, "4")?;
    // Tab out to "Check", and Shift+Tab back in lands on the last blank, not on blank 1.
    s.press(key::TAB)?;
    let on_check = s.execute(
        "return document.activeElement.matches('[data-testid=check-answer]');",
        json!([]),
    )?;
    if on_check != json!(true) {
        return Err("Tab from the last blank did not go to \"Check\"".into());
    }
    s.chord(key::SHIFT, key::TAB)?;
    if active_blank(&s)? != "2" {
        return Err(format!(
            "Shift+Tab from \"Check\" went to {:?}, not blank 2",
            active_blank(&s)?
        ));
    }
    s.click(&s.wait_for("[data-testid=check-answer]", UI_TIMEOUT)?)?;
    let verdict = s.wait_for("[data-testid=feedback][data-correct]", UI_TIMEOUT)?;
    let correct = s.execute(
        "return document.querySelector('[data-testid=feedback]').dataset.correct;",
        json!([]),
    )?;
    if correct != json!("true") {
        return Err(format!("3/4 typed into the fraction was graded wrong: {}", s.text(&verdict)?));
    }
    Ok(())
}
