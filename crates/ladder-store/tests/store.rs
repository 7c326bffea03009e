//! The store against real SQLite files in temporary folders.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::fs;
use std::path::Path;

use ladder_store::{
    list_backups, restore, ErrorKind, Event, EventId, ItemRef, LearnerId, ModelScope, NewLearner,
    NewModelVersion, OpenOptions, Store, DB_FILE, SCHEMA_VERSION,
};

fn answer(pack: &str, item: &str, response: &str, correct: bool) -> Event {
    Event::Answer {
        item: ItemRef::new(pack, item),
        response: serde_json::json!(response),
        correct,
        score: None,
        blanks: None,
        latency_ms: 1234,
        hint_level: 0,
        predicted: None,
    }
}

fn add(store: &mut Store, name: &str) -> LearnerId {
    store.transact(|tx| tx.add_learner(&NewLearner::named(name))).unwrap()
}

fn assert_pragmas(store: &Store) {
    let p = store.pragmas().unwrap();
    assert_eq!(p.journal_mode, "wal");
    assert_eq!(p.synchronous, 2, "synchronous=FULL");
    assert!(p.foreign_keys);
    assert!(p.secure_delete);
    assert_eq!(p.busy_timeout_ms, ladder_store::BUSY_TIMEOUT.as_millis() as i64);
}

#[test]
fn every_connection_gets_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    // A new file, the same file again, with start-up options, and after a restore.
    let mut s = Store::open(dir.path()).unwrap();
    assert_pragmas(&s);
    add(&mut s, "Ana");
    drop(s);
    let s = Store::open(dir.path()).unwrap();
    assert_pragmas(&s);
    let s2 = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    assert_pragmas(&s2);
    assert_pragmas(&s);
    // The daily backup, on a connection of its own, leaves the others' pragmas as they were.
    ladder_store::DailyBackup::start(dir.path()).wait();
    assert_pragmas(&s2);
    drop((s, s2));
    restore(dir.path(), None).unwrap();
    assert_pragmas(&Store::open(dir.path()).unwrap());
}

