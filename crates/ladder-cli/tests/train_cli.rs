//! `ladder train` as a person runs it: building a default model from simulated students, and the
//! device's training job on a data directory without enough history.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};
use std::process::Command;

fn packs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs")
}

fn ladder() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
}

#[test]
fn simulated_pre_training_writes_a_checkpoint_that_loads_and_is_labelled_simulated() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("model");
    let run = |dir: &Path| {
        ladder()
            .args(["train", "--simulated", "--packs"])
            .arg(packs_dir())
            .args(["--students", "12", "--test-students", "4", "--answers", "30", "--epochs", "1"])
            .args(["--seed", "5", "-o"])
            .arg(dir)
            .output()
            .unwrap()
    };
    let o = run(&out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    for model in ["transformer", "bkt", "pfa", "online-logistic"] {
        assert!(stderr.contains(model), "the figures table lists {model}: {stderr}");
    }
    assert!(stderr.contains("1 epochs, best epoch 1,"), "the summary says it in words: {stderr}");
    assert!(!stderr.contains("Some("), "no debug text in the summary: {stderr}");
    let device = ladder_model::device::select("cpu").unwrap();
    let model = ladder_model::checkpoint::load(&out, &device).unwrap();
    assert_ne!(model.vocabs.items.get("fractions/meaning-001"), 0, "items are named pack/item");
    let meta = ladder_model::checkpoint::read_meta(&out).unwrap();
    assert!(meta.notes["data"].as_str().unwrap().contains("SIMULATED"));
    assert_eq!(meta.notes["packs"], serde_json::json!(["fractions", "spanish-a1"]));
    // Same seed, same bytes.
    let again = tmp.path().join("again");
    assert!(run(&again).status.success());
    for f in [ladder_model::checkpoint::WEIGHTS_FILE, ladder_model::checkpoint::CONFIG_FILE] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f} differs between two runs with the same seed"
        );
    }
}

