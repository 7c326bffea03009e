//! Simulated students through real engine operations on a temporary store.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};

use ladder_engine::sim::run::{run, table, SimConfig};
use ladder_engine::sim::students::Family;
use ladder_engine::PolicyKind;

fn fractions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions")
}

/// Three students per cell, 60 items each, post-test after 20, one thread.
fn small_run(scratch: &Path) -> SimConfig {
    let mut cfg = SimConfig::new(&fractions(), scratch);
    cfg.students = 3;
    cfg.max_items = 60;
    cfg.post_test_after = 20;
    cfg.threads = 1;
    cfg
}

#[test]
fn a_small_run_reports_every_cell_from_the_hidden_truth() {
    let scratch = tempfile::tempdir().unwrap();
    let cfg = small_run(scratch.path());
    let r = run(&cfg).unwrap();
    assert_eq!(r.cells.len(), 2 * PolicyKind::ALL.len());
    assert_eq!(r.pack, "fractions");
    for c in &r.cells {
        assert_eq!(c.items_to_mastery.n, 3);
        assert!(c.items_to_mastery.mean <= 60.0);
        assert!((0.0..=1.0).contains(&c.post_test_accuracy.mean), "{c:?}");
        assert!((0.0..=1.0).contains(&c.skills_mastered.mean));
    }
    assert_eq!(r.goals.len(), 2);
    let t = table(&r);
    assert!(t.contains("| bkt | adaptive |") && t.contains("| logistic | random |"), "{t}");
}

/// The ordering the 200-student runs in docs/model.md measure, on a few students: the adaptive
/// policy gets the same students to mastery of the whole pack in fewer items than the pack's
/// fixed order (46% and 32% fewer at 200 students), and gets at least as many of them there.
#[test]
fn adaptive_order_needs_fewer_items_than_the_fixed_order() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cfg = SimConfig::new(&fractions(), scratch.path());
    cfg.students = 12;
    cfg.policies = vec![PolicyKind::Adaptive, PolicyKind::FixedOrder];
    let r = run(&cfg).unwrap();
    for family in ["bkt", "logistic"] {
        let cell = |p: PolicyKind| {
            r.cells.iter().find(|c| c.family.name() == family && c.policy == p).unwrap()
        };
        let (a, f) = (cell(PolicyKind::Adaptive), cell(PolicyKind::FixedOrder));
        assert!(
            a.items_to_mastery.mean < 0.85 * f.items_to_mastery.mean,
            "{family}: adaptive {:?} vs fixed order {:?}",
            a.items_to_mastery,
            f.items_to_mastery
        );
        assert!(a.reached_mastery >= f.reached_mastery, "{family}: {a:?} vs {f:?}");
    }
}

/// `predictor_model`: the adaptive policy asks a trained checkpoint (here the model the app
/// ships) instead of the built-in predictor; the baselines keep theirs, so their cells do not
/// move.
#[test]
fn the_adaptive_policy_can_ask_a_trained_model_and_the_baselines_stay_the_same() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cfg = small_run(scratch.path());
    cfg.families = vec![Family::Logistic];
    cfg.policies = vec![PolicyKind::Adaptive, PolicyKind::BktMastery];
    let plain = run(&cfg).unwrap();
    cfg.predictor_model = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default"));
    let with_model = run(&cfg).unwrap();
    assert_eq!(plain.predictor, "online-logistic");
    assert_eq!(with_model.predictor, "transformer");
    let cell = |r: &ladder_engine::sim::run::SimReport, p: PolicyKind| {
        r.cells.iter().find(|c| c.policy == p).unwrap().clone()
    };
    let (a, b) = (cell(&plain, PolicyKind::BktMastery), cell(&with_model, PolicyKind::BktMastery));
    assert_eq!(a.items_to_mastery, b.items_to_mastery);
    assert_eq!(a.post_test_accuracy, b.post_test_accuracy);
    assert_eq!(a.wheel_spinning, b.wheel_spinning);
    let adaptive = cell(&with_model, PolicyKind::Adaptive);
    assert_eq!(adaptive.items_to_mastery.n, 3);
    assert!((0.0..=1.0).contains(&adaptive.post_test_accuracy.mean), "{adaptive:?}");
}

