//! Property tests of the pack reader: random bytes, mutated archives and mutated TOML never
//! panic and always finish quickly. Case counts are fixed so the run stays within seconds
//! (`LADDER_FUZZ_CASES=5000` for a deeper run by hand).

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use proptest::prelude::*;

/// Generous: a case takes milliseconds; this catches runaway loops, not slowness.
const BOUND: Duration = Duration::from_secs(2);

/// `LADDER_FUZZ_CASES` raises the case count for a deeper local run; CI uses the default.
fn config(cases: u32) -> ProptestConfig {
    let cases =
        std::env::var("LADDER_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn minimal_archive_cached() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(minimal_archive)
}

fn minimal_files() -> &'static BTreeMap<String, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let checked = ladder_pack::validate_folder(&minimal_dir()).expect("read minimal");
        checked.pack.expect("valid").files().clone()
    })
}

/// Validates an archive and checks the invariants that hold for any input.
fn check_archive(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let checked = ladder_pack::validate_archive(Cursor::new(bytes), "fuzz.ladderpack");
    prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    prop_assert_eq!(checked.pack.is_some(), checked.report.errors.is_empty());
    for d in checked.report.errors.iter().chain(&checked.report.warnings) {
        prop_assert!(!d.to_string().contains('\n'), "one line per diagnostic: {:?}", d.to_string());
        let es = d.line_in(ladder_pack::Lang::Es);
        prop_assert!(!es.contains('\n'), "one line in Spanish too: {:?}", es);
    }
    Ok(())
}

fn check_files(files: BTreeMap<String, Vec<u8>>) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let checked = ladder_pack::validate_files(files);
    prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    prop_assert_eq!(checked.pack.is_some(), checked.report.errors.is_empty());
    for d in checked.report.errors.iter().chain(&checked.report.warnings) {
        prop_assert!(!d.to_string().contains('\n'), "one line per diagnostic: {:?}", d.to_string());
        let es = d.line_in(ladder_pack::Lang::Es);
        prop_assert!(!es.contains('\n'), "one line in Spanish too: {:?}", es);
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Edit::Insert(i, b)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => any::<usize>().prop_map(Edit::Truncate),
    ];
    prop::collection::vec(edit, 1..8)
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Set(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] = *b;
                }
            }
            Edit::Insert(i, more) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, more.iter().copied());
            }
            Edit::Delete(i, n) => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Truncate(i) => bytes.truncate(i % len),
        }
    }
    bytes
}

/// Pieces of TOML and of our format that, spliced in anywhere, reach deeper code paths than
/// random bytes do.
const TOKENS: &[&str] = &[
    "[[item]]\n",
    "[lesson]\n",
    "[[skill]]\n",
    "[[item.feedback]]\n",
    "\"",
    "'",
    "\"\"\"",
    "{{1}}",
    "{{0}}",
    "{{99999999999999999999}}",
    "= [",
    "]",
    "{",
    "}",
    "\n",
    "=",
    ",",
    "kind = \"cloze\"\n",
    "kind = \"choice\"\n",
    "blanks = [{}]\n",
    "correct = [99999999999999999999]\n",
    "correct = [-1]\n",
    "answer = nan\n",
    "answer = inf\n",
    "tolerance = -0.0\n",
    "difficulty = 1e308\n",
    "prerequisites = [\"half\", \"quarters\"]\n",
    "id = \"\"\n",
    "![x](media/../x)",
    "![x](media/bar-1-2.svg)",
    "$",
    "\\u0000",
    "é",
    "\u{0}",
    "[[[[[[[[",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r = 1\n",
    "\"k\\ny\" = 1\n",
    "kind = \"a\\nb\"\n",
    "id = \"x\\r\\ny\"\n",
    "skills = []\n",
    "feedback = [{ blank = 0 }]\n",
];

fn token_edits() -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((any::<usize>(), 0..TOKENS.len()), 1..6)
}

