//! The desktop app end to end, in its real window: create learners, import the Fractions pack
//! through the import flow (dry-run report, then install), answer items right and wrong, take
//! hints to the worked solution, skip, end the session, see mastery move on the course map, and
//! find it all again after a restart; then the security checks and the dark theme.
//!
//! Ignored by a plain `cargo test` (it needs the built UI and app, Xvfb, tauri-driver and
//! WebKitWebDriver); `scripts/test-app.sh` runs it with `--ignored`.
//! Screenshots go to `docs/screenshots/` (or `$LADDER_SCREENSHOTS_DIR`).

use std::path::Path;
use std::time::Duration;

use ladder_core::Answer;
use ladder_e2e::{
    app_binary, copy_dir, poll, repo_root, screenshots_dir, Display, Driver, Result, Session,
    SCREENSHOT_ENV,
};
use ladder_engine::sim::answers;
use serde_json::json;

/// Generous: the first start of WebKit under Xvfb on a busy 2-core machine can take seconds.
const UI_TIMEOUT: Duration = Duration::from_secs(30);

/// Waits for the learner picker, failing clearly when the embedded UI is the build placeholder.
fn wait_for_picker(s: &Session<'_>) -> Result<()> {
    let picker = poll("the learner picker", UI_TIMEOUT, || {
        if !s.find_all("#ui-not-built")?.is_empty() {
            return Ok(Some(false));
        }
        Ok((!s.find_all("[data-testid=learner-picker]")?.is_empty()).then_some(true))
    })?;
    if picker {
        Ok(())
    } else {
        Err("the app embeds the placeholder page: build ui/ (npm run build) before \
             `cargo build -p ladder-app`"
            .into())
    }
}

fn learner_names(s: &Session<'_>) -> Result<Vec<String>> {
    s.texts("[data-learner-id] .name")
}

/// Predicted mastery of every skill on the course map, by skill id.
fn map_mastery(s: &Session<'_>) -> Result<Vec<(String, f64)>> {
    let v = s.execute(
        "return Array.from(document.querySelectorAll('[data-skill-id]')).map(n => \
         [n.dataset.skillId, Number(n.querySelector('[data-mastery]').dataset.mastery)]);",
        json!([]),
    )?;
    let rows = v.as_array().ok_or("the course map lists no skills")?;
    rows.iter()
        .map(|r| {
            let id = r[0].as_str().ok_or("a skill without id")?.to_string();
            let m = r[1].as_f64().ok_or("a skill without mastery")?;
            Ok((id, m))
        })
        .collect()
}

fn open_course_map(s: &Session<'_>, learner: &str) -> Result<Vec<(String, f64)>> {
    let who = s.wait_for_text("[data-learner-id]", learner, UI_TIMEOUT)?;
    s.click(&who)?;
    let open = s.wait_for("[data-pack-id=\"fractions\"] [data-testid=open-course]", UI_TIMEOUT)?;
    s.click(&open)?;
    s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
    map_mastery(s)
}

/// Sets an input's value (clearing what was there) by typing into it.
fn fill(s: &Session<'_>, selector: &str, index: usize, text: &str) -> Result<()> {
    s.execute(
        "document.querySelectorAll(arguments[0])[arguments[1]].value = '';",
        json!([selector, index]),
    )?;
    let all = s.find_all(selector)?;
    let el = all.get(index).ok_or_else(|| format!("no `{selector}` number {index}"))?;
    s.type_text(el, text)
}