#[test]
fn learners_add_list_rename_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, " Ana ");
    let ben = add(&mut s, "Ben");
    s.transact(|tx| tx.rename_learner(ben, "Benjamin")).unwrap();
    s.transact(|tx| tx.set_learner_look(ana, Some("fox"), Some("#ff8800"))).unwrap();
    let all = s.read(|tx| tx.learners(false)).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].name, "Ana");
    assert_eq!(all[0].avatar.as_deref(), Some("fox"));
    assert_eq!(all[1].name, "Benjamin");

    s.transact(|tx| tx.append_event(ben, None, &answer("p", "i", "x", true))).unwrap();
    s.transact(|tx| tx.archive_learner(ben)).unwrap();
    assert_eq!(s.read(|tx| tx.learners(false)).unwrap().len(), 1);
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 2);
    assert_eq!(s.read(|tx| tx.event_count(ben)).unwrap(), 1, "archiving keeps history");

    let err = s.transact(|tx| tx.add_learner(&NewLearner::named("  "))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    // Invisible characters alone (a zero-width space, a byte-order mark) are no name either,
    // and around a name they go like spaces.
    for blank in ["\u{200B}", " \u{FEFF}\u{200D} "] {
        let err = s.transact(|tx| tx.add_learner(&NewLearner::named(blank))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{blank:?}");
    }
    let zoe = s.transact(|tx| tx.add_learner(&NewLearner::named("\u{200B}Zoe\u{FEFF}"))).unwrap();
    assert_eq!(s.read(|tx| tx.learner(zoe)).unwrap().unwrap().name, "Zoe");
    let err = s.transact(|tx| tx.rename_learner(LearnerId(99), "X")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

/// Two active learners never share a name (ignoring case), whichever way the second would get
/// it: added, renamed or brought back from the archive. A refused change changes nothing.
#[test]
fn active_learners_never_share_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let ben = add(&mut s, "Ben");
    let err = s.transact(|tx| tx.add_learner(&NewLearner::named(" ana "))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    // Invisible characters inside a name do not make it another name ("A" ZWSP "na", a soft
    // hyphen); the zero-width non-joiner, which changes how letters join, does.
    for same in ["A\u{200B}na", "An\u{00AD}a", "A\u{2060}NA"] {
        let err = s.transact(|tx| tx.add_learner(&NewLearner::named(same))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{same:?}");
    }
    assert_eq!(ladder_store::learner_name_key("An\u{200C}a"), "an\u{200C}a");
    assert!(err.to_string().contains("already called \"Ana\""), "{err}");
    let err = s.transact(|tx| tx.rename_learner(ben, "ANA")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    let names: Vec<String> =
        s.read(|tx| tx.learners(true)).unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["Ana", "Ben"], "the refused changes left the learners as they were");
    // Renaming a learner to its own name in another case is fine.
    s.transact(|tx| tx.rename_learner(ana, "ANA")).unwrap();

    // An archived learner's name is free again, but it cannot come back while it is taken.
    s.transact(|tx| tx.archive_learner(ben)).unwrap();
    let cleo = add(&mut s, "ben");
    let err = s.transact(|tx| tx.unarchive_learner(ben)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains("rename one of them first"), "{err}");
    assert!(s.read(|tx| tx.learner(ben)).unwrap().unwrap().archived.is_some());
    // Renaming the archived one (or the active one) lets it back.
    s.transact(|tx| tx.rename_learner(ben, "Ben B")).unwrap();
    s.transact(|tx| tx.unarchive_learner(ben)).unwrap();
    let active = s.read(|tx| tx.learners(false)).unwrap();
    assert_eq!(active.iter().map(|l| l.id).collect::<Vec<_>>(), [ana, ben, cleo]);
}

#[test]
fn events_round_trip_in_order_with_sessions_and_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let item = ItemRef::new("fractions", "meaning-001");
    let events = vec![
        Event::SessionStart {
            pack: Some("fractions".into()),
            client: Some("test".into()),
            lesson: Some("adding".into()),
            policy: Some("adaptive".into()),
        },
        Event::shown(item.clone(), "practising: predicted 72%"),
        Event::HintShown { item: item.clone(), level: 1 },
        Event::SolutionViewed { item: item.clone() },
        Event::Answer {
            item: item.clone(),
            response: serde_json::json!(["2", "6"]),
            correct: false,
            score: Some(0.5),
            blanks: Some(vec![true, false]),
            latency_ms: 4200,
            hint_level: 2,
            predicted: Some(0.375),
        },
        Event::Skip { item: item.clone() },
        Event::SessionEnd { reason: Some("finished".into()) },
    ];
    let session = s
        .transact(|tx| {
            let start = tx.append_event(ana, None, &events[0])?;
            for e in &events[1..] {
                tx.append_event(ana, Some(start.into()), e)?;
            }
            Ok(start)
        })
        .unwrap();
    let got = s.read(|tx| tx.events(ana, None)).unwrap();
    assert_eq!(got.iter().map(|r| r.event.clone()).collect::<Vec<_>>(), events);
    assert!(got.windows(2).all(|w| w[0].id < w[1].id));
    assert!(got[1..].iter().all(|r| r.session == Some(session.into())));
    let since = s.read(|tx| tx.events(ana, Some(got[4].id))).unwrap();
    assert_eq!(since.len(), 2);
    // The JSON form is stable: tag `type`, snake_case.
    let json = serde_json::to_value(&events[2]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type": "hint_shown", "item": {"pack": "fractions", "item": "meaning-001"}, "level": 1})
    );
    // An event for a learner that does not exist is refused.
    let err = s.transact(|tx| tx.append_event(LearnerId(77), None, &events[6])).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn events_cannot_be_updated() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    s.transact(|tx| tx.append_event(ana, None, &answer("p", "i", "x", true))).unwrap();
    drop(s);
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let err = conn.execute("UPDATE events SET kind = 'skip'", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn a_failed_transaction_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let err = s
        .transact(|tx| {
            tx.append_event(ana, None, &answer("p", "i", "x", true))?;
            tx.add_learner(&NewLearner::named(""))
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(s.read(|tx| tx.event_count(ana)).unwrap(), 0);
    let (_, changes) =
        s.transact_changes(|tx| tx.append_event(ana, None, &answer("p", "i", "x", true))).unwrap();
    assert_eq!(changes.events_appended, 1);
}

#[test]
fn reads_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let err = s.read(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    assert!(s.read(|tx| tx.learners(true)).unwrap().is_empty());
}

#[test]
fn settings_and_pin() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.setting::<String>("theme")).unwrap(), None);
    s.transact(|tx| tx.set_setting("theme", "dark")).unwrap();
    s.transact(|tx| tx.set_setting("theme", "light")).unwrap();
    assert_eq!(s.read(|tx| tx.setting::<String>("theme")).unwrap().as_deref(), Some("light"));

    assert!(!s.verify_pin("1234").unwrap(), "no PIN set: nothing matches");
    assert_eq!(s.set_pin("12").unwrap_err().kind(), ErrorKind::Invalid);
    s.set_pin("2468").unwrap();
    assert!(s.verify_pin("2468").unwrap());
    assert!(!s.verify_pin("2469").unwrap());
    let raw: String = s.read(|tx| tx.setting("tutor_pin_argon2")).unwrap().unwrap();
    assert!(raw.starts_with("$argon2id$"), "{raw}");
    assert!(!raw.contains("2468"));
    assert!(s.clear_pin().unwrap());
    assert!(!s.verify_pin("2468").unwrap());
}

#[test]
fn model_versions_one_active_per_scope() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let new = |scope, n: u32| NewModelVersion {
        scope,
        checkpoint: format!("models/{n}"),
        trained_through: Some(EventId(n as i64)),
        metrics: serde_json::json!({"auc": 0.7 + n as f64 / 100.0}),
    };
    let (d1, d2, l1) = s
        .transact(|tx| {
            let d1 = tx.add_model_version(&new(ModelScope::Device, 1))?;
            let d2 = tx.add_model_version(&new(ModelScope::Device, 2))?;
            let l1 = tx.add_model_version(&new(ModelScope::Learner(ana), 3))?;
            tx.activate_model_version(d1)?;
            tx.activate_model_version(l1)?;
            Ok((d1, d2, l1))
        })
        .unwrap();
    assert_eq!(s.read(|tx| tx.active_model(ModelScope::Device)).unwrap().unwrap().id, d1);
    s.transact(|tx| tx.activate_model_version(d2)).unwrap();
    let active = s.read(|tx| tx.active_model(ModelScope::Device)).unwrap().unwrap();
    assert_eq!(active.id, d2);
    assert_eq!(active.trained_through, Some(EventId(2)));
    assert_eq!(active.metrics["auc"], 0.72);
    assert_eq!(s.read(|tx| tx.active_model(ModelScope::Learner(ana))).unwrap().unwrap().id, l1);
    let all = s.read(|tx| tx.model_versions(ModelScope::Device)).unwrap();
    assert_eq!(all.iter().filter(|m| m.active).count(), 1);
}

#[test]
fn active_learner_models_lists_each_learners_active_one_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let ben = add(&mut s, "Ben");
    let cal = add(&mut s, "Cal");
    let new = |scope, n: u32| NewModelVersion {
        scope,
        checkpoint: format!("models/{n}"),
        trained_through: None,
        metrics: serde_json::Value::Null,
    };
    let (b1, a1) = s
        .transact(|tx| {
            let d = tx.add_model_version(&new(ModelScope::Device, 1))?;
            tx.activate_model_version(d)?;
            // Ben: an older version, then a newer active one; Ana one; Cal one never activated.
            let b0 = tx.add_model_version(&new(ModelScope::Learner(ben), 2))?;
            tx.activate_model_version(b0)?;
            let b1 = tx.add_model_version(&new(ModelScope::Learner(ben), 3))?;
            tx.activate_model_version(b1)?;
            let a1 = tx.add_model_version(&new(ModelScope::Learner(ana), 4))?;
            tx.activate_model_version(a1)?;
            tx.add_model_version(&new(ModelScope::Learner(cal), 5))?;
            Ok((b1, a1))
        })
        .unwrap();
    let own = s.read(|tx| tx.active_learner_models()).unwrap();
    let got: Vec<_> = own.iter().map(|m| (m.scope, m.id)).collect();
    assert_eq!(got, vec![(ModelScope::Learner(ana), a1), (ModelScope::Learner(ben), b1)]);
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);").unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Store::open(dir.path()).err().expect("must refuse");
    assert_eq!(err.kind(), ErrorKind::TooNew);
    assert!(err.to_string().contains("newer version of Ladder"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "the file was modified");
    assert!(!dir.path().join(format!("{DB_FILE}-wal")).exists());
}

fn damage(path: &Path) {
    // Overwrite everything after the header page: the schema pages become garbage.
    let mut bytes = fs::read(path).unwrap();
    assert!(bytes.len() > 4096 * 2, "database too small to damage meaningfully");
    for b in bytes[100..].iter_mut() {
        *b = 0xA5;
    }
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_reported_with_the_newest_good_backup_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    for i in 0..50 {
        s.transact(|tx| tx.append_event(ana, None, &answer("p", &format!("i{i}"), "x", true)))
            .unwrap();
    }
    let good = s.backup_now().unwrap();
    s.compact().unwrap();
    drop(s);
    // A later, damaged backup must be skipped when choosing what to offer.
    let bad = list_backups(dir.path())[0].path.with_file_name("ladder-29990101T000000Z.sqlite3");
    fs::write(&bad, b"not a database at all, not at all, no").unwrap();
    damage(&dir.path().join(DB_FILE));

    let err = Store::open_with(dir.path(), &OpenOptions::startup()).err().expect("must refuse");
    assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("damaged") && msg.contains("ladder db restore"), "{msg}");
    match &err {
        ladder_store::StoreError::Corrupt { backup, .. } => {
            assert_eq!(backup.as_ref(), Some(&good))
        }
        other => panic!("{other:?}"),
    }
    // Never a silent new empty database: the damaged file is still there.
    assert!(fs::metadata(dir.path().join(DB_FILE)).unwrap().len() > 8192);

    let report = restore(dir.path(), None).unwrap();
    assert_eq!(report.restored_from, good);
    assert!(report.previous_kept_at.as_ref().unwrap().exists(), "damaged file kept aside");
    let s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    assert_eq!(s.read(|tx| tx.event_count(ana)).unwrap(), 50);
    assert!(s.integrity_check().unwrap().is_empty());
}

