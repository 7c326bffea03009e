//! The evaluation protocol on data sets other than the one it was developed on: folds numbered
//! differently, folds asked for that the data does not have, degenerate test folds.

use ladder_model::data::{load_dir, CsvData};
use ladder_model::eval::{cross_validate, EvalOptions, EvalReport, ModelKind};
use ladder_model::model::ModelConfig;
use ladder_model::synth::{generate, SynthSpec};
use ladder_model::train::TrainSettings;

/// 30 synthetic learners, assigned round-robin to the folds `first..first + n`.
fn data(first: u32, n: u32) -> CsvData {
    let sequences = generate(&SynthSpec {
        learners: 30,
        min_len: 8,
        max_len: 12,
        items: 12,
        skills: 3,
        seed: 3,
    });
    let folds = sequences
        .iter()
        .enumerate()
        .map(|(i, s)| (s.learner_id.clone(), first + i as u32 % n))
        .collect();
    CsvData { sequences, folds }
}

fn bkt_only(folds: Vec<u32>) -> EvalOptions {
    EvalOptions { models: vec![ModelKind::Bkt], folds, ..Default::default() }
}

#[test]
fn by_default_every_fold_of_folds_csv_is_tested_whatever_its_numbers() {
    // pyKT numbers its five folds 0 to 4; another data set may have ten.
    for (first, n) in [(0, 5), (1, 10), (7, 2)] {
        let d = data(first, n);
        let report = cross_validate(&d, &bkt_only(Vec::new()), &mut |_| {}).expect("eval");
        let tested: Vec<u32> = report.folds.iter().map(|f| f.fold).collect();
        assert_eq!(tested, (first..first + n).collect::<Vec<_>>());
    }
}

#[test]
fn a_fold_the_data_does_not_have_is_refused_before_anything_is_trained() {
    let d = data(0, 5);
    let mut lines = Vec::new();
    let e = cross_validate(&d, &bkt_only(vec![1, 2, 3, 4, 5]), &mut |l| lines.push(l.to_string()))
        .expect_err("fold 5 is not there")
        .to_string();
    assert!(e.contains("fold 5") && e.contains("0, 1, 2, 3, 4"), "{e}");
    assert!(lines.is_empty(), "folds 1 to 4 ran before the error: {lines:#?}");
}

#[test]
fn a_fold_asked_for_twice_is_refused() {
    let e = cross_validate(&data(1, 5), &bkt_only(vec![1, 1]), &mut |_| {})
        .expect_err("fold 1 twice")
        .to_string();
    assert!(e.contains("fold 1") && e.contains("twice"), "{e}");
}

#[test]
fn one_fold_alone_leaves_nothing_to_train_on_and_says_so_up_front() {
    let e = cross_validate(&data(1, 1), &bkt_only(Vec::new()), &mut |_| {})
        .expect_err("one fold")
        .to_string();
    assert!(e.contains("at least two folds"), "{e}");
}

#[test]
fn a_test_fold_with_one_class_of_answers_has_no_auc_rather_than_one_of_a_half() {
    // Every answer of fold 1's learners is correct: no ranking to measure.
    let mut d = data(1, 2);
    for s in &mut d.sequences {
        if d.folds[&s.learner_id] == 1 {
            s.events.iter_mut().for_each(|e| e.correct = true);
        }
    }
    let opts = EvalOptions { models: vec![ModelKind::Bkt, ModelKind::Pfa], ..Default::default() };
    let mut lines = Vec::new();
    let report = cross_validate(&d, &opts, &mut |l| lines.push(l.to_string())).expect("eval");
    for f in &report.folds {
        assert_eq!(f.metrics.auc.is_nan(), f.fold == 1, "{:?} fold {}", f.model, f.fold);
        assert!(f.metrics.log_loss.is_finite() && f.metrics.accuracy.is_finite());
    }
    assert!(
        lines.iter().any(|l| l.contains("fold 1") && l.contains("AUC is undefined")),
        "{lines:#?}"
    );
    assert!(report.table().contains("NaN"), "{}", report.table());
    // The JSON report has `null` there and reads back.
    let json = serde_json::to_string(&report).expect("json");
    assert!(json.contains("\"auc\":null"), "{json}");
    let back: EvalReport = serde_json::from_str(&json).expect("reads back");
    assert!(back.folds[0].metrics.auc.is_nan());
    let fold2 = report.folds.iter().position(|f| f.fold == 2).expect("fold 2");
    assert_eq!(back.folds[fold2].metrics.auc, report.folds[fold2].metrics.auc);
    assert!(back.summary[0].auc.0.is_nan(), "the mean over folds is undefined too");
    assert_eq!(back.summary[0].log_loss, report.summary[0].log_loss);
}