/// Enters `answer` into the item on screen through its widget, as a learner would.
fn enter_answer(s: &Session<'_>, answer: &Answer) -> Result<()> {
    match answer {
        Answer::Choice(positions) => {
            // Clear a previous choice (checkboxes), then click the wanted options.
            s.execute(
                "for (const i of document.querySelectorAll('[data-testid=answer-choice] input')) \
                 if (i.checked && i.type === 'checkbox') i.click();",
                json!([]),
            )?;
            for p in positions {
                let el = s.wait_for(
                    &format!("[data-testid=answer-choice] input[data-position=\"{p}\"]"),
                    UI_TIMEOUT,
                )?;
                s.click(&el)?;
            }
        }
        Answer::Text(text) => fill(s, "[data-testid=answer-input]", 0, text)?,
        Answer::Cloze(blanks) => {
            for (i, text) in blanks.iter().enumerate() {
                // The box must be where a learner sees it: a blank inside maths once ended up in
                // KaTeX's hidden MathML (0 × 0 pixels), which typing by reference did not notice.
                // And a click on its middle must reach it, not a layout span of the formula
                // lying over it (a denominator's box once could not be clicked).
                let size = s.execute(
                    "const b = document.querySelectorAll('[data-testid=answer-blank]')[arguments[0]]; \
                     b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect(); \
                     const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
                     return [r.width, r.height, hit === b];",
                    json!([i]),
                )?;
                let (w, h) = (size[0].as_f64().unwrap_or(0.0), size[1].as_f64().unwrap_or(0.0));
                if w < 8.0 || h < 8.0 {
                    return Err(format!("cloze blank {} is not visible ({w} × {h} px)", i + 1));
                }
                if size[2] != json!(true) {
                    return Err(format!("cloze blank {} is covered: a click on it misses", i + 1));
                }
                fill(s, "[data-testid=answer-blank]", i, text)?;
            }
        }
        Answer::Order(order) => {
            // Bubble each wanted entry up to its place with the "move up" buttons.
            for (place, want) in order.iter().enumerate() {
                let shown = s.execute(
                    "return Array.from(document.querySelectorAll('[data-testid=answer-order] li'))\
                     .map(li => Number(li.dataset.position));",
                    json!([]),
                )?;
                let shown: Vec<u64> =
                    shown.as_array().into_iter().flatten().filter_map(|v| v.as_u64()).collect();
                let at = shown
                    .iter()
                    .position(|p| *p == *want as u64)
                    .ok_or_else(|| format!("order entry {want} is not shown ({shown:?})"))?;
                let up = format!(
                    "[data-testid=answer-order] li[data-position=\"{want}\"] [data-testid=order-up]"
                );
                for _ in place..at {
                    let b = s.wait_for(&up, UI_TIMEOUT)?;
                    s.click(&b)?;
                }
            }
        }
    }
    Ok(())
}

/// Clicks "Check" and waits for the engine's verdict on this attempt; returns whether it was
/// right. The feedback panel numbers the attempts on the item (`data-attempt`).
fn check(s: &Session<'_>) -> Result<bool> {
    let attempt = || -> Result<u64> {
        let v = s.execute(
            "const f = document.querySelector('[data-testid=feedback]'); \
             return f ? Number(f.dataset.attempt || 0) : 0;",
            json!([]),
        )?;
        Ok(v.as_u64().unwrap_or(0))
    };
    let before = attempt()?;
    let button = s.wait_for("[data-testid=check-answer]", UI_TIMEOUT)?;
    s.click(&button)?;
    poll("the verdict", UI_TIMEOUT, || Ok((attempt()? > before).then_some(())))?;
    let v = s.execute(
        "return document.querySelector('[data-testid=feedback]').dataset.correct;",
        json!([]),
    )?;
    Ok(v == "true")
}

/// The item on screen: its id and whether it offers hints.
fn current_item(s: &Session<'_>) -> Result<String> {
    s.wait_for("[data-testid=item-card][data-item-id]", UI_TIMEOUT)?;
    let id = s.execute(
        "return document.querySelector('[data-testid=item-card]').dataset.itemId;",
        json!([]),
    )?;
    id.as_str().map(str::to_string).ok_or_else(|| "the item card has no item id".into())
}

#[test]
#[ignore = "drives the built app in a real window under Xvfb: scripts/test-app.sh runs it with --ignored"]
fn student_flow_in_the_real_window() {
    if let Err(e) = run() {
        panic!("end-to-end test failed: {e}");
    }
}

