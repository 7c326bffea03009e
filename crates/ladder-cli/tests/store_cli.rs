//! `ladder learner|db|pack install/list/remove` end to end, on a temporary data directory.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ladder_store::{Event, ItemRef, LearnerId, Store, DB_FILE};

fn ladder(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run ladder")
}

/// Runs and expects success; returns stdout.
fn ok(data: &Path, args: &[&str]) -> String {
    let out = ladder(data, args);
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "ladder {args:?} failed:\n{stdout}\n{stderr}");
    stdout.into_owned()
}

/// Runs and expects failure; returns stderr.
fn fails(data: &Path, args: &[&str]) -> String {
    let out = ladder(data, args);
    assert!(!out.status.success(), "ladder {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn minimal_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/packs/valid/minimal")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Version 1.1.0 of the minimal pack: half-003 reworded, half-004 new, the quarters lesson
/// (quarters-001, quarters-002) gone.
fn upgraded_pack(root: &Path) -> PathBuf {
    let dir = root.join("halves-1.1");
    copy_dir(&minimal_pack(), &dir);
    let manifest = fs::read_to_string(dir.join("pack.toml")).unwrap();
    fs::write(
        dir.join("pack.toml"),
        manifest.replace("version = \"1.0.0\"", "version = \"1.1.0\""),
    )
    .unwrap();
    let lesson = fs::read_to_string(dir.join("lessons/01-half.toml")).unwrap();
    let lesson = lesson.replace(
        "What do we call one of two equal parts? (one word)",
        "Name one of two equal parts (one word).",
    ) + r#"
[[item]]
id = "half-004"
kind = "numeric"
skills = ["half"]
prompt = "How many halves make one whole?"
answer = 2
hints = ["Cut a bar into two equal parts."]
solution = "Two halves make one whole."
"#;
    fs::write(dir.join("lessons/01-half.toml"), lesson).unwrap();
    fs::remove_file(dir.join("lessons/02-quarters.toml")).unwrap();
    dir
}

fn answer(item: &str) -> Event {
    Event::Answer {
        item: ItemRef::new("halves", item),
        response: serde_json::json!("x"),
        correct: false,
        score: None,
        blanks: None,
        latency_ms: 1000,
        hint_level: 0,
        predicted: None,
    }
}

#[test]
fn learners_add_list_rename_remove_export_delete() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    assert!(ok(&data, &["learner", "add", "Ana"]).contains("added learner 1: Ana"));
    ok(&data, &["learner", "add", "Ben"]);
    let list = ok(&data, &["learner", "list"]);
    assert!(list.contains("Ana") && list.contains("Ben"), "{list}");
    // Names stay unique among active learners, ignoring case (as through `serve` and the app).
    assert!(fails(&data, &["learner", "add", "ana"]).contains("already called \"Ana\""));
    assert!(fails(&data, &["learner", "rename", "Ben", "ANA"]).contains("already called"));
    ok(&data, &["learner", "rename", "Ben", "Benjamin"]);
    // A learner is found by their name however it is typed: decomposed accents, spaces,
    // invisible characters (the store's comparison, not a second one).
    ok(&data, &["learner", "add", "Zoe\u{308}  Li"]);
    ok(&data, &["learner", "rename", "zoë li", "Zoë Lin"]);
    ok(&data, &["learner", "rename", "Zo\u{200B}\u{eb} LIN", "Zoë Li"]);
    assert!(ok(&data, &["learner", "list"]).contains("Zoë Li"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&data, &["learner", "list", "--json"])).unwrap();
    assert_eq!(json[1]["name"], "Benjamin");

    // remove = archive: hidden, history kept, undoable.
    {
        let mut s = Store::open(&data).unwrap();
        s.transact(|tx| tx.append_event(LearnerId(2), None, &answer("half-001"))).unwrap();
    }
    assert!(ok(&data, &["learner", "remove", "2"]).contains("archived"));
    assert!(!ok(&data, &["learner", "list"]).contains("Benjamin"));
    let all = ok(&data, &["learner", "list", "--all"]);
    assert!(all.contains("Benjamin") && all.contains("1 events") && all.contains("archived"));
    ok(&data, &["learner", "unarchive", "2"]);
    assert!(ok(&data, &["learner", "list"]).contains("Benjamin"));

    // export, then delete (which also deletes the export).
    let export = tmp.path().join("ben.json");
    ok(&data, &["learner", "export", "2", "-o", export.to_str().unwrap()]);
    let e: serde_json::Value = serde_json::from_slice(&fs::read(&export).unwrap()).unwrap();
    assert_eq!(e["format"], "ladder-learner-export");
    assert_eq!(e["learner"]["name"], "Benjamin");
    assert_eq!(e["events"].as_array().unwrap().len(), 1);
    assert_eq!(e["events"][0]["event"]["type"], "answer");

    assert!(fails(&data, &["learner", "delete", "2"]).contains("--yes"));
    let out = ok(&data, &["learner", "delete", "2", "--yes"]);
    assert!(out.contains("1 events erased") && out.contains("1 export(s)"), "{out}");
    assert!(!export.exists());
    assert!(!ok(&data, &["learner", "list", "--all"]).contains("Benjamin"));
    assert!(fails(&data, &["learner", "rename", "nobody", "X"]).contains("no learner"));
}

