//! `ladder report` end to end: a pack and learners set up with the CLI, answers written through
//! the store, reports read back in every format.

use std::path::Path;
use std::process::{Command, Output};

use ladder_store::{Event, ItemRef, LearnerId, SessionId, Store, Timestamp};

fn ladder(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run ladder")
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = ladder(data, args);
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "ladder {args:?} failed:\n{stdout}\n{stderr}");
    stdout.into_owned()
}

/// One session: `answers` first answers on the pack's items, right when the flag says so.
fn session(store: &mut Store, learner: LearnerId, items: &[(&str, bool)]) {
    store
        .transact(|tx| {
            let t0 = 1_762_041_600_000;
            let start = Event::SessionStart {
                pack: Some("fractions".into()),
                client: Some("test".into()),
                lesson: None,
                policy: None,
            };
            let sid: SessionId = tx.append_event_at(learner, None, Timestamp(t0), &start)?.into();
            for (k, (item, right)) in items.iter().enumerate() {
                let t = Timestamp(t0 + 10_000 * (k as i64 + 1));
                let item = ItemRef::new("fractions", *item);
                tx.append_event_at(learner, Some(sid), t, &Event::shown(item.clone(), "test"))?;
                tx.append_event_at(
                    learner,
                    Some(sid),
                    Timestamp(t.0 + 5_000),
                    &Event::Answer {
                        item,
                        response: serde_json::json!(if *right { "ok" } else { "=2+2" }),
                        correct: *right,
                        score: None,
                        blanks: None,
                        latency_ms: 5_000,
                        hint_level: 0,
                        predicted: None,
                    },
                )?;
            }
            Ok(())
        })
        .expect("write a session");
}