fn run() -> Result<()> {
    let app = app_binary()?;
    let packs = repo_root().join("assets/packs");
    let fractions_dir = packs.join("fractions");
    let fractions = ladder_pack::load(&fractions_dir)
        .map_err(|e| format!("cannot load {}: {e}", fractions_dir.display()))?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let data = work.path().join("data");
    // The preload folder holds the Spanish pack only: Fractions arrives through the import flow.
    let preload = work.path().join("preload");
    copy_dir(&packs.join("spanish-a1"), &preload.join("spanish-a1"))?;
    let import_file = work.path().join("fractions.ladderpack");
    ladder_pack::build(&fractions_dir, &import_file)
        .map_err(|e| format!("cannot build the Fractions pack: {e}"))?;
    let shots = screenshots_dir();
    let env = [
        ("LADDER_PACKS_DIR", preload.as_os_str()),
        ("LADDER_IMPORT_FILE", import_file.as_os_str()),
        (SCREENSHOT_ENV.0, std::ffi::OsStr::new(SCREENSHOT_ENV.1)),
    ];

    let display = Display::ensure()?;
    let mut driver = Driver::start(&display, &env)?;
    let args = vec!["--data-dir".to_string(), data.display().to_string()];

    let after_session;
    {
        let s = driver.session(&app, &args)?;
        s.set_window_size(1280, 800)?;
        wait_for_picker(&s)?;
        s.wait_for_text("[data-testid=learner-status]", "No learners yet", UI_TIMEOUT)?;

        // A refused name shows the engine's message and creates nothing.
        let add = s.wait_for("[data-testid=create-learner]", UI_TIMEOUT)?;
        s.click(&add)?;
        let error = s.wait_for("[data-testid=learner-error]", UI_TIMEOUT)?;
        if s.text(&error)?.trim().is_empty() {
            return Err("an empty name was refused without a message".into());
        }
        for name in ["Ada Lovelace", "Grace Hopper"] {
            let input = s.wait_for("[data-testid=new-learner-name]", UI_TIMEOUT)?;
            s.type_text(&input, name)?;
            s.click(&add)?;
            s.wait_for_text("[data-learner-id] .name", name, UI_TIMEOUT)?;
        }
        if learner_names(&s)? != ["Ada Lovelace", "Grace Hopper"] {
            return Err(format!("the picker lists {:?}", learner_names(&s)?));
        }
        s.screenshot(&shots.join("learner-picker.png"))?;

        // The library: the preloaded Spanish course, and no Fractions yet.
        let ada = s.wait_for_text("[data-learner-id]", "Ada Lovelace", UI_TIMEOUT)?;
        s.click(&ada)?;
        s.wait_for_text("[data-testid=current-learner]", "Ada Lovelace", UI_TIMEOUT)?;
        s.wait_for("[data-pack-id=\"spanish-a1\"]", UI_TIMEOUT)?;
        if !s.find_all("[data-pack-id=\"fractions\"]")?.is_empty() {
            return Err("Fractions is installed before it was imported".into());
        }

        // Import: the dry-run report first, then install.
        let import = s.wait_for("[data-testid=import-pack]", UI_TIMEOUT)?;
        s.click(&import)?;
        s.wait_for("[data-testid=import-report][data-pack=\"fractions\"]", UI_TIMEOUT)?;
        let added = s.texts("[data-diff=added] strong")?;
        if added != [fractions.items.len().to_string()] {
            return Err(format!(
                "the import report shows {added:?} items added, expected {}",
                fractions.items.len()
            ));
        }
        if !s.find_all("[data-pack-id=\"fractions\"]")?.is_empty() {
            return Err("the dry run installed the pack".into());
        }
        s.screenshot(&shots.join("import-report.png"))?;
        let confirm = s.wait_for("[data-testid=confirm-install]", UI_TIMEOUT)?;
        s.click(&confirm)?;
        s.wait_for("[data-testid=import-done]", UI_TIMEOUT)?;
        s.wait_for("[data-pack-id=\"fractions\"] .pack-title", UI_TIMEOUT)?;
        s.screenshot(&shots.join("course-library.png"))?;

        // The course map before practice.
        let open =
            s.wait_for("[data-pack-id=\"fractions\"] [data-testid=open-course]", UI_TIMEOUT)?;
        s.click(&open)?;
        s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
        let before = map_mastery(&s)?;
        if !s
            .texts("[data-skill-id][data-state=locked] [data-testid=skill-status]")?
            .iter()
            .all(|t| t.contains("needs"))
        {
            return Err("a locked skill does not say what it needs".into());
        }

        // Practice: answers right and wrong, hints to the worked solution, skip, summary.
        let go = s.wait_for("[data-testid=practise-course]", UI_TIMEOUT)?;
        s.click(&go)?;
        // `items` counts items answered (the summary's "answered").
        let (mut wrong_then_right, mut hinted, mut right_first, mut items) =
            (false, false, 0, 0u64);
        for _ in 0..12 {
            if wrong_then_right && hinted && right_first >= 2 {
                break;
            }
            let id = current_item(&s)?;
            let item =
                fractions.items.iter().find(|i| i.id.to_string() == id).ok_or_else(|| {
                    format!("the app shows item {id}, which the pack does not have")
                })?;
            let reason = s.execute(
                "return document.querySelector('[data-testid=reason]').textContent;",
                json!([]),
            )?;
            if reason.as_str().is_none_or(|r| r.trim().is_empty()) {
                return Err(format!("item {id} has no \"why this?\" reason"));
            }
            let can_hint = !s.find_all("[data-testid=request-hint]:not([hidden])")?.is_empty();
            if !hinted && can_hint && wrong_then_right {
                // The ladder one rung at a time, up to the worked solution.
                for rung in 1..=8 {
                    if !s.find_all("[data-testid=worked-solution]")?.is_empty() {
                        break;
                    }
                    let b = s.wait_for("[data-testid=request-hint]", UI_TIMEOUT)?;
                    s.click(&b)?;
                    poll("the next hint rung", UI_TIMEOUT, || {
                        Ok((s.find_all("[data-testid=hints] li")?.len() >= rung).then_some(()))
                    })?;
                }
                s.wait_for("[data-testid=worked-solution]", UI_TIMEOUT)?;
                s.screenshot(&shots.join("practice-hint.png"))?;
                hinted = true;
            } else if !wrong_then_right {
                enter_answer(&s, &answers::wrong(item, 0))?;
                if check(&s)? {
                    return Err(format!("a wrong answer to {id} was graded right"));
                }
                s.screenshot(&shots.join("feedback.png"))?;
                enter_answer(&s, &answers::right(item))?;
                if !check(&s)? {
                    return Err(format!("the right answer to {id} was graded wrong"));
                }
                items += 1;
                wrong_then_right = true;
                let next = s.wait_for("[data-testid=next-item]", UI_TIMEOUT)?;
                s.click(&next)?;
                poll("the next item", UI_TIMEOUT, || Ok((current_item(&s)? != id).then_some(())))?;
                continue;
            }
            enter_answer(&s, &answers::right(item))?;
            if !check(&s)? {
                return Err(format!("the right answer to {id} was graded wrong"));
            }
            items += 1;
            right_first += 1;
            s.wait_for("[data-testid=mastery-changes] [role=meter]", UI_TIMEOUT)?;
            let next = s.wait_for("[data-testid=next-item]", UI_TIMEOUT)?;
            s.click(&next)?;
            poll("the next item", UI_TIMEOUT, || Ok((current_item(&s)? != id).then_some(())))?;
        }
        if !(wrong_then_right && hinted && right_first >= 2) {
            return Err(format!(
                "the session did not cover the flow (wrong then right: {wrong_then_right}, \
                 hints: {hinted}, right first: {right_first})"
            ));
        }
        let skip = s.wait_for("[data-testid=skip-item]", UI_TIMEOUT)?;
        let skipped_id = current_item(&s)?;
        s.click(&skip)?;
        poll("the item after a skip", UI_TIMEOUT, || {
            Ok((current_item(&s)? != skipped_id).then_some(()))
        })?;
        let end = s.wait_for("[data-testid=end-session]", UI_TIMEOUT)?;
        s.click(&end)?;
        s.wait_for("[data-testid=session-summary]", UI_TIMEOUT)?;
        let stat = |key: &str| -> Result<u64> {
            let t = s.texts(&format!("[data-stat={key}] .stat-value"))?;
            t.first()
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| format!("the summary shows no {key} ({t:?})"))
        };
        if stat("answered")? != items || stat("hints")? == 0 || stat("skipped")? != 1 {
            return Err(format!(
                "the summary says answered {}, hints {}, skipped {}; expected {items}, some, 1",
                stat("answered")?,
                stat("hints")?,
                stat("skipped")?
            ));
        }
        // The skills practised, each with its figure then and now and the learner's first
        // answers on it: together as many as the summary's answered (one skill per question in
        // the Fractions course's first lessons).
        let lines = s.texts("[data-testid=summary-skills] [data-testid=skill-progress]")?;
        let counted: u64 = lines
            .iter()
            .filter_map(|l| {
                l.split(" · ").nth(1)?.split(" of ").nth(1)?.split(' ').next()?.parse::<u64>().ok()
            })
            .sum();
        if lines.is_empty() || !lines.iter().all(|l| l.contains('→')) || counted != items {
            return Err(format!("the summary's skills read {lines:?}; expected {items} answers"));
        }
        s.screenshot(&shots.join("session-summary.png"))?;

        // Mastery moved on the map.
        let back = s.wait_for("[data-testid=summary-done]", UI_TIMEOUT)?;
        s.click(&back)?;
        s.wait_for("[data-skill-id] [data-mastery]", UI_TIMEOUT)?;
        after_session = map_mastery(&s)?;
        let moved = before
            .iter()
            .zip(&after_session)
            .any(|((a, m0), (b, m1))| a == b && (m0 - m1).abs() > 1e-3);
        if !moved {
            return Err(format!("no mastery changed on the map: {before:?} -> {after_session:?}"));
        }
        s.screenshot(&shots.join("course-map.png"))?;
    }

    // A restart on the same data directory: the learners and the history are intact.
    {
        let s = driver.session(&app, &args)?;
        s.set_window_size(1280, 800)?;
        wait_for_picker(&s)?;
        poll("the learners after a restart", UI_TIMEOUT, || {
            Ok((learner_names(&s)? == ["Ada Lovelace", "Grace Hopper"]).then_some(()))
        })?;
        let again = open_course_map(&s, "Ada Lovelace")?;
        let same = again.len() == after_session.len()
            && again
                .iter()
                .zip(&after_session)
                .all(|((a, x), (b, y))| a == b && (x - y).abs() < 1e-4);
        if !same {
            return Err(format!(
                "after a restart the map shows {again:?}, before it showed {after_session:?}"
            ));
        }
        check_text_at_200_percent(&s, &shots.join("course-map-200.png"))?;
        check_csp_blocks_remote_images(&s)?;
        check_pack_images_load(&s)?;
        check_capabilities_refuse_core_commands(&s)?;
        check_navigation_away_is_refused(&s)?;
    }
    drop(driver);

    // The dark palette: GTK's dark theme makes WebKitGTK report `prefers-color-scheme: dark`.
    let dark = std::ffi::OsStr::new("Adwaita:dark");
    let mut dark_env = env.to_vec();
    dark_env.push(("GTK_THEME", dark));
    let mut driver = Driver::start(&display, &dark_env)?;
    let s = driver.session(&app, &args)?;
    s.set_window_size(1280, 800)?;
    wait_for_picker(&s)?;
    let is_dark =
        s.execute("return matchMedia('(prefers-color-scheme: dark)').matches;", json!([]))?;
    if is_dark != true {
        return Err("with GTK_THEME=Adwaita:dark the page does not prefer a dark scheme".into());
    }
    open_course_map(&s, "Ada Lovelace")?;
    s.screenshot(&shots.join("course-map-dark.png"))?;
    Ok(())
}