#[test]
fn a_missing_database_with_backups_is_not_silently_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    s.backup_now().unwrap();
    drop(s);
    fs::remove_file(dir.path().join(DB_FILE)).unwrap();
    let err = Store::open(dir.path()).err().expect("must refuse");
    assert_eq!(err.kind(), ErrorKind::Missing);
    restore(dir.path(), None).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 1);
}

#[test]
fn the_daily_backup_is_taken_once_a_day() {
    // Taken off the start-up path (tests/daily_backup.rs): the store opens first.
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    ladder_store::DailyBackup::start(dir.path()).wait();
    assert_eq!(list_backups(dir.path()).len(), 1);
    drop(s);
    let s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    ladder_store::DailyBackup::start(dir.path()).wait();
    assert_eq!(list_backups(dir.path()).len(), 1, "the last backup is younger than a day");
    let tomorrow = ladder_store::Timestamp(ladder_store::Timestamp::now().0 + 86_400_000);
    assert!(s.backup_if_due(tomorrow).unwrap().is_some());
    assert_eq!(list_backups(dir.path()).len(), 2);
    // Backups are single files (no WAL) that open and check clean.
    for b in list_backups(dir.path()) {
        assert!(ladder_store::check_backup(&b.path).is_empty());
        assert!(!b.path.with_extension("sqlite3-wal").exists());
    }
}

