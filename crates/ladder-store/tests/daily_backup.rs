//! The daily backup off the start-up path: the store opens without it, a front end takes it in
//! the background on a connection of its own, beside the learners' answers, once a day however
//! many programs start, and never at the same time as a restore (real SQLite, real files).

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use ladder_store::{
    check_backup, list_backups, lock_backups, restore, DailyBackup, DailyOutcome, ErrorKind, Event,
    ItemRef, LearnerId, NewLearner, OpenOptions, Store, Timestamp, BACKUP_DIR, DB_FILE,
};

const DAY_MS: i64 = 86_400_000;

fn answer(i: usize) -> Event {
    Event::Answer {
        item: ItemRef::new("p", format!("i{i}")),
        response: serde_json::json!(i),
        correct: !i.is_multiple_of(3),
        score: None,
        blanks: None,
        latency_ms: 1000,
        hint_level: 0,
        predicted: None,
    }
}

/// A learner with `events` answers, in one transaction.
fn learner_with(store: &mut Store, name: &str, events: usize) -> LearnerId {
    store
        .transact(|tx| {
            let id = tx.add_learner(&NewLearner::named(name))?;
            for i in 0..events {
                tx.append_event(id, None, &answer(i))?;
            }
            Ok(id)
        })
        .unwrap()
}

fn taken(outcome: DailyOutcome) -> PathBuf {
    match outcome {
        DailyOutcome::Taken(p) => p,
        other => panic!("no backup was taken: {other:?}"),
    }
}

/// The learners' names in a backup file, and how many events each has.
fn learners_in(backup: &Path) -> Vec<(String, i64)> {
    let c =
        rusqlite::Connection::open_with_flags(backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = c
        .prepare(
            "SELECT l.name, (SELECT count(*) FROM events e WHERE e.learner_id = l.id) \
             FROM learners l ORDER BY l.id",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn startup_opens_without_the_daily_backup_and_the_background_one_takes_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    learner_with(&mut s, "Ana", 5);
    assert!(list_backups(dir.path()).is_empty(), "opening took a copy of the whole file");
    assert!(s.startup_warnings().is_empty(), "{:?}", s.startup_warnings());

    let path = taken(DailyBackup::start(dir.path()).wait());
    assert_eq!(list_backups(dir.path()).iter().map(|b| &b.path).collect::<Vec<_>>(), [&path]);
    assert!(check_backup(&path).is_empty(), "{:?}", check_backup(&path));
    assert!(!path.with_extension("sqlite3-wal").exists(), "a backup is one file");
    assert_eq!(learners_in(&path), [("Ana".to_string(), 5)]);

    // Younger than a day: the next start finds nothing to do, without a thread or a lock.
    let again = DailyBackup::start(dir.path());
    assert_eq!(again.try_outcome(), Some(DailyOutcome::NotDue));
    assert_eq!(again.wait(), DailyOutcome::NotDue);
    // A day later one is due again, and rotation keeps both.
    let tomorrow = Timestamp(Timestamp::now().0 + DAY_MS + 60_000);
    let second = taken(DailyBackup::start_at(dir.path(), tomorrow).wait());
    let listed: Vec<PathBuf> = list_backups(dir.path()).into_iter().map(|b| b.path).collect();
    assert!(listed.len() == 2 && listed.contains(&second), "{listed:?}");
}

#[test]
fn the_daily_backup_runs_beside_an_open_write_transaction_and_copies_only_what_was_committed() {
    // WAL: the backup's reader neither waits for nor blocks the writer. Here a learner's answer
    // is being written (its transaction open) for the whole time the backup is taken.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    learner_with(&mut s, "Ana", 200);
    let outcome = s
        .transact(|tx| {
            let ben = tx.add_learner(&NewLearner::named("Ben"))?;
            tx.append_event(ben, None, &answer(1))?;
            Ok(DailyBackup::start(dir.path()).wait())
        })
        .unwrap();
    let path = taken(outcome);
    assert!(check_backup(&path).is_empty());
    assert_eq!(learners_in(&path), [("Ana".to_string(), 200)], "an uncommitted write was copied");
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 2, "the writer's commit was lost");
}

#[test]
fn a_daily_backup_taken_while_answers_are_written_is_a_consistent_copy() {
    // Each transaction adds a learner with exactly 3 answers. A consistent copy holds whole
    // transactions only, and a prefix of them in commit order.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    for i in 0..20 {
        learner_with(&mut s, &format!("L{i:04}"), 3);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let (first, started) = mpsc::channel();
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut n = 20;
            while !stop.load(Ordering::SeqCst) {
                learner_with(&mut s, &format!("L{n:04}"), 3);
                n += 1;
                let _ = first.send(());
            }
            n
        })
    };
    started.recv().unwrap();
    let path = taken(DailyBackup::start(dir.path()).wait());
    stop.store(true, Ordering::SeqCst);
    let written = writer.join().unwrap();
    assert!(check_backup(&path).is_empty(), "{:?}", check_backup(&path));
    let copied = learners_in(&path);
    assert!(copied.len() >= 21 && copied.len() <= written, "{} of {written}", copied.len());
    for (i, (name, events)) in copied.iter().enumerate() {
        assert_eq!(name, &format!("L{i:04}"), "not a prefix of the commits");
        assert_eq!(*events, 3, "{name}: half a transaction was copied");
    }
}