/// At 200% text (the root font size doubled, as a reader's text zoom does for rem-based sizes)
/// the screen still fits the 1280-pixel window: nothing forces a horizontal scroll bar.
fn check_text_at_200_percent(s: &Session<'_>, shot: &Path) -> Result<()> {
    s.execute("document.documentElement.style.fontSize = '200%';", json!([]))?;
    let overflow = s.execute(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
        json!([]),
    )?;
    s.screenshot(shot)?;
    s.execute("document.documentElement.style.fontSize = '';", json!([]))?;
    if overflow.as_i64().unwrap_or(0) > 0 {
        return Err(format!("at 200% text the page is {overflow} px wider than the window"));
    }
    Ok(())
}

/// Pack images reach the webview through the `ladder-media:` scheme under the CSP.
fn check_pack_images_load(s: &Session<'_>) -> Result<()> {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const img = document.createElement('img');
        img.onload = () => done('loaded ' + img.naturalWidth);
        img.onerror = () => done('failed');
        const scheme = /Windows/.test(navigator.userAgent)
            ? 'http://ladder-media.localhost/' : 'ladder-media://localhost/';
        img.src = scheme + encodeURIComponent('fractions/media/pie-3-4.svg');
        document.body.appendChild(img);
    "#;
    let outcome = s.execute_async(script, json!([]))?;
    if !outcome.as_str().is_some_and(|o| o.starts_with("loaded") && o != "loaded 0") {
        return Err(format!("a pack image did not load through ladder-media: {outcome}"));
    }
    Ok(())
}

