//! The app's import preview (`Engine::preview_pack`): the install's dry run and the report's
//! lines from one reading of the pack, in the UI's language, writing nothing.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ladder_engine::packs::{change_lines, pack_content};
use ladder_engine::{Engine, EngineOptions, ErrorKind, Language};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&p, to.join(entry.file_name())).unwrap();
        }
    }
}

/// Replaces `from` by `to` in the file `rel` of the pack at `dir` (once; it must be there).
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn set_language(data: &Path, tag: &str) {
    ladder_engine::admin::Admin::open(data).and_then(|mut a| a.set_language(tag)).unwrap();
}

/// The halves example installed, and a copy of it at 1.1.0 with an item renamed and a picture
/// changed.
fn installed_and_upgrade(data: &Path, work: &Path) -> (Engine, PathBuf) {
    let minimal = repo("tests/packs/valid/minimal");
    let mut engine = Engine::open(data, EngineOptions::default()).unwrap();
    engine.install_pack(&minimal, false).unwrap();
    let upgrade = work.join("halves");
    copy_dir(&minimal, &upgrade);
    edit(&upgrade, "pack.toml", "version = \"1.0.0\"", "version = \"1.1.0\"");
    edit(&upgrade, "lessons/01-half.toml", "id = \"half-003\"", "id = \"half-word\"");
    edit(&upgrade, "media/bar-1-2.svg", "#4a90d9", "#d94a4a");
    (engine, upgrade)
}

#[test]
fn a_preview_is_the_dry_run_and_the_report_lines_and_installs_nothing() {
    let (data, work) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut engine, upgrade) = installed_and_upgrade(data.path(), work.path());

    let preview = engine.preview_pack(&upgrade).unwrap();

    assert_eq!(preview.diff, engine.install_pack(&upgrade, true).unwrap());
    let pack = ladder_pack::validate(&upgrade).unwrap().pack.unwrap();
    let content = pack_content(&pack).unwrap();
    assert_eq!(preview.changes, change_lines(engine.store(), &content, Language::En).unwrap());
    assert_eq!(preview.diff.from_version.as_deref(), Some("1.0.0"));
    assert_eq!(preview.diff.added, ["half-word"]);
    assert_eq!(preview.diff.removed, ["half-003"]);
    let labels: Vec<&str> = preview.changes.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"pictures changed"), "{labels:?}");
    assert!(labels.iter().any(|l| l.starts_with("renamed? half-003 -> half-word")), "{labels:?}");
    // Nothing was installed.
    let courses = engine.list_courses().unwrap();
    assert_eq!(courses.len(), 1);
    assert_eq!(courses[0].version, "1.0.0");
}

#[test]
fn a_preview_speaks_the_ui_language_in_its_report_and_its_refusals() {
    let (data, work) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut engine, upgrade) = installed_and_upgrade(data.path(), work.path());
    set_language(data.path(), "es");

    let preview = engine.preview_pack(&upgrade).unwrap();
    let labels: Vec<&str> = preview.changes.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"imágenes cambiadas"), "{labels:?}");

    // A pack that does not validate: the validator's report in Spanish, file and field kept.
    let broken = engine.preview_pack(&repo("tests/packs/broken/unknown-field/pack")).unwrap_err();
    assert_eq!(broken.kind, ErrorKind::Pack);
    assert!(broken.message.starts_with("el paquete no es válido:\n"), "{}", broken.message);
    assert!(
        broken.message.contains("lessons/01-half.toml:31:1: item[1].hint: campo desconocido"),
        "{}",
        broken.message
    );

    // The installed version with other content: refused, saying what differs, in Spanish.
    let same = work.path().join("same-version");
    copy_dir(&upgrade, &same);
    edit(&same, "pack.toml", "version = \"1.1.0\"", "version = \"1.0.0\"");
    let refused = engine.preview_pack(&same).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(refused.message.contains("sube la versión del paquete"), "{}", refused.message);
    assert!(refused.message.contains("cambia la imagen media/bar-1-2.svg"), "{}", refused.message);

    // An older version than the one installed.
    engine.install_pack(&upgrade, false).unwrap();
    let older = engine.preview_pack(&repo("tests/packs/valid/minimal")).unwrap_err();
    assert_eq!(older.kind, ErrorKind::Conflict);
    assert!(older.message.contains("es más antiguo que la versión instalada"), "{}", older.message);

    // In English, the engine's own words.
    set_language(data.path(), "en");
    let older = engine.preview_pack(&repo("tests/packs/valid/minimal")).unwrap_err();
    assert!(older.message.contains("is older than the installed 1.1.0"), "{}", older.message);
}

