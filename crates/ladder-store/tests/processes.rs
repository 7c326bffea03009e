//! Tests with several processes on one database: crash safety under SIGKILL, concurrent
//! writers, a read-only data directory.
//!
//! The other processes are this test binary run again with `--exact child_process --ignored`
//! and the `LADDER_STORE_CHILD` environment variable saying what to do. A writer prints
//! `ACK <event id> <seq>` on stdout only after the transaction committed, so every ACK the parent
//! reads is an answer the store promised to keep.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use ladder_store::{
    DailyBackup, DailyOutcome, ErrorKind, Event, ItemRef, LearnerId, NewLearner, OpenOptions,
    Store, DB_FILE,
};

const CHILD_ENV: &str = "LADDER_STORE_CHILD";

fn shown(seq: u64) -> Event {
    Event::shown(ItemRef::new("crash", "item"), format!("seq {seq}"))
}

fn answer(seq: u64) -> Event {
    Event::Answer {
        item: ItemRef::new("crash", "item"),
        response: serde_json::json!(seq),
        correct: !seq.is_multiple_of(3),
        score: None,
        blanks: None,
        latency_ms: seq,
        hint_level: 0,
        predicted: None,
    }
}

/// Writes `count` answers (forever when 0), each as one transaction of two events (item shown,
/// answer), acknowledging each after commit.
fn run_writer(dir: &Path, learner: LearnerId, count: u64) {
    let mut store = Store::open(dir).expect("child: open");
    let mut out = std::io::stdout().lock();
    let mut seq = 0;
    while count == 0 || seq < count {
        let id = store
            .transact(|tx| {
                tx.append_event(learner, None, &shown(seq))?;
                tx.append_event(learner, None, &answer(seq))
            })
            .unwrap_or_else(|e| panic!("child: write failed ({:?}): {e}", e.kind()));
        writeln!(out, "ACK {} {}", id.0, seq).expect("child: stdout");
        out.flush().expect("child: flush");
        seq += 1;
    }
}

/// Entry point of the child processes; does nothing in a normal test run.
#[test]
#[ignore = "entry point of child processes started by the other tests"]
fn child_process() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let parts: Vec<&str> = spec.split('|').collect();
    match parts.as_slice() {
        ["write", dir, learner, count] => run_writer(
            Path::new(dir),
            LearnerId(learner.parse().expect("learner")),
            count.parse().expect("count"),
        ),
        ["open_and_write", dir] => {
            let result = Store::open(dir)
                .and_then(|mut s| s.transact(|tx| tx.add_learner(&NewLearner::named("intruder"))));
            match result {
                Ok(_) => println!("RESULT ok"),
                Err(e) => println!("RESULT {} {e}", e.kind().as_str()),
            }
        }
        ["daily", dir] => {
            // A front end starting: open with the start-up options, then the daily backup.
            let store = Store::open_with(dir, &OpenOptions::startup()).expect("child: open");
            match DailyBackup::start(Path::new(dir)).wait() {
                DailyOutcome::Taken(_) => println!("RESULT taken"),
                DailyOutcome::NotDue => println!("RESULT not_due"),
                DailyOutcome::Failed { warning, .. } => println!("RESULT failed {warning}"),
            }
            drop(store);
        }
        _ => panic!("unknown child spec {spec}"),
    }
}

/// Every child of this test binary is spawned under this lock, and the read-only test copies
/// its executable under it too. Otherwise a child forked by another test thread while the copy
/// is open for writing inherits that descriptor until it execs, and running the copy fails with
/// "Text file busy" (ETXTBSY; seen once in CI). `spawn` returns only after the child has exec'd.
static SPAWN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn spawn(cmd: &mut Command) -> Child {
    let _guard = SPAWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cmd.spawn().expect("spawn a child process")
}

