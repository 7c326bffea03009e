//! A data directory that holds no Ladder data: commands that read what is stored refuse it and
//! leave it as it was; commands that start a store create one there.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::path::Path;
use std::process::{Command, Output};

fn ladder(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run ladder")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The commands that read what is stored, as a user would type them.
const READERS: &[&[&str]] = &[
    &["learner", "list"],
    &["learner", "rename", "1", "Bea"],
    &["learner", "export", "1", "-o", "EXPORT"],
    &["pack", "list"],
    &["db", "check"],
    &["db", "backup"],
    &["db", "backups"],
    &["train"],
    &["report", "--learner", "1", "-o", "REPORT"],
];

/// A mistyped `--data-dir` (a folder that does not exist) created an empty store there:
/// `learner list` listed nobody and `train` said there were too few answers. Now each reading
/// command refuses it, names the folder and creates nothing.
#[test]
fn a_missing_data_dir_is_refused_by_commands_that_read_it() {
    let tmp = tempfile::tempdir().unwrap();
    let typo = tmp.path().join("ladder-dta");
    let out_file = tmp.path().join("out.html");
    for args in READERS {
        let args: Vec<&str> = args
            .iter()
            .map(|a| match *a {
                "EXPORT" | "REPORT" => out_file.to_str().unwrap(),
                a => a,
            })
            .collect();
        let out = ladder(&typo, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "ladder {args:?}: {stderr}");
        assert!(
            stderr.contains("no Ladder data at") && stderr.contains("ladder-dta"),
            "ladder {args:?}: {stderr}"
        );
        assert!(stderr.contains("the folder does not exist"), "{stderr}");
        assert!(!typo.exists(), "ladder {args:?} created {}", typo.display());
        assert!(!out_file.exists(), "ladder {args:?} wrote {}", out_file.display());
    }
}

/// A folder that exists but holds no database and no backups (the home folder, say): refused
/// too, and nothing is written into it.
#[test]
fn a_folder_without_ladder_data_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("documents");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    for args in [&["learner", "list"][..], &["db", "check"], &["train"]] {
        let out = ladder(&dir, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "ladder {args:?}: {stderr}");
        assert!(stderr.contains("it holds no ladder.sqlite3"), "{stderr}");
    }
    assert_eq!(entries(&dir), ["notes.txt"]);
}

/// The commands that start a store still do, on a new folder; after them the readers work.
#[test]
fn a_new_data_dir_is_started_by_adding_a_learner() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let out = ladder(&dir, &["learner", "add", "Ada"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = ladder(&dir, &["learner", "list"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ada"));
}

/// A database lost with its backups still there is not "no data": the store's own message
/// about the missing database and its backups is what the user reads.
#[test]
fn a_lost_database_with_backups_reaches_the_store_and_its_restore_advice() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    assert!(ladder(&dir, &["learner", "add", "Ada"]).status.success());
    assert!(ladder(&dir, &["db", "backup"]).status.success());
    std::fs::remove_file(dir.join("ladder.sqlite3")).unwrap();
    let out = ladder(&dir, &["learner", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no Ladder data at"), "{stderr}");
    assert!(stderr.contains("backup"), "{stderr}");
}
