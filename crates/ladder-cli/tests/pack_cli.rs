//! `ladder pack validate` and `ladder pack build` as a user runs them: exit codes and output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn packs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/packs")
}

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder")).args(args).output().expect("run ladder")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_a_valid_pack_exits_0() {
    let dir = packs().join("valid/minimal");
    let out = ladder(&["pack", "validate", dir.to_str().expect("utf8 path")]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "no diagnostics for a clean pack");
    assert!(
        text(&out.stderr)
            .contains("halves 1.0.0: valid (2 skills, 2 lessons, 5 items), 0 warning(s)"),
        "{}",
        text(&out.stderr)
    );
}

/// `ladder pack check`, the word a teacher reaches for (and the one other tools use), is
/// `validate`: it was "unrecognized subcommand 'check'", with no hint of the command to type.
#[test]
fn pack_check_is_validate() {
    let dir = packs().join("broken/unknown-field/pack");
    let dir = dir.to_str().expect("utf8 path");
    let (check, validate) = (ladder(&["pack", "check", dir]), ladder(&["pack", "validate", dir]));
    assert_eq!(check.status.code(), Some(1), "stderr: {}", text(&check.stderr));
    assert_eq!(text(&check.stdout), text(&validate.stdout));
    assert!(text(&check.stdout).contains("item[1].hint"), "{}", text(&check.stdout));
    let help = ladder(&["pack", "--help"]);
    assert!(text(&help.stdout).contains("check"), "{}", text(&help.stdout));
}