fn child(spec: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args(["--exact", "child_process", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// A small deterministic generator (splitmix64); the seed is printed so a failure can be
/// replayed with `LADDER_CRASH_SEED`.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn parse_ack(line: &str) -> Option<(i64, u64)> {
    // libtest prints `test child_process ... ` before the child's first line.
    let mut it = line[line.find("ACK ")? + 4..].split(' ');
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

fn setup(n_learners: usize) -> (tempfile::TempDir, Vec<LearnerId>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let ids = (0..n_learners)
        .map(|i| store.transact(|tx| tx.add_learner(&NewLearner::named(format!("w{i}")))).unwrap())
        .collect();
    (dir, ids)
}

/// Checks, on the file as the killed writer left it: integrity, every acknowledged answer
/// present, and no half-written answer (an item_shown without its answer or the reverse).
fn check_after_kill(db: &Path, acked: &[i64]) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(problems, ["ok"], "integrity check failed");
    let count = |kind: &str| -> i64 {
        conn.query_row("SELECT count(*) FROM events WHERE kind = ?1", [kind], |r| r.get(0)).unwrap()
    };
    let (shown, answers) = (count("item_shown"), count("answer"));
    assert_eq!(shown, answers, "half-written transaction: {shown} shown vs {answers} answers");
    let mut stmt = conn.prepare_cached("SELECT kind FROM events WHERE id = ?1").unwrap();
    for id in acked {
        let kind: String = stmt
            .query_row([id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("acknowledged answer {id} is missing: {e}"));
        assert_eq!(kind, "answer");
    }
    answers
}

#[test]
fn sigkill_never_loses_an_acknowledged_answer_nor_leaves_half_a_write() {
    let cycles = env_u64("LADDER_CRASH_CYCLES", 500);
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let seed = env_u64("LADDER_CRASH_SEED", clock ^ u64::from(std::process::id()));
    eprintln!("crash test: {cycles} cycles, LADDER_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let (dir, ids) = setup(1);
    let db = dir.path().join(DB_FILE);
    let spec = format!("write|{}|{}|0", dir.path().display(), ids[0].0);
    let started = Instant::now();
    let mut total_acked = 0usize;
    let mut all_acked = Vec::new();
    let mut seqs_seen = HashSet::new();
    for cycle in 0..cycles {
        let mut proc: Child = spawn(&mut child(&spec));
        let stdout = proc.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // Kill after a random number of acknowledged answers (0 = while it is still opening),
        // plus a random spin so that the kill lands anywhere inside a transaction.
        let target = rng.below(5);
        let spin_ns = rng.below(400_000);
        let mut acked = Vec::new();
        while (acked.len() as u64) < target {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some((id, seq)) = parse_ack(&line) {
                        acked.push(id);
                        assert!(seqs_seen.insert((cycle, seq)));
                    }
                }
                _ => break,
            }
        }
        let t = Instant::now();
        while (t.elapsed().as_nanos() as u64) < spin_ns {
            std::hint::spin_loop();
        }
        proc.kill().expect("SIGKILL");
        // Lines already in the pipe were acknowledged before the kill: they count too.
        for line in lines.map_while(Result::ok) {
            if let Some((id, _)) = parse_ack(&line) {
                acked.push(id);
            }
        }
        let status = proc.wait().unwrap();
        if status.success() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut proc.stderr.take().unwrap(), &mut err).unwrap();
            panic!("writer exited on its own: {err}");
        }
        total_acked += acked.len();
        all_acked.extend_from_slice(&acked);
        let answers = check_after_kill(&db, &acked);
        assert!(answers as usize >= total_acked, "cycle {cycle}: {answers} < {total_acked}");
    }
    // Finally through the store: every acknowledged answer, with its item shown just before.
    let store = Store::open(dir.path()).unwrap();
    let events = store.read(|tx| tx.events(ids[0], None)).unwrap();
    let present: HashSet<i64> = events.iter().map(|e| e.id.0).collect();
    assert!(all_acked.iter().all(|id| present.contains(id)));
    for pair in events.chunks(2) {
        match (&pair[0].event, &pair[1].event) {
            (Event::ItemShown { reason, .. }, Event::Answer { response, .. }) => {
                assert_eq!(*reason, format!("seq {}", response.as_u64().unwrap()));
            }
            other => panic!("events out of pairs: {other:?}"),
        }
    }
    eprintln!(
        "crash test: {cycles} kills, {total_acked} acknowledged answers, {} stored, {:.1?}",
        events.len() / 2,
        started.elapsed()
    );
}