/// Any byte sequence of `needle` in the file?
fn file_contains(path: &Path, needle: &[u8]) -> bool {
    match fs::read(path) {
        Ok(bytes) => bytes.windows(needle.len()).any(|w| w == needle),
        Err(_) => false,
    }
}

#[test]
fn delete_leaves_no_trace_in_the_file_wal_backups_or_exports() {
    const CANARY: &str = "Zyxwvutsrq-canary-7781";
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let keep = add(&mut s, "Keeper");
    let gone = add(&mut s, CANARY);
    for i in 0..200 {
        s.transact(|tx| {
            tx.append_event(gone, None, &answer("p", &format!("i{i}"), CANARY, false))?;
            tx.append_event(keep, None, &answer("p", &format!("i{i}"), "fine", true))
        })
        .unwrap();
    }
    s.transact(|tx| {
        tx.add_model_version(&NewModelVersion {
            scope: ModelScope::Learner(gone),
            checkpoint: "models/learner-2".into(),
            trained_through: None,
            metrics: serde_json::json!({}),
        })
    })
    .unwrap();
    fs::create_dir_all(dir.path().join("models")).unwrap();
    fs::write(dir.path().join("models/learner-2"), CANARY).unwrap();
    s.backup_now().unwrap();
    let export = dir.path().join("export.json");
    s.write_learner_export(gone, &export).unwrap();
    assert!(file_contains(&export, CANARY.as_bytes()));
    let db = dir.path().join(DB_FILE);
    let wal = dir.path().join(format!("{DB_FILE}-wal"));
    assert!(file_contains(&db, CANARY.as_bytes()) || file_contains(&wal, CANARY.as_bytes()));

    let report = s.delete_learner(gone).unwrap();
    assert_eq!(report.events_deleted, 200);
    assert_eq!(report.backups_cleaned.len(), 1);
    assert_eq!(report.exports_deleted.len(), 1);
    assert_eq!(report.checkpoints_deleted.len(), 1);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    // While the store is still open, and after closing it.
    for _ in 0..2 {
        for f in [&db, &wal] {
            assert!(!file_contains(f, CANARY.as_bytes()), "canary left in {}", f.display());
        }
        for b in list_backups(dir.path()) {
            assert!(!file_contains(&b.path, CANARY.as_bytes()), "canary in {}", b.path.display());
        }
        assert!(!export.exists());
        assert!(!dir.path().join("models/learner-2").exists());
        // Nothing else anywhere in the data directory.
        for e in walk(dir.path()) {
            assert!(!file_contains(&e, CANARY.as_bytes()), "canary in {}", e.display());
        }
        s = Store::open(dir.path()).unwrap();
    }
    assert!(s.read(|tx| tx.learner(gone)).unwrap().is_none());
    assert_eq!(s.read(|tx| tx.event_count(keep)).unwrap(), 200);
    assert!(s.integrity_check().unwrap().is_empty());
    // The id is never reused.
    let next = add(&mut s, "New");
    assert!(next > gone);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn export_contains_everything_about_the_learner() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let ben = add(&mut s, "Ben");
    s.transact(|tx| {
        tx.append_event(ana, None, &answer("p", "a", "1", true))?;
        tx.append_event(ben, None, &answer("p", "b", "2", true))?;
        tx.append_event(ana, None, &answer("p", "c", "3", false))
    })
    .unwrap();
    let path = dir.path().join("ana.json");
    s.write_learner_export(ana, &path).unwrap();
    let back: ladder_store::LearnerExport =
        serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(back.format, "ladder-learner-export");
    assert_eq!(back.learner.name, "Ana");
    assert_eq!(back.events.len(), 2);
    assert!(back.events.iter().all(|e| e.learner == ana));
    assert_eq!(
        back,
        s.export_learner(ana)
            .map(|mut e| {
                e.exported = back.exported;
                e
            })
            .unwrap()
    );
}

#[test]
fn a_writer_held_up_too_long_gets_locked_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    s.transact(|tx| tx.append_event(ana, None, &answer("p", "a", "1", true))).unwrap();
    // Another program holds the write lock.
    let other = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    s.set_busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    let err =
        s.transact(|tx| tx.append_event(ana, None, &answer("p", "b", "2", true))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked, "{err}");
    assert!(err.to_string().contains("busy"), "{err}");
    // Reads go on meanwhile (WAL), and see what was committed.
    assert_eq!(s.read(|tx| tx.event_count(ana)).unwrap(), 1);
    other.execute_batch("COMMIT").unwrap();
    s.transact(|tx| tx.append_event(ana, None, &answer("p", "b", "2", true))).unwrap();
    assert_eq!(s.read(|tx| tx.event_count(ana)).unwrap(), 2);
}