/// One lesson is "1 lesson", not "1 lessons" (the same in Spanish).
#[test]
fn the_summary_counts_in_the_singular_too() {
    let one = packs().join("broken/too-many-skills/pack");
    let one = one.to_str().expect("utf8 path");
    let out = ladder(&["pack", "validate", one]);
    assert!(text(&out.stderr).contains("(5 skills, 1 lesson, 3 items)"), "{}", text(&out.stderr));
    let out = ladder(&["pack", "validate", "--language", "es", one]);
    assert!(
        text(&out.stderr).contains("(5 habilidades, 1 lección, 3 ejercicios)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn validate_an_invalid_pack_lists_every_error_and_exits_1() {
    let case = packs().join("broken/kind-rules");
    let out = ladder(&["pack", "validate", case.join("pack").to_str().expect("utf8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    assert_eq!(text(&out.stdout), expected);
    assert!(text(&out.stderr).contains("invalid, 21 error(s)"), "{}", text(&out.stderr));
}

#[test]
fn validate_in_spanish_points_at_the_same_places() {
    let case = packs().join("broken/unknown-field");
    let pack = case.join("pack");
    let pack = pack.to_str().expect("utf8 path");
    let out = ladder(&["pack", "validate", "--language", "es", pack]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "lessons/01-half.toml:31:1: item[1].hint: campo desconocido `hint` (¿querías decir `hints`?)\n\
         lessons/02-quarters.toml:6:1: lesson.colour: campo desconocido `colour`; se esperaba uno de: id, title, skills, fixed_order, intro\n\
         pack.toml:5:1: tilte: campo desconocido `tilte` (¿querías decir `title`?)\n"
    );
    assert!(
        text(&out.stderr).contains("no válido, 3 error(es), 0 aviso(s)"),
        "{}",
        text(&out.stderr)
    );
    // English stays the default, and `en` says so explicitly.
    let en = ladder(&["pack", "validate", "--language", "en", pack]);
    let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    assert_eq!(text(&en.stdout), expected);

    // JSON: the message in Spanish, the code and its arguments as they are.
    let json = ladder(&["pack", "validate", "--json", "--language", "es-MX", pack]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    let first = &v["errors"][0];
    assert_eq!(first["message"], "campo desconocido `hint` (¿querías decir `hints`?)");
    assert_eq!(first["code"], "unknown_field_typo");
    assert_eq!(first["args"]["key"], "hint");
    assert_eq!(first["args"]["suggestion"], "hints");

    // A language the validator does not speak is refused by the argument parser.
    let fr = ladder(&["pack", "validate", "--language", "fr", pack]);
    assert_eq!(fr.status.code(), Some(2));
    assert!(text(&fr.stderr).contains("use en or es"), "{}", text(&fr.stderr));
}

#[test]
fn build_in_spanish_refuses_with_spanish_problems() {
    let case = packs().join("broken/too-many-hints");
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dir.path().join("x.ladderpack");
    let out = ladder(&[
        "pack",
        "build",
        "--language",
        "es",
        case.join("pack").to_str().expect("utf8"),
        "-o",
        output.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("item[3].hints: un ejercicio tiene como mucho 20 pistas"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("no se ha escrito nada"), "{}", text(&out.stderr));
    assert!(!output.exists());
}

#[test]
fn validate_json_gives_the_same_data() {
    let case = packs().join("broken/unknown-field");
    let out =
        ladder(&["pack", "validate", "--json", case.join("pack").to_str().expect("utf8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["valid"], false);
    assert_eq!(v["pack"], serde_json::Value::Null);
    let errors = v["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0]["file"], "lessons/01-half.toml");
    assert_eq!(errors[0]["position"]["line"], 31);
    assert_eq!(errors[0]["position"]["column"], 1);
    assert_eq!(errors[0]["path"], "item[1].hint");
    assert_eq!(errors[0]["message"], "unknown field `hint` (did you mean `hints`?)");
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(errors[0]["code"], "unknown_field_typo");
    // The misspelt `hint` is one mistake: not warned about again as "no hints".
    assert_eq!(v["warnings"], serde_json::json!([]));

    let ok = ladder(&[
        "pack",
        "validate",
        "--json",
        packs().join("valid/minimal").to_str().expect("utf8"),
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(v["valid"], true);
    assert_eq!(v["pack"]["id"], "halves");
    assert_eq!(v["pack"]["items"], 5);
    assert_eq!(v["pack"]["content_hash"].as_str().map(str::len), Some(64));
}

#[test]
fn build_writes_an_archive_that_validates_and_refuses_invalid_packs() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let target = out_dir.path().join("halves.ladderpack");
    let target_s = target.to_str().expect("utf8");
    let dir = packs().join("valid/minimal");
    let out = ladder(&["pack", "build", dir.to_str().expect("utf8"), "-o", target_s]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("content hash "), "{}", text(&out.stdout));
    let first = std::fs::read(&target).expect("archive written");
    let again = ladder(&["pack", "build", dir.to_str().expect("utf8"), "--output", target_s]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read(&target).expect("archive"), first, "byte-identical rebuild");

    let check = ladder(&["pack", "validate", target_s]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));

    let bad_target = out_dir.path().join("bad.ladderpack");
    let bad = ladder(&[
        "pack",
        "build",
        packs().join("broken/cycle/pack").to_str().expect("utf8"),
        "-o",
        bad_target.to_str().expect("utf8"),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stdout).contains("prerequisite cycle: self -> self"));
    assert!(!bad_target.exists(), "nothing written for an invalid pack");
}

#[test]
fn validate_a_missing_path_exits_2() {
    let out = ladder(&["pack", "validate", "/nonexistent/ladder/pack"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: "), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr).matches("os error").count(), 1, "the reason once");
}

/// A script that asked for JSON gets JSON it can parse even when the path cannot be read: the
/// report's keys, `valid: false`, no problems, and `error` saying why (still exit 2, "could not
/// run"); a report that could be made has `error: null`.
#[test]
fn validate_json_of_a_path_it_cannot_read_is_json_and_exits_2() {
    let missing = "/nonexistent/ladder/pack";
    for args in [
        vec!["pack", "validate", "--json", missing],
        vec!["pack", "validate", "--json", "--language", "es", missing],
    ] {
        let out = ladder(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stdout)));
        assert_eq!(v["valid"], false);
        assert_eq!(v["errors"], serde_json::json!([]));
        assert_eq!(v["warnings"], serde_json::json!([]));
        assert_eq!(v["pack"], serde_json::Value::Null);
        assert_eq!(v["error"]["path"], missing);
        let message = v["error"]["message"].as_str().expect("error.message");
        assert!(message.starts_with(missing) && message.contains("os error"), "{message}");
    }
    let ok = ladder(&[
        "pack",
        "validate",
        "--json",
        packs().join("valid/minimal").to_str().expect("utf8"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(v["error"], serde_json::Value::Null);
    assert!(v.as_object().expect("object").contains_key("error"));
}

#[test]
fn validate_a_pack_file_instead_of_its_folder_says_so() {
    let toml = packs().join("valid/minimal/pack.toml");
    let out = ladder(&["pack", "validate", toml.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("give the pack's folder"), "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("zip"), "{}", text(&out.stdout));
}

/// `ladder pack build .` inside the pack folder would put the archive into the pack, which then
/// no longer validates: refused, nothing written.
#[test]
fn build_refuses_to_write_into_the_pack_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("halves");
    copy_tree(&packs().join("valid/minimal"), &pack);
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["pack", "build", "."])
        .current_dir(&pack)
        .output()
        .expect("run ladder");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("inside the pack folder"), "{}", text(&out.stderr));
    // The refusal gives the -o to type, and it works from there.
    assert!(text(&out.stderr).contains("-o ../halves-1.0.0.ladderpack"), "{}", text(&out.stderr));
    let es = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["pack", "build", ".", "--language", "es"])
        .current_dir(&pack)
        .output()
        .expect("run ladder");
    assert!(text(&es.stderr).contains("-o ../halves-1.0.0.ladderpack"), "{}", text(&es.stderr));
    let typed = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["pack", "build", ".", "-o", "../halves-1.0.0.ladderpack"])
        .current_dir(&pack)
        .output()
        .expect("run ladder");
    assert_eq!(typed.status.code(), Some(0), "{}", text(&typed.stderr));
    assert!(tmp.path().join("halves-1.0.0.ladderpack").is_file());
    std::fs::remove_file(tmp.path().join("halves-1.0.0.ladderpack")).expect("remove");
    let media = pack.join("media");
    let inside = ladder(&[
        "pack",
        "build",
        pack.to_str().expect("utf8"),
        "-o",
        media.join("x.ladderpack").to_str().expect("utf8"),
    ]);
    assert_eq!(inside.status.code(), Some(2));
    let left: Vec<_> = walk(&pack).into_iter().filter(|p| p.ends_with(".ladderpack")).collect();
    assert!(left.is_empty(), "{left:?}");
    let check = ladder(&["pack", "validate", pack.to_str().expect("utf8")]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    // Beside the folder is fine.
    let beside = tmp.path().join("halves.ladderpack");
    let ok = ladder(&[
        "pack",
        "build",
        pack.to_str().expect("utf8"),
        "-o",
        beside.to_str().expect("utf8"),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

/// One exit status for one outcome, whichever pack command meets it: a pack with errors is 1
/// for `validate`, `build` and `install` alike (the report says what to fix), and 2 means the
/// command could not run at all or the store refused it (a path that cannot be read, an older
/// version, a pack that is not installed). `install` used to exit 2 for a pack that `validate`
/// called invalid with 1.
#[test]
fn an_invalid_pack_exits_1_for_validate_build_and_install_alike() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let data = data.to_str().expect("utf8");
    let bad = packs().join("broken/cycle/pack");
    let bad = bad.to_str().expect("utf8");
    let archive = tmp.path().join("x.ladderpack");
    let archive = archive.to_str().expect("utf8");
    for args in [
        vec!["pack", "validate", bad],
        vec!["pack", "build", bad, "-o", archive],
        vec!["pack", "install", "--data-dir", data, bad],
        vec!["pack", "install", "--data-dir", data, "--dry-run", bad],
        vec!["pack", "install", "--data-dir", data, "--language", "es", bad],
    ] {
        let out = ladder(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(said.contains("skills.toml:"), "{args:?}: the report is shown: {said}");
    }
    let install = ladder(&["pack", "install", "--data-dir", data, bad]);
    assert!(
        text(&install.stderr).contains("is not a valid pack: nothing was installed"),
        "{}",
        text(&install.stderr)
    );
    // One file of a pack instead of its folder is the same for both.
    let toml = packs().join("valid/minimal/pack.toml");
    let toml = toml.to_str().expect("utf8");
    for args in [vec!["pack", "validate", toml], vec!["pack", "install", "--data-dir", data, toml]]
    {
        assert_eq!(ladder(&args).status.code(), Some(1), "{args:?}");
    }
    // Nothing was installed: not even a store was started in the new data folder.
    assert!(!Path::new(data).exists(), "a refused install left {data}");

    // 2: nothing to read, or the store says no.
    let missing = "/nonexistent/ladder/pack";
    for args in [
        vec!["pack", "validate", missing],
        vec!["pack", "build", missing],
        vec!["pack", "install", "--data-dir", data, missing],
        vec!["pack", "remove", "--data-dir", data, "nope"],
    ] {
        assert_eq!(ladder(&args).status.code(), Some(2), "{args:?}");
    }
    let minimal = packs().join("valid/minimal");
    let older = tmp.path().join("older");
    copy_tree(&minimal, &older);
    let manifest = std::fs::read_to_string(older.join("pack.toml")).expect("pack.toml");
    std::fs::write(older.join("pack.toml"), manifest.replace("\"1.0.0\"", "\"0.9.0\""))
        .expect("write");
    let install = ladder(&["pack", "install", "--data-dir", data, minimal.to_str().expect("utf8")]);
    assert_eq!(install.status.code(), Some(0), "{}", text(&install.stderr));
    let downgrade = ladder(&["pack", "install", "--data-dir", data, older.to_str().expect("utf8")]);
    assert_eq!(downgrade.status.code(), Some(2), "{}", text(&downgrade.stderr));
    assert!(text(&downgrade.stderr).contains("older"), "{}", text(&downgrade.stderr));
}

/// `-o` naming an existing folder (`-o dist`, `-o ..`) puts `<id>-<version>.ladderpack` in it,
/// as without `-o` in the current folder; it used to fail with the system's "Is a directory".
/// A folder inside the pack is still refused, and an `-o` in a folder that does not exist says
/// which folder is missing.
#[test]
fn build_into_an_existing_folder_names_the_archive_itself() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = packs().join("valid/minimal");
    let pack = pack.to_str().expect("utf8");
    let dist = tmp.path().join("dist");
    std::fs::create_dir(&dist).expect("mkdir");
    let out = ladder(&["pack", "build", pack, "-o", dist.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let archive = dist.join("halves-1.0.0.ladderpack");
    assert!(archive.is_file(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("halves-1.0.0.ladderpack"), "{}", text(&out.stdout));
    let check = ladder(&["pack", "validate", archive.to_str().expect("utf8")]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));

    let copy = tmp.path().join("halves");
    copy_tree(&packs().join("valid/minimal"), &copy);
    let inside = ladder(&[
        "pack",
        "build",
        copy.to_str().expect("utf8"),
        "-o",
        copy.join("media").to_str().expect("utf8"),
    ]);
    assert_eq!(inside.status.code(), Some(2));
    assert!(text(&inside.stderr).contains("inside the pack folder"), "{}", text(&inside.stderr));

    let nowhere = tmp.path().join("no-such-folder").join("x.ladderpack");
    let missing = ladder(&["pack", "build", pack, "-o", nowhere.to_str().expect("utf8")]);
    assert_eq!(missing.status.code(), Some(2));
    let said = text(&missing.stderr);
    assert!(
        said.contains(&format!(
            "the folder {} does not exist",
            tmp.path().join("no-such-folder").display()
        )),
        "{said}"
    );
    let missing_es =
        ladder(&["pack", "build", pack, "-o", nowhere.to_str().expect("utf8"), "--language", "es"]);
    assert!(text(&missing_es.stderr).contains("la carpeta"), "{}", text(&missing_es.stderr));
}

/// `-o dist/` (written as a folder, with its slash) when `dist` does not exist yet: the refusal
/// names the missing folder, as for `-o dist/x.ladderpack`; it said "dist/: Not a directory
/// (os error 20)", about a file it tried to write under that name. Nothing is written.
#[test]
fn build_into_a_missing_folder_written_with_a_slash_names_the_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = packs().join("valid/minimal");
    let dist = format!("{}/", tmp.path().join("dist").display());
    let out = ladder(&["pack", "build", pack.to_str().expect("utf8"), "-o", &dist]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains(&format!("-o {dist}: the folder {dist} does not exist: create it first")),
        "{said}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).expect("list").count(), 0, "nothing written");
    let es =
        ladder(&["pack", "build", pack.to_str().expect("utf8"), "-o", &dist, "--language", "es"]);
    assert!(
        text(&es.stderr).contains(&format!("la carpeta {dist} no existe: créala primero")),
        "{}",
        text(&es.stderr)
    );
    // Once the folder is made, the archive goes into it.
    std::fs::create_dir(tmp.path().join("dist")).expect("mkdir");
    let out = ladder(&["pack", "build", pack.to_str().expect("utf8"), "-o", &dist]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(tmp.path().join("dist/halves-1.0.0.ladderpack").is_file());
}

/// `ladder pack remove` of an id that is not installed said only "installed pack not found:
/// Halves": a teacher who typed the course's title, mistyped the id, or removed the pack before
/// learnt neither the id to type nor where to look. The refusal (still exit 2) now says it.
#[test]
fn removing_a_pack_that_is_not_installed_says_what_to_type() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let data = data.to_str().expect("utf8");
    let minimal = packs().join("valid/minimal");
    let install = ladder(&["pack", "install", "--data-dir", data, minimal.to_str().expect("utf8")]);
    assert_eq!(install.status.code(), Some(0), "{}", text(&install.stderr));

    // The title (any case) or the id in other letters: the id to type.
    for typed in ["Halves and quarters", "HALVES"] {
        let out = ladder(&["pack", "remove", "--data-dir", data, typed]);
        assert_eq!(out.status.code(), Some(2), "{typed}: {}", text(&out.stderr));
        let said = text(&out.stderr);
        assert!(said.contains(&format!("no installed pack has the id {typed}")), "{said}");
        assert!(said.contains("did you mean `ladder pack remove halves`"), "{said}");
    }
    // Something else: the installed ids, and where they are listed.
    let out = ladder(&["pack", "remove", "--data-dir", data, "fractions"]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.contains("no installed pack has the id fractions"), "{said}");
    assert!(said.contains("installed: halves (\"Halves and quarters\")"), "{said}");
    assert!(said.contains("ladder pack list"), "{said}");

    // Removed already: said so, not "not found".
    let removed = ladder(&["pack", "remove", "--data-dir", data, "halves"]);
    assert_eq!(removed.status.code(), Some(0), "{}", text(&removed.stderr));
    let again = ladder(&["pack", "remove", "--data-dir", data, "halves"]);
    assert_eq!(again.status.code(), Some(2));
    let said = text(&again.stderr);
    assert!(said.contains("no installed pack has the id halves"), "{said}");
    assert!(said.contains("halves was removed already"), "{said}");
    assert!(said.contains("`ladder pack install` brings it back"), "{said}");
}

/// `ladder pack install --dry-run` into a data folder that holds no Ladder data (a first
/// install, or a mistyped `--data-dir`) said "nothing was changed" but had started a store
/// there: a database and a backups folder, which later commands then took for Ladder data.
#[test]
fn a_dry_run_into_a_folder_without_ladder_data_leaves_it_as_it_was() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let minimal = packs().join("valid/minimal");
    let minimal = minimal.to_str().expect("utf8");
    let missing = tmp.path().join("no-such-folder");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    for data in [&missing, &empty] {
        let d = data.to_str().expect("utf8");
        let out = ladder(&["pack", "install", "--data-dir", d, "--dry-run", minimal]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let said = text(&out.stdout);
        assert!(said.starts_with("halves 1.0.0 (new pack)\n"), "{said}");
        assert!(said.contains("  new (5): half-001, half-002"), "{said}");
        assert!(said.ends_with("dry run: nothing was changed\n"), "{said}");
        assert!(text(&out.stderr).contains("no Ladder data"), "{}", text(&out.stderr));
    }
    assert!(!missing.exists(), "the dry run made {}", missing.display());
    assert_eq!(std::fs::read_dir(&empty).expect("read_dir").count(), 0, "the dry run wrote there");
    // `pack list` still finds no Ladder data there.
    let list = ladder(&["pack", "list", "--data-dir", empty.to_str().expect("utf8")]);
    assert_eq!(list.status.code(), Some(2), "{}", text(&list.stdout));
}
