//! Every past schema version migrates. `tests/fixtures/v<N>.sqlite3` is a database written by
//! the Ladder of schema N, generated once (by `write_fixture_for_this_version`) and committed;
//! never regenerate an old one. When adding schema N+1, run
//! `LADDER_WRITE_FIXTURE=1 cargo test -p ladder-store --test migrations -- --ignored` after the
//! release of N has its file committed, so only the new file appears.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ladder_store::{
    Event, ItemContent, ItemRef, ModelScope, NewLearner, NewModelVersion, PackContent, Store,
    DB_FILE, SCHEMA_VERSION,
};

fn fixture(version: i64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v{version}.sqlite3"))
}

fn pack(version: &str, items: &[(&str, i64)]) -> PackContent {
    PackContent {
        id: "fractions".into(),
        version: version.into(),
        title: "Fractions".into(),
        meta: serde_json::json!({"skills": ["meaning"], "lessons": [{"id": "meaning"}]}),
        items: items
            .iter()
            .map(|(id, n)| ItemContent {
                id: (*id).into(),
                content: serde_json::json!({"kind": "numeric", "prompt": "?", "answer": n}),
            })
            .collect(),
        files: Vec::new(),
    }
}

#[test]
#[ignore = "writes the fixture of the current schema version; run once per new version"]
fn write_fixture_for_this_version() {
    if std::env::var("LADDER_WRITE_FIXTURE").as_deref() != Ok("1") {
        return;
    }
    let target = fixture(SCHEMA_VERSION);
    assert!(!target.exists(), "{} exists: fixtures are never regenerated", target.display());
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.install_pack(&pack("1.0.0", &[("a", 1), ("b", 2), ("c", 3)]), false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    let ben = s.transact(|tx| tx.add_learner(&NewLearner::named("Ben"))).unwrap();
    s.transact(|tx| {
        for who in [ana, ben] {
            let start = tx.append_event(
                who,
                None,
                &Event::SessionStart {
                    pack: Some("fractions".into()),
                    client: Some("fixture".into()),
                    lesson: None,
                    policy: None,
                },
            )?;
            let sid = Some(start.into());
            let item = ItemRef::new("fractions", "c");
            tx.append_event(who, sid, &Event::shown(item.clone(), "new"))?;
            tx.append_event(who, sid, &Event::HintShown { item: item.clone(), level: 1 })?;
            tx.append_event(
                who,
                sid,
                &Event::Answer {
                    item: item.clone(),
                    response: serde_json::json!("3"),
                    correct: true,
                    score: None,
                    blanks: Some(vec![true]),
                    latency_ms: 900,
                    hint_level: 1,
                    predicted: None,
                },
            )?;
            tx.append_event(who, sid, &Event::SolutionViewed { item: item.clone() })?;
            tx.append_event(who, sid, &Event::Skip { item: ItemRef::new("fractions", "a") })?;
            tx.append_event(who, sid, &Event::SessionEnd { reason: Some("finished".into()) })?;
        }
        let m = tx.add_model_version(&NewModelVersion {
            scope: ModelScope::Device,
            checkpoint: "models/device/1".into(),
            trained_through: tx.last_event_id()?,
            metrics: serde_json::json!({"auc": 0.75}),
        })?;
        tx.activate_model_version(m)?;
        tx.set_setting("theme", "dark")
    })
    .unwrap();
    // Item c changes and b goes: history of both must survive every migration.
    s.install_pack(&pack("1.1.0", &[("a", 1), ("c", 30), ("d", 4)]), false).unwrap();
    s.transact(|tx| tx.archive_learner(ben)).unwrap();
    s.set_pin("2468").unwrap();
    s.compact().unwrap();
    drop(s);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0)).unwrap();
    drop(conn);
    std::fs::copy(dir.path().join(DB_FILE), &target).unwrap();
}

