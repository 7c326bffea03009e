//! `ladder simulate` as a researcher runs it: mistakes in the arguments fail before the run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};
use std::process::Command;

fn fractions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions")
}

fn simulate(extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["simulate", "--pack"])
        .arg(fractions())
        .args(["--students", "1", "--families", "logistic", "--policies", "random"])
        .args(["--max-items", "5", "--post-test-after", "5", "--threads", "1"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_json_report_that_cannot_be_written_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("no-such-folder/sim.json");
    let o = simulate(&["--json", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(stderr.contains("no-such-folder/sim.json"), "{stderr}");
    assert!(!stderr.contains("student 1 of 1"), "the students ran first: {stderr}");
    // A writable path gets the report.
    let good = tmp.path().join("sim.json");
    let o = simulate(&["--json", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    assert_eq!(report["students"], 1);
}

#[test]
fn a_run_that_would_never_end_is_refused() {
    let o = simulate(&["--session-items", "0"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && stderr.contains("session_items"), "{stderr}");
}