#[test]
fn pack_install_upgrade_list_remove_keeps_history() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let v1 = minimal_pack();
    let v1 = v1.to_str().unwrap();

    let dry = ok(&data, &["pack", "install", v1, "--dry-run"]);
    assert!(dry.contains("halves 1.0.0 (new pack)") && dry.contains("new (5)"), "{dry}");
    assert!(dry.contains("dry run"));
    // A dry run writes nothing, not even a data directory where there was none.
    assert!(!data.exists(), "the dry run created {}", data.display());
    assert!(ok(&data, &["pack", "install", v1]).contains("installed halves 1.0.0"));
    assert!(data.join("packs/halves/1.0.0/media/bar-1-2.svg").exists());
    assert!(ok(&data, &["pack", "install", v1]).contains("nothing to do"));

    ok(&data, &["learner", "add", "Ana"]);
    {
        let mut s = Store::open(&data).unwrap();
        s.transact(|tx| {
            tx.append_event(LearnerId(1), None, &answer("half-003"))?;
            tx.append_event(LearnerId(1), None, &answer("quarters-001"))
        })
        .unwrap();
    }

    let v2 = upgraded_pack(tmp.path());
    let v2 = v2.to_str().unwrap();
    let dry = ok(&data, &["pack", "install", v2, "--dry-run"]);
    assert!(dry.contains("halves 1.0.0 -> 1.1.0"), "{dry}");
    assert!(dry.contains("new (1): half-004"), "{dry}");
    assert!(dry.contains("changed (1): half-003"), "{dry}");
    assert!(dry.contains("removed (2): quarters-001, quarters-002"), "{dry}");
    assert!(dry.contains("history kept for removed items: quarters-001"), "{dry}");
    assert!(ok(&data, &["pack", "list"]).contains("1.0.0"));
    ok(&data, &["pack", "install", v2]);
    let list = ok(&data, &["pack", "list"]);
    assert!(list.contains("halves  1.1.0") && list.contains("4 items"), "{list}");

    // History still there and pointing at what was shown.
    let check_history = || {
        let s = Store::open(&data).unwrap();
        let events = s.read(|tx| tx.events(LearnerId(1), None)).unwrap();
        assert_eq!(events.len(), 2);
        for e in events {
            let i = e.event.item().unwrap();
            let rev = s.read(|tx| tx.item_revision(&i.pack, &i.item, i.revision.unwrap())).unwrap();
            let content = rev.expect("history lost its item").content;
            if i.item == "half-003" {
                assert!(content.to_string().contains("What do we call"), "saw the old wording");
            }
        }
    };
    check_history();

    let err = fails(&data, &["pack", "remove", "halves"]);
    assert!(err.contains("--force") && err.contains("history"), "{err}");
    assert!(ok(&data, &["pack", "remove", "halves", "--force"]).contains("history of 1"));
    assert!(ok(&data, &["pack", "list"]).contains("no packs installed"));
    let all = ok(&data, &["pack", "list", "--all"]);
    assert!(all.contains("removed, history kept"), "{all}");
    assert!(all.contains("no packs installed"), "{all}");
    assert!(all.contains("left alone by the app's preload folder"), "{all}");
    assert!(!data.join("packs/halves").exists());
    check_history();
    // Installing it again is a return, not a pack of new items: what the history knows of
    // each item is the comparison.
    let back = ok(&data, &["pack", "install", "--dry-run", v2]);
    assert!(
        back.contains("halves 1.1.0 -> 1.1.0 (removed earlier: installing brings it back"),
        "{back}"
    );
    assert!(back.contains("  unchanged: 4") && !back.contains("  new ("), "{back}");

    // A built .ladderpack installs the same content as its folder.
    let archive = tmp.path().join("halves-1.1.0.ladderpack");
    ok(&data, &["pack", "build", v2, "-o", archive.to_str().unwrap()]);
    let other = tmp.path().join("other-data");
    assert!(ok(&other, &["pack", "install", archive.to_str().unwrap()]).contains("new (4)"));
    let items = |d: &Path| {
        let s = Store::open(d).unwrap();
        s.read(|tx| tx.items("halves"))
            .unwrap()
            .into_iter()
            .map(|i| i.revision.content)
            .collect::<Vec<_>>()
    };
    ok(&data, &["pack", "install", v2]);
    assert_eq!(items(&other), items(&data));
    assert!(other.join("packs/halves/1.1.0/media/bar-1-2.svg").exists());

    // An invalid pack installs nothing.
    let bad = tmp.path().join("bad");
    copy_dir(&minimal_pack(), &bad);
    fs::write(bad.join("pack.toml"), "schema = 1\nid = \"BAD ID\"\n").unwrap();
    assert!(fails(&data, &["pack", "install", bad.to_str().unwrap()]).contains("not a valid pack"));
    let es = fails(&data, &["pack", "install", "--language", "es", bad.to_str().unwrap()]);
    assert!(es.contains("pack.toml:2:6: id: id no válido `BAD ID`"), "{es}");
    assert!(es.contains("no es un paquete válido: no se ha instalado nada"), "{es}");
}

