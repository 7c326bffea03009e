//! `ladder eval` as a researcher runs it on an interaction CSV of their own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::path::Path;
use std::process::{Command, Output};

use ladder_model::synth::{generate, write_csv, SynthSpec};

fn ladder() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
}

/// 30 synthetic learners in 3 folds under `dir`.
fn write_data(dir: &Path) {
    let seqs = generate(&SynthSpec {
        learners: 30,
        min_len: 8,
        max_len: 12,
        items: 12,
        skills: 3,
        seed: 5,
    });
    write_csv(dir, &seqs, 3).unwrap();
}

fn eval(dir: &Path, extra: &[&str]) -> Output {
    ladder().args(["eval", "--model", "bkt", "--data"]).arg(dir).args(extra).output().unwrap()
}

#[test]
fn a_json_report_that_cannot_be_written_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    write_data(tmp.path());
    let bad = tmp.path().join("no-such-folder/report.json");
    let o = eval(tmp.path(), &["--json", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(stderr.contains("no-such-folder/report.json"), "names the file: {stderr}");
    assert!(!stderr.contains("fold 1"), "nothing was trained first: {stderr}");
    assert!(o.stdout.is_empty(), "no table: {}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn the_json_report_is_written_and_a_failed_run_leaves_no_empty_file() {
    let tmp = tempfile::tempdir().unwrap();
    write_data(tmp.path());
    let json = tmp.path().join("report.json");
    let o = eval(tmp.path(), &["--json", json.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["folds"].as_array().unwrap().len(), 3);
    // A run that fails after the file was opened (fold 9 is not in the data) removes it.
    let failed = tmp.path().join("failed.json");
    let o = eval(tmp.path(), &["--folds", "9", "--json", failed.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(!failed.exists(), "an empty report was left behind");
    // ... and leaves an earlier report as it was.
    let before = std::fs::read(&json).unwrap();
    let o = eval(tmp.path(), &["--folds", "9", "--json", json.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_eq!(std::fs::read(&json).unwrap(), before);
}

/// A folds.csv that is only a header was reported as "no folds.csv", sending the user to look
/// for a file that is there.
#[test]
fn a_folds_csv_with_only_a_header_is_named_as_listing_no_learners() {
    let tmp = tempfile::tempdir().unwrap();
    write_data(tmp.path());
    std::fs::write(tmp.path().join("folds.csv"), "student_id,fold\n").unwrap();
    let o = eval(tmp.path(), &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("folds.csv") && stderr.contains("lists no learners"), "{stderr}");
    std::fs::remove_file(tmp.path().join("folds.csv")).unwrap();
    let o = eval(tmp.path(), &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("no folds.csv"), "{stderr}");
}

/// Values no run can use were taken without a word: `--ensemble 0` ran one model, a batch of 0
/// ran batches of 1, a learning rate of NaN or below 0 trained to a "diverged" warning per fold,
/// `--item-prior NaN` was ignored. They are refused when the command line is read.
#[test]
fn flags_with_values_no_run_can_use_are_refused_before_reading_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    for (flag, what) in [
        ("--ensemble=0", "at least 1"),
        ("--batch-size=0", "at least 1"),
        ("--lr=NaN", "not a learning rate"),
        ("--lr=-0.001", "not a learning rate"),
        ("--item-lr=inf", "not a learning rate"),
        ("--bias-lr=-1", "not a learning rate"),
        ("--personalise-lr=NaN", "not a learning rate"),
        ("--lr-decay=0", "not a decay factor"),
        ("--item-prior=NaN", "not a number of pseudo-answers"),
        ("--item-prior=-3", "not a number of pseudo-answers"),
        ("--personalise-epochs=0", "at least 1"),
        ("--personalise-learners=0", "at least 1"),
    ] {
        // The folder does not exist: the flag must be refused before anything is read.
        let o = ladder()
            .args(["eval", "--model", "transformer", "--data"])
            .arg(tmp.path().join("absent"))
            .arg(flag)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{flag}: {stderr}");
        assert!(stderr.contains(what) && !stderr.contains("absent"), "{flag}: {stderr}");
    }
}

/// `--json DIR/interactions.csv` (a slip of tab completion) replaced the data with the report.
#[test]
fn a_json_report_is_never_written_over_the_data_it_evaluates() {
    let tmp = tempfile::tempdir().unwrap();
    write_data(tmp.path());
    for name in ["interactions.csv", "folds.csv"] {
        let input = tmp.path().join(name);
        let before = std::fs::read(&input).unwrap();
        // The same file by another spelling of its path.
        let spelled = tmp.path().join(".").join(name);
        let o = eval(tmp.path(), &["--json", spelled.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{name}: {stderr}");
        assert!(stderr.contains(name) && stderr.contains("would overwrite"), "{stderr}");
        assert!(o.stdout.is_empty(), "refused before the run");
        assert_eq!(std::fs::read(&input).unwrap(), before, "{name} was changed");
    }
}

/// The help said `--max-students N` takes "the first N learners of the file", which on a file
/// sorted by fold would be one fold; it takes N/k of each of the k folds.
#[test]
fn the_help_says_what_max_students_and_personalise_take() {
    let o = ladder().args(["eval", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(!help.contains("first N learners of the file"), "{help}");
    assert!(help.contains("N/k learners of each of the k folds"), "{help}");
    assert!(help.contains("at least 20 answers"), "{help}");
}

/// Data as people have it, all in one file: Unicode and numeric-looking ids with leading zeros
/// (`007` and `7` are two learners), learners with one answer, items without skills, a skill
/// on every item, a repeated skill, quoted fields with commas, CRLF, a byte-order mark, rows of
/// empty cells, TRUE/FALSE, a `t` near the top of its range, optional columns with empty cells,
/// zeros, huge values and timestamps out of order, and ten folds numbered 0 to 9. The run
/// succeeds, every figure is sane, and the JSON holds what the table shows.
#[test]
fn odd_but_valid_data_runs_and_the_json_matches_the_table() {
    let tmp = tempfile::tempdir().unwrap();
    let ids = ["007", "7", "学生-é", "\"a,b\"", "x".repeat(300).leak(), "0"];
    let mut rows = String::from(
        "\u{feff}student_id,t,item_id,skill_ids,correct,hints,latency_ms,timestamp\r\n",
    );
    let mut folds = String::from("student_id,fold\r\n");
    for i in 0..40usize {
        let id = ids.get(i).map(|s| s.to_string()).unwrap_or(format!("s{i:03}"));
        folds += &format!("{id},{}\r\n", i % 10);
        let n = if i % 7 == 0 { 1 } else { 3 + i % 9 };
        for t in 0..n {
            let item = ["00123", "123", "ítem-😀", "\"q,1\"", "plain"][(i + t) % 5];
            let skills = ["", "all", "all;k1", "\" all ; k2 ;all\""][(i * 3 + t) % 4];
            let y = if i % 5 == 0 { "TRUE" } else { ["0", "1", "FALSE", "1.0"][(i + 2 * t) % 4] };
            let hints = ["", "0", "2", "999999999999"][t % 4];
            let latency = ["", "0", "1500", "1e12"][(t + i) % 4];
            let stamp = ["", "100", "100", "50", "-3"][t % 5];
            let big = i64::MAX - 100 + t as i64;
            rows += &format!("{id},{big},{item},{skills},{y},{hints},{latency},{stamp}\r\n");
        }
    }
    rows += ",,,,,,,\r\n";
    std::fs::write(tmp.path().join("interactions.csv"), rows).unwrap();
    std::fs::write(tmp.path().join("folds.csv"), folds).unwrap();
    let json = tmp.path().join("report.json");
    let o = ladder()
        .args(["eval", "--model", "bkt,pfa", "--data"])
        .arg(tmp.path())
        .args(["--json", json.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let table = String::from_utf8_lossy(&o.stdout);
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["students"], 40);
    let folds = report["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 20, "ten folds, two models");
    for f in folds {
        let m = &f["metrics"];
        match m["auc"].as_f64() {
            Some(auc) => assert!((0.0..=1.0).contains(&auc), "{f}"),
            None => assert!(m["auc"].is_null(), "{f}"),
        }
        for k in ["accuracy", "log_loss", "rmse", "ece"] {
            let x = m[k].as_f64().unwrap_or(f64::NAN);
            assert!(x.is_finite() && x >= 0.0, "{k} in {f}");
        }
        // The table's row for this fold and model shows the same figures.
        let (model, fold) = (f["model"].as_str().unwrap(), f["fold"].as_u64().unwrap());
        let row = table
            .lines()
            .find(|l| l.split_whitespace().take(2).eq([model, fold.to_string().as_str()]))
            .unwrap_or_else(|| panic!("no row for {model} {fold}: {table}"));
        let log_loss = format!("{:.4}", m["log_loss"].as_f64().unwrap());
        assert!(row.contains(&log_loss), "{row} vs {f}");
    }
}