fn schema(store_dir: &Path) -> BTreeSet<(String, String, Option<String>)> {
    let conn = rusqlite::Connection::open(store_dir.join(DB_FILE)).unwrap();
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_master").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn every_past_schema_version_has_a_fixture_that_migrates() {
    let fresh = tempfile::tempdir().unwrap();
    drop(Store::open(fresh.path()).unwrap());
    for version in 1..=SCHEMA_VERSION {
        let src = fixture(version);
        assert!(src.exists(), "missing fixture {}", src.display());
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&src, dir.path().join(DB_FILE)).unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION, "v{version}");
        assert!(s.integrity_check().unwrap().is_empty(), "v{version}");
        // The migrated file has exactly the schema of a new one.
        assert_eq!(schema(dir.path()), schema(fresh.path()), "v{version}: schema differs");

        let learners = s.read(|tx| tx.learners(true)).unwrap();
        assert_eq!(learners.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["Ana", "Ben"]);
        assert!(learners[1].archived.is_some());
        for l in &learners {
            let events = s.read(|tx| tx.events(l.id, None)).unwrap();
            assert_eq!(events.len(), 7, "v{version}: {}", l.name);
            // Every event still points at an item revision that exists.
            for e in events {
                if let Some(item) = e.event.item() {
                    let rev = item.revision.expect("revision recorded");
                    let found = s.read(|tx| tx.item_revision(&item.pack, &item.item, rev)).unwrap();
                    assert!(found.is_some(), "v{version}: {item:?} lost its item");
                }
            }
        }
        let items = s.read(|tx| tx.items("fractions")).unwrap();
        assert_eq!(
            items.iter().map(|i| i.revision.item.as_str()).collect::<Vec<_>>(),
            ["a", "c", "d"]
        );
        assert_eq!(s.read(|tx| tx.item_revisions("fractions", "c")).unwrap().len(), 2);
        assert!(s.read(|tx| tx.item("fractions", "b")).unwrap().is_some(), "removed item kept");
        assert!(s.read(|tx| tx.active_model(ModelScope::Device)).unwrap().is_some());
        assert_eq!(s.read(|tx| tx.setting::<String>("theme")).unwrap().as_deref(), Some("dark"));
        assert!(s.verify_pin("2468").unwrap());
    }
}

#[test]
fn an_older_database_is_backed_up_as_it_was_before_it_is_migrated() {
    // A school updates Ladder. Start-up migrated the file first and only then took the daily
    // backup: no copy of the old schema was left, so nothing could be handed back to the old
    // Ladder (which refuses the migrated file as too new) if the new one had to be rolled back.
    let src = fixture(1);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&src, dir.path().join(DB_FILE)).unwrap();
    let s = Store::open_with(dir.path(), &ladder_store::OpenOptions::startup()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let versions: Vec<i64> = ladder_store::list_backups(dir.path())
        .iter()
        .map(|b| {
            let c = rusqlite::Connection::open(&b.path).unwrap();
            c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
        })
        .collect();
    assert!(versions.contains(&1), "no backup of the schema-1 file: {versions:?}");
    let old = ladder_store::list_backups(dir.path())
        .into_iter()
        .find(|b| {
            let c = rusqlite::Connection::open(&b.path).unwrap();
            c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap() == 1
        })
        .unwrap();
    assert!(ladder_store::check_backup(&old.path).is_empty());
    let c = rusqlite::Connection::open(&old.path).unwrap();
    let events: i64 = c.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!(events, 14, "the backup holds the old file's history");
    drop((c, s));
    // The same start again takes no further copy, and a file already current is not copied.
    let n = ladder_store::list_backups(dir.path()).len();
    drop(Store::open_with(dir.path(), &ladder_store::OpenOptions::startup()).unwrap());
    assert_eq!(ladder_store::list_backups(dir.path()).len(), n);
}

#[test]
fn the_backup_taken_before_a_migration_outlives_the_rotation() {
    // Rotation keeps the 3 newest backups and one a day: three backups by hand on the day of
    // the update deleted the only copy of the file as the old Ladder wrote it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(1), dir.path().join(DB_FILE)).unwrap();
    let s = Store::open_with(dir.path(), &ladder_store::OpenOptions::startup()).unwrap();
    let old = ladder_store::list_backups(dir.path())[0].path.clone();
    for _ in 0..20 {
        s.backup_now().unwrap();
    }
    assert!(old.exists(), "the schema-1 backup was rotated away");
    assert!(ladder_store::list_backups(dir.path()).len() <= 5);
}

#[test]
fn every_open_that_migrates_backs_up_first_not_only_the_startup_one() {
    // `ladder serve` and the app's settings connection open the store without the start-up
    // options: the first of them to meet an older file migrated it with no copy taken.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(1), dir.path().join(DB_FILE)).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let backups = ladder_store::list_backups(dir.path());
    assert_eq!(backups.len(), 1, "{backups:?}");
    let c = rusqlite::Connection::open(&backups[0].path).unwrap();
    let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 1);
    // A current file is not copied by a plain open.
    drop(s);
    drop(Store::open(dir.path()).unwrap());
    assert_eq!(ladder_store::list_backups(dir.path()).len(), 1);
}