#[test]
fn delete_works_while_another_program_has_the_database_open() {
    const CANARY: &str = "Qwertzuiop-canary-4411";
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let gone = add(&mut s, CANARY);
    for i in 0..50 {
        s.transact(|tx| tx.append_event(gone, None, &answer("p", &format!("i{i}"), CANARY, true)))
            .unwrap();
    }
    // "The app" has the database open (idle, between requests) and has read from it.
    let app = Store::open(dir.path()).unwrap();
    assert_eq!(app.read(|tx| tx.event_count(gone)).unwrap(), 50);
    s.delete_learner(gone).unwrap();
    for f in [DB_FILE.to_string(), format!("{DB_FILE}-wal")] {
        assert!(!file_contains(&dir.path().join(&f), CANARY.as_bytes()), "canary in {f}");
    }
    // The app sees the deletion on its next read.
    assert!(app.read(|tx| tx.learner(gone)).unwrap().is_none());
    assert_eq!(app.read(|tx| tx.event_count(gone)).unwrap(), 0);
}

#[test]
fn recorded_report_exports_are_deleted_with_any_learner_in_them_unless_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let ben = add(&mut s, "Ben");
    let cy = add(&mut s, "Cy");
    let own = dir.path().join("ana.pdf");
    let class = dir.path().join("class.html");
    let edited = dir.path().join("ana-notes.csv");
    let foreign = dir.path().join("cy.csv");
    fs::write(&own, b"%PDF-1.4 Ana's report").unwrap();
    fs::write(&class, b"<html>Ana and Ben</html>").unwrap();
    fs::write(&edited, b"learner,skill\nAna,halves\n").unwrap();
    fs::write(&foreign, b"learner,skill\nCy,halves\n").unwrap();
    s.record_export(&[ana], &own).unwrap();
    s.record_export(&[ana, ben], &class).unwrap();
    s.record_export(&[ana], &edited).unwrap();
    s.record_export(&[cy], &foreign).unwrap();
    // The tutor edits one file after it was written: it is theirs now.
    fs::write(&edited, b"learner,skill\nAna,halves\nmy own notes\n").unwrap();

    let report = s.delete_learner(ana).unwrap();
    let mut deleted = report.exports_deleted.clone();
    deleted.sort();
    let mut expected = vec![
        fs::canonicalize(dir.path()).unwrap().join("ana.pdf"),
        fs::canonicalize(dir.path()).unwrap().join("class.html"),
    ];
    expected.sort();
    assert_eq!(deleted, expected);
    assert!(!own.exists() && !class.exists());
    assert!(edited.exists(), "a changed file is kept");
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].contains("ana-notes.csv"), "{:?}", report.warnings);
    assert!(foreign.exists(), "another learner's export is not touched");

    // Ben's record of the class report points at a file that is gone: nothing to do, no error.
    let report = s.delete_learner(ben).unwrap();
    assert!(report.exports_deleted.is_empty() && report.warnings.is_empty(), "{report:?}");
    // An unknown learner is refused and records nothing.
    assert!(s.record_export(&[ana], &foreign).is_err());
    assert!(foreign.exists());
}

#[test]
fn an_emptied_database_file_with_backups_is_not_silently_recreated() {
    // A file system that lost the file's contents (a crash during a copy, a sync tool) leaves a
    // zero-byte `ladder.sqlite3`: SQLite would take it for a new database and write an empty
    // schema into it, so the learners would silently be gone.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    s.backup_now().unwrap();
    drop(s);
    let db = dir.path().join(DB_FILE);
    fs::write(&db, b"").unwrap();
    for opts in [OpenOptions::default(), OpenOptions::startup()] {
        let err = Store::open_with(dir.path(), &opts).err().expect("must refuse");
        assert_eq!(err.kind(), ErrorKind::Missing, "{err}");
        assert!(err.to_string().contains("ladder db restore"), "{err}");
    }
    assert_eq!(fs::metadata(&db).unwrap().len(), 0, "the empty file was written to");
    assert!(ladder_store::database_absent(dir.path()));
    restore(dir.path(), None).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 1);
    // Without backups, an empty file is a new database, as before.
    let fresh = tempfile::tempdir().unwrap();
    fs::write(fresh.path().join(DB_FILE), b"").unwrap();
    Store::open(fresh.path()).unwrap();
}

