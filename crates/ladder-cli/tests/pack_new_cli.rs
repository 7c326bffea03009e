//! `ladder pack new` as a teacher runs it: the starter pack validates with no errors and no
//! warnings in both languages, builds, installs and plays; bad arguments and a folder in use are
//! refused with nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const KINDS: [&str; 5] = ["choice", "numeric", "text", "cloze", "order"];
const FILES: [&str; 5] = [
    "lessons/01-first-lesson.toml",
    "lessons/02-second-lesson.toml",
    "media/example.svg",
    "pack.toml",
    "skills.toml",
];
/// The Spanish pack's files: its lessons have Spanish names.
const FILES_ES: [&str; 5] = [
    "lessons/01-primera-leccion.toml",
    "lessons/02-segunda-leccion.toml",
    "media/example.svg",
    "pack.toml",
    "skills.toml",
];

fn files_of(lang: &str) -> [&'static str; 5] {
    if lang == "es" {
        FILES_ES
    } else {
        FILES
    }
}

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run ladder")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// Runs `ladder pack new DIR --id ID --title TITLE --language LANG` and expects success.
fn new_pack(dir: &Path, id: &str, title: &str, lang: &str) -> String {
    let out = ladder(&["pack", "new", s(dir), "--id", id, "--title", title, "--language", lang]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// Every file under `dir`, `/`-separated and relative to it, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_starter_pack_validates_with_no_errors_and_no_warnings_in_both_languages() {
    for lang in ["en", "es"] {
        let tmp = tempfile::tempdir().unwrap();
        // Parents are created too.
        let dir = tmp.path().join("courses/term-1/my-course");
        let stdout = new_pack(&dir, "my-course", "My course", lang);
        assert_eq!(files(&dir), files_of(lang), "{lang}");
        // Nothing else beside it: the staging folder is gone.
        assert_eq!(names_in(dir.parent().unwrap()), ["my-course"], "{lang}");

        // The next steps name the folder and the archive.
        assert!(stdout.contains(&format!("ladder pack validate {}", s(&dir))), "{stdout}");
        assert!(
            stdout
                .contains(&format!("ladder pack build {} -o my-course-0.1.0.ladderpack", s(&dir))),
            "{stdout}"
        );

        // The real validator, through the command line and the library.
        let out = ladder(&["pack", "validate", "--json", s(&dir)]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["errors"], json!([]), "{lang}");
        assert_eq!(v["warnings"], json!([]), "{lang}");
        assert_eq!(v["pack"]["id"], "my-course");
        assert_eq!(v["pack"]["version"], "0.1.0");
        assert_eq!(v["pack"]["skills"], 2);
        assert_eq!(v["pack"]["lessons"], 2);

        let checked = ladder_pack::validate_folder(&dir).unwrap();
        assert!(checked.report.errors.is_empty() && checked.report.warnings.is_empty());
        let pack = checked.pack.unwrap();
        assert_eq!(pack.info.title, "My course");
        assert_eq!(pack.info.languages, [lang]);
        assert!(!pack.info.description.trim().is_empty());
        // The second skill needs the first.
        assert!(pack.skills[0].prerequisites.is_empty());
        assert_eq!(pack.skills[1].prerequisites, [pack.skills[0].id.clone()]);
        // One item of each kind, each with hints and a worked solution, and a feedback entry
        // wherever the kind has them (order items have none).
        let kinds: Vec<&str> = pack.items.iter().map(|i| i.kind_name()).collect();
        assert_eq!(kinds.iter().copied().collect::<BTreeSet<_>>(), KINDS.into_iter().collect());
        assert_eq!(kinds.len(), KINDS.len(), "one item of each kind: {kinds:?}");
        for item in &pack.items {
            assert!(!item.hints.is_empty(), "{}: hints", item.id);
            assert!(item.solution.is_some(), "{}: solution", item.id);
            assert_eq!(item.feedback.is_empty(), item.kind_name() == "order", "{}", item.id);
        }
        // Every lesson has an intro, and one prompt shows the picture.
        assert!(pack.lessons.iter().all(|l| !l.intro.trim().is_empty()));
        assert_eq!(pack.items.iter().filter(|i| i.prompt.contains("media/example.svg")).count(), 1);
    }
}

#[test]
fn the_starter_pack_builds_installs_and_plays() {
    for lang in ["en", "es"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("my-course");
        new_pack(&dir, "my-course", "My course", lang);

        let archive = tmp.path().join("my-course-0.1.0.ladderpack");
        let out = ladder(&["pack", "build", s(&dir), "-o", s(&archive)]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let built = ladder_pack::validate(&archive).unwrap();
        assert!(built.report.errors.is_empty() && built.report.warnings.is_empty());
        let pack = built.pack.unwrap();
        let kinds: BTreeSet<&str> = pack.items.iter().map(|i| i.kind_name()).collect();
        assert_eq!(kinds, KINDS.into_iter().collect(), "{lang}");

        let data = tmp.path().join("data");
        let out = ladder(&["--data-dir", s(&data), "pack", "install", s(&archive)]);
        assert_eq!(out.status.code(), Some(0), "{}\n{}", text(&out.stdout), text(&out.stderr));
        assert!(text(&out.stdout).contains("installed my-course 0.1.0"), "{}", text(&out.stdout));
        let out = ladder(&["--data-dir", s(&data), "pack", "list", "--json"]);
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(list[0]["id"], "my-course");
        assert_eq!(list[0]["title"], "My course");
        assert_eq!(list[0]["items"], 5);

        play(&data, &pack);
    }
}

/// The installed pack plays through the engine (`ladder serve --stdio`): a session starts, the
/// first step shows an item of the pack, and its right answer is graded right.
fn play(data: &Path, pack: &ladder_pack::Pack) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the ladder binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut next_id = 0;
    // The closure owns the server's stdin: dropping it ends the input, and the server exits.
    let mut call = move |command: &str, params: Value| -> Value {
        next_id += 1;
        let request = json!({"id": next_id, "command": command, "params": params});
        writeln!(stdin, "{request}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let r: Value = serde_json::from_str(&line).unwrap();
        assert!(r.get("error").is_none(), "{command} failed: {r}");
        r["result"].clone()
    };
    let learner = call("add_learner", json!({"name": "Ana"}))["id"].clone();
    let session = call("start_session", json!({"learner": learner, "course": "my-course"}))
        ["session"]
        .clone();
    for _ in 0..2 {
        let step = call("next_step", json!({"session": session}));
        let id = step["item"]["id"].as_str().expect("an item to show");
        assert!(!step["item"]["prompt_html"].as_str().unwrap().trim().is_empty());
        let item = pack.items.iter().find(|i| i.id.as_str() == id).expect("an item of the pack");
        let answer = serde_json::to_value(ladder_engine::sim::answers::right(item)).unwrap();
        let r = call(
            "submit_answer",
            json!({"session": session, "answer": answer, "latency_ms": 3000}),
        );
        assert_eq!(r["correct"], true, "{id}: {r}");
    }
    drop(call);
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_folder_in_use_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-course");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = ladder(&["pack", "new", s(&dir), "--id", "my-course", "--title", "My course"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(s(&dir)) && err.contains("not empty"), "{err}");
    assert_eq!(files(&dir), ["notes.txt"]);
    assert_eq!(names_in(tmp.path()), ["my-course"], "no staging folder left");

    // In Spanish too.
    let out = ladder(&["pack", "new", s(&dir), "--id", "x", "--title", "X", "--language", "es"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no está vacía"), "{}", text(&out.stderr));

    // A file where the folder should be.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = ladder(&["pack", "new", s(&file), "--id", "my-course", "--title", "My course"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(s(&file)), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");

    // An existing empty folder is fine: the pack is written into it.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    new_pack(&empty, "my-course", "My course", "en");
    assert_eq!(files(&empty), FILES);
    assert!(ladder_pack::validate_folder(&empty).unwrap().report.is_valid());
}

#[test]
fn a_bad_id_or_an_empty_title_is_refused_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-course");
    for (id, title, lang, expected) in [
        ("My Course", "My course", "en", "--id: invalid id `My Course`"),
        ("-course", "My course", "en", "must start with a letter or a digit"),
        ("", "My course", "en", "--id"),
        (&"a".repeat(65), "My course", "en", "at most 64 characters"),
        ("curso_1", "Mi curso", "es", "--id: id no válido `curso_1`"),
        ("my-course", "  ", "en", "--title: the title must not be empty"),
        ("my-course", "", "es", "--title: el título no puede estar vacío"),
        ("my-course", "\u{200B}\u{2060}", "en", "--title: the title must not be empty"),
        ("my-course", "Two\nlines", "en", "--title: the title is one line"),
        ("my-course", "Dos\nlíneas", "es", "--title: el título va en una sola línea"),
    ] {
        // `--id=...`: an id that starts with '-' would be read as a flag otherwise.
        let (id_arg, title_arg) = (format!("--id={id}"), format!("--title={title}"));
        let args = ["pack", "new", s(&dir), &id_arg, &title_arg, "--language", lang];
        let out = ladder(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
        assert!(names_in(tmp.path()).is_empty(), "{args:?}: nothing written");
    }
}

/// A teacher types the course's name as its id (`--id "My Course"`, `--id curso_1`): the refusal
/// says the rule and also what to type, an id made from what they typed.
#[test]
fn a_refused_id_comes_with_one_to_type_instead() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-course");
    let long = format!("{}-b", "a".repeat(64));
    for (id, lang, expected) in [
        ("My Course", "en", "try --id my-course"),
        ("my_course", "en", "try --id my-course"),
        ("  Speed, distance & time! ", "en", "try --id speed-distance-time"),
        ("-course", "en", "try --id course"),
        (long.as_str(), "en", &format!("try --id {}", "a".repeat(64))),
        ("curso_1", "es", "prueba con --id curso-1"),
        ("Matemáticas Año 1º", "es", "prueba con --id matematicas-ano-1"),
        ("Français Élémentaire", "en", "try --id francais-elementaire"),
        ("Größen", "en", "try --id groessen"),
    ] {
        let id_arg = format!("--id={id}");
        let args = ["pack", "new", s(&dir), &id_arg, "--title", "T", "--language", lang];
        let out = ladder(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(names_in(tmp.path()).is_empty(), "{args:?}: nothing written");
        // What it suggests is an id that `pack new` takes.
        let suggested = err.trim_end().rsplit(' ').next().unwrap();
        let ok = tmp.path().join("ok");
        new_pack(&ok, suggested, "T", lang);
        std::fs::remove_dir_all(&ok).unwrap();
    }
    // Nothing to make an id from: no suggestion.
    for id in ["", "¿?", "日本語"] {
        let id_arg = format!("--id={id}");
        let out = ladder(&["pack", "new", s(&dir), &id_arg, "--title", "T"]);
        assert_eq!(out.status.code(), Some(2), "{id:?}");
        assert!(!text(&out.stderr).contains("try --id"), "{id:?}: {}", text(&out.stderr));
    }
}

#[test]
fn the_spanish_pack_speaks_spanish() {
    let tmp = tempfile::tempdir().unwrap();
    let es = tmp.path().join("curso");
    let stdout = new_pack(&es, "mi-curso", "Mi curso", "es");
    assert!(stdout.contains("Siguientes pasos"), "{stdout}");
    let read = |dir: &PathBuf, f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let comments = |t: &str| -> String {
        t.lines().filter(|l| l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n")
    };
    assert!(read(&es, "pack.toml").contains("languages = [\"es\"]"));
    let all: String = FILES_ES
        .iter()
        .filter(|f| f.ends_with(".toml"))
        .map(|f| {
            let c = comments(&read(&es, f));
            assert!(c.contains("docs/pack-format.md"), "{f}: points at the format");
            c
        })
        .collect::<Vec<_>>()
        .join("\n");
    for word in ["paquete", "lección", "ejercicio", "habilidad", "pista", "solución paso a paso"]
    {
        assert!(all.contains(word), "the Spanish comments use `{word}`");
    }
    for english in ["the ", "Optional", "exercise", "first-lesson"] {
        assert!(!all.contains(english), "no English in the Spanish comments: `{english}`");
    }
    assert!(read(&es, "lessons/01-primera-leccion.toml").contains("¿Qué parte de la barra"));

    let en = tmp.path().join("course");
    new_pack(&en, "my-course", "My course", "en");
    assert!(read(&en, "pack.toml").contains("languages = [\"en\"]"));
    assert!(comments(&read(&en, "pack.toml")).contains("docs/pack-format.md"));
}

#[test]
fn a_title_with_quotes_and_backslashes_is_kept_as_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let title = r#"Parts "of" a \ whole — ½"#;
    new_pack(&dir, "parts", title, "en");
    let pack = ladder_pack::validate_folder(&dir).unwrap().pack.unwrap();
    assert_eq!(pack.info.title, title);
}

/// `ladder pack new .` in an empty folder: the next steps it prints work from that folder as
/// printed (the archive goes beside the pack folder, where `pack build` writes it, not inside).
#[test]
fn the_next_steps_work_when_the_pack_is_the_current_folder() {
    for lang in ["en", "es"] {
        let tmp = tempfile::tempdir().unwrap();
        let here = tmp.path().join("my-course");
        std::fs::create_dir(&here).unwrap();
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_ladder"))
                .args(args)
                .current_dir(&here)
                .stdin(Stdio::null())
                .output()
                .expect("run ladder")
        };
        let args = ["pack", "new", ".", "--id", "my-course", "--title", "My course"];
        let out = run(&[&args[..], &["--language", lang]].concat());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        let build = stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix("ladder pack build "))
            .unwrap_or_else(|| panic!("no build step: {stdout}"));
        let out = run(&[&["pack", "build"][..], &build.split(' ').collect::<Vec<_>>()].concat());
        assert_eq!(out.status.code(), Some(0), "{lang}: {build}: {}", text(&out.stderr));
        assert!(tmp.path().join("my-course-0.1.0.ladderpack").is_file(), "{lang}: {build}");
        if lang == "es" {
            assert!(text(&out.stdout).contains("escrito"), "{}", text(&out.stdout));
        }
    }
}