/// A forgotten tutor PIN: `db clear-pin` removes it (asking first, or with --yes), and nothing
/// else changes.
#[test]
fn db_clear_pin_removes_a_forgotten_pin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    assert!(ok(&data, &["db", "clear-pin", "--yes"]).contains("no tutor PIN is set"));
    {
        let mut store = Store::open(&data).unwrap();
        store.set_pin("2468").unwrap();
    }
    // Without a terminal and without --yes it refuses and changes nothing.
    let refused = ladder(&data, &["db", "clear-pin"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert!(Store::open(&data).unwrap().read(|tx| tx.has_pin()).unwrap());
    assert!(ok(&data, &["db", "clear-pin", "--yes"]).contains("removed"));
    let store = Store::open(&data).unwrap();
    assert!(!store.read(|tx| tx.has_pin()).unwrap());
    assert_eq!(store.read(|tx| tx.learners(false)).unwrap().len(), 1, "learners untouched");
}

#[test]
fn db_check_backup_and_restore_after_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    // The first command took the daily backup.
    assert_eq!(ok(&data, &["db", "backups"]).lines().count(), 1);
    let check = ok(&data, &["db", "check"]);
    assert!(check.contains("database: ok") && check.contains(": ok"), "{check}");
    {
        let mut s = Store::open(&data).unwrap();
        for i in 0..300 {
            s.transact(|tx| tx.append_event(LearnerId(1), None, &answer(&format!("i{i}"))))
                .unwrap();
        }
        s.compact().unwrap();
    }
    ok(&data, &["db", "backup"]);

    // Damage everything after the header.
    let db = data.join(DB_FILE);
    let mut bytes = fs::read(&db).unwrap();
    for b in bytes[100..].iter_mut() {
        *b = 0x5A;
    }
    fs::write(&db, bytes).unwrap();

    let err = fails(&data, &["learner", "list"]);
    assert!(err.contains("damaged") && err.contains("ladder db restore"), "{err}");
    let out = ladder(&data, &["db", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("corrupt"));
    assert!(db.exists(), "the damaged database must not be replaced silently");

    let restored = ok(&data, &["db", "restore"]);
    assert!(restored.contains("restored") && restored.contains("kept as"), "{restored}");
    let list = ok(&data, &["learner", "list"]);
    assert!(list.contains("Ana") && list.contains("300 events"), "{list}");
}

#[test]
fn a_database_from_a_newer_ladder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir_all(&data).unwrap();
    let conn = rusqlite_free_newer_db(&data.join(DB_FILE));
    let before = fs::read(&conn).unwrap();
    let err = fails(&data, &["learner", "list"]);
    assert!(err.contains("newer version of Ladder"), "{err}");
    assert_eq!(fs::read(&conn).unwrap(), before);
}

/// A database whose schema version is far ahead, made with the store's own migrations and then
/// a raised `user_version` (no SQL needed here).
fn rusqlite_free_newer_db(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap();
    drop(Store::open(dir).unwrap());
    // user_version lives at byte offset 60 of the header, big-endian.
    let mut bytes = fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    fs::write(path, bytes).unwrap();
    path.to_path_buf()
}

#[test]
fn cli_commands_and_the_app_write_at_once_without_locked_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "App user"]);
    // "The app": this process keeps writing answers while CLI processes add learners.
    let procs: Vec<std::process::Child> = (0..6)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_ladder"))
                .arg("--data-dir")
                .arg(&data)
                .args(["learner", "add", &format!("cli-{i}")])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut s = Store::open(&data).unwrap();
    for i in 0..100 {
        s.transact(|tx| tx.append_event(LearnerId(1), None, &answer(&format!("i{i}")))).unwrap();
    }
    for p in procs {
        let out = p.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("locked") && !stderr.contains("busy"), "{stderr}");
    }
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 7);
    assert_eq!(s.read(|tx| tx.event_count(LearnerId(1))).unwrap(), 100);
}

/// A pack removed without history leaves no row, but `pack list --all` still names it as removed
/// (the app's preload folder leaves it alone) until it is installed again.
#[test]
fn a_pack_removed_without_history_is_listed_as_removed_until_installed_again() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let pack = minimal_pack();
    let pack = pack.to_str().unwrap();
    ok(&data, &["pack", "install", pack]);
    let removed = ok(&data, &["pack", "remove", "halves"]);
    assert!(removed.contains("removed pack halves"), "{removed}");
    assert!(removed.contains("preload folder will not install it again"), "{removed}");
    let all = ok(&data, &["pack", "list", "--all"]);
    assert!(all.contains("halves  1.0.0") && all.contains("(removed, no history)"), "{all}");
    assert!(!ok(&data, &["pack", "list"]).contains("removed"));
    ok(&data, &["pack", "install", pack]);
    let all = ok(&data, &["pack", "list", "--all"]);
    assert!(!all.contains("removed"), "{all}");
    assert!(all.contains("halves  1.0.0"), "{all}");
}

/// `pack build` and `pack install --language es` report in Spanish: what the install changes,
/// that it installed, and why the store refuses the same version with other content.
#[test]
fn build_and_install_report_in_spanish() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let archive = tmp.path().join("halves.ladderpack");
    let pack = minimal_pack();
    let built = ok(
        &data,
        &[
            "pack",
            "build",
            "--language",
            "es",
            pack.to_str().unwrap(),
            "-o",
            archive.to_str().unwrap(),
        ],
    );
    assert!(built.starts_with("escrito ") && built.contains("huella del contenido"), "{built}");
    let dry =
        ok(&data, &["pack", "install", "--language", "es", "--dry-run", archive.to_str().unwrap()]);
    assert!(dry.contains("halves 1.0.0 (paquete nuevo)"), "{dry}");
    assert!(dry.contains("  añadidos (5): "), "{dry}");
    assert!(dry.contains("  sin cambios: 0"), "{dry}");
    assert!(dry.contains("simulación: no se ha cambiado nada"), "{dry}");
    let installed = ok(&data, &["pack", "install", "--language", "es", archive.to_str().unwrap()]);
    assert!(installed.contains("instalado halves 1.0.0"), "{installed}");
    let again = ok(&data, &["pack", "install", "--language", "es", archive.to_str().unwrap()]);
    assert!(again.contains("ya está instalado: no hay nada que hacer"), "{again}");
    // The same version with a reworded item: refused, in Spanish, with what to do.
    let changed = tmp.path().join("changed");
    copy_dir(&pack, &changed);
    let lesson = changed.join("lessons/01-half.toml");
    let text = fs::read_to_string(&lesson).unwrap();
    fs::write(&lesson, text.replacen("What do we call", "What is the name of", 1)).unwrap();
    let refused = fails(&data, &["pack", "install", "--language", "es", changed.to_str().unwrap()]);
    assert!(refused.contains("ya está instalada con otro contenido"), "{refused}");
    assert!(refused.contains("sube la versión del paquete"), "{refused}");
    // In English the store's own words, as before.
    let refused = fails(&data, &["pack", "install", changed.to_str().unwrap()]);
    assert!(refused.contains("raise the version"), "{refused}");
}