#[test]
fn a_damaged_database_found_by_the_integrity_check_names_the_good_backup() {
    // `ladder db check` opens without the start-up check and then runs `integrity_check`: its
    // error must name the good backup like the one at start-up, not "no good backup was found".
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    for i in 0..400 {
        s.transact(|tx| tx.append_event(ana, None, &answer("p", &format!("i{i}"), "x", true)))
            .unwrap();
    }
    let good = s.backup_now().unwrap();
    s.compact().unwrap();
    drop(s);
    // Garble the second page (the first page of a table): the file opens, the check fails.
    let db = dir.path().join(DB_FILE);
    let mut bytes = fs::read(&db).unwrap();
    for b in bytes[4096..4104].iter_mut() {
        *b ^= 0xFF;
    }
    fs::write(&db, bytes).unwrap();
    let s = Store::open(dir.path()).unwrap();
    let err = s.integrity_check().expect_err("the check fails");
    assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    match &err {
        ladder_store::StoreError::Corrupt { backup, .. } => {
            assert_eq!(backup.as_ref(), Some(&good), "{err}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn restoring_a_database_copied_with_its_wal_keeps_what_the_wal_holds() {
    // `ladder db restore /old/computer/ladder.sqlite3`: a database whose program did not close
    // cleanly keeps its latest commits in `-wal` beside it. Copying the main file alone would
    // silently drop them although the check (which reads through the WAL) said it was fine.
    let src = tempfile::tempdir().unwrap();
    let mut s = Store::open(src.path()).unwrap();
    add(&mut s, "Ana");
    // Keep the WAL: a second connection holds it open while this one commits and goes away.
    let keep = Store::open(src.path()).unwrap();
    let bea = add(&mut s, "Bea");
    s.transact(|tx| tx.append_event(bea, None, &answer("p", "i1", "x", true))).unwrap();
    drop(s);
    let copy = tempfile::tempdir().unwrap();
    for f in [DB_FILE.to_string(), format!("{DB_FILE}-wal")] {
        fs::copy(src.path().join(&f), copy.path().join(&f)).unwrap();
    }
    drop(keep);
    assert!(fs::metadata(copy.path().join(format!("{DB_FILE}-wal"))).unwrap().len() > 0);

    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Someone");
    drop(s);
    let report = restore(dir.path(), Some(&copy.path().join(DB_FILE))).unwrap();
    assert!(report.previous_kept_at.unwrap().exists());
    let s = Store::open(dir.path()).unwrap();
    let names: Vec<String> =
        s.read(|tx| tx.learners(true)).unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["Ana", "Bea"]);
    assert_eq!(s.read(|tx| tx.event_count(bea)).unwrap(), 1);
}

#[test]
fn two_restores_in_the_same_second_keep_both_replaced_files() {
    // Each restore moves the database it replaces aside, never deleting it; two in the same
    // second (a script, a second click) must not put the second one over the first.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    s.backup_now().unwrap();
    add(&mut s, "Only in the live file");
    drop(s);
    // Names a restore in the next few seconds could pick, already taken.
    let now = ladder_store::Timestamp::now().0;
    for k in 0..5 {
        let stamp = ladder_store::Timestamp(now + k * 1000).compact_utc();
        fs::write(dir.path().join(format!("{DB_FILE}.replaced-{stamp}")), b"kept").unwrap();
    }
    let first = restore(dir.path(), None).unwrap().previous_kept_at.unwrap();
    let second = restore(dir.path(), None).unwrap().previous_kept_at.unwrap();
    assert_ne!(first, second);
    let kept: Vec<Vec<u8>> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".replaced-"))
        .map(|e| fs::read(e.path()).unwrap())
        .collect();
    assert_eq!(kept.iter().filter(|b| b.as_slice() == b"kept").count(), 5, "one was replaced");
    let live = kept.iter().filter(|b| b.windows(11).any(|w| w == b"Only in the")).count();
    assert_eq!(live, 1, "the live database was not kept aside");
}

#[test]
fn delete_removes_every_checkpoint_in_the_learners_models_folder() {
    // A job killed between writing a learner's checkpoint and registering it (power cut,
    // SIGKILL) leaves weights learnt from their answers that the registry does not know of.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let keep = add(&mut s, "Keeper");
    let gone = add(&mut s, "Gone");
    let models = dir.path().join("models");
    let registered = format!("models/learner-{}/0001", gone.0);
    s.transact(|tx| {
        tx.add_model_version(&NewModelVersion {
            scope: ModelScope::Learner(gone),
            checkpoint: registered.clone(),
            trained_through: None,
            metrics: serde_json::json!({}),
        })
    })
    .unwrap();
    for sub in [registered.as_str(), &format!("models/learner-{}/0002", gone.0)] {
        fs::create_dir_all(dir.path().join(sub)).unwrap();
        fs::write(dir.path().join(sub).join("model.safetensors"), b"weights").unwrap();
    }
    let other = models.join(format!("learner-{}/0001", keep.0));
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("model.safetensors"), b"weights").unwrap();

    let report = s.delete_learner(gone).unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(!models.join(format!("learner-{}", gone.0)).exists(), "{report:?}");
    assert!(other.join("model.safetensors").exists(), "another learner's model was deleted");
}

#[test]
fn delete_finds_exports_recorded_only_in_a_database_a_restore_replaced() {
    // A tutor exports a learner; later the database is restored from a backup older than the
    // export, so the live file no longer records it. Deleting the learner must still delete
    // the export (the replaced file and the newer backups remember it).
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let older = s.backup_now().unwrap();
    let export = dir.path().join("ana.json");
    s.write_learner_export(ana, &export).unwrap();
    drop(s);
    restore(dir.path(), Some(&older)).unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let report = s.delete_learner(ana).unwrap();
    assert!(!export.exists(), "the export was kept: {report:?}");
    assert_eq!(report.exports_deleted, [fs::canonicalize(dir.path()).unwrap().join("ana.json")]);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn an_export_written_again_to_the_same_file_is_deleted_without_a_false_warning() {
    // Two records for one path: the file is what the second export wrote, which is not "a file
    // changed since it was written".
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = add(&mut s, "Ana");
    let export = dir.path().join("ana.json");
    s.write_learner_export(ana, &export).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &answer("p", "i", "x", true))).unwrap();
    s.write_learner_export(ana, &export).unwrap();
    let report = s.delete_learner(ana).unwrap();
    assert!(!export.exists(), "the export was kept: {report:?}");
    assert_eq!(report.exports_deleted, [fs::canonicalize(dir.path()).unwrap().join("ana.json")]);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn a_failed_export_leaves_no_copy_of_the_learner_behind() {
    // `ladder learner export 1 -o some-folder`: the rename onto the folder fails; the temporary
    // file with the whole history must not stay beside it, unrecorded (so `learner delete`
    // would never know of it).
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("data")).unwrap();
    let ana = add(&mut s, "Ana");
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let err = s.write_learner_export(ana, &out).expect_err("a folder is not a file");
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(err.to_string().contains("out"), "{err}");
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "left behind: {names:?}");
    assert!(fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn a_folder_where_the_database_should_be_is_named_as_such() {
    // Not "cannot read or write the database ... the last change was not saved": nothing was
    // being saved, and the disk is fine.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    s.backup_now().unwrap();
    drop(s);
    let db = dir.path().join(DB_FILE);
    fs::remove_file(&db).unwrap();
    fs::create_dir(&db).unwrap();
    let err = Store::open_with(dir.path(), &OpenOptions::startup()).err().expect("a folder");
    let msg = err.to_string();
    assert!(msg.contains("is a folder") && msg.contains(&db.display().to_string()), "{msg}");
    assert!(msg.contains("ladder db restore") && !msg.contains("not saved"), "{msg}");
    restore(dir.path(), None).unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().read(|tx| tx.learners(true)).unwrap().len(), 1);
}