#[test]
fn two_programs_starting_the_same_day_take_one_backup_between_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    learner_with(&mut a, "Ana", 50);
    let b = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    // Both see no backup of the last day when they start; the second to take the lock finds
    // the first one's and takes none.
    let (one, two) = (DailyBackup::start(dir.path()), DailyBackup::start(dir.path()));
    let mut outcomes = [one.wait(), two.wait()];
    outcomes.sort_by_key(|o| matches!(o, DailyOutcome::NotDue));
    let path = taken(outcomes[0].clone());
    assert_eq!(outcomes[1], DailyOutcome::NotDue);
    assert_eq!(list_backups(dir.path()).len(), 1);
    assert!(check_backup(&path).is_empty());
    drop((a, b));
}

#[test]
fn the_daily_backup_waits_for_the_backups_lock_and_then_finds_the_one_just_taken() {
    // Another program holds the lock (taking its own daily backup, restoring, or erasing a
    // learner from the backups). This one waits, then looks again: one backup a day, not two.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    learner_with(&mut s, "Ana", 5);
    let now = Timestamp::now();
    let old = s.backup_if_due(Timestamp(now.0 - 2 * DAY_MS)).unwrap().unwrap();
    let staged = dir.path().join("staged.sqlite3");
    fs::copy(&old, &staged).unwrap();

    let lock = lock_backups(dir.path()).unwrap();
    let daily = DailyBackup::start_at(dir.path(), now);
    assert_eq!(daily.try_outcome(), None, "it went on without the lock");
    // The other program's backup lands while it holds the lock.
    let theirs = dir.path().join(BACKUP_DIR).join(format!("ladder-{}.sqlite3", now.compact_utc()));
    fs::rename(&staged, &theirs).unwrap();
    drop(lock);
    assert_eq!(daily.wait(), DailyOutcome::NotDue);
    assert_eq!(list_backups(dir.path()).len(), 2);
}

#[test]
fn a_restore_waits_for_the_backups_lock() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    learner_with(&mut s, "Ana", 5);
    s.backup_now().unwrap();
    learner_with(&mut s, "Ben", 5);
    drop(s);
    let lock = lock_backups(dir.path()).unwrap();
    let (done, finished) = mpsc::channel();
    let data = dir.path().to_path_buf();
    let restoring = std::thread::spawn(move || {
        let r = restore(&data, None);
        done.send(()).unwrap();
        r
    });
    assert!(finished.try_recv().is_err(), "the restore went on while the backups were locked");
    assert!(!dir
        .path()
        .read_dir()
        .unwrap()
        .flatten()
        .any(|e| { e.file_name().to_string_lossy().contains(".replaced-") }));
    drop(lock);
    restoring.join().unwrap().unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.read(|tx| tx.learners(true)).unwrap().len(), 1);
}