/// The CSP is in force: a remote image is blocked by `img-src` (reported through the
/// `securitypolicyviolation` event, which fires whether or not a network exists).
fn check_csp_blocks_remote_images(s: &Session<'_>) -> Result<()> {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const timer = setTimeout(() => done('no violation reported'), 5000);
        document.addEventListener('securitypolicyviolation', (e) => {
            clearTimeout(timer);
            done('blocked by ' + e.effectiveDirective);
        }, { once: true });
        const img = document.createElement('img');
        img.src = 'https://example.com/tracker.png';
        document.body.appendChild(img);
    "#;
    let outcome = s.execute_async(script, json!([]))?;
    if outcome != "blocked by img-src" {
        return Err(format!("a remote image was not blocked by the CSP: {outcome}"));
    }
    Ok(())
}

/// Capabilities grant only the app's own commands: a core command is refused by Tauri.
fn check_capabilities_refuse_core_commands(s: &Session<'_>) -> Result<()> {
    let script = r#"
        const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke('plugin:app|version')
            .then((v) => done('allowed: ' + v), (e) => done('refused: ' + String(e)));
    "#;
    let outcome = s.execute_async(script, json!([]))?;
    let text = outcome.as_str().unwrap_or_default();
    // Refused by the ACL ("app.version not allowed ..."), not merely unknown.
    if !(text.starts_with("refused") && text.contains("not allowed")) {
        return Err(format!("a core command the capability does not grant ran: {outcome}"));
    }
    // The app's own commands still work.
    let ok = s.execute_async(
        r#"const done = arguments[arguments.length - 1];
           window.__TAURI_INTERNALS__.invoke('app_info')
               .then((v) => done(v.version), (e) => done('refused: ' + String(e)));"#,
        json!([]),
    )?;
    if ok.as_str().is_none_or(|v| v.starts_with("refused")) {
        return Err(format!("the app's own command app_info failed: {ok}"));
    }
    Ok(())
}

/// Navigating away from the app is refused: after an attempt, the same document is still
/// loaded (a marker set on `window` survives) and the URL is the app's. A refusal has no event
/// to wait for, so this observes the page for a fixed second.
fn check_navigation_away_is_refused(s: &Session<'_>) -> Result<()> {
    let before = s.url()?;
    s.execute(
        "window.__ladderMarker = 'still here'; window.location.href = 'https://example.com/';",
        json!([]),
    )?;
    let window_end = std::time::Instant::now() + Duration::from_secs(1);
    while std::time::Instant::now() < window_end {
        let marker = s.execute("return window.__ladderMarker || null;", json!([]))?;
        if marker != "still here" {
            return Err(format!(
                "the page was replaced after navigating to https://example.com/ (now at {})",
                s.url().unwrap_or_default()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let after = s.url()?;
    if after != before {
        return Err(format!("the URL changed from {before} to {after}"));
    }
    Ok(())
}