/// Students who do not learn (`guessing`: right at a chance of their own, whatever the
/// question): nothing teaches them, so none reaches mastery and the table says so instead of
/// the cap counted for each; their run stops at the post-test. What they measure is the last
/// column, skills the engine showed as mastered that the hidden state had not: for them every
/// skill shown mastered counts. Every cell has the column, the learning families' too.
#[test]
fn students_who_do_not_learn_measure_what_the_engine_shows_as_mastered() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cfg = small_run(scratch.path());
    cfg.families = vec![Family::Guessing, Family::Logistic];
    cfg.policies = vec![PolicyKind::Adaptive];
    cfg.predictor_model = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default"));
    let r = run(&cfg).unwrap();
    let cell = |f: Family| r.cells.iter().find(|c| c.family == f).unwrap();
    let g = cell(Family::Guessing);
    assert_eq!(g.reached_mastery, 0.0, "{g:?}");
    assert_eq!(g.skills_mastered.mean, 0.0, "{g:?}");
    assert!(g.post_test_accuracy.mean > 0.2 && g.post_test_accuracy.mean < 0.8, "{g:?}");
    let shown = g.shown_not_truly.unwrap();
    assert_eq!(shown.n, 3);
    let skills = 10.0; // the Fractions pack's skills
    assert!((0.0..=skills).contains(&shown.mean), "{shown:?}");
    assert_eq!(cell(Family::Logistic).shown_not_truly.unwrap().n, 3);
    let t = table(&r);
    assert!(t.contains("| guessing | adaptive | – (does not learn) | 0% |"), "{t}");
    assert!(t.contains("shown mastered, not truly |"), "{t}");
    let json: ladder_engine::sim::run::SimReport =
        serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(json.cells[0].shown_not_truly, r.cells[0].shown_not_truly);

    // The column counts what the engine shows: an engine that calls every skill mastered at
    // once shows a guesser all ten, one that never does none.
    cfg.families = vec![Family::Guessing];
    cfg.predictor_model = None;
    for (threshold, shown) in [(0.0, skills), (1.01, 0.0)] {
        cfg.settings.mastery_threshold = threshold;
        cfg.settings.review_threshold = threshold;
        cfg.settings.unlock_threshold = threshold.min(1.0);
        cfg.settings.prerequisite_threshold = 0.0;
        cfg.settings.mastery_min_answers = 0;
        cfg.settings.mastery_recent_share = 0.0;
        cfg.settings.mastery_max_sd = 1.0;
        let r = run(&cfg).unwrap();
        assert_eq!(r.cells[0].shown_not_truly.unwrap().mean, shown, "threshold {threshold}");
    }
}

/// The oracle (a diagnostic that reads the hidden state) runs next to the policies, is named
/// in the report, and on BKT-like students, who forget nothing, never spends an item on skills
/// that are all known already.
#[test]
fn the_oracle_spends_no_item_on_known_skills_of_bkt_students() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cfg = small_run(scratch.path());
    cfg.families = vec![Family::Bkt];
    cfg.policies = vec![PolicyKind::FixedOrder];
    cfg.oracle = true;
    let r = run(&cfg).unwrap();
    let oracle = r.cells.iter().find(|c| c.policy.name() == "oracle").unwrap();
    assert_eq!(oracle.items_to_mastery.n, 3);
    assert_eq!(oracle.items_on_mastered.unwrap().mean, 0.0, "{oracle:?}");
    let fixed = r.cells.iter().find(|c| c.policy == PolicyKind::FixedOrder).unwrap();
    assert!(fixed.items_on_mastered.unwrap().mean > 0.0, "{fixed:?}");
    assert!(table(&r).contains("| bkt | oracle |"));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["cells"][1]["policy"], "oracle");
}

/// The informed diagnostic (told each `bkt` student's parameters, not its state) has a cell on
/// the `bkt` family only, is named in the report, and lands where its information puts it: fewer
/// items than the pack's fixed order, more than the oracle, which reads the state itself.
#[test]
fn the_informed_diagnostic_runs_on_bkt_only_between_the_oracle_and_the_fixed_order() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cfg = small_run(scratch.path());
    cfg.students = 1;
    cfg.max_items = 5;
    cfg.post_test_after = 5;
    cfg.families = vec![Family::Bkt, Family::Logistic];
    cfg.policies = vec![];
    cfg.informed = Some(ladder_engine::sim::informed::DEFAULT_GATE);
    let r = run(&cfg).unwrap();
    assert_eq!(r.cells.len(), 1, "{:?}", r.cells);
    assert_eq!((r.cells[0].family, r.cells[0].policy.name()), (Family::Bkt, "informed"));

    let mut cfg = SimConfig::new(&fractions(), scratch.path());
    cfg.students = 8;
    cfg.families = vec![Family::Bkt];
    cfg.policies = vec![PolicyKind::FixedOrder];
    cfg.oracle = true;
    cfg.informed = Some(ladder_engine::sim::informed::DEFAULT_GATE);
    let r = run(&cfg).unwrap();
    let bkt = |name: &str| {
        r.cells.iter().find(|c| c.family == Family::Bkt && c.policy.name() == name).unwrap()
    };
    let (i, o, f) = (bkt("informed"), bkt("oracle"), bkt("fixed-order"));
    assert!(
        o.items_to_mastery.mean < i.items_to_mastery.mean
            && i.items_to_mastery.mean < f.items_to_mastery.mean,
        "oracle {:?}, informed {:?}, fixed order {:?}",
        o.items_to_mastery,
        i.items_to_mastery,
        f.items_to_mastery
    );
    assert!(table(&r).contains("| bkt | informed |"));
}

#[test]
fn a_run_that_would_never_end_or_never_measure_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let base = || small_run(scratch.path());
    type Change = Box<dyn Fn(&mut SimConfig)>;
    let cases: [(&str, Change); 6] = [
        ("session_items", Box::new(|c| c.session_items = 0)),
        ("max_items", Box::new(|c| c.max_items = 0)),
        ("post_test_after is 61", Box::new(|c| c.post_test_after = 61)),
        ("post_test_after is 0", Box::new(|c| c.post_test_after = 0)),
        ("students", Box::new(|c| c.students = 0)),
        (
            "bkt family only",
            Box::new(|c| {
                c.families = vec![Family::Logistic];
                c.informed = Some(ladder_engine::sim::informed::DEFAULT_GATE);
            }),
        ),
    ];
    for (what, change) in cases {
        let mut cfg = base();
        change(&mut cfg);
        let e = run(&cfg).expect_err(what).to_string();
        assert!(e.contains(what), "{what}: {e}");
    }
    let mut cfg = base();
    cfg.families.clear();
    assert!(run(&cfg).is_err(), "no family");
}