#[test]
fn a_transformer_whose_training_diverged_is_reported_as_such() {
    let d = data(1, 2);
    let tiny = ModelConfig { d_model: 8, n_heads: 2, d_ff: 16, max_len: 16, ..Default::default() };
    let run = |training: TrainSettings| {
        let opts = EvalOptions {
            models: vec![ModelKind::Transformer],
            folds: vec![1],
            config: tiny.clone(),
            training,
            ..Default::default()
        };
        let mut lines = Vec::new();
        cross_validate(&d, &opts, &mut |l| lines.push(l.to_string())).expect("eval");
        lines
    };
    // Rates this large make the loss NaN within the first epoch.
    let huge = TrainSettings {
        epochs: 2,
        batch_size: 2,
        learning_rate: 1e6,
        item_learning_rate: 1e6,
        ..Default::default()
    };
    let lines = run(huge);
    let warning = lines.iter().find(|l| l.contains("WARNING")).expect("a warning");
    assert!(warning.contains("diverged") && warning.contains("UNTRAINED"), "{lines:#?}");
    // Rates of 0: nothing moves, no epoch is kept.
    let idle = TrainSettings {
        epochs: 1,
        learning_rate: 0.0,
        item_learning_rate: 0.0,
        ..Default::default()
    };
    let lines = run(idle);
    assert!(lines.iter().any(|l| l.contains("WARNING") && l.contains("UNTRAINED")), "{lines:#?}");
    // A normal run has no warning.
    let lines = run(TrainSettings { epochs: 1, ..Default::default() });
    assert!(!lines.iter().any(|l| l.contains("WARNING")), "{lines:#?}");
}

#[test]
fn learners_missing_from_folds_csv_are_counted_and_named() {
    let mut d = data(1, 3);
    for s in d.sequences.iter().take(7) {
        d.folds.remove(&s.learner_id);
    }
    let e = cross_validate(&d, &bkt_only(Vec::new()), &mut |_| {})
        .expect_err("missing folds")
        .to_string();
    assert!(e.contains("7 of the 30 learners") && e.contains("no fold in folds.csv"), "{e}");
    assert!(e.contains(&d.sequences[0].learner_id), "{e}");
    // One alone is named as one ("1 of the 30 learners ... have no fold").
    let mut d = data(1, 3);
    d.folds.remove(&d.sequences[4].learner_id);
    let e = cross_validate(&d, &bkt_only(Vec::new()), &mut |_| {}).expect_err("one").to_string();
    let who = &d.sequences[4].learner_id;
    assert!(e.contains(&format!("learner {who} of interactions.csv has no fold")), "{e}");
}

/// A run of one test fold has a mean per metric but no spread: the table says so instead of
/// printing ±0, and the JSON has `null` for the sd.
#[test]
fn one_test_fold_has_no_standard_deviation() {
    let report = cross_validate(&data(1, 3), &bkt_only(vec![2]), &mut |_| {}).expect("eval");
    assert_eq!(report.summary[0].folds, 1);
    assert!(report.summary[0].log_loss.1.is_nan());
    let table = report.table();
    assert!(table.contains("(1 fold, no sd)") && !table.contains("±0.0000"), "{table}");
    let json = serde_json::to_string(&report).expect("json");
    let back: EvalReport = serde_json::from_str(&json).expect("reads back");
    assert!(back.summary[0].log_loss.1.is_nan());
    assert_eq!(back.summary[0].log_loss.0, report.summary[0].log_loss.0);
}