/// The engine keeps each session's scope (lesson, policy) in the settings under
/// `engine.session.<id>`: deleting a learner left those rows of their sessions behind, in the
/// database and in every backup.
#[test]
fn delete_erases_the_settings_rows_of_the_learners_sessions() {
    const CANARY: &str = "lesson-canary-5531";
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let keep = add(&mut s, "Keeper");
    let gone = add(&mut s, "Gone");
    let start = || Event::SessionStart {
        pack: Some("p".into()),
        client: Some("test".into()),
        lesson: None,
        policy: Some("adaptive".into()),
    };
    let key = |id: EventId| format!("engine.session.{}", id.0);
    let (kept, erased) = s
        .transact(|tx| {
            let kept = tx.append_event(keep, None, &start())?;
            let erased = tx.append_event(gone, None, &start())?;
            tx.set_setting(&key(kept), &serde_json::json!({"lesson": "a", "policy": "adaptive"}))?;
            tx.set_setting(
                &key(erased),
                &serde_json::json!({"lesson": CANARY, "policy": "random"}),
            )?;
            tx.set_setting("ui.language", "es")?;
            Ok((kept, erased))
        })
        .unwrap();
    s.backup_now().unwrap();

    let report = s.delete_learner(gone).unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let setting = |s: &Store, k: &str| s.read(|tx| tx.setting::<serde_json::Value>(k)).unwrap();
    assert_eq!(setting(&s, &key(erased)), None, "the deleted learner's session scope");
    assert!(setting(&s, &key(kept)).is_some(), "another learner's session is untouched");
    assert_eq!(setting(&s, "ui.language"), Some(serde_json::json!("es")));
    // Nor in the backup, nor anywhere else in the data directory.
    assert_eq!(report.backups_cleaned.len(), 1);
    for f in walk(dir.path()) {
        assert!(!file_contains(&f, CANARY.as_bytes()), "canary in {}", f.display());
    }
}

/// A copy of `backup` named as taken at `t` (what a device whose clock was wrong would write).
fn backup_named_at(dir: &Path, backup: &Path, t: ladder_store::Timestamp) -> std::path::PathBuf {
    let p = dir.join("backups").join(format!("ladder-{}.sqlite3", t.compact_utc()));
    fs::copy(backup, &p).unwrap();
    p
}

#[test]
fn a_backup_dated_in_the_future_stops_neither_daily_backups_nor_restores_of_newer_ones() {
    // The device's clock ran three years ahead for a day (a school machine without network
    // time), and was then put right. The backup of that day is named in the future: it was the
    // "newest" for three years, so no daily backup was taken again, and `db restore` picked it
    // over every backup taken since.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    let first = s.backup_now().unwrap();
    let ahead = ladder_store::Timestamp(ladder_store::Timestamp::now().0 + 3 * 365 * 86_400_000);
    let stale = backup_named_at(dir.path(), &first, ahead);
    fs::remove_file(&first).unwrap();
    add(&mut s, "Ben");
    let now = ladder_store::Timestamp::now();
    let taken = s.backup_if_due(now).unwrap().expect("no backup of the last day: one is due");
    assert!(taken.exists());
    assert!(s.backup_if_due(now).unwrap().is_none(), "one a day");
    drop(s);
    // The newest good backup is the one taken now, not the one named in the future.
    assert_eq!(ladder_store::newest_good_backup(dir.path()).unwrap().path, taken);
    assert_eq!(list_backups(dir.path()).last().unwrap().path, stale);
    restore(dir.path(), None).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 2);
}

#[test]
fn a_backup_taken_while_the_clock_is_behind_is_not_rotated_away_as_it_is_written() {
    // The clock fell back to 2001 (a flat clock battery). A term of backups is named later than
    // anything taken now; the new backup was named the oldest and deleted by the rotation that
    // followed it, and the daily one was never due.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    let first = s.backup_now().unwrap();
    let now = ladder_store::Timestamp::now();
    for day in 1..60 {
        backup_named_at(dir.path(), &first, ladder_store::Timestamp(now.0 - day * 86_400_000));
    }
    add(&mut s, "Ben");
    let behind = ladder_store::Timestamp::parse_compact_utc("20010101T080000Z").unwrap();
    let taken = s.backup_if_due(behind).unwrap().expect("nothing in the day before 2001-01-01");
    assert!(taken.exists(), "the backup just written was rotated away");
    assert!(ladder_store::check_backup(&taken).is_empty());
    // A day later (still by the wrong clock) another is due, and both stay.
    let later = ladder_store::Timestamp(behind.0 + 86_400_000);
    let second = s.backup_if_due(later).unwrap().expect("a day later");
    assert!(taken.exists() && second.exists());
}