fn splice_tokens(text: &[u8], edits: &[(usize, usize)]) -> Vec<u8> {
    let mut bytes = text.to_vec();
    for &(at, t) in edits {
        let at = at % (bytes.len() + 1);
        bytes.splice(at..at, TOKENS[t].bytes());
    }
    bytes
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn random_bytes_are_refused_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_archive(bytes)?;
    }

    #[test]
    fn mutated_archives_never_panic(e in edits()) {
        check_archive(apply(minimal_archive_cached().to_vec(), &e))?;
    }

    #[test]
    fn mutated_toml_bytes_never_panic(file in 0usize..4, e in edits()) {
        let mut files = minimal_files().clone();
        let names: Vec<String> = files.keys().filter(|k| k.ends_with(".toml")).cloned().collect();
        let name = &names[file % names.len()];
        let mutated = apply(files[name].clone(), &e);
        files.insert(name.clone(), mutated);
        check_files(files)?;
    }

    #[test]
    fn mutated_toml_tokens_never_panic(file in 0usize..4, e in token_edits()) {
        let mut files = minimal_files().clone();
        let names: Vec<String> = files.keys().filter(|k| k.ends_with(".toml")).cloned().collect();
        let name = &names[file % names.len()];
        let mutated = splice_tokens(&files[name], &e);
        files.insert(name.clone(), mutated);
        check_files(files)?;
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let mut files = minimal_files().clone();
    let deep = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    files.insert("skills.toml".into(), deep.into_bytes());
    let checked = ladder_pack::validate_files(files.clone());
    assert!(checked.pack.is_none());
    let inline = format!("x = {}1{}\n", "{a=".repeat(5000), "}".repeat(5000));
    files.insert("skills.toml".into(), inline.into_bytes());
    assert!(ladder_pack::validate_files(files).pack.is_none());
}

#[test]
fn long_prerequisite_chains_do_not_recurse() {
    let mut files = minimal_files().clone();
    let mut skills = String::new();
    for i in 0..5000 {
        skills.push_str(&format!(
            "[[skill]]\nid = \"s{i}\"\nname = \"S\"\nprerequisites = [\"s{}\"]\n",
            (i + 1) % 5000
        ));
    }
    files.insert("skills.toml".into(), skills.into_bytes());
    let checked = ladder_pack::validate_files(files);
    let cycles = checked
        .report
        .errors
        .iter()
        .filter(|d| d.message.starts_with("prerequisite cycle: s0 -> s1 -> s2"))
        .count();
    assert_eq!(cycles, 1, "one long cycle, reported once");
}

#[test]
fn long_cycles_are_shortened_in_the_report() {
    let mut files = minimal_files().clone();
    let mut skills = String::new();
    for i in 0..100 {
        skills.push_str(&format!(
            "[[skill]]\nid = \"s{i}\"\nname = \"S\"\nprerequisites = [\"s{}\"]\n",
            (i + 1) % 100
        ));
    }
    files.insert("skills.toml".into(), skills.into_bytes());
    let report = ladder_pack::validate_files(files).report;
    let cycle = report
        .errors
        .iter()
        .find(|d| d.message.starts_with("prerequisite cycle:"))
        .expect("the cycle is reported");
    assert_eq!(
        cycle.message,
        "prerequisite cycle: s0 -> s1 -> s2 -> s3 -> s4 -> s5 -> ... (89 more) -> s95 -> s96 -> \
         s97 -> s98 -> s99 -> s0 (each skill needs the next): no order of lessons can teach them; \
         remove one of its prerequisites, such as `s0` from skill `s99` (skills.toml:400:18)"
    );
}

/// Inputs built to make a naive validator quadratic: many tiny broken items, and many back
/// edges into one long prerequisite chain. Both must finish in well under the bound.
#[test]
fn adversarial_packs_stay_fast() {
    let mut files = minimal_files().clone();
    let items = "[[item]]\n".repeat(512 * 1024 / 9);
    files.insert("lessons/03-many.toml".into(), items.into_bytes());
    let started = Instant::now();
    let checked = ladder_pack::validate_files(files);
    let elapsed = started.elapsed();
    assert!(checked.report.errors.len() > 50_000);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");

    let mut files = minimal_files().clone();
    let mut skills = String::new();
    for i in 0..15_000 {
        skills.push_str(&format!(
            "[[skill]]\nid = \"s{i}\"\nname = \"S\"\nprerequisites = [\"s{}\", \"s0\"]\n",
            i + 1
        ));
    }
    files.insert("skills.toml".into(), skills.into_bytes());
    let started = Instant::now();
    let checked = ladder_pack::validate_files(files);
    let elapsed = started.elapsed();
    let cycles = checked
        .report
        .errors
        .iter()
        .filter(|d| d.message.starts_with("prerequisite cycle:"))
        .count();
    assert_eq!(cycles, 15_000);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}