#[test]
fn the_training_job_on_an_empty_data_dir_says_there_is_not_enough_data() {
    // Exit 1, not the 2 of a command that could not run: a script that trains every night
    // tells "nothing to learn from yet" from "the data directory or the model folder failed".
    let tmp = tempfile::tempdir().unwrap();
    // A store with no answers yet (a folder with no Ladder data at all is refused as such).
    drop(ladder_store::Store::open(tmp.path()).unwrap());
    let o = ladder()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["train", "--bundled"])
        .arg(tmp.path().join("no-such-model"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("not enough answers"), "{stdout}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("built-in"), "{stderr}");

    // A learner who is not there: the command could not run.
    let o = ladder()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["train", "--learner", "7", "--bundled"])
        .arg(tmp.path().join("no-such-model"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no learner with id 7"), "{stderr}");
}

#[test]
fn a_csv_run_that_keeps_no_epoch_leaves_the_previous_checkpoint_alone() {
    use ladder_model::checkpoint::{CONFIG_FILE, WEIGHTS_FILE};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let seqs = ladder_model::synth::generate(&ladder_model::synth::SynthSpec {
        learners: 30,
        min_len: 8,
        max_len: 12,
        items: 12,
        skills: 3,
        seed: 5,
    });
    ladder_model::synth::write_csv(&data, &seqs, 5).unwrap();
    let out = tmp.path().join("model");
    let train = |extra: &[&str]| {
        ladder()
            .args(["train", "--from-csv"])
            .arg(&data)
            .args(["--epochs", "1", "--batch-size", "4", "-o"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let good = train(&[]);
    let stderr = String::from_utf8_lossy(&good.stderr);
    assert!(good.status.success(), "{stderr}");
    // Not at a terminal (a log file, a pipe), the bar is hidden but the epoch lines are not:
    // they were printed through the hidden bar, and so not at all.
    assert!(stderr.contains("epoch 1: train loss"), "{stderr}");
    let before = [
        std::fs::read(out.join(WEIGHTS_FILE)).unwrap(),
        std::fs::read(out.join(CONFIG_FILE)).unwrap(),
    ];
    // Learning rates this large make the loss NaN within the first epoch.
    let bad = train(&["--lr", "1e6", "--item-lr", "1e6"]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("diverged") && stderr.contains("nothing saved"), "{stderr}");
    let after = [
        std::fs::read(out.join(WEIGHTS_FILE)).unwrap(),
        std::fs::read(out.join(CONFIG_FILE)).unwrap(),
    ];
    assert!(before == after, "the previous checkpoint was replaced by untrained weights");
    assert!(!out.join(format!("{WEIGHTS_FILE}.prev")).exists(), "nothing moved to .prev");
    // Learning rates of 0: no epoch does better than the untrained weights.
    let idle = train(&["--lr", "0", "--item-lr", "0"]);
    let stderr = String::from_utf8_lossy(&idle.stderr);
    assert_eq!(idle.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("untrained weights") && stderr.contains("nothing saved"), "{stderr}");
    assert!(std::fs::read(out.join(WEIGHTS_FILE)).unwrap() == before[0]);
    assert!(!out.join(format!("{WEIGHTS_FILE}.prev")).exists(), "nothing moved to .prev");
}

#[test]
fn the_device_job_refuses_a_csv_whose_items_are_of_no_installed_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("csv");
    let seqs = ladder_model::synth::generate(&ladder_model::synth::SynthSpec {
        learners: 20,
        min_len: 10,
        max_len: 12,
        items: 12,
        skills: 3,
        seed: 5,
    });
    ladder_model::synth::write_csv(&data, &seqs, 5).unwrap();
    let dir = tmp.path().join("ladder");
    let o = ladder()
        .arg("--data-dir")
        .arg(&dir)
        .args(["train", "--from-csv"])
        .arg(&data)
        .args(["--bundled"])
        .arg(tmp.path().join("no-such-model"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(stderr.contains("installed: none") && stderr.contains("-o MODEL_DIR"), "{stderr}");
    assert!(!dir.join("models").exists(), "no model was trained or registered");
}

#[test]
fn an_output_folder_that_cannot_be_written_is_refused_before_training() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    let out = file.join("model");
    let o = ladder()
        .args(["train", "--simulated", "--packs"])
        .arg(packs_dir())
        .args(["--students", "4", "--test-students", "2", "--answers", "10", "--epochs", "1", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot write the model to") && stderr.contains("a-file/model"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "nothing was simulated or trained first: {stderr}");
}

/// Starts `ladder train ARGS` and sends it Ctrl-C (SIGINT) once it has said `ready` on stderr;
/// returns its exit code and stderr.
#[cfg(unix)]
fn interrupt_when(args: &[&std::ffi::OsStr], ready: &str) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = ladder()
        .arg("train")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains(ready) {
        let n = stderr.read(&mut buf).unwrap();
        assert!(n > 0, "ended before `{ready}`: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    stderr.read_to_end(&mut seen).unwrap();
    let status = child.wait().unwrap();
    (status.code(), String::from_utf8_lossy(&seen).into_owned())
}

#[cfg(unix)]
#[test]
fn ctrl_c_in_simulated_pre_training_stops_it_and_keeps_the_folder_as_it_was() {
    // `--simulated -o` had no Ctrl-C handler: the run (6 minutes for models/default) died at
    // once with nothing said. It now stops after the current batch like `--from-csv -o`; with no
    // epoch kept yet, nothing is saved and the checkpoint already in the folder stays.
    use ladder_model::checkpoint::{CONFIG_FILE, WEIGHTS_FILE};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("model");
    let small = ladder()
        .args(["train", "--simulated", "--packs"])
        .arg(packs_dir())
        .args(["--students", "6", "--test-students", "2", "--answers", "20", "--epochs", "1"])
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(small.status.success(), "{}", String::from_utf8_lossy(&small.stderr));
    let before = [
        std::fs::read(out.join(WEIGHTS_FILE)).unwrap(),
        std::fs::read(out.join(CONFIG_FILE)).unwrap(),
    ];
    let packs = packs_dir();
    let args: Vec<&std::ffi::OsStr> = [
        "--simulated".as_ref(),
        "--packs".as_ref(),
        packs.as_os_str(),
        "--students".as_ref(),
        "500".as_ref(),
        "--answers".as_ref(),
        "120".as_ref(),
        "--epochs".as_ref(),
        "3".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]
    .to_vec();
    let (code, stderr) = interrupt_when(&args, "training on");
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("Ctrl-C") && stderr.contains("nothing saved"), "{stderr}");
    let after = [
        std::fs::read(out.join(WEIGHTS_FILE)).unwrap(),
        std::fs::read(out.join(CONFIG_FILE)).unwrap(),
    ];
    assert!(before == after, "the checkpoint in the folder changed");
    assert!(!out.join(format!("{WEIGHTS_FILE}.prev")).exists(), "nothing moved to .prev");
    assert!(!out.join(format!("{WEIGHTS_FILE}.tmp")).exists());
}

#[test]
fn a_run_that_saves_nothing_leaves_no_output_folder_it_created() {
    // A mistyped CSV (or -o without --from-csv or --simulated) failed, and the -o folder,
    // created up front to check it could be written, stayed behind empty.
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("csv");
    std::fs::create_dir(&csv).unwrap();
    std::fs::write(
        csv.join("interactions.csv"),
        "student_id,t,item_id,skill_ids,correct\ns1,0,q1,k1,yes\n",
    )
    .unwrap();
    let out = tmp.path().join("new").join("model");
    let o = ladder().args(["train", "--from-csv"]).arg(&csv).arg("-o").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interactions.csv:2"), "{stderr}");
    assert!(!tmp.path().join("new").exists(), "the folders made for -o stay: {stderr}");

    let o = ladder().args(["train", "-o"]).arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("-o needs --from-csv DIR or --simulated"), "{stderr}");
    assert!(!tmp.path().join("new").exists(), "the folders made for -o stay: {stderr}");

    // A folder that was there already stays, of course.
    std::fs::create_dir_all(&out).unwrap();
    let o = ladder().args(["train", "--from-csv"]).arg(&csv).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out.is_dir());
}

/// `train --from-csv` needs interactions.csv only: a folds.csv beside it that does not read (one
/// written for another tool, a fold that is not a number) no longer stops the run.
#[test]
fn a_broken_folds_file_beside_the_csv_does_not_stop_training() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let seqs = ladder_model::synth::generate(&ladder_model::synth::SynthSpec {
        learners: 20,
        min_len: 8,
        max_len: 10,
        items: 8,
        skills: 2,
        seed: 3,
    });
    ladder_model::synth::write_csv(&data, &seqs, 5).unwrap();
    std::fs::write(data.join("folds.csv"), "student_id,fold\nf0,x\n").unwrap();
    let out = tmp.path().join("model");
    let run = ladder()
        .args(["train", "--from-csv"])
        .arg(&data)
        .args(["--epochs", "1", "--batch-size", "4", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("folds.csv"), "{stderr}");
    assert!(out.join(ladder_model::checkpoint::WEIGHTS_FILE).is_file());
}

/// A data directory with Fractions installed and `learners` more learners who each answered
/// `answers` items, in the order and at the times simulated students would (seeded), but
/// guessing: right or wrong at random, which the default model (trained on students who
/// learn) does not expect, so that fine-tuning improves it.
fn history(dir: &Path, learners: usize, answers: usize, seed: u64) {
    use ladder_engine::{Engine, EngineOptions};
    use ladder_store::{Event, ItemRef, LearnerId, Store, Timestamp};
    let mut engine = Engine::open(dir, EngineOptions::default()).unwrap();
    if engine.course("fractions").is_err() {
        engine.install_pack(&packs_dir().join("fractions"), false).unwrap();
    }
    let course = engine.course("fractions").unwrap().course.clone();
    let start = engine.list_learners().unwrap().len();
    let ids: Vec<LearnerId> = (0..learners)
        .map(|k| LearnerId(engine.add_learner(&format!("learner {}", start + k)).unwrap().id))
        .collect();
    drop(engine);
    let histories =
        ladder_engine::sim::model_student::simulated_attempts(&course, learners, answers, seed);
    let mut store = Store::open(dir).unwrap();
    let mut coin = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    store
        .transact(|tx| {
            for (l, attempts) in ids.iter().zip(&histories) {
                for a in attempts {
                    coin ^= coin << 13;
                    coin ^= coin >> 7;
                    coin ^= coin << 17;
                    let ev = Event::Answer {
                        item: ItemRef::new("fractions", course.items[a.item].id.to_string()),
                        response: serde_json::json!("x"),
                        correct: coin.is_multiple_of(2),
                        score: None,
                        blanks: None,
                        latency_ms: u64::from(a.latency_ms),
                        hint_level: 0,
                        predicted: None,
                    };
                    tx.append_event_at(*l, None, Timestamp(a.at * 1000), &ev)?;
                }
            }
            Ok(())
        })
        .unwrap();
}

/// `ladder --data-dir DIR train ARGS`, starting from the repository's default model.
fn job(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = ladder()
        .arg("--data-dir")
        .arg(dir)
        .arg("train")
        .args(args)
        .args(["--bundled"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    (o.status.code(), out, String::from_utf8_lossy(&o.stderr).into_owned())
}

fn folders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn training_again_with_no_new_answers_says_so_and_changes_nothing() {
    // Each `ladder train` on the same answers made and registered a "better" model, and kept
    // its folder forever.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    history(&dir, 6, 60, 3);
    let device = dir.join("models").join("device");
    let (code, out, err) = job(&dir, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("new model 1 active"), "{out}{err}");
    assert!(
        err.contains("6 sequences, 288 answers to train on, 36 held back to choose the epoch and 36 to compare the models"),
        "{err}"
    );

    for _ in 0..2 {
        let (code, out, err) = job(&dir, &[]);
        assert_eq!(code, Some(0), "{out}{err}");
        assert!(
            out.contains("no new answers since model 1 was trained (on 288 answers, at "),
            "{out}"
        );
        assert!(out.contains("the model in use is unchanged"), "{out}");
        assert!(err.contains("--force"), "{err}");
        assert!(!err.contains("epoch 1"), "it trained: {err}");
        assert_eq!(folders(&device), ["0001"]);
    }

    // --force trains; whatever it decides, the registry and the folders agree.
    let (code, out, err) = job(&dir, &["--force"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(err.contains("epoch 1"), "{err}");
    assert!(!out.contains("no new answers"), "{out}");

    // New answers (a new learner): the job trains again.
    history(&dir, 2, 60, 4);
    let (code, out, err) = job(&dir, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(err.contains("8 sequences"), "{err}");
    assert!(!out.contains("no new answers"), "{out}");
    // It trains on what is new to the model in use (the new learners' answers) and says so.
    let line = err.lines().find(|l| l.contains("answers to train on")).expect(&err);
    let number = |after: &str| -> usize {
        let rest = &line[line.find(after).expect(line) + after.len()..];
        rest.split_whitespace().next().unwrap().parse().expect(line)
    };
    let train: usize = line.split(", ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let new = number("answers to train on (");
    assert!(new > 0 && new < train, "{line}");
    assert!(
        line.contains("new to the model it starts from, with a replay of older ones"),
        "{line}"
    );
}

#[test]
fn old_model_versions_are_removed_and_the_registry_agrees_with_the_folders() {
    // The models folder grew by ~110 KB with every kept version, forever.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let device = dir.join("models").join("device");
    let mut made = Vec::new();
    for round in 0..6 {
        history(&dir, 2, 60, 10 + round);
        let (code, out, err) = job(&dir, &[]);
        assert_eq!(code, Some(0), "{out}{err}");
        if let Some(rest) = out.strip_prefix("new model ") {
            made.push(rest.split(' ').next().unwrap().to_string());
            if made.len() > 3 {
                assert!(err.contains("removed 1 older model version(s): models/device/"), "{err}");
            }
        }
    }
    assert!(made.len() >= 4, "too few rounds made a model to see any removed: {made:?}");
    let kept = folders(&device);
    assert_eq!(kept.len(), 3, "the newest three stay: {kept:?}");
    // The registry names exactly the folders there are, the active one among them.
    let store = ladder_store::Store::open(&dir).unwrap();
    let versions = store.read(|tx| tx.model_versions(ladder_store::ModelScope::Device)).unwrap();
    let mut named: Vec<String> = versions
        .iter()
        .map(|v| v.checkpoint.trim_start_matches("models/device/").to_string())
        .collect();
    named.sort();
    assert_eq!(named, folders(&device));
    let active = versions.iter().find(|v| v.active).unwrap();
    assert_eq!(active.id.0.to_string(), *made.last().unwrap());
    // What `ladder db check` says of the data directory afterwards.
    let o = ladder().arg("--data-dir").arg(&dir).args(["db", "check"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn rollback_goes_back_to_the_version_before_and_then_to_the_bundled_model() {
    // The docs promised the previous version was kept for a rollback; no command offered one.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    history(&dir, 6, 60, 3);
    let (code, out, err) = job(&dir, &["--rollback"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("no fine-tuned model is in use for the device: nothing to roll back"),
        "{err}"
    );
    assert!(job(&dir, &[]).1.contains("new model 1 active"));
    history(&dir, 2, 60, 4);
    let (_, out, err) = job(&dir, &[]);
    assert!(out.contains("new model 2 active"), "{out}{err}");

    let (code, out, err) = job(&dir, &["--rollback"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains(
            "rolled back the device from model 2 (models/device/0002): model 1 \
             (models/device/0001) is in use again"
        ),
        "{out}"
    );
    let (code, out, _) = job(&dir, &["--rollback"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("from model 1 (models/device/0001): the bundled default model runs again"),
        "{out}"
    );
    // Nothing was deleted, and flags that a rollback does not read are refused.
    assert_eq!(folders(&dir.join("models").join("device")), ["0001", "0002"]);
    let (code, _, err) = job(&dir, &["--rollback", "--force"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--force"), "{err}");
    let (code, _, err) = job(&dir, &["--rollback", "--seed", "9"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--seed would not be used: --rollback trains nothing"), "{err}");
}

#[test]
fn a_learner_deleted_with_ladder_learner_delete_leaves_the_model_at_once() {
    // `ladder learner delete` erased the learner's answers, but `ladder train` went on
    // fine-tuning the model that had learnt from them, and a rollback could bring it back; then
    // the model stayed until the next `ladder train` while the deletion said "0 checkpoint(s)
    // deleted".
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    history(&dir, 6, 60, 3);
    let (code, out, err) = job(&dir, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("new model 1 active"), "{out}{err}");
    let o = ladder()
        .arg("--data-dir")
        .arg(&dir)
        .args(["learner", "delete", "#1", "--yes"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        said.contains(
            "model version(s) 1 learnt from the answers of learner 1, deleted since: set aside, \
             their checkpoints deleted; the device runs the bundled default model instead of \
             model 1; the next training job trains without their answers"
        ),
        "{said}"
    );
    let kept: Vec<String> = folders(&dir.join("models").join("device"));
    assert!(!kept.contains(&"0001".to_string()), "{kept:?}");
    // The deletion's own count says so too: it said "0 checkpoint(s) deleted" above the line
    // that said the checkpoint was deleted.
    assert!(said.contains(" export(s) and 1 checkpoint(s) deleted"), "{said}");

    let (code, out, err) = job(&dir, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    // Said once, by the deletion: the job has nothing more to set aside.
    assert!(!err.contains("set aside"), "{err}");
    assert!(err.contains("started from: bundled default model"), "{err}");
    assert!(err.contains("5 sequences"), "{err}");
    assert!(!out.contains("no new answers"), "{out}");
}

#[test]
fn a_learner_named_instead_of_numbered_is_told_to_give_the_id() {
    // `ladder learner delete Ana` takes a name, so a tutor tries `ladder train --learner Ana`:
    // it said only "invalid digit found in string".
    let tmp = tempfile::tempdir().unwrap();
    for args in [&["--learner", "Ana"][..], &["--rollback", "--learner", "Ana"][..]] {
        let (code, _, err) = job(tmp.path(), args);
        assert_eq!(code, Some(2), "{err}");
        assert!(
            err.contains(
                "a learner is given by id, a whole number (`ladder learner list` shows each \
                 learner's), not \"Ana\""
            ),
            "{err}"
        );
        assert!(!err.contains("invalid digit"), "{err}");
    }
}