#[test]
fn delete_after_restoring_a_file_kept_aside_gives_no_false_warning() {
    // A restore made by mistake, undone by restoring the file it kept aside; then a learner is
    // deleted. Reading the kept file had left its `-shm` beside it, which the deletion took for
    // a database copy: "…replaced-…-shm could not be cleaned (unable to open database file);
    // delete it by hand", for a file holding no learner data (and gone by then).
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    s.backup_now().unwrap();
    let ben = add(&mut s, "Ben");
    s.transact(|tx| tx.append_event(ben, None, &answer("p", "i1", "x", true))).unwrap();
    drop(s);
    let aside = restore(dir.path(), None).unwrap().previous_kept_at.unwrap();
    restore(dir.path(), Some(&aside)).unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.event_count(ben)).unwrap(), 1);
    let report = s.delete_learner(ben).unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn a_deletion_cut_short_after_its_commit_can_be_finished() {
    // `learner delete` commits the deletion of the rows first, then cleans every backup (a
    // VACUUM each). A power cut or a kill in between left the learner in the backups, and
    // running it again answered "learner not found": nothing could clean them any more.
    const CANARY: &str = "Qwertzuiop-canary-4410";
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Keeper");
    let gone = add(&mut s, CANARY);
    s.transact(|tx| tx.append_event(gone, None, &answer("p", "i1", CANARY, false))).unwrap();
    let backup = s.backup_now().unwrap();
    assert!(file_contains(&backup, CANARY.as_bytes()));
    drop(s);
    // The deletion's own transaction, then the program dies.
    let c = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute_batch(&format!(
        "BEGIN; DELETE FROM events WHERE learner_id = {0}; DELETE FROM learners WHERE id = {0}; \
         COMMIT;",
        gone.0
    ))
    .unwrap();
    drop(c);

    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.learner_in_copies(gone).map(|(name, _)| name).as_deref(), Some(CANARY));
    let report = s.delete_learner(gone).unwrap();
    assert_eq!(report.backups_cleaned, vec![backup.clone()]);
    assert!(!file_contains(&backup, CANARY.as_bytes()), "the backup still holds the learner");
    assert_eq!(s.learner_in_copies(gone), None);
    // Once nothing holds them, the id is unknown again.
    assert_eq!(s.delete_learner(gone).unwrap_err().kind(), ErrorKind::NotFound);
    // A learner that never existed is not found, as before.
    assert_eq!(s.delete_learner(LearnerId(99)).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn a_learner_added_after_a_restore_does_not_take_the_id_of_one_the_restore_set_aside() {
    // Ids of learners are never reused, because `learner delete` erases an id from every
    // backup and kept-aside file. A restore of an older backup brought back its id counter:
    // the next learner got the id of one only the kept-aside file and later backups held, and
    // deleting the new learner erased the other's history from those copies.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Ana");
    s.backup_now().unwrap();
    let ben = add(&mut s, "Ben");
    s.transact(|tx| tx.append_event(ben, None, &answer("p", "i1", "x", true))).unwrap();
    drop(s);
    let older = list_backups(dir.path()).last().unwrap().path.clone();
    let aside = restore(dir.path(), Some(&older)).unwrap().previous_kept_at.unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let cleo = add(&mut s, "Cleo");
    assert!(cleo.0 > ben.0, "Cleo got id {} although Ben ({}) is kept aside", cleo.0, ben.0);
    s.delete_learner(cleo).unwrap();
    // Ben's history in the kept-aside file is untouched.
    drop(s);
    restore(dir.path(), Some(&aside)).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.event_count(ben)).unwrap(), 1);
}

#[test]
fn delete_erases_what_a_backup_or_a_restore_killed_half_way_left_behind() {
    // A backup is written as `backups/.ladder-<time>.sqlite3.tmp` and a restore's copy as
    // `ladder.sqlite3.restoring`, then renamed. A program killed before the rename left the
    // file, with every learner in it; `learner delete` cleaned neither, so the learner's
    // history stayed on the device.
    const CANARY: &str = "Halfway-canary-9051";
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    add(&mut s, "Keeper");
    let gone = add(&mut s, CANARY);
    s.transact(|tx| tx.append_event(gone, None, &answer("p", "i1", CANARY, false))).unwrap();
    let backup = s.backup_now().unwrap();
    let tmp = dir.path().join("backups").join(".ladder-20260101T000000Z.sqlite3.tmp");
    fs::copy(&backup, &tmp).unwrap();
    let restoring = dir.path().join(format!("{DB_FILE}.restoring"));
    fs::copy(&backup, &restoring).unwrap();
    let report = s.delete_learner(gone).unwrap();
    for e in walk(dir.path()) {
        assert!(!file_contains(&e, CANARY.as_bytes()), "canary in {}", e.display());
    }
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(s.read(|tx| tx.learners(true)).unwrap().len() == 1);
}