fn write_dir(interactions: &str, folds: Option<&str>) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("interactions.csv"), interactions).expect("write");
    if let Some(f) = folds {
        std::fs::write(d.path().join("folds.csv"), f).expect("write");
    }
    d
}

/// A spreadsheet saves the cells it ever formatted: rows of empty cells (`,,,,`) after the data,
/// and booleans as `TRUE`/`FALSE`. Both were refused ("empty student_id", "expected 0 or 1").
#[test]
fn a_file_saved_from_a_spreadsheet_reads_with_its_empty_rows_and_upper_case_booleans() {
    let d = write_dir(
        "\u{feff}student_id,t,item_id,skill_ids,correct\r\n\
         a,0,i1,s1,TRUE\r\na,1,i2,s1,FALSE\r\n,,,,\r\nb,0,i1,s1,True\r\n , ,,,\r\n,,,,\r\n",
        Some("student_id,fold\r\na,1\r\nb,2\r\n,\r\n"),
    );
    let data = load_dir(d.path()).expect("reads");
    assert_eq!(data.sequences.len(), 2);
    let a = &data.sequences[0];
    assert_eq!(a.events.iter().map(|e| e.correct).collect::<Vec<_>>(), vec![true, false]);
    assert!(data.sequences[1].events[0].correct);
    assert_eq!(data.folds.len(), 2);
    // A row with some cells filled is still a row, and still refused when incomplete.
    let d = write_dir(
        "student_id,t,item_id,skill_ids,correct\na,0,i1,s1,1\n,1,i2,s1,0\n",
        Some("student_id,fold\na,1\n"),
    );
    let e = load_dir(d.path()).expect_err("no student").to_string();
    assert!(e.contains("interactions.csv:3:") && e.contains("student_id"), "{e}");
}

/// A row of folds.csv without a student id was taken as a learner called ""; a negative fold
/// was "not an integer".
#[test]
fn a_row_of_folds_csv_without_a_student_or_with_a_negative_fold_is_refused_by_line() {
    let interactions = "student_id,t,item_id,skill_ids,correct\na,0,i,s,1\nb,0,i,s,0\n";
    for (folds, line, what) in [
        ("student_id,fold\na,1\n,2\nb,2\n", ":3:", "empty student_id"),
        (
            "student_id,fold\na,1\nb,-1\n",
            ":3:",
            "fold: expected a whole number of 0 or more, found `-1`",
        ),
    ] {
        let d = write_dir(interactions, Some(folds));
        let e = load_dir(d.path()).expect_err(folds).to_string();
        assert!(e.contains("folds.csv") && e.contains(line) && e.contains(what), "{folds:?}: {e}");
    }
}

/// `--data` given the CSV file rather than its folder said
/// "interactions.csv/interactions.csv: Not a directory".
#[test]
fn data_that_is_a_file_or_a_missing_folder_is_named_as_such() {
    let d = write_dir("student_id,t,item_id,skill_ids,correct\na,0,i,s,1\n", None);
    let file = d.path().join("interactions.csv");
    let e = load_dir(&file).expect_err("a file").to_string();
    assert!(e.contains("is a file") && e.contains("the folder that holds interactions.csv"), "{e}");
    assert!(!e.contains("interactions.csv/interactions.csv"), "{e}");
    let e = load_dir(&d.path().join("nowhere")).expect_err("missing").to_string();
    assert!(e.contains("nowhere") && e.contains("no such folder"), "{e}");
    let empty = tempfile::tempdir().expect("tempdir");
    let e = load_dir(empty.path()).expect_err("no csv").to_string();
    assert!(e.contains("interactions.csv") && e.contains("No such file"), "{e}");
}