#[test]
fn report_writes_every_format_for_a_learner_and_a_class() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["learner", "add", "Ben"]);
    {
        let mut store = Store::open(&data).expect("store");
        session(
            &mut store,
            LearnerId(1),
            &[("meaning-001", true), ("meaning-002", false), ("meaning-003", true)],
        );
        session(&mut store, LearnerId(2), &[("meaning-001", false)]);
    }
    let out = dir.path();

    // JSON for Ana: her three first answers, two right; nothing of Ben's.
    let json_path = out.join("ana.json");
    let printed = ok(
        &data,
        &["report", "--learner", "1", "--format", "json", "-o", json_path.to_str().expect("path")],
    );
    assert!(printed.contains("ana.json"), "{printed}");
    let text = std::fs::read_to_string(&json_path).expect("json written");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["kind"], "learner");
    assert_eq!(v["learner"]["name"], "Ana");
    assert_eq!(v["courses"][0]["totals"]["first_answers"], 3);
    assert_eq!(v["courses"][0]["totals"]["correct_first"], 2);
    assert!(!text.contains("Ben"));

    // PDF and HTML.
    let pdf = out.join("ana.pdf");
    ok(&data, &["report", "--learner", "1", "--format", "pdf", "-o", pdf.to_str().expect("path")]);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-1."));
    let html = out.join("ana.html");
    ok(
        &data,
        &[
            "report",
            "--learner",
            "1",
            "--course",
            "fractions",
            "--format",
            "html",
            "-o",
            html.to_str().expect("path"),
        ],
    );
    assert!(std::fs::read_to_string(&html).expect("html").contains("Progress report: Ana"));

    // A class report as CSV: four files, the wrong answer neutralised.
    let csv = out.join("class.csv");
    let printed =
        ok(&data, &["report", "--class", "--format", "csv", "-o", csv.to_str().expect("path")]);
    for name in
        ["class.csv", "class-hardest-items.csv", "class-need-help.csv", "class-calibration.csv"]
    {
        assert!(out.join(name).exists() && printed.contains(name), "{name} missing: {printed}");
    }
    let hard = std::fs::read_to_string(out.join("class-hardest-items.csv")).expect("csv");
    assert!(hard.contains("'=2+2"), "{hard}");

    // A chosen group.
    let group = out.join("group.json");
    ok(
        &data,
        &[
            "report",
            "--class",
            "--learners",
            "2",
            "--format",
            "json",
            "-o",
            group.to_str().expect("path"),
        ],
    );
    let text = std::fs::read_to_string(&group).expect("json");
    assert!(text.contains("Ben") && !text.contains("Ana"));

    // Deleting Ana deletes every report with her data in it (hers and the class files), and
    // leaves the group report that holds only Ben.
    ok(&data, &["learner", "delete", "1", "--yes"]);
    for gone in ["ana.json", "ana.pdf", "ana.html", "class.csv", "class-hardest-items.csv"] {
        assert!(!out.join(gone).exists(), "{gone} survived the learner's deletion");
    }
    assert!(group.exists(), "Ben's group report is not Ana's data");

    // Errors name what is wrong.
    let missing = ladder(&data, &["report", "--learner", "99", "--format", "json", "-o", "x.json"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no learner with id 99"));
    let bad = ladder(&data, &["report", "--learner", "1", "--format", "docx", "-o", "x.docx"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown format \"docx\""));
    let neither = ladder(&data, &["report", "--format", "json", "-o", "x.json"]);
    assert!(!neither.status.success(), "--learner or --class is required");
    let both = ladder(&data, &["report", "--learner", "2", "--learners", "1", "-o", "x.json"]);
    assert!(!both.status.success(), "--learners is for a class report");

    // Without --format the output's extension decides; a format that contradicts it is refused
    // and nothing is written; format names take any case.
    let by_ext = out.join("ben.PDF");
    ok(&data, &["report", "--learner", "2", "-o", by_ext.to_str().expect("path")]);
    assert!(std::fs::read(&by_ext).expect("pdf").starts_with(b"%PDF-1."));
    let clash = out.join("ben-clash.pdf");
    let refused = ladder(
        &data,
        &["report", "--learner", "2", "--format", "html", "-o", clash.to_str().expect("path")],
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("does not match"), "{said}");
    assert!(said.contains("(a PDF file name)"), "{said}");
    assert!(!clash.exists());
    // The article goes with the format's name: "a html name" read wrongly.
    let clash_html = out.join("ben-clash.html");
    let refused = ladder(
        &data,
        &["report", "--learner", "2", "--format", "pdf", "-o", clash_html.to_str().expect("path")],
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("(an HTML file name)"), "{said}");
    assert!(!clash_html.exists());
    let upper = out.join("ben.report");
    ok(
        &data,
        &["report", "--learner", "2", "--format", "JSON", "-o", upper.to_str().expect("path")],
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&upper).expect("json")).expect("valid JSON");
    assert_eq!(v["learner"]["name"], "Ben");
    // `-o -` prints the report (no file named "-"); a class CSV, several files, is refused.
    let printed = ok(&data, &["report", "--learner", "2", "--format", "json", "-o", "-"]);
    let v: serde_json::Value = serde_json::from_str(&printed).expect("JSON on stdout");
    assert_eq!(v["learner"]["name"], "Ben");
    assert!(!data.join("-").exists() && !Path::new("-").exists());
    let several = ladder(&data, &["report", "--class", "--format", "csv", "-o", "-"]);
    assert!(!several.status.success());
    assert!(String::from_utf8_lossy(&several.stderr).contains("give -o a file name"));
    // A folder that is not there: the file asked for is named, once, with the reason.
    let nowhere = out.join("no-such-folder").join("ben.csv");
    let failed = ladder(
        &data,
        &["report", "--learner", "2", "--format", "csv", "-o", nowhere.to_str().expect("path")],
    );
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(stderr.contains(&format!("cannot write {}", nowhere.display())), "{stderr}");
    assert!(
        !stderr.contains("ben.csv.tmp"),
        "the temporary file is not the user's business: {stderr}"
    );
    assert_eq!(stderr.matches("does not exist").count(), 1, "the reason once: {stderr}");
}

/// `--language es` writes the report in Spanish; without the flag the report follows the app's
/// stored UI language (so a file matches the tutor area's screen); `--language en` overrides it;
/// an unknown tag is refused, naming the accepted ones, and nothing is written.
#[test]
fn report_language_comes_from_the_flag_or_the_stored_ui_language() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["learner", "add", "Ben"]);
    {
        let mut store = Store::open(&data).expect("store");
        session(
            &mut store,
            LearnerId(1),
            &[("meaning-001", true), ("meaning-002", false), ("meaning-003", true)],
        );
        session(&mut store, LearnerId(2), &[("meaning-001", false)]);
    }
    let html = |args: &[&str]| {
        let mut all = vec!["report", "--learner", "1", "--format", "html", "-o", "-"];
        all.extend_from_slice(args);
        ok(&data, &all)
    };
    // No setting: English, as before.
    assert!(html(&[]).contains("Progress report: Ana"));
    let es = html(&["--language", "es"]);
    assert!(es.contains("<html lang=\"es\">") && es.contains("Informe de progreso: Ana"), "{es}");
    assert!(es.contains("¿Son fiables las predicciones?") && !es.contains("Progress report"));

    // The app's UI language, stored on the device: the default of every format.
    Store::open(&data)
        .expect("store")
        .transact(|tx| tx.set_setting(ladder_engine::admin::LANGUAGE_KEY, "es"))
        .expect("set the UI language");
    assert!(html(&[]).contains("Informe de progreso: Ana"));
    assert!(html(&["--language", "en"]).contains("Progress report: Ana"));
    let out = dir.path();
    let pdf = out.join("ana.pdf");
    ok(&data, &["report", "--learner", "1", "-o", pdf.to_str().expect("path")]);
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Informe de progreso: Ana") && text.contains("Página 1 de "), "{text}");
    let csv = out.join("clase.csv");
    ok(&data, &["report", "--class", "-o", csv.to_str().expect("path")]);
    let help = std::fs::read_to_string(out.join("clase-need-help.csv")).expect("need help");
    assert!(help.contains("course_id,learner_id,learner_name,reason"), "English headers: {help}");
    let json = ok(&data, &["report", "--class", "--format", "json", "-o", "-"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["meta"]["language"], "es");

    // An unknown tag: refused before anything is written, naming the languages there are.
    let target = out.join("fr.html");
    let refused = ladder(
        &data,
        &["report", "--learner", "1", "--language", "fr", "-o", target.to_str().expect("path")],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("unknown report language \"fr\": use one of en, es"), "{stderr}");
    assert!(!target.exists());
}