#[test]
fn several_processes_write_at_once_without_loss_or_locked_errors() {
    const WRITERS: usize = 4;
    const EACH: u64 = 150;
    let (dir, ids) = setup(WRITERS + 1);
    let procs: Vec<Child> = ids[..WRITERS]
        .iter()
        .map(|id| spawn(&mut child(&format!("write|{}|{}|{EACH}", dir.path().display(), id.0))))
        .collect();
    // Meanwhile this process writes too, and takes a backup (a reader for the whole copy).
    let mut store = Store::open(dir.path()).unwrap();
    let mine = ids[WRITERS];
    for seq in 0..EACH {
        store
            .transact(|tx| {
                tx.append_event(mine, None, &shown(seq))?;
                tx.append_event(mine, None, &answer(seq))
            })
            .unwrap();
        if seq == EACH / 2 {
            store.backup_now().unwrap();
        }
    }
    for (p, id) in procs.into_iter().zip(&ids) {
        let out = p.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "writer for {id} failed: {stderr}");
        assert!(!stderr.contains("locked") && !stderr.contains("busy"), "{stderr}");
        let acks = String::from_utf8_lossy(&out.stdout).lines().filter_map(parse_ack).count();
        assert_eq!(acks as u64, EACH);
    }
    for id in &ids {
        let events = store.read(|tx| tx.events(*id, None)).unwrap();
        assert_eq!(events.len() as u64, 2 * EACH, "learner {id}");
    }
    assert!(store.integrity_check().unwrap().is_empty());
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_data_directory_is_a_clear_error_and_changes_nothing() {
    let (dir, _) = setup(1);
    let data: PathBuf = dir.path().to_path_buf();
    let db = data.join(DB_FILE);
    let before = std::fs::read(&db).unwrap();
    chmod(&data, 0o555);
    chmod(&db, 0o444);
    // Root ignores permissions: run the attempt as `nobody` then, from a copy of this test
    // binary that `nobody` may execute (the build folder may be under a private home).
    let bin_dir = tempfile::tempdir().unwrap();
    let mut cmd = child(&format!("open_and_write|{}", data.display()));
    // Copy and spawn under the spawn lock (see `SPAWN`).
    let guard = SPAWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if is_root() {
        use std::os::unix::process::CommandExt;
        let bin = bin_dir.path().join("store-test-child");
        std::fs::copy(std::env::current_exe().unwrap(), &bin).unwrap();
        chmod(&bin, 0o755);
        chmod(bin_dir.path(), 0o755);
        let mut as_nobody = Command::new(&bin);
        as_nobody
            .args(["--exact", "child_process", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, format!("open_and_write|{}", data.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .uid(65534)
            .gid(65534);
        cmd = as_nobody;
    }
    let proc = cmd.spawn().expect("spawn");
    drop(guard);
    let out = proc.wait_with_output().expect("wait for the child");
    chmod(&data, 0o755);
    chmod(&db, 0o644);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result = stdout
        .lines()
        .find_map(|l| l.split_once("RESULT ").map(|(_, r)| r))
        .unwrap_or_else(|| panic!("no result: {stdout} {}", String::from_utf8_lossy(&out.stderr)));
    assert!(result.starts_with(ErrorKind::ReadOnly.as_str()), "{result}");
    assert!(result.contains("read-only"), "{result}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database changed");
    // Writable again: writes resume.
    let mut store = Store::open(&data).unwrap();
    store.transact(|tx| tx.add_learner(&NewLearner::named("back"))).unwrap();
    assert_eq!(store.read(|tx| tx.learners(true)).unwrap().len(), 2);
}

#[test]
fn programs_starting_together_on_one_data_directory_take_one_daily_backup() {
    // The app and `ladder serve` (or two app windows, or a command) started the same morning:
    // each found no backup of the last day; without the backups lock each took a whole copy.
    let (dir, ids) = setup(1);
    let mut store = Store::open(dir.path()).unwrap();
    store
        .transact(|tx| {
            for seq in 0..2000 {
                tx.append_event(ids[0], None, &answer(seq))?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let spec = format!("daily|{}", dir.path().display());
    let children: Vec<Child> = (0..3).map(|_| spawn(&mut child(&spec))).collect();
    let mut results: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
            let at = stdout.find("RESULT ").unwrap_or_else(|| panic!("{stdout}"));
            stdout[at + 7..].lines().next().unwrap_or_default().to_string()
        })
        .collect();
    results.sort();
    assert_eq!(results, ["not_due", "not_due", "taken"]);
    let backups = ladder_store::list_backups(dir.path());
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(ladder_store::check_backup(&backups[0].path).is_empty());
    let leftovers: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with("-journal"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