/// A `t` too large for the reader was "not an integer"; a timestamp before the epoch (or on a
/// clock with another origin) was refused although only differences between timestamps count;
/// a date-time text was "expected a non-negative number" with no word of seconds.
#[test]
fn large_t_negative_timestamps_and_date_texts_are_handled_and_worded() {
    let head = "student_id,t,item_id,skill_ids,correct,timestamp\n";
    let d = write_dir(&format!("{head}a,1,i,s,1,-100\na,0,i,s,0,-160.5\nb,0,i,s,1,\n"), None);
    let data = load_dir(d.path()).expect("negative timestamps read");
    assert_eq!(data.sequences[0].events[0].timestamp, Some(-160.5));
    assert_eq!(data.sequences[0].events[1].timestamp, Some(-100.0));
    let d = write_dir(&format!("{head}a,99999999999999999999,i,s,1,\n"), None);
    let e = load_dir(d.path()).expect_err("huge t").to_string();
    assert!(
        e.contains("interactions.csv:2:") && e.contains("t: `99999999999999999999` is too large"),
        "{e}"
    );
    let d = write_dir(&format!("{head}a,0,i,s,1,2026-01-01 10:00:00\n"), None);
    let e = load_dir(d.path()).expect_err("a date").to_string();
    assert!(e.contains(":2:") && e.contains("timestamp: expected a number of seconds"), "{e}");
    for (col, bad) in [("hints", "-1"), ("latency_ms", "-5"), ("latency_ms", "NaN")] {
        let d = write_dir(
            &format!("student_id,t,item_id,skill_ids,correct,{col}\na,0,i,s,1,{bad}\n"),
            None,
        );
        let e = load_dir(d.path()).expect_err(bad).to_string();
        assert!(e.contains(":2:") && e.contains(&format!("{col}: expected a non-negative")), "{e}");
    }
}

/// `--max-students N` takes N/k learners of each of the k folds the learners are in. Folds
/// that only learners absent from interactions.csv have (a folds.csv made for a larger export)
/// were counted in k, so the run took fewer learners than asked.
#[test]
fn max_students_shares_among_the_folds_of_the_learners_not_of_folds_csv() {
    let mut d = data(1, 3);
    for k in 0..7 {
        d.folds.insert(format!("absent-{k}"), 4 + k);
    }
    let opts = EvalOptions { max_students: Some(6), ..bkt_only(Vec::new()) };
    let report = cross_validate(&d, &opts, &mut |_| {}).expect("eval");
    assert_eq!(report.students, 6);
    assert_eq!(report.folds.iter().map(|f| f.fold).collect::<Vec<_>>(), vec![1, 2, 3]);
}

/// `--personalise` on learners too short to split printed "0 learners, AUC NaN -> NaN" and
/// nothing of why.
#[test]
fn personalisation_without_learners_long_enough_says_why() {
    use ladder_model::eval::PersonaliseOptions;
    let d = data(1, 2); // 8 to 12 answers per learner
    let opts = EvalOptions {
        models: vec![ModelKind::Transformer],
        folds: vec![1],
        config: ModelConfig { d_model: 8, n_heads: 2, d_ff: 16, max_len: 16, ..Default::default() },
        training: TrainSettings { epochs: 1, ..Default::default() },
        personalise: Some(PersonaliseOptions::default()),
        ..Default::default()
    };
    let mut lines = Vec::new();
    let report = cross_validate(&d, &opts, &mut |l| lines.push(l.to_string())).expect("eval");
    assert_eq!(report.personalisation[0].learners, 0);
    assert!(
        lines.iter().any(|l| l.contains("fold 1 personalisation")
            && l.contains("no test learner has at least 20 answers")),
        "{lines:#?}"
    );
    let table = report.table();
    assert!(table.contains("no test learner has enough answers to split"), "{table}");
    assert!(!table.contains("NaN -> NaN"), "{table}");
    // Long enough, but every answer of the test fold is right: the AUC is undefined, and said so.
    let mut sequences = generate(&SynthSpec {
        learners: 12,
        min_len: 24,
        max_len: 30,
        items: 12,
        skills: 3,
        seed: 4,
    });
    let mut folds = std::collections::HashMap::new();
    for (i, s) in sequences.iter_mut().enumerate() {
        folds.insert(s.learner_id.clone(), 1 + i as u32 % 2);
        if i % 2 == 0 {
            s.events.iter_mut().for_each(|e| e.correct = true);
        }
    }
    let mut lines = Vec::new();
    let d = CsvData { sequences, folds };
    let report = cross_validate(&d, &opts, &mut |l| lines.push(l.to_string())).expect("eval");
    assert!(report.personalisation[0].learners > 0 && report.personalisation[0].base.auc.is_nan());
    assert!(
        lines
            .iter()
            .any(|l| l.contains("fold 1 personalisation") && l.contains("AUC is undefined")),
        "{lines:#?}"
    );
}