#[test]
fn a_daily_backup_that_cannot_be_written_is_a_warning_and_loses_nothing() {
    // The backups folder cannot be made (a file has its name; the same as a full disk or a
    // read-only folder): the learners go on, the warning says what happened.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    let ana = learner_with(&mut s, "Ana", 5);
    fs::write(dir.path().join(BACKUP_DIR), b"not a folder").unwrap();
    let outcome = DailyBackup::start(dir.path()).wait();
    let DailyOutcome::Failed { kind, warning } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(*kind, ErrorKind::Io, "{warning}");
    assert!(warning.starts_with("the daily backup was not taken"), "{warning}");
    assert!(warning.contains(&dir.path().join(BACKUP_DIR).display().to_string()), "{warning}");
    assert!(warning.contains("ladder db backup"), "{warning}");
    assert_eq!(outcome.warning(), Some(warning.as_str()));
    // Nothing was lost, and answers are still saved.
    s.transact(|tx| tx.append_event(ana, None, &answer(9))).unwrap();
    assert_eq!(s.read(|tx| tx.event_count(ana)).unwrap(), 6);
    assert!(s.integrity_check().unwrap().is_empty());
    assert_eq!(fs::read(dir.path().join(BACKUP_DIR)).unwrap(), b"not a folder");
}

#[test]
fn a_backup_killed_half_way_never_counts_and_the_next_one_clears_it() {
    // The app quit (or was killed) while its daily backup was being written: what is left is
    // the temporary file, which no list counts; the next backup takes its place and removes it.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(dir.path(), &OpenOptions::startup()).unwrap();
    learner_with(&mut s, "Ana", 5);
    let backups = dir.path().join(BACKUP_DIR);
    fs::create_dir_all(&backups).unwrap();
    let stamp = Timestamp::now().compact_utc();
    let half = backups.join(format!(".ladder-{stamp}.sqlite3.tmp"));
    fs::write(&half, vec![0x53u8; 8192]).unwrap();
    fs::write(backups.join(format!(".ladder-{stamp}.sqlite3.tmp-journal")), b"j").unwrap();
    assert!(list_backups(dir.path()).is_empty());
    let path = taken(DailyBackup::start(dir.path()).wait());
    assert!(check_backup(&path).is_empty());
    let left: Vec<String> = fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_damaged_database_found_by_the_daily_backup_is_a_warning_naming_the_good_backup() {
    // The backup's full integrity check of the copy finds what the start-up quick check did
    // not look at: the store is already in use, so it is said as a warning that names the
    // newest good backup, and the damaged file is not replaced.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    learner_with(&mut s, "Ana", 400);
    let good = s.backup_if_due(Timestamp(Timestamp::now().0 - 2 * DAY_MS)).unwrap().unwrap();
    s.compact().unwrap();
    drop(s);
    let db = dir.path().join(DB_FILE);
    let mut bytes = fs::read(&db).unwrap();
    for b in bytes[4096..4104].iter_mut() {
        *b ^= 0xFF;
    }
    fs::write(&db, &bytes).unwrap();
    let outcome = DailyBackup::start(dir.path()).wait();
    let DailyOutcome::Failed { kind, warning } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(*kind, ErrorKind::Corrupt, "{warning}");
    assert!(warning.contains("damaged") && warning.contains("ladder db restore"), "{warning}");
    assert!(warning.contains(&good.display().to_string()), "{warning}");
    assert_eq!(list_backups(dir.path()).len(), 1, "a damaged copy was kept as a backup");
    assert_eq!(fs::read(&db).unwrap(), bytes);
}