/// `--recent-days N` sets the recent-activity window (7 days without it) in every report; a
/// value outside 1 to 365, or not a number, is refused by name and nothing is written.
#[test]
fn report_recent_days_sets_the_window_and_refuses_what_is_out_of_range() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana"]);
    {
        let mut store = Store::open(&data).expect("store");
        session(&mut store, LearnerId(1), &[("meaning-001", true), ("meaning-002", false)]);
    }
    let json = |args: &[&str]| {
        let mut all = vec!["report", "--format", "json", "--time-zone", "UTC", "-o", "-"];
        all.extend_from_slice(args);
        serde_json::from_str::<serde_json::Value>(&ok(&data, &all)).expect("JSON")
    };
    const DAY: i64 = 86_400_000;
    let v = json(&["--learner", "1"]);
    let recent = &v["courses"][0]["recent"];
    let now = v["meta"]["generated_ms"].as_i64().expect("now");
    assert_eq!(recent["days"], 7);
    // The 7 whole days before today (UTC days here) and today.
    assert_eq!(recent["since_ms"].as_i64(), Some(now - now.rem_euclid(DAY) - 7 * DAY));
    let v = json(&["--learner", "1", "--recent-days", "30"]);
    assert_eq!(v["courses"][0]["recent"]["days"], 30);
    // The session was in 2025: the totals count it, a window of the last 365 days does not.
    assert_eq!(v["courses"][0]["totals"]["first_answers"], 2);
    assert_eq!(v["courses"][0]["recent"]["first_answers"], 0);
    let v = json(&["--class", "--recent-days", "365"]);
    assert_eq!(v["courses"][0]["recent"]["days"], 365);
    assert_eq!(v["courses"][0]["grid"][0]["recent_first_answers"], 0);
    let html = ok(&data, &["report", "--learner", "1", "--recent-days", "1", "-o", "-"]);
    assert!(html.contains("No practice since yesterday."), "{html}");

    let out = dir.path();
    for bad in ["0", "366", "-1"] {
        let target = out.join(format!("bad{bad}.html"));
        let refused = ladder(
            &data,
            &[
                "report",
                "--learner",
                "1",
                "--recent-days",
                bad,
                "-o",
                target.to_str().expect("path"),
            ],
        );
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{bad} accepted");
        assert!(stderr.contains(&format!("--recent-days must be 1 to 365, not {bad}")), "{stderr}");
        assert!(!target.exists());
    }
    let target = out.join("week.html");
    let refused = ladder(
        &data,
        &[
            "report",
            "--learner",
            "1",
            "--recent-days",
            "week",
            "-o",
            target.to_str().expect("path"),
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--recent-days"));
    assert!(!target.exists());
}

/// A PDF with characters that no font of this computer has draws them as empty boxes: `ladder
/// report` says so on the console, naming them and what to do (a font, LADDER_PDF_FONT, or the
/// HTML), and the file is still written. A report whose characters all have a font says nothing
/// of it. (U+10FFFD, a private-use character, stands for a script no font here covers.)
#[test]
fn report_warns_when_the_pdf_cannot_draw_some_characters() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["learner", "add", "Zoë \u{10FFFD}"]);
    {
        let mut store = Store::open(&data).expect("store");
        session(&mut store, LearnerId(1), &[("meaning-001", true)]);
        session(&mut store, LearnerId(2), &[("meaning-001", true)]);
    }
    let pdf = dir.path().join("zoe.pdf");
    let out = ladder(&data, &["report", "--learner", "2", "-o", pdf.to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(std::fs::read(&pdf).expect("written").starts_with(b"%PDF-1."));
    assert!(
        stderr.contains("warning:")
            && stderr.contains("U+10FFFD")
            && stderr.contains("LADDER_PDF_FONT")
            && stderr.contains("HTML"),
        "{stderr}"
    );
    // The class's PDF too, and to standard output; not the HTML, nor Ana's PDF.
    let out = ladder(&data, &["report", "--class", "--format", "pdf", "-o", "-"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("U+10FFFD"));
    let html = dir.path().join("zoe.html");
    let out = ladder(&data, &["report", "--learner", "2", "-o", html.to_str().expect("path")]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    let ana = dir.path().join("ana.pdf");
    let out = ladder(&data, &["report", "--learner", "1", "-o", ana.to_str().expect("path")]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

/// What a tutor types by mistake gets an error that says what to give instead, and nothing is
/// written: a learner's name where the id goes ("invalid digit found in string" said nothing
/// of ids), a folder as the output file ("Not a directory" about a folder); a group typed with
/// spaces after the commas (`--learners "1, 2"`) is read as meant.
#[test]
fn report_mistakes_are_explained_and_a_spaced_group_is_read() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana García"]);
    ok(&data, &["learner", "add", "Ben"]);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out folder");
    let target = out.join("ana.pdf");
    let target = target.to_str().expect("path");

    let refused = ladder(&data, &["report", "--learner", "Ana García", "-o", target]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("\"Ana García\"")
            && stderr.contains("id")
            && stderr.contains("ladder learner list"),
        "{stderr}"
    );
    let refused = ladder(&data, &["report", "--class", "--learners", "1,Ben", "-o", target]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("\"Ben\"") && stderr.contains("ladder learner list"), "{stderr}");

    let folder = format!("{}/", out.display());
    let refused = ladder(&data, &["report", "--learner", "1", "-o", &folder]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("is a folder") && stderr.contains("file name"), "{stderr}");
    // The file name suggested is of the format that would be written: HTML by default.
    assert!(stderr.contains(&format!("such as {folder}report.html")), "{stderr}");
    assert!(!stderr.contains("Not a directory"), "{stderr}");
    let refused = ladder(&data, &["report", "--learner", "1", "--format", "pdf", "-o", &folder]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains(&format!("such as {folder}report.pdf")), "{stderr}");
    let refused = ladder(&data, &["report", "--learner", "1", "-o", out.to_str().expect("path")]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is a folder"));
    // A folder that is not there is named as such (not "No such file or directory").
    let missing = out.join("reports").join("ana.pdf");
    let refused = ladder(&data, &["report", "--learner", "1", "-o", missing.to_str().expect("p")]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains(&format!("the folder {} does not exist", out.join("reports").display())),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0, "nothing written");

    let v: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &["report", "--class", "--learners", "1, 2", "--format", "json", "-o", "-"],
    ))
    .expect("JSON");
    assert_eq!(v["learners"].as_array().map(Vec::len), Some(2), "{v}");
}

/// A report aimed at Ladder's own files (the database, a file beside it whose name starts like
/// it, the backups) is refused before anything is written, and every learner is still there: `-o
/// DATA/ladder.sqlite3` wrote the report over the database.
#[test]
fn a_report_over_ladders_own_files_is_refused() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["learner", "add", "Ben"]);
    let db = data.join(ladder_store::DB_FILE);
    let backups = data.join("backups").join("r.json");
    for (format, target) in [("pdf", &db), ("csv", &db), ("json", &backups)] {
        let target = target.to_str().expect("utf-8 path");
        let out = ladder(&data, &["report", "--class", "--format", format, "-o", target]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{format}: {stderr}");
        assert!(stderr.contains("Ladder's own files"), "{format}: {stderr}");
    }
    assert!(!backups.exists());
    ok(&data, &["db", "check"]);
    let listed = ok(&data, &["learner", "list"]);
    assert!(listed.contains("Ana") && listed.contains("Ben"), "{listed}");
    // Another name in the data folder is fine.
    let fine = data.join("class.json");
    ok(&data, &["report", "--class", "--format", "json", "-o", fine.to_str().expect("utf-8")]);
    assert!(fine.is_file());
}

/// `--time-zone` puts the report's dates, times and days in that zone and names it; by default
/// the computer's zone (here set by `TZ` for the command alone, so that the test does not depend
/// on the machine's); a computer whose zone cannot be found gets UTC, said on the console and in
/// the report; an unknown name is refused with nothing written.
#[test]
fn report_time_zone_is_the_computers_or_the_one_asked_for() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana"]);
    {
        let mut store = Store::open(&data).expect("store");
        // 2025-11-02 00:00 UTC: Saturday 2025-11-01, 19:00 in Bogotá.
        session(&mut store, LearnerId(1), &[("meaning-001", true), ("meaning-002", false)]);
    }
    let with_tz = |tz: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
            .env("TZ", tz)
            .arg("--data-dir")
            .arg(&data)
            .args(["report", "--learner", "1"])
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run ladder");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "TZ={tz} {args:?}: {stderr}");
        (stdout, stderr)
    };
    let zone_of = |tz: &str, args: &[&str]| {
        let mut all = vec!["--format", "json", "-o", "-"];
        all.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&with_tz(tz, &all).0).expect("JSON");
        (v["meta"]["time_zone"].clone(), v["meta"]["time_zone_fallback"].clone())
    };
    // The computer's zone by default; --time-zone over it, in any case.
    assert_eq!(zone_of("America/Mexico_City", &[]).0, "America/Mexico_City");
    assert_eq!(
        zone_of("America/Mexico_City", &["--time-zone", "europe/madrid"]).0,
        "Europe/Madrid"
    );
    assert_eq!(zone_of("Europe/Madrid", &["--time-zone", "UTC"]).0, "UTC");
    // The dates are the zone's: the session was on 1 November in Bogotá, 2 November in UTC.
    let (html, _) = with_tz("UTC", &["--time-zone", "America/Bogota", "-o", "-"]);
    assert!(html.contains("times in America/Bogota (UTC-05:00)"), "{html}");
    assert!(html.contains("2025-11-01 to 2025-11-01"), "{html}");
    let (html, _) = with_tz("America/Bogota", &["--time-zone", "UTC", "-o", "-"]);
    assert!(html.contains("2025-11-02 to 2025-11-02") && html.contains("times in UTC"), "{html}");

    // A zone this computer cannot find: UTC, and said.
    assert_eq!(zone_of("Mars/Olympus", &[]), ("UTC".into(), true.into()));
    let (html, stderr) = with_tz("Mars/Olympus", &["-o", "-"]);
    assert!(html.contains("times in UTC (this computer&#39;s time zone was not found)"), "{html}");
    assert!(stderr.contains("time zone could not be found") && stderr.contains("--time-zone"));
    let (_, quiet) = with_tz("Europe/Madrid", &["-o", "-"]);
    assert!(!quiet.contains("time zone"), "{quiet}");

    // An unknown name is refused by name, and nothing is written.
    let target = dir.path().join("r.html");
    let refused = ladder(
        &data,
        &[
            "report",
            "--learner",
            "1",
            "--time-zone",
            "Mars/Olympus",
            "-o",
            target.to_str().expect("path"),
        ],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("--time-zone") && stderr.contains("\"Mars/Olympus\""), "{stderr}");
    assert!(stderr.contains("Europe/Madrid"), "names an example: {stderr}");
    assert!(!target.exists());
}