/// With too few training learners to hold any back, training watches its own loss; the log
/// printed that as "val loss" (equal to the train loss) and "val AUC NaN", and said "refitted ...
/// for 1 epochs".
#[test]
fn a_fold_too_small_to_hold_back_validation_learners_says_early_stopping_watches_training() {
    let mut d = data(1, 2);
    d.sequences.truncate(6);
    let opts = EvalOptions {
        models: vec![ModelKind::Transformer],
        folds: vec![1],
        config: ModelConfig { d_model: 8, n_heads: 2, d_ff: 16, max_len: 16, ..Default::default() },
        training: TrainSettings { epochs: 1, ..Default::default() },
        refit: true,
        ..Default::default()
    };
    let mut lines = Vec::new();
    cross_validate(&d, &opts, &mut |l| lines.push(l.to_string())).expect("eval");
    assert!(!lines.iter().any(|l| l.contains("val loss") || l.contains("val AUC")), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.contains("no validation learners")
            && l.contains("early stopping watches the training loss")),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains(" 1 epochs")), "{lines:#?}");
}

/// A folds.csv written with one row per answer (the learner and fold columns of the interaction
/// table, saved without dropping repeats) was refused ("student a listed twice") although every
/// row agrees; a learner given two different folds is refused naming both lines and folds.
#[test]
fn a_learner_repeated_in_folds_csv_with_the_same_fold_is_read_and_with_two_folds_refused() {
    let interactions = "student_id,t,item_id,skill_ids,correct\na,0,i,s,1\na,1,i,s,0\nb,0,i,s,0\n";
    let d = write_dir(interactions, Some("student_id,fold\na,1\na,1\nb,2\n"));
    let data = load_dir(d.path()).expect("repeats that agree");
    assert_eq!((data.folds["a"], data.folds["b"]), (1, 2));
    let d = write_dir(interactions, Some("student_id,fold\na,1\nb,2\na,3\n"));
    let e = load_dir(d.path()).expect_err("two folds").to_string();
    assert!(e.contains("folds.csv:4:") && e.contains("student a"), "{e}");
    assert!(e.contains("fold 3") && e.contains("fold 1 on line 2"), "{e}");
}

/// Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: the whole file read as one
/// header line, reported as "missing column `correct`" although the header has it.
#[test]
fn lines_ended_by_a_lone_carriage_return_are_read_as_lines() {
    let d = write_dir(
        "student_id,t,item_id,skill_ids,correct\ra,0,i,s,1\ra,1,i,s,0\rb,0,i,s,x\r",
        Some("student_id,fold\ra,1\rb,2\r"),
    );
    let e = load_dir(d.path()).expect_err("bad correct on line 4").to_string();
    assert!(e.contains("interactions.csv:4:") && e.contains("correct: expected 0 or 1"), "{e}");
    std::fs::write(
        d.path().join("interactions.csv"),
        "student_id,t,item_id,skill_ids,correct\ra,0,i,s,1\ra,1,i,s,0\rb,0,i,s,1\r",
    )
    .expect("write");
    let data = load_dir(d.path()).expect("reads");
    assert_eq!(data.sequences.len(), 2);
    assert_eq!(data.sequences[0].events.len(), 2);
    assert_eq!(data.folds["b"], 2);
}

/// `hints` is a hint level (0, 1, 2, ...): `1.7` was cut to 1 without a word, so a column of
/// something else (a share of hints used, 0.33) read as "no hints" everywhere.
#[test]
fn a_fractional_hint_level_is_refused_and_a_whole_one_written_as_decimal_is_read() {
    let head = "student_id,t,item_id,skill_ids,correct,hints\n";
    let d = write_dir(&format!("{head}a,0,i,s,1,2.0\na,1,i,s,1,0\n"), None);
    let data = load_dir(d.path()).expect("2.0 is 2");
    assert_eq!(data.sequences[0].events[0].hints, Some(2));
    let d = write_dir(&format!("{head}a,0,i,s,1,2\na,1,i,s,1,0.33\n"), None);
    let e = load_dir(d.path()).expect_err("0.33").to_string();
    assert!(
        e.contains("interactions.csv:3:") && e.contains("hints: expected a whole number"),
        "{e}"
    );
}