/// A pack that installs but that the validator warns about: the app's preview shows the
/// warnings as `ladder pack install` prints them (the library showed none, so a teacher who
/// imported a pack folder never learnt that an item had no worked solution).
#[test]
fn a_preview_lists_the_validators_warnings_in_the_ui_language() {
    let (data, work) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pack = work.path().join("halves");
    copy_dir(&repo("tests/packs/valid/minimal"), &pack);
    edit(
        &pack,
        "lessons/01-half.toml",
        "solution = \"One of two equal parts is a **half**.\"\n",
        "",
    );
    let mut engine = Engine::open(data.path(), EngineOptions::default()).unwrap();

    let preview = engine.preview_pack(&pack).unwrap();
    assert_eq!(preview.diff.added.len(), 5, "the pack installs: {:?}", preview.diff);
    assert_eq!(preview.warnings.len(), 1, "{:?}", preview.warnings);
    let warning = &preview.warnings[0];
    assert!(warning.starts_with("lessons/01-half.toml:"), "{warning}");
    assert!(warning.contains(": warning: item[2]: no worked solution"), "{warning}");

    set_language(data.path(), "es");
    let preview = engine.preview_pack(&pack).unwrap();
    assert!(
        preview.warnings[0].contains(": aviso: item[2]: sin solución paso a paso"),
        "{:?}",
        preview.warnings
    );
}

/// The fractions sample written `copies` times over as one pack (`copies` × 133 items), for
/// timing a preview on a big pack.
fn big_pack(dir: &Path, copies: usize) -> PathBuf {
    let fractions = repo("assets/packs/fractions");
    let pack = dir.join("big");
    copy_dir(&fractions.join("media"), &pack.join("media"));
    std::fs::copy(fractions.join("skills.toml"), pack.join("skills.toml")).unwrap();
    let manifest = std::fs::read_to_string(fractions.join("pack.toml")).unwrap();
    std::fs::write(pack.join("pack.toml"), manifest.replacen("\"fractions\"", "\"big\"", 1))
        .unwrap();
    std::fs::create_dir_all(pack.join("lessons")).unwrap();
    let mut lessons: Vec<PathBuf> =
        std::fs::read_dir(fractions.join("lessons")).unwrap().map(|e| e.unwrap().path()).collect();
    lessons.sort();
    let mut n = 0;
    for copy in 0..copies {
        for lesson in &lessons {
            n += 1;
            // Every lesson and item id made unique: `id = "x"` becomes `id = "x-c3"`.
            let text: String = std::fs::read_to_string(lesson)
                .unwrap()
                .lines()
                .map(|l| match l.strip_prefix("id = \"").and_then(|r| r.strip_suffix('"')) {
                    Some(id) => format!("id = \"{id}-c{copy}\"\n"),
                    None => format!("{l}\n"),
                })
                .collect();
            std::fs::write(pack.join(format!("lessons/{n:04}.toml")), text).unwrap();
        }
    }
    pack
}

fn fastest(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// What the app's preview took before and after it read the pack once: the dry run and then
/// `pack_changes`, each validating the pack, against `preview_pack`. Slow (a pack of 30 copies
/// of the fractions sample, 3,990 items): `LADDER_PREVIEW_TIMING=1 cargo test -p ladder-engine
/// --test pack_preview -- --nocapture`.
#[test]
fn a_preview_reads_a_big_pack_once() {
    if std::env::var("LADDER_PREVIEW_TIMING").as_deref() != Ok("1") {
        return;
    }
    let (data, work) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pack = big_pack(work.path(), 30);
    let mut engine = Engine::open(data.path(), EngineOptions::default()).unwrap();
    engine.install_pack(&pack, false).unwrap();
    edit(&pack, "pack.toml", "version = \"1.0.0\"", "version = \"1.1.0\"");
    edit(&pack, "lessons/0001.toml", "id = \"meaning-001-c0\"", "id = \"meaning-first-c0\"");

    let twice = fastest(3, || {
        // What the library did: `install_pack` with dry_run, then `pack_changes`.
        engine.install_pack(&pack, true).unwrap();
        let again = ladder_pack::validate(&pack).unwrap().pack.unwrap();
        change_lines(engine.store(), &pack_content(&again).unwrap(), Language::En).unwrap();
    });
    let once = fastest(3, || {
        engine.preview_pack(&pack).unwrap();
    });
    println!(
        "preview of a 3,990-item upgrade: dry run + pack_changes {twice:?}, preview_pack {once:?}"
    );
    assert!(once < twice, "one reading {once:?} is not faster than two {twice:?}");
}