/// A course removed with `pack remove --force` (its history kept) is left out of the report,
/// which says so, and so does the console (the CSV has no place for it); asked for by id, the
/// refusal says it was removed, not only that there is no such course.
#[test]
fn report_names_a_removed_course_it_leaves_out() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions");
    ok(&data, &["pack", "install", pack.to_str().expect("utf-8 path")]);
    ok(&data, &["learner", "add", "Ana"]);
    {
        let mut store = Store::open(&data).expect("store");
        session(&mut store, LearnerId(1), &[("meaning-001", true)]);
    }
    ok(&data, &["pack", "remove", "fractions", "--force"]);
    let csv = dir.path().join("ana.csv");
    let out = ladder(&data, &["report", "--learner", "1", "-o", csv.to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr
            .contains("note: Fractions (fractions) is left out of the report: it is not installed"),
        "{stderr}"
    );
    let html = dir.path().join("ana.html");
    ok(&data, &["report", "--learner", "1", "-o", html.to_str().expect("path")]);
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("No practice on any installed course yet."), "{page}");
    assert!(page.contains("not installed on this device"), "{page}");
    assert!(page.contains("Fractions (fractions)."), "{page}");

    let refused = dir.path().join("refused.html");
    let out = ladder(
        &data,
        &[
            "report",
            "--learner",
            "1",
            "--course",
            "fractions",
            "-o",
            refused.to_str().expect("path"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "the course fractions (Fractions) was removed from this device: its history is kept"
        ),
        "{stderr}"
    );
    assert!(!refused.exists(), "nothing written");
}