/// A header from another tool (pyKT's and ASSISTments' `user_id`, `problem_id`) was refused
/// with the columns wanted but not the ones found, so a near miss (`Student_ID`) was hard to see.
#[test]
fn a_missing_column_is_reported_with_the_columns_the_header_has() {
    let d = write_dir("user_id,order_id,problem_id,skill_id,correct\n1,1,2,3,1\n", None);
    let e = load_dir(d.path()).expect_err("pyKT names").to_string();
    assert!(e.contains("interactions.csv:1:") && e.contains("missing column `student_id`"), "{e}");
    assert!(e.contains("the header has user_id, order_id, problem_id, skill_id, correct"), "{e}");
    let d = write_dir(
        "student_id,t,item_id,skill_ids,correct\na,0,i,s,1\n",
        Some("Student_ID,fold\na,1\n"),
    );
    let e = load_dir(d.path()).expect_err("folds").to_string();
    assert!(e.contains("folds.csv:1:") && e.contains("the header has Student_ID, fold"), "{e}");
}

/// Skills joined from a many-to-many table can repeat (`s1;s1`): BKT then took the answer as
/// evidence twice and PFA counted it twice. Each skill counts once per answer.
#[test]
fn a_skill_repeated_in_one_answer_counts_once() {
    let head = "student_id,t,item_id,skill_ids,correct\n";
    let d = write_dir(&format!("{head}a,0,i,s1; s1 ;s2;s1,1\na,1,j,s2,0\n"), None);
    let read = load_dir(d.path()).expect("reads");
    assert_eq!(read.sequences[0].events[0].skill_ids, vec!["s1", "s2"]);
    // The baselines give the same figures as on the data without the repeats.
    let d = data(1, 2);
    let csv = |twice: bool| {
        let mut text = String::from(head);
        for s in &d.sequences {
            for (t, e) in s.events.iter().enumerate() {
                let mut skills = e.skill_ids.join(";");
                if twice {
                    skills = format!("{skills};{skills}");
                }
                let y = e.correct as u8;
                text += &format!("{},{t},{},{skills},{y}\n", s.learner_id, e.item_id);
            }
        }
        let folds: String = d.folds.iter().map(|(k, f)| format!("{k},{f}\n")).collect();
        write_dir(&text, Some(&format!("student_id,fold\n{folds}")))
    };
    let opts = EvalOptions { models: vec![ModelKind::Bkt, ModelKind::Pfa], ..Default::default() };
    let run = |dir: &tempfile::TempDir| {
        let data = load_dir(dir.path()).expect("reads");
        let r = cross_validate(&data, &opts, &mut |_| {}).expect("eval");
        r.folds.iter().map(|f| f.metrics.log_loss).collect::<Vec<_>>()
    };
    assert_eq!(run(&csv(true)), run(&csv(false)));
}

/// A comment column with an unquoted comma (`hard, with a diagram`) gave "expected 6 fields,
/// found 7" and nothing of the usual cause.
#[test]
fn a_row_with_too_many_fields_points_at_an_unquoted_comma() {
    let d = write_dir(
        "student_id,t,item_id,skill_ids,correct,note\na,0,i,s,1,easy\na,1,i,s,0,hard, with a diagram\n",
        None,
    );
    let e = load_dir(d.path()).expect_err("7 fields").to_string();
    assert!(e.contains("interactions.csv:3:") && e.contains("expected 6 fields"), "{e}");
    assert!(e.contains("a field with a comma in it must be in double quotes"), "{e}");
    let d = write_dir(
        "student_id,t,item_id,skill_ids,correct\na,0,i,s,1\n",
        Some("student_id,fold\na,1,extra\n"),
    );
    let e = load_dir(d.path()).expect_err("3 fields").to_string();
    assert!(e.contains("folds.csv:2:") && e.contains("must be in double quotes"), "{e}");
}
