//! Disk full, simulated with SQLite's `max_page_count`: the failed write is reported as
//! `disk_full`, nothing committed before is lost, and writes resume once there is room.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use ladder_store::{ErrorKind, Event, ItemRef, NewLearner, Store};

fn big_answer(i: u64) -> Event {
    Event::Answer {
        item: ItemRef::new("p", format!("item-{i}")),
        response: serde_json::json!("x".repeat(3000)),
        correct: true,
        score: None,
        blanks: None,
        latency_ms: i,
        hint_level: 0,
        predicted: None,
    }
}

#[test]
fn disk_full_is_clear_keeps_committed_writes_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let ana = store.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    let pages = store.page_count().unwrap();
    assert_eq!(store.set_max_page_count(pages + 8).unwrap(), pages + 8);

    let mut committed = 0u64;
    let err = loop {
        // Two events per transaction: a failure must not leave one of them behind.
        let r = store.transact(|tx| {
            tx.append_event(ana, None, &big_answer(committed))?;
            tx.append_event(ana, None, &big_answer(committed))
        });
        match r {
            Ok(_) => committed += 1,
            Err(e) => break e,
        }
        assert!(committed < 1000, "the page cap had no effect");
    };
    assert!(committed > 0);
    assert_eq!(err.kind(), ErrorKind::DiskFull, "{err}");
    assert!(err.to_string().contains("disk is full"), "{err}");
    // Which disk: the one holding the database (a school device may keep the data folder on a
    // memory card or a second drive).
    let db = dir.path().join(ladder_store::DB_FILE);
    assert!(err.to_string().contains(&db.display().to_string()), "{err}");

    // Another connection (another process would see the same) finds exactly what was committed.
    let other = Store::open(dir.path()).unwrap();
    assert_eq!(other.read(|tx| tx.event_count(ana)).unwrap(), 2 * committed as i64);
    assert!(other.integrity_check().unwrap().is_empty());
    // Reads still work on the full connection.
    assert_eq!(store.read(|tx| tx.event_count(ana)).unwrap(), 2 * committed as i64);

    // Space returns: the same connection writes again.
    store.set_max_page_count(1 << 30).unwrap();
    store
        .transact(|tx| {
            tx.append_event(ana, None, &big_answer(9999))?;
            tx.append_event(ana, None, &big_answer(9999))
        })
        .unwrap();
    assert_eq!(other.read(|tx| tx.event_count(ana)).unwrap(), 2 * committed as i64 + 2);
}