#[test]
fn an_emptied_database_is_reported_as_lost_not_checked_as_a_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data with spaces é");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["db", "backup"]);
    let db = data.join(DB_FILE);
    fs::write(&db, b"").unwrap();
    // `db check` must not take the empty file for a new database (nor write a schema into it).
    let out = ladder(&data, &["db", "check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("database: missing") && stdout.contains("ladder db restore"),
        "{stdout}"
    );
    let err = fails(&data, &["learner", "list"]);
    assert!(err.contains("missing") && err.contains("ladder db restore"), "{err}");
    assert_eq!(fs::metadata(&db).unwrap().len(), 0, "the empty file was written to");
    ok(&data, &["db", "restore"]);
    assert!(ok(&data, &["learner", "list"]).contains("Ana"));
    // A folder where the database should be: named as such, and a restore mends it.
    fs::rename(&db, data.join("elsewhere.sqlite3")).unwrap();
    fs::create_dir(&db).unwrap();
    let out = ladder(&data, &["db", "check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("is a folder") && stdout.contains("run `ladder db restore`"),
        "{stdout}"
    );
    assert!(fails(&data, &["learner", "list"]).contains("is a folder"));
    ok(&data, &["db", "restore"]);
    assert!(ok(&data, &["learner", "list"]).contains("Ana"));
    // A database a restore cannot mend (from a newer Ladder) is not sent to `db restore`.
    rusqlite_free_newer_db(&db);
    let out = ladder(&data, &["db", "check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("too_new") && !stdout.contains("db restore"), "{stdout}");
}

#[test]
fn db_restore_refuses_while_serve_has_the_database_open() {
    // A tutor runs `ladder db restore` while the app (here `ladder serve`) is still open. The
    // restore moved the database aside under the running program, which went on recording
    // answers into the moved-aside file: acknowledged answers that no report showed.
    use std::io::{BufRead, BufReader, Write};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["db", "backup"]);
    ok(&data, &["learner", "add", "Ben"]);
    let mut serve = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(&data)
        .args(["serve", "--stdio"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut input = serve.stdin.take().unwrap();
    let mut output = BufReader::new(serve.stdout.take().unwrap());
    let mut line = String::new();
    writeln!(input, r#"{{"id":1,"command":"list_learners"}}"#).unwrap();
    output.read_line(&mut line).unwrap();
    assert!(line.contains("Ben"), "{line}");

    let err = fails(&data, &["db", "restore"]);
    assert!(err.contains("open in another Ladder program") && err.contains("close it"), "{err}");
    assert!(err.contains(&data.join(DB_FILE).display().to_string()), "{err}");
    // Nothing was moved: the running program and the next command see the same file.
    let aside = fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".replaced-"))
        .count();
    assert_eq!(aside, 0, "a file was moved aside although nothing was restored");
    writeln!(input, r#"{{"id":2,"command":"add_learner","params":{{"name":"Cleo"}}}}"#).unwrap();
    line.clear();
    output.read_line(&mut line).unwrap();
    assert!(line.contains("Cleo") && !line.contains("error"), "{line}");
    let listed = ok(&data, &["learner", "list"]);
    assert!(listed.contains("Cleo"), "{listed}");

    // Once it is closed, the restore goes ahead.
    drop(input);
    assert!(serve.wait().unwrap().success());
    let restored = ok(&data, &["db", "restore"]);
    assert!(restored.contains("kept as"), "{restored}");
    let listed = ok(&data, &["learner", "list"]);
    assert!(listed.contains("Ana") && !listed.contains("Ben"), "{listed}");
}

#[test]
fn an_export_says_that_deleting_the_learner_deletes_it_and_the_deletion_names_it() {
    // The admin exports a leaving learner's data for the family, then deletes the learner: the
    // export vanished with them, and neither command had said it would (the deletion printed
    // only "1 export(s) deleted").
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    let export = tmp.path().join("for the family.json");
    let said = ok(&data, &["learner", "export", "Ana", "-o", export.to_str().unwrap()]);
    assert!(
        said.contains("learner delete") && said.contains("copy") && said.contains("elsewhere"),
        "{said}"
    );
    let out = ok(&data, &["learner", "delete", "Ana", "--yes"]);
    assert!(out.contains(&export.display().to_string()), "{out}");
    assert!(!export.exists());
}

#[test]
fn a_restore_says_how_to_undo_it_and_the_file_it_kept_aside_restores() {
    // The admin restores by mistake (the database was only read-only, or the wrong backup was
    // picked): everything since the backup left the live file. It was kept aside, and `db
    // restore FILE` brings it back, but the output named the file without saying so.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["db", "backup"]);
    ok(&data, &["learner", "add", "Ben"]);
    let out = ok(&data, &["db", "restore"]);
    let kept = out
        .lines()
        .find_map(|l| l.strip_prefix("the previous database was kept as "))
        .unwrap_or_else(|| panic!("{out}"));
    let kept = kept.split(" (").next().unwrap();
    assert!(out.contains(&format!("`ladder db restore \"{kept}\"` brings it back")), "{out}");
    assert!(!ok(&data, &["learner", "list"]).contains("Ben"));
    ok(&data, &["db", "restore", kept]);
    let list = ok(&data, &["learner", "list"]);
    assert!(list.contains("Ana") && list.contains("Ben"), "{list}");
}

#[test]
fn a_daily_backup_that_cannot_be_written_warns_and_does_not_lock_the_learners_out() {
    // The disk has room for answers but not for a copy of the whole database (or the backups
    // folder cannot be written): every command, and the app, refused to open, since the daily
    // backup taken at start-up failed. Simulated with a file where the backups folder goes.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    fs::remove_dir_all(data.join("backups")).unwrap();
    fs::write(data.join("backups"), b"not a folder").unwrap();
    let out = ladder(&data, &["learner", "add", "Ben"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: the daily backup was not taken")
            && stderr.contains(&data.join("backups").display().to_string()),
        "{stderr}"
    );
    assert!(ok(&data, &["learner", "list"]).contains("Ben"));
    // Asked for by hand, a backup that cannot be written is an error.
    assert!(fails(&data, &["db", "backup"]).contains("backups"));
}

#[test]
fn db_restore_of_a_backup_that_is_not_there_or_a_folder_says_so() {
    // A name mistyped, or a folder given, read "is not a usable backup: unable to open database
    // file" and "disk I/O error", as if a backup were damaged.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    let err = fails(&data, &["db", "restore", "ladder-20990101T000000Z.sqlite3"]);
    assert!(
        err.contains("no backup file ladder-20990101T000000Z.sqlite3")
            && err.contains(&data.join("backups").display().to_string())
            && err.contains("ladder db backups"),
        "{err}"
    );
    let err = fails(&data, &["db", "restore", data.join("backups").to_str().unwrap()]);
    assert!(err.contains("is a folder, not a backup file"), "{err}");
    assert!(ok(&data, &["learner", "list"]).contains("Ana"), "nothing changed");
}

#[test]
fn db_restore_without_a_good_backup_says_what_to_do() {
    // It said only "no good backup in DIR/backups".
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    for b in fs::read_dir(data.join("backups")).unwrap().flatten() {
        fs::write(b.path(), b"damaged beyond reading").unwrap();
    }
    let err = fails(&data, &["db", "restore"]);
    assert!(
        err.contains("no good backup in")
            && err.contains("ladder db check")
            && err.contains("ladder db restore FILE")
            && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(ok(&data, &["learner", "list"]).contains("Ana"));
}

#[test]
fn learner_delete_erases_a_learner_only_backups_still_hold() {
    // A learner no longer in the database but still in backups (a deletion cut short after
    // its commit, or a restore of an older backup): `learner delete 2` answered "no learner
    // with id 2", and nothing could erase them from the backups.
    const CANARY: &str = "Zanzibar-canary-3317";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["db", "backup"]);
    let older = ok(&data, &["db", "backups"])
        .lines()
        .last()
        .unwrap()
        .rsplit("  ")
        .next()
        .unwrap()
        .to_string();
    ok(&data, &["learner", "add", CANARY]);
    ok(&data, &["db", "backup"]);
    ok(&data, &["db", "restore", &older]);
    assert!(!ok(&data, &["learner", "list", "--all"]).contains(CANARY));
    let out = ok(&data, &["learner", "delete", "2", "--yes"]);
    assert!(out.contains(&format!("learner 2 ({CANARY}) was no longer in the database")), "{out}");
    for e in fs::read_dir(&data).unwrap().chain(fs::read_dir(data.join("backups")).unwrap()) {
        let p = e.unwrap().path();
        if p.is_file() {
            let bytes = fs::read(&p).unwrap();
            let found = bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes());
            assert!(!found, "{} still holds the learner", p.display());
        }
    }
    assert!(fails(&data, &["learner", "delete", "2", "--yes"]).contains("no learner"));
}

#[test]
fn a_read_only_database_file_is_reported_by_db_check_and_at_start_up() {
    // The folder is writable but the file is not (copied from a read-only medium, or owned by
    // another account): `db check` said "database: ok", commands started without a word, and
    // the first answer a learner gave could not be saved.
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    let db = data.join(DB_FILE);
    let before = fs::read(&db).unwrap();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o444)).unwrap();
    let root = fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
    // Root ignores permissions: run the binary as `nobody` then (a copy it may execute, in a
    // folder it may enter, on a data folder it owns).
    let bin_dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| -> Output {
        let mut cmd = if root {
            use std::os::unix::process::CommandExt;
            let bin = bin_dir.path().join("ladder");
            if !bin.exists() {
                // Copied by `cp`, not by this process: a file this process held open for
                // writing would be inherited by any child another test thread forks meanwhile,
                // and executing it would fail with "Text file busy" until that child execs.
                let copied = Command::new("cp")
                    .arg(env!("CARGO_BIN_EXE_ladder"))
                    .arg(&bin)
                    .status()
                    .unwrap();
                assert!(copied.success(), "cp of the ladder binary failed");
                fs::set_permissions(bin_dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
            }
            let mut c = Command::new(&bin);
            c.uid(65534).gid(65534);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_ladder"))
        };
        cmd.arg("--data-dir").arg(&data).args(args);
        cmd.stdin(std::process::Stdio::null()).output().unwrap()
    };
    if root {
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::chown(&data, Some(65534), Some(65534)).unwrap();
    }
    let out = run(&["db", "check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("database: read-only") && stdout.contains(&db.display().to_string()),
        "{stdout}"
    );
    let out = run(&["learner", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning:") && stderr.contains("read-only"), "{stderr}");
    assert_eq!(fs::read(&db).unwrap(), before, "the database changed");
}

#[test]
fn an_export_is_never_written_over_the_database_or_a_backup() {
    // `ladder learner export Ana -o <data-dir>/ladder.sqlite3` (a slip of the output name)
    // renamed the JSON over the live database: every learner's answers since the last backup
    // were gone, and the next command called the database damaged. Over a backup, it destroyed
    // the backup.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["learner", "add", "Ben"]);
    let backup = ok(&data, &["db", "backup"]).trim().rsplit(' ').next().unwrap().to_string();
    let before = fs::read(&backup).unwrap();
    for target in [
        data.join(DB_FILE),
        data.join(format!("{DB_FILE}-wal")),
        PathBuf::from(&backup),
        data.join("backups").join("new.json"),
        data.join("packs").join("x.json"),
        // The same file through another spelling of the folder.
        data.join("backups").join("..").join(DB_FILE),
    ] {
        let err = fails(&data, &["learner", "export", "Ana", "-o", target.to_str().unwrap()]);
        assert!(
            err.contains("Ladder's own files") && err.contains("choose a file outside"),
            "{}: {err}",
            target.display()
        );
    }
    assert_eq!(fs::read(&backup).unwrap(), before, "the backup changed");
    let list = ok(&data, &["learner", "list"]);
    assert!(list.contains("Ana") && list.contains("Ben"), "{list}");
    // A file of its own in the data folder is fine.
    ok(&data, &["learner", "export", "Ana", "-o", data.join("ana.json").to_str().unwrap()]);
}

#[test]
fn learner_delete_of_an_ambiguous_key_is_refused_even_when_backups_hold_the_learner() {
    // "1" is learner 1's id and learner 2's name: refused, never guessed, also once a backup
    // holds learner 1 (the erasure of learners only backups hold must not bypass the check).
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    ok(&data, &["learner", "add", "1"]);
    ok(&data, &["db", "backup"]);
    let err = fails(&data, &["learner", "delete", "1", "--yes"]);
    assert!(err.contains("is both learner 1"), "{err}");
    let list = ok(&data, &["learner", "list"]);
    assert!(list.contains("Ana") && list.lines().count() == 2, "{list}");
}

/// Output piped into a reader that stops early (`ladder learner list | head -1`) ends quietly,
/// as other command-line tools do, instead of with a panic message about a broken pipe.
#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ok = ladder(&data, &["learner", "add", "Ana"]);
    assert!(ok.status.success(), "{ok:?}");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(&data)
        .args(["learner", "list"])
        .stdin(std::process::Stdio::null())
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}

/// A copy of the minimal pack in `root/name` at `version`, with `edit` applied to its files.
fn edited_pack(root: &Path, name: &str, version: &str, edit: impl Fn(&Path)) -> PathBuf {
    let dir = root.join(name);
    copy_dir(&minimal_pack(), &dir);
    let manifest = fs::read_to_string(dir.join("pack.toml")).unwrap();
    let manifest = manifest.replace("version = \"1.0.0\"", &format!("version = \"{version}\""));
    fs::write(dir.join("pack.toml"), manifest).unwrap();
    edit(&dir);
    dir
}

fn replace_in(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from:?} is not in {}", file.display());
    fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// A picture replaced under the same name is part of what an upgrade changes: the install
/// report names it, as it names changed items (it said nothing: "unchanged: 5" only).
#[test]
fn an_upgrade_report_names_the_pictures_it_changes_adds_and_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["pack", "install", minimal_pack().to_str().unwrap()]);
    let v2 = edited_pack(tmp.path(), "v2", "1.1.0", |d| {
        let svg = d.join("media/bar-1-2.svg");
        replace_in(&svg, "</svg>", "<!-- fixed --></svg>");
        fs::write(d.join("media/unused.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .unwrap();
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", v2.to_str().unwrap()]);
    assert!(dry.contains("pictures changed (1): media/bar-1-2.svg"), "{dry}");
    assert!(dry.contains("pictures new (1): media/unused.svg"), "{dry}");
    assert!(dry.contains("  unchanged: 5"), "{dry}");
    let es = ok(&data, &["pack", "install", "--dry-run", "--language", "es", v2.to_str().unwrap()]);
    assert!(es.contains("imágenes cambiadas (1): media/bar-1-2.svg"), "{es}");
    ok(&data, &["pack", "install", v2.to_str().unwrap()]);

    let v3 = edited_pack(tmp.path(), "v3", "1.2.0", |d| {
        replace_in(&d.join("media/bar-1-2.svg"), "</svg>", "<!-- fixed --></svg>");
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", v3.to_str().unwrap()]);
    assert!(dry.contains("pictures removed (1): media/unused.svg"), "{dry}");
    assert!(!dry.contains("pictures changed"), "{dry}");
}

/// The same version with other content is refused, and the refusal says what differs (it
/// said only "raise the version", and the teacher had to guess which edit it was), in English
/// and in Spanish, a few then how many more.
#[test]
fn a_same_version_refusal_names_what_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["pack", "install", minimal_pack().to_str().unwrap()]);
    let same = edited_pack(tmp.path(), "same", "1.0.0", |d| {
        replace_in(&d.join("lessons/01-half.toml"), "Write one half as", "Write 1/2 as");
        replace_in(&d.join("skills.toml"), "name = \"What a half is\"", "name = \"Halves\"");
        replace_in(&d.join("media/bar-1-2.svg"), "</svg>", "<!-- fixed --></svg>");
    });
    let err = fails(&data, &["pack", "install", same.to_str().unwrap()]);
    assert!(err.contains("already installed with different content"), "{err}");
    assert!(err.contains("skill half changed"), "{err}");
    assert!(err.contains("item half-002 changed"), "{err}");
    assert!(err.contains("picture media/bar-1-2.svg changed"), "{err}");
    assert!(err.contains("raise the version"), "{err}");
    assert!(!err.contains("half-001"), "an unchanged item is not named: {err}");
    let es = fails(&data, &["pack", "install", "--language", "es", same.to_str().unwrap()]);
    assert!(es.contains("cambia el ejercicio half-002"), "{es}");
    assert!(es.contains("cambia la habilidad half"), "{es}");
    assert!(es.contains("cambia la imagen media/bar-1-2.svg"), "{es}");
    assert!(es.contains("sube la versión del paquete"), "{es}");

    // Many edits: a few are named, then how many more.
    let many = edited_pack(tmp.path(), "many", "1.0.0", |d| {
        for f in ["lessons/01-half.toml", "lessons/02-quarters.toml"] {
            let text = fs::read_to_string(d.join(f)).unwrap();
            fs::write(d.join(f), text.replace("prompt = \"", "prompt = \"Now: ")).unwrap();
        }
        let skills = fs::read_to_string(d.join("skills.toml")).unwrap();
        fs::write(
            d.join("skills.toml"),
            skills.replace("description = \"", "description = \"So: "),
        )
        .unwrap();
    });
    let err = fails(&data, &["pack", "install", many.to_str().unwrap()]);
    assert!(
        err.contains("skill half changed, skill quarters changed, item half-001 changed"),
        "{err}"
    );
    assert!(err.contains("item half-003 changed and 2 more"), "{err}");
    assert!(!err.contains("quarters-002"), "{err}");
}

/// An item whose id changed reads as one removed and one added; the report says that this
/// looks like a rename and that the answers on the old id no longer count toward the new one
/// (it said nothing, and the learners' progress on it silently stopped counting).
#[test]
fn a_renamed_item_is_reported_as_a_rename_that_loses_its_answers_weight() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["pack", "install", minimal_pack().to_str().unwrap()]);
    ok(&data, &["learner", "add", "Ana"]);
    {
        let mut s = Store::open(&data).unwrap();
        s.transact(|tx| tx.append_event(LearnerId(1), None, &answer("half-001"))).unwrap();
    }
    let renamed = edited_pack(tmp.path(), "renamed", "1.1.0", |d| {
        replace_in(&d.join("lessons/01-half.toml"), "id = \"half-001\"", "id = \"half-one\"");
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", renamed.to_str().unwrap()]);
    assert!(dry.contains("new (1): half-one") && dry.contains("removed (1): half-001"), "{dry}");
    assert!(dry.contains("half-001 -> half-one"), "{dry}");
    assert!(dry.contains("1 learner"), "{dry}");
    assert!(dry.contains("no longer count toward half-one"), "{dry}");
    assert!(dry.contains("docs/pack-format.md"), "{dry}");
    let es =
        ok(&data, &["pack", "install", "--dry-run", "--language", "es", renamed.to_str().unwrap()]);
    assert!(es.contains("half-001 -> half-one"), "{es}");
    assert!(es.contains("ya no cuentan para half-one"), "{es}");
    // Installing it keeps the answers on half-001 (history is never deleted).
    ok(&data, &["pack", "install", renamed.to_str().unwrap()]);
    let s = Store::open(&data).unwrap();
    let events = s.read(|tx| tx.events(LearnerId(1), None)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.item().unwrap().item, "half-001");
}

/// Skills and lessons an upgrade adds, changes or removes are named (it said only "skills,
/// lessons or the pack's details (pack.toml) changed too").
#[test]
fn an_upgrade_report_names_the_skills_lessons_and_details_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["pack", "install", minimal_pack().to_str().unwrap()]);
    let v2 = edited_pack(tmp.path(), "v2", "1.1.0", |d| {
        fs::remove_file(d.join("lessons/02-quarters.toml")).unwrap();
        let skills = fs::read_to_string(d.join("skills.toml")).unwrap();
        let cut = skills.find("[[skill]]\nid = \"quarters\"").unwrap();
        fs::write(d.join("skills.toml"), &skills[..cut]).unwrap();
        replace_in(&d.join("pack.toml"), "description = \"A tiny", "description = \"A small");
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", v2.to_str().unwrap()]);
    assert!(dry.contains("skills removed (1): quarters"), "{dry}");
    assert!(dry.contains("lessons removed (1): quarters"), "{dry}");
    assert!(dry.contains("pack.toml changed (1): description"), "{dry}");
    assert!(!dry.contains("changed too"), "the vague line is gone: {dry}");
}

/// A lesson (or skill) whose id changed is named as a likely rename, with what it means: the
/// answers keep counting (they follow the items), and a session on the old lesson ends.
#[test]
fn a_renamed_lesson_is_named_with_what_happens_to_its_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["pack", "install", minimal_pack().to_str().unwrap()]);
    let renamed = edited_pack(tmp.path(), "renamed", "2.0.0", |d| {
        replace_in(&d.join("lessons/01-half.toml"), "id = \"half\"\n", "id = \"one-half\"\n");
        // One of its items edited besides.
        replace_in(&d.join("lessons/01-half.toml"), "difficulty = -1.5", "difficulty = -1.0");
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", renamed.to_str().unwrap()]);
    assert!(dry.contains("lessons new (1): one-half"), "{dry}");
    assert!(dry.contains("renamed? lesson half -> one-half"), "{dry}");
    assert!(dry.contains("a session practising lesson half"), "{dry}");
    assert!(!dry.contains("renamed? half-"), "no item was renamed: {dry}");
    // Its items are new revisions (their lesson's id is part of them), and the report says
    // which of them the teacher did not edit (a tester read "changed" as edited).
    assert!(dry.contains("changed (3): half-001, half-002, half-003"), "{dry}");
    assert!(
        dry.contains(
            "changed only to follow a renamed lesson or skill, nothing else edited (2): \
             half-002, half-003"
        ),
        "{dry}"
    );
    let es =
        ok(&data, &["pack", "install", "--dry-run", "--language", "es", renamed.to_str().unwrap()]);
    assert!(es.contains("¿renombrada? lección half -> one-half"), "{es}");
    assert!(
        es.contains(
            "cambiados solo para seguir a una lección o habilidad renombrada, sin otra edición \
             (2): half-002,"
        ),
        "{es}"
    );
}

/// Going back to an older version is refused with how to do it instead, in English and Spanish.
#[test]
fn a_downgrade_says_to_give_the_old_content_a_higher_version() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let v2 = edited_pack(tmp.path(), "v2", "2.0.0", |_| {});
    ok(&data, &["pack", "install", v2.to_str().unwrap()]);
    let v1 = minimal_pack();
    let err = fails(&data, &["pack", "install", v1.to_str().unwrap()]);
    assert!(err.contains("older than the installed 2.0.0"), "{err}");
    assert!(err.contains("give it a version above 2.0.0"), "{err}");
    let es = fails(&data, &["pack", "install", "--language", "es", v1.to_str().unwrap()]);
    assert!(es.contains("dale una versión posterior a la 2.0.0"), "{es}");
}

/// Building edited content over an archive of the same version replaced it without a word;
/// a device that installed the first one refuses the second ("raise the version"), so the
/// build says so (and still writes it: the teacher may not have handed the first one out).
#[test]
fn a_build_over_an_archive_of_the_same_version_with_other_content_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let first = ladder(
        &data,
        &["pack", "build", minimal_pack().to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    assert!(first.status.success());
    assert!(String::from_utf8_lossy(&first.stderr).is_empty(), "nothing to warn about");
    let again = ladder(
        &data,
        &["pack", "build", minimal_pack().to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&again.stderr).is_empty(), "the same content: no warning");

    let edited = edited_pack(tmp.path(), "edited", "1.0.0", |d| {
        replace_in(&d.join("lessons/01-half.toml"), "Write one half as", "Write 1/2 as");
    });
    let built =
        ladder(&data, &["pack", "build", edited.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(built.status.success());
    let warned = String::from_utf8_lossy(&built.stderr);
    assert!(warned.contains("halves-1.0.0.ladderpack"), "{warned}");
    assert!(warned.contains("other content of the same version 1.0.0"), "{warned}");
    assert!(warned.contains("raise the version"), "{warned}");
    let es = ladder(
        &data,
        &[
            "pack",
            "build",
            "--language",
            "es",
            minimal_pack().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let warned = String::from_utf8_lossy(&es.stderr);
    assert!(warned.contains("otro contenido de la misma versión 1.0.0"), "{warned}");
}

/// A new version whose pack id was changed by mistake installs as a second course beside the
/// first, with none of its learners' history; the report said only "(new pack)". It now names
/// the installed pack it looks like and says to keep that id.
#[test]
fn a_new_pack_that_looks_like_an_installed_one_says_to_keep_its_id() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["pack", "install", minimal_pack().to_str().unwrap()]);
    let other_id = edited_pack(tmp.path(), "other-id", "1.1.0", |d| {
        replace_in(&d.join("pack.toml"), "id = \"halves\"", "id = \"halves-v2\"");
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", other_id.to_str().unwrap()]);
    assert!(dry.contains("halves-v2 1.1.0 (new pack)"), "{dry}");
    assert!(dry.contains("looks like halves 1.0.0"), "{dry}");
    assert!(dry.contains("id = \"halves\""), "{dry}");
    let es = ok(
        &data,
        &["pack", "install", "--dry-run", "--language", "es", other_id.to_str().unwrap()],
    );
    assert!(es.contains("se parece a halves 1.0.0"), "{es}");

    // A pack of its own says nothing of the kind.
    let own = edited_pack(tmp.path(), "own", "1.0.0", |d| {
        replace_in(&d.join("pack.toml"), "id = \"halves\"", "id = \"thirds\"");
        replace_in(&d.join("pack.toml"), "title = \"Halves and quarters\"", "title = \"Thirds\"");
        for f in ["lessons/01-half.toml", "lessons/02-quarters.toml"] {
            let text = fs::read_to_string(d.join(f)).unwrap();
            fs::write(
                d.join(f),
                text.replace("id = \"half-", "id = \"third-")
                    .replace("id = \"quarters-", "id = \"sixths-"),
            )
            .unwrap();
        }
    });
    let dry = ok(&data, &["pack", "install", "--dry-run", own.to_str().unwrap()]);
    assert!(dry.contains("thirds 1.0.0 (new pack)") && !dry.contains("looks like"), "{dry}");
}

/// A pre-release of the installed version (1.1.0-beta after 1.1.0) is older, and Spanish says
/// so: it said "already installed with other content", comparing the versions without their
/// pre-release part, while English (the store) said older.
#[test]
fn a_pre_release_of_the_installed_version_is_refused_as_older_in_spanish_too() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let release = edited_pack(tmp.path(), "release", "1.1.0", |_| {});
    ok(&data, &["pack", "install", release.to_str().unwrap()]);
    let beta = edited_pack(tmp.path(), "beta", "1.1.0-beta", |_| {});
    let en = fails(&data, &["pack", "install", beta.to_str().unwrap()]);
    assert!(en.contains("1.1.0-beta is older than the installed 1.1.0"), "{en}");
    let es = fails(&data, &["pack", "install", "--language", "es", beta.to_str().unwrap()]);
    assert!(es.contains("1.1.0-beta es más antiguo que la versión instalada (1.1.0)"), "{es}");
}

/// `learner export -o -` writes to standard output, as `report -o -` does (it wrote a file
/// named `-` in the working folder, which `learner delete` then erased as a recorded export).
#[test]
fn learner_export_to_standard_output() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["learner", "add", "Ana"]);
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .current_dir(tmp.path())
        .arg("--data-dir")
        .arg(&data)
        .args(["learner", "export", "Ana", "-o", "-"])
        .output()
        .expect("run ladder");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["learner"]["name"], "Ana");
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output"));
    assert!(!tmp.path().join("-").exists(), "a file named - was written");
}
